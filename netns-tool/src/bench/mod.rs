//! `nsip bench`: netlink throughput on this host, measured in a throwaway network namespace.
//!
//! A forked child unshares a new network namespace, creates and removes its own objects there
//! and prints one row per operation and mode: objects per second and the latency of each
//! request (sequential: one request, wait for its ACK; pipelined: many requests per `sendmsg`,
//! ACKs matched back) or of each whole dump. The caller's own namespace is never touched; the
//! namespace dies with the child, which the parent kills if it is interrupted.

mod ops;
mod report;
mod sandbox;

use crate::toolbox::args::{duparg, invarg, matches, parse_u32, unknown_command, Args, Globals};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::Session;

/// What `nsip bench help` prints (on stderr, status 255, as ip's usage).
const USAGE: &str = "Usage: nsip bench [ count COUNT ] [ op OP ]... [ mode MODE ]...
OP := { route-add | addr-add | veth-add | link-del | route-dump | link-dump }
MODE := { sequential | pipelined | bulk | dump }
Runs in a network namespace of its own (needs root); COUNT defaults to 1000.";

/// Objects per operation unless `count` says otherwise.
const DEFAULT_COUNT: u32 = 1000;

/// The most objects one operation handles: host addresses of 198.18.0.0/15 after the first.
pub const MAX_COUNT: u32 = 131_070;

/// One measured operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `RTM_NEWROUTE` of a /32 route.
    RouteAdd,
    /// `RTM_NEWADDR` of a /32 address.
    AddrAdd,
    /// `RTM_NEWLINK` of a veth pair.
    VethAdd,
    /// `RTM_DELLINK` of veth pairs: one by one, or a whole group at once.
    LinkDel,
    /// A route dump, every message decoded.
    RouteDump,
    /// A link dump, every message decoded.
    LinkDump,
}

/// Every operation, in the order they run.
pub const OPS: [Op; 6] = [
    Op::RouteAdd,
    Op::AddrAdd,
    Op::VethAdd,
    Op::LinkDel,
    Op::RouteDump,
    Op::LinkDump,
];

impl Op {
    /// Its name on the command line and in the output.
    pub fn name(self) -> &'static str {
        match self {
            Op::RouteAdd => "route-add",
            Op::AddrAdd => "addr-add",
            Op::VethAdd => "veth-add",
            Op::LinkDel => "link-del",
            Op::RouteDump => "route-dump",
            Op::LinkDump => "link-dump",
        }
    }

    /// The modes it runs in.
    pub fn modes(self) -> &'static [Mode] {
        match self {
            Op::RouteAdd | Op::AddrAdd | Op::VethAdd => &[Mode::Sequential, Mode::Pipelined],
            Op::LinkDel => &[Mode::Sequential, Mode::Pipelined, Mode::Bulk],
            Op::RouteDump | Op::LinkDump => &[Mode::Dump],
        }
    }
}

/// How the requests of an operation are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One request, then wait for its ACK.
    Sequential,
    /// Windows of requests per `sendmsg`, ACKs matched back to requests.
    Pipelined,
    /// One request for every object (`RTM_DELLINK` of a device group).
    Bulk,
    /// Repeated dumps; latency is per dump.
    Dump,
}

/// Every mode.
pub const MODES: [Mode; 4] = [Mode::Sequential, Mode::Pipelined, Mode::Bulk, Mode::Dump];

impl Mode {
    /// Its name on the command line and in the output.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Sequential => "sequential",
            Mode::Pipelined => "pipelined",
            Mode::Bulk => "bulk",
            Mode::Dump => "dump",
        }
    }
}

/// What to measure: objects per operation, and which operations and modes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Objects each operation creates (routes, addresses, veth pairs).
    pub count: u32,
    /// The operations, in the order they run, each once.
    pub ops: Vec<Op>,
    /// The modes to run them in (all when none was named).
    pub modes: Vec<Mode>,
}

impl Plan {
    /// The (operation, mode) pairs to measure, in order.
    pub fn runs(&self) -> impl Iterator<Item = (Op, Mode)> + '_ {
        self.ops.iter().flat_map(move |&op| {
            op.modes()
                .iter()
                .filter(move |m| self.modes.contains(m))
                .map(move |&m| (op, m))
        })
    }
}

/// `op NAME` / `mode NAME`: adds the one of `all` so named to `chosen` (once, however often
/// it is named), or refuses `value` as ip's `invarg` does: `"KEY" value is invalid`.
fn choose<T: Copy + PartialEq>(
    chosen: &mut Vec<T>,
    all: &[T],
    name: fn(T) -> &'static str,
    key: &str,
    value: &str,
) -> CliResult {
    let item = all
        .iter()
        .copied()
        .find(|&t| name(t) == value)
        .ok_or_else(|| invarg(&format!("\"{key}\" value is invalid"), value))?;
    if !chosen.contains(&item) {
        chosen.push(item);
    }
    Ok(())
}

/// Parses `[count N] [op OP]... [mode MODE]...` (ip's keyword prefixes; `help`).
pub fn parse_bench(args: &mut Args<'_>) -> CliResult<Plan> {
    let mut count = None;
    let mut ops = Vec::new();
    let mut modes = Vec::new();
    while let Some(word) = args.next() {
        if matches(word, "count") {
            let value = args.value()?;
            if count.is_some() {
                return Err(duparg("count", value));
            }
            count = Some(
                parse_u32(value)
                    .filter(|n| (1..=MAX_COUNT).contains(n))
                    .ok_or_else(|| invarg("\"count\" value is invalid", value))?,
            );
        } else if matches(word, "op") {
            choose(&mut ops, &OPS, Op::name, "op", args.value()?)?;
        } else if matches(word, "mode") {
            choose(&mut modes, &MODES, Mode::name, "mode", args.value()?)?;
        } else if matches(word, "help") {
            return Err(CliError::usage(USAGE));
        } else {
            return Err(unknown_command("nsip bench", word));
        }
    }
    // The canonical order, whatever order they were named in.
    let ops = OPS
        .into_iter()
        .filter(|op| ops.is_empty() || ops.contains(op))
        .collect();
    if modes.is_empty() {
        modes = MODES.to_vec();
    }
    let plan = Plan {
        count: count.unwrap_or(DEFAULT_COUNT),
        ops,
        modes,
    };
    if plan.runs().next().is_none() {
        return Err(CliError::usage(
            "Error: none of the chosen operations runs in the chosen modes.",
        ));
    }
    Ok(plan)
}

/// `nsip bench ...`: parse, then measure in a forked child's own network namespace.
///
/// The caller's session only sends what earlier batch lines held back (so their failures
/// are reported first); its socket belongs to the caller's namespace and is not used.
// Its own function, not inlined into `cli::dispatch`: the binary is smaller so.
#[inline(never)]
pub fn run(g: &Globals, session: &mut Session, args: &mut Args<'_>) -> CliResult {
    let plan = parse_bench(args)?;
    session.send_held()?;
    let (json, pretty) = (g.json, g.pretty);
    sandbox::in_throwaway_namespace(|| ops::measure(&plan, json, pretty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::toolbox::args::incomplete;

    fn plan(line: &str) -> CliResult<Plan> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse_bench(&mut Args::new(&words))
    }

    #[test]
    fn defaults_run_every_operation_in_every_mode() {
        let p = plan("").expect("plan");
        assert_eq!(p.count, DEFAULT_COUNT);
        let runs: Vec<String> = p
            .runs()
            .map(|(o, m)| format!("{} {}", o.name(), m.name()))
            .collect();
        assert_eq!(
            runs.join(", "),
            "route-add sequential, route-add pipelined, addr-add sequential, addr-add pipelined, \
             veth-add sequential, veth-add pipelined, link-del sequential, link-del pipelined, \
             link-del bulk, route-dump dump, link-dump dump"
        );
    }

    #[test]
    fn selections_keep_the_canonical_order() {
        let p = plan("c 200 op link-dump op route-add op route-add mode pipelined mode dump")
            .expect("plan");
        assert_eq!(p.count, 200);
        let runs: Vec<_> = p.runs().map(|(o, m)| (o.name(), m.name())).collect();
        assert_eq!(runs, [("route-add", "pipelined"), ("link-dump", "dump")]);
        assert_eq!(plan("count 0x10").expect("hex").count, 16);
    }

    #[test]
    fn errors_are_worded_as_ip_words_them() {
        let message = |line: &str| {
            let e = plan(line).expect_err(line);
            assert_eq!(e.status(), 255, "{line}");
            e.message().to_string()
        };
        assert_eq!(
            message("count"),
            incomplete().message(),
            "a keyword without its value"
        );
        assert_eq!(
            message("count x"),
            "Error: argument \"x\" is wrong: \"count\" value is invalid"
        );
        assert_eq!(
            message("count 0"),
            "Error: argument \"0\" is wrong: \"count\" value is invalid"
        );
        assert_eq!(
            message("count 131071"),
            "Error: argument \"131071\" is wrong: \"count\" value is invalid"
        );
        assert_eq!(
            message("count 5 count 6"),
            "Error: duplicate \"count\": \"6\" is the second value."
        );
        assert_eq!(
            message("op route"),
            "Error: argument \"route\" is wrong: \"op\" value is invalid"
        );
        assert_eq!(
            message("mode fast"),
            "Error: argument \"fast\" is wrong: \"mode\" value is invalid"
        );
        assert_eq!(
            message("bogus"),
            "Command \"bogus\" is unknown, try \"nsip bench help\"."
        );
        assert_eq!(message("help"), USAGE);
        assert!(message("op route-add mode dump").contains("none of the chosen"));
    }
}
