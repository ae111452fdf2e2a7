//! Names and doc comments.

use super::Span;

/// A name as written (`[A-Za-z_][A-Za-z0-9_]*`); keywords are allowed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The text.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

impl Ident {
    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

/// A run of `///` lines before an item, field, enum variant or event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// The text of each line after `///` (one leading space removed), joined
    /// with `\n`.
    pub text: String,
    /// From the first `///` to the end of the last line.
    pub span: Span,
}
