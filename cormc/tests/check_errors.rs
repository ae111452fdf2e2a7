//! Check cases: each folder `fixtures/check/<case>/` holds one or more
//! `.corm` files that parse and are checked together.
//!
//! - A case named after a code (`e0801_partition_not_restricted`,
//!   `w0802_…`, `n1005_…`) must report that code; its rendered (colourless)
//!   diagnostics are snapshotted in the workspace's
//!   `tests/snapshots/check/<case>.snap`.
//! - A case named `ok_…` must check without errors (warnings and notes are
//!   snapshotted too).
//!
//! Every code the checker emits has at least one case; every case without
//! errors generates Rust. The examples of the language reference check
//! cleanly, `migrations.corm` with a model that
//! matches it, and random edits of a valid schema never panic the checker.
//!
//! To accept new or changed output: `INSTA_UPDATE=always cargo test -p cormc
//! --test check_errors`, then review the `.snap` files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use cormc::diagnostics::{Diagnostic, RenderOptions, Severity, SourceMap, render_all};
use proptest::prelude::*;

/// Every code the checker (not the parser) emits.
const CHECK_CODES: [&str; 54] = [
    "E0101", "E0102", "E0103", "E0104", "E0105", "W0106", "E0201", "E0202", "E0203", "E0204",
    "E0205", "E0301", "E0302", "E0303", "E0304", "E0401", "E0402", "E0501", "E0502", "E0503",
    "E0601", "E0602", "E0603", "E0604", "W0605", "E0701", "E0801", "W0802", "W0803", "E0804",
    "E0805", "E0806", "E0901", "W0902", "E1001", "E1002", "E1003", "E1004", "N1005", "W1101",
    "W1102", "W1103", "W1104", "W1105", "W1106", "W1107", "W1108", "E0702", "E1202", "E1203",
    "E1204", "E1205", "E1206", "E1006",
];

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The case folders, sorted by name.
fn cases() -> Vec<(String, PathBuf)> {
    let dir = manifest_dir().join("tests/fixtures/check");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                entry.path(),
            )
        })
        .filter(|(_, path)| path.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The `.corm` files of a case folder, sorted by name.
fn corm_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "corm"))
        .collect();
    files.sort();
    files
}

/// The code a case folder is named after (`e0801_…` → `E0801`); `None` for
/// `ok_…` cases.
fn expected_code(case: &str) -> Option<String> {
    let prefix = case.split('_').next().unwrap();
    if prefix == "ok" {
        return None;
    }
    assert!(
        prefix.len() == 5
            && prefix.starts_with(['e', 'w', 'n'])
            && prefix[1..].bytes().all(|b| b.is_ascii_digit()),
        "case `{case}` is named neither `ok_…` nor after a code like `e0801_…`"
    );
    Some(prefix.to_uppercase())
}

/// Parses and checks `files` (each added under `display/<file name>`);
/// the sources and every diagnostic, or the parse errors as a panic.
fn check_files(files: &[(String, String)]) -> (SourceMap, cormc::check::Checked) {
    let mut sources = SourceMap::new();
    for (path, text) in files {
        sources.add(path.clone(), text.clone()).unwrap();
    }
    let schema = match cormc::parse::parse(&sources) {
        Ok(schema) => schema,
        Err(diagnostics) => panic!(
            "parse errors:\n{}",
            render_all(&diagnostics, &sources, RenderOptions::default())
        ),
    };
    let checked = cormc::check::check(&schema);
    (sources, checked)
}

/// Reads the `.corm` files of a case folder, named as the user sees them.
fn case_files(case: &str, dir: &Path) -> Vec<(String, String)> {
    let files: Vec<(String, String)> = corm_files(dir)
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            (
                format!("tests/fixtures/check/{case}/{name}"),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    assert!(!files.is_empty(), "case `{case}` has no .corm file");
    files
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    diagnostics.iter().filter(|d| d.is_error()).collect()
}

fn snapshot(case: &str, input: &Path, output: &str) {
    let snapshots = manifest_dir().join("../tests/snapshots/check");
    insta::with_settings!({
        snapshot_path => &snapshots,
        prepend_module_to_snapshot => false,
        input_file => input,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(case, output);
    });
}

#[test]
fn check_cases() {
    let cases = cases();
    assert!(cases.len() >= 46, "only {} check cases", cases.len());
    for (case, dir) in &cases {
        let files = case_files(case, dir);
        let (sources, checked) = check_files(&files);
        let diagnostics = &checked.diagnostics;
        let mut output = render_all(diagnostics, &sources, RenderOptions::default());
        if !checked.acknowledged.is_empty() {
            let acknowledged: Vec<Diagnostic> = checked
                .acknowledged
                .iter()
                .map(cormc::check::Acknowledged::annotated)
                .collect();
            output.push_str("\n── acknowledged by `@allow` ──\n\n");
            output.push_str(&render_all(
                &acknowledged,
                &sources,
                RenderOptions::default(),
            ));
        }
        match expected_code(case) {
            Some(code) => {
                assert!(
                    codes(diagnostics).contains(&code.as_str()),
                    "case `{case}` does not report {code}:\n{output}"
                );
                assert!(output.contains(".corm:"), "{case}: no path:line:col");
                if code.starts_with('E') {
                    assert!(checked.schema.is_none(), "{case}: IR despite an error");
                }
            }
            None => {
                assert!(
                    errors(diagnostics).is_empty(),
                    "ok case `{case}` has errors:\n{output}"
                );
                assert!(checked.schema.is_some(), "{case}: no IR");
            }
        }
        snapshot(case, &corm_files(dir)[0], &output);
    }
}

/// What `cormc check` accepts, `cormc generate` generates: every case
/// without errors (the `ok_…` cases and the warnings') generates. (The
/// E12xx cases are what generation needs beyond CQL.)
#[test]
fn accepted_cases_generate() {
    let mut generated = 0;
    for (case, dir) in &cases() {
        let files = case_files(case, dir);
        let (sources, checked) = check_files(&files);
        let Some(schema) = checked.schema else {
            continue;
        };
        if let Err(error) = cormc::codegen::generate(&schema) {
            panic!(
                "`{case}` checks without errors but does not generate: {error}\n{}",
                render_all(&checked.diagnostics, &sources, RenderOptions::default())
            );
        }
        generated += 1;
    }
    assert!(generated >= 10, "only {generated} cases generate");
}

#[test]
fn every_check_code_has_a_case() {
    let named: Vec<String> = cases()
        .iter()
        .filter_map(|(case, _)| expected_code(case))
        .collect();
    for code in CHECK_CODES {
        assert!(
            named.iter().any(|n| n == code),
            "no case folder is named after {code}"
        );
    }
}

fn language_fixture(name: &str) -> (String, String) {
    let path = manifest_dir()
        .join("tests/fixtures/language")
        .join(format!("{name}.corm"));
    (
        format!("tests/fixtures/language/{name}.corm"),
        std::fs::read_to_string(&path).unwrap(),
    )
}

/// The examples of the reference, without `migrations.corm` (whose `users`
/// table is not the reference's `User` model).
const REFERENCE_EXAMPLES: [&str; 8] = [
    "keyspace",
    "types",
    "models",
    "queries",
    "aggregates",
    "timeseries",
    "events",
    "vector_index",
];

#[test]
fn language_examples_check_cleanly() {
    let files: Vec<(String, String)> = REFERENCE_EXAMPLES
        .iter()
        .map(|name| language_fixture(name))
        .collect();
    let (sources, checked) = check_files(&files);
    let output = render_all(&checked.diagnostics, &sources, RenderOptions::default());
    assert!(errors(&checked.diagnostics).is_empty(), "{output}");
    let schema = checked.schema.as_ref().expect("no IR");
    assert_eq!(schema.models.len(), 5);
    // `posts_with_title` filters on purpose; no migrations, so no drift
    // check; the time series keeps 720 hourly windows for 30 days (W1107).
    let warnings: Vec<(&str, Severity)> = checked
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.severity))
        .collect();
    assert_eq!(
        warnings,
        [
            ("N1005", Severity::Note),
            ("W1102", Severity::Warning),
            ("W0802", Severity::Warning),
            ("W1107", Severity::Warning)
        ],
        "{output}"
    );
    assert!(output.contains("`posts_with_title` runs with ALLOW FILTERING"));
}

#[test]
fn reference_migrations_match_their_model() {
    let model = manifest_dir().join("tests/fixtures/check/ok_reference_migrations/users.corm");
    let files = vec![
        language_fixture("migrations"),
        (
            "tests/fixtures/check/ok_reference_migrations/users.corm".to_owned(),
            std::fs::read_to_string(model).unwrap(),
        ),
    ];
    let (sources, checked) = check_files(&files);
    let output = render_all(&checked.diagnostics, &sources, RenderOptions::default());
    assert!(checked.diagnostics.is_empty(), "{output}");
    let schema = checked.schema.expect("no IR");
    assert_eq!(schema.migrations.len(), 2);
    assert_eq!(schema.models[0].table, "users");
}

/// The valid schema the fuzz test edits: the `ok_rich_schema` files as one.
fn rich_schema() -> String {
    let dir = manifest_dir().join("tests/fixtures/check/ok_rich_schema");
    corm_files(&dir)
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Tokens that reach the checker's rules when spliced into a valid schema.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("?".to_owned()),
        Just("frozen<".to_owned()),
        Just(">".to_owned()),
        Just("list<int>".to_owned()),
        Just("set<duration>".to_owned()),
        Just("counter".to_owned()),
        Just("duration".to_owned()),
        Just("vector<float, 0>".to_owned()),
        Just(" desc".to_owned()),
        Just(" asc".to_owned()),
        Just(" @unique".to_owned()),
        Just(" @static".to_owned()),
        Just(" @on_update(now)".to_owned()),
        Just(" @default(now)".to_owned()),
        Just(" @validate(regex(\"(\"))".to_owned()),
        Just(" @cql(\"id\")".to_owned()),
        Just("\n  index (id)\n".to_owned()),
        Just("\n  index (status)\n".to_owned()),
        Just("\n  order placed_at desc\n".to_owned()),
        Just("\n  allow filtering\n".to_owned()),
        Just(" and status = ?customer".to_owned()),
        Just(" in ".to_owned()),
        Just(" contains ".to_owned()),
        Just(" contains key ".to_owned()),
        Just(" > ".to_owned()),
        Just("\"text\"".to_owned()),
        Just("0".to_owned()),
        Just("-1".to_owned()),
        Just("4294967296".to_owned()),
        Just("1ms".to_owned()),
        Just("User".to_owned()),
        Just("Order".to_owned()),
        Just("Address".to_owned()),
        Just("OrderStatus.nope".to_owned()),
        Just("id".to_owned()),
        Just("customer_id".to_owned()),
        Just("x".to_owned()),
        Just(",".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("drop table user;".to_owned()),
        Just("alter table user add z int;".to_owned()),
        Just("create index on user (tags);".to_owned()),
        Just("\nmigration 1 again { drop table page_views; }\n".to_owned()),
        Just("\nmodel Extra { id: uuid key (id) table user }\n".to_owned()),
        Just("\ntype Loop { me: frozen<Loop> }\n".to_owned()),
    ]
}

/// A random edit of `base`: delete, insert or replace a few characters.
fn mutated(base: String) -> impl Strategy<Value = String> {
    let chars: Vec<char> = base.chars().collect();
    let len = chars.len();
    prop::collection::vec((0..=len, 0usize..6, token()), 1..5).prop_map(move |edits| {
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
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Parsing and checking an edited valid schema never panics, and every
    /// diagnostic renders.
    #[test]
    fn edits_of_a_valid_schema_never_panic(text in mutated(rich_schema())) {
        let mut sources = SourceMap::new();
        sources.add("fuzz.corm", text).unwrap();
        let diagnostics = match cormc::parse::parse(&sources) {
            Ok(schema) => {
                let checked = cormc::check::check(&schema);
                prop_assert_eq!(
                    checked.schema.is_some(),
                    !checked.diagnostics.iter().any(Diagnostic::is_error)
                );
                checked.diagnostics
            }
            Err(diagnostics) => diagnostics,
        };
        let rendered = render_all(&diagnostics, &sources, RenderOptions::default());
        prop_assert!(diagnostics.is_empty() || rendered.contains("fuzz.corm"));
        prop_assert!(!diagnostics.iter().any(|d| d.code.as_str() == "E0999"), "{}", rendered);
    }
}
