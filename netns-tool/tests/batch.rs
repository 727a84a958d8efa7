//! `nsip -batch`: line reading, failure reporting and `-force`, checked against the outcome
//! iproute2's `ip -batch` gives for the same file.
//!
//! Tests that only exercise the batch reader use objects nsip rejects without touching the
//! kernel. Tests that change kernel state run both tools in their own throwaway sandbox
//! (`unshare --net --mount`, a private tmpfs on /run) and compare what each left behind.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{can_sandbox, nsip_with_stdin, unshare_bash, NSIP};

/// A batch file in a private temporary directory, removed on drop.
struct BatchFile {
    dir: PathBuf,
    path: PathBuf,
}

impl BatchFile {
    fn new(test: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nsip-batch-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let path = dir.join("commands.txt");
        std::fs::write(&path, text).expect("write batch file");
        BatchFile { dir, path }
    }
    fn path(&self) -> &str {
        self.path.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for BatchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The `Command failed ...` lines of a run, in order.
fn failed_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("Command failed "))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_failed_line_stops_the_batch_and_names_file_and_line() {
    let file = BatchFile::new("stop", "# two unknown objects\n\nfrobnicate now\nwibble\n");
    let out = nsip_with_stdin(&["-batch", file.path()], None);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(
        err.contains("Object \"frobnicate\" is unknown, try \"ip help\"."),
        "stderr: {err}"
    );
    assert_eq!(
        failed_lines(&err),
        [format!("Command failed {}:3", file.path())]
    );
    assert!(!err.contains("wibble"), "ran past the failure: {err}");
}

#[test]
fn force_goes_on_after_a_failure_and_still_exits_1() {
    let file = BatchFile::new("force", "frobnicate\n   \n  wibble # comment\n");
    let out = nsip_with_stdin(&["-force", "-batch", file.path()], None);
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert_eq!(
        failed_lines(&err),
        [
            format!("Command failed {}:1", file.path()),
            format!("Command failed {}:3", file.path()),
        ]
    );
}

#[test]
fn dash_reads_stdin_and_short_option_works() {
    let out = nsip_with_stdin(&["-b", "-"], Some("\n# nothing\nfrobnicate\n"));
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert_eq!(failed_lines(&err), ["Command failed -:3"]);
}

#[test]
fn continuation_lines_count_toward_the_line_number() {
    let out = nsip_with_stdin(&["-b", "-"], Some("frob \\\n nicate \\\n x\n"));
    let err = stderr_of(&out);
    assert_eq!(failed_lines(&err), ["Command failed -:3"], "stderr: {err}");
    assert!(err.contains("Object \"frob\" is unknown"), "stderr: {err}");
}

#[test]
fn a_blank_or_comment_only_batch_succeeds() {
    let out = nsip_with_stdin(&["-b", "-"], Some("\n   \t\n# just a comment\n"));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr_of(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn unterminated_quote_ends_the_program_at_once() {
    let out = nsip_with_stdin(
        &["-force", "-b", "-"],
        Some("frobnicate\nnetns add \"oops\nwibble\n"),
    );
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(err.contains("Unterminated quoted string"), "stderr: {err}");
    assert_eq!(failed_lines(&err), ["Command failed -:1"], "stderr: {err}");
}

#[test]
fn a_missing_file_is_reported_as_ip_does() {
    let out = nsip_with_stdin(&["-batch", "/nonexistent/nsip-batch.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_of(&out).trim_end(),
        "Cannot open file \"/nonexistent/nsip-batch.txt\" for reading: No such file or directory"
    );
}

/// What one run of `TOOL [options] -batch FILE` did inside a fresh sandbox: its exit status,
/// its `Command failed` lines, and the state `ip` reads back afterwards with `report`.
#[derive(Debug, PartialEq)]
struct Outcome {
    status: Option<i32>,
    failed: Vec<String>,
    state: String,
}

fn run_in_sandbox(tool: &str, options: &[&str], file: &BatchFile, report: &str) -> Outcome {
    let script = r#"
        set -e
        mount -t tmpfs tmpfs /run
        ip link set lo up
        set +e
        "$TOOL" $OPTIONS -batch "$FILE" 2>"$FILE.err"
        echo "status=$?"
        set -e
        cat "$FILE.err" >&2
        echo "---"
        eval "$REPORT"
    "#;
    let out = unshare_bash(script)
        .env("TOOL", tool)
        .env("OPTIONS", options.join(" "))
        .env("FILE", file.path())
        .env("REPORT", report)
        .output()
        .expect("unshare runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = stderr_of(&out);
    assert!(
        out.status.success(),
        "sandbox for {tool} failed: {stdout}\n{stderr}"
    );
    let status = stdout
        .lines()
        .find_map(|l| l.strip_prefix("status="))
        .and_then(|s| s.parse().ok());
    let state = stdout
        .split_once("---\n")
        .map(|(_, after)| after.to_string())
        .unwrap_or_default();
    Outcome {
        status,
        failed: failed_lines(&stderr),
        state,
    }
}

/// Runs the batch with nsip and with ip, each in its own sandbox, and requires the same
/// outcome. Returns nsip's, for checks on the expected state itself.
fn same_as_ip(test: &str, options: &[&str], text: &str, report: &str) -> Option<Outcome> {
    if !can_sandbox(test) {
        return None;
    }
    let file = BatchFile::new(test, text);
    let got = run_in_sandbox(NSIP, options, &file, report);
    let want = run_in_sandbox("ip", options, &file, report);
    assert_eq!(got, want, "nsip (left) and ip (right) differ on:\n{text}");
    Some(got)
}

const NETNS_NAMES: &str = "ls /run/netns | sort";

#[test]
fn netns_lines_fail_stop_and_go_on_as_in_ip() {
    // (test, options, batch, what lists the end state, status, end state, the ends of
    // the failed lines): nsip's outcome must be ip's, and the one given here.
    for (test, options, batch, report, status, state, failed) in [
        // Lines run in order and the first failure stops the batch.
        (
            "netns-stop",
            &[][..],
            "netns add alpha\n\
             netns add 'beta gamma' # quoted name\n\
             netns add alpha\n\
             netns add delta\n",
            NETNS_NAMES,
            1,
            "alpha\nbeta gamma\n",
            &[":3"][..],
        ),
        // With -force the batch goes on after a failed line.
        (
            "netns-force",
            &["-force"],
            "netns add alpha\nnetns add alpha\nnetns add delta\nnetns delete alpha\n",
            NETNS_NAMES,
            1,
            "delta\n",
            &[":2"],
        ),
        // ip forks for `netns exec` in batch mode: the batch goes on after a command that
        // succeeded, and a command that failed is a failed line.
        (
            "netns-exec",
            &["-force"],
            "netns add alpha\n\
             netns exec alpha sh -c 'touch /run/ran-1'\n\
             netns exec alpha false\n\
             netns exec alpha sh -c 'touch /run/ran-3'\n\
             netns add beta\n",
            "ls /run | grep ran- || true; ls /run/netns",
            1,
            "ran-1\nran-3\nalpha\nbeta\n",
            &[":3"],
        ),
        // A usage error ends the program, even with -force, and is no failed line.
        (
            "usage-stops",
            &["-force"],
            "netns add alpha\nlink show dev\nnetns add beta\n",
            NETNS_NAMES,
            255,
            "alpha\n",
            &[],
        ),
    ] {
        let Some(got) = same_as_ip(test, options, batch, report) else {
            return;
        };
        assert_eq!(
            (got.status, got.state.as_str(), got.failed.len()),
            (Some(status), state, failed.len()),
            "{test}: status, state and failed-line count; failed lines: {:?}",
            got.failed
        );
        for (line, end) in got.failed.iter().zip(failed) {
            assert!(line.ends_with(end), "{test}: {:?}", got.failed);
        }
    }
}

#[test]
fn link_and_addr_lines_build_a_veth_pair() {
    let batch = "link add nsb0 type veth peer name nsb1\n\
                 link set nsb0 up\n\
                 link set dev nsb1 mtu 1400 up\n\
                 addr add 192.0.2.1/24 dev nsb0\n\
                 address add 2001:db8::1/64 dev nsb1 nodad\n";
    let report = "ip -o link show | awk '/nsb/ {print $2, $3, $4, $5}' | sort; \
                  ip -o addr show | awk '/nsb/ && !/fe80:/ {print $2, $3, $4}' | sort";
    let Some(got) = same_as_ip("link-addr", &[], batch, report) else {
        return;
    };
    assert_eq!(got.status, Some(0));
    assert_eq!(
        got.state,
        "nsb0@nsb1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500\n\
         nsb1@nsb0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400\n\
         nsb0 inet 192.0.2.1/24\n\
         nsb1 inet6 2001:db8::1/64\n"
    );
}
