//! Sagas: steps with compensations whose progress is kept in Cassandra,
//! so that a crashed runner's work is finished by another.
//!
//! A `saga Name { input { … } step a … }` item generates a trait with one
//! `run_<step>` and one `compensate_<step>` per step, the typed input and
//! step outputs, and a wrapper implementing [`Saga`]; the `Db` hands out a
//! [`SagaRunner`] for it.
//!
//! **What is guaranteed.** Cassandra 5.0 has no transaction across
//! partitions, so a saga is not atomic: each step is its own unit of work,
//! and a saga ends either *completed* (every step ran) or *compensated*
//! (a step failed for good, and every step that was attempted, the failed
//! one included, was compensated in reverse order). Other readers can see
//! the effects of a saga that is still running or compensating; isolation
//! comes only from what the steps reserve ([`reservation`]).
//!
//! **The log.** `<name>_saga (saga_id, seq)`: the saga's state (status,
//! step, attempt, outputs, lease) in static columns, and one row per
//! transition. Every transition is one lightweight transaction conditioned
//! on the state's version, so of two runners exactly one records any
//! transition, and a runner that lost its saga learns it at its next
//! transition. `<name>_saga_open (shard, saga_id)` lists the sagas that
//! have not ended, for recovery.
//!
//! **Leases.** A runner holds a saga until `lease_until`: before each
//! attempt of a step it records the attempt and moves the lease to the
//! step's timeout plus the saga's `lease`; the step is cancelled when its
//! timeout passes. [`SagaRunner::recover`] takes over sagas whose lease
//! has passed and resumes them where the log says; a step that may have
//! run is run again with the same idempotency key, so steps (and
//! compensations) must be idempotent by it. Leases assume that runners'
//! clocks agree to well within the lease.

mod log;
mod recovery;
pub mod reservation;
mod runner;
mod state;
mod statements;
mod step;

pub use log::{LogEntry, SagaStatus};
pub use recovery::Recovery;
pub use runner::{Outcome, RunnerOptions, SagaRunner};
pub use state::Status;
pub use statements::SagaStatements;
pub use step::{StepContext, StepError};

use std::future::Future;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// How many partitions the open-saga index spreads over.
pub const OPEN_SHARDS: i32 = 16;

/// What a saga is (stated by generated code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SagaSpec {
    /// The saga's name, for errors and spans.
    pub name: &'static str,
    /// The log table (without keyspace).
    pub log_table: &'static str,
    /// The open-saga index (without keyspace).
    pub open_table: &'static str,
    /// How long a runner's hold outlasts a step's timeout.
    pub lease: Duration,
    /// The steps, in order.
    pub steps: &'static [StepSpec],
}

/// One step of a saga.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepSpec {
    /// The step's name.
    pub name: &'static str,
    /// How long one attempt (of the step or of its compensation) may take.
    pub timeout: Duration,
    /// How many times a failed attempt is retried before the step counts
    /// as failed (or its compensation as stuck).
    pub retries: u32,
}

/// A saga's steps and types (generated: a wrapper of the application's
/// implementation of the saga's steps trait).
pub trait Saga: Send + Sync + 'static {
    /// The saga's input, stored as JSON with the saga.
    type Input: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + Send + Sync;
    /// The outputs of the steps that completed, stored as JSON.
    type Outputs: Serialize + DeserializeOwned + Default + Clone + std::fmt::Debug + Send + Sync;

    /// The saga's tables and steps.
    const SPEC: SagaSpec;

    /// Runs step number `step`; the outputs with this step's added.
    fn run_step(
        &self,
        step: usize,
        context: &StepContext<'_, Self::Input, Self::Outputs>,
    ) -> impl Future<Output = Result<Self::Outputs, StepError>> + Send;

    /// Undoes step number `step` (which may or may not have taken effect).
    fn compensate_step(
        &self,
        step: usize,
        context: &StepContext<'_, Self::Input, Self::Outputs>,
    ) -> impl Future<Output = Result<(), StepError>> + Send;
}
