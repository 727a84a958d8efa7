//! The pieces every object uses and none owns. Each is a leaf: it imports netlink-core and
//! other toolbox modules, never an object (`link`, `addr`...) and never the dispatcher.

pub mod args;
pub mod cache;
pub mod clock;
pub mod color;
pub mod error;
pub mod files;
pub mod flush;
pub mod held;
pub mod inet;
pub mod ipproto;
pub mod json;
pub mod link_dump;
pub mod link_stream;
pub mod name_files;
pub mod names;
pub mod netns_names;
pub mod output;
pub mod owners;
pub mod plan;
pub mod session;
pub mod word;

#[cfg(test)]
pub mod testing;
