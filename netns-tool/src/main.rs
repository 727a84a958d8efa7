//! `nsip`: an `ip`-compatible tool for network namespaces, links, addresses and routes.

fn main() {
    std::process::exit(netns_tool::run(std::env::args_os().skip(1).collect()));
}
