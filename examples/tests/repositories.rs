//! The generated repositories of `examples/schema.corm` against a real node:
//! the schema is created from the generated `SCHEMA_STATEMENTS` in a
//! keyspace of the test's own, then rows go through `Db`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use corm::chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::{
    Counter, CqlDecimal, CqlDuration, CqlTimeuuid, CqlVarint, Error, ReadOptions, Session,
    TryStreamExt, Uuid, WriteOptions,
};
use corm_examples::generated::{
    Address, Db, Keyword, KeywordKey, Order, OrderPartition, OrderStatus, PageViews, PageViewsKey,
    PageViewsPartition, SCHEMA_STATEMENTS,
};

/// A `Db` on the test keyspace, with the schema created in it.
async fn db(session: Session) -> Db {
    for statement in SCHEMA_STATEMENTS {
        session.run_ddl(statement).await.unwrap();
    }
    let keyspace = session.keyspace().expect("the test keyspace");
    Db::new(session, keyspace)
}

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
        exact_total: Some(CqlDecimal::from_signed_be_bytes_and_exponent(
            vec![0xff, 0x0d, 0x2f],
            3,
        )),
        big_number: Some(CqlVarint::from_signed_bytes_be(vec![
            0x01, 0, 0, 0, 0, 0, 0, 0, 0x01,
        ])),
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
        embedding: Some(vec![0.5, -1.25, 3.0]),
        history: vec![address("0 Old Rd"), address("1 Main St")],
        statuses: [OrderStatus::Pending, OrderStatus::Paid].into(),
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
        let options = ReadOptions::new().page_size(5);
        let read: Vec<Order> = orders
            .partition(&partition, &options)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        // `placed_at desc`: newest first.
        let expected: Vec<Order> = rows.iter().rev().cloned().collect();
        assert_eq!(read, expected);

        let all: Vec<Order> = orders
            .scan(&options)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(all.len(), 18);

        let err = orders
            .partition(&partition, &ReadOptions::new().page_size(0))
            .await
            .err()
            .expect("a page size of 0 is refused");
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
            .partition(&rows[0].partition_key(), &ReadOptions::new())
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

#[tokio::test]
async fn insert_with_ttl_and_timestamp() {
    with_keyspace("repo_ttl", |session| async move {
        let db = db(session.clone()).await;
        let orders = db.order();
        let ttl_and_time = session
            .prepare(
                "SELECT TTL(total_cents), WRITETIME(total_cents) FROM \"order\" \
                 WHERE customer_id = ? AND placed_at = ? AND id = ?",
            )
            .await
            .unwrap();

        let row = full_order(7, 0);
        let timestamp = 1_700_000_000_000_000;
        let options = WriteOptions::new().ttl(3600).timestamp(timestamp);
        orders.insert_with(&row, &options).await.unwrap();
        let (ttl, written) = session
            .execute_first::<(Option<i32>, Option<i64>)>(&ttl_and_time, row.key())
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(ttl, Some(3590..=3600)), "{ttl:?}");
        assert_eq!(written, Some(timestamp));
        assert_eq!(orders.get(&row.key()).await.unwrap(), Some(row));

        // No options: no TTL.
        let plain = full_order(7, 1);
        orders
            .insert_with(&plain, &WriteOptions::new())
            .await
            .unwrap();
        let (ttl, _) = session
            .execute_first::<(Option<i32>, Option<i64>)>(&ttl_and_time, plain.key())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(ttl, None);
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
            .partition(&partition, &ReadOptions::new())
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
