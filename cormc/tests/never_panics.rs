//! The parser (and the diagnostic renderer) never panic, whatever the input:
//! arbitrary strings, strings made of the language's own tokens, and random
//! edits of a valid schema.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cormc::diagnostics::{RenderOptions, SourceMap, render_all};
use proptest::prelude::*;

const VALID: &str = include_str!("fixtures/language/models.corm");
const MIGRATIONS: &str = include_str!("fixtures/language/migrations.corm");

/// Parses and renders; returns whether it parsed.
fn parse_and_render(text: &str) -> bool {
    let mut sources = SourceMap::new();
    let id = sources.add("fuzz.corm", text).unwrap();
    match cormc::parse::parse_file(sources.get(id).unwrap()) {
        Ok(_) => true,
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let rendered = render_all(&diagnostics, &sources, RenderOptions::default());
            assert!(rendered.contains("fuzz.corm"), "{rendered}");
            false
        }
    }
}

/// Tokens of the language, so that random strings get past the first token.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("model".to_owned()),
        Just("type".to_owned()),
        Just("enum".to_owned()),
        Just("query".to_owned()),
        Just("aggregate".to_owned()),
        Just("events".to_owned()),
        Just("event".to_owned()),
        Just("timeseries".to_owned()),
        Just("migration".to_owned()),
        Just("keyspace".to_owned()),
        Just("key".to_owned()),
        Just("where".to_owned()),
        Just("select".to_owned()),
        Just("create".to_owned()),
        Just("cql".to_owned()),
        Just("X".to_owned()),
        Just("a".to_owned()),
        Just("list<".to_owned()),
        Just("map<".to_owned()),
        Just("@default(".to_owned()),
        Just("@validate(".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just(":".to_owned()),
        Just(",".to_owned()),
        Just(";".to_owned()),
        Just("?".to_owned()),
        Just("?p".to_owned()),
        Just("=".to_owned()),
        Just("\"".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("'".to_owned()),
        Just("$$".to_owned()),
        Just("//".to_owned()),
        Just("///".to_owned()),
        Just("/*".to_owned()),
        Just("*/".to_owned()),
        Just("--".to_owned()),
        Just("\n".to_owned()),
        Just(" ".to_owned()),
        Just("10s".to_owned()),
        Just("-1.5".to_owned()),
        Just("99999999999999999999999".to_owned()),
        Just("é".to_owned()),
        Just("\u{FEFF}".to_owned()),
    ]
}

/// A random edit of `base`: delete, insert or replace a few characters.
fn mutated(base: &'static str) -> impl Strategy<Value = String> {
    let chars: Vec<char> = base.chars().collect();
    let len = chars.len();
    prop::collection::vec((0..=len, 0usize..4, token()), 1..6).prop_map(move |edits| {
        let mut chars = chars.clone();
        for (at, delete, insert) in edits {
            let at = at.min(chars.len());
            let end = (at + delete).min(chars.len());
            chars.splice(at..end, insert.chars());
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        parse_and_render(&text);
    }

    #[test]
    fn strings_of_tokens(tokens in prop::collection::vec(token(), 0..60)) {
        parse_and_render(&tokens.concat());
    }

    #[test]
    fn edits_of_a_valid_schema(text in mutated(VALID)) {
        parse_and_render(&text);
    }

    #[test]
    fn edits_of_migrations(text in mutated(MIGRATIONS)) {
        parse_and_render(&text);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "model M {{ a: {}int{} }}",
        "list<".repeat(5_000),
        ">".repeat(5_000)
    );
    assert!(!parse_and_render(&deep));
    let deep = format!(
        "model M {{ a: {}int{} }}",
        "frozen<".repeat(40),
        ">".repeat(40)
    );
    assert!(!parse_and_render(&deep));
    let braces = format!("migration 1 m {{ create x {}; }}", "{".repeat(10_000));
    assert!(!parse_and_render(&braces));
}

#[test]
fn the_valid_inputs_are_valid() {
    assert!(parse_and_render(VALID));
    assert!(parse_and_render(MIGRATIONS));
}
