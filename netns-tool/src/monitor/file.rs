//! `ip monitor file FILE`: a saved stream of netlink messages (what `rtmon` records), read
//! as iproute2's `rtnl_from_file` reads it: a 16-byte header, then the rest of the message
//! padded to 4 bytes, each length checked before it is used.

use std::io::{self, Read, Write};

use netlink_core::wire::Message;

use super::events::Monitor;
use crate::toolbox::error::{os_failed, os_message, CliError, CliResult};
use crate::toolbox::files::open_read;

/// Largest message `ip monitor file` accepts (its read buffer).
const FILE_MESSAGE_MAX: usize = 16384;

/// The netlink header's length.
const HEADER_LEN: usize = 16;

/// Opens `path` with ip's error wording and replays it.
pub fn replay_path<W: Write, E: Write>(monitor: &mut Monitor<'_, W, E>, path: &str) -> CliResult {
    let file = open_read(path)
        .map_err(|e| CliError::usage(os_message(format_args!("Cannot fopen"), &e)))?;
    replay(monitor, file)
}

/// Prints every message of `input` until it ends, a message is malformed, or the output
/// goes away.
pub fn replay<W: Write, E: Write>(
    monitor: &mut Monitor<'_, W, E>,
    mut input: impl Read,
) -> CliResult {
    let mut buf = vec![0u8; FILE_MESSAGE_MAX];
    let mut offset: u64 = 0;
    while let Some(len) = read_message(&mut input, &mut buf, &mut offset)? {
        let msg =
            Message::parse(buf.get(..len).unwrap_or(&[])).map_err(|_| malformed(len, offset))?;
        if monitor.event(&msg).is_err() {
            return Ok(());
        }
    }
    Ok(())
}

fn malformed(len: usize, offset: u64) -> CliError {
    CliError::failed(format!("!!!malformed message: len={len} @{offset}"))
}

fn truncated() -> CliError {
    CliError::failed("rtnl-from_file: truncated message")
}

fn read_failed(e: &io::Error) -> CliError {
    os_failed(format_args!("rtnl_from_file: fread"), e)
}

/// Reads the next message into `buf` and returns its length (None at a clean end of input);
/// `offset` counts the bytes read, for ip's malformed-message report.
fn read_message(
    input: &mut impl Read,
    buf: &mut [u8],
    offset: &mut u64,
) -> CliResult<Option<usize>> {
    let header = buf.get_mut(..HEADER_LEN).ok_or_else(truncated)?;
    match read_full(input, header).map_err(|e| read_failed(&e))? {
        0 => return Ok(None),
        HEADER_LEN => {}
        _ => return Err(truncated()),
    }
    *offset = offset.saturating_add(HEADER_LEN as u64);
    let len = header
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_ne_bytes);
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if !(HEADER_LEN..=FILE_MESSAGE_MAX).contains(&len) {
        return Err(malformed(len, *offset));
    }
    // Within FILE_MESSAGE_MAX, which is a multiple of 4: the padded body fits the buffer.
    let body_len = (len - HEADER_LEN).next_multiple_of(4);
    let body = buf
        .get_mut(HEADER_LEN..HEADER_LEN + body_len)
        .ok_or_else(|| malformed(len, *offset))?;
    if read_full(input, body).map_err(|e| read_failed(&e))? != body_len {
        return Err(truncated());
    }
    *offset = offset.saturating_add(body_len as u64);
    Ok(Some(len))
}

/// Reads until `buf` is full or the input ends; returns how much was read.
fn read_full(input: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while let Some(rest) = buf.get_mut(done..).filter(|r| !r.is_empty()) {
        match input.read(rest) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
