//! The load loop: `concurrency` tasks on the current tokio runtime, each
//! awaiting one operation at a time, until an operation budget or a
//! deadline is reached; with the wall time and the process CPU time
//! (user + system, every thread) the run took.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::cpu;
use crate::workload::Workload;

/// When a run stops: after `ops` operations were started, or at `duration`,
/// whichever comes first (at least one of them should be set).
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits {
    /// The operation budget.
    pub ops: Option<u64>,
    /// The time budget.
    pub duration: Option<Duration>,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct RunStats {
    /// Operations that succeeded.
    pub ops: u64,
    /// Operations that failed.
    pub errors: u64,
    /// The first failure, for the report.
    pub first_error: Option<String>,
    /// Wall time from the first start to the last finish.
    pub elapsed: Duration,
    /// Process CPU time (user + system, all threads) over the run.
    pub cpu: Duration,
}

impl RunStats {
    /// Successful operations per second.
    pub fn ops_per_s(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.ops as f64 / seconds
        } else {
            0.0
        }
    }

    /// Client CPU microseconds per successful operation.
    pub fn cpu_us_per_op(&self) -> f64 {
        if self.ops > 0 {
            self.cpu.as_secs_f64() * 1e6 / self.ops as f64
        } else {
            0.0
        }
    }
}

/// Runs `workload` with `concurrency` tasks until `limits`.
pub async fn run<W: Workload>(workload: Arc<W>, concurrency: usize, limits: Limits) -> RunStats {
    let next = Arc::new(AtomicU64::new(0));
    let budget = limits.ops.unwrap_or(u64::MAX);
    let cpu_before = cpu::process_time();
    let started = Instant::now();
    let deadline = limits.duration.map(|duration| started + duration);
    let tasks: Vec<_> = (0..concurrency.max(1))
        .map(|_| {
            let workload = Arc::clone(&workload);
            let next = Arc::clone(&next);
            tokio::spawn(async move {
                let mut stats = RunStats::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= budget || deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                        break;
                    }
                    match workload.op(i).await {
                        Ok(()) => stats.ops += 1,
                        Err(err) => {
                            stats.errors += 1;
                            if stats.first_error.is_none() {
                                stats.first_error = Some(err.to_string());
                            }
                        }
                    }
                }
                stats
            })
        })
        .collect();
    let mut total = RunStats::default();
    for task in tasks {
        match task.await {
            Ok(stats) => {
                total.ops += stats.ops;
                total.errors += stats.errors;
                total.first_error = total.first_error.or(stats.first_error);
            }
            Err(err) => {
                total.errors += 1;
                total.first_error = total
                    .first_error
                    .or_else(|| Some(format!("a load task panicked: {err}")));
            }
        }
    }
    total.elapsed = started.elapsed();
    total.cpu = cpu::process_time().saturating_sub(cpu_before);
    total
}
