//! `type vxlan ...`: ip 6.1's `vxlan_parse_opt`, its words, errors and the order it adds
//! the attributes in (those read in the loop as they come; id, addresses, learning and the
//! port after it).

use std::net::IpAddr;

use netlink_core::route::KindAttr;

use super::kind_words::{unknown_word, KindData, MissingDevice};
use crate::toolbox::args::{
    duparg2, invarg, keyword, matches, parse_u16, parse_u32, Args, Spelling,
};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::address_or_err;
use crate::toolbox::names::parse_dsfield;

const ID: u16 = 1;
const GROUP: u16 = 2;
const LINK: u16 = 3;
const LOCAL: u16 = 4;
const TTL: u16 = 5;
const TOS: u16 = 6;
const LEARNING: u16 = 7;
const AGEING: u16 = 8;
const LIMIT: u16 = 9;
const PORT_RANGE: u16 = 10;
const PROXY: u16 = 11;
const RSC: u16 = 12;
const L2MISS: u16 = 13;
const L3MISS: u16 = 14;
const PORT: u16 = 15;
const GROUP6: u16 = 16;
const LOCAL6: u16 = 17;
const UDP_CSUM: u16 = 18;
const ZERO_CSUM6_TX: u16 = 19;
const ZERO_CSUM6_RX: u16 = 20;
const COLLECT_METADATA: u16 = 25;
const TTL_INHERIT: u16 = 28;

/// What a vxlan keyword stands for.
#[derive(Clone, Copy)]
enum Key {
    /// An on/off word: its attribute and value.
    Switch(u16, u8),
    /// `[no]learning`.
    Learning,
    /// `external`.
    External,
    /// `group` / `remote`.
    Remote,
    /// A keyword with a value.
    Valued(Value),
}

/// The keywords that take a value.
#[derive(Clone, Copy)]
enum Value {
    Id,
    Local,
    Dev,
    Ttl,
    Tos,
    Ageing,
    MaxAddress,
    SrcPort,
    DstPort,
}

/// ip's keywords in its order of tests (the `no` forms of the switches first, as ip has
/// them).
#[rustfmt::skip] // one keyword a line: a table, not code
const KEYWORDS: [(&str, Spelling, Key); 32] = {
    use Key::*;
    use Spelling::Prefix;
    [
        ("noproxy", Prefix, Switch(PROXY, 0)),
        ("proxy", Prefix, Switch(PROXY, 1)),
        ("norsc", Prefix, Switch(RSC, 0)),
        ("rsc", Prefix, Switch(RSC, 1)),
        ("nol2miss", Prefix, Switch(L2MISS, 0)),
        ("l2miss", Prefix, Switch(L2MISS, 1)),
        ("nol3miss", Prefix, Switch(L3MISS, 0)),
        ("l3miss", Prefix, Switch(L3MISS, 1)),
        ("udpcsum", Prefix, Switch(UDP_CSUM, 1)),
        ("noudpcsum", Prefix, Switch(UDP_CSUM, 0)),
        ("udp6zerocsumtx", Prefix, Switch(ZERO_CSUM6_TX, 1)),
        ("noudp6zerocsumtx", Prefix, Switch(ZERO_CSUM6_TX, 0)),
        ("udp6zerocsumrx", Prefix, Switch(ZERO_CSUM6_RX, 1)),
        ("noudp6zerocsumrx", Prefix, Switch(ZERO_CSUM6_RX, 0)),
        ("id", Prefix, Valued(Value::Id)),
        ("vni", Prefix, Valued(Value::Id)),
        ("group", Prefix, Remote),
        ("remote", Prefix, Remote),
        ("local", Prefix, Valued(Value::Local)),
        ("dev", Prefix, Valued(Value::Dev)),
        ("ttl", Prefix, Valued(Value::Ttl)),
        ("hoplimit", Prefix, Valued(Value::Ttl)),
        ("tos", Prefix, Valued(Value::Tos)),
        ("dsfield", Prefix, Valued(Value::Tos)),
        ("ageing", Prefix, Valued(Value::Ageing)),
        ("maxaddress", Prefix, Valued(Value::MaxAddress)),
        ("port", Prefix, Valued(Value::SrcPort)),
        ("srcport", Prefix, Valued(Value::SrcPort)),
        ("dstport", Prefix, Valued(Value::DstPort)),
        ("nolearning", Prefix, Learning),
        ("learning", Prefix, Learning),
        ("external", Prefix, External),
    ]
};

/// The attribute a valued keyword sets and the name ip's duplicate check gives it.
fn attr_of(value: Value) -> (u16, &'static str) {
    match value {
        Value::Id => (ID, "id"),
        Value::Local => (LOCAL, "local"),
        Value::Dev => (LINK, "dev"),
        Value::Ttl => (TTL, "ttl"),
        Value::Tos => (TOS, "tos"),
        Value::Ageing => (AGEING, "ageing"),
        Value::MaxAddress => (LIMIT, "maxaddress"),
        Value::SrcPort => (PORT_RANGE, "srcport"),
        Value::DstPort => (PORT, "dstport"),
    }
}

const USAGE: &str = "Usage: ... vxlan id VNI
\t\t[ { group | remote } IP_ADDRESS ]
\t\t[ local ADDR ]
\t\t[ ttl TTL ]
\t\t[ tos TOS ]
\t\t[ df DF ]
\t\t[ flowlabel LABEL ]
\t\t[ dev PHYS_DEV ]
\t\t[ dstport PORT ]
\t\t[ srcport MIN MAX ]
\t\t[ [no]learning ]
\t\t[ [no]proxy ]
\t\t[ [no]rsc ]
\t\t[ [no]l2miss ]
\t\t[ [no]l3miss ]
\t\t[ ageing SECONDS ]
\t\t[ maxaddress NUMBER ]
\t\t[ [no]udpcsum ]
\t\t[ [no]udp6zerocsumtx ]
\t\t[ [no]udp6zerocsumrx ]
\t\t[ [no]remcsumtx ] [ [no]remcsumrx ]
\t\t[ [no]external ] [ gbp ] [ gpe ]
\t\t[ [no]vnifilter ]

Where:\tVNI\t:= 0-16777215
\tADDR\t:= { IP_ADDRESS | any }
\tTOS\t:= { NUMBER | inherit }
\tTTL\t:= { 1..255 | auto | inherit }
\tDF\t:= { unset | set | inherit }
\tLABEL := 0-1048575";

/// What ip prints when no `dstport` was given for a new device (and goes on).
const DSTPORT_WARNING: &str = "vxlan: destination port not specified
Will use Linux kernel default (non-standard value)
Use 'dstport 4789' to get the IANA assigned value
Use 'dstport 0' to get default and quiet this message";

/// What the loop collects besides the attributes it adds as it goes.
#[derive(Default)]
struct Words<'a> {
    data: KindData<'a>,
    given: Vec<u16>,
    vni: Option<u32>,
    local: Option<IpAddr>,
    remote: Option<IpAddr>,
    learning: Option<u8>,
    external: bool,
    dstport: Option<u16>,
}

impl<'a> Words<'a> {
    /// ip's `check_duparg`: each attribute once.
    fn first(&mut self, attr: u16, key: &str, value: &str) -> CliResult {
        if self.given.contains(&attr) {
            return Err(duparg2(key, value));
        }
        self.given.push(attr);
        Ok(())
    }

    /// One keyword and its value.
    fn word(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult {
        let Some(key) = keyword(word, &KEYWORDS) else {
            return Err(unknown_word("vxlan", "command", word, USAGE));
        };
        match key {
            Key::Switch(attr, v) => {
                self.first(attr, word, word)?;
                self.data.attrs.push(KindAttr::U8(attr, v));
            }
            Key::Learning => {
                self.first(LEARNING, word, word)?;
                self.learning = Some(u8::from(!word.starts_with("no")));
            }
            Key::External => {
                self.first(COLLECT_METADATA, word, word)?;
                self.external = true;
                self.data.attrs.push(KindAttr::U8(COLLECT_METADATA, 1));
            }
            Key::Remote => parse_remote(word, args, self)?,
            Key::Valued(value) => {
                let v = args.value()?;
                let (attr, name) = attr_of(value);
                self.first(attr, name, v)?;
                self.value(value, v, args)?;
            }
        }
        Ok(())
    }

    /// The value `v` of a keyword (a port range reads its second value here).
    fn value(&mut self, value: Value, v: &'a str, args: &mut Args<'a>) -> CliResult {
        let attr = match value {
            Value::Id => {
                let id = parse_u32(v).filter(|&n| n < 1 << 24);
                self.vni = Some(id.ok_or_else(|| invarg("invalid id", v))?);
                return Ok(());
            }
            Value::Local => {
                let addr = parse_address(v, self.remote)?;
                if addr.is_multicast() {
                    return Err(invarg("invalid local address", v));
                }
                self.local = Some(addr);
                return Ok(());
            }
            Value::Dev => {
                self.data.device = Some((self.data.attrs.len(), v, MissingDevice::CannotFind));
                KindAttr::U32(LINK, 0)
            }
            Value::Ttl => parse_ttl(v)?,
            Value::Tos => KindAttr::U8(TOS, parse_tos(v)?),
            Value::Ageing => KindAttr::U32(AGEING, number_or(v, "none", "ageing timer")?),
            Value::MaxAddress => KindAttr::U32(LIMIT, number_or(v, "unlimited", "max addresses")?),
            Value::SrcPort => {
                let low = parse_u16(v).ok_or_else(|| invarg("min port", v))?;
                let high = args.parsed(parse_u16, "max port")?;
                if low == 0 && high == 0 {
                    return Ok(());
                }
                KindAttr::Be16Pair(PORT_RANGE, low, high)
            }
            Value::DstPort => {
                self.dstport = Some(parse_u16(v).ok_or_else(|| invarg("dst port", v))?);
                return Ok(());
            }
        };
        self.data.attrs.push(attr);
        Ok(())
    }
}

/// A u32, or 0 for the word `zero` (`ageing none`, `maxaddress unlimited`).
fn number_or(v: &str, zero: &str, complaint: &str) -> CliResult<u32> {
    let n = if v == zero { Some(0) } else { parse_u32(v) };
    n.ok_or_else(|| invarg(complaint, v))
}

/// The data of `type vxlan WORDS`; `creating` for `add` (a `set` may leave out the id).
pub fn parse_vxlan<'a>(args: &mut Args<'a>, creating: bool) -> CliResult<KindData<'a>> {
    let mut w = Words::default();
    while let Some(word) = args.next() {
        w.word(word, args)?;
    }
    finish(w, creating)
}

/// `group ADDR` (multicast) or `remote ADDR` (unicast), and not both.
fn parse_remote(word: &str, args: &mut Args<'_>, w: &mut Words<'_>) -> CliResult {
    let group = matches(word, "group");
    if w.remote.is_some_and(|r| r.is_multicast() != group) {
        return Err(CliError::failed(
            "vxlan: both group and remote cannot be specified",
        ));
    }
    let v = args.value()?;
    w.first(GROUP, if group { "group" } else { "remote" }, v)?;
    let addr = parse_address(v, w.local)?;
    if addr.is_multicast() != group {
        let what = if group {
            "invalid group address"
        } else {
            "invalid remote address"
        };
        return Err(invarg(what, v));
    }
    w.remote = Some(addr);
    Ok(())
}

/// ip's `get_addr` in the family of the other address, if one was read.
fn parse_address(word: &str, other: Option<IpAddr>) -> CliResult<IpAddr> {
    let family = match other {
        Some(IpAddr::V4(_)) => libc::AF_INET as u8,
        Some(IpAddr::V6(_)) => libc::AF_INET6 as u8,
        None => libc::AF_UNSPEC as u8,
    };
    let prefix = address_or_err(word, family)?;
    prefix.addr.ok_or_else(|| invarg("invalid address", word))
}

fn parse_ttl(v: &str) -> CliResult<KindAttr<'static>> {
    match v {
        "inherit" => Ok(KindAttr::Flag(TTL_INHERIT)),
        "auto" => Ok(KindAttr::U8(TTL, 0)),
        _ => {
            let ttl = parse_u32(v).ok_or_else(|| invarg("invalid TTL", v))?;
            let ttl = u8::try_from(ttl).map_err(|_| invarg("TTL must be <= 255", v))?;
            Ok(KindAttr::U8(TTL, ttl))
        }
    }
}

/// `inherit` (1) or a DS field in hex as ip's `rtnl_dsfield_a2n` reads a number.
fn parse_tos(v: &str) -> CliResult<u8> {
    if v == "inherit" {
        return Ok(1);
    }
    parse_dsfield(v).ok_or_else(|| invarg("bad TOS value", v))
}

/// ip's checks after the loop, then the attributes it adds there.
fn finish(w: Words<'_>, creating: bool) -> CliResult<KindData<'_>> {
    let mut data = w.data;
    if w.external && w.vni.is_some() {
        return Err(CliError::failed(
            "vxlan: both 'external' and vni cannot be specified",
        ));
    }
    if !w.external && w.vni.is_none() && creating {
        return Err(CliError::failed(
            "vxlan: missing virtual network identifier",
        ));
    }
    if w.remote.is_some_and(|r| r.is_multicast()) && !w.given.contains(&LINK) {
        return Err(CliError::failed(
            "vxlan: 'group' requires 'dev' to be specified",
        ));
    }
    if w.dstport.is_none() && creating {
        data.warning = Some(DSTPORT_WARNING);
    }
    if let Some(vni) = w.vni {
        data.attrs.push(KindAttr::U32(ID, vni));
    }
    for (addr, v4, v6) in [(&w.local, LOCAL, LOCAL6), (&w.remote, GROUP, GROUP6)] {
        if let Some(addr) = *addr {
            let kind = if addr.is_ipv4() { v4 } else { v6 };
            data.attrs.push(KindAttr::Addr(kind, addr));
        }
    }
    // A new device has learning unless told otherwise (`external` turns it off).
    let learning = w.learning.unwrap_or(u8::from(!w.external));
    if creating || w.learning.is_some() {
        data.attrs.push(KindAttr::U8(LEARNING, learning));
    }
    if let Some(port) = w.dstport.filter(|&p| p != 0) {
        data.attrs.push(KindAttr::Be16(PORT, port));
    }
    Ok(data)
}
