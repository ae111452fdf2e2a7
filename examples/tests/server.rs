//! The example server over real HTTP, against a real node: after a known
//! workload through the generated code, `/metrics` has corm's series with
//! the right counts (slow requests too, with a threshold of zero; a lost
//! `insert_if_not_exists`, a taken `@unique` email and a refused
//! `@validate` value), `/report` summarises the same calls, and `/ready`
//! says the node answers.

mod common;

use corm::testing::with_keyspace;
use corm_examples::generated::{Customer, Db};
use corm_examples::server::{AppState, install_recorder, router};

/// The value of the sample `name{labels}` in Prometheus's text format.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (metric, rest) = series.split_once('{').unwrap_or((series, ""));
            let all_labels = labels
                .iter()
                .all(|(key, value)| rest.contains(&format!("{key}=\"{value}\"")));
            (metric == name && all_labels).then(|| value.parse().ok())?
        })
}

#[tokio::test]
async fn metrics_count_a_known_workload_and_ready_answers() {
    let prometheus = install_recorder().unwrap_or_else(|e| panic!("{e}"));
    with_keyspace("example_server", |session| async move {
        let keyspace = session.keyspace().unwrap_or_default();
        common::db(session.clone()).await;
        // Every request counts as slow here, so that the counter moves.
        let db = Db::new(
            session.with_slow_request_threshold(Some(std::time::Duration::ZERO)),
            keyspace,
        );
        let orders: Vec<_> = (0..3).map(|_| common::order()).collect();
        for order in &orders {
            db.order()
                .insert(order)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let mut missing = orders[1].key();
        missing.customer_id = corm::Uuid::new_v4();
        for key in [orders[0].key(), missing] {
            db.order().get(&key).await.unwrap_or_else(|e| panic!("{e}"));
        }
        // A lost conditional insert, a taken unique email, a refused value.
        let written = db.order().insert_if_not_exists(&orders[0]).await;
        assert!(!written.unwrap_or_else(|e| panic!("{e}")));
        let customer = |email: &str| {
            Customer::new(
                email.to_owned(),
                "Ada Lovelace".to_owned(),
                Default::default(),
            )
        };
        db.customer()
            .insert(&customer("ada@example.com"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let taken = db.customer().insert(&customer("ada@example.com")).await;
        assert!(
            matches!(taken, Err(corm::Error::Unique { .. })),
            "{taken:?}"
        );
        let refused = db.customer().insert(&customer("not an email")).await;
        assert!(
            matches!(refused, Err(corm::Error::Validation(_))),
            "{refused:?}"
        );
        // A write that fails (THREE replicas can't answer on one node)
        // counts as an error, and as slow as any other request.
        let failed = db
            .order()
            .with(corm::Options::new().consistency(corm::Consistency::Three))
            .delete(&orders[2].key())
            .await;
        assert!(
            matches!(failed, Err(corm::Error::Execute { .. })),
            "{failed:?}"
        );

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let app = router(AppState {
            db: db.clone(),
            prometheus,
        });
        let server = tokio::spawn(async move { axum_serve(listener, app).await });
        let client = reqwest::Client::new();
        let get = |path: &str| {
            let request = client.get(format!("http://{address}{path}"));
            async move {
                let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
                let status = response.status().as_u16();
                (
                    status,
                    response.text().await.unwrap_or_else(|e| panic!("{e}")),
                )
            }
        };

        let (status, ready) = get("/ready").await;
        assert_eq!(status, 200, "{ready}");
        let lines: Vec<&str> = ready.lines().collect();
        assert_eq!(lines.len(), 2, "{ready}");
        assert_eq!(lines[0], "ready");
        assert!(lines[1].starts_with("127.0.0.1:9042 up "), "{ready}");
        let (status, count) = get(&format!("/customers/{}/orders", orders[2].customer_id)).await;
        assert_eq!((status, count.as_str()), (200, "1\n"));
        let (status, _) = get("/customers/not-a-uuid/orders").await;
        assert_eq!(status, 400);

        let (status, text) = get("/metrics").await;
        assert_eq!(status, 200);
        // Counted from the process's sockets at the scrape: the node's pool
        // and, to one node, the control connection.
        let connections = sample(&text, "corm_connections", &[("node", "127.0.0.1:9042")]);
        assert!(connections.is_some_and(|count| count >= 1.0), "{text}");
        let requests = |table: &str, operation: &str| {
            sample(
                &text,
                "corm_requests_total",
                &[
                    ("table", table),
                    ("operation", operation),
                    ("outcome", "ok"),
                ],
            )
        };
        assert_eq!(requests("order", "insert"), Some(3.0), "{text}");
        assert_eq!(requests("order", "get"), Some(2.0), "{text}");
        assert_eq!(requests("order", "partition"), Some(1.0), "{text}");
        // The get that found its row read one; the other none.
        assert_eq!(
            sample(
                &text,
                "corm_rows_read_total",
                &[("table", "order"), ("operation", "get")]
            ),
            Some(1.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "corm_requests_in_flight",
                &[("table", "order"), ("operation", "insert")]
            ),
            Some(0.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "corm_request_duration_seconds_count",
                &[("table", "order"), ("operation", "insert")]
            ),
            Some(3.0),
            "{text}"
        );
        assert_eq!(
            sample(
                &text,
                "corm_slow_requests_total",
                &[("table", "order"), ("operation", "insert")]
            ),
            Some(3.0),
            "{text}"
        );
        for (name, labels) in [
            (
                "corm_lwt_rejected_total",
                &[("table", "order"), ("operation", "insert_if_not_exists")][..],
            ),
            (
                "corm_unique_conflicts_total",
                &[("model", "Customer"), ("field", "email")][..],
            ),
            (
                "corm_validation_failures_total",
                &[("model", "Customer")][..],
            ),
        ] {
            assert_eq!(sample(&text, name, labels), Some(1.0), "{name}: {text}");
        }

        let (status, report) = get("/report").await;
        assert_eq!(status, 200);
        let row = |name: &str| {
            report
                .lines()
                .find(|line| line.split_whitespace().next() == Some(name))
                .map(|line| line.split_whitespace().skip(1).take(3).collect::<Vec<_>>())
        };
        assert_eq!(
            row("order.insert"),
            Some(vec!["3", "0.0%", "0"]),
            "{report}"
        );
        assert_eq!(row("order.get"), Some(vec!["2", "0.0%", "0"]), "{report}");
        let report = corm::report();
        let gets = report
            .operation("order", "get")
            .unwrap_or_else(|| panic!("{report}"));
        assert_eq!((gets.calls, gets.errors, gets.slow), (2, 0, 2));
        let deletes = report
            .operation("order", "delete")
            .unwrap_or_else(|| panic!("{report}"));
        assert_eq!((deletes.calls, deletes.errors, deletes.slow), (1, 1, 1));
        assert!(gets.max >= gets.mean && gets.mean > std::time::Duration::ZERO);
        server.abort();
    })
    .await;
}

/// Serves `app` on `listener` until the test ends.
async fn axum_serve(listener: tokio::net::TcpListener, app: axum::Router) {
    axum::serve(listener, app)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}
