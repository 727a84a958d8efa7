//! `-d`: the `IFLA_LINKINFO` part of a link as ip 6.1 prints it — the kind line, and the
//! data of the kinds this tool makes (bridge, and a bridge's ports).

use std::io::{self, Write};

use netlink_core::route::LinkInfo;
use netlink_core::wire::{Attr, Attrs};

use crate::toolbox::cache::LinkCache;
use crate::toolbox::names::mac;
use crate::toolbox::output::Out;

/// The kind line(s): `\n    veth `, `\n    bridge forward_delay ...`,
/// `\n    bridge_slave state ...`; JSON `linkinfo.{info_kind,info_data,info_slave_kind,...}`.
pub fn print_link_info<W: Write>(
    out: &mut Out<W>,
    info: &LinkInfo<'_>,
    cache: &LinkCache,
) -> io::Result<()> {
    out.open_object(Some("linkinfo"))?;
    if let Some(kind) = info.kind {
        out.string("info_kind", format_args!("\n    {kind} "), kind)?;
        if kind == "bridge" {
            out.open_object(Some("info_data"))?;
            if let Some(data) = info.data.clone() {
                print_bridge(out, data)?;
            }
            out.close_object()?;
        }
    }
    if let Some(slave) = info.slave_kind {
        out.string(
            "info_slave_kind",
            format_args!("\n    {slave}_slave "),
            slave,
        )?;
        if slave == "bridge" {
            out.open_object(Some("info_slave_data"))?;
            if let Some(data) = info.slave_data.clone() {
                print_bridge_port(out, data, cache)?;
            }
            out.close_object()?;
        }
    }
    out.close_object()
}

/// Attributes of a nest in a table indexed by type (only the first of each type counts).
fn table(attrs: Attrs<'_>) -> Vec<Option<Attr<'_>>> {
    let mut tb: Vec<Option<Attr<'_>>> = vec![None; 64];
    for a in attrs {
        if let Some(slot) = tb.get_mut(usize::from(a.kind())) {
            if slot.is_none() {
                *slot = Some(a);
            }
        }
    }
    tb
}

fn get<'a>(tb: &[Option<Attr<'a>>], kind: usize) -> Option<Attr<'a>> {
    tb.get(kind).copied().flatten()
}

/// `struct ifla_bridge_id` as `8000.aa:bb:cc:dd:ee:ff`.
fn bridge_id(a: Attr<'_>) -> Option<String> {
    let v = a.value();
    let prio = v.get(..2)?;
    let addr = v.get(2..8)?;
    // ip pads the priority but not the address octets.
    let octets: Vec<String> = addr.iter().map(|b| format!("{b:x}")).collect();
    Some(format!(
        "{:02x}{:02x}.{}",
        prio[0],
        prio[1],
        octets.join(":")
    ))
}

fn hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

enum Field {
    U8,
    U16,
    U32,
    U64,
    Timer,
    BridgeId,
    Hex16,
    OnOff,
}

fn print_field<W: Write>(
    out: &mut Out<W>,
    a: Attr<'_>,
    field: &Field,
    key: &str,
    word: &str,
) -> io::Result<()> {
    let num = |a: Attr<'_>, f: &Field| -> Option<u64> {
        match f {
            Field::U8 | Field::OnOff => a.u8().map(u64::from),
            Field::U16 | Field::Hex16 => a.u16().map(u64::from),
            Field::U32 => a.u32().map(u64::from),
            Field::U64 | Field::Timer => a.u64(),
            Field::BridgeId => None,
        }
    };
    match field {
        Field::BridgeId => {
            if let Some(id) = bridge_id(a) {
                out.string(key, format_args!("{word} {id} "), &id)?;
            }
        }
        Field::Timer => {
            if let Some(v) = num(a, field) {
                // Hundredths of a second, printed as ip's "%.2f" without float formatting.
                let secs = format!("{}.{:02}", v / 100, v % 100);
                out.raw_number(
                    key,
                    format_args!("{word} {secs:>7} "),
                    format_args!("{secs}"),
                )?;
            }
        }
        Field::Hex16 => {
            if let Some(v) = num(a, field) {
                let h = hex(v);
                out.string(key, format_args!("{word} {h} "), &h)?;
            }
        }
        Field::OnOff => {
            if let Some(v) = num(a, field) {
                let on = if v != 0 { "on" } else { "off" };
                out.boolean(key, format_args!("{word} {on} "), v != 0)?;
            }
        }
        _ => {
            if let Some(v) = num(a, field) {
                out.uint(key, format_args!("{word} {v} "), v)?;
            }
        }
    }
    Ok(())
}

fn print_bridge<W: Write>(out: &mut Out<W>, data: Attrs<'_>) -> io::Result<()> {
    use Field::*;
    let tb = table(data);
    let head: [(usize, Field, &str, &str); 18] = [
        (1, U32, "forward_delay", "forward_delay"),
        (2, U32, "hello_time", "hello_time"),
        (3, U32, "max_age", "max_age"),
        (4, U32, "ageing_time", "ageing_time"),
        (5, U32, "stp_state", "stp_state"),
        (6, U16, "priority", "priority"),
        (7, U8, "vlan_filtering", "vlan_filtering"),
        (11, BridgeId, "bridge_id", "bridge_id"),
        (10, BridgeId, "root_id", "designated_root"),
        (12, U16, "root_port", "root_port"),
        (13, U32, "root_path_cost", "root_path_cost"),
        (14, U8, "topology_change", "topology_change"),
        (
            15,
            U8,
            "topology_change_detected",
            "topology_change_detected",
        ),
        (16, Timer, "hello_timer", "hello_timer"),
        (17, Timer, "tcn_timer", "tcn_timer"),
        (18, Timer, "topology_change_timer", "topology_change_timer"),
        (19, Timer, "gc_timer", "gc_timer"),
        (39, U16, "vlan_default_pvid", "vlan_default_pvid"),
    ];
    for (i, (kind, field, key, word)) in head.iter().enumerate() {
        if i == 7 {
            // IFLA_BR_VLAN_PROTOCOL, network order.
            if let Some(p) = get(&tb, 8).and_then(|a| a.value().get(..2)) {
                let proto = u16::from_be_bytes([p[0], p[1]]);
                let name = match proto {
                    0x8100 => "802.1Q".to_string(),
                    0x88a8 => "802.1ad".to_string(),
                    n => format!("{n:#06x}"),
                };
                out.string(
                    "vlan_protocol",
                    format_args!("vlan_protocol {name} "),
                    &name,
                )?;
            }
        }
        if let Some(a) = get(&tb, *kind) {
            print_field(out, a, field, key, word)?;
        }
    }
    let vlan_stats: [(usize, Field, &str, &str); 2] = [
        (41, U8, "vlan_stats_enabled", "vlan_stats_enabled"),
        (45, U8, "vlan_stats_per_port", "vlan_stats_per_port"),
    ];
    for (kind, field, key, word) in &vlan_stats {
        if let Some(a) = get(&tb, *kind) {
            print_field(out, a, field, key, word)?;
        }
    }
    if let Some(a) = get(&tb, 9) {
        print_field(out, a, &Hex16, "group_fwd_mask", "group_fwd_mask")?;
    }
    if let Some(a) = get(&tb, 20) {
        let m = mac(a.value());
        out.string("group_addr", format_args!("group_address {m} "), &m)?;
    }
    if let Some(a) = get(&tb, 23) {
        print_field(out, a, &U8, "mcast_snooping", "mcast_snooping")?;
    }
    if let Some(v) = get(&tb, 46).map(|a| a.value()) {
        let word = |i: usize| {
            v.get(i * 4..i * 4 + 4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_ne_bytes)
        };
        if let (Some(val), Some(mask)) = (word(0), word(1)) {
            for (bit, key) in [(0u32, "no_linklocal_learn"), (1, "mcast_vlan_snooping")] {
                if mask & (1 << bit) != 0 {
                    let on = u64::from(val >> bit & 1);
                    out.uint(key, format_args!("{key} {on} "), on)?;
                }
            }
        }
    }
    let tail: [(usize, Field, &str, &str); 19] = [
        (22, U8, "mcast_router", "mcast_router"),
        (24, U8, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr"),
        (25, U8, "mcast_querier", "mcast_querier"),
        (26, U32, "mcast_hash_elasticity", "mcast_hash_elasticity"),
        (27, U32, "mcast_hash_max", "mcast_hash_max"),
        (28, U32, "mcast_last_member_cnt", "mcast_last_member_count"),
        (
            29,
            U32,
            "mcast_startup_query_cnt",
            "mcast_startup_query_count",
        ),
        (
            30,
            U64,
            "mcast_last_member_intvl",
            "mcast_last_member_interval",
        ),
        (
            31,
            U64,
            "mcast_membership_intvl",
            "mcast_membership_interval",
        ),
        (32, U64, "mcast_querier_intvl", "mcast_querier_interval"),
        (33, U64, "mcast_query_intvl", "mcast_query_interval"),
        (
            34,
            U64,
            "mcast_query_response_intvl",
            "mcast_query_response_interval",
        ),
        (
            35,
            U64,
            "mcast_startup_query_intvl",
            "mcast_startup_query_interval",
        ),
        (42, U8, "mcast_stats_enabled", "mcast_stats_enabled"),
        (43, U8, "mcast_igmp_version", "mcast_igmp_version"),
        (44, U8, "mcast_mld_version", "mcast_mld_version"),
        (36, U8, "nf_call_iptables", "nf_call_iptables"),
        (37, U8, "nf_call_ip6tables", "nf_call_ip6tables"),
        (38, U8, "nf_call_arptables", "nf_call_arptables"),
    ];
    for (kind, field, key, word) in &tail {
        if let Some(a) = get(&tb, *kind) {
            print_field(out, a, field, key, word)?;
        }
    }
    Ok(())
}

const PORT_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

fn print_bridge_port<W: Write>(
    out: &mut Out<W>,
    data: Attrs<'_>,
    cache: &LinkCache,
) -> io::Result<()> {
    use Field::*;
    let tb = table(data);
    if let Some(state) = get(&tb, 1).and_then(|a| a.u8()) {
        match PORT_STATES.get(usize::from(state)) {
            Some(s) => out.string("state", format_args!("state {s} "), s)?,
            None => out.uint("state", format_args!("state {state} "), u64::from(state))?,
        }
    }
    let fields: [(usize, Field, &str, &str); 25] = [
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
        (27, OnOff, "mcast_flood", "mcast_flood"),
        (30, OnOff, "bcast_flood", "bcast_flood"),
        (28, OnOff, "mcast_to_unicast", "mcast_to_unicast"),
    ];
    for (kind, field, key, word) in &fields {
        if *kind == 27 {
            // ip prints fast-leave a second time, in text only.
            if let Some(v) = get(&tb, 7).and_then(|a| a.u8()) {
                let on = if v != 0 { "on" } else { "off" };
                out.text(format_args!("mcast_fast_leave {on} "))?;
            }
        }
        if let Some(a) = get(&tb, *kind) {
            print_field(out, a, field, key, word)?;
        }
    }
    if let Some(a) = get(&tb, 32) {
        print_field(out, a, &OnOff, "neigh_suppress", "neigh_suppress")?;
    }
    if let Some(mask) = get(&tb, 31).and_then(|a| a.u16()) {
        let h = hex(u64::from(mask));
        out.string("group_fwd_mask", format_args!("group_fwd_mask {h} "), &h)?;
        let s = format!("{mask:#x}");
        let s = if mask == 0 { "0x0".to_string() } else { s };
        out.string(
            "group_fwd_mask_str",
            format_args!("group_fwd_mask_str {s} "),
            &s,
        )?;
    }
    for (kind, key) in [(29usize, "vlan_tunnel"), (33, "isolated")] {
        if let Some(a) = get(&tb, kind) {
            print_field(out, a, &OnOff, key, key)?;
        }
    }
    if let Some(backup) = get(&tb, 34).and_then(|a| a.u32()) {
        let n = cache.name(backup);
        out.string("backup_port", format_args!("backup_port {n} "), &n)?;
    }
    if let Some(a) = get(&tb, 39) {
        print_field(out, a, &OnOff, "locked", "locked")?;
    }
    Ok(())
}
