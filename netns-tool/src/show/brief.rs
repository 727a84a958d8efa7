//! `-br`: ip's brief listings, one line per link.
//!
//! ```text
//! lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>
//! v0@v1            UP             198.51.100.9/24 2001:db8::1/64
//! ```
//!
//! The name (with `@PEER`) is padded to 16 columns and the operstate to 14, each followed by
//! a space; a longer name just pushes the rest along. `ip link` adds the link-layer address
//! and the flags, `ip addr` the addresses (`LOCAL[ peer PEER]/LEN`). In JSON the same
//! values keep their full listing's keys (`ifname`, `link`, `operstate`, `address`,
//! `flags`; `addr_info` of `local`, `address`, `prefixlen`).

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::{AddressMessage, LinkMessage};

use super::addr::print_local;
use super::link::{print_flags, print_link_addr, print_name_and_peer, LinkContext};
use super::link_names::OPER_STATES;
use super::route_out::StickyOut;
use crate::toolbox::color::Paint;
use crate::toolbox::output::Out;

/// `NAME[@PEER]  STATE  [ADDRESS <FLAGS>]`: the address and flags (and the line's end)
/// only for `ip link` (a context of family `AF_PACKET`); `ip addr` and the monitor go on
/// from there.
pub fn print_link_brief<W: Write>(
    out: &mut Out<W>,
    link: &LinkMessage<'_>,
    ctx: &LinkContext,
) -> io::Result<()> {
    let mdown = print_name_and_peer(out, link, &ctx.cache, true)?;
    if let Some(state) = link.operstate() {
        match OPER_STATES.get(usize::from(state)) {
            Some(s) => out.string_painted(
                Paint::of_oper_state(state),
                "operstate",
                format_args!("{s:<14} "),
                s,
            )?,
            None => out.uint(
                "operstate_index",
                format_args!("state {state:#x}"),
                u64::from(state),
            )?,
        }
    }
    if ctx.family == AF_PACKET {
        if let Some(a) = link.address() {
            print_link_addr(out, "address", a, link.link_type(), " ")?;
        }
        print_flags(out, link.flags(), mdown)?;
        out.text(format_args!("\n"))?;
    }
    Ok(())
}

/// `ip -br addr`'s line for one link: its name and state (unless `header` is `None`), then
/// the addresses, then the line's end. `addresses` are those of the link's family that ip
/// visits, each with whether the listing's filters show it: one that is not still leaves
/// an empty JSON object, as ip's does.
pub fn print_addresses_brief<'m, W: Write>(
    out: &mut Out<W>,
    header: Option<&LinkMessage<'_>>,
    addresses: impl IntoIterator<Item = (AddressMessage<'m>, bool)>,
    ctx: &LinkContext,
) -> io::Result<()> {
    let mut sticky = StickyOut::new(out);
    let out = &mut sticky;
    if let Some(link) = header {
        out.with(|o| print_link_brief(o, link, ctx));
    }
    out.open_array(Some("addr_info"));
    for (address, shown) in addresses {
        out.open_object(None);
        if shown {
            out.with(|o| print_local(o, &address));
        }
        out.close_object();
    }
    out.close_array();
    out.text_str("\n");
    sticky.finish()
}

/// One address event as `ip -br monitor` prints it: `LOCAL[ peer PEER]/LEN `, with no
/// line end (ip's brief address printer stops before it).
pub fn print_address_brief<W: Write>(
    out: &mut Out<W>,
    address: &AddressMessage<'_>,
) -> io::Result<()> {
    print_local(out, address)
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use netlink_core::route::AddressRequest;
    use netlink_core::wire::{Builder, Messages};

    use super::*;
    use crate::toolbox::cache::LinkCache;
    use crate::toolbox::color::Palette;

    /// A link as the kernel's `RTM_NEWLINK` carries it: index, flags, name, operstate,
    /// optional peer index and MAC.
    fn link_bytes(index: i32, flags: u32, name: &str, state: u8, peer: Option<u32>) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut b = Builder::new(&mut bytes);
        let m = b.begin(RTM_NEWLINK, 0, 0);
        let mut header = vec![AF_UNSPEC, 0];
        header.extend_from_slice(&ARPHRD_ETHER.to_ne_bytes());
        header.extend_from_slice(&index.to_ne_bytes());
        header.extend_from_slice(&flags.to_ne_bytes());
        header.extend_from_slice(&0u32.to_ne_bytes());
        b.push_bytes(&header);
        b.attr_str(IFLA_IFNAME, name);
        b.attr_u8(IFLA_OPERSTATE, state);
        if let Some(peer) = peer {
            b.attr_u32(IFLA_LINK, peer);
        }
        b.attr(IFLA_ADDRESS, &[2, 0, 0, 0, 0, index as u8]);
        b.finish(m).expect("fits");
        bytes
    }

    fn address_bytes(index: u32, local: IpAddr, peer: Option<IpAddr>, len: u8) -> Vec<u8> {
        let mut bytes = Vec::new();
        let request = AddressRequest {
            index,
            local: Some(local),
            peer,
            prefix_len: len,
            ..AddressRequest::default()
        };
        request
            .emit_new(&mut Builder::new(&mut bytes))
            .expect("fits");
        bytes
    }

    /// Two veth ends (`v0` up, `peer` down) in the cache, and `v0` printed briefly as
    /// `ip link` (`family` AF_PACKET) or `ip addr` (0) would.
    fn printed(family: u8, json: bool, palette: Option<Palette>, addrs: &[Vec<u8>]) -> String {
        let v0 = link_bytes(
            3,
            IFF_UP | IFF_RUNNING | IFF_LOWER_UP | IFF_BROADCAST,
            "v0",
            6,
            Some(4),
        );
        let peer = link_bytes(4, IFF_BROADCAST, "a-long-peer-nam", 2, Some(3));
        let v0 = Messages::new(&v0).next().expect("one").expect("valid");
        let peer = Messages::new(&peer).next().expect("one").expect("valid");
        let (v0, peer) = (
            LinkMessage::parse(&v0).expect("link"),
            LinkMessage::parse(&peer).expect("link"),
        );
        let mut cache = LinkCache::new();
        cache.update(&v0);
        cache.update(&peer);
        let ctx = LinkContext {
            cache,
            family,
            ..LinkContext::default()
        };
        let messages: Vec<_> = addrs
            .iter()
            .map(|a| Messages::new(a).next().expect("one").expect("valid"))
            .collect();
        let mut text = Vec::new();
        let mut out = Out::boxed(&mut text, json, false).with_palette(palette);
        for link in [&v0, &peer] {
            out.open_object(None).unwrap();
            if family == AF_PACKET {
                print_link_brief(&mut out, link, &ctx).unwrap();
            } else {
                let mine = messages
                    .iter()
                    .map(|m| AddressMessage::parse(m).expect("address"));
                let mine = mine.filter(|a| a.index() == u32::try_from(link.index()).unwrap());
                // The filters of this listing hide the /64s.
                let mine = mine.map(|a| {
                    let shown = a.prefix_len() != 64;
                    (a, shown)
                });
                print_addresses_brief(&mut out, Some(link), mine, &ctx).unwrap();
            }
            out.close_object().unwrap();
        }
        drop(out);
        String::from_utf8(text).expect("utf-8")
    }

    #[test]
    fn link_lines_pad_name_and_state_and_end_with_address_and_flags() {
        assert_eq!(
            printed(AF_PACKET, false, None, &[]),
            "v0@a-long-peer-nam UP             02:00:00:00:00:03 <BROADCAST,UP,LOWER_UP,M-DOWN> \n\
             a-long-peer-nam@v0 DOWN           02:00:00:00:00:04 <BROADCAST> \n"
        );
    }

    #[test]
    fn address_lines_list_local_peer_and_length_of_the_shown_ones() {
        let addrs = [
            address_bytes(3, IpAddr::from([198, 51, 100, 9]), None, 24),
            address_bytes(
                3,
                IpAddr::from([203, 0, 113, 1]),
                Some(IpAddr::from([203, 0, 113, 2])),
                32,
            ),
            address_bytes(3, "2001:db8::1".parse().unwrap(), None, 64),
        ];
        assert_eq!(
            printed(0, false, None, &addrs),
            "v0@a-long-peer-nam UP             198.51.100.9/24 203.0.113.1 peer 203.0.113.2/32 \n\
             a-long-peer-nam@v0 DOWN           \n"
        );
        assert_eq!(
            printed(0, true, None, &addrs),
            r#"{"link":"a-long-peer-nam","ifname":"v0","operstate":"UP","addr_info":[{"local":"198.51.100.9","prefixlen":24},{"local":"203.0.113.1","address":"203.0.113.2","prefixlen":32},{}]},{"link":"v0","ifname":"a-long-peer-nam","operstate":"DOWN","addr_info":[]}"#
        );
    }

    #[test]
    fn short_names_are_padded_and_painted_with_their_padding() {
        let v0 = link_bytes(7, IFF_UP, "lo", 0, None);
        let msg = Messages::new(&v0).next().expect("one").expect("valid");
        let link = LinkMessage::parse(&msg).expect("link");
        let ctx = LinkContext {
            family: AF_PACKET,
            ..LinkContext::default()
        };
        let mut text = Vec::new();
        let mut out = Out::boxed(&mut text, false, false).with_palette(Some(Palette::Light));
        print_link_brief(&mut out, &link, &ctx).unwrap();
        drop(out);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "\x1b[36mlo               \x1b[0mUNKNOWN        \x1b[33m02:00:00:00:00:07 \x1b[0m<NO-CARRIER,UP> \n"
        );
        let painted = printed(0, false, Some(Palette::Dark), &[]);
        assert!(
            painted.starts_with(
                "\x1b[1;36mv0@a-long-peer-nam \x1b[0m\x1b[1;32mUP             \x1b[0m"
            ),
            "{painted:?}"
        );
        assert!(
            painted.contains("\x1b[1;31mDOWN           \x1b[0m"),
            "{painted:?}"
        );
    }
}
