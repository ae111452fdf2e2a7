//! The soak: a mixed workload through the code generated for the example
//! schema (`db`) at a steady rate on the local three-node cluster, one node
//! restarted every few minutes, then every acknowledged write checked
//! against a ledger. Run by `cargo xtask cluster soak --minutes 30`
//! (`CORM_SOAK_MINUTES`, `CORM_SOAK_RESTART_MINUTES`).
//!
//! The workload, eight workers at 25 operations a second each (200/s):
//! - 50% inserts of new rows (each acknowledged one set in the ledger);
//! - 20% reads of a row the ledger holds, which must be there and equal;
//! - 10% `@unique` claims (lightweight transactions) of new emails;
//! - 10% counter increments;
//! - 10% reads of a 200-row partition in pages of 50, which must be whole.
//!
//! It reports operations, errors by kind, and the client's resident memory
//! (`VmRSS`), which must stay within 5% of its level after the first
//! restart (allocator and pools warmed up).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cluster.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use corm::{Consistency, ErrorKind, Options, Session, StreamExt, TryStreamExt, Uuid};
use corm_codegen_fixtures::db::{Customer, Db, Order, PageViewsKey, WalletBalance};
use support::{config, order, took, with_cluster_keyspace};

/// Workers, and the operations each starts per second.
const WORKERS: usize = 8;
const RATE_PER_WORKER: u64 = 25;
/// Counters incremented (one per page).
const PAGES: usize = 10;
/// Rows of the partition the scans read.
const PARTITION_ROWS: usize = 200;

fn minutes(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// Which sequence numbers were acknowledged: one bit each, allocated up
/// front so the ledger itself does not grow the client's memory.
struct Ledger {
    bits: Vec<AtomicU64>,
    next: AtomicU64,
}

impl Ledger {
    fn new(capacity: u64) -> Self {
        Self {
            bits: (0..capacity.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
            next: AtomicU64::new(0),
        }
    }

    fn take(&self) -> u64 {
        self.next.fetch_add(1, Ordering::SeqCst)
    }

    fn acknowledge(&self, seq: u64) {
        let word = usize::try_from(seq / 64).unwrap();
        self.bits[word].fetch_or(1 << (seq % 64), Ordering::SeqCst);
    }

    fn is_acknowledged(&self, seq: u64) -> bool {
        let word = usize::try_from(seq / 64).unwrap();
        self.bits[word].load(Ordering::SeqCst) & (1 << (seq % 64)) != 0
    }

    fn acknowledged(&self) -> Vec<u64> {
        (0..self.next.load(Ordering::SeqCst))
            .filter(|seq| self.is_acknowledged(*seq))
            .collect()
    }
}

fn balance(seq: u64) -> WalletBalance {
    let seq = i64::try_from(seq).unwrap();
    WalletBalance::new(
        Uuid::from_u128(0x5eed_0000 + u128::try_from(seq).unwrap()),
        seq,
        seq,
    )
}

fn email(seq: u64) -> String {
    format!("soak-{seq}@example.com")
}

fn page(n: usize) -> PageViewsKey {
    PageViewsKey {
        page: format!("page-{n}"),
        day: corm::chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
    }
}

/// The client's resident memory, in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// What the workload saw.
#[derive(Default)]
struct Counts {
    operations: AtomicU64,
    errors: Mutex<BTreeMap<String, u64>>,
    increments_ok: Vec<AtomicU64>,
    increments_failed: Vec<AtomicU64>,
}

impl Counts {
    fn error(&self, what: &str, kind: ErrorKind) {
        *self
            .errors
            .lock()
            .unwrap()
            .entry(format!("{what} {kind:?}"))
            .or_default() += 1;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn soak() {
    let run = Duration::from_secs(60 * minutes("CORM_SOAK_MINUTES", 30));
    let restart_every = Duration::from_secs(60 * minutes("CORM_SOAK_RESTART_MINUTES", 5));
    with_cluster_keyspace("soak", config(), move |cluster, session| async move {
        let db = setup(session).await;
        let customer = Uuid::new_v4();
        let orders: Vec<Order> = (0..PARTITION_ROWS).map(|n| order(customer, i64::try_from(n).unwrap())).collect();
        assert!(db.order().insert_many(orders.clone()).await.unwrap().failed.is_empty());
        let partition = orders[0].partition_key();

        let capacity = run.as_secs() * WORKERS as u64 * RATE_PER_WORKER;
        let rows = Arc::new(Ledger::new(capacity));
        let claims = Arc::new(Ledger::new(capacity));
        let counts = Arc::new(Counts {
            increments_ok: (0..PAGES).map(|_| AtomicU64::new(0)).collect(),
            increments_failed: (0..PAGES).map(|_| AtomicU64::new(0)).collect(),
            ..Counts::default()
        });
        let stop = Arc::new(AtomicBool::new(false));
        let lost_reads = Arc::new(AtomicUsize::new(0));

        let mut workers = Vec::new();
        for worker in 0..WORKERS {
            let (db, rows, claims, counts, stop, lost_reads, partition) = (
                db.clone(),
                rows.clone(),
                claims.clone(),
                counts.clone(),
                stop.clone(),
                lost_reads.clone(),
                partition.clone(),
            );
            workers.push(tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_millis(1000 / RATE_PER_WORKER));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let mut n: u64 = u64::try_from(worker).unwrap();
                while !stop.load(Ordering::SeqCst) {
                    tick.tick().await;
                    n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    counts.operations.fetch_add(1, Ordering::SeqCst);
                    match (n >> 33) % 10 {
                        0..=4 => {
                            let seq = rows.take();
                            match db.wallet_balance().insert(&balance(seq)).await {
                                Ok(()) => rows.acknowledge(seq),
                                Err(err) => counts.error("insert", err.kind()),
                            }
                        }
                        5 | 6 => {
                            let issued = rows.next.load(Ordering::SeqCst).max(1);
                            let seq = (n >> 17) % issued;
                            if !rows.is_acknowledged(seq) {
                                continue;
                            }
                            let row = balance(seq);
                            match db.wallet_balance().get(&row.key()).await {
                                Ok(Some(read)) => assert_eq!(read, row),
                                Ok(None) => {
                                    lost_reads.fetch_add(1, Ordering::SeqCst);
                                }
                                Err(err) => counts.error("read", err.kind()),
                            }
                        }
                        7 => {
                            let seq = claims.take();
                            let customer =
                                Customer::new(email(seq), "Soak Tester".to_owned(), BTreeSet::new());
                            match db.customer().insert(&customer).await {
                                Ok(()) => claims.acknowledge(seq),
                                Err(err) => counts.error("unique claim", err.kind()),
                            }
                        }
                        8 => {
                            let which = usize::try_from((n >> 20) % PAGES as u64).unwrap();
                            match db.page_views().add(&page(which), 1).await {
                                Ok(()) => counts.increments_ok[which].fetch_add(1, Ordering::SeqCst),
                                Err(err) => {
                                    counts.error("increment", err.kind());
                                    counts.increments_failed[which].fetch_add(1, Ordering::SeqCst)
                                }
                            };
                        }
                        _ => {
                            let read = async {
                                db.order()
                                    .with(Options::new().page_size(50))
                                    .partition(&partition)
                                    .await?
                                    .try_collect::<Vec<Order>>()
                                    .await
                            };
                            match read.await {
                                Ok(read) => assert_eq!(read.len(), PARTITION_ROWS, "a scan skipped rows"),
                                Err(err) => counts.error("scan", err.kind()),
                            }
                        }
                    }
                }
            }));
        }

        // One node restarted every `restart_every`; memory sampled.
        let started = Instant::now();
        let mut samples: Vec<(Duration, u64)> = Vec::new();
        let mut next_restart = restart_every;
        let mut node = 0;
        let mut restarts = Vec::new();
        while started.elapsed() < run {
            tokio::time::sleep(Duration::from_secs(5)).await;
            samples.push((started.elapsed(), rss_kib()));
            if started.elapsed() >= next_restart && started.elapsed() + Duration::from_secs(30) < run {
                node = node % cluster.nodes + 1;
                restarts.push((node, cluster.restart(node).await));
                next_restart += restart_every;
            }
        }
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            worker.await.unwrap();
        }
        let operations = counts.operations.load(Ordering::SeqCst);
        took(&format!("{operations} operations"), started);
        for (node, took) in &restarts {
            println!("restarted node {node} in {:.1}s", took.as_secs_f64());
        }

        // The ledger, checked with every node up.
        cluster.whole().await;
        let checking = Instant::now();
        let all = Options::new().consistency(Consistency::All);
        let acknowledged = rows.acknowledged();
        let missing: Vec<u64> = corm::futures::stream::iter(acknowledged.iter().copied())
            .map(|seq| {
                let db = db.clone();
                async move {
                    let row = balance(seq);
                    let read = db.wallet_balance().with(all).get(&row.key()).await.unwrap();
                    (read.as_ref() != Some(&row)).then_some(seq)
                }
            })
            .buffer_unordered(32)
            .filter_map(|seq| async move { seq })
            .collect()
            .await;
        let claimed = claims.acknowledged();
        let mut unclaimed = Vec::new();
        for seq in &claimed {
            if db.customer().with(all).find_by_email(&email(*seq)).await.unwrap().is_none() {
                unclaimed.push(*seq);
            }
        }
        let mut counters = Vec::new();
        for which in 0..PAGES {
            let total = db
                .page_views()
                .with(all)
                .get(&page(which))
                .await
                .unwrap()
                .map_or(0, |row| row.views.0);
            let ok = i64::try_from(counts.increments_ok[which].load(Ordering::SeqCst)).unwrap();
            let failed = i64::try_from(counts.increments_failed[which].load(Ordering::SeqCst)).unwrap();
            counters.push((total, ok, failed));
        }
        took("the ledger check at ALL", checking);

        let errors = counts.errors.lock().unwrap().clone();
        let error_total: u64 = errors.values().sum();
        println!(
            "operations {operations}; acknowledged inserts {}, unique claims {}; \
             errors {error_total} ({:.3}%): {errors:?}",
            acknowledged.len(),
            claimed.len(),
            100.0 * error_total as f64 / operations.max(1) as f64
        );
        println!("counters (value, acknowledged, failed): {counters:?}");
        let warm = samples
            .iter()
            .find(|(at, _)| *at >= restart_every.min(run / 6))
            .map_or(0, |(_, rss)| *rss);
        let later_max = samples
            .iter()
            .filter(|(at, _)| *at >= restart_every.min(run / 6))
            .map(|(_, rss)| *rss)
            .max()
            .unwrap_or(0);
        let end = samples.last().map_or(0, |(_, rss)| *rss);
        println!(
            "client RSS: {} KiB at the start, {warm} KiB warm, {later_max} KiB at most after, {end} KiB at the end",
            samples.first().map_or(0, |(_, rss)| *rss)
        );

        assert_eq!(missing, Vec::<u64>::new(), "acknowledged inserts lost");
        assert_eq!(unclaimed, Vec::<u64>::new(), "acknowledged unique claims lost");
        assert_eq!(lost_reads.load(Ordering::SeqCst), 0, "acknowledged rows read as missing");
        for (total, ok, failed) in counters {
            assert!((ok..=ok + failed).contains(&total), "counter {total} outside {ok}..={}", ok + failed);
        }
        assert!(
            later_max * 100 <= warm * 105,
            "client memory grew: {warm} KiB warm, {later_max} KiB later"
        );
    })
    .await;
}

async fn setup(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}
