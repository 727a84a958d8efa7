//! The receive engine's window arithmetic and answer matching, on messages made here.

use super::*;
use crate::wire::Builder;

fn requests(sizes: &[usize]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    for &size in sizes {
        let m = b.begin_request(16, 0);
        b.push_bytes(&vec![0; size]);
        b.finish(m).expect("fits");
    }
    buf
}

#[test]
fn windows_fit_the_limit_and_the_message_cap() {
    let buf = requests(&[84, 84, 84]);
    assert_eq!(first_window(&buf, 250).expect("valid"), (200, 2));
    assert_eq!(first_window(&buf, 10_000).expect("valid"), (300, 3));
    let many = requests(&vec![4; WINDOW_MESSAGES + 5]);
    let (len, count) = first_window(&many, usize::MAX).expect("valid");
    assert_eq!((len, count), (20 * WINDOW_MESSAGES, WINDOW_MESSAGES));
}

#[test]
fn an_oversized_message_goes_alone() {
    let buf = requests(&[1000, 4]);
    assert_eq!(first_window(&buf, 100).expect("valid"), (1016, 1));
}

/// A request's final word as a test compares it: errno and ext-ACK text, if refused.
type Refusal = Option<(i32, Option<String>)>;

/// Answers as seen by a caller: replies and final words, by request index.
#[derive(Default)]
struct Seen {
    replies: Vec<usize>,
    answers: Vec<(usize, Refusal)>,
}

impl Answers for Seen {
    fn reply(&mut self, index: usize, _: Message<'_>) -> Result<(), Error> {
        self.replies.push(index);
        Ok(())
    }
    fn answer(&mut self, index: usize, result: Result<(), KernelError>) {
        let error = result.err().map(|e| (e.errno, e.message));
        self.answers.push((index, error));
    }
}

const PORT: u32 = 4242;

/// The window of `count` requests from sequence number `first`, the first of them at
/// index `base` of the caller's batch; `acked` when they asked for ACKs.
fn window(first: u32, count: usize, base: usize, acked: bool) -> Window {
    Window {
        first,
        count,
        base,
        acked,
    }
}

/// A message from the kernel to `port` with `seq`; `body` writes its payload.
fn from_kernel(ty: u16, flags: u16, seq: u32, port: u32, body: &[u8]) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    let m = b.begin(ty, flags, seq);
    b.push_bytes(body);
    b.finish(m).expect("fits");
    if let Some(pid) = buf.get_mut(12..16) {
        pid.copy_from_slice(&port.to_ne_bytes());
    }
    buf
}

/// An `NLMSG_ERROR` payload: errno, the capped request header, an ext-ACK text.
fn error_body(errno: i32, text: &str) -> Vec<u8> {
    let mut body = (-errno).to_ne_bytes().to_vec();
    body.extend_from_slice(&[0; 16]);
    let len = (4 + text.len() + 1) as u16;
    body.extend_from_slice(&len.to_ne_bytes());
    body.extend_from_slice(&crate::wire::NLMSGERR_ATTR_MSG.to_ne_bytes());
    body.extend_from_slice(text.as_bytes());
    body.push(0);
    body
}

fn feed(window: &Window, messages: &[Vec<u8>]) -> (Seen, Progress) {
    let mut seen = Seen::default();
    let mut progress = Progress::default();
    for bytes in messages {
        let msg = Message::parse(bytes).expect("well formed");
        if let Some(index) = window.index_of(&msg, PORT) {
            progress
                .take(window, index, msg, &mut seen)
                .expect("decodes");
        }
    }
    (seen, progress)
}

/// Feeds `messages` to `window`: each request has the final word `expected` says, and all
/// of them are answered.
fn assert_answers(window: Window, messages: &[Vec<u8>], expected: &[(usize, Refusal)]) {
    let (seen, progress) = feed(&window, messages);
    assert_eq!(seen.answers, expected);
    assert_eq!(progress.answered, expected.len());
}

/// What `feed` records for a request the kernel refused with `errno` and `text`.
fn refused(errno: i32, text: &str) -> Refusal {
    Some((errno, Some(text.to_owned())))
}

const CAPPED_TLVS: u16 = crate::wire::NLM_F_CAPPED | crate::wire::NLM_F_ACK_TLVS;

/// An `NLMSG_ERROR` as the kernel sends it, capped, with `text` as its ext-ACK message
/// (errno 0: an ACK).
fn kernel_error(seq: u32, port: u32, errno: i32, text: &str) -> Vec<u8> {
    from_kernel(
        NLMSG_ERROR,
        CAPPED_TLVS,
        seq,
        port,
        &error_body(errno, text),
    )
}

#[test]
fn acks_and_errors_are_matched_by_seq_and_port() {
    let messages = [
        kernel_error(100, PORT, 0, ""),
        // Another socket's answer, and one to a request outside the window.
        kernel_error(101, PORT + 1, 17, "x"),
        kernel_error(99, PORT, 17, "x"),
        kernel_error(101, PORT, 17, "exists"),
        kernel_error(102, PORT, 0, ""),
    ];
    let expected = [(10, None), (11, refused(17, "exists")), (12, None)];
    assert_answers(window(100, 3, 10, true), &messages, &expected);
}

#[test]
fn requests_without_an_answer_before_an_acked_one_passed() {
    let messages = [
        kernel_error(51, PORT, 3, "gone"),
        kernel_error(53, PORT, 0, ""),
    ];
    let expected = [(0, None), (1, refused(3, "gone")), (2, None), (3, None)];
    assert_answers(window(50, 4, 0, true), &messages, &expected);
}

/// Every subset of failures among a window of 8 unacked requests (the last one acked):
/// each request gets exactly one final word, in order, failed exactly when it failed.
#[test]
fn every_pattern_of_failures_gives_one_answer_per_request_in_order() {
    const COUNT: usize = 8;
    let window = window(1000, COUNT, 40, true);
    for failures in 0u32..(1 << COUNT) {
        let fails = |i: usize| failures & (1 << i) != 0;
        let mut messages = Vec::new();
        for i in 0..COUNT {
            let seq = 1000 + i as u32;
            if fails(i) {
                messages.push(kernel_error(seq, PORT, 22, "no"));
            } else if i == COUNT - 1 {
                messages.push(kernel_error(seq, PORT, 0, ""));
            }
        }
        let (seen, progress) = feed(&window, &messages);
        let expected: Vec<(usize, Refusal)> = (0..COUNT)
            .map(|i| (40 + i, fails(i).then(|| (22, Some("no".to_owned())))))
            .collect();
        assert_eq!(seen.answers, expected, "failures {failures:08b}");
        assert_eq!(progress.answered, COUNT);
    }
}

#[test]
fn a_dump_ends_at_done_with_its_errno_and_reports_interruption() {
    let window = window(7, 1, 0, false);
    let mut done = (-(libc::EMSGSIZE)).to_ne_bytes().to_vec();
    done.extend_from_slice(&9u16.to_ne_bytes());
    done.extend_from_slice(&crate::wire::NLMSGERR_ATTR_MSG.to_ne_bytes());
    done.extend_from_slice(&[b'b', b'i', b'g', 0, 0, 0, 0, 0]);
    let (seen, progress) = feed(
        &window,
        &[
            from_kernel(16, NLM_F_MULTI, 7, PORT, &[0; 16]),
            from_kernel(16, NLM_F_MULTI | NLM_F_DUMP_INTR, 7, PORT, &[0; 16]),
            from_kernel(
                NLMSG_DONE,
                NLM_F_MULTI | crate::wire::NLM_F_ACK_TLVS,
                7,
                PORT,
                &done,
            ),
            // Anything after the final word is stale.
            from_kernel(16, NLM_F_MULTI, 7, PORT, &[0; 16]),
        ],
    );
    assert_eq!(seen.replies, [0, 0]);
    assert_eq!(seen.answers, [(0, refused(libc::EMSGSIZE, "big"))]);
    assert!(progress.interrupted);
}

#[test]
fn an_unacked_single_part_reply_is_the_final_word() {
    let window = window(1, 1, 0, false);
    let (seen, progress) = feed(&window, &[from_kernel(16, 0, 1, PORT, &[0; 16])]);
    assert_eq!(seen.replies, [0]);
    assert_eq!(seen.answers, [(0, None)]);
    assert_eq!(progress.answered, 1);
    // With an ACK asked for, the same reply is not: the ACK is.
    let acked = Window {
        acked: true,
        ..window
    };
    let (seen, progress) = feed(&acked, &[from_kernel(16, 0, 1, PORT, &[0; 16])]);
    assert_eq!((seen.answers.len(), progress.answered), (0, 0));
}

#[test]
fn outbox_refusals_are_told_by_seq_and_port() {
    let sent = Outbox {
        first: u32::MAX - 1,
        count: 3,
    };
    let error = |seq, port| kernel_error(seq, port, 99, "");
    let holds = |bytes: Vec<u8>| sent.holds(&Message::parse(&bytes).expect("valid"), PORT);
    // The range wraps past u32::MAX.
    assert!(holds(error(u32::MAX - 1, PORT)));
    assert!(holds(error(0, PORT)));
    assert!(!holds(error(1, PORT)));
    assert!(!holds(error(u32::MAX - 2, PORT)));
    assert!(!holds(error(0, PORT + 1)));
    assert!(!Outbox::default().holds(&Message::parse(&error(0, PORT)).expect("valid"), PORT));
}

#[test]
fn a_lying_length_is_refused_before_sending() {
    let mut buf = requests(&[4]);
    buf[0] = 200;
    assert!(matches!(first_window(&buf, 1000), Err(Error::Decode(_))));
}

#[test]
fn only_the_last_request_of_an_acked_window_asks_for_an_ack() {
    // A socket is opened (no request is sent): stamping numbers from its sequence.
    let mut sock = Socket::new().expect("a NETLINK_ROUTE socket");
    let mut buf = Vec::new();
    let mut b = Builder::new(&mut buf);
    for flags in [NLM_F_ACK, 0, NLM_F_ACK, 0] {
        let m = b.begin_request(16, flags);
        b.finish(m).expect("fits");
    }
    let ack_flags = |buf: &[u8]| -> Vec<u16> {
        Messages::new(buf)
            .map(|m| m.expect("valid").flags() & NLM_F_ACK)
            .collect()
    };
    let mut unacked = buf.clone();
    sock.stamp(&mut unacked, 4, false).expect("stamps");
    assert_eq!(ack_flags(&unacked), [NLM_F_ACK, 0, NLM_F_ACK, 0]);
    let first = sock.stamp(&mut buf, 4, true).expect("stamps");
    assert_eq!(ack_flags(&buf), [0, 0, 0, NLM_F_ACK]);
    let seqs: Vec<u32> = Messages::new(&buf)
        .map(|m| m.expect("valid").seq())
        .collect();
    let want: Vec<u32> = (0..4).map(|i| first.wrapping_add(i)).collect();
    assert_eq!(seqs, want);
}
