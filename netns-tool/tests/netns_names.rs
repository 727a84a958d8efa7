//! Opening a namespace by name: `-n NAME` and `netns exec NAME` look only in /run/netns,
//! `link set ... netns WORD` also takes a path (ip's `netns_get_fd`), and names are bytes.
//! Each test runs in its own sandbox (`unshare --net --mount --fork`, tmpfs on /run).

mod common;

use common::{can_sandbox, sandbox_ok, sandbox_test_showing, side_by_side};

#[test]
fn dash_n_looks_only_in_the_registry_like_ip() {
    if !can_sandbox("dash_n_looks_only_in_the_registry_like_ip") {
        return;
    }
    let long = "n".repeat(256);
    let long_line = format!("-n {long} link show lo");
    let lines = [
        // From /, this path leads to the namespace x; ip (and nsip) still only look in
        // /run/netns, where there is no `run` directory.
        "-n run/netns/x link show lo",
        "-n /run/netns/x link show lo",
        "-n a/b link show lo",
        "-n . link show lo",
        "-n .. link show lo",
        "-n '' link show lo",
        "-n nosuch link show lo",
        &long_line,
        "-n x link show lo",
        "netns exec run/netns/x true",
    ];
    let pairs = side_by_side("ip netns add x\ncd /", &lines);
    for (line, (reference, ours)) in lines.iter().zip(&pairs) {
        assert_eq!(ours, reference, "nsip {line}");
    }
    let (first, _) = pairs.first().expect("one pair per line");
    assert!(
        first.contains("status: 255"),
        "ip itself refuses the path: {first}"
    );
}

#[test]
fn dash_n_never_leaves_the_registry() {
    // A namespace file outside /run/netns that `..` reaches from /run/netns (and so from
    // a shell sitting there): ip follows the path, nsip refuses any word holding `/`.
    sandbox_test_showing(
        "dash_n_never_leaves_the_registry",
        r#"
        ip netns add y
        mkdir /run/elsewhere && touch /run/elsewhere/z
        mount --bind /run/netns/y /run/elsewhere/z
        cd /run/netns
        ip -n ../elsewhere/z link show lo >/dev/null && echo "ip escapes"
        rc=0; "$NSIP" -n ../elsewhere/z link show lo 2>/run/err || rc=$?
        echo "nsip: $rc $(cat /run/err)"
        "#,
        &[
            "ip escapes\n",
            "nsip: 255 Cannot open network namespace \"../elsewhere/z\": No such file or directory\n",
        ],
    );
}

#[test]
fn link_netns_takes_a_name_or_a_path_like_ip() {
    let Some(out) = sandbox_test_showing(
        "link_netns_takes_a_name_or_a_path_like_ip",
        r#"
        "$NSIP" netns add x
        ip link add v0 type veth peer name v1
        ip link add w0 type veth peer name w1
        "$NSIP" link set v1 netns x
        cd /run && "$NSIP" link set w1 netns netns/x
        echo "in x: $(ip -n x -o link show | grep -c '@')"
        rc=0; "$NSIP" link set v0 netns nosuch 2>/run/err || rc=$?; echo "nosuch: $rc $(cat /run/err)"
        "#,
        &["in x: 2\n"],
    ) else {
        return;
    };
    let reference = sandbox_ok(
        r#"
        ip link add v0 type veth peer name v1
        rc=0; ip link set v0 netns nosuch 2>/run/err || rc=$?; echo "nosuch: $rc $(cat /run/err)"
        "#,
    );
    let nosuch = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("nosuch: "))
            .map(str::to_string)
    };
    assert!(nosuch(&reference).is_some(), "{reference}");
    assert_eq!(nosuch(&out), nosuch(&reference), "{out}");
}

#[test]
fn names_are_bytes_end_to_end() {
    sandbox_test_showing(
        "names_are_bytes_end_to_end",
        r#"
        "$NSIP" netns add $'\xff\xfe'
        echo "file: $(ls /run/netns | od -An -c | tr -s ' ')"
        ip netns exec $'\xff\xfe' true && echo "ip enters it"
        "$NSIP" -n $'\xff\xfe' link show lo >/dev/null && echo "-n enters it"
        "$NSIP" netns exec $'\xff\xfe' true && echo "exec enters it"
        "$NSIP" netns delete $'\xff\xfe'
        echo "left: [$(ls -A /run/netns)]"
        "#,
        &[
            "file:  377 376 \\n\n",
            "ip enters it\n-n enters it\nexec enters it\nleft: []\n",
        ],
    );
}
