//! How a cache is bounded and how long its entries live: as the schema
//! declares it ([`CacheSpec`]) and as the program runs it ([`CacheConfig`]).

use std::time::Duration;

/// A `cache <ttl> max <entries>` clause, as generated code states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheSpec {
    /// How long an entry answers after it was loaded.
    pub ttl: Duration,
    /// How many entries the cache holds at most.
    pub max_entries: u64,
}

impl CacheSpec {
    /// Entries that answer for `ttl`, at most `max_entries` of them.
    #[must_use]
    pub const fn new(ttl: Duration, max_entries: u64) -> Self {
        Self { ttl, max_entries }
    }
}

/// The bytes a cache holds at most unless told otherwise: 64 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 64 << 20;

/// How one cache runs: its bounds, its entries' lifetime, and whether it
/// reloads entries before (or while) they expire.
///
/// ```
/// use std::time::Duration;
/// use corm::cache::CacheConfig;
///
/// let config = CacheConfig::new(Duration::from_secs(30), 10_000)
///     .max_bytes(16 << 20)
///     .refresh_ahead(Duration::from_secs(25))
///     .stale_while_revalidate(Duration::from_secs(5));
/// assert_eq!(config.max_entries, 10_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    /// How long an entry answers after it was loaded.
    pub ttl: Duration,
    /// How many entries the cache holds at most.
    pub max_entries: u64,
    /// How many bytes of entries (bound values and rows as Cassandra sent
    /// them) the cache holds at most.
    pub max_bytes: u64,
    /// An entry at least this old (and younger than `ttl`) is answered
    /// and reloaded in the background, so that hot keys never miss.
    pub refresh_ahead: Option<Duration>,
    /// For this long after `ttl`, an expired entry is still answered while
    /// it is reloaded in the background (stale while revalidate).
    pub stale_while_revalidate: Option<Duration>,
}

impl CacheConfig {
    /// A cache of at most `max_entries` entries (and [`DEFAULT_MAX_BYTES`])
    /// that live `ttl`, without background reloads.
    #[must_use]
    pub const fn new(ttl: Duration, max_entries: u64) -> Self {
        Self {
            ttl,
            max_entries,
            max_bytes: DEFAULT_MAX_BYTES,
            refresh_ahead: None,
            stale_while_revalidate: None,
        }
    }

    /// The cache a `cache` clause declares.
    #[must_use]
    pub const fn from_spec(spec: CacheSpec) -> Self {
        Self::new(spec.ttl, spec.max_entries)
    }

    /// Bounds the bytes the cache holds.
    #[must_use]
    pub const fn max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Reloads an entry in the background once it is `age` old.
    #[must_use]
    pub const fn refresh_ahead(mut self, age: Duration) -> Self {
        self.refresh_ahead = Some(age);
        self
    }

    /// Answers an expired entry for `grace` more while it is reloaded.
    #[must_use]
    pub const fn stale_while_revalidate(mut self, grace: Duration) -> Self {
        self.stale_while_revalidate = Some(grace);
        self
    }

    /// How long moka keeps an entry: its TTL and the stale grace.
    #[cfg(feature = "cache")]
    pub(crate) fn kept_for(&self) -> Duration {
        self.ttl
            .saturating_add(self.stale_while_revalidate.unwrap_or_default())
    }

    /// The weight of one entry of `bytes` bytes: at least the per-entry
    /// share of the byte bound, so that the one bound moka keeps (the
    /// total weight, `max_bytes`) also bounds the entries to `max_entries`.
    #[cfg(feature = "cache")]
    pub(crate) fn weight(&self, bytes: usize) -> u32 {
        let share = self.max_bytes / self.max_entries.max(1);
        let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
        u32::try_from(bytes.max(share).max(1)).unwrap_or(u32::MAX)
    }
}
