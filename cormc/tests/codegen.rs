//! Code generation: snapshots of the generated Rust for the language
//! reference's types and models and for names that are Rust keywords
//! (in the workspace's `tests/snapshots/codegen/`), determinism, writing
//! only changed files, and freshness of the example crate's committed
//! generated code (`examples/src/generated/`, compiled by the workspace).
//!
//! To accept new or changed output: `INSTA_UPDATE=always cargo test -p cormc
//! --test codegen`, then review the `.snap` files. To refresh the example:
//! `cargo run -p cormc -- generate examples/schema.corm --out examples/src/generated`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use camino::Utf8PathBuf;
use cormc::codegen::{GeneratedFiles, Options, generate, generate_with, write};
use cormc::diagnostics::{RenderOptions, SourceMap, render_all};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Parses, checks and generates the files at `paths` (relative to the crate).
fn generate_files(paths: &[&str]) -> GeneratedFiles {
    generate(&checked_schema(paths)).unwrap()
}

/// Parses and checks the files at `paths` (relative to the crate).
fn checked_schema(paths: &[&str]) -> cormc::ir::Schema {
    let mut sources = SourceMap::new();
    for path in paths {
        let text = std::fs::read_to_string(manifest_dir().join(path)).unwrap();
        sources.add(*path, text).unwrap();
    }
    let schema = match cormc::parse::parse(&sources) {
        Ok(schema) => schema,
        Err(diagnostics) => panic!(
            "parse errors:\n{}",
            render_all(&diagnostics, &sources, RenderOptions::default())
        ),
    };
    let checked = cormc::check::check(&schema);
    let Some(schema) = checked.schema else {
        panic!(
            "check errors:\n{}",
            render_all(&checked.diagnostics, &sources, RenderOptions::default())
        );
    };
    schema
}

fn snapshot(name: &str, files: &GeneratedFiles) {
    let mut text = String::new();
    for (path, content) in files.iter() {
        text.push_str(&format!("==> {path} <==\n{content}\n"));
    }
    let snapshots = manifest_dir().join("../tests/snapshots/codegen");
    insta::with_settings!({
        snapshot_path => &snapshots,
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

const LANGUAGE: [&str; 3] = [
    "tests/fixtures/language/keyspace.corm",
    "tests/fixtures/language/types.corm",
    "tests/fixtures/language/models.corm",
];

#[test]
fn language_types_and_models() {
    snapshot("language_types_models", &generate_files(&LANGUAGE));
}

/// The GraphQL output (`--graphql`) of the language reference's types
/// and models: `graphql.rs` and `schema.graphql`, which the example
/// server's test compares with a running server's introspection.
#[test]
fn language_types_and_models_in_graphql() {
    let files = generate_with(&checked_schema(&LANGUAGE), Options { graphql: true }).unwrap();
    let mut graphql = GeneratedFiles::default();
    for (path, text) in files.iter() {
        if path.as_str().contains("graphql") {
            graphql.insert(path, text.to_owned());
        }
    }
    assert_eq!(graphql.len(), 2, "graphql.rs and schema.graphql");
    snapshot("language_graphql", &graphql);
}

/// One fixture folder per construct under `tests/fixtures/codegen/`
/// (keywords as names, enums, UDTs, composite keys, counters, defaults,
/// static columns, collections), each snapshotted under its folder's name.
#[test]
fn every_construct_fixture() {
    let root = manifest_dir().join("tests/fixtures/codegen");
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 9, "{folders:?}");
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "corm"))
            .map(|path| {
                path.strip_prefix(manifest_dir())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        files.sort();
        let files: Vec<&str> = files.iter().map(String::as_str).collect();
        snapshot(&name, &generate_files(&files));
    }
}

/// `SCHEMA_STATEMENTS` (in `mod.rs`) are the statements of `schema.cql`
/// less the keyspace's, made idempotent and cut where the keyspace goes,
/// and `Db::with_schema_keyspace` exists exactly when there is a keyspace.
#[test]
fn schema_statements_and_keyspace() {
    let schema = checked_schema(&LANGUAGE);
    let statements = cormc::codegen::schema_statements(&schema.desired);
    assert!(
        statements[0].starts_with("create keyspace shop"),
        "{statements:?}"
    );
    let script = statements
        .iter()
        .map(|statement| format!("{statement};\n"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(script, cormc::cql::render_schema(&schema.desired));
    let files = generate(&schema).unwrap();
    let cql = files.get("schema.cql").unwrap();
    assert!(cql.starts_with("-- @generated by cormc"), "{cql}");
    assert!(cql.ends_with(&script), "{cql}");

    let setup = cormc::codegen::setup_statements(&schema.desired).unwrap();
    assert_eq!(setup.len(), statements.len() - 1, "all but the keyspace's");
    for (cut, statement) in setup.iter().zip(&statements[1..]) {
        let text = cut.text("<ks>");
        assert!(text.contains(" if not exists "), "{text}");
        assert!(text.contains("<ks>."), "the keyspace goes in: {text}");
        assert_eq!(
            text.replace("<ks>.", "").replace(" if not exists", ""),
            *statement,
            "nothing else changes"
        );
    }
    let mod_rs = files.get("mod.rs").unwrap();
    for cut in &setup {
        for part in &cut.parts {
            assert!(mod_rs.contains(&format!("{part:?}")), "{part}");
        }
    }
    let db = files.get("db.rs").unwrap();
    assert!(db.contains("pub fn with_schema_keyspace(session: corm::Session) -> Self"));
    assert!(db.contains(r#"Self::new(session, "shop")"#));

    let keywords = generate_files(&["tests/fixtures/codegen/keywords/keywords.corm"]);
    assert!(
        !keywords
            .get("db.rs")
            .unwrap()
            .contains("with_schema_keyspace")
    );
}

#[test]
fn generation_is_deterministic() {
    let first = generate_files(&LANGUAGE);
    let second = generate_files(&LANGUAGE);
    assert_eq!(first, second);
}

#[test]
fn write_touches_only_changed_files() {
    let files = generate_files(&LANGUAGE);
    let dir = std::env::temp_dir().join(format!("cormc-codegen-write-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Utf8PathBuf::from_path_buf(dir.clone()).unwrap();

    let report = write(&files, &out).unwrap();
    assert_eq!(report.written.len(), files.len());
    assert!(report.unchanged.is_empty());
    let modified = |name: &str| {
        std::fs::metadata(out.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = modified("types.rs");

    std::thread::sleep(std::time::Duration::from_millis(20));
    let report = write(&files, &out).unwrap();
    assert!(report.written.is_empty(), "rewrote {:?}", report.written);
    assert_eq!(report.unchanged.len(), files.len());
    assert_eq!(modified("types.rs"), before);

    std::fs::write(out.join("types.rs"), "// edited\n").unwrap();
    let report = write(&files, &out).unwrap();
    assert_eq!(report.written, vec![Utf8PathBuf::from("types.rs")]);
    assert_eq!(
        std::fs::read_to_string(out.join("types.rs")).unwrap(),
        files.get("types.rs").unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The committed generated code of the example crate and of the bench is
/// what their schemas generate now (the workspace build then proves it
/// compiles cleanly); `cargo xtask codegen` refreshes both.
#[test]
fn committed_generated_code_is_fresh() {
    for (schema, out, graphql) in [
        ("../examples/schema.corm", "../examples/src/generated", true),
        (
            "../xtask/bench/schema.corm",
            "../xtask/bench/src/generated",
            false,
        ),
    ] {
        let files = generate_with(&checked_schema(&[schema]), Options { graphql }).unwrap();
        let dir = manifest_dir().join(out);
        let mut stale = Vec::new();
        for (path, text) in files.iter() {
            let committed = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
            if committed != text {
                stale.push(path.to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "{out} is stale ({stale:?}); run `cargo xtask codegen`"
        );
    }
}
