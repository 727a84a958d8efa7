//! Sandboxes shared by the integration tests that talk to the kernel.
//!
//! Every script runs in its own `unshare --net --mount --fork` sandbox with a private tmpfs
//! on /run, so nothing reaches the machine's own network namespace or its /run/netns.
//! Scripts get `$NSIP` (this crate's binary) and use iproute2's `ip` as the reference.

// Each test binary compiles its own copy of this module and uses only some of it.
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

/// `bash -c script` in a fresh network and mount namespace, with `$NSIP` set; the script
/// itself must mount its private /run.
pub fn unshare_bash(script: &str) -> Command {
    let mut command = Command::new("unshare");
    command
        .args(["--net", "--mount", "--fork", "--", "bash", "-c", script])
        .env("NSIP", NSIP);
    command
}

/// Runs a bash script (`set -eu`) in a fresh sandbox with a private /run.
pub fn sandbox(script: &str) -> Output {
    unshare_bash(&format!("set -eu\nmount -t tmpfs tmpfs /run\n{script}"))
        .output()
        .expect("unshare runs")
}

/// Stdout of a sandbox script that must succeed.
pub fn sandbox_ok(script: &str) -> String {
    checked_stdout(&sandbox(script), script)
}

/// Stdout of `script`'s run `out`, panicking with the script and its output when it failed.
pub fn checked_stdout(out: &Output, script: &str) -> String {
    assert!(
        out.status.success(),
        "script failed ({}):\n{script}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bash function that prints a command's stdout, stderr and status as one section:
/// `report LABEL CMD...`.
pub const REPORT: &str = r#"
report() { # label, then the command
  local label=$1; shift
  local rc=0
  "$@" >/run/out 2>/run/err || rc=$?
  echo "== $label"; cat /run/out; sed 's/^/stderr: /' /run/err; echo "status: $rc"
}
"#;

/// Splits a transcript printed by `report` into its (label, body) sections.
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

/// nsip's help texts name nsip and list only what it accepts, so they differ from ip's on
/// purpose: in a `report` body of `tool` (`ip` or `nsip`), a text starting `Usage: TOOL`
/// becomes one `Usage: <help>` line, up to the end of its stream's lines. What stays
/// compared: its stream, what comes before it, the status, and that nsip's names nsip (a
/// `Usage: ip` from nsip is left whole, so it differs from ip's folded text).
pub fn fold_help(body: &str, tool: &str) -> String {
    let mut out = String::new();
    let mut folding_stream: Option<bool> = None;
    for line in body.lines() {
        let on_stderr = line.starts_with("stderr: ");
        if folding_stream == Some(on_stderr) {
            continue;
        }
        folding_stream = None;
        let text = line.strip_prefix("stderr: ").unwrap_or(line);
        let rest = text
            .strip_prefix("Usage: ")
            .or_else(|| text.strip_prefix("Usage:\t"));
        let names_tool = rest
            .and_then(|r| r.strip_prefix(tool))
            .is_some_and(|r| r.starts_with(' '));
        if names_tool {
            out.push_str(if on_stderr { "stderr: " } else { "" });
            out.push_str("Usage: <help>\n");
            folding_stream = Some(on_stderr);
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// In a fresh sandbox: `$IP` set to `tool` (`ip`, or `"$NSIP"` for nsip), then `setup`
/// (which may define more shell functions), then `steps` (lines that call `report`).
/// Returns the transcript's sections.
pub fn tool_transcript(tool: &str, setup: &str, steps: &str) -> Vec<(String, String)> {
    let name = if tool == "ip" { "ip" } else { "nsip" };
    sections(&sandbox_ok(&format!(
        "{REPORT}\nIP={tool}\n{setup}\n{steps}"
    )))
    .into_iter()
    .map(|(label, body)| (label, fold_help(&body, name)))
    .collect()
}

/// In one sandbox, after `setup` (which may define more shell functions): each `ip`
/// argument line run by ip and then by nsip on the same state. Returns, per line, the
/// (ip, nsip) `report` bodies; asserts that every line produced both.
pub fn side_by_side(setup: &str, lines: &[&str]) -> Vec<(String, String)> {
    let mut script = format!("{REPORT}\n{setup}\n");
    for (i, line) in lines.iter().enumerate() {
        script.push_str(&format!(
            "report {i}-ip ip {line}\nreport {i}-nsip \"$NSIP\" {line}\n"
        ));
    }
    let got = sections(&sandbox_ok(&script));
    assert_eq!(got.len(), lines.len() * 2, "transcript: {got:?}");
    let mut pairs = Vec::with_capacity(lines.len());
    let mut bodies = got.into_iter().map(|(_, body)| body);
    while let (Some(reference), Some(ours)) = (bodies.next(), bodies.next()) {
        pairs.push((fold_help(&reference, "ip"), fold_help(&ours, "nsip")));
    }
    pairs
}

/// The JSON a `report` body holds, without its `stderr:` and `status:` lines.
pub fn report_json(body: &str) -> Result<serde_json::Value, serde_json::Error> {
    let json: String = body
        .lines()
        .filter(|l| !l.starts_with("status: ") && !l.starts_with("stderr: "))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&json)
}

/// Runs `setup` and then one step per command (`step(i, command)`: shell lines that print
/// `report` sections, `sections_per_step` of them, labelled from `i`) with `$IP` set to ip
/// and to nsip, each tool in a fresh sandbox, and asserts that both transcripts are the same
/// section by section, naming the command after which they differ.
pub fn assert_steps_same_as_ip(
    test: &str,
    setup: &str,
    commands: &[&str],
    step: impl Fn(usize, &str) -> String,
    sections_per_step: usize,
) {
    if !can_sandbox(test) {
        return;
    }
    let transcript = |tool: &str| {
        let steps: String = commands
            .iter()
            .enumerate()
            .map(|(i, cmd)| step(i, cmd))
            .collect();
        tool_transcript(tool, setup, &steps)
    };
    let reference = transcript("ip");
    let ours = transcript("\"$NSIP\"");
    assert_eq!(
        reference.len(),
        commands.len() * sections_per_step,
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

/// Stdout of `script` run by [`sandbox_ok`], or `None` when the test must be skipped (see
/// [`can_sandbox`]).
pub fn sandbox_test(test: &str, script: &str) -> Option<String> {
    if !can_sandbox(test) {
        return None;
    }
    Some(sandbox_ok(script))
}

/// Asserts that `out` contains each of `parts`, showing `out` when one is missing.
pub fn assert_contains_all(out: &str, parts: &[&str]) {
    for part in parts {
        assert!(out.contains(part), "no {part:?} in:\n{out}");
    }
}

/// The rest of the first line of `out` that starts with `key`; panics when no line does.
pub fn field<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key} in {out}"))
}

/// One `-batch` run to compare with ip's: `setup` (shell) makes the state, `batch` is the
/// file's text, `mask` a shell filter for what is printed (`cat` for none), and `state`
/// shell lines that print the end state as `== name` sections.
pub struct BatchRun<'a> {
    pub flags: &'a str,
    pub setup: &'a str,
    pub batch: &'a str,
    pub mask: &'a str,
    pub state: &'a str,
}

impl BatchRun<'_> {
    /// The run with `tool` (`ip` or `"$NSIP"`) in a fresh sandbox: its stdout, stderr and
    /// status, then the end state.
    pub fn transcript(&self, tool: &str) -> String {
        let BatchRun {
            flags,
            setup,
            batch,
            mask,
            state,
        } = self;
        sandbox_ok(&format!(
            r#"
{setup}
cat > /run/cmds <<'EOF'
{batch}
EOF
rc=0
{tool} {flags} -batch /run/cmds >/run/out 2>/run/err || rc=$?
mask() {{ {mask}; }}
echo "== stdout"; mask </run/out
echo "== stderr"; cat /run/err
echo "== status $rc"
{state}
"#
        ))
    }

    /// Asserts that ip and nsip, each in a fresh sandbox, print the same transcript, showing
    /// both around the first line where they part.
    pub fn assert_same_as_ip(&self, test: &str) {
        if !can_sandbox(test) {
            return;
        }
        let ip = self.transcript("ip");
        let nsip = self.transcript("\"$NSIP\"");
        if ip != nsip {
            let first = ip
                .lines()
                .zip(nsip.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            let context = |t: &str| {
                t.lines()
                    .skip(first.saturating_sub(3))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "{test}: ip and nsip differ from line {first}:\n-- ip:\n{}\n-- nsip:\n{}",
                context(&ip),
                context(&nsip)
            );
        }
    }
}

/// Runs each `ip` argument line with ip and with nsip on the same state (see
/// [`side_by_side`]), asserts that nsip prints what ip prints, and returns ip's transcript
/// of each line (none when the test is skipped).
pub fn assert_side_by_side(test: &str, setup: &str, lines: &[&str]) -> Vec<String> {
    if !can_sandbox(test) {
        return Vec::new();
    }
    let pairs = side_by_side(setup, lines);
    let mut transcripts = Vec::with_capacity(pairs.len());
    for (line, (reference, ours)) in lines.iter().zip(pairs) {
        assert_eq!(ours, reference, "{test}: differs from ip for `{line}`");
        transcripts.push(reference);
    }
    transcripts
}

/// Runs `commands` (each after `$IP`) from `setup` with ip and with nsip, each tool in its
/// own sandbox, then `state` (`report state... ip ...` lines that print the end state), and
/// asserts that every section is the same as ip's once put in `canonical(what, text)` form
/// (`what`: the command, or the state section's label) — the text itself, or an order-free
/// form where the kernel's order differs between sandboxes.
pub fn assert_changes_same_as_ip(
    test: &str,
    setup: &str,
    commands: &[&str],
    state: &str,
    canonical: impl Fn(&str, &str) -> String,
) {
    if !can_sandbox(test) {
        return;
    }
    let mut steps: String = commands
        .iter()
        .enumerate()
        .map(|(i, cmd)| format!("report {i} $IP {cmd}\n"))
        .collect();
    steps.push_str(state);
    let reference = tool_transcript("ip", setup, &steps);
    let ours = tool_transcript("\"$NSIP\"", setup, &steps);
    let state_sections = state.lines().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(
        reference.len(),
        commands.len() + state_sections,
        "ip: {reference:?}"
    );
    assert_eq!(ours.len(), reference.len(), "nsip: {ours:?}");
    for ((label, want), (_, got)) in reference.iter().zip(&ours) {
        let what = label
            .parse::<usize>()
            .ok()
            .and_then(|i| commands.get(i).copied())
            .unwrap_or(label.as_str());
        assert_eq!(
            canonical(what, got),
            canonical(what, want),
            "{test}: differs from ip at: {what}"
        );
    }
}

/// `lines` in sorted order: for output in the kernel's hash order or timing.
pub fn sorted_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut lines: Vec<&str> = lines.collect();
    lines.sort_unstable();
    lines.join("\n")
}
