//! The statements of one event store, built from its [`StreamSpec`] and the
//! keyspace when the `Db` is created.

use super::StreamSpec;
use crate::Statement;

/// The statements of an event store (generated `Db`s hold one per store).
#[derive(Debug)]
pub struct EventStatements {
    spec: &'static StreamSpec,
    /// `UPDATE … SET head = ? WHERE id = ? AND partition_nr = ? IF head = ?`.
    pub(super) claim: Statement,
    /// One event's row.
    pub(super) insert: Statement,
    /// A partition's `head`.
    pub(super) head: Statement,
    /// A partition's events from a version on.
    pub(super) events: Statement,
    /// The same with the id of the append that wrote each.
    pub(super) events_with_appends: Statement,
    /// The append id stored with one event.
    pub(super) append_of: Statement,
    /// A snapshot's row.
    pub(super) snapshot_insert: Option<Statement>,
    /// A stream's snapshots, newest first.
    pub(super) snapshots: Option<Statement>,
    /// Deletes a stream's snapshots older than a version.
    pub(super) snapshot_prune: Option<Statement>,
    /// An append's entry in the feed, written before the append.
    pub(super) feed_insert: Statement,
    /// A feed partition's entries after a time.
    pub(super) feed_entries: Statement,
    /// The feed's partitions (to find where a new projection starts).
    pub(super) feed_partitions: Statement,
    /// Deletes one feed partition.
    pub(super) feed_drop: Statement,
    /// Every projection's checkpoint.
    pub(super) checkpoints: Statement,
    /// A projection's checkpoint.
    pub(super) checkpoint: Statement,
    /// Moves a projection's checkpoint.
    pub(super) checkpoint_write: Statement,
    /// The last version of a stream a projection delivered.
    pub(super) delivered: Statement,
    /// Records the last version of a stream a projection delivered.
    pub(super) delivered_write: Statement,
    /// A projection's open appends (and its checkpoint's row).
    pub(super) open: Statement,
    /// Keeps an append open.
    pub(super) open_write: Statement,
    /// Closes an open append.
    pub(super) open_close: Statement,
    /// The events table's comment, which states its `partition every`.
    pub(super) layout: Statement,
    /// The keyspace and events table, unquoted, for `layout`.
    pub(super) events_table_name: (String, String),
    /// Whether `layout` agreed with the spec (read once).
    pub(super) layout_checked: tokio::sync::OnceCell<()>,
    /// The span attributes and meters of the store's operations.
    pub(super) instruments: crate::instruments::Instruments,
}

impl EventStatements {
    /// The statements of `spec`'s tables in `keyspace`. Nothing is sent.
    pub fn new(keyspace: &str, spec: &'static StreamSpec) -> Self {
        let keyspace_name = keyspace;
        let keyspace = crate::rt::quoted(keyspace);
        let events = [keyspace.as_str(), ".", spec.events_table].concat();
        let snapshots = spec
            .snapshots_table
            .map(|table| [keyspace.as_str(), ".", table].concat());
        let feed = [keyspace.as_str(), ".", spec.feed_table].concat();
        let projections = [keyspace.as_str(), ".", spec.projections_table].concat();
        let projected = [keyspace.as_str(), ".", spec.projected_table].concat();
        Self {
            spec,
            claim: Statement::new(format!(
                "UPDATE {events} SET head = ? WHERE id = ? AND partition_nr = ? IF head = ?"
            )),
            insert: Statement::new(format!(
                "INSERT INTO {events} (id, partition_nr, version, event_type, payload, recorded_at, append_id) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)"
            )),
            head: Statement::new(format!(
                "SELECT head FROM {events} WHERE id = ? AND partition_nr = ? LIMIT 1"
            )),
            events: Statement::new(format!(
                "SELECT version, event_type, payload, recorded_at FROM {events} \
                 WHERE id = ? AND partition_nr = ? AND version >= ?"
            )),
            events_with_appends: Statement::new(format!(
                "SELECT version, event_type, payload, recorded_at, append_id FROM {events} \
                 WHERE id = ? AND partition_nr = ? AND version >= ?"
            )),
            append_of: Statement::new(format!(
                "SELECT append_id FROM {events} WHERE id = ? AND partition_nr = ? AND version = ?"
            )),
            snapshot_insert: snapshots.as_ref().map(|table| {
                Statement::new(format!(
                    "INSERT INTO {table} (id, version, state, taken_at) VALUES (?, ?, ?, ?)"
                ))
            }),
            snapshot_prune: snapshots.as_ref().map(|table| {
                Statement::new(format!("DELETE FROM {table} WHERE id = ? AND version < ?"))
            }),
            snapshots: snapshots.map(|table| {
                Statement::new(format!("SELECT version, state FROM {table} WHERE id = ?"))
            }),
            feed_insert: Statement::new(format!(
                "INSERT INTO {feed} (bucket, shard, position, id, first_version, last_version) \
                 VALUES (?, ?, ?, ?, ?, ?)"
            )),
            feed_entries: Statement::new(format!(
                "SELECT position, id, first_version, last_version FROM {feed} \
                 WHERE bucket = ? AND shard = ? AND position >= minTimeuuid(?)"
            )),
            feed_partitions: Statement::new(format!("SELECT DISTINCT bucket, shard FROM {feed}")),
            feed_drop: Statement::new(format!("DELETE FROM {feed} WHERE bucket = ? AND shard = ?")),
            checkpoints: Statement::new(format!(
                "SELECT DISTINCT projection, checkpoint FROM {projections}"
            )),
            checkpoint: Statement::new(format!(
                "SELECT checkpoint FROM {projections} WHERE projection = ? LIMIT 1"
            )),
            checkpoint_write: Statement::new(format!(
                "UPDATE {projections} SET checkpoint = ? WHERE projection = ?"
            )),
            delivered: Statement::new(format!(
                "SELECT version FROM {projected} WHERE projection = ? AND stream = ?"
            )),
            delivered_write: Statement::new(format!(
                "UPDATE {projected} SET version = ? WHERE projection = ? AND stream = ?"
            )),
            open: Statement::new(format!(
                "SELECT stream, first_version, position FROM {projections} WHERE projection = ?"
            )),
            open_write: Statement::new(format!(
                "UPDATE {projections} SET first_version = ?, position = ? WHERE projection = ? AND stream = ?"
            )),
            open_close: Statement::new(format!(
                "DELETE FROM {projections} WHERE projection = ? AND stream = ?"
            )),
            layout: Statement::new(
                "SELECT comment FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
            ),
            events_table_name: (keyspace_name.to_owned(), unquoted(spec.events_table)),
            layout_checked: tokio::sync::OnceCell::new(),
            instruments: crate::instruments::Instruments::new(
                spec.name,
                keyspace_name,
                spec.events_table,
            ),
        }
    }

    /// What the schema says about the tables.
    pub fn spec(&self) -> &'static StreamSpec {
        self.spec
    }
}

/// A table name as stored in `system_schema` (generated names are quoted
/// only when CQL needs it).
fn unquoted(name: &str) -> String {
    match name
        .strip_prefix('"')
        .and_then(|name| name.strip_suffix('"'))
    {
        Some(inner) => inner.replace("\"\"", "\""),
        None => name.to_owned(),
    }
}
