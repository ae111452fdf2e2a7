//! What the runner tells while it works ([`Event`], for a progress display)
//! and what it did ([`Report`]).

use std::fmt;
use std::time::Duration;

use crate::Error;

use super::indexes::PendingIndex;
use super::lock::LockHolder;
use super::migration::Migration;

/// One step of a run, passed to the
/// [`on_progress`](super::Migrator::on_progress) hook as it happens.
///
/// Its `Display` is a line for a person (`applying migration 2 …`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// Another runner holds the lock; this one waits for it.
    LockBusy {
        /// The keyspace.
        keyspace: &'a str,
        /// Who holds the lock.
        holder: &'a LockHolder,
    },
    /// This runner holds the lock.
    LockAcquired {
        /// The keyspace.
        keyspace: &'a str,
    },
    /// A migration starts, or resumes after `statements_done` statements.
    MigrationStarted {
        /// The migration.
        migration: &'a Migration,
        /// How many of its statements an earlier run did (0 for a new one).
        statements_done: usize,
    },
    /// A statement is about to run.
    StatementStarted {
        /// Its migration.
        migration: &'a Migration,
        /// Its position, from 0.
        index: usize,
        /// The CQL text run.
        statement: &'a str,
    },
    /// A statement is done and recorded.
    StatementDone {
        /// Its migration.
        migration: &'a Migration,
        /// Its position, from 0.
        index: usize,
        /// Whether it ran or its change was already there.
        outcome: &'a StatementOutcome,
        /// How long it took, schema agreement included.
        elapsed: Duration,
    },
    /// Every statement of a migration is done; it is recorded as applied.
    MigrationApplied {
        /// The migration.
        migration: &'a Migration,
        /// How long this run spent on it.
        elapsed: Duration,
    },
    /// The migrations are applied; some indexes are still being built, and
    /// the runner waits for them to become queryable.
    IndexesBuilding {
        /// The keyspace.
        keyspace: &'a str,
        /// The indexes not queryable yet, by name.
        indexes: &'a [PendingIndex],
    },
    /// The lock could not be released (its lease will end it).
    LockReleaseFailed {
        /// The keyspace.
        keyspace: &'a str,
        /// What the cluster reported.
        error: &'a Error,
    },
}

/// How a statement ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatementOutcome {
    /// It ran.
    Applied,
    /// It was the first statement of a resumed migration, and the cluster
    /// refused it because its change is already there (an earlier run did it
    /// but stopped before recording it).
    AlreadyApplied {
        /// The cluster's message.
        reason: String,
    },
}

/// `1 statement`, `4 statements`.
fn statement_count(count: usize) -> String {
    if count == 1 {
        "1 statement".to_owned()
    } else {
        format!("{count} statements")
    }
}

impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LockBusy { keyspace, holder } => write!(
                f,
                "the migration lock of `{keyspace}` is held by {holder}; waiting"
            ),
            Self::LockAcquired { keyspace } => {
                write!(f, "took the migration lock of `{keyspace}`")
            }
            Self::MigrationStarted {
                migration,
                statements_done: 0,
            } => write!(
                f,
                "applying migration {} `{}` ({})",
                migration.id,
                migration.name,
                statement_count(migration.statements.len())
            ),
            Self::MigrationStarted {
                migration,
                statements_done,
            } => write!(
                f,
                "resuming migration {} `{}` at statement {} of {}",
                migration.id,
                migration.name,
                statements_done + 1,
                migration.statements.len()
            ),
            Self::StatementStarted {
                migration,
                index,
                statement,
            } => write!(
                f,
                "  [{}/{}] {statement}",
                index + 1,
                migration.statements.len()
            ),
            Self::StatementDone {
                migration,
                index,
                outcome,
                elapsed,
            } => {
                let total = migration.statements.len();
                match outcome {
                    StatementOutcome::Applied => {
                        write!(f, "  [{}/{total}] done in {elapsed:.1?}", index + 1)
                    }
                    StatementOutcome::AlreadyApplied { reason } => write!(
                        f,
                        "  [{}/{total}] already applied by an earlier run ({reason})",
                        index + 1
                    ),
                }
            }
            Self::MigrationApplied { migration, elapsed } => write!(
                f,
                "applied migration {} `{}` in {elapsed:.1?}",
                migration.id, migration.name
            ),
            Self::IndexesBuilding { keyspace, indexes } => {
                let names: Vec<&str> = indexes.iter().map(|index| index.name.as_str()).collect();
                write!(
                    f,
                    "waiting for the indexes of `{keyspace}` to be built: {}",
                    names.join(", ")
                )
            }
            Self::LockReleaseFailed { keyspace, error } => write!(
                f,
                "could not release the migration lock of `{keyspace}` (it expires with its \
                 lease): {error}"
            ),
        }
    }
}

/// What a run of [`up`](super::Migrator::up) did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The migrations this run applied (or finished), in order.
    pub applied: Vec<AppliedMigration>,
}

impl Report {
    /// Whether there was nothing to do: every migration was applied already.
    pub fn is_empty(&self) -> bool {
        self.applied.is_empty()
    }
}

/// A migration applied (or finished) by a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedMigration {
    /// Its id.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// How many statements an earlier run had done (0 when this run
    /// started it).
    pub resumed_at: usize,
    /// How many statements this run ran.
    pub statements_run: usize,
    /// How many of those were already applied (see
    /// [`StatementOutcome::AlreadyApplied`]).
    pub statements_already_applied: usize,
    /// How long this run spent on it.
    pub elapsed: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::{Migration, MigrationStatement};

    fn migration(statements: usize) -> Migration {
        Migration::new(
            7,
            "add_index",
            "c0ffee",
            (0..statements)
                .map(|i| MigrationStatement::new([format!("CREATE INDEX i{i} ON t (c{i})")]))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn a_start_counts_statements_in_words() {
        let one = migration(1);
        let event = Event::MigrationStarted {
            migration: &one,
            statements_done: 0,
        };
        assert_eq!(
            event.to_string(),
            "applying migration 7 `add_index` (1 statement)"
        );
        let three = migration(3);
        let event = Event::MigrationStarted {
            migration: &three,
            statements_done: 0,
        };
        assert_eq!(
            event.to_string(),
            "applying migration 7 `add_index` (3 statements)"
        );
    }
}
