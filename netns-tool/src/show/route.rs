//! One route as `ip route` prints it, in text or JSON, and the selector that decides which
//! routes a listing shows (ip's `filter`). Shared by `show`, `get` and `monitor`.

use std::io::{self, Write};
use std::net::IpAddr;

use netlink_core::route::consts::*;
use netlink_core::route::RouteMessage;
use netlink_core::wire::{Attr, Attrs};

use crate::toolbox::cache::LinkCache;
use crate::toolbox::inet::{bit_len, format_addr, Prefix};
use crate::toolbox::names::{protocol_name, route_type_name, scope_name, table_name};
use crate::toolbox::output::JsonWriter;

// rtm_flags bits the printers name that netlink-core does not define.
const RTNH_F_TRAP: u32 = 64;
const RTM_F_OFFLOAD: u32 = 0x4000;
const RTM_F_TRAP: u32 = 0x8000;
const RTM_F_OFFLOAD_FAILED: u32 = 0x2000_0000;

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

/// Which routes a listing shows and which fields it then leaves out (a field every shown
/// route shares because the selector fixed it is not printed, as ip does).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Address family the user chose (`-4` / `-6`), `AF_UNSPEC` for any.
    pub family: u8,
    /// Table id; 0 shows every table (and prints each route's table).
    pub table: u32,
    /// 0: uncached routes only; 1: cached only; 2: both (`ip route get`).
    pub cloned: u8,
    /// `proto P`.
    pub protocol: Option<u8>,
    /// `scope S`.
    pub scope: Option<u8>,
    /// Bit per `RTN_*` type accepted (`type T`); 0 accepts all.
    pub types: u64,
    /// `tos T`.
    pub tos: Option<u8>,
    /// `dev D` / `oif D`.
    pub oif: Option<u32>,
    /// `iif D`.
    pub iif: Option<u32>,
    /// `metric N`.
    pub metric: Option<u32>,
    /// `root P`: routes inside P.
    pub root_dst: Option<Prefix>,
    /// `match P`: routes covering P.
    pub match_dst: Option<Prefix>,
    /// `from root P`.
    pub root_src: Option<Prefix>,
    /// `from match P`.
    pub match_src: Option<Prefix>,
    /// `via P`.
    pub via: Option<Prefix>,
    /// `src P`.
    pub prefsrc: Option<Prefix>,
}

impl Filter {
    /// The filter a listing starts from: table main, uncached routes.
    pub fn listing(family: u8) -> Self {
        Filter {
            family,
            table: u32::from(RT_TABLE_MAIN),
            ..Filter::default()
        }
    }

    /// Whether a route passes (ip's `filter_nlmsg`).
    pub fn accepts(&self, r: &RouteMessage<'_>) -> bool {
        let family = r.family();
        if self.family != AF_UNSPEC && family != self.family {
            return false;
        }
        let cloned = r.flags() & RTM_F_CLONED != 0;
        if (self.cloned == 0 && cloned) || (self.cloned == 1 && !cloned) {
            return false;
        }
        if self.table > 0 && self.table != r.table() {
            return false;
        }
        if self.protocol.is_some_and(|p| p != r.protocol())
            || self.scope.is_some_and(|s| s != r.scope())
            || self.tos.is_some_and(|t| t != r.tos())
        {
            return false;
        }
        if self.types != 0 && self.types & (1u64 << (r.kind() % 64)) == 0 {
            return false;
        }
        let dst = r.attr(RTA_DST).and_then(|a| a.ip());
        let src = r.attr(RTA_SRC).and_then(|a| a.ip());
        if !prefix_selects(self.root_dst, self.match_dst, family, dst, r.dst_len())
            || !prefix_selects(self.root_src, self.match_src, family, src, r.src_len())
        {
            return false;
        }
        if let Some(via) = self.via {
            let via_family = r
                .attr(RTA_VIA)
                .and_then(|a| via_attr(&a))
                .map_or(family, |(f, _)| f);
            if via.family != AF_UNSPEC && via_family != via.family {
                return false;
            }
            let gw = r
                .gateway()
                .or_else(|| r.attr(RTA_VIA).and_then(|a| via_attr(&a)).map(|(_, a)| a));
            if via.bitlen > 0 && !via.matches(gw, via.bitlen) {
                return false;
            }
        }
        if let Some(ps) = self.prefsrc {
            if ps.family != AF_UNSPEC && family != ps.family {
                return false;
            }
            if ps.bitlen > 0 && !ps.matches(r.prefsrc(), ps.bitlen) {
                return false;
            }
        }
        if self.iif.is_some_and(|i| r.iif().unwrap_or(0) != i) {
            return false;
        }
        if let Some(oif) = self.oif {
            match (r.oif(), r.multipath()) {
                (Some(o), _) if o != oif => return false,
                (None, Some(hops)) if !nexthops(hops).any(|h| h.ifindex == oif) => return false,
                // ip passes the device to the kernel, whose dump leaves out device-less routes.
                (None, None) => return false,
                _ => {}
            }
        }
        if self.metric.is_some_and(|m| r.priority().unwrap_or(0) != m) {
            return false;
        }
        true
    }
}

/// ip's root/match/exact selection on one address of a route.
fn prefix_selects(
    root: Option<Prefix>,
    within: Option<Prefix>,
    family: u8,
    addr: Option<IpAddr>,
    len: u8,
) -> bool {
    if let Some(p) = root {
        if (p.family != AF_UNSPEC && p.family != family) || p.bitlen > len {
            return false;
        }
        if !p.matches(addr, p.bitlen) {
            return false;
        }
    }
    if let Some(p) = within {
        if (p.family != AF_UNSPEC && p.family != family) || p.bitlen < len {
            return false;
        }
        if !p.matches(addr, len) {
            return false;
        }
    }
    true
}

/// `struct rtvia`: family, then the address.
fn via_attr(a: &Attr<'_>) -> Option<(u8, IpAddr)> {
    let v = a.value();
    let family = u16::from_ne_bytes(v.get(..2)?.try_into().ok()?);
    let addr = v.get(2..)?;
    match family {
        f if f == u16::from(AF_INET) => {
            let o: [u8; 4] = addr.get(..4)?.try_into().ok()?;
            Some((AF_INET, IpAddr::from(o)))
        }
        f if f == u16::from(AF_INET6) => {
            let o: [u8; 16] = addr.get(..16)?.try_into().ok()?;
            Some((AF_INET6, IpAddr::from(o)))
        }
        _ => None,
    }
}

/// One `struct rtnexthop` of `RTA_MULTIPATH`.
struct NextHop<'a> {
    flags: u8,
    hops: u8,
    ifindex: u32,
    attrs: Attrs<'a>,
}

/// The next hops of `RTA_MULTIPATH`; stops at a truncated or lying record.
fn nexthops(mut rest: &[u8]) -> impl Iterator<Item = NextHop<'_>> {
    std::iter::from_fn(move || {
        let head = rest.get(..8)?;
        let len = usize::from(u16::from_ne_bytes(head.get(..2)?.try_into().ok()?));
        if len < 8 || len > rest.len() {
            return None;
        }
        let hop = NextHop {
            flags: *head.get(2)?,
            hops: *head.get(3)?,
            ifindex: u32::from_ne_bytes(head.get(4..8)?.try_into().ok()?),
            attrs: Attrs::new(rest.get(8..len)?),
        };
        let step = len.checked_add(3).map_or(len, |l| l & !3);
        rest = rest.get(step..).unwrap_or(&[]);
        Some(hop)
    })
}

/// What the printer needs besides the route: names for indexes and ip's global options.
pub struct Context<'a> {
    /// Index-to-name table.
    pub names: &'a LinkCache,
    /// `-d` count.
    pub details: u8,
    /// `-s` count.
    pub stats: u8,
    /// `-o`: one line per route (`\` instead of line breaks).
    pub oneline: bool,
    /// The selector the routes passed (fields it fixed are not printed).
    pub filter: &'a Filter,
}

/// Text or JSON output with ip's `print_*` semantics: in text mode the format is written,
/// in JSON mode the key and value.
pub struct Out<W: Write> {
    /// The JSON writer (its inner writer takes the text).
    pub json: JsonWriter<W>,
    /// Whether this is `-j` output.
    pub is_json: bool,
}

impl<W: Write> Out<W> {
    /// Output over `w`.
    pub fn new(w: W, is_json: bool, pretty: bool) -> Self {
        Out {
            json: JsonWriter::new(w, pretty),
            is_json,
        }
    }
    /// Text-only words.
    pub fn text(&mut self, s: &str) -> io::Result<()> {
        if self.is_json {
            Ok(())
        } else {
            self.json.inner().write_all(s.as_bytes())
        }
    }
    /// `"key": "value"` or `{prefix}{value}{suffix}`.
    fn string(&mut self, key: &str, prefix: &str, value: &str, suffix: &str) -> io::Result<()> {
        if self.is_json {
            self.json.field_str(key, value)
        } else {
            write!(self.json.inner(), "{prefix}{value}{suffix}")
        }
    }
    /// `"key": n` or `{prefix}{n}{suffix}`.
    fn uint(&mut self, key: &str, prefix: &str, value: u64, suffix: &str) -> io::Result<()> {
        if self.is_json {
            self.json.field_uint(key, value)
        } else {
            write!(self.json.inner(), "{prefix}{value}{suffix}")
        }
    }
    /// The underlying writer.
    pub fn writer(&mut self) -> &mut W {
        self.json.inner()
    }
}

/// ip's `%g` (six significant digits) of `ms / 1000`, the metric times it prints in
/// seconds; integer arithmetic keeps float formatting out of the binary.
fn format_g(ms: u32) -> String {
    let ms = u64::from(ms);
    // Round to six significant digits: value = digits * 10^shift / 1000.
    let mut shift = ms.checked_ilog10().unwrap_or(0).saturating_sub(5);
    let div = 10u64.pow(shift);
    let mut digits = (ms + div / 2) / div;
    if digits >= 1_000_000 {
        digits /= 10;
        shift += 1;
    }
    let lead = digits.checked_ilog10().unwrap_or(0);
    let exponent = lead + shift;
    let trimmed = |frac: u64, width: u32| {
        let text = format!("{frac:0width$}", width = width as usize);
        let text = text.trim_end_matches('0');
        if text.is_empty() {
            String::new()
        } else {
            format!(".{text}")
        }
    };
    if exponent >= 9 {
        // %g switches to exponent form from 1e6 seconds on.
        let unit = 10u64.pow(lead);
        let frac = trimmed(digits % unit, lead);
        format!("{}{frac}e+{:02}", digits / unit, exponent - 3)
    } else if shift >= 3 {
        (digits * 10u64.pow(shift - 3)).to_string()
    } else {
        let width = 3 - shift;
        let unit = 10u64.pow(width);
        format!("{}{}", digits / unit, trimmed(digits % unit, width))
    }
}

fn print_flags<W: Write>(out: &mut Out<W>, flags: u32) -> io::Result<()> {
    const NAMES: &[(u32, &str)] = &[
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
    if out.is_json {
        out.json.name("flags")?;
        out.json.start_array()?;
    }
    for &(bit, name) in NAMES {
        if flags & bit != 0 {
            if out.is_json {
                out.json.string(name)?;
            } else {
                write!(out.writer(), "{name} ")?;
            }
        }
    }
    if out.is_json {
        out.json.end_array()?;
    }
    Ok(())
}

fn print_cache_flags<W: Write>(out: &mut Out<W>, flags: u32, line_break: &str) -> io::Result<()> {
    let mut left = flags & !0xffff;
    if out.is_json {
        out.json.name("cache")?;
        out.json.start_array()?;
    } else {
        write!(out.writer(), "{line_break}    cache ")?;
        if left == 0 {
            return Ok(());
        }
        out.writer().write_all(b"<")?;
    }
    for &(bit, name) in CACHE_FLAG_NAMES {
        if left & bit != 0 {
            left &= !bit;
            if out.is_json {
                out.json.string(name)?;
            } else {
                let tail = if left != 0 { "," } else { "> " };
                write!(out.writer(), "{name}{tail}")?;
            }
        }
    }
    if out.is_json {
        out.json.end_array()?;
    } else if left != 0 {
        write!(out.writer(), "{left:x}>")?;
    }
    Ok(())
}

// sysconf returns c_long: 32 bits on 32-bit targets, where the conversion is not a no-op.
#[allow(clippy::useless_conversion)]
fn clock_ticks_per_second() -> i64 {
    // SAFETY: sysconf takes a constant name and has no memory effects.
    let hz = i64::from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) });
    if hz > 0 {
        hz
    } else {
        100
    }
}

fn print_cacheinfo<W: Write>(out: &mut Out<W>, value: &[u8], stats: u8) -> io::Result<()> {
    let word = |i: usize| -> u32 {
        value
            .get(i * 4..i * 4 + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes)
            .unwrap_or(0)
    };
    let (clntref, lastuse, expires, error, used, id, ts, tsage) = (
        word(0),
        word(1),
        word(2) as i32,
        word(3),
        word(4),
        word(5),
        word(6),
        word(7),
    );
    let hz = clock_ticks_per_second();
    if expires != 0 {
        let secs = i64::from(expires) / hz;
        if out.is_json {
            out.json.field_int("expires", secs)?;
        } else {
            write!(out.writer(), "expires {secs}sec ")?;
        }
    }
    if error != 0 {
        out.uint("error", "error ", u64::from(error), " ")?;
    }
    if stats > 0 {
        if clntref != 0 {
            out.uint("users", "users ", u64::from(clntref), " ")?;
        }
        if used != 0 {
            out.uint("used", "used ", u64::from(used), " ")?;
        }
        if lastuse != 0 {
            let age = i64::from(lastuse) / hz;
            out.uint("age", "age ", u64::try_from(age).unwrap_or(0), "sec ")?;
        }
    }
    if id != 0 {
        let text = format!("0x{id:04x}");
        out.string("ipid", "ipid ", &text, " ")?;
    }
    if ts != 0 || tsage != 0 {
        let text = format!("0x{ts:x}");
        out.string("ts", "ts ", &text, "")?;
        out.uint("tsage", "tsage ", u64::from(tsage), "sec ")?;
    }
    Ok(())
}

fn print_metrics<W: Write>(out: &mut Out<W>, metrics: Attrs<'_>) -> io::Result<()> {
    let mut table: [Option<Attr<'_>>; METRIC_NAMES.len()] = [None; METRIC_NAMES.len()];
    let mut lock = 0u32;
    for a in metrics {
        if a.kind() == RTAX_LOCK {
            lock = a.u32().unwrap_or(0);
        } else if let Some(slot) = table.get_mut(usize::from(a.kind())) {
            *slot = Some(a);
        }
    }
    if out.is_json {
        out.json.name("metrics")?;
        out.json.start_array()?;
        out.json.start_object()?;
    }
    for (i, slot) in table.iter().enumerate().skip(2) {
        let locked = u32::try_from(i)
            .ok()
            .and_then(|s| 1u32.checked_shl(s))
            .is_some_and(|bit| lock & bit != 0);
        if slot.is_none() && !locked {
            continue;
        }
        let val = match slot {
            Some(a) if i != RTAX_CC_ALGO => a.u32().unwrap_or(0),
            _ => 0,
        };
        if i == usize::from(RTAX_HOPLIMIT) && val == u32::MAX {
            continue;
        }
        let name = METRIC_NAMES.get(i).copied().unwrap_or("");
        if !out.is_json {
            write!(out.writer(), "{name} ")?;
            if locked {
                out.writer().write_all(b"lock ")?;
            }
        }
        match i {
            RTAX_FEATURES => {
                let mut rest = val;
                if rest & 1 != 0 {
                    if out.is_json {
                        out.json.name("ecn")?;
                        out.json.null()?;
                    } else {
                        out.writer().write_all(b"ecn ")?;
                    }
                    rest &= !1;
                }
                if rest != 0 {
                    out.string("features", "", &format!("{val:#x}"), " ")?;
                }
            }
            RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN => {
                let v = match i {
                    RTAX_RTT => val / 8,
                    RTAX_RTTVAR => val / 4,
                    _ => val,
                };
                if out.is_json {
                    out.json.field_uint(name, u64::from(v))?;
                } else if v >= 1000 {
                    write!(out.writer(), "{}s ", format_g(v))?;
                } else {
                    write!(out.writer(), "{v}ms ")?;
                }
            }
            RTAX_CC_ALGO => {
                let algo = slot.as_ref().and_then(|a| a.str()).unwrap_or("");
                out.string("congestion", "", algo, " ")?;
            }
            _ => out.uint(name, "", u64::from(val), " ")?,
        }
    }
    if out.is_json {
        out.json.end_object()?;
        out.json.end_array()?;
    }
    Ok(())
}

fn print_multipath<W: Write>(
    out: &mut Out<W>,
    ctx: &Context<'_>,
    family: u8,
    hops: &[u8],
    line_break: &str,
) -> io::Result<()> {
    if out.is_json {
        out.json.name("nexthops")?;
        out.json.start_array()?;
    }
    for hop in nexthops(hops) {
        if out.is_json {
            out.json.start_object()?;
        } else {
            write!(out.writer(), "{line_break}\tnexthop ")?;
        }
        for a in hop.attrs {
            if a.kind() == RTA_GATEWAY {
                if let Some(gw) = a.ip() {
                    out.string("gateway", "via ", &format_addr(gw), " ")?;
                }
            } else if a.kind() == RTA_VIA {
                print_via(out, &a)?;
            }
        }
        out.string("dev", "dev ", &ctx.names.name(hop.ifindex), " ")?;
        if family != AF_MPLS {
            out.uint("weight", "weight ", u64::from(hop.hops) + 1, " ")?;
        }
        print_flags(out, u32::from(hop.flags))?;
        if out.is_json {
            out.json.end_object()?;
        }
    }
    if out.is_json {
        out.json.end_array()?;
    }
    Ok(())
}

const AF_MPLS: u8 = 28;

fn family_name(family: u8) -> &'static str {
    match family {
        AF_INET => "inet",
        AF_INET6 => "inet6",
        _ => "unknown",
    }
}

fn print_via<W: Write>(out: &mut Out<W>, a: &Attr<'_>) -> io::Result<()> {
    let Some((family, addr)) = via_attr(a) else {
        return Ok(());
    };
    let host = format_addr(addr);
    if out.is_json {
        out.json.name("via")?;
        out.json.start_object()?;
        out.json.field_str("family", family_name(family))?;
        out.json.field_str("host", &host)?;
        out.json.end_object()
    } else {
        write!(out.writer(), "via {} {host} ", family_name(family))
    }
}

/// Prints one route (`RTM_NEWROUTE`, or `RTM_DELROUTE` as `Deleted ...`) as ip's
/// `print_route` does, including the line break (text) or the object (JSON).
pub fn print_route<W: Write>(
    out: &mut Out<W>,
    ctx: &Context<'_>,
    deleted: bool,
    r: &RouteMessage<'_>,
) -> io::Result<()> {
    let f = ctx.filter;
    let family = r.family();
    let host_len = bit_len(family);
    let flags = r.flags();
    let line_break = if ctx.oneline { "\\" } else { "\n" };
    if out.is_json {
        out.json.start_object()?;
        if deleted {
            out.json.field_bool("deleted", true)?;
        }
    } else if deleted {
        out.text("Deleted ")?;
    }
    let kind = r.kind();
    if (kind != RTN_UNICAST || ctx.details > 0)
        && (f.types == 0 || f.types & (1u64 << (kind % 64)) != 0)
    {
        out.string("type", "", &route_type_name(kind), " ")?;
    }
    let dst = match r.attr(RTA_DST) {
        Some(a) => {
            let text = a.ip().map(format_addr).unwrap_or_default();
            if r.dst_len() != host_len {
                format!("{text}/{}", r.dst_len())
            } else {
                text
            }
        }
        None if r.dst_len() != 0 => format!("0/{} ", r.dst_len()),
        None => "default".to_string(),
    };
    out.string("dst", "", &dst, " ")?;
    match r.attr(RTA_SRC) {
        Some(a) => {
            let text = a.ip().map(format_addr).unwrap_or_default();
            let from = if r.src_len() != host_len {
                format!("{text}/{}", r.src_len())
            } else {
                text
            };
            out.string("from", "from ", &from, " ")?;
        }
        None if r.src_len() != 0 => {
            out.string("src", "from ", &format!("0/{}", r.src_len()), " ")?;
        }
        None => {}
    }
    if let Some(id) = r.attr(RTA_NH_ID).and_then(|a| a.u32()) {
        out.uint("nhid", "nhid ", u64::from(id), " ")?;
    }
    if r.tos() != 0 && f.tos.is_none() {
        out.string("tos", "tos ", &format!("0x{:02x}", r.tos()), " ")?;
    }
    if let Some(gw) = r.gateway() {
        if !matches!(f.via, Some(v) if v.bitlen == host_len) {
            out.string("gateway", "via ", &format_addr(gw), " ")?;
        }
    }
    if let Some(via) = r.attr(RTA_VIA) {
        print_via(out, &via)?;
    }
    if let Some(oif) = r.oif() {
        if f.oif.is_none() {
            out.string("dev", "dev ", &ctx.names.name(oif), " ")?;
        }
    }
    let table = r.table();
    if table != 0 && (table != u32::from(RT_TABLE_MAIN) || ctx.details > 0) && f.table == 0 {
        out.string("table", "table ", &table_name(table), " ")?;
    }
    if flags & RTM_F_CLONED == 0 {
        if (r.protocol() != RTPROT_BOOT || ctx.details > 0) && f.protocol.is_none() {
            out.string("protocol", "proto ", &protocol_name(r.protocol()), " ")?;
        }
        if (r.scope() != RT_SCOPE_UNIVERSE || ctx.details > 0) && f.scope.is_none() {
            out.string("scope", "scope ", &scope_name(r.scope()), " ")?;
        }
    }
    if let Some(ps) = r.prefsrc() {
        if !matches!(f.prefsrc, Some(p) if p.bitlen == host_len) {
            out.string("prefsrc", "src ", &format_addr(ps), " ")?;
        }
    }
    if let Some(metric) = r.priority() {
        if f.metric.is_none() {
            out.uint("metric", "metric ", u64::from(metric), " ")?;
        }
    }
    print_flags(out, flags)?;
    if let Some(mark) = r.attr(RTA_MARK).and_then(|a| a.u32()) {
        if mark != 0 {
            if out.is_json {
                out.json.field_uint("mark", u64::from(mark))?;
            } else if mark >= 16 {
                write!(out.writer(), "mark 0x{mark:x} ")?;
            } else {
                write!(out.writer(), "mark {mark} ")?;
            }
        }
    }
    if let Some(flow) = r.attr(RTA_FLOW).and_then(|a| a.u32()) {
        let (from, to) = (flow >> 16, flow & 0xffff);
        if out.is_json {
            out.json.name("flow")?;
            out.json.start_object()?;
            if from != 0 {
                out.json.field_str("from", &from.to_string())?;
            }
            out.json.field_str("to", &to.to_string())?;
            out.json.end_object()?;
        } else if from != 0 {
            write!(out.writer(), "realms {from}/{to} ")?;
        } else {
            write!(out.writer(), "realm {to} ")?;
        }
    }
    if let Some(uid) = r.attr(RTA_UID).and_then(|a| a.u32()) {
        out.uint("uid", "uid ", u64::from(uid), " ")?;
    }
    if family == AF_INET && flags & RTM_F_CLONED != 0 {
        print_cache_flags(out, flags, line_break)?;
    }
    if family == AF_INET || family == AF_INET6 {
        if let Some(ci) = r.attr(RTA_CACHEINFO) {
            print_cacheinfo(out, ci.value(), ctx.stats)?;
        }
    }
    if let Some(metrics) = r.metrics() {
        print_metrics(out, metrics)?;
    }
    if let Some(iif) = r.iif() {
        if f.iif.is_none() {
            out.string("iif", "iif ", &ctx.names.name(iif), " ")?;
        }
    }
    if let Some(pref) = r.pref() {
        match pref {
            0 => out.string("pref", "pref ", "medium", "")?,
            1 => out.string("pref", "pref ", "high", "")?,
            3 => out.string("pref", "pref ", "low", "")?,
            n => out.uint("pref", "", u64::from(n), "")?,
        }
    }
    if let Some(ttl) = r.attr(RTA_TTL_PROPAGATE).and_then(|a| a.u8()) {
        if out.is_json {
            out.json.field_bool("ttl-propogate", ttl != 0)?;
        } else {
            let word = if ttl != 0 { "enabled" } else { "disabled" };
            write!(out.writer(), "ttl-propogate {word}")?;
        }
    }
    if let Some(hops) = r.multipath() {
        print_multipath(out, ctx, family, hops, line_break)?;
    }
    if out.is_json {
        out.json.end_object()
    } else {
        out.writer().write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nexthops_stop_at_bad_lengths() {
        // One good hop (len 8, ifindex 3), then a record claiming 200 bytes.
        let mut bytes = vec![8, 0, 0, 1, 3, 0, 0, 0];
        bytes.extend_from_slice(&[200, 0, 0, 0, 4, 0, 0, 0]);
        let hops: Vec<_> = nexthops(&bytes).map(|h| (h.ifindex, h.hops)).collect();
        assert_eq!(hops, vec![(3, 1)]);
        assert_eq!(nexthops(&[1, 2, 3]).count(), 0);
        assert_eq!(nexthops(&[4, 0, 0, 0, 0, 0, 0, 0]).count(), 0);
    }
}

#[cfg(test)]
mod format_g_tests {
    use super::format_g;

    #[test]
    fn matches_printf_g() {
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
}
