//! A summary of what this process's requests did since it started
//! ([`report`], feature `metrics`): per table and operation, calls, error
//! rate, server warnings, slow requests, retries, mean and longest time;
//! the slowest first. For a quick look (a log line at shutdown, a debug
//! endpoint) where no metrics backend is at hand.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The running totals of one operation on one table.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    calls: AtomicU64,
    errors: AtomicU64,
    warnings: AtomicU64,
    slow: AtomicU64,
    retries: AtomicU64,
    nanos: AtomicU64,
    max_nanos: AtomicU64,
}

impl Tally {
    /// A finished request: its time and whether it failed.
    pub(crate) fn finished(&self, elapsed: Duration, failed: bool) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
        self.max_nanos.fetch_max(nanos, Ordering::Relaxed);
        if failed {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Warnings, slow requests and retries counted during a poll.
    pub(crate) fn add(&self, warnings: u64, slow: u64, retries: u64) {
        for (count, total) in [
            (warnings, &self.warnings),
            (slow, &self.slow),
            (retries, &self.retries),
        ] {
            if count > 0 {
                total.fetch_add(count, Ordering::Relaxed);
            }
        }
    }

    pub(crate) fn snapshot(&self, table: &'static str, operation: &'static str) -> OperationReport {
        let calls = self.calls.load(Ordering::Relaxed);
        let nanos = self.nanos.load(Ordering::Relaxed);
        OperationReport {
            table,
            operation,
            calls,
            errors: self.errors.load(Ordering::Relaxed),
            warnings: self.warnings.load(Ordering::Relaxed),
            slow: self.slow.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            mean: Duration::from_nanos(nanos.checked_div(calls).unwrap_or(0)),
            max: Duration::from_nanos(self.max_nanos.load(Ordering::Relaxed)),
        }
    }
}

/// What the requests of every repository in this process did since it
/// started, the slowest operations (by mean time) first.
pub fn report() -> Report {
    let mut operations = crate::meter::snapshots();
    operations.sort_by(|a, b| b.mean.cmp(&a.mean).then(b.calls.cmp(&a.calls)));
    Report { operations }
}

/// The summary [`report`] returns; `Display` prints it as a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// One entry per table and operation called, slowest (by mean) first.
    pub operations: Vec<OperationReport>,
}

impl Report {
    /// The entry of `operation` on `table`, if it was called.
    pub fn operation(&self, table: &str, operation: &str) -> Option<&OperationReport> {
        self.operations
            .iter()
            .find(|entry| entry.table == table && entry.operation == operation)
    }
}

/// What one operation on one table did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OperationReport {
    /// The table, as stored.
    pub table: &'static str,
    /// The operation (`get`, a named query's name).
    pub operation: &'static str,
    /// Finished calls.
    pub calls: u64,
    /// Calls that failed.
    pub errors: u64,
    /// Warnings the nodes sent with the answers.
    pub warnings: u64,
    /// Calls slower than the slow-request threshold.
    pub slow: u64,
    /// Retries of the calls' requests.
    pub retries: u64,
    /// Mean time of a call.
    pub mean: Duration,
    /// Longest time of a call.
    pub max: Duration,
}

impl OperationReport {
    /// The share of calls that failed, from 0 to 1.
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    pub fn error_rate(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.errors as f64 / self.calls as f64
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<40} {:>8} {:>7} {:>8} {:>5} {:>7} {:>10} {:>10}",
            "table.operation", "calls", "errors", "warnings", "slow", "retries", "mean", "max"
        )?;
        for entry in &self.operations {
            writeln!(
                f,
                "{:<40} {:>8} {:>6.1}% {:>8} {:>5} {:>7} {:>10} {:>10}",
                format!("{}.{}", entry.table, entry.operation),
                entry.calls,
                entry.error_rate() * 100.0,
                entry.warnings,
                entry.slow,
                entry.retries,
                format!("{:.2?}", entry.mean),
                format!("{:.2?}", entry.max),
            )?;
        }
        Ok(())
    }
}
