//! The read-through caches on the node: `Customer` (`cache 30s max
//! 10000`) and the named query `recent_orders` (`cache 5s max 1000`), and
//! `Ticket` cached at run time and invalidated across processes by its
//! change feed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use corm::TryStreamExt;
use corm::cache::{CacheConfig, CacheSettings};
use corm::changes::{FollowOptions, Position};
use corm::testing::with_keyspace;
use corm_examples::generated::{
    Customer, CustomerKey, CustomerPatch, Db, Ticket, TicketPartition, TicketPatch, TicketStatus,
};

use common::db;

fn customer(n: usize) -> Customer {
    Customer::new(
        format!("cached{n}@example.com"),
        format!("Customer {n}"),
        BTreeSet::new(),
    )
}

/// Writers update their own customers while readers hammer the same keys
/// through the cache: a read that starts after a write returned never
/// sees the value before it, in any of many iterations.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_read_after_a_write_never_returns_the_old_value() {
    with_keyspace("cache_read_after_write", |session| async move {
        let db = Arc::new(db(session).await);
        let mut keys = Vec::new();
        for n in 0..8 {
            let row = customer(n);
            db.customer().insert(&row).await.unwrap();
            keys.push(row.key());
        }
        let keys = Arc::new(keys);
        // Readers racing with the writers fill the cache with loads that
        // started before a write and end after it.
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let readers: Vec<_> = (0..4)
            .map(|r| {
                let (db, keys, stop) = (Arc::clone(&db), Arc::clone(&keys), Arc::clone(&stop));
                tokio::spawn(async move {
                    let mut reads = 0_u64;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        let key = &keys[(reads as usize + r) % keys.len()];
                        db.customer().get(key).await.unwrap();
                        reads += 1;
                        // Hits never wait: let the writers run on two cores.
                        tokio::task::yield_now().await;
                    }
                    reads
                })
            })
            .collect();
        let writers: Vec<_> = (0..keys.len())
            .map(|w| {
                let (db, keys) = (Arc::clone(&db), Arc::clone(&keys));
                tokio::spawn(async move {
                    let key = &keys[w];
                    for i in 0..150 {
                        let name = format!("name {w} {i}");
                        db.customer()
                            .update(key, &CustomerPatch::default().name(name.clone()))
                            .await
                            .unwrap();
                        let read = db.customer().get(key).await.unwrap().unwrap();
                        assert_eq!(
                            read.name, name,
                            "a stale read of customer {w} after write {i}"
                        );
                    }
                    db.customer().delete(key).await.unwrap();
                    assert_eq!(
                        db.customer().get(key).await.unwrap(),
                        None,
                        "a deleted row read back"
                    );
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut reads = 0;
        for reader in readers {
            reads += reader.await.unwrap();
        }
        let stats = db.customer().cache().unwrap().stats();
        println!("{reads} racing reads; {stats:?}");
        // The cache answered: it is not bypassed.
        assert!(stats.hits > 0, "{stats:?}");
        assert!(stats.stale > 0, "writes made entries stale: {stats:?}");
    })
    .await;
}

/// A `@unique` lookup goes through the model's cache: a repeated
/// `find_by_email` sends no request, and a write that moves the email
/// (an update, a delete, another row taking it) is seen by the next
/// lookup, never the owner before it.
#[tokio::test]
async fn a_unique_lookup_is_cached_and_never_outlives_a_write() {
    with_keyspace("cache_unique_lookup", |session| async move {
        let db = db(session).await;
        let (first, second) = (customer(1), customer(2));
        db.customer().insert(&first).await.unwrap();
        db.customer().insert(&second).await.unwrap();
        let email = first.email.clone();
        let found = db.customer().find_by_email(&email).await.unwrap().unwrap();
        assert_eq!(found.id, first.id);
        let before = db.customer().cache().unwrap().stats();
        for _ in 0..20 {
            let found = db.customer().find_by_email(&email).await.unwrap().unwrap();
            assert_eq!(found.id, first.id);
        }
        // The lookup and the row both from memory: two hits a call, no
        // request.
        let after = db.customer().cache().unwrap().stats();
        assert_eq!(after.hits - before.hits, 40, "{after:?}");
        assert_eq!(after.loads, before.loads);

        // The first customer changes email: the old one finds nobody, the
        // new one finds it.
        let moved = "moved@example.com".to_owned();
        db.customer()
            .update(&first.key(), &CustomerPatch::default().email(moved.clone()))
            .await
            .unwrap();
        assert_eq!(db.customer().find_by_email(&email).await.unwrap(), None);
        let found = db.customer().find_by_email(&moved).await.unwrap().unwrap();
        assert_eq!(found.id, first.id);
        // The second customer takes the freed email: found at once.
        db.customer()
            .update(
                &second.key(),
                &CustomerPatch::default().email(email.clone()),
            )
            .await
            .unwrap();
        let found = db.customer().find_by_email(&email).await.unwrap().unwrap();
        assert_eq!(found.id, second.id);
        // A delete gives it back.
        db.customer().delete(&second.key()).await.unwrap();
        assert_eq!(db.customer().find_by_email(&email).await.unwrap(), None);
    })
    .await;
}

/// A hundred concurrent misses of one key make one request; a miss of a
/// missing row is cached too, and an insert ends it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_misses_of_one_key_make_one_request() {
    with_keyspace("cache_single_flight", |session| async move {
        let db = Arc::new(db(session).await);
        let row = customer(1);
        db.customer().insert(&row).await.unwrap();
        let key = row.key();
        let before = db.customer().cache().unwrap().stats();
        let barrier = Arc::new(tokio::sync::Barrier::new(100));
        let readers: Vec<_> = (0..100)
            .map(|_| {
                let (db, key, barrier) = (Arc::clone(&db), key.clone(), Arc::clone(&barrier));
                tokio::spawn(async move {
                    barrier.wait().await;
                    db.customer().get(&key).await.unwrap()
                })
            })
            .collect();
        for reader in readers {
            assert_eq!(reader.await.unwrap().as_ref(), Some(&row));
        }
        let after = db.customer().cache().unwrap().stats();
        assert_eq!(after.loads - before.loads, 1, "{before:?} → {after:?}");
        assert_eq!(
            (after.hits + after.misses) - (before.hits + before.misses),
            100
        );

        // Absent rows are remembered, and a write ends that.
        let missing = CustomerKey {
            id: corm::Uuid::new_v4(),
        };
        assert_eq!(db.customer().get(&missing).await.unwrap(), None);
        let loads = db.customer().cache().unwrap().stats().loads;
        assert_eq!(db.customer().get(&missing).await.unwrap(), None);
        assert_eq!(
            db.customer().cache().unwrap().stats().loads,
            loads,
            "a second miss was read"
        );
        let mut created = customer(2);
        created.id = missing.id;
        db.customer().insert(&created).await.unwrap();
        assert_eq!(db.customer().get(&missing).await.unwrap(), Some(created));
    })
    .await;
}

/// A cached query answers only its own values: other customers, other
/// limits and other times each get their own answer, equal to what an
/// uncached read returns; a write to the table ends every cached answer.
#[tokio::test]
async fn a_cached_query_never_answers_other_values() {
    with_keyspace("cache_queries", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        let uncached = Db::with_caches(
            session,
            keyspace,
            &CacheSettings::new().no_query_cache("Order", "recent_orders"),
        );
        assert!(uncached.order().query_cache("recent_orders").is_none());
        let customers = [corm::Uuid::new_v4(), corm::Uuid::new_v4()];
        let mut orders = Vec::new();
        for (n, customer) in customers.iter().enumerate() {
            for i in 0..(3 + n * 2) {
                let mut order = common::order();
                order.customer_id = *customer;
                order.total_cents = i64::try_from(i).unwrap();
                db.order().insert(&order).await.unwrap();
                orders.push(order);
            }
        }
        let hour_ago = corm::chrono::Utc::now() - corm::chrono::TimeDelta::hours(1);
        let since = corm::CqlTimeuuid::from(Position::at(hour_ago).uuid());
        let ask = |db: &Db, customer: corm::Uuid, n: i32| {
            let db = db.clone();
            async move { db.order().recent_orders(customer, since, n).await.unwrap() }
        };
        for round in 0..2 {
            for customer in customers {
                for n in [1, 2, 10] {
                    let cached = ask(&db, customer, n).await;
                    let read = ask(&uncached, customer, n).await;
                    assert_eq!(
                        cached, read,
                        "round {round}, customer {customer}, limit {n}"
                    );
                    assert!(cached.iter().all(|order| order.customer_id == customer));
                    assert!(cached.len() <= usize::try_from(n).unwrap());
                }
            }
        }
        let cache = db.order().query_cache("recent_orders").unwrap();
        let stats = cache.stats();
        // Six distinct questions, each read once and answered once more.
        assert_eq!((stats.loads, stats.hits), (6, 6), "{stats:?}");

        // A new order of the first customer is in the next answer.
        let mut newest = common::order();
        newest.customer_id = customers[0];
        db.order().insert(&newest).await.unwrap();
        let answer = ask(&db, customers[0], 10).await;
        assert_eq!(
            answer.first(),
            Some(&newest),
            "a cached answer outlived a write"
        );
    })
    .await;
}

/// Bounded by entries: a cache of 50 entries keeps at most 50 after 200
/// distinct rows, and counts what it evicted.
#[tokio::test]
async fn a_cache_holds_at_most_its_entries() {
    with_keyspace("cache_bounds", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let db = Db::with_caches(
            session,
            keyspace,
            &CacheSettings::new().model(
                "Customer",
                CacheConfig::new(Duration::from_secs(60), 50).max_bytes(1 << 20),
            ),
        );
        db.setup().await.unwrap();
        for n in 0..200 {
            let row = customer(n);
            db.customer().insert(&row).await.unwrap();
            db.customer().get(&row.key()).await.unwrap().unwrap();
        }
        let cache = db.customer().cache().unwrap();
        cache.run_pending_tasks().await;
        let stats = cache.stats();
        assert!(stats.entries <= 50, "{stats:?}");
        assert!(stats.evictions >= 150, "{stats:?}");
        assert!(stats.weight <= 1 << 20, "{stats:?}");
    })
    .await;
}

/// Runs the `ticket_writer` binary: another process that updates the ten
/// tickets of board `shared`.
fn writer_process(keyspace: &str, writes: u32) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_ticket_writer"))
        .args([keyspace, "cache-writer", "0", &writes.to_string()])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// The shared tickets as the cache answers them.
async fn shared(db: &Db, keys: &[corm_examples::generated::TicketKey]) -> Vec<Option<Ticket>> {
    let mut rows = Vec::new();
    for key in keys {
        rows.push(db.ticket().get(key).await.unwrap());
    }
    rows
}

/// Another process's writes: with the change feed followed, the cache
/// stops answering the old rows within the feed's lag; without it, it
/// answers them until the entries' TTL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_processs_writes_end_staleness_within_the_feeds_lag() {
    with_keyspace("cache_across_processes", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let cached =
            CacheSettings::new().model("Ticket", CacheConfig::new(Duration::from_secs(120), 1000));
        let followed = Db::with_caches(session.clone(), keyspace.clone(), &cached);
        followed.setup().await.unwrap();
        let unfollowed = Db::with_caches(session.clone(), keyspace.clone(), &cached);
        let truth = Db::new(session, keyspace.clone());
        for n in 0..10 {
            let mut row = Ticket::new(
                "shared".to_owned(),
                format!("Shared {n}"),
                TicketStatus::Open,
                0,
            );
            row.title = format!("Shared {n}");
            truth.ticket().insert(&row).await.unwrap();
        }
        let keys: Vec<_> = truth
            .ticket()
            .partition(&TicketPartition {
                board: "shared".to_owned(),
            })
            .await
            .unwrap()
            .map_ok(|row: Ticket| row.key())
            .try_collect()
            .await
            .unwrap();
        assert_eq!(keys.len(), 10);
        let options = FollowOptions {
            settle: Duration::from_millis(300),
            poll: Duration::from_millis(50),
            ..FollowOptions::default()
        };
        let follower = {
            let db = followed.clone();
            tokio::spawn(async move {
                db.ticket()
                    .follow_invalidations(Position::now(), options)
                    .await
            })
        };
        // Both caches hold the rows as they were.
        let before = shared(&followed, &keys).await;
        assert_eq!(shared(&unfollowed, &keys).await, before);

        let mut writer = writer_process(&keyspace, 40);
        assert!(writer.wait().unwrap().success());
        let written = Instant::now();
        let now = shared(&truth, &keys).await;
        assert_ne!(now, before, "the other process changed nothing");

        // The followed cache catches up within the lag (settle + poll and
        // the read's own time; 3 s is far beyond it).
        let caught_up = loop {
            if shared(&followed, &keys).await == now {
                break written.elapsed();
            }
            assert!(written.elapsed() < Duration::from_secs(3), "still stale");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        println!("the followed cache caught up {caught_up:?} after the writer ended");
        // The unfollowed one still answers the old rows (its TTL is 2 min).
        assert_eq!(shared(&unfollowed, &keys).await, before);
        follower.abort();

        // And an in-process update through the followed Db is seen at once.
        let patch = TicketPatch::default().priority(-1);
        followed.ticket().update(&keys[0], &patch).await.unwrap();
        let row = followed.ticket().get(&keys[0]).await.unwrap().unwrap();
        assert_eq!(row.priority, -1);
    })
    .await;
}
