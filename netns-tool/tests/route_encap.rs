//! Routes with a lightweight tunnel encapsulation (`encap ip|ip6|seg6|seg6local|mpls|xfrm`),
//! printed by nsip as ip 6.1 prints them.
//!
//! The kernel here takes ip, ip6, seg6 and seg6local encapsulations: ip adds such routes in
//! a sandbox and both tools list them. It refuses mpls and xfrm (no driver), so for those
//! the request ip sent (tests/fixtures/encap, recorded by `scripts/record-golden.sh --cases
//! tests/fixtures/encap/cases.txt --out tests/fixtures/encap`) is turned into the message a
//! kernel dump would carry, and both tools print it with `monitor file`.

mod common;

use std::path::Path;

use common::assert_side_by_side_showing;

const VETH: &str = concat!(
    include_str!("common/veth_pair.sh"),
    "ip addr add 192.0.2.2/24 dev veth0
ip -6 addr add 2001:db8::2/64 dev veth0 nodad
"
);

#[test]
fn encapsulated_routes_list_as_ip_lists_them() {
    let setup = format!(
        "{VETH}
ip route add 198.51.101.0/24 encap ip id 10 dst 203.0.113.1 dev veth0
ip route add 198.51.102.0/24 encap ip id 10 src 192.0.2.2 dst 203.0.113.1 tos 0x10 ttl 64 key csum seq dev veth0
ip route add 198.51.103.0/24 encap ip6 id 11 dst 2001:db8::9 hoplimit 5 tc 3 dev veth0
ip route add 198.51.104.0/24 encap seg6 mode encap segs 2001:db8::5,2001:db8::6 dev veth0
ip route add 198.51.105.0/24 nexthop via 192.0.2.3 dev veth0 encap ip id 3 dst 203.0.113.3 nexthop via 192.0.2.4 dev veth0
ip -6 route add 2001:db8:6::/64 encap seg6 mode encap segs 2001:db8::5 hmac 5 dev veth0
ip -6 route add 2001:db8:7::/64 encap seg6 mode inline segs 2001:db8::5 dev veth0
ip -6 route add 2001:db8:8::/64 encap seg6local action End dev veth0
ip -6 route add 2001:db8:9::/64 encap seg6local action End.X nh6 2001:db8::3 count dev veth0
ip -6 route add 2001:db8:a::/64 encap seg6local action End.T table 100 dev veth0
ip -6 route add 2001:db8:b::/64 encap seg6local action End.DX4 nh4 192.0.2.9 dev veth0
ip -6 route add 2001:db8:c::/64 encap seg6local action End.B6 srh segs 2001:db8::7,2001:db8::8 dev veth0
ip -6 route add 2001:db8:d::/64 encap seg6local action End flavors next-csid lblen 32 nflen 16 dev veth0
"
    );
    assert_side_by_side_showing(
        "encapsulated_routes_list_as_ip_lists_them",
        &setup,
        &[
            "route show",
            "-6 route show",
            "-j route show",
            "-j -6 route show",
            "-d -s route show table all",
            "-s -j -6 route show",
            "-o route show",
            "-c route show",
            "-c -6 route show",
            "route get 198.51.101.1",
            "route show table all encap",
        ],
        &[" encap ip id 10 src 192.0.2.2 dst 203.0.113.1 ttl 64 tos 16 key csum seq "],
    );
}

/// The message of a recorded request, as a kernel dump carries it: the kernel nests
/// `RTA_ENCAP` without `NLA_F_NESTED` (ip's own parser skips it when the flag is set).
fn dump_of_request(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/encap")
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut msg: Vec<u8> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(|h| u8::from_str_radix(h, 16).expect("hex"))
        .collect();
    // nlmsghdr (16) + rtmsg (12), then the attributes.
    clear_encap_nested_flag(&mut msg, 28);
    msg
}

const RTA_MULTIPATH: u16 = 9;
const RTA_ENCAP: u16 = 22;
const NLA_F_NESTED: u16 = 0x8000;

/// Clears `NLA_F_NESTED` on every `RTA_ENCAP` among the attributes from `start` on, and in
/// the next hops of an `RTA_MULTIPATH`.
fn clear_encap_nested_flag(msg: &mut [u8], start: usize) {
    let mut pos = start;
    while pos + 4 <= msg.len() {
        let len = usize::from(u16::from_ne_bytes([msg[pos], msg[pos + 1]]));
        let kind = u16::from_ne_bytes([msg[pos + 2], msg[pos + 3]]);
        if len < 4 || pos + len > msg.len() {
            break;
        }
        if kind & !NLA_F_NESTED == RTA_ENCAP {
            msg[pos + 2..pos + 4].copy_from_slice(&RTA_ENCAP.to_ne_bytes());
        }
        if kind & 0x3fff == RTA_MULTIPATH {
            clear_hops(&mut msg[pos + 4..pos + len]);
        }
        pos += (len + 3) & !3;
    }
}

/// The next hops (`struct rtnexthop`, 8 bytes, then its attributes) of `RTA_MULTIPATH`.
fn clear_hops(hops: &mut [u8]) {
    let mut pos = 0;
    while pos + 8 <= hops.len() {
        let len = usize::from(u16::from_ne_bytes([hops[pos], hops[pos + 1]]));
        if len < 8 || pos + len > hops.len() {
            break;
        }
        clear_encap_nested_flag(&mut hops[pos..pos + len], 8);
        pos += (len + 3) & !3;
    }
}

#[test]
fn encapsulations_the_kernel_lacks_print_as_ip_prints_them() {
    let names = [
        "encap-mpls",
        "encap-mpls-nexthop",
        "encap-xfrm",
        "encap-ip",
        "encap-ip6",
        "encap-seg6-hmac",
        "encap-seg6local-end-x",
        "encap-seg6local-flavors",
    ];
    let dumps: Vec<u8> = names.iter().flat_map(|n| dump_of_request(n)).collect();
    let file = std::env::temp_dir().join(format!("nsip-encap-{}.bin", std::process::id()));
    std::fs::write(&file, &dumps).expect("write the messages");
    let path = file.display().to_string();
    let commands: Vec<String> = ["", "-s ", "-d ", "-o ", "-c "]
        .iter()
        .map(|opt| format!("{opt}monitor file {path}"))
        .collect();
    let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
    assert_side_by_side_showing(
        "encapsulations_the_kernel_lacks_print_as_ip_prints_them",
        VETH,
        &commands,
        &[
            " encap mpls  100/200 ttl 10 via 192.0.2.1 dev veth0",
            "nexthop  encap mpls  300 via 192.0.2.1",
            " encap xfrm if_id 5 link_dev veth0 ",
            "hmac 7 ",
            " encap seg6local action End flavors psp,usd ",
        ],
    );
    let _ = std::fs::remove_file(&file);
}
