//! A relation's key, as a loader reads it from its input (`parent`,
//! `child`) or from a loaded `row`: which fields, bound how. The templates'
//! `key_bindings` macros write the Rust: the key, the values a statement
//! binds, the `let … else` that binds optional fields first, and the
//! values as an `Option`.
//!
//! Each part of the key is a reference to the field, except for a
//! `timestamp`: Cassandra keeps milliseconds, so a key in memory with a
//! finer time must compare equal to the row it wrote, and its part is the
//! driver's `CqlTimestamp` (milliseconds, ordered, and bound as a
//! `timestamp`).

use crate::ir::{self, Scalar, Type};

use super::ident::{field_ident, local_apart};

/// A key read from a row or input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    /// What the key is read from: `row`, `parent` or `child`.
    pub var: String,
    /// Its fields, in key order.
    pub parts: Vec<KeyField>,
    /// Whether a field is optional, so the fields are bound first, by a
    /// `let <pattern> = <fields> else { … };` (and the key is made of the
    /// locals it binds).
    pub guarded: bool,
    /// Whether the key is bound as a statement's row of values (a tuple
    /// even of one part: one request per key) rather than bare (an `IN`
    /// read binds a list of bare values).
    pub as_row: bool,
}

/// A field of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyField {
    /// The field's Rust name.
    pub ident: String,
    /// The local a guard binds it to.
    pub local: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether it is a `timestamp`, compared in milliseconds.
    pub millis: bool,
}

impl KeyBinding {
    /// The key `fields` of `var` make, bound as a row of values when
    /// `as_row`; a field whose name is one of `locals` (the names the
    /// loaders' bodies use) is bound to `<name>_key`.
    pub(super) fn new(var: &str, fields: &[&ir::Field], as_row: bool, locals: &[&str]) -> Self {
        let parts = fields
            .iter()
            .map(|field| KeyField {
                ident: field_ident(&field.name),
                local: local_apart(&field.name, locals, "_key"),
                optional: field.optional,
                millis: matches!(field.ty, Type::Scalar(Scalar::Timestamp)),
            })
            .collect();
        Self {
            var: var.to_owned(),
            parts,
            guarded: fields.iter().any(|field| field.optional),
            as_row,
        }
    }
}
