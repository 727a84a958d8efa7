//! errno texts as `ip` prints them: glibc's `strerror` wording, whatever libc this binary
//! is linked with (musl words many differently: "Not supported", "Host is unreachable").

use std::borrow::Cow;

/// Declares [`ERRNOS`] and [`TEXTS`] from one errno a line.
macro_rules! errno_texts {
    ($($errno:ident $text:literal)*) => {
        // Every errno fits the u16 it is kept in.
        const _: () = { $(assert!(libc::$errno > 0 && libc::$errno <= u16::MAX as i32);)* };
        /// The errnos of [`TEXTS`], in its order.
        const ERRNOS: &[u16] = &[$(libc::$errno as u16),*];
        /// Their texts, each ended by a NUL: 3 bytes an errno besides its text, where a
        /// table of (number, `&str`) pairs takes 12 (16 on 64-bit targets).
        const TEXTS: &str = concat!($($text, "\0"),*);
    };
}

// glibc's `strerror` text for every errno Linux defines, by the errno's name: the numbers
// differ between architectures (MIPS: `EOPNOTSUPP` is 122, which is `EDQUOT` on x86), and
// the kernel answers a netlink request with its own architecture's numbers.
#[rustfmt::skip] // one errno a line: a table, not code
errno_texts! {
    EPERM           "Operation not permitted"
    ENOENT          "No such file or directory"
    ESRCH           "No such process"
    EINTR           "Interrupted system call"
    EIO             "Input/output error"
    ENXIO           "No such device or address"
    E2BIG           "Argument list too long"
    ENOEXEC         "Exec format error"
    EBADF           "Bad file descriptor"
    ECHILD          "No child processes"
    EAGAIN          "Resource temporarily unavailable"
    ENOMEM          "Cannot allocate memory"
    EACCES          "Permission denied"
    EFAULT          "Bad address"
    ENOTBLK         "Block device required"
    EBUSY           "Device or resource busy"
    EEXIST          "File exists"
    EXDEV           "Invalid cross-device link"
    ENODEV          "No such device"
    ENOTDIR         "Not a directory"
    EISDIR          "Is a directory"
    EINVAL          "Invalid argument"
    ENFILE          "Too many open files in system"
    EMFILE          "Too many open files"
    ENOTTY          "Inappropriate ioctl for device"
    ETXTBSY         "Text file busy"
    EFBIG           "File too large"
    ENOSPC          "No space left on device"
    ESPIPE          "Illegal seek"
    EROFS           "Read-only file system"
    EMLINK          "Too many links"
    EPIPE           "Broken pipe"
    EDOM            "Numerical argument out of domain"
    ERANGE          "Numerical result out of range"
    EDEADLK         "Resource deadlock avoided"
    ENAMETOOLONG    "File name too long"
    ENOLCK          "No locks available"
    ENOSYS          "Function not implemented"
    ENOTEMPTY       "Directory not empty"
    ELOOP           "Too many levels of symbolic links"
    ENOMSG          "No message of desired type"
    EIDRM           "Identifier removed"
    ECHRNG          "Channel number out of range"
    EL2NSYNC        "Level 2 not synchronized"
    EL3HLT          "Level 3 halted"
    EL3RST          "Level 3 reset"
    ELNRNG          "Link number out of range"
    EUNATCH         "Protocol driver not attached"
    ENOCSI          "No CSI structure available"
    EL2HLT          "Level 2 halted"
    EBADE           "Invalid exchange"
    EBADR           "Invalid request descriptor"
    EXFULL          "Exchange full"
    ENOANO          "No anode"
    EBADRQC         "Invalid request code"
    EBADSLT         "Invalid slot"
    EBFONT          "Bad font file format"
    ENOSTR          "Device not a stream"
    ENODATA         "No data available"
    ETIME           "Timer expired"
    ENOSR           "Out of streams resources"
    ENONET          "Machine is not on the network"
    ENOPKG          "Package not installed"
    EREMOTE         "Object is remote"
    ENOLINK         "Link has been severed"
    EADV            "Advertise error"
    ESRMNT          "Srmount error"
    ECOMM           "Communication error on send"
    EPROTO          "Protocol error"
    EMULTIHOP       "Multihop attempted"
    EDOTDOT         "RFS specific error"
    EBADMSG         "Bad message"
    EOVERFLOW       "Value too large for defined data type"
    ENOTUNIQ        "Name not unique on network"
    EBADFD          "File descriptor in bad state"
    EREMCHG         "Remote address changed"
    ELIBACC         "Can not access a needed shared library"
    ELIBBAD         "Accessing a corrupted shared library"
    ELIBSCN         ".lib section in a.out corrupted"
    ELIBMAX         "Attempting to link in too many shared libraries"
    ELIBEXEC        "Cannot exec a shared library directly"
    EILSEQ          "Invalid or incomplete multibyte or wide character"
    ERESTART        "Interrupted system call should be restarted"
    ESTRPIPE        "Streams pipe error"
    EUSERS          "Too many users"
    ENOTSOCK        "Socket operation on non-socket"
    EDESTADDRREQ    "Destination address required"
    EMSGSIZE        "Message too long"
    EPROTOTYPE      "Protocol wrong type for socket"
    ENOPROTOOPT     "Protocol not available"
    EPROTONOSUPPORT "Protocol not supported"
    ESOCKTNOSUPPORT "Socket type not supported"
    EOPNOTSUPP      "Operation not supported"
    EPFNOSUPPORT    "Protocol family not supported"
    EAFNOSUPPORT    "Address family not supported by protocol"
    EADDRINUSE      "Address already in use"
    EADDRNOTAVAIL   "Cannot assign requested address"
    ENETDOWN        "Network is down"
    ENETUNREACH     "Network is unreachable"
    ENETRESET       "Network dropped connection on reset"
    ECONNABORTED    "Software caused connection abort"
    ECONNRESET      "Connection reset by peer"
    ENOBUFS         "No buffer space available"
    EISCONN         "Transport endpoint is already connected"
    ENOTCONN        "Transport endpoint is not connected"
    ESHUTDOWN       "Cannot send after transport endpoint shutdown"
    ETOOMANYREFS    "Too many references: cannot splice"
    ETIMEDOUT       "Connection timed out"
    ECONNREFUSED    "Connection refused"
    EHOSTDOWN       "Host is down"
    EHOSTUNREACH    "No route to host"
    EALREADY        "Operation already in progress"
    EINPROGRESS     "Operation now in progress"
    ESTALE          "Stale file handle"
    EUCLEAN         "Structure needs cleaning"
    ENOTNAM         "Not a XENIX named type file"
    ENAVAIL         "No XENIX semaphores available"
    EISNAM          "Is a named type file"
    EREMOTEIO       "Remote I/O error"
    EDQUOT          "Disk quota exceeded"
    ENOMEDIUM       "No medium found"
    EMEDIUMTYPE     "Wrong medium type"
    ECANCELED       "Operation canceled"
    ENOKEY          "Required key not available"
    EKEYEXPIRED     "Key has expired"
    EKEYREVOKED     "Key has been revoked"
    EKEYREJECTED    "Key was rejected by service"
    EOWNERDEAD      "Owner died"
    ENOTRECOVERABLE "State not recoverable"
    ERFKILL         "Operation not possible due to RF-kill"
    EHWPOISON       "Memory page has hardware error"
}

/// glibc's text for `errno`, if Linux defines it.
fn glibc_text(errno: i32) -> Option<&'static str> {
    let at = ERRNOS.iter().position(|&e| i32::from(e) == errno)?;
    let text = TEXTS.as_bytes().split(|&b| b == 0).nth(at)?;
    std::str::from_utf8(text).ok()
}

/// The text `ip` (glibc's `strerror`) prints for `errno`: "Operation not supported" for
/// `EOPNOTSUPP`, "Success" for 0, "Unknown error N" for a number Linux does not define.
/// Never Rust's " (os error N)" suffix.
pub fn errno_text(errno: i32) -> Cow<'static, str> {
    if errno == 0 {
        return Cow::Borrowed("Success");
    }
    match glibc_text(errno) {
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

    /// 41 and 58 are the gaps of the generic numbering (MIPS and SPARC number differently).
    #[cfg(not(any(
        target_arch = "mips",
        target_arch = "mips64",
        target_arch = "sparc",
        target_arch = "sparc64"
    )))]
    #[test]
    fn numbers_linux_leaves_unused_are_unknown() {
        assert_eq!(errno_text(41), "Unknown error 41");
        assert_eq!(errno_text(58), "Unknown error 58");
        assert_eq!(errno_text(134), "Unknown error 134");
    }

    #[test]
    fn numbers_outside_every_numbering_are_unknown() {
        assert_eq!(errno_text(0), "Success");
        assert_eq!(errno_text(4096), "Unknown error 4096");
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
