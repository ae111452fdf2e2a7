//! The bulk writer shared by models and time series: chunks of a stream
//! grouped by token into batches of bounded size, sent with bounded
//! concurrency (see the [module docs](super)).

use std::collections::HashMap;

use futures::{Stream, StreamExt, stream};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::statement::batch::{Batch as DriverBatch, BatchType};
use scylla::statement::prepared::PreparedStatement;

use super::{BulkFailure, BulkOptions, BulkReport};
use crate::{Error, Options, Result, Session};

/// A row ready to write: it binds every marker of the insert (the row's
/// columns and whatever the statement adds, such as a bucket or a TTL),
/// and gives the row back for the report.
pub(crate) trait BulkItem: SerializeRow + Send + Sync {
    /// The row the caller gave.
    type Row: Send;

    /// The row the caller gave, for the report.
    fn into_row(self) -> Self::Row;
}

/// What the writer does with one piece of its input.
enum Work<I: BulkItem> {
    /// Report rows that were refused before they were sent.
    Refused(BulkFailure<I::Row>),
    /// Send a batch of one token.
    Batch(Vec<I>),
}

/// Writes every item of `items` with `prepared` (an insert), reporting
/// each as written or failed; an item that arrives as `Err` was refused
/// before (a validation, a bucket) and is reported as it is. The batches
/// of one chunk are sent while the next chunk is grouped, so requests stay
/// in flight across chunks; a chunk is taken only when a slot is free.
pub(crate) async fn write_all<I: BulkItem>(
    session: &Session,
    prepared: &PreparedStatement,
    options: &Options,
    bulk: BulkOptions,
    items: impl Stream<Item = std::result::Result<I, BulkFailure<I::Row>>>,
) -> BulkReport<I::Row> {
    let work = items.ready_chunks(bulk.chunk.max(1)).flat_map(|chunk| {
        let mut refused = Vec::new();
        let mut ready = Vec::with_capacity(chunk.len());
        for item in chunk {
            match item {
                Ok(item) => ready.push(item),
                Err(failure) => refused.push(Work::Refused(failure)),
            }
        }
        let batches = group(ready, prepared, bulk, &mut refused);
        stream::iter(
            refused
                .into_iter()
                .chain(batches.into_iter().map(Work::Batch)),
        )
    });
    let mut outcomes = std::pin::pin!(
        work.map(|work| async move {
            match work {
                Work::Refused(failure) => Err(failure),
                Work::Batch(batch) => match send(session, prepared, options, &batch).await {
                    Ok(()) => Ok(batch.len()),
                    Err(error) => Err(BulkFailure {
                        rows: batch.into_iter().map(I::into_row).collect(),
                        error,
                    }),
                },
            }
        })
        .buffer_unordered(bulk.in_flight.max(1))
    );
    let mut report = BulkReport::default();
    while let Some(outcome) = outcomes.next().await {
        match outcome {
            Ok(rows) => report.wrote(rows),
            Err(failure) => report.failed.push(failure),
        }
    }
    report
}

/// `items` in batches of one token each, at most `bulk.batch_bytes` of
/// bound values a batch, in the order their tokens first came; an item
/// whose values do not bind goes to `refused`.
fn group<I: BulkItem>(
    items: Vec<I>,
    prepared: &PreparedStatement,
    bulk: BulkOptions,
    refused: &mut Vec<Work<I>>,
) -> Vec<Vec<I>> {
    let specs = prepared.get_variable_col_specs();
    let context = RowSerializationContext::from_specs(specs.as_slice());
    let mut buffer = Vec::new();
    // Per token: the batches so far and the bytes of the last one.
    let mut groups: HashMap<i64, (Vec<Vec<I>>, usize)> = HashMap::new();
    let mut order: Vec<i64> = Vec::new();
    for item in items {
        let measured = prepared
            .calculate_token(&item)
            .map(|token| (token, serialized_size(&item, &context, &mut buffer)));
        let (token, size) = match measured {
            Ok((token, Ok(size))) => (token.map_or(0, |token| token.value()), size),
            Ok((_, Err(source))) => {
                let problem = format!("a value does not serialize: {source}");
                refused.push(Work::Refused(BulkFailure {
                    rows: vec![item.into_row()],
                    error: unbound(prepared, problem),
                }));
                continue;
            }
            Err(source) => {
                let problem = format!("the partition key does not bind: {source}");
                refused.push(Work::Refused(BulkFailure {
                    rows: vec![item.into_row()],
                    error: unbound(prepared, problem),
                }));
                continue;
            }
        };
        let (batches, bytes) = groups.entry(token).or_insert_with(|| {
            order.push(token);
            (Vec::new(), 0)
        });
        match batches.last_mut() {
            Some(last) if *bytes + size <= bulk.batch_bytes => {
                last.push(item);
                *bytes += size;
            }
            _ => {
                batches.push(vec![item]);
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

fn unbound(prepared: &PreparedStatement, problem: String) -> Error {
    Error::Unbound {
        statement: prepared.get_statement().to_owned(),
        problem,
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

/// Writes `items`: one insert, or an unlogged batch of them, in a
/// `batch.unlogged` span (its size the number of rows) and retried as the
/// session's policy allows (bulk inserts are idempotent).
async fn send<I: BulkItem>(
    session: &Session,
    prepared: &PreparedStatement,
    options: &Options,
    items: &[I],
) -> Result<()> {
    let span = crate::trace::batch(
        prepared.get_keyspace_name().unwrap_or_default(),
        items.len(),
        false,
        options.consistency,
    );
    crate::trace::traced(span, write(session, prepared, options, items)).await
}

async fn write<I: BulkItem>(
    session: &Session,
    prepared: &PreparedStatement,
    options: &Options,
    items: &[I],
) -> Result<()> {
    if let [item] = items {
        session.write(prepared, item).await?;
        return Ok(());
    }
    let mut batch = DriverBatch::new(BatchType::Unlogged);
    options.apply_to_batch(&mut batch);
    batch.set_is_idempotent(prepared.get_is_idempotent());
    for _ in items {
        batch.append_statement(prepared.clone());
    }
    let values: Vec<&I> = items.iter().collect();
    let result = session
        .batch(&batch, &values)
        .await
        .map_err(|source| Error::Batch {
            size: items.len(),
            first: prepared.get_statement().to_owned(),
            source: Box::new(source),
        })?;
    crate::trace::record_result(&result);
    Ok(())
}
