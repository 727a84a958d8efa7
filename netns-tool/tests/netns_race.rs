//! `nsip netns add` / `delete` under contention and under SIGKILL.
//!
//! Many nsip processes adding and deleting the same few names at once must never stack two
//! namespaces on one name, nor leave a name that is not a namespace; and an add killed at
//! any point must leave either nothing or a complete name, except for the one point no
//! file-plus-mount registry can protect: between creating the name's file and binding the
//! namespace onto it.
//!
//! Each test runs in one private sandbox (`unshare --net --mount --fork`, tmpfs on /run)
//! shared by all its workers.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{can_sandbox, sandbox_ok};

/// The state of /run/netns after a round: how many mounts sit on each name's path, which of
/// them are namespaces (nsfs), and which files the directory holds.
#[derive(Default)]
struct Registry {
    mounts: BTreeMap<String, usize>,
    nsfs: BTreeSet<String>,
    files: BTreeSet<String>,
}

impl Registry {
    /// Paths with more than one mount on them.
    fn stacked(&self) -> Vec<String> {
        self.mounts
            .iter()
            .filter(|(_, &count)| count > 1)
            .map(|(path, count)| format!("{path} x{count}"))
            .collect()
    }

    /// Names whose file has no namespace bound onto it.
    fn orphans(&self) -> Vec<String> {
        self.files
            .iter()
            .filter(|name| !self.nsfs.contains(&format!("/run/netns/{name}")))
            .cloned()
            .collect()
    }

    /// Reads one `mount LINE` (a /proc/self/mountinfo line) or `file NAME` record.
    fn record(&mut self, line: &str) {
        if let Some(name) = line.strip_prefix("file ") {
            self.files.insert(name.to_string());
        } else if let Some(info) = line.strip_prefix("mount ") {
            // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE ...
            let mount_point = info.split(' ').nth(4).unwrap_or("");
            if !mount_point.starts_with("/run/netns/") {
                return;
            }
            *self.mounts.entry(mount_point.to_string()).or_default() += 1;
            let fstype = info.split(" - ").nth(1).and_then(|s| s.split(' ').next());
            if fstype == Some("nsfs") {
                self.nsfs.insert(mount_point.to_string());
            }
        }
    }
}

/// Splits the script's output into the registry state of each round and the workers' log.
fn parse_rounds(out: &str) -> (Vec<Registry>, Vec<String>) {
    let mut rounds = Vec::new();
    let mut log = Vec::new();
    let mut in_log = false;
    for line in out.lines() {
        if line.starts_with("== round ") {
            rounds.push(Registry::default());
        } else if line == "== log" {
            in_log = true;
        } else if in_log {
            log.push(line.to_string());
        } else if let Some(round) = rounds.last_mut() {
            round.record(line);
        }
    }
    (rounds, log)
}

const WORKERS: usize = 32;
const ROUNDS: usize = 20;

#[test]
fn racing_adds_and_deletes_never_stack_or_orphan_a_name() {
    if !can_sandbox("racing_adds_and_deletes_never_stack_or_orphan_a_name") {
        return;
    }
    // Each worker alternates add and delete over three names and ends on an add, so every
    // round leaves names behind to inspect; each worker logs to its own file.
    let out = sandbox_ok(&format!(
        r#"
        mkdir /run/logs
        for r in $(seq {ROUNDS}); do
          pids=""
          for w in $(seq {WORKERS}); do
            (
              for j in 1 2 3; do
                a=n$(( (w + j) % 3 )); d=n$(( (w + 2 * j) % 3 ))
                if "$NSIP" netns add "$a" 2>>/run/logs/$w; then echo "ok add" >>/run/logs/$w; fi
                [ $j = 3 ] && break
                if "$NSIP" netns delete "$d" 2>>/run/logs/$w; then echo "ok delete" >>/run/logs/$w; fi
              done
            ) &
            pids="$pids $!"
          done
          for p in $pids; do wait "$p"; done
          echo "== round $r"
          sed 's/^/mount /' /proc/self/mountinfo
          ls -A /run/netns | sed 's/^/file /'
        done
        echo "== log"
        cat /run/logs/*
        "#
    ));
    let (rounds, log) = parse_rounds(&out);
    assert_eq!(rounds.len(), ROUNDS, "{out}");
    let mut problems = Vec::new();
    for (i, round) in rounds.iter().enumerate() {
        for stacked in round.stacked() {
            problems.push(format!("round {}: stacked mounts on {stacked}", i + 1));
        }
        for orphan in round.orphans() {
            problems.push(format!("round {}: name {orphan} has no namespace", i + 1));
        }
    }
    // With add and delete serialised per registry, an add can only fail because the name
    // exists and a delete only because it does not.
    let unexpected: Vec<&String> = log
        .iter()
        .filter(|line| {
            !(line.as_str() == "ok add"
                || line.as_str() == "ok delete"
                || line.ends_with("\": File exists")
                    && line.starts_with("Cannot create namespace file \"/run/netns/n")
                || line.ends_with("\": No such file or directory")
                    && line.starts_with("Cannot remove namespace file \"/run/netns/n"))
        })
        .collect();
    let count = |what: &str| log.iter().filter(|line| *line == what).count();
    assert!(
        count("ok add") > 0 && count("ok delete") > 0,
        "the workers raced nothing: {log:?}"
    );
    assert!(
        problems.is_empty() && unexpected.is_empty(),
        "{} problems in {ROUNDS} rounds of {WORKERS} workers:\n{}\nunexpected failures:\n{unexpected:#?}",
        problems.len(),
        problems.join("\n")
    );
}

/// `(syscall, n)`: the n-th call of that system call by one thread of `nsip netns add`, as
/// `strace -e inject=SYSCALL:when=n` counts them (per thread).
type KillPoint = (String, usize);

/// Every kill point of a `strace -f` trace, and the one binding the namespace onto the name.
fn kill_points(trace: &str) -> (Vec<KillPoint>, Option<KillPoint>) {
    let mut per_thread: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut most: BTreeMap<String, usize> = BTreeMap::new();
    let mut bind = None;
    for line in trace.lines() {
        let Some((tid, call)) = line.split_once(' ') else {
            continue;
        };
        let call = call.trim_start();
        let Some(open) = call.find('(') else {
            continue;
        };
        let name = call.get(..open).unwrap_or("").trim_start_matches("<... ");
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let n = per_thread
            .entry((tid.to_string(), name.to_string()))
            .or_default();
        *n += 1;
        let top = most.entry(name.to_string()).or_default();
        *top = (*top).max(*n);
        if name == "mount" && call.contains("\"/run/netns/probe\"") {
            bind = Some((name.to_string(), *n));
        }
    }
    let points = most
        .into_iter()
        .flat_map(|(name, top)| (1..=top).map(move |n| (name.clone(), n)))
        .collect();
    (points, bind)
}

#[test]
fn an_add_killed_anywhere_leaves_no_name_without_a_namespace() {
    let test = "an_add_killed_anywhere_leaves_no_name_without_a_namespace";
    if !can_sandbox(test) {
        return;
    }
    if !std::path::Path::new("/usr/bin/strace").exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: CI must have strace"
        );
        eprintln!("SKIP {test}: needs strace to stop nsip at a chosen system call");
        return;
    }
    // The registry directory is set up first, so every run below starts from the same state.
    let trace = sandbox_ok(
        r#"
        "$NSIP" netns add setup
        strace -f -qq -o /run/trace "$NSIP" netns add probe
        cat /run/trace
        "#,
    );
    let (points, bind) = kill_points(&trace);
    let bind = bind.unwrap_or_else(|| panic!("no bind mount onto the name in:\n{trace}"));
    let runs: String = points
        .iter()
        .map(|(name, n)| {
            format!(
                "rc=0; strace -f -qq -o /dev/null -e inject={name}:signal=KILL:when={n} \
                 \"$NSIP\" netns add victim 2>/dev/null || rc=$?\n\
                 check {name} {n} $rc\n"
            )
        })
        .collect();
    let out = sandbox_ok(&format!(
        r#"
        "$NSIP" netns add setup
        check() {{
          if [ -e /run/netns/victim ]; then
            if grep -q ' /run/netns/victim .* - nsfs ' /proc/self/mountinfo; then state=named; else state=orphan; fi
          else state=absent; fi
          echo "$1 $2 $3 $state"
          umount -l /run/netns/victim 2>/dev/null || true
          rm -f /run/netns/victim
        }}
        {runs}
        "#
    ));
    let mut killed = 0;
    let mut orphans = Vec::new();
    for line in out.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        let [name, n, rc, state] = fields.as_slice() else {
            continue;
        };
        if *rc == "137" {
            killed += 1;
        }
        if *state == "orphan" && (name.to_string(), n.parse().unwrap_or(0)) != bind {
            orphans.push(format!("SIGKILL at {name} #{n}"));
        }
    }
    eprintln!(
        "{} kill points, {killed} killed nsip, {} left a name without a namespace besides {bind:?}",
        points.len(),
        orphans.len()
    );
    assert!(
        killed > 10,
        "the sweep killed nsip only {killed} times:\n{out}"
    );
    assert!(
        orphans.is_empty(),
        "{} kill points left a name without a namespace (only the bind mount {bind:?} may):\n{}\n{out}",
        orphans.len(),
        orphans.join("\n")
    );
}
