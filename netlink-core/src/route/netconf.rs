//! Per-interface IP settings: `RTM_NEWNETCONF` / `RTM_DELNETCONF` (a family byte and
//! `NETCONFA_*` attributes), as the netconf multicast groups send them.

use super::consts::*;
use crate::wire::RtGenMsg;

view! {
    /// A netconf message borrowed from a received buffer.
    NetconfMessage(RtGenMsg, 8): RTM_NEWNETCONF | RTM_DELNETCONF | RTM_GETNETCONF;
}

impl<'a> NetconfMessage<'a> {
    attr_getters! {
        /// `NETCONFA_IFINDEX`: the interface, or `NETCONFA_IFINDEX_ALL` / `_DEFAULT`.
        ifindex: NETCONFA_IFINDEX => i32 -> i32;
        /// `NETCONFA_RP_FILTER`: 0 off, 1 strict, 2 loose.
        rp_filter: NETCONFA_RP_FILTER => u32 -> u32;
        u32 -> u32: forwarding NETCONFA_FORWARDING, mc_forwarding NETCONFA_MC_FORWARDING,
            proxy_neigh NETCONFA_PROXY_NEIGH,
            ignore_routes_with_linkdown NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN, input NETCONFA_INPUT;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Message;

    fn message(ty: u16, attrs: &[(u16, [u8; 4])]) -> Vec<u8> {
        let len = 20 + attrs.len() * 8;
        let mut buf = Vec::new();
        buf.extend_from_slice(&u32::try_from(len).unwrap().to_ne_bytes());
        buf.extend_from_slice(&ty.to_ne_bytes());
        buf.extend_from_slice(&[0; 10]);
        buf.extend_from_slice(&[AF_INET6, 0, 0, 0]);
        for (kind, value) in attrs {
            buf.extend_from_slice(&8u16.to_ne_bytes());
            buf.extend_from_slice(&kind.to_ne_bytes());
            buf.extend_from_slice(value);
        }
        buf
    }

    #[test]
    fn reads_family_and_settings() {
        let bytes = message(
            RTM_NEWNETCONF,
            &[
                (NETCONFA_IFINDEX, (-2i32).to_ne_bytes()),
                (NETCONFA_RP_FILTER, 2u32.to_ne_bytes()),
            ],
        );
        let msg = Message::parse(&bytes).unwrap();
        let n = NetconfMessage::parse(&msg).unwrap();
        assert_eq!(n.family(), AF_INET6);
        assert_eq!(n.ifindex(), Some(NETCONFA_IFINDEX_DEFAULT));
        assert_eq!(n.rp_filter(), Some(2));
        assert_eq!(n.forwarding(), None);
        let other = message(RTM_NEWNSID, &[]);
        let msg = Message::parse(&other).unwrap();
        assert!(NetconfMessage::parse(&msg).is_err());
    }
}
