//! A kind's data given attribute by attribute, nests included (vlan's qos maps): whatever
//! list of values and nest ends, the request carries them in order, a nest holding exactly
//! what lies between its begin and its end, and every length is whole.

use proptest::prelude::*;

use netlink_core::route::{KindAttr, LinkKind, LinkRequest};
use netlink_core::wire::{Attrs, Builder, Messages};

const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_DATA: u16 = 2;

/// What a walk of the data finds: a value (type, bytes), or a nest's begin or end.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Value(u16, Vec<u8>),
    Begin(u16),
    End,
}

fn kind_attr() -> impl Strategy<Value = KindAttr<'static>> {
    let kind = 1u16..64;
    prop_oneof![
        (kind.clone(), any::<u8>()).prop_map(|(k, v)| KindAttr::U8(k, v)),
        (kind.clone(), any::<u16>()).prop_map(|(k, v)| KindAttr::U16(k, v)),
        (kind.clone(), any::<u32>()).prop_map(|(k, v)| KindAttr::U32(k, v)),
        (kind.clone(), any::<u16>()).prop_map(|(k, v)| KindAttr::Be16(k, v)),
        (kind.clone(), any::<u32>(), any::<u32>()).prop_map(|(k, a, z)| KindAttr::U32Pair(k, a, z)),
        kind.clone().prop_map(KindAttr::Flag),
        kind.prop_map(KindAttr::NestBegin),
        Just(KindAttr::NestEnd),
    ]
}

/// The tokens `attrs` should produce: an unmatched end dropped, open nests closed last.
fn expected(attrs: &[KindAttr<'_>]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    for attr in attrs {
        let token = match *attr {
            KindAttr::U8(k, v) => Token::Value(k, vec![v]),
            KindAttr::U16(k, v) => Token::Value(k, v.to_ne_bytes().to_vec()),
            KindAttr::U32(k, v) => Token::Value(k, v.to_ne_bytes().to_vec()),
            KindAttr::Be16(k, v) => Token::Value(k, v.to_be_bytes().to_vec()),
            KindAttr::U32Pair(k, a, z) => {
                Token::Value(k, [a.to_ne_bytes(), z.to_ne_bytes()].concat())
            }
            KindAttr::Flag(k) => Token::Value(k, Vec::new()),
            KindAttr::NestBegin(k) => {
                depth += 1;
                Token::Begin(k)
            }
            KindAttr::NestEnd if depth == 0 => continue,
            KindAttr::NestEnd => {
                depth -= 1;
                Token::End
            }
            other => panic!("not generated: {other:?}"),
        };
        tokens.push(token);
    }
    tokens.extend(std::iter::repeat_n(Token::End, depth));
    tokens
}

/// Walks the data, reading a nest wherever the list put one (`nests` says which, in
/// order), checking that each walk ends cleanly.
fn walk(attrs: Attrs<'_>, nests: &mut impl Iterator<Item = bool>, into: &mut Vec<Token>) {
    let mut attrs = attrs;
    for a in attrs.by_ref() {
        if nests.next().unwrap_or(false) {
            into.push(Token::Begin(a.kind()));
            walk(a.nested(), nests, into);
            into.push(Token::End);
        } else {
            into.push(Token::Value(a.kind(), a.value().to_vec()));
        }
    }
    assert!(!attrs.is_malformed(), "a length in the data is broken");
}

proptest! {
    #[test]
    fn kind_data_nests_round_trip(attrs in prop::collection::vec(kind_attr(), 0..24)) {
        let request = LinkRequest {
            kind: Some(LinkKind::WithData { kind: "vlan", data: Some(&attrs) }),
            ..LinkRequest::default()
        };
        let mut buf = Vec::new();
        request.emit_new(&mut Builder::new(&mut buf)).expect("encodes");
        let mut all = Messages::new(&buf);
        let msg = all.next().expect("a message").expect("decodes");
        prop_assert!(all.next().is_none());
        prop_assert_eq!(msg.header().len.get() as usize, buf.len());
        // ifinfomsg (16 bytes), then the attributes.
        let info = Attrs::new(msg.payload().get(16..).expect("ifinfomsg"))
            .find(|a| a.kind() == IFLA_LINKINFO)
            .expect("IFLA_LINKINFO");
        let data = info.nested().find(|a| a.kind() == IFLA_INFO_DATA).expect("IFLA_INFO_DATA");
        let want = expected(&attrs);
        let nests: Vec<bool> = want
            .iter()
            .filter(|t| !matches!(t, Token::End))
            .map(|t| matches!(t, Token::Begin(_)))
            .collect();
        let mut got = Vec::new();
        walk(data.nested(), &mut nests.into_iter(), &mut got);
        prop_assert_eq!(got, want);
    }
}
