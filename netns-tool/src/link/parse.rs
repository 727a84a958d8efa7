//! The words of `ip link add|set|delete|show` turned into a plan, with no I/O: device names
//! stay names (resolved when the plan runs), everything else is already what the request
//! carries. Errors are ip 6.1's, word for word.

use std::borrow::Cow;

use netlink_core::route::consts::IFF_UP;
use netlink_core::route::{LinkArg, LinkAttrs, LinkKind, LinkRequest};

use crate::toolbox::args::{
    device_selector, duparg, duparg2, invarg, keyword, kind_selector, matches, on_off, parse_u32,
    word_bytes, Args,
};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::names::{parse_group, parse_mac};

use super::end_words::{EndKey, Once, END_KEYWORDS, IP_WORDS_NSIP_LACKS};
use super::kind_words::KindData;
use super::kinds;
use super::usage;

/// What `ip link add|set|delete` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `add`: a new link (`NLM_F_CREATE | NLM_F_EXCL`).
    Add,
    /// `set` / `change`.
    Set,
    /// `delete`.
    Delete,
}

/// `master DEVICE` or `nomaster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Master<'a> {
    /// Enslave to this device (its index is looked up when the plan runs).
    Device(&'a str),
    /// `nomaster`: `IFLA_MASTER` 0.
    Detach,
}

/// The words of one end of a request (the link, or a veth peer), as ip's `iplink_parse`
/// reads them up to `type`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EndPlan<'a> {
    /// The device the words name (`dev X`, a bare word, or `name X` when no other).
    pub dev: Option<&'a str>,
    /// `name X`.
    pub name: Option<&'a str>,
    /// `IFF_*` flags to set.
    pub flags: u32,
    /// `IFF_*` flags to change.
    pub change: u32,
    /// `mtu`.
    pub mtu: Option<u32>,
    /// `txqueuelen` / `qlen` / `txqlen`.
    pub txqlen: Option<u32>,
    /// `address`.
    pub address: Option<Vec<u8>>,
    /// `broadcast` / `brd`.
    pub broadcast: Option<Vec<u8>>,
    /// `netns NAME|PID`: a name in /run/netns (or a path) first, else a PID, as ip tries.
    pub netns: Option<&'a str>,
    /// `master` / `nomaster`.
    pub master: Option<Master<'a>>,
    /// `alias TEXT`, as its exact bytes.
    pub alias: Option<Cow<'a, [u8]>>,
    /// `group`.
    pub group: Option<u32>,
    /// `type KIND`.
    pub kind: Option<&'a str>,
    /// The order the attribute words came in, which ip sends them in.
    pub order: Vec<LinkArg>,
    /// `link DEV`: a new link's lower device (looked up when the plan runs).
    pub link: Option<&'a str>,
}

impl<'a> EndPlan<'a> {
    /// The attributes this end sends, without the name, the namespace and a master that is
    /// still a name: those are filled in when the plan runs.
    pub fn attrs(&self) -> LinkAttrs<'_> {
        LinkAttrs {
            name: None,
            txqlen: self.txqlen,
            address: self.address.as_deref(),
            broadcast: self.broadcast.as_deref(),
            mtu: self.mtu,
            netns: None,
            master: match self.master {
                Some(Master::Detach) => Some(0),
                _ => None,
            },
            alias: self.alias.as_deref(),
            group: None,
            order: &self.order,
            link: None,
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

/// Which link(s) a request acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// `add`: a new link with this name (or one the kernel picks).
    New(Option<&'a str>),
    /// `set` / `delete` of one device, by name.
    Device(&'a str),
    /// `set group N` / `delete group N`: every link of the group (index 0 + `IFLA_GROUP`).
    Group(u32),
}

/// A parsed `ip link add|set|delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyPlan<'a> {
    /// add, set or delete.
    pub action: Action,
    /// The link(s) acted on.
    pub target: Target<'a>,
    /// The link's own words.
    pub end: EndPlan<'a>,
    /// `type veth peer ...`: the peer's words.
    pub peer: Option<EndPlan<'a>>,
    /// The `IFLA_IFNAME` the link's end sends (a new link's name, or a rename), as the
    /// word's exact bytes.
    pub name: Option<Cow<'a, [u8]>>,
    /// The peer's name, as its exact bytes.
    pub peer_name: Option<Cow<'a, [u8]>>,
    /// The kind's own data from the words after `type KIND` (macvlan...), when there were
    /// any.
    pub kind_data: Option<KindData<'a>>,
}

impl ModifyPlan<'_> {
    /// The request, with index 0 and without what still needs a lookup (the device index,
    /// a master's index, a namespace's descriptor).
    pub fn request(&self) -> LinkRequest<'_> {
        let mut attrs = self.end.attrs();
        attrs.name = self.name.as_deref();
        attrs.group = match self.target {
            Target::Group(g) => Some(g),
            _ => self.end.group,
        };
        let kind = match self.target {
            Target::Group(_) => None,
            _ => self.end.kind.map(|k| self.kind(k)),
        };
        LinkRequest {
            index: 0,
            flags: self.end.flags,
            change: self.end.change,
            attrs,
            kind,
        }
    }

    fn kind<'s>(&'s self, kind: &'s str) -> LinkKind<'s> {
        match (kind, &self.peer) {
            ("veth", Some(p)) => LinkKind::Veth {
                peer_flags: p.flags,
                peer: LinkAttrs {
                    name: self.peer_name.as_deref(),
                    group: p.group,
                    ..p.attrs()
                },
            },
            (other, _) if self.kind_data.is_some() => LinkKind::WithData {
                kind: other,
                data: self.kind_data.as_ref().map(|d| d.attrs.as_slice()),
            },
            ("bridge", _) => LinkKind::Bridge,
            ("dummy", _) => LinkKind::Dummy,
            (other, _) => LinkKind::Other(other),
        }
    }
}

/// What `ip link add|set|delete` words turn into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModifyCommand<'a> {
    /// A request to send.
    Request(Box<ModifyPlan<'a>>),
    /// `type veth` followed by a word other than `peer`: ip prints the veth usage on stdout
    /// and fails.
    VethUsage,
}

/// The veth usage, on stdout as ip prints it.
pub const VETH_USAGE: &str = "Usage: nsip link <options> type veth [peer <options>]\n\
                              To get <options> type 'nsip link add help'";

/// ip's `check_ifname`: 1..=15 bytes, no `/`, no whitespace.
pub fn valid_ifname(name: &str) -> bool {
    valid_name_of(name, 16)
}

/// ip's `check_altifname`: like a name, up to 127 bytes.
fn valid_altifname(name: &str) -> bool {
    valid_name_of(name, 128)
}

/// A name's exact bytes: not empty, shorter than `limit`, no `/` and no white space.
fn valid_name_of(name: &str, limit: usize) -> bool {
    let bytes = word_bytes(name);
    !bytes.is_empty()
        && bytes.len() < limit
        && !bytes.iter().any(|&b| b == b'/' || b.is_ascii_whitespace())
}

fn group_value(word: &str) -> CliResult<u32> {
    parse_group(word).ok_or_else(|| invarg("Invalid \"group\" value\n", word))
}

fn parse_lladdr(v: &str) -> CliResult<Vec<u8>> {
    parse_mac(v).ok_or_else(|| CliError::failed(format!("\"{v}\" is invalid lladdr.")))
}

impl EndPlan<'_> {
    /// Notes that the attribute of `arg` was given (its first time decides its place).
    fn given(&mut self, arg: LinkArg) {
        if !self.order.contains(&arg) {
            self.order.push(arg);
        }
    }

    fn set_flag(&mut self, bit: u32, on: bool) {
        self.change |= bit;
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
    }
}

/// ip's `iplink_parse`: reads words up to `type` (kept in `kind`; the rest stays in `args`
/// for the kind).
pub fn parse_end<'a>(args: &mut Args<'a>) -> CliResult<EndPlan<'a>> {
    let mut end = EndPlan::default();
    while let Some(word) = args.next() {
        // ip tests `txqueuelen` before `type`: `t` is the former, `ty` the latter.
        if matches(word, "type") && !matches(word, "txqueuelen") {
            end.kind = Some(args.value()?);
            break;
        }
        parse_end_word(&mut end, word, args)?;
    }
    Ok(end)
}

fn parse_end_word<'a>(end: &mut EndPlan<'a>, word: &'a str, args: &mut Args<'a>) -> CliResult {
    let Some(key) = keyword(word, &END_KEYWORDS) else {
        return parse_device_word(end, word, args);
    };
    match key {
        EndKey::Flag(bit, inverted) => {
            let on = on_off(word, args.value()?)?;
            end.set_flag(bit, on != inverted);
        }
        EndKey::Once(once) => parse_once_word(end, once, word, args)?,
        EndKey::Up => end.set_flag(IFF_UP, true),
        EndKey::Down => end.set_flag(IFF_UP, false),
        EndKey::Link => end.link = Some(args.value()?),
        EndKey::Address => {
            end.address = Some(parse_lladdr(args.value()?)?);
            end.given(LinkArg::Address);
        }
        EndKey::Broadcast => {
            end.broadcast = Some(parse_lladdr(args.value()?)?);
            end.given(LinkArg::Broadcast);
        }
        EndKey::TxQueueLen => {
            end.txqlen = Some(args.parsed(parse_u32, "Invalid \"txqueuelen\" value\n")?);
            end.given(LinkArg::TxQueueLen);
        }
        EndKey::Master => {
            end.master = Some(Master::Device(args.value()?));
            end.given(LinkArg::Master);
        }
        EndKey::NoMaster => {
            end.master = Some(Master::Detach);
            end.given(LinkArg::Master);
        }
        EndKey::Alias => {
            let v = args.value()?;
            // IFALIASZ: 256 with the NUL the kernel adds.
            if word_bytes(v).len() >= 256 {
                return Err(invarg("alias too long\n", v));
            }
            end.alias = Some(word_bytes(v));
            end.given(LinkArg::Alias);
        }
        EndKey::Dynamic => {
            let on = on_off("dynamic", args.value()?)?;
            end.set_flag(libc::IFF_DYNAMIC as u32, on);
        }
    }
    Ok(())
}

/// A word that is no keyword: `help`, a word of ip's nsip lacks, or the device (`dev X`
/// or the bare word).
fn parse_device_word<'a>(end: &mut EndPlan<'a>, word: &'a str, args: &mut Args<'a>) -> CliResult {
    if matches(word, "help") {
        return Err(usage());
    }
    if IP_WORDS_NSIP_LACKS.contains(&word) {
        return Err(CliError::unsupported(word));
    }
    let v = if word == "dev" { args.value()? } else { word };
    if end.dev != end.name {
        return Err(duparg2("dev", v));
    }
    if !valid_altifname(v) {
        return Err(invarg("\"dev\" not a valid ifname", v));
    }
    end.dev = Some(v);
    Ok(())
}

/// A word ip refuses to see twice (`name`, `mtu`, `netns`, `group`).
fn parse_once_word<'a>(
    end: &mut EndPlan<'a>,
    once: Once,
    word: &str,
    args: &mut Args<'a>,
) -> CliResult {
    let taken = match once {
        Once::Name => end.name.is_some(),
        Once::Mtu => end.mtu.is_some(),
        Once::Netns => end.netns.is_some(),
        Once::Group => end.group.is_some(),
    };
    let v = args.value()?;
    if taken {
        return Err(duparg(word, v));
    }
    match once {
        Once::Name => {
            if !valid_ifname(v) {
                return Err(invarg("\"name\" not a valid ifname", v));
            }
            end.name = Some(v);
            end.dev = end.dev.or(Some(v));
        }
        Once::Mtu => {
            end.mtu = Some(parse_u32(v).ok_or_else(|| invarg("Invalid \"mtu\" value\n", v))?);
            end.given(LinkArg::Mtu);
        }
        Once::Netns => {
            end.netns = Some(v);
            end.given(LinkArg::Netns);
        }
        // ip keeps -1 as "no group": 4294967295 cannot get here, see parse_group.
        Once::Group => {
            end.group = Some(group_value(v)?);
            end.given(LinkArg::Group);
        }
    }
    Ok(())
}

/// What the words after `type KIND` add.
#[derive(Debug, Default)]
struct KindArgs<'a> {
    /// A veth's `peer ...`.
    peer: Option<EndPlan<'a>>,
    /// A kind's own data.
    data: Option<KindData<'a>>,
}

/// The words after `type KIND`: a veth's `peer ...`, a macvlan's mode..., nothing for the
/// other kinds.
fn parse_kind_args<'a>(kind: &str, args: &mut Args<'a>, creating: bool) -> CliResult<KindArgs<'a>> {
    if let Some(parser) = kinds::data_parser(kind).filter(|_| args.peek().is_some()) {
        let data = kinds::parse_kind_data(kind, parser, args, creating)?;
        return Ok(KindArgs {
            data: Some(data),
            ..KindArgs::default()
        });
    }
    let Some(word) = args.next() else {
        return Ok(KindArgs::default());
    };
    match kind {
        "veth" if word == "peer" => {
            let peer = parse_end(args)?;
            if let Some(t) = peer.kind {
                return Err(duparg("type", t));
            }
            Ok(KindArgs {
                peer: Some(peer),
                ..KindArgs::default()
            })
        }
        _ if matches(word, "help") => Err(usage()),
        _ => Err(CliError::failed(garbage(word))),
    }
}

fn garbage(word: &str) -> String {
    format!("Garbage instead of arguments \"{word} ...\". Try \"ip link help\".")
}

/// `ip link add|set|delete WORDS`.
pub fn parse_modify<'a>(action: Action, args: &mut Args<'a>) -> CliResult<ModifyCommand<'a>> {
    let end = parse_end(args)?;
    if let (Some(group), None) = (end.group, end.dev) {
        return group_plan(action, end, group, args);
    }
    let KindArgs { peer, data } = match end.kind {
        Some("veth") if args.peek().is_some_and(|w| w != "peer") => {
            return Ok(ModifyCommand::VethUsage)
        }
        Some(kind) => parse_kind_args(kind, args, action == Action::Add)?,
        None if action == Action::Add => {
            return Err(CliError::failed(
                "Not enough information: \"type\" argument is required",
            ))
        }
        None => KindArgs::default(),
    };
    // A peer's group needs the peer's name, as ip's veth parser has it.
    if peer
        .as_ref()
        .is_some_and(|p| p.group.is_some() && p.dev.is_none())
    {
        return Err(CliError::usage(
            "group cannot be used when creating devices.",
        ));
    }
    let peer_name = match &peer {
        Some(p) => p.new_name()?,
        None => None,
    };
    let (target, name) = match action {
        Action::Add => {
            let name = end.new_name()?;
            (Target::New(name), name)
        }
        // `set name X` alone names the device to change, it does not rename it.
        Action::Set | Action::Delete => match end.dev {
            Some(dev) => (Target::Device(dev), end.name.filter(|&n| n != dev)),
            None => {
                return Err(CliError::usage(
                    "Not enough information: \"dev\" argument is required.",
                ))
            }
        },
    };
    Ok(ModifyCommand::Request(Box::new(ModifyPlan {
        action,
        target,
        end,
        peer,
        name: name.map(word_bytes),
        peer_name: peer_name.map(word_bytes),
        kind_data: data,
    })))
}

/// `set|delete group N` without a device: the request acts on every link of the group.
fn group_plan<'a>(
    action: Action,
    end: EndPlan<'a>,
    group: u32,
    args: &Args<'a>,
) -> CliResult<ModifyCommand<'a>> {
    if let Some(word) = args.peek() {
        return Err(CliError::usage(garbage(word)));
    }
    if action == Action::Add {
        return Err(CliError::usage(
            "group cannot be used when creating devices.",
        ));
    }
    Ok(ModifyCommand::Request(Box::new(ModifyPlan {
        action,
        target: Target::Group(group),
        end,
        peer: None,
        name: None,
        peer_name: None,
        kind_data: None,
    })))
}

/// What `ip link show` lists.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ShowFilter<'a> {
    /// `dev X` / `X`.
    pub dev: Option<&'a str>,
    /// `up`.
    pub up: bool,
    /// `master M`.
    pub master: Option<&'a str>,
    /// `type KIND`.
    pub kind: Option<&'a str>,
    /// `type KIND_slave`.
    pub slave_kind: Option<&'a str>,
    /// `group N` (the last one given).
    pub group: Option<u32>,
}

/// `ip link show WORDS`.
pub fn parse_show<'a>(args: &mut Args<'a>) -> CliResult<ShowFilter<'a>> {
    let mut filter = ShowFilter::default();
    while let Some(word) = args.next() {
        match word {
            "up" => filter.up = true,
            "master" => filter.master = Some(args.value()?),
            "group" => filter.group = Some(group_value(args.value()?)?),
            "type" => {
                let (kind, slave_kind) = kind_selector(args.value()?);
                filter.kind = kind.or(filter.kind);
                filter.slave_kind = slave_kind.or(filter.slave_kind);
            }
            _ => filter.dev = Some(device_selector(args, word, filter.dev, usage)?),
        }
    }
    Ok(filter)
}
