//! `ip link`: add, delete, set, show — the syntax, output and errors of iproute2 6.1.
//! The printer is [`crate::show::link`], shared with `ip addr` and `ip monitor`.

use std::fs::File;
use std::io::BufWriter;
use std::os::fd::AsRawFd;

use netlink_core::route::consts::{AF_PACKET, IFF_UP};
use netlink_core::route::{LinkAttrs, LinkKind, LinkMessage, LinkRequest, NetnsRef};
use netlink_core::wire::Builder;

use crate::show::link::{print_link, LinkContext};
use crate::toolbox::cache::{LinkCache, NsidNames};
use crate::toolbox::output::Out;
use crate::toolbox::session::{dump_links, Session};

use crate::toolbox::args::{duparg, duparg2, invarg, matches, on_off, word_os, Args, Globals};
use crate::toolbox::error::{write_error, CliError, CliResult};
use crate::toolbox::names::parse_mac;
use crate::toolbox::netns_names::open_name_or_path;
use crate::toolbox::session as nl;

/// ip's `check_ifname`: 1..=15 bytes, no `/`, no whitespace.
pub fn valid_ifname(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 16
        && !name.bytes().any(|b| b == b'/' || b.is_ascii_whitespace())
}

/// ip's `check_altifname`: like a name, up to 127 bytes.
fn valid_altifname(name: &str) -> bool {
    !name.is_empty()
        && name.len() < 128
        && !name.bytes().any(|b| b == b'/' || b.is_ascii_whitespace())
}

const USAGE: &str = "Usage: ip link add [ name ] NAME
\t\t    [ txqueuelen PACKETS ]
\t\t    [ address LLADDR ]
\t\t    [ broadcast LLADDR ]
\t\t    [ mtu MTU ]
\t\t    [ netns { PID | NAME } ]
\t\t    type TYPE [ ARGS ]

\tip link delete { DEVICE | dev DEVICE } type TYPE [ ARGS ]

\tip link set { DEVICE | dev DEVICE }
\t\t\t[ { up | down } ]
\t\t[ arp { on | off } ]
\t\t[ dynamic { on | off } ]
\t\t[ multicast { on | off } ]
\t\t[ allmulticast { on | off } ]
\t\t[ promisc { on | off } ]
\t\t[ trailers { on | off } ]
\t\t[ txqueuelen PACKETS ]
\t\t[ name NEWNAME ]
\t\t[ address LLADDR ]
\t\t[ broadcast LLADDR ]
\t\t[ mtu MTU ]
\t\t[ netns { PID | NAME } ]
\t\t[ master DEVICE ][ nomaster ]

\tip link show [ DEVICE ] [ master DEVICE ] [ type TYPE ] [ up ]

TYPE := { bridge | dummy | veth }";

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// Runs `ip link ...`.
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let Some(cmd) = args.next() else {
        return show(g, session, args);
    };
    if matches(cmd, "add") {
        modify(Action::Add, session, args)
    } else if matches(cmd, "set") || matches(cmd, "change") {
        modify(Action::Set, session, args)
    } else if matches(cmd, "delete") {
        modify(Action::Delete, session, args)
    } else if matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list") {
        show(g, session, args)
    } else if matches(cmd, "help") {
        Err(usage())
    } else {
        Err(CliError::usage(format!(
            "Command \"{cmd}\" is unknown, try \"ip link help\"."
        )))
    }
}

/// `ip link show [dev] X [up] [master M] [type T]`.
fn show(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let sock = session.socket()?;
    let mut dev: Option<&str> = None;
    let mut up = false;
    let mut master: Option<u32> = None;
    let mut kind: Option<&str> = None;
    let mut slave_kind: Option<&str> = None;
    while let Some(word) = args.next() {
        match word {
            "up" => up = true,
            "master" => {
                let name = args.value()?;
                let index =
                    nl::ifindex(sock, name).map_err(|_| invarg("Device does not exist\n", name))?;
                master = u32::try_from(index).ok();
            }
            "type" => {
                let t = args.value()?;
                match t.strip_suffix("_slave") {
                    Some(s) => slave_kind = Some(s),
                    None => kind = Some(t),
                }
            }
            _ => {
                let name = if word == "dev" {
                    args.value()?
                } else if matches(word, "help") {
                    return Err(usage());
                } else {
                    word
                };
                if dev.is_some() {
                    return Err(duparg2("dev", name));
                }
                dev = Some(name);
            }
        }
    }
    let index = match dev {
        Some(name) => Some(
            nl::ifindex(sock, name)
                .map_err(|_| CliError::failed(format!("Device \"{name}\" does not exist.")))?,
        ),
        None => None,
    };
    let links = dump_links(sock, AF_PACKET)?;
    let selected: Vec<LinkMessage<'_>> = links
        .links()
        .filter(|l| index.is_none_or(|i| l.index() == i))
        .filter(|l| master.is_none_or(|m| l.master() == Some(m)))
        .filter(|l| kind.is_none_or(|k| l.link_info().and_then(|i| i.kind) == Some(k)))
        .filter(|l| slave_kind.is_none_or(|k| l.link_info().and_then(|i| i.slave_kind) == Some(k)))
        .collect();
    let needs_nsids = !g.json && selected.iter().any(|l| l.link_netnsid().is_some());
    let ctx = LinkContext {
        cache: LinkCache::of(&links),
        nsids: if needs_nsids {
            NsidNames::load(sock)
        } else {
            NsidNames::default()
        },
        details: g.details,
        stats: g.stats,
        do_link: true,
        show_queue: true,
        family: AF_PACKET,
    };
    let mut out = Out::new(BufWriter::new(std::io::stdout().lock()), g.json, g.pretty);
    let printed = (|| {
        out.open_array(None)?;
        for link in &selected {
            if up && link.flags() & IFF_UP == 0 {
                // ip has opened the link's JSON object before it tests `up`.
                out.open_object(None)?;
                out.close_object()?;
                continue;
            }
            print_link(&mut out, link, false, &ctx)?;
        }
        out.close_array()?;
        out.finish()
    })();
    printed.map_err(write_error)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Add,
    Set,
    Delete,
}

/// What the words of one end (the link, or a veth peer) ask for.
#[derive(Debug, Default)]
struct EndArgs<'a> {
    dev: Option<&'a str>,
    name: Option<&'a str>,
    flags: u32,
    change: u32,
    mtu: Option<u32>,
    txqlen: Option<u32>,
    address: Option<Vec<u8>>,
    broadcast: Option<Vec<u8>>,
    netns: Option<NetnsRef>,
    // Keeps IFLA_NET_NS_FD's namespace file open until the request is sent.
    netns_file: Option<File>,
    master: Option<u32>,
    kind: Option<&'a str>,
}

impl<'a> EndArgs<'a> {
    fn attrs(&'a self, with_name: bool) -> LinkAttrs<'a> {
        LinkAttrs {
            name: if with_name { self.name } else { None },
            txqlen: self.txqlen,
            address: self.address.as_deref(),
            broadcast: self.broadcast.as_deref(),
            mtu: self.mtu,
            netns: self.netns,
            master: self.master,
            group: None,
        }
    }

    /// The name a new link gets: `name X`, or the bare word.
    fn new_name(&self) -> CliResult<Option<&'a str>> {
        match (self.dev, self.name) {
            (Some(d), Some(n)) if d != n => Err(CliError::usage(
                "both \"name\" and \"dev\" cannot be used when creating devices.",
            )),
            (d, n) => Ok(n.or(d)),
        }
    }
}

/// ip's `iplink_parse`: reads words up to `type` (returned in `kind`; the rest stays in
/// `args` for the kind).
fn parse_end<'a>(session: &mut Session, args: &mut Args<'a>) -> CliResult<EndArgs<'a>> {
    let mut end = EndArgs::default();
    while let Some(word) = args.next() {
        match word {
            "up" => {
                end.flags |= IFF_UP;
                end.change |= IFF_UP;
            }
            "down" => {
                end.flags &= !IFF_UP;
                end.change |= IFF_UP;
            }
            "name" => {
                let v = args.value()?;
                if end.name.is_some() {
                    return Err(duparg("name", v));
                }
                if !valid_ifname(v) {
                    return Err(invarg("\"name\" not a valid ifname", v));
                }
                end.name = Some(v);
                if end.dev.is_none() {
                    end.dev = Some(v);
                }
            }
            "type" => {
                end.kind = Some(args.value()?);
                break;
            }
            "mtu" => {
                let v = args.value()?;
                if end.mtu.is_some() {
                    return Err(duparg("mtu", v));
                }
                end.mtu = Some(
                    crate::toolbox::args::parse_u32(v)
                        .ok_or_else(|| invarg("Invalid \"mtu\" value\n", v))?,
                );
            }
            "netns" => {
                let v = args.value()?;
                if end.netns.is_some() {
                    return Err(duparg("netns", v));
                }
                if let Ok(file) = open_name_or_path(word_os(v)) {
                    end.netns = Some(NetnsRef::Fd(file.as_raw_fd()));
                    end.netns_file = Some(file);
                } else if let Some(pid) = crate::toolbox::args::parse_u32(v) {
                    end.netns = Some(NetnsRef::Pid(pid));
                } else {
                    return Err(invarg("Invalid \"netns\" value\n", v));
                }
            }
            "master" => {
                let v = args.value()?;
                let index = session
                    .ifindex(v)
                    .map_err(|_| invarg("Device does not exist\n", v))?;
                end.master = u32::try_from(index).ok();
            }
            "nomaster" => end.master = Some(0),
            "txqlen" => end.txqlen = Some(parse_txqlen(args.value()?)?),
            w if matches(w, "txqueuelen") || matches(w, "qlen") => {
                end.txqlen = Some(parse_txqlen(args.value()?)?);
            }
            "brd" => end.broadcast = Some(parse_lladdr(args.value()?)?),
            w if matches(w, "address") => end.address = Some(parse_lladdr(args.value()?)?),
            w if matches(w, "broadcast") => {
                end.broadcast = Some(parse_lladdr(args.value()?)?);
            }
            "multicast" | "allmulticast" | "promisc" | "trailers" | "arp" | "dynamic" => {
                let on = on_off(word, args.value()?)?;
                let (bit, inverted) = match word {
                    "multicast" => (libc::IFF_MULTICAST as u32, false),
                    "allmulticast" => (libc::IFF_ALLMULTI as u32, false),
                    "promisc" => (libc::IFF_PROMISC as u32, false),
                    "trailers" => (libc::IFF_NOTRAILERS as u32, true),
                    "arp" => (libc::IFF_NOARP as u32, true),
                    _ => (libc::IFF_DYNAMIC as u32, false),
                };
                end.change |= bit;
                if on != inverted {
                    end.flags |= bit;
                } else {
                    end.flags &= !bit;
                }
            }
            _ => {
                if matches(word, "help") {
                    return Err(usage());
                }
                let v = if word == "dev" { args.value()? } else { word };
                if end.dev != end.name {
                    return Err(duparg2("dev", v));
                }
                if !valid_altifname(v) {
                    return Err(invarg("\"dev\" not a valid ifname", v));
                }
                end.dev = Some(v);
            }
        }
    }
    Ok(end)
}

fn parse_txqlen(v: &str) -> CliResult<u32> {
    crate::toolbox::args::parse_u32(v).ok_or_else(|| invarg("Invalid \"txqueuelen\" value\n", v))
}

fn parse_lladdr(v: &str) -> CliResult<Vec<u8>> {
    parse_mac(v).ok_or_else(|| CliError::failed(format!("\"{v}\" is invalid lladdr.")))
}

/// `ip link add|set|delete`: one request, so a refused command changes nothing.
fn modify(action: Action, session: &mut Session, args: &mut Args) -> CliResult {
    let end = parse_end(session, args)?;
    let mut peer: Option<EndArgs<'_>> = None;
    if let Some(kind) = end.kind {
        match kind {
            "veth" => {
                if let Some(word) = args.next() {
                    if word != "peer" {
                        // ip prints this usage on stdout.
                        println!(
                            "Usage: ip link <options> type veth [peer <options>]\n\
                             To get <options> type 'ip link add help'"
                        );
                        return Err(CliError::failed(""));
                    }
                    let p = parse_end(session, args)?;
                    if let Some(t) = p.kind {
                        return Err(duparg("type", t));
                    }
                    peer = Some(p);
                }
            }
            "bridge" => {
                if let Some(word) = args.next() {
                    return Err(CliError::failed(format!(
                        "bridge: unknown command \"{word}\"?"
                    )));
                }
            }
            _ => {
                if let Some(word) = args.next() {
                    if matches(word, "help") {
                        return Err(usage());
                    }
                    return Err(CliError::failed(format!(
                        "Garbage instead of arguments \"{word} ...\". Try \"ip link help\"."
                    )));
                }
            }
        }
    } else if action == Action::Add {
        return Err(CliError::failed(
            "Not enough information: \"type\" argument is required",
        ));
    }
    let peer_name = match &peer {
        Some(p) => p.new_name()?,
        None => None,
    };
    let kind = end.kind.map(|k| match (k, &peer) {
        ("veth", Some(p)) => LinkKind::Veth {
            peer_flags: p.flags,
            peer: LinkAttrs {
                name: peer_name,
                ..p.attrs(false)
            },
        },
        ("bridge", _) => LinkKind::Bridge,
        ("dummy", _) => LinkKind::Dummy,
        (other, _) => LinkKind::Other(other),
    });
    let mut req = LinkRequest {
        index: 0,
        flags: end.flags,
        change: end.change,
        attrs: end.attrs(false),
        kind,
    };
    let mut buf = Vec::with_capacity(256);
    let mut b = Builder::new(&mut buf);
    match action {
        Action::Add => {
            req.attrs.name = end.new_name()?;
            req.emit_new(&mut b)
        }
        Action::Set | Action::Delete => {
            let Some(dev) = end.dev else {
                return Err(CliError::usage(
                    "Not enough information: \"dev\" argument is required.",
                ));
            };
            let renames = end.name.filter(|_| end.name != end.dev).is_some();
            if action == Action::Delete && req == LinkRequest::default() && !renames {
                // A plain `link delete DEV`: a batch may tear a run of them down in bulk.
                let index = session.ifindex(dev)?;
                return session.delete_link(index);
            }
            req.index = session.ifindex(dev)?;
            // `set name X` alone names the device to change, it does not rename it.
            req.attrs.name = end.name.filter(|_| end.name != end.dev);
            if action == Action::Set {
                req.emit_set(&mut b)
            } else {
                req.emit_del(&mut b)
            }
        }
    }
    .map_err(|e| CliError::failed(e.to_string()))?;
    let result = nl::request(session.socket()?, &mut buf);
    drop(end.netns_file);
    if let Some(p) = peer {
        drop(p.netns_file);
    }
    result
}
