//! `has_many`, `has_one`, `belongs_to`.

use super::{Ident, Span};

/// `has_many name: Target(f, …)` and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// Which relation.
    pub kind: RelationKind,
    /// The span of the keyword.
    pub kind_span: Span,
    /// The relation's name.
    pub name: Ident,
    /// The target model.
    pub target: Ident,
    /// For `has_many`/`has_one`: fields of the target holding this model's
    /// key; for `belongs_to`: fields of this model holding the target's key.
    pub fields: Vec<Ident>,
    /// The whole clause.
    pub span: Span,
}

/// The relation keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationKind {
    /// `has_many`
    HasMany,
    /// `has_one`
    HasOne,
    /// `belongs_to`
    BelongsTo,
}

impl RelationKind {
    /// The keyword.
    #[must_use]
    pub const fn keyword(self) -> &'static str {
        match self {
            Self::HasMany => "has_many",
            Self::HasOne => "has_one",
            Self::BelongsTo => "belongs_to",
        }
    }
}
