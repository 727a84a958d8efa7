//! The SELECTOR of `ip route show | flush` (ip's `iproute_list_flush_or_save`): the words
//! become a filter with no I/O; the device names in it become indexes when it runs.

use netlink_core::route::consts::*;

use super::usage;
use crate::show::route_filter::{Filter, PrefixSelector};
use crate::toolbox::args::Spelling::{Full, Prefix};
use crate::toolbox::args::{invarg, keyword, matches, parse_u32, Args, Spelling};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{family_and_word, prefix_or_err};
use crate::toolbox::names::{
    parse_dsfield, parse_protocol, parse_route_type, parse_scope, parse_table,
};
use crate::toolbox::session::Session;

/// A listing's or flush's selector, read with no I/O.
#[derive(Debug, Clone)]
pub struct Selector<'a> {
    /// What the routes must match (devices not yet resolved).
    pub filter: Filter,
    /// `dev NAME` / `oif NAME`.
    pub oif: Option<&'a str>,
    /// `iif NAME`.
    pub iif: Option<&'a str>,
}

/// Reads a SELECTOR for the dump family `family` (`AF_UNSPEC` unless `-4` / `-6`).
pub fn parse_selector<'a>(family: u8, args: &mut Args<'a>) -> CliResult<Selector<'a>> {
    let mut sel = Selector {
        filter: Filter::listing(family),
        oif: None,
        iif: None,
    };
    while let Some(word) = args.next() {
        if !read_key(&mut sel, word, args)? {
            read_prefix(&mut sel.filter, family, word, args)?;
        }
    }
    let f = &mut sel.filter;
    // ip's "match" only compares when a family or a length was given: `any` selects all.
    for p in [
        &mut f.dst.root,
        &mut f.dst.within,
        &mut f.src.root,
        &mut f.src.within,
    ] {
        if p.is_some_and(|x| x.family == AF_UNSPEC && !x.len_given) {
            *p = None;
        }
    }
    if f.family == AF_UNSPEC && f.table != 0 {
        f.family = AF_INET;
    }
    Ok(sel)
}

/// The selector's keys with a plain value.
#[derive(Clone, Copy)]
enum Key {
    Table,
    Unsupported,
    Cloned,
    Tos,
    Protocol,
    Scope,
    Type,
    Oif,
    Iif,
    Metric,
}

/// The keys in ip's order of tests.
const KEYS: [(&str, Spelling, Key); 15] = [
    ("table", Prefix, Key::Table),
    ("vrf", Full, Key::Unsupported),
    ("cached", Prefix, Key::Cloned),
    ("cloned", Prefix, Key::Cloned),
    ("tos", Full, Key::Tos),
    ("dsfield", Prefix, Key::Tos),
    ("protocol", Prefix, Key::Protocol),
    ("scope", Prefix, Key::Scope),
    ("type", Prefix, Key::Type),
    ("dev", Full, Key::Oif),
    ("oif", Full, Key::Oif),
    ("iif", Full, Key::Iif),
    ("metric", Prefix, Key::Metric),
    ("priority", Prefix, Key::Metric),
    ("preference", Full, Key::Metric),
];

/// The keys with a plain value; false when `word` is none of them.
fn read_key<'a>(sel: &mut Selector<'a>, word: &'a str, args: &mut Args<'a>) -> CliResult<bool> {
    let Some(key) = keyword(word, &KEYS) else {
        return Ok(false);
    };
    let f = &mut sel.filter;
    match key {
        Key::Table => read_table(f, args.value()?)?,
        Key::Unsupported => return Err(CliError::unsupported(word)),
        Key::Cloned => f.cloned = 1,
        Key::Tos => f.tos = Some(args.parsed(parse_dsfield, "TOS value is invalid\n")?),
        Key::Protocol => {
            let v = args.value()?;
            f.protocol = all_or(v, parse_protocol(v), "invalid \"protocol\"\n")?;
        }
        Key::Scope => {
            let v = args.value()?;
            f.scope = all_or(v, parse_scope(v), "invalid \"scope\"\n")?;
        }
        Key::Type => {
            let kind = args.parsed(parse_route_type, "node type value is invalid\n")?;
            f.types = 1u64 << (kind % 64);
        }
        Key::Oif => sel.oif = Some(args.value()?),
        Key::Iif => sel.iif = Some(args.value()?),
        Key::Metric => {
            f.metric = Some(args.parsed(parse_u32, "\"metric\" value is invalid\n")?);
        }
    }
    Ok(true)
}

/// `table ID|all|cache`.
fn read_table(f: &mut Filter, value: &str) -> CliResult {
    match parse_table(value) {
        Some(t) => f.table = t,
        None if value == "all" => f.table = 0,
        None if value == "cache" => f.cloned = 1,
        None if value == "help" => return Err(usage()),
        None => return Err(invarg("table id value is invalid\n", value)),
    }
    Ok(())
}

/// A selector value that also takes `all` (no filter): the parsed one, or ip's error.
fn all_or(word: &str, parsed: Option<u8>, what: &str) -> CliResult<Option<u8>> {
    match parsed {
        Some(v) => Ok(Some(v)),
        None if word == "all" => Ok(None),
        None => Err(invarg(what, word)),
    }
}

/// `via [FAMILY] P`, `src P`, `from [root|match|exact] P`, `[to] [root|match|exact] P`.
fn read_prefix<'a>(f: &mut Filter, family: u8, word: &'a str, args: &mut Args<'a>) -> CliResult {
    match word {
        "via" => {
            let (via_family, v) = family_and_word(args, family)?;
            f.via = Some(prefix_or_err(v, via_family)?);
        }
        "src" => f.prefsrc = Some(prefix_or_err(args.value()?, family)?),
        w if matches(w, "from") => {
            let v = args.value()?;
            read_root_match(family, v, args, &mut f.src)?;
        }
        mut w => {
            if matches(w, "to") {
                w = args.value()?;
            }
            read_root_match(family, w, args, &mut f.dst)?;
        }
    }
    Ok(())
}

/// `root P` (routes inside P), `match P` (routes covering P), or `[exact] P` (both).
fn read_root_match<'a>(
    family: u8,
    word: &'a str,
    args: &mut Args<'a>,
    sel: &mut PrefixSelector,
) -> CliResult {
    let (root, within) = if matches(word, "root") {
        (true, false)
    } else if matches(word, "match") {
        (false, true)
    } else {
        (true, true)
    };
    let keyword = !(root && within) || matches(word, "exact");
    let p = prefix_or_err(if keyword { args.value()? } else { word }, family)?;
    if root {
        sel.root = Some(p);
    }
    if within {
        sel.within = Some(p);
    }
    Ok(())
}

/// Resolves the selector's device names into the filter (ip's `Cannot find device`).
pub fn resolve(session: &mut Session, sel: Selector<'_>) -> CliResult<Filter> {
    let mut f = sel.filter;
    if let Some(name) = sel.iif {
        f.iif = u32::try_from(session.ifindex(name)?).ok();
    }
    if let Some(name) = sel.oif {
        f.oif = u32::try_from(session.ifindex(name)?).ok();
    }
    Ok(f)
}
