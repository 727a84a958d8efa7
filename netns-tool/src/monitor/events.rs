//! One netlink message to the text `ip monitor` prints for it, through the `show/` printers.

use std::ffi::OsStr;
use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::{
    emit_get_link, AddressMessage, LinkMessage, NeighMessage, NetconfMessage, RouteMessage,
    RuleMessage,
};
use netlink_core::socket::Socket;
use netlink_core::wire::{Builder, Message, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP};

use super::{stamp, Objects, Options};
use crate::show::brief::{print_address_brief, print_link_brief};
use crate::show::link::{print_deleted, LinkContext};
use crate::show::neigh::{print_neigh, NeighContext, NeighFilter};
use crate::show::netconf::print_netconf;
use crate::show::nsid::{print_nsid, NsIdReply};
use crate::show::route::{print_route, Context};
use crate::show::route_filter::Filter;
use crate::show::rule::{print_rule, RuleFilter};
use crate::toolbox::args::{Globals, StampForm};
use crate::toolbox::cache::NsidNames;
use crate::toolbox::clock::clock_ticks_per_second;
use crate::toolbox::color::Palette;
use crate::toolbox::inet::family_accepts;
use crate::toolbox::output::Out;

/// `NLMSG_TSTAMP`: the time stamp `rtmon` writes before each recorded event.
pub const NLMSG_TSTAMP: u16 = 15;

/// A running monitor: the link cache it keeps current, what it was asked to show, and where
/// events (`out`) and diagnostics (`err`) go.
pub struct Monitor<'s, W: Write, E: Write> {
    /// The link cache (names, flags) and how link events print.
    pub links: LinkContext,
    /// A second socket for name lookups while the first one listens (none: ask nobody).
    pub query: Option<&'s mut Socket>,
    filter: Filter,
    label: bool,
    stats: u8,
    oneline: bool,
    dev: Option<u32>,
    /// `-c`.
    palette: Option<Palette>,
    /// `-t` / `-ts`.
    timestamp: Option<StampForm>,
    /// `-br`: links and addresses print as brief listings do, without their line ends.
    brief: bool,
    /// The system's clock ticks per second, for route cache times (read once, up front).
    clock_ticks: i64,
    pub objects: Objects,
    /// One event's text, written out and flushed as a whole.
    text: Vec<u8>,
    out: W,
    pub err: E,
}

impl<'s, W: Write, E: Write> Monitor<'s, W, E> {
    /// A monitor for `options`, starting from `links`; `dev` is the index `dev NAME` chose.
    pub fn new(
        g: &Globals,
        options: &Options<'_>,
        links: LinkContext,
        dev: Option<u32>,
        out: W,
        err: E,
    ) -> Self {
        let filter = Filter {
            family: g.family.af(),
            oif: dev,
            ..Filter::default()
        };
        Monitor {
            // `-o` joins a link event's lines as it does a listing's.
            links: LinkContext {
                oneline: g.oneline,
                ..links
            },
            query: None,
            filter,
            label: options.label,
            stats: g.stats,
            oneline: g.oneline,
            dev,
            palette: g.color,
            timestamp: g.timestamp,
            brief: g.brief,
            clock_ticks: clock_ticks_per_second(),
            objects: options.objects,
            text: Vec::with_capacity(4096),
            out,
            err,
        }
    }

    /// Prints one message as ip's `accept_msg` does. An error means the output is gone and
    /// the monitor should stop.
    pub fn event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        self.text.clear();
        match msg.ty() {
            RTM_NEWROUTE | RTM_DELROUTE => self.route_event(msg)?,
            RTM_NEWLINK | RTM_DELLINK => self.link_event(msg)?,
            RTM_NEWADDR | RTM_DELADDR => self.address_event(msg)?,
            RTM_NEWNEIGH | RTM_DELNEIGH | RTM_GETNEIGH => self.neigh_event(msg)?,
            RTM_NEWRULE | RTM_DELRULE => self.rule_event(msg)?,
            RTM_NEWNSID | RTM_DELNSID => self.nsid_event(msg)?,
            RTM_NEWNETCONF | RTM_DELNETCONF => self.netconf_event(msg)?,
            NLMSG_TSTAMP => stamp::print(&mut self.text, msg.payload())?,
            NLMSG_ERROR | NLMSG_NOOP | NLMSG_DONE => {}
            // Events ip decodes and nsip does not (neighbours, netconf, rules, nsids...).
            16..=255 => {}
            other => {
                let h = msg.header();
                let _ = writeln!(
                    self.err,
                    "Unknown message: type=0x{other:08x}({other}) flags=0x{f:08x}({f}) len=0x{l:08x}({l})",
                    f = h.flags.get(),
                    l = h.len.get()
                );
            }
        }
        if self.text.is_empty() {
            return Ok(());
        }
        self.out.write_all(&self.text)?;
        self.out.flush()
    }

    /// The time stamp and label ip's `print_headers` writes before an event.
    fn banner(&mut self, label: &str) {
        if let Some(form) = self.timestamp {
            // Writing to a Vec cannot fail.
            let _ = stamp::print_now(&mut self.text, form);
        }
        if self.label {
            self.text.extend_from_slice(label.as_bytes());
        }
    }

    fn route_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Ok(route) = RouteMessage::parse(msg) else {
            let _ = writeln!(self.err, "BUG: wrong nlmsg len {}", msg.header().len.get());
            return Ok(());
        };
        if route.flags() & RTM_F_CLONED != 0 || !self.filter.accepts(&route) {
            return Ok(());
        }
        for index in [route.oif(), route.iif()].into_iter().flatten() {
            self.resolve(index);
        }
        self.banner("[ROUTE]");
        let ctx = Context {
            names: &self.links.cache,
            details: self.links.details,
            stats: self.stats,
            oneline: self.oneline,
            filter: &self.filter,
            clock_ticks: self.clock_ticks,
        };
        let mut out = Out::into_vec(&mut self.text, self.palette);
        print_route(&mut out, &ctx, msg.ty() == RTM_DELROUTE, &route)
    }

    fn link_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Ok(link) = LinkMessage::parse(msg) else {
            return Ok(());
        };
        let index = u32::try_from(link.index()).unwrap_or(0);
        let deleted = msg.ty() == RTM_DELLINK;
        // ip's `ll_remember_index` runs before the link is printed.
        if deleted {
            self.links.cache.remove(index);
        } else {
            self.links.cache.update(&link);
        }
        if self.dev.is_some_and(|d| d != index) {
            return Ok(());
        }
        // A peer of this namespace is named (and its M-DOWN told) from the kernel when the
        // cache lacks it, as ip's `ll_idx_n2a` does; one elsewhere is only an index.
        if let Some(peer) = link
            .link()
            .filter(|&p| p != 0 && link.link_netnsid().is_none())
        {
            self.resolve(peer);
        }
        self.banner("[LINK]");
        let mut out = Out::into_vec(&mut self.text, self.palette);
        print_deleted(&mut out, deleted)?;
        if self.brief {
            return print_link_brief(&mut out, &link, &self.links);
        }
        crate::show::link::print_link(&mut out, &link, &self.links)
    }

    fn address_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Ok(addr) = AddressMessage::parse(msg) else {
            return Ok(());
        };
        let index = addr.index();
        if self.dev.is_some_and(|d| d != index) {
            return Ok(());
        }
        if self.filter.family != AF_UNSPEC && addr.family() != self.filter.family {
            return Ok(());
        }
        self.resolve(index);
        self.banner("[ADDR]");
        let dev = self.links.cache.name(index);
        let mut out = Out::into_vec(&mut self.text, self.palette);
        print_deleted(&mut out, msg.ty() == RTM_DELADDR)?;
        if self.brief {
            return print_address_brief(&mut out, &addr);
        }
        crate::show::addr::print_address(&mut out, &addr, Some(&dev), self.oneline)
    }

    fn neigh_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Ok(neigh) = NeighMessage::parse(msg) else {
            return Ok(());
        };
        // `-4`/`-6` drop another family's entries unseen; the `dev` filter comes after the
        // label, which a filtered event then leaves alone on the line, as ip does.
        if !family_accepts(self.filter.family, neigh.family()) {
            return Ok(());
        }
        self.banner("[NEIGH]");
        let dev = self.dev.and_then(|d| i32::try_from(d).ok()).unwrap_or(0);
        let filter = NeighFilter {
            index: dev,
            ..NeighFilter::default()
        };
        if !filter.accepts(&neigh) {
            return Ok(());
        }
        if let Ok(index) = u32::try_from(neigh.ifindex()) {
            self.resolve(index);
        }
        let ctx = NeighContext {
            names: &self.links.cache,
            stats: self.stats,
            filter_index: dev,
            clock_ticks: self.clock_ticks,
            brief: self.brief,
        };
        let mut out = Out::into_vec(&mut self.text, self.palette);
        print_neigh(&mut out, &ctx, &neigh, msg.ty())
    }

    fn rule_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Ok(rule) = RuleMessage::parse(msg) else {
            return Ok(());
        };
        self.banner("[RULE]");
        let filter = RuleFilter {
            family: self.filter.family,
            ..RuleFilter::default()
        };
        if !filter.accepts(&rule) {
            return Ok(());
        }
        let details = self.links.details;
        let mut out = Out::into_vec(&mut self.text, self.palette);
        print_rule(&mut out, details, msg.ty() == RTM_DELRULE, &rule)
    }

    /// An nsid event; the names of ids keep up with it, so a link in a namespace named
    /// since the monitor started prints `link-netns NAME`, as ip's does.
    fn nsid_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Some(reply) = NsIdReply::parse(msg) else {
            return Ok(());
        };
        self.banner("[NSID]");
        let nsid = reply.nsid.unwrap_or(-1);
        let name = if reply.deleted {
            self.links.nsids.forget(reply.current.unwrap_or(nsid))
        } else {
            if self.links.nsids.name(nsid).is_none() {
                if let Some(sock) = self.query.as_mut() {
                    self.links.nsids = NsidNames::load(sock);
                }
            }
            self.links.nsids.name(nsid).map(str::to_string)
        };
        let mut out = Out::into_vec(&mut self.text, self.palette);
        print_nsid(&mut out, &reply, name.as_deref().map(OsStr::new))
    }

    fn netconf_event(&mut self, msg: &Message<'_>) -> io::Result<()> {
        let Ok(netconf) = NetconfMessage::parse(msg) else {
            return Ok(());
        };
        self.banner("[NETCONF]");
        let index = netconf.ifindex().unwrap_or(0);
        // ip filters by the monitor's `dev` after the label, as for neighbours.
        if self.dev.is_some_and(|d| i64::from(d) != i64::from(index)) {
            return Ok(());
        }
        if let Ok(index) = u32::try_from(index) {
            self.resolve(index);
        }
        let mut out = Out::into_vec(&mut self.text, self.palette);
        let deleted = msg.ty() == RTM_DELNETCONF;
        print_netconf(&mut out, &self.links.cache, deleted, &netconf)
    }

    /// Makes sure `index` has a name, asking the kernel of the current namespace when the
    /// cache lacks it, as ip's `ll_index_to_name` does (also for `monitor file`).
    fn resolve(&mut self, index: u32) {
        if self.links.cache.name(index) != format!("if{index}") {
            return;
        }
        let Some(sock) = self.query.as_mut() else {
            return;
        };
        let Ok(signed) = i32::try_from(index) else {
            return;
        };
        let mut buf = Vec::with_capacity(64);
        if emit_get_link(&mut Builder::new(&mut buf), signed, None, RTEXT_FILTER_VF).is_err() {
            return;
        }
        let cache = &mut self.links.cache;
        let _ = sock.get(&mut buf, |msg| {
            cache.update(&LinkMessage::parse(&msg)?);
            Ok(())
        });
    }
}
