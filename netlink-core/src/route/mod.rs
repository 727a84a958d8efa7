//! rtnetlink vocabulary on top of [`crate::wire`]: constants, borrowed views of link,
//! address, route, nsid, neighbour and rule messages, and the requests the kernel takes.

// The views' shared parts, written once: the constructors (with the message types each
// view accepts in plain sight at its use) and the one-line getters, which are a table of
// header fields and attribute readers rather than code.

/// A view struct: a message's fixed header and its attribute table, borrowed, with `parse`
/// (checks the message type), `from_payload`, `header`, `attr`, `attrs`, `family` (every
/// rtnetlink header starts with one) and the header's other getters, written as
/// `header_getters!` takes them. `(Header, SLOTS = n)` also declares the table size as a
/// public constant. The attributes' getters stand in the view's own `impl`.
macro_rules! view {
    (
        $(#[$doc:meta])*
        $view:ident($header:ty, $($slots_name:ident =)? $slots:literal): $($ty:ident)|+;
        $($header_getters:tt)*
    ) => {
        $(
            #[doc = concat!(
                "Slots of [`", stringify!($view), "`]'s attribute table: one per attribute ",
                "type below it."
            )]
            pub const $slots_name: usize = $slots;
        )?

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $view<'a> {
            header: &'a $header,
            attrs: $crate::wire::AttrTable<'a, $slots>,
        }

        impl<'a> $view<'a> {
            #[doc = concat!(
                "Reads a message of type ", stringify!($($ty)|+), ", checking its type."
            )]
            pub fn parse(
                msg: &$crate::wire::Message<'a>,
            ) -> Result<Self, $crate::wire::DecodeError> {
                match msg.ty() {
                    $($ty)|+ => Self::from_payload(msg.payload()),
                    other => Err($crate::wire::DecodeError::UnexpectedType(other)),
                }
            }
            #[doc = concat!("Reads the payload (a `", stringify!($header), "` and attributes).")]
            pub fn from_payload(payload: &'a [u8]) -> Result<Self, $crate::wire::DecodeError> {
                let (header, attrs) = $crate::wire::split_family_header::<$header>(payload)?;
                Ok($view {
                    header,
                    attrs: $crate::wire::AttrTable::parse(attrs),
                })
            }
            /// The fixed header.
            #[inline]
            pub fn header(&self) -> &'a $header {
                self.header
            }
            /// Any attribute by type, O(1).
            pub fn attr(&self, kind: u16) -> Option<$crate::wire::Attr<'a>> {
                self.attrs.get(kind)
            }
            /// All attributes in order, for what the typed getters do not cover.
            #[inline]
            pub fn attrs(&self) -> $crate::wire::Attrs<'a> {
                $crate::wire::Attrs::new(self.attrs.source())
            }
            header_getters! {
                /// The address family (`AF_*`).
                family: family -> u8;
                $($header_getters)*
            }
        }
    };
}

/// Getters of single attributes, `None` when the attribute is absent or the reader refuses
/// its value. An entry is `name: KIND => reader -> type;` with its own doc, or, for getters
/// that need no more doc than their attribute's name, a row of them that share a reader:
/// `reader -> type: name KIND, name KIND;`.
macro_rules! attr_getters {
    () => {};
    ($(#[$doc:meta])* $name:ident: $kind:ident => $read:ident -> $out:ty; $($rest:tt)*) => {
        $(#[$doc])*
        #[inline]
        pub fn $name(&self) -> Option<$out> {
            self.attr($kind)?.$read()
        }
        attr_getters! { $($rest)* }
    };
    ($read:ident -> $out:ty: $($name:ident $kind:ident),+; $($rest:tt)*) => {
        $(
            #[doc = concat!("`", stringify!($kind), "`.")]
            #[inline]
            pub fn $name(&self) -> Option<$out> {
                self.attr($kind)?.$read()
            }
        )+
        attr_getters! { $($rest)* }
    };
}

/// The enum of the attributes a request sends in its command line's order, and `$order`:
/// all of them in the order they are declared, in which a request sends those that its
/// caller's order does not list (see [`first_mentions`]).
macro_rules! command_line_args {
    (
        $(#[$doc:meta])* $name:ident,
        $(#[$order_doc:meta])* $order:ident:
        $($(#[$variant_doc:meta])* $variant:ident,)+
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$variant_doc])* $variant,)+
        }

        impl $name {
            $(#[$order_doc])*
            pub const $order: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];
        }
    };
}

/// `emit_delete`: the dumped message sent back whole (header and every attribute) as the
/// request of type `$ty` that deletes it, as ip's flush commands do.
macro_rules! emit_delete {
    ($(#[$doc:meta])* $ty:ident, $flags:expr) => {
        $(#[$doc])*
        pub fn emit_delete(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
            let m = b.begin_request($ty, $flags);
            b.push(self.header);
            b.push_bytes(self.attrs.source());
            b.finish(m)
        }
    };
}

/// `emit_new_with` (an `$new` request with the caller's `NLM_F_CREATE` / `NLM_F_EXCL` /
/// `NLM_F_REPLACE` / `NLM_F_APPEND`, documented at the use) and `emit_del` (an `$del`), both
/// acknowledged, over the request's own `emit(b, type, flags)`.
macro_rules! new_and_del_emitters {
    ($(#[$doc:meta])* $new:ident, $del:ident) => {
        $(#[$doc])*
        pub fn emit_new_with(
            &self,
            b: &mut Builder<'_>,
            create_flags: u16,
        ) -> Result<usize, EncodeError> {
            self.emit(b, $new, NLM_F_REQUEST | NLM_F_ACK | create_flags)
        }
        #[doc = concat!("Appends an `", stringify!($del), "`.")]
        pub fn emit_del(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
            self.emit(b, $del, NLM_F_REQUEST | NLM_F_ACK)
        }
    };
}

pub mod addr;
pub mod consts;
pub mod encap;
pub mod kind_data;
pub mod link;
pub mod metrics;
pub mod neigh;
pub mod netconf;
pub mod nexthop;
pub mod nsid;
pub mod routes;
pub mod rule;

pub use addr::{
    emit_dump_addresses, AddressArg, AddressCacheInfo, AddressMessage, AddressRequest, Broadcast,
};
pub use encap::{Encap, MplsLabels, SegmentRouting};
pub use link::{
    emit_dump_links, emit_get_link, KindAttr, LinkArg, LinkAttrs, LinkInfo, LinkKind, LinkMessage,
    LinkRequest, NetnsRef, Stat, Stats64,
};
pub use metrics::{lock_bit, MetricValue, Metrics, RouteMetric};
pub use neigh::{emit_get_neigh, NeighDump, NeighMessage, NeighRequest};
pub use netconf::NetconfMessage;
pub use nexthop::{NextHop, NextHopRequest, NextHops, Via};
pub use nsid::{
    emit_dump_nsids, emit_get_nsid, emit_new_nsid, emit_query_nsids, NsIdMessage, NsTarget,
};
pub use routes::{
    emit_dump_routes, emit_get_route, RouteDump, RouteMessage, RouteQuery, RouteRequest,
};
pub use rule::{emit_dump_rules, RuleAttr, RuleMessage, RuleRequest};

use crate::wire::{Builder, DecodeError, EncodeError, Message};

/// A dump request: `ty` with `NLM_F_DUMP`, its family header, and the filters the kernel
/// applies itself (under strict checking): each attribute sent when it is set.
fn emit_dump<H: zerocopy::IntoBytes + zerocopy::Immutable>(
    b: &mut Builder<'_>,
    ty: u16,
    header: &H,
    filters: &[(u16, Option<u32>)],
) -> Result<usize, EncodeError> {
    let m = b.begin_request(ty, consts::NLM_F_REQUEST | consts::NLM_F_DUMP);
    b.push(header);
    for &(kind, value) in filters {
        b.attr_opt(kind, value);
    }
    b.finish(m)
}

/// The attributes `order` lists, then those of `all` it does not, each once, where it is
/// first named (ip sends an attribute where its command line first gave it). `index`
/// numbers them below 32.
fn first_mentions<'s, A: Copy>(
    order: &'s [A],
    all: &'s [A],
    index: fn(A) -> u8,
) -> impl Iterator<Item = A> + 's {
    let mut named = 0u32;
    order.iter().chain(all).copied().filter(move |&arg| {
        let bit = 1u32.checked_shl(u32::from(index(arg))).unwrap_or(0);
        let first = named & bit == 0;
        named |= bit;
        first
    })
}

/// Any rtnetlink message this crate has a view for, or the raw message for the rest
/// (forward compatible: a new message type is passed through, not refused).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum RtnlMessage<'a> {
    /// `RTM_NEWLINK` / `RTM_DELLINK`.
    Link(LinkMessage<'a>),
    /// `RTM_NEWADDR` / `RTM_DELADDR`.
    Address(AddressMessage<'a>),
    /// `RTM_NEWROUTE` / `RTM_DELROUTE`.
    Route(RouteMessage<'a>),
    /// `RTM_NEWNSID` / `RTM_DELNSID`.
    NsId(NsIdMessage<'a>),
    /// `RTM_NEWNEIGH` / `RTM_DELNEIGH` (and `RTM_GETNEIGH`: the kernel asking for one).
    Neigh(NeighMessage<'a>),
    /// `RTM_NEWRULE` / `RTM_DELRULE`.
    Rule(RuleMessage<'a>),
    /// Anything else.
    Other(Message<'a>),
}

impl<'a> RtnlMessage<'a> {
    /// Chooses the view by message type.
    // Always inlined so that the chosen view (its attribute table is up to ~300 bytes) is
    // built in the caller's frame: out of line, the enum was copied twice per message, and
    // memcpy was a tenth of the instructions of decoding a route dump (benches/decode.rs).
    #[inline(always)]
    pub fn parse(msg: &Message<'a>) -> Result<Self, DecodeError> {
        use consts::*;
        Ok(match msg.ty() {
            RTM_NEWLINK | RTM_DELLINK => RtnlMessage::Link(LinkMessage::parse(msg)?),
            RTM_NEWADDR | RTM_DELADDR => RtnlMessage::Address(AddressMessage::parse(msg)?),
            RTM_NEWROUTE | RTM_DELROUTE => RtnlMessage::Route(RouteMessage::parse(msg)?),
            RTM_NEWNSID | RTM_DELNSID => RtnlMessage::NsId(NsIdMessage::parse(msg)?),
            RTM_NEWNEIGH | RTM_DELNEIGH | RTM_GETNEIGH => {
                RtnlMessage::Neigh(NeighMessage::parse(msg)?)
            }
            RTM_NEWRULE | RTM_DELRULE => RtnlMessage::Rule(RuleMessage::parse(msg)?),
            _ => RtnlMessage::Other(*msg),
        })
    }
}
