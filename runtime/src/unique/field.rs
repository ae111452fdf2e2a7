//! What generated code states of a model with `@unique` fields: each
//! field's lookup-table statements, how a row and a patch hold the values,
//! and how a lookup table names its row.

use std::any::Any;
use std::fmt::Debug;

use scylla::deserialize::row::DeserializeRow;
use scylla::serialize::value::SerializeValue;

use crate::Updatable;
use crate::rt::BoundValue;

/// A model with `@unique` fields: implemented by generated code. The claim
/// protocol (see [the module](super)) runs over it in
/// [`Repository`](crate::Repository)'s `*_claiming` methods, which the
/// generated repository's writes call.
pub trait Unique: Updatable<Key: PartialEq> {
    /// The `@unique` fields, in declaration order (a field's index is its
    /// place here).
    const UNIQUE: &'static [UniqueField];

    /// Whether the lookup tables are keyed by the tenant id (the key's
    /// first column) as well as the value: each tenant has its own values.
    const TENANT: bool = false;

    /// The owner's key columns as a lookup table holds them (each may have
    /// expired), in key order: a tuple of `Option`s.
    type Owner: for<'f, 'm> DeserializeRow<'f, 'm>;

    /// The key of the row the claim names, when every column is there.
    fn owner(columns: Self::Owner) -> Option<Self::Key>;

    /// The value of `@unique` field `field` this row holds (`None` for an
    /// optional field without one).
    fn unique_value(&self, field: usize) -> Option<&dyn Value>;

    /// What `patch` does to `@unique` field `field`: `None` when it leaves
    /// it, `Some(None)` when it clears an optional field, `Some(Some(v))`
    /// when it sets `v`.
    fn patch_value(patch: &Self::Patch, field: usize) -> Option<Option<&dyn Value>>;
}

/// One `@unique` field: its name and the statements of its lookup table,
/// each the text after the keyspace's name.
#[derive(Clone, Copy, Debug)]
pub struct UniqueField {
    /// The field's name in the schema (for [`Error::Unique`](crate::Error::Unique)).
    pub name: &'static str,
    /// After `INSERT INTO <keyspace>`: claims a value for a row
    /// (`… (value, key…, corm_claim) VALUES (?, …) IF NOT EXISTS USING TTL ?`).
    pub claim: &'static str,
    /// After `UPDATE <keyspace>`: renews the row's own claim with a new
    /// token (`… USING TTL ? SET key… = ?, corm_claim = ? WHERE [tenant = ?
    /// AND] value = ? IF corm_claim = ?`, the tenant id not among the `SET`).
    pub keep: &'static str,
    /// After `DELETE FROM <keyspace>`: gives a claim back if it still has
    /// a token (`… WHERE [tenant = ? AND] value = ? IF corm_claim = ?`).
    pub release: &'static str,
    /// A claim as it is held, around the keyspace: `SELECT corm_claim,
    /// writetime(…), toUnixTimestamp(now()), key… FROM ` and `… WHERE
    /// [tenant = ? AND] value = ?`.
    pub find: (&'static str, &'static str),
}

/// A `@unique` value, borrowed from a row or a patch: bound to the lookup
/// table's statements, compared with another row's, and shown in a
/// conflict's error. Every field type a schema can declare is one.
pub trait Value: SerializeValue + Debug + Sync {
    /// Whether `other` is the same value (of the same type).
    fn same(&self, other: &dyn Value) -> bool;

    /// The value, to bind.
    fn bound(&self) -> BoundValue<'_>;

    /// The value as [`Any`], for [`same`](Self::same).
    fn as_any(&self) -> &dyn Any;
}

impl<V> Value for V
where
    V: SerializeValue + PartialEq + Debug + Sync + 'static,
{
    fn same(&self, other: &dyn Value) -> bool {
        other
            .as_any()
            .downcast_ref::<V>()
            .is_some_and(|other| self == other)
    }

    fn bound(&self) -> BoundValue<'_> {
        self
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_the_same_only_with_equal_values_of_their_type() {
        let ada = String::from("ada@example.com");
        let same: &dyn Value = &String::from("ada@example.com");
        let other: &dyn Value = &String::from("bob@example.com");
        let number: &dyn Value = &42_i32;
        assert!(ada.same(same));
        assert!(!ada.same(other));
        assert!(!ada.same(number));
        assert!(42_i32.same(number));
        assert!(!42_i64.same(number));
        assert_eq!(format!("{:?}", same), "\"ada@example.com\"");
    }
}
