//! Encode then decode is the identity for every request builder: each request is emitted,
//! read back with the views only, rebuilt as a request, and compared whole. A decoder that
//! drops, duplicates or misplaces a field, or a builder that writes a stray attribute,
//! breaks the equality.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use netlink_core::route::consts::*;
use netlink_core::route::nexthop::NextHopRequest;
use netlink_core::route::rule::RULE_NAT_GATEWAY;
use netlink_core::route::{
    emit_get_nsid, emit_new_nsid, AddressMessage, AddressRequest, LinkArg, LinkAttrs, LinkKind,
    LinkMessage, LinkRequest, NetnsRef, NsIdMessage, NsTarget, RouteMessage, RouteRequest,
};
use netlink_core::route::{AddressArg, Broadcast, RouteMetric};
use netlink_core::route::{NeighMessage, NeighRequest, RuleAttr, RuleMessage, RuleRequest};
use netlink_core::wire::{
    Attr, Attrs, Builder, EncodeError, Message, Messages, NLA_F_NESTED, NLA_F_NET_BYTEORDER,
};

/// The one message in `buf`, checked to fill it exactly.
fn only_message(buf: &[u8]) -> Message<'_> {
    let mut all = Messages::new(buf);
    let msg = all.next().expect("a message").expect("decodes");
    assert!(all.next().is_none(), "exactly one message");
    assert_eq!(msg.header().len.get() as usize, buf.len());
    msg
}

/// Every attribute kind in `attrs`, checking none repeats (a builder emits each once).
fn kinds(attrs: Attrs<'_>) -> Vec<u16> {
    let mut seen: Vec<u16> = attrs.map(|a| a.kind()).collect();
    let n = seen.len();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), n, "an attribute appears twice");
    seen
}

/// Checks that `attrs` holds each of its kinds once and none but the `known` ones.
fn assert_only_kinds(attrs: Attrs<'_>, known: &[u16]) {
    for kind in kinds(attrs) {
        assert!(known.contains(&kind), "unexpected attribute {kind}");
    }
}

fn ipv4() -> impl Strategy<Value = Ipv4Addr> {
    any::<[u8; 4]>().prop_map(Ipv4Addr::from)
}

fn ipv6() -> impl Strategy<Value = Ipv6Addr> {
    any::<[u8; 16]>().prop_map(Ipv6Addr::from)
}

fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![ipv4().prop_map(IpAddr::V4), ipv6().prop_map(IpAddr::V6)]
}

/// Text without NUL (a netlink string ends at its first NUL), including non-ASCII.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("\\PC{{0,{max}}}")).expect("valid regex")
}

// ---- links ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct OwnedLinkAttrs {
    name: Option<Vec<u8>>,
    txqlen: Option<u32>,
    address: Option<Vec<u8>>,
    broadcast: Option<Vec<u8>>,
    mtu: Option<u32>,
    netns: Option<NetnsRef>,
    master: Option<u32>,
    alias: Option<Vec<u8>>,
    group: Option<u32>,
    order: Vec<LinkArg>,
    link: Option<u32>,
}

impl OwnedLinkAttrs {
    fn view(&self) -> LinkAttrs<'_> {
        LinkAttrs {
            order: &self.order,
            ..self.view_unordered()
        }
    }

    /// The attributes without their command-line order (a decoder cannot tell it apart).
    fn view_unordered(&self) -> LinkAttrs<'_> {
        LinkAttrs {
            name: self.name.as_deref(),
            txqlen: self.txqlen,
            address: self.address.as_deref(),
            broadcast: self.broadcast.as_deref(),
            mtu: self.mtu,
            netns: self.netns,
            master: self.master,
            alias: self.alias.as_deref(),
            group: self.group,
            order: &[],
            link: self.link,
        }
    }
}

#[derive(Clone, Debug)]
enum OwnedKind {
    Veth {
        peer_flags: u32,
        peer: OwnedLinkAttrs,
    },
    Bridge,
    Dummy,
    Other(String),
}

#[derive(Clone, Debug)]
struct OwnedLinkRequest {
    index: i32,
    flags: u32,
    change: u32,
    attrs: OwnedLinkAttrs,
    kind: Option<OwnedKind>,
}

impl OwnedLinkRequest {
    fn view(&self) -> LinkRequest<'_> {
        self.view_with(OwnedLinkAttrs::view)
    }

    fn view_unordered(&self) -> LinkRequest<'_> {
        self.view_with(OwnedLinkAttrs::view_unordered)
    }

    fn view_with<'a>(&'a self, attrs: fn(&'a OwnedLinkAttrs) -> LinkAttrs<'a>) -> LinkRequest<'a> {
        LinkRequest {
            index: self.index,
            flags: self.flags,
            change: self.change,
            attrs: attrs(&self.attrs),
            kind: self.kind.as_ref().map(|k| match k {
                OwnedKind::Veth { peer_flags, peer } => LinkKind::Veth {
                    peer_flags: *peer_flags,
                    peer: attrs(peer),
                },
                OwnedKind::Bridge => LinkKind::Bridge,
                OwnedKind::Dummy => LinkKind::Dummy,
                OwnedKind::Other(name) => LinkKind::Other(name),
            }),
        }
    }
}

fn link_attrs() -> impl Strategy<Value = OwnedLinkAttrs> {
    (
        // Any bytes but NUL: the kernel takes names that are not UTF-8.
        proptest::option::of(proptest::collection::vec(1u8..=255, 0..16)),
        proptest::option::of(any::<u32>()),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        proptest::option::of(any::<u32>()),
        proptest::option::of(prop_oneof![
            any::<i32>().prop_map(NetnsRef::Fd),
            any::<u32>().prop_map(NetnsRef::Pid),
        ]),
        proptest::option::of(any::<u32>()),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..40)),
        proptest::option::of(any::<u32>()),
        Just(LinkArg::DEFAULT_ORDER.to_vec())
            .prop_shuffle()
            .prop_flat_map(|all| (Just(all), 0..=LinkArg::DEFAULT_ORDER.len()))
            .prop_map(|(all, keep)| all[..keep].to_vec()),
        proptest::option::of(any::<u32>()),
    )
        .prop_map(
            |(name, txqlen, address, broadcast, mtu, netns, master, alias, group, order, link)| {
                OwnedLinkAttrs {
                    name,
                    txqlen,
                    address,
                    broadcast,
                    mtu,
                    netns,
                    master,
                    alias,
                    group,
                    order,
                    link,
                }
            },
        )
}

/// The order the builder must send `attrs`' command-line attributes in: `order` first, then
/// the default order, each present one once.
fn expected_link_order(attrs: &LinkAttrs<'_>) -> Vec<LinkArg> {
    let present = |arg: &LinkArg| match arg {
        LinkArg::TxQueueLen => attrs.txqlen.is_some(),
        LinkArg::Address => attrs.address.is_some(),
        LinkArg::Broadcast => attrs.broadcast.is_some(),
        LinkArg::Mtu => attrs.mtu.is_some(),
        LinkArg::Netns => attrs.netns.is_some(),
        LinkArg::Master => attrs.master.is_some(),
        LinkArg::Alias => attrs.alias.is_some(),
        LinkArg::Group => attrs.group.is_some(),
        _ => false,
    };
    let mut wanted = Vec::new();
    for arg in attrs.order.iter().chain(LinkArg::DEFAULT_ORDER.iter()) {
        if present(arg) && !wanted.contains(arg) {
            wanted.push(*arg);
        }
    }
    wanted
}

/// The command-line attributes of a link message, in the order they came.
fn observed_link_order(view: &LinkMessage<'_>) -> Vec<LinkArg> {
    view.attrs()
        .filter_map(|a| match a.kind() {
            IFLA_TXQLEN => Some(LinkArg::TxQueueLen),
            IFLA_ADDRESS => Some(LinkArg::Address),
            IFLA_BROADCAST => Some(LinkArg::Broadcast),
            IFLA_MTU => Some(LinkArg::Mtu),
            IFLA_NET_NS_FD | IFLA_NET_NS_PID => Some(LinkArg::Netns),
            IFLA_MASTER => Some(LinkArg::Master),
            IFLA_IFALIAS => Some(LinkArg::Alias),
            IFLA_GROUP => Some(LinkArg::Group),
            _ => None,
        })
        .collect()
}

fn link_kind() -> impl Strategy<Value = OwnedKind> {
    prop_oneof![
        (any::<u32>(), link_attrs())
            .prop_map(|(peer_flags, peer)| OwnedKind::Veth { peer_flags, peer }),
        Just(OwnedKind::Bridge),
        Just(OwnedKind::Dummy),
        // Kinds the view maps to a variant of their own would not come back as Other.
        "[a-z0-9_]{1,12}"
            .prop_filter("a kind with its own variant", |k| {
                !matches!(k.as_str(), "veth" | "bridge" | "dummy")
            })
            .prop_map(OwnedKind::Other),
    ]
}

fn link_request() -> impl Strategy<Value = OwnedLinkRequest> {
    (
        any::<i32>(),
        any::<u32>(),
        any::<u32>(),
        link_attrs(),
        proptest::option::of(link_kind()),
    )
        .prop_map(|(index, flags, change, attrs, kind)| OwnedLinkRequest {
            index,
            flags,
            change,
            attrs,
            kind,
        })
}

/// Reads the attributes of one end back through the view's getters only.
fn decode_link_attrs<'a>(view: &LinkMessage<'a>) -> LinkAttrs<'a> {
    let fd = view.attr(IFLA_NET_NS_FD).and_then(|a| a.i32());
    let pid = view.attr(IFLA_NET_NS_PID).and_then(|a| a.u32());
    assert!(fd.is_none() || pid.is_none(), "both netns attributes");
    assert_only_kinds(
        view.attrs(),
        &[
            IFLA_IFNAME,
            IFLA_TXQLEN,
            IFLA_ADDRESS,
            IFLA_BROADCAST,
            IFLA_MTU,
            IFLA_NET_NS_FD,
            IFLA_NET_NS_PID,
            IFLA_MASTER,
            IFLA_GROUP,
            IFLA_IFALIAS,
            IFLA_LINK,
            IFLA_LINKINFO,
        ],
    );
    LinkAttrs {
        name: view.attr(IFLA_IFNAME).map(|a| a.c_bytes()),
        txqlen: view.txqlen(),
        address: view.address(),
        broadcast: view.broadcast(),
        mtu: view.mtu(),
        netns: fd.map(NetnsRef::Fd).or(pid.map(NetnsRef::Pid)),
        master: view.master(),
        alias: view.attr(IFLA_IFALIAS).map(|a| a.value()),
        group: view.group(),
        order: &[],
        link: view.link(),
    }
}

fn decode_link_request<'a>(view: &LinkMessage<'a>) -> LinkRequest<'a> {
    let kind =
        view.link_info().map(
            |info| match info.kind.expect("IFLA_INFO_KIND in every LINKINFO") {
                "veth" => {
                    let data = info.data.expect("veth carries IFLA_INFO_DATA");
                    let peer = data
                        .clone()
                        .get(VETH_INFO_PEER)
                        .expect("VETH_INFO_PEER in the data");
                    assert_eq!(data.count(), 1, "only the peer in the veth data");
                    let peer = LinkMessage::from_payload(peer.value()).expect("peer ifinfomsg");
                    assert_eq!((peer.index(), peer.header().change.get()), (0, 0));
                    assert_eq!(peer.attr(IFLA_LINKINFO), None, "a peer has no kind");
                    LinkKind::Veth {
                        peer_flags: peer.flags(),
                        peer: decode_link_attrs(&peer),
                    }
                }
                other => {
                    assert!(info.data.is_none(), "{other} carries no data");
                    match other {
                        "bridge" => LinkKind::Bridge,
                        "dummy" => LinkKind::Dummy,
                        _ => LinkKind::Other(other),
                    }
                }
            },
        );
    assert_eq!(view.family(), AF_UNSPEC);
    LinkRequest {
        index: view.index(),
        flags: view.flags(),
        change: view.header().change.get(),
        attrs: decode_link_attrs(view),
        kind,
    }
}

// ---- addresses --------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct OwnedAddressRequest {
    index: u32,
    local: IpAddr,
    prefix_len: u8,
    peer: Option<IpAddr>,
    omit_address: bool,
    broadcast: Option<Ipv4Addr>,
    anycast: Option<IpAddr>,
    label: Option<String>,
    metric: Option<u32>,
    scope: u8,
    flags: u32,
    lifetimes: Option<(u32, u32)>,
    order: Vec<AddressArg>,
}

impl OwnedAddressRequest {
    fn view(&self) -> AddressRequest<'_> {
        AddressRequest {
            index: self.index,
            local: Some(self.local),
            prefix_len: self.prefix_len,
            peer: self.peer,
            omit_address: self.omit_address,
            broadcast: self.broadcast.map(|b| Broadcast::Address(IpAddr::V4(b))),
            anycast: self.anycast,
            label: self.label.as_deref().map(str::as_bytes),
            metric: self.metric,
            scope: self.scope,
            flags: self.flags,
            lifetimes: self.lifetimes,
            order: &self.order,
            ..AddressRequest::default()
        }
    }
}

fn address_request() -> impl Strategy<Value = OwnedAddressRequest> {
    // Peers and anycast addresses of the same family as the address, as a real request has
    // them; flags both below and above 0xff (the header holds only the low 8 bits); the
    // command-line attributes in any order.
    let addresses = prop_oneof![
        (
            ipv4(),
            proptest::option::of(ipv4()),
            proptest::option::of(ipv4())
        )
            .prop_map(|(l, p, a)| (IpAddr::V4(l), p.map(IpAddr::V4), a.map(IpAddr::V4))),
        (
            ipv6(),
            proptest::option::of(ipv6()),
            proptest::option::of(ipv6())
        )
            .prop_map(|(l, p, a)| (IpAddr::V6(l), p.map(IpAddr::V6), a.map(IpAddr::V6))),
    ];
    let flags = prop_oneof![0u32..=0xff, any::<u32>()];
    let order = Just(AddressArg::MANUAL_ORDER.to_vec())
        .prop_shuffle()
        .prop_flat_map(|all| {
            let len = all.len();
            (Just(all), 0..=len)
        })
        .prop_map(|(all, keep)| all[..keep].to_vec());
    (
        (any::<u32>(), addresses, any::<u8>(), any::<bool>()),
        (proptest::option::of(ipv4()), proptest::option::of(text(15))),
        (proptest::option::of(any::<u32>()), any::<u8>(), flags),
        (proptest::option::of(any::<(u32, u32)>()), order),
    )
        .prop_map(
            |(
                (index, (local, peer, anycast), prefix_len, omit_address),
                (broadcast, label),
                (metric, scope, flags),
                (lifetimes, order),
            )| OwnedAddressRequest {
                index,
                local,
                prefix_len,
                peer,
                omit_address,
                broadcast,
                anycast,
                label,
                metric,
                scope,
                flags,
                lifetimes,
                order,
            },
        )
}

/// The command-line attribute an address attribute type stands for, if it is one.
fn address_arg(kind: u16, seen_local: bool) -> Option<AddressArg> {
    match kind {
        IFA_LOCAL => Some(AddressArg::Local),
        // IFA_ADDRESS is the peer when it comes among the command-line attributes.
        IFA_ADDRESS if !seen_local => Some(AddressArg::Peer),
        IFA_BROADCAST => Some(AddressArg::Broadcast),
        IFA_ANYCAST => Some(AddressArg::Anycast),
        IFA_LABEL => Some(AddressArg::Label),
        IFA_RT_PRIORITY => Some(AddressArg::Metric),
        _ => None,
    }
}

/// A decoded address request, and the order its command-line attributes came in.
fn decode_address_request<'a>(view: &AddressMessage<'a>) -> (AddressRequest<'a>, Vec<AddressArg>) {
    assert_only_kinds(
        view.attrs(),
        &[
            IFA_LOCAL,
            IFA_ADDRESS,
            IFA_FLAGS,
            IFA_LABEL,
            IFA_BROADCAST,
            IFA_ANYCAST,
            IFA_RT_PRIORITY,
            IFA_CACHEINFO,
        ],
    );
    let local = view.local().expect("IFA_LOCAL");
    let family = if local.is_ipv4() { AF_INET } else { AF_INET6 };
    assert_eq!(view.family(), family);
    // Attributes up to IFA_FLAGS (or the trailing IFA_ADDRESS) follow the command line.
    let mut order = Vec::new();
    let mut addresses = 0;
    for a in view.attrs() {
        if a.kind() == IFA_ADDRESS {
            addresses += 1;
        }
        if a.kind() == IFA_FLAGS || (a.kind() == IFA_ADDRESS && view.address() == Some(local)) {
            break;
        }
        if let Some(arg) = address_arg(a.kind(), false) {
            order.push(arg);
        }
    }
    assert!(addresses <= 1, "one IFA_ADDRESS at most");
    let address = view.address();
    let request = AddressRequest {
        index: view.index(),
        local: Some(local),
        prefix_len: view.prefix_len(),
        // The builder repeats `local` when there is no peer (unless told to omit it).
        peer: address.filter(|&a| a != local),
        omit_address: address.is_none(),
        broadcast: view.broadcast().map(|b| Broadcast::Address(IpAddr::V4(b))),
        anycast: view.anycast(),
        label: view.label_bytes(),
        metric: view.route_priority(),
        scope: view.scope(),
        flags: view.flags(),
        lifetimes: view.cache_info().map(|ci| {
            assert_eq!((ci.created, ci.updated), (0, 0));
            (ci.valid, ci.preferred)
        }),
        ..AddressRequest::default()
    };
    (request, order)
}

// ---- routes -----------------------------------------------------------------------------

fn nexthop() -> impl Strategy<Value = NextHopRequest> {
    (
        proptest::option::of(ip()),
        any::<i32>(),
        1u16..=256,
        any::<u8>(),
    )
        .prop_map(|(gateway, ifindex, weight, flags)| NextHopRequest {
            gateway,
            ifindex,
            weight,
            flags,
        })
}

/// A route's four optional addresses (dst, gateway, prefsrc, src), all of one family.
type FourAddresses = (
    Option<IpAddr>,
    Option<IpAddr>,
    Option<IpAddr>,
    Option<IpAddr>,
);

/// [`FourAddresses`] from `ip`, tagged with their `family`.
fn four_addresses(
    family: u8,
    ip: BoxedStrategy<IpAddr>,
) -> impl Strategy<Value = (u8, FourAddresses)> {
    let one = || proptest::option::of(ip.clone());
    (one(), one(), one(), one()).prop_map(move |addrs| (family, addrs))
}

/// A route request and the next hops it borrows.
fn route_request() -> impl Strategy<Value = (RouteRequest<'static>, Vec<NextHopRequest>)> {
    let v4 = four_addresses(AF_INET, ipv4().prop_map(IpAddr::V4).boxed());
    let v6 = four_addresses(AF_INET6, ipv6().prop_map(IpAddr::V6).boxed());
    // Tables around the 255 boundary as well as anywhere in u32.
    let table = prop_oneof![0u32..=300, any::<u32>()];
    (
        prop_oneof![v4, v6],
        (any::<u8>(), any::<u8>(), table, any::<u8>(), any::<u8>()),
        (any::<u8>(), any::<u32>()),
        (
            proptest::option::of(any::<u32>()),
            proptest::option::of(any::<u32>()),
            proptest::option::of(any::<u32>()),
        ),
        // A gateway of either family (IPv4 via IPv6 is what RTA_VIA is for).
        (
            any::<u8>(),
            proptest::option::of(ip()),
            proptest::option::of(any::<u8>()),
            proptest::option::of(any::<u32>()),
        ),
        proptest::collection::vec(nexthop(), 0..4),
    )
        .prop_map(
            |(
                (family, (dst, gateway, prefsrc, src)),
                (dst_len, tos, table, protocol, scope),
                (kind, flags),
                (priority, oif, mtu),
                (src_len, via, pref, flow),
                hops,
            )| {
                (
                    RouteRequest {
                        src,
                        src_len,
                        via,
                        pref,
                        family,
                        dst,
                        dst_len,
                        tos,
                        table,
                        protocol,
                        scope,
                        kind,
                        flags,
                        gateway,
                        prefsrc,
                        priority,
                        oif,
                        mtu,
                        metrics: &[],
                        metric_locks: 0,
                        flow,
                        nexthops: &[],
                    },
                    hops,
                )
            },
        )
}

/// A metric as `RouteMetric` holds it: `RTAX_CC_ALGO` a name without NULs, any other
/// `RTAX_*` a number.
#[derive(Clone, Debug)]
enum MetricSpec {
    Number(u16, u32),
    Name(Vec<u8>),
}

fn metric_spec() -> impl Strategy<Value = MetricSpec> {
    let number = (2u16..=17)
        .prop_filter("congctl is a name", |k| *k != RTAX_CC_ALGO)
        .prop_flat_map(|k| any::<u32>().prop_map(move |v| MetricSpec::Number(k, v)));
    let name = proptest::collection::vec(1u8..=255, 0..20).prop_map(MetricSpec::Name);
    prop_oneof![number, name]
}

/// A next hop as the builder wrote it: the gateway in RTA_GATEWAY when of the route's
/// family, else in RTA_VIA.
fn decode_nexthop(family: u8, hop: &netlink_core::route::nexthop::NextHop<'_>) -> NextHopRequest {
    let via = hop
        .via()
        .map(|v| v.addr().expect("an inet address in RTA_VIA"));
    if let Some(gw) = hop.gateway() {
        assert_eq!(
            gw.is_ipv4(),
            family == AF_INET,
            "RTA_GATEWAY has the route's family"
        );
    }
    if let Some(v) = via {
        assert_ne!(
            v.is_ipv4(),
            family == AF_INET,
            "RTA_VIA has the other family"
        );
    }
    NextHopRequest {
        gateway: hop.gateway().or(via),
        ifindex: hop.ifindex(),
        weight: hop.weight(),
        flags: hop.flags(),
    }
}

fn decode_route_request(view: &RouteMessage<'_>) -> (RouteRequest<'static>, Vec<NextHopRequest>) {
    assert_only_kinds(
        view.attrs(),
        &[
            RTA_DST,
            RTA_GATEWAY,
            RTA_PREFSRC,
            RTA_PRIORITY,
            RTA_TABLE,
            RTA_OIF,
            RTA_METRICS,
            RTA_SRC,
            RTA_VIA,
            RTA_PREF,
            RTA_MULTIPATH,
            RTA_FLOW,
        ],
    );
    let table = view.table();
    // Tables above 255 travel only in RTA_TABLE; the header then says RT_TABLE_UNSPEC.
    if table > 255 {
        assert_eq!(view.header().table, RT_TABLE_UNSPEC);
    } else {
        assert_eq!(u32::from(view.header().table), table);
        assert!(view.attr(RTA_TABLE).is_none());
    }
    let mtu = view.metrics().map(|metrics| {
        let all: Vec<Attr<'_>> = metrics.collect();
        assert_eq!(all.len(), 1, "only RTAX_MTU in the metrics");
        assert_eq!(all[0].kind(), RTAX_MTU);
        all[0].u32().expect("a u32 metric")
    });
    // struct rtvia: the gateway's family (u16), then its address.
    let via = view.via().map(|v| {
        let addr = v.addr().expect("an address in RTA_VIA");
        let expected = if addr.is_ipv4() { AF_INET } else { AF_INET6 };
        assert_eq!(v.family(), u16::from(expected));
        addr
    });
    let hops = view
        .nexthops()
        .map(|hops| hops.map(|h| decode_nexthop(view.family(), &h)).collect())
        .unwrap_or_default();
    (
        RouteRequest {
            src: view.src(),
            src_len: view.src_len(),
            via,
            pref: view.pref(),
            family: view.family(),
            dst: view.dst(),
            dst_len: view.dst_len(),
            tos: view.tos(),
            table,
            protocol: view.protocol(),
            scope: view.scope(),
            kind: view.kind(),
            flags: view.flags(),
            gateway: view.gateway(),
            prefsrc: view.prefsrc(),
            priority: view.priority(),
            oif: view.oif(),
            mtu,
            metrics: &[],
            metric_locks: 0,
            flow: view.attr(RTA_FLOW).and_then(|a| a.u32()),
            nexthops: &[],
        },
        hops,
    )
}

// ---- generic nested attributes ------------------------------------------------------------

/// An attribute tree as the Builder's typed calls write it.
#[derive(Clone, Debug)]
enum Node {
    Bytes(u16, Vec<u8>),
    U8(u16, u8),
    U16(u16, u16),
    U32(u16, u32),
    U64(u16, u64),
    I32(u16, i32),
    Str(u16, String),
    Ip(u16, IpAddr),
    Flag(u16),
    Nest(u16, Vec<Node>),
}

fn node() -> impl Strategy<Value = Node> {
    // Leaf kinds keep clear of the two flag bits, which change how a value reads back.
    let kind = 0u16..0x3fff;
    let leaf = prop_oneof![
        (kind.clone(), proptest::collection::vec(any::<u8>(), 0..48))
            .prop_map(|(k, v)| Node::Bytes(k, v)),
        (kind.clone(), any::<u8>()).prop_map(|(k, v)| Node::U8(k, v)),
        (kind.clone(), any::<u16>()).prop_map(|(k, v)| Node::U16(k, v)),
        (kind.clone(), any::<u32>()).prop_map(|(k, v)| Node::U32(k, v)),
        (kind.clone(), any::<u64>()).prop_map(|(k, v)| Node::U64(k, v)),
        (kind.clone(), any::<i32>()).prop_map(|(k, v)| Node::I32(k, v)),
        (kind.clone(), text(24)).prop_map(|(k, v)| Node::Str(k, v)),
        (kind.clone(), ip()).prop_map(|(k, v)| Node::Ip(k, v)),
        kind.clone().prop_map(Node::Flag),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        (0u16..0x3fff, proptest::collection::vec(inner, 0..6))
            .prop_map(|(k, children)| Node::Nest(k, children))
    })
}

fn emit_node(b: &mut Builder<'_>, node: &Node) {
    match node {
        Node::Bytes(k, v) => b.attr(*k, v),
        Node::U8(k, v) => b.attr_u8(*k, *v),
        Node::U16(k, v) => b.attr_u16(*k, *v),
        Node::U32(k, v) => b.attr_u32(*k, *v),
        Node::U64(k, v) => b.attr_u64(*k, *v),
        Node::I32(k, v) => b.attr_i32(*k, *v),
        Node::Str(k, v) => b.attr_str(*k, v),
        Node::Ip(k, v) => b.attr_ip(*k, *v),
        Node::Flag(k) => b.attr_flag(*k),
        Node::Nest(k, children) => {
            let nest = b.nest_begin(*k | NLA_F_NESTED);
            for child in children {
                emit_node(b, child);
            }
            b.nest_end(nest);
        }
    }
}

/// Checks `attrs` holds exactly `nodes`, in order, each read back by its own getter.
fn check_nodes(mut attrs: Attrs<'_>, nodes: &[Node]) {
    for node in nodes {
        let a = attrs.next().expect("as many attributes as nodes");
        match node {
            Node::Bytes(k, v) => assert_eq!((a.raw_kind(), a.value()), (*k, v.as_slice())),
            Node::U8(k, v) => assert_eq!((a.raw_kind(), a.u8()), (*k, Some(*v))),
            Node::U16(k, v) => assert_eq!((a.raw_kind(), a.u16()), (*k, Some(*v))),
            Node::U32(k, v) => assert_eq!((a.raw_kind(), a.u32()), (*k, Some(*v))),
            Node::U64(k, v) => assert_eq!((a.raw_kind(), a.u64()), (*k, Some(*v))),
            Node::I32(k, v) => assert_eq!((a.raw_kind(), a.i32()), (*k, Some(*v))),
            Node::Str(k, v) => {
                assert_eq!((a.raw_kind(), a.str()), (*k, Some(v.as_str())));
                assert_eq!(a.value().last(), Some(&0), "strings keep their NUL");
            }
            Node::Ip(k, v) => assert_eq!((a.raw_kind(), a.ip()), (*k, Some(*v))),
            Node::Flag(k) => assert_eq!((a.raw_kind(), a.value()), (*k, &[][..])),
            Node::Nest(k, children) => {
                assert_eq!((a.kind(), a.is_nested()), (*k, true));
                check_nodes(a.nested(), children);
            }
        }
    }
    assert!(attrs.next().is_none(), "no attribute beyond the nodes");
    assert!(!attrs.is_malformed());
}

/// The type and flags of `emit_new` (op 0), `emit_replace` (1) or `emit_del` (2).
fn expected_header(op: u8, new: u16, del: u16) -> (u16, u16) {
    match op {
        0 => (new, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
        1 => (
            new,
            NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
        ),
        _ => (del, NLM_F_REQUEST | NLM_F_ACK),
    }
}

/// One of a request's `emit_*` methods.
type Emit<R> = fn(&R, &mut Builder<'_>) -> Result<usize, EncodeError>;

/// Emits `request` through `emit` and returns the one message written, after checking the
/// length `emit` returned and the header's type and flags (`header`) and seq (left 0).
fn emit_one<'b, R>(
    buf: &'b mut Vec<u8>,
    request: &R,
    emit: Emit<R>,
    header: (u16, u16),
) -> Result<Message<'b>, TestCaseError> {
    let len = emit(request, &mut Builder::new(buf)).expect("fits");
    prop_assert_eq!(len, buf.len());
    let msg = only_message(buf);
    prop_assert_eq!((msg.ty(), msg.flags(), msg.seq()), (header.0, header.1, 0));
    Ok(msg)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn link_requests_decode_to_themselves(req in link_request(), op in 0..3u8) {
        let request = req.view();
        let emit = [LinkRequest::emit_new, LinkRequest::emit_set, LinkRequest::emit_del];
        let header = match op {
            0 => (RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL),
            1 => (RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK),
            _ => (RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK),
        };
        let mut buf = Vec::new();
        let msg = emit_one(&mut buf, &request, emit[usize::from(op)], header)?;
        let view = LinkMessage::parse(&msg).expect("a link message");
        prop_assert_eq!(decode_link_request(&view), req.view_unordered());
        prop_assert_eq!(observed_link_order(&view), expected_link_order(&request.attrs));
    }

    #[test]
    fn oversized_link_address_is_an_encode_error(extra in 0usize..64) {
        let address = vec![0xab; 65_532 + extra];
        let request = LinkRequest {
            attrs: LinkAttrs { address: Some(&address), ..LinkAttrs::default() },
            ..LinkRequest::default()
        };
        let mut buf = Vec::new();
        let got = request.emit_new(&mut Builder::new(&mut buf));
        prop_assert_eq!(got, Err(EncodeError::AttributeTooLong(65_536 + extra)));
    }

    #[test]
    fn address_requests_decode_to_themselves(req in address_request(), op in 0..3u8) {
        let request = req.view();
        let emit = [AddressRequest::emit_new, AddressRequest::emit_replace, AddressRequest::emit_del];
        let header = expected_header(op, RTM_NEWADDR, RTM_DELADDR);
        let mut buf = Vec::new();
        let msg = emit_one(&mut buf, &request, emit[usize::from(op)], header)?;
        let view = AddressMessage::parse(&msg).expect("an address message");
        let mut expected = AddressRequest { order: &[], ..request.clone() };
        if expected.peer == expected.local {
            expected.peer = None;
        }
        // A peer is an IFA_ADDRESS of its own; without one, omitting the repeat leaves none.
        expected.omit_address = expected.peer.is_none() && expected.omit_address;
        let (decoded, order) = decode_address_request(&view);
        prop_assert_eq!(decoded, expected);
        // The command-line attributes come in the given order, the rest in ip's manual's.
        let present = |arg: &AddressArg| match arg {
            AddressArg::Local => request.local.is_some(),
            AddressArg::Peer => request.peer.is_some() && request.peer != request.local,
            AddressArg::Broadcast => request.broadcast.is_some(),
            AddressArg::Anycast => request.anycast.is_some(),
            AddressArg::Label => request.label.is_some(),
            AddressArg::Metric => request.metric.is_some(),
            _ => false,
        };
        let mut wanted: Vec<AddressArg> = Vec::new();
        for arg in request.order.iter().chain(AddressArg::MANUAL_ORDER.iter()) {
            if present(arg) && !wanted.contains(arg) {
                wanted.push(*arg);
            }
        }
        prop_assert_eq!(order, wanted);
    }

    #[test]
    fn route_requests_decode_to_themselves((request, hops) in route_request(), op in 0..3u8) {
        let request = RouteRequest { nexthops: &hops, ..request };
        let emit = [RouteRequest::emit_new, RouteRequest::emit_replace, RouteRequest::emit_del];
        let header = expected_header(op, RTM_NEWROUTE, RTM_DELROUTE);
        let mut buf = Vec::new();
        let msg = emit_one(&mut buf, &request, emit[usize::from(op)], header)?;
        let view = RouteMessage::parse(&msg).expect("a route message");
        let (decoded, decoded_hops) = decode_route_request(&view);
        prop_assert_eq!(&decoded_hops, &hops);
        prop_assert_eq!(RouteRequest { nexthops: &decoded_hops, ..decoded }, request);
    }

    #[test]
    fn route_metrics_decode_to_themselves(
        mtu in proptest::option::of(any::<u32>()),
        specs in proptest::collection::vec(metric_spec(), 0..8),
        locks in any::<u32>(),
    ) {
        let metrics: Vec<RouteMetric<'_>> = specs
            .iter()
            .map(|m| match m {
                MetricSpec::Number(k, v) => RouteMetric::number(*k, *v),
                MetricSpec::Name(n) => RouteMetric::name(RTAX_CC_ALGO, n),
            })
            .collect();
        let request = RouteRequest { mtu, metrics: &metrics, metric_locks: locks, ..RouteRequest::default() };
        let mut buf = Vec::new();
        request.emit_new(&mut Builder::new(&mut buf)).expect("fits");
        let msg = only_message(&buf);
        let view = RouteMessage::parse(&msg).expect("a route message");
        let Some(read) = view.metric_values() else {
            prop_assert!(mtu.is_none() && metrics.is_empty() && locks == 0);
            return Ok(());
        };
        prop_assert_eq!(read.locks(), locks);
        let mut expected: Vec<RouteMetric<'_>> = mtu.map(|m| RouteMetric::number(RTAX_MTU, m)).into_iter().collect();
        expected.extend_from_slice(&metrics);
        prop_assert_eq!(read.collect::<Vec<_>>(), expected);
    }

    #[test]
    fn nsid_requests_decode_to_themselves(
        target in prop_oneof![any::<u32>().prop_map(NsTarget::Fd), any::<u32>().prop_map(NsTarget::Pid)],
        nsid in any::<i32>(),
    ) {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        emit_new_nsid(&mut b, target, nsid).expect("fits");
        let first_len = b.bytes().len();
        emit_get_nsid(&mut b, target).expect("fits");
        let mut all = Messages::new(&buf);
        let new = all.next().expect("new").expect("decodes");
        let get = all.next().expect("get").expect("decodes");
        prop_assert!(all.next().is_none());
        prop_assert_eq!(new.header().len.get() as usize, first_len);
        prop_assert_eq!((new.ty(), new.flags(), new.seq()), (RTM_NEWNSID, NLM_F_REQUEST | NLM_F_ACK, 0));
        prop_assert_eq!((get.ty(), get.flags(), get.seq()), (RTM_GETNSID, NLM_F_REQUEST, 0));
        let target_of = |view: &NsIdMessage<'_>| match (view.fd(), view.pid()) {
            (Some(fd), None) => Some(NsTarget::Fd(fd)),
            (None, Some(pid)) => Some(NsTarget::Pid(pid)),
            _ => None,
        };
        let new = NsIdMessage::parse(&new).expect("an nsid message");
        prop_assert_eq!(target_of(&new), Some(target));
        prop_assert_eq!(new.nsid(), Some(nsid));
        prop_assert_eq!(new.attrs().count(), 2);
        let get = NsIdMessage::parse(&get).expect("an nsid message");
        prop_assert_eq!(target_of(&get), Some(target));
        prop_assert_eq!(get.nsid(), None);
        prop_assert_eq!(get.attrs().count(), 1);
    }

    #[test]
    fn builder_nested_attributes_decode_to_themselves(
        batch in proptest::collection::vec(
            (any::<u16>(), any::<u16>(), any::<u32>(), proptest::collection::vec(any::<u8>(), 0..20),
             proptest::collection::vec(node(), 0..6)),
            1..4,
        ),
        prefix in proptest::collection::vec(any::<u8>(), 0..7),
    ) {
        // Several messages in one reused buffer, after unaligned leftovers of an earlier use.
        let mut buf = prefix.clone();
        let mut b = Builder::new(&mut buf);
        for (ty, flags, seq, family_header, nodes) in &batch {
            let m = b.begin(*ty, *flags, *seq);
            b.push_bytes(family_header);
            for node in nodes {
                emit_node(&mut b, node);
            }
            b.finish(m).expect("fits");
        }
        let start = prefix.len().next_multiple_of(4);
        prop_assert_eq!(&buf[..prefix.len()], prefix.as_slice());
        let mut messages = Messages::new(&buf[start..]);
        for (ty, flags, seq, family_header, nodes) in &batch {
            let msg = messages.next().expect("a message per request").expect("decodes");
            prop_assert_eq!((msg.ty(), msg.flags(), msg.seq(), msg.pid()), (*ty, *flags, *seq, 0));
            let header_len = family_header.len().next_multiple_of(4);
            prop_assert_eq!(&msg.payload()[..family_header.len()], family_header.as_slice());
            prop_assert!(msg.payload()[family_header.len()..header_len].iter().all(|&b| b == 0));
            check_nodes(Attrs::new(&msg.payload()[header_len..]), nodes);
        }
        prop_assert!(messages.next().is_none());
    }

    #[test]
    fn net_byteorder_flag_reads_big_endian(kind in 0u16..0x3fff, v16 in any::<u16>(), v32 in any::<u32>(), v64 in any::<u64>()) {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        b.attr(kind | NLA_F_NET_BYTEORDER, &v16.to_be_bytes());
        b.attr(kind | NLA_F_NET_BYTEORDER, &v32.to_be_bytes());
        b.attr(kind | NLA_F_NET_BYTEORDER, &v64.to_be_bytes());
        let got: Vec<Attr<'_>> = Attrs::new(&buf).collect();
        prop_assert_eq!(got.len(), 3);
        prop_assert_eq!((got[0].kind(), got[0].u16(), got[0].be16()), (kind, Some(v16), Some(v16)));
        prop_assert_eq!(got[1].u32(), Some(v32));
        prop_assert_eq!(got[2].u64(), Some(v64));
    }
}

// ---- neighbours and rules ----

/// A neighbour request's fields: ifindex, state, flags, dst, lladdr, protocol, flags_ext.
type NeighFields = (
    i32,
    u16,
    u8,
    IpAddr,
    Option<Vec<u8>>,
    Option<u8>,
    Option<u32>,
);

fn neigh_request() -> impl Strategy<Value = NeighFields> {
    (
        any::<i32>(),
        any::<u16>(),
        any::<u8>(),
        ip(),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20)),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<u32>()),
    )
}

/// A rule attribute of every kind the builder writes (names without NUL bytes).
fn rule_attr() -> impl Strategy<Value = OwnedRuleAttr> {
    prop_oneof![
        proptest::option::of(ip()).prop_map(OwnedRuleAttr::Src),
        proptest::option::of(ip()).prop_map(OwnedRuleAttr::Dst),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_PRIORITY, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_FWMARK, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_FWMASK, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_FLOW, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_TABLE, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_SUPPRESS_PREFIXLEN, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_SUPPRESS_IFGROUP, v)),
        any::<u32>().prop_map(|v| OwnedRuleAttr::U32(FRA_GOTO, v)),
        any::<u8>().prop_map(|v| OwnedRuleAttr::U8(FRA_PROTOCOL, v)),
        any::<u8>().prop_map(|v| OwnedRuleAttr::U8(FRA_IP_PROTO, v)),
        any::<u8>().prop_map(|v| OwnedRuleAttr::U8(FRA_L3MDEV, v)),
        any::<u64>().prop_map(OwnedRuleAttr::TunId),
        proptest::collection::vec(1..=255u8, 0..16).prop_map(OwnedRuleAttr::Iif),
        proptest::collection::vec(1..=255u8, 0..16).prop_map(OwnedRuleAttr::Oif),
        (any::<u32>(), any::<u32>()).prop_map(|(a, b)| OwnedRuleAttr::Uid(a, b)),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| OwnedRuleAttr::Sport(a, b)),
        (any::<u16>(), any::<u16>()).prop_map(|(a, b)| OwnedRuleAttr::Dport(a, b)),
        ipv4().prop_map(OwnedRuleAttr::Nat),
    ]
}

#[derive(Clone, Debug, PartialEq)]
enum OwnedRuleAttr {
    Src(Option<IpAddr>),
    Dst(Option<IpAddr>),
    U32(u16, u32),
    U8(u16, u8),
    TunId(u64),
    Iif(Vec<u8>),
    Oif(Vec<u8>),
    Uid(u32, u32),
    Sport(u16, u16),
    Dport(u16, u16),
    Nat(Ipv4Addr),
}

impl OwnedRuleAttr {
    fn kind(&self) -> u16 {
        match self {
            OwnedRuleAttr::Src(_) => FRA_SRC,
            OwnedRuleAttr::Dst(_) => FRA_DST,
            OwnedRuleAttr::U32(k, _) | OwnedRuleAttr::U8(k, _) => *k,
            OwnedRuleAttr::TunId(_) => FRA_TUN_ID,
            OwnedRuleAttr::Iif(_) => FRA_IIFNAME,
            OwnedRuleAttr::Oif(_) => FRA_OIFNAME,
            OwnedRuleAttr::Uid(..) => FRA_UID_RANGE,
            OwnedRuleAttr::Sport(..) => FRA_SPORT_RANGE,
            OwnedRuleAttr::Dport(..) => FRA_DPORT_RANGE,
            OwnedRuleAttr::Nat(_) => RULE_NAT_GATEWAY,
        }
    }
    fn view(&self) -> RuleAttr<'_> {
        match self {
            OwnedRuleAttr::Src(a) => RuleAttr::Src(*a),
            OwnedRuleAttr::Dst(a) => RuleAttr::Dst(*a),
            OwnedRuleAttr::U32(FRA_PRIORITY, v) => RuleAttr::Priority(*v),
            OwnedRuleAttr::U32(FRA_FWMARK, v) => RuleAttr::FwMark(*v),
            OwnedRuleAttr::U32(FRA_FWMASK, v) => RuleAttr::FwMask(*v),
            OwnedRuleAttr::U32(FRA_FLOW, v) => RuleAttr::Flow(*v),
            OwnedRuleAttr::U32(FRA_TABLE, v) => RuleAttr::Table(*v),
            OwnedRuleAttr::U32(FRA_SUPPRESS_PREFIXLEN, v) => RuleAttr::SuppressPrefixLen(*v),
            OwnedRuleAttr::U32(FRA_SUPPRESS_IFGROUP, v) => RuleAttr::SuppressIfGroup(*v),
            OwnedRuleAttr::U32(_, v) => RuleAttr::Goto(*v),
            OwnedRuleAttr::U8(FRA_PROTOCOL, v) => RuleAttr::Protocol(*v),
            OwnedRuleAttr::U8(FRA_IP_PROTO, v) => RuleAttr::IpProto(*v),
            OwnedRuleAttr::U8(_, v) => RuleAttr::L3mdev(*v),
            OwnedRuleAttr::TunId(v) => RuleAttr::TunId(*v),
            OwnedRuleAttr::Iif(n) => RuleAttr::IifName(n),
            OwnedRuleAttr::Oif(n) => RuleAttr::OifName(n),
            OwnedRuleAttr::Uid(a, b) => RuleAttr::UidRange(*a, *b),
            OwnedRuleAttr::Sport(a, b) => RuleAttr::SportRange(*a, *b),
            OwnedRuleAttr::Dport(a, b) => RuleAttr::DportRange(*a, *b),
            OwnedRuleAttr::Nat(a) => RuleAttr::NatGateway(*a),
        }
    }
    /// The same attribute read back through the view's getters.
    fn decode(kind: u16, view: &RuleMessage<'_>) -> Option<OwnedRuleAttr> {
        Some(match kind {
            FRA_SRC => OwnedRuleAttr::Src(view.attr(FRA_SRC)?.ip()),
            FRA_DST => OwnedRuleAttr::Dst(view.attr(FRA_DST)?.ip()),
            FRA_TUN_ID => OwnedRuleAttr::TunId(view.tun_id()?),
            FRA_IIFNAME => OwnedRuleAttr::Iif(view.iif_name()?.to_vec()),
            FRA_OIFNAME => OwnedRuleAttr::Oif(view.oif_name()?.to_vec()),
            FRA_UID_RANGE => {
                let (a, b) = view.uid_range()?;
                OwnedRuleAttr::Uid(a, b)
            }
            FRA_SPORT_RANGE => {
                let (a, b) = view.sport_range()?;
                OwnedRuleAttr::Sport(a, b)
            }
            FRA_DPORT_RANGE => {
                let (a, b) = view.dport_range()?;
                OwnedRuleAttr::Dport(a, b)
            }
            RULE_NAT_GATEWAY => OwnedRuleAttr::Nat(view.nat_gateway()?),
            FRA_PROTOCOL => OwnedRuleAttr::U8(kind, view.protocol()?),
            FRA_IP_PROTO => OwnedRuleAttr::U8(kind, view.ip_proto()?),
            FRA_L3MDEV => OwnedRuleAttr::U8(kind, view.l3mdev()?),
            k => OwnedRuleAttr::U32(k, view.u32_attr(k)?),
        })
    }
}

/// Rule attributes of distinct kinds (the view keeps the last of a kind, as the kernel does).
fn rule_attrs() -> impl Strategy<Value = Vec<OwnedRuleAttr>> {
    proptest::collection::vec(rule_attr(), 0..12).prop_map(|attrs| {
        let mut seen = Vec::new();
        attrs
            .into_iter()
            .filter(|a| {
                let fresh = !seen.contains(&a.kind());
                seen.push(a.kind());
                fresh
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn neigh_requests_decode_to_themselves(
        (ifindex, state, flags, dst, lladdr, protocol, flags_ext) in neigh_request(),
        create in prop_oneof![Just(0u16), Just(NLM_F_CREATE | NLM_F_EXCL), Just(NLM_F_REPLACE)],
        delete in any::<bool>(),
    ) {
        let request = NeighRequest {
            ifindex, state, flags, dst, lladdr: lladdr.as_deref(), protocol, flags_ext,
        };
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        if delete {
            request.emit_del(&mut b).expect("encodes");
        } else {
            request.emit_new_with(&mut b, create).expect("encodes");
        }
        let msg = only_message(&buf);
        let (ty, nl_flags) = if delete {
            (RTM_DELNEIGH, NLM_F_REQUEST | NLM_F_ACK)
        } else {
            (RTM_NEWNEIGH, NLM_F_REQUEST | NLM_F_ACK | create)
        };
        prop_assert_eq!((msg.ty(), msg.flags()), (ty, nl_flags));
        let view = NeighMessage::parse(&msg).expect("a neighbour");
        let decoded = NeighRequest {
            ifindex: view.ifindex(),
            state: view.state(),
            flags: view.flags(),
            dst: view.dst().expect("NDA_DST"),
            lladdr: view.lladdr(),
            protocol: view.protocol(),
            flags_ext: view.flags_ext(),
        };
        prop_assert_eq!(&decoded, &request);
        kinds(view.attrs());
        // A dumped entry echoed as ip's flush deletion is the same entry.
        let mut echo = Vec::new();
        view.emit_delete(&mut Builder::new(&mut echo)).expect("encodes");
        let again = only_message(&echo);
        prop_assert_eq!(again.payload(), msg.payload());
    }

    #[test]
    fn rule_requests_decode_to_themselves(
        header in (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>(), any::<u32>()),
        attrs in rule_attrs(),
        delete in any::<bool>(),
    ) {
        let (family, dst_len, src_len, tos, table, action, flags) = header;
        let views: Vec<RuleAttr<'_>> = attrs.iter().map(OwnedRuleAttr::view).collect();
        let request = RuleRequest { family, dst_len, src_len, tos, table, action, flags, attrs: &views };
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        if delete {
            request.emit_del(&mut b).expect("encodes");
        } else {
            request.emit_new(&mut b).expect("encodes");
        }
        let msg = only_message(&buf);
        let view = RuleMessage::parse(&msg).expect("a rule");
        let h = view.header();
        prop_assert_eq!(
            (h.family, h.dst_len, h.src_len, h.tos, h.table, view.action(), view.flags()),
            (family, dst_len, src_len, tos, table, action, flags)
        );
        let order: Vec<u16> = view.attrs().map(|a| a.kind()).collect();
        let expected: Vec<u16> = attrs.iter().map(OwnedRuleAttr::kind).collect();
        prop_assert_eq!(order, expected);
        for attr in &attrs {
            let decoded = OwnedRuleAttr::decode(attr.kind(), &view);
            prop_assert_eq!(decoded.as_ref(), Some(attr));
        }
        let mut echo = Vec::new();
        view.emit_delete(&mut Builder::new(&mut echo)).expect("encodes");
        prop_assert_eq!(only_message(&echo).payload(), msg.payload());
    }
}
