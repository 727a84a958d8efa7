//! Runs of `link delete` lines in a batch: nsip tears them down in one group deletion where
//! the kernel allows it. These tests run the same batch through ip and nsip, each in a fresh
//! sandbox with the same devices, and require the same stdout, stderr, exit status and end
//! state (devices, their flags and groups) — also where lines fail: a device already gone
//! with its veth peer or lower device, a missing name, `lo` (which cannot be deleted).

mod common;

use common::BatchRun;

const SETUP: &str = r#"
for i in 1 2 3 4 5 6; do ip link add v$i type veth peer name p$i; done
ip link add br0 type bridge
ip link add mv0 link v3 type macvlan mode bridge
ip link set dev v6 group 7
"#;

fn same_as_ip(test: &str, flags: &str, setup: &str, batch: &str) {
    let mask = r#"sed -E 's/link\/ether [0-9a-f:]+ brd [0-9a-f:]+//'"#;
    let state = r#"echo "== links"; ip -o link show | mask"#;
    BatchRun {
        flags,
        setup,
        batch,
        mask,
        state,
    }
    .assert_same_as_ip(test);
}

/// Failures in several places, a listing in the middle, and runs before and after it.
const MIXED: &str = "link del v1
link del p1
link del v2
link del nosuch
link del v3
link del mv0
link del lo
link del br0
link show
link del p4
link del v5
link del dev v6";

#[test]
fn bulk_delete_with_force_matches_ip() {
    same_as_ip("bulk_delete_with_force_matches_ip", "-force", SETUP, MIXED);
}

#[test]
fn bulk_delete_without_force_stops_where_ip_stops() {
    same_as_ip(
        "bulk_delete_without_force_stops_where_ip_stops",
        "",
        SETUP,
        MIXED,
    );
}

#[test]
fn a_run_holding_an_undeletable_device_changes_nothing_else() {
    // `lo` cannot be deleted: the run falls back to one deletion per line, and no device
    // keeps a group it did not have (v6 stays in group 7, lo in default).
    same_as_ip(
        "a_run_holding_an_undeletable_device_changes_nothing_else",
        "-force",
        SETUP,
        "link del v4\nlink del lo\nlink del v5\nlink set dev v6 up\nlink show",
    );
}

#[test]
fn hundreds_of_deletions_match_ip() {
    let setup = "for i in $(seq 1 300); do echo \"link add v$i type veth peer name p$i\"; done \
                 | ip -batch -";
    let batch: Vec<String> = (1..=300).map(|i| format!("link del v{i}")).collect();
    same_as_ip(
        "hundreds_of_deletions_match_ip",
        "",
        setup,
        &batch.join("\n"),
    );
}
