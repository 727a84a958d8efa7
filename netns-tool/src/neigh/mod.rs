//! `ip neigh`: add, delete, change, replace, show/list, flush, get.
//!
//! Each command reads its words into a plan with ip 6.1's order, defaults and error texts
//! (`ipneigh_modify`, `do_show_or_flush`, `ipneigh_get`) and no I/O, then runs it.

mod exec;
mod parse;
#[cfg(test)]
mod tests;

pub use parse::{parse_filter, parse_get, parse_modify, FilterPlan, GetPlan, ModifyPlan};

use crate::toolbox::args::Spelling::Prefix;
use crate::toolbox::args::{keyword, unknown_command, Args, Globals, Spelling};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::plan::{change_of, EntryPlan};
use crate::toolbox::session::Session;

/// `nsip neigh help`: ip 6.1's text with nsip's name (printed on stderr, exit 255 as ip).
const USAGE: &str = "Usage: nsip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

\tnsip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
\t\t\t\t  [ vrf NAME ] [ nomaster ]
\tnsip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// What an `ip neigh` command line asks for, read without touching the system.
pub type Plan<'a> = EntryPlan<Box<ModifyPlan<'a>>, Box<FilterPlan<'a>>, GetPlan<'a>>;

/// What the command words of `ip neigh` but its changes ask for.
#[derive(Clone, Copy)]
enum Command {
    Get,
    /// `show`, or `flush` when true.
    List(bool),
    Help,
}

/// ip's command words after the changes, in its order of tests.
const COMMANDS: [(&str, Spelling, Command); 6] = [
    ("get", Prefix, Command::Get),
    ("show", Prefix, Command::List(false)),
    ("lst", Prefix, Command::List(false)),
    ("list", Prefix, Command::List(false)),
    ("flush", Prefix, Command::List(true)),
    ("help", Prefix, Command::Help),
];

/// Reads `ip neigh ...`'s words (after `neigh`) into a plan, with ip's errors.
pub fn parse<'a>(g: &Globals, args: &mut Args<'a>) -> CliResult<Plan<'a>> {
    let family = g.family.af();
    // No command word lists.
    let cmd = args.next().unwrap_or("show");
    if let Some(change) = change_of(cmd, false) {
        return Ok(Plan::Modify(Box::new(parse_modify(family, args, change)?)));
    }
    match keyword(cmd, &COMMANDS) {
        Some(Command::Get) => Ok(Plan::Get(parse_get(family, args)?)),
        Some(Command::List(flush)) => {
            if flush && args.is_empty() {
                return Err(CliError::failed("Flush requires arguments."));
            }
            let plan = Box::new(parse_filter(family, flush, args)?);
            Ok(if flush {
                Plan::Flush(plan)
            } else {
                Plan::List(plan)
            })
        }
        Some(Command::Help) => Err(usage()),
        None => Err(unknown_command("ip neigh", cmd)),
    }
}

/// Runs `ip neigh ...`.
// Its own function, not inlined into `cli::dispatch`: the binary is smaller so.
#[inline(never)]
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    match parse(g, args)? {
        Plan::Modify(plan) => exec::modify(session, &plan),
        Plan::List(plan) => exec::list(g, session, &plan),
        Plan::Flush(plan) => exec::flush(g, session, &plan),
        Plan::Get(plan) => exec::get(g, session, plan),
    }
}
