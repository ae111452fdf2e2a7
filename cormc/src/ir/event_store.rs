//! Event-sourced aggregates: event streams with snapshots.

use super::model::Field;
use super::types::Type;
use crate::diagnostics::Span;

/// Events per partition of a stream when `partition every` is not given:
/// with payloads of a few hundred bytes, a partition stays well under
/// the 100 MB Cassandra warns about.
pub const DEFAULT_PARTITION_EVENTS: u64 = 100_000;

/// An `events` item.
#[derive(Debug, Clone, PartialEq)]
pub struct EventStore {
    /// Its name as written.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// The stream id's type (`id: T`; with a tenant id, the tuple of the
    /// tenant id's type and `T`).
    pub id_type: Type,
    /// The tenant id (a field marked `@tenant`), which with `id` makes the
    /// stream id.
    pub tenant: Option<Field>,
    /// `snapshot every N`.
    pub snapshot_every: Option<u32>,
    /// `partition every K`: the events of one stream per partition
    /// ([`DEFAULT_PARTITION_EVENTS`] when not given).
    pub partition_events: u64,
    /// The events, in declaration order.
    pub events: Vec<Event>,
    /// The events table (`<name>_events`).
    pub events_table: String,
    /// The snapshots table (`<name>_snapshots`).
    pub snapshots_table: String,
    /// The feed of appends that projections follow (`<name>_feed`).
    pub feed_table: String,
    /// The projections' checkpoints and open appends
    /// (`<name>_projections`).
    pub projections_table: String,
    /// The last version of each stream each projection delivered
    /// (`<name>_projected`).
    pub projected_table: String,
    /// Where it was declared.
    pub span: Span,
}

/// One `event Name { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its name as written.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// Its fields (may be none).
    pub fields: Vec<Field>,
    /// Where it was declared.
    pub span: Span,
}
