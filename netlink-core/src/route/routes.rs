//! Routes: `RTM_NEWROUTE` / `RTM_DELROUTE` views and requests, IPv4 and IPv6.

use core::net::IpAddr;

use zerocopy::byteorder::native_endian::U32;

use super::consts::*;
use super::emit_dump;
use super::encap::Encap;
use super::metrics::{emit_metrics, Metrics, RouteMetric};
use super::nexthop::{emit_multipath, emit_via, NextHopRequest, NextHops, Via};
use crate::wire::{AttrTable, Attrs, Builder, EncodeError, RtMsg, RtaCacheInfo};

/// Table slots for `RTA_METRICS` (`RTAX_*` up to `RTAX_FASTOPEN_NO_COOKIE`).
pub const METRIC_SLOTS: usize = 18;

view! {
    /// A route message borrowed from a received buffer.
    RouteMessage(RtMsg, ROUTE_ATTR_SLOTS = 32): RTM_NEWROUTE | RTM_DELROUTE | RTM_GETROUTE;
    /// Destination prefix length.
    dst_len: dst_len -> u8;
    /// Source prefix length.
    src_len: src_len -> u8;
    /// Type of service.
    tos: tos -> u8;
    /// `RTPROT_*`.
    protocol: protocol -> u8;
    /// `RT_SCOPE_*`.
    scope: scope -> u8;
    /// `RTN_*`.
    kind: ty -> u8;
    /// `RTM_F_*` / `RTNH_F_*` flags.
    flags: flags -> u32;
    /// Table id: `RTA_TABLE` when present (ids above 255 exist only there).
    table: table widened by RTA_TABLE;
}

impl<'a> RouteMessage<'a> {
    attr_getters! {
        /// `RTA_DST` (absent for a default route).
        dst: RTA_DST => ip -> IpAddr;
        /// `RTA_PRIORITY`: the metric.
        priority: RTA_PRIORITY => u32 -> u32;
        /// `RTA_PREF` (IPv6 router preference).
        pref: RTA_PREF => u8 -> u8;
        ip -> IpAddr: src RTA_SRC, gateway RTA_GATEWAY, prefsrc RTA_PREFSRC;
        u32 -> u32: oif RTA_OIF, iif RTA_IIF;
    }
    /// `RTA_METRICS`: nested `RTAX_*` values.
    #[inline]
    pub fn metrics(&self) -> Option<Attrs<'a>> {
        Some(self.attr(RTA_METRICS)?.nested())
    }
    /// `RTA_METRICS` read in order: each metric, and the `RTAX_LOCK` bitmap.
    #[inline]
    pub fn metric_values(&self) -> Option<Metrics<'a>> {
        Some(Metrics::new(self.metrics()?))
    }
    /// `RTA_METRICS` as a table: `RTAX_*` in O(1), a repeated one read as its last.
    #[inline]
    pub fn metrics_table(&self) -> Option<AttrTable<'a, METRIC_SLOTS>> {
        Some(AttrTable::parse(self.metrics()?))
    }
    /// `RTA_MULTIPATH`: raw `rtnexthop` records.
    #[inline]
    pub fn multipath(&self) -> Option<&'a [u8]> {
        Some(self.attr(RTA_MULTIPATH)?.value())
    }
    /// `RTA_MULTIPATH`: the next hops, read.
    #[inline]
    pub fn nexthops(&self) -> Option<NextHops<'a>> {
        Some(NextHops::new(self.multipath()?))
    }
    /// `RTA_VIA`: a gateway of another family than the route's.
    #[inline]
    pub fn via(&self) -> Option<Via<'a>> {
        Via::parse(self.attr(RTA_VIA)?.value())
    }
    attr_getters! {
        /// `RTA_CACHEINFO` (`None` when shorter than the struct).
        cache_info: RTA_CACHEINFO => fixed -> &'a RtaCacheInfo;
        /// `RTA_ENCAP_TYPE` (`LWTUNNEL_ENCAP_*`).
        encap_type: RTA_ENCAP_TYPE => u16 -> u16;
    }
    /// `RTA_ENCAP_TYPE` with `RTA_ENCAP`: the encapsulation, read.
    #[inline]
    pub fn encapsulation(&self) -> Option<Encap<'a>> {
        Encap::new(self.attr(RTA_ENCAP_TYPE), Some(self.attr(RTA_ENCAP)?))
    }
    /// `RTA_ENCAP`: the encapsulation's own attributes, by `encap_type`.
    #[inline]
    pub fn encap(&self) -> Option<Attrs<'a>> {
        Some(self.attr(RTA_ENCAP)?.nested())
    }
    emit_delete! {
        /// Appends the `RTM_DELROUTE` that deletes this route as `ip route flush` does: the
        /// dumped message echoed whole (header and every attribute), without `NLM_F_ACK`
        /// ([`crate::socket::Socket::batch`] still learns each outcome).
        RTM_DELROUTE, NLM_F_REQUEST
    }
    attr_getters! {
        /// `RTA_EXPIRES` in seconds.
        expires: RTA_EXPIRES => u32 -> u32;
    }
}

/// A route to add, replace or delete. Emitted in iproute2's order for `ip route add PREFIX
/// [via GW] [src SRC] [metric N] [table T] [dev DEV] [mtu M] [nexthop ...]...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRequest<'a> {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// Destination (`None` with `dst_len` 0 for a default route).
    pub dst: Option<IpAddr>,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Type of service.
    pub tos: u8,
    /// Table id; above 255 it goes in `RTA_TABLE` and the header says `RT_TABLE_UNSPEC`.
    pub table: u32,
    /// `RTPROT_*`.
    pub protocol: u8,
    /// `RT_SCOPE_*`.
    pub scope: u8,
    /// `RTN_*`.
    pub kind: u8,
    /// `RTNH_F_*` flags (`RTNH_F_ONLINK`).
    pub flags: u32,
    /// `RTA_GATEWAY`.
    pub gateway: Option<IpAddr>,
    /// `RTA_PREFSRC`.
    pub prefsrc: Option<IpAddr>,
    /// `RTA_PRIORITY`.
    pub priority: Option<u32>,
    /// `RTA_OIF`.
    pub oif: Option<u32>,
    /// `RTAX_MTU` in `RTA_METRICS` (first, before `metrics`).
    pub mtu: Option<u32>,
    /// More `RTA_METRICS`, in the order given (iproute2 sends them in command-line order).
    pub metrics: &'a [RouteMetric<'a>],
    /// `RTAX_LOCK`: the bitmap of locked metrics ([`super::metrics::lock_bit`]), sent
    /// after the metrics when not 0.
    pub metric_locks: u32,
    /// `RTA_SRC` (source prefix, with `src_len`; IPv6 source routing).
    pub src: Option<IpAddr>,
    /// Source prefix length.
    pub src_len: u8,
    /// `RTA_VIA`: a gateway of another family than the route's (IPv4 via IPv6).
    pub via: Option<IpAddr>,
    /// `RTA_PREF`: IPv6 router preference (`ICMPV6_ROUTER_PREF_*`).
    pub pref: Option<u8>,
    /// `RTA_FLOW`: the realms, source in the upper 16 bits, destination in the lower.
    pub flow: Option<u32>,
    /// `RTA_MULTIPATH`: the next hops of a multipath route (empty: none).
    pub nexthops: &'a [NextHopRequest],
}

impl Default for RouteRequest<'_> {
    fn default() -> Self {
        RouteRequest {
            family: AF_INET,
            dst: None,
            dst_len: 0,
            tos: 0,
            table: RT_TABLE_MAIN as u32,
            protocol: RTPROT_BOOT,
            scope: RT_SCOPE_UNIVERSE,
            kind: RTN_UNICAST,
            flags: 0,
            gateway: None,
            prefsrc: None,
            priority: None,
            oif: None,
            mtu: None,
            metrics: &[],
            metric_locks: 0,
            src: None,
            src_len: 0,
            via: None,
            pref: None,
            flow: None,
            nexthops: &[],
        }
    }
}

impl RouteRequest<'_> {
    fn emit(&self, b: &mut Builder<'_>, ty: u16, flags: u16) -> Result<usize, EncodeError> {
        let m = b.begin_request(ty, flags);
        let table_in_header = u8::try_from(self.table).unwrap_or(RT_TABLE_UNSPEC);
        b.push(&RtMsg {
            family: self.family,
            dst_len: self.dst_len,
            src_len: self.src_len,
            tos: self.tos,
            table: table_in_header,
            protocol: self.protocol,
            scope: self.scope,
            ty: self.kind,
            flags: U32::new(self.flags),
        });
        b.attr_opt(RTA_DST, self.dst);
        b.attr_opt(RTA_SRC, self.src);
        b.attr_opt(RTA_GATEWAY, self.gateway);
        if let Some(via) = self.via {
            emit_via(b, via);
        }
        b.attr_opt(RTA_PREFSRC, self.prefsrc);
        b.attr_opt(RTA_PRIORITY, self.priority);
        if self.table > 255 {
            b.attr_u32(RTA_TABLE, self.table);
        }
        b.attr_opt(RTA_FLOW, self.flow);
        b.attr_opt(RTA_OIF, self.oif);
        emit_metrics(b, self.mtu, self.metrics, self.metric_locks);
        if !self.nexthops.is_empty() {
            emit_multipath(b, self.family, self.nexthops);
        }
        b.attr_opt(RTA_PREF, self.pref);
        b.finish(m)
    }

    /// Appends an `RTM_NEWROUTE` that adds (`NLM_F_CREATE | NLM_F_EXCL`).
    pub fn emit_new(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
        self.emit(b, RTM_NEWROUTE, flags)
    }
    /// Appends an `RTM_NEWROUTE` that adds or replaces (`NLM_F_CREATE | NLM_F_REPLACE`).
    pub fn emit_replace(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
        self.emit(b, RTM_NEWROUTE, flags)
    }
    new_and_del_emitters! {
        /// Appends an `RTM_NEWROUTE` with the caller's choice of `NLM_F_CREATE`, `NLM_F_EXCL`,
        /// `NLM_F_REPLACE` and `NLM_F_APPEND` (ip's change, prepend, append and test).
        RTM_NEWROUTE, RTM_DELROUTE
    }
}

/// A route dump with the filters the kernel applies itself under strict checking, as
/// `ip route show|flush` asks for them: the header's family and flag, then ip's selectors
/// in ip's order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteDump {
    /// `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for both.
    pub family: u8,
    /// `RTM_F_CLONED`: the route cache instead of the FIB.
    pub cloned: bool,
    /// `RTA_TABLE`: one table.
    pub table: Option<u32>,
    /// `rtm_protocol`: routes of one protocol (0: any).
    pub protocol: u8,
    /// `RTA_OIF`: routes out of one interface.
    pub oif: Option<u32>,
}

impl RouteDump {
    /// Appends the `RTM_GETROUTE` dump request.
    pub fn emit(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let header = RtMsg {
            family: self.family,
            protocol: self.protocol,
            flags: U32::new(if self.cloned { RTM_F_CLONED } else { 0 }),
            ..RtMsg::default()
        };
        let filters = [(RTA_TABLE, self.table), (RTA_OIF, self.oif)];
        emit_dump(b, RTM_GETROUTE, &header, &filters)
    }
}

/// Appends an `RTM_GETROUTE` dump of `family`; `table` (when `Some`) asks the kernel to
/// filter by table, which it does under strict checking.
pub fn emit_dump_routes(
    b: &mut Builder<'_>,
    family: u8,
    table: Option<u32>,
) -> Result<usize, EncodeError> {
    RouteDump {
        family,
        table,
        ..RouteDump::default()
    }
    .emit(b)
}

/// Appends an `RTM_GETROUTE` that asks which route the kernel would use for `dst` (`ip
/// route get`): the reply is one `RTM_NEWROUTE`.
pub fn emit_get_route(
    b: &mut Builder<'_>,
    dst: IpAddr,
    oif: Option<u32>,
    fib_match: bool,
) -> Result<usize, EncodeError> {
    let len = match dst {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    };
    RouteQuery {
        dst: Some(dst),
        dst_len: len,
        oif,
        fib_match,
        ..RouteQuery::default()
    }
    .emit(b)
}

/// A route lookup (`ip route get`) with ip's selectors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteQuery {
    /// `AF_INET` or `AF_INET6`; taken from `dst` when 0.
    pub family: u8,
    /// Destination address.
    pub dst: Option<IpAddr>,
    /// Destination prefix length (32 / 128 for a host).
    pub dst_len: u8,
    /// `RTA_SRC`: the source address to look up from.
    pub src: Option<IpAddr>,
    /// Source prefix length.
    pub src_len: u8,
    /// Type of service.
    pub tos: u8,
    /// `RTA_IIF`: pretend the packet came in on this interface.
    pub iif: Option<u32>,
    /// `RTA_OIF`: force this output interface.
    pub oif: Option<u32>,
    /// `RTA_MARK`.
    pub mark: Option<u32>,
    /// `RTA_UID`.
    pub uid: Option<u32>,
    /// `RTM_F_FIB_MATCH`: return the matching FIB entry, not the resolved route.
    pub fib_match: bool,
    /// `RTM_F_NOTIFY`.
    pub notify: bool,
}

impl RouteQuery {
    /// Appends the `RTM_GETROUTE` request.
    pub fn emit(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let family = match (self.family, self.dst) {
            (0, Some(IpAddr::V6(_))) => AF_INET6,
            (0, _) => AF_INET,
            (f, _) => f,
        };
        let mut flags = 0;
        // Only IPv4 knows RTM_F_LOOKUP_TABLE (the reply then names the table the route
        // was found in); IPv6's strict request check refuses any flag but FIB_MATCH.
        if family == AF_INET {
            flags |= RTM_F_LOOKUP_TABLE;
        }
        if self.fib_match {
            flags |= RTM_F_FIB_MATCH;
        }
        if self.notify {
            flags |= RTM_F_NOTIFY;
        }
        let m = b.begin_request(RTM_GETROUTE, NLM_F_REQUEST);
        b.push(&RtMsg {
            family,
            dst_len: self.dst_len,
            src_len: self.src_len,
            tos: self.tos,
            flags: U32::new(flags),
            ..RtMsg::default()
        });
        b.attr_opt(RTA_SRC, self.src);
        b.attr_opt(RTA_DST, self.dst);
        b.attr_opt(RTA_IIF, self.iif);
        b.attr_opt(RTA_OIF, self.oif);
        b.attr_opt(RTA_MARK, self.mark);
        b.attr_opt(RTA_UID, self.uid);
        b.finish(m)
    }
}
