//! The example server (the `server` feature): the showcase schema's `Db`
//! behind axum, with corm's metrics for Prometheus at `/metrics`, a
//! readiness check at `/ready` (`Db::health`: a probe of every node), a
//! summary of the requests since start at `/report` (`corm::report()`),
//! and one read of the schema
//! (`/customers/{id}/orders`, the number of a customer's orders) to give
//! the metrics something to count. It also streams the ticket change log
//! (`/changes/ticket` as Server-Sent Events, `/changes/ticket/ws` over a
//! WebSocket: [`change_routes`]), and serves the schema in GraphQL at
//! `/graphql` with GraphiQL ([`graphql_routes`]).

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use corm::{TryStreamExt, Uuid};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use corm::graphql::GraphqlOptions;
use corm::server::{Access, ChangeFeeds, ServerOptions, SubscriptionRequest};

use crate::generated::{Db, OrderPartition, Ticket, graphql_schema};

/// What the handlers share.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The schema's tables.
    pub db: Db,
    /// Renders the metrics recorded so far.
    pub prometheus: PrometheusHandle,
}

/// Installs the Prometheus recorder as the process's metrics recorder
/// (once, before the first request, so every operation's meters reach it).
///
/// # Errors
/// When a recorder is installed already.
pub fn install_recorder() -> Result<PrometheusHandle, String> {
    PrometheusBuilder::new()
        .install_recorder()
        .map_err(|error| format!("installing the Prometheus recorder: {error}"))
}

/// The server's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(render_metrics))
        .route("/ready", get(ready))
        .route("/report", get(report))
        .route("/customers/{id}/orders", get(order_count))
        .with_state(state)
}

/// The change feeds of the schema's models with a change log (`Ticket`),
/// served by the routes `corm::server` gives; every subscription is
/// granted unless `token` is set, which a subscription must then present
/// (`Authorization: Bearer …` or `?token=`).
///
/// # Errors
/// The error of preparing the change log's statements.
pub async fn change_routes(
    db: &Db,
    options: ServerOptions,
    token: Option<String>,
) -> corm::Result<Router> {
    let feeds = ChangeFeeds::start(
        db.session().clone(),
        db.keyspace(),
        &[&Ticket::TABLE],
        options,
    )
    .await?;
    let feeds = match token {
        None => feeds,
        Some(token) => feeds.with_authorize(move |request: &SubscriptionRequest<'_>| match request
            .token
        {
            Some(given) if given == token => Access::Granted,
            Some(_) => Access::Denied("this token may not subscribe".to_owned()),
            None => Access::Denied("a token is required".to_owned()),
        }),
    };
    Ok(feeds.router())
}

/// The schema in GraphQL over `db`: `POST /graphql`, GraphiQL at
/// `GET /graphql` when `graphiql` is set, subscriptions at `/graphql/ws`.
///
/// # Errors
/// When the generated schema does not build (two names clash).
pub fn graphql_routes(
    db: &Db,
    options: GraphqlOptions,
    graphiql: bool,
) -> Result<Router, corm::graphql::SchemaError> {
    let schema = graphql_schema(db, options)?;
    Ok(corm::graphql::router(schema, graphiql))
}

/// The GraphQL options from the environment: `CORM_GRAPHQL_MAX_DEPTH`,
/// `CORM_GRAPHQL_MAX_COMPLEXITY`, `CORM_GRAPHQL_MAX_PAGE_SIZE`,
/// `CORM_GRAPHQL_INTROSPECTION` (`false` turns it off) and
/// `CORM_GRAPHQL_CURSOR_KEY` (servers that share clients' cursors share
/// it; random per process when unset).
///
/// # Errors
/// Naming the variable whose value does not parse.
pub fn graphql_options_from_env() -> Result<GraphqlOptions, String> {
    let mut options = GraphqlOptions::default();
    let number = |name: &str| -> Result<Option<usize>, String> {
        match std::env::var(name) {
            Ok(text) => text
                .parse()
                .map(Some)
                .map_err(|_| format!("{name}={text}: not a whole number")),
            Err(_) => Ok(None),
        }
    };
    if let Some(depth) = number("CORM_GRAPHQL_MAX_DEPTH")? {
        options.max_depth = depth;
    }
    if let Some(complexity) = number("CORM_GRAPHQL_MAX_COMPLEXITY")? {
        options.max_complexity = complexity;
    }
    if let Some(size) = number("CORM_GRAPHQL_MAX_PAGE_SIZE")? {
        options.max_page_size = u32::try_from(size)
            .map_err(|_| format!("CORM_GRAPHQL_MAX_PAGE_SIZE={size}: too large"))?;
    }
    if let Ok(text) = std::env::var("CORM_GRAPHQL_INTROSPECTION") {
        options.introspection = text
            .parse()
            .map_err(|_| format!("CORM_GRAPHQL_INTROSPECTION={text}: not true or false"))?;
    }
    if let Ok(key) = std::env::var("CORM_GRAPHQL_CURSOR_KEY") {
        options = options.with_cursor_key(key.as_bytes());
    }
    Ok(options)
}

/// The metrics in Prometheus's text format, with the connections to each
/// node counted at the moment of the scrape.
async fn render_metrics(State(state): State<AppState>) -> String {
    state.db.session().record_connections();
    state.prometheus.render()
}

/// `corm::report()` as a table: per table and operation since start,
/// calls, error rate, warnings, slow requests, retries, mean and longest
/// time, slowest first.
async fn report() -> String {
    corm::report().to_string()
}

/// 200 when some node answers its probe, 503 when none does; the body
/// has a line per node (address, and its answer time or why it failed).
async fn ready(State(state): State<AppState>) -> (StatusCode, String) {
    let health = state.db.health(Duration::from_secs(2)).await;
    let status = if health.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut body = if health.is_ready() {
        "ready\n".to_owned()
    } else {
        "not ready\n".to_owned()
    };
    for node in &health.nodes {
        let line = match &node.answered {
            Ok(took) => format!(
                "{} up {:.1} ms\n",
                node.address,
                took.as_secs_f64() * 1000.0
            ),
            Err(why) => format!("{} down: {why}\n", node.address),
        };
        body.push_str(&line);
    }
    (status, body)
}

/// The number of orders of customer `id`.
async fn order_count(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> (StatusCode, String) {
    let Ok(customer_id) = Uuid::parse_str(&id) else {
        return (StatusCode::BAD_REQUEST, format!("`{id}` is not a UUID\n"));
    };
    let counted = async {
        let rows = state
            .db
            .order()
            .partition(&OrderPartition { customer_id })
            .await?;
        rows.try_fold(0_usize, |count, _| async move { Ok(count + 1) })
            .await
    };
    match counted.await {
        Ok(count) => (StatusCode::OK, format!("{count}\n")),
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("{error}\n")),
    }
}
