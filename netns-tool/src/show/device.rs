//! A device named by its index in printed output: its name from the link cache, or ip's
//! `if<N>` when the cache does not know it.

use std::io::{self, Write};

use crate::toolbox::cache::LinkCache;
use crate::toolbox::color::Paint;
use crate::toolbox::output::Out;

/// A device by index: its name, or ip's `if<N>` when the cache does not know it (ip
/// paints a route's `dev` and `iif`, not a next hop's).
pub fn print_dev<W: Write>(
    out: &mut Out<W>,
    names: &LinkCache,
    (key, before): (&str, &str),
    paint: Paint,
    index: u32,
) -> io::Result<()> {
    match names.name_of(index) {
        Some(name) => out.put_painted(paint, key, before, name, " "),
        None => out.put_painted(paint, key, before, &format!("if{index}"), " "),
    }
}
