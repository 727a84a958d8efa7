//! Appending messages and attributes to a caller-owned, reused `Vec<u8>`.

use core::net::IpAddr;

use zerocopy::byteorder::native_endian::U16;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use super::attr::ATTR_HEADER_LEN;
use super::{NlAttr, NlMsgHdr};

/// Where a message began; hand it back to [`Builder::finish`].
#[derive(Debug)]
#[must_use = "a message must be finished to get its length"]
pub struct MessageStart(usize);

/// Where a nested attribute began; hand it back to [`Builder::nest_end`].
#[derive(Debug)]
#[must_use = "a nest must be ended to get its length"]
pub struct Nest(usize);

/// Why a message could not be encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// An attribute or nest longer than the 16-bit length field can say.
    AttributeTooLong(usize),
    /// A message longer than the 32-bit length field can say.
    MessageTooLong(usize),
}

impl core::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            EncodeError::AttributeTooLong(n) => write!(f, "attribute of {n} bytes is too long"),
            EncodeError::MessageTooLong(n) => write!(f, "message of {n} bytes is too long"),
        }
    }
}

impl std::error::Error for EncodeError {}

/// A fixed-size attribute value: a number (native-endian, as rtnetlink wants it) or an IP
/// address (4 bytes for IPv4, 16 for IPv6).
pub trait AttrValue: Copy {
    /// Appends `self` as the value of an attribute of type `kind`.
    fn append_to(self, b: &mut Builder<'_>, kind: u16);
}

/// [`AttrValue`] for the native-endian numbers.
macro_rules! native_endian_values {
    ($($t:ty),+) => {$(
        impl AttrValue for $t {
            #[inline]
            fn append_to(self, b: &mut Builder<'_>, kind: u16) {
                b.attr(kind, &self.to_ne_bytes());
            }
        }
    )+};
}
native_endian_values!(u8, u16, u32, u64, i32);

impl AttrValue for IpAddr {
    #[inline]
    fn append_to(self, b: &mut Builder<'_>, kind: u16) {
        match self {
            IpAddr::V4(a) => b.attr(kind, &a.octets()),
            IpAddr::V6(a) => b.attr(kind, &a.octets()),
        }
    }
}

/// `Builder::attr_u8` and the like: one appender per number type, named as callers know them.
macro_rules! typed_attrs {
    ($($name:ident: $t:ty),+) => {$(
        #[doc = concat!("Appends a native-endian `", stringify!($t), "` attribute.")]
        #[inline]
        pub fn $name(&mut self, kind: u16, v: $t) {
            v.append_to(self, kind);
        }
    )+};
}

/// Appends netlink messages to a buffer the caller owns and reuses: several messages may go
/// in one buffer (a batch). Nothing is allocated beyond the buffer's own growth.
///
/// Lengths that do not fit their fields are remembered and reported by [`Builder::finish`],
/// so the attribute calls stay infallible and cheap.
#[derive(Debug)]
pub struct Builder<'b> {
    buf: &'b mut Vec<u8>,
    overflow: Option<EncodeError>,
}

impl<'b> Builder<'b> {
    /// A builder appending to `buf` (which keeps what it already holds).
    #[inline]
    pub fn new(buf: &'b mut Vec<u8>) -> Self {
        Builder {
            buf,
            overflow: None,
        }
    }

    /// The bytes written so far.
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        self.buf
    }

    #[inline]
    fn pad(&mut self) {
        let rem = self.buf.len() % 4;
        if rem != 0 {
            self.buf.resize(self.buf.len() + (4 - rem), 0);
        }
    }

    /// Starts a message: aligns, then writes an `nlmsghdr` whose length is patched later.
    #[inline]
    pub fn begin(&mut self, ty: u16, flags: u16, seq: u32) -> MessageStart {
        self.pad();
        let start = self.buf.len();
        self.buf
            .extend_from_slice(NlMsgHdr::new(ty, flags, seq).as_bytes());
        MessageStart(start)
    }

    /// Starts a request: [`Builder::begin`] with sequence number 0, which the socket
    /// replaces with its own when it sends the request.
    #[inline]
    pub fn begin_request(&mut self, ty: u16, flags: u16) -> MessageStart {
        self.begin(ty, flags, 0)
    }

    /// Appends a fixed header (`ifinfomsg`, `rtmsg`, ...) and pads it to 4 bytes.
    #[inline]
    pub fn push<T: IntoBytes + Immutable>(&mut self, header: &T) {
        self.buf.extend_from_slice(header.as_bytes());
        self.pad();
    }

    /// Appends raw bytes and pads them to 4 bytes.
    #[inline]
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        self.pad();
    }

    /// Appends an attribute.
    #[inline]
    pub fn attr(&mut self, kind: u16, value: &[u8]) {
        if self.attr_header(kind, value.len()) {
            self.buf.extend_from_slice(value);
            self.pad();
        }
    }

    /// Writes the header of an attribute whose value is `value_len` bytes; false (and the
    /// overflow remembered) when that does not fit the 16-bit length.
    #[inline]
    fn attr_header(&mut self, kind: u16, value_len: usize) -> bool {
        let len = ATTR_HEADER_LEN.saturating_add(value_len);
        let Ok(len16) = u16::try_from(len) else {
            self.overflow = Some(EncodeError::AttributeTooLong(len));
            return false;
        };
        let header = NlAttr {
            len: U16::new(len16),
            ty: U16::new(kind),
        };
        self.buf.extend_from_slice(header.as_bytes());
        true
    }
    /// Appends an attribute without a value (a flag).
    #[inline]
    pub fn attr_flag(&mut self, kind: u16) {
        self.attr(kind, &[]);
    }
    typed_attrs!(attr_u8: u8, attr_u16: u16, attr_u32: u32, attr_u64: u64, attr_i32: i32);
    /// Appends an address attribute: 4 bytes for IPv4, 16 for IPv6.
    #[inline]
    pub fn attr_ip(&mut self, kind: u16, addr: IpAddr) {
        addr.append_to(self, kind);
    }
    /// Appends `kind` when there is a value: a request's optional attribute.
    #[inline]
    pub fn attr_opt<T: AttrValue>(&mut self, kind: u16, value: Option<T>) {
        if let Some(v) = value {
            v.append_to(self, kind);
        }
    }
    /// Appends a string attribute with its terminating NUL, as the kernel expects.
    #[inline]
    pub fn attr_str(&mut self, kind: u16, s: &str) {
        self.attr_c_bytes(kind, s.as_bytes());
    }
    /// Appends a NUL-terminated attribute of any bytes (an interface name is bytes, not
    /// text, to the kernel).
    pub fn attr_c_bytes(&mut self, kind: u16, bytes: &[u8]) {
        if self.attr_header(kind, bytes.len().saturating_add(1)) {
            self.buf.extend_from_slice(bytes);
            self.buf.push(0);
            self.pad();
        }
    }
    /// Opens a nested attribute; `kind` is written as given (add `NLA_F_NESTED` if wanted).
    #[inline]
    pub fn nest_begin(&mut self, kind: u16) -> Nest {
        self.pad();
        let start = self.buf.len();
        self.attr_header(kind, 0);
        Nest(start)
    }

    /// The header written at `start`, to patch its length (`None` only if `start` is not
    /// where one was written).
    #[inline]
    fn header_at<H>(&mut self, start: usize) -> Option<&mut H>
    where
        H: FromBytes + IntoBytes + KnownLayout,
    {
        let rest = self.buf.get_mut(start..)?;
        H::mut_from_prefix(rest).ok().map(|(header, _)| header)
    }

    /// Closes a nested attribute, patching its length.
    #[inline]
    pub fn nest_end(&mut self, nest: Nest) {
        let len = self.buf.len().saturating_sub(nest.0);
        let Ok(len16) = u16::try_from(len) else {
            self.overflow = Some(EncodeError::AttributeTooLong(len));
            return;
        };
        if let Some(header) = self.header_at::<NlAttr>(nest.0) {
            header.len.set(len16);
        }
    }

    /// Patches the 16-bit length at `start` (a record such as `struct rtnexthop` that
    /// begins with one) to cover everything written since.
    #[inline]
    pub fn patch_len16(&mut self, start: usize) {
        self.nest_end(Nest(start));
    }

    /// Closes a message, patching its length, and returns that length.
    #[inline]
    pub fn finish(&mut self, msg: MessageStart) -> Result<usize, EncodeError> {
        if let Some(e) = self.overflow.take() {
            return Err(e);
        }
        self.pad();
        let len = self.buf.len().saturating_sub(msg.0);
        let len32 = u32::try_from(len).map_err(|_| EncodeError::MessageTooLong(len))?;
        if let Some(header) = self.header_at::<NlMsgHdr>(msg.0) {
            header.len.set(len32);
        }
        Ok(len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Attrs, Messages};

    #[test]
    fn nested_attribute_lengths_are_patched() {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        let m = b.begin(16, 5, 1);
        b.push_bytes(&[0; 16]);
        let outer = b.nest_begin(18);
        b.attr_str(1, "veth");
        let inner = b.nest_begin(2);
        b.attr_u32(4, 1400);
        b.nest_end(inner);
        b.nest_end(outer);
        let len = b.finish(m).expect("fits");
        assert_eq!(len, buf.len());
        let msg = Messages::new(&buf)
            .next()
            .expect("a message")
            .expect("valid");
        let outer = Attrs::new(msg.payload().get(16..).expect("attrs"))
            .next()
            .expect("outer");
        assert_eq!(outer.kind(), 18);
        let mut inside = outer.nested();
        assert_eq!(inside.next().and_then(|a| a.str()), Some("veth"));
        let inner = inside.next().expect("inner");
        assert_eq!(inner.nested().next().and_then(|a| a.u32()), Some(1400));
    }

    #[test]
    fn oversized_attribute_is_an_error_not_a_wrong_length() {
        let mut buf = Vec::new();
        let mut b = Builder::new(&mut buf);
        let m = b.begin(16, 0, 1);
        b.attr(1, &vec![0; 70_000]);
        assert_eq!(b.finish(m), Err(EncodeError::AttributeTooLong(70_004)));
    }
}
