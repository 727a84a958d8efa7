//! Policy routing rules: `RTM_NEWRULE` / `RTM_DELRULE` views and requests, IPv4 and IPv6.

use core::net::{IpAddr, Ipv4Addr};

use zerocopy::byteorder::native_endian::U32;

use super::consts::*;
use super::emit_dump;
use crate::wire::{Builder, EncodeError, FibRuleHdr};

/// The attribute number ip gives a `nat` rule's gateway (`RTA_GATEWAY`).
pub const RULE_NAT_GATEWAY: u16 = 5;

view! {
    /// A rule message borrowed from a received buffer.
    // Table slots: `FRA_*` up to `FRA_DPORT_RANGE`.
    RuleMessage(FibRuleHdr, RULE_ATTR_SLOTS = 25): RTM_NEWRULE | RTM_DELRULE | RTM_GETRULE;
    /// `FR_ACT_*`.
    action: action -> u8;
    /// `FIB_RULE_*` flags.
    flags: flags -> u32;
    /// Table id: `FRA_TABLE` when present (ids above 255 exist only there).
    table: table widened by FRA_TABLE;
}

/// Reads a `struct fib_rule_uid_range` / `fib_rule_port_range`: two native-endian numbers.
fn pair<const N: usize>(value: &[u8]) -> Option<([u8; N], [u8; N])> {
    let start = value.get(..N)?.try_into().ok()?;
    let end = value.get(N..N * 2)?.try_into().ok()?;
    Some((start, end))
}

impl<'a> RuleMessage<'a> {
    /// A 32-bit attribute (`FRA_PRIORITY`, `FRA_FWMARK`, `FRA_FWMASK`, `FRA_GOTO`,
    /// `FRA_FLOW`, `FRA_SUPPRESS_PREFIXLEN`, `FRA_SUPPRESS_IFGROUP`, `FRA_TABLE`).
    #[inline]
    pub fn u32_attr(&self, kind: u16) -> Option<u32> {
        self.attr(kind)?.u32()
    }
    attr_getters! {
        ip -> IpAddr: src FRA_SRC, dst FRA_DST;
    }
    /// `FRA_IIFNAME`, its bytes without the NUL.
    #[inline]
    pub fn iif_name(&self) -> Option<&'a [u8]> {
        Some(self.attr(FRA_IIFNAME)?.c_bytes())
    }
    /// `FRA_OIFNAME`, its bytes without the NUL.
    #[inline]
    pub fn oif_name(&self) -> Option<&'a [u8]> {
        Some(self.attr(FRA_OIFNAME)?.c_bytes())
    }
    /// `FRA_TUN_ID` (big-endian on the wire, read as a number).
    pub fn tun_id(&self) -> Option<u64> {
        let bytes: [u8; 8] = self.attr(FRA_TUN_ID)?.value().get(..8)?.try_into().ok()?;
        Some(u64::from_be_bytes(bytes))
    }
    attr_getters! {
        /// The gateway of a `nat` rule.
        nat_gateway: RULE_NAT_GATEWAY => ipv4 -> Ipv4Addr;
        /// `FRA_PROTOCOL` (`RTPROT_*`).
        protocol: FRA_PROTOCOL => u8 -> u8;
        u8 -> u8: l3mdev FRA_L3MDEV, ip_proto FRA_IP_PROTO;
    }
    /// `FRA_UID_RANGE`: (start, end).
    pub fn uid_range(&self) -> Option<(u32, u32)> {
        let (start, end) = pair::<4>(self.attr(FRA_UID_RANGE)?.value())?;
        Some((u32::from_ne_bytes(start), u32::from_ne_bytes(end)))
    }
    /// `FRA_SPORT_RANGE`: (start, end).
    pub fn sport_range(&self) -> Option<(u16, u16)> {
        self.port_range(FRA_SPORT_RANGE)
    }
    /// `FRA_DPORT_RANGE`: (start, end).
    pub fn dport_range(&self) -> Option<(u16, u16)> {
        self.port_range(FRA_DPORT_RANGE)
    }
    fn port_range(&self, kind: u16) -> Option<(u16, u16)> {
        let (start, end) = pair::<2>(self.attr(kind)?.value())?;
        Some((u16::from_ne_bytes(start), u16::from_ne_bytes(end)))
    }
    emit_delete! {
        /// Appends the `RTM_DELRULE` that deletes this rule as `ip rule flush` does: the dumped
        /// message echoed whole, with `NLM_F_ACK`.
        RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK
    }
}

/// One attribute of a rule request; ip sends them in its command line's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleAttr<'a> {
    /// `FRA_SRC` (`None`: empty, as ip sends `from all` without a family).
    Src(Option<IpAddr>),
    /// `FRA_DST` (`None`: empty).
    Dst(Option<IpAddr>),
    /// `FRA_PRIORITY`.
    Priority(u32),
    /// `FRA_FWMARK`.
    FwMark(u32),
    /// `FRA_FWMASK`.
    FwMask(u32),
    /// `FRA_FLOW` (realms).
    Flow(u32),
    /// `FRA_PROTOCOL`.
    Protocol(u8),
    /// `FRA_TUN_ID`, sent big-endian.
    TunId(u64),
    /// `FRA_TABLE`: a table id above 255.
    Table(u32),
    /// `FRA_SUPPRESS_PREFIXLEN`.
    SuppressPrefixLen(u32),
    /// `FRA_SUPPRESS_IFGROUP`.
    SuppressIfGroup(u32),
    /// `FRA_IIFNAME`: the name's bytes (a NUL is added).
    IifName(&'a [u8]),
    /// `FRA_OIFNAME`: the name's bytes (a NUL is added).
    OifName(&'a [u8]),
    /// `FRA_L3MDEV`.
    L3mdev(u8),
    /// `FRA_UID_RANGE`.
    UidRange(u32, u32),
    /// `FRA_IP_PROTO`.
    IpProto(u8),
    /// `FRA_SPORT_RANGE`.
    SportRange(u16, u16),
    /// `FRA_DPORT_RANGE`.
    DportRange(u16, u16),
    /// `FRA_GOTO`.
    Goto(u32),
    /// The gateway of a (deprecated) `nat` rule: `RTA_GATEWAY`'s number, which the rule
    /// attributes leave unused.
    NatGateway(Ipv4Addr),
}

impl RuleAttr<'_> {
    fn emit(&self, b: &mut Builder<'_>) {
        match *self {
            RuleAttr::Src(Some(a)) => b.attr_ip(FRA_SRC, a),
            RuleAttr::Dst(Some(a)) => b.attr_ip(FRA_DST, a),
            RuleAttr::Src(None) => b.attr(FRA_SRC, &[]),
            RuleAttr::Dst(None) => b.attr(FRA_DST, &[]),
            RuleAttr::Priority(v) => b.attr_u32(FRA_PRIORITY, v),
            RuleAttr::FwMark(v) => b.attr_u32(FRA_FWMARK, v),
            RuleAttr::FwMask(v) => b.attr_u32(FRA_FWMASK, v),
            RuleAttr::Flow(v) => b.attr_u32(FRA_FLOW, v),
            RuleAttr::Protocol(v) => b.attr_u8(FRA_PROTOCOL, v),
            RuleAttr::TunId(v) => b.attr(FRA_TUN_ID, &v.to_be_bytes()),
            RuleAttr::Table(v) => b.attr_u32(FRA_TABLE, v),
            RuleAttr::SuppressPrefixLen(v) => b.attr_u32(FRA_SUPPRESS_PREFIXLEN, v),
            RuleAttr::SuppressIfGroup(v) => b.attr_u32(FRA_SUPPRESS_IFGROUP, v),
            RuleAttr::IifName(name) => b.attr_c_bytes(FRA_IIFNAME, name),
            RuleAttr::OifName(name) => b.attr_c_bytes(FRA_OIFNAME, name),
            RuleAttr::L3mdev(v) => b.attr_u8(FRA_L3MDEV, v),
            RuleAttr::UidRange(start, end) => {
                let mut v = [0u8; 8];
                v[..4].copy_from_slice(&start.to_ne_bytes());
                v[4..].copy_from_slice(&end.to_ne_bytes());
                b.attr(FRA_UID_RANGE, &v);
            }
            RuleAttr::IpProto(v) => b.attr_u8(FRA_IP_PROTO, v),
            RuleAttr::SportRange(start, end) => port_range(b, FRA_SPORT_RANGE, start, end),
            RuleAttr::DportRange(start, end) => port_range(b, FRA_DPORT_RANGE, start, end),
            RuleAttr::Goto(v) => b.attr_u32(FRA_GOTO, v),
            RuleAttr::NatGateway(a) => b.attr(RULE_NAT_GATEWAY, &a.octets()),
        }
    }
}

fn port_range(b: &mut Builder<'_>, kind: u16, start: u16, end: u16) {
    let mut v = [0u8; 4];
    v[..2].copy_from_slice(&start.to_ne_bytes());
    v[2..].copy_from_slice(&end.to_ne_bytes());
    b.attr(kind, &v);
}

/// A rule to add or delete: the header's fields and the attributes in the order to send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleRequest<'a> {
    /// `AF_INET` or `AF_INET6`.
    pub family: u8,
    /// Destination prefix length.
    pub dst_len: u8,
    /// Source prefix length.
    pub src_len: u8,
    /// Type of service.
    pub tos: u8,
    /// Table id when below 256 (above, it goes in [`RuleAttr::Table`] and this is 0).
    pub table: u8,
    /// `FR_ACT_*`.
    pub action: u8,
    /// `FIB_RULE_*` flags (`FIB_RULE_INVERT`).
    pub flags: u32,
    /// The attributes, in order.
    pub attrs: &'a [RuleAttr<'a>],
}

impl RuleRequest<'_> {
    fn emit(&self, b: &mut Builder<'_>, ty: u16, flags: u16) -> Result<usize, EncodeError> {
        let m = b.begin_request(ty, flags);
        b.push(&FibRuleHdr {
            family: self.family,
            dst_len: self.dst_len,
            src_len: self.src_len,
            tos: self.tos,
            table: self.table,
            action: self.action,
            flags: U32::new(self.flags),
            ..FibRuleHdr::default()
        });
        for attr in self.attrs {
            attr.emit(b);
        }
        b.finish(m)
    }
    /// Appends an `RTM_NEWRULE` that adds (`NLM_F_CREATE | NLM_F_EXCL`).
    pub fn emit_new(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
        self.emit(b, RTM_NEWRULE, flags)
    }
    /// Appends an `RTM_DELRULE`.
    pub fn emit_del(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        self.emit(b, RTM_DELRULE, NLM_F_REQUEST | NLM_F_ACK)
    }
}

/// Appends an `RTM_GETRULE` dump of `family`.
pub fn emit_dump_rules(b: &mut Builder<'_>, family: u8) -> Result<usize, EncodeError> {
    let header = FibRuleHdr {
        family,
        ..FibRuleHdr::default()
    };
    emit_dump(b, RTM_GETRULE, &header, &[])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;

    #[test]
    fn a_request_reads_back_through_the_view() {
        let attrs = [
            RuleAttr::Src(Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0)))),
            RuleAttr::IifName(b"veth0"),
            RuleAttr::UidRange(100, 200),
            RuleAttr::SportRange(1000, 2000),
            RuleAttr::TunId(0x1234),
            RuleAttr::Priority(50),
            RuleAttr::Table(1000),
        ];
        let request = RuleRequest {
            family: AF_INET,
            src_len: 24,
            action: FR_ACT_TO_TBL,
            flags: FIB_RULE_INVERT,
            attrs: &attrs,
            ..RuleRequest::default()
        };
        let mut buf = Vec::new();
        request
            .emit_new(&mut Builder::new(&mut buf))
            .expect("encodes");
        let msg = Message::parse(&buf).expect("one message");
        let rule = RuleMessage::parse(&msg).expect("a rule");
        assert_eq!(rule.family(), AF_INET);
        assert_eq!(rule.header().src_len, 24);
        assert_eq!(
            (rule.action(), rule.flags()),
            (FR_ACT_TO_TBL, FIB_RULE_INVERT)
        );
        assert_eq!(rule.src(), Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 0))));
        assert_eq!(rule.iif_name(), Some(&b"veth0"[..]));
        assert_eq!(rule.uid_range(), Some((100, 200)));
        assert_eq!(rule.sport_range(), Some((1000, 2000)));
        assert_eq!(rule.tun_id(), Some(0x1234));
        assert_eq!(rule.u32_attr(FRA_PRIORITY), Some(50));
        assert_eq!(rule.table(), 1000);
        assert_eq!(rule.dport_range(), None);
    }
}
