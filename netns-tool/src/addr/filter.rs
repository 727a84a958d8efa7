//! The selection `ip address show` and `flush` make: ip's `filter` and the tests it runs on
//! each link (`print_linkinfo`) and each address (`ipaddr_filter`, `print_addrinfo`).
use netlink_core::route::consts::*;
use netlink_core::route::{AddressMessage, LinkMessage};

use super::pattern::fnmatch;
use crate::show::addr::FLAG_NAMES;
use crate::toolbox::args::word_bytes;
use crate::toolbox::inet::{family_accepts, Prefix};

/// What `show` / `flush` select, once device names are resolved to indexes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Filter<'a> {
    /// The family asked for (`-4`/`-6`, or the family of `to PREFIX`); 0 for any.
    pub family: u8,
    /// `dev NAME`, resolved.
    pub index: Option<u32>,
    /// `scope`: the value and the mask it is compared under (0 for `all` / not given).
    pub scope: u8,
    /// See [`Filter::scope`].
    pub scope_mask: u8,
    /// Flag words: the wanted bits and which bits are compared.
    pub flags: u32,
    /// See [`Filter::flags`].
    pub flag_mask: u32,
    /// `label PATTERN` (a shell pattern).
    pub label: Option<&'a str>,
    /// `to PREFIX`.
    pub to: Option<Prefix>,
    /// `up`.
    pub up: bool,
    /// `master DEVICE`, resolved.
    pub master: Option<u32>,
    /// `type KIND`.
    pub kind: Option<&'a str>,
    /// `type KIND_slave`, without the suffix.
    pub slave_kind: Option<&'a str>,
    /// `group GROUP`: only the link headers look at it (a listing prints a link of another
    /// group as ip does a link that is down under `up`: nothing, `{}` in JSON).
    pub group: Option<u32>,
}

impl Filter<'_> {
    /// ip's `get_filter`: a flag word, or `None` when the word is not one.
    pub fn flag_word(&mut self, word: &str) -> Option<()> {
        match word {
            "dynamic" => {
                self.flags &= !IFA_F_PERMANENT;
                self.flag_mask |= IFA_F_PERMANENT;
            }
            "primary" => {
                self.flags &= !IFA_F_SECONDARY;
                self.flag_mask |= IFA_F_SECONDARY;
            }
            _ => {
                let (negated, name) = match word.strip_prefix('-') {
                    Some(n) => (true, n),
                    None => (false, word),
                };
                let (_, bit) = FLAG_NAMES.iter().find(|(n, _)| *n == name)?;
                if negated {
                    self.flags &= !bit;
                } else {
                    self.flags |= bit;
                }
                self.flag_mask |= bit;
            }
        }
        Some(())
    }

    /// Whether the family filter lets an address of `family` through.
    pub fn family_matches(&self, family: u8) -> bool {
        family_accepts(self.family, family)
    }

    /// Flushing primaries only takes one round: a second would flush the secondaries the
    /// kernel promoted.
    pub fn primaries_only(&self) -> bool {
        self.flags & IFA_F_SECONDARY == 0 && self.flag_mask & IFA_F_SECONDARY != 0
    }

    /// ip's per-address tests; `link_name` stands in for a missing label (both as bytes:
    /// neither need be UTF-8).
    pub fn address_matches(&self, a: &AddressMessage<'_>, link_name: &[u8]) -> bool {
        if self.index.is_some_and(|i| i != a.index()) || !self.family_matches(a.family()) {
            return false;
        }
        if (self.scope ^ a.scope()) & self.scope_mask != 0 {
            return false;
        }
        if (self.flags ^ a.flags()) & self.flag_mask != 0 {
            return false;
        }
        if let Some(pattern) = self.label {
            if !fnmatch(&word_bytes(pattern), a.label_bytes().unwrap_or(link_name)) {
                return false;
            }
        }
        match (self.to, a.primary()) {
            (Some(to), Some(local)) => to.matches(Some(local), to.bitlen),
            _ => true,
        }
    }

    /// Whether a link is in the `group` asked for (a link that tells no group is).
    pub fn group_matches(&self, l: &LinkMessage<'_>) -> bool {
        self.group
            .is_none_or(|g| l.group().is_none_or(|in_group| in_group == g))
    }

    /// ip's per-link tests but `up` and `group` (the kernel's, for the filters ip puts in its dump
    /// request), which leave no trace of the link in the output.
    pub fn link_matches(&self, l: &LinkMessage<'_>) -> bool {
        if self
            .index
            .is_some_and(|i| i64::from(i) != i64::from(l.index()))
        {
            return false;
        }
        if self.master.is_some_and(|m| l.master() != Some(m)) {
            return false;
        }
        if self.kind.is_none() && self.slave_kind.is_none() {
            return true;
        }
        let info = l.link_info();
        let kind = info.as_ref().and_then(|i| i.kind);
        let slave_kind = info.as_ref().and_then(|i| i.slave_kind);
        self.kind.is_none_or(|k| kind == Some(k))
            && self.slave_kind.is_none_or(|k| slave_kind == Some(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_words_set_and_clear_bits() {
        let mut f = Filter::default();
        assert!(f.flag_word("permanent").is_some());
        assert_eq!((f.flags, f.flag_mask), (IFA_F_PERMANENT, IFA_F_PERMANENT));
        assert!(f.flag_word("dynamic").is_some());
        assert_eq!(f.flags, 0);
        assert!(f.flag_word("-tentative").is_some());
        assert_eq!(f.flag_mask & IFA_F_TENTATIVE, IFA_F_TENTATIVE);
        assert_eq!(f.flags & IFA_F_TENTATIVE, 0);
        assert!(f.flag_word("veth0").is_none());
        assert!(!f.primaries_only());
        assert!(f.flag_word("primary").is_some());
        assert!(f.primaries_only());
    }
}
