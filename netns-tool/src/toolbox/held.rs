//! Work a batch holds back so the kernel sees it in bulk, with every line's outcome the
//! same as ip's one-at-a-time run:
//!
//! - `-force` request lines (route/address add and delete): ip runs every line whatever
//!   fails, so the requests go many per `sendmsg` and each ACK is matched to its line.
//! - `link delete` lines, with or without `-force`: a run of them is torn down in one
//!   unregistration (one RCU grace period instead of one per device), as `ip link delete
//!   group N` is: the devices are moved to a free group and the group is deleted. The
//!   kernel deletes a group all or nothing; if it refuses, or a device cannot join the
//!   group, every device gets its own group back and the lines run one by one.

use std::ops::Range;

use netlink_core::route::{LinkAttrs, LinkRequest};
use netlink_core::socket::Socket;
use netlink_core::wire::Builder;

use super::error::{kernel_error, CliError, CliResult};
use super::link_dump::for_each_link;

/// Reports a held line that the kernel refused: its line number and ip's error.
pub type FailureReport = dyn FnMut(usize, &CliError);

/// Which batch lines may hold their work back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// Anything else: it runs at once, after what is held.
    Never,
    /// One request and one ACK with nothing printed, held under `-force` only.
    WithForce,
    /// `link delete`: held with or without `-force`.
    Always,
}

/// One held line's work.
enum Work {
    /// Request bytes, a range of the held buffer.
    Request(Range<usize>),
    /// `RTM_DELLINK` of this index.
    DeleteLink(i32),
}

/// What the batch holds.
#[derive(Default)]
pub struct Held {
    hold: Option<Hold>,
    line: usize,
    force: bool,
    bytes: Vec<u8>,
    work: Vec<(usize, Work)>,
    report: Option<Box<FailureReport>>,
    failed: usize,
}

/// Held request bytes beyond this are sent before more are held: about one send window of
/// the socket (its send buffer), since holding more saves no system call and only grows
/// the process.
const HELD_BYTES: usize = 64 * 1024;

/// Group moves built and sent at a time when a run of links is deleted: enough to fill a
/// send window, few enough that a run of thousands does not grow the process.
const MOVES_PER_BATCH: usize = 256;

impl Held {
    /// Turns holding on for a batch; `report` hears of every held line that failed.
    pub fn start(&mut self, force: bool, report: Box<FailureReport>) {
        self.force = force;
        self.report = Some(report);
    }

    /// Starts a line that may hold `hold`.
    pub fn begin_line(&mut self, line: usize, hold: Hold) {
        self.line = line;
        self.hold = self.report.as_ref().map(|_| hold);
    }

    /// Whether the current line may hold a request.
    pub fn may_hold_request(&self) -> bool {
        self.force && matches!(self.hold, Some(Hold::WithForce | Hold::Always))
    }

    /// Whether the current line may hold a link deletion.
    pub fn may_hold_delete(&self) -> bool {
        self.hold == Some(Hold::Always)
    }

    /// Whether the held bytes are at their limit.
    pub fn is_full(&self) -> bool {
        self.bytes.len() >= HELD_BYTES
    }

    /// Holds one request of the current line.
    pub fn push_request(&mut self, request: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(request);
        self.work
            .push((self.line, Work::Request(start..self.bytes.len())));
    }

    /// Holds the current line's deletion of link `index`.
    pub fn push_delete(&mut self, index: i32) {
        self.work.push((self.line, Work::DeleteLink(index)));
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.work.is_empty()
    }

    /// How many held lines failed so far.
    pub fn failures(&self) -> usize {
        self.failed
    }

    /// Runs everything held, in line order, reporting each failed line. Without `-force` the
    /// first failure ends the run (the lines after it are not run) and the batch must stop:
    /// that comes back as an error already reported.
    pub fn run(&mut self, sock: &mut Socket) -> CliResult {
        // Both buffers are given back emptied: a long batch fills them again and again.
        let mut work = std::mem::take(&mut self.work);
        let mut bytes = std::mem::take(&mut self.bytes);
        let mut at = 0;
        let mut stopped = false;
        while let Some((_, first)) = work.get(at) {
            let same_kind = |(_, w): &(usize, Work)| {
                matches!(
                    (first, w),
                    (Work::Request(_), Work::Request(_))
                        | (Work::DeleteLink(_), Work::DeleteLink(_))
                )
            };
            let run_len = work
                .get(at..)
                .map_or(0, |rest| rest.iter().take_while(|w| same_kind(w)).count());
            let run = work.get(at..at + run_len).unwrap_or_default();
            let failures = match first {
                Work::Request(_) => send_requests(sock, &mut bytes, run)?,
                Work::DeleteLink(_) => delete_links(sock, run, self.force)?,
            };
            if !self.report_failures(run, failures) {
                stopped = true;
                break;
            }
            at += run_len;
        }
        work.clear();
        self.work = work;
        bytes.clear();
        self.bytes = bytes;
        if stopped {
            return Err(CliError::exit(1, ""));
        }
        Ok(())
    }

    /// Reports the failures of one run; false when the batch must stop.
    fn report_failures(&mut self, run: &[(usize, Work)], failures: Failures) -> bool {
        for (index, error) in failures {
            let Some((line, _)) = run.get(index) else {
                continue;
            };
            self.failed = self.failed.saturating_add(1);
            if let Some(report) = self.report.as_mut() {
                report(*line, &error);
            }
            if !self.force {
                return false;
            }
        }
        true
    }
}

/// The lines of a run that failed: their index in the run, in order, and the error (most
/// runs have none, and this stays unallocated).
type Failures = Vec<(usize, CliError)>;

/// Sends a run of held requests in as few `sendmsg` calls as the send buffer allows.
fn send_requests(
    sock: &mut Socket,
    bytes: &mut [u8],
    run: &[(usize, Work)],
) -> CliResult<Failures> {
    let range = |w: &Work| match w {
        Work::Request(r) => Some(r.clone()),
        Work::DeleteLink(_) => None,
    };
    let start = run
        .first()
        .and_then(|(_, w)| range(w))
        .map_or(0, |r| r.start);
    let end = run.last().and_then(|(_, w)| range(w)).map_or(0, |r| r.end);
    let mut failures = Failures::new();
    let requests = bytes.get_mut(start..end).unwrap_or_default();
    sock.batch(requests, |index, result| {
        if let Err(e) = result {
            failures.push((index, kernel_error(e)));
        }
    })
    .map_err(kernel_error)?;
    Ok(failures)
}

/// What a deletion run needs to know of a link.
struct Known {
    index: i32,
    group: u32,
    has_kind: bool,
}

/// Deletes a run of links: in one group deletion where the kernel allows it, else one by
/// one (stopping at the first failure without `-force`).
fn delete_links(sock: &mut Socket, run: &[(usize, Work)], force: bool) -> CliResult<Failures> {
    let indexes: Vec<i32> = run
        .iter()
        .filter_map(|(_, w)| match w {
            Work::DeleteLink(i) => Some(*i),
            Work::Request(_) => None,
        })
        .collect();
    if indexes.len() >= 2 {
        let known = dump_known(sock)?;
        let groupable = indexes
            .iter()
            .all(|&i| known_link(&known, i).is_some_and(|k| k.has_kind));
        if groupable && delete_as_group(sock, &indexes, &known)? {
            return Ok(Failures::new());
        }
    }
    let mut failures = Failures::new();
    for (at, index) in indexes.into_iter().enumerate() {
        if let Err(error) = delete_one(sock, index) {
            failures.push((at, error));
            if !force {
                break;
            }
        }
    }
    Ok(failures)
}

/// `RTM_DELLINK` of one link, waiting for its ACK.
pub fn delete_one(sock: &mut Socket, index: i32) -> CliResult {
    let request = LinkRequest {
        index,
        ..LinkRequest::default()
    };
    let mut buf = link_delete_bytes(&request)?;
    sock.request(&mut buf).map_err(kernel_error)
}

/// The `RTM_DELLINK` of a request (one link by index, or a group).
fn link_delete_bytes(request: &LinkRequest) -> CliResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(32);
    request.emit_del(&mut Builder::new(&mut buf))?;
    Ok(buf)
}

/// Every link's index, group and whether it has a kind (only links with one can be deleted),
/// sorted by index.
fn dump_known(sock: &mut Socket) -> CliResult<Vec<Known>> {
    let mut known = Vec::new();
    for_each_link(sock, &mut |link| {
        known.push(Known {
            index: link.index(),
            group: link.group().unwrap_or(0),
            has_kind: link.kind().is_some(),
        });
    })?;
    known.sort_unstable_by_key(|k| k.index);
    Ok(known)
}

/// The link of `index` in the list of [`dump_known`], which is sorted by index: a run
/// deleting thousands of links finds each without going through the whole dump.
fn known_link(known: &[Known], index: i32) -> Option<&Known> {
    let at = known.binary_search_by_key(&index, |k| k.index).ok()?;
    known.get(at)
}

/// Moves `indexes` into a group no link uses and deletes the group. False (with every
/// device back in its own group) when the kernel refused a step.
fn delete_as_group(sock: &mut Socket, indexes: &[i32], known: &[Known]) -> CliResult<bool> {
    // Far from the small numbers people give groups by hand.
    let Some(group) = (0x4e53_4950u32..)
        .take(1024)
        .find(|g| known.iter().all(|k| k.group != *g))
    else {
        return Ok(false);
    };
    let moved = set_groups(sock, &mut indexes.iter().map(|&i| (i, group)))?;
    if moved.len() == indexes.len() {
        let request = LinkRequest {
            attrs: LinkAttrs {
                group: Some(group),
                ..LinkAttrs::default()
            },
            ..LinkRequest::default()
        };
        let mut buf = link_delete_bytes(&request)?;
        if sock.request(&mut buf).is_ok() {
            return Ok(true);
        }
    }
    let original = |index: i32| known_link(known, index).map_or(0, |k| k.group);
    set_groups(sock, &mut moved.iter().map(|&i| (i, original(i))))?;
    Ok(false)
}

/// Sets each (index, group), in batches of [`MOVES_PER_BATCH`]; returns the indexes the
/// kernel moved.
fn set_groups(
    sock: &mut Socket,
    moves: &mut dyn Iterator<Item = (i32, u32)>,
) -> CliResult<Vec<i32>> {
    let mut buf = Vec::new();
    let mut order = Vec::with_capacity(MOVES_PER_BATCH);
    let mut moved = Vec::new();
    let mut moves = moves.peekable();
    while moves.peek().is_some() {
        buf.clear();
        order.clear();
        let mut b = Builder::new(&mut buf);
        for (index, group) in moves.by_ref().take(MOVES_PER_BATCH) {
            let request = LinkRequest {
                index,
                attrs: LinkAttrs {
                    group: Some(group),
                    ..LinkAttrs::default()
                },
                ..LinkRequest::default()
            };
            request.emit_set(&mut b)?;
            order.push(index);
        }
        sock.batch(&mut buf, |i, result| {
            if let (Ok(()), Some(&index)) = (result, order.get(i)) {
                moved.push(index);
            }
        })
        .map_err(kernel_error)?;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_links_are_found_by_index() {
        let known: Vec<Known> = [1, 4, 9]
            .into_iter()
            .map(|index| Known {
                index,
                group: index.unsigned_abs() * 10,
                has_kind: index != 1,
            })
            .collect();
        assert_eq!(known_link(&known, 4).map(|k| k.group), Some(40));
        assert_eq!(known_link(&known, 9).map(|k| k.has_kind), Some(true));
        assert_eq!(known_link(&known, 1).map(|k| k.has_kind), Some(false));
        assert!(known_link(&known, 5).is_none());
        assert!(known_link(&known, -4).is_none());
    }
}
