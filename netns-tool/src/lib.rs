//! `nsip` as a library: the dispatcher ([`cli`]), one folder per ip object, the printers
//! they share ([`show`]) and the leaf modules every object uses ([`toolbox`]). The binary is
//! a call to [`run`]; the fuzz targets and unit tests reach the parsers through here.

pub mod addr;
#[cfg(feature = "bench")]
pub mod bench;
pub mod cli;
pub mod link;
pub mod monitor;
pub mod neigh;
pub mod netns;
pub mod route;
pub mod rule;
pub mod show;
pub mod toolbox;

use std::ffi::OsString;

/// The whole program over argv (without the program name); returns the exit status.
///
/// A setuid or setgid copy refuses to run: `netns exec` and `-batch FILE` would otherwise
/// hand any user root's powers.
pub fn run(argv: Vec<OsString>) -> i32 {
    if let Err(e) = refuse_elevated_ids() {
        return cli::report(&e);
    }
    restore_sigpipe();
    cli::main(argv)
}

fn refuse_elevated_ids() -> toolbox::error::CliResult {
    // SAFETY: these four calls only read the process's ids; they cannot fail.
    let (uid, euid, gid, egid) = unsafe {
        (
            libc::getuid(),
            libc::geteuid(),
            libc::getgid(),
            libc::getegid(),
        )
    };
    if uid != euid || gid != egid {
        return Err(toolbox::error::CliError::failed(
            "nsip: refusing to run setuid or setgid (real and effective ids differ)",
        ));
    }
    Ok(())
}

/// Rust ignores SIGPIPE; ip is ended by it, quietly, when its reader goes away
/// (`nsip route show | head -1`).
fn restore_sigpipe() {
    // SAFETY: setting a signal's disposition to its default has no memory effects.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
