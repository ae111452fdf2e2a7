//! `key (…)`: partition and clustering columns, as in CQL.

use super::{Ident, Span};

/// `key (a)`, `key (a, b)`, `key ((a, b))`, `key ((a, b), c, d desc)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyClause {
    /// The partition key.
    pub partition: PartitionKey,
    /// The clustering columns in order.
    pub clustering: Vec<KeyColumn>,
    /// The whole clause.
    pub span: Span,
}

/// The partition key: one column, or several in parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionKey {
    /// The columns (one unless parenthesised).
    pub columns: Vec<KeyColumn>,
    /// Whether written in its own parentheses (`((a, b), …)`).
    pub parenthesized: bool,
    /// The partition key part.
    pub span: Span,
}

/// A key column with an optional order.
///
/// The grammar accepts an order on every key column; only clustering columns
/// may have one (a checker rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyColumn {
    /// The field's name.
    pub name: Ident,
    /// `asc` or `desc`, if written.
    pub order: Option<SortOrder>,
    /// The column and its order.
    pub span: Span,
}

/// `asc` or `desc` as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder {
    /// Which direction.
    pub direction: SortDirection,
    /// Where it is.
    pub span: Span,
}

/// A sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortDirection {
    /// `asc`
    Asc,
    /// `desc`
    Desc,
}
