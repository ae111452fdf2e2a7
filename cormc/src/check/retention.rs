//! W1107: a time series whose retention spans too many compaction windows.
//!
//! A time series' table uses time-window compaction with one window per
//! bucket, and its `ttl` expires whole windows. Time-window compaction is
//! designed for a bounded number of windows (the Cassandra documentation
//! suggests 20 to 30, and about 50 at most): each live window keeps its
//! own SSTables, so reads that span them open more files and compaction
//! keeps more state. `ttl / bucket` above 50 is advised against; so is a
//! time series with no `ttl`, whose windows never stop adding up.

use super::context::{Annotate, Context};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// The most compaction windows a time series' retention is advised to keep.
pub const MAX_WINDOWS: u64 = 50;

/// Warns about `series` (declared as `decl`) when its retention spans more
/// than [`MAX_WINDOWS`] windows.
pub(super) fn check(series: &ir::TimeSeries, decl: &ast::TimeSeries, ctx: &mut Context) {
    let bucket = series.bucket_seconds.max(1);
    let Some(ttl) = series.ttl_seconds else {
        ctx.warning(
            Code::ManyCompactionWindows,
            format!(
                "time series `{}` keeps its points forever, so its time windows never stop adding up",
                series.name
            ),
            decl.name.span,
            "no `ttl`",
        )
        .help(format!(
            "add a `ttl` of at most {MAX_WINDOWS} buckets (`ttl {}`), or keep old points in a rolled-up series",
            duration_text(bucket.saturating_mul(MAX_WINDOWS))
        ))
        .note("time-window compaction drops a window whole once its points expire; without a TTL every window stays, and reads over long ranges open every window's files");
        return;
    };
    let windows = ttl.div_ceil(bucket);
    if windows <= MAX_WINDOWS {
        return;
    }
    let span = decl.ttl.as_ref().map_or(decl.name.span, |ttl| ttl.span);
    ctx.warning(
        Code::ManyCompactionWindows,
        format!(
            "time series `{}` keeps {windows} compaction windows (`ttl` / `bucket`), more than about {MAX_WINDOWS}",
            series.name
        ),
        span,
        format!("{windows} windows of one bucket each"),
    )
    .help({
        let wider = wider_bucket(ttl);
        format!(
            "widen the bucket (`bucket {}` keeps {} windows for this `ttl`), or shorten the `ttl`",
            duration_text(wider),
            ttl.div_ceil(wider)
        )
    })
    .note("time-window compaction keeps the SSTables of each window apart; many live windows mean more files per read and more compaction state");
}

/// The narrowest of the usual bucket widths that keeps `ttl` within
/// [`MAX_WINDOWS`] windows.
fn wider_bucket(ttl: u64) -> u64 {
    const WIDTHS: [u64; 12] = [
        60, 300, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 604_800, 2_592_000,
    ];
    WIDTHS
        .into_iter()
        .find(|width| ttl.div_ceil(*width) <= MAX_WINDOWS)
        .unwrap_or_else(|| ttl.div_ceil(MAX_WINDOWS))
}

/// Seconds in the largest whole unit the language writes.
pub(super) fn duration_text(seconds: u64) -> String {
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds >= size && seconds.is_multiple_of(size) {
            return format!("{}{unit}", seconds / size);
        }
    }
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds >= size {
            return format!("{}{unit}", seconds.div_ceil(size));
        }
    }
    format!("{seconds}s")
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn durations_in_whole_units() {
        assert_eq!(duration_text(86_400 * 2), "2d");
        assert_eq!(duration_text(7_200), "2h");
        assert_eq!(duration_text(90), "2m");
        assert_eq!(duration_text(59), "59s");
    }
}
