//! What generated code states about a model for GraphQL ([`Model`] and the
//! traits of the access paths and writes it has), and the field list
//! ([`ModelFields`]) from which the runtime builds its object, key,
//! insert and patch types.

use std::future::Future;
use std::pin::Pin;

use async_graphql::Value;
use async_graphql::dynamic::TypeRef;

use super::input::InputFields;
use super::types::Types;
use super::value::{GraphqlValue, Refusal};
use crate::{Clustered, Repository, Result, Table, Updatable};

/// A boxed future of a generated write, `Send` as async-graphql needs.
pub type Write<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// The field is in the partition key.
pub const PARTITION: u8 = 1;
/// The field is a clustering column.
pub const CLUSTERING: u8 = 1 << 1;
/// An insert must give the field (no `@default`, not optional).
pub const REQUIRED: u8 = 1 << 2;
/// An update may set the field (it is in the model's patch).
pub const PATCH: u8 = 1 << 3;

/// A model's row type as a GraphQL object: implemented by generated code.
pub trait Model: Table + Clone {
    /// The schema's handle (the generated `Db`), which resolvers read from
    /// the schema's data.
    type Db: Clone + Send + Sync + 'static;
    /// The object type's name (the model's name).
    const NAME: &'static str;
    /// The name of the query field that reads one row (`order`); the
    /// others are named from it (`orderPartition`, `insertOrder`).
    const FIELD: &'static str;
    /// The model's `///` documentation.
    const DESCRIPTION: &'static str;

    /// Declares the fields, in the schema's order.
    fn fields(fields: &mut ModelFields<Self>);

    /// The model's repository in `db`.
    fn repository(db: &Self::Db) -> Repository<'_, Self>;

    /// The primary key from the fields a client sent.
    ///
    /// # Errors
    /// Naming the field that is missing or does not fit.
    fn key(input: &InputFields<'_>) -> std::result::Result<Self::Key, Refusal>;
}

/// A model with clustering columns: its partitions are read as pages.
pub trait Partitioned: Model + Clustered<First: GraphqlValue> {
    /// Whether the table's clustering order of its first clustering column
    /// is descending (the order of a partition read without `descending`).
    const FIRST_DESCENDING: bool;

    /// The partition key from the fields a client sent.
    ///
    /// # Errors
    /// Naming the field that is missing or does not fit.
    fn partition(input: &InputFields<'_>) -> std::result::Result<Self::Partition, Refusal>;
}

/// A model with inserts and deletes (not a counter table).
pub trait Insertable: Model {
    /// The row to insert from a client's input (fields not sent take their
    /// `@default`, or stay unset when optional).
    ///
    /// # Errors
    /// Naming the field that is missing or does not fit.
    fn row(input: &InputFields<'_>) -> std::result::Result<Self, Refusal>;

    /// Writes `row` as the generated repository's `insert` does (its
    /// validation, unique claims and change log included).
    fn insert(db: &Self::Db, row: Self) -> Write<'_, ()>;

    /// Deletes the row at `key` as the generated repository's `delete` does.
    fn delete(db: &Self::Db, key: Self::Key) -> Write<'_, ()>;
}

/// A model with updates.
pub trait Patchable: Model + Updatable {
    /// The patch from a client's input.
    ///
    /// # Errors
    /// Naming the field that does not fit.
    fn patch(input: &InputFields<'_>) -> std::result::Result<Self::Patch, Refusal>;

    /// Applies `patch` at `key` as the generated repository's `update` does.
    fn update(db: &Self::Db, key: Self::Key, patch: Self::Patch) -> Write<'_, ()>;
}

/// What a client sent for a field, read as the field's type and written
/// back: two equal values give equal text, whatever the client's spelling.
pub(crate) type Canonical = fn(&Value) -> std::result::Result<Value, Refusal>;

/// One field of a model.
pub(crate) struct ModelField<T> {
    pub name: &'static str,
    pub description: &'static str,
    pub roles: u8,
    /// `Int!`, `[String!]!`, …: the output type.
    pub output: TypeRef,
    /// The input type (non-null unless the Rust type is an `Option`).
    pub input: TypeRef,
    /// The field's value in a row.
    pub value: std::sync::Arc<dyn Fn(&T) -> Value + Send + Sync>,
    /// The field's canonical value of a client's input.
    pub canonical: Canonical,
}

/// The fields of a model, declared by its generated `Model::fields`.
pub struct ModelFields<T> {
    pub(crate) fields: Vec<ModelField<T>>,
    pub(crate) types: Types,
}

impl<T> std::fmt::Debug for ModelFields<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.fields.iter().map(|field| field.name))
            .finish()
    }
}

impl<T: 'static> ModelFields<T> {
    pub(crate) fn new(types: Types) -> Self {
        Self {
            fields: Vec::new(),
            types,
        }
    }

    /// Declares the field `name` (its GraphQL name) whose value in a row is
    /// `get`'s, in the `roles` given ([`PARTITION`], [`CLUSTERING`],
    /// [`REQUIRED`], [`PATCH`]).
    pub fn field<F: GraphqlValue>(
        &mut self,
        name: &'static str,
        description: &'static str,
        roles: u8,
        get: fn(&T) -> &F,
    ) -> &mut Self {
        F::register(&mut self.types);
        self.fields.push(ModelField {
            name,
            description,
            roles,
            output: F::type_ref(false),
            input: F::type_ref(true),
            value: std::sync::Arc::new(move |row| get(row).to_value()),
            canonical: |value| F::from_value(value).map(|read| read.to_value()),
        });
        self
    }
}

/// The nullable form of `ty`.
pub(crate) fn nullable(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::NonNull(inner) => (**inner).clone(),
        other => other.clone(),
    }
}
