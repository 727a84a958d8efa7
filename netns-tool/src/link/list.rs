//! Runs `ip link show`: one dump, ip's filters, the shared printer.

use std::io::{self, Write};

use netlink_core::route::consts::{AF_PACKET, IFF_UP};
use netlink_core::route::LinkMessage;

use super::parse::ShowFilter;
use crate::show::brief::print_link_brief;
use crate::show::link::{print_link, LinkContext};
use crate::toolbox::args::{invarg, Globals};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::link_stream::{print_links, LinkListing};
use crate::toolbox::output::Out;
use crate::toolbox::session::{get_link, Session};

/// How a link of the dump is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listed {
    /// Printed.
    Shown,
    /// Filtered out after ip has opened its JSON object: `{}` in JSON, nothing in text.
    Empty,
    /// Not listed at all (the kernel filters it out of ip's dump, or ip asked for one link).
    Absent,
}

/// The filter with its names looked up.
struct Selection<'a> {
    filter: &'a ShowFilter<'a>,
    index: Option<i32>,
    master: Option<u32>,
}

impl Selection<'_> {
    /// ip's checks in its order: with a device ip fetches that link alone and every other
    /// filter empties it; without one the kernel drops other masters and kinds, and ip
    /// empties links that are down or of another group or port kind.
    fn listed(&self, link: &LinkMessage<'_>) -> Listed {
        let info = link.link_info();
        let master_ok = self.master.is_none_or(|m| link.master() == Some(m));
        let kind = info.as_ref().and_then(|i| i.kind);
        let kind_ok = self.filter.kind.is_none_or(|k| kind == Some(k));
        let slave_kind = info.as_ref().and_then(|i| i.slave_kind);
        let slave_ok = self.filter.slave_kind.is_none_or(|k| slave_kind == Some(k));
        let up_ok = !self.filter.up || link.flags() & IFF_UP != 0;
        let group_ok = self
            .filter
            .group
            .is_none_or(|g| link.group().is_none_or(|lg| lg == g));
        match self.index {
            Some(i) if link.index() != i => Listed::Absent,
            Some(_) if master_ok && kind_ok && slave_ok && up_ok && group_ok => Listed::Shown,
            Some(_) => Listed::Empty,
            None if !master_ok || !kind_ok => Listed::Absent,
            None if slave_ok && up_ok && group_ok => Listed::Shown,
            None => Listed::Empty,
        }
    }
}

impl<'a> Selection<'a> {
    /// Looks up the names the filter holds: ip looks the master up while it parses, the
    /// device after.
    fn resolve(session: &mut Session, filter: &'a ShowFilter<'a>) -> CliResult<Self> {
        let master = match filter.master {
            Some(name) => {
                let index = session
                    .ifindex(name)
                    .map_err(|_| invarg("Device does not exist\n", name))?;
                u32::try_from(index).ok()
            }
            None => None,
        };
        let index = match filter.dev {
            Some(name) => Some(
                session
                    .ifindex(name)
                    .map_err(|_| CliError::failed(format!("Device \"{name}\" does not exist.")))?,
            ),
            None => None,
        };
        Ok(Selection {
            filter,
            index,
            master,
        })
    }
}

/// `ip link show [dev] X [up] [master M] [type T] [group G]`.
pub fn show(g: &Globals, session: &mut Session, filter: &ShowFilter<'_>) -> CliResult {
    let selection = Selection::resolve(session, filter)?;
    let sock = session.socket()?;
    let stats = g.stats > 0;
    let mut listing = LinkShow {
        selection,
        ctx: LinkContext::listing(g, true, AF_PACKET, g.oneline),
        brief: g.brief,
    };
    // With a device (and no group) ip asks for that link alone, and looks up the peer and
    // master it names; else one dump, printed as it comes. Counters only when printed.
    let one = listing.selection.index.filter(|_| filter.group.is_none());
    let alone = match one.and_then(|i| u32::try_from(i).ok()) {
        Some(index) => Some(get_link(sock, index, stats)?),
        None => None,
    };
    print_links(g, sock, alone, AF_PACKET, &mut listing)
}

/// `ip link show`'s side of a link listing.
struct LinkShow<'a> {
    selection: Selection<'a>,
    ctx: LinkContext,
    brief: bool,
}

impl LinkListing for LinkShow<'_> {
    fn arrived(&mut self, link: &LinkMessage<'_>) -> bool {
        self.ctx.learn(link);
        self.selection.listed(link) != Listed::Absent
    }

    fn ready(&self, link: &LinkMessage<'_>) -> bool {
        self.ctx.knows_links_named_by(link)
    }

    fn print<W: Write>(&mut self, out: &mut Out<W>, link: &LinkMessage<'_>) -> io::Result<()> {
        match self.selection.listed(link) {
            Listed::Shown if self.brief => {
                out.open_object(None)?;
                print_link_brief(out, link, &self.ctx)?;
                out.close_object()
            }
            Listed::Shown => print_link(out, link, &self.ctx),
            Listed::Empty => {
                out.open_object(None)?;
                out.close_object()
            }
            Listed::Absent => Ok(()),
        }
    }

    fn cache(&mut self) -> &mut LinkCache {
        &mut self.ctx.cache
    }
}
