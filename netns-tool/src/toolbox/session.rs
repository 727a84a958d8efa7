//! The netlink session: one socket per process (and per namespace), opened when the first
//! command needs it and shared by every command of a batch; ip's wording for kernel errors;
//! interface name/index lookups; dumps kept whole for listings that join two of them.

use netlink_core::route::consts::{AF_INET6, RTEXT_FILTER_SKIP_STATS, RTEXT_FILTER_VF};
use netlink_core::route::{emit_dump_links, emit_get_link, LinkMessage};
use netlink_core::socket::{Error, Socket};
use netlink_core::wire::Builder;

use super::error::{CliError, CliResult};

/// The process's netlink session.
#[derive(Default)]
pub struct Session {
    socket: Option<Socket>,
    held: Held,
    /// Name → index answers, kept only across commands that cannot change links.
    indexes: Vec<(String, i32)>,
}

/// Requests of a `-force` batch held back to go many per `sendmsg`: ip runs every line of
/// such a batch whatever fails, so sending a line before the previous one's ACK changes
/// nothing but the time; each ACK is matched back to its line and reported in line order.
#[derive(Default)]
struct Held {
    /// The line now running may hold its request back (the dispatcher decides).
    allowed: bool,
    line: usize,
    requests: Vec<u8>,
    lines: Vec<usize>,
    report: Option<Box<FailureReport>>,
    failed: usize,
}

/// Reports a held line that the kernel refused: its line number and ip's error.
pub type FailureReport = dyn FnMut(usize, &CliError);

/// Held requests beyond this many bytes are sent before more are held.
const HELD_BYTES: usize = 256 * 1024;

impl Session {
    /// A session whose socket opens on first use (so `netns list` opens none).
    pub fn new() -> Self {
        Session::default()
    }

    /// The rtnetlink socket, opened as ip does at start-up the first time it is asked for.
    /// Held requests go out first, so whatever the caller does comes after them.
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

    /// Lets the commands of a batch hold requests back; `report` hears of every held line
    /// that failed, when its ACK comes.
    pub fn hold_requests(&mut self, report: Box<FailureReport>) {
        self.held.report = Some(report);
    }

    /// Starts batch line `line`; `may_hold` when the command is one request, one ACK and no
    /// output (its failure then only needs reporting). Any other command may change links,
    /// so the name cache is dropped before it runs.
    pub fn begin_line(&mut self, line: usize, may_hold: bool) {
        self.held.line = line;
        self.held.allowed = may_hold && self.held.report.is_some();
        if !may_hold {
            self.indexes.clear();
        }
    }

    /// Sends one request and waits for its ACK (ip's error on refusal) — or, in a line that
    /// may hold it, keeps it for the next window and answers `Ok` at once.
    pub fn request(&mut self, request: &[u8]) -> CliResult {
        if !self.held.allowed {
            let mut owned = request.to_vec();
            return self.socket()?.request(&mut owned).map_err(kernel_error);
        }
        if self.held.requests.len().saturating_add(request.len()) > HELD_BYTES {
            self.send_held()?;
        }
        self.held.requests.extend_from_slice(request);
        self.held.lines.push(self.held.line);
        Ok(())
    }

    /// Sends the held requests and reports the lines the kernel refused, in line order.
    pub fn send_held(&mut self) -> CliResult {
        if self.held.lines.is_empty() {
            return Ok(());
        }
        let mut requests = std::mem::take(&mut self.held.requests);
        let lines = std::mem::take(&mut self.held.lines);
        let mut refused: Vec<(usize, CliError)> = Vec::new();
        let sent = self.open()?.batch(&mut requests, |index, result| {
            if let Err(e) = result {
                let line = lines.get(index).copied().unwrap_or_default();
                refused.push((line, kernel_error(e)));
            }
        });
        // Keep the buffer for the next window.
        requests.clear();
        self.held.requests = requests;
        sent.map_err(kernel_error)?;
        self.held.failed = self.held.failed.saturating_add(refused.len());
        if let Some(report) = self.held.report.as_mut() {
            for (line, error) in &refused {
                report(*line, error);
            }
        }
        Ok(())
    }

    /// How many held lines the kernel refused so far.
    pub fn held_failures(&self) -> usize {
        self.held.failed
    }

    /// The index of device `name` (ip's `Cannot find device "NAME"`, exit 1), answered from
    /// the cache while only commands that cannot change links have run.
    pub fn ifindex(&mut self, name: &str) -> CliResult<i32> {
        if let Some(&(_, index)) = self.indexes.iter().find(|(n, _)| n == name) {
            return Ok(index);
        }
        let index = ifindex(self.socket()?, name)?;
        self.indexes.push((name.to_owned(), index));
        Ok(index)
    }
}

/// A kernel refusal in ip's words and exit status 2: `Error: TEXT.` when the kernel gave an
/// extended-ACK message, else `RTNETLINK answers: STRERROR`.
pub fn kernel_error(e: Error) -> CliError {
    match e {
        Error::Kernel(k) => match &k.message {
            Some(m) => {
                let dot = if m.ends_with('.') { "" } else { "." };
                CliError::failed_with(2, format!("Error: {m}{dot}"))
            }
            None => CliError::failed_with(2, format!("RTNETLINK answers: {}", k.strerror())),
        },
        Error::DumpInterrupted => CliError::failed_with(2, e.to_string()),
        other => CliError::failed_with(2, format!("Error: {other}")),
    }
}

/// Sends one request and waits for its ACK, mapping a refusal to ip's error.
pub fn request(sock: &mut Socket, buf: &mut [u8]) -> CliResult {
    sock.request(buf).map_err(kernel_error)
}

/// The index of device `name`, or ip's `Cannot find device "NAME"` (exit 1).
pub fn ifindex(sock: &mut Socket, name: &str) -> CliResult<i32> {
    if name.len() >= 16 || name.is_empty() {
        return Err(CliError::failed(format!("Cannot find device \"{name}\"")));
    }
    let mut buf = Vec::with_capacity(64);
    emit_get_link(&mut Builder::new(&mut buf), 0, Some(name), RTEXT_FILTER_VF)
        .map_err(|e| CliError::failed(e.to_string()))?;
    sock.get(&mut buf, |msg| Ok(LinkMessage::parse(&msg)?.index()))
        .map_err(|_| CliError::failed(format!("Cannot find device \"{name}\"")))
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
    let mut buf = Vec::with_capacity(64);
    // The IPv6 link dump takes no attributes under strict checking.
    let ext_mask = match (family, stats) {
        (AF_INET6, _) => 0,
        (_, true) => RTEXT_FILTER_VF,
        (_, false) => RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS,
    };
    emit_dump_links(&mut Builder::new(&mut buf), family, ext_mask)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Stored::dump(sock, &mut buf)
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
    emit_get_link(&mut Builder::new(&mut buf), index, None, ext_mask)
        .map_err(|e| CliError::failed(e.to_string()))?;
    let mut stored = Stored::default();
    sock.get(&mut buf, |msg| {
        stored.push(msg.payload());
        Ok(())
    })
    .map_err(kernel_error)?;
    Ok(stored)
}
