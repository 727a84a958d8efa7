//! The netlink session: one socket per process (and per namespace), opened when the first
//! command needs it and shared by every command of a batch; ip's wording for kernel errors;
//! interface name/index lookups; dumps kept whole for listings that join two of them.

use std::io::{self, Write};
use std::ops::Range;

use netlink_core::route::consts::{
    AF_INET6, IFLA_IFNAME, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF,
};
use netlink_core::route::{emit_dump_links, emit_get_link, LinkMessage};
use netlink_core::socket::{Error, Socket};
use netlink_core::wire::{Builder, EncodeError};

use super::args::word_bytes;
pub use super::error::kernel_error;
use super::error::{write_error, CliError, CliResult};
use super::held::{delete_one, FailureReport, Held, Hold};
use super::link_dump::for_each_link;
use super::output::Out;
use super::word::push_word;

/// The process's netlink session.
#[derive(Default)]
pub struct Session {
    socket: Option<Socket>,
    /// The buffer [`Session::request_emitted`] builds requests in, kept from line to line.
    request_buf: Vec<u8>,
    held: Held,
    names: KnownNames,
    in_batch: bool,
    /// The line that ran last may have changed links (see [`Session::begin_line`]).
    links_may_have_changed: bool,
}

/// Name → index answers. Kept only across commands that cannot change links (and link
/// deletions, which update it); in a batch it is one whole dump, so a name it lacks is
/// no device, as the kernel would say. The names sit end to end in one string, so a
/// dump of thousands of links costs two allocations, not one per name.
#[derive(Default)]
struct KnownNames {
    entries: Vec<KnownName>,
    names: String,
    complete: bool,
}

struct KnownName {
    /// Where the name is in [`KnownNames::names`] (32-bit: 20 bytes a link, not 32).
    name: Range<u32>,
    index: i32,
    /// The link whose deletion takes this one with it (a veth's peer, a macvlan's or vlan's
    /// lower device), when it is in this namespace.
    dies_with: Option<i32>,
}

/// Kinds the kernel deletes together with the link their `IFLA_LINK` names.
const DIE_WITH_THEIR_LINK: [&str; 6] = ["veth", "macvlan", "macvtap", "ipvlan", "ipvtap", "vlan"];

impl KnownNames {
    fn clear(&mut self) {
        self.entries.clear();
        self.names.clear();
        self.complete = false;
    }

    fn lookup(&self, name: &str) -> Option<i32> {
        self.entries
            .iter()
            .find(|e| self.names.get(e.name.start as usize..e.name.end as usize) == Some(name))
            .map(|e| e.index)
    }

    /// Adds a name that `write` appends to the names string.
    fn push(&mut self, write: impl FnOnce(&mut String), index: i32, dies_with: Option<i32>) {
        // Past 4 GiB of names (some 200 million links) a name would be unreachable, never
        // another's: its range is then empty at the end.
        let offset = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        let start = offset(self.names.len());
        write(&mut self.names);
        self.entries.push(KnownName {
            name: start..offset(self.names.len()),
            index,
            dies_with,
        });
    }

    fn learn(&mut self, link: &LinkMessage<'_>) {
        let Some(name) = link.attr(IFLA_IFNAME) else {
            return;
        };
        let kind = link.kind().unwrap_or_default();
        let dies_with = link
            .link()
            .filter(|_| link.link_netnsid().is_none() && DIE_WITH_THEIR_LINK.contains(&kind))
            .and_then(|l| i32::try_from(l).ok());
        // Kept as the command line's words are, so a name that is not UTF-8 matches too.
        let write = |names: &mut String| push_word(names, name.c_bytes());
        self.push(write, link.index(), dies_with);
    }

    /// Forgets a deleted link and every link the kernel deletes with it (their names stay
    /// in the string until the cache is cleared: a few bytes a link).
    fn forget(&mut self, index: i32) {
        let mut gone = vec![index];
        while let Some(dead) = gone.pop() {
            self.entries.retain(|e| {
                let dies = e.index == dead || e.dies_with == Some(dead);
                if dies && e.index != dead {
                    gone.push(e.index);
                }
                !dies
            });
        }
    }
}

impl Session {
    /// A session whose socket opens on first use (so `netns list` opens none).
    pub fn new() -> Self {
        Session::default()
    }

    /// The rtnetlink socket, opened as ip does at start-up the first time it is asked for.
    /// Held work goes out first, so whatever the caller does comes after it.
    pub fn socket(&mut self) -> CliResult<&mut Socket> {
        self.send_held()?;
        self.open()
    }

    fn open(&mut self) -> CliResult<&mut Socket> {
        match &mut self.socket {
            Some(sock) => Ok(sock),
            slot => {
                let sock = Socket::new()
                    .map_err(|e| CliError::failed(format!("Cannot open netlink socket: {e}")))?;
                Ok(slot.insert(sock))
            }
        }
    }

    /// Runs a batch from here on: lines may hold work back ([`Hold`]); `report` hears of
    /// every held line that failed, when its outcome is known.
    pub fn start_batch(&mut self, force: bool, report: Box<FailureReport>) {
        self.in_batch = true;
        self.held.start(force, report);
    }

    /// Starts batch line `line`. A line that may change links in ways the name cache
    /// does not follow drops the cache before it runs, and again after: what it looked up
    /// itself may name a link it then renamed, moved or deleted.
    pub fn begin_line(&mut self, line: usize, hold: Hold) {
        self.held.begin_line(line, hold);
        let may_change = hold == Hold::Never;
        if may_change || self.links_may_have_changed {
            self.names.clear();
        }
        self.links_may_have_changed = may_change;
    }

    /// Drops the name cache: the command changed links it does not follow one by one (a
    /// whole group at once).
    pub fn links_changed(&mut self) {
        self.names.clear();
    }

    /// Sends one request and waits for its ACK (ip's error on refusal) — or, in a line that
    /// may hold it, keeps it for the next window and answers `Ok` at once.
    pub fn request(&mut self, request: &mut [u8]) -> CliResult {
        if !self.held.may_hold_request() {
            return self.socket()?.request(request).map_err(kernel_error);
        }
        if self.held.is_full() {
            self.send_held()?;
        }
        self.held.push_request(request);
        Ok(())
    }

    /// Builds a request with `emit` and sends it as [`Session::request`] does, in a buffer
    /// the session keeps (a batch of thousands of lines builds them all in one).
    pub fn request_emitted(
        &mut self,
        emit: impl FnOnce(&mut Builder<'_>) -> Result<usize, EncodeError>,
    ) -> CliResult {
        let mut buf = std::mem::take(&mut self.request_buf);
        buf.clear();
        let sent = emit(&mut Builder::new(&mut buf))
            .map_err(CliError::from)
            .and_then(|_| self.request(&mut buf));
        self.request_buf = buf;
        sent
    }

    /// Deletes link `index` (`ip link delete DEV`), or holds the deletion for a bulk one.
    pub fn delete_link(&mut self, index: i32) -> CliResult {
        if self.held.may_hold_delete() {
            self.held.push_delete(index);
            self.names.forget(index);
            return Ok(());
        }
        self.names.forget(index);
        delete_one(self.socket()?, index)
    }

    /// Runs what is held and reports the lines that failed, in line order. Without
    /// `-force` a failed held line ends the batch (an error already reported).
    pub fn send_held(&mut self) -> CliResult {
        if self.held.is_empty() {
            return Ok(());
        }
        self.open()?;
        match self {
            Session {
                socket: Some(sock),
                held,
                ..
            } => held.run(sock),
            Session { socket: None, .. } => Ok(()),
        }
    }

    /// How many held lines failed so far.
    pub fn held_failures(&self) -> usize {
        self.held.failures()
    }

    /// The index of device `name` (ip's `Cannot find device "NAME"`, exit 1), from the
    /// name cache while it holds.
    pub fn ifindex(&mut self, name: &str) -> CliResult<i32> {
        if let Some(index) = self.names.lookup(name) {
            return Ok(index);
        }
        let missing = || no_device(name);
        if self.names.complete {
            return Err(missing());
        }
        // A run of link deletions answers every name from one dump; anything else asks
        // for the one name.
        if self.in_batch && self.held.may_hold_delete() {
            self.load_names()?;
            return self.names.lookup(name).ok_or_else(missing);
        }
        let index = ifindex(self.socket()?, name)?;
        self.names.push(|names| names.push_str(name), index, None);
        Ok(index)
    }

    fn load_names(&mut self) -> CliResult {
        let mut names = KnownNames::default();
        for_each_link(self.socket()?, &mut |link| names.learn(link))?;
        names.complete = true;
        self.names = names;
        Ok(())
    }
}

/// ip's `Cannot find device "NAME"` (exit 1).
fn no_device(name: &str) -> CliError {
    CliError::failed(format!("Cannot find device \"{name}\""))
}

/// Sends one request and waits for its ACK, mapping a refusal to ip's error.
pub fn request(sock: &mut Socket, buf: &mut [u8]) -> CliResult {
    sock.request(buf).map_err(kernel_error)
}

/// The index of device `name`, or ip's `Cannot find device "NAME"` (exit 1).
pub fn ifindex(sock: &mut Socket, name: &str) -> CliResult<i32> {
    // The device's exact bytes: a word that is not UTF-8 names a device that is not either.
    let bytes = word_bytes(name);
    if bytes.len() >= 16 || bytes.is_empty() {
        return Err(no_device(name));
    }
    let mut buf = Vec::with_capacity(64);
    emit_get_link(
        &mut Builder::new(&mut buf),
        0,
        Some(&bytes),
        RTEXT_FILTER_VF,
    )?;
    sock.get(&mut buf, |msg| Ok(LinkMessage::parse(&msg)?.index()))
        .map_err(|_| no_device(name))
}

/// The payloads of the messages of one dump, kept in one buffer so a listing can look at
/// every link (or address) before printing any, as ip does.
#[derive(Debug, Default)]
pub struct Stored {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Stored {
    /// Keeps one message payload.
    pub fn push(&mut self, payload: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(payload);
        self.spans.push((start, self.bytes.len()));
    }

    /// The payloads, in the order received.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.spans.iter().filter_map(|&(s, e)| self.bytes.get(s..e))
    }

    /// Runs the dump `request` and keeps every reply's payload, as ip's
    /// `rtnl_dump_filter`: a dump the kernel flags interrupted (the objects changed while
    /// it walked them) is taken again, and if it stays inconsistent the last one is kept
    /// with ip's warning on stderr; any other failure is ip's "Dump terminated".
    pub fn dump(sock: &mut Socket, request: &mut [u8]) -> CliResult<Stored> {
        const ATTEMPTS: usize = 3;
        let stored = std::cell::RefCell::new(Stored::default());
        let outcome = sock.dump_consistent(
            request,
            ATTEMPTS,
            || stored.borrow_mut().clear(),
            |msg| {
                stored.borrow_mut().push(msg.payload());
                Ok(())
            },
        );
        match outcome {
            Ok(()) => {}
            Err(Error::DumpInterrupted) => eprintln!("{}", Error::DumpInterrupted),
            Err(e) => return Err(CliError::failed(format!("Dump terminated: {e}"))),
        }
        Ok(stored.into_inner())
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
    }

    /// The number of payloads kept.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether no payload was kept.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The links among the payloads.
    pub fn links(&self) -> impl Iterator<Item = LinkMessage<'_>> {
        self.iter()
            .filter_map(|p| LinkMessage::from_payload(p).ok())
    }
}

/// Dumps every link of `family` (`AF_PACKET` for `ip link`, an IP family for `ip addr`).
pub fn dump_links(sock: &mut Socket, family: u8) -> CliResult<Stored> {
    dump_links_with(sock, family, true)
}

/// [`dump_links`], leaving the counters out unless `stats` (ip's `RTEXT_FILTER_SKIP_STATS`
/// without `-s`: a smaller dump for listings that do not print them).
pub fn dump_links_with(sock: &mut Socket, family: u8, stats: bool) -> CliResult<Stored> {
    Stored::dump(sock, &mut link_dump_request(family, stats)?)
}

/// The request of [`dump_links_with`], for a listing that prints the dump as it comes.
pub fn link_dump_request(family: u8, stats: bool) -> CliResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(64);
    // The IPv6 link dump takes no attributes under strict checking.
    let ext_mask = match (family, stats) {
        (AF_INET6, _) => 0,
        (_, true) => RTEXT_FILTER_VF,
        (_, false) => RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS,
    };
    emit_dump_links(&mut Builder::new(&mut buf), family, ext_mask)?;
    Ok(buf)
}

/// One link by index (ip's `RTM_GETLINK` for `ip addr show dev X`: the whole message
/// whatever the family filter), counters left out unless `stats`.
pub fn get_link(sock: &mut Socket, index: u32, stats: bool) -> CliResult<Stored> {
    let ext_mask = if stats {
        RTEXT_FILTER_VF
    } else {
        RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS
    };
    let index = i32::try_from(index).map_err(|_| CliError::failed("Cannot send link request"))?;
    let mut buf = Vec::with_capacity(64);
    emit_get_link(&mut Builder::new(&mut buf), index, None, ext_mask)?;
    let mut stored = Stored::default();
    sock.get(&mut buf, |msg| {
        stored.push(msg.payload());
        Ok(())
    })
    .map_err(kernel_error)?;
    Ok(stored)
}

/// Ends a listing printed as its dump came, in ip's order: a refused write first (ip
/// stops writing at once), then the dump's own failure (after what was printed), else the
/// listing's close.
pub fn end_listing<W: Write>(
    out: &mut Out<W>,
    write_failed: Option<io::Error>,
    dumped: Result<(), Error>,
    dump_failed: impl FnOnce(Error) -> CliError,
) -> CliResult {
    if let Some(e) = write_failed {
        return Err(write_error(e));
    }
    if let Err(e) = dumped {
        let _ = out.flush();
        return Err(dump_failed(e));
    }
    out.close_array()
        .and_then(|()| out.finish())
        .map_err(write_error)
}
