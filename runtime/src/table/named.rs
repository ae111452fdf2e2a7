//! Statements the schema writes beside a table's own: named queries,
//! aggregates, named mutations and relation reads. Generated code gives each one's text
//! around a table's name as a [`NamedStatement`]; the repository prepares
//! it once (in the table's cache of extra statements) and runs it with its
//! options, so a generated query method is one call.

use scylla::deserialize::row::DeserializeRow;
use scylla::serialize::row::SerializeRow;
use scylla::serialize::value::SerializeValue;

use super::cached::AnswerRow;
use super::{Repository, Table};
use crate::Result;
use crate::loader::{CONCURRENT_REQUESTS, IN_CHUNK, Loaded, Relation, distinct_keys, distribute};
use crate::lwt::Applied;
use crate::paging::{self, Page, PagingToken, Rows};
use crate::rt::Cached;

/// A statement's text around a table's name, and its key in the cache of
/// extra statements of the repository that runs it.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct NamedStatement {
    /// The generated method's name: its tracing span is
    /// `<model>.<name>`.
    pub name: &'static str,
    /// The statement's key in the repository's extra statements (named
    /// queries and aggregates by declaration order, relation reads from
    /// [`RELATION_STATEMENTS`](crate::loader::RELATION_STATEMENTS)).
    pub key: u64,
    /// The text before the table's name (`SELECT … FROM `).
    pub head: &'static str,
    /// The text after it (` WHERE …`).
    pub tail: &'static str,
    /// Whether running it twice has the effect of running it once: false
    /// for counter updates and list appends, which the generator knows
    /// from the columns' types (an `IF` clause is found in the text).
    pub idempotent: bool,
}

impl<'a, T: Table> Repository<'a, T> {
    /// The statement `named` on this repository's table.
    #[doc(hidden)]
    pub fn named(&self, named: &NamedStatement) -> Cached<'a> {
        self.named_in(named, self.statements().table())
    }

    /// The statement `named` on `table` (another model's table, for a
    /// relation), kept in this repository's cache.
    #[doc(hidden)]
    pub fn named_in(&self, named: &NamedStatement, table: &str) -> Cached<'a> {
        self.statements()
            .extra()
            .get_marked(named.key, named.idempotent, || {
                [named.head, table, named.tail].concat()
            })
    }

    /// The first row `named` returns for `values`, or `None`.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::Execute`](crate::Error::Execute), or an error reading the row.
    #[doc(hidden)]
    pub fn fetch_optional<R>(
        &self,
        named: &NamedStatement,
        values: impl SerializeRow,
    ) -> impl Future<Output = Result<Option<R>>>
    where
        R: AnswerRow,
    {
        self.traced(named.name, async move {
            let read = || async {
                let statement = self.named(named);
                let prepared = statement.prepared(self.session()).await?;
                self.session()
                    .execute_first_sized(&self.options().apply(prepared), &values)
                    .await
            };
            match self.query_cached(named, &values, read).await {
                Some(answer) => answer,
                None => self.first(self.named(named), &values).await,
            }
        })
    }

    /// Every row `named` returns for `values` (its `limit` bounds them).
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize),
    /// [`Error::Pager`](crate::Error::Pager) or
    /// [`Error::NextRow`](crate::Error::NextRow).
    #[doc(hidden)]
    pub fn fetch_all<R>(
        &self,
        named: &NamedStatement,
        values: impl SerializeRow,
    ) -> impl Future<Output = Result<Vec<R>>>
    where
        R: AnswerRow,
    {
        self.traced(named.name, async move {
            let read = || async {
                let statement = self.named(named);
                let prepared = statement.prepared(self.session()).await?;
                let prepared = self.options().apply(prepared);
                let (rows, bytes) =
                    paging::read_all_sized(self.session(), &prepared, &values).await?;
                crate::trace::record_rows(rows.len());
                Ok((rows, bytes))
            };
            match self.query_cached(named, &values, read).await {
                Some(answer) => answer,
                None => self.all(self.named(named), &values).await,
            }
        })
    }

    /// The rows `named` returns for `values`, a page at a time.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize), or the
    /// first page's error; later failures are items of the stream.
    #[doc(hidden)]
    pub fn fetch<R>(
        &self,
        named: &NamedStatement,
        values: impl SerializeRow,
    ) -> impl Future<Output = Result<Rows<R>>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
    {
        self.traced(named.name, async move {
            let statement = self.named(named);
            let prepared = statement.prepared(self.session()).await?;
            self.stream(prepared, values).await
        })
    }

    /// One page of the rows `named` returns for `values`: at most
    /// `page_size` from where `token` (an earlier page's `next`, same
    /// statement and values) says, or from the start.
    ///
    /// # Errors
    /// As [`paging::page`](crate::paging::page).
    #[doc(hidden)]
    pub fn fetch_page<'p, R>(
        &'p self,
        named: &'p NamedStatement,
        values: impl SerializeRow + Send + 'p,
        page_size: i32,
        token: Option<&'p PagingToken>,
    ) -> impl Future<Output = Result<Page<R>>> + 'p
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
    {
        self.traced(named.name, async move {
            let statement = self.named(named);
            let prepared = statement.prepared(self.session()).await?;
            paging::page(
                self.session(),
                &self.options().apply(prepared),
                values,
                Some(page_size),
                token.map(PagingToken::as_bytes),
            )
            .await
        })
    }

    /// The first row `named` returns on `table` for `values`, or `None`:
    /// a relation's read of one row (nothing is read, and the answer is
    /// `None`, without values: an input whose key has a `None`).
    ///
    /// # Errors
    /// As [`fetch_optional`](Self::fetch_optional).
    #[doc(hidden)]
    pub async fn fetch_related_optional<R>(
        &self,
        named: &NamedStatement,
        table: &str,
        values: Option<impl SerializeRow>,
    ) -> Result<Option<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm>,
    {
        let Some(values) = values else {
            return Ok(None);
        };
        self.traced(named.name, self.first(self.named_in(named, table), values))
            .await
    }

    /// Every row `named` returns on `table` for `values`: a relation's
    /// read of one input's rows (none without values).
    ///
    /// # Errors
    /// As [`fetch_all`](Self::fetch_all).
    #[doc(hidden)]
    pub async fn fetch_related_all<R>(
        &self,
        named: &NamedStatement,
        table: &str,
        values: Option<impl SerializeRow>,
    ) -> Result<Vec<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
    {
        let Some(values) = values else {
            return Ok(Vec::new());
        };
        self.traced(named.name, self.all(self.named_in(named, table), values))
            .await
    }

    /// The rows of a batched relation read whose statement binds one list
    /// of keys (`… WHERE k IN ?`): one request per
    /// [`IN_CHUNK`] keys, at most [`CONCURRENT_REQUESTS`] at once. Nothing
    /// is read for no keys.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare), or the first failure of
    /// any request.
    #[doc(hidden)]
    pub async fn fetch_related_in<R, K>(
        &self,
        named: &NamedStatement,
        table: &str,
        keys: &[K],
    ) -> Result<Vec<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
        K: SerializeValue,
    {
        // A named function, not a closure: its signature is general over
        // the chunk's lifetime, so the future stays `Send` for callers that
        // box it (a closure's inferred signature is not).
        fn bind_list<K>(chunk: &[K]) -> (&[K],) {
            (chunk,)
        }
        let requests = keys.chunks(IN_CHUNK).map(bind_list);
        self.read_requests(named, table, requests).await
    }

    /// The batched loader of relation `L` whose statement binds one list
    /// of keys (`… WHERE k IN ?`): the distinct keys of `inputs`, read as
    /// [`fetch_related_in`](Self::fetch_related_in) does, and each row
    /// handed to every input whose key it holds (`Out`: `Option<_>` or
    /// `Vec<_>` per input, in the order of `inputs`).
    ///
    /// # Errors
    /// As [`fetch_related_in`](Self::fetch_related_in): there is no partial
    /// result.
    #[doc(hidden)]
    pub async fn load_in<L, Out>(
        self,
        named: &NamedStatement,
        table: &str,
        inputs: &[L::Input],
    ) -> Result<Vec<Out>>
    where
        L: Relation,
        L::Row: for<'f, 'm> DeserializeRow<'f, 'm>,
        for<'k> L::Key<'k>: SerializeValue,
        Out: Loaded<L::Row>,
    {
        let keys = distinct_keys(inputs, L::input_key);
        let rows: Vec<L::Row> = self.fetch_related_in(named, table, &keys).await?;
        Ok(distribute(inputs, &rows, L::input_key, L::row_key))
    }

    /// The batched loader of relation `L` with one request per distinct
    /// key of `inputs` (its columns bound in order), as
    /// [`fetch_related_each`](Self::fetch_related_each) reads; otherwise as
    /// [`load_in`](Self::load_in).
    ///
    /// # Errors
    /// As [`fetch_related_each`](Self::fetch_related_each).
    #[doc(hidden)]
    pub async fn load_each<L, Out>(
        self,
        named: &NamedStatement,
        table: &str,
        inputs: &[L::Input],
    ) -> Result<Vec<Out>>
    where
        L: Relation,
        L::Row: for<'f, 'm> DeserializeRow<'f, 'm>,
        for<'k> L::Key<'k>: SerializeRow,
        Out: Loaded<L::Row>,
    {
        let keys = distinct_keys(inputs, L::input_key);
        let rows: Vec<L::Row> = self.fetch_related_each(named, table, &keys).await?;
        Ok(distribute(inputs, &rows, L::input_key, L::row_key))
    }

    /// The rows of a batched relation read with one request per key (the
    /// key's columns bound in order), at most [`CONCURRENT_REQUESTS`] at
    /// once. Nothing is read for no keys.
    ///
    /// # Errors
    /// As [`fetch_related_in`](Self::fetch_related_in).
    #[doc(hidden)]
    pub async fn fetch_related_each<R, K>(
        &self,
        named: &NamedStatement,
        table: &str,
        keys: &[K],
    ) -> Result<Vec<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
        K: SerializeRow,
    {
        self.read_requests(named, table, keys.iter()).await
    }

    /// Every row of `named` on `table` for each of `requests`, at most
    /// [`CONCURRENT_REQUESTS`] at once; nothing is prepared or read for no
    /// requests.
    async fn read_requests<R, V>(
        &self,
        named: &NamedStatement,
        table: &str,
        requests: impl ExactSizeIterator<Item = V>,
    ) -> Result<Vec<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
        V: SerializeRow,
    {
        if requests.len() == 0 {
            return Ok(Vec::new());
        }
        self.traced(named.name, async {
            let statement = self.named_in(named, table);
            let prepared = statement.prepared(self.session()).await?;
            let rows = paging::read_concurrently(
                self.session(),
                prepared,
                self.options(),
                requests,
                CONCURRENT_REQUESTS,
            )
            .await?;
            crate::trace::record_rows(rows.len());
            Ok(rows)
        })
        .await
    }

    /// Runs the write `named` (a named mutation) with `values` and this
    /// repository's options.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) or
    /// [`Error::Execute`](crate::Error::Execute).
    #[doc(hidden)]
    pub async fn execute_named(
        &self,
        named: &NamedStatement,
        values: impl SerializeRow,
    ) -> Result<()> {
        self.traced(named.name, async {
            let statement = self.named(named);
            let prepared = statement.prepared(self.session()).await?;
            let _mark = self.marks_table();
            self.session()
                .write(&self.options().apply(prepared), values)
                .await?;
            Ok(())
        })
        .await
    }

    /// Runs the conditional write `named` (`… IF …`): `None` when it
    /// applied, else the current values Cassandra returned.
    ///
    /// # Errors
    /// As [`execute_named`](Self::execute_named), and the errors of
    /// [`lwt::applied`](crate::lwt::applied).
    #[doc(hidden)]
    pub async fn execute_named_if(
        &self,
        named: &NamedStatement,
        values: impl SerializeRow,
    ) -> Result<Option<Applied>> {
        self.traced(named.name, async {
            let statement = self.named(named);
            let prepared = statement.prepared(self.session()).await?;
            let _mark = self.marks_table();
            let result = self
                .session()
                .execute(&self.options().apply(prepared), values)
                .await?;
            let applied = crate::lwt::applied(prepared.get_statement(), result)?;
            Ok((!applied.applied()).then_some(applied))
        })
        .await
    }

    async fn all<R>(&self, statement: Cached<'a>, values: impl SerializeRow) -> Result<Vec<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm> + Send + 'static,
    {
        let prepared = statement.prepared(self.session()).await?;
        let rows: Vec<R> =
            paging::read_all(self.session(), prepared, self.options(), values).await?;
        crate::trace::record_rows(rows.len());
        Ok(rows)
    }

    async fn first<R>(&self, statement: Cached<'a>, values: impl SerializeRow) -> Result<Option<R>>
    where
        R: for<'f, 'm> DeserializeRow<'f, 'm>,
    {
        let prepared = statement.prepared(self.session()).await?;
        self.session()
            .execute_first(&self.options().apply(prepared), values)
            .await
    }
}
