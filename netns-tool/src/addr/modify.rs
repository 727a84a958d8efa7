//! `ip address add|change|replace|del` (temporary: moved as it was).
#![allow(missing_docs)]
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::*;
use netlink_core::wire::Builder;

use super::usage;
use crate::toolbox::args::{duparg, duparg2, invarg, matches, Args, Globals};
use crate::toolbox::args::{parse_u32, strtoul};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::names::parse_scope;
use crate::toolbox::session::Session;

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
pub fn modify(
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
