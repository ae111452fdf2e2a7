//! `corm-bench events`: an event store's replay (load, decode, apply) of a
//! 100,000-event stream against hand-written driver code reading the same
//! table into the same state, alternating; and appends, one writer
//! against several on one stream, against plain inserts.

use std::time::{Duration, Instant};

use corm::Uuid;
use corm::events::Aggregate;
use corm::serde::{Deserialize, Serialize};
use futures::StreamExt;

use crate::BenchError;
use crate::data::reading;
use crate::generated::{Db, LedgerEvent, ledger::Moved};
use crate::suite::median;

/// The medians of the timed runs.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct EventsReport {
    /// Events in the replayed stream.
    pub events: u64,
    /// Timed replays of each side.
    pub runs: usize,
    /// Median seconds of `load_aggregate`.
    pub replay_seconds: f64,
    /// Median seconds of the hand-written replay.
    pub hand_seconds: f64,
    /// Events per second of `load_aggregate`.
    pub replay_events_per_second: f64,
    /// `hand_seconds / replay_seconds` (#13 asks for at least 0.95).
    pub replay_vs_hand: f64,
    /// Appends of one event per second, one writer on its own stream.
    pub appends_per_second: f64,
    /// Plain single-row inserts per second, one writer.
    pub inserts_per_second: f64,
    /// Successful appends per second, 8 writers on one stream
    /// (`append_any`).
    pub contended_appends_per_second: f64,
}

/// The state the replay builds.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(crate = "corm::serde")]
pub struct Position {
    x: i64,
    y: i64,
    moves: u64,
}

impl Aggregate for Position {
    type Event = LedgerEvent;

    fn apply(&mut self, event: &LedgerEvent) {
        let LedgerEvent::Moved(moved) = event;
        self.x += i64::from(moved.dx);
        self.y += i64::from(moved.dy);
        self.moves += 1;
    }
}

fn moved(n: u64) -> LedgerEvent {
    let n = i32::try_from(n % 1_000).unwrap_or(0);
    Moved {
        dx: n - 500,
        dy: 3 - n % 7,
        note: (n % 3 == 0).then(|| format!("move {n}")),
    }
    .into()
}

/// Appends `events` events to a new stream, 500 an append.
///
/// # Errors
/// A failed append.
pub async fn fill(db: &Db, events: u64) -> Result<Uuid, BenchError> {
    let id = Uuid::new_v4();
    let mut version = 0;
    while version < events {
        let batch: Vec<LedgerEvent> = (version..(version + 500).min(events)).map(moved).collect();
        version = db.ledger().append(&id, version, &batch).await?;
    }
    Ok(id)
}

/// The stream replayed by hand: each partition's rows read with the
/// driver's pager, decoded with serde_json into the payload struct, applied.
async fn replay_by_hand(db: &Db, id: Uuid) -> Result<Position, BenchError> {
    let statement = format!(
        "SELECT version, event_type, payload, recorded_at FROM {}.ledger_events \
         WHERE id = ? AND partition_nr = ? AND version >= ?",
        crate::data::KEYSPACE
    );
    let driver = db.session().driver();
    let mut prepared = driver
        .prepare(statement)
        .await
        .map_err(|e| BenchError::Run(e.to_string()))?;
    prepared.set_page_size(5_000);
    let mut state = Position::default();
    let mut partition: i64 = 0;
    loop {
        let pager = driver
            .execute_iter(prepared.clone(), (id, partition, 1_i64))
            .await
            .map_err(|e| BenchError::Run(e.to_string()))?;
        let mut rows = pager
            .rows_stream::<(
                i64,
                String,
                String,
                corm::chrono::DateTime<corm::chrono::Utc>,
            )>()
            .map_err(|e| BenchError::Run(e.to_string()))?;
        let mut any = false;
        while let Some(row) = rows.next().await {
            let (_, event_type, payload, _) = row.map_err(|e| BenchError::Run(e.to_string()))?;
            any = true;
            if event_type == "Moved" {
                let moved: Moved =
                    serde_json::from_str(&payload).map_err(|e| BenchError::Run(e.to_string()))?;
                state.x += i64::from(moved.dx);
                state.y += i64::from(moved.dy);
                state.moves += 1;
            }
        }
        if !any {
            return Ok(state);
        }
        partition += 1;
    }
}

async fn replay(db: &Db, id: &Uuid, ours: bool) -> Result<(Position, Duration), BenchError> {
    let start = Instant::now();
    let state = if ours {
        db.ledger().load_aggregate::<Position>(id).await?.state
    } else {
        replay_by_hand(db, *id).await?
    };
    Ok((state, start.elapsed()))
}

/// Replays `id` (`events` events) `runs` times each way, then measures
/// appends and inserts.
///
/// # Errors
/// A failed read or write, or two replays that disagree.
pub async fn measure(
    db: &Db,
    id: Uuid,
    events: u64,
    runs: usize,
) -> Result<EventsReport, BenchError> {
    let (reference, _) = replay(db, &id, false).await?;
    let (ours, _) = replay(db, &id, true).await?;
    if ours != reference || ours.moves != events {
        return Err(BenchError::Run(format!(
            "replays disagree: {ours:?} against {reference:?} ({events} events)"
        )));
    }
    let (mut ours_times, mut hand_times) = (Vec::new(), Vec::new());
    for run in 0..runs.max(1) {
        let order = if run % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for side in order {
            let (_, time) = replay(db, &id, side).await?;
            if side {
                ours_times.push(time.as_secs_f64());
            } else {
                hand_times.push(time.as_secs_f64());
            }
        }
    }
    let replay_seconds = median(ours_times);
    let hand_seconds = median(hand_times);

    // One writer, one event an append, on its own stream; and as many
    // plain inserts.
    const WRITES: u64 = 300;
    let stream = Uuid::new_v4();
    let start = Instant::now();
    for version in 0..WRITES {
        db.ledger()
            .append(&stream, version, &[moved(version)])
            .await?;
    }
    let appends_per_second = WRITES as f64 / start.elapsed().as_secs_f64();
    let start = Instant::now();
    for k in 0..WRITES {
        db.reading().insert(&reading(2_000_000, k)).await?;
    }
    let inserts_per_second = WRITES as f64 / start.elapsed().as_secs_f64();

    // Eight writers on one stream.
    let shared = Uuid::new_v4();
    let start = Instant::now();
    let writers = (0..8).map(|_| {
        let db = db.clone();
        async move {
            let store = db.ledger().with_attempts(10_000);
            for n in 0..WRITES / 8 {
                store.append_any(&shared, &[moved(n)]).await?;
            }
            Ok::<_, corm::Error>(())
        }
    });
    for outcome in futures::future::join_all(writers).await {
        outcome?;
    }
    let contended_appends_per_second = (WRITES / 8 * 8) as f64 / start.elapsed().as_secs_f64();

    Ok(EventsReport {
        events,
        runs: runs.max(1),
        replay_seconds,
        hand_seconds,
        replay_events_per_second: events as f64 / replay_seconds,
        replay_vs_hand: hand_seconds / replay_seconds,
        appends_per_second,
        inserts_per_second,
        contended_appends_per_second,
    })
}
