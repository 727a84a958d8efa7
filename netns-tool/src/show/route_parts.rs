//! The parts of a route line that come from its sub-structures and flag words: next hops,
//! `via` of another family, flags, routing-cache flags, cache info and metrics.

use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::route::{Encap, NextHops, Via};
use netlink_core::wire::{Attr, Attrs, RtaCacheInfo};

use super::device::print_dev;
use super::route_encap::print_encap;
use super::route_out::StickyOut;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::color::Paint;
use crate::toolbox::json::hex_text;

// rtm_flags bits the printers name that netlink-core does not define.
const RTNH_F_TRAP: u32 = 64;
const RTM_F_OFFLOAD: u32 = 0x4000;
const RTM_F_TRAP: u32 = 0x8000;
const RTM_F_OFFLOAD_FAILED: u32 = 0x2000_0000;

const AF_MPLS: u8 = 28;

/// Route and next-hop flags as ip names them, in ip's order.
const FLAG_NAMES: &[(u32, &str)] = &[
    (RTNH_F_DEAD, "dead"),
    (RTNH_F_ONLINK, "onlink"),
    (RTNH_F_PERVASIVE, "pervasive"),
    (RTNH_F_OFFLOAD, "offload"),
    (RTNH_F_TRAP, "trap"),
    (RTM_F_NOTIFY, "notify"),
    (RTNH_F_LINKDOWN, "linkdown"),
    (RTNH_F_UNRESOLVED, "unresolved"),
    (RTM_F_OFFLOAD, "rt_offload"),
    (RTM_F_TRAP, "rt_trap"),
    (RTM_F_OFFLOAD_FAILED, "rt_offload_failed"),
];

/// Every bit of [`FLAG_NAMES`]: most routes have none, and print no name.
const NAMED_FLAGS: u32 = {
    let mut all = 0;
    let mut i = 0;
    while i < FLAG_NAMES.len() {
        all |= FLAG_NAMES[i].0;
        i += 1;
    }
    all
};

// Routing-cache flags (`RTCF_*`, linux/in_route.h) in the upper half of a cloned route's flags.
const CACHE_FLAG_NAMES: &[(u32, &str)] = &[
    (0x8000_0000, "local"),
    (0x4000_0000, "reject"),
    (0x2000_0000, "mc"),
    (0x1000_0000, "brd"),
    (0x0800_0000, "dst-nat"),
    (0x0080_0000, "src-nat"),
    (0x0040_0000, "masq"),
    (0x0002_0000, "dst-direct"),
    (0x0400_0000, "src-direct"),
    (0x0004_0000, "redirected"),
    (0x0100_0000, "redirect"),
    (0x0020_0000, "fastroute"),
    (0x0001_0000, "notify"),
    (0x0008_0000, "proxy"),
];

/// `RTAX_*` names, indexed by metric number (ip's `mx_names`).
const METRIC_NAMES: &[&str] = &[
    "",
    "",
    "mtu",
    "window",
    "rtt",
    "rttvar",
    "ssthresh",
    "cwnd",
    "advmss",
    "reordering",
    "hoplimit",
    "initcwnd",
    "features",
    "rto_min",
    "initrwnd",
    "quickack",
    "congctl",
    "fastopen_no_cookie",
];
const RTAX_LOCK: u16 = 1;
const RTAX_RTT: usize = 4;
const RTAX_RTTVAR: usize = 5;
const RTAX_FEATURES: usize = 12;
const RTAX_RTO_MIN: usize = 13;
const RTAX_CC_ALGO: usize = 16;

/// `"flags":[...]` (always, in JSON), or the names followed by a space.
pub(super) fn print_flags<W: Write>(out: &mut StickyOut<'_, W>, flags: u32) {
    out.open_array(Some("flags"));
    if flags & NAMED_FLAGS != 0 {
        for &(bit, name) in FLAG_NAMES {
            if flags & bit != 0 {
                out.put_element(name, " ");
            }
        }
    }
    out.close_array()
}

/// A cloned IPv4 route's `cache <flags>`.
pub(super) fn print_cache_flags<W: Write>(
    out: &mut StickyOut<'_, W>,
    flags: u32,
    line_break: &str,
) {
    let mut left = flags & !0xffff;
    out.text_str(line_break);
    out.text_str("    cache ");
    out.open_array(Some("cache"));
    if left != 0 {
        out.text_str("<");
    }
    for &(bit, name) in CACHE_FLAG_NAMES {
        if left & bit != 0 {
            left &= !bit;
            out.put_element(name, if left != 0 { "," } else { "> " });
        }
    }
    out.close_array();
    if left != 0 {
        out.text(format_args!("{left:x}>"));
    }
}

/// `RTA_CACHEINFO`: expiry, error, use counts, IP id and timestamps.
pub(super) fn print_cacheinfo<W: Write>(
    out: &mut StickyOut<'_, W>,
    ci: &RtaCacheInfo,
    clock_ticks: i64,
    stats: u8,
) {
    let (clntref, lastuse, expires) = (ci.clntref.get(), ci.lastuse.get(), ci.expires.get());
    let (error, used, id) = (ci.error.get(), ci.used.get(), ci.id.get());
    let (ts, tsage) = (ci.ts.get(), ci.tsage.get());
    let hz = clock_ticks.max(1);
    let mut hex = [0; 10];
    if expires != 0 {
        out.with(|o| o.put_int("expires", "expires ", i64::from(expires) / hz, "sec "));
    }
    if error != 0 {
        out.put_uint("error", "error ", u64::from(error), " ");
    }
    if stats > 0 {
        if clntref != 0 {
            out.put_uint("users", "users ", u64::from(clntref), " ");
        }
        if used != 0 {
            out.put_uint("used", "used ", u64::from(used), " ");
        }
        if lastuse != 0 {
            let age = u64::try_from(i64::from(lastuse) / hz).unwrap_or(0);
            out.put_uint("age", "age ", age, "sec ");
        }
    }
    if id != 0 {
        out.put_str("ipid", "ipid ", hex_text(&mut hex, id, 4), " ");
    }
    if ts != 0 || tsage != 0 {
        out.put_str("ts", "ts ", hex_text(&mut hex, ts, 1), "");
        out.put_uint("tsage", "tsage ", u64::from(tsage), "sec ");
    }
}

/// `RTA_METRICS`, in `RTAX_*` order, as `"metrics":[{...}]` or `name [lock] value`.
pub(super) fn print_metrics<W: Write>(out: &mut StickyOut<'_, W>, metrics: Attrs<'_>) {
    let mut table: [Option<Attr<'_>>; METRIC_NAMES.len()] = [None; METRIC_NAMES.len()];
    let mut lock = 0u32;
    for a in metrics {
        if a.kind() == RTAX_LOCK {
            lock = a.u32().unwrap_or(0);
        } else if let Some(slot) = table.get_mut(usize::from(a.kind())) {
            *slot = Some(a);
        }
    }
    out.open_array(Some("metrics"));
    out.open_object(None);
    for (i, slot) in table.iter().enumerate().skip(2) {
        let locked = u32::try_from(i)
            .ok()
            .and_then(|s| lock.checked_shr(s))
            .is_some_and(|bits| bits & 1 != 0);
        if slot.is_none() && !locked {
            continue;
        }
        print_metric(out, i, slot.as_ref(), locked);
    }
    out.close_object();
    out.close_array()
}

fn print_metric<W: Write>(
    out: &mut StickyOut<'_, W>,
    i: usize,
    slot: Option<&Attr<'_>>,
    locked: bool,
) {
    let val = match slot {
        Some(a) if i != RTAX_CC_ALGO => a.u32().unwrap_or(0),
        _ => 0,
    };
    if i == usize::from(RTAX_HOPLIMIT) && val == u32::MAX {
        return;
    }
    let name = METRIC_NAMES.get(i).copied().unwrap_or("");
    out.text_str(name);
    out.text_str(if locked { " lock " } else { " " });
    match i {
        RTAX_FEATURES => {
            if val & 1 != 0 {
                out.with(|o| o.null("ecn", format_args!("ecn ")));
            }
            if val & !1 != 0 {
                let mut hex = [0; 10];
                out.put_str("features", "", hex_text(&mut hex, val, 1), " ");
            }
        }
        RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN => {
            let v = match i {
                RTAX_RTT => val / 8,
                RTAX_RTTVAR => val / 4,
                _ => val,
            };
            out.with(|o| o.json_uint(name, u64::from(v)));
            if v >= 1000 {
                out.text(format_args!("{}s ", format_g(v)));
            } else {
                out.text(format_args!("{v}ms "));
            }
        }
        RTAX_CC_ALGO => {
            let algo = slot.and_then(|a| a.str()).unwrap_or("");
            out.put_str("congestion", "", algo, " ");
        }
        _ => out.put_uint(name, "", u64::from(val), " "),
    }
}

/// ip's `%g` (six significant digits) of `ms / 1000`, the metric times it prints in
/// seconds; integer arithmetic keeps float formatting out of the binary. (`nsip bench`
/// prints nanoseconds as microseconds with it.)
pub fn format_g(ms: u32) -> String {
    // Round to six significant digits: value = digits * 10^shift / 1000 (in 32 bits: no
    // 64-bit divisions on 32-bit targets).
    let mut shift = ms.checked_ilog10().unwrap_or(0).saturating_sub(5);
    let div = 10u32.pow(shift);
    // Half up: ms / div, plus one when the remainder is at least half of div.
    let mut digits = ms / div + u32::from(ms % div * 2 >= div);
    if digits >= 1_000_000 {
        digits /= 10;
        shift += 1;
    }
    let lead = digits.checked_ilog10().unwrap_or(0);
    let exponent = lead + shift;
    if shift >= 3 && exponent < 9 {
        // Six digits times at most 10 (ms < 2^32: shift is at most 4).
        return (digits * 10u32.pow(shift - 3)).to_string();
    }
    // %g switches to exponent form from 1e6 seconds on: one digit before the point.
    let places = if exponent >= 9 { lead } else { 3 - shift };
    let unit = 10u32.pow(places);
    let mut text = (digits / unit).to_string();
    push_fraction(&mut text, digits % unit, unit);
    if exponent >= 9 {
        let e = exponent - 3;
        text.push_str("e+");
        text.push(char::from(b'0' + (e / 10 % 10) as u8));
        text.push(char::from(b'0' + (e % 10) as u8));
    }
    text
}

/// `.DIGITS` of `frac / unit` (`frac` below `unit`, a power of ten) without the zeros that
/// would end it, and nothing for 0: %g's trimmed fraction.
fn push_fraction(text: &mut String, mut frac: u32, mut unit: u32) {
    if frac != 0 {
        text.push('.');
    }
    while frac != 0 {
        unit /= 10;
        text.push(char::from(b'0' + (frac / unit) as u8));
        frac %= unit;
    }
}

/// `RTA_MULTIPATH` as `"nexthops":[...]` or one `nexthop via ... dev ...` line per hop.
pub(super) fn print_multipath<W: Write>(
    out: &mut StickyOut<'_, W>,
    names: &LinkCache,
    (family, stats): (u8, u8),
    hops: NextHops<'_>,
    line_break: &str,
) {
    out.open_array(Some("nexthops"));
    for hop in hops {
        out.open_object(None);
        out.text_str(line_break);
        out.text_str("\tnexthop ");
        if let Some(encap) = Encap::find(hop.attrs()) {
            print_encap(out, names, stats, &encap);
        }
        if let Some(gw) = hop.gateway() {
            out.put_addr(Paint::of_family(family), "gateway", "via ", gw, " ");
        }
        if let Some(via) = hop.via() {
            print_via(out, &via);
        }
        // The kernel's index is unsigned; the view reads the C struct's int.
        out.with(|o| {
            print_dev(
                o,
                names,
                ("dev", "dev "),
                Paint::Plain,
                hop.ifindex() as u32,
            )
        });
        if family != AF_MPLS {
            out.put_uint("weight", "weight ", u64::from(hop.weight()), " ");
        }
        print_flags(out, u32::from(hop.flags()));
        out.close_object();
    }
    out.close_array()
}

fn family_name(family: u8) -> &'static str {
    match family {
        AF_INET => "inet",
        AF_INET6 => "inet6",
        _ => "unknown",
    }
}

/// `RTA_VIA`: `"via":{"family":..,"host":..}` or `via FAMILY HOST`.
pub(super) fn print_via<W: Write>(out: &mut StickyOut<'_, W>, via: &Via<'_>) {
    let (Some(addr), Ok(family)) = (via.addr(), u8::try_from(via.family())) else {
        return;
    };
    out.open_object(Some("via"));
    out.put_str("family", "via ", family_name(family), " ");
    let paint = Paint::of_family(family);
    out.put_addr(paint, "host", "", addr, " ");
    out.close_object()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toolbox::output::{Out, Sink};

    #[test]
    fn format_g_matches_printf_g() {
        // Expected values are C's printf("%g", ms / 1e3).
        for (ms, want) in [
            (1000, "1"),
            (1500, "1.5"),
            (1234, "1.234"),
            (200_000, "200"),
            (123_456, "123.456"),
            (1_234_567, "1234.57"),
            (99_999_999, "100000"),
            (999_999_500, "1e+06"),
            (4_294_967_295, "4.29497e+06"),
        ] {
            assert_eq!(format_g(ms), want, "{ms}");
        }
    }

    /// What `print` writes through a route printer's output, in text or JSON.
    fn written(json: bool, print: impl FnOnce(&mut StickyOut<'_, Sink<'_>>)) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut out = Out::boxed(&mut bytes, json, false);
        let mut sticky = StickyOut::new(&mut out);
        print(&mut sticky);
        sticky.finish().expect("writes");
        drop(out);
        bytes
    }

    #[test]
    fn flags_print_as_names_or_a_json_array() {
        let text = written(false, |out| print_flags(out, RTNH_F_ONLINK | RTNH_F_DEAD));
        assert_eq!(text, b"dead onlink ");
        let json = written(true, |out| print_flags(out, RTNH_F_LINKDOWN));
        assert_eq!(json, br#""flags":["linkdown"]"#);
    }

    #[test]
    fn cache_flags_close_with_the_unnamed_rest() {
        let text = written(false, |out| {
            print_cache_flags(out, 0x8000_0000 | 0x10000, "\n")
        });
        assert_eq!(text, b"\n    cache <local,notify> ");
        let json = written(true, |out| print_cache_flags(out, 0x8000_0000, "\n"));
        assert_eq!(json, br#""cache":["local"]"#);
    }
}
