//! `[open] enum Name { variant, … }`.

use super::{Doc, Ident, Span};

/// An enum (stored as text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDecl {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// `open`, when written: values the schema does not list may be
    /// stored by other writers.
    pub open: Option<Span>,
    /// The enum's name.
    pub name: Ident,
    /// Its variants in source order.
    pub variants: Vec<Variant>,
    /// The whole item.
    pub span: Span,
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The variant's name.
    pub name: Ident,
    /// The name (the doc is not included).
    pub span: Span,
}
