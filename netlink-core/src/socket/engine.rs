//! The one receive engine. Every request, batch and dump goes through [`Socket::exchange`]:
//! it sends the requests in windows that fit the send buffer, and walks the kernel's answers
//! in one place, where the sender, the port id and the sequence number are checked and
//! `NLMSG_ERROR` (ACK or errno with its extended ACK), `NLMSG_DONE` (with its errno and
//! extended ACK) and `NLM_F_DUMP_INTR` are read.

use std::os::fd::AsFd;

use super::{sys, Error, KernelError, Socket};
use crate::wire::{
    align, for_each_header_mut, Message, Messages, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLM_F_ACK,
    NLM_F_DUMP_INTR, NLM_F_MULTI,
};

/// The most requests sent in one window. The kernel queues an ACK for each, and an ACK costs
/// the receive buffer about a kilobyte (its socket buffer's true size), whatever its length;
/// a full receive buffer drops answers. 256 stays far below the buffer the socket asks for.
pub(super) const WINDOW_MESSAGES: usize = 256;

/// What a caller does with the kernel's answers to the requests of one exchange.
pub(super) trait Answers {
    /// A message for request `index` that is not its final word: a reply, one part of a
    /// dump, an `NLM_F_ECHO` copy. An error stops further replies; the exchange still
    /// reads every answer (so the socket stays in step) and then returns it.
    fn reply(&mut self, index: usize, msg: Message<'_>) -> Result<(), Error>;
    /// The final word on request `index`: its ACK or error, its dump's `NLMSG_DONE`, or the
    /// single-part reply of a request that asked no ACK.
    fn answer(&mut self, index: usize, result: Result<(), KernelError>);
    /// Requests to send, asking no ACK, before the next datagram is read (ip's flush
    /// deletes what a dump shows while the dump goes on), each element in its own send; the
    /// engine sends and empties it.
    fn outbox(&mut self) -> Option<&mut Vec<Vec<u8>>> {
        None
    }
    /// The kernel's refusal of a request sent from [`Answers::outbox`] (it answers those
    /// only when it refuses one).
    fn refused(&mut self, _error: KernelError) {}
}

/// The requests sent from an [`Answers::outbox`] during one window: `count` of them,
/// numbered from `first`.
#[derive(Default)]
struct Outbox {
    first: u32,
    count: u32,
}

impl Outbox {
    fn holds(&self, msg: &Message<'_>, port: u32) -> bool {
        msg.pid() == port && msg.seq().wrapping_sub(self.first) < self.count
    }
}

/// The requests of one window: `count` of them, numbered from `first`, the first being
/// request `base` of the whole exchange.
struct Window {
    first: u32,
    count: usize,
    base: usize,
    acked: bool,
}

impl Window {
    /// Which request of this window `msg` answers, if it answers one of ours at all.
    fn index_of(&self, msg: &Message<'_>, port: u32) -> Option<usize> {
        if msg.pid() != port {
            return None;
        }
        let index = msg.seq().wrapping_sub(self.first) as usize;
        (index < self.count).then_some(index)
    }
}

/// How far the answers to a window have come.
#[derive(Default)]
struct Progress {
    /// Requests of the window answered (answers come in request order).
    answered: usize,
    interrupted: bool,
    reply_error: Option<Error>,
}

impl Progress {
    fn take(
        &mut self,
        window: &Window,
        index: usize,
        msg: Message<'_>,
        answers: &mut dyn Answers,
    ) -> Result<(), Error> {
        if index < self.answered {
            // After a request's final word (a stray ACK the caller asked for itself).
            return Ok(());
        }
        if msg.flags() & NLM_F_DUMP_INTR != 0 {
            self.interrupted = true;
        }
        let request = window.base.saturating_add(index);
        let result = match msg.ty() {
            NLMSG_NOOP => return Ok(()),
            NLMSG_ERROR => {
                let err = msg.error().ok_or(Error::NoReply)??;
                match err.errno() {
                    0 => Ok(()),
                    errno => Err(KernelError::new(errno, &err.ext(), request)),
                }
            }
            NLMSG_DONE => {
                let done = msg.done().ok_or(Error::NoReply)?;
                match done.errno() {
                    0 => Ok(()),
                    errno => Err(KernelError::new(errno, &done.ext_ack(), request)),
                }
            }
            _ => {
                if self.reply_error.is_none() {
                    self.reply_error = answers.reply(request, msg).err();
                }
                // Without an ACK to wait for, a single-part reply is the final word.
                let single_part = msg.flags() & NLM_F_MULTI == 0;
                if window.acked || !single_part {
                    return Ok(());
                }
                Ok(())
            }
        };
        // The kernel handles a window's requests in order, and a request without NLM_F_ACK
        // is answered only when it fails: those before this one that got no answer passed.
        for passed in self.answered..index {
            answers.answer(window.base.saturating_add(passed), Ok(()));
        }
        answers.answer(request, result);
        self.answered = index + 1;
        Ok(())
    }
}

/// The length and message count of the first window of `requests`: as many whole messages
/// as fit in `limit` bytes, at most [`WINDOW_MESSAGES`], and always at least one (a message
/// over the limit goes alone, and the kernel's refusal says why).
fn first_window(requests: &[u8], limit: usize) -> Result<(usize, usize), Error> {
    let mut len = 0usize;
    let mut count = 0usize;
    for msg in Messages::new(requests) {
        let msg_len = msg?.header().len.get() as usize;
        let end = len
            .saturating_add(align(msg_len).unwrap_or(usize::MAX))
            .min(requests.len());
        if count > 0 && (end > limit || count == WINDOW_MESSAGES) {
            break;
        }
        len = end;
        count += 1;
    }
    Ok((len, count))
}

impl Socket {
    /// Sends `requests` (one or many messages) window by window and hands every answer to
    /// `answers`. With `force_ack` the last request of each window asks for an ACK, so every
    /// request gets one final word. Returns whether any reply was flagged `NLM_F_DUMP_INTR`.
    pub(super) fn exchange(
        &mut self,
        requests: &mut [u8],
        force_ack: bool,
        answers: &mut dyn Answers,
    ) -> Result<bool, Error> {
        let mut interrupted = false;
        let mut rest = requests;
        let mut base = 0usize;
        while let Some((first, count)) = self.send_window(&mut rest, force_ack)? {
            let window = Window {
                first,
                count,
                base,
                acked: force_ack,
            };
            interrupted |= self.converse(&window, answers)?;
            base = base.saturating_add(count);
        }
        Ok(interrupted)
    }

    /// Cuts the first window ([`first_window`]) off `rest`, stamps it ([`Socket::stamp`])
    /// and sends it: its first sequence number and its count of messages, or None when
    /// nothing is left.
    fn send_window(
        &mut self,
        rest: &mut &mut [u8],
        ack_last: bool,
    ) -> Result<Option<(u32, usize)>, Error> {
        if rest.is_empty() {
            return Ok(None);
        }
        let (len, count) = first_window(rest, self.send_limit)?;
        let Some((window, after)) = std::mem::take(rest).split_at_mut_checked(len) else {
            return Ok(None);
        };
        let first = self.stamp(window, count, ack_last)?;
        sys::send_to_kernel(self.fd.as_fd(), window)?;
        *rest = after;
        Ok(Some((first, count)))
    }

    /// Stamps consecutive sequence numbers on the `count` messages of `window` and returns
    /// the first. With `ack_last`, the last one asks for an ACK and the others do not: the
    /// kernel answers in order, so once the last is answered every request before it has
    /// been too (those without an ACK only if they failed, with the same error and extended
    /// ACK an ACK would carry), and a window costs one ACK, not one per request: one
    /// datagram to queue and receive instead of hundreds.
    fn stamp(&mut self, window: &mut [u8], count: usize, ack_last: bool) -> Result<u32, Error> {
        let first = self.seq;
        let mut seq = first;
        let mut at = 0usize;
        for_each_header_mut(window, |header| {
            header.seq.set(seq);
            header.pid.set(0);
            at += 1;
            if ack_last {
                let flags = header.flags.get();
                header.flags.set(if at == count {
                    flags | NLM_F_ACK
                } else {
                    flags & !NLM_F_ACK
                });
            }
            seq = seq.wrapping_add(1);
        })?;
        self.seq = seq;
        Ok(first)
    }

    /// Receives until every request of `window` has had its final word.
    fn converse(&mut self, window: &Window, answers: &mut dyn Answers) -> Result<bool, Error> {
        let mut progress = Progress::default();
        let mut sent = Outbox::default();
        while progress.answered < window.count {
            // Multicast datagrams are not skipped: the kernel sends an NLM_F_ECHO copy as
            // its group's notification; our port and sequence number pick it out.
            let datagram = self.recv()?;
            let bytes = self.buf.get(..datagram.len).unwrap_or(&[]);
            for msg in Messages::new(bytes) {
                let msg = msg?;
                if let Some(index) = window.index_of(&msg, self.port) {
                    progress.take(window, index, msg, answers)?;
                } else if let Some(err) = msg.error().filter(|_| sent.holds(&msg, self.port)) {
                    let err = err?;
                    if err.errno() != 0 {
                        answers.refused(KernelError::new(err.errno(), &err.ext(), 0));
                    }
                }
            }
            if progress.answered < window.count {
                self.send_outbox(answers, &mut sent)?;
            }
        }
        match progress.reply_error {
            Some(e) => Err(e),
            None => Ok(progress.interrupted),
        }
    }

    /// Sends what the caller put in its outbox, unacknowledged, each element in its own
    /// send (split further only if it exceeds the send buffer), and widens `sent` to their
    /// sequence numbers. After each send the receive queue is peeked at, as ip does, which
    /// has the kernel build the dump's next part then: the dump walks the list as it
    /// stands after each send, as it does for ip.
    fn send_outbox(&mut self, answers: &mut dyn Answers, sent: &mut Outbox) -> Result<(), Error> {
        let Some(outbox) = answers.outbox() else {
            return Ok(());
        };
        for chunk in outbox.iter_mut() {
            let mut rest = chunk.as_mut_slice();
            while let Some((first, count)) = self.send_window(&mut rest, false)? {
                if sent.count == 0 {
                    sent.first = first;
                }
                let count = u32::try_from(count).unwrap_or(u32::MAX);
                sent.count = sent.count.saturating_add(count);
                sys::peek_now(self.fd.as_fd())?;
            }
        }
        outbox.clear();
        Ok(())
    }

    /// Receives one datagram the kernel sent into the socket's buffer.
    pub(super) fn recv(&mut self) -> Result<sys::Datagram, Error> {
        sys::recv_from_kernel(self.fd.as_fd(), &mut self.buf).map_err(|e| {
            if e.raw_os_error() == Some(libc::ENOBUFS) {
                Error::Overrun
            } else {
                Error::Io(e)
            }
        })
    }
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
