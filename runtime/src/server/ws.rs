//! `GET /changes/{table}/ws`: a model's changes over a WebSocket.
//!
//! The subscription is in the query string (as for the SSE endpoint), so a
//! bad one is refused with its HTTP status before the upgrade. Then each
//! change is a text message `{"type": "change", "change": …}`; the server
//! pings as a heartbeat; a client that sends more than 10 messages a
//! second (20 at once), that is too slow for its queue, over its rate or
//! that stops reading for the send timeout is closed with a reason (close
//! code 1008, policy, or 1013, try again later).

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::hub::{Item, Subscriber};
use super::limit::Bucket;
use super::subscription::SubscribeQuery;
use super::{ChangeFeeds, ServerOptions};

/// Close code: the client broke a policy (its message rate).
const POLICY: u16 = 1008;
/// Close code: the server can't keep up with the client now (too slow,
/// over its rate); it may resume.
const TRY_AGAIN_LATER: u16 = 1013;

pub(crate) async fn subscribe(
    State(feeds): State<Arc<ChangeFeeds>>,
    Path(table): Path<String>,
    Query(query): Query<SubscribeQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    match feeds.subscriber(&table, &query, &headers) {
        Ok(subscriber) => {
            let options = feeds.options;
            // Clients send little (closes, pongs): small read buffers keep
            // an idle connection cheap (tungstenite's default is 128 KiB);
            // each change is written at once rather than batched.
            upgrade
                .read_buffer_size(4 * 1024)
                .write_buffer_size(0)
                .max_message_size(64 * 1024)
                .max_frame_size(16 * 1024)
                .on_upgrade(move |socket| serve(socket, subscriber, options))
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// Sends the subscriber's changes until either side ends.
async fn serve(mut socket: WebSocket, subscriber: Subscriber, options: ServerOptions) {
    let mut heartbeat = tokio::time::interval(options.heartbeat);
    heartbeat.reset();
    let mut messages = Bucket::new(10, 20);
    let mut rate = options
        .max_changes_per_second
        .map(|rate| Bucket::new(rate, rate));
    let mut next = Box::pin(subscriber.into_next());
    loop {
        tokio::select! {
            (subscriber, item) = &mut next => {
                next = Box::pin(subscriber.into_next());
                let (code, reason) = match item {
                    Item::Change(change) => {
                        if rate.as_mut().is_none_or(Bucket::take) {
                            let message = format!(r#"{{"type":"change","change":{}}}"#, change.json);
                            if send(&mut socket, Message::Text(message.into()), &options).await {
                                continue;
                            }
                            return;
                        }
                        (TRY_AGAIN_LATER, "over this subscription's rate limit; resume from the last position received".to_owned())
                    }
                    Item::Closed(reason) => (TRY_AGAIN_LATER, reason),
                };
                close(socket, code, reason, &options).await;
                return;
            }
            message = socket.recv() => match message {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {
                    if !messages.take() {
                        close(socket, POLICY, "more than 10 messages a second".to_owned(), &options).await;
                        return;
                    }
                }
            },
            _ = heartbeat.tick() => {
                if !send(&mut socket, Message::Ping(Vec::new().into()), &options).await {
                    return;
                }
            }
        }
    }
}

/// Sends `message` within the send timeout; false when the connection is
/// gone or the client stopped reading (the connection is then dropped).
async fn send(socket: &mut WebSocket, message: Message, options: &ServerOptions) -> bool {
    matches!(
        tokio::time::timeout(options.send_timeout, socket.send(message)).await,
        Ok(Ok(()))
    )
}

/// Closes with `code` and `reason` (shortened to what a close frame holds).
async fn close(mut socket: WebSocket, code: u16, mut reason: String, options: &ServerOptions) {
    // A close frame's reason is at most 123 bytes.
    while reason.len() > 123 {
        reason.pop();
    }
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = send(&mut socket, Message::Close(Some(frame)), options).await;
}
