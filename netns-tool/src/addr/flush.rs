//! `ip address flush`.

use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::Builder;

use super::filter::Filter;
use super::list::dump_addresses;
use crate::toolbox::args::Globals;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::dump_links;

/// ip's flush: delete what the filter selects, round after round until nothing is left
/// (a deleted primary may promote a secondary), at most 10 rounds.
pub fn flush_addresses(g: &Globals, sock: &mut Socket, filter: &Filter<'_>) -> CliResult {
    const MAX_ROUNDS: usize = 10;
    let links = dump_links(sock, AF_PACKET)?;
    let cache = LinkCache::of(&links);
    let mut stdout = std::io::stdout().lock();
    for round in 0..MAX_ROUNDS {
        let addrs = dump_addresses(sock, filter.family, filter.index.unwrap_or(0))?;
        let mut batch = Vec::new();
        let mut count = 0usize;
        for a in addrs
            .iter()
            .filter_map(|p| netlink_core::route::AddressMessage::from_payload(p).ok())
        {
            let name = cache.name(a.index());
            if !filter.address_matches(&a, &name) {
                continue;
            }
            a.emit_delete(&mut Builder::new(&mut batch))
                .map_err(|e| CliError::failed(e.to_string()))?;
            count += 1;
        }
        if count == 0 {
            if g.stats > 0 {
                if round == 0 {
                    let _ = writeln!(stdout, "Nothing to flush.");
                } else {
                    let s = if round > 1 { "s" } else { "" };
                    let _ = writeln!(stdout, "*** Flush is complete after {round} round{s} ***");
                }
            }
            return Ok(());
        }
        let mut failure: Option<NlError> = None;
        sock.batch(&mut batch, |_, r| {
            if let Err(e) = r {
                if e.errno() != Some(libc::EADDRNOTAVAIL) && failure.is_none() {
                    failure = Some(e);
                }
            }
        })
        .map_err(|e| CliError::failed(format!("Failed to send flush request: {e}")))?;
        if let Some(e) = failure {
            return Err(CliError::failed(format!(
                "Failed to send flush request: {e}"
            )));
        }
        if g.stats > 0 {
            let _ = writeln!(
                stdout,
                "\n*** Round {}, deleting {count} addresses ***",
                round + 1
            );
        }
        // Flushing primaries only is one round: more would flush promoted secondaries.
        if filter.primaries_only() {
            return Ok(());
        }
    }
    Err(CliError::failed(format!(
        "*** Flush remains incomplete after {MAX_ROUNDS} rounds. ***"
    )))
}
