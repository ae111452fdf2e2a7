//! Time series: points of a series stored in one partition per bucket of
//! time, written with the bucket computed from the point's time and read
//! over a range by walking the buckets in order.
//!
//! A `timeseries Name { series …; bucket 1h; ttl …; fields }` generates a
//! point type (the series fields, `ts`, the value fields) implementing
//! [`Point`], a series-key type, and a [`SeriesRepository`] reached from
//! the `Db`. The table is `((series…, bucket), ts DESC)`; two points of one
//! series at the same `ts` are one point (the second write replaces the
//! first), as in every time-series store.

mod bucket;
mod repository;
mod statements;

pub use bucket::{bucket_of, buckets};
pub use repository::SeriesRepository;
pub use statements::SeriesStatements;

use chrono::{DateTime, Utc};
use scylla::deserialize::row::DeserializeRow;
use scylla::serialize::row::SerializeRow;

/// The CQL of one time series' table, stated by generated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeriesSpec {
    /// The time series' name, for errors.
    pub name: &'static str,
    /// The table's name (without keyspace).
    pub table: &'static str,
    /// The columns a point binds and reads, in order: the series columns,
    /// `ts`, the value columns.
    pub columns: &'static str,
    /// A marker per column of `columns`.
    pub markers: &'static str,
    /// The series condition: `host = ? AND region = ?`.
    pub series: &'static str,
    /// The bucket width, in milliseconds.
    pub bucket_ms: i64,
}

/// A point of a time series (generated).
pub trait Point:
    SerializeRow + for<'f, 'm> DeserializeRow<'f, 'm> + Send + Sync + Sized + 'static
{
    /// The series a point belongs to: binds [`SeriesSpec::series`]'s markers.
    type Series: SerializeRow + Send + Sync;

    /// The table.
    const SPEC: SeriesSpec;

    /// The point's time.
    fn ts(&self) -> DateTime<Utc>;
}

/// The order of a range read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    /// Oldest first.
    #[default]
    Ascending,
    /// Newest first.
    Descending,
}
