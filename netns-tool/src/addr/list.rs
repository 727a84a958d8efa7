//! `ip address show`: dump the links and the addresses, group the addresses by link in one
//! pass, and print each link that the filter keeps with its addresses.

use std::io::{self, Write};

use netlink_core::route::consts::*;
use netlink_core::route::{emit_dump_addresses, AddressMessage, LinkMessage};
use netlink_core::socket::Socket;
use netlink_core::wire::Builder;

use super::filter::Filter;
use super::parse_filter::ListPlan;
use crate::show::addr::print_address;
use crate::show::brief::print_addresses_brief;
use crate::show::link::{print_link_fields, print_stats, LinkContext};
use crate::toolbox::args::{invarg, Globals};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::link_stream::{print_links, LinkListing};
use crate::toolbox::output::Out;
use crate::toolbox::session::{self as nl, get_link, Stored};

/// Resolves the plan's device names as ip does: `master` first (read while parsing), then
/// `dev`.
pub fn resolve<'a>(sock: &mut Socket, plan: ListPlan<'a>) -> CliResult<Filter<'a>> {
    let mut filter = plan.filter;
    if let Some(name) = plan.master {
        let index = nl::ifindex(sock, name).map_err(|_| invarg("Device does not exist\n", name))?;
        filter.master = u32::try_from(index).ok();
    }
    if let Some(name) = plan.dev {
        let index = nl::ifindex(sock, name)
            .map_err(|_| CliError::failed(format!("Device \"{name}\" does not exist.")))?;
        filter.index = u32::try_from(index).ok();
    }
    Ok(filter)
}

/// Dumps every address of `family` (of one link when `index` is not 0: strict checking
/// lets the kernel filter).
pub fn dump_addresses(sock: &mut Socket, family: u8, index: u32) -> CliResult<Stored> {
    Stored::dump(sock, &mut dump_request(family, index)?)
}

/// The request of an address dump of `family` (of one link when `index` is not 0).
pub fn dump_request(family: u8, index: u32) -> CliResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(64);
    emit_dump_addresses(&mut Builder::new(&mut buf), family, index)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Ok(buf)
}

/// The addresses of a dump grouped by link: one pass over the payloads, sorted by index
/// with the kernel's order kept within a link.
pub struct ByLink<'s> {
    entries: Vec<(u32, &'s [u8])>,
}

impl<'s> ByLink<'s> {
    /// Groups the address payloads of `addrs`.
    pub fn new(addrs: &'s Stored) -> Self {
        let mut entries: Vec<(u32, &[u8])> = addrs
            .iter()
            .filter_map(|p| Some((AddressMessage::from_payload(p).ok()?.index(), p)))
            .collect();
        entries.sort_by_key(|e| e.0);
        ByLink { entries }
    }

    /// The addresses of link `index`, in the order the kernel sent them.
    pub fn of(&self, index: i32) -> impl Iterator<Item = AddressMessage<'s>> + '_ {
        let Ok(index) = u32::try_from(index) else {
            return [].iter().filter_map(parse_entry);
        };
        let start = self.entries.partition_point(|e| e.0 < index);
        let end = self.entries.partition_point(|e| e.0 <= index);
        self.entries
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .filter_map(parse_entry)
    }
}

fn parse_entry<'s>(entry: &(u32, &'s [u8])) -> Option<AddressMessage<'s>> {
    AddressMessage::from_payload(entry.1).ok()
}

/// The link's name as the kernel has it, for labels matched against it.
fn name_bytes<'l>(link: &LinkMessage<'l>) -> &'l [u8] {
    link.attr(IFLA_IFNAME).map_or(&[], |a| a.c_bytes())
}

/// ip's `ipaddr_filter`: a link stays when one of its addresses passes the filter, or
/// when it has none at all and no family was asked for.
fn keeps_link(filter: &Filter<'_>, link: &LinkMessage<'_>, addrs: &ByLink<'_>) -> bool {
    let name = name_bytes(link);
    let mut any = false;
    for a in addrs.of(link.index()) {
        any = true;
        if filter.address_matches(&a, name) {
            return true;
        }
    }
    !any && filter.family == AF_UNSPEC
}

/// `ip address show`. ip dumps the links, then the addresses, then prints each link with
/// its addresses. Here the addresses come first (kept, grouped by link), so that the link
/// dump can be printed as it arrives instead of kept whole.
pub fn show(g: &Globals, sock: &mut Socket, filter: &Filter<'_>) -> CliResult {
    let stats = g.stats > 0;
    // With a device ip asks for that link alone, which the kernel answers in full whatever
    // the family; a dump of an IP family has the cut-down IPv6 link messages.
    let alone = match filter.index {
        Some(index) => Some(get_link(sock, index, stats)?),
        None => None,
    };
    let addrs = dump_addresses(sock, filter.family, filter.index.unwrap_or(0))?;
    let by_link = ByLink::new(&addrs);
    let mut listing = Listing {
        filter,
        by_link: &by_link,
        ctx: LinkContext::listing(g, false, filter.family, false),
        no_link: g.oneline || filter.label.is_some(),
        oneline: g.oneline,
        stats,
        brief: g.brief,
    };
    print_links(g, sock, alone, g.family.af(), &mut listing)
}

/// One listing's settings.
struct Listing<'l, 'a, 's> {
    filter: &'l Filter<'a>,
    by_link: &'l ByLink<'s>,
    ctx: LinkContext,
    /// No link headers (`-o`, `label`): addresses only.
    no_link: bool,
    oneline: bool,
    stats: bool,
    /// `-br`.
    brief: bool,
}

impl LinkListing for Listing<'_, '_, '_> {
    fn arrived(&mut self, link: &LinkMessage<'_>) -> bool {
        self.ctx.learn(link);
        keeps_link(self.filter, link, self.by_link) && self.filter.link_matches(link)
    }

    fn ready(&self, link: &LinkMessage<'_>) -> bool {
        self.ctx.knows_links_named_by(link)
    }

    fn print<W: Write>(&mut self, out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()> {
        out.open_object(None)?;
        self.print_link(out, link)?;
        out.close_object()
    }

    fn cache(&mut self) -> &mut LinkCache {
        &mut self.ctx.cache
    }
}

impl Listing<'_, '_, '_> {
    /// ip's loop body: the header (`print_linkinfo`, which refuses a link that is down
    /// under `up`), then `print_selected_addrinfo`, then `-s` counters.
    fn print_link<W: Write>(&self, out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()> {
        let down = self.filter.up && link.flags() & IFF_UP == 0;
        if self.brief {
            return self.print_brief(out, link, down);
        }
        if !self.no_link {
            if down || !self.filter.group_matches(link) {
                return Ok(());
            }
            print_link_fields(out, link, &self.ctx)?;
        }
        let name = name_bytes(link);
        let dev = self.oneline.then(|| link.name().unwrap_or_default());
        out.open_array(Some("addr_info"))?;
        for a in self.by_link.of(link.index()) {
            if down || !self.filter.family_matches(a.family()) {
                continue;
            }
            out.open_object(None)?;
            if self.filter.address_matches(&a, name) {
                print_address(out, &a, dev, self.oneline)?;
            }
            out.close_object()?;
        }
        out.close_array()?;
        if !self.no_link && self.stats {
            print_stats(out, link, self.ctx.stats, self.ctx.line_break())?;
            out.text(format_args!("\n"))?;
        }
        Ok(())
    }

    /// `-br`: the link's name and state, then its addresses, on one line. Under `label`
    /// ip's link printer prints nothing (and skips its group test) but the line still ends.
    fn print_brief<W: Write>(
        &self,
        out: &mut Out<W>,
        link: &LinkMessage<'_>,
        down: bool,
    ) -> io::Result<()> {
        let labelled = self.filter.label.is_some();
        if down || (!labelled && !self.filter.group_matches(link)) {
            return Ok(());
        }
        let name = name_bytes(link);
        let visited = self
            .by_link
            .of(link.index())
            .filter(|a| self.filter.family_matches(a.family()))
            .map(|a| {
                let shown = self.filter.address_matches(&a, name);
                (a, shown)
            });
        print_addresses_brief(out, (!labelled).then_some(link), visited, &self.ctx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_core::route::AddressRequest;
    use std::net::IpAddr;

    fn stored(indexes: &[u32]) -> Stored {
        let mut stored = Stored::default();
        for (n, &index) in indexes.iter().enumerate() {
            let mut buf = Vec::new();
            let request = AddressRequest {
                index,
                local: Some(IpAddr::from([198, 51, 100, n as u8])),
                prefix_len: 24,
                ..AddressRequest::default()
            };
            request.emit_new(&mut Builder::new(&mut buf)).expect("fits");
            stored.push(buf.get(16..).expect("payload"));
        }
        stored
    }

    #[test]
    fn addresses_are_grouped_by_link_in_kernel_order() {
        let addrs = stored(&[3, 1, 3, 2, 3]);
        let by_link = ByLink::new(&addrs);
        let locals =
            |index| -> Vec<IpAddr> { by_link.of(index).filter_map(|a| a.local()).collect() };
        let v4 = |n: u8| IpAddr::from([198, 51, 100, n]);
        assert_eq!(locals(3), [v4(0), v4(2), v4(4)]);
        assert_eq!(locals(1), [v4(1)]);
        assert_eq!(locals(2), [v4(3)]);
        assert!(locals(4).is_empty());
        assert!(locals(-1).is_empty());
    }
}
