//! Metrics (the `metrics` feature): what each repository operation counts
//! through the [`metrics`](https://docs.rs/metrics) facade, for whatever
//! recorder the program installs (a Prometheus exporter, for one).
//!
//! | metric | kind | labels |
//! | --- | --- | --- |
//! | `corm_requests_total` | counter | `table`, `operation`, `outcome` (`ok`; `validation`, `unique_conflict`, `version_conflict`; or the error kind: `timeout`, `unavailable`, `statement`, …) |
//! | `corm_request_duration_seconds` | histogram | `table`, `operation` |
//! | `corm_requests_in_flight` | gauge | `table`, `operation` |
//! | `corm_rows_read_total` | counter | `table`, `operation` |
//! | `corm_server_warnings_total` | counter | `table`, `operation` |
//! | `corm_slow_requests_total` | counter | `table`, `operation` |
//! | `corm_speculative_executions_total` | counter | `table` (the driver's extra executions of slow idempotent requests) |
//! | `corm_driver_retries_total` | counter | `table` (the driver's own retries within an attempt, on the next node or the same) |
//! | `corm_lwt_rejected_total` | counter | `table`, `operation` (conditional writes whose condition did not hold: a lost race) |
//! | `corm_retries_total` | counter | `table`, `operation` (a request's attempts after its first, by corm's [`RetryPolicy`](crate::RetryPolicy)) |
//!
//! Handles are registered with the recorder on an operation's first call
//! and kept with the table's statements, so a call allocates nothing: a
//! program installs its recorder before its first request.

use std::cell::Cell;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use metrics::{Counter, Gauge, Histogram};

use crate::Error;

/// The handles of one operation on one table.
#[derive(Debug)]
pub(crate) struct OperationMeters {
    table: &'static str,
    operation: &'static str,
    ok: Counter,
    duration: Histogram,
    in_flight: Gauge,
    rows: Counter,
    warnings: Counter,
    slow: Counter,
    retries: Counter,
    lwt_rejected: Counter,
    /// The totals `corm::report()` reads.
    tally: crate::report::Tally,
}

/// Every operation's meters, for `corm::report()`.
static ALL: RwLock<Vec<Arc<OperationMeters>>> = RwLock::new(Vec::new());

/// What each operation did since start, from its tally.
pub(crate) fn snapshots() -> Vec<crate::report::OperationReport> {
    let all = match ALL.read() {
        Ok(all) => all,
        Err(poisoned) => poisoned.into_inner(),
    };
    all.iter()
        .map(|meters| meters.tally.snapshot(meters.table, meters.operation))
        .filter(|entry| entry.calls > 0)
        .collect()
}

impl OperationMeters {
    fn register(table: &'static str, operation: &'static str) -> Self {
        let table = crate::trace::unquoted(table);
        let labels = [("table", table), ("operation", operation)];
        Self {
            table,
            operation,
            ok: metrics::counter!(
                "corm_requests_total",
                "table" => table,
                "operation" => operation,
                "outcome" => "ok"
            ),
            duration: metrics::histogram!("corm_request_duration_seconds", &labels),
            in_flight: metrics::gauge!("corm_requests_in_flight", &labels),
            rows: metrics::counter!("corm_rows_read_total", &labels),
            warnings: metrics::counter!("corm_server_warnings_total", &labels),
            slow: metrics::counter!("corm_slow_requests_total", &labels),
            retries: metrics::counter!("corm_retries_total", &labels),
            lwt_rejected: metrics::counter!("corm_lwt_rejected_total", &labels),
            tally: crate::report::Tally::default(),
        }
    }
}

/// The meters of a table's operations, registered on first use.
#[derive(Debug, Default)]
pub(crate) struct TableMeters {
    operations: RwLock<Vec<Arc<OperationMeters>>>,
}

impl TableMeters {
    /// The meters of `operation` on `table`.
    pub(crate) fn get(&self, table: &'static str, operation: &'static str) -> Arc<OperationMeters> {
        let find = |operations: &[Arc<OperationMeters>]| {
            operations
                .iter()
                .find(|meters| meters.operation == operation)
                .cloned()
        };
        if let Ok(operations) = self.operations.read()
            && let Some(found) = find(&operations)
        {
            return found;
        }
        let mut operations = match self.operations.write() {
            Ok(operations) => operations,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(found) = find(&operations) {
            return found;
        }
        let meters = Arc::new(OperationMeters::register(table, operation));
        operations.push(Arc::clone(&meters));
        match ALL.write() {
            Ok(mut all) => all.push(Arc::clone(&meters)),
            Err(poisoned) => poisoned.into_inner().push(Arc::clone(&meters)),
        }
        meters
    }
}

/// What the request being polled on a thread has counted so far.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    rows: u64,
    warnings: u64,
    slow: u64,
    retries: u64,
    lwt_rejected: u64,
}

thread_local! {
    /// The counts of the request being polled on this thread.
    static COUNTS: Cell<Counts> = const {
        Cell::new(Counts {
            rows: 0,
            warnings: 0,
            slow: 0,
            retries: 0,
            lwt_rejected: 0,
        })
    };
}

/// Adds to the counts of the request being polled on this thread.
fn add(change: impl FnOnce(&mut Counts)) {
    COUNTS.with(|cell| {
        let mut counts = cell.get();
        change(&mut counts);
        cell.set(counts);
    });
}

/// Counts `rows` read for the request being polled on this thread.
pub(crate) fn add_rows(rows: usize) {
    add(|counts| counts.rows += u64::try_from(rows).unwrap_or(u64::MAX));
}

/// Counts a warning the node sent for the request being polled.
pub(crate) fn add_warning() {
    add(|counts| counts.warnings += 1);
}

/// Counts a slow request for the request being polled.
pub(crate) fn add_slow() {
    add(|counts| counts.slow += 1);
}

/// Counts a retry of the request being polled.
pub(crate) fn add_retry() {
    add(|counts| counts.retries += 1);
}

/// Counts a conditional write of the request being polled whose
/// condition did not hold.
pub(crate) fn add_lwt_rejected() {
    add(|counts| counts.lwt_rejected += 1);
}

/// One request being measured: started on its first poll.
#[derive(Debug)]
pub(crate) struct Meter {
    meters: Arc<OperationMeters>,
    started: Option<Instant>,
}

impl Meter {
    pub(crate) fn new(meters: Arc<OperationMeters>) -> Self {
        Self {
            meters,
            started: None,
        }
    }

    /// Before a poll: the start, on the first; the counts so far on this
    /// thread, kept aside.
    pub(crate) fn before_poll(&mut self) -> Counts {
        if self.started.is_none() {
            self.started = Some(Instant::now());
            self.meters.in_flight.increment(1.0);
        }
        COUNTS.with(|cell| cell.replace(Counts::default()))
    }

    /// After a poll: what it counted is this request's; `outcome` when it
    /// finished.
    pub(crate) fn after_poll(&mut self, outer: Counts, outcome: Option<Result<(), &Error>>) {
        let counts = COUNTS.with(|cell| cell.replace(outer));
        for (count, counter) in [
            (counts.rows, &self.meters.rows),
            (counts.warnings, &self.meters.warnings),
            (counts.slow, &self.meters.slow),
            (counts.retries, &self.meters.retries),
            (counts.lwt_rejected, &self.meters.lwt_rejected),
        ] {
            if count > 0 {
                counter.increment(count);
            }
        }
        self.meters
            .tally
            .add(counts.warnings, counts.slow, counts.retries);
        let Some(outcome) = outcome else {
            return;
        };
        if let Some(started) = self.started.take() {
            let elapsed = started.elapsed();
            self.meters.duration.record(elapsed.as_secs_f64());
            self.meters.in_flight.decrement(1.0);
            self.meters.tally.finished(elapsed, outcome.is_err());
        }
        match outcome {
            Ok(()) => self.meters.ok.increment(1),
            Err(error) => metrics::counter!(
                "corm_requests_total",
                "table" => self.meters.table,
                "operation" => self.meters.operation,
                "outcome" => crate::trace::error_type(error)
            )
            .increment(1),
        }
    }
}

impl Drop for Meter {
    /// A request dropped before it finished (cancelled) is no longer in
    /// flight.
    fn drop(&mut self) {
        if self.started.is_some() {
            self.meters.in_flight.decrement(1.0);
        }
    }
}
