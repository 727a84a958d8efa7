//! `nsip monitor`, checked against iproute2's `ip monitor` watching the same changes.
//!
//! Each test runs in its own `unshare --net --mount --fork` sandbox (private /run, its own
//! network namespace): `ip monitor ARGS` and `nsip monitor ARGS` run side by side in the
//! background, the script makes changes, and both are stopped by the PIDs it started them
//! with. Marker changes make sure both listened before the changes and printed everything
//! after them, so the two outputs can be compared line for line.

mod common;

use common::{
    assert_side_by_side_showing, can_record, can_sandbox, ip_and_nsip, sandbox_ok, side_by_side,
    RECORD,
};

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

/// A change that every monitored object set sees, and the text it prints: made once with
/// `N` as 1 before the watched changes and once with `N` as 2 after them.
type Markers = (&'static str, &'static str);

const ROUTE: Markers = (
    "ip route add blackhole 198.18.100.N/32",
    "blackhole 198.18.100.N",
);
// One event each: a marker that printed is the last thing printed.
const LINK: Markers = ("ip link set lo mtu 6500N", "mtu 6500N");
const ADDR: Markers = ("ip addr add 198.18.100.N/32 dev lo", "198.18.100.N");
// Rules print on one line each: a marker that printed is the last thing printed.
const RULE: Markers = ("ip rule add pref 100N lookup 100N", "100N:");
const RULE_6: Markers = ("ip -6 rule add pref 100N lookup 100N", "100N:");

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

/// Namespace ids given and dropped while a veth's peer moves into the namespace.
const NSID_CHANGES: &str = "
ip link add veth0 type veth peer name veth1
ip netns add foo
ip netns set foo 5
ip link set veth1 netns foo
ip netns del foo
";

/// Runs `ip ARGS` and `nsip ARGS` (a monitor command) together over `changes` and returns
/// both outputs, each cut to what was printed from the start marker to the end marker.
fn watch_changes(args: &str, changes: &str, (make, seen_as): Markers) -> (String, String) {
    let [start, end] = ["1", "2"].map(|n| (make.replace('N', n), seen_as.replace('N', n)));
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
{}
wait_for '{}' /run/ip.out /run/ns.out
{changes}
{}
wait_for '{}' /run/ip.out /run/ns.out
kill "$ip_pid" "$ns_pid"
wait "$ip_pid" "$ns_pid" 2>/dev/null || true
echo "== ip"; cat /run/ip.out
echo "== nsip"; cat /run/ns.out
"#,
        start.0, start.1, end.0, end.1,
    );
    let (ip_part, ns_part) = ip_and_nsip(&sandbox_ok(&script));
    let cut = |text: &str| -> String {
        let lines: Vec<&str> = text.lines().collect();
        let from = lines
            .iter()
            .position(|l| l.contains(&start.1))
            .expect("start marker printed");
        let to = lines
            .iter()
            .rposition(|l| l.contains(&end.1))
            .expect("end marker printed");
        lines.get(from..=to).unwrap_or(&[]).join("\n")
    };
    (cut(&ip_part), cut(&ns_part))
}

/// Each monitor command of `cases` (ip's arguments, the markers around the changes, and
/// lines ip must print) watches `changes` with ip and with nsip: nsip must print what ip
/// prints, and ip must print the lines (else the changes did not happen).
fn assert_same_events(test: &str, changes: &str, cases: &[(&str, Markers, &[&str])]) {
    if !can_sandbox(test) {
        return;
    }
    for &(args, markers, expect) in cases {
        let (reference, ours) = watch_changes(args, changes, markers);
        assert_eq!(
            ours, reference,
            "`{args}` differs from ip's\n--- ip:\n{reference}\n--- nsip:\n{ours}"
        );
        for line in expect {
            assert!(
                reference.contains(line),
                "`{args}`: ip printed no {line:?} (the changes did not happen?):\n{reference}"
            );
        }
    }
}

#[test]
fn route_link_and_address_events_match_ip() {
    let route_lines: &[&str] = &[
        "198.51.100.0/24 via 192.0.2.2 dev veth0 \n",
        "Deleted 198.51.100.0/24 via 192.0.2.2 dev veth0 \n",
        "blackhole 203.0.113.0/24 table 100 \n",
        "2001:db8:5::/48 dev veth0 metric 1024 pref medium\n",
    ];
    let all_labelled: &[&str] = &["[LINK]", "[ADDR]", "[ROUTE]", "[ROUTE]Deleted "];
    let addresses: &[&str] = &["inet 192.0.2.1/24", "Deleted ", "inet6 2001:db8::1/64"];
    assert_same_events(
        "route_link_and_address_events_match_ip",
        CHANGES,
        &[
            ("monitor route", ROUTE, route_lines),
            (
                "monitor route label",
                ROUTE,
                &["[ROUTE]Deleted 198.51.100.0/24"],
            ),
            ("monitor link", LINK, &["mtu 1400", "Deleted "]),
            ("monitor address", ADDR, addresses),
            ("monitor link address route label", LINK, all_labelled),
            ("-4 monitor route", ROUTE, &["blackhole 203.0.113.0/24"]),
            ("monitor route address dev lo", ADDR, &["198.18.100.1"]),
        ],
    );
}

#[test]
fn neigh_rule_and_netconf_events_match_ip() {
    let neighbours_and_rules: &[&str] = &[
        "198.51.100.7 dev veth0 lladdr 02:00:00:00:00:08 REACHABLE",
        "Deleted 198.51.100.7 dev veth0",
        "2001:db8::7 dev veth0 lladdr 02:00:00:00:00:09 router PERMANENT",
        "100:\tfrom 198.51.100.0/24 lookup 100",
        "from all to 2001:db8::/32 lookup 200",
        "Deleted 100:",
    ];
    // ip labels a neighbour event before filtering it out: the label stays alone.
    let ipv6_rules: &[&str] = &["\tfrom all to 2001:db8::/32 lookup 200", "[NEIGH][RULE]"];
    let netconf: &[&str] = &[
        "[NETCONF]inet veth0 forwarding off rp_filter off ",
        "[NETCONF]inet6 veth1 forwarding off ",
        "[NETCONF]Deleted inet6 veth0 \n",
    ];
    assert_same_events(
        "neigh_rule_and_netconf_events_match_ip",
        NEIGH_RULE_CHANGES,
        &[
            ("monitor neigh rule", RULE, neighbours_and_rules),
            ("-6 monitor rule neigh label dev lo", RULE_6, ipv6_rules),
            ("monitor netconf rule label", RULE, netconf),
        ],
    );
}

#[test]
fn nsid_events_match_ip() {
    let nsids: &[&str] = &[
        "[NSID]nsid 5 (iproute2 netns name: foo)",
        "new-netns foo new-ifindex 2",
    ];
    assert_same_events(
        "nsid_events_match_ip",
        NSID_CHANGES,
        &[("monitor nsid rule link label", RULE, nsids)],
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
        let (reference, ours) = watch_changes(args, NEIGH_RULE_CHANGES, RULE);
        let strip = |text: &str| text.lines().map(without_stamp).collect::<Vec<_>>();
        let (reference, ours) = (strip(&reference), strip(&ours));
        assert_eq!(ours, reference, "`{args}` differs from ip's");
        assert!(
            reference.iter().any(|l| l == stamp),
            "ip printed no {stamp:?}: {reference:#?}"
        );
    }
}

/// After `record` (bash that records with [`RECORD`]'s functions while things change),
/// runs each `monitor file` argument line with ip and with nsip on the same files: nsip
/// must print what ip prints, and ip's reading of the first line must hold each of
/// `first_shows`.
fn recording_read_like_ip(test: &str, record: &str, lines: &[&str], first_shows: &[&str]) {
    if can_record(test) {
        let setup = format!("{RECORD}\nip link set lo up\n{record}");
        assert_side_by_side_showing(test, &setup, lines, first_shows);
    }
}

#[test]
fn recorded_stream_decodes_like_ip() {
    let files = ["rec", "cut", "bad", "missing"].map(|f| format!("monitor file /run/{f}.bin"));
    recording_read_like_ip(
        "recorded_stream_decodes_like_ip",
        &format!(
            r#"
record_start link address route
{CHANGES}
ip route add blackhole 198.18.100.2/32
record_stop 0.5
head -c 100 /run/rec.bin > /run/cut.bin
printf '\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' > /run/bad.bin
"#
        ),
        &files.each_ref().map(String::as_str),
        &[
            "Timestamp: ",
            "1: lo: <LOOPBACK,UP,LOWER_UP>",
            "inet 192.0.2.1/24 scope global veth0",
            "Deleted 198.51.100.0/24 via 192.0.2.2 dev veth0",
            "blackhole 198.18.100.2",
        ],
    );
}

#[test]
fn recorded_neigh_rule_nsid_netconf_stream_decodes_like_ip() {
    // rtmon without objects records every group: neighbours, rules, nsids and netconf too.
    recording_read_like_ip(
        "recorded_neigh_rule_nsid_netconf_stream_decodes_like_ip",
        &format!(
            "record_start\n{NEIGH_RULE_CHANGES}\n{NSID_CHANGES}\n\
             ip rule add pref 1002 lookup 1002\nrecord_stop 0.5\n"
        ),
        &[
            "monitor file /run/rec.bin all",
            "monitor file /run/rec.bin",
            "monitor file /run/rec.bin neigh rule",
        ],
        &[
            "[NEIGH]198.51.100.7 dev veth0 lladdr 02:00:00:00:00:08 REACHABLE",
            "[RULE]Deleted 100:\tfrom 198.51.100.0/24 lookup 100",
            "[NSID]nsid 5",
            "[NETCONF]Deleted inet veth0 \n",
        ],
    );
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
