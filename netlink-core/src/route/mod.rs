//! rtnetlink vocabulary.
