//! The system calls behind [`super::Socket`]: each wraps one call on a netlink descriptor.

use std::io;
use std::mem::{size_of, zeroed};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

pub(super) const SOL_NETLINK: libc::c_int = 270;
pub(super) const NETLINK_ADD_MEMBERSHIP: libc::c_int = 1;
pub(super) const NETLINK_DROP_MEMBERSHIP: libc::c_int = 2;
pub(super) const NETLINK_CAP_ACK: libc::c_int = 10;
pub(super) const NETLINK_EXT_ACK: libc::c_int = 11;
pub(super) const NETLINK_GET_STRICT_CHK: libc::c_int = 12;

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

fn kernel_address() -> libc::sockaddr_nl {
    // SAFETY: sockaddr_nl is plain data; all-zero is the kernel's address (port 0).
    let mut addr: libc::sockaddr_nl = unsafe { zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr
}

/// A new `NETLINK_ROUTE` socket, closed on exec.
pub(super) fn open_route_socket() -> io::Result<OwnedFd> {
    // SAFETY: plain socket(2); the returned fd is owned below.
    let raw = cvt(unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        )
    })?;
    // SAFETY: raw is a fresh, valid descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}

/// Runs `work` on a new thread and waits for it to end; an error when no thread could start.
/// A thread of libc's own (not `std::thread`, whose naming, spawn hooks and bookkeeping are
/// 16.5 KB of the x86_64 `--min` build at ea1fd7d, README "Size") with libc's default stack.
pub(super) fn run_on_new_thread(work: &mut (dyn FnMut() + Send)) -> io::Result<()> {
    extern "C" fn start(arg: *mut libc::c_void) -> *mut libc::c_void {
        // SAFETY: `arg` points at the `&mut (dyn FnMut() + Send)` below, which outlives the
        // thread: the creating thread does not return before the join. `Send` is what lets
        // it run here, as std's scoped threads require.
        let work = unsafe { &mut *arg.cast::<&mut (dyn FnMut() + Send)>() };
        work();
        std::ptr::null_mut()
    }
    let mut work = work;
    let arg: *mut &mut (dyn FnMut() + Send) = &mut work;
    // SAFETY: pthread_t is plain data that pthread_create fills in.
    let mut thread: libc::pthread_t = unsafe { zeroed() };
    // SAFETY: a thread with default attributes running `start` on `arg` (see there).
    let rc = unsafe { libc::pthread_create(&mut thread, std::ptr::null(), start, arg.cast()) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    // SAFETY: joins the thread just made, once. It fails only for a thread that is not
    // joinable (EINVAL, ESRCH) or this one (EDEADLK), none of which this is; if it did,
    // returning would leave the thread with a dangling `work`, so the process stops.
    if unsafe { libc::pthread_join(thread, std::ptr::null_mut()) } != 0 {
        std::process::abort();
    }
    Ok(())
}

/// Enters the network namespace `netns` on the calling thread.
pub(super) fn enter_netns(netns: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: setns(2) on a descriptor the caller keeps open; it affects this thread only.
    cvt(unsafe { libc::setns(netns.as_raw_fd(), libc::CLONE_NEWNET) })?;
    Ok(())
}

pub(super) fn setsockopt_int(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: value lives across the call and its size is passed.
    cvt(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&value as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

pub(super) fn getsockopt_int(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
) -> io::Result<libc::c_int> {
    let mut value: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: value and len are valid for writes of the size passed.
    cvt(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    Ok(value)
}

/// Binds to a port the kernel chooses and returns it.
pub(super) fn bind_any_port(fd: BorrowedFd<'_>) -> io::Result<u32> {
    let mut addr = kernel_address();
    let mut len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
    // SAFETY: addr and len are valid for the sizes given.
    cvt(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&addr as *const libc::sockaddr_nl).cast(),
            len,
        )
    })?;
    // SAFETY: as above; the kernel writes at most len bytes.
    cvt(unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut addr as *mut libc::sockaddr_nl).cast(),
            &mut len,
        )
    })?;
    Ok(addr.nl_pid)
}

/// Sends `bytes` to the kernel in one datagram.
pub(super) fn send_to_kernel(fd: BorrowedFd<'_>, bytes: &[u8]) -> io::Result<()> {
    let to = kernel_address();
    loop {
        // SAFETY: bytes and to are valid for the lengths given.
        let rc = unsafe {
            libc::sendto(
                fd.as_raw_fd(),
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
            Err(e) => return Err(e),
        }
    }
}

/// The size of the next queued datagram, without taking it.
fn peek_len(fd: BorrowedFd<'_>) -> io::Result<usize> {
    let mut iov = libc::iovec {
        iov_base: std::ptr::null_mut(),
        iov_len: 0,
    };
    // SAFETY: msghdr is plain data; the zero-length iovec is valid.
    let mut hdr: libc::msghdr = unsafe { zeroed() };
    hdr.msg_iov = &mut iov;
    hdr.msg_iovlen = 1;
    // SAFETY: hdr points at valid (empty) buffers; MSG_PEEK leaves the datagram queued.
    let rc = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut hdr, libc::MSG_PEEK | libc::MSG_TRUNC) };
    cvt_size(rc)
}

/// Looks at the head of the receive queue without waiting or taking anything: the kernel
/// builds the next part of a running dump on every receive call that finds the queue not
/// empty, as iproute2's check for immediate errors after each flush send does.
pub(super) fn peek_now(fd: BorrowedFd<'_>) -> io::Result<()> {
    let mut byte = [0u8; 1];
    // SAFETY: byte is valid for its one byte; MSG_PEEK leaves the queue as it was and
    // MSG_DONTWAIT makes the call return at once.
    let rc = unsafe {
        libc::recv(
            fd.as_raw_fd(),
            byte.as_mut_ptr().cast(),
            byte.len(),
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    match cvt_size(rc) {
        Err(e) if e.kind() != io::ErrorKind::WouldBlock => Err(e),
        _ => Ok(()),
    }
}

/// One datagram received into the socket's buffer.
#[derive(Clone, Copy, Debug)]
pub(super) struct Datagram {
    /// Its length.
    pub len: usize,
}

/// Receives the next datagram the kernel sent into `buf`, growing it first when the
/// datagram is larger, so no message is ever truncated. Datagrams from any other sender (a
/// process writing to our port) are dropped: only the kernel answers requests.
pub(super) fn recv_from_kernel(fd: BorrowedFd<'_>, buf: &mut Vec<u8>) -> io::Result<Datagram> {
    loop {
        let want = match peek_len(fd) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if want > buf.len() {
            buf.resize(want, 0);
        }
        let mut from = kernel_address();
        let mut from_len = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: buf, from and from_len are valid for the sizes given; the kernel writes
        // at most buf.len() bytes into buf.
        let rc = unsafe {
            libc::recvfrom(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                0,
                (&mut from as *mut libc::sockaddr_nl).cast(),
                &mut from_len,
            )
        };
        match cvt_size(rc) {
            Ok(_) if from.nl_pid != 0 => continue,
            Ok(len) => return Ok(Datagram { len }),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
