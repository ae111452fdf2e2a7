//! Updates by patch: the set fields of a generated patch type, written in
//! one `UPDATE … SET … WHERE <key>` prepared once per set of columns.

use super::statements::UPDATE_USING;
use super::{DirectWrites, Repository, Table};
use crate::Result;
use crate::rt::{Bind, Now};

/// A table with columns an update can set: implemented by generated code,
/// which binds a patch's set fields (and `@on_update(now)` columns) in the
/// order of [`TableSpec::updatable`](super::TableSpec::updatable).
pub trait Updatable: Table {
    /// The patch type: an `Option` per updatable column.
    type Patch: Send + Sync;

    /// Whether some column is `@on_update(now)` (so every update reads the
    /// clock).
    const STAMPS_NOW: bool = false;

    /// The values of one update: `rt::BoundValues<'v, N>`, with `N` the
    /// most it binds (the `USING` markers, every updatable column and the
    /// key), so they live inline in a future no bigger than needed.
    type Values<'v>: Bind<'v>;

    /// Binds the set fields of `patch`, in column order, each with its bit
    /// of the mask (`BoundValues::set`), and the `@on_update(now)`
    /// columns with `now` (`BoundValues::always`).
    fn bind_patch<'v>(patch: &'v Self::Patch, now: &'v Now, values: &mut Self::Values<'v>);

    /// Binds `key`: its partition key columns, then its clustering columns
    /// when `clustering` (an update of static columns alone has none).
    fn bind_key<'v>(key: &'v Self::Key, values: &mut Self::Values<'v>, clustering: bool);

    /// Checks the `@validate` rules of the set fields of `patch` (none by
    /// default).
    ///
    /// # Errors
    /// [`Error::Validation`](crate::Error::Validation) listing the broken rules.
    fn validate_patch(patch: &Self::Patch) -> Result<()> {
        let _ = patch;
        Ok(())
    }
}

impl<T: Updatable> Repository<'_, T> {
    /// Writes the set fields of `patch` at `key`; no validation and no
    /// unique claims (what the generated repository's `update` does around
    /// it). The values are bound from the stack, without allocating.
    #[doc(hidden)]
    pub fn write_patch(&self, key: &T::Key, patch: &T::Patch) -> impl Future<Output = Result<()>> {
        self.traced("update", self.write_patch_untraced(key, patch, false))
    }

    /// [`write_patch`](Self::write_patch) in the caller's span, after
    /// checking the patch's `@validate` rules when `validate` (in the same
    /// future: [`update`](Self::update) would otherwise poll one more
    /// layer on every request).
    async fn write_patch_untraced(
        &self,
        key: &T::Key,
        patch: &T::Patch,
        validate: bool,
    ) -> Result<()> {
        if validate {
            T::validate_patch(patch)?;
        }
        if let Some(log) = self.statements().changes() {
            // A static columns' update is recorded by partition; either
            // way the whole table is marked (a change log's update is
            // rarer than its reads, and this keeps one mark for both).
            let _mark = self.marks_table();
            return self.record_update(log, key, patch).await;
        }
        let options = self.options();
        let now = Now::of_update(T::STAMPS_NOW);
        let (ttl, timestamp) = (options.bound_ttl(), options.bound_timestamp());
        let using = options.writes_using();
        let mut values = T::Values::default();
        if using {
            values.bind(&ttl);
            values.bind(&timestamp);
        }
        T::bind_patch(patch, &now, &mut values);
        let mask = values.set_columns();
        if mask == 0 {
            return Ok(());
        }
        let statements = self.statements();
        let by_partition = statements.updates_by_partition(mask);
        let _mark = if by_partition {
            self.marks_table()
        } else {
            match self.row_mark_at_once() {
                Some(mark) => mark,
                None => self.marks_cached_row(key).await,
            }
        };
        T::bind_key(key, &mut values, !by_partition);
        let statement = statements.update_statement(if using { mask | UPDATE_USING } else { mask });
        let prepared = statement.prepared(self.session()).await?;
        self.session()
            .write(&options.apply(prepared), &values)
            .await?;
        Ok(())
    }
}

impl<T: Updatable + DirectWrites> Repository<'_, T> {
    /// Writes the fields of `patch` that are set to the row at `key`, and
    /// nothing else, in one `UPDATE … SET … WHERE <key>` (`@on_update(now)`
    /// columns are set to now by every update; an empty patch without them
    /// writes nothing). With a TTL or write time in the options, through
    /// `UPDATE … USING TTL ? AND TIMESTAMP ?` (the TTL applies to the
    /// columns written).
    ///
    /// An upsert: a missing row is created. As any CQL update it writes no
    /// row marker, so a row made by updates alone stops existing when all
    /// its non-key columns are null. Each distinct set of columns is
    /// prepared once.
    ///
    /// # Errors
    /// [`Error::Validation`](crate::Error::Validation) when `patch` breaks
    /// its `@validate` rules (nothing is written);
    /// [`Error::Prepare`](crate::Error::Prepare) or
    /// [`Error::Execute`](crate::Error::Execute).
    pub fn update(&self, key: &T::Key, patch: &T::Patch) -> impl Future<Output = Result<()>> {
        self.traced("update", self.write_patch_untraced(key, patch, true))
    }
}
