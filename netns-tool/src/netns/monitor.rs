//! `ip netns monitor`: names appearing in and vanishing from /run/netns, via inotify.

use std::io::{self, Write};

use super::{registry, sys};
use crate::toolbox::args::word_from_bytes;
use crate::toolbox::error::{os_failed, CliError, CliResult};
use crate::toolbox::output::Out;

/// Size of `struct inotify_event` before its name.
const EVENT_HEADER_LEN: usize = 16;

/// One event decoded from an inotify read: its mask and name (NUL padding removed).
#[derive(Debug, PartialEq, Eq)]
pub struct Event<'a> {
    /// `IN_*` bits.
    pub mask: u32,
    /// The directory entry the event is about.
    pub name: &'a [u8],
}

/// Walks the events of one inotify read; stops at a truncated tail instead of reading past it.
pub fn events(buf: &[u8]) -> impl Iterator<Item = Event<'_>> {
    let mut rest = buf;
    std::iter::from_fn(move || {
        let header = rest.get(..EVENT_HEADER_LEN)?;
        let mask = u32::from_ne_bytes(header.get(4..8)?.try_into().ok()?);
        let len = u32::from_ne_bytes(header.get(12..16)?.try_into().ok()?);
        let end = EVENT_HEADER_LEN.checked_add(usize::try_from(len).ok()?)?;
        let raw_name = rest.get(EVENT_HEADER_LEN..end)?;
        rest = rest.get(end..).unwrap_or(&[]);
        let name_len = raw_name
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(raw_name.len());
        Some(Event {
            mask,
            name: raw_name.get(..name_len).unwrap_or(&[]),
        })
    })
}

/// Runs until killed (or until stdout goes away), one flushed line per event.
pub fn monitor() -> CliResult {
    // SAFETY: inotify_init1 takes only flags and returns a new descriptor or -1.
    let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC) };
    if fd < 0 {
        let e = io::Error::last_os_error();
        return Err(os_failed(format_args!("inotify_init failed"), &e));
    }
    registry::create_run_dir()?;
    let watch_failed = |e: &io::Error| os_failed(format_args!("inotify_add_watch failed"), e);
    let dir = sys::c_path(registry::RUN_DIR).map_err(|e| watch_failed(&e))?;
    // SAFETY: `fd` is our inotify descriptor and `dir` a valid NUL-terminated path.
    if unsafe { libc::inotify_add_watch(fd, dir.as_ptr(), libc::IN_CREATE | libc::IN_DELETE) } < 0 {
        return Err(watch_failed(&io::Error::last_os_error()));
    }
    // Large enough for any single event; events are decoded bytewise, so no alignment needed.
    let mut buf = [0u8; 4096];
    // ip prints these lines as text whatever `-j` says.
    let mut out = Out::stdout(false, false);
    loop {
        // SAFETY: the buffer is valid for writes of its full byte length.
        let len = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        let Ok(len) = usize::try_from(len) else {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(os_failed(format_args!("read failed"), &e));
        };
        let printed = events(buf.get(..len).unwrap_or(&[]))
            .try_for_each(|event| print_event(&mut out, &event))
            .and_then(|()| out.finish());
        if printed.is_err() {
            // Nobody is reading any more: stop quietly, as a killed ip would.
            return Err(CliError::failed(String::new()));
        }
    }
}

/// One event as ip prints it: `add NAME` / `delete NAME` (both for an event with both bits).
fn print_event<W: Write>(out: &mut Out<W>, event: &Event<'_>) -> io::Result<()> {
    let name = word_from_bytes(event.name);
    if event.mask & libc::IN_CREATE != 0 {
        out.put_str("name", "add ", &name, "\n")?;
    }
    if event.mask & libc::IN_DELETE != 0 {
        out.put_str("name", "delete ", &name, "\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(mask: u32, name: &[u8], padded: usize) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&1i32.to_ne_bytes());
        v.extend_from_slice(&mask.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v.extend_from_slice(&(padded as u32).to_ne_bytes());
        let mut n = name.to_vec();
        n.resize(padded, 0);
        v.extend_from_slice(&n);
        v
    }

    #[test]
    fn decodes_consecutive_events() {
        let mut buf = event(libc::IN_CREATE, b"alpha", 16);
        buf.extend(event(libc::IN_DELETE, b"b", 4));
        let got: Vec<_> = events(&buf).collect();
        assert_eq!(
            got,
            vec![
                Event {
                    mask: libc::IN_CREATE,
                    name: b"alpha"
                },
                Event {
                    mask: libc::IN_DELETE,
                    name: b"b"
                },
            ]
        );
    }

    #[test]
    fn events_print_their_names_bytes() {
        let mut text = Vec::new();
        let mut out = Out::boxed(&mut text, false, false);
        let both = Event {
            mask: libc::IN_CREATE | libc::IN_DELETE,
            name: b"n\xff\"",
        };
        print_event(&mut out, &both).expect("writes");
        drop(out);
        assert_eq!(text, b"add n\xff\"\ndelete n\xff\"\n");
    }

    #[test]
    fn stops_at_a_truncated_or_lying_event() {
        let mut buf = event(libc::IN_CREATE, b"ok", 4);
        let mut lying = event(libc::IN_CREATE, b"x", 4);
        lying[12..16].copy_from_slice(&u32::MAX.to_ne_bytes());
        buf.extend(lying);
        assert_eq!(events(&buf).count(), 1);
        assert_eq!(events(&buf[..10]).count(), 0);
    }
}
