//! errno texts as `ip` prints them: glibc's `strerror` wording, whatever libc this binary
//! is linked with (musl words many differently: "Not supported", "Host is unreachable").

use std::borrow::Cow;

/// glibc's `strerror` text for every errno Linux defines, by the errno's name: the numbers
/// differ between architectures (MIPS: `EOPNOTSUPP` is 122, which is `EDQUOT` on x86), and
/// the kernel answers a netlink request with its own architecture's numbers.
#[rustfmt::skip] // one errno a line: a table, not code
const TEXTS: [(i32, &str); 131] = [
    (libc::EPERM, "Operation not permitted"),
    (libc::ENOENT, "No such file or directory"),
    (libc::ESRCH, "No such process"),
    (libc::EINTR, "Interrupted system call"),
    (libc::EIO, "Input/output error"),
    (libc::ENXIO, "No such device or address"),
    (libc::E2BIG, "Argument list too long"),
    (libc::ENOEXEC, "Exec format error"),
    (libc::EBADF, "Bad file descriptor"),
    (libc::ECHILD, "No child processes"),
    (libc::EAGAIN, "Resource temporarily unavailable"),
    (libc::ENOMEM, "Cannot allocate memory"),
    (libc::EACCES, "Permission denied"),
    (libc::EFAULT, "Bad address"),
    (libc::ENOTBLK, "Block device required"),
    (libc::EBUSY, "Device or resource busy"),
    (libc::EEXIST, "File exists"),
    (libc::EXDEV, "Invalid cross-device link"),
    (libc::ENODEV, "No such device"),
    (libc::ENOTDIR, "Not a directory"),
    (libc::EISDIR, "Is a directory"),
    (libc::EINVAL, "Invalid argument"),
    (libc::ENFILE, "Too many open files in system"),
    (libc::EMFILE, "Too many open files"),
    (libc::ENOTTY, "Inappropriate ioctl for device"),
    (libc::ETXTBSY, "Text file busy"),
    (libc::EFBIG, "File too large"),
    (libc::ENOSPC, "No space left on device"),
    (libc::ESPIPE, "Illegal seek"),
    (libc::EROFS, "Read-only file system"),
    (libc::EMLINK, "Too many links"),
    (libc::EPIPE, "Broken pipe"),
    (libc::EDOM, "Numerical argument out of domain"),
    (libc::ERANGE, "Numerical result out of range"),
    (libc::EDEADLK, "Resource deadlock avoided"),
    (libc::ENAMETOOLONG, "File name too long"),
    (libc::ENOLCK, "No locks available"),
    (libc::ENOSYS, "Function not implemented"),
    (libc::ENOTEMPTY, "Directory not empty"),
    (libc::ELOOP, "Too many levels of symbolic links"),
    (libc::ENOMSG, "No message of desired type"),
    (libc::EIDRM, "Identifier removed"),
    (libc::ECHRNG, "Channel number out of range"),
    (libc::EL2NSYNC, "Level 2 not synchronized"),
    (libc::EL3HLT, "Level 3 halted"),
    (libc::EL3RST, "Level 3 reset"),
    (libc::ELNRNG, "Link number out of range"),
    (libc::EUNATCH, "Protocol driver not attached"),
    (libc::ENOCSI, "No CSI structure available"),
    (libc::EL2HLT, "Level 2 halted"),
    (libc::EBADE, "Invalid exchange"),
    (libc::EBADR, "Invalid request descriptor"),
    (libc::EXFULL, "Exchange full"),
    (libc::ENOANO, "No anode"),
    (libc::EBADRQC, "Invalid request code"),
    (libc::EBADSLT, "Invalid slot"),
    (libc::EBFONT, "Bad font file format"),
    (libc::ENOSTR, "Device not a stream"),
    (libc::ENODATA, "No data available"),
    (libc::ETIME, "Timer expired"),
    (libc::ENOSR, "Out of streams resources"),
    (libc::ENONET, "Machine is not on the network"),
    (libc::ENOPKG, "Package not installed"),
    (libc::EREMOTE, "Object is remote"),
    (libc::ENOLINK, "Link has been severed"),
    (libc::EADV, "Advertise error"),
    (libc::ESRMNT, "Srmount error"),
    (libc::ECOMM, "Communication error on send"),
    (libc::EPROTO, "Protocol error"),
    (libc::EMULTIHOP, "Multihop attempted"),
    (libc::EDOTDOT, "RFS specific error"),
    (libc::EBADMSG, "Bad message"),
    (libc::EOVERFLOW, "Value too large for defined data type"),
    (libc::ENOTUNIQ, "Name not unique on network"),
    (libc::EBADFD, "File descriptor in bad state"),
    (libc::EREMCHG, "Remote address changed"),
    (libc::ELIBACC, "Can not access a needed shared library"),
    (libc::ELIBBAD, "Accessing a corrupted shared library"),
    (libc::ELIBSCN, ".lib section in a.out corrupted"),
    (libc::ELIBMAX, "Attempting to link in too many shared libraries"),
    (libc::ELIBEXEC, "Cannot exec a shared library directly"),
    (libc::EILSEQ, "Invalid or incomplete multibyte or wide character"),
    (libc::ERESTART, "Interrupted system call should be restarted"),
    (libc::ESTRPIPE, "Streams pipe error"),
    (libc::EUSERS, "Too many users"),
    (libc::ENOTSOCK, "Socket operation on non-socket"),
    (libc::EDESTADDRREQ, "Destination address required"),
    (libc::EMSGSIZE, "Message too long"),
    (libc::EPROTOTYPE, "Protocol wrong type for socket"),
    (libc::ENOPROTOOPT, "Protocol not available"),
    (libc::EPROTONOSUPPORT, "Protocol not supported"),
    (libc::ESOCKTNOSUPPORT, "Socket type not supported"),
    (libc::EOPNOTSUPP, "Operation not supported"),
    (libc::EPFNOSUPPORT, "Protocol family not supported"),
    (libc::EAFNOSUPPORT, "Address family not supported by protocol"),
    (libc::EADDRINUSE, "Address already in use"),
    (libc::EADDRNOTAVAIL, "Cannot assign requested address"),
    (libc::ENETDOWN, "Network is down"),
    (libc::ENETUNREACH, "Network is unreachable"),
    (libc::ENETRESET, "Network dropped connection on reset"),
    (libc::ECONNABORTED, "Software caused connection abort"),
    (libc::ECONNRESET, "Connection reset by peer"),
    (libc::ENOBUFS, "No buffer space available"),
    (libc::EISCONN, "Transport endpoint is already connected"),
    (libc::ENOTCONN, "Transport endpoint is not connected"),
    (libc::ESHUTDOWN, "Cannot send after transport endpoint shutdown"),
    (libc::ETOOMANYREFS, "Too many references: cannot splice"),
    (libc::ETIMEDOUT, "Connection timed out"),
    (libc::ECONNREFUSED, "Connection refused"),
    (libc::EHOSTDOWN, "Host is down"),
    (libc::EHOSTUNREACH, "No route to host"),
    (libc::EALREADY, "Operation already in progress"),
    (libc::EINPROGRESS, "Operation now in progress"),
    (libc::ESTALE, "Stale file handle"),
    (libc::EUCLEAN, "Structure needs cleaning"),
    (libc::ENOTNAM, "Not a XENIX named type file"),
    (libc::ENAVAIL, "No XENIX semaphores available"),
    (libc::EISNAM, "Is a named type file"),
    (libc::EREMOTEIO, "Remote I/O error"),
    (libc::EDQUOT, "Disk quota exceeded"),
    (libc::ENOMEDIUM, "No medium found"),
    (libc::EMEDIUMTYPE, "Wrong medium type"),
    (libc::ECANCELED, "Operation canceled"),
    (libc::ENOKEY, "Required key not available"),
    (libc::EKEYEXPIRED, "Key has expired"),
    (libc::EKEYREVOKED, "Key has been revoked"),
    (libc::EKEYREJECTED, "Key was rejected by service"),
    (libc::EOWNERDEAD, "Owner died"),
    (libc::ENOTRECOVERABLE, "State not recoverable"),
    (libc::ERFKILL, "Operation not possible due to RF-kill"),
    (libc::EHWPOISON, "Memory page has hardware error"),
];

/// The text `ip` (glibc's `strerror`) prints for `errno`: "Operation not supported" for
/// `EOPNOTSUPP`, "Success" for 0, "Unknown error N" for a number Linux does not define.
/// Never Rust's " (os error N)" suffix.
pub fn errno_text(errno: i32) -> Cow<'static, str> {
    if errno == 0 {
        return Cow::Borrowed("Success");
    }
    match TEXTS.iter().find(|(number, _)| *number == errno) {
        Some((_, text)) => Cow::Borrowed(text),
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
