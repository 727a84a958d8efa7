//! Link and address events, printed by the `ip link` / `ip addr` printers.

use std::io;

use netlink_core::route::{AddressMessage, LinkMessage};
use netlink_core::wire::Message;

use crate::nl::LinkNames;

/// A link event as `ip monitor` prints it.
pub fn print_link(
    _out: &mut Vec<u8>,
    _msg: &Message<'_>,
    _link: &LinkMessage<'_>,
    _names: &LinkNames,
    _details: u8,
) -> io::Result<()> {
    Ok(())
}

/// An address event as `ip monitor` prints it.
pub fn print_address(
    _out: &mut Vec<u8>,
    _msg: &Message<'_>,
    _addr: &AddressMessage<'_>,
    _dev: &str,
) -> io::Result<()> {
    Ok(())
}
