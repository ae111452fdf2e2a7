//! `type Name { fields }`: a CQL user-defined type.

use super::{Doc, Field, Ident, Span};

/// A user-defined type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDecl {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The type's name.
    pub name: Ident,
    /// Its fields in source order.
    pub fields: Vec<Field>,
    /// The whole item.
    pub span: Span,
}
