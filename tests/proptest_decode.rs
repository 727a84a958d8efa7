//! Arbitrary bytes never panic a decoder, and every walk ends. Three sources of bytes: plain
//! random bytes, real kernel messages (from the recorded dumps) with random damage, and
//! attribute soups whose length fields lie by a few bytes, where the bounds checks live.
//!
//! Each input goes through the fuzz targets' own bodies (`fuzz/src/lib.rs`), which call every
//! view and getter and check their invariants; the properties below add what needs the
//! structure of the input (a truncated stream keeps exactly its complete messages).

#[path = "../fuzz/src/lib.rs"]
mod bodies;

use proptest::prelude::*;

use netlink_core::route::{AddressMessage, LinkMessage, NsIdMessage, RouteMessage};
use netlink_core::wire::{AttrTable, Attrs, DecodeError, ErrorMessage, Message, Messages};

const RECORDED: [&[u8]; 4] = [
    include_bytes!("fixtures/dumps/link.bin"),
    include_bytes!("fixtures/dumps/addr.bin"),
    include_bytes!("fixtures/dumps/route.bin"),
    include_bytes!("fixtures/dumps/route6.bin"),
];

/// The recorded dumps, with their message headers in this target's byte order. They were
/// recorded from a little-endian kernel; on a big-endian target the headers are swapped so the
/// stream still frames into the same messages, and the contents stay as recorded (foreign
/// attribute headers: more damage for the decoders to survive).
fn dumps() -> &'static [Vec<u8>] {
    static DUMPS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    DUMPS.get_or_init(|| RECORDED.iter().map(|d| native_framing(d)).collect())
}

fn native_framing(recorded: &[u8]) -> Vec<u8> {
    let mut bytes = recorded.to_vec();
    if cfg!(target_endian = "little") {
        return bytes;
    }
    let mut at = 0;
    while let Some(header) = bytes.get_mut(at..at + 16) {
        let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        // nlmsghdr: len (4), type (2), flags (2), seq (4), pid (4).
        for (start, width) in [(0, 4), (4, 2), (6, 2), (8, 4), (12, 4)] {
            header[start..start + width].reverse();
        }
        if len < 16 {
            break;
        }
        at += len.next_multiple_of(4);
    }
    bytes
}

/// Byte ranges of the whole messages of every dump.
fn message_spans() -> &'static [(usize, usize, usize)] {
    static SPANS: std::sync::OnceLock<Vec<(usize, usize, usize)>> = std::sync::OnceLock::new();
    SPANS.get_or_init(|| {
        let mut spans = Vec::new();
        for (d, dump) in dumps().iter().enumerate() {
            let mut offset = 0;
            for msg in Messages::new(dump) {
                let len = msg.expect("recorded dumps decode").header().len.get() as usize;
                spans.push((d, offset, offset + len));
                offset += len.next_multiple_of(4);
            }
        }
        spans
    })
}

fn run_every_body(data: &[u8]) {
    for (_, body) in bodies::TARGETS {
        body(data);
    }
}

/// A few consecutive real messages, with damage: overwritten bytes (often in the length
/// fields, by writing small numbers) and a truncation.
fn damaged_messages() -> impl Strategy<Value = Vec<u8>> {
    let damage = (
        any::<prop::sample::Index>(),
        prop_oneof![any::<u8>(), 0u8..8, Just(0xff),],
    );
    (
        any::<prop::sample::Index>(),
        1usize..4,
        proptest::collection::vec(damage, 0..8),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(first, count, damage, cut)| {
            let spans = message_spans();
            let first = first.index(spans.len());
            let (dump, start, _) = spans[first];
            let end = spans[first..]
                .iter()
                .take_while(|(d, _, _)| *d == dump)
                .take(count)
                .last()
                .map_or(start, |(_, _, e)| *e);
            let mut bytes = dumps()[dump][start..end].to_vec();
            for (at, value) in damage {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            let keep = cut.index(bytes.len() + 1);
            bytes.truncate(keep.max(bytes.len().saturating_sub(64)).min(bytes.len()));
            bytes
        })
}

/// Attributes whose length fields are the true length plus a small lie, nested sometimes.
fn attribute_soup() -> impl Strategy<Value = Vec<u8>> {
    let one = (
        -6i32..6,
        any::<u16>(),
        proptest::collection::vec(any::<u8>(), 0..24),
        any::<bool>(),
    );
    proptest::collection::vec(one, 0..12).prop_map(|attrs| {
        let mut out = Vec::new();
        for (lie, kind, value, nest_next) in attrs {
            let true_len = 4 + value.len() as i32;
            let len = (true_len + lie).clamp(0, 0xffff) as u16;
            out.extend_from_slice(&len.to_ne_bytes());
            out.extend_from_slice(&kind.to_ne_bytes());
            out.extend_from_slice(&value);
            if !nest_next {
                while out.len() % 4 != 0 {
                    out.push(0);
                }
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(768))]

    #[test]
    fn random_bytes_never_panic_any_decoder(data in proptest::collection::vec(any::<u8>(), 0..1024)) {
        run_every_body(&data);
    }

    #[test]
    fn damaged_kernel_messages_never_panic_any_decoder(data in damaged_messages()) {
        run_every_body(&data);
        // Also as the payload of each view, past the message header.
        if let Some(payload) = data.get(16..) {
            bodies::link(payload);
            bodies::address(payload);
            bodies::route(payload);
            bodies::nsid(payload);
            bodies::error(payload);
        }
    }

    #[test]
    fn lying_attribute_lengths_never_panic(
        soup in attribute_soup(),
        family_header in proptest::collection::vec(any::<u8>(), 0..20),
    ) {
        bodies::attrs(&soup);
        let mut payload = family_header;
        payload.extend_from_slice(&soup);
        for body in [bodies::link, bodies::address, bodies::route, bodies::nsid, bodies::error] {
            body(&payload);
        }
        // Tables of every size the views use, and sizes the views do not.
        let _ = AttrTable::<1>::parse(Attrs::new(&soup)).get(0);
        let _ = AttrTable::<300>::parse(Attrs::new(&soup)).get(299);
        let _ = AttrTable::<0>::parse(Attrs::new(&soup)).get(0);
    }

    #[test]
    fn a_cut_stream_keeps_exactly_its_complete_messages(
        first in any::<prop::sample::Index>(),
        count in 1usize..6,
        cut in any::<prop::sample::Index>(),
    ) {
        let spans = message_spans();
        let first = first.index(spans.len());
        let (dump, start, _) = spans[first];
        let run: Vec<_> = spans[first..].iter().filter(|(d, _, _)| *d == dump).take(count).collect();
        let end = run.last().map_or(start, |(_, _, e)| *e);
        let cut = start + cut.index(end - start + 1);
        let stream = &dumps()[dump][start..cut];
        let complete: Vec<_> = run.iter().filter(|(_, _, e)| *e <= cut).collect();
        let got: Vec<Result<Message<'_>, DecodeError>> = Messages::new(stream).collect();
        for (msg, (_, s, e)) in got.iter().zip(&complete) {
            let msg = msg.as_ref().expect("a complete message decodes");
            prop_assert_eq!(msg.payload(), &dumps()[dump][s + 16..*e]);
        }
        let boundary = complete.last().map_or(start, |(_, _, e)| *e);
        // Up to the padding after the last complete message, the stream ends cleanly.
        let at_boundary = cut <= boundary.next_multiple_of(4);
        // A cut inside a message costs that message and is reported once, at the end.
        prop_assert_eq!(got.len(), complete.len() + usize::from(!at_boundary));
        if !at_boundary {
            prop_assert!(got.last().is_some_and(|r| r.is_err()));
        }
    }

    #[test]
    fn views_refuse_payloads_shorter_than_their_header(data in proptest::collection::vec(any::<u8>(), 0..20)) {
        prop_assert_eq!(LinkMessage::from_payload(&data).is_ok(), data.len() >= 16);
        prop_assert_eq!(AddressMessage::from_payload(&data).is_ok(), data.len() >= 8);
        prop_assert_eq!(RouteMessage::from_payload(&data).is_ok(), data.len() >= 12);
        prop_assert_eq!(NsIdMessage::from_payload(&data).is_ok(), !data.is_empty());
        for flags in [0, 0x100, 0x200, 0x300] {
            prop_assert_eq!(ErrorMessage::parse(flags, &data).is_ok(), data.len() >= 20);
        }
    }
}
