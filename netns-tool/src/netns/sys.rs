//! Thin wrappers over the system calls `ip netns` needs, each returning `io::Result` so
//! callers can word the failure the way ip does (through `toolbox::error::os_error_text`).

use std::ffi::OsStr;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

// Each call below takes any path type but converts it at once and goes on in one function
// over `&OsStr`: the system call's body is compiled once, not once per path type.

pub use crate::toolbox::files::{c_path, open};

/// The error of a call that returned -1.
fn check(rc: libc::c_int) -> io::Result<()> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// `mount(2)`; ip passes "none" as the type of bind and propagation mounts.
pub fn mount(
    source: impl AsRef<OsStr>,
    target: impl AsRef<OsStr>,
    fstype: &str,
    flags: libc::c_ulong,
) -> io::Result<()> {
    mount_paths(source.as_ref(), target.as_ref(), fstype, flags)
}

fn mount_paths(
    source: &OsStr,
    target: &OsStr,
    fstype: &str,
    flags: libc::c_ulong,
) -> io::Result<()> {
    let source = c_path(source)?;
    let target = c_path(target)?;
    let fstype = c_path(OsStr::new(fstype))?;
    // SAFETY: all three strings are valid and NUL-terminated; no data argument is passed.
    check(unsafe {
        libc::mount(
            source.as_ptr(),
            target.as_ptr(),
            fstype.as_ptr(),
            flags,
            std::ptr::null(),
        )
    })
}

/// `umount2(path, MNT_DETACH)`.
pub fn umount_detach(target: impl AsRef<OsStr>) -> io::Result<()> {
    umount_detach_path(target.as_ref())
}

fn umount_detach_path(target: &OsStr) -> io::Result<()> {
    let target = c_path(target)?;
    // SAFETY: `target` is a valid NUL-terminated string.
    check(unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) })
}

/// `unlink(2)`.
pub fn unlink(path: impl AsRef<OsStr>) -> io::Result<()> {
    unlink_path(path.as_ref())
}

fn unlink_path(path: &OsStr) -> io::Result<()> {
    let path = c_path(path)?;
    // SAFETY: `path` is a valid NUL-terminated string.
    check(unsafe { libc::unlink(path.as_ptr()) })
}

/// `unshare(2)` for the calling thread.
pub fn unshare(flags: libc::c_int) -> io::Result<()> {
    // SAFETY: unshare takes only flags; it changes this thread's namespace membership.
    check(unsafe { libc::unshare(flags) })
}

/// `setns(2)` into the namespace `fd` refers to.
pub fn setns(fd: &OwnedFd, nstype: libc::c_int) -> io::Result<()> {
    // SAFETY: `fd` is an open descriptor owned by the caller for the whole call.
    check(unsafe { libc::setns(fd.as_raw_fd(), nstype) })
}

/// `flock(2)`.
pub fn flock(fd: &OwnedFd, op: libc::c_int) -> io::Result<()> {
    // SAFETY: `fd` is an open descriptor owned by the caller for the whole call.
    check(unsafe { libc::flock(fd.as_raw_fd(), op) })
}

/// Whether the filesystem at `path` is mounted read-only (`false` when it cannot be told).
pub fn is_read_only(path: &str) -> bool {
    let Ok(path) = c_path(OsStr::new(path)) else {
        return false;
    };
    // SAFETY: statvfs is plain old data; all-zero is a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `path` is valid and `st` is a writable statvfs.
    let rc = unsafe { libc::statvfs(path.as_ptr(), &mut st) };
    rc == 0 && st.f_flag & libc::ST_RDONLY != 0
}
