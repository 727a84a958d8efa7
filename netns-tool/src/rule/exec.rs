//! Running `ip rule` plans: one request, a dump through the printer, a flush.

use std::borrow::Cow;

use netlink_core::route::consts::*;
use netlink_core::route::{emit_dump_rules, RuleAttr, RuleMessage, RuleRequest};
use netlink_core::socket::Error as NlError;
use netlink_core::wire::Builder;

use super::parse::{ModifyPlan, PlanAttr};
use crate::show::rule::{print_rule, RuleFilter};
use crate::toolbox::args::{word_bytes, Globals};
use crate::toolbox::error::{kernel_error, write_error, CliError, CliResult};
use crate::toolbox::output::Out;
use crate::toolbox::session::{end_listing, Session};

/// Sends one add/delete.
pub fn modify(session: &mut Session, plan: &ModifyPlan<'_>) -> CliResult {
    if !plan.warnings.is_empty() {
        eprint!("{}", plan.warnings);
    }
    let names: Vec<Cow<'_, [u8]>> = plan
        .attrs
        .iter()
        .map(|a| match a {
            PlanAttr::Iif(w) | PlanAttr::Oif(w) => word_bytes(w),
            PlanAttr::Value(_) => Cow::Borrowed(&[][..]),
        })
        .collect();
    let attrs: Vec<RuleAttr<'_>> = plan
        .attrs
        .iter()
        .zip(&names)
        .map(|(a, name)| match a {
            PlanAttr::Value(v) => *v,
            PlanAttr::Iif(_) => RuleAttr::IifName(name),
            PlanAttr::Oif(_) => RuleAttr::OifName(name),
        })
        .collect();
    let request = RuleRequest {
        attrs: &attrs,
        ..plan.header.clone()
    };
    session.request_emitted(|b| {
        if plan.ty == RTM_DELRULE {
            request.emit_del(b)
        } else {
            request.emit_new(b)
        }
    })
}

fn dump_request(family: u8) -> CliResult<Vec<u8>> {
    let mut buf = Vec::with_capacity(32);
    emit_dump_rules(&mut Builder::new(&mut buf), family)
        .map_err(|e| CliError::failed(e.to_string()))?;
    Ok(buf)
}

/// A dump that failed: the kernel's reason, then ip's line, exit 1.
fn dump_failed(e: NlError, what: &str) -> CliError {
    let mut text = kernel_error(e).message().to_owned();
    text.push('\n');
    text.push_str(what);
    CliError::failed(text)
}

/// Runs `rule show`: one dump, every rule the filter keeps printed as it comes.
pub fn list(g: &Globals, session: &mut Session, family: u8, filter: &RuleFilter) -> CliResult {
    let mut request = dump_request(family)?;
    let sock = session.socket()?;
    let mut out = Out::stdout(g.json, g.pretty).with_palette(g.color);
    out.open_array(None).map_err(write_error)?;
    let mut write_failed = None;
    let dumped = sock.dump(&mut request, |msg| {
        if msg.ty() != RTM_NEWRULE && msg.ty() != RTM_DELRULE {
            return Ok(());
        }
        let rule = RuleMessage::parse(&msg)?;
        if filter.accepts(&rule) && write_failed.is_none() {
            let deleted = msg.ty() == RTM_DELRULE;
            write_failed = print_rule(&mut out, g.details, deleted, &rule).err();
        }
        Ok(())
    });
    end_listing(&mut out, write_failed, dumped, |e| {
        dump_failed(e, "Dump terminated")
    })
}

/// Runs `rule flush`: every listed rule with a priority deleted (rule 0 has none), each
/// answered before the next as ip's are; the first refusal ends it.
pub fn flush(session: &mut Session, family: u8, filter: &RuleFilter) -> CliResult {
    let mut request = dump_request(family)?;
    let sock = session.socket()?;
    let mut deletes = Vec::with_capacity(1024);
    sock.dump(&mut request, |msg| {
        if msg.ty() != RTM_NEWRULE {
            return Ok(());
        }
        let rule = RuleMessage::parse(&msg)?;
        if filter.flushes(&rule) {
            // A message too long to echo: ip could not delete it either.
            let _ = rule.emit_delete(&mut Builder::new(&mut deletes));
        }
        Ok(())
    })
    .map_err(|e| dump_failed(e, "Flush terminated"))?;
    let mut first_error = None;
    sock.batch(&mut deletes, |_, result| {
        if let (Err(e), None) = (result, &first_error) {
            first_error = Some(e);
        }
    })
    .map_err(kernel_error)?;
    match first_error {
        Some(e) => Err(dump_failed(e, "Flush terminated")),
        None => Ok(()),
    }
}
