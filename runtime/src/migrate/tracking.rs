//! The tracking table, `corm_migrations`: one row per migration started in
//! the keyspace, with how many of its statements are done.
//!
//! ```cql
//! CREATE TABLE corm_migrations (
//!     id bigint PRIMARY KEY,      -- the migration's number (a u32)
//!     name text,
//!     checksum text,              -- as computed by cormc
//!     statements_total int,
//!     statements_done int,        -- statements run and recorded, from the first
//!     started_at timestamp,
//!     applied_at timestamp        -- null until every statement is done
//! )
//! ```

use scylla::statement::Consistency;
use scylla::statement::prepared::PreparedStatement;

use crate::chrono::{DateTime, Utc};
use crate::rt::quoted;
use crate::{Result, Session};

use super::MigrateError;
use super::catalog::rows;
use super::migration::Migration;

/// The tracking table's name.
pub const TRACKING_TABLE: &str = "corm_migrations";

/// A row of the tracking table.
#[derive(Clone, Debug)]
pub(crate) struct TrackedRow {
    pub(crate) id: u32,
    pub(crate) name: String,
    pub(crate) checksum: String,
    pub(crate) statements_total: usize,
    pub(crate) statements_done: usize,
    pub(crate) started_at: Option<DateTime<Utc>>,
    pub(crate) applied_at: Option<DateTime<Utc>>,
}

type RawRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<i32>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// The `CREATE TABLE IF NOT EXISTS` of the tracking table in `keyspace`.
pub(crate) fn create_statement(keyspace: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {}.{TRACKING_TABLE} (id bigint PRIMARY KEY, name text, \
         checksum text, statements_total int, statements_done int, started_at timestamp, \
         applied_at timestamp)",
        quoted(keyspace)
    )
}

/// Reads every row of the tracking table, by increasing id.
pub(crate) async fn read_all(
    session: &Session,
    keyspace: &str,
    consistency: Consistency,
) -> Result<Vec<TrackedRow>> {
    let statement = format!(
        "SELECT id, name, checksum, statements_total, statements_done, started_at, applied_at \
         FROM {}.{TRACKING_TABLE}",
        quoted(keyspace)
    );
    let mut prepared = session.prepare(&statement).await?;
    prepared.set_consistency(consistency);
    let result = session.execute(&prepared, ()).await?;
    let mut tracked = rows::<RawRow>(&statement, result)?
        .into_iter()
        .map(|row| tracked_row(keyspace, row))
        .collect::<Result<Vec<_>>>()?;
    tracked.sort_by_key(|row| row.id);
    Ok(tracked)
}

fn tracked_row(keyspace: &str, row: RawRow) -> Result<TrackedRow> {
    let (id, name, checksum, total, done, started_at, applied_at) = row;
    let corrupt = |problem: String| MigrateError::TrackingCorrupt {
        keyspace: keyspace.to_owned(),
        id,
        problem,
    };
    let id32 = u32::try_from(id).map_err(|_| corrupt(format!("id {id} is not a u32")))?;
    let count = |column: &str, value: Option<i32>| {
        usize::try_from(value.unwrap_or(0))
            .map_err(|_| corrupt(format!("{column} is negative ({value:?})")))
    };
    let statements_total = count("statements_total", total)?;
    let statements_done = count("statements_done", done)?;
    Ok(TrackedRow {
        id: id32,
        name: name.unwrap_or_default(),
        checksum: checksum.unwrap_or_default(),
        statements_total,
        statements_done,
        started_at,
        applied_at,
    })
}

/// The writes of one run, prepared once.
pub(crate) struct TrackingWrites {
    keyspace: String,
    start: PreparedStatement,
    progress: PreparedStatement,
    applied: PreparedStatement,
}

impl TrackingWrites {
    /// Prepares the writes to the tracking table of `keyspace`.
    pub(crate) async fn prepare(
        session: &Session,
        keyspace: &str,
        consistency: Consistency,
    ) -> Result<Self> {
        let table = format!("{}.{TRACKING_TABLE}", quoted(keyspace));
        let prepare = |statement: String| async move {
            let mut prepared = session.prepare(&statement).await?;
            prepared.set_consistency(consistency);
            Ok::<_, crate::Error>(prepared)
        };
        Ok(Self {
            keyspace: keyspace.to_owned(),
            start: prepare(format!(
                "INSERT INTO {table} (id, name, checksum, statements_total, statements_done, \
                 started_at) VALUES (?, ?, ?, ?, 0, ?)"
            ))
            .await?,
            progress: prepare(format!(
                "UPDATE {table} SET statements_done = ? WHERE id = ?"
            ))
            .await?,
            applied: prepare(format!(
                "UPDATE {table} SET statements_done = ?, applied_at = ? WHERE id = ?"
            ))
            .await?,
        })
    }

    /// Records that `migration` started, with no statement done.
    pub(crate) async fn start(
        &self,
        session: &Session,
        migration: &Migration,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let total = self.count(migration, migration.statements.len())?;
        session
            .execute(
                &self.start,
                (
                    i64::from(migration.id),
                    migration.name.as_ref(),
                    migration.checksum.as_ref(),
                    total,
                    now,
                ),
            )
            .await?;
        Ok(())
    }

    /// Records that the first `done` statements of `migration` are done.
    pub(crate) async fn progress(
        &self,
        session: &Session,
        migration: &Migration,
        done: usize,
    ) -> Result<()> {
        let done = self.count(migration, done)?;
        session
            .execute(&self.progress, (done, i64::from(migration.id)))
            .await?;
        Ok(())
    }

    /// Records that every statement of `migration` is done.
    pub(crate) async fn applied(
        &self,
        session: &Session,
        migration: &Migration,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let done = self.count(migration, migration.statements.len())?;
        session
            .execute(&self.applied, (done, now, i64::from(migration.id)))
            .await?;
        Ok(())
    }

    /// A statement count as CQL `int`.
    fn count(&self, migration: &Migration, value: usize) -> Result<i32> {
        i32::try_from(value).map_err(|_| {
            MigrateError::TrackingCorrupt {
                keyspace: self.keyspace.clone(),
                id: i64::from(migration.id),
                problem: format!("{value} statements do not fit a CQL int"),
            }
            .into()
        })
    }
}
