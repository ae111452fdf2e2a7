//! Caches configured when the program runs, over or instead of what the
//! schema's `cache` clauses say.

use std::collections::HashMap;

use super::{CacheConfig, CacheSpec};

/// What a program says about its caches when it builds its `Db`
/// (`Db::with_caches`): a model's or a named query's cache turned on,
/// reconfigured or turned off. What it does not name keeps its `cache`
/// clause (or stays uncached).
///
/// ```
/// use std::time::Duration;
/// use corm::cache::{CacheConfig, CacheSettings};
///
/// let settings = CacheSettings::new()
///     .model("Customer", CacheConfig::new(Duration::from_secs(60), 50_000))
///     .query("Order", "recent_orders", CacheConfig::new(Duration::from_secs(5), 1_000))
///     .no_model_cache("Ticket");
/// # let _ = settings;
/// ```
#[derive(Clone, Debug, Default)]
pub struct CacheSettings {
    models: HashMap<String, Option<CacheConfig>>,
    queries: HashMap<(String, String), Option<CacheConfig>>,
}

impl CacheSettings {
    /// What the schema says, unchanged.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Caches the rows (and `@unique` lookups) of `model` (its name in the
    /// schema) with `config`.
    #[must_use]
    pub fn model(mut self, model: &str, config: CacheConfig) -> Self {
        self.models.insert(model.to_owned(), Some(config));
        self
    }

    /// Caches no rows of `model`, whatever its `cache` clause says.
    #[must_use]
    pub fn no_model_cache(mut self, model: &str) -> Self {
        self.models.insert(model.to_owned(), None);
        self
    }

    /// Caches the answers of the named query `query` on `model` with
    /// `config` (a query without a `limit` is cached too when named here:
    /// its answers are weighed in bytes all the same).
    #[must_use]
    pub fn query(mut self, model: &str, query: &str, config: CacheConfig) -> Self {
        self.queries
            .insert((model.to_owned(), query.to_owned()), Some(config));
        self
    }

    /// Caches no answers of `query` on `model`.
    #[must_use]
    pub fn no_query_cache(mut self, model: &str, query: &str) -> Self {
        self.queries
            .insert((model.to_owned(), query.to_owned()), None);
        self
    }

    /// The cache of `model`'s rows: as set here, else as declared.
    #[cfg_attr(not(feature = "cache"), allow(dead_code))]
    pub(crate) fn for_model(
        &self,
        model: &str,
        declared: Option<CacheSpec>,
    ) -> Option<CacheConfig> {
        match self.models.get(model) {
            Some(config) => *config,
            None => declared.map(CacheConfig::from_spec),
        }
    }

    /// The named queries of `model` this program caches (declared ones
    /// come with their generated code).
    #[cfg_attr(not(feature = "cache"), allow(dead_code))]
    pub(crate) fn queries_of<'s>(
        &'s self,
        model: &'s str,
    ) -> impl Iterator<Item = (&'s str, Option<CacheConfig>)> + 's {
        self.queries
            .iter()
            .filter(move |((of, _), _)| of == model)
            .map(|((_, query), config)| (query.as_str(), *config))
    }
}
