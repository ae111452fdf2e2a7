//! `mutation name on Model { … }`: a named write (an update of some
//! columns, or a delete of rows, columns or entries), optionally
//! conditional.

use super::{AllowClause, Condition, Doc, Ident, Operand, Span, WhereClause};

/// A named mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mutation {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The mutation's name.
    pub name: Ident,
    /// The model it writes.
    pub target: Ident,
    /// `set …`
    pub set: Option<SetClause>,
    /// `delete …`
    pub delete: Option<DeleteClause>,
    /// `where …`
    pub where_clause: Option<WhereClause>,
    /// `if …`
    pub if_clause: Option<IfClause>,
    /// `@allow(…)` clauses.
    pub allows: Vec<AllowClause>,
    /// The whole item.
    pub span: Span,
}

/// `set a = ?x, b += ?y`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetClause {
    /// The assignments in order.
    pub assignments: Vec<Assignment>,
    /// The whole clause.
    pub span: Span,
}

/// One assignment of `set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The column written.
    pub column: Ident,
    /// `[key]`: the map key or list index written.
    pub entry: Option<Operand>,
    /// `=`, `+=` or `-=`.
    pub op: AssignOp,
    /// Where the operator is.
    pub op_span: Span,
    /// The value.
    pub value: Operand,
    /// The whole assignment.
    pub span: Span,
}

/// How an assignment writes its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`: replaces the value (or the entry).
    Set,
    /// `+=`: adds elements, entries or a counter delta.
    Add,
    /// `-=`: removes elements or keys, or subtracts from a counter.
    Remove,
}

impl AssignOp {
    /// As written.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Set => "=",
            Self::Add => "+=",
            Self::Remove => "-=",
        }
    }
}

/// `delete`, `delete a, b`, `delete m[?k]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteClause {
    /// The columns or entries deleted; empty: whole rows.
    pub targets: Vec<DeleteTarget>,
    /// The whole clause.
    pub span: Span,
}

/// One column (or one entry of it) that `delete` removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteTarget {
    /// The column.
    pub column: Ident,
    /// `[key]`: the map key or list index removed.
    pub entry: Option<Operand>,
    /// The whole target.
    pub span: Span,
}

/// `if exists` or `if col = ?x and …`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfClause {
    /// What must hold.
    pub kind: IfKind,
    /// The whole clause.
    pub span: Span,
}

/// The condition of a conditional mutation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfKind {
    /// `if exists`
    Exists,
    /// `if col op value and …`
    Conditions(Vec<Condition>),
}
