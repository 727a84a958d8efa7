//! The command line as users hit it (issue "bugs users hit"): arguments that are not UTF-8,
//! a setuid copy, a reader that goes away, and the places where nsip's global options,
//! help and batch limits used to differ from ip 6.1's. Each compares with ip where ip's
//! behaviour is the reference, in a sandbox when anything could touch kernel state.

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::process::{Command, Output, Stdio};

use common::{assert_script_same_as_ip, can_sandbox, nsip_with_stdin, sandbox_ok, NSIP};

/// Runs `tool args` in a fresh network namespace (nothing here changes state, but a
/// device lookup must not see the host's devices).
fn in_netns(tool: &str, args: &[&OsStr]) -> Output {
    Command::new("unshare")
        .args(["--net", "--"])
        .arg(tool)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("unshare runs")
}

fn same_as_ip(test: &str, args: &[&[u8]]) {
    if !can_sandbox(test) {
        return;
    }
    let args: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
    let ip = in_netns("ip", &args);
    let nsip = in_netns(NSIP, &args);
    assert_eq!(
        (ip.status.code(), &ip.stdout, &ip.stderr),
        (nsip.status.code(), &nsip.stdout, &nsip.stderr),
        "{test}: `{args:?}` differs (ip left, nsip right): {} | {}",
        String::from_utf8_lossy(&ip.stderr),
        String::from_utf8_lossy(&nsip.stderr)
    );
}

#[test]
fn non_utf8_device_name_is_reported_with_its_bytes() {
    // Used to panic in std::env::args() and exit 134.
    same_as_ip("non_utf8_device_name", &[b"link", b"show", b"\xff"]);
    same_as_ip(
        "non_utf8_dev_word",
        &[b"addr", b"show", b"dev", b"a\xfe\xffb"],
    );
    same_as_ip("non_utf8_object", &[b"\xff"]);
    same_as_ip("non_utf8_option", &[b"-\xff", b"link"]);
}

#[test]
fn batch_keeps_non_utf8_namespace_names() {
    // Each tool in its own sandbox; the names in /run/netns must be byte-identical.
    let listing = |tool: &str| {
        format!("printf 'netns add \\xff\\xfe\\n' | {tool} -batch -\nls /run/netns | od -An -tx1")
    };
    assert_script_same_as_ip("batch_keeps_non_utf8_namespace_names", listing, &["ff fe"]);
}

#[test]
fn help_and_options_follow_ip() {
    for args in [
        &[&b"help"[..]][..],
        &[b"-help"],
        &[],
        &[b"-zz", b"link"],
        &[b"-f", b"bogus", b"link"],
    ] {
        if !can_sandbox("help_and_options_follow_ip") {
            return;
        }
        let args: Vec<&OsStr> = args.iter().map(|a| OsStr::from_bytes(a)).collect();
        let ip = in_netns("ip", &args);
        let nsip = in_netns(NSIP, &args);
        assert_eq!(ip.status.code(), nsip.status.code(), "status of {args:?}");
        assert!(nsip.stdout.is_empty(), "{args:?} printed on stdout");
    }
    // ip reads -h as -human (a listing option), never as help; nsip has no -human and
    // says so instead of printing help.
    let out = Command::new(NSIP)
        .args(["-h", "link"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(255));
    assert!(stderr.contains("not supported by nsip"), "{stderr}");
    assert!(!stderr.contains("is a garbage"), "{stderr}");
    let help = Command::new(NSIP).arg("help").output().expect("runs");
    let text = String::from_utf8_lossy(&help.stderr);
    assert!(text.starts_with("Usage: nsip "), "{text}");
}

#[test]
fn batch_lines_take_ip_6_1s_511_words() {
    let many = |n: usize| format!("netns {}\n", vec!["x"; n - 1].join(" "));
    let run = |text: String| nsip_with_stdin(&["-batch", "-"], Some(&text));
    let over = run(many(512));
    assert!(
        String::from_utf8_lossy(&over.stderr).contains("Too many arguments to command"),
        "{}",
        String::from_utf8_lossy(&over.stderr)
    );
    let within = run(many(511));
    assert!(
        !String::from_utf8_lossy(&within.stderr).contains("Too many arguments"),
        "{}",
        String::from_utf8_lossy(&within.stderr)
    );
}

#[test]
fn a_closed_pipe_ends_nsip_quietly_as_ip() {
    if !can_sandbox("a_closed_pipe_ends_nsip_quietly_as_ip") {
        return;
    }
    // Enough output to outlast the pipe buffer after `head` has gone.
    let script = r#"
ip link add d0 type ifb; ip link set d0 up
for i in $(seq 0 3999); do echo "route add 198.18.$((i/256)).$((i%256))/32 dev d0"; done | ip -batch -
for tool in ip "$NSIP"; do
  set +e
  "$tool" route show 2>/run/err | head -1 >/dev/null
  echo "${PIPESTATUS[0]} $(wc -c </run/err)"
  set -e
done
"#;
    let out = sandbox_ok(script);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines.first(), lines.get(1), "ip (first) vs nsip: {out}");
    assert_eq!(lines.first().copied(), Some("141 0"), "{out}");
}

#[test]
fn a_setuid_copy_refuses_to_run() {
    if !can_sandbox("a_setuid_copy_refuses_to_run") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("nsip-setuid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let copy = dir.join("nsip");
    std::fs::copy(NSIP, &copy).expect("copy");
    let status = Command::new("chmod")
        .arg("0755")
        .arg(&dir)
        .status()
        .and_then(|_| Command::new("chmod").arg("4755").arg(&copy).status())
        .expect("chmod");
    assert!(status.success());
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&copy)
        .args(["netns", "list"])
        .output()
        .expect("setpriv runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refusing to run setuid"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_full_or_closed_stdout_is_a_status_not_an_abort() {
    // Each line: the exit status, then whether anything panicked.
    let script = r#"
"$NSIP" -V >/dev/full 2>/tmp/nsip-stdout-err.$$; echo "$? $(grep -c panicked /tmp/nsip-stdout-err.$$)"
"$NSIP" -V >&- 2>/tmp/nsip-stdout-err.$$; echo "$? $(grep -c panicked /tmp/nsip-stdout-err.$$)"
"$NSIP" link add v9 type veth foo >/dev/full 2>/tmp/nsip-stdout-err.$$; echo "$? $(grep -c panicked /tmp/nsip-stdout-err.$$)"
rm -f /tmp/nsip-stdout-err.$$
"#;
    let out = Command::new("bash")
        .args(["-c", script])
        .env("NSIP", NSIP)
        .output()
        .expect("runs bash");
    let text = String::from_utf8_lossy(&out.stdout);
    // -V on a full disk cannot print, so it fails; on a closed stdout (EBADF) it succeeds
    // quietly, as std's stdout did; veth's usage text on a full disk still exits 1.
    assert_eq!(text, "1 0\n0 0\n1 0\n", "{text}");
}
