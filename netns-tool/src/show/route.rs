//! One route as `ip route` prints it, in text or JSON. Shared by `show`, `get`, `flush -s -s`
//! and `monitor`.

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::RouteMessage;
use netlink_core::wire::Attr;

use super::device::print_dev;
use super::open_entry;
use super::route_encap::print_encap;
use super::route_filter::Filter;
use super::route_out::StickyOut;
use super::route_parts::{
    print_cache_flags, print_cacheinfo, print_flags, print_metrics, print_multipath, print_via,
};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::color::Paint;
use crate::toolbox::inet::{bit_len, AddrText};
use crate::toolbox::json::hex_text;
use crate::toolbox::names::{protocol_name, realm_name, route_type_name, scope_name, table_name};
use crate::toolbox::output::Out;

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
    /// The kernel's clock ticks per second (`sysconf(_SC_CLK_TCK)`), for cache-info ages.
    pub clock_ticks: i64,
}

/// Prints one route (`RTM_NEWROUTE`, or `RTM_DELROUTE` as `Deleted ...`) as ip's
/// `print_route` does, including the line break (text) or the object (JSON).
pub fn print_route<W: Write>(
    out: &mut Out<W>,
    ctx: &Context<'_>,
    deleted: bool,
    r: &RouteMessage<'_>,
) -> io::Result<()> {
    let mut sticky = StickyOut::new(out);
    let out = &mut sticky;
    out.with(|o| open_entry(o, deleted));
    ctx.print_keys(out, r);
    ctx.print_forwarding(out, r);
    print_flags(out, r.flags());
    ctx.print_extras(out, r);
    out.close_object();
    out.text_str("\n");
    sticky.finish()
}

impl Context<'_> {
    /// Type, destination, source, next-hop id and TOS: what selects the route.
    fn print_keys<W: Write>(&self, out: &mut StickyOut<'_, W>, r: &RouteMessage<'_>) {
        let kind = r.kind();
        if (kind != RTN_UNICAST || self.details > 0) && self.filter.accepts_type(kind) {
            out.put_str("type", "", &route_type_name(kind), " ");
        }
        let host_len = bit_len(r.family());
        match r.attr(RTA_DST) {
            Some(a) => {
                let dst = prefix_text(a, r.dst_len(), host_len);
                out.with(|o| {
                    o.put_painted(Paint::of_family(r.family()), "dst", "", dst.as_str(), " ")
                });
            }
            None if r.dst_len() != 0 => {
                // ip's value itself ends in a space here (JSON too).
                let mut dst = zero_prefix(r.dst_len());
                dst.push(b" ");
                out.put_str("dst", "", dst.as_str(), " ")
            }
            None => out.put_str("dst", "", "default", " "),
        }
        match r.attr(RTA_SRC) {
            Some(a) => {
                let src = prefix_text(a, r.src_len(), host_len);
                let paint = Paint::of_family(r.family());
                out.with(|o| {
                    o.string_painted(paint, "from", format_args!("from {src} "), src.as_str())
                });
            }
            None if r.src_len() != 0 => {
                out.put_str("src", "from ", zero_prefix(r.src_len()).as_str(), " ")
            }
            None => {}
        }
        if let Some(id) = r.attr(RTA_NH_ID).and_then(|a| a.u32()) {
            out.put_uint("nhid", "nhid ", u64::from(id), " ");
        }
        if let Some(encap) = r.encapsulation() {
            print_encap(out, self.names, self.stats, &encap);
        }
        if r.tos() != 0 && self.filter.tos.is_none() {
            let mut hex = [0; 10];
            out.put_str(
                "tos",
                "tos ",
                hex_text(&mut hex, u32::from(r.tos()), 2),
                " ",
            );
        }
    }

    /// Gateway, device, table, protocol, scope, preferred source and metric.
    fn print_forwarding<W: Write>(&self, out: &mut StickyOut<'_, W>, r: &RouteMessage<'_>) {
        let f = self.filter;
        let host_len = bit_len(r.family());
        if let Some(gw) = r.gateway() {
            if !matches!(f.via, Some(v) if v.bitlen == host_len) {
                out.put_addr(Paint::of_family(r.family()), "gateway", "via ", gw, " ");
            }
        }
        if let Some(via) = r.via() {
            print_via(out, &via);
        }
        if let Some(oif) = r.oif() {
            if f.oif.is_none() {
                out.with(|o| print_dev(o, self.names, ("dev", "dev "), Paint::IfName, oif));
            }
        }
        let table = r.table();
        if table != 0 && (table != u32::from(RT_TABLE_MAIN) || self.details > 0) && f.table == 0 {
            out.put_str("table", "table ", &table_name(table), " ");
        }
        if r.flags() & RTM_F_CLONED == 0 {
            if (r.protocol() != RTPROT_BOOT || self.details > 0) && f.protocol.is_none() {
                out.put_str("protocol", "proto ", &protocol_name(r.protocol()), " ");
            }
            if (r.scope() != RT_SCOPE_UNIVERSE || self.details > 0) && f.scope.is_none() {
                out.put_str("scope", "scope ", &scope_name(r.scope()), " ");
            }
        }
        if let Some(ps) = r.prefsrc() {
            if !matches!(f.prefsrc, Some(p) if p.bitlen == host_len) {
                out.put_addr(Paint::of_family(r.family()), "prefsrc", "src ", ps, " ");
            }
        }
        if let Some(metric) = r.priority() {
            if f.metric.is_none() {
                out.put_uint("metric", "metric ", u64::from(metric), " ");
            }
        }
    }

    /// Mark, realms, uid, cache flags and info, metrics, input device, preference, TTL
    /// propagation and the next hops of a multipath route.
    fn print_extras<W: Write>(&self, out: &mut StickyOut<'_, W>, r: &RouteMessage<'_>) {
        let family = r.family();
        let line_break = if self.oneline { "\\" } else { "\n" };
        if let Some(mark) = r.attr(RTA_MARK).and_then(|a| a.u32()).filter(|&m| m != 0) {
            out.with(|o| o.json_uint("mark", u64::from(mark)));
            if mark >= 16 {
                out.text(format_args!("mark 0x{mark:x} "));
            } else {
                out.text(format_args!("mark {mark} "));
            }
        }
        if let Some(flow) = r.attr(RTA_FLOW).and_then(|a| a.u32()) {
            print_realms(out, flow);
        }
        if let Some(uid) = r.attr(RTA_UID).and_then(|a| a.u32()) {
            out.put_uint("uid", "uid ", u64::from(uid), " ");
        }
        if family == AF_INET && r.flags() & RTM_F_CLONED != 0 {
            print_cache_flags(out, r.flags(), line_break);
        }
        if family == AF_INET || family == AF_INET6 {
            if let Some(ci) = r.cache_info() {
                print_cacheinfo(out, ci, self.clock_ticks, self.stats);
            }
        }
        if let Some(metrics) = r.metrics() {
            print_metrics(out, metrics);
        }
        if let Some(iif) = r.iif() {
            if self.filter.iif.is_none() {
                out.with(|o| print_dev(o, self.names, ("iif", "iif "), Paint::IfName, iif));
            }
        }
        if let Some(pref) = r.pref() {
            match pref_name(pref) {
                Some(name) => out.put_str("pref", "pref ", name, ""),
                None => out.put_uint("pref", "", u64::from(pref), ""),
            }
        }
        if let Some(ttl) = r.attr(RTA_TTL_PROPAGATE).and_then(|a| a.u8()) {
            out.with(|o| o.json_bool("ttl-propogate", ttl != 0));
            let word = if ttl != 0 { "enabled" } else { "disabled" };
            out.text(format_args!("ttl-propogate {word}"));
        }
        if let Some(hops) = r.nexthops() {
            print_multipath(out, self.names, (family, self.stats), hops, line_break);
        }
    }
}

/// `ADDR/LEN` of an address attribute, or the bare address when `len` is the family's
/// full length (an address that cannot be read prints as nothing, as ip's does).
fn prefix_text(addr: Attr<'_>, len: u8, host_len: u8) -> AddrText {
    let mut text = addr.ip().map_or_else(AddrText::empty, AddrText::new);
    if len != host_len {
        text.push(b"/");
        text.push_number(len);
    }
    text
}

/// `0/LEN`: ip's text for a prefix length without its address.
fn zero_prefix(len: u8) -> AddrText {
    let mut text = AddrText::empty();
    text.push(b"0/");
    text.push_number(len);
    text
}

/// `RTA_PREF`'s name (`ICMPV6_ROUTER_PREF_*`), if it has one.
fn pref_name(pref: u8) -> Option<&'static str> {
    match pref {
        0 => Some("medium"),
        1 => Some("high"),
        3 => Some("low"),
        _ => None,
    }
}

/// `RTA_FLOW`: `"flow":{"from":..,"to":..}` or `realm TO` / `realms FROM/TO`, by name.
fn print_realms<W: Write>(out: &mut StickyOut<'_, W>, flow: u32) {
    let (from, to) = (flow >> 16, flow & 0xffff);
    let to_name = realm_name(to);
    let from_name = (from != 0).then(|| realm_name(from));
    out.open_object(Some("flow"));
    if let Some(name) = &from_name {
        out.with(|o| o.json_str("from", name));
    }
    out.with(|o| o.json_str("to", &to_name));
    out.close_object();
    match from_name {
        Some(from) => out.text(format_args!("realms {from}/{to_name} ")),
        None => out.text(format_args!("realm {to_name} ")),
    }
}

#[cfg(test)]
mod tests {
    use netlink_core::route::{NextHopRequest, RouteRequest};
    use netlink_core::wire::{Builder, Messages};

    use super::*;

    /// `request` as the kernel's `RTM_NEWROUTE` would carry it, printed with `ctx`.
    fn printed(request: &RouteRequest<'_>, filter: &Filter, json: bool) -> String {
        let mut bytes = Vec::new();
        request
            .emit_new(&mut Builder::new(&mut bytes))
            .expect("encodes");
        let msg = Messages::new(&bytes).next().expect("one").expect("valid");
        let route = RouteMessage::parse(&msg).expect("a route");
        let names = LinkCache::new();
        let ctx = Context {
            names: &names,
            details: 0,
            stats: 0,
            oneline: false,
            filter,
            clock_ticks: 100,
        };
        let mut text = Vec::new();
        print_route(&mut Out::boxed(&mut text, json, false), &ctx, false, &route).expect("prints");
        String::from_utf8(text).expect("utf-8")
    }

    fn via_route() -> RouteRequest<'static> {
        RouteRequest {
            dst: "198.51.100.0".parse().ok(),
            dst_len: 24,
            gateway: "192.0.2.2".parse().ok(),
            oif: Some(3),
            priority: Some(10),
            protocol: RTPROT_STATIC,
            ..RouteRequest::default()
        }
    }

    #[test]
    fn a_route_prints_as_ip_prints_it() {
        let all = Filter::listing(AF_INET);
        assert_eq!(
            printed(&via_route(), &all, false),
            "198.51.100.0/24 via 192.0.2.2 dev if3 proto static metric 10 \n"
        );
        assert_eq!(
            printed(&via_route(), &all, true),
            r#"{"dst":"198.51.100.0/24","gateway":"192.0.2.2","dev":"if3","protocol":"static","metric":10,"flags":[]}"#
        );
    }

    #[test]
    fn fields_the_selector_fixed_are_left_out() {
        let fixed = Filter {
            protocol: Some(RTPROT_STATIC),
            metric: Some(10),
            oif: Some(3),
            ..Filter::listing(AF_INET)
        };
        assert_eq!(
            printed(&via_route(), &fixed, false),
            "198.51.100.0/24 via 192.0.2.2 \n"
        );
    }

    #[test]
    fn types_defaults_and_next_hops() {
        let all = Filter::listing(AF_INET);
        let blackhole = RouteRequest {
            kind: RTN_BLACKHOLE,
            ..RouteRequest::default()
        };
        assert_eq!(printed(&blackhole, &all, false), "blackhole default \n");
        let hops = [
            NextHopRequest {
                gateway: "192.0.2.2".parse().ok(),
                ifindex: 3,
                weight: 2,
                flags: 0,
            },
            NextHopRequest {
                gateway: "192.0.2.3".parse().ok(),
                ifindex: 3,
                weight: 1,
                flags: RTNH_F_ONLINK as u8,
            },
        ];
        let multipath = RouteRequest {
            dst: "198.51.100.0".parse().ok(),
            dst_len: 24,
            nexthops: &hops,
            ..RouteRequest::default()
        };
        assert_eq!(
            printed(&multipath, &all, false),
            "198.51.100.0/24 \n\tnexthop via 192.0.2.2 dev if3 weight 2 \
             \n\tnexthop via 192.0.2.3 dev if3 weight 1 onlink \n"
        );
        assert_eq!(
            printed(&multipath, &all, true),
            concat!(
                r#"{"dst":"198.51.100.0/24","flags":[],"nexthops":["#,
                r#"{"gateway":"192.0.2.2","dev":"if3","weight":2,"flags":[]},"#,
                r#"{"gateway":"192.0.2.3","dev":"if3","weight":1,"flags":["onlink"]}]}"#
            )
        );
    }
}
