//! The link printer: ip's `print_linkinfo`, line for line, in text and JSON.
//!
//! ```text
//! pub fn print_link<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>, deleted: bool, ctx: &LinkContext) -> io::Result<()>
//! pub fn print_link_fields<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>, deleted: bool, ctx: &LinkContext) -> io::Result<bool>
//! ```
//!
//! `ip monitor` prints the same lines as `ip link show` with `Deleted ` before an
//! `RTM_DELLINK`, without `mode` and `qlen` ([`LinkContext::monitor`]).

use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::*;
use netlink_core::route::LinkMessage;
use netlink_core::wire::Attr;

use super::link_details as details;
use crate::toolbox::cache::{LinkCache, NsidNames};
use crate::toolbox::names::mac;
use crate::toolbox::output::Out;

/// How to print links: what ip's globals and the command decide.
#[derive(Debug, Default, Clone)]
pub struct LinkContext {
    /// Every link, for names and flags of peers and masters.
    pub cache: LinkCache,
    /// nsid → /run/netns name.
    pub nsids: NsidNames,
    /// `-d`.
    pub details: u8,
    /// `-s`.
    pub stats: u8,
    /// `ip link` (not `ip addr`): prints `mode`, `addrgenmode` and the alias.
    pub do_link: bool,
    /// Prints `qlen` (listings do, the monitor does not).
    pub show_queue: bool,
    /// The family filter of the listing (`AF_PACKET` for `ip link`, 0 for none): with an
    /// IP family, the `link/ether` line is left out unless `-d`.
    pub family: u8,
}

impl LinkContext {
    /// The context `ip monitor` prints link events with.
    pub fn monitor(cache: LinkCache, nsids: NsidNames, details: u8) -> Self {
        LinkContext {
            cache,
            nsids,
            details,
            stats: 0,
            do_link: false,
            show_queue: false,
            family: 0,
        }
    }
}

const OPER_STATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];

/// The flag names ip prints, in its order.
const FLAG_NAMES: [(u32, &str); 17] = [
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
];

fn print_flags<W: Write>(out: &mut Out<W>, flags: u32, mdown: bool) -> io::Result<()> {
    let mut names: Vec<String> = Vec::new();
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        names.push("NO-CARRIER".into());
    }
    let mut rest = flags & !IFF_RUNNING;
    for (bit, name) in FLAG_NAMES.iter().chain(&[(IFF_ECHO, "ECHO")]) {
        if rest & bit != 0 {
            rest &= !bit;
            names.push((*name).into());
        }
    }
    if rest != 0 {
        names.push(format!("{rest:x}"));
    }
    if mdown {
        names.push("M-DOWN".into());
    }
    out.open_array(Some("flags"))?;
    for n in &names {
        out.element(format_args!(""), n)?;
    }
    out.close_array()?;
    if !out.is_json() {
        let mut text = String::from("<");
        let named = names.len() - usize::from(mdown);
        text.push_str(&names.get(..named).unwrap_or_default().join(","));
        if mdown {
            text.push_str(",M-DOWN");
        }
        text.push_str("> ");
        out.text(format_args!("{text}"))?;
    }
    Ok(())
}

/// `ARPHRD_*` as ip names them.
pub fn link_type_name(ty: u16) -> String {
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
        n => return format!("[{n}]"),
    };
    name.into()
}

/// A hardware address as ip prints it: dotted quad or IPv6 text for tunnels, else hex
/// octets.
pub fn link_addr(bytes: &[u8], ty: u16) -> String {
    if let (Ok(v4), 768 | 776 | 778) = (<[u8; 4]>::try_from(bytes), ty) {
        return Ipv4Addr::from(v4).to_string();
    }
    if let (Ok(v6), 769 | 823) = (<[u8; 16]>::try_from(bytes), ty) {
        return Ipv6Addr::from(v6).to_string();
    }
    mac(bytes)
}

fn attr_u32(link: &LinkMessage<'_>, kind: u16) -> Option<u32> {
    link.attr(kind).and_then(|a| a.u32())
}

/// Prints one link as its own JSON object (or text lines): what `ip link show` and
/// `ip monitor link` print per link.
pub fn print_link<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    deleted: bool,
    ctx: &LinkContext,
) -> io::Result<()> {
    out.open_object(None)?;
    print_link_fields(out, link, deleted, ctx)?;
    out.close_object()
}

/// Prints the fields of one link into an already open JSON object (so `ip addr` can add
/// `addr_info`); the text ends with its newline.
pub fn print_link_fields<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    deleted: bool,
    ctx: &LinkContext,
) -> io::Result<()> {
    let flags = link.flags();
    if deleted {
        out.boolean("deleted", format_args!("Deleted "), true)?;
    }
    let index = link.index();
    out.int("ifindex", format_args!("{index}: "), i64::from(index))?;
    let name = link.name();
    let mut mdown = false;
    match link.link() {
        Some(0) => {
            out.null("link", format_args!(""))?;
            out.text(format_args!("{}@NONE: ", name.unwrap_or("<nil>")))?;
        }
        Some(peer) if link.attr(IFLA_LINK_NETNSID).is_some() => {
            out.json_uint("link_index", u64::from(peer))?;
            out.text(format_args!("{}@if{peer}: ", name.unwrap_or("<nil>")))?;
        }
        Some(peer) => {
            let peer_name = ctx.cache.name(peer);
            out.json_str("link", &peer_name)?;
            out.text(format_args!("{}@{peer_name}: ", name.unwrap_or("<nil>")))?;
            mdown = ctx.cache.flags(peer) & IFF_UP == 0;
        }
        None => out.text(format_args!("{}: ", name.unwrap_or("<nil>")))?,
    }
    match name {
        Some(n) => out.json_str("ifname", n)?,
        None => out.null("ifname", format_args!(""))?,
    }
    print_flags(out, flags, mdown)?;
    if let Some(mtu) = link.mtu() {
        out.uint("mtu", format_args!("mtu {mtu} "), u64::from(mtu))?;
    }
    if let Some(q) = link.qdisc() {
        out.string("qdisc", format_args!("qdisc {q} "), q)?;
    }
    if let Some(master) = link.master() {
        let m = ctx.cache.name(master);
        out.string("master", format_args!("master {m} "), &m)?;
    }
    if let Some(state) = link.operstate() {
        match OPER_STATES.get(usize::from(state)) {
            Some(s) => out.string("operstate", format_args!("state {s} "), s)?,
            None => out.uint(
                "operstate_index",
                format_args!("state {state:#x} "),
                u64::from(state),
            )?,
        }
    }
    if ctx.do_link {
        if let Some(mode) = link.linkmode() {
            match mode {
                0 => out.string("linkmode", format_args!("mode DEFAULT "), "DEFAULT")?,
                1 => out.string("linkmode", format_args!("mode DORMANT "), "DORMANT")?,
                m => out.int("linkmode_index", format_args!("mode {m} "), i64::from(m))?,
            }
        }
    }
    if let Some(group) = link.group() {
        let g = if group == 0 {
            "default".to_string()
        } else {
            group.to_string()
        };
        out.string("group", format_args!("group {g} "), &g)?;
    }
    if ctx.show_queue {
        // An IPv6 link dump has no IFLA_TXQLEN; ip asks the device then.
        let qlen = link.txqlen().or_else(|| name.and_then(txqlen_of));
        if let Some(q) = qlen.filter(|&q| q != 0) {
            out.int("txqlen", format_args!("qlen {q}"), i64::from(q))?;
        }
    }
    if let Some(event) = attr_u32(link, IFLA_EVENT) {
        let names = [
            "NONE",
            "REBOOT",
            "FEATURE CHANGE",
            "BONDING FAILOVER",
            "NOTIFY PEERS",
            "RESEND IGMP",
            "BONDING OPTION",
        ];
        match names.get(event as usize) {
            Some(_) if event == 0 => {}
            Some(e) => out.string("event", format_args!("event {e} "), e)?,
            None => out.int("event", format_args!("event {event} "), i64::from(event))?,
        }
    }
    if ctx.family == 0 || ctx.family == AF_PACKET || ctx.details > 0 {
        let ty = link.link_type();
        let tn = link_type_name(ty);
        out.string("link_type", format_args!("\n    link/{tn} "), &tn)?;
        if let Some(a) = link.address() {
            let a = link_addr(a, ty);
            out.string("address", format_args!("{a}"), &a)?;
        }
        if let Some(b) = link.broadcast() {
            if flags & IFF_POINTOPOINT != 0 {
                out.text(format_args!(" peer "))?;
                out.json_bool("link_pointtopoint", true)?;
            } else {
                out.text(format_args!(" brd "))?;
            }
            let b = link_addr(b, ty);
            out.string("broadcast", format_args!("{b}"), &b)?;
        }
    }
    if let Some(id) = link.link_netnsid() {
        if out.is_json() {
            out.json_int("link_netnsid", i64::from(id))?;
        } else if id >= 0 {
            match ctx.nsids.name(id) {
                Some(n) => out.text(format_args!(" link-netns {n}"))?,
                None => out.text(format_args!(" link-netnsid {id}"))?,
            }
        } else {
            out.text(format_args!(" link-netnsid unknown"))?;
        }
    }
    if link
        .attr(IFLA_PROTO_DOWN)
        .and_then(|a| a.u8())
        .is_some_and(|v| v != 0)
    {
        out.boolean("proto_down", format_args!(" protodown on "), true)?;
    }
    if ctx.details > 0 {
        print_details(out, link, ctx)?;
    }
    if ctx.do_link || ctx.details > 0 {
        if let Some(alias) = link.alias() {
            out.string("ifalias", format_args!("\n    alias {alias}"), alias)?;
        }
    }
    if ctx.do_link && ctx.stats > 0 {
        out.text(format_args!("\n"))?;
        print_stats(out, link)?;
    }
    out.text(format_args!("\n"))
}

fn print_details<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    ctx: &LinkContext,
) -> io::Result<()> {
    if let Some(p) = link.promiscuity() {
        out.uint(
            "promiscuity",
            format_args!(" promiscuity {p} "),
            u64::from(p),
        )?;
    }
    if let Some(a) = attr_u32(link, IFLA_ALLMULTI) {
        out.uint("allmulti", format_args!(" allmulti {a} "), u64::from(a))?;
    }
    if let Some(m) = link.min_mtu() {
        out.uint("min_mtu", format_args!("minmtu {m} "), u64::from(m))?;
    }
    if let Some(m) = link.max_mtu() {
        out.uint("max_mtu", format_args!("maxmtu {m} "), u64::from(m))?;
    }
    if let Some(info) = link.link_info() {
        details::print_link_info(out, &info, &ctx.cache)?;
    }
    if ctx.do_link {
        if let Some(spec) = link.attr(IFLA_AF_SPEC) {
            print_addrgenmode(out, spec)?;
        }
    }
    let counts: [(u16, &str, &str); 7] = [
        (IFLA_NUM_TX_QUEUES, "num_tx_queues", "numtxqueues"),
        (IFLA_NUM_RX_QUEUES, "num_rx_queues", "numrxqueues"),
        (IFLA_GSO_MAX_SIZE, "gso_max_size", "gso_max_size"),
        (IFLA_GSO_MAX_SEGS, "gso_max_segs", "gso_max_segs"),
        (IFLA_TSO_MAX_SIZE, "tso_max_size", "tso_max_size"),
        (IFLA_TSO_MAX_SEGS, "tso_max_segs", "tso_max_segs"),
        (IFLA_GRO_MAX_SIZE, "gro_max_size", "gro_max_size"),
    ];
    for (kind, key, word) in counts {
        if let Some(v) = attr_u32(link, kind) {
            out.uint(key, format_args!("{word} {v} "), u64::from(v))?;
        }
    }
    if let Some(bus) = link.attr(IFLA_PARENT_DEV_BUS_NAME).and_then(|a| a.str()) {
        out.string("parentbus", format_args!("parentbus {bus} "), bus)?;
    }
    if let Some(dev) = link.attr(IFLA_PARENT_DEV_NAME).and_then(|a| a.str()) {
        out.string("parentdev", format_args!("parentdev {dev} "), dev)?;
    }
    Ok(())
}

fn print_addrgenmode<W: Write>(out: &mut Out<W>, spec: Attr<'_>) -> io::Result<()> {
    const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
    let Some(inet6) = spec.nested().get(u16::from(AF_INET6)) else {
        return Ok(());
    };
    let Some(mode) = inet6
        .nested()
        .get(IFLA_INET6_ADDR_GEN_MODE)
        .and_then(|a| a.u8())
    else {
        return Ok(());
    };
    let name = match mode {
        0 => "eui64".to_string(),
        1 => "none".to_string(),
        2 => "stable_secret".to_string(),
        3 => "random".to_string(),
        m => format!("{m:#04x}"),
    };
    out.string(
        "inet6_addr_gen_mode",
        format_args!("addrgenmode {name} "),
        &name,
    )
}

/// `-s`: the 64-bit counters (text without a final newline).
pub fn print_stats<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()> {
    use netlink_core::route::Stat::*;
    let Some(s) = link.stats64() else {
        return Ok(());
    };
    let get = |stat| s.get(stat).unwrap_or(0);
    if out.is_json() {
        out.open_object(Some("stats64"))?;
        out.open_object(Some("rx"))?;
        for (key, stat) in [
            ("bytes", RxBytes),
            ("packets", RxPackets),
            ("errors", RxErrors),
            ("dropped", RxDropped),
            ("over_errors", RxOverErrors),
            ("multicast", Multicast),
        ] {
            out.json_uint(key, get(stat))?;
        }
        out.close_object()?;
        out.open_object(Some("tx"))?;
        for (key, stat) in [
            ("bytes", TxBytes),
            ("packets", TxPackets),
            ("errors", TxErrors),
            ("dropped", TxDropped),
            ("carrier_errors", TxCarrierErrors),
            ("collisions", Collisions),
        ] {
            out.json_uint(key, get(stat))?;
        }
        out.close_object()?;
        return out.close_object();
    }
    let mut text =
        String::from("    RX:  bytes packets errors dropped  missed   mcast           \n    ");
    text.push_str(&format!(
        "{:>10} {:>7} {:>6} {:>7} {:>7} {:>7} \n",
        get(RxBytes),
        get(RxPackets),
        get(RxErrors),
        get(RxDropped),
        get(RxMissedErrors),
        get(Multicast)
    ));
    text.push_str("    TX:  bytes packets errors dropped carrier collsns           \n    ");
    text.push_str(&format!(
        "{:>10} {:>7} {:>6} {:>7} {:>7} {:>7} ",
        get(TxBytes),
        get(TxPackets),
        get(TxErrors),
        get(TxDropped),
        get(TxCarrierErrors),
        get(Collisions)
    ));
    out.text(format_args!("{text}"))
}

/// `SIOCGIFTXQLEN` on device `name`.
fn txqlen_of(name: &str) -> Option<u32> {
    let mut req: libc::ifreq = unsafe_zeroed_ifreq();
    let bytes = name.as_bytes();
    if bytes.len() >= req.ifr_name.len() {
        return None;
    }
    for (dst, src) in req.ifr_name.iter_mut().zip(bytes) {
        *dst = *src as libc::c_char;
    }
    // SAFETY: plain socket(2); the descriptor is closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return None;
    }
    // `as _`: the request is c_ulong on glibc and c_int on musl (the static build).
    // SAFETY: req is a valid, NUL-terminated ifreq the kernel fills in.
    let rc = unsafe { libc::ioctl(fd, libc::SIOCGIFTXQLEN as _, &mut req as *mut libc::ifreq) };
    // SAFETY: fd is ours and open.
    unsafe { libc::close(fd) };
    if rc < 0 {
        return None;
    }
    // SAFETY: SIOCGIFTXQLEN answers in the union's int slot (C's ifr_qlen, which libc
    // names ifru_metric); every bit pattern is a valid c_int.
    let qlen = unsafe { req.ifr_ifru.ifru_metric };
    u32::try_from(qlen).ok()
}

fn unsafe_zeroed_ifreq() -> libc::ifreq {
    // SAFETY: ifreq is plain old data (a name array and a union of integers and
    // addresses); all zero bytes is a valid value.
    unsafe { std::mem::zeroed() }
}
