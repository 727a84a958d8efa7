//! `ip addr`.

use crate::cli::{Args, Globals};
use crate::error::{CliError, CliResult};

/// Runs `ip addr ...`.
pub fn run(_g: &Globals, _args: &mut Args) -> CliResult {
    Err(CliError::failed("not implemented yet"))
}
