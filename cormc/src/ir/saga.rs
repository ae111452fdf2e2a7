//! Sagas: steps with compensations whose progress is logged.

use super::model::Field;
use crate::diagnostics::Span;

/// A step's attempt timeout when the step gives none.
pub const DEFAULT_STEP_TIMEOUT_MS: u64 = 30_000;
/// A step's retries when the step gives none.
pub const DEFAULT_STEP_RETRIES: u32 = 3;
/// How long a runner's hold outlasts a step's timeout, when the saga
/// gives no `lease`.
pub const DEFAULT_LEASE_MS: u64 = 30_000;

/// A `saga` item.
#[derive(Debug, Clone, PartialEq)]
pub struct Saga {
    /// Its name as written.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// The input's fields.
    pub input: Vec<Field>,
    /// The steps, in order.
    pub steps: Vec<SagaStep>,
    /// `lease`, in milliseconds.
    pub lease_ms: u64,
    /// The log table (`<name>_saga`).
    pub log_table: String,
    /// The open-saga index (`<name>_saga_open`).
    pub open_table: String,
    /// Where it was declared.
    pub span: Span,
}

/// One `step`.
#[derive(Debug, Clone, PartialEq)]
pub struct SagaStep {
    /// Its name as written.
    pub name: String,
    /// `///` documentation.
    pub doc: Option<String>,
    /// `returns { … }`: `None` when the step returns nothing.
    pub returns: Option<Vec<Field>>,
    /// One attempt's timeout, in milliseconds.
    pub timeout_ms: u64,
    /// Attempts after a failed first one.
    pub retries: u32,
    /// Where it was declared.
    pub span: Span,
}
