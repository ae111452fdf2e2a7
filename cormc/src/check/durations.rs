//! Durations in clauses: `ttl`, `bucket`.

use super::context::Context;
use crate::ast;
use crate::diagnostics::Code;

/// A `ttl` in whole seconds (at least 1 s).
pub(super) fn ttl_seconds(ttl: &ast::TtlClause, ctx: &mut Context) -> Option<u64> {
    whole_seconds(&ttl.duration, "a `ttl`", ctx)
}

/// A duration that must be a whole number of seconds, at least one.
pub(super) fn whole_seconds(
    duration: &ast::DurationLit,
    what: &str,
    ctx: &mut Context,
) -> Option<u64> {
    let millis = duration.as_millis();
    match millis {
        Some(ms) if ms >= 1000 && ms % 1000 == 0 => {
            u32::try_from(ms / 1000).ok().map(u64::from).or_else(|| {
                ctx.error(
                    Code::InvalidValue,
                    format!("{what} is too long"),
                    duration.span,
                    "more than 136 years",
                );
                None
            })
        }
        _ => {
            ctx.error(
                Code::InvalidValue,
                format!("{what} is a whole number of seconds, at least `1s`"),
                duration.span,
                "too short or not whole seconds",
            );
            None
        }
    }
}
