//! `-s` / `-s -s`: a link's 64-bit counters as ip 6.1's `print_stats64` prints them — a
//! table whose columns widen to the widest number (`size_columns`), and the error rows
//! under `-s -s`.

use std::fmt::Write as _;
use std::io::{self, Write};

use netlink_core::route::{LinkMessage, Stat, Stats64};
use Stat::*;

use super::route_out::StickyOut;
use crate::toolbox::output::Out;

/// ip's starting column widths: `*X errors:`, `packets`, `errors`, `dropped`, `heartbt`,
/// `overrun`, `compressed`, `otherhost`.
const COLUMNS: [usize; 8] = [10, 7, 6, 7, 7, 7, 10, 9];

/// JSON keys and their counters: the `rx` object's, its error counters' (`-s -s`), the
/// `tx` object's, its error counters'.
#[rustfmt::skip]
const JSON: [(&[&str], &[Stat]); 4] = [
    (&["bytes", "packets", "errors", "dropped", "over_errors", "multicast"],
     &[RxBytes, RxPackets, RxErrors, RxDropped, RxOverErrors, Multicast]),
    (&["length_errors", "crc_errors", "frame_errors", "fifo_errors", "missed_errors"],
     &[RxLengthErrors, RxCrcErrors, RxFrameErrors, RxFifoErrors, RxMissedErrors]),
    (&["bytes", "packets", "errors", "dropped", "carrier_errors", "collisions"],
     &[TxBytes, TxPackets, TxErrors, TxDropped, TxCarrierErrors, Collisions]),
    (&["aborted_errors", "fifo_errors", "window_errors", "heartbeat_errors"],
     &[TxAbortedErrors, TxFifoErrors, TxWindowErrors, TxHeartbeatErrors]),
];

/// The counters of one link, read once.
struct Counters<'a> {
    stats: Stats64<'a>,
    carrier_changes: Option<u32>,
}

impl Counters<'_> {
    fn get(&self, stat: Stat) -> u64 {
        self.stats.get(stat).unwrap_or(0)
    }
}

/// The counters of `link` (nothing without `IFLA_STATS64`); `level` is the number of
/// `-s`, `sl` ip's `_SL_`. Text ends without a newline.
pub fn print_stats<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    level: u8,
    sl: &str,
) -> io::Result<()> {
    let Some(stats) = link.stats64() else {
        return Ok(());
    };
    let counters = Counters {
        stats,
        carrier_changes: link.carrier_changes(),
    };
    if out.is_json() {
        print_json(out, &counters, level > 1)
    } else {
        let text = stats_text(&counters, level > 1, sl);
        out.text(format_args!("{text}"))
    }
}

fn print_json<W: Write>(out: &mut Out<W>, c: &Counters<'_>, errors: bool) -> io::Result<()> {
    let [rx, rx_errors, tx, tx_errors] = JSON;
    // Some thirty writes: each tested once, in the output (see StickyOut).
    let mut out = StickyOut::new(out);
    out.open_object(Some("stats64"));
    out.open_object(Some("rx"));
    print_json_fields(&mut out, c, rx);
    print_json_nonzero(&mut out, "compressed", c.get(RxCompressed));
    if errors {
        print_json_fields(&mut out, c, rx_errors);
        print_json_nonzero(&mut out, "nohandler", c.get(RxNohandler));
        print_json_nonzero(&mut out, "otherhost", c.get(RxOtherhostDropped));
    }
    out.close_object();
    out.open_object(Some("tx"));
    print_json_fields(&mut out, c, tx);
    print_json_nonzero(&mut out, "compressed", c.get(TxCompressed));
    if errors {
        print_json_fields(&mut out, c, tx_errors);
        if let Some(changes) = c.carrier_changes {
            out.with(|o| o.json_uint("carrier_changes", u64::from(changes)));
        }
    }
    out.close_object();
    out.close_object();
    out.finish()
}

fn print_json_fields<W: Write>(
    out: &mut StickyOut<'_, W>,
    c: &Counters<'_>,
    (keys, stats): (&[&str], &[Stat]),
) {
    for (key, &stat) in keys.iter().zip(stats) {
        out.with(|o| o.json_uint(key, c.get(stat)));
    }
}

fn print_json_nonzero<W: Write>(out: &mut StickyOut<'_, W>, key: &str, value: u64) {
    if value != 0 {
        out.with(|o| o.json_uint(key, value));
    }
}

/// The counters of each text row, in its columns' order (the TX errors' fifth column is
/// the carrier changes, which are no `Stat`).
#[rustfmt::skip]
const ROWS: [&[Stat]; 4] = [
    &[RxBytes, RxPackets, RxErrors, RxDropped, RxMissedErrors, Multicast, RxCompressed],
    &[RxLengthErrors, RxCrcErrors, RxFrameErrors, RxFifoErrors, RxOverErrors, RxNohandler,
      RxOtherhostDropped],
    &[TxBytes, TxPackets, TxErrors, TxDropped, TxCarrierErrors, Collisions, TxCompressed],
    &[TxAbortedErrors, TxFifoErrors, TxWindowErrors, TxHeartbeatErrors],
];

/// The decimal digits of `value`.
fn digits(mut value: u64) -> usize {
    let mut n = 1;
    while value >= 10 {
        value /= 10;
        n += 1;
    }
    n
}

/// `value` right-aligned in `width` columns (C's `%*s`; the texts are ASCII).
fn cell(text: &mut String, value: &str, width: usize) {
    for _ in value.len()..width {
        text.push(' ');
    }
    text.push_str(value);
}

/// `{value:>width$} ` for each (value, column) pair.
fn numbers(text: &mut String, values: impl Iterator<Item = (u64, usize)>) {
    for (value, width) in values {
        let _ = write!(text, "{value:>width$} ");
    }
}

/// The text table: RX, RX errors, TX, TX errors, separated by `sl`.
fn stats_text(c: &Counters<'_>, errors: bool, sl: &str) -> String {
    let mut rows = [[0u64; 7]; 4];
    for (values, stats) in rows.iter_mut().zip(ROWS) {
        for (value, &stat) in values.iter_mut().zip(stats) {
            *value = c.get(stat);
        }
    }
    if let Some(carrier) = rows[3].get_mut(4) {
        *carrier = c.carrier_changes.map_or(0, u64::from);
    }
    // ip's `size_columns`: each column as wide as its widest number; the error rows (odd)
    // start at the second column.
    let mut cols = COLUMNS;
    for (i, row) in rows.iter().enumerate() {
        let error_row = i % 2 == 1;
        if error_row && !errors {
            continue;
        }
        for (col, &value) in cols.iter_mut().skip(usize::from(error_row)).zip(row) {
            *col = (*col).max(digits(value));
        }
    }
    let [rx, rx_errors, tx, tx_errors] = &rows;
    let mut text = String::with_capacity(512);
    counter_rows(&mut text, &cols, "RX", rx, ["missed", "mcast"], sl);
    if errors {
        text.push_str(sl);
        rx_error_rows(&mut text, &cols, rx_errors, sl);
    }
    text.push_str(sl);
    counter_rows(&mut text, &cols, "TX", tx, ["carrier", "collsns"], sl);
    if errors {
        text.push_str(sl);
        tx_error_rows(&mut text, &cols, tx_errors, c.carrier_changes.is_some(), sl);
    }
    text
}

/// `    RX:  bytes packets errors dropped  missed   mcast` (and `compressed` when there
/// are any), then the numbers.
fn counter_rows(
    text: &mut String,
    cols: &[usize; 8],
    dir: &str,
    values: &[u64; 7],
    [fifth, sixth]: [&str; 2],
    sl: &str,
) {
    let compressed = values[6] != 0;
    let last = if compressed { "compressed" } else { "" };
    let names = ["bytes", "packets", "errors", "dropped", fifth, sixth, last];
    text.push_str("    ");
    text.push_str(dir);
    text.push(':');
    for (i, (name, &width)) in names.iter().zip(cols).enumerate() {
        text.push(' ');
        cell(
            text,
            name,
            if i == 0 {
                width.saturating_sub(4)
            } else {
                width
            },
        );
    }
    text.push_str(sl);
    text.push_str("    ");
    let shown = if compressed { 7 } else { 6 };
    numbers(
        text,
        values.iter().copied().zip(cols.iter().copied()).take(shown),
    );
}

fn rx_error_rows(text: &mut String, cols: &[usize; 8], values: &[u64; 7], sl: &str) {
    error_header(
        text,
        "RX",
        cols,
        ["length", "crc", "frame", "fifo", "overrun"],
    );
    let [c0, _, _, _, _, _, c6, c7] = *cols;
    let extra = [(values[5], c6, " nohandler"), (values[6], c7, " otherhost")];
    for (value, width, name) in extra {
        if value != 0 {
            cell(text, name, width + 1);
        }
    }
    text.push_str(sl);
    cell(text, "", c0 + 5);
    let counters = values
        .iter()
        .copied()
        .zip(cols.iter().copied().skip(1))
        .take(5);
    let extra = extra.into_iter().filter(|&(value, ..)| value != 0);
    numbers(
        text,
        counters.chain(extra.map(|(value, width, _)| (value, width))),
    );
}

fn tx_error_rows(
    text: &mut String,
    cols: &[usize; 8],
    values: &[u64; 7],
    has_transitions: bool,
    sl: &str,
) {
    let transitions = if has_transitions { "transns" } else { "" };
    error_header(
        text,
        "TX",
        cols,
        ["aborted", "fifo", "window", "heartbt", transitions],
    );
    text.push_str(sl);
    cell(text, "", cols[0] + 5);
    let shown = if has_transitions { 5 } else { 4 };
    numbers(
        text,
        values
            .iter()
            .copied()
            .zip(cols.iter().copied().skip(1))
            .take(shown),
    );
}

/// `    RX errors:` (or `TX`) and the five column names, right-aligned to `cols`.
fn error_header(text: &mut String, dir: &str, cols: &[usize; 8], names: [&str; 5]) {
    text.push_str("    ");
    text.push_str(dir);
    text.push_str(" errors:");
    cell(text, "", cols[0].saturating_sub(10));
    for (name, &width) in names.iter().zip(cols.iter().skip(1)) {
        text.push(' ');
        cell(text, name, width);
    }
}

#[cfg(test)]
mod tests {
    use netlink_core::route::consts::{IFLA_CARRIER_CHANGES, IFLA_STATS64};
    use netlink_core::wire::Builder;

    use super::*;

    /// A link message with these counters (by `Stat` position) and carrier changes.
    fn message(counters: &[(Stat, u64)], carrier_changes: u32) -> Vec<u8> {
        let mut stats = vec![0u8; 25 * 8];
        for &(stat, value) in counters {
            let at = stat as usize * 8;
            stats[at..at + 8].copy_from_slice(&value.to_ne_bytes());
        }
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        b.push_bytes(&[0u8; 16]);
        b.attr(IFLA_STATS64, &stats);
        b.attr(IFLA_CARRIER_CHANGES, &carrier_changes.to_ne_bytes());
        buf
    }

    fn text(payload: &[u8], level: u8, sl: &str) -> String {
        let link = LinkMessage::from_payload(payload).expect("a link message");
        let mut bytes = Vec::new();
        let mut out = Out::boxed(&mut bytes, false, false);
        print_stats(&mut out, &link, level, sl).expect("printed");
        out.finish().expect("flushed");
        drop(out);
        String::from_utf8(bytes).expect("text")
    }

    #[test]
    fn columns_widen_to_the_widest_number_as_ip_does() {
        let payload = message(
            &[
                (Stat::RxBytes, 12_345_678_901),
                (Stat::RxPackets, 123_456_789),
                (Stat::TxCompressed, 3),
                (Stat::RxNohandler, 4),
            ],
            2,
        );
        let want = [
            "    RX:   bytes   packets errors dropped  missed   mcast           |",
            "    12345678901 123456789      0       0       0       0 |",
            "    RX errors:     length    crc   frame    fifo overrun  nohandler|",
            "                        0      0       0       0       0          4 |",
            "    TX:   bytes   packets errors dropped carrier collsns compressed|",
            "              0         0      0       0       0       0          3 |",
            "    TX errors:    aborted   fifo  window heartbt transns|",
            "                        0      0       0       0       2 ",
        ]
        .concat();
        assert_eq!(text(&payload, 2, "|"), want);
    }

    #[test]
    fn one_s_prints_no_error_rows() {
        let got = text(&message(&[(Stat::TxBytes, 7)], 0), 1, "\n");
        let want = [
            "    RX:  bytes packets errors dropped  missed   mcast           \n",
            "             0       0      0       0       0       0 \n",
            "    TX:  bytes packets errors dropped carrier collsns           \n",
            "             7       0      0       0       0       0 ",
        ]
        .concat();
        assert_eq!(got, want);
    }
}
