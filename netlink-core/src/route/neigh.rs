//! Neighbours (ARP / NDP entries): `RTM_NEWNEIGH` / `RTM_DELNEIGH` views and requests.

use core::net::IpAddr;

use zerocopy::byteorder::native_endian::{I32, U16};

use super::consts::*;
use super::emit_dump;
use super::nexthop::family_of;
use crate::wire::{Builder, EncodeError, NdMsg, NdaCacheInfo};

view! {
    /// A neighbour message borrowed from a received buffer.
    // Table slots: `NDA_*` up to `NDA_FLAGS_EXT`.
    NeighMessage(NdMsg, NEIGH_ATTR_SLOTS = 16): RTM_NEWNEIGH | RTM_DELNEIGH | RTM_GETNEIGH;
    /// Interface index.
    ifindex: ifindex -> i32;
    /// `NUD_*` state bits.
    state: state -> u16;
    /// `NTF_*` flags.
    flags: flags -> u8;
}

impl<'a> NeighMessage<'a> {
    attr_getters! {
        /// `NDA_DST`: the neighbour's protocol address.
        dst: NDA_DST => ip -> IpAddr;
    }
    /// `NDA_LLADDR`: the link-layer address, as the kernel gave its bytes.
    #[inline]
    pub fn lladdr(&self) -> Option<&'a [u8]> {
        Some(self.attr(NDA_LLADDR)?.value())
    }
    attr_getters! {
        /// `NDA_CACHEINFO` (`None` when shorter than the struct).
        cache_info: NDA_CACHEINFO => fixed -> &'a NdaCacheInfo;
        /// `NDA_PROTOCOL` (`RTPROT_*`).
        protocol: NDA_PROTOCOL => u8 -> u8;
        /// `NDA_FLAGS_EXT` (`NTF_EXT_*`).
        flags_ext: NDA_FLAGS_EXT => u32 -> u32;
        u32 -> u32: probes NDA_PROBES, master NDA_MASTER;
    }
    emit_delete! {
        /// Appends the `RTM_DELNEIGH` that deletes this entry as `ip neigh flush` does: the
        /// dumped message echoed whole, without `NLM_F_ACK`.
        RTM_DELNEIGH, NLM_F_REQUEST
    }
}

fn header(family: u8, ifindex: i32, state: u16, flags: u8) -> NdMsg {
    NdMsg {
        family,
        ifindex: I32::new(ifindex),
        state: U16::new(state),
        flags,
        ..NdMsg::default()
    }
}

/// A neighbour to add, change, replace or delete, in ip's attribute order:
/// `NDA_PROTOCOL`, `NDA_DST`, `NDA_FLAGS_EXT`, `NDA_LLADDR`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeighRequest<'a> {
    /// Interface index.
    pub ifindex: i32,
    /// `NUD_*` state (ip's default: `NUD_PERMANENT`).
    pub state: u16,
    /// `NTF_*` flags (`NTF_PROXY` for a proxy entry).
    pub flags: u8,
    /// `NDA_DST`; the family follows it.
    pub dst: IpAddr,
    /// `NDA_LLADDR`.
    pub lladdr: Option<&'a [u8]>,
    /// `NDA_PROTOCOL`.
    pub protocol: Option<u8>,
    /// `NDA_FLAGS_EXT` (`NTF_EXT_MANAGED`).
    pub flags_ext: Option<u32>,
}

impl NeighRequest<'_> {
    fn emit(&self, b: &mut Builder<'_>, ty: u16, flags: u16) -> Result<usize, EncodeError> {
        let m = b.begin_request(ty, flags);
        b.push(&header(
            family_of(self.dst),
            self.ifindex,
            self.state,
            self.flags,
        ));
        b.attr_opt(NDA_PROTOCOL, self.protocol);
        b.attr_ip(NDA_DST, self.dst);
        b.attr_opt(NDA_FLAGS_EXT, self.flags_ext);
        if let Some(lladdr) = self.lladdr {
            b.attr(NDA_LLADDR, lladdr);
        }
        b.finish(m)
    }
    new_and_del_emitters! {
        /// Appends an `RTM_NEWNEIGH` with the caller's `NLM_F_CREATE` / `NLM_F_EXCL` /
        /// `NLM_F_REPLACE` (ip's add, change and replace).
        RTM_NEWNEIGH, RTM_DELNEIGH
    }
}

/// A neighbour dump with the filters the kernel applies itself, as `ip neigh show|flush`
/// asks for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NeighDump {
    /// `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for both.
    pub family: u8,
    /// `NTF_PROXY` for the proxy entries, 0 for the rest.
    pub flags: u8,
    /// `NDA_MASTER`: entries of the ports of one master (`u32::MAX`: of no master).
    pub master: Option<u32>,
    /// `NDA_IFINDEX`: entries of one interface.
    pub ifindex: Option<u32>,
}

impl NeighDump {
    /// Appends the `RTM_GETNEIGH` dump request.
    pub fn emit(&self, b: &mut Builder<'_>) -> Result<usize, EncodeError> {
        let filters = [(NDA_MASTER, self.master), (NDA_IFINDEX, self.ifindex)];
        emit_dump(
            b,
            RTM_GETNEIGH,
            &header(self.family, 0, 0, self.flags),
            &filters,
        )
    }
}

/// Appends an `RTM_GETNEIGH` for one entry (`ip neigh get`); the reply is one
/// `RTM_NEWNEIGH`. `flags` is `NTF_PROXY` to ask for a proxy entry.
pub fn emit_get_neigh(
    b: &mut Builder<'_>,
    dst: IpAddr,
    ifindex: i32,
    flags: u8,
) -> Result<usize, EncodeError> {
    let m = b.begin_request(RTM_GETNEIGH, NLM_F_REQUEST);
    b.push(&header(family_of(dst), ifindex, 0, flags));
    b.attr_ip(NDA_DST, dst);
    b.finish(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;
    use core::net::Ipv4Addr;

    #[test]
    fn a_request_reads_back_through_the_view() {
        let mut buf = Vec::new();
        let request = NeighRequest {
            dst: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2)),
            ifindex: 3,
            state: NUD_STALE,
            flags: NTF_ROUTER,
            lladdr: Some(&[2, 0, 0, 0, 0, 2]),
            protocol: Some(RTPROT_STATIC),
            flags_ext: Some(NTF_EXT_MANAGED),
        };
        request
            .emit_new_with(&mut Builder::new(&mut buf), NLM_F_CREATE)
            .expect("encodes");
        let msg = Message::parse(&buf).expect("one message");
        let n = NeighMessage::parse(&msg).expect("a neighbour");
        assert_eq!(n.family(), AF_INET);
        assert_eq!(
            (n.ifindex(), n.state(), n.flags()),
            (3, NUD_STALE, NTF_ROUTER)
        );
        assert_eq!(n.dst(), Some(request.dst));
        assert_eq!(n.lladdr(), request.lladdr);
        assert_eq!(n.protocol(), Some(RTPROT_STATIC));
        assert_eq!(n.flags_ext(), Some(NTF_EXT_MANAGED));
        assert_eq!(n.cache_info(), None);
    }

    #[test]
    fn a_short_payload_is_an_error() {
        assert!(NeighMessage::from_payload(&[2, 0, 0]).is_err());
    }
}
