//! A change as a reader gets it: typed by its model.

use super::{Logged, Position};

/// What a recorded write did, as stored in the log's `operation` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// A whole row was written (`insert`).
    Insert,
    /// Some columns of a row were written (`update`).
    Update,
    /// Static columns of a partition were written (an update of static
    /// columns alone).
    UpdatePartition,
    /// A row was deleted.
    Delete,
    /// Every row of a partition was deleted.
    DeletePartition,
}

impl Operation {
    /// Its name in the log.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Insert => "insert",
            Self::Update => "update",
            Self::UpdatePartition => "update_partition",
            Self::Delete => "delete",
            Self::DeletePartition => "delete_partition",
        }
    }

    /// The operation named `name` in the log.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "insert" => Self::Insert,
            "update" => Self::Update,
            "update_partition" => Self::UpdatePartition,
            "delete" => Self::Delete,
            "delete_partition" => Self::DeletePartition,
            _ => return None,
        })
    }
}

/// One recorded write of a `T` row.
#[derive(Clone, Debug)]
pub struct Change<T: Logged> {
    /// Where it is in the log (resume after it to get the changes that
    /// follow).
    pub position: Position,
    /// The name of the process that wrote it
    /// ([`Session::change_writer`](crate::Session::change_writer)).
    pub writer: String,
    /// Whether it became visible after the reader had passed its position
    /// (its writer's clock lags the reader's by more than the settle
    /// window): delivered once, but after changes with later positions.
    pub late: bool,
    /// What it did.
    pub kind: ChangeKind<T>,
}

impl<T: Logged> Change<T> {
    /// The operation.
    pub fn operation(&self) -> Operation {
        match self.kind {
            ChangeKind::Inserted(_) => Operation::Insert,
            ChangeKind::Updated { .. } => Operation::Update,
            ChangeKind::PartitionUpdated { .. } => Operation::UpdatePartition,
            ChangeKind::Deleted(_) => Operation::Delete,
            ChangeKind::PartitionDeleted(_) => Operation::DeletePartition,
        }
    }
}

/// What a change did to its table, with the model's own types.
#[derive(Clone, Debug)]
pub enum ChangeKind<T: Logged> {
    /// The row was written whole.
    Inserted(T),
    /// The patch's set fields were written to the row at the key.
    Updated {
        /// The row's key.
        key: T::Key,
        /// The fields written.
        patch: T::Patch,
    },
    /// The patch's set fields, static columns alone, were written to the
    /// partition.
    PartitionUpdated {
        /// The partition's key.
        partition: T::Partition,
        /// The fields written.
        patch: T::Patch,
    },
    /// The row at the key was deleted.
    Deleted(T::Key),
    /// Every row of the partition was deleted.
    PartitionDeleted(T::Partition),
}

/// What a reader that reports its progress hands out
/// ([`Repository::changes_with_progress`](crate::Repository::changes_with_progress)):
/// a change, or how far it has read.
#[derive(Clone, Debug)]
pub enum Followed<T: Logged> {
    /// The next change.
    Change(Change<T>),
    /// Every change up to this position that was visible in time has been
    /// handed out: one for an earlier position can only come
    /// [`late`](Change::late). Said when the reader has caught up, once
    /// per read that moved it.
    ReadTo(Position),
}

impl<T: Logged> From<Change<T>> for Followed<T> {
    fn from(change: Change<T>) -> Self {
        Self::Change(change)
    }
}
