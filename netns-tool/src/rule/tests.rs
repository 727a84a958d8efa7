//! `ip rule` parsing: plans and ip's errors, without the kernel.

use std::net::{IpAddr, Ipv4Addr};

use netlink_core::route::consts::*;
use netlink_core::route::RuleAttr;

use super::parse::{parse_port_range, parse_uid_range};
use super::*;
use crate::toolbox::args::{Family, Globals};
use crate::toolbox::testing::{check_help_examples, refusal};

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

fn plan_with(family: Family, line: &str) -> CliResult<Plan<'static>> {
    let w: &'static [String] = Box::leak(words(line).into_boxed_slice());
    let g = Globals {
        family,
        ..Globals::default()
    };
    parse(&g, &mut Args::new(w))
}

fn modify(line: &str) -> ModifyPlan<'static> {
    match plan_with(Family::Any, line) {
        Ok(Plan::Modify(p)) => *p,
        other => panic!("{line}: {other:?}"),
    }
}

fn error(line: &str) -> (String, i32) {
    let e = plan_with(Family::Any, line).expect_err(line);
    (e.message().to_string(), e.status())
}

#[test]
fn add_keeps_the_command_lines_order_and_ips_defaults() {
    let p = modify("add not from 198.51.100.0/24 iif veth0 fwmark 0x10/0xff tos 0x10 sport 1000-2000 priority 50 lookup 1000");
    assert_eq!(
        (
            p.header.family,
            p.header.src_len,
            p.header.tos,
            p.header.flags
        ),
        (AF_INET, 24, 0x10, FIB_RULE_INVERT)
    );
    assert_eq!(
        (p.header.table, p.header.action),
        (RT_TABLE_UNSPEC, FR_ACT_TO_TBL)
    );
    let net = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0));
    assert_eq!(
        p.attrs,
        vec![
            PlanAttr::Value(RuleAttr::Src(Some(net))),
            PlanAttr::Iif("veth0"),
            PlanAttr::Value(RuleAttr::FwMark(0x10)),
            PlanAttr::Value(RuleAttr::FwMask(0xff)),
            PlanAttr::Value(RuleAttr::SportRange(1000, 2000)),
            PlanAttr::Value(RuleAttr::Priority(50)),
            PlanAttr::Value(RuleAttr::Table(1000)),
        ]
    );
    // Without a table an added rule looks up main; an action needs none.
    assert_eq!(modify("add pref 5").header.table, RT_TABLE_MAIN);
    let p = modify("add to 198.51.100.0/24 blackhole");
    assert_eq!(
        (p.header.table, p.header.action, p.header.dst_len),
        (0, FR_ACT_BLACKHOLE, 24)
    );
    let p = modify("add pref 10 goto 100");
    assert_eq!(p.header.action, FR_ACT_GOTO);
    assert_eq!(
        modify("add t 5").attrs,
        vec![PlanAttr::Value(RuleAttr::TunId(5))]
    );
    // A deletion sends what was given, no default table or action.
    let p = modify("del pref 70");
    assert_eq!((p.header.table, p.header.action), (0, FR_ACT_UNSPEC));
}

#[test]
fn errors_are_ips() {
    assert_eq!(
        error("add"),
        refusal("\"ip rule add\" requires arguments.", 1)
    );
    assert_eq!(
        error("del"),
        refusal("\"ip rule del\" requires arguments.", 1)
    );
    assert_eq!(
        error("bogus").0,
        "Command \"bogus\" is unknown, try \"ip rule help\"."
    );
    assert_eq!(error("help"), (USAGE.to_string(), 255));
    assert_eq!(
        error("add from abc"),
        refusal(
            "Error: any valid prefix is expected rather than \"abc\".",
            1
        )
    );
    assert_eq!(
        error("add pref abc"),
        refusal(
            "Error: argument \"abc\" is wrong: preference value is invalid\n",
            255
        )
    );
    assert_eq!(
        error("add fwmark 1/zz").0,
        "Error: argument \"zz\" is wrong: fwmask value is invalid\n"
    );
    assert_eq!(
        error("add table bogus").0,
        "Error: argument \"bogus\" is wrong: invalid table ID\n"
    );
    assert_eq!(
        error("add iif aaaaaaaaaaaaaaaaaaaaa").0,
        "Error: argument \"aaaaaaaaaaaaaaaaaaaaa\" is wrong: \"iif\"/\"dev\" not a valid ifname"
    );
    assert_eq!(
        error("add bogusword").0,
        "Error: argument \"bogusword\" is wrong: Failed to parse rule type"
    );
    assert_eq!(
        error("add l3mdev table 5"),
        refusal("table can not be specified for l3mdev rules", 22)
    );
    assert_eq!(
        error("show table zz").0,
        "Error: argument \"zz\" is wrong: table id value is invalid\n"
    );
    assert_eq!(
        error("show goto 100"),
        refusal("Error: inet prefix is expected rather than \"goto\".", 1)
    );
}

#[test]
fn ranges_read_as_scanf_reads_them() {
    assert_eq!(parse_port_range("5-x").expect("one"), (5, 5));
    assert_eq!(parse_port_range("70000").expect("wraps"), (4464, 4464));
    assert_eq!(parse_port_range("22-80").expect("two"), (22, 80));
    assert!(parse_port_range("x").is_err());
    assert_eq!(parse_uid_range("100-200").expect("two"), (100, 200));
    assert!(parse_uid_range("5").is_err());
}

#[test]
fn filters_read_ip_selectors() {
    let Ok(Plan::List(family, f)) = plan_with(
        Family::Any,
        "show from 198.51.100.0/24 pref 5 fwmark 0x10/0xff iif lo table main not",
    ) else {
        panic!("a listing");
    };
    assert_eq!(family, AF_INET);
    assert_eq!(f.src.map(|p| p.bitlen), Some(24));
    assert_eq!(
        (f.pref, f.fwmark, f.fwmask, f.table, f.not),
        (Some(5), 0x10, 0xff, 254, true)
    );
    assert_eq!(f.iif.as_deref(), Some(&b"lo"[..]));
    let Ok(Plan::Flush(family, _)) = plan_with(Family::V6, "flush") else {
        panic!("a flush");
    };
    assert_eq!(family, AF_INET6);
}

/// Command lines that together use every word `nsip rule help` names.
const HELP_EXAMPLES: &[&str] = &[
    "add not from 192.0.2.0/24 to 198.51.100.0/24 tos 0 fwmark 1/0xff iif lo oif lo pref 5 \
     uidrange 1-2 ipproto tcp sport 1 dport 1-2 table local protocol static \
     realms 1/2 suppress_prefixlength 0 suppress_ifgroup 1",
    "del pref 6 l3mdev",
    "add table main nat 192.0.2.1",
    "add table default goto 7",
    "flush",
    "list from 192.0.2.0/24",
];

#[test]
fn every_word_of_the_help_is_accepted() {
    check_help_examples(USAGE, HELP_EXAMPLES, &["nsip", "rule"], |line| {
        plan_with(Family::Any, line).map(drop)
    });
    assert!(USAGE.starts_with("Usage: nsip rule "));
    assert_eq!(
        error("save"),
        refusal("Error: \"save\" is not supported by nsip.", 255)
    );
}
