//! Syntax-error cases: each `fixtures/syntax/<case>/input.corm` must fail to
//! parse, and its rendered (colourless) diagnostics are snapshotted in the
//! workspace's `tests/snapshots/syntax/<case>.snap`.
//!
//! To accept new or changed output: `INSTA_UPDATE=always cargo test -p cormc
//! --test syntax_errors`, then review the `.snap` files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use cormc::diagnostics::{RenderOptions, SourceMap, render_all};

fn cases() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
    let mut cases: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, entry.path().join("input.corm"))
        })
        .collect();
    cases.sort();
    cases
}

/// The diagnostics of one case as the user sees them.
fn rendered(case: &str, input: &Path) -> String {
    let text = std::fs::read_to_string(input).unwrap();
    let mut sources = SourceMap::new();
    let path = format!("tests/fixtures/syntax/{case}/input.corm");
    let id = sources.add(path, text).unwrap();
    match cormc::parse::parse_file(sources.get(id).unwrap()) {
        Ok(_) => panic!("case `{case}` parsed without error"),
        Err(diagnostics) => render_all(&diagnostics, &sources, RenderOptions::default()),
    }
}

#[test]
fn syntax_error_cases() {
    let cases = cases();
    assert!(cases.len() >= 12, "only {} syntax cases", cases.len());
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/snapshots/syntax");
    for (case, input) in &cases {
        let output = rendered(case, input);
        assert!(output.contains("input.corm:"), "{case}: no path:line:col");
        insta::with_settings!({
            snapshot_path => &snapshots,
            prepend_module_to_snapshot => false,
            input_file => input,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(case.as_str(), output);
        });
    }
}
