//! `netlink-core`: a zero-copy rtnetlink codec and socket.
//!
//! Three layers, each usable alone:
//! - [`wire`]: the netlink format over byte slices: headers, message and attribute
//!   iterators, a one-pass attribute table and a builder. No I/O, no `unsafe`, no panics.
//! - [`route`]: rtnetlink's vocabulary: constants, borrowed views of link, address, route
//!   and nsid messages, and request builders.
//! - [`socket`]: the `NETLINK_ROUTE` socket: ACKed requests, dumps, batches, extended-ACK
//!   errors, multicast, and sockets opened inside other namespaces.
#![warn(missing_docs)]

/// Getters of fixed-header fields, for a message or view whose header is its `header` field:
/// `name: field -> type`, read through `From` (so zerocopy's byte-order wrappers come out as
/// plain integers).
macro_rules! header_getters {
    ($($(#[$doc:meta])* $name:ident: $field:ident -> $out:ty;)*) => {$(
        $(#[$doc])*
        #[inline]
        pub fn $name(&self) -> $out {
            <$out>::from(self.header.$field)
        }
    )*};
}

pub mod route;
pub mod socket;
pub mod wire;
