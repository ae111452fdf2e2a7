//! corm's spans exported over OTLP/HTTP (`corm_examples::otlp`) to a
//! local receiver that speaks the protocol's JSON encoding, as a collector
//! would receive them: after a known workload through the generated code,
//! the receiver holds an `order.get` and an `order.insert` span of kind
//! client with the database attributes of the request.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::routing::post;
use corm::testing::with_keyspace;
use corm_examples::generated::Db;
use tracing_subscriber::layer::SubscriberExt;

mod common;

/// The bodies the receiver was sent, as JSON.
type Received = Arc<Mutex<Vec<serde_json::Value>>>;

async fn receive(State(received): State<Received>, body: String) -> &'static str {
    let value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    received
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(value);
    "{}"
}

/// An exported span: its name, kind and attributes (as text).
type Exported = (String, i64, Vec<(String, String)>);

/// Every exported span.
fn spans(received: &Received) -> Vec<Exported> {
    let bodies = received
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let mut spans = Vec::new();
    for body in &bodies {
        for resource in body["resourceSpans"].as_array().into_iter().flatten() {
            for scope in resource["scopeSpans"].as_array().into_iter().flatten() {
                for span in scope["spans"].as_array().into_iter().flatten() {
                    let attributes = span["attributes"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|attribute| {
                            let value = &attribute["value"];
                            let text = value["stringValue"]
                                .as_str()
                                .map(str::to_owned)
                                .or_else(|| value["intValue"].as_str().map(str::to_owned))
                                .or_else(|| value["intValue"].as_i64().map(|n| n.to_string()))?;
                            Some((attribute["key"].as_str()?.to_owned(), text))
                        })
                        .collect();
                    spans.push((
                        span["name"].as_str().unwrap_or_default().to_owned(),
                        span["kind"].as_i64().unwrap_or_default(),
                        attributes,
                    ));
                }
            }
        }
    }
    spans
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_reach_an_otlp_receiver() {
    let received = Received::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let app = Router::new()
        .route("/v1/traces", post(receive))
        .with_state(Arc::clone(&received));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let provider = corm_examples::otlp::provider(&format!("http://{address}/v1/traces"))
        .unwrap_or_else(|e| panic!("{e}"));
    let subscriber = tracing_subscriber::registry().with(corm_examples::otlp::layer(&provider));
    let _default = tracing::subscriber::set_global_default(subscriber);

    let flushing = provider.clone();
    with_keyspace("example_otlp", |session| async move {
        let keyspace = session.keyspace().unwrap_or_default();
        let db: Db = common::db(session).await;
        let order = common::order();
        db.order()
            .insert(&order)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let found = db
            .order()
            .get(&order.key())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(found.is_some());

        // The batch exporter sends on its own thread; flush it and wait.
        tokio::task::spawn_blocking(move || flushing.force_flush())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));

        let spans = spans(&received);
        let attribute = |attributes: &[(String, String)], key: &str| {
            attributes
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
        };
        for operation in ["insert", "get"] {
            let name = format!("order.{operation}");
            let (_, kind, attributes) = spans
                .iter()
                .find(|(span, _, _)| *span == name)
                .unwrap_or_else(|| panic!("no {name} among {spans:#?}"));
            assert_eq!(*kind, 3, "{name}: SPAN_KIND_CLIENT");
            assert_eq!(
                attribute(attributes, "db.system.name").as_deref(),
                Some("cassandra")
            );
            assert_eq!(
                attribute(attributes, "db.namespace"),
                Some(keyspace.clone())
            );
            assert_eq!(
                attribute(attributes, "db.collection.name").as_deref(),
                Some("order")
            );
            assert_eq!(
                attribute(attributes, "db.operation.name").as_deref(),
                Some(operation)
            );
            assert_eq!(
                attribute(attributes, "server.address").as_deref(),
                Some("127.0.0.1")
            );
        }
    })
    .await;
    let closing = provider.clone();
    tokio::task::spawn_blocking(move || closing.shutdown())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    server.abort();
}
