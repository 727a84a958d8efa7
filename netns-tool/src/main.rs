//! `nsip`: an `ip`-compatible tool for network namespaces, links, addresses and routes.

fn main() {
    let mut argv: Vec<_> = std::env::args_os().collect();
    // The program's name (a plain `Vec::remove`: smaller than collecting through `skip`).
    if !argv.is_empty() {
        argv.remove(0);
    }
    std::process::exit(netns_tool::run(argv));
}
