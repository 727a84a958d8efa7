//! Route sub-structures: `struct rtvia` (`RTA_VIA`), the `struct rtnexthop` records of
//! `RTA_MULTIPATH` (read and built), and `struct rta_cacheinfo` (`RTA_CACHEINFO`).

use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{I32, U16};
use zerocopy::IntoBytes;

use super::consts::*;
use crate::wire::{align, split_header, Attr, Attrs, Builder, RtNextHop};

/// `struct rtvia`: a gateway with its own address family (an IPv4 route via an IPv6
/// gateway), borrowed from `RTA_VIA`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Via<'a> {
    family: u16,
    addr: &'a [u8],
}

impl<'a> Via<'a> {
    /// Reads an `RTA_VIA` value: a 16-bit family, then the address; `None` when shorter
    /// than the family.
    pub fn parse(value: &'a [u8]) -> Option<Self> {
        let (family, addr) = split_header::<U16>(value).ok()?;
        Some(Via {
            family: family.get(),
            addr,
        })
    }
    /// The gateway's address family (`AF_INET`, `AF_INET6`, ...).
    pub fn family(&self) -> u16 {
        self.family
    }
    /// The address bytes as sent.
    pub fn addr_bytes(&self) -> &'a [u8] {
        self.addr
    }
    /// The address, when the family is `AF_INET` or `AF_INET6` and the length fits it.
    pub fn addr(&self) -> Option<IpAddr> {
        let attr = Attr::new(0, self.addr);
        match u8::try_from(self.family).ok()? {
            AF_INET => attr.ipv4().map(IpAddr::V4),
            AF_INET6 => attr.ipv6().map(IpAddr::V6),
            _ => None,
        }
    }
}

/// Appends `RTA_VIA` for `gateway`: its family, then its address.
pub fn emit_via(b: &mut Builder<'_>, gateway: IpAddr) {
    let mut value = [0u8; 18];
    let (family, len) = match gateway {
        IpAddr::V4(a) => {
            value[2..6].copy_from_slice(&a.octets());
            (AF_INET, 6)
        }
        IpAddr::V6(a) => {
            value[2..].copy_from_slice(&a.octets());
            (AF_INET6, 18)
        }
    };
    value[..2].copy_from_slice(U16::new(u16::from(family)).as_bytes());
    b.attr(RTA_VIA, &value[..len]);
}

/// One next hop of `RTA_MULTIPATH`, borrowed.
#[derive(Clone, Debug)]
pub struct NextHop<'a> {
    header: &'a RtNextHop,
    attrs: &'a [u8],
}

impl<'a> NextHop<'a> {
    /// The fixed part.
    pub fn header(&self) -> &'a RtNextHop {
        self.header
    }
    header_getters! {
        /// `RTNH_F_*` flags.
        flags: flags -> u8;
        /// `rtnh_hops`: the weight less one.
        hops: hops -> u8;
    }
    /// The weight `ip` prints and takes (`hops + 1`, 1..=256).
    pub fn weight(&self) -> u16 {
        u16::from(self.header.hops) + 1
    }
    header_getters! {
        /// Output interface index (0 when the kernel is to choose it).
        ifindex: ifindex -> i32;
    }
    /// This hop's attributes (`RTA_GATEWAY`, `RTA_VIA`, `RTA_FLOW`, `RTA_ENCAP`...).
    pub fn attrs(&self) -> Attrs<'a> {
        Attrs::new(self.attrs)
    }
    /// `RTA_GATEWAY` of this hop.
    pub fn gateway(&self) -> Option<IpAddr> {
        self.attrs().get(RTA_GATEWAY)?.ip()
    }
    /// `RTA_VIA` of this hop.
    pub fn via(&self) -> Option<Via<'a>> {
        Via::parse(self.attrs().get(RTA_VIA)?.value())
    }
}

/// Iterator over the next hops of an `RTA_MULTIPATH` value. It ends at the first record
/// whose length is shorter than its header or runs past the value.
#[derive(Clone, Debug)]
pub struct NextHops<'a> {
    rest: &'a [u8],
}

impl<'a> NextHops<'a> {
    /// The next hops in an `RTA_MULTIPATH` value.
    pub fn new(value: &'a [u8]) -> Self {
        NextHops { rest: value }
    }
}

impl<'a> Iterator for NextHops<'a> {
    type Item = NextHop<'a>;

    fn next(&mut self) -> Option<NextHop<'a>> {
        let rest = core::mem::take(&mut self.rest);
        let (header, _) = split_header::<RtNextHop>(rest).ok()?;
        let len = usize::from(header.len.get());
        let attrs = rest.get(core::mem::size_of::<RtNextHop>()..len)?;
        self.rest = align(len).and_then(|n| rest.get(n..)).unwrap_or(&[]);
        Some(NextHop { header, attrs })
    }
}

/// One next hop to build: `nexthop [via GATEWAY] [dev IFINDEX] [weight W] [onlink]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NextHopRequest {
    /// The gateway: `RTA_GATEWAY` when its family is the route's, else `RTA_VIA`.
    pub gateway: Option<IpAddr>,
    /// Output interface index (0: none given).
    pub ifindex: i32,
    /// `ip`'s weight, 1..=256 (0 reads as 1); sent as `rtnh_hops = weight - 1`.
    pub weight: u16,
    /// `RTNH_F_*` flags (`RTNH_F_ONLINK`).
    pub flags: u8,
}

impl NextHopRequest {
    fn emit(&self, b: &mut Builder<'_>, route_family: u8) {
        let start = b.bytes().len();
        b.push(&RtNextHop {
            len: U16::new(0),
            flags: self.flags,
            hops: u8::try_from(self.weight.saturating_sub(1)).unwrap_or(u8::MAX),
            ifindex: I32::new(self.ifindex),
        });
        if let Some(gw) = self.gateway {
            if family_of(gw) == route_family {
                b.attr_ip(RTA_GATEWAY, gw);
            } else {
                emit_via(b, gw);
            }
        }
        b.patch_len16(start);
    }
}

/// Appends `RTA_MULTIPATH` with `hops`, as `ip route add ... nexthop ... nexthop ...` does.
pub fn emit_multipath(b: &mut Builder<'_>, route_family: u8, hops: &[NextHopRequest]) {
    let nest = b.nest_begin(RTA_MULTIPATH);
    for hop in hops {
        hop.emit(b, route_family);
    }
    b.nest_end(nest);
}

pub(crate) fn family_of(addr: IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::Ipv4Addr;

    #[test]
    fn built_next_hops_read_back() {
        let hops = [
            NextHopRequest {
                gateway: Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
                ifindex: 3,
                weight: 2,
                flags: RTNH_F_ONLINK as u8,
            },
            NextHopRequest {
                gateway: Some("2001:db8::1".parse().expect("address")),
                ..NextHopRequest::default()
            },
        ];
        let mut buf = Vec::new();
        emit_multipath(&mut Builder::new(&mut buf), AF_INET, &hops);
        let multipath = Attrs::new(&buf).next().expect("RTA_MULTIPATH");
        let got: Vec<NextHop<'_>> = NextHops::new(multipath.value()).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].weight(), got[0].ifindex(), got[0].flags()),
            (2, 3, 4)
        );
        assert_eq!(got[0].gateway(), hops[0].gateway);
        assert_eq!(got[1].weight(), 1);
        assert_eq!(got[1].gateway(), None);
        let via = got[1].via().expect("RTA_VIA for the other family");
        assert_eq!(
            (via.family(), via.addr()),
            (u16::from(AF_INET6), hops[1].gateway)
        );
    }

    /// A `struct rtnexthop` as the kernel writes it: native byte order.
    fn record(len: u16, ifindex: i32) -> Vec<u8> {
        let mut bytes = len.to_ne_bytes().to_vec();
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(&ifindex.to_ne_bytes());
        bytes
    }

    /// A `struct rtvia` family word followed by `addr`.
    fn via(family: u16, addr: &[u8]) -> Vec<u8> {
        let mut bytes = family.to_ne_bytes().to_vec();
        bytes.extend_from_slice(addr);
        bytes
    }

    #[test]
    fn a_lying_record_ends_the_walk() {
        let mut value = record(8, 1);
        value.extend_from_slice(&record(200, 2));
        let got: Vec<i32> = NextHops::new(&value).map(|h| h.ifindex()).collect();
        assert_eq!(got, [1]);
        assert_eq!(NextHops::new(&record(4, 1)).count(), 0);
        assert_eq!(NextHops::new(&9u16.to_ne_bytes()).count(), 0);
    }

    #[test]
    fn via_reads_its_family_and_refuses_short_values() {
        assert_eq!(Via::parse(&[2]), None);
        let (v4, short, other) = (
            via(u16::from(AF_INET), &[192, 0, 2, 1]),
            via(u16::from(AF_INET), &[192, 0]),
            via(17, &[1, 2, 3]),
        );
        let v4 = Via::parse(&v4).expect("family");
        assert_eq!(v4.addr(), Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))));
        let short = Via::parse(&short).expect("family");
        assert_eq!(short.addr(), None);
        let other = Via::parse(&other).expect("family");
        assert_eq!((other.family(), other.addr_bytes()), (17, &[1u8, 2, 3][..]));
    }
}
