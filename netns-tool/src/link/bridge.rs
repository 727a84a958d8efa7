//! `type bridge ...`: ip 6.1's `bridge_parse_opt` for the bridge's numeric options, each
//! added as it comes; the options nsip does not send are refused as such.

use netlink_core::route::KindAttr;

use super::kind_words::{not_supported, unknown_word, KindData, MissingDevice};
use crate::toolbox::args::{invarg, matches, parse_u16, parse_u32, parse_u8, strtoul, Args};
use crate::toolbox::error::{CliError, CliResult};

/// How an option's value reads and is sent.
#[derive(Clone, Copy)]
enum Width {
    U8,
    U16,
    U32,
    U64,
    /// No value: the word alone sends the attribute.
    Flag,
    /// An option of ip's that nsip does not send (refused before a value is read).
    NotSent,
}

/// ip's option words in its order (prefixes resolve as ip's `matches` chain does), with
/// the `IFLA_BR_*` attribute and width (`NotSent`, and no attribute, for options nsip does
/// not send).
const OPTIONS: [(&str, u16, Width); 36] = {
    use Width::*;
    [
        ("fdb_flush", 21, Flag),
        ("forward_delay", 1, U32),
        ("hello_time", 2, U32),
        ("max_age", 3, U32),
        ("ageing_time", 4, U32),
        ("stp_state", 5, U32),
        ("priority", 6, U16),
        ("vlan_filtering", 7, U8),
        ("vlan_protocol", 0, NotSent),
        ("group_fwd_mask", 9, U16),
        ("group_address", 0, NotSent),
        ("no_linklocal_learn", 0, NotSent),
        ("vlan_default_pvid", 39, U16),
        ("vlan_stats_enabled", 41, U8),
        ("vlan_stats_per_port", 45, U8),
        ("mcast_router", 22, U8),
        ("mcast_snooping", 23, U8),
        ("mcast_vlan_snooping", 0, NotSent),
        ("mcast_query_use_ifaddr", 24, U8),
        ("mcast_querier", 25, U8),
        ("mcast_hash_elasticity", 26, U32),
        ("mcast_hash_max", 27, U32),
        ("mcast_last_member_count", 28, U32),
        ("mcast_startup_query_count", 29, U32),
        ("mcast_last_member_interval", 30, U64),
        ("mcast_membership_interval", 31, U64),
        ("mcast_querier_interval", 32, U64),
        ("mcast_query_interval", 33, U64),
        ("mcast_query_response_interval", 34, U64),
        ("mcast_startup_query_interval", 35, U64),
        ("mcast_stats_enabled", 42, U8),
        ("mcast_igmp_version", 43, U8),
        ("mcast_mld_version", 44, U8),
        ("nf_call_iptables", 36, U8),
        ("nf_call_ip6tables", 37, U8),
        ("nf_call_arptables", 38, U8),
    ]
};

const USAGE: &str = "Usage: ... bridge [ fdb_flush ]
\t\t  [ forward_delay FORWARD_DELAY ]
\t\t  [ hello_time HELLO_TIME ]
\t\t  [ max_age MAX_AGE ]
\t\t  [ ageing_time AGEING_TIME ]
\t\t  [ stp_state STP_STATE ]
\t\t  [ priority PRIORITY ]
\t\t  [ group_fwd_mask MASK ]
\t\t  [ group_address ADDRESS ]
\t\t  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]
\t\t  [ vlan_filtering VLAN_FILTERING ]
\t\t  [ vlan_protocol VLAN_PROTOCOL ]
\t\t  [ vlan_default_pvid VLAN_DEFAULT_PVID ]
\t\t  [ vlan_stats_enabled VLAN_STATS_ENABLED ]
\t\t  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]
\t\t  [ mcast_snooping MULTICAST_SNOOPING ]
\t\t  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]
\t\t  [ mcast_router MULTICAST_ROUTER ]
\t\t  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]
\t\t  [ mcast_querier MULTICAST_QUERIER ]
\t\t  [ mcast_hash_elasticity HASH_ELASTICITY ]
\t\t  [ mcast_hash_max HASH_MAX ]
\t\t  [ mcast_last_member_count LAST_MEMBER_COUNT ]
\t\t  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
\t\t  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
\t\t  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
\t\t  [ mcast_querier_interval QUERIER_INTERVAL ]
\t\t  [ mcast_query_interval QUERY_INTERVAL ]
\t\t  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
\t\t  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
\t\t  [ mcast_stats_enabled MCAST_STATS_ENABLED ]
\t\t  [ mcast_igmp_version IGMP_VERSION ]
\t\t  [ mcast_mld_version MLD_VERSION ]
\t\t  [ nf_call_iptables NF_CALL_IPTABLES ]
\t\t  [ nf_call_ip6tables NF_CALL_IP6TABLES ]
\t\t  [ nf_call_arptables NF_CALL_ARPTABLES ]

Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }";

/// One value in its width, as ip's `get_u8` / `get_u16` / `get_u32` / `get_u64` read it.
fn value_of(v: &str, width: Width, kind: u16) -> Option<KindAttr<'static>> {
    match width {
        Width::U8 => parse_u8(v).map(|n| KindAttr::U8(kind, n)),
        Width::U16 => parse_u16(v).map(|n| KindAttr::U16(kind, n)),
        Width::U32 => parse_u32(v).map(|n| KindAttr::U32(kind, n)),
        Width::Flag => Some(KindAttr::Flag(kind)),
        Width::NotSent => None,
        Width::U64 => match strtoul(v) {
            Some((n, "")) if !v.trim_start().starts_with('-') => Some(KindAttr::U64(kind, n)),
            _ => None,
        },
    }
}

/// The data of `type bridge WORDS`.
pub fn parse_bridge(args: &mut Args<'_>) -> CliResult<Vec<KindAttr<'static>>> {
    let mut data = Vec::new();
    while let Some(word) = args.next() {
        let option = OPTIONS.iter().find(|(name, ..)| matches(word, name));
        match option {
            Some(&(_, kind, Width::Flag)) => data.push(KindAttr::Flag(kind)),
            Some(&(name, _, Width::NotSent)) => return Err(not_supported("bridge", name)),
            Some(&(name, kind, width)) => {
                let v = args.value()?;
                let attr = value_of(v, width, kind)
                    .ok_or_else(|| invarg(&format!("invalid {name}"), v))?;
                data.push(attr);
            }
            None => return Err(unknown_word("bridge", "command", word, USAGE)),
        }
    }
    Ok(data)
}

const PORT_USAGE: &str = "Usage: ... bridge_slave [ fdb_flush ]
\t\t\t[ state STATE ]
\t\t\t[ priority PRIO ]
\t\t\t[ cost COST ]
\t\t\t[ guard {on | off} ]
\t\t\t[ hairpin {on | off} ]
\t\t\t[ fastleave {on | off} ]
\t\t\t[ root_block {on | off} ]
\t\t\t[ learning {on | off} ]
\t\t\t[ flood {on | off} ]
\t\t\t[ proxy_arp {on | off} ]
\t\t\t[ proxy_arp_wifi {on | off} ]
\t\t\t[ mcast_router MULTICAST_ROUTER ]
\t\t\t[ mcast_fast_leave {on | off} ]
\t\t\t[ mcast_flood {on | off} ]
\t\t\t[ bcast_flood {on | off} ]
\t\t\t[ mcast_to_unicast {on | off} ]
\t\t\t[ group_fwd_mask MASK ]
\t\t\t[ neigh_suppress {on | off} ]
\t\t\t[ vlan_tunnel {on | off} ]
\t\t\t[ isolated {on | off} ]
\t\t\t[ locked {on | off} ]
\t\t\t[ backup_port DEVICE ] [ nobackup_port ]";

/// A port option's value: a number of some width, or on/off.
#[derive(Clone, Copy)]
enum PortValue {
    Number(Width),
    OnOff,
}

/// `bridge_slave` option words in ip's order, with the `IFLA_BRPORT_*` attribute, how the
/// value reads, and ip's complaint for a bad number; `None` for options nsip does not send.
/// A port option: its word, and (attribute, value, complaint) when nsip sends it.
type PortOption = (&'static str, Option<(u16, PortValue, &'static str)>);

const PORT_OPTIONS: [PortOption; 23] = {
    use PortValue::*;
    use Width::*;
    [
        ("fdb_flush", Some((24, Number(Flag), ""))),
        ("state", Some((1, Number(U8), "state is invalid"))),
        ("priority", Some((2, Number(U16), "priority is invalid"))),
        ("cost", Some((3, Number(U32), "cost is invalid"))),
        ("hairpin", Some((4, OnOff, ""))),
        ("guard", Some((5, OnOff, ""))),
        ("root_block", Some((6, OnOff, ""))),
        ("fastleave", Some((7, OnOff, ""))),
        ("learning", Some((8, OnOff, ""))),
        ("flood", Some((9, OnOff, ""))),
        ("mcast_flood", Some((27, OnOff, ""))),
        ("bcast_flood", Some((30, OnOff, ""))),
        ("mcast_to_unicast", Some((28, OnOff, ""))),
        ("proxy_arp", Some((10, OnOff, ""))),
        ("proxy_arp_wifi", Some((12, OnOff, ""))),
        (
            "mcast_router",
            Some((25, Number(U8), "invalid mcast_router")),
        ),
        ("mcast_fast_leave", Some((7, OnOff, ""))),
        ("neigh_suppress", Some((32, OnOff, ""))),
        (
            "group_fwd_mask",
            Some((31, Number(U16), "invalid group_fwd_mask")),
        ),
        ("vlan_tunnel", Some((29, OnOff, ""))),
        ("isolated", Some((33, OnOff, ""))),
        ("locked", Some((39, OnOff, ""))),
        ("mab", None),
    ]
};

const BRPORT_BACKUP_PORT: u16 = 34;

/// ip 6.1's `parse_on_off` wording.
fn port_on_off(key: &str, v: &str) -> CliResult<u8> {
    match v {
        "on" => Ok(1),
        "off" => Ok(0),
        _ => Err(CliError::failed(format!(
            "Error: argument of \"{key}\" must be one of \"off\", \"on\", not \"{v}\""
        ))),
    }
}

/// The data of `type bridge_slave WORDS` (a bridge port's options).
pub fn parse_bridge_port<'a>(args: &mut Args<'a>) -> CliResult<KindData<'a>> {
    let mut data = KindData::default();
    while let Some(word) = args.next() {
        if matches(word, "backup_port") {
            let v = args.value()?;
            data.device = Some((data.attrs.len(), v, MissingDevice::DoesNotExist));
            data.attrs.push(KindAttr::U32(BRPORT_BACKUP_PORT, 0));
            continue;
        }
        if matches(word, "nobackup_port") {
            data.attrs.push(KindAttr::U32(BRPORT_BACKUP_PORT, 0));
            continue;
        }
        let option = PORT_OPTIONS.iter().find(|(name, _)| matches(word, name));
        let attr = match option {
            Some(&(_, Some((kind, PortValue::Number(Width::Flag), _)))) => KindAttr::Flag(kind),
            Some(&(name, Some((kind, value, complaint)))) => {
                let v = args.value()?;
                match value {
                    PortValue::OnOff => KindAttr::U8(kind, port_on_off(name, v)?),
                    PortValue::Number(width) => {
                        value_of(v, width, kind).ok_or_else(|| invarg(complaint, v))?
                    }
                }
            }
            Some(&(name, None)) => return Err(not_supported("bridge_slave", name)),
            None => return Err(unknown_word("bridge_slave", "option", word, PORT_USAGE)),
        };
        data.attrs.push(attr);
    }
    Ok(data)
}
