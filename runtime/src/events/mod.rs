//! Event sourcing: streams of typed events appended with optimistic
//! concurrency, loaded and replayed into aggregates, with snapshots.
//!
//! An `events Name { id: T; snapshot every N; partition every K; event … }`
//! item generates an event enum implementing [`Event`] (one variant per
//! event, each payload a serde struct stored as JSON text), a marker type
//! implementing [`EventStream`], and an [`EventStore`] reached from the
//! `Db`.
//!
//! **Storage.** `<name>_events ((id, partition_nr), version)`: versions
//! count from 1 per stream; an append of events after version `e` goes
//! whole into partition `e / K`, so an append is one partition's
//! conditional batch (atomic and isolated) and a partition holds at most
//! `K` plus one append's events. The partition's static `head` is its last
//! version; an append is conditioned on it (`IF head = e`), so of two
//! writers expecting the same version exactly one lands and the other gets
//! [`Error::Conflict`](crate::Error::Conflict) with the version it found.
//! The first append into a new partition first checks, with a serial read,
//! that the previous partition ends at `e` (it can't grow after that: any
//! later append goes to the new partition).
//!
//! **Layout.** The events table's comment states `partition every K`;
//! a store refuses a table that states another `K` (read once per `Db`):
//! its streams' events sit in other partitions.
//!
//! **Evolution.** A payload is the JSON of its event's fields. Adding an
//! optional field (`T?`) keeps old events readable (they read as `None`);
//! removing a field is fine (old JSON's extra key is ignored); renaming a
//! field or an event, or changing a type, needs an [`Upcaster`], which
//! rewrites an old `(event_type, payload)` before it is decoded.
//!
//! **Cost.** Every append is a lightweight transaction: four round trips
//! between replicas (Paxos prepare, read, propose, commit) instead of one.

mod aggregate;
mod append;
mod load;
mod projection;
mod retention;
mod snapshot;
mod statements;
mod store;

pub use aggregate::{Aggregate, ExecuteError, Loaded, SkippedSnapshot};
pub use projection::{Progress, Projection};
pub use statements::EventStatements;
pub use store::{EventStore, Upcaster};

use chrono::{DateTime, Utc};
use scylla::deserialize::value::DeserializeValue;
use scylla::serialize::value::SerializeValue;

/// What an event store's tables are (stated by generated code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSpec {
    /// The event store's name, for errors.
    pub name: &'static str,
    /// The events table (without keyspace).
    pub events_table: &'static str,
    /// The snapshots table, with `snapshot every N`.
    pub snapshots_table: Option<&'static str>,
    /// `snapshot every N`.
    pub snapshot_every: Option<u64>,
    /// `partition every K`: events of one stream per partition (at least 1).
    pub partition_events: u64,
    /// The feed of appends that projections follow.
    pub feed_table: &'static str,
    /// The projections' checkpoints and open appends.
    pub projections_table: &'static str,
    /// The last version of each stream each projection delivered.
    pub projected_table: &'static str,
}

/// An event store (generated: a marker type).
pub trait EventStream: Send + Sync + 'static {
    /// The stream id.
    type Id: SerializeValue
        + for<'f, 'm> DeserializeValue<'f, 'm>
        + Clone
        + std::fmt::Debug
        + Send
        + Sync;
    /// The events.
    type Event: Event;
    /// The tables.
    const SPEC: StreamSpec;
}

/// An event enum (generated): each variant's name is its stored
/// `event_type` and its payload is JSON.
pub trait Event: Sized + Send + Sync + 'static {
    /// The variant's name, stored as `event_type`.
    fn event_type(&self) -> &'static str;

    /// The payload as JSON text.
    ///
    /// # Errors
    /// A payload that does not serialize (a map with keys that are not
    /// strings in JSON).
    fn to_payload(&self) -> Result<String, serde_json::Error>;

    /// The event of `event_type` read from its payload.
    ///
    /// # Errors
    /// [`DecodeError`]: an unknown type, or a payload that does not read.
    fn from_payload(event_type: &str, payload: &str) -> Result<Self, DecodeError>;
}

/// Why a stored event does not read as the current event enum.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The `event_type` is no variant (renamed or removed: an upcaster
    /// maps it).
    #[error("`{0}` is not an event of this store")]
    UnknownType(String),
    /// The payload does not read as the variant's fields.
    #[error("the payload does not read: {0}")]
    Payload(#[from] serde_json::Error),
}

/// An event as stored: its version in the stream, when it was recorded,
/// and the event.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded<E> {
    /// Its version (the first event of a stream is 1).
    pub version: u64,
    /// When the append that wrote it ran (the writer's clock).
    pub recorded_at: DateTime<Utc>,
    /// The event.
    pub event: E,
}
