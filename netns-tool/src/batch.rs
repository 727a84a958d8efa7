//! `-batch FILE`: one command per line.

use crate::cli::Globals;
use crate::error::{CliError, CliResult};

/// Runs every line of `file` (`-` for stdin).
pub fn run(_g: &Globals, _file: &str) -> CliResult {
    Err(CliError::failed("not implemented yet"))
}
