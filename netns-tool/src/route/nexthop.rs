//! The next hops of a multipath route, `nexthop [via [FAMILY] ADDRESS] [dev NAME]
//! [weight W] [onlink]`..., read as ip's `parse_nexthops` reads them.

use netlink_core::route::consts::*;
use netlink_core::route::NextHopRequest;

use crate::toolbox::args::{invarg, parse_u32, Args};
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
        match word {
            "via" | "dev" | "weight" | "onlink" => {
                args.next();
            }
            "realms" | "encap" | "as" => {
                return Err(CliError::usage(format!(
                    "Error: \"{word}\" in a next hop is not supported by nsip."
                )));
            }
            _ => break,
        }
        match word {
            "via" => {
                let (gateway_family, value) = family_and_word(args, *family)?;
                let a = address_or_err(value, gateway_family)?;
                adopt_family(family, &a);
                plan.hop.gateway = a.bytes();
            }
            "dev" => plan.device = Some(args.value()?),
            "weight" => {
                let v = args.value()?;
                let weight = parse_u32(v)
                    .filter(|w| (1..=256).contains(w))
                    .and_then(|w| u16::try_from(w).ok())
                    .ok_or_else(|| invarg("\"weight\" is invalid\n", v))?;
                plan.hop.weight = weight;
            }
            _ => plan.hop.flags |= RTNH_F_ONLINK as u8,
        }
    }
    Ok(plan)
}
