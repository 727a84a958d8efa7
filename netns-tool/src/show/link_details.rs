//! `-d`: the `IFLA_LINKINFO` part of a link as ip 6.1 prints it — the kind line, and the
//! data of the kinds this tool makes (bridge, and a bridge's ports).
//!
//! A bridge's and a port's data print as one loop over a table of rows
//! ([`super::link_rows`]) in ip's order.

use std::io::{self, Write};

use netlink_core::route::LinkInfo;
use netlink_core::wire::{Attr, Attrs};

use super::link_kinds::{print_kind_data, DESCRIBED};
use super::link_rows::{print_rows, Field::*, Row};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::output::Out;
use crate::toolbox::owners::OwnerNames;

/// The kind line(s): `\n    veth `, `\n    bridge forward_delay ...`,
/// `\n    bridge_slave state ...`; JSON `linkinfo.{info_kind,info_data,info_slave_kind,...}`.
/// `owners` names the uids and gids a tun's data holds. `sl` is ip's `_SL_`: a newline, or `\` under `-o`.
pub fn print_link_info<W: Write>(
    out: &mut Out<W>,
    info: &LinkInfo<'_>,
    cache: &LinkCache,
    owners: &OwnerNames,
    sl: &str,
) -> io::Result<()> {
    out.open_object(Some("linkinfo"))?;
    if let Some(kind) = info.kind {
        out.string("info_kind", format_args!("{sl}    {kind} "), kind)?;
        if kind == "bridge" {
            out.open_object(Some("info_data"))?;
            if let Some(data) = info.data.clone() {
                print_rows(out, &table(data), BRIDGE_ROWS, cache)?;
            }
            out.close_object()?;
        } else if DESCRIBED.contains(&kind) {
            out.open_object(Some("info_data"))?;
            if let Some(data) = info.data.clone() {
                print_kind_data(out, kind, &table(data), (cache, owners), sl)?;
            }
            out.close_object()?;
        }
    }
    if let Some(slave) = info.slave_kind {
        out.string(
            "info_slave_kind",
            format_args!("{sl}    {slave}_slave "),
            slave,
        )?;
        if slave == "bridge" {
            out.open_object(Some("info_slave_data"))?;
            if let Some(data) = info.slave_data.clone() {
                print_rows(out, &table(data), PORT_ROWS, cache)?;
            }
            out.close_object()?;
        }
    }
    out.close_object()
}

/// Attributes of a nest in a table indexed by type (only the first of each type counts),
/// on the stack: `-d` builds one or two for every link it prints.
fn table(attrs: Attrs<'_>) -> [Option<Attr<'_>>; 64] {
    let mut tb: [Option<Attr<'_>>; 64] = [None; 64];
    for a in attrs {
        if let Some(slot) = tb.get_mut(usize::from(a.kind())) {
            if slot.is_none() {
                *slot = Some(a);
            }
        }
    }
    tb
}
/// `IFLA_BR_*` in ip's order.
#[rustfmt::skip] // one attribute a line: a table, not code
const BRIDGE_ROWS: &[Row] = &[
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
const PORT_ROWS: &[Row] = &[
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
/// For the kind printers' tests: what `print` makes of the attributes `emit` builds (looked
/// up by type as [`print_link_info`] looks them up) inside one object, in text or JSON.
#[cfg(test)]
pub fn printed_kind_data(
    emit: impl FnOnce(&mut netlink_core::wire::Builder<'_>),
    print: impl FnOnce(&mut Out<&mut Vec<u8>>, &[Option<Attr<'_>>]) -> io::Result<()>,
    json: bool,
) -> String {
    let mut buf = Vec::new();
    emit(&mut netlink_core::wire::Builder::new(&mut buf));
    let tb = table(Attrs::new(&buf));
    let mut text = Vec::new();
    let mut out = Out::new(&mut text, json, false);
    out.open_object(None).unwrap();
    print(&mut out, &tb).unwrap();
    out.close_object().unwrap();
    out.finish().unwrap();
    drop(out);
    String::from_utf8(text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bridge_ids_and_forward_masks_print_as_ip_prints_them() {
        let cache = LinkCache::new();
        let id = [0x80u8, 0x00, 0x02, 0x00, 0x00, 0xab, 0x00, 0x01];
        let printed = |rows: &'static [Row], json| {
            printed_kind_data(
                |b| {
                    b.attr(14, &id);
                    b.attr(31, &0u16.to_ne_bytes());
                },
                |o, tb| print_rows(o, tb, rows, &cache),
                json,
            )
        };
        assert_eq!(
            printed(PORT_ROWS, false),
            "designated_bridge 8000.2:0:0:ab:0:1 group_fwd_mask 0 group_fwd_mask_str 0x0 "
        );
        let json = printed(PORT_ROWS, true);
        assert!(
            json.contains(
                r#""bridge_id":"8000.2:0:0:ab:0:1","group_fwd_mask":"0","group_fwd_mask_str":"0x0""#
            ),
            "{json}"
        );
        // A bridge id shorter than its struct prints nothing.
        let short = printed_kind_data(
            |b| b.attr(14, &id[..7]),
            |o, tb| print_rows(o, tb, PORT_ROWS, &cache),
            false,
        );
        assert_eq!(short, "");
    }
}
