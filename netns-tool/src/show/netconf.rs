//! The netconf printer: ip's `print_netconf`, for `monitor netconf` events.
//!
//! ```text
//! inet veth0 forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off
//! ```

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::NetconfMessage;

use super::{close_entry, open_entry};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::output::Out;

/// ip's `family_name`.
fn family_name(family: u8) -> &'static str {
    match family {
        AF_UNSPEC => "none",
        AF_INET => "inet",
        AF_INET6 => "inet6",
        AF_PACKET => "link",
        AF_BRIDGE => "bridge",
        AF_MPLS => "mpls",
        _ => "???",
    }
}

/// Prints one netconf message's line (`Deleted ` first for a removal).
pub fn print_netconf<W: Write>(
    out: &mut Out<W>,
    names: &LinkCache,
    deleted: bool,
    n: &NetconfMessage<'_>,
) -> io::Result<()> {
    open_entry(out, deleted)?;
    out.put_str("family", "", family_name(n.family()), " ")?;
    if let Some(index) = n.ifindex() {
        let name = match index {
            NETCONFA_IFINDEX_ALL => "all".to_string(),
            NETCONFA_IFINDEX_DEFAULT => "default".to_string(),
            other => names.name(u32::try_from(other).unwrap_or(0)),
        };
        out.put_str("interface", "", &name, " ")?;
    }
    let switch = |out: &mut Out<W>, key: &str, value: Option<u32>| match value {
        Some(v) => {
            let text = if v != 0 { "on" } else { "off" };
            out.boolean(key, format_args!("{key} {text} "), v != 0)
        }
        None => Ok(()),
    };
    switch(out, "forwarding", n.forwarding())?;
    if let Some(mode) = n.rp_filter() {
        let mode = match mode {
            0 => "off",
            1 => "strict",
            2 => "loose",
            _ => "unknown mode",
        };
        out.put_str("rp_filter", "rp_filter ", mode, " ")?;
    }
    switch(out, "mc_forwarding", n.mc_forwarding())?;
    switch(out, "proxy_neigh", n.proxy_neigh())?;
    let linkdown = n.ignore_routes_with_linkdown();
    switch(out, "ignore_routes_with_linkdown", linkdown)?;
    switch(out, "input", n.input())?;
    close_entry(out)
}
