//! `nsip`: an `ip`-compatible tool for network namespaces, links, addresses and routes.

mod addr;
mod batch;
mod cli;
mod error;
mod link;
mod monitor;
mod netns;
mod nl;
mod print;
mod route;

fn main() {
    std::process::exit(cli::main(std::env::args().skip(1).collect()));
}
