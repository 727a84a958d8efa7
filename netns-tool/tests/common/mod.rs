//! Sandboxes shared by the integration tests that talk to the kernel.
//!
//! Every script runs in its own `unshare --net --mount --fork` sandbox with a private tmpfs
//! on /run, so nothing reaches the machine's own network namespace or its /run/netns.
//! Scripts get `$NSIP` (this crate's binary) and use iproute2's `ip` as the reference.

// Each test binary compiles its own copy of this module and uses only some of it.
#![allow(dead_code)]

use std::process::{Command, Output};

pub use nsip_suite::{can_sandbox, checked_stdout};

pub const NSIP: &str = env!("CARGO_BIN_EXE_nsip");

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

/// [`sandbox_test`], then that the stdout holds each of `parts`; returns it for further
/// checks (`None` when the test is skipped).
pub fn sandbox_test_showing(test: &str, script: &str, parts: &[&str]) -> Option<String> {
    let out = sandbox_test(test, script)?;
    assert_contains_all(&out, parts);
    Some(out)
}

/// Runs the script `script(tool)` for ip (`tool` is `ip`) and for nsip (`"$NSIP"`), each in
/// a fresh sandbox, asserts that both print the same and that it holds each of `shows`,
/// and returns it (`None` when the test is skipped).
pub fn assert_script_same_as_ip(
    test: &str,
    script: impl Fn(&str) -> String,
    shows: &[&str],
) -> Option<String> {
    if !can_sandbox(test) {
        return None;
    }
    let reference = sandbox_ok(&script("ip"));
    let ours = sandbox_ok(&script("\"$NSIP\""));
    assert_eq!(ours, reference, "{test}: nsip printed otherwise than ip");
    assert_contains_all(&reference, shows);
    Some(reference)
}

/// nsip's run with `args`, and `stdin` (when given) written to its standard input.
pub fn nsip_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(NSIP)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nsip runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("piped stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("nsip finishes")
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
/// file's text, `mask` a shell filter for what is printed (`cat`, the default, for none),
/// and `state` shell lines that print the end state as `== name` sections.
#[derive(Clone, Copy)]
pub struct BatchRun<'a> {
    pub flags: &'a str,
    pub setup: &'a str,
    pub batch: &'a str,
    pub mask: &'a str,
    pub state: &'a str,
}

impl Default for BatchRun<'_> {
    fn default() -> Self {
        BatchRun {
            flags: "",
            setup: "",
            batch: "",
            mask: "cat",
            state: "",
        }
    }
}

impl BatchRun<'_> {
    /// [`Self::assert_same_as_ip`] under `-force` (every line is tried), then without it
    /// (the first failure ends the batch); `flags` is not used.
    pub fn assert_same_as_ip_with_and_without_force(&self, test: &str) {
        for flags in ["-force", ""] {
            BatchRun { flags, ..*self }.assert_same_as_ip(test);
        }
    }

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

/// [`assert_side_by_side`], then that ip's transcript of the first line holds each of
/// `first_shows` (so the lines read the state they were meant to). Returns ip's transcripts.
pub fn assert_side_by_side_showing(
    test: &str,
    setup: &str,
    lines: &[&str],
    first_shows: &[&str],
) -> Vec<String> {
    let transcripts = assert_side_by_side(test, setup, lines);
    if let Some(first) = transcripts.first() {
        assert_contains_all(first, first_shows);
    }
    transcripts
}

/// [`assert_side_by_side`] for `-j` listings: nsip prints what ip prints, and that is a
/// JSON array. Returns ip's listings, parsed (none when the test is skipped).
pub fn assert_json_lists_same_as_ip(
    test: &str,
    setup: &str,
    lines: &[&str],
) -> Vec<serde_json::Value> {
    let transcripts = assert_side_by_side(test, setup, lines);
    let parse = |(line, body): (&&str, String)| {
        let json = report_json(&body)
            .unwrap_or_else(|e| panic!("{test}: `{line}` is not JSON ({e}): {body}"));
        assert!(json.is_array(), "{test}: `{line}`: {json}");
        json
    };
    lines.iter().zip(transcripts).map(parse).collect()
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

/// Whether `test` may make sandboxes (see [`can_sandbox`]) and record a netlink stream with
/// iproute2's rtmon for `monitor file`; prints why not.
pub fn can_record(test: &str) -> bool {
    if !can_sandbox(test) {
        return false;
    }
    let rtmon = ["/usr/sbin/rtmon", "/sbin/rtmon", "/usr/bin/rtmon"];
    if rtmon.iter().any(|p| std::path::Path::new(p).exists()) {
        return true;
    }
    // As can_sandbox: on CI a missing program is a failure, not a skip.
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: iproute2's rtmon is missing, and CI must run it"
    );
    eprintln!("SKIP {test}: iproute2's rtmon is missing");
    false
}

/// Bash functions that record what the kernel announces into /run/rec.bin with rtmon:
/// `record_start [OBJECTS...]` returns once rtmon is listening (it writes its link dump
/// first), `record_stop SECONDS` lets the last events in for that long, then ends it.
pub const RECORD: &str = r#"
record_start() {
  rtmon file /run/rec.bin "$@" & rec_pid=$!
  for _ in $(seq 100); do [ -s /run/rec.bin ] && break; sleep 0.05; done
  sleep 0.2
}
record_stop() {
  sleep "$1"
  kill "$rec_pid"; wait "$rec_pid" 2>/dev/null || true
}
"#;

/// The bodies of the `== ip` and `== nsip` sections of `out`, the transcript of a script
/// that ran the same thing with both tools.
pub fn ip_and_nsip(out: &str) -> (String, String) {
    match <[(String, String); 2]>::try_from(sections(out)) {
        Ok([(ip_label, ip), (nsip_label, nsip)]) if ip_label == "ip" && nsip_label == "nsip" => {
            (ip, nsip)
        }
        _ => panic!("no `== ip` and `== nsip` sections in:\n{out}"),
    }
}

/// Asserts that the `== nsip` section of `out` is the same as the `== ip` one (see
/// [`ip_and_nsip`]) and that ip's holds each of `ip_shows`; returns ip's.
pub fn assert_same_sections(out: &str, ip_shows: &[&str]) -> String {
    let (ip, nsip) = ip_and_nsip(out);
    assert_contains_all(&ip, ip_shows);
    assert_eq!(nsip, ip, "nsip's section differs from ip's");
    ip
}
