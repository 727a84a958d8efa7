//! One output for ip's two renderings: each call names the JSON key and the text fragment
//! of one value, and the output keeps whichever the command asked for (ip's `print_*`
//! calls with `PRINT_ANY`; the `text_*` / `json_*` methods are its `PRINT_FP` / `PRINT_JSON`).
//! Objects and arrays are opened and closed by scope and exist only in JSON. A value ip
//! colors under `-c` goes through a `*_painted` call naming its [`Paint`]: the output
//! writes the escapes when it was given a palette, so no printer decides about color.
//!
//! Listings print hundreds of thousands of values, so the output is built in one reused
//! byte buffer that goes to the writer in large blocks: strings are quoted in runs of plain
//! bytes through a table, numbers are written from a stack buffer, and no value allocates.
//! The JSON follows iproute2's `json_writer` byte for byte.

use std::fmt;
use std::io::{self, Write};
use std::net::IpAddr;

use super::args::word_bytes;
use super::color::{Paint, Palette, CLEAR};
use super::files::StdoutFd;
use super::inet::AddrText;
use super::json::{push_i64, push_u64, quote, JsonWriter};

/// Output kept before it goes to the writer in one `write` (memory stays bounded by about
/// this much whatever the listing's length).
const SPILL_AT: usize = 32 * 1024;

/// Text or JSON, over any writer.
pub struct Out<W: Write> {
    sink: W,
    buf: Vec<u8>,
    json: Option<JsonWriter>,
    /// Whether bytes have gone to the writer since the checkpoint (then it cannot rewind).
    spilled: bool,
    checkpoint: Option<(usize, Option<JsonWriter>)>,
    /// `-c`: painted values get their escapes (text only).
    palette: Option<Palette>,
    /// A string printers build values in, kept from value to value ([`Out::scratch`]).
    scratch: String,
}

/// Product code's one sink type: each printer (generic over it) is compiled once.
pub type Sink<'a> = Box<dyn Write + 'a>;

impl<'a> Out<Sink<'a>> {
    /// [`Out::new`] over any writer, behind the one [`Sink`] type.
    pub fn boxed(w: impl Write + 'a, json: bool, pretty: bool) -> Self {
        Out::new(Box::new(w), json, pretty)
    }

    /// Text into `text`, painted with `palette` (an event built whole before it is
    /// written). One function, so its callers do not each compile the output's setup.
    #[inline(never)]
    pub fn into_vec(text: &'a mut Vec<u8>, palette: Option<Palette>) -> Self {
        Out::boxed(text, false, false).with_palette(palette)
    }
}

impl Out<Sink<'static>> {
    /// The output of a command, on stdout ([`StdoutFd`]). One function, so its callers do
    /// not each compile the output's setup.
    #[inline(never)]
    pub fn stdout(json: bool, pretty: bool) -> Self {
        Out::boxed(StdoutFd, json, pretty)
    }
}

impl<W: Write> Out<W> {
    /// JSON when `json` (pretty-printed with `pretty`), else text.
    pub fn new(w: W, json: bool, pretty: bool) -> Self {
        Out {
            sink: w,
            buf: Vec::new(),
            json: json.then_some(JsonWriter {
                pretty,
                depth: 0,
                sep: 0,
            }),
            spilled: false,
            checkpoint: None,
            palette: None,
            scratch: String::new(),
        }
    }

    /// The same output, painting its painted values with `palette` (`-c`; JSON ignores it).
    pub fn with_palette(mut self, palette: Option<Palette>) -> Self {
        self.palette = palette;
        self
    }

    /// An empty string to build a value in, with the room of the last one: hand it back
    /// with [`Out::reuse`] so that values built per line allocate nothing.
    pub fn scratch(&mut self) -> String {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch
    }

    /// Takes back the string of [`Out::scratch`].
    pub fn reuse(&mut self, scratch: String) {
        self.scratch = scratch;
    }

    /// Whether this is the JSON rendering.
    pub fn is_json(&self) -> bool {
        self.json.is_some()
    }

    /// Sends the buffer to the writer once it is large.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= SPILL_AT {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.spilled = true;
            let sent = self.sink.write_all(&self.buf);
            self.buf.clear();
            sent?;
        }
        Ok(())
    }

    /// Remembers this point so that [`Out::rewind`] can take back what follows (a dump that
    /// is retried prints again from here).
    pub fn checkpoint(&mut self) {
        self.checkpoint = Some((self.buf.len(), self.json));
        self.spilled = false;
    }

    /// Drops everything written since [`Out::checkpoint`], if none of it has reached the
    /// writer yet; tells whether it could.
    pub fn rewind(&mut self) -> bool {
        match self.checkpoint {
            Some((len, json)) if !self.spilled => {
                self.buf.truncate(len);
                self.json = json;
                true
            }
            _ => false,
        }
    }

    /// Text only (ip's `PRINT_FP`).
    pub fn text(&mut self, text: fmt::Arguments<'_>) -> io::Result<()> {
        match text.as_str() {
            Some(s) => self.text_str(s),
            None if self.json.is_none() => {
                self.buf.write_fmt(text)?;
                self.spill()
            }
            None => Ok(()),
        }
    }

    /// Text only, a fragment as it is.
    pub fn text_str(&mut self, text: &str) -> io::Result<()> {
        if self.json.is_none() {
            self.buf.extend_from_slice(text.as_bytes());
            self.spill()?;
        }
        Ok(())
    }

    /// A string: `"key":"value"`, or the text.
    pub fn string(&mut self, key: &str, text: fmt::Arguments<'_>, value: &str) -> io::Result<()> {
        match &mut self.json {
            Some(j) => j.field_str(&mut self.buf, key, value),
            None => self.buf.write_fmt(text)?,
        }
        self.spill()
    }

    /// A string with ip's text fragment around it (`before` value `after`, the value's
    /// exact bytes even where they are not UTF-8), or `"key":"value"`.
    pub fn put_str(&mut self, key: &str, before: &str, value: &str, after: &str) -> io::Result<()> {
        match &mut self.json {
            Some(j) => j.field_str(&mut self.buf, key, value),
            None => {
                self.buf.extend_from_slice(before.as_bytes());
                self.buf.extend_from_slice(&word_bytes(value));
                self.buf.extend_from_slice(after.as_bytes());
            }
        }
        self.spill()
    }

    /// [`Out::put_str`] for a value ip colors: `before`, then the value and `after` inside
    /// the paint's escapes when painting.
    pub fn put_painted(
        &mut self,
        paint: Paint,
        key: &str,
        before: &str,
        value: &str,
        after: &str,
    ) -> io::Result<()> {
        // Listings paint a few values per line: one pass, as cheap as `put_str` unpainted.
        match &mut self.json {
            Some(j) => j.field_str(&mut self.buf, key, value),
            None => {
                let escape = self.palette.and_then(|p| paint.escape(p));
                self.buf.extend_from_slice(before.as_bytes());
                if let Some(escape) = escape {
                    self.buf.extend_from_slice(escape.as_bytes());
                }
                self.buf.extend_from_slice(&word_bytes(value));
                self.buf.extend_from_slice(after.as_bytes());
                if escape.is_some() {
                    self.buf.extend_from_slice(CLEAR.as_bytes());
                }
            }
        }
        self.spill()
    }

    /// [`Out::put_painted`] of an address, written as ip writes it (`inet_ntop`).
    pub fn put_addr(
        &mut self,
        paint: Paint,
        key: &str,
        before: &str,
        addr: IpAddr,
        after: &str,
    ) -> io::Result<()> {
        self.put_painted(paint, key, before, AddrText::new(addr).as_str(), after)
    }

    /// [`Out::string`] with the whole text inside the paint's escapes when painting.
    pub fn string_painted(
        &mut self,
        paint: Paint,
        key: &str,
        text: fmt::Arguments<'_>,
        value: &str,
    ) -> io::Result<()> {
        let painted = self.start_paint(paint);
        self.string(key, text, value)?;
        self.end_paint(painted)
    }

    /// [`Out::text`] inside the paint's escapes when painting.
    pub fn text_painted(&mut self, paint: Paint, text: fmt::Arguments<'_>) -> io::Result<()> {
        let painted = self.start_paint(paint);
        self.text(text)?;
        self.end_paint(painted)
    }

    /// Writes the paint's escape if this text output paints; tells whether it did.
    fn start_paint(&mut self, paint: Paint) -> bool {
        let escape = match (&self.json, self.palette) {
            (None, Some(palette)) => paint.escape(palette),
            _ => None,
        };
        if let Some(escape) = escape {
            self.buf.extend_from_slice(escape.as_bytes());
        }
        escape.is_some()
    }

    fn end_paint(&mut self, painted: bool) -> io::Result<()> {
        if painted {
            self.buf.extend_from_slice(CLEAR.as_bytes());
        }
        self.spill()
    }

    /// An unsigned number with its text fragment around it, or `"key":value`.
    pub fn put_uint(&mut self, key: &str, before: &str, value: u64, after: &str) -> io::Result<()> {
        self.put_number(key, before, value, after)
    }

    /// A signed number with its text fragment around it, or `"key":value`.
    pub fn put_int(&mut self, key: &str, before: &str, value: i64, after: &str) -> io::Result<()> {
        self.put_number(key, before, value, after)
    }

    fn put_number<N: Number>(
        &mut self,
        key: &str,
        before: &str,
        value: N,
        after: &str,
    ) -> io::Result<()> {
        match &mut self.json {
            Some(j) => number_field(j, &mut self.buf, key, value),
            None => {
                self.buf.extend_from_slice(before.as_bytes());
                value.push(&mut self.buf);
                self.buf.extend_from_slice(after.as_bytes());
            }
        }
        self.spill()
    }

    /// An unsigned number.
    pub fn uint(&mut self, key: &str, text: fmt::Arguments<'_>, value: u64) -> io::Result<()> {
        self.number(key, text, value)
    }

    /// A signed number.
    pub fn int(&mut self, key: &str, text: fmt::Arguments<'_>, value: i64) -> io::Result<()> {
        self.number(key, text, value)
    }

    fn number<N: Number>(
        &mut self,
        key: &str,
        text: fmt::Arguments<'_>,
        value: N,
    ) -> io::Result<()> {
        match &mut self.json {
            Some(j) => number_field(j, &mut self.buf, key, value),
            None => self.buf.write_fmt(text)?,
        }
        self.spill()
    }

    /// A boolean.
    pub fn boolean(&mut self, key: &str, text: fmt::Arguments<'_>, value: bool) -> io::Result<()> {
        match &mut self.json {
            Some(j) => j.field_raw(&mut self.buf, key, if value { "true" } else { "false" }),
            None => self.buf.write_fmt(text)?,
        }
        self.spill()
    }

    /// `"key":null` or the text.
    pub fn null(&mut self, key: &str, text: fmt::Arguments<'_>) -> io::Result<()> {
        match &mut self.json {
            Some(j) => j.field_raw(&mut self.buf, key, "null"),
            None => self.buf.write_fmt(text)?,
        }
        self.spill()
    }

    /// A value the JSON rendering keeps as a bare number with a fixed number of decimals
    /// (ip's timers), the text as given.
    pub fn raw_number(
        &mut self,
        key: &str,
        text: fmt::Arguments<'_>,
        json: fmt::Arguments<'_>,
    ) -> io::Result<()> {
        match &mut self.json {
            Some(j) => {
                j.name(&mut self.buf, key);
                j.value(&mut self.buf);
                self.buf.write_fmt(json)?;
            }
            None => self.buf.write_fmt(text)?,
        }
        self.spill()
    }

    /// JSON only: a string field.
    pub fn json_str(&mut self, key: &str, value: &str) -> io::Result<()> {
        if let Some(j) = &mut self.json {
            j.field_str(&mut self.buf, key, value);
        }
        self.spill()
    }

    /// JSON only: an unsigned field.
    pub fn json_uint(&mut self, key: &str, value: u64) -> io::Result<()> {
        self.json_number(key, value)
    }

    /// JSON only: a signed field.
    pub fn json_int(&mut self, key: &str, value: i64) -> io::Result<()> {
        self.json_number(key, value)
    }

    fn json_number<N: Number>(&mut self, key: &str, value: N) -> io::Result<()> {
        if let Some(j) = &mut self.json {
            number_field(j, &mut self.buf, key, value);
        }
        self.spill()
    }

    /// JSON only: a boolean field.
    pub fn json_bool(&mut self, key: &str, value: bool) -> io::Result<()> {
        if let Some(j) = &mut self.json {
            j.field_raw(&mut self.buf, key, if value { "true" } else { "false" });
        }
        self.spill()
    }

    /// JSON only: `{` (named inside an object, anonymous inside an array).
    pub fn open_object(&mut self, key: Option<&str>) -> io::Result<()> {
        self.open(key, b'{')
    }

    /// JSON only: `}`.
    pub fn close_object(&mut self) -> io::Result<()> {
        if let Some(j) = &mut self.json {
            j.end(&mut self.buf, b'}');
        }
        self.spill()
    }

    /// JSON only: `[`.
    pub fn open_array(&mut self, key: Option<&str>) -> io::Result<()> {
        self.open(key, b'[')
    }

    fn open(&mut self, key: Option<&str>, bracket: u8) -> io::Result<()> {
        if let Some(j) = &mut self.json {
            if let Some(key) = key {
                j.name(&mut self.buf, key);
            }
            j.begin(&mut self.buf, bracket);
        }
        self.spill()
    }

    /// JSON only: `]`.
    pub fn close_array(&mut self) -> io::Result<()> {
        if let Some(j) = &mut self.json {
            if j.pretty && j.sep != 0 {
                self.buf.push(b' ');
            }
            j.sep = 0;
            j.end(&mut self.buf, b']');
        }
        self.spill()
    }

    /// An array element: the string in JSON, the text otherwise.
    pub fn element(&mut self, text: fmt::Arguments<'_>, value: &str) -> io::Result<()> {
        match &mut self.json {
            Some(j) => {
                j.value(&mut self.buf);
                quote(&mut self.buf, &word_bytes(value));
            }
            None => self.buf.write_fmt(text)?,
        }
        self.spill()
    }

    /// An array element: the string in JSON, `value` then `after` in text.
    pub fn put_element(&mut self, value: &str, after: &str) -> io::Result<()> {
        match &mut self.json {
            Some(j) => {
                j.value(&mut self.buf);
                quote(&mut self.buf, &word_bytes(value));
            }
            None => {
                self.buf.extend_from_slice(&word_bytes(value));
                self.buf.extend_from_slice(after.as_bytes());
            }
        }
        self.spill()
    }

    /// Ends the output: JSON's closing newline, everything to the writer, and a flush.
    pub fn finish(&mut self) -> io::Result<()> {
        if self.json.is_some() {
            self.buf.push(b'\n');
        }
        self.send()?;
        self.sink.flush()
    }

    /// Sends what is buffered and flushes the writer (a monitor's event, a batch line).
    pub fn flush(&mut self) -> io::Result<()> {
        self.send()?;
        self.sink.flush()
    }
}

impl<W: Write> Drop for Out<W> {
    // What a caller did not take with `finish` or `flush` still reaches the writer, as a
    // `BufWriter`'s does; the error is the caller's to see through those calls.
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// The two number types a field carries; one writer of `"key":value` for both.
trait Number: Copy {
    fn push(self, buf: &mut Vec<u8>);
}

impl Number for u64 {
    fn push(self, buf: &mut Vec<u8>) {
        push_u64(buf, self);
    }
}

impl Number for i64 {
    fn push(self, buf: &mut Vec<u8>) {
        push_i64(buf, self);
    }
}

fn number_field<N: Number>(j: &mut JsonWriter, buf: &mut Vec<u8>, key: &str, value: N) {
    j.name(buf, key);
    j.value(buf);
    value.push(buf);
}

#[cfg(test)]
#[path = "output_tests.rs"]
mod tests;
