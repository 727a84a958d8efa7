//! iproute2's name databases: `rt_tables` (and `rt_tables.d/*.conf`), `rt_protos` (and
//! `rt_protos.d/*.conf`), `rt_scopes` and `rt_realms` under `/etc/iproute2`, the only place
//! ip 6.1 reads them from. Read as ip reads them: each database at most once per process,
//! and only when a name is asked for that ip would look up there (a table name always, a
//! protocol, scope or realm only when it has no built-in name; reading a name from the
//! command line loads its database first). The files then win over the built-in names.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use super::args::{digits_value, word_from_bytes};

/// Where ip 6.1 reads its databases.
pub const CONF_DIR: &str = "/etc/iproute2";

/// `fgets` with ip's 512-byte buffer: a line, with its `\n`, at most 511 bytes at a time.
fn fgets_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let limit = rest.len().min(511);
        let end = rest
            .get(..limit)
            .and_then(|head| head.iter().position(|&c| c == b'\n'))
            .map_or(limit, |newline| newline + 1);
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn skip_space(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&c| !is_c_space(c)).unwrap_or(s.len());
    s.get(start..).unwrap_or_default()
}

/// `sscanf`'s `%d` (`hex`: `%x`): the number (wrapped to an `int` as glibc stores it) and
/// what follows.
fn scan_number(s: &[u8], hex: bool) -> Option<(i32, &[u8])> {
    let s = skip_space(s);
    let (negative, s) = match s.first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let s = match s {
        [b'0', b'x' | b'X', c, ..] if hex && c.is_ascii_hexdigit() => s.get(2..)?,
        _ => s,
    };
    let radix = if hex { 16 } else { 10 };
    let digits = s
        .iter()
        .take_while(|c| char::from(**c).is_digit(radix))
        .count();
    if digits == 0 {
        return None;
    }
    // Beyond 64 bits strtol/strtoul saturate; the int then keeps the low 32 bits.
    let value = digits_value(s.get(..digits)?, radix).unwrap_or(u64::MAX);
    let value = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    Some((value as i32, s.get(digits..).unwrap_or_default()))
}

/// One `ID NAME` line as ip's four `sscanf` patterns read it (`0x%x %s` or `%d %s`).
fn scan_entry(line: &[u8]) -> Option<(i32, &[u8])> {
    let hex = line
        .strip_prefix(b"0x")
        .and_then(|rest| scan_number(rest, true));
    let (id, rest) = hex.or_else(|| scan_number(line, false))?;
    let name = skip_space(rest);
    let len = name.iter().take_while(|&&c| !is_c_space(c)).count();
    (len > 0).then(|| (id, name.get(..len).unwrap_or_default()))
}

/// Hands the entries of one database file to `each` in file order, as ip reads them:
/// comments and blank lines skipped; at a line it cannot read, ip's complaint on stderr and
/// no more of the file. A file that cannot be read has none.
fn read_entries(path: &Path, each: &mut dyn FnMut(i32, String)) {
    let Ok(text) = super::files::read(path) else {
        return;
    };
    for line in fgets_lines(&text) {
        let start = line
            .iter()
            .position(|&c| c != b' ' && c != b'\t')
            .unwrap_or(line.len());
        let p = line.get(start..).unwrap_or_default();
        if matches!(p.first(), None | Some(b'#' | b'\n' | 0)) {
            continue;
        }
        let Some((id, name)) = scan_entry(p) else {
            // The path's own bytes, as ip's `%s` prints them.
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(b"Database ");
            let _ = err.write_all(path.as_os_str().as_encoded_bytes());
            let _ = err.write_all(b" is corrupted at ");
            let _ = err.write_all(p);
            let _ = err.write_all(b"\n");
            break;
        };
        each(id, word_from_bytes(name));
    }
}

/// Hands the entries of database `name` to `each` ([`read_entries`]): those of `DIR/NAME`,
/// then of `DIR/NAME.d/*.conf` in directory order (ip's `readdir`, unsorted; hidden files
/// skipped) unless `drop_ins` is false.
fn read_database(dir: &str, name: &str, drop_ins: bool, each: &mut dyn FnMut(i32, String)) {
    let dir = Path::new(dir);
    read_entries(&dir.join(name), each);
    if !drop_ins {
        return;
    }
    let Ok(listing) = std::fs::read_dir(dir.join(format!("{name}.d"))) else {
        return;
    };
    for entry in listing.flatten() {
        let file_name = entry.file_name();
        let bytes = file_name.as_encoded_bytes();
        if !bytes.starts_with(b".") && bytes.len() > 5 && bytes.ends_with(b".conf") {
            read_entries(&entry.path(), each);
        }
    }
}

/// A 256-entry database (protocols, scopes, realms): built-in names, and the file's.
pub struct Slots {
    file: &'static str,
    drop_ins: bool,
    builtin: fn(u8) -> Option<&'static str>,
    /// Indexed by id; empty until the file is read (an array of 256 would put 18 KB of
    /// initialised data in the binary for the three databases).
    names: Vec<Option<String>>,
    loaded: bool,
}

impl Slots {
    const fn new(
        file: &'static str,
        drop_ins: bool,
        builtin: fn(u8) -> Option<&'static str>,
    ) -> Self {
        Slots {
            file,
            drop_ins,
            builtin,
            names: Vec::new(),
            loaded: false,
        }
    }
    fn load(&mut self, dir: &str) {
        self.loaded = true;
        self.names.resize(256, None);
        let names = &mut self.names;
        read_database(dir, self.file, self.drop_ins, &mut |id, name| {
            if let Some(slot) = usize::try_from(id).ok().and_then(|i| names.get_mut(i)) {
                *slot = Some(name);
            }
        });
    }
    fn lookup(&self, id: u8) -> Option<Cow<'static, str>> {
        match self.names.get(usize::from(id)) {
            Some(Some(name)) => Some(Cow::Owned(name.clone())),
            _ => (self.builtin)(id).map(Cow::Borrowed),
        }
    }
    /// `id`'s name (the database is read when `id` has no name yet), or its number.
    pub fn name(&mut self, dir: &str, id: u8) -> Cow<'static, str> {
        if !self.loaded && self.lookup(id).is_none() {
            self.load(dir);
        }
        self.lookup(id)
            .unwrap_or_else(|| Cow::Owned(id.to_string()))
    }
    /// The lowest id named `name` (the database read first).
    pub fn id(&mut self, dir: &str, name: &str) -> Option<u8> {
        if !self.loaded {
            self.load(dir);
        }
        (0..=255u8).find(|&id| self.lookup(id).is_some_and(|n| n == name))
    }
}

/// Route tables: ip keeps them in 256 hash chains (id mod 256), each file entry put at the
/// head of its chain, in front of the built-in `default`, `main` and `local`.
pub struct Tables {
    entries: Vec<(u32, String)>,
    loaded: bool,
}

impl Tables {
    const fn new() -> Self {
        Tables {
            entries: Vec::new(),
            loaded: false,
        }
    }
    fn load(&mut self, dir: &str) {
        if self.loaded {
            return;
        }
        self.loaded = true;
        let entries = &mut self.entries;
        read_database(dir, "rt_tables", true, &mut |id, name| {
            if let Ok(id) = u32::try_from(id) {
                entries.push((id, name));
            }
        });
    }
    /// The entries of chain `bucket`, head first.
    fn chain(&self, bucket: u8) -> impl Iterator<Item = (u32, &str)> {
        let builtin = match bucket {
            253 => Some("default"),
            254 => Some("main"),
            255 => Some("local"),
            _ => None,
        };
        self.entries
            .iter()
            .rev()
            .filter(move |(id, _)| *id & 255 == u32::from(bucket))
            .map(|(id, name)| (*id, name.as_str()))
            .chain(builtin.map(|name| (u32::from(bucket), name)))
    }
    /// `id`'s name, or its number.
    pub fn name(&mut self, dir: &str, id: u32) -> Cow<'static, str> {
        self.load(dir);
        let bucket = (id & 255) as u8;
        match self.chain(bucket).find(|(entry, _)| *entry == id) {
            Some((_, name)) => Cow::Owned(name.to_owned()),
            None => Cow::Owned(id.to_string()),
        }
    }
    /// The id named `name`: the first found walking the chains in order.
    pub fn id(&mut self, dir: &str, name: &str) -> Option<u32> {
        self.load(dir);
        (0..=255u8).find_map(|b| self.chain(b).find(|(_, n)| *n == name).map(|(id, _)| id))
    }
}

/// Every database, read lazily from one directory.
pub struct Databases {
    /// The directory (`/etc/iproute2`).
    pub dir: &'static str,
    /// `rt_tables`.
    pub tables: Tables,
    /// `rt_protos`.
    pub protocols: Slots,
    /// `rt_scopes`.
    pub scopes: Slots,
    /// `rt_realms`.
    pub realms: Slots,
}

impl Databases {
    /// The databases of `dir`, none read yet.
    pub const fn new(
        dir: &'static str,
        protocol: fn(u8) -> Option<&'static str>,
        scope: fn(u8) -> Option<&'static str>,
        realm: fn(u8) -> Option<&'static str>,
    ) -> Self {
        Databases {
            dir,
            tables: Tables::new(),
            protocols: Slots::new("rt_protos", true, protocol),
            scopes: Slots::new("rt_scopes", false, scope),
            realms: Slots::new("rt_realms", false, realm),
        }
    }
}

/// The process's databases, behind a lock.
pub fn lock(db: &'static Mutex<Databases>) -> MutexGuard<'static, Databases> {
    db.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_ips_sscanf_reads_them() {
        assert_eq!(scan_entry(b"100\tvpn\n"), Some((100, &b"vpn"[..])));
        assert_eq!(scan_entry(b"0x7d0 big # note\n"), Some((2000, &b"big"[..])));
        assert_eq!(scan_entry(b"0xZZ odd\n"), Some((0, &b"xZZ"[..])));
        assert_eq!(scan_entry(b"-5 neg\n"), Some((-5, &b"neg"[..])));
        assert_eq!(scan_entry(b"100\n"), None);
        assert_eq!(scan_entry(b"vpn 100\n"), None);
        let long: Vec<u8> = [b"1 ".as_slice(), &[b'a'; 600], b"\n"].concat();
        assert_eq!(fgets_lines(&long).count(), 2);
    }

    /// A directory of databases, unique to the test, leaked for the `'static` the
    /// databases keep.
    fn conf_dir(test: &str, files: &[(&str, &str)]) -> &'static str {
        let dir = std::env::temp_dir().join(format!("nsip-names-{}-{test}", std::process::id()));
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        String::leak(dir.to_string_lossy().into_owned())
    }

    fn scope(id: u8) -> Option<&'static str> {
        (id == 0).then_some("global")
    }

    #[test]
    fn tables_follow_ips_chains_and_drop_ins() {
        let dir = conf_dir(
            "tables",
            &[
                ("rt_tables", "100 vpn\n0x7d0 big\n356 wide\n255 mine\n"),
                ("rt_tables.d/a.conf", "100 vpn2\n"),
                ("rt_tables.d/b.txt", "101 nope\n"),
            ],
        );
        let mut db = Databases::new(dir, scope, scope, scope);
        // The drop-in came last, so it heads table 100's chain; both names still read.
        assert_eq!(db.tables.name(dir, 100), "vpn2");
        assert_eq!(db.tables.id(dir, "vpn"), Some(100));
        assert_eq!(db.tables.id(dir, "big"), Some(2000));
        assert_eq!(db.tables.name(dir, 356), "wide");
        assert_eq!(db.tables.name(dir, 255), "mine");
        assert_eq!(db.tables.id(dir, "local"), Some(255));
        assert_eq!(db.tables.id(dir, "nope"), None);
        assert_eq!(db.tables.name(dir, 101), "101");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn slots_are_read_only_for_a_name_without_a_built_in_one() {
        let dir = conf_dir("slots", &[("rt_scopes", "0 everywhere\n7 seven\n")]);
        let mut db = Databases::new(dir, scope, scope, scope);
        assert_eq!(db.scopes.name(dir, 0), "global");
        assert!(!db.scopes.loaded, "a built-in name needs no file");
        assert_eq!(db.scopes.name(dir, 7), "seven");
        // Once read, the file's names win over the built-in ones.
        assert_eq!(db.scopes.name(dir, 0), "everywhere");
        assert_eq!(db.scopes.id(dir, "global"), None);
        assert_eq!(db.scopes.name(dir, 8), "8");
        // A database that is not there leaves the built-in names.
        assert_eq!(db.protocols.id(dir, "global"), Some(0));
        let _ = std::fs::remove_dir_all(dir);
    }
}
