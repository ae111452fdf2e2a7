//! Waiting for a keyspace's storage-attached indexes to become queryable.
//!
//! `CREATE INDEX … USING 'sai'` returns once the schema change is agreed,
//! but the node builds the index afterwards, and until it is built a query
//! that needs it fails (`The index is not queryable`, or an `ANN OF` search
//! that is refused). Even on an empty table the build takes a moment, so a
//! program that migrates and queries at once would fail now and then. The
//! runner therefore waits, after applying, until every SAI index of the
//! keyspace reports itself queryable in `system_views.sai_column_indexes`.
//!
//! That view is node-local: it tells how the index stands on the node that
//! answers (the coordinator the driver chose).

use std::time::{Duration, Instant};

use crate::{ErrorKind, Result, Session};

use super::MigrateError;
use super::catalog::rows;

/// How long to wait between two looks at the view.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// How many times a look at the view is made when another keyspace is
/// dropped under it.
const RACE_ATTEMPTS: u32 = 20;

/// Whether `error` is the node's failure to list the view's rows because
/// a keyspace other than `keyspace` was dropped while it read them: the
/// view walks every keyspace's indexes, whatever the `WHERE` names, and
/// Cassandra 5 answers "Internal server error … Unknown keyspace …" then.
/// Transient, and about another keyspace: the look is made again.
fn another_keyspace_dropped(error: &crate::Error, keyspace: &str) -> bool {
    const UNKNOWN: &str = "Unknown keyspace ";
    let message = error.to_string();
    let Some(at) = message.find(UNKNOWN) else {
        return false;
    };
    let named: String = message[at + UNKNOWN.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    !named.is_empty() && !named.eq_ignore_ascii_case(keyspace)
}

/// One index that is not queryable yet, and whether it is being built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingIndex {
    /// The index's name.
    pub name: String,
    /// Whether the node reports a build under way (`false` with an index
    /// not queryable means its build has not started, or failed).
    pub building: bool,
}

/// The SAI indexes of `keyspace` that are not queryable yet, by name.
///
/// A node without the view (not Cassandra 5) has no SAI indexes to wait
/// for: the refused statement reads as none pending.
pub(crate) async fn pending_indexes(
    session: &Session,
    keyspace: &str,
) -> Result<Vec<PendingIndex>> {
    let statement = "SELECT index_name, is_queryable, is_building \
                     FROM system_views.sai_column_indexes WHERE keyspace_name = ?";
    let mut attempts = 1;
    let result = loop {
        match session.query(statement, (keyspace,)).await {
            Ok(result) => break result,
            Err(error) if error.kind() == ErrorKind::Statement => return Ok(Vec::new()),
            Err(error)
                if attempts < RACE_ATTEMPTS && another_keyspace_dropped(&error, keyspace) =>
            {
                attempts += 1;
                tokio::time::sleep(POLL_INTERVAL).await;
            }
            Err(error) => return Err(error),
        }
    };
    let mut pending: Vec<PendingIndex> =
        rows::<(String, Option<bool>, Option<bool>)>(statement, result)?
            .into_iter()
            .filter(|(_, queryable, _)| *queryable != Some(true))
            .map(|(name, _, building)| PendingIndex {
                name,
                building: building == Some(true),
            })
            .collect();
    pending.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pending)
}

/// Waits until every storage-attached index of `keyspace` is queryable on
/// the node that answers, for `wait` at most. [`Migrator::up`] does this
/// itself; call it after creating indexes some other way (a schema without
/// migrations, `create … if not exists` statements).
///
/// [`Migrator::up`]: super::Migrator::up
///
/// # Errors
/// [`MigrateError::IndexesNotQueryable`] naming the indexes still building
/// after `wait`; the cluster's errors.
pub async fn await_indexes(session: &Session, keyspace: &str, wait: Duration) -> Result<()> {
    let pending = await_queryable(session, keyspace, wait, |_| {}).await?;
    not_queryable(keyspace, pending, wait)
}

/// `Ok` when nothing is `pending`, else the error naming what is.
pub(crate) fn not_queryable(
    keyspace: &str,
    pending: Vec<PendingIndex>,
    waited: Duration,
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    Err(MigrateError::IndexesNotQueryable {
        keyspace: keyspace.to_owned(),
        indexes: pending.into_iter().map(|index| index.name).collect(),
        waited,
    }
    .into())
}

/// Waits until every SAI index of `keyspace` is queryable, or `wait` has
/// passed; returns the indexes still pending then (none when all are
/// queryable). `on_wait` is called once, with the pending indexes, when
/// the first look finds some.
pub(crate) async fn await_queryable(
    session: &Session,
    keyspace: &str,
    wait: Duration,
    on_wait: impl FnOnce(&[PendingIndex]),
) -> Result<Vec<PendingIndex>> {
    let deadline = Instant::now() + wait;
    let mut pending = pending_indexes(session, keyspace).await?;
    if pending.is_empty() {
        return Ok(pending);
    }
    on_wait(&pending);
    while !pending.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(POLL_INTERVAL.min(deadline.saturating_duration_since(Instant::now())))
            .await;
        pending = pending_indexes(session, keyspace).await?;
    }
    Ok(pending)
}
