//! Namespace ids (nsid): `netns list` ids, `netns set`, `netns list-id`, over rtnetlink
//! `RTM_NEWNSID` / `RTM_GETNSID` on the shared socket ([`crate::nl`]).

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use netlink_core::route::consts::{RTM_DELNSID, RTM_NEWNSID};
use netlink_core::route::{emit_get_nsid, emit_new_nsid, emit_query_nsids, NsIdMessage, NsTarget};
use netlink_core::socket::Socket;
use netlink_core::wire::{Builder, Message};

use super::json::JsonList;
use super::{registry, sys};
use crate::toolbox::args::{parse_c_int, Globals};
use crate::toolbox::error::{CliError, CliResult};
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

/// The fields of an nsid message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NsIdReply {
    deleted: bool,
    nsid: Option<i32>,
    current: Option<i32>,
}

impl NsIdReply {
    fn parse(msg: &Message<'_>) -> Option<Self> {
        let deleted = match msg.ty() {
            RTM_NEWNSID => false,
            RTM_DELNSID => true,
            _ => return None,
        };
        let view = NsIdMessage::parse(msg).ok()?;
        Some(NsIdReply {
            deleted,
            nsid: view.nsid(),
            current: view.current_nsid(),
        })
    }
}

/// Opens a namespace by name as ip's `netns_get_fd` does: a path when it holds a `/`.
fn open_by_name(name: &OsStr) -> io::Result<OwnedFd> {
    if name.as_bytes().contains(&b'/') {
        sys::open(name, libc::O_RDONLY, 0)
    } else {
        sys::open(registry::path_of(name), libc::O_RDONLY, 0)
    }
}

/// The id of a named namespace, if it has one (any failure reads as none, as in ip).
fn nsid_of_name(sock: &mut Socket, name: &OsStr) -> Option<i32> {
    let fd = open_by_name(name).ok()?;
    nsid_of_fd(sock, &fd).filter(|&id| id >= 0)
}

fn write_failed(e: io::Error) -> CliError {
    CliError::failed(format!("write: {}", sys::strerror(&e)))
}

/// `ip netns list`: names in directory order, with ` (id: N)` when this namespace has an id
/// for them; `-j` prints `[{"name":..,"id":..}]`. No /run/netns prints nothing at all.
pub fn list(g: &Globals) -> CliResult {
    let Ok(names) = registry::names() else {
        return Ok(());
    };
    let mut sock = Socket::new().ok();
    let mut out = io::stdout().lock();
    let mut json = g.json.then(|| JsonList::new(g.pretty));
    for name in names {
        let id = sock.as_mut().and_then(|s| nsid_of_name(s, &name));
        if let Some(json) = json.as_mut() {
            json.begin_object();
            json.string("name", name.as_bytes());
            if let Some(id) = id {
                json.int("id", i64::from(id));
            }
            json.end_object();
        } else {
            let mut line = name.as_bytes().to_vec();
            if let Some(id) = id {
                line.extend_from_slice(format!(" (id: {id})").as_bytes());
            }
            line.push(b'\n');
            out.write_all(&line).map_err(write_failed)?;
        }
    }
    if let Some(json) = json {
        out.write_all(&json.finish()).map_err(write_failed)?;
    }
    Ok(())
}

/// `ip netns set NAME NSID|auto`.
pub fn set(session: &mut Session, words: &[String]) -> CliResult {
    let (name, value) = match words {
        [] => return Err(CliError::failed("No netns name specified")),
        [_] => return Err(CliError::failed("No nsid specified")),
        [name, value, ..] => (name, value.as_str()),
    };
    // A negative id asks the kernel to choose one.
    let nsid = if value == "auto" {
        -1
    } else {
        match parse_c_int(value) {
            None => {
                return Err(crate::toolbox::args::invarg(
                    "Invalid \"netnsid\" value",
                    value,
                ));
            }
            Some(n) if n < 0 => {
                return Err(crate::toolbox::args::invarg(
                    "\"netnsid\" value should be >= 0",
                    value,
                ));
            }
            Some(n) => n,
        }
    };
    let fd = open_by_name(OsStr::new(name)).map_err(|e| {
        CliError::failed(format!(
            "Cannot open network namespace \"{name}\": {}",
            sys::strerror(&e)
        ))
    })?;
    let raw = u32::try_from(fd.as_raw_fd()).unwrap_or(u32::MAX);
    let sock = session.socket()?;
    let mut buf = Vec::with_capacity(48);
    emit_new_nsid(&mut Builder::new(&mut buf), NsTarget::Fd(raw), nsid)
        .map_err(|e| CliError::failed(e.to_string()))?;
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

/// Prints one nsid message as ip's `print_nsid` does.
fn print_nsid(
    reply: &NsIdReply,
    names: &mut NameMap,
    sock: &mut Socket,
    json: Option<&mut JsonList>,
    text: &mut Vec<u8>,
) {
    let nsid = reply.nsid.unwrap_or(-1);
    let key = reply.current.unwrap_or(nsid);
    let mut name = names.take(key);
    if name.is_none() && !reply.deleted {
        name = NameMap::lookup(sock, nsid);
        if let Some(found) = &name {
            names.entries.push((nsid, found.clone()));
        }
    }
    if let Some(json) = json {
        json.begin_object();
        if reply.deleted {
            json.raw("deleted", "true");
        }
        if nsid >= 0 {
            json.int("nsid", i64::from(nsid));
        }
        if let Some(current) = reply.current.filter(|c| *c >= 0) {
            json.int("current-nsid", i64::from(current));
        }
        if let Some(name) = &name {
            json.string("name", name.as_bytes());
        }
        json.end_object();
        return;
    }
    if reply.deleted {
        text.extend_from_slice(b"Deleted ");
    }
    if nsid < 0 {
        text.extend_from_slice(b"nsid unassigned ");
    } else {
        text.extend_from_slice(format!("nsid {nsid} ").as_bytes());
    }
    match reply.current {
        Some(c) if c < 0 => text.extend_from_slice(b"current-nsid unassigned "),
        Some(c) => text.extend_from_slice(format!("current-nsid {c} ").as_bytes()),
        None => {}
    }
    if let Some(name) = &name {
        text.extend_from_slice(b"(iproute2 netns name: ");
        text.extend_from_slice(name.as_bytes());
        text.push(b')');
    }
    text.push(b'\n');
}

/// ip's `duparg`: a keyword given twice.
fn duplicate(key: &str) -> CliError {
    CliError::usage(format!(
        "Error: duplicate \"{key}\": \"{key}\" is the second value."
    ))
}

/// `ip netns list-id [target-nsid N] [nsid N]`.
pub fn list_id(
    g: &Globals,
    session: &mut Session,
    words: &[String],
    usage: impl Fn() -> CliError,
) -> CliResult {
    let mut target: Option<i32> = None;
    let mut only: Option<i32> = None;
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        let slot = match word.as_str() {
            "target-nsid" => &mut target,
            "nsid" => &mut only,
            _ => return Err(usage()),
        };
        if slot.is_some() {
            return Err(duplicate(word));
        }
        let value = rest.next().ok_or_else(crate::toolbox::args::incomplete)?;
        match parse_c_int(value) {
            None => {
                return Err(crate::toolbox::args::invarg(
                    &format!("\"{word}\" value is invalid"),
                    value,
                ))
            }
            Some(n) if n < 0 => {
                // ip names the word after the value here, "(null)" when there is none.
                let after = rest.as_slice().first().map_or("(null)", String::as_str);
                return Err(crate::toolbox::args::invarg(
                    &format!("\"{word}\" value should be >= 0"),
                    after,
                ));
            }
            Some(n) => *slot = Some(n),
        }
    }
    let sock = session.socket()?;
    let mut names = NameMap::build(sock);
    let mut buf = Vec::with_capacity(48);
    emit_query_nsids(&mut Builder::new(&mut buf), only, target)
        .map_err(|e| CliError::failed(e.to_string()))?;
    let mut replies = Vec::new();
    let mut keep = |msg: Message<'_>| {
        if let Some(reply) = NsIdReply::parse(&msg) {
            replies.push(reply);
        }
        Ok(())
    };
    let received = if only.is_some() {
        sock.get(&mut buf, keep).map_err(nl::kernel_error)
    } else {
        sock.dump(&mut buf, &mut keep).map_err(nl::kernel_error)
    };
    if let Err(e) = received {
        if only.is_some() {
            return Err(e);
        }
        // ip reports the kernel's error as it comes, closes whatever it printed (an empty
        // JSON array with -j), then says the dump ended.
        eprintln!("{}", e.message());
        print_replies(g, &replies, &mut names, sock)?;
        return Err(CliError::failed("Dump terminated"));
    }
    print_replies(g, &replies, &mut names, sock)
}

fn print_replies(
    g: &Globals,
    replies: &[NsIdReply],
    names: &mut NameMap,
    sock: &mut Socket,
) -> CliResult {
    let mut json = g.json.then(|| JsonList::new(g.pretty));
    let mut text = Vec::new();
    for reply in replies {
        print_nsid(reply, names, sock, json.as_mut(), &mut text);
    }
    if let Some(json) = json {
        text = json.finish();
    }
    io::stdout().lock().write_all(&text).map_err(write_failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use netlink_core::route::consts::NETNSA_CURRENT_NSID;
    use netlink_core::route::consts::{
        NETNSA_NSID, NETNSA_TARGET_NSID, NLM_F_DUMP, NLM_F_REQUEST, RTM_GETNSID,
    };

    #[test]
    fn c_integers_read_as_strtol_base_0() {
        assert_eq!(parse_c_int("7"), Some(7));
        assert_eq!(parse_c_int("0x10"), Some(16));
        assert_eq!(parse_c_int("010"), Some(8));
        assert_eq!(parse_c_int("0"), Some(0));
        assert_eq!(parse_c_int("-3"), Some(-3));
        assert_eq!(parse_c_int("99999999999"), None);
        assert_eq!(parse_c_int("abc"), None);
        assert_eq!(parse_c_int("08"), None);
        assert_eq!(parse_c_int(""), None);
        assert_eq!(parse_c_int("-"), None);
        assert_eq!(parse_c_int("0x"), None);
    }

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
