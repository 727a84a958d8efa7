//! Errors as `ip` reports them: one line on stderr and its exit status.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use netlink_core::socket::Error;
use netlink_core::wire::EncodeError;

use super::word::word_bytes;

/// A failed command: what to print and which status to exit with. One pointer wide, so
/// that a `CliResult<()>` is one register and every `?` on it a test of that register
/// (measured: the size-tuned binary is smaller by this than with the fields inline).
#[derive(Debug)]
pub struct CliError(Box<Failure>);

#[derive(Debug)]
struct Failure {
    usage: bool,
    message: String,
    status: i32,
}

impl CliError {
    fn new(usage: bool, status: i32, message: String) -> Self {
        CliError(Box::new(Failure {
            usage,
            message,
            status,
        }))
    }
    /// A usage error with ip's exit status 255 (`-1` in ip's code).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::new(true, 255, message.into())
    }
    /// An error after which ip calls `exit(status)` on the spot: even a `-force` batch ends
    /// there, without a `Command failed` line (ip's `get_prefix`, `get_addr`).
    pub fn exit(status: i32, message: impl Into<String>) -> Self {
        CliError::new(true, status, message.into())
    }
    /// An ip word for a feature nsip lacks: said so, rather than ip's "garbage" text, with
    /// the status ip's usage errors have (255).
    pub fn unsupported(word: &str) -> Self {
        CliError::usage(format!("Error: \"{word}\" is not supported by nsip."))
    }
    /// A failure with exit status 1.
    pub fn failed(message: impl Into<String>) -> Self {
        CliError::new(false, 1, message.into())
    }
    /// A failure with an explicit exit status.
    pub fn failed_with(status: i32, message: impl Into<String>) -> Self {
        CliError::new(false, status, message.into())
    }
    /// Bad usage (ip leaves the program there, even from a `-force` batch), as opposed to
    /// a command that ran and failed (exit status 1, or 2 from `ip` for kernel errors on
    /// some objects).
    pub fn is_usage(&self) -> bool {
        self.0.usage
    }
    /// The same error with another text.
    pub fn with_message(mut self, message: String) -> Self {
        self.0.message = message;
        self
    }
    /// The exit status.
    pub fn status(&self) -> i32 {
        self.0.status
    }
    /// The text for stderr (may span lines, without a trailing newline).
    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A request that could not be built (an attribute or message too long for its length
/// field) fails the command with the encoder's text: one conversion for every `?` on an
/// emitter's result.
impl From<EncodeError> for CliError {
    fn from(e: EncodeError) -> Self {
        CliError::failed(e.to_string())
    }
}

/// Writes `message` and a newline on stderr as ip does: the words in it as their own bytes,
/// not their escapes; nothing for an empty message. (Stdout holds nothing back: what was
/// printed before the error is out before it, [`super::files::StdoutFd`].)
pub fn print_message(message: &str) {
    if message.is_empty() {
        return;
    }
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_all(&word_bytes(message));
    let _ = stderr.write_all(b"\n");
}

impl CliError {
    /// Reports the error on stderr ([`print_message`]).
    pub fn print(&self) {
        print_message(self.message());
    }
}

/// Shorthand for command results.
pub type CliResult<T = ()> = Result<T, CliError>;

/// A failed write to stdout.
pub fn write_error(e: io::Error) -> CliError {
    CliError::failed(format!("write error: {}", os_error_text(&e)))
}

/// A failed system call as ip words it, `WHAT: STRERROR` ([`os_error_text`]), with exit
/// status 1. One function behind every such message, so each caller only passes its words.
#[inline(never)]
pub fn os_failed(what: fmt::Arguments<'_>, e: &io::Error) -> CliError {
    CliError::failed(os_message(what, e))
}

/// The text of [`os_failed`], for a caller that reports it otherwise (another status, a
/// warning).
#[inline(never)]
pub fn os_message(what: fmt::Arguments<'_>, e: &io::Error) -> String {
    format!("{what}: {}", os_error_text(e))
}

/// The text ip prints for a failed system call: glibc's `strerror` wording for its errno
/// whatever libc nsip is linked with, never Rust's " (os error N)"; an error without an
/// errno keeps its own text.
pub fn os_error_text(e: &io::Error) -> Cow<'static, str> {
    netlink_core::socket::io_error_text(e)
}

/// A kernel refusal in ip's words and exit status 2: `Error: TEXT.` when the kernel gave an
/// extended-ACK message, else `RTNETLINK answers: STRERROR`.
pub fn kernel_error(e: Error) -> CliError {
    match e {
        Error::Kernel(k) => match &k.message {
            Some(m) => {
                let dot = if m.ends_with('.') { "" } else { "." };
                CliError::failed_with(2, format!("Error: {m}{dot}"))
            }
            None => CliError::failed_with(2, format!("RTNETLINK answers: {}", k.strerror())),
        },
        Error::DumpInterrupted => CliError::failed_with(2, e.to_string()),
        other => CliError::failed_with(2, format!("Error: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_as_strerror_without_the_rust_suffix() {
        let text = os_error_text(&io::Error::from_raw_os_error(libc::ENOENT));
        assert_eq!(text, "No such file or directory");
        // musl says "Not supported"; ip (glibc) says this.
        let text = os_error_text(&io::Error::from_raw_os_error(libc::EOPNOTSUPP));
        assert_eq!(text, "Operation not supported");
        let custom = os_error_text(&io::Error::other("odd"));
        assert_eq!(custom, "odd");
    }
}
