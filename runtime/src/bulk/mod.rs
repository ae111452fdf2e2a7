//! Bulk ingest: many rows written as unlogged batches of one partition
//! each, a bounded number in flight, every failure reported with its rows.
//!
//! Rows come from an iterator or a stream and are taken at most
//! [`BulkOptions::chunk`] at a time (fewer when a stream has no more ready).
//! A row that can't be written (it breaks its `@validate` rules, its time
//! has no bucket) is reported and not written. The others are grouped by
//! the token of their partition key (rows with one token go to the same
//! replicas: a batch of them is one request there, applied as a unit when
//! they share a partition), and a group is cut into batches whose bound
//! values stay under [`BulkOptions::batch_bytes`] (Cassandra warns at 5 KiB
//! by default). At most [`BulkOptions::in_flight`] batches run at once; the
//! next chunk is taken and grouped when the last batch of a chunk has
//! been sent (so requests stay in flight across chunks), which bounds
//! memory by about two chunks however long the input. A batch that fails is
//! reported with its rows and the error: nothing is dropped silently, and
//! the error says whether it may have applied anyway
//! ([`Error::certainly_not_applied`](crate::Error::certainly_not_applied)).
//! The failed rows stay in the report, so they are the one part of the
//! input whose memory is not bounded. Batches run concurrently: two rows
//! with one key in one bulk write have no order between them.
//!
//! Models write through [`Repository::insert_many`](crate::Repository::insert_many)
//! and its stream twin, time series through
//! [`SeriesRepository::write_many`](crate::timeseries::SeriesRepository::write_many).

mod options;
mod report;
mod writer;

pub use options::BulkOptions;
pub use report::{BulkFailure, BulkReport};
pub(crate) use writer::{BulkItem, write_all};
