//! Sandboxes and comparisons shared by the `link` and `addr` tests.
//!
//! Every script runs in its own `unshare --net --mount --fork` sandbox with a private /run,
//! so nothing reaches the machine's network or its /run/netns. IPv6 addresses are not
//! generated from MACs there (`addr_gen_mode` 1), so two sandboxes given the same commands
//! (and fixed MAC addresses) end in byte-identical state.

// `link` and `addr` each compile this module and use only some of it.
#![allow(dead_code)]

use crate::common::{
    assert_steps_same_as_ip, can_sandbox, report_json, sandbox_ok as plain_sandbox_ok,
    sandbox_test as plain_sandbox_test, sandbox_test_showing as plain_sandbox_test_showing,
    side_by_side,
};

/// No IPv6 address is generated from a MAC address in the sandbox, so state is repeatable.
pub const STABLE_IPV6: &str = "sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
sysctl -qw net.ipv6.conf.all.addr_gen_mode=1
sysctl -qw net.ipv6.conf.lo.addr_gen_mode=1
";

/// Stdout of a sandbox script that must succeed, run with [`STABLE_IPV6`] in force.
pub fn sandbox_ok(script: &str) -> String {
    plain_sandbox_ok(&format!("{STABLE_IPV6}{script}"))
}

/// [`sandbox_ok`] for a test, or `None` when the test must be skipped.
pub fn sandbox_test(test: &str, script: &str) -> Option<String> {
    plain_sandbox_test(test, &format!("{STABLE_IPV6}{script}"))
}

/// [`sandbox_test`], then that the stdout holds each of `parts` (see
/// [`crate::common::assert_contains_all`]).
pub fn sandbox_test_showing(test: &str, script: &str, parts: &[&str]) -> Option<String> {
    plain_sandbox_test_showing(test, &format!("{STABLE_IPV6}{script}"), parts)
}

/// `state LABEL`: prints the kernel state as iproute2 reads it (next to
/// [`common::REPORT`]'s `report`). `settle_links`: waits (up to 5 s) until no veth or
/// bridge, in this namespace or a named one, has a carrier its operstate does not show
/// yet: the kernel's linkwatch applies a carrier change up to a second later, so without
/// the wait ip's read and nsip's can see two different states. `round_lifetimes`: a dynamic
/// address's lifetimes count down while the test runs, and ip's sandbox and nsip's reach a
/// step at different times (a second apart on a loaded machine), so each lifetime of up to
/// six digits (`valid_lft 299sec`, `"valid_life_time":299`; not "forever"'s 4294967295) is
/// rounded up to ten seconds: the lifetimes the commands set (multiples of 100) still show.
const STATE_FUNCTION: &str = r#"
round_lifetimes() {
  awk '{
    out = ""
    while (match($0, /(_lft |_life_time":)[0-9]+/)) {
      token = substr($0, RSTART, RLENGTH)
      key = token
      sub(/[0-9]+$/, "", key)
      digits = substr(token, length(key) + 1)
      if (length(digits) < 7) digits = int((digits + 9) / 10) * 10
      out = out substr($0, 1, RSTART - 1) key digits
      $0 = substr($0, RSTART + RLENGTH)
    }
    print out $0
  }'
}
settle_links() {
  for _ in $(seq 100); do
    pending=
    for ns in "" $(ip netns list | awk '{print $1}'); do
      ip ${ns:+-n "$ns"} -o -d link show | grep -E ' (veth|bridge) ' |
        grep -qE 'LOWER_UP.* state (DOWN|LOWERLAYERDOWN|UNKNOWN)|NO-CARRIER.* state UP' && pending=1
    done
    [ -z "$pending" ] && return
    sleep 0.05
  done
}
state() {
  echo "== $1 state"
  ip link show
  ip addr show | round_lifetimes
  ip -d -j link show | sed -E 's/"(gc_timer|hello_timer|tcn_timer|topology_change_timer|hold_timer|message_age_timer|forward_delay_timer)":[0-9.]+/"\1":T/g'
  echo
  for ns in $(ip netns list | awk '{print $1}'); do echo "-- netns $ns"; ip -n "$ns" link show; ip -n "$ns" addr show | round_lifetimes; done
}
"#;

/// Runs `setup` then each command with `$IP` set to ip and to nsip, each in a fresh
/// sandbox, and asserts that every command's stdout, stderr and status, and the kernel
/// state after it (read by iproute2), are the same. `$IP` in the commands is the tool.
pub fn assert_same_as_ip(test: &str, setup: &str, commands: &[&str]) {
    let setup = format!("{STABLE_IPV6}{STATE_FUNCTION}\n{setup}\nsettle_links\n");
    // Bridge timers (`gc_timer 0.01`) and address lifetimes tick between the two tools' reads.
    let step = |i: usize, cmd: &str| {
        format!("report {i} {cmd} | sed -E 's/(_timer) +[0-9.]+/\\1 T/g' | round_lifetimes\nstate {i}\n")
    };
    assert_steps_same_as_ip(test, &setup, commands, step, 2);
}

/// In one sandbox: runs `setup` with iproute2, then each `ip` argument line with ip and
/// with nsip on that same state, and asserts the text is the same — and, for `-j`
/// lines, that both parse as JSON to equal values.
pub fn assert_show_same(test: &str, setup: &str, lines: &[&str]) {
    if !can_sandbox(test) {
        return;
    }
    let setup = format!("{STABLE_IPV6}{STATE_FUNCTION}\n{setup}\nsettle_links\n");
    let pairs = side_by_side(&setup, lines);
    for (line, (want, ours)) in lines.iter().zip(pairs) {
        let (want, ours) = (mask_live(&want), mask_live(&ours));
        if line.split_whitespace().any(|w| w == "-j") {
            let json = |s: &str| {
                report_json(s).unwrap_or_else(|e| panic!("`{line}` is not JSON ({e}): {s}"))
            };
            assert_eq!(json(&ours), json(&want), "{test}: `{line}` JSON differs");
        }
        assert_eq!(ours, want, "{test}: `{line}` output differs from ip's");
    }
}

/// What the kernel changes between two reads of the same state: bridge timers, and the
/// `-s` counters (an up veth without carrier drops the MLD reports the kernel sends on its
/// own schedule, so `TX dropped` can differ between ip's read and ours).
pub fn mask_live(text: &str) -> String {
    mask_counters(&mask_timers(text))
}

/// Replaces the digits of `-s` counter rows (the line after each `RX:`/`TX:` header) and
/// of the JSON `stats64` object with `0`, keeping every label and key.
pub fn mask_counters(text: &str) -> String {
    let text = mask_stats64(text);
    let mut out = String::with_capacity(text.len());
    let mut after_header = false;
    for line in text.split_inclusive('\n') {
        let head = line.trim_start();
        let is_header = head.starts_with("RX:") || head.starts_with("TX:");
        if is_header || after_header {
            // The columns are as wide as the widest counter, so the spacing of the header
            // and of its row is live too: one space between words, each number a 0.
            let words: Vec<&str> = line
                .split_whitespace()
                .map(|w| {
                    if w.bytes().all(|b| b.is_ascii_digit()) {
                        "0"
                    } else {
                        w
                    }
                })
                .collect();
            out.push_str(&words.join(" "));
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
        after_header = is_header;
    }
    out
}

/// Masks the numbers inside every JSON `"stats64": {...}` object (compact or pretty): each
/// becomes one `0`, so the text stays JSON.
fn mask_stats64(text: &str) -> String {
    const KEY: &str = "\"stats64\":";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let (before, from_key) = rest.split_at(at + KEY.len());
        out.push_str(before);
        let mut depth = 0usize;
        let mut consumed = from_key.len();
        let mut in_number = false;
        for (i, c) in from_key.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            let digit = c.is_ascii_digit() && depth > 0;
            if !(digit && in_number) {
                out.push(if digit { '0' } else { c });
            }
            in_number = digit;
            if c == '}' && depth == 0 {
                consumed = i + 1;
                break;
            }
        }
        rest = from_key.get(consumed..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Bridge timers and address lifetimes tick between two reads of the same state: their
/// values are replaced by `0` (text `gc_timer    0.07`, JSON `"gc_timer":0.07`).
pub fn mask_timers(text: &str) -> String {
    const TIMERS: [&str; 11] = [
        "valid_lft",
        "preferred_lft",
        "valid_life_time",
        "preferred_life_time",
        "gc_timer",
        "hello_timer",
        "tcn_timer",
        "topology_change_timer",
        "hold_timer",
        "message_age_timer",
        "forward_delay_timer",
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for t in TIMERS {
            for sep in [" ", "\":"] {
                let key = format!("{t}{sep}");
                if let Some(after) = rest.strip_prefix(key.as_str()) {
                    let trimmed = after.trim_start_matches(' ');
                    let num = trimmed
                        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                        .unwrap_or(trimmed.len());
                    if num > 0 {
                        out.push_str(&key);
                        out.push('0');
                        rest = trimmed.get(num..).unwrap_or("");
                        continue 'scan;
                    }
                }
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

#[test]
fn live_counters_are_masked_and_nothing_else() {
    let text = "    RX:  bytes packets\n             12       3 \n    mtu 1500\n";
    assert_eq!(
        mask_counters(text),
        "RX: bytes packets\n0 0\n    mtu 1500\n"
    );
    // Wider counters widen the columns: still the same after masking.
    let wider = "    RX:   bytes packets\n            1234       3 \n    mtu 1500\n";
    assert_eq!(mask_counters(wider), mask_counters(text));
    let json = r#"{"mtu":1500,"stats64":{"rx":{"bytes":12},"tx":{"dropped":2}},"qlen":1000}"#;
    assert_eq!(
        mask_counters(json),
        r#"{"mtu":1500,"stats64":{"rx":{"bytes":0},"tx":{"dropped":0}},"qlen":1000}"#
    );
}
