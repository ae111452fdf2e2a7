//! `Repository::scan_parallel` through the code generated for the
//! `composite_key` fixture (a partition key of two columns, so the scan
//! reads `token(sensor, day)`), against a real node: every one of 100,000
//! rows exactly once, with one range at a time and with many at once; and
//! with a slow consumer, the heap stays bounded by a few pages instead of
//! growing with the table (measured with a counting allocator).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::alloc::System;
use std::collections::BTreeSet;

use cap::Cap;

use corm::chrono::{NaiveDate, TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::{Options, ParallelScan, Session, StreamExt, TryStreamExt};
use corm_codegen_fixtures::composite_key::{Db, Reading};

/// Rows written: 4,000 partitions of 25 rows.
const PARTITIONS: u32 = 4_000;
const PER_PARTITION: i32 = 25;

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn reading(partition: u32, seq: i32) -> Reading {
    Reading::new(
        format!("sensor-{}", partition % 40),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            + corm::chrono::Days::new(u64::from(partition / 40)),
        Utc.timestamp_opt(1_700_000_000 + i64::from(seq), 0)
            .unwrap(),
        seq,
        f64::from(seq),
    )
}

type Key = (String, NaiveDate, i32);

fn key(row: &Reading) -> Key {
    (row.sensor.clone(), row.day, row.seq)
}

async fn scanned(db: &Db, scan: ParallelScan, page_size: i32) -> Vec<Key> {
    db.reading()
        .with(Options::new().page_size(page_size))
        .scan_parallel(scan)
        .await
        .unwrap()
        .map_ok(|row| key(&row))
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_row_once_with_one_range_or_many() {
    with_keyspace("parallel_scan", |session| async move {
        let db = db(session).await;
        let rows: Vec<Reading> = (0..PARTITIONS)
            .flat_map(|p| (0..PER_PARTITION).map(move |seq| reading(p, seq)))
            .collect();
        let report = db.reading().insert_many(rows.clone()).await.unwrap();
        assert!(report.is_complete(), "{report:?}");
        let expected: BTreeSet<Key> = rows.iter().map(key).collect();
        assert_eq!(expected.len(), rows.len());

        for (scan, page_size) in [
            (ParallelScan::default(), 100),
            (ParallelScan::default().splits(1).concurrency(1), 1000),
            (ParallelScan::default().splits(64).concurrency(8), 7),
        ] {
            let keys = scanned(&db, scan, page_size).await;
            assert_eq!(keys.len(), rows.len(), "{scan:?}: a row twice or missing");
            assert_eq!(
                keys.into_iter().collect::<BTreeSet<_>>(),
                expected,
                "{scan:?}"
            );
        }

        // The heap a consumer needs to hold every row, against what a slow
        // one makes the scan hold (sampled at every row it takes): a scan
        // that read ahead of its consumer would grow toward the first.
        let scan = ParallelScan::default().splits(16).concurrency(4);
        let base = HEAP.allocated();
        let all: Vec<Reading> = db
            .reading()
            .with(Options::new().page_size(100))
            .scan_parallel(scan)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let whole_table = HEAP.allocated().saturating_sub(base);
        assert_eq!(all.len(), rows.len());
        drop(all);

        let base = HEAP.allocated();
        let mut slow = 0;
        let mut stream = std::pin::pin!(
            db.reading()
                .with(Options::new().page_size(100))
                .scan_parallel(scan)
                .await
                .unwrap()
        );
        let mut read = 0_usize;
        while let Some(row) = stream.next().await {
            row.unwrap();
            read += 1;
            // A full stop after the first row (a scan that read ahead
            // would fill the heap meanwhile), then a slow pace.
            let pause = if read == 1 {
                Some(1_000)
            } else {
                read.is_multiple_of(250).then_some(5)
            };
            if let Some(millis) = pause {
                tokio::time::sleep(std::time::Duration::from_millis(millis)).await;
            }
            slow = slow.max(HEAP.allocated().saturating_sub(base));
        }
        assert_eq!(read, rows.len());
        assert!(
            slow * 8 < whole_table,
            "a slow consumer's scan held {slow} bytes at its peak; all rows take {whole_table}"
        );
    })
    .await;
}

/// The system allocator, counting the bytes it holds.
#[global_allocator]
static HEAP: Cap<System> = Cap::new(System, usize::MAX);
