//! The printers of links, addresses, routes, neighbours and rules, shared by the listings
//! and `monitor`.
//! They only format: what they need (caches, names, options) is handed to them.

pub mod addr;
pub mod brief;
pub mod device;
pub mod link;
pub mod link_details;
pub mod link_kinds;
pub mod link_names;
pub mod link_rows;
pub mod link_stats;
pub mod link_tun;
pub mod link_vlan;
pub mod neigh;
pub mod netconf;
pub mod nsid;
pub mod route;
pub mod route_encap;
pub mod route_filter;
pub mod route_out;
pub mod route_parts;
pub mod rule;

use std::io::{self, Write};

use crate::toolbox::output::Out;

/// Opens one entry's JSON object; a deleted one (a `monitor` event) starts with `Deleted `
/// (JSON `"deleted":true`), as each of ip's printers starts.
pub fn open_entry<W: Write>(out: &mut Out<W>, deleted: bool) -> io::Result<()> {
    out.open_object(None)?;
    if deleted {
        out.boolean("deleted", format_args!("Deleted "), true)?;
    }
    Ok(())
}

/// Ends an entry opened by [`open_entry`]: its line, then its JSON object.
pub fn close_entry<W: Write>(out: &mut Out<W>) -> io::Result<()> {
    out.text_str("\n")?;
    out.close_object()
}
