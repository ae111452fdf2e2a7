//! An event store with a tenant id (`events Ledger { shop: text @tenant
//! id: uuid … }`): a handle bound to one tenant whose stream ids have no
//! tenant id.

use std::sync::Arc;

use futures::Stream;

use crate::events::{Aggregate, EventStore, EventStream, ExecuteError, Loaded, Recorded, Upcaster};
use crate::{Options, Result};

/// An event store whose stream id is the pair (tenant id, id), so that
/// each stream belongs to one tenant. Implemented by generated code.
pub trait TenantStream: EventStream {
    /// The tenant id's type.
    type Tenant: Clone + Send + Sync + 'static;
    /// The stream id within a tenant (the `id` field's type).
    type ScopedId: Send + Sync;

    /// The stream id of `tenant`'s stream `id`.
    fn id_with_tenant(tenant: &Self::Tenant, id: &Self::ScopedId) -> Self::Id;
}

/// The streams of one tenant of the event store `S` (from the generated
/// `db.tenant(id).<store>()`): every call binds the tenant id, and the
/// stream ids it takes have none. Projections, which follow every
/// tenant's appends, are on the admin handle.
pub struct ScopedEvents<'a, S: TenantStream> {
    store: EventStore<'a, S>,
    tenant: S::Tenant,
}

impl<S: TenantStream> Clone for ScopedEvents<'_, S> {
    fn clone(&self) -> Self {
        Self {
            store: self.store,
            tenant: self.tenant.clone(),
        }
    }
}

impl<S: TenantStream> std::fmt::Debug for ScopedEvents<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedEvents")
            .field("store", &S::SPEC.name)
            .finish_non_exhaustive()
    }
}

impl<'a, S: TenantStream> ScopedEvents<'a, S> {
    /// `store`'s streams of `tenant`.
    #[doc(hidden)]
    pub fn new(store: EventStore<'a, S>, tenant: S::Tenant) -> Self {
        Self { store, tenant }
    }

    /// This handle with `options` for every call.
    #[must_use]
    pub fn with(self, options: Options) -> Self {
        Self {
            store: self.store.with(options),
            ..self
        }
    }

    /// This handle reading renamed or removed events through `upcaster`.
    #[must_use]
    pub fn with_upcaster(self, upcaster: Upcaster) -> Self {
        Self {
            store: self.store.with_upcaster(upcaster),
            ..self
        }
    }

    /// This handle trying a command `attempts` times.
    #[must_use]
    pub fn with_attempts(self, attempts: u32) -> Self {
        Self {
            store: self.store.with_attempts(attempts),
            ..self
        }
    }

    /// The tenant.
    pub fn tenant(&self) -> &S::Tenant {
        &self.tenant
    }

    /// The tenant's stream id of `id`.
    fn id(&self, id: &S::ScopedId) -> S::Id {
        S::id_with_tenant(&self.tenant, id)
    }

    /// The version of the tenant's stream `id` (0: no events).
    ///
    /// # Errors
    /// As [`EventStore::version`].
    pub async fn version(&self, id: &S::ScopedId) -> Result<u64> {
        self.store.version(&self.id(id)).await
    }

    /// Appends `events` to the tenant's stream `id` at version `expected`.
    ///
    /// # Errors
    /// As [`EventStore::append`]: [`Error::Conflict`](crate::Error::Conflict)
    /// when another writer appended first.
    pub async fn append(
        &self,
        id: &S::ScopedId,
        expected: u64,
        events: &[S::Event],
    ) -> Result<u64> {
        self.store.append(&self.id(id), expected, events).await
    }

    /// Appends `events` to the tenant's stream `id` at whatever version it
    /// has.
    ///
    /// # Errors
    /// As [`EventStore::append_any`].
    pub async fn append_any(&self, id: &S::ScopedId, events: &[S::Event]) -> Result<u64> {
        self.store.append_any(&self.id(id), events).await
    }

    /// The events of the tenant's stream `id` from version `from` on.
    ///
    /// # Errors
    /// As [`EventStore::load`].
    pub async fn load(
        &self,
        id: &S::ScopedId,
        from: u64,
    ) -> Result<impl Stream<Item = Result<Recorded<S::Event>>> + Send + 'a>
    where
        S::Id: 'a,
    {
        self.store.load_of(Arc::new(self.id(id)), from).await
    }

    /// The state of the tenant's stream `id`.
    ///
    /// # Errors
    /// As [`EventStore::load_aggregate`].
    pub async fn load_aggregate<A: Aggregate<Event = S::Event>>(
        &self,
        id: &S::ScopedId,
    ) -> Result<Loaded<A>> {
        let id = self.id(id);
        let store = self.store;
        store.load_aggregate::<A>(&id).await
    }

    /// Runs a command on the tenant's stream `id`.
    ///
    /// # Errors
    /// As [`EventStore::execute`].
    pub async fn execute<A, E>(
        &self,
        id: &S::ScopedId,
        decide: impl FnMut(&A) -> std::result::Result<Vec<S::Event>, E>,
    ) -> std::result::Result<u64, ExecuteError<E>>
    where
        A: Aggregate<Event = S::Event>,
    {
        let id = self.id(id);
        let store = self.store;
        store.execute::<A, E>(&id, decide).await
    }
}
