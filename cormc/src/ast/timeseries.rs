//! `timeseries Name { series … bucket … ttl … rate … fields }`.

use super::{Doc, DurationLit, Field, Ident, Span, TtlClause, UintLit};

/// A time series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSeries {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The series' name.
    pub name: Ident,
    /// `series a: T, …`: the series identity.
    pub series: Option<SeriesClause>,
    /// `bucket <duration>`: the partition width.
    pub bucket: Option<BucketClause>,
    /// `ttl <duration>`
    pub ttl: Option<TtlClause>,
    /// `rate <points> per <duration>`: the expected write rate of one
    /// series, for the advisor.
    pub rate: Option<RateClause>,
    /// The value fields in source order.
    pub fields: Vec<Field>,
    /// `@allow(…)` clauses.
    pub allows: Vec<super::AllowClause>,
    /// The whole item.
    pub span: Span,
}

/// `series host: text, name: text`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesClause {
    /// The identity fields in order.
    pub fields: Vec<Field>,
    /// The whole clause.
    pub span: Span,
}

/// `bucket 1h`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketClause {
    /// The bucket width.
    pub width: DurationLit,
    /// The whole clause.
    pub span: Span,
}

/// `rate 10 per 1s`: how many points one series is expected to get in a
/// duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateClause {
    /// The points.
    pub points: UintLit,
    /// The duration they come in.
    pub per: DurationLit,
    /// The whole clause.
    pub span: Span,
}
