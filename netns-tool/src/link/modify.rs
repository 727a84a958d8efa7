//! Runs a parsed `ip link add|set|delete`: looks up the names the plan holds, opens the
//! namespaces it moves links to, and sends the one request (so a refused command changes
//! nothing).

use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;

use netlink_core::route::{KindAttr, LinkAttrs, LinkKind, NetnsRef};
use netlink_core::wire::Builder;

use super::kind_words::KindData;
use super::parse::{Action, EndPlan, Master, ModifyCommand, ModifyPlan, Target, VETH_USAGE};
use crate::toolbox::args::{invarg, parse_c_int, word_os};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::files::StdoutFd;
use crate::toolbox::netns_names::open_name_or_path;
use crate::toolbox::session::{self as nl, Session};

/// What one end needs looked up: a master's index and a namespace's descriptor (kept open
/// until the request is sent).
#[derive(Default)]
struct Resolved {
    master: Option<u32>,
    netns: Option<NetnsRef>,
    _netns_file: Option<File>,
}

fn resolve_end(session: &mut Session, end: &EndPlan<'_>) -> CliResult<Resolved> {
    let mut resolved = Resolved::default();
    if let Some(Master::Device(name)) = end.master {
        let index = session
            .ifindex(name)
            .map_err(|_| invarg("Device does not exist\n", name))?;
        resolved.master = u32::try_from(index).ok();
    }
    if let Some(word) = end.netns {
        if let Ok(file) = open_name_or_path(word_os(word)) {
            resolved.netns = Some(NetnsRef::Fd(file.as_raw_fd()));
            resolved._netns_file = Some(file);
        } else if let Some(pid) = parse_c_int(word) {
            // ip sends the int it read; the kernel refuses a PID that is not one.
            resolved.netns = Some(NetnsRef::Pid(pid as u32));
        } else {
            return Err(invarg("Invalid \"netns\" value\n", word));
        }
    }
    Ok(resolved)
}

fn apply(attrs: &mut LinkAttrs<'_>, resolved: &Resolved) {
    attrs.master = resolved.master.or(attrs.master);
    attrs.netns = resolved.netns;
}

/// Sends the request a plan describes (or prints the veth usage the plan stands for).
pub fn execute(session: &mut Session, command: &ModifyCommand<'_>) -> CliResult {
    let plan = match command {
        ModifyCommand::Request(plan) => plan,
        ModifyCommand::VethUsage => {
            // ip prints this usage on stdout.
            let _ = writeln!(StdoutFd, "{VETH_USAGE}");
            return Err(CliError::failed(""));
        }
    };
    let end = resolve_end(session, &plan.end)?;
    let peer = match &plan.peer {
        Some(p) => Some(resolve_end(session, p)?),
        None => None,
    };
    let kind_attrs = match &plan.kind_data {
        Some(data) => Some(resolve_kind_data(session, data)?),
        None => None,
    };
    let mut request = plan.request();
    if let (Some(LinkKind::WithData { data, .. }), Some(attrs)) = (&mut request.kind, &kind_attrs) {
        *data = Some(attrs);
    }
    if let Target::Device(dev) = plan.target {
        let index = session.ifindex(dev)?;
        if is_plain_delete(plan) {
            // A batch may tear a run of these down in bulk.
            return session.delete_link(index);
        }
        request.index = index;
    }
    apply(&mut request.attrs, &end);
    // ip looks the lower device up after the words, for a new link only.
    if let (Action::Add, Some(link)) = (plan.action, plan.end.link) {
        request.attrs.link = u32::try_from(session.ifindex(link)?).ok();
    }
    if let (Some(LinkKind::Veth { peer: attrs, .. }), Some(resolved)) = (&mut request.kind, &peer) {
        apply(attrs, resolved);
    }
    let mut buf = Vec::with_capacity(256);
    let mut b = Builder::new(&mut buf);
    match plan.action {
        Action::Add => request.emit_new(&mut b),
        Action::Set => request.emit_set(&mut b),
        Action::Delete => request.emit_del(&mut b),
    }
    .map_err(|e| CliError::failed(e.to_string()))?;
    let opens_namespace = end.netns.is_some() || peer.as_ref().is_some_and(|p| p.netns.is_some());
    let sent = if matches!(plan.target, Target::Group(_)) || opens_namespace {
        // A whole group changes at once, or the request carries a descriptor that is only
        // open until this function returns: sent now, after whatever is held.
        nl::request(session.socket()?, &mut buf)
    } else {
        session.request(&mut buf)
    };
    // Links may have changed in ways the name cache does not follow (a whole group, a
    // veth's peer going with it): no name looked up before may be trusted after.
    session.links_changed();
    sent
}

/// The kind's data with the device it names looked up (ip exits 255 when there is none),
/// after ip's warning, if it has one.
fn resolve_kind_data(
    session: &mut Session,
    data: &KindData<'_>,
) -> CliResult<Vec<KindAttr<'static>>> {
    let mut attrs = data.attrs.clone();
    if let Some((at, name, missing)) = data.device {
        let index = session.ifindex(name).map_err(|_| missing.error(name))?;
        if let (Some(slot), Ok(index)) = (attrs.get_mut(at), u32::try_from(index)) {
            if let KindAttr::U32(kind, _) = *slot {
                *slot = KindAttr::U32(kind, index);
            }
        }
    }
    if let Some(warning) = data.warning {
        eprintln!("{warning}");
    }
    Ok(attrs)
}

/// `link delete DEV` and nothing else: no flag word, no attribute word (each is noted in
/// `order`, master and netns included), no new name, kind or peer.
fn is_plain_delete(plan: &ModifyPlan<'_>) -> bool {
    let end = &plan.end;
    plan.action == Action::Delete
        && end.change == 0
        && end.order.is_empty()
        && plan.name.is_none()
        && end.kind.is_none()
        && plan.peer.is_none()
}
