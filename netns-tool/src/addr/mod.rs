//! `ip address`: add, change, replace, delete, show / list, flush — iproute2 6.1's syntax,
//! output and errors. The printer is [`crate::show::addr`], shared with `ip monitor`.

mod filter;
mod flush;
mod list;
mod modify;
mod parse_filter;
mod parse_modify;

use crate::toolbox::args::{matches, Args, Globals};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::Session;
use parse_modify::{parse_modify, Modify};

const USAGE: &str = "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
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

/// Runs `ip address ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let Some(cmd) = args.next() else {
        return list_or_flush(g, session, args, false);
    };
    let command = if matches(cmd, "add") {
        Some(Modify::Add)
    } else if matches(cmd, "change") || cmd == "chg" {
        Some(Modify::Change)
    } else if matches(cmd, "replace") {
        Some(Modify::Replace)
    } else if matches(cmd, "delete") {
        Some(Modify::Delete)
    } else {
        None
    };
    if let Some(command) = command {
        let plan = parse_modify(args, g.family.af(), command)?;
        return modify::execute(session, plan);
    }
    if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        list_or_flush(g, session, args, false)
    } else if matches(cmd, "flush") {
        list_or_flush(g, session, args, true)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip address help\"."
        )))
    }
}

/// `ip addr [show|flush] ...`: ip's `ipaddr_list_flush_or_save`.
fn list_or_flush(g: &Globals, session: &mut Session, args: &mut Args, flush: bool) -> CliResult {
    let plan = parse_filter::parse_list(args, g.family.af(), flush)?;
    let sock = session.socket()?;
    let filter = list::resolve(sock, plan)?;
    if flush {
        flush::flush_addresses(g, sock, &filter)
    } else {
        list::show(g, sock, &filter)
    }
}
