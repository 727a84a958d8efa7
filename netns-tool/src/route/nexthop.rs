//! The next hops of a multipath route, `nexthop [via [FAMILY] ADDRESS] [dev NAME]
//! [weight W] [onlink]`..., read as ip's `parse_nexthops` reads them.

use netlink_core::route::consts::*;
use netlink_core::route::NextHopRequest;

use crate::toolbox::args::Spelling::Full;
use crate::toolbox::args::{invarg, keyword, parse_u32, Args, Spelling};
use crate::toolbox::error::{CliError, CliResult};
use crate::toolbox::inet::{address_or_err, adopt_family, family_and_word};

/// One next hop, read with no I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HopPlan<'a> {
    /// The hop as it is sent, but for its device's index.
    pub hop: NextHopRequest,
    /// `dev NAME`.
    pub device: Option<&'a str>,
}

/// Reads the hops that follow the first `nexthop` word (already read); `family` is the
/// route's, which the first gateway sets when no family was chosen yet.
pub fn parse_nexthops<'a>(family: &mut u8, args: &mut Args<'a>) -> CliResult<Vec<HopPlan<'a>>> {
    let mut hops = Vec::new();
    loop {
        if args.is_empty() {
            return Err(CliError::usage(
                "Error: unexpected end of line after \"nexthop\"",
            ));
        }
        hops.push(parse_hop(family, args)?);
        match args.next() {
            None => return Ok(hops),
            Some("nexthop") => {}
            Some(word) => {
                return Err(CliError::usage(format!(
                    "Error: \"nexthop\" or end of line is expected instead of \"{word}\""
                )))
            }
        }
    }
}

/// The words of a hop.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HopWord {
    Via,
    Dev,
    Weight,
    Onlink,
    /// ip's words nsip does not take in a hop.
    Unsupported,
}

const HOP_WORDS: [(&str, Spelling, HopWord); 7] = [
    ("via", Full, HopWord::Via),
    ("dev", Full, HopWord::Dev),
    ("weight", Full, HopWord::Weight),
    ("onlink", Full, HopWord::Onlink),
    ("realms", Full, HopWord::Unsupported),
    ("encap", Full, HopWord::Unsupported),
    ("as", Full, HopWord::Unsupported),
];

/// The words of one hop, up to the first that is not one of them.
fn parse_hop<'a>(family: &mut u8, args: &mut Args<'a>) -> CliResult<HopPlan<'a>> {
    let mut plan = HopPlan {
        hop: NextHopRequest {
            weight: 1,
            ..NextHopRequest::default()
        },
        device: None,
    };
    while let Some(word) = args.peek() {
        let Some(what) = keyword(word, &HOP_WORDS) else {
            break;
        };
        if what == HopWord::Unsupported {
            return Err(CliError::usage(format!(
                "Error: \"{word}\" in a next hop is not supported by nsip."
            )));
        }
        args.next();
        match what {
            HopWord::Via => {
                let (gateway_family, value) = family_and_word(args, *family)?;
                let a = address_or_err(value, gateway_family)?;
                adopt_family(family, &a);
                plan.hop.gateway = a.bytes();
            }
            HopWord::Dev => plan.device = Some(args.value()?),
            HopWord::Weight => {
                let v = args.value()?;
                let weight = parse_u32(v)
                    .filter(|w| (1..=256).contains(w))
                    .and_then(|w| u16::try_from(w).ok())
                    .ok_or_else(|| invarg("\"weight\" is invalid\n", v))?;
                plan.hop.weight = weight;
            }
            HopWord::Onlink | HopWord::Unsupported => plan.hop.flags |= RTNH_F_ONLINK as u8,
        }
    }
    Ok(plan)
}
