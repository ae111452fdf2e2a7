//! `query name on Model { where … order … limit … allow filtering }` and the
//! clause types queries share with aggregates.

use super::{Doc, EnumValue, Ident, Literal, SortOrder, Span, UintLit};

/// A named, typed read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The query's name.
    pub name: Ident,
    /// The model it reads.
    pub target: Ident,
    /// `select …` (without it: every column).
    pub select: Option<QuerySelect>,
    /// `where …`
    pub where_clause: Option<WhereClause>,
    /// `nearest f to ?q`
    pub nearest: Option<NearestClause>,
    /// `order …`
    pub order: Option<OrderClause>,
    /// `per partition limit …`
    pub per_partition_limit: Option<LimitClause>,
    /// `limit …`
    pub limit: Option<LimitClause>,
    /// `allow filtering`
    pub allow_filtering: Option<AllowFiltering>,
    /// `cache 30s max 1000`
    pub cache: Option<super::CacheClause>,
    /// `@allow(…)` clauses.
    pub allows: Vec<super::AllowClause>,
    /// The whole item.
    pub span: Span,
}

/// `nearest f to ?q`: the rows whose vector `f` is nearest to `?q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearestClause {
    /// The vector-indexed field.
    pub column: Ident,
    /// The parameter holding the query vector.
    pub query: Ident,
    /// The whole clause.
    pub span: Span,
}

/// `where cond and cond …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhereClause {
    /// The conditions, all joined by `and`.
    pub conditions: Vec<Condition>,
    /// The whole clause.
    pub span: Span,
}

/// `column <op> operand` (in `having`, the column is an alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The column (or alias).
    pub column: Ident,
    /// `[key]`: the map entry compared (`m[?k] = ?v`).
    pub entry: Option<Operand>,
    /// The operator.
    pub operator: Operator,
    /// The right-hand side.
    pub operand: Operand,
    /// The whole condition.
    pub span: Span,
}

/// An operator as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    /// Which operator.
    pub kind: OperatorKind,
    /// Where it is (both words for `contains key`).
    pub span: Span,
}

/// The comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `contains`
    Contains,
    /// `contains key`
    ContainsKey,
}

impl OperatorKind {
    /// The operator as written (and as in CQL).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
            Self::In => "in",
            Self::Contains => "contains",
            Self::ContainsKey => "contains key",
        }
    }
}

/// The right-hand side of a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operand {
    /// Which operand.
    pub kind: OperandKind,
    /// Where it is (including `?`).
    pub span: Span,
}

/// A parameter or a literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperandKind {
    /// `?name`; the identifier's span excludes `?`. One name used twice is
    /// one parameter.
    Param(Ident),
    /// A literal.
    Literal(Literal),
    /// `Enum.variant`
    Enum(EnumValue),
}

/// `order col [asc|desc], …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderClause {
    /// The items in order.
    pub items: Vec<OrderItem>,
    /// The whole clause.
    pub span: Span,
}

/// `col [asc|desc]` (in aggregates, `col` may be an alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    /// The column or alias.
    pub column: Ident,
    /// The direction, if written.
    pub order: Option<SortOrder>,
    /// The whole item.
    pub span: Span,
}

/// `limit N` or `limit ?n` (also `per partition limit …`)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitClause {
    /// The value.
    pub value: LimitValue,
    /// The whole clause.
    pub span: Span,
}

/// What a limit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitValue {
    /// A fixed number.
    Fixed(UintLit),
    /// `?name`
    Param(Ident),
}

/// `allow filtering`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowFiltering {
    /// Where it is.
    pub span: Span,
}

/// `select [distinct] item, …` in a query: the columns it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuerySelect {
    /// `distinct`, where written.
    pub distinct: Option<Span>,
    /// The items in order.
    pub items: Vec<SelectColumn>,
    /// The whole clause.
    pub span: Span,
}

/// One item of a query's `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectColumn {
    /// What is read of the column.
    pub kind: CellRead,
    /// The column.
    pub column: Ident,
    /// `as name` (required for `writetime` and `ttl`).
    pub alias: Option<Ident>,
    /// The whole item.
    pub span: Span,
}

/// What a query's `select` reads of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRead {
    /// The value.
    Value,
    /// `writetime(col)`: the write time, in microseconds.
    WriteTime,
    /// `ttl(col)`: the seconds left to live.
    Ttl,
}
