//! Golden requests: netlink-core's builders must send the bytes iproute2 6.1 sends.
//!
//! `scripts/record-golden.sh` recorded, for each `ip` command, the request that does the work
//! (format at the top of that script) into `tests/fixtures/golden/NAME.txt`. Each test here
//! rebuilds that request from the same inputs (the interface indexes the fixture recorded,
//! the same names and addresses) and compares bytes, with `nlmsg_seq` / `nlmsg_pid` and the
//! run-dependent fields the fixture masks (namespace fds and pids) zeroed on both sides.
//!
//! Where our bytes differ from ip's on purpose, the test says why and checks what must still
//! hold (same header, same attributes in another order, ...), so the difference stays known.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::*;
use netlink_core::route::RtnlMessage;
use netlink_core::route::{
    emit_dump_addresses, emit_dump_links, emit_dump_nsids, emit_dump_routes, emit_get_link,
    emit_get_route, emit_new_nsid, lock_bit, AddressArg, AddressRequest, Broadcast, KindAttr,
    LinkArg, LinkAttrs, LinkKind, LinkRequest, NetnsRef, NextHopRequest, NsTarget, RouteDump,
    RouteMetric, RouteRequest,
};
use netlink_core::route::{emit_dump_rules, RuleAttr, RuleRequest};
use netlink_core::route::{emit_get_neigh, NeighDump, NeighRequest};
use netlink_core::wire::{Builder, EncodeError, Message};

#[path = "support/golden_fixture.rs"]
mod fixture;

use fixture::{assert_golden, diff, family_header_len, split, top_level_attrs, Fixture};

/// Asserts the same headers and the same top-level attributes, in any order: for requests
/// where ip's attribute order follows its command-line order, which a builder cannot know.
fn assert_same_attributes(fixture: &Fixture, got: &[u8]) {
    let got = split(got);
    assert_eq!(
        got.len(),
        fixture.messages.len(),
        "{}: message count",
        fixture.name
    );
    for (number, (expected, built)) in fixture.messages.iter().zip(&got).enumerate() {
        let expected = fixture.normalize(number, expected);
        let built = fixture.normalize(number, built);
        let header_len = 16 + family_header_len(&expected);
        let sorted = |m: &[u8]| {
            let mut attrs: Vec<(u16, Vec<u8>)> = top_level_attrs(m)
                .into_iter()
                .map(|(_, k, v)| (k, v))
                .collect();
            attrs.sort();
            attrs
        };
        assert!(
            expected.len() == built.len()
                && expected.get(..header_len) == built.get(..header_len)
                && sorted(&expected) == sorted(&built),
            "{} (`{}`) message {number}: not the same headers and attributes:\n{}",
            fixture.name,
            fixture.command,
            diff(&expected, &built)
        );
    }
}

/// Runs `build` on a fresh buffer (the socket would stamp the sequence number; the comparison masks it).
fn build(emit: impl FnOnce(&mut Builder<'_>)) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut builder = Builder::new(&mut buf);
    emit(&mut builder);
    buf
}

const MAC_1: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
const MAC_2: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];
const MAC_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];
const HOST_1: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
const HOST_2: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 2);
const NET_198: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 0);
const V6_HOST_1: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1);
const V6_NET_1: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0);
/// Any value: the fixture masks the fd, but the builder must put one in the right place.
const SOME_FD: i32 = 7;

/// `ip link set dev DEV ...`: what the CLI builds for a change to an existing link.
fn link_set(fixture: &Fixture, dev: &str, request: LinkRequest<'_>) -> Vec<u8> {
    let request = LinkRequest {
        index: fixture.index(dev) as i32,
        ..request
    };
    build(|b| {
        request.emit_set(b).expect("encodes");
    })
}

fn veth<'a>(name: &'a str, peer: LinkAttrs<'a>) -> LinkRequest<'a> {
    LinkRequest {
        attrs: LinkAttrs::named(name.as_bytes()),
        kind: Some(LinkKind::Veth {
            peer_flags: 0,
            peer,
        }),
        ..LinkRequest::default()
    }
}

/// Asserts that nsip's parser makes the fixture's bytes from `ip link` words.
fn link_golden(fx: &Fixture, words: &str) {
    assert_golden(fx, &cli_link(fx, words));
}

/// What nsip itself sends for `ip link ACTION WORDS`: the words through the CLI's parser
/// into its plan, the device's index from the fixture, then the request's builder.
fn cli_link(fixture: &Fixture, line: &str) -> Vec<u8> {
    use netns_tool::link::parse::{parse_modify, Action, ModifyCommand, Target};
    use netns_tool::toolbox::args::Args;
    let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let (action, words) = match words.split_first() {
        Some((a, rest)) if a == "add" => (Action::Add, rest),
        Some((a, rest)) if a == "set" => (Action::Set, rest),
        Some((a, rest)) if a == "del" => (Action::Delete, rest),
        _ => panic!("not a link add/set/del line: {line}"),
    };
    let Ok(ModifyCommand::Request(plan)) = parse_modify(action, &mut Args::new(words)) else {
        panic!("nsip refuses {line}");
    };
    let mut request = plan.request();
    if let Target::Device(dev) = plan.target {
        request.index = fixture.index(dev) as i32;
    }
    request.attrs.link = plan.end.link.map(|lower| fixture.index(lower));
    // A kind's data naming a device (vxlan's `dev`) gets its index as the CLI looks it up.
    let data: Option<Vec<KindAttr<'_>>> = plan.kind_data.as_ref().map(|d| {
        let mut attrs = d.attrs.clone();
        if let Some((at, name, _)) = d.device {
            if let Some(KindAttr::U32(kind, _)) = attrs.get(at).copied() {
                attrs[at] = KindAttr::U32(kind, fixture.index(name));
            }
        }
        attrs
    });
    if let (Some(LinkKind::WithData { data: slot, .. }), Some(attrs)) = (&mut request.kind, &data) {
        *slot = Some(attrs);
    }
    build(|b| {
        match action {
            Action::Add => request.emit_new(b),
            Action::Delete => request.emit_del(b),
            Action::Set => request.emit_set(b),
        }
        .expect("encodes");
    })
}

fn new_link(request: &LinkRequest<'_>) -> Vec<u8> {
    build(|b| {
        request.emit_new(b).expect("encodes");
    })
}

fn address(fixture: &Fixture, local: IpAddr, prefix_len: u8) -> AddressRequest<'static> {
    AddressRequest {
        index: fixture.index("veth0"),
        local: Some(local),
        prefix_len,
        ..AddressRequest::default()
    }
}

fn address_with(
    request: &AddressRequest<'static>,
    emit: fn(&AddressRequest<'static>, &mut Builder<'_>) -> Result<usize, EncodeError>,
) -> Vec<u8> {
    build(|b| {
        emit(request, b).expect("encodes");
    })
}

/// `nexthop via GATEWAY [dev veth0] [weight W]`.
fn hop(gateway: Option<IpAddr>, ifindex: u32, weight: u16) -> NextHopRequest {
    NextHopRequest {
        gateway,
        ifindex: ifindex as i32,
        weight,
        ..NextHopRequest::default()
    }
}

fn new_address(request: &AddressRequest<'_>) -> Vec<u8> {
    build(|b| {
        request.emit_new(b).expect("encodes");
    })
}

/// `ip route add 198.51.100.0/24 ...` with ip's defaults for an IPv4 unicast route.
fn route_198() -> RouteRequest<'static> {
    RouteRequest {
        dst: Some(IpAddr::V4(NET_198)),
        dst_len: 24,
        ..RouteRequest::default()
    }
}

/// `route_198` out of `veth0`, with the link scope ip gives a route with only a device.
fn route_198_dev(fx: &Fixture) -> RouteRequest<'static> {
    RouteRequest {
        oif: Some(fx.index("veth0")),
        scope: RT_SCOPE_LINK,
        ..route_198()
    }
}

fn new_route(request: &RouteRequest) -> Vec<u8> {
    build(|b| {
        request.emit_new(b).expect("encodes");
    })
}

const MAC_5: [u8; 6] = [0x02, 0, 0, 0, 0, 0x05];
const NEIGH_5: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 5);

/// `192.0.2.5 dev veth0` as ip sends it by default: permanent, no flags.
fn neigh_5(fixture: &Fixture) -> NeighRequest<'static> {
    NeighRequest {
        ifindex: fixture.index("veth0") as i32,
        state: NUD_PERMANENT,
        flags: 0,
        dst: NEIGH_5.into(),
        lladdr: None,
        protocol: None,
        flags_ext: None,
    }
}

fn neigh(create_flags: u16, request: NeighRequest<'_>) -> Vec<u8> {
    build(|b| {
        request.emit_new_with(b, create_flags).expect("encodes");
    })
}

/// An IPv4 rule as `ip rule add` starts one: look up main.
fn rule_v4() -> RuleRequest<'static> {
    RuleRequest {
        family: AF_INET,
        table: RT_TABLE_MAIN,
        action: FR_ACT_TO_TBL,
        ..RuleRequest::default()
    }
}

fn new_rule(request: RuleRequest<'_>) -> Vec<u8> {
    build(|b| {
        request.emit_new(b).expect("encodes");
    })
}

macro_rules! golden {
    ($($test:ident: $name:literal => |$fx:ident| $body:expr;)*) => {
        $(
            #[test]
            fn $test() {
                let $fx = Fixture::load($name);
                $body;
            }
        )*

        /// Every fixture file has a test above, and every test its fixture file.
        #[test]
        fn every_fixture_is_tested() {
            let tested: Vec<&str> = vec![$($name),*];
            let mut recorded: Vec<String> = std::fs::read_dir(fixture::fixture_dir())
                .expect("tests/fixtures/golden exists")
                .filter_map(|entry| {
                    let name = entry.ok()?.file_name().into_string().ok()?;
                    Some(name.strip_suffix(".txt")?.to_owned())
                })
                .collect();
            recorded.sort();
            let untested: Vec<&String> =
                recorded.iter().filter(|r| !tested.contains(&r.as_str())).collect();
            let missing: Vec<&&str> =
                tested.iter().filter(|t| !recorded.iter().any(|r| r == *t)).collect();
            assert!(untested.is_empty(), "fixtures without a test: {untested:?}");
            assert!(missing.is_empty(), "tests without a fixture: {missing:?}");
            assert!(recorded.len() >= 60, "only {} fixtures", recorded.len());
        }
    };
}

golden! {
    // ---- link add ----
    link_add_veth: "link-add-veth" => |fx| assert_golden(&fx, &new_link(&veth(
        "veth0",
        LinkAttrs { name: Some(b"veth1"), ..LinkAttrs::default() },
    )));
    link_add_veth_peer_netns: "link-add-veth-peer-netns" => |fx| assert_golden(&fx, &new_link(&veth(
        "veth0",
        LinkAttrs {
            netns: Some(NetnsRef::Fd(SOME_FD)),
            ..LinkAttrs::named(b"veth1")
        },
    )));
    link_add_bridge: "link-add-bridge" => |fx| assert_golden(&fx, &new_link(&LinkRequest {
        attrs: LinkAttrs { name: Some(b"br0"), ..LinkAttrs::default() },
        kind: Some(LinkKind::Bridge),
        ..LinkRequest::default()
    }));
    link_add_dummy: "link-add-dummy" => |fx| assert_golden(&fx, &new_link(&LinkRequest {
        attrs: LinkAttrs { name: Some(b"d0"), ..LinkAttrs::default() },
        kind: Some(LinkKind::Dummy),
        ..LinkRequest::default()
    }));
    // ip adds mtu and address in command-line order (`mtu 1400 address ...` here): order-free.
    link_add_veth_mtu_address: "link-add-veth-mtu-address" => |fx| {
        let mut request = veth("veth0", LinkAttrs { name: Some(b"veth1"), ..LinkAttrs::default() });
        request.attrs.mtu = Some(1400);
        request.attrs.address = Some(&MAC_1);
        request.attrs.order = &[LinkArg::Mtu, LinkArg::Address];
        assert_golden(&fx, &new_link(&request));
    };
    // The same in the order of ip's manual (address before mtu), the builder's default.
    link_add_veth_address_mtu: "link-add-veth-address-mtu" => |fx| {
        let mut request = veth("veth0", LinkAttrs { name: Some(b"veth1"), ..LinkAttrs::default() });
        request.attrs.mtu = Some(1400);
        request.attrs.address = Some(&MAC_1);
        assert_golden(&fx, &new_link(&request));
    };
    link_add_bridge_mtu_address: "link-add-bridge-mtu-address" => |fx| {
        let request = LinkRequest {
            attrs: LinkAttrs {
                mtu: Some(1400),
                address: Some(&MAC_B),
                order: &[LinkArg::Mtu],
                ..LinkAttrs::named(b"br0")
            },
            kind: Some(LinkKind::Bridge),
            ..LinkRequest::default()
        };
        assert_golden(&fx, &new_link(&request));
    };

    // ---- link set / del / show ----
    link_set_up: "link-set-up" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        flags: IFF_UP,
        change: IFF_UP,
        ..LinkRequest::default()
    }));
    link_set_down: "link-set-down" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        flags: 0,
        change: IFF_UP,
        ..LinkRequest::default()
    }));
    link_set_mtu: "link-set-mtu" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        attrs: LinkAttrs { mtu: Some(1400), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_set_up_mtu: "link-set-up-mtu" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        flags: IFF_UP,
        change: IFF_UP,
        attrs: LinkAttrs { mtu: Some(1400), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_set_name: "link-set-name" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        attrs: LinkAttrs { name: Some(b"veth9"), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_set_address: "link-set-address" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        attrs: LinkAttrs { address: Some(&MAC_2), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_set_master: "link-set-master" => |fx| {
        let master = fx.index("br0");
        assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
            attrs: LinkAttrs { master: Some(master), ..LinkAttrs::default() },
            ..LinkRequest::default()
        }));
    };
    link_set_nomaster: "link-set-nomaster" => |fx| assert_golden(&fx, &link_set(&fx, "veth0", LinkRequest {
        attrs: LinkAttrs { master: Some(0), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_set_netns_name: "link-set-netns-name" => |fx| assert_golden(&fx, &link_set(&fx, "veth1", LinkRequest {
        attrs: LinkAttrs { netns: Some(NetnsRef::Fd(SOME_FD)), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_set_netns_pid: "link-set-netns-pid" => |fx| assert_golden(&fx, &link_set(&fx, "veth1", LinkRequest {
        attrs: LinkAttrs { netns: Some(NetnsRef::Pid(4242)), ..LinkAttrs::default() },
        ..LinkRequest::default()
    }));
    link_del: "link-del" => |fx| {
        let request = LinkRequest { index: fx.index("veth0") as i32, ..LinkRequest::default() };
        assert_golden(&fx, &build(|b| { request.emit_del(b).expect("encodes"); }));
    };
    link_del_dev: "link-del-dev" => |fx| {
        let request = LinkRequest { index: fx.index("veth0") as i32, ..LinkRequest::default() };
        assert_golden(&fx, &build(|b| { request.emit_del(b).expect("encodes"); }));
    };
    // ip puts IFLA_GROUP where its word is; nsip's builder has one order (that of the
    // second fixture).
    link_set_group: "link-set-group" => |fx| {
        assert_same_attributes(&fx, &cli_link(&fx, "set dev veth0 group 5 mtu 1400"));
    };
    link_set_mtu_group: "link-set-mtu-group" => |fx| link_golden(&fx, "set dev veth0 mtu 1400 group 5 name veth9");
    link_add_macvlan: "link-add-macvlan" => |fx| link_golden(&fx, "add link veth0 name mv0 type macvlan mode bridge");
    link_add_macvtap_bcqueuelen: "link-add-macvtap-bcqueuelen" => |fx| link_golden(&fx, "add mv0 link veth0 mtu 1400 type macvtap mode private bcqueuelen 10");
    link_add_vxlan: "link-add-vxlan" => |fx| link_golden(&fx, "add vx0 type vxlan id 42 dstport 4789 remote 198.51.100.2 dev veth0");
    link_add_vxlan_group: "link-add-vxlan-group" => |fx| link_golden(&fx, "add vx1 type vxlan vni 44 local 198.51.100.1 group 239.1.1.1 dev veth0 ttl 64 tos 0x10 nolearning srcport 100 200 noudpcsum ageing 100 dstport 0");
    link_add_vlan: "link-add-vlan" => |fx| link_golden(&fx, "add link veth0 name veth0.10 type vlan id 10");
    link_add_vlan_options: "link-add-vlan-options" => |fx| link_golden(&fx, "add link veth0 name v20 type vlan protocol 802.1ad id 20 reorder_hdr off gvrp on mvrp off loose_binding on bridge_binding off ingress-qos-map 1:2 3:4 egress-qos-map 5:6");
    link_add_ipvlan: "link-add-ipvlan" => |fx| link_golden(&fx, "add link veth0 name ipv0 type ipvlan mode l3 private");
    link_add_ipvtap: "link-add-ipvtap" => |fx| link_golden(&fx, "add link veth0 name ipvt0 type ipvtap mode l2 vepa");
    link_add_vrf: "link-add-vrf" => |fx| link_golden(&fx, "add vrf0 type vrf table 10");
    link_add_ifb: "link-add-ifb" => |fx| link_golden(&fx, "add ifb0 type ifb");
    link_add_ifb_words: "link-add-ifb-words" => |fx| link_golden(&fx, "add ifb0 type ifb foo help");
    link_add_bridge_options: "link-add-bridge-options" => |fx| link_golden(&fx, "add br0 type bridge forward_delay 400 priority 100 mcast_snooping 0 mcast_query_interval 2000");
    link_set_bridge_port: "link-set-bridge-port" => |fx| link_golden(&fx, "set dev veth0 type bridge_slave cost 50 guard on learning off backup_port veth1 fdb_flush");
    link_set_alias: "link-set-alias" => |fx| link_golden(&fx, "set dev veth0 mtu 1400 alias peer-of-veth1 group 5");
    link_set_group_all: "link-set-group-all" => |fx| link_golden(&fx, "set group 5 up");
    link_del_group: "link-del-group" => |fx| link_golden(&fx, "del group 5");
    link_show: "link-show" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_links(b, AF_PACKET, RTEXT_FILTER_VF).expect("encodes");
    }));
    link_show_dev: "link-show-dev" => |fx| assert_golden(&fx, &build(|b| {
        emit_get_link(b, 0, Some(b"veth0"), RTEXT_FILTER_VF).expect("encodes");
    }));

    // ---- addr ----
    addr_add_v4: "addr-add-v4" => |fx| assert_golden(&fx, &new_address(&address(&fx, HOST_1.into(), 24)));
    addr_add_v4_brd_plus: "addr-add-v4-brd-plus" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        broadcast: Some(Broadcast::HostBitsSet),
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_brd_minus: "addr-add-v4-brd-minus" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        broadcast: Some(Broadcast::HostBitsClear),
        ..address(&fx, HOST_1.into(), 24)
    }));
    // `broadcast X` is sent where the command line names it, before IFA_ADDRESS.
    addr_add_v4_brd_explicit: "addr-add-v4-brd-explicit" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        broadcast: Some(Broadcast::Address(Ipv4Addr::new(192, 0, 2, 255).into())),
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_label_first: "addr-add-v4-label-first" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        label: Some(b"veth0:1"),
        order: &[AddressArg::Label, AddressArg::Local],
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_metric: "addr-add-v4-metric" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        metric: Some(100),
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_peer: "addr-add-v4-peer" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        peer: Some(HOST_2.into()),
        ..address(&fx, HOST_1.into(), 32)
    }));
    addr_add_v4_all: "addr-add-v4-all" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        broadcast: Some(Broadcast::Address(Ipv4Addr::new(192, 0, 2, 255).into())),
        label: Some(b"veth0:x"),
        scope: RT_SCOPE_LINK,
        metric: Some(7),
        lifetimes: Some((200, 100)),
        flags: IFA_F_NOPREFIXROUTE,
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v6_anycast: "addr-add-v6-anycast" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        anycast: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 5))),
        flags: IFA_F_NODAD,
        ..address(&fx, V6_HOST_1.into(), 64)
    }));
    addr_add_v6_lifetimes: "addr-add-v6-lifetimes" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        lifetimes: Some((100, 50)),
        flags: IFA_F_NODAD,
        ..address(&fx, V6_HOST_1.into(), 64)
    }));
    addr_add_v6_flags: "addr-add-v6-flags" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        flags: IFA_F_HOMEADDRESS | IFA_F_NODAD | IFA_F_MANAGETEMPADDR | IFA_F_NOPREFIXROUTE,
        ..address(&fx, V6_HOST_1.into(), 64)
    }));
    addr_replace_v4: "addr-replace-v4" => |fx| assert_golden(&fx, &address_with(&AddressRequest {
        lifetimes: Some((300, 300)),
        ..address(&fx, HOST_1.into(), 24)
    }, AddressRequest::emit_replace));
    addr_change_v4: "addr-change-v4" => |fx| assert_golden(&fx, &address_with(&AddressRequest {
        metric: Some(5),
        ..address(&fx, HOST_1.into(), 24)
    }, AddressRequest::emit_change));
    addr_add_v4_label: "addr-add-v4-label" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        label: Some(b"veth0:1"),
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_scope_link: "addr-add-v4-scope-link" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        scope: RT_SCOPE_LINK,
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_scope_host: "addr-add-v4-scope-host" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        scope: RT_SCOPE_HOST,
        ..address(&fx, HOST_1.into(), 32)
    }));
    addr_add_v4_noprefixroute: "addr-add-v4-noprefixroute" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        flags: IFA_F_NOPREFIXROUTE,
        ..address(&fx, HOST_1.into(), 24)
    }));
    addr_add_v4_host: "addr-add-v4-host" => |fx| assert_golden(&fx, &new_address(&address(&fx, HOST_1.into(), 32)));
    addr_add_v6: "addr-add-v6" => |fx| assert_golden(&fx, &new_address(&address(&fx, V6_HOST_1.into(), 64)));
    addr_add_v6_nodad: "addr-add-v6-nodad" => |fx| assert_golden(&fx, &new_address(&AddressRequest {
        flags: IFA_F_NODAD,
        ..address(&fx, V6_HOST_1.into(), 64)
    }));
    addr_del_v4: "addr-del-v4" => |fx| {
        let request = address(&fx, HOST_1.into(), 24);
        assert_golden(&fx, &build(|b| { request.emit_del(b).expect("encodes"); }));
    };
    addr_del_v6: "addr-del-v6" => |fx| {
        let request = address(&fx, V6_HOST_1.into(), 64);
        assert_golden(&fx, &build(|b| { request.emit_del(b).expect("encodes"); }));
    };
    addr_show: "addr-show" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_addresses(b, AF_UNSPEC, 0).expect("encodes");
    }));
    addr_show_4: "addr-show-4" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_addresses(b, AF_INET, 0).expect("encodes");
    }));
    addr_show_6: "addr-show-6" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_addresses(b, AF_INET6, 0).expect("encodes");
    }));
    addr_flush: "addr-flush" => |fx| check_flush(&fx, RTM_GETADDR, &build(|b| {
        emit_dump_addresses(b, AF_UNSPEC, fx.index("veth0")).expect("encodes");
    }));

    // ---- route ----
    route_add_default_via: "route-add-default-via" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        ..RouteRequest::default()
    }));
    route_add_multipath: "route-add-multipath" => |fx| {
        let veth0 = fx.index("veth0");
        let hops = [hop(Some(HOST_1.into()), veth0, 2), hop(Some(Ipv4Addr::new(192, 0, 2, 3).into()), veth0, 1)];
        assert_golden(&fx, &new_route(&RouteRequest { nexthops: &hops, ..route_198() }));
    };
    route_add_multipath_metric: "route-add-multipath-metric" => |fx| {
        let hops = [hop(Some(HOST_1.into()), 0, 3), hop(None, fx.index("veth0"), 1)];
        assert_golden(&fx, &new_route(&RouteRequest { priority: Some(9), nexthops: &hops, ..route_198() }));
    };
    // The kernel refuses it (a gateway route in table 100 without a device is fine, onlink
    // needs one), but the request is ip's: metrics before the next hops.
    route_add_multipath_mtu_table: "route-add-multipath-mtu-table" => |fx| {
        let onlink = NextHopRequest { flags: RTNH_F_ONLINK as u8, ..hop(Some(HOST_1.into()), 0, 1) };
        let hops = [onlink, hop(Some(Ipv4Addr::new(192, 0, 2, 3).into()), 0, 1)];
        assert_golden(&fx, &new_route(&RouteRequest { mtu: Some(1400), table: 100, nexthops: &hops, ..route_198() }));
    };
    route_add_v6_multipath: "route-add-v6-multipath" => |fx| {
        let veth0 = fx.index("veth0");
        let hops = [
            hop(Some(V6_HOST_1.into()), veth0, 1),
            hop(Some(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 3).into()), veth0, 4),
        ];
        assert_golden(&fx, &new_route(&RouteRequest {
            family: AF_INET6,
            dst: Some(V6_NET_1.into()),
            dst_len: 64,
            nexthops: &hops,
            ..RouteRequest::default()
        }));
    };
    route_add_via_inet6: "route-add-via-inet6" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        via: Some(V6_HOST_1.into()),
        oif: Some(fx.index("veth0")),
        ..route_198()
    }));
    // Metrics go in command-line order, RTAX_LOCK last; congctl's name without a NUL.
    route_add_metrics: "route-add-metrics" => |fx| {
        let number = RouteMetric::number;
        let metrics = [
            number(RTAX_MTU, 1300),
            number(RTAX_ADVMSS, 1200),
            number(RTAX_HOPLIMIT, 64),
            number(RTAX_INITCWND, 10),
            number(RTAX_INITRWND, 20),
            number(RTAX_WINDOW, 3000),
            number(RTAX_RTT, 800),
            number(RTAX_RTTVAR, 200),
            number(RTAX_REORDERING, 5),
            number(RTAX_FEATURES, 1),
            number(RTAX_QUICKACK, 1),
            RouteMetric::name(RTAX_CC_ALGO, b"reno"),
            number(RTAX_FASTOPEN_NO_COOKIE, 1),
            number(RTAX_SSTHRESH, 7),
            number(RTAX_CWND, 8),
        ];
        assert_golden(&fx, &new_route(&RouteRequest {
            metrics: &metrics,
            metric_locks: lock_bit(RTAX_MTU),
            ..route_198_dev(&fx)
        }));
    };
    route_add_metrics_lock: "route-add-metrics-lock" => |fx| {
        let metrics = [
            RouteMetric::name(RTAX_CC_ALGO, b"cubic"),
            RouteMetric::number(RTAX_RTT, 16000),
            RouteMetric::number(RTAX_RTO_MIN, 300),
            RouteMetric::number(RTAX_HOPLIMIT, 255),
            RouteMetric::number(RTAX_RTTVAR, 12),
        ];
        let locks = lock_bit(RTAX_CC_ALGO) | lock_bit(RTAX_RTO_MIN) | lock_bit(RTAX_HOPLIMIT);
        assert_golden(&fx, &new_route(&RouteRequest {
            gateway: Some(HOST_1.into()),
            metrics: &metrics,
            metric_locks: locks,
            ..route_198()
        }));
    };
    route_add_realms: "route-add-realms" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        flow: Some(3 << 16 | 4),
        ..route_198()
    }));
    route_add_v6_metrics: "route-add-v6-metrics" => |fx| {
        let metrics = [
            RouteMetric::number(RTAX_MTU, 1300),
            RouteMetric::number(RTAX_HOPLIMIT, 5),
            RouteMetric::name(RTAX_CC_ALGO, b"reno"),
        ];
        assert_golden(&fx, &new_route(&RouteRequest {
            family: AF_INET6,
            dst: Some(V6_NET_1.into()),
            dst_len: 64,
            oif: Some(fx.index("veth0")),
            metrics: &metrics,
            metric_locks: lock_bit(RTAX_MTU),
            ..RouteRequest::default()
        }));
    };
    route_flush: "route-flush" => |fx| check_flush(&fx, RTM_GETROUTE, &build(|b| {
        RouteDump {
            family: AF_INET,
            table: Some(u32::from(RT_TABLE_MAIN)),
            oif: Some(fx.index("veth0")),
            ..RouteDump::default()
        }
        .emit(b)
        .expect("encodes");
    }));
    route_add_via: "route-add-via" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        ..route_198()
    }));
    // A route with only a device gets link scope, as ip gives it.
    route_add_dev: "route-add-dev" => |fx| assert_golden(&fx, &new_route(&route_198_dev(&fx)));
    route_add_via_dev: "route-add-via-dev" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        oif: Some(fx.index("veth0")),
        ..route_198()
    }));
    route_add_metric: "route-add-metric" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        priority: Some(100),
        ..route_198()
    }));
    route_add_table_100: "route-add-table-100" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        table: 100,
        ..route_198()
    }));
    route_add_table_1000: "route-add-table-1000" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        table: 1000,
        ..route_198()
    }));
    route_add_proto_static: "route-add-proto-static" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        protocol: RTPROT_STATIC,
        ..route_198()
    }));
    route_add_scope_link: "route-add-scope-link" => |fx| {
        assert_golden(&fx, &new_route(&route_198_dev(&fx)));
    };
    route_add_src: "route-add-src" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        gateway: Some(HOST_1.into()),
        prefsrc: Some(HOST_2.into()),
        ..route_198()
    }));
    route_add_blackhole: "route-add-blackhole" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        kind: RTN_BLACKHOLE,
        ..route_198()
    }));
    route_add_unreachable: "route-add-unreachable" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        kind: RTN_UNREACHABLE,
        ..route_198()
    }));
    route_add_prohibit: "route-add-prohibit" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        kind: RTN_PROHIBIT,
        ..route_198()
    }));
    // `local` goes to the local table with host scope, as ip puts it.
    route_add_local: "route-add-local" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        dst: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1))),
        dst_len: 32,
        kind: RTN_LOCAL,
        table: u32::from(RT_TABLE_LOCAL),
        scope: RT_SCOPE_HOST,
        oif: Some(fx.index("veth0")),
        ..RouteRequest::default()
    }));
    route_add_v6_via: "route-add-v6-via" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        family: AF_INET6,
        dst: Some(V6_NET_1.into()),
        dst_len: 64,
        gateway: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
        ..RouteRequest::default()
    }));
    route_add_v6_dev: "route-add-v6-dev" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        family: AF_INET6,
        dst: Some(V6_NET_1.into()),
        dst_len: 64,
        oif: Some(fx.index("veth0")),
        ..RouteRequest::default()
    }));
    // For IPv6 `default`, ip sends RTA_DST :: (/0); for IPv4 it sends no RTA_DST.
    route_add_v6_default: "route-add-v6-default" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        family: AF_INET6,
        dst: Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
        dst_len: 0,
        gateway: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
        priority: Some(1024),
        oif: Some(fx.index("veth0")),
        ..RouteRequest::default()
    }));
    route_add_v6_blackhole: "route-add-v6-blackhole" => |fx| assert_golden(&fx, &new_route(&RouteRequest {
        family: AF_INET6,
        dst: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 2, 0, 0, 0, 0, 0))),
        dst_len: 48,
        kind: RTN_BLACKHOLE,
        table: 1000,
        ..RouteRequest::default()
    }));
    // `ip route del` matches loosely: no protocol, no type, and for IPv4 scope "nowhere".
    route_del: "route-del" => |fx| {
        let request = RouteRequest {
            gateway: Some(HOST_1.into()),
            protocol: RTPROT_UNSPEC,
            scope: RT_SCOPE_NOWHERE,
            kind: RTN_UNSPEC,
            ..route_198()
        };
        assert_golden(&fx, &build(|b| { request.emit_del(b).expect("encodes"); }));
    };
    route_del_v6: "route-del-v6" => |fx| {
        let request = RouteRequest {
            family: AF_INET6,
            dst: Some(V6_NET_1.into()),
            dst_len: 64,
            oif: Some(fx.index("veth0")),
            protocol: RTPROT_UNSPEC,
            scope: RT_SCOPE_UNIVERSE,
            kind: RTN_UNSPEC,
            ..RouteRequest::default()
        };
        assert_golden(&fx, &build(|b| { request.emit_del(b).expect("encodes"); }));
    };
    route_replace: "route-replace" => |fx| {
        let request = RouteRequest {
            gateway: Some(HOST_1.into()),
            priority: Some(10),
            ..route_198()
        };
        assert_golden(&fx, &build(|b| { request.emit_replace(b).expect("encodes"); }));
    };
    route_get: "route-get" => |fx| assert_golden(&fx, &build(|b| {
        emit_get_route(b, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 5)), None, false)
            .expect("encodes");
    }));
    route_show: "route-show" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_routes(b, AF_INET, Some(u32::from(RT_TABLE_MAIN))).expect("encodes");
    }));
    route_show_table_all: "route-show-table-all" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_routes(b, AF_UNSPEC, None).expect("encodes");
    }));
    route_show_v6_table_all: "route-show-v6-table-all" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_routes(b, AF_INET6, None).expect("encodes");
    }));

    // ---- neigh ----
    neigh_add: "neigh-add" => |fx| assert_golden(&fx, &neigh(NLM_F_CREATE | NLM_F_EXCL, NeighRequest {
        lladdr: Some(&MAC_5),
        ..neigh_5(&fx)
    }));
    neigh_add_flags: "neigh-add-flags" => |fx| assert_golden(&fx, &neigh(NLM_F_CREATE | NLM_F_EXCL, NeighRequest {
        lladdr: Some(&MAC_5),
        state: NUD_STALE,
        flags: NTF_ROUTER | NTF_EXT_LEARNED,
        protocol: Some(RTPROT_STATIC),
        ..neigh_5(&fx)
    }));
    neigh_add_managed: "neigh-add-managed" => |fx| assert_golden(&fx, &neigh(NLM_F_CREATE | NLM_F_EXCL, NeighRequest {
        lladdr: Some(&MAC_5),
        state: NUD_NONE,
        flags_ext: Some(NTF_EXT_MANAGED),
        ..neigh_5(&fx)
    }));
    neigh_add_v6: "neigh-add-v6" => |fx| assert_golden(&fx, &neigh(NLM_F_CREATE | NLM_F_EXCL, NeighRequest {
        lladdr: Some(&MAC_5),
        state: NUD_NOARP,
        dst: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 5).into(),
        ..neigh_5(&fx)
    }));
    neigh_add_proxy: "neigh-add-proxy" => |fx| assert_golden(&fx, &neigh(NLM_F_CREATE | NLM_F_EXCL, NeighRequest {
        flags: NTF_PROXY,
        dst: Ipv4Addr::new(192, 0, 2, 9).into(),
        ..neigh_5(&fx)
    }));
    neigh_replace: "neigh-replace" => |fx| assert_golden(&fx, &neigh(NLM_F_CREATE | NLM_F_REPLACE, NeighRequest {
        lladdr: Some(&MAC_5),
        state: NUD_REACHABLE,
        ..neigh_5(&fx)
    }));
    neigh_change: "neigh-change" => |fx| assert_golden(&fx, &neigh(NLM_F_REPLACE, NeighRequest {
        lladdr: Some(&[2, 0, 0, 0, 0, 6]),
        ..neigh_5(&fx)
    }));
    neigh_del: "neigh-del" => |fx| assert_golden(&fx, &build(|b| {
        neigh_5(&fx).emit_del(b).expect("encodes");
    }));
    neigh_show: "neigh-show" => |fx| assert_golden(&fx, &build(|b| {
        NeighDump::default().emit(b).expect("encodes");
    }));
    neigh_show_dev_proxy: "neigh-show-dev-proxy" => |fx| assert_golden(&fx, &build(|b| {
        NeighDump {
            family: AF_INET6,
            flags: NTF_PROXY,
            ifindex: Some(fx.index("veth0")),
            ..NeighDump::default()
        }
        .emit(b)
        .expect("encodes");
    }));
    neigh_show_nomaster: "neigh-show-nomaster" => |fx| assert_golden(&fx, &build(|b| {
        NeighDump {
            family: AF_INET,
            master: Some(u32::MAX),
            ..NeighDump::default()
        }
        .emit(b)
        .expect("encodes");
    }));
    neigh_get: "neigh-get" => |fx| assert_golden(&fx, &build(|b| {
        emit_get_neigh(b, NEIGH_5.into(), fx.index("veth0") as i32, 0).expect("encodes");
    }));
    neigh_flush: "neigh-flush" => |fx| check_flush(&fx, RTM_GETNEIGH, &build(|b| {
        NeighDump {
            ifindex: Some(fx.index("veth0")),
            ..NeighDump::default()
        }
        .emit(b)
        .expect("encodes");
    }));

    // ---- rule ----
    rule_show: "rule-show" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_rules(b, AF_INET).expect("encodes");
    }));
    rule_show_v6: "rule-show-v6" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_rules(b, AF_INET6).expect("encodes");
    }));
    rule_add_from_table: "rule-add-from-table" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        src_len: 24,
        table: 100,
        attrs: &[RuleAttr::Src(Some(NET_198.into()))],
        ..rule_v4()
    }));
    rule_add_all: "rule-add-all" => |fx| {
        let attrs = [
            RuleAttr::Src(Some(NET_198.into())),
            RuleAttr::Dst(Some(Ipv4Addr::new(203, 0, 113, 0).into())),
            RuleAttr::IifName(b"veth0"),
            RuleAttr::OifName(b"veth1"),
            RuleAttr::FwMark(0x10),
            RuleAttr::FwMask(0xff),
            RuleAttr::IpProto(6),
            RuleAttr::SportRange(1000, 2000),
            RuleAttr::DportRange(80, 80),
            RuleAttr::UidRange(100, 200),
            RuleAttr::SuppressPrefixLen(0),
            RuleAttr::Priority(50),
            RuleAttr::Table(1000),
        ];
        assert_golden(&fx, &new_rule(RuleRequest {
            dst_len: 24,
            src_len: 24,
            tos: 0x10,
            table: 0,
            flags: FIB_RULE_INVERT,
            attrs: &attrs,
            ..rule_v4()
        }));
    };
    rule_add_v6: "rule-add-v6" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        family: AF_INET6,
        src_len: 32,
        attrs: &[
            RuleAttr::Src(Some(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0).into())),
            RuleAttr::Priority(60),
        ],
        ..rule_v4()
    }));
    rule_add_blackhole: "rule-add-blackhole" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        dst_len: 24,
        table: 0,
        action: FR_ACT_BLACKHOLE,
        attrs: &[RuleAttr::Dst(Some(NET_198.into()))],
        ..rule_v4()
    }));
    rule_add_goto: "rule-add-goto" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        table: 0,
        action: FR_ACT_GOTO,
        attrs: &[RuleAttr::Priority(10), RuleAttr::Goto(100)],
        ..rule_v4()
    }));
    rule_add_nop: "rule-add-nop" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        table: 0,
        action: FR_ACT_NOP,
        attrs: &[RuleAttr::Priority(11)],
        ..rule_v4()
    }));
    rule_add_from_all: "rule-add-from-all" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        dst_len: 24,
        table: 5,
        attrs: &[RuleAttr::Src(None), RuleAttr::Dst(Some(NET_198.into()))],
        ..rule_v4()
    }));
    rule_add_misc: "rule-add-misc" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        tos: 0x10,
        table: 7,
        attrs: &[
            RuleAttr::Priority(14),
            RuleAttr::Flow(1 << 16 | 2),
            RuleAttr::Protocol(RTPROT_STATIC),
            RuleAttr::SuppressIfGroup(5),
            RuleAttr::TunId(9),
        ],
        ..rule_v4()
    }));
    rule_add_l3mdev: "rule-add-l3mdev" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        table: 0,
        attrs: &[RuleAttr::Priority(15), RuleAttr::L3mdev(1)],
        ..rule_v4()
    }));
    rule_add_nat: "rule-add-nat" => |fx| assert_golden(&fx, &new_rule(RuleRequest {
        action: RTN_NAT,
        attrs: &[
            RuleAttr::Priority(16),
            RuleAttr::NatGateway(Ipv4Addr::new(198, 51, 100, 7)),
        ],
        ..rule_v4()
    }));
    rule_del: "rule-del" => |fx| assert_golden(&fx, &build(|b| {
        RuleRequest {
            table: 0,
            action: FR_ACT_UNSPEC,
            attrs: &[RuleAttr::Priority(70)],
            ..rule_v4()
        }
        .emit_del(b)
        .expect("encodes");
    }));
    rule_flush: "rule-flush" => |fx| check_flush(&fx, RTM_GETRULE, &build(|b| {
        emit_dump_rules(b, AF_INET).expect("encodes");
    }));

    // ---- netns ----
    netns_set: "netns-set" => |fx| assert_golden(&fx, &build(|b| {
        emit_new_nsid(b, NsTarget::Fd(SOME_FD as u32), 7).expect("encodes");
    }));
    netns_list_id: "netns-list-id" => |fx| assert_golden(&fx, &build(|b| {
        emit_dump_nsids(b).expect("encodes");
    }));
}

/// `ip addr|route flush dev veth0`: a filtered dump, one delete per object dumped, and a
/// dump again to see nothing is left. The dump requests must be ip's (`dump`); each delete
/// is the dumped message echoed back whole without NLM_F_ACK, which the views' `emit_delete`
/// must rebuild byte for byte from the object as the dump gave it (read back here from
/// ip's own delete, whose payload is that message).
fn check_flush(fixture: &Fixture, dump_type: u16, dump: &[u8]) {
    let mut built = Vec::new();
    let mut deletes = 0;
    for message in &fixture.messages {
        let parsed = Message::parse(message).expect("ip's message parses");
        if parsed.ty() == dump_type {
            built.extend_from_slice(dump);
            continue;
        }
        deletes += 1;
        let mut b = Builder::new(&mut built);
        let view = RtnlMessage::parse(&parsed).expect("ip's delete reads as its view");
        match (parsed.ty(), view) {
            (RTM_DELADDR, RtnlMessage::Address(view)) => view.emit_delete(&mut b),
            (RTM_DELROUTE, RtnlMessage::Route(view)) => view.emit_delete(&mut b),
            (RTM_DELNEIGH, RtnlMessage::Neigh(view)) => view.emit_delete(&mut b),
            (RTM_DELRULE, RtnlMessage::Rule(view)) => view.emit_delete(&mut b),
            (other, _) => panic!("{}: unexpected message type {other}", fixture.name),
        }
        .expect("encodes");
    }
    assert!(
        deletes >= 2,
        "{}: ip deleted {deletes} objects",
        fixture.name
    );
    assert_golden(fixture, &built);
}

/// The comparison itself must catch a difference, or every test above proves nothing.
#[test]
fn a_changed_byte_is_reported() {
    let fixture = Fixture::load("link-set-mtu");
    let mut wrong = fixture.messages[0].clone();
    let last = wrong.len() - 1;
    wrong[last] ^= 1;
    let result = std::panic::catch_unwind(|| assert_golden(&fixture, &wrong));
    let message = result
        .err()
        .and_then(|e| e.downcast_ref::<String>().cloned())
        .expect("a changed byte fails the comparison");
    assert!(
        message.contains("first difference at offset 39"),
        "{message}"
    );
    assert!(message.contains("<--"), "{message}");
    // ...and the masked fields really are ignored.
    let mut reseq = fixture.messages[0].clone();
    reseq[8] = 0x55;
    reseq[12] = 0x66;
    assert_golden(&fixture, &reseq);
}
