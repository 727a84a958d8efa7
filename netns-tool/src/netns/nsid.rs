//! Namespace ids (nsid): `netns list` ids, `netns set`, `netns list-id`, over rtnetlink
//! `RTM_NEWNSID` / `RTM_GETNSID`.
//!
//! The requests are built with [`netlink_core::wire::Builder`] and read with the wire views;
//! the socket here is the few calls these one-shot requests need.

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;

use netlink_core::wire::{Attrs, Builder, Message, Messages, NLMSG_DONE, NLMSG_ERROR};

use super::json::JsonList;
use super::{registry, sys};
use crate::cli::Globals;
use crate::error::{CliError, CliResult};

const RTM_NEWNSID: u16 = 88;
const RTM_DELNSID: u16 = 89;
const RTM_GETNSID: u16 = 90;
const NETNSA_NSID: u16 = 1;
const NETNSA_FD: u16 = 3;
const NETNSA_TARGET_NSID: u16 = 4;
const NETNSA_CURRENT_NSID: u16 = 5;
const NLM_F_REQUEST: u16 = 1;
const NLM_F_MULTI: u16 = 2;
const NLM_F_ACK: u16 = 4;
const NLM_F_DUMP: u16 = 0x300;
const SOL_NETLINK: libc::c_int = 270;
const NETLINK_EXT_ACK: libc::c_int = 11;
const NETLINK_GET_STRICT_CHK: libc::c_int = 12;

/// Why a request failed.
#[derive(Debug)]
enum RtnlError {
    /// The socket itself failed.
    Io(io::Error),
    /// The kernel refused: errno and its extended-ACK text.
    Kernel { errno: i32, text: Option<String> },
    /// The reply could not be read.
    Garbled,
}

impl RtnlError {
    /// ip's report: `Error: TEXT.` when the kernel explained, else `RTNETLINK answers: ...`.
    fn describe(&self) -> String {
        match self {
            RtnlError::Kernel {
                text: Some(text), ..
            } => {
                let dot = if text.ends_with('.') { "" } else { "." };
                format!("Error: {text}{dot}")
            }
            RtnlError::Kernel { errno, text: None } => format!(
                "RTNETLINK answers: {}",
                sys::strerror(&io::Error::from_raw_os_error(*errno))
            ),
            RtnlError::Io(e) => format!("Cannot talk to rtnetlink: {}", sys::strerror(e)),
            RtnlError::Garbled => "Cannot read the rtnetlink reply".to_string(),
        }
    }
}

/// A `NETLINK_ROUTE` socket with extended ACK and strict dump checking (strict checking is
/// what makes the kernel honour `NETNSA_TARGET_NSID` in a dump).
struct Rtnl {
    fd: OwnedFd,
    seq: u32,
    request: Vec<u8>,
    reply: Vec<u8>,
}

impl Rtnl {
    fn open() -> io::Result<Self> {
        // SAFETY: socket takes only integers and returns a new descriptor or -1.
        let fd = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_ROUTE,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just returned by socket and is owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        for option in [NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK] {
            let on: libc::c_int = 1;
            // SAFETY: `on` is a valid c_int for the length passed. Failure only means an
            // older kernel, which then answers without the extras.
            unsafe {
                libc::setsockopt(
                    fd.as_raw_fd(),
                    SOL_NETLINK,
                    option,
                    (&on as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
        }
        Ok(Rtnl {
            fd,
            seq: 0,
            request: Vec::with_capacity(64),
            reply: vec![0; 32 * 1024],
        })
    }

    /// Builds one request with `fill` (after its `rtgenmsg`) and sends it; returns its seq.
    fn send(
        &mut self,
        ty: u16,
        flags: u16,
        fill: impl FnOnce(&mut Builder<'_>),
    ) -> Result<u32, RtnlError> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        self.request.clear();
        let mut b = Builder::new(&mut self.request);
        let start = b.begin(ty, flags, seq);
        b.push_bytes(&[libc::AF_UNSPEC as u8]);
        fill(&mut b);
        b.finish(start).map_err(|_| RtnlError::Garbled)?;
        // SAFETY: the request buffer is valid for reads of its length; the kernel is the
        // default destination of an unbound, unconnected netlink socket.
        let sent = unsafe {
            libc::send(
                self.fd.as_raw_fd(),
                self.request.as_ptr().cast(),
                self.request.len(),
                0,
            )
        };
        if sent < 0 {
            return Err(RtnlError::Io(io::Error::last_os_error()));
        }
        Ok(seq)
    }

    /// Receives datagrams and hands every message answering `seq` to `each` until the answer
    /// is complete: one reply or ACK, or a dump's `NLMSG_DONE`. `each` returns whether the
    /// answer is complete (a single reply ends it).
    fn receive(
        &mut self,
        seq: u32,
        mut each: impl FnMut(&Message<'_>) -> bool,
    ) -> Result<(), RtnlError> {
        loop {
            // SAFETY: the reply buffer is valid for writes of its full length.
            let got = unsafe {
                libc::recv(
                    self.fd.as_raw_fd(),
                    self.reply.as_mut_ptr().cast(),
                    self.reply.len(),
                    0,
                )
            };
            let Ok(got) = usize::try_from(got) else {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(RtnlError::Io(e));
            };
            let datagram = self.reply.get(..got).unwrap_or(&[]);
            for msg in Messages::new(datagram) {
                let msg = msg.map_err(|_| RtnlError::Garbled)?;
                if msg.seq() != seq {
                    continue;
                }
                match msg.ty() {
                    NLMSG_ERROR => {
                        let err = msg.error().ok_or(RtnlError::Garbled)?;
                        let err = err.map_err(|_| RtnlError::Garbled)?;
                        if err.is_ack() {
                            return Ok(());
                        }
                        return Err(RtnlError::Kernel {
                            errno: err.errno(),
                            text: err.message().map(str::to_string),
                        });
                    }
                    NLMSG_DONE => return done_status(msg.payload()),
                    _ => {
                        if each(&msg) && msg.flags() & NLM_F_MULTI == 0 {
                            return Ok(());
                        }
                    }
                }
            }
        }
    }

    /// The nsid this namespace gave the namespace behind `fd` (-1: none assigned).
    fn nsid_of_fd(&mut self, fd: &OwnedFd) -> Result<i32, RtnlError> {
        let raw = u32::try_from(fd.as_raw_fd()).map_err(|_| RtnlError::Garbled)?;
        let seq = self.send(RTM_GETNSID, NLM_F_REQUEST, |b| b.attr_u32(NETNSA_FD, raw))?;
        let mut nsid = None;
        self.receive(seq, |msg| {
            nsid = NsIdReply::parse(msg).and_then(|r| r.nsid);
            true
        })?;
        nsid.ok_or(RtnlError::Garbled)
    }
}

/// The status a dump's `NLMSG_DONE` carries (a negative errno when the dump failed).
fn done_status(payload: &[u8]) -> Result<(), RtnlError> {
    let status = payload
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .map(i32::from_ne_bytes)
        .unwrap_or(0);
    if status >= 0 {
        return Ok(());
    }
    // The extended ACK, when present, follows the status as attributes.
    let text = Attrs::new(payload.get(4..).unwrap_or(&[]))
        .find(|a| a.kind() == netlink_core::wire::NLMSGERR_ATTR_MSG)
        .and_then(|a| a.str())
        .map(str::to_string);
    Err(RtnlError::Kernel {
        errno: status.checked_neg().unwrap_or(i32::MAX),
        text,
    })
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
        // An `rtgenmsg`, padded to 4 bytes, then the attributes.
        let attrs = Attrs::new(msg.payload().get(4..)?);
        let mut reply = NsIdReply {
            deleted,
            nsid: None,
            current: None,
        };
        let as_i32 = |v: &[u8]| v.get(..4)?.try_into().ok().map(i32::from_ne_bytes);
        for attr in attrs {
            match attr.kind() {
                NETNSA_NSID => reply.nsid = as_i32(attr.value()),
                NETNSA_CURRENT_NSID => reply.current = as_i32(attr.value()),
                _ => {}
            }
        }
        Some(reply)
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
fn nsid_of_name(rtnl: &mut Rtnl, name: &OsStr) -> Option<i32> {
    let fd = open_by_name(name).ok()?;
    rtnl.nsid_of_fd(&fd).ok().filter(|&id| id >= 0)
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
    let mut rtnl = Rtnl::open().ok();
    let mut out = io::stdout().lock();
    let mut json = g.json.then(|| JsonList::new(g.pretty));
    for name in names {
        let id = rtnl.as_mut().and_then(|r| nsid_of_name(r, &name));
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

/// ip's `get_integer(.., 0)`: decimal, `0x` hex or leading-`0` octal, optional sign,
/// within `int`.
pub fn parse_c_int(word: &str) -> Option<i32> {
    let (negative, digits) = match word.as_bytes().first()? {
        b'-' => (true, word.get(1..)?),
        b'+' => (false, word.get(1..)?),
        _ => (false, word),
    };
    let (radix, digits) = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        (16, hex)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, digits.get(1..)?)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).ok()
}

/// `ip netns set NAME NSID|auto`.
pub fn set(words: &[String]) -> CliResult {
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
                return Err(crate::cli::invalid_arg("Invalid \"netnsid\" value", value));
            }
            Some(n) if n < 0 => {
                return Err(crate::cli::invalid_arg(
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
    let mut rtnl = Rtnl::open()
        .map_err(|e| CliError::failed(format!("Cannot open rtnetlink: {}", sys::strerror(&e))))?;
    let kernel_error = |e: RtnlError| CliError::failed_with(2, e.describe());
    let seq = rtnl
        .send(RTM_NEWNSID, NLM_F_REQUEST | NLM_F_ACK, |b| {
            b.attr_u32(NETNSA_FD, raw);
            b.attr_i32(NETNSA_NSID, nsid);
        })
        .map_err(kernel_error)?;
    rtnl.receive(seq, |_| false).map_err(kernel_error)
}

/// ip's cache of (nsid, name) pairs for `list-id`: built from /run/netns once, each entry
/// printed at most once, names missing from it looked up afresh.
struct NameMap {
    entries: Vec<(i32, OsString)>,
}

impl NameMap {
    fn build(rtnl: &mut Rtnl) -> Self {
        let mut entries: Vec<(i32, OsString)> = Vec::new();
        for name in registry::names().unwrap_or_default() {
            if let Some(id) = nsid_of_name(rtnl, &name) {
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
    fn lookup(rtnl: &mut Rtnl, nsid: i32) -> Option<OsString> {
        if nsid < 0 {
            return None;
        }
        registry::names()
            .ok()?
            .into_iter()
            .find(|name| nsid_of_name(rtnl, name) == Some(nsid))
    }
}

/// Prints one nsid message as ip's `print_nsid` does.
fn print_nsid(
    reply: &NsIdReply,
    names: &mut NameMap,
    rtnl: &mut Rtnl,
    json: Option<&mut JsonList>,
    text: &mut Vec<u8>,
) {
    let nsid = reply.nsid.unwrap_or(-1);
    let key = reply.current.unwrap_or(nsid);
    let mut name = names.take(key);
    if name.is_none() && !reply.deleted {
        name = NameMap::lookup(rtnl, nsid);
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
pub fn list_id(g: &Globals, words: &[String], usage: impl Fn() -> CliError) -> CliResult {
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
        let value = rest.next().ok_or_else(crate::cli::incomplete)?;
        match parse_c_int(value) {
            None => {
                return Err(crate::cli::invalid_arg(
                    &format!("\"{word}\" value is invalid"),
                    value,
                ))
            }
            Some(n) if n < 0 => {
                // ip names the word after the value here, "(null)" when there is none.
                let after = rest.as_slice().first().map_or("(null)", String::as_str);
                return Err(crate::cli::invalid_arg(
                    &format!("\"{word}\" value should be >= 0"),
                    after,
                ));
            }
            Some(n) => *slot = Some(n),
        }
    }
    let mut rtnl = Rtnl::open()
        .map_err(|e| CliError::failed(format!("Cannot open rtnetlink: {}", sys::strerror(&e))))?;
    let mut names = NameMap::build(&mut rtnl);
    let mut query = Rtnl::open()
        .map_err(|e| CliError::failed(format!("Cannot open rtnetlink: {}", sys::strerror(&e))))?;
    let add_target = |b: &mut Builder<'_>| {
        if let Some(t) = target {
            b.attr_i32(NETNSA_TARGET_NSID, t);
        }
    };
    let (seq, failure_status) = match only {
        Some(nsid) => {
            let seq = query
                .send(RTM_GETNSID, NLM_F_REQUEST, |b| {
                    b.attr_i32(NETNSA_NSID, nsid);
                    add_target(b);
                })
                .map_err(|e| CliError::failed_with(2, e.describe()))?;
            (seq, 2)
        }
        None => {
            let seq = query
                .send(RTM_GETNSID, NLM_F_REQUEST | NLM_F_DUMP, add_target)
                .map_err(|e| {
                    CliError::failed(format!("Cannot send dump request: {}", e.describe()))
                })?;
            (seq, 1)
        }
    };
    let mut replies = Vec::new();
    let received = query.receive(seq, |msg| {
        if let Some(reply) = NsIdReply::parse(msg) {
            replies.push(reply);
        }
        true
    });
    if let Err(e) = &received {
        if failure_status == 2 {
            return Err(CliError::failed_with(2, e.describe()));
        }
        // ip reports the kernel's error as it comes, closes whatever it printed (an empty
        // JSON array with -j), then says the dump ended.
        eprintln!("{}", e.describe());
    }
    let mut json = g.json.then(|| JsonList::new(g.pretty));
    let mut text = Vec::new();
    for reply in &replies {
        print_nsid(reply, &mut names, &mut rtnl, json.as_mut(), &mut text);
    }
    if let Some(json) = json {
        text = json.finish();
    }
    io::stdout().lock().write_all(&text).map_err(write_failed)?;
    match received {
        Ok(()) => Ok(()),
        Err(_) => Err(CliError::failed("Dump terminated")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dump_status_carries_the_kernel_text() {
        let mut payload = (-22i32).to_ne_bytes().to_vec();
        let text = b"Invalid target network namespace id\0";
        payload.extend_from_slice(&((4 + text.len()) as u16).to_ne_bytes());
        payload.extend_from_slice(&netlink_core::wire::NLMSGERR_ATTR_MSG.to_ne_bytes());
        payload.extend_from_slice(text);
        let err = done_status(&payload).expect_err("failed dump");
        assert_eq!(
            err.describe(),
            "Error: Invalid target network namespace id."
        );
        assert!(done_status(&0i32.to_ne_bytes()).is_ok());
        assert!(done_status(&[]).is_ok());
    }
}
