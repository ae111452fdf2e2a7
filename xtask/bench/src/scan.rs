//! `corm-bench scan`: one table read whole by the single paged `scan` and by
//! `scan_parallel`, alternating, in the same process and moment; the ratio
//! of their rates is the figure (a parallel scan's gain depends on the
//! cores and nodes, so it is reported, not asserted).

use std::time::{Duration, Instant};

use corm::{ParallelScan, TryStreamExt};

use crate::BenchError;
use crate::generated::{Db, User};
use crate::suite::median;

/// How the table was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScanSide {
    /// `Repository::scan`: one paged read.
    Single,
    /// `Repository::scan_parallel` with the default split and concurrency.
    Parallel,
}

/// The medians of the timed reads.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ScanReport {
    /// Rows in the table (each read saw exactly these).
    pub rows: u64,
    /// Reads of each side.
    pub runs: usize,
    /// Median seconds of the single paged scan.
    pub single_seconds: f64,
    /// Median seconds of the parallel scan.
    pub parallel_seconds: f64,
    /// `single_seconds / parallel_seconds`: how many times faster the
    /// parallel scan read the table.
    pub speedup: f64,
}

/// The parallel scan's plan: `CORM_BENCH_SCAN` = `splits,concurrency`
/// overrides the default (for tuning runs).
fn scan_plan() -> ParallelScan {
    let plan = ParallelScan::default();
    std::env::var("CORM_BENCH_SCAN")
        .ok()
        .and_then(|text| {
            let (splits, concurrency) = text.split_once(',')?;
            Some(
                plan.splits(splits.trim().parse().ok()?)
                    .concurrency(concurrency.trim().parse().ok()?),
            )
        })
        .unwrap_or(plan)
}

/// Reads every user once through `side`; the rows read and the time.
async fn read_all(db: &Db, side: ScanSide) -> Result<(u64, Duration), BenchError> {
    let users = db.user().with(corm::Options::new().page_size(5000));
    let start = Instant::now();
    let rows = match side {
        ScanSide::Single => {
            users
                .scan()
                .await?
                .try_fold(0_u64, |n, _: User| async move { Ok(n + 1) })
                .await?
        }
        ScanSide::Parallel => {
            users
                .scan_parallel(scan_plan())
                .await?
                .try_fold(0_u64, |n, _: User| async move { Ok(n + 1) })
                .await?
        }
    };
    Ok((rows, start.elapsed()))
}

/// Times `runs` reads of each side, alternating which goes first, after
/// one untimed read of each; every read must see `rows` rows.
///
/// # Errors
/// A failed read, or one that saw another number of rows.
pub async fn measure(db: &Db, rows: u64, runs: usize) -> Result<ScanReport, BenchError> {
    for side in [ScanSide::Single, ScanSide::Parallel] {
        read_all(db, side).await?;
    }
    let mut single = Vec::new();
    let mut parallel = Vec::new();
    for run in 0..runs.max(1) {
        let order = if run % 2 == 0 {
            [ScanSide::Single, ScanSide::Parallel]
        } else {
            [ScanSide::Parallel, ScanSide::Single]
        };
        for side in order {
            let (seen, time) = read_all(db, side).await?;
            if seen != rows {
                return Err(BenchError::Run(format!(
                    "{side:?} scan read {seen} rows of {rows}"
                )));
            }
            match side {
                ScanSide::Single => single.push(time.as_secs_f64()),
                ScanSide::Parallel => parallel.push(time.as_secs_f64()),
            }
        }
    }
    let single_seconds = median(single);
    let parallel_seconds = median(parallel);
    Ok(ScanReport {
        rows,
        runs: runs.max(1),
        single_seconds,
        parallel_seconds,
        speedup: single_seconds / parallel_seconds.max(f64::EPSILON),
    })
}
