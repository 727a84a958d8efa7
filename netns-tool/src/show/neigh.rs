//! The neighbour printer: ip's `print_neigh`, in text and JSON, and the filter ip applies
//! to a neighbour dump (`ip neigh show|flush` selectors, the `monitor neigh` events).
//!
//! ```text
//! 198.51.100.2 dev veth0 lladdr 02:00:00:00:00:02 router REACHABLE
//! ```

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::NeighMessage;

use super::device::print_dev;
use super::{close_entry, open_entry};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::color::Paint;
use crate::toolbox::inet::{family_accepts, AddrText, Prefix};
use crate::toolbox::names::{mac, protocol_name};
use crate::toolbox::output::Out;
use crate::toolbox::word::c_padding;

/// `NUD_*` names in ip's order.
const STATE_NAMES: [(&str, u16); 8] = [
    ("INCOMPLETE", NUD_INCOMPLETE),
    ("REACHABLE", NUD_REACHABLE),
    ("STALE", NUD_STALE),
    ("DELAY", NUD_DELAY),
    ("PROBE", NUD_PROBE),
    ("FAILED", NUD_FAILED),
    ("NOARP", NUD_NOARP),
    ("PERMANENT", NUD_PERMANENT),
];

/// ip's neighbour filter. `state` is ip's `filter.state`: `NUD_*` bits, and 0x100 for
/// entries without a state (`nud none`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighFilter {
    /// `AF_*` (0: any).
    pub family: u8,
    /// Interface index (0: any); its entries print without `dev`.
    pub index: i32,
    /// States shown.
    pub state: u32,
    /// `to PREFIX`.
    pub prefix: Option<Prefix>,
    /// `protocol P` (0: any).
    pub protocol: u8,
    /// `unused`: entries nothing refers to.
    pub unused_only: bool,
}

impl Default for NeighFilter {
    /// Everything (what `monitor` prints).
    fn default() -> Self {
        NeighFilter {
            family: AF_UNSPEC,
            index: 0,
            state: u32::MAX,
            prefix: None,
            protocol: 0,
            unused_only: false,
        }
    }
}

impl NeighFilter {
    /// Whether ip prints (or flushes) this entry.
    pub fn accepts(&self, n: &NeighMessage<'_>) -> bool {
        if !family_accepts(self.family, n.family()) {
            return false;
        }
        if self.index != 0 && self.index != n.ifindex() {
            return false;
        }
        let state = u32::from(n.state());
        let exempt = n.flags() & (NTF_PROXY | NTF_EXT_LEARNED) != 0;
        if self.state & state == 0 && !exempt && (state != 0 || self.state & 0x100 == 0) {
            return false;
        }
        if let Some(p) = self.prefix.filter(|p| p.bitlen > 0) {
            let dst = n.dst();
            let same_family = match dst {
                Some(a) => {
                    (a.is_ipv4() && p.family == AF_INET) || (a.is_ipv6() && p.family == AF_INET6)
                }
                None => true,
            };
            if dst.is_some() && (!same_family || !p.matches(dst, p.bitlen)) {
                return false;
            }
        }
        if self.protocol != 0 && self.protocol != n.protocol().unwrap_or(0) {
            return false;
        }
        let referenced = n.cache_info().is_some_and(|c| c.refcnt.get() != 0);
        !(self.unused_only && referenced)
    }
}

/// What the printer needs from the command.
pub struct NeighContext<'a> {
    /// Interface names.
    pub names: &'a LinkCache,
    /// `-s`, counted.
    pub stats: u8,
    /// The `dev` the listing is filtered by (0: none), left out of each line.
    pub filter_index: i32,
    /// The kernel's clock ticks per second (cache ages are in ticks).
    pub clock_ticks: i64,
    /// `-br`: ip's table of address, device and link-layer address.
    pub brief: bool,
}

/// Prints one neighbour as its own JSON object (or its text line). `ty` is the type of the
/// message it came in: a deleted entry starts with `Deleted`, a kernel request with `miss`.
pub fn print_neigh<W: Write>(
    out: &mut Out<W>,
    ctx: &NeighContext<'_>,
    n: &NeighMessage<'_>,
    ty: u16,
) -> io::Result<()> {
    open_entry(out, ty == RTM_DELNEIGH)?;
    if ty == RTM_GETNEIGH {
        out.null("miss", format_args!("miss "))?;
    }
    if ctx.brief {
        ctx.print_brief(out, n)?;
        return out.close_object();
    }
    if let Some(dst) = n.dst() {
        let paint = paint_of(dst);
        out.put_addr(paint, "dst", "", dst, " ")?;
    }
    if ctx.filter_index == 0 && n.ifindex() != 0 {
        let index = u32::try_from(n.ifindex()).unwrap_or(0);
        print_dev(out, ctx.names, ("dev", "dev "), Paint::IfName, index)?;
    }
    if let Some(lladdr) = n.lladdr() {
        out.put_painted(Paint::Mac, "lladdr", "lladdr ", &mac(lladdr), " ")?;
    }
    print_flags(out, n)?;
    if ctx.stats > 0 {
        ctx.print_stats(out, n)?;
    }
    if n.state() != 0 {
        print_state(out, n.state())?;
    }
    if let Some(protocol) = n.protocol().filter(|&p| p != 0) {
        out.put_str("protocol", "proto ", &protocol_name(protocol), " ")?;
    }
    close_entry(out)
}

impl NeighContext<'_> {
    /// `-br`: `DST` in 39 bytes, `DEV` in 16 (unless the listing chose it), `LLADDR`, each
    /// painted with its padding as ip does; no flags, state or JSON `state`.
    fn print_brief<W: Write>(&self, out: &mut Out<W>, n: &NeighMessage<'_>) -> io::Result<()> {
        if let Some(dst) = n.dst() {
            let text = AddrText::new(dst);
            let after = c_padding(text.as_str(), 39) + " ";
            out.put_painted(paint_of(dst), "dst", "", text.as_str(), &after)?;
        }
        if self.filter_index == 0 && n.ifindex() != 0 {
            let name = self.names.name(u32::try_from(n.ifindex()).unwrap_or(0));
            let after = c_padding(&name, 16) + " ";
            out.put_painted(Paint::IfName, "dev", "", &name, &after)?;
        }
        if let Some(lladdr) = n.lladdr() {
            out.put_painted(Paint::Mac, "lladdr", "", &mac(lladdr), "")?;
        }
        out.text_str("\n")
    }

    /// ip's `-s` fields, with its spacing: ` ref N used A/B/Cprobes P `.
    fn print_stats<W: Write>(&self, out: &mut Out<W>, n: &NeighMessage<'_>) -> io::Result<()> {
        if let Some(ci) = n.cache_info() {
            let hz = u64::try_from(self.clock_ticks).unwrap_or(100).max(1);
            let refcnt = ci.refcnt.get();
            if refcnt != 0 {
                out.put_uint("refcnt", " ref ", u64::from(refcnt), "")?;
            }
            out.put_uint("used", " used ", u64::from(ci.used.get()) / hz, "")?;
            out.put_uint("confirmed", "/", u64::from(ci.confirmed.get()) / hz, "")?;
            out.put_uint("updated", "/", u64::from(ci.updated.get()) / hz, "")?;
        }
        if let Some(probes) = n.probes() {
            out.put_uint("probes", "probes ", u64::from(probes), " ")?;
        }
        Ok(())
    }
}

/// An entry's address is painted by its family (a bridge entry's too: by its length).
fn paint_of(dst: std::net::IpAddr) -> Paint {
    Paint::of_family(if dst.is_ipv4() { AF_INET } else { AF_INET6 })
}

/// `NTF_*` names in ip's order.
const FLAG_NAMES: [(&str, u8); 4] = [
    ("router", NTF_ROUTER),
    ("proxy", NTF_PROXY),
    ("extern_learn", NTF_EXT_LEARNED),
    ("offload", NTF_OFFLOADED),
];

fn print_flags<W: Write>(out: &mut Out<W>, n: &NeighMessage<'_>) -> io::Result<()> {
    let flags = n.flags();
    for &(name, bit) in &FLAG_NAMES {
        if flags & bit != 0 {
            out.null(name, format_args!("{name} "))?;
        }
    }
    if n.flags_ext().unwrap_or(0) & NTF_EXT_MANAGED != 0 {
        out.null("managed", format_args!("managed "))?;
    }
    Ok(())
}

fn print_state<W: Write>(out: &mut Out<W>, mut nud: u16) -> io::Result<()> {
    out.open_array(Some("state"))?;
    for &(name, bit) in &STATE_NAMES {
        if nud & bit != 0 {
            nud &= !bit;
            let after = if nud != 0 { "," } else { " " };
            out.put_element(name, after)?;
        }
    }
    out.close_array()
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use netlink_core::route::NeighRequest;
    use netlink_core::wire::{Builder, Message};

    use super::*;

    /// One neighbour printed as `monitor` prints it: no filter, message type `ty`.
    fn printed(ty: u16, json: bool, request: &NeighRequest<'_>) -> String {
        let mut buf = Vec::new();
        request
            .emit_new_with(&mut Builder::new(&mut buf), 0)
            .expect("encodes");
        let msg = Message::parse(&buf).expect("a message");
        let n = NeighMessage::parse(&msg).expect("a neighbour");
        assert!(NeighFilter::default().accepts(&n));
        let names = LinkCache::new();
        let ctx = NeighContext {
            names: &names,
            stats: 0,
            filter_index: 0,
            clock_ticks: 100,
            brief: false,
        };
        let mut text = Vec::new();
        let mut out = Out::boxed(&mut text, json, false);
        print_neigh(&mut out, &ctx, &n, ty).expect("prints");
        out.finish().expect("flushes");
        drop(out);
        String::from_utf8(text).expect("UTF-8")
    }

    /// Its fields in the order ip prints them.
    const ROUTER: NeighRequest<'static> = NeighRequest {
        dst: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2)),
        ifindex: 3,
        lladdr: Some(&[2, 0, 0, 0, 0, 2]),
        flags: NTF_ROUTER,
        state: NUD_REACHABLE,
        protocol: Some(RTPROT_STATIC),
        flags_ext: None,
    };

    #[test]
    fn events_print_as_ip_monitor_prints_them() {
        assert_eq!(
            printed(RTM_NEWNEIGH, false, &ROUTER),
            "198.51.100.2 dev if3 lladdr 02:00:00:00:00:02 router REACHABLE proto static \n"
        );
        let failed = NeighRequest {
            state: NUD_FAILED,
            flags: 0,
            lladdr: None,
            protocol: None,
            ..ROUTER
        };
        for (ty, start) in [(RTM_DELNEIGH, "Deleted "), (RTM_GETNEIGH, "miss ")] {
            let line = format!("{start}198.51.100.2 dev if3 FAILED \n");
            assert_eq!(printed(ty, false, &failed), line);
        }
        assert_eq!(
            printed(RTM_DELNEIGH, true, &ROUTER),
            "{\"deleted\":true,\"dst\":\"198.51.100.2\",\"dev\":\"if3\",\"lladdr\":\"02:00:00:00:00:02\",\
             \"router\":null,\"state\":[\"REACHABLE\"],\"protocol\":\"static\"}\n"
        );
    }

    #[test]
    fn the_state_filter_is_ips() {
        let mut buf = Vec::new();
        let none = NeighRequest {
            state: NUD_NONE,
            flags: 0,
            ..ROUTER
        };
        none.emit_del(&mut Builder::new(&mut buf)).expect("encodes");
        let msg = Message::parse(&buf).expect("a message");
        let n = NeighMessage::parse(&msg).expect("a neighbour");
        let shown = NeighFilter {
            state: 0xff & !u32::from(NUD_NOARP),
            ..NeighFilter::default()
        };
        assert!(!shown.accepts(&n), "no state: only with nud none");
        let with_none = NeighFilter {
            state: 0x100,
            ..NeighFilter::default()
        };
        assert!(with_none.accepts(&n));
    }
}
