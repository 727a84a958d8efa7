//! Kernel round trips: dumping N routes with netlink-core's socket (request, receive, decode
//! every message with `RouteMessage`) against `ip route show` doing the same dump, measured
//! in one run inside a private network namespace. A spawn of `/bin/true` is measured too, so
//! the part of ip's time that is only process start-up can be read off.
//!
//! With `NSIP_BIN=/path/to/nsip`, `nsip route show` is measured beside `ip` (same process
//! start-up cost, so that pair compares the tools, not the process model).
//!
//! Needs root (it unshares its network namespace); without it, it says so and measures
//! nothing.

use std::hint::black_box;
use std::io::Write;
use std::net::IpAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};

use netlink_core::route::consts::*;
use netlink_core::route::{emit_dump_routes, RouteMessage, RouteRequest};
use netlink_core::socket::Socket;
use netlink_core::wire::Builder;

/// Route counts, each in its own table (the table number is the count), so one namespace
/// serves every size and the kernel filters by table.
const SIZES: [u32; 2] = [1000, 10_000];

fn sh(args: &[&str]) {
    let status = Command::new(args[0])
        .args(&args[1..])
        .status()
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    assert!(status.success(), "{args:?} failed: {status}");
}

/// Builds the namespace: a veth pair up with 198.18.0.1/24, and N routes of 198.19.0.0/16
/// via 198.18.0.2 in table N, added with one `ip -batch`.
fn populate() {
    sh(&["ip", "link", "set", "lo", "up"]);
    sh(&[
        "ip", "link", "add", "bench0", "type", "veth", "peer", "name", "bench1",
    ]);
    sh(&["ip", "link", "set", "bench0", "up"]);
    sh(&["ip", "link", "set", "bench1", "up"]);
    sh(&["ip", "addr", "add", "198.18.0.1/24", "dev", "bench0"]);
    let mut batch = String::new();
    for n in SIZES {
        for i in 0..n {
            batch.push_str(&format!(
                "route add 198.19.{}.{}/32 via 198.18.0.2 dev bench0 metric {} table {n}\n",
                i / 256,
                i % 256,
                100 + i % 7,
            ));
        }
    }
    let mut child = Command::new("ip")
        .args(["-batch", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("ip -batch runs");
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(batch.as_bytes())
        .expect("batch written");
    assert!(child.wait().expect("ip -batch ends").success());
}

/// Dumps table `table` and decodes every route; returns the route count and a checksum.
fn dump_routes(sock: &mut Socket, request: &mut [u8]) -> (usize, u64) {
    let mut count = 0usize;
    let mut acc = 0u64;
    sock.dump(request, |msg| {
        if let Ok(route) = RouteMessage::parse(&msg) {
            count += 1;
            let dst = match route.dst() {
                Some(IpAddr::V4(a)) => u64::from(a.to_bits()),
                Some(IpAddr::V6(a)) => a.to_bits() as u64,
                None => 0,
            };
            let gw = match route.gateway() {
                Some(IpAddr::V4(a)) => u64::from(a.to_bits()),
                _ => 0,
            };
            acc = acc.rotate_left(3)
                ^ dst
                ^ gw
                ^ u64::from(route.table())
                ^ u64::from(route.oif().unwrap_or(0))
                ^ u64::from(route.priority().unwrap_or(0))
                ^ u64::from(route.protocol() ^ route.scope() ^ route.kind());
        }
        Ok(())
    })
    .expect("route dump");
    (count, acc)
}

fn run_quiet(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("spawns");
    assert!(status.success());
}

fn lines_of(program: &str, args: &[&str]) -> usize {
    let out = Command::new(program).args(args).output().expect("spawns");
    assert!(out.status.success(), "{program} {args:?}");
    String::from_utf8_lossy(&out.stdout).lines().count()
}

fn main() {
    if !nsip_suite::can_sandbox("benches/kernel") {
        return;
    }
    // SAFETY: unshare changes only this (main, still the only) thread's namespace, before
    // any socket or child exists; every thread and child made afterwards inherits it, and
    // the machine's own namespace is never touched.
    let rc = unsafe { libc::unshare(libc::CLONE_NEWNET) };
    assert_eq!(rc, 0, "unshare: {}", std::io::Error::last_os_error());
    populate();

    let nsip = std::env::var("NSIP_BIN").ok();
    let mut sock = Socket::new().expect("netlink socket");
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let mut group = c.benchmark_group("kernel/spawn");
    group.bench_function("true", |b| b.iter(|| run_quiet("true", &[])));
    group.finish();

    for n in SIZES {
        let table = n.to_string();
        let mut request = Vec::new();
        emit_dump_routes(&mut Builder::new(&mut request), AF_INET, Some(n)).expect("fits");
        // Every contender sees the same N routes, or the comparison means nothing.
        assert_eq!(dump_routes(&mut sock, &mut request).0, n as usize);
        let ip_args = ["-4", "route", "show", "table", table.as_str()];
        assert_eq!(lines_of("ip", &ip_args), n as usize);
        if let Some(bin) = &nsip {
            assert_eq!(lines_of(bin, &ip_args), n as usize, "nsip route show");
        }

        let mut group = c.benchmark_group("kernel/dump_routes");
        group.throughput(Throughput::Elements(u64::from(n)));
        group.bench_with_input(BenchmarkId::new("socket", n), &n, |b, _| {
            b.iter(|| black_box(dump_routes(&mut sock, &mut request)))
        });
        group.bench_with_input(BenchmarkId::new("ip_route_show", n), &n, |b, _| {
            b.iter(|| run_quiet("ip", &ip_args))
        });
        if let Some(bin) = &nsip {
            group.bench_with_input(BenchmarkId::new("nsip_route_show", n), &n, |b, _| {
                b.iter(|| run_quiet(bin, &ip_args))
            });
        }
        group.finish();
    }
    bench_batches(&mut c, &mut sock);
    c.final_summary();
}

/// The routes `batch_routes` adds and deletes: table 77, apart from the dump tables.
const BATCH_TABLE: u32 = 77;

/// Requests for N host routes of 198.20.0.0/16 via 198.18.0.2 in `BATCH_TABLE`: adds, then
/// the matching deletes.
fn batch_requests(n: u32) -> (Vec<u8>, Vec<u8>) {
    let (mut adds, mut deletes) = (Vec::new(), Vec::new());
    let (mut add, mut delete) = (Builder::new(&mut adds), Builder::new(&mut deletes));
    for i in 0..n {
        let request = RouteRequest {
            dst: Some(IpAddr::V4(std::net::Ipv4Addr::from(0xc614_0000 | i))),
            dst_len: 32,
            gateway: Some(IpAddr::V4(std::net::Ipv4Addr::new(198, 18, 0, 2))),
            table: BATCH_TABLE,
            ..RouteRequest::default()
        };
        request.emit_new(&mut add).expect("fits");
        request.emit_del(&mut delete).expect("fits");
    }
    (adds, deletes)
}

/// `Socket::batch`: N route adds then their N deletes, each batch sent in windows under
/// the send buffer and every answer matched to its request. One iteration is both.
fn bench_batches(c: &mut Criterion, sock: &mut Socket) {
    let mut group = c.benchmark_group("kernel/batch_routes");
    group.sample_size(10);
    for n in SIZES {
        let (adds, deletes) = batch_requests(n);
        group.throughput(Throughput::Elements(2 * u64::from(n)));
        group.bench_with_input(BenchmarkId::new("socket_add_del", n), &n, |b, _| {
            b.iter(|| {
                let mut failed = 0;
                for requests in [&adds, &deletes] {
                    let mut requests = requests.clone();
                    failed += sock.batch(&mut requests, |_, _| {}).expect("batch");
                }
                assert_eq!(failed, 0, "every add and delete succeeds");
            })
        });
    }
    group.finish();
}
