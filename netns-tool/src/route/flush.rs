//! `ip route flush SELECTOR`: dump, delete what matches, dump again until nothing does, with
//! ip's `-s` report (`*** Round N, deleting M entries ***`) and `-s -s` listing.
//!
//! ip deletes each round's routes while it reads the dump, a few kilobytes of requests at
//! a time. Here one dump collects the requests for a bounded window of routes (and counts
//! every match); the window is sent; while routes of the round remain, the next dump
//! collects the next window. Memory stays bounded however many routes match, and each
//! round reports what ip's would.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use netlink_core::route::consts::*;
use netlink_core::route::RouteMessage;
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::Builder;

use super::list::{dump_failed, dump_request, missing_main_table};
use super::route_context;
use super::select::{resolve, Selector};
use crate::show::route::{print_route, Context};
use crate::toolbox::args::Globals;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{kernel_error, write_error, CliError, CliResult};
use crate::toolbox::flush::print_flush_done;
use crate::toolbox::output::Out;
use crate::toolbox::session::Session;

/// Bytes of delete requests one dump collects before they are sent (about 8,000 IPv4
/// routes: 100,000 are flushed in 13 dumps, in about a megabyte of memory).
const WINDOW_BYTES: usize = 512 * 1024;

/// ip gives up on a flush that has not emptied the selection after this long.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// What one dump found: every route that matched, and those whose deletion it collected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Pass {
    matched: usize,
    collected: usize,
}

/// Runs `route flush`.
pub fn flush(g: &Globals, session: &mut Session, sel: Selector<'_>) -> CliResult {
    let filter = resolve(session, sel)?;
    let sock = session.socket()?;
    let names = LinkCache::load(sock)?;
    let ctx = route_context(g, &names, &filter);
    let mut out = Out::stdout(false, false).with_palette(g.color);
    let mut deletes = Vec::with_capacity(WINDOW_BYTES);
    let start = Instant::now();
    let mut round = 0usize;
    loop {
        let pass = collect(sock, &ctx, &mut deletes, &mut out)?;
        if pass.matched == 0 {
            return report_done(g, &ctx, round, &mut out).map_err(write_error);
        }
        round += 1;
        send(sock, &mut deletes)?;
        finish_round(sock, &ctx, &mut deletes, &mut out, pass)?;
        if start.elapsed() > TIME_LIMIT {
            let seconds = start.elapsed().as_secs();
            let left = pass.matched;
            out.text(format_args!(
                "\n*** Flush not completed after {seconds} seconds, {left} entries remain ***\n"
            ))
            .and_then(|()| out.finish())
            .map_err(write_error)?;
            return Err(CliError::failed_with(255, ""));
        }
        if g.stats > 0 {
            let deleting = pass.matched;
            out.text(format_args!(
                "\n*** Round {round}, deleting {deleting} entries ***\n"
            ))
            .and_then(|()| out.flush())
            .map_err(write_error)?;
        }
    }
}

/// Deletes the routes of a round beyond the first window, a window per dump.
fn finish_round<W: Write>(
    sock: &mut Socket,
    ctx: &Context<'_>,
    deletes: &mut Vec<u8>,
    out: &mut Out<W>,
    first: Pass,
) -> CliResult {
    let mut left = first.matched.saturating_sub(first.collected);
    while left > 0 {
        let pass = collect(sock, ctx, deletes, out)?;
        if pass.collected == 0 {
            break;
        }
        send(sock, deletes)?;
        left = left.saturating_sub(pass.collected);
    }
    Ok(())
}

/// One dump: counts the routes to flush and collects the deletions of a window of them
/// (printed as they are collected with `-s -s`).
fn collect<W: Write>(
    sock: &mut Socket,
    ctx: &Context<'_>,
    deletes: &mut Vec<u8>,
    out: &mut Out<W>,
) -> CliResult<Pass> {
    let mut pass = Pass::default();
    let mut request = dump_request(ctx.filter)?;
    let mut write_failed = None;
    deletes.clear();
    let dumped = sock.dump(&mut request, |msg| {
        let route = RouteMessage::parse(&msg)?;
        if msg.ty() != RTM_NEWROUTE || !ctx.filter.accepts(&route) || skip_in_flush(&route) {
            return Ok(());
        }
        pass.matched += 1;
        if deletes.len() >= WINDOW_BYTES {
            return Ok(());
        }
        if route.emit_delete(&mut Builder::new(deletes)).is_err() {
            // A message too long to echo: ip could not delete it either.
            return Ok(());
        }
        pass.collected += 1;
        if ctx.stats >= 2 && write_failed.is_none() {
            write_failed = print_route(out, ctx, false, &route).err();
        }
        Ok(())
    });
    if let Some(e) = write_failed {
        return Err(write_error(e));
    }
    match dumped {
        Ok(()) => Ok(pass),
        // ip works on an interrupted dump as it is, after its warning.
        Err(NlError::DumpInterrupted) => {
            eprintln!("{}", NlError::DumpInterrupted);
            Ok(pass)
        }
        Err(e) if missing_main_table(&e, ctx.filter) => Ok(Pass::default()),
        Err(e) => {
            let _ = out.flush();
            Err(dump_failed(e, "Flush terminated"))
        }
    }
}

/// Sends the collected deletions. ip does not wait for their answers, and a route that is
/// already gone is no failure of the flush: the outcomes are not looked at.
fn send(sock: &mut Socket, deletes: &mut Vec<u8>) -> CliResult {
    sock.batch(deletes, |_, _| {}).map_err(kernel_error)?;
    deletes.clear();
    Ok(())
}

/// ip's closing words with `-s`: "Nothing to flush." when the first dump matched nothing
/// (for the IPv4 cache, the completion line even then).
fn report_done<W: Write>(
    g: &Globals,
    ctx: &Context<'_>,
    round: usize,
    out: &mut Out<W>,
) -> io::Result<()> {
    let nothing = round == 0 && (ctx.filter.cloned == 0 || g.family.af() == AF_INET6);
    print_flush_done(out, g.stats > 0, nothing, round)
}

/// ip skips the IPv6 "unreachable default" sentinel (metric 0xffffffff) when flushing.
fn skip_in_flush(r: &RouteMessage<'_>) -> bool {
    r.family() == AF_INET6
        && r.dst_len() == 0
        && r.kind() == RTN_UNREACHABLE
        && r.priority() == Some(u32::MAX)
}
