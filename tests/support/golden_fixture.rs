//! The golden fixture format shared by tests/golden.rs (the library's builders against ip's
//! recorded bytes) and tests/golden_nsip.rs (the nsip binary's recorded bytes against ip's):
//! parsing a fixture file, masking what changes from run to run, and a readable diff.
#![allow(dead_code)] // each test crate uses its own part of it

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netlink_core::route::consts::*;
use netlink_core::wire::Message;

/// A byte range the fixture zeroed because its value changes from run to run.
#[derive(Debug)]
pub struct Mask {
    pub message: usize,
    pub offset: usize,
    pub len: usize,
}

/// One recorded `ip` command and the request(s) it sent.
#[derive(Debug)]
pub struct Fixture {
    pub name: String,
    pub command: String,
    pub ifindex: BTreeMap<String, u32>,
    pub masks: Vec<Mask>,
    pub messages: Vec<Vec<u8>>,
    /// The recorded tool's exit status.
    pub exit: Option<i32>,
}

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden")
}

fn field<'l>(line: &'l str, key: &str) -> &'l str {
    line.split_whitespace()
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("no {key}= in {line:?}"))
}

impl Fixture {
    pub fn load(name: &str) -> Fixture {
        let fixture = Fixture::load_from(&fixture_dir(), name);
        assert!(!fixture.messages.is_empty(), "{name}: no message");
        fixture
    }

    /// The fixture `name` of directory `dir` (another tool's recording, say, which may hold
    /// no message when the tool sent none).
    pub fn load_from(dir: &Path, name: &str) -> Fixture {
        let path = dir.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run scripts/record-golden.sh)", path.display()));
        let mut fixture = Fixture {
            name: name.to_owned(),
            command: String::new(),
            ifindex: BTreeMap::new(),
            masks: Vec::new(),
            messages: Vec::new(),
            exit: None,
        };
        for (number, line) in text.lines().enumerate() {
            if let Some(rest) = line.strip_prefix("# ifindex: ") {
                for pair in rest.split_whitespace() {
                    let (dev, index) = pair.split_once('=').expect("ifindex pairs are dev=N");
                    fixture
                        .ifindex
                        .insert(dev.to_owned(), index.parse().expect("ifindex is a number"));
                }
            } else if let Some(status) = line.strip_prefix("# exit: ") {
                fixture.exit = status.trim().parse().ok();
            } else if line.starts_with("# mask: ") {
                fixture.masks.push(Mask {
                    message: field(line, "message").parse().expect("mask message"),
                    offset: field(line, "offset").parse().expect("mask offset"),
                    len: field(line, "len").parse().expect("mask len"),
                });
            } else if line.starts_with("# message ") {
                fixture.messages.push(Vec::new());
            } else if let Some(command) = line.strip_prefix("# ip ") {
                if number == 0 {
                    fixture.command = format!("ip {command}");
                }
            } else if !line.starts_with('#') && !line.trim().is_empty() {
                let message = fixture
                    .messages
                    .last_mut()
                    .unwrap_or_else(|| panic!("{name}:{}: bytes before `# message`", number + 1));
                for byte in line.split_whitespace() {
                    message.push(u8::from_str_radix(byte, 16).expect("hex byte"));
                }
            }
        }
        assert!(
            !fixture.command.is_empty(),
            "{name}: no `# ip ...` first line"
        );
        fixture
    }

    /// The interface index `ip` saw for `dev` when it built the request.
    pub fn index(&self, dev: &str) -> u32 {
        *self
            .ifindex
            .get(dev)
            .unwrap_or_else(|| panic!("{}: no ifindex recorded for {dev}", self.name))
    }

    /// What this fixture's comparison ignores in message `number`: seq, pid and its masks.
    pub fn normalize(&self, number: usize, message: &[u8]) -> Vec<u8> {
        let mut bytes = message.to_vec();
        zero(&mut bytes, 8, 8);
        for mask in self.masks.iter().filter(|m| m.message == number) {
            zero(&mut bytes, mask.offset, mask.len);
        }
        bytes
    }
}

pub fn zero(bytes: &mut [u8], offset: usize, len: usize) {
    if let Some(range) = bytes.get_mut(offset..offset + len) {
        range.fill(0);
    }
}

/// Splits a builder's buffer into its messages (by `nlmsg_len`, 4-byte aligned).
pub fn split(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let message = Message::parse(rest).expect("the builder made a well-formed message");
        let len = message.header().len.get() as usize;
        messages.push(rest[..len].to_vec());
        rest = rest.get(len.next_multiple_of(4)..).unwrap_or(&[]);
    }
    messages
}

/// Size of the family header after `nlmsghdr`, for listing attributes in a diff.
pub fn family_header_len(message: &[u8]) -> usize {
    match message.get(4..6).map(|t| u16::from_ne_bytes([t[0], t[1]])) {
        Some(RTM_NEWLINK..=RTM_SETLINK) => 16,
        Some(RTM_NEWADDR..=RTM_GETADDR) => 8,
        Some(RTM_NEWROUTE..=RTM_GETROUTE) => 12,
        Some(RTM_NEWNEIGH..=RTM_GETNEIGH) => 12,
        Some(RTM_NEWRULE..=RTM_GETRULE) => 12,
        _ => 4,
    }
}

/// The top-level attributes as `(offset, type, value)`, for diffs and order-free comparison.
pub fn top_level_attrs(message: &[u8]) -> Vec<(usize, u16, Vec<u8>)> {
    let mut attrs = Vec::new();
    let mut offset = 16 + family_header_len(message);
    while let Some(head) = message.get(offset..offset + 4) {
        let len = u16::from_ne_bytes([head[0], head[1]]) as usize;
        let kind = u16::from_ne_bytes([head[2], head[3]]);
        let Some(value) = message.get(offset + 4..offset + len.max(4)) else {
            break;
        };
        attrs.push((offset, kind, value.to_vec()));
        offset += len.max(4).next_multiple_of(4);
    }
    attrs
}

pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A readable account of how `got` differs from `expected`: lengths, the first differing
/// offset, both hexdumps side by side with the differing rows marked, and the attributes.
pub fn diff(expected: &[u8], got: &[u8]) -> String {
    let mut out = String::new();
    if expected.len() != got.len() {
        let _ = writeln!(
            out,
            "  length: expected {}, got {}",
            expected.len(),
            got.len()
        );
    }
    let first = expected
        .iter()
        .zip(got)
        .position(|(e, g)| e != g)
        .unwrap_or(expected.len().min(got.len()));
    let _ = writeln!(out, "  first difference at offset {first} (0x{first:x})");
    let _ = writeln!(out, "  offset  {:<48}  got", "expected (ip)");
    for row in (0..expected.len().max(got.len())).step_by(16) {
        let e = expected
            .get(row..(row + 16).min(expected.len()))
            .unwrap_or(&[]);
        let g = got.get(row..(row + 16).min(got.len())).unwrap_or(&[]);
        let mark = if e == g { "" } else { "  <--" };
        let _ = writeln!(out, "  0x{row:04x}  {:<48}  {:<48}{mark}", hex(e), hex(g));
    }
    for (label, bytes) in [("expected", expected), ("got", got)] {
        let list: Vec<String> = top_level_attrs(bytes)
            .iter()
            .map(|(offset, kind, value)| format!("type {kind} len {} @{offset}", value.len() + 4))
            .collect();
        let _ = writeln!(out, "  {label} attributes: {}", list.join(", "));
    }
    out
}

/// Asserts that `got` (a builder's buffer) holds exactly the fixture's messages.
pub fn assert_golden(fixture: &Fixture, got: &[u8]) {
    let got = split(got);
    assert_eq!(
        got.len(),
        fixture.messages.len(),
        "{} ({}): built {} messages, ip sent {}",
        fixture.name,
        fixture.command,
        got.len(),
        fixture.messages.len()
    );
    let mut report = String::new();
    for (number, (expected, built)) in fixture.messages.iter().zip(&got).enumerate() {
        let expected = fixture.normalize(number, expected);
        let built = fixture.normalize(number, built);
        if expected != built {
            let _ = writeln!(report, "message {number}:\n{}", diff(&expected, &built));
        }
    }
    assert!(
        report.is_empty(),
        "golden mismatch for {} (`{}`):\n{report}",
        fixture.name,
        fixture.command
    );
}
