//! `migration N name { DDL statements; cql """…""" }`.
//!
//! DDL statements are kept as raw text: the parser only finds where each one
//! ends; a later stage replays them.

use super::{Doc, Ident, Span, StringLit, UintLit};

/// A migration block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// `N`
    pub number: UintLit,
    /// The name.
    pub name: Ident,
    /// The steps in order.
    pub steps: Vec<MigrationStep>,
    /// The whole item.
    pub span: Span,
}

/// One step of a migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationStep {
    /// A CQL DDL statement.
    Ddl(DdlStatement),
    /// `cql """…"""`: a raw data step (not replayed).
    Cql(CqlStep),
}

impl MigrationStep {
    /// Where the step is.
    #[must_use]
    pub const fn span(&self) -> Span {
        match self {
            Self::Ddl(s) => s.span,
            Self::Cql(s) => s.span,
        }
    }
}

/// `create …;`, `alter …;` or `drop …;`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DdlStatement {
    /// The first word.
    pub verb: DdlVerb,
    /// The statement without its `;`, exactly as written (comments kept).
    pub text: String,
    /// The span of `text`.
    pub text_span: Span,
    /// The statement including its `;`.
    pub span: Span,
}

/// The first word of a DDL statement (any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DdlVerb {
    /// `create`
    Create,
    /// `alter`
    Alter,
    /// `drop`
    Drop,
}

/// `cql """…"""`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CqlStep {
    /// The statements.
    pub body: StringLit,
    /// The whole step.
    pub span: Span,
}
