//! The number-to-name tables ip prints and reads (scopes, protocols, tables, realms, route
//! types) and hardware addresses.

use std::borrow::Cow;
use std::sync::Mutex;

use super::args::{keyword, parse_u32, parse_u8, strtoul, Spelling};
use super::name_files::{lock, Databases, CONF_DIR};

/// The names ip 6.1 knows without its databases, and the databases themselves (read when
/// first needed: see [`super::name_files`]).
static DATABASES: Mutex<Databases> = Mutex::new(Databases::new(
    CONF_DIR,
    builtin_protocol,
    builtin_scope,
    builtin_realm,
));

/// Runs `f` on the databases (under their lock) with the folder they are read from.
fn with_databases<R>(f: impl FnOnce(&mut Databases, &'static str) -> R) -> R {
    let mut db = lock(&DATABASES);
    let dir = db.dir;
    f(&mut db, dir)
}

/// ip's built-in scope names, by id.
const SCOPES: [(u8, &str); 5] = [
    (0, "global"),
    (200, "site"),
    (253, "link"),
    (254, "host"),
    (255, "nowhere"),
];

/// ip's built-in protocol names, by id.
const PROTOCOLS: [(u8, &str); 21] = [
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

/// The name `table` gives `id`: one lookup over data for every built-in table, where a
/// `match` compiled a jump table and a branch per name.
fn builtin_name(table: &'static [(u8, &'static str)], id: u8) -> Option<&'static str> {
    table.iter().find(|(i, _)| *i == id).map(|(_, name)| *name)
}

fn builtin_scope(scope: u8) -> Option<&'static str> {
    builtin_name(&SCOPES, scope)
}

fn builtin_protocol(proto: u8) -> Option<&'static str> {
    builtin_name(&PROTOCOLS, proto)
}

fn builtin_realm(realm: u8) -> Option<&'static str> {
    (realm == 0).then_some("unknown")
}

/// `RT_SCOPE_*` as ip names them (`/etc/iproute2/rt_scopes`).
pub fn scope_name(scope: u8) -> Cow<'static, str> {
    with_databases(|db, dir| db.scopes.name(dir, scope))
}

/// Parses a scope name or number.
pub fn parse_scope(s: &str) -> Option<u8> {
    with_databases(|db, dir| db.scopes.id(dir, s).or_else(|| parse_u8(s)))
}

/// `RTPROT_*` as ip names them (`/etc/iproute2/rt_protos`).
pub fn protocol_name(proto: u8) -> Cow<'static, str> {
    with_databases(|db, dir| db.protocols.name(dir, proto))
}

/// Parses a protocol name or number.
pub fn parse_protocol(s: &str) -> Option<u8> {
    with_databases(|db, dir| db.protocols.id(dir, s).or_else(|| parse_u8(s)))
}

/// A realm as ip names it (`/etc/iproute2/rt_realms`; realm ids beyond 255 by number).
pub fn realm_name(realm: u32) -> Cow<'static, str> {
    let Ok(id) = u8::try_from(realm) else {
        return Cow::Owned(realm.to_string());
    };
    with_databases(|db, dir| db.realms.name(dir, id))
}

/// Parses a realm name or number (ip's `rtnl_rtrealm_a2n`).
pub fn parse_realm(s: &str) -> Option<u32> {
    with_databases(|db, dir| db.realms.id(dir, s).map(u32::from).or_else(|| parse_u32(s)))
}

/// A realm name or number (0..=255), as ip's `rtnl_rtrealm_a2n` reads it.
fn realm_id(s: &str) -> Option<u8> {
    with_databases(|db, dir| db.realms.id(dir, s).or_else(|| parse_u8(s)))
}

/// `[FROM/]TO` realms as ip's `get_rt_realms_or_raw` reads them: names or numbers up to
/// 255, FROM in the upper 16 bits; or else one raw 32-bit number.
pub fn parse_realms(s: &str) -> Option<u32> {
    let by_name = match s.split_once('/') {
        Some((from, to)) => realm_id(from).and_then(|from| {
            let to = if to.is_empty() { Some(0) } else { realm_id(to) };
            to.map(|to| u32::from(from) << 16 | u32::from(to))
        }),
        None if s.is_empty() => Some(0),
        None => realm_id(s).map(u32::from),
    };
    by_name.or_else(|| parse_u32(s))
}

/// Table ids as ip names them (`/etc/iproute2/rt_tables`, `rt_tables.d/*.conf`).
pub fn table_name(table: u32) -> Cow<'static, str> {
    with_databases(|db, dir| db.tables.name(dir, table))
}

/// Parses a table name or number (`all` is the caller's business).
pub fn parse_table(s: &str) -> Option<u32> {
    with_databases(|db, dir| db.tables.id(dir, s).or_else(|| parse_u32(s)))
}

/// `RTN_*` as ip names them.
pub fn route_type_name(kind: u8) -> Cow<'static, str> {
    let name = match kind {
        0 => "none",
        1 => "unicast",
        2 => "local",
        3 => "broadcast",
        4 => "anycast",
        5 => "multicast",
        6 => "blackhole",
        7 => "unreachable",
        8 => "prohibit",
        9 => "throw",
        10 => "nat",
        11 => "xresolve",
        n => return Cow::Owned(n.to_string()),
    };
    Cow::Borrowed(name)
}

/// The route type words of ip's `rtnl_rtntype_a2n`, in its order of tests.
const ROUTE_TYPES: [(&str, Spelling, u8); 12] = [
    ("local", Spelling::Full, 2),
    ("nat", Spelling::Full, 10),
    ("brd", Spelling::Full, 3),
    ("throw", Spelling::Full, 9),
    ("broadcast", Spelling::Prefix, 3),
    ("anycast", Spelling::Prefix, 4),
    ("multicast", Spelling::Prefix, 5),
    ("prohibit", Spelling::Prefix, 8),
    ("unreachable", Spelling::Prefix, 7),
    ("blackhole", Spelling::Prefix, 6),
    ("xresolve", Spelling::Prefix, 11),
    ("unicast", Spelling::Prefix, 1),
];

/// Parses a route type as ip's `rtnl_rtntype_a2n` does: some names only whole, others by
/// any prefix in ip's order (`u` is unreachable, `b` broadcast, `bl` blackhole), or a number.
pub fn parse_route_type(s: &str) -> Option<u8> {
    keyword(s, &ROUTE_TYPES).or_else(|| parse_u8(s))
}

/// A hardware address as `aa:bb:cc:...`.
pub fn mac(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        // Into the one buffer: a neighbour dump prints thousands of these.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Parses `aa:bb:cc:dd:ee:ff` (any number of hex octets).
pub fn parse_mac(s: &str) -> Option<Vec<u8>> {
    let bytes: Option<Vec<u8>> = s
        .split(':')
        .map(|p| {
            if p.is_empty() || p.len() > 2 {
                None
            } else {
                u8::from_str_radix(p, 16).ok()
            }
        })
        .collect();
    bytes.filter(|b| !b.is_empty())
}

/// ip's `rtnl_dsfield_a2n` for a number: hex (with or without `0x`), at most 0xff.
pub fn parse_dsfield(word: &str) -> Option<u8> {
    let digits = word
        .strip_prefix("0x")
        .or_else(|| word.strip_prefix("0X"))
        .unwrap_or(word);
    Some(digits)
        .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_hexdigit()))
        .and_then(|d| u8::from_str_radix(d, 16).ok())
}

/// ip's `rtnl_group_a2n`: `default`, or a number as C's `strtol` reads it, kept in an
/// `int` (so 4294967296 is group 0) and not negative.
pub fn parse_group(word: &str) -> Option<u32> {
    if word == "default" {
        return Some(0);
    }
    let (negative, magnitude) = match word.trim_start().strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let (value, rest) = strtoul(magnitude)?;
    if !rest.is_empty() || (negative && magnitude.starts_with(['-', '+'])) {
        return None;
    }
    // strtol saturates at LONG_MAX / LONG_MIN; the int keeps the low 32 bits.
    let long = match (negative, i64::try_from(value)) {
        (false, Ok(v)) => v,
        (false, Err(_)) => i64::MAX,
        (true, Ok(v)) => -v,
        (true, Err(_)) => i64::MIN,
    };
    let int = long as i32;
    u32::try_from(int).ok()
}

#[cfg(test)]
mod tests {
    use netlink_core::route::consts::*;

    use super::*;

    #[test]
    fn dsfields_and_groups_read_as_ip_reads_them() {
        let dsfields = ["10", "0x1c", "zz", "100", "0x"].map(parse_dsfield);
        assert_eq!(dsfields, [Some(0x10), Some(0x1c), None, None, None]);
        let groups = ["default", "0x10", "010", "4294967296", "2147483647"].map(parse_group);
        assert_eq!(groups, [0, 16, 8, 0, i32::MAX as u32].map(Some));
        let refused = [
            "4294967295",
            "2147483648",
            "-1",
            "abc",
            "5x",
            "",
            "99999999999999999999",
        ];
        assert_eq!(refused.map(parse_group), [None; 7]);
    }

    #[test]
    fn route_types_resolve_in_ip_order() {
        let kinds = ["u", "b", "bl", "x", "local", "7"].map(parse_route_type);
        let want = [
            RTN_UNREACHABLE,
            RTN_BROADCAST,
            RTN_BLACKHOLE,
            RTN_XRESOLVE,
            RTN_LOCAL,
            7,
        ];
        assert_eq!(kinds, want.map(Some));
        assert_eq!(["loc", "192.0.2.0/24"].map(parse_route_type), [None; 2]);
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(parse_scope(&scope_name(253)), Some(253));
        assert_eq!(parse_protocol("static"), Some(4));
        assert_eq!(parse_table("main"), Some(254));
        assert_eq!(parse_table("1000"), Some(1000));
        assert_eq!(parse_route_type("blackhole"), Some(6));
        assert_eq!(
            parse_mac("02:00:00:00:00:0a"),
            Some(vec![2, 0, 0, 0, 0, 10])
        );
        assert_eq!(parse_mac("02::00"), None);
        assert_eq!(mac(&[2, 0, 0xab, 0x0c]), "02:00:ab:0c");
        assert_eq!(mac(&[]), "");
        // Realms: FROM/TO by number up to 255 each, or one raw number.
        assert_eq!(parse_realms("3/4"), Some(3 << 16 | 4));
        assert_eq!(parse_realms("3/"), Some(3 << 16));
        assert_eq!(parse_realms("300"), Some(300));
        assert_eq!(parse_realms("300/1"), None);
        assert_eq!(parse_realms("/4"), None);
    }
}
