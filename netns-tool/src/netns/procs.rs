//! `ip netns identify` and `ip netns pids`: namespaces and processes matched by the device and
//! inode of their nsfs files.

use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

use super::{registry, sys};
use crate::toolbox::error::{CliError, CliResult};

/// ip's test for a pid: only digits (an empty word passes, as in ip).
fn is_pid(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit())
}

/// Identity of a namespace file: (device, inode).
type NsId = (u64, u64);

/// Opens a namespace file and reads its identity, with ip's wording for either failure.
fn identity_of(path: impl AsRef<std::path::Path>) -> CliResult<NsId> {
    let file = std::fs::File::open(path).map_err(|e| {
        CliError::failed(format!(
            "Cannot open network namespace: {}",
            sys::strerror(&e)
        ))
    })?;
    let meta = file
        .metadata()
        .map_err(|e| CliError::failed(format!("Stat of netns failed: {}", sys::strerror(&e))))?;
    Ok((meta.dev(), meta.ino()))
}

/// `stat` identity of a path, if it can be read.
fn stat_identity(path: impl AsRef<std::path::Path>) -> Option<NsId> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

fn write_line(out: &mut impl Write, text: &[u8]) -> CliResult {
    out.write_all(text)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(|e| CliError::failed(format!("write: {}", sys::strerror(&e))))
}

/// `ip netns identify [PID]`: prints the name bound to the process's namespace (the last one
/// in directory order if several are), or an empty line.
pub fn identify(words: &[String]) -> CliResult {
    let pid = match words {
        [] => "self",
        [pid] => {
            if !is_pid(pid) {
                return Err(CliError::failed(format!(
                    "Specified string '{pid}' is not a pid"
                )));
            }
            pid.as_str()
        }
        _ => return Err(CliError::failed("extra arguments specified")),
    };
    let wanted = identity_of(format!("/proc/{pid}/ns/net"))?;
    let names = match registry::names() {
        Ok(names) => names,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(CliError::failed(format!(
                "Failed to open directory {}:{}",
                registry::RUN_DIR,
                sys::strerror(&e)
            )))
        }
    };
    let found = names
        .into_iter()
        .rev()
        .find(|name| stat_identity(registry::path_of(name)) == Some(wanted))
        .unwrap_or_default();
    write_line(&mut io::stdout().lock(), found.as_bytes())
}

/// `ip netns pids NAME`: prints every process whose network namespace is NAME's.
pub fn pids(words: &[String]) -> CliResult {
    let name = match words {
        [] => return Err(CliError::failed("No netns name specified")),
        [name] => name,
        _ => return Err(CliError::failed("extra arguments specified")),
    };
    let wanted = identity_of(registry::path_of(name))?;
    let proc_dir = std::fs::read_dir("/proc")
        .map_err(|e| CliError::failed(format!("Open of /proc failed: {}", sys::strerror(&e))))?;
    let mut out = io::stdout().lock();
    for entry in proc_dir.flatten() {
        let pid = entry.file_name();
        if !pid.as_bytes().iter().all(u8::is_ascii_digit) {
            continue;
        }
        let mut ns_path = std::ffi::OsString::from("/proc/");
        ns_path.push(&pid);
        ns_path.push("/ns/net");
        if stat_identity(&ns_path) == Some(wanted) {
            write_line(&mut out, pid.as_bytes())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pids_are_all_digits() {
        assert!(is_pid("1234"));
        assert!(is_pid(""));
        assert!(!is_pid("12a"));
        assert!(!is_pid("-1"));
        assert!(!is_pid("self"));
    }
}
