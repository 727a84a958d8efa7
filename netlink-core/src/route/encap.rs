//! Lightweight tunnel encapsulations of a route or of one of its next hops: `RTA_ENCAP_TYPE`
//! (`LWTUNNEL_ENCAP_*`) and the nested `RTA_ENCAP` whose attributes that type defines
//! (`ip`/`ip6` tunnel keys, an SRv6 segment list, an SRv6 local action, MPLS labels, an
//! XFRM interface id, BPF programs).

use core::net::IpAddr;

use super::consts::{RTA_ENCAP, RTA_ENCAP_TYPE};
use crate::wire::{Attr, AttrTable, Attrs};

/// `LWTUNNEL_ENCAP_XFRM` (Linux 5.19).
pub const LWTUNNEL_ENCAP_XFRM: u16 = 10;

// LWTUNNEL_IP_* and LWTUNNEL_IP6_* (the same numbers; IPv6 says hoplimit and tc).
/// Tunnel id, big-endian `u64`.
pub const LWTUNNEL_IP_ID: u16 = 1;
/// Tunnel destination.
pub const LWTUNNEL_IP_DST: u16 = 2;
/// Tunnel source.
pub const LWTUNNEL_IP_SRC: u16 = 3;
/// TTL / hop limit, `u8`.
pub const LWTUNNEL_IP_TTL: u16 = 4;
/// TOS / traffic class, `u8`.
pub const LWTUNNEL_IP_TOS: u16 = 5;
/// `TUNNEL_*` flags, a big-endian `u16` ([`Encap::tunnel_flags`]).
pub const LWTUNNEL_IP_FLAGS: u16 = 6;
/// `TUNNEL_CSUM` in [`Encap::tunnel_flags`].
pub const TUNNEL_CSUM: u16 = 0x01;
/// `TUNNEL_KEY`.
pub const TUNNEL_KEY: u16 = 0x04;
/// `TUNNEL_SEQ`.
pub const TUNNEL_SEQ: u16 = 0x08;

/// `MPLS_IPTUNNEL_DST`: the label stack.
pub const MPLS_IPTUNNEL_DST: u16 = 1;
/// `MPLS_IPTUNNEL_TTL`, `u8`.
pub const MPLS_IPTUNNEL_TTL: u16 = 2;

/// `SEG6_IPTUNNEL_SRH`: `struct seg6_iptunnel_encap` (mode, then the routing header).
pub const SEG6_IPTUNNEL_SRH: u16 = 1;

// SEG6_LOCAL_*.
/// The action, `u32`.
pub const SEG6_LOCAL_ACTION: u16 = 1;
/// A routing header to push.
pub const SEG6_LOCAL_SRH: u16 = 2;
/// Table, `u32`.
pub const SEG6_LOCAL_TABLE: u16 = 3;
/// IPv4 next hop.
pub const SEG6_LOCAL_NH4: u16 = 4;
/// IPv6 next hop.
pub const SEG6_LOCAL_NH6: u16 = 5;
/// Input interface, `u32`.
pub const SEG6_LOCAL_IIF: u16 = 6;
/// Output interface, `u32`.
pub const SEG6_LOCAL_OIF: u16 = 7;
/// BPF program (nested `LWT_BPF_PROG_*`).
pub const SEG6_LOCAL_BPF: u16 = 8;
/// VRF table, `u32`.
pub const SEG6_LOCAL_VRFTABLE: u16 = 9;
/// Counters (nested `SEG6_LOCAL_CNT_*`).
pub const SEG6_LOCAL_COUNTERS: u16 = 10;
/// Flavors (nested `SEG6_LOCAL_FLV_*`).
pub const SEG6_LOCAL_FLAVORS: u16 = 11;

/// `LWT_XFRM_IF_ID`, `u32`.
pub const LWT_XFRM_IF_ID: u16 = 1;
/// `LWT_XFRM_LINK`, `u32`.
pub const LWT_XFRM_LINK: u16 = 2;

/// `LWT_BPF_PROG_NAME` inside a program attribute.
pub const LWT_BPF_PROG_NAME: u16 = 2;

/// An encapsulation: its type and its attributes, each found in O(1).
#[derive(Clone, Debug)]
pub struct Encap<'a> {
    kind: u16,
    attrs: AttrTable<'a, 16>,
}

impl<'a> Encap<'a> {
    /// The encapsulation of `RTA_ENCAP_TYPE` and `RTA_ENCAP`; `None` without a type (ip
    /// prints nothing then).
    pub fn new(kind: Option<Attr<'a>>, encap: Option<Attr<'a>>) -> Option<Self> {
        let kind = kind?.u16()?;
        let attrs = encap.map_or(Attrs::new(&[]), |a| a.nested());
        Some(Encap {
            kind,
            attrs: AttrTable::parse(attrs),
        })
    }
    /// The encapsulation among a next hop's attributes.
    pub fn find(attrs: Attrs<'a>) -> Option<Self> {
        let (kind, encap) = attrs.fold((None, None), |(kind, encap), a| match a.kind() {
            RTA_ENCAP_TYPE => (Some(a), encap),
            RTA_ENCAP => (kind, Some(a)),
            _ => (kind, encap),
        });
        // ip prints an encapsulation only when RTA_ENCAP is there.
        Self::new(kind, Some(encap?))
    }
    /// `LWTUNNEL_ENCAP_*`.
    pub fn kind(&self) -> u16 {
        self.kind
    }
    /// One of its attributes.
    pub fn attr(&self, kind: u16) -> Option<Attr<'a>> {
        self.attrs.get(kind)
    }
    /// A `u8` attribute.
    pub fn u8(&self, kind: u16) -> Option<u8> {
        self.attr(kind)?.u8()
    }
    /// A `u16` attribute.
    pub fn u16(&self, kind: u16) -> Option<u16> {
        self.attr(kind)?.u16()
    }
    /// A `u32` attribute.
    pub fn u32(&self, kind: u16) -> Option<u32> {
        self.attr(kind)?.u32()
    }
    /// An address attribute (IPv4 or IPv6 by its length).
    pub fn ip(&self, kind: u16) -> Option<IpAddr> {
        self.attr(kind)?.ip()
    }
    /// `LWTUNNEL_IP_ID`: the tunnel id, sent in network order.
    pub fn tunnel_id(&self) -> Option<u64> {
        let bytes = self.attr(LWTUNNEL_IP_ID)?.value().get(..8)?;
        Some(u64::from_be_bytes(bytes.try_into().ok()?))
    }
    /// `LWTUNNEL_IP_FLAGS`: the `TUNNEL_*` flags (the kernel keeps them in network order).
    pub fn tunnel_flags(&self) -> Option<u16> {
        let bytes = self.attr(LWTUNNEL_IP_FLAGS)?.value().get(..2)?;
        Some(u16::from_be_bytes(bytes.try_into().ok()?))
    }
    /// `SEG6_IPTUNNEL_SRH`: the mode (`SEG6_IPTUNNEL_MODE_*`) and the routing header.
    pub fn seg6(&self) -> Option<(i32, SegmentRouting<'a>)> {
        let value = self.attr(SEG6_IPTUNNEL_SRH)?.value();
        let mode = i32::from_ne_bytes(value.get(..4)?.try_into().ok()?);
        Some((mode, SegmentRouting::parse(value.get(4..)?)?))
    }
    /// `MPLS_IPTUNNEL_DST`: the labels, outermost first, up to the bottom of the stack.
    pub fn mpls_labels(&self) -> Option<MplsLabels<'a>> {
        Some(MplsLabels {
            rest: self.attr(MPLS_IPTUNNEL_DST)?.value(),
        })
    }
}

/// An IPv6 segment routing header (`struct ipv6_sr_hdr`).
#[derive(Clone, Copy, Debug)]
pub struct SegmentRouting<'a> {
    bytes: &'a [u8],
}

/// `SR6_FLAG1_HMAC`: the header ends with an HMAC TLV.
const SR6_FLAG1_HMAC: u8 = 1 << 3;

impl<'a> SegmentRouting<'a> {
    /// The header in `bytes` (at least its fixed 8 bytes).
    pub fn parse(bytes: &'a [u8]) -> Option<Self> {
        (bytes.len() >= 8).then_some(SegmentRouting { bytes })
    }
    /// Index of the first segment (the list holds `first_segment + 1`).
    pub fn first_segment(&self) -> u8 {
        self.bytes.get(4).copied().unwrap_or(0)
    }
    /// The segments from the first (the last in the list) down to the final one, as ip
    /// prints them; those past the end of the bytes are left out.
    pub fn segments(&self) -> impl Iterator<Item = core::net::Ipv6Addr> + 'a {
        let bytes = self.bytes;
        (0..=usize::from(self.first_segment()))
            .rev()
            .filter_map(move |i| {
                let start = 8 + 16 * i;
                let raw: [u8; 16] = bytes.get(start..start + 16)?.try_into().ok()?;
                Some(core::net::Ipv6Addr::from(raw))
            })
    }
    /// The HMAC key id when the header carries an HMAC TLV.
    pub fn hmac_key_id(&self) -> Option<u32> {
        if self.bytes.get(5)? & SR6_FLAG1_HMAC == 0 {
            return None;
        }
        let header_len = (usize::from(*self.bytes.get(1)?) + 1) * 8;
        let tlv = header_len.checked_sub(40)?;
        let key = self.bytes.get(tlv + 4..tlv + 8)?;
        Some(u32::from_be_bytes(key.try_into().ok()?))
    }
}

/// MPLS label stack entries, each a label (20 bits) until the bottom-of-stack bit.
#[derive(Clone, Debug)]
pub struct MplsLabels<'a> {
    rest: &'a [u8],
}

impl Iterator for MplsLabels<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let entry = u32::from_be_bytes(self.rest.get(..4)?.try_into().ok()?);
        let bottom = entry & 0x100 != 0;
        self.rest = if bottom {
            &[]
        } else {
            self.rest.get(4..).unwrap_or_default()
        };
        Some(entry >> 12)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::consts::LWTUNNEL_ENCAP_SEG6;
    use crate::wire::Builder;

    fn encap_of(kind: u16, fill: impl FnOnce(&mut Builder<'_>)) -> Vec<u8> {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        b.attr_u16(RTA_ENCAP_TYPE, kind);
        let nest = b.nest_begin(RTA_ENCAP);
        fill(&mut b);
        b.nest_end(nest);
        buf
    }

    #[test]
    fn a_segment_list_reads_first_to_last() {
        let mut srh = vec![0u8; 4 + 8 + 32];
        srh[4 + 1] = 4; // hdrlen
        srh[4 + 4] = 1; // first_segment
        srh[4 + 8 + 15] = 1; // segments[0] = ::1
        srh[4 + 24 + 15] = 2; // segments[1] = ::2
        let bytes = encap_of(LWTUNNEL_ENCAP_SEG6, |b| b.attr(SEG6_IPTUNNEL_SRH, &srh));
        let encap = Encap::find(Attrs::new(&bytes)).expect("an encapsulation");
        let (mode, srh) = encap.seg6().expect("a header");
        assert_eq!(mode, 0);
        let segs: Vec<_> = srh.segments().map(|s| s.to_string()).collect();
        assert_eq!(segs, ["::2", "::1"]);
        assert_eq!(srh.hmac_key_id(), None);
    }

    #[test]
    fn labels_stop_at_the_bottom_of_the_stack() {
        let stack = [100u32 << 12, (200 << 12) | 0x100, 300 << 12];
        let raw: Vec<u8> = stack.iter().flat_map(|e| e.to_be_bytes()).collect();
        let bytes = encap_of(1, |b| b.attr(MPLS_IPTUNNEL_DST, &raw));
        let encap = Encap::find(Attrs::new(&bytes)).expect("an encapsulation");
        let labels: Vec<u32> = encap.mpls_labels().expect("labels").collect();
        assert_eq!(labels, [100, 200]);
        assert!(Encap::find(Attrs::new(&[])).is_none());
    }
}
