//! The words of `ip rule` commands into plans, as ip 6.1 reads them.

use netlink_core::route::consts::*;
use netlink_core::route::{RuleAttr, RuleRequest};

use super::usage;
use crate::show::rule::RuleFilter;
use crate::toolbox::args::{invarg, matches, parse_c_int, parse_u32, word_bytes, Args, C_SPACE};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{address_or_err, prefix_or_err};
use crate::toolbox::ipproto::parse_ip_proto;
use crate::toolbox::names::{
    parse_dsfield, parse_group, parse_protocol, parse_realms, parse_route_type, parse_table,
};

/// An attribute of the request: a value, or an interface name kept as the word it was
/// (its exact bytes are taken when the request is built).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAttr<'a> {
    /// Any attribute but a name.
    Value(RuleAttr<'static>),
    /// `iif NAME`.
    Iif(&'a str),
    /// `oif NAME`.
    Oif(&'a str),
}

/// `add` / `delete`: the header's fields and the attributes in command-line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyPlan<'a> {
    /// `RTM_NEWRULE` or `RTM_DELRULE`.
    pub ty: u16,
    /// The request's header fields (`action` may be a route type); its `attrs` stay empty,
    /// the plan's own are sent, their names resolved to bytes then.
    pub header: RuleRequest<'static>,
    /// The attributes, in order.
    pub attrs: Vec<PlanAttr<'a>>,
    /// `Warning: ...` lines ip prints before sending.
    pub warnings: String,
}

/// C's `sscanf("%u")` on the front of `s`: blanks, a sign, decimal digits (at least one);
/// the value wraps as C's does, saturating past `u64`.
fn scan_decimal(s: &str) -> Option<(u64, &str)> {
    let s = s.trim_start_matches(C_SPACE);
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let digits = s.get(..end).filter(|d| !d.is_empty())?;
    let value = digits.parse::<u64>().unwrap_or(u64::MAX);
    let value = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value, s.get(end..).unwrap_or_default()))
}

/// `sscanf(word, "%u-%u")`: the numbers it read (one or both), truncated to `T`.
fn scan_range<T: TryFrom<u64>>(word: &str, mask: u64) -> (Option<T>, Option<T>) {
    let narrow = |v: u64| T::try_from(v & mask).ok();
    let Some((first, rest)) = scan_decimal(word) else {
        return (None, None);
    };
    let second = rest
        .strip_prefix('-')
        .and_then(scan_decimal)
        .and_then(|(v, _)| narrow(v));
    (narrow(first), second)
}

/// `uidrange A-B`.
pub fn parse_uid_range(word: &str) -> CliResult<(u32, u32)> {
    match scan_range::<u32>(word, u64::from(u32::MAX)) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(invarg("invalid UID range\n", word)),
    }
}

/// `sport|dport A[-B]`.
pub fn parse_port_range(word: &str) -> CliResult<(u16, u16)> {
    match scan_range::<u16>(word, u64::from(u16::MAX)) {
        (Some(a), Some(b)) => Ok((a, b)),
        (Some(a), None) => Ok((a, a)),
        _ => Err(invarg("invalid port range\n", word)),
    }
}

/// ip's `check_ifname`: a name the kernel could hold.
fn valid_ifname(word: &str) -> bool {
    let bytes = word_bytes(word);
    !bytes.is_empty()
        && bytes.len() < 16
        && !bytes.iter().any(|b| *b == b'/' || b.is_ascii_whitespace())
}

/// `fwmark MARK[/MASK]` as two numbers.
pub fn parse_fwmark(word: &str) -> CliResult<(u32, Option<u32>)> {
    let (mark, mask) = match word.split_once('/') {
        Some((m, k)) => (m, Some(k)),
        None => (word, None),
    };
    let mark = parse_u32(mark).ok_or_else(|| invarg("fwmark value is invalid\n", mark))?;
    let mask = match mask {
        Some(k) => Some(parse_u32(k).ok_or_else(|| invarg("fwmask value is invalid\n", k))?),
        None => None,
    };
    Ok((mark, mask))
}

/// Reads `ip rule add|del`'s words.
pub fn parse_modify<'a>(family: u8, args: &mut Args<'a>, ty: u16) -> CliResult<ModifyPlan<'a>> {
    if args.is_empty() {
        let verb = if ty == RTM_NEWRULE { "add" } else { "del" };
        return Err(CliError::failed(format!(
            "\"ip rule {verb}\" requires arguments."
        )));
    }
    let action = if ty == RTM_NEWRULE {
        FR_ACT_TO_TBL
    } else {
        FR_ACT_UNSPEC
    };
    let mut reader = ModifyReader {
        plan: ModifyPlan {
            ty,
            header: RuleRequest {
                family,
                action,
                ..RuleRequest::default()
            },
            attrs: Vec::new(),
            warnings: String::new(),
        },
        table: 0,
        table_given: false,
        l3mdev: false,
    };
    while let Some(word) = args.next() {
        reader.word(word, args)?;
    }
    let ModifyReader { mut plan, .. } = reader;
    if reader.l3mdev && reader.table != 0 {
        return Err(CliError::failed_with(
            22,
            "table can not be specified for l3mdev rules",
        ));
    }
    if plan.header.family == AF_UNSPEC {
        plan.header.family = AF_INET;
    }
    if !reader.table_given && ty == RTM_NEWRULE {
        plan.header.table = RT_TABLE_MAIN;
    }
    Ok(plan)
}

/// The plan being read, and what the words said so far that ip checks at the end.
struct ModifyReader<'a> {
    plan: ModifyPlan<'a>,
    table: u32,
    table_given: bool,
    l3mdev: bool,
}

/// The name after `dev`/`iif`/`oif`, refused in ip's words when no interface could have it.
fn ifname_value<'a>(word: &str, args: &mut Args<'a>) -> CliResult<&'a str> {
    let v = args.value()?;
    if !valid_ifname(v) {
        let what = if word == "oif" {
            "\"oif\""
        } else {
            "\"iif\"/\"dev\""
        };
        return Err(invarg(&format!("{what} not a valid ifname"), v));
    }
    Ok(v)
}

impl<'a> ModifyReader<'a> {
    fn push(&mut self, attr: RuleAttr<'static>) {
        self.plan.attrs.push(PlanAttr::Value(attr));
    }

    /// One keyword of `add`/`del` and its value, in ip's order of tests.
    fn word(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult {
        let header = &mut self.plan.header;
        match word {
            "not" => header.flags |= FIB_RULE_INVERT,
            "from" | "to" => {
                let p = prefix_or_err(args.value()?, header.family)?;
                if word == "from" {
                    header.src_len = p.bitlen;
                    self.push(RuleAttr::Src(p.addr));
                } else {
                    header.dst_len = p.bitlen;
                    self.push(RuleAttr::Dst(p.addr));
                }
            }
            w if matches(w, "preference") || matches(w, "order") || matches(w, "priority") => {
                let v = args.value()?;
                let pref =
                    parse_u32(v).ok_or_else(|| invarg("preference value is invalid\n", v))?;
                self.push(RuleAttr::Priority(pref));
            }
            w if w == "tos" || matches(w, "dsfield") => {
                let v = args.value()?;
                header.tos = parse_dsfield(v).ok_or_else(|| invarg("TOS value is invalid\n", v))?;
            }
            "fwmark" => {
                let (mark, mask) = parse_fwmark(args.value()?)?;
                self.push(RuleAttr::FwMark(mark));
                if let Some(mask) = mask {
                    self.push(RuleAttr::FwMask(mask));
                }
            }
            w if matches(w, "realms") => {
                let v = args.value()?;
                let realms = parse_realms(v).ok_or_else(|| invarg("invalid realms\n", v))?;
                self.push(RuleAttr::Flow(realms));
            }
            w if matches(w, "protocol") => {
                let v = args.value()?;
                let p = parse_protocol(v)
                    .ok_or_else(|| invarg("\"protocol\" value is invalid\n", v))?;
                self.push(RuleAttr::Protocol(p));
            }
            w if matches(w, "tun_id") => {
                let v = args.value()?;
                let id = crate::toolbox::args::strtoul(v)
                    .filter(|(_, rest)| rest.is_empty())
                    .ok_or_else(|| invarg("\"tun_id\" value is invalid\n", v))?;
                self.push(RuleAttr::TunId(id.0));
            }
            w if matches(w, "table") || w == "lookup" => {
                let v = args.value()?;
                let table = parse_table(v).ok_or_else(|| invarg("invalid table ID\n", v))?;
                match u8::try_from(table) {
                    Ok(t) => header.table = t,
                    Err(_) => {
                        header.table = RT_TABLE_UNSPEC;
                        self.push(RuleAttr::Table(table));
                    }
                }
                self.table = table;
                self.table_given = true;
            }
            _ => return self.word_after_table(word, args),
        }
        Ok(())
    }

    /// The keywords of `add`/`del` after `table`, and the action.
    fn word_after_table(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult {
        match word {
            w if matches(w, "suppress_prefixlength") || w == "sup_pl" => {
                let v = args.value()?;
                let pl = parse_c_int(v)
                    .filter(|&pl| pl >= 0)
                    .ok_or_else(|| invarg("suppress_prefixlength value is invalid\n", v))?;
                self.push(RuleAttr::SuppressPrefixLen(pl as u32));
            }
            w if matches(w, "suppress_ifgroup") || w == "sup_group" => {
                let v = args.value()?;
                let g = parse_group(v)
                    .ok_or_else(|| invarg("Invalid \"suppress_ifgroup\" value\n", v))?;
                self.push(RuleAttr::SuppressIfGroup(g));
            }
            "dev" | "iif" | "oif" => {
                let v = ifname_value(word, args)?;
                self.plan.attrs.push(if word == "oif" {
                    PlanAttr::Oif(v)
                } else {
                    PlanAttr::Iif(v)
                });
            }
            "l3mdev" => {
                self.push(RuleAttr::L3mdev(1));
                self.table_given = true;
                self.l3mdev = true;
            }
            "uidrange" => {
                let (start, end) = parse_uid_range(args.value()?)?;
                self.push(RuleAttr::UidRange(start, end));
            }
            w if w == "nat" || matches(w, "map-to") => self.nat(args.value()?)?,
            "ipproto" => {
                let v = args.value()?;
                let p =
                    parse_ip_proto(v).ok_or_else(|| invarg("Invalid \"ipproto\" value\n", v))?;
                self.push(RuleAttr::IpProto(p));
            }
            "sport" | "dport" => {
                let (start, end) = parse_port_range(args.value()?)?;
                self.push(if word == "sport" {
                    RuleAttr::SportRange(start, end)
                } else {
                    RuleAttr::DportRange(start, end)
                });
            }
            mut w => {
                if w == "type" {
                    w = args.value()?;
                }
                self.plan.header.action = self.action(w, args)?;
                self.table_given = true;
            }
        }
        Ok(())
    }

    /// `nat ADDRESS` (deprecated: ip warns, and sends it all the same).
    fn nat(&mut self, word: &str) -> CliResult {
        self.plan
            .warnings
            .push_str("Warning: route NAT is deprecated\n");
        let gw = match address_or_err(word, AF_INET)?.addr {
            Some(core::net::IpAddr::V4(a)) => a,
            _ => return Err(invarg("invalid nat address\n", word)),
        };
        self.push(RuleAttr::NatGateway(gw));
        self.plan.header.action = RTN_NAT;
        Ok(())
    }

    /// The action word: `goto N`, `nop`, or a route type (`blackhole`, `unreachable`, ...).
    fn action(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult<u8> {
        if matches(word, "help") {
            return Err(usage());
        }
        if matches(word, "goto") {
            let v = args.value()?;
            let target = parse_u32(v).ok_or_else(|| invarg("invalid target\n", v))?;
            self.push(RuleAttr::Goto(target));
            return Ok(FR_ACT_GOTO);
        }
        if matches(word, "nop") {
            return Ok(FR_ACT_NOP);
        }
        parse_route_type(word).ok_or_else(|| invarg("Failed to parse rule type", word))
    }
}

/// Reads `ip rule show|flush`'s selectors (`family` from `-4`/`-6`; prefixes are read as
/// IPv4 without one, as ip reads them).
pub fn parse_filter(family: u8, args: &mut Args<'_>) -> CliResult<RuleFilter> {
    let prefix_family = if family == AF_UNSPEC { AF_INET } else { family };
    let mut f = RuleFilter {
        family,
        ..RuleFilter::default()
    };
    while let Some(word) = args.next() {
        match word {
            w if matches(w, "preference") || matches(w, "order") || matches(w, "priority") => {
                let v = args.value()?;
                f.pref =
                    Some(parse_u32(v).ok_or_else(|| invarg("preference value is invalid\n", v))?);
            }
            "not" => f.not = true,
            "tos" => {
                let v = args.value()?;
                f.tos = Some(parse_dsfield(v).ok_or_else(|| invarg("TOS value is invalid\n", v))?);
            }
            "fwmark" => {
                let (mark, mask) = parse_fwmark(args.value()?)?;
                f.fwmark = mark;
                f.fwmask = mask.unwrap_or(f.fwmask);
            }
            "dev" | "iif" | "oif" => {
                let v = ifname_value(word, args)?;
                let name = Some(word_bytes(v).into_owned());
                if word == "oif" {
                    f.oif = name
                } else {
                    f.iif = name
                }
            }
            "l3mdev" => f.l3mdev = true,
            "uidrange" => f.uid_range = Some(parse_uid_range(args.value()?)?),
            "ipproto" => {
                let v = args.value()?;
                f.ip_proto = Some(
                    parse_ip_proto(v).ok_or_else(|| invarg("Invalid \"ipproto\" value\n", v))?,
                );
            }
            "sport" => f.sport = Some(parse_port_range(args.value()?)?),
            "dport" => f.dport = Some(parse_port_range(args.value()?)?),
            w if w == "lookup" || matches(w, "table") => {
                let v = args.value()?;
                f.table = parse_table(v).ok_or_else(|| invarg("table id value is invalid\n", v))?;
            }
            w if matches(w, "from") || matches(w, "src") => {
                f.src = Some(prefix_or_err(args.value()?, prefix_family)?);
            }
            w if matches(w, "protocol") => {
                let v = args.value()?;
                f.protocol = match parse_protocol(v) {
                    Some(p) => Some(p),
                    None if v == "all" => None,
                    None => return Err(invarg("invalid \"protocol\"\n", v)),
                };
            }
            mut w => {
                if matches(w, "dst") || matches(w, "to") {
                    w = args.value()?;
                }
                f.dst = Some(prefix_or_err(w, prefix_family)?);
            }
        }
    }
    Ok(f)
}
