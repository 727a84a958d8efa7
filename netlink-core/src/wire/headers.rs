//! Fixed headers as `zerocopy` types: native-endian, unaligned fields, so each can be read
//! in place at any offset of a received buffer.

use zerocopy::byteorder::native_endian::{I32, U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// A kernel struct, checked at compile time to have the kernel's size.
macro_rules! wire_struct {
    ($(#[$m:meta])* pub struct $name:ident ($size:literal bytes) { $($(#[$fm:meta])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Clone, Copy, Debug, Default, PartialEq, Eq)]
        #[repr(C)]
        pub struct $name { $($(#[$fm])* pub $field: $ty),* }
        const _: () = assert!(core::mem::size_of::<$name>() == $size);
    };
}

wire_struct! {
    /// `struct nlmsghdr`: every netlink message starts with it.
    pub struct NlMsgHdr (16 bytes) {
        /// Length of the message including this header.
        pub len: U32,
        /// Message type (`NLMSG_*` or a family's own).
        pub ty: U16,
        /// `NLM_F_*` flags.
        pub flags: U16,
        /// Sequence number, echoed in replies.
        pub seq: U32,
        /// Port id of the sender (0 for the kernel).
        pub pid: U32,
    }
}

wire_struct! {
    /// `struct nlattr` (`struct rtattr`): the header of every attribute.
    pub struct NlAttr (4 bytes) {
        /// Length of the attribute including this header, without trailing padding.
        pub len: U16,
        /// Type, with `NLA_F_NESTED` / `NLA_F_NET_BYTEORDER` in its top bits.
        pub ty: U16,
    }
}

wire_struct! {
    /// `struct nlmsgerr`: the payload of `NLMSG_ERROR` (an ACK when `error` is 0).
    pub struct NlMsgErr (20 bytes) {
        /// Negative errno, or 0 for an ACK.
        pub error: I32,
        /// Header of the request this answers; its payload may follow when not capped.
        pub msg: NlMsgHdr,
    }
}

wire_struct! {
    /// `struct rtgenmsg`: the one-byte family header of generic rtnetlink requests.
    pub struct RtGenMsg (1 bytes) {
        /// Address family.
        pub family: u8,
    }
}

wire_struct! {
    /// `struct ifinfomsg`: the family header of link messages.
    pub struct IfInfoMsg (16 bytes) {
        /// Address family (`AF_UNSPEC` for links).
        pub family: u8,
        /// Padding.
        pub pad: u8,
        /// Device type (`ARPHRD_*`).
        pub ty: U16,
        /// Interface index.
        pub index: I32,
        /// `IFF_*` flags.
        pub flags: U32,
        /// Which flags a request changes.
        pub change: U32,
    }
}

wire_struct! {
    /// `struct ifaddrmsg`: the family header of address messages.
    pub struct IfAddrMsg (8 bytes) {
        /// `AF_INET` or `AF_INET6`.
        pub family: u8,
        /// Prefix length.
        pub prefixlen: u8,
        /// `IFA_F_*` flags (the low 8 bits; `IFA_FLAGS` carries all 32).
        pub flags: u8,
        /// Address scope.
        pub scope: u8,
        /// Interface index.
        pub index: U32,
    }
}

wire_struct! {
    /// `struct rtmsg`: the family header of route messages.
    pub struct RtMsg (12 bytes) {
        /// `AF_INET` or `AF_INET6`.
        pub family: u8,
        /// Destination prefix length.
        pub dst_len: u8,
        /// Source prefix length.
        pub src_len: u8,
        /// Type of service.
        pub tos: u8,
        /// Routing table id (the low 8 bits; `RTA_TABLE` carries all 32).
        pub table: u8,
        /// Routing protocol (`RTPROT_*`).
        pub protocol: u8,
        /// Scope (`RT_SCOPE_*`).
        pub scope: u8,
        /// Route type (`RTN_*`).
        pub ty: u8,
        /// `RTM_F_*` flags.
        pub flags: U32,
    }
}

wire_struct! {
    /// `struct rtnexthop`: one next hop of `RTA_MULTIPATH`, its attributes after it.
    pub struct RtNextHop (8 bytes) {
        /// Length of this record, attributes included.
        pub len: U16,
        /// `RTNH_F_*` flags.
        pub flags: u8,
        /// The weight less one.
        pub hops: u8,
        /// Output interface index.
        pub ifindex: I32,
    }
}

wire_struct! {
    /// `struct rta_cacheinfo`: the value of `RTA_CACHEINFO` (times in clock ticks).
    pub struct RtaCacheInfo (32 bytes) {
        /// References held by clients.
        pub clntref: U32,
        /// Ticks since last use.
        pub lastuse: U32,
        /// Ticks until it expires (0: never).
        pub expires: I32,
        /// The route's error (`-errno` as unsigned).
        pub error: U32,
        /// Times used.
        pub used: U32,
        /// IP id.
        pub id: U32,
        /// TCP timestamp.
        pub ts: U32,
        /// Seconds since that timestamp.
        pub tsage: U32,
    }
}

wire_struct! {
    /// `struct ifa_cacheinfo`: the value of `IFA_CACHEINFO` (lifetimes in seconds, `u32::MAX`
    /// for forever; stamps in hundredths of a second since boot).
    pub struct IfaCacheInfo (16 bytes) {
        /// Preferred lifetime.
        pub preferred: U32,
        /// Valid lifetime.
        pub valid: U32,
        /// Creation stamp.
        pub cstamp: U32,
        /// Last-update stamp.
        pub tstamp: U32,
    }
}

wire_struct! {
    /// `struct ndmsg`: the family header of neighbour messages.
    pub struct NdMsg (12 bytes) {
        /// `AF_INET`, `AF_INET6` (or `AF_BRIDGE` for the bridge's database).
        pub family: u8,
        /// Padding.
        pub pad1: u8,
        /// Padding.
        pub pad2: U16,
        /// Interface index.
        pub ifindex: I32,
        /// `NUD_*` state.
        pub state: U16,
        /// `NTF_*` flags.
        pub flags: u8,
        /// Neighbour type (`RTN_*`).
        pub ty: u8,
    }
}

wire_struct! {
    /// `struct nda_cacheinfo`: the value of `NDA_CACHEINFO` (ages in clock ticks).
    pub struct NdaCacheInfo (16 bytes) {
        /// Ticks since the entry was last confirmed.
        pub confirmed: U32,
        /// Ticks since it was last used.
        pub used: U32,
        /// Ticks since it was last updated.
        pub updated: U32,
        /// References held.
        pub refcnt: U32,
    }
}

wire_struct! {
    /// `struct fib_rule_hdr`: the family header of policy routing rules.
    pub struct FibRuleHdr (12 bytes) {
        /// `AF_INET` or `AF_INET6`.
        pub family: u8,
        /// Destination prefix length.
        pub dst_len: u8,
        /// Source prefix length.
        pub src_len: u8,
        /// Type of service.
        pub tos: u8,
        /// Table id (the low 8 bits; `FRA_TABLE` carries all 32).
        pub table: u8,
        /// Reserved.
        pub res1: u8,
        /// Reserved.
        pub res2: u8,
        /// `FR_ACT_*`.
        pub action: u8,
        /// `FIB_RULE_*` flags.
        pub flags: U32,
    }
}

impl NlMsgHdr {
    /// A header with the given fields; `len` is patched by the builder.
    pub fn new(ty: u16, flags: u16, seq: u32) -> Self {
        NlMsgHdr {
            len: U32::new(0),
            ty: U16::new(ty),
            flags: U16::new(flags),
            seq: U32::new(seq),
            pid: U32::new(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_reads_at_an_odd_offset() {
        let mut bytes = [0u8; 17];
        bytes[1..5].copy_from_slice(&20u32.to_ne_bytes());
        bytes[5..7].copy_from_slice(&3u16.to_ne_bytes());
        let (h, rest) = crate::wire::split_header::<NlMsgHdr>(&bytes[1..]).expect("16 bytes");
        assert_eq!(h.len.get(), 20);
        assert_eq!(h.ty.get(), 3);
        assert!(rest.is_empty());
    }
}
