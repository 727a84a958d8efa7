//! Addresses and prefixes read the way ip reads them (`get_prefix` / `get_addr`): `default`,
//! `any` and `all`; IPv4 in short forms (`10`, `10.1`) with decimal, hex or octal parts;
//! IPv6 by `inet_pton` rules; prefix lengths as numbers or dotted masks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netlink_core::route::consts::{AF_INET, AF_INET6, AF_UNSPEC};

use super::args::{strtoul, Args};
use super::error::{CliError, CliResult};

/// An address or prefix as ip's `inet_prefix` holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    /// `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for `default`/`any` read without a family.
    pub family: u8,
    /// The address (`None` for `default`/`any`/`all` without a family).
    pub addr: Option<IpAddr>,
    /// Prefix length (the full length when none was written).
    pub bitlen: u8,
    /// A length was written after `/`, or the word was `default`.
    pub len_given: bool,
    /// The word was `any` or `all`: matches everything, carries no address bytes.
    pub wildcard: bool,
}

impl Prefix {
    /// The address bytes ip would send (`default` with a known family sends zeros).
    pub fn bytes(&self) -> Option<IpAddr> {
        self.addr
    }

    /// Whether the first `bits` bits of `other` equal this prefix's (ip's `inet_addr_match`
    /// with the filter on the left).
    pub fn matches(&self, other: Option<IpAddr>, bits: u8) -> bool {
        let mine = octets(self.addr);
        let theirs = octets(other);
        let full = usize::from(bits / 8);
        let rest = bits % 8;
        if mine.get(..full) != theirs.get(..full) {
            return false;
        }
        if rest == 0 {
            return true;
        }
        let mask = 0xffu8 << (8 - rest);
        match (mine.get(full), theirs.get(full)) {
            (Some(a), Some(b)) => a & mask == b & mask,
            _ => false,
        }
    }
}

fn octets(addr: Option<IpAddr>) -> [u8; 16] {
    let mut out = [0u8; 16];
    match addr {
        Some(IpAddr::V4(a)) => {
            if let Some(head) = out.get_mut(..4) {
                head.copy_from_slice(&a.octets());
            }
        }
        Some(IpAddr::V6(a)) => out = a.octets(),
        None => {}
    }
    out
}

/// Whether a chosen family (`-4`, `-6`, a prefix's family; `AF_UNSPEC`: none chosen) lets
/// something of `family` through.
pub fn family_accepts(chosen: u8, family: u8) -> bool {
    chosen == AF_UNSPEC || chosen == family
}

/// Bits in an address of `family` (0 for unspecified).
pub fn bit_len(family: u8) -> u8 {
    match family {
        AF_INET => 32,
        AF_INET6 => 128,
        _ => 0,
    }
}

/// ip's `family_name_verbose`, used in its parse errors.
pub fn family_words(family: u8) -> &'static str {
    match family {
        AF_INET => "inet",
        AF_INET6 => "inet6",
        _ => "any valid",
    }
}

/// A word that is one number in C's reading and nothing else.
fn whole_number(s: &str) -> Option<u64> {
    match strtoul(s)? {
        (v, "") => Some(v),
        _ => None,
    }
}

/// ip's `get_addr_ipv4`: one to four dot-separated parts, each 0..=255, missing trailing
/// parts are zero.
/// One part of a dotted IPv4 address: a number as `strtoul` reads it that fits a byte.
/// One to three decimal digits without a leading zero (every part of the usual address)
/// are read here directly.
fn octet(part: &[u8]) -> Option<u8> {
    let plain = matches!(part, [b'1'..=b'9', ..] | [b'0'])
        && part.len() <= 3
        && part.iter().all(u8::is_ascii_digit);
    if plain {
        let value = part.iter().fold(0u16, |v, d| {
            v.wrapping_mul(10)
                .wrapping_add(u16::from(d.wrapping_sub(b'0')))
        });
        return u8::try_from(value).ok();
    }
    // Cut at the ASCII `.`, a part of a `&str` is one too.
    u8::try_from(whole_number(std::str::from_utf8(part).ok()?)?).ok()
}

fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.as_bytes().split(|&b| b == b'.');
    for slot in octets.iter_mut() {
        match parts.next() {
            Some(p) => *slot = octet(p)?,
            None => break,
        }
    }
    if parts.next().is_some() {
        return None;
    }
    Some(Ipv4Addr::from(octets))
}

/// ip's `get_addr_1`: one address of `family` (or either, for `AF_UNSPEC`).
fn parse_address(word: &str, family: u8) -> Option<Prefix> {
    if word == "default" || word == "any" || word == "all" {
        let zero = match family {
            AF_INET => Some(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            AF_INET6 => Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED)),
            _ => None,
        };
        let default = word == "default";
        return Some(Prefix {
            family,
            addr: if default { zero } else { None },
            bitlen: 0,
            len_given: default,
            wildcard: !default,
        });
    }
    if word.as_bytes().contains(&b':') {
        if family != AF_UNSPEC && family != AF_INET6 {
            return None;
        }
        let a: Ipv6Addr = word.parse().ok()?;
        return Some(Prefix {
            family: AF_INET6,
            addr: Some(IpAddr::V6(a)),
            bitlen: 128,
            len_given: false,
            wildcard: false,
        });
    }
    if family != AF_UNSPEC && family != AF_INET {
        return None;
    }
    let a = parse_ipv4(word)?;
    Some(Prefix {
        family: AF_INET,
        addr: Some(IpAddr::V4(a)),
        bitlen: 32,
        len_given: false,
        wildcard: false,
    })
}

/// The length after `/`: a number, or an IPv4 netmask of contiguous ones.
fn parse_netmask(s: &str) -> Option<u32> {
    if let Some(n) = whole_number(s) {
        return u32::try_from(n).ok();
    }
    let mask = u32::from(parse_ipv4(s)?);
    let ones = mask.leading_ones();
    (mask.checked_shl(ones).unwrap_or(0) == 0).then_some(ones)
}

/// ip's `get_prefix_1`: `ADDR[/LEN]`, `default`, `any`, `all`.
pub fn parse_prefix(word: &str, family: u8) -> Option<Prefix> {
    // A byte scan: `/` is ASCII, so both sides are whole `&str`s.
    let (addr_part, len_part) = match word.bytes().position(|b| b == b'/') {
        Some(at) => (word.get(..at)?, word.get(at.saturating_add(1)..)),
        None => (word, None),
    };
    let mut p = parse_address(addr_part, family)?;
    let special = matches!(addr_part, "default" | "any" | "all");
    match len_part {
        Some(l) => {
            if special {
                return None;
            }
            let len = parse_netmask(l)?;
            if len > u32::from(bit_len(p.family)) {
                return None;
            }
            p.bitlen = u8::try_from(len).ok()?;
            p.len_given = true;
        }
        None if special => p.bitlen = 0,
        None => p.bitlen = bit_len(p.family),
    }
    Some(p)
}

/// `get_prefix` with ip's error: `Error: inet prefix is expected rather than "x".` (exit 1).
pub fn prefix_or_err(word: &str, family: u8) -> Result<Prefix, CliError> {
    parse_prefix(word, family).ok_or_else(|| expected("prefix", family, word))
}

/// ip's `Error: FAMILY WHAT is expected rather than "WORD".` (exit 1).
fn expected(what: &str, family: u8, word: &str) -> CliError {
    let family = family_words(family);
    CliError::exit(
        1,
        format!("Error: {family} {what} is expected rather than \"{word}\"."),
    )
}

/// `get_addr` with ip's error: `Error: inet address is expected rather than "x".` (exit 1).
/// A bare address only: `any`/`all` carry no address and are refused as ip refuses them
/// where an address is needed.
pub fn address_or_err(word: &str, family: u8) -> Result<Prefix, CliError> {
    parse_address(word, family).ok_or_else(|| expected("address", family, word))
}

/// ip's `read_family` for `via inet6 ADDR`.
pub fn read_family(word: &str) -> Option<u8> {
    match word {
        "inet" => Some(AF_INET),
        "inet6" => Some(AF_INET6),
        _ => None,
    }
}

/// `[inet|inet6] ADDRESS` (after `via`): the family the words name, else `family`, and
/// the address's word.
pub fn family_and_word<'a>(args: &mut Args<'a>, family: u8) -> CliResult<(u8, &'a str)> {
    let word = args.value()?;
    match read_family(word) {
        Some(named) => Ok((named, args.value()?)),
        None => Ok((family, word)),
    }
}

/// Takes the family of the first address read when none was chosen yet (ip's
/// `if (req.r.rtm_family == AF_UNSPEC) req.r.rtm_family = addr.family`).
pub fn adopt_family(family: &mut u8, p: &Prefix) {
    if *family == AF_UNSPEC {
        *family = p.family;
    }
}

/// [`prefix_or_err`] in `family`, which becomes the prefix's when it was `AF_UNSPEC`.
pub fn prefix_adopting_family(word: &str, family: &mut u8) -> Result<Prefix, CliError> {
    let p = prefix_or_err(word, *family)?;
    adopt_family(family, &p);
    Ok(p)
}

/// An address as ip prints it (glibc `inet_ntop`: IPv4-compatible IPv6 addresses keep
/// their dotted tail, `::192.0.2.1`).
pub fn format_addr(addr: IpAddr) -> String {
    AddrText::new(addr).as_str().to_owned()
}

/// An address, or a prefix, as ip prints it, formatted on the stack: listings print one
/// or two per line, and a heap string each would cost more than the rest of the line.
#[derive(Clone, Copy)]
pub struct AddrText {
    // The longest is an IPv6 address with a dotted tail and a "/128" (49 bytes).
    bytes: [u8; 56],
    len: usize,
}

impl AddrText {
    /// `addr` as glibc's `inet_ntop` writes it.
    pub fn new(addr: IpAddr) -> Self {
        let mut text = AddrText::empty();
        match addr {
            IpAddr::V4(a) => text.push_ipv4(a.octets()),
            IpAddr::V6(a) => {
                let seg = a.segments();
                let compat = seg.get(..6).is_some_and(|s| s.iter().all(|&w| w == 0))
                    && seg.get(6).is_some_and(|&w| w != 0);
                let o = a.octets();
                if compat {
                    text.push(b"::");
                    text.push_ipv4([o[12], o[13], o[14], o[15]]);
                } else {
                    use std::fmt::Write;
                    let _ = write!(text, "{a}");
                }
            }
        }
        text
    }

    /// Empty text, to push onto.
    pub fn empty() -> Self {
        AddrText {
            bytes: [0; 56],
            len: 0,
        }
    }

    /// Appends ASCII bytes (what does not fit is dropped).
    pub fn push(&mut self, ascii: &[u8]) {
        for &byte in ascii {
            self.push_byte(byte);
        }
    }

    fn push_byte(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// Appends a number of up to three digits.
    pub fn push_number(&mut self, n: u8) {
        if n >= 100 {
            self.push_byte(b'0' + n / 100);
        }
        if n >= 10 {
            self.push_byte(b'0' + n / 10 % 10);
        }
        self.push_byte(b'0' + n % 10);
    }

    fn push_ipv4(&mut self, [a, b, c, d]: [u8; 4]) {
        self.push_number(a);
        self.push_byte(b'.');
        self.push_number(b);
        self.push_byte(b'.');
        self.push_number(c);
        self.push_byte(b'.');
        self.push_number(d);
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..self.len).unwrap_or_default();
        // Only ASCII is ever pushed.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}

impl std::fmt::Write for AddrText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push(s.as_bytes());
        Ok(())
    }
}

impl std::fmt::Display for AddrText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_short_forms_read_like_ip() {
        let words = ["10", "10.1", "0x0a.010.0.1"];
        let addrs = [[10, 0, 0, 0], [10, 1, 0, 0], [10, 8, 0, 1]].map(|a| Some(Ipv4Addr::from(a)));
        assert_eq!(words.map(parse_ipv4), addrs);
        let refused = ["256.0.0.0", "1.2.3.4.5", "1..2", "", "x"];
        assert_eq!(refused.map(parse_ipv4), [None; 5]);
        // Three digits, a leading zero (octal), a sign: as strtoul reads each part.
        let words = ["255.199.0.9", "1.2.3.010", "1.2.3.+7", "198.18.39.16"];
        let addrs = [
            [255, 199, 0, 9],
            [1, 2, 3, 8],
            [1, 2, 3, 7],
            [198, 18, 39, 16],
        ];
        assert_eq!(
            words.map(parse_ipv4),
            addrs.map(|a| Some(Ipv4Addr::from(a)))
        );
        let refused = ["1.2.3.999", "1.2.3.0400", "1.2.3.4x", "1.2.3.09"];
        assert_eq!(refused.map(parse_ipv4), [None; 4]);
    }

    #[test]
    fn prefixes() {
        let p = parse_prefix("192.0.2.0/24", AF_UNSPEC).expect("prefix");
        assert_eq!((p.family, p.bitlen, p.len_given), (AF_INET, 24, true));
        let p = parse_prefix("192.0.2.0/255.255.255.0", AF_INET).expect("mask");
        assert_eq!(p.bitlen, 24);
        assert!(parse_prefix("192.0.2.0/255.0.255.0", AF_INET).is_none());
        assert!(parse_prefix("192.0.2.0/33", AF_UNSPEC).is_none());
        assert!(parse_prefix("2001:db8::/64", AF_INET).is_none());
        let d = parse_prefix("default", AF_UNSPEC).expect("default");
        assert_eq!((d.addr, d.bitlen, d.len_given), (None, 0, true));
        let d = parse_prefix("default", AF_INET6).expect("default6");
        assert_eq!(d.addr, Some(IpAddr::V6(Ipv6Addr::UNSPECIFIED)));
        assert!(parse_prefix("default/0", AF_UNSPEC).is_none());
        let h = parse_prefix("2001:db8::1", AF_UNSPEC).expect("host");
        assert_eq!(h.bitlen, 128);
    }

    #[test]
    fn errors_name_the_family() {
        let e = prefix_or_err("x", AF_UNSPEC).expect_err("bad");
        assert_eq!(
            e.message(),
            "Error: any valid prefix is expected rather than \"x\"."
        );
        let e = address_or_err("192.0.2.3", AF_INET6).expect_err("bad");
        assert_eq!(
            e.message(),
            "Error: inet6 address is expected rather than \"192.0.2.3\"."
        );
        assert_eq!(e.status(), 1);
    }

    #[test]
    fn prefix_match_compares_leading_bits() {
        let p = parse_prefix("192.0.2.0/23", AF_INET).expect("p");
        assert!(p.matches(Some(IpAddr::V4(Ipv4Addr::new(192, 0, 3, 7))), 23));
        assert!(!p.matches(Some(IpAddr::V4(Ipv4Addr::new(192, 0, 4, 0))), 23));
        assert!(p.matches(None, 0));
    }

    #[test]
    fn ipv6_text_is_inet_ntop() {
        let compat: Ipv6Addr = "::192.0.2.1".parse().expect("v6");
        assert_eq!(format_addr(IpAddr::V6(compat)), "::192.0.2.1");
        let mapped: Ipv6Addr = "::ffff:192.0.2.1".parse().expect("v6");
        assert_eq!(format_addr(IpAddr::V6(mapped)), "::ffff:192.0.2.1");
        assert_eq!(format_addr(IpAddr::V6(Ipv6Addr::LOCALHOST)), "::1");
        assert_eq!(format_addr(IpAddr::V6(Ipv6Addr::UNSPECIFIED)), "::");
        let long: Ipv6Addr = "2001:db8:1:2:3:4:5:6".parse().expect("v6");
        let mut text = AddrText::new(IpAddr::V6(long));
        text.push(b"/");
        text.push_number(64);
        assert_eq!(text.as_str(), "2001:db8:1:2:3:4:5:6/64");
    }

    #[test]
    fn ipv4_text_and_prefixes() {
        for (octets, want) in [
            ([0, 0, 0, 0], "0.0.0.0"),
            ([198, 19, 9, 10], "198.19.9.10"),
            ([255, 255, 255, 255], "255.255.255.255"),
            ([1, 20, 100, 9], "1.20.100.9"),
        ] {
            assert_eq!(AddrText::new(IpAddr::from(octets)).as_str(), want);
        }
        let mut text = AddrText::empty();
        for n in [0, 7, 10, 99, 100, 255] {
            text.push_number(n);
            text.push(b",");
        }
        assert_eq!(text.as_str(), "0,7,10,99,100,255,");
    }
}
