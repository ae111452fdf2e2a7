//! Every codegen fixture's GraphQL schema, built at run time from its
//! generated `graphql.rs`, is the one its generated `schema.graphql`
//! describes (types, fields, arguments, descriptions), and builds without
//! a clash: hostile names, keywords, views, counters, open enums, every
//! collection and relation kind included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use corm::testing::with_keyspace;
use corm_codegen_fixtures::GRAPHQL_FIXTURES;

#[tokio::test]
async fn every_fixture_builds_the_schema_its_sdl_describes() {
    with_keyspace("graphql_fixtures", |session| async move {
        assert!(
            GRAPHQL_FIXTURES.len() >= 20,
            "{} fixtures",
            GRAPHQL_FIXTURES.len()
        );
        let mut failures = Vec::new();
        for (name, build, sdl) in GRAPHQL_FIXTURES {
            match build(session.clone()) {
                Err(error) => failures.push(format!("{name}: {}", error.0)),
                Ok(schema) => {
                    let differences = corm::graphql::sdl_differences(&schema, sdl).unwrap();
                    failures.extend(
                        differences
                            .into_iter()
                            .map(|line| format!("{name}: {line}")),
                    );
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    })
    .await;
}
