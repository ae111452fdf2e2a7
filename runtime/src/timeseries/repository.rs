//! [`SeriesRepository`]: writes and range reads of one time series.

use std::ops::Range;

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt, stream};

use super::{Direction, Point, SeriesStatements, bucket_of, buckets};
use crate::rt::{BoundValue, Chain};
use crate::{Options, Result, Session, paging};

/// Buckets whose first page is read while the one before is consumed
/// (`range`'s docs say two).
pub(super) const READ_AHEAD: usize = 2;

/// The points of one time series on a session (from the generated `Db`).
#[derive(Debug)]
pub struct SeriesRepository<'a, P> {
    pub(super) session: &'a Session,
    pub(super) statements: &'a SeriesStatements,
    pub(super) options: Options,
    point: std::marker::PhantomData<fn() -> P>,
}

impl<P> Clone for SeriesRepository<'_, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for SeriesRepository<'_, P> {}

impl<'a, P: Point> SeriesRepository<'a, P> {
    /// The repository of `statements`' series on `session`.
    #[doc(hidden)]
    pub fn new(session: &'a Session, statements: &'a SeriesStatements) -> Self {
        Self {
            session,
            statements,
            options: Options::default(),
            point: std::marker::PhantomData,
        }
    }

    /// `future`, the request of `operation` on this series, in its span
    /// (`<series>.<operation>`) and, with the `metrics` feature, measured.
    pub(super) fn traced<F, R>(
        &self,
        operation: &'static str,
        future: F,
    ) -> crate::trace::Traced<'_, F>
    where
        F: Future<Output = Result<R>>,
    {
        self.statements
            .instruments
            .run(operation, self.options.consistency, future)
    }

    /// This repository with `options` for every call (consistency,
    /// timeout, TTL and write time of writes, page size of reads).
    #[must_use]
    pub fn with(self, options: Options) -> Self {
        Self { options, ..self }
    }

    /// Writes `point` into the bucket its `ts` falls in (a point already at
    /// that series and time is replaced).
    ///
    /// # Errors
    /// [`Error::InvalidTime`](crate::Error::InvalidTime) for a time whose
    /// bucket can't be stored, [`Error::Prepare`](crate::Error::Prepare) or
    /// [`Error::Execute`](crate::Error::Execute).
    pub async fn write(&self, point: &P) -> Result<()> {
        self.traced("write", self.write_point(point)).await
    }

    async fn write_point(&self, point: &P) -> Result<()> {
        let spec = P::SPEC;
        let bucket = bucket_of(spec.name, point.ts(), spec.bucket_ms)?;
        let ttl = self.options.bound_ttl();
        let timestamp = self.options.bound_timestamp();
        let after: [BoundValue<'_>; 3] = [&bucket, &ttl, &timestamp];
        let prepared = self.statements.write.prepared(self.session).await?;
        self.session
            .execute(
                &self.options.apply(prepared),
                Chain {
                    before: &[],
                    row: point,
                    after: &after,
                },
            )
            .await?;
        Ok(())
    }

    /// The points of `series` with `from <= ts < to`, in `direction`, at
    /// most `limit` (`None`: all): the buckets the range touches are read
    /// in order, a page at a time, the first page of the next
    /// two buckets while one is consumed; empty buckets cost one
    /// read each and yield nothing.
    ///
    /// # Errors
    /// [`Error::InvalidTime`](crate::Error::InvalidTime) when `from > to`
    /// (nothing is read), [`Error::Prepare`](crate::Error::Prepare); later
    /// failures are items of the stream.
    pub async fn range(
        &self,
        series: &'a P::Series,
        range: Range<DateTime<Utc>>,
        direction: Direction,
        limit: Option<usize>,
    ) -> Result<impl Stream<Item = Result<P>> + Send + 'a> {
        self.range_of(series, range, direction, limit).await
    }

    /// [`range`](Self::range) of a series held by reference or shared
    /// (an `Arc`, when the caller builds the series and the stream
    /// outlives it: a tenant's handle).
    pub(crate) async fn range_of<S>(
        &self,
        series: S,
        range: Range<DateTime<Utc>>,
        direction: Direction,
        limit: Option<usize>,
    ) -> Result<impl Stream<Item = Result<P>> + Send + 'a>
    where
        S: std::ops::Deref<Target = P::Series> + Clone + Send + Sync + 'a,
    {
        let spec = P::SPEC;
        let mut buckets = buckets(spec.name, range.start, range.end, spec.bucket_ms)?;
        let statement = match direction {
            Direction::Ascending => &self.statements.range_ascending,
            Direction::Descending => {
                buckets.reverse();
                &self.statements.range_descending
            }
        };
        let prepared = self
            .options
            .apply(statement.prepared(self.session).await?)
            .into_owned();
        let session = self.session;
        let page_size = self.options.page_size;
        let (from, to) = (range.start, range.end);
        let points = stream::iter(buckets)
            .map(move |bucket| {
                let prepared = prepared.clone();
                let series = series.clone();
                async move {
                    let after: [BoundValue<'_>; 3] = [&bucket, &from, &to];
                    paging::stream::<P>(
                        session,
                        prepared,
                        Chain {
                            before: &[],
                            row: &*series,
                            after: &after,
                        },
                        page_size,
                    )
                    .await
                }
            })
            // The bucket consumed, and `READ_AHEAD` more already asked for.
            .buffered(READ_AHEAD + 1)
            .try_flatten();
        Ok(points.take(limit.unwrap_or(usize::MAX)))
    }

    /// The newest point of `series` at or before `at`, looking back at
    /// most `max_buckets` buckets (`None` when there is none in them).
    ///
    /// # Errors
    /// [`Error::InvalidTime`](crate::Error::InvalidTime),
    /// [`Error::Prepare`](crate::Error::Prepare), or a read's error.
    pub async fn latest_before(
        &self,
        series: &P::Series,
        at: DateTime<Utc>,
        max_buckets: u32,
    ) -> Result<Option<P>> {
        self.traced("latest", self.newest_before(series, at, max_buckets))
            .await
    }

    async fn newest_before(
        &self,
        series: &P::Series,
        at: DateTime<Utc>,
        max_buckets: u32,
    ) -> Result<Option<P>> {
        let spec = P::SPEC;
        let prepared = self.statements.latest.prepared(self.session).await?;
        let prepared = self.options.apply(prepared);
        let mut bucket = bucket_of(spec.name, at, spec.bucket_ms)?;
        for _ in 0..max_buckets.max(1) {
            let after: [BoundValue<'_>; 2] = [&bucket, &at];
            let found = self
                .session
                .execute_first::<P>(
                    &prepared,
                    Chain {
                        before: &[],
                        row: series,
                        after: &after,
                    },
                )
                .await?;
            if found.is_some() {
                return Ok(found);
            }
            let Some(previous) =
                DateTime::from_timestamp_millis(bucket.timestamp_millis() - spec.bucket_ms)
            else {
                break;
            };
            bucket = previous;
        }
        Ok(None)
    }

    /// The newest point of `series` now, looking back at most 24 buckets.
    ///
    /// # Errors
    /// As for [`latest_before`](Self::latest_before).
    pub async fn latest(&self, series: &P::Series) -> Result<Option<P>> {
        self.latest_before(series, Utc::now(), 24).await
    }

    /// Every point of every series, read token range by token range as
    /// [`Repository::scan_parallel`](crate::Repository::scan_parallel)
    /// reads a model's table: an unordered stream with bounded memory, for
    /// exports and backfills.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) before the first point;
    /// later failures are items of the stream.
    pub async fn scan_parallel(
        &self,
        scan: crate::ParallelScan,
    ) -> Result<impl Stream<Item = Result<P>> + Send + 'a> {
        let prepared = self
            .options
            .apply(self.statements.scan.prepared(self.session).await?)
            .into_owned();
        Ok(crate::table::token_scan(
            self.session,
            std::sync::Arc::new(prepared),
            scan,
            self.options.page_size,
        ))
    }
}
