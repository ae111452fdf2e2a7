//! Feed retention: the feed keeps every append's entry until it is pruned,
//! and pruning drops whole hours that every projection has passed.

use chrono::{DateTime, TimeDelta, Utc};
use futures::TryStreamExt;
use scylla::value::CqlTimeuuid;

use super::append::FEED_BUCKET_MS;
use super::projection::time_of;
use super::{EventStore, EventStream};
use crate::{Error, Result, paging};

impl<S: EventStream> EventStore<'_, S> {
    /// Deletes the feed's hours that end at or before `before` (one
    /// partition delete per shard of an hour), once every projection of
    /// this store has a checkpoint at or past `before`; returns how many
    /// partitions were deleted.
    ///
    /// The events themselves stay: only the projections' way to them
    /// goes. A projection started after a prune begins at the oldest hour
    /// the feed still holds, so build a new read model from the streams
    /// (`load`) rather than from a pruned feed.
    ///
    /// # Errors
    /// [`Error::EventStore`] naming a projection whose checkpoint is before
    /// `before` (or that has none yet): nothing is deleted. A read's or
    /// write's error otherwise (the hours deleted before it stay deleted;
    /// calling again finishes).
    pub async fn prune_feed(&self, before: DateTime<Utc>) -> Result<u64> {
        let checkpoints = self.checkpoints().await?;
        if let Some((projection, checkpoint)) = checkpoints
            .iter()
            .find(|(_, checkpoint)| checkpoint.is_none_or(|checkpoint| checkpoint < before))
        {
            let at = checkpoint.map_or_else(
                || "nothing settled yet".to_owned(),
                |at| format!("its checkpoint is {at}"),
            );
            return Err(Error::EventStore {
                store: self.name(),
                problem: format!(
                    "the feed can't be pruned before {before}: projection `{projection}` has not passed it ({at})"
                ),
            });
        }
        let prepared = self
            .options
            .apply(
                self.statements
                    .feed_partitions
                    .prepared(self.session)
                    .await?,
            )
            .into_owned();
        let partitions: Vec<(DateTime<Utc>, i32)> = paging::stream::<(DateTime<Utc>, i32)>(
            self.session,
            prepared,
            (),
            self.options.page_size,
        )
        .await?
        .try_collect()
        .await?;
        let drop = self.statements.feed_drop.prepared(self.session).await?;
        let drop = self.options.apply(drop);
        let mut deleted = 0;
        for (bucket, shard) in partitions {
            let end = bucket + TimeDelta::milliseconds(FEED_BUCKET_MS);
            if end <= before {
                self.session.execute(&drop, (bucket, shard)).await?;
                deleted += 1;
            }
        }
        Ok(deleted)
    }

    /// Every projection of this store and the time of its checkpoint.
    async fn checkpoints(&self) -> Result<Vec<(String, Option<DateTime<Utc>>)>> {
        let prepared = self
            .options
            .apply(self.statements.checkpoints.prepared(self.session).await?)
            .into_owned();
        paging::stream::<(String, Option<CqlTimeuuid>)>(
            self.session,
            prepared,
            (),
            self.options.page_size,
        )
        .await?
        .map_ok(|(projection, checkpoint)| (projection, checkpoint.and_then(time_of)))
        .try_collect()
        .await
    }
}
