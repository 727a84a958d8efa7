//! `ip route show SELECTOR`: one dump, streamed through the printer as it arrives (a
//! listing of any length in bounded memory).

use std::io;

use netlink_core::route::consts::*;
use netlink_core::route::{RouteDump, RouteMessage};
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::Builder;

use super::route_context;
use super::select::{resolve, Selector};
use crate::show::route::{print_route, Context};
use crate::show::route_filter::Filter;
use crate::toolbox::args::Globals;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{kernel_error, write_error, CliError, CliResult};
use crate::toolbox::output::Out;
use crate::toolbox::session::Session;

/// Dumps the kernel flags interrupted that are taken again (while nothing of the listing
/// has reached stdout yet) before the last one is kept with ip's warning.
const DUMP_ATTEMPTS: usize = 3;

/// Runs `route show`: resolves the selector's devices, dumps, prints what matches.
pub fn list(g: &Globals, session: &mut Session, sel: Selector<'_>) -> CliResult {
    let filter = resolve(session, sel)?;
    let sock = session.socket()?;
    let names = LinkCache::load(sock)?;
    let ctx = route_context(g, &names, &filter);
    let mut out = Out::stdout(g.json, g.pretty).with_palette(g.color);
    out.open_array(None).map_err(write_error)?;
    out.checkpoint();
    let mut request = dump_request(&filter)?;
    for attempt in 1..=DUMP_ATTEMPTS {
        // The library's dump_consistent would take the dump again whatever was printed;
        // a listing can be taken back only while it is still in the output's buffer.
        match print_dump(sock, &mut request, &ctx, &mut out) {
            Ok(()) => break,
            Err(Failure::Write(e)) => return Err(write_error(e)),
            Err(Failure::Dump(NlError::DumpInterrupted)) => {
                if attempt < DUMP_ATTEMPTS && out.rewind() {
                    continue;
                }
                // ip keeps the listing, warns, and exits 0.
                out.flush().map_err(write_error)?;
                eprintln!("{}", NlError::DumpInterrupted);
                break;
            }
            Err(Failure::Dump(e)) if missing_main_table(&e, &filter) => break,
            Err(Failure::Dump(e)) => {
                let _ = out.flush();
                return Err(dump_failed(e, "Dump terminated"));
            }
        }
    }
    out.close_array()
        .and_then(|()| out.finish())
        .map_err(write_error)
}

/// Why a listing's dump stopped.
enum Failure {
    /// Stdout refused the output.
    Write(io::Error),
    /// The kernel or the socket failed, or the dump was interrupted.
    Dump(NlError),
}

/// One dump, every matching route printed as it comes.
fn print_dump<W: io::Write>(
    sock: &mut Socket,
    request: &mut [u8],
    ctx: &Context<'_>,
    out: &mut Out<W>,
) -> Result<(), Failure> {
    let mut write_failed = None;
    let dumped = sock.dump(request, |msg| {
        let route = RouteMessage::parse(&msg)?;
        if ctx.filter.accepts(&route) {
            let deleted = msg.ty() == RTM_DELROUTE;
            if let Err(e) = print_route(out, ctx, deleted, &route) {
                write_failed = Some(e);
                // Stops the replies; the socket still reads the dump to its end.
                return Err(NlError::NoReply);
            }
        }
        Ok(())
    });
    match write_failed {
        Some(e) => Err(Failure::Write(e)),
        None => dumped.map_err(Failure::Dump),
    }
}

/// The dump request of a filter, with the filters the kernel applies itself as ip's
/// `iproute_dump_filter` asks for them: family, protocol, the route cache, table, device.
pub(super) fn dump_request(f: &Filter) -> CliResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(64);
    RouteDump {
        family: f.family,
        table: (f.table != 0).then_some(f.table),
        oif: f.oif,
        protocol: f.protocol.unwrap_or(RTPROT_UNSPEC),
        cloned: f.cloned == 1,
    }
    .emit(&mut Builder::new(&mut buf))?;
    Ok(buf)
}

/// Whether a dump error is the one ip ignores: the main table does not exist yet.
pub(super) fn missing_main_table(e: &NlError, f: &Filter) -> bool {
    matches!(e, NlError::Kernel(k) if k.errno == libc::ENOENT)
        && f.table == u32::from(RT_TABLE_MAIN)
}

/// A dump that failed: ip prints the kernel's reason, then `what`, exit 2.
pub(super) fn dump_failed(e: NlError, what: &str) -> CliError {
    let quiet = matches!(&e, NlError::Kernel(k)
        if k.message.is_none() && (k.errno == libc::ENOENT || k.errno == libc::EOPNOTSUPP));
    if quiet {
        return CliError::failed_with(2, what.to_string());
    }
    let first = kernel_error(e);
    CliError::failed_with(2, format!("{}\n{what}", first.message()))
}
