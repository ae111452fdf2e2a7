//! [`SemanticCache`]: answers stored under natural-language inputs, found
//! again by inputs that mean the same.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use futures::TryStreamExt;
use moka::future::Cache;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::config::SemanticCacheConfig;
use super::guard::{Guard, lexical_conflict};
use super::hit::{Answer, CacheHit, CacheMiss, HitSource, Lookup, Nearest};
use super::stats::{CacheStats, Counters};
use super::table::{CacheStatements, comment, create_statements};
use crate::embed::{Embedder, embed_one};
use crate::migrate::{DEFAULT_INDEX_WAIT, await_indexes};
use crate::{Error, Result, Session, Vector, paging};

/// How many invalidation deletes run at once.
const DELETE_CONCURRENCY: usize = 16;

/// An answer held in a process's memory layer.
#[derive(Debug)]
struct Remembered<V> {
    value: V,
    stored_input: String,
    similarity: f32,
    tags: Vec<String>,
    /// When its stored copy's TTL ends (the memory layer never outlives it).
    expires: Option<Instant>,
}

/// A cache of expensive answers (a language model's reply, a summary, a
/// classification) keyed by the *meaning* of a natural-language input.
///
/// A lookup tries, in order: this process's memory layer (moka: bounded,
/// least recently used first out, each answer kept
/// [`memory_ttl`](SemanticCacheConfig::memory_ttl)); the table under the
/// same input (no embedding needed); then the input's vector against the
/// scope's stored inputs (`ANN OF`), answering when the nearest is at
/// least the [threshold](SemanticCacheConfig::threshold) similar and the
/// [guard](super::Guard) finds no word that changes the answer.
///
/// It is **not** a cache of database query results: a query answered by a
/// *similar* query returns another query's rows. Typed query results are
/// cached exactly, by statement and bound values, or not at all.
///
/// ```no_run
/// # async fn demo(session: corm::Session, embedder: std::sync::Arc<dyn corm::embed::Embedder>)
/// # -> corm::Result<()> {
/// use corm::semantic::{SemanticCache, SemanticCacheConfig};
///
/// let cache: SemanticCache<String, 384> =
///     SemanticCache::open(session, "shop", SemanticCacheConfig::new("answers"), embedder).await?;
/// let answer = cache
///     .get_or_compute("How do I return a parcel?", &["returns"], || async {
///         Ok::<_, corm::Error>("Print the label in your account, then…".to_owned())
///     })
///     .await?;
/// println!("{}", answer.value());
/// # Ok(())
/// # }
/// ```
pub struct SemanticCache<V, const N: usize> {
    shared: Arc<Shared<V>>,
    scope: String,
}

/// What a cache and its scoped copies share.
struct Shared<V> {
    session: Session,
    config: SemanticCacheConfig,
    embedder: Arc<dyn Embedder>,
    statements: CacheStatements,
    memory: Option<Cache<String, Arc<Remembered<V>>>>,
    counters: Counters,
}

impl<V, const N: usize> Clone for SemanticCache<V, N> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            scope: self.scope.clone(),
        }
    }
}

impl<V, const N: usize> std::fmt::Debug for SemanticCache<V, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticCache")
            .field("table", &self.shared.statements.name)
            .field("scope", &self.scope)
            .field("model", &self.shared.embedder.model())
            .field("threshold", &self.shared.config.threshold)
            .finish_non_exhaustive()
    }
}

impl<V, const N: usize> SemanticCache<V, N>
where
    V: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    /// Opens the cache stored in `config`'s table of `keyspace` (which must
    /// exist), creating the table and its indexes when missing, and waits
    /// until the indexes are queryable.
    ///
    /// # Errors
    /// [`Error::SemanticCache`] when the configuration is invalid, the
    /// embedder's dimension is not `N`, or the table holds another model's
    /// vectors (its comment says which); the cluster's errors.
    pub async fn open(
        session: Session,
        keyspace: &str,
        config: SemanticCacheConfig,
        embedder: Arc<dyn Embedder>,
    ) -> Result<Self> {
        let name = format!("{keyspace}.{}", config.table);
        let refuse = |problem: String| Error::SemanticCache {
            cache: name.clone(),
            problem,
        };
        if let Some(problem) = config.problem() {
            return Err(refuse(problem));
        }
        if embedder.dimensions() != N {
            return Err(refuse(format!(
                "model `{}` makes vectors of {} dimensions, and this cache holds {N}",
                embedder.model(),
                embedder.dimensions()
            )));
        }
        for statement in create_statements(keyspace, &config.table, embedder.model(), N) {
            session.run_ddl(&statement).await?;
        }
        let statements = CacheStatements::new(keyspace, &config.table);
        let prepared = statements.comment.prepared(&session).await?;
        let stated = session
            .execute_first::<(Option<String>,)>(prepared, (keyspace, config.table.as_str()))
            .await?
            .and_then(|(comment,)| comment);
        let expected = comment(embedder.model(), N);
        if stated.as_deref() != Some(expected.as_str()) {
            return Err(refuse(format!(
                "the table's comment says `{}`, and this cache would store `{expected}`: vectors \
                 of different models do not compare; use another table",
                stated.unwrap_or_default()
            )));
        }
        await_indexes(&session, keyspace, DEFAULT_INDEX_WAIT).await?;
        let memory = (!config.memory_ttl.is_zero() && config.memory_capacity > 0).then(|| {
            Cache::builder()
                .max_capacity(config.memory_capacity)
                .time_to_live(config.memory_ttl)
                .support_invalidation_closures()
                .build()
        });
        let scope = config.scope.clone();
        Ok(Self {
            shared: Arc::new(Shared {
                session,
                config,
                embedder,
                statements,
                memory,
                counters: Counters::default(),
            }),
            scope,
        })
    }

    /// The same cache under another scope: same table, memory layer and
    /// counters, but its inputs only match inputs of `scope`.
    #[must_use]
    pub fn scoped(&self, scope: impl Into<String>) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
            scope: scope.into(),
        }
    }

    /// The scope of this handle.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The counters so far.
    pub fn stats(&self) -> CacheStats {
        self.shared.counters.snapshot()
    }

    /// Looks `input` up: in memory, under the same input, then by meaning
    /// (at or above the threshold, and not refused by the guard).
    ///
    /// # Errors
    /// [`Error::SemanticCache`] for a blank input or a stored answer that
    /// does not read as `V`; [`Error::Embed`]; the cluster's errors.
    pub async fn lookup(&self, input: &str) -> Result<Lookup<V, N>> {
        let input = self.normalised(input)?;
        let key = self.memory_key(&input);
        let counters = &self.shared.counters;
        if let Some(hit) = self.remembered(&key, &input).await {
            Counters::add(&counters.memory_hits, 1);
            return Ok(Lookup::Hit(hit));
        }
        if let Some(hit) = self.exact(&input, &key).await? {
            Counters::add(&counters.exact_hits, 1);
            return Ok(Lookup::Hit(hit));
        }
        let embedding: Vector<N> = embed_one(self.shared.embedder.as_ref(), &input).await?;
        let Some((stored, similarity)) = self.nearest(&embedding).await? else {
            Counters::add(&counters.misses, 1);
            return Ok(Lookup::Miss(CacheMiss {
                input,
                embedding,
                nearest: None,
            }));
        };
        let config = &self.shared.config;
        let close = similarity >= config.threshold;
        let conflict = match config.guard {
            Guard::Lexical if close => lexical_conflict(&input, &stored.input),
            Guard::Lexical | Guard::None => None,
        };
        if close && conflict.is_none() {
            Counters::add(&counters.similar_hits, 1);
            let hit = CacheHit {
                value: stored.value,
                stored_input: stored.input,
                similarity,
                source: HitSource::Similar,
                tags: stored.tags,
                lookup_key: key.clone(),
            };
            self.remember(key, &hit).await;
            return Ok(Lookup::Hit(hit));
        }
        Counters::add(&counters.misses, 1);
        if conflict.is_some() {
            Counters::add(&counters.guarded, 1);
        }
        Ok(Lookup::Miss(CacheMiss {
            input,
            embedding,
            nearest: Some(Nearest {
                input: stored.input,
                similarity,
                conflict,
            }),
        }))
    }

    /// Stores `value` as the answer to `input`, with `tags` for
    /// invalidation, replacing what the same input had.
    ///
    /// # Errors
    /// As for [`store_miss`](Self::store_miss), and [`Error::Embed`].
    pub async fn store(&self, input: &str, value: &V, tags: &[&str]) -> Result<()> {
        let input = self.normalised(input)?;
        let embedding = embed_one(self.shared.embedder.as_ref(), &input).await?;
        self.write(input, &embedding, value, tags).await
    }

    /// Stores `value` as the answer to the input of `miss`, with its
    /// vector (not embedded again).
    ///
    /// # Errors
    /// [`Error::SemanticCache`] when `value` does not serialize; the
    /// cluster's errors (nothing is remembered then).
    pub async fn store_miss(&self, miss: CacheMiss<N>, value: &V, tags: &[&str]) -> Result<()> {
        self.write(miss.input, &miss.embedding, value, tags).await
    }

    /// The cached answer to `input`, or `compute`'s, stored with `tags`.
    ///
    /// # Errors
    /// `compute`'s error (nothing stored), or the cache's (see
    /// [`lookup`](Self::lookup) and [`store_miss`](Self::store_miss)).
    pub async fn get_or_compute<F, Fut, E>(
        &self,
        input: &str,
        tags: &[&str],
        compute: F,
    ) -> std::result::Result<Answer<V>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = std::result::Result<V, E>>,
        E: From<Error>,
    {
        match self.lookup(input).await? {
            Lookup::Hit(hit) => Ok(Answer::Cached(hit)),
            Lookup::Miss(miss) => {
                let value = compute().await?;
                self.store_miss(miss, &value, tags).await?;
                Ok(Answer::Computed(value))
            }
        }
    }

    /// Removes every answer tagged `tag`, in every scope, and returns how
    /// many. Other processes' memory layers may serve them for up to their
    /// [`memory_ttl`](SemanticCacheConfig::memory_ttl).
    ///
    /// # Errors
    /// The cluster's errors (the answers removed before stay removed; run
    /// it again).
    pub async fn invalidate_tag(&self, tag: &str) -> Result<u64> {
        if let Some(memory) = &self.shared.memory {
            let owned = tag.to_owned();
            // Refused only when the builder lacks closure support, which
            // `open` always asks for.
            let _ =
                memory.invalidate_entries_if(move |_, remembered| remembered.tags.contains(&owned));
        }
        let session = &self.shared.session;
        let statements = &self.shared.statements;
        let tagged = statements.tagged.prepared(session).await?;
        let delete = statements.delete.prepared(session).await?;
        // Deleted as the pages come, so memory stays bounded however many
        // answers carry the tag.
        let removed = paging::stream::<(Vec<u8>,)>(session, tagged.clone(), (tag,), None)
            .await?
            .map_ok(|(id,)| async move { session.execute(delete, (id,)).await.map(drop) })
            .try_buffer_unordered(DELETE_CONCURRENCY)
            .try_fold(0_u64, |count, ()| async move { Ok(count + 1) })
            .await?;
        Counters::add(&self.shared.counters.invalidated, removed);
        Ok(removed)
    }

    /// Removes the answer stored under `input` in this scope (the same
    /// input, not similar ones).
    ///
    /// # Errors
    /// [`Error::SemanticCache`] for a blank input; the cluster's errors.
    pub async fn invalidate(&self, input: &str) -> Result<()> {
        let input = self.normalised(input)?;
        let key = self.memory_key(&input);
        if let Some(memory) = &self.shared.memory {
            memory.invalidate(&key).await;
        }
        let delete = self
            .shared
            .statements
            .delete
            .prepared(&self.shared.session)
            .await?;
        self.shared
            .session
            .execute(delete, (self.id(&input).to_vec(),))
            .await
            .map(drop)
    }

    /// Counts `hit` as a false hit (its answer did not fit the input looked
    /// up) and forgets, in memory, that the input matched it. Store the
    /// right answer under the input: from then on the same input finds it
    /// first.
    pub async fn report_false_hit(&self, hit: &CacheHit<V>) {
        Counters::add(&self.shared.counters.false_hits, 1);
        if let Some(memory) = &self.shared.memory {
            memory.invalidate(&hit.lookup_key).await;
        }
    }

    /// `input` trimmed, with inner white space as single spaces.
    fn normalised(&self, input: &str) -> Result<String> {
        let normalised = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if normalised.is_empty() {
            return Err(Error::SemanticCache {
                cache: self.shared.statements.name.clone(),
                problem: "the input is blank: there is no meaning to look up".to_owned(),
            });
        }
        Ok(normalised)
    }

    /// The memory layer's key: scope and input.
    fn memory_key(&self, input: &str) -> String {
        format!("{}\u{1f}{input}", self.scope)
    }

    /// The table's id of `input` in this scope.
    fn id(&self, input: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.scope.as_bytes());
        hasher.update([0]);
        hasher.update(input.as_bytes());
        hasher.finalize().into()
    }

    /// The memory layer's answer for `key`, unless its stored copy expired.
    async fn remembered(&self, key: &str, input: &str) -> Option<CacheHit<V>> {
        let remembered = self.shared.memory.as_ref()?.get(key).await?;
        if remembered.expires.is_some_and(|at| at <= Instant::now()) {
            return None;
        }
        Some(CacheHit {
            value: remembered.value.clone(),
            stored_input: remembered.stored_input.clone(),
            similarity: if remembered.stored_input == input {
                1.0
            } else {
                remembered.similarity
            },
            source: HitSource::Memory,
            tags: remembered.tags.clone(),
            lookup_key: key.to_owned(),
        })
    }

    /// Keeps `hit` in the memory layer under `key`.
    async fn remember(&self, key: String, hit: &CacheHit<V>) {
        let Some(memory) = &self.shared.memory else {
            return;
        };
        let expires = self
            .shared
            .config
            .ttl
            .and_then(|ttl| Instant::now().checked_add(ttl));
        let remembered = Remembered {
            value: hit.value.clone(),
            stored_input: hit.stored_input.clone(),
            similarity: hit.similarity,
            tags: hit.tags.clone(),
            expires,
        };
        memory.insert(key, Arc::new(remembered)).await;
    }

    /// The answer stored under `input` itself.
    async fn exact(&self, input: &str, key: &str) -> Result<Option<CacheHit<V>>> {
        let session = &self.shared.session;
        let by_id = self.shared.statements.by_id.prepared(session).await?;
        let row = session
            .execute_first::<(
                Option<String>,
                Option<String>,
                Option<String>,
                Option<Vec<String>>,
            )>(by_id, (self.id(input).to_vec(),))
            .await?;
        let Some((Some(scope), Some(stored), Some(value), tags)) = row else {
            return Ok(None);
        };
        // The id is a hash of both: a different pair is a collision.
        if scope != self.scope || stored != input {
            return Ok(None);
        }
        let hit = CacheHit {
            value: self.decode(&value)?,
            stored_input: stored,
            similarity: 1.0,
            source: HitSource::Exact,
            tags: tags.unwrap_or_default(),
            lookup_key: key.to_owned(),
        };
        self.remember(key.to_owned(), &hit).await;
        Ok(Some(hit))
    }

    /// The scope's stored input nearest to `embedding`, and its cosine
    /// similarity.
    async fn nearest(&self, embedding: &Vector<N>) -> Result<Option<(Stored<V>, f32)>> {
        if embedding.is_zero() {
            return Ok(None);
        }
        let session = &self.shared.session;
        let nearest = self.shared.statements.nearest.prepared(session).await?;
        type Row<const M: usize> = (
            Vec<u8>,
            Option<String>,
            Option<String>,
            Option<Vec<String>>,
            Option<Vector<M>>,
        );
        let row = session
            .execute_first::<Row<N>>(nearest, (self.scope.as_str(), embedding))
            .await?;
        let Some((_, Some(input), Some(value), tags, Some(stored))) = row else {
            return Ok(None);
        };
        let similarity = cosine(embedding.as_slice(), stored.as_slice());
        let stored = Stored {
            input,
            value: self.decode(&value)?,
            tags: tags.unwrap_or_default(),
        };
        Ok(Some((stored, similarity)))
    }

    /// Writes an answer, then remembers it.
    async fn write(
        &self,
        input: String,
        embedding: &Vector<N>,
        value: &V,
        tags: &[&str],
    ) -> Result<()> {
        let json = serde_json::to_string(value).map_err(|error| Error::SemanticCache {
            cache: self.shared.statements.name.clone(),
            problem: format!("the answer does not serialize: {error}"),
        })?;
        if let Some(position) = embedding.first_non_finite() {
            return Err(Error::SemanticCache {
                cache: self.shared.statements.name.clone(),
                problem: format!("the input's vector is not finite at position {position}"),
            });
        }
        let session = &self.shared.session;
        let insert = self.shared.statements.insert.prepared(session).await?;
        let tags: Vec<String> = tags.iter().map(|&tag| tag.to_owned()).collect();
        session
            .execute(
                insert,
                (
                    self.id(&input).to_vec(),
                    self.scope.as_str(),
                    input.as_str(),
                    embedding,
                    json,
                    &tags,
                    chrono::Utc::now(),
                    self.shared.config.ttl_seconds(),
                ),
            )
            .await?;
        Counters::add(&self.shared.counters.stores, 1);
        let key = self.memory_key(&input);
        let hit = CacheHit {
            value: value.clone(),
            stored_input: input,
            similarity: 1.0,
            source: HitSource::Memory,
            tags,
            lookup_key: key.clone(),
        };
        self.remember(key, &hit).await;
        Ok(())
    }

    /// A stored answer read back as `V`.
    fn decode(&self, json: &str) -> Result<V> {
        serde_json::from_str(json).map_err(|error| Error::SemanticCache {
            cache: self.shared.statements.name.clone(),
            problem: format!("a stored answer does not read as the cache's type: {error}"),
        })
    }
}

/// An entry read from the table.
struct Stored<V> {
    input: String,
    value: V,
    tags: Vec<String>,
}

/// The cosine similarity of `a` and `b` (0 when either is zero).
fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut norm_a, mut norm_b) = (0.0_f32, 0.0_f32, 0.0_f32);
    for (x, y) in a.iter().zip(b) {
        dot += x * y;
        norm_a += x * x;
        norm_b += y * y;
    }
    let norms = (norm_a * norm_b).sqrt();
    if norms == 0.0 { 0.0 } else { dot / norms }
}

#[cfg(test)]
mod tests {
    use super::cosine;

    #[test]
    fn cosine_is_the_plain_cosine() {
        assert!((cosine(&[1.0, 0.0], &[0.0, 1.0])).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[2.0, 2.0]) - 1.0).abs() < 1e-6);
        assert!((cosine(&[1.0, 0.0], &[-1.0, 0.0]) + 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
    }
}
