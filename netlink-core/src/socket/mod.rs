//! The `NETLINK_ROUTE` socket: the only module with system calls.
//!
//! Requests are byte buffers made with [`crate::wire::Builder`]; the socket stamps their
//! sequence numbers, sends them, and walks the replies in its own receive buffer, handing
//! each message to the caller as a borrowed [`Message`]. Nothing is allocated per message.
//! Every entry point is a thin shell over one receive engine, which checks that an answer
//! comes from the kernel, to this socket's port, for one of the requests just sent.

mod engine;
mod errno;
mod error;
mod sys;

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};

use engine::Answers;
pub use errno::{errno_text, io_error_text};
pub use error::{strerror, Error, KernelError};

use crate::wire::Message;
use sys::{
    NETLINK_ADD_MEMBERSHIP, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP, NETLINK_EXT_ACK,
    NETLINK_GET_STRICT_CHK, SOL_NETLINK,
};

/// Receive buffer to start with: the kernel sizes dump datagrams to what the reader asks
/// for, up to 32 KiB, so this takes a full datagram in one call.
const INITIAL_RECV_BUF: usize = 32 * 1024;
/// Send buffer asked for; the kernel doubles it, and refuses a datagram longer than its
/// send buffer less 32 bytes (`EMSGSIZE`).
const SEND_BUF: libc::c_int = 32 * 1024;
const SEND_BUF_RESERVE: usize = 32;

/// A callback that takes each received message.
type MessageSink<'s> = dyn FnMut(Message<'_>) -> Result<(), Error> + 's;

/// Runs `work` (`Send`, as for a scoped thread) on a short-lived thread of its own and
/// waits for it: per-thread state it changes (a namespace entered with `setns`, one made
/// with `unshare`) never reaches the caller's thread. An error when the thread could not
/// start; a panic in `work` stops the process.
pub fn on_new_thread(work: &mut (dyn FnMut() + Send)) -> io::Result<()> {
    sys::run_on_new_thread(work)
}

/// A `NETLINK_ROUTE` socket with extended ACKs and strict dump checking turned on.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    port: u32,
    seq: u32,
    /// The longest datagram the kernel takes from this socket.
    send_limit: usize,
    buf: Vec<u8>,
}

impl Socket {
    /// Opens a socket in the calling thread's network namespace.
    pub fn new() -> Result<Self, Error> {
        let fd = sys::open_route_socket()?;
        let set = |level, name, value| sys::setsockopt_int(fd.as_fd(), level, name, value);
        set(libc::SOL_SOCKET, libc::SO_SNDBUF, SEND_BUF)?;
        set(libc::SOL_SOCKET, libc::SO_RCVBUF, 1024 * 1024)?;
        // Best effort: kernels before 4.12 / 4.20 lack these and still work without them.
        let _ = set(SOL_NETLINK, NETLINK_EXT_ACK, 1);
        let _ = set(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
        // Errors need not echo the whole request back: the extended ACK points into ours.
        let _ = set(SOL_NETLINK, NETLINK_CAP_ACK, 1);
        let send_buf = sys::getsockopt_int(fd.as_fd(), libc::SOL_SOCKET, libc::SO_SNDBUF)?;
        let port = sys::bind_any_port(fd.as_fd())?;
        Ok(Socket {
            fd,
            port,
            seq: initial_seq(),
            send_limit: usize::try_from(send_buf)
                .unwrap_or(0)
                .saturating_sub(SEND_BUF_RESERVE),
            buf: vec![0; INITIAL_RECV_BUF],
        })
    }

    /// Opens a socket inside the network namespace `netns` (an open `/run/netns/NAME` or
    /// `/proc/PID/ns/net`). A short-lived thread enters the namespace and opens the socket;
    /// the socket stays bound to that namespace, and no other thread's namespace changes.
    pub fn new_in(netns: BorrowedFd<'_>) -> Result<Self, Error> {
        let mut opened = None;
        on_new_thread(&mut || {
            opened = Some(
                sys::enter_netns(netns)
                    .map_err(Error::Io)
                    .and_then(|()| Socket::new()),
            );
        })?;
        // The thread ran `work` to its end when it returned at all.
        opened.unwrap_or_else(|| Err(Error::Io(io::ErrorKind::Other.into())))
    }

    /// The port id the kernel gave this socket.
    pub fn port(&self) -> u32 {
        self.port
    }

    /// The longest send the kernel takes from this socket: [`Socket::batch`] never sends
    /// more in one datagram.
    pub fn send_limit(&self) -> usize {
        self.send_limit
    }

    /// Subscribes to a multicast group (`RTNLGRP_*`).
    pub fn join_group(&self, group: u32) -> Result<(), Error> {
        self.set_group(NETLINK_ADD_MEMBERSHIP, group)
    }

    /// Leaves a multicast group.
    pub fn leave_group(&self, group: u32) -> Result<(), Error> {
        self.set_group(NETLINK_DROP_MEMBERSHIP, group)
    }

    fn set_group(&self, option: libc::c_int, group: u32) -> Result<(), Error> {
        let g =
            libc::c_int::try_from(group).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        sys::setsockopt_int(self.fd.as_fd(), SOL_NETLINK, option, g)?;
        Ok(())
    }

    /// Sets the kernel's receive buffer size (for monitors that must not overrun).
    pub fn set_recv_buffer(&self, bytes: usize) -> Result<(), Error> {
        let v = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        sys::setsockopt_int(self.fd.as_fd(), libc::SOL_SOCKET, libc::SO_RCVBUF, v)?;
        Ok(())
    }

    /// Sends one request (or several, in one buffer) and waits for its ACK; an
    /// `NLMSG_ERROR` with an errno becomes [`Error::Kernel`] carrying the extended-ACK text
    /// and offset. Replies that are not the ACK (an `NLM_F_ECHO` copy, say) go to `on_reply`.
    pub fn request_with<F>(&mut self, request: &mut [u8], mut on_reply: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let mut first_error = None;
        let mut done = |_, result: Result<(), Error>| {
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        };
        self.acked(request, &mut on_reply, &mut done)?;
        first_error.map_or(Ok(()), Err)
    }

    /// Sends one request and waits for its ACK.
    pub fn request(&mut self, request: &mut [u8]) -> Result<(), Error> {
        self.request_with(request, |_| Ok(()))
    }

    /// Sends many requests and matches every answer to its request by sequence number:
    /// `done` gets each request's index and outcome, in order. The requests go in windows
    /// of whole messages that fit the send buffer ([`Socket::send_limit`]), each window in
    /// one `sendmsg`, so a batch of any size is sent and the memory the kernel queues for its
    /// answers stays bounded. Whatever their own flags, only the last request of each
    /// window asks for an ACK (the kernel answers the others only when it refuses them, as
    /// it does ip's flush deletes): a request before it that got no error succeeded.
    /// Returns the number of requests that failed. A batch must not hold dumps.
    pub fn batch<F>(&mut self, requests: &mut [u8], mut done: F) -> Result<usize, Error>
    where
        F: FnMut(usize, Result<(), Error>),
    {
        self.batch_dyn(requests, &mut done)
    }

    /// [`Socket::batch`] through one callback object: compiled once, not per caller.
    fn batch_dyn(
        &mut self,
        requests: &mut [u8],
        done: &mut dyn FnMut(usize, Result<(), Error>),
    ) -> Result<usize, Error> {
        let mut failed = 0usize;
        let mut count = |index, result: Result<(), Error>| {
            failed += usize::from(result.is_err());
            done(index, result);
        };
        self.acked(requests, &mut |_| Ok(()), &mut count)?;
        Ok(failed)
    }

    fn acked(
        &mut self,
        requests: &mut [u8],
        on_reply: &mut MessageSink<'_>,
        done: &mut dyn FnMut(usize, Result<(), Error>),
    ) -> Result<(), Error> {
        struct Acked<'a, 'b> {
            on_reply: &'a mut MessageSink<'b>,
            done: &'a mut dyn FnMut(usize, Result<(), Error>),
        }
        impl Answers for Acked<'_, '_> {
            fn reply(&mut self, _: usize, msg: Message<'_>) -> Result<(), Error> {
                (self.on_reply)(msg)
            }
            fn answer(&mut self, index: usize, result: Result<(), KernelError>) {
                (self.done)(index, result.map_err(|e| Error::Kernel(Box::new(e))));
            }
        }
        self.exchange(requests, true, &mut Acked { on_reply, done })?;
        Ok(())
    }

    /// Sends a request that is answered by one message (a `RTM_GET*` without `NLM_F_DUMP`)
    /// and hands that message to `f`.
    pub fn get<F, T>(&mut self, request: &mut [u8], mut f: F) -> Result<T, Error>
    where
        F: FnMut(Message<'_>) -> Result<T, Error>,
    {
        let mut answer = None;
        self.get_dyn(request, &mut |msg| answer = Some(f(msg)))?;
        answer.unwrap_or(Err(Error::NoReply))
    }

    /// [`Socket::get`] through one callback object, which hears of the first reply only:
    /// compiled once, not per caller.
    fn get_dyn(
        &mut self,
        request: &mut [u8],
        first: &mut dyn FnMut(Message<'_>),
    ) -> Result<(), Error> {
        let mut answered = false;
        self.unacked(request, &mut |msg| {
            if !answered {
                answered = true;
                first(msg);
            }
            Ok(())
        })?;
        Ok(())
    }

    /// Sends a dump request and hands every reply message to `f`, until `NLMSG_DONE`.
    /// When the kernel flags the dump `NLM_F_DUMP_INTR` (the objects changed while it was
    /// walking them), the whole dump is still delivered and then [`Error::DumpInterrupted`]
    /// is returned; [`Socket::dump_consistent`] retries instead.
    pub fn dump<F>(&mut self, request: &mut [u8], mut f: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        if self.unacked(request, &mut f)? {
            return Err(Error::DumpInterrupted);
        }
        Ok(())
    }

    /// A request answered by replies and no ACK (a get or a dump): every reply goes to `f`;
    /// the kernel's error, if any, is returned; then `f`'s first error. Ok tells whether
    /// the replies were flagged `NLM_F_DUMP_INTR`.
    fn unacked(&mut self, request: &mut [u8], f: &mut MessageSink<'_>) -> Result<bool, Error> {
        struct Replies<'a, 'b> {
            f: &'a mut MessageSink<'b>,
            error: Option<KernelError>,
        }
        impl Answers for Replies<'_, '_> {
            fn reply(&mut self, _: usize, msg: Message<'_>) -> Result<(), Error> {
                (self.f)(msg)
            }
            fn answer(&mut self, _: usize, result: Result<(), KernelError>) {
                if let Err(e) = result {
                    self.error.get_or_insert(e);
                }
            }
        }
        let mut replies = Replies { f, error: None };
        let outcome = self.exchange(request, false, &mut replies);
        match replies.error {
            Some(e) => Err(Error::Kernel(Box::new(e))),
            None => outcome,
        }
    }

    /// Like [`Socket::dump`], with an outbox: requests `f` pushes to it are sent, asking no
    /// ACK, before the next part of the dump is read, each element in a send of its own. ip's flush deletes what its dump shows
    /// that way, while the dump goes on, so the kernel's dump cursor moves as it does for ip
    /// and the memory held stays that of one datagram. The kernel answers such a request
    /// only when it refuses it; `refused` hears of every refusal. What the last datagram
    /// adds is sent once the dump is done, and waited for.
    pub fn dump_sending<F, R>(&mut self, request: &mut [u8], f: F, refused: R) -> Result<(), Error>
    where
        F: FnMut(Message<'_>, &mut Vec<Vec<u8>>) -> Result<(), Error>,
        R: FnMut(KernelError),
    {
        struct Sending<F, R> {
            f: F,
            refused: R,
            outbox: Vec<Vec<u8>>,
            error: Option<KernelError>,
        }
        impl<F, R> Answers for Sending<F, R>
        where
            F: FnMut(Message<'_>, &mut Vec<Vec<u8>>) -> Result<(), Error>,
            R: FnMut(KernelError),
        {
            fn reply(&mut self, _: usize, msg: Message<'_>) -> Result<(), Error> {
                (self.f)(msg, &mut self.outbox)
            }
            fn answer(&mut self, _: usize, result: Result<(), KernelError>) {
                if let Err(e) = result {
                    self.error.get_or_insert(e);
                }
            }
            fn outbox(&mut self) -> Option<&mut Vec<Vec<u8>>> {
                Some(&mut self.outbox)
            }
            fn refused(&mut self, error: KernelError) {
                (self.refused)(error);
            }
        }
        let mut sending = Sending {
            f,
            refused,
            outbox: Vec::new(),
            error: None,
        };
        let interrupted = self.exchange(request, false, &mut sending);
        if let Some(e) = sending.error {
            return Err(Error::Kernel(Box::new(e)));
        }
        let interrupted = interrupted?;
        // What the dump's last datagram put in the outbox.
        let mut rest = sending.outbox.concat();
        self.batch(&mut rest, |_, result| {
            if let Err(Error::Kernel(e)) = result {
                (sending.refused)(*e);
            }
        })?;
        if interrupted {
            return Err(Error::DumpInterrupted);
        }
        Ok(())
    }

    /// Like [`Socket::dump`], but when the dump was interrupted it calls `restart` (to drop
    /// what was collected) and dumps again, up to `attempts` times in all.
    pub fn dump_consistent<F, R>(
        &mut self,
        request: &mut [u8],
        attempts: usize,
        mut restart: R,
        mut f: F,
    ) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
        R: FnMut(),
    {
        let mut left = attempts.max(1);
        loop {
            match self.dump(request, &mut f) {
                Err(Error::DumpInterrupted) if left > 1 => {
                    left -= 1;
                    restart();
                }
                other => return other,
            }
        }
    }

    /// Blocks for the next datagram (multicast events, on a socket that joined groups) and
    /// hands each of its messages to `f`. Lost events surface as [`Error::Overrun`].
    pub fn recv_messages<F>(&mut self, mut f: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        self.recv_messages_dyn(&mut f)
    }

    fn recv_messages_dyn(&mut self, f: &mut MessageSink<'_>) -> Result<(), Error> {
        let datagram = self.recv()?;
        let bytes = self.buf.get(..datagram.len).unwrap_or(&[]);
        for msg in crate::wire::Messages::new(bytes) {
            f(msg?)?;
        }
        Ok(())
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl AsRawFd for Socket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

/// A starting sequence number that differs between runs, as iproute2's time-based one does,
/// so stale replies to an earlier process on a reused port id are not taken for ours.
fn initial_seq() -> u32 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as u32)
        .unwrap_or(1);
    now.max(1)
}
