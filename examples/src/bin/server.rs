//! The example server: the showcase schema behind axum, with corm's
//! metrics for Prometheus at `/metrics` and a readiness check at `/ready`.
//!
//! ```sh
//! cargo xtask cassandra start
//! CORM_CONTACT_POINTS=127.0.0.1:9042 cargo run -p corm-examples --bin server
//! curl localhost:8080/ready; curl localhost:8080/metrics
//! curl -N localhost:8080/changes/ticket    # the ticket changes, as they happen
//! open http://localhost:8080/graphql         # GraphiQL over the schema
//! ```
//!
//! It listens on `CORM_SERVER_ADDR` (default `127.0.0.1:8080`) and applies
//! the schema's migrations to the keyspace `corm_server` (created when
//! missing) before it serves. With `CORM_CHANGES_TOKEN` set, a change
//! subscription must present it as a bearer token. GraphQL's limits come
//! from `CORM_GRAPHQL_*` (`corm_examples::server::graphql_options_from_env`). With `OTEL_EXPORTER_OTLP_ENDPOINT` (a
//! collector, `http://127.0.0.1:4318`), it exports every request's span
//! over OTLP/HTTP (`corm_examples::otlp`).

use corm::server::ServerOptions;
use corm::{Config, Session};
use corm_examples::generated::Db;
use corm_examples::server::{
    AppState, change_routes, graphql_options_from_env, graphql_routes, install_recorder, router,
};

const KEYSPACE: &str = "corm_server";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Before the first request, so that every operation's meters and
    // spans reach them.
    let prometheus = install_recorder()?;
    #[cfg(feature = "otlp")]
    let exporting = corm_examples::otlp::install_from_env()?;
    let config = Config::from_env()?;
    let session = Session::connect(&config).await?;
    session
        .run_ddl(&format!(
            "CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = \
             {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
        ))
        .await?;
    let db = Db::new(session, KEYSPACE);
    db.migrate().await?;
    let address = std::env::var("CORM_SERVER_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("serving on http://{}", listener.local_addr()?);
    let token = std::env::var("CORM_CHANGES_TOKEN").ok();
    let changes = change_routes(&db, ServerOptions::default(), token).await?;
    let graphql = graphql_routes(&db, graphql_options_from_env()?, true)?;
    let app = router(AppState { db, prometheus })
        .merge(changes)
        .merge(graphql);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // Ctrl-C: stop taking connections, finish the ones in flight.
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    #[cfg(feature = "otlp")]
    if let Some(provider) = exporting {
        // Sends the spans still queued (blocking: off the runtime's threads).
        tokio::task::spawn_blocking(move || provider.shutdown()).await??;
    }
    Ok(())
}
