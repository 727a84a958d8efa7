//! What can go wrong talking to the kernel, and the kernel's own refusals.

use std::io;

use super::errno::{errno_text, io_error_text};
use crate::wire::{DecodeError, EncodeError, ExtAck};

/// An error the kernel sent back (`NLMSG_ERROR`, or a dump's `NLMSG_DONE`), with its
/// extended ACK.
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
    /// The error for request `request_index`: `errno` (positive) and the extended ACK.
    pub(super) fn new(errno: i32, ext: &ExtAck<'_>, request_index: usize) -> Self {
        KernelError {
            errno,
            message: ext.message().map(str::to_owned),
            offset: ext.offset(),
            missing_type: ext.missing_type(),
            request_index,
        }
    }

    /// The errno's text as `ip` prints it ("File exists"): see [`errno_text`].
    pub fn strerror(&self) -> String {
        errno_text(self.errno).into_owned()
    }
}

/// `strerror(errno)` as `ip` prints it: [`errno_text`], owned.
pub fn strerror(errno: i32) -> String {
    errno_text(errno).into_owned()
}

/// What can go wrong talking to the kernel.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A system call failed.
    Io(io::Error),
    /// The kernel refused the request (boxed: an `Error` stays two words, so results
    /// that carry one are cheap to return).
    Kernel(Box<KernelError>),
    /// The kernel's reply could not be decoded.
    Decode(DecodeError),
    /// A request could not be encoded.
    Encode(EncodeError),
    /// A dump was interrupted by a concurrent change (`NLM_F_DUMP_INTR`): what was
    /// delivered may be inconsistent.
    DumpInterrupted,
    /// Messages were lost because the receive buffer overflowed (`ENOBUFS`): multicast
    /// events, or the answers to a batch.
    Overrun,
    /// The kernel sent no reply to a request that needs one.
    NoReply,
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
            Error::Io(e) => f.write_str(&io_error_text(e)),
            Error::Kernel(k) => match &k.message {
                Some(m) => f.write_str(m),
                None => f.write_str(&errno_text(k.errno)),
            },
            Error::Decode(e) => write!(f, "malformed netlink reply: {e}"),
            Error::Encode(e) => write!(f, "cannot encode request: {e}"),
            Error::DumpInterrupted => f.write_str("Dump was interrupted and may be inconsistent."),
            Error::Overrun => f.write_str("netlink receive buffer overrun: messages were lost"),
            Error::NoReply => f.write_str("the kernel sent no reply"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_print_ips_text_without_rusts_suffix() {
        let e = Error::Io(io::Error::from_raw_os_error(libc::EMSGSIZE));
        assert_eq!(e.to_string(), "Message too long");
    }

    #[test]
    fn kernel_errors_prefer_the_extended_ack_text() {
        let mut k = KernelError::new(libc::EOPNOTSUPP, &ExtAck::default(), 0);
        assert_eq!(
            Error::Kernel(Box::new(k.clone())).to_string(),
            "Operation not supported"
        );
        k.message = Some("Nexthop has invalid gateway".into());
        assert_eq!(
            Error::Kernel(Box::new(k)).to_string(),
            "Nexthop has invalid gateway"
        );
    }
}
