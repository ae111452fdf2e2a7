//! Durations in clauses: `ttl`, `bucket`.

use super::context::{Annotate, Context};
use crate::ast;
use crate::diagnostics::Code;

/// The longest `ttl` Cassandra accepts: 20 years (`Attributes.MAX_TTL`).
const MAX_TTL_SECONDS: u64 = 630_720_000;

/// A `ttl` in whole seconds (at least 1 s, at most 20 years).
pub(super) fn ttl_seconds(ttl: &ast::TtlClause, ctx: &mut Context) -> Option<u64> {
    let seconds = whole_seconds(&ttl.duration, "a `ttl`", ctx)?;
    if seconds > MAX_TTL_SECONDS {
        ctx.error(
            Code::InvalidValue,
            "a `ttl` is at most 20 years (630720000 seconds)",
            ttl.duration.span,
            "longer than Cassandra allows",
        )
        .help("drop the `ttl` to keep rows until they are deleted");
        return None;
    }
    Some(seconds)
}

/// The longest a cache entry lives: a day (a longer-lived answer belongs
/// in a table of its own).
const MAX_CACHE_MILLIS: u64 = 86_400_000;

/// The most entries a cache holds: what fits a process's memory.
const MAX_CACHE_ENTRIES: u64 = 100_000_000;

/// `cache <ttl> max <entries>`: a TTL from 1 ms to a day and 1 to 100
/// million entries (every problem reported).
pub(super) fn cache(clause: &ast::CacheClause, ctx: &mut Context) -> Option<crate::ir::Cache> {
    let ttl_millis = clause
        .ttl
        .as_millis()
        .filter(|millis| (1..=MAX_CACHE_MILLIS).contains(millis));
    if ttl_millis.is_none() {
        ctx.error(
            Code::InvalidValue,
            "a cache entry lives from 1 ms to a day (`cache 30s max 10000`)",
            clause.ttl.span,
            "out of range",
        )
        .help("the TTL bounds how stale another process's write can be read: seconds to minutes is usual");
    }
    let max = clause.max.value;
    if !(1..=MAX_CACHE_ENTRIES).contains(&max) {
        ctx.error(
            Code::InvalidValue,
            "a cache holds from 1 to 100000000 entries",
            clause.max.span,
            "out of range",
        );
        return None;
    }
    Some(crate::ir::Cache {
        ttl_millis: ttl_millis?,
        max_entries: max,
        span: clause.span,
    })
}

/// How long a change log keeps changes (`changes retain 7d`): whole
/// seconds, at least one, at most the longest TTL.
pub(super) fn retain_seconds(retain: &ast::DurationLit, ctx: &mut Context) -> Option<u64> {
    let seconds = whole_seconds(retain, "a change log's `retain`", ctx)?;
    if seconds > MAX_TTL_SECONDS {
        ctx.error(
            Code::InvalidValue,
            "a change log keeps changes at most 20 years (630720000 seconds)",
            retain.span,
            "longer than Cassandra's longest TTL",
        );
        return None;
    }
    Some(seconds)
}

/// A duration that must be a whole number of seconds, at least one.
pub(super) fn whole_seconds(
    duration: &ast::DurationLit,
    what: &str,
    ctx: &mut Context,
) -> Option<u64> {
    match duration.as_millis() {
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
        Some(ms) => {
            let label = if ms < 1000 {
                "shorter than `1s`"
            } else {
                "not a whole number of seconds"
            };
            ctx.error(
                Code::InvalidValue,
                format!("{what} is a whole number of seconds, at least `1s`"),
                duration.span,
                label,
            )
            .help("write it in whole seconds or larger units, e.g. `30s`, `15m`, `1h`, `7d`");
            None
        }
        None => {
            ctx.error(
                Code::InvalidValue,
                format!("{what} is too long"),
                duration.span,
                "out of range",
            );
            None
        }
    }
}
