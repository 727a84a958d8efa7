//! Addresses: `RTM_NEWADDR` / `RTM_DELADDR` views and requests, IPv4 and IPv6.

use core::net::{IpAddr, Ipv4Addr};

use zerocopy::byteorder::native_endian::U32;

use super::consts::*;
use crate::wire::{
    split_family_header, Attr, AttrTable, Attrs, Builder, DecodeError, EncodeError, IfAddrMsg,
    Message,
};

/// Table slots for address attributes.
pub const ADDR_ATTR_SLOTS: usize = 16;

/// An address message borrowed from a received buffer.
#[derive(Clone, Debug)]
pub struct AddressMessage<'a> {
    header: &'a IfAddrMsg,
    attrs: AttrTable<'a, ADDR_ATTR_SLOTS>,
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
    /// Reads an address message, checking its type.
    #[inline]
    pub fn parse(msg: &Message<'a>) -> Result<Self, DecodeError> {
        match msg.ty() {
            RTM_NEWADDR | RTM_DELADDR | RTM_GETADDR => Self::from_payload(msg.payload()),
            other => Err(DecodeError::UnexpectedType(other)),
        }
    }
    /// Reads the payload of an address message.
    #[inline]
    pub fn from_payload(payload: &'a [u8]) -> Result<Self, DecodeError> {
        let (header, attrs) = split_family_header::<IfAddrMsg>(payload)?;
        Ok(AddressMessage {
            header,
            attrs: AttrTable::parse(attrs),
        })
    }
    /// The fixed header.
    #[inline]
    pub fn header(&self) -> &'a IfAddrMsg {
        self.header
    }
    /// `AF_INET` or `AF_INET6`.
    #[inline]
    pub fn family(&self) -> u8 {
        self.header.family
    }
    /// Prefix length.
    #[inline]
    pub fn prefix_len(&self) -> u8 {
        self.header.prefixlen
    }
    /// Scope (`RT_SCOPE_*`).
    #[inline]
    pub fn scope(&self) -> u8 {
        self.header.scope
    }
    /// Interface index.
    #[inline]
    pub fn index(&self) -> u32 {
        self.header.index.get()
    }
    /// All `IFA_F_*` flags: `IFA_FLAGS` when present (it has the bits above 8).
    #[inline]
    pub fn flags(&self) -> u32 {
        self.attr(IFA_FLAGS)
            .and_then(|a| a.u32())
            .unwrap_or(self.header.flags as u32)
    }
    /// Any attribute by type, O(1).
    #[inline]
    pub fn attr(&self, kind: u16) -> Option<Attr<'a>> {
        self.attrs.get(kind)
    }
    /// `IFA_LOCAL`: the interface's own address (IPv4).
    #[inline]
    pub fn local(&self) -> Option<IpAddr> {
        self.attr(IFA_LOCAL)?.ip()
    }
    /// `IFA_ADDRESS`: the prefix address, or the peer on point-to-point links.
    #[inline]
    pub fn address(&self) -> Option<IpAddr> {
        self.attr(IFA_ADDRESS)?.ip()
    }
    /// The address `ip addr` shows: `IFA_LOCAL`, else `IFA_ADDRESS` (IPv6 sends only that).
    #[inline]
    pub fn primary(&self) -> Option<IpAddr> {
        self.local().or_else(|| self.address())
    }
    /// `IFA_BROADCAST`.
    #[inline]
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        self.attr(IFA_BROADCAST)?.ipv4()
    }
    /// `IFA_LABEL`.
    #[inline]
    pub fn label(&self) -> Option<&'a str> {
        self.attr(IFA_LABEL)?.str()
    }
    /// `IFA_PROTO`.
    #[inline]
    pub fn protocol(&self) -> Option<u8> {
        self.attr(IFA_PROTO)?.u8()
    }
    /// `IFA_RT_PRIORITY`: the metric of the prefix route.
    #[inline]
    pub fn route_priority(&self) -> Option<u32> {
        self.attr(IFA_RT_PRIORITY)?.u32()
    }
    /// `IFA_CACHEINFO`.
    #[inline]
    pub fn cache_info(&self) -> Option<AddressCacheInfo> {
        let v = self.attr(IFA_CACHEINFO)?.value();
        let word = |i: usize| -> Option<u32> {
            Some(u32::from_ne_bytes(
                v.get(i * 4..i * 4 + 4)?.try_into().ok()?,
            ))
        };
        Some(AddressCacheInfo {
            preferred: word(0)?,
            valid: word(1)?,
            created: word(2)?,
            updated: word(3)?,
        })
    }
    /// All attributes in order.
    #[inline]
    pub fn attrs(&self) -> Attrs<'a> {
        Attrs::new(self.attrs.source())
    }
}

/// An address to add or delete. Emitted in iproute2's order (`IFA_LOCAL`, `IFA_FLAGS`,
/// `IFA_LABEL`, `IFA_ADDRESS`, `IFA_BROADCAST`, `IFA_CACHEINFO`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressRequest<'a> {
    /// Interface index.
    pub index: u32,
    /// The address.
    pub local: IpAddr,
    /// Prefix length.
    pub prefix_len: u8,
    /// `IFA_ADDRESS` when it differs from `local` (a point-to-point peer); `None` repeats
    /// `local`, as iproute2 does.
    pub peer: Option<IpAddr>,
    /// `IFA_BROADCAST` (IPv4).
    pub broadcast: Option<Ipv4Addr>,
    /// `IFA_LABEL`.
    pub label: Option<&'a str>,
    /// Scope.
    pub scope: u8,
    /// `IFA_F_*`: the low 8 bits go in the header, higher ones in `IFA_FLAGS`.
    pub flags: u32,
    /// `(valid, preferred)` lifetimes in seconds, as `IFA_CACHEINFO`.
    pub lifetimes: Option<(u32, u32)>,
}

impl AddressRequest<'_> {
    fn emit(&self, b: &mut Builder<'_>, ty: u16, flags: u16) -> Result<usize, EncodeError> {
        let family = match self.local {
            IpAddr::V4(_) => AF_INET,
            IpAddr::V6(_) => AF_INET6,
        };
        let m = b.begin_request(ty, flags);
        b.push(&IfAddrMsg {
            family,
            prefixlen: self.prefix_len,
            flags: if self.flags <= 0xff {
                self.flags as u8
            } else {
                0
            },
            scope: self.scope,
            index: U32::new(self.index),
        });
        b.attr_ip(IFA_LOCAL, self.local);
        if self.flags > 0xff {
            b.attr_u32(IFA_FLAGS, self.flags);
        }
        if let Some(label) = self.label {
            b.attr_str(IFA_LABEL, label);
        }
        b.attr_ip(IFA_ADDRESS, self.peer.unwrap_or(self.local));
        if let Some(brd) = self.broadcast {
            b.attr(IFA_BROADCAST, &brd.octets());
        }
        if let Some((valid, preferred)) = self.lifetimes {
            let mut ci = [0u8; 16];
            ci[..4].copy_from_slice(&preferred.to_ne_bytes());
            ci[4..8].copy_from_slice(&valid.to_ne_bytes());
            b.attr(IFA_CACHEINFO, &ci);
        }
        b.finish(m)
    }

    /// Appends an `RTM_NEWADDR` that adds the address (`NLM_F_CREATE | NLM_F_EXCL`).
    pub fn emit_new(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
        self.emit(b, RTM_NEWADDR, flags)
    }
    /// Appends an `RTM_NEWADDR` that adds or replaces (`ip addr replace`).
    pub fn emit_replace(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
        self.emit(b, RTM_NEWADDR, flags)
    }
    /// Appends an `RTM_DELADDR`.
    pub fn emit_del(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        self.emit(b, RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK)
    }
}

/// Appends an `RTM_GETADDR` dump of `family` (`AF_UNSPEC` for both), optionally for one
/// interface (strict checking lets the kernel filter by index).
pub fn emit_dump_addresses(
    b: &mut Builder<'_>,
    family: u8,
    index: u32,
) -> Result<usize, EncodeError> {
    let m = b.begin_request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
    b.push(&IfAddrMsg {
        family,
        prefixlen: 0,
        flags: 0,
        scope: 0,
        index: U32::new(index),
    });
    b.finish(m)
}

/// Appends an `RTM_DELADDR` for an address as the kernel reported it, for `ip addr flush`:
/// the header and `IFA_LOCAL` / `IFA_ADDRESS` are what identifies it.
pub fn emit_del_reported(
    b: &mut Builder<'_>,
    addr: &AddressMessage<'_>,
) -> Result<usize, EncodeError> {
    let m = b.begin_request(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK);
    b.push(addr.header());
    for a in addr.attrs() {
        if matches!(a.kind(), IFA_LOCAL | IFA_ADDRESS) {
            b.attr(a.raw_kind(), a.value());
        }
    }
    b.finish(m)
}
