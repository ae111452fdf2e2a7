//! The counters of a semantic cache: how lookups ended, and the false hits
//! its users reported.

use std::sync::atomic::{AtomicU64, Ordering};

/// How a cache's lookups ended, since it was opened (shared by its
/// [scoped](super::SemanticCache::scoped) copies).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Answered from this process's memory.
    pub memory_hits: u64,
    /// Answered by the same input, read from the table.
    pub exact_hits: u64,
    /// Answered by another input close enough in meaning.
    pub similar_hits: u64,
    /// Not answered.
    pub misses: u64,
    /// Of the misses, those whose nearest input was similar enough but
    /// refused by the [guard](super::Guard).
    pub guarded: u64,
    /// Hits that their callers reported wrong
    /// ([`report_false_hit`](super::SemanticCache::report_false_hit)).
    pub false_hits: u64,
    /// Answers stored.
    pub stores: u64,
    /// Answers removed by invalidation.
    pub invalidated: u64,
}

impl CacheStats {
    /// Every hit, whatever answered it.
    pub fn hits(&self) -> u64 {
        self.memory_hits + self.exact_hits + self.similar_hits
    }

    /// Hits over lookups (0 before any lookup).
    #[allow(clippy::cast_precision_loss)]
    pub fn hit_rate(&self) -> f64 {
        let lookups = self.hits() + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits() as f64 / lookups as f64
        }
    }
}

/// The live counters behind [`CacheStats`].
#[derive(Debug, Default)]
pub(super) struct Counters {
    pub(super) memory_hits: AtomicU64,
    pub(super) exact_hits: AtomicU64,
    pub(super) similar_hits: AtomicU64,
    pub(super) misses: AtomicU64,
    pub(super) guarded: AtomicU64,
    pub(super) false_hits: AtomicU64,
    pub(super) stores: AtomicU64,
    pub(super) invalidated: AtomicU64,
}

impl Counters {
    /// Adds `by` to `counter`.
    pub(super) fn add(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }

    /// The counts now.
    pub(super) fn snapshot(&self) -> CacheStats {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        CacheStats {
            memory_hits: read(&self.memory_hits),
            exact_hits: read(&self.exact_hits),
            similar_hits: read(&self.similar_hits),
            misses: read(&self.misses),
            guarded: read(&self.guarded),
            false_hits: read(&self.false_hits),
            stores: read(&self.stores),
            invalidated: read(&self.invalidated),
        }
    }
}
