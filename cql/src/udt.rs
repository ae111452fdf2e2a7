//! User-defined types (`create type`).

use super::ident::Ident;
use super::types::CqlType;

/// A user-defined type: a name and its fields in declaration order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UdtDef {
    /// The type name.
    pub name: Ident,
    /// The fields, in declaration order (the order is part of the type).
    pub fields: Vec<UdtField>,
}

/// One field of a user-defined type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UdtField {
    /// The field name.
    pub name: Ident,
    /// The field type.
    pub ty: CqlType,
}

impl UdtDef {
    /// The field called `name`, if any.
    #[must_use]
    pub fn field(&self, name: &Ident) -> Option<&UdtField> {
        self.fields.iter().find(|f| &f.name == name)
    }

    /// Whether any field mentions the user-defined type `name`.
    #[must_use]
    pub fn references_udt(&self, name: &Ident) -> bool {
        self.fields.iter().any(|f| f.ty.references_udt(name))
    }
}
