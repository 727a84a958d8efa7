//! The `Timestamp: ...` line for an `NLMSG_TSTAMP` record (seconds and microseconds as two
//! 32-bit words), in C's `asctime(localtime())` form as ip prints it, and the stamps `-t` and
//! `-ts` put before each event.

use std::io::{self, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::toolbox::args::StampForm;

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[cfg(target_pointer_width = "64")]
use libc::localtime_r as localtime64_r;

// On 32-bit targets `localtime_r` is the C library's old 32-bit time_t entry point (musl >= 1.2
// and glibc >= 2.34 keep it for old binaries, and the libc crate binds it), which cannot
// represent a time past January 2038. `__localtime64_r` is the same function with a 64-bit
// time_t; struct tm is the same in both ABIs.
#[cfg(target_pointer_width = "32")]
extern "C" {
    #[link_name = "__localtime64_r"]
    fn localtime64_r(time: *const i64, tm: *mut libc::tm) -> *mut libc::tm;
}

/// Broken-down local time of `secs`, correct past 2038 on 32-bit targets too.
fn local_time(secs: i64) -> Option<libc::tm> {
    // SAFETY: tm is plain data; all-zero is a valid value for localtime_r to overwrite.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call (time_t is i64 on 64-bit Linux, and the
    // 32-bit entry point takes an i64); localtime_r writes only into `tm`.
    let ok = unsafe { !localtime64_r(&secs, &mut tm).is_null() };
    ok.then_some(tm)
}

/// `asctime` without its newline: `Sun Nov 22 11:58:05 2026`.
pub fn asctime(tm: &libc::tm) -> String {
    let day = usize::try_from(tm.tm_wday)
        .ok()
        .and_then(|d| DAYS.get(d))
        .copied()
        .unwrap_or("???");
    let month = usize::try_from(tm.tm_mon)
        .ok()
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or("???");
    format!(
        "{day} {month}{:3} {:02}:{:02}:{:02} {}",
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        i64::from(tm.tm_year) + 1900
    )
}

/// Appends the line for one time-stamp record's payload.
pub fn print(out: &mut Vec<u8>, payload: &[u8]) -> io::Result<()> {
    let word = |i: usize| {
        payload
            .get(i * 4..i * 4 + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes)
            .unwrap_or(0)
    };
    let (secs, usecs) = (word(0), word(1));
    let when = local_time(i64::from(secs))
        .map(|tm| asctime(&tm))
        .unwrap_or_default();
    writeln!(out, "Timestamp: {when} {usecs} us")
}

/// Appends `-t`'s line or `-ts`'s prefix for the time it is now, as ip's `print_timestamp`.
pub fn print_now(out: &mut Vec<u8>, form: StampForm) -> io::Result<()> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
    write_stamp(out, form, local_time(secs).as_ref(), now.subsec_micros())
}

fn write_stamp(
    out: &mut Vec<u8>,
    form: StampForm,
    tm: Option<&libc::tm>,
    usecs: u32,
) -> io::Result<()> {
    match (form, tm) {
        (StampForm::Line, tm) => {
            let when = tm.map(asctime).unwrap_or_default();
            writeln!(out, "Timestamp: {when} {usecs} usec")
        }
        (StampForm::Short, Some(tm)) => write!(
            out,
            "[{}-{:02}-{:02}T{:02}:{:02}:{:02}.{usecs:06}] ",
            i64::from(tm.tm_year) + 1900,
            i64::from(tm.tm_mon) + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        ),
        (StampForm::Short, None) => write!(out, "[.{usecs:06}] "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asctime_pads_the_day() {
        // SAFETY: tm is plain data; zero is valid.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        tm.tm_wday = 0;
        tm.tm_mon = 10;
        tm.tm_mday = 2;
        tm.tm_hour = 1;
        tm.tm_min = 2;
        tm.tm_sec = 3;
        tm.tm_year = 126;
        assert_eq!(asctime(&tm), "Sun Nov  2 01:02:03 2026");
    }

    /// 2040-07-01 12:00:00 UTC: past the signed 32-bit time_t limit (2038-01-19), and far
    /// enough from a year boundary that no time-zone offset changes the year.
    const MID_2040: u32 = 2_224_756_800;

    #[test]
    fn local_time_is_right_past_2038() {
        let tm = local_time(i64::from(MID_2040)).expect("localtime");
        assert_eq!(i64::from(tm.tm_year) + 1900, 2040);
        assert!((0..=1).contains(&(tm.tm_mon - 5)), "month {}", tm.tm_mon);
        let next_day = local_time(i64::from(MID_2040) + 86_400).expect("localtime");
        assert_eq!(next_day.tm_yday, tm.tm_yday + 1);
        assert_eq!(next_day.tm_wday, (tm.tm_wday + 1) % 7);
    }

    #[test]
    fn timestamp_record_past_2038_prints_its_year() {
        let mut payload = MID_2040.to_ne_bytes().to_vec();
        payload.extend_from_slice(&7u32.to_ne_bytes());
        let mut out = Vec::new();
        print(&mut out, &payload).expect("writes");
        let line = String::from_utf8(out).expect("ascii");
        assert!(line.starts_with("Timestamp: "), "{line}");
        assert!(line.ends_with(" 2040 7 us\n"), "{line}");
    }

    #[test]
    fn event_stamps_take_ips_two_forms() {
        // SAFETY: tm is plain data; zero is valid.
        let mut tm: libc::tm = unsafe { std::mem::zeroed() };
        (tm.tm_wday, tm.tm_mon, tm.tm_mday, tm.tm_year) = (2, 11, 1, 126);
        (tm.tm_hour, tm.tm_min, tm.tm_sec) = (8, 3, 9);
        let text = |form| {
            let mut out = Vec::new();
            write_stamp(&mut out, form, Some(&tm), 4_567).expect("writes");
            String::from_utf8(out).expect("ascii")
        };
        assert_eq!(
            text(StampForm::Line),
            "Timestamp: Tue Dec  1 08:03:09 2026 4567 usec\n"
        );
        assert_eq!(text(StampForm::Short), "[2026-12-01T08:03:09.004567] ");
        let mut now = Vec::new();
        print_now(&mut now, StampForm::Short).expect("writes");
        assert_eq!(now.len(), "[2026-12-01T08:03:09.004567] ".len());
    }

    #[test]
    fn short_payloads_do_not_panic() {
        let mut out = Vec::new();
        print(&mut out, &[1, 2]).expect("writes");
        assert!(String::from_utf8_lossy(&out).ends_with(" 0 us\n"));
    }
}
