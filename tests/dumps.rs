//! Real kernel dumps through netlink-core's views.
//!
//! `scripts/record-dumps.sh` built a namespace with hundreds of links, addresses and routes
//! and saved the reply datagrams iproute2 6.1 received for `ip -d -s link show`, `ip addr
//! show`, `ip route show table all` and `ip -6 route show table all` (see
//! tests/fixtures/dumps/README.md). These tests decode every message and check the counts and
//! fields against what the script created, so they fail if a view misreads real kernel output.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use netlink_core::route::consts::*;
use netlink_core::route::{AddressMessage, LinkMessage, RouteMessage, RtnlMessage, Stat};
use netlink_core::wire::{
    Attrs, DecodeError, Message, Messages, NLA_F_NESTED, NLMSG_DONE, NLMSG_ERROR,
};

// What scripts/record-dumps.sh created (keep in step with it).
const BRIDGES: u32 = 3;
const VETH_PAIRS: u32 = 150;
const ENSLAVED: u32 = 60;
const JUMBO: u32 = 10;
const SECOND_V4: u32 = 100;
const LABELLED: u32 = 10;
const MAIN_V4_ROUTES: u32 = 200;
const TABLE_1000_ROUTES: u32 = 100;
const TABLE_100_ROUTES: u32 = 50;
const V4_BLACKHOLES: u32 = 10;
const UNREACHABLES: u32 = 5;
const PROHIBITS: u32 = 5;
const MAIN_V6_ROUTES: u32 = 150;
const TABLE_2000_ROUTES: u32 = 50;
const V6_BLACKHOLES: u32 = 10;

fn load(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dumps")
        .join(name);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/record-dumps.sh)", path.display()))
}

/// The messages of a recorded dump, all of which must parse, ending with one NLMSG_DONE
/// (returned without it).
fn dump(bytes: &[u8]) -> Vec<Message<'_>> {
    let mut messages: Vec<Message<'_>> = Messages::new(bytes)
        .enumerate()
        .map(|(n, m)| m.unwrap_or_else(|e| panic!("message {n}: {e}")))
        .collect();
    let done = messages.pop().expect("a dump has messages");
    assert_eq!(done.ty(), NLMSG_DONE, "the dump ends with NLMSG_DONE");
    assert!(
        messages
            .iter()
            .all(|m| m.ty() != NLMSG_DONE && m.ty() != NLMSG_ERROR),
        "NLMSG_DONE only at the end, no error"
    );
    assert!(
        messages.iter().all(|m| m.flags() & NLM_F_MULTI != 0),
        "every part of a dump is NLM_F_MULTI"
    );
    messages
}

/// Walks `attrs` and the nests below it (flagged NLA_F_NESTED, or listed in `nests`),
/// asserting every walk ends cleanly; returns how many attributes it saw.
fn walk(attrs: Attrs<'_>, nests: &[u16], what: &str) -> usize {
    let mut attrs = attrs;
    let mut seen = 0;
    for attr in attrs.by_ref() {
        seen += 1;
        if attr.raw_kind() & NLA_F_NESTED != 0 || nests.contains(&attr.kind()) {
            seen += walk(attr.nested(), &[], what);
        }
    }
    assert!(
        !attrs.is_malformed(),
        "{what}: attributes end in a bad length"
    );
    seen
}

fn every_message_decodes(messages: &[Message<'_>], nests: &[u16]) -> usize {
    let mut attributes = 0;
    for (n, message) in messages.iter().enumerate() {
        let what = format!("message {n} (type {})", message.ty());
        match RtnlMessage::parse(message).unwrap_or_else(|e| panic!("{what}: {e}")) {
            RtnlMessage::Link(link) => attributes += walk(link.attrs(), nests, &what),
            RtnlMessage::Address(addr) => attributes += walk(addr.attrs(), nests, &what),
            RtnlMessage::Route(route) => attributes += walk(route.attrs(), nests, &what),
            other => panic!("{what}: unexpected {other:?}"),
        }
    }
    attributes
}

/// Every message of a dump read through a view's `parse`, panicking on one it refuses.
fn views<'a, V>(bytes: &'a [u8], parse: impl Fn(&Message<'a>) -> Result<V, DecodeError>) -> Vec<V> {
    dump(bytes)
        .iter()
        .map(|m| parse(m).unwrap_or_else(|e| panic!("message of type {}: {e}", m.ty())))
        .collect()
}

fn links(bytes: &[u8]) -> Vec<LinkMessage<'_>> {
    views(bytes, LinkMessage::parse)
}

/// Interface index to name, from the link dump (recorded in the same namespace).
fn names() -> HashMap<u32, String> {
    let bytes = load("link.bin");
    links(&bytes)
        .iter()
        .map(|l| {
            let name = l.name().expect("every link has a name").to_owned();
            (u32::try_from(l.index()).expect("positive index"), name)
        })
        .collect()
}

fn veth(n: u32) -> String {
    format!("v{n}")
}

fn peer(n: u32) -> String {
    format!("v{n}p")
}

#[test]
fn link_dump_decodes_every_message() {
    let bytes = load("link.bin");
    let messages = dump(&bytes);
    assert_eq!(messages.len() as u32, 1 + BRIDGES + 2 * VETH_PAIRS);
    assert!(messages.iter().all(|m| m.ty() == RTM_NEWLINK));
    let attributes = every_message_decodes(&messages, &[IFLA_LINKINFO, IFLA_AF_SPEC]);
    // `-d -s` links carry dozens of attributes each; far fewer means the walk stopped early.
    assert!(
        attributes > 40 * messages.len(),
        "only {attributes} attributes"
    );
}

#[test]
fn link_dump_fields() {
    let bytes = load("link.bin");
    let links = links(&bytes);
    let by_name: HashMap<&str, &LinkMessage<'_>> = links
        .iter()
        .map(|l| (l.name().expect("named"), l))
        .collect();
    assert_eq!(by_name.len(), links.len(), "names are unique");
    let get = |name: &str| {
        *by_name
            .get(name)
            .unwrap_or_else(|| panic!("no link {name}"))
    };
    let index = |name: &str| u32::try_from(get(name).index()).expect("positive index");

    let lo = get("lo");
    assert_eq!(lo.index(), 1);
    assert_eq!(lo.kind(), None);
    assert_eq!(lo.mtu(), Some(65536));
    assert_eq!(lo.link_type(), ARPHRD_LOOPBACK);
    assert_ne!(lo.flags() & IFF_LOOPBACK, 0);

    for b in 0..BRIDGES {
        let bridge = get(&format!("br{b}"));
        assert_eq!(bridge.kind(), Some("bridge"));
        assert_eq!(
            bridge.mtu(),
            Some(1500),
            "a bridge takes its smallest port mtu"
        );
        assert_ne!(bridge.flags() & IFF_UP, 0);
        assert_eq!(bridge.operstate(), Some(IF_OPER_UP));
        assert_eq!(bridge.master(), None);
    }

    let mut ports_per_bridge: BTreeMap<u32, u32> = BTreeMap::new();
    for n in 0..VETH_PAIRS {
        let (name, peer_name) = (veth(n), peer(n));
        let (end, other) = (get(&name), get(&peer_name));
        for link in [end, other] {
            assert_eq!(link.kind(), Some("veth"));
            assert_eq!(link.link_type(), ARPHRD_ETHER);
            assert_eq!(link.address().map(<[u8]>::len), Some(6));
            assert_ne!(link.flags() & IFF_UP, 0);
            assert_eq!(link.operstate(), Some(IF_OPER_UP));
            assert_eq!(link.link_netnsid(), None, "both ends live here");
            let stats = link.stats64().expect("IFLA_STATS64");
            assert!(stats.get(Stat::RxPackets).is_some());
            assert!(stats.get(Stat::TxDropped).is_some());
        }
        assert_eq!(end.link(), Some(index(&peer_name)), "{name}'s peer");
        assert_eq!(other.link(), Some(index(&name)), "{peer_name}'s peer");
        assert_eq!(
            end.mtu(),
            Some(if n < JUMBO { 9000 } else { 1500 }),
            "{name}"
        );
        assert_eq!(other.mtu(), Some(1500), "{peer_name}");
        assert_eq!(other.master(), None);
        let info = end.link_info().expect("IFLA_LINKINFO");
        if n < ENSLAVED {
            let bridge = format!("br{}", n % BRIDGES);
            assert_eq!(end.master(), Some(index(&bridge)), "{name} is in {bridge}");
            assert_eq!(info.slave_kind, Some("bridge"));
            assert!(info.slave_data.is_some(), "-d shows the port's bridge data");
            *ports_per_bridge.entry(index(&bridge)).or_default() += 1;
        } else {
            assert_eq!(end.master(), None, "{name}");
            assert_eq!(info.slave_kind, None);
        }
    }
    assert_eq!(
        ports_per_bridge.values().copied().collect::<Vec<_>>(),
        vec![ENSLAVED / BRIDGES; BRIDGES as usize]
    );
}

#[test]
fn address_dump_decodes_every_message() {
    let bytes = load("addr.bin");
    let messages = dump(&bytes);
    assert_eq!(messages.len() as u32, 2 * VETH_PAIRS + SECOND_V4 + 2);
    assert!(messages.iter().all(|m| m.ty() == RTM_NEWADDR));
    every_message_decodes(&messages, &[]);
}

#[test]
fn address_dump_fields() {
    let names = names();
    let bytes = load("addr.bin");
    let messages = dump(&bytes);
    let addresses: Vec<AddressMessage<'_>> = messages
        .iter()
        .map(|m| AddressMessage::parse(m).expect("an address message"))
        .collect();
    let v4 = addresses.iter().filter(|a| a.family() == AF_INET).count() as u32;
    let v6 = addresses.iter().filter(|a| a.family() == AF_INET6).count() as u32;
    assert_eq!(v4, VETH_PAIRS + SECOND_V4 + 1, "plus lo's 127.0.0.1");
    assert_eq!(v6, VETH_PAIRS + 1, "plus lo's ::1");

    let by_address: HashMap<IpAddr, &AddressMessage<'_>> = addresses
        .iter()
        .map(|a| (a.primary().expect("every address has one"), a))
        .collect();
    assert_eq!(by_address.len(), addresses.len(), "addresses are unique");
    let get = |ip: IpAddr| *by_address.get(&ip).unwrap_or_else(|| panic!("no {ip}"));
    let dev = |a: &AddressMessage<'_>| names.get(&a.index()).cloned().unwrap_or_default();

    let lo4 = get(Ipv4Addr::LOCALHOST.into());
    assert_eq!(
        (lo4.prefix_len(), lo4.scope(), dev(lo4).as_str()),
        (8, RT_SCOPE_HOST, "lo")
    );
    let lo6 = get(Ipv6Addr::LOCALHOST.into());
    assert_eq!(
        (lo6.prefix_len(), lo6.scope(), dev(lo6).as_str()),
        (128, RT_SCOPE_HOST, "lo")
    );

    for n in 0..VETH_PAIRS {
        let name = veth(n);
        let first = get(Ipv4Addr::new(198, 18, n as u8, 1).into());
        assert_eq!(dev(first), name);
        assert_eq!(first.prefix_len(), 24);
        assert_eq!(first.scope(), RT_SCOPE_UNIVERSE);
        assert_eq!(first.local(), first.address(), "not point-to-point");
        assert_eq!(first.label(), Some(name.as_str()));
        assert_ne!(first.flags() & IFA_F_PERMANENT, 0);
        assert_eq!(
            first.flags() & IFA_F_SECONDARY,
            0,
            "its own subnet: primary"
        );
        if n < SECOND_V4 {
            let second = get(Ipv4Addr::new(198, 19, n as u8, 1).into());
            assert_eq!(dev(second), name);
            assert_eq!(second.prefix_len(), 24);
            let label = if n < LABELLED {
                format!("{name}:sec")
            } else {
                name.clone()
            };
            assert_eq!(second.label(), Some(label.as_str()));
        }
        let six = get(Ipv6Addr::new(0x2001, 0xdb8, n as u16, 0, 0, 0, 0, 1).into());
        assert_eq!(dev(six), name);
        assert_eq!(six.prefix_len(), 64);
        assert_eq!(six.local(), None, "IPv6 sends only IFA_ADDRESS");
        assert_eq!(
            six.flags() & (IFA_F_NODAD | IFA_F_PERMANENT),
            IFA_F_NODAD | IFA_F_PERMANENT
        );
        assert!(six.cache_info().is_some());
    }
}

/// Routes counted by (family, table, type).
fn census(routes: &[RouteMessage<'_>]) -> BTreeMap<(u8, u32, u8), u32> {
    let mut counts = BTreeMap::new();
    for route in routes {
        *counts
            .entry((route.family(), route.table(), route.kind()))
            .or_default() += 1;
    }
    counts
}

fn route_messages(bytes: &[u8]) -> Vec<RouteMessage<'_>> {
    views(bytes, RouteMessage::parse)
}

const MAIN: u32 = RT_TABLE_MAIN as u32;
/// What the kernel puts in `rtm_table` for a table above 255.
const RT_TABLE_COMPAT: u8 = 252;
const LOCAL: u32 = RT_TABLE_LOCAL as u32;

#[test]
fn route_dump_decodes_every_message() {
    for file in ["route.bin", "route6.bin"] {
        let bytes = load(file);
        let messages = dump(&bytes);
        assert!(messages.iter().all(|m| m.ty() == RTM_NEWROUTE), "{file}");
        every_message_decodes(&messages, &[RTA_METRICS, RTA_MULTIPATH]);
    }
}

#[test]
fn route_dump_counts_by_table_and_type() {
    let bytes = load("route.bin");
    let routes = route_messages(&bytes);
    let v4_addresses = VETH_PAIRS + SECOND_V4;
    let up_devices = BRIDGES + 2 * VETH_PAIRS;
    let expected = BTreeMap::from([
        // Ours plus one kernel prefix route per address.
        ((AF_INET, MAIN, RTN_UNICAST), MAIN_V4_ROUTES + v4_addresses),
        ((AF_INET, MAIN, RTN_BLACKHOLE), V4_BLACKHOLES),
        ((AF_INET, MAIN, RTN_UNREACHABLE), UNREACHABLES),
        ((AF_INET, MAIN, RTN_PROHIBIT), PROHIBITS),
        ((AF_INET, 100, RTN_UNICAST), TABLE_100_ROUTES),
        ((AF_INET, 1000, RTN_UNICAST), TABLE_1000_ROUTES),
        // One per address, and lo's 127.0.0.0/8.
        ((AF_INET, LOCAL, RTN_LOCAL), v4_addresses + 2),
        // x.y.z.255 per /24, and 127.255.255.255.
        ((AF_INET, LOCAL, RTN_BROADCAST), v4_addresses + 1),
        ((AF_INET6, MAIN, RTN_UNICAST), MAIN_V6_ROUTES + VETH_PAIRS),
        ((AF_INET6, MAIN, RTN_BLACKHOLE), V6_BLACKHOLES),
        ((AF_INET6, 2000, RTN_UNICAST), TABLE_2000_ROUTES),
        ((AF_INET6, LOCAL, RTN_LOCAL), VETH_PAIRS + 1),
        // ff00::/8 on every device that is up, lo aside.
        ((AF_INET6, LOCAL, RTN_MULTICAST), up_devices),
    ]);
    assert_eq!(census(&routes), expected);
    assert_eq!(routes.len() as u32, expected.values().sum::<u32>());

    // `ip -6 route show table all` is exactly the IPv6 part of the family-less dump.
    let bytes6 = load("route6.bin");
    let routes6 = route_messages(&bytes6);
    assert!(routes6.iter().all(|r| r.family() == AF_INET6));
    let key = |r: &RouteMessage<'_>| (r.dst(), r.dst_len(), r.table(), r.kind(), r.oif());
    let mut from_all: Vec<_> = routes
        .iter()
        .filter(|r| r.family() == AF_INET6)
        .map(key)
        .collect();
    let mut from_v6: Vec<_> = routes6.iter().map(key).collect();
    from_all.sort();
    from_v6.sort();
    assert_eq!(from_all, from_v6);
}

#[test]
fn route_dump_fields() {
    let names = names();
    let index_of: HashMap<&str, u32> = names.iter().map(|(i, n)| (n.as_str(), *i)).collect();
    let oif = |name: &str| Some(*index_of.get(name).unwrap_or_else(|| panic!("no {name}")));
    let bytes = load("route.bin");
    let routes = route_messages(&bytes);
    let find = |table: u32, dst: IpAddr, len: u8| -> &RouteMessage<'_> {
        routes
            .iter()
            .find(|r| r.table() == table && r.dst() == Some(dst) && r.dst_len() == len)
            .unwrap_or_else(|| panic!("no route {dst}/{len} in table {table}"))
    };

    for i in 0..MAIN_V4_ROUTES {
        let dst = Ipv4Addr::new(198, 19, 128 + (i / 50) as u8, ((i % 50) * 4) as u8);
        let route = find(MAIN, dst.into(), 30);
        let via = i % VETH_PAIRS;
        assert_eq!(
            route.gateway(),
            Some(Ipv4Addr::new(198, 18, via as u8, 2).into())
        );
        assert_eq!(route.oif(), oif(&veth(via)));
        assert_eq!(route.protocol(), RTPROT_BOOT);
        assert_eq!(route.scope(), RT_SCOPE_UNIVERSE);
        // `metric 0` is the default: the kernel leaves RTA_PRIORITY out.
        let metric = (i % 2 == 0 && i > 0).then_some(i);
        assert_eq!(route.priority(), metric, "{dst}/30");
    }
    for i in 0..TABLE_1000_ROUTES {
        let route = find(1000, Ipv4Addr::new(198, 19, 200, i as u8).into(), 32);
        assert_eq!(
            route.header().table,
            RT_TABLE_COMPAT,
            "above 255: only in RTA_TABLE"
        );
        assert_eq!(route.oif(), oif(&veth(i)));
        assert_eq!(route.gateway(), None);
        assert_eq!(route.protocol(), RTPROT_STATIC);
        assert_eq!(route.scope(), RT_SCOPE_LINK);
    }
    for i in 0..TABLE_100_ROUTES {
        let route = find(100, Ipv4Addr::new(203, 0, 113, (4 * i) as u8).into(), 30);
        assert_eq!(route.header().table, 100);
        assert_eq!(
            route.gateway(),
            Some(Ipv4Addr::new(198, 18, i as u8, 2).into())
        );
    }
    for i in 0..V4_BLACKHOLES {
        let route = find(MAIN, Ipv4Addr::new(198, 19, 201, i as u8).into(), 32);
        assert_eq!(route.kind(), RTN_BLACKHOLE);
        assert_eq!(route.oif(), None);
    }
    assert_eq!(
        find(MAIN, Ipv4Addr::new(198, 19, 201, 100).into(), 32).kind(),
        RTN_UNREACHABLE
    );
    assert_eq!(
        find(MAIN, Ipv4Addr::new(198, 19, 201, 204).into(), 32).kind(),
        RTN_PROHIBIT
    );

    // The kernel's own: a prefix route per address, with the address as preferred source.
    for n in [0, 77, VETH_PAIRS - 1] {
        let route = find(MAIN, Ipv4Addr::new(198, 18, n as u8, 0).into(), 24);
        assert_eq!(route.protocol(), RTPROT_KERNEL);
        assert_eq!(route.scope(), RT_SCOPE_LINK);
        assert_eq!(
            route.prefsrc(),
            Some(Ipv4Addr::new(198, 18, n as u8, 1).into())
        );
        assert_eq!(route.oif(), oif(&veth(n)));
        let local = find(LOCAL, Ipv4Addr::new(198, 18, n as u8, 1).into(), 32);
        assert_eq!((local.kind(), local.scope()), (RTN_LOCAL, RT_SCOPE_HOST));
    }
}

#[test]
fn route6_dump_fields() {
    let names = names();
    let index_of: HashMap<&str, u32> = names.iter().map(|(i, n)| (n.as_str(), *i)).collect();
    let bytes = load("route6.bin");
    let routes = route_messages(&bytes);
    let find = |table: u32, dst: Ipv6Addr, len: u8| -> &RouteMessage<'_> {
        routes
            .iter()
            .find(|r| r.table() == table && r.dst() == Some(dst.into()) && r.dst_len() == len)
            .unwrap_or_else(|| panic!("no route {dst}/{len} in table {table}"))
    };
    for n in 0..MAIN_V6_ROUTES {
        let route = find(
            MAIN,
            Ipv6Addr::new(0x2001, 0xdb8, 0xffff, n as u16, 0, 0, 0, 0),
            64,
        );
        let gateway = Ipv6Addr::new(0x2001, 0xdb8, n as u16, 0, 0, 0, 0, 2);
        assert_eq!(route.gateway(), Some(gateway.into()));
        assert_eq!(route.oif(), index_of.get(veth(n).as_str()).copied());
        assert_eq!(route.priority(), Some(1024), "IPv6's default metric");
        assert_eq!(route.kind(), RTN_UNICAST);
    }
    for n in 0..TABLE_2000_ROUTES {
        let route = find(
            2000,
            Ipv6Addr::new(0x2001, 0xdb8, 0xfffe, n as u16, 0, 0, 0, 0),
            64,
        );
        assert_eq!(route.header().table, RT_TABLE_COMPAT);
        assert_eq!(route.gateway(), None);
        assert_eq!(route.oif(), index_of.get(veth(n).as_str()).copied());
    }
    for n in 0..V6_BLACKHOLES {
        let route = find(
            MAIN,
            Ipv6Addr::new(0x2001, 0xdb8, 0xfffd, n as u16, 0, 0, 0, 0),
            64,
        );
        assert_eq!(route.kind(), RTN_BLACKHOLE);
    }
    let multicast = routes.iter().filter(|r| r.kind() == RTN_MULTICAST);
    for route in multicast {
        assert_eq!(
            route.dst(),
            Some(Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0).into())
        );
        assert_eq!(route.dst_len(), 8);
        assert_eq!(route.table(), LOCAL);
    }
}

/// A cut dump must fail cleanly, not panic: the same views over truncated copies.
#[test]
fn truncated_dumps_fail_cleanly() {
    for file in ["link.bin", "addr.bin", "route.bin", "route6.bin"] {
        let bytes = load(file);
        let mut starts = Vec::new();
        let mut offset = 0;
        for message in Messages::new(&bytes) {
            starts.push(offset);
            let len = message.expect("whole dump parses").header().len.get() as usize;
            offset += len.next_multiple_of(4);
        }
        for k in [starts.len() / 3, starts.len() / 2, starts.len() - 1] {
            // Five bytes into message k: its header is cut short.
            let cut = &bytes[..starts[k] + 5];
            let (mut whole, mut errors) = (0, 0);
            for message in Messages::new(cut) {
                match message {
                    Ok(m) => {
                        whole += 1;
                        let _ = RtnlMessage::parse(&m);
                    }
                    Err(_) => errors += 1,
                }
            }
            assert_eq!((whole, errors), (k, 1), "{file} cut inside message {k}");
        }
    }
}
