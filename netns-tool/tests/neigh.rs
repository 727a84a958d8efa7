//! `nsip neigh`, checked against iproute2's `ip neigh` itself.
//!
//! Every test runs in its own `unshare --net --mount --fork` sandbox with a private /run,
//! with documentation addresses only. Listings are compared on the same kernel state (ip
//! then nsip in one sandbox); changes are made by each tool in its own sandbox from the
//! same setup, and the resulting neighbour tables, printed by ip, are compared.

mod common;

use common::{
    assert_changes_same_as_ip, assert_json_lists_same_as_ip, assert_side_by_side, sorted_lines,
    BatchRun,
};

/// A veth pair and neighbours of every state and flag ip prints. The kernel's own IPv6
/// multicast entries would appear whenever its MLD reports go out (between ip's listing and
/// nsip's): veth1 has no IPv6, veth0 no link-local, and the one group veth0 reports to is
/// entered up front as the kernel would enter it.
const STATE: &str = "
sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
ip link set lo up
ip link add veth0 type veth peer name veth1
sysctl -qw net.ipv6.conf.veth1.disable_ipv6=1
ip neigh add ff02::16 lladdr 33:33:00:00:00:16 dev veth0 nud noarp
ip link set veth0 up
ip link set veth1 up
ip addr add 198.51.100.1/24 dev veth0
ip addr add 2001:db8::1/64 dev veth0 nodad
ip neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0
ip neigh add 198.51.100.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale
ip neigh add 198.51.100.4 dev veth0 nud failed
ip neigh add 198.51.100.5 lladdr 02:00:00:00:00:05 dev veth0 nud reachable router
ip neigh add 198.51.100.6 lladdr 02:00:00:00:00:06 dev veth0 nud noarp extern_learn protocol static
ip neigh add 198.51.100.7 dev veth0 nud incomplete
ip neigh add 198.51.100.8 dev veth0 nud none
ip neigh add 198.51.100.10 lladdr 02:00:00:00:00:0a dev veth0 managed
ip neigh add 2001:db8::2 lladdr 02:00:00:00:00:12 dev veth0 router
ip neigh add 198.51.100.30 lladdr 02:00:00:00:00:13 dev veth1 nud stale
ip neigh add proxy 198.51.100.9 dev veth0
ip neigh add proxy 2001:db8::9 dev veth0
";

/// Runs the commands with ip and with nsip, each in its own sandbox from `setup`; every
/// outcome and the neighbour tables ip prints at the end must agree.
fn assert_changes_match(test: &str, setup: &str, commands: &[&str]) {
    let state = "report state ip neigh show nud all\nreport state-proxy ip neigh show proxy\n";
    assert_changes_same_as_ip(test, setup, commands, state, |what, text| {
        if what.starts_with("state") {
            // Entries the kernel made itself (IPv6 multicast, as the links' own addresses
            // came up, at times that differ between sandboxes) are left out; the rest
            // come in hash order.
            sorted_lines(text.lines().filter(|l| !l.starts_with("ff02:")))
        } else if what.starts_with("-s -s") {
            // The entries each flush lists come in the hash order of its own sandbox.
            sorted_lines(text.lines())
        } else {
            text.to_string()
        }
    });
}

#[test]
fn listings_match_ip() {
    assert_side_by_side(
        "listings_match_ip",
        STATE,
        &[
            "neigh",
            "neighbour",
            "n show",
            "neigh list",
            "neigh lst",
            "-s neigh",
            "-s -s neigh show",
            "-o neigh",
            "-4 neigh",
            "-6 neigh",
            "neigh show proxy",
            "-6 neigh show proxy",
            "neigh show nud all",
            "neigh show nud stale nud failed",
            "neigh show nud none",
            "neigh show nud noarp",
            "neigh show nud 4",
            "neigh show dev veth0",
            "neigh show dev veth1",
            "neigh show to 198.51.100.0/30",
            "neigh show 2001:db8::/64",
            "neigh show to default",
            "neigh show nomaster",
            "neigh show unused",
            "neigh show protocol static",
            "neigh show protocol all",
            "neigh get 198.51.100.2 dev veth0",
            "neigh get 2001:db8::2 dev veth0",
            "neigh get proxy 198.51.100.9 dev veth0",
            "-s neigh get 198.51.100.5 dev veth0",
            "-j neigh get 198.51.100.3 dev veth0",
        ],
    );
}

#[test]
fn errors_match_ip() {
    assert_side_by_side(
        "errors_match_ip",
        STATE,
        &[
            "neigh help",
            "neigh bogus",
            "neigh show nud bogus",
            "neigh show dev nope",
            "neigh show dev veth0 dev veth0",
            "neigh show to abc",
            "neigh show master nope",
            "neigh show protocol bogus",
            "neigh show dev",
            "neigh get 198.51.100.9",
            "neigh get 198.51.100.9 dev nope",
            "neigh get 198.51.100.99 dev veth0",
            "neigh flush",
            "neigh flush dev nope",
            "neigh add 198.51.100.30",
            "neigh add dev veth0",
            "neigh add 198.51.100.30 dev nope",
            "neigh add 198.51.100.30 lladdr zz dev veth0",
            "neigh add 198.51.100.30 nud bogus dev veth0",
            "neigh add 198.51.100.30 nud 3 dev veth0",
            "neigh add 198.51.100.30 dev veth0 protocol bogus",
            "neigh add 198.51.100.30 198.51.100.31 dev veth0",
            "neigh add 198.51.100.30 lladdr 02:00:00:00:00:01 lladdr 02:00:00:00:00:02 dev veth0",
            "neigh add abc dev veth0",
            "-4 neigh add 2001:db8::30 dev veth0",
            "neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0",
            "neigh del 198.51.100.99 dev veth0",
            "neigh change 198.51.100.99 dev veth0 lladdr 02:00:00:00:00:09",
        ],
    );
}

#[test]
fn json_matches_ip() {
    assert_json_lists_same_as_ip(
        "json_matches_ip",
        STATE,
        &[
            "-j neigh",
            "-s -j neigh",
            "-j neigh show proxy",
            "-j neigh show nud all",
            "-j -p neigh show dev veth0 nud stale",
            "-j neigh show dev veth1",
        ],
    );
}

const LINKS: &str = concat!(
    include_str!("common/veth_pair.sh"),
    "ip addr add 198.51.100.1/24 dev veth0
ip addr add 2001:db8::1/64 dev veth0 nodad
"
);

#[test]
fn changes_match_ip() {
    assert_changes_match(
        "changes_match_ip",
        LINKS,
        &[
            "neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0",
            "neigh add 198.51.100.3 lladdr 02:00:00:00:00:03 dev veth0 nud stale router",
            "neigh add 198.51.100.4 lladdr 02:00:00:00:00:04 dev veth0 nud noarp extern_learn protocol static",
            "neigh add 198.51.100.5 dev veth0 nud failed",
            "neigh add 198.51.100.6 lladdr 02:00:00:00:00:06 dev veth0 managed",
            "neigh add to 2001:db8::2 lladdr 02:00:00:00:00:12 dev veth0 nud reachable router",
            "neigh add proxy 198.51.100.9 dev veth0",
            "neigh add proxy 2001:db8::9 dev veth0",
            "neigh a 198.51.100.7 lladdr 1:2:3:4:5:6 dev veth0",
            "neigh replace 198.51.100.2 lladdr 02:00:00:00:00:22 dev veth0 nud stale",
            "neigh replace 198.51.100.8 lladdr 02:00:00:00:00:08 dev veth0",
            "neigh change 198.51.100.3 dev veth0 lladdr 02:00:00:00:00:33",
            "neigh chg 198.51.100.7 dev veth0 lladdr null nud reachable",
            "neigh del 198.51.100.5 dev veth0",
            "neigh delete proxy 2001:db8::9 dev veth0",
            "neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0",
            "neigh add 198.51.100.20 dev veth0",
        ],
    );
}

#[test]
fn flush_matches_ip() {
    assert_changes_match(
        "flush_matches_ip",
        STATE,
        &["-s neigh flush dev veth0", "-s neigh flush dev veth0"],
    );
    assert_changes_match(
        "flush_matches_ip",
        STATE,
        &["-s -s neigh flush nud all", "neigh flush to 2001:db8::/64"],
    );
    assert_changes_match(
        "flush_matches_ip",
        STATE,
        &[
            "-6 neigh flush proxy",
            "-j neigh flush all",
            "-4 -s neigh flush nud stale",
        ],
    );
}

/// A refused neighbour change ends even a `-force` batch in ip (it exits there); a missing
/// device or a bad address does not.
#[test]
fn batches_end_where_ips_do() {
    let batch = "neigh add 198.51.100.3 lladdr 02:00:00:00:00:03 dev nope
neigh replace 198.51.100.4 lladdr 02:00:00:00:00:04 dev veth0 nud stale
neigh add 198.51.100.5 lladdr zz dev veth0
neigh get 198.51.100.99 dev veth0
neigh show dev veth0
neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0
neigh add 198.51.100.2 lladdr 02:00:00:00:00:02 dev veth0
neigh del 198.51.100.4 dev veth0";
    BatchRun {
        setup: LINKS,
        batch,
        state: "echo == state; ip neigh show dev veth0 | sort",
        ..BatchRun::default()
    }
    .assert_same_as_ip_with_and_without_force("batches_end_where_ips_do");
}
