//! Links: `RTM_NEWLINK` / `RTM_DELLINK` views, and requests to create, change, delete and
//! fetch them.

use zerocopy::byteorder::native_endian::{I32, U16, U32};

use super::consts::*;
use super::first_mentions;
pub use super::kind_data::KindAttr;
use crate::wire::{Attrs, Builder, EncodeError, IfInfoMsg};

view! {
    /// A link message (`RTM_NEWLINK`, `RTM_DELLINK`) borrowed from a received buffer.
    // Table slots: every `IFLA_*` up to the kernel's current maximum.
    LinkMessage(IfInfoMsg, LINK_ATTR_SLOTS = 72):
        RTM_NEWLINK | RTM_DELLINK | RTM_GETLINK | RTM_SETLINK;
    /// Interface index.
    index: index -> i32;
    /// `IFF_*` flags.
    flags: flags -> u32;
    /// Device type (`ARPHRD_*`).
    link_type: ty -> u16;
}

impl<'a> LinkMessage<'a> {
    attr_getters! {
        str -> &'a str: name IFLA_IFNAME;
        u32 -> u32: mtu IFLA_MTU;
    }
    /// `IFLA_ADDRESS`: the hardware address.
    #[inline]
    pub fn address(&self) -> Option<&'a [u8]> {
        self.attr(IFLA_ADDRESS).map(|a| a.value())
    }
    /// `IFLA_BROADCAST`: the hardware broadcast address.
    #[inline]
    pub fn broadcast(&self) -> Option<&'a [u8]> {
        self.attr(IFLA_BROADCAST).map(|a| a.value())
    }
    /// `IFLA_PERM_ADDRESS`.
    #[inline]
    pub fn permanent_address(&self) -> Option<&'a [u8]> {
        self.attr(IFLA_PERM_ADDRESS).map(|a| a.value())
    }
    attr_getters! {
        /// `IFLA_MASTER`: index of the bridge or bond this link is enslaved to.
        master: IFLA_MASTER => u32 -> u32;
        /// `IFLA_LINK`: index of the lower or peer device (in the peer's namespace when
        /// `link_netnsid` is present).
        link: IFLA_LINK => u32 -> u32;
        /// `IFLA_LINK_NETNSID`: the nsid of the namespace `link` lives in.
        link_netnsid: IFLA_LINK_NETNSID => i32 -> i32;
        /// `IFLA_OPERSTATE` (`IF_OPER_*`).
        operstate: IFLA_OPERSTATE => u8 -> u8;
        u8 -> u8: linkmode IFLA_LINKMODE;
        str -> &'a str: qdisc IFLA_QDISC, alias IFLA_IFALIAS;
        u32 -> u32: txqlen IFLA_TXQLEN, group IFLA_GROUP, promiscuity IFLA_PROMISCUITY,
            min_mtu IFLA_MIN_MTU, max_mtu IFLA_MAX_MTU, num_tx_queues IFLA_NUM_TX_QUEUES,
            num_rx_queues IFLA_NUM_RX_QUEUES, carrier_changes IFLA_CARRIER_CHANGES;
    }
    /// `IFLA_STATS64`: the 64-bit counters.
    #[inline]
    pub fn stats64(&self) -> Option<Stats64<'a>> {
        Stats64::new(self.attr(IFLA_STATS64)?.value())
    }
    /// `IFLA_LINKINFO`: kind and kind-specific data.
    #[inline]
    pub fn link_info(&self) -> Option<LinkInfo<'a>> {
        Some(LinkInfo::parse(self.attr(IFLA_LINKINFO)?.nested()))
    }
    /// `IFLA_LINKINFO` / `IFLA_INFO_KIND`: "veth", "bridge", "dummy"...
    #[inline]
    pub fn kind(&self) -> Option<&'a str> {
        self.link_info()?.kind
    }
}

/// The `IFLA_LINKINFO` nest.
#[derive(Clone, Debug, Default)]
pub struct LinkInfo<'a> {
    /// `IFLA_INFO_KIND`.
    pub kind: Option<&'a str>,
    /// `IFLA_INFO_DATA`: kind-specific attributes.
    pub data: Option<Attrs<'a>>,
    /// `IFLA_INFO_SLAVE_KIND`: the master's kind, for a port ("bridge").
    pub slave_kind: Option<&'a str>,
    /// `IFLA_INFO_SLAVE_DATA`.
    pub slave_data: Option<Attrs<'a>>,
}

impl<'a> LinkInfo<'a> {
    /// Reads the nest.
    pub fn parse(attrs: Attrs<'a>) -> Self {
        let mut info = LinkInfo::default();
        for a in attrs {
            match a.kind() {
                IFLA_INFO_KIND => info.kind = a.str(),
                IFLA_INFO_DATA => info.data = Some(a.nested()),
                IFLA_INFO_SLAVE_KIND => info.slave_kind = a.str(),
                IFLA_INFO_SLAVE_DATA => info.slave_data = Some(a.nested()),
                _ => {}
            }
        }
        info
    }
}

/// `struct rtnl_link_stats64`, read in place.
#[derive(Clone, Copy, Debug)]
pub struct Stats64<'a> {
    bytes: &'a [u8],
}

/// The counters of `struct rtnl_link_stats64`, in their order there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum Stat {
    RxPackets,
    TxPackets,
    RxBytes,
    TxBytes,
    RxErrors,
    TxErrors,
    RxDropped,
    TxDropped,
    Multicast,
    Collisions,
    RxLengthErrors,
    RxOverErrors,
    RxCrcErrors,
    RxFrameErrors,
    RxFifoErrors,
    RxMissedErrors,
    TxAbortedErrors,
    TxCarrierErrors,
    TxFifoErrors,
    TxHeartbeatErrors,
    TxWindowErrors,
    RxCompressed,
    TxCompressed,
    RxNohandler,
    RxOtherhostDropped,
}

impl<'a> Stats64<'a> {
    /// A view if at least the 23 counters every kernel since 2.6 sends are there.
    pub fn new(bytes: &'a [u8]) -> Option<Self> {
        (bytes.len() >= 23 * 8).then_some(Stats64 { bytes })
    }
    /// One counter; `None` when this kernel's struct is too short to have it.
    pub fn get(&self, stat: Stat) -> Option<u64> {
        let at = (stat as usize) * 8;
        let b: [u8; 8] = self.bytes.get(at..at + 8)?.try_into().ok()?;
        Some(u64::from_ne_bytes(b))
    }
}

/// Where to put a link: a namespace file descriptor or a process's namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetnsRef {
    /// `IFLA_NET_NS_FD`: an open `/run/netns/NAME` or `/proc/PID/ns/net`.
    Fd(i32),
    /// `IFLA_NET_NS_PID`.
    Pid(u32),
}

/// The attributes of one end of a link request. Emitted in iproute2's order so that the
/// request bytes equal `ip`'s for the same command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkAttrs<'a> {
    /// `IFLA_IFNAME`: bytes, as the kernel takes any but `/`, NUL and white space.
    pub name: Option<&'a [u8]>,
    /// `IFLA_TXQLEN`.
    pub txqlen: Option<u32>,
    /// `IFLA_ADDRESS`.
    pub address: Option<&'a [u8]>,
    /// `IFLA_BROADCAST`.
    pub broadcast: Option<&'a [u8]>,
    /// `IFLA_MTU`.
    pub mtu: Option<u32>,
    /// `IFLA_NET_NS_FD` / `IFLA_NET_NS_PID`.
    pub netns: Option<NetnsRef>,
    /// `IFLA_MASTER` (0 detaches).
    pub master: Option<u32>,
    /// `IFLA_IFALIAS`: the alias, as bytes without a NUL (empty clears it).
    pub alias: Option<&'a [u8]>,
    /// `IFLA_GROUP`: the device group to put the link in; on an `RTM_DELLINK` or set with
    /// index 0, the group whose every link the request acts on.
    pub group: Option<u32>,
    /// The command-line order of the attributes listed in [`LinkArg`]; those missing follow
    /// in [`LinkArg::DEFAULT_ORDER`].
    pub order: &'a [LinkArg],
    /// `IFLA_LINK`: the lower device of a new macvlan, vlan... (`link DEV`), sent after the
    /// command-line attributes and before the name, as ip sends it.
    pub link: Option<u32>,
}

command_line_args! {
    /// The attributes `ip link add|set` adds as it reads its command line, in that order; the
    /// name always comes after them.
    LinkArg,
    /// The order used for whatever [`LinkAttrs::order`] does not list.
    DEFAULT_ORDER:
    /// `txqueuelen N`: `IFLA_TXQLEN`.
    TxQueueLen,
    /// `address LLADDR`: `IFLA_ADDRESS`.
    Address,
    /// `broadcast LLADDR`: `IFLA_BROADCAST`.
    Broadcast,
    /// `mtu N`: `IFLA_MTU`.
    Mtu,
    /// `netns NAME|PID`: `IFLA_NET_NS_FD` / `IFLA_NET_NS_PID`.
    Netns,
    /// `master DEV` / `nomaster`: `IFLA_MASTER`.
    Master,
    /// `alias NAME`: `IFLA_IFALIAS`.
    Alias,
    /// `group N`: `IFLA_GROUP`.
    Group,
}

impl<'a> LinkAttrs<'a> {
    /// Only a name: the usual start of a request's attributes (`..LinkAttrs::named(n)`).
    pub fn named(name: &'a [u8]) -> Self {
        LinkAttrs {
            name: Some(name),
            ..LinkAttrs::default()
        }
    }
}

impl LinkAttrs<'_> {
    fn emit_arg(&self, b: &mut Builder<'_>, arg: LinkArg) {
        let (kind, value) = match arg {
            LinkArg::TxQueueLen => (IFLA_TXQLEN, self.txqlen),
            LinkArg::Mtu => (IFLA_MTU, self.mtu),
            LinkArg::Master => (IFLA_MASTER, self.master),
            LinkArg::Group => (IFLA_GROUP, self.group),
            LinkArg::Netns => match self.netns {
                Some(NetnsRef::Fd(fd)) => (IFLA_NET_NS_FD, Some(fd as u32)),
                Some(NetnsRef::Pid(pid)) => (IFLA_NET_NS_PID, Some(pid)),
                None => (0, None),
            },
            LinkArg::Address | LinkArg::Broadcast | LinkArg::Alias => {
                let (kind, bytes) = match arg {
                    LinkArg::Address => (IFLA_ADDRESS, self.address),
                    LinkArg::Broadcast => (IFLA_BROADCAST, self.broadcast),
                    _ => (IFLA_IFALIAS, self.alias),
                };
                if let Some(bytes) = bytes {
                    b.attr(kind, bytes);
                }
                return;
            }
        };
        b.attr_opt(kind, value);
    }

    fn emit(&self, b: &mut Builder<'_>) {
        for arg in first_mentions(self.order, &LinkArg::DEFAULT_ORDER, |arg| arg as u8) {
            self.emit_arg(b, arg);
        }
        b.attr_opt(IFLA_LINK, self.link);
        // ip adds the name after everything else on its command line.
        if let Some(name) = self.name {
            b.attr_c_bytes(IFLA_IFNAME, name);
        }
    }
}

/// The kind of a new link, with its kind-specific data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LinkKind<'a> {
    /// A veth pair; the peer's own attributes (name, namespace...) go in `VETH_INFO_PEER`.
    Veth {
        /// The peer's `ifinfomsg` flags.
        peer_flags: u32,
        /// The peer's attributes.
        peer: LinkAttrs<'a>,
    },
    /// A bridge.
    Bridge,
    /// A dummy device.
    Dummy,
    /// Any other kind, without kind-specific data.
    Other(&'a str),
    /// A kind with `IFLA_INFO_DATA` given attribute by attribute (macvlan, vxlan, bridge
    /// options...), in the order the caller lists them; `None` sends no data nest, `Some`
    /// of an empty list an empty one. A kind ending in `_slave` (a port's options, as
    /// `bridge_slave`) sends them in `IFLA_INFO_SLAVE_DATA`, as ip does.
    WithData {
        /// The `IFLA_INFO_KIND` string.
        kind: &'a str,
        /// The attributes of `IFLA_INFO_DATA`.
        data: Option<&'a [KindAttr<'a>]>,
    },
}

impl LinkKind<'_> {
    /// The `IFLA_INFO_KIND` string.
    pub fn name(&self) -> &str {
        match self {
            LinkKind::Veth { .. } => "veth",
            LinkKind::Bridge => "bridge",
            LinkKind::Dummy => "dummy",
            LinkKind::Other(k) => k,
            LinkKind::WithData { kind, .. } => kind,
        }
    }
}

/// A request about one link: `RTM_NEWLINK` to create (with a kind) or change, `RTM_DELLINK`,
/// or `RTM_GETLINK`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkRequest<'a> {
    /// Interface index (0 when the name selects, or for a new link).
    pub index: i32,
    /// `IFF_*` flags to set.
    pub flags: u32,
    /// Which `IFF_*` flags to change.
    pub change: u32,
    /// Attributes of this end.
    pub attrs: LinkAttrs<'a>,
    /// `IFLA_LINKINFO`: the kind of a new link.
    pub kind: Option<LinkKind<'a>>,
}

impl LinkRequest<'_> {
    fn emit_body(&self, b: &mut Builder<'_>) {
        b.push(&ifinfomsg(self.index, self.flags, self.change));
        self.attrs.emit(b);
        if let Some(kind) = &self.kind {
            let info = b.nest_begin(IFLA_LINKINFO);
            // Without a NUL, as ip sends it; the kernel takes the kind either way.
            b.attr(IFLA_INFO_KIND, kind.name().as_bytes());
            if let LinkKind::Veth { peer_flags, peer } = kind {
                let data = b.nest_begin(IFLA_INFO_DATA);
                let peer_nest = b.nest_begin(VETH_INFO_PEER);
                b.push(&ifinfomsg(0, *peer_flags, 0));
                peer.emit(b);
                b.nest_end(peer_nest);
                b.nest_end(data);
            }
            if let LinkKind::WithData {
                kind: name,
                data: Some(attrs),
            } = kind
            {
                let nest = if name.ends_with("_slave") {
                    IFLA_INFO_SLAVE_DATA
                } else {
                    IFLA_INFO_DATA
                };
                let data = b.nest_begin(nest);
                super::kind_data::emit_all(attrs, b);
                b.nest_end(data);
            }
            b.nest_end(info);
        }
    }

    /// Appends an `RTM_NEWLINK` that creates the link (`NLM_F_CREATE | NLM_F_EXCL`).
    pub fn emit_new(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
        let m = b.begin_request(RTM_NEWLINK, flags);
        self.emit_body(b);
        b.finish(m)
    }

    /// Appends an `RTM_NEWLINK` that changes an existing link (what `ip link set` sends).
    pub fn emit_set(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let m = b.begin_request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK);
        self.emit_body(b);
        b.finish(m)
    }

    /// Appends an `RTM_DELLINK`.
    pub fn emit_del(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let m = b.begin_request(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK);
        self.emit_body(b);
        b.finish(m)
    }
}

fn ifinfomsg(index: i32, flags: u32, change: u32) -> IfInfoMsg {
    IfInfoMsg {
        family: AF_UNSPEC,
        pad: 0,
        ty: U16::new(0),
        index: I32::new(index),
        flags: U32::new(flags),
        change: U32::new(change),
    }
}

/// Appends an `RTM_GETLINK` for one link, chosen by index (when non-zero) or by name.
pub fn emit_get_link(
    b: &mut Builder<'_>,
    index: i32,
    name: Option<&[u8]>,
    ext_mask: u32,
) -> Result<usize, EncodeError> {
    // AF_PACKET and this attribute order are ip's (`ip link show dev X`); the kernel ignores
    // the family of a single-link get, so the bytes can match ip's exactly.
    emit_getlink(b, NLM_F_REQUEST, AF_PACKET, index, name, ext_mask)
}

/// Appends an `RTM_GETLINK` dump of every link of `family` (`AF_UNSPEC` for all).
pub fn emit_dump_links(
    b: &mut Builder<'_>,
    family: u8,
    ext_mask: u32,
) -> Result<usize, EncodeError> {
    emit_getlink(b, NLM_F_REQUEST | NLM_F_DUMP, family, 0, None, ext_mask)
}

fn emit_getlink(
    b: &mut Builder<'_>,
    flags: u16,
    family: u8,
    index: i32,
    name: Option<&[u8]>,
    ext_mask: u32,
) -> Result<usize, EncodeError> {
    let m = b.begin_request(RTM_GETLINK, flags);
    b.push(&IfInfoMsg {
        family,
        ..ifinfomsg(index, 0, 0)
    });
    if let Some(name) = name {
        b.attr_c_bytes(IFLA_IFNAME, name);
    }
    if ext_mask != 0 {
        b.attr_u32(IFLA_EXT_MASK, ext_mask);
    }
    b.finish(m)
}
