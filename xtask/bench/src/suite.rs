//! Throughput and client CPU per operation: for each scenario and
//! concurrency, a warm-up of each side, then `runs` runs of each side, in
//! an order that rotates (A B C, B C A, C A B, …) so that drift in the
//! machine's load hits every side; the report takes the medians.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use corm::Session;

use crate::BenchError;
use crate::charybdis_side::CharybdisDb;
use crate::data::{KEYSPACE, Pools};
use crate::generated::Db;
use crate::load::{self, Limits, RunStats};
use crate::peer::PeerDb;
use crate::setup;
use crate::workload::{Charybdis, Load, Ours, Peer, Scenario, Side};

/// What the throughput part runs.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The scenarios, in order.
    pub scenarios: Vec<Scenario>,
    /// The numbers of concurrent tasks.
    pub concurrencies: Vec<usize>,
    /// The length of one measured run.
    pub run: Duration,
    /// The length of each side's warm-up before the runs of a scenario
    /// and concurrency.
    pub warmup: Duration,
    /// Measured runs of each side.
    pub runs: usize,
}

/// The runs of every side for one scenario and concurrency.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The scenario.
    pub scenario: Scenario,
    /// The number of concurrent tasks.
    pub concurrency: usize,
    /// The generated side's runs, in the order they ran.
    pub ours: Vec<RunStats>,
    /// The hand-written side's runs, in the order they ran.
    pub peer: Vec<RunStats>,
    /// The charybdis side's runs, in the order they ran.
    pub charybdis: Vec<RunStats>,
}

impl Pair {
    /// The runs of `side`.
    pub fn runs(&self, side: Side) -> &[RunStats] {
        match side {
            Side::Ours => &self.ours,
            Side::Peer => &self.peer,
            Side::Charybdis => &self.charybdis,
        }
    }

    fn runs_mut(&mut self, side: Side) -> &mut Vec<RunStats> {
        match side {
            Side::Ours => &mut self.ours,
            Side::Peer => &mut self.peer,
            Side::Charybdis => &mut self.charybdis,
        }
    }
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Every side, ready to run, on one session.
#[derive(Debug)]
pub struct Context {
    /// The generated handle.
    pub db: Db,
    /// The hand-written data access.
    pub peer: Arc<PeerDb>,
    /// The charybdis handle.
    pub charybdis: Arc<CharybdisDb>,
    /// The arguments of every operation.
    pub pools: Arc<Pools>,
    /// The first id of the next delete run's rows.
    next_delete_base: u64,
    /// The setup's write rate (128 writes in flight).
    load_rate: f64,
    /// The best insert rate seen per concurrency, to size delete runs.
    insert_rates: BTreeMap<usize, f64>,
}

impl Context {
    /// Recreates the keyspace, writes the rows the scenarios read, and
    /// prepares the hand-written statements.
    ///
    /// # Errors
    /// Any failure of the setup.
    pub async fn create(session: &Session) -> Result<Self, BenchError> {
        setup::recreate_keyspace(session).await?;
        let db = Db::new(session.clone(), KEYSPACE);
        let load_rate = setup::fill(&db).await?;
        Self::open(session, load_rate).await
    }

    /// Every side on the existing keyspace, without writing anything.
    ///
    /// # Errors
    /// Preparing the hand-written statements failed, or the keyspace is
    /// missing.
    pub async fn open(session: &Session, load_rate: f64) -> Result<Self, BenchError> {
        Ok(Self {
            db: Db::new(session.clone(), KEYSPACE),
            peer: Arc::new(PeerDb::prepare(session.clone(), KEYSPACE).await?),
            charybdis: Arc::new(CharybdisDb::open(session, KEYSPACE).await?),
            pools: Arc::new(Pools::new()),
            next_delete_base: 0,
            load_rate,
            insert_rates: BTreeMap::new(),
        })
    }

    /// Writes `count` users for a delete run and returns the base of
    /// their ids.
    ///
    /// # Errors
    /// [`BenchError::Setup`].
    pub async fn preload_deletes(&mut self, count: u64) -> Result<u64, BenchError> {
        let base = self.next_delete_base;
        self.next_delete_base += count;
        setup::write(&self.db, Load::Deletes(base), count).await?;
        Ok(base)
    }

    /// How many rows a delete run of `duration` at `concurrency` may
    /// delete: the insert rate seen at that concurrency (or the setup's),
    /// times the duration, with half again as margin. A run that uses them
    /// all stops early; its rate is still operations over its time.
    fn delete_pool(&self, concurrency: usize, duration: Duration) -> u64 {
        let rate = self
            .insert_rates
            .get(&concurrency)
            .copied()
            .unwrap_or(self.load_rate)
            .max(100.0);
        (rate * duration.as_secs_f64() * 1.5) as u64 + 100
    }

    /// One run of `side` doing `scenario` with `concurrency` tasks for
    /// `duration` (delete runs first write the rows they delete).
    ///
    /// # Errors
    /// Writing the rows of a delete run failed.
    pub async fn run(
        &mut self,
        side: Side,
        scenario: Scenario,
        concurrency: usize,
        duration: Duration,
    ) -> Result<RunStats, BenchError> {
        let (delete_base, ops) = if scenario == Scenario::Delete {
            let pool = self.delete_pool(concurrency, duration);
            (self.preload_deletes(pool).await?, Some(pool))
        } else {
            (0, None)
        };
        let limits = Limits {
            ops,
            duration: Some(duration),
        };
        let stats = run_side(self, side, scenario, delete_base, concurrency, limits).await;
        if scenario == Scenario::Insert {
            let best = self.insert_rates.entry(concurrency).or_insert(0.0);
            *best = best.max(stats.ops_per_s());
        }
        Ok(stats)
    }
}

/// Runs `side` with `limits` (no setup).
pub async fn run_side(
    context: &Context,
    side: Side,
    scenario: Scenario,
    delete_base: u64,
    concurrency: usize,
    limits: Limits,
) -> RunStats {
    match side {
        Side::Ours => {
            let workload = Ours {
                db: context.db.clone(),
                pools: Arc::clone(&context.pools),
                scenario,
                delete_base,
            };
            load::run(Arc::new(workload), concurrency, limits).await
        }
        Side::Peer => {
            let workload = Peer {
                db: Arc::clone(&context.peer),
                pools: Arc::clone(&context.pools),
                scenario,
                delete_base,
            };
            load::run(Arc::new(workload), concurrency, limits).await
        }
        Side::Charybdis => {
            let workload = Charybdis {
                db: Arc::clone(&context.charybdis),
                pools: Arc::clone(&context.pools),
                scenario,
                delete_base,
            };
            load::run(Arc::new(workload), concurrency, limits).await
        }
    }
}

fn describe(stats: &RunStats) -> String {
    let mut text = format!(
        "{:>9.0} ops/s {:>7.1} µs CPU/op",
        stats.ops_per_s(),
        stats.cpu_us_per_op()
    );
    if stats.errors > 0 {
        text.push_str(&format!(
            " ({} errors; first: {})",
            stats.errors,
            stats.first_error.as_deref().unwrap_or("?")
        ));
    }
    text
}

/// Runs the throughput part of `plan`, printing each run.
///
/// # Errors
/// A setup failure (the rows of a delete run).
pub async fn throughput(context: &mut Context, plan: &Plan) -> Result<Vec<Pair>, BenchError> {
    let mut pairs = Vec::new();
    for &scenario in &plan.scenarios {
        for &concurrency in &plan.concurrencies {
            for side in Side::ALL {
                context
                    .run(side, scenario, concurrency, plan.warmup)
                    .await?;
            }
            let mut pair = Pair {
                scenario,
                concurrency,
                ours: Vec::new(),
                peer: Vec::new(),
                charybdis: Vec::new(),
            };
            for run in 0..plan.runs {
                let mut order = Side::ALL;
                order.rotate_left(run % Side::ALL.len());
                for side in order {
                    let stats = context.run(side, scenario, concurrency, plan.run).await?;
                    println!(
                        "{scenario:>12} c={concurrency:<3} run {}/{} {side}: {}",
                        run + 1,
                        plan.runs,
                        describe(&stats)
                    );
                    pair.runs_mut(side).push(stats);
                }
            }
            pairs.push(pair);
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn medians() {
        assert!(median(vec![]).abs() < f64::EPSILON);
        assert!((median(vec![3.0, 1.0, 2.0]) - 2.0).abs() < f64::EPSILON);
        assert!((median(vec![4.0, 1.0, 3.0, 2.0]) - 2.5).abs() < f64::EPSILON);
    }
}
