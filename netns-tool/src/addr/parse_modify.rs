//! `ip address add|change|replace|del` words → a [`ModifyPlan`]: netlink-core's
//! [`AddressRequest`] in ip's attribute order, the device name, and ip's checks; no I/O.

use std::borrow::Cow;
use std::net::IpAddr;

use netlink_core::route::consts::*;
use netlink_core::route::{AddressArg, AddressRequest, Broadcast};

use super::usage;
use crate::toolbox::args::Spelling::Full;
use crate::toolbox::args::{
    duparg, duparg2, invarg, keyword, matches, parse_u32, word_bytes, Args, Spelling,
};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{address_or_err, family_words, prefix_or_err, Prefix};
use crate::toolbox::names::parse_scope;
use crate::toolbox::plan::Change;

/// What one command asks of the kernel.
#[derive(Debug)]
pub struct ModifyPlan<'a> {
    /// The command: an `RTM_NEWADDR` with ip's flags for `add`, `change` or `replace`, or
    /// `del`.
    pub command: Change,
    /// `dev NAME`, looked up when the plan runs.
    pub dev: &'a str,
    /// The request but its interface index, label and attribute order.
    pub request: AddressRequest<'a>,
    /// `label NAME`, as the exact bytes of the word.
    pub label: Option<Cow<'a, [u8]>>,
    /// The command-line order of the attributes ip adds as it reads them.
    pub order: Vec<AddressArg>,
    /// ip's warning for an IPv4 delete without a prefix length, printed before the lookup.
    pub warning: Option<String>,
    /// A refusal ip makes only once it found the device.
    pub after_lookup: Option<CliError>,
}

/// The words as ip's `ipaddr_modify` reads them, before it looks at what they mean
/// together.
#[derive(Default)]
struct Words<'a> {
    family: u8,
    dev: Option<&'a str>,
    local: Option<(Prefix, &'a str)>,
    peer: Option<Prefix>,
    broadcast: Option<Broadcast>,
    anycast: Option<IpAddr>,
    label: Option<&'a str>,
    metric: Option<u32>,
    scope: Option<u8>,
    valid: Option<u32>,
    preferred: Option<u32>,
    flags: u32,
    order: Vec<AddressArg>,
}

/// The keywords of an address change.
#[derive(Clone, Copy)]
enum Key {
    Peer,
    Broadcast,
    Anycast,
    Scope,
    Dev,
    Label,
    Metric,
    Valid,
    Preferred,
    /// A flag word: its `IFA_F_*` bit.
    Flag(u32),
}

/// ip's keywords of `ipaddr_modify` in its order of tests; any other word is the local
/// address.
const MODIFY_KEYS: [(&str, Spelling, Key); 18] = [
    ("peer", Full, Key::Peer),
    ("remote", Full, Key::Peer),
    ("broadcast", Spelling::Prefix, Key::Broadcast),
    ("brd", Full, Key::Broadcast),
    ("anycast", Full, Key::Anycast),
    ("scope", Full, Key::Scope),
    ("dev", Full, Key::Dev),
    ("label", Full, Key::Label),
    ("metric", Full, Key::Metric),
    ("priority", Full, Key::Metric),
    ("preference", Full, Key::Metric),
    ("valid_lft", Spelling::Prefix, Key::Valid),
    ("preferred_lft", Spelling::Prefix, Key::Preferred),
    ("home", Full, Key::Flag(IFA_F_HOMEADDRESS)),
    ("nodad", Full, Key::Flag(IFA_F_NODAD)),
    ("mngtmpaddr", Full, Key::Flag(IFA_F_MANAGETEMPADDR)),
    ("noprefixroute", Full, Key::Flag(IFA_F_NOPREFIXROUTE)),
    ("autojoin", Full, Key::Flag(IFA_F_MCAUTOJOIN)),
];

impl<'a> Words<'a> {
    fn note(&mut self, arg: AddressArg, family: u8) {
        if !self.order.contains(&arg) {
            self.order.push(arg);
        }
        if self.family == AF_UNSPEC {
            self.family = family;
        }
    }

    // Its own function, not inlined into the reading loop: the binary is smaller so.
    #[inline(never)]
    fn read(&mut self, args: &mut Args<'a>, word: &'a str) -> CliResult {
        let Some(key) = keyword(word, &MODIFY_KEYS) else {
            return self.read_local(args, word);
        };
        match key {
            Key::Peer => {
                let v = args.value()?;
                if self.peer.is_some() {
                    return Err(duparg("peer", v));
                }
                let p = prefix_or_err(v, self.family)?;
                self.note(AddressArg::Peer, p.family);
                self.peer = Some(p);
            }
            Key::Broadcast => {
                let v = args.value()?;
                if self.broadcast.is_some() {
                    return Err(duparg("broadcast", v));
                }
                self.broadcast = Some(match v {
                    "+" => Broadcast::HostBitsSet,
                    "-" => Broadcast::HostBitsClear,
                    _ => {
                        let (addr, family) = address(v, self.family)?;
                        self.note(AddressArg::Broadcast, family);
                        Broadcast::Address(addr)
                    }
                });
            }
            Key::Anycast => {
                let v = args.value()?;
                if self.anycast.is_some() {
                    return Err(duparg("anycast", v));
                }
                let (addr, family) = address(v, self.family)?;
                self.note(AddressArg::Anycast, family);
                self.anycast = Some(addr);
            }
            Key::Scope => self.scope = Some(args.parsed(parse_scope, "invalid scope value.")?),
            Key::Dev => self.dev = Some(args.value()?),
            Key::Label => {
                self.label = Some(args.value()?);
                self.note(AddressArg::Label, AF_UNSPEC);
            }
            Key::Metric => {
                self.metric = Some(args.parsed(parse_u32, "\"metric\" value is invalid\n")?);
                self.note(AddressArg::Metric, AF_UNSPEC);
            }
            Key::Valid => {
                if self.valid.is_some() {
                    return Err(duparg("valid_lft", word));
                }
                self.valid = Some(lifetime("valid_lft value", args.value()?)?);
            }
            Key::Preferred => {
                if self.preferred.is_some() {
                    return Err(duparg("preferred_lft", word));
                }
                self.preferred = Some(lifetime("preferred_lft value", args.value()?)?);
            }
            Key::Flag(flag) => self.flags |= flag,
        }
        Ok(())
    }

    fn read_local(&mut self, args: &mut Args<'a>, word: &'a str) -> CliResult {
        let v = if word == "local" { args.value()? } else { word };
        if matches(v, "help") {
            return Err(usage());
        }
        if self.local.is_some() {
            return Err(duparg2("local", v));
        }
        let p = prefix_or_err(v, self.family)?;
        self.note(AddressArg::Local, p.family);
        self.local = Some((p, v));
        Ok(())
    }
}

/// `get_addr`: an address and its family. `any` / `all` carry no address, and nothing in
/// an address command can use them.
fn address(word: &str, family: u8) -> CliResult<(IpAddr, u8)> {
    let p = address_or_err(word, family)?;
    match p.addr {
        Some(addr) => Ok((addr, p.family)),
        None => Err(CliError::failed(format!(
            "Error: {} address is expected rather than \"{word}\".",
            family_words(family)
        ))),
    }
}

/// `forever` or a number of seconds.
fn lifetime(what: &str, value: &str) -> CliResult<u32> {
    if value == "forever" {
        return Ok(u32::MAX);
    }
    parse_u32(value).ok_or_else(|| invarg(what, value))
}

/// ip's `ipaddr_modify` up to its device lookup. `family` is the global `-4` / `-6`.
pub fn parse_modify<'a>(
    args: &mut Args<'a>,
    family: u8,
    command: Change,
) -> CliResult<ModifyPlan<'a>> {
    let mut w = Words {
        family,
        ..Words::default()
    };
    while let Some(word) = args.next() {
        w.read(args, word)?;
    }
    let Some(dev) = w.dev else {
        return Err(CliError::failed(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let delete = command == Change::Delete;
    let local = w.local.map(|(p, _)| p);
    let mut warning = None;
    let mut omit_address = false;
    if let (None, Some((p, text))) = (w.peer, w.local) {
        if delete && p.family == AF_INET && !p.len_given {
            warning = Some(wildcard_warning(text, p.bitlen));
            omit_address = true;
        }
    }
    let prefix_len = match w.peer.map_or(0, |p| p.bitlen) {
        0 => local.map_or(0, |p| p.bitlen),
        len => len,
    };
    let computed = matches!(
        w.broadcast,
        Some(Broadcast::HostBitsSet | Broadcast::HostBitsClear)
    );
    if computed && !delete && w.family != AF_INET {
        return Err(CliError::failed(
            "Broadcast can be set only for IPv4 addresses",
        ));
    }
    let scope = match (w.scope, delete) {
        (Some(s), _) => s,
        (None, true) => 0,
        (None, false) => default_scope(local),
    };
    let request = AddressRequest {
        family: w.family,
        prefix_len,
        scope,
        flags: w.flags,
        local: local.and_then(|p| p.addr),
        peer: w.peer.and_then(|p| p.addr),
        omit_address,
        broadcast: w.broadcast,
        anycast: w.anycast,
        metric: w.metric,
        lifetimes: None,
        ..AddressRequest::default()
    };
    let (request, after_lookup) = checks_after_lookup(request, &w, local);
    Ok(ModifyPlan {
        command,
        dev,
        request,
        label: w.label.map(word_bytes),
        order: w.order,
        warning,
        after_lookup,
    })
}

/// ip's loopback default: `127.x` addresses get host scope.
fn default_scope(local: Option<Prefix>) -> u8 {
    match local.and_then(|p| p.addr) {
        Some(IpAddr::V4(a)) if a.octets()[0] == 127 => RT_SCOPE_HOST,
        _ => RT_SCOPE_UNIVERSE,
    }
}

/// The lifetimes and `autojoin` checks, which ip makes after the device lookup.
fn checks_after_lookup<'a>(
    mut request: AddressRequest<'a>,
    w: &Words<'_>,
    local: Option<Prefix>,
) -> (AddressRequest<'a>, Option<CliError>) {
    if w.valid.is_some() || w.preferred.is_some() {
        let valid = w.valid.unwrap_or(u32::MAX);
        let preferred = w.preferred.unwrap_or(u32::MAX);
        if valid == 0 {
            return (request, Some(CliError::failed("valid_lft is zero")));
        }
        if valid < preferred {
            let e = CliError::failed("preferred_lft is greater than valid_lft");
            return (request, Some(e));
        }
        request.lifetimes = Some((valid, preferred));
    }
    let multicast = local.and_then(|p| p.addr).is_some_and(|a| a.is_multicast());
    if w.flags & IFA_F_MCAUTOJOIN != 0 && !multicast {
        let e = CliError::failed("autojoin needs multicast address");
        return (request, Some(e));
    }
    (request, None)
}

fn wildcard_warning(local: &str, bits: u8) -> String {
    format!(
        "Warning: Executing wildcard deletion to stay compatible with old scripts.\n         \
         Explicitly specify the prefix length ({local}/{bits}) to avoid this warning.\n         \
         This special behaviour is likely to disappear in further releases,\n         \
         fix your scripts!"
    )
}

#[cfg(test)]
#[path = "parse_modify_tests.rs"]
mod tests;
