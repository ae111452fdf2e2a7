//! The live schema on the node: a keyspace read back with `DESCRIBE`
//! (`cormc::live`) is the schema that made it, so `migrate diff` finds
//! nothing after the schema's own statements, and exactly a change made by
//! hand. Needs the local node (`cargo xtask cassandra start`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use camino::Utf8PathBuf;
use cormc::cql::{CqlSchema, diff};
use cormc::diagnostics::SourceMap;

/// The checked schema of `text`.
fn desired(text: &str) -> CqlSchema {
    let mut sources = SourceMap::new();
    sources
        .add(Utf8PathBuf::from("schema.corm"), text)
        .unwrap_or_else(|e| panic!("{e}"));
    let schema = cormc::parse::parse(&sources).unwrap_or_else(|d| panic!("{d:?}"));
    let checked = cormc::check::check(&schema);
    checked
        .schema
        .unwrap_or_else(|| panic!("{:?}", checked.diagnostics))
        .desired
}

/// Creates `schema`'s types, tables and indexes in the session's keyspace.
async fn create(session: &corm::Session, schema: &CqlSchema) {
    let keyspace = session.keyspace().unwrap();
    for statement in cormc::codegen::setup_statements(schema).unwrap() {
        session
            .run_ddl(&statement.text(&format!("\"{keyspace}\"")))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", statement.text(&keyspace)));
    }
}

#[tokio::test]
async fn the_example_schema_read_back_from_the_node_differs_in_nothing() {
    corm::testing::with_keyspace("live_example", |session| async move {
        let schema = desired(include_str!("../../examples/schema.corm"));
        create(&session, &schema).await;
        let keyspace = session.keyspace().unwrap();
        let live = cormc::live::read(&session, &keyspace).await.unwrap();
        assert_eq!(live.skipped, Vec::new());
        let changes: Vec<String> = diff(&live.schema, &schema)
            .iter()
            .flat_map(cormc::cql::Change::statements)
            .collect();
        assert_eq!(changes, Vec::<String>::new());
    })
    .await;
}

/// A small schema, written to a file for the command line.
const SHOP: &str = "\
model Customer {
  id:    uuid
  email: text
  tier:  text?
  key (id)
  index (tier)
}

model Visit {
  customer: uuid
  at:       timestamp
  page:     text
  key ((customer), at desc)
  ttl 30d
}
";

/// Runs `cormc migrate diff` on `schema` against the session's keyspace.
fn migrate_diff(schema: &std::path::Path, keyspace: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cormc"))
        .args(["migrate", "diff", "--keyspace", keyspace])
        .arg(schema)
        .output()
        .unwrap()
}

#[tokio::test]
async fn migrate_diff_is_clean_on_the_models_keyspace_and_shows_exactly_a_change_made_by_hand() {
    corm::testing::with_keyspace("live_diff", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let folder = std::env::temp_dir().join(format!("corm-live-diff-{keyspace}"));
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("shop.corm");
        std::fs::write(&file, SHOP).unwrap();
        create(&session, &desired(SHOP)).await;

        let clean = migrate_diff(&file, &keyspace);
        assert_eq!(clean.status.code(), Some(0), "{clean:?}");
        assert_eq!(String::from_utf8_lossy(&clean.stdout), "");

        // By hand: a column added, an index dropped, a TTL changed.
        session
            .run_ddl("ALTER TABLE customer ADD nickname text")
            .await
            .unwrap();
        session
            .run_ddl("DROP INDEX customer_tier_idx")
            .await
            .unwrap();
        session
            .run_ddl("ALTER TABLE visit WITH default_time_to_live = 60")
            .await
            .unwrap();
        let drifted = migrate_diff(&file, &keyspace);
        assert_eq!(drifted.status.code(), Some(1), "{drifted:?}");
        let stdout = String::from_utf8_lossy(&drifted.stdout);
        let statements: Vec<&str> = stdout
            .lines()
            .filter(|line| !line.starts_with("--"))
            .collect();
        assert_eq!(
            statements,
            [
                "alter table customer drop nickname;",
                "alter table visit with default_time_to_live = 2592000;",
                "create index customer_tier_idx on customer (tier) using 'sai';",
            ],
            "{stdout}"
        );
        assert!(stdout.contains("-- loses data"), "{stdout}");
        std::fs::remove_dir_all(&folder).unwrap();
    })
    .await;
}
