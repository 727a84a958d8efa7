//! One output for ip's two renderings: each call names the JSON key and the text fragment
//! of one value, and the output keeps whichever the command asked for (ip's `print_*`
//! calls with `PRINT_ANY`; the `text_*` / `json_*` methods are its `PRINT_FP` / `PRINT_JSON`).

use std::fmt;
use std::io::{self, Write};

use crate::print::JsonWriter;

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
