//! `corm-bench bulk`: many rows written by the generated repository's
//! `insert_many` against two hand-written ways on the same session, in the
//! same process and moment, alternating: a loop of single prepared inserts
//! and per-partition unlogged batches, each with the same cap on requests
//! in flight.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use corm::futures::stream;
use corm::scylla::statement::batch::{Batch, BatchType};
use corm::scylla::statement::prepared::PreparedStatement;
use corm::{BulkOptions, Session, StreamExt, Uuid};

use crate::BenchError;
use crate::data::{KEYSPACE, reading};
use crate::generated::{Db, Reading};
use crate::suite::median;

/// Requests in flight on every side.
pub const IN_FLIGHT: usize = 32;
/// Rows the hand-written batches hold (about 4 KiB of readings).
const ROWS_PER_BATCH: usize = 64;

/// How the rows were written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkSide {
    /// `Repository::insert_many`.
    Ours,
    /// A loop of single prepared inserts.
    Loop,
    /// Per-partition unlogged batches, written by hand.
    Batches,
}

/// The medians of the timed writes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BulkReport {
    /// Rows per write.
    pub rows: usize,
    /// Timed writes of each side.
    pub runs: usize,
    /// Median seconds of `insert_many`.
    pub ours_seconds: f64,
    /// Median seconds of the loop of single inserts.
    pub loop_seconds: f64,
    /// Median seconds of the hand-written batches.
    pub batches_seconds: f64,
    /// `loop_seconds / ours_seconds`: how many times faster than the loop.
    pub vs_loop: f64,
    /// `batches_seconds / ours_seconds`.
    pub vs_batches: f64,
}

/// `sensors` partitions of `per_sensor` readings, interleaved (row `i` is
/// in partition `i % sensors`), as rows arrive from many sources.
#[must_use]
pub fn rows(sensors: u64, per_sensor: u64) -> Vec<Reading> {
    (0..per_sensor)
        .flat_map(|k| (0..sensors).map(move |s| reading(s, k)))
        .collect()
}

async fn write(
    db: &Db,
    session: &Session,
    insert: &PreparedStatement,
    rows: &[Reading],
    side: BulkSide,
) -> Result<Duration, BenchError> {
    let start = Instant::now();
    match side {
        BulkSide::Ours => {
            let bulk = BulkOptions {
                in_flight: IN_FLIGHT,
                ..BulkOptions::default()
            };
            let report = db.reading().insert_many_with(rows.to_vec(), bulk).await?;
            if !report.is_complete() {
                return Err(BenchError::Run(format!(
                    "insert_many: {} rows failed",
                    report.failed_rows()
                )));
            }
        }
        BulkSide::Loop => {
            let results: Vec<corm::Result<_>> = stream::iter(rows)
                .map(|row| session.execute(insert, (row.sensor, row.at, row.value, &row.note)))
                .buffer_unordered(IN_FLIGHT)
                .collect()
                .await;
            if let Some(Err(error)) = results.into_iter().find(Result::is_err) {
                return Err(error.into());
            }
        }
        BulkSide::Batches => {
            let mut batches: Vec<Vec<&Reading>> = Vec::new();
            for chunk in rows.chunks(1000) {
                let mut by_sensor: HashMap<Uuid, Vec<&Reading>> = HashMap::new();
                for row in chunk {
                    by_sensor.entry(row.sensor).or_default().push(row);
                }
                for (_, group) in by_sensor {
                    batches.extend(group.chunks(ROWS_PER_BATCH).map(<[&Reading]>::to_vec));
                }
            }
            let results: Vec<_> = stream::iter(batches)
                .map(|group| async move {
                    let mut batch = Batch::new(BatchType::Unlogged);
                    let mut values = Vec::with_capacity(group.len());
                    for row in group {
                        batch.append_statement(insert.clone());
                        values.push((row.sensor, row.at, row.value, &row.note));
                    }
                    session.driver().batch(&batch, values).await
                })
                .buffer_unordered(IN_FLIGHT)
                .collect()
                .await;
            if let Some(Err(error)) = results.into_iter().find(Result::is_err) {
                return Err(BenchError::Run(format!("hand-written batch: {error}")));
            }
        }
    }
    Ok(start.elapsed())
}

/// Times `runs` writes of `rows` by each side, rotating which goes first,
/// after one untimed write of each.
///
/// # Errors
/// A failed write.
pub async fn measure(db: &Db, rows: &[Reading], runs: usize) -> Result<BulkReport, BenchError> {
    let session = db.session();
    let insert = session
        .prepare(&format!(
            "INSERT INTO {KEYSPACE}.reading (sensor, at, value, note) VALUES (?, ?, ?, ?)"
        ))
        .await?;
    let sides = [BulkSide::Ours, BulkSide::Loop, BulkSide::Batches];
    for side in sides {
        write(db, session, &insert, rows, side).await?;
    }
    let mut times: HashMap<&'static str, Vec<f64>> = HashMap::new();
    for run in 0..runs.max(1) {
        for offset in 0..sides.len() {
            let side = sides[(run + offset) % sides.len()];
            let time = write(db, session, &insert, rows, side).await?;
            let name = match side {
                BulkSide::Ours => "ours",
                BulkSide::Loop => "loop",
                BulkSide::Batches => "batches",
            };
            times.entry(name).or_default().push(time.as_secs_f64());
        }
    }
    let mut take = |name: &str| median(times.remove(name).unwrap_or_default());
    let ours_seconds = take("ours");
    let loop_seconds = take("loop");
    let batches_seconds = take("batches");
    let ours = ours_seconds.max(f64::EPSILON);
    Ok(BulkReport {
        rows: rows.len(),
        runs: runs.max(1),
        ours_seconds,
        loop_seconds,
        batches_seconds,
        vs_loop: loop_seconds / ours,
        vs_batches: batches_seconds / ours,
    })
}
