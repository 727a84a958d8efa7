//! netlink-core against the real kernel, in namespaces made for each test.

use std::fs::File;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsFd;

use netlink_core::route::consts::*;
use netlink_core::route::{
    emit_dump_addresses, emit_dump_links, emit_dump_routes, emit_get_link, AddressMessage,
    AddressRequest, Broadcast, LinkAttrs, LinkKind, LinkMessage, LinkRequest, NetnsRef,
    RouteMessage, RouteRequest,
};
use netlink_core::socket::{Error, Socket};
use netlink_core::wire::Builder;
use nsip_suite::{can_sandbox, in_fresh_netns, with_socket_in_fresh_netns};

/// A second namespace, kept alive by an open fd to it.
fn second_netns() -> File {
    in_fresh_netns(|| File::open("/proc/thread-self/ns/net").expect("open own netns"))
}

fn link_by_name(sock: &mut Socket, name: &str) -> Option<(i32, Option<u32>, Option<String>, u32)> {
    let mut buf = Vec::new();
    emit_get_link(
        &mut Builder::new(&mut buf),
        0,
        Some(name.as_bytes()),
        RTEXT_FILTER_VF,
    )
    .expect("encode");
    sock.get(&mut buf, |msg| {
        let link = LinkMessage::parse(&msg)?;
        Ok((
            link.index(),
            link.master(),
            link.kind().map(str::to_owned),
            link.flags(),
        ))
    })
    .ok()
}

fn link_names(sock: &mut Socket) -> Vec<String> {
    let mut buf = Vec::new();
    emit_dump_links(&mut Builder::new(&mut buf), AF_UNSPEC, RTEXT_FILTER_VF).expect("encode");
    let mut names = Vec::new();
    sock.dump(&mut buf, |msg| {
        let link = LinkMessage::parse(&msg)?;
        names.push(link.name().unwrap_or("?").to_owned());
        Ok(())
    })
    .expect("link dump");
    names.sort();
    names
}

#[test]
fn veth_peer_lands_in_another_namespace_in_one_request() {
    if !can_sandbox("veth_peer_lands_in_another_namespace_in_one_request") {
        return;
    }
    let other = second_netns();
    let other_fd = other.try_clone().expect("dup");
    in_fresh_netns(move || {
        let mut sock = Socket::new().expect("socket");
        let fd = std::os::fd::AsRawFd::as_raw_fd(&other_fd);
        let req = LinkRequest {
            attrs: LinkAttrs::named(b"veth0"),
            kind: Some(LinkKind::Veth {
                peer_flags: 0,
                peer: LinkAttrs {
                    netns: Some(NetnsRef::Fd(fd)),
                    ..LinkAttrs::named(b"veth1")
                },
            }),
            ..LinkRequest::default()
        };
        let mut buf = Vec::new();
        req.emit_new(&mut Builder::new(&mut buf)).expect("encode");
        sock.request(&mut buf).expect("create veth pair");
        assert_eq!(link_names(&mut sock), ["lo", "veth0"]);

        // The peer is in the other namespace, and this end says so.
        let mut dump = Vec::new();
        emit_dump_links(&mut Builder::new(&mut dump), AF_UNSPEC, 0).expect("encode");
        let mut netnsid = None;
        sock.dump(&mut dump, |msg| {
            let link = LinkMessage::parse(&msg)?;
            if link.name() == Some("veth0") {
                netnsid = link.link_netnsid();
                assert_eq!(link.kind(), Some("veth"));
            }
            Ok(())
        })
        .expect("dump");
        assert!(netnsid.is_some(), "veth0 must carry IFLA_LINK_NETNSID");
    });
    let mut there = Socket::new_in(other.as_fd()).expect("socket in the other namespace");
    assert_eq!(link_names(&mut there), ["lo", "veth1"]);
}

#[test]
fn bridge_master_addresses_and_routes_round_trip() {
    with_socket_in_fresh_netns(
        "bridge_master_addresses_and_routes_round_trip",
        |mut sock| {
            // A bridge and a veth pair, one end enslaved, all up: batched in one sendmsg.
            let bridge = LinkRequest {
                kind: Some(LinkKind::Bridge),
                attrs: LinkAttrs::named(b"br0"),
                ..LinkRequest::default()
            };
            let veth = LinkRequest {
                kind: Some(LinkKind::Veth {
                    peer_flags: 0,
                    peer: LinkAttrs::named(b"v1"),
                }),
                attrs: LinkAttrs {
                    mtu: Some(1400),
                    ..LinkAttrs::named(b"v0")
                },
                ..LinkRequest::default()
            };
            let mut buf = Vec::new();
            let mut b = Builder::new(&mut buf);
            for request in [&bridge, &veth] {
                request.emit_new(&mut b).expect("encode");
            }
            let mut outcomes = Vec::new();
            let failed = sock
                .batch(&mut buf, |i, r| outcomes.push((i, r.is_ok())))
                .expect("batch");
            assert_eq!(failed, 0);
            outcomes.sort();
            assert_eq!(outcomes, [(0, true), (1, true)]);

            let (br, _, kind, _) = link_by_name(&mut sock, "br0").expect("bridge exists");
            assert_eq!(kind.as_deref(), Some("bridge"));
            let (v1, master, _, _) = link_by_name(&mut sock, "v1").expect("v1 exists");
            assert_eq!(master, None);

            for (index, name) in [(br, "br0"), (v1, "v1")] {
                buf.clear();
                LinkRequest {
                    index,
                    flags: IFF_UP,
                    change: IFF_UP,
                    attrs: LinkAttrs {
                        master: (name == "v1").then_some(br as u32),
                        ..LinkAttrs::default()
                    },
                    ..LinkRequest::default()
                }
                .emit_set(&mut Builder::new(&mut buf))
                .expect("encode");
                sock.request(&mut buf).expect("set up / master");
            }
            let (_, master, _, flags) = link_by_name(&mut sock, "v1").expect("v1");
            assert_eq!(master, Some(br as u32));
            assert_ne!(flags & IFF_UP, 0);

            // Addresses, v4 and v6.
            let v4 = AddressRequest {
                index: br as u32,
                local: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
                prefix_len: 24,
                broadcast: Some(Broadcast::HostBitsSet),
                label: Some(b"br0:web"),
                scope: RT_SCOPE_UNIVERSE,
                flags: IFA_F_NOPREFIXROUTE,
                metric: Some(77),
                ..AddressRequest::default()
            };
            let v6 = AddressRequest {
                local: Some(IpAddr::V6("2001:db8::1".parse().expect("v6"))),
                metric: None,
                prefix_len: 64,
                broadcast: None,
                label: None,
                flags: IFA_F_NODAD,
                ..v4.clone()
            };
            for req in [&v4, &v6] {
                buf.clear();
                req.emit_new(&mut Builder::new(&mut buf)).expect("encode");
                sock.request(&mut buf).expect("add address");
            }
            // The same address again: EEXIST, explained by the kernel.
            buf.clear();
            v4.emit_new(&mut Builder::new(&mut buf)).expect("encode");
            match sock.request(&mut buf) {
                Err(Error::Kernel(k)) => {
                    assert_eq!(k.errno, libc::EEXIST);
                    assert_eq!(k.strerror(), "File exists");
                    let text = k.message.expect("the kernel explains EEXIST for addresses");
                    assert!(text.contains("already assigned"), "{text}");
                }
                other => panic!("expected EEXIST, got {other:?}"),
            }

            let mut seen = Vec::new();
            buf.clear();
            emit_dump_addresses(&mut Builder::new(&mut buf), AF_UNSPEC, 0).expect("encode");
            sock.dump(&mut buf, |msg| {
                let a = AddressMessage::parse(&msg)?;
                if a.index() == br as u32 {
                    seen.push((
                        a.primary(),
                        a.prefix_len(),
                        a.label().map(str::to_owned),
                        a.flags() & IFA_F_NOPREFIXROUTE != 0,
                    ));
                    if a.family() == AF_INET {
                        assert_eq!(a.broadcast(), Some(Ipv4Addr::new(192, 0, 2, 255)));
                        assert_eq!(a.route_priority(), Some(77));
                    }
                }
                Ok(())
            })
            .expect("address dump");
            assert!(
                seen.contains(&(v4.local, 24, Some("br0:web".into()), true)),
                "{seen:?}"
            );
            assert!(
                seen.iter().any(|s| s.0 == v6.local && s.1 == 64),
                "{seen:?}"
            );

            // Routes: a gateway route in a table above 255, a blackhole, an IPv6 route.
            let routes = [
                RouteRequest {
                    dst: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0))),
                    dst_len: 24,
                    gateway: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 254))),
                    priority: Some(7),
                    table: 1000,
                    protocol: RTPROT_STATIC,
                    // The address was added without its prefix route: the gateway is on-link.
                    flags: RTNH_F_ONLINK,
                    oif: Some(br as u32),
                    ..RouteRequest::default()
                },
                RouteRequest {
                    dst: Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 0))),
                    dst_len: 24,
                    kind: RTN_BLACKHOLE,
                    ..RouteRequest::default()
                },
                RouteRequest {
                    family: AF_INET6,
                    dst: Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0))),
                    dst_len: 48,
                    scope: RT_SCOPE_UNIVERSE,
                    oif: Some(br as u32),
                    ..RouteRequest::default()
                },
            ];
            for r in &routes {
                buf.clear();
                r.emit_new(&mut Builder::new(&mut buf)).expect("encode");
                sock.request(&mut buf).expect("add route");
            }
            let mut found = Vec::new();
            buf.clear();
            emit_dump_routes(&mut Builder::new(&mut buf), AF_UNSPEC, None).expect("encode");
            sock.dump(&mut buf, |msg| {
                let r = RouteMessage::parse(&msg)?;
                if r.protocol() != RTPROT_KERNEL {
                    found.push((
                        r.dst(),
                        r.dst_len(),
                        r.table(),
                        r.kind(),
                        r.gateway(),
                        r.priority(),
                    ));
                }
                Ok(())
            })
            .expect("route dump");
            assert!(
                found.contains(&(
                    routes[0].dst,
                    24,
                    1000,
                    RTN_UNICAST,
                    routes[0].gateway,
                    Some(7)
                )),
                "{found:?}"
            );
            assert!(
                found.contains(&(
                    routes[1].dst,
                    24,
                    RT_TABLE_MAIN as u32,
                    RTN_BLACKHOLE,
                    None,
                    None
                )),
                "{found:?}"
            );
            assert!(
                found.iter().any(|f| f.0 == routes[2].dst && f.1 == 48),
                "{found:?}"
            );

            // Delete them again; the dump no longer has them.
            for r in &routes {
                buf.clear();
                r.emit_del(&mut Builder::new(&mut buf)).expect("encode");
                sock.request(&mut buf).expect("delete route");
            }
            buf.clear();
            v4.emit_del(&mut Builder::new(&mut buf)).expect("encode");
            sock.request(&mut buf).expect("delete address");
            let mut left = 0;
            buf.clear();
            emit_dump_routes(&mut Builder::new(&mut buf), AF_INET, Some(1000)).expect("encode");
            sock.dump(&mut buf, |msg| {
                if RouteMessage::parse(&msg)?.table() == 1000 {
                    left += 1;
                }
                Ok(())
            })
            .expect("route dump");
            assert_eq!(left, 0);

            buf.clear();
            LinkRequest {
                index: br,
                ..LinkRequest::default()
            }
            .emit_del(&mut Builder::new(&mut buf))
            .expect("encode");
            sock.request(&mut buf).expect("delete bridge");
            assert!(link_by_name(&mut sock, "br0").is_none());
        },
    );
}

#[test]
fn unknown_device_error_carries_errno() {
    with_socket_in_fresh_netns("unknown_device_error_carries_errno", |mut sock| {
        let mut buf = Vec::new();
        LinkRequest {
            attrs: LinkAttrs::named(b"d0"),
            kind: Some(LinkKind::Other("no-such-kind")),
            ..LinkRequest::default()
        }
        .emit_new(&mut Builder::new(&mut buf))
        .expect("encode");
        match sock.request(&mut buf) {
            Err(Error::Kernel(k)) => {
                assert_eq!(k.errno, libc::EOPNOTSUPP);
                assert_eq!(k.message.as_deref(), Some("Unknown device type"));
            }
            other => panic!("expected EOPNOTSUPP, got {other:?}"),
        }
        // The socket still works after an error.
        assert_eq!(link_names(&mut sock), ["lo"]);
    });
}

#[test]
fn batch_matches_each_ack_to_its_request() {
    with_socket_in_fresh_netns("batch_matches_each_ack_to_its_request", |mut sock| {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        // The second request repeats the first name: only it fails.
        for name in ["b0", "b0", "b1"] {
            LinkRequest {
                attrs: LinkAttrs::named(name.as_bytes()),
                kind: Some(LinkKind::Bridge),
                ..LinkRequest::default()
            }
            .emit_new(&mut b)
            .expect("encode");
        }
        let mut outcomes = Vec::new();
        let failed = sock
            .batch(&mut buf, |i, r| {
                outcomes.push((i, r.err().and_then(|e| e.errno())));
            })
            .expect("batch");
        outcomes.sort();
        assert_eq!(failed, 1);
        assert_eq!(outcomes, [(0, None), (1, Some(libc::EEXIST)), (2, None)]);
        assert_eq!(link_names(&mut sock), ["b0", "b1", "lo"]);
    });
}

#[test]
fn multicast_reports_link_events() {
    if !can_sandbox("multicast_reports_link_events") {
        return;
    }
    in_fresh_netns(|| {
        let mut events = Socket::new().expect("socket");
        events.join_group(RTNLGRP_LINK).expect("join");
        let mut sock = Socket::new().expect("socket");
        let mut buf = Vec::new();
        LinkRequest {
            attrs: LinkAttrs::named(b"ev0"),
            kind: Some(LinkKind::Bridge),
            ..LinkRequest::default()
        }
        .emit_new(&mut Builder::new(&mut buf))
        .expect("encode");
        sock.request(&mut buf).expect("create");
        let mut seen = None;
        while seen.is_none() {
            events
                .recv_messages(|msg| {
                    if msg.ty() == RTM_NEWLINK {
                        let link = LinkMessage::parse(&msg)?;
                        if link.name() == Some("ev0") {
                            seen = link.kind().map(str::to_owned);
                        }
                    }
                    Ok(())
                })
                .expect("event");
        }
        assert_eq!(seen.as_deref(), Some("bridge"));
    });
}
