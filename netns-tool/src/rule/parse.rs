//! The words of `ip rule` commands into plans, as ip 6.1 reads them.

use netlink_core::route::consts::*;
use netlink_core::route::{RuleAttr, RuleRequest};

use super::usage;
use crate::show::rule::RuleFilter;
use crate::toolbox::args::Spelling::{Full, Prefix};
use crate::toolbox::args::{
    invarg, keyword, matches, parse_c_int, parse_u32, strtoul, word_bytes, Args, Spelling, C_SPACE,
};
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
    let digits = s.bytes().take_while(u8::is_ascii_digit);
    let len = digits.clone().count();
    if len == 0 {
        return None;
    }
    let value = digits.fold(0u64, |value, digit| {
        value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(digit - b'0')))
            .unwrap_or(u64::MAX)
    });
    let value = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value, s.get(len..).unwrap_or_default()))
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
        return Err(CliError::failed(if ty == RTM_NEWRULE {
            "\"ip rule add\" requires arguments."
        } else {
            "\"ip rule del\" requires arguments."
        }));
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
fn ifname_value<'a>(key: Key, args: &mut Args<'a>) -> CliResult<&'a str> {
    let v = args.value()?;
    if !valid_ifname(v) {
        let what = if key == Key::Oif {
            "\"oif\" not a valid ifname"
        } else {
            "\"iif\"/\"dev\" not a valid ifname"
        };
        return Err(invarg(what, v));
    }
    Ok(v)
}

/// The selector and action keywords of `ip rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Not,
    From,
    To,
    Pref,
    Tos,
    FwMark,
    Realms,
    Protocol,
    TunId,
    Table,
    SuppressPrefixLen,
    SuppressIfGroup,
    Iif,
    Oif,
    L3mdev,
    UidRange,
    Nat,
    IpProto,
    Sport,
    Dport,
}

/// `add`/`del`'s keywords in ip's order of tests; any other word is the action.
const MODIFY_KEYS: [(&str, Spelling, Key); 28] = [
    ("not", Full, Key::Not),
    ("from", Full, Key::From),
    ("to", Full, Key::To),
    ("preference", Prefix, Key::Pref),
    ("order", Prefix, Key::Pref),
    ("priority", Prefix, Key::Pref),
    ("tos", Full, Key::Tos),
    ("dsfield", Prefix, Key::Tos),
    ("fwmark", Full, Key::FwMark),
    ("realms", Prefix, Key::Realms),
    ("protocol", Prefix, Key::Protocol),
    ("tun_id", Prefix, Key::TunId),
    ("table", Prefix, Key::Table),
    ("lookup", Full, Key::Table),
    ("suppress_prefixlength", Prefix, Key::SuppressPrefixLen),
    ("sup_pl", Full, Key::SuppressPrefixLen),
    ("suppress_ifgroup", Prefix, Key::SuppressIfGroup),
    ("sup_group", Full, Key::SuppressIfGroup),
    ("dev", Full, Key::Iif),
    ("iif", Full, Key::Iif),
    ("oif", Full, Key::Oif),
    ("l3mdev", Full, Key::L3mdev),
    ("uidrange", Full, Key::UidRange),
    ("nat", Full, Key::Nat),
    ("map-to", Prefix, Key::Nat),
    ("ipproto", Full, Key::IpProto),
    ("sport", Full, Key::Sport),
    ("dport", Full, Key::Dport),
];

/// `show`/`flush`'s keywords in ip's order of tests; `To` (`dst`, `to`) takes the next word
/// as the prefix, any other word is the prefix itself.
const FILTER_KEYS: [(&str, Spelling, Key); 19] = [
    ("preference", Prefix, Key::Pref),
    ("order", Prefix, Key::Pref),
    ("priority", Prefix, Key::Pref),
    ("not", Full, Key::Not),
    ("tos", Full, Key::Tos),
    ("fwmark", Full, Key::FwMark),
    ("dev", Full, Key::Iif),
    ("iif", Full, Key::Iif),
    ("oif", Full, Key::Oif),
    ("l3mdev", Full, Key::L3mdev),
    ("uidrange", Full, Key::UidRange),
    ("ipproto", Full, Key::IpProto),
    ("sport", Full, Key::Sport),
    ("dport", Full, Key::Dport),
    ("lookup", Full, Key::Table),
    ("table", Prefix, Key::Table),
    ("from", Prefix, Key::From),
    ("src", Prefix, Key::From),
    ("protocol", Prefix, Key::Protocol),
];

/// The rest of the filter's keywords, after `protocol`: the prefix's own.
const FILTER_DST_KEYS: [(&str, Spelling, Key); 2] =
    [("dst", Prefix, Key::To), ("to", Prefix, Key::To)];

/// `tun_id`'s number: a whole word as C's `strtoul` reads it.
fn tun_id(v: &str) -> Option<u64> {
    strtoul(v)
        .filter(|(_, rest)| rest.is_empty())
        .map(|(id, _)| id)
}

/// `suppress_prefixlength`'s number: a C `int` that is not negative.
fn suppress_prefix_len(v: &str) -> Option<u32> {
    parse_c_int(v).and_then(|pl| u32::try_from(pl).ok())
}

impl<'a> ModifyReader<'a> {
    fn push(&mut self, attr: RuleAttr<'static>) {
        self.plan.attrs.push(PlanAttr::Value(attr));
    }

    /// One keyword of `add`/`del` and its value, in ip's order of tests.
    // Its own function, not inlined into the reading loop: the binary is smaller so.
    #[inline(never)]
    fn word(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult {
        let Some(key) = keyword(word, &MODIFY_KEYS) else {
            return self.action_word(word, args);
        };
        let header = &mut self.plan.header;
        let attr = match key {
            Key::Not => {
                header.flags |= FIB_RULE_INVERT;
                return Ok(());
            }
            Key::From | Key::To => {
                let p = prefix_or_err(args.value()?, header.family)?;
                if key == Key::From {
                    header.src_len = p.bitlen;
                    RuleAttr::Src(p.addr)
                } else {
                    header.dst_len = p.bitlen;
                    RuleAttr::Dst(p.addr)
                }
            }
            Key::Pref => {
                RuleAttr::Priority(args.parsed(parse_u32, "preference value is invalid\n")?)
            }
            Key::Tos => {
                header.tos = args.parsed(parse_dsfield, "TOS value is invalid\n")?;
                return Ok(());
            }
            Key::FwMark => {
                let (mark, mask) = parse_fwmark(args.value()?)?;
                if let Some(mask) = mask {
                    self.push(RuleAttr::FwMark(mark));
                    RuleAttr::FwMask(mask)
                } else {
                    RuleAttr::FwMark(mark)
                }
            }
            Key::Realms => RuleAttr::Flow(args.parsed(parse_realms, "invalid realms\n")?),
            Key::Protocol => {
                RuleAttr::Protocol(args.parsed(parse_protocol, "\"protocol\" value is invalid\n")?)
            }
            Key::TunId => RuleAttr::TunId(args.parsed(tun_id, "\"tun_id\" value is invalid\n")?),
            Key::Table => {
                let table = args.parsed(parse_table, "invalid table ID\n")?;
                self.table = table;
                self.table_given = true;
                match u8::try_from(table) {
                    Ok(t) => {
                        header.table = t;
                        return Ok(());
                    }
                    Err(_) => {
                        header.table = RT_TABLE_UNSPEC;
                        RuleAttr::Table(table)
                    }
                }
            }
            _ => return self.word_after_table(key, args),
        };
        self.push(attr);
        Ok(())
    }

    /// The keywords of `add`/`del` after `table`.
    fn word_after_table(&mut self, key: Key, args: &mut Args<'a>) -> CliResult {
        let attr = match key {
            Key::SuppressPrefixLen => RuleAttr::SuppressPrefixLen(args.parsed(
                suppress_prefix_len,
                "suppress_prefixlength value is invalid\n",
            )?),
            Key::SuppressIfGroup => RuleAttr::SuppressIfGroup(
                args.parsed(parse_group, "Invalid \"suppress_ifgroup\" value\n")?,
            ),
            Key::Iif | Key::Oif => {
                let v = ifname_value(key, args)?;
                self.plan.attrs.push(if key == Key::Oif {
                    PlanAttr::Oif(v)
                } else {
                    PlanAttr::Iif(v)
                });
                return Ok(());
            }
            Key::L3mdev => {
                self.table_given = true;
                self.l3mdev = true;
                RuleAttr::L3mdev(1)
            }
            Key::UidRange => {
                let (start, end) = parse_uid_range(args.value()?)?;
                RuleAttr::UidRange(start, end)
            }
            Key::Nat => return self.nat(args.value()?),
            Key::IpProto => {
                RuleAttr::IpProto(args.parsed(parse_ip_proto, "Invalid \"ipproto\" value\n")?)
            }
            _ => {
                let (start, end) = parse_port_range(args.value()?)?;
                if key == Key::Sport {
                    RuleAttr::SportRange(start, end)
                } else {
                    RuleAttr::DportRange(start, end)
                }
            }
        };
        self.push(attr);
        Ok(())
    }

    /// A word that is no keyword: the action, after an optional `type`.
    fn action_word(&mut self, mut word: &'a str, args: &mut Args<'a>) -> CliResult {
        if word == "type" {
            word = args.value()?;
        }
        self.plan.header.action = self.action(word, args)?;
        self.table_given = true;
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
            let target = args.parsed(parse_u32, "invalid target\n")?;
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
        let Some(key) = keyword(word, &FILTER_KEYS) else {
            let word = match keyword(word, &FILTER_DST_KEYS) {
                Some(_) => args.value()?,
                None => word,
            };
            f.dst = Some(prefix_or_err(word, prefix_family)?);
            continue;
        };
        match key {
            Key::Pref => f.pref = Some(args.parsed(parse_u32, "preference value is invalid\n")?),
            Key::Not => f.not = true,
            Key::Tos => f.tos = Some(args.parsed(parse_dsfield, "TOS value is invalid\n")?),
            Key::FwMark => {
                let (mark, mask) = parse_fwmark(args.value()?)?;
                f.fwmark = mark;
                f.fwmask = mask.unwrap_or(f.fwmask);
            }
            Key::Iif | Key::Oif => {
                let name = Some(word_bytes(ifname_value(key, args)?).into_owned());
                if key == Key::Oif {
                    f.oif = name
                } else {
                    f.iif = name
                }
            }
            Key::L3mdev => f.l3mdev = true,
            Key::UidRange => f.uid_range = Some(parse_uid_range(args.value()?)?),
            Key::IpProto => {
                f.ip_proto = Some(args.parsed(parse_ip_proto, "Invalid \"ipproto\" value\n")?);
            }
            Key::Sport => f.sport = Some(parse_port_range(args.value()?)?),
            Key::Dport => f.dport = Some(parse_port_range(args.value()?)?),
            Key::Table => f.table = args.parsed(parse_table, "table id value is invalid\n")?,
            Key::From => f.src = Some(prefix_or_err(args.value()?, prefix_family)?),
            _ => {
                let v = args.value()?;
                f.protocol = match parse_protocol(v) {
                    Some(p) => Some(p),
                    None if v == "all" => None,
                    None => return Err(invarg("invalid \"protocol\"\n", v)),
                };
            }
        }
    }
    Ok(f)
}
