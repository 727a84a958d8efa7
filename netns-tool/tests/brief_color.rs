//! `-c` / `-color` and `-br` / `-brief`, checked against iproute2's ip 6.1 on the same
//! state in throwaway sandboxes: the escape sequences around names, MAC addresses, IPv4 and
//! IPv6 addresses and operstates in `link`, `addr`, `route` and `monitor` output; when ip
//! paints at all (`=always`/`=auto`/`=never`, a terminal, `-j`, `COLORFGBG`); and the brief
//! listings' columns.

mod common;
mod linkaddr;

use common::{can_sandbox, ip_and_nsip, sandbox_ok};
use linkaddr::assert_show_same;

/// Every kind of value ip paints: links up and down (a veth pair, a bridge with a port, a
/// peer in another namespace, a 15-character name whose `@peer` overflows the column), IPv4
/// and IPv6 addresses with a peer and a broadcast, and routes with gateways, `via inet6`,
/// source prefixes, next hops, and kernel-made local and broadcast ones.
const PAINTED_STATE: &str = "
ip netns add other
ip link set lo up
ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
ip link add br0 address 02:00:00:00:00:0b type bridge
ip link set v1 master br0
ip link add abcdefghijklmno address 02:00:00:00:00:05 type veth peer name p address 02:00:00:00:00:06
ip link add vx address 02:00:00:00:00:07 type veth peer name vxp netns other
ip link set v0 up
ip link set v1 up
ip link set br0 up
ip addr add 198.51.100.9/24 dev v0
ip addr add 198.51.100.77/24 brd + dev v0 label v0:x
ip addr add 203.0.113.1 peer 203.0.113.2/32 dev v0
ip addr add 2001:db8::1/64 dev v0 nodad
ip addr add 198.18.0.1/16 dev br0
ip route add default via 198.51.100.1 dev v0
ip route add 198.18.5.0/24 nexthop via 198.51.100.2 dev v0 weight 2 nexthop via 198.51.100.3 dev v0
ip route add blackhole 198.18.6.0/24
ip route add 198.18.20.0/24 via inet6 2001:db8::2 dev v0
ip -6 route add 2001:db8:5::/64 via 2001:db8::2 dev v0
ip -6 route add 2001:db8:9::/64 from 2001:db8:1::/64 via 2001:db8::2 dev v0
sysctl -qw net.ipv4.ip_forward=1
";

const CYAN: &str = "\x1b[36m";
const CLEAR: &str = "\x1b[0m";

#[test]
fn painted_listings_match_ip() {
    assert_show_same(
        "painted_listings_match_ip",
        PAINTED_STATE,
        &[
            "-c link",
            "-c addr",
            "-c -o link",
            "-c -o addr",
            "-c -d link show v1",
            "-c -s link show v0",
            "-c -4 addr show dev v0",
            "-c -n other link",
            "-c route",
            "-c -6 route",
            "-c -d route",
            "-c route show table local",
            "-c route get 203.0.113.5",
            "-c route get 203.0.113.5 from 198.51.100.2 iif v0",
            "-c -6 route get 2001:db8:5::1",
            "-c -br link",
            "-c -br addr",
            "-c -br -6 addr",
            "-c -br -o addr",
            "-c -br link show dev abcdefghijklmno",
        ],
    );
}

#[test]
fn when_ip_paints_matches_ip() {
    assert_show_same(
        "when_ip_paints_matches_ip",
        PAINTED_STATE,
        &[
            // Into a pipe: `-c` alone and `=always` paint, `=auto` and `=never` do not.
            "-color link show v0",
            "--color=always addr show v0",
            "-col= link show v0",
            "-c=auto addr show v0",
            "-c=never link show v0",
            "-c -c=never link show v0",
            "-c=never -c link show v0",
            // JSON is never painted.
            "-c -j addr show v0",
            "-c -br -j addr",
            "-c -j -p link show v0",
            // Only -color takes a value, and only these.
            "-c=bogus link",
            "-c=Always link",
            "-colors link",
            "-j=x link",
            "-br=1 link",
        ],
    );
}

/// ip's `-c` output for `line` and nsip's, each under `env` (`VAR=value ...`, may be
/// empty), run through `script` when `tty` so that stdout is a terminal.
fn painted_pair(env: &str, line: &str, tty: bool) -> (String, String) {
    let run = |tool: &str| {
        if tty {
            format!("{env} script -q -e -c '{tool} {line}' /dev/null")
        } else {
            format!("{env} {tool} {line}")
        }
    };
    let script = format!(
        "{PAINTED_STATE}\necho '== ip'\n{}\necho '== nsip'\n{}\n",
        run("ip"),
        run("\"$NSIP\"")
    );
    ip_and_nsip(&sandbox_ok(&script))
}

#[test]
fn background_terminal_and_no_color_match_ip() {
    if !can_sandbox("background_terminal_and_no_color_match_ip") {
        return;
    }
    let dark = painted_pair("COLORFGBG='15;0'", "-c addr", false);
    assert!(
        dark.0.contains("\x1b[1;36m"),
        "ip paints bold: {:?}",
        dark.0
    );
    assert_eq!(dark.1, dark.0, "COLORFGBG=15;0");
    for env in ["COLORFGBG='0;15'", "COLORFGBG='15;default;0'", "NO_COLOR=1"] {
        let (ip, ours) = painted_pair(env, "-c -br link", false);
        assert!(
            ip.contains(CYAN) || ip.contains("\x1b[1;36m"),
            "{env}: {ip:?}"
        );
        assert_eq!(ours, ip, "{env}");
    }
    // `=auto` paints into a terminal; no option never does.
    let (ip, ours) = painted_pair("", "-c=auto -br addr", true);
    assert!(ip.contains(CYAN), "ip paints a terminal: {ip:?}");
    assert_eq!(ours, ip, "-c=auto on a terminal");
    let (ip, ours) = painted_pair("", "-br addr", true);
    assert!(!ip.contains('\x1b'), "{ip:?}");
    assert_eq!(ours, ip, "no -c on a terminal");
}

#[test]
fn neighbours_brief_and_painted_match_ip() {
    assert_show_same(
        "neighbours_brief_and_painted_match_ip",
        &format!(
            "{PAINTED_STATE}
ip neigh add 198.51.100.2 lladdr 02:00:00:00:00:aa dev v0 nud permanent
ip neigh add 2001:db8::2 lladdr 02:00:00:00:00:bb dev v0 nud permanent
ip neigh add 198.18.0.2 lladdr 02:00:00:00:00:cc dev br0 nud permanent"
        ),
        &[
            "-c neigh",
            "-c neigh show dev v0",
            "-c -4 neigh get 198.51.100.2 dev v0",
            "-br neigh",
            "-c -br neigh",
            "-br neigh show dev v0",
            "-c -br -6 neigh",
            "-br -j neigh",
            "-br -j -p neigh show dev br0",
            "-c -j neigh",
        ],
    );
}

/// `ip OPTIONS monitor link address route` and nsip's, both watching the same events
/// (neighbour and netconf events are left out).
fn monitor_pair(options: &str) -> (String, String) {
    let out = sandbox_ok(&format!(
        r#"
ip link set lo up
ip {options} monitor link address route > /run/ip.txt 2>&1 &
IP_PID=$!
"$NSIP" {options} monitor link address route > /run/nsip.txt 2>&1 &
NSIP_PID=$!
sleep 0.5
ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02
ip addr add 198.51.100.9/24 dev v0
ip addr add 203.0.113.1 peer 203.0.113.2/32 dev v0
ip addr add 2001:db8::1/64 dev v0 nodad
ip link set v0 up
ip link set v1 up
ip route add 203.0.113.0/24 via 198.51.100.1 dev v0
ip link del v0
sleep 0.5
kill "$IP_PID" "$NSIP_PID"
echo '== ip'; cat /run/ip.txt; echo
echo '== nsip'; cat /run/nsip.txt; echo
"#
    ));
    ip_and_nsip(&out)
}

#[test]
fn painted_and_brief_monitor_match_ip() {
    if !can_sandbox("painted_and_brief_monitor_match_ip") {
        return;
    }
    let (ip, ours) = monitor_pair("-c");
    assert!(
        ip.contains(&format!("{CYAN}v0@v1: {CLEAR}")) && ip.contains("\x1b[35m198.51.100.9"),
        "ip paints its events: {ip:?}"
    );
    assert_eq!(ours, ip, "-c monitor");
    // ip's brief printers leave their line ends out in a monitor: events run together.
    let (ip, ours) = monitor_pair("-br");
    assert!(
        ip.contains("v0@v1            DOWN           198.51.100.9/24 "),
        "{ip:?}"
    );
    assert_eq!(ours, ip, "-br monitor");
    let (ip, ours) = monitor_pair("-c -br");
    assert_eq!(ours, ip, "-c -br monitor");
}

/// C pads `%-16s` by bytes, not characters, and names are bytes: a multi-byte name is
/// padded less, and one that is not UTF-8 keeps its bytes, in every listing.
#[test]
fn names_pad_by_bytes_and_keep_their_bytes() {
    assert_show_same(
        "names_pad_by_bytes_and_keep_their_bytes",
        r"ip link add $'caf\xc3\xa9' address 02:00:00:00:00:01 type veth peer name $'n\xff\xfe' address 02:00:00:00:00:02
ip link add $'\xe2\x82\xacuro' address 02:00:00:00:00:03 type ifb
ip link add br0 address 02:00:00:00:00:0b type bridge
ip link set $'caf\xc3\xa9' master br0
ip link set $'n\xff\xfe' up",
        &[
            "-br link",
            "-br addr",
            "-c -br link",
            "-br -j link",
            "link",
            "-o link",
            "-j link",
        ],
    );
}

#[test]
fn brief_listings_match_ip() {
    assert_show_same(
        "brief_listings_match_ip",
        PAINTED_STATE,
        &[
            "-br link",
            "-br addr",
            "-brief -4 addr",
            "-br -6 addr show up",
            "-br -j addr",
            "-br -j -p link",
            "-br -o link",
            "-br -o addr",
            "-br link show dev abcdefghijklmno",
            "-br link show master br0",
            "-br link show type bridge",
            "-br addr show dev lo",
            "-br addr show v0",
            "-br -s link show v0",
            "-br -n other link",
            "-br -n other addr",
            // Filters that hide addresses: ip's JSON keeps an empty object for each, and
            // under `label` the line has no name (nor any group test).
            "-br addr show label v0:x",
            "-br -j addr show label v0*",
            "-br addr show label v0:x group 5",
            "-br -j addr show nodad",
            "-br -j -4 addr show secondary",
            "-br -j addr show scope link",
            "-br -j addr show to 198.51.100.0/24",
        ],
    );
}
