//! [`TableCache`]: the entries of one model's rows or one named query's
//! answers, in moka, with the marks each was loaded at.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use moka::future::Cache;
use moka::notification::RemovalCause;
use moka::ops::compute::{CompResult, Op};

use super::CacheConfig;
use super::epochs::{Epochs, Mark};
use super::key::CacheKey;
use super::stats::{CacheStats, Counters, Event};
use crate::Result;

/// One answer held: what it was loaded at and what it weighs.
struct Entry {
    mark: Mark,
    /// When its load started: its age counts from there, so that it is
    /// never older than its TTL says.
    loaded: Instant,
    value: Box<dyn Any + Send + Sync>,
    bytes: usize,
    /// Whether a background reload of it was started.
    refreshing: AtomicBool,
}

/// What a lookup found.
pub(crate) enum Lookup<V> {
    /// An entry to answer with.
    Fresh(V),
    /// An entry to answer with that should be reloaded in the background
    /// (refresh ahead, or stale while revalidate).
    Refresh(V),
    /// Nothing usable: load.
    Miss,
}

/// A bounded cache of one model's rows (and `@unique` lookups) or of one
/// named query's answers: `db.order().cache()` for its [stats](Self::stats).
#[derive(Clone)]
pub struct TableCache {
    entries: Cache<CacheKey, Arc<Entry>>,
    config: CacheConfig,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for TableCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableCache")
            .field("name", &self.counters.name())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl TableCache {
    /// An empty cache called `name` (for metrics), bounded by `config`.
    pub(crate) fn new(name: String, config: CacheConfig) -> Self {
        let counters = Arc::new(Counters::new(name));
        let listener = Arc::clone(&counters);
        let entries = Cache::builder()
            .max_capacity(config.max_bytes)
            .weigher(move |key: &CacheKey, entry: &Arc<Entry>| {
                config.weight(key.bytes() + entry.bytes)
            })
            .time_to_live(config.kept_for())
            .eviction_listener(move |_, _, cause| match cause {
                RemovalCause::Size => listener.count(Event::Eviction),
                RemovalCause::Expired => listener.count(Event::Expiration),
                RemovalCause::Explicit | RemovalCause::Replaced => {}
            })
            .build();
        Self {
            entries,
            config,
            counters,
        }
    }

    /// How it is bounded.
    pub fn config(&self) -> &CacheConfig {
        &self.config
    }

    /// How its lookups ended since it was built, and its size now.
    pub fn stats(&self) -> CacheStats {
        self.counters
            .snapshot(self.entries.entry_count(), self.entries.weighted_size())
    }

    /// Drops every entry (the next lookups read).
    pub fn clear(&self) {
        self.entries.invalidate_all();
    }

    /// Applies moka's pending bookkeeping (evictions, counts) now rather
    /// than on later calls: for tests and stats.
    pub async fn run_pending_tasks(&self) {
        self.entries.run_pending_tasks().await;
    }

    /// The entry at `key` if it may answer: loaded since the last write
    /// that could change it, and within its time (or its stale grace).
    pub(crate) async fn lookup<V>(&self, key: &CacheKey, epochs: &Epochs) -> Lookup<V>
    where
        V: Clone + 'static,
    {
        let Some(entry) = self.entries.get(key).await else {
            return Lookup::Miss;
        };
        if !epochs.current(entry.mark) {
            self.counters.count(Event::Stale);
            return Lookup::Miss;
        }
        let Some(value) = entry.value.downcast_ref::<V>() else {
            return Lookup::Miss;
        };
        let age = entry.loaded.elapsed();
        let refresh = if age < self.config.ttl {
            self.config.refresh_ahead.is_some_and(|ahead| age >= ahead)
        } else {
            match self.config.stale_while_revalidate {
                Some(grace) if age < self.config.ttl.saturating_add(grace) => true,
                _ => return Lookup::Miss,
            }
        };
        self.counters.count(Event::Hit);
        if refresh && !entry.refreshing.swap(true, Ordering::AcqRel) {
            Lookup::Refresh(value.clone())
        } else {
            Lookup::Fresh(value.clone())
        }
    }

    /// Loads the entry at `key` with `load` (its value and the bytes it
    /// weighs) and keeps it under the mark `mark` gives when the load
    /// starts. Concurrent loads of one key are one: the others wait and
    /// answer with its entry. A failed load keeps nothing.
    ///
    /// # Errors
    /// The load's.
    pub(crate) async fn load<V, M, F, Fut>(
        &self,
        key: CacheKey,
        epochs: &Epochs,
        mark: M,
        load: F,
    ) -> Result<V>
    where
        V: Clone + Send + Sync + 'static,
        M: Fn() -> Mark,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(V, usize)>>,
    {
        self.counters.count(Event::Miss);
        let mut failure = None;
        let mut loaded = None;
        let ttl = self.config.ttl;
        let outcome = self
            .entries
            .entry(key)
            .and_compute_with(|current| {
                // An entry a concurrent load of this key kept while this
                // one waited for the key's lock.
                let usable = current.is_some_and(|entry| {
                    let entry = entry.value();
                    epochs.current(entry.mark)
                        && entry.loaded.elapsed() < ttl
                        && entry.value.is::<V>()
                });
                let (failure, loaded) = (&mut failure, &mut loaded);
                let (mark, load, counters) = (&mark, &load, &self.counters);
                async move {
                    if usable {
                        return Op::Nop;
                    }
                    let mark = mark();
                    let started = Instant::now();
                    counters.count(Event::Load);
                    match load().await {
                        Ok((value, bytes)) => {
                            *loaded = Some(value.clone());
                            Op::Put(Arc::new(Entry::new(mark, started, value, bytes)))
                        }
                        Err(error) => {
                            *failure = Some(error);
                            Op::Nop
                        }
                    }
                }
            })
            .await;
        if let Some(error) = failure {
            return Err(error);
        }
        if let Some(value) = loaded {
            return Ok(value);
        }
        let shared = match outcome {
            CompResult::Unchanged(entry)
            | CompResult::Inserted(entry)
            | CompResult::ReplacedWith(entry) => entry.value().value.downcast_ref::<V>().cloned(),
            CompResult::StillNone(_) | CompResult::Removed(_) => None,
        };
        match shared {
            Some(value) => Ok(value),
            // Not reachable (a key's statement fixes its value's type):
            // read without the cache rather than fail.
            None => Ok(load().await?.0),
        }
    }

    /// Reloads the entry at `key` in the background with `load`, under
    /// `mark` (taken now, before any later write), when a tokio runtime
    /// runs this thread; the entry answers as it is meanwhile. A failed
    /// reload keeps the entry until its time ends.
    pub(crate) fn refresh<V, Fut>(&self, key: CacheKey, mark: Mark, load: Fut)
    where
        V: Send + Sync + 'static,
        Fut: Future<Output = Result<(V, usize)>> + Send + 'static,
    {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let entries = self.entries.clone();
        self.counters.count(Event::Refresh);
        let started = Instant::now();
        runtime.spawn(async move {
            match load.await {
                Ok((value, bytes)) => {
                    let entry = Arc::new(Entry::new(mark, started, value, bytes));
                    entries.insert(key, entry).await;
                }
                Err(error) => tracing::debug!(%error, "a cache entry's background reload failed"),
            }
        });
    }
}

impl Entry {
    fn new<V: Send + Sync + 'static>(mark: Mark, loaded: Instant, value: V, bytes: usize) -> Self {
        Self {
            mark,
            loaded,
            value: Box::new(value),
            bytes,
            refreshing: AtomicBool::new(false),
        }
    }
}
