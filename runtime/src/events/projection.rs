//! Projections: the read side. A projection follows an event store's feed
//! of appends from a stored checkpoint and hands every committed event to
//! a handler (which updates read models), at least once, in version order
//! within each stream, resumably.
//!
//! Every append first writes an entry in the feed (`<name>_feed`, one
//! partition an hour, ordered by a time-based UUID): the stream and the
//! versions it will take. A projection reads the entries from its
//! checkpoint on and, for each, the stream's events after the last version
//! it delivered of that stream (kept per stream in `<name>_projections`),
//! up to the entry's last version:
//! - when they are all there, they are delivered in order, the stream's
//!   version is recorded, and the checkpoint moves to the entry;
//! - when some are missing and the entry is younger than the settle time
//!   (the append may still be under way), the pass stops there, and the
//!   next pass starts there again;
//! - when some are missing and the entry is older, a serial read settles
//!   any append still in flight; what is still missing never committed
//!   (its writer lost a race or died before appending), and the entry is
//!   passed over.
//!
//! So no event of a failed append is delivered (only stored events are,
//! contiguously), and the checkpoint never passes an entry before it
//! settles: an entry precedes its append. The settle time is a bound, not
//! a fence: an append that reaches its Paxos round later than that after
//! its entry is delivered only with the stream's next append (see
//! docs/generated-code.md, "Known limits"). A pass reads
//! from the checkpoint minus a look-back (for writers whose clocks lag),
//! and the per-stream versions make re-reading harmless. Delivery is at
//! least once: a handler that fails, or a process that dies before the
//! versions are recorded, sees those events again, so handlers must be
//! idempotent (an upsert of a read model row is).

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::TryStreamExt;
use scylla::value::CqlTimeuuid;
use uuid::Uuid;

use super::append::{FEED_BUCKET_MS, feed_bucket};
use super::store::{from_cql, to_cql};
use super::{EventStore, EventStream, Recorded};
use crate::{Result, paging};

/// A projection of an event store, named (its checkpoint is stored under
/// the name).
#[derive(Debug)]
pub struct Projection<'a, S> {
    store: EventStore<'a, S>,
    name: String,
    settle: Duration,
    look_back: Duration,
}

/// What one pass of a projection did.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Progress {
    /// Events handed to the handler.
    pub delivered: u64,
    /// Feed entries whose append never committed, passed over.
    pub abandoned: u64,
    /// Whether the pass stopped at an append that may still be under way.
    pub waiting: bool,
    /// The time of the last entry the projection has settled.
    pub checkpoint: Option<DateTime<Utc>>,
}

impl Progress {
    /// How far the projection is behind `now` (`None`: it has settled
    /// nothing yet).
    #[must_use]
    pub fn lag(&self, now: DateTime<Utc>) -> Option<TimeDelta> {
        self.checkpoint.map(|checkpoint| now - checkpoint)
    }
}

/// A feed entry: where, which stream, which versions.
type Entry<Id> = (CqlTimeuuid, Id, i64, i64);

impl<'a, S: EventStream> EventStore<'a, S> {
    /// The projection named `name` of this store (30 s to settle, 30 s of
    /// look-back; see [`Projection`]). Run one projection name in one
    /// process at a time: two would deliver side by side.
    #[must_use]
    pub fn projection(&self, name: &str) -> Projection<'a, S> {
        Projection {
            store: *self,
            name: name.to_owned(),
            settle: Duration::from_secs(30),
            look_back: Duration::from_secs(30),
        }
    }
}

impl<S: EventStream> Projection<'_, S> {
    /// How long an append may take before its missing events are taken to
    /// have failed: keep it well above the request timeout (12 s by
    /// default) and the writers' clock skew (30 s by default).
    #[must_use]
    pub fn settle(self, settle: Duration) -> Self {
        Self { settle, ..self }
    }

    /// How far before its checkpoint a pass starts reading, for writers
    /// whose clocks lag (30 s by default).
    #[must_use]
    pub fn look_back(self, look_back: Duration) -> Self {
        Self { look_back, ..self }
    }

    /// The time of the last entry this projection settled, and so how far
    /// behind it is.
    ///
    /// # Errors
    /// A read's error.
    pub async fn checkpoint(&self) -> Result<Option<DateTime<Utc>>> {
        let store = &self.store;
        let prepared = store.statements.checkpoint.prepared(store.session).await?;
        let row = store
            .session
            .execute_first::<(Option<CqlTimeuuid>,)>(&store.options.apply(prepared), (&self.name,))
            .await?;
        Ok(row.and_then(|(checkpoint,)| checkpoint).and_then(time_of))
    }

    /// One pass: every settled entry after the checkpoint, its events
    /// handed to `handler` (the stream id and the event), in feed order
    /// and version order within each stream.
    ///
    /// # Errors
    /// A read's or write's error, or the handler's (the events from the
    /// failed one on come again in the next pass).
    pub async fn run_once(
        &self,
        mut handler: impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<Progress> {
        let now = Utc::now();
        let mut checkpoint = self.checkpoint().await?;
        let start = match checkpoint {
            Some(at) => at
                .checked_sub_signed(TimeDelta::from_std(self.look_back).unwrap_or(TimeDelta::MAX))
                .unwrap_or(DateTime::UNIX_EPOCH),
            None => match self.first_bucket().await? {
                Some(first) => first,
                None => return Ok(Progress::default()),
            },
        };
        let mut progress = Progress {
            checkpoint,
            ..Progress::default()
        };
        let mut delivered: HashMap<String, u64> = HashMap::new();
        let mut bucket = feed_bucket(start);
        while bucket <= now {
            let entries = self.entries(bucket, start).await?;
            for (position, id, _first, last) in entries {
                let Some(at) = time_of(position) else {
                    continue;
                };
                match self
                    .settle_entry(&id, from_cql(last), at, now, &mut delivered, &mut handler)
                    .await?
                {
                    Settled::Delivered(count) => progress.delivered += count,
                    Settled::Abandoned(count) => {
                        progress.abandoned += 1;
                        progress.delivered += count;
                    }
                    Settled::Waiting => {
                        progress.waiting = true;
                        return Ok(progress);
                    }
                }
                // Never past this pass's `now`: an entry from a writer
                // whose clock runs ahead must not hide the entries of the
                // others behind the checkpoint.
                if at <= now && checkpoint.is_none_or(|checkpoint| at > checkpoint) {
                    self.write_checkpoint(position).await?;
                    checkpoint = Some(at);
                    progress.checkpoint = checkpoint;
                }
            }
            bucket += TimeDelta::milliseconds(FEED_BUCKET_MS);
        }
        Ok(progress)
    }

    /// Delivers the events of stream `id` after the last one delivered, up
    /// to version `last`.
    async fn settle_entry(
        &self,
        id: &S::Id,
        last: u64,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
        delivered: &mut HashMap<String, u64>,
        handler: &mut impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<Settled> {
        let key = format!("{id:?}");
        let done = match delivered.get(&key) {
            Some(done) => *done,
            None => self.delivered(id).await?,
        };
        if last <= done {
            return Ok(Settled::Delivered(0));
        }
        let mut events = self.events(id, done, last).await?;
        let complete =
            |events: &[Recorded<S::Event>]| events.last().map_or(done, |e| e.version) >= last;
        if !complete(&events) {
            let young = now - at < TimeDelta::from_std(self.settle).unwrap_or(TimeDelta::MAX);
            if young {
                return Ok(Settled::Waiting);
            }
            // Settles an append still in flight (a serial read completes
            // or forecloses it), then looks again.
            self.store.version(id).await?;
            events = self.events(id, done, last).await?;
        }
        let abandoned = !complete(&events);
        let mut count = 0;
        let mut version = done;
        for event in events {
            version = event.version;
            handler(id, event).await?;
            count += 1;
        }
        if version > done {
            self.write_delivered(id, version).await?;
            delivered.insert(key, version);
        }
        Ok(if abandoned {
            Settled::Abandoned(count)
        } else {
            Settled::Delivered(count)
        })
    }

    /// The events of stream `id` after `done` up to `last`.
    async fn events(&self, id: &S::Id, done: u64, last: u64) -> Result<Vec<Recorded<S::Event>>> {
        let owned = id.clone();
        let stream = self.store.load(&owned, done + 1).await?;
        let mut events = Vec::new();
        let mut stream = std::pin::pin!(stream);
        // Only the contiguous run after `done`: a version missing in the
        // middle (a read that missed a replica) makes the rest wait.
        let mut next = done + 1;
        while let Some(event) = stream.try_next().await? {
            if event.version > last || event.version != next {
                break;
            }
            next += 1;
            events.push(event);
        }
        Ok(events)
    }

    /// The entries of feed bucket `bucket` from `start` on, in order.
    async fn entries(
        &self,
        bucket: DateTime<Utc>,
        start: DateTime<Utc>,
    ) -> Result<Vec<Entry<S::Id>>> {
        let store = &self.store;
        let prepared = store
            .options
            .apply(
                store
                    .statements
                    .feed_entries
                    .prepared(store.session)
                    .await?,
            )
            .into_owned();
        paging::stream::<Entry<S::Id>>(
            store.session,
            prepared,
            (bucket, start),
            store.options.page_size,
        )
        .await?
        .try_collect()
        .await
    }

    /// The feed's first bucket.
    async fn first_bucket(&self) -> Result<Option<DateTime<Utc>>> {
        let store = &self.store;
        let prepared = store
            .options
            .apply(
                store
                    .statements
                    .feed_buckets
                    .prepared(store.session)
                    .await?,
            )
            .into_owned();
        let buckets: Vec<(DateTime<Utc>,)> = paging::stream::<(DateTime<Utc>,)>(
            store.session,
            prepared,
            (),
            store.options.page_size,
        )
        .await?
        .try_collect()
        .await?;
        Ok(buckets.into_iter().map(|(bucket,)| bucket).min())
    }

    /// The last version of stream `id` this projection delivered.
    async fn delivered(&self, id: &S::Id) -> Result<u64> {
        let store = &self.store;
        let prepared = store.statements.delivered.prepared(store.session).await?;
        let row = store
            .session
            .execute_first::<(Option<i64>,)>(&store.options.apply(prepared), (&self.name, id))
            .await?;
        Ok(row.and_then(|(version,)| version).map_or(0, from_cql))
    }

    async fn write_delivered(&self, id: &S::Id, version: u64) -> Result<()> {
        let store = &self.store;
        let prepared = store
            .statements
            .delivered_write
            .prepared(store.session)
            .await?;
        store
            .session
            .execute(
                &store.options.apply(prepared),
                (to_cql(version), &self.name, id),
            )
            .await?;
        Ok(())
    }

    async fn write_checkpoint(&self, position: CqlTimeuuid) -> Result<()> {
        let store = &self.store;
        let prepared = store
            .statements
            .checkpoint_write
            .prepared(store.session)
            .await?;
        store
            .session
            .execute(&store.options.apply(prepared), (position, &self.name))
            .await?;
        Ok(())
    }
}

/// What became of a feed entry.
enum Settled {
    /// Its events (this many not delivered before) were delivered.
    Delivered(u64),
    /// Its append never committed (in full: the events of the stream
    /// that are there, this many, were delivered).
    Abandoned(u64),
    /// Its append may still be under way.
    Waiting,
}

/// The time in a time-based UUID.
fn time_of(position: CqlTimeuuid) -> Option<DateTime<Utc>> {
    let (seconds, nanos) = Uuid::from(position).get_timestamp()?.to_unix();
    DateTime::from_timestamp(i64::try_from(seconds).ok()?, nanos)
}
