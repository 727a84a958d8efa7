//! `ip link`: add, delete, set, show — the syntax, output and errors of iproute2 6.1.
//! Each command is parsed into a plan (`parse`, no I/O), run (`modify`, `list`) and
//! printed by [`crate::show::link`], the printer shared with `ip addr` and `ip monitor`.

mod bridge;
mod end_words;
mod kind_words;
mod kinds;
mod list;
mod modify;
pub mod parse;
#[cfg(test)]
mod tests;
mod vlan;
mod vxlan;

use crate::toolbox::args::{matches, unknown_command, Args, Globals};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::Session;

use parse::Action;

const USAGE: &str = "Usage: nsip link add [ link DEV ] [ name ] NAME
\t\t    [ txqueuelen PACKETS ]
\t\t    [ address LLADDR ]
\t\t    [ broadcast LLADDR ]
\t\t    [ mtu MTU ]
\t\t    [ netns { PID | NAME } ]
\t\t    type TYPE [ ARGS ]

\tnsip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

\tnsip link set { DEVICE | dev DEVICE | group DEVGROUP }
\t\t\t[ { up | down } ]
\t\t[ arp { on | off } ]
\t\t[ dynamic { on | off } ]
\t\t[ multicast { on | off } ]
\t\t[ allmulticast { on | off } ]
\t\t[ promisc { on | off } ]
\t\t[ trailers { on | off } ]
\t\t[ txqueuelen PACKETS ]
\t\t[ name NEWNAME ]
\t\t[ address LLADDR ]
\t\t[ broadcast LLADDR ]
\t\t[ mtu MTU ]
\t\t[ netns { PID | NAME } ]
\t\t[ master DEVICE ][ nomaster ]
\t\t[ alias NAME ]
\t\t[ group DEVGROUP ]

\tnsip link show [ DEVICE | group GROUP ] [ master DEVICE ] [ type TYPE ] [ up ]

TYPE := { bridge | dummy | ifb | ipvlan | ipvtap | macvlan | macvtap | veth | vlan | vrf | vxlan }

BRIDGE OPTIONS: the numeric ones of ip 6.1 (forward_delay, priority, mcast_*...)";

/// `nsip link help` in ip's layout (exit status 255 as ip).
fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// What an `ip link` command line asks for, read without touching the system.
#[derive(Debug)]
pub enum Plan<'a> {
    /// `show` (also no command at all).
    Show(parse::ShowFilter<'a>),
    /// `add` / `set` / `delete`.
    Modify(parse::ModifyCommand<'a>),
}

/// Reads `ip link ...`'s words (after `link`) into a plan, with ip's errors.
pub fn parse<'a>(args: &mut Args<'a>) -> CliResult<Plan<'a>> {
    let Some(cmd) = args.next() else {
        return Ok(Plan::Show(parse::ShowFilter::default()));
    };
    let action = if matches(cmd, "add") {
        Action::Add
    } else if matches(cmd, "set") || matches(cmd, "change") {
        Action::Set
    } else if matches(cmd, "delete") {
        Action::Delete
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        return Ok(Plan::Show(parse::parse_show(args)?));
    } else if matches(cmd, "help") {
        return Err(usage());
    } else {
        return Err(unknown_command("ip link", cmd));
    };
    Ok(Plan::Modify(parse::parse_modify(action, args)?))
}

/// Runs `ip link ...`.
// Its own function, not inlined into `cli::dispatch`: the binary is smaller so.
#[inline(never)]
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    match parse(args)? {
        Plan::Show(filter) => list::show(g, session, &filter),
        Plan::Modify(command) => modify::execute(session, &command),
    }
}
