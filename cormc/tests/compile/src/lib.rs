//! The code `cormc` generates for each codegen fixture, one module per
//! fixture, compiled (and linted by `cargo clippy -D warnings`) with the
//! workspace. The snapshots in `tests/snapshots/codegen/` show the text;
//! this crate proves that every one of them is warning-free Rust.

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

/// Builds a fixture's GraphQL schema over a session.
pub type GraphqlBuilder =
    fn(corm::Session) -> Result<corm::graphql::Schema, corm::graphql::SchemaError>;

include!(concat!(env!("OUT_DIR"), "/graphql_fixtures.rs"));
