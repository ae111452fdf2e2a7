//! [`SemanticCacheConfig`]: the table, scope, threshold and lifetimes of a
//! semantic cache.

use std::time::Duration;

use super::guard::Guard;

/// The cosine similarity above which a cached input counts as meaning the
/// same as the one looked up, unless
/// [`SemanticCacheConfig::threshold`] says otherwise. Chosen on the
/// committed labelled set with all-MiniLM-L6-v2 (see
/// `docs/generated-code.md`, "Semantic cache"): other models need their
/// own.
pub const DEFAULT_THRESHOLD: f32 = 0.8;

/// How long a stored answer lives unless [`SemanticCacheConfig::ttl`] says
/// otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// How long an answer stays in a process's memory layer unless
/// [`SemanticCacheConfig::memory_ttl`] says otherwise: the longest another
/// process's invalidation can go unseen.
pub const DEFAULT_MEMORY_TTL: Duration = Duration::from_secs(30);

/// How many answers the memory layer holds unless
/// [`SemanticCacheConfig::memory_capacity`] says otherwise.
pub const DEFAULT_MEMORY_CAPACITY: u64 = 10_000;

/// How a [`SemanticCache`](super::SemanticCache) works.
///
/// ```
/// use std::time::Duration;
/// use corm::semantic::SemanticCacheConfig;
///
/// let config = SemanticCacheConfig::new("answers")
///     .scope("support-bot prompt v3")
///     .threshold(0.85)
///     .ttl(Some(Duration::from_secs(3600)));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SemanticCacheConfig {
    pub(super) table: String,
    pub(super) scope: String,
    pub(super) threshold: f32,
    pub(super) guard: Guard,
    pub(super) ttl: Option<Duration>,
    pub(super) memory_ttl: Duration,
    pub(super) memory_capacity: u64,
}

impl SemanticCacheConfig {
    /// A cache stored in `table` (created when missing), with the defaults:
    /// scope `default`, threshold [`DEFAULT_THRESHOLD`], the lexical guard, TTL
    /// [`DEFAULT_TTL`], memory layer [`DEFAULT_MEMORY_CAPACITY`] answers for
    /// [`DEFAULT_MEMORY_TTL`].
    pub fn new(table: impl Into<String>) -> Self {
        Self {
            table: table.into(),
            scope: "default".to_owned(),
            threshold: DEFAULT_THRESHOLD,
            guard: Guard::Lexical,
            ttl: Some(DEFAULT_TTL),
            memory_ttl: DEFAULT_MEMORY_TTL,
            memory_capacity: DEFAULT_MEMORY_CAPACITY,
        }
    }

    /// What the answers depend on besides the input: the prompt template,
    /// the model that answers, its version. Inputs only match inputs of the
    /// same scope.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// The cosine similarity (from -1 to 1; not Cassandra's `(1 + cos) / 2`)
    /// from which a stored input answers the one looked up. Higher answers
    /// fewer paraphrases and makes fewer false hits.
    pub fn threshold(mut self, threshold: f32) -> Self {
        self.threshold = threshold;
        self
    }

    /// What a match by meaning must also pass (default
    /// [`Guard::Lexical`]: near-copies that differ by a negation, a number,
    /// the order of their words or a swapped word are refused).
    pub fn guard(mut self, guard: Guard) -> Self {
        self.guard = guard;
        self
    }

    /// How long a stored answer lives (`None`: until invalidated), as
    /// Cassandra's TTL, in whole seconds.
    pub fn ttl(mut self, ttl: Option<Duration>) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long an answer stays in this process's memory layer, and so the
    /// longest that an invalidation by another process goes unseen here
    /// (zero turns the layer off).
    pub fn memory_ttl(mut self, ttl: Duration) -> Self {
        self.memory_ttl = ttl;
        self
    }

    /// How many answers the memory layer holds at most (the least recently
    /// used go first).
    pub fn memory_capacity(mut self, capacity: u64) -> Self {
        self.memory_capacity = capacity;
        self
    }

    /// What is wrong with this configuration, if anything.
    pub(super) fn problem(&self) -> Option<String> {
        let table_ok = self.table.len() <= 48
            && self.table.starts_with(|c: char| c.is_ascii_lowercase())
            && self
                .table
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !table_ok {
            Some(format!(
                "table name `{}`: use lower-case letters, digits and `_`, starting with a letter, \
                 at most 48 characters",
                self.table
            ))
        } else if !(self.threshold.is_finite() && -1.0 < self.threshold && self.threshold <= 1.0) {
            Some(format!(
                "threshold {}: a cosine similarity is above -1 and at most 1",
                self.threshold
            ))
        } else if self
            .ttl
            .is_some_and(|ttl| ttl.as_secs() == 0 || ttl.as_secs() > u64::from(MAX_TTL_SECONDS))
        {
            Some(format!(
                "ttl {:?}: Cassandra takes from 1 second to {MAX_TTL_SECONDS} seconds (20 years)",
                self.ttl.unwrap_or_default()
            ))
        } else {
            None
        }
    }

    /// The TTL in seconds as bound to `USING TTL ?` (0: none; a valid
    /// configuration's TTL fits).
    pub(super) fn ttl_seconds(&self) -> i32 {
        self.ttl
            .map_or(0, |ttl| i32::try_from(ttl.as_secs()).unwrap_or(i32::MAX))
    }
}

/// Cassandra's largest TTL: 20 years.
const MAX_TTL_SECONDS: u32 = 630_720_000;
