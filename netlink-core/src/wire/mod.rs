//! The netlink wire format: fixed headers, message and attribute iterators, an attribute
//! table, and a builder. Pure functions over byte slices: no I/O, no allocation on the read
//! side, and no panic on any input.
#![forbid(unsafe_code)]

mod attr;
mod builder;
mod headers;
mod message;

pub use attr::{Attr, AttrTable, Attrs};
pub use attr::{NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK};
pub use builder::{AttrValue, Builder, EncodeError, MessageStart, Nest};
pub use headers::{
    FibRuleHdr, IfAddrMsg, IfInfoMsg, IfaCacheInfo, NdMsg, NdaCacheInfo, NlAttr, NlMsgErr,
    NlMsgHdr, RtGenMsg, RtMsg, RtNextHop, RtaCacheInfo,
};
pub use message::{for_each_header_mut, DoneMessage, ErrorMessage, ExtAck, Message, Messages};
pub use message::{
    NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
    NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN, NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_APPEND,
    NLM_F_CAPPED, NLM_F_CREATE, NLM_F_DUMP, NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLM_F_ECHO,
    NLM_F_EXCL, NLM_F_MATCH, NLM_F_MULTI, NLM_F_REPLACE, NLM_F_REQUEST, NLM_F_ROOT,
};

/// Netlink aligns messages and attributes to 4 bytes.
pub const ALIGNTO: usize = 4;

/// Rounds `len` up to the netlink alignment, or `None` if that overflows.
#[inline]
pub const fn align(len: usize) -> Option<usize> {
    match len.checked_add(ALIGNTO - 1) {
        Some(v) => Some(v & !(ALIGNTO - 1)),
        None => None,
    }
}

/// Why a byte sequence could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Fewer bytes than the fixed header needs.
    Truncated {
        /// Bytes the structure needs.
        needed: usize,
        /// Bytes that were there.
        got: usize,
    },
    /// A length field that is smaller than its own header or points past the buffer.
    BadLength {
        /// The length the header claims.
        claimed: usize,
        /// Bytes that were there.
        available: usize,
    },
    /// A message of a type this view does not read.
    UnexpectedType(u16),
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            DecodeError::Truncated { needed, got } => {
                write!(f, "truncated: needed {needed} bytes, got {got}")
            }
            DecodeError::BadLength { claimed, available } => {
                write!(f, "bad length {claimed} with {available} bytes available")
            }
            DecodeError::UnexpectedType(t) => write!(f, "unexpected message type {t}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Reads a fixed header from the front of `bytes` at any alignment, returning it and the rest.
#[inline]
pub fn split_header<T>(bytes: &[u8]) -> Result<(&T, &[u8]), DecodeError>
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    T::ref_from_prefix(bytes).map_err(|_| DecodeError::Truncated {
        needed: core::mem::size_of::<T>(),
        got: bytes.len(),
    })
}

/// Reads a fixed header from the front of a message payload and returns the attributes that
/// follow it (after alignment padding, which may be missing at the very end).
#[inline]
pub fn split_family_header<T>(payload: &[u8]) -> Result<(&T, Attrs<'_>), DecodeError>
where
    T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
{
    let (header, _) = split_header::<T>(payload)?;
    let start = align(core::mem::size_of::<T>()).unwrap_or(usize::MAX);
    let rest = payload.get(start..).unwrap_or(&[]);
    Ok((header, Attrs::new(rest)))
}
