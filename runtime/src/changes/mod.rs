//! Change logs: every write of a model declared with `changes retain <d>`
//! also records a typed change, and readers follow them as a stream.
//!
//! **Recording.** A write of such a model (insert, update, delete, a
//! partition delete, and bulk inserts, which write row by row) is sent as
//! one *logged batch* of the write and the insert of its change into
//! `<table>_changes`: Cassandra's batch log applies both or neither, even
//! when the coordinator dies midway, so a write is never without its
//! change and a change never without its write. The change's position is
//! a time-based UUID made by the writer, and the write carries the same
//! instant as its write time (`USING TIMESTAMP`), so the order of
//! positions is the order in which Cassandra resolves writes to one cell.
//! A retried write sends the same position and cells again: recording is
//! idempotent. The cost is the batch log: see `docs/performance.md`.
//!
//! **Layout.** An hour of changes is spread over eight partitions (by a
//! hash of the row's partition key, so one partition's changes share a
//! shard), each ordered by position; each change holds the operation, the
//! key's and the written columns' values as the driver serializes them,
//! the mask of an update's columns and the writer's name. Changes expire
//! after the retention of the clause (the table's default TTL).
//!
//! **Reading.** [`Repository::changes`](crate::Repository::changes) is a
//! stream of [`Change`]s after a [`Position`], in position order: it
//! delivers a change once its position is older than the *settle* window
//! (500 ms by default), which covers a write in flight and writers whose
//! clocks lag the reader's by less than that. A change that becomes
//! visible later than that (a writer's clock far behind) is still found by
//! a sweep of the recent past and delivered once, marked
//! [`late`](Change::late). [`Repository::live_changes`](crate::Repository::live_changes)
//! is the immediate path for changes written by this process.
//!
//! **Out of scope.** Writes that bypass corm (cqlsh, other clients, named
//! mutations, which the checker refuses on such models) record nothing:
//! Cassandra's own CDC writes node-local commit-log files, not something a
//! client can subscribe to. Rows that expire through a TTL record no
//! change either.

mod change;
mod decode;
mod encode;
mod follow;
mod live;
mod log;
mod position;
pub(crate) mod record;
mod record_json;
mod window;

pub use change::{Change, ChangeKind, Followed, Operation};
pub use follow::FollowOptions;
#[cfg(feature = "server")]
pub(crate) use follow::{Follower, before};
pub use log::ChangeStatements;
pub use position::{InvalidPosition, Position};
pub(crate) use record_json::decode_record;
pub use record_json::{ChangeRecord, value_json};
pub use window::{Totals, Window, tumbling};

use scylla::deserialize::DeserializationError;
use scylla::deserialize::row::ColumnIterator;

use crate::Table;

/// A model's change log, as generated code states it (its table and how
/// long changes are kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangeLogSpec {
    /// The change table (without keyspace): `<table>_changes`.
    pub table: &'static str,
    /// How long a change is kept, in seconds (the table's default TTL).
    pub retain_seconds: u32,
}

/// A table whose writes are recorded in its change log: generated code
/// implements it for models with `changes retain …`, reading back the key,
/// partition key and patch a change holds.
pub trait Logged:
    Table<Key: std::fmt::Debug, Partition: Clone + std::fmt::Debug> + Clone + std::fmt::Debug
{
    /// What an update sets (the generated patch type, or [`NoPatch`] for a
    /// table without columns to update).
    type Patch: Clone + std::fmt::Debug + Send + Sync + 'static;

    /// The key, from its columns in key order.
    ///
    /// # Errors
    /// A value that does not read as its field's type.
    fn read_key<'f, 'm>(cells: ColumnIterator<'f, 'm>) -> Result<Self::Key, DeserializationError>;

    /// The partition key, from its columns in key order.
    ///
    /// # Errors
    /// A value that does not read as its field's type.
    fn read_partition<'f, 'm>(
        cells: ColumnIterator<'f, 'm>,
    ) -> Result<Self::Partition, DeserializationError>;

    /// The patch whose set columns are the bits of `mask` (in the order of
    /// [`TableSpec::updatable`](crate::TableSpec::updatable)), from their
    /// values in that order; `@on_update(now)` columns are read past.
    ///
    /// # Errors
    /// A value that does not read as its field's type.
    fn read_patch<'f, 'm>(
        mask: u64,
        cells: ColumnIterator<'f, 'm>,
    ) -> Result<Self::Patch, DeserializationError>;
}

/// The patch of a table without columns to update (every column is in
/// its key): it has no updates to record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoPatch;
