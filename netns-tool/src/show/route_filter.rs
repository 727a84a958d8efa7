//! Which routes a listing shows (ip's `filter` and `filter_nlmsg`), and which fields it
//! then leaves out of each line.

use netlink_core::route::consts::*;
use netlink_core::route::RouteMessage;
use netlink_core::wire::Attr;

use crate::toolbox::inet::{family_accepts, Prefix};

/// Which routes a listing shows and which fields it then leaves out (a field every shown
/// route shares because the selector fixed it is not printed, as ip does): the selectors in
/// the order `ip route show` reads them, then the family.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Table id; 0 shows every table (and prints each route's table).
    pub table: u32,
    /// 0: uncached routes only; 1: cached only; 2: both (`ip route get`).
    pub cloned: u8,
    /// `tos T`.
    pub tos: Option<u8>,
    /// `proto P`.
    pub protocol: Option<u8>,
    /// `scope S`.
    pub scope: Option<u8>,
    /// Bit per `RTN_*` type accepted (`type T`); 0 accepts all.
    pub types: u64,
    /// `dev D` / `oif D`.
    pub oif: Option<u32>,
    /// `iif D`.
    pub iif: Option<u32>,
    /// `metric N`.
    pub metric: Option<u32>,
    /// `via P`.
    pub via: Option<Prefix>,
    /// `src P`.
    pub prefsrc: Option<Prefix>,
    /// `from [root|match|exact] P`: the sources shown.
    pub src: PrefixSelector,
    /// `[to] [root|match|exact] P`: the destinations shown.
    pub dst: PrefixSelector,
    /// Address family the user chose (`-4` / `-6`), `AF_UNSPEC` for any.
    pub family: u8,
}

impl Filter {
    /// Whether `type T` lets a route of type `kind` through (no `type` lets all through).
    pub fn accepts_type(&self, kind: u8) -> bool {
        self.types == 0 || self.types & (1u64 << (kind % 64)) != 0
    }

    /// The filter a listing starts from: table main, uncached routes.
    pub fn listing(family: u8) -> Self {
        Filter {
            family,
            table: u32::from(RT_TABLE_MAIN),
            ..Filter::default()
        }
    }

    /// Whether a route passes (ip's `filter_nlmsg`).
    pub fn accepts(&self, r: &RouteMessage<'_>) -> bool {
        let family = r.family();
        if !family_accepts(self.family, family) {
            return false;
        }
        let cloned = r.flags() & RTM_F_CLONED != 0;
        if (self.cloned == 0 && cloned) || (self.cloned == 1 && !cloned) {
            return false;
        }
        if self.table > 0 && self.table != r.table() {
            return false;
        }
        if self.protocol.is_some_and(|p| p != r.protocol())
            || self.scope.is_some_and(|s| s != r.scope())
            || self.tos.is_some_and(|t| t != r.tos())
        {
            return false;
        }
        if !self.accepts_type(r.kind()) {
            return false;
        }
        if !self.dst.selects(family, r.attr(RTA_DST), r.dst_len())
            || !self.src.selects(family, r.attr(RTA_SRC), r.src_len())
        {
            return false;
        }
        if let Some(via) = self.via {
            let other_family = r
                .via()
                .and_then(|v| Some((u8::try_from(v.family()).ok()?, v.addr()?)));
            let via_family = other_family.map_or(family, |(f, _)| f);
            if !family_accepts(via.family, via_family) {
                return false;
            }
            let gw = r.gateway().or(other_family.map(|(_, a)| a));
            if via.bitlen > 0 && !via.matches(gw, via.bitlen) {
                return false;
            }
        }
        if let Some(ps) = self.prefsrc {
            if !family_accepts(ps.family, family) {
                return false;
            }
            if ps.bitlen > 0 && !ps.matches(r.prefsrc(), ps.bitlen) {
                return false;
            }
        }
        if self.iif.is_some_and(|i| r.iif().unwrap_or(0) != i) {
            return false;
        }
        // ip's `filter_nlmsg` compares RTA_OIF alone: a multipath route has none, so
        // `dev D` leaves it out whatever its next hops use.
        if self.oif.is_some_and(|o| r.oif() != Some(o)) {
            return false;
        }
        if self.metric.is_some_and(|m| r.priority().unwrap_or(0) != m) {
            return false;
        }
        true
    }
}

/// ip's root/match/exact selection on one of a route's prefixes (`None`: not given).
#[derive(Debug, Clone, Copy, Default)]
pub struct PrefixSelector {
    /// `root P`: routes inside P.
    pub root: Option<Prefix>,
    /// `match P`: routes covering P.
    pub within: Option<Prefix>,
}

impl PrefixSelector {
    /// Whether a route's prefix (the address attribute `attr`, `len`, of `family`) is
    /// selected.
    fn selects(&self, family: u8, attr: Option<Attr<'_>>, len: u8) -> bool {
        let addr = attr.and_then(|a| a.ip());
        let root_ok = match self.root {
            Some(p) => {
                family_accepts(p.family, family) && p.bitlen <= len && p.matches(addr, p.bitlen)
            }
            None => true,
        };
        let within_ok = match self.within {
            Some(p) => family_accepts(p.family, family) && p.bitlen >= len && p.matches(addr, len),
            None => true,
        };
        root_ok && within_ok
    }
}
