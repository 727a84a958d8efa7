//! The words of `ip neigh` commands into plans, as ip 6.1 reads them.

use std::net::IpAddr;

use netlink_core::route::consts::*;

use super::usage;
use crate::toolbox::args::Spelling::Full;
use crate::toolbox::args::{
    duparg, duparg2, invarg, keyword, matches, parse_u32, Args, Spelling, C_SPACE,
};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{address_or_err, prefix_adopting_family, Prefix};
use crate::toolbox::names::parse_protocol;
use crate::toolbox::plan::Change;

/// ip reads at most this many octets of a link-layer address (its buffer's size).
const LLADDR_MAX: usize = 20;

/// `add`/`change`/`replace`/`delete`: the request, less the device's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyPlan<'a> {
    /// An `RTM_NEWNEIGH` with its `NLM_F_CREATE` / `NLM_F_EXCL` / `NLM_F_REPLACE`, or an
    /// `RTM_DELNEIGH`.
    pub change: Change,
    /// `dev DEV`.
    pub dev: &'a str,
    /// The neighbour's address.
    pub dst: IpAddr,
    /// `lladdr LLADDR` (`null`: none sent).
    pub lladdr: Option<Vec<u8>>,
    /// `nud STATE` (ip's default: permanent).
    pub state: u16,
    /// `NTF_*`: proxy, router, use, extern_learn.
    pub ntf: u8,
    /// `protocol PROTO`.
    pub protocol: Option<u8>,
    /// `managed`.
    pub flags_ext: Option<u32>,
}

/// ip's state names in its order of tests (`nud_state_a2n`).
const NUD_STATES: [(&str, Spelling, u16); 9] = [
    ("permanent", Spelling::Prefix, NUD_PERMANENT),
    ("reachable", Spelling::Prefix, NUD_REACHABLE),
    ("noarp", Full, NUD_NOARP),
    ("none", Full, NUD_NONE),
    ("stale", Full, NUD_STALE),
    ("incomplete", Full, NUD_INCOMPLETE),
    ("delay", Full, NUD_DELAY),
    ("probe", Full, NUD_PROBE),
    ("failed", Spelling::Prefix, NUD_FAILED),
];

/// ip's `nud_state_a2n`: a state name, or a number that is one state bit (or 0).
pub fn nud_state(word: &str) -> Option<u16> {
    if let Some(state) = keyword(word, &NUD_STATES) {
        return Some(state);
    }
    let n = parse_u32(word)?;
    if n >= 0x100 || n & n.wrapping_sub(1) != 0 {
        return None;
    }
    u16::try_from(n).ok()
}

/// One octet as C's `sscanf("%x")` reads it: blanks, an optional `0x`, hex digits, and
/// whatever follows ignored.
fn hex_octet(piece: &str) -> Option<u8> {
    let s = piece.trim_start_matches(C_SPACE);
    let s = s.strip_prefix('+').unwrap_or(s);
    let digits = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .filter(|r| r.starts_with(|c: char| c.is_ascii_hexdigit()))
        .unwrap_or(s);
    let mut value = None::<u32>;
    for digit in digits.chars().map_while(|c| c.to_digit(16)) {
        value = Some(value.unwrap_or(0).saturating_mul(16).saturating_add(digit));
    }
    u8::try_from(value?).ok()
}

/// ip's `ll_addr_a2n`: `aa:bb:...` (or a dotted IPv4 address), with its error naming the
/// piece it could not read (exit 1).
pub fn parse_lladdr(word: &str) -> CliResult<Vec<u8>> {
    let invalid = |piece: &str| CliError::failed(format!("\"{piece}\" is invalid lladdr."));
    if word.contains('.') {
        return match address_or_err(word, AF_INET).ok().and_then(|p| p.addr) {
            Some(IpAddr::V4(a)) => Ok(a.octets().to_vec()),
            _ => Err(invalid(word)),
        };
    }
    let mut bytes = Vec::new();
    for piece in word.split(':').take(LLADDR_MAX) {
        bytes.push(hex_octet(piece).ok_or_else(|| invalid(piece))?);
    }
    Ok(bytes)
}

fn read_address(word: &str, family: u8) -> CliResult<IpAddr> {
    let p = address_or_err(word, family)?;
    p.addr.ok_or_else(required)
}

/// `proxy ADDR` of a change: the address, read once.
fn read_proxy(args: &mut Args<'_>, have_dst: bool, family: u8) -> CliResult<IpAddr> {
    let value = args.value()?;
    if matches(value, "help") {
        return Err(usage());
    }
    if have_dst {
        return Err(duparg("address", value));
    }
    read_address(value, family)
}

/// `[to] ADDR` of a change (ip skips a `help` there as a word of its own).
fn read_to<'a>(
    word: &'a str,
    args: &mut Args<'a>,
    have_dst: bool,
    family: u8,
) -> CliResult<IpAddr> {
    let mut word = args.after_optional(word, "to")?;
    if matches(word, "help") {
        word = args.value()?;
    }
    if have_dst {
        return Err(duparg2("to", word));
    }
    read_address(word, family)
}

fn required() -> CliError {
    CliError::usage("Device and destination are required arguments.")
}

/// The keywords of a neighbour change.
#[derive(Clone, Copy)]
enum Key {
    Lladdr,
    Nud,
    Proxy,
    /// A flag word: its `NTF_*` bit.
    Ntf(u8),
    Managed,
    Dev,
    Protocol,
}

/// ip's keywords of `ipneigh_modify` in its order of tests; any other word is the address.
const MODIFY_KEYS: [(&str, Spelling, Key); 9] = [
    ("lladdr", Spelling::Prefix, Key::Lladdr),
    ("nud", Full, Key::Nud),
    ("proxy", Spelling::Prefix, Key::Proxy),
    ("router", Full, Key::Ntf(NTF_ROUTER)),
    ("use", Full, Key::Ntf(NTF_USE)),
    ("managed", Full, Key::Managed),
    ("extern_learn", Spelling::Prefix, Key::Ntf(NTF_EXT_LEARNED)),
    ("dev", Full, Key::Dev),
    ("protocol", Spelling::Prefix, Key::Protocol),
];

/// Reads `ip neigh add|del|change|replace`'s words.
pub fn parse_modify<'a>(
    family: u8,
    args: &mut Args<'a>,
    change: Change,
) -> CliResult<ModifyPlan<'a>> {
    let mut dev = None;
    let mut dst = None;
    let mut lladdr_word: Option<&str> = None;
    let mut nud_given = false;
    let mut plan = ModifyPlan {
        change,
        dev: "",
        dst: IpAddr::from([0u8; 4]),
        lladdr: None,
        state: NUD_PERMANENT,
        ntf: 0,
        protocol: None,
        flags_ext: None,
    };
    while let Some(word) = args.next() {
        let Some(key) = keyword(word, &MODIFY_KEYS) else {
            dst = Some(read_to(word, args, dst.is_some(), family)?);
            continue;
        };
        match key {
            Key::Lladdr => {
                let value = args.value()?;
                if lladdr_word.is_some() {
                    return Err(duparg("lladdr", value));
                }
                lladdr_word = Some(value);
            }
            Key::Nud => {
                plan.state = args.parsed(nud_state, "nud state is bad")?;
                nud_given = true;
            }
            Key::Proxy => {
                dst = Some(read_proxy(args, dst.is_some(), family)?);
                plan.ntf |= NTF_PROXY;
            }
            Key::Ntf(flag) => plan.ntf |= flag,
            Key::Managed => plan.flags_ext = Some(plan.flags_ext.unwrap_or(0) | NTF_EXT_MANAGED),
            Key::Dev => dev = Some(args.value()?),
            Key::Protocol => {
                plan.protocol =
                    Some(args.parsed(parse_protocol, "\"protocol\" value is invalid\n")?);
            }
        }
    }
    let (Some(dev), Some(dst)) = (dev, dst) else {
        return Err(required());
    };
    plan.dev = dev;
    plan.dst = dst;
    // A managed entry is resolved by the kernel itself: ip asks for no state.
    if plan.flags_ext.is_some() && !nud_given {
        plan.state = NUD_NONE;
    }
    if let Some(word) = lladdr_word.filter(|&w| w != "null") {
        plan.lladdr = Some(parse_lladdr(word)?);
    }
    Ok(plan)
}

/// Which entries of which kind `show` / `flush` want.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPlan<'a> {
    /// `AF_*` (from `-4`/`-6` or the `to` prefix).
    pub family: u8,
    /// `dev DEV`.
    pub dev: Option<&'a str>,
    /// `master DEV`.
    pub master: Option<&'a str>,
    /// `nomaster`.
    pub nomaster: bool,
    /// ip's `filter.state`.
    pub state: u32,
    /// `to PREFIX`.
    pub prefix: Option<Prefix>,
    /// `proxy`: the proxy entries instead.
    pub proxy: bool,
    /// `protocol P` (0: any).
    pub protocol: u8,
    /// `unused`.
    pub unused_only: bool,
}

/// The keywords of `show` / `flush`.
#[derive(Clone, Copy)]
enum Selector {
    Dev,
    Master,
    Vrf,
    NoMaster,
    Unused,
    Nud,
    Proxy,
    Protocol,
}

/// ip's keywords of `do_show_or_flush` in its order of tests; any other word is the prefix.
const FILTER_KEYS: [(&str, Spelling, Selector); 8] = [
    ("dev", Full, Selector::Dev),
    ("master", Full, Selector::Master),
    ("vrf", Full, Selector::Vrf),
    ("nomaster", Full, Selector::NoMaster),
    ("unused", Full, Selector::Unused),
    ("nud", Full, Selector::Nud),
    ("proxy", Full, Selector::Proxy),
    ("protocol", Spelling::Prefix, Selector::Protocol),
];

/// Reads `ip neigh show|flush`'s selectors.
pub fn parse_filter<'a>(family: u8, flush: bool, args: &mut Args<'a>) -> CliResult<FilterPlan<'a>> {
    let mut plan = FilterPlan {
        family,
        dev: None,
        master: None,
        nomaster: false,
        state: if flush {
            !u32::from(NUD_PERMANENT | NUD_NOARP)
        } else {
            0xff & !u32::from(NUD_NOARP)
        },
        prefix: None,
        proxy: false,
        protocol: 0,
        unused_only: false,
    };
    let mut state_given = false;
    while let Some(word) = args.next() {
        let Some(key) = keyword(word, &FILTER_KEYS) else {
            let w = args.after_optional(word, "to")?;
            if matches(w, "help") {
                return Err(usage());
            }
            plan.prefix = Some(prefix_adopting_family(w, &mut plan.family)?);
            continue;
        };
        match key {
            Selector::Dev => {
                let value = args.value()?;
                if plan.dev.is_some() {
                    return Err(duparg("dev", value));
                }
                plan.dev = Some(value);
            }
            Selector::Master => plan.master = Some(args.value()?),
            Selector::Vrf => {
                let value = args.value()?;
                return Err(invarg("Not a valid VRF name\n", value));
            }
            Selector::NoMaster => plan.nomaster = true,
            Selector::Unused => plan.unused_only = true,
            Selector::Nud => {
                let value = args.value()?;
                if !state_given {
                    state_given = true;
                    plan.state = 0;
                }
                plan.state |= filter_state(value, flush)?;
            }
            Selector::Proxy => plan.proxy = true,
            Selector::Protocol => {
                let value = args.value()?;
                plan.protocol = match parse_protocol(value) {
                    Some(p) => p,
                    None if value == "all" => 0,
                    None => return Err(invarg("invalid \"protocol\"\n", value)),
                };
            }
        }
    }
    Ok(plan)
}

fn filter_state(value: &str, flush: bool) -> CliResult<u32> {
    let state = match nud_state(value) {
        Some(s) => u32::from(s),
        None if value == "all" => {
            if flush {
                !u32::from(NUD_NOARP)
            } else {
                u32::MAX
            }
        }
        None => return Err(invarg("nud state is bad", value)),
    };
    Ok(if state == 0 { 0x100 } else { state })
}

/// `get ADDR dev DEV` (or `proxy ADDR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetPlan<'a> {
    /// `dev DEV`.
    pub dev: &'a str,
    /// The address asked about.
    pub dst: IpAddr,
    /// `proxy`.
    pub proxy: bool,
}

/// Reads `ip neigh get`'s words.
pub fn parse_get<'a>(family: u8, args: &mut Args<'a>) -> CliResult<GetPlan<'a>> {
    let mut dev = None;
    let mut dst = None;
    let mut proxy = false;
    while let Some(word) = args.next() {
        match word {
            "dev" => dev = Some(args.value()?),
            w if matches(w, "proxy") => {
                let value = args.value()?;
                if matches(value, "help") {
                    return Err(usage());
                }
                if dst.is_some() {
                    return Err(duparg("address", value));
                }
                dst = Some(address_or_err(value, family)?.addr);
                proxy = true;
            }
            w => {
                let w = args.after_optional(w, "to")?;
                if matches(w, "help") {
                    return Err(usage());
                }
                if dst.is_some() {
                    return Err(duparg2("to", w));
                }
                dst = Some(address_or_err(w, family)?.addr);
            }
        }
    }
    match (dev, dst.flatten()) {
        (Some(dev), Some(dst)) => Ok(GetPlan { dev, dst, proxy }),
        _ => Err(CliError::failed(
            "Device and address are required arguments.",
        )),
    }
}
