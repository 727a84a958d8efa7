//! Entering a named namespace the way `ip netns exec` and `ip -n` do: the network namespace,
//! plus a private mount namespace with a /sys that shows that network namespace and the
//! files of /etc/netns/NAME bound over their /etc counterparts.

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;

use super::{registry, sys};
use crate::toolbox::args::{word_from_bytes, word_from_os, word_os};
use crate::toolbox::error::{os_failed, os_message, print_message, CliError, CliResult};
use crate::toolbox::netns_names::{self, NAME_MAX};
use crate::toolbox::output::Out;

/// Moves this process into namespace `name` for `-n NAME` and `netns exec` (ip's
/// `netns_switch`). Failures carry ip's wording and its status 255.
pub fn switch_to(name: &str) -> CliResult {
    switch(&word_os(name))
}

fn switch(name: &OsStr) -> CliResult {
    let shown = word_from_bytes(name.as_bytes());
    let entered = match netns_names::open(name) {
        Ok(netns) => sys::setns(&OwnedFd::from(netns), libc::CLONE_NEWNET),
        // EINVAL: `.`, `..` or the empty word, which ip opens as a directory that setns
        // then refuses; word it as ip does.
        Err(e) if e.raw_os_error() == Some(libc::EINVAL) => Err(e),
        Err(e) => {
            let what = format_args!("Cannot open network namespace \"{shown}\"");
            return Err(switch_failed(what, &e));
        }
    };
    entered.map_err(|e| {
        switch_failed(
            format_args!("setting the network namespace \"{shown}\" failed"),
            &e,
        )
    })?;
    sys::unshare(libc::CLONE_NEWNS)
        .map_err(|e| switch_failed(format_args!("unshare failed"), &e))?;
    // Keep the mounts below from propagating back into the caller's mount namespace.
    sys::mount("", "/", "none", libc::MS_SLAVE | libc::MS_REC)
        .map_err(|e| switch_failed(format_args!("\"mount --make-rslave /\" failed"), &e))?;
    let mut flags = 0;
    if sys::umount_detach("/sys").is_err() && sys::is_read_only("/sys") {
        // A read-only /sys that cannot be unmounted can only be shadowed read-only.
        flags = libc::MS_RDONLY;
    }
    sys::mount(name, "/sys", "sysfs", flags)
        .map_err(|e| switch_failed(format_args!("mount of /sys failed"), &e))?;
    bind_etc(name);
    Ok(())
}

/// A failed step of a namespace switch, `WHAT: STRERROR` with ip's status 255.
fn switch_failed(what: fmt::Arguments<'_>, e: &io::Error) -> CliError {
    CliError::failed_with(255, os_message(what, e))
}

/// Binds every entry of /etc/netns/NAME over /etc/ENTRY; failures are reported, not fatal.
fn bind_etc(name: &OsStr) {
    if name.len() >= NAME_MAX {
        return;
    }
    let mut dir = std::ffi::OsString::from("/etc/netns/");
    dir.push(name);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let from = entry.path();
        let mut to = std::ffi::OsString::from("/etc/");
        to.push(entry.file_name());
        if let Err(e) = sys::mount(&from, &to, "none", libc::MS_BIND) {
            let from = word_from_os(from.into_os_string());
            let to = word_from_os(to);
            print_message(&os_message(format_args!("Bind {from} -> {to} failed"), &e));
        }
    }
}

/// The command words of `exec`, or ip's error when there are none.
pub fn command_words(words: &[String]) -> CliResult<&[String]> {
    if words.is_empty() {
        return Err(CliError::failed("No command specified"));
    }
    Ok(words)
}

/// Replaces this process with `argv` searched in PATH; returns only on failure, with ip's
/// message. Every argument keeps its exact bytes.
fn exec_command(argv: &[String]) -> CliError {
    let Some(program) = argv.first() else {
        return CliError::failed("No command specified");
    };
    let fail = |e: io::Error| os_failed(format_args!("exec of \"{program}\" failed"), &e);
    let mut c_args = Vec::with_capacity(argv.len());
    for arg in argv {
        match sys::c_path(word_os(arg)) {
            Ok(arg) => c_args.push(arg),
            Err(e) => return fail(e),
        }
    }
    let Some(file) = c_args.first() else {
        return CliError::failed("No command specified");
    };
    let mut pointers: Vec<*const libc::c_char> = c_args.iter().map(|a| a.as_ptr()).collect();
    pointers.push(std::ptr::null());
    // SAFETY: `pointers` is a NULL-terminated array of valid C strings owned by `c_args`,
    // which outlives the call; execvp only returns on failure.
    unsafe { libc::execvp(file.as_ptr(), pointers.as_ptr()) };
    // SIGPIPE is already at its default (crate::run), as the command expects it.
    fail(io::Error::last_os_error())
}

/// `ip netns exec NAME CMD...`: this process becomes the command, so its exit status (or the
/// signal that killed it) is the command's, and its pid is the one the caller started.
pub fn exec(name: &str, command: &[String]) -> CliResult {
    switch(&word_os(name))?;
    Err(exec_command(command))
}

/// `netns exec` in a batch: the command runs in a child and its status is the line's.
pub fn exec_forked(name: &str, command: &[String]) -> CliResult {
    match run_in_child(&word_os(name), command)? {
        0 => Ok(()),
        status => Err(CliError::failed_with(status, String::new())),
    }
}

/// Forks; the child enters `name` and execs `command`. Returns the child's exit status; a
/// child killed by a signal fails the whole command with 1, as ip exits then.
fn run_in_child(name: &OsStr, command: &[String]) -> CliResult<i32> {
    // SAFETY: nsip is single-threaded here; the child only switches namespaces, execs,
    // or exits with _exit.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(os_failed(format_args!("fork"), &io::Error::last_os_error()));
    }
    if pid == 0 {
        let err = match switch(name) {
            Ok(()) => exec_command(command),
            Err(e) => e,
        };
        err.print();
        // SAFETY: leaving the forked child without running the parent's destructors.
        unsafe { libc::_exit(1) };
    }
    let mut status = 0;
    loop {
        // SAFETY: `status` is a valid out-pointer; `pid` is our own child.
        if unsafe { libc::waitpid(pid, &mut status, 0) } >= 0 {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(os_failed(format_args!("waitpid"), &e));
        }
    }
    if libc::WIFEXITED(status) {
        Ok(libc::WEXITSTATUS(status))
    } else {
        Err(CliError::failed(String::new()))
    }
}

/// `ip -all netns exec CMD...`: runs the command in every named namespace in turn, in a
/// child each, whatever each returns; a child killed by a signal ends everything with 1.
pub fn exec_all(command: &[String]) -> CliResult {
    for name in registry::names_for_all()? {
        let word = word_from_bytes(name.as_bytes());
        let mut out = Out::stdout(false, false);
        let _ = out
            .put_str("name", "\nnetns: ", &word, "\n")
            .and_then(|()| out.finish());
        run_in_child(&name, command)?;
    }
    Ok(())
}
