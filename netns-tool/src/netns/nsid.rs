//! Namespace ids (nsid): `netns list` ids, `netns set`, `netns list-id`, over rtnetlink
//! `RTM_NEWNSID` / `RTM_GETNSID` on the shared socket.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd};

use netlink_core::route::{emit_get_nsid, emit_new_nsid, emit_query_nsids, NsIdMessage, NsTarget};
use netlink_core::socket::Socket;
use netlink_core::wire::{Builder, Message};

use super::registry;
use crate::show::nsid::{print_nsid, NsIdReply};
use crate::show::route_out::StickyOut;
use crate::toolbox::args::{
    duparg, incomplete, invarg, parse_c_int, word_from_os, word_os, Globals,
};
use crate::toolbox::error::{os_failed, write_error, CliError, CliResult};
use crate::toolbox::netns_names::open_name_or_path;
use crate::toolbox::output::Out;
use crate::toolbox::session::{self as nl, Session};

/// The nsid this namespace gave the namespace behind `fd` (-1: none assigned).
fn nsid_of_fd(sock: &mut Socket, fd: &OwnedFd) -> Option<i32> {
    let raw = u32::try_from(fd.as_raw_fd()).ok()?;
    let mut buf = Vec::with_capacity(32);
    emit_get_nsid(&mut Builder::new(&mut buf), NsTarget::Fd(raw)).ok()?;
    sock.get(&mut buf, |msg| Ok(NsIdMessage::parse(&msg)?.nsid()))
        .ok()
        .flatten()
}

/// The id of a named namespace, if it has one (any failure reads as none, as in ip).
fn nsid_of_name(sock: &mut Socket, name: &OsStr) -> Option<i32> {
    let fd = OwnedFd::from(open_name_or_path(name).ok()?);
    nsid_of_fd(sock, &fd).filter(|&id| id >= 0)
}

/// `ip netns list`: names in directory order, with ` (id: N)` when this namespace has an id
/// for them; `-j` prints `[{"name":..,"id":..}]`. No /run/netns prints nothing at all.
pub fn list(g: &Globals) -> CliResult {
    let Ok(names) = registry::names() else {
        return Ok(());
    };
    let mut sock = Socket::new().ok();
    let mut out = Out::stdout(g.json, g.pretty);
    print_names(&mut out, names, sock.as_mut())
        .and_then(|()| out.finish())
        .map_err(write_error)
}

/// `netns list`'s printer: one line (object) per name, with the id `sock` finds for it, as
/// ip's `netns_list`.
fn print_names<W: Write>(
    out: &mut Out<W>,
    names: Vec<OsString>,
    mut sock: Option<&mut Socket>,
) -> io::Result<()> {
    let mut sticky = StickyOut::new(out);
    let out = &mut sticky;
    out.open_array(None);
    for name in names {
        let id = sock.as_deref_mut().and_then(|s| nsid_of_name(s, &name));
        out.open_object(None);
        out.put_str("name", "", &word_from_os(name), "");
        if let Some(id) = id {
            out.with(|o| o.int("id", format_args!(" (id: {id})"), i64::from(id)));
        }
        out.text_str("\n");
        out.close_object();
    }
    out.close_array();
    sticky.finish()
}

/// `netns set NAME NSID|auto`'s words, as a plan (a negative id asks the kernel to choose).
pub fn parse_set(words: &[String]) -> CliResult<super::Plan<'_>> {
    let (name, value) = match words {
        [] => return Err(CliError::failed("No netns name specified")),
        [_] => return Err(CliError::failed("No nsid specified")),
        [name, value, ..] => (name, value.as_str()),
    };
    let nsid = match (value, parse_c_int(value)) {
        ("auto", _) => -1,
        (_, None) => return Err(invarg("Invalid \"netnsid\" value", value)),
        (_, Some(n)) if n < 0 => return Err(invarg("\"netnsid\" value should be >= 0", value)),
        (_, Some(n)) => n,
    };
    Ok(super::Plan::Set(name, nsid))
}

/// `ip netns set NAME NSID|auto`.
pub fn set(session: &mut Session, name: &str, nsid: i32) -> CliResult {
    let fd = open_name_or_path(word_os(name))
        .map_err(|e| os_failed(format_args!("Cannot open network namespace \"{name}\""), &e))?;
    let raw = u32::try_from(fd.as_raw_fd()).unwrap_or(u32::MAX);
    let sock = session.socket()?;
    let mut buf = Vec::with_capacity(48);
    emit_new_nsid(&mut Builder::new(&mut buf), NsTarget::Fd(raw), nsid)?;
    nl::request(sock, &mut buf)
}

/// ip's cache of (nsid, name) pairs for `list-id`: built from /run/netns once, each entry
/// printed at most once, names missing from it looked up afresh.
struct NameMap {
    entries: Vec<(i32, OsString)>,
}

impl NameMap {
    fn build(sock: &mut Socket) -> Self {
        let mut entries: Vec<(i32, OsString)> = Vec::new();
        for name in registry::names().unwrap_or_default() {
            if let Some(id) = nsid_of_name(sock, &name) {
                if !entries.iter().any(|(known, _)| *known == id) {
                    entries.push((id, name));
                }
            }
        }
        NameMap { entries }
    }

    fn take(&mut self, nsid: i32) -> Option<OsString> {
        let at = self.entries.iter().position(|(id, _)| *id == nsid)?;
        Some(self.entries.remove(at).1)
    }

    /// ip's `netns_get_name`: the first name in /run/netns whose id is `nsid`.
    fn lookup(sock: &mut Socket, nsid: i32) -> Option<OsString> {
        if nsid < 0 {
            return None;
        }
        registry::names()
            .ok()?
            .into_iter()
            .find(|name| nsid_of_name(sock, name) == Some(nsid))
    }
}

impl NameMap {
    /// The name ip prints beside `reply` (as its `print_nsid` finds it): the cached entry
    /// for the current id (or the id), used up; else, for a new id, a fresh lookup that is
    /// cached in turn.
    fn resolve(&mut self, sock: &mut Socket, reply: &NsIdReply) -> Option<OsString> {
        let nsid = reply.nsid.unwrap_or(-1);
        if let Some(name) = self.take(reply.current.unwrap_or(nsid)) {
            return Some(name);
        }
        if reply.deleted {
            return None;
        }
        let found = NameMap::lookup(sock, nsid)?;
        self.entries.push((nsid, found.clone()));
        Some(found)
    }
}

/// `list-id`'s filters: `target-nsid N` (ids as that namespace sees them), `nsid N` (one).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ListIdFilter {
    target: Option<i32>,
    only: Option<i32>,
}

/// `list-id [target-nsid N] [nsid N]`'s words, with ip's errors.
pub fn parse_list_id(words: &[String], usage: impl Fn() -> CliError) -> CliResult<ListIdFilter> {
    let mut filter = ListIdFilter::default();
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        let slot = match word.as_str() {
            "target-nsid" => &mut filter.target,
            "nsid" => &mut filter.only,
            _ => return Err(usage()),
        };
        if slot.is_some() {
            return Err(duparg(word, word));
        }
        let value = rest.next().ok_or_else(incomplete)?;
        match parse_c_int(value) {
            None => return Err(invarg(&format!("\"{word}\" value is invalid"), value)),
            Some(n) if n < 0 => {
                // ip names the word after the value here, "(null)" when there is none.
                let after = rest.as_slice().first().map_or("(null)", String::as_str);
                return Err(invarg(&format!("\"{word}\" value should be >= 0"), after));
            }
            Some(n) => *slot = Some(n),
        }
    }
    Ok(filter)
}

/// `ip netns list-id [target-nsid N] [nsid N]`.
pub fn list_id(g: &Globals, session: &mut Session, filter: ListIdFilter) -> CliResult {
    let sock = session.socket()?;
    let mut names = NameMap::build(sock);
    let mut buf = Vec::with_capacity(48);
    emit_query_nsids(&mut Builder::new(&mut buf), filter.only, filter.target)?;
    let mut replies = Vec::new();
    let mut keep = |msg: Message<'_>| {
        if let Some(reply) = NsIdReply::parse(&msg) {
            replies.push(reply);
        }
        Ok(())
    };
    let received = if filter.only.is_some() {
        sock.get(&mut buf, keep).map_err(nl::kernel_error)
    } else {
        sock.dump(&mut buf, &mut keep).map_err(nl::kernel_error)
    };
    match received {
        Err(e) if filter.only.is_some() => Err(e),
        Err(e) => {
            // ip reports the kernel's error as it comes, closes whatever it printed (an
            // empty JSON array with -j), then says the dump ended.
            e.print();
            print_replies(g, sock, &mut names, &replies)?;
            Err(CliError::failed("Dump terminated"))
        }
        Ok(()) => print_replies(g, sock, &mut names, &replies),
    }
}

/// Prints the replies, each with the name `names` finds for it.
fn print_replies(
    g: &Globals,
    sock: &mut Socket,
    names: &mut NameMap,
    replies: &[NsIdReply],
) -> CliResult {
    let mut out = Out::stdout(g.json, g.pretty);
    out.open_array(None)
        .and_then(|()| {
            replies.iter().try_for_each(|reply| {
                let name = names.resolve(sock, reply);
                print_nsid(&mut out, reply, name.as_deref())
            })
        })
        .and_then(|()| out.close_array())
        .and_then(|()| out.finish())
        .map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_core::route::consts::NETNSA_CURRENT_NSID;
    use netlink_core::route::consts::{
        NETNSA_NSID, NETNSA_TARGET_NSID, NLM_F_DUMP, NLM_F_REQUEST, RTM_GETNSID, RTM_NEWNSID,
    };

    #[test]
    fn nsid_replies_decode_and_refuse_other_types() {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        let m = b.begin(RTM_NEWNSID, 0, 1);
        b.push_bytes(&[0]);
        b.attr_i32(NETNSA_NSID, 7);
        b.attr_i32(NETNSA_CURRENT_NSID, -1);
        b.finish(m).expect("fits");
        let msg = Message::parse(&buf).expect("parses");
        assert_eq!(
            NsIdReply::parse(&msg),
            Some(NsIdReply {
                deleted: false,
                nsid: Some(7),
                current: Some(-1)
            })
        );
        let mut other = Vec::new();
        let mut b = Builder::new(&mut other);
        let m = b.begin(16, 0, 1);
        b.finish(m).expect("fits");
        assert_eq!(
            NsIdReply::parse(&Message::parse(&other).expect("parses")),
            None
        );
    }

    #[test]
    fn list_id_requests_carry_their_filters() {
        let mut buf = Vec::new();
        emit_query_nsids(&mut Builder::new(&mut buf), None, Some(3)).expect("fits");
        let msg = Message::parse(&buf).expect("parses");
        assert_eq!(msg.ty(), RTM_GETNSID);
        assert_eq!(msg.flags(), NLM_F_REQUEST | NLM_F_DUMP);
        let view = NsIdMessage::from_payload(msg.payload()).expect("view");
        let kinds: Vec<u16> = view.attrs().map(|a| a.kind()).collect();
        assert_eq!(kinds, vec![NETNSA_TARGET_NSID]);

        buf.clear();
        emit_query_nsids(&mut Builder::new(&mut buf), Some(5), None).expect("fits");
        let msg = Message::parse(&buf).expect("parses");
        assert_eq!(msg.flags(), NLM_F_REQUEST);
        let view = NsIdMessage::from_payload(msg.payload()).expect("view");
        assert_eq!(view.nsid(), Some(5));
        assert_eq!(view.attrs().count(), 1);
    }
}
