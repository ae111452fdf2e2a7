//! The fault suite: the code generated for the example schema (`db`) on
//! the local three-node cluster (`cargo xtask cluster test`), keyspaces
//! replicated on all three nodes, sessions at `QUORUM`, while nodes are
//! stopped, killed, frozen and restarted through `cargo xtask cluster`.
//!
//! Each test prints how long its steps took (`[time]`, `[cluster]`); the
//! suite runs one test at a time, and each leaves the cluster whole.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cluster.rs"]
mod support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use corm::{Consistency, Error, ErrorKind, Options, Session, StreamExt, TryStreamExt, Uuid};
use corm_codegen_fixtures::db::{
    Customer, Db, Order, PageViewsKey, Ticket, TicketStatus, WalletBalance, WalletEvent,
    wallet::Credited,
};
use support::{config, order, pending_hint_files, settle_schema, took, with_cluster_keyspace};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn at(consistency: Consistency) -> Options {
    Options::new().consistency(consistency)
}

fn credit(cents: i64, reason: String) -> WalletEvent {
    WalletEvent::Credited(Credited { cents, reason })
}

/// One node down: writes and reads at `QUORUM` go on, no error reaches the
/// caller. Two down: a typed unavailable error at once. The third node
/// back: the writes it missed reach it as hints, read from it alone.
#[tokio::test(flavor = "multi_thread")]
async fn one_node_down_quorum_goes_on_two_down_is_unavailable_hints_arrive() {
    with_cluster_keyspace("one_down", config(), |cluster, session| async move {
        let db = db(session).await;
        let balances = db.wallet_balance();
        cluster.stop(3).await;

        let started = Instant::now();
        let mut written = Vec::new();
        for n in 0..200 {
            let row = WalletBalance::new(Uuid::new_v4(), n, 1);
            balances.insert(&row).await.unwrap();
            assert_eq!(balances.get(&row.key()).await.unwrap(), Some(row.clone()));
            written.push(row);
        }
        took("200 inserts and reads at QUORUM with node 3 down", started);

        // Node 1 or 2 keeps hints for node 3 (flushed to files every 10 s).
        let started = Instant::now();
        loop {
            let files = pending_hint_files(&cluster, 1) + pending_hint_files(&cluster, 2);
            if files > 0 {
                println!("hint files for node 3: {files}");
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no hints stored for node 3"
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        took("hints stored for node 3", started);

        cluster.stop(2).await;
        let started = Instant::now();
        let err = balances
            .insert(&WalletBalance::new(Uuid::new_v4(), 0, 1))
            .await
            .expect_err("one replica of three cannot make a quorum");
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
        let err = balances.get(&written[0].key()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
        let waited = started.elapsed();
        took("two typed unavailable errors with two nodes down", started);
        assert!(waited < Duration::from_secs(5), "took {waited:?}");

        cluster.restart(2).await;
        cluster.restart(3).await;
        let started = Instant::now();
        loop {
            let files = pending_hint_files(&cluster, 1) + pending_hint_files(&cluster, 2);
            if files == 0 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{files} hint files still pending after two minutes"
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        took("hints delivered to node 3", started);

        // Every row, read at ALL: all three replicas answer.
        for row in &written {
            let read = balances.with(at(Consistency::All)).get(&row.key()).await;
            assert_eq!(read.unwrap().as_ref(), Some(row));
        }
        // And from node 3 alone: what it holds it got by hints, since it
        // was down for every one of these writes.
        cluster.stop(1).await;
        cluster.stop(2).await;
        let started = Instant::now();
        for row in &written {
            let read = balances.with(at(Consistency::One)).get(&row.key()).await;
            assert_eq!(read.unwrap().as_ref(), Some(row), "missing on node 3");
        }
        took("200 reads at ONE from node 3 alone", started);
    })
    .await;
}

/// What the workers of [`a_node_killed_mid_flight`] saw.
#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    errors: std::sync::Mutex<Vec<(ErrorKind, String)>>,
}

impl Tally {
    fn record<T>(&self, outcome: corm::Result<T>) -> bool {
        match outcome {
            Ok(_) => {
                self.ok.fetch_add(1, Ordering::SeqCst);
                true
            }
            Err(err) => {
                self.errors
                    .lock()
                    .unwrap()
                    .push((err.kind(), err.to_string()));
                false
            }
        }
    }

    fn errors(&self) -> Vec<(ErrorKind, String)> {
        self.errors.lock().unwrap().clone()
    }
}

/// A node killed (SIGKILL) while requests are in flight: idempotent writes
/// and reads are retried on the other nodes and none fails; counter
/// increments and lightweight transactions are not retried blindly: each
/// either succeeds or fails with a typed error, and the counter ends
/// between the acknowledged increments and those plus the failed ones.
#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_mid_flight() {
    with_cluster_keyspace("killed", config(), |cluster, session| async move {
        let db = db(session).await;
        let keys: Vec<Uuid> = (0..50).map(|_| Uuid::new_v4()).collect();
        for key in &keys {
            db.wallet_balance()
                .insert(&WalletBalance::new(*key, 0, 0))
                .await
                .unwrap();
        }
        let page = PageViewsKey {
            page: "home".to_owned(),
            day: corm::chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
        };
        settle_schema().await;
        let stop = Arc::new(AtomicBool::new(false));
        let plain = Arc::new(Tally::default());
        let counters = Arc::new(Tally::default());
        let claims = Arc::new(Tally::default());
        let claimed = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut workers = Vec::new();
        for worker in 0..6_usize {
            let (db, stop, plain, keys) = (db.clone(), stop.clone(), plain.clone(), keys.clone());
            workers.push(tokio::spawn(async move {
                let mut n = 0_i64;
                while !stop.load(Ordering::SeqCst) {
                    let key = keys[(worker * 7 + usize::try_from(n).unwrap()) % keys.len()];
                    n += 1;
                    let row = WalletBalance::new(key, n, n);
                    if plain.record(db.wallet_balance().insert(&row).await) {
                        plain.record(db.wallet_balance().get(&row.key()).await);
                    }
                }
            }));
        }
        for _ in 0..2 {
            let (db, stop, counters, page) =
                (db.clone(), stop.clone(), counters.clone(), page.clone());
            workers.push(tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    counters.record(db.page_views().add(&page, 1).await);
                }
            }));
        }
        for worker in 0..2 {
            let (db, stop, claims, claimed) =
                (db.clone(), stop.clone(), claims.clone(), claimed.clone());
            workers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let customer = Customer::new(
                        format!("w{worker}-{n}@example.com"),
                        "Ada Lovelace".to_owned(),
                        BTreeSet::new(),
                    );
                    if claims.record(db.customer().insert(&customer).await) {
                        claimed.lock().unwrap().push(customer);
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        let before = (
            plain.ok.load(Ordering::SeqCst),
            counters.ok.load(Ordering::SeqCst),
            claims.ok.load(Ordering::SeqCst),
        );
        cluster.kill(2).await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            worker.await.unwrap();
        }
        let after = (
            plain.ok.load(Ordering::SeqCst),
            counters.ok.load(Ordering::SeqCst),
            claims.ok.load(Ordering::SeqCst),
        );
        println!(
            "acknowledged before the kill / in all: plain {} / {}, counter increments {} / {}, \
             unique claims {} / {}",
            before.0, after.0, before.1, after.1, before.2, after.2
        );
        // The workload went on after the kill.
        assert!(after.0 > before.0 && after.1 > before.1 && after.2 > before.2);

        assert_eq!(plain.errors(), vec![], "idempotent requests failed");
        for (tally, what) in [(&counters, "counter increment"), (&claims, "unique claim")] {
            for (kind, message) in tally.errors() {
                println!("{what} failed ({kind:?}): {message}");
                assert!(
                    matches!(kind, ErrorKind::Timeout | ErrorKind::Connection),
                    "{what}: untyped failure {message}"
                );
            }
        }

        cluster.restart(2).await;
        let total = db
            .page_views()
            .with(at(Consistency::All))
            .get(&page)
            .await
            .unwrap()
            .map_or(0, |row| row.views.0);
        let acknowledged = i64::try_from(counters.ok.load(Ordering::SeqCst)).unwrap();
        let failed = i64::try_from(counters.errors().len()).unwrap();
        println!("counter: {total} ({acknowledged} acknowledged, {failed} failed)");
        assert!(
            (acknowledged..=acknowledged + failed).contains(&total),
            "counter {total} outside {acknowledged}..={}: an increment was applied twice or lost",
            acknowledged + failed
        );
        let claimed = claimed.lock().unwrap().clone();
        for customer in &claimed {
            let found = db.customer().find_by_email(&customer.email).await.unwrap();
            assert_eq!(found.map(|found| found.id), Some(customer.id));
        }
    })
    .await;
}

/// Writes of a model with a change log while a node is killed: each write
/// and its change are one logged batch, which the batch log completes
/// when its coordinator dies midway, so once the batch log has replayed,
/// the rows and the changes are the same set: every acknowledged insert
/// has its change, and a timed-out one has both or neither.
#[tokio::test(flavor = "multi_thread")]
async fn a_change_log_write_and_its_change_land_together_when_a_node_is_killed() {
    with_cluster_keyspace("changes_killed", config(), |cluster, session| async move {
        let db = db(session).await;
        settle_schema().await;
        let start = corm::changes::Position::now();
        let stop = Arc::new(AtomicBool::new(false));
        let inserts = Arc::new(Tally::default());
        let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut workers = Vec::new();
        for worker in 0..4 {
            let (db, stop, inserts, acknowledged) = (
                db.clone(),
                stop.clone(),
                inserts.clone(),
                acknowledged.clone(),
            );
            workers.push(tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    n += 1;
                    let row = Ticket::new(
                        format!("board-{worker}"),
                        format!("ticket {n}"),
                        TicketStatus::Open,
                        n,
                    );
                    if inserts.record(db.ticket().insert(&row).await) {
                        acknowledged
                            .lock()
                            .unwrap()
                            .push((row.board.clone(), Uuid::from(row.id)));
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        cluster.kill(2).await;
        tokio::time::sleep(Duration::from_secs(8)).await;
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            worker.await.unwrap();
        }
        let failed = inserts.errors();
        println!(
            "change-logged inserts: {} acknowledged, {} failed",
            inserts.ok.load(Ordering::SeqCst),
            failed.len()
        );
        for (kind, message) in &failed {
            assert!(
                matches!(kind, ErrorKind::Timeout | ErrorKind::Connection),
                "untyped failure {message}"
            );
        }
        cluster.restart(2).await;
        let acknowledged: BTreeSet<(String, Uuid)> =
            acknowledged.lock().unwrap().iter().cloned().collect();
        // The batch log replays a batch its coordinator did not finish
        // after twice the write timeout, on a 10 s schedule.
        let started = Instant::now();
        loop {
            let rows: BTreeSet<(String, Uuid)> = db
                .ticket()
                .with(at(Consistency::All))
                .scan()
                .await
                .unwrap()
                .map_ok(|row| (row.board, Uuid::from(row.id)))
                .try_collect()
                .await
                .unwrap();
            let options = corm::changes::FollowOptions {
                settle: Duration::from_millis(500),
                ..corm::changes::FollowOptions::default()
            };
            let mut changes = std::pin::pin!(db.ticket().changes_with(start, options));
            let mut logged = BTreeSet::new();
            // Every change up to half a second ago, then a quiet second.
            while let Ok(Some(change)) =
                tokio::time::timeout(Duration::from_secs(2), changes.next()).await
            {
                if let corm::changes::ChangeKind::Inserted(row) = change.unwrap().kind {
                    logged.insert((row.board, Uuid::from(row.id)));
                }
            }
            assert!(
                rows.is_superset(&acknowledged),
                "an acknowledged insert has no row"
            );
            if rows == logged {
                println!(
                    "{} rows, each with its change ({} acknowledged), {:.1} s after the restart",
                    rows.len(),
                    acknowledged.len(),
                    started.elapsed().as_secs_f64()
                );
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(90),
                "rows without changes: {:?}; changes without rows: {:?}",
                rows.difference(&logged).collect::<Vec<_>>(),
                logged.difference(&rows).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    })
    .await;
}

/// One round of racing writers: 20 customers with one email, 30 appends
/// at version 0 of one stream. Exactly one of each wins (a timed-out
/// attempt may have won: then the stored winner is one of those).
async fn race_round(db: &Db, round: usize) {
    let email = format!("race-{round}-{}@example.com", Uuid::new_v4().simple());
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (db, email) = (db.clone(), email.clone());
        tasks.push(tokio::spawn(async move {
            let customer = Customer::new(email, format!("Racer {n}"), BTreeSet::new());
            let outcome = db.customer().insert(&customer).await;
            (customer.id, outcome)
        }));
    }
    let mut winners = Vec::new();
    let mut unknown = Vec::new();
    for task in tasks {
        let (id, outcome) = task.await.unwrap();
        match outcome {
            Ok(()) => winners.push(id),
            Err(Error::Unique { .. }) => {}
            Err(err) => {
                assert!(
                    matches!(err.kind(), ErrorKind::Timeout | ErrorKind::Connection),
                    "{err}"
                );
                unknown.push(id);
            }
        }
    }
    let stored = db
        .customer()
        .find_by_email(&email)
        .await
        .unwrap()
        .map(|c| c.id);
    assert!(
        winners.len() <= 1,
        "round {round}: {} winners",
        winners.len()
    );
    match winners.first() {
        Some(winner) => assert_eq!(stored, Some(*winner), "round {round}"),
        None => assert!(
            stored.is_some_and(|id| unknown.contains(&id))
                || (stored.is_none() && !unknown.is_empty()),
            "round {round}: no winner, stored {stored:?}"
        ),
    }

    let stream = Uuid::new_v4();
    let mut tasks = Vec::new();
    for n in 0..30 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.wallet()
                .append(&stream, 0, &[credit(n, format!("racer {n}"))])
                .await
        }));
    }
    let mut appended = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(version) => {
                assert_eq!(version, 1);
                appended += 1;
            }
            Err(Error::Conflict { .. }) => {}
            Err(err) => assert!(
                matches!(err.kind(), ErrorKind::Timeout | ErrorKind::Connection),
                "{err}"
            ),
        }
    }
    assert!(
        appended <= 1,
        "round {round}: {appended} appends at version 0"
    );
    assert_eq!(
        db.wallet().version(&stream).await.unwrap(),
        1,
        "round {round}"
    );
}

/// Whether the stream holds the event appended with `reason`, read at
/// `SERIAL`: a Paxos round left open by a timed-out append is finished
/// first, so the answer does not change afterwards.
async fn landed(db: &Db, stream: Uuid, reason: &str) -> bool {
    loop {
        let read = async {
            db.wallet()
                .with(at(Consistency::Serial))
                .load(&stream, 0)
                .await?
                .try_collect::<Vec<_>>()
                .await
        };
        match read.await {
            Ok(events) => {
                return events.iter().any(|event| match &event.event {
                    WalletEvent::Credited(credited) => credited.reason == reason,
                    WalletEvent::Debited(_) => false,
                });
            }
            // A serial read is a Paxos round too, and times out under the
            // same contention: ask again.
            Err(err) if err.kind() == ErrorKind::Timeout => {}
            Err(err) => panic!("{err}"),
        }
    }
}

/// `@unique` claims and event appends while a node is down and while it
/// comes back: exactly one winner per race, and 10 writers appending 20
/// events each to one stream (retrying on conflict) lose none.
#[tokio::test(flavor = "multi_thread")]
async fn unique_claims_and_appends_while_a_node_is_down_and_comes_back() {
    with_cluster_keyspace("lwt_down", config(), |cluster, session| async move {
        let db = db(session).await;
        cluster.stop(3).await;
        let started = Instant::now();
        for round in 0..3 {
            race_round(&db, round).await;
        }
        took("3 race rounds with node 3 down", started);

        let stream = Uuid::new_v4();
        let writers: Vec<_> = (0..10)
            .map(|writer| {
                let db = db.clone();
                tokio::spawn(async move {
                    let (mut conflicts, mut unknown) = (0, 0);
                    for n in 0..20 {
                        let reason = format!("{writer}/{n}");
                        let mut uncertain = false;
                        loop {
                            if uncertain && landed(&db, stream, &reason).await {
                                break;
                            }
                            let version = match db.wallet().version(&stream).await {
                                Ok(version) => version,
                                Err(err) if err.kind() == ErrorKind::Timeout => continue,
                                Err(err) => panic!("writer {writer}: {err}"),
                            };
                            let event = credit(1, reason.clone());
                            match db.wallet().append(&stream, version, &[event]).await {
                                Ok(_) => break,
                                Err(Error::Conflict { .. }) => conflicts += 1,
                                // A Paxos round that timed out may have
                                // landed: look before appending again.
                                Err(err) if matches!(err.kind(), ErrorKind::Timeout) => {
                                    unknown += 1;
                                    uncertain = true;
                                }
                                Err(err) => panic!("writer {writer}: {err}"),
                            }
                        }
                    }
                    (conflicts, unknown)
                })
            })
            .collect();
        // Node 3 comes back while the races and the writers run.
        let restarting = {
            let cluster = cluster.clone();
            tokio::spawn(async move { cluster.restart(3).await })
        };
        let mut round = 3;
        while !restarting.is_finished() {
            race_round(&db, round).await;
            round += 1;
        }
        restarting.await.unwrap();
        race_round(&db, round).await;
        println!("{} race rounds in all", round + 1);
        let (mut conflicts, mut unknown) = (0, 0);
        for writer in writers {
            let (writer_conflicts, writer_unknown) = writer.await.unwrap();
            conflicts += writer_conflicts;
            unknown += writer_unknown;
        }
        let events: Vec<_> = db
            .wallet()
            .with(at(Consistency::All))
            .load(&stream, 0)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let versions: Vec<u64> = events.iter().map(|event| event.version).collect();
        assert_eq!(versions, (1..=200).collect::<Vec<u64>>());
        let reasons: BTreeSet<String> = events
            .iter()
            .map(|event| match &event.event {
                WalletEvent::Credited(credited) => credited.reason.clone(),
                WalletEvent::Debited(debited) => debited.reason.clone(),
            })
            .collect();
        assert_eq!(reasons.len(), 200, "an event was written twice or lost");
        println!(
            "200 appends from 10 writers: {conflicts} conflicts retried, \
             {unknown} timed-out Paxos rounds checked and retried"
        );
        took("appends, races and node 3's restart", started);
    })
    .await;
}

/// The migration runner with a node stopped: the reachable nodes agree and
/// the run completes; the node, back, has the schema (a write at `ALL`).
/// With a node frozen (alive, not answering): the run fails within the
/// schema agreement timeout with a message that says so, and the next run,
/// the node thawed, resumes and completes.
#[tokio::test(flavor = "multi_thread")]
async fn migrations_with_a_node_down_and_a_node_frozen() {
    let config = config().schema_agreement_timeout(Duration::from_secs(10));
    with_cluster_keyspace("migrate_down", config, |cluster, session| async move {
        let keyspace = session.keyspace().unwrap().to_owned();
        cluster.stop(3).await;
        let db = Db::new(session.clone(), &keyspace);
        let started = Instant::now();
        let report = db.migrate().await.unwrap();
        took("migrations with node 3 down", started);
        assert!(!report.applied.is_empty());
        cluster.restart(3).await;
        let row = WalletBalance::new(Uuid::new_v4(), 1, 1);
        db.wallet_balance()
            .with(at(Consistency::All))
            .insert(&row)
            .await
            .unwrap();

        // A second keyspace, migrated with node 2 frozen.
        let frozen = format!("{keyspace}_frozen");
        session
            .run_ddl(&format!(
                "CREATE KEYSPACE {frozen} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': 3}}"
            ))
            .await
            .unwrap();
        cluster.pause(2).await;
        let db = Db::new(session.clone(), &frozen);
        let started = Instant::now();
        let err = db
            .migrate()
            .await
            .expect_err("node 2 cannot agree while frozen");
        let waited = started.elapsed();
        took("the failed run with node 2 frozen", started);
        println!("the runner said: {err}");
        assert!(waited < Duration::from_secs(60), "took {waited:?}");
        cluster.resume(2).await;
        // The node's connections recover; then the run resumes.
        let started = Instant::now();
        let report = loop {
            match db.migrate().await {
                Ok(report) => break report,
                Err(err) if started.elapsed() < Duration::from_secs(60) => {
                    println!("not yet: {err}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(err) => panic!("no resume after a minute: {err}"),
            }
        };
        took("the resumed run", started);
        let resumed: Vec<usize> = report.applied.iter().map(|m| m.resumed_at).collect();
        println!(
            "the resumed run applied {} migrations, resumed at statements {resumed:?}",
            report.applied.len()
        );
        let status =
            corm::migrate::Migrator::new(&session, &frozen, corm_codegen_fixtures::db::MIGRATIONS)
                .status()
                .await
                .unwrap();
        assert!(
            status.iter().all(|migration| matches!(
                migration.state,
                corm::migrate::MigrationState::Applied { .. }
            )),
            "{status:?}"
        );
        session
            .run_ddl(&format!("DROP KEYSPACE {frozen}"))
            .await
            .unwrap();
    })
    .await;
}

/// A partition read in pages of 50 while each node in turn is killed and
/// brought back: the stream goes on through the others (the paging state
/// is the cluster's, not the coordinator's), and every row arrives once,
/// in clustering order.
#[tokio::test(flavor = "multi_thread")]
async fn paged_stream_across_coordinator_restarts() {
    with_cluster_keyspace("paging", config(), |cluster, session| async move {
        let db = db(session).await;
        let customer = Uuid::new_v4();
        let rows: Vec<Order> = (0..1_500).map(|n| order(customer, n)).collect();
        let report = db.order().insert_many(rows.clone()).await.unwrap();
        assert!(report.failed.is_empty());
        let partition = rows[0].partition_key();
        settle_schema().await;
        let orders = db.order().with(Options::new().page_size(50));
        let mut stream = Box::pin(orders.partition(&partition).await.unwrap());
        let mut read = Vec::new();
        let started = Instant::now();
        for node in 1..=cluster.nodes {
            while read.len() < node * 400 {
                read.push(stream.try_next().await.unwrap().expect("more rows"));
            }
            cluster.kill(node).await;
            // Read on with the node down, then bring it back.
            while read.len() < node * 400 + 100 {
                read.push(stream.try_next().await.unwrap().expect("more rows"));
            }
            cluster.restart(node).await;
        }
        while let Some(row) = stream.try_next().await.unwrap() {
            read.push(row);
        }
        took("1,500 rows in pages of 50 across three node kills", started);
        let expected: Vec<i64> = rows.iter().rev().map(|row| row.total_cents).collect();
        let got: Vec<i64> = read.iter().map(|row| row.total_cents).collect();
        assert_eq!(got, expected, "rows repeated, skipped or out of order");
    })
    .await;
}

/// #17 on the cluster: with a node frozen, speculative executions answer
/// from the others and are counted; with a node killed, the driver's own
/// retries on the next node are counted.
#[tokio::test(flavor = "multi_thread")]
async fn speculative_executions_and_driver_retries_are_counted() {
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    metrics::set_global_recorder(recorder).unwrap();
    let speculative = config().speculative(corm::Speculative::Fixed {
        delay: Duration::from_millis(50),
        max_executions: 2,
    });
    with_cluster_keyspace("speculative", speculative, |cluster, session| async move {
        let db = db(session).await;
        let rows: Vec<WalletBalance> = (0..200)
            .map(|n| WalletBalance::new(Uuid::new_v4(), n, 1))
            .collect();
        for row in &rows {
            db.wallet_balance().insert(row).await.unwrap();
        }
        // Prepared before the freeze: the driver prepares a statement on
        // every node and waits for all of them, so a first use while a node
        // is frozen waits for that node (see docs/cluster.md).
        for row in &rows {
            db.wallet_balance().get(&row.key()).await.unwrap();
        }
        settle_schema().await;
        // Frozen, node 2 still looks up to the driver until the others'
        // gossip convicts it (about ten seconds): reads sent to it meanwhile
        // speculate onto another node after 50 ms.
        cluster.pause(2).await;
        let started = Instant::now();
        let reads: Vec<Option<WalletBalance>> = corm::futures::stream::iter(rows.iter())
            .map(|row| {
                let db = db.clone();
                async move { db.wallet_balance().get(&row.key()).await.unwrap() }
            })
            .buffered(16)
            .collect()
            .await;
        took(
            "200 reads, 16 at a time, with node 2 frozen, speculating after 50 ms",
            started,
        );
        assert_eq!(reads, rows.iter().cloned().map(Some).collect::<Vec<_>>());
        let text = handle.render();
        let count = |name: &str| -> f64 {
            text.lines()
                .filter(|line| line.starts_with(name) && line.contains("table=\"wallet_balance\""))
                .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
                .sum()
        };
        let speculated = count("corm_speculative_executions_total");
        println!("speculative executions: {speculated}");
        assert!(speculated > 0.0, "{text}");
        // A statement used for the first time while node 2 is frozen: the
        // driver prepares it on every node and waits for each, without a
        // timeout of its own; corm bounds the wait by the request timeout.
        let started = Instant::now();
        let first_use = db.customer().find_by_email("frozen@example.com").await;
        let waited = started.elapsed();
        took("a first use with node 2 frozen", started);
        let err = first_use.expect_err("node 2 cannot prepare while frozen");
        println!("first use: {err}");
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert!(waited < Duration::from_secs(7), "waited {waited:?}");
        cluster.resume(2).await;
        cluster.whole().await;
        assert_eq!(
            db.customer()
                .find_by_email("frozen@example.com")
                .await
                .unwrap(),
            None
        );

        // Connections per node, counted from the process's sockets: every
        // node has its pool.
        let connections = db.session().record_connections();
        println!("connections per node: {connections:?}");
        assert_eq!(connections.len(), cluster.nodes);
        assert!(
            connections.iter().all(|(_, count)| *count >= 1),
            "{connections:?}"
        );

        // Killed mid-flight: requests on its connections break, and the
        // driver retries idempotent ones on the next node.
        let stop = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let (db, stop, rows) = (db.clone(), stop.clone(), rows.clone());
                tokio::spawn(async move {
                    let mut n = 0;
                    while !stop.load(Ordering::SeqCst) {
                        db.wallet_balance()
                            .get(&rows[n % rows.len()].key())
                            .await
                            .unwrap();
                        n += 1;
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs(2)).await;
        cluster.kill(3).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        stop.store(true, Ordering::SeqCst);
        for reader in readers {
            reader.await.unwrap();
        }
        // Node 3's connections are gone once the driver sees them broken.
        let killed = cluster.endpoint(3);
        let started = Instant::now();
        while db
            .session()
            .record_connections()
            .iter()
            .any(|(node, count)| *node == killed && *count > 0)
        {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "node 3 still has connections"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let text = handle.render();
        assert!(
            text.contains(&format!("corm_connections{{node=\"{killed}\"}} 0")),
            "{text}"
        );
        let count = |name: &str| -> f64 {
            text.lines()
                .filter(|line| line.starts_with(name) && line.contains("table=\"wallet_balance\""))
                .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
                .sum()
        };
        println!(
            "driver retries: {}, corm retries: {}",
            count("corm_driver_retries_total"),
            count("corm_retries_total")
        );
        assert!(
            count("corm_driver_retries_total") + count("corm_retries_total") > 0.0,
            "no retry counted after a node was killed under load:\n{text}"
        );
    })
    .await;
}

/// A backup that loses a node midway (issue #19): in a keyspace with one
/// copy of each row, the ranges on the killed node can't be read
/// elsewhere, so the backup stops with the driver's error and keeps the
/// ranges it finished; with the node back, the same call reads only the
/// rest, and the verified backup holds every row.
#[tokio::test(flavor = "multi_thread")]
async fn a_backup_that_loses_a_node_resumes_when_it_is_back() {
    with_cluster_keyspace("backup_lost", config(), |cluster, session| async move {
        let keyspace = format!("{}_one", session.keyspace().unwrap());
        session
            .run_ddl(&format!(
                "CREATE KEYSPACE {keyspace} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
            ))
            .await
            .unwrap();
        session
            .run_ddl(&format!(
                "CREATE TABLE {keyspace}.notes (id int PRIMARY KEY, body text)"
            ))
            .await
            .unwrap();
        let insert = session
            .prepare(&format!(
                "INSERT INTO {keyspace}.notes (id, body) VALUES (?, ?)"
            ))
            .await
            .unwrap();
        let rows = 30_000;
        corm::futures::stream::iter(0..rows)
            .map(|id: i32| {
                let (session, insert) = (&session, &insert);
                async move {
                    session
                        .execute(insert, (id, format!("note {id}")))
                        .await
                        .unwrap();
                }
            })
            .buffer_unordered(64)
            .collect::<Vec<()>>()
            .await;
        settle_schema().await;
        let folder = std::env::temp_dir().join(format!("corm-backup-{keyspace}"));
        let _ = std::fs::remove_dir_all(&folder);
        // Slow, one range at a time: the node is lost midway.
        let options = corm::backup::BackupOptions {
            ranges: 32,
            concurrency: 1,
            tables: None,
            max_rows_per_second: Some(2_000),
        };
        let finished_ranges = |folder: &std::path::Path| {
            std::fs::read_to_string(folder.join("manifest.json"))
                .map_or(0, |text| text.matches("\"sha256\"").count())
        };
        let running = {
            let (session, keyspace, folder, options) = (
                session.clone(),
                keyspace.clone(),
                folder.clone(),
                options.clone(),
            );
            tokio::spawn(async move {
                corm::backup::backup(&session, &keyspace, &folder, &options, &|_| {}).await
            })
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while finished_ranges(&folder) < 4 {
            assert!(Instant::now() < deadline, "the backup made no progress");
            assert!(
                !running.is_finished(),
                "the backup finished before the node was lost"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        cluster.kill(2).await;
        let stopped = running.await.unwrap();
        let error = stopped.expect_err("a range on the lost node can't be read");
        println!("[backup] stopped with: {error}");
        let done = finished_ranges(&folder);
        assert!(done >= 4, "the finished ranges are kept: {done}");
        let verified = corm::backup::verify(&folder).unwrap();
        assert!(verified.rows < u64::try_from(rows).unwrap());

        cluster.whole().await;
        let started = Instant::now();
        let report = corm::backup::backup(&session, &keyspace, &folder, &options, &|_| {})
            .await
            .unwrap();
        took("the backup's rest, the node back", started);
        assert_eq!(report.ranges_skipped, done, "{report:?}");
        let verified = corm::backup::verify(&folder).unwrap();
        assert_eq!(verified.rows, u64::try_from(rows).unwrap(), "{verified:?}");
        session
            .run_ddl(&format!("DROP KEYSPACE {keyspace}"))
            .await
            .unwrap();
        std::fs::remove_dir_all(&folder).unwrap();
    })
    .await;
}
