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
    /// A snapshot's row.
    pub(super) snapshot_insert: Option<Statement>,
    /// A stream's snapshots, newest first.
    pub(super) snapshots: Option<Statement>,
}

impl EventStatements {
    /// The statements of `spec`'s tables in `keyspace`. Nothing is sent.
    pub fn new(keyspace: &str, spec: &'static StreamSpec) -> Self {
        let keyspace = crate::rt::quoted(keyspace);
        let events = [keyspace.as_str(), ".", spec.events_table].concat();
        let snapshots = spec
            .snapshots_table
            .map(|table| [keyspace.as_str(), ".", table].concat());
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
            snapshot_insert: snapshots.as_ref().map(|table| {
                Statement::new(format!(
                    "INSERT INTO {table} (id, version, state, taken_at) VALUES (?, ?, ?, ?)"
                ))
            }),
            snapshots: snapshots.map(|table| {
                Statement::new(format!("SELECT version, state FROM {table} WHERE id = ?"))
            }),
        }
    }

    /// What the schema says about the tables.
    pub fn spec(&self) -> &'static StreamSpec {
        self.spec
    }
}
