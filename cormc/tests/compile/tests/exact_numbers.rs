//! `decimal` and `varint` through the code generated for the
//! `exact_numbers` fixture, against a real node: exact round trips (negative
//! scales, values beyond 2^64, a map keyed by decimals), `range` and
//! `one_of` validation, and a client-side aggregate's exact `sum`, `avg`,
//! `min`, `max` and `having`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::str::FromStr;

use corm::testing::with_keyspace;
use corm::{BigDecimal, BigInt, Options, Session, Uuid};
use corm_codegen_fixtures::exact_numbers::{Db, Entry};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn decimal(text: &str) -> BigDecimal {
    BigDecimal::from_str(text).unwrap()
}

fn entry(account: Uuid, amount: BigDecimal) -> Entry {
    Entry::new(account, amount, BTreeMap::new())
}

#[tokio::test]
async fn decimals_and_varints_round_trip_exactly() {
    with_keyspace("exact_round_trip", |session| async move {
        let db = db(session).await;
        let mut row = entry(Uuid::new_v4(), BigDecimal::new(BigInt::from(-125), -2));
        // 2^70: beyond u64.
        row.units = Some(BigInt::from(1_u128 << 70));
        row.fee = Some(decimal("1.250"));
        row.rates = BTreeMap::from([
            (decimal("0.5"), "half".to_owned()),
            (
                BigDecimal::new(BigInt::from(-3), -4),
                "minus thirty thousand".to_owned(),
            ),
            (
                decimal("123456789012345678901234567890.123456789"),
                "long".to_owned(),
            ),
        ]);
        db.entry().insert(&row).await.unwrap();
        let read = db.entry().get(&row.key()).await.unwrap().unwrap();
        assert_eq!(read, row);
        // The same digits and scale, not merely an equal number.
        assert_eq!(
            read.amount.as_bigint_and_exponent(),
            (BigInt::from(-125), -2)
        );
        assert_eq!(read.units.unwrap().to_string(), "1180591620717411303424");
        let keys: Vec<String> = read.rates.keys().map(ToString::to_string).collect();
        assert_eq!(
            keys,
            ["-30000", "0.5", "123456789012345678901234567890.123456789"],
            "a map keyed by decimals, in numeric order"
        );
    })
    .await;
}

#[tokio::test]
async fn exact_bounds_are_validated_exactly() {
    with_keyspace("exact_validate", |session| async move {
        let db = db(session).await;
        let account = Uuid::new_v4();
        let mut row = entry(account, decimal("1000000.01"));
        row.units = Some(BigInt::from(-1));
        row.fee = Some(decimal("0.75"));
        let err = db.entry().insert(&row).await.unwrap_err();
        let violations = err.as_validation().unwrap_or_else(|| panic!("{err:?}"));
        assert!(
            violations.has("amount") && violations.has("units") && violations.has("fee"),
            "{violations}"
        );
        assert!(
            violations
                .to_string()
                .contains("is 1000000.01, not -1000000.00 to 1000000.00"),
            "{violations}"
        );

        // The bounds themselves are inside; 1.25 is 1.250.
        let mut row = entry(account, decimal("-1000000.00"));
        row.units = Some(BigInt::from(10).pow(24));
        row.fee = Some(decimal("1.250"));
        db.entry().insert(&row).await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn client_side_aggregates_add_up_exactly() {
    with_keyspace("exact_aggregate", |session| async move {
        let db = db(session).await;
        let (busy, quiet) = (Uuid::new_v4(), Uuid::new_v4());
        for (amount, units) in [
            ("10.10", Some(1_u128 << 70)),
            ("0.20", Some(1_u128 << 70)),
            ("0.7", None),
        ] {
            let mut row = entry(busy, decimal(amount));
            row.units = units.map(BigInt::from);
            db.entry().insert(&row).await.unwrap();
        }
        db.entry()
            .insert(&entry(quiet, decimal("10.5")))
            .await
            .unwrap();

        let totals = db
            .entry()
            .with(Options::default().page_size(2))
            .account_totals(busy)
            .await
            .unwrap();
        assert_eq!(totals.len(), 1);
        let totals = &totals[0];
        // 0.1 + 0.2 in binary floating point is 0.30000000000000004; here
        // every digit is kept.
        assert_eq!(totals.total, decimal("11.00"));
        assert_eq!(totals.smallest, decimal("0.20"));
        assert_eq!(totals.largest, decimal("10.10"));
        assert_eq!(totals.mean.round(20), decimal("3.66666666666666666667"));
        assert_eq!(totals.all_units, BigInt::from(1_u128 << 71));
        assert_eq!(
            totals.mean_units,
            BigInt::from(1_u128 << 70),
            "over the two rows with units"
        );

        // `having total > 10.5` keeps no group of exactly 10.5.
        let none = db.entry().account_totals(quiet).await.unwrap();
        assert!(none.is_empty(), "{none:?}");
    })
    .await;
}
