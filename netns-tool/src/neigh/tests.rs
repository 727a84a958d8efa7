//! `ip neigh` parsing: plans and ip's errors, without the kernel.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::*;

use super::parse::{nud_state, parse_lladdr};
use super::*;
use crate::toolbox::args::{Family, Globals};
use crate::toolbox::plan::Change;
use crate::toolbox::testing::{check_help_examples, refusal};

fn globals(family: Family) -> Globals {
    Globals {
        family,
        ..Globals::default()
    }
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

fn plan(line: &str) -> CliResult<String> {
    plan_with(Family::Any, line)
}

fn plan_with(family: Family, line: &str) -> CliResult<String> {
    let w = words(line);
    parse(&globals(family), &mut Args::new(&w)).map(|p| format!("{p:?}"))
}

fn error(line: &str) -> (String, i32) {
    let e = plan(line).expect_err(line);
    (e.message().to_string(), e.status())
}

#[test]
fn modify_reads_ip_keywords_and_defaults() {
    let w = words("192.0.2.5 lladdr 02:00:00:00:00:05 dev veth0 nud stale router extern_learn protocol static managed");
    let p = parse_modify(AF_UNSPEC, &mut Args::new(&w), Change::New(NLM_F_CREATE)).expect("parses");
    assert_eq!(p.dev, "veth0");
    assert_eq!(p.dst, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 5)));
    assert_eq!(p.lladdr.as_deref(), Some(&[2, 0, 0, 0, 0, 5][..]));
    assert_eq!(p.state, NUD_STALE);
    assert_eq!(p.ntf, NTF_ROUTER | NTF_EXT_LEARNED);
    assert_eq!(p.protocol, Some(RTPROT_STATIC));
    assert_eq!(p.flags_ext, Some(NTF_EXT_MANAGED));
    let w = words("proxy 2001:db8::9 dev veth0 lladdr null");
    let p = parse_modify(AF_UNSPEC, &mut Args::new(&w), Change::Delete).expect("parses");
    assert_eq!(
        p.dst,
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9))
    );
    assert_eq!((p.ntf, p.state, p.lladdr), (NTF_PROXY, NUD_PERMANENT, None));
    // A managed entry without a state asks for none, as ip does.
    let w = words("192.0.2.5 dev veth0 managed");
    let p = parse_modify(AF_UNSPEC, &mut Args::new(&w), Change::New(0)).expect("parses");
    assert_eq!((p.state, p.flags_ext), (NUD_NONE, Some(NTF_EXT_MANAGED)));
}

#[test]
fn modify_errors_are_ips() {
    let required = refusal("Device and destination are required arguments.", 255);
    assert_eq!(error("add 192.0.2.3"), required);
    assert_eq!(error("add dev va"), required);
    assert_eq!(
        error("add 192.0.2.3 lladdr zz dev va"),
        refusal("\"zz\" is invalid lladdr.", 1)
    );
    assert_eq!(
        error("add 192.0.2.3 nud 3 dev va"),
        refusal("Error: argument \"3\" is wrong: nud state is bad", 255)
    );
    assert_eq!(
        error("add 192.0.2.3 dev va protocol bogus").0,
        "Error: argument \"bogus\" is wrong: \"protocol\" value is invalid\n"
    );
    assert_eq!(
        error("add 192.0.2.3 192.0.2.4 dev va").0,
        "Error: either \"to\" is duplicate, or \"192.0.2.4\" is a garbage."
    );
    assert_eq!(
        error("add abc dev va"),
        refusal(
            "Error: any valid address is expected rather than \"abc\".",
            1
        )
    );
    assert_eq!(
        plan_with(Family::V4, "add 2001:db8::5 dev va")
            .expect_err("v6")
            .message(),
        "Error: inet address is expected rather than \"2001:db8::5\"."
    );
    assert_eq!(
        error("bogus").0,
        "Command \"bogus\" is unknown, try \"ip neigh help\"."
    );
    assert_eq!(error("help"), (USAGE.to_string(), 255));
    assert_eq!(error("flush"), refusal("Flush requires arguments.", 1));
    assert_eq!(
        error("get 192.0.2.9"),
        refusal("Device and address are required arguments.", 1)
    );
}

#[test]
fn states_and_lladdrs_read_as_ip_reads_them() {
    let states = ["perm", "f", "0x4", "0"].map(nud_state);
    assert_eq!(
        states,
        [NUD_PERMANENT, NUD_FAILED, NUD_STALE, NUD_NONE].map(Some)
    );
    assert_eq!(["3", "256", "st"].map(nud_state), [None; 3]);
    assert_eq!(parse_lladdr("1:2:0x3").expect("hex"), vec![1, 2, 3]);
    assert_eq!(parse_lladdr("192.0.2.1").expect("v4"), vec![192, 0, 2, 1]);
    let c_read = parse_lladdr("0x: 000000ff:+a:7g").expect("as sscanf reads them");
    assert_eq!(c_read, vec![0, 255, 10, 7]);
    assert!(parse_lladdr("1:100").is_err());
    let long = (1..=21)
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(":");
    assert_eq!(parse_lladdr(&long).expect("capped").len(), 20);
    assert_eq!(
        parse_lladdr("02:zz").expect_err("bad").message(),
        "\"zz\" is invalid lladdr."
    );
    assert!(parse_lladdr("100:1").is_err());
}

#[test]
fn filters_take_ip_defaults_and_selectors() {
    let w = words("");
    let show = parse_filter(AF_UNSPEC, false, &mut Args::new(&w)).expect("empty");
    assert_eq!(show.state, 0xff & !u32::from(NUD_NOARP));
    let w = words("dev va nud all");
    let flush = parse_filter(AF_UNSPEC, true, &mut Args::new(&w)).expect("flush");
    assert_eq!(flush.state, !u32::from(NUD_NOARP));
    assert_eq!(flush.dev, Some("va"));
    let w = words("to 198.51.100.0/30 nud none nud stale proxy nomaster protocol all");
    let p = parse_filter(AF_UNSPEC, false, &mut Args::new(&w)).expect("show");
    assert_eq!(p.family, AF_INET);
    assert_eq!(p.state, 0x100 | u32::from(NUD_STALE));
    assert!(p.proxy && p.nomaster);
    assert_eq!(p.prefix.map(|p| p.bitlen), Some(30));
    assert_eq!(
        error("show dev va dev va").0,
        "Error: duplicate \"dev\": \"va\" is the second value."
    );
    assert_eq!(
        error("show to abc"),
        refusal(
            "Error: any valid prefix is expected rather than \"abc\".",
            1
        )
    );
    assert_eq!(
        error("show protocol bogus").0,
        "Error: argument \"bogus\" is wrong: invalid \"protocol\"\n"
    );
}

/// Command lines that together use every word `nsip neigh help` names.
const HELP_EXAMPLES: &[&str] = &[
    "add 192.0.2.9 lladdr 02:00:00:00:00:01 nud permanent dev x router use managed \
     extern_learn protocol static",
    "del proxy 192.0.2.9 dev x",
    "change 192.0.2.9 nud delay dev x",
    "replace 192.0.2.9 nud failed dev x",
    "show proxy to 192.0.2.0/24 dev x nud incomplete nomaster",
    "flush nud noarp nud none nud probe nud reachable nud stale",
    "get 192.0.2.9 dev x",
];

#[test]
fn every_word_of_the_help_is_accepted() {
    // vrf's name is checked against the devices while parsing: its error shows the word read.
    let vrf = plan("show vrf nosuch").expect_err("no such device");
    assert!(vrf.message().contains("VRF name"), "{vrf}");
    check_help_examples(USAGE, HELP_EXAMPLES, &["nsip", "neigh", "vrf"], |line| {
        plan(line).map(drop)
    });
    assert!(USAGE.starts_with("Usage: nsip neigh "));
}
