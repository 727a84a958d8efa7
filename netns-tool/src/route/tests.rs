//! The parsers of `ip route`, without a kernel. Expected error texts and statuses are ip
//! 6.1's for the same words (stderr less its final newline).

use std::net::IpAddr;

use super::*;
use netlink_core::route::RouteRequest;

use crate::toolbox::testing::{check_help_examples, refusal};

const ADD: u16 = NLM_F_CREATE | NLM_F_EXCL;

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().expect("address"))
}

/// The request `route add LINE` (or `delete` with `RTM_DELROUTE`) plans.
fn planned(family: u8, cmd: u16, line: &str) -> (RouteRequest<'static>, Option<String>) {
    let w = words(line);
    let plan = parse_modify(family, &mut Args::new(&w), cmd, ADD).expect(line);
    (plan.request, plan.device.map(str::to_owned))
}

fn add(line: &str) -> RouteRequest<'static> {
    planned(AF_UNSPEC, RTM_NEWROUTE, line).0
}

/// The error of `route add LINE`: message and exit status.
fn add_error(line: &str) -> (String, i32) {
    let w = words(line);
    let e = parse_modify(AF_UNSPEC, &mut Args::new(&w), RTM_NEWROUTE, ADD).expect_err(line);
    (e.message().to_owned(), e.status())
}

fn selector(family: u8, line: &str) -> (Filter, Option<String>, Option<String>) {
    let w = words(line);
    let sel = parse_selector(family, &mut Args::new(&w)).expect(line);
    let name = |n: Option<&str>| n.map(str::to_owned);
    (sel.filter, name(sel.oif), name(sel.iif))
}

fn selector_error(line: &str) -> (String, i32) {
    let w = words(line);
    let e = parse_selector(AF_UNSPEC, &mut Args::new(&w)).expect_err(line);
    (e.message().to_owned(), e.status())
}

fn get_error(line: &str) -> (String, i32) {
    let w = words(line);
    let e = parse_get(AF_UNSPEC, &mut Args::new(&w)).expect_err(line);
    (e.message().to_owned(), e.status())
}

fn wrong(arg: &str, what: &str) -> (String, i32) {
    (format!("Error: argument \"{arg}\" is wrong: {what}\n"), 255)
}

#[test]
fn a_plain_prefix_is_a_link_scope_unicast_route_in_main() {
    let r = add("192.0.2.0/24");
    assert_eq!((r.family, r.dst, r.dst_len), (AF_INET, ip("192.0.2.0"), 24));
    assert_eq!((r.kind, r.protocol), (RTN_UNICAST, RTPROT_BOOT));
    assert_eq!(
        (r.scope, r.table),
        (RT_SCOPE_LINK, u32::from(RT_TABLE_MAIN))
    );
    assert_eq!(add("to 192.0.2.0/24"), r);
}

#[test]
fn default_takes_its_family_from_the_gateway() {
    let r = add("default via 198.51.100.1");
    assert_eq!((r.family, r.dst, r.dst_len), (AF_INET, None, 0));
    assert_eq!(r.gateway, ip("198.51.100.1"));
    assert_eq!(r.scope, RT_SCOPE_UNIVERSE);
    let r6 = planned(AF_INET6, RTM_NEWROUTE, "default via 2001:db8::1").0;
    assert_eq!((r6.family, r6.dst), (AF_INET6, ip("::")));
}

#[test]
fn a_gateway_keeps_the_universe_scope_and_dev_waits_for_the_kernel() {
    let (r, dev) = planned(
        AF_UNSPEC,
        RTM_NEWROUTE,
        "198.51.100.0/24 via 192.0.2.1 dev veth0",
    );
    assert_eq!(r.scope, RT_SCOPE_UNIVERSE);
    assert_eq!(r.oif, None);
    assert_eq!(dev.as_deref(), Some("veth0"));
    let (_, oif) = planned(AF_UNSPEC, RTM_NEWROUTE, "198.51.100.0/24 oif x0");
    assert_eq!(oif.as_deref(), Some("x0"));
}

#[test]
fn a_gateway_of_another_family_is_rta_via() {
    let r = add("198.51.100.0/24 via inet6 2001:db8::7");
    assert_eq!((r.gateway, r.via), (None, ip("2001:db8::7")));
    assert_eq!(r.family, AF_INET);
}

#[test]
fn metric_table_scope_proto_src_tos_mtu_pref_onlink() {
    let r = add(
        "198.51.100.0/24 metric 7 table 100 scope host proto static src 192.0.2.1 \
         tos 0x10 mtu 1400 pref high onlink",
    );
    assert_eq!(r.priority, Some(7));
    assert_eq!(r.table, 100);
    assert_eq!(r.scope, RT_SCOPE_HOST);
    assert_eq!(r.protocol, RTPROT_STATIC);
    assert_eq!(r.prefsrc, ip("192.0.2.1"));
    assert_eq!((r.tos, r.pref), (0x10, Some(1)));
    // mtu is one of the metrics, sent in command-line order with the others.
    let w = words("198.51.100.0/24 tos 0x10 mtu 1400 pref high");
    let plan = parse_modify(AF_UNSPEC, &mut Args::new(&w), RTM_NEWROUTE, ADD).expect("valid");
    let mtu = netlink_core::route::RouteMetric::number(RTAX_MTU, 1400);
    assert_eq!(plan.metrics.for_request(), [mtu]);
    assert_eq!(r.flags, RTNH_F_ONLINK);
    assert_eq!(add("192.0.2.0/24 priority 9").priority, Some(9));
    assert_eq!(add("192.0.2.0/24 preference 9").priority, Some(9));
    assert_eq!(add("192.0.2.0/24 table main").table, 254);
    assert_eq!(add("192.0.2.0/24 proto 99").protocol, 99);
    assert_eq!(add("192.0.2.0/24 pref low").pref, Some(3));
}

#[test]
fn types_choose_their_table_and_scope() {
    let local = add("local 198.18.5.5");
    assert_eq!(
        (local.kind, local.table),
        (RTN_LOCAL, u32::from(RT_TABLE_LOCAL))
    );
    assert_eq!(local.scope, RT_SCOPE_HOST);
    let brd = add("broadcast 198.18.5.255");
    assert_eq!((brd.kind, brd.scope), (RTN_BROADCAST, RT_SCOPE_LINK));
    let bh = add("blackhole 203.0.113.0/24");
    assert_eq!(
        (bh.kind, bh.table),
        (RTN_BLACKHOLE, u32::from(RT_TABLE_MAIN))
    );
    assert_eq!(add("unreachable 203.0.113.0/24 table 7").table, 7);
    assert_eq!(add("prohibit 203.0.113.0/24").kind, RTN_PROHIBIT);
    assert_eq!(add("local 198.18.5.5 table main").table, 254);
}

#[test]
fn delete_leaves_type_protocol_and_scope_to_match() {
    let (r, _) = planned(AF_UNSPEC, RTM_DELROUTE, "198.51.100.0/24");
    assert_eq!(
        (r.kind, r.protocol, r.scope),
        (RTN_UNSPEC, RTPROT_UNSPEC, RT_SCOPE_NOWHERE)
    );
    let w = words("198.51.100.0/24");
    let plan = parse_modify(AF_UNSPEC, &mut Args::new(&w), RTM_DELROUTE, 0).expect("plan");
    assert!(plan.deleting);
}

#[test]
fn ipv6_routes_are_universe_scope() {
    let r = add("2001:db8:1::/48 via 2001:db8::2");
    assert_eq!((r.family, r.scope), (AF_INET6, RT_SCOPE_UNIVERSE));
    assert_eq!(add("2001:db8:1::/48").scope, RT_SCOPE_UNIVERSE);
    let r = add("2001:db8:1::/48 from 2001:db8:9::/64");
    assert_eq!((r.src, r.src_len), (ip("2001:db8:9::"), 64));
}

#[test]
fn add_errors_read_as_ips() {
    assert_eq!(add_error(""), (USAGE.to_owned(), 255));
    assert_eq!(add_error("help"), (USAGE.to_owned(), 255));
    assert_eq!(
        add_error("192.0.2.0/24 metric x"),
        wrong("x", "\"metric\" value is invalid")
    );
    assert_eq!(
        add_error("192.0.2.0/24 via 198.51.100.1 via 198.51.100.2"),
        wrong("via", "use nexthop syntax to specify multiple via")
    );
    let bad = [
        ("scope", "invalid \"scope\" value"),
        ("table", "\"table\" value is invalid"),
        ("proto", "\"protocol\" value is invalid"),
        ("tos", "\"tos\" value is invalid"),
        ("pref", "\"pref\" value is invalid"),
        ("mtu", "\"mtu\" value is invalid"),
    ];
    for (key, what) in bad {
        assert_eq!(
            add_error(&format!("192.0.2.0/24 {key} zz")),
            wrong("zz", what)
        );
    }
}

/// `route add` words ip refuses: (words, ip's message, ip's exit status).
const ADD_REFUSALS: &[(&str, &str, i32)] = &[
    (
        "192.0.2.0/33",
        "Error: any valid prefix is expected rather than \"192.0.2.0/33\".",
        1,
    ),
    (
        "192.0.2.0/24 198.51.100.0/24",
        "Error: either \"to\" is duplicate, or \"198.51.100.0/24\" is a garbage.",
        255,
    ),
    ("blackhole", INCOMPLETE, 255),
    ("192.0.2.0/24 metric", INCOMPLETE, 255),
    (
        "2001:db8::/32 via 192.0.2.1",
        "Error: inet6 address is expected rather than \"192.0.2.1\".",
        1,
    ),
    (
        "192.0.2.0/24 src 2001:db8::1",
        "Error: inet address is expected rather than \"2001:db8::1\".",
        1,
    ),
    (
        "198.51.100.0/24 nexthop via 192.0.2.2 foo",
        "Error: \"nexthop\" or end of line is expected instead of \"foo\"",
        255,
    ),
    ("198.51.100.0/24 nexthop", NEXTHOP_END, 255),
    (
        "198.51.100.0/24 nexthop via 192.0.2.2 nexthop",
        NEXTHOP_END,
        255,
    ),
    (
        "198.51.100.0/24 nexthop via x",
        "Error: inet address is expected rather than \"x\".",
        1,
    ),
];

const INCOMPLETE: &str = "Command line is not complete. Try option \"help\"";
const NEXTHOP_END: &str = "Error: unexpected end of line after \"nexthop\"";

#[test]
fn more_add_errors_read_as_ips() {
    for &(line, message, status) in ADD_REFUSALS {
        assert_eq!(add_error(line), refusal(message, status), "{line}");
    }
}

/// ip features nsip lacks are named as such, never as ip's "garbage", at ip's usage status.
#[test]
fn missing_ip_features_say_so() {
    let lacking = |word: &str| (format!("Error: \"{word}\" is not supported by nsip."), 255);
    for word in ["nhid", "encap", "as", "ttl-propagate", "expires"] {
        assert_eq!(add_error(&format!("192.0.2.0/24 {word} 5")), lacking(word));
    }
    for word in ["vrf", "ipproto", "sport", "dport"] {
        assert_eq!(get_error(&format!("192.0.2.1 {word} 5")), lacking(word));
    }
    assert_eq!(selector_error("vrf x"), lacking("vrf"));
    let g = Globals::default();
    for command in ["save", "showdump", "restore", "sa"] {
        let w = words(command);
        let e = parse(&g, &mut Args::new(&w)).expect_err(command);
        assert_eq!((e.message().to_owned(), e.status()), lacking(command));
    }
}

#[test]
fn next_hops_are_read_after_the_rest() {
    let w = words(
        "198.51.100.0/24 metric 9 nexthop via 192.0.2.1 dev veth0 weight 3 nexthop dev veth1 onlink",
    );
    let plan = parse_modify(AF_UNSPEC, &mut Args::new(&w), RTM_NEWROUTE, ADD).expect("plan");
    assert_eq!(plan.request.priority, Some(9));
    assert_eq!(plan.request.scope, RT_SCOPE_UNIVERSE);
    let hops: Vec<_> = plan
        .nexthops
        .iter()
        .map(|h| (h.hop.gateway, h.hop.weight, h.hop.flags, h.device))
        .collect();
    assert_eq!(
        hops,
        vec![
            (ip("192.0.2.1"), 3, 0, Some("veth0")),
            (None, 1, RTNH_F_ONLINK as u8, Some("veth1")),
        ]
    );
    let w = words("2001:db8:1::/64 nexthop via inet 192.0.2.1");
    let plan = parse_modify(AF_UNSPEC, &mut Args::new(&w), RTM_NEWROUTE, ADD).expect("plan");
    assert_eq!(plan.request.family, AF_INET6);
    assert_eq!(
        plan.nexthops.first().and_then(|h| h.hop.gateway),
        ip("192.0.2.1")
    );
}

#[test]
fn next_hop_errors_read_as_ips() {
    assert_eq!(
        add_error("198.51.100.0/24 nexthop via 192.0.2.2 weight 0"),
        wrong("0", "\"weight\" is invalid")
    );
    assert_eq!(
        add_error("198.51.100.0/24 nexthop via 192.0.2.2 weight 257"),
        wrong("257", "\"weight\" is invalid")
    );
    assert_eq!(add_error("nexthop via 192.0.2.2"), (USAGE.to_owned(), 255));
}

#[test]
fn a_selector_starts_at_the_main_table_and_uncached_routes() {
    let (f, oif, iif) = selector(AF_UNSPEC, "");
    assert_eq!((f.table, f.cloned, f.family), (254, 0, AF_INET));
    assert_eq!((oif, iif), (None, None));
    let (f, ..) = selector(AF_INET6, "table all");
    assert_eq!((f.table, f.family), (0, AF_INET6));
    assert_eq!(selector(AF_UNSPEC, "table all").0.family, AF_UNSPEC);
    assert_eq!(selector(AF_UNSPEC, "table cache").0.cloned, 1);
    assert_eq!(selector(AF_UNSPEC, "table 100").0.table, 100);
}

#[test]
fn selector_keys() {
    let (f, oif, iif) = selector(
        AF_UNSPEC,
        "proto static scope link type blackhole metric 5 tos 0x10 dev veth0 iif veth1",
    );
    assert_eq!(
        (f.protocol, f.scope),
        (Some(RTPROT_STATIC), Some(RT_SCOPE_LINK))
    );
    assert_eq!(f.types, 1u64 << RTN_BLACKHOLE);
    assert_eq!((f.metric, f.tos), (Some(5), Some(0x10)));
    assert_eq!(
        (oif.as_deref(), iif.as_deref()),
        (Some("veth0"), Some("veth1"))
    );
    let (f, ..) = selector(AF_UNSPEC, "proto all scope all");
    assert_eq!((f.protocol, f.scope), (None, None));
}

#[test]
fn selector_prefixes() {
    let (f, ..) = selector(AF_UNSPEC, "root 198.0.0.0/7");
    assert_eq!(f.dst.root.map(|p| p.bitlen), Some(7));
    assert!(f.dst.within.is_none());
    let (f, ..) = selector(AF_UNSPEC, "match 198.51.100.7 root 198.0.0.0/7");
    assert_eq!(f.dst.within.map(|p| p.bitlen), Some(32));
    assert_eq!(f.dst.root.map(|p| p.bitlen), Some(7));
    let (f, ..) = selector(AF_UNSPEC, "exact 198.51.100.0/24");
    assert_eq!((f.dst.root, f.dst.within), (f.dst.root, f.dst.root));
    assert!(f.dst.root.is_some());
    let (f, ..) = selector(AF_UNSPEC, "from root 2001:db8::/32 via inet6 2001:db8::1");
    assert_eq!(f.src.root.map(|p| p.family), Some(AF_INET6));
    assert_eq!(f.via.map(|p| p.family), Some(AF_INET6));
    let (f, ..) = selector(AF_UNSPEC, "to any src 192.0.2.1");
    assert!(f.dst.root.is_none() && f.dst.within.is_none());
    assert_eq!(f.prefsrc.and_then(|p| p.addr), ip("192.0.2.1"));
}

#[test]
fn selector_errors_read_as_ips() {
    assert_eq!(
        selector_error("table xx"),
        wrong("xx", "table id value is invalid")
    );
    assert_eq!(
        selector_error("type xx"),
        wrong("xx", "node type value is invalid")
    );
    assert_eq!(
        selector_error("proto xx"),
        wrong("xx", "invalid \"protocol\"")
    );
    assert_eq!(selector_error("scope xx"), wrong("xx", "invalid \"scope\""));
    assert_eq!(
        selector_error("tos zz"),
        wrong("zz", "TOS value is invalid")
    );
    assert_eq!(
        selector_error("metric q"),
        wrong("q", "\"metric\" value is invalid")
    );
    assert_eq!(
        selector_error("root 1.2.3.4/40"),
        refusal(
            "Error: any valid prefix is expected rather than \"1.2.3.4/40\".",
            1
        )
    );
    assert_eq!(selector_error("dev").1, 255);
    assert_eq!(selector_error("table help"), (USAGE.to_owned(), 255));
}

#[test]
fn get_reads_a_host_query() {
    let w = words("198.51.100.7 from 192.0.2.1 iif veth1 oif veth0 mark 7 uid 1000 fibmatch");
    let plan = parse_get(AF_UNSPEC, &mut Args::new(&w)).expect("plan");
    let q = &plan.query;
    assert_eq!(
        (q.family, q.dst, q.dst_len),
        (AF_INET, ip("198.51.100.7"), 32)
    );
    assert_eq!((q.src, q.src_len), (ip("192.0.2.1"), 32));
    assert_eq!((q.mark, q.uid, q.fib_match), (Some(7), Some(1000), true));
    assert_eq!((plan.iif, plan.oif), (Some("veth1"), Some("veth0")));
    assert!(plan.warnings.is_empty());
}

#[test]
fn get_warns_of_a_prefix_and_keeps_the_warning_before_a_later_error() {
    let w = words("192.0.2.0/24");
    let plan = parse_get(AF_UNSPEC, &mut Args::new(&w)).expect("plan");
    let warning = "Warning: /24 as prefix is invalid, only /32 (or none) is supported.\n";
    assert_eq!(plan.warnings, warning);
    assert_eq!(plan.query.dst_len, 32);
    let (text, status) = get_error("192.0.2.0/24 mark q");
    assert_eq!(
        text,
        format!("{warning}{}", wrong("q", "invalid mark value").0)
    );
    assert_eq!(status, 255);
}

#[test]
fn get_errors_read_as_ips() {
    assert_eq!(
        get_error(""),
        refusal("need at least a destination address", 1)
    );
    assert_eq!(get_error("192.0.2.1 uid q"), wrong("q", "invalid UID"));
    assert_eq!(
        get_error("192.0.2.1 tos q"),
        wrong("q", "TOS value is invalid")
    );
    assert_eq!(get_error("help"), (USAGE.to_owned(), 255));
    assert_eq!(get_error("from help"), (USAGE.to_owned(), 255));
}

#[test]
fn commands_choose_their_plan() {
    let g = Globals::default();
    let plan_of = |line: &str| {
        let w = words(line);
        match parse(&g, &mut Args::new(&w)) {
            Ok(Plan::Modify(p)) => format!("modify {} {:#x}", p.deleting, p.create_flags),
            Ok(Plan::List(_)) => "list".to_owned(),
            Ok(Plan::Flush(_)) => "flush".to_owned(),
            Ok(Plan::Get(_)) => "get".to_owned(),
            Err(e) => format!("{} ({})", e.message(), e.status()),
        }
    };
    let new = |flags: u16| format!("modify false {flags:#x}");
    assert_eq!(plan_of(""), "list");
    assert_eq!(plan_of("sh table all"), "list");
    assert_eq!(plan_of("a 192.0.2.0/24"), new(NLM_F_CREATE | NLM_F_EXCL));
    assert_eq!(plan_of("chg 192.0.2.0/24"), new(NLM_F_REPLACE));
    assert_eq!(
        plan_of("replace 192.0.2.0/24"),
        new(NLM_F_CREATE | NLM_F_REPLACE)
    );
    assert_eq!(plan_of("prepend 192.0.2.0/24"), new(NLM_F_CREATE));
    assert_eq!(
        plan_of("append 192.0.2.0/24"),
        new(NLM_F_CREATE | NLM_F_APPEND)
    );
    assert_eq!(plan_of("test 192.0.2.0/24"), new(NLM_F_EXCL));
    assert_eq!(plan_of("del 192.0.2.0/24"), "modify true 0x0");
    assert_eq!(plan_of("get 192.0.2.1"), "get");
    assert_eq!(plan_of("flush dev veth0"), "flush");
    assert_eq!(
        plan_of("flush"),
        "\"ip route flush\" requires arguments. (1)"
    );
    assert_eq!(
        plan_of("foo"),
        "Command \"foo\" is unknown, try \"ip route help\". (255)"
    );
    assert_eq!(plan_of("help"), format!("{USAGE} (255)"));
}

/// Command lines that together use every word `nsip route help` names.
const HELP_EXAMPLES: &[&str] = &[
    "list root 192.0.2.0/24 table all proto kernel type unicast scope link",
    "flush match 192.0.2.0/24 table local proto boot type local scope host",
    "list exact 192.0.2.0/24 table 5 proto static type broadcast scope global",
    "get fibmatch 192.0.2.1 from 192.0.2.2 iif lo oif lo tos 0 mark 1 uid 0",
    "add unicast 198.51.100.0/24 tos 0 table main proto static scope global metric 5 \
     mtu 1500 advmss 1400 rtt 1s rttvar 1ms reordering 3 window 1 cwnd 1 initcwnd 1 \
     ssthresh 1 realms 1 src 192.0.2.1 rto_min 1ms hoplimit 1 initrwnd 1 features ecn \
     quickack 1 congctl reno pref low fastopen_no_cookie 0 via inet 192.0.2.1 dev x onlink",
    "del multicast 198.51.100.0/24 table default pref medium",
    "change throw 198.51.100.0/24 pref high",
    "append unreachable 198.51.100.0/24",
    "replace prohibit 198.51.100.0/24",
    "prepend blackhole 198.51.100.0/24",
    "test nat 198.51.100.0/24",
    "add 198.51.100.0/24 nexthop via 192.0.2.1 dev x weight 2 onlink nexthop dev y",
    "add 2001:db8::/64 via inet6 2001:db8::1 dev x",
];

#[test]
fn every_word_of_the_help_is_accepted() {
    let g = Globals::default();
    // TIME's units are written after a number (`rto_min 5ms`): exempt when an example does so.
    let units: Vec<&str> = ["s", "ms"]
        .into_iter()
        .filter(|unit| {
            HELP_EXAMPLES
                .iter()
                .any(|l| l.split_whitespace().any(|w| w.ends_with(unit)))
        })
        .collect();
    let exempt = [&["nsip", "route"], &units[..]].concat();
    check_help_examples(USAGE, HELP_EXAMPLES, &exempt, |line| {
        parse(&g, &mut Args::new(&words(line))).map(drop)
    });
    assert!(USAGE.starts_with("Usage: nsip route "));
}
