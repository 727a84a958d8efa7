//! Addresses: `RTM_NEWADDR` / `RTM_DELADDR` views and requests, IPv4 and IPv6.

use core::net::{IpAddr, Ipv4Addr};

use zerocopy::byteorder::native_endian::U32;
use zerocopy::IntoBytes;

use super::consts::*;
use super::nexthop::family_of;
use super::{emit_dump, first_mentions};
use crate::wire::{Builder, EncodeError, IfAddrMsg, IfaCacheInfo};

view! {
    /// An address message borrowed from a received buffer.
    AddressMessage(IfAddrMsg, ADDR_ATTR_SLOTS = 16): RTM_NEWADDR | RTM_DELADDR | RTM_GETADDR;
    /// Prefix length.
    prefix_len: prefixlen -> u8;
    /// Scope (`RT_SCOPE_*`).
    scope: scope -> u8;
    /// Interface index.
    index: index -> u32;
    /// All `IFA_F_*` flags: `IFA_FLAGS` when present (it has the bits above 8).
    flags: flags widened by IFA_FLAGS;
}

/// `struct ifa_cacheinfo`: lifetimes in seconds (`u32::MAX` = forever) and timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressCacheInfo {
    /// Preferred lifetime.
    pub preferred: u32,
    /// Valid lifetime.
    pub valid: u32,
    /// Creation time, hundredths of a second since boot.
    pub created: u32,
    /// Last update, hundredths of a second since boot.
    pub updated: u32,
}

impl<'a> AddressMessage<'a> {
    attr_getters! {
        /// `IFA_LOCAL`: the interface's own address (IPv4).
        local: IFA_LOCAL => ip -> IpAddr;
        /// `IFA_ADDRESS`: the prefix address, or the peer on point-to-point links.
        address: IFA_ADDRESS => ip -> IpAddr;
    }
    /// The address `ip addr` shows: `IFA_LOCAL`, else `IFA_ADDRESS` (IPv6 sends only that).
    #[inline]
    pub fn primary(&self) -> Option<IpAddr> {
        self.local().or_else(|| self.address())
    }
    attr_getters! {
        /// `IFA_LABEL`, when it is UTF-8.
        label: IFA_LABEL => str -> &'a str;
        ipv4 -> Ipv4Addr: broadcast IFA_BROADCAST;
    }
    /// `IFA_LABEL`'s bytes (a label, like an interface name, need not be UTF-8).
    #[inline]
    pub fn label_bytes(&self) -> Option<&'a [u8]> {
        Some(self.attr(IFA_LABEL)?.c_bytes())
    }
    attr_getters! {
        /// `IFA_RT_PRIORITY`: the metric of the prefix route.
        route_priority: IFA_RT_PRIORITY => u32 -> u32;
        u8 -> u8: protocol IFA_PROTO;
    }
    /// `IFA_CACHEINFO` (`None` when shorter than the struct).
    #[inline]
    pub fn cache_info(&self) -> Option<AddressCacheInfo> {
        let info = self.attr(IFA_CACHEINFO)?.fixed::<IfaCacheInfo>()?;
        Some(AddressCacheInfo {
            preferred: info.preferred.get(),
            valid: info.valid.get(),
            created: info.cstamp.get(),
            updated: info.tstamp.get(),
        })
    }
    attr_getters! {
        ip -> IpAddr: anycast IFA_ANYCAST;
    }
    emit_delete! {
        /// Appends the `RTM_DELADDR` that deletes this address as `ip addr flush` does: the
        /// dumped message echoed whole (header and every attribute), without `NLM_F_ACK`
        /// ([`crate::socket::Socket::batch`] still learns each outcome).
        RTM_DELADDR, NLM_F_REQUEST
    }
}

/// `IFA_BROADCAST` as `ip addr` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Broadcast {
    /// `broadcast ADDR`: sent where the command line named it.
    Address(IpAddr),
    /// `broadcast +`: the prefix with every host bit set.
    HostBitsSet,
    /// `broadcast -`: the prefix with every host bit clear.
    HostBitsClear,
}

command_line_args! {
    /// The attributes `ip addr` adds as it reads its command line, in that order; everything
    /// else follows in a fixed order (`IFA_FLAGS`, `IFA_ADDRESS` repeating the local address, a
    /// computed `IFA_BROADCAST`, `IFA_CACHEINFO`).
    AddressArg,
    /// The order of ip's manual (`ADDR peer P broadcast B anycast A label L metric M`),
    /// used for whatever [`AddressRequest::order`] does not list.
    MANUAL_ORDER:
    /// `[local] ADDR`: `IFA_LOCAL`.
    Local,
    /// `peer ADDR`: `IFA_ADDRESS`.
    Peer,
    /// `broadcast ADDR`: `IFA_BROADCAST`.
    Broadcast,
    /// `anycast ADDR`: `IFA_ANYCAST`.
    Anycast,
    /// `label NAME`: `IFA_LABEL`.
    Label,
    /// `metric N`: `IFA_RT_PRIORITY`.
    Metric,
}

/// An address to add, change, replace or delete: everything `ip addr add|change|replace|del`
/// sends, in ip's attribute order for the same command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddressRequest<'a> {
    /// Interface index.
    pub index: u32,
    /// `AF_INET` or `AF_INET6`; 0 takes the family of the first address given (local,
    /// peer, broadcast, anycast), as ip does without `-4` / `-6`.
    pub family: u8,
    /// Scope.
    pub scope: u8,
    /// `IFA_F_*`: all in the header when they fit 8 bits, else all in `IFA_FLAGS`.
    pub flags: u32,
    /// `IFA_LOCAL`.
    pub local: Option<IpAddr>,
    /// Prefix length (the peer's when there is a peer).
    pub prefix_len: u8,
    /// `IFA_ADDRESS` as a point-to-point peer; without one, `IFA_ADDRESS` repeats `local`.
    pub peer: Option<IpAddr>,
    /// ip's wildcard delete (an IPv4 address given without a prefix length): no
    /// `IFA_ADDRESS` at all.
    pub omit_address: bool,
    /// `IFA_BROADCAST`; `+` and `-` are computed from the prefix (IPv4, /30 or shorter,
    /// not for a delete).
    pub broadcast: Option<Broadcast>,
    /// `IFA_ANYCAST`.
    pub anycast: Option<IpAddr>,
    /// `IFA_LABEL`.
    pub label: Option<&'a [u8]>,
    /// `IFA_RT_PRIORITY`: the metric of the prefix route.
    pub metric: Option<u32>,
    /// `(valid, preferred)` lifetimes in seconds, as `IFA_CACHEINFO`.
    pub lifetimes: Option<(u32, u32)>,
    /// The command-line order of the attributes listed in [`AddressArg`]; those missing
    /// follow in [`AddressArg::MANUAL_ORDER`].
    pub order: &'a [AddressArg],
}

impl AddressRequest<'_> {
    /// The header's family: the given one, else that of the first address.
    pub fn header_family(&self) -> u8 {
        if self.family != AF_UNSPEC {
            return self.family;
        }
        let explicit_broadcast = match self.broadcast {
            Some(Broadcast::Address(a)) => Some(a),
            _ => None,
        };
        let first = self
            .local
            .or(self.peer)
            .or(explicit_broadcast)
            .or(self.anycast);
        first.map_or(AF_UNSPEC, family_of)
    }

    /// The broadcast address `+` / `-` stand for: from the peer (or local) address and the
    /// prefix length, IPv4 prefixes of /30 or shorter only.
    pub fn computed_broadcast(&self) -> Option<Ipv4Addr> {
        let all_ones = match self.broadcast? {
            Broadcast::HostBitsSet => true,
            Broadcast::HostBitsClear => false,
            Broadcast::Address(_) => return None,
        };
        let IpAddr::V4(base) = self.peer.or(self.local)? else {
            return None;
        };
        if self.header_family() != AF_INET || self.prefix_len > 30 {
            return None;
        }
        let host = u32::MAX
            .checked_shr(u32::from(self.prefix_len))
            .unwrap_or(0);
        let bits = u32::from(base);
        Some(Ipv4Addr::from(if all_ones {
            bits | host
        } else {
            bits & !host
        }))
    }

    fn emit_arg(&self, b: &mut Builder<'_>, arg: AddressArg) {
        let explicit_broadcast = match self.broadcast {
            Some(Broadcast::Address(a)) => Some(a),
            _ => None,
        };
        let (kind, addr) = match arg {
            AddressArg::Local => (IFA_LOCAL, self.local),
            AddressArg::Peer => (IFA_ADDRESS, self.peer),
            AddressArg::Broadcast => (IFA_BROADCAST, explicit_broadcast),
            AddressArg::Anycast => (IFA_ANYCAST, self.anycast),
            AddressArg::Label => {
                if let Some(label) = self.label {
                    b.attr_c_bytes(IFA_LABEL, label);
                }
                return;
            }
            AddressArg::Metric => {
                b.attr_opt(IFA_RT_PRIORITY, self.metric);
                return;
            }
        };
        b.attr_opt(kind, addr);
    }

    fn emit(&self, b: &mut Builder<'_>, ty: u16, flags: u16) -> Result<usize, EncodeError> {
        let m = b.begin_request(ty, flags);
        b.push(&IfAddrMsg {
            family: self.header_family(),
            prefixlen: self.prefix_len,
            flags: u8::try_from(self.flags).unwrap_or(0),
            scope: self.scope,
            index: U32::new(self.index),
        });
        for arg in first_mentions(self.order, &AddressArg::MANUAL_ORDER, |arg| arg as u8) {
            self.emit_arg(b, arg);
        }
        if self.flags > 0xff {
            b.attr_u32(IFA_FLAGS, self.flags);
        }
        if let (None, Some(local), false) = (self.peer, self.local, self.omit_address) {
            b.attr_ip(IFA_ADDRESS, local);
        }
        if ty != RTM_DELADDR {
            if let Some(brd) = self.computed_broadcast() {
                b.attr(IFA_BROADCAST, &brd.octets());
            }
        }
        if let Some((valid, preferred)) = self.lifetimes {
            let info = IfaCacheInfo {
                preferred: U32::new(preferred),
                valid: U32::new(valid),
                ..IfaCacheInfo::default()
            };
            b.attr(IFA_CACHEINFO, info.as_bytes());
        }
        b.finish(m)
    }

    /// Appends an `RTM_NEWADDR` that adds the address (`NLM_F_CREATE | NLM_F_EXCL`).
    pub fn emit_new(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        self.emit_new_with(b, NLM_F_CREATE | NLM_F_EXCL)
    }
    /// Appends an `RTM_NEWADDR` that adds or replaces (`ip addr replace`).
    pub fn emit_replace(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        self.emit_new_with(b, NLM_F_CREATE | NLM_F_REPLACE)
    }
    /// Appends an `RTM_NEWADDR` that changes an existing address (`ip addr change`).
    pub fn emit_change(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        self.emit_new_with(b, NLM_F_REPLACE)
    }
    new_and_del_emitters! {
        /// Appends an `RTM_NEWADDR` with the caller's choice of `NLM_F_CREATE`, `NLM_F_EXCL`
        /// and `NLM_F_REPLACE`.
        RTM_NEWADDR, RTM_DELADDR
    }
}

/// Appends an `RTM_GETADDR` dump of `family` (`AF_UNSPEC` for both), optionally for one
/// interface (strict checking lets the kernel filter by index).
pub fn emit_dump_addresses(
    b: &mut Builder<'_>,
    family: u8,
    index: u32,
) -> Result<usize, EncodeError> {
    let header = IfAddrMsg {
        family,
        index: U32::new(index),
        ..IfAddrMsg::default()
    };
    emit_dump(b, RTM_GETADDR, &header, &[])
}
