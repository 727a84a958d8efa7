//! `ip route get ADDRESS [from ADDRESS] [iif DEV] [oif DEV] [tos T] [mark N] [uid N]
//! [notify] [fibmatch]`: the words become a query (no I/O), the query runs, the one route
//! of the answer is printed.

use std::fmt::Write as _;

use netlink_core::route::consts::*;
use netlink_core::route::{RouteMessage, RouteQuery};
use netlink_core::wire::Builder;

use super::{route_context, usage};
use crate::show::route::print_route;
use crate::show::route_filter::Filter;
use crate::toolbox::args::Spelling::{Full, Prefix};
use crate::toolbox::args::{keyword, matches, parse_u32, Args, Globals, Spelling};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{kernel_error, write_error, CliError, CliResult};
use crate::toolbox::inet::{bit_len, prefix_adopting_family};
use crate::toolbox::names::parse_dsfield;
use crate::toolbox::output::Out;
use crate::toolbox::session::Session;

/// What one `route get` asks, read with no I/O.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetPlan<'a> {
    /// The query as ip sends it, but for the devices' indexes.
    pub query: RouteQuery,
    /// `iif NAME`.
    pub iif: Option<&'a str>,
    /// `oif NAME` / `dev NAME`.
    pub oif: Option<&'a str>,
    /// ip's warnings, printed on stderr before anything else happens.
    pub warnings: String,
}

/// Reads the words of `route get` for the family `family` (`AF_UNSPEC` unless `-4`/`-6`).
pub fn parse_get<'a>(family: u8, args: &mut Args<'a>) -> CliResult<GetPlan<'a>> {
    let mut plan = GetPlan {
        query: RouteQuery {
            family,
            ..RouteQuery::default()
        },
        ..GetPlan::default()
    };
    let mut found = false;
    let read = read_words(&mut plan, &mut found, args).and_then(|()| match found {
        true => Ok(()),
        false => Err(CliError::failed("need at least a destination address")),
    });
    if let Err(e) = read {
        // ip printed its warnings as it read, before the error.
        return Err(after_warnings(e, &plan.warnings));
    }
    if plan.query.family == AF_UNSPEC {
        plan.query.family = AF_INET;
    }
    Ok(plan)
}

/// The words of `route get` before its destination.
#[derive(Clone, Copy)]
enum Word {
    Tos,
    From,
    Iif,
    Mark,
    Oif,
    Notify,
    Uid,
    FibMatch,
    Unsupported,
}

/// The words in ip's order of tests.
const WORDS: [(&str, Spelling, Word); 14] = [
    ("tos", Full, Word::Tos),
    ("dsfield", Prefix, Word::Tos),
    ("from", Prefix, Word::From),
    ("iif", Prefix, Word::Iif),
    ("mark", Prefix, Word::Mark),
    ("oif", Prefix, Word::Oif),
    ("dev", Full, Word::Oif),
    ("notify", Prefix, Word::Notify),
    ("uid", Prefix, Word::Uid),
    ("fibmatch", Prefix, Word::FibMatch),
    ("vrf", Full, Word::Unsupported),
    ("ipproto", Full, Word::Unsupported),
    ("sport", Full, Word::Unsupported),
    ("dport", Full, Word::Unsupported),
];

fn read_words<'a>(plan: &mut GetPlan<'a>, found: &mut bool, args: &mut Args<'a>) -> CliResult {
    let q = &mut plan.query;
    while let Some(word) = args.next() {
        let Some(what) = keyword(word, &WORDS) else {
            read_destination(q, &mut plan.warnings, word, args)?;
            *found = true;
            continue;
        };
        match what {
            Word::Tos => q.tos = args.parsed(parse_dsfield, "TOS value is invalid\n")?,
            Word::From => {
                let v = args.value()?;
                if matches(v, "help") {
                    return Err(usage());
                }
                let p = prefix_adopting_family(v, &mut q.family)?;
                q.src = p.bytes();
                q.src_len = p.bitlen;
            }
            Word::Iif => plan.iif = Some(args.value()?),
            Word::Mark => q.mark = Some(args.parsed(parse_u32, "invalid mark value\n")?),
            Word::Oif => plan.oif = Some(args.value()?),
            Word::Notify => q.notify = true,
            Word::Uid => q.uid = Some(args.parsed(parse_u32, "invalid UID\n")?),
            Word::FibMatch => q.fib_match = true,
            Word::Unsupported => return Err(CliError::unsupported(word)),
        }
    }
    Ok(())
}

/// `[to] ADDRESS`: a prefix length other than the host's is ip's warning, and ignored.
fn read_destination<'a>(
    q: &mut RouteQuery,
    warnings: &mut String,
    word: &'a str,
    args: &mut Args<'a>,
) -> CliResult {
    let word = args.after_optional(word, "to")?;
    if matches(word, "help") {
        return Err(usage());
    }
    let p = prefix_adopting_family(word, &mut q.family)?;
    q.dst = p.bytes();
    let full = bit_len(q.family);
    if (q.family == AF_INET || q.family == AF_INET6) && p.bitlen != full {
        let given = p.bitlen;
        // Writing into a String cannot fail.
        let _ = writeln!(
            warnings,
            "Warning: /{given} as prefix is invalid, only /{full} (or none) is supported."
        );
        q.dst_len = full;
    } else {
        q.dst_len = p.bitlen;
    }
    Ok(())
}

/// `e` with ip's warnings before its text (both go to stderr, in that order).
fn after_warnings(e: CliError, warnings: &str) -> CliError {
    if warnings.is_empty() {
        return e;
    }
    let message = format!("{warnings}{}", e.message());
    e.with_message(message)
}

/// Runs a plan: warnings, devices, the query; prints the answer.
pub fn execute_get(g: &Globals, session: &mut Session, mut plan: GetPlan<'_>) -> CliResult {
    if !plan.warnings.is_empty() {
        eprint!("{}", plan.warnings);
    }
    if let Some(name) = plan.iif {
        plan.query.iif = u32::try_from(session.ifindex(name)?).ok();
    }
    if let Some(name) = plan.oif {
        plan.query.oif = u32::try_from(session.ifindex(name)?).ok();
    }
    let mut buf = Vec::with_capacity(128);
    plan.query.emit(&mut Builder::new(&mut buf))?;
    let sock = session.socket()?;
    let reply: Vec<u8> = sock
        .get(&mut buf, |msg| Ok(msg.payload().to_vec()))
        .map_err(kernel_error)?;
    let names = LinkCache::load(sock)?;
    let route = RouteMessage::from_payload(&reply)
        .map_err(|e| CliError::failed(format!("malformed netlink reply: {e}")))?;
    let filter = Filter {
        cloned: 2,
        ..Filter::default()
    };
    let ctx = route_context(g, &names, &filter);
    let mut out = Out::stdout(g.json, g.pretty).with_palette(g.color);
    out.open_array(None)
        .and_then(|()| print_route(&mut out, &ctx, false, &route))
        .and_then(|()| out.close_array())
        .and_then(|()| out.finish())
        .map_err(write_error)
}
