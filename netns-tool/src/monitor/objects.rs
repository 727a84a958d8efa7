//! Link and address events, printed by the `ip link` / `ip addr` printers.

use std::io;

use netlink_core::route::{AddressMessage, LinkMessage};

use crate::show::link::LinkContext;
use crate::toolbox::output::Out;

/// A link event as `ip monitor` prints it (`Deleted ` before a removal).
pub fn print_link(
    out: &mut Vec<u8>,
    link: &LinkMessage<'_>,
    deleted: bool,
    ctx: &LinkContext,
) -> io::Result<()> {
    crate::show::link::print_link(&mut Out::new(out, false, false), link, deleted, ctx)
}

/// An address event as `ip monitor` prints it: `N: DEV    inet ...`.
pub fn print_address(
    out: &mut Vec<u8>,
    addr: &AddressMessage<'_>,
    deleted: bool,
    dev: &str,
) -> io::Result<()> {
    crate::show::addr::print_address(&mut Out::new(out, false, false), addr, deleted, Some(dev))
}
