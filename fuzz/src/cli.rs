//! The bodies of the fuzz targets over nsip's own untrusted input: the command line, the
//! `-batch` reader and `monitor file` streams. Each goes through the parsers and printers
//! only (no namespace switch, no socket, no file): bytes in, never a panic.
//!
//! The cargo-fuzz binaries `cli_*` include this file (`#[path]`), and the main workspace's
//! `tests/fuzz_corpus.rs` includes it too to replay `fuzz/corpus/cli_*` on stable.

// Each including crate calls only some of the bodies.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io;
use std::ops::ControlFlow;
use std::os::unix::ffi::OsStringExt;

use netns_tool::cli::{batch, parse_object, parse_only};
use netns_tool::toolbox::args::{word_bytes, word_from_bytes, Family, Globals};

/// A target body: takes the fuzzer's bytes, panics on a broken invariant.
pub type Body = fn(&[u8]);

/// Every CLI target by name, for drivers that replay a corpus directory per target.
pub const CLI_TARGETS: &[(&str, Body)] = &[
    ("cli_argv", argv),
    ("cli_batch", batch_file),
    ("cli_monitor_file", monitor_file),
];

/// ip's batch word limit (ip 6.1 keeps 512 argv slots, one for the NULL).
const MAX_BATCH_WORDS: usize = 511;

/// The command line: the bytes split at NULs, one argument each, through the global options
/// and the object's parser. Every argument must come back as its exact bytes.
pub fn argv(data: &[u8]) {
    let args: Vec<OsString> = data
        .split(|&b| b == 0)
        .map(|w| OsString::from_vec(w.to_vec()))
        .collect();
    for arg in &args {
        let bytes = arg.as_encoded_bytes();
        assert_eq!(
            &*word_bytes(&word_from_bytes(bytes)),
            bytes,
            "a word lost bytes"
        );
    }
    if let Err(e) = parse_only(args) {
        assert_ne!(e.status(), 0, "an error exits non-zero");
    }
}

/// A `-batch` file: read, cut and split as ip reads it, each command then through its
/// object's parser. Line numbers only grow, and no command is blank or over ip's word limit.
pub fn batch_file(data: &[u8]) {
    let g = Globals {
        force: true,
        batch: true,
        ..Globals::default()
    };
    let mut last_line = 0;
    let _ = batch::read_commands("fuzz", data, &mut |line, words| {
        assert!(line > last_line, "line {line} after {last_line}");
        last_line = line;
        assert!(!words.is_empty() && words.len() <= MAX_BATCH_WORDS);
        if let Some((object, rest)) = words.split_first() {
            let _ = parse_object(&g, object, rest);
        }
        ControlFlow::Continue(())
    });
}

/// A `monitor file` stream, printed as text into a sink. The first byte picks the options
/// the printers see (`-4`/`-6`, `-d`, `-s`, `-o`, `label`), the rest is the stream.
pub fn monitor_file(data: &[u8]) {
    let Some((&options, stream)) = data.split_first() else {
        return;
    };
    let g = Globals {
        family: match options & 3 {
            1 => Family::V4,
            2 => Family::V6,
            _ => Family::Any,
        },
        details: (options >> 2) & 1,
        stats: (options >> 3) & 3,
        oneline: options & 0x20 != 0,
        ..Globals::default()
    };
    let words: Vec<String> = if options & 0x40 != 0 {
        vec!["label".to_string()]
    } else {
        Vec::new()
    };
    let _ = netns_tool::monitor::replay_stream(&g, &words, stream, io::sink(), io::sink());
}
