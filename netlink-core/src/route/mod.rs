//! rtnetlink vocabulary on top of [`crate::wire`]: constants, borrowed views of link,
//! address, route, nsid, neighbour and rule messages, and the requests the kernel takes.

pub mod addr;
pub mod consts;
pub mod kind_data;
pub mod link;
pub mod metrics;
pub mod neigh;
pub mod nexthop;
pub mod nsid;
pub mod routes;
pub mod rule;

pub use addr::{
    emit_dump_addresses, AddressArg, AddressCacheInfo, AddressMessage, AddressRequest, Broadcast,
};
pub use link::{
    emit_dump_links, emit_get_link, KindAttr, LinkArg, LinkAttrs, LinkInfo, LinkKind, LinkMessage,
    LinkRequest, NetnsRef, Stat, Stats64,
};
pub use metrics::{lock_bit, MetricValue, Metrics, RouteMetric};
pub use neigh::{emit_get_neigh, NeighDump, NeighMessage, NeighRequest};
pub use nexthop::{NextHop, NextHopRequest, NextHops, Via};
pub use nsid::{
    emit_dump_nsids, emit_get_nsid, emit_new_nsid, emit_query_nsids, NsIdMessage, NsTarget,
};
pub use routes::{
    emit_dump_routes, emit_get_route, RouteDump, RouteMessage, RouteQuery, RouteRequest,
};
pub use rule::{emit_dump_rules, RuleAttr, RuleMessage, RuleRequest};

use crate::wire::{DecodeError, Message};

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
