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
use crate::toolbox::args::{matches, unknown_command, Args, Globals};
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
    Modify(ModifyPlan<'a>),
    /// `show` / `list` (also no command at all): the dump's family and the filter.
    List(u8, RuleFilter),
    /// `flush`.
    Flush(u8, RuleFilter),
}

/// Reads `ip rule ...`'s words (after `rule`) into a plan, with ip's errors.
pub fn parse<'a>(g: &Globals, args: &mut Args<'a>) -> CliResult<Plan<'a>> {
    let family = g.family.af();
    let dump_family = if family == AF_UNSPEC { AF_INET } else { family };
    let Some(cmd) = args.next() else {
        return Ok(Plan::List(dump_family, parse_filter(family, args)?));
    };
    let ty = match cmd {
        c if matches(c, "list") || matches(c, "lst") || matches(c, "show") => {
            return Ok(Plan::List(dump_family, parse_filter(family, args)?));
        }
        c if matches(c, "save") || matches(c, "restore") => {
            return Err(CliError::unsupported(c));
        }
        c if matches(c, "add") => RTM_NEWRULE,
        c if matches(c, "delete") => RTM_DELRULE,
        c if matches(c, "flush") => {
            return Ok(Plan::Flush(dump_family, parse_filter(family, args)?));
        }
        c if matches(c, "help") => return Err(usage()),
        c => return Err(unknown_command("ip rule", c)),
    };
    Ok(Plan::Modify(parse_modify(family, args, ty)?))
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
