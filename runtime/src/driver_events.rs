//! Counting what the driver does inside one request (the `metrics`
//! feature): speculative executions and the driver's own retries, which
//! corm cannot see from outside the request. A [`HistoryListener`] on each
//! prepared statement receives the driver's events; the ids it returns are
//! not used (no history is kept).

use std::sync::Arc;

use metrics::Counter;
use scylla::errors::{RequestAttemptError, RequestError};
use scylla::observability::history::{AttemptId, HistoryListener, RequestId, SpeculativeId};
use scylla::policies::retry::RetryDecision;

/// The counters of one table's statements.
#[derive(Debug)]
pub(crate) struct DriverEvents {
    speculative: Counter,
    retries: Counter,
}

impl DriverEvents {
    /// The listener for statements on `table` (`""` when unknown).
    pub(crate) fn for_table(table: &str) -> Arc<Self> {
        let table = table.to_owned();
        Arc::new(Self {
            speculative: metrics::counter!("corm_speculative_executions_total", "table" => table.clone()),
            retries: metrics::counter!("corm_driver_retries_total", "table" => table),
        })
    }
}

impl HistoryListener for DriverEvents {
    fn log_request_start(&self) -> RequestId {
        RequestId(0)
    }

    fn log_request_success(&self, _request_id: RequestId) {}

    fn log_request_error(&self, _request_id: RequestId, _error: &RequestError) {}

    fn log_new_speculative_fiber(&self, _request_id: RequestId) -> SpeculativeId {
        self.speculative.increment(1);
        SpeculativeId(0)
    }

    fn log_attempt_start(
        &self,
        _request_id: RequestId,
        _speculative_id: Option<SpeculativeId>,
        _node_addr: std::net::SocketAddr,
    ) -> AttemptId {
        AttemptId(0)
    }

    fn log_attempt_success(&self, _attempt_id: AttemptId) {}

    fn log_attempt_error(
        &self,
        _attempt_id: AttemptId,
        _error: &RequestAttemptError,
        retry_decision: &RetryDecision,
    ) {
        if !matches!(
            retry_decision,
            RetryDecision::DontRetry | RetryDecision::IgnoreWriteError
        ) {
            self.retries.increment(1);
        }
    }
}
