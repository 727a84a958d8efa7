//! The bytes `nsip address add|change|replace|del` sends equal ip's for the same command
//! line: both run under strace in identical sandboxes, and every `RTM_NEWADDR` /
//! `RTM_DELADDR` they send is compared (sequence number and port masked).

mod common;

use common::{can_sandbox, sandbox_ok};

/// Before each command: two links and an address of each family to change or delete.
const SETUP: &str = "
ip link add veth0 address 02:00:00:00:00:01 type veth peer name veth1 address 02:00:00:00:00:02
ip link set veth0 up
ip addr add 192.0.2.200/24 dev veth0
ip addr add 198.51.100.20/24 dev veth0
ip addr add 2001:db8::200/64 dev veth0 nodad
";

/// The command lines, as ip takes them.
const COMMANDS: [&str; 30] = [
    "addr add 198.51.100.1/24 dev veth0",
    "addr add 198.51.100.2/24 label veth0:x dev veth0",
    "addr add label veth0:y local 198.51.100.3/24 dev veth0",
    "addr add 198.51.100.4/24 brd + dev veth0",
    "addr add 198.51.100.5/24 brd - dev veth0",
    "addr add 198.51.100.6/24 broadcast 198.51.100.77 dev veth0",
    "addr add 198.51.100.7 peer 198.51.100.8/32 dev veth0",
    "addr add peer 198.51.100.10/32 198.51.100.9 dev veth0",
    "addr add 2001:db8::1/64 anycast 2001:db8::5 dev veth0 nodad",
    "addr add 198.51.100.11/24 dev veth0 metric 100",
    "addr add metric 7 198.51.100.12/24 dev veth0",
    "addr add 198.51.100.13/24 dev veth0 valid_lft 100 preferred_lft 50",
    "addr add 2001:db8::2/64 dev veth0 valid_lft forever preferred_lft 30 nodad",
    "addr add 2001:db8::3/64 dev veth0 home nodad",
    "addr add 2001:db8::4/64 dev veth0 home nodad mngtmpaddr noprefixroute",
    "addr add 198.51.100.14/24 dev veth0 noprefixroute",
    "addr add 198.51.100.15/24 dev veth0 scope link",
    "addr add 127.0.0.5/8 dev veth0",
    "addr add 198.51.100.16/24 broadcast 198.51.100.255 label veth0:x scope link metric 7 \
     dev veth0 valid_lft 200 preferred_lft 100 noprefixroute",
    "-6 addr add 2001:db8::6/64 dev veth0 nodad",
    "addr add 224.0.0.251/32 dev veth0 autojoin",
    "addr add 10.1.2.3/255.255.0.0 dev veth0",
    "addr del 192.0.2.200/24 dev veth0",
    "addr del 192.0.2.200 dev veth0",
    "addr del 2001:db8::200/64 dev veth0",
    "addr del 192.0.2.200/24 dev veth0 scope link",
    "addr del dev veth0",
    "addr replace 198.51.100.20/24 dev veth0 valid_lft 300 preferred_lft 300",
    "addr change 198.51.100.20/24 dev veth0 metric 5",
    "addr chg 198.51.100.20/24 dev veth0 brd +",
];

/// The `RTM_NEWADDR` / `RTM_DELADDR` messages of an `strace -xx -e write=all` trace, as
/// hex, with `nlmsg_seq` and `nlmsg_pid` zeroed.
fn address_requests(trace: &str) -> Vec<String> {
    let mut sends: Vec<Vec<u8>> = Vec::new();
    for line in trace.lines() {
        let call = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        if call.starts_with("sendmsg(") || call.starts_with("sendto(") {
            sends.push(Vec::new());
        } else if let (Some(hex), Some(send)) = (line.strip_prefix(" | "), sends.last_mut()) {
            let bytes = hex.get(7..55).unwrap_or_default();
            send.extend(
                bytes
                    .split_whitespace()
                    .filter_map(|b| u8::from_str_radix(b, 16).ok()),
            );
        }
    }
    let mut out = Vec::new();
    for send in &sends {
        let mut at = 0usize;
        while let Some(header) = send.get(at..at + 16) {
            let len = u32::from_ne_bytes([header[0], header[1], header[2], header[3]]) as usize;
            let ty = u16::from_ne_bytes([header[4], header[5]]);
            let Some(msg) = send.get(at..at + len).filter(|_| len >= 16) else {
                break;
            };
            if ty == 20 || ty == 21 {
                let mut msg = msg.to_vec();
                msg[8..16].fill(0);
                out.push(msg.iter().map(|b| format!("{b:02x}")).collect());
            }
            at += (len + 3) & !3;
        }
    }
    out
}

fn strace_present() -> bool {
    ["/usr/bin/strace", "/bin/strace"]
        .iter()
        .any(|p| std::path::Path::new(p).exists())
}

/// The trace of `tool args` run after [`SETUP`] in a fresh sandbox.
fn traced(tool: &str, args: &str) -> String {
    sandbox_ok(&format!(
        "{SETUP}\nstrace -f -xx -e trace=sendmsg,sendto -e write=all -o /run/trace \
         {tool} {args} >/dev/null 2>&1 || true\ncat /run/trace"
    ))
}

#[test]
fn address_requests_are_ips_bytes() {
    if !can_sandbox("address_requests_are_ips_bytes") {
        return;
    }
    if !strace_present() {
        assert!(std::env::var_os("CI").is_none(), "CI must have strace");
        eprintln!("SKIP address_requests_are_ips_bytes: strace is missing");
        return;
    }
    let mut differing = Vec::new();
    for args in COMMANDS {
        let ip = address_requests(&traced("ip", args));
        let ours = address_requests(&traced("\"$NSIP\"", args));
        assert_eq!(ip.len(), 1, "ip sends one request for `{args}`");
        if ours != ip {
            differing.push(format!("{args}\n  ip:   {ip:?}\n  nsip: {ours:?}"));
        }
    }
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}
