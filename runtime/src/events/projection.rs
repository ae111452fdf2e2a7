//! Projections: the read side. A projection follows an event store's feed
//! of appends from a stored checkpoint and hands every committed event to
//! a handler (which updates read models), at least once, in version order
//! within each stream, resumably.
//!
//! Every append first writes an entry in the feed (`<name>_feed`, an hour
//! of entries spread over eight partitions, each ordered by a time-based
//! UUID): the stream and the versions it is about to take. A projection
//! reads the entries from its checkpoint on (the eight partitions of an
//! hour merged in time order, a page at a time) and, for each, the
//! stream's events after the last version it delivered of that stream
//! (kept per projection and stream in `<name>_projected`), up to the
//! entry's last version:
//! - when they are all there, they are delivered in order and the stream's
//!   version is recorded;
//! - when some are missing, a serial read of the stream's version settles
//!   any append in flight (completing or foreclosing a Paxos round). An
//!   append that expected version `first - 1` can land only while the
//!   stream is at `first - 1`: if the stream is already at `first` or past
//!   it, what it holds is delivered and the entry is done (its own append
//!   is dead, or landed); if not, the entry is kept open (a row of the
//!   projection's partition in `<name>_projections`, next to its
//!   checkpoint) and every later pass checks it again first, until the
//!   stream reaches `first`.
//!
//! An append's id is its feed entry's position, stored with each of its
//! events, so once a stream is past an entry's first version, the event
//! there says whether the entry's append landed (it is delivered) or lost
//! (it is counted as abandoned).
//!
//! So only stored events are delivered, contiguously, in version order per
//! stream; an append never lands unseen (a writer that dies between its
//! entry and its append leaves an open entry, settled when the stream
//! moves on); and the checkpoint can pass any entry, because an unsettled
//! one is kept. A pass reads from the checkpoint minus a look-back (for
//! writers whose clocks lag, 30 s), and the per-stream versions make
//! re-reading harmless. Delivery is at least once: a handler that fails,
//! or a process that dies before the versions are recorded, sees those
//! events again, so handlers must be idempotent (an upsert of a read model
//! row is). Run one projection name in one process at a time.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::TryStreamExt;
use scylla::value::CqlTimeuuid;
use uuid::Uuid;

use super::append::{FEED_BUCKET_MS, FEED_SHARDS, feed_bucket};
use super::store::{from_cql, to_cql};
use super::{EventStore, EventStream, Recorded};
use crate::{Result, paging};

/// A projection of an event store, named (its checkpoint is stored under
/// the name).
#[derive(Debug)]
pub struct Projection<'a, S> {
    store: EventStore<'a, S>,
    name: String,
    look_back: Duration,
}

/// What one pass of a projection did.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Progress {
    /// Events handed to the handler.
    pub delivered: u64,
    /// Feed entries whose append never committed (another append took
    /// their first version, or their writer died), passed over: the id
    /// stored with the event at their first version is not theirs. Each
    /// is counted once, by the pass that reads it first after the
    /// checkpoint or settles it from open.
    pub abandoned: u64,
    /// Streams with an append that may still land (announced in the feed,
    /// not there yet, the stream still below its first version): kept
    /// open, and settled by a later pass.
    pub open: u64,
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
    /// The projection named `name` of this store (30 s of look-back; see
    /// [`Projection`]). Run one projection name in one
    /// process at a time: two would deliver side by side.
    #[must_use]
    pub fn projection(&self, name: &str) -> Projection<'a, S> {
        Projection {
            store: *self,
            name: name.to_owned(),
            look_back: Duration::from_secs(30),
        }
    }
}

impl<S: EventStream> Projection<'_, S> {
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

    /// One pass: the streams whose appends were left open before, then
    /// every feed entry from the checkpoint (minus the look-back) on, their
    /// events handed to `handler` (the stream id and the event) in version
    /// order within each stream.
    ///
    /// # Errors
    /// A read's or write's error, or the handler's (the events from the
    /// failed one on come again in the next pass).
    pub async fn run_once(
        &self,
        handler: impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<Progress> {
        self.store.traced("projection", self.pass(handler)).await
    }

    async fn pass(
        &self,
        mut handler: impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<Progress> {
        let now = Utc::now();
        let mut checkpoint = self.checkpoint().await?;
        let mut pass = Pass {
            since: checkpoint,
            delivered: HashMap::new(),
            open: HashMap::new(),
            progress: Progress {
                checkpoint,
                ..Progress::default()
            },
        };
        // Appends left open: settled once the stream reaches their first
        // version (theirs or another writer's: nothing can land there any
        // more).
        for (id, first, position) in self.open_appends().await? {
            let first = from_cql(first);
            pass.open.insert(format!("{id:?}"), first);
            self.settle_open(&id, first, position, &mut pass, &mut handler)
                .await?;
        }
        let start = match checkpoint {
            Some(at) => at
                .checked_sub_signed(TimeDelta::from_std(self.look_back).unwrap_or(TimeDelta::MAX))
                .unwrap_or(DateTime::UNIX_EPOCH),
            None => match self.first_bucket().await? {
                Some(first) => first,
                None => return Ok(pass.finish()),
            },
        };
        let mut bucket = feed_bucket(start);
        while bucket <= now {
            let mut entries = self.entries(bucket, start).await?;
            while let Some((position, id, first, last)) = entries.next().await? {
                let Some(at) = time_of(position) else {
                    continue;
                };
                let entry = FeedEntry {
                    position,
                    fresh: pass.since.is_none_or(|since| at > since),
                    first: from_cql(first),
                    last: from_cql(last),
                };
                self.settle_entry(&id, &entry, &mut pass, &mut handler)
                    .await?;
                // Never past this pass's `now`: an entry from a writer
                // whose clock runs ahead must not hide the entries of the
                // others behind the checkpoint.
                if at <= now && checkpoint.is_none_or(|checkpoint| at > checkpoint) {
                    self.write_checkpoint(position).await?;
                    checkpoint = Some(at);
                    pass.progress.checkpoint = checkpoint;
                }
            }
            bucket += TimeDelta::milliseconds(FEED_BUCKET_MS);
        }
        Ok(pass.finish())
    }

    /// The events of `entry` (an append that takes `first..=last` of
    /// stream `id`), after the last one delivered. When they are not all
    /// there, a serial read of the stream's version completes or
    /// forecloses an append in flight: below `first`, the append may still
    /// land and is kept open (in the store, so that a restart keeps it
    /// too); at or past it, whatever the stream holds is delivered. Once
    /// the stream is at `first` or past it, the append id stored with
    /// event `first` tells whether this entry's append landed.
    async fn settle_entry(
        &self,
        id: &S::Id,
        entry: &FeedEntry,
        pass: &mut Pass,
        handler: &mut impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<()> {
        let FeedEntry {
            position,
            fresh,
            first,
            last,
        } = *entry;
        let done = self.done(id, pass).await?;
        if done >= first {
            if last <= done && !fresh {
                // Settled by an earlier pass and read again in the
                // look-back: all of it delivered, or dead.
                return Ok(());
            }
            // The stream is past `first`: this append landed (then it is
            // event `first`'s) or never will.
            if self.landed(id, first, position).await? == Some(false) {
                if fresh {
                    pass.progress.abandoned += 1;
                }
                return Ok(());
            }
            if last <= done {
                return Ok(());
            }
        }
        let (events, first_append) = self.events(id, done, last, first).await?;
        let lost = |append: Option<Uuid>| {
            fresh && append.is_some_and(|append| append != Uuid::from(position))
        };
        if events.last().is_some_and(|event| event.version >= last) {
            if lost(first_append) {
                // Another append took these versions (they are delivered
                // as its events).
                pass.progress.abandoned += 1;
            }
            return self.deliver(id, events, pass, handler).await;
        }
        let version = self.store.version(id).await?;
        if version < first {
            let key = format!("{id:?}");
            if pass.open.get(&key).is_none_or(|open| *open < first) {
                self.keep_open(id, first, position).await?;
                pass.open.insert(key, first);
            }
            return self.deliver(id, events, pass, handler).await;
        }
        let (events, first_append) = self.events(id, done, version.max(last), first).await?;
        if lost(first_append) {
            pass.progress.abandoned += 1;
        }
        self.deliver(id, events, pass, handler).await
    }

    /// Re-checks an append left open at `first` of stream `id` (its feed
    /// entry at `position`).
    async fn settle_open(
        &self,
        id: &S::Id,
        first: u64,
        position: CqlTimeuuid,
        pass: &mut Pass,
        handler: &mut impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<()> {
        let version = self.store.version(id).await?;
        if version < first {
            return Ok(());
        }
        if self.landed(id, first, position).await? == Some(false) {
            pass.progress.abandoned += 1;
        }
        let done = self.done(id, pass).await?;
        let (events, _) = self.events(id, done, version, first).await?;
        self.deliver(id, events, pass, handler).await?;
        self.forget_open(id).await?;
        pass.open.remove(&format!("{id:?}"));
        Ok(())
    }

    /// Whether event `first` of stream `id` was written by the append
    /// whose feed entry is at `position` (`None`: the event was not read).
    async fn landed(&self, id: &S::Id, first: u64, position: CqlTimeuuid) -> Result<Option<bool>> {
        let store = &self.store;
        let prepared = store.statements.append_of.prepared(store.session).await?;
        // An append after `first - 1` went whole into that version's
        // partition.
        let partition = first.saturating_sub(1) / S::SPEC.partition_events.max(1);
        let row = store
            .session
            .execute_first::<(Option<Uuid>,)>(
                &store.options.apply(prepared),
                (id, to_cql(partition), to_cql(first)),
            )
            .await?;
        Ok(row.map(|(append,)| append == Some(Uuid::from(position))))
    }

    /// Hands `events` (contiguous after what was delivered) to the handler
    /// and records the last.
    async fn deliver(
        &self,
        id: &S::Id,
        events: Vec<Recorded<S::Event>>,
        pass: &mut Pass,
        handler: &mut impl AsyncFnMut(&S::Id, Recorded<S::Event>) -> Result<()>,
    ) -> Result<()> {
        let Some(last) = events.last().map(|event| event.version) else {
            return Ok(());
        };
        for event in events {
            handler(id, event).await?;
            pass.progress.delivered += 1;
        }
        self.write_delivered(id, last).await?;
        pass.delivered.insert(format!("{id:?}"), last);
        Ok(())
    }

    /// The last version of stream `id` delivered (this pass's, or stored).
    async fn done(&self, id: &S::Id, pass: &Pass) -> Result<u64> {
        match pass.delivered.get(&format!("{id:?}")) {
            Some(done) => Ok(*done),
            None => self.delivered(id).await,
        }
    }

    /// The appends this projection keeps open: the rows of its partition
    /// in `<name>_projections` (the stream and the first version it waits
    /// for), besides the static checkpoint.
    async fn open_appends(&self) -> Result<Vec<(S::Id, i64, CqlTimeuuid)>> {
        let store = &self.store;
        let prepared = store
            .options
            .apply(store.statements.open.prepared(store.session).await?)
            .into_owned();
        paging::stream::<(Option<S::Id>, Option<i64>, Option<CqlTimeuuid>)>(
            store.session,
            prepared,
            (&self.name,),
            store.options.page_size,
        )
        .await?
        .try_filter_map(|(id, first, position)| {
            std::future::ready(Ok(match (id, first, position) {
                (Some(id), Some(first), Some(position)) => Some((id, first, position)),
                _ => None,
            }))
        })
        .try_collect()
        .await
    }

    async fn keep_open(&self, id: &S::Id, first: u64, position: CqlTimeuuid) -> Result<()> {
        let store = &self.store;
        let prepared = store.statements.open_write.prepared(store.session).await?;
        store
            .session
            .execute(
                &store.options.apply(prepared),
                (to_cql(first), position, &self.name, id),
            )
            .await?;
        Ok(())
    }

    async fn forget_open(&self, id: &S::Id) -> Result<()> {
        let store = &self.store;
        let prepared = store.statements.open_close.prepared(store.session).await?;
        store
            .session
            .execute(&store.options.apply(prepared), (&self.name, id))
            .await?;
        Ok(())
    }

    /// The events of stream `id` after `done` up to `last`, and the id of
    /// the append that wrote version `first` when it is among them.
    async fn events(
        &self,
        id: &S::Id,
        done: u64,
        last: u64,
        first: u64,
    ) -> Result<(Vec<Recorded<S::Event>>, Option<Uuid>)> {
        let owned = id.clone();
        let stream = self.store.load_with_appends(&owned, done + 1).await?;
        let mut events = Vec::new();
        let mut first_append = None;
        let mut stream = std::pin::pin!(stream);
        // Only the contiguous run after `done`: a version missing in the
        // middle (a read that missed a replica) makes the rest wait.
        let mut next = done + 1;
        while let Some((event, append)) = stream.try_next().await? {
            if event.version > last || event.version != next {
                break;
            }
            if event.version == first {
                first_append = append;
            }
            next += 1;
            events.push(event);
        }
        Ok((events, first_append))
    }

    /// The entries of feed bucket `bucket` from `start` on: its shards'
    /// partitions read a page at a time and merged in time order.
    async fn entries(
        &self,
        bucket: DateTime<Utc>,
        start: DateTime<Utc>,
    ) -> Result<FeedMerge<S::Id>> {
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
        let mut shards = Vec::with_capacity(usize::from(FEED_SHARDS));
        for shard in 0..FEED_SHARDS {
            let rows = paging::stream::<Entry<S::Id>>(
                store.session,
                prepared.clone(),
                (bucket, i32::from(shard), start),
                store.options.page_size,
            )
            .await?;
            shards.push(Shard {
                rows: Box::pin(rows),
                head: None,
                done: false,
            });
        }
        Ok(FeedMerge { shards })
    }

    /// The feed's first bucket.
    async fn first_bucket(&self) -> Result<Option<DateTime<Utc>>> {
        let store = &self.store;
        let prepared = store
            .options
            .apply(
                store
                    .statements
                    .feed_partitions
                    .prepared(store.session)
                    .await?,
            )
            .into_owned();
        paging::stream::<(DateTime<Utc>, i32)>(store.session, prepared, (), store.options.page_size)
            .await?
            .try_fold(None, |first: Option<DateTime<Utc>>, (bucket, _)| {
                std::future::ready(Ok(Some(first.map_or(bucket, |first| first.min(bucket)))))
            })
            .await
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

/// A feed entry being settled.
#[derive(Clone, Copy)]
struct FeedEntry {
    /// Its position, which is also its append's id.
    position: CqlTimeuuid,
    /// Whether it is after the checkpoint the pass started from (not read
    /// again in the look-back).
    fresh: bool,
    /// The first version its append takes.
    first: u64,
    /// The last.
    last: u64,
}

/// What one pass knows.
struct Pass {
    /// The checkpoint it started from.
    since: Option<DateTime<Utc>>,
    /// The last version delivered, per stream (by `Debug` of its id).
    delivered: HashMap<String, u64>,
    /// The first version of the append left open, per stream.
    open: HashMap<String, u64>,
    progress: Progress,
}

impl Pass {
    fn finish(self) -> Progress {
        Progress {
            open: u64::try_from(self.open.len()).unwrap_or(u64::MAX),
            ..self.progress
        }
    }
}

/// One feed partition being read: its rows and the next one.
struct Shard<Id> {
    rows: std::pin::Pin<Box<paging::Rows<Entry<Id>>>>,
    head: Option<Entry<Id>>,
    done: bool,
}

/// The partitions of one feed bucket, merged in time order.
struct FeedMerge<Id> {
    shards: Vec<Shard<Id>>,
}

impl<Id> FeedMerge<Id>
where
    Entry<Id>: for<'f, 'm> scylla::deserialize::row::DeserializeRow<'f, 'm> + Send + 'static,
{
    /// The earliest entry not yet taken from any partition.
    async fn next(&mut self) -> Result<Option<Entry<Id>>> {
        for shard in &mut self.shards {
            if shard.head.is_none() && !shard.done {
                shard.head = shard.rows.try_next().await?;
                shard.done = shard.head.is_none();
            }
        }
        let earliest = self
            .shards
            .iter_mut()
            .filter(|shard| shard.head.is_some())
            .min_by_key(|shard| shard.head.as_ref().map(|entry| order_of(entry.0)));
        Ok(earliest.and_then(|shard| shard.head.take()))
    }
}

/// Where a time-based UUID sorts: by its time, then its bytes (as
/// Cassandra orders `timeuuid`).
fn order_of(position: CqlTimeuuid) -> (u64, [u8; 16]) {
    let uuid = Uuid::from(position);
    let ticks = uuid.get_timestamp().map_or(0, |timestamp| {
        let (seconds, nanos) = timestamp.to_unix();
        seconds
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::from(nanos))
    });
    (ticks, uuid.into_bytes())
}

/// The time in a time-based UUID.
pub(super) fn time_of(position: CqlTimeuuid) -> Option<DateTime<Utc>> {
    let (seconds, nanos) = Uuid::from(position).get_timestamp()?.to_unix();
    DateTime::from_timestamp(i64::try_from(seconds).ok()?, nanos)
}
