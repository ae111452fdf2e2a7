//! The names and limits of the generated code that a schema's names must not
//! take or exceed: the `Db`'s methods, every repository's methods, the
//! methods of a `@unique` field, the types generated beside a model. The generator refuses a clash, and the
//! checker reports it first (E1204, E1205) from these same lists.

/// The methods of the generated `Db`, which repository accessors (a model's
/// name in `snake_case`) must not take.
pub const DB_METHODS: &[&str] = &[
    "new",
    "with_schema_keyspace",
    "setup",
    "migrate",
    "session",
    "health",
    "keyspace",
    "clone",
    "batch_logged",
    "batch_unlogged",
    "with_caches",
    "tenants",
    "for_tenant",
];

/// The methods every generated repository (or a tenant's handle of it)
/// may have, which named queries, aggregates and relation loaders must not
/// take.
pub const REPOSITORY_METHODS: &[&str] = &[
    "insert",
    "insert_if_not_exists",
    "get",
    "delete",
    "update",
    "delete_partition",
    "partition",
    "partition_range",
    "partition_slice",
    "scan",
    "scan_parallel",
    "insert_many",
    "insert_many_with",
    "insert_stream",
    "insert_stream_with",
    "add",
    "with",
    "options",
    "session",
    "statements",
    "stream",
    "write_row",
    "write_row_if_not_exists",
    "delete_row",
    "delete_partition_rows",
    "add_counters",
    "insert_claiming",
    "insert_if_not_exists_claiming",
    "update_claiming",
    "delete_claiming",
    "delete_partition_claiming",
    "find_unique",
    "clone",
    "tenant_row",
    "tenant_key",
];

/// The methods a `@unique` field (its Rust name without `r#`) adds to its
/// repository.
#[must_use]
pub fn unique_field_methods(field: &str) -> [String; 1] {
    [format!("find_by_{field}")]
}

/// The types generated beside each model's row type, by suffix
/// (`OrderKey`, `OrderPatch`, …).
pub const MODEL_TYPE_SUFFIXES: &[&str] = &[
    "Key",
    "Partition",
    "Clustering",
    "Patch",
    "Repository",
    "Statements",
    "InTenant",
    "ScopedKey",
    "ScopedPartition",
    "OfTenant",
];

/// The types generated beside each time series' point type, by suffix
/// (`CpuSeries`, `CpuRollup`; with a tenant id, `CpuInTenant` and
/// `CpuScopedSeries`).
pub const SERIES_TYPE_SUFFIXES: &[&str] = &["Series", "Rollup", "InTenant", "ScopedSeries"];

/// The types generated beside each event store, by suffix (`AccountEvent`,
/// `AccountStream`; the payload structs live in the store's module).
pub const STORE_TYPE_SUFFIXES: &[&str] = &["Event", "Stream"];

/// The types generated beside a saga `S` (`SInput`, …; a step `x` that
/// returns also has `SXOutput`).
pub const SAGA_TYPE_SUFFIXES: &[&str] = &["Input", "Outputs", "Context", "Steps", "Saga"];

/// The most values a driver tuple binds or reads.
pub const MAX_TUPLE: usize = 16;

/// The most columns an update's bit mask covers.
pub const MAX_UPDATE_COLUMNS: usize = 63;

/// The generated modules beside the models' own (a model's module is its
/// name in snake_case), which a model's name must not take.
pub const RESERVED_MODULES: &[&str] = &[
    "db",
    "types",
    "queries",
    "relations",
    "migrations",
    "graphql",
];
