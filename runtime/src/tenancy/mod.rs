//! Tenancy, two ways: a keyspace per tenant (`tenancy per_keyspace` in the
//! schema's `keyspace` item: [`Tenants`]) and a tenant column (`@tenant` on
//! a model's first field, leading its partition key: [`Scoped`], from the
//! generated `db.tenant(id)`).
//!
//! ## A keyspace per tenant
//!
//! Every tenant's tables live in a keyspace of its own,
//! `<registry keyspace>_<tenant>`, made with the schema's replication and
//! built by the schema's migrations; a `Db` for a tenant
//! (`Db::for_tenant`) binds that keyspace in the text of every statement,
//! so nothing it runs (rows, `@unique` lookups, named queries, aggregates,
//! time series, event stores, change logs, sagas, caches) can reach
//! another tenant's data. The registry ([`Tenants`]) is a table,
//! `corm_tenants`, in the registry keyspace (the schema's): it provisions
//! a tenant, migrates every tenant (resuming where a failure or a crash
//! stopped it), lists them and drops one when asked explicitly.
//!
//! Why not a table prefix per tenant: Cassandra keeps per-table memory
//! (memtables, bloom filters, metadata) on every node and warns past 150
//! tables (`table_count_warn_threshold`); a hundred tenants of a
//! twenty-table schema would be 2,000 tables. A keyspace per tenant has
//! the same per-table cost, so it suits tens to a few hundred tenants with
//! real isolation (their own replication, backups and drops); many small
//! tenants belong in one table with a tenant column leading the key.
//!
//! ## A tenant column
//!
//! A model whose first field is marked `@tenant` (and leads the partition
//! key) has, besides its row and key types, `<Model>InTenant`,
//! `<Model>ScopedKey` and `<Model>ScopedPartition`: the same without the
//! tenant id. `db.tenant(id).<model>()` is a [`Scoped`] handle whose
//! methods take and give those types and bind `id` themselves, so code
//! given a tenant's handle has no way to write another tenant's id. The
//! unscoped `db.<model>()` stays the explicit cross-tenant (admin) handle.

mod events;
mod registry;
mod scoped;
mod series;
mod tenant_id;

pub use events::{ScopedEvents, TenantStream};
pub use registry::{
    DropTenant, MigrateAllReport, TenancySpec, TenantInfo, TenantProgress, TenantState, Tenants,
};
pub use scoped::{Scoped, TenantScoped};
pub use series::{ScopedSeries, TenantPoint};
pub use tenant_id::{InvalidTenantId, TenantId};
