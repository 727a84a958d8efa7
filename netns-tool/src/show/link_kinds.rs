//! `-d`: the `IFLA_INFO_DATA` of the kinds ip 6.1 describes that nsip knows — bridge and
//! its ports, vxlan, macvlan, macvtap, vlan, ipvlan, ipvtap, vrf and tun — in ip's order,
//! text and JSON.

use std::io::{self, Write};

use netlink_core::wire::Attr;

use super::link_rows::{print_rows, Field::*, Row, BRIDGE_ROWS, PORT_ROWS};
use super::route_out::StickyOut;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::names::mac;
use crate::toolbox::output::Out;
use crate::toolbox::owners::OwnerNames;

/// A kind whose data `-d` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Described {
    Bridge,
    /// A bridge's port (`bridge_slave`).
    BridgePort,
    Vxlan,
    /// macvlan and macvtap.
    Macvlan,
    Vlan,
    /// ipvlan and ipvtap.
    Ipvlan,
    Vrf,
    Tun,
}

/// The kinds whose data `-d` prints (ip opens their `info_data` object even when the
/// kernel sent no data).
const DESCRIBED: [(&str, Described); 9] = [
    ("bridge", Described::Bridge),
    ("vxlan", Described::Vxlan),
    ("macvlan", Described::Macvlan),
    ("macvtap", Described::Macvlan),
    ("vlan", Described::Vlan),
    ("ipvlan", Described::Ipvlan),
    ("ipvtap", Described::Ipvlan),
    ("vrf", Described::Vrf),
    ("tun", Described::Tun),
];

/// How `-d` prints the data of `kind`, if it does.
pub fn described(kind: &str) -> Option<Described> {
    DESCRIBED
        .iter()
        .find(|(name, _)| *name == kind)
        .map(|&(_, d)| d)
}

/// Prints the data of a described kind from its attribute table; `sl` is ip's `_SL_` (a
/// newline, or `\\` under `-o`).
pub fn print_kind_data<W: Write>(
    out: &mut Out<W>,
    kind: Described,
    tb: &[Option<Attr<'_>>],
    names: (&LinkCache, &OwnerNames),
    sl: &str,
) -> io::Result<()> {
    let (cache, _) = names;
    // The kinds made of rows alone.
    let rows: &[Row] = match kind {
        Described::Bridge => BRIDGE_ROWS,
        Described::BridgePort => PORT_ROWS,
        Described::Vrf => &[(VRF_TABLE, U32, "table", "table")],
        Described::Vxlan => return print_vxlan(out, &Table(tb), cache),
        Described::Macvlan => return print_macvlan(out, &Table(tb), cache),
        Described::Vlan => return super::link_vlan::print_vlan(out, tb, sl),
        Described::Ipvlan => return super::link_vlan::print_ipvlan(out, tb),
        Described::Tun => return super::link_tun::print_tun(out, tb, names),
    };
    print_rows(out, tb, rows, cache)
}

/// An attribute table by type.
struct Table<'t, 'a>(&'t [Option<Attr<'a>>]);

impl<'a> Table<'_, 'a> {
    fn get(&self, kind: usize) -> Option<Attr<'a>> {
        self.0.get(kind).copied().flatten()
    }
    fn u8(&self, kind: usize) -> Option<u8> {
        self.get(kind).and_then(|a| a.u8())
    }
    fn u32(&self, kind: usize) -> Option<u32> {
        self.get(kind).and_then(|a| a.u32())
    }
    /// A u8 flag that is there and not zero.
    fn on(&self, kind: usize) -> bool {
        self.u8(kind).is_some_and(|v| v != 0)
    }
}

mod vxlan {
    pub const ID: usize = 1;
    pub const GROUP: usize = 2;
    pub const LINK: usize = 3;
    pub const LOCAL: usize = 4;
    pub const TTL: usize = 5;
    pub const TOS: usize = 6;
    pub const LEARNING: usize = 7;
    pub const AGEING: usize = 8;
    pub const LIMIT: usize = 9;
    pub const PORT_RANGE: usize = 10;
    pub const PROXY: usize = 11;
    pub const RSC: usize = 12;
    pub const L2MISS: usize = 13;
    pub const L3MISS: usize = 14;
    pub const PORT: usize = 15;
    pub const GROUP6: usize = 16;
    pub const LOCAL6: usize = 17;
    pub const UDP_CSUM: usize = 18;
    pub const ZERO_CSUM6_TX: usize = 19;
    pub const ZERO_CSUM6_RX: usize = 20;
    pub const REMCSUM_TX: usize = 21;
    pub const REMCSUM_RX: usize = 22;
    pub const GBP: usize = 23;
    pub const COLLECT_METADATA: usize = 25;
    pub const LABEL: usize = 26;
    pub const GPE: usize = 27;
    pub const TTL_INHERIT: usize = 28;
    pub const DF: usize = 29;
}

/// The vxlan fields that print as plain rows, in ip's order, around those printed by hand.
#[rustfmt::skip] // one attribute a line: a table, not code
mod rows {
    use super::vxlan::*;
    use crate::show::link_rows::{Field::*, Row};

    pub const HEAD: &[Row] = &[(COLLECT_METADATA, Set, "external", "external"), (ID, U32, "id", "id")];
    pub const LINK: &[Row] = &[(super::vxlan::LINK, NonZeroDevice, "link", "dev")];
    pub const PORT: &[Row] = &[(super::vxlan::PORT, Be16, "port", "dstport")];
    pub const SWITCHES: &[Row] = &[
        (PROXY, Set, "proxy", "proxy"),
        (RSC, Set, "rsc", "rsc"),
        (L2MISS, Set, "l2miss", "l2miss"),
        (L3MISS, Set, "l3miss", "l3miss"),
    ];
    pub const TAIL: &[Row] = &[
        (LIMIT, NonZeroU32, "limit", "maxaddr"),
        (UDP_CSUM, NoWord, "udp_csum", "udpcsum"),
        (ZERO_CSUM6_TX, NoWord, "udp_zero_csum6_tx", "udp6zerocsumtx"),
        (ZERO_CSUM6_RX, NoWord, "udp_zero_csum6_rx", "udp6zerocsumrx"),
        (REMCSUM_TX, Set, "remcsum_tx", "remcsumtx"),
        (REMCSUM_RX, Set, "remcsum_rx", "remcsumrx"),
        (GBP, Present, "gbp", "gbp"),
        (GPE, Present, "gpe", "gpe"),
    ];
}

fn print_vxlan<W: Write>(
    out: &mut Out<W>,
    tb: &Table<'_, '_>,
    cache: &LinkCache,
) -> io::Result<()> {
    use vxlan::*;
    // Some twenty writes: each tested once, in the output (see StickyOut).
    let mut out = StickyOut::new(out);
    out.with(|o| print_rows(o, tb.0, rows::HEAD, cache));
    out.with(|o| print_vxlan_addresses(o, tb));
    out.with(|o| print_rows(o, tb.0, rows::LINK, cache));
    if let (Some(low), Some(high)) = port_range(tb) {
        out.open_object(Some("port_range"));
        out.with(|o| o.json_uint("low", u64::from(low)));
        out.with(|o| o.json_uint("high", u64::from(high)));
        out.close_object();
        out.text(format_args!("srcport {low} {high} "));
    }
    out.with(|o| print_rows(o, tb.0, rows::PORT, cache));
    if let Some(learning) = tb.u8(LEARNING) {
        out.with(|o| o.json_bool("learning", learning != 0));
        if learning == 0 {
            out.text_str("nolearning ");
        }
    }
    out.with(|o| print_rows(o, tb.0, rows::SWITCHES, cache));
    print_vxlan_ip_fields(&mut out, tb);
    match tb.u32(AGEING) {
        Some(0) => out.with(|o| o.uint("ageing", format_args!("ageing none "), 0)),
        Some(age) => out.put_uint("ageing", "ageing ", u64::from(age), " "),
        None => {}
    }
    out.with(|o| print_rows(o, tb.0, rows::TAIL, cache));
    out.finish()
}

fn port_range(tb: &Table<'_, '_>) -> (Option<u16>, Option<u16>) {
    let Some(v) = tb.get(vxlan::PORT_RANGE).map(|a| a.value()) else {
        return (None, None);
    };
    let be = |at: usize| Some(u16::from_be_bytes([*v.get(at)?, *v.get(at + 1)?]));
    (be(0), be(2))
}

/// `group|remote`, then `local`, IPv4 or IPv6 (an unspecified address is left out).
fn print_vxlan_addresses<W: Write>(out: &mut Out<W>, tb: &Table<'_, '_>) -> io::Result<()> {
    use vxlan::*;
    // (IPv4 attribute, IPv6 attribute, whether it is the remote end).
    const ADDRESSES: [(usize, usize, bool); 2] = [(GROUP, GROUP6, true), (LOCAL, LOCAL6, false)];
    for &(v4, v6, remote) in &ADDRESSES {
        let ip = |kind| tb.get(kind).and_then(|a| a.ip());
        let addr = ip(v4).or_else(|| ip(v6));
        let Some(addr) = addr.filter(|a| !a.is_unspecified()) else {
            continue;
        };
        let (key4, key6, before) = match (remote, addr.is_multicast()) {
            (false, _) => ("local", "local6", "local "),
            (true, true) => ("group", "group6", "group "),
            (true, false) => ("remote", "remote6", "remote "),
        };
        let key = if addr.is_ipv6() { key6 } else { key4 };
        out.put_str(key, before, &addr.to_string(), " ")?;
    }
    Ok(())
}

/// `tos`, `ttl` (`auto` for 0, `inherit`), `df`, `flowlabel`.
fn print_vxlan_ip_fields<W: Write>(out: &mut StickyOut<'_, W>, tb: &Table<'_, '_>) {
    use vxlan::*;
    match tb.u8(TOS).unwrap_or(0) {
        0 => {}
        1 if !out.is_json() => out.text_str("tos inherit "),
        tos => {
            let hex = format!("{tos:#x}");
            out.put_str("tos", "tos ", &hex, " ");
        }
    }
    if tb.on(TTL_INHERIT) {
        out.text_str("ttl inherit ");
    } else {
        let ttl = tb.u8(TTL).unwrap_or(0);
        if ttl != 0 || out.is_json() {
            out.put_uint("ttl", "ttl ", u64::from(ttl), " ");
        } else {
            out.text_str("ttl auto ");
        }
    }
    match tb.u8(DF) {
        Some(0) => out.with(|o| o.json_str("df", "unset")),
        Some(df @ 1..=2) => {
            let name = if df == 1 { "set" } else { "inherit" };
            out.put_str("df", "df ", name, " ");
        }
        _ => {}
    }
    if let Some(label) = tb.u32(LABEL).map(u32::from_be).filter(|&l| l != 0) {
        let hex = format!("{label:#x}");
        out.put_str("label", "flowlabel ", &hex, " ");
    }
}

/// ip's `vrf_print_opt`: `table N `.
const VRF_TABLE: usize = 1;

const MACVLAN_MODE: usize = 1;
const MACVLAN_FLAGS: usize = 2;
const MACVLAN_MACADDR: u16 = 4;
const MACVLAN_MACADDR_DATA: usize = 5;
const MACVLAN_MACADDR_COUNT: usize = 6;
const MACVLAN_BC_QUEUE_LEN: usize = 7;
const MACVLAN_BC_QUEUE_LEN_USED: usize = 8;
const MACVLAN_MODE_SOURCE: u32 = 16;

fn macvlan_mode_name(mode: u32) -> &'static str {
    match mode {
        1 => "private",
        2 => "vepa",
        4 => "bridge",
        8 => "passthru",
        MACVLAN_MODE_SOURCE => "source",
        _ => "unknown",
    }
}

fn print_macvlan<W: Write>(
    out: &mut Out<W>,
    tb: &Table<'_, '_>,
    cache: &LinkCache,
) -> io::Result<()> {
    let Some(mode) = tb.u32(MACVLAN_MODE) else {
        return Ok(());
    };
    let name = macvlan_mode_name(mode);
    out.put_str("mode", "mode ", name, " ")?;
    let flags = tb.get(MACVLAN_FLAGS).and_then(|a| a.u16()).unwrap_or(0);
    const FLAGS: [(u16, &str); 2] = [(1, "nopromisc"), (2, "nodst")];
    for &(bit, key) in &FLAGS {
        if flags & bit != 0 {
            out.boolean(key, format_args!("{key} "), true)?;
        }
    }
    const QUEUES: &[Row] = &[
        (MACVLAN_BC_QUEUE_LEN, U32, "bcqueuelen", "bcqueuelen"),
        (
            MACVLAN_BC_QUEUE_LEN_USED,
            U32,
            "usedbcqueuelen",
            "usedbcqueuelen",
        ),
    ];
    print_rows(out, tb.0, QUEUES, cache)?;
    if mode != MACVLAN_MODE_SOURCE {
        return Ok(());
    }
    let Some(count) = tb.u32(MACVLAN_MACADDR_COUNT) else {
        return Ok(());
    };
    out.put_int("macaddr_count", "remotes (", i64::from(count), ") ")?;
    let Some(data) = tb.get(MACVLAN_MACADDR_DATA) else {
        return Ok(());
    };
    out.open_array(Some("macaddr_data"))?;
    for a in data.nested() {
        if a.kind() == MACVLAN_MACADDR && a.value().len() >= 6 {
            let m = mac(a.value().get(..6).unwrap_or_default());
            out.element(format_args!("{m} "), &m)?;
        }
    }
    out.close_array()
}
