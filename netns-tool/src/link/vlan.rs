//! The words after `type vlan`, `type ipvlan|ipvtap` and `type vrf`: ip 6.1's parsers for
//! each, turned into `IFLA_INFO_DATA` attributes in the order ip adds them.

use netlink_core::route::KindAttr;

use super::kind_words::unknown_word;
use crate::toolbox::args::{incomplete, invarg, matches, on_off, parse_u16, parse_u32, Args};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::names::parse_table;

const IFLA_VLAN_ID: u16 = 1;
const IFLA_VLAN_FLAGS: u16 = 2;
const IFLA_VLAN_EGRESS_QOS: u16 = 3;
const IFLA_VLAN_INGRESS_QOS: u16 = 4;
const IFLA_VLAN_PROTOCOL: u16 = 5;
const IFLA_VLAN_QOS_MAPPING: u16 = 1;

/// The vlan switches and their `VLAN_FLAG_*` bits (ip matches the words by prefix, in
/// this order).
const VLAN_SWITCHES: [(&str, u32); 5] = [
    ("reorder_hdr", 1),
    ("gvrp", 2),
    ("mvrp", 8),
    ("loose_binding", 4),
    ("bridge_binding", 0x10),
];

const VLAN_USAGE: &str = "Usage: ... vlan id VLANID
\t\t[ protocol VLANPROTO ]
\t\t[ reorder_hdr { on | off } ]
\t\t[ gvrp { on | off } ]
\t\t[ mvrp { on | off } ]
\t\t[ loose_binding { on | off } ]
\t\t[ bridge_binding { on | off } ]
\t\t[ ingress-qos-map QOS-MAP ]
\t\t[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO";

/// ip's `ll_proto_a2n` for the protocols a vlan can have (names without regard to case),
/// or a number; in network order.
fn parse_vlan_protocol(word: &str) -> Option<u16> {
    if word.eq_ignore_ascii_case("802.1Q") {
        return Some(0x8100);
    }
    if word.eq_ignore_ascii_case("802.1ad") {
        return Some(0x88a8);
    }
    parse_u16(word)
}

/// ip's `vlan_parse_opt`: protocol, id and maps where their words come; the flags last.
pub fn parse_vlan(args: &mut Args<'_>) -> CliResult<Vec<KindAttr<'static>>> {
    let mut data = Vec::new();
    let (mut flags, mut mask) = (0u32, 0u32);
    while let Some(word) = args.next() {
        if matches(word, "protocol") {
            let v = args.value()?;
            let proto = parse_vlan_protocol(v).ok_or_else(|| invarg("protocol is invalid", v))?;
            data.push(KindAttr::Be16(IFLA_VLAN_PROTOCOL, proto));
        } else if matches(word, "id") {
            let v = args.value()?;
            let id = parse_u16(v).ok_or_else(|| invarg("id is invalid", v))?;
            data.push(KindAttr::U16(IFLA_VLAN_ID, id));
        } else if let Some(&(key, bit)) = VLAN_SWITCHES.iter().find(|(k, _)| matches(word, k)) {
            let on = on_off(key, args.value()?)?;
            mask |= bit;
            flags = if on { flags | bit } else { flags & !bit };
        } else if matches(word, "ingress-qos-map") {
            parse_qos_map(
                args,
                IFLA_VLAN_INGRESS_QOS,
                "invalid ingress-qos-map",
                &mut data,
            )?;
        } else if matches(word, "egress-qos-map") {
            parse_qos_map(
                args,
                IFLA_VLAN_EGRESS_QOS,
                "invalid egress-qos-map",
                &mut data,
            )?;
        } else {
            return Err(unknown_word("vlan", "command", word, VLAN_USAGE));
        }
    }
    if mask != 0 {
        data.push(KindAttr::U32Pair(IFLA_VLAN_FLAGS, flags, mask));
    }
    Ok(data)
}

/// ip's `parse_mapping`: `FROM:TO` words up to the first without a colon (which the
/// caller reads next), in one nest. A bad number is blamed on the word cut at its colon.
fn parse_qos_map(
    args: &mut Args<'_>,
    nest: u16,
    complaint: &str,
    data: &mut Vec<KindAttr<'static>>,
) -> CliResult {
    if args.peek().is_none() {
        return Err(incomplete());
    }
    data.push(KindAttr::NestBegin(nest));
    while let Some((from, to)) = args.peek().and_then(|w| w.split_once(':')) {
        let (Some(from_value), Some(to_value)) = (parse_u32(from), parse_u32(to)) else {
            return Err(invarg(complaint, from));
        };
        args.next();
        data.push(KindAttr::U32Pair(
            IFLA_VLAN_QOS_MAPPING,
            from_value,
            to_value,
        ));
    }
    data.push(KindAttr::NestEnd);
    Ok(())
}

const IFLA_IPVLAN_MODE: u16 = 1;
const IFLA_IPVLAN_FLAGS: u16 = 2;

fn ipvlan_usage(kind: &str) -> String {
    format!(
        "Usage: ... {kind} [ mode MODE ] [ FLAGS ]\n\
         \n\
         MODE: l3 | l3s | l2\n\
         FLAGS: bridge | private | vepa\n\
         (first values are the defaults if nothing is specified)."
    )
}

/// ip's `ipvlan_parse_opt` (ipvlan and ipvtap): each mode as it comes, one of the flag
/// words, then the flags always.
pub fn parse_ipvlan(kind: &str, args: &mut Args<'_>) -> CliResult<Vec<KindAttr<'static>>> {
    let mut data = Vec::new();
    let mut flags: Option<u16> = None;
    while let Some(word) = args.next() {
        if matches(word, "mode") {
            let mode = match args.value()? {
                "l2" => 0,
                "l3" => 1,
                "l3s" => 2,
                _ => {
                    return Err(CliError::failed(
                        "Error: argument of \"mode\" must be either \"l2\", \"l3\" or \"l3s\"",
                    ))
                }
            };
            data.push(KindAttr::U16(IFLA_IPVLAN_MODE, mode));
            continue;
        }
        let flag = [("private", 1), ("vepa", 2), ("bridge", 0)]
            .into_iter()
            .find(|&(name, _)| flags.is_none() && matches(word, name));
        if let Some((_, bit)) = flag {
            flags = Some(bit);
        } else {
            return Err(unknown_word(kind, "option", word, &ipvlan_usage(kind)));
        }
    }
    data.push(KindAttr::U16(IFLA_IPVLAN_FLAGS, flags.unwrap_or(0)));
    Ok(data)
}

const IFLA_VRF_TABLE: u16 = 1;
const VRF_USAGE: &str = "Usage: ... vrf table TABLEID";

/// ip's `vrf_parse_opt`: each `table` as it comes.
pub fn parse_vrf(args: &mut Args<'_>) -> CliResult<Vec<KindAttr<'static>>> {
    let mut data = Vec::new();
    while let Some(word) = args.next() {
        if matches(word, "table") {
            let v = args.value()?;
            let table = parse_table(v).ok_or_else(|| invarg("invalid table ID\n", v))?;
            data.push(KindAttr::U32(IFLA_VRF_TABLE, table));
        } else {
            return Err(unknown_word("vrf", "option", word, VRF_USAGE));
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn vlan(line: &str) -> CliResult<Vec<KindAttr<'static>>> {
        let w = words(line);
        parse_vlan(&mut Args::new(&w))
    }

    fn error_text(e: CliError) -> (i32, String) {
        (e.status(), e.to_string())
    }

    #[test]
    fn vlan_words_become_ips_attributes_with_the_flags_last() {
        let data = vlan("p 802.1AD i 0x14 r off g on ingress-qos-map 1:2 3:4 b off").unwrap();
        assert_eq!(
            data,
            [
                KindAttr::Be16(IFLA_VLAN_PROTOCOL, 0x88a8),
                KindAttr::U16(IFLA_VLAN_ID, 20),
                KindAttr::NestBegin(IFLA_VLAN_INGRESS_QOS),
                KindAttr::U32Pair(IFLA_VLAN_QOS_MAPPING, 1, 2),
                KindAttr::U32Pair(IFLA_VLAN_QOS_MAPPING, 3, 4),
                KindAttr::NestEnd,
                KindAttr::U32Pair(IFLA_VLAN_FLAGS, 2, 0x13),
            ]
        );
    }

    #[test]
    fn vlan_refusals_are_ips() {
        let e = |line| error_text(vlan(line).unwrap_err());
        assert_eq!(e("id 65536").0, 255);
        assert!(e("id x")
            .1
            .contains("argument \"x\" is wrong: id is invalid"));
        assert!(e("protocol ip").1.contains("protocol is invalid"));
        assert_eq!(e("gvrp maybe").0, 1);
        assert!(e("id 3 egress-qos-map 1:x")
            .1
            .contains("\"1\" is wrong: invalid egress"));
        assert!(e("id 3 ingress-qos-map 1:2 bogus")
            .1
            .starts_with("vlan: unknown command \"bogus\"?\nUsage: ... vlan id VLANID"));
        assert_eq!(e("egress-qos-map").0, 255);
    }

    #[test]
    fn a_map_without_mappings_is_an_empty_nest() {
        let data = vlan("egress-qos-map id 4").unwrap();
        assert_eq!(
            data,
            [
                KindAttr::NestBegin(IFLA_VLAN_EGRESS_QOS),
                KindAttr::NestEnd,
                KindAttr::U16(IFLA_VLAN_ID, 4)
            ]
        );
    }

    #[test]
    fn ipvlan_takes_one_flag_word_and_always_sends_flags() {
        let w = words("mode l3 vepa");
        let data = parse_ipvlan("ipvlan", &mut Args::new(&w)).unwrap();
        assert_eq!(
            data,
            [
                KindAttr::U16(IFLA_IPVLAN_MODE, 1),
                KindAttr::U16(IFLA_IPVLAN_FLAGS, 2)
            ]
        );
        let w = words("private vepa");
        let e = parse_ipvlan("ipvtap", &mut Args::new(&w)).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("ipvtap: unknown option \"vepa\"?\n"));
        let w = words("mode l4");
        assert_eq!(
            parse_ipvlan("ipvlan", &mut Args::new(&w))
                .unwrap_err()
                .status(),
            1
        );
    }

    #[test]
    fn vrf_tables_by_number_or_name() {
        let w = words("table main");
        assert_eq!(
            parse_vrf(&mut Args::new(&w)).unwrap(),
            [KindAttr::U32(IFLA_VRF_TABLE, 254)]
        );
        let w = words("table nosuch");
        assert_eq!(parse_vrf(&mut Args::new(&w)).unwrap_err().status(), 255);
    }
}
