//! What a saga's log says: its status ([`SagaStatus`]) and its transitions
//! ([`LogEntry`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Status;

/// A saga's state, as its log holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct SagaStatus<I, O> {
    /// The saga's id.
    pub id: Uuid,
    /// Where it stands.
    pub status: Status,
    /// The step it is running or compensating (`None` once it has ended).
    pub step: Option<&'static str>,
    /// Attempts made of that step (or of its compensation).
    pub attempt: u32,
    /// Why it is compensating, compensated or stuck.
    pub error: Option<String>,
    /// Its input.
    pub input: I,
    /// The outputs of the steps that completed.
    pub outputs: O,
    /// The runner holding it.
    pub owner: Option<Uuid>,
    /// Until when that runner holds it.
    pub lease_until: Option<DateTime<Utc>>,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When its last transition was recorded.
    pub updated_at: Option<DateTime<Utc>>,
}

/// One transition of a saga, in the order they were recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Its number (the state's version after it), from 0.
    pub seq: u32,
    /// When it was recorded (by the runner's clock).
    pub at: Option<DateTime<Utc>>,
    /// What happened: `started`, `attempt`, `attempt failed`, `step done`,
    /// `step failed`, `compensation attempt`, `compensation failed`,
    /// `step compensated`, `taken over`, `completed`, `compensated`,
    /// `stuck`.
    pub event: String,
    /// The step it concerns.
    pub step: Option<String>,
    /// The error, or the runner taken over from.
    pub detail: Option<String>,
}
