//! `ip netns`.

use crate::cli::{Args, Globals};
use crate::error::{CliError, CliResult};

/// Runs `ip netns ...`.
pub fn run(_g: &Globals, _args: &mut Args) -> CliResult {
    Err(CliError::failed("not implemented yet"))
}

/// Moves this process into namespace `name` for `-n NAME`.
pub fn switch_to(_name: &str) -> CliResult {
    Err(CliError::failed("not implemented yet"))
}
