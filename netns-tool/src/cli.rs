//! The `ip` command line: global options, object abbreviations, and keyword arguments.
//!
//! clap parses the global options; ip's single-dash long options (`-json`, `-details`) and
//! their prefixes are first rewritten to clap's canonical spelling. Objects and commands
//! are matched by prefix in ip's own order, so `ip a`, `ip r`, `ip l` mean what they mean
//! to ip.

use std::io::Write;

use clap::{Arg, ArgAction, Command};

use crate::error::{CliError, CliResult};

/// Address family filter from `-4`, `-6` or `-f`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Both.
    Any,
    /// `-4`.
    V4,
    /// `-6`.
    V6,
}

impl Family {
    /// The `AF_*` value for a dump request (`AF_UNSPEC` for both).
    pub fn af(self) -> u8 {
        match self {
            Family::Any => libc::AF_UNSPEC as u8,
            Family::V4 => libc::AF_INET as u8,
            Family::V6 => libc::AF_INET6 as u8,
        }
    }
}

/// The global options, as ip keeps them.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `-n NETNS`: the namespace already switched to.
    pub netns: Option<String>,
    /// `-j`.
    pub json: bool,
    /// `-p`.
    pub pretty: bool,
    /// `-4` / `-6`.
    pub family: Family,
    /// `-d`, counted.
    pub details: u8,
    /// `-s`, counted.
    pub stats: u8,
    /// `-all`.
    pub all: bool,
    /// `-force`: go on after a failed batch line.
    pub force: bool,
    /// `-o`.
    pub oneline: bool,
    /// `-batch FILE`: commands that would replace the process (`netns exec`) fork instead.
    pub batch: bool,
}

/// ip's global options in ip's matching order: (ip spelling, clap long name, takes a value).
const GLOBAL_OPTIONS: &[(&str, &str, bool)] = &[
    ("-family", "family", true),
    ("-4", "inet", false),
    ("-6", "inet6", false),
    ("-help", "help", false),
    ("-Version", "version", false),
    ("-stats", "stats", false),
    ("-details", "details", false),
    ("-oneline", "oneline", false),
    ("-force", "force", false),
    ("-batch", "batch", true),
    ("-netns", "netns", true),
    ("-all", "all", false),
    ("-json", "json", false),
    ("-pretty", "pretty", false),
];

/// Matches ip's `matches()`: `word` is a non-empty prefix of `full`.
pub fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// A cursor over the words after the object, with ip's keyword helpers.
#[derive(Debug, Clone)]
pub struct Args<'a> {
    words: &'a [String],
    pos: usize,
}

impl<'a> Args<'a> {
    /// A cursor at the first of `words`.
    pub fn new(words: &'a [String]) -> Self {
        Args { words, pos: 0 }
    }
    /// The next word, consumed.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a str> {
        let w = self.words.get(self.pos)?;
        self.pos += 1;
        Some(w.as_str())
    }
    /// The value after keyword `keyword`, or ip's "Command line is not complete" error.
    pub fn value(&mut self, keyword: &str) -> CliResult<&'a str> {
        let _ = keyword;
        self.next().ok_or_else(incomplete)
    }
    /// Everything not yet consumed.
    pub fn rest(&self) -> &'a [String] {
        self.words.get(self.pos..).unwrap_or(&[])
    }
    /// Whether all words are consumed.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
    }
}

/// ip's error for a keyword without its value.
pub fn incomplete() -> CliError {
    CliError::usage("Command line is not complete. Try option \"help\"")
}

/// ip's error for a second value where one is allowed: `Error: either "dev" is duplicate, or "x" is a garbage.`
pub fn duplicate_arg(key: &str, arg: &str) -> CliError {
    CliError::usage(format!(
        "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage."
    ))
}

/// ip's error for an argument it cannot read: `Error: argument "x" is wrong: what`.
pub fn invalid_arg(what: &str, arg: &str) -> CliError {
    CliError::usage(format!("Error: argument \"{arg}\" is wrong: {what}"))
}

/// The objects in ip's order, so that prefixes resolve as ip resolves them.
const OBJECTS: &[&str] = &[
    "address",
    "addrlabel",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "ntbl",
    "link",
    "l2tp",
    "fou",
    "ila",
    "macsec",
    "tunnel",
    "tuntap",
    "tap",
    "token",
    "tcpmetrics",
    "tcp_metrics",
    "monitor",
    "xfrm",
    "mroute",
    "mrule",
    "netns",
    "netconf",
    "vrf",
    "sr",
    "nexthop",
    "mptcp",
    "ioam",
    "help",
    "stats",
];

fn command() -> Command {
    let mut cmd = Command::new("nsip")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .allow_negative_numbers(false)
        .arg(Arg::new("object").index(1))
        .arg(
            Arg::new("args")
                .index(2)
                .num_args(0..)
                .trailing_var_arg(true)
                .allow_hyphen_values(true),
        );
    for &(_, long, takes_value) in GLOBAL_OPTIONS {
        let mut arg = Arg::new(long).long(long);
        arg = if takes_value {
            arg.action(ArgAction::Set)
        } else {
            arg.action(ArgAction::Count)
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

/// Rewrites ip-style options (`-j`, `-json`, `-n NS`, `-netns=NS`...) before the object into
/// clap's `--long` spelling, leaving the object and everything after it untouched.
fn normalize(argv: Vec<String>) -> CliResult<Vec<String>> {
    let mut out = Vec::with_capacity(argv.len() + 1);
    out.push("nsip".to_string());
    let mut words = argv.into_iter();
    while let Some(word) = words.next() {
        if word == "--" || !word.starts_with('-') || word == "-" {
            out.push(word);
            out.extend(words);
            break;
        }
        // ip accepts `--json` as well as `-json`.
        let spelled = if word.starts_with("--") {
            &word[1..]
        } else {
            &word[..]
        };
        let long = match spelled {
            "-n" => "netns",
            "-j" => "json",
            "-p" => "pretty",
            "-d" => "details",
            "-s" => "stats",
            "-a" => "all",
            "-b" => "batch",
            "-f" => "family",
            "-o" => "oneline",
            "-V" | "-v" => "version",
            "-h" => "help",
            _ => GLOBAL_OPTIONS
                .iter()
                .find(|(ip, _, _)| matches(spelled, ip))
                .map(|(_, long, _)| *long)
                .ok_or_else(|| {
                    CliError::usage(format!("Option \"{word}\" is unknown, try \"ip -help\"."))
                })?,
        };
        out.push(format!("--{long}"));
        if GLOBAL_OPTIONS
            .iter()
            .any(|(_, l, takes)| *l == long && *takes)
        {
            out.push(words.next().ok_or_else(incomplete)?);
        }
    }
    Ok(out)
}

const USAGE: &str = "Usage: nsip [ OPTIONS ] OBJECT { COMMAND | help }
       nsip [ -force ] -batch filename
where  OBJECT := { address | link | monitor | netns | route }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -f[amily] { inet | inet6 } |
                    -4 | -6 | -o[neline] | -n[etns] name | -a[ll] | -j[son] | -p[retty] |
                    -b[atch] filename | -force }";

/// A parsed command line: the globals, `-batch FILE`, and the object with its words.
#[derive(Debug)]
struct Invocation {
    globals: Globals,
    batch: Option<String>,
    object: Option<String>,
    words: Vec<String>,
}

/// Parses argv (without the program name) into globals and the object's words.
fn parse(argv: Vec<String>) -> CliResult<Invocation> {
    let normalized = normalize(argv)?;
    let m = command()
        .try_get_matches_from(normalized)
        .map_err(|e| CliError::usage(e.to_string().trim_end().to_string()))?;
    if m.get_count("help") > 0 {
        return Err(CliError::Usage {
            message: USAGE.to_string(),
            status: 0,
        });
    }
    if m.get_count("version") > 0 {
        println!("nsip utility, {}", env!("CARGO_PKG_VERSION"));
        return Err(CliError::Usage {
            message: String::new(),
            status: 0,
        });
    }
    let mut family = Family::Any;
    if m.get_count("inet") > 0 {
        family = Family::V4;
    }
    if m.get_count("inet6") > 0 {
        family = Family::V6;
    }
    if let Some(f) = m.get_one::<String>("family") {
        family = match f.as_str() {
            "inet" => Family::V4,
            "inet6" => Family::V6,
            other => {
                return Err(CliError::usage(format!(
                    "Error: argument \"{other}\" is wrong: invalid protocol family"
                )))
            }
        };
    }
    let globals = Globals {
        netns: m.get_one::<String>("netns").cloned(),
        json: m.get_count("json") > 0,
        pretty: m.get_count("pretty") > 0,
        family,
        details: m.get_count("details"),
        stats: m.get_count("stats"),
        all: m.get_count("all") > 0,
        force: m.get_count("force") > 0,
        oneline: m.get_count("oneline") > 0,
        batch: m.get_one::<String>("batch").is_some(),
    };
    let batch = m.get_one::<String>("batch").cloned();
    let object = m.get_one::<String>("object").cloned();
    let args = m
        .get_many::<String>("args")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    Ok(Invocation {
        globals,
        batch,
        object,
        words: args,
    })
}

/// Runs one object command: `object` and its words.
pub fn dispatch(g: &Globals, object: &str, words: &[String]) -> CliResult {
    let full = OBJECTS
        .iter()
        .find(|o| matches(object, o))
        .copied()
        .ok_or_else(|| {
            CliError::failed(format!("Object \"{object}\" is unknown, try \"ip help\"."))
        })?;
    let mut args = Args::new(words);
    match full {
        "address" => crate::addr::run(g, &mut args),
        "route" => crate::route::run(g, &mut args),
        "link" => crate::link::run(g, &mut args),
        "netns" => crate::netns::run(g, &mut args),
        "monitor" => crate::monitor::run(g, &mut args),
        "help" => Err(CliError::Usage {
            message: USAGE.to_string(),
            status: 0,
        }),
        other => Err(CliError::failed(format!(
            "Object \"{other}\" is not supported by nsip, try \"nsip help\"."
        ))),
    }
}

/// Reports an error on stderr as ip does and returns its exit status.
pub fn report(err: &CliError) -> i32 {
    let msg = err.message();
    if !msg.is_empty() {
        let _ = std::io::stdout().flush();
        eprintln!("{msg}");
    }
    err.status()
}

/// The program: parse, switch namespace for `-n`, then run one command or a batch.
pub fn main(argv: Vec<String>) -> i32 {
    let Invocation {
        globals,
        batch,
        object,
        words,
    } = match parse(argv) {
        Ok(p) => p,
        Err(e) => return report(&e),
    };
    if let Some(name) = &globals.netns {
        if let Err(e) = crate::netns::switch_to(name) {
            return report(&e);
        }
    }
    let result = match (batch, object) {
        (Some(file), _) => crate::batch::run(&globals, &file),
        (None, Some(object)) => dispatch(&globals, &object, &words),
        (None, None) => Err(CliError::Usage {
            message: USAGE.to_string(),
            status: 255,
        }),
    };
    let status = match result {
        Ok(()) => 0,
        Err(e) => report(&e),
    };
    if std::io::stdout().flush().is_err() {
        return 1;
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn ip_style_options_are_normalized() {
        let Invocation {
            globals: g,
            batch,
            object,
            words: rest,
        } = parse(words("-j -pretty -n foo -det -4 link show dev lo")).expect("parses");
        assert!(g.json && g.pretty);
        assert_eq!(g.netns.as_deref(), Some("foo"));
        assert_eq!(g.details, 1);
        assert_eq!(g.family, Family::V4);
        assert_eq!(batch, None);
        assert_eq!(object.as_deref(), Some("link"));
        assert_eq!(rest, words("show dev lo"));
    }

    #[test]
    fn unknown_option_is_ip_worded() {
        let err = parse(words("-zz link")).expect_err("unknown");
        assert_eq!(
            err.message(),
            "Option \"-zz\" is unknown, try \"ip -help\"."
        );
        assert_eq!(err.status(), 255);
    }

    #[test]
    fn words_after_the_object_keep_their_dashes() {
        let inv = parse(words("-all netns delete")).expect("parses");
        let (object, rest) = (inv.object, inv.words);
        assert_eq!(object.as_deref(), Some("netns"));
        assert_eq!(rest, words("delete"));
        let rest = parse(words("route add -6 x")).expect("parses").words;
        assert_eq!(rest, words("add -6 x"));
    }

    #[test]
    fn objects_resolve_in_ip_order() {
        let find = |w: &str| OBJECTS.iter().find(|o| matches(w, o)).copied();
        assert_eq!(find("a"), Some("address"));
        assert_eq!(find("r"), Some("route"));
        assert_eq!(find("l"), Some("link"));
        assert_eq!(find("netns"), Some("netns"));
        assert_eq!(find("mo"), Some("monitor"));
        assert_eq!(find("zz"), None);
    }
}
