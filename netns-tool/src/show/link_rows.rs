//! `-d`: a kind's data printed as rows (attribute, how its value reads and prints, JSON key,
//! text word): the bridge's, a bridge port's, and the plain fields of the other kinds.

use std::io::{self, Write};

use netlink_core::wire::Attr;

use super::link_vlan::print_vlan_protocol;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::names::mac;
use crate::toolbox::output::Out;

/// `struct ifla_bridge_id` as `8000.aa:bb:cc:dd:ee:ff`.
fn bridge_id(a: Attr<'_>) -> Option<String> {
    use std::fmt::Write as _;
    let v = a.value();
    let [p0, p1] = *v.get(..2)? else { return None };
    let addr = v.get(2..8)?;
    // ip pads the priority but not the address octets.
    let mut id = format!("{p0:02x}{p1:02x}.");
    for (i, b) in addr.iter().enumerate() {
        let sep = if i > 0 { ":" } else { "" };
        let _ = write!(id, "{sep}{b:x}");
    }
    Some(id)
}

fn hex(v: u64) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}
/// How a row's attribute reads and prints.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    U8,
    U16,
    U32,
    U64,
    /// Hundredths of a second, as ip's `%7.2f`.
    Timer,
    /// `struct ifla_bridge_id`.
    BridgeId,
    /// A u16 in hex (`0` for zero).
    Hex16,
    /// A u8 as `on` / `off` (JSON true / false).
    OnOff,
    /// `IFLA_BR_VLAN_PROTOCOL`: a u16 in network order, named.
    VlanProtocol,
    /// A hardware address.
    Mac,
    /// `IFLA_BR_MULTI_BOOLOPT`: value and mask words, one row per known bit.
    BoolOpts,
    /// `IFLA_BRPORT_STATE`: a u8 named as ip names the port states.
    PortState,
    /// A u8 printed again as `on` / `off` in text only (ip's second fast-leave).
    TextOnOff,
    /// `IFLA_BRPORT_GROUP_FWD_MASK`: hex, then again as `_str`.
    FwdMask,
    /// An ifindex, printed as its name.
    Device,
    /// [`Field::Device`] left out when 0.
    NonZeroDevice,
    /// [`Field::U32`] left out when 0.
    NonZeroU32,
    /// A u16 in network order (a port).
    Be16,
    /// A u8 that is not 0: the word alone (JSON true); nothing for 0.
    Set,
    /// Any value: the word alone (JSON true).
    Present,
    /// A u8 as the word, `no` before it for 0 (JSON true / false).
    NoWord,
}

/// One row: (attribute type, field, JSON key, text word).
pub type Row = (usize, Field, &'static str, &'static str);

const PORT_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

/// The bits of `IFLA_BR_MULTI_BOOLOPT` ip names.
const BOOL_OPTS: [(u32, &str); 2] = [(0, "no_linklocal_learn"), (1, "mcast_vlan_snooping")];

/// Prints the rows whose attribute `tb` has, in the rows' order.
pub fn print_rows<W: Write>(
    out: &mut Out<W>,
    tb: &[Option<Attr<'_>>],
    rows: &[Row],
    cache: &LinkCache,
) -> io::Result<()> {
    for &(kind, field, key, word) in rows {
        if let Some(a) = tb.get(kind).copied().flatten() {
            print_field(out, a, field, key, word, cache)?;
        }
    }
    Ok(())
}

/// The number a plain field holds, read at its width.
fn number(a: Attr<'_>, field: Field) -> Option<u64> {
    match field {
        Field::U8 | Field::OnOff | Field::PortState | Field::TextOnOff => a.u8().map(u64::from),
        Field::U16 | Field::Hex16 | Field::FwdMask => a.u16().map(u64::from),
        Field::U32 | Field::Device => a.u32().map(u64::from),
        Field::NonZeroU32 | Field::NonZeroDevice => a.u32().filter(|&v| v != 0).map(u64::from),
        Field::U64 | Field::Timer => a.u64(),
        Field::Be16 => match *a.value() {
            [hi, lo, ..] => Some(u64::from(u16::from_be_bytes([hi, lo]))),
            _ => None,
        },
        Field::Set => a.u8().filter(|&v| v != 0).map(u64::from),
        Field::NoWord => a.u8().map(u64::from),
        Field::Present => Some(1),
        Field::BridgeId | Field::VlanProtocol | Field::Mac | Field::BoolOpts => None,
    }
}

// Out of line: inlined into the rows' loop it is compiled larger.
#[inline(never)]
fn print_field<W: Write>(
    out: &mut Out<W>,
    a: Attr<'_>,
    field: Field,
    key: &str,
    word: &str,
    cache: &LinkCache,
) -> io::Result<()> {
    match field {
        Field::BridgeId => match bridge_id(a) {
            Some(id) => out.string(key, format_args!("{word} {id} "), &id),
            None => Ok(()),
        },
        Field::VlanProtocol => print_vlan_protocol(out, a, key, word),
        Field::Mac => {
            let m = mac(a.value());
            out.string(key, format_args!("{word} {m} "), &m)
        }
        Field::BoolOpts => print_bool_opts(out, a),
        _ => match number(a, field) {
            Some(v) => print_number(out, v, field, key, word, cache),
            None => Ok(()),
        },
    }
}

fn print_number<W: Write>(
    out: &mut Out<W>,
    v: u64,
    field: Field,
    key: &str,
    word: &str,
    cache: &LinkCache,
) -> io::Result<()> {
    let on = if v != 0 { "on" } else { "off" };
    match field {
        Field::Timer => {
            // ip's "%.2f" of hundredths, without float formatting.
            let secs = format!("{}.{:02}", v / 100, v % 100);
            out.raw_number(
                key,
                format_args!("{word} {secs:>7} "),
                format_args!("{secs}"),
            )
        }
        Field::Hex16 => {
            let h = hex(v);
            out.string(key, format_args!("{word} {h} "), &h)
        }
        Field::OnOff => out.boolean(key, format_args!("{word} {on} "), v != 0),
        Field::Set | Field::Present => out.boolean(key, format_args!("{word} "), true),
        Field::NoWord => {
            let no = if v == 0 { "no" } else { "" };
            out.boolean(key, format_args!("{no}{word} "), v != 0)
        }
        Field::TextOnOff => out.text(format_args!("{word} {on} ")),
        Field::PortState => match usize::try_from(v).ok().and_then(|i| PORT_STATES.get(i)) {
            Some(s) => out.string(key, format_args!("{word} {s} "), s),
            None => out.uint(key, format_args!("{word} {v} "), v),
        },
        Field::FwdMask => {
            let h = hex(v);
            out.string(key, format_args!("{word} {h} "), &h)?;
            // `{:#x}` of 0 is already ip's "0x0".
            let s = format!("{v:#x}");
            out.string(
                "group_fwd_mask_str",
                format_args!("group_fwd_mask_str {s} "),
                &s,
            )
        }
        Field::Device | Field::NonZeroDevice => {
            let n = cache.name(u32::try_from(v).unwrap_or(0));
            out.string(key, format_args!("{word} {n} "), &n)
        }
        _ => out.uint(key, format_args!("{word} {v} "), v),
    }
}

fn print_bool_opts<W: Write>(out: &mut Out<W>, a: Attr<'_>) -> io::Result<()> {
    let v = a.value();
    let word = |i: usize| {
        v.get(i * 4..i * 4 + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_ne_bytes)
    };
    let (Some(val), Some(mask)) = (word(0), word(1)) else {
        return Ok(());
    };
    for &(bit, key) in &BOOL_OPTS {
        if mask & (1 << bit) != 0 {
            let on = u64::from(val >> bit & 1);
            out.uint(key, format_args!("{key} {on} "), on)?;
        }
    }
    Ok(())
}
