//! The words of a command line as ip reads them: keyword prefixes (`matches`), the cursor
//! every object parses with, ip's usage errors, numbers as C's `strtoul` reads them, and the
//! global options every command sees.
//!
//! Arguments are bytes, not text: an interface or namespace name may hold any byte the kernel
//! takes. Every parser works on `&str` all the same, because a word that is not UTF-8 is
//! carried losslessly inside one (see [`word_from_os`]) and turned back into its exact bytes
//! where it leaves the program ([`word_bytes`]: a request attribute, a path, stderr).

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};

use super::error::{CliError, CliResult};

/// Address family filter from `-4`, `-6` or `-f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Both.
    Any,
    /// `-4`.
    V4,
    /// `-6`.
    V6,
}

impl Family {
    /// The `AF_*` value for a dump request (`AF_UNSPEC` for both).
    pub fn af(self) -> u8 {
        match self {
            Family::Any => libc::AF_UNSPEC as u8,
            Family::V4 => libc::AF_INET as u8,
            Family::V6 => libc::AF_INET6 as u8,
        }
    }
}

/// The global options, as ip keeps them.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `-n NETNS`: the namespace already switched to.
    pub netns: Option<String>,
    /// `-j`.
    pub json: bool,
    /// `-p`.
    pub pretty: bool,
    /// `-4` / `-6`.
    pub family: Family,
    /// `-d`, counted.
    pub details: u8,
    /// `-s`, counted.
    pub stats: u8,
    /// `-all`.
    pub all: bool,
    /// `-force`: go on after a failed batch line.
    pub force: bool,
    /// `-o`.
    pub oneline: bool,
    /// `-br`: one line per link (or per link's addresses).
    pub brief: bool,
    /// `-batch FILE`: commands that would replace the process (`netns exec`) fork instead.
    pub batch: bool,
}

impl Default for Globals {
    fn default() -> Self {
        Globals {
            netns: None,
            json: false,
            pretty: false,
            family: Family::Any,
            details: 0,
            stats: 0,
            all: false,
            force: false,
            oneline: false,
            brief: false,
            batch: false,
        }
    }
}

// A byte that is not part of valid UTF-8 travels as one code point of this private-use
// block (plane 16), U+10FF00 + byte. Valid input that itself holds such a code point is
// escaped byte by byte too, so decoding is exact for every input.
const ESCAPE_BASE: u32 = 0x10_FF00;

/// A command-line or batch word as the parsers see it; non-UTF-8 bytes are kept exactly.
pub fn word_from_os(word: OsString) -> String {
    word_from_bytes(&word.into_vec())
}

/// [`word_from_os`] over raw bytes (batch files are read as bytes).
pub fn word_from_bytes(mut bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                push_valid(&mut out, valid);
                return out;
            }
            Err(e) => {
                let (good, bad) = bytes.split_at(e.valid_up_to());
                push_valid(&mut out, std::str::from_utf8(good).unwrap_or_default());
                // `None`: the input ends inside a sequence; every remaining byte is invalid.
                let invalid_len = e.error_len().unwrap_or(bad.len()).min(bad.len());
                let (invalid, rest) = bad.split_at(invalid_len);
                invalid.iter().for_each(|&b| push_escaped(&mut out, b));
                bytes = rest;
            }
        }
    }
}

fn push_valid(out: &mut String, valid: &str) {
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

/// Matches ip's `matches()`: `word` is a non-empty prefix of `full`.
pub fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// A cursor over the words after the object, with ip's keyword helpers.
#[derive(Debug, Clone)]
pub struct Args<'a> {
    words: &'a [String],
    pos: usize,
}

impl<'a> Args<'a> {
    /// A cursor at the first of `words`.
    pub fn new(words: &'a [String]) -> Self {
        Args { words, pos: 0 }
    }
    /// The next word, consumed.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.pos)?;
        self.pos += 1;
        Some(w.as_str())
    }
    /// The next word, not consumed.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).map(String::as_str)
    }
    /// The value after a keyword, or ip's "Command line is not complete" error.
    pub fn value(&mut self) -> CliResult<&'a str> {
        self.next().ok_or_else(incomplete)
    }
    /// Everything not yet consumed.
    pub fn rest(&self) -> &'a [String] {
        self.words.get(self.pos..).unwrap_or(&[])
    }
    /// Whether all words are consumed.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
    }
}

/// ip's error for a keyword without its value.
pub fn incomplete() -> CliError {
    CliError::usage("Command line is not complete. Try option \"help\"")
}

/// ip's `duparg2`: `Error: either "dev" is duplicate, or "x" is a garbage.`
pub fn duparg2(key: &str, arg: &str) -> CliError {
    CliError::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage."
    ))
}

/// ip's `duparg`: a keyword given twice.
pub fn duparg(key: &str, arg: &str) -> CliError {
    CliError::usage(format!(
        "Error: duplicate \"{key}\": \"{arg}\" is the second value."
    ))
}

/// ip's `invarg`: `Error: argument "x" is wrong: what`.
pub fn invarg(what: &str, arg: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{arg}\" is wrong: {what}"))
}

/// `on` / `off` as ip's `parse_on_off` reads them (a refusal is a failed command, not a
/// usage error: ip returns `-EINVAL` from the command).
pub fn on_off(key: &str, value: &str) -> CliResult<bool> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(CliError::failed(format!(
            "Error: argument of \"{key}\" must be \"on\" or \"off\", not \"{value}\""
        ))),
    }
}

/// C's `strtoul(s, &end, 0)`: the number at the start of `s` (decimal, `0x` hex or
/// leading-0 octal, after optional blanks and sign as C allows) and what follows it.
/// `None` when no digit was read or the value does not fit 64 bits.
pub fn strtoul(s: &str) -> Option<(u64, &str)> {
    let trimmed = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, unsigned) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, trimmed.get(1..)?),
        Some(b'+') => (false, trimmed.get(1..)?),
        _ => (false, trimmed),
    };
    let hex_digits = unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
        .filter(|r| r.starts_with(|c: char| c.is_ascii_hexdigit()));
    let (radix, digits) = match hex_digits {
        Some(rest) => (16, rest),
        None if unsigned.starts_with('0') => (8, unsigned),
        None => (10, unsigned),
    };
    let len = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    let number = digits.get(..len).filter(|d| !d.is_empty())?;
    let value = u64::from_str_radix(number, radix).ok()?;
    let value = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value, digits.get(len..).unwrap_or_default()))
}

/// ip's `get_u32(.., 0)`: the whole word a number, as [`strtoul`] reads it, within 32 bits.
pub fn parse_u32(s: &str) -> Option<u32> {
    match strtoul(s)? {
        (v, "") => u32::try_from(v).ok(),
        _ => None,
    }
}

/// Like [`parse_u32`], limited to 0..=255.
pub fn parse_u8(s: &str) -> Option<u8> {
    parse_u32(s).and_then(|v| u8::try_from(v).ok())
}

/// ip's `get_integer(.., 0)`: a whole-word `int` (sign allowed) in C's reading.
pub fn parse_c_int(s: &str) -> Option<i32> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (negative, magnitude) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if magnitude.starts_with(['-', '+', ' ', '\t']) {
        return None;
    }
    let (v, rest) = strtoul(magnitude)?;
    if !rest.is_empty() {
        return None;
    }
    let v = i64::try_from(v).ok()?;
    i32::try_from(if negative { -v } else { v }).ok()
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

    #[test]
    fn numbers_read_as_c_reads_them() {
        assert_eq!(strtoul("0x10z"), Some((16, "z")));
        assert_eq!(strtoul("010"), Some((8, "")));
        assert_eq!(strtoul("0"), Some((0, "")));
        assert_eq!(strtoul("0x"), Some((0, "x")));
        assert_eq!(strtoul("x"), None);
        assert_eq!(parse_u32("4294967295"), Some(u32::MAX));
        assert_eq!(parse_u32("4294967296"), None);
        assert_eq!(parse_u32("-1"), None);
        assert_eq!(parse_u32("+7"), Some(7));
        assert_eq!(parse_u32("12a"), None);
        assert_eq!(parse_u8("0xff"), Some(255));
        assert_eq!(parse_c_int("-0x10"), Some(-16));
        assert_eq!(parse_c_int("2147483648"), None);
        assert_eq!(parse_c_int("--1"), None);
    }
}
