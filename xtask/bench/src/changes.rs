//! `corm-bench changes`: what a change log costs a write (inserts of the
//! same rows into `User` and into `LoggedUser`, whose writes record their
//! changes, alternating), and how long a change takes to reach a reader:
//! in-process subscribers (`live_changes`) and a reader of the log
//! (`changes`, what another process sees), while writes run at a steady
//! rate.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use corm::changes::{Change, Position};
use corm::chrono::Utc;
use corm::serde::Serialize;
use futures::{FutureExt as _, StreamExt};

use crate::BenchError;
use crate::data::user;
use crate::generated::{Db, LoggedUser};
use crate::suite::median;

/// What was measured.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct ChangesReport {
    /// Timed runs of each side.
    pub runs: usize,
    /// Seconds of each run.
    pub seconds: f64,
    /// Inserts in flight at once.
    pub concurrency: usize,
    /// Median inserts per second into `User`.
    pub plain_inserts_per_second: f64,
    /// Median inserts per second into `LoggedUser` (each with its change).
    pub logged_inserts_per_second: f64,
    /// `logged / plain`.
    pub logged_vs_plain: f64,
    /// Writes per second during the latency run.
    pub rate: f64,
    /// In-process subscribers.
    pub subscribers: usize,
    /// Write to in-process subscriber: median and 99th percentile, ms.
    pub live_p50_ms: f64,
    /// See `live_p50_ms`.
    pub live_p99_ms: f64,
    /// Write to a reader of the log (default follow options): median
    /// and 99th percentile, ms.
    pub log_p50_ms: f64,
    /// See `log_p50_ms`.
    pub log_p99_ms: f64,
    /// The writes' own latency (sent to acknowledged), which both
    /// include: median and 99th percentile, ms.
    pub write_p50_ms: f64,
    /// See `write_p50_ms`.
    pub write_p99_ms: f64,
    /// Changes each reader saw (all of them, or the run failed).
    pub changes: u64,
}

fn logged(n: u64) -> LoggedUser {
    let row = user(n);
    LoggedUser {
        id: row.id,
        email: row.email,
        name: row.name,
        age: row.age,
        created_at: row.created_at,
        tags: row.tags,
    }
}

/// Inserts for `seconds` with `concurrency` in flight, into `User` or
/// `LoggedUser`; inserts per second.
async fn insert_rate(
    db: &Db,
    logged_side: bool,
    seconds: f64,
    concurrency: usize,
) -> Result<f64, BenchError> {
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let workers = (0..concurrency).map(|_| {
        let next = Arc::clone(&next);
        async move {
            while Instant::now() < until {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if logged_side {
                    db.logged_user().insert(&logged(n)).await?;
                } else {
                    db.user().insert(&user(n)).await?;
                }
            }
            Ok::<(), corm::Error>(())
        }
    });
    for outcome in futures::future::join_all(workers).await {
        outcome?;
    }
    Ok(next.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

/// Writes `writes` `LoggedUser` rows at `rate` a second (whatever the
/// writes' own latency: they overlap); each write's latency, ms.
///
/// # Errors
/// A failed write.
pub async fn write_at_rate(db: &Db, rate: f64, writes: u64) -> Result<Vec<f64>, corm::Error> {
    let users = db.logged_user();
    let mut took = Vec::new();
    let interval = Duration::from_secs_f64(1.0 / rate);
    let started = Instant::now();
    let mut in_flight = futures::stream::FuturesUnordered::new();
    for n in 0..writes {
        let due = started + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due.into()).await;
        let row = logged(1_000_000_000 + n);
        in_flight.push(async move {
            let sent = Instant::now();
            users
                .insert(&row)
                .await
                .map(|()| sent.elapsed().as_secs_f64() * 1000.0)
        });
        while let Some(Some(outcome)) = in_flight.next().now_or_never() {
            took.push(outcome?);
        }
    }
    while let Some(outcome) = in_flight.next().await {
        took.push(outcome?);
    }
    Ok(took)
}

/// The `p` quantile of sorted `samples` (ms).
pub fn quantile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let index = ((samples.len() - 1) as f64 * p).round() as usize;
    samples[index.min(samples.len() - 1)]
}

/// Runs the measurements.
///
/// # Errors
/// A failed write or read.
pub async fn measure(
    db: &Db,
    runs: usize,
    seconds: f64,
    concurrency: usize,
    rate: f64,
    subscribers: usize,
) -> Result<ChangesReport, BenchError> {
    let (mut plain, mut logged_rates) = (Vec::new(), Vec::new());
    // A warm-up of each side, then alternating runs.
    insert_rate(db, false, 1.0, concurrency).await?;
    insert_rate(db, true, 1.0, concurrency).await?;
    for _ in 0..runs {
        plain.push(insert_rate(db, false, seconds, concurrency).await?);
        logged_rates.push(insert_rate(db, true, seconds, concurrency).await?);
    }
    let plain = median(plain);
    let logged_rate = median(logged_rates);

    // Latency: subscribers and a log reader while writes run at `rate`.
    let writes = (rate * seconds).round() as u64;
    let latency = |change: &Change<LoggedUser>| {
        (Utc::now() - change.position.time())
            .num_microseconds()
            .unwrap_or(0) as f64
            / 1000.0
    };
    let live = (0..subscribers).map(|_| {
        let stream = db.logged_user().live_changes();
        async move {
            let mut stream = std::pin::pin!(stream.take(writes as usize));
            let mut samples = Vec::new();
            while let Some(change) = stream.next().await {
                samples.push(latency(&change?));
            }
            Ok::<_, corm::Error>(samples)
        }
    });
    let from = Position::now();
    let log = async {
        let stream = db.logged_user().changes(from);
        let mut stream = std::pin::pin!(stream.take(writes as usize));
        let mut samples = Vec::new();
        while let Some(change) = stream.next().await {
            samples.push(latency(&change?));
        }
        Ok::<_, corm::Error>(samples)
    };
    let writer = write_at_rate(db, rate, writes);
    let (live, log, written) = tokio::join!(futures::future::join_all(live), log, writer);
    let mut write_samples = written?;
    write_samples.sort_by(f64::total_cmp);
    let mut live_samples = Vec::new();
    for samples in live {
        live_samples.extend(samples?);
    }
    let mut log_samples = log?;
    live_samples.sort_by(f64::total_cmp);
    log_samples.sort_by(f64::total_cmp);
    Ok(ChangesReport {
        runs,
        seconds,
        concurrency,
        plain_inserts_per_second: plain,
        logged_inserts_per_second: logged_rate,
        logged_vs_plain: logged_rate / plain,
        rate,
        subscribers,
        live_p50_ms: quantile(&live_samples, 0.5),
        live_p99_ms: quantile(&live_samples, 0.99),
        log_p50_ms: quantile(&log_samples, 0.5),
        log_p99_ms: quantile(&log_samples, 0.99),
        write_p50_ms: quantile(&write_samples, 0.5),
        write_p99_ms: quantile(&write_samples, 0.99),
        changes: log_samples.len() as u64,
    })
}
