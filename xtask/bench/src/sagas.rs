//! `corm-bench sagas`: sagas of three steps, each step one insert, run to
//! their end through a `SagaRunner`, against the same three inserts made
//! directly, at the same concurrency, sides alternating; the difference
//! is what the saga log costs.

use std::sync::Arc;
use std::time::Instant;

use corm::Uuid;
use corm::saga::{Outcome, StepError};
use corm::serde::Serialize;
use futures::StreamExt;

use crate::BenchError;
use crate::generated::{Db, StepWork, WorkContext, WorkInput, WorkSteps};
use crate::suite::median;

/// The medians of the rounds.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct SagasReport {
    /// Sagas (and direct three-insert units) per side per round.
    pub sagas: usize,
    /// Units in flight at once.
    pub concurrency: usize,
    /// Rounds; the median counts.
    pub rounds: usize,
    /// Sagas run to completion per second.
    pub sagas_per_second: f64,
    /// Three direct inserts per second (the steps' own writes).
    pub direct_per_second: f64,
    /// `sagas_per_second / direct_per_second`.
    pub saga_vs_direct: f64,
    /// Requests a saga of three steps sends, its steps' writes included:
    /// the open-list insert and delete, the start, two transitions per
    /// step and the last, and the three inserts.
    pub requests_per_saga: u32,
    /// Of those, lightweight transactions (four round trips each).
    pub lightweight_transactions_per_saga: u32,
}

/// The steps: each inserts its row.
#[derive(Clone, Debug)]
pub struct Work {
    db: Db,
}

impl Work {
    async fn write(&self, context: &WorkContext<'_>, step: &str) -> Result<(), StepError> {
        let row = StepWork::new(context.saga_id(), step.to_owned());
        self.db.step_work().insert(&row).await?;
        Ok(())
    }
}

impl WorkSteps for Work {
    async fn run_first(&self, context: &WorkContext<'_>) -> Result<(), StepError> {
        self.write(context, "first").await
    }
    async fn compensate_first(&self, _context: &WorkContext<'_>) -> Result<(), StepError> {
        Ok(())
    }
    async fn run_second(&self, context: &WorkContext<'_>) -> Result<(), StepError> {
        self.write(context, "second").await
    }
    async fn compensate_second(&self, _context: &WorkContext<'_>) -> Result<(), StepError> {
        Ok(())
    }
    async fn run_third(&self, context: &WorkContext<'_>) -> Result<(), StepError> {
        self.write(context, "third").await
    }
    async fn compensate_third(&self, _context: &WorkContext<'_>) -> Result<(), StepError> {
        Ok(())
    }
}

/// Measures `rounds` rounds of `sagas` sagas and as many direct units,
/// `concurrency` at once.
///
/// # Errors
/// [`BenchError::Run`] when a saga does not complete or an insert fails.
pub async fn measure(
    db: &Db,
    sagas: usize,
    concurrency: usize,
    rounds: usize,
) -> Result<SagasReport, BenchError> {
    let runner = Arc::new(db.work(Work { db: db.clone() }));
    let mut saga_rates = Vec::new();
    let mut direct_rates = Vec::new();
    for round in 0..rounds.max(1) {
        let saga_side = async {
            let started = Instant::now();
            let outcomes: Vec<_> = futures::stream::iter(0..sagas)
                .map(|_| {
                    let runner = Arc::clone(&runner);
                    async move { runner.start(&WorkInput { id: Uuid::new_v4() }).await }
                })
                .buffer_unordered(concurrency.max(1))
                .collect()
                .await;
            for outcome in outcomes {
                match outcome {
                    Ok((_, Outcome::Completed(_))) => {}
                    other => {
                        return Err(BenchError::Run(format!(
                            "a saga did not complete: {other:?}"
                        )));
                    }
                }
            }
            Ok(rate(sagas, started))
        };
        let direct_side = async {
            let started = Instant::now();
            let results: Vec<_> = futures::stream::iter(0..sagas)
                .map(|_| async {
                    let id = Uuid::new_v4();
                    for step in ["first", "second", "third"] {
                        db.step_work()
                            .insert(&StepWork::new(id, step.to_owned()))
                            .await?;
                    }
                    Ok::<(), corm::Error>(())
                })
                .buffer_unordered(concurrency.max(1))
                .collect()
                .await;
            for result in results {
                result?;
            }
            Ok::<f64, BenchError>(rate(sagas, started))
        };
        // Sides alternate which goes first.
        if round % 2 == 0 {
            saga_rates.push(saga_side.await?);
            direct_rates.push(direct_side.await?);
        } else {
            direct_rates.push(direct_side.await?);
            saga_rates.push(saga_side.await?);
        }
    }
    let sagas_per_second = median(saga_rates);
    let direct_per_second = median(direct_rates);
    Ok(SagasReport {
        sagas,
        concurrency,
        rounds,
        sagas_per_second,
        direct_per_second,
        saga_vs_direct: sagas_per_second / direct_per_second.max(f64::MIN_POSITIVE),
        requests_per_saga: 2 + 1 + 2 * 3 + 1 + 3,
        lightweight_transactions_per_saga: 1 + 2 * 3 + 1,
    })
}

fn rate(units: usize, started: Instant) -> f64 {
    let units = u32::try_from(units).map_or(f64::from(u32::MAX), f64::from);
    units / started.elapsed().as_secs_f64().max(f64::MIN_POSITIVE)
}
