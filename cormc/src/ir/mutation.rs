//! Named mutations: updates of some columns and deletes of rows, columns
//! or entries, by key, optionally conditional.

use super::query::{Condition, Operand, Param};
use crate::diagnostics::Span;

/// A `mutation` item: a typed write of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Mutation {
    /// Its name (the method's name).
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// The model it writes.
    pub model: String,
    /// What it writes.
    pub action: MutationAction,
    /// `where` conditions, joined by `and`: the row, the partition, or (for
    /// a range delete) the rows it writes.
    pub conditions: Vec<Condition>,
    /// `if …`: a lightweight transaction.
    pub check: Option<Check>,
    /// Whether it writes only static columns, by partition.
    pub static_only: bool,
    /// Its parameters, in the order the statement binds them.
    pub params: Vec<Param>,
    /// Where it was declared.
    pub span: Span,
}

/// What a mutation writes.
#[derive(Debug, Clone, PartialEq)]
pub enum MutationAction {
    /// `set …`
    Update(Vec<Assignment>),
    /// `delete …` (no targets: whole rows).
    Delete(Vec<DeleteTarget>),
}

/// One assignment of `set`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The field written.
    pub field: String,
    /// `[key]`: the map key or list index written.
    pub entry: Option<Operand>,
    /// How it is written.
    pub op: AssignOp,
    /// The value.
    pub value: Operand,
}

/// How an assignment writes its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Set,
    /// `+=`: elements, entries or a counter delta added.
    Add,
    /// `-=`: elements or keys removed, or a counter delta subtracted.
    Remove,
}

/// One column (or one entry of it) that `delete` removes.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteTarget {
    /// The field.
    pub field: String,
    /// `[key]`: the map key or list index removed.
    pub entry: Option<Operand>,
}

/// The condition of a conditional mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum Check {
    /// `if exists`
    Exists,
    /// `if col op value and …`
    Conditions(Vec<Condition>),
}
