//! Read-through caches of rows and query results that are never wrong in
//! the process that writes (the `cache` feature).
//!
//! A model declared with `cache 30s max 10000` (or given a
//! [`CacheConfig`] at run time through [`CacheSettings`]) keeps the rows
//! its `get` reads, and the answers of its `@unique` lookups, in a bounded
//! in-process cache (moka); a named query declared with `cache …` keeps
//! its answers the same way. Entries are keyed exactly by the statement
//! and the bytes of its bound values (and so by tenant: a keyspace's
//! statements are its own, a tenant column is a bound value), so an entry
//! can only ever answer the request that loaded it.
//!
//! # Never wrong in the writing process
//! Every generated write of the model (insert, update, delete, batches,
//! counters, reservations, named mutations) marks what it may have
//! changed as stale *after* it ran (or was cancelled, or failed: a failed
//! write may have applied): the row's key for row writes, every row for
//! partition-wide writes, every query answer of the table for any write.
//! A load remembers the marks it started from and its entry is only used
//! while they are unchanged, so a load that raced with a write never
//! serves the old value once the write has returned. Concurrent misses of
//! one key make one request (single flight).
//!
//! # Across processes
//! Another process's writes are seen when the entry's TTL ends, or sooner
//! through the change feed: `Repository::follow_invalidations` (with the
//! `cache` feature) marks stale what each change touched, so staleness ends within the
//! feed's lag. Writes that bypass corm are only seen after the TTL.

mod config;
#[cfg(feature = "cache")]
mod epochs;
#[cfg(feature = "cache")]
mod key;
mod settings;
#[cfg(feature = "cache")]
mod stats;
#[cfg(feature = "cache")]
mod table;

pub use config::{CacheConfig, CacheSpec, DEFAULT_MAX_BYTES};
#[cfg(feature = "cache")]
pub(crate) use epochs::{Epochs, WriteMark};
#[cfg(feature = "cache")]
pub(crate) use key::{CacheKey, GET};
pub use settings::CacheSettings;
#[cfg(feature = "cache")]
pub use stats::CacheStats;
#[cfg(feature = "cache")]
pub(crate) use table::Lookup;
#[cfg(feature = "cache")]
pub use table::TableCache;

/// The caches of one table: the write marks they share, the rows' cache
/// and the named queries' caches.
#[cfg(feature = "cache")]
#[derive(Debug)]
pub(crate) struct Caching {
    pub(crate) epochs: Epochs,
    pub(crate) rows: Option<TableCache>,
    /// By the query's statement key.
    pub(crate) queries: Vec<(u64, &'static str, TableCache)>,
}

#[cfg(feature = "cache")]
impl Caching {
    /// The caches `settings` and the schema give `spec`'s table in
    /// `keyspace`, or `None` when it has none.
    pub(crate) fn new(
        keyspace: &str,
        spec: &crate::TableSpec,
        settings: &CacheSettings,
    ) -> Option<Box<Self>> {
        let rows = settings
            .for_model(spec.model, spec.cache)
            .map(|config| TableCache::new(format!("{keyspace}.{}", spec.model), config));
        let overrides: Vec<_> = settings.queries_of(spec.model).collect();
        let queries: Vec<_> = spec
            .queries
            .iter()
            .filter_map(|query| {
                let mut config = match overrides.iter().find(|(name, _)| *name == query.name) {
                    Some((_, config)) => *config,
                    None => query.cache.map(CacheConfig::from_spec),
                }?;
                // Background reloads are the rows' alone: a query's
                // answer is reloaded when it expires.
                config.refresh_ahead = None;
                config.stale_while_revalidate = None;
                let name = format!("{keyspace}.{}.{}", spec.model, query.name);
                Some((query.key, query.name, TableCache::new(name, config)))
            })
            .collect();
        (rows.is_some() || !queries.is_empty()).then(|| {
            Box::new(Self {
                epochs: Epochs::new(),
                rows,
                queries,
            })
        })
    }

    /// The cache of the named query whose statement key is `key`.
    pub(crate) fn query(&self, key: u64) -> Option<&TableCache> {
        self.queries
            .iter()
            .find(|(of, _, _)| *of == key)
            .map(|(_, _, cache)| cache)
    }
}

/// What a model or query with a `cache` clause needs from `corm`: its
/// `cache` feature (checked by generated code, so a build without it fails
/// with this message rather than a missing item).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has a `cache` clause, and corm's `cache` feature is off",
    note = "enable it in Cargo.toml: corm = {{ version = \"…\", features = [\"cache\"] }}"
)]
pub trait CacheFeature {}

#[cfg(feature = "cache")]
impl<T: ?Sized> CacheFeature for T {}

/// Compiles only when corm's `cache` feature is on (generated code calls
/// it for each model and query with a `cache` clause).
#[doc(hidden)]
pub const fn require_cache_feature<T: CacheFeature + ?Sized>() {}
