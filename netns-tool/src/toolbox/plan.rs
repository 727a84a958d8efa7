//! The plan of an object whose entries are added or changed, listed, flushed and looked up
//! one at a time (`ip route`, `ip neigh`): what its command line asks for, read without
//! touching the system.

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
