//! Iterating the messages of one datagram, and reading `NLMSG_ERROR` with its extended ACK.

use zerocopy::FromBytes;

use super::{align, split_header, Attrs, DecodeError, NlMsgErr, NlMsgHdr};

/// `NLMSG_NOOP`.
pub const NLMSG_NOOP: u16 = 1;
/// `NLMSG_ERROR`: an error or, with errno 0, an ACK.
pub const NLMSG_ERROR: u16 = 2;
/// `NLMSG_DONE`: the end of a dump.
pub const NLMSG_DONE: u16 = 3;
/// `NLMSG_OVERRUN`.
pub const NLMSG_OVERRUN: u16 = 4;

/// `NLM_F_REQUEST`: a request (every message a user sends to the kernel).
pub const NLM_F_REQUEST: u16 = 0x01;
/// `NLM_F_MULTI`: one part of a multi-part reply, which `NLMSG_DONE` ends.
pub const NLM_F_MULTI: u16 = 0x02;
/// `NLM_F_ACK`: asks for an ACK (an `NLMSG_ERROR` with errno 0) on success.
pub const NLM_F_ACK: u16 = 0x04;
/// `NLM_F_ECHO`: asks for a copy of the resulting notification.
pub const NLM_F_ECHO: u16 = 0x08;
/// `NLM_F_DUMP_INTR`: the objects changed while the dump walked them.
pub const NLM_F_DUMP_INTR: u16 = 0x10;
/// `NLM_F_DUMP_FILTERED`: the kernel applied the dump request's filter.
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
/// `NLM_F_ROOT` (GET requests): the whole table.
pub const NLM_F_ROOT: u16 = 0x100;
/// `NLM_F_MATCH` (GET requests): every match.
pub const NLM_F_MATCH: u16 = 0x200;
/// `NLM_F_DUMP`: a dump request.
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// `NLM_F_REPLACE` (NEW requests): replace an existing object.
pub const NLM_F_REPLACE: u16 = 0x100;
/// `NLM_F_EXCL` (NEW requests): fail if the object exists.
pub const NLM_F_EXCL: u16 = 0x200;
/// `NLM_F_CREATE` (NEW requests): create the object if it does not exist.
pub const NLM_F_CREATE: u16 = 0x400;
/// `NLM_F_APPEND` (NEW requests): add at the end of the list.
pub const NLM_F_APPEND: u16 = 0x800;

/// `NLM_F_CAPPED` on an error: the request's payload was left out.
pub const NLM_F_CAPPED: u16 = 0x100;
/// `NLM_F_ACK_TLVS` on an error: extended-ACK attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// `NLMSGERR_ATTR_MSG`: a human-readable error text.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
/// `NLMSGERR_ATTR_OFFS`: offset of the offending attribute in the request.
pub const NLMSGERR_ATTR_OFFS: u16 = 2;
/// `NLMSGERR_ATTR_COOKIE`.
pub const NLMSGERR_ATTR_COOKIE: u16 = 3;
/// `NLMSGERR_ATTR_MISS_TYPE`: the attribute type that was missing.
pub const NLMSGERR_ATTR_MISS_TYPE: u16 = 5;

const HEADER_LEN: usize = core::mem::size_of::<NlMsgHdr>();

/// One netlink message borrowed from a received buffer.
#[derive(Clone, Copy, Debug)]
pub struct Message<'a> {
    header: &'a NlMsgHdr,
    payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// Reads the first message of `bytes`, checking its length field.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let (header, _) = split_header::<NlMsgHdr>(bytes)?;
        let claimed = header.len.get() as usize;
        if claimed < HEADER_LEN || claimed > bytes.len() {
            return Err(DecodeError::BadLength {
                claimed,
                available: bytes.len(),
            });
        }
        let payload = bytes.get(HEADER_LEN..claimed).unwrap_or(&[]);
        Ok(Message { header, payload })
    }

    /// The fixed header.
    #[inline]
    pub fn header(&self) -> &'a NlMsgHdr {
        self.header
    }
    header_getters! {
        /// Message type.
        ty: ty -> u16;
        /// `NLM_F_*` flags.
        flags: flags -> u16;
        /// Sequence number.
        seq: seq -> u32;
        /// Sender port id.
        pid: pid -> u32;
    }
    /// The bytes after the header, up to the message's own length.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }
    /// Reads this message as `NLMSG_ERROR`, or `None` if it is another type.
    pub fn error(&self) -> Option<Result<ErrorMessage<'a>, DecodeError>> {
        (self.ty() == NLMSG_ERROR).then(|| ErrorMessage::parse(self.flags(), self.payload))
    }
    /// Reads this message as `NLMSG_DONE`, or `None` if it is another type.
    pub fn done(&self) -> Option<DoneMessage<'a>> {
        (self.ty() == NLMSG_DONE).then(|| DoneMessage::parse(self.flags(), self.payload))
    }
}

/// The extended-ACK attributes (`NLMSGERR_ATTR_*`) of an error or a dump's `NLMSG_DONE`.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExtAck<'a> {
    tlvs: &'a [u8],
}

impl<'a> ExtAck<'a> {
    /// The attributes in `tlvs`.
    #[inline]
    pub fn new(tlvs: &'a [u8]) -> Self {
        ExtAck { tlvs }
    }
    /// All the attributes.
    #[inline]
    pub fn attrs(&self) -> Attrs<'a> {
        Attrs::new(self.tlvs)
    }
    /// The kernel's error text (`NLMSGERR_ATTR_MSG`), without its NUL.
    pub fn message(&self) -> Option<&'a str> {
        self.attrs().get(NLMSGERR_ATTR_MSG).and_then(|a| a.str())
    }
    /// Byte offset of the offending attribute within the request (`NLMSGERR_ATTR_OFFS`).
    pub fn offset(&self) -> Option<u32> {
        self.attrs().get(NLMSGERR_ATTR_OFFS).and_then(|a| a.u32())
    }
    /// The attribute type the kernel missed (`NLMSGERR_ATTR_MISS_TYPE`).
    pub fn missing_type(&self) -> Option<u32> {
        self.attrs()
            .get(NLMSGERR_ATTR_MISS_TYPE)
            .and_then(|a| a.u32())
    }
}

/// A decoded `NLMSG_DONE`: the end of a dump, with the errno of a dump that failed midway
/// (0 when it completed) and that failure's extended ACK.
#[derive(Clone, Copy, Debug)]
pub struct DoneMessage<'a> {
    error: i32,
    ext_ack: ExtAck<'a>,
}

impl<'a> DoneMessage<'a> {
    /// Reads the payload of an `NLMSG_DONE` whose header carried `flags`. A payload shorter
    /// than the errno (old kernels sent none) reads as success.
    pub fn parse(flags: u16, payload: &'a [u8]) -> Self {
        let error = payload
            .get(..4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, i32::from_ne_bytes);
        let tlvs = if flags & NLM_F_ACK_TLVS != 0 {
            payload.get(4..).unwrap_or(&[])
        } else {
            &[]
        };
        DoneMessage {
            error,
            ext_ack: ExtAck::new(tlvs),
        }
    }
    /// The negative errno the kernel sent, or 0 for a complete dump.
    #[inline]
    pub fn error(&self) -> i32 {
        self.error
    }
    /// errno as a positive number (0 for a complete dump).
    #[inline]
    pub fn errno(&self) -> i32 {
        self.error.checked_neg().unwrap_or(i32::MAX)
    }
    /// The extended ACK.
    #[inline]
    pub fn ext_ack(&self) -> ExtAck<'a> {
        self.ext_ack
    }
}

/// Iterator over the messages of one datagram. It yields an error once and then stops when a
/// length field is short or points past the end, so a lying message cannot make it loop.
#[derive(Clone, Debug)]
pub struct Messages<'a> {
    rest: &'a [u8],
}

impl<'a> Messages<'a> {
    /// Iterates over the messages in `bytes`.
    #[inline]
    pub fn new(bytes: &'a [u8]) -> Self {
        Messages { rest: bytes }
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<Message<'a>, DecodeError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Message::parse(self.rest) {
            Ok(msg) => {
                let step = align(msg.header.len.get() as usize).unwrap_or(usize::MAX);
                self.rest = self.rest.get(step..).unwrap_or(&[]);
                Some(Ok(msg))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// Calls `f` on the header of every message in `bytes` (a request buffer), in order, and
/// returns how many there were: how the socket stamps sequence numbers and flags through the
/// typed header. Stops with an error at a length that is short or points past the end.
pub fn for_each_header_mut(
    bytes: &mut [u8],
    mut f: impl FnMut(&mut NlMsgHdr),
) -> Result<usize, DecodeError> {
    let mut rest = bytes;
    let mut count = 0usize;
    while !rest.is_empty() {
        let len = Message::parse(rest)?.header().len.get() as usize;
        let step = align(len).unwrap_or(len).min(rest.len());
        let current = core::mem::take(&mut rest);
        let Some((this, after)) = current.split_at_mut_checked(step) else {
            break;
        };
        let (header, _) = NlMsgHdr::mut_from_prefix(this).map_err(|_| DecodeError::Truncated {
            needed: HEADER_LEN,
            got: step,
        })?;
        f(header);
        count += 1;
        rest = after;
    }
    Ok(count)
}

/// A decoded `NLMSG_ERROR`: errno (0 for an ACK), the request header it answers, and the
/// kernel's extended-ACK attributes when it sent them.
#[derive(Clone, Copy, Debug)]
pub struct ErrorMessage<'a> {
    error: i32,
    request: &'a NlMsgHdr,
    request_payload: &'a [u8],
    ext_ack: ExtAck<'a>,
}

impl<'a> ErrorMessage<'a> {
    /// Reads the payload of an `NLMSG_ERROR` whose header carried `flags`.
    pub fn parse(flags: u16, payload: &'a [u8]) -> Result<Self, DecodeError> {
        let (err, rest) = split_header::<NlMsgErr>(payload)?;
        let (request_payload, tlvs) = if flags & NLM_F_CAPPED != 0 {
            (&[][..], rest)
        } else {
            // The whole request comes back; its payload sits between the header and the TLVs.
            let request_len = (err.msg.len.get() as usize).saturating_sub(HEADER_LEN);
            let body = rest.get(..request_len).unwrap_or(rest);
            let after = align(request_len)
                .and_then(|n| rest.get(n..))
                .unwrap_or(&[]);
            (body, after)
        };
        let ext_ack = if flags & NLM_F_ACK_TLVS != 0 {
            tlvs
        } else {
            &[]
        };
        Ok(ErrorMessage {
            error: err.error.get(),
            request: &err.msg,
            request_payload,
            ext_ack: ExtAck::new(ext_ack),
        })
    }

    /// The negative errno the kernel sent, or 0 for an ACK.
    #[inline]
    pub fn error(&self) -> i32 {
        self.error
    }
    /// True when this is a success ACK.
    #[inline]
    pub fn is_ack(&self) -> bool {
        self.error == 0
    }
    /// errno as a positive number (0 for an ACK).
    #[inline]
    pub fn errno(&self) -> i32 {
        self.error.checked_neg().unwrap_or(i32::MAX)
    }
    /// The header of the request being answered.
    #[inline]
    pub fn request(&self) -> &'a NlMsgHdr {
        self.request
    }
    /// The echoed request payload (empty when the kernel capped it).
    #[inline]
    pub fn request_payload(&self) -> &'a [u8] {
        self.request_payload
    }
    /// Extended-ACK attributes (`NLMSGERR_ATTR_*`).
    #[inline]
    pub fn ext_ack(&self) -> Attrs<'a> {
        self.ext_ack.attrs()
    }
    /// The extended ACK, read.
    #[inline]
    pub fn ext(&self) -> ExtAck<'a> {
        self.ext_ack
    }
    /// The kernel's error text (`NLMSGERR_ATTR_MSG`), without its NUL.
    pub fn message(&self) -> Option<&'a str> {
        self.ext_ack.message()
    }
    /// Byte offset of the offending attribute within the request (`NLMSGERR_ATTR_OFFS`).
    pub fn offset(&self) -> Option<u32> {
        self.ext_ack.offset()
    }
    /// The attribute type the kernel missed (`NLMSGERR_ATTR_MISS_TYPE`).
    pub fn missing_type(&self) -> Option<u32> {
        self.ext_ack.missing_type()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Builder;
    use zerocopy::IntoBytes;

    /// A message header as the kernel writes it: native byte order.
    fn header(len: u32, ty: u16, flags: u16, seq: u32) -> NlMsgHdr {
        let mut header = NlMsgHdr::new(ty, flags, seq);
        header.len.set(len);
        header
    }

    #[test]
    fn walks_two_messages_and_stops_on_a_lying_length() {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        let m = b.begin(16, 0, 1);
        b.attr_u32(3, 7);
        b.finish(m).expect("fits");
        let m = b.begin(17, 0, 2);
        b.finish(m).expect("fits");
        buf.extend_from_slice(header(200, 0, 0, 0).as_bytes());
        let got: Vec<_> = Messages::new(&buf).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].as_ref().map(|m| m.ty()).ok(), Some(16));
        assert_eq!(got[1].as_ref().map(|m| m.seq()).ok(), Some(2));
        assert!(matches!(
            got[2],
            Err(DecodeError::BadLength { claimed: 200, .. })
        ));
    }

    #[test]
    fn zero_length_header_does_not_loop() {
        let buf = [0u8; 32];
        assert_eq!(Messages::new(&buf).count(), 1);
    }

    #[test]
    fn reads_extended_ack_text_and_offset() {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        let m = b.begin(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS, 9);
        b.push_bytes(&(-17i32).to_ne_bytes());
        b.push_bytes(header(20, 16, 0x0605, 9).as_bytes());
        b.attr_str(NLMSGERR_ATTR_MSG, "File exists");
        b.attr_u32(NLMSGERR_ATTR_OFFS, 36);
        b.finish(m).expect("fits");
        let msg = Message::parse(&buf).expect("one message");
        let err = msg.error().expect("is an error").expect("decodes");
        assert_eq!(err.errno(), 17);
        assert_eq!(err.request().ty.get(), 16);
        assert_eq!(err.message(), Some("File exists"));
        assert_eq!(err.offset(), Some(36));
    }

    #[test]
    fn uncapped_error_skips_the_echoed_request() {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        let m = b.begin(NLMSG_ERROR, NLM_F_ACK_TLVS, 9);
        b.push_bytes(&(-22i32).to_ne_bytes());
        // echoed request: 24 bytes (header + 8 payload bytes)
        b.push_bytes(header(24, 16, 0x0605, 9).as_bytes());
        b.push_bytes(&[1, 2, 3, 4, 5, 6, 7, 8]);
        b.attr_str(NLMSGERR_ATTR_MSG, "bad");
        b.finish(m).expect("fits");
        let msg = Message::parse(&buf).expect("one message");
        let err = msg.error().expect("is an error").expect("decodes");
        assert_eq!(err.request_payload(), &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(err.message(), Some("bad"));
    }
}
