//! Time series: points of a series stored in one partition per bucket of
//! time, written with the bucket computed from the point's time and read
//! over a range by walking the buckets in order.
//!
//! A `timeseries Name { series …; bucket 1h; ttl …; fields }` generates a
//! point type (the series fields, `ts`, the value fields) implementing
//! [`Point`], a series-key type, a rollup row type (a [`Summary`] per
//! numeric value field) and a [`SeriesRepository`] reached from the `Db`. The table is `((series…, bucket), ts DESC)`; two points of one
//! series at the same `ts` are one point (the second write replaces the
//! first), as in every time-series store.

mod bucket;
mod bulk;
mod repository;
mod rollup;
mod statements;
mod summary;

pub use bucket::{bucket_of, buckets};
pub use repository::SeriesRepository;
pub use rollup::{Rollup, summary};
pub use statements::SeriesStatements;
pub use summary::{Summable, Summary};

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
    /// The selectors of a rollup after `start` and `points`: four per
    /// numeric value field (`count(f), sum(cast(f AS <type>)), min(f),
    /// max(f)`, the cast type [`Summable::SUM_AS`] of the field's Rust
    /// type), empty when there are none.
    pub rollup: &'static str,
}

/// A point of a time series (generated).
pub trait Point:
    SerializeRow + for<'f, 'm> DeserializeRow<'f, 'm> + Send + Sync + Sized + 'static
{
    /// The series a point belongs to: binds [`SeriesSpec::series`]'s markers.
    type Series: SerializeRow + Send + Sync;

    /// A rollup's row: an interval's summary of these points.
    type Rollup: Rollup;

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
