//! The message path over the recorded kernel dumps, each measured beside its own floor in
//! the same run:
//! - `memcpy`: copying the dump's bytes into a reused buffer (what any reader pays);
//! - `header_walk`: iterating the messages and their attribute headers, touching nothing
//!   else (the least a netlink parser can do);
//! - `views_parse`: parsing every message with its typed view (attribute table built) and
//!   looking up one attribute, without the printer's field reads;
//! - `views`: parsing every message with its typed view and reading every field a printer
//!   reads (`ip -d -s link`, `ip addr`, `ip route` show them).
//!
//! Throughput is in bytes; divide the time by the message count (printed at start) for ns/message. `build/route_requests` measures the request side:
//! N route requests built into one reused buffer.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};

use netlink_core::route::consts::*;
use netlink_core::route::{AddressMessage, LinkMessage, RouteMessage, RouteRequest, RtnlMessage};
use netlink_core::wire::{Attrs, Builder, Messages};

const DUMPS: [(&str, &[u8]); 4] = [
    ("link", include_bytes!("../tests/fixtures/dumps/link.bin")),
    ("addr", include_bytes!("../tests/fixtures/dumps/addr.bin")),
    ("route", include_bytes!("../tests/fixtures/dumps/route.bin")),
    (
        "route6",
        include_bytes!("../tests/fixtures/dumps/route6.bin"),
    ),
];

/// Folds a value into the checksum, so that no read can be optimised away.
#[inline(always)]
fn mix(acc: &mut u64, v: u64) {
    *acc = acc.rotate_left(5) ^ v;
}

fn str_len(s: Option<&str>) -> u64 {
    s.map_or(0, |s| s.len() as u64)
}

fn bytes_len(b: Option<&[u8]>) -> u64 {
    b.map_or(0, |b| b.len() as u64)
}

fn ip_bits(ip: Option<IpAddr>) -> u64 {
    match ip {
        Some(IpAddr::V4(a)) => u64::from(a.to_bits()),
        Some(IpAddr::V6(a)) => a.to_bits() as u64,
        None => 0,
    }
}

/// The fields `ip -d -s link show` prints.
fn read_link(link: &LinkMessage<'_>, acc: &mut u64) {
    mix(acc, link.index() as u64 ^ u64::from(link.flags()));
    for text in [link.name(), link.qdisc(), link.alias()] {
        mix(acc, str_len(text));
    }
    let numbers = [
        link.mtu(),
        link.operstate().map(u32::from),
        link.group(),
        link.txqlen(),
        link.master(),
        link.link(),
        link.promiscuity(),
        link.min_mtu(),
        link.max_mtu(),
        link.num_tx_queues(),
        link.num_rx_queues(),
        link.carrier_changes(),
    ];
    for number in numbers {
        mix(acc, number.map_or(0, u64::from));
    }
    mix(acc, link.link_netnsid().map_or(0, |v| v as u64));
    mix(acc, bytes_len(link.address()) ^ bytes_len(link.broadcast()));
    mix(acc, bytes_len(link.permanent_address()));
    if let Some(info) = link.link_info() {
        mix(acc, str_len(info.kind) ^ str_len(info.slave_kind));
        for nest in [info.data, info.slave_data].into_iter().flatten() {
            for a in nest {
                mix(acc, u64::from(a.kind()) ^ a.u32().map_or(0, u64::from));
            }
        }
    }
    if let Some(stats) = link.stats64() {
        for stat in nsip_suite::LINK_STATS {
            mix(acc, stats.get(stat).unwrap_or(0));
        }
    }
}

/// The fields `ip addr show` prints.
fn read_address(addr: &AddressMessage<'_>, acc: &mut u64) {
    mix(acc, u64::from(addr.index()) ^ u64::from(addr.family()));
    mix(acc, u64::from(addr.prefix_len()) ^ u64::from(addr.scope()));
    mix(acc, u64::from(addr.flags()));
    mix(acc, ip_bits(addr.local()) ^ ip_bits(addr.address()));
    mix(acc, addr.broadcast().map_or(0, |b| u64::from(b.to_bits())));
    mix(acc, str_len(addr.label()));
    if let Some(ci) = addr.cache_info() {
        mix(acc, u64::from(ci.valid) ^ u64::from(ci.preferred));
    }
}

/// The fields `ip route show table all` prints.
fn read_route(route: &RouteMessage<'_>, acc: &mut u64) {
    mix(acc, u64::from(route.family()) ^ u64::from(route.kind()));
    mix(acc, ip_bits(route.dst()) ^ u64::from(route.dst_len()));
    mix(acc, ip_bits(route.gateway()));
    mix(acc, route.oif().map_or(0, u64::from));
    mix(acc, u64::from(route.table()));
    mix(acc, u64::from(route.protocol()) ^ u64::from(route.scope()));
    mix(acc, ip_bits(route.prefsrc()));
    mix(acc, route.priority().map_or(0, u64::from));
    mix(acc, route.pref().map_or(0, u64::from));
    if let Some(metrics) = route.metrics() {
        for m in metrics {
            mix(acc, u64::from(m.kind()) ^ m.u32().map_or(0, u64::from));
        }
    }
    mix(acc, route.expires().map_or(0, u64::from));
}

/// Full decode: every message through its view, every printed field read.
#[inline(never)]
fn decode_views(dump: &[u8]) -> u64 {
    let mut acc = 0u64;
    for msg in Messages::new(dump).flatten() {
        match RtnlMessage::parse(&msg) {
            Ok(RtnlMessage::Link(link)) => read_link(&link, &mut acc),
            Ok(RtnlMessage::Address(addr)) => read_address(&addr, &mut acc),
            Ok(RtnlMessage::Route(route)) => read_route(&route, &mut acc),
            Ok(_) => mix(&mut acc, u64::from(msg.ty())),
            Err(_) => mix(&mut acc, 1),
        }
    }
    acc
}

/// Every message through its view, one attribute looked up through its table: the cost of
/// building the views alone, without the printer's field reads. (One lookup keeps the table
/// observable, so the compiler cannot drop the stores that fill it.)
#[inline(never)]
fn parse_views(dump: &[u8]) -> u64 {
    let mut acc = 0u64;
    for msg in Messages::new(dump).flatten() {
        let present = match RtnlMessage::parse(&msg) {
            Ok(RtnlMessage::Link(link)) => link.attr(IFLA_IFNAME).is_some(),
            Ok(RtnlMessage::Address(addr)) => addr.attr(IFA_ADDRESS).is_some(),
            Ok(RtnlMessage::Route(route)) => route.attr(RTA_DST).is_some(),
            Ok(_) | Err(_) => false,
        };
        mix(&mut acc, u64::from(present));
    }
    acc
}

/// The floor: messages and their attribute headers, nothing else.
#[inline(never)]
fn header_walk(dump: &[u8]) -> u64 {
    let mut acc = 0u64;
    for msg in Messages::new(dump).flatten() {
        let family_header = match msg.ty() {
            RTM_NEWLINK => 16,
            RTM_NEWADDR => 8,
            RTM_NEWROUTE => 12,
            _ => continue,
        };
        let attrs = msg.payload().get(family_header..).unwrap_or(&[]);
        for a in Attrs::new(attrs) {
            mix(&mut acc, u64::from(a.raw_kind()) ^ a.value().len() as u64);
        }
    }
    acc
}

fn message_count(dump: &[u8]) -> usize {
    Messages::new(dump).count()
}

fn decode(c: &mut Criterion) {
    for (name, dump) in DUMPS {
        eprintln!(
            "decode/{name}: {} bytes, {} messages",
            dump.len(),
            message_count(dump)
        );
        let mut group = c.benchmark_group(format!("decode/{name}"));
        group.throughput(Throughput::Bytes(dump.len() as u64));
        let mut copy = vec![0u8; dump.len()];
        group.bench_function("memcpy", |b| {
            b.iter(|| {
                copy.copy_from_slice(black_box(dump));
                black_box(&copy);
            })
        });
        group.bench_function("header_walk", |b| {
            b.iter(|| black_box(header_walk(black_box(dump))))
        });
        group.bench_function("views_parse", |b| {
            b.iter(|| black_box(parse_views(black_box(dump))))
        });
        group.bench_function("views", |b| {
            b.iter(|| black_box(decode_views(black_box(dump))))
        });
        group.finish();
    }
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    for n in [100u32, 1000] {
        group.throughput(Throughput::Elements(u64::from(n)));
        let mut buf: Vec<u8> = Vec::with_capacity(n as usize * 64);
        group.bench_with_input(BenchmarkId::new("route_requests", n), &n, |b, &n| {
            b.iter(|| {
                buf.clear();
                let mut builder = Builder::new(&mut buf);
                for i in 0..n {
                    let request = RouteRequest {
                        dst: Some(IpAddr::V4(Ipv4Addr::from(0xc612_0000 | i))),
                        dst_len: 32,
                        gateway: Some(IpAddr::V4(Ipv4Addr::new(198, 18, 0, 1))),
                        priority: Some(i),
                        table: 1000,
                        oif: Some(2),
                        ..RouteRequest::default()
                    };
                    black_box(request.emit_new(&mut builder).ok());
                }
                black_box(buf.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decode, build);

/// `DECODE_PROFILE=<dump>[:<iterations>]` runs only that dump's views and header walk in a
/// loop, without criterion, for `valgrind --tool=callgrind` (repeatable instruction counts;
/// build with `CARGO_PROFILE_BENCH_DEBUG=true` for line-level attribution).
fn profile(spec: &str) {
    let (name, iterations) = spec.split_once(':').unwrap_or((spec, "100"));
    let iterations: usize = iterations
        .parse()
        .expect("DECODE_PROFILE=<dump>:<iterations>");
    let (_, dump) = DUMPS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("DECODE_PROFILE names a dump: link, addr, route, route6");
    let mut acc = 0u64;
    for _ in 0..iterations {
        acc = acc.wrapping_add(black_box(header_walk(black_box(dump))));
        acc = acc.wrapping_add(black_box(decode_views(black_box(dump))));
        acc = acc.wrapping_add(black_box(parse_views(black_box(dump))));
    }
    println!("{name}: {iterations} iterations, checksum {acc:#x}");
}

fn main() {
    match std::env::var("DECODE_PROFILE") {
        Ok(spec) => profile(&spec),
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
