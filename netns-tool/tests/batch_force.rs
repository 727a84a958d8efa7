//! `-force -batch` with held requests: nsip sends runs of `route`/`address` add and delete
//! lines many per `sendmsg` and matches the ACKs back to their lines. These tests run the
//! same batch file (failing lines in several places, listings in between) through ip and
//! nsip, each in a fresh sandbox, and require the same stdout, stderr, exit status and end
//! state.

mod common;

use common::BatchRun;

/// Runs `batch` with `flags` through ip and nsip, each in a fresh sandbox with two
/// devices, and compares stdout, stderr, status, then the routes and addresses.
fn same_as_ip(test: &str, flags: &str, batch: &str) {
    BatchRun {
        flags,
        setup: "ip link add d0 type ifb\nip link set d0 up\nip link add d1 type ifb",
        batch,
        state: r#"echo "== routes"; ip -4 route show table all | sort
echo "== addresses"; ip -4 -o addr show | sed 's/ valid_lft.*//' | sort"#,
        ..BatchRun::default()
    }
    .assert_same_as_ip(test);
}

/// Failing lines at the start, in the middle of a run, next to each other, at the end,
/// and right before a listing that must print after their errors.
const MIXED: &str = "route add 198.18.0.1/32 dev nosuch
route add 198.18.0.1/32 dev d0
route add 198.18.0.2/32 dev d0
route add 198.18.0.1/32 dev d0
route add 198.18.0.3/32 dev d0
route del 198.18.9.9/32 dev d0
route del 198.18.9.8/32 dev d0
route add 198.18.0.4/32 via 203.0.113.99
addr add 198.51.100.1/24 dev d0
addr add 198.51.100.1/24 dev d0
route show dev d0
addr add 198.51.100.2/24 dev d1
route replace 198.18.0.2/32 dev d0 metric 7
route add 198.18.0.5/32 dev d0 table 100
route del 198.18.0.3/32 dev d0
route add 198.18.0.6/32 dev d0
route add 198.18.0.6/32 dev d0";

#[test]
fn force_batch_with_failures_matches_ip() {
    same_as_ip("force_batch_with_failures_matches_ip", "-force", MIXED);
}

#[test]
fn batch_without_force_stops_where_ip_stops() {
    same_as_ip("batch_without_force_stops_where_ip_stops", "", MIXED);
}

#[test]
fn force_batch_stops_at_a_usage_error_after_reporting_earlier_lines() {
    let batch = "route add 198.18.0.1/32 dev d0
route add 198.18.0.1/32 dev d0
route add 198.18.0.2/32 dev d0
route add 198.18.0.3/33 dev d0
route add 198.18.0.4/32 dev d0";
    same_as_ip(
        "force_batch_stops_at_a_usage_error_after_reporting_earlier_lines",
        "-force",
        batch,
    );
}

#[test]
fn large_force_batch_matches_ip() {
    let mut batch = String::new();
    for i in 0..3000u32 {
        // Every 97th line repeats an earlier route and fails.
        let n = if i % 97 == 96 { i - 1 } else { i };
        batch.push_str(&format!(
            "route add 198.18.{}.{}/32 dev d0\n",
            n / 256,
            n % 256
        ));
    }
    same_as_ip("large_force_batch_matches_ip", "-force", batch.trim_end());
}
