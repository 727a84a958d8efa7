//! One output for ip's two renderings: each call names the JSON key and the text fragment
//! of one value, and the output keeps whichever the command asked for (ip's `print_*`
//! calls with `PRINT_ANY`; the `text_*` / `json_*` methods are its `PRINT_FP` / `PRINT_JSON`).
//!
//! The JSON side is [`JsonWriter`], iproute2's `json_writer` byte for byte.

use std::fmt;
use std::io::{self, Write};

use super::args::word_bytes;

/// Text or JSON, over any writer.
pub enum Out<W: Write> {
    /// ip's plain text.
    Text(W),
    /// `-j` (and `-p`).
    Json(JsonWriter<W>),
}

impl<W: Write> Out<W> {
    /// JSON when `json`, else text.
    pub fn new(w: W, json: bool, pretty: bool) -> Self {
        if json {
            Out::Json(JsonWriter::new(w, pretty))
        } else {
            Out::Text(w)
        }
    }

    /// Whether this is the JSON rendering.
    pub fn is_json(&self) -> bool {
        matches!(self, Out::Json(_))
    }

    /// Text only.
    pub fn text(&mut self, text: fmt::Arguments<'_>) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(_) => Ok(()),
        }
    }

    /// A string: `"key":"value"` or the text.
    pub fn string(&mut self, key: &str, text: fmt::Arguments<'_>, value: &str) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => j.field_str(key, value),
        }
    }

    /// A word with exact bytes (a namespace name, a path): `"key":"value"`, or in text
    /// `before`, the word's own bytes, `after` (ip's `print_string(PRINT_ANY, key,
    /// "before%safter", value)` over a name that may not be UTF-8).
    pub fn word(&mut self, key: &str, before: &str, value: &str, after: &str) -> io::Result<()> {
        match self {
            Out::Text(w) => {
                w.write_all(before.as_bytes())?;
                w.write_all(&word_bytes(value))?;
                w.write_all(after.as_bytes())
            }
            Out::Json(j) => j.field_str(key, value),
        }
    }

    /// An unsigned number.
    pub fn uint(&mut self, key: &str, text: fmt::Arguments<'_>, value: u64) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => j.field_uint(key, value),
        }
    }

    /// A signed number.
    pub fn int(&mut self, key: &str, text: fmt::Arguments<'_>, value: i64) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => j.field_int(key, value),
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, key: &str, text: fmt::Arguments<'_>, value: bool) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => j.field_bool(key, value),
        }
    }

    /// `"key":null` or the text.
    pub fn null(&mut self, key: &str, text: fmt::Arguments<'_>) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => {
                j.name(key)?;
                j.null()
            }
        }
    }

    /// A value the JSON rendering keeps as a bare number with a fixed number of decimals
    /// (ip's timers), the text as given.
    pub fn raw_number(
        &mut self,
        key: &str,
        text: fmt::Arguments<'_>,
        json: fmt::Arguments<'_>,
    ) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => {
                j.name(key)?;
                j.raw(json)
            }
        }
    }

    /// JSON only: a string field.
    pub fn json_str(&mut self, key: &str, value: &str) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => j.field_str(key, value),
        }
    }

    /// JSON only: an unsigned field.
    pub fn json_uint(&mut self, key: &str, value: u64) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => j.field_uint(key, value),
        }
    }

    /// JSON only: a signed field.
    pub fn json_int(&mut self, key: &str, value: i64) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => j.field_int(key, value),
        }
    }

    /// JSON only: a boolean field.
    pub fn json_bool(&mut self, key: &str, value: bool) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => j.field_bool(key, value),
        }
    }

    /// JSON only: `{` (named inside an object, anonymous inside an array).
    pub fn open_object(&mut self, key: Option<&str>) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => {
                if let Some(key) = key {
                    j.name(key)?;
                }
                j.start_object()
            }
        }
    }

    /// JSON only: `}`.
    pub fn close_object(&mut self) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => j.end_object(),
        }
    }

    /// JSON only: `[`.
    pub fn open_array(&mut self, key: Option<&str>) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => {
                if let Some(key) = key {
                    j.name(key)?;
                }
                j.start_array()
            }
        }
    }

    /// JSON only: `]`.
    pub fn close_array(&mut self) -> io::Result<()> {
        match self {
            Out::Text(_) => Ok(()),
            Out::Json(j) => j.end_array(),
        }
    }

    /// An array element: the string in JSON, the text otherwise.
    pub fn element(&mut self, text: fmt::Arguments<'_>, value: &str) -> io::Result<()> {
        match self {
            Out::Text(w) => w.write_fmt(text),
            Out::Json(j) => j.string(value),
        }
    }

    /// Ends the output: JSON's closing newline, and a flush.
    pub fn finish(&mut self) -> io::Result<()> {
        match self {
            Out::Text(w) => w.flush(),
            Out::Json(j) => {
                j.inner().write_all(b"\n")?;
                j.inner().flush()
            }
        }
    }
}

/// A streaming JSON writer that reproduces iproute2's `json_writer` byte for byte: compact
/// without `-p`; with it, objects break lines with 4-space indents and arrays of scalars
/// stay on one line as `[ "a","b" ]`.
pub struct JsonWriter<W: Write> {
    out: W,
    pretty: bool,
    depth: usize,
    // The separator owed before the next element: ',' after an element, 0 at a fresh level.
    sep: u8,
}

impl<W: Write> JsonWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W, pretty: bool) -> Self {
        JsonWriter {
            out,
            pretty,
            depth: 0,
            sep: 0,
        }
    }

    fn end_of_record(&mut self) -> io::Result<()> {
        if self.sep != 0 {
            self.out.write_all(&[self.sep])?;
        }
        self.sep = b',';
        Ok(())
    }

    fn end_of_line(&mut self) -> io::Result<()> {
        if self.pretty {
            self.out.write_all(b"\n")?;
            for _ in 0..self.depth {
                self.out.write_all(b"    ")?;
            }
        }
        Ok(())
    }

    fn begin(&mut self, c: u8) -> io::Result<()> {
        self.end_of_record()?;
        self.out.write_all(&[c])?;
        self.depth += 1;
        self.sep = 0;
        Ok(())
    }

    fn end(&mut self, c: u8) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.sep != 0 {
            self.end_of_line()?;
        }
        self.out.write_all(&[c])?;
        self.sep = b',';
        Ok(())
    }

    /// `{`
    pub fn start_object(&mut self) -> io::Result<()> {
        self.begin(b'{')
    }
    /// `}`
    pub fn end_object(&mut self) -> io::Result<()> {
        self.end(b'}')
    }
    /// `[`
    pub fn start_array(&mut self) -> io::Result<()> {
        self.begin(b'[')?;
        if self.pretty {
            self.out.write_all(b" ")?;
        }
        Ok(())
    }
    /// `]`
    pub fn end_array(&mut self) -> io::Result<()> {
        if self.pretty && self.sep != 0 {
            self.out.write_all(b" ")?;
        }
        self.sep = 0;
        self.end(b']')
    }
    /// `"name": ` before a value.
    pub fn name(&mut self, name: &str) -> io::Result<()> {
        self.end_of_record()?;
        self.end_of_line()?;
        self.sep = 0;
        self.quoted(name)?;
        self.out.write_all(if self.pretty { b": " } else { b":" })
    }

    /// A JSON string of a word's exact bytes (see [`word_bytes`]): quote, backslash and the
    /// control characters escaped (as `\u00XX` where ip 6.1 would write the raw byte and
    /// make the JSON invalid), every other byte as it is, non-UTF-8 ones too, as ip prints them.
    fn quoted(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(b"\"")?;
        let bytes = word_bytes(s);
        let mut rest: &[u8] = &bytes;
        while let Some(at) = rest
            .iter()
            .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        {
            let (plain, special) = rest.split_at(at);
            self.out.write_all(plain)?;
            let Some((&byte, after)) = special.split_first() else {
                break;
            };
            match byte {
                b'"' => self.out.write_all(b"\\\"")?,
                b'\\' => self.out.write_all(b"\\\\")?,
                b'\n' => self.out.write_all(b"\\n")?,
                b'\r' => self.out.write_all(b"\\r")?,
                b'\t' => self.out.write_all(b"\\t")?,
                0x08 => self.out.write_all(b"\\b")?,
                0x0c => self.out.write_all(b"\\f")?,
                other => write!(self.out, "\\u{other:04x}")?,
            }
            rest = after;
        }
        self.out.write_all(rest)?;
        self.out.write_all(b"\"")
    }

    /// A string value (in an array, or after [`JsonWriter::name`]).
    pub fn string(&mut self, s: &str) -> io::Result<()> {
        self.end_of_record()?;
        self.quoted(s)
    }
    /// An unsigned number value.
    pub fn uint(&mut self, v: u64) -> io::Result<()> {
        self.end_of_record()?;
        write!(self.out, "{v}")
    }
    /// A signed number value.
    pub fn int(&mut self, v: i64) -> io::Result<()> {
        self.end_of_record()?;
        write!(self.out, "{v}")
    }
    /// `true` / `false`.
    pub fn bool(&mut self, v: bool) -> io::Result<()> {
        self.end_of_record()?;
        self.out.write_all(if v { b"true" } else { b"false" })
    }
    /// A value already in JSON form (a number with fixed decimals, as ip prints timers).
    pub fn raw(&mut self, value: std::fmt::Arguments<'_>) -> io::Result<()> {
        self.end_of_record()?;
        self.out.write_fmt(value)
    }
    /// `null`.
    pub fn null(&mut self) -> io::Result<()> {
        self.end_of_record()?;
        self.out.write_all(b"null")
    }
    /// `"name": "s"`.
    pub fn field_str(&mut self, name: &str, s: &str) -> io::Result<()> {
        self.name(name)?;
        self.string(s)
    }
    /// `"name": v`.
    pub fn field_uint(&mut self, name: &str, v: u64) -> io::Result<()> {
        self.name(name)?;
        self.uint(v)
    }
    /// `"name": v`.
    pub fn field_int(&mut self, name: &str, v: i64) -> io::Result<()> {
        self.name(name)?;
        self.int(v)
    }
    /// `"name": true|false`.
    pub fn field_bool(&mut self, name: &str, v: bool) -> io::Result<()> {
        self.name(name)?;
        self.bool(v)
    }
    /// The underlying writer.
    pub fn inner(&mut self) -> &mut W {
        &mut self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(pretty: bool) -> String {
        let mut out = Vec::new();
        let mut j = JsonWriter::new(&mut out, pretty);
        j.start_array().unwrap();
        j.start_object().unwrap();
        j.field_uint("ifindex", 3).unwrap();
        j.name("flags").unwrap();
        j.start_array().unwrap();
        j.string("BROADCAST").unwrap();
        j.string("UP").unwrap();
        j.end_array().unwrap();
        j.name("empty").unwrap();
        j.start_array().unwrap();
        j.end_array().unwrap();
        j.name("addr_info").unwrap();
        j.start_array().unwrap();
        j.start_object().unwrap();
        j.field_str("family", "inet").unwrap();
        j.end_object().unwrap();
        j.end_array().unwrap();
        j.end_object().unwrap();
        j.end_array().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn compact_json_matches_ip() {
        assert_eq!(
            render(false),
            r#"[{"ifindex":3,"flags":["BROADCAST","UP"],"empty":[],"addr_info":[{"family":"inet"}]}]"#
        );
    }

    #[test]
    fn words_keep_their_bytes_and_control_characters_stay_valid_json() {
        let name = crate::toolbox::args::word_from_bytes(b"a\x01b\"c\\d\te\xff\xfe\xc3\xa9");
        let mut json = Vec::new();
        let mut out = Out::new(&mut json, true, false);
        out.word("name", "", &name, "\n").unwrap();
        assert_eq!(
            json,
            b"\"name\":\"a\\u0001b\\\"c\\\\d\\te\xff\xfe\xc3\xa9\""
        );
        let mut text = Vec::new();
        Out::new(&mut text, false, false)
            .word("name", "(", &name, ")")
            .unwrap();
        assert_eq!(text, b"(a\x01b\"c\\d\te\xff\xfe\xc3\xa9)");
    }

    #[test]
    fn pretty_json_matches_ip() {
        let want = "[ {\n        \"ifindex\": 3,\n        \"flags\": [ \"BROADCAST\",\"UP\" ],\n        \"empty\": [ ],\n        \"addr_info\": [ {\n                \"family\": \"inet\"\n            } ]\n    } ]";
        assert_eq!(render(true), want);
    }
}
