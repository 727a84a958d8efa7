//! Unit tests of [`super::parse_modify`]: the plans and ip's errors, without root.
use super::*;
use std::net::Ipv4Addr;

/// `add`'s change: create, not replace.
const ADD: Change = Change::New(NLM_F_CREATE | NLM_F_EXCL);

fn parse(words: &str, family: u8, command: Change) -> CliResult<ModifyPlan<'static>> {
    let owned: Vec<String> = words.split_whitespace().map(String::from).collect();
    let leaked: &'static [String] = Vec::leak(owned);
    parse_modify(&mut Args::new(leaked), family, command)
}

fn add(words: &str) -> ModifyPlan<'static> {
    parse(words, AF_UNSPEC, ADD).expect(words)
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> Option<IpAddr> {
    Some(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
}

#[test]
fn a_plain_address() {
    let plan = add("192.0.2.1/24 dev veth0");
    assert_eq!((plan.command, plan.dev), (ADD, "veth0"));
    let r = &plan.request;
    assert_eq!((r.family, r.prefix_len, r.scope), (AF_INET, 24, 0));
    assert_eq!((r.local, r.peer), (v4(192, 0, 2, 1), None));
    assert!(!r.omit_address);
    assert_eq!(plan.order, [AddressArg::Local]);
    assert!(plan.warning.is_none() && plan.after_lookup.is_none());
    let plan = add("local 192.0.2.1 dev veth0");
    assert_eq!(plan.request.prefix_len, 32);
}

#[test]
fn attributes_keep_the_command_line_order() {
    let plan = add("label veth0:1 metric 7 local 192.0.2.1/24 anycast 192.0.2.9 dev veth0");
    assert_eq!(
        plan.order,
        [
            AddressArg::Label,
            AddressArg::Metric,
            AddressArg::Local,
            AddressArg::Anycast
        ]
    );
    assert_eq!(plan.label.as_deref(), Some(&b"veth0:1"[..]));
    assert_eq!(plan.request.metric, Some(7));
    assert_eq!(plan.request.anycast, v4(192, 0, 2, 9));
    let plan = add("192.0.2.1 peer 192.0.2.2/30 broadcast 192.0.2.3 dev d");
    assert_eq!(
        plan.order,
        [AddressArg::Local, AddressArg::Peer, AddressArg::Broadcast]
    );
    assert_eq!(plan.request.prefix_len, 30, "the peer's length");
    assert_eq!(plan.request.peer, v4(192, 0, 2, 2));
    let plan = add("192.0.2.1 label a label b dev d");
    assert_eq!(
        plan.label.as_deref(),
        Some(&b"b"[..]),
        "the last label, as the kernel keeps"
    );
    // A word that was not UTF-8 on the command line is sent as its bytes.
    let words: &'static [String] = Vec::leak(vec![
        "label".to_owned(),
        crate::toolbox::args::word_from_bytes(b"d:\xff"),
        "1.2.3.4".to_owned(),
        "dev".to_owned(),
        "d".to_owned(),
    ]);
    let plan = parse_modify(&mut Args::new(words), 0, ADD).expect("bytes");
    assert_eq!(plan.label.as_deref(), Some(&b"d:\xff"[..]));
}

#[test]
fn broadcast_words() {
    let r = add("192.0.2.1/24 brd + dev d").request;
    assert_eq!(r.broadcast, Some(Broadcast::HostBitsSet));
    let r = add("192.0.2.1/24 broadcast - dev d").request;
    assert_eq!(r.broadcast, Some(Broadcast::HostBitsClear));
    let plan = add("192.0.2.1/24 b 192.0.2.255 dev d");
    assert_eq!(
        plan.request.broadcast,
        Some(Broadcast::Address(IpAddr::V4(Ipv4Addr::new(
            192, 0, 2, 255
        ))))
    );
    // `+` on a delete is not computed, so IPv6 is no error there.
    assert!(parse("2001:db8::1/64 brd + dev d", 0, Change::Delete).is_ok());
}

#[test]
fn flags_scope_and_lifetimes() {
    let r = add("2001:db8::1/64 dev d home nodad mngtmpaddr noprefixroute").request;
    let want = IFA_F_HOMEADDRESS | IFA_F_NODAD | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE;
    assert_eq!((r.flags, r.family), (want, AF_INET6));
    assert_eq!(
        add("192.0.2.1/24 dev d scope link").request.scope,
        RT_SCOPE_LINK
    );
    assert_eq!(add("192.0.2.1/24 dev d scope 9").request.scope, 9);
    assert_eq!(add("127.0.0.2/8 dev lo").request.scope, RT_SCOPE_HOST);
    let del = parse("127.0.0.2/8 dev lo", 0, Change::Delete).expect("del");
    assert_eq!(del.request.scope, 0, "a delete keeps scope 0");
    let r = add("192.0.2.1/24 dev d valid_lft 100 preferred_lft 50").request;
    assert_eq!(r.lifetimes, Some((100, 50)));
    let r = add("192.0.2.1/24 dev d preferred_lft 0").request;
    assert_eq!(r.lifetimes, Some((u32::MAX, 0)));
    let r = add("192.0.2.1/24 dev d valid_lft forever").request;
    assert_eq!(r.lifetimes, Some((u32::MAX, u32::MAX)));
    assert!(add("224.0.0.251/32 dev d autojoin").after_lookup.is_none());
}

#[test]
fn an_ipv4_delete_without_length_is_a_wildcard_with_ips_warning() {
    let plan = parse("0xc0.0.2.1 dev d", 0, Change::Delete).expect("del");
    assert!(plan.request.omit_address);
    let warning = plan.warning.expect("warning");
    assert!(warning.contains("(0xc0.0.2.1/32)"), "{warning}");
    assert!(warning.ends_with("fix your scripts!"), "{warning}");
    let plan = parse("192.0.2.1/32 dev d", 0, Change::Delete).expect("del");
    assert!(!plan.request.omit_address && plan.warning.is_none());
    let plan = parse("2001:db8::1 dev d", 0, Change::Delete).expect("v6");
    assert!(!plan.request.omit_address && plan.warning.is_none());
    let plan = parse("dev d", 0, Change::Delete).expect("no address");
    assert_eq!((plan.request.local, plan.request.family), (None, AF_UNSPEC));
}

/// (words, global family, status, ip's message).
const ERRORS: [(&str, u8, i32, &str); 19] = [
    (
        "192.0.2.1/24",
        0,
        1,
        "Not enough information: \"dev\" argument is required.",
    ),
    (
        "192.0.2.1/33 dev d",
        0,
        1,
        "Error: any valid prefix is expected rather than \"192.0.2.1/33\".",
    ),
    (
        "2001:db8::1/129 dev d",
        0,
        1,
        "Error: any valid prefix is expected rather than \"2001:db8::1/129\".",
    ),
    (
        "foo dev d",
        0,
        1,
        "Error: any valid prefix is expected rather than \"foo\".",
    ),
    (
        "192.0.2.1/24 dev d",
        AF_INET6,
        1,
        "Error: inet6 prefix is expected rather than \"192.0.2.1/24\".",
    ),
    (
        "192.0.2.1/24 peer 2001:db8::1 dev d",
        0,
        1,
        "Error: inet prefix is expected rather than \"2001:db8::1\".",
    ),
    (
        "192.0.2.1/24 brd 2001:db8::1 dev d",
        0,
        1,
        "Error: inet address is expected rather than \"2001:db8::1\".",
    ),
    (
        "192.0.2.1/24 192.0.2.2 dev d",
        0,
        255,
        "Error: either \"local\" is duplicate, or \"192.0.2.2\" is a garbage.",
    ),
    (
        "192.0.2.1/24 dev d scope bogus",
        0,
        255,
        "Error: argument \"bogus\" is wrong: invalid scope value.",
    ),
    (
        "192.0.2.1/24 dev d metric x",
        0,
        255,
        "Error: argument \"x\" is wrong: \"metric\" value is invalid\n",
    ),
    (
        "192.0.2.1/24 dev d valid_lft x",
        0,
        255,
        "Error: argument \"x\" is wrong: valid_lft value",
    ),
    (
        "192.0.2.1/24 dev d preferred_lft -",
        0,
        255,
        "Error: argument \"-\" is wrong: preferred_lft value",
    ),
    (
        "192.0.2.1/24 dev d valid_lft 1 valid_lft 2",
        0,
        255,
        "Error: duplicate \"valid_lft\": \"valid_lft\" is the second value.",
    ),
    (
        "192.0.2.1 peer 192.0.2.2 peer 192.0.2.3 dev d",
        0,
        255,
        "Error: duplicate \"peer\": \"192.0.2.3\" is the second value.",
    ),
    (
        "192.0.2.1/24 brd + brd - dev d",
        0,
        255,
        "Error: duplicate \"broadcast\": \"-\" is the second value.",
    ),
    (
        "192.0.2.1/24 anycast 192.0.2.7 anycast 192.0.2.8 dev d",
        0,
        255,
        "Error: duplicate \"anycast\": \"192.0.2.8\" is the second value.",
    ),
    (
        "2001:db8::1/64 brd + dev d",
        0,
        1,
        "Broadcast can be set only for IPv4 addresses",
    ),
    (
        "192.0.2.1/24 dev d peer",
        0,
        255,
        "Command line is not complete. Try option \"help\"",
    ),
    (
        "192.0.2.1/24 label",
        0,
        255,
        "Command line is not complete. Try option \"help\"",
    ),
];

#[test]
fn errors_are_ips_word_for_word() {
    for (words, family, status, text) in ERRORS {
        let e = parse(words, family, ADD).expect_err(words);
        assert_eq!((e.status(), e.message()), (status, text), "{words}");
    }
    let e = parse("he", 0, ADD).expect_err("help");
    assert_eq!(e.status(), 255);
    assert!(e.message().starts_with("Usage: nsip address"));
}

#[test]
fn refusals_ip_makes_after_finding_the_device() {
    let after = |words| {
        add(words)
            .after_lookup
            .map(|e| (e.status(), e.message().to_owned()))
    };
    let want = |text: &str| Some((1, text.to_owned()));
    assert_eq!(
        after("192.0.2.1/24 dev d valid_lft 0"),
        want("valid_lft is zero")
    );
    assert_eq!(
        after("192.0.2.1/24 dev d valid_lft 5 preferred_lft 10"),
        want("preferred_lft is greater than valid_lft")
    );
    assert_eq!(
        after("192.0.2.1/24 dev d autojoin"),
        want("autojoin needs multicast address")
    );
    assert_eq!(
        after("192.0.2.1/24 dev d valid_lft 10 preferred_lft 10"),
        None
    );
}
