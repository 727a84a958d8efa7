//! The whole list of links, for the toolbox pieces that look at every link once (the name
//! cache, the link cache, a run of held deletions).

use netlink_core::route::consts::{AF_UNSPEC, RTEXT_FILTER_VF};
use netlink_core::route::{emit_dump_links, LinkMessage};
use netlink_core::socket::Socket;
use netlink_core::wire::Builder;

use super::error::{kernel_error, CliResult};

/// Dumps every link of the namespace (all families, as ip's link cache does) and hands
/// each to `each`.
pub fn for_each_link(sock: &mut Socket, each: &mut dyn FnMut(&LinkMessage<'_>)) -> CliResult {
    let mut buf = Vec::with_capacity(64);
    emit_dump_links(&mut Builder::new(&mut buf), AF_UNSPEC, RTEXT_FILTER_VF)?;
    sock.dump(&mut buf, |msg| {
        each(&LinkMessage::parse(&msg)?);
        Ok(())
    })
    .map_err(kernel_error)
}
