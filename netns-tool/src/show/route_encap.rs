//! A route's (or next hop's) lightweight tunnel encapsulation as ip 6.1's `lwt_print_encap`
//! prints it: ` encap TYPE ` and the type's fields (`"encap":"TYPE"` and the fields' keys
//! beside the route's own in JSON, as ip writes them).

use std::fmt::Write as _;
use std::io::Write;

use netlink_core::route::consts::*;
use netlink_core::route::encap::*;
use netlink_core::route::Encap;
use netlink_core::wire::Attrs;

use super::device::print_dev;
use super::route_out::StickyOut;
use crate::toolbox::cache::LinkCache;
use crate::toolbox::color::Paint;
use crate::toolbox::inet::AddrText;
use crate::toolbox::json::hex_text;
use crate::toolbox::names::table_name;

fn type_name(kind: u16) -> &'static str {
    match kind {
        LWTUNNEL_ENCAP_MPLS => "mpls",
        LWTUNNEL_ENCAP_IP => "ip",
        LWTUNNEL_ENCAP_IP6 => "ip6",
        LWTUNNEL_ENCAP_ILA => "ila",
        LWTUNNEL_ENCAP_BPF => "bpf",
        LWTUNNEL_ENCAP_SEG6 => "seg6",
        LWTUNNEL_ENCAP_SEG6_LOCAL => "seg6local",
        LWTUNNEL_ENCAP_RPL => "rpl",
        LWTUNNEL_ENCAP_IOAM6 => "ioam6",
        LWTUNNEL_ENCAP_XFRM => "xfrm",
        _ => "unknown",
    }
}

/// The encapsulation, with the names of the devices it refers to and `-s` (seg6local
/// counters are printed only with it).
pub(super) fn print_encap<W: Write>(
    out: &mut StickyOut<'_, W>,
    names: &LinkCache,
    stats: u8,
    encap: &Encap<'_>,
) {
    let kind = encap.kind();
    out.put_str("encap", " encap ", type_name(kind), " ");
    match kind {
        LWTUNNEL_ENCAP_MPLS => print_mpls(out, encap),
        LWTUNNEL_ENCAP_IP => print_ip(out, encap, Paint::Inet, &IP_KEYS),
        LWTUNNEL_ENCAP_IP6 => print_ip(out, encap, Paint::Inet6, &IP6_KEYS),
        LWTUNNEL_ENCAP_BPF => print_bpf(out, encap),
        LWTUNNEL_ENCAP_SEG6 => print_seg6(out, encap),
        LWTUNNEL_ENCAP_SEG6_LOCAL => print_seg6_local(out, names, stats, encap),
        LWTUNNEL_ENCAP_XFRM => print_xfrm(out, names, encap),
        _ => {}
    }
}

fn print_mpls<W: Write>(out: &mut StickyOut<'_, W>, encap: &Encap<'_>) {
    if let Some(labels) = encap.mpls_labels() {
        let mut text = out.scratch();
        for (i, label) in labels.enumerate() {
            let slash = if i > 0 { "/" } else { "" };
            // Writing into a String cannot fail.
            let _ = write!(text, "{slash}{label}");
        }
        out.put_str("dst", " ", &text, " ");
        out.reuse(text);
    }
    if let Some(ttl) = encap.u8(MPLS_IPTUNNEL_TTL) {
        out.put_uint("ttl", "ttl ", u64::from(ttl), " ");
    }
}

/// The JSON key and text of `ip`'s TTL and TOS (`LWTUNNEL_IP_TTL`, `_TOS`).
const IP_KEYS: [(u16, &str, &str); 2] = [
    (LWTUNNEL_IP_TTL, "ttl", "ttl "),
    (LWTUNNEL_IP_TOS, "tos", "tos "),
];

/// `ip6`'s names for the same two: hop limit and traffic class.
const IP6_KEYS: [(u16, &str, &str); 2] = [
    (LWTUNNEL_IP_TTL, "hoplimit", "hoplimit "),
    (LWTUNNEL_IP_TOS, "tc", "tc "),
];

/// `ip` and `ip6`: id, source, destination, TTL (hop limit), TOS (class) and flags.
fn print_ip<W: Write>(
    out: &mut StickyOut<'_, W>,
    encap: &Encap<'_>,
    paint: Paint,
    numbers: &[(u16, &str, &str); 2],
) {
    if let Some(id) = encap.tunnel_id() {
        out.put_uint("id", "id ", id, " ");
    }
    for &(kind, key) in &[(LWTUNNEL_IP_SRC, "src"), (LWTUNNEL_IP_DST, "dst")] {
        if let Some(addr) = encap.ip(kind) {
            let addr = AddrText::new(addr);
            let text = format_args!("{key} {} ", addr.as_str());
            out.with(|o| o.string_painted(paint, key, text, addr.as_str()));
        }
    }
    for &(kind, key, before) in numbers {
        if let Some(n) = encap.u8(kind) {
            out.put_uint(key, before, u64::from(n), " ");
        }
    }
    if let Some(flags) = encap.tunnel_flags() {
        for &(bit, name) in &[
            (TUNNEL_KEY, "key"),
            (TUNNEL_CSUM, "csum"),
            (TUNNEL_SEQ, "seq"),
        ] {
            if flags & bit != 0 {
                out.with(|o| o.boolean(name, format_args!("{name} "), true));
            }
        }
    }
}

fn seg6_mode_name(mode: i32) -> &'static str {
    match mode {
        0 => "inline",
        1 => "encap",
        2 => "l2encap",
        3 => "encap.red",
        4 => "l2encap.red",
        _ => "<unknown>",
    }
}

fn print_seg6<W: Write>(out: &mut StickyOut<'_, W>, encap: &Encap<'_>) {
    let Some((mode, srh)) = encap.seg6() else {
        return;
    };
    out.put_str("mode", "mode ", seg6_mode_name(mode), " ");
    print_srh(out, &srh)
}

/// A segment list: `segs N [ FIRST ... LAST ] [hmac KEY]`, or `"segs":[...]`.
fn print_srh<W: Write>(out: &mut StickyOut<'_, W>, srh: &SegmentRouting<'_>) {
    out.open_array(Some("segs"));
    let count = u32::from(srh.first_segment()) + 1;
    out.text(format_args!("segs {count} [ "));
    for segment in srh.segments() {
        if out.is_json() {
            out.put_element(&segment.to_string(), "");
        } else {
            out.with(|o| o.text_painted(Paint::Inet6, format_args!("{segment} ")));
        }
    }
    out.close_array();
    out.text_str("] ");
    if let Some(key) = srh.hmac_key_id() {
        let mut hex = [0; 10];
        let value = hex_text(&mut hex, key, 1);
        out.with(|o| o.string("hmac", format_args!("hmac {key:X} "), value));
    }
}

const SEG6_ACTIONS: &[&str] = &[
    "<unknown>",
    "End",
    "End.X",
    "End.T",
    "End.DX2",
    "End.DX6",
    "End.DX4",
    "End.DT6",
    "End.DT4",
    "End.B6",
    "End.B6.Encaps",
    "End.BM",
    "End.S",
    "End.AS",
    "End.AM",
    "End.BPF",
    "End.DT46",
];

fn print_seg6_local<W: Write>(
    out: &mut StickyOut<'_, W>,
    names: &LinkCache,
    stats: u8,
    encap: &Encap<'_>,
) {
    let Some(action) = encap.u32(SEG6_LOCAL_ACTION) else {
        return;
    };
    let name = usize::try_from(action)
        .ok()
        .and_then(|a| SEG6_ACTIONS.get(a))
        .copied()
        .unwrap_or("<invalid>");
    out.put_str("action", "action ", name, " ");
    if let Some(srh) = encap.attr(SEG6_LOCAL_SRH) {
        if let Some(srh) = SegmentRouting::parse(srh.value()) {
            out.open_object(Some("srh"));
            print_srh(out, &srh);
            out.close_object();
        }
    }
    for &(kind, key, before) in &[
        (SEG6_LOCAL_TABLE, "table", "table "),
        (SEG6_LOCAL_VRFTABLE, "vrftable", "vrftable "),
    ] {
        if let Some(table) = encap.u32(kind) {
            out.put_str(key, before, &table_name(table), " ");
        }
    }
    for &(kind, key, before) in &[
        (SEG6_LOCAL_NH4, "nh4", "nh4 "),
        (SEG6_LOCAL_NH6, "nh6", "nh6 "),
    ] {
        if let Some(addr) = encap.ip(kind) {
            out.put_str(key, before, AddrText::new(addr).as_str(), " ");
        }
    }
    for &(kind, keys) in &[
        (SEG6_LOCAL_IIF, ("iif", "iif ")),
        (SEG6_LOCAL_OIF, ("oif", "oif ")),
    ] {
        if let Some(index) = encap.u32(kind) {
            out.with(|o| print_dev(o, names, keys, Paint::Plain, index));
        }
    }
    if let Some(bpf) = encap.attr(SEG6_LOCAL_BPF) {
        print_bpf_prog(out, bpf.nested(), "endpoint");
    }
    if stats > 0 {
        if let Some(counters) = encap.attr(SEG6_LOCAL_COUNTERS) {
            print_counters(out, counters.nested());
        }
    }
    if let Some(flavors) = encap.attr(SEG6_LOCAL_FLAVORS) {
        print_flavors(out, flavors.nested());
    }
}

/// `SEG6_LOCAL_COUNTERS` (`-s`): packets, bytes, errors.
fn print_counters<W: Write>(out: &mut StickyOut<'_, W>, attrs: Attrs<'_>) {
    let mut values = [0u64; 3];
    for a in attrs {
        // SEG6_LOCAL_CNT_PACKETS, _BYTES, _ERRORS are 2, 3, 4.
        let slot = usize::from(a.kind()).checked_sub(2);
        if let Some(v) = slot.and_then(|s| values.get_mut(s)) {
            *v = a.u64().unwrap_or(0);
        }
    }
    out.open_object(Some("stats64"));
    let keys = [
        ("packets", "packets "),
        ("bytes", "bytes "),
        ("errors", "errors "),
    ];
    for ((key, before), value) in keys.into_iter().zip(values) {
        out.put_uint(key, before, value, " ");
    }
    out.close_object()
}

const FLAVORS: &[&str] = &["", "psp", "usp", "usd", "next-csid"];

/// `SEG6_LOCAL_FLAVORS`: the flavors, then the C-SID block and function lengths.
fn print_flavors<W: Write>(out: &mut StickyOut<'_, W>, attrs: Attrs<'_>) {
    for a in attrs {
        match a.kind() {
            1 => {
                let mask = a.u32().unwrap_or(0);
                out.open_array(Some("flavors"));
                out.text_str("flavors ");
                let named = FLAVORS.iter().enumerate().skip(1);
                let set = named.filter(|(i, _)| mask & (1 << i) != 0);
                for (n, (_, name)) in set.enumerate() {
                    if n > 0 {
                        out.text_str(",");
                    }
                    out.put_element(name, "");
                }
                out.close_array();
                out.text_str(" ");
            }
            2 => out.put_uint("lblen", "lblen ", u64::from(a.u8().unwrap_or(0)), " "),
            3 => out.put_uint("nflen", "nflen ", u64::from(a.u8().unwrap_or(0)), " "),
            _ => {}
        }
    }
}

/// A BPF program (`LWT_BPF_PROG_*`) under `label`: its name, if it has one.
fn print_bpf_prog<W: Write>(out: &mut StickyOut<'_, W>, attrs: Attrs<'_>, label: &str) {
    let name = attrs
        .filter(|a| a.kind() == LWT_BPF_PROG_NAME)
        .last()
        .and_then(|a| a.str());
    if out.is_json() {
        return out.with(|o| o.json_str(label, name.unwrap_or("<unknown>")));
    }
    out.text(format_args!("{label} "));
    if let Some(name) = name {
        out.text(format_args!("{name} "));
    }
}

fn print_bpf<W: Write>(out: &mut StickyOut<'_, W>, encap: &Encap<'_>) {
    // LWT_BPF_IN, _OUT, _XMIT are 1, 2, 3; LWT_BPF_XMIT_HEADROOM is 4.
    for &(kind, label) in &[(1, "in"), (2, "out"), (3, "xmit")] {
        if let Some(prog) = encap.attr(kind) {
            print_bpf_prog(out, prog.nested(), label);
        }
    }
    if let Some(headroom) = encap.u32(4) {
        out.put_uint("headroom", " ", u64::from(headroom), " ");
    }
}

fn print_xfrm<W: Write>(out: &mut StickyOut<'_, W>, names: &LinkCache, encap: &Encap<'_>) {
    if let Some(id) = encap.u32(LWT_XFRM_IF_ID) {
        out.put_uint("if_id", "if_id ", u64::from(id), " ");
    }
    if let Some(link) = encap.u32(LWT_XFRM_LINK) {
        out.with(|o| print_dev(o, names, ("link_dev", "link_dev "), Paint::Plain, link));
    }
}

#[cfg(test)]
mod tests {
    use netlink_core::route::RouteMessage;
    use netlink_core::wire::Messages;

    use super::super::route::{print_route, Context};
    use super::super::route_filter::Filter;
    use super::*;
    use crate::toolbox::output::Out;

    /// The request ip sent for a fixture of tests/fixtures/encap, printed as a route.
    fn printed(name: &str, json: bool) -> String {
        let path = format!(
            "{}/../tests/fixtures/encap/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("fixture");
        let bytes: Vec<u8> = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .map(|h| u8::from_str_radix(h, 16).expect("hex"))
            .collect();
        let msg = Messages::new(&bytes).next().expect("one").expect("valid");
        let route = RouteMessage::parse(&msg).expect("a route");
        let (names, filter) = (LinkCache::new(), Filter::listing(AF_UNSPEC));
        let ctx = Context {
            names: &names,
            details: 0,
            stats: 0,
            oneline: false,
            filter: &filter,
            clock_ticks: 100,
        };
        let mut out = Vec::new();
        print_route(&mut Out::boxed(&mut out, json, false), &ctx, false, &route).expect("prints");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    #[cfg_attr(
        target_endian = "big",
        ignore = "the fixtures are ip's requests recorded on a little-endian host"
    )]
    fn recorded_encapsulations_print_as_ip_prints_them() {
        // ip's own text for the same messages (monitor file, tests/route_encap.rs).
        assert_eq!(
            printed("encap-mpls", false),
            "198.51.100.0/24  encap mpls  100/200 ttl 10 via 192.0.2.1 dev if3 \n"
        );
        assert_eq!(
            printed("encap-ip", false),
            "198.51.100.0/24  encap ip id 10 src 192.0.2.2 dst 203.0.113.1 ttl 64 tos 16 \
             key csum seq dev if3 scope link \n"
        );
        assert_eq!(
            printed("encap-seg6-hmac", false),
            "2001:db8:1::/64  encap seg6 mode encap segs 2 [ 2001:db8::5 2001:db8::6 ] \
             hmac 7 dev if3 \n"
        );
        assert_eq!(
            printed("encap-xfrm", true),
            r#"{"dst":"198.51.100.0/24","encap":"xfrm","if_id":5,"link_dev":"if3","scope":"link","flags":[]}"#
        );
    }
}
