//! Bulk writes of a time series' points, through the shared bulk writer
//! ([`crate::bulk`]): each point with its bucket, grouped by partition
//! (series and bucket) into unlogged batches.

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, stream};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::value::MaybeUnset;

use super::{Point, SeriesRepository, bucket_of};
use crate::Result;
use crate::bulk::{BulkFailure, BulkItem, BulkOptions, BulkReport, write_all};
use crate::rt::{BoundValue, Chain};

impl<P: Point> SeriesRepository<'_, P> {
    /// Writes `points` as [`write`](Self::write) does, in bulk (see
    /// [`crate::bulk`]): grouped by partition into unlogged batches of at
    /// most [`BulkOptions::batch_bytes`] of values, [`BulkOptions::in_flight`]
    /// at once; every point is counted as written or reported with its
    /// error (a time with no bucket is reported, not written).
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) when the write can't be
    /// prepared (nothing is written); every other failure is in the report.
    pub async fn write_many(&self, points: impl IntoIterator<Item = P>) -> Result<BulkReport<P>> {
        self.write_stream_with(stream::iter(points), BulkOptions::default())
            .await
    }

    /// [`write_many`](Self::write_many) over a stream: taken a chunk at a
    /// time, so memory stays bounded however long the stream.
    ///
    /// # Errors
    /// As for [`write_many`](Self::write_many).
    pub async fn write_stream(&self, points: impl Stream<Item = P>) -> Result<BulkReport<P>> {
        self.write_stream_with(points, BulkOptions::default()).await
    }

    /// [`write_stream`](Self::write_stream) with `bulk`'s grouping and
    /// limits.
    ///
    /// # Errors
    /// As for [`write_many`](Self::write_many).
    pub async fn write_stream_with(
        &self,
        points: impl Stream<Item = P>,
        bulk: BulkOptions,
    ) -> Result<BulkReport<P>> {
        let spec = P::SPEC;
        let prepared = self
            .options
            .apply(self.statements.write.prepared(self.session).await?)
            .into_owned();
        let (ttl, timestamp) = (self.options.bound_ttl(), self.options.bound_timestamp());
        let items = points.map(
            |point| match bucket_of(spec.name, point.ts(), spec.bucket_ms) {
                Ok(bucket) => Ok(BucketedPoint {
                    point,
                    bucket,
                    ttl,
                    timestamp,
                }),
                Err(error) => Err(BulkFailure {
                    rows: vec![point],
                    error,
                }),
            },
        );
        Ok(write_all(self.session, &prepared, &self.options, bulk, items).await)
    }
}

/// A point with the start of its bucket, and the TTL and write time its
/// write binds.
struct BucketedPoint<P> {
    point: P,
    bucket: DateTime<Utc>,
    ttl: MaybeUnset<i32>,
    timestamp: MaybeUnset<i64>,
}

impl<P: Point> SerializeRow for BucketedPoint<P> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> std::result::Result<(), SerializationError> {
        let after: [BoundValue<'_>; 3] = [&self.bucket, &self.ttl, &self.timestamp];
        Chain {
            before: &[],
            row: &self.point,
            after: &after,
        }
        .serialize(ctx, writer)
    }

    fn is_empty(&self) -> bool {
        false
    }
}

impl<P: Point> BulkItem for BucketedPoint<P> {
    type Row = P;

    fn into_row(self) -> P {
        self.point
    }
}
