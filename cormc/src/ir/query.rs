//! Named queries: conditions, parameters, order and limit.

use super::types::{Order, Type};
use crate::diagnostics::Span;

/// A `query` item: a typed read of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Its name (the method's name).
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// The model it reads.
    pub model: String,
    /// `select …`: the columns it reads (`None`: every column, as the
    /// model's row).
    pub projection: Option<Projection>,
    /// `where` conditions, joined by `and`.
    pub conditions: Vec<Condition>,
    /// `order` columns.
    pub order: Vec<Ordering>,
    /// `nearest f to ?q`: rows ordered by similarity to `?q`.
    pub nearest: Option<Nearest>,
    /// `per partition limit`: rows kept of each partition.
    pub per_partition_limit: Option<Limit>,
    /// `limit`.
    pub limit: Option<Limit>,
    /// `allow filtering` was written (and is needed).
    pub allow_filtering: bool,
    /// `cache <ttl> max <entries>`: its answers, cached.
    pub cache: Option<super::Cache>,
    /// Its parameters, in order of first use.
    pub params: Vec<Param>,
    /// Where it was declared.
    pub span: Span,
}

impl Query {
    /// Whether the number of rows is bounded by a `limit`.
    #[must_use]
    pub fn is_limited(&self) -> bool {
        self.limit.is_some()
    }
}

/// `nearest f to ?q`.
#[derive(Debug, Clone, PartialEq)]
pub struct Nearest {
    /// The vector-indexed field.
    pub field: String,
    /// The parameter holding the query vector.
    pub param: String,
    /// The index's similarity function.
    pub similarity: super::Similarity,
}

/// One `column op operand` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The field compared.
    pub field: String,
    /// `[key]`: the map entry compared (`m[?k] = ?v`), with `op` `=`.
    pub entry: Option<Operand>,
    /// The operator.
    pub op: Operator,
    /// What it is compared to.
    pub operand: Operand,
    /// Where it was written.
    pub span: Span,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
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

impl Operator {
    /// The operator as written in `.corm` (and CQL, upper-cased).
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

    /// Whether this is `<`, `<=`, `>` or `>=`.
    #[must_use]
    pub const fn is_range(self) -> bool {
        matches!(self, Self::Lt | Self::Le | Self::Gt | Self::Ge)
    }
}

/// The right-hand side of a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `?name`
    Param(String),
    /// A literal value.
    Literal(Literal),
}

/// A literal value in a query or `@default`.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A string.
    String(String),
    /// An integer.
    Integer(i128),
    /// A decimal number, as written.
    Decimal(String),
    /// `true` or `false`.
    Boolean(bool),
    /// `Enum.variant`.
    EnumValue {
        /// The enum.
        ty: String,
        /// The variant.
        variant: String,
    },
}

/// A query parameter with the type its column gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name after `?`.
    pub name: String,
    /// The type of one value.
    pub ty: Type,
    /// Used with `in`: the method takes a slice.
    pub list: bool,
}

/// One `order` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordering {
    /// The column (or aggregate alias).
    pub column: String,
    /// Its direction.
    pub order: Order,
}

/// A `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// `limit 20`
    Fixed(u32),
    /// `limit ?n`
    Param(String),
}

/// The columns a query's `select` reads, as a partial row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    /// `select distinct`: one row per partition.
    pub distinct: bool,
    /// The columns, in order.
    pub columns: Vec<Selected>,
}

/// One column of a projection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selected {
    /// The model's field.
    pub field: String,
    /// What is read of it.
    pub read: CellRead,
    /// The name in the row (the alias, else the field's name).
    pub name: String,
}

/// What a projection reads of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRead {
    /// The value.
    Value,
    /// `writetime(col)`: microseconds since the Unix epoch.
    WriteTime,
    /// `ttl(col)`: seconds left to live.
    Ttl,
}
