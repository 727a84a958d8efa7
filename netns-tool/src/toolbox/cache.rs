//! What a command knows of the namespace's names while it runs: links by index (names for
//! `dev`, `@peer`, `master`, flags for `M-DOWN`, queue lengths) and registered namespaces
//! by nsid. Whatever needs a system call is fetched here, before printing, so the printers
//! make none.

use std::os::fd::AsRawFd;

use netlink_core::route::consts::IFLA_IFNAME;
use netlink_core::route::{emit_get_nsid, LinkMessage, NsIdMessage, NsTarget};
use netlink_core::socket::Socket;
use netlink_core::wire::Builder;

use super::error::CliResult;
use super::link_dump::for_each_link;
use super::session::{get_link, Stored};
use super::word::word_from_bytes;

/// What ip knows about every link of the namespace while printing one: names for
/// `@peer` / `master`, flags for the peer's `M-DOWN`, and queue lengths.
#[derive(Debug, Default, Clone)]
pub struct LinkCache {
    // Sorted by index.
    links: Vec<CachedLink>,
}

#[derive(Debug, Clone)]
struct CachedLink {
    index: u32,
    name: String,
    flags: u32,
    txqlen: Option<u32>,
}

impl LinkCache {
    /// An empty cache (names fall back to `if<N>`).
    pub fn new() -> Self {
        LinkCache::default()
    }

    /// Records (or refreshes) a link from its message.
    pub fn update(&mut self, link: &LinkMessage<'_>) {
        let Ok(index) = u32::try_from(link.index()) else {
            return;
        };
        // Names are kept as lossless words: a name that is not UTF-8 prints its own bytes.
        let name = link
            .attr(IFLA_IFNAME)
            .map(|a| word_from_bytes(a.c_bytes()))
            .unwrap_or_default();
        let flags = link.flags();
        let txqlen = link.txqlen();
        match self.links.binary_search_by_key(&index, |e| e.index) {
            Ok(at) => {
                if let Some(slot) = self.links.get_mut(at) {
                    if !name.is_empty() {
                        slot.name = name;
                    }
                    slot.flags = flags;
                    slot.txqlen = txqlen.or(slot.txqlen);
                }
            }
            Err(at) => self.links.insert(
                at,
                CachedLink {
                    index,
                    name,
                    flags,
                    txqlen,
                },
            ),
        }
    }

    /// Forgets a link (after `RTM_DELLINK`).
    pub fn remove(&mut self, index: u32) {
        if let Ok(at) = self.links.binary_search_by_key(&index, |e| e.index) {
            self.links.remove(at);
        }
    }

    fn entry(&self, index: u32) -> Option<&CachedLink> {
        let at = self.links.binary_search_by_key(&index, |e| e.index).ok()?;
        self.links.get(at)
    }

    /// The name of `index`, or ip's `if<N>`.
    pub fn name(&self, index: u32) -> String {
        match self.entry(index) {
            Some(e) => e.name.clone(),
            None => format!("if{index}"),
        }
    }

    /// The name of `index` if the cache has it (no allocation, for listings that print a
    /// name per line).
    pub fn name_of(&self, index: u32) -> Option<&str> {
        self.entry(index).map(|e| e.name.as_str())
    }

    /// The flags of `index` (0 when unknown, as ip's cache answers).
    pub fn flags(&self, index: u32) -> u32 {
        self.entry(index).map_or(0, |e| e.flags)
    }

    /// The queue length of `index`, when its message or the device told it.
    pub fn txqlen(&self, index: u32) -> Option<u32> {
        self.entry(index).and_then(|e| e.txqlen)
    }

    /// The index of `name`.
    pub fn index(&self, name: &str) -> Option<u32> {
        self.links.iter().find(|e| e.name == name).map(|e| e.index)
    }

    /// Asks each device whose message had no `IFLA_TXQLEN` (the IPv6 link dump sends none)
    /// for its queue length, as ip's printer does, so that the printer need not.
    fn fill_queue_lengths(&mut self) {
        for link in self.links.iter_mut().filter(|l| l.txqlen.is_none()) {
            link.txqlen = txqlen_of(&link.name);
        }
    }

    /// [`LinkCache::update`] for a link of a listing's dump as it arrives, asking the
    /// device for its queue length when the message has none.
    pub fn learn(&mut self, link: &LinkMessage<'_>) {
        self.update(link);
        if link.txqlen().is_some() {
            return;
        }
        let entry = u32::try_from(link.index())
            .ok()
            .and_then(|index| self.links.binary_search_by_key(&index, |e| e.index).ok())
            .and_then(|at| self.links.get_mut(at));
        if let Some(entry) = entry.filter(|e| e.txqlen.is_none()) {
            entry.txqlen = txqlen_of(&entry.name);
        }
    }

    /// Whether the cache knows every link whose name or flags the lines of `link` print:
    /// its peer in this namespace, its master, and under `-d` the link its kind names.
    pub fn knows_links_named_by(&self, link: &LinkMessage<'_>, details: bool) -> bool {
        let known = |index: Option<u32>| index.is_none_or(|i| i == 0 || self.entry(i).is_some());
        known(link.link_netnsid().map_or(link.link(), |_| None))
            && known(link.master())
            && (!details || known(named_by_kind(link)))
    }
}

/// Names of the namespaces in /run/netns by the nsid this namespace gave them, so a peer
/// elsewhere prints as `link-netns NAME` rather than `link-netnsid N`.
#[derive(Debug, Default, Clone)]
pub struct NsidNames {
    names: Vec<(i32, String)>,
    /// Whether [`NsidNames::load_once`] has run.
    loaded: bool,
}

impl NsidNames {
    /// Asks the kernel for the nsid of every registered namespace.
    pub fn load(sock: &mut Socket) -> Self {
        let mut names = Vec::new();
        let Ok(dir) = std::fs::read_dir(super::netns_names::RUN_DIR) else {
            return NsidNames {
                names,
                loaded: true,
            };
        };
        let mut buf = Vec::with_capacity(64);
        for entry in dir.flatten() {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Ok(file) = super::files::open_read(entry.path()) else {
                continue;
            };
            let Ok(fd) = u32::try_from(file.as_raw_fd()) else {
                continue;
            };
            buf.clear();
            if emit_get_nsid(&mut Builder::new(&mut buf), NsTarget::Fd(fd)).is_err() {
                continue;
            }
            let id = sock
                .get(&mut buf, |msg| Ok(NsIdMessage::parse(&msg)?.nsid()))
                .ok()
                .flatten();
            if let Some(id) = id.filter(|&id| id >= 0) {
                names.push((id, name));
            }
        }
        NsidNames {
            names,
            loaded: true,
        }
    }

    /// [`NsidNames::load`], the first time only, through a socket of its own: a listing
    /// asks while its own socket is busy with the dump, when a link with a peer in another
    /// namespace arrives (as ip looks the names up when it first prints one).
    pub fn load_once(&mut self) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        if let Ok(mut sock) = Socket::new() {
            *self = NsidNames::load(&mut sock);
        }
    }

    /// Drops `nsid`'s name (its namespace is gone), returning it.
    pub fn forget(&mut self, nsid: i32) -> Option<String> {
        let at = self.names.iter().position(|(id, _)| *id == nsid)?;
        Some(self.names.remove(at).1)
    }

    /// The name registered for `nsid`.
    pub fn name(&self, nsid: i32) -> Option<&str> {
        self.names
            .iter()
            .find(|(id, _)| *id == nsid)
            .map(|(_, n)| n.as_str())
    }
}

impl LinkCache {
    /// Every link of the namespace, from one dump.
    pub fn load(sock: &mut Socket) -> CliResult<Self> {
        let mut cache = LinkCache::new();
        for_each_link(sock, &mut |link| cache.update(link))?;
        Ok(cache)
    }

    /// A cache of every stored link, with the queue lengths the dump left out.
    pub fn of(links: &Stored) -> Self {
        let mut cache = LinkCache::new();
        for link in links.links() {
            cache.update(&link);
        }
        cache.fill_queue_lengths();
        cache
    }

    /// [`LinkCache::of`] for links fetched alone (`show dev X`), not a whole dump: the
    /// peers (of this namespace) and masters they name are asked of the kernel one by one,
    /// as ip's index cache fills itself.
    pub fn of_one(sock: &mut Socket, links: &Stored) -> Self {
        let mut cache = LinkCache::of(links);
        let mut named = Vec::new();
        for l in links.links() {
            let peer = l.link_netnsid().map_or(l.link(), |_| None);
            for index in [peer, l.master(), named_by_kind(&l)] {
                named.extend(index.filter(|&i| i != 0));
            }
        }
        for index in named {
            if let Ok(one) = get_link(sock, index, false) {
                one.links().for_each(|l| cache.update(&l));
            }
        }
        cache
    }
}

/// The link a kind's data names by index, which `-d` prints by name: a vxlan's `dev`
/// (`IFLA_VXLAN_LINK`), a bridge port's backup port (`IFLA_BRPORT_BACKUP_PORT`).
fn named_by_kind(link: &LinkMessage<'_>) -> Option<u32> {
    const IFLA_VXLAN_LINK: u16 = 3;
    const IFLA_BRPORT_BACKUP_PORT: u16 = 34;
    let info = link.link_info()?;
    let (data, kind) = match (info.kind, info.slave_kind) {
        (Some("vxlan"), _) => (info.data?, IFLA_VXLAN_LINK),
        (_, Some("bridge")) => (info.slave_data?, IFLA_BRPORT_BACKUP_PORT),
        _ => return None,
    };
    data.into_iter().find(|a| a.kind() == kind)?.u32()
}

/// `SIOCGIFTXQLEN` on device `name`.
fn txqlen_of(name: &str) -> Option<u32> {
    let bytes = name.as_bytes();
    let mut req = zeroed_ifreq();
    if bytes.is_empty() || bytes.len() >= req.ifr_name.len() {
        return None;
    }
    for (dst, src) in req.ifr_name.iter_mut().zip(bytes) {
        *dst = *src as libc::c_char;
    }
    // SAFETY: plain socket(2); the descriptor is closed below.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return None;
    }
    // `as _`: the request is c_ulong on glibc and c_int on musl (the static build).
    // SAFETY: req is a valid, NUL-terminated ifreq the kernel fills in.
    let rc = unsafe { libc::ioctl(fd, libc::SIOCGIFTXQLEN as _, &mut req as *mut libc::ifreq) };
    // SAFETY: fd is ours and open.
    unsafe { libc::close(fd) };
    if rc < 0 {
        return None;
    }
    // SAFETY: SIOCGIFTXQLEN answers in the union's int slot (C's ifr_qlen, which libc
    // names ifru_metric); every bit pattern is a valid c_int.
    let qlen = unsafe { req.ifr_ifru.ifru_metric };
    u32::try_from(qlen).ok()
}

fn zeroed_ifreq() -> libc::ifreq {
    // SAFETY: ifreq is plain old data (a name array and a union of integers and
    // addresses); all zero bytes is a valid value.
    unsafe { std::mem::zeroed() }
}
