//! The `Timestamp: ...` line for an `NLMSG_TSTAMP` record (seconds and microseconds as two
//! 32-bit words), in C's `asctime(localtime())` form as ip prints it.

use std::io::{self, Write};

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Broken-down local time of `secs`.
// libc marks `time_t` deprecated on musl (it will follow musl 1.2's 64-bit time_t); it is
// still the type `localtime_r` takes, and `try_from` keeps the conversion checked either way.
#[allow(deprecated)]
fn local_time(secs: i64) -> Option<libc::tm> {
    let t = libc::time_t::try_from(secs).ok()?;
    // SAFETY: tm is plain data; all-zero is a valid value for localtime_r to overwrite.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the call; localtime_r writes only into `tm`.
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
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

    #[test]
    fn short_payloads_do_not_panic() {
        let mut out = Vec::new();
        print(&mut out, &[1, 2]).expect("writes");
        assert!(String::from_utf8_lossy(&out).ends_with(" 0 us\n"));
    }
}
