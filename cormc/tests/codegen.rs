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
use cormc::codegen::{GeneratedFiles, generate, write};
use cormc::diagnostics::{RenderOptions, SourceMap, render_all};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Parses, checks and generates the files at `paths` (relative to the crate).
fn generate_files(paths: &[&str]) -> GeneratedFiles {
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
    generate(&schema).unwrap()
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

const LANGUAGE: [&str; 2] = [
    "tests/fixtures/language/types.corm",
    "tests/fixtures/language/models.corm",
];

#[test]
fn language_types_and_models() {
    snapshot("language_types_models", &generate_files(&LANGUAGE));
}

#[test]
fn keyword_field_names() {
    snapshot(
        "keywords",
        &generate_files(&["tests/fixtures/codegen/keywords/keywords.corm"]),
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

/// The example crate's generated code is what `examples/schema.corm`
/// generates now (the workspace build then proves it compiles cleanly).
#[test]
fn example_generated_code_is_fresh() {
    let files = generate_files(&["../examples/schema.corm"]);
    let dir = manifest_dir().join("../examples/src/generated");
    let mut stale = Vec::new();
    for (path, text) in files.iter() {
        let committed = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        if committed != text {
            stale.push(path.to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "examples/src/generated is stale ({stale:?}); run \
         `cargo run -p cormc -- generate examples/schema.corm --out examples/src/generated`"
    );
}
