//! The `NETLINK_ROUTE` socket: the only module with system calls.
//!
//! Requests are byte buffers made with [`crate::wire::Builder`]; the socket stamps their
//! sequence numbers, sends them, and walks the replies in its own receive buffer, handing
//! each message to the caller as a borrowed [`Message`]. Nothing is allocated per message.

use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use crate::route::consts::{NLM_F_ACK, NLM_F_DUMP_INTR, NLM_F_MULTI};
use crate::wire::{DecodeError, EncodeError, Message, Messages, NLMSG_DONE, NLMSG_ERROR};

const SOL_NETLINK: libc::c_int = 270;
const NETLINK_ADD_MEMBERSHIP: libc::c_int = 1;
const NETLINK_DROP_MEMBERSHIP: libc::c_int = 2;
const NETLINK_CAP_ACK: libc::c_int = 10;
const NETLINK_EXT_ACK: libc::c_int = 11;
const NETLINK_GET_STRICT_CHK: libc::c_int = 12;

/// Receive buffer to start with: the kernel sizes dump datagrams to what the reader asks
/// for, up to 32 KiB, so this takes a full datagram in one call.
const INITIAL_RECV_BUF: usize = 32 * 1024;

/// An error the kernel sent back in `NLMSG_ERROR`, with its extended ACK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// The positive errno.
    pub errno: i32,
    /// `NLMSGERR_ATTR_MSG`: the kernel's own explanation, when it gave one.
    pub message: Option<String>,
    /// `NLMSGERR_ATTR_OFFS`: byte offset of the offending attribute in the request.
    pub offset: Option<u32>,
    /// `NLMSGERR_ATTR_MISS_TYPE`: the attribute the kernel needed and did not get.
    pub missing_type: Option<u32>,
    /// Index of the request in its batch (0 for a single request).
    pub request_index: usize,
}

impl KernelError {
    /// The errno's text as `strerror` gives it ("File exists").
    pub fn strerror(&self) -> String {
        strerror(self.errno)
    }
}

/// `strerror(errno)` without Rust's " (os error N)" suffix, as `ip` prints it.
pub fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 128];
    // SAFETY: the buffer is valid for its length. The libc crate binds the XSI variant
    // (`__xpg_strerror_r` on glibc, the only one on musl): it writes a NUL-terminated text
    // into `buf` and returns 0, or returns an error and leaves `buf` as it was (all NULs).
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {errno}");
    }
    // SAFETY: `buf` ends in a NUL whatever was written: it was zeroed and strerror_r
    // truncates to `buf.len() - 1` characters.
    let text = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    let s = text.to_string_lossy();
    if s.is_empty() {
        format!("Unknown error {errno}")
    } else {
        s.into_owned()
    }
}

/// What can go wrong talking to the kernel.
#[derive(Debug)]
pub enum Error {
    /// A system call failed.
    Io(io::Error),
    /// The kernel refused the request.
    Kernel(KernelError),
    /// The kernel's reply could not be decoded.
    Decode(DecodeError),
    /// A request could not be encoded.
    Encode(EncodeError),
    /// A dump was interrupted by a concurrent change (`NLM_F_DUMP_INTR`): what was
    /// delivered may be inconsistent.
    DumpInterrupted,
    /// Multicast messages were lost because the receive buffer overflowed (`ENOBUFS`).
    Overrun,
}

impl Error {
    /// The errno behind this error, if there is one.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Io(e) => e.raw_os_error(),
            Error::Kernel(k) => Some(k.errno),
            Error::Overrun => Some(libc::ENOBUFS),
            _ => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(e) => write!(f, "{e}"),
            Error::Kernel(k) => match &k.message {
                Some(m) => write!(f, "{m}"),
                None => write!(f, "{}", k.strerror()),
            },
            Error::Decode(e) => write!(f, "malformed netlink reply: {e}"),
            Error::Encode(e) => write!(f, "cannot encode request: {e}"),
            Error::DumpInterrupted => f.write_str("Dump was interrupted and may be inconsistent."),
            Error::Overrun => f.write_str("netlink receive buffer overrun: events were lost"),
        }
    }
}

impl std::error::Error for Error {}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Io(e)
    }
}
impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}
impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Self {
        Error::Encode(e)
    }
}

/// A callback that takes each received message.
type MessageSink<'s> = dyn FnMut(Message<'_>) -> Result<(), Error> + 's;

/// A `NETLINK_ROUTE` socket with extended ACKs and strict dump checking turned on.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    port: u32,
    seq: u32,
    buf: Vec<u8>,
}

fn cvt(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn cvt_size(rc: libc::ssize_t) -> io::Result<usize> {
    usize::try_from(rc).map_err(|_| io::Error::last_os_error())
}

impl Socket {
    /// Opens a socket in the calling thread's network namespace.
    pub fn new() -> Result<Self, Error> {
        // SAFETY: plain socket(2); the returned fd is owned below.
        let raw = cvt(unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        })?;
        // SAFETY: raw is a fresh, valid descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let mut sock = Socket {
            fd,
            port: 0,
            seq: initial_seq(),
            buf: vec![0; INITIAL_RECV_BUF],
        };
        sock.setsockopt_int(libc::SOL_SOCKET, libc::SO_SNDBUF, 32 * 1024)?;
        sock.setsockopt_int(libc::SOL_SOCKET, libc::SO_RCVBUF, 1024 * 1024)?;
        // Best effort: kernels before 4.12 / 4.20 lack these and still work without them.
        let _ = sock.setsockopt_int(SOL_NETLINK, NETLINK_EXT_ACK, 1);
        let _ = sock.setsockopt_int(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
        // Errors need not echo the whole request back: the extended ACK points into ours.
        let _ = sock.setsockopt_int(SOL_NETLINK, NETLINK_CAP_ACK, 1);
        sock.bind()?;
        Ok(sock)
    }

    /// Opens a socket inside the network namespace `netns` (an open `/run/netns/NAME` or
    /// `/proc/PID/ns/net`). A short-lived thread enters the namespace and opens the socket;
    /// the socket stays bound to that namespace, and no other thread's namespace changes.
    pub fn new_in(netns: BorrowedFd<'_>) -> Result<Self, Error> {
        let raw = netns.as_raw_fd();
        std::thread::scope(|s| {
            s.spawn(move || {
                // SAFETY: setns on this thread only; raw stays open for the scope's
                // duration because the caller's BorrowedFd outlives it.
                cvt(unsafe { libc::setns(raw, libc::CLONE_NEWNET) })?;
                Socket::new()
            })
            .join()
            .unwrap_or_else(|_| Err(Error::Io(io::Error::other("namespace thread panicked"))))
        })
    }

    fn setsockopt_int(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: libc::c_int,
    ) -> io::Result<()> {
        // SAFETY: value lives across the call and its size is passed.
        cvt(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                (&value as *const libc::c_int).cast(),
                size_of::<libc::c_int>() as libc::socklen_t,
            )
        })?;
        Ok(())
    }

    fn bind(&mut self) -> io::Result<()> {
        // SAFETY: sockaddr_nl is plain data; all-zero is a valid "any port" address.
        let mut addr: libc::sockaddr_nl = unsafe { zeroed() };
        addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        let mut len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: addr and len are valid for the sizes given.
        cvt(unsafe {
            libc::bind(
                self.fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_nl).cast(),
                len,
            )
        })?;
        // SAFETY: as above; the kernel writes at most len bytes.
        cvt(unsafe {
            libc::getsockname(
                self.fd.as_raw_fd(),
                (&mut addr as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        })?;
        self.port = addr.nl_pid;
        Ok(())
    }

    /// The port id the kernel gave this socket.
    pub fn port(&self) -> u32 {
        self.port
    }

    /// Subscribes to a multicast group (`RTNLGRP_*`).
    pub fn join_group(&self, group: u32) -> Result<(), Error> {
        let g =
            libc::c_int::try_from(group).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        self.setsockopt_int(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g)?;
        Ok(())
    }

    /// Leaves a multicast group.
    pub fn leave_group(&self, group: u32) -> Result<(), Error> {
        let g =
            libc::c_int::try_from(group).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        self.setsockopt_int(SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, g)?;
        Ok(())
    }

    /// Sets the kernel's receive buffer size (for monitors that must not overrun).
    pub fn set_recv_buffer(&self, bytes: usize) -> Result<(), Error> {
        let v = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        self.setsockopt_int(libc::SOL_SOCKET, libc::SO_RCVBUF, v)?;
        Ok(())
    }

    /// Stamps consecutive sequence numbers on every message in `requests` and returns the
    /// first. Requests are built with any seq; the socket owns numbering.
    fn stamp(&mut self, requests: &mut [u8], force_ack: bool) -> Result<(u32, usize), Error> {
        let first = self.seq;
        let mut count = 0usize;
        let mut at = 0usize;
        while at < requests.len() {
            let len = {
                let msg = Message::parse(requests.get(at..).unwrap_or(&[]))?;
                msg.header().len.get() as usize
            };
            let seq = first.wrapping_add(count as u32);
            if let Some(field) = requests.get_mut(at + 8..at + 12) {
                field.copy_from_slice(&seq.to_ne_bytes());
            }
            if force_ack {
                if let Some(field) = requests.get_mut(at + 6..at + 8) {
                    let flags = u16::from_ne_bytes([field[0], field[1]]) | NLM_F_ACK;
                    field.copy_from_slice(&flags.to_ne_bytes());
                }
            }
            count += 1;
            at = at.saturating_add(crate::wire::align(len).unwrap_or(usize::MAX));
        }
        self.seq = first.wrapping_add(count as u32);
        Ok((first, count))
    }

    fn send(&self, bytes: &[u8]) -> Result<(), Error> {
        // SAFETY: sockaddr_nl is plain data; zero is the kernel's address.
        let mut to: libc::sockaddr_nl = unsafe { zeroed() };
        to.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        loop {
            // SAFETY: bytes and to are valid for the lengths given.
            let rc = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    0,
                    (&to as *const libc::sockaddr_nl).cast(),
                    size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            match cvt_size(rc) {
                Ok(_) => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Receives one datagram into the socket's buffer, growing it first when the next
    /// datagram is larger (peeked without copying), so no message is ever truncated.
    fn recv(&mut self) -> Result<usize, Error> {
        loop {
            let mut probe = [0u8; 0];
            let mut iov = libc::iovec {
                iov_base: probe.as_mut_ptr().cast(),
                iov_len: 0,
            };
            // SAFETY: msghdr is plain data; the zero-length iovec is valid.
            let mut hdr: libc::msghdr = unsafe { zeroed() };
            hdr.msg_iov = &mut iov;
            hdr.msg_iovlen = 1;
            // SAFETY: hdr points at valid (empty) buffers; MSG_PEEK leaves the datagram queued.
            let rc = unsafe {
                libc::recvmsg(
                    self.fd.as_raw_fd(),
                    &mut hdr,
                    libc::MSG_PEEK | libc::MSG_TRUNC,
                )
            };
            let want = match cvt_size(rc) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => return Err(Error::Overrun),
                Err(e) => return Err(e.into()),
            };
            if want > self.buf.len() {
                self.buf.resize(want, 0);
            }
            // SAFETY: buf is valid for its length; the kernel writes at most that much.
            let rc = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    self.buf.as_mut_ptr().cast(),
                    self.buf.len(),
                    0,
                )
            };
            match cvt_size(rc) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => return Err(Error::Overrun),
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Sends one request and waits for its ACK; an `NLMSG_ERROR` with an errno becomes
    /// [`Error::Kernel`] carrying the extended-ACK text and offset. Replies that are not
    /// the ACK (an `NLM_F_ECHO` copy, say) go to `on_reply`.
    pub fn request_with<F>(&mut self, request: &mut [u8], mut on_reply: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        let (seq, count) = self.stamp(request, true)?;
        self.send(request)?;
        self.collect_acks(seq, count, &mut |_, r| r, &mut on_reply)
    }

    /// Sends one request and waits for its ACK.
    pub fn request(&mut self, request: &mut [u8]) -> Result<(), Error> {
        self.request_with(request, |_| Ok(()))
    }

    /// Sends a request that is answered by one message (a `RTM_GET*` without `NLM_F_DUMP`)
    /// and hands that message to `f`.
    pub fn get<F, T>(&mut self, request: &mut [u8], mut f: F) -> Result<T, Error>
    where
        F: FnMut(Message<'_>) -> Result<T, Error>,
    {
        let mut answer = None;
        self.get_dyn(request, &mut |msg| {
            answer = Some(f(msg));
            Ok(())
        })?;
        answer.unwrap_or_else(|| Err(Error::Io(io::Error::from(io::ErrorKind::UnexpectedEof))))
    }

    // The generic entry points are thin shells over these `dyn` bodies, so each caller's
    // closure does not stamp out another copy of the receive loops (binary size).
    fn get_dyn(&mut self, request: &mut [u8], f: &mut MessageSink<'_>) -> Result<(), Error> {
        let (seq, _) = self.stamp(request, false)?;
        self.send(request)?;
        loop {
            let n = self.recv()?;
            let datagram = self.buf.get(..n).unwrap_or(&[]);
            for msg in Messages::new(datagram) {
                let msg = msg?;
                if msg.seq() != seq {
                    continue;
                }
                if let Some(err) = msg.error() {
                    let err = err?;
                    if !err.is_ack() {
                        return Err(Error::Kernel(kernel_error(&err, 0)));
                    }
                    continue;
                }
                return f(msg);
            }
        }
    }

    /// Sends many requests in one `sendmsg` and matches every ACK to its request: `done`
    /// gets each request's index and outcome, in the order the kernel answers. Returns
    /// the number of requests that failed.
    pub fn batch<F>(&mut self, requests: &mut [u8], mut done: F) -> Result<usize, Error>
    where
        F: FnMut(usize, Result<(), Error>),
    {
        self.batch_dyn(requests, &mut done)
    }

    fn batch_dyn(
        &mut self,
        requests: &mut [u8],
        done: &mut dyn FnMut(usize, Result<(), Error>),
    ) -> Result<usize, Error> {
        let (seq, count) = self.stamp(requests, true)?;
        if count == 0 {
            return Ok(0);
        }
        self.send(requests)?;
        let mut failed = 0usize;
        self.collect_acks(
            seq,
            count,
            &mut |i, r| {
                if r.is_err() {
                    failed += 1;
                }
                done(i, r);
                Ok(())
            },
            &mut |_| Ok(()),
        )?;
        Ok(failed)
    }

    /// Receives until `count` ACKs for sequence numbers `seq..seq+count` have arrived.
    fn collect_acks(
        &mut self,
        seq: u32,
        count: usize,
        on_ack: &mut dyn FnMut(usize, Result<(), Error>) -> Result<(), Error>,
        on_reply: &mut MessageSink<'_>,
    ) -> Result<(), Error> {
        let mut pending = count;
        let mut first_error: Option<Error> = None;
        while pending > 0 {
            let n = self.recv()?;
            let datagram = self.buf.get(..n).unwrap_or(&[]);
            for msg in Messages::new(datagram) {
                let msg = msg?;
                let index = msg.seq().wrapping_sub(seq) as usize;
                if index >= count {
                    continue;
                }
                match msg.error() {
                    Some(err) => {
                        let err = err?;
                        pending -= 1;
                        let result = if err.is_ack() {
                            Ok(())
                        } else {
                            Err(Error::Kernel(kernel_error(&err, index)))
                        };
                        if let Err(e) = on_ack(index, result) {
                            first_error.get_or_insert(e);
                        }
                    }
                    None => on_reply(msg)?,
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Sends a dump request and hands every reply message to `f`, until `NLMSG_DONE`.
    /// When the kernel flags the dump `NLM_F_DUMP_INTR` (the objects changed while it was
    /// walking them), the whole dump is still delivered and then [`Error::DumpInterrupted`]
    /// is returned; [`Socket::dump_consistent`] retries instead.
    pub fn dump<F>(&mut self, request: &mut [u8], mut f: F) -> Result<(), Error>
    where
        F: FnMut(Message<'_>) -> Result<(), Error>,
    {
        self.dump_dyn(request, &mut f)
    }

    fn dump_dyn(&mut self, request: &mut [u8], f: &mut MessageSink<'_>) -> Result<(), Error> {
        let (seq, _) = self.stamp(request, false)?;
        self.send(request)?;
        let mut interrupted = false;
        let mut callback_error: Option<Error> = None;
        loop {
            let n = self.recv()?;
            let datagram = self.buf.get(..n).unwrap_or(&[]);
            for msg in Messages::new(datagram) {
                let msg = msg?;
                if msg.seq() != seq {
                    continue;
                }
                if msg.flags() & NLM_F_DUMP_INTR != 0 {
                    interrupted = true;
                }
                match msg.ty() {
                    NLMSG_DONE => {
                        // A dump that failed midway reports the errno in DONE's payload.
                        let errno = msg
                            .payload()
                            .get(..4)
                            .and_then(|b| b.try_into().ok())
                            .map(i32::from_ne_bytes)
                            .unwrap_or(0);
                        if errno < 0 {
                            return Err(Error::Kernel(done_error(
                                errno,
                                msg.flags(),
                                msg.payload(),
                            )));
                        }
                        if let Some(e) = callback_error {
                            return Err(e);
                        }
                        return if interrupted {
                            Err(Error::DumpInterrupted)
                        } else {
                            Ok(())
                        };
                    }
                    NLMSG_ERROR => {
                        if let Some(err) = msg.error() {
                            let err = err?;
                            if !err.is_ack() {
                                return Err(Error::Kernel(kernel_error(&err, 0)));
                            }
                        }
                    }
                    _ => {
                        if callback_error.is_none() {
                            if let Err(e) = f(msg) {
                                // Keep reading to DONE so the socket stays usable.
                                callback_error = Some(e);
                            }
                        }
                    }
                }
                if msg.flags() & NLM_F_MULTI == 0 && msg.ty() != NLMSG_ERROR {
                    // A single-part reply (some kernels answer a GET-like dump that way).
                    if let Some(e) = callback_error {
                        return Err(e);
                    }
                    return Ok(());
                }
            }
        }
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
        let n = self.recv()?;
        let datagram = self.buf.get(..n).unwrap_or(&[]);
        for msg in Messages::new(datagram) {
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

fn kernel_error(err: &crate::wire::ErrorMessage<'_>, request_index: usize) -> KernelError {
    KernelError {
        errno: err.errno(),
        message: err.message().map(str::to_owned),
        offset: err.offset(),
        missing_type: err.missing_type(),
        request_index,
    }
}

/// The error of a dump that failed midway: `NLMSG_DONE` carries a bare negative errno,
/// then extended-ACK attributes when flagged.
fn done_error(errno: i32, flags: u16, payload: &[u8]) -> KernelError {
    let tlvs = if flags & crate::wire::NLM_F_ACK_TLVS != 0 {
        payload.get(4..).unwrap_or(&[])
    } else {
        &[]
    };
    let ext = crate::wire::Attrs::new(tlvs);
    KernelError {
        errno: errno.checked_neg().unwrap_or(i32::MAX),
        message: ext
            .clone()
            .get(crate::wire::NLMSGERR_ATTR_MSG)
            .and_then(|a| a.str())
            .map(str::to_owned),
        offset: ext
            .get(crate::wire::NLMSGERR_ATTR_OFFS)
            .and_then(|a| a.u32()),
        missing_type: None,
        request_index: 0,
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
