//! Every example of the language reference parses cleanly.
//!
//! The examples are copied byte for byte from the reference's code blocks into
//! `fixtures/language/` (one file per section).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use cormc::diagnostics::{RenderOptions, SourceMap, render_all};

const EXAMPLES: [&str; 9] = [
    "keyspace",
    "types",
    "models",
    "queries",
    "aggregates",
    "timeseries",
    "events",
    "vector_index",
    "migrations",
];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/language")
        .join(format!("{name}.corm"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_example_parses_on_its_own() {
    for name in EXAMPLES {
        let text = fixture(name);
        let (sources, result) = common::parse(&format!("{name}.corm"), &text);
        if let Err(diagnostics) = result {
            panic!(
                "{name}.corm:\n{}",
                render_all(&diagnostics, &sources, RenderOptions::default())
            );
        }
    }
}

#[test]
fn all_examples_parse_as_one_schema() {
    let mut sources = SourceMap::new();
    for name in EXAMPLES {
        sources.add(format!("{name}.corm"), fixture(name)).unwrap();
    }
    let schema = match cormc::parse::parse(&sources) {
        Ok(schema) => schema,
        Err(d) => panic!("{}", render_all(&d, &sources, RenderOptions::default())),
    };
    assert_eq!(schema.files.len(), EXAMPLES.len());
    let mut names: Vec<String> = schema
        .items()
        .map(|i| format!("{} {}", i.keyword(), i.name().name))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "aggregate post_stats",
            "enum OrderStatus",
            "events Account",
            "keyspace shop",
            "migration add_prefs",
            "migration init",
            "model Document",
            "model PageViews",
            "model Post",
            "model Profile",
            "model User",
            "query posts_of_authors",
            "query posts_with_title",
            "query recent_posts",
            "query users_named",
            "timeseries Metric",
            "type Address",
        ]
    );
}

#[test]
fn the_fixture_folder_holds_exactly_the_examples() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/language");
    let mut found: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    let mut expected: Vec<String> = EXAMPLES.iter().map(|n| format!("{n}.corm")).collect();
    expected.sort();
    assert_eq!(found, expected);
}
