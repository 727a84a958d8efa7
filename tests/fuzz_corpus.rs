//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/*`) through the very bodies the
//! cargo-fuzz targets run (`fuzz/src/lib.rs` for the library, `fuzz/src/cli.rs` for nsip's
//! command line, batch reader and `monitor file`; both included below), on stable, in
//! `cargo test`.
//! Every file also goes through every other target: a link message is a fine input for the
//! error path too, and it costs milliseconds.
//!
//! The seed corpus is made from the recorded kernel dumps by the ignored test
//! `regenerate_seed_corpus` (`cargo test --test fuzz_corpus -- --ignored`). Beside the seeds:
//! `fuzz-*`, the smallest inputs of each target's libFuzzer merge that reached coverage the
//! seeds did not (15 per target), and `crash-*`, crash inputs the fuzzer found (none so far).
//! The `cli_*` seeds are written by hand (command lines, batch files, and `monitor file`
//! streams cut from the recorded dumps, behind one options byte); beside them the same
//! `fuzz-*` kind of inputs from their libFuzzer merges.

#[path = "../fuzz/src/lib.rs"]
mod bodies;

#[path = "../fuzz/src/cli.rs"]
mod cli_bodies;

use std::fs;
use std::path::{Path, PathBuf};

use std::net::{IpAddr, Ipv4Addr};

use netlink_core::route::consts::RTA_VIA;
use netlink_core::route::{
    emit_dump_links, emit_get_nsid, emit_new_nsid, AddressArg, AddressRequest, Broadcast,
    LinkAttrs, LinkKind, LinkRequest, NextHopRequest, NsTarget, RouteMessage, RouteRequest,
};
use netlink_core::wire::{
    Builder, Messages, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSG_DONE,
    NLMSG_ERROR, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_MULTI,
};

/// The library's targets and nsip's own (`cli_*`).
fn all_targets() -> impl Iterator<Item = &'static (&'static str, bodies::Body)> {
    bodies::TARGETS.iter().chain(cli_bodies::CLI_TARGETS)
}

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus")
}

fn corpus_files(target: &str) -> Vec<PathBuf> {
    let dir = corpus_root().join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_has_a_corpus_and_every_corpus_a_target() {
    for (name, _) in all_targets() {
        assert!(
            !corpus_files(name).is_empty(),
            "fuzz/corpus/{name} is missing or empty"
        );
    }
    for entry in fs::read_dir(corpus_root()).expect("fuzz/corpus exists") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            all_targets().any(|(t, _)| *t == name),
            "fuzz/corpus/{name} has no target"
        );
    }
}

#[test]
fn corpus_replays_through_its_own_target() {
    let mut replayed = 0;
    for (name, body) in all_targets() {
        for file in corpus_files(name) {
            let data = fs::read(&file).expect("readable corpus file");
            // A panic names the file, so a failing input is easy to reproduce with
            // `cargo +nightly fuzz run <target> <file>`.
            eprintln!("replay {name} {}", file.display());
            body(&data);
            replayed += 1;
        }
    }
    assert!(replayed > 0);
}

#[test]
fn corpus_replays_through_every_other_target() {
    for (own, _) in all_targets() {
        for file in corpus_files(own) {
            let data = fs::read(&file).expect("readable corpus file");
            for (name, body) in all_targets().filter(|(n, _)| n != own) {
                eprintln!("replay {name} {}", file.display());
                body(&data);
            }
        }
    }
}

/// The seeds really are what the recorder captured: the message seeds decode to kernel
/// message types, so the corpus was not silently replaced by noise.
#[test]
#[cfg_attr(
    target_endian = "big",
    ignore = "the seeds are little-endian recordings (x86_64 kernel dumps)"
)]
fn seeds_from_dumps_are_real_messages() {
    let rtnl = corpus_files("rtnl");
    let decoded = rtnl
        .iter()
        .filter(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("dump-"))
        })
        .map(|f| {
            let data = fs::read(f).expect("readable");
            Messages::new(&data).filter(|m| m.is_ok()).count()
        })
        .filter(|&n| n > 0)
        .count();
    assert!(decoded >= 20, "only {decoded} dump seeds decode");
}

// ---- seed corpus generation -------------------------------------------------------------

fn dump(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dumps")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every whole message of a dump, as (full message bytes, payload).
fn split_messages(bytes: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = bytes;
    for msg in Messages::new(bytes) {
        let msg = msg.expect("recorded dumps decode");
        let len = msg.header().len.get() as usize;
        out.push((rest[..len].to_vec(), msg.payload().to_vec()));
        let step = (len + 3) & !3;
        rest = &rest[step.min(rest.len())..];
    }
    out
}

/// `count` items spread evenly over `items` (first and last included).
fn spread<T: Clone>(items: &[T], count: usize) -> Vec<T> {
    if items.len() <= count {
        return items.to_vec();
    }
    (0..count)
        .map(|i| items[i * (items.len() - 1) / (count - 1)].clone())
        .collect()
}

struct SeedWriter {
    root: PathBuf,
    written: usize,
}

impl SeedWriter {
    fn put(&mut self, target: &str, name: &str, data: &[u8]) {
        let dir = self.root.join(target);
        fs::create_dir_all(&dir).expect("create corpus dir");
        fs::write(dir.join(name), data).expect("write seed");
        self.written += 1;
    }
}

fn error_payload(errno: i32, request: &[u8], tlvs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    b.push_bytes(&errno.to_ne_bytes());
    b.push_bytes(request);
    for (kind, value) in tlvs {
        b.attr(*kind, value);
    }
    buf
}

fn as_error_message(flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    let m = b.begin(NLMSG_ERROR, flags, 7);
    b.push_bytes(payload);
    b.finish(m).expect("fits");
    buf
}

/// Regenerates `fuzz/corpus/*/seed-*` and `dump-*` from the recorded dumps and the builders.
/// Fuzzer finds (`fuzz-*`, `crash-*`) are left alone.
#[test]
#[ignore = "writes fuzz/corpus; run by hand after the dumps or the targets change"]
fn regenerate_seed_corpus() {
    let root = corpus_root();
    for (name, _) in bodies::TARGETS {
        if let Ok(entries) = fs::read_dir(root.join(name)) {
            for entry in entries.flatten() {
                let n = entry.file_name().to_string_lossy().into_owned();
                if n.starts_with("seed-") || n.starts_with("dump-") {
                    fs::remove_file(entry.path()).expect("remove old seed");
                }
            }
        }
    }
    let mut w = SeedWriter { root, written: 0 };

    // The dumps end with NLMSG_DONE; the view seeds are the objects before it.
    let (link_dump, addr_dump) = (
        split_messages(&dump("link.bin")),
        split_messages(&dump("addr.bin")),
    );
    let (route_dump, route6_dump) = (
        split_messages(&dump("route.bin")),
        split_messages(&dump("route6.bin")),
    );
    let objects = |all: &[(Vec<u8>, Vec<u8>)]| all[..all.len() - 1].to_vec();
    let (links, addrs) = (objects(&link_dump), objects(&addr_dump));
    let (routes, routes6) = (objects(&route_dump), objects(&route6_dump));

    // Typed views take a payload (family header + attributes).
    for (i, (_, payload)) in spread(&links, 40).iter().enumerate() {
        w.put("link", &format!("dump-link-{i:03}"), payload);
        // The attribute area alone, for the generic recursive walk.
        w.put("attrs", &format!("dump-link-attrs-{i:03}"), &payload[16..]);
    }
    for (i, (_, payload)) in spread(&addrs, 40).iter().enumerate() {
        w.put("address", &format!("dump-addr-{i:03}"), payload);
    }
    for (i, (_, payload)) in spread(&addrs, 15).iter().enumerate() {
        w.put("attrs", &format!("dump-addr-attrs-{i:03}"), &payload[8..]);
    }
    for (i, (_, payload)) in spread(&routes, 30).iter().enumerate() {
        w.put("route", &format!("dump-route-{i:03}"), payload);
    }
    for (i, (_, payload)) in spread(&routes6, 20).iter().enumerate() {
        w.put("route", &format!("dump-route6-{i:03}"), payload);
    }
    for (i, (_, payload)) in spread(&routes, 10)
        .iter()
        .chain(spread(&routes6, 5).iter())
        .enumerate()
    {
        w.put("attrs", &format!("dump-route-attrs-{i:03}"), &payload[12..]);
    }

    // Whole messages for RtnlMessage::parse, and runs of messages for the iterator.
    let families = [(&links, "link"), (&addrs, "addr"), (&routes, "route")];
    for (msgs, tag) in families {
        for (i, (full, _)) in spread(msgs, 10).iter().enumerate() {
            w.put("rtnl", &format!("dump-{tag}-{i:03}"), full);
        }
        for (i, run) in [1usize, 2, 3, 5].iter().enumerate() {
            let start = (msgs.len() / 5) * (i + 1);
            let bytes: Vec<u8> = msgs[start..start + run]
                .iter()
                .flat_map(|(full, _)| full.iter().copied())
                .collect();
            w.put("messages", &format!("dump-{tag}-run{run}"), &bytes);
        }
    }
    for (i, (full, _)) in spread(&routes6, 5).iter().enumerate() {
        w.put("rtnl", &format!("dump-route6-{i:03}"), full);
    }
    // The end of a dump: the last messages and NLMSG_DONE, as the last datagram ends.
    for (msgs, tag) in [
        (&link_dump, "link"),
        (&addr_dump, "addr"),
        (&route6_dump, "route6"),
    ] {
        let tail: Vec<u8> = msgs[msgs.len() - 3..]
            .iter()
            .flat_map(|(full, _)| full.iter().copied())
            .collect();
        w.put("messages", &format!("dump-{tag}-tail"), &tail);
        w.put("rtnl", &format!("dump-{tag}-tail"), &tail);
    }
    // A mixed run: one of each.
    let mixed: Vec<u8> = [&links[5].0, &addrs[5].0, &routes[5].0, &routes6[5].0]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    w.put("messages", "dump-mixed", &mixed);
    w.put("rtnl", "dump-mixed", &mixed);

    // Builder-made seeds for what the dumps lack: nsid messages, veth requests, errors.
    let mut nsid_msgs = Vec::new();
    {
        let mut b = Builder::new(&mut nsid_msgs);
        emit_new_nsid(&mut b, NsTarget::Fd(5), 3).expect("fits");
        emit_new_nsid(&mut b, NsTarget::Pid(4242), -1).expect("fits");
        emit_get_nsid(&mut b, NsTarget::Fd(6)).expect("fits");
    }
    for (i, msg) in Messages::new(&nsid_msgs).enumerate() {
        let msg = msg.expect("built");
        w.put("nsid", &format!("seed-nsid-{i}"), msg.payload());
    }
    // The kernel's RTM_NEWNSID reply shape: rtgenmsg, NETNSA_NSID, NETNSA_CURRENT_NSID.
    let mut reply = vec![0u8, 0, 0, 0];
    {
        let mut b = Builder::new(&mut reply);
        b.attr_i32(netlink_core::route::consts::NETNSA_NSID, 7);
        b.attr_i32(netlink_core::route::consts::NETNSA_CURRENT_NSID, -1);
    }
    w.put("nsid", "seed-nsid-reply", &reply);
    let mut reply_msg = Vec::new();
    {
        let mut b = Builder::new(&mut reply_msg);
        let m = b.begin(netlink_core::route::consts::RTM_NEWNSID, 0, 3);
        b.push_bytes(&reply);
        b.finish(m).expect("fits");
    }
    w.put("rtnl", "seed-nsid-reply", &reply_msg);
    w.put("rtnl", "seed-nsid-requests", &nsid_msgs);
    w.put("messages", "seed-nsid-requests", &nsid_msgs);

    let mut veth = Vec::new();
    {
        let mut b = Builder::new(&mut veth);
        let request = LinkRequest {
            attrs: LinkAttrs {
                mtu: Some(1400),
                ..LinkAttrs::named(b"veth0")
            },
            kind: Some(LinkKind::Veth {
                peer_flags: 0,
                peer: LinkAttrs {
                    netns: Some(netlink_core::route::NetnsRef::Fd(9)),
                    ..LinkAttrs::named(b"veth1")
                },
            }),
            ..LinkRequest::default()
        };
        request.emit_new(&mut b).expect("fits");
    }
    let veth_msg = Messages::new(&veth).next().expect("one").expect("built");
    w.put("link", "seed-veth-request", veth_msg.payload());
    w.put(
        "attrs",
        "seed-veth-request-attrs",
        &veth_msg.payload()[16..],
    );
    w.put("rtnl", "seed-veth-request", &veth);

    let mut dump_request = Vec::new();
    emit_dump_links(&mut Builder::new(&mut dump_request), 0, 1).expect("fits");
    let header_only = &veth[..16];
    let capped = |text: &[u8]| {
        error_payload(
            -17,
            header_only,
            &[
                (NLMSGERR_ATTR_MSG, text),
                (NLMSGERR_ATTR_OFFS, &36u32.to_ne_bytes()),
            ],
        )
    };
    let errors: Vec<(&str, u16, Vec<u8>)> = vec![
        ("ack", NLM_F_CAPPED, error_payload(0, header_only, &[])),
        (
            "eexist",
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
            capped(b"File exists\0"),
        ),
        (
            "missing-type",
            NLM_F_CAPPED | NLM_F_ACK_TLVS,
            error_payload(
                -22,
                header_only,
                &[
                    (NLMSGERR_ATTR_MSG, b"missing attribute\0"),
                    (NLMSGERR_ATTR_MISS_TYPE, &3u32.to_ne_bytes()),
                ],
            ),
        ),
        (
            "uncapped-echo",
            NLM_F_ACK_TLVS,
            error_payload(-22, &veth, &[(NLMSGERR_ATTR_MSG, b"Invalid argument\0")]),
        ),
        ("uncapped-plain", 0, error_payload(-1, &dump_request, &[])),
    ];
    for (name, flags, payload) in &errors {
        w.put("error", &format!("seed-{name}"), payload);
        let msg = as_error_message(*flags, payload);
        w.put("error", &format!("seed-{name}-msg"), &msg);
        w.put("messages", &format!("seed-error-{name}"), &msg);
    }
    seed_done_messages(&mut w);
    seed_multipath_and_addresses(&mut w);
    eprintln!("wrote {} seeds", w.written);
    assert!(w.written > 200);
}

/// A dump that failed midway: `NLMSG_DONE` with an errno and an extended-ACK text.
fn seed_done_messages(w: &mut SeedWriter) {
    let mut payload = (-90i32).to_ne_bytes().to_vec();
    let mut b = Builder::new(&mut payload);
    b.attr(NLMSGERR_ATTR_MSG, b"Message too long\0");
    w.put("error", "seed-done-emsgsize", &payload);
    let mut msg = Vec::new();
    let mut b = Builder::new(&mut msg);
    let m = b.begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 7);
    b.push_bytes(&payload);
    b.finish(m).expect("fits");
    w.put("error", "seed-done-emsgsize-msg", &msg);
    w.put("messages", "seed-done-emsgsize", &msg);
}

/// Routes with next hops (`RTA_MULTIPATH`, a gateway of the other family in `RTA_VIA`), and
/// an address with every attribute `ip addr add` sends.
fn seed_multipath_and_addresses(w: &mut SeedWriter) {
    let v4_gateway = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    let v6_gateway: IpAddr = "2001:db8::1".parse().expect("address");
    let hops = [
        NextHopRequest {
            gateway: Some(v4_gateway),
            ifindex: 3,
            weight: 2,
            flags: 4,
        },
        NextHopRequest {
            gateway: Some(v6_gateway),
            ifindex: 4,
            ..NextHopRequest::default()
        },
        NextHopRequest {
            ifindex: 5,
            weight: 256,
            ..NextHopRequest::default()
        },
    ];
    let routes = [
        RouteRequest {
            dst: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0))),
            dst_len: 24,
            mtu: Some(1400),
            nexthops: &hops,
            ..RouteRequest::default()
        },
        RouteRequest {
            dst: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 101, 0))),
            dst_len: 24,
            via: Some(v6_gateway),
            oif: Some(3),
            ..RouteRequest::default()
        },
    ];
    for (i, route) in routes.iter().enumerate() {
        let mut buf = Vec::new();
        route.emit_new(&mut Builder::new(&mut buf)).expect("fits");
        let msg = Messages::new(&buf).next().expect("one").expect("built");
        w.put("route", &format!("seed-route-request-{i}"), msg.payload());
        w.put("rtnl", &format!("seed-route-request-{i}"), &buf);
        let view = RouteMessage::parse(&msg).expect("a route");
        if let Some(value) = view.multipath() {
            w.put("nexthops", &format!("seed-multipath-{i}"), value);
        }
        if let Some(via) = view.attr(RTA_VIA) {
            w.put("nexthops", &format!("seed-via-{i}"), via.value());
        }
    }
    let address = AddressRequest {
        index: 3,
        local: Some(v4_gateway),
        prefix_len: 24,
        broadcast: Some(Broadcast::HostBitsSet),
        anycast: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 9))),
        label: Some(b"veth0:x"),
        metric: Some(7),
        lifetimes: Some((200, 100)),
        flags: 0x200,
        order: &[AddressArg::Label, AddressArg::Metric],
        ..AddressRequest::default()
    };
    let mut buf = Vec::new();
    address.emit_new(&mut Builder::new(&mut buf)).expect("fits");
    let msg = Messages::new(&buf).next().expect("one").expect("built");
    w.put("address", "seed-address-request", msg.payload());
    w.put("rtnl", "seed-address-request", &buf);
}
