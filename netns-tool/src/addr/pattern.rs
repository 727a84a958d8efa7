//! Shell patterns for `ip addr show label PATTERN`: ip matches labels with
//! `fnmatch(pattern, label, 0)`. This is that match on bytes, as the static nsip's libc (musl)
//! does it in the C locale, where every byte is one character; musl's own `fnmatch` brought its
//! wide-character class tables (10 KB of the static binary) for a 15-byte label.

/// One piece of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Byte(u8),
    Any,
    Star,
    /// A bracket expression: what lies between `[` and its closing `]`.
    Set(&'a [u8]),
}

/// Whether `name` matches the shell pattern `pattern` (`*`, `?`, `[...]` with ranges, `!`/`^`
/// and `[:class:]`, `\` escaping; no special `/` or leading `.`).
pub fn fnmatch(pattern: &[u8], name: &[u8]) -> bool {
    if pattern.contains(&0) || name.contains(&0) {
        // No C string holds these: fnmatch cannot be asked.
        return false;
    }
    let mut pieces = Vec::new();
    let mut rest = pattern;
    while let Some((piece, len)) = next_piece(rest) {
        pieces.push(piece);
        rest = rest.get(len..).unwrap_or_default();
    }
    matches_pieces(&pieces, name)
}

/// The piece `p` starts with and its length in bytes.
fn next_piece(p: &[u8]) -> Option<(Piece<'_>, usize)> {
    let piece = match *p.first()? {
        b'\\' if p.len() > 1 => return Some((Piece::Byte(p[1]), 2)),
        b'[' => match set_end(p) {
            Some(end) => return Some((Piece::Set(p.get(1..end)?), end + 1)),
            // Without its `]` a `[` is itself.
            None => Piece::Byte(b'['),
        },
        b'*' => Piece::Star,
        b'?' => Piece::Any,
        b => Piece::Byte(b),
    };
    Some((piece, 1))
}

/// Where the `]` closing the bracket expression at the start of `p` is: a `]` first (after
/// `!` or `^`) is a member, and `[:`, `[.`, `[=` open a name that runs to its `:]`, `.]`, `=]`.
fn set_end(p: &[u8]) -> Option<usize> {
    let mut k = 1;
    if matches!(p.get(k), Some(b'!' | b'^')) {
        k += 1;
    }
    if p.get(k) == Some(&b']') {
        k += 1;
    }
    loop {
        match *p.get(k)? {
            b']' => return Some(k),
            b'[' if matches!(p.get(k + 1), Some(b':' | b'.' | b'=')) => {
                let close = p.get(k + 1).copied();
                k += 3;
                while !(p.get(k - 1).copied() == close && p.get(k) == Some(&b']')) {
                    p.get(k)?;
                    k += 1;
                }
            }
            _ => {}
        }
        k += 1;
    }
}

/// Glob matching with backtracking to the last `*`.
fn matches_pieces(pieces: &[Piece<'_>], name: &[u8]) -> bool {
    let (mut i, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        match pieces.get(i) {
            Some(Piece::Star) => {
                star = Some((i + 1, n));
                i += 1;
                continue;
            }
            Some(&piece) if name.get(n).is_some_and(|&c| piece_matches(piece, c)) => {
                i += 1;
                n += 1;
                continue;
            }
            None if n == name.len() => return true,
            _ => {}
        }
        // Let the last `*` take one more byte, or fail.
        match star {
            Some((after, from)) if from < name.len() => {
                star = Some((after, from + 1));
                i = after;
                n = from + 1;
            }
            _ => return false,
        }
    }
}

fn piece_matches(piece: Piece<'_>, c: u8) -> bool {
    match piece {
        Piece::Byte(b) => b == c,
        Piece::Any => true,
        Piece::Set(set) => set_matches(set, c),
        Piece::Star => false,
    }
}

/// musl's `match_bracket` on bytes: a range runs from the byte before `-` (even one that
/// opened the set, `!` or `]`) to the byte after it; `[.x.]` and `[=x=]` match nothing.
fn set_matches(set: &[u8], c: u8) -> bool {
    let mut k = 0;
    let inverted = matches!(set.first(), Some(b'!' | b'^'));
    if inverted {
        k += 1;
    }
    if let Some(&first @ (b']' | b'-')) = set.get(k) {
        if c == first {
            return !inverted;
        }
        k += 1;
    }
    // The byte before the current one: where a range starts.
    let mut previous = match k.checked_sub(1) {
        Some(i) => set.get(i).copied().unwrap_or(b'['),
        None => b'[',
    };
    while let Some(&b) = set.get(k) {
        match (b, set.get(k + 1).copied()) {
            (b'-', Some(last)) if last != b']' => {
                if (previous..=last).contains(&c) {
                    return !inverted;
                }
                // The range's last byte is read next as a member of its own.
                k += 1;
                continue;
            }
            (b'[', Some(close @ (b':' | b'.' | b'='))) => {
                let name_from = k + 2;
                k = name_from + 1;
                // The set was cut where this name ends (set_end), so the loop stops in it.
                while k < set.len()
                    && !(set.get(k - 1) == Some(&close) && set.get(k) == Some(&b']'))
                {
                    k += 1;
                }
                let name = set.get(name_from..k - 1).unwrap_or_default();
                if close == b':' && in_class(name, c) {
                    return !inverted;
                }
            }
            _ => {
                previous = b;
                if b == c {
                    return !inverted;
                }
            }
        }
        k += 1;
    }
    inverted
}

/// Whether a byte is in a character class.
type ClassTest = fn(&u8) -> bool;

/// The character classes of a bracket expression and their tests in the C locale: ASCII
/// only, no byte above 127 is in any.
const CLASSES: [(&[u8], ClassTest); 12] = [
    (b"alnum", u8::is_ascii_alphanumeric),
    (b"alpha", u8::is_ascii_alphabetic),
    (b"blank", |c| *c == b' ' || *c == b'\t'),
    (b"cntrl", u8::is_ascii_control),
    (b"digit", u8::is_ascii_digit),
    (b"graph", u8::is_ascii_graphic),
    (b"lower", u8::is_ascii_lowercase),
    (b"print", |c| c.is_ascii_graphic() || *c == b' '),
    (b"punct", u8::is_ascii_punctuation),
    (b"space", |c| c.is_ascii_whitespace() || *c == 0x0b),
    (b"upper", u8::is_ascii_uppercase),
    (b"xdigit", u8::is_ascii_hexdigit),
];

/// `iswctype(c, wctype(name))` in the C locale; an unknown class holds nothing.
fn in_class(name: &[u8], c: u8) -> bool {
    CLASSES
        .iter()
        .any(|(class, test)| *class == name && test(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn libc_fnmatch(pattern: &[u8], name: &[u8]) -> bool {
        let (Ok(p), Ok(n)) = (CString::new(pattern), CString::new(name)) else {
            return false;
        };
        // SAFETY: both pointers are valid NUL-terminated strings for the call's duration.
        unsafe { libc::fnmatch(p.as_ptr(), n.as_ptr(), 0) == 0 }
    }

    #[test]
    fn labels_match_as_shell_patterns() {
        assert!(fnmatch(b"veth0*", b"veth0:x"));
        assert!(fnmatch(b"veth?", b"veth1"));
        assert!(!fnmatch(b"veth0", b"veth0:x"));
        assert!(!fnmatch(b"a\0b", b"a"));
        assert!(fnmatch(b"d:\xff*", b"d:\xff\xfe"));
    }

    #[test]
    fn generated_patterns_match_as_libc_matches_them() {
        let pieces: [&[u8]; 24] = [
            b"a",
            b"b",
            b"-",
            b"]",
            b"[",
            b"!",
            b"^",
            b"*",
            b"?",
            b"\\",
            b":",
            b"\xe9",
            b"[:alpha:]",
            b"[:digit:]",
            b"[:punct:]",
            b"[:space:]",
            b"[:upper:]",
            b"[:nope:]",
            b"a-c",
            b"[!",
            b"[^",
            b"[]",
            b"[a-",
            b"*a",
        ];
        let names: [&[u8]; 12] = [
            b"", b"a", b"b", b"ab", b"-", b"]", b"[", b"!", b"a]", b"\xe9", b"aXb9", b"[a]",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut differences = Vec::new();
        for _ in 0..20_000 {
            let pattern: Vec<u8> = (0..1 + next(5))
                .flat_map(|_| pieces[next(pieces.len())].to_vec())
                .collect();
            let name: Vec<u8> = (0..1 + next(3))
                .flat_map(|_| names[next(names.len())].to_vec())
                .collect();
            // glibc (ip's libc; the host's in a native test) parts from musl (the static
            // nsip's) on `\` inside brackets, ranges that end at a `[`, unknown classes.
            let glibc_parts = |p: &[u8]| {
                p.contains(&b'\\')
                    || p.windows(2).any(|w| w == b"-[")
                    || p.windows(6).any(|w| w == b"[:nope")
            };
            if !cfg!(target_env = "musl") && glibc_parts(&pattern) {
                continue;
            }
            if fnmatch(&pattern, &name) != libc_fnmatch(&pattern, &name) {
                differences.push((
                    String::from_utf8_lossy(&pattern).into_owned(),
                    String::from_utf8_lossy(&name).into_owned(),
                    libc_fnmatch(&pattern, &name),
                ));
            }
        }
        differences.sort();
        differences.dedup();
        assert!(
            differences.is_empty(),
            "{} differences: {:?}",
            differences.len(),
            &differences[..differences.len().min(40)]
        );
    }
}
