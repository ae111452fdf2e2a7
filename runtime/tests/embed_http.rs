//! The HTTP embedder against a real local server that speaks the
//! OpenAI-compatible `/v1/embeddings` protocol (axum on a loopback port):
//! batching, order, the key, retries of 503 and 429 with `Retry-After`, no
//! retry of 401, timeouts, and answers of the wrong shape.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use corm::Vector;
use corm::embed::{EmbedError, Embedder, HttpEmbedder, HttpEmbedderConfig, embed, embed_one};
use serde_json::{Value, json};

const DIMENSIONS: usize = 8;

/// The server's vector of a text: deterministic, from its bytes.
fn vector_of(text: &str) -> Vec<f32> {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        state = (state ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..DIMENSIONS)
        .map(|i| {
            state = state.rotate_left(7).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ i as u64;
            (state >> 40) as f32 / (1_u64 << 24) as f32 - 0.5
        })
        .collect()
}

/// What the server does, and what it saw.
#[derive(Default)]
struct Behaviour {
    /// Answer the first this many requests with 503.
    unavailable: AtomicUsize,
    /// Then this many with 429 and `Retry-After: 1`.
    limited: AtomicUsize,
    /// Requests received.
    requests: AtomicUsize,
    /// The largest batch received.
    largest: AtomicUsize,
    /// Answer with vectors of this length instead (0: the right one).
    wrong_length: AtomicUsize,
    /// Sleep this many milliseconds before answering.
    delay_ms: AtomicUsize,
}

async fn embeddings(
    State(behaviour): State<Arc<Behaviour>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    behaviour.requests.fetch_add(1, Ordering::SeqCst);
    let delay = behaviour.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay as u64)).await;
    }
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some("Bearer test-key") {
        return (StatusCode::UNAUTHORIZED, "bad key").into_response();
    }
    if behaviour
        .unavailable
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    }
    if behaviour
        .limited
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", "1")],
            "slow down",
        )
            .into_response();
    }
    let inputs: Vec<String> = body["input"]
        .as_array()
        .unwrap()
        .iter()
        .map(|text| text.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(body["model"], "test-model");
    behaviour.largest.fetch_max(inputs.len(), Ordering::SeqCst);
    let wrong = behaviour.wrong_length.load(Ordering::SeqCst);
    // The answer lists the vectors in reverse: the client must use `index`.
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .rev()
        .map(|(index, text)| {
            let mut vector = vector_of(text);
            if wrong > 0 {
                vector.resize(wrong, 0.0);
            }
            json!({ "object": "embedding", "index": index, "embedding": vector })
        })
        .collect();
    Json(json!({ "object": "list", "model": "test-model", "data": data })).into_response()
}

/// A server on a free loopback port, and its base URL.
async fn server(behaviour: Arc<Behaviour>) -> String {
    let app = Router::new()
        .route("/v1/embeddings", post(embeddings))
        .with_state(behaviour);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}/v1")
}

fn config(base: &str) -> HttpEmbedderConfig {
    let mut config = HttpEmbedderConfig::new(base, "test-model", DIMENSIONS);
    config.api_key = Some("test-key".to_owned());
    config.batch = 8;
    config.backoff = Duration::from_millis(10);
    config
}

#[tokio::test]
async fn texts_are_batched_and_come_back_in_order() {
    let behaviour = Arc::new(Behaviour::default());
    let base = server(behaviour.clone()).await;
    let embedder = HttpEmbedder::new(config(&base)).unwrap();
    let texts: Vec<String> = (0..20).map(|n| format!("sentence number {n}")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors = embed::<DIMENSIONS>(&embedder, &refs).await.unwrap();
    assert_eq!(vectors.len(), 20);
    for (text, vector) in texts.iter().zip(&vectors) {
        assert_eq!(vector.as_slice(), vector_of(text).as_slice());
    }
    // 20 texts in batches of 8: three requests, none larger.
    assert_eq!(behaviour.requests.load(Ordering::SeqCst), 3);
    assert_eq!(behaviour.largest.load(Ordering::SeqCst), 8);
    let one: Vector<DIMENSIONS> = embed_one(&embedder, "hello").await.unwrap();
    assert_eq!(one.as_slice(), vector_of("hello").as_slice());
    assert_eq!(embedder.model(), "test-model");
    // The key is not printed.
    assert!(!format!("{embedder:?}").contains("test-key"));
}

#[tokio::test]
async fn busy_and_rate_limited_answers_are_retried() {
    let behaviour = Arc::new(Behaviour::default());
    behaviour.unavailable.store(2, Ordering::SeqCst);
    behaviour.limited.store(1, Ordering::SeqCst);
    let base = server(behaviour.clone()).await;
    let embedder = HttpEmbedder::new(config(&base)).unwrap();
    let started = std::time::Instant::now();
    let vector: Vector<DIMENSIONS> = embed_one(&embedder, "again").await.unwrap();
    assert_eq!(vector.as_slice(), vector_of("again").as_slice());
    // Two 503s, one 429 (which asked for a second's wait), then success.
    assert_eq!(behaviour.requests.load(Ordering::SeqCst), 4);
    assert!(started.elapsed() >= Duration::from_secs(1));

    // More failures than retries: the last status comes back.
    behaviour.unavailable.store(10, Ordering::SeqCst);
    let mut few = config(&base);
    few.retries = 2;
    let embedder = HttpEmbedder::new(few).unwrap();
    let error = embed_one::<DIMENSIONS>(&embedder, "no").await.unwrap_err();
    assert!(
        matches!(error, EmbedError::Status { status: 503, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn refusals_are_not_retried_and_bad_answers_are_caught() {
    let behaviour = Arc::new(Behaviour::default());
    let base = server(behaviour.clone()).await;
    let mut keyless = config(&base);
    keyless.api_key = Some("wrong".to_owned());
    let embedder = HttpEmbedder::new(keyless).unwrap();
    let error = embed_one::<DIMENSIONS>(&embedder, "x").await.unwrap_err();
    assert!(
        matches!(error, EmbedError::Status { status: 401, .. }),
        "{error:?}"
    );
    assert_eq!(behaviour.requests.load(Ordering::SeqCst), 1);

    // Vectors of another length than the model's.
    behaviour.wrong_length.store(5, Ordering::SeqCst);
    let embedder = HttpEmbedder::new(config(&base)).unwrap();
    let error = embed_one::<DIMENSIONS>(&embedder, "x").await.unwrap_err();
    assert!(
        matches!(
            error,
            EmbedError::Dimension {
                expected: 8,
                found: 5,
                ..
            }
        ),
        "{error:?}"
    );
    behaviour.wrong_length.store(0, Ordering::SeqCst);
    // A `Vector<N>` of another N than the embedder's dimension.
    let error = embed_one::<4>(&embedder, "x").await.unwrap_err();
    assert!(
        matches!(
            error,
            EmbedError::Dimension {
                expected: 4,
                found: 8,
                ..
            }
        ),
        "{error:?}"
    );

    // A server slower than the timeout: each attempt times out.
    behaviour.delay_ms.store(500, Ordering::SeqCst);
    let mut hasty = config(&base);
    hasty.timeout = Duration::from_millis(100);
    hasty.retries = 1;
    let embedder = HttpEmbedder::new(hasty).unwrap();
    let error = embed_one::<DIMENSIONS>(&embedder, "x").await.unwrap_err();
    assert!(matches!(error, EmbedError::Transport(_)), "{error:?}");

    // Nothing listens here.
    let nobody = HttpEmbedder::new(HttpEmbedderConfig {
        retries: 0,
        ..config("http://127.0.0.1:9/v1")
    })
    .unwrap();
    let error = embed_one::<DIMENSIONS>(&nobody, "x").await.unwrap_err();
    assert!(matches!(error, EmbedError::Transport(_)), "{error:?}");

    // Set-up mistakes.
    assert!(matches!(
        HttpEmbedder::new(HttpEmbedderConfig::new("ftp://x", "m", 8)),
        Err(EmbedError::Config(_))
    ));
    assert!(matches!(
        HttpEmbedder::new(HttpEmbedderConfig::new("http://x/v1", "m", 0)),
        Err(EmbedError::Config(_))
    ));
}
