//! What the schema says about a table, as generated code states it: the
//! pieces of CQL its statements are built from.

/// The CQL of one model's table, stated by generated code (one `const` per
/// model) and turned into statements by [`TableStatements`](super::TableStatements).
///
/// Names are CQL identifiers as the statements need them (quoted where
/// the column or table name requires it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSpec {
    /// The model's name, for errors.
    pub model: &'static str,
    /// The table's name (without keyspace).
    pub table: &'static str,
    /// Every column, in the order rows bind and read them: `a, b, c`.
    pub columns: &'static str,
    /// A bind marker per column: `?, ?, ?`.
    pub markers: &'static str,
    /// The primary key condition: `a = ? AND b = ?`.
    pub key: &'static str,
    /// The partition key condition: `a = ?`.
    pub partition: &'static str,
    /// The clustering columns, in key order.
    pub clustering: &'static [&'static str],
    /// The columns an update can set, in the order of the bits of its
    /// mask, joined by `, `: `b, c`.
    pub updatable: &'static str,
    /// The bits of `updatable` that are static columns (an update of these
    /// alone is made by partition).
    pub statics: u64,
    /// The counter columns (a counter table's only non-key columns).
    pub counters: &'static [&'static str],
    /// The change log, for a model with `changes retain …`.
    pub changes: Option<crate::changes::ChangeLogSpec>,
    /// The cache of the rows `get` reads (and of `@unique` lookups), for a
    /// model with `cache <ttl> max <entries>`.
    pub cache: Option<crate::cache::CacheSpec>,
    /// The named queries whose answers a cache can keep (those that
    /// return one row or a bounded list), with their `cache` clauses.
    pub queries: &'static [QuerySpec],
}

/// A named query whose answers can be cached: one row, or a list its
/// `limit` bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuerySpec {
    /// Its name in the schema.
    pub name: &'static str,
    /// Its statement's key among the table's named statements.
    pub key: u64,
    /// Its `cache` clause.
    pub cache: Option<crate::cache::CacheSpec>,
}

impl QuerySpec {
    /// The query `name`, whose statement is the table's named statement
    /// `key`, without a cache.
    #[must_use]
    pub const fn new(name: &'static str, key: u64) -> Self {
        Self {
            name,
            key,
            cache: None,
        }
    }

    /// This query with its answers cached as `cache` says.
    #[must_use]
    pub const fn cached(self, cache: crate::cache::CacheSpec) -> Self {
        Self {
            cache: Some(cache),
            ..self
        }
    }
}

impl TableSpec {
    /// Whether the table has counter columns (and so no insert).
    pub const fn is_counter(&self) -> bool {
        !self.counters.is_empty()
    }
}
