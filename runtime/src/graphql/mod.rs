//! GraphQL over a schema's repositories (the `graphql` feature).
//!
//! `cormc generate --graphql` writes `graphql.rs` next to the generated
//! code (how each model, enum and user-defined type maps to GraphQL) and
//! `schema.graphql` (the SDL, for review and clients). The schema itself is
//! built at run time by [`SchemaBuilder`] on async-graphql's dynamic
//! schema: object types for models, query fields for the access paths the
//! schema has (a row by its key, a partition as a Relay connection whose
//! cursors are the driver's paging state, signed), and mutations that run
//! the generated writes, validation and unique claims included. Nothing
//! filters rows Cassandra can't find by key, so nothing needs
//! `ALLOW FILTERING`.
//!
//! [`router`] serves it with axum: `POST /graphql`, GraphiQL at
//! `GET /graphql`, subscriptions at `/graphql/ws`.

mod changes;
mod compare;
mod connection;
mod cursor;
mod duration;
pub mod error;
mod events;
mod input;
pub mod model;
mod names;
mod options;
mod query;
mod relation;
mod router;
pub mod scalars;
mod schema;
mod series;
mod types;
mod value;

pub use async_graphql;
pub use async_graphql::dynamic::{Schema, SchemaError, TypeRef};
pub use async_graphql::{Name, Value};
pub use changes::{Streamed, patch_value};
pub use compare::sdl_differences;
pub use events::{Events, Stored};
pub use input::InputFields;
pub use model::{Insertable, Model, ModelFields, Partitioned, Patchable};
pub use names::field_name;
pub use options::{CursorKey, GraphqlOptions};
pub use query::{Arguments, NamedQuery, PagedQuery, QueryOutput, Values, output_only};
pub use relation::{Related, Relation};
pub use router::router;
pub use schema::SchemaBuilder;
pub use series::Series;
pub use types::{ObjectSpec, Types};
pub use value::{
    GraphqlValue, ListItem, Refusal, enum_name, object_type, object_value, unknown_enum_value,
};
