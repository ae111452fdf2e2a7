//! Cancelled writes of a model with a `@unique` field (`Customer.email`)
//! never leave a value blocked: inserts, updates and deletes are dropped at
//! random points (timeouts from a microsecond up, as a `select!`, a client
//! disconnect or `tokio::time::timeout` would drop them), and afterwards
//! every email is either held by the row that has it or free for any row.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::db;
use corm::Uuid;
use corm::testing::with_keyspace;
use corm_examples::generated::{Customer, CustomerKey, CustomerPatch, Db};

/// How old a stale claim must be before another row takes it over: long
/// enough for a request still in flight from a dropped write to land.
const GRACE: Duration = Duration::from_millis(400);

#[tokio::test]
async fn cancelled_writes_leave_every_value_held_or_free() {
    with_keyspace("cancel_unique", |session| async move {
        let db = db(session.with_unique_claim_grace(GRACE)).await;
        let customers = db.customer();
        let ids: Vec<Uuid> = (0..6).map(|_| Uuid::new_v4()).collect();
        let emails: Vec<String> = (0..5).map(|i| format!("user{i}@example.com")).collect();
        let mut random = XorShift(0x9e37_79b9_7f4a_7c15);
        let (mut cancelled, mut finished) = (0, 0);
        for _ in 0..500 {
            let id = ids[random.below(ids.len())];
            let email = emails[random.below(emails.len())].clone();
            // Log-uniform from 1 µs to about 65 ms: most writes are cut
            // somewhere between their first and last request.
            let budget = Duration::from_nanos(1_000 << random.below(17));
            let operation = random.below(3);
            let outcome = tokio::time::timeout(budget, async {
                match operation {
                    0 => customers.insert(&customer(id, &email)).await,
                    1 => {
                        // Every required column, as an update of a deleted
                        // row creates it again.
                        let row = customer(id, &email);
                        let patch = CustomerPatch::default()
                            .email(row.email)
                            .name(row.name)
                            .tier(row.tier)
                            .created_at(row.created_at);
                        customers.update(&CustomerKey { id }, &patch).await
                    }
                    _ => customers.delete(&CustomerKey { id }).await,
                }
            })
            .await;
            match outcome {
                Err(_elapsed) => cancelled += 1,
                Ok(Ok(())) => finished += 1,
                Ok(Err(corm::Error::Unique { .. })) => finished += 1,
                Ok(Err(error)) => panic!("unexpected failure: {error}"),
            }
        }
        assert!(
            cancelled >= 100 && finished >= 60,
            "the run cancels many writes and finishes many: {cancelled} cancelled, {finished} finished"
        );

        // Requests of dropped writes that were on the wire have landed, and
        // every claim they left is past the grace period.
        tokio::time::sleep(GRACE * 3).await;
        let rows = rows(&db).await;
        let claims = claims(&db).await;
        let mut holders: BTreeMap<&str, Vec<Uuid>> = BTreeMap::new();
        for row in &rows {
            holders.entry(row.email.as_str()).or_default().push(row.id);
        }
        for (email, ids) in &holders {
            assert_eq!(ids.len(), 1, "one row holds {email}: {ids:?}");
            assert_eq!(
                claims.get(*email),
                Some(&Some(ids[0])),
                "{email} is claimed by the row that holds it"
            );
        }
        // Every email no row holds is free: a new row can take it, also
        // when a stale claim names a row that does not hold it.
        for email in &emails {
            if holders.contains_key(email.as_str()) {
                continue;
            }
            let newcomer = customer(Uuid::new_v4(), email);
            customers
                .insert(&newcomer)
                .await
                .unwrap_or_else(|e| panic!("{email} is free, claims {claims:?}: {e}"));
            assert_eq!(
                customers.find_by_email(email).await.unwrap(),
                Some(newcomer.clone())
            );
            customers.delete(&newcomer.key()).await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn a_fresh_claim_of_a_write_under_way_is_not_taken_over() {
    with_keyspace("cancel_fresh", |session| async move {
        let db = db(session.with_unique_claim_grace(Duration::from_secs(60))).await;
        let customers = db.customer();
        // A write cut right after its claim: the claim is there, the row not.
        let first = customer(Uuid::new_v4(), "fresh@example.com");
        cut_after_claim(&db, &first).await;
        assert_eq!(customers.get(&first.key()).await.unwrap(), None);
        assert_eq!(
            customers.find_by_email("fresh@example.com").await.unwrap(),
            None
        );

        // Within the grace period the claim may belong to a write still on
        // the wire, so another row is refused ...
        let second = customer(Uuid::new_v4(), "fresh@example.com");
        let err = customers.insert(&second).await.unwrap_err();
        assert!(matches!(err, corm::Error::Unique { .. }), "{err:?}");
        // ... while the row the claim is for can write it at once.
        customers.insert(&first).await.unwrap();
        assert_eq!(
            customers.find_by_email("fresh@example.com").await.unwrap(),
            Some(first.clone())
        );
        assert_eq!(
            claims(&db).await.get("fresh@example.com"),
            Some(&Some(first.id))
        );
    })
    .await;
}

/// Leaves what a write of `row` cut right after its claim leaves: the
/// claim in the lookup table, and no row.
async fn cut_after_claim(db: &Db, row: &Customer) {
    let statement = format!(
        "INSERT INTO \"{}\".customer_by_email(email, id, corm_claim) VALUES (?, ?, ?)",
        db.keyspace()
    );
    db.session()
        .query(&statement, (&row.email, row.id, Uuid::new_v4()))
        .await
        .unwrap();
}

fn customer(id: Uuid, email: &str) -> Customer {
    let mut row = Customer::new(
        email.to_owned(),
        "Ada Lovelace".to_owned(),
        Default::default(),
    );
    row.id = id;
    row
}

async fn rows(db: &Db) -> Vec<Customer> {
    use corm::TryStreamExt;
    db.customer()
        .scan()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

/// The lookup table: each claimed email with the row its claim names.
async fn claims(db: &Db) -> BTreeMap<String, Option<Uuid>> {
    let statement = format!(
        "SELECT email, id FROM \"{}\".customer_by_email",
        db.keyspace()
    );
    let result = db.session().query(&statement, ()).await.unwrap();
    result
        .into_rows_result()
        .unwrap()
        .rows::<(String, Option<Uuid>)>()
        .unwrap()
        .map(|row| row.unwrap())
        .collect()
}

/// A small deterministic generator, so that a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % bound as u64).unwrap()
    }
}
