//! The message path allocates nothing: a counting global allocator watches the decoding of
//! the recorded kernel dumps (304 links, 402 addresses, 1937 + 814 routes), where every
//! message is parsed with its view and every field a printer reads is read and formatted
//! into a reused line buffer. The count must be zero for the whole walk.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;

use netlink_core::route::consts::*;
use netlink_core::route::{AddressMessage, LinkMessage, RouteMessage, RtnlMessage};
use netlink_core::wire::{Messages, NLMSG_DONE};

/// Counts allocations made by the current thread, so that the test harness's other threads
/// cannot disturb a measurement.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn note_allocation() {
    // try_with: the slot may be gone while a thread is being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the only addition is
// a thread-local counter that itself never allocates (const-initialised Cell).
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: the caller upholds alloc's contract, which System::alloc shares.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: as for alloc.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: ptr came from this allocator (hence System) with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr came from this allocator (hence System) with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Runs `f` and returns its result with the number of allocations it made on this thread.
fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let out = f();
    (out, ALLOCATIONS.with(Cell::get) - before)
}

const LINK_DUMP: &[u8] = include_bytes!("fixtures/dumps/link.bin");
const ADDR_DUMP: &[u8] = include_bytes!("fixtures/dumps/addr.bin");
const ROUTE_DUMP: &[u8] = include_bytes!("fixtures/dumps/route.bin");
const ROUTE6_DUMP: &[u8] = include_bytes!("fixtures/dumps/route6.bin");

/// What `ip -d -s link show` prints of a link, written into `line`.
fn print_link(link: &LinkMessage<'_>, line: &mut String) {
    let _ = write!(
        line,
        "{}: {}: <{:#x}> mtu {} qdisc {} state {} group {} qlen {}",
        link.index(),
        link.name().unwrap_or("?"),
        link.flags(),
        link.mtu().unwrap_or(0),
        link.qdisc().unwrap_or("noop"),
        link.operstate().unwrap_or(0),
        link.group().unwrap_or(0),
        link.txqlen().unwrap_or(0),
    );
    if let Some(master) = link.master() {
        let _ = write!(line, " master {master}");
    }
    if let Some(peer) = link.link() {
        let _ = write!(line, " link {peer} netnsid {:?}", link.link_netnsid());
    }
    for bytes in [link.address(), link.broadcast(), link.permanent_address()]
        .into_iter()
        .flatten()
    {
        for b in bytes {
            let _ = write!(line, "{b:02x}:");
        }
    }
    let _ = write!(
        line,
        " promiscuity {} minmtu {} maxmtu {} numtx {} numrx {} alias {:?} {}",
        link.promiscuity().unwrap_or(0),
        link.min_mtu().unwrap_or(0),
        link.max_mtu().unwrap_or(0),
        link.num_tx_queues().unwrap_or(0),
        link.num_rx_queues().unwrap_or(0),
        link.alias(),
        link.carrier_changes().unwrap_or(0),
    );
    if let Some(info) = link.link_info() {
        let _ = write!(line, " {} {:?}", info.kind.unwrap_or(""), info.slave_kind);
        for nest in [info.data, info.slave_data].into_iter().flatten() {
            for a in nest {
                let _ = write!(line, " {}={:?}", a.kind(), a.u32());
            }
        }
    }
    if let Some(stats) = link.stats64() {
        for stat in nsip_suite::LINK_STATS {
            let _ = write!(line, " {}", stats.get(stat).unwrap_or(0));
        }
    }
}

/// What `ip addr show` prints of an address.
fn print_address(addr: &AddressMessage<'_>, line: &mut String) {
    let family = if addr.family() == AF_INET6 {
        "inet6"
    } else {
        "inet"
    };
    let _ = write!(line, "{}: {family}", addr.index());
    if let Some(ip) = addr.primary() {
        let _ = write!(line, " {ip}/{}", addr.prefix_len());
    }
    if let (Some(local), Some(peer)) = (addr.local(), addr.address()) {
        if local != peer {
            let _ = write!(line, " peer {peer}");
        }
    }
    if let Some(brd) = addr.broadcast() {
        let _ = write!(line, " brd {brd}");
    }
    let _ = write!(line, " scope {} flags {:#x}", addr.scope(), addr.flags());
    if let Some(label) = addr.label() {
        let _ = write!(line, " {label}");
    }
    if let Some(ci) = addr.cache_info() {
        let _ = write!(
            line,
            " valid_lft {} preferred_lft {}",
            ci.valid, ci.preferred
        );
    }
}

/// What `ip route show table all` prints of a route.
fn print_route(route: &RouteMessage<'_>, line: &mut String) {
    let _ = write!(line, "{} ", route.kind());
    match route.dst() {
        Some(dst) => {
            let _ = write!(line, "{dst}/{}", route.dst_len());
        }
        None => line.push_str("default"),
    }
    if let Some(gw) = route.gateway() {
        let _ = write!(line, " via {gw}");
    }
    if let Some(oif) = route.oif() {
        let _ = write!(line, " dev {oif}");
    }
    let _ = write!(
        line,
        " table {} proto {} scope {}",
        route.table(),
        route.protocol(),
        route.scope()
    );
    if let Some(src) = route.prefsrc() {
        let _ = write!(line, " src {src}");
    }
    if let Some(metric) = route.priority() {
        let _ = write!(line, " metric {metric}");
    }
    if let Some(pref) = route.pref() {
        let _ = write!(line, " pref {pref}");
    }
    if let Some(metrics) = route.metrics() {
        for m in metrics {
            let _ = write!(line, " {} {:?}", m.kind(), m.u32());
        }
    }
    if let Some(expires) = route.expires() {
        let _ = write!(line, " expires {expires}");
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Walked {
    links: usize,
    addresses: usize,
    routes: usize,
    done: usize,
    printed_bytes: usize,
}

/// Decodes and prints every message of `dump` into the reused `line`.
fn walk(dump: &[u8], line: &mut String, walked: &mut Walked) {
    for msg in Messages::new(dump) {
        let msg = msg.expect("recorded dumps decode");
        line.clear();
        match RtnlMessage::parse(&msg).expect("views decode") {
            RtnlMessage::Link(link) => {
                print_link(&link, line);
                walked.links += 1;
            }
            RtnlMessage::Address(addr) => {
                print_address(&addr, line);
                walked.addresses += 1;
            }
            RtnlMessage::Route(route) => {
                print_route(&route, line);
                walked.routes += 1;
            }
            RtnlMessage::Other(other) if other.ty() == NLMSG_DONE => walked.done += 1,
            other => panic!("unexpected message in a dump: {other:?}"),
        }
        walked.printed_bytes += black_box(line.len());
    }
}

#[test]
fn decoding_the_recorded_dumps_allocates_nothing() {
    // The line buffer is the printer's, reused for every message: allocated once, up front.
    let mut line = String::with_capacity(64 * 1024);
    let mut walked = Walked::default();
    let ((), allocations) = count_allocations(|| {
        for dump in [LINK_DUMP, ADDR_DUMP, ROUTE_DUMP, ROUTE6_DUMP] {
            walk(black_box(dump), &mut line, &mut walked);
        }
    });
    // The walk really happened: every object of the recorded dumps was decoded and printed
    // (counts from tests/fixtures/dumps/README.md).
    assert_eq!(
        (walked.links, walked.addresses, walked.routes, walked.done),
        (304, 402, 1937 + 814, 4)
    );
    assert!(
        walked.printed_bytes > 30 * (304 + 402 + 1937 + 814),
        "printed only {} bytes",
        walked.printed_bytes
    );
    assert_eq!(
        allocations, 0,
        "decoding {walked:?} allocated {allocations} times"
    );
}

#[test]
fn the_counter_sees_an_allocation() {
    // Without this, a counter that never counts would make the test above pass vacuously.
    let (boxed, allocations) = count_allocations(|| black_box(Box::new(black_box(7u64))));
    assert_eq!(*boxed, 7);
    assert_eq!(allocations, 1);
    let mut line = String::new();
    let ((), allocations) = count_allocations(|| {
        let _ = write!(line, "{}", black_box(1234));
    });
    assert!(allocations >= 1, "a growing String allocates");
}

/// The socket's receive path allocates nothing per message either: a live dump of 5,000
/// routes, each decoded and printed, costs no more allocations than a dump of 50 (the
/// receive buffer is the socket's, reused for every datagram).
#[test]
fn dumping_from_the_kernel_allocates_nothing_per_message() {
    use netlink_core::route::{emit_dump_routes, RouteRequest};
    use netlink_core::socket::Socket;
    use netlink_core::wire::Builder;
    use std::net::{IpAddr, Ipv4Addr};

    nsip_suite::with_socket_in_fresh_netns(
        "dumping_from_the_kernel_allocates_nothing_per_message",
        |mut sock| {
            let oif = nsip_suite::bridge_up(&mut sock, b"br0");
            let mut line = String::with_capacity(64 * 1024);
            let mut request = Vec::with_capacity(64);
            // Adds host routes `first..first + count`, then dumps every route.
            let mut dump = |sock: &mut Socket, first: u32, count: u32| {
                let mut adds = Vec::new();
                for i in first..first + count {
                    RouteRequest {
                        dst: Some(IpAddr::V4(Ipv4Addr::from(0xc612_0000 | i))),
                        dst_len: 32,
                        oif: Some(oif),
                        scope: RT_SCOPE_LINK,
                        ..RouteRequest::default()
                    }
                    .emit_new(&mut Builder::new(&mut adds))
                    .expect("encode");
                }
                let mut first_error = None;
                sock.batch(&mut adds, |_, r| {
                    if let Err(e) = r {
                        first_error.get_or_insert(e.to_string());
                    }
                })
                .expect("adds");
                assert_eq!(first_error, None);
                request.clear();
                emit_dump_routes(&mut Builder::new(&mut request), AF_INET, None).expect("encode");
                let mut seen = 0usize;
                let (result, allocations) = count_allocations(|| {
                    sock.dump(&mut request, |msg| {
                        line.clear();
                        print_route(&RouteMessage::parse(&msg)?, &mut line);
                        seen += usize::from(!line.is_empty());
                        Ok(())
                    })
                });
                result.expect("route dump");
                (seen, allocations)
            };
            let (few, few_allocations) = dump(&mut sock, 0, 50);
            let (many, many_allocations) = dump(&mut sock, 50, 4_950);
            assert!(
                few >= 50 && many >= 5_000,
                "dumped {few} then {many} routes"
            );
            assert_eq!(
                many_allocations, few_allocations,
                "5,000 routes allocated {many_allocations} times, 50 routes {few_allocations}"
            );
            assert_eq!(many_allocations, 0, "the receive path allocated");
        },
    );
}
