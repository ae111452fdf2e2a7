//! A field of a row that a method reads through `row`, with whether it is
//! optional: the templates' `expressions` macros turn it into the Rust
//! that borrows it (`Some(&row.f)` or `row.f.as_ref()`, …).

use crate::ir;

use super::ident::field_ident;

/// A field read from `row`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowField {
    /// The field's Rust name.
    pub ident: String,
    /// Whether it is an `Option`.
    pub optional: bool,
}

impl RowField {
    /// `field` of a model's row.
    pub(super) fn new(field: &ir::Field) -> Self {
        Self {
            ident: field_ident(&field.name),
            optional: field.optional,
        }
    }
}
