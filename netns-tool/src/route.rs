//! `ip route`.

use crate::cli::{Args, Globals};
use crate::error::{CliError, CliResult};

/// Runs `ip route ...`.
pub fn run(_g: &Globals, _args: &mut Args) -> CliResult {
    Err(CliError::failed("not implemented yet"))
}
