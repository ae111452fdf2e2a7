//! What repositories, time series and event stores share to run an
//! operation in its tracing span and, with the `metrics` feature, measure
//! it: the model, keyspace and table it works on, and the table's meters.

use std::future::Future;

use scylla::statement::Consistency;

use crate::Result;
use tracing::Span;

use crate::trace::{self, MeterSlot, Traced};

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
    /// (`<model>.<operation>`, made when it is first polled) and, with the
    /// `metrics` feature, measured.
    #[inline]
    pub(crate) fn run<F, R>(
        &self,
        operation: &'static str,
        consistency: Option<Consistency>,
        future: F,
    ) -> Traced<'_, F>
    where
        F: Future<Output = Result<R>>,
    {
        Traced::unstarted(self, operation, consistency, future)
    }

    /// The span of a request of `operation` and, with the `metrics`
    /// feature, its meter.
    #[inline]
    pub(crate) fn start(
        &self,
        operation: &'static str,
        consistency: Option<Consistency>,
    ) -> (Span, MeterSlot) {
        let span = trace::request(
            self.model,
            operation,
            &self.keyspace,
            self.table,
            consistency,
        );
        #[cfg(feature = "metrics")]
        let meter = Some(crate::meter::Meter::new(
            self.meters.get(self.table, operation),
        ));
        #[cfg(not(feature = "metrics"))]
        let meter = ();
        (span, meter)
    }
}
