//! The JSON side of the output: iproute2's `json_writer` rules (separators, pretty
//! indents), string quoting through a byte table in runs of plain bytes, and decimal
//! numbers written from a stack buffer.

use super::args::word_bytes;

/// iproute2's `json_writer` state: compact without `-p`; with it, objects break lines with
/// 4-space indents and arrays of scalars stay on one line as `[ "a","b" ]`.
#[derive(Clone, Copy, Debug)]
pub(super) struct JsonWriter {
    pub(super) pretty: bool,
    pub(super) depth: usize,
    // The separator owed before the next element: ',' after an element, 0 at a fresh level.
    pub(super) sep: u8,
}

impl JsonWriter {
    /// Starts a value: the separator owed before it.
    pub(super) fn value(&mut self, out: &mut Vec<u8>) {
        if self.sep != 0 {
            out.push(self.sep);
        }
        self.sep = b',';
    }

    fn end_of_line(&self, out: &mut Vec<u8>) {
        if self.pretty {
            out.push(b'\n');
            for _ in 0..self.depth {
                out.extend_from_slice(b"    ");
            }
        }
    }

    pub(super) fn begin(&mut self, out: &mut Vec<u8>, bracket: u8) {
        self.value(out);
        out.push(bracket);
        self.depth += 1;
        self.sep = 0;
        if self.pretty && bracket == b'[' {
            out.push(b' ');
        }
    }

    pub(super) fn end(&mut self, out: &mut Vec<u8>, bracket: u8) {
        self.depth = self.depth.saturating_sub(1);
        if self.sep != 0 {
            self.end_of_line(out);
        }
        out.push(bracket);
        self.sep = b',';
    }

    /// `"name":` before a value. Keys are the program's own constants, plain ASCII that
    /// needs no escaping.
    pub(super) fn name(&mut self, out: &mut Vec<u8>, name: &str) {
        self.value(out);
        self.end_of_line(out);
        self.sep = 0;
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(if self.pretty { b"\": " } else { b"\":" });
    }

    pub(super) fn field_str(&mut self, out: &mut Vec<u8>, name: &str, value: &str) {
        self.name(out, name);
        self.value(out);
        quote(out, &word_bytes(value));
    }

    pub(super) fn field_raw(&mut self, out: &mut Vec<u8>, name: &str, value: &str) {
        self.name(out, name);
        self.value(out);
        out.extend_from_slice(value.as_bytes());
    }
}

/// For each byte, 0 when it stands for itself in a JSON string, else the letter after its
/// backslash (`u` for the `\u00XX` form).
static JSON_ESCAPES: [u8; 256] = json_escapes();

const fn json_escapes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
}

/// A JSON string of exact bytes: quote, backslash and control characters escaped (as
/// `\u00XX` where ip 6.1 would write the raw byte and make the JSON invalid), every other
/// byte as it is, non-UTF-8 ones too, as ip prints them.
pub(super) fn quote(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let mut plain_from = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let escape = JSON_ESCAPES[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(bytes.get(plain_from..at).unwrap_or_default());
        out.extend_from_slice(&[b'\\', escape]);
        if escape == b'u' {
            let high = HEX[usize::from(byte >> 4)];
            let low = HEX[usize::from(byte & 0xf)];
            out.extend_from_slice(&[b'0', b'0', high, low]);
        }
        plain_from = at + 1;
    }
    out.extend_from_slice(bytes.get(plain_from..).unwrap_or_default());
    out.push(b'"');
}

/// Appends `value` in decimal (no allocation, no formatting machinery).
pub fn push_u64(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
        start -= 1;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(start..).unwrap_or_default());
}

/// `0x` and `value` in lower-case hex, at least `min_digits` digits (Rust's `{:#x}` for 1,
/// C's `0x%02x` for 2), written into `buf` without the formatting machinery.
pub fn hex_text(buf: &mut [u8; 10], value: u32, min_digits: u32) -> &str {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let needed = (u32::BITS - value.leading_zeros()).div_ceil(4);
    let len = needed.max(min_digits).min(8) as usize;
    *buf = [b'0'; 10];
    buf[1] = b'x';
    for (k, slot) in buf.iter_mut().skip(2).take(len).rev().enumerate() {
        *slot = DIGITS[((value >> (4 * k)) & 0xf) as usize];
    }
    std::str::from_utf8(buf.get(..2 + len).unwrap_or_default()).unwrap_or_default()
}

/// Appends `value` in decimal, with its sign.
pub fn push_i64(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    push_u64(out, value.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_written_as_the_formatter_writes_it() {
        for v in [0u32, 7, 0x10, 0xff, 0x1234, 0x8000_0000, u32::MAX] {
            for digits in [1, 2, 4] {
                let width = digits as usize + 2;
                let text = hex_text(&mut [0; 10], v, digits).to_owned();
                assert_eq!(text, format!("{v:#0width$x}"), "{v} {digits}");
            }
        }
    }

    #[test]
    fn numbers_are_written_exactly() {
        for v in [0u64, 7, 10, 99, 100, 4_294_967_295, u64::MAX] {
            let mut buf = Vec::new();
            push_u64(&mut buf, v);
            assert_eq!(buf, v.to_string().as_bytes());
        }
        for v in [i64::MIN, -1, 0, 42, i64::MAX] {
            let mut buf = Vec::new();
            push_i64(&mut buf, v);
            assert_eq!(buf, v.to_string().as_bytes());
        }
    }

    #[test]
    fn fields_are_separated_and_quoted() {
        let mut out = Vec::new();
        let mut j = JsonWriter {
            pretty: false,
            depth: 0,
            sep: 0,
        };
        j.begin(&mut out, b'{');
        j.field_str(&mut out, "a", "x\"y");
        j.field_raw(&mut out, "b", "null");
        j.end(&mut out, b'}');
        assert_eq!(out, br#"{"a":"x\"y","b":null}"#);
    }
}
