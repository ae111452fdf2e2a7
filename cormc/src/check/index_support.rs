//! What a storage-attached index (SAI, Cassandra 5) can serve.
//!
//! An `index (col)` is created `using 'sai'`; on a non-frozen collection it
//! indexes the values (`values(col)`), on a frozen collection the whole
//! value (`full(col)`). SAI then serves (Cassandra's `IndexTermType::supports`):
//! - `=` on every indexed type;
//! - `<`, `<=`, `>`, `>=` only on types it keeps in order: not on text
//!   (`ascii`, `text`, `varchar`, enums), `boolean`, `uuid`, or frozen
//!   values (tuples, UDTs, frozen collections);
//! - `contains` on a non-frozen collection (its values); `contains key` on
//!   a map only through an `index (keys(m))`, and `m[?k] = ?v` only through
//!   an `index (entries(m))`;
//! - never `in`.
//!
//! A condition an index does not serve is filtered, so it needs
//! `allow filtering` like an unindexed one.

use crate::ir::{self, Operator, Scalar, Type};

/// Why an existing index can't serve a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unsupported {
    /// What the index can't do, for the message.
    pub reason: String,
    /// How to rewrite the condition, for the help line.
    pub fix: String,
}

/// Whether `model` has an `index` on `field`.
pub(super) fn is_indexed(model: &ir::Model, field: &str) -> bool {
    model.indexes.iter().any(|index| index.field == field)
}

/// Whether an index of `model` on `field` serves `op` (on a map entry when
/// `entry`): `None` without an index on `field`, else `Ok` when one of its
/// indexes serves it, or why the first one does not.
pub(super) fn served_by_index(
    model: &ir::Model,
    field: &str,
    op: Operator,
    entry: bool,
) -> Option<Result<(), Unsupported>> {
    let declared = model.field(field)?;
    let mut first_refusal = None;
    for index in model.indexes.iter().filter(|index| index.field == field) {
        let outcome = match (index.on, entry) {
            (ir::IndexOn::Entries, true) if op == Operator::Eq => Ok(()),
            (_, true) => Err(Unsupported {
                reason: format!("only an `entries({field})` index serves `{field}[…] = …`"),
                fix: format!("add `index (entries({field}))`"),
            }),
            (ir::IndexOn::Keys, false) if op == Operator::ContainsKey => Ok(()),
            (ir::IndexOn::Keys, false) => Err(Unsupported {
                reason: format!(
                    "the `keys({field})` index serves only `contains key`, not `{}`",
                    op.as_str()
                ),
                fix: format!("use `{field} contains key ?k`, or add `index ({field})`"),
            }),
            (ir::IndexOn::Entries, false) => Err(Unsupported {
                reason: format!(
                    "the `entries({field})` index serves only `{field}[?key] = ?value`, not `{}`",
                    op.as_str()
                ),
                fix: format!("compare one entry: `{field}[?key] = ?value`"),
            }),
            (ir::IndexOn::Value, false) => serves(field, &declared.ty, op),
        };
        match outcome {
            Ok(()) => return Some(Ok(())),
            Err(refusal) => {
                first_refusal.get_or_insert(refusal);
            }
        }
    }
    first_refusal.map(Err)
}

/// Whether `model` has a `vector_index` on `field`.
pub(super) fn is_vector_indexed(model: &ir::Model, field: &str) -> bool {
    model
        .vector_indexes
        .iter()
        .any(|index| index.field == field)
}

/// Whether the index on `field` (of type `ty`) serves `op`; `Err` explains
/// why not. Call only for indexed fields.
pub(super) fn serves(field: &str, ty: &Type, op: Operator) -> Result<(), Unsupported> {
    let unsupported = |reason: String, fix: String| Err(Unsupported { reason, fix });
    if op == Operator::In {
        return unsupported(
            format!(
                "the index on `{field}` can't serve `in` (storage-attached indexes take no `in`)"
            ),
            format!("compare `{field}` with `=` (one query per value)"),
        );
    }
    match ty {
        Type::List(_) | Type::Set(_) | Type::Map(..) => match op {
            Operator::Contains => Ok(()),
            Operator::ContainsKey => unsupported(
                format!(
                    "the index on `{field}` holds the map's values, so it can't serve `contains key`"
                ),
                format!(
                    "add `index (keys({field}))`, or use `contains` on the values of `{field}`"
                ),
            ),
            Operator::Eq
            | Operator::In
            | Operator::Lt
            | Operator::Le
            | Operator::Gt
            | Operator::Ge => unsupported(
                format!(
                    "the index on `{field}` serves only `contains`, not `{}`",
                    op.as_str()
                ),
                format!("use `contains` on `{field}`"),
            ),
        },
        Type::Frozen(inner) if matches!(**inner, Type::List(_) | Type::Set(_) | Type::Map(..)) => {
            match op {
                Operator::Eq => Ok(()),
                Operator::In
                | Operator::Lt
                | Operator::Le
                | Operator::Gt
                | Operator::Ge
                | Operator::Contains
                | Operator::ContainsKey => unsupported(
                    format!(
                        "the index on the frozen collection `{field}` compares whole values, so it can't serve `{}`",
                        op.as_str()
                    ),
                    format!("compare `{field}` with `=`"),
                ),
            }
        }
        Type::Scalar(_)
        | Type::Tuple(_)
        | Type::Frozen(_)
        | Type::Vector(_)
        | Type::Udt(_)
        | Type::Enum(_) => {
            if op.is_range() && !keeps_order(ty) {
                unsupported(
                    format!(
                        "the index on `{field}` can't serve `{}`: storage-attached indexes compare `{ty}` values only with `=`",
                        op.as_str()
                    ),
                    format!("compare `{field}` with `=`"),
                )
            } else {
                Ok(())
            }
        }
    }
}

/// Whether SAI keeps values of `ty` in order (serves ranges on them).
fn keeps_order(ty: &Type) -> bool {
    match ty {
        Type::Scalar(scalar) => !matches!(
            scalar,
            Scalar::Ascii | Scalar::Text | Scalar::Varchar | Scalar::Boolean | Scalar::Uuid
        ),
        Type::Enum(_)
        | Type::Tuple(_)
        | Type::Frozen(_)
        | Type::Udt(_)
        | Type::List(_)
        | Type::Set(_)
        | Type::Map(..)
        | Type::Vector(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_only_on_ordered_types() {
        let int = Type::Scalar(Scalar::Int);
        let text = Type::Scalar(Scalar::Text);
        assert!(serves("n", &int, Operator::Gt).is_ok());
        assert!(serves("s", &text, Operator::Eq).is_ok());
        assert!(serves("s", &text, Operator::Gt).is_err());
        assert!(serves("n", &int, Operator::In).is_err());
    }

    #[test]
    fn collections() {
        let set = Type::Set(Box::new(Type::Scalar(Scalar::Text)));
        assert!(serves("tags", &set, Operator::Contains).is_ok());
        let map = Type::Map(
            Box::new(Type::Scalar(Scalar::Text)),
            Box::new(Type::Scalar(Scalar::Int)),
        );
        assert!(serves("m", &map, Operator::ContainsKey).is_err());
        let frozen = Type::Frozen(Box::new(set));
        assert!(serves("f", &frozen, Operator::Eq).is_ok());
        assert!(serves("f", &frozen, Operator::Contains).is_err());
    }
}
