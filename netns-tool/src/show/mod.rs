//! The printers of links, addresses, routes, neighbours and rules, shared by the listings
//! and `monitor`.
//! They only format: what they need (caches, names, options) is handed to them.

pub mod addr;
pub mod brief;
pub mod device;
pub mod link;
pub mod link_details;
pub mod link_kinds;
pub mod link_names;
pub mod link_stats;
pub mod link_tun;
pub mod link_vlan;
pub mod neigh;
pub mod netconf;
pub mod nsid;
pub mod route;
pub mod route_encap;
pub mod route_filter;
pub mod route_parts;
pub mod rule;
