//! `ip route`: add, change, replace, prepend, append, test, delete, show/list, get, flush.
//!
//! Each command reads its words into a plan with ip's order, defaults and error texts
//! (`iproute_modify`, `iproute_list_flush_or_save`, `iproute_get`) and no I/O, then runs it,
//! so the kernel receives what ip would send and the output reads as ip's. (ip's `invarg`
//! messages of `ip route` carry their own trailing newline, so a blank line follows them.)

mod flush;
mod get;
mod list;
mod metrics;
mod modify;
mod nexthop;
mod select;
#[cfg(test)]
mod tests;
mod time_rtt;

pub use get::{execute_get, parse_get, GetPlan};
pub use modify::{execute_modify, parse_modify, ModifyPlan};
pub use nexthop::HopPlan;
pub use select::{parse_selector, Selector};

use netlink_core::route::consts::*;

use crate::show::route::Context;
use crate::show::route_filter::Filter;
use crate::toolbox::args::Spelling::Prefix;
use crate::toolbox::args::{keyword, unknown_command, Args, Globals, Spelling};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::clock::clock_ticks_per_second;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::plan::{change_of, Change, EntryPlan};
use crate::toolbox::session::Session;

/// `nsip route help`: ip 6.1's layout, listing only the words this parser accepts (printed
/// on stderr, exit 255 as ip).
const USAGE: &str = "Usage: nsip route { list | flush } SELECTOR
       nsip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ uid NUMBER ]
       nsip route { add | del | change | append | replace | prepend | test } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
INFO_SPEC := NH OPTIONS FLAGS [ nexthop NH ]...
NH := [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ROUTE_GET_FLAGS := [ fibmatch ]";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// What an `ip route` command line asks for, read without touching the system (its
/// changes: `add`, `change`, `replace`, `prepend`, `append`, `test`, `delete`).
///
/// The modification and the selector are boxed: the plan moves from the reader to the
/// runner whole, and each move of the large request or filter was a copy in the code.
pub type Plan<'a> = EntryPlan<Box<ModifyPlan<'a>>, Box<Selector<'a>>, GetPlan<'a>>;

/// Reads `ip route ...`'s words (after `route`) into a plan, with ip's errors.
pub fn parse<'a>(g: &Globals, args: &mut Args<'a>) -> CliResult<Plan<'a>> {
    let family = g.family.af();
    let Some(cmd) = args.next() else {
        return Ok(Plan::List(Box::new(parse_selector(family, args)?)));
    };
    if let Some(change) = change_of(cmd, true) {
        let (ty, flags) = match change {
            Change::New(flags) => (RTM_NEWROUTE, flags),
            Change::Delete => (RTM_DELROUTE, 0),
        };
        return Ok(Plan::Modify(Box::new(parse_modify(
            family, args, ty, flags,
        )?)));
    }
    match keyword(cmd, &COMMANDS) {
        Some(Command::List) => Ok(Plan::List(Box::new(parse_selector(family, args)?))),
        Some(Command::Get) => Ok(Plan::Get(parse_get(family, args)?)),
        Some(Command::Flush) => {
            if args.is_empty() {
                return Err(CliError::failed("\"ip route flush\" requires arguments."));
            }
            Ok(Plan::Flush(Box::new(parse_selector(family, args)?)))
        }
        Some(Command::Unsupported) => Err(CliError::unsupported(cmd)),
        Some(Command::Help) => Err(usage()),
        None => Err(unknown_command("ip route", cmd)),
    }
}

/// The commands besides the changes.
#[derive(Clone, Copy)]
enum Command {
    List,
    Get,
    Flush,
    Unsupported,
    Help,
}

/// The commands in ip's order of tests.
const COMMANDS: [(&str, Spelling, Command); 9] = [
    ("list", Prefix, Command::List),
    ("show", Prefix, Command::List),
    ("lst", Prefix, Command::List),
    ("get", Prefix, Command::Get),
    ("flush", Prefix, Command::Flush),
    ("showdump", Prefix, Command::Unsupported),
    ("save", Prefix, Command::Unsupported),
    ("restore", Prefix, Command::Unsupported),
    ("help", Prefix, Command::Help),
];

/// Runs `ip route ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    match parse(g, args)? {
        Plan::Modify(plan) => execute_modify(session, *plan),
        Plan::List(selector) => list::list(g, session, *selector),
        Plan::Flush(selector) => flush::flush(g, session, *selector),
        Plan::Get(plan) => execute_get(g, session, plan),
    }
}

/// What the route printer needs from the command: names, ip's options, the selector, and
/// the clock the kernel counts cache ages in (read here, once, not by the printer).
fn route_context<'a>(g: &Globals, names: &'a LinkCache, filter: &'a Filter) -> Context<'a> {
    Context {
        names,
        details: g.details,
        stats: g.stats,
        oneline: g.oneline,
        filter,
        clock_ticks: clock_ticks_per_second(),
    }
}
