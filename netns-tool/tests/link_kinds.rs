//! Link kinds beyond veth, bridge, macvlan and vxlan: vlan, ipvlan/ipvtap, vrf, ifb.
//!
//! The kernel here has ifb but no vlan, ipvlan or vrf driver: for those, nsip's words,
//! errors and exit statuses are compared with ip's (the kernel refuses the request after
//! it is sent; tests/golden.rs compares the bytes), and their `-d` details are printed by
//! both from dump messages netlink-core builds, with `monitor file`.

mod common;
mod linkaddr;

use common::{can_sandbox, side_by_side};
use linkaddr::{assert_same_as_ip, assert_show_same};
use netlink_core::route::{KindAttr, LinkAttrs, LinkKind, LinkRequest};
use netlink_core::wire::Builder;

const VETH: &str =
    "ip link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02";

#[test]
fn vlan_words_and_errors_like_ip() {
    assert_same_as_ip(
        "vlan_words_and_errors_like_ip",
        VETH,
        &[
            "$IP link add link v0 name v0.10 type vlan id 10",
            "$IP link add link v0 name x0 type vlan",
            "$IP link add link v0 name x0 type vlan i 3 p 802.1AD r on g on m off l on b off",
            "$IP link add link v0 name x0 type vlan id 3 protocol 0x8100",
            "$IP link add link v0 name x0 type vlan id 5000",
            "$IP link add link v0 name x0 type vlan id x",
            "$IP link add link v0 name x0 type vlan id",
            "$IP link add link v0 name x0 type vlan protocol foo id 3",
            "$IP link add link v0 name x0 type vlan reorder_hdr maybe",
            "$IP link add link v0 name x0 type vlan bogus",
            "$IP link add link v0 name x0 type vlan help",
            "$IP link add link v0 name x0 type vlan id 3 ingress-qos-map 1:2 3:4 egress-qos-map 5:6",
            "$IP link add link v0 name x0 type vlan id 3 ingress-qos-map 1:x",
            "$IP link add link v0 name x0 type vlan id 3 egress-qos-map a:1",
            "$IP link add link v0 name x0 type vlan id 3 egress-qos-map",
            "$IP link add link v0 name x0 type vlan id 3 ingress-qos-map x",
            "$IP link add link nosuch name x0 type vlan id 3",
            "$IP link set dev v0 type vlan id 4",
        ],
    );
}

#[test]
fn ipvlan_vrf_ifb_words_and_errors_like_ip() {
    assert_same_as_ip(
        "ipvlan_vrf_ifb_words_and_errors_like_ip",
        VETH,
        &[
            "$IP link add link v0 name i0 type ipvlan mode l3 private",
            "$IP link add link v0 name i0 type ipvlan",
            "$IP link add link v0 name i0 type ipvtap mode l2s",
            "$IP link add link v0 name i0 type ipvlan mode l4",
            "$IP link add link v0 name i0 type ipvlan foo",
            "$IP link add link v0 name i0 type ipvlan private vepa",
            "$IP link add link v0 name i0 type ipvlan b m l3s",
            "$IP link add link v0 name i0 type ipvtap help",
            "$IP link add link v0 name i0 type ipvlan mode",
            "$IP link add r0 type vrf table 10",
            "$IP link add r0 type vrf table main",
            "$IP link add r0 type vrf",
            "$IP link add r0 type vrf table",
            "$IP link add r0 type vrf table foo",
            "$IP link add r0 type vrf bogus",
            "$IP link add r0 type vrf help",
            "$IP link add f0 address 02:00:00:00:00:0f type ifb",
            "$IP link add f1 address 02:00:00:00:00:1f mtu 1400 txqlen 50 type ifb",
            "$IP -d link show f1",
            "$IP link add f2 address 02:00:00:00:00:2f type ifb foo help",
            "$IP link add d0 type dummy foo",
        ],
    );
}

#[test]
fn details_of_ifb_match_ip() {
    assert_show_same(
        "details_of_ifb_match_ip",
        "ip link add f0 address 02:00:00:00:00:0f type ifb\nip link set f0 up",
        &[
            "-d link show",
            "-d -j link show",
            "-d -o link show dev f0",
            "-d -br link show",
        ],
    );
}

const IFF_BROADCAST: u32 = 0x2;
const IFF_MULTICAST: u32 = 0x1000;

/// The message a kernel dump would carry for a link of `kind` over `link` with `data`:
/// netlink-core's request builder, the kind NUL-terminated as the kernel sends it.
fn dump_message(
    index: i32,
    name: &str,
    link: Option<u32>,
    kind: &str,
    data: &[KindAttr<'_>],
) -> Vec<u8> {
    let kind_z = format!("{kind}\0");
    let request = LinkRequest {
        index,
        flags: IFF_BROADCAST | IFF_MULTICAST,
        attrs: LinkAttrs {
            name: Some(name.as_bytes()),
            link,
            ..LinkAttrs::default()
        },
        kind: Some(if data.is_empty() {
            LinkKind::Other(&kind_z)
        } else {
            LinkKind::WithData {
                kind: &kind_z,
                data: Some(data),
            }
        }),
        ..LinkRequest::default()
    };
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    request.emit_new(&mut b).expect("encodes");
    buf
}

/// vlan (default protocol, 802.1ad with every flag and an unknown bit, no flags, qos maps
/// full and empty, no id), ipvlan/ipvtap (each mode and flag, an unknown mode, a mode of
/// the wrong size) and vrf.
fn kinds_the_kernel_lacks() -> Vec<u8> {
    use KindAttr::*;
    let messages = [
        dump_message(10, "v0.10", Some(3), "vlan", &[U16(1, 10)]),
        dump_message(
            11,
            "v20",
            Some(3),
            "vlan",
            &[
                Be16(5, 0x88a8),
                U16(1, 20),
                U32Pair(2, 0x3f, 0x3f),
                NestBegin(4),
                U32Pair(1, 1, 2),
                U32Pair(1, 3, 4),
                NestEnd,
                NestBegin(3),
                NestEnd,
            ],
        ),
        dump_message(
            12,
            "v30",
            Some(3),
            "vlan",
            &[Be16(5, 0x8100), U16(1, 30), U32Pair(2, 0, 0x1f)],
        ),
        dump_message(13, "v40", Some(3), "vlan", &[Be16(5, 0x8100)]),
        dump_message(14, "i0", Some(3), "ipvlan", &[U16(1, 2), U16(2, 0)]),
        dump_message(15, "i1", Some(3), "ipvtap", &[U16(1, 7), U16(2, 2)]),
        dump_message(16, "i2", Some(3), "ipvlan", &[U32(1, 1), U16(2, 1)]),
        dump_message(17, "r0", None, "vrf", &[U32(1, 1000)]),
        dump_message(18, "f0", None, "ifb", &[]),
    ];
    messages.concat()
}

#[test]
fn details_of_kinds_the_kernel_lacks_print_as_ip_prints_them() {
    let test = "details_of_kinds_the_kernel_lacks_print_as_ip_prints_them";
    if !can_sandbox(test) {
        return;
    }
    let file = std::env::temp_dir().join(format!("nsip-kinds-{}.bin", std::process::id()));
    std::fs::write(&file, kinds_the_kernel_lacks()).expect("write the messages");
    let path = file.display().to_string();
    let commands: Vec<String> = ["", "-d ", "-d -o ", "-d -s "]
        .iter()
        .map(|opt| format!("{opt}monitor file {path}"))
        .collect();
    let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
    let pairs = side_by_side(VETH, &commands);
    let _ = std::fs::remove_file(&file);
    for (cmd, (reference, ours)) in commands.iter().zip(&pairs) {
        assert_eq!(ours, reference, "differs from ip for: {cmd}");
    }
    let details = &pairs[1].0;
    for want in [
        "vlan protocol 802.1q id 10 ",
        "vlan protocol 802.1ad id 20 <REORDER_HDR,GVRP,MVRP,LOOSE_BINDING,BRIDGE_BINDING,20> \n      ingress-qos-map { 1:2 3:4 } \n      egress-qos-map { } ",
        "ipvlan  mode l3s bridge ",
        "ipvtap  mode unknown vepa ",
        "vrf table 1000 ",
    ] {
        assert!(details.contains(want), "ip printed no `{want}`:\n{details}");
    }
}

/// `-d` for tun and tap devices (ip's `ip tuntap add`): type, pi, vnet_hdr, the queues,
/// persist, and the owner and group by name when /etc/passwd and /etc/group name them (by
/// number otherwise), in link and address listings, text, JSON and one line each.
#[test]
fn details_of_tun_and_tap_match_ip() {
    assert_show_same(
        "details_of_tun_and_tap_match_ip",
        "ip tuntap add t0 mode tun
ip tuntap add t1 mode tap user 0 group 0 pi vnet_hdr multi_queue
ip tuntap add t2 mode tap user 65534 group 65534
ip tuntap add t3 mode tun user 4242 group 4243 one_queue",
        &[
            "-d link show",
            "-d -j link show",
            "-d -o link show",
            "-d link show dev t1",
            "-d -j link show dev t3",
            "-d addr show",
            "-d -j addr show dev t2",
            "link show type tun",
        ],
    );
}
