//! Subscriptions to a model's change log (`changes retain …`): the field
//! `<model>Changes` streams each recorded write, typed (the inserted row,
//! the fields an update set, the key of a delete), filtered by key fields,
//! from a position a client can resume after.

use std::sync::Arc;

use async_graphql::Value;
use async_graphql::dynamic::{
    Field, FieldFuture, FieldValue, InputValue, Object, SubscriptionField, SubscriptionFieldFuture,
    TypeRef,
};
use futures::StreamExt;

use super::error::{bad_input, from_corm};
use super::input::InputFields;
use super::model::{CLUSTERING, Canonical, Model, ModelField, PARTITION, PATCH, nullable};
use super::types::Types;
use crate::changes::{Change, ChangeKind, FollowOptions, Logged, Operation, Position};

/// The name of the enum of operations.
pub(crate) const CHANGE_OPERATION: &str = "ChangeOperation";

/// A model whose writes are logged, as GraphQL sees its changes:
/// implemented by generated code for models with `changes retain …`.
pub trait Streamed: Model + Logged {
    /// The key's fields, as an object of GraphQL values.
    fn key_fields(key: &Self::Key) -> Value;

    /// The partition key's fields, as an object of GraphQL values.
    fn partition_fields(partition: &Self::Partition) -> Value;

    /// The fields a patch sets, as an object of GraphQL values (an optional
    /// field cleared is `null`), and their names under `set`.
    fn patch_fields(patch: &Self::Patch) -> Value;
}

/// The fields a patch sets (`None`: not set), as [`Streamed::patch_fields`]
/// returns them.
pub fn patch_value<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    let set: Vec<Value> = fields
        .iter()
        .filter(|(_, value)| value.is_some())
        .map(|(name, _)| Value::String((*name).to_owned()))
        .collect();
    let mut object: async_graphql::indexmap::IndexMap<async_graphql::Name, Value> = fields
        .into_iter()
        .filter_map(|(name, value)| Some((async_graphql::Name::new(name), value?)))
        .collect();
    object.insert(async_graphql::Name::new("set"), Value::List(set));
    Value::Object(object)
}

/// A change as its resolvers read it.
struct Delivered<T: Logged> {
    change: Change<T>,
    key: Value,
}

/// A value-backed field resolver: the parent object's field `name`.
fn value_field(name: &'static str, ty: TypeRef) -> Field {
    Field::new(name, ty, move |ctx| {
        let value = match ctx.parent_value.as_value() {
            Some(Value::Object(fields)) => fields.get(name).cloned(),
            _ => None,
        };
        FieldFuture::from_value(value)
    })
}

/// Registers `ChangeOperation`, and `<T>Change`, `<T>KeyValues` and
/// `<T>PatchValues`; returns the subscription field.
pub(crate) fn subscription<T: Streamed>(
    types: &mut Types,
    fields: &[ModelField<T>],
    follow: FollowOptions,
) -> SubscriptionField {
    types.enumeration(
        CHANGE_OPERATION,
        "What a recorded write did.",
        &[
            "INSERT",
            "UPDATE",
            "UPDATE_PARTITION",
            "DELETE",
            "DELETE_PARTITION",
        ],
    );
    let key_name = format!("{}KeyValues", T::NAME);
    let mut key_object = Object::new(&key_name).description(format!(
        "The key of a `{}` change: a partition's changes have its partition key fields alone.",
        T::NAME
    ));
    let patch_name = format!("{}PatchValues", T::NAME);
    let mut patch_object = Object::new(&patch_name).description(format!(
        "The fields a `{}` update set (`set` names them, so a field cleared to null is told from one left alone).",
        T::NAME
    ));
    patch_object = patch_object.field(value_field(
        "set",
        TypeRef::named_nn_list_nn(TypeRef::STRING),
    ));
    let key_fields: Vec<(&'static str, Canonical)> = fields
        .iter()
        .filter(|field| field.roles & (PARTITION | CLUSTERING) != 0)
        .map(|field| (field.name, field.canonical))
        .collect();
    let row_key: RowKey<T> = Arc::new(
        fields
            .iter()
            .filter(|field| field.roles & (PARTITION | CLUSTERING) != 0)
            .map(|field| (field.name, Arc::clone(&field.value)))
            .collect(),
    );
    for field in fields {
        if field.roles & (PARTITION | CLUSTERING) != 0 {
            key_object = key_object.field(value_field(field.name, nullable(&field.output)));
        } else if field.roles & PATCH != 0 {
            patch_object = patch_object.field(value_field(field.name, nullable(&field.output)));
        }
    }
    types.add(&key_name, key_object);
    types.add(&patch_name, patch_object);
    let change_name = format!("{}Change", T::NAME);
    let change = Object::new(&change_name)
        .description(format!("A recorded write of a `{}`.", T::NAME))
        .field(Field::new(
            "position",
            TypeRef::named_nn(TypeRef::STRING),
            |ctx| {
                FieldFuture::new(async move {
                    let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                    Ok(Some(Value::String(delivered.change.position.to_string())))
                })
            },
        ))
        .field(Field::new(
            "operation",
            TypeRef::named_nn(CHANGE_OPERATION),
            |ctx| {
                FieldFuture::new(async move {
                    let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                    let name = match delivered.change.operation() {
                        Operation::Insert => "INSERT",
                        Operation::Update => "UPDATE",
                        Operation::UpdatePartition => "UPDATE_PARTITION",
                        Operation::Delete => "DELETE",
                        Operation::DeletePartition => "DELETE_PARTITION",
                    };
                    Ok(Some(Value::Enum(async_graphql::Name::new(name))))
                })
            },
        ))
        .field(Field::new(
            "writer",
            TypeRef::named_nn(TypeRef::STRING),
            |ctx| {
                FieldFuture::new(async move {
                    let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                    Ok(Some(Value::String(delivered.change.writer.clone())))
                })
            },
        ))
        .field(Field::new(
            "late",
            TypeRef::named_nn(TypeRef::BOOLEAN),
            |ctx| {
                FieldFuture::new(async move {
                    let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                    Ok(Some(Value::Boolean(delivered.change.late)))
                })
            },
        ))
        .field(Field::new("key", TypeRef::named_nn(&key_name), |ctx| {
            FieldFuture::new(async move {
                let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                Ok(Some(FieldValue::value(delivered.key.clone())))
            })
        }))
        .field(Field::new("row", TypeRef::named(T::NAME), |ctx| {
            FieldFuture::new(async move {
                let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                Ok(match &delivered.change.kind {
                    ChangeKind::Inserted(row) => Some(FieldValue::borrowed_any(row)),
                    _ => None,
                })
            })
        }))
        .field(Field::new("patch", TypeRef::named(&patch_name), |ctx| {
            FieldFuture::new(async move {
                let delivered = ctx.parent_value.try_downcast_ref::<Delivered<T>>()?;
                Ok(match &delivered.change.kind {
                    ChangeKind::Updated { patch, .. }
                    | ChangeKind::PartitionUpdated { patch, .. } => {
                        Some(FieldValue::value(T::patch_fields(patch)))
                    }
                    _ => None,
                })
            })
        }));
    types.add(&change_name, change);
    let name = format!("{}Changes", T::FIELD);
    let mut field = SubscriptionField::new(name, TypeRef::named_nn(&change_name), move |ctx| {
        let key_fields = key_fields.clone();
        let row_key = Arc::clone(&row_key);
        SubscriptionFieldFuture::new(async move {
            let db = ctx.data::<T::Db>()?;
            let args = InputFields::new(ctx.args.as_index_map());
            let mut wanted = Vec::new();
            for (name, canonical) in &key_fields {
                let given = args.raw(name);
                if *given != Value::Null {
                    let value = canonical(given).map_err(|why| bad_input(name, &why))?;
                    wanted.push((*name, value));
                }
            }
            let after = match args.raw("after") {
                Value::String(text) => text
                    .parse::<Position>()
                    .map_err(|error| bad_input("after", &error.to_string()))?,
                Value::Null => Position::now(),
                _ => return Err(bad_input("after", "expected a position, as a string")),
            };
            let stream = T::repository(db)
                .changes_with(after, follow)
                .filter_map(move |change| {
                    let outcome = match change {
                        Err(error) => Some(Err(from_corm(&error))),
                        Ok(change) => {
                            let key = key_of(&change, &row_key);
                            matches(&key, &wanted)
                                .then(|| Ok(FieldValue::owned_any(Delivered { change, key })))
                        }
                    };
                    std::future::ready(outcome)
                });
            Ok(stream)
        })
    })
    .description(format!(
        "The `{}` changes recorded after `after` (a change's `position`; now when left out), in log order, those of the key fields given only.",
        T::NAME
    ));
    for model_field in fields
        .iter()
        .filter(|field| field.roles & (PARTITION | CLUSTERING) != 0)
    {
        field = field.argument(InputValue::new(
            model_field.name,
            nullable(&model_field.input),
        ));
    }
    field.argument(InputValue::new("after", TypeRef::named(TypeRef::STRING)))
}

/// The key fields of a row: their names and how to read them.
type RowKey<T> = Arc<Vec<(&'static str, Arc<dyn Fn(&T) -> Value + Send + Sync>)>>;

/// The key fields of `change`'s row or partition.
fn key_of<T: Streamed>(change: &Change<T>, row_key: &RowKey<T>) -> Value {
    match &change.kind {
        ChangeKind::Inserted(row) => Value::Object(
            row_key
                .iter()
                .map(|(name, value)| (async_graphql::Name::new(*name), value(row)))
                .collect(),
        ),
        ChangeKind::Updated { key, .. } | ChangeKind::Deleted(key) => T::key_fields(key),
        ChangeKind::PartitionUpdated { partition, .. }
        | ChangeKind::PartitionDeleted(partition) => T::partition_fields(partition),
    }
}

/// Whether `key` has the `wanted` values (a field it lacks, as a
/// partition's change lacks clustering fields, matches any).
fn matches(key: &Value, wanted: &[(&str, Value)]) -> bool {
    let Value::Object(fields) = key else {
        return wanted.is_empty();
    };
    wanted.iter().all(|(name, value)| match fields.get(*name) {
        None | Some(Value::Null) => true,
        Some(present) => present == value,
    })
}
