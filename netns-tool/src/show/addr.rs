//! The address printer: ip's `print_addrinfo`, in text and JSON.
//!
//! ```text
//! pub fn print_address<W: Write>(out: &mut Out<W>, addr: &AddressMessage<'_>, dev: Option<&str>, oneline: bool) -> io::Result<()>
//! ```
//!
//! `dev` is the `N: NAME` prefix `ip monitor` (and `ip -o addr`) put before each address:
//! `3: veth0    inet 192.0.2.1/24 scope global veth0`; `oneline` (`-o`) joins an
//! address's lines with a backslash, as ip's `_SL_`.

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::{AddressCacheInfo, AddressMessage};

use crate::toolbox::args::word_from_bytes;
use crate::toolbox::color::Paint;
use crate::toolbox::json::hex_text;
use crate::toolbox::names::scope_name;
use crate::toolbox::output::Out;

/// `IFA_F_*` names in ip's order; `permanent` prints as its absence (`dynamic`).
pub const FLAG_NAMES: [(&str, u32); 13] = [
    ("secondary", IFA_F_SECONDARY),
    ("temporary", IFA_F_SECONDARY),
    ("nodad", IFA_F_NODAD),
    ("optimistic", IFA_F_OPTIMISTIC),
    ("dadfailed", IFA_F_DADFAILED),
    ("home", IFA_F_HOMEADDRESS),
    ("deprecated", IFA_F_DEPRECATED),
    ("tentative", IFA_F_TENTATIVE),
    ("permanent", IFA_F_PERMANENT),
    ("mngtmpaddr", IFA_F_MANAGETEMPADDR),
    ("noprefixroute", IFA_F_NOPREFIXROUTE),
    ("autojoin", IFA_F_MCAUTOJOIN),
    ("stable-privacy", IFA_F_STABLE_PRIVACY),
];

fn print_flags<W: Write>(out: &mut Out<W>, family: u8, mut flags: u32) -> io::Result<()> {
    for &(name, mask) in &FLAG_NAMES {
        if mask == IFA_F_PERMANENT {
            if flags & mask == 0 {
                out.boolean("dynamic", format_args!("dynamic "), true)?;
            }
        } else if flags & mask != 0 {
            if mask == IFA_F_SECONDARY && family == AF_INET6 {
                out.boolean("temporary", format_args!("temporary "), true)?;
            } else {
                out.boolean(name, format_args!("{name} "), true)?;
            }
        }
        flags &= !mask;
    }
    if flags != 0 {
        let mut text = [0; 10];
        let hex = hex_text(&mut text, flags, 2).get(2..).unwrap_or_default();
        out.put_str("ifa_flags", "flags ", hex, " ")?;
    }
    Ok(())
}

/// The fields of one address, into an open JSON object (or its two text lines).
pub fn print_address<W: Write>(
    out: &mut Out<W>,
    addr: &AddressMessage<'_>,
    dev: Option<&str>,
    oneline: bool,
) -> io::Result<()> {
    let family = addr.family();
    let flags = addr.flags();
    if let Some(dev) = dev {
        out.put_uint("index", "", u64::from(addr.index()), ": ")?;
        out.put_str("dev", "", dev, "")?;
    }
    let name = match family {
        AF_INET => "inet",
        AF_INET6 => "inet6",
        _ => "",
    };
    if name.is_empty() {
        out.put_int("family_index", "    family ", i64::from(family), " ")?;
    } else {
        out.put_str("family", "    ", name, " ")?;
    }
    print_local(out, addr)?;
    if let Some(metric) = addr.route_priority() {
        out.put_uint("metric", "metric ", u64::from(metric), " ")?;
    }
    if let Some(brd) = addr.attr(IFA_BROADCAST).and_then(|a| a.ip()) {
        out.put_addr(Paint::of_family(family), "broadcast", "brd ", brd, " ")?;
    }
    if let Some(any) = addr.attr(IFA_ANYCAST).and_then(|a| a.ip()) {
        out.put_addr(Paint::of_family(family), "anycast", "any ", any, " ")?;
    }
    out.put_str("scope", "scope ", &scope_name(addr.scope()), " ")?;
    print_flags(out, family, flags)?;
    match (addr.label(), addr.label_bytes()) {
        (Some(label), _) => out.put_str("label", "", label, "")?,
        (None, Some(bytes)) => out.put_str("label", "", &word_from_bytes(bytes), "")?,
        (None, None) => {}
    }
    if let Some(ci) = addr.cache_info() {
        out.text_str(if oneline {
            "\\       valid_lft "
        } else {
            "\n       valid_lft "
        })?;
        print_lifetimes(out, &ci, flags)?;
    }
    out.text_str("\n")
}

/// `LOCAL[ peer ADDRESS]/PLEN `: an address as the full line and `-br` print it.
pub(super) fn print_local<W: Write>(out: &mut Out<W>, addr: &AddressMessage<'_>) -> io::Result<()> {
    let local = addr.local().or_else(|| addr.address());
    let peer = addr.address().or(local);
    let paint = Paint::of_family(addr.family());
    if let Some(l) = local {
        out.put_addr(paint, "local", "", l, "")?;
        if let Some(p) = peer.filter(|&p| Some(p) != local) {
            out.put_addr(paint, "address", " peer ", p, "")?;
        }
        out.put_int("prefixlen", "/", i64::from(addr.prefix_len()), " ")?;
    }
    Ok(())
}

/// `valid_lft ... preferred_lft ...` (a deprecated address's preferred lifetime is
/// printed signed, as ip does).
fn print_lifetimes<W: Write>(
    out: &mut Out<W>,
    ci: &AddressCacheInfo,
    flags: u32,
) -> io::Result<()> {
    print_lifetime(out, "valid_life_time", ci.valid, false)?;
    out.text_str(" preferred_lft ")?;
    let deprecated = flags & IFA_F_DEPRECATED != 0;
    print_lifetime(out, "preferred_life_time", ci.preferred, deprecated)
}

/// One lifetime: `forever`, or its seconds (read as signed when `signed`).
fn print_lifetime<W: Write>(
    out: &mut Out<W>,
    key: &str,
    secs: u32,
    signed: bool,
) -> io::Result<()> {
    if secs == u32::MAX {
        out.json_uint(key, u64::from(u32::MAX))?;
        out.text_str("forever")
    } else if signed {
        out.put_int(key, "", i64::from(secs as i32), "sec")
    } else {
        out.put_uint(key, "", u64::from(secs), "sec")
    }
}
