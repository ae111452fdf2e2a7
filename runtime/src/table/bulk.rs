//! Bulk ingest: many rows written as unlogged batches of one partition
//! each, a bounded number in flight, every failure reported with its rows.
//!
//! Rows are taken [`BulkOptions::chunk`] at a time. Each is validated (a
//! row that breaks its `@validate` rules is reported and not written), then
//! grouped by the token of its partition key (rows with one token go to the
//! same replicas: a batch of them is one request there, applied as a unit
//! when they share a partition). A group is cut into batches whose bound
//! values stay under [`BulkOptions::batch_bytes`] (Cassandra warns at 5 KiB
//! by default), and at most [`BulkOptions::in_flight`] batches run at once.
//! A batch that fails is reported with its rows and the error: nothing is
//! dropped silently, and the error says whether it may have applied anyway
//! ([`Error::certainly_not_applied`](crate::Error::certainly_not_applied)).

use std::collections::HashMap;
use std::future::Future;

use futures::{StreamExt, stream};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::statement::batch::{Batch as DriverBatch, BatchType};
use scylla::statement::prepared::PreparedStatement;

use super::{DirectWrites, Repository};
use crate::rt::with_ttl_and_timestamp;
use crate::{Error, Result};

/// How [`Repository::insert_many`] groups and sends rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkOptions {
    /// Rows grouped by partition at once.
    pub chunk: usize,
    /// The most bytes of bound values in one batch.
    pub batch_bytes: usize,
    /// Batches (or single writes) in flight at once.
    pub in_flight: usize,
}

impl Default for BulkOptions {
    /// 1,000 rows a chunk, 4 KiB a batch, 32 in flight.
    fn default() -> Self {
        Self {
            chunk: 1000,
            batch_bytes: 4 * 1024,
            in_flight: 32,
        }
    }
}

/// Rows that were not written, and why.
#[derive(Debug)]
pub struct BulkFailure<T> {
    /// The rows (one, or those of a batch that failed as a whole).
    pub rows: Vec<T>,
    /// Why.
    pub error: Error,
}

/// What a bulk write did: every row is counted as written or listed in
/// `failed`.
#[derive(Debug)]
pub struct BulkReport<T> {
    /// Rows written.
    pub written: u64,
    /// Rows not written (or not known to be), with their errors.
    pub failed: Vec<BulkFailure<T>>,
}

impl<T> Default for BulkReport<T> {
    fn default() -> Self {
        Self {
            written: 0,
            failed: Vec::new(),
        }
    }
}

impl<T> BulkReport<T> {
    /// How many rows failed.
    #[must_use]
    pub fn failed_rows(&self) -> usize {
        self.failed.iter().map(|failure| failure.rows.len()).sum()
    }

    /// Whether every row was written.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }
}

impl<T: DirectWrites> Repository<'_, T> {
    /// Writes `rows` as [`BulkOptions::default`] says (see the [module
    /// docs](self)), with this repository's TTL, write time and consistency.
    ///
    /// # Errors
    /// [`Error::Prepare`] when the insert can't be prepared (nothing is
    /// written); every other failure is in the report.
    pub async fn insert_many(&self, rows: impl IntoIterator<Item = T>) -> Result<BulkReport<T>> {
        self.insert_many_with(rows, BulkOptions::default()).await
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
        let options = *self.options();
        let statement = if options.writes_using() {
            &self.statements().insert_using
        } else {
            &self.statements().insert
        };
        let prepared = options
            .apply(statement.prepared(self.session()).await?)
            .into_owned();
        let mut report = BulkReport::default();
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<T> = rows.by_ref().take(bulk.chunk.max(1)).collect();
            let batches = self.group(chunk, &prepared, bulk, &mut report);
            let session = self.session();
            let prepared = &prepared;
            let mut sent = stream::iter(batches)
                .map(|batch| async move {
                    let result = send(session, prepared, &options, &batch).await;
                    (batch, result)
                })
                .buffer_unordered(bulk.in_flight.max(1));
            while let Some((batch, result)) = sent.next().await {
                match result {
                    Ok(()) => report.written += batch.len() as u64,
                    Err(error) => report.failed.push(BulkFailure { rows: batch, error }),
                }
            }
        }
        Ok(report)
    }

    /// The valid rows of `chunk` in batches of one token each, at most
    /// `bulk.batch_bytes` of values a batch; invalid rows go to `report`.
    fn group(
        &self,
        chunk: Vec<T>,
        prepared: &PreparedStatement,
        bulk: BulkOptions,
        report: &mut BulkReport<T>,
    ) -> Vec<Vec<T>> {
        let options = self.options();
        let specs = prepared.get_variable_col_specs();
        let context = RowSerializationContext::from_specs(specs.as_slice());
        let mut buffer = Vec::new();
        // Per token: the batches so far and the bytes of the last one.
        let mut groups: HashMap<i64, (Vec<Vec<T>>, usize)> = HashMap::new();
        let mut order: Vec<i64> = Vec::new();
        for row in chunk {
            if let Err(error) = row.validate() {
                report.failed.push(BulkFailure {
                    rows: vec![row],
                    error,
                });
                continue;
            }
            let values = with_ttl_and_timestamp(&row, options);
            let measured = if options.writes_using() {
                prepared
                    .calculate_token(&values)
                    .map(|token| (token, serialized_size(&values, &context, &mut buffer)))
            } else {
                prepared
                    .calculate_token(&row)
                    .map(|token| (token, serialized_size(&row, &context, &mut buffer)))
            };
            let (token, size) = match measured {
                Ok((token, Ok(size))) => (token.map_or(0, |token| token.value()), size),
                Ok((_, Err(source))) => {
                    report.failed.push(BulkFailure {
                        rows: vec![row],
                        error: Error::UnexpectedResult {
                            statement: prepared.get_statement().to_owned(),
                            problem: format!("a value does not serialize: {source}"),
                        },
                    });
                    continue;
                }
                Err(source) => {
                    report.failed.push(BulkFailure {
                        rows: vec![row],
                        error: Error::UnexpectedResult {
                            statement: prepared.get_statement().to_owned(),
                            problem: format!("the partition key does not bind: {source}"),
                        },
                    });
                    continue;
                }
            };
            let (batches, bytes) = groups.entry(token).or_insert_with(|| {
                order.push(token);
                (Vec::new(), 0)
            });
            match batches.last_mut() {
                Some(last) if *bytes + size <= bulk.batch_bytes => {
                    last.push(row);
                    *bytes += size;
                }
                _ => {
                    batches.push(vec![row]);
                    *bytes = size;
                }
            }
        }
        order
            .into_iter()
            .filter_map(|token| groups.remove(&token))
            .flat_map(|(batches, _)| batches)
            .collect()
    }
}

/// The bytes `values` take when bound (`buffer` is reused between rows).
fn serialized_size(
    values: &impl SerializeRow,
    context: &RowSerializationContext<'_>,
    buffer: &mut Vec<u8>,
) -> std::result::Result<usize, SerializationError> {
    buffer.clear();
    let mut writer = RowWriter::new(buffer);
    values.serialize(context, &mut writer)?;
    Ok(buffer.len())
}

/// Writes `rows`: one insert, or an unlogged batch of them.
async fn send<T: DirectWrites>(
    session: &crate::Session,
    prepared: &PreparedStatement,
    options: &crate::Options,
    rows: &[T],
) -> Result<()> {
    let writes_using = options.writes_using();
    if let [row] = rows {
        if writes_using {
            session
                .execute(prepared, with_ttl_and_timestamp(row, options))
                .await?;
        } else {
            session.execute(prepared, row).await?;
        }
        return Ok(());
    }
    let mut batch = DriverBatch::new(BatchType::Unlogged);
    options.apply_to_batch(&mut batch);
    for _ in rows {
        batch.append_statement(prepared.clone());
    }
    let result = if writes_using {
        let values: Vec<_> = rows
            .iter()
            .map(|row| with_ttl_and_timestamp(row, options))
            .collect();
        session.driver().batch(&batch, &values).await
    } else {
        let values: Vec<&T> = rows.iter().collect();
        session.driver().batch(&batch, &values).await
    };
    result.map(drop).map_err(|source| Error::Batch {
        size: rows.len(),
        first: prepared.get_statement().to_owned(),
        source: Box::new(source),
    })
}

/// Writes `rows` one at a time through `write` (which gives the row back
/// with its outcome), at most `in_flight` at once: the bulk write of a
/// model whose writes claim `@unique` values (a claim is a lightweight
/// transaction on another table, which no batch can hold). Generated
/// repositories call it.
#[doc(hidden)]
pub async fn insert_each<T, F, Fut>(
    rows: impl IntoIterator<Item = T>,
    in_flight: usize,
    write: F,
) -> BulkReport<T>
where
    F: Fn(T) -> Fut,
    Fut: Future<Output = (T, Result<()>)>,
{
    let mut report = BulkReport::default();
    let mut written = stream::iter(rows)
        .map(write)
        .buffer_unordered(in_flight.max(1));
    while let Some((row, result)) = written.next().await {
        match result {
            Ok(()) => report.written += 1,
            Err(error) => report.failed.push(BulkFailure {
                rows: vec![row],
                error,
            }),
        }
    }
    report
}
