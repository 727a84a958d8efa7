//! The words after `type KIND` for kinds with data of their own (macvlan, macvtap): ip
//! 6.1's parser for each, turned into `IFLA_INFO_DATA` attributes in the order ip adds them.

use netlink_core::route::KindAttr;

use crate::toolbox::args::{matches, parse_u32, Args};
use crate::toolbox::error::{CliError, CliResult};

use super::kind_words::{not_supported, unknown_word, KindData};

const IFLA_MACVLAN_MODE: u16 = 1;
const IFLA_MACVLAN_FLAGS: u16 = 2;
const IFLA_MACVLAN_BC_QUEUE_LEN: u16 = 7;
const MACVLAN_MODE_PASSTHRU: u32 = 8;
const MACVLAN_FLAG_NOPROMISC: u16 = 1;
const MACVLAN_FLAG_NODST: u16 = 2;

/// A kind whose words after `type KIND` make data of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataParser {
    Macvlan,
    Vxlan,
    Bridge,
    BridgePort,
    Vlan,
    Ipvlan,
    Vrf,
    /// A kind ip reads no words for (dummy, ifb): an empty data nest.
    Empty,
}

/// The kinds whose words this module reads.
const PARSERS: [(&str, DataParser); 11] = [
    ("macvlan", DataParser::Macvlan),
    ("macvtap", DataParser::Macvlan),
    ("vxlan", DataParser::Vxlan),
    ("bridge", DataParser::Bridge),
    ("bridge_slave", DataParser::BridgePort),
    ("vlan", DataParser::Vlan),
    ("ipvlan", DataParser::Ipvlan),
    ("ipvtap", DataParser::Ipvlan),
    ("vrf", DataParser::Vrf),
    ("dummy", DataParser::Empty),
    ("ifb", DataParser::Empty),
];

/// The parser of `kind`'s own words, if it has one.
pub fn data_parser(kind: &str) -> Option<DataParser> {
    PARSERS
        .iter()
        .find(|(name, _)| *name == kind)
        .map(|&(_, p)| p)
}

/// The data of `kind` (read by `parser`) from the words after it (at least one);
/// `creating` for `add`.
pub fn parse_kind_data<'a>(
    kind: &str,
    parser: DataParser,
    args: &mut Args<'a>,
    creating: bool,
) -> CliResult<KindData<'a>> {
    let attrs = match parser {
        DataParser::Vxlan => return super::vxlan::parse_vxlan(args, creating),
        DataParser::BridgePort => return super::bridge::parse_bridge_port(args),
        DataParser::Bridge => super::bridge::parse_bridge(args)?,
        DataParser::Vlan => super::vlan::parse_vlan(args)?,
        DataParser::Ipvlan => super::vlan::parse_ipvlan(kind, args)?,
        DataParser::Vrf => super::vlan::parse_vrf(args)?,
        DataParser::Empty => {
            while args.next().is_some() {}
            Vec::new()
        }
        DataParser::Macvlan => parse_macvlan(kind, args)?,
    };
    Ok(KindData {
        attrs,
        ..KindData::default()
    })
}

fn macvlan_usage(kind: &str) -> String {
    format!(
        "Usage: ... {kind} mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n\
         \n\
         MODE: private | vepa | bridge | passthru | source\n\
         MODE_FLAG: null | nopromisc | nodst\n\
         MODE_OPTS: for mode \"source\":\n\
         \tmacaddr {{ {{ add | del }} <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }}\n\
         BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]"
    )
}

/// ip's `pfx_err` and `explain`: the kind, the complaint, then the kind's usage (exit 1).
fn macvlan_error(kind: &str, complaint: &str) -> CliError {
    CliError::failed(format!("{kind}: {complaint}\n{}", macvlan_usage(kind)))
}

fn macvlan_mode(word: &str) -> CliResult<u32> {
    match word {
        "private" => Ok(1),
        "vepa" => Ok(2),
        "bridge" => Ok(4),
        "passthru" => Ok(MACVLAN_MODE_PASSTHRU),
        "source" => Ok(16),
        _ => Err(CliError::failed(format!(
            "Error: argument of \"mode\" must be \"private\", \"vepa\", \"bridge\", \
             \"passthru\" or \"source\", not \"{word}\""
        ))),
    }
}

/// ip's `macvlan_parse_opt`: the queue length as it comes, then the mode, then the flags.
fn parse_macvlan(kind: &str, args: &mut Args<'_>) -> CliResult<Vec<KindAttr<'static>>> {
    let mut data = Vec::new();
    let mut mode = 0;
    let mut flags: Option<u16> = None;
    while let Some(word) = args.next() {
        if matches(word, "mode") {
            mode = macvlan_mode(args.value()?)?;
        } else if matches(word, "nopromisc") {
            flags = Some(flags.unwrap_or(0) | MACVLAN_FLAG_NOPROMISC);
        } else if matches(word, "nodst") {
            flags = Some(flags.unwrap_or(0) | MACVLAN_FLAG_NODST);
        } else if matches(word, "bcqueuelen") {
            let v = args.value()?;
            let len = parse_u32(v).ok_or_else(|| {
                CliError::failed(format!(
                    "Error: argument of \"bcqueuelen\" must be a positive integer \
                     [0-4294967295], not \"{v}\""
                ))
            })?;
            data.push(KindAttr::U32(IFLA_MACVLAN_BC_QUEUE_LEN, len));
        } else if matches(word, "macaddr") {
            return Err(not_supported(kind, "macaddr"));
        } else {
            return Err(unknown_word(kind, "option", word, &macvlan_usage(kind)));
        }
    }
    if mode != 0 {
        data.push(KindAttr::U32(IFLA_MACVLAN_MODE, mode));
    }
    if let Some(flags) = flags {
        if flags & MACVLAN_FLAG_NOPROMISC != 0 && mode != MACVLAN_MODE_PASSTHRU {
            return Err(macvlan_error(
                kind,
                "nopromisc flag only valid in passthru mode",
            ));
        }
        data.push(KindAttr::U16(IFLA_MACVLAN_FLAGS, flags));
    }
    Ok(data)
}
