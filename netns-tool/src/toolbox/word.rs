//! Words of the command line and of batch files as the parsers see them. Arguments are
//! bytes, not text: an interface or namespace name may hold any byte the kernel takes. A
//! word that is not UTF-8 is carried losslessly inside a `String` ([`word_from_os`]), so
//! every parser works on `&str`, and turned back into its exact bytes where it leaves the
//! program ([`word_bytes`]: a request attribute, a path, stderr).

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

// A byte that is not part of valid UTF-8 travels as one code point of this private-use
// block (plane 16), U+10FF00 + byte. Valid input that itself holds such a code point is
// escaped byte by byte too, so decoding is exact for every input.
const ESCAPE_BASE: u32 = 0x10_FF00;

/// A command-line or batch word as the parsers see it; non-UTF-8 bytes are kept exactly.
pub fn word_from_os(word: OsString) -> String {
    word_from_bytes(&word.into_vec())
}

/// [`word_from_os`] over raw bytes (batch files are read as bytes).
pub fn word_from_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    push_word(&mut out, bytes);
    out
}

/// [`word_from_bytes`] appended to `out` (a printer's reused buffer).
pub fn push_word(out: &mut String, mut bytes: &[u8]) {
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => return push_valid(out, valid),
            Err(e) => {
                let (good, bad) = bytes.split_at(e.valid_up_to());
                push_valid(out, std::str::from_utf8(good).unwrap_or_default());
                // `None`: the input ends inside a sequence; every remaining byte is invalid.
                let invalid_len = e.error_len().unwrap_or(bad.len()).min(bad.len());
                let (invalid, rest) = bad.split_at(invalid_len);
                invalid.iter().for_each(|&b| push_escaped(out, b));
                bytes = rest;
            }
        }
    }
}

fn push_valid(out: &mut String, valid: &str) {
    // Every code point to escape (plane 16) starts with the byte 0xF4: text without one
    // is copied whole.
    if !valid.as_bytes().contains(&0xF4) {
        out.push_str(valid);
        return;
    }
    for c in valid.chars() {
        if u32::from(c) >= ESCAPE_BASE {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf)
                .bytes()
                .for_each(|b| push_escaped(out, b));
        } else {
            out.push(c);
        }
    }
}

fn push_escaped(out: &mut String, byte: u8) {
    if let Some(c) = char::from_u32(ESCAPE_BASE + u32::from(byte)) {
        out.push(c);
    }
}

/// The spaces C's `%-Ns` puts after `word` to fill `width` bytes (it counts bytes, not
/// characters; none when the word is longer): ip's `-br` columns.
pub fn c_padding(word: &str, width: usize) -> String {
    " ".repeat(width.saturating_sub(word_bytes(word).len()))
}

/// The exact bytes a word stood for on the command line.
pub fn word_bytes(word: &str) -> Cow<'_, [u8]> {
    // Every escape code point (plane 16) starts with the byte 0xF4 in UTF-8: a word without
    // one is its own bytes, found without decoding it (printers ask this for every value).
    if !word.as_bytes().contains(&0xF4) || !word.chars().any(|c| u32::from(c) >= ESCAPE_BASE) {
        return Cow::Borrowed(word.as_bytes());
    }
    let mut out = Vec::with_capacity(word.len());
    for c in word.chars() {
        match u32::from(c).checked_sub(ESCAPE_BASE) {
            Some(byte) => out.push(u8::try_from(byte).unwrap_or(b'?')),
            None => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Cow::Owned(out)
}

/// A word as an OS string (a path or a program argument), with its exact bytes.
pub fn word_os(word: &str) -> Cow<'_, OsStr> {
    match word_bytes(word) {
        Cow::Borrowed(b) => Cow::Borrowed(OsStr::from_bytes(b)),
        Cow::Owned(v) => Cow::Owned(OsString::from_vec(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_every_byte() {
        for bytes in [
            &b"eth0"[..],
            b"\xff",
            b"a\xfe\xffb",
            b"\xc3",
            b"\xc3\xa9",
            "\u{10FF41}".as_bytes(),
            b"x\xf4\x8f\xbf\xbf\xe2\x82",
        ] {
            let word = word_from_bytes(bytes);
            assert_eq!(&*word_bytes(&word), bytes, "{bytes:?}");
        }
        assert_eq!(word_from_bytes(b"dev"), "dev");
    }
}
