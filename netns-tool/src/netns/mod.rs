//! `ip netns`: named network namespaces, kept in the /run/netns registry iproute2 uses, so
//! a namespace made by either tool is usable by the other.
//!
//! - `registry`: add / attach / delete, and the shared mount that makes names propagate;
//! - `exec`: entering a namespace (`netns exec`, and the global `-n`);
//! - `procs`: `identify` and `pids`; `monitor`: inotify on /run/netns;
//! - `nsid`: namespace ids over rtnetlink (`list` ids, `set`, `list-id`).

mod exec;
mod json;
mod monitor;
mod nsid;
mod procs;
mod registry;
mod sys;

use crate::toolbox::args::{matches, word_os, Args, Globals};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::Session;

pub use exec::switch_to;

/// ip's usage text for `ip netns help` (on stderr, status 255).
const USAGE: &str = "Usage:\tip netns list
\tip netns add NAME
\tip netns attach NAME PID
\tip netns set NAME NETNSID
\tip [-all] netns delete [NAME]
\tip netns identify [PID]
\tip netns pids NAME
\tip [-all] netns exec [NAME] cmd ...
\tip netns monitor
\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// ip's NAME_MAX.
const NAME_MAX: usize = 255;

/// Names that cannot be a file in /run/netns: empty, too long, holding `/`, `.` or `..`.
pub fn is_invalid_name(name: &str) -> bool {
    name.is_empty() || name.len() > NAME_MAX || name.contains('/') || name == "." || name == ".."
}

/// The subcommands in ip's matching order, so prefixes resolve as in ip (`l` is `list`,
/// `s` is `show`, `a` is `add`, `d` is `delete`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    List,
    ListId,
    Help,
    Add,
    Set,
    Delete,
    Identify,
    Pids,
    Exec,
    Monitor,
    Attach,
}

const COMMANDS: &[(&str, Command)] = &[
    ("list", Command::List),
    ("show", Command::List),
    ("lst", Command::List),
    ("list-id", Command::ListId),
    ("help", Command::Help),
    ("add", Command::Add),
    ("set", Command::Set),
    ("delete", Command::Delete),
    ("identify", Command::Identify),
    ("pids", Command::Pids),
    ("exec", Command::Exec),
    ("monitor", Command::Monitor),
    ("attach", Command::Attach),
];

fn command_of(word: &str) -> Option<Command> {
    COMMANDS
        .iter()
        .find(|(full, _)| matches(word, full))
        .map(|&(_, cmd)| cmd)
}

/// ip's `get_s32(.., 0)` for `attach`'s PID: 0 and unreadable words are refused.
fn parse_pid(word: &str) -> Option<i32> {
    crate::toolbox::args::parse_c_int(word).filter(|&pid| pid != 0)
}

/// Runs `ip netns ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let words = args.rest();
    let Some(first) = words.first() else {
        return nsid::list(g);
    };
    // ip checks the word after the command as a name whatever the command is.
    if let Some(name) = words.get(1) {
        if !g.all && is_invalid_name(name) {
            return Err(CliError::usage(format!("Invalid netns name \"{name}\"")));
        }
    }
    let rest = words.get(1..).unwrap_or(&[]);
    let Some(command) = command_of(first) else {
        return Err(CliError::usage(format!(
            "Command \"{first}\" is unknown, try \"ip netns help\"."
        )));
    };
    match command {
        Command::List => nsid::list(g),
        Command::ListId => nsid::list_id(g, session, rest, usage),
        Command::Help => Err(usage()),
        Command::Add => match rest.first() {
            Some(name) => registry::register(word_os(name), registry::Source::Fresh),
            None => Err(CliError::failed("No netns name specified")),
        },
        Command::Attach => match rest {
            [name, pid, ..] => match parse_pid(pid) {
                Some(pid) => registry::register(word_os(name), registry::Source::Process(pid)),
                None => Err(CliError::failed(format!("Invalid PID: {pid}"))),
            },
            _ => Err(CliError::failed("No netns name and PID specified")),
        },
        Command::Set => nsid::set(session, rest),
        Command::Delete => delete(g, rest),
        Command::Identify => procs::identify(rest),
        Command::Pids => procs::pids(rest),
        Command::Exec if g.all => exec::exec_all(rest),
        Command::Exec => exec::exec(rest, g.batch),
        Command::Monitor => monitor::monitor(),
    }
}

/// `ip netns delete NAME` / `ip -all netns delete`: the latter stops at the first name it
/// cannot remove, and (as ip) still succeeds.
fn delete(g: &Globals, words: &[String]) -> CliResult {
    if g.all {
        for name in registry::names_for_all()? {
            if let Err(e) = registry::remove(&name) {
                eprintln!("{}", e.message());
                break;
            }
        }
        return Ok(());
    }
    match words.first() {
        Some(name) => registry::remove(word_os(name)),
        None => Err(CliError::failed("No netns name specified")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ip_refuses() {
        for bad in ["", ".", "..", "a/b", "/", &"n".repeat(256)] {
            assert!(is_invalid_name(bad), "{bad:?} should be refused");
        }
        for good in ["a", "...", "a.b", "x y", &"n".repeat(255)] {
            assert!(!is_invalid_name(good), "{good:?} should be accepted");
        }
    }

    #[test]
    fn commands_resolve_in_ip_order() {
        assert_eq!(command_of("l"), Some(Command::List));
        assert_eq!(command_of("s"), Some(Command::List));
        assert_eq!(command_of("se"), Some(Command::Set));
        assert_eq!(command_of("list-"), Some(Command::ListId));
        assert_eq!(command_of("a"), Some(Command::Add));
        assert_eq!(command_of("at"), Some(Command::Attach));
        assert_eq!(command_of("d"), Some(Command::Delete));
        assert_eq!(command_of("e"), Some(Command::Exec));
        assert_eq!(command_of("i"), Some(Command::Identify));
        assert_eq!(command_of("p"), Some(Command::Pids));
        assert_eq!(command_of("m"), Some(Command::Monitor));
        assert_eq!(command_of("h"), Some(Command::Help));
        assert_eq!(command_of("cookie"), None);
        assert_eq!(command_of(""), None);
    }

    #[test]
    fn attach_pids_read_as_get_s32() {
        assert_eq!(parse_pid("42"), Some(42));
        assert_eq!(parse_pid("0x10"), Some(16));
        assert_eq!(parse_pid("0"), None);
        assert_eq!(parse_pid("abc"), None);
    }
}
