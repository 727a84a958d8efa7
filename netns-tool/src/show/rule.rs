//! The rule printer: ip's `print_rule`, in text and JSON, and the filter ip applies to a
//! rule dump (`ip rule show|flush` selectors; everything for `monitor rule`).
//!
//! ```text
//! 50:<TAB>not from 198.51.100.0/24 fwmark 0x10/0xff iif veth0 lookup 100
//! ```

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::RuleMessage;

use super::{close_entry, open_entry};
use crate::toolbox::args::word_from_bytes;
use crate::toolbox::color::Paint;
use crate::toolbox::inet::{bit_len, family_accepts, AddrText, Prefix};
use crate::toolbox::ipproto::ip_proto_name;
use crate::toolbox::json::hex_text;
use crate::toolbox::names::{protocol_name, realm_name, route_type_name, table_name};
use crate::toolbox::output::Out;

/// ip's rule filter (`filter_nlmsg`): `None` or 0 where a selector was not given; the
/// selectors in the order `ip rule show` reads them, then the family (`-4` / `-6`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFilter {
    /// `not`.
    pub not: bool,
    /// `pref N`.
    pub pref: Option<u32>,
    /// `tos TOS`.
    pub tos: Option<u8>,
    /// `fwmark N` (0: none, as ip reads it).
    pub fwmark: u32,
    /// `fwmark N/MASK` (0: none).
    pub fwmask: u32,
    /// `iif NAME`, its bytes.
    pub iif: Option<Vec<u8>>,
    /// `oif NAME`, its bytes.
    pub oif: Option<Vec<u8>>,
    /// `l3mdev`.
    pub l3mdev: bool,
    /// `uidrange A-B`.
    pub uid_range: Option<(u32, u32)>,
    /// `ipproto P`.
    pub ip_proto: Option<u8>,
    /// `sport A[-B]`.
    pub sport: Option<(u16, u16)>,
    /// `dport A[-B]`.
    pub dport: Option<(u16, u16)>,
    /// `table T` (0: any).
    pub table: u32,
    /// `from PREFIX`.
    pub src: Option<Prefix>,
    /// `protocol P` (flush only, as ip 6.1 applies it).
    pub protocol: Option<u8>,
    /// `to PREFIX`.
    pub dst: Option<Prefix>,
    /// `-4` / `-6` (0: any).
    pub family: u8,
}

fn prefix_accepts(
    p: &Option<Prefix>,
    family: u8,
    len: u8,
    addr: Option<core::net::IpAddr>,
) -> bool {
    match p {
        None => true,
        Some(p) if p.family != family || p.bitlen > len => false,
        Some(p) => p.bitlen == 0 || addr.is_none() || p.matches(addr, p.bitlen),
    }
}

impl RuleFilter {
    /// Whether ip lists this rule.
    pub fn accepts(&self, r: &RuleMessage<'_>) -> bool {
        let h = r.header();
        let family_ok = family_accepts(self.family, h.family);
        let pref = r.u32_attr(FRA_PRIORITY).unwrap_or(0);
        let mark_ok = self.fwmark == 0 || self.fwmark == r.u32_attr(FRA_FWMARK).unwrap_or(0);
        let mask_ok = self.fwmask == 0 || self.fwmask == r.u32_attr(FRA_FWMASK).unwrap_or(0);
        let name_ok = |want: &Option<Vec<u8>>, got: Option<&[u8]>| match want {
            None => true,
            Some(w) => got == Some(w.as_slice()),
        };
        family_ok
            && self.pref.is_none_or(|p| p == pref)
            && (!self.not || r.flags() & FIB_RULE_INVERT != 0)
            && prefix_accepts(&self.src, h.family, h.src_len, r.src())
            && prefix_accepts(&self.dst, h.family, h.dst_len, r.dst())
            && self.tos.is_none_or(|t| t == h.tos)
            && mark_ok
            && mask_ok
            && name_ok(&self.iif, r.iif_name())
            && name_ok(&self.oif, r.oif_name())
            && (!self.l3mdev || r.l3mdev().unwrap_or(0) != 0)
            && self.uid_range.is_none_or(|u| r.uid_range() == Some(u))
            && self.ip_proto.is_none_or(|p| r.ip_proto().unwrap_or(0) == p)
            && self.sport.is_none_or(|s| r.sport_range() == Some(s))
            && self.dport.is_none_or(|s| r.dport_range() == Some(s))
            && (self.table == 0 || self.table == r.table())
    }

    /// Whether ip's flush deletes this rule (it must be listed, of the protocol asked
    /// for, and have a priority: rule 0 has none).
    pub fn flushes(&self, r: &RuleMessage<'_>) -> bool {
        let protocol_ok = match (self.protocol, r.protocol()) {
            (Some(want), Some(got)) => want == got,
            _ => true,
        };
        self.accepts(r) && protocol_ok && r.attr(FRA_PRIORITY).is_some()
    }
}

/// Prints one rule as its own JSON object (or its text line); a deleted one (from
/// `monitor`) starts with `Deleted`. `details` is `-d`, counted (it shows the protocol of
/// kernel rules).
pub fn print_rule<W: Write>(
    out: &mut Out<W>,
    details: u8,
    deleted: bool,
    r: &RuleMessage<'_>,
) -> io::Result<()> {
    open_entry(out, deleted)?;
    let pref = r.u32_attr(FRA_PRIORITY).unwrap_or(0);
    out.put_uint("priority", "", u64::from(pref), ":\t")?;
    if r.flags() & FIB_RULE_INVERT != 0 {
        out.null("not", format_args!("not "))?;
    }
    print_selectors(out, r)?;
    print_ports(out, r)?;
    print_lookup(out, r)?;
    print_action(out, r)?;
    if let Some(protocol) = r.protocol() {
        if (protocol != 0 && protocol != RTPROT_KERNEL) || details > 0 {
            out.put_str("protocol", " proto ", &protocol_name(protocol), "")?;
        }
    }
    close_entry(out)
}

fn print_prefix<W: Write>(
    out: &mut Out<W>,
    r: &RuleMessage<'_>,
    (word, key, len_key): (&str, &str, &str),
    addr: Option<core::net::IpAddr>,
    len: u8,
) -> io::Result<()> {
    match addr {
        Some(a) => {
            out.text_str(word)?;
            let paint = Paint::of_family(r.family());
            out.put_addr(paint, key, "", a, "")?;
            if len != bit_len(r.family()) {
                out.put_uint(len_key, "/", u64::from(len), "")?;
            }
        }
        None if len != 0 => {
            out.put_str(key, word, "0", "")?;
            out.put_uint(len_key, "/", u64::from(len), "")?;
        }
        None => {}
    }
    Ok(())
}

/// The devices' JSON key, text before, detached flag and its JSON key: `iif`, `oif`.
const DEVICES: [(&str, &str, u32, &str); 2] = [
    ("iif", " iif ", FIB_RULE_IIF_DETACHED, "iif_detached"),
    ("oif", " oif ", FIB_RULE_OIF_DETACHED, "oif_detached"),
];

fn print_selectors<W: Write>(out: &mut Out<W>, r: &RuleMessage<'_>) -> io::Result<()> {
    let h = r.header();
    if r.src().is_none() && h.src_len == 0 {
        out.put_str("src", "from ", "all", "")?;
    }
    print_prefix(out, r, ("from ", "src", "srclen"), r.src(), h.src_len)?;
    print_prefix(out, r, (" to ", "dst", "dstlen"), r.dst(), h.dst_len)?;
    if h.tos != 0 {
        // ip's `rtnl_dsfield_n2a` without names: `0x%02x`.
        out.put_str("tos", " tos ", hex_text(&mut [0; 10], h.tos.into(), 2), "")?;
    }
    let mark = r.u32_attr(FRA_FWMARK);
    let mask = r.u32_attr(FRA_FWMASK);
    if mark.is_some() || mask.is_some() {
        let mark = mark.unwrap_or(0);
        let mut hex = [0; 10];
        out.put_str("fwmark", " fwmark ", hex_text(&mut hex, mark, 1), "")?;
        if let Some(mask) = mask.filter(|&m| m != u32::MAX) {
            out.put_str("fwmask", "/", hex_text(&mut hex, mask, 1), "")?;
        }
    }
    for (name, &(key, before, flag, detached_key)) in
        [r.iif_name(), r.oif_name()].into_iter().zip(&DEVICES)
    {
        if let Some(name) = name {
            out.put_painted(Paint::IfName, key, before, &word_from_bytes(name), "")?;
            if r.flags() & flag != 0 {
                out.null(detached_key, format_args!(" [detached]"))?;
            }
        }
    }
    if r.l3mdev().is_some_and(|m| m != 0) {
        out.null("l3mdev", format_args!(" lookup [l3mdev-table]"))?;
    }
    if let Some((start, end)) = r.uid_range() {
        out.put_uint("uid_start", " uidrange ", u64::from(start), "")?;
        out.put_uint("uid_end", "-", u64::from(end), "")?;
    }
    if let Some(proto) = r.ip_proto() {
        out.put_str("ipproto", " ipproto ", &ip_proto_name(proto), "")?;
    }
    Ok(())
}

/// The port ranges' JSON key, text before and JSON keys of a range's ends: `sport`, `dport`.
const PORTS: [(&str, &str, &str, &str); 2] = [
    ("sport", " sport ", "sport_start", "sport_end"),
    ("dport", " dport ", "dport_start", "dport_end"),
];

fn print_ports<W: Write>(out: &mut Out<W>, r: &RuleMessage<'_>) -> io::Result<()> {
    for (range, &(key, before, start_key, end_key)) in
        [r.sport_range(), r.dport_range()].into_iter().zip(&PORTS)
    {
        let Some((start, end)) = range else { continue };
        if start == end {
            out.put_uint(key, before, u64::from(start), "")?;
        } else {
            out.put_uint(start_key, before, u64::from(start), "")?;
            out.put_uint(end_key, "-", u64::from(end), "")?;
        }
    }
    if let Some(tun_id) = r.tun_id() {
        out.put_uint("tun_id", " tun_id ", tun_id, "")?;
    }
    Ok(())
}

fn print_lookup<W: Write>(out: &mut Out<W>, r: &RuleMessage<'_>) -> io::Result<()> {
    let table = r.table();
    if table != 0 {
        out.put_str("table", " lookup ", &table_name(table), "")?;
        let pl = r
            .u32_attr(FRA_SUPPRESS_PREFIXLEN)
            .filter(|&v| v != u32::MAX);
        if let Some(pl) = pl {
            let pl = i64::from(pl as i32);
            out.put_int("suppress_prefixlen", " suppress_prefixlength ", pl, "")?;
        }
        let group = r.u32_attr(FRA_SUPPRESS_IFGROUP).filter(|&v| v != u32::MAX);
        if let Some(group) = group {
            let name = if group == 0 {
                "default".to_string()
            } else {
                (group as i32).to_string()
            };
            out.put_str("suppress_ifgroup", " suppress_ifgroup ", &name, "")?;
        }
    }
    if let Some(flow) = r.u32_attr(FRA_FLOW) {
        let (from, to) = (flow >> 16, flow & 0xffff);
        if from != 0 {
            out.put_str("flow_from", " realms ", &realm_name(from), "/")?;
        } else {
            out.text_str(" realms ")?;
        }
        out.put_str("flow_to", "", &realm_name(to), "")?;
    }
    Ok(())
}

fn print_action<W: Write>(out: &mut Out<W>, r: &RuleMessage<'_>) -> io::Result<()> {
    match r.action() {
        RTN_NAT => match r.nat_gateway() {
            Some(gw) => {
                let gw = AddrText::new(gw.into());
                out.put_str("nat_gateway", " map-to ", gw.as_str(), "")?
            }
            None => out.null("masquerade", format_args!(" masquerade"))?,
        },
        FR_ACT_GOTO => {
            match r.u32_attr(FRA_GOTO) {
                Some(target) => out.put_uint("goto", " goto ", u64::from(target), "")?,
                None => out.put_str("goto", " goto ", "none", "")?,
            }
            if r.flags() & FIB_RULE_UNRESOLVED != 0 {
                out.null("unresolved", format_args!(" [unresolved]"))?;
            }
        }
        FR_ACT_NOP => out.null("nop", format_args!(" nop"))?,
        FR_ACT_TO_TBL => {}
        action => out.put_str("action", " ", &route_type_name(action), "")?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use netlink_core::route::{RuleAttr, RuleRequest};
    use netlink_core::wire::{Builder, Message};

    use super::*;

    /// The `RTM_NEWRULE` that adds `request`, as the kernel would echo it to a listener.
    fn encoded(request: &RuleRequest<'_>) -> Vec<u8> {
        let mut buf = Vec::new();
        request
            .emit_new(&mut Builder::new(&mut buf))
            .expect("encodes");
        buf
    }

    fn printed(deleted: bool, json: bool, request: &RuleRequest<'_>) -> String {
        let buf = encoded(request);
        let msg = Message::parse(&buf).expect("a message");
        let rule = RuleMessage::parse(&msg).expect("a rule");
        assert!(RuleFilter::default().accepts(&rule));
        let mut text = Vec::new();
        let mut out = Out::boxed(&mut text, json, false);
        print_rule(&mut out, 0, deleted, &rule).expect("prints");
        out.finish().expect("flushes");
        drop(out);
        String::from_utf8(text).expect("UTF-8")
    }

    #[test]
    fn events_print_as_ip_monitor_prints_them() {
        let net = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0));
        let rule = RuleRequest {
            family: AF_INET,
            src_len: 24,
            action: FR_ACT_TO_TBL,
            flags: FIB_RULE_INVERT,
            attrs: &[
                RuleAttr::Src(Some(net)),
                RuleAttr::IifName(b"veth0"),
                RuleAttr::FwMark(0x10),
                RuleAttr::FwMask(0xff),
                RuleAttr::SportRange(1000, 2000),
                RuleAttr::Priority(50),
                RuleAttr::Table(1000),
            ],
            ..RuleRequest::default()
        };
        assert_eq!(
            printed(false, false, &rule),
            "50:\tnot from 198.51.100.0/24 fwmark 0x10/0xff iif veth0 sport 1000-2000 lookup 1000\n"
        );
        let blackhole = RuleRequest {
            family: AF_INET6,
            action: FR_ACT_BLACKHOLE,
            attrs: &[RuleAttr::Priority(70)],
            ..RuleRequest::default()
        };
        assert_eq!(
            printed(true, false, &blackhole),
            "Deleted 70:\tfrom all blackhole\n"
        );
        assert_eq!(
            printed(true, true, &blackhole),
            "{\"deleted\":true,\"priority\":70,\"src\":\"all\",\"action\":\"blackhole\"}\n"
        );
    }

    #[test]
    fn devices_and_port_ranges_print_their_keys() {
        let rule = RuleRequest {
            family: AF_INET,
            action: FR_ACT_TO_TBL,
            attrs: &[
                RuleAttr::IifName(b"veth0"),
                RuleAttr::OifName(b"veth1"),
                RuleAttr::SportRange(1000, 2000),
                RuleAttr::DportRange(53, 53),
                RuleAttr::Priority(9),
                RuleAttr::Table(1000),
            ],
            ..RuleRequest::default()
        };
        assert_eq!(
            printed(false, false, &rule),
            "9:\tfrom all iif veth0 oif veth1 sport 1000-2000 dport 53 lookup 1000\n"
        );
        let json = printed(false, true, &rule);
        assert!(
            json.contains(
                r#""iif":"veth0","oif":"veth1","sport_start":1000,"sport_end":2000,"dport":53,"#
            ),
            "{json}"
        );
    }

    #[test]
    fn the_filter_reads_prefixes_as_ip_does() {
        let net = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0));
        let attrs = [RuleAttr::Src(Some(net)), RuleAttr::Priority(5)];
        let buf = encoded(&RuleRequest {
            family: AF_INET,
            src_len: 24,
            attrs: &attrs,
            ..RuleRequest::default()
        });
        let msg = Message::parse(&buf).expect("a message");
        let rule = RuleMessage::parse(&msg).expect("a rule");
        let from = |bitlen| RuleFilter {
            src: Some(Prefix {
                family: AF_INET,
                addr: Some(net),
                bitlen,
                len_given: true,
                wildcard: false,
            }),
            ..RuleFilter::default()
        };
        assert!(from(24).accepts(&rule));
        assert!(from(16).accepts(&rule));
        assert!(!from(25).accepts(&rule), "a longer prefix than the rule's");
        assert!(from(24).flushes(&rule));
        let other_table = RuleFilter {
            table: 7,
            ..RuleFilter::default()
        };
        assert!(!other_table.accepts(&rule));
    }
}
