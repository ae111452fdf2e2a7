//! `@allow(W1103, "reason")`: a block member that acknowledges the block's
//! warnings of one code.

use super::{Ident, Span, StringLit};

/// `@allow(CODE, "reason")` in a model, query, aggregate, time series or
/// event store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowClause {
    /// The warning's code as written, e.g. `W1103` (checked later).
    pub code: Ident,
    /// Why the warning does not apply here.
    pub reason: StringLit,
    /// The whole clause.
    pub span: Span,
}
