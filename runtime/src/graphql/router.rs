//! Serves a schema with axum: queries and mutations at `POST /graphql`,
//! GraphiQL at `GET /graphql`, subscriptions at `/graphql/ws`
//! (graphql-transport-ws, and the older graphql-ws).

use async_graphql::dynamic::Schema;
use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{GraphQL, GraphQLSubscription};
use axum::Router;
use axum::response::Html;
use axum::routing::post_service;

/// The path of the endpoint.
const PATH: &str = "/graphql";
/// The path of subscriptions.
const WEBSOCKET_PATH: &str = "/graphql/ws";

/// The routes of `schema`; `graphiql` adds the GraphiQL page at
/// `GET /graphql`.
pub fn router(schema: Schema, graphiql: bool) -> Router {
    let mut endpoint = post_service(GraphQL::new(schema.clone()));
    if graphiql {
        let page = GraphiQLSource::build()
            .endpoint(PATH)
            .subscription_endpoint(WEBSOCKET_PATH)
            .finish();
        endpoint = endpoint.get(move || async move { Html(page) });
    }
    Router::new()
        .route(PATH, endpoint)
        .route_service(WEBSOCKET_PATH, GraphQLSubscription::new(schema))
}
