//! `-s` / `-s -s`: a link's 64-bit counters as ip 6.1's `print_stats64` prints them — a
//! table whose columns widen to the widest number (`size_columns`), and the error rows
//! under `-s -s`.

use std::fmt::Write as _;
use std::io::{self, Write};

use netlink_core::route::{LinkMessage, Stat, Stats64};
use Stat::*;

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

    fn all(&self, stats: &[Stat]) -> Vec<u64> {
        stats.iter().map(|&s| self.get(s)).collect()
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
    out.open_object(Some("stats64"))?;
    out.open_object(Some("rx"))?;
    print_json_fields(out, c, rx)?;
    print_json_nonzero(out, "compressed", c.get(RxCompressed))?;
    if errors {
        print_json_fields(out, c, rx_errors)?;
        print_json_nonzero(out, "nohandler", c.get(RxNohandler))?;
        print_json_nonzero(out, "otherhost", c.get(RxOtherhostDropped))?;
    }
    out.close_object()?;
    out.open_object(Some("tx"))?;
    print_json_fields(out, c, tx)?;
    print_json_nonzero(out, "compressed", c.get(TxCompressed))?;
    if errors {
        print_json_fields(out, c, tx_errors)?;
        if let Some(changes) = c.carrier_changes {
            out.json_uint("carrier_changes", u64::from(changes))?;
        }
    }
    out.close_object()?;
    out.close_object()
}

fn print_json_fields<W: Write>(
    out: &mut Out<W>,
    c: &Counters<'_>,
    (keys, stats): (&[&str], &[Stat]),
) -> io::Result<()> {
    for (key, &stat) in keys.iter().zip(stats) {
        out.json_uint(key, c.get(stat))?;
    }
    Ok(())
}

fn print_json_nonzero<W: Write>(out: &mut Out<W>, key: &str, value: u64) -> io::Result<()> {
    if value == 0 {
        return Ok(());
    }
    out.json_uint(key, value)
}

/// Widens `cols` to fit each value, as ip's `size_columns`.
fn widen(cols: &mut [usize; 8], values: &[u64]) {
    for (col, value) in cols.iter_mut().zip(values) {
        *col = (*col).max(value.to_string().len());
    }
}

/// `{value:>width$} ` for each (value, column) pair.
fn numbers(text: &mut String, values: &[(u64, usize)]) {
    for &(value, width) in values {
        let _ = write!(text, "{value:>width$} ");
    }
}

/// The text table: RX, RX errors, TX, TX errors, separated by `sl`.
fn stats_text(c: &Counters<'_>, errors: bool, sl: &str) -> String {
    let rx = c.all(&[
        RxBytes,
        RxPackets,
        RxErrors,
        RxDropped,
        RxMissedErrors,
        Multicast,
        RxCompressed,
    ]);
    let rx_errors = c.all(&[
        RxLengthErrors,
        RxCrcErrors,
        RxFrameErrors,
        RxFifoErrors,
        RxOverErrors,
        RxNohandler,
        RxOtherhostDropped,
    ]);
    let tx = c.all(&[
        TxBytes,
        TxPackets,
        TxErrors,
        TxDropped,
        TxCarrierErrors,
        Collisions,
        TxCompressed,
    ]);
    let mut tx_errors = c.all(&[
        TxAbortedErrors,
        TxFifoErrors,
        TxWindowErrors,
        TxHeartbeatErrors,
    ]);
    tx_errors.push(c.carrier_changes.map_or(0, u64::from));
    let mut cols = COLUMNS;
    widen(&mut cols, &rx);
    if errors {
        widen(&mut cols, &[&[0], &rx_errors[..]].concat());
    }
    widen(&mut cols, &tx);
    if errors {
        widen(&mut cols, &[&[0], &tx_errors[..]].concat());
    }
    let mut text = String::with_capacity(512);
    counter_rows(&mut text, &cols, "RX", &rx, ["missed", "mcast"], sl);
    if errors {
        text.push_str(sl);
        rx_error_rows(&mut text, &cols, &rx_errors, sl);
    }
    text.push_str(sl);
    counter_rows(&mut text, &cols, "TX", &tx, ["carrier", "collsns"], sl);
    if errors {
        text.push_str(sl);
        tx_error_rows(
            &mut text,
            &cols,
            &tx_errors,
            c.carrier_changes.is_some(),
            sl,
        );
    }
    text
}

/// `    RX:  bytes packets errors dropped  missed   mcast` (and `compressed` when there
/// are any), then the numbers.
fn counter_rows(
    text: &mut String,
    cols: &[usize; 8],
    dir: &str,
    values: &[u64],
    [fifth, sixth]: [&str; 2],
    sl: &str,
) {
    let compressed = values.get(6).copied().unwrap_or(0);
    let [c0, c1, c2, c3, c4, c5, c6, _] = *cols;
    let _ = write!(
        text,
        "    {dir}: {:>w0$} {:>c1$} {:>c2$} {:>c3$} {fifth:>c4$} {sixth:>c5$} {:>c6$}{sl}    ",
        "bytes",
        "packets",
        "errors",
        "dropped",
        if compressed != 0 { "compressed" } else { "" },
        w0 = c0.saturating_sub(4),
    );
    let shown = if compressed != 0 { 7 } else { 6 };
    let pairs: Vec<(u64, usize)> = values.iter().copied().zip(*cols).take(shown).collect();
    numbers(text, &pairs);
}

fn rx_error_rows(text: &mut String, cols: &[usize; 8], values: &[u64], sl: &str) {
    let [c0, _, _, _, _, _, c6, c7] = *cols;
    let nohandler = values.get(5).copied().unwrap_or(0);
    let otherhost = values.get(6).copied().unwrap_or(0);
    let (w6, h6) = if nohandler != 0 {
        (c6 + 1, " nohandler")
    } else {
        (0, "")
    };
    let (w7, h7) = if otherhost != 0 {
        (c7 + 1, " otherhost")
    } else {
        (0, "")
    };
    let names = ["length", "crc", "frame", "fifo", "overrun"];
    error_header(text, "RX", cols, names);
    let _ = write!(text, "{h6:>w6$}{h7:>w7$}{sl}{:w$}", "", w = c0 + 5);
    let mut pairs = error_pairs(values, cols);
    pairs.truncate(5);
    if nohandler != 0 {
        pairs.push((nohandler, c6));
    }
    if otherhost != 0 {
        pairs.push((otherhost, c7));
    }
    numbers(text, &pairs);
}

fn tx_error_rows(
    text: &mut String,
    cols: &[usize; 8],
    values: &[u64],
    has_transitions: bool,
    sl: &str,
) {
    let transitions = if has_transitions { "transns" } else { "" };
    let names = ["aborted", "fifo", "window", "heartbt", transitions];
    error_header(text, "TX", cols, names);
    let _ = write!(text, "{sl}{:w$}", "", w = cols[0] + 5);
    let mut pairs = error_pairs(values, cols);
    pairs.truncate(if has_transitions { 5 } else { 4 });
    numbers(text, &pairs);
}

/// `    RX errors:` (or `TX`) and the five column names, right-aligned to `cols`.
fn error_header(text: &mut String, dir: &str, cols: &[usize; 8], names: [&str; 5]) {
    let [c0, c1, c2, c3, c4, c5, _, _] = *cols;
    let [n1, n2, n3, n4, n5] = names;
    let w0 = c0.saturating_sub(10);
    let _ = write!(
        text,
        "    {dir} errors:{:>w0$} {n1:>c1$} {n2:>c2$} {n3:>c3$} {n4:>c4$} {n5:>c5$}",
        ""
    );
}

/// The error counters with the widths of columns 1 to 5.
fn error_pairs(values: &[u64], cols: &[usize; 8]) -> Vec<(u64, usize)> {
    values
        .iter()
        .copied()
        .zip(cols.iter().copied().skip(1))
        .collect()
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
