//! `type bridge ...`: ip 6.1's `bridge_parse_opt` for the bridge's numeric options, each
//! added as it comes; the options nsip does not send are refused as such.

use netlink_core::route::KindAttr;

use crate::toolbox::args::{incomplete, invarg, matches, parse_u32, strtoul, Args};
use crate::toolbox::error::{CliError, CliResult};

/// How an option's value reads and is sent.
#[derive(Clone, Copy)]
enum Width {
    U8,
    U16,
    U32,
    U64,
}

/// ip's option words in its order (prefixes resolve as ip's `matches` chain does), with
/// the `IFLA_BR_*` attribute and width; `None` for options nsip does not send.
const OPTIONS: [(&str, Option<(u16, Width)>); 36] = {
    use Width::*;
    [
        ("fdb_flush", None),
        ("forward_delay", Some((1, U32))),
        ("hello_time", Some((2, U32))),
        ("max_age", Some((3, U32))),
        ("ageing_time", Some((4, U32))),
        ("stp_state", Some((5, U32))),
        ("priority", Some((6, U16))),
        ("vlan_filtering", Some((7, U8))),
        ("vlan_protocol", None),
        ("group_fwd_mask", None),
        ("group_address", None),
        ("no_linklocal_learn", None),
        ("vlan_default_pvid", Some((39, U16))),
        ("vlan_stats_enabled", Some((41, U8))),
        ("vlan_stats_per_port", Some((45, U8))),
        ("mcast_router", Some((22, U8))),
        ("mcast_snooping", Some((23, U8))),
        ("mcast_vlan_snooping", None),
        ("mcast_query_use_ifaddr", Some((24, U8))),
        ("mcast_querier", Some((25, U8))),
        ("mcast_hash_elasticity", Some((26, U32))),
        ("mcast_hash_max", Some((27, U32))),
        ("mcast_last_member_count", Some((28, U32))),
        ("mcast_startup_query_count", Some((29, U32))),
        ("mcast_last_member_interval", Some((30, U64))),
        ("mcast_membership_interval", Some((31, U64))),
        ("mcast_querier_interval", Some((32, U64))),
        ("mcast_query_interval", Some((33, U64))),
        ("mcast_query_response_interval", Some((34, U64))),
        ("mcast_startup_query_interval", Some((35, U64))),
        ("mcast_stats_enabled", Some((42, U8))),
        ("mcast_igmp_version", Some((43, U8))),
        ("mcast_mld_version", Some((44, U8))),
        ("nf_call_iptables", Some((36, U8))),
        ("nf_call_ip6tables", Some((37, U8))),
        ("nf_call_arptables", Some((38, U8))),
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
        Width::U8 => parse_u32(v)
            .and_then(|n| u8::try_from(n).ok())
            .map(|n| KindAttr::U8(kind, n)),
        Width::U16 => parse_u32(v)
            .and_then(|n| u16::try_from(n).ok())
            .map(|n| KindAttr::U16(kind, n)),
        Width::U32 => parse_u32(v).map(|n| KindAttr::U32(kind, n)),
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
        let option = OPTIONS.iter().find(|(name, _)| matches(word, name));
        match option {
            Some(&(name, Some((kind, width)))) => {
                let v = args.next().ok_or_else(incomplete)?;
                let attr = value_of(v, width, kind)
                    .ok_or_else(|| invarg(&format!("invalid {name}"), v))?;
                data.push(attr);
            }
            Some(&(name, None)) => {
                return Err(CliError::failed(format!(
                    "bridge: \"{name}\" is not supported by nsip"
                )))
            }
            None if matches(word, "help") => return Err(CliError::failed(USAGE)),
            None => {
                return Err(CliError::failed(format!(
                    "bridge: unknown command \"{word}\"?\n{USAGE}"
                )))
            }
        }
    }
    Ok(data)
}
