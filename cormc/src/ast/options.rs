//! `options { name: value, … }`: CQL table options as written in a model,
//! and the `{ … }` maps they (and `compaction`) take.

use super::{Ident, Literal, Span};

/// `options { … }` in a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsClause {
    /// The options.
    pub map: OptionMap,
    /// The whole clause.
    pub span: Span,
}

/// `{ name: value, … }` (commas optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionMap {
    /// The entries in source order (names not checked yet).
    pub entries: Vec<OptionEntry>,
    /// From `{` to `}`.
    pub span: Span,
}

/// `name: value`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionEntry {
    /// The option's name.
    pub name: Ident,
    /// Its value.
    pub value: OptionValue,
    /// The whole entry.
    pub span: Span,
}

/// The value of an option: a literal or a nested map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// A string, number, duration or boolean.
    Literal(Literal),
    /// `{ … }`
    Map(OptionMap),
}

impl OptionValue {
    /// Where the value is.
    #[must_use]
    pub const fn span(&self) -> Span {
        match self {
            Self::Literal(literal) => literal.span,
            Self::Map(map) => map.span,
        }
    }
}
