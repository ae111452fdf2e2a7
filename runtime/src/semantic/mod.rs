//! A semantic cache ([`SemanticCache`], the `semantic-cache` feature):
//! expensive answers stored under natural-language inputs, and found again
//! by inputs that mean the same, judged by an [`Embedder`](crate::embed::Embedder)'s
//! vectors and a similarity threshold.
//!
//! Stored in a Cassandra table with a vector index (so every process shares
//! it and it survives restarts), with a bounded in-process layer in front
//! (moka), a TTL per answer, tags for invalidation, and counters of hits,
//! misses and reported false hits. It answers questions and prompts, never
//! database queries: see [`SemanticCache`].

mod cache;
mod config;
mod guard;
mod hit;
mod stats;
mod table;

pub use cache::SemanticCache;
pub use config::{
    DEFAULT_MEMORY_CAPACITY, DEFAULT_MEMORY_TTL, DEFAULT_THRESHOLD, DEFAULT_TTL,
    SemanticCacheConfig,
};
pub use guard::{Conflict, Guard, lexical_conflict};
pub use hit::{Answer, CacheHit, CacheMiss, HitSource, Lookup, Nearest};
pub use stats::CacheStats;
