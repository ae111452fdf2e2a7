//! The change log of `Ticket` (`changes retain 7d`) against a real node:
//! every write through the repository, a batch or a bulk insert records a
//! typed change atomically with it; readers follow them in position order,
//! resume from a position, get late changes once, and in-process
//! subscribers get them at once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use common::db;
use corm::changes::{Change, ChangeKind, FollowOptions, Operation, Position};
use corm::chrono::Utc;
use corm::testing::with_keyspace;
use corm::{Error, Options, StreamExt, TryStreamExt};
use corm_examples::generated::{Db, Ticket, TicketPartition, TicketPatch, TicketStatus};

/// Quick to settle: the tests' writers and reader share one clock.
fn quick() -> FollowOptions {
    FollowOptions {
        settle: Duration::from_millis(200),
        poll: Duration::from_millis(50),
        ..FollowOptions::default()
    }
}

/// The first `count` changes after `after`, failing the test after 30 s.
async fn follow(
    db: &Db,
    after: Position,
    count: usize,
    options: FollowOptions,
) -> Vec<Change<Ticket>> {
    let changes = db
        .ticket()
        .changes_with(after, options)
        .take(count)
        .try_collect::<Vec<_>>();
    tokio::time::timeout(Duration::from_secs(30), changes)
        .await
        .expect("the changes within 30 s")
        .unwrap()
}

/// Asserts that `changes` are the `written` changes, each once, in
/// position order, none late, from `writers` writers, and that replaying
/// them in order gives the table: per key, the changes' order is the order
/// in which Cassandra resolves the writes (last write wins, by the write
/// time, which is the change's position).
async fn assert_followed_exactly(
    db: &Db,
    changes: &[&Change<Ticket>],
    written: usize,
    writers: usize,
) {
    let positions: BTreeSet<Position> = changes.iter().map(|change| change.position).collect();
    assert_eq!(positions.len(), written, "each change once");
    assert!(
        changes
            .windows(2)
            .all(|pair| pair[0].position < pair[1].position)
    );
    assert!(changes.iter().all(|change| !change.late));
    let names: BTreeSet<&str> = changes
        .iter()
        .map(|change| change.writer.as_str())
        .collect();
    assert_eq!(names.len(), writers, "{names:?}");
    let mut replayed: BTreeMap<(String, corm::Uuid), i32> = BTreeMap::new();
    for change in changes {
        match &change.kind {
            ChangeKind::Inserted(row) => {
                replayed.insert((row.board.clone(), row.id.into()), row.priority);
            }
            ChangeKind::Updated { key, patch } => {
                // An upsert, as in Cassandra: an update from a writer whose
                // clock lags may come before the insert it follows, and
                // the insert then overwrites it (last write wins).
                let priority = patch.priority.expect("the priority updated");
                replayed.insert((key.board.clone(), key.id.into()), priority);
            }
            ChangeKind::Deleted(key) => {
                replayed.remove(&(key.board.clone(), key.id.into()));
            }
            other => panic!("no partition changes here: {other:?}"),
        }
    }
    let stored: BTreeMap<(String, corm::Uuid), i32> = db
        .ticket()
        .scan()
        .await
        .unwrap()
        .map_ok(|row: Ticket| ((row.board.clone(), row.id.into()), row.priority))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(replayed, stored);
}

fn ticket(board: &str, title: &str) -> Ticket {
    Ticket::new(board.to_owned(), title.to_owned(), TicketStatus::Open, 2)
}

#[tokio::test]
async fn every_write_records_a_typed_change() {
    with_keyspace("changes_typed", |session| async move {
        let db = db(session).await;
        let tickets = db.ticket();
        let start = Position::now();
        let mut first = ticket("support", "Printer on fire");
        first.assignee = Some("ada".to_owned());
        first.latitude = Some(51.5);
        tickets.insert(&first).await.unwrap();
        let patch = TicketPatch::default()
            .status(TicketStatus::Waiting)
            .assignee(None);
        tickets.update(&first.key(), &patch).await.unwrap();
        let statics = TicketPatch::default().board_name(Some("Support".to_owned()));
        tickets.update(&first.key(), &statics).await.unwrap();
        tickets.delete(&first.key()).await.unwrap();
        let second = ticket("sales", "Quote for 40 seats");
        let third = ticket("sales", "Renewal");
        let mut batch = db.batch_unlogged();
        batch
            .insert(&second)
            .update(&third.key(), &TicketPatch::default().priority(5));
        batch.run().await.unwrap();
        let report = tickets
            .insert_many(vec![
                ticket("ops", "Disk 91% full"),
                ticket("ops", "Cert expires"),
            ])
            .await
            .unwrap();
        assert_eq!(report.written, 2);
        tickets
            .delete_partition(&TicketPartition {
                board: "ops".to_owned(),
            })
            .await
            .unwrap();

        let changes = follow(&db, start, 9, quick()).await;
        let operations: Vec<Operation> = changes.iter().map(Change::operation).collect();
        assert_eq!(
            operations[..6],
            [
                Operation::Insert,
                Operation::Update,
                // `updated_at` is `@on_update(now)`: every update writes
                // the row, even one of a static column.
                Operation::Update,
                Operation::Delete,
                Operation::Insert,
                Operation::Update,
            ]
        );
        assert_eq!(operations[6..8], [Operation::Insert, Operation::Insert]);
        assert_eq!(operations[8], Operation::DeletePartition);
        let positions: Vec<Position> = changes.iter().map(|change| change.position).collect();
        assert!(
            positions.windows(2).all(|pair| pair[0] < pair[1]),
            "{positions:?}"
        );
        assert!(changes.iter().all(|change| !change.late));
        assert!(
            changes
                .iter()
                .all(|change| change.writer == db.session().change_writer())
        );
        match &changes[0].kind {
            ChangeKind::Inserted(row) => assert_eq!(row, &first),
            other => panic!("an insert, not {other:?}"),
        }
        match &changes[1].kind {
            ChangeKind::Updated {
                key,
                patch: written,
            } => {
                assert_eq!(key, &first.key());
                assert_eq!(written, &patch);
            }
            other => panic!("an update, not {other:?}"),
        }
        match &changes[2].kind {
            ChangeKind::Updated { key, patch } => {
                assert_eq!(key, &first.key());
                assert_eq!(patch, &statics);
            }
            other => panic!("a static column's update, not {other:?}"),
        }
        match &changes[3].kind {
            ChangeKind::Deleted(key) => assert_eq!(key, &first.key()),
            other => panic!("a delete, not {other:?}"),
        }
        match (&changes[4].kind, &changes[5].kind) {
            (ChangeKind::Inserted(row), ChangeKind::Updated { key, patch }) => {
                assert_eq!(row, &second);
                assert_eq!(key, &third.key());
                assert_eq!(patch.priority, Some(5));
            }
            other => panic!("the batch's insert and update, not {other:?}"),
        }
        // A change's position is its write's write time.
        let written_at: Vec<(Option<i64>,)> = db
            .session()
            .query(
                "SELECT writetime(title) FROM ticket WHERE board = 'sales' AND id = ?",
                (second.id,),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            written_at[0].0,
            Some(changes[4].position.time().timestamp_micros())
        );
        match &changes[8].kind {
            ChangeKind::PartitionDeleted(partition) => assert_eq!(partition.board, "ops"),
            other => panic!("a partition delete, not {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn a_refused_write_records_nothing() {
    with_keyspace("changes_refused", |session| async move {
        let db = db(session).await;
        let tickets = db.ticket();
        let start = Position::now();
        let invalid = ticket("support", "");
        assert!(matches!(
            tickets.insert(&invalid).await,
            Err(Error::Validation(_))
        ));
        let stamped = tickets.with(Options::new().timestamp(1_000));
        let refused = stamped
            .insert(&ticket("support", "Stamped"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                refused,
                Error::ChangeLog {
                    model: "Ticket",
                    ..
                }
            ),
            "{refused}"
        );
        assert!(refused.certainly_not_applied());
        let conditional = tickets
            .insert_if_not_exists(&ticket("support", "Once"))
            .await;
        assert!(matches!(conditional, Err(Error::ChangeLog { .. })));
        // Nothing was written: neither rows nor changes.
        let rows: Vec<Ticket> = tickets.scan().await.unwrap().try_collect().await.unwrap();
        assert!(rows.is_empty());
        let marker = ticket("support", "After the refusals");
        tickets.insert(&marker).await.unwrap();
        let changes = follow(&db, start, 1, quick()).await;
        match &changes[0].kind {
            ChangeKind::Inserted(row) => assert_eq!(row, &marker),
            other => panic!("only the marker's insert, not {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn a_reader_resumed_from_a_position_gets_the_rest_once() {
    with_keyspace("changes_resume", |session| async move {
        let db = db(session).await;
        let start = Position::now();
        let rows: Vec<Ticket> = (0..20)
            .map(|n| ticket("support", &format!("Ticket {n}")))
            .collect();
        for row in &rows {
            db.ticket().insert(row).await.unwrap();
        }
        let before = follow(&db, start, 8, quick()).await;
        let resumed = follow(&db, before[7].position, 12, quick()).await;
        let titles: Vec<String> = before
            .iter()
            .chain(&resumed)
            .map(|change| match &change.kind {
                ChangeKind::Inserted(row) => row.title.clone(),
                other => panic!("an insert, not {other:?}"),
            })
            .collect();
        let written: Vec<String> = rows.iter().map(|row| row.title.clone()).collect();
        assert_eq!(titles, written);
    })
    .await;
}

#[tokio::test]
async fn a_change_visible_late_is_delivered_once_marked_late() {
    with_keyspace("changes_late", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        // A writer whose clock is 3 s behind: beyond the settle window.
        let lagging = Db::new(session.with_change_clock_offset(-3_000_000), keyspace);
        let start = Position::at(Utc::now() - corm::chrono::TimeDelta::seconds(10));
        let options = FollowOptions {
            sweep_every: Duration::from_millis(300),
            ..quick()
        };
        let reader = db.ticket().changes_with(start, options);
        let mut reader = std::pin::pin!(reader);
        let on_time = ticket("support", "On time");
        db.ticket().insert(&on_time).await.unwrap();
        let first = tokio::time::timeout(Duration::from_secs(10), reader.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(!first.late);
        // The reader is past where the lagging writer's change goes.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let behind = ticket("support", "From a slow clock");
        lagging.ticket().insert(&behind).await.unwrap();
        let late = tokio::time::timeout(Duration::from_secs(10), reader.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert!(late.late);
        assert!(late.position < first.position);
        match &late.kind {
            ChangeKind::Inserted(row) => assert_eq!(row, &behind),
            other => panic!("the late insert, not {other:?}"),
        }
        // It is not delivered again by later sweeps.
        let again = tokio::time::timeout(Duration::from_secs(2), reader.next()).await;
        assert!(again.is_err(), "nothing more: {again:?}");
    })
    .await;
}

#[tokio::test]
async fn skewed_writers_are_followed_in_position_order_exactly_once() {
    with_keyspace("changes_skew", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        // Before the first change of the writer whose clock is furthest behind.
        let start = Position::at(Utc::now() - corm::chrono::TimeDelta::seconds(1));
        // Four writers whose clocks disagree by up to 250 ms.
        let offsets = [-150_000_i64, 0, 100_000, -50_000];
        let boards = ["a", "b", "c", "d", "e"];
        let writers = offsets.iter().enumerate().map(|(n, offset)| {
            let writer = Db::new(
                session
                    .with_change_clock_offset(*offset)
                    .with_change_writer(&format!("writer-{n}")),
                keyspace.clone(),
            );
            async move {
                let mut written = 0;
                for i in 0..150_u32 {
                    let mut row = ticket(
                        boards[(i as usize + n) % boards.len()],
                        &format!("w{n} t{i}"),
                    );
                    row.priority = i32::try_from(i).unwrap();
                    writer.ticket().insert(&row).await.unwrap();
                    written += 1;
                    if i % 3 == 0 {
                        let patch = TicketPatch::default().priority(-1);
                        writer.ticket().update(&row.key(), &patch).await.unwrap();
                        written += 1;
                    }
                    if i % 10 == 0 {
                        writer.ticket().delete(&row.key()).await.unwrap();
                        written += 1;
                    }
                }
                written
            }
        });
        let written: usize = corm::futures::future::join_all(writers)
            .await
            .into_iter()
            .sum();
        let changes = follow(&db, start, written, FollowOptions::default()).await;
        let changes: Vec<&Change<Ticket>> = changes.iter().collect();
        assert_followed_exactly(&db, &changes, written, 4).await;
    })
    .await;
}

#[tokio::test]
async fn in_process_subscribers_get_changes_at_once_and_are_told_when_they_lag() {
    with_keyspace("changes_live", |session| async move {
        let db = db(session).await;
        let mut live = std::pin::pin!(db.ticket().live_changes());
        let row = ticket("support", "Live");
        db.ticket().insert(&row).await.unwrap();
        let change = tokio::time::timeout(Duration::from_secs(1), live.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        match change.kind {
            ChangeKind::Inserted(inserted) => assert_eq!(inserted, row),
            other => panic!("the insert, not {other:?}"),
        }
        // A subscriber that reads nothing while 1,100 changes are made.
        let mut slow = std::pin::pin!(db.ticket().live_changes());
        let rows: Vec<Ticket> = (0..1100)
            .map(|n| ticket("bulk", &format!("Row {n}")))
            .collect();
        db.ticket().insert_many(rows).await.unwrap();
        match slow.next().await {
            Some(Err(Error::ChangesMissed {
                model: "Ticket",
                missed,
            })) => assert_eq!(missed, 76),
            other => panic!("told it missed changes, not {other:?}"),
        }
        let next = slow.next().await.unwrap().unwrap();
        assert_eq!(next.operation(), Operation::Insert);
    })
    .await;
}

#[tokio::test]
async fn a_position_older_than_the_retention_is_refused() {
    with_keyspace("changes_expired", |session| async move {
        let db = db(session).await;
        let long_ago = Position::at(Utc::now() - corm::chrono::TimeDelta::days(8));
        let mut changes = std::pin::pin!(db.ticket().changes(long_ago));
        match changes.next().await {
            Some(Err(Error::ChangeLog {
                model: "Ticket",
                problem,
            })) => {
                assert!(
                    problem.contains("older than the log keeps changes"),
                    "{problem}"
                );
            }
            other => panic!("refused, not {other:?}"),
        }
        assert!(changes.next().await.is_none());
        // Within the retention, reading from long ago works.
        let recent = Position::at(Utc::now() - corm::chrono::TimeDelta::days(6));
        db.ticket()
            .insert(&ticket("support", "Kept"))
            .await
            .unwrap();
        let found = follow(&db, recent, 1, quick()).await;
        assert_eq!(found[0].operation(), Operation::Insert);
    })
    .await;
}

#[tokio::test]
async fn tumbling_windows_count_and_sum_changes_per_group() {
    with_keyspace("changes_windows", |session| async move {
        let db = db(session).await;
        let start = Position::now();
        for (board, priority) in [("a", 2), ("a", 3), ("b", 5)] {
            let mut row = ticket(board, "Counted");
            row.priority = priority;
            db.ticket().insert(&row).await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let mut late_row = ticket("a", "Next second");
        late_row.priority = 7;
        db.ticket().insert(&late_row).await.unwrap();
        let windows = corm::changes::tumbling(
            db.ticket().changes_with_progress(start, quick()),
            Duration::from_secs(1),
            |change: &Change<Ticket>| match &change.kind {
                ChangeKind::Inserted(row) => Some(row.board.clone()),
                _ => None,
            },
            |change: &Change<Ticket>| match &change.kind {
                ChangeKind::Inserted(row) => Some(f64::from(row.priority)),
                _ => None,
            },
        );
        let mut windows = std::pin::pin!(windows);
        let mut seen = Vec::new();
        let mut counted = 0;
        // Windows keep coming (empty ones too): a change that never lands
        // in one must fail the test, not keep it waiting.
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while counted < 4 {
            assert!(
                std::time::Instant::now() < deadline,
                "4 changes counted within 60 s; counted {counted} in {seen:?}"
            );
            let window = tokio::time::timeout(Duration::from_secs(10), windows.next())
                .await
                .expect("a window within 10 s")
                .unwrap()
                .unwrap();
            counted += window
                .groups
                .values()
                .map(|totals| totals.count)
                .sum::<u64>();
            seen.push(window);
        }
        // Contiguous windows of a second, aligned to the second.
        for window in &seen {
            assert_eq!(
                window.end - window.start,
                corm::chrono::TimeDelta::seconds(1)
            );
            assert_eq!(window.start.timestamp_subsec_millis(), 0);
        }
        assert!(seen.windows(2).all(|pair| pair[0].end == pair[1].start));
        // One clock for writers and reader: no change comes late.
        assert!(seen.iter().all(|window| window.late == 0), "{seen:?}");
        let mut totals: BTreeMap<String, (u64, f64)> = BTreeMap::new();
        for window in &seen {
            for (board, sums) in &window.groups {
                let entry = totals.entry(board.clone()).or_default();
                entry.0 += sums.count;
                entry.1 += sums.sum;
            }
        }
        assert_eq!(totals["a"], (3, 12.0));
        assert_eq!(totals["b"], (1, 5.0));
        // The last change is in a later window than the first three.
        let last = seen.last().unwrap();
        assert_eq!(last.groups["a"].count, 1);
        assert_eq!(last.groups["a"].sum, 7.0);
    })
    .await;
}

#[tokio::test]
async fn change_records_carry_columns_by_name_and_as_json() {
    with_keyspace("changes_records", |session| async move {
        let db = db(session).await;
        let start = Position::now();
        let row = ticket("support", "By name");
        db.ticket().insert(&row).await.unwrap();
        db.ticket()
            .update(&row.key(), &TicketPatch::default().priority(9))
            .await
            .unwrap();
        let records = db
            .ticket()
            .change_records(start, quick())
            .take(2)
            .try_collect::<Vec<_>>();
        let records = tokio::time::timeout(Duration::from_secs(30), records)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(records[0].operation, Operation::Insert);
        assert_eq!(
            records[0].column("title"),
            Some(Some(&corm::scylla::value::CqlValue::Text(
                "By name".to_owned()
            )))
        );
        let json = records[1].to_json();
        assert_eq!(json["operation"], "update");
        assert_eq!(json["key"]["board"], "support");
        assert_eq!(json["values"]["priority"], 9);
        assert!(json["values"]["updated_at"].is_string(), "{json}");
        assert_eq!(records[1].column("title"), None);
    })
    .await;
}

/// Runs the `ticket_writer` binary: a writer process of its own.
fn writer_process(keyspace: &str, name: &str, offset_ms: i64, writes: u32) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_ticket_writer"))
        .args([keyspace, name, &offset_ms.to_string(), &writes.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_writer_processes_with_skewed_clocks_are_followed_exactly_once_across_a_restart() {
    with_keyspace("changes_processes", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        // Before every writer's first change, the shared tickets' included.
        let start = Position::at(Utc::now() - corm::chrono::TimeDelta::seconds(1));
        for n in 0..10 {
            db.ticket()
                .insert(&ticket("shared", &format!("Shared {n}")))
                .await
                .unwrap();
        }
        // Four processes whose clocks disagree by up to 250 ms.
        let writers: Vec<std::process::Child> = [-150, 0, 100, -50]
            .iter()
            .enumerate()
            .map(|(n, offset)| writer_process(&keyspace, &format!("writer-{n}"), *offset, 2000))
            .collect();
        // A reader that stops (as if killed) after 3,000 changes...
        let first: Vec<Change<Ticket>> = tokio::time::timeout(
            Duration::from_secs(300),
            db.ticket().changes(start).take(3000).try_collect(),
        )
        .await
        .expect("3,000 changes within 5 minutes")
        .unwrap();
        let mut written = 10;
        for writer in writers {
            let output = tokio::task::spawn_blocking(move || writer.wait_with_output())
                .await
                .unwrap()
                .unwrap();
            assert!(output.status.success(), "{output:?}");
            written += String::from_utf8_lossy(&output.stdout)
                .trim()
                .parse::<usize>()
                .unwrap();
        }
        assert_eq!(written, 10 + 4 * 2000);
        // ... and is started again from the last position it handled.
        let resumed = follow(
            &db,
            first[2999].position,
            written - 3000,
            FollowOptions::default(),
        )
        .await;
        let changes: Vec<&Change<Ticket>> = first.iter().chain(&resumed).collect();
        // Four writer processes and this one.
        assert_followed_exactly(&db, &changes, written, 5).await;
        // Nothing more comes.
        let mut more = std::pin::pin!(db.ticket().changes(changes[written - 1].position));
        assert!(
            tokio::time::timeout(Duration::from_secs(2), more.next())
                .await
                .is_err()
        );
    })
    .await;
}
