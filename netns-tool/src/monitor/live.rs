//! Live `ip monitor`: the multicast groups for what was asked, and the receive loop.

use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::socket::{errno_text, Error as NlError, Socket};

use super::events::Monitor;
use super::Objects;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::kernel_error;

/// The rtnetlink groups, each with whether it carries `objects` for `family` (`AF_UNSPEC`:
/// both).
fn groups(objects: &Objects, family: u8) -> [(bool, u32); 12] {
    let v4 = family != AF_INET6;
    let v6 = family != AF_INET;
    [
        (objects.link, RTNLGRP_LINK),
        (objects.address && v4, RTNLGRP_IPV4_IFADDR),
        (objects.address && v6, RTNLGRP_IPV6_IFADDR),
        (objects.route && v4, RTNLGRP_IPV4_ROUTE),
        (objects.route && v6, RTNLGRP_IPV6_ROUTE),
        (objects.neigh, RTNLGRP_NEIGH),
        (objects.rule && v4, RTNLGRP_IPV4_RULE),
        (objects.rule && v6, RTNLGRP_IPV6_RULE),
        (objects.nsid, RTNLGRP_NSID),
        (objects.netconf && v4, RTNLGRP_IPV4_NETCONF),
        (objects.netconf && v6, RTNLGRP_IPV6_NETCONF),
        (objects.netconf && v4 && v6, RTNLGRP_MPLS_NETCONF),
    ]
}

/// Listens until stdout goes away (then quietly, as ip ends on SIGPIPE) or the socket fails.
pub fn listen<W: Write, E: Write>(monitor: &mut Monitor<'_, W, E>, family: u8) -> CliResult {
    let mut sock =
        Socket::new().map_err(|e| CliError::failed(format!("Cannot open netlink socket: {e}")))?;
    for (wanted, group) in groups(&monitor.objects, family) {
        if wanted {
            sock.join_group(group).map_err(kernel_error)?;
        }
    }
    loop {
        let mut gone = false;
        let result = sock.recv_messages(|msg| {
            gone = gone || monitor.event(&msg).is_err();
            Ok(())
        });
        if gone {
            return Ok(());
        }
        match result {
            Ok(()) | Err(NlError::Decode(_)) => {}
            Err(NlError::Overrun) => {
                // ip reports lost events and keeps listening.
                let _ = writeln!(
                    monitor.err,
                    "netlink receive error {} ({})",
                    errno_text(libc::ENOBUFS),
                    libc::ENOBUFS
                );
            }
            Err(e) => return Err(kernel_error(e)),
        }
    }
}
