//! What the words after `type KIND` make: the kind's data and the device it names, shared
//! by the per-kind parsers (`kinds`, `bridge`, `vxlan`).

use netlink_core::route::KindAttr;

use crate::toolbox::args::{invarg, matches};
use crate::toolbox::error::CliError;

/// A kind's data as its words give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindData<'a> {
    /// The attributes in the order ip adds them.
    pub attrs: Vec<KindAttr<'static>>,
    /// An attribute that names a device: its place in `attrs` (a placeholder there), the
    /// name, looked up when the plan runs, and what ip says when there is none.
    pub device: Option<(usize, &'a str, MissingDevice)>,
    /// What ip warns of on stderr before it sends the request.
    pub warning: Option<&'static str>,
}

/// ip's answer to a word a kind's parser does not take: `help` is the kind's usage, any
/// other word `KIND: unknown WHAT "WORD"?` over it (`WHAT`: `command` or `option`, as ip's
/// parser of that kind says). Exit 1 either way.
pub fn unknown_word(kind: &str, what: &str, word: &str, usage: &str) -> CliError {
    if matches(word, "help") {
        return CliError::failed(usage);
    }
    CliError::failed(format!("{kind}: unknown {what} \"{word}\"?\n{usage}"))
}

/// A word of ip's for a kind that nsip does not implement (exit 1).
pub fn not_supported(kind: &str, name: &str) -> CliError {
    CliError::failed(format!("{kind}: \"{name}\" is not supported by nsip"))
}

/// ip's words for a device a kind's words name that does not exist (exit 255 either way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingDevice {
    /// vxlan's `dev`: `Cannot find device "NAME"`.
    CannotFind,
    /// bridge_slave's `backup_port`: `Error: argument "NAME" is wrong: Device does not exist`.
    DoesNotExist,
}

impl MissingDevice {
    /// The error for `name`.
    pub fn error(self, name: &str) -> CliError {
        match self {
            MissingDevice::CannotFind => {
                CliError::exit(255, format!("Cannot find device \"{name}\""))
            }
            MissingDevice::DoesNotExist => invarg("Device does not exist\n", name),
        }
    }
}
