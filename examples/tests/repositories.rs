//! The generated repositories of `examples/schema.corm` against a real node:
//! the schema is set up by `Db::setup` (the migrations) in a keyspace of the
//! test's own, then rows go through `Db`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::time::Duration;

use common::db;
use corm::chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::{
    BigDecimal, BigInt, Consistency, Counter, CqlDuration, CqlTimeuuid, Error, Options, SortOrder,
    TryStreamExt, Uuid,
};
use corm_examples::generated::{
    Address, Keyword, KeywordKey, KeywordPatch, Order, OrderClustering, OrderPartition, OrderPatch,
    OrderStatus, PageViews, PageViewsKey, PageViewsPartition,
};

/// A version 1 (time-based) UUID at `ticks` (100 ns units), so that tests
/// control the clustering order.
fn timeuuid(ticks: u64, node: u8) -> CqlTimeuuid {
    let low = (ticks & 0xffff_ffff) as u32;
    let mid = ((ticks >> 32) & 0xffff) as u16;
    let high = (((ticks >> 48) & 0x0fff) as u16) | 0x1000;
    let mut bytes = [0u8; 16];
    bytes[0..4].copy_from_slice(&low.to_be_bytes());
    bytes[4..6].copy_from_slice(&mid.to_be_bytes());
    bytes[6..8].copy_from_slice(&high.to_be_bytes());
    bytes[8] = 0x80;
    bytes[15] = node;
    CqlTimeuuid::from_bytes(bytes)
}

/// An order with every column set.
fn full_order(customer: u8, n: u64) -> Order {
    let address = |street: &str| Address {
        street: street.into(),
        city: "Springfield".into(),
        zip: Some("12345".into()),
    };
    Order {
        customer_id: Uuid::from_bytes([customer; 16]),
        placed_at: timeuuid(0x01f0_0000_0000_0000 + n * 10_000, customer),
        id: Uuid::from_u128(u128::from(n) + 1),
        status: OrderStatus::Paid,
        total_cents: 12_345 + n as i64,
        quantity: 3,
        weight: Some(-7),
        priority: Some(1),
        gift: true,
        discount: Some(0.25),
        tax_rate: Some(0.196),
        // -62.161, exactly.
        exact_total: Some(BigDecimal::new(BigInt::from(-62_161), 3)),
        // 2^64 + 1: beyond every fixed-size integer type.
        big_number: Some(BigInt::from(u64::MAX) + 2),
        // Cassandra keeps milliseconds.
        created_at: Utc.timestamp_millis_opt(1_764_000_000_123).unwrap(),
        ship_on: NaiveDate::from_ymd_opt(2026, 12, 24),
        ship_at: NaiveTime::from_hms_nano_opt(9, 30, 15, 123_456_789),
        window: Some(CqlDuration {
            months: 1,
            days: 2,
            nanoseconds: 3_000_000_004,
        }),
        receipt: Some(vec![0, 1, 2, 255]),
        client_ip: Some("2001:db8::1".parse().unwrap()),
        address: Some(address("1 Main St; 'quoted' ✓")),
        notes: vec!["leave at the door".into(), "fragile".into()],
        tags: ["a".to_owned(), "b".to_owned()].into(),
        attributes: [("x".to_owned(), -1), ("y".to_owned(), i32::MAX)].into(),
        dimensions: Some((10, 20, 30)),
        embedding: Some(corm::Vector::from([0.5, -1.25, 3.0])),
        history: vec![address("0 Old Rd"), address("1 Main St")],
        statuses: [OrderStatus::Pending, OrderStatus::Paid].into(),
        updated_at: None,
    }
}

/// An order with every optional column null and every collection empty.
fn sparse_order(customer: u8, n: u64) -> Order {
    Order {
        weight: None,
        priority: None,
        discount: None,
        tax_rate: None,
        exact_total: None,
        big_number: None,
        ship_on: None,
        ship_at: None,
        window: None,
        receipt: None,
        client_ip: None,
        address: None,
        notes: Vec::new(),
        tags: BTreeSet::new(),
        attributes: BTreeMap::new(),
        dimensions: None,
        embedding: None,
        history: Vec::new(),
        statuses: BTreeSet::new(),
        ..full_order(customer, n)
    }
}

#[tokio::test]
async fn insert_and_get_round_trip() {
    with_keyspace("repo_round_trip", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let full = full_order(1, 1);
        let sparse = sparse_order(1, 2);
        assert_eq!(orders.get(&full.key()).await.unwrap(), None);
        orders.insert(&full).await.unwrap();
        orders.insert(&sparse).await.unwrap();
        assert_eq!(orders.get(&full.key()).await.unwrap(), Some(full.clone()));
        assert_eq!(orders.get(&sparse.key()).await.unwrap(), Some(sparse));

        // An insert is an upsert: the row is replaced, nulls included.
        let changed = Order {
            status: OrderStatus::Shipped,
            address: None,
            ..full.clone()
        };
        orders.insert(&changed).await.unwrap();
        assert_eq!(orders.get(&full.key()).await.unwrap(), Some(changed));

        // A row built by `new` (defaults filled) round-trips too.
        let mut fresh = Order::new(
            Uuid::new_v4(),
            OrderStatus::Pending,
            1,
            1,
            false,
            vec![],
            BTreeSet::new(),
            BTreeMap::new(),
            vec![],
            BTreeSet::new(),
        );
        fresh.created_at = Utc.timestamp_millis_opt(1_764_000_000_000).unwrap();
        orders.insert(&fresh).await.unwrap();
        assert_eq!(orders.get(&fresh.key()).await.unwrap(), Some(fresh));
    })
    .await;
}

#[tokio::test]
async fn insert_if_not_exists_applies_once() {
    with_keyspace("repo_lwt", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let first = full_order(2, 1);
        let second = Order {
            status: OrderStatus::Cancelled,
            total_cents: 0,
            ..first.clone()
        };
        assert!(orders.insert_if_not_exists(&first).await.unwrap());
        assert!(!orders.insert_if_not_exists(&second).await.unwrap());
        assert_eq!(orders.get(&first.key()).await.unwrap(), Some(first));
    })
    .await;
}

#[tokio::test]
async fn partition_streams_pages_in_clustering_order() {
    with_keyspace("repo_partition", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let rows: Vec<Order> = (0..17).map(|n| sparse_order(3, n)).collect();
        for row in &rows {
            orders.insert(row).await.unwrap();
        }
        // Another customer's partition is not read.
        orders.insert(&sparse_order(4, 0)).await.unwrap();

        let partition = rows[0].partition_key();
        let options = Options::new().page_size(5);
        let read: Vec<Order> = orders
            .with(options)
            .partition(&partition)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        // `placed_at desc`: newest first.
        let expected: Vec<Order> = rows.iter().rev().cloned().collect();
        assert_eq!(read, expected);

        let all: Vec<Order> = orders
            .with(options)
            .scan()
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 18);

        let err = orders
            .with(Options::new().page_size(0))
            .partition(&partition)
            .await
            .expect_err("a page size of 0 is refused");
        assert!(matches!(err, Error::InvalidPageSize { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn delete_by_key_and_by_partition() {
    with_keyspace("repo_delete", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let rows: Vec<Order> = (0..3).map(|n| full_order(5, n)).collect();
        for row in &rows {
            orders.insert(row).await.unwrap();
        }
        let other = full_order(6, 0);
        orders.insert(&other).await.unwrap();

        orders.delete(&rows[1].key()).await.unwrap();
        assert_eq!(orders.get(&rows[1].key()).await.unwrap(), None);
        assert_eq!(
            orders.get(&rows[0].key()).await.unwrap(),
            Some(rows[0].clone())
        );

        orders
            .delete_partition(&OrderPartition {
                customer_id: rows[0].customer_id,
            })
            .await
            .unwrap();
        let left: Vec<Order> = orders
            .partition(&rows[0].partition_key())
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert!(left.is_empty(), "{left:?}");
        assert_eq!(orders.get(&other.key()).await.unwrap(), Some(other));
    })
    .await;
}

/// The TTL and write time of `row`'s `total_cents` as stored.
async fn ttl_and_write_time(session: &corm::Session, row: &Order) -> (Option<i32>, Option<i64>) {
    session
        .query(
            "SELECT TTL(total_cents), WRITETIME(total_cents) FROM \"order\" \
             WHERE customer_id = ? AND placed_at = ? AND id = ?",
            row.key(),
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .first_row()
        .unwrap()
}

#[tokio::test]
async fn insert_with_ttl_and_timestamp() {
    with_keyspace("repo_ttl", |session| async move {
        let db = db(session.clone()).await;
        let orders = db.order();
        let row = full_order(7, 0);
        let timestamp = 1_700_000_000_000_000;
        let options = Options::new().ttl(3600).timestamp(timestamp);
        orders.with(options).insert(&row).await.unwrap();
        let (ttl, written) = ttl_and_write_time(&session, &row).await;
        assert!(matches!(ttl, Some(3590..=3600)), "{ttl:?}");
        assert_eq!(written, Some(timestamp));
        assert_eq!(orders.get(&row.key()).await.unwrap(), Some(row));

        // No options: no TTL.
        let plain = full_order(7, 1);
        orders.with(Options::new()).insert(&plain).await.unwrap();
        let (ttl, _) = ttl_and_write_time(&session, &plain).await;
        assert_eq!(ttl, None);
    })
    .await;
}

/// The repository's options reach the conditional insert (`IF NOT EXISTS
/// USING TTL ?`) and every write of a batch (`USING TTL ? AND TIMESTAMP ?`
/// on its inserts and updates, the write time on its deletes).
#[tokio::test]
async fn options_reach_conditional_inserts_and_batches() {
    with_keyspace("repo_ttl_more", |session| async move {
        let db = db(session.clone()).await;
        let orders = db.order();

        let lwt = full_order(12, 0);
        let applied = orders
            .with(Options::new().ttl(600))
            .insert_if_not_exists(&lwt)
            .await
            .unwrap();
        assert!(applied);
        let (ttl, _) = ttl_and_write_time(&session, &lwt).await;
        assert!(matches!(ttl, Some(590..=600)), "{ttl:?}");
        // A second conditional insert applies nothing, with or without a TTL.
        assert!(
            !orders
                .with(Options::new().ttl(5))
                .insert_if_not_exists(&lwt)
                .await
                .unwrap()
        );
        assert!(matches!(
            ttl_and_write_time(&session, &lwt).await.0,
            Some(590..=600)
        ));

        let inserted = full_order(12, 1);
        let updated = full_order(12, 2);
        let timestamp = 1_700_000_000_000_000;
        // Written before the batch's write time, so the batch's update wins.
        orders
            .with(Options::new().timestamp(timestamp - 10))
            .insert(&updated)
            .await
            .unwrap();
        let mut batch = db
            .batch_logged()
            .with(Options::new().ttl(900).timestamp(timestamp));
        batch
            .insert(&inserted)
            .update(&updated.key(), &OrderPatch::default().total_cents(77));
        batch.run().await.unwrap();
        let (ttl, written) = ttl_and_write_time(&session, &inserted).await;
        assert!(matches!(ttl, Some(890..=900)), "{ttl:?}");
        assert_eq!(written, Some(timestamp));
        let (ttl, written) = ttl_and_write_time(&session, &updated).await;
        assert!(matches!(ttl, Some(890..=900)), "{ttl:?}");
        assert_eq!(written, Some(timestamp));
        assert_eq!(
            orders
                .get(&updated.key())
                .await
                .unwrap()
                .map(|row| row.total_cents),
            Some(77)
        );

        // A delete in a batch with an older write time than the row's
        // loses: the write time reached it.
        let mut batch = db
            .batch_unlogged()
            .with(Options::new().timestamp(timestamp - 1));
        batch.delete(&inserted.key());
        batch.run().await.unwrap();
        assert!(orders.get(&inserted.key()).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn counters_add_up() {
    with_keyspace("repo_counters", |session| async move {
        let db = db(session).await;
        let views = db.page_views();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let key = |d| PageViewsKey {
            page: "/home".into(),
            day: day(d),
        };
        views.add(&key(1), 3).await.unwrap();
        views.add(&key(1), 4).await.unwrap();
        views.add(&key(2), -1).await.unwrap();
        assert_eq!(
            views.get(&key(1)).await.unwrap(),
            Some(PageViews {
                page: "/home".into(),
                day: day(1),
                views: Counter(7),
            })
        );
        let partition = PageViewsPartition {
            page: "/home".into(),
        };
        let read: Vec<PageViews> = views
            .partition(&partition)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            read.iter().map(|row| row.views).collect::<Vec<_>>(),
            vec![Counter(7), Counter(-1)]
        );
        views.delete(&key(2)).await.unwrap();
        assert_eq!(views.get(&key(2)).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn keyword_names_round_trip() {
    with_keyspace("repo_keywords", |session| async move {
        let db = db(session).await;
        let keywords = db.keyword();
        let row = Keyword {
            key: "k".into(),
            r#type: "t".into(),
            order: Some(1),
        };
        keywords.insert(&row).await.unwrap();
        let key = KeywordKey {
            key: "k".into(),
            r#type: "t".into(),
        };
        assert_eq!(row.key(), key);
        assert_eq!(keywords.get(&key).await.unwrap(), Some(row.clone()));
        keywords
            .delete_partition(&row.partition_key())
            .await
            .unwrap();
        assert_eq!(keywords.get(&key).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn update_writes_only_the_patch_and_on_update() {
    with_keyspace("repo_update", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let row = full_order(7, 1);
        orders.insert(&row).await.unwrap();
        let key = row.key();
        assert_eq!(orders.get(&key).await.unwrap().unwrap().updated_at, None);

        let before = Utc::now() - Duration::from_secs(1);
        let patch = OrderPatch::default()
            .status(OrderStatus::Shipped)
            .quantity(9)
            .weight(None)
            .tags(["z".to_owned()].into());
        orders.update(&key, &patch).await.unwrap();
        let read = orders.get(&key).await.unwrap().unwrap();
        let updated_at = read.updated_at.expect("`@on_update(now)` is set");
        assert!(updated_at >= before, "{updated_at} < {before}");
        // Only the patched columns (and `updated_at`) changed.
        let expected = Order {
            status: OrderStatus::Shipped,
            quantity: 9,
            weight: None,
            tags: ["z".to_owned()].into(),
            updated_at: Some(updated_at),
            ..row.clone()
        };
        assert_eq!(read, expected);

        // An empty patch still moves `updated_at` forward, nothing else.
        tokio::time::sleep(Duration::from_millis(5)).await;
        orders.update(&key, &OrderPatch::default()).await.unwrap();
        let again = orders.get(&key).await.unwrap().unwrap();
        assert!(again.updated_at.unwrap() > updated_at);
        assert_eq!(
            Order {
                updated_at: Some(updated_at),
                ..again
            },
            expected
        );

        // Without `@on_update` columns, an empty patch writes nothing (not
        // even a row).
        let keywords = db.keyword();
        let key = KeywordKey {
            key: "k".into(),
            r#type: "t".into(),
        };
        keywords
            .update(&key, &KeywordPatch::default())
            .await
            .unwrap();
        assert_eq!(keywords.get(&key).await.unwrap(), None);
        keywords
            .update(&key, &KeywordPatch::default().order(Some(3)))
            .await
            .unwrap();
        assert_eq!(
            keywords.get(&key).await.unwrap(),
            Some(Keyword {
                key: "k".into(),
                r#type: "t".into(),
                order: Some(3),
            })
        );
        keywords
            .update(&key, &KeywordPatch::default().order(None))
            .await
            .unwrap();
        // A CQL update writes no row marker: with its only non-key column
        // null, a row made by updates is gone.
        assert_eq!(keywords.get(&key).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn partition_range_bounds_order_and_limit() {
    with_keyspace("repo_range", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let rows: Vec<Order> = (0..10).map(|n| sparse_order(8, n)).collect();
        for row in &rows {
            orders.insert(row).await.unwrap();
        }
        let partition = rows[0].partition_key();
        let options = Options::new().page_size(2);
        let range = |from: Bound<CqlTimeuuid>,
                     to: Bound<CqlTimeuuid>,
                     order: SortOrder,
                     limit: Option<i32>| {
            let partition = partition.clone();
            async move {
                orders
                    .with(options)
                    .partition_range(&partition, from, to, order, limit)
                    .await
                    .unwrap()
                    .try_collect::<Vec<Order>>()
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|row| row.id)
                    .collect::<Vec<_>>()
            }
        };
        let ids =
            |indexes: &[usize]| -> Vec<Uuid> { indexes.iter().map(|i| rows[*i].id).collect() };
        let at = |i: usize| rows[i].placed_at;

        let asc = range(
            Bound::Included(at(3)),
            Bound::Excluded(at(7)),
            SortOrder::Asc,
            None,
        );
        assert_eq!(asc.await, ids(&[3, 4, 5, 6]));
        let desc = range(
            Bound::Included(at(3)),
            Bound::Excluded(at(7)),
            SortOrder::Desc,
            None,
        );
        assert_eq!(desc.await, ids(&[6, 5, 4, 3]));
        let limited = range(
            Bound::Included(at(3)),
            Bound::Excluded(at(7)),
            SortOrder::Asc,
            Some(3),
        );
        assert_eq!(limited.await, ids(&[3, 4, 5]));
        let limited = range(
            Bound::Included(at(3)),
            Bound::Excluded(at(7)),
            SortOrder::Desc,
            Some(2),
        );
        assert_eq!(limited.await, ids(&[6, 5]));
        let other = range(
            Bound::Excluded(at(3)),
            Bound::Included(at(7)),
            SortOrder::Asc,
            None,
        );
        assert_eq!(other.await, ids(&[4, 5, 6, 7]));
        let open = range(
            Bound::Unbounded,
            Bound::Excluded(at(2)),
            SortOrder::Desc,
            None,
        );
        assert_eq!(open.await, ids(&[1, 0]));
        let all = range(Bound::Unbounded, Bound::Unbounded, SortOrder::Asc, Some(20));
        assert_eq!(all.await, ids(&(0..10).collect::<Vec<_>>()));
    })
    .await;
}

#[tokio::test]
async fn batches_across_repositories() {
    with_keyspace("repo_batch", |session| async move {
        let db = db(session).await;
        let first = full_order(9, 1);
        let second = sparse_order(10, 2);
        let keyword = Keyword {
            key: "batch".into(),
            r#type: "t".into(),
            order: None,
        };
        let mut batch = db.batch_logged();
        batch.insert(&first).insert(&second).insert(&keyword);
        assert_eq!(batch.len(), 3);
        batch.run().await.unwrap();
        assert_eq!(
            db.order().get(&first.key()).await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(
            db.order().get(&second.key()).await.unwrap(),
            Some(second.clone())
        );
        assert_eq!(
            db.keyword().get(&keyword.key()).await.unwrap(),
            Some(keyword.clone())
        );

        let mut batch = db.batch_unlogged();
        batch
            .delete(&first.key())
            .delete(&second.key())
            .delete(&keyword.key());
        batch
            .with(Options::new().consistency(Consistency::One))
            .run()
            .await
            .unwrap();
        assert_eq!(db.order().get(&first.key()).await.unwrap(), None);
        assert_eq!(db.order().get(&second.key()).await.unwrap(), None);
        assert_eq!(db.keyword().get(&keyword.key()).await.unwrap(), None);

        // An empty batch does nothing.
        db.batch_logged().run().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn per_call_options() {
    with_keyspace("repo_options", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let row = full_order(11, 1);
        orders.insert(&row).await.unwrap();
        let read = Options::new()
            .consistency(Consistency::One)
            .timeout(Duration::from_secs(5));
        assert_eq!(
            orders.with(read).get(&row.key()).await.unwrap(),
            Some(row.clone())
        );
        let write = Options::new()
            .consistency(Consistency::One)
            .timeout(Duration::from_secs(5));
        orders.with(write).delete(&row.key()).await.unwrap();
        assert_eq!(orders.with(read).get(&row.key()).await.unwrap(), None);

        // A consistency the single node can't meet fails the call.
        let err = orders
            .with(Options::new().consistency(Consistency::Three))
            .get(&row.key())
            .await
            .expect_err("THREE replicas on one node");
        assert!(matches!(err, Error::Execute { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn hostile_strings_are_data_in_keys_and_values() {
    with_keyspace("repo_hostile", |session| async move {
        let db = db(session).await;
        let keywords = db.keyword();
        let hostile = [
            "'; DROP TABLE \"order\"; --",
            "\"quoted\" and 'single' and \\backslash\\",
            "line one\nline two\ttab",
            "ünïcödé ✓ 日本語 🦀",
        ];
        for (n, text) in hostile.iter().enumerate() {
            let row = Keyword {
                key: (*text).to_owned(),
                r#type: format!("{text}#{n}"),
                order: Some(n as i32),
            };
            keywords.insert(&row).await.unwrap();
            assert_eq!(keywords.get(&row.key()).await.unwrap(), Some(row));
        }
        // The tables are all still there and hold exactly these rows.
        let all: Vec<Keyword> = keywords.scan().await.unwrap().try_collect().await.unwrap();
        assert_eq!(all.len(), hostile.len());
        assert!(db.order().scan().await.is_ok());

        // An empty partition key is Cassandra's refusal, reported with the
        // statement; an empty clustering value is fine.
        let empty = Keyword {
            key: String::new(),
            r#type: "t".into(),
            order: None,
        };
        let err = keywords.insert(&empty).await.unwrap_err();
        assert!(err.to_string().contains("Key may not be empty"), "{err}");
        assert!(err.to_string().contains("INSERT INTO"), "{err}");
        let empty_clustering = Keyword {
            key: "k".into(),
            r#type: String::new(),
            order: None,
        };
        keywords.insert(&empty_clustering).await.unwrap();
        assert_eq!(
            keywords.get(&empty_clustering.key()).await.unwrap(),
            Some(empty_clustering)
        );
    })
    .await;
}

#[tokio::test]
async fn rows_written_with_a_ttl_expire() {
    with_keyspace("repo_ttl_expiry", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        let row = full_order(9, 0);
        orders
            .with(Options::new().ttl(1))
            .insert(&row)
            .await
            .unwrap();
        assert_eq!(orders.get(&row.key()).await.unwrap(), Some(row.clone()));
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        assert_eq!(
            orders.get(&row.key()).await.unwrap(),
            None,
            "expired after 1 s"
        );
    })
    .await;
}

#[tokio::test]
async fn update_with_ttl_and_timestamp() {
    with_keyspace("repo_update_with", |session| async move {
        let db = db(session).await;
        let keywords = db.keyword();
        let row = Keyword {
            key: "u".into(),
            r#type: "t".into(),
            order: Some(1),
        };
        keywords
            .with(Options::new().timestamp(2_000))
            .insert(&row)
            .await
            .unwrap();

        // An update with an older write time loses to the newer insert.
        let patch = KeywordPatch::default().order(Some(2));
        keywords
            .with(Options::new().timestamp(1_000))
            .update(&row.key(), &patch)
            .await
            .unwrap();
        assert_eq!(keywords.get(&row.key()).await.unwrap(), Some(row.clone()));

        // A newer one wins; with a TTL, its column expires and the row
        // (kept by the insert's row marker) stays with a null there.
        keywords
            .with(Options::new().timestamp(3_000).ttl(1))
            .update(&row.key(), &patch)
            .await
            .unwrap();
        assert_eq!(
            keywords.get(&row.key()).await.unwrap().unwrap().order,
            Some(2)
        );
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        assert_eq!(
            keywords.get(&row.key()).await.unwrap(),
            Some(Keyword {
                order: None,
                ..row.clone()
            })
        );

        // The statement with `USING` and the one without are distinct.
        let orders = db.order();
        let order = full_order(12, 1);
        orders.insert(&order).await.unwrap();
        orders
            .with(Options::new())
            .update(&order.key(), &OrderPatch::default().quantity(5))
            .await
            .unwrap();
        orders
            .update(&order.key(), &OrderPatch::default().quantity(6))
            .await
            .unwrap();
        assert_eq!(orders.get(&order.key()).await.unwrap().unwrap().quantity, 6);
    })
    .await;
}

#[tokio::test]
async fn updates_in_batches() {
    with_keyspace("repo_batch_update", |session| async move {
        let db = db(session).await;
        let first = full_order(13, 1);
        let second = full_order(14, 2);
        let keyword = Keyword {
            key: "batch".into(),
            r#type: "t".into(),
            order: None,
        };
        db.order().insert(&first).await.unwrap();
        db.order().insert(&second).await.unwrap();

        let before = Utc::now() - Duration::from_secs(1);
        let mut batch = db.batch_logged();
        batch
            .update(&first.key(), &OrderPatch::default().quantity(41))
            .update(
                &second.key(),
                &OrderPatch::default()
                    .status(OrderStatus::Cancelled)
                    .notes(vec![]),
            )
            .update(&keyword.key(), &KeywordPatch::default().order(Some(7)))
            // Nothing to set: not added.
            .update(&keyword.key(), &KeywordPatch::default());
        assert_eq!(batch.len(), 3);
        batch.run().await.unwrap();

        let read = db.order().get(&first.key()).await.unwrap().unwrap();
        assert!(read.updated_at.unwrap() >= before);
        assert_eq!(
            read,
            Order {
                quantity: 41,
                updated_at: read.updated_at,
                ..first.clone()
            }
        );
        let read = db.order().get(&second.key()).await.unwrap().unwrap();
        assert_eq!(
            read,
            Order {
                status: OrderStatus::Cancelled,
                notes: vec![],
                updated_at: read.updated_at,
                ..second.clone()
            }
        );
        assert_eq!(
            db.keyword().get(&keyword.key()).await.unwrap(),
            Some(Keyword {
                order: Some(7),
                ..keyword
            })
        );
    })
    .await;
}

#[tokio::test]
async fn partition_slices_over_every_clustering_column() {
    with_keyspace("repo_slice", |session| async move {
        let db = db(session).await;
        let orders = db.order();
        // Three times, three ids each: clustering (placed_at desc, id asc).
        let ids: Vec<Uuid> = (1..=3_u128).map(Uuid::from_u128).collect();
        let mut rows = Vec::new();
        for t in 1..=3_u64 {
            for id in &ids {
                let mut row = sparse_order(20, t);
                row.placed_at = timeuuid(t * 1_000, 1);
                row.id = *id;
                orders.insert(&row).await.unwrap();
                rows.push(row);
            }
        }
        let partition = rows[0].partition_key();
        let slice = |from: Bound<&OrderClustering>, to: Bound<&OrderClustering>, order, limit| {
            let orders = db.order();
            let partition = partition.clone();
            let from = from.map(Clone::clone);
            let to = to.map(Clone::clone);
            async move {
                orders
                    .with(Options::default().page_size(2))
                    .partition_slice(&partition, from.as_ref(), to.as_ref(), order, limit)
                    .await
                    .unwrap()
                    .map_ok(|row: Order| (row.placed_at, row.id.as_u128()))
                    .try_collect::<Vec<_>>()
                    .await
                    .unwrap()
            }
        };
        let at = |t: u64, id: u128| OrderClustering {
            placed_at: timeuuid(t * 1_000, 1),
            id: Uuid::from_u128(id),
        };
        let key = |t: u64, id: u128| (timeuuid(t * 1_000, 1), id);

        // Everything, in the table's clustering order and reversed.
        let all = slice(Bound::Unbounded, Bound::Unbounded, SortOrder::Desc, None).await;
        assert_eq!(
            all,
            [3, 2, 1]
                .into_iter()
                .flat_map(|t| (1..=3).map(move |id| key(t, id)))
                .collect::<Vec<_>>()
        );
        let reversed = slice(Bound::Unbounded, Bound::Unbounded, SortOrder::Asc, None).await;
        assert_eq!(reversed, all.iter().rev().copied().collect::<Vec<_>>());

        // A tuple bound compares each column in its type's order.
        let above = slice(
            Bound::Excluded(&at(2, 2)),
            Bound::Unbounded,
            SortOrder::Asc,
            None,
        )
        .await;
        assert_eq!(above, vec![key(2, 3), key(3, 3), key(3, 2), key(3, 1)]);
        let between = slice(
            Bound::Included(&at(1, 2)),
            Bound::Included(&at(2, 2)),
            SortOrder::Desc,
            Some(10),
        )
        .await;
        assert_eq!(between, vec![key(2, 1), key(2, 2), key(1, 2), key(1, 3)]);
        let limited = slice(
            Bound::Excluded(&at(1, 1)),
            Bound::Excluded(&at(3, 3)),
            SortOrder::Desc,
            Some(3),
        )
        .await;
        assert_eq!(limited, vec![key(3, 1), key(3, 2), key(2, 1)]);
        assert_eq!(rows[0].clustering(), at(1, 1));
    })
    .await;
}

#[tokio::test]
async fn the_schema_statements_set_up_any_keyspace_again_and_again() {
    with_keyspace("setup_any", |session| async move {
        // A keyspace whose name needs quoting, beside the test's own.
        let keyspace = format!("{}_Copy", session.keyspace().unwrap());
        session
            .run_ddl(&format!(
                "CREATE KEYSPACE \"{keyspace}\" WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
            ))
            .await
            .unwrap();
        for _ in 0..2 {
            for statement in corm_examples::generated::SCHEMA_STATEMENTS {
                session.run_ddl(&statement.text(&keyspace)).await.unwrap();
            }
        }
        let db = corm_examples::generated::Db::new(session.clone(), keyspace.clone());
        let customer = corm_examples::generated::Customer::new(
            "copy@example.com".to_owned(),
            "Ada Lovelace".to_owned(),
            Default::default(),
        );
        db.customer().insert(&customer).await.unwrap();
        assert_eq!(
            db.customer().get(&customer.key()).await.unwrap(),
            Some(customer)
        );
        session
            .run_ddl(&format!("DROP KEYSPACE \"{keyspace}\""))
            .await
            .unwrap();
    })
    .await;
}
