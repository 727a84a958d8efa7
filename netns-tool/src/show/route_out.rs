//! The output the route printers write a route through: [`Out`] keeping its first error.
//!
//! A route line is some hundred writes, each of which can fail only where the output hands
//! its buffer to the writer. Written with `?`, every one of them is followed by a test of
//! its result and a return path, which on a 32-bit target (the result comes back through
//! memory) was a quarter of the route printer's code. Here the test is made once, in the
//! method: after a failure no further write of the route is made (as with `?`), and the
//! printer returns the failure when the route is done ([`StickyOut::finish`]).

use std::fmt;
use std::io::{self, Write};
use std::net::IpAddr;

use crate::toolbox::color::Paint;
use crate::toolbox::output::Out;

/// An [`Out`] that stops writing at its first failure and keeps it.
pub struct StickyOut<'o, W: Write> {
    out: &'o mut Out<W>,
    failed: Option<io::Error>,
}

impl<'o, W: Write> StickyOut<'o, W> {
    /// Writes through `out`.
    pub fn new(out: &'o mut Out<W>) -> Self {
        StickyOut { out, failed: None }
    }

    /// The first failure, if a write failed.
    pub fn finish(self) -> io::Result<()> {
        match self.failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Makes one write (any of the output's, or a printer's over it) unless one failed before.
    pub fn with(&mut self, write: impl FnOnce(&mut Out<W>) -> io::Result<()>) {
        if self.failed.is_none() {
            let written = write(self.out);
            self.keep(written);
        }
    }

    /// Keeps a write's failure (one function, not a copy at each write).
    #[inline(never)]
    fn keep(&mut self, written: io::Result<()>) {
        if let Err(e) = written {
            self.failed = Some(e);
        }
    }

    /// Whether this is the JSON rendering.
    pub fn is_json(&self) -> bool {
        self.out.is_json()
    }

    /// [`Out::scratch`].
    pub fn scratch(&mut self) -> String {
        self.out.scratch()
    }

    /// [`Out::reuse`].
    pub fn reuse(&mut self, scratch: String) {
        self.out.reuse(scratch)
    }

    /// [`Out::put_str`].
    #[inline(never)]
    pub fn put_str(&mut self, key: &str, before: &str, value: &str, after: &str) {
        self.with(|o| o.put_str(key, before, value, after))
    }

    /// [`Out::put_uint`].
    #[inline(never)]
    pub fn put_uint(&mut self, key: &str, before: &str, value: u64, after: &str) {
        self.with(|o| o.put_uint(key, before, value, after))
    }

    /// [`Out::put_addr`].
    #[inline(never)]
    pub fn put_addr(&mut self, paint: Paint, key: &str, before: &str, addr: IpAddr, after: &str) {
        self.with(|o| o.put_addr(paint, key, before, addr, after))
    }

    /// [`Out::text`].
    #[inline(never)]
    pub fn text(&mut self, text: fmt::Arguments<'_>) {
        self.with(|o| o.text(text))
    }

    /// [`Out::text_str`].
    #[inline(never)]
    pub fn text_str(&mut self, text: &str) {
        self.with(|o| o.text_str(text))
    }

    /// [`Out::put_element`].
    #[inline(never)]
    pub fn put_element(&mut self, value: &str, after: &str) {
        self.with(|o| o.put_element(value, after))
    }

    /// [`Out::open_object`].
    #[inline(never)]
    pub fn open_object(&mut self, key: Option<&str>) {
        self.with(|o| o.open_object(key))
    }

    /// [`Out::close_object`].
    #[inline(never)]
    pub fn close_object(&mut self) {
        self.with(|o| o.close_object())
    }

    /// [`Out::open_array`].
    #[inline(never)]
    pub fn open_array(&mut self, key: Option<&str>) {
        self.with(|o| o.open_array(key))
    }

    /// [`Out::close_array`].
    #[inline(never)]
    pub fn close_array(&mut self) {
        self.with(|o| o.close_array())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that refuses every write, counting them.
    struct Refusing(usize);

    impl Write for Refusing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            self.0 += 1;
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn nothing_is_written_after_the_first_failure_and_it_is_kept() {
        let mut sink = Refusing(0);
        let mut out = Out::new(&mut sink, false, false);
        let mut sticky = StickyOut::new(&mut out);
        // More than the output keeps before it writes: the write is made and refused.
        sticky.text_str(&"x".repeat(64 * 1024));
        sticky.text_str(&"y".repeat(64 * 1024));
        sticky.put_uint("n", "n ", 1, " ");
        let kept = sticky.finish().expect_err("refused");
        assert_eq!(kept.kind(), io::ErrorKind::BrokenPipe);
        drop(out);
        // The first write, and the one the output makes when dropped (empty after the
        // failure: nothing was added to it).
        assert_eq!(sink.0, 1);
    }
}
