//! Names ip gives link values: `ARPHRD_*` types, hardware addresses, operational states
//! and interface flags.

use std::borrow::Cow;
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::*;

use crate::toolbox::output::Out;

/// `IF_OPER_*` as ip prints them.
pub const OPER_STATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];

/// The flag names ip prints, in its order.
pub const FLAG_NAMES: [(u32, &str); 18] = [
    (IFF_LOOPBACK, "LOOPBACK"),
    (IFF_BROADCAST, "BROADCAST"),
    (IFF_POINTOPOINT, "POINTOPOINT"),
    (IFF_MULTICAST, "MULTICAST"),
    (IFF_NOARP, "NOARP"),
    (IFF_ALLMULTI, "ALLMULTI"),
    (IFF_PROMISC, "PROMISC"),
    (IFF_MASTER, "MASTER"),
    (IFF_SLAVE, "SLAVE"),
    (IFF_DEBUG, "DEBUG"),
    (IFF_DYNAMIC, "DYNAMIC"),
    (IFF_AUTOMEDIA, "AUTOMEDIA"),
    (IFF_PORTSEL, "PORTSEL"),
    (IFF_NOTRAILERS, "NOTRAILERS"),
    (IFF_UP, "UP"),
    (IFF_LOWER_UP, "LOWER_UP"),
    (IFF_DORMANT, "DORMANT"),
    (IFF_ECHO, "ECHO"),
];

/// The names of the bits `flags` has, in `names`' order, then what is left in hex: array
/// elements in JSON, joined by commas in the text (`sep` before the first).
pub fn print_flag_names<W: Write>(
    out: &mut Out<W>,
    mut flags: u32,
    names: &[(u32, &str)],
    mut sep: &str,
) -> io::Result<()> {
    for &(bit, name) in names {
        if flags & bit != 0 {
            flags &= !bit;
            out.text_str(sep)?;
            out.put_element(name, "")?;
            sep = ",";
        }
    }
    if flags != 0 {
        out.text_str(sep)?;
        out.put_element(&format!("{flags:x}"), "")?;
    }
    Ok(())
}

/// `ARPHRD_*` as ip names them.
pub fn link_type_name(ty: u16) -> Cow<'static, str> {
    let name = match ty {
        0 => "netrom",
        1 => "ether",
        2 => "eether",
        3 => "ax25",
        4 => "pronet",
        5 => "chaos",
        6 => "ieee802",
        7 => "arcnet",
        8 => "appletlk",
        15 => "dlci",
        19 => "atm",
        23 => "metricom",
        24 => "ieee1394",
        27 => "eui64",
        32 => "infiniband",
        256 => "slip",
        257 => "cslip",
        258 => "slip6",
        259 => "cslip6",
        260 => "rsrvd",
        264 => "adapt",
        270 => "rose",
        271 => "x25",
        272 => "hwx25",
        280 => "can",
        512 => "ppp",
        513 => "hdlc",
        516 => "lapb",
        517 => "ddcmp",
        518 => "rawhdlc",
        768 => "ipip",
        769 => "tunnel6",
        770 => "frad",
        771 => "skip",
        772 => "loopback",
        773 => "localtlk",
        774 => "fddi",
        775 => "bif",
        776 => "sit",
        777 => "ip/ddp",
        778 => "gre",
        779 => "pimreg",
        780 => "hippi",
        781 => "ash",
        782 => "econet",
        783 => "irda",
        784 => "fcpp",
        785 => "fcal",
        786 => "fcpl",
        787 => "fcfb0",
        800 => "tr",
        801 => "tr+rif",
        802 => "ieee802.11",
        803 => "ieee802.11/prism",
        804 => "ieee802.11/radiotap",
        805 => "ieee802.15.4",
        806 => "ieee802.15.4/monitor",
        820 => "phonet",
        821 => "phonet_pipe",
        822 => "caif",
        823 => "gre6",
        824 => "netlink",
        825 => "6lowpan",
        826 => "vsockmon",
        0xfffe => "none",
        0xffff => "void",
        n => return Cow::Owned(format!("[{n}]")),
    };
    Cow::Borrowed(name)
}

/// A hardware address as ip prints it, appended to `text`: dotted quad or IPv6 text for
/// tunnels, else hex octets.
pub fn push_link_addr(text: &mut String, bytes: &[u8], ty: u16) {
    use std::fmt::Write as _;
    if let (Ok(v4), 768 | 776 | 778) = (<[u8; 4]>::try_from(bytes), ty) {
        let _ = write!(text, "{}", Ipv4Addr::from(v4));
        return;
    }
    if let (Ok(v6), 769 | 823) = (<[u8; 16]>::try_from(bytes), ty) {
        let _ = write!(text, "{}", Ipv6Addr::from(v6));
        return;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, &b) in bytes.iter().enumerate() {
        if i > 0 {
            text.push(':');
        }
        text.push(char::from(HEX[usize::from(b >> 4)]));
        text.push(char::from(HEX[usize::from(b & 0xf)]));
    }
}
