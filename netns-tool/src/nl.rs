//! The bridge between the CLI and netlink-core: one socket per command, ip's wording for
//! kernel errors, and interface name/index lookups.

use netlink_core::route::consts::{AF_UNSPEC, RTEXT_FILTER_VF};
use netlink_core::route::{emit_dump_links, emit_get_link, LinkMessage};
use netlink_core::socket::{Error, Socket};
use netlink_core::wire::Builder;

use crate::error::{CliError, CliResult};

/// Opens the rtnetlink socket, as ip does at start-up.
pub fn open() -> CliResult<Socket> {
    Socket::new().map_err(|e| CliError::failed(format!("Cannot open netlink socket: {e}")))
}

/// A kernel refusal in ip's words and exit status 2: `Error: TEXT.` when the kernel gave an
/// extended-ACK message, else `RTNETLINK answers: STRERROR`.
pub fn kernel_error(e: Error) -> CliError {
    match e {
        Error::Kernel(k) => match &k.message {
            Some(m) => {
                let dot = if m.ends_with('.') { "" } else { "." };
                CliError::failed_with(2, format!("Error: {m}{dot}"))
            }
            None => CliError::failed_with(2, format!("RTNETLINK answers: {}", k.strerror())),
        },
        Error::DumpInterrupted => CliError::failed_with(2, e.to_string()),
        other => CliError::failed_with(2, format!("Error: {other}")),
    }
}

/// Sends one request and waits for its ACK, mapping a refusal to ip's error.
pub fn request(sock: &mut Socket, buf: &mut [u8]) -> CliResult {
    sock.request(buf).map_err(kernel_error)
}

/// The index of device `name`, or ip's `Cannot find device "NAME"` (exit 1).
pub fn ifindex(sock: &mut Socket, name: &str) -> CliResult<i32> {
    if name.len() >= 16 || name.is_empty() {
        return Err(CliError::failed(format!("Cannot find device \"{name}\"")));
    }
    let mut buf = Vec::with_capacity(64);
    emit_get_link(&mut Builder::new(&mut buf), 0, Some(name), RTEXT_FILTER_VF)
        .map_err(|e| CliError::failed(e.to_string()))?;
    sock.get(&mut buf, |msg| Ok(LinkMessage::parse(&msg)?.index()))
        .map_err(|_| CliError::failed(format!("Cannot find device \"{name}\"")))
}

/// Index-to-name table of this namespace's links, filled by one dump, for printers that
/// show `dev NAME` for an index.
#[derive(Debug, Default, Clone)]
pub struct LinkNames {
    names: Vec<(u32, String)>,
}

impl LinkNames {
    /// Dumps the links once.
    pub fn load(sock: &mut Socket) -> CliResult<Self> {
        let mut buf = Vec::with_capacity(64);
        emit_dump_links(&mut Builder::new(&mut buf), AF_UNSPEC, RTEXT_FILTER_VF)
            .map_err(|e| CliError::failed(e.to_string()))?;
        let mut names = Vec::new();
        sock.dump(&mut buf, |msg| {
            let link = LinkMessage::parse(&msg)?;
            if let (Ok(index), Some(name)) = (u32::try_from(link.index()), link.name()) {
                names.push((index, name.to_owned()));
            }
            Ok(())
        })
        .map_err(kernel_error)?;
        names.sort_unstable_by_key(|(i, _)| *i);
        Ok(LinkNames { names })
    }

    /// The name of `index`, or ip's fallback `if<N>`.
    pub fn name(&self, index: u32) -> String {
        match self.names.binary_search_by_key(&index, |(i, _)| *i) {
            Ok(at) => self
                .names
                .get(at)
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
            Err(_) => format!("if{index}"),
        }
    }
}
