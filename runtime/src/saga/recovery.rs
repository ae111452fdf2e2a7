//! Recovery: finding the sagas whose runner stopped (their lease passed)
//! and finishing them, and listing the sagas that need a person.

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt, TryStreamExt};
use uuid::Uuid;

use super::{OPEN_SHARDS, Outcome, Saga, SagaRunner, SagaStatus, Status};
use crate::{Error, Result};

/// What one pass of [`SagaRunner::recover`] found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Sagas taken over and run to their end (or until another runner
    /// took them).
    pub resumed: usize,
    /// Sagas that ended during this pass.
    pub finished: usize,
    /// Open sagas another runner holds (their lease has not passed).
    pub held: usize,
    /// Stuck sagas (a compensation failed on every attempt).
    pub stuck: usize,
    /// Entries of the open list removed: sagas that had ended, and starts
    /// that were never recorded.
    pub cleaned: usize,
    /// Sagas whose run stopped on an error (left for the next pass).
    pub failed: usize,
}

impl<S: Saga> SagaRunner<S> {
    /// One pass over the open sagas: every saga whose lease has passed is
    /// taken over and run from where its log says, up to `concurrency` at
    /// once.
    ///
    /// # Errors
    /// A request's error listing the open sagas; a saga whose own run
    /// fails is counted in [`Recovery::failed`] (and logged), not returned.
    pub async fn recover(&self, concurrency: usize) -> Result<Recovery> {
        let mut report = Recovery::default();
        let mut due = Vec::new();
        for shard in 0..OPEN_SHARDS {
            for (id, started_at) in self.open_in(shard).await? {
                match self.read(id).await? {
                    None => {
                        // An entry whose start never applied: dropped once
                        // the start can no longer be in flight.
                        let settled =
                            started_at.is_none_or(|at| at + lease_delta::<S>() < Utc::now());
                        if settled {
                            self.close(id).await?;
                            report.cleaned += 1;
                        }
                    }
                    Some(state) if !state.status.is_active() => {
                        if state.status == Status::Stuck {
                            report.stuck += 1;
                        } else {
                            self.close(id).await?;
                            report.cleaned += 1;
                        }
                    }
                    Some(state) if state.lease_expired(Utc::now()) => due.push(id),
                    Some(_) => report.held += 1,
                }
            }
        }
        let outcomes: Vec<(Uuid, Result<Outcome<S::Outputs>>)> = futures::stream::iter(due)
            .map(|id| async move { (id, self.resume(id).await) })
            .buffer_unordered(concurrency.max(1))
            .collect()
            .await;
        for (id, outcome) in outcomes {
            match outcome {
                Ok(Outcome::Elsewhere) => report.held += 1,
                Ok(Outcome::Stuck { .. }) => {
                    report.resumed += 1;
                    report.stuck += 1;
                }
                Ok(_) => {
                    report.resumed += 1;
                    report.finished += 1;
                }
                Err(error) => {
                    tracing::warn!(saga = S::SPEC.name, %id, %error, "recovering a saga failed");
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// Recovers every `every` (a pass, then a wait), for ever: the
    /// recovery worker. Errors are logged and the next pass tries again.
    pub async fn recover_every(&self, every: Duration, concurrency: usize) {
        loop {
            if let Err(error) = self.recover(concurrency).await {
                tracing::warn!(saga = S::SPEC.name, %error, "a recovery pass failed");
            }
            tokio::time::sleep(every).await;
        }
    }

    /// The sagas that need attention: stuck ones, and active ones whose
    /// lease passed more than `overdue` ago (no runner or recovery worker
    /// is finishing them).
    pub fn stuck(
        &self,
        overdue: Duration,
    ) -> impl Stream<Item = Result<SagaStatus<S::Input, S::Outputs>>> + '_ {
        futures::stream::iter(0..OPEN_SHARDS)
            .then(move |shard| async move {
                let mut found = Vec::new();
                for (id, _) in self.open_in(shard).await? {
                    let Some(state) = self.read(id).await? else {
                        continue;
                    };
                    let late = state.status.is_active()
                        && state.lease_until.is_none_or(|until| {
                            until
                                + chrono::TimeDelta::from_std(overdue)
                                    .unwrap_or(chrono::TimeDelta::MAX)
                                < Utc::now()
                        });
                    if state.status == Status::Stuck || late {
                        found.push(self.status_of(id, &state));
                    }
                }
                Ok::<_, Error>(futures::stream::iter(found))
            })
            .try_flatten()
    }

    /// The open list's entries in `shard`.
    async fn open_in(&self, shard: i32) -> Result<Vec<(Uuid, Option<DateTime<Utc>>)>> {
        let statement = self.statements.open_list.prepared(&self.session).await?;
        let result = self.session.execute(statement, (shard,)).await?;
        crate::migrate::catalog::rows(statement.get_statement(), result)
    }
}

fn lease_delta<S: Saga>() -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(S::SPEC.lease).unwrap_or(chrono::TimeDelta::MAX)
}
