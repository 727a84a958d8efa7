//! `ip link` words into plans, without a kernel: what each command would send, and ip
//! 6.1's errors (text and exit status) for words it refuses.

use netlink_core::route::consts::IFF_UP;
use netlink_core::route::{LinkArg, LinkAttrs, LinkKind, LinkRequest};

use super::parse::{
    parse_modify, parse_show, Action, Master, ModifyCommand, ModifyPlan, ShowFilter, Target,
};
use crate::toolbox::args::Args;
use crate::toolbox::error::CliError;

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

/// Parses `line` (the words after `add`/`set`/`delete`) into its plan; panics on an error.
fn plan(action: Action, line: &str, check: impl FnOnce(&ModifyPlan<'_>)) {
    let w = words(line);
    match parse_modify(action, &mut Args::new(&w)) {
        Ok(ModifyCommand::Request(p)) => check(&p),
        Ok(other) => panic!("{line}: {other:?}"),
        Err(e) => panic!("{line}: {e}"),
    }
}

/// The error ip prints for `line`, and its exit status.
fn refused(action: Action, line: &str) -> (String, i32) {
    let w = words(line);
    match parse_modify(action, &mut Args::new(&w)) {
        Ok(p) => panic!("{line}: accepted as {p:?}"),
        Err(e) => (e.message().to_owned(), e.status()),
    }
}

/// `refused`, for an error whose text goes on after `start` (a usage, most often).
fn refused_starting(action: Action, line: &str, start: &str, status: i32) {
    let (message, got) = refused(action, line);
    assert!(message.starts_with(start), "{line}: {message}");
    assert_eq!(got, status, "{line}");
}

fn show(line: &str) -> Result<ShowFilter<'static>, CliError> {
    let w: &'static [String] = Box::leak(words(line).into_boxed_slice());
    parse_show(&mut Args::new(w))
}

#[test]
fn add_veth_with_peer_in_a_namespace() {
    plan(
        Action::Add,
        "v0 mtu 1400 up type veth peer name v1 netns other",
        |p| {
            assert_eq!(p.target, Target::New(Some("v0")));
            assert_eq!(p.peer.as_ref().and_then(|e| e.netns), Some("other"));
            let want = LinkRequest {
                flags: IFF_UP,
                change: IFF_UP,
                attrs: LinkAttrs {
                    name: Some(b"v0"),
                    mtu: Some(1400),
                    order: &[LinkArg::Mtu],
                    ..LinkAttrs::default()
                },
                kind: Some(LinkKind::Veth {
                    peer_flags: 0,
                    peer: LinkAttrs {
                        name: Some(b"v1"),
                        order: &[LinkArg::Netns],
                        ..LinkAttrs::default()
                    },
                }),
                ..LinkRequest::default()
            };
            assert_eq!(p.request(), want);
        },
    );
}

#[test]
fn add_takes_name_or_dev_and_the_kind() {
    for line in [
        "name br0 type bridge",
        "br0 type bridge",
        "dev br0 name br0 type bridge",
    ] {
        plan(Action::Add, line, |p| {
            assert_eq!(p.target, Target::New(Some("br0")), "{line}");
            assert_eq!(p.request().kind, Some(LinkKind::Bridge));
            assert_eq!(p.request().attrs.name, Some(&b"br0"[..]));
        });
    }
    plan(Action::Add, "type dummy", |p| {
        assert_eq!(p.target, Target::New(None));
        assert_eq!(p.request().kind, Some(LinkKind::Dummy));
    });
    plan(Action::Add, "x0 ty ifb", |p| {
        assert_eq!(p.request().kind, Some(LinkKind::Other("ifb")));
    });
}

#[test]
fn set_names_the_device_and_renames_only_with_another_name() {
    plan(
        Action::Set,
        "dev v0 name v9 address 02:00:00:00:00:01",
        |p| {
            assert_eq!(p.target, Target::Device("v0"));
            let r = p.request();
            assert_eq!(r.attrs.name, Some(&b"v9"[..]));
            assert_eq!(r.attrs.address, Some(&[2, 0, 0, 0, 0, 1][..]));
        },
    );
    plan(Action::Set, "name v0 up", |p| {
        assert_eq!(p.target, Target::Device("v0"));
        assert_eq!(p.request().attrs.name, None);
        assert_eq!((p.end.flags, p.end.change), (IFF_UP, IFF_UP));
    });
}

#[test]
fn flag_words_set_and_clear_their_bits() {
    let noarp = libc::IFF_NOARP as u32;
    let dynamic = libc::IFF_DYNAMIC as u32;
    let promisc = libc::IFF_PROMISC as u32;
    plan(Action::Set, "x arp off d on promisc on down", |p| {
        assert_eq!(p.end.flags, noarp | dynamic | promisc);
        assert_eq!(p.end.change, noarp | dynamic | promisc | IFF_UP);
    });
    plan(Action::Set, "x arp on trailers on", |p| {
        assert_eq!(p.end.flags, 0);
        assert_eq!(p.end.change, noarp | libc::IFF_NOTRAILERS as u32);
    });
}

#[test]
fn prefixes_resolve_as_ip_resolves_them() {
    plan(
        Action::Set,
        "x t 5 m br0 a 02:00:00:00:00:02 b ff:ff:ff:ff:ff:ff",
        |p| {
            assert_eq!(p.end.txqlen, Some(5));
            assert_eq!(p.end.master, Some(Master::Device("br0")));
            assert!(p.end.address.is_some() && p.end.broadcast.is_some());
        },
    );
    plan(Action::Set, "x nomaster qlen 7", |p| {
        assert_eq!(p.request().attrs.master, Some(0));
        assert_eq!(p.end.txqlen, Some(7));
    });
    // `qlen` is compared whole: `q` is a second device name.
    assert_eq!(
        refused(Action::Set, "x q 5"),
        (
            "Error: either \"dev\" is duplicate, or \"q\" is a garbage.".into(),
            255
        )
    );
}

#[test]
fn master_and_netns_stay_names_until_the_plan_runs() {
    plan(Action::Set, "dev v1 master br0 netns 4242", |p| {
        assert_eq!(p.end.master, Some(Master::Device("br0")));
        assert_eq!(p.end.netns, Some("4242"));
        let r = p.request();
        assert_eq!((r.index, r.attrs.master, r.attrs.netns), (0, None, None));
    });
}

#[test]
fn group_acts_on_a_device_or_on_the_whole_group() {
    plan(Action::Set, "dev x group 5 mtu 1300", |p| {
        assert_eq!(p.target, Target::Device("x"));
        assert_eq!(p.request().attrs.group, Some(5));
    });
    plan(Action::Delete, "group 7", |p| {
        assert_eq!(p.target, Target::Group(7));
        let r = p.request();
        assert_eq!((r.index, r.attrs.group, r.kind), (0, Some(7), None));
    });
    plan(Action::Delete, "group 7 type bridge", |p| {
        assert_eq!(p.request().kind, None);
    });
    plan(Action::Set, "group default up", |p| {
        assert_eq!(p.target, Target::Group(0));
        assert_eq!(p.end.flags, IFF_UP);
    });
    plan(
        Action::Add,
        "d3 group 5 type veth peer name x group 6",
        |p| {
            assert_eq!(p.request().attrs.group, Some(5));
            let Some(LinkKind::Veth { peer, .. }) = p.request().kind else {
                panic!("not a veth");
            };
            assert_eq!(peer.group, Some(6));
        },
    );
}

#[test]
fn alias_is_one_word_of_its_exact_bytes() {
    plan(Action::Set, "dev x al hello mtu 1400", |p| {
        let r = p.request();
        assert_eq!(r.attrs.alias, Some(&b"hello"[..]));
        assert_eq!(r.attrs.mtu, Some(1400));
    });
    let w = vec![
        "dev".to_owned(),
        "x".to_owned(),
        "alias".to_owned(),
        String::new(),
    ];
    let Ok(ModifyCommand::Request(p)) = parse_modify(Action::Set, &mut Args::new(&w)) else {
        panic!("an empty alias clears it");
    };
    assert_eq!(p.request().attrs.alias, Some(&b""[..]));
    let raw = crate::toolbox::args::word_from_bytes(b"caf\xe9");
    let w = vec!["x".to_owned(), "alias".to_owned(), raw];
    let Ok(ModifyCommand::Request(p)) = parse_modify(Action::Set, &mut Args::new(&w)) else {
        panic!("any bytes");
    };
    assert_eq!(p.request().attrs.alias, Some(&b"caf\xe9"[..]));
    let long = format!("x alias {}", "a".repeat(256));
    let (message, status) = refused(Action::Set, &long);
    assert!(message.ends_with("is wrong: alias too long\n"), "{message}");
    assert_eq!(status, 255);
    plan(Action::Set, &format!("x alias {}", "a".repeat(255)), |p| {
        assert_eq!(p.request().attrs.alias.map(<[u8]>::len), Some(255));
    });
}

#[test]
fn attributes_keep_the_command_line_order() {
    plan(
        Action::Add,
        "x mtu 1400 group 3 address 02:00:00:00:00:01 type veth peer name y txqlen 5 mtu 1300",
        |p| {
            assert_eq!(
                p.end.order,
                [LinkArg::Mtu, LinkArg::Group, LinkArg::Address]
            );
            assert_eq!(
                p.request().attrs.order,
                [LinkArg::Mtu, LinkArg::Group, LinkArg::Address]
            );
            let peer = p.peer.as_ref().expect("a peer");
            assert_eq!(peer.order, [LinkArg::TxQueueLen, LinkArg::Mtu]);
        },
    );
    plan(
        Action::Set,
        "x nomaster alias a brd ff:ff:ff:ff:ff:ff mtu 1 t 2 netns 7 master y",
        |p| {
            use LinkArg::*;
            assert_eq!(
                p.end.order,
                [Master, Alias, Broadcast, Mtu, TxQueueLen, Netns]
            );
        },
    );
}

#[test]
fn macvlan_words_become_its_data_in_ips_order() {
    use netlink_core::route::KindAttr;
    plan(
        Action::Add,
        "link v0 name mv0 type macvtap bcqueuelen 10 mode passthru nopromisc",
        |p| {
            assert_eq!(p.end.link, Some("v0"));
            assert_eq!(
                p.kind_data.as_ref().map(|d| d.attrs.as_slice()),
                Some(
                    &[
                        KindAttr::U32(7, 10),
                        KindAttr::U32(1, 8),
                        KindAttr::U16(2, 1)
                    ][..]
                )
            );
            assert!(matches!(
                p.request().kind,
                Some(LinkKind::WithData {
                    kind: "macvtap",
                    data: Some(_)
                })
            ));
        },
    );
    plan(Action::Add, "link v0 mv0 type macvlan", |p| {
        assert_eq!(p.kind_data, None);
        assert_eq!(p.request().kind, Some(LinkKind::Other("macvlan")));
    });
    let nopromisc = "macvlan: nopromisc flag only valid in passthru mode\nUsage: ... macvlan";
    refused_starting(
        Action::Add,
        "link v0 x type macvlan nopromisc",
        nopromisc,
        1,
    );
    let mode = "Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \
                \"passthru\" or \"source\", not \"bogus\"";
    refused_starting(Action::Add, "link v0 x type macvlan mode bogus", mode, 1);
    let unknown = "macvtap: unknown option \"frob\"?\nUsage: ... macvtap mode MODE";
    refused_starting(Action::Add, "link v0 x type macvtap frob", unknown, 1);
    assert_eq!(refused(Action::Add, "link v0 x type macvlan mode").1, 255);
}

#[test]
fn vxlan_words_become_its_data_in_ips_order() {
    use netlink_core::route::KindAttr::*;
    use std::net::IpAddr;
    plan(
        Action::Add,
        "vx0 type vxlan id 42 ttl 64 dev v0 dstport 4789 remote 198.51.100.2 srcport 1 2",
        |p| {
            let data = p.kind_data.as_ref().expect("vxlan data");
            let remote = IpAddr::from([198, 51, 100, 2]);
            assert_eq!(
                data.attrs,
                [
                    U8(5, 64),
                    U32(3, 0),
                    Be16Pair(10, 1, 2),
                    U32(1, 42),
                    Addr(2, remote),
                    U8(7, 1),
                    Be16(15, 4789)
                ]
            );
            assert_eq!(data.device.map(|(at, name, _)| (at, name)), Some((1, "v0")));
            assert_eq!(data.warning, None);
        },
    );
    plan(Action::Add, "vx0 type vxlan id 1", |p| {
        assert!(p.kind_data.as_ref().is_some_and(|d| d.warning.is_some()));
    });
    plan(Action::Set, "vx0 type vxlan ageing none", |p| {
        assert_eq!(
            p.kind_data.as_ref().map(|d| d.attrs.clone()),
            Some(vec![U32(8, 0)])
        );
    });
    let cases: [(&str, &str, i32); 5] = [
        (
            "x type vxlan dstport 1",
            "vxlan: missing virtual network identifier",
            1,
        ),
        (
            "x type vxlan id 1 external",
            "vxlan: both 'external' and vni cannot be specified",
            1,
        ),
        (
            "x type vxlan id 1 group 239.1.1.1",
            "vxlan: 'group' requires 'dev' to be specified",
            1,
        ),
        (
            "x type vxlan id 1 ttl 256",
            "Error: argument \"256\" is wrong: TTL must be <= 255",
            255,
        ),
        (
            "x type vxlan id 1 id 2",
            "Error: either \"id\" is duplicate, or \"2\" is a garbage.",
            255,
        ),
    ];
    for (line, message, status) in cases {
        assert_eq!(
            refused(Action::Add, line),
            (message.to_owned(), status),
            "{line}"
        );
    }
}

/// (command, words, ip's message, ip's exit status).
const REFUSALS: &[(Action, &str, &str, i32)] = {
    use Action::*;
    &[
        (
            Add,
            "x",
            "Not enough information: \"type\" argument is required",
            1,
        ),
        (
            Set,
            "up",
            "Not enough information: \"dev\" argument is required.",
            255,
        ),
        (
            Add,
            "group 5 type bridge",
            "group cannot be used when creating devices.",
            255,
        ),
        (
            Add,
            "d4 type veth peer group 6",
            "group cannot be used when creating devices.",
            255,
        ),
        (
            Delete,
            "group 5 type veth peer name x",
            "Garbage instead of arguments \"peer ...\". Try \"ip link help\".",
            255,
        ),
        (
            Add,
            "x type bridge2 foo",
            "Garbage instead of arguments \"foo ...\". Try \"ip link help\".",
            1,
        ),
        (
            Set,
            "dev x group abc",
            "Error: argument \"abc\" is wrong: Invalid \"group\" value\n",
            255,
        ),
        (
            Set,
            "dev x group 2 group 3",
            "Error: duplicate \"group\": \"3\" is the second value.",
            255,
        ),
        (
            Set,
            "dev x mtu 1 mtu 2",
            "Error: duplicate \"mtu\": \"2\" is the second value.",
            255,
        ),
        (
            Set,
            "dev x mtu big",
            "Error: argument \"big\" is wrong: Invalid \"mtu\" value\n",
            255,
        ),
        (
            Set,
            "dev x arp maybe",
            "Error: argument of \"arp\" must be \"on\" or \"off\", not \"maybe\"",
            1,
        ),
        (Set, "dev x address zz", "\"zz\" is invalid lladdr.", 1),
        (
            Set,
            "dev x name a/b",
            "Error: argument \"a/b\" is wrong: \"name\" not a valid ifname",
            255,
        ),
        (
            Set,
            "dev x dev y",
            "Error: either \"dev\" is duplicate, or \"y\" is a garbage.",
            255,
        ),
        (
            Set,
            "dev x mtu",
            "Command line is not complete. Try option \"help\"",
            255,
        ),
        (
            Add,
            "x type veth peer type veth",
            "Error: duplicate \"type\": \"veth\" is the second value.",
            255,
        ),
        (
            Add,
            "x name y type bridge",
            "both \"name\" and \"dev\" cannot be used when creating devices.",
            255,
        ),
    ]
};

#[test]
fn refusals_match_ip() {
    for &(action, line, message, status) in REFUSALS {
        assert_eq!(
            refused(action, line),
            (message.to_owned(), status),
            "{line}"
        );
    }
    let bridge = "bridge: unknown command \"foo\"?\nUsage: ... bridge [ fdb_flush ]\n";
    refused_starting(Action::Add, "x type bridge foo", bridge, 1);
    refused_starting(Action::Set, "dev x help", "Usage: nsip link add", 255);
}

#[test]
fn veth_without_peer_word_prints_the_veth_usage() {
    let w = words("x type veth foo");
    let got = parse_modify(Action::Add, &mut Args::new(&w));
    assert!(matches!(got, Ok(ModifyCommand::VethUsage)), "{got:?}");
}

#[test]
fn show_filters() {
    let f = show("dev v0 up master br0 type bridge_slave group 5 group 6").unwrap();
    assert_eq!(
        f,
        ShowFilter {
            dev: Some("v0"),
            up: true,
            master: Some("br0"),
            kind: None,
            slave_kind: Some("bridge"),
            group: Some(6),
        }
    );
    assert_eq!(show("type veth").unwrap().kind, Some("veth"));
    assert_eq!(show("").unwrap(), ShowFilter::default());
    let e = show("group 4294967295").unwrap_err();
    assert_eq!(
        (e.message(), e.status()),
        (
            "Error: argument \"4294967295\" is wrong: Invalid \"group\" value\n",
            255
        )
    );
    let e = show("v0 v1").unwrap_err();
    assert_eq!(
        e.message(),
        "Error: either \"dev\" is duplicate, or \"v1\" is a garbage."
    );
    assert_eq!(show("group").unwrap_err().status(), 255);
}

#[test]
fn ip_link_words_nsip_lacks_say_so() {
    for line in [
        "dev v0 xdp off",
        "v0 vf 0 mac 02:00:00:00:00:01",
        "dev v0 gso_max_size 1000",
    ] {
        let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let err = parse_modify(Action::Set, &mut Args::new(&words)).expect_err(line);
        assert!(
            err.message().contains("is not supported by nsip"),
            "{line}: {}",
            err.message()
        );
        assert_eq!(err.status(), 255, "{line}");
    }
}
