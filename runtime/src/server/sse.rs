//! `GET /changes/{table}`: a model's changes as Server-Sent Events.
//!
//! Each change is an event whose `id` is its position (a reconnecting
//! `EventSource` sends it back as `Last-Event-ID`, and the stream resumes
//! after it), whose `event` is its operation and whose `data` is its JSON
//! ([`ChangeRecord::to_json`](crate::changes::ChangeRecord::to_json)). A
//! comment is sent as a heartbeat when nothing else is. A subscription
//! that ends (too slow, over its rate, server shutting down) ends with an
//! `error` event saying why.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;

use super::ChangeFeeds;
use super::hub::{Item, Subscriber};
use super::limit::Bucket;
use super::subscription::SubscribeQuery;

pub(crate) async fn subscribe(
    State(feeds): State<Arc<ChangeFeeds>>,
    Path(table): Path<String>,
    Query(query): Query<SubscribeQuery>,
    headers: HeaderMap,
) -> Response {
    match feeds.subscriber(&table, &query, &headers) {
        Ok(subscriber) => {
            let rate = feeds.options.max_changes_per_second;
            Sse::new(events(subscriber, rate))
                .keep_alive(KeepAlive::new().interval(feeds.options.heartbeat))
                .into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}

/// The subscriber's changes as events, then the reason it ended.
fn events(
    subscriber: Subscriber,
    rate: Option<u32>,
) -> impl Stream<Item = Result<Event, Infallible>> + Send {
    let state = (subscriber, rate.map(|rate| Bucket::new(rate, rate)), false);
    futures::stream::unfold(state, |(mut subscriber, mut bucket, ended)| async move {
        if ended {
            return None;
        }
        let event = match subscriber.next().await {
            Item::Change(change) => {
                if bucket.as_mut().is_some_and(|bucket| !bucket.take()) {
                    closed("over this subscription's rate limit; resume from the last position received".to_owned())
                } else {
                    let event = Event::default()
                        .id(change.record.position.to_string())
                        .event(change.record.operation.as_str())
                        .data(&change.json);
                    return Some((Ok(event), (subscriber, bucket, false)));
                }
            }
            Item::Closed(reason) => closed(reason),
        };
        Some((Ok(event), (subscriber, bucket, true)))
    })
}

fn closed(reason: String) -> Event {
    Event::default().event("error").data(reason)
}
