//! Route metrics: the `RTAX_*` values nested in a route request's `RTA_METRICS`, and the
//! `RTAX_LOCK` bitmap that pins some of them (the kernel does not adjust a locked metric,
//! e.g. path MTU discovery leaves a locked `mtu` alone).

use super::consts::{RTAX_CC_ALGO, RTAX_LOCK, RTAX_MTU, RTA_METRICS};
use crate::wire::{Attr, Attrs, Builder};

/// The value of one metric: a number, or a name (`RTAX_CC_ALGO`, the congestion control
/// algorithm, travels as its name's bytes, not NUL-terminated, as iproute2 sends it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricValue<'a> {
    /// A `u32` metric.
    Number(u32),
    /// A name's bytes.
    Name(&'a [u8]),
}

/// One `RTAX_*` metric of a route request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteMetric<'a> {
    /// `RTAX_*`.
    pub kind: u16,
    /// Its value.
    pub value: MetricValue<'a>,
}

impl<'a> RouteMetric<'a> {
    /// A number metric.
    pub const fn number(kind: u16, value: u32) -> Self {
        RouteMetric {
            kind,
            value: MetricValue::Number(value),
        }
    }
    /// A name metric (`RTAX_CC_ALGO`).
    pub const fn name(kind: u16, name: &'a [u8]) -> Self {
        RouteMetric {
            kind,
            value: MetricValue::Name(name),
        }
    }
    /// Reads one attribute of an `RTA_METRICS` nest: `RTAX_CC_ALGO` as a name (without
    /// the NUL the kernel adds), any other as a `u32` when it is four bytes long, and the
    /// bytes themselves when not.
    pub fn from_attr(attr: &Attr<'a>) -> Self {
        let value = attr.value();
        match attr.u32() {
            Some(v) if attr.kind() != RTAX_CC_ALGO && value.len() == 4 => {
                Self::number(attr.kind(), v)
            }
            _ if attr.kind() == RTAX_CC_ALGO => {
                let end = value.iter().position(|&c| c == 0).unwrap_or(value.len());
                Self::name(attr.kind(), value.get(..end).unwrap_or_default())
            }
            _ => Self::name(attr.kind(), value),
        }
    }
}

/// Bit of `metric` in the `RTAX_LOCK` bitmap (0 for a metric the bitmap cannot hold).
pub const fn lock_bit(metric: u16) -> u32 {
    if metric < 32 {
        1 << metric
    } else {
        0
    }
}

/// Appends `RTA_METRICS` as iproute2 builds it: `mtu` first (the one metric older callers
/// set alone), then `metrics` in their order, then `RTAX_LOCK` when any bit is set. Nothing
/// when there is nothing to send.
pub(crate) fn emit_metrics(
    b: &mut Builder<'_>,
    mtu: Option<u32>,
    metrics: &[RouteMetric<'_>],
    locks: u32,
) {
    if mtu.is_none() && metrics.is_empty() && locks == 0 {
        return;
    }
    let nest = b.nest_begin(RTA_METRICS);
    b.attr_opt(RTAX_MTU, mtu);
    for metric in metrics {
        match metric.value {
            MetricValue::Number(v) => b.attr_u32(metric.kind, v),
            MetricValue::Name(name) => b.attr(metric.kind, name),
        }
    }
    if locks != 0 {
        b.attr_u32(RTAX_LOCK, locks);
    }
    b.nest_end(nest);
}

/// An `RTA_METRICS` nest read back: the `RTAX_LOCK` bitmap (the last one, as the kernel
/// reads a repeated attribute) and the other metrics in their order.
#[derive(Clone, Debug)]
pub struct Metrics<'a> {
    attrs: Attrs<'a>,
}

impl<'a> Metrics<'a> {
    /// The metrics of a nest's attributes.
    pub fn new(attrs: Attrs<'a>) -> Self {
        Metrics { attrs }
    }
    /// The `RTAX_LOCK` bitmap (0 when absent or not a `u32`).
    pub fn locks(&self) -> u32 {
        self.attrs
            .clone()
            .filter(|a| a.kind() == RTAX_LOCK)
            .last()
            .and_then(|a| a.u32())
            .unwrap_or(0)
    }
    /// Whether `metric` is locked.
    pub fn is_locked(&self, metric: u16) -> bool {
        self.locks() & lock_bit(metric) != 0
    }
}

impl<'a> Iterator for Metrics<'a> {
    type Item = RouteMetric<'a>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let attr = self.attrs.next()?;
            if attr.kind() != RTAX_LOCK {
                return Some(RouteMetric::from_attr(&attr));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::consts::RTAX_HOPLIMIT;

    #[test]
    fn metrics_go_in_order_with_the_lock_last_and_read_back() {
        let metrics = [
            RouteMetric::number(RTAX_HOPLIMIT, 64),
            RouteMetric::name(RTAX_CC_ALGO, b"reno"),
        ];
        let locks = lock_bit(RTAX_MTU) | lock_bit(RTAX_CC_ALGO);
        let mut buf = Vec::new();
        emit_metrics(&mut Builder::new(&mut buf), Some(1300), &metrics, locks);
        // RTA_METRICS { MTU 1300, HOPLIMIT 64, CC_ALGO "reno" (no NUL), LOCK }, each
        // header and number in this machine's byte order (the kernel's).
        let attr = |ty: u16, payload: &[u8]| {
            let len = u16::try_from(4 + payload.len()).expect("small");
            [&len.to_ne_bytes()[..], &ty.to_ne_bytes(), payload].concat()
        };
        let inner = [
            attr(RTAX_MTU, &1300u32.to_ne_bytes()),
            attr(RTAX_HOPLIMIT, &64u32.to_ne_bytes()),
            attr(RTAX_CC_ALGO, b"reno"),
            attr(RTAX_LOCK, &locks.to_ne_bytes()),
        ]
        .concat();
        let want = attr(RTA_METRICS, &inner);
        let want: &[u8] = &want;
        assert_eq!(buf, want);
        let nest = Attrs::new(&buf).next().expect("the nest").nested();
        let read = Metrics::new(nest);
        assert_eq!(read.locks(), locks);
        assert!(read.is_locked(RTAX_MTU) && !read.is_locked(RTAX_HOPLIMIT));
        let all: Vec<RouteMetric<'_>> = read.collect();
        assert_eq!(all[0], RouteMetric::number(RTAX_MTU, 1300));
        assert_eq!(&all[1..], &metrics);
    }

    #[test]
    fn nothing_to_send_sends_nothing() {
        let mut buf = Vec::new();
        emit_metrics(&mut Builder::new(&mut buf), None, &[], 0);
        assert!(buf.is_empty());
        assert_eq!(lock_bit(40), 0);
    }
}
