//! `nsip monitor`, checked against iproute2's `ip monitor` watching the same changes.
//!
//! Each test runs in its own `unshare --net --mount --fork` sandbox (private /run, its own
//! network namespace): `ip monitor ARGS` and `nsip monitor ARGS` run side by side in the
//! background, the script makes changes, and both are stopped by the PIDs it started them
//! with. Marker changes make sure both listened before the changes and printed everything
//! after them, so the two outputs can be compared line for line.

mod common;

use std::path::Path;

use common::{can_sandbox, sandbox_ok, side_by_side};

/// Shell helpers: `wait_for PATTERN FILE...` polls until every file has a line matching
/// PATTERN (or gives up after ~10 s and fails the script).
const HELPERS: &str = r#"
wait_for() {
  local pattern=$1; shift
  for _ in $(seq 200); do
    local all=1
    for f in "$@"; do grep -q -- "$pattern" "$f" || all=0; done
    [ $all = 1 ] && return 0
    sleep 0.05
  done
  echo "timed out waiting for $pattern in $*" >&2; return 1
}
"#;

/// A change that every monitored object set sees, and the text it prints.
struct Marker {
    make: &'static str,
    seen_as: &'static str,
}

/// The changes watched by the live tests (run once both monitors are listening).
const CHANGES: &str = "
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
ip addr add 192.0.2.1/24 dev veth0
ip -6 addr add 2001:db8::1/64 dev veth0 nodad
ip route add 198.51.100.0/24 via 192.0.2.2
ip route add blackhole 203.0.113.0/24 table 100
ip route add unreachable 198.18.1.0/24 metric 7 proto static
ip route del 198.51.100.0/24
ip -6 route add 2001:db8:5::/48 dev veth0
ip route replace 198.18.1.0/24 dev veth0 metric 7
ip link set veth0 mtu 1400
ip addr del 192.0.2.1/24 dev veth0
ip link set veth1 down
ip link del veth0
";

/// Neighbour and rule changes (on a veth made first), watched by the neigh/rule tests.
const NEIGH_RULE_CHANGES: &str = "
ip link add veth0 type veth peer name veth1
ip link set veth0 up
ip link set veth1 up
ip addr add 198.51.100.1/24 dev veth0
ip neigh add 198.51.100.7 lladdr 02:00:00:00:00:07 dev veth0
ip neigh replace 198.51.100.7 lladdr 02:00:00:00:00:08 dev veth0 nud reachable
ip neigh del 198.51.100.7 dev veth0
ip -6 neigh add 2001:db8::7 lladdr 02:00:00:00:00:09 dev veth0 router
ip neigh add 198.51.100.9 lladdr 02:00:00:00:00:0a dev veth1 nud noarp
ip rule add from 198.51.100.0/24 table 100 pref 100
ip -6 rule add to 2001:db8::/32 lookup 200
ip rule add not fwmark 7 iif veth0 prohibit pref 300
ip rule del pref 100
ip link del veth0
";

/// Runs `ip ARGS` and `nsip ARGS` (a monitor command) together over `changes` and returns
/// both outputs, each cut to what was printed from the start marker to the end marker.
fn watch_changes(args: &str, changes: &str, start: &Marker, end: &Marker) -> (String, String) {
    let script = format!(
        r#"{HELPERS}
ip link set lo up
# No IPv6 link-local addresses: their events on the veth peer that is deleted next would
# make both tools look up a name at a moment that races the deletion (ip prints `if2` or
# `veth1` depending on which wins), so the comparison would depend on timing.
sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
sysctl -qw net.ipv6.conf.all.addr_gen_mode=1
ip {args} > /run/ip.out 2>&1 & ip_pid=$!
"$NSIP" {args} > /run/ns.out 2>&1 & ns_pid=$!
# Until both listen: repeat a probe change until both printed it.
for _ in $(seq 100); do
  ip route add blackhole 198.18.200.1/32 2>/dev/null || true
  ip route del blackhole 198.18.200.1/32 2>/dev/null || true
  ip addr add 198.18.201.1/32 dev lo 2>/dev/null || true
  ip addr del 198.18.201.1/32 dev lo 2>/dev/null || true
  ip link set lo mtu 65535; ip link set lo mtu 65536
  ip rule add pref 1000 lookup 1000; ip rule del pref 1000
  ip -6 rule add pref 1000 lookup 1000; ip -6 rule del pref 1000
  if grep -q . /run/ip.out && grep -q . /run/ns.out; then break; fi
  sleep 0.1
done
{start_make}
wait_for '{start_seen}' /run/ip.out /run/ns.out
{changes}
{end_make}
wait_for '{end_seen}' /run/ip.out /run/ns.out
kill "$ip_pid" "$ns_pid"
wait "$ip_pid" "$ns_pid" 2>/dev/null || true
echo "== ip"; cat /run/ip.out
echo "== nsip"; cat /run/ns.out
"#,
        start_make = start.make,
        start_seen = start.seen_as,
        end_make = end.make,
        end_seen = end.seen_as,
    );
    let out = sandbox_ok(&script);
    let (ip_part, ns_part) = out
        .split_once("== nsip\n")
        .expect("transcript has both outputs");
    let ip_part = ip_part.strip_prefix("== ip\n").unwrap_or(ip_part);
    let cut = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().collect();
        let from = lines
            .iter()
            .position(|l| l.contains(start.seen_as))
            .expect("start marker printed");
        let to = lines
            .iter()
            .rposition(|l| l.contains(end.seen_as))
            .expect("end marker printed");
        lines.get(from..=to).unwrap_or(&[]).join("\n")
    };
    (cut(ip_part), cut(ns_part))
}

const ROUTE_START: Marker = Marker {
    make: "ip route add blackhole 198.18.100.1/32",
    seen_as: "blackhole 198.18.100.1",
};
const ROUTE_END: Marker = Marker {
    make: "ip route add blackhole 198.18.100.2/32",
    seen_as: "blackhole 198.18.100.2",
};
// One event each: a marker that printed is the last thing printed.
const LINK_START: Marker = Marker {
    make: "ip link set lo mtu 65001",
    seen_as: "mtu 65001",
};
const LINK_END: Marker = Marker {
    make: "ip link set lo mtu 65002",
    seen_as: "mtu 65002",
};
const ADDR_START: Marker = Marker {
    make: "ip addr add 198.18.100.1/32 dev lo",
    seen_as: "198.18.100.1",
};
const ADDR_END: Marker = Marker {
    make: "ip addr add 198.18.100.2/32 dev lo",
    seen_as: "198.18.100.2",
};

fn assert_same_events(test: &str, args: &str, start: &Marker, end: &Marker, expect: &[&str]) {
    assert_same_events_over(test, args, CHANGES, (start, end), expect);
}

fn assert_same_events_over(
    test: &str,
    args: &str,
    changes: &str,
    (start, end): (&Marker, &Marker),
    expect: &[&str],
) {
    if !can_sandbox(test) {
        return;
    }
    let (reference, ours) = watch_changes(args, changes, start, end);
    assert_eq!(
        ours, reference,
        "`{args}` differs from ip's\n--- ip:\n{reference}\n--- nsip:\n{ours}"
    );
    for line in expect {
        assert!(
            reference.contains(line),
            "ip printed no {line:?} (the changes did not happen?):\n{reference}"
        );
    }
}

#[test]
fn route_events_match_ip() {
    assert_same_events(
        "route_events_match_ip",
        "monitor route",
        &ROUTE_START,
        &ROUTE_END,
        &[
            "198.51.100.0/24 via 192.0.2.2 dev veth0 \n",
            "Deleted 198.51.100.0/24 via 192.0.2.2 dev veth0 \n",
            "blackhole 203.0.113.0/24 table 100 \n",
            "2001:db8:5::/48 dev veth0 metric 1024 pref medium\n",
        ],
    );
}

#[test]
fn labelled_route_events_match_ip() {
    assert_same_events(
        "labelled_route_events_match_ip",
        "monitor route label",
        &ROUTE_START,
        &ROUTE_END,
        &["[ROUTE]Deleted 198.51.100.0/24"],
    );
}

#[test]
fn link_events_match_ip() {
    assert_same_events(
        "link_events_match_ip",
        "monitor link",
        &LINK_START,
        &LINK_END,
        &["mtu 1400", "Deleted "],
    );
}

#[test]
fn address_events_match_ip() {
    assert_same_events(
        "address_events_match_ip",
        "monitor address",
        &ADDR_START,
        &ADDR_END,
        &["inet 192.0.2.1/24", "Deleted ", "inet6 2001:db8::1/64"],
    );
}

#[test]
fn combined_labelled_events_match_ip() {
    assert_same_events(
        "combined_labelled_events_match_ip",
        "monitor link address route label",
        &LINK_START,
        &LINK_END,
        &["[LINK]", "[ADDR]", "[ROUTE]", "[ROUTE]Deleted "],
    );
}

#[test]
fn ipv4_only_route_events_match_ip() {
    assert_same_events(
        "ipv4_only_route_events_match_ip",
        "-4 monitor route",
        &ROUTE_START,
        &ROUTE_END,
        &["blackhole 203.0.113.0/24"],
    );
}

#[test]
fn device_filtered_events_match_ip() {
    assert_same_events(
        "device_filtered_events_match_ip",
        "monitor route address dev lo",
        &ADDR_START,
        &ADDR_END,
        &["198.18.100.1"],
    );
}

// Rules print on one line each: a marker that printed is the last thing printed.
const RULE_START: Marker = Marker {
    make: "ip rule add pref 1001 lookup 1001",
    seen_as: "1001:",
};
const RULE_END: Marker = Marker {
    make: "ip rule add pref 1002 lookup 1002",
    seen_as: "1002:",
};

#[test]
fn neigh_and_rule_events_match_ip() {
    assert_same_events_over(
        "neigh_and_rule_events_match_ip",
        "monitor neigh rule",
        NEIGH_RULE_CHANGES,
        (&RULE_START, &RULE_END),
        &[
            "198.51.100.7 dev veth0 lladdr 02:00:00:00:00:08 REACHABLE",
            "Deleted 198.51.100.7 dev veth0",
            "2001:db8::7 dev veth0 lladdr 02:00:00:00:00:09 router PERMANENT",
            "100:\tfrom 198.51.100.0/24 lookup 100",
            "from all to 2001:db8::/32 lookup 200",
            "Deleted 100:",
        ],
    );
}

#[test]
fn labelled_ipv6_rule_and_device_neigh_events_match_ip() {
    assert_same_events_over(
        "labelled_ipv6_rule_and_device_neigh_events_match_ip",
        "-6 monitor rule neigh label dev lo",
        NEIGH_RULE_CHANGES,
        (&RULE_START_6, &RULE_END_6),
        // ip labels a neighbour event before filtering it out: the label stays alone.
        &["\tfrom all to 2001:db8::/32 lookup 200", "[NEIGH][RULE]"],
    );
}

/// `line` with a well-formed `-t` or `-ts` stamp replaced by `Timestamp: T usec` or `[T] `
/// (a malformed one is left as it is, so it cannot compare equal).
fn without_stamp(line: &str) -> String {
    if let Some(rest) = line.strip_prefix("Timestamp: ") {
        let parts: Vec<&str> = rest.split_whitespace().collect();
        let well_formed = parts.len() == 7
            && parts.last() == Some(&"usec")
            && parts.get(5).is_some_and(|u| u.parse::<u32>().is_ok());
        if well_formed {
            return "Timestamp: T usec".to_string();
        }
    }
    let digit_at = |i: usize| line.as_bytes().get(i).is_some_and(u8::is_ascii_digit);
    let short = line.get(..1) == Some("[")
        && line.get(27..29) == Some("] ")
        && [1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 26]
            .into_iter()
            .all(digit_at)
        && line.get(11..12) == Some("T");
    if short {
        return format!("[T] {}", line.get(29..).unwrap_or(""));
    }
    line.to_string()
}

#[test]
fn time_stamped_events_match_ip() {
    if !can_sandbox("time_stamped_events_match_ip") {
        return;
    }
    for (args, stamp) in [
        ("-t monitor rule neigh label", "Timestamp: T usec"),
        (
            "-ts monitor rule neigh",
            "[T] 100:\tfrom 198.51.100.0/24 lookup 100",
        ),
    ] {
        let (reference, ours) = watch_changes(args, NEIGH_RULE_CHANGES, &RULE_START, &RULE_END);
        let strip = |text: &str| text.lines().map(without_stamp).collect::<Vec<_>>();
        let (reference, ours) = (strip(&reference), strip(&ours));
        assert_eq!(ours, reference, "`{args}` differs from ip's");
        assert!(
            reference.iter().any(|l| l == stamp),
            "ip printed no {stamp:?}: {reference:#?}"
        );
    }
}

/// Namespace ids given and dropped while a veth's peer moves into the namespace.
const NSID_CHANGES: &str = "
ip link add veth0 type veth peer name veth1
ip netns add foo
ip netns set foo 5
ip link set veth1 netns foo
ip netns del foo
";

#[test]
fn nsid_events_match_ip() {
    assert_same_events_over(
        "nsid_events_match_ip",
        "monitor nsid rule link label",
        NSID_CHANGES,
        (&RULE_START, &RULE_END),
        &[
            "[NSID]nsid 5 (iproute2 netns name: foo)",
            "new-netns foo new-ifindex 2",
        ],
    );
}

#[test]
fn netconf_events_match_ip() {
    assert_same_events_over(
        "netconf_events_match_ip",
        "monitor netconf rule label",
        NEIGH_RULE_CHANGES,
        (&RULE_START, &RULE_END),
        &[
            "[NETCONF]inet veth0 forwarding off rp_filter off ",
            "[NETCONF]inet6 veth1 forwarding off ",
            "[NETCONF]Deleted inet6 veth0 \n",
        ],
    );
}

const RULE_START_6: Marker = Marker {
    make: "ip -6 rule add pref 1001 lookup 1001",
    seen_as: "1001:",
};
const RULE_END_6: Marker = Marker {
    make: "ip -6 rule add pref 1002 lookup 1002",
    seen_as: "1002:",
};

#[test]
fn recorded_stream_decodes_like_ip() {
    if !can_sandbox("recorded_stream_decodes_like_ip") {
        return;
    }
    if !["/usr/sbin/rtmon", "/sbin/rtmon", "/usr/bin/rtmon"]
        .iter()
        .any(|p| Path::new(p).exists())
    {
        eprintln!("SKIP recorded_stream_decodes_like_ip: iproute2's rtmon is missing");
        return;
    }
    let setup = format!(
        r#"{HELPERS}
ip link set lo up
rtmon file /run/rec.bin link address route & rec_pid=$!
# rtmon writes its link dump first: wait for it before changing anything.
for _ in $(seq 100); do [ -s /run/rec.bin ] && break; sleep 0.05; done
sleep 0.2
{CHANGES}
ip route add blackhole 198.18.100.2/32
sleep 0.5
kill "$rec_pid"; wait "$rec_pid" 2>/dev/null || true
head -c 100 /run/rec.bin > /run/cut.bin
printf '\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' > /run/bad.bin
"#
    );
    let files = ["rec", "cut", "bad", "missing"].map(|f| format!("monitor file /run/{f}.bin"));
    let pairs = side_by_side(&setup, &files.each_ref().map(String::as_str));
    for (want, got) in &pairs {
        assert_eq!(got, want, "`monitor file` differs from ip's");
    }
    let full = &pairs[0].0;
    for line in [
        "Timestamp: ",
        "1: lo: <LOOPBACK,UP,LOWER_UP>",
        "inet 192.0.2.1/24 scope global veth0",
        "Deleted 198.51.100.0/24 via 192.0.2.2 dev veth0",
        "blackhole 198.18.100.2",
    ] {
        assert!(full.contains(line), "ip decoded no {line:?}:\n{full}");
    }
}

#[test]
fn recorded_neigh_rule_nsid_netconf_stream_decodes_like_ip() {
    let test = "recorded_neigh_rule_nsid_netconf_stream_decodes_like_ip";
    if !can_sandbox(test) {
        return;
    }
    if !["/usr/sbin/rtmon", "/sbin/rtmon", "/usr/bin/rtmon"]
        .iter()
        .any(|p| Path::new(p).exists())
    {
        eprintln!("SKIP {test}: iproute2's rtmon is missing");
        return;
    }
    // rtmon without objects records every group: neighbours, rules, nsids and netconf too.
    let setup = format!(
        r#"
ip link set lo up
rtmon file /run/rec.bin & rec_pid=$!
for _ in $(seq 100); do [ -s /run/rec.bin ] && break; sleep 0.05; done
sleep 0.2
{NEIGH_RULE_CHANGES}
{NSID_CHANGES}
ip rule add pref 1002 lookup 1002
sleep 0.5
kill "$rec_pid"; wait "$rec_pid" 2>/dev/null || true
"#
    );
    let lines = [
        "monitor file /run/rec.bin",
        "monitor file /run/rec.bin all",
        "monitor file /run/rec.bin neigh rule",
    ];
    let pairs = side_by_side(&setup, &lines);
    for ((want, got), line) in pairs.iter().zip(lines) {
        assert_eq!(got, want, "`{line}` differs from ip's");
    }
    let full = &pairs[1].0;
    for line in [
        "[NEIGH]198.51.100.7 dev veth0 lladdr 02:00:00:00:00:08 REACHABLE",
        "[RULE]Deleted 100:\tfrom 198.51.100.0/24 lookup 100",
        "[NSID]nsid 5",
        "[NETCONF]Deleted inet veth0 \n",
    ] {
        assert!(full.contains(line), "ip decoded no {line:?}:\n{full}");
    }
}

#[test]
fn argument_errors_match_ip() {
    if !can_sandbox("argument_errors_match_ip") {
        return;
    }
    let lines = ["foo", "route dev nosuch", "file", "help"].map(|a| format!("monitor {a}"));
    for (want, got) in side_by_side("", &lines.each_ref().map(String::as_str)) {
        assert_eq!(got, want, "monitor argument error differs from ip's");
        assert!(!want.ends_with("status: 0\n"), "ip accepted it: {want}");
    }
}
