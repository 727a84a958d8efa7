//! `-d`: the `IFLA_INFO_DATA` of vlan, ipvlan/ipvtap and vrf links as ip 6.1 prints them.

use std::io::{self, Write};

use netlink_core::wire::Attr;

use super::link_names::print_flag_names;
use crate::toolbox::output::Out;

const VLAN_ID: usize = 1;
const VLAN_FLAGS: usize = 2;
const VLAN_EGRESS_QOS: usize = 3;
const VLAN_INGRESS_QOS: usize = 4;
const VLAN_PROTOCOL: usize = 5;

/// `VLAN_FLAG_*` in the order ip names them.
const VLAN_FLAG_NAMES: [(u32, &str); 5] = [
    (1, "REORDER_HDR"),
    (2, "GVRP"),
    (8, "MVRP"),
    (4, "LOOSE_BINDING"),
    (0x10, "BRIDGE_BINDING"),
];

fn get<'a>(tb: &[Option<Attr<'a>>], kind: usize) -> Option<Attr<'a>> {
    tb.get(kind).copied().flatten()
}

/// A native `u32` at `at` in `bytes`.
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_ne_bytes(b.try_into().ok()?))
}

/// ip's `vlan_print_opt`: nothing unless the id (and a protocol, when there is one) is
/// whole; the flags as `<A,B>`, then the qos maps, each on a line of its own.
pub fn print_vlan<W: Write>(out: &mut Out<W>, tb: &[Option<Attr<'_>>], sl: &str) -> io::Result<()> {
    let protocol = get(tb, VLAN_PROTOCOL);
    if protocol.is_some_and(|p| p.value().len() < 2) {
        return Ok(());
    }
    let Some(id) = get(tb, VLAN_ID).and_then(|a| a.u16()) else {
        return Ok(());
    };
    match protocol {
        Some(p) => print_vlan_protocol(out, p, "protocol", "protocol")?,
        None => out.put_str("protocol", "protocol ", "802.1q", " ")?,
    }
    out.put_uint("id", "id ", u64::from(id), " ")?;
    if let Some(flags) = get(tb, VLAN_FLAGS) {
        let Some(flags) = u32_at(flags.value(), 0).filter(|_| flags.value().len() >= 8) else {
            return Ok(());
        };
        print_vlan_flags(out, flags)?;
    }
    const MAPS: [(usize, &str, &str); 2] = [
        (VLAN_INGRESS_QOS, "ingress_qos", "ingress-qos-map"),
        (VLAN_EGRESS_QOS, "egress_qos", "egress-qos-map"),
    ];
    for &(kind, key, word) in &MAPS {
        if let Some(map) = get(tb, kind) {
            print_qos_map(out, map, key, word, sl)?;
        }
    }
    Ok(())
}

fn print_vlan_flags<W: Write>(out: &mut Out<W>, flags: u32) -> io::Result<()> {
    out.open_array(Some("flags"))?;
    out.text_str("<")?;
    print_flag_names(out, flags, &VLAN_FLAG_NAMES, "")?;
    out.close_array()?;
    out.text_str("> ")
}

fn print_qos_map<W: Write>(
    out: &mut Out<W>,
    map: Attr<'_>,
    key: &str,
    word: &str,
    sl: &str,
) -> io::Result<()> {
    out.open_array(Some(key))?;
    out.text(format_args!("{sl}      {word} {{ "))?;
    for mapping in map.nested() {
        let v = mapping.value();
        // ip reads the pair without checking its length; a short one is skipped here.
        let (Some(from), Some(to)) = (u32_at(v, 0), u32_at(v, 4)) else {
            continue;
        };
        out.open_object(None)?;
        out.json_uint("from", u64::from(from))?;
        out.json_uint("to", u64::from(to))?;
        out.close_object()?;
        out.text(format_args!("{from}:{to} "))?;
    }
    out.close_array()?;
    out.text(format_args!("}} "))
}

const IPVLAN_MODE: usize = 1;
const IPVLAN_FLAGS: usize = 2;

/// ip's `ipvlan_print_opt`: ` mode l3 ` (a space before), then one of private, vepa or
/// bridge; each only when its value is exactly a `u16`.
pub fn print_ipvlan<W: Write>(out: &mut Out<W>, tb: &[Option<Attr<'_>>]) -> io::Result<()> {
    let exact_u16 = |kind| get(tb, kind).filter(|a| a.value().len() == 2)?.u16();
    if let Some(mode) = exact_u16(IPVLAN_MODE) {
        let name = match mode {
            0 => "l2",
            1 => "l3",
            2 => "l3s",
            _ => "unknown",
        };
        out.put_str("mode", " mode ", name, " ")?;
    }
    if let Some(flags) = exact_u16(IPVLAN_FLAGS) {
        let name = if flags & 1 != 0 {
            "private"
        } else if flags & 2 != 0 {
            "vepa"
        } else {
            "bridge"
        };
        out.boolean(name, format_args!("{name} "), true)?;
    }
    Ok(())
}

/// An ethertype in network order as ip names it (`802.1Q`, `802.1ad`), under `key`.
pub fn print_vlan_protocol<W: Write>(
    out: &mut Out<W>,
    a: Attr<'_>,
    key: &str,
    word: &str,
) -> io::Result<()> {
    let Some(&[hi, lo]) = a
        .value()
        .get(..2)
        .and_then(|b| <&[u8; 2]>::try_from(b).ok())
    else {
        return Ok(());
    };
    let name = match u16::from_be_bytes([hi, lo]) {
        0x8100 => "802.1Q".to_string(),
        0x88a8 => "802.1ad".to_string(),
        n => format!("{n:#06x}"),
    };
    out.string(key, format_args!("{word} {name} "), &name)
}

#[cfg(test)]
mod tests {
    use netlink_core::wire::Builder;

    use super::*;
    use crate::show::link_details::printed_kind_data;

    fn qos_vlan(b: &mut Builder<'_>) {
        b.attr(VLAN_PROTOCOL as u16, &0x88a8u16.to_be_bytes());
        b.attr(VLAN_ID as u16, &20u16.to_ne_bytes());
        let flags = [6u32.to_ne_bytes(), 0x1fu32.to_ne_bytes()].concat();
        b.attr(VLAN_FLAGS as u16, &flags);
        for (kind, pairs) in [
            (VLAN_INGRESS_QOS, &[(1u32, 2u32), (3, 4)][..]),
            (VLAN_EGRESS_QOS, &[(5, 6)][..]),
        ] {
            let nest = b.nest_begin(kind as u16);
            for (from, to) in pairs {
                b.attr(1, &[from.to_ne_bytes(), to.to_ne_bytes()].concat());
            }
            b.nest_end(nest);
        }
    }

    #[test]
    fn a_vlan_prints_as_ip_printed_the_request_it_sent() {
        // ip 6.1's `-d monitor file` of its own `type vlan protocol 802.1ad id 20 ...` request.
        assert_eq!(
            printed_kind_data(qos_vlan, |o, tb| print_vlan(o, tb, "\n"), false),
            "protocol 802.1ad id 20 <GVRP,LOOSE_BINDING> \n      ingress-qos-map { 1:2 3:4 } \
             \n      egress-qos-map { 5:6 } "
        );
        let json = printed_kind_data(qos_vlan, |o, tb| print_vlan(o, tb, "\n"), true);
        assert!(
            json.contains(r#""flags":["GVRP","LOOSE_BINDING"],"ingress_qos":[{"from":1,"to":2},{"from":3,"to":4}]"#),
            "{json}"
        );
    }

    #[test]
    fn a_vlan_without_a_whole_id_prints_nothing() {
        let short_id = |b: &mut Builder<'_>| b.attr(VLAN_ID as u16, &[1]);
        assert_eq!(
            printed_kind_data(short_id, |o, tb| print_vlan(o, tb, "\n"), false),
            ""
        );
    }

    #[test]
    // A printer named alone is fixed to one lifetime of the writer; the closure is not.
    #[allow(clippy::redundant_closure)]
    fn ipvlan_modes_and_flags() {
        let ipvlan = |b: &mut Builder<'_>| {
            b.attr(IPVLAN_MODE as u16, &2u16.to_ne_bytes());
            b.attr(IPVLAN_FLAGS as u16, &2u16.to_ne_bytes());
        };
        assert_eq!(
            printed_kind_data(ipvlan, |o, tb| print_ipvlan(o, tb), false),
            " mode l3s vepa "
        );
        let wrong_size = |b: &mut Builder<'_>| b.attr(IPVLAN_MODE as u16, &1u32.to_ne_bytes());
        assert_eq!(
            printed_kind_data(wrong_size, |o, tb| print_ipvlan(o, tb), false),
            ""
        );
    }
}
