//! [`SagaRunner`]: starts sagas and drives them through their steps,
//! recording every transition in the saga's log.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::state::{State, StateRow};
use super::{
    LogEntry, OPEN_SHARDS, Saga, SagaStatements, SagaStatus, Status, StepContext, StepError,
};
use crate::{Error, Result, Session};

/// How a runner retries and who it is.
#[derive(Clone, Debug)]
pub struct RunnerOptions {
    /// The wait before the first retry of a failed attempt; it doubles for
    /// each further retry (with jitter), up to `max_backoff`.
    pub backoff: Duration,
    /// The longest wait between attempts.
    pub max_backoff: Duration,
    /// The runner's id, recorded as the owner of the sagas it holds
    /// (random by default: one per runner).
    pub owner: Uuid,
}

impl Default for RunnerOptions {
    fn default() -> Self {
        Self {
            backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            owner: Uuid::new_v4(),
        }
    }
}

/// How a run of a saga ended, for this runner.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome<O> {
    /// Every step ran; their outputs.
    Completed(O),
    /// A step failed for good, and every attempted step was compensated.
    Compensated {
        /// Why the step failed.
        error: String,
    },
    /// A compensation failed on every attempt; the saga waits for a
    /// person (it is listed by [`SagaRunner::stuck`]).
    Stuck {
        /// Why.
        error: String,
    },
    /// Another runner holds the saga (it took it over after this runner's
    /// lease passed, or it holds a lease that has not passed); that
    /// runner, or recovery, finishes it.
    Elsewhere,
}

/// Starts and drives the sagas of one saga type `S` (reach it from the
/// generated `Db`). Cheap to clone; clones share the statements and have
/// the same owner id.
pub struct SagaRunner<S: Saga> {
    pub(super) session: Session,
    pub(super) statements: Arc<SagaStatements>,
    pub(super) saga: Arc<S>,
    pub(super) options: RunnerOptions,
}

impl<S: Saga> Clone for SagaRunner<S> {
    fn clone(&self) -> Self {
        Self {
            session: self.session.clone(),
            statements: Arc::clone(&self.statements),
            saga: Arc::clone(&self.saga),
            options: self.options.clone(),
        }
    }
}

impl<S: Saga> std::fmt::Debug for SagaRunner<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SagaRunner")
            .field("saga", &S::SPEC.name)
            .field("owner", &self.options.owner)
            .finish_non_exhaustive()
    }
}

/// Which way a saga is moving.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Forward,
    Back,
}

impl<S: Saga> SagaRunner<S> {
    /// A runner of `saga` on `session`, with the statements of the `Db`.
    pub fn new(session: Session, statements: Arc<SagaStatements>, saga: S) -> Self {
        Self {
            session,
            statements,
            saga: Arc::new(saga),
            options: RunnerOptions::default(),
        }
    }

    /// This runner with other options.
    #[must_use]
    pub fn with_options(mut self, options: RunnerOptions) -> Self {
        self.options = options;
        self
    }

    /// The runner's id, the owner recorded on the sagas it holds.
    pub fn owner(&self) -> Uuid {
        self.options.owner
    }

    /// The application's steps.
    pub fn steps(&self) -> &S {
        &self.saga
    }

    /// Starts a saga with a new id and runs it to its end.
    ///
    /// # Errors
    /// As for [`start_with_id`](Self::start_with_id).
    pub async fn start(&self, input: &S::Input) -> Result<(Uuid, Outcome<S::Outputs>)> {
        let id = Uuid::new_v4();
        let outcome = self.start_with_id(id, input).await?;
        Ok((id, outcome))
    }

    /// Starts saga `id` with `input` and runs it to its end. Starting an
    /// id again with the same input resumes it (or reports where it
    /// ended), so a caller that does not know whether its start was
    /// recorded can retry.
    ///
    /// # Errors
    /// [`Error::Saga`] when `id` exists with another input, or its log does
    /// not read; a request's error when Cassandra fails. The saga is then
    /// left to recovery: nothing is lost, its log says where it stands.
    pub async fn start_with_id(&self, id: Uuid, input: &S::Input) -> Result<Outcome<S::Outputs>> {
        match self.record(id, input).await? {
            Some(state) => self.drive(id, state).await,
            None => self.resume(id).await,
        }
    }

    /// Records saga `id` with `input` without running it: recovery (or
    /// [`resume`](Self::resume)) runs it. Whether it was new.
    ///
    /// # Errors
    /// [`Error::Saga`] when `id` exists with another input.
    pub async fn begin(&self, id: Uuid, input: &S::Input) -> Result<bool> {
        Ok(self.record(id, input).await?.is_some())
    }

    /// Records saga `id` with `input`: its state when this call recorded
    /// it (held by this runner), `None` when it existed with this input.
    async fn record(&self, id: Uuid, input: &S::Input) -> Result<Option<State>> {
        let statements = &self.statements;
        let input_json = serde_json::to_string(input)
            .map_err(|error| self.problem(id, format!("its input does not serialize: {error}")))?;
        let outputs = serde_json::to_string(&S::Outputs::default()).map_err(|error| {
            self.problem(id, format!("empty outputs do not serialize: {error}"))
        })?;
        // To the millisecond, as Cassandra keeps it, so that the state
        // built here is the one a read would return.
        let now =
            DateTime::from_timestamp_millis(Utc::now().timestamp_millis()).unwrap_or_else(Utc::now);
        let open = statements.open_insert.prepared(&self.session).await?;
        self.session.execute(open, (shard(id), id, now)).await?;
        let start = statements.start.prepared(&self.session).await?;
        let lease_until = now + to_delta(S::SPEC.lease);
        let values = (
            id,
            Status::Running.as_str(),
            &input_json,
            &outputs,
            self.options.owner,
            lease_until,
            now,
            now,
            now,
            "started",
        );
        let recorded = State {
            status: Status::Running,
            step: 0,
            attempt: 0,
            version: 0,
            input: input_json.clone(),
            outputs: outputs.clone(),
            error: None,
            owner: Some(self.options.owner),
            lease_until: Some(lease_until),
            started_at: Some(now),
            updated_at: Some(now),
        };
        match self.session.execute(start, values).await {
            Ok(result) => {
                if crate::lwt::applied(statements.start.text(), result)?.applied() {
                    return Ok(Some(recorded));
                }
            }
            // A start whose fate is unknown: the serial read below tells.
            Err(error) if !error.certainly_not_applied() => {}
            Err(error) => return Err(error),
        }
        let state = self.read(id).await?.ok_or_else(|| {
            self.problem(id, "its start did not apply and no saga of this id exists")
        })?;
        if state.input != input_json {
            let stored: Option<S::Input> = serde_json::from_str(&state.input).ok();
            if stored.as_ref() != Some(input) {
                return Err(self.problem(id, "a saga of this id exists with another input"));
            }
        }
        // This call's own start, applied though its answer was lost.
        let own = state.version == 0
            && state.owner == Some(self.options.owner)
            && state.started_at == Some(now);
        Ok(own.then_some(state))
    }

    /// Runs saga `id` on from where its log says, if no other runner
    /// holds it (its lease has passed, or this runner holds it).
    ///
    /// # Errors
    /// [`Error::Saga`] when no saga has this id or its log does not read.
    pub async fn resume(&self, id: Uuid) -> Result<Outcome<S::Outputs>> {
        let state = self
            .read(id)
            .await?
            .ok_or_else(|| self.problem(id, "no saga has this id"))?;
        if !state.status.is_active() {
            return self.drive(id, state).await;
        }
        let now = Utc::now();
        if state.owner != Some(self.options.owner) && !state.lease_expired(now) {
            return Ok(Outcome::Elsewhere);
        }
        let mut next = self.next(&state);
        next.lease_until = Some(now + to_delta(S::SPEC.lease));
        let previous = state.owner.map(|owner| owner.to_string());
        if !self
            .transition(id, &state, &next, "taken over", None, previous.as_deref())
            .await?
        {
            return Ok(Outcome::Elsewhere);
        }
        self.drive(id, next).await
    }

    /// Saga `id`'s status, or `None` when no saga has this id.
    ///
    /// # Errors
    /// [`Error::Saga`] when its log does not read as this saga's.
    pub async fn status(&self, id: Uuid) -> Result<Option<SagaStatus<S::Input, S::Outputs>>> {
        match self.read(id).await? {
            Some(state) => self.status_of(id, &state).map(Some),
            None => Ok(None),
        }
    }

    /// Saga `id`'s transitions, oldest first.
    ///
    /// # Errors
    /// A request's error.
    pub async fn log(&self, id: Uuid) -> Result<Vec<LogEntry>> {
        let statement = self.statements.log.prepared(&self.session).await?;
        type Row = (
            i32,
            Option<DateTime<Utc>>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let result = self.session.execute(statement, (id,)).await?;
        let rows: Vec<Row> = crate::migrate::catalog::rows(statement.get_statement(), result)?;
        let mut entries = Vec::new();
        for (seq, at, event, step, detail) in rows {
            // Every transition writes an event; a row without one is not
            // a transition.
            let Some(event) = event else { continue };
            entries.push(LogEntry {
                seq: u32::try_from(seq).unwrap_or_default(),
                at,
                event,
                step,
                detail,
            });
        }
        Ok(entries)
    }

    pub(super) fn status_of(
        &self,
        id: Uuid,
        state: &State,
    ) -> Result<SagaStatus<S::Input, S::Outputs>> {
        let (input, outputs) = self.decode(id, state)?;
        Ok(SagaStatus {
            id,
            status: state.status,
            step: state
                .status
                .is_active()
                .then(|| step_name::<S>(state.step))
                .flatten(),
            attempt: u32::try_from(state.attempt).unwrap_or_default(),
            error: state.error.clone(),
            input,
            outputs,
            owner: state.owner,
            lease_until: state.lease_until,
            started_at: state.started_at,
            updated_at: state.updated_at,
        })
    }

    /// Drives saga `id`, held by this runner at `state`, to its end (or
    /// until another runner holds it).
    pub(super) async fn drive(&self, id: Uuid, mut state: State) -> Result<Outcome<S::Outputs>> {
        let steps = S::SPEC.steps;
        loop {
            match state.status {
                Status::Completed => {
                    self.close(id).await?;
                    let (_, outputs) = self.decode(id, &state)?;
                    return Ok(Outcome::Completed(outputs));
                }
                Status::Compensated => {
                    self.close(id).await?;
                    return Ok(Outcome::Compensated {
                        error: state.error.unwrap_or_default(),
                    });
                }
                Status::Stuck => {
                    return Ok(Outcome::Stuck {
                        error: state.error.unwrap_or_default(),
                    });
                }
                Status::Running
                    if usize::try_from(state.step).is_ok_and(|step| step >= steps.len()) =>
                {
                    let mut next = self.next(&state);
                    next.status = Status::Completed;
                    next.owner = None;
                    next.lease_until = None;
                    if !self
                        .transition(id, &state, &next, "completed", None, None)
                        .await?
                    {
                        return Ok(Outcome::Elsewhere);
                    }
                    state = next;
                }
                Status::Compensating if state.step < 0 => {
                    let mut next = self.next(&state);
                    next.status = Status::Compensated;
                    next.owner = None;
                    next.lease_until = None;
                    if !self
                        .transition(id, &state, &next, "compensated", None, None)
                        .await?
                    {
                        return Ok(Outcome::Elsewhere);
                    }
                    state = next;
                }
                Status::Running => match self.attempt(id, state, Direction::Forward).await? {
                    Some(next) => state = next,
                    None => return Ok(Outcome::Elsewhere),
                },
                Status::Compensating => match self.attempt(id, state, Direction::Back).await? {
                    Some(next) => state = next,
                    None => return Ok(Outcome::Elsewhere),
                },
            }
        }
    }

    /// One attempt of the current step (or of its compensation), recorded
    /// before and after; the state after it, or `None` when another runner
    /// holds the saga.
    async fn attempt(&self, id: Uuid, state: State, direction: Direction) -> Result<Option<State>> {
        let index =
            usize::try_from(state.step).map_err(|_| self.problem(id, "its step is negative"))?;
        let spec = S::SPEC.steps.get(index).ok_or_else(|| {
            self.problem(id, format!("its step {index} is not a step of this saga"))
        })?;
        let attempt = state.attempt.saturating_add(1);
        let mut held = self.next(&state);
        held.attempt = attempt;
        held.lease_until = Some(Utc::now() + to_delta(spec.timeout + S::SPEC.lease));
        let (event, done, failed) = match direction {
            Direction::Forward => ("attempt", "step done", "step failed"),
            Direction::Back => (
                "compensation attempt",
                "step compensated",
                "compensation failed",
            ),
        };
        if !self
            .transition(id, &state, &held, event, Some(spec.name), None)
            .await?
        {
            return Ok(None);
        }
        let (input, outputs) = self.decode(id, &held)?;
        let context = StepContext {
            saga_id: id,
            step: spec.name,
            attempt: u32::try_from(attempt).unwrap_or_default(),
            input: &input,
            outputs: &outputs,
        };
        let result = match direction {
            Direction::Forward => {
                tokio::time::timeout(spec.timeout, self.saga.run_step(index, &context))
                    .await
                    .map(|result| result.map(Some))
            }
            Direction::Back => {
                tokio::time::timeout(spec.timeout, self.saga.compensate_step(index, &context))
                    .await
                    .map(|result| result.map(|()| None))
            }
        };
        let result = result.unwrap_or_else(|_| {
            Err(StepError::transient(format!(
                "timed out after {:?}",
                spec.timeout
            )))
        });
        let mut next = self.next(&held);
        let (event, detail) = match result {
            Ok(new_outputs) => {
                if let Some(new_outputs) = new_outputs {
                    next.outputs = serde_json::to_string(&new_outputs).map_err(|error| {
                        self.problem(
                            id,
                            format!(
                                "the outputs of step `{}` do not serialize: {error}",
                                spec.name
                            ),
                        )
                    })?;
                }
                next.step = match direction {
                    Direction::Forward => held.step + 1,
                    Direction::Back => held.step - 1,
                };
                next.attempt = 0;
                (done, None)
            }
            Err(error)
                if error.is_transient()
                    && u32::try_from(attempt).unwrap_or(u32::MAX) <= spec.retries =>
            {
                let wait = self.backoff(attempt);
                next.lease_until = Some(Utc::now() + to_delta(wait + S::SPEC.lease));
                if !self
                    .transition(
                        id,
                        &held,
                        &next,
                        "attempt failed",
                        Some(spec.name),
                        Some(error.message()),
                    )
                    .await?
                {
                    return Ok(None);
                }
                tokio::time::sleep(wait).await;
                return Ok(Some(next));
            }
            Err(error) => {
                next.attempt = 0;
                match direction {
                    Direction::Forward => {
                        next.status = Status::Compensating;
                        next.error =
                            Some(format!("step `{}` failed: {}", spec.name, error.message()));
                    }
                    Direction::Back => {
                        next.status = Status::Stuck;
                        next.owner = None;
                        next.lease_until = None;
                        next.error = Some(format!(
                            "the compensation of step `{}` failed: {}",
                            spec.name,
                            error.message()
                        ));
                    }
                }
                (failed, Some(error.message().to_owned()))
            }
        };
        if !self
            .transition(id, &held, &next, event, Some(spec.name), detail.as_deref())
            .await?
        {
            return Ok(None);
        }
        Ok(Some(next))
    }

    /// The state after `state`'s next transition by this runner, before
    /// its changes: the next version, held by this runner.
    fn next(&self, state: &State) -> State {
        State {
            version: state.version.saturating_add(1),
            owner: Some(self.options.owner),
            ..state.clone()
        }
    }

    /// Records the transition from `from` to `to` if the saga is still at
    /// `from`'s version; whether it did. A write whose fate is unknown (a
    /// timeout) is settled by a serial read.
    async fn transition(
        &self,
        id: Uuid,
        from: &State,
        to: &State,
        event: &str,
        step: Option<&str>,
        detail: Option<&str>,
    ) -> Result<bool> {
        let statement = self.statements.transition.prepared(&self.session).await?;
        let now = Utc::now();
        let values = (
            to.status.as_str(),
            to.step,
            to.attempt,
            to.version,
            &to.outputs,
            &to.error,
            to.owner,
            to.lease_until,
            now,
            now,
            event,
            step,
            detail,
            id,
            to.version,
            from.version,
        );
        let mut tries = 0;
        loop {
            tries += 1;
            let outcome = self
                .statements
                .instruments
                .run("transition", None, self.session.execute(statement, &values))
                .await;
            match outcome {
                Ok(result) => {
                    return Ok(
                        crate::lwt::applied(self.statements.transition.text(), result)?.applied(),
                    );
                }
                Err(error) if error.certainly_not_applied() && tries < 3 => {}
                Err(error) if error.certainly_not_applied() => return Err(error),
                Err(error) => match self.read(id).await {
                    Ok(Some(current)) if current.version == to.version => {
                        return Ok(current.owner == to.owner);
                    }
                    Ok(Some(current)) if current.version == from.version && tries < 3 => {}
                    Ok(_) => return Err(error),
                    Err(_) => return Err(error),
                },
            }
        }
    }

    /// Saga `id`'s state, read at serial consistency (so it includes every
    /// transition that applied, and settles one in flight).
    pub(super) async fn read(&self, id: Uuid) -> Result<Option<State>> {
        let statement = self.statements.state.prepared(&self.session).await?;
        let mut serial = statement.clone();
        serial.set_consistency(scylla::statement::Consistency::Serial);
        let row: Option<StateRow> = self.session.execute_first(&serial, (id,)).await?;
        match row {
            None | Some((None, ..)) => Ok(None),
            Some(row) => State::from_row(row)
                .map(Some)
                .map_err(|problem| self.problem(id, problem)),
        }
    }

    /// Removes saga `id` from the open list (it has ended).
    pub(super) async fn close(&self, id: Uuid) -> Result<()> {
        let statement = self.statements.open_delete.prepared(&self.session).await?;
        self.session.execute(statement, (shard(id), id)).await?;
        Ok(())
    }

    fn decode(&self, id: Uuid, state: &State) -> Result<(S::Input, S::Outputs)> {
        let input = serde_json::from_str(&state.input)
            .map_err(|error| self.problem(id, format!("its input does not read: {error}")))?;
        let outputs = serde_json::from_str(&state.outputs)
            .map_err(|error| self.problem(id, format!("its outputs do not read: {error}")))?;
        Ok((input, outputs))
    }

    fn backoff(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(16);
        let wait = self
            .options
            .backoff
            .saturating_mul(1 << doublings)
            .min(self.options.max_backoff);
        // Up to a quarter more, so that retries of many sagas spread out.
        let jitter = rand::random::<f64>() * 0.25;
        wait.mul_f64(1.0 + jitter)
    }

    pub(super) fn problem(&self, id: Uuid, problem: impl Into<String>) -> Error {
        Error::Saga {
            saga: S::SPEC.name,
            id: id.to_string(),
            problem: problem.into(),
        }
    }
}

/// The step named by index `step`, if it is one.
fn step_name<S: Saga>(step: i32) -> Option<&'static str> {
    usize::try_from(step)
        .ok()
        .and_then(|step| S::SPEC.steps.get(step))
        .map(|step| step.name)
}

/// The partition of the open list saga `id` is in.
pub(super) fn shard(id: Uuid) -> i32 {
    i32::try_from(id.as_u128() % u128::from(OPEN_SHARDS.unsigned_abs())).unwrap_or(0)
}

fn to_delta(duration: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(duration).unwrap_or(chrono::TimeDelta::MAX)
}
