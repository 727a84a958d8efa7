//! `ip monitor`.

use crate::cli::{Args, Globals};
use crate::error::{CliError, CliResult};

/// Runs `ip monitor ...`.
pub fn run(_g: &Globals, _args: &mut Args) -> CliResult {
    Err(CliError::failed("not implemented yet"))
}
