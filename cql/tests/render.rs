//! Rendering: the canonical DDL layout, and `parse(render(x))` replaying to `x`.

use std::path::PathBuf;

use corm_cql::{CqlSchema, render_schema, replay_script};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cql")
        .join(name)
}

fn read(name: &str) -> String {
    let path = fixture(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares with an expected file; `UPDATE_EXPECT=1` rewrites it.
fn assert_expected(name: &str, actual: &str) {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let path = fixture(name);
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let expected = read(name);
    assert!(
        expected == actual,
        "{name} differs (rerun with UPDATE_EXPECT=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

fn without_history(mut schema: CqlSchema) -> CqlSchema {
    for table in schema.tables.values_mut() {
        table.dropped_columns.clear();
    }
    schema
}

#[test]
fn rich_schema_renders_canonically() {
    let schema = replay_script(&read("rich_schema.cql")).unwrap();
    assert_expected("rich_schema.expected.cql", &render_schema(&schema));
}

#[test]
fn rich_schema_round_trips() {
    let schema = replay_script(&read("rich_schema.cql")).unwrap();
    let rendered = render_schema(&schema);
    let again = replay_script(&rendered).unwrap();
    assert_eq!(again, schema);
    // Rendering is a fixed point.
    assert_eq!(render_schema(&again), rendered);
}

#[test]
fn evolved_schema_round_trips_without_its_history() {
    let mut script = read("rich_schema.cql");
    script.push_str(&read("evolution.cql"));
    let schema = replay_script(&script).unwrap();
    let again = replay_script(&render_schema(&schema)).unwrap();
    assert_eq!(again, without_history(schema));
}

#[test]
fn empty_schema_renders_nothing() {
    assert_eq!(render_schema(&CqlSchema::default()), "");
}
