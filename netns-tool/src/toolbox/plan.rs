//! The plan of an object whose entries are added or changed, listed, flushed and looked up
//! one at a time (`ip route`, `ip neigh`): what its command line asks for, read without
//! touching the system.

use netlink_core::route::consts::{NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE};

use super::args::matches;

/// `M` is the object's change (add, change, replace, delete...), `F` its selector, `G` its
/// lookup.
#[derive(Debug)]
pub enum EntryPlan<M, F, G> {
    /// `add`, `change`, `replace`, `delete`, ...
    Modify(M),
    /// `show` / `list` (also no command at all).
    List(F),
    /// `flush`.
    Flush(F),
    /// `get`.
    Get(G),
}

/// What a change word asks of the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// An `RTM_NEW*` with these `NLM_F_*` flags (create, exclusive, replace, append).
    New(u16),
    /// An `RTM_DEL*`.
    Delete,
}

/// ip's change words, in its order of tests (prefixes resolve as its `matches` chain does):
/// `ip route`'s all (`every`), `ip neigh`'s `add`, `change`, `replace` and `delete` only.
pub fn change_of(word: &str, every: bool) -> Option<Change> {
    let create = NLM_F_CREATE;
    Some(match word {
        w if matches(w, "add") => Change::New(create | NLM_F_EXCL),
        w if matches(w, "change") || w == "chg" => Change::New(NLM_F_REPLACE),
        w if matches(w, "replace") => Change::New(create | NLM_F_REPLACE),
        w if every && matches(w, "prepend") => Change::New(create),
        w if every && matches(w, "append") => Change::New(create | NLM_F_APPEND),
        w if every && matches(w, "test") => Change::New(NLM_F_EXCL),
        w if matches(w, "delete") => Change::Delete,
        _ => return None,
    })
}
