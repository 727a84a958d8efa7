//! `ip address show|flush` words → a [`ListPlan`], with ip's errors; no I/O.

use netlink_core::route::consts::*;

use super::filter::Filter;
use super::usage;
use crate::toolbox::args::Spelling::Full;
use crate::toolbox::args::{device_selector, invarg, keyword, kind_selector, Args, Spelling};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::prefix_adopting_family;
use crate::toolbox::names::parse_group;
use crate::toolbox::names::parse_scope;

/// What `show` / `flush` were asked for: the filter, and the device names it needs
/// resolved (ip looks them up once the words are read).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ListPlan<'a> {
    /// The selection; `index` and `master` are filled in from `dev` and `master`.
    pub filter: Filter<'a>,
    /// `dev NAME` (or a bare name).
    pub dev: Option<&'a str>,
    /// `master DEVICE`.
    pub master: Option<&'a str>,
}

/// ip's `ipaddr_list_flush_or_save` argument loop. `family` is the global `-4`/`-6`.
pub fn parse_list<'a>(args: &mut Args<'a>, family: u8, flush: bool) -> CliResult<ListPlan<'a>> {
    if flush {
        if args.is_empty() {
            return Err(CliError::failed("Flush requires arguments."));
        }
        if family == AF_PACKET {
            return Err(CliError::failed("Cannot flush link addresses."));
        }
    }
    let mut plan = ListPlan {
        filter: Filter {
            family,
            ..Filter::default()
        },
        ..ListPlan::default()
    };
    while let Some(word) = args.next() {
        list_word(&mut plan, args, word)?;
    }
    Ok(plan)
}

/// The selectors of `show` / `flush`.
#[derive(Clone, Copy)]
enum Selector {
    To,
    Scope,
    Up,
    Label,
    Group,
    Master,
    Vrf,
    Type,
}

/// ip's selector words in its order of tests; the flag words come between `up` and
/// `label` (none is spelt as a selector), any other word names the device.
const SELECTORS: [(&str, Spelling, Selector); 8] = [
    ("to", Full, Selector::To),
    ("scope", Full, Selector::Scope),
    ("up", Full, Selector::Up),
    ("label", Full, Selector::Label),
    ("group", Full, Selector::Group),
    ("master", Full, Selector::Master),
    ("vrf", Full, Selector::Vrf),
    ("type", Full, Selector::Type),
];

fn list_word<'a>(plan: &mut ListPlan<'a>, args: &mut Args<'a>, word: &'a str) -> CliResult {
    let filter = &mut plan.filter;
    let Some(selector) = keyword(word, &SELECTORS) else {
        if filter.flag_word(word).is_none() {
            plan.dev = Some(device_selector(args, word, plan.dev, usage)?);
        }
        return Ok(());
    };
    match selector {
        Selector::To => {
            filter.to = Some(prefix_adopting_family(args.value()?, &mut filter.family)?);
        }
        Selector::Scope => {
            let v = args.value()?;
            filter.scope_mask = 0xff;
            match parse_scope(v) {
                Some(s) => filter.scope = s,
                None if v == "all" => {
                    filter.scope = RT_SCOPE_NOWHERE;
                    filter.scope_mask = 0;
                }
                None => return Err(invarg("invalid \"scope\"\n", v)),
            }
        }
        Selector::Up => filter.up = true,
        Selector::Label => filter.label = Some(args.value()?),
        Selector::Group => {
            filter.group = Some(args.parsed(parse_group, "Invalid \"group\" value\n")?)
        }
        Selector::Master => plan.master = Some(args.value()?),
        Selector::Vrf => return Err(CliError::unsupported(word)),
        Selector::Type => {
            let (kind, slave_kind) = kind_selector(args.value()?);
            filter.kind = kind.or(filter.kind);
            filter.slave_kind = slave_kind.or(filter.slave_kind);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn parse(words: &str, family: u8, flush: bool) -> CliResult<ListPlan<'static>> {
        let owned: Vec<String> = words.split_whitespace().map(String::from).collect();
        let leaked: &'static [String] = Vec::leak(owned);
        parse_list(&mut Args::new(leaked), family, flush)
    }

    fn error(words: &str, family: u8, flush: bool) -> (i32, String) {
        let e = parse(words, family, flush).expect_err(words);
        (e.status(), e.message().to_owned())
    }

    #[test]
    fn nothing_selects_everything() {
        let plan = parse("", AF_UNSPEC, false).expect("empty");
        assert_eq!(plan, ListPlan::default());
        let plan = parse("", AF_INET6, false).expect("-6");
        assert_eq!(plan.filter.family, AF_INET6);
    }

    #[test]
    fn devices_are_named_not_resolved() {
        let plan = parse("dev veth0 master br0", 0, false).expect("dev");
        assert_eq!((plan.dev, plan.master), (Some("veth0"), Some("br0")));
        assert_eq!(plan.filter.index, None);
        let plan = parse("veth1 up", 0, false).expect("bare name");
        assert_eq!(plan.dev, Some("veth1"));
        assert!(plan.filter.up);
    }

    #[test]
    fn selectors_fill_the_filter() {
        let plan = parse("scope link label veth0:* permanent -tentative", 0, false).expect("ok");
        let f = &plan.filter;
        assert_eq!((f.scope, f.scope_mask), (RT_SCOPE_LINK, 0xff));
        assert_eq!(f.label, Some("veth0:*"));
        assert_eq!(f.flags, IFA_F_PERMANENT);
        assert_eq!(f.flag_mask, IFA_F_PERMANENT | IFA_F_TENTATIVE);
        let f = parse("scope all", 0, false).expect("all").filter;
        assert_eq!((f.scope, f.scope_mask), (RT_SCOPE_NOWHERE, 0));
        let f = parse("scope 7", 0, false).expect("number").filter;
        assert_eq!(f.scope, 7);
        let f = parse("type veth", 0, false).expect("kind").filter;
        assert_eq!((f.kind, f.slave_kind), (Some("veth"), None));
        let f = parse("type bridge_slave", 0, false).expect("slave").filter;
        assert_eq!((f.kind, f.slave_kind), (None, Some("bridge")));
        let f = parse("group default", 0, false).expect("default").filter;
        assert_eq!(f.group, Some(0));
        let f = parse("group default group 0x10", 0, false)
            .expect("last")
            .filter;
        assert_eq!(f.group, Some(16));
    }

    #[test]
    fn to_sets_the_family_it_was_not_given() {
        let f = parse("to 192.0.2.0/24", 0, false).expect("v4").filter;
        assert_eq!(f.family, AF_INET);
        let to = f.to.expect("prefix");
        assert_eq!(
            (to.addr, to.bitlen),
            (Some(IpAddr::from([192, 0, 2, 0])), 24)
        );
        let f = parse("to 2001:db8::/32", 0, false).expect("v6").filter;
        assert_eq!(f.family, AF_INET6);
    }

    #[test]
    fn errors_are_ips() {
        let cases: [(&str, u8, bool, i32, &str); 11] = [
            ("", 0, true, 1, "Flush requires arguments."),
            ("dev x", AF_PACKET, true, 1, "Cannot flush link addresses."),
            (
                "scope bogus",
                0,
                false,
                255,
                "Error: argument \"bogus\" is wrong: invalid \"scope\"\n",
            ),
            (
                "dev a dev b",
                0,
                false,
                255,
                "Error: either \"dev\" is duplicate, or \"b\" is a garbage.",
            ),
            (
                "a b",
                0,
                false,
                255,
                "Error: either \"dev\" is duplicate, or \"b\" is a garbage.",
            ),
            (
                "to bogus",
                0,
                false,
                1,
                "Error: any valid prefix is expected rather than \"bogus\".",
            ),
            (
                "to 1.2.3.4/33",
                0,
                false,
                1,
                "Error: any valid prefix is expected rather than \"1.2.3.4/33\".",
            ),
            (
                "to 2001:db8::/32",
                AF_INET,
                false,
                1,
                "Error: inet prefix is expected rather than \"2001:db8::/32\".",
            ),
            (
                "group bogus",
                0,
                false,
                255,
                "Error: argument \"bogus\" is wrong: Invalid \"group\" value\n",
            ),
            (
                "label",
                0,
                false,
                255,
                "Command line is not complete. Try option \"help\"",
            ),
            (
                "dev",
                0,
                true,
                255,
                "Command line is not complete. Try option \"help\"",
            ),
        ];
        for (words, family, flush, status, text) in cases {
            assert_eq!(
                error(words, family, flush),
                (status, text.to_owned()),
                "{words}"
            );
        }
        let (status, text) = error("help", 0, false);
        assert_eq!(status, 255);
        assert!(text.starts_with("Usage: nsip address"), "{text}");
        assert_eq!(
            error("vrf blue", 0, false),
            (255, "Error: \"vrf\" is not supported by nsip.".to_owned())
        );
    }
}
