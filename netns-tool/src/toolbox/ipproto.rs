//! IP protocol numbers by name, as ip reads and prints them (`inet_proto_a2n` /
//! `inet_proto_n2a`): the C library's protocol database, `/etc/protocols`, with the common
//! names built in for a system without one.

use std::borrow::Cow;

use super::args::parse_u32;

/// What a system without `/etc/protocols` still knows.
const BUILTIN: &[(&str, u8)] = &[
    ("ip", 0),
    ("icmp", 1),
    ("igmp", 2),
    ("tcp", 6),
    ("udp", 17),
    ("ipv6", 41),
    ("gre", 47),
    ("esp", 50),
    ("ah", 51),
    ("ipv6-icmp", 58),
    ("sctp", 132),
    ("udplite", 136),
];

/// `(name, number)` of each line of `/etc/protocols` (aliases included), in file order.
fn database() -> Vec<(String, u8)> {
    let Ok(text) = std::fs::read_to_string("/etc/protocols") else {
        return BUILTIN.iter().map(|&(n, p)| (n.to_string(), p)).collect();
    };
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut fields = line.split_whitespace();
        let (Some(name), Some(number)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u8>() else {
            continue;
        };
        entries.push((name.to_string(), number));
        entries.extend(fields.map(|alias| (alias.to_string(), number)));
    }
    entries
}

/// A protocol's name (`ipproto-N` for one the database lacks).
pub fn ip_proto_name(proto: u8) -> Cow<'static, str> {
    match database().into_iter().find(|(_, p)| *p == proto) {
        Some((name, _)) => Cow::Owned(name),
        None => Cow::Owned(format!("ipproto-{proto}")),
    }
}

/// A protocol by decimal number or by name.
pub fn parse_ip_proto(word: &str) -> Option<u8> {
    if !word.starts_with("0x") && !word.starts_with('0') || word == "0" {
        if let Some(n) = parse_u32(word).and_then(|n| u8::try_from(n).ok()) {
            return Some(n);
        }
    }
    database()
        .into_iter()
        .find(|(name, _)| name == word)
        .map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers_read_both_ways() {
        let words = ["tcp", "17", "256", "bogus"];
        assert_eq!(words.map(parse_ip_proto), [Some(6), Some(17), None, None]);
        assert_eq!(ip_proto_name(6), "tcp");
        assert_eq!(ip_proto_name(250), "ipproto-250");
    }
}
