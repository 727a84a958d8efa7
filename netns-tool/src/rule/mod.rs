//! `ip rule`: add, delete, show/list, flush, IPv4 and IPv6.
//!
//! Each command reads its words into a plan with ip 6.1's order, defaults and error texts
//! (`iprule_modify`, `iprule_list_flush_or_save`) and no I/O, then runs it.

mod exec;
mod parse;
#[cfg(test)]
mod tests;

pub use parse::{parse_filter, parse_modify, ModifyPlan, PlanAttr};

use netlink_core::route::consts::*;

use crate::show::rule::RuleFilter;
use crate::toolbox::args::Spelling::Prefix;
use crate::toolbox::args::{keyword, unknown_command, Args, Globals, Spelling};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::Session;

/// `nsip rule help`: ip 6.1's layout without `save`/`restore`, which nsip refuses (printed
/// on stderr, exit 255 as ip).
const USAGE: &str = "Usage: nsip rule { add | del } SELECTOR ACTION
       nsip rule flush
       nsip rule [ list [ SELECTOR ]]
SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]
            [ fwmark FWMARK[/MASK] ]
            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]
            [ uidrange NUMBER-NUMBER ]
            [ ipproto PROTOCOL ]
            [ sport [ NUMBER | NUMBER-NUMBER ]
            [ dport [ NUMBER | NUMBER-NUMBER ] ]
ACTION := [ table TABLE_ID ]
          [ protocol PROTO ]
          [ nat ADDRESS ]
          [ realms [SRCREALM/]DSTREALM ]
          [ goto NUMBER ]
          SUPPRESSOR
SUPPRESSOR := [ suppress_prefixlength NUMBER ]
              [ suppress_ifgroup DEVGROUP ]
TABLE_ID := [ local | main | default | NUMBER ]";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// What an `ip rule` command line asks for, read without touching the system.
#[derive(Debug)]
pub enum Plan<'a> {
    /// `add`, `delete`.
    Modify(Box<ModifyPlan<'a>>),
    /// `show` / `list` (also no command at all): the dump's family and the filter (boxed:
    /// the plan is moved from the reader to the runner whole).
    List(u8, Box<RuleFilter>),
    /// `flush`.
    Flush(u8, Box<RuleFilter>),
}

/// What each command word of `ip rule` asks for.
#[derive(Clone, Copy)]
enum Command {
    List,
    Unsupported,
    Add,
    Delete,
    Flush,
    Help,
}

/// ip's command words in its order of tests.
const COMMANDS: [(&str, Spelling, Command); 9] = [
    ("list", Prefix, Command::List),
    ("lst", Prefix, Command::List),
    ("show", Prefix, Command::List),
    ("save", Prefix, Command::Unsupported),
    ("restore", Prefix, Command::Unsupported),
    ("add", Prefix, Command::Add),
    ("delete", Prefix, Command::Delete),
    ("flush", Prefix, Command::Flush),
    ("help", Prefix, Command::Help),
];

/// Reads `ip rule ...`'s words (after `rule`) into a plan, with ip's errors.
pub fn parse<'a>(g: &Globals, args: &mut Args<'a>) -> CliResult<Plan<'a>> {
    let family = g.family.af();
    let dump_family = if family == AF_UNSPEC { AF_INET } else { family };
    // No command word lists.
    let cmd = args.next().unwrap_or("list");
    let Some(command) = keyword(cmd, &COMMANDS) else {
        return Err(unknown_command("ip rule", cmd));
    };
    let ty = match command {
        Command::List | Command::Flush => {
            let filter = Box::new(parse_filter(family, args)?);
            return Ok(match command {
                Command::Flush => Plan::Flush(dump_family, filter),
                _ => Plan::List(dump_family, filter),
            });
        }
        Command::Unsupported => return Err(CliError::unsupported(cmd)),
        Command::Add => RTM_NEWRULE,
        Command::Delete => RTM_DELRULE,
        Command::Help => return Err(usage()),
    };
    Ok(Plan::Modify(Box::new(parse_modify(family, args, ty)?)))
}

/// Runs `ip rule ...`.
// Its own function, not inlined into `cli::dispatch`: the binary is smaller so.
#[inline(never)]
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    match parse(g, args)? {
        Plan::Modify(plan) => exec::modify(session, &plan),
        Plan::List(family, filter) => exec::list(g, session, family, &filter),
        Plan::Flush(family, filter) => exec::flush(session, family, &filter),
    }
}
