//! `ip address`: add, change, replace, delete, show / list, flush — iproute2 6.1's syntax,
//! output and errors. The printer is [`crate::show::addr`], shared with `ip monitor`.

use std::ffi::CString;
use std::io::{BufWriter, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::*;
use netlink_core::route::{emit_dump_addresses, AddressMessage, LinkMessage};
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::Builder;

use crate::show::addr::print_address_fields;

use crate::show::link::LinkContext;
use crate::toolbox::args::{duparg, duparg2, invarg, matches, Args, Globals};
use crate::toolbox::args::{parse_u32, strtoul};
use crate::toolbox::cache::{LinkCache, NsidNames};
use crate::toolbox::error::{write_error, CliError, CliResult};
use crate::toolbox::names::parse_scope;
use crate::toolbox::output::Out;
use crate::toolbox::session as nl;
use crate::toolbox::session::{dump_links, Session, Stored};

const USAGE: &str = "Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
IFADDR := PREFIX | ADDR peer PREFIX
          [ broadcast ADDR ] [ anycast ADDR ]
          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]
SCOPE-ID := [ host | link | global | NUMBER ]
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ permanent | dynamic | secondary | primary |
           [-]tentative | [-]deprecated | [-]dadfailed | temporary |
           CONFFLAG-LIST ]
CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG
CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]
LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]
LFT := forever | SECONDS";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// Runs `ip address ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let Some(cmd) = args.next() else {
        return list_or_flush(g, session, args, false);
    };
    let create_excl = NLM_F_CREATE | NLM_F_EXCL;
    if matches(cmd, "add") {
        modify(g, session, args, RTM_NEWADDR, create_excl)
    } else if matches(cmd, "change") || cmd == "chg" {
        modify(g, session, args, RTM_NEWADDR, NLM_F_REPLACE)
    } else if matches(cmd, "replace") {
        modify(g, session, args, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE)
    } else if matches(cmd, "delete") {
        modify(g, session, args, RTM_DELADDR, 0)
    } else if matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst") {
        list_or_flush(g, session, args, false)
    } else if matches(cmd, "flush") {
        list_or_flush(g, session, args, true)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip address help\"."
        )))
    }
}

/// An address or prefix as ip's `get_prefix` reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// The address.
    pub addr: IpAddr,
    /// The prefix length (the full width when none was given).
    pub len: u8,
    /// Whether `/LEN` was written.
    pub explicit_len: bool,
}

fn family_of(addr: &IpAddr) -> u8 {
    match addr {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

fn family_words(family: u8) -> &'static str {
    match family {
        AF_INET => "inet",
        AF_INET6 => "inet6",
        _ => "any valid",
    }
}

/// ip's `get_addr_ipv4`: one to four dotted components, the missing ones zero.
fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut rest = s;
    for (i, octet) in octets.iter_mut().enumerate() {
        let (v, after) = strtoul(rest)?;
        *octet = u8::try_from(v).ok()?;
        if after.is_empty() {
            return Some(Ipv4Addr::from(octets));
        }
        if i == 3 {
            return None;
        }
        rest = after.strip_prefix('.')?;
    }
    None
}

/// ip's `get_addr_1`: an address of `family` (0 for either).
pub fn parse_addr(s: &str, family: u8) -> Option<IpAddr> {
    if s.contains(':') {
        if family != AF_UNSPEC && family != AF_INET6 {
            return None;
        }
        s.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        if family != AF_UNSPEC && family != AF_INET {
            return None;
        }
        parse_ipv4(s).map(IpAddr::V4)
    }
}

/// ip's `get_prefix_1`: `ADDR[/LEN]`, LEN a number or (IPv4) a contiguous dotted mask.
pub fn parse_prefix(s: &str, family: u8) -> Option<Prefix> {
    let (addr_part, len_part) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let addr = parse_addr(addr_part, family)?;
    let width: u8 = if addr.is_ipv4() { 32 } else { 128 };
    let len = match len_part {
        None => width,
        Some(l) => match strtoul(l) {
            Some((n, "")) => u8::try_from(n).ok().filter(|&n| n <= width)?,
            _ if addr.is_ipv4() => {
                let IpAddr::V4(mask) = IpAddr::V4(parse_ipv4(l)?) else {
                    return None;
                };
                let bits = u32::from(mask);
                let ones = bits.leading_ones();
                if bits.checked_shl(ones).unwrap_or(0) != 0 {
                    return None;
                }
                u8::try_from(ones).ok()?
            }
            _ => return None,
        },
    };
    Some(Prefix {
        addr,
        len,
        explicit_len: len_part.is_some(),
    })
}

fn prefix_or_exit(s: &str, family: u8) -> CliResult<Prefix> {
    parse_prefix(s, family).ok_or_else(|| {
        CliError::failed(format!(
            "Error: {} prefix is expected rather than \"{s}\".",
            family_words(family)
        ))
    })
}

fn addr_or_exit(s: &str, family: u8) -> CliResult<IpAddr> {
    parse_addr(s, family).ok_or_else(|| {
        CliError::failed(format!(
            "Error: {} address is expected rather than \"{s}\".",
            family_words(family)
        ))
    })
}

fn lifetime(word: &str, value: &str) -> CliResult<u32> {
    if value == "forever" {
        Ok(u32::MAX)
    } else {
        parse_u32(value).ok_or_else(|| invarg(&format!("{word} value"), value))
    }
}

fn octets(addr: &IpAddr) -> Vec<u8> {
    match addr {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// `ip addr add|change|replace|del`: ip's `ipaddr_modify`.
fn modify(
    g: &Globals,
    session: &mut Session,
    args: &mut Args,
    ty: u16,
    create_flags: u16,
) -> CliResult {
    let mut family = g.family.af();
    let mut dev: Option<&str> = None;
    let mut label: Option<&str> = None;
    let mut local: Option<Prefix> = None;
    let mut peer: Option<Prefix> = None;
    // Some(Ok(addr)) for an address, Some(Err(true)) for `+`, Some(Err(false)) for `-`.
    let mut broadcast: Option<Result<IpAddr, bool>> = None;
    let mut anycast: Option<IpAddr> = None;
    let mut scope: Option<u8> = None;
    let mut valid: Option<u32> = None;
    let mut preferred: Option<u32> = None;
    let mut metric: Option<u32> = None;
    let mut flags: u32 = 0;
    while let Some(word) = args.next() {
        match word {
            "peer" | "remote" => {
                let v = args.value()?;
                if peer.is_some() {
                    return Err(duparg("peer", v));
                }
                let p = prefix_or_exit(v, family)?;
                family = family_of(&p.addr);
                peer = Some(p);
            }
            w if matches(w, "broadcast") || w == "brd" => {
                let v = args.value()?;
                if broadcast.is_some() {
                    return Err(duparg("broadcast", v));
                }
                broadcast = Some(match v {
                    "+" => Err(true),
                    "-" => Err(false),
                    _ => {
                        let a = addr_or_exit(v, family)?;
                        family = family_of(&a);
                        Ok(a)
                    }
                });
            }
            "anycast" => {
                let v = args.value()?;
                if anycast.is_some() {
                    return Err(duparg("anycast", v));
                }
                let a = addr_or_exit(v, family)?;
                family = family_of(&a);
                anycast = Some(a);
            }
            "scope" => {
                let v = args.value()?;
                scope = Some(parse_scope(v).ok_or_else(|| invarg("invalid scope value.", v))?);
            }
            "dev" => dev = Some(args.value()?),
            "label" => label = Some(args.value()?),
            "metric" | "priority" | "preference" => {
                let v = args.value()?;
                if metric.is_some() {
                    return Err(duparg("metric", v));
                }
                metric = Some(parse_u32(v).ok_or_else(|| invarg("metric value", v))?);
            }
            w if matches(w, "valid_lft") => {
                if valid.is_some() {
                    return Err(duparg("valid_lft", w));
                }
                valid = Some(lifetime("valid_lft", args.value()?)?);
            }
            w if matches(w, "preferred_lft") => {
                if preferred.is_some() {
                    return Err(duparg("preferred_lft", w));
                }
                preferred = Some(lifetime("preferred_lft", args.value()?)?);
            }
            "home" => flags |= IFA_F_HOMEADDRESS,
            "nodad" => flags |= IFA_F_NODAD,
            "mngtmpaddr" => flags |= IFA_F_MANAGETEMPADDR,
            "noprefixroute" => flags |= IFA_F_NOPREFIXROUTE,
            "autojoin" => flags |= IFA_F_MCAUTOJOIN,
            _ => {
                let v = if word == "local" { args.value()? } else { word };
                if matches(v, "help") {
                    return Err(usage());
                }
                if local.is_some() {
                    return Err(duparg2("local", v));
                }
                let p = prefix_or_exit(v, family)?;
                family = family_of(&p.addr);
                local = Some(p);
            }
        }
    }
    let Some(dev) = dev else {
        return Err(CliError::failed(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let mut address = peer.map(|p| p.addr);
    let mut prefix_len = peer.map_or(0, |p| p.len);
    if peer.is_none() {
        if let Some(l) = local {
            if ty == RTM_DELADDR && l.addr.is_ipv4() && !l.explicit_len {
                eprintln!(
                    "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         \
                     Explicitly specify the prefix length ({}/{}) to avoid this warning.\n         \
                     This special behaviour is likely to disappear in further releases,\n         \
                     fix your scripts!",
                    l.addr, l.len
                );
            } else {
                address = Some(l.addr);
            }
        }
    }
    if prefix_len == 0 {
        prefix_len = local.map_or(0, |l| l.len);
    }
    let mut brd_addr: Option<IpAddr> = None;
    match broadcast {
        Some(Ok(a)) => brd_addr = Some(a),
        Some(Err(all_ones)) if ty != RTM_DELADDR => {
            if family != AF_INET {
                return Err(CliError::failed(
                    "Broadcast can be set only for IPv4 addresses",
                ));
            }
            let base = peer.or(local);
            if let Some(Prefix {
                addr: IpAddr::V4(a),
                len,
                ..
            }) = base
            {
                if len <= 30 {
                    let host = u32::MAX.checked_shr(u32::from(len)).unwrap_or(0);
                    let bits = u32::from(a);
                    let b = if all_ones { bits | host } else { bits & !host };
                    brd_addr = Some(IpAddr::V4(Ipv4Addr::from(b)));
                }
            }
        }
        _ => {}
    }
    let scope = match scope {
        Some(s) => s,
        None if ty != RTM_DELADDR => match local {
            Some(Prefix {
                addr: IpAddr::V4(a),
                ..
            }) if a.octets()[0] == 127 => RT_SCOPE_HOST,
            _ => 0,
        },
        None => 0,
    };
    let index = session.ifindex(dev)?;
    let lifetimes = if valid.is_some() || preferred.is_some() {
        let v = valid.unwrap_or(u32::MAX);
        let p = preferred.unwrap_or(u32::MAX);
        if v == 0 {
            return Err(CliError::failed("valid_lft is zero"));
        }
        if v < p {
            return Err(CliError::failed("preferred_lft is greater than valid_lft"));
        }
        Some((v, p))
    } else {
        None
    };
    if flags & IFA_F_MCAUTOJOIN != 0 && !local.is_some_and(|l| l.addr.is_multicast()) {
        return Err(CliError::failed("autojoin needs multicast address"));
    }
    let mut buf = Vec::with_capacity(128);
    let mut b = Builder::new(&mut buf);
    let m = b.begin(ty, NLM_F_REQUEST | NLM_F_ACK | create_flags, 0);
    let header_flags = if flags <= 0xff { flags as u8 } else { 0 };
    let mut header = vec![family, prefix_len, header_flags, scope];
    header.extend_from_slice(&(index as u32).to_ne_bytes());
    b.push_bytes(&header);
    if let Some(l) = local {
        b.attr(IFA_LOCAL, &octets(&l.addr));
    }
    if let Some(a) = address {
        b.attr(IFA_ADDRESS, &octets(&a));
    }
    if let Some(a) = brd_addr {
        b.attr(IFA_BROADCAST, &octets(&a));
    }
    if let Some(a) = anycast {
        b.attr(IFA_ANYCAST, &octets(&a));
    }
    if let Some(l) = label {
        b.attr_str(IFA_LABEL, l);
    }
    if flags > 0xff {
        b.attr_u32(IFA_FLAGS, flags);
    }
    if let Some((v, p)) = lifetimes {
        let mut ci = [0u8; 16];
        ci[..4].copy_from_slice(&p.to_ne_bytes());
        ci[4..8].copy_from_slice(&v.to_ne_bytes());
        b.attr(IFA_CACHEINFO, &ci);
    }
    if let Some(metric) = metric {
        b.attr_u32(IFA_RT_PRIORITY, metric);
    }
    b.finish(m).map_err(|e| CliError::failed(e.to_string()))?;
    session.request(&buf)
}

/// The selection `show` and `flush` take.
#[derive(Debug, Default)]
struct Filter<'a> {
    family: u8,
    index: Option<u32>,
    scope: u8,
    scope_mask: u8,
    flags: u32,
    flag_mask: u32,
    label: Option<&'a str>,
    to: Option<Prefix>,
    up: bool,
    master: Option<u32>,
    kind: Option<&'a str>,
    slave_kind: Option<&'a str>,
}

impl Filter<'_> {
    /// ip's `get_filter`: a flag word, or `None` when the word is not one.
    fn flag_word(&mut self, word: &str) -> Option<()> {
        match word {
            "dynamic" => {
                self.flags &= !IFA_F_PERMANENT;
                self.flag_mask |= IFA_F_PERMANENT;
            }
            "primary" => {
                self.flags &= !IFA_F_SECONDARY;
                self.flag_mask |= IFA_F_SECONDARY;
            }
            _ => {
                let (negated, name) = match word.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, word),
                };
                let (_, bit) = crate::show::addr::FLAG_NAMES
                    .iter()
                    .find(|(n, _)| *n == name)?;
                if negated {
                    self.flags &= !bit;
                } else {
                    self.flags |= bit;
                }
                self.flag_mask |= bit;
            }
        }
        Some(())
    }

    /// ip's per-address tests (`print_addrinfo` / `ipaddr_filter`).
    fn address_matches(&self, a: &AddressMessage<'_>, link_name: &str) -> bool {
        if self.index.is_some_and(|i| i != a.index()) {
            return false;
        }
        if (self.scope ^ a.scope()) & self.scope_mask != 0 {
            return false;
        }
        if (self.flags ^ a.flags()) & self.flag_mask != 0 {
            return false;
        }
        if let Some(pattern) = self.label {
            let label = a.label().unwrap_or(link_name);
            if !fnmatch(pattern, label) {
                return false;
            }
        }
        if let Some(to) = self.to {
            if let Some(local) = a.local().or_else(|| a.address()) {
                if !prefix_contains(&to, &local) {
                    return false;
                }
            }
        }
        self.family == AF_UNSPEC || self.family == a.family()
    }

    /// ip's per-link tests (but `up`), which leave no trace of the link.
    fn link_matches(&self, l: &LinkMessage<'_>) -> bool {
        if self
            .index
            .is_some_and(|i| i64::from(i) != i64::from(l.index()))
        {
            return false;
        }
        if let Some(m) = self.master {
            if l.master() != Some(m) {
                return false;
            }
        }
        let info = l.link_info();
        if let Some(k) = self.kind {
            if info.as_ref().and_then(|i| i.kind) != Some(k) {
                return false;
            }
        }
        if let Some(k) = self.slave_kind {
            if info.as_ref().and_then(|i| i.slave_kind) != Some(k) {
                return false;
            }
        }
        true
    }
}

fn prefix_contains(prefix: &Prefix, addr: &IpAddr) -> bool {
    let (p, a) = (octets(&prefix.addr), octets(addr));
    if p.len() != a.len() {
        return false;
    }
    let bits = usize::from(prefix.len);
    let whole = bits / 8;
    if p.get(..whole) != a.get(..whole) {
        return false;
    }
    let rest = bits % 8;
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (p.get(whole), a.get(whole)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => true,
    }
}

/// Shell-pattern match as ip's `fnmatch(pattern, name, 0)`.
fn fnmatch(pattern: &str, name: &str) -> bool {
    let (Ok(p), Ok(n)) = (CString::new(pattern), CString::new(name)) else {
        return false;
    };
    // SAFETY: both pointers are valid NUL-terminated strings for the call's duration.
    unsafe { libc::fnmatch(p.as_ptr(), n.as_ptr(), 0) == 0 }
}

/// Dumps every address of `family` (optionally of one link).
fn dump_addresses(sock: &mut Socket, family: u8, index: u32) -> CliResult<Stored> {
    let mut buf = Vec::with_capacity(64);
    emit_dump_addresses(&mut Builder::new(&mut buf), family, index)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Stored::dump(sock, &mut buf)
}

fn addresses(stored: &Stored) -> impl Iterator<Item = AddressMessage<'_>> {
    stored
        .iter()
        .filter_map(|p| AddressMessage::from_payload(p).ok())
}

/// `ip addr [show|flush] ...`: ip's `ipaddr_list_flush_or_save`.
fn list_or_flush(g: &Globals, session: &mut Session, args: &mut Args, flush: bool) -> CliResult {
    let sock = session.socket()?;
    let mut filter = Filter {
        family: g.family.af(),
        ..Filter::default()
    };
    if flush && args.is_empty() {
        return Err(CliError::failed("Flush requires arguments."));
    }
    let mut dev: Option<&str> = None;
    while let Some(word) = args.next() {
        match word {
            "to" => {
                let v = args.value()?;
                let p = prefix_or_exit(v, filter.family)?;
                if filter.family == AF_UNSPEC {
                    filter.family = family_of(&p.addr);
                }
                filter.to = Some(p);
            }
            "scope" => {
                let v = args.value()?;
                filter.scope_mask = 0xff;
                match parse_scope(v) {
                    Some(s) => filter.scope = s,
                    None if v == "all" => {
                        filter.scope = RT_SCOPE_NOWHERE;
                        filter.scope_mask = 0;
                    }
                    None => return Err(invarg("invalid \"scope\"\n", v)),
                }
            }
            "up" => filter.up = true,
            w if filter.flag_word(w).is_some() => {}
            "label" => filter.label = Some(args.value()?),
            "group" => {
                args.value()?;
            }
            "master" => {
                let v = args.value()?;
                let index =
                    nl::ifindex(sock, v).map_err(|_| invarg("Device does not exist\n", v))?;
                filter.master = u32::try_from(index).ok();
            }
            "type" => {
                let t = args.value()?;
                match t.strip_suffix("_slave") {
                    Some(s) => filter.slave_kind = Some(s),
                    None => filter.kind = Some(t),
                }
            }
            _ => {
                let v = if word == "dev" {
                    args.value()?
                } else if matches(word, "help") {
                    return Err(usage());
                } else {
                    word
                };
                if dev.is_some() {
                    return Err(duparg2("dev", v));
                }
                dev = Some(v);
            }
        }
    }
    if let Some(name) = dev {
        let index = nl::ifindex(sock, name)
            .map_err(|_| CliError::failed(format!("Device \"{name}\" does not exist.")))?;
        filter.index = u32::try_from(index).ok();
    }
    if flush {
        return flush_addresses(g, sock, &filter);
    }
    // The link dump asks for the global family (-4/-6); `to PREFIX` narrows only the rest.
    let links = dump_links(sock, g.family.af())?;
    let addrs = dump_addresses(sock, filter.family, filter.index.unwrap_or(0))?;
    let cache = LinkCache::of(&links);
    // ipaddr_filter: a link stays when one of its addresses passes, or when it has none
    // at all and no family was asked for.
    let kept: Vec<LinkMessage<'_>> = links
        .links()
        .filter(|l| {
            let name = l.name().unwrap_or_default();
            let mut any = false;
            for a in addresses(&addrs).filter(|a| i64::from(a.index()) == i64::from(l.index())) {
                any = true;
                if filter.address_matches(&a, name) {
                    return true;
                }
            }
            !any && filter.family == AF_UNSPEC
        })
        .collect();
    let no_link = filter.label.is_some();
    let needs_nsids = !g.json && kept.iter().any(|l| l.link_netnsid().is_some());
    let ctx = LinkContext {
        cache,
        nsids: if needs_nsids {
            NsidNames::load(sock)
        } else {
            NsidNames::default()
        },
        details: g.details,
        stats: g.stats,
        do_link: false,
        show_queue: true,
        family: filter.family,
    };
    let mut out = Out::new(BufWriter::new(std::io::stdout().lock()), g.json, g.pretty);
    let printed = (|| -> std::io::Result<()> {
        out.open_array(None)?;
        for l in &kept {
            if !filter.link_matches(l) {
                continue;
            }
            out.open_object(None)?;
            if filter.up && l.flags() & IFF_UP == 0 {
                // ip has opened the link's JSON object before it tests `up`.
                out.close_object()?;
                continue;
            }
            if !no_link {
                crate::show::link::print_link_fields(&mut out, l, false, &ctx)?;
            }
            let name = l.name().unwrap_or_default();
            out.open_array(Some("addr_info"))?;
            for a in addresses(&addrs) {
                if i64::from(a.index()) != i64::from(l.index())
                    || (filter.family != AF_UNSPEC && filter.family != a.family())
                {
                    continue;
                }
                out.open_object(None)?;
                if filter.address_matches(&a, name) {
                    print_address_fields(&mut out, &a, false, None)?;
                }
                out.close_object()?;
            }
            out.close_array()?;
            if !no_link && g.stats > 0 {
                crate::show::link::print_stats(&mut out, l)?;
                out.text(format_args!("\n"))?;
            }
            out.close_object()?;
        }
        out.close_array()?;
        out.finish()
    })();
    printed.map_err(write_error)
}

/// ip's flush: delete what the filter selects, round after round until nothing is left
/// (a deleted primary may promote a secondary), at most 10 rounds.
fn flush_addresses(g: &Globals, sock: &mut Socket, filter: &Filter<'_>) -> CliResult {
    const MAX_ROUNDS: usize = 10;
    let links = dump_links(sock, AF_PACKET)?;
    let cache = LinkCache::of(&links);
    let mut stdout = std::io::stdout().lock();
    for round in 0..MAX_ROUNDS {
        let addrs = dump_addresses(sock, filter.family, filter.index.unwrap_or(0))?;
        let mut batch = Vec::new();
        let mut count = 0usize;
        for a in addresses(&addrs) {
            let name = cache.name(a.index());
            if !filter.address_matches(&a, &name) {
                continue;
            }
            netlink_core::route::addr::emit_del_reported(&mut Builder::new(&mut batch), &a)
                .map_err(|e| CliError::failed(e.to_string()))?;
            count += 1;
        }
        if count == 0 {
            if g.stats > 0 {
                if round == 0 {
                    let _ = writeln!(stdout, "Nothing to flush.");
                } else {
                    let s = if round > 1 { "s" } else { "" };
                    let _ = writeln!(stdout, "*** Flush is complete after {round} round{s} ***");
                }
            }
            return Ok(());
        }
        let mut failure: Option<NlError> = None;
        sock.batch(&mut batch, |_, r| {
            if let Err(e) = r {
                if e.errno() != Some(libc::EADDRNOTAVAIL) && failure.is_none() {
                    failure = Some(e);
                }
            }
        })
        .map_err(|e| CliError::failed(format!("Failed to send flush request: {e}")))?;
        if let Some(e) = failure {
            return Err(CliError::failed(format!(
                "Failed to send flush request: {e}"
            )));
        }
        if g.stats > 0 {
            let _ = writeln!(
                stdout,
                "\n*** Round {}, deleting {count} addresses ***",
                round + 1
            );
        }
        // Flushing primaries only is one round: more would flush promoted secondaries.
        if filter.flags & IFA_F_SECONDARY == 0 && filter.flag_mask & IFA_F_SECONDARY != 0 {
            return Ok(());
        }
    }
    Err(CliError::failed(format!(
        "*** Flush remains incomplete after {MAX_ROUNDS} rounds. ***"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_read_as_ip_reads_them() {
        let p = parse_prefix("192.0.2.1/24", 0).expect("prefix");
        assert_eq!(p.addr, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!((p.len, p.explicit_len), (24, true));
        let p = parse_prefix("192.0.2.1", 0).expect("address");
        assert_eq!((p.len, p.explicit_len), (32, false));
        assert_eq!(parse_prefix("1.2.3.4/33", 0), None);
        assert_eq!(parse_prefix("2001:db8::1/129", 0), None);
        assert_eq!(parse_prefix("2001:db8::1/64", AF_INET), None);
        assert_eq!(parse_prefix("192.0.2.1/24", AF_INET6), None);
        assert_eq!(parse_prefix("foo", 0), None);
        assert_eq!(
            parse_prefix("192.0.2.1/255.255.255.0", 0).map(|p| p.len),
            Some(24)
        );
        assert_eq!(parse_prefix("192.0.2.1/255.0.255.0", 0), None);
        assert_eq!(
            parse_addr("1.2.3", 0),
            Some(IpAddr::V4(Ipv4Addr::new(1, 2, 3, 0)))
        );
        assert_eq!(
            parse_addr("0x7f.1", 0),
            Some(IpAddr::V4(Ipv4Addr::new(127, 1, 0, 0)))
        );
        assert_eq!(parse_addr("256.1.1.1", 0), None);
        assert_eq!(parse_addr("1.2.3.4.5", 0), None);
    }

    #[test]
    fn prefix_containment() {
        let p = parse_prefix("192.0.2.0/23", 0).expect("prefix");
        assert!(prefix_contains(&p, &"192.0.3.7".parse().expect("ip")));
        assert!(!prefix_contains(&p, &"192.0.4.1".parse().expect("ip")));
        assert!(!prefix_contains(&p, &"2001:db8::1".parse().expect("ip")));
    }

    #[test]
    fn flag_words() {
        let mut f = Filter::default();
        assert!(f.flag_word("permanent").is_some());
        assert_eq!((f.flags, f.flag_mask), (IFA_F_PERMANENT, IFA_F_PERMANENT));
        assert!(f.flag_word("dynamic").is_some());
        assert_eq!(f.flags, 0);
        assert!(f.flag_word("-tentative").is_some());
        assert_eq!(f.flag_mask & IFA_F_TENTATIVE, IFA_F_TENTATIVE);
        assert!(f.flag_word("veth0").is_none());
    }
}
