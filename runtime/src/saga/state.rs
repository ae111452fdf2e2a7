//! A saga's state as its log's static columns hold it, and the statuses
//! it moves through.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// Where a saga stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Running its steps forward.
    Running,
    /// A step failed for good; undoing the attempted steps, last first.
    Compensating,
    /// Every step ran.
    Completed,
    /// Every attempted step was compensated.
    Compensated,
    /// A compensation failed on every attempt: the saga needs a person.
    Stuck,
}

impl Status {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Compensating => "compensating",
            Self::Completed => "completed",
            Self::Compensated => "compensated",
            Self::Stuck => "stuck",
        }
    }

    /// From its stored form.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "running" => Self::Running,
            "compensating" => Self::Compensating,
            "completed" => Self::Completed,
            "compensated" => Self::Compensated,
            "stuck" => Self::Stuck,
            _ => return None,
        })
    }

    /// Whether a runner still has work to do on the saga.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Running | Self::Compensating)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The static columns of a saga's log, as read (in
/// [`STATE_COLUMNS`](super::statements::STATE_COLUMNS) order).
pub(super) type StateRow = (
    Option<String>,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Uuid>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// A saga's state, decoded: what a transition reads and writes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct State {
    pub status: Status,
    /// Running: the next step to run; compensating: the next step to
    /// compensate (-1 when none is left).
    pub step: i32,
    /// Attempts made of the current step (or compensation).
    pub attempt: i32,
    pub version: i32,
    pub input: String,
    pub outputs: String,
    pub error: Option<String>,
    pub owner: Option<Uuid>,
    pub lease_until: Option<DateTime<Utc>>,
    pub started_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl State {
    /// Decodes a row; why not, when a column is missing or unknown.
    pub fn from_row(row: StateRow) -> Result<Self, String> {
        let (
            status,
            step,
            attempt,
            version,
            input,
            outputs,
            error,
            owner,
            lease_until,
            started_at,
            updated_at,
        ) = row;
        let status = status.ok_or("the saga's state has no status")?;
        let status =
            Status::parse(&status).ok_or_else(|| format!("unknown saga status `{status}`"))?;
        Ok(Self {
            status,
            step: step.unwrap_or(0),
            attempt: attempt.unwrap_or(0),
            version: version.ok_or("the saga's state has no version")?,
            input: input.ok_or("the saga's state has no input")?,
            outputs: outputs.unwrap_or_else(|| "{}".to_owned()),
            error,
            owner,
            lease_until,
            started_at,
            updated_at,
        })
    }

    /// Whether a runner's hold on it has passed at `now`.
    pub fn lease_expired(&self, now: DateTime<Utc>) -> bool {
        self.lease_until.is_none_or(|until| until <= now)
    }
}
