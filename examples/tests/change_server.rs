//! The example server's change endpoints (`/changes/ticket`, SSE and
//! WebSocket) over real HTTP and WebSocket clients, against a real node:
//! filters, rooms and the distance filter deliver exactly the matching
//! changes; `Last-Event-ID` replays what a client missed; bad filters,
//! unknown feeds, expired positions and unauthorised tokens are refused
//! with their status and reason; a slow client is closed with a reason
//! while a fast one gets everything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use corm::StreamExt;
use corm::changes::FollowOptions;
use corm::server::{Access, ChangeFeeds, Filter, ServerOptions, SubscriptionRequest};
use corm::testing::with_keyspace;
use corm_examples::generated::{Ticket, TicketPatch, TicketStatus};
use corm_examples::server::change_routes;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

/// Quick to settle and beat: the test's writers and server share a clock.
fn options() -> ServerOptions {
    ServerOptions {
        follow: FollowOptions {
            settle: Duration::from_millis(200),
            poll: Duration::from_millis(50),
            ..FollowOptions::default()
        },
        heartbeat: Duration::from_millis(300),
        ..ServerOptions::default()
    }
}

/// Serves `routes` on a free loopback port; its host and port.
async fn serve(routes: axum::Router) -> String {
    serve_with_send_buffer(routes, None).await
}

/// [`serve`] with each connection's kernel send buffer fixed at `bytes`
/// (instead of growing to megabytes), so that a client that stops reading
/// holds up the server's sends soon.
async fn serve_with_send_buffer(routes: axum::Router, bytes: Option<u32>) -> String {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    if let Some(bytes) = bytes {
        socket.set_send_buffer_size(bytes).unwrap();
    }
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1024).unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await });
    format!("127.0.0.1:{}", address.port())
}

/// One Server-Sent Event.
#[derive(Debug, Clone, PartialEq)]
struct SseEvent {
    id: Option<String>,
    event: String,
    data: String,
}

/// A reader of an SSE response: its events, heartbeats counted.
struct Sse {
    response: reqwest::Response,
    buffer: String,
    heartbeats: usize,
}

impl Sse {
    async fn connect(url: &str, last_event_id: Option<&str>) -> Self {
        let mut request = reqwest::Client::new().get(url);
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        Self {
            response,
            buffer: String::new(),
            heartbeats: 0,
        }
    }

    /// The next event (heartbeats skipped), or `None` when the stream
    /// ends or no event comes within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    id: None,
                    event: "message".to_owned(),
                    data: String::new(),
                };
                let mut fields = false;
                for line in block.lines() {
                    if let Some(id) = line.strip_prefix("id: ") {
                        event.id = Some(id.to_owned());
                        fields = true;
                    } else if let Some(name) = line.strip_prefix("event: ") {
                        event.event = name.to_owned();
                        fields = true;
                    } else if let Some(data) = line.strip_prefix("data: ") {
                        event.data.push_str(data);
                        fields = true;
                    }
                }
                if fields {
                    return Some(event);
                }
                self.heartbeats += 1;
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(chunk))) => self.buffer.push_str(&String::from_utf8_lossy(&chunk)),
                _ => return None,
            }
        }
    }

    /// The next `count` events, failing the test after 20 s.
    async fn take(&mut self, count: usize) -> Vec<SseEvent> {
        let mut events = Vec::new();
        while events.len() < count {
            let event = self.next(Duration::from_secs(20)).await;
            events.push(event.unwrap_or_else(|| panic!("{count} events; got {events:?}")));
        }
        events
    }
}

/// The ticket titles of change events, as `operation title` (an update:
/// `update <priority>`, a delete: `delete`).
fn summary(data: &str) -> String {
    let change: Value = serde_json::from_str(data).unwrap();
    let operation = change["operation"].as_str().unwrap().to_owned();
    match operation.as_str() {
        "insert" => format!("insert {}", change["values"]["title"].as_str().unwrap()),
        "update" => format!("update {}", change["values"]["priority"]),
        _ => operation,
    }
}

fn ticket(board: &str, title: &str, priority: i32, place: Option<(f64, f64)>) -> Ticket {
    let mut ticket = Ticket::new(
        board.to_owned(),
        title.to_owned(),
        TicketStatus::Open,
        priority,
    );
    ticket.latitude = place.map(|(latitude, _)| latitude);
    ticket.longitude = place.map(|(_, longitude)| longitude);
    ticket
}

/// A WebSocket client's next change, or `None` after `wait` or a close
/// (whose reason is returned in `Err`).
async fn ws_next<S>(socket: &mut S, wait: Duration) -> Option<Result<Value, String>>
where
    S: corm::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let message: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(message["type"], "change");
                return Some(Ok(message["change"].clone()));
            }
            Ok(Some(Ok(Message::Close(frame)))) => {
                return Some(Err(frame
                    .map(|frame| frame.reason.to_string())
                    .unwrap_or_default()));
            }
            Ok(Some(Ok(_))) => {}
            _ => return None,
        }
    }
}

#[tokio::test]
async fn subscribers_get_exactly_the_changes_their_filters_and_rooms_match() {
    with_keyspace("change_server_filters", |session| async move {
        let db = common::db(session).await;
        let host = serve(change_routes(&db, options(), None).await.unwrap()).await;
        let base = format!("http://{host}/changes/ticket");
        let urgent = urlencode(r#"{"ge": ["priority", 3]}"#);
        let mut urgent = Sse::connect(&format!("{base}?filter={urgent}"), None).await;
        let sales = urlencode(r#"{"board": "sales"}"#);
        let mut sales = Sse::connect(&format!("{base}?partition={sales}"), None).await;
        let near_london = urlencode(
            r#"{"within": {"latitude": "latitude", "longitude": "longitude", "center": [51.5074, -0.1278], "meters": 10000}}"#,
        );
        let (mut near, _) =
            tokio_tungstenite::connect_async(format!("ws://{host}/changes/ticket/ws?filter={near_london}"))
                .await
                .unwrap();

        let london = ticket("support", "Kettle leaks", 5, Some((51.5072, -0.1276)));
        let paris = ticket("sales", "Quote in euros", 1, Some((48.8566, 2.3522)));
        let greenwich = ticket("sales", "Renewal", 4, Some((51.4769, 0.0005)));
        let nowhere = ticket("ops", "Disk full", 2, None);
        for row in [&london, &paris, &greenwich, &nowhere] {
            db.ticket().insert(row).await.unwrap();
        }
        db.ticket()
            .update(&paris.key(), &TicketPatch::default().priority(3))
            .await
            .unwrap();
        db.ticket().delete(&london.key()).await.unwrap();

        let got = |events: Vec<SseEvent>| -> Vec<String> {
            events.iter().map(|event| summary(&event.data)).collect()
        };
        assert_eq!(
            got(urgent.take(3).await),
            ["insert Kettle leaks", "insert Renewal", "update 3"]
        );
        assert_eq!(
            got(sales.take(3).await),
            ["insert Quote in euros", "insert Renewal", "update 3"]
        );
        let mut nearby = Vec::new();
        while nearby.len() < 2 {
            let change = ws_next(&mut near, Duration::from_secs(20)).await.unwrap().unwrap();
            nearby.push(summary(&change.to_string()));
        }
        assert_eq!(nearby, ["insert Kettle leaks", "insert Renewal"]);
        // Nothing else matches; the heartbeats keep coming.
        assert!(urgent.next(Duration::from_millis(1200)).await.is_none());
        assert!(urgent.heartbeats > 0, "heartbeats");
        assert!(sales.next(Duration::from_millis(500)).await.is_none());
        assert!(ws_next(&mut near, Duration::from_millis(500)).await.is_none());
    })
    .await;
}

#[tokio::test]
async fn last_event_id_replays_what_a_client_missed_and_nothing_twice() {
    with_keyspace("change_server_replay", |session| async move {
        let db = common::db(session).await;
        let host = serve(change_routes(&db, options(), None).await.unwrap()).await;
        let url = format!("http://{host}/changes/ticket");
        let mut client = Sse::connect(&url, None).await;
        for n in 0..3 {
            db.ticket()
                .insert(&ticket("support", &format!("Before {n}"), 1, None))
                .await
                .unwrap();
        }
        let seen = client.take(3).await;
        drop(client);
        for n in 0..4 {
            db.ticket()
                .insert(&ticket("support", &format!("After {n}"), 1, None))
                .await
                .unwrap();
        }
        // Reconnected after the last event it saw.
        let last = seen[2].id.clone().unwrap();
        let mut again = Sse::connect(&url, Some(&last)).await;
        let replayed: Vec<String> = again
            .take(4)
            .await
            .iter()
            .map(|event| summary(&event.data))
            .collect();
        assert_eq!(
            replayed,
            [
                "insert After 0",
                "insert After 1",
                "insert After 2",
                "insert After 3"
            ]
        );
        assert!(again.next(Duration::from_millis(800)).await.is_none());
        // The same resume over a WebSocket, by `after`.
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("ws://{host}/changes/ticket/ws?after={last}"))
                .await
                .unwrap();
        let first = ws_next(&mut socket, Duration::from_secs(20))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(summary(&first.to_string()), "insert After 0");
    })
    .await;
}

#[tokio::test]
async fn bad_subscriptions_are_refused_with_their_status_and_reason() {
    with_keyspace("change_server_refusals", |session| async move {
        let db = common::db(session).await;
        let host = serve(change_routes(&db, options(), None).await.unwrap()).await;
        let client = reqwest::Client::new();
        let refused = |query: String| {
            let client = client.clone();
            let url = format!("http://{host}/changes/ticket?{query}");
            async move {
                let response = client.get(url).send().await.unwrap();
                let status = response.status().as_u16();
                let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
                (status, body["error"].as_str().unwrap().to_owned())
            }
        };
        let (status, reason) = refused(format!(
            "filter={}",
            urlencode(r#"{"eq": ["colour", "red"]}"#)
        ))
        .await;
        assert_eq!(status, 400);
        assert!(reason.contains("no column `colour`"), "{reason}");
        let (status, reason) =
            refused(format!("filter={}", urlencode(r#"{"lt": ["title", 3]}"#))).await;
        assert_eq!(status, 400);
        assert!(reason.contains("can't be compared"), "{reason}");
        let (status, _) = refused("filter=%7Bnot%20json".to_owned()).await;
        assert_eq!(status, 400);
        let (status, reason) = refused(format!("partition={}", urlencode(r#"{"id": "x"}"#))).await;
        assert_eq!(status, 400);
        assert!(reason.contains("board"), "{reason}");
        let (status, reason) = refused("after=not-a-position".to_owned()).await;
        assert_eq!(status, 400);
        assert!(reason.contains("not a change position"), "{reason}");
        let expired = corm::changes::Position::at(
            corm::chrono::Utc::now() - corm::chrono::TimeDelta::days(8),
        );
        let (status, reason) = refused(format!("after={expired}")).await;
        assert_eq!(status, 410);
        assert!(reason.contains("older than the change log"), "{reason}");
        let response = client
            .get(format!("http://{host}/changes/order"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        // A WebSocket's bad subscription is refused before the upgrade.
        let bad = urlencode(r#"{"eq": ["colour", "red"]}"#);
        match tokio_tungstenite::connect_async(format!(
            "ws://{host}/changes/ticket/ws?filter={bad}"
        ))
        .await
        {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 400);
            }
            other => panic!("refused with 400, not {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn the_authorisation_hook_decides_what_a_token_sees() {
    with_keyspace("change_server_auth", |session| async move {
        let db = common::db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        // `admin` sees everything; `support` only the support board.
        let feeds = ChangeFeeds::start(session.clone(), &keyspace, &[&Ticket::TABLE], options())
            .await
            .unwrap()
            .with_authorize(|request: &SubscriptionRequest<'_>| match request.token {
                Some("admin") => Access::Granted,
                Some("support") => {
                    Access::Restricted(Filter::Eq("board".to_owned(), "support".into()))
                }
                Some(_) => Access::Denied("unknown token".to_owned()),
                None => Access::Denied("a token is required".to_owned()),
            });
        let host = serve(feeds.router()).await;
        let url = format!("http://{host}/changes/ticket");
        let client = reqwest::Client::new();
        let response = client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 401);
        let response = client
            .get(&url)
            .bearer_auth("intruder")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["error"], "unknown token");
        match tokio_tungstenite::connect_async(format!("ws://{host}/changes/ticket/ws")).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 401)
            }
            other => panic!("refused with 401, not {other:?}"),
        }
        let mut support = Sse::connect(&format!("{url}?token=support"), None).await;
        let mut admin = Sse::connect(&format!("{url}?token=admin"), None).await;
        db.ticket()
            .insert(&ticket("sales", "Not for support", 1, None))
            .await
            .unwrap();
        db.ticket()
            .insert(&ticket("support", "For support", 1, None))
            .await
            .unwrap();
        let seen: Vec<String> = support
            .take(1)
            .await
            .iter()
            .map(|event| summary(&event.data))
            .collect();
        assert_eq!(seen, ["insert For support"]);
        let all: Vec<String> = admin
            .take(2)
            .await
            .iter()
            .map(|event| summary(&event.data))
            .collect();
        assert_eq!(all, ["insert Not for support", "insert For support"]);
        assert!(support.next(Duration::from_millis(500)).await.is_none());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_client_is_closed_with_a_reason_and_a_fast_one_gets_everything() {
    with_keyspace("change_server_slow", |session| async move {
        let db = common::db(session).await;
        let options = ServerOptions {
            queue: 1024,
            ..options()
        };
        let routes = change_routes(&db, options, None).await.unwrap();
        let host = serve_with_send_buffer(routes, Some(16 * 1024)).await;
        // A client that asks and then does not read, with a small receive
        // buffer: the server can't send it much before its queue fills.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut slow = socket.connect(host.parse().unwrap()).await.unwrap();
        slow.write_all(
            format!("GET /changes/ticket HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
        let (mut fast, _) =
            tokio_tungstenite::connect_async(format!("ws://{host}/changes/ticket/ws"))
                .await
                .unwrap();
        // The fast client reads as the changes come, beside the writes.
        let fast = tokio::spawn(async move {
            let mut received = 0;
            while received < 2000 {
                match ws_next(&mut fast, Duration::from_secs(20)).await {
                    Some(Ok(_)) => received += 1,
                    other => return Err(format!("{received} changes, then {other:?}")),
                }
            }
            Ok(received)
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        let title = "x".repeat(180);
        let rows: Vec<Ticket> = (0..2000).map(|_| ticket("bulk", &title, 1, None)).collect();
        let report = db.ticket().insert_many(rows).await.unwrap();
        assert_eq!(report.written, 2000);
        assert_eq!(
            fast.await.unwrap(),
            Ok(2000),
            "the fast client gets every change"
        );
        // The slow client now reads what it was sent: some changes, then
        // the reason it was closed, then the end of the response.
        let mut text = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(20), slow.read_to_end(&mut text)).await;
        let text = String::from_utf8_lossy(&text);
        assert!(read.is_ok(), "the server ended the slow client's response");
        let changes = text.matches("event: insert").count();
        assert!(changes < 2000, "{changes} changes reached the slow client");
        assert!(text.contains("event: error"), "closed with a reason");
        assert!(
            text.contains("too slow"),
            "{}",
            &text[text.len().saturating_sub(400)..]
        );
    })
    .await;
}

/// `text` percent-encoded for a query string.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
