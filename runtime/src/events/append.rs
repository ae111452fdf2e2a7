//! Appends: a stream's new events written at consecutive versions in one
//! conditional batch on one partition, or not at all.

use chrono::{DateTime, Utc};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::RowWriter;
use scylla::statement::batch::{Batch, BatchType};
use scylla::value::CqlTimeuuid;
use uuid::Uuid;

use super::store::to_cql;
use super::{Event, EventStore, EventStream};
use crate::{Error, Result};

impl<S: EventStream> EventStore<'_, S> {
    /// Appends `events` to stream `id` after version `expected` (0 for a
    /// new stream): they get versions `expected + 1 ..= expected + n` and
    /// the new version is returned. All of them land or none does.
    ///
    /// # Errors
    /// [`Error::Conflict`] when the stream is not at `expected` (another
    /// writer appended first, or `expected` is ahead of the stream):
    /// nothing was written. [`Error::EventStore`] for more events than a
    /// partition holds, an event that does not serialize, or a table laid
    /// out with another `partition every` (nothing written); a write's error otherwise (a timeout may have applied:
    /// read [`version`](Self::version) to know).
    pub async fn append(&self, id: &S::Id, expected: u64, events: &[S::Event]) -> Result<u64> {
        self.traced("append", self.append_announced(id, expected, events, true))
            .await
    }

    /// [`append`](Self::append) without its feed entry: what a writer
    /// whose entry was written long before its append lands looks like to
    /// projections. For tests only.
    #[doc(hidden)]
    pub async fn append_unannounced(
        &self,
        id: &S::Id,
        expected: u64,
        events: &[S::Event],
    ) -> Result<u64> {
        self.append_announced(id, expected, events, false).await
    }

    async fn append_announced(
        &self,
        id: &S::Id,
        expected: u64,
        events: &[S::Event],
        announce: bool,
    ) -> Result<u64> {
        let spec = S::SPEC;
        let Some(count) = u64::try_from(events.len()).ok().filter(|n| *n > 0) else {
            return Ok(expected);
        };
        self.check_layout().await?;
        if count > spec.partition_events {
            return Err(Error::EventStore {
                store: spec.name,
                problem: format!(
                    "an append of {count} events: one append holds at most {} (`partition every`)",
                    spec.partition_events
                ),
            });
        }
        let Some(head) = expected
            .checked_add(count)
            .filter(|head| i64::try_from(*head).is_ok())
        else {
            return Err(Error::EventStore {
                store: spec.name,
                problem: format!("an append after version {expected}: versions end at 2^63 - 1"),
            });
        };
        let mut payloads = Vec::with_capacity(events.len());
        for event in events {
            let payload = event.to_payload().map_err(|error| Error::EventStore {
                store: spec.name,
                problem: format!("event `{}` does not serialize: {error}", event.event_type()),
            })?;
            // An event that would not read back (a NaN or infinite float
            // is JSON `null`) is refused before anything is written.
            if let Err(error) = S::Event::from_payload(event.event_type(), &payload) {
                return Err(Error::EventStore {
                    store: spec.name,
                    problem: format!(
                        "event `{}` would not read back from its JSON ({error}): a float that is NaN or infinite has no JSON form",
                        event.event_type()
                    ),
                });
            }
            payloads.push((event.event_type(), payload));
        }
        // The feed learns of the append before it is made: a writer that
        // dies between the two leaves an entry whose events never come,
        // which projections resolve (see `Projection`); the other order
        // could lose a committed append from the feed.
        // Prepared first, so that a statement that can't be prepared fails
        // before the feed hears of the append.
        self.statements.claim.prepared(self.session).await?;
        self.statements.insert.prepared(self.session).await?;
        // The append's id is its feed entry's position: a projection tells
        // an entry whose append landed from one whose versions another
        // append took by the id stored with the events.
        let append_id = timeuuid_now();
        if announce {
            self.announce_at(id, expected, count, append_id).await?;
        }
        let partition = expected / spec.partition_events.max(1);
        let append = Append {
            partition,
            expected,
            head,
            append_id,
            events: &payloads,
        };
        // The partition already holds the stream's last events (the
        // common case), or the stream is new.
        let condition = (expected > 0).then_some(expected);
        if self.write(id, &append, condition).await? {
            return Ok(append.head);
        }
        if let Some(found) = self.head(id, partition).await? {
            // Later partitions may have been opened since.
            let actual = self.version_after(id, partition + 1, found).await?;
            return Err(self.conflict(id, expected, actual));
        }
        // A partition without events: the append opens it only if the
        // previous one ends at `expected` (it can't grow any more then).
        let previous = match partition.checked_sub(1) {
            Some(previous) => self.head(id, previous).await?.unwrap_or(0),
            None => 0,
        };
        if previous != expected {
            let actual = self.version(id).await?;
            return Err(self.conflict(id, expected, actual));
        }
        if self.write(id, &append, None).await? {
            return Ok(append.head);
        }
        let actual = self.version(id).await?;
        Err(self.conflict(id, expected, actual))
    }

    /// Appends `events` after whatever the stream's version is, retrying
    /// when another writer appends in between (at most the store's
    /// attempts); returns the new version.
    ///
    /// # Errors
    /// As for [`append`](Self::append); [`Error::Conflict`] after the last
    /// attempt.
    pub async fn append_any(&self, id: &S::Id, events: &[S::Event]) -> Result<u64> {
        self.traced("append_any", self.append_at_any_version(id, events))
            .await
    }

    async fn append_at_any_version(&self, id: &S::Id, events: &[S::Event]) -> Result<u64> {
        let mut attempt = 1;
        loop {
            let expected = self.version(id).await?;
            match self.append(id, expected, events).await {
                Err(Error::Conflict { .. }) if attempt < self.retries => {
                    attempt += 1;
                    super::aggregate::back_off(attempt).await;
                }
                outcome => return outcome,
            }
        }
    }

    /// Writes `append` as one conditional batch on its partition: the
    /// head moves from `condition` (`None`: no events yet) to the new
    /// version, and the events' rows are inserted. Whether it applied.
    async fn write(&self, id: &S::Id, append: &Append<'_>, condition: Option<u64>) -> Result<bool> {
        let claim = self.statements.claim.prepared(self.session).await?;
        let insert = self.statements.insert.prepared(self.session).await?;
        let mut batch = Batch::new(BatchType::Unlogged);
        self.options.apply_to_batch(&mut batch);
        // Cassandra refuses a write time on a conditional batch.
        batch.set_timestamp(None);
        batch.append_statement(claim.clone());
        for _ in append.events {
            batch.append_statement(insert.clone());
        }
        let partition = to_cql(append.partition);
        let recorded_at = Utc::now();
        let append_id = append.append_id;
        let mut values: Vec<AppendRow<'_, S::Id>> = Vec::with_capacity(append.events.len() + 1);
        values.push(AppendRow::Claim((
            to_cql(append.head),
            id,
            partition,
            condition.map(to_cql),
        )));
        for (offset, (event_type, payload)) in (1..).zip(append.events) {
            values.push(AppendRow::Event((
                id,
                partition,
                to_cql(append.expected + offset),
                event_type,
                payload.as_str(),
                recorded_at,
                append_id,
            )));
        }
        let result = self
            .session
            .driver()
            .batch(&batch, &values)
            .await
            .map_err(|source| Error::Batch {
                size: values.len(),
                first: claim.get_statement().to_owned(),
                source: Box::new(source),
            })?;
        crate::lwt::was_applied(claim.get_statement(), result)
    }

    /// Writes the feed entry of an append of `count` events after
    /// `expected`, at the current time. Appends call it first; tests call
    /// it alone to stand for a writer that died before its append.
    #[doc(hidden)]
    pub async fn announce(&self, id: &S::Id, expected: u64, count: u64) -> Result<()> {
        self.announce_at(id, expected, count, timeuuid_now()).await
    }

    /// Writes the feed entry of an append at `position` (the append's id).
    async fn announce_at(
        &self,
        id: &S::Id,
        expected: u64,
        count: u64,
        position: Uuid,
    ) -> Result<()> {
        let at = super::projection::time_of(CqlTimeuuid::from(position)).unwrap_or_else(Utc::now);
        let bucket = feed_bucket(at);
        // Any shard will do (a projection merges them all by time): a
        // random one spreads a busy hour evenly.
        let shard = i32::from(Uuid::new_v4().as_bytes()[0] % FEED_SHARDS);
        let prepared = self.statements.feed_insert.prepared(self.session).await?;
        self.session
            .execute(
                &self.options.apply(prepared),
                (
                    bucket,
                    shard,
                    CqlTimeuuid::from(position),
                    id,
                    to_cql(expected.saturating_add(1)),
                    to_cql(expected.saturating_add(count)),
                ),
            )
            .await?;
        Ok(())
    }

    fn conflict(&self, id: &S::Id, expected: u64, actual: u64) -> Error {
        if actual == expected {
            // The stream is where the append expects it, yet the partition
            // `expected / K` does not end there: its events were written
            // with another `K`.
            return Error::EventStore {
                store: self.name(),
                problem: format!(
                    "stream {id:?} is at version {expected}, but not in partition {} of `partition every {}`: \
                     its events were written with another `partition every` (changing it for a store with events is not supported)",
                    expected / S::SPEC.partition_events.max(1),
                    S::SPEC.partition_events
                ),
            };
        }
        Error::Conflict {
            store: self.name(),
            id: format!("{id:?}"),
            expected,
            actual,
        }
    }
}

/// The values of one statement of an append's batch.
enum AppendRow<'a, Id> {
    /// `SET head = ? WHERE id = ? AND partition_nr = ? IF head = ?`.
    Claim((i64, &'a Id, i64, Option<i64>)),
    /// An event's row.
    Event((&'a Id, i64, i64, &'a str, &'a str, DateTime<Utc>, Uuid)),
}

impl<Id: SerializeValue> SerializeRow for AppendRow<'_, Id> {
    fn serialize(
        &self,
        ctx: &RowSerializationContext<'_>,
        writer: &mut RowWriter,
    ) -> std::result::Result<(), SerializationError> {
        match self {
            Self::Claim(values) => SerializeRow::serialize(values, ctx, writer),
            Self::Event(values) => SerializeRow::serialize(values, ctx, writer),
        }
    }

    fn is_empty(&self) -> bool {
        false
    }
}

/// What one append writes.
struct Append<'e> {
    partition: u64,
    expected: u64,
    head: u64,
    append_id: Uuid,
    events: &'e [(&'static str, String)],
}

/// The width of a feed bucket, in milliseconds: an hour.
pub(super) const FEED_BUCKET_MS: i64 = 3_600_000;

/// The partitions (shards) of one feed bucket: at a thousand appends a
/// second, each holds some 450,000 entries (about 40 MB). Fixed: a
/// projection reads shards `0..FEED_SHARDS` of every bucket.
pub(super) const FEED_SHARDS: u8 = 8;

/// The start of the feed bucket of `at`.
pub(super) fn feed_bucket(at: DateTime<Utc>) -> DateTime<Utc> {
    let millis = at.timestamp_millis();
    DateTime::from_timestamp_millis(millis - millis.rem_euclid(FEED_BUCKET_MS)).unwrap_or(at)
}

/// A time-based UUID of now, with a node id chosen once per process.
fn timeuuid_now() -> Uuid {
    static NODE: std::sync::OnceLock<[u8; 6]> = std::sync::OnceLock::new();
    let node = NODE.get_or_init(|| {
        let random = Uuid::new_v4().into_bytes();
        [
            random[0] | 1,
            random[1],
            random[2],
            random[3],
            random[4],
            random[5],
        ]
    });
    Uuid::now_v1(node)
}
