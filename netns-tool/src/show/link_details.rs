//! `-d`: the `IFLA_LINKINFO` part of a link as ip 6.1 prints it — the kind line, and the
//! data of the kinds ip describes ([`super::link_kinds`]).
//!

use std::io::{self, Write};

use netlink_core::route::LinkInfo;
use netlink_core::wire::{Attr, Attrs};

use super::link_kinds::{described, print_kind_data, Described};
use crate::toolbox::cache::LinkCache;
use crate::toolbox::output::Out;
use crate::toolbox::owners::OwnerNames;

/// The kind line(s): `\n    veth `, `\n    bridge forward_delay ...`,
/// `\n    bridge_slave state ...`; JSON `linkinfo.{info_kind,info_data,info_slave_kind,...}`.
/// `owners` names the uids and gids a tun's data holds. `sl` is ip's `_SL_`: a newline, or `\` under `-o`.
pub fn print_link_info<W: Write>(
    out: &mut Out<W>,
    info: &LinkInfo<'_>,
    cache: &LinkCache,
    owners: &OwnerNames,
    sl: &str,
) -> io::Result<()> {
    let names = (cache, owners);
    out.open_object(Some("linkinfo"))?;
    if let Some(kind) = info.kind {
        let part = ("info_kind", "info_data", "");
        print_part(
            out,
            part,
            kind,
            described(kind),
            info.data.clone(),
            names,
            sl,
        )?;
    }
    if let Some(slave) = info.slave_kind {
        let part = ("info_slave_kind", "info_slave_data", "_slave");
        let port = (slave == "bridge").then_some(Described::BridgePort);
        print_part(out, part, slave, port, info.slave_data.clone(), names, sl)?;
    }
    out.close_object()
}

/// One kind line (JSON keys of the kind and its data, and what follows the kind in the
/// text), then the data when `-d` describes that kind (its object even without data).
fn print_part<W: Write>(
    out: &mut Out<W>,
    (kind_key, data_key, suffix): (&str, &str, &str),
    kind: &str,
    printer: Option<Described>,
    data: Option<Attrs<'_>>,
    names: (&LinkCache, &OwnerNames),
    sl: &str,
) -> io::Result<()> {
    out.string(kind_key, format_args!("{sl}    {kind}{suffix} "), kind)?;
    let Some(printer) = printer else {
        return Ok(());
    };
    out.open_object(Some(data_key))?;
    if let Some(data) = data {
        print_kind_data(out, printer, &table(data), names, sl)?;
    }
    out.close_object()
}

/// Attributes of a nest in a table indexed by type (only the first of each type counts),
/// on the stack: `-d` builds one or two for every link it prints.
fn table(attrs: Attrs<'_>) -> [Option<Attr<'_>>; 64] {
    let mut tb: [Option<Attr<'_>>; 64] = [None; 64];
    for a in attrs {
        if let Some(slot) = tb.get_mut(usize::from(a.kind())) {
            if slot.is_none() {
                *slot = Some(a);
            }
        }
    }
    tb
}
/// For the kind printers' tests: what `print` makes of the attributes `emit` builds (looked
/// up by type as [`print_link_info`] looks them up) inside one object, in text or JSON.
#[cfg(test)]
pub fn printed_kind_data(
    emit: impl FnOnce(&mut netlink_core::wire::Builder<'_>),
    print: impl FnOnce(&mut Out<&mut Vec<u8>>, &[Option<Attr<'_>>]) -> io::Result<()>,
    json: bool,
) -> String {
    let mut buf = Vec::new();
    emit(&mut netlink_core::wire::Builder::new(&mut buf));
    let tb = table(Attrs::new(&buf));
    let mut text = Vec::new();
    let mut out = Out::new(&mut text, json, false);
    out.open_object(None).unwrap();
    print(&mut out, &tb).unwrap();
    out.close_object().unwrap();
    out.finish().unwrap();
    drop(out);
    String::from_utf8(text).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::show::link_rows::{print_rows, Row, PORT_ROWS};

    #[test]
    fn bridge_ids_and_forward_masks_print_as_ip_prints_them() {
        let cache = LinkCache::new();
        let id = [0x80u8, 0x00, 0x02, 0x00, 0x00, 0xab, 0x00, 0x01];
        let printed = |rows: &'static [Row], json| {
            printed_kind_data(
                |b| {
                    b.attr(14, &id);
                    b.attr(31, &0u16.to_ne_bytes());
                },
                |o, tb| print_rows(o, tb, rows, &cache),
                json,
            )
        };
        assert_eq!(
            printed(PORT_ROWS, false),
            "designated_bridge 8000.2:0:0:ab:0:1 group_fwd_mask 0 group_fwd_mask_str 0x0 "
        );
        let json = printed(PORT_ROWS, true);
        assert!(
            json.contains(
                r#""bridge_id":"8000.2:0:0:ab:0:1","group_fwd_mask":"0","group_fwd_mask_str":"0x0""#
            ),
            "{json}"
        );
        // A bridge id shorter than its struct prints nothing.
        let short = printed_kind_data(
            |b| b.attr(14, &id[..7]),
            |o, tb| print_rows(o, tb, PORT_ROWS, &cache),
            false,
        );
        assert_eq!(short, "");
    }
}
