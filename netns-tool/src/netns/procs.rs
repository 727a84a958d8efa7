//! `ip netns identify` and `ip netns pids`: namespaces and processes matched by the device and
//! inode of their nsfs files.

use std::ffi::OsString;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;

use super::registry;
use crate::toolbox::args::{word_from_bytes, word_os};
use crate::toolbox::error::{os_error_text, os_failed, write_error, CliError, CliResult};
use crate::toolbox::output::Out;

/// ip's test for a pid: only digits (an empty word passes, as in ip).
fn is_pid(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit())
}

/// Identity of a namespace file: (device, inode).
type NsId = (u64, u64);

/// Opens a namespace file and reads its identity, with ip's wording for either failure.
fn identity_of(path: impl AsRef<std::path::Path>) -> CliResult<NsId> {
    let file = crate::toolbox::files::open_read(path.as_ref())
        .map_err(|e| os_failed(format_args!("Cannot open network namespace"), &e))?;
    let meta = file
        .metadata()
        .map_err(|e| os_failed(format_args!("Stat of netns failed"), &e))?;
    Ok((meta.dev(), meta.ino()))
}

/// `stat` identity of a path, if it can be read.
fn stat_identity(path: impl AsRef<std::path::Path>) -> Option<NsId> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// One name (or pid) per line, as ip prints them: plain text whatever `-j` says.
fn print_lines<W: Write>(out: &mut Out<W>, names: &[OsString]) -> io::Result<()> {
    for name in names {
        out.put_str("name", "", &word_from_bytes(name.as_bytes()), "\n")?;
    }
    out.finish()
}

fn print_text_lines(names: &[OsString]) -> CliResult {
    print_lines(&mut Out::stdout(false, false), names).map_err(write_error)
}

/// `identify [PID]`'s words: the pid (`self` when none is given), all digits.
pub fn parse_identify(words: &[String]) -> CliResult<&str> {
    match words {
        [] => Ok("self"),
        [pid] if is_pid(pid) => Ok(pid),
        [pid] => Err(CliError::failed(format!(
            "Specified string '{pid}' is not a pid"
        ))),
        _ => Err(CliError::failed("extra arguments specified")),
    }
}

/// `ip netns identify [PID]`: prints the name bound to the process's namespace (the last one
/// in directory order if several are), or an empty line.
pub fn identify(pid: &str) -> CliResult {
    let mut ns_path = OsString::from("/proc/");
    ns_path.push(word_os(pid));
    ns_path.push("/ns/net");
    let wanted = identity_of(&ns_path)?;
    let names = match registry::names() {
        Ok(names) => names,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(CliError::failed(format!(
                "Failed to open directory {}:{}",
                registry::RUN_DIR,
                os_error_text(&e)
            )))
        }
    };
    let found = names
        .into_iter()
        .rev()
        .find(|name| stat_identity(registry::path_of(name)) == Some(wanted))
        .unwrap_or_default();
    print_text_lines(&[found])
}

/// `pids NAME`'s words.
pub fn parse_pids(words: &[String]) -> CliResult<&str> {
    match words {
        [] => Err(CliError::failed("No netns name specified")),
        [name] => Ok(name),
        _ => Err(CliError::failed("extra arguments specified")),
    }
}

/// `ip netns pids NAME`: prints every process whose network namespace is NAME's.
pub fn pids(name: &str) -> CliResult {
    let wanted = identity_of(registry::path_of(word_os(name)))?;
    let proc_dir = std::fs::read_dir("/proc")
        .map_err(|e| os_failed(format_args!("Open of /proc failed"), &e))?;
    let mut found = Vec::new();
    for entry in proc_dir.flatten() {
        let pid = entry.file_name();
        if !pid.to_str().is_some_and(is_pid) || pid.is_empty() {
            continue;
        }
        let mut ns_path = OsString::from("/proc/");
        ns_path.push(&pid);
        ns_path.push("/ns/net");
        if stat_identity(&ns_path) == Some(wanted) {
            found.push(pid);
        }
    }
    print_text_lines(&found)
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
