//! `corm-bench range`: a time-series range over 24 one-hour buckets
//! against reading the same number of rows from one partition, in the same
//! process and moment, alternating: what walking the buckets costs.

use std::time::{Duration, Instant};

use corm::chrono::{DateTime, TimeZone, Utc};
use corm::timeseries::Direction;
use corm::{Options, TryStreamExt};

use crate::BenchError;
use crate::data::{reading, sensor_id};
use crate::generated::{Db, ReadingPartition, Tick, TickSeries};
use crate::suite::median;

/// Buckets the range covers.
pub const HOURS: i64 = 24;

/// The medians of the timed reads.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RangeReport {
    /// Rows each read returns.
    pub rows: u64,
    /// Timed reads of each side.
    pub runs: usize,
    /// Median seconds of the range over 24 buckets.
    pub range_seconds: f64,
    /// Median seconds of the one-partition read.
    pub partition_seconds: f64,
    /// `range_seconds / partition_seconds` (#12 asks for at most 1.2).
    pub ratio: f64,
}

fn start() -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// The sensor whose ticks and readings are read (apart from the suite's).
const SENSOR: u64 = 1_000_000;

/// Writes `per_hour` ticks in each of the 24 hours and as many readings in
/// one partition.
///
/// # Errors
/// A failed write.
pub async fn fill(db: &Db, per_hour: u64) -> Result<u64, BenchError> {
    let series = sensor_id(SENSOR);
    let step_ms = 3_600_000 / i64::try_from(per_hour.max(1)).unwrap_or(1);
    let ticks = (0..HOURS * i64::try_from(per_hour).unwrap_or(0)).map(|i| Tick {
        sensor: series,
        ts: start() + corm::chrono::Duration::milliseconds(i * step_ms),
        value: i as f64,
    });
    let report = db.tick().write_many(ticks).await?;
    let readings = (0..u64::try_from(HOURS).unwrap_or(0) * per_hour).map(|k| reading(SENSOR, k));
    let written = db.reading().insert_many(readings).await?;
    if !report.is_complete() || !written.is_complete() {
        return Err(BenchError::Setup(
            "range: some rows were not written".to_owned(),
        ));
    }
    Ok(report.written)
}

async fn read(db: &Db, range: bool) -> Result<(u64, Duration), BenchError> {
    let options = Options::new().page_size(5000);
    let began = Instant::now();
    let rows = if range {
        let series = TickSeries {
            sensor: sensor_id(SENSOR),
        };
        let end = start() + corm::chrono::Duration::hours(HOURS);
        db.tick()
            .with(options)
            .range(&series, start()..end, Direction::Ascending, None)
            .await?
            .try_fold(0_u64, |n, _| async move { Ok(n + 1) })
            .await?
    } else {
        db.reading()
            .with(options)
            .partition(&ReadingPartition {
                sensor: sensor_id(SENSOR),
            })
            .await?
            .try_fold(0_u64, |n, _| async move { Ok(n + 1) })
            .await?
    };
    Ok((rows, began.elapsed()))
}

/// Times `runs` reads of each side, alternating, after one untimed read of
/// each; both must return `rows` rows.
///
/// # Errors
/// A failed read, or one that returned another number of rows.
pub async fn measure(db: &Db, rows: u64, runs: usize) -> Result<RangeReport, BenchError> {
    for side in [true, false] {
        read(db, side).await?;
    }
    let (mut range_times, mut partition_times) = (Vec::new(), Vec::new());
    for run in 0..runs.max(1) {
        let order = if run % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for side in order {
            let (seen, time) = read(db, side).await?;
            if seen != rows {
                return Err(BenchError::Run(format!(
                    "{} read {seen} rows of {rows}",
                    if side { "range" } else { "partition" }
                )));
            }
            if side {
                range_times.push(time.as_secs_f64());
            } else {
                partition_times.push(time.as_secs_f64());
            }
        }
    }
    let range_seconds = median(range_times);
    let partition_seconds = median(partition_times);
    Ok(RangeReport {
        rows,
        runs: runs.max(1),
        range_seconds,
        partition_seconds,
        ratio: range_seconds / partition_seconds.max(f64::EPSILON),
    })
}
