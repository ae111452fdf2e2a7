//! The statements of one model's change log, and where a change is
//! stored: its hour (`bucket`) and one of eight partitions of it (`shard`).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use super::{ChangeLogSpec, Operation, Position};
use crate::{Statement, TableSpec};

/// The span of time one log partition covers: an hour.
pub(crate) const BUCKET_MILLIS: i64 = 3_600_000;

/// The partitions an hour of changes is spread over.
pub(crate) const SHARDS: i32 = 8;

/// The changes the in-process path holds for a subscriber that has not
/// read them yet; past that, the subscriber is told how many it missed.
const LIVE_CAPACITY: usize = 1024;

/// A change as the log stores it: its values still serialized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawChange {
    pub position: Position,
    pub operation: Operation,
    /// The key's columns (the partition key's, for partition changes), as
    /// `[length][bytes]` cells.
    pub key: Vec<u8>,
    /// The written columns' values: every column of an insert, the set
    /// columns of an update (in the order of `TableSpec::updatable`).
    pub cells: Vec<u8>,
    /// The columns an update set (bits of `TableSpec::updatable`).
    pub mask: u64,
    pub writer: String,
}

/// The statements of one model's change log in one keyspace, and the
/// in-process path of its changes (built by
/// [`TableStatements`](crate::TableStatements) for models with `changes`).
#[derive(Debug)]
pub struct ChangeStatements {
    spec: ChangeLogSpec,
    /// The change table, qualified with the quoted keyspace.
    table: String,
    pub(crate) insert: Statement,
    pub(crate) read: Statement,
    pub(crate) read_positions: Statement,
    pub(crate) read_one: Statement,
    /// The model's delete of a row, with the change's write time.
    pub(crate) delete: Statement,
    /// The model's delete of a partition, with the change's write time.
    pub(crate) delete_partition: Statement,
    pub(crate) live: broadcast::Sender<Arc<RawChange>>,
}

impl ChangeStatements {
    /// The statements of `spec`'s change log, for `table` (the model's
    /// table, qualified) in `keyspace` (quoted).
    pub(crate) fn new(keyspace: &str, table: &str, model: &TableSpec, spec: ChangeLogSpec) -> Self {
        let log = [keyspace, ".", spec.table].concat();
        let select = |columns: &str, condition: &str| {
            Statement::new(
                [
                    "SELECT ",
                    columns,
                    " FROM ",
                    &log,
                    " WHERE bucket = ? AND shard = ? AND ",
                    condition,
                ]
                .concat(),
            )
        };
        let all = "position, operation, key, cells, mask, writer";
        Self {
            insert: Statement::new(
                [
                    "INSERT INTO ",
                    &log,
                    " (bucket, shard, position, operation, key, cells, mask, writer) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?",
                ]
                .concat(),
            ),
            read: select(all, "position > ? AND position <= ? LIMIT ?"),
            read_positions: select("position", "position > ? AND position <= ?"),
            read_one: select(all, "position = ?"),
            delete: Statement::new(
                [
                    "DELETE FROM ",
                    table,
                    " USING TIMESTAMP ? WHERE ",
                    model.key,
                ]
                .concat(),
            ),
            delete_partition: Statement::new(
                [
                    "DELETE FROM ",
                    table,
                    " USING TIMESTAMP ? WHERE ",
                    model.partition,
                ]
                .concat(),
            ),
            live: broadcast::channel(LIVE_CAPACITY).0,
            table: log,
            spec,
        }
    }

    /// The change log's spec.
    pub fn spec(&self) -> ChangeLogSpec {
        self.spec
    }

    /// The change table, qualified with the keyspace.
    pub fn table(&self) -> &str {
        &self.table
    }
}

/// The hour of `time`: the log partition's `bucket`.
pub(crate) fn bucket_of(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis().div_euclid(BUCKET_MILLIS) * BUCKET_MILLIS
}

/// The shard of a change whose partition key serializes to `partition`
/// (FNV-1a: stable across processes and versions, unlike `std`'s hasher).
pub(crate) fn shard_of(partition: &[u8]) -> i32 {
    let hash = partition
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    i32::try_from(hash % SHARDS.unsigned_abs() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_is_the_hour_a_time_falls_in() {
        let time = DateTime::from_timestamp_millis(3 * BUCKET_MILLIS + 1234).unwrap_or_default();
        assert_eq!(bucket_of(time), 3 * BUCKET_MILLIS);
        let before_epoch = DateTime::from_timestamp_millis(-1).unwrap_or_default();
        assert_eq!(bucket_of(before_epoch), -BUCKET_MILLIS);
    }

    #[test]
    fn shards_are_stable_and_spread() {
        assert_eq!(shard_of(b"ada"), shard_of(b"ada"));
        let shards: std::collections::BTreeSet<i32> =
            (0..64_u8).map(|n| shard_of(&[0, 0, 0, 1, n])).collect();
        assert_eq!(shards.len(), SHARDS as usize);
    }
}
