//! Runs a [`ModifyPlan`]: ip's warning, the device lookup, the checks ip makes after it,
//! and the request built by netlink-core.

use netlink_core::route::AddressRequest;

use super::parse_modify::ModifyPlan;
use crate::toolbox::error::CliResult;
use crate::toolbox::plan::Change;
use crate::toolbox::session::Session;

/// `ip address add|change|replace|del`.
pub fn execute(session: &mut Session, plan: ModifyPlan<'_>) -> CliResult {
    if let Some(warning) = &plan.warning {
        eprintln!("{warning}");
    }
    let index = session.ifindex(plan.dev)?;
    if let Some(refusal) = plan.after_lookup {
        return Err(refusal);
    }
    let request = AddressRequest {
        index: u32::try_from(index).unwrap_or_default(),
        order: &plan.order,
        label: plan.label.as_deref(),
        ..plan.request
    };
    session.request_emitted(|b| match plan.command {
        Change::New(flags) => request.emit_new_with(b, flags),
        Change::Delete => request.emit_del(b),
    })
}
