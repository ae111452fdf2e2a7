//! `events Name { id: T  snapshot every N  partition every K  event X { … } … }`.

use super::{Doc, Field, Ident, Span, UintLit};

/// An event-sourced aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventStore {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The aggregate's name.
    pub name: Ident,
    /// Its fields (the stream id `id`).
    pub fields: Vec<Field>,
    /// `snapshot every N`
    pub snapshot: Option<SnapshotClause>,
    /// `partition every K`: events per partition of a stream.
    pub partition: Option<SnapshotClause>,
    /// The events in source order.
    pub events: Vec<EventDecl>,
    /// `@allow(…)` clauses.
    pub allows: Vec<super::AllowClause>,
    /// The whole item.
    pub span: Span,
}

/// `snapshot every N`, and `partition every K` (the same shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotClause {
    /// `N`
    pub every: UintLit,
    /// The whole clause.
    pub span: Span,
}

/// `event Name { fields }`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDecl {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The event's name.
    pub name: Ident,
    /// Its fields (may be none).
    pub fields: Vec<Field>,
    /// The whole event, from its doc comment (or `event`) to `}`.
    pub span: Span,
}
