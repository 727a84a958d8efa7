//! The /run/netns registry shared with iproute2: a namespace is named by an empty file in
//! /run/netns with the namespace's nsfs inode bind-mounted onto it.
//!
//! /run/netns itself is made a shared mount point (as ip does), so that unmounting a name in
//! one mount namespace unmounts it in every namespace that saw it, and the network namespace
//! can be freed.
//!
//! Every nsip add, attach and delete holds an exclusive `flock` on the /run/netns directory
//! for its whole sequence (ip 6.1 takes the same lock, but only around the shared mount), so
//! two nsip processes never interleave on one name: no two namespaces stacked on a name, and
//! a failed add removes only the file it made itself. A lock on the directory rather than on
//! a file in it keeps `ip netns list` from ever showing the lock as a name.
//!
//! An add makes the namespace before it creates the name, and binds it at once, so a SIGKILL
//! can leave an empty name only between those two system calls.

use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};

use netlink_core::socket::on_new_thread;

use super::sys;
use crate::toolbox::args::word_from_bytes;
use crate::toolbox::error::{os_error_text, os_failed, CliError, CliResult};
pub use crate::toolbox::netns_names::{path_of, RUN_DIR};

/// Creates /run/netns if it is missing (mode 0755, as ip).
pub fn create_run_dir() -> CliResult {
    match std::fs::DirBuilder::new().mode(0o755).create(RUN_DIR) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(os_failed(format_args!("mkdir {RUN_DIR} failed"), &e)),
    }
}

/// The names in /run/netns in directory order, or `None` when it cannot be read.
pub fn names() -> io::Result<Vec<OsString>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(RUN_DIR)? {
        names.push(entry?.file_name());
    }
    Ok(names)
}

/// The names to walk for `-all`: none when /run/netns does not exist, ip's error when it
/// cannot be read.
pub fn names_for_all() -> CliResult<Vec<OsString>> {
    match names() {
        Ok(names) => Ok(names),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(os_failed(
            format_args!("Failed to open directory {RUN_DIR}"),
            &e,
        )),
    }
}

/// The registry's lock, held until dropped (closing the descriptor releases it). `None`
/// inside when the lock could not be taken: the lock is advisory and ip goes on without
/// it, so nsip does too.
struct Lock(#[allow(dead_code)] Option<OwnedFd>);

/// Waits for the registry's lock. `Err` only when /run/netns cannot be opened.
fn lock() -> io::Result<Lock> {
    let dir = sys::open(RUN_DIR, libc::O_RDONLY | libc::O_DIRECTORY, 0)?;
    loop {
        match sys::flock(&dir, libc::LOCK_EX) {
            Ok(()) => return Ok(Lock(Some(dir))),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                eprintln!(
                    "Warning: could not flock netns runtime directory \"{RUN_DIR}\": {}",
                    os_error_text(&e)
                );
                return Ok(Lock(None));
            }
        }
    }
}

/// Makes /run/netns a shared mount point, binding it onto itself first when it is not a
/// mount point yet. The caller holds the registry lock, so concurrent adders do not stack
/// several self-binds.
fn make_run_dir_shared() -> CliResult {
    let mut made_mount_point = false;
    loop {
        match sys::mount("", RUN_DIR, "none", libc::MS_SHARED | libc::MS_REC) {
            Ok(()) => return Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) && !made_mount_point => {
                // EINVAL: /run/netns is not a mount point; make it one and try again.
                sys::mount(RUN_DIR, RUN_DIR, "none", libc::MS_BIND | libc::MS_REC).map_err(
                    |e| os_failed(format_args!("mount --bind {RUN_DIR} {RUN_DIR} failed"), &e),
                )?;
                made_mount_point = true;
            }
            Err(e) => {
                return Err(os_failed(
                    format_args!("mount --make-shared {RUN_DIR} failed"),
                    &e,
                ))
            }
        }
    }
}

/// Which network namespace a new name refers to.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A fresh namespace (`ip netns add`).
    Fresh,
    /// The namespace of a running process (`ip netns attach NAME PID`).
    Process(i32),
}

/// A name or path as message text that prints back as its exact bytes.
fn shown(name: &OsStr) -> String {
    word_from_bytes(name.as_bytes())
}

fn cannot_create(path: &OsStr, e: &io::Error) -> CliError {
    let path = shown(path);
    os_failed(format_args!("Cannot create namespace file \"{path}\""), e)
}

/// Names a network namespace: `ip netns add NAME` / `ip netns attach NAME PID`, with ip's
/// messages. The namespace is made (or opened) before the name is created, under the
/// registry lock; a failed add removes only the file it created.
pub fn register(name: &OsStr, source: Source) -> CliResult {
    let path = path_of(name);
    create_run_dir()?;
    let _lock = lock().map_err(|e| {
        os_failed(
            format_args!("Cannot open netns runtime directory \"{RUN_DIR}\""),
            &e,
        )
    })?;
    make_run_dir_shared()?;
    // Under the lock no other nsip can create the name before the O_EXCL below: checking
    // first spares making a namespace only to find the name taken, and keeps ip's message.
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(cannot_create(
            &path,
            &io::Error::from_raw_os_error(libc::EEXIST),
        ));
    }
    let (netns, shown_source) = match source {
        Source::Fresh => (new_namespace(name)?, "/proc/self/ns/net".to_string()),
        Source::Process(pid) => {
            let proc_path = format!("/proc/{pid}/ns/net");
            let fd = sys::open(&proc_path, libc::O_RDONLY, 0)
                .map_err(|e| bind_failed(&proc_path, &path, &e))?;
            (fd, proc_path)
        }
    };
    publish(&path, &netns, &shown_source)
}

fn bind_failed(source: &str, path: &OsStr, e: &io::Error) -> CliError {
    let path = shown(path);
    os_failed(format_args!("Bind {source} -> {path} failed"), e)
}

/// Creates the name's file and binds the namespace `netns` onto it straight away. When the
/// bind fails the file is removed again, if it is still the one made here.
fn publish(path: &OsStr, netns: &OwnedFd, shown_source: &str) -> CliResult {
    let placeholder = sys::open(path, libc::O_RDONLY | libc::O_CREAT | libc::O_EXCL, 0)
        .map_err(|e| cannot_create(path, &e))?;
    let source = format!("/proc/self/fd/{}", netns.as_raw_fd());
    let Err(e) = sys::mount(&source, path, "none", libc::MS_BIND) else {
        return Ok(());
    };
    let failure = bind_failed(shown_source, path, &e);
    let ours = std::fs::File::from(placeholder)
        .metadata()
        .ok()
        .map(|m| (m.dev(), m.ino()));
    let there = std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.dev(), m.ino()));
    if ours.is_none() || ours != there {
        return Err(failure);
    }
    sys::unlink(path).map_err(|e| {
        eprintln!("{}", failure.message());
        cannot_remove(path, &e)
    })?;
    Err(failure)
}

/// Creates a network namespace on a short-lived thread, so this process's own namespace
/// never changes, and returns a descriptor that keeps it alive. The thread's namespace is
/// reached through /proc/thread-self: /proc/self would name the main thread's.
fn new_namespace(name: &OsStr) -> CliResult<OwnedFd> {
    let mut made = None;
    let outcome = on_new_thread(&mut || {
        made = Some(
            sys::unshare(libc::CLONE_NEWNET)
                .and_then(|()| sys::open("/proc/thread-self/ns/net", libc::O_RDONLY, 0)),
        );
    })
    .and_then(|()| made.unwrap_or_else(|| Err(io::Error::from_raw_os_error(libc::EAGAIN))));
    outcome.map_err(|e| {
        let name = shown(name);
        os_failed(
            format_args!("Failed to create a new network namespace \"{name}\""),
            &e,
        )
    })
}

/// Removes a name: detaches the bind mount (if any) and deletes the file, under the
/// registry lock so concurrent deletes and adds of the name take turns.
pub fn remove(name: &OsStr) -> CliResult {
    let path = path_of(name);
    // No registry directory: nothing to lock, and the unlink below reports ip's error.
    let _lock = lock().ok();
    // Not mounted (a half-made name) is fine: the unlink below is what must succeed.
    let _ = sys::umount_detach(&path);
    sys::unlink(&path).map_err(|e| cannot_remove(&path, &e))
}

fn cannot_remove(path: &OsStr, e: &io::Error) -> CliError {
    let path = shown(path);
    os_failed(format_args!("Cannot remove namespace file \"{path}\""), e)
}
