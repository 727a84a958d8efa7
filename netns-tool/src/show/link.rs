//! The link printer: ip's `print_linkinfo`, line for line, in text and JSON.
//!
//! ```text
//! pub fn print_link<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>, deleted: bool, ctx: &LinkContext) -> io::Result<()>
//! pub fn print_link_fields<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>, deleted: bool, ctx: &LinkContext) -> io::Result<bool>
//! ```
//!
//! `ip monitor` prints the same lines as `ip link show` with `Deleted ` before an
//! `RTM_DELLINK`, without `mode` and `qlen` ([`LinkContext::monitor`]). Everything printed
//! comes from the message and the context: a printer makes no system call.

use std::borrow::Cow;
use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::LinkMessage;
use netlink_core::wire::Attr;

use super::link_details as details;
pub use super::link_names::{link_type_name, push_link_addr};
use super::link_names::{print_flag_names, FLAG_NAMES, OPER_STATES};
pub use super::link_stats::print_stats;
use super::link_tun::tun_owner_ids;
use super::route_out::StickyOut;
use crate::toolbox::args::Globals;
use crate::toolbox::cache::{LinkCache, NsidNames};
use crate::toolbox::color::Paint;
use crate::toolbox::link_stream::AskedOwners;
use crate::toolbox::output::Out;
use crate::toolbox::owners::OwnerNames;
use crate::toolbox::word::{push_word, word_bytes};

/// How to print links: what ip's globals and the command decide.
#[derive(Debug, Default, Clone)]
pub struct LinkContext {
    /// Every link, for names and flags of peers and masters (and queue lengths a dump
    /// left out).
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
    /// `-o`: a link's lines joined into one, each break printed as `\`.
    pub oneline: bool,
    /// The names of the users and groups that own tun/tap devices (`-d`), looked up
    /// before printing; the monitor has none and prints numbers.
    pub owners: OwnerNames,
    /// The owners a listing has looked up into [`LinkContext::owners`] so far.
    pub asked_owners: AskedOwners,
    /// `-j` (listings): the text's peer namespace names are not printed, nor looked up.
    pub json: bool,
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
            oneline: false,
            owners: OwnerNames::default(),
            asked_owners: AskedOwners::default(),
            json: false,
        }
    }

    /// The context of a listing (`ip link` when `do_link`, else `ip addr`) of links of
    /// `family`, before it has learnt any link.
    pub fn listing(g: &Globals, do_link: bool, family: u8, oneline: bool) -> Self {
        LinkContext {
            details: g.details,
            stats: g.stats,
            do_link,
            show_queue: true,
            family,
            oneline,
            json: g.json,
            ..LinkContext::default()
        }
    }

    /// Learns a link of a listing's dump as it arrives, for its own lines and those of the
    /// links that name it: name, flags and queue length; the names of the namespaces when
    /// the text prints its peer's (looked up once); under `-d` its tun owners' names.
    pub fn learn(&mut self, link: &LinkMessage<'_>) {
        self.cache.learn(link);
        if !self.json && link.link_netnsid().is_some() {
            self.nsids.load_once();
        }
        if self.details > 0 {
            self.asked_owners
                .learn(tun_owner_ids(link), &mut self.owners);
        }
    }

    /// Whether every link that `link`'s lines name has been learnt.
    pub fn knows_links_named_by(&self, link: &LinkMessage<'_>) -> bool {
        self.cache.knows_links_named_by(link, self.details > 0)
    }

    /// ip's `_SL_`: what ends a line inside one link's record.
    pub fn line_break(&self) -> &'static str {
        if self.oneline {
            "\\"
        } else {
            "\n"
        }
    }
}

pub(super) fn print_flags<W: Write>(out: &mut Out<W>, flags: u32, mdown: bool) -> io::Result<()> {
    out.open_array(Some("flags"))?;
    out.text_str("<")?;
    let mut sep = "";
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        out.put_element("NO-CARRIER", "")?;
        sep = ",";
    }
    print_flag_names(out, flags & !IFF_RUNNING, &FLAG_NAMES, sep)?;
    // ip writes M-DOWN after a comma even when no flag came before it.
    if mdown {
        out.text_str(",")?;
        out.put_element("M-DOWN", "")?;
    }
    out.close_array()?;
    out.text_str("> ")
}

fn attr_u32(link: &LinkMessage<'_>, kind: u16) -> Option<u32> {
    link.attr(kind).and_then(|a| a.u32())
}

/// Prints one link as its own JSON object (or text lines): what `ip link show` and
/// `ip monitor link` print per link.
pub fn print_link<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    ctx: &LinkContext,
) -> io::Result<()> {
    out.open_object(None)?;
    print_link_fields(out, link, ctx)?;
    out.close_object()
}

/// `Deleted `, which `ip monitor` puts before an event that removed its object.
pub fn print_deleted<W: Write>(out: &mut Out<W>, deleted: bool) -> io::Result<()> {
    if deleted {
        out.boolean("deleted", format_args!("Deleted "), true)?;
    }
    Ok(())
}

/// Prints the fields of one link into an already open JSON object (so `ip addr` can add
/// `addr_info`); the text ends with its newline.
pub fn print_link_fields<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    ctx: &LinkContext,
) -> io::Result<()> {
    let index = link.index();
    out.put_int("ifindex", "", i64::from(index), ": ")?;
    let mdown = print_name_and_peer(out, link, &ctx.cache, false)?;
    print_flags(out, link.flags(), mdown)?;
    let mut lines = LinkLines { out, link, ctx };
    lines.values()?;
    if ctx.family == 0 || ctx.family == AF_PACKET || ctx.details > 0 {
        lines.link_layer()?;
    }
    lines.namespaces()?;
    if ctx.details > 0 {
        lines.details()?;
    }
    if ctx.do_link || ctx.details > 0 {
        if let Some(alias) = link.alias() {
            let sl = ctx.line_break();
            out.string("ifalias", format_args!("{sl}    alias {alias}"), alias)?;
        }
    }
    if ctx.do_link && ctx.stats > 0 {
        out.text_str(ctx.line_break())?;
        print_stats(out, link, ctx.stats, ctx.line_break())?;
    }
    out.text_str("\n")
}

/// `NAME: `, `NAME@PEER: `, `NAME@ifN: ` (a peer in another namespace) or `NAME@NONE: `
/// (`-br`: the same padded to 16 bytes, as C's `%-16s`); names keep their exact bytes.
/// Returns whether the peer is down (ip's `M-DOWN`), which only a peer of this namespace
/// can tell: the index of one elsewhere means nothing in this namespace's table.
pub(super) fn print_name_and_peer<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    cache: &LinkCache,
    brief: bool,
) -> io::Result<bool> {
    use std::fmt::Write as _;
    // The name and, in the text only, the peer: JSON has the peer as its own key.
    let mut shown = out.scratch();
    let name = link.attr(IFLA_IFNAME).map(|a| a.c_bytes());
    match name {
        Some(name) => push_word(&mut shown, name),
        None => shown.push_str("<nil>"),
    }
    let text = !out.is_json();
    let mut mdown = false;
    let peered = match link.link() {
        Some(0) => {
            shown.push_str(if text { "@NONE" } else { "" });
            out.null("link", format_args!(""))
        }
        Some(peer) if link.attr(IFLA_LINK_NETNSID).is_some() => {
            if text {
                let _ = write!(shown, "@if{peer}");
            }
            out.json_uint("link_index", u64::from(peer))
        }
        Some(peer) => {
            mdown = cache.flags(peer) & IFF_UP == 0;
            match cache.name_of(peer) {
                Some(peer_name) if text => {
                    shown.push('@');
                    shown.push_str(peer_name);
                }
                None if text => {
                    let _ = write!(shown, "@if{peer}");
                }
                Some(peer_name) => out.json_str("link", peer_name)?,
                None => out.json_str("link", &format!("if{peer}"))?,
            }
            Ok(())
        }
        None => Ok(()),
    };
    let after = if brief { padding(&shown) } else { ": " };
    let printed = peered.and_then(|()| match name {
        Some(_) => out.put_painted(Paint::IfName, "ifname", "", &shown, after),
        None => out
            .text_painted(Paint::IfName, format_args!("{shown}{after}"))
            .and_then(|()| out.null("ifname", format_args!(""))),
    });
    out.reuse(shown);
    printed.map(|()| mdown)
}

/// What follows a `-br` name: ip's `%-16s `.
fn padding(shown: &str) -> &'static str {
    const SPACES: &str = "                 ";
    let pad = 16usize.saturating_sub(word_bytes(shown).len());
    SPACES.get(..=pad).unwrap_or(" ")
}

/// The lines of one link being printed: what the helpers of [`print_link_fields`] share.
struct LinkLines<'a, 'm, W: Write> {
    out: &'a mut Out<W>,
    link: &'a LinkMessage<'m>,
    ctx: &'a LinkContext,
}

impl<W: Write> LinkLines<'_, '_, W> {
    /// `mtu`, `qdisc`, `master`, `state`, `mode`, `group`, `qlen` and `event`.
    fn values(&mut self) -> io::Result<()> {
        let LinkLines { out, link, ctx } = self;
        // Some ten writes: each tested once, in the output (see StickyOut).
        let mut out = StickyOut::new(out);
        if let Some(mtu) = link.mtu() {
            out.put_uint("mtu", "mtu ", u64::from(mtu), " ");
        }
        if let Some(q) = link.qdisc() {
            out.with(|o| o.string("qdisc", format_args!("qdisc {q} "), q));
        }
        if let Some(master) = link.master() {
            let name: Cow<'_, str> = match ctx.cache.name_of(master) {
                Some(m) => m.into(),
                None => format!("if{master}").into(),
            };
            out.put_str("master", "master ", &name, " ");
        }
        if let Some(state) = link.operstate() {
            let paint = Paint::of_oper_state(state);
            out.with(|o| match OPER_STATES.get(usize::from(state)) {
                Some(s) => o.put_painted(paint, "operstate", "state ", s, " "),
                None => o.uint(
                    "operstate_index",
                    format_args!("state {state:#x} "),
                    u64::from(state),
                ),
            });
        }
        if ctx.do_link {
            out.with(|o| print_linkmode(o, link));
        }
        if let Some(group) = link.group() {
            // Written in the output's scratch string: no allocation per link.
            let mut g = out.scratch();
            if group == 0 {
                g.push_str("default");
            } else {
                // Writing into a String cannot fail.
                let _ = std::fmt::Write::write_fmt(&mut g, format_args!("{group}"));
            }
            out.put_str("group", "group ", &g, " ");
            out.reuse(g);
        }
        if ctx.show_queue {
            // An IPv6 link dump has no IFLA_TXQLEN: the cache was given the device's then.
            let index = u32::try_from(link.index()).unwrap_or(0);
            let qlen = link.txqlen().or_else(|| ctx.cache.txqlen(index));
            if let Some(q) = qlen.filter(|&q| q != 0) {
                out.with(|o| o.put_int("txqlen", "qlen ", i64::from(q), ""));
            }
        }
        out.with(|o| print_event(o, link));
        out.finish()
    }

    /// `link/TYPE ADDRESS brd|peer BROADCAST`, on a line of its own.
    fn link_layer(&mut self) -> io::Result<()> {
        let LinkLines { out, link, ctx } = self;
        let mut out = StickyOut::new(out);
        let ty = link.link_type();
        let tn = link_type_name(ty);
        let sl = ctx.line_break();
        out.with(|o| o.string("link_type", format_args!("{sl}    link/{tn} "), &tn));
        if let Some(a) = link.address() {
            out.with(|o| print_link_addr(o, "address", a, ty, ""));
        }
        if let Some(b) = link.broadcast() {
            if link.flags() & IFF_POINTOPOINT != 0 {
                out.text_str(" peer ");
                out.with(|o| o.json_bool("link_pointtopoint", true));
            } else {
                out.text_str(" brd ");
            }
            out.with(|o| print_link_addr(o, "broadcast", b, ty, ""));
        }
        out.finish()
    }

    /// `link-netns`, the namespace a link left for (`new-netns`, `new-ifindex`: only on the
    /// `RTM_DELLINK` of a move, text only, as ip prints them) and `protodown`.
    fn namespaces(&mut self) -> io::Result<()> {
        let LinkLines { out, link, ctx } = self;
        let mut out = StickyOut::new(out);
        if let Some(id) = link.link_netnsid() {
            if out.is_json() {
                out.with(|o| o.json_int("link_netnsid", i64::from(id)));
            } else if id >= 0 {
                out.with(|o| print_netns(o, " link-netns", id, &ctx.nsids));
            } else {
                out.text_str(" link-netnsid unknown");
            }
        }
        if let Some(id) = link.attr(IFLA_NEW_NETNSID).and_then(|a| a.i32()) {
            out.with(|o| print_netns(o, " new-netns", id, &ctx.nsids));
        }
        if let Some(index) = link.attr(IFLA_NEW_IFINDEX).and_then(|a| a.i32()) {
            out.text(format_args!(" new-ifindex {index}"));
        }
        if link
            .attr(IFLA_PROTO_DOWN)
            .and_then(|a| a.u8())
            .is_some_and(|v| v != 0)
        {
            out.with(|o| o.boolean("proto_down", format_args!(" protodown on "), true));
        }
        out.finish()
    }

    /// `-d`: promiscuity, MTU bounds, the kind's and the port's data, `addrgenmode`, queue
    /// counts, size limits and the parent device.
    // Out of line: inlined into `print_link_fields` the two are compiled larger.
    #[inline(never)]
    fn details(&mut self) -> io::Result<()> {
        let LinkLines { out, link, ctx } = self;
        print_u32s(out, link, &LIMITS)?;
        if let Some(info) = link.link_info() {
            details::print_link_info(out, &info, &ctx.cache, &ctx.owners, ctx.line_break())?;
        }
        if ctx.do_link {
            if let Some(spec) = link.attr(IFLA_AF_SPEC) {
                print_addrgenmode(out, spec)?;
            }
        }
        print_u32s(out, link, &COUNTS)?;
        const PARENT: [(u16, &str); 2] = [
            (IFLA_PARENT_DEV_BUS_NAME, "parentbus"),
            (IFLA_PARENT_DEV_NAME, "parentdev"),
        ];
        for &(kind, key) in &PARENT {
            if let Some(name) = link.attr(kind).and_then(|a| a.str()) {
                out.string(key, format_args!("{key} {name} "), name)?;
            }
        }
        Ok(())
    }
}

/// A u32 of the link: (attribute, JSON key, text before the value).
type U32Row = (u16, &'static str, &'static str);

/// `-d`'s counts before the kind's data.
const LIMITS: [U32Row; 4] = [
    (IFLA_PROMISCUITY, "promiscuity", " promiscuity "),
    (IFLA_ALLMULTI, "allmulti", " allmulti "),
    (IFLA_MIN_MTU, "min_mtu", "minmtu "),
    (IFLA_MAX_MTU, "max_mtu", "maxmtu "),
];

/// `-d`'s queue counts and size limits.
const COUNTS: [U32Row; 7] = [
    (IFLA_NUM_TX_QUEUES, "num_tx_queues", "numtxqueues "),
    (IFLA_NUM_RX_QUEUES, "num_rx_queues", "numrxqueues "),
    (IFLA_GSO_MAX_SIZE, "gso_max_size", "gso_max_size "),
    (IFLA_GSO_MAX_SEGS, "gso_max_segs", "gso_max_segs "),
    (IFLA_TSO_MAX_SIZE, "tso_max_size", "tso_max_size "),
    (IFLA_TSO_MAX_SEGS, "tso_max_segs", "tso_max_segs "),
    (IFLA_GRO_MAX_SIZE, "gro_max_size", "gro_max_size "),
];

/// Each row whose attribute the link has, `before` its value and a space after.
fn print_u32s<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    rows: &[U32Row],
) -> io::Result<()> {
    for &(kind, key, before) in rows {
        if let Some(v) = attr_u32(link, kind) {
            out.put_uint(key, before, u64::from(v), " ")?;
        }
    }
    Ok(())
}

/// `WORD NAME` for a namespace with a name in /run/netns, else `WORDid ID` (text only).
fn print_netns<W: Write>(
    out: &mut Out<W>,
    word: &str,
    id: i32,
    nsids: &NsidNames,
) -> io::Result<()> {
    match nsids.name(id) {
        Some(name) => out.text(format_args!("{word} {name}")),
        None => out.text(format_args!("{word}id {id}")),
    }
}

fn print_linkmode<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()> {
    const MODES: [&str; 2] = ["DEFAULT", "DORMANT"];
    let Some(mode) = link.linkmode() else {
        return Ok(());
    };
    match MODES.get(usize::from(mode)) {
        Some(name) => out.put_str("linkmode", "mode ", name, " "),
        None => out.put_int("linkmode_index", "mode ", i64::from(mode), " "),
    }
}

fn print_event<W: Write>(out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()> {
    const EVENTS: [&str; 7] = [
        "NONE",
        "REBOOT",
        "FEATURE CHANGE",
        "BONDING FAILOVER",
        "NOTIFY PEERS",
        "RESEND IGMP",
        "BONDING OPTION",
    ];
    let Some(event) = attr_u32(link, IFLA_EVENT) else {
        return Ok(());
    };
    match usize::try_from(event).ok().and_then(|i| EVENTS.get(i)) {
        Some(_) if event == 0 => Ok(()),
        Some(e) => out.put_str("event", "event ", e, " "),
        None => out.put_int("event", "event ", i64::from(event), " "),
    }
}

/// A hardware address of link type `ty`, painted, then `after`.
pub(super) fn print_link_addr<W: Write>(
    out: &mut Out<W>,
    key: &str,
    bytes: &[u8],
    ty: u16,
    after: &str,
) -> io::Result<()> {
    let mut text = out.scratch();
    push_link_addr(&mut text, bytes, ty);
    let printed = out.put_painted(Paint::Mac, key, "", &text, after);
    out.reuse(text);
    printed
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
    const MODES: [&str; 4] = ["eui64", "none", "stable_secret", "random"];
    let name: Cow<'_, str> = match MODES.get(usize::from(mode)) {
        Some(&name) => name.into(),
        None => format!("{mode:#04x}").into(),
    };
    out.string(
        "inet6_addr_gen_mode",
        format_args!("addrgenmode {name} "),
        &name,
    )
}
