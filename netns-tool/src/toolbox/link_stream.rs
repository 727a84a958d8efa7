//! A link dump printed as it arrives, in the kernel's order: `ip link show` and
//! `ip address show` without keeping the dump.
//!
//! ip keeps the whole dump because a link's lines name other links (`veth0@vpeer0`,
//! `master br0`, `M-DOWN`) that may come later in it. Here each link is learnt as it
//! arrives (names, flags, queue lengths: a few bytes a link) and printed at once when
//! every link it names is already known; otherwise it waits, with the links after it, until
//! they are (a veth waits for its peer, the next message). What waits is the only part of
//! the dump kept, so memory stays that of one datagram whatever the number of links; a
//! link naming one the dump never brings waits until the end, and prints as ip would then.

use std::collections::VecDeque;
use std::io::{self, Write};

use netlink_core::route::LinkMessage;
use netlink_core::socket::{Error as NlError, Socket};

use super::args::Globals;
use super::cache::LinkCache;
use super::error::{write_error, CliError, CliResult};
use super::output::{Out, Sink};
use super::owners::OwnerNames;
use super::session::{link_dump_request, Stored};

/// Dumps the kernel flags interrupted that are taken again (while nothing of the listing
/// has reached stdout yet) before the last one is kept with ip's warning.
const DUMP_ATTEMPTS: usize = 3;

/// What a streamed link listing does with the links of its dump.
pub trait LinkListing {
    /// Learns `link` as it arrives, before any later link is printed; tells whether the
    /// listing prints anything for it.
    fn arrived(&mut self, link: &LinkMessage<'_>) -> bool;
    /// Whether every link the lines of `link` name has been learnt.
    fn ready(&self, link: &LinkMessage<'_>) -> bool;
    /// Prints `link`.
    fn print<W: Write>(&mut self, out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()>;
    /// What the listing knows of the links, which printing reads.
    fn cache(&mut self) -> &mut LinkCache;
}

/// A [`LinkListing`] printing to the one [`Sink`] type: the streaming below works through
/// it, so it is compiled once for every listing, not once per listing.
trait SinkListing {
    fn arrived(&mut self, link: &LinkMessage<'_>) -> bool;
    fn ready(&self, link: &LinkMessage<'_>) -> bool;
    fn print(&mut self, out: &mut Out<Sink<'_>>, link: &LinkMessage<'_>) -> io::Result<()>;
    fn cache(&mut self) -> &mut LinkCache;
}

impl<L: LinkListing> SinkListing for L {
    fn arrived(&mut self, link: &LinkMessage<'_>) -> bool {
        LinkListing::arrived(self, link)
    }
    fn ready(&self, link: &LinkMessage<'_>) -> bool {
        LinkListing::ready(self, link)
    }
    fn print(&mut self, out: &mut Out<Sink<'_>>, link: &LinkMessage<'_>) -> io::Result<()> {
        LinkListing::print(self, out, link)
    }
    fn cache(&mut self) -> &mut LinkCache {
        LinkListing::cache(self)
    }
}

/// Prints a link listing on stdout, in a JSON array under `-j`: the links of `alone` when
/// the listing asked for one (with the links they name asked for one by one, as ip's
/// cache does), else the link dump of `family` as it arrives.
pub fn print_links<L: LinkListing>(
    g: &Globals,
    sock: &mut Socket,
    alone: Option<Stored>,
    family: u8,
    listing: &mut L,
) -> CliResult {
    print_listing(g, sock, alone, family, listing)
}

fn print_listing(
    g: &Globals,
    sock: &mut Socket,
    alone: Option<Stored>,
    family: u8,
    listing: &mut dyn SinkListing,
) -> CliResult {
    let mut out = Out::stdout(g.json, g.pretty).with_palette(g.color);
    out.open_array(None).map_err(write_error)?;
    match alone {
        Some(links) => {
            *listing.cache() = LinkCache::of_one(sock, &links);
            for link in links.links() {
                if listing.arrived(&link) {
                    listing.print(&mut out, &link).map_err(write_error)?;
                }
            }
        }
        None => {
            let mut request = link_dump_request(family, g.stats > 0)?;
            print_link_dump(sock, &mut request, listing, &mut out)?;
        }
    }
    out.close_array()
        .and_then(|()| out.finish())
        .map_err(write_error)
}

/// Runs the link dump `request` and prints its links through `listing`, in the dump's
/// order. A dump the kernel flags interrupted is taken again while what it printed is still
/// in the output's buffer; else it is kept with ip's warning. Any other failure is ip's
/// "Dump terminated", after what was printed.
fn print_link_dump(
    sock: &mut Socket,
    request: &mut [u8],
    listing: &mut dyn SinkListing,
    out: &mut Out<Sink<'_>>,
) -> CliResult {
    out.checkpoint();
    let mut waiting = Waiting::default();
    for attempt in 1..=DUMP_ATTEMPTS {
        match print_once(sock, request, listing, &mut waiting, out) {
            Ok(()) => return Ok(()),
            Err(Failure::Write(e)) => return Err(write_error(e)),
            Err(Failure::Dump(NlError::DumpInterrupted)) => {
                if attempt < DUMP_ATTEMPTS && out.rewind() {
                    *listing.cache() = LinkCache::new();
                    waiting.clear();
                    continue;
                }
                // ip keeps the listing, warns, and exits 0.
                out.flush().map_err(write_error)?;
                eprintln!("{}", NlError::DumpInterrupted);
                return Ok(());
            }
            Err(Failure::Dump(e)) => {
                let _ = out.flush();
                return Err(CliError::failed(format!("Dump terminated: {e}")));
            }
        }
    }
    Ok(())
}

/// Why a listing's dump stopped.
enum Failure {
    /// Stdout refused the output.
    Write(io::Error),
    /// The kernel or the socket failed, or the dump was interrupted.
    Dump(NlError),
}

/// One dump: each link printed when it and the links before it are ready, the ones still
/// waiting at the end printed then. An interrupted dump is delivered whole first.
fn print_once(
    sock: &mut Socket,
    request: &mut [u8],
    listing: &mut dyn SinkListing,
    waiting: &mut Waiting,
    out: &mut Out<Sink<'_>>,
) -> Result<(), Failure> {
    let mut write_failed = None;
    let dumped = sock.dump(request, |msg| {
        let Ok(link) = LinkMessage::parse(&msg) else {
            return Ok(());
        };
        if !listing.arrived(&link) {
            return Ok(());
        }
        let printed = if waiting.is_empty() && listing.ready(&link) {
            listing.print(out, &link)
        } else {
            waiting.push(msg.payload());
            waiting.print(listing, out, false)
        };
        printed.map_err(|e| {
            write_failed = Some(e);
            // Stops the replies; the socket still reads the dump to its end.
            NlError::NoReply
        })
    });
    if let Some(e) = write_failed {
        return Err(Failure::Write(e));
    }
    if let Err(e) = dumped.as_ref() {
        if !matches!(e, NlError::DumpInterrupted) {
            return dumped.map_err(Failure::Dump);
        }
    }
    waiting.print(listing, out, true).map_err(Failure::Write)?;
    dumped.map_err(Failure::Dump)
}

/// The links that arrived before the links they name, in the dump's order, in one buffer
/// that is reused.
#[derive(Debug, Default)]
struct Waiting {
    bytes: Vec<u8>,
    spans: VecDeque<(usize, usize)>,
}

impl Waiting {
    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    fn push(&mut self, payload: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(payload);
        self.spans.push_back((start, self.bytes.len()));
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    /// The first link waiting.
    fn front(&self) -> Option<LinkMessage<'_>> {
        let &(start, end) = self.spans.front()?;
        LinkMessage::from_payload(self.bytes.get(start..end)?).ok()
    }

    fn pop(&mut self) {
        self.spans.pop_front();
        if self.spans.is_empty() {
            self.bytes.clear();
        }
    }

    /// Prints the waiting links from the first, up to one that is still not ready, or
    /// every one when `all` (the dump is over: what they name is all there will be).
    fn print(
        &mut self,
        listing: &mut dyn SinkListing,
        out: &mut Out<Sink<'_>>,
        all: bool,
    ) -> io::Result<()> {
        while let Some(link) = self.front() {
            if !all && !listing.ready(&link) {
                break;
            }
            listing.print(out, &link)?;
            self.pop();
        }
        Ok(())
    }
}

/// The users and groups owning tun devices that a listing has looked up so far (`-d`):
/// each new one read from the files once, as links naming it arrive.
#[derive(Debug, Default, Clone)]
pub struct AskedOwners {
    uids: Vec<u32>,
    gids: Vec<u32>,
}

impl AskedOwners {
    /// Looks up `owner` and `group` into `names` if they were not asked for yet.
    pub fn learn(&mut self, (owner, group): (Option<u32>, Option<u32>), names: &mut OwnerNames) {
        let owner = owner.filter(|u| !self.uids.contains(u));
        let group = group.filter(|g| !self.gids.contains(g));
        if owner.is_none() && group.is_none() {
            return;
        }
        self.uids.extend(owner);
        self.gids.extend(group);
        *names = OwnerNames::resolve(&self.uids, &self.gids);
    }
}
