//! `-d`: a tun/tap device's `IFLA_INFO_DATA` as ip 6.1 prints it, with its owner and group
//! by name when the listing looked them up beforehand ([`OwnerNames`]).

use std::borrow::Cow;
use std::io::{self, Write};

use netlink_core::route::LinkMessage;
use netlink_core::wire::Attr;

use super::link_rows::{print_rows, Field::*, Row};
use super::route_out::StickyOut;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::output::Out;
use crate::toolbox::owners::OwnerNames;

const TUN_OWNER: usize = 1;
const TUN_GROUP: usize = 2;
const TUN_TYPE: usize = 3;
const TUN_PI: usize = 4;
const TUN_VNET_HDR: usize = 5;
const TUN_PERSIST: usize = 6;
const TUN_MULTI_QUEUE: usize = 7;
const TUN_NUM_QUEUES: usize = 8;
const TUN_NUM_DISABLED_QUEUES: usize = 9;
const IFF_TUN: u8 = 1;
const IFF_TAP: u8 = 2;

fn get<'a>(tb: &[Option<Attr<'a>>], kind: usize) -> Option<Attr<'a>> {
    tb.get(kind).copied().flatten()
}

/// The owner and group a tun link's data names: what a listing resolves before printing.
pub fn tun_owner_ids(link: &LinkMessage<'_>) -> (Option<u32>, Option<u32>) {
    let Some(info) = link.link_info().filter(|i| i.kind == Some("tun")) else {
        return (None, None);
    };
    let (mut owner, mut group) = (None, None);
    for a in info.data.into_iter().flatten() {
        match usize::from(a.kind()) {
            TUN_OWNER if owner.is_none() => owner = a.u32(),
            TUN_GROUP if group.is_none() => group = a.u32(),
            _ => {}
        }
    }
    (owner, group)
}

/// The owners and groups of the tun links among `links`, for a listing to look up before
/// it prints them.
pub fn owner_ids<'a>(links: impl Iterator<Item = LinkMessage<'a>>) -> (Vec<u32>, Vec<u32>) {
    let (mut uids, mut gids) = (Vec::new(), Vec::new());
    for link in links {
        let (owner, group) = tun_owner_ids(&link);
        uids.extend(owner.filter(|u| !uids.contains(u)));
        gids.extend(group.filter(|g| !gids.contains(g)));
    }
    (uids, gids)
}

/// ip's `tun_print_opt`: type, pi, vnet_hdr, the queues, persist, user, group.
pub fn print_tun<W: Write>(
    out: &mut Out<W>,
    tb: &[Option<Attr<'_>>],
    (cache, owners): (&LinkCache, &OwnerNames),
) -> io::Result<()> {
    // Some ten writes: each tested once, in the output (see StickyOut).
    let mut out = StickyOut::new(out);
    let u8_of = |kind| get(tb, kind).and_then(|a| a.u8());
    let u32_of = |kind| get(tb, kind).and_then(|a| a.u32());
    if let Some(ty) = u8_of(TUN_TYPE) {
        let name: Cow<'_, str> = match ty {
            IFF_TUN => "tun".into(),
            IFF_TAP => "tap".into(),
            other => format!("UNKNOWN:{other}").into(),
        };
        out.put_str("type", "type ", &name, " ");
    }
    // ip's `print_on_off` for each switch: `key on|off `, a boolean in JSON.
    const SWITCHES: &[Row] = &[
        (TUN_PI, OnOff, "pi", "pi"),
        (TUN_VNET_HDR, OnOff, "vnet_hdr", "vnet_hdr"),
    ];
    const QUEUES: &[Row] = &[
        (TUN_MULTI_QUEUE, Set, "multi_queue", "multi_queue"),
        (TUN_NUM_QUEUES, U32, "numqueues", "numqueues"),
        (TUN_NUM_DISABLED_QUEUES, U32, "numdisabled", "numdisabled"),
    ];
    out.with(|o| print_rows(o, tb, SWITCHES, cache));
    if u8_of(TUN_MULTI_QUEUE).is_some_and(|v| v != 0) {
        out.with(|o| print_rows(o, tb, QUEUES, cache));
    } else {
        out.with(|o| o.json_bool("multi_queue", false));
    }
    const PERSIST: &[Row] = &[(TUN_PERSIST, OnOff, "persist", "persist")];
    out.with(|o| print_rows(o, tb, PERSIST, cache));
    const OWNERS: [(usize, &str); 2] = [(TUN_OWNER, "user"), (TUN_GROUP, "group")];
    for &(kind, key) in &OWNERS {
        let Some(id) = u32_of(kind) else { continue };
        let name = if kind == TUN_OWNER {
            owners.user(id)
        } else {
            owners.group(id)
        };
        match name {
            Some(name) => out.with(|o| o.string(key, format_args!("{key} {name} "), name)),
            None => out.with(|o| o.uint(key, format_args!("{key} {id} "), u64::from(id))),
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use netlink_core::wire::Builder;

    use super::*;
    use crate::show::link_details::printed_kind_data;
    use crate::toolbox::owners::resolved_from;

    /// Prints a tun's data from `(type, value)` attributes, in text or JSON.
    fn printed(attrs: &[(u16, &[u8])], owners: &OwnerNames, json: bool) -> String {
        let emit = |b: &mut Builder<'_>| {
            for (kind, value) in attrs {
                b.attr(*kind, value);
            }
        };
        let cache = LinkCache::new();
        printed_kind_data(emit, |out, tb| print_tun(out, tb, (&cache, owners)), json)
    }

    #[test]
    fn a_tap_prints_its_switches_queues_and_owner_names_as_ip() {
        let owners = OwnerNames::default();
        let uid = 4242u32.to_ne_bytes();
        let gid = 4243u32.to_ne_bytes();
        let zero = 0u32.to_ne_bytes();
        let attrs: [(u16, &[u8]); 9] = [
            (3, &[2]),
            (4, &[1]),
            (5, &[0]),
            (7, &[1]),
            (8, &zero),
            (9, &zero),
            (6, &[1]),
            (1, &uid),
            (2, &gid),
        ];
        // What ip 6.1 printed for such a device made with `ip tuntap add ... multi_queue`.
        assert_eq!(
            printed(&attrs, &owners, false),
            "type tap pi on vnet_hdr off multi_queue numqueues 0 numdisabled 0 persist on \
             user 4242 group 4243 "
        );
        let json = printed(&attrs, &owners, true);
        assert!(
            json.contains(r#""type":"tap","pi":true,"vnet_hdr":false,"multi_queue":true"#),
            "{json}"
        );
        assert!(json.contains(r#""user":4242,"group":4243"#), "{json}");
    }

    #[test]
    fn names_replace_numbers_and_a_single_queue_is_false_in_json_only() {
        let owners = resolved_from("root:x:0:0::/root:/bin/sh\n", "root:x:0:\n", &[0], &[0]);
        let zero = 0u32.to_ne_bytes();
        let attrs: [(u16, &[u8]); 4] = [(3, &[1]), (7, &[0]), (1, &zero), (2, &zero)];
        assert_eq!(
            printed(&attrs, &owners, false),
            "type tun user root group root "
        );
        let json = printed(&attrs, &owners, true);
        assert!(
            json.contains(r#""type":"tun","multi_queue":false,"user":"root","group":"root""#),
            "{json}"
        );
    }
}
