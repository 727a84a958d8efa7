//! Shared helpers for the end-to-end tests and benches: throwaway network namespaces.
//!
//! Nothing here touches the machine's own network namespace: kernel work happens on a thread
//! that unshared its own namespace, or in a shell under `unshare --net --mount`.

use std::path::Path;
use std::process::{Command, Output};

use netlink_core::route::consts::IFF_UP;
use netlink_core::route::{emit_get_link, LinkAttrs, LinkKind, LinkMessage, LinkRequest, Stat};
use netlink_core::socket::Socket;
use netlink_core::wire::Builder;

/// Whether this process may create network namespaces and run the reference `ip` in them.
/// When it may not, prints why (so the skip is visible in the test log) and returns false.
/// On CI (`CI` set) a missing privilege or program is a failure, not a skip. nsip's own
/// integration tests use this one check too.
pub fn can_sandbox(test: &str) -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let exists = |paths: &[&str]| paths.iter().any(|p| Path::new(p).exists());
    let why = if !root {
        "needs root (CAP_SYS_ADMIN + CAP_NET_ADMIN) to create network namespaces"
    } else if !exists(&["/usr/bin/unshare", "/bin/unshare"]) {
        "util-linux unshare is missing"
    } else if !exists(&["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]) {
        "iproute2 (ip) is missing; it is the reference these tests compare against"
    } else {
        return true;
    };
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {why}, and CI must run it");
    }
    eprintln!("SKIP {test}: {why}");
    false
}

/// Runs `f` on a new thread whose network namespace is a fresh, empty one (only `lo`, down).
/// The namespace dies with the thread unless something (an open fd, a socket) keeps it.
pub fn in_fresh_netns<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(move || {
        // SAFETY: unshare only changes this thread's namespace membership; the thread was
        // spawned for this purpose and holds no state tied to the old namespace.
        let rc = unsafe { libc::unshare(libc::CLONE_NEWNET) };
        assert_eq!(
            rc,
            0,
            "unshare(CLONE_NEWNET): {}",
            std::io::Error::last_os_error()
        );
        f()
    })
    .join()
    .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// Runs a bash script in a private sandbox: `unshare --net --mount`, a tmpfs on /run (so
/// named namespaces stay private), `lo` up, `set -e`. `env` entries are exported first.
pub fn sandbox_sh(script: &str, env: &[(&str, &str)]) -> Output {
    let wrapped = format!("set -e\nmount -t tmpfs tmpfs /run\nip link set lo up\n{script}");
    let mut cmd = Command::new("unshare");
    cmd.args(["--net", "--mount", "--fork", "--", "bash", "-c", &wrapped]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("unshare runs")
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

/// Runs `f` with a netlink socket of its own in a fresh namespace (see [`in_fresh_netns`]),
/// unless [`can_sandbox`] says the test must be skipped.
pub fn with_socket_in_fresh_netns(test: &str, f: impl FnOnce(Socket) + Send + 'static) {
    if !can_sandbox(test) {
        return;
    }
    in_fresh_netns(move || f(Socket::new().expect("socket")));
}

/// Creates bridge `name` (always available, unlike the dummy module), up; returns its index.
pub fn bridge_up(sock: &mut Socket, name: &[u8]) -> u32 {
    let mut buf = Vec::new();
    LinkRequest {
        attrs: LinkAttrs::named(name),
        flags: IFF_UP,
        change: IFF_UP,
        kind: Some(LinkKind::Bridge),
        ..LinkRequest::default()
    }
    .emit_new(&mut Builder::new(&mut buf))
    .expect("encode");
    sock.request(&mut buf).expect("create the bridge");
    buf.clear();
    emit_get_link(&mut Builder::new(&mut buf), 0, Some(name), 0).expect("encode");
    let index = sock
        .get(&mut buf, |msg| Ok(LinkMessage::parse(&msg)?.index()))
        .expect("the bridge exists");
    u32::try_from(index).expect("positive index")
}

/// The receive and transmit counters `ip -s link` prints in its first two rows, which the
/// decode bench and the allocation test read from every link.
pub const LINK_STATS: [Stat; 8] = [
    Stat::RxPackets,
    Stat::RxBytes,
    Stat::RxErrors,
    Stat::RxDropped,
    Stat::TxPackets,
    Stat::TxBytes,
    Stat::TxErrors,
    Stat::TxDropped,
];
