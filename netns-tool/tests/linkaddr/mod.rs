//! Sandboxes and comparisons shared by the `link` and `addr` tests.
//!
//! Every script runs in its own `unshare --net --mount --fork` sandbox with a private /run,
//! so nothing reaches the machine's network or its /run/netns. IPv6 addresses are not
//! generated from MACs there (`addr_gen_mode` 1), so two sandboxes given the same commands
//! (and fixed MAC addresses) end in byte-identical state.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub const NSIP: &str = env!("CARGO_BIN_EXE_nsip");

/// Whether this process may create namespaces; prints why not and skips (fails on CI).
pub fn can_sandbox(test: &str) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let unshare = Path::new("/usr/bin/unshare").exists() || Path::new("/bin/unshare").exists();
    let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .iter()
        .any(|p| Path::new(p).exists());
    if root && unshare && ip {
        return true;
    }
    let why = if !root {
        "needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN) to create network namespaces"
    } else if !unshare {
        "util-linux unshare is missing"
    } else {
        "iproute2 (ip) is missing; it is the reference these tests compare against"
    };
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why}, and CI must run it");
    }
    eprintln!("SKIP {test}: {why}");
    false
}

const PRELUDE: &str = "set -eu
mount -t tmpfs tmpfs /run
sysctl -qw net.ipv6.conf.default.addr_gen_mode=1
sysctl -qw net.ipv6.conf.all.addr_gen_mode=1
sysctl -qw net.ipv6.conf.lo.addr_gen_mode=1
";

/// Runs a bash script in a fresh sandbox; `$NSIP` is this binary.
pub fn sandbox(script: &str) -> Output {
    let wrapped = format!("{PRELUDE}{script}");
    Command::new("unshare")
        .args(["--net", "--mount", "--fork", "--", "bash", "-c", &wrapped])
        .env("NSIP", NSIP)
        .output()
        .expect("unshare runs")
}

/// Stdout of a sandbox script that must succeed.
pub fn sandbox_ok(script: &str) -> String {
    let out = sandbox(script);
    assert!(
        out.status.success(),
        "script failed ({}):\n{script}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Splits a transcript into its sections (`== label` headers).
pub fn sections(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(label) = line.strip_prefix("== ") {
            out.push((label.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// `report LABEL CMD...`: prints a section with the command's stdout, stderr and status.
/// `state LABEL`: prints the kernel state as iproute2 reads it.
const REPORT: &str = r#"
report() {
  local label=$1; shift
  local rc=0
  "$@" >/run/out 2>/run/err || rc=$?
  echo "== $label"; cat /run/out; sed 's/^/stderr: /' /run/err; echo "status: $rc"
}
state() {
  echo "== $1 state"
  ip link show
  ip addr show
  ip -d -j link show | sed -E 's/"(gc_timer|hello_timer|tcn_timer|topology_change_timer|hold_timer|message_age_timer|forward_delay_timer)":[0-9.]+/"\1":T/g'
  echo
  for ns in $(ip netns list | awk '{print $1}'); do echo "-- netns $ns"; ip -n "$ns" link show; ip -n "$ns" addr show; done
}
"#;

/// Runs `setup` then each command with `$IP` set to ip and to nsip, each in a fresh
/// sandbox, and asserts that every command's stdout, stderr and status, and the kernel
/// state after it (read by iproute2), are the same. `$IP` in the commands is the tool.
pub fn assert_same_as_ip(test: &str, setup: &str, commands: &[&str]) {
    if !can_sandbox(test) {
        return;
    }
    let transcript = |tool: &str| {
        let mut script = format!("{REPORT}\nIP={tool}\n{setup}\n");
        for (i, cmd) in commands.iter().enumerate() {
            script.push_str(&format!("report {i} {cmd}\nstate {i}\n"));
        }
        sections(&sandbox_ok(&script))
    };
    let reference = transcript("ip");
    let ours = transcript("\"$NSIP\"");
    assert_eq!(
        reference.len(),
        commands.len() * 2,
        "ip transcript: {reference:?}"
    );
    for ((label, want), (_, got)) in reference.iter().zip(&ours) {
        let index: usize = label
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .expect("numeric label");
        assert_eq!(
            got,
            want,
            "{test}: differs from ip after `{}` ({label})",
            commands.get(index).copied().unwrap_or("?")
        );
    }
    assert_eq!(ours.len(), reference.len());
}

/// In one sandbox: runs `setup` with iproute2, then each `ip` argument line with ip and
/// with nsip on that same state, and asserts the text is the same — and, for `-j`
/// lines, that both parse as JSON to equal values.
pub fn assert_show_same(test: &str, setup: &str, lines: &[&str]) {
    if !can_sandbox(test) {
        return;
    }
    let mut script = format!("{REPORT}\n{setup}\n");
    for (i, line) in lines.iter().enumerate() {
        script.push_str(&format!(
            "report {i}-ip ip {line}\nreport {i}-nsip \"$NSIP\" {line}\n"
        ));
    }
    let got: Vec<(String, String)> = sections(&sandbox_ok(&script))
        .into_iter()
        .map(|(label, body)| (label, mask_timers(&body)))
        .collect();
    assert_eq!(got.len(), lines.len() * 2, "transcript: {got:?}");
    for (i, pair) in got.chunks(2).enumerate() {
        let [(_, want), (_, ours)] = pair else {
            panic!("odd transcript");
        };
        let line = lines.get(i).copied().unwrap_or("?");
        if line.split_whitespace().any(|w| w == "-j") {
            let json = |s: &str| -> serde_json::Value {
                let body: String = s
                    .lines()
                    .filter(|l| !l.starts_with("status: ") && !l.starts_with("stderr: "))
                    .collect::<Vec<_>>()
                    .join("\n");
                serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("`{line}` is not JSON ({e}): {s}"))
            };
            assert_eq!(json(ours), json(want), "{test}: `{line}` JSON differs");
        }
        assert_eq!(ours, want, "{test}: `{line}` output differs from ip's");
    }
}

/// Bridge timers tick between two reads of the same bridge: their values are replaced by
/// `0` (text `gc_timer    0.07`, JSON `"gc_timer":0.07`).
pub fn mask_timers(text: &str) -> String {
    const TIMERS: [&str; 7] = [
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
