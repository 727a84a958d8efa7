//! The /run/netns registry shared with iproute2: a namespace is named by an empty file in
//! /run/netns with the namespace's nsfs inode bind-mounted onto it.
//!
//! /run/netns itself is made a shared mount point (as ip does), so that unmounting a name in
//! one mount namespace unmounts it in every namespace that saw it, and the network namespace
//! can be freed.

use std::ffi::OsString;
use std::io;
use std::os::unix::fs::DirBuilderExt;

use super::sys;
use crate::toolbox::error::{CliError, CliResult};

/// Where named namespaces live.
pub const RUN_DIR: &str = "/run/netns";

/// The registry path of `name` (which the caller has checked holds no `/`).
pub fn path_of(name: impl AsRef<std::ffi::OsStr>) -> OsString {
    let mut path = OsString::from(RUN_DIR);
    path.push("/");
    path.push(name);
    path
}

/// Creates /run/netns if it is missing (mode 0755, as ip).
pub fn create_run_dir() -> CliResult {
    match std::fs::DirBuilder::new().mode(0o755).create(RUN_DIR) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(CliError::failed(format!(
            "mkdir {RUN_DIR} failed: {}",
            sys::strerror(&e)
        ))),
    }
}

/// The names in /run/netns in directory order, or `None` when it cannot be read.
pub fn names() -> io::Result<Vec<OsString>> {
    std::fs::read_dir(RUN_DIR)?
        .map(|entry| entry.map(|e| e.file_name()))
        .collect()
}

/// The names to walk for `-all`: none when /run/netns does not exist, ip's error when it
/// cannot be read.
pub fn names_for_all() -> CliResult<Vec<OsString>> {
    match names() {
        Ok(names) => Ok(names),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(CliError::failed(format!(
            "Failed to open directory {RUN_DIR}: {}",
            sys::strerror(&e)
        ))),
    }
}

/// Makes /run/netns a shared mount point, binding it onto itself first when it is not a
/// mount point yet. An exclusive lock on the directory keeps concurrent adders from stacking
/// several self-binds (the lock is only advisory: without it ip goes on, and so do we).
fn make_run_dir_shared() -> CliResult {
    let lock = sys::open(RUN_DIR, libc::O_RDONLY | libc::O_DIRECTORY, 0).map_err(|e| {
        CliError::failed(format!(
            "Cannot open netns runtime directory \"{RUN_DIR}\": {}",
            sys::strerror(&e)
        ))
    })?;
    let locked = match sys::flock(&lock, libc::LOCK_EX) {
        Ok(()) => true,
        Err(e) => {
            eprintln!(
                "Warning: could not flock netns runtime directory \"{RUN_DIR}\": {}",
                sys::strerror(&e)
            );
            false
        }
    };
    let mut made_mount_point = false;
    let result = loop {
        match sys::mount("", RUN_DIR, "none", libc::MS_SHARED | libc::MS_REC) {
            Ok(()) => break Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) && !made_mount_point => {
                // EINVAL: /run/netns is not a mount point; make it one and try again.
                if let Err(e) = sys::mount(RUN_DIR, RUN_DIR, "none", libc::MS_BIND | libc::MS_REC) {
                    break Err(CliError::failed(format!(
                        "mount --bind {RUN_DIR} {RUN_DIR} failed: {}",
                        sys::strerror(&e)
                    )));
                }
                made_mount_point = true;
            }
            Err(e) => {
                break Err(CliError::failed(format!(
                    "mount --make-shared {RUN_DIR} failed: {}",
                    sys::strerror(&e)
                )))
            }
        }
    };
    if locked {
        let _ = sys::flock(&lock, libc::LOCK_UN);
    }
    result
}

/// Which network namespace a new name refers to.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// A fresh namespace (`ip netns add`).
    Fresh,
    /// The namespace of a running process (`ip netns attach NAME PID`).
    Process(i32),
}

/// Names a network namespace: `ip netns add NAME` / `ip netns attach NAME PID`.
///
/// On any failure after the name's file was created, the file is removed again, so a failed
/// add leaves nothing behind (and never removes a file some other process created).
pub fn register(name: &str, source: Source) -> CliResult {
    let path = path_of(name);
    create_run_dir()?;
    make_run_dir_shared()?;
    let placeholder =
        sys::open(&path, libc::O_RDONLY | libc::O_CREAT | libc::O_EXCL, 0).map_err(|e| {
            CliError::failed(format!(
                "Cannot create namespace file \"{}\": {}",
                path.to_string_lossy(),
                sys::strerror(&e)
            ))
        })?;
    drop(placeholder);
    let bound = match source {
        Source::Fresh => bind_fresh_namespace(name, &path),
        Source::Process(pid) => {
            let proc_path = format!("/proc/{pid}/ns/net");
            sys::mount(&proc_path, &path, "none", libc::MS_BIND).map_err(|e| {
                CliError::failed(format!(
                    "Bind {proc_path} -> {} failed: {}",
                    path.to_string_lossy(),
                    sys::strerror(&e)
                ))
            })
        }
    };
    if let Err(err) = bound {
        eprintln!("{}", err.message());
        let cleanup = match source {
            Source::Fresh => remove(name),
            Source::Process(_) => sys::unlink(&path).map_err(|e| {
                CliError::failed(format!(
                    "Cannot remove namespace file \"{}\": {}",
                    path.to_string_lossy(),
                    sys::strerror(&e)
                ))
            }),
        };
        if let Err(cleanup_err) = cleanup {
            eprintln!("{}", cleanup_err.message());
        }
        return Err(CliError::failed_with(err.status(), String::new()));
    }
    Ok(())
}

/// Creates a network namespace on a short-lived thread and binds it onto `path`, so this
/// process's own namespace never changes. The thread's namespace is reached through
/// /proc/thread-self: /proc/self would name the main thread's.
fn bind_fresh_namespace(name: &str, path: &OsString) -> CliResult {
    let target = path.clone();
    let outcome = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || -> Result<(), (bool, io::Error)> {
            sys::unshare(libc::CLONE_NEWNET).map_err(|e| (false, e))?;
            sys::mount("/proc/thread-self/ns/net", &target, "none", libc::MS_BIND)
                .map_err(|e| (true, e))
        })
        .map_err(|e| (false, e))
        .and_then(|thread| {
            thread
                .join()
                .unwrap_or_else(|_| Err((false, io::Error::from_raw_os_error(libc::EAGAIN))))
        });
    match outcome {
        Ok(()) => Ok(()),
        Err((false, e)) => Err(CliError::failed(format!(
            "Failed to create a new network namespace \"{name}\": {}",
            sys::strerror(&e)
        ))),
        Err((true, e)) => Err(CliError::failed(format!(
            "Bind /proc/self/ns/net -> {} failed: {}",
            path.to_string_lossy(),
            sys::strerror(&e)
        ))),
    }
}

/// Removes a name: detaches the bind mount (if any) and deletes the file.
pub fn remove(name: impl AsRef<std::ffi::OsStr>) -> CliResult {
    let path = path_of(name);
    // Not mounted (a half-made name) is fine: the unlink below is what must succeed.
    let _ = sys::umount_detach(&path);
    sys::unlink(&path).map_err(|e| {
        CliError::failed(format!(
            "Cannot remove namespace file \"{}\": {}",
            path.to_string_lossy(),
            sys::strerror(&e)
        ))
    })
}
