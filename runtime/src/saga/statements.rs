//! The statements of one saga's tables, built from its [`SagaSpec`] and
//! the keyspace when the `Db` is created.

use super::SagaSpec;
use crate::Statement;

/// The columns of a saga's state, in the order [`State`](super::state::State) reads them.
pub(super) const STATE_COLUMNS: &str = "status, step, attempt, version, input, outputs, error, owner, lease_until, started_at, updated_at";

/// The statements of a saga (generated `Db`s hold one per saga).
#[derive(Debug)]
pub struct SagaStatements {
    pub(super) spec: &'static SagaSpec,
    /// Records a new saga: its state and log row 0, if it does not exist.
    pub(super) start: Statement,
    /// Records a transition: the new state and its log row, if the state
    /// is still at the version the runner read.
    pub(super) transition: Statement,
    /// A saga's state.
    pub(super) state: Statement,
    /// A saga's log.
    pub(super) log: Statement,
    /// Lists a saga as open.
    pub(super) open_insert: Statement,
    /// Removes a saga from the open list.
    pub(super) open_delete: Statement,
    /// One shard of the open list.
    pub(super) open_list: Statement,
    /// The span attributes and meters of the saga's requests.
    pub(super) instruments: crate::instruments::Instruments,
}

impl SagaStatements {
    /// The statements of `spec`'s tables in `keyspace`. Nothing is sent.
    pub fn new(keyspace: &str, spec: &'static SagaSpec) -> Self {
        let keyspace_name = keyspace;
        let keyspace = crate::rt::quoted(keyspace);
        let log = [keyspace.as_str(), ".", spec.log_table].concat();
        let open = [keyspace.as_str(), ".", spec.open_table].concat();
        Self {
            spec,
            start: Statement::non_idempotent(format!(
                "INSERT INTO {log} (saga_id, seq, status, step, attempt, version, input, outputs, owner, lease_until, \
                 started_at, updated_at, at, event) VALUES (?, 0, ?, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS"
            )),
            transition: Statement::non_idempotent(format!(
                "UPDATE {log} SET status = ?, step = ?, attempt = ?, version = ?, outputs = ?, error = ?, owner = ?, \
                 lease_until = ?, updated_at = ?, at = ?, event = ?, step_name = ?, detail = ? \
                 WHERE saga_id = ? AND seq = ? IF version = ?"
            )),
            state: Statement::new(format!(
                "SELECT {STATE_COLUMNS} FROM {log} WHERE saga_id = ? LIMIT 1"
            )),
            log: Statement::new(format!(
                "SELECT seq, at, event, step_name, detail FROM {log} WHERE saga_id = ?"
            )),
            open_insert: Statement::new(format!(
                "INSERT INTO {open} (shard, saga_id, started_at) VALUES (?, ?, ?)"
            )),
            open_delete: Statement::new(format!(
                "DELETE FROM {open} WHERE shard = ? AND saga_id = ?"
            )),
            open_list: Statement::new(format!(
                "SELECT saga_id, started_at FROM {open} WHERE shard = ?"
            )),
            instruments: crate::instruments::Instruments::new(
                spec.name,
                keyspace_name,
                spec.log_table,
            ),
        }
    }

    /// The saga these statements are for.
    pub fn spec(&self) -> &'static SagaSpec {
        self.spec
    }
}
