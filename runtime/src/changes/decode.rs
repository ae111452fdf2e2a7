//! A stored change read back as its model's types: the values are
//! deserialized for the columns of the statements that wrote them.

use scylla::deserialize::FrameSlice;
use scylla::deserialize::row::ColumnIterator;
use scylla::frame::response::result::ColumnSpec;

use super::log::RawChange;
use super::{Change, ChangeKind, Logged, Operation};
use crate::table::UPDATE_USING;
use crate::{Error, Repository, Result};

impl<T: Logged> Repository<'_, T> {
    /// `raw` as a typed change (`late` when it became visible after the
    /// reader had passed its position).
    pub(crate) async fn decode_change(&self, raw: &RawChange, late: bool) -> Result<Change<T>> {
        let session = self.session();
        let statements = self.statements();
        let unreadable = |problem: String| Error::ChangeLog {
            model: statements.spec().model,
            problem: format!("the change at {} does not read: {problem}", raw.position),
        };
        let kind = match raw.operation {
            Operation::Insert => {
                let insert = statements.insert_using.prepared(session).await?;
                let specs = insert.get_variable_col_specs();
                let specs = &specs.as_slice()[..specs.len().saturating_sub(2)];
                T::type_check(specs).map_err(|error| unreadable(error.to_string()))?;
                let row = T::deserialize(ColumnIterator::new(
                    specs,
                    FrameSlice::new_borrowed(&raw.cells),
                ))
                .map_err(|error| unreadable(error.to_string()))?;
                ChangeKind::Inserted(row)
            }
            Operation::Update | Operation::UpdatePartition => {
                let statement = statements.update_statement(raw.mask | UPDATE_USING);
                let update = statement.prepared(session).await?;
                let specs = update.get_variable_col_specs();
                let set = raw.mask.count_ones() as usize;
                let (columns, key) = split_specs(specs.as_slice(), set)
                    .ok_or_else(|| unreadable("its columns are not the update's".to_owned()))?;
                let patch = T::read_patch(
                    raw.mask,
                    ColumnIterator::new(columns, FrameSlice::new_borrowed(&raw.cells)),
                )
                .map_err(|error| unreadable(error.to_string()))?;
                let key = ColumnIterator::new(key, FrameSlice::new_borrowed(&raw.key));
                if raw.operation == Operation::Update {
                    ChangeKind::Updated {
                        key: T::read_key(key).map_err(|error| unreadable(error.to_string()))?,
                        patch,
                    }
                } else {
                    ChangeKind::PartitionUpdated {
                        partition: T::read_partition(key)
                            .map_err(|error| unreadable(error.to_string()))?,
                        patch,
                    }
                }
            }
            Operation::Delete => {
                let get = statements.get.prepared(session).await?;
                let specs = get.get_variable_col_specs();
                let key = T::read_key(ColumnIterator::new(
                    specs.as_slice(),
                    FrameSlice::new_borrowed(&raw.key),
                ))
                .map_err(|error| unreadable(error.to_string()))?;
                ChangeKind::Deleted(key)
            }
            Operation::DeletePartition => {
                let partition = statements.partition.prepared(session).await?;
                let specs = partition.get_variable_col_specs();
                let partition = T::read_partition(ColumnIterator::new(
                    specs.as_slice(),
                    FrameSlice::new_borrowed(&raw.key),
                ))
                .map_err(|error| unreadable(error.to_string()))?;
                ChangeKind::PartitionDeleted(partition)
            }
        };
        Ok(Change {
            position: raw.position,
            writer: raw.writer.clone(),
            late,
            kind,
        })
    }
}

/// An update's markers (`USING TTL ? AND TIMESTAMP ?`, then its `set`
/// columns, then its key) as the set columns' and the key's.
fn split_specs<'s, 'm>(
    specs: &'s [ColumnSpec<'m>],
    set: usize,
) -> Option<(&'s [ColumnSpec<'m>], &'s [ColumnSpec<'m>])> {
    let rest = specs.get(2..)?;
    (set <= rest.len()).then(|| rest.split_at(set))
}
