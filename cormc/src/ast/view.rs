//! `view Name of Model { key (…) }`: a materialized view of a model's table.

use super::{AllowClause, Doc, Ident, KeyClause, Span, TableClause};

/// A materialized view: the base model's rows under another primary key,
/// maintained by Cassandra, read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The view's name.
    pub name: Ident,
    /// The model it is a view of.
    pub base: Ident,
    /// `key (…)`: the view's primary key.
    pub key: Option<KeyClause>,
    /// `table name`: the CQL view name.
    pub table: Option<TableClause>,
    /// `@allow(…)` clauses.
    pub allows: Vec<AllowClause>,
    /// The whole item.
    pub span: Span,
}
