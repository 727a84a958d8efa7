//! The nsip binary against ip, byte for byte: `scripts/record-golden.sh --tool $NSIP_BIN`
//! runs every recorded `ip` command again with nsip in its place (same sandbox, same setup,
//! same strace recorder), and each request nsip sent must equal ip's fixture with
//! `nlmsg_seq` / `nlmsg_pid` and the run-dependent fields masked, and nsip must exit as ip did.
//!
//! Where nsip still differs, `KNOWN_DIFFERENCES` says so with the reason, and the test checks
//! that it still differs: an entry whose command now matches must be removed.

#[path = "support/golden_fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};
use std::process::Command;

use fixture::{diff, fixture_dir, Fixture};
use netlink_core::route::consts::{RTM_DELADDR, RTM_DELNEIGH, RTM_DELROUTE, RTM_DELRULE};
use netlink_core::wire::{NLM_F_ACK, NLM_F_REQUEST};
use nsip_suite::can_sandbox;

/// Commands where nsip does not yet send ip's bytes, and why.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "link-show",
        "by design: without -s nsip asks the kernel to leave the counters out of the dump \
         (IFLA_EXT_MASK adds RTEXT_FILTER_SKIP_STATS); ip 6.1 has them sent and ignores them",
    ),
    (
        "link-show-dev",
        "nsip's `link show dev X` asks by index without IFLA_IFNAME/IFLA_EXT_MASK as ip sends",
    ),
];

/// Whether a tool this test needs is on PATH; if not, why (a skip, or a failure on CI).
fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let why = format!("nsip_sends_ips_bytes: {tool} is not installed");
        assert!(
            std::env::var_os("CI").is_none(),
            "{why}, and CI must run it"
        );
        eprintln!("SKIP {why}");
    }
    found
}

/// A flush's deletes go many per send, and nsip asks for an ACK on the last of each send
/// only (the kernel answers in order and reports every refused request anyway, so that one
/// ACK tells every outcome); ip asks for none on address, route and neighbour flushes (it
/// peeks for errors) and for one on each rule deletion. So the ACK flag of a delete is the
/// one bit where nsip's flush requests may differ from ip's.
fn mask_flush_ack(ip: &[u8], nsip: &mut [u8]) {
    let ty = ip.get(4..6).map(|t| u16::from_ne_bytes([t[0], t[1]]));
    let ip_flags = ip.get(6..8).map(|f| u16::from_ne_bytes([f[0], f[1]]));
    let (Some(RTM_DELADDR | RTM_DELROUTE | RTM_DELNEIGH | RTM_DELRULE), Some(ip_flags)) =
        (ty, ip_flags)
    else {
        return;
    };
    if ip_flags & !NLM_F_ACK != NLM_F_REQUEST {
        return;
    }
    if let Some(flags) = nsip.get_mut(6..8) {
        let ours = u16::from_ne_bytes([flags[0], flags[1]]);
        let as_ip = (ours & !NLM_F_ACK) | (ip_flags & NLM_F_ACK);
        flags.copy_from_slice(&as_ip.to_ne_bytes());
    }
}

/// A neighbour dump comes in the order of the kernel's hash, seeded at random in each
/// namespace: the deletions of a neighbour flush are compared as a set.
fn in_any_order(ip: &Fixture, pairs: &mut [(Vec<u8>, Vec<u8>)]) {
    if !ip.name.starts_with("neigh-flush") {
        return;
    }
    let (mut theirs, mut ours): (Vec<Vec<u8>>, Vec<Vec<u8>>) = pairs.iter().cloned().unzip();
    theirs.sort();
    ours.sort();
    for (pair, (t, o)) in pairs.iter_mut().zip(theirs.into_iter().zip(ours)) {
        *pair = (t, o);
    }
}

/// How nsip's recording of one command differs from ip's, or `None` when it does not.
fn difference(ip: &Fixture, nsip: &Fixture) -> Option<String> {
    if ip.exit != nsip.exit {
        return Some(format!(
            "exit status: ip {:?}, nsip {:?}",
            ip.exit, nsip.exit
        ));
    }
    if ip.messages.len() != nsip.messages.len() {
        return Some(format!(
            "ip sent {} request(s), nsip {}",
            ip.messages.len(),
            nsip.messages.len()
        ));
    }
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for (number, (theirs, ours)) in ip.messages.iter().zip(&nsip.messages).enumerate() {
        let theirs = nsip.normalize(number, &ip.normalize(number, theirs));
        let mut ours = ip.normalize(number, &nsip.normalize(number, ours));
        mask_flush_ack(&theirs, &mut ours);
        pairs.push((theirs, ours));
    }
    in_any_order(ip, &mut pairs);
    let mut report = String::new();
    for (number, (theirs, ours)) in pairs.iter().enumerate() {
        if theirs != ours {
            report.push_str(&format!("message {number}:\n{}", diff(theirs, ours)));
        }
    }
    (!report.is_empty()).then_some(report)
}

fn recorded_cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/golden exists")
        .filter_map(|e| {
            Some(
                e.ok()?
                    .file_name()
                    .into_string()
                    .ok()?
                    .strip_suffix(".txt")?
                    .to_owned(),
            )
        })
        .collect();
    names.sort();
    names
}

fn record_nsip(nsip: &Path, out: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/record-golden.sh");
    let run = Command::new(script)
        .arg("--tool")
        .arg(nsip)
        .arg("--out")
        .arg(out)
        .args(["--jobs", "2"])
        .output()
        .expect("scripts/record-golden.sh runs");
    assert!(
        run.status.success(),
        "recording nsip failed:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn nsip_sends_ips_bytes() {
    let Some(nsip) = std::env::var_os("NSIP_BIN").map(PathBuf::from) else {
        let why = "nsip_sends_ips_bytes: NSIP_BIN is not set (scripts/test.sh sets it)";
        assert!(
            std::env::var_os("CI").is_none(),
            "{why}, and CI must run it"
        );
        eprintln!("SKIP {why}");
        return;
    };
    if !can_sandbox("nsip_sends_ips_bytes") || !have("strace") || !have("python3") {
        return;
    }
    let out = std::env::temp_dir().join(format!("nsip-golden-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("scratch directory");
    record_nsip(&nsip, &out);
    let mut unexpected = String::new();
    let mut fixed = Vec::new();
    for name in recorded_cases() {
        let ip = Fixture::load(&name);
        let ours = Fixture::load_from(&out, &name);
        let known = KNOWN_DIFFERENCES.iter().find(|(n, _)| *n == name);
        match (difference(&ip, &ours), known) {
            (Some(report), None) => {
                unexpected.push_str(&format!("{name} (`{}`):\n{report}\n", ip.command));
            }
            (None, Some(_)) => fixed.push(name),
            _ => {}
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        unexpected.is_empty(),
        "nsip's requests differ from ip's:\n{unexpected}"
    );
    assert!(
        fixed.is_empty(),
        "these now send ip's bytes: remove them from KNOWN_DIFFERENCES: {fixed:?}"
    );
    for (name, _) in KNOWN_DIFFERENCES {
        assert!(
            recorded_cases().contains(&(*name).to_owned()),
            "{name}: no such fixture"
        );
    }
}

/// The comparison must see a changed byte and a different exit status, and forgive only the
/// flush ACK flag.
#[test]
fn the_comparison_sees_differences() {
    let ip = Fixture::load("addr-flush");
    let same = Fixture::load("addr-flush");
    assert_eq!(difference(&ip, &same), None);
    let mut acked = Fixture::load("addr-flush");
    acked.messages[2][6] |= NLM_F_ACK as u8;
    assert_eq!(
        difference(&ip, &acked),
        None,
        "the flush ACK flag is forgiven"
    );
    let rules = Fixture::load("rule-flush");
    let mut unacked = Fixture::load("rule-flush");
    unacked.messages[1][6] &= !(NLM_F_ACK as u8);
    assert_eq!(
        difference(&rules, &unacked),
        None,
        "a rule flush's ACK flag is forgiven too"
    );
    let mut echoed = Fixture::load("rule-flush");
    echoed.messages[1][6] |= 0x08; // NLM_F_ECHO: a flag other than the ACK is seen
    assert!(difference(&rules, &echoed).is_some_and(|r| r.contains("message 1")));
    let mut changed = Fixture::load("addr-flush");
    changed.messages[1][20] ^= 1; // the interface index

    assert!(difference(&ip, &changed).is_some_and(|r| r.contains("message 1")));
    let mut failed = Fixture::load("addr-flush");
    failed.exit = Some(2);
    assert!(difference(&ip, &failed).is_some_and(|r| r.contains("exit status")));
    let mut silent = Fixture::load("addr-flush");
    silent.messages.clear();
    assert!(difference(&ip, &silent).is_some_and(|r| r.contains("nsip 0")));
}
