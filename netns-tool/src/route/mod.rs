//! `ip route`: add, change, replace, prepend, append, test, delete, show/list, get, flush.
//!
//! Arguments are read in ip's order and with ip's defaults (`iproute_modify`,
//! `iproute_list_flush_or_save`, `iproute_get`), so the kernel receives what ip would send
//! and errors read as ip's do.

use std::io;

use netlink_core::route::consts::*;
use netlink_core::route::{emit_dump_routes, RouteMessage, RouteQuery, RouteRequest};
use netlink_core::socket::{Error as NlError, Socket};
use netlink_core::wire::Builder;

use crate::show::route::{clock_ticks_per_second, print_route, Context};
use crate::show::route_filter::Filter;
use crate::toolbox::args::parse_u32;
use crate::toolbox::args::{duparg2, incomplete, invarg, matches, Args, Globals};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{address_or_err, prefix_or_err, read_family, Prefix};
use crate::toolbox::names::{parse_protocol, parse_route_type, parse_scope, parse_table};
use crate::toolbox::output::Out;
use crate::toolbox::session as nl;
use crate::toolbox::session::Session;

/// ip 6.1's `ip route help` text (printed on stderr, exit 255).
const USAGE: &str = "Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
       ip route { add | del | change | append | replace } ROUTE
SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]
            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]
            [ type TYPE ] [ scope SCOPE ]
ROUTE := NODE_SPEC [ INFO_SPEC ]
NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]
             [ table TABLE_ID ] [ proto RTPROTO ]
             [ scope SCOPE ] [ metric METRIC ]
             [ ttl-propagate { enabled | disabled } ]
INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...
NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]
      [ dev STRING ] [ weight NUMBER ] NHFLAGS
FAMILY := [ inet | inet6 | mpls | bridge | link ]
OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]
           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]
           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]
           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]
           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]
           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]
           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]
TYPE := { unicast | local | broadcast | multicast | throw |
          unreachable | prohibit | blackhole | nat }
TABLE_ID := [ local | main | default | all | NUMBER ]
SCOPE := [ host | link | global | NUMBER ]
NHFLAGS := [ onlink | pervasive ]
RTPROTO := [ kernel | boot | static | NUMBER ]
PREF := [ low | medium | high ]
TIME := NUMBER[s|ms]
BOOL := [1|0]
FEATURES := ecn
ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 | xfrm ]
ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR | XFRMINFO ]
SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]
SEGMODE := [ encap | encap.red | inline | l2encap | l2encap.red ]
SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]
ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |
            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |
            End.BM | End.S | End.AS | End.AM | End.BPF }
OPTIONS := OPTION [ OPTIONS ]
OPTION := { flavors FLAVORS | srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |
            table TABLEID | vrftable TABLEID | endpoint PROGNAME }
FLAVORS := { FLAVOR[,FLAVOR] }
FLAVOR := { psp | usp | usd | next-csid }
IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE
XFRMINFO := if_id IF_ID [ link_dev LINK ]
ROUTE_GET_FLAGS := [ fibmatch ]";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// ip's `invarg`: the message carries its own trailing newline, so a blank line follows.
fn invarg_ln(what: &str, arg: &str) -> CliError {
    invarg(&format!("{what}\n"), arg)
}

/// ip's `rtnl_dsfield_a2n`: a hex number up to 0xff.
fn parse_tos(word: &str) -> Option<u8> {
    let digits = word
        .strip_prefix("0x")
        .or_else(|| word.strip_prefix("0X"))
        .unwrap_or(word);
    u8::from_str_radix(digits, 16).ok()
}

/// ip's `rtnl_rttable_a2n` (`all` is not a table here).
fn parse_table_id(word: &str) -> Option<u32> {
    parse_table(word)
}

/// Runs `ip route ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let Some(cmd) = args.next() else {
        return list_or_flush(g, session, args, Action::List);
    };
    let create = NLM_F_CREATE;
    match cmd {
        c if matches(c, "add") => modify(g, session, args, RTM_NEWROUTE, create | NLM_F_EXCL),
        c if matches(c, "change") || c == "chg" => {
            modify(g, session, args, RTM_NEWROUTE, NLM_F_REPLACE)
        }
        c if matches(c, "replace") => {
            modify(g, session, args, RTM_NEWROUTE, create | NLM_F_REPLACE)
        }
        c if matches(c, "prepend") => modify(g, session, args, RTM_NEWROUTE, create),
        c if matches(c, "append") => modify(g, session, args, RTM_NEWROUTE, create | NLM_F_APPEND),
        c if matches(c, "test") => modify(g, session, args, RTM_NEWROUTE, NLM_F_EXCL),
        c if matches(c, "delete") => modify(g, session, args, RTM_DELROUTE, 0),
        c if matches(c, "list") || matches(c, "show") || matches(c, "lst") => {
            list_or_flush(g, session, args, Action::List)
        }
        c if matches(c, "get") => get(g, session, args),
        c if matches(c, "flush") => list_or_flush(g, session, args, Action::Flush),
        c if matches(c, "help") => Err(usage()),
        c => Err(CliError::usage(format!(
            "Command \"{c}\" is unknown, try \"ip route help\"."
        ))),
    }
}

/// Reads the ROUTE words of add/change/replace/delete into a request, as
/// `iproute_modify` does, then sends it.
fn modify(
    g: &Globals,
    session: &mut Session,
    args: &mut Args,
    cmd: u16,
    create_flags: u16,
) -> CliResult {
    let deleting = cmd == RTM_DELROUTE;
    let mut req = RouteRequest {
        family: g.family.af(),
        table: u32::from(RT_TABLE_MAIN),
        scope: RT_SCOPE_NOWHERE,
        protocol: RTPROT_UNSPEC,
        kind: RTN_UNSPEC,
        ..RouteRequest::default()
    };
    if !deleting {
        req.protocol = RTPROT_BOOT;
        req.scope = RT_SCOPE_UNIVERSE;
        req.kind = RTN_UNICAST;
    }
    let mut device: Option<&str> = None;
    let (mut gw_ok, mut dst_ok, mut scope_ok, mut table_ok) = (false, false, false, false);
    while let Some(word) = args.next() {
        match word {
            "src" => {
                let a = address_or_err(args.value()?, req.family)?;
                adopt_family(&mut req.family, &a);
                req.prefsrc = a.bytes();
            }
            "via" => {
                if gw_ok {
                    return Err(invarg_ln(
                        "use nexthop syntax to specify multiple via",
                        word,
                    ));
                }
                gw_ok = true;
                let mut value = args.value()?;
                let family = match read_family(value) {
                    Some(f) => {
                        value = args.value()?;
                        f
                    }
                    None => req.family,
                };
                let a = address_or_err(value, family)?;
                adopt_family(&mut req.family, &a);
                if a.family == req.family {
                    req.gateway = a.bytes();
                } else {
                    req.via = a.bytes();
                }
            }
            "from" => {
                let p = prefix_or_err(args.value()?, req.family)?;
                adopt_family(&mut req.family, &p);
                req.src = p.bytes();
                req.src_len = p.bitlen;
            }
            w if w == "tos" || matches(w, "dsfield") => {
                let v = args.value()?;
                req.tos = parse_tos(v).ok_or_else(|| invarg_ln("\"tos\" value is invalid", v))?;
            }
            w if matches(w, "metric") || matches(w, "priority") || w == "preference" => {
                let v = args.value()?;
                let metric =
                    parse_u32(v).ok_or_else(|| invarg_ln("\"metric\" value is invalid", v))?;
                req.priority = Some(metric);
            }
            "scope" => {
                let v = args.value()?;
                req.scope =
                    parse_scope(v).ok_or_else(|| invarg_ln("invalid \"scope\" value", v))?;
                scope_ok = true;
            }
            "mtu" => {
                let v = args.value()?;
                if v == "lock" {
                    return Err(CliError::failed(
                        "nsip: \"mtu lock\" is not supported".to_string(),
                    ));
                }
                let mtu = crate::toolbox::args::parse_u32(v)
                    .ok_or_else(|| invarg_ln("\"mtu\" value is invalid", v))?;
                req.mtu = Some(mtu);
            }
            "onlink" => req.flags |= RTNH_F_ONLINK,
            "nexthop" | "nhid" | "encap" | "as" => {
                return Err(CliError::failed(format!(
                    "nsip: \"{word}\" routes are not supported"
                )));
            }
            w if matches(w, "protocol") => {
                let v = args.value()?;
                req.protocol = parse_protocol(v)
                    .ok_or_else(|| invarg_ln("\"protocol\" value is invalid", v))?;
            }
            w if matches(w, "table") => {
                let v = args.value()?;
                req.table =
                    parse_table_id(v).ok_or_else(|| invarg_ln("\"table\" value is invalid", v))?;
                table_ok = true;
            }
            "dev" | "oif" => device = Some(args.value()?),
            w if matches(w, "pref") => {
                let v = args.value()?;
                let pref = match v {
                    "low" => 3,
                    "medium" => 0,
                    "high" => 1,
                    n => crate::toolbox::args::parse_u8(n)
                        .ok_or_else(|| invarg_ln("\"pref\" value is invalid", n))?,
                };
                req.pref = Some(pref);
            }
            mut w => {
                if w == "to" {
                    w = args.value()?;
                }
                let starts_with_digit = w.starts_with(|c: char| c.is_ascii_digit());
                if !starts_with_digit {
                    if let Some(kind) = parse_route_type(w) {
                        req.kind = kind;
                        w = args.next().ok_or_else(incomplete)?;
                    }
                }
                if matches(w, "help") {
                    return Err(usage());
                }
                if dst_ok {
                    return Err(duparg2("to", w));
                }
                let dst = prefix_or_err(w, req.family)?;
                adopt_family(&mut req.family, &dst);
                req.dst_len = dst.bitlen;
                req.dst = dst.bytes();
                dst_ok = true;
            }
        }
    }
    if !dst_ok {
        return Err(usage());
    }
    if let Some(name) = device {
        let index = session.ifindex(name)?;
        req.oif = u32::try_from(index).ok();
    }
    if req.family == AF_UNSPEC {
        req.family = AF_INET;
    }
    if !table_ok && matches!(req.kind, RTN_LOCAL | RTN_BROADCAST | RTN_NAT | RTN_ANYCAST) {
        req.table = u32::from(RT_TABLE_LOCAL);
    }
    if !scope_ok {
        if req.family == AF_INET6 {
            req.scope = RT_SCOPE_UNIVERSE;
        } else {
            match req.kind {
                RTN_LOCAL | RTN_NAT => req.scope = RT_SCOPE_HOST,
                RTN_BROADCAST | RTN_MULTICAST | RTN_ANYCAST => req.scope = RT_SCOPE_LINK,
                RTN_UNICAST | RTN_UNSPEC => {
                    if deleting {
                        req.scope = RT_SCOPE_NOWHERE;
                    } else if !gw_ok {
                        req.scope = RT_SCOPE_LINK;
                    }
                }
                _ => {}
            }
        }
    }
    let mut buf = Vec::with_capacity(128);
    let mut b = Builder::new(&mut buf);
    let built = if deleting {
        req.emit_del(&mut b)
    } else {
        req.emit_new_with(&mut b, create_flags)
    };
    built.map_err(|e| CliError::failed(e.to_string()))?;
    session.request(&buf)
}

/// Takes the family of the first address read when none was chosen yet (ip's
/// `if (req.r.rtm_family == AF_UNSPEC) req.r.rtm_family = addr.family`).
fn adopt_family(family: &mut u8, p: &Prefix) {
    if *family == AF_UNSPEC {
        *family = p.family;
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    List,
    Flush,
}

/// Reads a SELECTOR as `iproute_list_flush_or_save` does.
fn read_selector(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult<Filter> {
    let dump_family = g.family.af();
    let mut f = Filter::listing(dump_family);
    let mut oif_name: Option<&str> = None;
    let mut iif_name: Option<&str> = None;
    while let Some(word) = args.next() {
        match word {
            w if matches(w, "table") => {
                let v = args.value()?;
                match parse_table_id(v) {
                    Some(t) => f.table = t,
                    None if v == "all" => f.table = 0,
                    None if v == "cache" => f.cloned = 1,
                    None if v == "help" => return Err(usage()),
                    None => return Err(invarg_ln("table id value is invalid", v)),
                }
            }
            w if matches(w, "cached") || matches(w, "cloned") => f.cloned = 1,
            w if w == "tos" || matches(w, "dsfield") => {
                let v = args.value()?;
                f.tos = Some(parse_tos(v).ok_or_else(|| invarg_ln("TOS value is invalid", v))?);
            }
            w if matches(w, "protocol") => {
                let v = args.value()?;
                f.protocol = selector(v, parse_protocol(v), "invalid \"protocol\"")?;
            }
            w if matches(w, "scope") => {
                let v = args.value()?;
                f.scope = selector(v, parse_scope(v), "invalid \"scope\"")?;
            }
            w if matches(w, "type") => {
                let v = args.value()?;
                let kind = parse_route_type(v)
                    .ok_or_else(|| invarg_ln("node type value is invalid", v))?;
                f.types = 1u64 << (kind % 64);
            }
            "dev" | "oif" => oif_name = Some(args.value()?),
            "iif" => iif_name = Some(args.value()?),
            w if matches(w, "metric") || matches(w, "priority") || w == "preference" => {
                let v = args.value()?;
                f.metric =
                    Some(parse_u32(v).ok_or_else(|| invarg_ln("\"metric\" value is invalid", v))?);
            }
            "via" => {
                let mut v = args.value()?;
                let family = match read_family(v) {
                    Some(fam) => {
                        v = args.value()?;
                        fam
                    }
                    None => dump_family,
                };
                f.via = Some(prefix_or_err(v, family)?);
            }
            "src" => f.prefsrc = Some(prefix_or_err(args.value()?, dump_family)?),
            w if matches(w, "from") => {
                let v = args.value()?;
                if matches(v, "root") {
                    f.root_src = Some(prefix_or_err(args.value()?, dump_family)?);
                } else if matches(v, "match") {
                    f.match_src = Some(prefix_or_err(args.value()?, dump_family)?);
                } else {
                    let v = if matches(v, "exact") {
                        args.value()?
                    } else {
                        v
                    };
                    let p = prefix_or_err(v, dump_family)?;
                    f.match_src = Some(p);
                    f.root_src = Some(p);
                }
            }
            mut w => {
                if matches(w, "to") {
                    w = args.value()?;
                }
                if matches(w, "root") {
                    f.root_dst = Some(prefix_or_err(args.value()?, dump_family)?);
                } else if matches(w, "match") {
                    f.match_dst = Some(prefix_or_err(args.value()?, dump_family)?);
                } else {
                    if matches(w, "exact") {
                        w = args.value()?;
                    }
                    let p = prefix_or_err(w, dump_family)?;
                    f.match_dst = Some(p);
                    f.root_dst = Some(p);
                }
            }
        }
    }
    // ip's "match" only compares when a family or a length was given: `any` selects all.
    for p in [
        &mut f.root_dst,
        &mut f.match_dst,
        &mut f.root_src,
        &mut f.match_src,
    ] {
        if p.is_some_and(|x| x.family == AF_UNSPEC && !x.len_given) {
            *p = None;
        }
    }
    if f.family == AF_UNSPEC && f.table != 0 {
        f.family = AF_INET;
    }
    if oif_name.is_some() || iif_name.is_some() {
        let sock = session.socket()?;
        if let Some(name) = iif_name {
            f.iif = u32::try_from(nl::ifindex(sock, name)?).ok();
        }
        if let Some(name) = oif_name {
            f.oif = u32::try_from(nl::ifindex(sock, name)?).ok();
        }
    }
    Ok(f)
}

/// A dump that failed: ip prints the kernel's reason, then `Dump terminated`, exit 2.
fn dump_failed(e: NlError, what: &str) -> CliError {
    let quiet = matches!(&e, NlError::Kernel(k)
        if k.message.is_none() && (k.errno == libc::ENOENT || k.errno == libc::EOPNOTSUPP));
    if quiet {
        return CliError::failed_with(2, what.to_string());
    }
    let first = nl::kernel_error(e);
    CliError::failed_with(2, format!("{}\n{what}", first.message()))
}

fn io_failed(e: io::Error) -> CliError {
    CliError::failed(format!("write error: {e}"))
}

fn dump_request(f: &Filter) -> CliResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(64);
    let table = (f.table != 0).then_some(f.table);
    emit_dump_routes(&mut Builder::new(&mut buf), f.family, table)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Ok(buf)
}

/// Whether a dump error is the one ip ignores: the main table does not exist yet.
fn missing_main_table(e: &NlError, f: &Filter) -> bool {
    matches!(e, NlError::Kernel(k) if k.errno == libc::ENOENT)
        && f.table == u32::from(RT_TABLE_MAIN)
}

fn list_or_flush(g: &Globals, session: &mut Session, args: &mut Args, action: Action) -> CliResult {
    if action == Action::Flush && args.is_empty() {
        return Err(CliError::failed("\"ip route flush\" requires arguments."));
    }
    let filter = read_selector(g, session, args)?;
    let sock = session.socket()?;
    let names = LinkCache::load(sock)?;
    if action == Action::Flush {
        return flush(g, sock, &names, &filter);
    }
    let ctx = Context {
        names: &names,
        details: g.details,
        stats: g.stats,
        oneline: g.oneline,
        filter: &filter,
        clock_ticks: clock_ticks_per_second(),
    };
    let stdout = io::stdout();
    let mut out = Out::new(stdout.lock(), g.json, g.pretty);
    out.open_array(None).map_err(io_failed)?;
    let mut request = dump_request(&filter)?;
    let mut write_error: Option<io::Error> = None;
    let result = sock.dump(&mut request, |msg| {
        if write_error.is_some() {
            return Ok(());
        }
        let route = RouteMessage::parse(&msg)?;
        if filter.accepts(&route) {
            let deleted = msg.ty() == RTM_DELROUTE;
            if let Err(e) = print_route(&mut out, &ctx, deleted, &route) {
                write_error = Some(e);
            }
        }
        Ok(())
    });
    match result {
        Ok(()) => {}
        Err(e) if missing_main_table(&e, &filter) => {}
        Err(e) => {
            let _ = out.flush();
            return Err(dump_failed(e, "Dump terminated"));
        }
    }
    if let Some(e) = write_error {
        return Err(io_failed(e));
    }
    out.close_array().map_err(io_failed)?;
    out.finish().map_err(io_failed)
}

/// Most route bytes one flush round collects before it deletes them and dumps again, so
/// memory stays bounded however many routes match.
const FLUSH_ROUND_BYTES: usize = 64 * 1024;

/// A show/flush selector value: a parsed one, `all` (no filter), or ip's error `what`.
fn selector(word: &str, parsed: Option<u8>, what: &str) -> CliResult<Option<u8>> {
    match parsed {
        Some(v) => Ok(Some(v)),
        None if word == "all" => Ok(None),
        None => Err(invarg_ln(what, word)),
    }
}

/// `ip route flush SELECTOR`: delete what matches, dump again, until nothing matches.
fn flush(g: &Globals, sock: &mut Socket, names: &LinkCache, filter: &Filter) -> CliResult {
    let stdout = io::stdout();
    let mut out = Out::new(stdout.lock(), false, false);
    let ctx = Context {
        names,
        details: g.details,
        stats: g.stats,
        oneline: g.oneline,
        filter,
        clock_ticks: clock_ticks_per_second(),
    };
    let mut round = 0usize;
    let mut batch: Vec<u8> = Vec::new();
    loop {
        batch.clear();
        let mut matched = 0usize;
        let mut request = dump_request(filter)?;
        let result = sock.dump(&mut request, |msg| {
            let route = RouteMessage::parse(&msg)?;
            if msg.ty() != RTM_NEWROUTE || !filter.accepts(&route) || skip_in_flush(&route) {
                return Ok(());
            }
            if batch.len() >= FLUSH_ROUND_BYTES {
                return Ok(());
            }
            let _ = route.emit_delete(&mut Builder::new(&mut batch));
            matched += 1;
            if g.stats >= 2 {
                let _ = print_route(&mut out, &ctx, false, &route);
            }
            Ok(())
        });
        match result {
            Ok(()) => {}
            Err(e) if missing_main_table(&e, filter) => {}
            Err(e) => {
                let _ = out.flush();
                return Err(dump_failed(e, "Flush terminated"));
            }
        }
        if matched == 0 {
            if g.stats > 0 {
                let text = if round == 0 {
                    "Nothing to flush.\n".to_string()
                } else {
                    let s = if round > 1 { "s" } else { "" };
                    format!("*** Flush is complete after {round} round{s} ***\n")
                };
                out.text_str(&text).map_err(io_failed)?;
            }
            return out.finish().map_err(io_failed);
        }
        round += 1;
        // ip sends these without waiting for each answer and ignores routes already gone.
        sock.batch(&mut batch, |_, _| {})
            .map_err(nl::kernel_error)?;
        if g.stats > 0 {
            let text = format!("\n*** Round {round}, deleting {matched} entries ***\n");
            out.text_str(&text).map_err(io_failed)?;
            out.flush().map_err(io_failed)?;
        }
        if round > 1000 {
            return Err(CliError::failed("*** Flush not completed ***"));
        }
    }
}

/// ip skips the IPv6 "unreachable default" sentinel (metric 0xffffffff) when flushing.
fn skip_in_flush(r: &RouteMessage<'_>) -> bool {
    r.family() == AF_INET6
        && r.dst_len() == 0
        && r.kind() == RTN_UNREACHABLE
        && r.priority() == Some(u32::MAX)
}

/// `ip route get ADDRESS [from ADDRESS] [iif DEV] [oif DEV] [mark N] [uid N] [fibmatch]`.
fn get(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let mut q = RouteQuery {
        family: g.family.af(),
        ..RouteQuery::default()
    };
    let mut idev: Option<&str> = None;
    let mut odev: Option<&str> = None;
    let mut found = false;
    let mut warnings = String::new();
    while let Some(word) = args.next() {
        match word {
            w if w == "tos" || matches(w, "dsfield") => {
                let v = args.value()?;
                q.tos = parse_tos(v).ok_or_else(|| invarg_ln("TOS value is invalid", v))?;
            }
            w if matches(w, "from") => {
                let v = args.value()?;
                if matches(v, "help") {
                    return Err(usage());
                }
                let p = prefix_or_err(v, q.family)?;
                if q.family == AF_UNSPEC {
                    q.family = p.family;
                }
                q.src = p.bytes();
                q.src_len = p.bitlen;
            }
            w if matches(w, "iif") => idev = Some(args.value()?),
            w if matches(w, "mark") => {
                let v = args.value()?;
                q.mark = Some(parse_u32(v).ok_or_else(|| invarg_ln("invalid mark value", v))?);
            }
            w if matches(w, "oif") || w == "dev" => odev = Some(args.value()?),
            w if matches(w, "notify") => q.notify = true,
            w if matches(w, "uid") => {
                let v = args.value()?;
                q.uid = Some(parse_u32(v).ok_or_else(|| invarg_ln("invalid UID", v))?);
            }
            w if matches(w, "fibmatch") => q.fib_match = true,
            mut w => {
                if w == "to" {
                    w = args.value()?;
                }
                if matches(w, "help") {
                    return Err(usage());
                }
                let p = prefix_or_err(w, q.family)?;
                if q.family == AF_UNSPEC {
                    q.family = p.family;
                }
                q.dst = p.bytes();
                let full = crate::toolbox::inet::bit_len(q.family);
                if (q.family == AF_INET || q.family == AF_INET6) && p.bitlen != full {
                    warnings.push_str(&format!(
                        "Warning: /{} as prefix is invalid, only /{full} (or none) is supported.\n",
                        p.bitlen
                    ));
                    q.dst_len = full;
                } else {
                    q.dst_len = p.bitlen;
                }
                found = true;
            }
        }
    }
    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    if !found {
        return Err(CliError::failed("need at least a destination address"));
    }
    let sock = session.socket()?;
    if let Some(name) = idev {
        q.iif = u32::try_from(nl::ifindex(sock, name)?).ok();
    }
    if let Some(name) = odev {
        q.oif = u32::try_from(nl::ifindex(sock, name)?).ok();
    }
    if q.family == AF_UNSPEC {
        q.family = AF_INET;
    }
    let mut buf = Vec::with_capacity(128);
    q.emit(&mut Builder::new(&mut buf))
        .map_err(|e| CliError::failed(e.to_string()))?;
    let reply: Vec<u8> = sock
        .get(&mut buf, |msg| Ok(msg.payload().to_vec()))
        .map_err(nl::kernel_error)?;
    let names = LinkCache::load(sock)?;
    let filter = Filter {
        cloned: 2,
        ..Filter::default()
    };
    let ctx = Context {
        names: &names,
        details: g.details,
        stats: g.stats,
        oneline: g.oneline,
        filter: &filter,
        clock_ticks: clock_ticks_per_second(),
    };
    let route = RouteMessage::from_payload(&reply)
        .map_err(|e| CliError::failed(format!("malformed netlink reply: {e}")))?;
    let stdout = io::stdout();
    let mut out = Out::new(stdout.lock(), g.json, g.pretty);
    let printed = (|| -> io::Result<()> {
        out.open_array(None)?;
        print_route(&mut out, &ctx, false, &route)?;
        out.close_array()?;
        out.finish()
    })();
    printed.map_err(io_failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_types_resolve_in_ip_order() {
        assert_eq!(parse_route_type("u"), Some(RTN_UNREACHABLE));
        assert_eq!(parse_route_type("b"), Some(RTN_BROADCAST));
        assert_eq!(parse_route_type("bl"), Some(RTN_BLACKHOLE));
        assert_eq!(parse_route_type("x"), Some(RTN_XRESOLVE));
        assert_eq!(parse_route_type("local"), Some(RTN_LOCAL));
        assert_eq!(parse_route_type("loc"), None);
        assert_eq!(parse_route_type("7"), Some(7));
        assert_eq!(parse_route_type("192.0.2.0/24"), None);
    }

    #[test]
    fn tos_is_hex() {
        assert_eq!(parse_tos("10"), Some(0x10));
        assert_eq!(parse_tos("0x1c"), Some(0x1c));
        assert_eq!(parse_tos("zz"), None);
        assert_eq!(parse_tos("100"), None);
    }
}
