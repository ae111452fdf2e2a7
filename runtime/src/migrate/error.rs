//! What can stop the migration runner, with the migration, statement and
//! lock holder it concerns.

use std::time::Duration;

use crate::Error;

use super::lock::LockHolder;

/// Why the runner refused to run or stopped.
///
/// It reaches callers as [`Error::Migrate`]; [`Error::as_migrate`] reads it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The target keyspace does not exist; the runner never creates it.
    #[error(
        "keyspace `{keyspace}` does not exist: create it first (with the replication \
         your cluster needs); migrations run inside an existing keyspace"
    )]
    KeyspaceMissing {
        /// The keyspace asked for.
        keyspace: String,
    },
    /// Two migrations of the list have the same id.
    #[error("migration {id} is listed twice (`{first}` and `{second}`)")]
    DuplicateMigration {
        /// The id used twice.
        id: u32,
        /// The name of the first migration with it.
        first: String,
        /// The name of the second.
        second: String,
    },
    /// The list is not in increasing id order.
    #[error(
        "migration {id} `{name}` is listed after migration {previous_id} `{previous_name}`: \
         migrations must be listed by increasing id"
    )]
    UnorderedMigrations {
        /// The migration out of place.
        id: u32,
        /// Its name.
        name: String,
        /// The migration listed before it, with a larger id.
        previous_id: u32,
        /// Its name.
        previous_name: String,
    },
    /// A migration recorded as applied (or started) has another checksum
    /// now: its statements were edited after it ran.
    #[error(
        "migration {id} `{name}` was applied to keyspace `{keyspace}` with checksum \
         {recorded}, but is now {expected}: an applied migration must not change; \
         write a new migration instead"
    )]
    ChecksumMismatch {
        /// The keyspace.
        keyspace: String,
        /// The migration's id.
        id: u32,
        /// Its name (as given to the runner).
        name: String,
        /// The checksum recorded when it ran.
        recorded: String,
        /// The checksum of the migration given to the runner.
        expected: String,
    },
    /// The keyspace records a migration that the given list lacks (applied
    /// by a newer build, or removed from the schema).
    #[error(
        "keyspace `{keyspace}` records migration {id} `{name}`, which this build does not \
         know (applied by a newer version, or removed from the schema?)"
    )]
    UnknownMigration {
        /// The keyspace.
        keyspace: String,
        /// The recorded id.
        id: u32,
        /// The recorded name.
        name: String,
    },
    /// A migration is pending while a later one is applied or started.
    #[error(
        "migration {id} `{name}` is not applied to keyspace `{keyspace}`, but the later \
         migration {later_id} `{later_name}` is: migrations apply in id order"
    )]
    OutOfOrder {
        /// The keyspace.
        keyspace: String,
        /// The earlier migration, not (fully) applied.
        id: u32,
        /// Its name.
        name: String,
        /// The later migration, applied or started.
        later_id: u32,
        /// Its name.
        later_name: String,
    },
    /// A row of the tracking table cannot be right.
    #[error("the tracking row of migration {id} in keyspace `{keyspace}` is invalid: {problem}")]
    TrackingCorrupt {
        /// The keyspace.
        keyspace: String,
        /// The migration's id (as far as it could be read).
        id: i64,
        /// What is wrong with it.
        problem: String,
    },
    /// Another runner held the lock for longer than the wait deadline.
    #[error(
        "the migration lock of keyspace `{keyspace}` is held by {holder}; gave up after \
         waiting {waited:?}"
    )]
    LockTimeout {
        /// The keyspace.
        keyspace: String,
        /// Who holds the lock, as last seen.
        holder: LockHolder,
        /// How long this runner waited.
        waited: Duration,
    },
    /// The lease of this runner's lock ran out, or another runner took the
    /// lock, while migrating: the runner stopped before its next statement.
    #[error(
        "lost the migration lock of keyspace `{keyspace}` ({reason}); stopped migration \
         {id} `{name}` with {statements_done} statements done; run again to resume"
    )]
    LockLost {
        /// The keyspace.
        keyspace: String,
        /// The migration that was running.
        id: u32,
        /// Its name.
        name: String,
        /// How many of its statements are done (and recorded).
        statements_done: usize,
        /// Why the lock counts as lost.
        reason: String,
    },
    /// A statement of a migration failed.
    #[error(
        "migration {id} `{name}` failed at statement {} of {total}: {source}",
        index + 1
    )]
    Statement {
        /// The migration's id.
        id: u32,
        /// Its name.
        name: String,
        /// The statement's position, from 0 (as many statements are done).
        index: usize,
        /// How many statements the migration has.
        total: usize,
        /// The CQL text run.
        statement: String,
        /// What the cluster or driver reported.
        #[source]
        source: Box<Error>,
    },
    /// The migrations are applied, but indexes of the keyspace were still
    /// not queryable when the wait ended: queries that need them fail until
    /// the node has built them.
    #[error(
        "the migrations of `{keyspace}` are applied, but after {waited:?} these indexes are \
         still not queryable: {}; queries that need them fail until they are built (see \
         `system_views.sai_column_indexes`); run again to wait longer, or raise \
         `Migrator::index_wait`",
        indexes.join(", ")
    )]
    IndexesNotQueryable {
        /// The keyspace.
        keyspace: String,
        /// The indexes not queryable, by name.
        indexes: Vec<String>,
        /// How long the runner waited.
        waited: Duration,
    },
}

impl From<MigrateError> for Error {
    fn from(error: MigrateError) -> Self {
        Self::Migrate(Box::new(error))
    }
}
