//! The netlink socket.
