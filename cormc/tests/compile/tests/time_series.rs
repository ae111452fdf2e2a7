//! A time series through the code generated for the `time_series` fixture,
//! against a real node: points across 30 hourly buckets read back over a
//! range in both directions, with limits, on bucket boundaries, over empty
//! buckets; the newest point; an upsert at the same time; bad ranges; the
//! table's TTL and compaction, and a point's TTL expiring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use corm::chrono::{DateTime, Duration, TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::timeseries::Direction;
use corm::{Error, Session, TryStreamExt};
use corm_codegen_fixtures::time_series::{Cpu, CpuSeries, Db};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
}

fn point(series: &CpuSeries, at: DateTime<Utc>, busy: f64) -> Cpu {
    Cpu {
        host: series.host.clone(),
        core: series.core,
        ts: at,
        busy,
        note: None,
    }
}

async fn range(
    db: &Db,
    series: &CpuSeries,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    direction: Direction,
    limit: Option<usize>,
) -> Vec<DateTime<Utc>> {
    db.cpu()
        .range(series, from..to, direction, limit)
        .await
        .unwrap()
        .map_ok(|point| point.ts)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn ranges_walk_the_buckets_in_order() {
    with_keyspace("time_series", |session| async move {
        let db = db(session).await;
        let series = CpuSeries {
            host: "web-1".to_owned(),
            core: 0,
        };
        let other = CpuSeries {
            host: "web-2".to_owned(),
            core: 0,
        };
        // Every 20 minutes for 30 hours, but hours 10 to 12 are empty; one
        // point exactly on each hour's boundary.
        let mut times = Vec::new();
        for minute in (0..30 * 60).step_by(20) {
            let at = t0() + Duration::minutes(minute);
            if (10 * 60..13 * 60).contains(&minute) {
                continue;
            }
            times.push(at);
            db.cpu()
                .write(&point(&series, at, minute as f64))
                .await
                .unwrap();
        }
        db.cpu()
            .write(&point(&other, t0() + Duration::hours(6), 1.0))
            .await
            .unwrap();

        let (from, to) = (t0() + Duration::hours(5), t0() + Duration::hours(17));
        let expected: Vec<DateTime<Utc>> = times
            .iter()
            .copied()
            .filter(|t| *t >= from && *t < to)
            .collect();
        assert_eq!(expected.len(), 9 * 3, "12 hours less 3 empty ones");
        assert_eq!(
            range(&db, &series, from, to, Direction::Ascending, None).await,
            expected
        );
        let mut newest_first = expected.clone();
        newest_first.reverse();
        assert_eq!(
            range(&db, &series, from, to, Direction::Descending, None).await,
            newest_first
        );
        // A point lies on `to` and one on `from`: the read leaves out the
        // first and keeps the second.
        assert!(times.contains(&to) && times.contains(&from));
        let read = range(&db, &series, from, to, Direction::Ascending, None).await;
        assert!(!read.contains(&to) && read.contains(&from));
        // Limits across buckets.
        assert_eq!(
            range(&db, &series, from, to, Direction::Ascending, Some(5)).await,
            expected[..5]
        );
        assert_eq!(
            range(&db, &series, from, to, Direction::Descending, Some(4)).await,
            newest_first[..4]
        );
        // A range inside one bucket, and an empty one.
        let inside = range(
            &db,
            &series,
            t0() + Duration::minutes(125),
            t0() + Duration::minutes(170),
            Direction::Ascending,
            None,
        )
        .await;
        assert_eq!(
            inside,
            vec![t0() + Duration::minutes(140), t0() + Duration::minutes(160)]
        );
        assert!(
            range(&db, &series, from, from, Direction::Ascending, None)
                .await
                .is_empty()
        );
        // Small pages: the same points.
        let paged: Vec<DateTime<Utc>> = db
            .cpu()
            .with(corm::Options::new().page_size(2))
            .range(&series, from..to, Direction::Ascending, None)
            .await
            .unwrap()
            .map_ok(|point| point.ts)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(paged, expected);

        // The newest point at or before a time, across empty buckets.
        let latest = db
            .cpu()
            .latest_before(&series, t0() + Duration::minutes(12 * 60 + 50), 5)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(latest.ts, t0() + Duration::minutes(9 * 60 + 40));
        assert!(
            db.cpu()
                .latest_before(&series, t0() + Duration::minutes(12 * 60 + 50), 2)
                .await
                .unwrap()
                .is_none(),
            "looks back 2 buckets only"
        );

        // The same series and time: one point, the last written.
        let at = t0() + Duration::hours(3);
        let mut again = point(&series, at, 99.5);
        again.note = Some("rewritten".to_owned());
        db.cpu().write(&again).await.unwrap();
        let read = range(
            &db,
            &series,
            at,
            at + Duration::seconds(1),
            Direction::Ascending,
            None,
        )
        .await;
        assert_eq!(read, vec![at]);

        // A range that ends before it starts is refused, nothing read.
        let refused = db
            .cpu()
            .range(&series, to..from, Direction::Ascending, None)
            .await;
        assert!(matches!(refused, Err(Error::InvalidTime { .. })));
    })
    .await;
}

#[tokio::test]
async fn ttl_and_compaction_come_from_the_schema() {
    with_keyspace("time_series_table", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        let (ttl, compaction): (i32, std::collections::HashMap<String, String>) = session
            .query(
                "SELECT default_time_to_live, compaction FROM system_schema.tables \
                 WHERE keyspace_name = ? AND table_name = 'cpu'",
                (keyspace.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert_eq!(ttl, 2 * 86_400);
        assert!(compaction["class"].ends_with("TimeWindowCompactionStrategy"));
        assert_eq!(compaction["compaction_window_unit"], "HOURS");
        assert_eq!(compaction["compaction_window_size"], "1");
        let series = CpuSeries {
            host: "db-1".to_owned(),
            core: 3,
        };
        db.cpu()
            .with(corm::Options::new().ttl(60))
            .write(&point(&series, t0(), 1.0))
            .await
            .unwrap();
        let (left,): (Option<i32>,) = session
            .query("SELECT TTL(busy) FROM cpu", ())
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert!(matches!(left, Some(50..=60)), "{left:?}");
        // A point written to live one second is gone after it.
        let brief = point(&series, t0() + Duration::minutes(1), 2.0);
        db.cpu()
            .with(corm::Options::new().ttl(1))
            .write(&brief)
            .await
            .unwrap();
        let window = (t0(), t0() + Duration::hours(1));
        let before = range(&db, &series, window.0, window.1, Direction::Ascending, None).await;
        assert_eq!(before, [t0(), brief.ts]);
        tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
        let after = range(&db, &series, window.0, window.1, Direction::Ascending, None).await;
        assert_eq!(after, [t0()]);
    })
    .await;
}

#[tokio::test]
async fn write_many_lands_every_point_in_its_bucket() {
    with_keyspace("time_series_bulk", |session| async move {
        let db = db(session).await;
        let series: Vec<CpuSeries> = (0..5)
            .map(|core| CpuSeries {
                host: "batch-1".to_owned(),
                core,
            })
            .collect();
        // Three hours of one point a minute per series, interleaved.
        let points: Vec<Cpu> = (0..180)
            .flat_map(|minute| {
                series
                    .iter()
                    .map(move |s| point(s, t0() + Duration::minutes(minute), f64::from(s.core)))
            })
            .collect();
        let report = db.cpu().write_many(points).await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.written, 900);
        for s in &series {
            let read = range(
                &db,
                s,
                t0(),
                t0() + Duration::hours(3),
                Direction::Ascending,
                None,
            )
            .await;
            let expected: Vec<DateTime<Utc>> = (0..180)
                .map(|minute| t0() + Duration::minutes(minute))
                .collect();
            assert_eq!(read, expected);
        }

        // Over a stream, the earliest time chrono holds included (its bucket
        // is a CQL timestamp too).
        let late = CpuSeries {
            host: "batch-2".to_owned(),
            core: 0,
        };
        let points = vec![
            point(&late, t0(), 1.0),
            point(&late, DateTime::<Utc>::MIN_UTC, 2.0),
            point(&late, t0() + Duration::hours(5), 3.0),
        ];
        let report = db
            .cpu()
            .write_stream(corm::futures::stream::iter(points))
            .await
            .unwrap();
        assert!(report.is_complete(), "{report:?}");
        assert_eq!(report.written, 3);
        let read = range(
            &db,
            &late,
            t0(),
            t0() + Duration::days(1),
            Direction::Ascending,
            None,
        )
        .await;
        assert_eq!(read, [t0(), t0() + Duration::hours(5)]);
        let earliest = db
            .cpu()
            .latest_before(&late, DateTime::<Utc>::MIN_UTC, 1)
            .await
            .unwrap();
        assert_eq!(earliest.map(|p| p.busy), Some(2.0));
    })
    .await;
}

#[tokio::test]
async fn scan_parallel_reads_every_point_once() {
    with_keyspace("time_series_scan", |session| async move {
        let db = db(session).await;
        // 12 series over 48 hourly buckets: 576 partitions.
        let points: Vec<Cpu> = (0..12)
            .flat_map(|core| {
                let series = CpuSeries {
                    host: format!("scan-{}", core % 3),
                    core,
                };
                (0..48 * 4).map(move |quarter| {
                    point(
                        &series,
                        t0() + Duration::minutes(15 * quarter),
                        f64::from(core),
                    )
                })
            })
            .collect();
        let report = db.cpu().write_many(points.clone()).await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        let key = |p: &Cpu| (p.host.clone(), p.core, p.ts);
        let expected: std::collections::BTreeSet<_> = points.iter().map(key).collect();
        for scan in [
            corm::ParallelScan::default().splits(1).concurrency(1),
            corm::ParallelScan::default().splits(32).concurrency(8),
        ] {
            let scanned: Vec<_> = db
                .cpu()
                .with(corm::Options::new().page_size(50))
                .scan_parallel(scan)
                .await
                .unwrap()
                .map_ok(|p| key(&p))
                .try_collect()
                .await
                .unwrap();
            assert_eq!(
                scanned.len(),
                points.len(),
                "{scan:?}: a point twice or missing"
            );
            assert_eq!(
                scanned
                    .into_iter()
                    .collect::<std::collections::BTreeSet<_>>(),
                expected
            );
        }
    })
    .await;
}
