//! Time series: bucketed, time-ordered partitions.

use super::model::Field;
use crate::diagnostics::Span;

/// A `timeseries` item.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeSeries {
    /// Its name as written.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// The CQL table (the name in snake_case).
    pub table: String,
    /// The series identity fields (part of the partition key).
    pub series: Vec<Field>,
    /// The partition width, in seconds.
    pub bucket_seconds: u64,
    /// The default time to live, in seconds.
    pub ttl_seconds: Option<u64>,
    /// The value fields.
    pub fields: Vec<Field>,
    /// `rate N per D`: the points one series is expected to get per
    /// second (for the advisor).
    pub points_per_second: Option<f64>,
    /// Where it was declared.
    pub span: Span,
}
