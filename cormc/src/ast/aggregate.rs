//! `aggregate name on Model { where … group by … select … having … }`.

use super::{AllowFiltering, Condition, Doc, Ident, LimitClause, OrderClause, Span, WhereClause};

/// A named aggregate read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregate {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The aggregate's name.
    pub name: Ident,
    /// The model it reads.
    pub target: Ident,
    /// `where …`
    pub where_clause: Option<WhereClause>,
    /// `group by …`
    pub group_by: Option<GroupBy>,
    /// `select …`
    pub select: Option<Select>,
    /// `having …`
    pub having: Option<Having>,
    /// `order …`
    pub order: Option<OrderClause>,
    /// `limit …`
    pub limit: Option<LimitClause>,
    /// `allow filtering` (an extension: the same meaning as in queries).
    pub allow_filtering: Option<AllowFiltering>,
    /// `@allow(…)` clauses.
    pub allows: Vec<super::AllowClause>,
    /// The whole item.
    pub span: Span,
}

/// `group by col, …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBy {
    /// The columns in order.
    pub columns: Vec<Ident>,
    /// The whole clause.
    pub span: Span,
}

/// `select item, …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    /// The items in order.
    pub items: Vec<SelectItem>,
    /// The whole clause.
    pub span: Span,
}

/// `fn(col) as alias` or `count(*) as alias`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectItem {
    /// The function.
    pub function: AggregateFn,
    /// Its argument.
    pub argument: AggregateArg,
    /// The alias.
    pub alias: Ident,
    /// The whole item.
    pub span: Span,
}

/// An aggregate function as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AggregateFn {
    /// Which function.
    pub kind: AggregateFnKind,
    /// Where its name is.
    pub span: Span,
}

/// The aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AggregateFnKind {
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

impl AggregateFnKind {
    /// The function's name.
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

/// The argument of an aggregate function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AggregateArg {
    /// `*` (only with `count`); the span of `*`.
    Star(Span),
    /// A column.
    Column(Ident),
}

/// `having alias <op> operand and …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Having {
    /// The conditions (their `column` is a select alias).
    pub conditions: Vec<Condition>,
    /// The whole clause.
    pub span: Span,
}
