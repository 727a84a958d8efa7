//! The bench's figures: one row per operation and mode, with objects per second and latency
//! percentiles, printed as a text table or as ip-style JSON. Integer arithmetic only (no float
//! formatting in the binary): JSON carries nanoseconds, the text microseconds through the
//! route printer's `%g`.

use std::io::Write;
use std::time::Duration;

use super::{Mode, Op};
use crate::show::route_parts::format_g;
use crate::toolbox::error::{write_error, CliResult};
use crate::toolbox::output::Out;

/// A duration in nanoseconds (saturating; 584 years fit).
pub fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// One measured operation and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The operation.
    pub op: Op,
    /// How its requests were sent.
    pub mode: Mode,
    /// Objects per request batch, or per dump.
    pub count: usize,
    /// Objects handled in all, for the rate.
    pub handled: u64,
    /// Wall time of the whole operation, in nanoseconds.
    pub elapsed: u64,
    /// Latency samples (per request, or per dump), in nanoseconds.
    pub samples: Vec<u64>,
}

impl Row {
    /// `count` objects handled in `elapsed`.
    pub fn new(count: usize, elapsed: Duration, samples: Vec<u64>) -> Row {
        Row::dumped(count, 1, elapsed, samples)
    }

    /// `count` objects per dump, `repeats` dumps in `elapsed`.
    pub fn dumped(count: usize, repeats: usize, elapsed: Duration, samples: Vec<u64>) -> Row {
        Row {
            op: Op::RouteAdd,
            mode: Mode::Dump,
            count,
            handled: (count as u64).saturating_mul(repeats as u64),
            elapsed: nanos(elapsed),
            samples,
        }
    }

    /// The row, labelled.
    pub fn of(self, op: Op, mode: Mode) -> Row {
        Row { op, mode, ..self }
    }

    /// Objects per second.
    pub fn rate(&self) -> u64 {
        let per_sec = u128::from(self.handled) * 1_000_000_000 / u128::from(self.elapsed.max(1));
        u64::try_from(per_sec).unwrap_or(u64::MAX)
    }

    /// p50, p90, p99 and the maximum of the samples (nearest rank), in nanoseconds.
    pub fn percentiles(&self) -> [u64; 4] {
        let mut sorted = self.samples.clone();
        heapsort(&mut sorted);
        [50, 90, 99, 100].map(|p| nearest_rank(&sorted, p))
    }
}

/// Sorts in place, in O(n log n) and no memory. Written out because nothing else in nsip
/// sorts numbers and std's `sort_unstable` costs 3 KB of the static binary; this is a tenth.
fn heapsort(v: &mut [u64]) {
    // Moves v[root] down until both children are smaller, within v[..end].
    fn sift_down(v: &mut [u64], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    for root in (0..v.len() / 2).rev() {
        sift_down(v, root, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// The `p`th percentile of sorted samples by nearest rank: the smallest sample with at least
/// `p` percent of the samples at or below it (0 for no samples).
fn nearest_rank(sorted: &[u64], p: usize) -> u64 {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied().unwrap_or(0)
}

/// Nanoseconds as microseconds, `%g`-style.
fn micros(ns: u64) -> String {
    match u32::try_from(ns) {
        Ok(ns) => format_g(ns),
        Err(_) => (ns / 1000).to_string(),
    }
}

const PERCENTILE_KEYS: [&str; 4] = ["p50", "p90", "p99", "max"];

/// Prints rows as they come: a table with a header line, or a JSON array of objects.
pub struct Printer<W: Write> {
    out: Out<W>,
}

impl<W: Write> Printer<W> {
    /// Starts the output (the header, or `[`).
    pub fn new(w: W, json: bool, pretty: bool) -> CliResult<Self> {
        let mut out = Out::new(w, json, pretty);
        out.text(format_args!(
            "{:<11} {:<10} {:>7} {:>10} {:>10} {:>10} {:>10} {:>10}\n",
            "op", "mode", "count", "ops/s", "p50 us", "p90 us", "p99 us", "max us"
        ))
        .and_then(|()| out.open_array(None))
        .and_then(|()| out.flush())
        .map_err(write_error)?;
        Ok(Printer { out })
    }

    /// One row, flushed so a long run shows its progress.
    pub fn row(&mut self, row: &Row) -> CliResult {
        self.write_row(row).map_err(write_error)
    }

    fn write_row(&mut self, row: &Row) -> std::io::Result<()> {
        let out = &mut self.out;
        let (op, mode) = (row.op.name(), row.mode.name());
        out.open_object(None)?;
        out.string("op", format_args!("{op:<11} "), op)?;
        out.string("mode", format_args!("{mode:<10} "), mode)?;
        out.uint("count", format_args!("{:>7} ", row.count), row.count as u64)?;
        out.json_uint("samples", row.samples.len() as u64)?;
        out.json_uint("elapsed_ns", row.elapsed)?;
        out.uint(
            "ops_per_sec",
            format_args!("{:>10}", row.rate()),
            row.rate(),
        )?;
        out.json_str(
            "latency_per",
            if row.mode == Mode::Dump {
                "dump"
            } else {
                "request"
            },
        )?;
        out.open_object(Some("latency_ns"))?;
        for (key, ns) in PERCENTILE_KEYS.into_iter().zip(row.percentiles()) {
            out.uint(key, format_args!(" {:>10}", micros(ns)), ns)?;
        }
        out.close_object()?;
        out.close_object()?;
        out.text(format_args!("\n"))?;
        out.flush()
    }

    /// Ends the output (`]`).
    pub fn finish(mut self) -> CliResult {
        self.out
            .close_array()
            .and_then(|()| self.out.finish())
            .map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(samples: &[u64], count: usize, elapsed_ms: u64) -> Row {
        Row::new(count, Duration::from_millis(elapsed_ms), samples.to_vec())
            .of(Op::RouteAdd, Mode::Sequential)
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let hundred: Vec<u64> = (1..=100).rev().collect();
        assert_eq!(row(&hundred, 100, 1).percentiles(), [50, 90, 99, 100]);
        assert_eq!(row(&[7], 1, 1).percentiles(), [7, 7, 7, 7]);
        assert_eq!(row(&[30, 10, 20], 3, 1).percentiles(), [20, 30, 30, 30]);
        assert_eq!(row(&[], 0, 1).percentiles(), [0, 0, 0, 0]);
    }

    #[test]
    fn heapsort_sorts() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in [0, 1, 2, 3, 7, 64, 1000] {
            let mut v: Vec<u64> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed % 50
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            heapsort(&mut v);
            assert_eq!(v, want, "{len}");
        }
    }

    #[test]
    fn rates_in_integers() {
        assert_eq!(row(&[1], 1000, 250).rate(), 4000);
        assert_eq!(row(&[1], 3, 0).rate(), 3_000_000_000);
        let dumps = Row::dumped(500, 10, Duration::from_millis(100), vec![1; 10]);
        assert_eq!(dumps.rate(), 50_000);
    }

    fn render(json: bool) -> String {
        let mut buf = Vec::new();
        let mut p = Printer::new(&mut buf, json, false).expect("header");
        p.row(&row(&[1500, 2500, 12_345_678], 3, 2)).expect("row");
        p.row(
            &Row::dumped(2, 2, Duration::from_micros(10), vec![4000, 6000])
                .of(Op::LinkDump, Mode::Dump),
        )
        .expect("row");
        p.finish().expect("finish");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn text_rows_line_up_under_the_header() {
        let text = render(false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert_eq!(
            lines[1],
            "route-add   sequential       3       1500        2.5    12345.7    12345.7    12345.7"
        );
        assert_eq!(
            lines[2],
            "link-dump   dump             2     400000          4          6          6          6"
        );
        assert!(lines.iter().all(|l| l.len() == lines[0].len()), "{text}");
    }

    #[test]
    fn json_carries_nanoseconds() {
        assert_eq!(
            render(true),
            concat!(
                r#"[{"op":"route-add","mode":"sequential","count":3,"samples":3,"elapsed_ns":2000000,"#,
                r#""ops_per_sec":1500,"latency_per":"request","latency_ns":{"p50":2500,"p90":12345678,"p99":12345678,"max":12345678}},"#,
                r#"{"op":"link-dump","mode":"dump","count":2,"samples":2,"elapsed_ns":10000,"#,
                r#""ops_per_sec":400000,"latency_per":"dump","latency_ns":{"p50":4000,"p90":6000,"p99":6000,"max":6000}}]"#,
                "\n"
            )
        );
    }
}
