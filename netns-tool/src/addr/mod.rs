//! `ip address`: add, change, replace, delete, show / list, flush — iproute2 6.1's syntax,
//! output and errors. The printer is [`crate::show::addr`], shared with `ip monitor`.

mod filter;
mod flush;
mod list;
mod modify;
mod parse_filter;
mod parse_modify;
mod pattern;

use crate::toolbox::args::Spelling::Prefix;
use crate::toolbox::args::{keyword, unknown_command, Args, Globals, Spelling};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::plan::change_of;
use crate::toolbox::session::Session;
use parse_modify::parse_modify;

/// `nsip address help`: ip 6.1's layout without `save`, `restore`, `showdump` and `vrf`,
/// which nsip lacks (on stderr, exit 255 as ip).
const USAGE: &str = "Usage: nsip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                        [ CONFFLAG-LIST ]
       nsip address del IFADDR dev IFNAME [mngtmpaddr]
       nsip address flush [ dev IFNAME ] [ scope SCOPE-ID ]
                          [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       nsip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                           [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                           [ label LABEL ] [up] ]
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// What an `ip address` command line asks for, read without touching the system.
#[derive(Debug)]
pub enum Plan<'a> {
    /// `add` / `change` / `replace` / `delete`.
    Modify(parse_modify::ModifyPlan<'a>),
    /// `show` (also no command at all), or `flush` when `flush` is set.
    List {
        plan: parse_filter::ListPlan<'a>,
        flush: bool,
    },
}

/// What each command word of `ip address` but its changes asks for.
#[derive(Clone, Copy)]
enum Command {
    /// `show`, or `flush` when true.
    List(bool),
    Unsupported,
    Help,
}

/// ip's command words after the changes (`add`, `change`, `replace`, `delete`), in its
/// order of tests.
const COMMANDS: [(&str, Spelling, Command); 8] = [
    ("list", Prefix, Command::List(false)),
    ("show", Prefix, Command::List(false)),
    ("lst", Prefix, Command::List(false)),
    ("flush", Prefix, Command::List(true)),
    ("save", Prefix, Command::Unsupported),
    ("showdump", Prefix, Command::Unsupported),
    ("restore", Prefix, Command::Unsupported),
    ("help", Prefix, Command::Help),
];

/// Reads `ip address ...`'s words (after `address`) into a plan, with ip's errors; `g`'s
/// `-4` / `-6` is part of the reading.
pub fn parse<'a>(g: &Globals, args: &mut Args<'a>) -> CliResult<Plan<'a>> {
    let family = g.family.af();
    // No command word lists.
    let cmd = args.next().unwrap_or("show");
    if let Some(change) = change_of(cmd, false) {
        return Ok(Plan::Modify(parse_modify(args, family, change)?));
    }
    match keyword(cmd, &COMMANDS) {
        Some(Command::List(flush)) => {
            let plan = parse_filter::parse_list(args, family, flush)?;
            Ok(Plan::List { plan, flush })
        }
        Some(Command::Unsupported) => Err(CliError::unsupported(cmd)),
        Some(Command::Help) => Err(usage()),
        None => Err(unknown_command("ip address", cmd)),
    }
}

/// Runs `ip address ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    match parse(g, args)? {
        Plan::Modify(plan) => modify::execute(session, plan),
        Plan::List { plan, flush } => list_or_flush(g, session, plan, flush),
    }
}

/// `ip addr [show|flush] ...`: ip's `ipaddr_list_flush_or_save`.
fn list_or_flush(
    g: &Globals,
    session: &mut Session,
    plan: parse_filter::ListPlan<'_>,
    flush: bool,
) -> CliResult {
    let sock = session.socket()?;
    let filter = list::resolve(sock, plan)?;
    if flush {
        flush::flush_addresses(g, sock, &filter)
    } else {
        list::show(g, sock, &filter)
    }
}

#[cfg(test)]
mod help_tests {
    use super::*;
    use crate::toolbox::testing::check_help_examples;

    /// Command lines that together use every word `nsip address help` names.
    const HELP_EXAMPLES: &[&str] = &[
        "add 192.0.2.1/24 dev x valid_lft forever preferred_lft 5 home nodad \
         mngtmpaddr noprefixroute autojoin broadcast 192.0.2.255 anycast 192.0.2.7 \
         label x:1 scope host metric 5",
        "change 192.0.2.1 peer 192.0.2.2/32 dev x scope link",
        "replace 192.0.2.1/24 dev x scope global",
        "del 2001:db8::1/64 dev x mngtmpaddr",
        "flush dev x scope 5 to 192.0.2.0/24 permanent label x up",
        "show dev x master y type veth dynamic secondary primary -tentative tentative \
         -deprecated deprecated -dadfailed dadfailed temporary",
    ];

    #[test]
    fn every_word_of_the_help_is_accepted() {
        let g = Globals::default();
        check_help_examples(USAGE, HELP_EXAMPLES, &["nsip", "address"], |line| {
            let words: Vec<String> = line.split_whitespace().map(String::from).collect();
            parse(&g, &mut Args::new(&words)).map(drop)
        });
        assert!(USAGE.starts_with("Usage: nsip address "));
    }
}
