//! Named network namespaces as every object finds them: the /run/netns registry iproute2
//! keeps, which words are names in it, and the one way to open a namespace by name.
//!
//! Names are bytes (ip accepts any but `/` and NUL), so everything here takes `OsStr`;
//! a command-line word reaches it through `args::word_os`.

use std::ffi::{OsStr, OsString};
use std::fs::File;

use super::files::open_read;
use std::io;
use std::os::unix::ffi::OsStrExt;

/// Where named namespaces live.
pub const RUN_DIR: &str = "/run/netns";

/// ip's NAME_MAX: the longest name a file in /run/netns can have.
pub const NAME_MAX: usize = 255;

/// Whether `name` can be a file of its own in /run/netns: not empty, not `.` or `..`, no
/// `/`, at most NAME_MAX bytes. Any other bytes are allowed, as ip allows them.
pub fn is_valid_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() <= NAME_MAX
        && !name.contains(&b'/')
        && name != b"."
        && name != b".."
}

/// The registry path of `name`; only meaningful for a valid name (or a word ip would
/// append to /run/netns just the same).
pub fn path_of(name: impl AsRef<OsStr>) -> OsString {
    let mut path = OsString::from(RUN_DIR);
    path.push("/");
    path.push(name);
    path
}

/// Opens the namespace registered as `name`, looking only in /run/netns (`-n NAME`,
/// `netns exec NAME`). A word that is no name gets the error ip's lookup of
/// /run/netns/WORD gives in the usual case, without looking anywhere else: one holding `/`
/// names nothing (ENOENT); the empty word, `.` and `..` are directories, no namespace
/// (EINVAL, which ip gets from setns); an overlong one is ENAMETOOLONG.
pub fn open(name: impl AsRef<OsStr>) -> io::Result<File> {
    let name = name.as_ref();
    let bytes = name.as_bytes();
    if !is_valid_name(bytes) {
        let errno = if bytes.len() > NAME_MAX {
            libc::ENAMETOOLONG
        } else if bytes.contains(&b'/') {
            libc::ENOENT
        } else {
            libc::EINVAL
        };
        return Err(io::Error::from_raw_os_error(errno));
    }
    open_read(path_of(name))
}

/// ip's `netns_get_fd` (`link set ... netns WORD`, `netns set WORD NSID`): a word holding
/// `/` is the path of any namespace file, any other word is looked up in /run/netns.
pub fn open_name_or_path(word: impl AsRef<OsStr>) -> io::Result<File> {
    let word = word.as_ref();
    if word.as_bytes().contains(&b'/') {
        open_read(word)
    } else {
        // Without a `/` the word cannot leave /run/netns: at worst `..` opens /run, a
        // directory the kernel refuses as a namespace, as it does for ip.
        open_read(path_of(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ip_refuses() {
        let long = vec![b'n'; NAME_MAX + 1];
        for bad in [&b""[..], b".", b"..", b"a/b", b"/", &long] {
            assert!(!is_valid_name(bad), "{bad:?} should be refused");
        }
        let longest = vec![b'n'; NAME_MAX];
        for good in [&b"a"[..], b"...", b"a.b", b"x y", b"\xff\xfe", &longest] {
            assert!(is_valid_name(good), "{good:?} should be accepted");
        }
    }

    #[test]
    fn words_that_are_no_name_are_never_looked_up() {
        let errno = |word: &[u8]| {
            open(OsStr::from_bytes(word))
                .map(drop)
                .err()?
                .raw_os_error()
        };
        assert_eq!(errno(b"run/netns/x"), Some(libc::ENOENT));
        assert_eq!(errno(b"../../proc/1/ns/net"), Some(libc::ENOENT));
        assert_eq!(errno(b"/proc/self/ns/net"), Some(libc::ENOENT));
        assert_eq!(errno(b".."), Some(libc::EINVAL));
        assert_eq!(errno(b""), Some(libc::EINVAL));
        assert_eq!(errno(&[b'n'; NAME_MAX + 1]), Some(libc::ENAMETOOLONG));
    }

    #[test]
    fn names_are_paths_in_the_registry() {
        assert_eq!(path_of("x"), OsString::from("/run/netns/x"));
        assert_eq!(
            path_of(OsStr::from_bytes(b"\xff")).as_bytes(),
            b"/run/netns/\xff"
        );
    }
}
