//! `ip netns`: named network namespaces, kept in the /run/netns registry iproute2 uses, so
//! a namespace made by either tool is usable by the other.
//!
//! - `registry`: add / attach / delete, and the shared mount that makes names propagate;
//! - `exec`: entering a namespace (`netns exec`, and the global `-n`);
//! - `procs`: `identify` and `pids`; `monitor`: inotify on /run/netns;
//! - `nsid`: namespace ids over rtnetlink (`list` ids, `set`, `list-id`).

mod exec;
mod monitor;
mod nsid;
mod procs;
mod registry;
mod sys;

use crate::toolbox::args::{matches, unknown_command, word_bytes, word_os, Args, Globals};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::netns_names::is_valid_name;
use crate::toolbox::session::Session;

pub use exec::switch_to;

/// `nsip netns help`: ip 6.1's text with nsip's name (on stderr, status 255 as ip).
const USAGE: &str = "Usage:\tnsip netns list
\tnsip netns add NAME
\tnsip netns attach NAME PID
\tnsip netns set NAME NETNSID
\tnsip [-all] netns delete [NAME]
\tnsip netns identify [PID]
\tnsip netns pids NAME
\tnsip [-all] netns exec [NAME] cmd ...
\tnsip netns monitor
\tnsip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// Words that cannot be a file in /run/netns (counted in the bytes they stand for).
pub fn is_invalid_name(name: &str) -> bool {
    !is_valid_name(&word_bytes(name))
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

/// What an `ip netns` command line asks for, read without touching the system.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan<'a> {
    /// `list`: the names, with their ids.
    List,
    /// `list-id`, filtered.
    ListId(nsid::ListIdFilter),
    /// `add NAME`.
    Add(&'a str),
    /// `attach NAME PID`.
    Attach(&'a str, i32),
    /// `set NAME NSID` (`-1`: `auto`).
    Set(&'a str, i32),
    /// `delete NAME`.
    Delete(&'a str),
    /// `-all delete`.
    DeleteAll,
    /// `identify [PID]` (`self` when none is given).
    Identify(&'a str),
    /// `pids NAME`.
    Pids(&'a str),
    /// `exec NAME CMD...`.
    Exec(&'a str, &'a [String]),
    /// `-all exec CMD...`.
    ExecAll(&'a [String]),
    /// `monitor`.
    Monitor,
}

/// Reads `ip netns ...`'s words (after `netns`) into a plan, with ip's errors for bad ones.
pub fn parse<'a>(g: &Globals, words: &'a [String]) -> CliResult<Plan<'a>> {
    let Some(first) = words.first() else {
        return Ok(Plan::List);
    };
    // ip checks the word after the command as a name whatever the command is.
    if let Some(name) = words.get(1) {
        if !g.all && is_invalid_name(name) {
            return Err(CliError::usage(format!("Invalid netns name \"{name}\"")));
        }
    }
    let rest = words.get(1..).unwrap_or(&[]);
    let Some(command) = command_of(first) else {
        return Err(unknown_command("ip netns", first));
    };
    let no_name = || CliError::failed("No netns name specified");
    let name = rest.first().map(String::as_str);
    Ok(match command {
        Command::List => Plan::List,
        Command::ListId => Plan::ListId(nsid::parse_list_id(rest, usage)?),
        Command::Help => return Err(usage()),
        Command::Add => Plan::Add(name.ok_or_else(no_name)?),
        Command::Attach => parse_attach(rest)?,
        Command::Set => nsid::parse_set(rest)?,
        Command::Delete if g.all => Plan::DeleteAll,
        Command::Delete => Plan::Delete(name.ok_or_else(no_name)?),
        Command::Identify => Plan::Identify(procs::parse_identify(rest)?),
        Command::Pids => Plan::Pids(procs::parse_pids(rest)?),
        Command::Exec if g.all => Plan::ExecAll(exec::command_words(rest)?),
        Command::Exec => {
            let name = name.ok_or_else(no_name)?;
            Plan::Exec(name, exec::command_words(rest.get(1..).unwrap_or(&[]))?)
        }
        Command::Monitor => Plan::Monitor,
    })
}

fn parse_attach(words: &[String]) -> CliResult<Plan<'_>> {
    match words {
        [name, pid, ..] => match parse_pid(pid) {
            Some(pid) => Ok(Plan::Attach(name, pid)),
            None => Err(CliError::failed(format!("Invalid PID: {pid}"))),
        },
        _ => Err(CliError::failed("No netns name and PID specified")),
    }
}

/// Runs `ip netns ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    match parse(g, args.rest())? {
        Plan::List => nsid::list(g),
        Plan::ListId(filter) => nsid::list_id(g, session, filter),
        Plan::Add(name) => registry::register(&word_os(name), registry::Source::Fresh),
        Plan::Attach(name, pid) => {
            registry::register(&word_os(name), registry::Source::Process(pid))
        }
        Plan::Set(name, id) => nsid::set(session, name, id),
        Plan::Delete(name) => registry::remove(&word_os(name)),
        Plan::DeleteAll => delete_all(),
        Plan::Identify(pid) => procs::identify(pid),
        Plan::Pids(name) => procs::pids(name),
        Plan::Exec(name, command) if g.batch => exec::exec_forked(name, command),
        Plan::Exec(name, command) => exec::exec(name, command),
        Plan::ExecAll(command) => exec::exec_all(command),
        Plan::Monitor => monitor::monitor(),
    }
}

/// `ip -all netns delete`: stops at the first name it cannot remove, and (as ip) still
/// succeeds.
fn delete_all() -> CliResult {
    for name in registry::names_for_all()? {
        if let Err(e) = registry::remove(&name) {
            e.print();
            break;
        }
    }
    Ok(())
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
        use Command::*;
        let words = [
            "l", "s", "se", "list-", "a", "at", "d", "e", "i", "p", "m", "h",
        ];
        let commands = [
            List, List, Set, ListId, Add, Attach, Delete, Exec, Identify, Pids, Monitor, Help,
        ];
        assert_eq!(words.map(command_of), commands.map(Some));
        assert_eq!(["cookie", ""].map(command_of), [None, None]);
    }

    fn plan_of(all: bool, line: &str) -> CliResult<Plan<'static>> {
        let words: Vec<String> = line
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        let words: &'static [String] = Box::leak(words.into_boxed_slice());
        let g = Globals {
            all,
            ..Globals::default()
        };
        parse(&g, words)
    }

    #[test]
    fn command_lines_become_plans_without_io() {
        assert_eq!(plan_of(false, "").unwrap(), Plan::List);
        assert_eq!(plan_of(false, "a x").unwrap(), Plan::Add("x"));
        assert_eq!(plan_of(false, "at x 0x10").unwrap(), Plan::Attach("x", 16));
        assert_eq!(plan_of(false, "set x auto").unwrap(), Plan::Set("x", -1));
        assert_eq!(plan_of(false, "set x 7").unwrap(), Plan::Set("x", 7));
        assert_eq!(plan_of(true, "d").unwrap(), Plan::DeleteAll);
        assert_eq!(plan_of(false, "d x").unwrap(), Plan::Delete("x"));
        assert_eq!(plan_of(false, "identify").unwrap(), Plan::Identify("self"));
        assert_eq!(plan_of(false, "pids x").unwrap(), Plan::Pids("x"));
        let Plan::Exec(name, command) = plan_of(false, "e x ls -l").unwrap() else {
            panic!("not an exec plan");
        };
        assert_eq!(
            (name, command),
            ("x", &["ls".to_string(), "-l".to_string()][..])
        );
        assert!(matches!(plan_of(true, "exec ls").unwrap(), Plan::ExecAll(c) if c.len() == 1));
        assert_eq!(plan_of(false, "m").unwrap(), Plan::Monitor);
    }

    #[test]
    fn bad_command_lines_get_ips_errors() {
        let message = |all, line| plan_of(all, line).expect_err(line).message().to_string();
        assert_eq!(message(false, "add a/b"), "Invalid netns name \"a/b\"");
        assert_eq!(message(false, "add"), "No netns name specified");
        assert_eq!(message(false, "attach x 0"), "Invalid PID: 0");
        assert_eq!(
            message(false, "attach x"),
            "No netns name and PID specified"
        );
        assert_eq!(message(false, "exec x"), "No command specified");
        assert_eq!(message(true, "exec"), "No command specified");
        assert_eq!(
            message(false, "identify 12a"),
            "Specified string '12a' is not a pid"
        );
        assert_eq!(message(false, "pids a b"), "extra arguments specified");
        assert_eq!(
            message(false, "set a -3"),
            "Error: argument \"-3\" is wrong: \"netnsid\" value should be >= 0"
        );
        assert_eq!(
            message(false, "list-id nsid 3 nsid 3"),
            "Error: duplicate \"nsid\": \"nsid\" is the second value."
        );
        assert_eq!(
            message(false, "cookie"),
            "Command \"cookie\" is unknown, try \"ip netns help\"."
        );
        assert_eq!(plan_of(false, "help").expect_err("help").status(), 255);
    }

    #[test]
    fn attach_pids_read_as_get_s32() {
        let pids = ["42", "0x10", "0", "abc"].map(parse_pid);
        assert_eq!(pids, [Some(42), Some(16), None, None]);
    }
}
