//! Rollups through the code generated for the `time_series` fixture,
//! against a real node: every interval's count, sum, mean, minimum and
//! maximum equal a computation in the test over the same points, for
//! intervals narrower than a bucket, equal to it, wider than it and not
//! dividing it; nulls are left out of a field's summary; bad intervals
//! and ranges are refused before anything is read.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use corm::chrono::{DateTime, Duration, TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::timeseries::Summary;
use corm::{BigDecimal, BigInt, Error, Session};
use corm_codegen_fixtures::time_series::{Db, Requests, RequestsRollup, RequestsSeries};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap()
}

/// A point every 37 minutes for 20 days (crossing 20 daily buckets at
/// varying offsets), values from a small generator; every fourth point
/// leaves the optional fields null. Floats are multiples of 1/4, so every
/// sum is exact in any order.
fn generate(series: &RequestsSeries) -> Vec<Requests> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |modulus: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % modulus
    };
    (0..(20 * 24 * 60 / 37))
        .map(|i| {
            let hits = i32::try_from(next(1_000)).unwrap() - 300;
            let present = i % 4 != 0;
            let quarters = i32::try_from(next(4_000)).unwrap();
            Requests {
                route: series.route.clone(),
                ts: t0() + Duration::minutes(37 * i),
                // Near the top of an `int`: Cassandra's own sum would wrap.
                hits: i32::MAX - 1_000 + hits,
                bytes: i64::MAX / 4 + i64::try_from(next(1 << 40)).unwrap(),
                revenue: present.then(|| BigDecimal::new(next(100_000).into(), 2)),
                latency: present.then(|| f32::from(u16::try_from(quarters).unwrap()) / 4.0),
                retries: present.then(|| i8::try_from(next(5)).unwrap()),
                errors: present.then(|| i16::try_from(next(300)).unwrap() - 100),
                score: present.then(|| f64::from(quarters) / 4.0 - 500.0),
                big: present.then(|| BigInt::from(next(1 << 60)) * BigInt::from(1_000_000_u64)),
                label: present.then(|| format!("p{i}")),
            }
        })
        .collect()
}

/// `values` summarised as a rollup should (nulls left out), computed here
/// without the runtime's merging.
fn summarise<T>(values: impl Iterator<Item = Option<T>>, sum: impl Fn(&T) -> T::Sum) -> Summary<T>
where
    T: corm::timeseries::Summable,
    T::Sum: std::ops::Add<Output = T::Sum>,
{
    let values: Vec<T> = values.flatten().collect();
    let total = values
        .iter()
        .fold(T::Sum::default(), |total, value| total + sum(value));
    let pick = |better: std::cmp::Ordering| {
        values.iter().fold(None::<T>, |best, value| match best {
            Some(best) if value.partial_cmp(&best) != Some(better) => Some(best),
            _ => Some(value.clone()),
        })
    };
    Summary {
        count: i64::try_from(values.len()).unwrap(),
        sum: total,
        min: pick(std::cmp::Ordering::Less),
        max: pick(std::cmp::Ordering::Greater),
    }
}

/// The rollup of `points` in `[from, to)` per `interval` (epoch-aligned),
/// computed here.
fn expected(
    points: &[Requests],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    interval: Duration,
) -> Vec<RequestsRollup> {
    let width = interval.num_milliseconds();
    let mut groups: BTreeMap<i64, Vec<&Requests>> = BTreeMap::new();
    for point in points.iter().filter(|p| p.ts >= from && p.ts < to) {
        let millis = point.ts.timestamp_millis();
        groups
            .entry(millis - millis.rem_euclid(width))
            .or_default()
            .push(point);
    }
    groups
        .into_iter()
        .map(|(start, group)| RequestsRollup {
            start: DateTime::from_timestamp_millis(start).unwrap(),
            points: i64::try_from(group.len()).unwrap(),
            hits: summarise(group.iter().map(|p| Some(p.hits)), |v| i64::from(*v)),
            bytes: summarise(group.iter().map(|p| Some(p.bytes)), |v| i128::from(*v)),
            revenue: summarise(group.iter().map(|p| p.revenue.clone()), Clone::clone),
            latency: summarise(group.iter().map(|p| p.latency), |v| f64::from(*v)),
            retries: summarise(group.iter().map(|p| p.retries), |v| i64::from(*v)),
            errors: summarise(group.iter().map(|p| p.errors), |v| i64::from(*v)),
            score: summarise(group.iter().map(|p| p.score), |v| *v),
            big: summarise(group.iter().map(|p| p.big.clone()), Clone::clone),
        })
        .collect()
}

#[tokio::test]
async fn rollups_equal_a_computation_over_the_same_points() {
    with_keyspace("time_series_rollup", |session| async move {
        let db = db(session).await;
        let series = RequestsSeries {
            route: "/checkout".to_owned(),
        };
        let other = RequestsSeries {
            route: "/home".to_owned(),
        };
        let points = generate(&series);
        let report = db.requests().write_many(points.clone()).await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        // Another series' points in the same buckets stay out.
        let noise: Vec<Requests> = generate(&other).into_iter().take(200).collect();
        db.requests().write_many(noise).await.unwrap();

        let cases = [
            // Narrower than a bucket, the whole data.
            (t0(), t0() + Duration::days(20), Duration::hours(1)),
            // A bucket wide, from mid-bucket to mid-bucket.
            (
                t0() + Duration::hours(30),
                t0() + Duration::hours(300),
                Duration::days(1),
            ),
            // Wider than a bucket: merged from several buckets.
            (
                t0() - Duration::days(3),
                t0() + Duration::days(25),
                Duration::days(7),
            ),
            // Dividing a bucket, from a time that is not on an interval.
            (
                t0() + Duration::minutes(5),
                t0() + Duration::days(9),
                Duration::minutes(90),
            ),
            // Not dividing a bucket: intervals straddle bucket edges.
            (
                t0() + Duration::days(2),
                t0() + Duration::days(5),
                Duration::hours(17),
            ),
            (t0(), t0() + Duration::days(20), Duration::hours(7)),
        ];
        for (from, to, interval) in cases {
            let rollup = db
                .requests()
                .rollup(&series, from..to, interval)
                .await
                .unwrap();
            let expected = expected(&points, from, to, interval);
            assert!(!expected.is_empty());
            assert_eq!(rollup, expected, "{from}..{to} per {interval}");
        }
        let day = db
            .requests()
            .rollup(&series, t0()..t0() + Duration::days(1), Duration::days(1))
            .await
            .unwrap();
        let first = &day[0];
        assert_eq!(first.points, 39);
        // The mean comes from the exact sum.
        let mean = first.hits.mean().unwrap();
        assert!((mean - first.hits.sum as f64 / 39.0).abs() < 1e-9);
        assert!(first.hits.sum > i64::from(i32::MAX));
        assert_eq!(first.revenue.count, 29);

        // Before 1970 (Cassandra's two-argument `floor` refuses those
        // times; intervals are still aligned to the epoch).
        let old = RequestsSeries {
            route: "/1969".to_owned(),
        };
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        let before: Vec<Requests> = generate(&old)
            .into_iter()
            .map(|mut point| {
                point.ts = point.ts - (t0() - epoch) - Duration::days(10);
                point
            })
            .collect();
        let report = db.requests().write_many(before.clone()).await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        for (from, to, interval) in [
            (
                epoch - Duration::days(8),
                epoch + Duration::days(3),
                Duration::hours(5),
            ),
            (
                epoch - Duration::days(10),
                epoch + Duration::days(10),
                Duration::days(1),
            ),
        ] {
            let rollup = db
                .requests()
                .rollup(&old, from..to, interval)
                .await
                .unwrap();
            let expected = expected(&before, from, to, interval);
            assert!(expected.first().is_some_and(|first| first.start < epoch));
            assert_eq!(rollup, expected, "{from}..{to} per {interval}");
        }

        // An empty range, and a range with no points, have no intervals.
        let empty = db
            .requests()
            .rollup(&series, t0()..t0(), Duration::hours(1))
            .await
            .unwrap();
        assert!(empty.is_empty());
        let before = t0() - Duration::days(10);
        let none = db
            .requests()
            .rollup(&series, before..t0(), Duration::hours(1))
            .await
            .unwrap();
        assert!(none.is_empty());
    })
    .await;
}

#[tokio::test]
async fn bad_intervals_and_ranges_are_refused() {
    with_keyspace("time_series_rollup_bad", |session| async move {
        let db = db(session).await;
        let series = RequestsSeries {
            route: "/".to_owned(),
        };
        let (from, to) = (t0(), t0() + Duration::days(1));
        for interval in [
            Duration::zero(),
            Duration::hours(-1),
            Duration::microseconds(1_500),
        ] {
            let refused = db.requests().rollup(&series, from..to, interval).await;
            assert!(
                matches!(refused, Err(Error::InvalidTime { .. })),
                "{interval}: {refused:?}"
            );
        }
        let backwards = db
            .requests()
            .rollup(&series, to..from, Duration::hours(1))
            .await;
        assert!(matches!(backwards, Err(Error::InvalidTime { .. })));
        let far = DateTime::<Utc>::MAX_UTC;
        let outside = db
            .requests()
            .rollup(&series, from..far, Duration::hours(1))
            .await;
        assert!(
            matches!(outside, Err(Error::InvalidTime { .. })),
            "{outside:?}"
        );
    })
    .await;
}
