//! The measured operations, run inside the throwaway namespace. Every object is made by the
//! bench and removed again before the next operation, so each starts from the same state:
//! `lo` up and nothing else.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use netlink_core::route::consts::{
    AF_INET, AF_UNSPEC, IFF_UP, RTEXT_FILTER_VF, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE, RT_TABLE_MAIN,
};
use netlink_core::route::{
    emit_dump_links, emit_dump_routes, AddressRequest, LinkAttrs, LinkKind, LinkMessage,
    LinkRequest, RouteMessage, RouteRequest, Stat,
};
use netlink_core::wire::{Builder, EncodeError, Message};

use super::report::{nanos, Printer, Row};
use super::{Mode, Op, Plan};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::session::{ifindex, kernel_error, request, Session};

/// The device group of the bench's veths (one end of each pair), for the bulk delete.
const BENCH_GROUP: u32 = 0x6e73;

/// Requests per `sendmsg` in pipelined mode: whole requests up to this many bytes, well
/// under the socket's send buffer.
const WINDOW_BYTES: usize = 16 * 1024;

/// Dumps per dump operation; latency is reported per dump.
const DUMP_REPEATS: usize = 10;

/// Builds request `i` of an operation into the builder.
type Emit<'e> = dyn Fn(&mut Builder<'_>, usize) -> Result<usize, EncodeError> + 'e;

/// The bench's state in its namespace: its own session (opened there), one reused request
/// buffer, `lo`.
struct Lab {
    session: Session,
    buf: Vec<u8>,
    lo: u32,
}

/// Runs every (operation, mode) of the plan and prints a row for each as it completes.
/// Called inside the throwaway namespace only.
pub fn measure(plan: &Plan, json: bool, pretty: bool) -> CliResult {
    let mut lab = Lab::open()?;
    let mut printer = Printer::new(
        Box::new(std::io::stdout().lock()) as crate::toolbox::output::Sink<'_>,
        json,
        pretty,
    )?;
    for (op, mode) in plan.runs() {
        let count = plan.count as usize;
        let row = match op {
            Op::RouteAdd => lab.route_add(mode, count)?,
            Op::AddrAdd => lab.addr_add(mode, count)?,
            Op::VethAdd => lab.veth_add(mode, count)?,
            Op::LinkDel => lab.link_del(mode, count)?,
            Op::RouteDump => lab.route_dump(count)?,
            Op::LinkDump => lab.link_dump(count)?,
        };
        printer.row(&row)?;
    }
    printer.finish()
}

/// The `i`th host address of 198.18.0.0/15, from 198.18.0.1 on.
fn host(i: usize) -> IpAddr {
    let base = u32::from(Ipv4Addr::new(198, 18, 0, 1));
    let offset = u32::try_from(i).unwrap_or(u32::MAX);
    IpAddr::V4(Ipv4Addr::from(base.saturating_add(offset)))
}

fn route(lo: u32, i: usize) -> RouteRequest<'static> {
    RouteRequest {
        dst: Some(host(i)),
        dst_len: 32,
        scope: RT_SCOPE_LINK,
        oif: Some(lo),
        ..RouteRequest::default()
    }
}

fn address(lo: u32, i: usize) -> AddressRequest<'static> {
    AddressRequest {
        index: lo,
        local: Some(host(i)),
        prefix_len: 32,
        scope: RT_SCOPE_UNIVERSE,
        ..AddressRequest::default()
    }
}

fn emit_veth(b: &mut Builder<'_>, i: usize) -> Result<usize, EncodeError> {
    let name = format!("nsb{i}");
    let peer = format!("nsbp{i}");
    LinkRequest {
        attrs: LinkAttrs {
            name: Some(name.as_bytes()),
            group: Some(BENCH_GROUP),
            ..LinkAttrs::default()
        },
        kind: Some(LinkKind::Veth {
            peer_flags: 0,
            peer: LinkAttrs {
                name: Some(peer.as_bytes()),
                ..LinkAttrs::default()
            },
        }),
        ..LinkRequest::default()
    }
    .emit_new(b)
}

fn emit_group_del(b: &mut Builder<'_>) -> Result<usize, EncodeError> {
    LinkRequest {
        attrs: LinkAttrs {
            group: Some(BENCH_GROUP),
            ..LinkAttrs::default()
        },
        ..LinkRequest::default()
    }
    .emit_del(b)
}

fn encode(e: EncodeError) -> CliError {
    CliError::failed(format!("nsip bench: {e}"))
}

impl Lab {
    fn open() -> CliResult<Lab> {
        let mut lab = Lab {
            session: Session::new(),
            buf: Vec::with_capacity(WINDOW_BYTES + 1024),
            lo: 0,
        };
        let lo = ifindex(lab.session.socket()?, "lo")?;
        lab.lo = u32::try_from(lo).map_err(|_| CliError::failed("nsip bench: no lo"))?;
        // Routes through lo need it up.
        lab.buf.clear();
        LinkRequest {
            index: lo,
            flags: IFF_UP,
            change: IFF_UP,
            ..LinkRequest::default()
        }
        .emit_set(&mut Builder::new(&mut lab.buf))
        .map_err(encode)?;
        request(lab.session.socket()?, &mut lab.buf)?;
        Ok(lab)
    }

    /// Request by request, each waiting for its ACK; one latency sample per request.
    fn sequential(&mut self, count: usize, emit: &Emit<'_>) -> CliResult<Row> {
        let mut samples = Vec::with_capacity(count);
        let start = Instant::now();
        for i in 0..count {
            self.buf.clear();
            emit(&mut Builder::new(&mut self.buf), i).map_err(encode)?;
            let sent = Instant::now();
            request(self.session.socket()?, &mut self.buf)?;
            samples.push(nanos(sent.elapsed()));
        }
        Ok(Row::new(count, start.elapsed(), samples))
    }

    /// Windows of requests per `sendmsg`; a request's latency runs from its window's send to
    /// its ACK.
    fn pipelined(&mut self, count: usize, emit: &Emit<'_>) -> CliResult<Row> {
        let mut samples = vec![0u64; count];
        let start = Instant::now();
        let mut next = 0;
        while next < count {
            let first = next;
            self.buf.clear();
            let mut b = Builder::new(&mut self.buf);
            while next < count && b.bytes().len() < WINDOW_BYTES {
                emit(&mut b, next).map_err(encode)?;
                next += 1;
            }
            let window = samples.get_mut(first..next).unwrap_or_default();
            let sent = Instant::now();
            let mut refused = None;
            self.session
                .socket()?
                .batch(&mut self.buf, |i, result| {
                    if let Some(slot) = window.get_mut(i) {
                        *slot = nanos(sent.elapsed());
                    }
                    if let Err(e) = result {
                        refused.get_or_insert(e);
                    }
                })
                .map_err(kernel_error)?;
            if let Some(e) = refused {
                return Err(kernel_error(e));
            }
        }
        Ok(Row::new(count, start.elapsed(), samples))
    }

    /// Untimed: the same requests, pipelined, for setup and cleanup.
    fn quietly(&mut self, count: usize, emit: &Emit<'_>) -> CliResult {
        self.pipelined(count, emit).map(drop)
    }

    fn timed(&mut self, mode: Mode, count: usize, emit: &Emit<'_>) -> CliResult<Row> {
        match mode {
            Mode::Sequential => self.sequential(count, emit),
            _ => self.pipelined(count, emit),
        }
    }

    fn route_add(&mut self, mode: Mode, count: usize) -> CliResult<Row> {
        let lo = self.lo;
        let row = self.timed(mode, count, &|b, i| route(lo, i).emit_new(b))?;
        self.quietly(count, &|b, i| route(lo, i).emit_del(b))?;
        Ok(row.of(Op::RouteAdd, mode))
    }

    fn addr_add(&mut self, mode: Mode, count: usize) -> CliResult<Row> {
        let lo = self.lo;
        let row = self.timed(mode, count, &|b, i| address(lo, i).emit_new(b))?;
        self.quietly(count, &|b, i| address(lo, i).emit_del(b))?;
        Ok(row.of(Op::AddrAdd, mode))
    }

    fn veth_add(&mut self, mode: Mode, count: usize) -> CliResult<Row> {
        let row = self.timed(mode, count, &emit_veth)?;
        self.delete_group()?;
        Ok(row.of(Op::VethAdd, mode))
    }

    fn link_del(&mut self, mode: Mode, count: usize) -> CliResult<Row> {
        self.quietly(count, &emit_veth)?;
        let row = match mode {
            Mode::Bulk => {
                let start = Instant::now();
                self.delete_group()?;
                let elapsed = start.elapsed();
                Row::new(count, elapsed, vec![nanos(elapsed)])
            }
            _ => {
                let indexes = self.group_members()?;
                if indexes.len() != count {
                    return Err(CliError::failed(format!(
                        "nsip bench: made {count} veths, found {}",
                        indexes.len()
                    )));
                }
                self.timed(mode, count, &|b, i| {
                    LinkRequest {
                        index: indexes.get(i).copied().unwrap_or(0),
                        ..LinkRequest::default()
                    }
                    .emit_del(b)
                })?
            }
        };
        let left = self.links()?;
        if left != 1 {
            return Err(CliError::failed(format!(
                "nsip bench: {left} links left after deleting the veths, want only lo"
            )));
        }
        Ok(row.of(Op::LinkDel, mode))
    }

    fn route_dump(&mut self, count: usize) -> CliResult<Row> {
        let lo = self.lo;
        self.quietly(count, &|b, i| route(lo, i).emit_new(b))?;
        let row = self.dumps(
            &|b| emit_dump_routes(b, AF_INET, Some(RT_TABLE_MAIN.into())),
            &|msg| {
                let r = RouteMessage::parse(&msg)?;
                let dst = match r.dst() {
                    Some(IpAddr::V4(a)) => u64::from(u32::from(a)),
                    _ => 0,
                };
                Ok(dst
                    ^ u64::from(r.dst_len())
                    ^ u64::from(r.table())
                    ^ u64::from(r.protocol())
                    ^ u64::from(r.scope())
                    ^ u64::from(r.kind())
                    ^ u64::from(r.oif().unwrap_or(0))
                    ^ u64::from(r.priority().unwrap_or(0))
                    ^ u64::from(r.gateway().is_some()))
            },
        )?;
        self.quietly(count, &|b, i| route(lo, i).emit_del(b))?;
        Ok(row.of(Op::RouteDump, Mode::Dump))
    }

    fn link_dump(&mut self, count: usize) -> CliResult<Row> {
        self.quietly(count, &emit_veth)?;
        let row = self.dumps(
            &|b| emit_dump_links(b, AF_UNSPEC, RTEXT_FILTER_VF),
            &|msg| {
                let l = LinkMessage::parse(&msg)?;
                let stats = l.stats64();
                let counter = |s| stats.and_then(|st| st.get(s)).unwrap_or(0);
                Ok(l.name().map_or(0, |n| n.len() as u64)
                    ^ u64::from(l.flags())
                    ^ u64::from(l.mtu().unwrap_or(0))
                    ^ u64::from(l.operstate().unwrap_or(0))
                    ^ u64::from(l.link().unwrap_or(0))
                    ^ l.address().map_or(0, |a| a.len() as u64)
                    ^ l.link_info()
                        .and_then(|i| i.kind)
                        .map_or(0, |k| k.len() as u64)
                    ^ counter(Stat::RxBytes)
                    ^ counter(Stat::TxPackets))
            },
        )?;
        self.delete_group()?;
        Ok(row.of(Op::LinkDump, Mode::Dump))
    }

    /// [`DUMP_REPEATS`] dumps, every message decoded by `decode`; one sample per dump, and
    /// the objects of one dump as the row's count.
    fn dumps(
        &mut self,
        emit: &dyn Fn(&mut Builder<'_>) -> Result<usize, EncodeError>,
        decode: &dyn Fn(Message<'_>) -> Result<u64, netlink_core::wire::DecodeError>,
    ) -> CliResult<Row> {
        let mut samples = Vec::with_capacity(DUMP_REPEATS);
        let mut objects = 0;
        let start = Instant::now();
        for _ in 0..DUMP_REPEATS {
            let began = Instant::now();
            objects = 0;
            let mut fold = 0u64;
            self.buf.clear();
            emit(&mut Builder::new(&mut self.buf)).map_err(encode)?;
            self.session
                .socket()?
                .dump(&mut self.buf, |msg| {
                    fold ^= decode(msg)?;
                    objects += 1;
                    Ok(())
                })
                .map_err(kernel_error)?;
            black_box(fold);
            samples.push(nanos(began.elapsed()));
        }
        Ok(Row::dumped(objects, DUMP_REPEATS, start.elapsed(), samples))
    }

    /// Every veth of the bench in one `RTM_DELLINK` (index 0, `IFLA_GROUP`), as
    /// `ip link del group N`: the kernel unregisters them together.
    fn delete_group(&mut self) -> CliResult {
        self.buf.clear();
        emit_group_del(&mut Builder::new(&mut self.buf)).map_err(encode)?;
        request(self.session.socket()?, &mut self.buf)
    }

    /// The indexes of the bench's veths (the grouped ends).
    fn group_members(&mut self) -> CliResult<Vec<i32>> {
        let mut indexes = Vec::new();
        self.each_link(&mut |l| {
            if l.group() == Some(BENCH_GROUP) {
                indexes.push(l.index());
            }
        })?;
        Ok(indexes)
    }

    /// How many links the namespace has.
    fn links(&mut self) -> CliResult<usize> {
        let mut n = 0;
        self.each_link(&mut |_| n += 1)?;
        Ok(n)
    }

    fn each_link(&mut self, f: &mut dyn FnMut(&LinkMessage<'_>)) -> CliResult {
        self.buf.clear();
        emit_dump_links(&mut Builder::new(&mut self.buf), AF_UNSPEC, 0).map_err(encode)?;
        self.session
            .socket()?
            .dump(&mut self.buf, |msg| {
                f(&LinkMessage::parse(&msg)?);
                Ok(())
            })
            .map_err(kernel_error)
    }
}
