//! Aggregates: grouped counts, sums, averages, minima and maxima.

use super::query::{Condition, Limit, Operator, Ordering, Param};
use super::types::Type;
use crate::diagnostics::Span;

/// An `aggregate` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    /// Its name (the method's name).
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// The model it reads.
    pub model: String,
    /// `where` conditions.
    pub conditions: Vec<Condition>,
    /// `group by` columns.
    pub group_by: Vec<String>,
    /// `select` items.
    pub select: Vec<AggregateItem>,
    /// `having` conditions on aliases.
    pub having: Vec<Having>,
    /// `order` items (aliases or columns).
    pub order: Vec<Ordering>,
    /// `limit`.
    pub limit: Option<Limit>,
    /// Its parameters.
    pub params: Vec<Param>,
    /// Where it runs.
    pub execution: Execution,
    /// Where it was declared.
    pub span: Span,
}

/// Where an aggregate is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Execution {
    /// In CQL: `GROUP BY` a primary-key prefix (or no grouping).
    Native,
    /// In the client, over a paged stream, in bounded memory.
    ClientSide,
}

/// One `fn(col) as alias` item.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateItem {
    /// The function.
    pub function: AggregateFunction,
    /// The column, or `None` for `count(*)`.
    pub column: Option<String>,
    /// The alias (the result field's name).
    pub alias: String,
    /// The result's type.
    pub ty: Type,
}

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateFunction {
    /// `count`
    Count,
    /// `sum`
    Sum,
    /// `avg`
    Avg,
    /// `min`
    Min,
    /// `max`
    Max,
}

impl AggregateFunction {
    /// The name as written.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Count => "count",
            Self::Sum => "sum",
            Self::Avg => "avg",
            Self::Min => "min",
            Self::Max => "max",
        }
    }
}

/// One `having alias op operand` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Having {
    /// The select alias.
    pub alias: String,
    /// The operator (no `in`/`contains`).
    pub op: Operator,
    /// A parameter name or a literal.
    pub operand: HavingOperand,
}

/// The right-hand side of a `having` condition.
pub type HavingOperand = super::query::Operand;
