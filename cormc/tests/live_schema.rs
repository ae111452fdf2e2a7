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
        // Pulled back into `.corm`, it checks and matches the keyspace.
        let (text, checked, diffed) = pull_check_diff(&session, "example").await;
        assert_eq!(checked.status.code(), Some(0), "{checked:?}\n{text}");
        assert_eq!(diffed.status.code(), Some(0), "{diffed:?}\n{text}");
        assert!(!text.contains("Not pulled"), "{text}");
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

/// Runs `cormc` with `args`.
fn cormc(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cormc"))
        .args(args)
        .output()
        .unwrap()
}

/// Runs each `;`-ended statement of `script` in the session's keyspace.
async fn run_script(session: &corm::Session, script: &str) {
    for statement in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        session
            .run_ddl(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// Pulls the session's keyspace into a file; checks it, and compares it
/// with the keyspace. The file's text, `check`'s and `diff`'s outputs.
async fn pull_check_diff(
    session: &corm::Session,
    name: &str,
) -> (String, std::process::Output, std::process::Output) {
    let keyspace = session.keyspace().unwrap();
    let folder = std::env::temp_dir().join(format!("corm-pull-{keyspace}"));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(format!("{name}.corm"));
    let path = file.to_str().unwrap();
    let pulled = cormc(&["pull", "--keyspace", &keyspace, "--out", path]);
    assert_eq!(pulled.status.code(), Some(0), "{pulled:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    let checked = cormc(&["check", path]);
    let diffed = cormc(&["migrate", "diff", "--keyspace", &keyspace, path]);
    std::fs::remove_dir_all(&folder).unwrap();
    (text, checked, diffed)
}

const BLOG: &str = "
CREATE TYPE address (street text, city text, zip text);
CREATE TABLE users (id uuid PRIMARY KEY, email text, name text, addresses map<text, frozen<address>>,
  tags set<text>, created timestamp);
CREATE INDEX users_email_idx ON users (email) USING 'sai';
CREATE TABLE posts (author uuid, created timeuuid, id uuid, author_name text static, title text,
  body text, PRIMARY KEY ((author), created, id))
  WITH CLUSTERING ORDER BY (created DESC, id ASC) AND default_time_to_live = 86400
  AND comment = 'Posts by author'
  AND compaction = {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': '160'};
CREATE TABLE page_views (page text, day date, views counter, PRIMARY KEY ((page), day));
";

const SENSORS: &str = "
CREATE TABLE readings (sensor text, day date, ts timestamp, value double, tags frozen<list<text>>,
  location tuple<double, double>, window duration, embedding vector<float, 3>,
  PRIMARY KEY ((sensor, day), ts))
  WITH CLUSTERING ORDER BY (ts DESC) AND gc_grace_seconds = 3600
  AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'HOURS', 'compaction_window_size': '6'};
CREATE INDEX readings_embedding_idx ON readings (embedding) USING 'sai' WITH OPTIONS = {'similarity_function': 'dot_product'};
CREATE TABLE sensors (id text PRIMARY KEY, model text, settings map<text, text>, firmware varint, price decimal,
  address inet, photo blob, small smallint, tiny tinyint, at time, since date, ping timeuuid, ok boolean,
  code ascii, count bigint, ratio float)
  WITH caching = {'keys': 'ALL', 'rows_per_partition': '10'};
CREATE INDEX sensors_settings_entries ON sensors (entries(settings)) USING 'sai';
";

/// An Akka-style journal: names corm did not choose, keywords as columns.
const JOURNAL: &str = "
CREATE TABLE messages (persistence_id text, partition_nr bigint, sequence_nr bigint, timestamp timeuuid,
  event blob, ser_id int, ser_manifest text, tags map<text, text>, key text, type text,
  PRIMARY KEY ((persistence_id, partition_nr), sequence_nr, timestamp));
CREATE INDEX messages_tag_keys ON messages (keys(tags)) USING 'sai';
CREATE TABLE metadata (persistence_id text PRIMARY KEY, deleted_to bigint, properties map<text, text>);
";

#[tokio::test]
async fn pulled_keyspaces_check_clean_and_match_their_keyspace() {
    for (name, script) in [("blog", BLOG), ("sensors", SENSORS), ("journal", JOURNAL)] {
        corm::testing::with_keyspace(&format!("pull_{name}"), |session| async move {
            run_script(&session, script).await;
            let (text, checked, diffed) = pull_check_diff(&session, name).await;
            assert_eq!(
                checked.status.code(),
                Some(0),
                "{name}: {checked:?}\n{text}"
            );
            assert_eq!(diffed.status.code(), Some(0), "{name}: {diffed:?}\n{text}");
            assert!(!text.contains("Not pulled"), "{name}:\n{text}");
        })
        .await;
    }
}

/// What corm can't state: a quoted mixed-case column, a legacy secondary
/// index, a materialized view, a type whose name is not snake_case (and
/// the table that uses it).
const LEGACY: &str = "
CREATE TABLE accounts (id uuid PRIMARY KEY, \"userId\" text, plan text, balance bigint);
CREATE TABLE plans (name text PRIMARY KEY, price bigint, region text);
CREATE INDEX plans_region_legacy ON plans (region) USING 'legacy_local_table';
CREATE MATERIALIZED VIEW plans_by_price AS SELECT price, name FROM plans
  WHERE price IS NOT NULL AND name IS NOT NULL PRIMARY KEY ((price), name);
CREATE TYPE geo__point (lat double, lon double);
CREATE TABLE places (id uuid PRIMARY KEY, at frozen<geo__point>);
";

#[tokio::test]
async fn what_corm_cannot_state_is_pulled_as_comments_with_warnings_and_shown_by_diff() {
    corm::testing::with_keyspace("pull_legacy", |session| async move {
        run_script(&session, LEGACY).await;
        let keyspace = session.keyspace().unwrap();
        let pulled = cormc(&["pull", "--keyspace", &keyspace]);
        assert_eq!(pulled.status.code(), Some(0), "{pulled:?}");
        let text = String::from_utf8_lossy(&pulled.stdout);
        let warnings = String::from_utf8_lossy(&pulled.stderr);
        for (what, needle) in [
            (
                "table `accounts`",
                "column `userId` is not a snake_case name",
            ),
            (
                "index `plans_region_legacy`",
                "corm states SAI indexes only",
            ),
            (
                "materialized view `plans_by_price`",
                "a view is pulled as a comment",
            ),
            (
                "type `geo__point`",
                "its name is not the snake_case of a type name",
            ),
            (
                "table `places`",
                "has the type `geo__point`, which is not pulled",
            ),
        ] {
            assert!(
                warnings.contains(what) && warnings.contains(needle),
                "{what}: {warnings}"
            );
            assert!(
                text.contains(&format!("// Not pulled: {what}")),
                "{what}:\n{text}"
            );
        }
        assert!(text.contains("model Plans {"), "{text}");
        // The file checks; diff shows what the models leave out.
        let (_, checked, diffed) = pull_check_diff(&session, "legacy").await;
        assert_eq!(checked.status.code(), Some(0), "{checked:?}");
        assert_eq!(diffed.status.code(), Some(1), "{diffed:?}");
        let stdout = String::from_utf8_lossy(&diffed.stdout);
        let statements: Vec<&str> = stdout
            .lines()
            .filter(|line| !line.starts_with("--"))
            .collect();
        assert_eq!(
            statements,
            [
                "drop index plans_region_legacy;",
                "drop table accounts;",
                "drop table places;",
                "drop type geo__point;"
            ],
            "{stdout}"
        );
    })
    .await;
}
