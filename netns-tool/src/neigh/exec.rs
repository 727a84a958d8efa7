//! Running `ip neigh` plans: one request, a dump through the printer, flush rounds, a get.

use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::route::{emit_get_neigh, NeighDump, NeighMessage, NeighRequest};
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::{Builder, EncodeError};

use super::parse::{FilterPlan, GetPlan, ModifyPlan};
use crate::show::neigh::{print_neigh, NeighContext, NeighFilter};
use crate::toolbox::args::{invarg, Globals};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::clock::clock_ticks_per_second;
use crate::toolbox::error::{kernel_error, write_error, CliError, CliResult};
use crate::toolbox::flush::print_flush_done;
use crate::toolbox::output::Out;
use crate::toolbox::plan::Change;
use crate::toolbox::session::{end_listing, Session};

/// ip's flush gives up after this many rounds.
const MAX_ROUNDS: usize = 10;

fn encoded(result: Result<usize, EncodeError>) -> CliResult {
    result
        .map(drop)
        .map_err(|e| CliError::failed(e.to_string()))
}

/// Sends one add/change/replace/delete.
pub fn modify(session: &mut Session, plan: &ModifyPlan<'_>) -> CliResult {
    let ifindex = session.ifindex(plan.dev)?;
    let request = NeighRequest {
        ifindex,
        state: plan.state,
        flags: plan.ntf,
        dst: plan.dst,
        lladdr: plan.lladdr.as_deref(),
        protocol: plan.protocol,
        flags_ext: plan.flags_ext,
    };
    let mut buf = Vec::with_capacity(64);
    let mut b = Builder::new(&mut buf);
    encoded(match plan.change {
        Change::New(flags) => request.emit_new_with(&mut b, flags),
        Change::Delete => request.emit_del(&mut b),
    })?;
    // ip exits on a refused change, even in a `-force` batch.
    session
        .request(&mut buf)
        .map_err(|e| CliError::exit(e.status(), e.message()))
}

/// The dump request and the filter of a plan, its devices looked up.
fn resolve(session: &mut Session, plan: &FilterPlan<'_>) -> CliResult<(Vec<u8>, NeighFilter)> {
    let master = match (plan.master, plan.nomaster) {
        (Some(name), _) => {
            let index = session
                .ifindex(name)
                .map_err(|_| invarg("Device does not exist\n", name))?;
            Some(u32::try_from(index).unwrap_or(0))
        }
        (None, true) => Some(u32::MAX),
        (None, false) => None,
    };
    let index = match plan.dev {
        Some(name) => session.ifindex(name)?,
        None => 0,
    };
    let dump = NeighDump {
        family: plan.family,
        flags: if plan.proxy { NTF_PROXY } else { 0 },
        master,
        ifindex: (index != 0).then(|| u32::try_from(index).unwrap_or(0)),
    };
    let mut buf = Vec::with_capacity(64);
    encoded(dump.emit(&mut Builder::new(&mut buf)))?;
    let filter = NeighFilter {
        family: plan.family,
        index,
        state: plan.state,
        prefix: plan.prefix,
        protocol: plan.protocol,
        unused_only: plan.unused_only,
    };
    Ok((buf, filter))
}

fn context<'a>(g: &Globals, names: &'a LinkCache, filter_index: i32) -> NeighContext<'a> {
    NeighContext {
        names,
        stats: g.stats,
        filter_index,
        clock_ticks: clock_ticks_per_second(),
        brief: g.brief,
    }
}

/// Runs `neigh show`: one dump, every entry the filter keeps printed as it comes.
pub fn list(g: &Globals, session: &mut Session, plan: &FilterPlan<'_>) -> CliResult {
    let (mut request, filter) = resolve(session, plan)?;
    let sock = session.socket()?;
    let names = LinkCache::load(sock)?;
    let ctx = context(g, &names, filter.index);
    let mut out = Out::stdout(g.json, g.pretty).with_palette(g.color);
    out.open_array(None).map_err(write_error)?;
    let mut write_failed = None;
    let dumped = sock.dump(&mut request, |msg| {
        let n = NeighMessage::parse(&msg)?;
        if filter.accepts(&n) && write_failed.is_none() {
            write_failed = print_neigh(&mut out, &ctx, &n, msg.ty()).err();
        }
        Ok(())
    });
    end_listing(&mut out, write_failed, dumped, |e| {
        dump_failed(e, "Dump terminated")
    })
}

/// A dump that failed: the kernel's reason, then ip's line; ip exits 1 there, even in a
/// `-force` batch.
fn dump_failed(e: NlError, what: &str) -> CliError {
    let mut text = kernel_error(e).message().to_owned();
    text.push('\n');
    text.push_str(what);
    CliError::exit(1, text)
}

/// Runs `neigh flush`: rounds of dump-and-delete until a dump finds nothing, with ip's
/// `-s` report and `-s -s` listing (always text, as ip prints it).
pub fn flush(g: &Globals, session: &mut Session, plan: &FilterPlan<'_>) -> CliResult {
    let (mut request, mut filter) = resolve(session, plan)?;
    let sock = session.socket()?;
    let names = LinkCache::load(sock)?;
    let ctx = context(g, &names, filter.index);
    let mut out = Out::stdout(false, false).with_palette(g.color);
    let mut deletes = Vec::with_capacity(4096);
    for round in 0..MAX_ROUNDS {
        let flushed = collect(sock, &mut request, &filter, &ctx, &mut deletes, &mut out)?;
        if flushed == 0 {
            return print_flush_done(&mut out, g.stats > 0, round == 0, round).map_err(write_error);
        }
        sock.batch(&mut deletes, |_, _| {}).map_err(kernel_error)?;
        // Failed entries go in the first round only: the kernel may fail them again.
        filter.state &= !u32::from(NUD_FAILED);
        if g.stats > 0 {
            let text = format!(
                "\n*** Round {}, deleting {flushed} entries ***\n",
                round + 1
            );
            out.text_str(&text)
                .and_then(|()| out.flush())
                .map_err(write_error)?;
        }
    }
    let text = format!("*** Flush not complete bailing out after {MAX_ROUNDS} rounds\n");
    out.text_str(&text)
        .and_then(|()| out.finish())
        .map_err(write_error)?;
    Err(CliError::failed(""))
}

/// One dump of a flush: the deletion of every entry it keeps, collected.
fn collect<W: Write>(
    sock: &mut Socket,
    request: &mut [u8],
    filter: &NeighFilter,
    ctx: &NeighContext<'_>,
    deletes: &mut Vec<u8>,
    out: &mut Out<W>,
) -> CliResult<usize> {
    deletes.clear();
    let mut flushed = 0usize;
    let mut write_failed = None;
    let dumped = sock.dump(request, |msg| {
        let n = NeighMessage::parse(&msg)?;
        if msg.ty() != RTM_NEWNEIGH || !filter.accepts(&n) {
            return Ok(());
        }
        if n.emit_delete(&mut Builder::new(deletes)).is_err() {
            return Ok(());
        }
        flushed += 1;
        if ctx.stats >= 2 && write_failed.is_none() {
            write_failed = print_neigh(out, ctx, &n, msg.ty()).err();
        }
        Ok(())
    });
    if let Some(e) = write_failed {
        return Err(write_error(e));
    }
    dumped.map_err(|e| dump_failed(e, "Flush terminated"))?;
    Ok(flushed)
}

/// Runs `neigh get`: one request, its answer printed (as text, even under `-j`: ip 6.1
/// prints it outside any JSON context).
pub fn get(g: &Globals, session: &mut Session, plan: GetPlan<'_>) -> CliResult {
    let ifindex = session.ifindex(plan.dev)?;
    let flags = if plan.proxy { NTF_PROXY } else { 0 };
    let mut buf = Vec::with_capacity(64);
    encoded(emit_get_neigh(
        &mut Builder::new(&mut buf),
        plan.dst,
        ifindex,
        flags,
    ))?;
    let sock = session.socket()?;
    let reply: (u16, Vec<u8>) = sock
        .get(&mut buf, |msg| Ok((msg.ty(), msg.payload().to_vec())))
        .map_err(kernel_error)?;
    let names = LinkCache::load(sock)?;
    let n = NeighMessage::from_payload(&reply.1)
        .map_err(|e| CliError::failed(format!("malformed netlink reply: {e}")))?;
    let ctx = context(g, &names, 0);
    let mut out = Out::stdout(false, false).with_palette(g.color);
    print_neigh(&mut out, &ctx, &n, reply.0)
        .and_then(|()| out.finish())
        .map_err(write_error)
}
