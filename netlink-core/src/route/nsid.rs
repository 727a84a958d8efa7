//! Namespace ids: `RTM_NEWNSID` / `RTM_GETNSID` with `NETNSA_FD` / `NETNSA_NSID`.

use super::consts::*;
use crate::wire::{Builder, EncodeError, RtGenMsg};

view! {
    /// An nsid message (`RTM_NEWNSID`, `RTM_DELNSID`) borrowed from a received buffer.
    NsIdMessage(RtGenMsg, 8): RTM_NEWNSID | RTM_DELNSID | RTM_GETNSID;
}

impl<'a> NsIdMessage<'a> {
    attr_getters! {
        /// `NETNSA_NSID`: the id (-1 when none is assigned).
        nsid: NETNSA_NSID => i32 -> i32;
        i32 -> i32: current_nsid NETNSA_CURRENT_NSID;
        u32 -> u32: pid NETNSA_PID, fd NETNSA_FD;
    }
}

/// Which namespace an nsid request is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NsTarget {
    /// An open namespace file descriptor.
    Fd(u32),
    /// A process's namespace.
    Pid(u32),
}

fn begin(b: &mut Builder<'_>, ty: u16, flags: u16) -> crate::wire::MessageStart {
    let m = b.begin_request(ty, flags);
    b.push(&RtGenMsg { family: AF_UNSPEC });
    m
}

fn target(b: &mut Builder<'_>, t: NsTarget) {
    match t {
        NsTarget::Fd(fd) => b.attr_u32(NETNSA_FD, fd),
        NsTarget::Pid(pid) => b.attr_u32(NETNSA_PID, pid),
    }
}

/// Appends an `RTM_NEWNSID` assigning `nsid` (-1 lets the kernel choose) to a namespace.
pub fn emit_new_nsid(b: &mut Builder<'_>, ns: NsTarget, nsid: i32) -> Result<usize, EncodeError> {
    let m = begin(b, RTM_NEWNSID, NLM_F_REQUEST | NLM_F_ACK);
    target(b, ns);
    b.attr_i32(NETNSA_NSID, nsid);
    b.finish(m)
}

/// Appends an `RTM_GETNSID` asking the id of a namespace; the reply is one `RTM_NEWNSID`.
pub fn emit_get_nsid(b: &mut Builder<'_>, ns: NsTarget) -> Result<usize, EncodeError> {
    let m = begin(b, RTM_GETNSID, NLM_F_REQUEST);
    target(b, ns);
    b.finish(m)
}

/// Appends an `RTM_GETNSID` dump of every id this namespace has assigned.
pub fn emit_dump_nsids(b: &mut Builder<'_>) -> Result<usize, EncodeError> {
    emit_query_nsids(b, None, None)
}

/// Appends an `RTM_GETNSID` with `ip netns list-id`'s filters: `nsid` asks for that one id
/// (a single reply, not a dump); `target` reads the ids that another namespace, known here
/// by its own nsid, has assigned (`NETNSA_TARGET_NSID`).
pub fn emit_query_nsids(
    b: &mut Builder<'_>,
    nsid: Option<i32>,
    target: Option<i32>,
) -> Result<usize, EncodeError> {
    let flags = if nsid.is_some() {
        NLM_F_REQUEST
    } else {
        NLM_F_REQUEST | NLM_F_DUMP
    };
    let m = begin(b, RTM_GETNSID, flags);
    b.attr_opt(NETNSA_NSID, nsid);
    b.attr_opt(NETNSA_TARGET_NSID, target);
    b.finish(m)
}
