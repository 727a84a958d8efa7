//! errno texts as `ip` prints them: glibc's `strerror` wording, whatever libc this binary
//! is linked with (musl words many differently: "Not supported", "Host is unreachable").

use std::borrow::Cow;

/// glibc's `strerror` text for errno 1..=133 (every errno Linux defines), by errno minus
/// one. Empty where Linux leaves the number unused (41, 58): glibc says "Unknown error N".
const TEXTS: [&str; 133] = [
    "Operation not permitted",
    "No such file or directory",
    "No such process",
    "Interrupted system call",
    "Input/output error",
    "No such device or address",
    "Argument list too long",
    "Exec format error",
    "Bad file descriptor",
    "No child processes",
    "Resource temporarily unavailable",
    "Cannot allocate memory",
    "Permission denied",
    "Bad address",
    "Block device required",
    "Device or resource busy",
    "File exists",
    "Invalid cross-device link",
    "No such device",
    "Not a directory",
    "Is a directory",
    "Invalid argument",
    "Too many open files in system",
    "Too many open files",
    "Inappropriate ioctl for device",
    "Text file busy",
    "File too large",
    "No space left on device",
    "Illegal seek",
    "Read-only file system",
    "Too many links",
    "Broken pipe",
    "Numerical argument out of domain",
    "Numerical result out of range",
    "Resource deadlock avoided",
    "File name too long",
    "No locks available",
    "Function not implemented",
    "Directory not empty",
    "Too many levels of symbolic links",
    "",
    "No message of desired type",
    "Identifier removed",
    "Channel number out of range",
    "Level 2 not synchronized",
    "Level 3 halted",
    "Level 3 reset",
    "Link number out of range",
    "Protocol driver not attached",
    "No CSI structure available",
    "Level 2 halted",
    "Invalid exchange",
    "Invalid request descriptor",
    "Exchange full",
    "No anode",
    "Invalid request code",
    "Invalid slot",
    "",
    "Bad font file format",
    "Device not a stream",
    "No data available",
    "Timer expired",
    "Out of streams resources",
    "Machine is not on the network",
    "Package not installed",
    "Object is remote",
    "Link has been severed",
    "Advertise error",
    "Srmount error",
    "Communication error on send",
    "Protocol error",
    "Multihop attempted",
    "RFS specific error",
    "Bad message",
    "Value too large for defined data type",
    "Name not unique on network",
    "File descriptor in bad state",
    "Remote address changed",
    "Can not access a needed shared library",
    "Accessing a corrupted shared library",
    ".lib section in a.out corrupted",
    "Attempting to link in too many shared libraries",
    "Cannot exec a shared library directly",
    "Invalid or incomplete multibyte or wide character",
    "Interrupted system call should be restarted",
    "Streams pipe error",
    "Too many users",
    "Socket operation on non-socket",
    "Destination address required",
    "Message too long",
    "Protocol wrong type for socket",
    "Protocol not available",
    "Protocol not supported",
    "Socket type not supported",
    "Operation not supported",
    "Protocol family not supported",
    "Address family not supported by protocol",
    "Address already in use",
    "Cannot assign requested address",
    "Network is down",
    "Network is unreachable",
    "Network dropped connection on reset",
    "Software caused connection abort",
    "Connection reset by peer",
    "No buffer space available",
    "Transport endpoint is already connected",
    "Transport endpoint is not connected",
    "Cannot send after transport endpoint shutdown",
    "Too many references: cannot splice",
    "Connection timed out",
    "Connection refused",
    "Host is down",
    "No route to host",
    "Operation already in progress",
    "Operation now in progress",
    "Stale file handle",
    "Structure needs cleaning",
    "Not a XENIX named type file",
    "No XENIX semaphores available",
    "Is a named type file",
    "Remote I/O error",
    "Disk quota exceeded",
    "No medium found",
    "Wrong medium type",
    "Operation canceled",
    "Required key not available",
    "Key has expired",
    "Key has been revoked",
    "Key was rejected by service",
    "Owner died",
    "State not recoverable",
    "Operation not possible due to RF-kill",
    "Memory page has hardware error",
];

/// The text `ip` (glibc's `strerror`) prints for `errno`: "Operation not supported" for
/// `EOPNOTSUPP`, "Success" for 0, "Unknown error N" for a number Linux does not define.
/// Never Rust's " (os error N)" suffix.
pub fn errno_text(errno: i32) -> Cow<'static, str> {
    if errno == 0 {
        return Cow::Borrowed("Success");
    }
    let known = usize::try_from(errno)
        .ok()
        .and_then(|n| TEXTS.get(n.checked_sub(1)?))
        .filter(|text| !text.is_empty());
    match known {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(format!("Unknown error {errno}")),
    }
}

/// The text of an I/O error as `ip` prints it: [`errno_text`] of its errno, or the error's own
/// words when it has none.
pub fn io_error_text(error: &std::io::Error) -> Cow<'static, str> {
    match error.raw_os_error() {
        Some(errno) => errno_text(errno),
        None => Cow::Owned(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From glibc's manual ("Error Codes") and its `errlist`, written out by hand.
    #[test]
    fn texts_are_glibcs() {
        let expected = [
            (libc::EPERM, "Operation not permitted"),
            (libc::ENOENT, "No such file or directory"),
            (libc::EAGAIN, "Resource temporarily unavailable"),
            (libc::EEXIST, "File exists"),
            (libc::ENODEV, "No such device"),
            (libc::EINVAL, "Invalid argument"),
            (libc::ERANGE, "Numerical result out of range"),
            (libc::ENOTSUP, "Operation not supported"),
            (libc::EOPNOTSUPP, "Operation not supported"),
            (libc::EMSGSIZE, "Message too long"),
            (libc::EADDRINUSE, "Address already in use"),
            (libc::EADDRNOTAVAIL, "Cannot assign requested address"),
            (libc::ENETUNREACH, "Network is unreachable"),
            (libc::ENOBUFS, "No buffer space available"),
            (libc::EHOSTUNREACH, "No route to host"),
            (libc::ESRCH, "No such process"),
            (
                libc::EAFNOSUPPORT,
                "Address family not supported by protocol",
            ),
            (libc::EHWPOISON, "Memory page has hardware error"),
        ];
        for (errno, text) in expected {
            assert_eq!(errno_text(errno), text, "errno {errno}");
        }
    }

    #[test]
    fn numbers_linux_leaves_unused_are_unknown() {
        assert_eq!(errno_text(0), "Success");
        assert_eq!(errno_text(41), "Unknown error 41");
        assert_eq!(errno_text(58), "Unknown error 58");
        assert_eq!(errno_text(134), "Unknown error 134");
        assert_eq!(errno_text(-5), "Unknown error -5");
        assert_eq!(errno_text(i32::MAX), format!("Unknown error {}", i32::MAX));
    }

    #[test]
    fn io_errors_lose_rusts_suffix() {
        let e = std::io::Error::from_raw_os_error(libc::EMSGSIZE);
        assert_eq!(io_error_text(&e), "Message too long");
        let plain = std::io::Error::other("no errno here");
        assert_eq!(io_error_text(&plain), "no errno here");
    }

    /// On glibc the whole table must equal the C library's own strerror.
    #[cfg(target_env = "gnu")]
    #[test]
    fn table_equals_this_glibc() {
        for errno in 0..=140 {
            // SAFETY: strerror returns a valid NUL-terminated string; it is read before
            // any other call could reuse its buffer (this test thread makes none).
            let theirs = unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) };
            assert_eq!(errno_text(errno), theirs.to_string_lossy(), "errno {errno}");
        }
    }
}
