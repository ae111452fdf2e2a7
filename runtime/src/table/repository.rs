//! The reads and writes of one table, generic over its [`Table`] type.

use std::marker::PhantomData;

use super::{Clustered, DirectWrites, Table, TableStatements};
use crate::paging::{self, Page, PagingToken, Rows};
use crate::rt::{BoundValue, Chain, with_ttl_and_timestamp};
use crate::trace::Traced;
use crate::{Options, Result, Session};

/// Reads and writes the rows of table `T` on one session, with the
/// [`Options`] it carries (the session's defaults unless set with
/// [`with`](Self::with)).
///
/// Cheap to copy: it borrows the session and the statements. A generated
/// repository (`db.order()`) dereferences to one.
pub struct Repository<'a, T> {
    session: &'a Session,
    statements: &'a TableStatements,
    options: Options,
    table: PhantomData<fn() -> T>,
}

impl<T> Clone for Repository<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Repository<'_, T> {}

impl<T> std::fmt::Debug for Repository<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repository")
            .field("table", &self.statements.table())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T: Table> Repository<'a, T> {
    /// The repository of `statements`' table on `session`, with the
    /// session's default options.
    #[doc(hidden)]
    pub fn new(session: &'a Session, statements: &'a TableStatements) -> Self {
        Self {
            session,
            statements,
            options: Options::new(),
            table: PhantomData,
        }
    }

    /// This repository with `options` for every call (consistency,
    /// timeout, write time, time to live, page size).
    #[must_use]
    pub fn with(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The options every call uses.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The session the statements run on.
    pub fn session(&self) -> &'a Session {
        self.session
    }

    /// This repository for a shorter lifetime: what a method returning a
    /// future that borrows `self` for `'s` calls its operations on.
    #[doc(hidden)]
    pub fn reborrow(&self) -> &Repository<'_, T> {
        self
    }

    /// The table's statements.
    #[doc(hidden)]
    pub fn statements(&self) -> &'a TableStatements {
        self.statements
    }

    /// `future`, the request of `operation` on this repository, run in
    /// its tracing span (`<model>.<operation>`) and, with the `metrics`
    /// feature, measured.
    #[doc(hidden)]
    #[inline]
    pub fn traced<F, R>(&self, operation: &'static str, future: F) -> Traced<'a, F>
    where
        F: Future<Output = Result<R>>,
    {
        self.statements
            .instruments
            .run(operation, self.options.consistency, future)
    }

    /// The row at `key`, or `None` when there is none
    /// (`SELECT <columns> FROM <table> WHERE <key>`).
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::Execute`](crate::Error::Execute), or an error reading the row.
    pub fn get(&self, key: &T::Key) -> impl Future<Output = Result<Option<T>>> {
        self.traced("get", async move {
            #[cfg(feature = "cache")]
            if let Some(cached) = self.get_cached(key) {
                return cached.await;
            }
            let prepared = self.statements.get.prepared(self.session).await?;
            self.session
                .execute_first(&self.options.apply(prepared), key)
                .await
        })
    }

    /// Every row of the table, partition by partition (in token order),
    /// fetched a page at a time: a full table scan, for tools and small
    /// tables.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize), or the
    /// first page's error; later failures are items of the stream.
    pub fn scan(&self) -> impl Future<Output = Result<Rows<T>>> {
        self.traced("scan", async move {
            let prepared = self.statements.scan.prepared(self.session).await?;
            self.stream(prepared, ()).await
        })
    }

    /// The rows `prepared` returns for `values`, a page at a time, with
    /// this repository's options.
    #[doc(hidden)]
    pub async fn stream<R>(
        &self,
        prepared: &scylla::statement::prepared::PreparedStatement,
        values: impl scylla::serialize::row::SerializeRow,
    ) -> Result<Rows<R>>
    where
        R: for<'f, 'm> scylla::deserialize::row::DeserializeRow<'f, 'm> + Send + 'static,
    {
        let options = &self.options;
        paging::stream(
            self.session,
            options.apply(prepared).into_owned(),
            values,
            options.page_size,
        )
        .await
    }

    /// Writes `row`, every column, with this repository's TTL and write
    /// time when set; no validation and no unique claims (what the
    /// generated repository's `insert` does around it).
    #[doc(hidden)]
    pub fn write_row(&self, row: &T) -> impl Future<Output = Result<()>> {
        self.traced("insert", self.write_row_untraced(row))
    }

    /// [`write_row`](Self::write_row) in the caller's span.
    async fn write_row_untraced(&self, row: &T) -> Result<()> {
        let _mark = self.marks_row_of(row).await;
        if let Some(log) = self.statements.changes() {
            return self.record_insert(log, row).await;
        }
        let options = &self.options;
        if options.writes_using() {
            let prepared = self.statements.insert_using.prepared(self.session).await?;
            self.session
                .execute(
                    &options.apply(prepared),
                    with_ttl_and_timestamp(row, options),
                )
                .await?;
        } else {
            let prepared = self.statements.insert.prepared(self.session).await?;
            self.session.write(&options.apply(prepared), row).await?;
        }
        Ok(())
    }

    /// Writes `row` if no row has its key (`IF NOT EXISTS`); whether it was
    /// written. No validation and no unique claims.
    #[doc(hidden)]
    pub fn write_row_if_not_exists(&self, row: &T) -> impl Future<Output = Result<bool>> {
        self.traced(
            "insert_if_not_exists",
            self.write_row_if_not_exists_untraced(row),
        )
    }

    /// [`write_row_if_not_exists`](Self::write_row_if_not_exists) in the
    /// caller's span.
    async fn write_row_if_not_exists_untraced(&self, row: &T) -> Result<bool> {
        if self.statements.changes().is_some() {
            return Err(crate::Error::ChangeLog {
                model: self.statements.spec().model,
                problem: "a conditional write (`IF NOT EXISTS`) can't record its change: \
                          a lightweight transaction can't share a batch with the change log"
                    .to_owned(),
            });
        }
        let _mark = self.marks_row_of(row).await;
        let options = &self.options;
        let (prepared, result) = match options.ttl {
            Some(ttl) => {
                let prepared = self
                    .statements
                    .insert_if_not_exists_using
                    .prepared(self.session)
                    .await?;
                let values = Chain {
                    before: &[],
                    row,
                    after: &[&ttl],
                };
                (
                    prepared,
                    self.session
                        .execute(&options.apply(prepared), values)
                        .await?,
                )
            }
            None => {
                let prepared = self
                    .statements
                    .insert_if_not_exists
                    .prepared(self.session)
                    .await?;
                (
                    prepared,
                    self.session.execute(&options.apply(prepared), row).await?,
                )
            }
        };
        crate::lwt::was_applied(prepared.get_statement(), result)
    }

    /// Deletes the row at `key`; no unique claims released.
    #[doc(hidden)]
    pub fn delete_row(&self, key: &T::Key) -> impl Future<Output = Result<()>> {
        self.traced("delete", async move {
            let _mark = match self.row_mark_at_once() {
                Some(mark) => mark,
                None => self.marks_cached_row(key).await,
            };
            if let Some(log) = self.statements.changes() {
                return self.record_delete(log, key).await;
            }
            let prepared = self.statements.delete.prepared(self.session).await?;
            self.session
                .write(&self.options.apply(prepared), key)
                .await?;
            Ok(())
        })
    }

    /// Adds `deltas` (one `corm::Counter` per counter column, in the
    /// table's order) to the counters of the row at `key`.
    #[doc(hidden)]
    pub fn add_counters(
        &self,
        key: &T::Key,
        deltas: &[BoundValue<'_>],
    ) -> impl Future<Output = Result<()>> {
        self.traced("increment", async move {
            let _mark = match self.row_mark_at_once() {
                Some(mark) => mark,
                None => self.marks_cached_row(key).await,
            };
            let prepared = self.statements.add.prepared(self.session).await?;
            let values = Chain {
                before: deltas,
                row: key,
                after: &[],
            };
            self.session
                .write(&self.options.apply(prepared), values)
                .await?;
            Ok(())
        })
    }
}

impl<T: DirectWrites> Repository<'_, T> {
    /// Writes `row`, every column (a null for each `None`, an empty
    /// collection for each empty one): an upsert. With a TTL or write time
    /// in the options, through `… USING TTL ? AND TIMESTAMP ?`.
    ///
    /// # Errors
    /// [`Error::Validation`](crate::Error::Validation) when `row` breaks its
    /// `@validate` rules (nothing is written);
    /// [`Error::Prepare`](crate::Error::Prepare) or
    /// [`Error::Execute`](crate::Error::Execute).
    pub fn insert(&self, row: &T) -> impl Future<Output = Result<()>> {
        self.traced("insert", async move {
            row.validate()?;
            self.write_row_untraced(row).await
        })
    }

    /// Writes `row` only if no row has its primary key (`IF NOT EXISTS`, a
    /// lightweight transaction). Returns whether it was written. A TTL in
    /// the options applies (`IF NOT EXISTS USING TTL ?`); a write time
    /// can't (Cassandra refuses it for conditional writes).
    ///
    /// # Errors
    /// As for [`insert`](Self::insert), or an error reading the result of
    /// the conditional write.
    pub fn insert_if_not_exists(&self, row: &T) -> impl Future<Output = Result<bool>> {
        self.traced("insert_if_not_exists", async move {
            row.validate()?;
            self.write_row_if_not_exists_untraced(row).await
        })
    }

    /// Deletes the row at `key` (nothing happens when there is none), with
    /// the write time of the options when set.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) or
    /// [`Error::Execute`](crate::Error::Execute).
    pub fn delete(&self, key: &T::Key) -> impl Future<Output = Result<()>> {
        self.delete_row(key)
    }
}

impl<T: Clustered> Repository<'_, T> {
    /// The rows of the partition `partition`, in clustering order, fetched
    /// a page at a time.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize), or the
    /// first page's error; later failures are items of the stream.
    pub fn partition(&self, partition: &T::Partition) -> impl Future<Output = Result<Rows<T>>> {
        self.traced("partition", async move {
            let prepared = self.statements.partition.prepared(self.session).await?;
            self.stream(prepared, partition).await
        })
    }
}

impl<T: Clustered> Repository<'_, T> {
    /// One page of the partition `partition`, in clustering order: at most
    /// `page_size` rows from where `token` (the `next` of an earlier page
    /// of the same partition) says, or from the start. For APIs that hand
    /// pages to their clients.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare),
    /// [`Error::InvalidPageSize`](crate::Error::InvalidPageSize),
    /// [`Error::Execute`](crate::Error::Execute), or an error reading a row.
    pub fn partition_page<'p>(
        &'p self,
        partition: &'p T::Partition,
        page_size: i32,
        token: Option<&'p PagingToken>,
    ) -> impl Future<Output = Result<Page<T>>> + 'p {
        self.traced("partition", async move {
            let prepared = self.statements.partition.prepared(self.session).await?;
            paging::page(
                self.session,
                &self.options.apply(prepared),
                partition,
                Some(page_size),
                token.map(PagingToken::as_bytes),
            )
            .await
        })
    }
}

impl<T: Clustered + DirectWrites> Repository<'_, T> {
    /// Deletes every row of the partition `partition`.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) or
    /// [`Error::Execute`](crate::Error::Execute).
    pub fn delete_partition(&self, partition: &T::Partition) -> impl Future<Output = Result<()>> {
        self.delete_partition_rows(partition)
    }
}

impl<T: Clustered> Repository<'_, T> {
    /// Deletes every row of the partition `partition`; no unique claims
    /// released.
    #[doc(hidden)]
    pub fn delete_partition_rows(
        &self,
        partition: &T::Partition,
    ) -> impl Future<Output = Result<()>> {
        self.traced("delete_partition", async move {
            let _mark = self.marks_table();
            if let Some(log) = self.statements.changes() {
                return self.record_delete_partition(log, partition).await;
            }
            let prepared = self
                .statements
                .delete_partition
                .prepared(self.session)
                .await?;
            self.session
                .write(&self.options.apply(prepared), partition)
                .await?;
            Ok(())
        })
    }
}
