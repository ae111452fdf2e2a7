//! What a lookup in a semantic cache finds: a [`CacheHit`] and where it
//! came from, or a [`CacheMiss`] that keeps the input's vector for storing
//! the answer.

use super::guard::Conflict;
use crate::Vector;

/// Where a hit was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitSource {
    /// This process's memory layer (the same input, or an input it had
    /// already matched).
    Memory,
    /// The table, under the same input.
    Exact,
    /// The table, under another input close enough in meaning.
    Similar,
}

/// A stored answer that a lookup found.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheHit<V> {
    /// The answer.
    pub value: V,
    /// The input it was stored under (normalised: trimmed, inner white
    /// space as single spaces).
    pub stored_input: String,
    /// The cosine similarity of the two inputs' vectors (1 for the same
    /// input).
    pub similarity: f32,
    /// Where it was found.
    pub source: HitSource,
    /// Its tags.
    pub tags: Vec<String>,
    /// The input looked up, normalised (for
    /// [`report_false_hit`](super::SemanticCache::report_false_hit)).
    pub(super) lookup_key: String,
}

/// A lookup that found nothing close enough. It keeps the input's vector,
/// so that [`store_miss`](super::SemanticCache::store_miss) does not embed
/// it again.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheMiss<const N: usize> {
    /// The input, normalised.
    pub input: String,
    /// Its vector.
    pub embedding: Vector<N>,
    /// The nearest stored input of the scope, when there is one: below
    /// the threshold, or refused by the guard.
    pub nearest: Option<Nearest>,
}

/// The nearest stored input of a miss.
#[derive(Clone, Debug, PartialEq)]
pub struct Nearest {
    /// The stored input, normalised.
    pub input: String,
    /// Its cosine similarity to the input looked up.
    pub similarity: f32,
    /// Why the [guard](super::Guard) refused it, when it did.
    pub conflict: Option<Conflict>,
}

/// The outcome of [`SemanticCache::lookup`](super::SemanticCache::lookup).
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup<V, const N: usize> {
    /// A stored answer.
    Hit(CacheHit<V>),
    /// None close enough.
    Miss(CacheMiss<N>),
}

/// What [`get_or_compute`](super::SemanticCache::get_or_compute) returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer<V> {
    /// A stored answer.
    Cached(CacheHit<V>),
    /// An answer computed now, and stored.
    Computed(V),
}

impl<V> Answer<V> {
    /// The answer, wherever it came from.
    pub fn value(&self) -> &V {
        match self {
            Self::Cached(hit) => &hit.value,
            Self::Computed(value) => value,
        }
    }

    /// The answer, wherever it came from.
    pub fn into_value(self) -> V {
        match self {
            Self::Cached(hit) => hit.value,
            Self::Computed(value) => value,
        }
    }

    /// The hit, when the answer was cached.
    pub fn hit(&self) -> Option<&CacheHit<V>> {
        match self {
            Self::Cached(hit) => Some(hit),
            Self::Computed(_) => None,
        }
    }
}
