//! The data of a link kind (`IFLA_INFO_DATA`) given attribute by attribute, for the kinds
//! whose data is a flat list of typed values (macvlan, vxlan, bridge options...).

use std::net::IpAddr;

use crate::wire::Builder;

/// One attribute of a kind's `IFLA_INFO_DATA`, typed as the kernel reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KindAttr<'a> {
    /// A `u8`.
    U8(u16, u8),
    /// A `u16`, native order.
    U16(u16, u16),
    /// A `u32`, native order.
    U32(u16, u32),
    /// A `u64`, native order.
    U64(u16, u64),
    /// A `u16` in network order (ports, protocols).
    Be16(u16, u16),
    /// Raw bytes.
    Bytes(u16, &'a [u8]),
    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
    Addr(u16, IpAddr),
    /// Two `u16`s in network order, as one value (a port range: low, high).
    Be16Pair(u16, u16, u16),
    /// No payload: the attribute's presence is the value.
    Flag(u16),
    /// Two `u32`s, native order, as one value (a `struct` of two: vlan's flags and mask, a
    /// qos mapping's from and to).
    U32Pair(u16, u32, u32),
    /// Opens a nested attribute: what follows, up to its [`KindAttr::NestEnd`], goes in it.
    NestBegin(u16),
    /// Closes the innermost open [`KindAttr::NestBegin`].
    NestEnd,
}

/// Emits `attrs` in order, nesting between each [`KindAttr::NestBegin`] and its
/// [`KindAttr::NestEnd`]; a nest left open is closed at the end, an unmatched end is ignored.
pub(crate) fn emit_all(attrs: &[KindAttr<'_>], b: &mut Builder<'_>) {
    let mut open = Vec::new();
    for attr in attrs {
        match *attr {
            KindAttr::NestBegin(kind) => open.push(b.nest_begin(kind)),
            KindAttr::NestEnd => {
                if let Some(nest) = open.pop() {
                    b.nest_end(nest);
                }
            }
            other => other.emit(b),
        }
    }
    while let Some(nest) = open.pop() {
        b.nest_end(nest);
    }
}

impl KindAttr<'_> {
    pub(crate) fn emit(&self, b: &mut Builder<'_>) {
        match *self {
            KindAttr::U8(kind, v) => b.attr(kind, &[v]),
            KindAttr::U16(kind, v) => b.attr(kind, &v.to_ne_bytes()),
            KindAttr::U32(kind, v) => b.attr_u32(kind, v),
            KindAttr::U64(kind, v) => b.attr(kind, &v.to_ne_bytes()),
            KindAttr::Be16(kind, v) => b.attr(kind, &v.to_be_bytes()),
            KindAttr::Bytes(kind, v) => b.attr(kind, v),
            KindAttr::Addr(kind, addr) => b.attr_ip(kind, addr),
            KindAttr::Be16Pair(kind, low, high) => {
                let [l0, l1] = low.to_be_bytes();
                let [h0, h1] = high.to_be_bytes();
                b.attr(kind, &[l0, l1, h0, h1]);
            }
            KindAttr::Flag(kind) => b.attr(kind, &[]),
            KindAttr::U32Pair(kind, first, second) => {
                let mut pair = [0u8; 8];
                let (a, z) = pair.split_at_mut(4);
                a.copy_from_slice(&first.to_ne_bytes());
                z.copy_from_slice(&second.to_ne_bytes());
                b.attr(kind, &pair);
            }
            // Only emit_all knows where a nest ends.
            KindAttr::NestBegin(_) | KindAttr::NestEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_value_has_its_wire_form() {
        let attrs = [
            KindAttr::U8(1, 7),
            KindAttr::U16(2, 0x0102),
            KindAttr::U32(3, 5),
            KindAttr::U64(9, 1 << 40),
            KindAttr::Be16(4, 4789),
            KindAttr::Addr(5, IpAddr::from([198, 51, 100, 2])),
            KindAttr::Be16Pair(6, 100, 200),
            KindAttr::Flag(7),
            KindAttr::Bytes(8, &[1, 2, 3]),
        ];
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        attrs.iter().for_each(|a| a.emit(&mut b));
        let mut want: Vec<u8> = Vec::new();
        let mut tlv = |kind: u16, value: &[u8]| {
            let len = 4 + value.len() as u16;
            want.extend_from_slice(&len.to_ne_bytes());
            want.extend_from_slice(&kind.to_ne_bytes());
            want.extend_from_slice(value);
            want.resize(want.len().next_multiple_of(4), 0);
        };
        tlv(1, &[7]);
        tlv(2, &0x0102u16.to_ne_bytes());
        tlv(3, &5u32.to_ne_bytes());
        tlv(9, &(1u64 << 40).to_ne_bytes());
        tlv(4, &4789u16.to_be_bytes());
        tlv(5, &[198, 51, 100, 2]);
        tlv(6, &[0, 100, 0, 200]);
        tlv(7, &[]);
        tlv(8, &[1, 2, 3]);
        assert_eq!(buf, want);
    }

    #[test]
    fn nests_hold_what_lies_between_their_ends() {
        let attrs = [
            KindAttr::U16(1, 10),
            KindAttr::NestBegin(4),
            KindAttr::U32Pair(1, 1, 2),
            KindAttr::U32Pair(1, 3, 4),
            KindAttr::NestEnd,
            KindAttr::NestBegin(3),
            KindAttr::NestEnd,
            KindAttr::NestEnd,
            KindAttr::NestBegin(5),
            KindAttr::U8(2, 9),
        ];
        let mut buf = Vec::new();
        emit_all(&attrs, &mut Builder::new(&mut buf));
        let pair = |a: u32, z: u32| [a.to_ne_bytes(), z.to_ne_bytes()].concat();
        let mut want: Vec<u8> = Vec::new();
        let header = |want: &mut Vec<u8>, len: u16, kind: u16| {
            want.extend_from_slice(&len.to_ne_bytes());
            want.extend_from_slice(&kind.to_ne_bytes());
        };
        header(&mut want, 6, 1);
        want.extend_from_slice(&10u16.to_ne_bytes());
        want.extend_from_slice(&[0, 0]);
        header(&mut want, 28, 4);
        for (a, z) in [(1, 2), (3, 4)] {
            header(&mut want, 12, 1);
            want.extend_from_slice(&pair(a, z));
        }
        header(&mut want, 4, 3);
        // An open nest closed at the end covers its last child's padding, as ip's do.
        header(&mut want, 12, 5);
        header(&mut want, 5, 2);
        want.extend_from_slice(&[9, 0, 0, 0]);
        assert_eq!(buf, want);
    }
}
