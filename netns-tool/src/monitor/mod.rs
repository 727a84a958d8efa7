//! `ip monitor`: link, address, route, neighbour, rule, nsid and netconf events as they happen, and `ip monitor file FILE`
//! for a saved netlink stream (what `rtmon file FILE` records).
//!
//! Every event is printed as the matching `show` command prints it (`Deleted ` before a
//! removal), with `[LINK]` / `[ADDR]` / `[ROUTE]` / `[NEIGH]` / `[RULE]` / `[NSID]` / `[NETCONF]` labels for `all` and `label`, and stdout
//! is flushed after each one so a reader sees it at once.
//!
//! - `events`: one message to its printed text (the `show/` printers);
//! - `live`: the multicast groups and the receive loop;
//! - `file`: the framing of a saved stream;
//! - `stamp`: the `Timestamp:` line of a saved stream.

mod events;
mod file;
mod live;
mod stamp;

use std::io::{self, Read, Write};

use crate::show::link::LinkContext;
use crate::toolbox::args::{keyword, Args, Globals, Spelling, Spelling::Full, Spelling::Prefix};
use crate::toolbox::cache::{LinkCache, NsidNames};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::files::StdoutFd;
use crate::toolbox::session::Session;

use events::Monitor;

/// `nsip monitor help`: ip 6.1's layout, naming only the objects nsip decodes.
const USAGE: &str = "Usage: nsip monitor [ all | OBJECTS ] [ FILE ] [ label ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | neigh | netconf | nsid | route | rule
FILE := file FILENAME";

/// The event kinds `ip monitor` can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Objects {
    link: bool,
    address: bool,
    route: bool,
    neigh: bool,
    rule: bool,
    nsid: bool,
    netconf: bool,
    /// Anything nsip does not decode (netconf, nsid, mroute, ...).
    other: Option<&'static str>,
}

impl Objects {
    /// What a monitor without object words watches.
    const DEFAULT: Objects = Objects {
        link: true,
        address: true,
        route: true,
        neigh: true,
        rule: true,
        nsid: true,
        netconf: true,
        other: None,
    };
    const NONE: Objects = Objects {
        link: false,
        address: false,
        route: false,
        neigh: false,
        rule: false,
        nsid: false,
        netconf: false,
        other: None,
    };

    /// Whether any object nsip decodes was asked for.
    fn any_decoded(&self) -> bool {
        self.link
            || self.address
            || self.route
            || self.neigh
            || self.rule
            || self.nsid
            || self.netconf
    }
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options<'a> {
    file: Option<&'a str>,
    label: bool,
    objects: Objects,
    dev: Option<&'a str>,
}

/// The words of `ip monitor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    File,
    Label,
    Link,
    Address,
    Route,
    Neigh,
    Rule,
    Nsid,
    Netconf,
    /// An object nsip does not decode, by its name.
    Other(&'static str),
    AllNsid,
    Help,
    Dev,
}

/// The words in ip's order of tests.
const WORDS: &[(&str, Spelling, Word)] = &[
    ("file", Prefix, Word::File),
    ("label", Prefix, Word::Label),
    ("all", Full, Word::Label),
    ("link", Prefix, Word::Link),
    ("address", Prefix, Word::Address),
    ("route", Prefix, Word::Route),
    ("mroute", Prefix, Word::Other("mroute")),
    ("prefix", Prefix, Word::Other("prefix")),
    ("neigh", Prefix, Word::Neigh),
    ("netconf", Prefix, Word::Netconf),
    ("rule", Prefix, Word::Rule),
    ("nsid", Prefix, Word::Nsid),
    ("nexthop", Prefix, Word::Other("nexthop")),
    ("stats", Full, Word::Other("stats")),
    ("all-nsid", Prefix, Word::AllNsid),
    ("help", Prefix, Word::Help),
    ("dev", Full, Word::Dev),
];

/// Reads `ip monitor ...`'s words (after `monitor`), with ip's errors; no I/O.
pub fn parse<'a>(args: &mut Args<'a>) -> CliResult<Options<'a>> {
    let mut o = Options {
        file: None,
        label: false,
        objects: Objects::NONE,
        dev: None,
    };
    while let Some(w) = args.next() {
        let Some(word) = keyword(w, WORDS) else {
            return Err(CliError::usage(format!(
                "Argument \"{w}\" is unknown, try \"ip monitor help\"."
            )));
        };
        match word {
            Word::File => o.file = Some(args.value()?),
            Word::Label => o.label = true,
            Word::Link => o.objects.link = true,
            Word::Address => o.objects.address = true,
            Word::Route => o.objects.route = true,
            Word::Neigh => o.objects.neigh = true,
            Word::Rule => o.objects.rule = true,
            Word::Nsid => o.objects.nsid = true,
            Word::Netconf => o.objects.netconf = true,
            Word::Other(name) => o.objects.other = Some(name),
            Word::AllNsid => return Err(CliError::failed("nsip: \"all-nsid\" is not supported")),
            Word::Help => return Err(CliError::usage(USAGE)),
            Word::Dev => o.dev = Some(args.value()?),
        }
    }
    match (o.objects.other, o.objects.any_decoded()) {
        // No object words: everything nsip decodes.
        (None, false) => o.objects = Objects::DEFAULT,
        (Some(name), false) => {
            return Err(CliError::failed(format!(
                "nsip: monitoring \"{name}\" events is not supported"
            )))
        }
        (_, true) => {}
    }
    Ok(o)
}

/// Runs `ip monitor ...`.
// Its own function, not inlined into `cli::dispatch`: the binary is smaller so.
#[inline(never)]
pub fn run(g: &Globals, session: &mut Session, args: &mut Args) -> CliResult {
    let options = parse(args)?;
    // Live, ip starts from every link it can see; from a file, only from the file's own
    // link messages (and asks the kernel about the rest).
    let query = session.socket()?;
    let mut cache = LinkCache::load(query)?;
    let dev = match options.dev {
        Some(dev) => Some(cache.index(dev).ok_or_else(|| {
            CliError::usage(format!(
                "Error: argument \"{dev}\" is wrong: Device does not exist\n"
            ))
        })?),
        None => None,
    };
    if options.file.is_some() {
        cache = LinkCache::new();
    }
    let links = LinkContext::monitor(cache, NsidNames::load(query), g.details);
    let mut monitor = Monitor::new(g, &options, links, dev, StdoutFd, io::stderr());
    monitor.query = Some(query);
    match options.file {
        Some(path) => file::replay_path(&mut monitor, path),
        None => live::listen(&mut monitor, g.family.af()),
    }
}

/// `ip monitor file` over any byte stream, printing to `out` (diagnostics to `err`) and
/// asking the kernel nothing: links the stream does not name print as `ifN`. What the fuzz
/// target runs; `g` and `words` as for [`run`].
pub fn replay_stream(
    g: &Globals,
    words: &[String],
    input: impl Read,
    out: impl Write,
    err: impl Write,
) -> CliResult {
    let options = parse(&mut Args::new(words))?;
    let links = LinkContext::monitor(LinkCache::new(), NsidNames::default(), g.details);
    let mut monitor = Monitor::new(g, &options, links, None, out, err);
    file::replay(&mut monitor, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object the help names is one nsip monitors, alone and with the others.
    #[test]
    fn the_help_names_only_objects_nsip_monitors() {
        let objects = USAGE
            .lines()
            .find_map(|l| l.strip_prefix("OBJECTS :="))
            .expect("an OBJECTS line");
        let names: Vec<&str> = objects.split('|').map(str::trim).collect();
        assert!(names.len() >= 3, "{names:?}");
        for name in &names {
            assert!(options(name).is_ok(), "{name} is refused");
        }
        assert!(options(&names.join(" ")).is_ok());
        assert!(USAGE.starts_with("Usage: nsip monitor "));
    }

    fn options(line: &str) -> CliResult<Options<'static>> {
        let words: Vec<String> = line.split_whitespace().map(String::from).collect();
        let words: &'static [String] = Box::leak(words.into_boxed_slice());
        parse(&mut Args::new(words))
    }

    #[test]
    fn object_words_choose_what_is_watched() {
        let o = options("").expect("parses");
        assert_eq!(
            (o.objects, o.label, o.file),
            (Objects::DEFAULT, false, None)
        );
        let o = options("li r label file /x dev eth0").expect("parses");
        assert!(o.objects.link && o.objects.route && !o.objects.address && o.label);
        assert_eq!((o.file, o.dev), (Some("/x"), Some("eth0")));
        assert!(options("all").expect("parses").label);
        // ip tries `label` before `link`.
        assert!(options("l").expect("parses").label);
        let o = options("link netc").expect("parses");
        assert!(o.objects.netconf && o.objects.other.is_none());
        let o = options("link mroute").expect("parses");
        assert_eq!(o.objects.other, Some("mroute"));
        let o = options("n ru").expect("parses");
        assert!(o.objects.neigh && o.objects.rule && !o.objects.link && !o.objects.nsid);
        let o = options("ns").expect("parses");
        assert!(o.objects.nsid && !o.objects.neigh && o.objects.other.is_none());
    }

    #[test]
    fn bad_words_get_ips_errors() {
        let message = |line| options(line).expect_err(line).message().to_string();
        assert_eq!(
            message("bogus"),
            "Argument \"bogus\" is unknown, try \"ip monitor help\"."
        );
        assert_eq!(
            message("file"),
            "Command line is not complete. Try option \"help\""
        );
        assert_eq!(
            message("prefix"),
            "nsip: monitoring \"prefix\" events is not supported"
        );
        assert_eq!(message("all-nsid"), "nsip: \"all-nsid\" is not supported");
        assert_eq!(options("help").expect_err("usage").status(), 255);
    }
}
