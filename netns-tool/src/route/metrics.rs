//! The metric words of `ip route add|change|replace ...` (`mtu`, `advmss`, `rtt`, ...,
//! `congctl`, `fastopen_no_cookie`), read as ip's `iproute_modify` reads them: its
//! spellings and abbreviations, `lock`, time units, ranges and error texts. They go into
//! `RTA_METRICS` in command-line order, with the `RTAX_LOCK` bitmap last.

use std::borrow::Cow;

use netlink_core::route::consts::*;
use netlink_core::route::{lock_bit, RouteMetric};

use super::time_rtt::time_rtt;
use crate::toolbox::args::{invarg, matches, parse_u32, word_bytes, Args};
use crate::toolbox::error::CliResult;

/// The metrics a command line asked for, in its order, and the locked ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricWords<'a> {
    values: Vec<(u16, MetricWord<'a>)>,
    /// The `RTAX_LOCK` bitmap.
    pub locks: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum MetricWord<'a> {
    Number(u32),
    Name(Cow<'a, [u8]>),
}

impl MetricWords<'_> {
    /// The metrics as netlink-core's request takes them.
    pub fn for_request(&self) -> Vec<RouteMetric<'_>> {
        self.values
            .iter()
            .map(|(kind, value)| match value {
                MetricWord::Number(v) => RouteMetric::number(*kind, *v),
                MetricWord::Name(name) => RouteMetric::name(*kind, name),
            })
            .collect()
    }
    fn push(&mut self, kind: u16, value: u32) {
        self.values.push((kind, MetricWord::Number(value)));
    }
}

/// How a metric's value reads.
#[derive(Clone, Copy)]
enum Unit {
    /// `get_unsigned`.
    Number,
    /// `get_unsigned`, at most 255.
    Hops,
    /// `get_time_rtt`: milliseconds (or seconds) kept as `scale` times the value, a raw
    /// number as it is.
    Time { scale: u32 },
    /// 0 or 1.
    Bool,
    /// `ecn`.
    Features,
    /// A name (`congctl`).
    Name,
}

/// A metric keyword: its spelling, whether ip takes an abbreviation of it, its `RTAX_*`,
/// how its value reads, whether it takes `lock`, and the name its error gives.
struct Keyword {
    word: &'static str,
    abbreviable: bool,
    kind: u16,
    unit: Unit,
    lockable: bool,
    what: &'static str,
}

const fn keyword(word: &'static str, abbreviable: bool, kind: u16, unit: Unit) -> Keyword {
    Keyword {
        word,
        abbreviable,
        kind,
        unit,
        lockable: true,
        what: word,
    }
}

/// The metric keywords ip tests before `realms`, in its order: an abbreviation is the
/// first keyword it fits (`r` is reordering, `co` congctl).
const KEYWORDS: &[Keyword] = &[
    keyword("mtu", false, RTAX_MTU, Unit::Number),
    keyword("hoplimit", false, RTAX_HOPLIMIT, Unit::Hops),
    Keyword {
        what: "mss",
        ..keyword("advmss", false, RTAX_ADVMSS, Unit::Number)
    },
    keyword("reordering", true, RTAX_REORDERING, Unit::Number),
    keyword("rtt", false, RTAX_RTT, Unit::Time { scale: 8 }),
    Keyword {
        lockable: false,
        ..keyword("rto_min", false, RTAX_RTO_MIN, Unit::Time { scale: 1 })
    },
    keyword("window", true, RTAX_WINDOW, Unit::Number),
    keyword("cwnd", true, RTAX_CWND, Unit::Number),
    keyword("initcwnd", true, RTAX_INITCWND, Unit::Number),
    keyword("initrwnd", true, RTAX_INITRWND, Unit::Number),
    Keyword {
        lockable: false,
        ..keyword("features", true, RTAX_FEATURES, Unit::Features)
    },
    Keyword {
        lockable: false,
        ..keyword("quickack", true, RTAX_QUICKACK, Unit::Bool)
    },
    keyword("congctl", true, RTAX_CC_ALGO, Unit::Name),
    keyword("rttvar", true, RTAX_RTTVAR, Unit::Time { scale: 4 }),
    keyword("ssthresh", true, RTAX_SSTHRESH, Unit::Number),
];

/// ip tests `fastopen_no_cookie` last of all the route keywords.
const FASTOPEN: Keyword = Keyword {
    lockable: false,
    ..keyword(
        "fastopen_no_cookie",
        true,
        RTAX_FASTOPEN_NO_COOKIE,
        Unit::Bool,
    )
};

impl Keyword {
    fn fits(&self, word: &str) -> bool {
        if self.abbreviable {
            matches(word, self.word)
        } else {
            word == self.word
        }
    }
}

/// Reads the metric that `word` names, if it is one ip tests before `realms`; false when
/// it names none.
pub fn read_metric<'a>(
    metrics: &mut MetricWords<'a>,
    word: &str,
    args: &mut Args<'a>,
) -> CliResult<bool> {
    match KEYWORDS.iter().find(|k| k.fits(word)) {
        Some(k) => read_value(metrics, args, k).map(|()| true),
        None => Ok(false),
    }
}

/// `fastopen_no_cookie 0|1`; false when `word` is not it.
pub fn read_fastopen<'a>(
    metrics: &mut MetricWords<'a>,
    word: &str,
    args: &mut Args<'a>,
) -> CliResult<bool> {
    if !FASTOPEN.fits(word) {
        return Ok(false);
    }
    read_value(metrics, args, &FASTOPEN).map(|()| true)
}

fn read_value<'a>(metrics: &mut MetricWords<'a>, args: &mut Args<'a>, k: &Keyword) -> CliResult {
    let mut v = args.value()?;
    if k.lockable && v == "lock" {
        metrics.locks |= lock_bit(k.kind);
        v = args.value()?;
    }
    let what = k.what;
    let invalid = || invarg(&format!("\"{what}\" value is invalid\n"), v);
    let value = match k.unit {
        Unit::Number => parse_u32(v).ok_or_else(invalid)?,
        Unit::Hops => parse_u32(v).filter(|&h| h <= 255).ok_or_else(invalid)?,
        Unit::Bool => {
            let b = parse_u32(v).ok_or_else(invalid)?;
            if b > 1 {
                return Err(invarg(&format!("\"{what}\" value should be 0 or 1\n"), v));
            }
            b
        }
        Unit::Time { scale } => {
            if k.kind == RTAX_RTO_MIN {
                // ip always locks rto_min.
                metrics.locks |= lock_bit(k.kind);
            }
            let (t, raw) = time_rtt(v).ok_or_else(invalid)?;
            if raw {
                t
            } else {
                t.wrapping_mul(scale)
            }
        }
        Unit::Features if v == "ecn" => 1,
        Unit::Features => return Err(invarg("\"features\" value not valid\n", v)),
        Unit::Name => {
            // Sent as given: the kernel knows its congestion control algorithms.
            metrics
                .values
                .push((k.kind, MetricWord::Name(word_bytes(v))));
            return Ok(());
        }
    };
    metrics.push(k.kind, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::parse_modify;

    fn planned(line: &str) -> CliResult<MetricWords<'static>> {
        let words: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        let words: &'static [String] = Vec::leak(words);
        let flags = NLM_F_CREATE | NLM_F_EXCL;
        parse_modify(AF_UNSPEC, &mut Args::new(words), RTM_NEWROUTE, flags).map(|p| p.metrics)
    }

    #[test]
    fn metrics_keep_their_order_and_locks() {
        let m = planned("10/8 dev x rtt 1s mtu lock 1300 co lock reno r 3 rto_min 5 fa 1")
            .expect("valid");
        assert_eq!(
            m.for_request(),
            [
                RouteMetric::number(RTAX_RTT, 8000),
                RouteMetric::number(RTAX_MTU, 1300),
                RouteMetric::name(RTAX_CC_ALGO, b"reno"),
                RouteMetric::number(RTAX_REORDERING, 3),
                RouteMetric::number(RTAX_RTO_MIN, 5),
                RouteMetric::number(RTAX_FASTOPEN_NO_COOKIE, 1),
            ]
        );
        let locked = lock_bit(RTAX_MTU) | lock_bit(RTAX_CC_ALGO) | lock_bit(RTAX_RTO_MIN);
        assert_eq!(m.locks, locked);
        // Unabbreviable words are not metrics when shortened: "rt" is rttvar, "hop" a prefix.
        let rt = planned("10/8 rt 2").expect("rttvar");
        assert_eq!(rt.for_request(), [RouteMetric::number(RTAX_RTTVAR, 2)]);
        assert!(planned("10/8 hop 2").is_err());
    }

    #[test]
    fn metric_errors_are_ips() {
        let message = |line: &str| planned(line).expect_err(line).message().to_owned();
        assert_eq!(
            message("10/8 hoplimit 256"),
            "Error: argument \"256\" is wrong: \"hoplimit\" value is invalid\n"
        );
        assert_eq!(
            message("10/8 advmss lock x"),
            "Error: argument \"x\" is wrong: \"mss\" value is invalid\n"
        );
        assert_eq!(
            message("10/8 quickack 2"),
            "Error: argument \"2\" is wrong: \"quickack\" value should be 0 or 1\n"
        );
        assert_eq!(
            message("10/8 features cwr"),
            "Error: argument \"cwr\" is wrong: \"features\" value not valid\n"
        );
        assert_eq!(
            message("10/8 congctl lock"),
            "Command line is not complete. Try option \"help\""
        );
    }

    #[test]
    fn times_read_as_ip_reads_them() {
        assert_eq!(time_rtt("100ms"), Some((100, false)));
        assert_eq!(time_rtt("2s"), Some((2000, false)));
        assert_eq!(time_rtt("1.5s"), Some((1500, false)));
        assert_eq!(time_rtt("0.0001S"), Some((1, false)));
        assert_eq!(time_rtt("12"), Some((12, true)));
        assert_eq!(time_rtt("0x10msec"), Some((16, false)));
        assert_eq!(time_rtt("2.5"), Some((3, true)));
        assert_eq!(time_rtt("4294967296"), Some((1, true)));
        assert_eq!(time_rtt("1e3.ms"), None);
        assert_eq!(time_rtt("1.5e3ms"), Some((1500, false)));
        assert_eq!(time_rtt("-1.5s"), None);
        assert_eq!(time_rtt("ms"), None);
        assert_eq!(time_rtt("5m"), None);
        assert_eq!(time_rtt("."), None);
    }
}
