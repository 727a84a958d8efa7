//! `ip address flush`: ip's rounds. Each round dumps the addresses and deletes those the
//! filter selects while the dump goes on, in sends of ip's size, so the kernel's dump walks
//! the same shrinking list it walks for ip (and the same rounds are needed), and memory
//! stays that of one datagram however many addresses there are.

use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::route::{emit_dump_addresses, AddressMessage};
use netlink_core::socket::{Error as NlError, KernelError, Socket};
use netlink_core::wire::{Builder, Message};

use super::filter::Filter;
use crate::toolbox::args::{word_bytes, Globals};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::dump_links;

/// ip gives up after this many rounds.
const MAX_ROUNDS: usize = 10;
/// ip's flush buffer: the dumped messages it copies into deletes are sent when the next
/// would not fit.
const FLUSH_BUFFER: usize = 4096 - 512;

/// One round's deletes: those waiting to fill ip's buffer, how many were made, and the
/// first refusal that is not "already gone" (a secondary deleted with its primary).
#[derive(Default)]
struct Round {
    pending: Vec<u8>,
    deleted: usize,
    refusal: Option<KernelError>,
}

impl Round {
    /// ip's `print_addrinfo` with a flush buffer: a selected address becomes a delete.
    fn take(
        &mut self,
        msg: &Message<'_>,
        outbox: &mut Vec<Vec<u8>>,
        filter: &Filter<'_>,
        names: &LinkCache,
    ) -> Result<(), NlError> {
        let Ok(addr) = AddressMessage::parse(msg) else {
            return Ok(());
        };
        let name = word_bytes(names.name_of(addr.index()).unwrap_or_default());
        if !filter.address_matches(&addr, &name) {
            return Ok(());
        }
        let len = usize::try_from(msg.header().len.get()).unwrap_or(usize::MAX);
        if self.pending.len().saturating_add(len) > FLUSH_BUFFER {
            outbox.push(std::mem::take(&mut self.pending));
        }
        addr.emit_delete(&mut Builder::new(&mut self.pending))?;
        self.deleted += 1;
        Ok(())
    }

    fn refused(&mut self, error: KernelError) {
        if error.errno != libc::EADDRNOTAVAIL {
            self.refusal.get_or_insert(error);
        }
    }
}

/// One round: the dump, the deletes sent while it goes on, and the last of them after it.
fn run_round(sock: &mut Socket, filter: &Filter<'_>, names: &LinkCache) -> CliResult<usize> {
    let mut request = Vec::with_capacity(64);
    emit_dump_addresses(
        &mut Builder::new(&mut request),
        filter.family,
        filter.index.unwrap_or(0),
    )
    .map_err(|e| CliError::failed(e.to_string()))?;
    let round = std::cell::RefCell::new(Round::default());
    let dumped = sock.dump_sending(
        &mut request,
        |msg, outbox| round.borrow_mut().take(&msg, outbox, filter, names),
        |refusal| round.borrow_mut().refused(refusal),
    );
    match dumped {
        // Deleting what is being dumped interrupts the dump; ip expects it.
        Ok(()) | Err(NlError::DumpInterrupted) => {}
        Err(_) => return Err(CliError::failed("Flush terminated")),
    }
    let mut round = round.into_inner();
    let mut rest = std::mem::take(&mut round.pending);
    sock.batch(&mut rest, |_, result| {
        if let Err(NlError::Kernel(e)) = result {
            round.refused(e);
        }
    })
    .map_err(|e| CliError::failed(format!("Failed to send flush request: {e}")))?;
    if let Some(e) = round.refusal {
        return Err(CliError::failed(format!(
            "Failed to send flush request: {}",
            NlError::Kernel(e)
        )));
    }
    Ok(round.deleted)
}

/// ip's `ipaddr_flush`: rounds until one finds nothing to delete (a deleted primary may
/// promote a secondary), at most [`MAX_ROUNDS`]; `-s` tells how it went.
pub fn flush_addresses(g: &Globals, sock: &mut Socket, filter: &Filter<'_>) -> CliResult {
    // Names stand in for missing labels, so only a label filter needs them.
    let names = match filter.label {
        Some(_) => LinkCache::of(&dump_links(sock, AF_PACKET)?),
        None => LinkCache::default(),
    };
    let mut stdout = std::io::stdout().lock();
    let mut say = |text: std::fmt::Arguments<'_>| {
        if g.stats > 0 {
            let _ = stdout.write_fmt(text);
            let _ = stdout.flush();
        }
    };
    for round in 0..MAX_ROUNDS {
        let deleted = run_round(sock, filter, &names)?;
        if deleted == 0 {
            if round == 0 {
                say(format_args!("Nothing to flush.\n"));
            } else {
                complete(&mut say, round);
            }
            return Ok(());
        }
        say(format_args!(
            "\n*** Round {}, deleting {deleted} addresses ***\n",
            round + 1
        ));
        if filter.primaries_only() {
            complete(&mut say, round + 1);
            return Ok(());
        }
    }
    Err(CliError::failed(format!(
        "*** Flush remains incomplete after {MAX_ROUNDS} rounds. ***"
    )))
}

fn complete(say: &mut impl FnMut(std::fmt::Arguments<'_>), rounds: usize) {
    let s = if rounds > 1 { "s" } else { "" };
    say(format_args!(
        "*** Flush is complete after {rounds} round{s} ***\n"
    ));
}
