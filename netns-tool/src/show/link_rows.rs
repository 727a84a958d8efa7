//! `-d`: a kind's data printed as rows (attribute, how its value reads and prints, JSON key,
//! text word): the bridge's, a bridge port's, and the plain fields of the other kinds.

use std::io::{self, Write};

use netlink_core::wire::Attr;

use super::link_vlan::print_vlan_protocol;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::names::mac;
use crate::toolbox::output::Out;
use Field::*;

/// `struct ifla_bridge_id` as `8000.aa:bb:cc:dd:ee:ff`.
fn bridge_id(a: Attr<'_>) -> Option<String> {
    use std::fmt::Write as _;
    let v = a.value();
    let [p0, p1] = *v.get(..2)? else { return None };
    let addr = v.get(2..8)?;
    // ip pads the priority but not the address octets.
    let mut id = format!("{p0:02x}{p1:02x}.");
    for (i, b) in addr.iter().enumerate() {
        let sep = if i > 0 { ":" } else { "" };
        let _ = write!(id, "{sep}{b:x}");
    }
    Some(id)
}

fn hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}
/// How a row's attribute reads and prints.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    U8,
    U16,
    U32,
    U64,
    /// Hundredths of a second, as ip's `%7.2f`.
    Timer,
    /// `struct ifla_bridge_id`.
    BridgeId,
    /// A u16 in hex (`0` for zero).
    Hex16,
    /// A u8 as `on` / `off` (JSON true / false).
    OnOff,
    /// `IFLA_BR_VLAN_PROTOCOL`: a u16 in network order, named.
    VlanProtocol,
    /// A hardware address.
    Mac,
    /// `IFLA_BR_MULTI_BOOLOPT`: value and mask words, one row per known bit.
    BoolOpts,
    /// `IFLA_BRPORT_STATE`: a u8 named as ip names the port states.
    PortState,
    /// A u8 printed again as `on` / `off` in text only (ip's second fast-leave).
    TextOnOff,
    /// `IFLA_BRPORT_GROUP_FWD_MASK`: hex, then again as `_str`.
    FwdMask,
    /// An ifindex, printed as its name.
    Device,
    /// [`Field::Device`] left out when 0.
    NonZeroDevice,
    /// [`Field::U32`] left out when 0.
    NonZeroU32,
    /// A u16 in network order (a port).
    Be16,
    /// A u8 that is not 0: the word alone (JSON true); nothing for 0.
    Set,
    /// Any value: the word alone (JSON true).
    Present,
    /// A u8 as the word, `no` before it for 0 (JSON true / false).
    NoWord,
}

/// One row: (attribute type, field, JSON key, text word).
pub type Row = (usize, Field, &'static str, &'static str);

const PORT_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

/// The bits of `IFLA_BR_MULTI_BOOLOPT` ip names.
const BOOL_OPTS: [(u32, &str); 2] = [(0, "no_linklocal_learn"), (1, "mcast_vlan_snooping")];

/// Prints the rows whose attribute `tb` has, in the rows' order.
pub fn print_rows<W: Write>(
    out: &mut Out<W>,
    tb: &[Option<Attr<'_>>],
    rows: &[Row],
    cache: &LinkCache,
) -> io::Result<()> {
    for &(kind, field, key, word) in rows {
        if let Some(a) = tb.get(kind).copied().flatten() {
            print_field(out, a, field, key, word, cache)?;
        }
    }
    Ok(())
}

/// The number a plain field holds, read at its width.
fn number(a: Attr<'_>, field: Field) -> Option<u64> {
    match field {
        Field::U8 | Field::OnOff | Field::PortState | Field::TextOnOff => a.u8().map(u64::from),
        Field::U16 | Field::Hex16 | Field::FwdMask => a.u16().map(u64::from),
        Field::U32 | Field::Device => a.u32().map(u64::from),
        Field::NonZeroU32 | Field::NonZeroDevice => a.u32().filter(|&v| v != 0).map(u64::from),
        Field::U64 | Field::Timer => a.u64(),
        Field::Be16 => match *a.value() {
            [hi, lo, ..] => Some(u64::from(u16::from_be_bytes([hi, lo]))),
            _ => None,
        },
        Field::Set => a.u8().filter(|&v| v != 0).map(u64::from),
        Field::NoWord => a.u8().map(u64::from),
        Field::Present => Some(1),
        Field::BridgeId | Field::VlanProtocol | Field::Mac | Field::BoolOpts => None,
    }
}

// Out of line: inlined into the rows' loop it is compiled larger.
#[inline(never)]
fn print_field<W: Write>(
    out: &mut Out<W>,
    a: Attr<'_>,
    field: Field,
    key: &str,
    word: &str,
    cache: &LinkCache,
) -> io::Result<()> {
    match field {
        Field::BridgeId => match bridge_id(a) {
            Some(id) => out.string(key, format_args!("{word} {id} "), &id),
            None => Ok(()),
        },
        Field::VlanProtocol => print_vlan_protocol(out, a, key, word),
        Field::Mac => {
            let m = mac(a.value());
            out.string(key, format_args!("{word} {m} "), &m)
        }
        Field::BoolOpts => print_bool_opts(out, a),
        _ => match number(a, field) {
            Some(v) => print_number(out, v, field, key, word, cache),
            None => Ok(()),
        },
    }
}

fn print_number<W: Write>(
    out: &mut Out<W>,
    v: u64,
    field: Field,
    key: &str,
    word: &str,
    cache: &LinkCache,
) -> io::Result<()> {
    let on = if v != 0 { "on" } else { "off" };
    match field {
        Field::Timer => {
            // ip's "%.2f" of hundredths, without float formatting.
            let secs = format!("{}.{:02}", v / 100, v % 100);
            out.raw_number(
                key,
                format_args!("{word} {secs:>7} "),
                format_args!("{secs}"),
            )
        }
        Field::Hex16 => {
            let h = hex(v);
            out.string(key, format_args!("{word} {h} "), &h)
        }
        Field::OnOff => out.boolean(key, format_args!("{word} {on} "), v != 0),
        Field::Set | Field::Present => out.boolean(key, format_args!("{word} "), true),
        Field::NoWord => {
            let no = if v == 0 { "no" } else { "" };
            out.boolean(key, format_args!("{no}{word} "), v != 0)
        }
        Field::TextOnOff => out.text(format_args!("{word} {on} ")),
        Field::PortState => match usize::try_from(v).ok().and_then(|i| PORT_STATES.get(i)) {
            Some(s) => out.string(key, format_args!("{word} {s} "), s),
            None => out.uint(key, format_args!("{word} {v} "), v),
        },
        Field::FwdMask => {
            let h = hex(v);
            out.string(key, format_args!("{word} {h} "), &h)?;
            // `{:#x}` of 0 is already ip's "0x0".
            let s = format!("{v:#x}");
            out.string(
                "group_fwd_mask_str",
                format_args!("group_fwd_mask_str {s} "),
                &s,
            )
        }
        Field::Device | Field::NonZeroDevice => {
            let n = cache.name(u32::try_from(v).unwrap_or(0));
            out.string(key, format_args!("{word} {n} "), &n)
        }
        _ => out.uint(key, format_args!("{word} {v} "), v),
    }
}

fn print_bool_opts<W: Write>(out: &mut Out<W>, a: Attr<'_>) -> io::Result<()> {
    let v = a.value();
    let word = |i: usize| {
        v.get(i * 4..i * 4 + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes)
    };
    let (Some(val), Some(mask)) = (word(0), word(1)) else {
        return Ok(());
    };
    for &(bit, key) in &BOOL_OPTS {
        if mask & (1 << bit) != 0 {
            let on = u64::from(val >> bit & 1);
            out.uint(key, format_args!("{key} {on} "), on)?;
        }
    }
    Ok(())
}

/// `IFLA_BR_*` in ip's order.
#[rustfmt::skip] // one attribute a line: a table, not code
pub const BRIDGE_ROWS: &[Row] = &[
    (1, U32, "forward_delay", "forward_delay"),
    (2, U32, "hello_time", "hello_time"),
    (3, U32, "max_age", "max_age"),
    (4, U32, "ageing_time", "ageing_time"),
    (5, U32, "stp_state", "stp_state"),
    (6, U16, "priority", "priority"),
    (7, U8, "vlan_filtering", "vlan_filtering"),
    (8, VlanProtocol, "vlan_protocol", "vlan_protocol"),
    (11, BridgeId, "bridge_id", "bridge_id"),
    (10, BridgeId, "root_id", "designated_root"),
    (12, U16, "root_port", "root_port"),
    (13, U32, "root_path_cost", "root_path_cost"),
    (14, U8, "topology_change", "topology_change"),
    (15, U8, "topology_change_detected", "topology_change_detected"),
    (16, Timer, "hello_timer", "hello_timer"),
    (17, Timer, "tcn_timer", "tcn_timer"),
    (18, Timer, "topology_change_timer", "topology_change_timer"),
    (19, Timer, "gc_timer", "gc_timer"),
    (39, U16, "vlan_default_pvid", "vlan_default_pvid"),
    (41, U8, "vlan_stats_enabled", "vlan_stats_enabled"),
    (45, U8, "vlan_stats_per_port", "vlan_stats_per_port"),
    (9, Hex16, "group_fwd_mask", "group_fwd_mask"),
    (20, Mac, "group_addr", "group_address"),
    (23, U8, "mcast_snooping", "mcast_snooping"),
    (46, BoolOpts, "", ""),
    (22, U8, "mcast_router", "mcast_router"),
    (24, U8, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr"),
    (25, U8, "mcast_querier", "mcast_querier"),
    (26, U32, "mcast_hash_elasticity", "mcast_hash_elasticity"),
    (27, U32, "mcast_hash_max", "mcast_hash_max"),
    (28, U32, "mcast_last_member_cnt", "mcast_last_member_count"),
    (29, U32, "mcast_startup_query_cnt", "mcast_startup_query_count"),
    (30, U64, "mcast_last_member_intvl", "mcast_last_member_interval"),
    (31, U64, "mcast_membership_intvl", "mcast_membership_interval"),
    (32, U64, "mcast_querier_intvl", "mcast_querier_interval"),
    (33, U64, "mcast_query_intvl", "mcast_query_interval"),
    (34, U64, "mcast_query_response_intvl", "mcast_query_response_interval"),
    (35, U64, "mcast_startup_query_intvl", "mcast_startup_query_interval"),
    (42, U8, "mcast_stats_enabled", "mcast_stats_enabled"),
    (43, U8, "mcast_igmp_version", "mcast_igmp_version"),
    (44, U8, "mcast_mld_version", "mcast_mld_version"),
    (36, U8, "nf_call_iptables", "nf_call_iptables"),
    (37, U8, "nf_call_ip6tables", "nf_call_ip6tables"),
    (38, U8, "nf_call_arptables", "nf_call_arptables"),
];

/// `IFLA_BRPORT_*` in ip's order.
pub const PORT_ROWS: &[Row] = &[
    (1, PortState, "state", "state"),
    (2, U16, "priority", "priority"),
    (3, U32, "cost", "cost"),
    (4, OnOff, "hairpin", "hairpin"),
    (5, OnOff, "guard", "guard"),
    (6, OnOff, "root_block", "root_block"),
    (7, OnOff, "fastleave", "fastleave"),
    (8, OnOff, "learning", "learning"),
    (9, OnOff, "flood", "flood"),
    (17, Hex16, "id", "port_id"),
    (18, Hex16, "no", "port_no"),
    (15, U16, "designated_port", "designated_port"),
    (16, U16, "designated_cost", "designated_cost"),
    (14, BridgeId, "bridge_id", "designated_bridge"),
    (13, BridgeId, "root_id", "designated_root"),
    (23, Timer, "hold_timer", "hold_timer"),
    (21, Timer, "message_age_timer", "message_age_timer"),
    (22, Timer, "forward_delay_timer", "forward_delay_timer"),
    (19, U8, "topology_change_ack", "topology_change_ack"),
    (20, U8, "config_pending", "config_pending"),
    (10, OnOff, "proxy_arp", "proxy_arp"),
    (12, OnOff, "proxy_arp_wifi", "proxy_arp_wifi"),
    (25, U8, "multicast_router", "mcast_router"),
    (7, TextOnOff, "", "mcast_fast_leave"),
    (27, OnOff, "mcast_flood", "mcast_flood"),
    (30, OnOff, "bcast_flood", "bcast_flood"),
    (28, OnOff, "mcast_to_unicast", "mcast_to_unicast"),
    (32, OnOff, "neigh_suppress", "neigh_suppress"),
    (31, FwdMask, "group_fwd_mask", "group_fwd_mask"),
    (29, OnOff, "vlan_tunnel", "vlan_tunnel"),
    (33, OnOff, "isolated", "isolated"),
    (39, OnOff, "locked", "locked"),
    (34, Device, "backup_port", "backup_port"),
];
