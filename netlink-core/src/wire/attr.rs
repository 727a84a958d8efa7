//! Attributes (TLVs): a borrowed view, an iterator, and a one-pass lookup table.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::align;

/// `NLA_F_NESTED`: the attribute holds attributes.
pub const NLA_F_NESTED: u16 = 0x8000;
/// `NLA_F_NET_BYTEORDER`: the value is big-endian.
pub const NLA_F_NET_BYTEORDER: u16 = 0x4000;
/// Mask of the type bits under the two flags.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
/// Size of `struct nlattr` / `struct rtattr`.
pub const ATTR_HEADER_LEN: usize = 4;

/// One attribute borrowed from a message. Every getter checks the value's length first and
/// answers `None` when it is short, so a malformed attribute spoils only itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    raw_kind: u16,
    value: &'a [u8],
}

macro_rules! int_getter {
    ($(#[$m:meta])* $name:ident, $ty:ty) => {
        $(#[$m])*
        #[inline]
        pub fn $name(&self) -> Option<$ty> {
            const N: usize = core::mem::size_of::<$ty>();
            let bytes: [u8; N] = self.value.get(..N)?.try_into().ok()?;
            Some(if self.raw_kind & NLA_F_NET_BYTEORDER != 0 {
                <$ty>::from_be_bytes(bytes)
            } else {
                <$ty>::from_ne_bytes(bytes)
            })
        }
    };
}

impl<'a> Attr<'a> {
    /// An attribute with this type (flags included) and value.
    #[inline]
    pub const fn new(raw_kind: u16, value: &'a [u8]) -> Self {
        Attr { raw_kind, value }
    }
    /// The type with `NLA_F_NESTED` and `NLA_F_NET_BYTEORDER` masked off.
    #[inline]
    pub fn kind(&self) -> u16 {
        self.raw_kind & NLA_TYPE_MASK
    }
    /// The type as sent, flags included.
    #[inline]
    pub fn raw_kind(&self) -> u16 {
        self.raw_kind
    }
    /// Whether the sender marked it nested.
    #[inline]
    pub fn is_nested(&self) -> bool {
        self.raw_kind & NLA_F_NESTED != 0
    }
    /// The value bytes, without header or padding.
    #[inline]
    pub fn value(&self) -> &'a [u8] {
        self.value
    }
    int_getter!(
        /// The value as `u8`.
        u8, u8);
    int_getter!(
        /// The value as `u16` (big-endian when flagged `NLA_F_NET_BYTEORDER`).
        u16, u16);
    int_getter!(
        /// The value as `u32` (big-endian when flagged `NLA_F_NET_BYTEORDER`).
        u32, u32);
    int_getter!(
        /// The value as `u64` (big-endian when flagged `NLA_F_NET_BYTEORDER`).
        u64, u64);
    int_getter!(
        /// The value as `i32`.
        i32, i32);
    /// A big-endian `u16` (ports, ethertypes) whether or not the flag is set.
    #[inline]
    pub fn be16(&self) -> Option<u16> {
        Some(u16::from_be_bytes(self.value.get(..2)?.try_into().ok()?))
    }
    /// The value as UTF-8 text up to its first NUL.
    pub fn str(&self) -> Option<&'a str> {
        let bytes = self.c_bytes();
        core::str::from_utf8(bytes).ok()
    }
    /// The value's bytes up to its first NUL.
    #[inline]
    pub fn c_bytes(&self) -> &'a [u8] {
        match self.value.iter().position(|&b| b == 0) {
            Some(end) => self.value.get(..end).unwrap_or(self.value),
            None => self.value,
        }
    }
    /// The value's front read in place as a fixed-size kernel struct (`ifa_cacheinfo`,
    /// `rta_cacheinfo`...), `None` when the value is shorter.
    #[inline]
    pub fn fixed<T>(&self) -> Option<&'a T>
    where
        T: zerocopy::FromBytes + zerocopy::KnownLayout + zerocopy::Immutable + zerocopy::Unaligned,
    {
        super::split_header::<T>(self.value)
            .ok()
            .map(|(fixed, _)| fixed)
    }
    /// The attributes nested in this one.
    #[inline]
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.value)
    }
    /// The value as an IPv4 address (exactly 4 bytes).
    #[inline]
    pub fn ipv4(&self) -> Option<Ipv4Addr> {
        let b: [u8; 4] = self.value.try_into().ok()?;
        Some(Ipv4Addr::from(b))
    }
    /// The value as an IPv6 address (exactly 16 bytes).
    #[inline]
    pub fn ipv6(&self) -> Option<Ipv6Addr> {
        let b: [u8; 16] = self.value.try_into().ok()?;
        Some(Ipv6Addr::from(b))
    }
    /// The value as an IPv4 or IPv6 address, chosen by its length.
    #[inline]
    pub fn ip(&self) -> Option<IpAddr> {
        match self.value.len() {
            4 => self.ipv4().map(IpAddr::V4),
            16 => self.ipv6().map(IpAddr::V6),
            _ => None,
        }
    }
}

/// Iterator over the attributes in a byte slice. It ends at the first attribute whose length
/// is shorter than its header or runs past the slice: nothing after such a length can be
/// located, and nothing before it is lost. [`Attrs::is_malformed`] tells the two ends apart.
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    rest: &'a [u8],
    malformed: bool,
}

impl<'a> Attrs<'a> {
    /// Iterates over the attributes in `bytes`.
    #[inline]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Attrs {
            rest: bytes,
            malformed: false,
        }
    }
    /// The bytes not yet walked.
    #[inline]
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }
    /// True once the walk stopped at a bad length (false at a clean end).
    #[inline]
    pub fn is_malformed(&self) -> bool {
        self.malformed
    }
    /// Walks the rest for the attribute of type `kind` (flags masked). When the type is
    /// repeated the last one wins, as in the kernel's `nla_parse` and in [`AttrTable`].
    pub fn get(self, kind: u16) -> Option<Attr<'a>> {
        self.into_iter().filter(|a| a.kind() == kind).last()
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Attr<'a>;

    #[inline]
    fn next(&mut self) -> Option<Attr<'a>> {
        let rest = self.rest;
        let header: [u8; 4] = match rest.get(..ATTR_HEADER_LEN) {
            Some(h) => h.try_into().ok()?,
            None => {
                // Fewer than 4 bytes left: trailing padding is fine, anything else is not.
                self.malformed = rest.iter().any(|&b| b != 0);
                self.rest = &[];
                return None;
            }
        };
        let len = u16::from_ne_bytes([header[0], header[1]]) as usize;
        let raw_kind = u16::from_ne_bytes([header[2], header[3]]);
        let value = match rest.get(ATTR_HEADER_LEN..len) {
            Some(v) if len >= ATTR_HEADER_LEN => v,
            _ => {
                self.malformed = true;
                self.rest = &[];
                return None;
            }
        };
        self.rest = align(len).and_then(|n| rest.get(n..)).unwrap_or(&[]);
        Some(Attr { raw_kind, value })
    }
}

/// The most attribute bytes an [`AttrTable`] indexes: offsets are stored as `u32` plus one.
/// A netlink message is at most `u32::MAX` bytes long, so nothing a kernel sends is cut.
const MAX_TABLE_BYTES: usize = (u32::MAX - 1) as usize;
const ALIGN_MASK: usize = super::ALIGNTO - 1;

/// A one-pass attribute table (the libmnl `tb[]` idea): filled in a single walk, then each
/// lookup is O(1). Types at or above `N` are skipped (unknown to the caller); a repeated type
/// keeps its last occurrence. Slots hold offsets, not views, so building the table for a
/// message clears only `4 * N` bytes, and a view holding it stays cheap to move.
#[derive(Clone, Debug)]
pub struct AttrTable<'a, const N: usize> {
    bytes: &'a [u8],
    // Offset of the attribute header plus one; 0 means absent.
    slots: [u32; N],
}

impl<'a, const N: usize> AttrTable<'a, N> {
    /// Walks `attrs` once and records where each known type is.
    #[inline]
    pub fn parse(attrs: Attrs<'a>) -> Self {
        let all = attrs.remaining();
        let bytes = all.get(..MAX_TABLE_BYTES).unwrap_or(all);
        let mut slots = [0u32; N];
        fill_slots(bytes, &mut slots);
        AttrTable { bytes, slots }
    }

    /// The attribute of type `kind`, if the message carried one.
    #[inline]
    pub fn get(&self, kind: u16) -> Option<Attr<'a>> {
        slot_attr(self.bytes, &self.slots, kind)
    }

    /// The attribute bytes this table indexes, for walking them in order.
    #[inline]
    pub fn source(&self) -> &'a [u8] {
        self.bytes
    }

    /// Whether the message carried an attribute of type `kind`.
    #[inline]
    pub fn has(&self, kind: u16) -> bool {
        self.slots.get(kind as usize).is_some_and(|&s| s != 0)
    }
}

/// The walk of [`AttrTable::parse`], for tables of any size: one copy of the loop, not one
/// per table size.
fn fill_slots(bytes: &[u8], slots: &mut [u32]) {
    // `pos` and `end` never exceed `bytes.len() + 3` (<= isize::MAX + 3): plain
    // arithmetic on them cannot overflow.
    let mut pos = 0usize;
    while let Some(header) = bytes.get(pos..pos + ATTR_HEADER_LEN) {
        let len = u16::from_ne_bytes([header[0], header[1]]) as usize;
        let end = pos + len;
        if len < ATTR_HEADER_LEN || end > bytes.len() {
            break;
        }
        let kind = (u16::from_ne_bytes([header[2], header[3]]) & NLA_TYPE_MASK) as usize;
        if let Some(slot) = slots.get_mut(kind) {
            // Below MAX_TABLE_BYTES, so `pos + 1` fits; the fallback never happens.
            *slot = u32::try_from(pos + 1).unwrap_or(0);
        }
        pos = (end + ALIGN_MASK) & !ALIGN_MASK;
    }
}

/// The lookup of [`AttrTable::get`], for tables of any size.
fn slot_attr<'a>(bytes: &'a [u8], slots: &[u32], kind: u16) -> Option<Attr<'a>> {
    let slot = *slots.get(kind as usize)?;
    let start = (slot as usize).checked_sub(1)?;
    // `parse` checked this attribute once; the checks stay, and cost a few compares.
    // `start` is an offset into the slice, so adding a u16 length cannot overflow.
    let header = bytes.get(start..start + ATTR_HEADER_LEN)?;
    let len = u16::from_ne_bytes([header[0], header[1]]) as usize;
    let raw_kind = u16::from_ne_bytes([header[2], header[3]]);
    let value = bytes.get(start + ATTR_HEADER_LEN..start + len)?;
    Some(Attr { raw_kind, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(kind: u16, value: &[u8]) -> Vec<u8> {
        let len = (4 + value.len()) as u16;
        let mut v = len.to_ne_bytes().to_vec();
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(value);
        while !v.len().is_multiple_of(4) {
            v.push(0);
        }
        v
    }

    #[test]
    fn iterates_and_masks_flags() {
        let mut bytes = attr(3 | NLA_F_NESTED, &attr(1, b"eth0\0"));
        bytes.extend(attr(4, &1500u32.to_ne_bytes()));
        let got: Vec<_> = Attrs::new(&bytes).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].kind(), 3);
        assert!(got[0].is_nested());
        assert_eq!(got[0].nested().next().and_then(|a| a.str()), Some("eth0"));
        assert_eq!(got[1].u32(), Some(1500));
    }

    #[test]
    fn net_byteorder_flag_reads_big_endian() {
        let bytes = attr(2 | NLA_F_NET_BYTEORDER, &[0x12, 0x34]);
        let a = Attrs::new(&bytes).next().expect("one attribute");
        assert_eq!(a.kind(), 2);
        assert_eq!(a.u16(), Some(0x1234));
    }

    #[test]
    fn short_value_spoils_only_its_getter() {
        let mut bytes = attr(4, &[1, 2]);
        bytes.extend(attr(5, &7u32.to_ne_bytes()));
        let mut it = Attrs::new(&bytes);
        assert_eq!(it.next().and_then(|a| a.u32()), None);
        assert_eq!(it.next().and_then(|a| a.u32()), Some(7));
        assert!(!it.is_malformed());
    }

    #[test]
    fn bad_length_stops_and_is_reported() {
        let mut bytes = attr(1, &[9]);
        // A header claiming 2 bytes: shorter than itself.
        bytes.extend_from_slice(&2u16.to_ne_bytes());
        bytes.extend_from_slice(&1u16.to_ne_bytes());
        let mut it = Attrs::new(&bytes);
        assert!(it.next().is_some());
        assert!(it.next().is_none());
        assert!(it.is_malformed());
    }

    #[test]
    fn a_repeated_type_reads_as_its_last_occurrence_everywhere() {
        let mut bytes = attr(4, &1u32.to_ne_bytes());
        bytes.extend(attr(5, &9u32.to_ne_bytes()));
        bytes.extend(attr(4, &2u32.to_ne_bytes()));
        let walked = Attrs::new(&bytes).get(4).and_then(|a| a.u32());
        let table = AttrTable::<8>::parse(Attrs::new(&bytes));
        assert_eq!(walked, Some(2));
        assert_eq!(table.get(4).and_then(|a| a.u32()), walked);
    }

    #[test]
    fn table_finds_last_occurrence_and_skips_unknown_types() {
        let mut bytes = attr(1, b"a\0");
        bytes.extend(attr(9, b"x"));
        bytes.extend(attr(1, b"b\0"));
        bytes.extend(attr(2, &[]));
        let table = AttrTable::<4>::parse(Attrs::new(&bytes));
        assert_eq!(table.get(1).and_then(|a| a.str()), Some("b"));
        assert!(table.has(2));
        assert!(!table.has(3));
        assert_eq!(table.get(9), None);
    }
}
