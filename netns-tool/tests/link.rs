//! `nsip link`, checked against iproute2's `ip link` in throwaway sandboxes: every
//! command's output, errors and exit status, and the kernel state it leaves (read by ip).

mod common;
mod linkaddr;

use common::{
    assert_contains_all, assert_same_sections, can_record, can_sandbox, BatchRun, RECORD,
};
use linkaddr::{assert_same_as_ip, assert_show_same, sandbox_ok, sandbox_test, STABLE_IPV6};

/// A state with every kind of line `ip link` prints: loopback, a local veth pair, a veth
/// whose peer is in a named namespace (`link-netns`), a bridge with a port, an alias-free
/// down link, custom MTU and queue length.
const RICH_STATE: &str = "
ip netns add nsa
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
ip link add v2 address 02:00:00:00:00:03 mtu 1400 txqlen 7 type veth peer name v3 netns nsa
ip link add br0 address 02:00:00:00:00:0b type bridge
ip link set veth0 master br0
ip link set veth0 up
ip link set br0 up
ip link set lo up
";

#[test]
fn show_text_and_json_match_ip_on_the_same_state() {
    assert_show_same(
        "show_text_and_json_match_ip_on_the_same_state",
        RICH_STATE,
        &[
            "link",
            "l",
            "link show",
            "link list",
            "link lst",
            "link sh veth0",
            "link show dev veth1",
            "link show up",
            "link show master br0",
            "link show type veth",
            "link show type bridge",
            "link show type bridge_slave",
            "-d link show",
            "-d link show dev br0",
            "-s link show",
            "-j link show",
            "-j link show dev veth0",
            "-j -d link show",
            "-j -p -d link show",
            "-j -s link show",
            "-j link show up",
            "-n nsa link show",
            "-n nsa -j -d link show",
            "-4 link show",
            "link show dev nope",
            "link show nope",
            "link show dev lo extra",
            "link show master nope",
            "link show type",
            "link bogus",
        ],
    );
}

#[test]
fn add_veth_bridge_and_set_attributes_like_ip() {
    assert_same_as_ip(
        "add_veth_bridge_and_set_attributes_like_ip",
        "ip netns add nsa",
        &[
            "$IP link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02",
            "$IP link add name a0 address 02:00:00:00:00:03 mtu 1300 txqlen 5 type veth peer a1 address 02:00:00:00:00:04 mtu 1280",
            "$IP link add dev b0 address 02:00:00:00:00:05 type veth peer name b1 address 02:00:00:00:00:06 netns nsa",
            "$IP link add br0 address 02:00:00:00:00:0b type bridge",
            "$IP link set veth0 master br0",
            "$IP l s dev veth0 up",
            "$IP link set br0 up",
            "$IP link set veth1 mtu 1400 txqlen 10 address 02:00:00:00:00:0c",
            "$IP link set dev veth1 addr 02:00:00:00:00:0d",
            "$IP link set veth0 nomaster",
            "$IP link set veth0 down",
            "$IP link set a0 name renamed0",
            "$IP link set renamed0 netns nsa",
            "$IP link set veth1 arp off multicast off",
            "$IP link set veth1 promisc on",
            "$IP link set lo",
            "$IP link del renamed0",
            "$IP link delete dev veth0",
            "$IP link d br0",
            "$IP link del a1",
        ],
    );
}

#[test]
fn errors_match_ip_and_leave_nothing_behind() {
    assert_same_as_ip(
        "errors_match_ip_and_leave_nothing_behind",
        "ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02",
        &[
            "$IP link add veth0 type veth peer name veth9",
            "$IP link add aaaaaaaaaaaaaaaaaaaa type veth",
            "$IP link add x type veth peer name aaaaaaaaaaaaaaaaaaaa",
            "$IP link add x type nosuch",
            "$IP link add x type veth peer name y netns nope",
            "$IP link add x type veth peer name y bogus",
            "$IP link add x name y type veth",
            "$IP link add x type veth bogus",
            "$IP link add x",
            "$IP link add",
            "$IP link add x type veth peer name",
            "$IP link add x mtu abc type veth",
            "$IP link add x type veth peer name veth0",
            "$IP link del nope",
            "$IP link del dev nope",
            "$IP link delete",
            "$IP link del veth0 veth1",
            "$IP link set nope up",
            "$IP link set",
            "$IP link set dev",
            "$IP link set dev veth0 dev veth0",
            "$IP link set veth0 mtu 10",
            "$IP link set veth0 mtu 100000",
            "$IP link set veth0 mtu abc",
            "$IP link set veth0 txqlen abc",
            "$IP link set veth0 address zz",
            "$IP link set veth0 master nope",
            "$IP link set veth0 netns nope",
            "$IP link set veth0 name aaaaaaaaaaaaaaaaaaaa",
            "$IP link set veth0 name veth1",
            "$IP link set veth0 bogus",
            "$IP link set veth0 arp maybe",
            "$IP link set veth0 master veth1",
            "$IP link bogus",
        ],
    );
}

#[test]
fn netns_by_name_and_pid_moves_links() {
    // The pid is a process in a namespace of the sandbox's own making, never pid 1.
    let Some(out) = sandbox_test(
        "netns_by_name_and_pid_moves_links",
        r#"
ip netns add target
ip netns exec target sleep 30 &
pid=$!
sleep 0.3
"$NSIP" link add a0 type veth peer name a1 netns target
"$NSIP" link add b0 netns target type veth peer name b1
"$NSIP" link add c0 type veth peer name c1
"$NSIP" link set c1 netns "$pid"
echo "root: $(ip -j link show | python3 -c 'import json,sys; print(sorted(l["ifname"] for l in json.load(sys.stdin)))')"
echo "target: $(ip -n target -j link show | python3 -c 'import json,sys; print(sorted(l["ifname"] for l in json.load(sys.stdin)))')"
echo "peer: $("$NSIP" link show a0 | head -1 | grep -o 'a0@if[0-9]*')"
echo "netns: $("$NSIP" link show a0 | grep -o 'link-netns [a-z]*')"
kill $pid
"#,
    ) else {
        return;
    };
    assert!(
        out.contains("root: ['a0', 'b1', 'c0', 'lo']"),
        "root links: {out}"
    );
    assert!(
        out.contains("target: ['a1', 'b0', 'c1', 'lo']"),
        "target links: {out}"
    );
    assert_contains_all(&out, &["peer: a0@if", "netns: link-netns target"]);
}

#[test]
fn failed_add_creates_nothing() {
    // The second end's name is taken, so the kernel refuses the pair: neither end may exist.
    let Some(out) = sandbox_test(
        "failed_add_creates_nothing",
        r#"
ip link add taken type veth peer name other
rc=0; "$NSIP" link add fresh type veth peer name taken 2>/run/err || rc=$?
echo "status $rc"
cat /run/err
ip -j link show | python3 -c 'import json,sys; print("links", sorted(l["ifname"] for l in json.load(sys.stdin)))'
"#,
    ) else {
        return;
    };
    assert_contains_all(&out, &["status 2", "RTNETLINK answers: File exists"]);
    assert!(
        out.contains("links ['lo', 'other', 'taken']"),
        "leftovers: {out}"
    );
}

#[test]
fn details_name_the_kinds_the_scenarios_read() {
    if !can_sandbox("details_name_the_kinds_the_scenarios_read") {
        return;
    }
    let out = sandbox_ok(&format!(
        "{RICH_STATE}\n\"$NSIP\" -j -d link show > /run/j\ncat /run/j\n"
    ));
    let links: serde_json::Value = serde_json::from_str(out.trim()).expect("JSON");
    let find = |name: &str| {
        links
            .as_array()
            .and_then(|a| a.iter().find(|l| l["ifname"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("{name} missing in {out}"))
    };
    assert_eq!(find("veth0")["linkinfo"]["info_kind"], "veth");
    assert_eq!(find("veth0")["linkinfo"]["info_slave_kind"], "bridge");
    assert_eq!(find("br0")["linkinfo"]["info_kind"], "bridge");
    assert_eq!(find("v2")["link_netnsid"], 0);
    assert!(find("lo").get("linkinfo").is_none());
}

/// Runs `batch` with `flags` (e.g. `-force`) through ip and nsip, each in a fresh sandbox
/// made by `setup` (with a namespace `other`, IPv6 addresses not made from MACs), and compares stdout, stderr, status and the
/// end state (links in both namespaces, addresses, routes; MAC addresses masked).
fn batch_same_as_ip(test: &str, flags: &str, setup: &str, batch: &str) {
    BatchRun {
        flags,
        setup: &format!("{STABLE_IPV6}ip netns add other\n{setup}"),
        batch,
        mask: r#"sed -E 's/link\/(ether|none) [0-9a-f:]+( brd [0-9a-f:]+)?/link\/\1 MAC/'"#,
        state: r#"echo "== links"; ip -o link show | mask
echo "== other"; ip -n other -o link show | mask
echo "== addresses"; ip -o -4 addr show
echo "== routes"; ip route show"#,
    }
    .assert_same_as_ip(test);
}

/// A batch that renames, re-adds, deletes and moves links and then uses their names:
/// each later line must act on the link the name means then (or fail as ip fails), never
/// on one a stale name cache remembers.
const RENAMES: &str = "link add xa type veth peer name xp
link set xa up
link set xa name xb
addr add 198.51.100.1/24 dev xa
link add xa type ifb
link set dev xa up
addr add 198.51.100.2/24 dev xa
route add 203.0.113.0/26 dev xa
link del xa
addr add 198.51.100.3/24 dev xa
route add 203.0.113.64/26 dev xa
link add xa type ifb
link set xa up
addr add 198.51.100.4/24 dev xa
link set xb netns other
addr add 198.51.100.5/24 dev xb
link set xp name xb
link set xb up
addr add 198.51.100.6/24 dev xb
link set xb name xc
route add 203.0.113.128/26 dev xb
route add 203.0.113.192/26 dev xc
link del xc
addr add 198.51.100.7/24 dev xc
link show";

#[test]
fn batch_names_follow_renames_deletes_and_moves_with_force() {
    batch_same_as_ip(
        "batch_names_follow_renames_deletes_and_moves_with_force",
        "-force",
        "",
        RENAMES,
    );
}

#[test]
fn batch_names_follow_renames_without_force() {
    // Without -force the batch ends at the first line that fails: the stale name.
    batch_same_as_ip("batch_names_follow_renames_without_force", "", "", RENAMES);
}

/// Veth pairs whose peer is in another namespace (up and down), next to local pairs with
/// a peer down (`M-DOWN`) and up, a bridge with a port, an alias and a group.
const PEERS_ELSEWHERE: &str = "
ip netns add other
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
ip link set v1 netns other
ip link set v0 up
ip -n other link set v1 up
ip link add w0 address 02:00:00:00:00:12 type veth peer name w1 address 02:00:00:00:00:13 netns other
ip link add l0 address 02:00:00:00:00:14 type veth peer name l1 address 02:00:00:00:00:15
ip link set l0 up
ip link add u0 address 02:00:00:00:00:16 type veth peer name u1 address 02:00:00:00:00:17
ip link set u0 up
ip link set u1 up
ip link add br0 address 02:00:00:00:00:18 type bridge
ip link set u1 master br0
ip link set l1 alias 'peer of l0'
ip link set l1 group 5
ip link set w0 group 5
ip addr add 198.51.100.1/24 dev v0
";

#[test]
fn peer_in_another_namespace_has_no_m_down() {
    assert_show_same(
        "peer_in_another_namespace_has_no_m_down",
        PEERS_ELSEWHERE,
        &[
            "link show",
            "link show v0",
            "-j link show",
            "-d link show dev w0",
            "addr show",
            "addr show dev v0",
            "-j addr show",
            "-n other link show",
            "-n other addr show",
            "-n other -j link show",
        ],
    );
}

#[test]
fn oneline_link_matches_ip() {
    assert_show_same(
        "oneline_link_matches_ip",
        PEERS_ELSEWHERE,
        &[
            "-o link show",
            "-o link",
            "-oneline link show dev l1",
            "-o -d link show",
            "-o -s link show dev l0",
            "-o -d link show dev br0",
            "-o -d link show dev u1",
            "-o -j link show",
            "-n other -o link show",
            "-s -s link show",
            "-s -s -j link show",
            "-o -s -s link show dev l0",
            "-s -s addr show dev v0",
        ],
    );
}

#[test]
fn brief_matches_ip() {
    assert_show_same(
        "brief_matches_ip",
        &format!(
            "{PEERS_ELSEWHERE}
ip addr add 198.51.100.9/24 dev v0
ip addr add 203.0.113.1 peer 203.0.113.2/32 dev v0
ip addr add 2001:db8::1/64 dev v0 nodad
ip link set lo up"
        ),
        &[
            "-br link",
            "-brief link show",
            "-br -j link",
            "-br link show up",
            "-br -j link show group 5",
            "-br -d -s link",
            "-br -o link",
            "-br link show dev l1",
            "-n other -br link",
            "-br addr",
            "-br -j addr",
            "-br a show dev v0",
            "-br -4 addr",
            "-br -6 -j addr",
            "-br addr show up",
            "-br -o addr",
            "-br addr show group 5",
            "-br addr show to 198.51.100.9",
            "-br route",
        ],
    );
}

#[test]
fn groups_show_like_ip() {
    assert_show_same(
        "groups_show_like_ip",
        PEERS_ELSEWHERE,
        &[
            "link show group 5",
            "link show group default",
            "link show group 0x5",
            "link show group 5 group 0",
            "link show dev l1 group 5",
            "link show dev l0 group 5",
            "-j link show group 5",
            "-j link show dev l0 group 5",
            "-j link show dev l0 master br0",
            "-j link show type bridge_slave",
            "-o link show group 5 up",
            "link show group abc",
            "link show group 4294967295",
            "link show group",
        ],
    );
}

/// A bridge and two veth pairs (`v0`-`v1`, `w0`-`w1`), with fixed MACs.
const BRIDGE_AND_TWO_VETHS: &str = "ip link add br0 address 02:00:00:00:00:0b type bridge
ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
ip link add w0 address 02:00:00:00:00:03 type veth peer name w1 address 02:00:00:00:00:04
";

#[test]
fn group_set_and_delete_like_ip() {
    assert_same_as_ip(
        "group_set_and_delete_like_ip",
        BRIDGE_AND_TWO_VETHS,
        &[
            "$IP link set dev v0 group 5",
            "$IP link set w0 group 5 mtu 1400",
            "$IP link set group 5 up",
            "$IP link set group 5 mtu 1300 br0",
            "$IP link add z0 address 02:00:00:00:00:05 group 6 type veth peer name z1 group 7 address 02:00:00:00:00:06",
            "$IP link add z2 type veth peer group 7",
            "$IP link add group 5 type bridge",
            "$IP link del group 5 type veth peer name q",
            "$IP link set group 6 foo bar",
            "$IP link set dev v0 group 2 group 3",
            "$IP link set dev v0 group nope",
            "$IP link del group 9",
            "$IP link del group 5 v1",
            "$IP link del group 5",
            "$IP link del group 7 type veth",
            "$IP link set dev br0 group default",
        ],
    );
}

#[test]
fn alias_set_and_cleared_like_ip() {
    assert_same_as_ip(
        "alias_set_and_cleared_like_ip",
        "ip link add x0 address 02:00:00:00:00:01 type veth peer name x1 address 02:00:00:00:00:02",
        &[
            "$IP link set dev x0 alias 'hello world' mtu 1400",
            "$IP -d link show x0",
            "$IP -j link show x0",
            "$IP addr show x0",
            "$IP link set alias second x1",
            "$IP link set dev x0 al ''",
            "$IP link add y0 address 02:00:00:00:00:03 alias first type veth peer name y1 address 02:00:00:00:00:04 alias other",
            "$IP link set dev x0 alias",
            "$IP link set dev x0 alias aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "$IP link set dev x0 alias foo bar",
        ],
    );
}

/// `monitor file` of a recording where a veth's peer moves to another namespace: the
/// peer is named from this namespace's table when the recording has not named it yet (as
/// ip does), and a peer elsewhere gets no `M-DOWN`; the move's `Deleted` event names
/// where the link went.
#[test]
fn monitor_file_peers_like_ip() {
    let test = "monitor_file_peers_like_ip";
    if !can_record(test) {
        return;
    }
    let out = sandbox_ok(&format!(
        r#"{RECORD}
ip netns add other
ip link add v0 address 02:00:00:00:00:10 type veth peer name v1 address 02:00:00:00:00:11
record_start link
ip link set v1 up
ip link set v1 netns other
ip link set v0 up
ip -n other link set v1 up
ip link add w0 address 02:00:00:00:00:12 type veth peer name w1 address 02:00:00:00:00:13 netns other
record_stop 0.3
echo "== ip"; ip monitor file /run/rec.bin | grep -v '^Timestamp'
ip -o monitor file /run/rec.bin | grep -v '^Timestamp'
echo "== nsip"; "$NSIP" monitor file /run/rec.bin | grep -v '^Timestamp'
"$NSIP" -o monitor file /run/rec.bin | grep -v '^Timestamp'
"#
    ));
    assert_same_sections(&out, &["link-netns other"]);
}

/// Interface names are bytes: a name that is not UTF-8 reaches the kernel as the very
/// bytes given, for a new link, a peer, a rename and a lookup.
#[test]
fn names_that_are_not_utf8_keep_their_bytes() {
    assert_same_as_ip(
        "names_that_are_not_utf8_keep_their_bytes",
        "",
        &[
            r"$IP link add $'a\xff' address 02:00:00:00:00:01 type veth peer name $'b\xfe' address 02:00:00:00:00:02",
            r"$IP link set $'a\xff' name $'c\xfd\xfc'",
            r"$IP link set dev $'c\xfd\xfc' mtu 1400 up",
            r"$IP link set dev $'a\xff' up",
            r"$IP link add $'\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff' type veth",
            r"$IP link del $'b\xfe'",
        ],
    );
}

/// `-d` for the kinds a user makes to join namespaces on two hosts or share an uplink:
/// vxlan (IPv4, IPv6, multicast, external, every switch ip prints) and macvlan/macvtap
/// (every mode, a source list), each fetched alone and in a dump, text and JSON.
#[test]
fn details_of_vxlan_and_macvlan_match_ip() {
    const KINDS: &str = "
ip link add v0 type veth peer name v1
ip link add mv0 link v0 type macvlan mode bridge
ip link add mv1 link v0 type macvlan mode private bcqueuelen 50
ip link add mv3 link v1 type macvlan mode passthru nopromisc
ip link add mv4 link v0 type macvlan mode source
ip link set mv4 type macvlan macaddr add 02:00:00:00:00:01
ip link set mv4 type macvlan macaddr add 02:00:00:00:00:02
ip link add mvt0 link v0 type macvtap mode vepa
ip link add vx0 type vxlan id 42 dstport 4789 remote 198.51.100.2 dev v0
ip link add vx1 type vxlan id 43 group 239.1.1.1 dev v0 dstport 0 ttl 10 tos 0x10 nolearning ageing 100 l2miss l3miss proxy rsc maxaddress 10 srcport 100 200 noudpcsum
ip link add vx2 type vxlan id 44 local 198.51.100.1 remote 198.51.100.3 dstport 4790 df set gbp
ip link add vx3 type vxlan external dstport 4791
ip link add vx4 type vxlan id 45 remote 2001:db8::2 local 2001:db8::1 dstport 4789 udp6zerocsumtx udp6zerocsumrx flowlabel 0x12345 ttl inherit
ip link add vx5 type vxlan id 46 dstport 4789 tos inherit df inherit ageing 0 remcsumtx remcsumrx
ip link add vx6 type vxlan id 47 dstport 4789 group ff05::1 dev v0
";
    let mut lines: Vec<String> = vec!["-d link show".into(), "-d -j link show".into()];
    for dev in [
        "mv0", "mv1", "mv3", "mv4", "mvt0", "vx0", "vx1", "vx2", "vx3", "vx4", "vx5", "vx6",
    ] {
        lines.push(format!("-d link show dev {dev}"));
        lines.push(format!("-d -j link show dev {dev}"));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    assert_show_same("details_of_vxlan_and_macvlan_match_ip", KINDS, &lines);
}

/// `link add link DEV ... type macvlan|macvtap` with ip's words and errors: the lower
/// device, every mode, the flags and the broadcast queue length; `set ... type macvlan`.
#[test]
fn macvlan_add_and_set_like_ip() {
    assert_same_as_ip(
        "macvlan_add_and_set_like_ip",
        "ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02",
        &[
            "$IP link add link v0 name mv0 address 02:00:00:00:01:00 type macvlan mode bridge",
            "$IP link add mv1 address 02:00:00:00:01:01 link v0 type macvlan",
            "$IP link add link v0 mv2 type macvlan mode bogus",
            "$IP link add link v0 mv2 type macvlan foo",
            "$IP link add link v0 mv2 type macvlan mode",
            "$IP link add link nosuch mv2 type macvlan",
            "$IP link add link v0 mv2 type macvlan mode passthru nopromisc",
            "$IP link add link v0 mv3 type macvlan nopromisc",
            "$IP link add link v0 mv4 address 02:00:00:00:01:04 type macvtap mode private bcqueuelen 10",
            "$IP link add link v0 mv5 type macvlan help",
            "$IP link add link v0 link v1 mv6 address 02:00:00:00:01:06 type macvlan",
            "$IP link set dev mv0 type macvlan mode vepa",
            "$IP link add link v0 mv7 type macvlan bcqueuelen x",
            "$IP link add link v0 mv9 address 02:00:00:00:01:09 type macvlan mode source nodst bcqueuelen 5",
            "$IP -d link show mv9",
        ],
    );
}

/// `link add ... type vxlan ...` (the way to join namespaces on two hosts) and `link set
/// ... type vxlan ...`, with ip's words, warnings, errors and exit statuses.
#[test]
fn vxlan_add_and_set_like_ip() {
    assert_same_as_ip(
        "vxlan_add_and_set_like_ip",
        "ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02",
        &[
            "$IP link add vx0 address 02:00:00:00:02:00 type vxlan id 42 dstport 4789 remote 198.51.100.2 dev v0",
            "$IP link add vx1 address 02:00:00:00:02:01 type vxlan id 43",
            "$IP link add vx2 type vxlan dstport 4789",
            "$IP link add vx2 type vxlan id 16777216 dstport 0",
            "$IP link add vx2 type vxlan id 5 group 198.51.100.1 dstport 0",
            "$IP link add vx2 type vxlan id 5 remote 239.1.1.1 dstport 0",
            "$IP link add vx2 type vxlan id 5 group 239.1.1.1 dstport 0",
            "$IP link add vx2 type vxlan id 5 group 239.1.1.1 remote 198.51.100.1 dev v0",
            "$IP link add vx2 type vxlan id 5 dev nosuch",
            "$IP link add vx2 type vxlan id 5 id 6",
            "$IP link add vx2 type vxlan id 5 bogus",
            "$IP link add vx2 type vxlan id 5 ttl 300",
            "$IP link add vx2 type vxlan id 5 remote nothing",
            "$IP link add vx3 address 02:00:00:00:02:03 type vxlan vni 44 local 198.51.100.1 remote 198.51.100.3 dstport 4790 ttl 64 tos 0x10 nolearning proxy rsc l2miss l3miss ageing 100 maxaddress 10 srcport 100 200 noudpcsum",
            "$IP link add vx4 address 02:00:00:00:02:04 type vxlan id 45 remote 2001:db8::2 local 2001:db8::1 dstport 4789 udp6zerocsumtx udp6zerocsumrx ttl inherit",
            "$IP link add vx5 address 02:00:00:00:02:05 type vxlan external dstport 4791",
            "$IP link add vx6 address 02:00:00:00:02:06 type vxlan id 47 dstport 4789 group 239.1.1.2 dev v0 ttl auto tos inherit ageing none maxaddress unlimited learning",
            "$IP link set vx0 type vxlan ageing 50",
            "$IP link set vx0 type vxlan nolearning",
            "$IP link add vx7 type vxlan id 48 dstport 4789 external",
        ],
    );
}

/// Bridge options at creation and later (`type bridge OPTION VALUE ...`), with ip's words,
/// errors and exit statuses; the kernel state read back in full with `-d -j`.
#[test]
fn bridge_options_like_ip() {
    assert_same_as_ip(
        "bridge_options_like_ip",
        "",
        &[
            "$IP link add br0 address 02:00:00:00:00:0b type bridge forward_delay 400 hello_time 300 max_age 2500 priority 100 ageing_time 1000 mcast_snooping 0 stp_state 0 vlan_default_pvid 10",
            "$IP link add br1 type bridge foo",
            "$IP link add br1 type bridge stp_state x",
            "$IP link add br1 type bridge priority 70000",
            "$IP link add br1 type bridge stp_state",
            "$IP link add br1 type bridge help",
            "$IP link set dev br0 type bridge priority 5 hello_time 0x100",
            "$IP link add br1 address 02:00:00:00:00:0c type bridge forward_delay 400 forward_delay 500",
            "$IP link add br2 type bridge mcast_snooping 300",
            "$IP link add br2 type bridge max_age -1",
            "$IP link add br2 address 02:00:00:00:00:0d type bridge ageing_time 0 mcast_snooping 1 nf_call_iptables 1 mcast_query_interval 2000 mcast_hash_max 512",
            "$IP -d link show br2",
        ],
    );
}

/// Bridge port options (`type bridge_slave ...`), with ip's words, errors and statuses.
#[test]
fn bridge_port_options_like_ip() {
    assert_same_as_ip(
        "bridge_port_options_like_ip",
        &format!("{BRIDGE_AND_TWO_VETHS}ip link set v0 master br0\nip link set w0 master br0"),
        &[
            "$IP link set dev v0 type bridge_slave priority 10 cost 50 guard on hairpin on fastleave on root_block on learning off flood off proxy_arp on mcast_flood off bcast_flood off mcast_to_unicast on neigh_suppress on vlan_tunnel off isolated on",
            "$IP link set dev v0 type bridge_slave state 0",
            "$IP link set dev w0 type bridge_slave state blocking",
            "$IP link set dev w0 type bridge_slave guard maybe",
            "$IP link set dev w0 type bridge_slave priority x",
            "$IP link set dev w0 type bridge_slave frob",
            "$IP link set dev w0 type bridge_slave mcast_router 2 backup_port v0",
            "$IP link set dev w0 type bridge_slave backup_port nosuch",
            "$IP link set dev w0 type bridge_slave cost",
            "$IP link set dev w0 type bridge_slave mcast_fast_leave on learning on group_fwd_mask 8 locked on",
            "$IP link set dev w0 type bridge_slave nobackup_port fdb_flush",
            "$IP link set dev w0 type bridge_slave help",
        ],
    );
}

/// Hundreds of links, listed while the dump is still arriving (many datagrams, output
/// written in several blocks): each veth's peer, a port's bridge and a port's backup port
/// come later in the dump than the link that names them, a peer is in another namespace,
/// and some links have addresses. Every listing must still be ip's, byte for byte.
#[test]
fn many_links_list_as_ip_while_the_dump_arrives() {
    let setup = "
ip netns add nsa
awk 'BEGIN { for (i = 1; i <= 150; i++) printf \"link add veth%d type veth peer name vpeer%d\\n\", i, i }' >/tmp/veths
ip -batch /tmp/veths
ip link add ns0 type veth peer name ns1 netns nsa
awk 'BEGIN { for (i = 151; i <= 300; i++) printf \"link add veth%d type veth peer name vpeer%d\\n\", i, i }' >/tmp/veths
ip -batch /tmp/veths
awk 'BEGIN { for (i = 1; i <= 300; i += 7) printf \"addr add 198.51.%d.%d/24 dev veth%d\\n\", i / 250, i % 250 + 1, i }' >/tmp/addrs
ip -batch /tmp/addrs
ip link add br0 type bridge
ip link set vpeer2 master br0
ip link set vpeer200 master br0
ip link set vpeer2 type bridge_slave backup_port vpeer200
ip link set lo up
";
    assert_show_same(
        "many_links_list_as_ip_while_the_dump_arrives",
        setup,
        &[
            "link show",
            "-j link show",
            "-br link show",
            "-o link show",
            "-s link show",
            "-d link show",
            "-j -d link show",
            "link show master br0",
            "link show type veth",
            "addr show",
            "-j addr show",
            "-br addr show",
            "-o addr show",
            "-4 addr show",
            "-6 -j addr show",
            "-s addr show",
        ],
    );
}
