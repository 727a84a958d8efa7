//! The words ip's flush commands end with under `-s`.

use std::io::{self, Write};

use super::output::Out;

/// `*** Flush is complete after N round(s) ***` (ip writes "round" for 0 and 1).
pub fn flush_complete(rounds: usize) -> String {
    let s = if rounds > 1 { "s" } else { "" };
    format!("*** Flush is complete after {rounds} round{s} ***\n")
}

/// Ends a flush's output: with `-s`, "Nothing to flush." when `nothing` (the first dump
/// matched nothing), else the completion line after `rounds`.
pub fn print_flush_done<W: Write>(
    out: &mut Out<W>,
    stats: bool,
    nothing: bool,
    rounds: usize,
) -> io::Result<()> {
    if stats {
        if nothing {
            out.text_str("Nothing to flush.\n")?;
        } else {
            out.text_str(&flush_complete(rounds))?;
        }
    }
    out.finish()
}
