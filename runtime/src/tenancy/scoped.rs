//! Tenant-column tenancy (`@tenant` on a model's first field): a handle
//! bound to one tenant whose key and row types have no tenant id.

use futures::{Stream, TryStreamExt};

use crate::table::{Clustered, DirectWrites, Repository, Table, Updatable};
use crate::{Options, Result};

/// A model whose rows belong to tenants: its first field, leading the
/// partition key, is the tenant id (`@tenant`). Implemented by generated
/// code.
pub trait TenantScoped: Table {
    /// The tenant id's type.
    type Tenant: Clone + Send + Sync + 'static;
    /// A row without its tenant id.
    type Row: Clone + Send + Sync + 'static;
    /// The primary key without the tenant id.
    type ScopedKey: Send + Sync;
    /// The partition key without the tenant id.
    type ScopedPartition: Send + Sync;

    /// The row of `tenant` with `row`'s fields.
    fn with_tenant(tenant: Self::Tenant, row: Self::Row) -> Self;

    /// The row without its tenant id.
    fn without_tenant(self) -> Self::Row;

    /// The key of `tenant`'s row at `key`.
    fn key_with_tenant(tenant: &Self::Tenant, key: &Self::ScopedKey) -> Self::Key;

    /// The key of `tenant`'s partition at `partition`.
    fn partition_with_tenant(
        tenant: &Self::Tenant,
        partition: &Self::ScopedPartition,
    ) -> Self::Partition;

    /// The tenant of the row at `key`.
    fn tenant_of_key(key: &Self::Key) -> &Self::Tenant;

    /// The tenant of the partition `partition`.
    fn tenant_of_partition(partition: &Self::Partition) -> &Self::Tenant;
}

/// The rows of one tenant of model `T` (from the generated
/// `db.tenant(id).<model>()`): every call binds the tenant id, and the
/// keys it takes and rows it gives have none, so code holding it can't
/// name another tenant's rows. The writes are the model's own (validation,
/// change log, caches), with the tenant id filled.
pub struct Scoped<'a, T: TenantScoped> {
    repository: Repository<'a, T>,
    tenant: T::Tenant,
}

impl<T: TenantScoped> Clone for Scoped<'_, T> {
    fn clone(&self) -> Self {
        Self {
            repository: self.repository,
            tenant: self.tenant.clone(),
        }
    }
}

impl<T: TenantScoped> std::fmt::Debug for Scoped<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scoped")
            .field("repository", &self.repository)
            .finish_non_exhaustive()
    }
}

impl<'a, T: TenantScoped> Scoped<'a, T> {
    /// `repository`'s rows of `tenant`.
    #[doc(hidden)]
    pub fn new(repository: Repository<'a, T>, tenant: T::Tenant) -> Self {
        Self { repository, tenant }
    }

    /// This handle with `options` for every call.
    #[must_use]
    pub fn with(self, options: Options) -> Self {
        Self {
            repository: self.repository.with(options),
            tenant: self.tenant,
        }
    }

    /// The tenant's row at `key`, or `None`.
    ///
    /// # Errors
    /// As [`Repository::get`].
    pub async fn get(&self, key: &T::ScopedKey) -> Result<Option<T::Row>> {
        let key = T::key_with_tenant(&self.tenant, key);
        Ok(self.repository.get(&key).await?.map(T::without_tenant))
    }
}

impl<T: TenantScoped + DirectWrites> Scoped<'_, T> {
    /// Writes `row` for the tenant (every column): an upsert.
    ///
    /// # Errors
    /// As [`Repository::insert`].
    pub async fn insert(&self, row: &T::Row) -> Result<()> {
        let row = T::with_tenant(self.tenant.clone(), row.clone());
        self.repository.insert(&row).await
    }

    /// Writes `row` for the tenant if no row has its key; whether it did.
    ///
    /// # Errors
    /// As [`Repository::insert_if_not_exists`].
    pub async fn insert_if_not_exists(&self, row: &T::Row) -> Result<bool> {
        let row = T::with_tenant(self.tenant.clone(), row.clone());
        self.repository.insert_if_not_exists(&row).await
    }

    /// Deletes the tenant's row at `key`.
    ///
    /// # Errors
    /// As [`Repository::delete`].
    pub async fn delete(&self, key: &T::ScopedKey) -> Result<()> {
        let key = T::key_with_tenant(&self.tenant, key);
        self.repository.delete(&key).await
    }
}

impl<T: TenantScoped + Updatable + DirectWrites> Scoped<'_, T> {
    /// Writes the set fields of `patch` to the tenant's row at `key`.
    ///
    /// # Errors
    /// As [`Repository::update`].
    pub async fn update(&self, key: &T::ScopedKey, patch: &T::Patch) -> Result<()> {
        let key = T::key_with_tenant(&self.tenant, key);
        self.repository.update(&key, patch).await
    }
}

impl<'a, T: TenantScoped + Clustered> Scoped<'a, T> {
    /// The rows of the tenant's partition `partition`, in clustering
    /// order, a page at a time.
    ///
    /// # Errors
    /// As [`Repository::partition`]; later failures are items.
    pub async fn partition(
        &self,
        partition: &T::ScopedPartition,
    ) -> Result<impl Stream<Item = Result<T::Row>> + Send + use<'a, T>> {
        let partition = T::partition_with_tenant(&self.tenant, partition);
        let rows = self.repository.partition(&partition).await?;
        Ok(rows.map_ok(T::without_tenant))
    }
}

impl<T: TenantScoped + Clustered + DirectWrites> Scoped<'_, T> {
    /// Deletes every row of the tenant's partition `partition`.
    ///
    /// # Errors
    /// As [`Repository::delete_partition`].
    pub async fn delete_partition(&self, partition: &T::ScopedPartition) -> Result<()> {
        let partition = T::partition_with_tenant(&self.tenant, partition);
        self.repository.delete_partition(&partition).await
    }
}

impl<'a, T> Scoped<'a, T>
where
    T: TenantScoped + crate::changes::Logged,
    T::Tenant: PartialEq,
{
    /// The tenant's changes in the model's change log after `after`, in
    /// position order (the log holds every tenant's; the others' are
    /// skipped): see [`Repository::changes_with`].
    ///
    /// # Errors
    /// As [`Repository::changes`].
    pub fn changes(
        &self,
        after: crate::changes::Position,
        options: crate::changes::FollowOptions,
    ) -> impl Stream<Item = Result<crate::changes::Change<T>>> + Send + use<'a, T> {
        use crate::changes::ChangeKind;
        let tenant = self.tenant.clone();
        self.repository
            .changes_with(after, options)
            .try_filter(move |change| {
                let of = match &change.kind {
                    ChangeKind::Inserted(row) => T::tenant_of_key(&row.primary_key()) == &tenant,
                    ChangeKind::Updated { key, .. } | ChangeKind::Deleted(key) => {
                        T::tenant_of_key(key) == &tenant
                    }
                    ChangeKind::PartitionUpdated { partition, .. }
                    | ChangeKind::PartitionDeleted(partition) => {
                        T::tenant_of_partition(partition) == &tenant
                    }
                };
                std::future::ready(of)
            })
    }
}
