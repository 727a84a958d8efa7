//! The words of a command line as ip reads them: keyword prefixes (`matches`), the cursor
//! every object parses with, ip's usage errors, numbers as C's `strtoul` reads them, and the
//! global options every command sees.
//! Words that are not UTF-8 are carried losslessly: see [`super::word`].

use super::color::Palette;
use super::error::{CliError, CliResult};
pub use super::word::{word_bytes, word_from_bytes, word_from_os, word_os};

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

/// The global options, as ip keeps them: where the command runs (`-n`, `-4`/`-6`, `-all`),
/// how a batch goes on, what it shows, and in which form.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `-n NETNS`: the namespace already switched to.
    pub netns: Option<String>,
    /// `-4` / `-6`.
    pub family: Family,
    /// `-all`.
    pub all: bool,
    /// `-batch FILE`: commands that would replace the process (`netns exec`) fork instead.
    pub batch: bool,
    /// `-force`: go on after a failed batch line.
    pub force: bool,
    /// `-d`, counted.
    pub details: u8,
    /// `-s`, counted.
    pub stats: u8,
    /// `-t` / `-ts`: how monitor events are stamped with the time they arrived.
    pub timestamp: Option<StampForm>,
    /// `-j`.
    pub json: bool,
    /// `-p`.
    pub pretty: bool,
    /// `-o`.
    pub oneline: bool,
    /// `-br`: one line per link (or per link's addresses).
    pub brief: bool,
    /// `-c`: the palette text output paints with, if any (decided once, as ip does).
    pub color: Option<Palette>,
}

/// The time stamp `-t` (`Timestamp: ...` line) or `-ts` (`[...]` prefix) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StampForm {
    /// `-t`: a `Timestamp: DATE N usec` line before the event.
    Line,
    /// `-ts`: `[YYYY-MM-DDTHH:MM:SS.UUUUUU] ` before the event, on its line.
    Short,
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
            color: None,
            timestamp: None,
            batch: false,
        }
    }
}

/// Matches ip's `matches()`: `word` is a non-empty prefix of `full`.
pub fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// How a keyword of a [`keyword`] table may be written: in full only (C's `strcmp`), or as
/// any non-empty prefix of it (ip's `matches`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// The whole keyword.
    Full,
    /// Any non-empty prefix.
    Prefix,
}

/// The key of the first entry of `table` that `word` spells. A table in ip's order of tests
/// stands for its chain of `strcmp` / `matches` tests: one loop over data instead of a
/// compare and a branch compiled for each keyword.
pub fn keyword<K: Copy>(word: &str, table: &[(&str, Spelling, K)]) -> Option<K> {
    table
        .iter()
        .find(|(name, spelling, _)| match spelling {
            Spelling::Full => word == *name,
            Spelling::Prefix => matches(word, name),
        })
        .map(|&(_, _, key)| key)
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
    /// The value after a keyword as `parse` reads it, or ip's `invarg(what, value)`.
    pub fn parsed<T>(&mut self, parse: fn(&str) -> Option<T>, what: &str) -> CliResult<T> {
        let value = self.value()?;
        parse(value).ok_or_else(|| invarg(what, value))
    }
    /// `[KEYWORD] VALUE` where the keyword may be left out: the word after `word` when
    /// `word` is the keyword, else `word` itself.
    pub fn after_optional(&mut self, word: &'a str, keyword: &str) -> CliResult<&'a str> {
        if word == keyword {
            self.value()
        } else {
            Ok(word)
        }
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

/// ip's refusal of a command word its object does not have: `Command "WORD" is unknown, try
/// "ip OBJECT help".` (`command` is `ip OBJECT`), at the usage status.
pub fn unknown_command(command: &str, word: &str) -> CliError {
    CliError::usage(format!(
        "Command \"{word}\" is unknown, try \"{command} help\"."
    ))
}

/// The last case of ip's show selectors (`link show`, `addr show`): `dev NAME`, `help`, or
/// a bare NAME; a second name is ip's `duparg2`.
pub fn device_selector<'a>(
    args: &mut Args<'a>,
    word: &'a str,
    already: Option<&'a str>,
    usage: impl FnOnce() -> CliError,
) -> CliResult<&'a str> {
    let name = if word == "dev" {
        args.value()?
    } else if matches(word, "help") {
        return Err(usage());
    } else {
        word
    };
    if already.is_some() {
        return Err(duparg2("dev", name));
    }
    Ok(name)
}

/// `type KIND` of a show selector: `KIND_slave` selects ports of that kind.
pub fn kind_selector(kind: &str) -> (Option<&str>, Option<&str>) {
    match kind.strip_suffix("_slave") {
        Some(slave) => (None, Some(slave)),
        None => (Some(kind), None),
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

/// The characters C's `isspace` accepts (in the C locale), which its number readers skip.
pub const C_SPACE: [char; 6] = [' ', '\t', '\n', '\x0b', '\x0c', '\r'];

/// C's `strtoul(s, &end, 0)`: the number at the start of `s` (decimal, `0x` hex or
/// leading-0 octal, after optional blanks and sign as C allows) and what follows it.
/// `None` when no digit was read or the value does not fit 64 bits.
pub fn strtoul(s: &str) -> Option<(u64, &str)> {
    if let Some(plain) = plain_decimal(s) {
        return plain;
    }
    let trimmed = s.trim_start_matches(C_SPACE);
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
    let value = digits_value(number.as_bytes(), radix)?;
    let value = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value, digits.get(len..).unwrap_or_default()))
}

/// [`strtoul`] of a word that starts with a digit from 1 to 9 (no blank, sign or base
/// prefix): its decimal number and what follows, read in one pass (the addresses and
/// numbers of a batch of thousands of lines). None when `s` does not start so.
fn plain_decimal(s: &str) -> Option<Option<(u64, &str)>> {
    let bytes = s.as_bytes();
    if !bytes.first().is_some_and(|b| (b'1'..=b'9').contains(b)) {
        return None;
    }
    let len = bytes
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(bytes.len());
    let value = digits_value(bytes.get(..len).unwrap_or_default(), 10);
    Some(value.map(|v| (v, s.get(len..).unwrap_or_default())))
}

/// The number `digits` write in `radix` (2 to 36): the toolbox's one digit reader. None
/// when a byte is not a digit of `radix` or the value does not fit 64 bits; zero for no
/// digits.
pub fn digits_value(digits: &[u8], radix: u32) -> Option<u64> {
    digits.iter().try_fold(0u64, |value, &digit| {
        let digit = char::from(digit).to_digit(radix)?;
        value
            .checked_mul(u64::from(radix))?
            .checked_add(u64::from(digit))
    })
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

/// ip's `get_u16(.., 0)`: like [`parse_u32`], limited to 16 bits.
pub fn parse_u16(s: &str) -> Option<u16> {
    parse_u32(s).and_then(|v| u16::try_from(v).ok())
}

/// ip's `get_integer(.., 0)`: a whole-word `int` (sign allowed) in C's reading.
pub fn parse_c_int(s: &str) -> Option<i32> {
    let s = s.trim_start_matches(C_SPACE);
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
        assert_eq!(parse_u8("256"), None);
        assert_eq!(parse_u16("0xffff"), Some(u16::MAX));
        assert_eq!(parse_u16("65536"), None);
        assert_eq!(strtoul("12.7"), Some((12, ".7")));
        assert_eq!(strtoul("18446744073709551615x"), Some((u64::MAX, "x")));
        assert_eq!(strtoul("18446744073709551616"), None);
        assert_eq!(strtoul("99999999999999999999999"), None);
        assert_eq!(strtoul(" 5"), Some((5, "")));
    }

    #[test]
    fn c_integers_read_as_strtol_base_0() {
        let words = ["7", "0x10", "010", "0", "-3", "-0x10"];
        assert_eq!(words.map(parse_c_int), [7, 16, 8, 0, -3, -16].map(Some));
        let refused = [
            "2147483648",
            "99999999999",
            "abc",
            "08",
            "",
            "-",
            "0x",
            "--1",
        ];
        assert_eq!(refused.map(parse_c_int), [None; 8]);
    }
}
