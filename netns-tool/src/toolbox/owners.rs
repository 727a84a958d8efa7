//! User and group names for the uids and gids a listing prints (a tun/tap device's owner
//! and group), looked up before printing so that printers make no system call.
//!
//! ip asks the C library (`getpwuid`, `getgrgid`), which may consult NSS services (LDAP,
//! systemd-userdb...). A static binary has no NSS: nsip reads `/etc/passwd` and
//! `/etc/group` only, so a name that exists elsewhere prints as its number.

use std::path::Path;

use super::args::digits_value;
use super::word::word_from_bytes;

/// Names of the ids asked for; an id without one is absent.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OwnerNames {
    users: Vec<(u32, String)>,
    groups: Vec<(u32, String)>,
}

impl OwnerNames {
    /// The names of `uids` and `gids` from `/etc/passwd` and `/etc/group` (nothing is read
    /// for an empty list).
    pub fn resolve(uids: &[u32], gids: &[u32]) -> Self {
        Self::resolve_in(Path::new("/etc"), uids, gids)
    }

    /// [`OwnerNames::resolve`] with the files under `dir`.
    pub fn resolve_in(dir: &Path, uids: &[u32], gids: &[u32]) -> Self {
        let read = |file: &str, ids: &[u32]| {
            if ids.is_empty() {
                return Vec::new();
            }
            super::files::read(dir.join(file))
                .map(|text| names_of(&text, ids))
                .unwrap_or_default()
        };
        OwnerNames {
            users: read("passwd", uids),
            groups: read("group", gids),
        }
    }

    /// The user named for `uid`.
    pub fn user(&self, uid: u32) -> Option<&str> {
        find(&self.users, uid)
    }

    /// The group named for `gid`.
    pub fn group(&self, gid: u32) -> Option<&str> {
        find(&self.groups, gid)
    }
}

fn find(names: &[(u32, String)], id: u32) -> Option<&str> {
    names
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, n)| n.as_str())
}

/// `name:password:id:...` lines (passwd and group alike): the first name of each wanted
/// id, as the C library's files lookup returns it. Lines that do not parse are skipped.
fn names_of(text: &[u8], wanted: &[u32]) -> Vec<(u32, String)> {
    let mut found: Vec<(u32, String)> = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        let mut fields = line.split(|&b| b == b':');
        let (Some(name), Some(_), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
            continue;
        };
        let Some(id) = digits_value(id, 10)
            .filter(|_| !id.is_empty())
            .and_then(|id| u32::try_from(id).ok())
        else {
            continue;
        };
        if name.is_empty() || !wanted.contains(&id) || found.iter().any(|(i, _)| *i == id) {
            continue;
        }
        found.push((id, word_from_bytes(name)));
    }
    found
}

/// For tests: the names the texts of a `passwd` and a `group` file give the ids asked for
/// (the files are written to a folder of the call's own, removed after).
#[cfg(test)]
pub fn resolved_from(passwd: &str, group: &str, uids: &[u32], gids: &[u32]) -> OwnerNames {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("nsip-owners-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("passwd"), passwd).unwrap();
    std::fs::write(dir.join("group"), group).unwrap();
    let names = OwnerNames::resolve_in(&dir, uids, gids);
    std::fs::remove_dir_all(&dir).unwrap();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_of_a_wanted_id_names_it() {
        let text = b"root:x:0:0:root:/root:/bin/bash\n\
                     bad line\n\
                     :x:5:\n\
                     nobody:x:65534:65534::/:/sbin/nologin\n\
                     other:x:65534:1::/:/bin/sh\n\
                     big:x:99999999999:1::/:/bin/sh\n\
                     hex:x:0x10:1::/:/bin/sh\n";
        let names = names_of(text, &[0, 65534, 5, 16, 7]);
        assert_eq!(
            names,
            [(0, "root".to_string()), (65534, "nobody".to_string())]
        );
    }

    #[test]
    fn files_are_read_only_for_ids_asked_for() {
        let (passwd, group) = ("alice:x:1000:1000::/:/bin/sh\n", "staff:x:50:\n");
        let names = resolved_from(passwd, group, &[1000, 4242], &[50]);
        assert_eq!(names.user(1000), Some("alice"));
        assert_eq!(names.user(4242), None);
        assert_eq!(names.group(50), Some("staff"));
        let nothing_asked = resolved_from(passwd, group, &[], &[]);
        assert_eq!(nothing_asked, OwnerNames::default());
    }
}
