//! The statements of one table, with the keyspace in their text: built
//! once when the generated `Db` is created, prepared on first use.

use super::TableSpec;
use crate::Statement;
use crate::changes::ChangeStatements;
use crate::rt::{StatementCache, update_text};

/// The statement cache key bit of an update with `USING TTL ? AND
/// TIMESTAMP ?`; the lower bits are its set of columns.
pub(crate) const UPDATE_USING: u64 = 1 << 63;

/// The statements of one table in one keyspace.
///
/// The fixed ones are built (as text) with it; those whose text depends on
/// the call (an update's columns, a range's bounds, named queries,
/// relation loaders) are built on first use of each shape, in caches.
#[derive(Debug)]
pub struct TableStatements {
    spec: &'static TableSpec,
    /// The keyspace, quoted.
    keyspace: String,
    /// The keyspace, as stored.
    keyspace_name: String,
    /// The table, qualified with the keyspace.
    table: String,
    pub(crate) insert: Statement,
    pub(crate) insert_using: Statement,
    pub(crate) insert_if_not_exists: Statement,
    pub(crate) insert_if_not_exists_using: Statement,
    pub(crate) get: Statement,
    pub(crate) delete: Statement,
    pub(crate) delete_partition: Statement,
    pub(crate) partition: Statement,
    pub(crate) scan: Statement,
    pub(crate) add: Statement,
    pub(crate) update: StatementCache,
    pub(crate) range: StatementCache,
    extra: StatementCache,
    /// The statements of the `@unique` lookup tables, four per field,
    /// built on the first claim or lookup (the table's spec does not list
    /// them; the model's `corm::unique::Unique` impl does).
    lookups: std::sync::OnceLock<Box<[Statement]>>,
    /// The change log's statements, for a model with `changes`.
    changes: Option<ChangeStatements>,
    /// The caches of its rows and named queries, when it has any.
    #[cfg(feature = "cache")]
    caching: Option<Box<crate::cache::Caching>>,
    /// The metrics of the table's operations.
    /// The span attributes and meters of the table's operations.
    pub(crate) instruments: crate::instruments::Instruments,
}

impl TableStatements {
    /// The statements of `spec`'s table in `keyspace` (its name as stored:
    /// it is quoted in the CQL, so case matters), with the caches its
    /// schema declares. Nothing is sent.
    pub fn new(keyspace: &str, spec: &'static TableSpec) -> Self {
        Self::with_caches(keyspace, spec, &crate::cache::CacheSettings::new())
    }

    /// [`new`](Self::new), with the caches `caches` says (over the
    /// schema's `cache` clauses).
    #[cfg_attr(not(feature = "cache"), allow(unused_variables))]
    pub fn with_caches(
        keyspace: &str,
        spec: &'static TableSpec,
        caches: &crate::cache::CacheSettings,
    ) -> Self {
        let instruments = crate::instruments::Instruments::new(spec.model, keyspace, spec.table);
        let keyspace_name = keyspace.to_owned();
        let keyspace = crate::rt::quoted(keyspace);
        let table = [keyspace.as_str(), ".", spec.table].concat();
        let statement = |parts: &[&str]| Statement::new(parts.concat());
        let insert = [
            "INSERT INTO ",
            &table,
            " (",
            spec.columns,
            ") VALUES (",
            spec.markers,
            ")",
        ]
        .concat();
        let select = ["SELECT ", spec.columns, " FROM ", &table].concat();
        let add = spec
            .counters
            .iter()
            .map(|counter| format!("{counter} = {counter} + ?"))
            .collect::<Vec<_>>()
            .join(", ");
        Self {
            insert_using: statement(&[&insert, " USING TTL ? AND TIMESTAMP ?"]),
            insert_if_not_exists: statement(&[&insert, " IF NOT EXISTS"]),
            insert_if_not_exists_using: statement(&[&insert, " IF NOT EXISTS USING TTL ?"]),
            insert: Statement::new(insert),
            get: statement(&[&select, " WHERE ", spec.key]),
            partition: statement(&[&select, " WHERE ", spec.partition]),
            scan: Statement::new(select),
            delete: statement(&["DELETE FROM ", &table, " WHERE ", spec.key]),
            delete_partition: statement(&["DELETE FROM ", &table, " WHERE ", spec.partition]),
            // A counter update counts again when it runs again.
            add: Statement::non_idempotent(
                ["UPDATE ", &table, " SET ", &add, " WHERE ", spec.key].concat(),
            ),
            update: StatementCache::new(),
            range: StatementCache::new(),
            extra: StatementCache::new(),
            lookups: std::sync::OnceLock::new(),
            changes: spec
                .changes
                .map(|log| ChangeStatements::new(&keyspace, &table, spec, log)),
            #[cfg(feature = "cache")]
            caching: crate::cache::Caching::new(&keyspace_name, spec, caches),
            spec,
            keyspace,
            keyspace_name,
            table,
            instruments,
        }
    }

    /// The statements of the `@unique` lookup tables, built by `build`
    /// on first use.
    pub(crate) fn lookups(&self, build: impl FnOnce(&str) -> Vec<Statement>) -> &[Statement] {
        self.lookups
            .get_or_init(|| build(&self.keyspace).into_boxed_slice())
    }

    /// What the schema says about the table.
    pub fn spec(&self) -> &'static TableSpec {
        self.spec
    }

    /// The keyspace, quoted.
    pub fn keyspace(&self) -> &str {
        &self.keyspace
    }

    /// The keyspace, as stored (unquoted).
    pub fn keyspace_name(&self) -> &str {
        &self.keyspace_name
    }

    /// The table, qualified with the (quoted) keyspace.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The change log's statements, when the model has one.
    pub fn changes(&self) -> Option<&ChangeStatements> {
        self.changes.as_ref()
    }

    /// The table's caches, when it has any.
    #[cfg(feature = "cache")]
    pub(crate) fn caching(&self) -> Option<&crate::cache::Caching> {
        self.caching.as_deref()
    }

    /// The statements of the methods generated code adds to a repository
    /// (named queries, aggregates, relation loaders, unique claims), under
    /// keys the generated code chooses, built on first use.
    pub fn extra(&self) -> &StatementCache {
        &self.extra
    }

    /// The update of the columns whose bits are set in `mask`, with
    /// `USING TTL ? AND TIMESTAMP ?` when it has [`UPDATE_USING`]; built on
    /// first use of the mask. Static columns alone are updated by
    /// partition.
    pub(crate) fn update_statement(&self, mask: u64) -> crate::rt::Cached<'_> {
        self.update.get(mask, || {
            let head = if mask & UPDATE_USING == 0 {
                " SET "
            } else {
                " USING TTL ? AND TIMESTAMP ? SET "
            };
            let condition = if self.updates_by_partition(mask) {
                self.spec.partition
            } else {
                self.spec.key
            };
            update_text(
                &["UPDATE ", self.table.as_str(), head].concat(),
                self.spec.updatable,
                mask & !UPDATE_USING,
                &[" WHERE ", condition].concat(),
            )
        })
    }

    /// Whether the update of `mask` sets static columns alone (and so is
    /// made by partition, without the clustering key).
    pub(crate) fn updates_by_partition(&self, mask: u64) -> bool {
        let statics = self.spec.statics;
        statics != 0 && mask & !(UPDATE_USING | statics) == 0
    }
}
