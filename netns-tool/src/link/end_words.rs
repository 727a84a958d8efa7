//! The words of one end of `ip link add|set` (the link, or a veth peer) as tables in ip's
//! order of tests: what [`super::parse`] reads them with.

use crate::toolbox::args::Spelling;

/// What a word of one end stands for.
#[derive(Clone, Copy)]
pub enum EndKey {
    /// A flag word that takes `on` / `off`: its bit, and whether `on` clears it.
    Flag(u32, bool),
    /// A word ip refuses to see twice.
    Once(Once),
    Up,
    Down,
    Link,
    Address,
    Broadcast,
    TxQueueLen,
    Master,
    NoMaster,
    Alias,
    Dynamic,
}

/// The words ip refuses to see twice.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Once {
    Name,
    Mtu,
    Netns,
    Group,
}

/// The words of one end in ip's order of tests: the flag words and the words it refuses
/// twice compared whole, `dynamic` and the others matched by prefix.
#[rustfmt::skip] // one keyword a line: a table, not code
pub const END_KEYWORDS: [(&str, Spelling, EndKey); 22] = {
    use EndKey::*;
    use Spelling::{Full, Prefix};
    [
        ("multicast", Full, Flag(libc::IFF_MULTICAST as u32, false)),
        ("allmulticast", Full, Flag(libc::IFF_ALLMULTI as u32, false)),
        ("promisc", Full, Flag(libc::IFF_PROMISC as u32, false)),
        ("trailers", Full, Flag(libc::IFF_NOTRAILERS as u32, true)),
        ("arp", Full, Flag(libc::IFF_NOARP as u32, true)),
        ("name", Full, Once(self::Once::Name)),
        ("mtu", Full, Once(self::Once::Mtu)),
        ("netns", Full, Once(self::Once::Netns)),
        ("group", Full, Once(self::Once::Group)),
        ("up", Full, Up),
        ("link", Full, Link),
        ("down", Full, Down),
        ("brd", Full, Broadcast),
        ("qlen", Full, TxQueueLen),
        ("address", Prefix, Address),
        ("broadcast", Prefix, Broadcast),
        ("txqueuelen", Prefix, TxQueueLen),
        ("txqlen", Prefix, TxQueueLen),
        ("master", Prefix, Master),
        ("nomaster", Prefix, NoMaster),
        ("alias", Prefix, Alias),
        ("dynamic", Prefix, Dynamic),
    ]
};

/// Keywords of ip 6.1's `link add`/`set` that nsip does not implement: said so, rather than
/// taken for a device name (ip's own fallthrough).
pub const IP_WORDS_NSIP_LACKS: [&str; 18] = [
    "xdp",
    "xdpgeneric",
    "xdpdrv",
    "xdpoffload",
    "vf",
    "vrf",
    "index",
    "numtxqueues",
    "numrxqueues",
    "link-netns",
    "link-netnsid",
    "protodown",
    "protodown_reason",
    "gso_max_size",
    "gso_max_segs",
    "gro_max_size",
    "gso_ipv4_max_size",
    "gro_ipv4_max_size",
];
