//! The migration runner: applies the migrations `cormc` generates to a
//! keyspace, safely on a live cluster.
//!
//! - Migrations are data ([`Migration`], [`MigrationStatement`]): numbered
//!   lists of CQL statements with a checksum, generated into the program or
//!   read by the CLI.
//! - A tracking table ([`TRACKING_TABLE`]) in the keyspace records each
//!   migration started, how many of its statements are done and when it was
//!   applied, so a run that stops midway resumes at the statement where it
//!   stopped; an applied migration whose checksum changed is refused.
//! - A lock ([`LOCK_TABLE`]) taken by a lightweight transaction with a lease
//!   (a TTL, renewed while the run lasts) lets one runner work at a time;
//!   another waits for it, or fails after a deadline naming the holder.
//! - After every schema change the runner waits for schema agreement, and
//!   before it returns, for the keyspace's indexes to be queryable.
//!
//! [`Migrator`] is the entry point: [`up`](Migrator::up),
//! [`status`](Migrator::status) and [`verify`](Migrator::verify). The whole
//! design is described in `docs/migrations.md`.

pub(crate) mod catalog;
mod error;
mod indexes;
mod lock;
mod migration;
mod progress;
mod resume;
mod runner;
mod status;
mod tracking;

pub use catalog::{Described, describe_keyspace};
pub use error::MigrateError;
pub use indexes::{PendingIndex, await_indexes};
pub use lock::{LOCK_TABLE, LockHolder};
pub use migration::{Migration, MigrationStatement};
pub use progress::{AppliedMigration, Event, Report, StatementOutcome};
pub use runner::{DEFAULT_INDEX_WAIT, DEFAULT_LEASE, DEFAULT_LOCK_WAIT, Migrator};
pub use status::{MigrationState, MigrationStatus};
pub use tracking::TRACKING_TABLE;
