//! `nsip bench` end to end: every operation prints its row, `-j` is JSON with the documented
//! keys, and neither a finished nor an interrupted run leaves anything in the caller's
//! namespace. Each test runs nsip inside a sandbox of its own (network, mount and pid
//! namespaces, so `lsns` sees only the sandbox's processes) and compares that sandbox's
//! state before and after. No timings are asserted.

mod common;

use std::process::{Command, Output};

use common::{can_sandbox, checked_stdout, NSIP};

/// Every operation of a full run with its modes, in the order of the rows.
const OPERATIONS: [(&str, &[&str]); 6] = [
    ("route-add", &["sequential", "pipelined"]),
    ("addr-add", &["sequential", "pipelined"]),
    ("veth-add", &["sequential", "pipelined"]),
    ("link-del", &["sequential", "pipelined", "bulk"]),
    ("route-dump", &["dump"]),
    ("link-dump", &["dump"]),
];

/// Every (operation, mode) row of a full run, in order.
fn expected_rows() -> Vec<(&'static str, &'static str)> {
    OPERATIONS
        .iter()
        .flat_map(|&(op, modes)| modes.iter().map(move |&mode| (op, mode)))
        .collect()
}

/// What a run could leave behind in the caller's namespace: links, addresses, routes of
/// every table, mounts, and the network namespaces of live processes.
const STATE: &str = r#"
state() {
  ip -d link show; ip addr show; ip route show table all; ip -6 route show table all
  cat /proc/self/mountinfo
  lsns -t net -n -o NS | sort -u
}
"#;

/// Runs a bash script (`set -eu`, private /run, `state` defined) in a sandbox with its own
/// pid namespace.
fn sandbox(script: &str) -> Output {
    Command::new("unshare")
        .args([
            "--net",
            "--mount",
            "--pid",
            "--mount-proc",
            "--fork",
            "--",
            "bash",
            "-c",
            &format!("set -eu\nmount -t tmpfs tmpfs /run\n{STATE}\n{script}"),
        ])
        .env("NSIP", NSIP)
        .output()
        .expect("unshare runs")
}

/// The script's part between `== NAME` and the next marker.
fn section<'t>(text: &'t str, name: &str) -> &'t str {
    let marker = format!("== {name}\n");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no section {name} in:\n{text}"))
        + marker.len();
    let rest = &text[start..];
    &rest[..rest.find("\n== ").map_or(rest.len(), |i| i + 1)]
}

/// Asserts that each named section of `text` is the expected text.
fn assert_sections(text: &str, expected: &[(&str, &str)]) {
    for (name, want) in expected {
        assert_eq!(section(text, name), *want, "section {name} of:\n{text}");
    }
}

/// A run's `bench` output, with the sandbox state checked unchanged around it.
fn bench_in_sandbox(args: &str) -> String {
    let script = format!(
        "ip link set lo up\nip addr add 198.51.100.1/24 dev lo\nstate >/run/before\n\
         echo '== out'\n\"$NSIP\" {args}\n\
         state >/run/after\necho '== diff'\ndiff /run/before /run/after && echo unchanged\n"
    );
    let text = checked_stdout(&sandbox(&script), &script);
    assert_eq!(section(&text, "diff"), "unchanged\n", "{text}");
    section(&text, "out").to_string()
}

fn decimal(word: &str) -> f64 {
    word.parse()
        .unwrap_or_else(|_| panic!("{word:?} is not a number"))
}

#[test]
fn every_operation_prints_its_row_and_leaves_nothing() {
    if !can_sandbox("every_operation_prints_its_row_and_leaves_nothing") {
        return;
    }
    let out = bench_in_sandbox("bench count 200");
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().expect("a header").split_whitespace().collect();
    assert_eq!(
        header,
        ["op", "mode", "count", "ops/s", "p50", "us", "p90", "us", "p99", "us", "max", "us"]
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    let labels: Vec<(&str, &str)> = rows.iter().map(|r| (r[0], r[1])).collect();
    assert_eq!(labels, expected_rows(), "{out}");
    for row in &rows {
        assert_eq!(row.len(), 8, "{row:?}");
        // The link dump sees both ends of the 200 pairs and lo.
        let want = if row[0] == "link-dump" { "401" } else { "200" };
        assert_eq!(row[2], want, "{row:?}");
        assert!(decimal(row[3]) > 0.0, "{row:?}");
        let latencies: Vec<f64> = row[4..].iter().map(|w| decimal(w)).collect();
        assert!(latencies[0] > 0.0, "{row:?}");
        assert!(latencies.windows(2).all(|w| w[0] <= w[1]), "{row:?}");
    }
}

#[test]
fn json_rows_carry_the_documented_keys() {
    if !can_sandbox("json_rows_carry_the_documented_keys") {
        return;
    }
    let out = bench_in_sandbox("-j bench count 20");
    let rows: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), expected_rows().len(), "{out}");
    for (row, (op, mode)) in rows.iter().zip(expected_rows()) {
        // serde_json's map keeps keys sorted.
        let keys: Vec<&str> = row
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "count",
                "elapsed_ns",
                "latency_ns",
                "latency_per",
                "mode",
                "op",
                "ops_per_sec",
                "samples"
            ],
            "{row}"
        );
        assert_eq!(
            (row["op"].as_str(), row["mode"].as_str()),
            (Some(op), Some(mode))
        );
        let samples = row["samples"].as_u64().expect("samples");
        let (per, want_samples) = match mode {
            "dump" => ("dump", 10),
            "bulk" => ("request", 1),
            _ => ("request", 20),
        };
        assert_eq!(row["latency_per"], per, "{row}");
        assert_eq!(samples, want_samples, "{row}");
        let latency = &row["latency_ns"];
        let values: Vec<u64> = ["p50", "p90", "p99", "max"]
            .iter()
            .map(|k| {
                latency[k]
                    .as_u64()
                    .unwrap_or_else(|| panic!("{k} in {row}"))
            })
            .collect();
        assert!(
            values[0] > 0 && values.windows(2).all(|w| w[0] <= w[1]),
            "{row}"
        );
        assert!(
            row["elapsed_ns"].as_u64().expect("elapsed") >= values[3],
            "{row}"
        );
        assert!(row["ops_per_sec"].as_u64().expect("rate") > 0, "{row}");
    }
}

/// Starts a long run in the background, waits until it is measuring, then `signal`s the
/// parent process only (not its group) and reports the status and the state around it.
fn interrupted(signal: &str) -> String {
    let script = format!(
        r#"ip link set lo up
state >/run/before
set -m  # the run gets its own process group, and SIGINT is not ignored in the background
"$NSIP" bench count 5000 op link-del op link-dump >/run/out 2>/run/err &
pid=$!
for _ in $(seq 600); do grep -q '^op ' /run/out && break; sleep 0.1; done
echo "== started"; head -1 /run/out | cut -d' ' -f1
echo "== namespaces during"; lsns -t net -n -o NS | sort -u | wc -l
kill -{signal} $pid
rc=0; wait $pid || rc=$?
echo "== status"; echo $rc
echo "== namespaces at once"; lsns -t net -n -o NS | sort -u | wc -l
# After SIGKILL the child goes by itself (parent-death signal); give it time to.
for _ in $(seq 600); do [ "$(lsns -t net -n -o NS | sort -u | wc -l)" = 1 ] && break; sleep 0.1; done
state >/run/after
echo "== diff"; diff /run/before /run/after && echo unchanged
echo "== stderr"; cat /run/err
"#
    );
    checked_stdout(&sandbox(&script), &script)
}

#[test]
fn an_interrupted_run_takes_its_namespace_and_leaves_nothing() {
    if !can_sandbox("an_interrupted_run_takes_its_namespace_and_leaves_nothing") {
        return;
    }
    // The signal, and the sections its run must print.
    let cases: [(&str, &[(&str, &str)]); 2] = [
        (
            "INT",
            &[
                ("started", "op\n"),
                // The sandbox's own namespace and the bench's.
                ("namespaces during", "2\n"),
                ("status", "130\n"),
                // The parent reaped the child before it exited: nothing was left to die later.
                ("namespaces at once", "1\n"),
                ("diff", "unchanged\n"),
                // An interrupt is silent.
                ("stderr", ""),
            ],
        ),
        // A killed parent takes the namespace with it.
        (
            "KILL",
            &[
                ("started", "op\n"),
                ("namespaces during", "2\n"),
                ("status", "137\n"),
                ("diff", "unchanged\n"),
            ],
        ),
    ];
    for (signal, sections) in cases {
        assert_sections(&interrupted(signal), sections);
    }
}

#[test]
fn usage_errors_are_ips_and_touch_nothing() {
    // No root needed: the words are refused before any namespace is made. The unit test
    // checks the messages; this checks what the process does with them (status, streams).
    for (args, status, stderr) in [
        (
            &["bench", "bogus"][..],
            255,
            "Command \"bogus\" is unknown, try \"nsip bench help\".\n",
        ),
        (
            &["bench", "count"][..],
            255,
            "Command line is not complete. Try option \"help\"\n",
        ),
        (
            &["bench", "op", "nope"][..],
            255,
            "Error: argument \"nope\" is wrong: \"op\" value is invalid\n",
        ),
    ] {
        let out = Command::new(NSIP).args(args).output().expect("nsip runs");
        assert_eq!(out.status.code(), Some(status), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), stderr, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = Command::new(NSIP)
        .args(["bench", "help"])
        .output()
        .expect("nsip runs");
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("Usage: nsip bench "));
}
