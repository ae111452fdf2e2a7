//! Repositories written once, over what generated code says about each
//! table.
//!
//! `cormc` emits, per model, what only the schema knows: the row, key and
//! patch types, how each binds, and a [`TableSpec`] with the table's CQL.
//! It implements [`Table`] (and [`Updatable`], [`Clustered`],
//! [`DirectWrites`] where they apply) for the row, and the operations live
//! here, generic over it: [`Repository`] (reads and writes of one table)
//! and [`WriteBatch`] (writes across tables). They monomorphise to the
//! same code a hand-written repository would be.
//!
//! A generated repository (`db.order()`) dereferences to its
//! `Repository<'_, Order>`, so `db.order().get(&key)` is
//! [`Repository::get`] with `Order`'s types, and carries [`Options`](crate::Options)
//! that every call applies: `db.order().with(options).insert(&row)`.

mod batch;
mod bulk;
mod cached;
mod named;
mod range;
mod repository;
mod scan;
mod spec;
mod statements;
mod update;

pub use batch::{InDb, WriteBatch};
pub use bulk::insert_each;
#[doc(hidden)]
pub use cached::AnswerRow;
#[doc(hidden)]
pub use named::NamedStatement;
pub use range::{Clustered, RangeValues};
pub use repository::Repository;
pub use scan::{ParallelScan, token_ranges};
pub(crate) use scan::{token_of, token_scan};
pub use spec::{QuerySpec, TableSpec};
pub use statements::TableStatements;
pub(crate) use statements::UPDATE_USING;
pub use update::Updatable;

use scylla::deserialize::row::DeserializeRow;
use scylla::serialize::row::SerializeRow;

/// A model's row type, bound to its table: implemented by generated code.
///
/// The row binds every column in [`TableSpec::columns`] order (an insert)
/// and reads them in that order (a select).
pub trait Table:
    SerializeRow + for<'f, 'm> DeserializeRow<'f, 'm> + Clone + Send + Sync + Sized + 'static
{
    /// The primary key, binding `TableSpec::key`'s markers.
    type Key: PrimaryKey<Table = Self>;
    /// The partition key, binding `TableSpec::partition`'s markers.
    type Partition: SerializeRow + Send + Sync;

    /// The row's primary key (what a write of it makes stale in a cache).
    fn primary_key(&self) -> Self::Key;

    /// Checks the row's `@validate` rules before it is written (none by
    /// default).
    ///
    /// # Errors
    /// [`Error::Validation`](crate::Error::Validation) listing the broken rules.
    fn validate(&self) -> crate::Result<()> {
        Ok(())
    }
}

/// A table's primary key type, naming its table (so that a batch can take
/// a key alone).
pub trait PrimaryKey: SerializeRow + Clone + Send + Sync + 'static {
    /// The table the key belongs to.
    type Table: Table<Key = Self>;
}

/// A table whose writes are the statements alone: not a counter table, and
/// no `@unique` field (whose claims its generated repository makes around
/// each write). Gives [`Repository`] and [`WriteBatch`] their `insert`,
/// `insert_if_not_exists`, `update` and `delete`.
pub trait DirectWrites: Table + Clone {}
