//! `ip address flush`: ip's rounds. Each round dumps the addresses and deletes those the
//! filter selects while the dump goes on, in sends of ip's size, so the kernel's dump walks
//! the same shrinking list it walks for ip (and the same rounds are needed), and memory
//! stays that of one datagram however many addresses there are.

use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::route::AddressMessage;
use netlink_core::socket::{Error as NlError, KernelError, Socket};
use netlink_core::wire::{Builder, Message};

use super::filter::Filter;
use super::list::dump_request;
use crate::show::addr::print_address;
use crate::toolbox::args::{word_bytes, Globals};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::color::Palette;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::files::StdoutFd;
use crate::toolbox::flush::flush_complete;
use crate::toolbox::output::Out;
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
    /// `-s -s`: each address deleted, printed as `ip monitor` prints it.
    shown: Option<Shown>,
}

/// What `-s -s` prints of a round, and how.
#[derive(Default)]
struct Shown {
    text: Vec<u8>,
    palette: Option<Palette>,
    oneline: bool,
}

impl Shown {
    fn print(&mut self, addr: &AddressMessage<'_>, names: &LinkCache) {
        let dev = names.name(addr.index());
        let mut out = Out::into_vec(&mut self.text, self.palette);
        // Writing into a Vec cannot fail.
        let _ = print_address(&mut out, addr, Some(&dev), self.oneline);
    }
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
        if let Some(shown) = &mut self.shown {
            shown.print(&addr, names);
        }
        Ok(())
    }

    fn refused(&mut self, error: KernelError) {
        if error.errno != libc::EADDRNOTAVAIL {
            self.refusal.get_or_insert(error);
        }
    }
}

/// One round: the dump, the deletes sent while it goes on, and the last of them after it.
/// Returns how many were deleted and, under `-s -s`, their text.
fn run_round(
    g: &Globals,
    sock: &mut Socket,
    filter: &Filter<'_>,
    names: &LinkCache,
) -> CliResult<(usize, Vec<u8>)> {
    let mut request = dump_request(filter.family, filter.index.unwrap_or(0))?;
    let shown = (g.stats > 1).then(|| Shown {
        palette: g.color,
        oneline: g.oneline,
        ..Shown::default()
    });
    let round = std::cell::RefCell::new(Round {
        shown,
        ..Round::default()
    });
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
            round.refused(*e);
        }
    })
    .map_err(send_failed)?;
    if let Some(e) = round.refusal {
        return Err(send_failed(NlError::Kernel(Box::new(e))));
    }
    Ok((
        round.deleted,
        round.shown.map(|s| s.text).unwrap_or_default(),
    ))
}

/// ip's error for deletions the kernel did not take.
fn send_failed(e: NlError) -> CliError {
    CliError::failed(format!("Failed to send flush request: {e}"))
}

/// ip's `ipaddr_flush`: rounds until one finds nothing to delete (a deleted primary may
/// promote a secondary), at most [`MAX_ROUNDS`]; `-s` tells how it went.
pub fn flush_addresses(g: &Globals, sock: &mut Socket, filter: &Filter<'_>) -> CliResult {
    // Names stand in for missing labels and head `-s -s`'s lines; nothing else needs them.
    let names = match (filter.label, g.stats) {
        (Some(_), _) | (None, 2..) => LinkCache::of(&dump_links(sock, AF_PACKET)?),
        _ => LinkCache::default(),
    };
    let mut report = Report {
        stdout: StdoutFd,
        stats: g.stats > 0,
    };
    for round in 0..MAX_ROUNDS {
        let (deleted, shown) = run_round(g, sock, filter, &names)?;
        report.say(&shown);
        // The rounds it took, once it is over.
        let finished = if deleted == 0 {
            Some(round)
        } else {
            report.say(
                format!(
                    "\n*** Round {}, deleting {deleted} addresses ***\n",
                    round + 1
                )
                .as_bytes(),
            );
            filter.primaries_only().then_some(round + 1)
        };
        if let Some(rounds) = finished {
            match rounds {
                0 => report.say(b"Nothing to flush.\n"),
                _ => report.say(flush_complete(rounds).as_bytes()),
            }
            return Ok(());
        }
    }
    Err(CliError::failed(format!(
        "*** Flush remains incomplete after {MAX_ROUNDS} rounds. ***"
    )))
}

/// `-s`'s account of a flush, on stdout as it goes; nothing without `-s`.
struct Report {
    stdout: StdoutFd,
    stats: bool,
}

impl Report {
    fn say(&mut self, text: &[u8]) {
        if self.stats {
            let _ = self.stdout.write_all(text);
        }
    }
}
