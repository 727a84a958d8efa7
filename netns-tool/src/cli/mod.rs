//! The dispatcher: argv (as bytes) into ip's global options and one object command, or a
//! `-batch` of them, each run with the one netlink session of the process.
//!
//! Global options are matched the way ip 6.1's `main()` matches them: in its order, by
//! prefix, so `-s` is `-stats`, `-h` is `-human` and `-n` is `-netns`.

pub mod batch;

use std::ffi::OsString;
use std::io::Write;

use crate::toolbox::args::{
    incomplete, invarg, matches, word_from_os, Args, Family, Globals, StampForm,
};
use crate::toolbox::color::{color_option, palette_for_process, ColorMode};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::files::StdoutFd;
use crate::toolbox::held::Hold;
use crate::toolbox::session::Session;

/// What an object word leads to: one of the objects nsip runs, `help`, or another of ip's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    Address,
    Route,
    Rule,
    Neighbour,
    Link,
    Monitor,
    Netns,
    Bench,
    Help,
    /// An ip object nsip does not have.
    Other,
}

/// The objects in ip's order, so that prefixes resolve as ip resolves them.
const OBJECTS: &[(&str, Object)] = &[
    ("address", Object::Address),
    ("addrlabel", Object::Other),
    ("maddress", Object::Other),
    ("route", Object::Route),
    ("rule", Object::Rule),
    ("neighbor", Object::Neighbour),
    ("neighbour", Object::Neighbour),
    ("ntable", Object::Other),
    ("ntbl", Object::Other),
    ("link", Object::Link),
    ("l2tp", Object::Other),
    ("fou", Object::Other),
    ("ila", Object::Other),
    ("macsec", Object::Other),
    ("tunnel", Object::Other),
    ("tuntap", Object::Other),
    ("tap", Object::Other),
    ("token", Object::Other),
    ("tcpmetrics", Object::Other),
    ("tcp_metrics", Object::Other),
    ("monitor", Object::Monitor),
    ("xfrm", Object::Other),
    ("mroute", Object::Other),
    ("mrule", Object::Other),
    ("netns", Object::Netns),
    ("netconf", Object::Other),
    ("vrf", Object::Other),
    ("sr", Object::Other),
    ("nexthop", Object::Other),
    ("mptcp", Object::Other),
    ("ioam", Object::Other),
    ("help", Object::Help),
    ("stats", Object::Other),
    // nsip's own, last so that no prefix of ip's objects reaches it.
    ("bench", Object::Bench),
];

/// ip's global options in ip's matching order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GlobalOption {
    Loops,
    Family,
    Inet,
    Inet6,
    Packet,
    Mpls,
    Bridge,
    Human,
    Iec,
    Stats,
    Details,
    Resolve,
    Oneline,
    Timestamp,
    TimestampShort,
    Version,
    Force,
    Batch,
    Brief,
    Json,
    Pretty,
    RcvBuf,
    Color,
    Help,
    Netns,
    Numeric,
    All,
    Echo,
}

/// (spelling, whole word only, option): ip tries them in this order.
const GLOBAL_OPTIONS: &[(&str, bool, GlobalOption)] = &[
    ("-loops", false, GlobalOption::Loops),
    ("-family", false, GlobalOption::Family),
    ("-4", true, GlobalOption::Inet),
    ("-6", true, GlobalOption::Inet6),
    ("-0", true, GlobalOption::Packet),
    ("-M", true, GlobalOption::Mpls),
    ("-B", true, GlobalOption::Bridge),
    ("-human", false, GlobalOption::Human),
    ("-human-readable", false, GlobalOption::Human),
    ("-iec", false, GlobalOption::Iec),
    ("-stats", false, GlobalOption::Stats),
    ("-statistics", false, GlobalOption::Stats),
    ("-details", false, GlobalOption::Details),
    ("-resolve", false, GlobalOption::Resolve),
    ("-oneline", false, GlobalOption::Oneline),
    ("-timestamp", false, GlobalOption::Timestamp),
    ("-tshort", false, GlobalOption::TimestampShort),
    ("-Version", false, GlobalOption::Version),
    ("-force", false, GlobalOption::Force),
    ("-batch", false, GlobalOption::Batch),
    ("-brief", false, GlobalOption::Brief),
    ("-json", false, GlobalOption::Json),
    ("-pretty", false, GlobalOption::Pretty),
    ("-rcvbuf", false, GlobalOption::RcvBuf),
    ("-color", false, GlobalOption::Color),
    ("-help", false, GlobalOption::Help),
    ("-netns", false, GlobalOption::Netns),
    ("-Numeric", false, GlobalOption::Numeric),
    ("-all", false, GlobalOption::All),
    ("-echo", false, GlobalOption::Echo),
];

fn find_option(spelled: &str) -> Option<GlobalOption> {
    GLOBAL_OPTIONS
        .iter()
        .find(|&&(full, whole, option)| {
            if option == GlobalOption::Color {
                spelled_color(spelled).is_some()
            } else if whole {
                spelled == full
            } else {
                matches(spelled, full)
            }
        })
        .map(|&(_, _, option)| option)
}

/// `-color[=WHEN]`: only this option has a value after `=`.
fn spelled_color(spelled: &str) -> Option<ColorMode> {
    color_option(spelled, |name| matches(name, "-color"))
}

/// What nsip prints for `help`, `-help` and a missing object (on stderr, status 255 as ip);
/// `$bench` names the bench object where the build has it.
macro_rules! usage_text {
    ($bench:literal) => {
        concat!(
            "Usage: nsip [ OPTIONS ] OBJECT { COMMAND | help }
       nsip [ -force ] -batch filename
where  OBJECT := { address | link | monitor | neighbor | netns | route | rule",
            $bench,
            " }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -f[amily] { inet | inet6 } |
                    -4 | -6 | -o[neline] | -n[etns] name | -a[ll] | -j[son] | -p[retty] |
                    -br[ief] | -c[olor] | -b[atch] filename | -force }"
        )
    };
}
#[cfg(feature = "bench")]
const USAGE: &str = usage_text!(" | bench");
#[cfg(not(feature = "bench"))]
const USAGE: &str = usage_text!("");

fn usage() -> CliError {
    CliError::usage(USAGE)
}

/// `nsip bench` in a build without the `bench` feature (the `--min` build).
#[cfg(not(feature = "bench"))]
fn bench_left_out() -> CliError {
    CliError::failed("\"bench\" is not in this build of nsip (built without the bench feature).")
}

/// A parsed command line: the globals, `-batch FILE`, and the object with its words.
#[derive(Debug)]
struct Invocation {
    globals: Globals,
    /// `-color`'s mode: the palette it leads to depends on stdout, so `main` decides it.
    color: ColorMode,
    batch: Option<String>,
    object: Option<String>,
    /// What follows the object, left in argv's own iterator (not collected again).
    words: std::vec::IntoIter<String>,
}

/// What the options asked for before any command runs.
#[derive(Debug)]
enum Parsed {
    Run(Invocation),
    Version,
}

/// Parses argv (without the program name) into globals and the object's words.
fn parse(argv: Vec<String>) -> CliResult<Parsed> {
    let mut g = Globals::default();
    let mut batch = None;
    let mut color = ColorMode::Never;
    let mut words = argv.into_iter();
    let mut object = None;
    while let Some(word) = words.next() {
        if word == "--" {
            object = words.next();
            break;
        }
        if !word.starts_with('-') {
            object = Some(word);
            break;
        }
        let spelled = word
            .strip_prefix('-')
            .filter(|w| w.starts_with('-'))
            .unwrap_or(&word);
        let option = find_option(spelled).ok_or_else(|| {
            CliError::usage(format!("Option \"{word}\" is unknown, try \"ip -help\"."))
        })?;
        match option {
            GlobalOption::Family => {
                let value = words.next().ok_or_else(usage)?;
                g.family = match value.as_str() {
                    "inet" => Family::V4,
                    "inet6" => Family::V6,
                    "help" => return Err(usage()),
                    _ => return Err(invarg("invalid protocol family", &value)),
                };
            }
            GlobalOption::Inet => g.family = Family::V4,
            GlobalOption::Inet6 => g.family = Family::V6,
            GlobalOption::Stats => g.stats = g.stats.saturating_add(1),
            GlobalOption::Details => g.details = g.details.saturating_add(1),
            GlobalOption::Oneline => g.oneline = true,
            GlobalOption::Brief => g.brief = true,
            GlobalOption::Color => color = spelled_color(spelled).unwrap_or(ColorMode::Always),
            GlobalOption::Version => return Ok(Parsed::Version),
            GlobalOption::Force => g.force = true,
            GlobalOption::Batch => batch = Some(words.next().ok_or_else(usage)?),
            GlobalOption::Json => g.json = true,
            GlobalOption::Pretty => g.pretty = true,
            GlobalOption::Help => return Err(usage()),
            GlobalOption::Netns => g.netns = Some(words.next().ok_or_else(incomplete)?),
            GlobalOption::All => g.all = true,
            // ip counts both; one `-ts` anywhere makes the stamps short.
            GlobalOption::Timestamp if g.timestamp.is_none() => g.timestamp = Some(StampForm::Line),
            GlobalOption::Timestamp => {}
            GlobalOption::TimestampShort => g.timestamp = Some(StampForm::Short),
            _ => {
                return Err(CliError::usage(format!(
                    "Option \"{word}\" is not supported by nsip, try \"nsip -help\"."
                )))
            }
        }
    }
    g.batch = batch.is_some();
    Ok(Parsed::Run(Invocation {
        globals: g,
        color,
        batch,
        object,
        words,
    }))
}

/// The object a word names (its full name and what it leads to), in ip's order of prefixes.
fn object_named(word: &str) -> Option<(&'static str, Object)> {
    OBJECTS
        .iter()
        .find(|(full, _)| matches(word, full))
        .copied()
}

/// [`object_named`], or ip's error for a word that names none.
fn object_of(word: &str) -> CliResult<(&'static str, Object)> {
    object_named(word)
        .ok_or_else(|| CliError::failed(format!("Object \"{word}\" is unknown, try \"ip help\".")))
}

/// Runs one object command: `object` and its words.
pub fn dispatch(g: &Globals, session: &mut Session, object: &str, words: &[String]) -> CliResult {
    let (full, object) = object_of(object)?;
    let mut args = Args::new(words);
    match object {
        Object::Address => crate::addr::run(g, session, &mut args),
        Object::Route => crate::route::run(g, session, &mut args),
        Object::Neighbour => crate::neigh::run(g, session, &mut args),
        Object::Rule => crate::rule::run(g, session, &mut args),
        Object::Link => crate::link::run(g, session, &mut args),
        Object::Netns => crate::netns::run(g, session, &mut args),
        Object::Monitor => crate::monitor::run(g, session, &mut args),
        #[cfg(feature = "bench")]
        Object::Bench => crate::bench::run(g, session, &mut args),
        #[cfg(not(feature = "bench"))]
        Object::Bench => Err(bench_left_out()),
        Object::Help => Err(usage()),
        Object::Other => Err(CliError::failed(format!(
            "Object \"{full}\" is not supported by nsip, try \"nsip help\"."
        ))),
    }
}

/// Runs a batch file with one session. With `-force` the lines that are one request and
/// one ACK hold their requests back, to go many per `sendmsg` ([`Session::request`]);
/// any other line, and any failure, sends what is held first, so every line's output and
/// error comes out in line order, as ip prints them.
fn run_batch(g: &Globals, session: &mut Session, file: &str) -> CliResult {
    let name = file.to_owned();
    session.start_batch(
        g.force,
        Box::new(move |line, error| batch::report_failed_line(&name, line, error)),
    );
    let result = batch::run(g, file, &mut |line, words| {
        let Some((object, rest)) = words.split_first() else {
            return Ok(());
        };
        session.begin_line(line, hold_of(object, rest));
        let result = dispatch(g, session, object, rest);
        if result.is_err() {
            session.send_held()?;
        }
        result
    });
    session.send_held()?;
    match result {
        Ok(()) if session.held_failures() > 0 => Err(CliError::failed("")),
        other => other,
    }
}

/// What a batch line may hold back: route, address and rule changes are one request and
/// one ACK with nothing printed (held under `-force`; a refused neighbour change ends even
/// a `-force` batch in ip, so it is never held); `link delete` may join a bulk deletion.
fn hold_of(object: &str, words: &[String]) -> Hold {
    let Some(command) = words.first().map(String::as_str) else {
        return Hold::Never;
    };
    let is = |commands: &[&str]| commands.iter().any(|full| matches(command, full));
    match object_named(object).map(|(_, object)| object) {
        Some(Object::Route) if is(&["add", "delete", "change", "replace", "prepend", "append"]) => {
            Hold::WithForce
        }
        Some(Object::Address) if is(&["add", "delete", "change", "replace"]) => Hold::WithForce,
        Some(Object::Rule) if is(&["add", "delete"]) => Hold::WithForce,
        Some(Object::Link) if is(&["delete"]) => Hold::Always,
        _ => Hold::Never,
    }
}

/// Reads a command line (without the program name) as [`main`] does, through the global
/// options and the object's own parser, and stops there: no namespace switch, no socket, no
/// file opened, nothing printed. The fuzz target for the command line drives this.
pub fn parse_only(argv: Vec<OsString>) -> CliResult {
    let argv = argv.into_iter().map(word_from_os).collect();
    match parse(argv)? {
        Parsed::Run(Invocation {
            globals,
            object: Some(object),
            words,
            ..
        }) => parse_object(&globals, &object, words.as_slice()),
        _ => Ok(()),
    }
}

/// One object command's words through the object's parser alone (what [`dispatch`] would
/// run, short of running it). Objects whose parsing still needs the kernel are only named.
pub fn parse_object(g: &Globals, object: &str, words: &[String]) -> CliResult {
    match object_of(object)?.1 {
        Object::Netns => crate::netns::parse(g, words).map(drop),
        Object::Monitor => crate::monitor::parse(&mut Args::new(words)).map(drop),
        Object::Link => crate::link::parse(&mut Args::new(words)).map(drop),
        Object::Address => crate::addr::parse(g, &mut Args::new(words)).map(drop),
        Object::Route => crate::route::parse(g, &mut Args::new(words)).map(drop),
        Object::Neighbour => crate::neigh::parse(g, &mut Args::new(words)).map(drop),
        Object::Rule => crate::rule::parse(g, &mut Args::new(words)).map(drop),
        #[cfg(feature = "bench")]
        Object::Bench => crate::bench::parse_bench(&mut Args::new(words)).map(drop),
        #[cfg(not(feature = "bench"))]
        Object::Bench => Err(bench_left_out()),
        Object::Help => Err(usage()),
        Object::Other => Ok(()),
    }
}

/// Reports an error on stderr as ip does (a word's own bytes, not their escape) and
/// returns its exit status.
pub fn report(err: &CliError) -> i32 {
    err.print();
    err.status()
}

/// The program: parse, switch namespace for `-n`, then run one command or a batch.
pub fn main(argv: Vec<OsString>) -> i32 {
    let argv = argv.into_iter().map(word_from_os).collect();
    let Invocation {
        mut globals,
        color,
        batch,
        object,
        words,
    } = match parse(argv) {
        Ok(Parsed::Run(p)) => p,
        Ok(Parsed::Version) => {
            let version = concat!("nsip utility, ", env!("CARGO_PKG_VERSION"), "\n");
            return i32::from(StdoutFd.write_all(version.as_bytes()).is_err());
        }
        Err(e) => return report(&e),
    };
    globals.color = palette_for_process(color, globals.json);
    if let Some(name) = &globals.netns {
        if let Err(e) = crate::netns::switch_to(name) {
            return report(&e);
        }
    }
    let mut session = Session::new();
    let result = match (batch, object) {
        (Some(file), _) => run_batch(&globals, &mut session, &file),
        (None, Some(object)) => dispatch(&globals, &mut session, &object, words.as_slice()),
        (None, None) => Err(usage()),
    };
    match result {
        Ok(()) => 0,
        Err(e) => report(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn invocation(s: &str) -> Invocation {
        match parse(words(s)) {
            Ok(Parsed::Run(inv)) => inv,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn ip_style_options_are_read_in_ip_order() {
        let inv = invocation("-j -pretty -n foo -det -4 -s --stat link show dev lo");
        let g = inv.globals;
        assert!(g.json && g.pretty);
        assert_eq!(g.netns.as_deref(), Some("foo"));
        assert_eq!((g.details, g.stats), (1, 2));
        assert_eq!(g.family, Family::V4);
        assert_eq!(inv.batch, None);
        assert_eq!(inv.object.as_deref(), Some("link"));
        assert_eq!(inv.words.as_slice(), words("show dev lo"));
        assert!(matches!(parse(words("-V")), Ok(Parsed::Version)));
    }

    #[test]
    fn time_stamp_options_choose_the_form() {
        let form = |line| match parse(words(line)) {
            Ok(Parsed::Run(inv)) => inv.globals.timestamp,
            _ => panic!("{line} parses"),
        };
        assert_eq!(form("monitor"), None);
        assert_eq!(form("-t monitor"), Some(StampForm::Line));
        assert_eq!(form("-timestamp -t monitor"), Some(StampForm::Line));
        assert_eq!(form("-ts monitor"), Some(StampForm::Short));
        assert_eq!(form("-ts -t monitor"), Some(StampForm::Short));
        assert_eq!(form("-t -tshort monitor"), Some(StampForm::Short));
    }

    #[test]
    fn unknown_and_unsupported_options_are_worded() {
        let err = parse(words("-zz link")).expect_err("unknown");
        assert_eq!(
            err.message(),
            "Option \"-zz\" is unknown, try \"ip -help\"."
        );
        assert_eq!(err.status(), 255);
        // ip reads `-h` as `-human`, not as help.
        let err = parse(words("-h link")).expect_err("unsupported");
        assert!(err.message().contains("not supported by nsip"), "{err}");
        let err = parse(words("-help")).expect_err("usage");
        assert_eq!((err.message(), err.status()), (USAGE, 255));
        let err = parse(words("-f bogus link")).expect_err("family");
        assert_eq!(
            err.message(),
            "Error: argument \"bogus\" is wrong: invalid protocol family"
        );
    }

    #[test]
    fn only_color_takes_a_value_after_an_equals_sign() {
        assert_eq!(invocation("-c link").color, ColorMode::Always);
        assert_eq!(invocation("--color=auto link").color, ColorMode::Auto);
        assert_eq!(invocation("-c -col=never -br link").color, ColorMode::Never);
        assert_eq!(invocation("-col= link").color, ColorMode::Always);
        assert!(invocation("-br link").globals.brief);
        assert_eq!(invocation("link").color, ColorMode::Never);
        for word in ["-c=bogus", "-j=x", "-br=1", "-colors"] {
            let err = parse(words(&format!("{word} link"))).expect_err(word);
            assert_eq!(
                err.message(),
                format!("Option \"{word}\" is unknown, try \"ip -help\".")
            );
        }
    }

    #[test]
    fn words_after_the_object_keep_their_dashes() {
        let inv = invocation("-all netns delete");
        assert!(inv.globals.all);
        assert_eq!(inv.object.as_deref(), Some("netns"));
        assert_eq!(inv.words.as_slice(), words("delete"));
        assert_eq!(
            invocation("route add -6 x").words.as_slice(),
            words("add -6 x")
        );
        assert_eq!(invocation("-- -x").object.as_deref(), Some("-x"));
    }

    fn parse_line(line: &str) -> CliResult {
        parse_only(line.split_whitespace().map(OsString::from).collect())
    }

    #[test]
    fn parse_only_reads_the_objects_words_without_running_them() {
        assert!(parse_line("netns add x").is_ok());
        assert!(parse_line("-n nowhere netns exec x true").is_ok());
        assert!(parse_line("-batch /nonexistent").is_ok());
        let message = |line| parse_line(line).expect_err(line).message().to_string();
        assert_eq!(message("netns add a/b"), "Invalid netns name \"a/b\"");
        assert_eq!(
            message("-j monitor bogus"),
            "Argument \"bogus\" is unknown, try \"ip monitor help\"."
        );
        assert_eq!(message("zz"), "Object \"zz\" is unknown, try \"ip help\".");
        // link and address read their whole plan here too.
        assert!(parse_line("link set dev lo up").is_ok());
        assert!(parse_line("link set dev lo mtu abc").is_err());
        assert!(parse_line("address add 192.0.2.1/24 dev lo").is_ok());
        assert!(parse_line("address add 192.0.2.1/33 dev lo").is_err());
        assert_eq!(
            message("-zz"),
            "Option \"-zz\" is unknown, try \"ip -help\"."
        );
    }

    #[test]
    fn objects_resolve_in_ip_order() {
        let find = |w: &str| object_named(w).map(|(full, _)| full);
        assert_eq!(find("a"), Some("address"));
        assert_eq!(find("r"), Some("route"));
        assert_eq!(find("l"), Some("link"));
        assert_eq!(find("netns"), Some("netns"));
        assert_eq!(find("mo"), Some("monitor"));
        assert_eq!(find("zz"), None);
    }
}
