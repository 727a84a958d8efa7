//! `ip monitor`: link, address and route events as they happen, and `ip monitor file FILE`
//! for a saved netlink stream (what `rtmon file FILE` records).
//!
//! Every event is printed as the matching `show` command prints it (`Deleted ` before a
//! removal), with `[LINK]` / `[ADDR]` / `[ROUTE]` labels for `all` and `label`, and stdout
//! is flushed after each one so a reader sees it at once.

mod objects;
mod stamp;

use std::fs::File;
use std::io::{self, Read, Write};

use netlink_core::route::consts::*;
use netlink_core::route::{
    emit_dump_links, emit_get_link, AddressMessage, LinkMessage, RouteMessage,
};
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::{Builder, Message, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP};

use crate::show::link::LinkContext;
use crate::show::route::{clock_ticks_per_second, print_route, Context};
use crate::show::route_filter::Filter;
use crate::toolbox::args::{matches, Args, Globals};
use crate::toolbox::cache::{LinkCache, NsidNames};
use crate::toolbox::error::{os_error_text, CliError, CliResult};
use crate::toolbox::output::Out;
use crate::toolbox::session as nl;
use crate::toolbox::session::Session;

/// `NLMSG_TSTAMP`: the time stamp `rtmon` writes before each recorded event.
pub const NLMSG_TSTAMP: u16 = 15;

/// Largest message `ip monitor file` accepts (its read buffer).
const FILE_MESSAGE_MAX: usize = 16384;

const USAGE: &str = "Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME";

/// The event kinds `ip monitor` can be asked for.
#[derive(Debug, Default, Clone, Copy)]
struct Objects {
    link: bool,
    address: bool,
    route: bool,
    /// Anything nsip does not decode (neigh, netconf, rule, ...).
    other: Option<&'static str>,
}

/// What the command line asked for.
#[derive(Debug, Default)]
struct Options {
    file: Option<String>,
    label: bool,
    objects: Objects,
    dev: Option<String>,
}

fn parse(args: &mut Args) -> CliResult<Options> {
    let mut o = Options::default();
    let mut any = false;
    while let Some(word) = args.next() {
        let w = word;
        if matches(w, "file") {
            o.file = Some(args.value()?.to_string());
        } else if matches(w, "label") {
            o.label = true;
        } else if matches(w, "link") {
            o.objects.link = true;
            any = true;
        } else if matches(w, "address") {
            o.objects.address = true;
            any = true;
        } else if matches(w, "route") {
            o.objects.route = true;
            any = true;
        } else if let Some(name) = ["mroute", "prefix", "neigh", "netconf", "rule", "nsid"]
            .into_iter()
            .find(|n| matches(w, n))
        {
            o.objects.other = Some(name);
            any = true;
        } else if matches(w, "nexthop") || w == "stats" {
            o.objects.other = Some(if w == "stats" { "stats" } else { "nexthop" });
            any = true;
        } else if w == "all" {
            o.label = true;
        } else if matches(w, "all-nsid") {
            return Err(CliError::failed("nsip: \"all-nsid\" is not supported"));
        } else if matches(w, "help") {
            return Err(CliError::usage(USAGE));
        } else if w == "dev" {
            o.dev = Some(args.value()?.to_string());
        } else {
            return Err(CliError::usage(format!(
                "Argument \"{w}\" is unknown, try \"ip monitor help\"."
            )));
        }
    }
    if !any {
        o.objects = Objects {
            link: true,
            address: true,
            route: true,
            other: None,
        };
    }
    Ok(o)
}

/// Runs `ip monitor ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let options = parse(args)?;
    let objects = options.objects;
    if let Some(name) = objects.other {
        if !(objects.link || objects.address || objects.route) {
            return Err(CliError::failed(format!(
                "nsip: monitoring \"{name}\" events is not supported"
            )));
        }
    }
    let family = g.family.af();
    // Live, ip starts from every link it can see; from a file, only from the file's own
    // link messages (and asks the kernel about the rest).
    let query = session.socket()?;
    let mut cache = load_links(query)?;
    let mut dev_index = None;
    if let Some(dev) = &options.dev {
        let index = cache.index(dev).ok_or_else(|| {
            CliError::usage(format!(
                "Error: argument \"{dev}\" is wrong: Device does not exist\n"
            ))
        })?;
        dev_index = Some(index);
    }
    if options.file.is_some() {
        cache = LinkCache::new();
    }
    let nsids = NsidNames::load(query);
    let mut filter = Filter {
        family,
        ..Filter::default()
    };
    filter.oif = dev_index;
    let mut monitor = Monitor {
        links: LinkContext::monitor(cache, nsids, g.details),
        query: Some(query),
        filter,
        label: options.label,
        stats: g.stats,
        oneline: g.oneline,
        dev: dev_index,
        objects,
        out: Vec::with_capacity(4096),
    };
    match &options.file {
        Some(path) => monitor.replay(path),
        None => monitor.listen(family),
    }
}

/// The running monitor: the name cache it keeps current and the output it builds.
struct Monitor<'s> {
    /// The link cache (names, flags) and how link events print.
    links: LinkContext,
    /// A second socket for name lookups while the first one listens.
    query: Option<&'s mut Socket>,
    filter: Filter,
    label: bool,
    stats: u8,
    oneline: bool,
    dev: Option<u32>,
    objects: Objects,
    /// One event's text, written out and flushed as a whole.
    out: Vec<u8>,
}

/// How an event went: printed, or stdout is gone and the monitor should stop.
type EventResult = Result<(), io::Error>;

impl Monitor<'_> {
    fn listen(&mut self, family: u8) -> CliResult {
        let sock = Socket::new()
            .map_err(|e| CliError::failed(format!("Cannot open netlink socket: {e}")))?;
        let v4 = family != AF_INET6;
        let v6 = family != AF_INET;
        let mut groups = Vec::new();
        if self.objects.link {
            groups.push(RTNLGRP_LINK);
        }
        if self.objects.address {
            if v4 {
                groups.push(RTNLGRP_IPV4_IFADDR);
            }
            if v6 {
                groups.push(RTNLGRP_IPV6_IFADDR);
            }
        }
        if self.objects.route {
            if v4 {
                groups.push(RTNLGRP_IPV4_ROUTE);
            }
            if v6 {
                groups.push(RTNLGRP_IPV6_ROUTE);
            }
        }
        for g in groups {
            sock.join_group(g).map_err(nl::kernel_error)?;
        }
        let mut sock = sock;
        loop {
            let mut gone = None;
            let result = sock.recv_messages(|msg| {
                if gone.is_none() {
                    if let Err(e) = self.event(&msg) {
                        gone = Some(e);
                    }
                }
                Ok(())
            });
            if gone.is_some() {
                // stdout closed (the reader went away): stop as ip does on SIGPIPE.
                return Ok(());
            }
            match result {
                Ok(()) => {}
                Err(NlError::Overrun) => {
                    // ip reports lost events and keeps listening.
                    eprintln!(
                        "netlink receive error {} ({})",
                        netlink_core::socket::strerror(libc::ENOBUFS),
                        libc::ENOBUFS
                    );
                }
                Err(NlError::Decode(_)) => {}
                Err(e) => return Err(nl::kernel_error(e)),
            }
        }
    }

    /// `ip monitor file FILE`: decodes a stream of netlink messages as `rtnl_from_file` does.
    fn replay(&mut self, path: &str) -> CliResult {
        let mut file = File::open(path).map_err(|e| CliError::Usage {
            message: format!("Cannot fopen: {}", os_error_text(&e)),
            status: 255,
        })?;
        let mut buf = vec![0u8; FILE_MESSAGE_MAX];
        let mut offset: u64 = 0;
        loop {
            let header = buf.get_mut(..16).unwrap_or(&mut []);
            match read_full(&mut file, header) {
                Ok(0) => return Ok(()),
                Ok(16) => {}
                Ok(_) => return Err(CliError::failed("rtnl-from_file: truncated message")),
                Err(e) => {
                    return Err(CliError::failed(format!(
                        "rtnl_from_file: fread: {}",
                        os_error_text(&e)
                    )))
                }
            }
            offset = offset.saturating_add(16);
            let len = buf
                .get(..4)
                .and_then(|b| b.try_into().ok())
                .map(u32::from_ne_bytes)
                .unwrap_or(0) as usize;
            if !(16..=FILE_MESSAGE_MAX).contains(&len) {
                return Err(CliError::failed(format!(
                    "!!!malformed message: len={len} @{offset}"
                )));
            }
            let body_len = (len - 16).next_multiple_of(4);
            let end = 16 + body_len;
            let body = buf.get_mut(16..end).unwrap_or(&mut []);
            match read_full(&mut file, body) {
                Ok(n) if n == body_len => {}
                Ok(_) => return Err(CliError::failed("rtnl-from_file: truncated message")),
                Err(e) => {
                    return Err(CliError::failed(format!(
                        "rtnl_from_file: fread: {}",
                        os_error_text(&e)
                    )))
                }
            }
            offset = offset.saturating_add(body_len as u64);
            let msg = match Message::parse(buf.get(..len).unwrap_or(&[])) {
                Ok(m) => m,
                Err(_) => {
                    return Err(CliError::failed(format!(
                        "!!!malformed message: len={len} @{offset}"
                    )))
                }
            };
            if self.event(&msg).is_err() {
                return Ok(());
            }
        }
    }

    /// Prints one message as ip's `accept_msg` does.
    fn event(&mut self, msg: &Message<'_>) -> EventResult {
        self.out.clear();
        match msg.ty() {
            RTM_NEWROUTE | RTM_DELROUTE => self.route_event(msg)?,
            RTM_NEWLINK | RTM_DELLINK => self.link_event(msg)?,
            RTM_NEWADDR | RTM_DELADDR => self.address_event(msg)?,
            NLMSG_TSTAMP => stamp::print(&mut self.out, msg.payload())?,
            NLMSG_ERROR | NLMSG_NOOP | NLMSG_DONE => {}
            // Events ip decodes and nsip does not (neighbours, netconf, rules, nsids...).
            16..=255 => {}
            other => {
                let h = msg.header();
                eprintln!(
                    "Unknown message: type=0x{other:08x}({other}) flags=0x{f:08x}({f}) len=0x{l:08x}({l})",
                    f = h.flags.get(),
                    l = h.len.get()
                );
            }
        }
        if self.out.is_empty() {
            return Ok(());
        }
        let mut stdout = io::stdout().lock();
        stdout.write_all(&self.out)?;
        stdout.flush()
    }

    fn banner(&mut self, label: &str) {
        if self.label {
            self.out.extend_from_slice(label.as_bytes());
        }
    }

    fn route_event(&mut self, msg: &Message<'_>) -> EventResult {
        let Ok(route) = RouteMessage::parse(msg) else {
            eprintln!("BUG: wrong nlmsg len {}", msg.header().len.get());
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
            clock_ticks: clock_ticks_per_second(),
        };
        let mut out = Out::new(&mut self.out, false, false);
        print_route(&mut out, &ctx, msg.ty() == RTM_DELROUTE, &route)
    }

    fn link_event(&mut self, msg: &Message<'_>) -> EventResult {
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
        if !self.objects.link || self.dev.is_some_and(|d| d != index) {
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
        objects::print_link(&mut self.out, &link, deleted, &self.links)
    }

    fn address_event(&mut self, msg: &Message<'_>) -> EventResult {
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
        objects::print_address(&mut self.out, &addr, msg.ty() == RTM_DELADDR, &dev)
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

/// Every link of the namespace, as ip's `ll_init_map` loads them.
fn load_links(sock: &mut Socket) -> CliResult<LinkCache> {
    let mut buf = Vec::with_capacity(64);
    emit_dump_links(&mut Builder::new(&mut buf), AF_UNSPEC, RTEXT_FILTER_VF)
        .map_err(|e| CliError::failed(e.to_string()))?;
    let mut cache = LinkCache::new();
    sock.dump(&mut buf, |msg| {
        cache.update(&LinkMessage::parse(&msg)?);
        Ok(())
    })
    .map_err(nl::kernel_error)?;
    Ok(cache)
}

/// Reads until `buf` is full or the file ends; returns how much was read.
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let rest = buf.get_mut(done..).unwrap_or(&mut []);
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
