//! Tracing beyond model repositories, against a real node: time series
//! (`cpu.write`, `cpu.latest`, `cpu.rollup`), event stores
//! (`account.append`, `account.append_any`, `account.version`,
//! `account.load_aggregate`, `account.projection`, the events table as the
//! collection), each page of a token-range scan (`scan.page`, with its
//! range and rows) and each request of a bulk insert (`batch.unlogged`)
//! have a `corm.request` span with OpenTelemetry's database attributes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/spans.rs"]
mod spans;

use corm::chrono::{Duration, TimeZone, Utc};
use corm::events::Aggregate;
use corm::serde::{Deserialize, Serialize};
use corm::testing::with_keyspace;
use corm::{BigDecimal, Options, ParallelScan, TryStreamExt, Uuid};
use corm_codegen_fixtures::event_store::{AccountEvent, account::Deposited};
use corm_codegen_fixtures::time_series::{Cpu, CpuSeries};
use spans::{Recorded, Spans};
use tracing_subscriber::layer::SubscriberExt;

fn subscriber(spans: &Spans) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::registry().with(spans.clone())
}

/// The one span named `name`, checked for the attributes every request
/// span has.
fn only(spans: &Spans, name: &str, keyspace: &str, table: &str, operation: &str) -> Recorded {
    let named = spans.named(name);
    assert_eq!(named.len(), 1, "{name}: {:#?}", spans.all());
    let span = named.into_iter().next().unwrap();
    assert_eq!(span.name, "corm.request");
    assert_eq!(span.field("db.system.name"), Some("cassandra"));
    assert_eq!(span.field("db.namespace"), Some(keyspace), "{span:?}");
    assert_eq!(span.field("db.collection.name"), Some(table), "{span:?}");
    assert_eq!(span.field("db.operation.name"), Some(operation), "{span:?}");
    assert_eq!(span.field("error.type"), None, "{span:?}");
    span
}

#[tokio::test]
async fn time_series_operations_have_spans() {
    with_keyspace("tracing_series", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let db = corm_codegen_fixtures::time_series::Db::new(session, keyspace.clone());
        db.setup().await.unwrap();
        let series = CpuSeries {
            host: "web-1".to_owned(),
            core: 0,
        };
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap();
        let spans = Spans::default();
        let _default = tracing::subscriber::set_default(subscriber(&spans));

        db.cpu()
            .write(&Cpu {
                host: series.host.clone(),
                core: series.core,
                ts: at,
                busy: 0.5,
                note: None,
            })
            .await
            .unwrap();
        let latest = db.cpu().latest_before(&series, at, 2).await.unwrap();
        assert!(latest.is_some());
        only(&spans, "cpu.write", &keyspace, "cpu", "write");
        let read = only(&spans, "cpu.latest", &keyspace, "cpu", "latest");
        assert_eq!(read.field("db.response.returned_rows"), Some("1"));
        assert!(read.field("server.address").is_some(), "{read:?}");
    })
    .await;
}

/// An account's balance, for `load_aggregate`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(crate = "corm::serde")]
struct Balance {
    deposits: u64,
}

impl Aggregate for Balance {
    type Event = AccountEvent;

    fn apply(&mut self, event: &AccountEvent) {
        if let AccountEvent::Deposited(_) = event {
            self.deposits += 1;
        }
    }
}

fn deposit() -> AccountEvent {
    Deposited {
        amount: BigDecimal::new(100.into(), 2),
        note: None,
        channel: None,
        at: None,
    }
    .into()
}

#[tokio::test]
async fn event_store_operations_have_spans() {
    with_keyspace("tracing_events", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let db = corm_codegen_fixtures::event_store::Db::new(session, keyspace.clone());
        db.setup().await.unwrap();
        let id = Uuid::new_v4();
        let spans = Spans::default();
        let _default = tracing::subscriber::set_default(subscriber(&spans));

        db.account().append(&id, 0, &[deposit()]).await.unwrap();
        db.account().append_any(&id, &[deposit()]).await.unwrap();
        let loaded = db.account().load_aggregate::<Balance>(&id).await.unwrap();
        assert_eq!(loaded.state.deposits, 2);
        let delivered = db
            .account()
            .projection("spans")
            .run_once(async |_, _| Ok(()))
            .await
            .unwrap();
        assert_eq!(delivered.delivered, 2);

        let table = "account_events";
        // `append_any` reads the version, then appends: both inside it.
        assert_eq!(spans.named("account.append").len(), 2);
        only(&spans, "account.append_any", &keyspace, table, "append_any");
        only(&spans, "account.version", &keyspace, table, "version");
        only(
            &spans,
            "account.load_aggregate",
            &keyspace,
            table,
            "load_aggregate",
        );
        only(&spans, "account.projection", &keyspace, table, "projection");
    })
    .await;
}

#[tokio::test]
async fn each_page_of_a_parallel_scan_has_a_span() {
    with_keyspace("tracing_scan", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let db = corm_codegen_fixtures::time_series::Db::new(session, keyspace.clone());
        db.setup().await.unwrap();
        let series = CpuSeries {
            host: "web-2".to_owned(),
            core: 1,
        };
        let start = Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap();
        for minute in 0..30 {
            db.cpu()
                .write(&Cpu {
                    host: series.host.clone(),
                    core: series.core,
                    ts: start + Duration::minutes(minute),
                    busy: 0.1,
                    note: None,
                })
                .await
                .unwrap();
        }
        let spans = Spans::default();
        let _default = tracing::subscriber::set_default(subscriber(&spans));
        let scan = ParallelScan {
            splits: 4,
            ..ParallelScan::default()
        };
        let points: Vec<Cpu> = db
            .cpu()
            .with(Options::new().page_size(10))
            .scan_parallel(scan)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(points.len(), 30);

        let pages = spans.named("scan.page");
        // Four ranges at least, and one page per 10 rows of each.
        assert!(pages.len() >= 4 + 2, "{pages:#?}");
        let mut rows = 0;
        for page in &pages {
            assert_eq!(page.field("db.namespace"), Some(keyspace.as_str()));
            assert_eq!(page.field("db.collection.name"), Some("cpu"));
            assert!(
                page.field("corm.token_range")
                    .is_some_and(|r| r.starts_with('('))
            );
            rows += page
                .field("db.response.returned_rows")
                .map_or(0, |n| n.parse::<usize>().unwrap());
        }
        assert_eq!(rows, 30, "{pages:#?}");
    })
    .await;
}

#[tokio::test]
async fn each_request_of_a_bulk_insert_has_a_span() {
    with_keyspace("tracing_bulk", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let db = corm_codegen_fixtures::time_series::Db::new(session, keyspace.clone());
        db.setup().await.unwrap();
        let start = Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap();
        let spans = Spans::default();
        let _default = tracing::subscriber::set_default(subscriber(&spans));
        // Three series of 20 points: rows of one partition go in one batch.
        let points = (0..60).map(|n| Cpu {
            host: format!("web-{}", n % 3),
            core: 0,
            ts: start + Duration::seconds(n),
            busy: 0.2,
            note: None,
        });
        let report = db.cpu().write_many(points).await.unwrap();
        assert_eq!(report.written, 60, "{:?}", report.failed.len());

        let batches = spans.named("batch.unlogged");
        assert!(!batches.is_empty(), "{:#?}", spans.all());
        let mut rows = 0;
        for batch in &batches {
            assert_eq!(batch.field("db.namespace"), Some(keyspace.as_str()));
            assert_eq!(batch.field("error.type"), None, "{batch:?}");
            assert_eq!(
                batch.field("server.address"),
                Some("127.0.0.1"),
                "{batch:?}"
            );
            rows += batch
                .field("db.operation.batch.size")
                .map_or(0, |n| n.parse::<usize>().unwrap());
        }
        assert_eq!(rows, 60, "{batches:#?}");
    })
    .await;
}
