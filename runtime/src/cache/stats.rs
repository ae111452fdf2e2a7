//! The counters of a cache: how its lookups ended and why entries left.
//! With the `metrics` feature they are also counted through the
//! `metrics` facade, labelled by cache: `corm_cache_hits_total`,
//! `corm_cache_misses_total`, `corm_cache_loads_total`,
//! `corm_cache_stale_total`, `corm_cache_refreshes_total`,
//! `corm_cache_evictions_total`.

use std::sync::atomic::{AtomicU64, Ordering};

/// How a cache's lookups ended and why its entries left, since it was
/// built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered from memory (fresh or within the stale grace).
    pub hits: u64,
    /// Lookups that had to read: no entry, an expired one, or one a write
    /// made stale.
    pub misses: u64,
    /// Requests the cache sent for its misses (fewer than the misses when
    /// concurrent misses of one key shared a load).
    pub loads: u64,
    /// Of the misses, those that found an entry a write had made stale.
    pub stale: u64,
    /// Background reloads (refresh ahead, stale while revalidate).
    pub refreshes: u64,
    /// Entries pushed out by the bounds (entries or bytes).
    pub evictions: u64,
    /// Entries that lived out their time.
    pub expirations: u64,
    /// Entries held now (approximate: moka counts lazily).
    pub entries: u64,
    /// Their weight now: bytes, at least the per-entry share of the bound.
    pub weight: u64,
}

impl CacheStats {
    /// Hits over lookups (0 before any lookup).
    #[allow(clippy::cast_precision_loss)]
    #[must_use]
    pub fn hit_rate(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

/// What a cache counts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Event {
    Hit,
    Miss,
    Load,
    Stale,
    Refresh,
    Eviction,
    Expiration,
}

/// The live counters behind [`CacheStats`].
#[derive(Debug)]
pub(crate) struct Counters {
    name: String,
    counts: [AtomicU64; 7],
}

impl Counters {
    /// The counters of the cache called `name` (`Order`, `Order.recent`).
    pub(crate) fn new(name: String) -> Self {
        Self {
            name,
            counts: Default::default(),
        }
    }

    pub(crate) fn count(&self, event: Event) {
        self.counts[event as usize].fetch_add(1, Ordering::Relaxed);
        #[cfg(feature = "metrics")]
        {
            let metric = match event {
                Event::Hit => "corm_cache_hits_total",
                Event::Miss => "corm_cache_misses_total",
                Event::Load => "corm_cache_loads_total",
                Event::Stale => "corm_cache_stale_total",
                Event::Refresh => "corm_cache_refreshes_total",
                Event::Eviction => "corm_cache_evictions_total",
                Event::Expiration => "corm_cache_expirations_total",
            };
            metrics::counter!(metric, "cache" => self.name.clone()).increment(1);
        }
    }

    /// The counts now, with the cache's size.
    pub(crate) fn snapshot(&self, entries: u64, weight: u64) -> CacheStats {
        let get = |event: Event| self.counts[event as usize].load(Ordering::Relaxed);
        CacheStats {
            hits: get(Event::Hit),
            misses: get(Event::Miss),
            loads: get(Event::Load),
            stale: get(Event::Stale),
            refreshes: get(Event::Refresh),
            evictions: get(Event::Eviction),
            expirations: get(Event::Expiration),
            entries,
            weight,
        }
    }

    /// The cache's name, for errors and metrics.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }
}
