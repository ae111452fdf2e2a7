//! Bulk inserts of a model's rows (see [`crate::bulk`] for how rows are
//! grouped and sent), and the row-by-row bulk insert of models whose
//! writes claim `@unique` values.

use std::future::Future;

use futures::{Stream, StreamExt, stream};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::value::MaybeUnset;

use super::{DirectWrites, Repository};
use crate::Result;
use crate::bulk::{BulkFailure, BulkItem, BulkOptions, BulkReport, write_all};
use crate::rt::{BoundValue, Chain};

impl<T: DirectWrites> Repository<'_, T> {
    /// Writes `rows` as [`BulkOptions::default`] says (see [`crate::bulk`]),
    /// with this repository's TTL, write time and consistency.
    ///
    /// # Errors
    /// [`Error::Prepare`](crate::Error::Prepare) when the insert can't be
    /// prepared (nothing is written); every other failure is in the report.
    pub async fn insert_many(&self, rows: impl IntoIterator<Item = T>) -> Result<BulkReport<T>> {
        self.insert_stream_with(stream::iter(rows), BulkOptions::default())
            .await
    }

    /// [`insert_many`](Self::insert_many) with `bulk`'s grouping and limits.
    ///
    /// # Errors
    /// As for [`insert_many`](Self::insert_many).
    pub async fn insert_many_with(
        &self,
        rows: impl IntoIterator<Item = T>,
        bulk: BulkOptions,
    ) -> Result<BulkReport<T>> {
        self.insert_stream_with(stream::iter(rows), bulk).await
    }

    /// [`insert_many`](Self::insert_many) over a stream (rows read from a
    /// file, a queue, another table): taken a chunk at a time, so memory
    /// stays bounded however long the stream.
    ///
    /// # Errors
    /// As for [`insert_many`](Self::insert_many).
    pub async fn insert_stream(&self, rows: impl Stream<Item = T>) -> Result<BulkReport<T>> {
        self.insert_stream_with(rows, BulkOptions::default()).await
    }

    /// [`insert_stream`](Self::insert_stream) with `bulk`'s grouping and
    /// limits.
    ///
    /// # Errors
    /// As for [`insert_many`](Self::insert_many).
    pub async fn insert_stream_with(
        &self,
        rows: impl Stream<Item = T>,
        bulk: BulkOptions,
    ) -> Result<BulkReport<T>> {
        if self.records_changes()? {
            // Row by row: each write is a logged batch with its change.
            return Ok(insert_each(rows, bulk.in_flight, |row| async move {
                let result = self.insert(&row).await;
                (row, result)
            })
            .await);
        }
        let options = *self.options();
        let using = options.writes_using();
        let statement = if using {
            &self.statements().insert_using
        } else {
            &self.statements().insert
        };
        let prepared = options
            .apply(statement.prepared(self.session()).await?)
            .into_owned();
        let (ttl, timestamp) = (options.bound_ttl(), options.bound_timestamp());
        let items = rows.map(|row| match row.validate() {
            Ok(()) => Ok(ModelRow {
                row,
                using: using.then_some((ttl, timestamp)),
            }),
            Err(error) => Err(BulkFailure {
                rows: vec![row],
                error,
            }),
        });
        let _mark = self.marks_table();
        Ok(write_all(self.session(), &prepared, &options, bulk, items).await)
    }
}

/// A model's row with the TTL and write time its insert binds after it
/// (when the repository's options set either).
struct ModelRow<T> {
    row: T,
    using: Option<(MaybeUnset<i32>, MaybeUnset<i64>)>,
}

impl<T: SerializeRow + Sync> SerializeRow for ModelRow<T> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> std::result::Result<(), SerializationError> {
        match &self.using {
            None => self.row.serialize(ctx, writer),
            Some((ttl, timestamp)) => {
                let after: [BoundValue<'_>; 2] = [ttl, timestamp];
                Chain {
                    before: &[],
                    row: &self.row,
                    after: &after,
                }
                .serialize(ctx, writer)
            }
        }
    }

    fn is_empty(&self) -> bool {
        false
    }
}

impl<T: SerializeRow + Send + Sync> BulkItem for ModelRow<T> {
    type Row = T;

    fn into_row(self) -> T {
        self.row
    }
}

/// Writes `rows` one at a time through `write` (which gives the row back
/// with its outcome), at most `in_flight` at once: the bulk write of a
/// model whose writes claim `@unique` values (a claim is a lightweight
/// transaction on another table, which no batch can hold). Generated
/// repositories call it, with an iterator's rows or a stream's.
#[doc(hidden)]
pub async fn insert_each<T, F, Fut>(
    rows: impl Stream<Item = T>,
    in_flight: usize,
    write: F,
) -> BulkReport<T>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = (T, Result<()>)>,
{
    let mut report = BulkReport::default();
    let mut written = std::pin::pin!(rows.map(write).buffer_unordered(in_flight.max(1)));
    while let Some((row, result)) = written.next().await {
        match result {
            Ok(()) => report.wrote(1),
            Err(error) => report.fail(vec![row], error),
        }
    }
    report
}
