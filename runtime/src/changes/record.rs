//! Writes of a model with a change log: each sent as one logged batch of
//! the write and its change, at the change's position as write time.

use std::sync::Arc;

use scylla::frame::response::result::ColumnSpec;
use scylla::serialize::row::SerializeRow;
use scylla::statement::batch::{Batch, BatchType};
use scylla::statement::prepared::PreparedStatement;
use scylla::value::CqlTimestamp;

use super::encode::{cells, leading_cells, markers_in};
use super::log::{RawChange, bucket_of, shard_of};
use super::{ChangeStatements, Operation, Position};
use crate::rt::{Bind, BoundValue, Chain, Now};
use crate::table::UPDATE_USING;
use crate::{Error, Repository, Result, Table, TableSpec, TableStatements, Updatable};

/// The values of a change's insert into the log.
pub(crate) type ChangeValues<'c> = (
    CqlTimestamp,
    i32,
    scylla::value::CqlTimeuuid,
    &'static str,
    &'c [u8],
    &'c [u8],
    i64,
    &'c str,
    i64,
);

impl<T: Table> Repository<'_, T> {
    /// Refuses the options a change can't be recorded with: a write time
    /// of the caller's (the change's position is its write time).
    fn refuse_write_time(&self) -> Result<()> {
        if self.options().timestamp.is_some() {
            return Err(Error::ChangeLog {
                model: self.statements().spec().model,
                problem: "a write time can't be set on a model with a change log: \
                          a change's position is its write's write time"
                    .to_owned(),
            });
        }
        Ok(())
    }

    /// Whether writes of this table record changes (refusing a write time
    /// in the options when they do).
    pub(crate) fn records_changes(&self) -> Result<bool> {
        if self.statements().changes().is_none() {
            return Ok(false);
        }
        self.refuse_write_time().map(|()| true)
    }

    /// Writes `row` with its change.
    pub(crate) async fn record_insert(&self, log: &ChangeStatements, row: &T) -> Result<()> {
        self.refuse_write_time()?;
        let session = self.session();
        let statements = self.statements();
        let insert = statements.insert_using.prepared(session).await?;
        let get = statements.get.prepared(session).await?;
        let position = Position::new_now(session.change_clock_offset());
        let ttl = self.options().bound_ttl();
        let timestamp = micros_of(position);
        let specs = insert.get_variable_col_specs();
        let column_count = specs.len().saturating_sub(2);
        let row_cells = cells(
            row,
            &specs.as_slice()[..column_count],
            insert.get_statement(),
        )?;
        let key = row_key(&row_cells, &specs.as_slice()[..column_count], get)?;
        let after: [BoundValue<'_>; 2] = [&ttl, &timestamp];
        let values = Chain {
            before: &[],
            row,
            after: &after,
        };
        let change = RawChange {
            position,
            operation: Operation::Insert,
            key,
            cells: row_cells,
            mask: 0,
            writer: session.change_writer().to_owned(),
        };
        self.send_with_change(log, insert, values, change).await
    }

    /// Writes `patch` at `key` with its change (nothing when the patch sets
    /// nothing).
    pub(crate) async fn record_update(
        &self,
        log: &ChangeStatements,
        key: &T::Key,
        patch: &T::Patch,
    ) -> Result<()>
    where
        T: Updatable,
    {
        self.refuse_write_time()?;
        let session = self.session();
        let statements = self.statements();
        let now = Now::of_update(T::STAMPS_NOW);
        let position = Position::new_now(session.change_clock_offset());
        let (ttl, timestamp) = (self.options().bound_ttl(), micros_of(position));
        let mut values = T::Values::default();
        values.bind(&ttl);
        values.bind(&timestamp);
        T::bind_patch(patch, &now, &mut values);
        let mask = values.set_columns();
        if mask == 0 {
            return Ok(());
        }
        let by_partition = statements.updates_by_partition(mask);
        T::bind_key(key, &mut values, !by_partition);
        let statement = statements.update_statement(mask | UPDATE_USING);
        let update = statement.prepared(session).await?;
        // The markers: TTL and write time, the set columns, the key.
        let all = cells(
            &values,
            update.get_variable_col_specs().as_slice(),
            update.get_statement(),
        )?;
        let using = leading_cells(&all, 2).len();
        let set = leading_cells(&all[using..], mask.count_ones() as usize).len();
        let change = RawChange {
            position,
            operation: if by_partition {
                Operation::UpdatePartition
            } else {
                Operation::Update
            },
            key: all[using + set..].to_vec(),
            cells: all[using..using + set].to_vec(),
            mask,
            writer: session.change_writer().to_owned(),
        };
        self.send_with_change(log, update, &values, change).await
    }

    /// Deletes the row at `key` with its change.
    pub(crate) async fn record_delete(&self, log: &ChangeStatements, key: &T::Key) -> Result<()> {
        self.refuse_write_time()?;
        let delete = log.delete.prepared(self.session()).await?;
        self.record_removal(log, delete, key, Operation::Delete)
            .await
    }

    /// Deletes the partition `partition` with its change.
    pub(crate) async fn record_delete_partition(
        &self,
        log: &ChangeStatements,
        partition: &T::Partition,
    ) -> Result<()> {
        self.refuse_write_time()?;
        let delete = log.delete_partition.prepared(self.session()).await?;
        self.record_removal(log, delete, partition, Operation::DeletePartition)
            .await
    }

    /// Runs `delete` (`DELETE … USING TIMESTAMP ? WHERE …`) of `key` with
    /// its change.
    async fn record_removal(
        &self,
        log: &ChangeStatements,
        delete: &PreparedStatement,
        key: &(impl SerializeRow + Sync),
        operation: Operation,
    ) -> Result<()> {
        let session = self.session();
        let position = Position::new_now(session.change_clock_offset());
        let timestamp = micros_of(position);
        let specs = delete.get_variable_col_specs();
        let key_cells = cells(key, &specs.as_slice()[1..], delete.get_statement())?;
        let before: [BoundValue<'_>; 1] = [&timestamp];
        let values = Chain {
            before: &before,
            row: key,
            after: &[],
        };
        let change = RawChange {
            position,
            operation,
            key: key_cells,
            cells: Vec::new(),
            mask: 0,
            writer: session.change_writer().to_owned(),
        };
        self.send_with_change(log, delete, values, change).await
    }

    /// Sends `write` (`prepared` with `values`) and the insert of `change`
    /// as one logged batch, then hands the change to this process's
    /// subscribers.
    async fn send_with_change(
        &self,
        log: &ChangeStatements,
        prepared: &PreparedStatement,
        values: impl SerializeRow,
        change: RawChange,
    ) -> Result<()> {
        let session = self.session();
        let insert = log.insert.prepared(session).await?;
        let mut batch = Batch::new(BatchType::Logged);
        self.options().apply_to_batch(&mut batch);
        batch.append_statement(prepared.clone());
        batch.append_statement(insert.clone());
        // The same position, cells and write times when it runs again.
        batch.set_is_idempotent(true);
        let change_values = change_values(self.statements().spec(), &change);
        let result = session
            .batch(&batch, (values, change_values))
            .await
            .map_err(|source| Error::Batch {
                size: 2,
                first: prepared.get_statement().to_owned(),
                source: Box::new(source),
            })?;
        crate::trace::record_result(&result);
        // No subscriber in this process is not an error.
        let _ = log.live.send(Arc::new(change));
        Ok(())
    }
}

/// The values of `change`'s insert into the log of `spec`'s table.
pub(crate) fn change_values<'c>(spec: &TableSpec, change: &'c RawChange) -> ChangeValues<'c> {
    let partition_markers = match change.operation {
        Operation::UpdatePartition | Operation::DeletePartition => usize::MAX,
        _ => markers_in(spec.partition),
    };
    (
        CqlTimestamp(bucket_of(change.position.time())),
        shard_of(leading_cells(&change.key, partition_markers)),
        change.position.cql(),
        change.operation.as_str(),
        &change.key,
        &change.cells,
        i64::from_ne_bytes(change.mask.to_ne_bytes()),
        &change.writer,
        micros_of(change.position),
    )
}

/// The change of a batched write of `statements`' table, made with
/// `prepared` (whose first `using` markers are `USING TTL ? AND TIMESTAMP
/// ?`) and bound from `values` (its markers after those).
pub(crate) fn batched_change(
    statements: &TableStatements,
    get: &PreparedStatement,
    prepared: &PreparedStatement,
    using: usize,
    values: &(dyn SerializeRow + Sync),
    batched: Batched,
) -> Result<RawChange> {
    let specs = prepared.get_variable_col_specs();
    let specs = specs.as_slice();
    let statement = prepared.get_statement();
    let (operation, key, cells, mask) = match batched.write {
        BatchedWrite::Insert => {
            let columns = specs.len().saturating_sub(2 * usize::from(using > 0));
            let row_specs = &specs[..columns];
            let row = cells(values, row_specs, statement)?;
            let key = row_key(&row, row_specs, get)?;
            (Operation::Insert, key, row, 0)
        }
        BatchedWrite::Update { mask } => {
            let all = cells(values, specs.get(using..).unwrap_or_default(), statement)?;
            let set = leading_cells(&all, mask.count_ones() as usize).len();
            let operation = if statements.updates_by_partition(mask) {
                Operation::UpdatePartition
            } else {
                Operation::Update
            };
            (operation, all[set..].to_vec(), all[..set].to_vec(), mask)
        }
        BatchedWrite::Delete => (
            Operation::Delete,
            cells(values, specs, statement)?,
            Vec::new(),
            0,
        ),
    };
    Ok(RawChange {
        position: batched.position,
        operation,
        key,
        cells,
        mask,
        writer: batched.writer,
    })
}

/// What a batched write does, with the position and writer of its change.
pub(crate) struct Batched {
    pub write: BatchedWrite,
    pub position: Position,
    pub writer: String,
}

/// The kind of a batched write.
#[derive(Clone, Copy, Debug)]
pub(crate) enum BatchedWrite {
    Insert,
    Update { mask: u64 },
    Delete,
}

/// A write time for `position`: its microseconds.
fn micros_of(position: Position) -> i64 {
    i64::try_from(position.micros()).unwrap_or(i64::MAX)
}

/// The key cells of a row: its key columns' cells, picked from the row's
/// (`row_cells`, bound to `row_specs`) by the names of the markers of
/// `get` (`… WHERE a = ? AND b = ?`).
fn row_key(
    row_cells: &[u8],
    row_specs: &[ColumnSpec<'_>],
    get: &PreparedStatement,
) -> Result<Vec<u8>> {
    let split = split_cells(row_cells);
    let mut key = Vec::new();
    for marker in get.get_variable_col_specs().iter() {
        let cell = row_specs
            .iter()
            .position(|spec| spec.name() == marker.name())
            .and_then(|index| split.get(index));
        match cell {
            Some(cell) => key.extend_from_slice(cell),
            None => {
                return Err(Error::Unbound {
                    statement: get.get_statement().to_owned(),
                    problem: format!("the row has no key column `{}`", marker.name()),
                });
            }
        }
    }
    Ok(key)
}

/// Each cell of `cells`, with its length.
fn split_cells(mut cells: &[u8]) -> Vec<&[u8]> {
    let mut split = Vec::new();
    while !cells.is_empty() {
        let cell = leading_cells(cells, 1);
        if cell.is_empty() {
            break;
        }
        split.push(cell);
        cells = &cells[cell.len()..];
    }
    split
}
