#![no_main]

#[path = "../src/cli.rs"]
mod cli;

libfuzzer_sys::fuzz_target!(|data: &[u8]| cli::argv(data));
