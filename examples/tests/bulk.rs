//! Bulk ingest through the generated repositories of `examples/schema.corm`,
//! against a real node: `insert_many` writes the valid rows (grouped by
//! partition into unlogged batches), reports each invalid one with its
//! error and writes nothing of it, honours the repository's TTL, and for a
//! model with `@unique` fields claims row by row; `insert_stream` does the
//! same for rows that arrive over time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{db, order};
use corm::{BulkOptions, Error, Options, StreamExt, TryStreamExt, Uuid};
use corm_examples::generated::{Customer, Order, OrderPartition};

/// `count` orders of each of `customers` new customers.
fn orders(customers: usize, count: usize) -> Vec<Order> {
    (0..customers)
        .flat_map(|_| {
            let customer = Uuid::new_v4();
            (0..count).map(move |n| {
                let mut row = order();
                row.customer_id = customer;
                row.notes = vec![format!("order {n}"); 1 + n % 4];
                row
            })
        })
        .collect()
}

async fn stored(db: &corm_examples::generated::Db, customer: Uuid) -> Vec<Order> {
    db.order()
        .partition(&OrderPartition {
            customer_id: customer,
        })
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn valid_rows_land_and_invalid_ones_are_reported() {
    corm::testing::with_keyspace("bulk_orders", |session| async move {
        let db = db(session).await;
        let mut rows = orders(5, 60);
        // Three rows break a rule (a vector with a NaN): reported, not written.
        let mut bad_ids = BTreeSet::new();
        for index in [7, 130, 299] {
            rows[index].embedding = Some(corm::Vector::from([f32::NAN, 0.0, 1.0]));
            bad_ids.insert(rows[index].id);
        }
        let customers: BTreeSet<Uuid> = rows.iter().map(|row| row.customer_id).collect();
        // Small batches, so each partition's 60 rows take several.
        let bulk = BulkOptions {
            chunk: 100,
            batch_bytes: 2048,
            in_flight: 8,
        };
        let report = db
            .order()
            .insert_many_with(rows.clone(), bulk)
            .await
            .unwrap();
        assert_eq!(report.written, 297, "{report:?}");
        assert_eq!(report.failed_rows(), 3);
        let failed: BTreeSet<Uuid> = report
            .failed
            .iter()
            .flat_map(|failure| {
                assert!(
                    matches!(failure.error, Error::Validation(_)),
                    "{:?}",
                    failure.error
                );
                failure.rows.iter().map(|row| row.id)
            })
            .collect();
        assert_eq!(failed, bad_ids);
        let mut total = 0;
        for customer in customers {
            let stored = stored(&db, customer).await;
            assert!(stored.iter().all(|row| !bad_ids.contains(&row.id)));
            total += stored.len();
        }
        assert_eq!(total, 297);
    })
    .await;
}

#[tokio::test]
async fn rows_that_arrive_over_time_are_written_as_they_come() {
    corm::testing::with_keyspace("bulk_stream", |session| async move {
        let db = db(session).await;
        let mut rows = orders(4, 250);
        rows[512].embedding = Some(corm::Vector::from([f32::INFINITY, 0.0, 1.0]));
        let customers: BTreeSet<Uuid> = rows.iter().map(|row| row.customer_id).collect();
        // A pause every 37 rows: the writer takes what is ready, so its
        // chunks are cut by the stream as well as by the chunk size.
        let arriving =
            corm::futures::stream::iter(rows.into_iter().enumerate()).then(|(n, row)| async move {
                if n % 37 == 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                row
            });
        let report = db.order().insert_stream(arriving).await.unwrap();
        assert_eq!(report.written, 999, "{report:?}");
        assert_eq!(report.failed_rows(), 1);
        assert!(matches!(report.failed[0].error, Error::Validation(_)));
        let mut total = 0;
        for customer in customers {
            total += stored(&db, customer).await.len();
        }
        assert_eq!(total, 999);
    })
    .await;
}

#[tokio::test]
async fn the_ttl_of_the_options_reaches_every_row() {
    corm::testing::with_keyspace("bulk_ttl", |session| async move {
        let db = db(session.clone()).await;
        let rows = orders(2, 30);
        let report = db
            .order()
            .with(Options::new().ttl(900))
            .insert_many(rows.clone())
            .await
            .unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.written, 60);
        let statement = format!("SELECT TTL(quantity) FROM \"{}\".\"order\"", db.keyspace());
        let ttls: Vec<(Option<i32>,)> = session
            .query(&statement, ())
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows::<(Option<i32>,)>()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(ttls.len(), 60);
        assert!(
            ttls.iter().all(|(ttl,)| matches!(ttl, Some(890..=900))),
            "{ttls:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn unique_fields_are_claimed_row_by_row() {
    corm::testing::with_keyspace("bulk_unique", |session| async move {
        let db = db(session).await;
        let customer = |email: &str| {
            Customer::new(
                email.to_owned(),
                "Ada Lovelace".to_owned(),
                Default::default(),
            )
        };
        let rows = vec![
            customer("a@example.com"),
            customer("b@example.com"),
            customer("a@example.com"),
            customer("not an email"),
            customer("c@example.com"),
        ];
        let report = db.customer().insert_many(rows).await;
        assert_eq!(report.written, 3, "{report:?}");
        assert_eq!(report.failed_rows(), 2);
        assert!(
            report
                .failed
                .iter()
                .any(|f| matches!(f.error, Error::Unique { .. }))
        );
        assert!(
            report
                .failed
                .iter()
                .any(|f| matches!(f.error, Error::Validation(_)))
        );
        let stored: Vec<Customer> = db
            .customer()
            .scan()
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(stored.len(), 3);

        // The same rules over a stream.
        let more =
            corm::futures::stream::iter(vec![customer("d@example.com"), customer("b@example.com")]);
        let report = db.customer().insert_stream(more).await;
        assert_eq!(report.written, 1, "{report:?}");
        assert!(matches!(report.failed[0].error, Error::Unique { .. }));
    })
    .await;
}
