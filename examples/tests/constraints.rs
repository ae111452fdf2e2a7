//! Validation and `@unique` through the generated `Customer` repository of
//! `examples/schema.corm`, against a real node: every rule reported at once
//! and nothing written; unique emails claimed with a lightweight
//! transaction before the row is written, released on delete, moved on
//! update, and exactly one winner among 200 concurrent claims.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{db, order};
use corm::testing::with_keyspace;
use corm::{Error, Options, TryStreamExt};
use corm_examples::generated::{Customer, CustomerPatch, Db, OrderPatch};

fn customer(email: &str) -> Customer {
    Customer::new(
        email.to_owned(),
        "Ada Lovelace".to_owned(),
        Default::default(),
    )
}

/// The emails claimed in the lookup table, with their owners.
async fn claims(db: &Db) -> Vec<(String, corm::Uuid)> {
    let statement = format!(
        "SELECT email, id FROM \"{}\".customer_by_email",
        db.keyspace()
    );
    let mut rows: Vec<(String, corm::Uuid)> = db
        .session()
        .query(&statement, ())
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .rows::<(String, corm::Uuid)>()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort();
    rows
}

async fn count_rows(db: &Db) -> usize {
    db.customer()
        .scan()
        .await
        .unwrap()
        .try_collect::<Vec<Customer>>()
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn every_violation_is_reported_and_nothing_is_written() {
    with_keyspace("constraints_validate", |session| async move {
        let db = db(session).await;
        let customers = db.customer();
        let mut bad = customer("not an email");
        bad.name = "A".into();
        bad.age = Some(200);
        bad.website = Some("ftp://example.com".into());
        bad.code = Some("abc-1".into());
        bad.tier = "gold".into();
        bad.tags = (0..6).map(|n| format!("t{n}")).collect();
        bad.nickname = Some(String::new());

        let err = customers.insert(&bad).await.unwrap_err();
        let validation = err.as_validation().expect("a validation error");
        let fields: Vec<(&str, &str)> = validation
            .violations()
            .iter()
            .map(|v| (v.field, v.rule))
            .collect();
        assert_eq!(
            fields,
            [
                ("email", "email"),
                ("name", "length"),
                ("age", "range"),
                ("website", "url"),
                ("code", "regex"),
                ("tier", "one_of"),
                ("tags", "length"),
                ("nickname", "not_empty"),
            ]
        );
        assert!(
            err.to_string()
                .contains("`name` has 1 character, not 2 to 100"),
            "{err}"
        );
        assert_eq!(count_rows(&db).await, 0);
        assert!(
            claims(&db).await.is_empty(),
            "validation runs before the claim"
        );

        // The same through insert_if_not_exists, insert_with, a patch and a batch.
        assert!(
            customers
                .insert_if_not_exists(&bad)
                .await
                .unwrap_err()
                .as_validation()
                .is_some()
        );
        assert!(
            customers
                .with(Options::new().ttl(60))
                .insert(&bad)
                .await
                .unwrap_err()
                .as_validation()
                .is_some()
        );
        let good = customer("ada@example.com");
        customers.insert(&good).await.unwrap();
        let err = customers
            .update(
                &good.key(),
                &CustomerPatch::default().age(Some(-1)).name("B".into()),
            )
            .await
            .unwrap_err();
        assert_eq!(err.as_validation().unwrap().violations().len(), 2, "{err}");
        assert_eq!(customers.get(&good.key()).await.unwrap().unwrap().age, None);
        // Valid optional values and absent ones pass.
        let mut fine = customer("grace@example.com");
        fine.website = Some("https://example.com/grace".into());
        fine.code = Some("ABC-1234".into());
        fine.age = Some(85);
        customers.insert(&fine).await.unwrap();
        assert_eq!(count_rows(&db).await, 2);
    })
    .await;
}

#[tokio::test]
async fn unique_values_are_claimed_released_and_moved() {
    with_keyspace("constraints_unique", |session| async move {
        let db = db(session).await;
        let customers = db.customer();
        let ada = customer("ada@example.com");
        customers.insert(&ada).await.unwrap();
        assert_eq!(
            customers.find_by_email("ada@example.com").await.unwrap(),
            Some(ada.clone())
        );

        // Another row can't take the email; nothing of it is written.
        let copycat = customer("ada@example.com");
        let err = customers.insert(&copycat).await.unwrap_err();
        assert!(
            matches!(&err, Error::Unique { model: "Customer", field: "email", value } if value == "\"ada@example.com\""),
            "{err:?}"
        );
        assert_eq!(customers.get(&copycat.key()).await.unwrap(), None);
        assert!(!customers.insert_if_not_exists(&copycat).await.is_ok_and(|applied| applied));

        // Writing the same row again keeps its claim.
        customers.insert(&ada).await.unwrap();
        assert_eq!(claims(&db).await, vec![("ada@example.com".to_owned(), ada.id)]);

        // An update moves the claim: the new value is taken, the old freed.
        customers
            .update(&ada.key(), &CustomerPatch::default().email("ada@lovelace.org".into()))
            .await
            .unwrap();
        assert_eq!(claims(&db).await, vec![("ada@lovelace.org".to_owned(), ada.id)]);
        assert_eq!(customers.find_by_email("ada@example.com").await.unwrap(), None);
        customers.insert(&copycat).await.unwrap();
        assert_eq!(claims(&db).await.len(), 2);

        // An update to a taken value fails and changes nothing.
        let err = customers
            .update(&ada.key(), &CustomerPatch::default().email("ada@example.com".into()))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Unique { .. }), "{err:?}");
        assert_eq!(
            customers.get(&ada.key()).await.unwrap().unwrap().email,
            "ada@lovelace.org"
        );

        // An upsert with another email moves the claim as well.
        let mut renamed = customers.get(&ada.key()).await.unwrap().unwrap();
        renamed.email = "countess@example.com".into();
        customers.insert(&renamed).await.unwrap();
        assert!(claims(&db).await.contains(&("countess@example.com".to_owned(), ada.id)));
        assert!(!claims(&db).await.iter().any(|(email, _)| email == "ada@lovelace.org"));

        // A delete frees the email.
        customers.delete(&copycat.key()).await.unwrap();
        assert_eq!(claims(&db).await, vec![("countess@example.com".to_owned(), ada.id)]);

        // A write that fails after its claim gives the claim back: THREE
        // replicas can't answer on one node.
        let doomed = customer("doomed@example.com");
        let err = customers
            .with(Options::new().consistency(corm::Consistency::Three)).insert(&doomed)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Execute { .. }), "{err:?}");
        assert_eq!(claims(&db).await, vec![("countess@example.com".to_owned(), ada.id)]);
        assert_eq!(customers.get(&doomed.key()).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn a_claim_lives_as_long_as_its_row() {
    with_keyspace("constraints_ttl", |session| async move {
        let db = db(session).await;
        let customers = db.customer();
        let brief = customer("brief@example.com");
        // A TTL of 3 s: long enough for the claim to be read back even on a
        // node that has just started (1 s expired before the read there).
        customers
            .with(Options::new().ttl(3))
            .insert(&brief)
            .await
            .unwrap();
        assert_eq!(claims(&db).await.len(), 1);
        tokio::time::sleep(std::time::Duration::from_millis(4_500)).await;
        assert_eq!(customers.get(&brief.key()).await.unwrap(), None);
        assert!(
            claims(&db).await.is_empty(),
            "the claim expired with the row"
        );
        // So the email is free again.
        customers
            .insert(&customer("brief@example.com"))
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn two_hundred_concurrent_claims_have_one_winner() {
    with_keyspace("constraints_race", |session| async move {
        let db = db(session).await;
        let attempts: Vec<Customer> = (0..200).map(|_| customer("race@example.com")).collect();
        let results = futures_join_all(&db, &attempts).await;
        let winners: Vec<&Customer> = attempts
            .iter()
            .zip(&results)
            .filter(|(_, result)| result.is_ok())
            .map(|(attempt, _)| attempt)
            .collect();
        assert_eq!(winners.len(), 1, "exactly one insert wins");
        for result in &results {
            if let Err(err) = result {
                assert!(
                    matches!(err, Error::Unique { field: "email", .. }),
                    "every loser gets the typed error: {err:?}"
                );
            }
        }
        assert_eq!(count_rows(&db).await, 1);
        assert_eq!(
            claims(&db).await,
            vec![("race@example.com".to_owned(), winners[0].id)]
        );
    })
    .await;
}

/// Runs every insert at once (each on its own task).
async fn futures_join_all(db: &Db, rows: &[Customer]) -> Vec<corm::Result<()>> {
    let tasks: Vec<_> = rows
        .iter()
        .cloned()
        .map(|row| {
            let db = db.clone();
            tokio::spawn(async move { db.customer().insert(&row).await })
        })
        .collect();
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.unwrap_or_else(|e| panic!("task: {e}")));
    }
    results
}

#[tokio::test]
async fn vectors_a_cosine_index_cannot_take_are_refused_before_sending() {
    with_keyspace("constraints_vector", |session| async move {
        let db = db(session).await;
        let order = |embedding: [f32; 3]| {
            let mut row = order();
            row.embedding = Some(corm::Vector::from(embedding));
            row
        };
        for (embedding, message) in [
            ([0.0, 0.0, 0.0], "is the zero vector"),
            ([1.0, f32::NAN, 0.0], "has NaN at position 1"),
            ([f32::INFINITY, 1.0, 0.0], "has inf at position 0"),
        ] {
            let row = order(embedding);
            let err = db.order().insert(&row).await.unwrap_err();
            let violations = err.as_validation().unwrap_or_else(|| panic!("{err:?}"));
            assert!(violations.has("embedding"), "{violations}");
            assert!(violations.to_string().contains(message), "{violations}");
            assert_eq!(db.order().get(&row.key()).await.unwrap(), None);
        }
        // Without the check, the server's answer says nothing useful.
        let statement = format!(
            "INSERT INTO \"{}\".\"order\" (customer_id, placed_at, id, embedding) \
             VALUES (?, now(), ?, [0.0, 0.0, 0.0])",
            db.keyspace()
        );
        let raw = db
            .session()
            .query(&statement, (corm::Uuid::new_v4(), corm::Uuid::new_v4()))
            .await;
        assert!(raw.is_err(), "Cassandra refuses a zero vector under cosine");

        let fine = order([0.5, 0.0, 0.0]);
        db.order().insert(&fine).await.unwrap();
        let patch = OrderPatch::default().embedding(Some(corm::Vector::default()));
        let err = db.order().update(&fine.key(), &patch).await.unwrap_err();
        assert!(
            err.as_validation().is_some_and(|v| v.has("embedding")),
            "{err:?}"
        );
    })
    .await;
}
