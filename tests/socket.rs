//! The socket's receive engine against the real kernel, in namespaces made for each test:
//! batches larger than one send, dump errors, and the socket staying in step after both.

use std::net::{IpAddr, Ipv4Addr};

use netlink_core::route::consts::*;
use netlink_core::route::{
    emit_dump_routes, emit_get_link, LinkMessage, RouteMessage, RouteRequest,
};
use netlink_core::socket::{Error, Socket};
use netlink_core::wire::{Builder, RtMsg};
use nsip_suite::{bridge_up, with_socket_in_fresh_netns};

const ROUTES: u32 = 20_000;

/// `count` host routes in 198.18.0.0/15 on `oif`, as add or delete requests in one buffer.
fn host_routes(oif: u32, count: u32, delete: bool) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    for i in 0..count {
        let request = RouteRequest {
            dst: Some(IpAddr::V4(Ipv4Addr::from(0xc612_0000 | i))),
            dst_len: 32,
            oif: Some(oif),
            scope: RT_SCOPE_LINK,
            ..RouteRequest::default()
        };
        if delete {
            request.emit_del(&mut b).expect("encode");
        } else {
            request.emit_new(&mut b).expect("encode");
        }
    }
    buf
}

fn main_table_routes(sock: &mut Socket) -> usize {
    let mut buf = Vec::new();
    // Every table: asking for main alone is ENOENT until main has had a route.
    emit_dump_routes(&mut Builder::new(&mut buf), AF_INET, None).expect("encode");
    let mut count = 0;
    sock.dump(&mut buf, |msg| {
        count += usize::from(RouteMessage::parse(&msg)?.table() == u32::from(RT_TABLE_MAIN));
        Ok(())
    })
    .expect("route dump");
    count
}

#[test]
fn a_batch_larger_than_one_send_is_windowed_and_fully_answered() {
    with_socket_in_fresh_netns(
        "a_batch_larger_than_one_send_is_windowed_and_fully_answered",
        |mut sock| {
            let oif = bridge_up(&mut sock, b"d0");
            let mut adds = host_routes(oif, ROUTES, false);
            assert!(
                adds.len() > 10 * sock.send_limit(),
                "the batch spans many sends"
            );
            let mut next = 0usize;
            let failed = sock
                .batch(&mut adds, |index, result| {
                    assert_eq!(index, next, "answers come in request order");
                    assert!(result.is_ok(), "request {index}: {result:?}");
                    next += 1;
                })
                .expect("batch of adds");
            assert_eq!((failed, next), (0, ROUTES as usize));
            assert_eq!(main_table_routes(&mut sock), ROUTES as usize);

            // Deleting them all, plus one that no longer exists at the end: only it fails.
            let mut deletes = host_routes(oif, ROUTES, true);
            deletes.extend_from_slice(&host_routes(oif, 1, true));
            let mut errors = Vec::new();
            let failed = sock
                .batch(&mut deletes, |index, result| {
                    if let Err(e) = result {
                        errors.push((index, e.errno()));
                    }
                })
                .expect("batch of deletes");
            assert_eq!(failed, 1);
            assert_eq!(errors, [(ROUTES as usize, Some(libc::ESRCH))]);
            assert_eq!(main_table_routes(&mut sock), 0);
        },
    );
}

#[test]
fn deletes_without_acks_still_report_each_outcome_in_order() {
    with_socket_in_fresh_netns(
        "deletes_without_acks_still_report_each_outcome_in_order",
        |mut sock| {
            let oif = bridge_up(&mut sock, b"d0");
            let count = 3_000u32;
            sock.batch(&mut host_routes(oif, count, false), |_, r| {
                assert!(r.is_ok())
            })
            .expect("adds");
            // ip's flush: every dumped route echoed back as a delete, none asking for an ACK;
            // one of them twice, in the middle, so that only its second delete fails.
            let mut dump = Vec::new();
            emit_dump_routes(&mut Builder::new(&mut dump), AF_INET, None).expect("encode");
            let mut deletes = Vec::new();
            let mut echoed = 0usize;
            let mut repeated_at = None;
            sock.dump(&mut dump, |msg| {
                let route = RouteMessage::parse(&msg)?;
                if route.table() != u32::from(RT_TABLE_MAIN) {
                    return Ok(());
                }
                let mut b = Builder::new(&mut deletes);
                route.emit_delete(&mut b)?;
                echoed += 1;
                if echoed == 1_000 {
                    route.emit_delete(&mut b)?;
                    repeated_at = Some(echoed);
                    echoed += 1;
                }
                Ok(())
            })
            .expect("route dump");
            assert_eq!(echoed, count as usize + 1);
            let mut outcomes = Vec::new();
            let failed = sock
                .batch(&mut deletes, |index, result| {
                    outcomes.push((index, result.err().and_then(|e| e.errno())));
                })
                .expect("batch of deletes");
            assert_eq!(failed, 1);
            let expected: Vec<(usize, Option<i32>)> = (0..echoed)
                .map(|i| (i, (Some(i) == repeated_at).then_some(libc::ESRCH)))
                .collect();
            assert_eq!(outcomes, expected);
            assert_eq!(main_table_routes(&mut sock), 0);
        },
    );
}

#[test]
fn an_echo_reaches_on_reply_before_the_ack() {
    with_socket_in_fresh_netns("an_echo_reaches_on_reply_before_the_ack", |mut sock| {
        let oif = bridge_up(&mut sock, b"d0");
        let mut buf = Vec::new();
        RouteRequest {
            dst: Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0))),
            dst_len: 24,
            oif: Some(oif),
            scope: RT_SCOPE_LINK,
            ..RouteRequest::default()
        }
        .emit_new_with(
            &mut Builder::new(&mut buf),
            NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO,
        )
        .expect("encode");
        let mut echoed = Vec::new();
        sock.request_with(&mut buf, |msg| {
            let route = RouteMessage::parse(&msg)?;
            echoed.push((msg.ty(), route.dst(), route.oif()));
            Ok(())
        })
        .expect("route add with echo");
        let dst = Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0)));
        assert_eq!(echoed, [(RTM_NEWROUTE, dst, Some(oif))]);
    });
}

#[test]
fn a_refused_dump_is_a_kernel_error_and_the_socket_stays_in_step() {
    with_socket_in_fresh_netns(
        "a_refused_dump_is_a_kernel_error_and_the_socket_stays_in_step",
        |mut sock| {
            // Strict checking refuses a route dump whose header asks for a source length.
            let mut buf = Vec::new();
            let mut b = Builder::new(&mut buf);
            let m = b.begin_request(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP);
            b.push(&RtMsg {
                family: AF_INET,
                src_len: 8,
                ..RtMsg::default()
            });
            b.finish(m).expect("encode");
            match sock.dump(&mut buf, |_| Ok(())) {
                Err(Error::Kernel(k)) => {
                    assert_eq!(k.errno, libc::EINVAL);
                    assert!(k.message.is_some(), "strict checking explains: {k:?}");
                }
                other => panic!("expected EINVAL, got {other:?}"),
            }
            assert_eq!(main_table_routes(&mut sock), 0);
        },
    );
}

#[test]
fn a_get_for_a_missing_link_is_enodev() {
    with_socket_in_fresh_netns("a_get_for_a_missing_link_is_enodev", |mut sock| {
        let mut buf = Vec::new();
        emit_get_link(&mut Builder::new(&mut buf), 0, Some(b"nope0"), 0).expect("encode");
        let got = sock.get(&mut buf, |msg| Ok(LinkMessage::parse(&msg)?.index()));
        assert!(
            matches!(got, Err(Error::Kernel(ref k)) if k.errno == libc::ENODEV),
            "{got:?}"
        );
        assert_eq!(
            got.err().map(|e| e.to_string()).as_deref(),
            Some("No such device")
        );
        assert!(bridge_up(&mut sock, b"d0") > 1, "the socket still answers");
    });
}
