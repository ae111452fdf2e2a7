//! What repositories, time series and event stores share to run an
//! operation in its tracing span and, with the `metrics` feature, measure
//! it: the model, keyspace and table it works on, and the table's meters.

use std::future::Future;

use scylla::statement::Consistency;

use crate::Result;
use crate::trace::{self, Traced};

/// The span attributes and meters of one table's operations.
#[derive(Debug)]
pub(crate) struct Instruments {
    model: &'static str,
    keyspace: String,
    table: &'static str,
    #[cfg(feature = "metrics")]
    meters: crate::meter::TableMeters,
}

impl Instruments {
    /// For the operations of `model` on `table` (as written in CQL) in
    /// `keyspace` (as stored).
    pub(crate) fn new(model: &'static str, keyspace: &str, table: &'static str) -> Self {
        Self {
            model,
            keyspace: keyspace.to_owned(),
            table,
            #[cfg(feature = "metrics")]
            meters: crate::meter::TableMeters::default(),
        }
    }

    /// `future`, the request of `operation`, run in its span
    /// (`<model>.<operation>`) and, with the `metrics` feature, measured.
    pub(crate) fn run<F, R>(
        &self,
        operation: &'static str,
        consistency: Option<Consistency>,
        future: F,
    ) -> Traced<F>
    where
        F: Future<Output = Result<R>>,
    {
        let span = trace::request(
            self.model,
            operation,
            &self.keyspace,
            self.table,
            consistency,
        );
        #[cfg(feature = "metrics")]
        {
            let meters = self.meters.get(self.table, operation);
            trace::metered(span, crate::meter::Meter::new(meters), future)
        }
        #[cfg(not(feature = "metrics"))]
        trace::traced(span, future)
    }
}
