//! Relations as fields of their model's object, loaded without N+1
//! queries: each field asks async-graphql's `DataLoader` for its parent's
//! rows, which gathers the parents of one round of resolution and hands
//! them together to the generated batched loader (`<relation>_of`: one
//! `IN` read per 100 distinct keys, at most 8 at once).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::dataloader::Loader;
use async_graphql::dynamic::{FieldValue, TypeRef};

use super::model::{Model, Write};

/// A relation of a model: implemented by generated code, over the
/// generated batched loader.
pub trait Relation: Send + Sync + 'static {
    /// The model that declares the relation.
    type Parent: Model;
    /// What one parent loads: `Vec<T>` (`has_many`) or `Option<T>`.
    type Loaded: Related;
    /// The field's name on the parent's object (the relation's name).
    const FIELD: &'static str;
    /// What the field is, for the schema's description.
    const DESCRIPTION: &'static str;

    /// What each of `parents` loads, in their order (the generated
    /// `<relation>_of`).
    fn load(
        db: &<Self::Parent as Model>::Db,
        parents: Vec<Self::Parent>,
    ) -> Write<'_, Vec<Self::Loaded>>;
}

/// What a relation loads for one parent, as a GraphQL field's value.
pub trait Related: Clone + Send + Sync + 'static {
    /// The field's type: `[Target!]!` or `Target`.
    fn type_ref() -> TypeRef;

    /// The field's value.
    fn into_field(self) -> Option<FieldValue<'static>>;
}

impl<T: Model> Related for Vec<T> {
    fn type_ref() -> TypeRef {
        TypeRef::named_nn_list_nn(T::NAME)
    }

    fn into_field(self) -> Option<FieldValue<'static>> {
        Some(FieldValue::list(
            self.into_iter().map(FieldValue::owned_any),
        ))
    }
}

impl<T: Model> Related for Option<T> {
    fn type_ref() -> TypeRef {
        TypeRef::named(T::NAME)
    }

    fn into_field(self) -> Option<FieldValue<'static>> {
        self.map(FieldValue::owned_any)
    }
}

/// A parent waiting for its relation: equal only to itself (a fresh
/// number each), since the batched loader groups parents by key.
#[derive(Clone)]
pub(crate) struct Waiting<P> {
    number: u64,
    parent: Arc<P>,
}

impl<P> PartialEq for Waiting<P> {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
    }
}

impl<P> Eq for Waiting<P> {}

impl<P> Hash for Waiting<P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.number.hash(state);
    }
}

/// The `DataLoader` loader of relation `R`.
pub(crate) struct RelationLoader<R: Relation> {
    db: <R::Parent as Model>::Db,
    numbers: AtomicU64,
    relation: PhantomData<fn() -> R>,
}

impl<R: Relation> RelationLoader<R> {
    pub(crate) fn new(db: <R::Parent as Model>::Db) -> Self {
        Self {
            db,
            numbers: AtomicU64::new(0),
            relation: PhantomData,
        }
    }

    /// `parent`, waiting under a number of its own.
    pub(crate) fn waiting(&self, parent: &R::Parent) -> Waiting<R::Parent> {
        Waiting {
            number: self.numbers.fetch_add(1, Ordering::Relaxed),
            parent: Arc::new(parent.clone()),
        }
    }
}

impl<R: Relation> Loader<Waiting<R::Parent>> for RelationLoader<R> {
    type Value = R::Loaded;
    type Error = Arc<crate::Error>;

    async fn load(
        &self,
        keys: &[Waiting<R::Parent>],
    ) -> Result<HashMap<Waiting<R::Parent>, R::Loaded>, Arc<crate::Error>> {
        let parents = keys
            .iter()
            .map(|waiting| (*waiting.parent).clone())
            .collect();
        let loaded = R::load(&self.db, parents).await.map_err(Arc::new)?;
        Ok(keys.iter().cloned().zip(loaded).collect())
    }
}
