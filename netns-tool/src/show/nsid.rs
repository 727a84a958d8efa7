//! The nsid printer: ip's `print_nsid`, shared by `netns list-id` and `monitor nsid`.
//!
//! ```text
//! nsid 5 (iproute2 netns name: foo)
//! ```

use std::ffi::OsStr;
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;

use netlink_core::route::consts::{RTM_DELNSID, RTM_NEWNSID};
use netlink_core::route::NsIdMessage;
use netlink_core::wire::Message;

use super::route_out::StickyOut;
use crate::toolbox::args::word_from_bytes;
use crate::toolbox::output::Out;

/// The fields of an nsid message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsIdReply {
    /// `RTM_DELNSID`.
    pub deleted: bool,
    /// `NETNSA_NSID`.
    pub nsid: Option<i32>,
    /// `NETNSA_CURRENT_NSID`.
    pub current: Option<i32>,
}

impl NsIdReply {
    /// The fields of an `RTM_NEWNSID` / `RTM_DELNSID` message (None for any other).
    pub fn parse(msg: &Message<'_>) -> Option<Self> {
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

/// Prints one nsid message as ip's `print_nsid` does, with the name found for it.
pub fn print_nsid<W: Write>(
    out: &mut Out<W>,
    reply: &NsIdReply,
    name: Option<&OsStr>,
) -> io::Result<()> {
    let mut sticky = StickyOut::new(out);
    let out = &mut sticky;
    out.open_object(None);
    if reply.deleted {
        out.with(|o| o.boolean("deleted", format_args!("Deleted "), true));
    }
    match reply.nsid.unwrap_or(-1) {
        nsid if nsid < 0 => out.text_str("nsid unassigned "),
        nsid => out.with(|o| o.put_int("nsid", "nsid ", i64::from(nsid), " ")),
    }
    match reply.current {
        Some(c) if c < 0 => out.text_str("current-nsid unassigned "),
        Some(c) => out.with(|o| o.put_int("current-nsid", "current-nsid ", i64::from(c), " ")),
        None => {}
    }
    if let Some(name) = name {
        let name = word_from_bytes(name.as_bytes());
        out.put_str("name", "(iproute2 netns name: ", &name, ")");
    }
    out.text_str("\n");
    out.close_object();
    sticky.finish()
}
