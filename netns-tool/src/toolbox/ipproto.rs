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

/// The first `(name, number)` of the protocol database that `wanted` accepts: each line
/// of `/etc/protocols` (its name, then its aliases) in file order, or the built-in names
/// when the file cannot be read. Only the entry found is copied.
fn find_protocol(wanted: &mut dyn FnMut(&str, u8) -> bool) -> Option<(String, u8)> {
    // A file that is not UTF-8 counts as unreadable, as `read_to_string` would have it.
    let text = super::files::read("/etc/protocols").ok();
    match text.as_deref().map(std::str::from_utf8) {
        Some(Ok(text)) => text.lines().find_map(|line| {
            let line = line.split('#').next().unwrap_or_default();
            let mut fields = line.split_whitespace();
            let name = fields.next()?;
            let number = fields.next()?.parse::<u8>().ok()?;
            let name = std::iter::once(name)
                .chain(fields)
                .find(|name| wanted(name, number))?;
            Some((name.to_owned(), number))
        }),
        _ => BUILTIN
            .iter()
            .find(|&&(name, number)| wanted(name, number))
            .map(|&(name, number)| (name.to_owned(), number)),
    }
}

/// A protocol's name (`ipproto-N` for one the database lacks).
pub fn ip_proto_name(proto: u8) -> Cow<'static, str> {
    match find_protocol(&mut |_, number| number == proto) {
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
    find_protocol(&mut |name, _| name == word).map(|(_, number)| number)
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
