//! Field declarations (`name: type @attr…`) of models, types, time series,
//! event stores and events.

use super::{Attribute, Doc, Ident, Span, TypeExpr};

/// `name: type @attribute…`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The doc comment before it.
    pub doc: Option<Doc>,
    /// The field's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeExpr,
    /// Its attributes in source order.
    pub attributes: Vec<Attribute>,
    /// From the name (not the doc) to the last attribute.
    pub span: Span,
}
