//! The throwaway namespace: a forked child unshares a network namespace of its own and does
//! the work there; nothing else holds that namespace, so it dies with the child. The parent
//! only waits: on SIGINT, SIGTERM or SIGHUP (those not ignored) it kills and reaps the
//! child, and the child dies with the parent too (`PR_SET_PDEATHSIG`) if the parent is
//! killed outright.

use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

use netlink_core::socket::strerror;

use crate::toolbox::error::{CliError, CliResult};

/// The signals that end a run early.
const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

fn os_error(what: &str) -> CliError {
    let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
    CliError::failed(format!("nsip bench: {what}: {}", strerror(errno)))
}

/// Runs `work` in a child process inside a new network namespace; its stdout is ours, its
/// error comes back as ours. Interrupted, it fails with status 128 + the signal, silently.
pub fn in_throwaway_namespace(work: impl FnOnce() -> CliResult) -> CliResult {
    let _ = io::stdout().flush();
    let (errors_in, errors_out) = pipe()?;
    let blocked = SignalMask::block_stop_signals()?;
    // SAFETY: getpid cannot fail.
    let parent = unsafe { libc::getpid() };
    // SAFETY: nsip is single-threaded here; the child runs the bench and leaves with _exit.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        let err = os_error("fork");
        blocked.restore();
        return Err(err);
    }
    if pid == 0 {
        drop(errors_in);
        blocked.restore();
        let status = match in_child(parent, work) {
            Ok(()) => 0,
            Err(e) => {
                let mut pipe = std::fs::File::from(errors_out);
                let _ = pipe.write_all(e.message().as_bytes());
                e.status()
            }
        };
        let _ = io::stdout().flush();
        // SAFETY: leaving the forked child without running the parent's exit handlers.
        unsafe { libc::_exit(status) };
    }
    drop(errors_out);
    let ended = supervise(pid, &blocked);
    blocked.restore();
    let status = ended?;
    child_outcome(status, read_all(std::fs::File::from(errors_in)))
}

/// The child's side: die with the parent, then leave the caller's namespace for a new one.
fn in_child(parent: libc::pid_t, work: impl FnOnce() -> CliResult) -> CliResult {
    // SAFETY: prctl(PR_SET_PDEATHSIG) takes a signal number and touches no memory.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    // SAFETY: getppid cannot fail.
    if unsafe { libc::getppid() } != parent {
        return Err(CliError::failed("nsip bench: the parent process is gone"));
    }
    let callers = netns_identity()?;
    // SAFETY: unshare takes only flags; it moves this process into a new network namespace.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } < 0 {
        let errno = io::Error::last_os_error().raw_os_error().unwrap_or(0);
        let hint = if errno == libc::EPERM {
            " (needs root: CAP_SYS_ADMIN)"
        } else {
            ""
        };
        return Err(CliError::failed(format!(
            "nsip bench: cannot create a network namespace: {}{hint}",
            strerror(errno)
        )));
    }
    if netns_identity()? == callers {
        return Err(CliError::failed(
            "nsip bench: still in the caller's network namespace; refusing to run",
        ));
    }
    work()
}

/// Which network namespace this thread is in (device and inode of its nsfs file).
fn netns_identity() -> CliResult<(u64, u64)> {
    let meta = std::fs::metadata("/proc/thread-self/ns/net").map_err(|e| {
        CliError::failed(format!(
            "nsip bench: cannot tell namespaces apart without /proc: {}",
            strerror(e.raw_os_error().unwrap_or(0))
        ))
    })?;
    Ok((meta.dev(), meta.ino()))
}

/// Waits for the child or a stop signal; returns the child's wait status, or fails with
/// 128 + the signal after killing and reaping the child.
fn supervise(child: libc::pid_t, blocked: &SignalMask) -> CliResult<libc::c_int> {
    loop {
        let mut status = 0;
        // SAFETY: `status` is a valid out-pointer; `child` is our own child.
        let rc = unsafe { libc::waitpid(child, &mut status, libc::WNOHANG) };
        if rc == child {
            return Ok(status);
        }
        if rc < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            return Err(os_error("waitpid"));
        }
        // SIGCHLD is in the set, so a child that ended since waitpid wakes this at once.
        let signal = blocked.wait();
        if STOP_SIGNALS.contains(&signal) {
            // SAFETY: kill and waitpid on our own, not yet reaped, child.
            unsafe {
                libc::kill(child, libc::SIGKILL);
                while libc::waitpid(child, &mut status, 0) < 0
                    && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted
                {
                }
            }
            return Err(CliError::failed_with(128 + signal, String::new()));
        }
    }
}

/// The child's exit as ours: its status with the error it reported, or the signal that
/// ended it.
fn child_outcome(status: libc::c_int, message: String) -> CliResult {
    if libc::WIFEXITED(status) {
        return match libc::WEXITSTATUS(status) {
            0 => Ok(()),
            code => Err(CliError::failed_with(code, message)),
        };
    }
    let signal = libc::WTERMSIG(status);
    if STOP_SIGNALS.contains(&signal) {
        return Err(CliError::failed_with(128 + signal, String::new()));
    }
    Err(CliError::failed(format!(
        "nsip bench: the measuring process was killed by signal {signal}"
    )))
}

/// What the child wrote down the pipe: the UTF-8 of its error message, so exact.
fn read_all(mut pipe: std::fs::File) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 512];
    loop {
        match pipe.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

fn pipe() -> CliResult<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(os_error("pipe"));
    }
    // SAFETY: both descriptors were just made by pipe2 and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// SIGCHLD and the stop signals the caller does not ignore, blocked so that the parent
/// takes them with `sigwait` instead of dying of them; and the mask to go back to.
struct SignalMask {
    waited: libc::sigset_t,
    previous: libc::sigset_t,
}

impl SignalMask {
    fn block_stop_signals() -> CliResult<SignalMask> {
        let mut waited = empty_set();
        // SAFETY: `waited` is an initialised set; sigaddset only writes into it.
        unsafe { libc::sigaddset(&mut waited, libc::SIGCHLD) };
        for signal in STOP_SIGNALS {
            let mut action = MaybeUninit::<libc::sigaction>::zeroed();
            // SAFETY: a null new action only reads the current one into `action`.
            let rc = unsafe { libc::sigaction(signal, std::ptr::null(), action.as_mut_ptr()) };
            // SAFETY: sigaction filled it in (rc 0), or it stays all-zero (SIG_DFL).
            let ignored = rc == 0 && unsafe { action.assume_init() }.sa_sigaction == libc::SIG_IGN;
            if !ignored {
                // SAFETY: as above.
                unsafe { libc::sigaddset(&mut waited, signal) };
            }
        }
        let mut previous = empty_set();
        // SAFETY: both sets are initialised; the call only reads `waited`, writes `previous`.
        if unsafe { libc::sigprocmask(libc::SIG_BLOCK, &waited, &mut previous) } < 0 {
            return Err(os_error("sigprocmask"));
        }
        Ok(SignalMask { waited, previous })
    }

    /// The next of the blocked signals.
    fn wait(&self) -> libc::c_int {
        let mut signal = 0;
        // SAFETY: `waited` is an initialised set and `signal` a valid out-pointer.
        while unsafe { libc::sigwait(&self.waited, &mut signal) } != 0 {}
        signal
    }

    fn restore(&self) {
        // SAFETY: `previous` is the mask sigprocmask returned; the old mask is not wanted.
        unsafe { libc::sigprocmask(libc::SIG_SETMASK, &self.previous, std::ptr::null_mut()) };
    }
}

fn empty_set() -> libc::sigset_t {
    let mut set = MaybeUninit::<libc::sigset_t>::zeroed();
    // SAFETY: sigemptyset initialises the set it is given.
    unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        set.assume_init()
    }
}
