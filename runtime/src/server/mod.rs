//! Change subscriptions over HTTP (the `server` feature): a model's
//! change log served as Server-Sent Events and over WebSockets, with
//! filters, rooms, resuming, heartbeats, limits and an authorisation hook,
//! as an axum [`Router`] the application mounts.
//!
//! ```no_run
//! # async fn demo(session: corm::Session, spec: &'static corm::TableSpec) -> corm::Result<()> {
//! use corm::server::{ChangeFeeds, ServerOptions};
//! let feeds = ChangeFeeds::start(session, "shop", &[spec], ServerOptions::default()).await?;
//! let app: corm::axum::Router = corm::axum::Router::new().merge(feeds.router());
//! # let _ = app;
//! # Ok(())
//! # }
//! ```
//!
//! **Endpoints.** `GET /changes/{table}` (SSE, see [`sse`]) and `GET
//! /changes/{table}/ws` (WebSocket), each taking in its query string:
//! - `filter`: a JSON [`Filter`], checked against the model's columns and
//!   types (a bad one is refused with 400 and the reason);
//! - `partition`: a JSON object of the partition key's columns: a room,
//!   the changes of one partition;
//! - `after`: a position to resume after (an SSE `Last-Event-ID` header
//!   wins): the log's changes after it are replayed first; one older than
//!   the log keeps changes is refused with 410;
//! - `token`: the bearer token, when the client can't send an
//!   `Authorization: Bearer …` header.
//!
//! **Delivery.** One reader per model follows the log (every writer's
//! changes, in position order, a settle window behind the present) and
//! hands each change to every subscriber through a ring of
//! [`ServerOptions::queue`] changes: a subscriber that falls further
//! behind is closed with the reason, and the others are unaffected.
//!
//! **Authorisation.** [`Authorize`] decides per subscription which models,
//! partitions and rows a token sees ([`Access::Restricted`] adds a filter
//! the client can't lift).

mod auth;
mod filter;
mod hub;
mod limit;
pub mod sse;
mod subscription;
mod ws;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;

pub use auth::{Access, AllowAll, Authorize, SubscriptionRequest};
pub use filter::{CheckedFilter, Filter, Within};

use crate::changes::FollowOptions;
use crate::{Result, Session, TableSpec};

/// How the change endpoints serve.
#[derive(Clone, Copy, Debug)]
pub struct ServerOptions {
    /// How the hub follows each log.
    pub follow: FollowOptions,
    /// How many changes a subscriber may fall behind before it is closed.
    pub queue: usize,
    /// How often a heartbeat is sent when nothing else is.
    pub heartbeat: Duration,
    /// How long a WebSocket send may wait for a client that does not
    /// read before the connection is dropped.
    pub send_timeout: Duration,
    /// The most changes a second one subscription is sent (`None`: no
    /// limit); past it, it is closed with the reason.
    pub max_changes_per_second: Option<u32>,
}

impl Default for ServerOptions {
    /// The default follow options, a queue of 1,024 changes, a heartbeat
    /// every 15 s, a 10 s send timeout, no rate limit.
    fn default() -> Self {
        Self {
            follow: FollowOptions::default(),
            queue: 1024,
            heartbeat: Duration::from_secs(15),
            send_timeout: Duration::from_secs(10),
            max_changes_per_second: None,
        }
    }
}

/// The change feeds of some models, served by [`router`](Self::router).
pub struct ChangeFeeds {
    hubs: HashMap<&'static str, Arc<hub::Hub>>,
    authorize: Box<dyn Authorize>,
    options: ServerOptions,
}

impl std::fmt::Debug for ChangeFeeds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeeds")
            .field("hubs", &self.hubs)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl ChangeFeeds {
    /// The feeds of `models` (their generated `TABLE` specs) in `keyspace`,
    /// each followed from now on; every subscription granted (see
    /// [`with_authorize`](Self::with_authorize)).
    ///
    /// # Errors
    /// [`Error::ChangeLog`](crate::Error::ChangeLog) for a model without a
    /// change log; the error of preparing its statements.
    pub async fn start(
        session: Session,
        keyspace: &str,
        models: &[&'static TableSpec],
        options: ServerOptions,
    ) -> Result<Self> {
        let mut hubs = HashMap::new();
        for spec in models {
            let hub = hub::Hub::start(
                session.clone(),
                keyspace,
                spec,
                options.follow,
                options.queue,
            )
            .await?;
            hubs.insert(spec.table, hub);
        }
        Ok(Self {
            hubs,
            authorize: Box::new(AllowAll),
            options,
        })
    }

    /// These feeds, asking `authorize` what each subscription may see.
    #[must_use]
    pub fn with_authorize(self, authorize: impl Authorize) -> Self {
        Self {
            authorize: Box::new(authorize),
            ..self
        }
    }

    /// The routes: `GET /changes/{table}` (SSE) and `GET
    /// /changes/{table}/ws` (WebSocket).
    pub fn router<S: Clone + Send + Sync + 'static>(self) -> Router<S> {
        Router::new()
            .route("/changes/{table}", get(sse::subscribe))
            .route("/changes/{table}/ws", get(ws::subscribe))
            .with_state(Arc::new(self))
    }
}
