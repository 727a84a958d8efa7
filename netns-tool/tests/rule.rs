//! `nsip rule`, checked against iproute2's `ip rule` itself.
//!
//! Every test runs in its own `unshare --net --mount --fork` sandbox with a private /run,
//! with documentation addresses only. Listings are compared on the same kernel state (ip
//! then nsip in one sandbox); changes are made by each tool in its own sandbox from the
//! same setup, and the resulting rules, printed by ip, are compared.

mod common;

use common::{
    assert_changes_same_as_ip, assert_json_lists_same_as_ip, assert_side_by_side, BatchRun,
};

/// Rules of every selector and action ip prints, IPv4 and IPv6.
const STATE: &str = "
ip link set lo up
ip link add veth0 type veth peer name veth1
ip rule add from 198.51.100.0/24 table 100
ip rule add not from 198.51.100.0/24 to 203.0.113.0/24 iif veth0 oif veth1 fwmark 0x10/0xff tos 0x10 ipproto tcp sport 1000-2000 dport 80 uidrange 100-200 suppress_prefixlength 0 priority 50 lookup 1000
ip rule add to 198.51.100.0/24 blackhole pref 60
ip rule add pref 10 goto 100
ip rule add pref 11 nop
ip rule add pref 12 unreachable
ip rule add pref 13 prohibit fwmark 7
ip rule add pref 14 from all table main protocol static realms 3 suppress_ifgroup 5
ip rule add pref 15 l3mdev
ip rule add pref 16 uidrange 5-5 sport 22 table local
ip rule add pref 17 tun_id 5 table 7
ip rule add pref 18 realms 1/2 table 7
ip rule add pref 19 ipproto 250 table 7
ip rule add pref 20 nat 198.51.100.7 2>/dev/null
ip rule add pref 21 from 0/8 to 0/16 table 7
ip rule add pref 22 fwmark 0x10/0xffffffff table 7
ip -6 rule add from 2001:db8::/32 pref 60 table main
ip -6 rule add to 2001:db8:1::/48 iif veth0 pref 70 blackhole
";

/// Runs the commands with ip and with nsip, each in its own sandbox from `setup`; every
/// outcome and the rules ip prints at the end (both families, with their protocols) must
/// agree.
fn assert_changes_match(test: &str, setup: &str, commands: &[&str]) {
    let state = "report state ip -d rule show\nreport state-v6 ip -d -6 rule show\n";
    assert_changes_same_as_ip(test, setup, commands, state, |_, text| text.to_string());
}

#[test]
fn listings_match_ip() {
    assert_side_by_side(
        "listings_match_ip",
        STATE,
        &[
            "rule",
            "ru",
            "rule list",
            "rule lst",
            "rule s",
            "-o rule",
            "-d rule",
            "-s rule",
            "-4 rule",
            "-6 rule",
            "-6 -d rule show",
            "rule show table 7",
            "rule show lookup main",
            "rule show not",
            "rule show tos 0x10",
            "rule show fwmark 0",
            "rule show fwmark 7",
            "rule show fwmark 0x10/0xff",
            "rule show iif veth0",
            "rule show dev veth0",
            "rule show oif veth1",
            "rule show protocol static",
            "rule show sport 22",
            "rule show dport 80",
            "rule show uidrange 100-200",
            "rule show ipproto tcp",
            "rule show l3mdev",
            "rule show from 198.51.100.0/24",
            "rule show from 198.51.100.0/25",
            "rule show from all",
            "rule show to 198.51.100.0/24",
            "rule show dst 203.0.113.0/24",
            "rule show 198.51.100.0/24",
            "rule show pref 50",
            "rule list priority 14",
            "rule show order 60",
            "-6 rule show from 2001:db8::/32",
            "-6 rule show iif veth0",
        ],
    );
}

#[test]
fn errors_match_ip() {
    assert_side_by_side(
        "errors_match_ip",
        STATE,
        &[
            "rule help",
            "rule bogus",
            "rule add",
            "rule del",
            "rule add from abc",
            "-6 rule add from 198.51.100.0/24",
            "rule add pref abc",
            "rule add tos zz",
            "rule add fwmark zz",
            "rule add fwmark 1/zz",
            "rule add table bogus",
            "rule add suppress_prefixlength -1",
            "rule add sup_group -1 table 5",
            "rule add suppress_ifgroup 0x10 table 5",
            "rule add iif aaaaaaaaaaaaaaaaaaaaa",
            "rule add oif a/b",
            "rule add uidrange 5",
            "rule add ipproto bogus",
            "rule add sport x",
            "rule add bogusword",
            "rule add goto zz",
            "rule add l3mdev table 5",
            "rule add from 198.51.100.0/24 table 100",
            "rule add tos 16 table 5",
            "rule add from 2001:db8::/32",
            "rule del pref 99",
            "rule show pref zz",
            "rule show table zz",
            "rule show protocol zz",
            "rule show goto 100",
            "rule show from",
        ],
    );
}

#[test]
fn json_matches_ip() {
    assert_json_lists_same_as_ip(
        "json_matches_ip",
        STATE,
        &[
            "-j rule",
            "-j -6 rule",
            "-j -p rule show pref 50",
            "-j rule show table 7",
            "-j -d rule show pref 0",
        ],
    );
}

const LINKS: &str = "
ip link set lo up
ip link add veth0 type veth peer name veth1
";

#[test]
fn adds_and_deletes_match_ip() {
    assert_changes_match(
        "adds_and_deletes_match_ip",
        LINKS,
        &[
            "rule add from 198.51.100.0/24 table 100",
            "rule add not from 198.51.100.0/24 to 203.0.113.0/24 iif veth0 oif veth1 fwmark 0x10/0xff tos 0x10 ipproto tcp sport 1000-2000 dport 80 uidrange 100-200 suppress_prefixlength 0 priority 50 lookup 1000",
            "rule add to 198.51.100.0/24 blackhole pref 60",
            "rule add pref 10 goto 100",
            "rule add pref 11 nop",
            "rule add pref 12 type unreachable",
            "rule add pref 13 prohibit fwmark 7",
            "rule add pref 14 from all table main protocol static realms 3 sup_group 5",
            "rule add pref 15 l3mdev",
            "rule add pref 16 uidrange 5-5 sport 22 table local",
            "rule add pref 17 tun_id 5 table 7",
            "rule add pref 18 realms 1/2 dsfield 0x20 table 7",
            "rule add pref 19 ipproto 250 sup_pl 8 table 7",
            "rule add pref 20 nat 198.51.100.7",
            "rule add pref 21 from 0/8 to 0/16 table 7",
            "-6 rule add from 2001:db8::/32 pref 60 table main",
            "-6 rule add to 2001:db8:1::/48 iif veth0 pref 70 blackhole",
            "rule a pref 23 t 9 lookup 5",
            "rule add pref 24 fwmark 3 table 5",
            "rule add pref 24 fwmark 3 table 5",
            "rule del pref 12",
            "rule del from 198.51.100.0/24",
            "rule delete table 1000",
            "rule del pref 99",
            "rule d fwmark 3",
            "-6 rule del pref 70",
            "rule del nop",
        ],
    );
}

#[test]
fn flush_matches_ip() {
    assert_changes_match(
        "flush_matches_ip",
        STATE,
        &["rule flush table 7", "rule flush pref 12"],
    );
    assert_changes_match("flush_matches_ip", STATE, &["rule flush protocol static"]);
    assert_changes_match("flush_matches_ip", STATE, &["-6 rule flush", "rule flush"]);
}

/// Rule changes in a batch: under `-force` they go many per send, and every refused line
/// is reported with its number as ip reports it; without, the first refusal ends it.
#[test]
fn batches_match_ip() {
    let batch = "rule add pref 5 table 7
rule add pref 5 table 7
rule add pref 6 from 198.51.100.0/24 lookup 100
rule del pref 99
rule add pref 7 bogus
rule show
rule add pref 8 fwmark 3 table 9
rule del pref 6
-6 rule add pref 9 from 2001:db8::/32 table 9";
    BatchRun {
        setup: LINKS,
        batch,
        state: "echo == state; ip rule; ip -6 rule",
        ..BatchRun::default()
    }
    .assert_same_as_ip_with_and_without_force("batches_match_ip");
}
