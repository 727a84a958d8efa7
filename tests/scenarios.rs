//! The project's acceptance bar: the seven seed scenarios, run against a release `nsip`.
//!
//! The scenario scripts live in `tests/scenarios/`, a verbatim copy of the shared set
//! (`../shared/scenarios` beside the repository in the team's workplace), so that a fresh
//! clone carries its own acceptance test. `run` gives every scenario its own sandbox
//! (`unshare --net --mount`, private /run), runs it once with nsip and once with iproute2,
//! and compares the kernel state both left behind.
//!
//! The binary: `NSIP_BIN` when set (scripts/test.sh points it at the static build), otherwise
//! this test builds `cargo build --release -p netns-tool` into its own target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The seed scenarios as shipped; a missing or extra one is a failure, not a new normal.
const SEED_SCENARIOS: usize = 7;

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn vendored_dir() -> PathBuf {
    repo_root().join("tests/scenarios")
}

/// File names in `dir`, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn vendored_scenarios_match_the_shared_set() {
    let vendored = vendored_dir();
    let scripts = file_names(&vendored)
        .into_iter()
        .filter(|n| n.ends_with(".sh"))
        .count();
    assert_eq!(scripts, SEED_SCENARIOS, "scenario scripts in {vendored:?}");

    let shared = repo_root().join("../shared/scenarios");
    if !shared.is_dir() {
        eprintln!(
            "SKIP vendored_scenarios_match_the_shared_set: no {} to compare with (a fresh clone)",
            shared.display()
        );
        return;
    }
    let names = file_names(&shared);
    assert_eq!(
        file_names(&vendored),
        names,
        "tests/scenarios/ and {} list different files: copy the shared set verbatim",
        shared.display()
    );
    for name in names {
        let ours = std::fs::read(vendored.join(&name)).expect("read vendored file");
        let theirs = std::fs::read(shared.join(&name)).expect("read shared file");
        assert!(
            ours == theirs,
            "tests/scenarios/{name} differs from {}/{name}: copy the shared set verbatim",
            shared.display()
        );
    }
}

/// Why the scenarios cannot run here, if they cannot.
fn missing_prerequisite() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Some("needs root to create network namespaces".into());
    }
    let tools = [
        ("unshare", "util-linux"),
        ("ip", "iproute2, the reference"),
        ("ping", "Debian: iputils-ping"),
        ("python3", "compares the snapshots"),
        ("stdbuf", "coreutils"),
        ("bash", "runs the scripts"),
    ];
    for (tool, why) in tools {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        if !found {
            return Some(format!("{tool} is missing ({why})"));
        }
    }
    None
}

/// The nsip to test: `NSIP_BIN`, or a release build made here.
fn release_nsip() -> PathBuf {
    if let Some(bin) = std::env::var_os("NSIP_BIN") {
        let bin = PathBuf::from(bin);
        assert!(bin.is_file(), "NSIP_BIN={} is not a file", bin.display());
        return bin;
    }
    // A target directory of its own: the one running this test is still locked by cargo.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target"))
        .join("scenarios");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "netns-tool", "--target-dir"])
        .arg(&target_dir)
        .current_dir(repo_root())
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "cargo build --release -p netns-tool failed"
    );
    target_dir.join("release/nsip")
}

/// `(passed, failed)` from run's last line, `scenarios: N passed, M failed`.
fn tally(output: &str) -> Option<(usize, usize)> {
    let line = output
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("scenarios: "))?;
    let (passed, failed) = line.split_once(" passed, ")?;
    let failed = failed.strip_suffix(" failed")?;
    Some((passed.parse().ok()?, failed.parse().ok()?))
}

#[test]
fn seed_scenarios_pass_with_nsip() {
    if let Some(why) = missing_prerequisite() {
        if std::env::var_os("CI").is_some() {
            panic!("seed_scenarios_pass_with_nsip: {why}, and CI must run it");
        }
        eprintln!("SKIP seed_scenarios_pass_with_nsip: {why}");
        return;
    }
    let nsip = release_nsip();
    let out = Command::new("bash")
        .arg(vendored_dir().join("run"))
        .arg(&nsip)
        .output()
        .expect("scenarios/run starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Shown on failure (cargo test captures it otherwise): which scenario failed and how.
    println!("{stdout}");
    eprintln!("{stderr}");
    let tally = tally(&stdout);
    assert_eq!(
        tally,
        Some((SEED_SCENARIOS, 0)),
        "scenarios/run {} did not pass all {SEED_SCENARIOS} (see its output above)",
        nsip.display()
    );
    assert!(
        out.status.success(),
        "scenarios/run exited with {}",
        out.status
    );
}

#[test]
fn tally_reads_runs_summary_line() {
    assert_eq!(
        tally("ok   01\nFAIL 02 (x)\nscenarios: 6 passed, 1 failed\n"),
        Some((6, 1))
    );
    assert_eq!(tally("scenarios: 7 passed, 0 failed"), Some((7, 0)));
    assert_eq!(tally("run: ping is missing"), None);
    assert_eq!(tally("scenarios: seven passed, 0 failed"), None);
}
