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
/// plain integers), or `name: field widened by KIND;` for an 8-bit field that a 32-bit
/// attribute carries in full when present (a route's table, an address's flags).
macro_rules! header_getters {
    () => {};
    ($(#[$doc:meta])* $name:ident: $field:ident -> $out:ty; $($rest:tt)*) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(&self) -> $out {
            <$out>::from(self.header.$field)
        }
        header_getters! { $($rest)* }
    };
    ($(#[$doc:meta])* $name:ident: $field:ident widened by $kind:ident; $($rest:tt)*) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(&self) -> u32 {
            self.attr($kind)
                .and_then(|a| a.u32())
                .unwrap_or(u32::from(self.header.$field))
        }
        header_getters! { $($rest)* }
    };
}

pub mod route;
pub mod socket;
pub mod wire;
