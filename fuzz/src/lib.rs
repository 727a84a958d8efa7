//! The bodies of the fuzz targets, one function per target.
//!
//! The cargo-fuzz binaries in `fuzz_targets/` call these, and the main workspace's
//! `tests/fuzz_corpus.rs` includes this very file (`#[path]`) to replay the committed corpus
//! on stable in `cargo test`: one body, two drivers, so a crash input added to the corpus is
//! checked by exactly the code that found it.
//!
//! Each body does more than "not panic": it checks what the decoders promise (iteration
//! ends within a bound, views borrow from the input, the O(1) attribute table agrees with a
//! plain walk, getters answer `None` exactly when the value is too short).
//!
//! Run one (from `fuzz/`, nightly): `cargo +nightly fuzz run <target> /tmp/work corpus/<target>
//! -- -max_total_time=60`. Giving a scratch directory first keeps new units out of the
//! committed seed corpus; add only crash inputs to it (`corpus/<target>/crash-*`).

use core::net::IpAddr;

use netlink_core::route::addr::ADDR_ATTR_SLOTS;
use netlink_core::route::consts::{RTA_GATEWAY, RTA_VIA};
use netlink_core::route::link::LINK_ATTR_SLOTS;
use netlink_core::route::neigh::NEIGH_ATTR_SLOTS;
use netlink_core::route::routes::METRIC_SLOTS;
use netlink_core::route::routes::ROUTE_ATTR_SLOTS;
use netlink_core::route::rule::RULE_ATTR_SLOTS;
use netlink_core::route::{
    AddressMessage, LinkInfo, LinkMessage, NeighMessage, NextHops, NsIdMessage, RouteMessage,
    RtnlMessage, RuleMessage, Stat, Stats64, Via,
};
use netlink_core::wire::{
    Attr, AttrTable, Attrs, Builder, DecodeError, DoneMessage, EncodeError, ErrorMessage, Message,
    Messages, NLM_F_ACK_TLVS, NLM_F_CAPPED,
};

/// How deep the attribute walk recurses when it reads every value as a nest. Real rtnetlink
/// nests go 4 deep (LINKINFO / INFO_DATA / VETH_INFO_PEER / attrs); the cap keeps the stack
/// and the O(bytes x depth) work bounded on adversarial inputs.
const MAX_NEST_DEPTH: usize = 12;

/// A target body: takes the fuzzer's bytes, panics on a broken invariant.
pub type Body = fn(&[u8]);

/// Every target by name, for drivers that replay a corpus directory per target.
pub const TARGETS: &[(&str, Body)] = &[
    ("messages", messages),
    ("attrs", attrs),
    ("link", link),
    ("address", address),
    ("route", route),
    ("nsid", nsid),
    ("rtnl", rtnl),
    ("error", error),
    ("nexthops", nexthops),
    ("neigh", neigh),
    ("rule", rule),
];

/// Whether `inner` lies within `outer` (views must borrow from the buffer they were given).
fn within(outer: &[u8], inner: &[u8]) -> bool {
    let (o, i) = (outer.as_ptr_range(), inner.as_ptr_range());
    inner.is_empty() || (o.start <= i.start && i.end <= o.end)
}

/// `Messages` over arbitrary bytes: a bounded number of items, an error only last, and every
/// message's payload inside the input with the length its header claims.
pub fn messages(data: &[u8]) {
    let mut count = 0usize;
    let mut failed = false;
    for item in Messages::new(data) {
        assert!(!failed, "Messages yielded an item after an error");
        count += 1;
        // Each message takes at least its 16-byte header, and an error ends the walk.
        assert!(count <= data.len() / 16 + 1, "Messages did not terminate");
        match item {
            Ok(msg) => {
                assert!(within(data, msg.payload()));
                let claimed = msg.header().len.get() as usize;
                assert_eq!(msg.payload().len() + 16, claimed);
                let _ = (msg.ty(), msg.flags(), msg.seq(), msg.pid());
                if let Some(Ok(err)) = msg.error() {
                    exercise_error(&err, msg.payload());
                }
            }
            Err(e) => {
                failed = true;
                let _ = e.to_string();
            }
        }
    }
    // The same bytes as a single message must agree with the iterator's first item.
    match (Message::parse(data), Messages::new(data).next()) {
        (Ok(a), Some(Ok(b))) => assert_eq!(a.payload(), b.payload()),
        (Err(a), Some(Err(b))) => assert_eq!(a, b),
        (Err(_), None) => assert!(data.is_empty()),
        (a, b) => panic!("Message::parse {a:?} disagrees with Messages {b:?}"),
    }
}

/// The attribute iterator over arbitrary bytes, recursing into every value as if it were a
/// nest, calling every getter, and checking the one-pass table against the walk.
pub fn attrs(data: &[u8]) {
    walk_attrs(data, 0);
    check_table::<72>(data);
    check_table::<8>(data);
}

fn walk_attrs(bytes: &[u8], depth: usize) {
    let mut it = Attrs::new(bytes);
    let mut count = 0usize;
    let mut consumed = 0usize;
    for attr in it.by_ref() {
        count += 1;
        assert!(count <= bytes.len() / 4, "Attrs did not terminate");
        assert!(within(bytes, attr.value()));
        consumed += 4 + attr.value().len();
        assert!(consumed <= bytes.len());
        exercise_attr(&attr);
        if depth < MAX_NEST_DEPTH {
            walk_attrs(attr.value(), depth + 1);
        }
    }
    // After the end the iterator stays ended, and says why it ended.
    assert!(it.next().is_none());
    let _ = it.is_malformed();
    assert!(it.remaining().is_empty());
}

/// Calls every getter of `attr` and checks each answers `None` exactly when it should.
fn exercise_attr(attr: &Attr<'_>) {
    let value = attr.value();
    let n = value.len();
    assert_eq!(
        attr.kind(),
        attr.raw_kind() & netlink_core::wire::NLA_TYPE_MASK
    );
    let _ = attr.is_nested();
    assert_eq!(attr.u8().is_some(), n >= 1);
    assert_eq!(attr.u16().is_some(), n >= 2);
    assert_eq!(attr.be16().is_some(), n >= 2);
    assert_eq!(attr.u32().is_some(), n >= 4);
    assert_eq!(attr.i32().is_some(), n >= 4);
    assert_eq!(attr.u64().is_some(), n >= 8);
    let c = attr.c_bytes();
    assert!(value.starts_with(c) && !c.contains(&0));
    assert_eq!(attr.str().is_some(), core::str::from_utf8(c).is_ok());
    assert_eq!(attr.ipv4().is_some(), n == 4);
    assert_eq!(attr.ipv6().is_some(), n == 16);
    match attr.ip() {
        Some(IpAddr::V4(a)) => assert_eq!(a.octets().as_slice(), value),
        Some(IpAddr::V6(a)) => assert_eq!(a.octets().as_slice(), value),
        None => assert!(n != 4 && n != 16),
    }
    let mut nested = attr.nested();
    assert_eq!(nested.remaining(), value);
    // Draining the nest must end even when the value is not a nest at all.
    let mut inner = 0usize;
    while nested.next().is_some() {
        inner += 1;
        assert!(inner <= n / 4);
    }
}

/// Builds an `AttrTable<N>` over `bytes` and checks that `get(kind)` is the last attribute
/// of that type a plain walk finds, for every type below `N`, and nothing at or above it.
fn check_table<const N: usize>(bytes: &[u8]) {
    let table = AttrTable::<N>::parse(Attrs::new(bytes));
    assert_eq!(table.source(), bytes);
    check_lookup(bytes, N, |kind| table.get(kind), |kind| table.has(kind));
}

/// For every attribute type (and a few past the table), compares the view's O(1) lookup
/// with the last occurrence in a walk of `bytes`.
fn check_lookup<'a>(
    bytes: &'a [u8],
    slots: usize,
    lookup: impl Fn(u16) -> Option<Attr<'a>>,
    has: impl Fn(u16) -> bool,
) {
    let mut last: [Option<Attr<'a>>; 80] = [None; 80];
    for attr in Attrs::new(bytes) {
        if let Some(slot) = last.get_mut(attr.kind() as usize) {
            *slot = Some(attr);
        }
    }
    for (kind, expected) in (0u16..).zip(last.iter()) {
        let expected = if (kind as usize) < slots {
            *expected
        } else {
            None
        };
        assert_eq!(lookup(kind), expected, "table lookup of type {kind}");
        assert_eq!(has(kind), expected.is_some(), "table has type {kind}");
    }
    assert_eq!(lookup(u16::MAX), None);
}

/// A view's attributes (its table has `slots` slots): they lie inside the payload, and the
/// view's O(1) lookup agrees with a plain walk. Returns their bytes.
fn check_view_attrs<'a>(
    payload: &[u8],
    attrs: Attrs<'a>,
    slots: usize,
    lookup: impl Fn(u16) -> Option<Attr<'a>>,
) -> &'a [u8] {
    let source = attrs.remaining();
    assert!(within(payload, source));
    check_lookup(source, slots, &lookup, |k| lookup(k).is_some());
    source
}

/// The last attribute of type `kind` in `bytes`, found by a plain walk: what a getter of
/// that type must answer.
fn last_of(bytes: &[u8], kind: u16) -> Option<Attr<'_>> {
    Attrs::new(bytes).filter(|a| a.kind() == kind).last()
}

/// A target body for one view: `parse` on the fuzzer's bytes, then `exercise` on the view.
fn view_target<'a, V>(
    data: &'a [u8],
    parse: fn(&'a [u8]) -> Result<V, DecodeError>,
    exercise: fn(&V, &[u8]),
) {
    if let Ok(view) = parse(data) {
        exercise(&view, data);
    }
}

/// Attributes a view walks in order, checked the same way the `attrs` target checks them.
fn exercise_walk(bytes: &[u8]) {
    walk_attrs(bytes, 0);
}

/// `LinkMessage` from an arbitrary payload, with every getter, `link_info` and `stats64`.
pub fn link(data: &[u8]) {
    view_target(data, LinkMessage::from_payload, exercise_link);
}

fn exercise_link(view: &LinkMessage<'_>, payload: &[u8]) {
    let _ = (view.header(), view.index(), view.flags(), view.link_type());
    let _ = view.family();
    let source = check_view_attrs(payload, view.attrs(), LINK_ATTR_SLOTS, |k| view.attr(k));
    for text in [view.name(), view.qdisc(), view.alias()]
        .into_iter()
        .flatten()
    {
        assert!(!text.contains('\0'));
    }
    for bytes in [view.address(), view.broadcast(), view.permanent_address()]
        .into_iter()
        .flatten()
    {
        assert!(within(payload, bytes));
    }
    let _ = (view.mtu(), view.master(), view.link());
    let _ = (view.link_netnsid(), view.operstate(), view.linkmode());
    let _ = (view.txqlen(), view.group(), view.promiscuity());
    let _ = (view.min_mtu(), view.max_mtu(), view.num_tx_queues());
    let _ = (view.num_rx_queues(), view.carrier_changes());
    if let Some(stats) = view.stats64() {
        exercise_stats(&stats);
    }
    if let Some(info) = view.link_info() {
        exercise_link_info(&info);
        assert_eq!(view.kind(), info.kind);
    } else {
        assert_eq!(view.kind(), None);
    }
    exercise_walk(source);
}

const ALL_STATS: [Stat; 25] = [
    Stat::RxPackets,
    Stat::TxPackets,
    Stat::RxBytes,
    Stat::TxBytes,
    Stat::RxErrors,
    Stat::TxErrors,
    Stat::RxDropped,
    Stat::TxDropped,
    Stat::Multicast,
    Stat::Collisions,
    Stat::RxLengthErrors,
    Stat::RxOverErrors,
    Stat::RxCrcErrors,
    Stat::RxFrameErrors,
    Stat::RxFifoErrors,
    Stat::RxMissedErrors,
    Stat::TxAbortedErrors,
    Stat::TxCarrierErrors,
    Stat::TxFifoErrors,
    Stat::TxHeartbeatErrors,
    Stat::TxWindowErrors,
    Stat::RxCompressed,
    Stat::TxCompressed,
    Stat::RxNohandler,
    Stat::RxOtherhostDropped,
];

fn exercise_stats(stats: &Stats64<'_>) {
    // A view exists only with the 23 counters every kernel sends; those always answer.
    for (i, stat) in ALL_STATS.iter().enumerate() {
        let got = stats.get(*stat);
        if i < 23 {
            assert!(got.is_some(), "counter {i} of a valid Stats64");
        }
    }
}

fn exercise_link_info(info: &LinkInfo<'_>) {
    for nest in [&info.data, &info.slave_data].into_iter().flatten() {
        exercise_walk(nest.remaining());
    }
    let _ = (info.kind, info.slave_kind);
}

/// `AddressMessage` from an arbitrary payload, with every getter and `cache_info`.
pub fn address(data: &[u8]) {
    view_target(data, AddressMessage::from_payload, exercise_address);
}

fn exercise_address(view: &AddressMessage<'_>, payload: &[u8]) {
    let _ = (
        view.header(),
        view.family(),
        view.prefix_len(),
        view.scope(),
    );
    let _ = (view.index(), view.flags());
    let source = check_view_attrs(payload, view.attrs(), ADDR_ATTR_SLOTS, |k| view.attr(k));
    let (local, address) = (view.local(), view.address());
    assert_eq!(view.primary(), local.or(address));
    let _ = (view.broadcast(), view.protocol(), view.route_priority());
    if let Some(label) = view.label() {
        assert!(!label.contains('\0'));
    }
    let cache_info = view.cache_info();
    let cache_len = view
        .attr(netlink_core::route::consts::IFA_CACHEINFO)
        .map(|a| a.value().len());
    assert_eq!(cache_info.is_some(), cache_len.is_some_and(|n| n >= 16));
    let _ = view.anycast();
    check_echo(payload, |b| view.emit_delete(b));
    exercise_walk(source);
}

/// A delete-what-was-dumped request echoes the dumped payload: the same bytes, then at most
/// the padding to 4 bytes, in one `NLM_F_REQUEST` message.
fn check_echo(payload: &[u8], emit: impl FnOnce(&mut Builder<'_>) -> Result<usize, EncodeError>) {
    let mut buf = Vec::new();
    if emit(&mut Builder::new(&mut buf)).is_err() {
        return;
    }
    let msg = Message::parse(&buf).expect("the builder made a message");
    let echoed = msg.payload();
    assert_eq!(echoed.get(..payload.len()), Some(payload));
    let padding = echoed.get(payload.len()..).unwrap_or(&[]);
    assert!(padding.len() < 4 && padding.iter().all(|&b| b == 0));
}

/// `RouteMessage` from an arbitrary payload, with every getter and the metrics nest.
pub fn route(data: &[u8]) {
    view_target(data, RouteMessage::from_payload, exercise_route);
}

/// Every reading of an encapsulation (route or next hop): none may panic.
fn exercise_encap(encap: &netlink_core::route::Encap<'_>) {
    let _ = (encap.kind(), encap.tunnel_id(), encap.tunnel_flags());
    for kind in 0..20 {
        let _ = (
            encap.u8(kind),
            encap.u16(kind),
            encap.u32(kind),
            encap.ip(kind),
        );
    }
    if let Some((_, srh)) = encap.seg6() {
        let _ = (
            srh.first_segment(),
            srh.hmac_key_id(),
            srh.segments().count(),
        );
    }
    if let Some(labels) = encap.mpls_labels() {
        assert!(labels.count() <= 1 << 16);
    }
}

fn exercise_route(view: &RouteMessage<'_>, payload: &[u8]) {
    let _ = (view.header(), view.family(), view.dst_len(), view.src_len());
    let _ = (view.tos(), view.table(), view.protocol(), view.scope());
    let _ = (view.kind(), view.flags());
    let source = check_view_attrs(payload, view.attrs(), ROUTE_ATTR_SLOTS, |k| view.attr(k));
    let _ = (view.dst(), view.src(), view.gateway(), view.prefsrc());
    let _ = (view.oif(), view.iif(), view.priority(), view.pref());
    let _ = view.expires();
    if let Some(metrics) = view.metrics() {
        exercise_walk(metrics.remaining());
    }
    if let Some(hops) = view.multipath() {
        assert!(within(payload, hops));
        exercise_nexthops(hops);
    }
    assert_eq!(view.nexthops().is_some(), view.multipath().is_some());
    if let Some(metrics) = view.metrics_table() {
        let nest = view.metrics().map(|m| m.remaining()).unwrap_or(&[]);
        check_lookup(nest, METRIC_SLOTS, |k| metrics.get(k), |k| metrics.has(k));
    }
    if let Some(encap) = view.encapsulation() {
        exercise_encap(&encap);
    }
    if let Some(via) = view.via() {
        assert!(within(payload, via.addr_bytes()));
        let _ = via.addr();
    }
    let cache_len = view
        .attr(netlink_core::route::consts::RTA_CACHEINFO)
        .map(|a| a.value().len());
    assert_eq!(
        view.cache_info().is_some(),
        cache_len.is_some_and(|n| n >= 32)
    );
    let _ = view.encap_type();
    if let Some(encap) = view.encap() {
        exercise_walk(encap.remaining());
    }
    check_echo(payload, |b| view.emit_delete(b));
    exercise_walk(source);
}

/// The next hops of an `RTA_MULTIPATH` value: each at least a header long, inside the
/// value, its getters agreeing with a plain walk of its attributes.
pub fn nexthops(data: &[u8]) {
    exercise_nexthops(data);
    if let Some(via) = Via::parse(data) {
        assert!(within(data, via.addr_bytes()));
        assert_eq!(via.addr_bytes().len() + 2, data.len());
        let _ = via.addr();
    }
}

fn exercise_nexthops(value: &[u8]) {
    let mut count = 0usize;
    for hop in NextHops::new(value) {
        count += 1;
        assert!(
            count <= value.len() / 8,
            "each next hop takes 8 bytes at least"
        );
        assert_eq!(hop.weight(), u16::from(hop.hops()) + 1);
        let _ = (hop.flags(), hop.ifindex(), hop.header());
        let attrs = hop.attrs().remaining();
        assert!(within(value, attrs));
        let last = |kind: u16| last_of(attrs, kind);
        assert_eq!(hop.gateway(), last(RTA_GATEWAY).and_then(|a| a.ip()));
        assert_eq!(hop.via(), last(RTA_VIA).and_then(|a| Via::parse(a.value())));
        exercise_walk(attrs);
        if let Some(encap) = netlink_core::route::Encap::find(hop.attrs()) {
            exercise_encap(&encap);
        }
    }
}

/// `NsIdMessage` from an arbitrary payload.
pub fn nsid(data: &[u8]) {
    view_target(data, NsIdMessage::from_payload, exercise_nsid);
}

fn exercise_nsid(view: &NsIdMessage<'_>, payload: &[u8]) {
    use netlink_core::route::consts::{NETNSA_CURRENT_NSID, NETNSA_FD, NETNSA_NSID, NETNSA_PID};
    let source = view.attrs().remaining();
    assert!(within(payload, source));
    // The view's table has 8 slots; each getter is the last attribute of its type.
    let last = |kind: u16| last_of(source, kind);
    assert_eq!(view.nsid(), last(NETNSA_NSID).and_then(|a| a.i32()));
    assert_eq!(view.pid(), last(NETNSA_PID).and_then(|a| a.u32()));
    assert_eq!(view.fd(), last(NETNSA_FD).and_then(|a| a.u32()));
    assert_eq!(
        view.current_nsid(),
        last(NETNSA_CURRENT_NSID).and_then(|a| a.i32())
    );
    exercise_walk(source);
}

/// `RtnlMessage::parse` on every message of arbitrary bytes, then every getter of the view
/// it chose; the typed parsers must agree with it about the type.
pub fn rtnl(data: &[u8]) {
    for msg in Messages::new(data).flatten() {
        let payload = msg.payload();
        match RtnlMessage::parse(&msg) {
            Ok(RtnlMessage::Link(view)) => exercise_link(&view, payload),
            Ok(RtnlMessage::Address(view)) => exercise_address(&view, payload),
            Ok(RtnlMessage::Route(view)) => exercise_route(&view, payload),
            Ok(RtnlMessage::NsId(view)) => exercise_nsid(&view, payload),
            Ok(RtnlMessage::Neigh(view)) => exercise_neigh(&view, payload),
            Ok(RtnlMessage::Rule(view)) => exercise_rule(&view, payload),
            Ok(RtnlMessage::Other(other)) => {
                assert_eq!(other.payload(), payload);
                assert!(LinkMessage::parse(&msg).is_err() || is_link_request(msg.ty()));
            }
            // A view added to the library after this target: exercised once listed here.
            Ok(_) => {}
            Err(_) => {}
        }
        // The typed parsers on a message of any type: an error or a view, never a panic.
        if let Ok(view) = LinkMessage::parse(&msg) {
            exercise_link(&view, payload);
        }
        if let Ok(view) = AddressMessage::parse(&msg) {
            exercise_address(&view, payload);
        }
        if let Ok(view) = RouteMessage::parse(&msg) {
            exercise_route(&view, payload);
        }
        if let Ok(view) = NsIdMessage::parse(&msg) {
            exercise_nsid(&view, payload);
        }
    }
}

/// `RTM_GETLINK` / `RTM_SETLINK` are read by `LinkMessage` but not routed to it by
/// `RtnlMessage` (they are requests, not notifications).
fn is_link_request(ty: u16) -> bool {
    use netlink_core::route::consts::{RTM_GETLINK, RTM_SETLINK};
    ty == RTM_GETLINK || ty == RTM_SETLINK
}

/// `ErrorMessage::parse` of an arbitrary payload under every combination of the capped and
/// ext-ack flags (and a few unrelated bits), then `message()`, `offset()` and the rest; and
/// the same bytes as whole messages through `Message::error`.
pub fn error(data: &[u8]) {
    let base = [
        0,
        NLM_F_CAPPED,
        NLM_F_ACK_TLVS,
        NLM_F_CAPPED | NLM_F_ACK_TLVS,
    ];
    for flags in base.into_iter().chain(base.map(|f| f | 0x0f)) {
        if let Ok(err) = ErrorMessage::parse(flags, data) {
            if flags & NLM_F_ACK_TLVS == 0 {
                assert_eq!(err.ext_ack().remaining(), &[] as &[u8]);
            }
            if flags & NLM_F_CAPPED != 0 {
                assert!(err.request_payload().is_empty());
            }
            exercise_error(&err, data);
        }
    }
    for flags in base {
        exercise_done(&DoneMessage::parse(flags, data), flags, data);
    }
    for msg in Messages::new(data).flatten() {
        if let Some(Ok(err)) = msg.error() {
            exercise_error(&err, msg.payload());
        }
        if let Some(done) = msg.done() {
            exercise_done(&done, msg.flags(), msg.payload());
        }
    }
}

/// `NLMSG_DONE`: an errno when the payload has one (else success), extended-ACK attributes
/// only when flagged, inside the payload.
fn exercise_done(done: &DoneMessage<'_>, flags: u16, payload: &[u8]) {
    if payload.len() < 4 {
        assert_eq!(done.error(), 0);
    }
    assert!(done.errno() >= 0 || done.error() > 0);
    let ext = done.ext_ack();
    let tlvs = ext.attrs().remaining();
    if flags & NLM_F_ACK_TLVS == 0 {
        assert!(tlvs.is_empty());
    }
    assert!(within(payload, tlvs));
    if let Some(text) = ext.message() {
        assert!(!text.contains('\0'));
    }
    let _ = (ext.offset(), ext.missing_type());
    exercise_walk(tlvs);
}

fn exercise_error(err: &ErrorMessage<'_>, payload: &[u8]) {
    assert_eq!(err.is_ack(), err.error() == 0);
    assert!(err.errno() >= 0 || err.error() > 0);
    let _ = err.request().ty.get();
    assert!(within(payload, err.request_payload()));
    let ext_ack = err.ext_ack().remaining();
    assert!(within(payload, ext_ack));
    if let Some(text) = err.message() {
        assert!(!text.contains('\0'));
    }
    let _ = (err.offset(), err.missing_type());
    exercise_walk(ext_ack);
}

/// `NeighMessage::from_payload` on arbitrary bytes, then every getter; the getters agree
/// with a plain walk, and the flush deletion echoes the payload byte for byte.
pub fn neigh(data: &[u8]) {
    view_target(data, NeighMessage::from_payload, exercise_neigh);
}

fn exercise_neigh(view: &NeighMessage<'_>, payload: &[u8]) {
    use netlink_core::route::consts::{NDA_DST, NDA_LLADDR, NDA_PROBES};
    let _ = (view.header(), view.family());
    let _ = (view.ifindex(), view.state(), view.flags());
    let source = check_view_attrs(payload, view.attrs(), NEIGH_ATTR_SLOTS, |k| view.attr(k));
    let last = |kind: u16| last_of(source, kind);
    assert_eq!(view.dst(), last(NDA_DST).and_then(|a| a.ip()));
    assert_eq!(view.lladdr(), last(NDA_LLADDR).map(|a| a.value()));
    assert_eq!(view.probes(), last(NDA_PROBES).and_then(|a| a.u32()));
    let _ = (
        view.cache_info(),
        view.protocol(),
        view.master(),
        view.flags_ext(),
    );
    exercise_walk(source);
    let mut echo = Vec::new();
    if view.emit_delete(&mut Builder::new(&mut echo)).is_ok() {
        let msg = Message::parse(&echo).expect("the echo is one message");
        assert_eq!(msg.payload().get(..12), payload.get(..12));
    }
}

/// `RuleMessage::from_payload` on arbitrary bytes, then every getter.
pub fn rule(data: &[u8]) {
    view_target(data, RuleMessage::from_payload, exercise_rule);
}

fn exercise_rule(view: &RuleMessage<'_>, payload: &[u8]) {
    use netlink_core::route::consts::{FRA_PRIORITY, FRA_SRC};
    let _ = (view.header(), view.family(), view.action());
    let _ = (view.flags(), view.table());
    let source = check_view_attrs(payload, view.attrs(), RULE_ATTR_SLOTS, |k| view.attr(k));
    let last = |kind: u16| last_of(source, kind);
    assert_eq!(view.src(), last(FRA_SRC).and_then(|a| a.ip()));
    assert_eq!(
        view.u32_attr(FRA_PRIORITY),
        last(FRA_PRIORITY).and_then(|a| a.u32())
    );
    let _ = (view.dst(), view.iif_name(), view.oif_name(), view.tun_id());
    let _ = (
        view.l3mdev(),
        view.protocol(),
        view.ip_proto(),
        view.uid_range(),
    );
    let _ = (view.sport_range(), view.dport_range(), view.nat_gateway());
    exercise_walk(source);
}
