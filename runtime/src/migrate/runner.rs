//! The runner: [`Migrator`] applies pending migrations under the lock,
//! statement by statement, recording each one, and reports where a keyspace
//! stands.

use std::fmt;
use std::time::{Duration, Instant};

use scylla::statement::Consistency;

use crate::chrono::Utc;
use crate::{Result, Session};

use super::MigrateError;
use super::catalog::{keyspace_exists, table_exists};
use super::indexes::{await_queryable, not_queryable};
use super::lock::{self, Lease, Lock, LockSettings};
use super::migration::{Migration, MigrationStatement};
use super::progress::{AppliedMigration, Event, Report, StatementOutcome};
use super::resume::already_applied;
use super::status::{self, MigrationStatus};
use super::tracking::{self, TRACKING_TABLE, TrackedRow, TrackingWrites};

/// The lease of the lock unless [`Migrator::lease`] says otherwise.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// How long to wait for another runner unless [`Migrator::lock_wait`] says
/// otherwise.
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(300);

/// How long [`Migrator::up`] waits for the keyspace's indexes to become
/// queryable unless [`Migrator::index_wait`] says otherwise.
pub const DEFAULT_INDEX_WAIT: Duration = Duration::from_secs(120);

type ProgressHook<'a> = Box<dyn Fn(&Event<'_>) + Send + Sync + 'a>;

/// Applies migrations to one keyspace, and tells where it stands.
///
/// ```no_run
/// # async fn demo(session: &corm::Session, migrations: &[corm::migrate::Migration]) -> corm::Result<()> {
/// use std::time::Duration;
///
/// let report = corm::migrate::Migrator::new(session, "shop", migrations)
///     .lock_wait(Duration::from_secs(60))
///     .on_progress(|event| println!("{event}"))
///     .up()
///     .await?;
/// println!("{} migrations applied", report.applied.len());
/// # Ok(())
/// # }
/// ```
pub struct Migrator<'a> {
    session: &'a Session,
    keyspace: String,
    migrations: &'a [Migration],
    lease: Duration,
    lock_wait: Duration,
    consistency: Consistency,
    holder: String,
    index_wait: Duration,
    on_progress: Option<ProgressHook<'a>>,
}

impl fmt::Debug for Migrator<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrator")
            .field("keyspace", &self.keyspace)
            .field("migrations", &self.migrations.len())
            .field("lease", &self.lease)
            .field("lock_wait", &self.lock_wait)
            .field("consistency", &self.consistency)
            .field("holder", &self.holder)
            .field("index_wait", &self.index_wait)
            .finish_non_exhaustive()
    }
}

impl<'a> Migrator<'a> {
    /// A runner for `migrations` (by increasing id) in `keyspace`, which
    /// must exist. The name is used as given (quoted, so case matters).
    pub fn new(session: &'a Session, keyspace: &str, migrations: &'a [Migration]) -> Self {
        Self {
            session,
            keyspace: keyspace.to_owned(),
            migrations,
            lease: DEFAULT_LEASE,
            lock_wait: DEFAULT_LOCK_WAIT,
            consistency: Consistency::Quorum,
            holder: default_holder(),
            index_wait: DEFAULT_INDEX_WAIT,
            on_progress: None,
        }
    }

    /// How long the lock stays held without renewal (whole seconds, at
    /// least one; default 60 s). The runner renews it every third of that;
    /// a runner that dies holds it this long at most.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// How long to wait while another runner holds the lock before failing
    /// with [`MigrateError::LockTimeout`] (default 5 minutes; zero tries once).
    pub fn lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// The consistency of the tracking table's reads and writes and of the
    /// lock's commits (default `QUORUM`; the lock's Paxos rounds are `SERIAL`).
    pub fn consistency(mut self, consistency: Consistency) -> Self {
        self.consistency = consistency;
        self
    }

    /// Who this runner is, written beside the lock for whoever finds it held
    /// (default: the process id and host name).
    pub fn holder(mut self, holder: impl Into<String>) -> Self {
        self.holder = holder.into();
        self
    }

    /// How long [`up`](Self::up) waits, once the migrations are applied,
    /// for the keyspace's storage-attached indexes to be built and
    /// queryable (default 2 minutes; zero does not wait). An index created
    /// on a large table can take longer to build: the run then fails with
    /// [`MigrateError::IndexesNotQueryable`], its migrations recorded as
    /// applied, and the next run waits again.
    pub fn index_wait(mut self, wait: Duration) -> Self {
        self.index_wait = wait;
        self
    }

    /// Calls `hook` at every step of [`up`](Self::up): lock, migration and
    /// statement started and done. Its `Display` makes a progress line.
    pub fn on_progress(mut self, hook: impl Fn(&Event<'_>) + Send + Sync + 'a) -> Self {
        self.on_progress = Some(Box::new(hook));
        self
    }

    /// Applies every pending migration, in id order, under the lock.
    ///
    /// A migration that an earlier run left partly applied resumes at its
    /// first statement not recorded as done. Before applying anything, the
    /// recorded migrations are checked against the given ones. Afterwards
    /// (and when there was nothing to apply, as another runner may have just
    /// created an index) it waits until the keyspace's indexes are queryable,
    /// so that the schema is usable when it returns.
    ///
    /// # Errors
    /// [`MigrateError`] (as [`Error::Migrate`](crate::Error::Migrate)): the
    /// list is not by increasing id, the keyspace is missing, the lock
    /// stayed busy or was lost, a checksum changed, a recorded migration is
    /// unknown or out of order, or a statement failed
    /// ([`MigrateError::Statement`], recorded progress kept for the next run),
    /// an index still not queryable after [`index_wait`](Self::index_wait)
    /// ([`MigrateError::IndexesNotQueryable`]); the cluster's errors on the
    /// tracking and lock tables.
    pub async fn up(&self) -> Result<Report> {
        status::validate(self.migrations)?;
        self.require_keyspace().await?;
        // Unconditionally: `IF NOT EXISTS` on a table that exists changes
        // nothing, and it waits for a creation under way on the node (a
        // runner that only read `system_schema` could see the new table there
        // before the node can prepare statements on it).
        for create in [
            tracking::create_statement(&self.keyspace),
            lock::create_statement(&self.keyspace),
        ] {
            self.session.run_ddl(&create).await?;
        }
        let lock = Lock::prepare(
            self.session,
            LockSettings {
                keyspace: &self.keyspace,
                holder: &self.holder,
                lease: self.lease,
                consistency: self.consistency,
            },
        )
        .await?;
        let lease = lock
            .acquire(self.lock_wait, |holder| {
                self.emit(&Event::LockBusy {
                    keyspace: &self.keyspace,
                    holder,
                });
            })
            .await?;
        self.emit(&Event::LockAcquired {
            keyspace: &self.keyspace,
        });
        let outcome = self.apply(&lease).await;
        if let Err(error) = lease.release().await {
            self.emit(&Event::LockReleaseFailed {
                keyspace: &self.keyspace,
                error: &error,
            });
        }
        let report = outcome?;
        self.await_indexes().await?;
        Ok(report)
    }

    /// Waits until the keyspace's indexes are queryable, up to `index_wait`.
    async fn await_indexes(&self) -> Result<()> {
        if self.index_wait.is_zero() {
            return Ok(());
        }
        let pending = await_queryable(self.session, &self.keyspace, self.index_wait, |pending| {
            self.emit(&Event::IndexesBuilding {
                keyspace: &self.keyspace,
                indexes: pending,
            });
        })
        .await?;
        not_queryable(&self.keyspace, pending, self.index_wait)
    }

    /// Where each migration stands: the given ones and any recorded one the
    /// list lacks, by id. Reads only; takes no lock.
    ///
    /// # Errors
    /// [`MigrateError::KeyspaceMissing`]; the cluster's errors.
    pub async fn status(&self) -> Result<Vec<MigrationStatus>> {
        self.require_keyspace().await?;
        let rows = self.read_tracking().await?;
        Ok(status::statuses(self.migrations, &rows))
    }

    /// Checks the keyspace against the given migrations: every recorded
    /// migration is known and has its checksum, and they were applied in
    /// order. Pending migrations are fine. Reads only; takes no lock.
    ///
    /// # Errors
    /// The [`MigrateError`] that [`up`](Self::up) would refuse with.
    pub async fn verify(&self) -> Result<()> {
        status::validate(self.migrations)?;
        let statuses = self.status().await?;
        status::check(&self.keyspace, self.migrations, &statuses)?;
        Ok(())
    }

    /// The work of [`up`](Self::up), with the lock held.
    async fn apply(&self, lease: &Lease) -> Result<Report> {
        let rows = self.read_tracking().await?;
        let statuses = status::statuses(self.migrations, &rows);
        status::check(&self.keyspace, self.migrations, &statuses)?;
        let writes =
            TrackingWrites::prepare(self.session, &self.keyspace, self.consistency).await?;
        let mut report = Report::default();
        for migration in self.migrations {
            let row = rows.iter().find(|row| row.id == migration.id);
            if row.is_some_and(|row| row.applied_at.is_some()) {
                continue;
            }
            report
                .applied
                .push(self.apply_one(lease, &writes, migration, row).await?);
        }
        Ok(report)
    }

    /// Applies (or finishes) one migration.
    async fn apply_one(
        &self,
        lease: &Lease,
        writes: &TrackingWrites,
        migration: &Migration,
        row: Option<&TrackedRow>,
    ) -> Result<AppliedMigration> {
        let started = Instant::now();
        let total = migration.statements.len();
        let resumed_at = row.map_or(0, |row| row.statements_done);
        self.check_lease(lease, migration, resumed_at)?;
        if row.is_none() {
            writes.start(self.session, migration, Utc::now()).await?;
        }
        self.emit(&Event::MigrationStarted {
            migration,
            statements_done: resumed_at,
        });
        let mut already = 0;
        for (index, statement) in migration.statements.iter().enumerate().skip(resumed_at) {
            self.check_lease(lease, migration, index)?;
            let text = statement.text(&self.keyspace);
            self.emit(&Event::StatementStarted {
                migration,
                index,
                statement: &text,
            });
            let statement_started = Instant::now();
            let span = crate::trace::migration_statement(
                &self.keyspace,
                migration.id,
                &migration.name,
                index,
            );
            let ran = crate::trace::traced(span, async {
                if statement.is_schema_change() {
                    self.session.run_ddl(&text).await
                } else {
                    self.run_data_statement(statement, &text).await
                }
            })
            .await;
            let outcome = match ran {
                Ok(()) => StatementOutcome::Applied,
                Err(error) => {
                    // Only the first statement of a resumed migration may have
                    // run already (its run stopped before recording it).
                    let reason = (row.is_some() && index == resumed_at)
                        .then(|| already_applied(&text, &error))
                        .flatten();
                    let Some(reason) = reason else {
                        return Err(MigrateError::Statement {
                            id: migration.id,
                            name: migration.name.to_string(),
                            index,
                            total,
                            statement: text,
                            source: Box::new(error),
                        }
                        .into());
                    };
                    already += 1;
                    StatementOutcome::AlreadyApplied { reason }
                }
            };
            writes.progress(self.session, migration, index + 1).await?;
            self.emit(&Event::StatementDone {
                migration,
                index,
                outcome: &outcome,
                elapsed: statement_started.elapsed(),
            });
        }
        self.check_lease(lease, migration, total)?;
        writes.applied(self.session, migration, Utc::now()).await?;
        let elapsed = started.elapsed();
        self.emit(&Event::MigrationApplied { migration, elapsed });
        Ok(AppliedMigration {
            id: migration.id,
            name: migration.name.to_string(),
            resumed_at,
            statements_run: total - resumed_at,
            statements_already_applied: already,
            elapsed,
        })
    }

    /// Runs a data statement (a raw `cql` step of a migration). One that
    /// names no keyspace (a single part) runs with the session's keyspace
    /// set to the migration keyspace, so its unqualified table names
    /// resolve there.
    async fn run_data_statement(&self, statement: &MigrationStatement, text: &str) -> Result<()> {
        if statement.parts.len() == 1
            && self.session.keyspace().as_deref() != Some(self.keyspace.as_str())
        {
            self.session.use_keyspace(&self.keyspace).await?;
        }
        self.session.query(text, ()).await.map(drop)
    }

    /// Fails with [`MigrateError::LockLost`] when the lock may not be ours.
    fn check_lease(&self, lease: &Lease, migration: &Migration, done: usize) -> Result<()> {
        lease.check().map_err(|reason| {
            MigrateError::LockLost {
                keyspace: self.keyspace.clone(),
                id: migration.id,
                name: migration.name.to_string(),
                statements_done: done,
                reason: format!("{reason}; this runner is {}", lease.owner()),
            }
            .into()
        })
    }

    /// The tracking table's rows; none when it does not exist yet.
    async fn read_tracking(&self) -> Result<Vec<TrackedRow>> {
        if !table_exists(self.session, &self.keyspace, TRACKING_TABLE).await? {
            return Ok(Vec::new());
        }
        tracking::read_all(self.session, &self.keyspace, self.consistency).await
    }

    async fn require_keyspace(&self) -> Result<()> {
        if keyspace_exists(self.session, &self.keyspace).await? {
            Ok(())
        } else {
            Err(MigrateError::KeyspaceMissing {
                keyspace: self.keyspace.clone(),
            }
            .into())
        }
    }

    fn emit(&self, event: &Event<'_>) {
        if let Some(hook) = &self.on_progress {
            hook(event);
        }
    }
}

/// `pid N on HOST` (the host from `HOSTNAME` or `/etc/hostname`, if known).
fn default_holder() -> String {
    let pid = std::process::id();
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty());
    match host {
        Some(host) => format!("pid {pid} on {host}"),
        None => format!("pid {pid}"),
    }
}
