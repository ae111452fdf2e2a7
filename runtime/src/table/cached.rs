//! The repository's side of its caches (the `cache` feature): `get` and
//! the bounded named queries read through them, and every write leaves
//! its mark (see [`corm::cache`](crate::cache)).

use scylla::deserialize::row::DeserializeRow;
use scylla::serialize::row::SerializeRow;

use super::{NamedStatement, Repository, Table};
#[cfg(feature = "cache")]
use crate::Error;
use crate::Result;
#[cfg(feature = "cache")]
use crate::cache::{CacheKey, Caching, Epochs, GET, Lookup, TableCache};

/// Marks a write's rows stale in the table's caches when dropped (after
/// the write, or when it fails or is cancelled); nothing without caches.
#[cfg(feature = "cache")]
pub(crate) type WriteMark<'a> = crate::cache::WriteMark<'a>;

/// Nothing to mark without the `cache` feature.
#[cfg(not(feature = "cache"))]
pub(crate) struct WriteMark<'a>(std::marker::PhantomData<&'a ()>);

/// `error` of serialising `values` for `statement`'s cache key: the
/// values do not bind (and would not have been sent).
#[cfg(feature = "cache")]
fn unbound(statement: &str, error: &scylla::serialize::SerializationError) -> Error {
    Error::Unbound {
        statement: statement.to_owned(),
        problem: error.to_string(),
    }
}

impl<'a, T: Table> Repository<'a, T> {
    /// The mark of a write of the row at `key`: that row (every row when
    /// its key does not serialise) and every query answer.
    ///
    /// A table without a row cache needs no key for it, so its mark is
    /// made at once ([`row_mark_at_once`](Self::row_mark_at_once)), without
    /// a future to poll; a row cache finds the row's stripe from its cache
    /// key, which needs the prepared `get`. (The hot paths, `update`,
    /// `delete` and counter increments, write this `match` out themselves,
    /// so that they make no future at all for it.)
    pub(crate) async fn marks_row(&self, key: &T::Key) -> WriteMark<'a> {
        match self.row_mark_at_once() {
            Some(mark) => mark,
            None => self.marks_cached_row(key).await,
        }
    }

    /// The mark of a write of one row when it needs no key: `None` when the
    /// table caches rows.
    #[inline]
    pub(crate) fn row_mark_at_once(&self) -> Option<WriteMark<'a>> {
        #[cfg(feature = "cache")]
        {
            match self.statements().caching() {
                None => Some(WriteMark::new(None, None)),
                Some(caching) if caching.rows.is_none() => {
                    Some(WriteMark::new(Some(&caching.epochs), None))
                }
                Some(_) => None,
            }
        }
        #[cfg(not(feature = "cache"))]
        {
            Some(WriteMark(std::marker::PhantomData))
        }
    }

    /// [`marks_row`](Self::marks_row) of a table that caches rows.
    #[cfg(feature = "cache")]
    #[cold]
    pub(crate) async fn marks_cached_row(&self, key: &T::Key) -> WriteMark<'a> {
        let Some(caching) = self.statements().caching() else {
            return WriteMark::new(None, None);
        };
        let stripe = match self.statements().get.prepared(self.session()).await {
            Ok(prepared) => CacheKey::new(GET, prepared, key)
                .ok()
                .map(|key| Epochs::stripe(&key.values)),
            Err(_) => None,
        };
        WriteMark::new(Some(&caching.epochs), stripe)
    }

    /// [`marks_cached_row`](Self::marks_cached_row) without the `cache`
    /// feature: never called, as every mark is made at once.
    #[cfg(not(feature = "cache"))]
    #[allow(clippy::unused_async)]
    pub(crate) async fn marks_cached_row(&self, _key: &T::Key) -> WriteMark<'a> {
        WriteMark(std::marker::PhantomData)
    }

    /// The mark of a write of `row`: [`marks_row`](Self::marks_row) at its
    /// key, which is made (cloned from the row) only when the table has
    /// caches to mark.
    pub(crate) async fn marks_row_of(&self, row: &T) -> WriteMark<'a> {
        #[cfg(feature = "cache")]
        if self.statements().caching().is_some() {
            return self.marks_row(&row.primary_key()).await;
        }
        let _ = row;
        // Without a cache, the table's mark marks nothing.
        self.marks_table()
    }

    /// The mark of a write that may change any row (a partition's, a
    /// named mutation's, a batch's, a bulk write's).
    pub(crate) fn marks_table(&self) -> WriteMark<'a> {
        #[cfg(feature = "cache")]
        {
            WriteMark::new(
                self.statements().caching().map(|caching| &caching.epochs),
                None,
            )
        }
        #[cfg(not(feature = "cache"))]
        {
            WriteMark(std::marker::PhantomData)
        }
    }

    /// The cache of this table's rows, when it has one: its stats, and a
    /// way to clear it.
    #[cfg(feature = "cache")]
    pub fn cache(&self) -> Option<&'a TableCache> {
        self.statements().caching()?.rows.as_ref()
    }

    /// The cache of the named query `name`'s answers, when it has one.
    #[cfg(feature = "cache")]
    pub fn query_cache(&self, name: &str) -> Option<&'a TableCache> {
        let caching = self.statements().caching()?;
        caching
            .queries
            .iter()
            .find(|(_, query, _)| *query == name)
            .map(|(_, _, cache)| cache)
    }

    /// The read of the row at `key` through the table's cache, if it has
    /// one; `None` (the caller reads) when it has none. Boxed: a table
    /// without a cache then reads with a future no bigger than a build
    /// without the `cache` feature makes (the cached read's state would
    /// make every `get` future bigger, and every move of it dearer), for
    /// one allocation per cached read.
    #[cfg(feature = "cache")]
    pub(crate) fn get_cached<'k>(
        &'k self,
        key: &'k T::Key,
    ) -> Option<futures::future::BoxFuture<'k, Result<Option<T>>>> {
        let caching = self.statements().caching()?;
        let cache = caching.rows.as_ref()?;
        Some(Box::pin(self.get_through(caching, cache, key)))
    }

    #[cfg(feature = "cache")]
    async fn get_through(
        &self,
        caching: &'a Caching,
        cache: &'a TableCache,
        key: &T::Key,
    ) -> Result<Option<T>> {
        let statement = &self.statements().get;
        let prepared = statement.prepared(self.session()).await?;
        let cache_key =
            CacheKey::new(GET, prepared, key).map_err(|error| unbound(statement.text(), &error))?;
        let epochs = &caching.epochs;
        let stripe = Epochs::stripe(&cache_key.values);
        match cache.lookup::<Option<T>>(&cache_key, epochs).await {
            Lookup::Fresh(row) => return Ok(row),
            Lookup::Refresh(row) => {
                let session = self.session().clone();
                let prepared = self.options().apply(prepared).into_owned();
                let key = key.clone();
                cache.refresh(cache_key, epochs.row_mark(stripe), async move {
                    session.execute_first_sized::<T>(&prepared, &key).await
                });
                return Ok(row);
            }
            Lookup::Miss => {}
        }
        let prepared = &self.options().apply(prepared);
        cache
            .load(
                cache_key,
                epochs,
                || epochs.row_mark(stripe),
                || self.session().execute_first_sized::<T>(prepared, key),
            )
            .await
    }

    /// The answer of the named query `named` for `values` through its
    /// cache, if it has one (`None`: the caller reads). `read` reads it
    /// with its bytes.
    #[cfg(feature = "cache")]
    pub(crate) async fn query_cached<V, F, Fut>(
        &self,
        named: &NamedStatement,
        values: &(impl SerializeRow + ?Sized),
        read: F,
    ) -> Option<Result<V>>
    where
        V: Clone + Send + Sync + 'static,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(V, usize)>>,
    {
        let caching = self.statements().caching()?;
        let cache = caching.query(named.key)?;
        Some(
            async {
                let statement = self.named(named);
                let prepared = statement.prepared(self.session()).await?;
                self.answer_through(caching, cache, named.key, prepared, values, read)
                    .await
            }
            .await,
        )
    }

    /// The answer `read` gives for `values` bound to `prepared` (known to
    /// the table as `key`), through `cache`: an entry any write of the
    /// table marks stale (a query's answer, a `@unique` value's owner).
    #[cfg(feature = "cache")]
    async fn answer_through<V, F, Fut>(
        &self,
        caching: &'a Caching,
        cache: &'a TableCache,
        key: u64,
        prepared: &scylla::statement::prepared::PreparedStatement,
        values: &(impl SerializeRow + ?Sized),
        read: F,
    ) -> Result<V>
    where
        V: Clone + Send + Sync + 'static,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(V, usize)>>,
    {
        let cache_key = CacheKey::new(key, prepared, values)
            .map_err(|error| unbound(prepared.get_statement(), &error))?;
        let epochs = &caching.epochs;
        match cache.lookup::<V>(&cache_key, epochs).await {
            Lookup::Fresh(answer) | Lookup::Refresh(answer) => return Ok(answer),
            Lookup::Miss => {}
        }
        cache
            .load(cache_key, epochs, || epochs.query_mark(), read)
            .await
    }

    /// The owner of a `@unique` value: `read` (the claim in the lookup
    /// table) through the table's row cache when it has one, keyed by
    /// `lookup` (the generated key of the field's lookup) and the bytes of
    /// `values` as `find` binds them (the value, and the tenant id of a
    /// model with one). Any write of the table marks every such entry
    /// stale, as it does a query's: claims change only in writes. The
    /// caller still reads the owner's row and checks that it holds the
    /// value, so an owner read before a claim moved never yields a wrong
    /// row.
    ///
    /// # Errors
    /// `read`'s; [`Error::Unbound`] when `values` do not bind.
    #[doc(hidden)]
    pub async fn unique_owner<F, Fut>(
        &self,
        lookup: u64,
        find: &crate::Statement,
        values: &(impl SerializeRow + ?Sized),
        read: F,
    ) -> Result<Option<T::Key>>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<T::Key>>>,
    {
        #[cfg(feature = "cache")]
        if let Some(caching) = self.statements().caching()
            && let Some(cache) = caching.rows.as_ref()
        {
            let prepared = find.prepared(self.session()).await?;
            let read = || async { Ok((read().await?, size_of::<Option<T::Key>>())) };
            return self
                .answer_through(caching, cache, lookup, prepared, values, read)
                .await;
        }
        #[cfg(not(feature = "cache"))]
        let _ = (lookup, find, values);
        read().await
    }

    /// [`query_cached`](Self::query_cached) without the `cache` feature:
    /// no cache.
    #[cfg(not(feature = "cache"))]
    #[allow(clippy::unused_async)]
    pub(crate) async fn query_cached<V, F, Fut>(
        &self,
        _named: &NamedStatement,
        _values: &(impl SerializeRow + ?Sized),
        _read: F,
    ) -> Option<Result<V>>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(V, usize)>>,
    {
        None
    }
}

/// The rows of a named query's answer: read from a result, and cloned
/// out of its cache.
#[doc(hidden)]
pub trait AnswerRow: for<'f, 'm> DeserializeRow<'f, 'm> + Clone + Send + Sync + 'static {}

impl<R> AnswerRow for R where R: for<'f, 'm> DeserializeRow<'f, 'm> + Clone + Send + Sync + 'static {}

#[cfg(feature = "cache")]
impl<T: crate::changes::Logged> Repository<'_, T> {
    /// Marks stale, in this process's caches of the table, what each
    /// change in its change log touched (by any process), from `after`
    /// on: run it in a task of each process that caches a model with a
    /// change log, and another process's write stops being served within
    /// the feed's lag (its settle window and poll, `options`).
    ///
    /// Runs until the log can't be read.
    ///
    /// # Errors
    /// The change stream's error (resume from a recent position).
    pub async fn follow_invalidations(
        &self,
        after: crate::changes::Position,
        options: crate::changes::FollowOptions,
    ) -> Result<()> {
        use crate::changes::ChangeKind;
        use futures::TryStreamExt;
        let changes = self.changes_with(after, options);
        let mut changes = std::pin::pin!(changes);
        while let Some(change) = changes.try_next().await? {
            let _mark = match &change.kind {
                ChangeKind::Inserted(row) => self.marks_row(&row.primary_key()).await,
                ChangeKind::Updated { key, .. } | ChangeKind::Deleted(key) => {
                    self.marks_row(key).await
                }
                ChangeKind::PartitionUpdated { .. } | ChangeKind::PartitionDeleted(_) => {
                    self.marks_table()
                }
            };
        }
        Ok(())
    }
}
