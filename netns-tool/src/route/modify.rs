//! `ip route add | change | replace | prepend | append | test | delete ROUTE`: the words
//! become a plan (netlink-core's request, as ip's `iproute_modify` fills it, and the
//! device's name), and the plan runs: the name becomes an index, the request goes out.

use netlink_core::route::consts::*;
use netlink_core::route::RouteRequest;

use super::metrics::{read_fastopen, read_metric, MetricWords};
use super::nexthop::{parse_nexthops, HopPlan};
use super::usage;
use crate::toolbox::args::Spelling::{Full, Prefix};
use crate::toolbox::args::{
    duparg2, invarg, keyword, matches, parse_u32, parse_u8, Args, Spelling,
};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{address_or_err, adopt_family, family_and_word, prefix_adopting_family};
use crate::toolbox::names::{
    parse_dsfield, parse_protocol, parse_realms, parse_route_type, parse_scope, parse_table,
};
use crate::toolbox::session::Session;

/// What one add/change/replace/delete asks for, read with no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModifyPlan<'a> {
    /// The request as ip would send it, but for the device's index.
    pub request: RouteRequest<'static>,
    /// `dev NAME` / `oif NAME`, resolved into `request.oif` when the plan runs.
    pub device: Option<&'a str>,
    /// `delete` (`RTM_DELROUTE`) rather than a `RTM_NEWROUTE`.
    pub deleting: bool,
    /// The `NLM_F_*` flags of the command (`add`: create and exclusive...).
    pub create_flags: u16,
    /// `nexthop ...`: the hops of a multipath route.
    pub nexthops: Vec<HopPlan<'a>>,
    /// `mtu`, `advmss`, ... `congctl`: `RTA_METRICS`, in command-line order.
    pub metrics: MetricWords<'a>,
}

/// What ip's `iproute_modify` remembers having read, for its defaults and checks.
#[derive(Debug, Default)]
struct Seen {
    gateway: bool,
    dst: bool,
    scope: bool,
    table: bool,
    nexthops: bool,
}

/// Reads the ROUTE words of a command (`cmd` is `RTM_NEWROUTE` with `create_flags`, or
/// `RTM_DELROUTE`) with ip's order, defaults and error texts.
pub fn parse_modify<'a>(
    family: u8,
    args: &mut Args<'a>,
    cmd: u16,
    create_flags: u16,
) -> CliResult<ModifyPlan<'a>> {
    let deleting = cmd == RTM_DELROUTE;
    let plan = ModifyPlan {
        request: starting_request(family, deleting),
        device: None,
        deleting,
        create_flags,
        nexthops: Vec::new(),
        metrics: MetricWords::default(),
    };
    let mut reader = Reader {
        plan,
        seen: Seen::default(),
    };
    while let Some(word) = args.next() {
        // The next hops come last: ip reads them after the rest and its checks.
        if word == "nexthop" {
            reader.seen.nexthops = true;
            break;
        }
        if !reader.option(word, args)? {
            reader.address(word, args)?;
        }
    }
    let Reader { mut plan, seen } = reader;
    if !seen.dst {
        return Err(usage());
    }
    if seen.nexthops {
        plan.nexthops = parse_nexthops(&mut plan.request.family, args)?;
    }
    apply_defaults(&mut plan.request, &seen, deleting);
    Ok(plan)
}

/// ip's request before any word: a delete leaves type, protocol and scope for the kernel
/// to match on; the others default to a unicast, boot-protocol, universe route.
fn starting_request(family: u8, deleting: bool) -> RouteRequest<'static> {
    let mut req = RouteRequest {
        family,
        table: u32::from(RT_TABLE_MAIN),
        ..RouteRequest::default()
    };
    if deleting {
        req.protocol = RTPROT_UNSPEC;
        req.scope = RT_SCOPE_NOWHERE;
        req.kind = RTN_UNSPEC;
    }
    req
}

/// The plan being read, and what ip remembers having read.
struct Reader<'a> {
    plan: ModifyPlan<'a>,
    seen: Seen,
}

/// The keyword options with a plain value `Reader::option` reads.
#[derive(Clone, Copy)]
enum Opt {
    Device,
    Tos,
    Metric,
    Scope,
    Realms,
    Onlink,
    Unsupported,
    Protocol,
    Table,
    Pref,
}

/// The options ip tests before the metric keywords, in its order.
const BEFORE_METRICS: [(&str, Spelling, Opt); 8] = [
    // No keyword below is (or abbreviates to) these, so they are decided first: the
    // words of every line of a batch of routes.
    ("dev", Full, Opt::Device),
    ("oif", Full, Opt::Device),
    ("tos", Full, Opt::Tos),
    ("dsfield", Prefix, Opt::Tos),
    ("metric", Prefix, Opt::Metric),
    ("priority", Prefix, Opt::Metric),
    ("preference", Full, Opt::Metric),
    ("scope", Full, Opt::Scope),
];

/// The options ip tests after the metric keywords (and before `fastopen_no_cookie`).
const AFTER_METRICS: [(&str, Spelling, Opt); 10] = [
    ("realms", Prefix, Opt::Realms),
    ("onlink", Full, Opt::Onlink),
    ("nhid", Full, Opt::Unsupported),
    ("encap", Full, Opt::Unsupported),
    ("as", Full, Opt::Unsupported),
    ("ttl-propagate", Full, Opt::Unsupported),
    ("expires", Full, Opt::Unsupported),
    ("protocol", Prefix, Opt::Protocol),
    ("table", Prefix, Opt::Table),
    ("pref", Prefix, Opt::Pref),
];

impl<'a> Reader<'a> {
    /// The keyword options with a plain value; false when `word` is none of them.
    fn option(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult<bool> {
        // A prefix: no keyword starts with a digit.
        if word.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return Ok(false);
        }
        let metrics = &mut self.plan.metrics;
        let opt = match keyword(word, &BEFORE_METRICS) {
            Some(opt) => opt,
            None if read_metric(metrics, word, args)? => return Ok(true),
            None => match keyword(word, &AFTER_METRICS) {
                Some(opt) => opt,
                None => return read_fastopen(metrics, word, args),
            },
        };
        self.read_option(opt, word, args)?;
        Ok(true)
    }

    /// The value of the option `opt` (its keyword `word`).
    fn read_option(&mut self, opt: Opt, word: &str, args: &mut Args<'a>) -> CliResult {
        let (plan, seen) = (&mut self.plan, &mut self.seen);
        let req = &mut plan.request;
        match opt {
            Opt::Device => plan.device = Some(args.value()?),
            Opt::Tos => req.tos = args.parsed(parse_dsfield, "\"tos\" value is invalid\n")?,
            Opt::Metric => {
                req.priority = Some(args.parsed(parse_u32, "\"metric\" value is invalid\n")?);
            }
            Opt::Scope => {
                req.scope = args.parsed(parse_scope, "invalid \"scope\" value\n")?;
                seen.scope = true;
            }
            Opt::Realms => {
                req.flow = Some(args.parsed(parse_realms, "\"realm\" value is invalid\n")?);
            }
            Opt::Onlink => req.flags |= RTNH_F_ONLINK,
            Opt::Unsupported => return Err(CliError::unsupported(word)),
            Opt::Protocol => {
                req.protocol = args.parsed(parse_protocol, "\"protocol\" value is invalid\n")?;
            }
            Opt::Table => {
                req.table = args.parsed(parse_table, "\"table\" value is invalid\n")?;
                seen.table = true;
            }
            Opt::Pref => req.pref = Some(read_pref(args)?),
        }
        Ok(())
    }

    /// `src`, `via [FAMILY]`, `from`, and the destination (`[to] [TYPE] PREFIX`).
    fn address(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult {
        let req = &mut self.plan.request;
        match word {
            "src" => {
                let a = address_or_err(args.value()?, req.family)?;
                adopt_family(&mut req.family, &a);
                req.prefsrc = a.bytes();
            }
            "via" => self.gateway(word, args)?,
            "from" => {
                let p = prefix_adopting_family(args.value()?, &mut req.family)?;
                req.src = p.bytes();
                req.src_len = p.bitlen;
            }
            w => self.destination(w, args)?,
        }
        Ok(())
    }

    /// `via [inet|inet6] ADDRESS`: `RTA_GATEWAY` in the route's family, `RTA_VIA` in another.
    fn gateway(&mut self, word: &str, args: &mut Args<'_>) -> CliResult {
        let (req, seen) = (&mut self.plan.request, &mut self.seen);
        if seen.gateway {
            return Err(invarg("use nexthop syntax to specify multiple via\n", word));
        }
        seen.gateway = true;
        let (family, value) = family_and_word(args, req.family)?;
        let a = address_or_err(value, family)?;
        adopt_family(&mut req.family, &a);
        if a.family == req.family {
            req.gateway = a.bytes();
        } else {
            req.via = a.bytes();
        }
        Ok(())
    }

    /// `[to] [TYPE] PREFIX` (a type name is taken only from a word not starting with a digit).
    fn destination(&mut self, word: &'a str, args: &mut Args<'a>) -> CliResult {
        let (req, seen) = (&mut self.plan.request, &mut self.seen);
        let mut word = args.after_optional(word, "to")?;
        if !word.starts_with(|c: char| c.is_ascii_digit()) {
            if let Some(kind) = parse_route_type(word) {
                req.kind = kind;
                word = args.value()?;
            }
        }
        if matches(word, "help") {
            return Err(usage());
        }
        if seen.dst {
            return Err(duparg2("to", word));
        }
        let dst = prefix_adopting_family(word, &mut req.family)?;
        req.dst_len = dst.bitlen;
        req.dst = dst.bytes();
        seen.dst = true;
        Ok(())
    }
}

/// `pref low|medium|high|N` as the `ICMPV6_ROUTER_PREF_*` value.
fn read_pref(args: &mut Args<'_>) -> CliResult<u8> {
    match args.value()? {
        "low" => Ok(3),
        "medium" => Ok(0),
        "high" => Ok(1),
        n => parse_u8(n).ok_or_else(|| invarg("\"pref\" value is invalid\n", n)),
    }
}

/// ip's defaults once every word is read: IPv4 when no family showed, the local table for
/// local/broadcast/NAT/anycast types, and the scope the type and gateway imply.
fn apply_defaults(req: &mut RouteRequest<'static>, seen: &Seen, deleting: bool) {
    if req.family == AF_UNSPEC {
        req.family = AF_INET;
    }
    if !seen.table && matches!(req.kind, RTN_LOCAL | RTN_BROADCAST | RTN_NAT | RTN_ANYCAST) {
        req.table = u32::from(RT_TABLE_LOCAL);
    }
    if seen.scope {
        return;
    }
    if req.family == AF_INET6 {
        req.scope = RT_SCOPE_UNIVERSE;
        return;
    }
    match req.kind {
        RTN_LOCAL | RTN_NAT => req.scope = RT_SCOPE_HOST,
        RTN_BROADCAST | RTN_MULTICAST | RTN_ANYCAST => req.scope = RT_SCOPE_LINK,
        RTN_UNICAST | RTN_UNSPEC if deleting => req.scope = RT_SCOPE_NOWHERE,
        RTN_UNICAST | RTN_UNSPEC if !seen.gateway && !seen.nexthops => req.scope = RT_SCOPE_LINK,
        _ => {}
    }
}

/// Runs a plan: the devices' indexes, then the request and its ACK.
pub fn execute_modify(session: &mut Session, plan: ModifyPlan<'_>) -> CliResult {
    let mut request = plan.request;
    if let Some(name) = plan.device {
        request.oif = u32::try_from(session.ifindex(name)?).ok();
    }
    let mut hops = Vec::with_capacity(plan.nexthops.len());
    for HopPlan { mut hop, device } in plan.nexthops {
        if let Some(name) = device {
            // ip looks the hop's device up while reading it, and gives up on the spot.
            hop.ifindex = session.ifindex(name).map_err(|e| {
                CliError::exit(255, format!("{}\nError: cannot parse nexthop", e.message()))
            })?;
        }
        hops.push(hop);
    }
    request.nexthops = &hops;
    let metrics = plan.metrics.for_request();
    request.metrics = &metrics;
    request.metric_locks = plan.metrics.locks;
    session.request_emitted(|b| {
        if plan.deleting {
            request.emit_del(b)
        } else {
            request.emit_new_with(b, plan.create_flags)
        }
    })
}
