//! `nsip netns`: the /run/netns registry, checked against iproute2's `ip netns` itself.
//!
//! Every test runs in its own sandbox: `unshare --net --mount --fork` with a private tmpfs
//! on /run, so named namespaces never reach the machine's real /run/netns and the machine's
//! own network namespace is never touched. Scripts get `$NSIP` (this binary) and use `ip`
//! (iproute2) as the reference.

mod common;

use common::{
    assert_script_same_as_ip, assert_steps_same_as_ip, can_sandbox, field, sandbox_ok,
    sandbox_test, sandbox_test_showing,
};

/// Runs the same command lines with ip and with nsip, each in a fresh sandbox with the same
/// setup, and asserts that stdout, stderr and status agree line by line.
fn assert_same_as_ip(test: &str, setup: &str, commands: &[&str]) {
    let step = |i: usize, cmd: &str| format!("report {i} $IP {cmd}\n");
    assert_steps_same_as_ip(test, setup, commands, step, 1);
}

#[test]
fn add_list_delete() {
    let Some(out) = sandbox_test_showing(
        "add_list_delete",
        r#"
        "$NSIP" netns add alpha
        "$NSIP" netns a beta
        echo "list:"; "$NSIP" netns list
        echo "files:"; ls /run/netns
        # each name is its own namespace, bound from nsfs
        test "$(stat -c %i /run/netns/alpha)" != "$(stat -c %i /run/netns/beta)"
        echo "fstype: $(stat -f -c %T /run/netns/alpha)"
        "$NSIP" netns delete alpha
        echo "after:"; "$NSIP" netns l
        "$NSIP" netns del beta
        echo "empty:"; "$NSIP" netns
        ls -A /run/netns
        "#,
        &[
            "files:\nalpha\nbeta\n",
            "fstype: nsfs",
            "after:\nbeta\nempty:\n",
        ],
    ) else {
        return;
    };
    assert!(
        out.contains("list:\nbeta\nalpha\n") || out.contains("list:\nalpha\nbeta\n"),
        "{out}"
    );
    assert!(out.ends_with("empty:\n"), "{out}");
}

#[test]
fn registry_mount_is_shared_like_ip() {
    let script = |tool: &str| {
        format!(
            r#"
            {tool} netns add one
            {tool} netns add two
            # findmnt's order of sibling mounts varies between runs (seen for ip's own
            # two names while other tests mount and unmount); the set is what must match.
            echo mounts:
            findmnt -n -r -o TARGET,PROPAGATION,FSTYPE -R /run/netns | sort
            "#
        )
    };
    // The registry itself comes first, shared.
    let first = ["mounts:\n/run/netns shared tmpfs\n"];
    assert_script_same_as_ip("registry_mount_is_shared_like_ip", script, &first);
}

#[test]
fn iproute2_names_work_in_nsip_and_back() {
    let Some(out) = sandbox_test_showing(
        "iproute2_names_work_in_nsip_and_back",
        r#"
        ip netns add fromip
        ip -n fromip link set lo up
        a=$(ip netns exec fromip readlink /proc/self/ns/net)
        b=$("$NSIP" netns exec fromip readlink /proc/self/ns/net)
        test "$a" = "$b" && echo "same namespace via exec"
        "$NSIP" netns exec fromip ip -o link show lo | grep -q 'UP' && echo "lo up inside"
        "$NSIP" netns add fromnsip
        ip -n fromnsip link add nsveth0 type veth peer name nsveth1
        ip -n fromnsip -o link show | grep -c nsveth
        c=$(ip netns exec fromnsip readlink /proc/self/ns/net)
        d=$("$NSIP" netns exec fromnsip readlink /proc/self/ns/net)
        test "$c" = "$d" && echo "same namespace back"
        test "$a" != "$c"
        ip netns list | sort
        "$NSIP" netns delete fromip
        ip netns delete fromnsip
        ls -A /run/netns | wc -l
        "#,
        &[
            "same namespace via exec\n",
            "lo up inside\n",
            "same namespace back\n",
            "fromip\nfromnsip\n",
        ],
    ) else {
        return;
    };
    assert!(
        out.contains("\n2\n"),
        "both veth ends in the nsip namespace: {out}"
    );
    assert!(out.ends_with("\n0\n"), "{out}");
}

#[test]
fn exec_gives_the_commands_status_and_a_namespace_view() {
    sandbox_test_showing(
        "exec_gives_the_commands_status_and_a_namespace_view",
        r#"
        "$NSIP" netns add x
        rc=0; "$NSIP" netns exec x sh -c 'exit 42' || rc=$?; echo "exit42: $rc"
        rc=0; "$NSIP" netns exec x false || rc=$?; echo "false: $rc"
        rc=0; "$NSIP" netns exec x sh -c 'kill -9 $$' 2>/dev/null || rc=$?; echo "killed: $rc"
        rc=0; "$NSIP" netns exec x /nonexistent/cmd 2>/run/err || rc=$?; echo "missing: $rc $(cat /run/err)"
        rc=0; "$NSIP" netns exec nosuch true 2>/run/err || rc=$?; echo "nosuch: $rc $(cat /run/err)"
        # /sys shows the namespace's own devices: only lo
        echo "sys: $("$NSIP" netns exec x ls /sys/class/net)"
        # the caller's mounts are untouched
        test "$(stat -f -c %T /sys)" = sysfs
        ls /sys/class/net | grep -qv '^lo$' || true
        "#,
        &[
            "exit42: 42\n",
            "false: 1\n",
            "killed: 137\n",
            "missing: 1 exec of \"/nonexistent/cmd\" failed: No such file or directory\n",
            "nosuch: 255 Cannot open network namespace \"nosuch\": No such file or directory\n",
            "sys: lo\n",
        ],
    );
}

#[test]
fn exec_binds_etc_netns_files() {
    // A private copy of /etc (in this sandbox's own mount namespace) gets an /etc/netns.
    let Some(out) = sandbox_test_showing(
        "exec_binds_etc_netns_files",
        r#"
        mkdir /run/etc && cp -a /etc/. /run/etc/ 2>/dev/null || true
        mount --bind /run/etc /etc
        mkdir -p /etc/netns/x
        echo "nsip-test-host" > /etc/netns/x/hostname
        test -e /etc/hostname || touch /etc/hostname
        "$NSIP" netns add x
        echo "inside: $("$NSIP" netns exec x cat /etc/hostname)"
        echo "outside: $(cat /etc/hostname)"
        "#,
        &["inside: nsip-test-host\n"],
    ) else {
        return;
    };
    assert!(!out.contains("outside: nsip-test-host"), "{out}");
}

#[test]
fn all_exec_runs_in_every_namespace() {
    assert_same_as_ip(
        "all_exec_runs_in_every_namespace",
        "ip netns add one; ip netns add two",
        &[
            "-all netns exec sh -c 'echo in $0; exit 3'",
            "-all netns exec /nonexistent",
            "-all netns exec",
        ],
    );
}

#[test]
fn identify_and_pids() {
    let Some(out) = sandbox_test(
        "identify_and_pids",
        r#"
        "$NSIP" netns add alpha
        "$NSIP" netns add beta
        "$NSIP" netns exec alpha sleep 30 &
        pid=$!
        for i in $(seq 50); do [ -n "$("$NSIP" netns pids alpha)" ] && break; sleep 0.1; done
        echo "pids: $("$NSIP" netns pids alpha | tr '\n' ' ')"
        echo "ip pids: $(ip netns pids alpha | tr '\n' ' ')"
        echo "started: $pid"
        echo "identify: $("$NSIP" netns identify "$pid")"
        echo "self: [$("$NSIP" netns identify)]"
        echo "beta pids: [$("$NSIP" netns pids beta)]"
        echo "inside: $("$NSIP" netns exec beta "$NSIP" netns identify)"
        kill "$pid"; wait "$pid" || true
        "#,
    ) else {
        return;
    };
    let value = |key: &str| field(&out, key).trim();
    let started = value("started: ");
    assert_eq!(value("pids: "), started, "exec keeps its pid: {out}");
    assert_eq!(value("ip pids: "), started, "{out}");
    assert_eq!(value("identify: "), "alpha");
    assert_eq!(value("self: "), "[]");
    assert_eq!(value("beta pids: "), "[]");
    assert_eq!(value("inside: "), "beta");
}

#[test]
fn ids_set_and_listed_like_ip() {
    assert_same_as_ip(
        "ids_set_and_listed_like_ip",
        "ip netns add a; ip netns add b; ip netns add c",
        &[
            "netns set a 7",
            "netns set b auto",
            "netns list",
            "-j netns list",
            "-j -p netns list",
            "netns list-id",
            "-j netns list-id",
            "netns list-id nsid 7",
            "netns set a 8",
            "netns set c 7",
            "netns set c 0x10",
            "netns list-id",
            "netns list-id nsid 99",
            "netns list-id target-nsid 99",
            "-j netns list-id target-nsid 99",
            "netns set nosuch 3",
            "netns set a abc",
            "netns set a -3",
            "netns set a",
            "netns set",
            "netns list-id nsid",
            "netns list-id nsid abc",
            "netns list-id nsid -1",
            "netns list-id nsid 3 nsid 3",
            "netns list-id bogus",
        ],
    );
}

#[test]
fn ids_seen_from_another_namespace() {
    // Ids are per namespace: set some inside `a` (via -n), then read them with target-nsid.
    let script = |tool: &str| {
        format!(
            r#"
            IP={tool}
            $IP netns add a; $IP netns add b
            $IP netns set a 1; $IP netns set b 2
            $IP -n a netns set b 5
            $IP -n a netns set a 6
            $IP netns list-id target-nsid 1
            $IP -j netns list-id target-nsid 1 nsid 2
            $IP -n a netns list
            "#
        )
    };
    assert_script_same_as_ip("ids_seen_from_another_namespace", script, &["current-nsid"]);
}

#[test]
fn all_delete_removes_every_name() {
    let Some(out) = sandbox_test_showing(
        "all_delete_removes_every_name",
        r#"
        rc=0; "$NSIP" -all netns delete || rc=$?; echo "none: $rc"
        for n in a b c; do "$NSIP" netns add $n; done
        ip netns add fromip
        "$NSIP" -all netns delete
        echo "left: [$("$NSIP" netns list)] [$(ls -A /run/netns)]"
        findmnt -n -r -o TARGET -R /run/netns
        "#,
        &["none: 0\n", "left: [] []\n"],
    ) else {
        return;
    };
    let no_name_mounts_left = out.ends_with("left: [] []\n/run/netns\n");
    assert!(no_name_mounts_left, "{out}");
}

#[test]
fn monitor_reports_adds_and_deletes() {
    let Some(out) = sandbox_test(
        "monitor_reports_adds_and_deletes",
        r#"
        "$NSIP" netns monitor > /run/events &
        mon=$!
        for i in $(seq 50); do [ -d /run/netns ] && break; sleep 0.1; done
        sleep 0.3
        "$NSIP" netns add watched
        ip netns add byip
        "$NSIP" netns delete watched
        ip netns delete byip
        for i in $(seq 50); do [ "$(wc -l < /run/events)" -ge 4 ] && break; sleep 0.1; done
        kill "$mon"; wait "$mon" || true
        cat /run/events
        "#,
    ) else {
        return;
    };
    assert_eq!(
        out, "add watched\nadd byip\ndelete watched\ndelete byip\n",
        "events as they happen, one flushed line each"
    );
}

#[test]
fn bad_names_are_refused_without_leftovers() {
    if !can_sandbox("bad_names_are_refused_without_leftovers") {
        return;
    }
    for name in ["a/b", ".", "..", "", "../x"] {
        let script = format!(
            r#"
            rc=0; "$NSIP" netns add '{name}' 2>/run/err || rc=$?
            echo "status: $rc"; cat /run/err
            echo "files: [$(ls -A /run/netns 2>/dev/null)]"
            ls -A /run
            "#
        );
        let out = sandbox_ok(&script);
        assert!(
            out.starts_with(&format!(
                "status: 255\nInvalid netns name \"{name}\"\nfiles: []\n"
            )),
            "{name:?}: {out}"
        );
        assert!(
            !out.contains("\nx\n"),
            "nothing made outside /run/netns: {out}"
        );
    }
}

#[test]
fn failed_adds_leave_nothing_behind() {
    sandbox_test_showing(
        "failed_adds_leave_nothing_behind",
        r#"
        "$NSIP" netns add taken
        before=$(stat -c %i /run/netns/taken)
        rc=0; "$NSIP" netns add taken 2>/run/err || rc=$?; echo "dup: $rc $(cat /run/err)"
        test "$(stat -c %i /run/netns/taken)" = "$before" && echo "original kept"
        "$NSIP" netns exec taken true && echo "original usable"
        rc=0; "$NSIP" netns attach ghost 999999 2>/run/err || rc=$?; echo "attach: $rc $(cat /run/err)"
        echo "files: [$(ls -A /run/netns | tr '\n' ' ')]"
        "#,
        &[
            "dup: 1 Cannot create namespace file \"/run/netns/taken\": File exists\n",
            "original kept\noriginal usable\n",
            "attach: 1 Bind /proc/999999/ns/net -> /run/netns/ghost failed: No such file or directory\n",
            "files: [taken ]\n",
        ],
    );
}

#[test]
fn attach_names_a_running_process_namespace() {
    sandbox_test_showing(
        "attach_names_a_running_process_namespace",
        r#"
        unshare --net sleep 30 &
        pid=$!
        for i in $(seq 50); do [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
        "$NSIP" netns attach held "$pid"
        echo "identify: $(ip netns identify "$pid")"
        kill "$pid"; wait "$pid" || true
        "$NSIP" netns exec held true && echo "outlives the process"
        "#,
        &["identify: held\n", "outlives the process\n"],
    );
}

#[test]
fn concurrent_adds_are_safe() {
    sandbox_test_showing(
        "concurrent_adds_are_safe",
        r#"
        pids=""
        for i in $(seq 12); do "$NSIP" netns add "n$i" & pids="$pids $!"; done
        # two racing adds of one name: exactly one wins
        "$NSIP" netns add same 2>/dev/null & p1=$!
        "$NSIP" netns add same 2>/dev/null & p2=$!
        for p in $pids; do wait "$p"; done
        ok=0; wait "$p1" && ok=$((ok+1)); wait "$p2" && ok=$((ok+1)) || true
        echo "same winners: $ok"
        echo "names: $(ls /run/netns | wc -l)"
        echo "distinct: $(stat -c %i /run/netns/* | sort -u | wc -l)"
        echo "registry mounts: $(findmnt -n -r -o TARGET | grep -cx /run/netns)"
        "$NSIP" netns exec same true && echo "same usable"
        "#,
        &[
            "same winners: 1\n",
            "names: 13\n",
            "distinct: 13\n",
            "registry mounts: 1\n",
            "same usable\n",
        ],
    );
}

#[test]
fn usage_errors_match_ip() {
    assert_same_as_ip(
        "usage_errors_match_ip",
        "ip netns add x",
        &[
            "netns delete nosuch",
            "netns delete",
            "netns add",
            "netns add x",
            "netns add a/b",
            "netns pids a/b",
            "netns exec",
            "netns exec x",
            "netns exec nosuch true",
            "netns identify abc",
            "netns identify 1 2",
            "netns identify 999999",
            "netns pids",
            "netns pids nosuch",
            "netns pids x y",
            "netns attach",
            "netns attach y",
            "netns attach y abc",
            "netns attach y 0",
            "netns zz",
            "netns cookie",
            "netns help",
            "netns l",
            "netns s",
            "netns lst",
            "-j netns",
            "-n nosuch netns list",
            "-n x netns identify",
            "-all netns delete nosuch",
        ],
    );
}

#[test]
fn list_without_registry_prints_nothing() {
    assert_same_as_ip(
        "list_without_registry_prints_nothing",
        "",
        &[
            "netns list",
            "-j netns list",
            "netns identify",
            "netns list-id",
        ],
    );
}

#[test]
fn batch_exec_forks_and_goes_on() {
    // In a batch, exec runs the command in a child (in the namespace) and the batch goes on
    // with the command's status as the line's.
    let script = |tool: &str| {
        format!(
            r#"
            printf '%s\n' "netns add x" "netns exec x sh -c 'exit 3'" \
                "netns exec x sh -c 'echo hello; readlink /proc/self/ns/net >/run/inner'" \
                "netns exec x /nonexistent" "netns list" > /run/batch
            rc=0; {tool} -force -batch /run/batch 2>&1 || rc=$?; echo "status: $rc"
            test "$(cat /run/inner)" != "$(readlink /proc/self/ns/net)" && echo "ran inside"
            "#
        )
    };
    let shows = ["hello\n", "ran inside\n"];
    assert_script_same_as_ip("batch_exec_forks_and_goes_on", script, &shows);
}

/// Runs `commands` (nsip argument lines) with ip and then with nsip in one sandbox after
/// `setup`, and returns each tool's whole stdout, as bytes.
fn both_tools_bytes(setup: &str, commands: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let mut script = format!("{setup}\nfor tool in ip \"$NSIP\"; do\n");
    for command in commands {
        script.push_str(&format!(
            "  rc=0; \"$tool\" {command} || rc=$?; echo \"status $rc\"\n"
        ));
    }
    script.push_str("  echo '=== end of tool'\ndone\n");
    // Background jobs the setup started end with the script.
    script.push_str("jobs -p | xargs -r kill\n");
    let out = common::sandbox(&script);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let marker = b"=== end of tool\n";
    let cut = out
        .stdout
        .windows(marker.len())
        .position(|w| w == marker)
        .expect("ip's part ends");
    let (ip, rest) = out.stdout.split_at(cut + marker.len());
    (ip.to_vec(), rest.to_vec())
}

#[test]
fn odd_names_list_byte_for_byte_as_ip() {
    // Quote, backslash, tab and bytes that are not UTF-8: ip prints the quote and backslash
    // escaped in JSON, the rest as the name's own bytes; nsip must print the same bytes.
    if !can_sandbox("odd_names_list_byte_for_byte_as_ip") {
        return;
    }
    let (ip, nsip) = both_tools_bytes(
        r#"
        ip netns add "$(printf 'q"b\\s\tt')"
        ip netns add "$(printf 'n\377\376o')"
        ip netns add plain
        ip netns set "$(printf 'n\377\376o')" 3
        ip netns set plain 4
        ip netns add "$(printf 'p\377')"
        ip netns exec "$(printf 'p\377')" sleep 30 &
        sleeper=$!
        for _ in $(seq 50); do [ -n "$(ip netns pids "$(printf 'p\377')")" ] && break; sleep 0.1; done
        "#,
        &[
            "netns list",
            "-j netns list",
            "-j -p netns list",
            "netns list-id",
            "-j netns list-id",
            "-j -p netns list-id",
            "netns identify $sleeper",
            "netns pids \"$(printf 'p\\377')\"",
            "netns exec \"$(printf 'n\\377\\376o')\" ip -j netns identify",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&nsip),
        String::from_utf8_lossy(&ip),
        "nsip differs from ip"
    );
    assert_eq!(nsip, ip, "nsip's bytes differ from ip's");
    let needle = b"\"name\":\"q\\\"b\\\\s\\tt\"";
    assert!(ip.windows(needle.len()).any(|w| w == needle), "{ip:?}");
    assert!(ip.windows(4).any(|w| w == b"n\xff\xfeo"), "{ip:?}");
}

#[test]
fn control_characters_in_names_stay_valid_json() {
    // ip 6.1 writes a control character into its JSON as the raw byte (invalid JSON); nsip
    // escapes it as \u00XX. The text listing is the name's own bytes in both.
    let Some(out) = sandbox_test(
        "control_characters_in_names_stay_valid_json",
        r#"
        ip netns add "$(printf 'c\001d\033e')"
        echo "ip: $(ip netns list | od -An -c | tr -s ' ')"
        echo "nsip: $("$NSIP" netns list | od -An -c | tr -s ' ')"
        echo "json: $("$NSIP" -j netns list)"
        "#,
    ) else {
        return;
    };
    assert_eq!(field(&out, "nsip: "), field(&out, "ip: "));
    assert_eq!(field(&out, "json: "), r#"[{"name":"c\u0001d\u001be"}]"#);
    let parsed: serde_json::Value =
        serde_json::from_str(field(&out, "json: ")).expect("valid JSON");
    assert_eq!(parsed[0]["name"], "c\u{1}d\u{1b}e");
}

#[test]
fn exec_passes_arguments_with_their_exact_bytes() {
    if !can_sandbox("exec_passes_arguments_with_their_exact_bytes") {
        return;
    }
    let (ip, nsip) = both_tools_bytes(
        r#"ip netns add "$(printf 'x\377')"
        printf 'netns exec x\377 printf %%s \377\n' > /run/batch"#,
        &[
            "netns exec \"$(printf 'x\\377')\" printf %s \"$(printf 'a\\377\\376 \\303\\251')\" | od -An -tx1",
            "netns exec \"$(printf 'x\\377')\" \"$(printf 'no\\377such')\" 2>&1 | od -An -c",
            "netns exec \"$(printf 'no\\377such')\" true 2>&1 | od -An -c",
            // In a batch the command runs in a child: its words come from the batch reader.
            "-batch /run/batch | od -An -tx1",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&nsip), String::from_utf8_lossy(&ip));
    let text = String::from_utf8_lossy(&ip);
    assert!(text.contains(" 61 ff fe 20 c3 a9\n"), "{text}");
}
