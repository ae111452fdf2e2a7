//! The migration lock, `corm_migration_lock`: one row held through
//! lightweight transactions, with a lease that ends unless renewed.
//!
//! ```cql
//! CREATE TABLE corm_migration_lock (
//!     name text PRIMARY KEY,      -- always 'migrate'
//!     owner uuid,                 -- random, one per run
//!     holder text,                -- who that is, for people (process and host)
//!     acquired_at timestamp
//! )
//! ```
//!
//! A runner takes the lock with `INSERT … IF NOT EXISTS USING TTL <lease>`,
//! renews it every third of the lease from a background task with
//! `UPDATE … USING TTL <lease> … IF owner = <its owner>`, and releases it
//! with `DELETE … IF owner = <its owner>`. A runner that dies leaves the row
//! to expire with its lease. Every write is a Paxos round at the serial
//! consistency `SERIAL`, so two runners never both hold it.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use scylla::statement::prepared::PreparedStatement;
use scylla::statement::{Consistency, SerialConsistency};
use tokio::task::JoinHandle;

use crate::chrono::{DateTime, Utc};
use crate::rt::quoted;
use crate::{Error, Result, Session, Uuid, lwt};

use super::MigrateError;

/// The lock table's name.
pub const LOCK_TABLE: &str = "corm_migration_lock";

/// The value of `name` in the lock's row.
const LOCK_NAME: &str = "migrate";

/// The longest pause between two attempts to take a busy lock.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

/// The first pause after finding the lock busy.
const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// Who holds the migration lock, as its row says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockHolder {
    /// The holder's random id, one per run.
    pub owner: Uuid,
    /// The holder's description (process and host), if it wrote one.
    pub holder: Option<String>,
    /// When the holder took the lock.
    pub acquired_at: Option<DateTime<Utc>>,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "owner {}", self.owner)?;
        if let Some(holder) = &self.holder {
            write!(f, " ({holder})")?;
        }
        match self.acquired_at {
            Some(at) => write!(f, ", acquired at {}", at.to_rfc3339()),
            None => write!(f, ", acquired at an unknown time"),
        }
    }
}

/// The `CREATE TABLE IF NOT EXISTS` of the lock table in `keyspace`.
pub(crate) fn create_statement(keyspace: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {}.{LOCK_TABLE} (name text PRIMARY KEY, owner uuid, \
         holder text, acquired_at timestamp)",
        quoted(keyspace)
    )
}

/// The lock's statements, prepared once per run, and this run's identity.
#[derive(Debug)]
struct LockShared {
    session: Session,
    keyspace: String,
    owner: Uuid,
    holder: String,
    lease: Duration,
    ttl: i32,
    insert: PreparedStatement,
    renew: PreparedStatement,
    release: PreparedStatement,
}

/// The lock of one keyspace, not held yet.
#[derive(Debug)]
pub(crate) struct Lock {
    shared: Arc<LockShared>,
}

/// Settings of [`Lock::prepare`].
#[derive(Clone, Debug)]
pub(crate) struct LockSettings<'a> {
    pub(crate) keyspace: &'a str,
    pub(crate) holder: &'a str,
    pub(crate) lease: Duration,
    pub(crate) consistency: Consistency,
}

impl Lock {
    /// Prepares the lock's statements for a new owner.
    pub(crate) async fn prepare(session: &Session, settings: LockSettings<'_>) -> Result<Self> {
        let table = format!("{}.{LOCK_TABLE}", quoted(settings.keyspace));
        let prepare = |statement: String| async move {
            let mut prepared = session.prepare(&statement).await?;
            prepared.set_consistency(settings.consistency);
            prepared.set_serial_consistency(Some(SerialConsistency::Serial));
            Ok::<_, Error>(prepared)
        };
        let insert = prepare(format!(
            "INSERT INTO {table} (name, owner, holder, acquired_at) VALUES (?, ?, ?, ?) \
             IF NOT EXISTS USING TTL ?"
        ))
        .await?;
        let renew = prepare(format!(
            "UPDATE {table} USING TTL ? SET owner = ?, holder = ?, acquired_at = ? \
             WHERE name = ? IF owner = ?"
        ))
        .await?;
        let release = prepare(format!("DELETE FROM {table} WHERE name = ? IF owner = ?")).await?;
        let secs = settings.lease.as_secs() + u64::from(settings.lease.subsec_nanos() > 0);
        let ttl = i32::try_from(secs).unwrap_or(i32::MAX).max(1);
        Ok(Self {
            shared: Arc::new(LockShared {
                session: session.clone(),
                keyspace: settings.keyspace.to_owned(),
                owner: Uuid::new_v4(),
                holder: settings.holder.to_owned(),
                lease: Duration::from_secs(u64::from(ttl.unsigned_abs())),
                ttl,
                insert,
                renew,
                release,
            }),
        })
    }

    /// Takes the lock, waiting up to `wait` while another runner holds it;
    /// `on_busy` hears of each holder seen (once per holder).
    ///
    /// # Errors
    /// [`MigrateError::LockTimeout`] when the lock was still held after
    /// `wait`; the cluster's error when it failed.
    pub(crate) async fn acquire(
        self,
        wait: Duration,
        mut on_busy: impl FnMut(&LockHolder),
    ) -> Result<Lease> {
        let started = Instant::now();
        let deadline = started + wait;
        let mut backoff = FIRST_BACKOFF;
        let mut seen: Option<LockHolder> = None;
        loop {
            let attempt_started = Instant::now();
            let now = Utc::now();
            match self.shared.try_insert(now).await {
                Ok(None) => return Ok(self.held(attempt_started, now)),
                // Our own row: an earlier attempt applied but its answer was lost.
                Ok(Some(holder)) if holder.owner == self.shared.owner => {
                    let acquired_at = holder.acquired_at.unwrap_or(now);
                    return Ok(self.held(attempt_started, acquired_at));
                }
                Ok(Some(holder)) => {
                    if seen.as_ref().map(|seen| seen.owner) != Some(holder.owner) {
                        on_busy(&holder);
                    }
                    seen = Some(holder);
                }
                // Whether a timed-out Paxos round applied is unknown: try again,
                // and recognise our own row if it did.
                Err(err) if err.is_timeout() && Instant::now() < deadline => {}
                Err(err) => return Err(err),
            }
            let now = Instant::now();
            if now >= deadline
                && let Some(holder) = seen
            {
                return Err(MigrateError::LockTimeout {
                    keyspace: self.shared.keyspace.clone(),
                    holder,
                    waited: now - started,
                }
                .into());
            }
            tokio::time::sleep(backoff.min(deadline.saturating_duration_since(now))).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// The lock, taken at `acquired_at` by the attempt that began at
    /// `since`: starts renewing it.
    fn held(self, since: Instant, acquired_at: DateTime<Utc>) -> Lease {
        let state = Arc::new(Mutex::new(LeaseState {
            renewed_at: since,
            lost: None,
            last_error: None,
        }));
        let renewer = tokio::spawn(renew_forever(
            self.shared.clone(),
            state.clone(),
            acquired_at,
        ));
        Lease {
            shared: self.shared,
            state,
            renewer,
        }
    }
}

impl LockShared {
    /// One `INSERT … IF NOT EXISTS`: `None` when it applied, else the holder.
    async fn try_insert(&self, now: DateTime<Utc>) -> Result<Option<LockHolder>> {
        let result = self
            .session
            .execute(
                &self.insert,
                (LOCK_NAME, self.owner, self.holder.as_str(), now, self.ttl),
            )
            .await?;
        let statement = self.insert.get_statement();
        let applied = lwt::applied(statement, result)?;
        if applied.applied() {
            return Ok(None);
        }
        let read = |source| Error::Deserialize {
            statement: statement.to_owned(),
            source,
        };
        let owner: Option<Option<Uuid>> = applied.get("owner").map_err(read)?;
        let holder: Option<Option<String>> = applied.get("holder").map_err(read)?;
        let acquired_at: Option<Option<DateTime<Utc>>> =
            applied.get("acquired_at").map_err(read)?;
        Ok(Some(LockHolder {
            owner: owner.flatten().unwrap_or_else(Uuid::nil),
            holder: holder.flatten(),
            acquired_at: acquired_at.flatten(),
        }))
    }

    /// One renewal: `Ok(Err(current owner))` when the lock is no longer ours.
    async fn renew(
        &self,
        acquired_at: DateTime<Utc>,
    ) -> Result<std::result::Result<(), Option<Uuid>>> {
        let result = self
            .session
            .execute(
                &self.renew,
                (
                    self.ttl,
                    self.owner,
                    self.holder.as_str(),
                    acquired_at,
                    LOCK_NAME,
                    self.owner,
                ),
            )
            .await?;
        let statement = self.renew.get_statement();
        let applied = lwt::applied(statement, result)?;
        if applied.applied() {
            return Ok(Ok(()));
        }
        let owner: Option<Option<Uuid>> =
            applied.get("owner").map_err(|source| Error::Deserialize {
                statement: statement.to_owned(),
                source,
            })?;
        Ok(Err(owner.flatten()))
    }
}

/// What the renewing task has found out.
#[derive(Debug)]
struct LeaseState {
    /// When the last successful renewal (or the acquisition) was sent.
    renewed_at: Instant,
    /// Why the lock is no longer ours, once known.
    lost: Option<String>,
    /// The last failed renewal's error, if the last renewal failed.
    last_error: Option<String>,
}

/// Renews the lease every third of its length until aborted or lost.
async fn renew_forever(
    shared: Arc<LockShared>,
    state: Arc<Mutex<LeaseState>>,
    acquired_at: DateTime<Utc>,
) {
    let every = shared.lease / 3;
    loop {
        tokio::time::sleep(every).await;
        let sent = Instant::now();
        let outcome = shared.renew(acquired_at).await;
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Ok(Ok(())) => {
                state.renewed_at = sent;
                state.last_error = None;
            }
            Ok(Err(current)) => {
                state.lost = Some(match current {
                    Some(owner) => format!("runner {owner} holds it now"),
                    None => format!("its lease of {:?} ran out", shared.lease),
                });
                return;
            }
            // Retried at the next tick; `Lease::check` fails once the lease
            // may have run out.
            Err(err) => state.last_error = Some(err.to_string()),
        }
    }
}

/// The lock, held: renewed in the background until released or dropped.
///
/// Dropping it stops the renewals and leaves the row to expire.
#[derive(Debug)]
pub(crate) struct Lease {
    shared: Arc<LockShared>,
    state: Arc<Mutex<LeaseState>>,
    renewer: JoinHandle<()>,
}

impl Lease {
    /// This run's owner id.
    pub(crate) fn owner(&self) -> Uuid {
        self.shared.owner
    }

    /// `Err(reason)` when the lock may no longer be ours: another runner
    /// took it, or no renewal succeeded within the lease.
    pub(crate) fn check(&self) -> std::result::Result<(), String> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(lost) = &state.lost {
            return Err(lost.clone());
        }
        let since = state.renewed_at.elapsed();
        if since >= self.shared.lease {
            let cause = state
                .last_error
                .as_deref()
                .map_or(String::new(), |err| format!(": {err}"));
            return Err(format!(
                "not renewed for {since:?}, longer than its lease of {:?}{cause}",
                self.shared.lease
            ));
        }
        Ok(())
    }

    /// Stops renewing and deletes the lock's row if it is still ours.
    pub(crate) async fn release(self) -> Result<()> {
        self.renewer.abort();
        self.shared
            .session
            .execute(&self.shared.release, (LOCK_NAME, self.shared.owner))
            .await?;
        Ok(())
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewer.abort();
    }
}
