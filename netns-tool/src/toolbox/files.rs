//! Files opened with `open(2)` itself, and standard output written with `write(2)`. std's `File::open` goes through `OpenOptions`, whose
//! access-mode check builds a boxed string error and so links `str`'s `Debug` and its
//! Unicode tables (about 3 KB of the mips `--min` build); nsip only ever opens to read, or
//! with flags of its own, so the one wrapper here is all it needs. The errors are the same
//! `io::Error`s from errno that std's would be.

use std::ffi::{CString, OsStr};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

/// A C string for a path; an interior NUL (impossible from argv) reads as `EINVAL`.
pub fn c_path(path: impl AsRef<OsStr>) -> io::Result<CString> {
    c_path_of(path.as_ref())
}

fn c_path_of(path: &OsStr) -> io::Result<CString> {
    CString::new(path.as_bytes()).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))
}

/// `open(2)` with explicit flags and mode; the descriptor is closed on exec.
pub fn open(
    path: impl AsRef<OsStr>,
    flags: libc::c_int,
    mode: libc::mode_t,
) -> io::Result<OwnedFd> {
    open_path(path.as_ref(), flags, mode)
}

fn open_path(path: &OsStr, flags: libc::c_int, mode: libc::mode_t) -> io::Result<OwnedFd> {
    let path = c_path_of(path)?;
    // SAFETY: `path` is a valid NUL-terminated string for the duration of the call.
    let fd = unsafe { libc::open(path.as_ptr(), flags | libc::O_CLOEXEC, mode) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by open and is owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Opens `path` to read (what `File::open` does).
pub fn open_read(path: impl AsRef<OsStr>) -> io::Result<File> {
    open_path(path.as_ref(), libc::O_RDONLY, 0).map(File::from)
}

/// The whole of the file at `path` (what `std::fs::read` does).
pub fn read(path: impl AsRef<OsStr>) -> io::Result<Vec<u8>> {
    read_path(path.as_ref())
}

fn read_path(path: &OsStr) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open_read(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Standard output as file descriptor 1, unbuffered. Everything nsip prints is built whole
/// (an [`Out`](super::output::Out) sends its buffer in large blocks, a monitor event is written in one piece),
/// so std's line buffer and its lock would only copy it again; without them std's `Stdout`
/// machinery (line writer, reentrant lock, thread ids) stays out of the binary. As with
/// std's stdout, a closed descriptor (`EBADF`) takes the bytes silently, and an interrupted
/// write is retried.
#[derive(Debug, Clone, Copy, Default)]
pub struct StdoutFd;

impl Write for StdoutFd {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        loop {
            // SAFETY: `bytes` is valid for `bytes.len()` bytes for the whole call.
            let written =
                unsafe { libc::write(libc::STDOUT_FILENO, bytes.as_ptr().cast(), bytes.len()) };
            if let Ok(count) = usize::try_from(written) {
                return Ok(count);
            }
            let error = io::Error::last_os_error();
            match error.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EBADF) => return Ok(bytes.len()),
                _ => return Err(error),
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether standard output is a terminal (`-color=auto`).
pub fn stdout_is_terminal() -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(libc::STDOUT_FILENO) == 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_file_and_reports_errno_as_std_does() {
        let dir = std::env::temp_dir().join(format!("nsip-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let path = dir.join("text");
        std::fs::write(&path, b"one\ntwo\n").expect("write");
        assert_eq!(read(&path).expect("read"), b"one\ntwo\n");
        let missing = dir.join("missing");
        let ours = read(&missing).expect_err("missing file");
        let std = std::fs::read(&missing).expect_err("missing file");
        assert_eq!(ours.raw_os_error(), std.raw_os_error());
        assert_eq!(ours.to_string(), std.to_string());
        let on_dir = read(&dir).expect_err("a directory does not read");
        assert_eq!(on_dir.raw_os_error(), Some(libc::EISDIR));
        assert_eq!(
            c_path("a\0b").expect_err("NUL").raw_os_error(),
            Some(libc::EINVAL)
        );
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }
}
