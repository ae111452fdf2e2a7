//! Snapshots: an aggregate's state stored as JSON every N versions, and
//! read back newest first, skipping any that no longer reads.

use chrono::Utc;
use futures::StreamExt;

use super::store::{from_cql, to_cql};
use super::{Aggregate, EventStore, EventStream, SkippedSnapshot};
use crate::{Error, Result, paging};

/// Snapshots kept per stream: the newest and the ones before it, which a
/// load falls back to when a newer one no longer reads.
const KEPT_SNAPSHOTS: u64 = 3;

impl<S: EventStream> EventStore<'_, S> {
    /// The newest snapshot of stream `id` that reads as `A`, with its
    /// version, and the newer ones that did not read.
    pub(super) async fn newest_snapshot<A: Aggregate<Event = S::Event>>(
        &self,
        id: &S::Id,
    ) -> Result<(Option<(A, u64)>, Vec<SkippedSnapshot>)> {
        let mut skipped = Vec::new();
        let Some(statement) = &self.statements.snapshots else {
            return Ok((None, skipped));
        };
        let prepared = self
            .options
            .apply(statement.prepared(self.session).await?)
            .into_owned();
        let mut rows = std::pin::pin!(
            paging::stream::<(i64, String)>(self.session, prepared, (id,), Some(16)).await?
        );
        while let Some(row) = rows.next().await {
            let (version, state) = row?;
            match serde_json::from_str::<A>(&state) {
                Ok(aggregate) => return Ok((Some((aggregate, from_cql(version))), skipped)),
                Err(error) => skipped.push(SkippedSnapshot {
                    version: from_cql(version),
                    error: error.to_string(),
                }),
            }
        }
        Ok((None, skipped))
    }

    /// Stores `aggregate` as stream `id`'s state at `version`.
    pub(super) async fn write_snapshot<A: Aggregate<Event = S::Event>>(
        &self,
        id: &S::Id,
        aggregate: &A,
        version: u64,
    ) -> Result<()> {
        let Some(statement) = &self.statements.snapshot_insert else {
            return Ok(());
        };
        let state = serde_json::to_string(aggregate).map_err(|error| Error::EventStore {
            store: self.name(),
            problem: format!("the state at version {version} does not serialize: {error}"),
        })?;
        let prepared = statement.prepared(self.session).await?;
        self.session
            .execute(
                &self.options.apply(prepared),
                (id, to_cql(version), state, Utc::now()),
            )
            .await?;
        // The newest snapshots are kept (older ones are the fallback when
        // a newer one stops reading); the rest go, so that a stream's
        // snapshots do not grow with it.
        if let (Some(prune), Some(every)) =
            (&self.statements.snapshot_prune, S::SPEC.snapshot_every)
            && let Some(oldest_kept) = version.checked_sub(every.saturating_mul(KEPT_SNAPSHOTS - 1))
        {
            let prepared = prune.prepared(self.session).await?;
            self.session
                .execute(&self.options.apply(prepared), (id, to_cql(oldest_kept)))
                .await?;
        }
        Ok(())
    }
}
