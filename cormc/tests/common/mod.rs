//! Helpers shared by the integration tests.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use cormc::ast;
use cormc::diagnostics::{Diagnostic, RenderOptions, SourceMap, render_all};

/// Parses `text` as a file named `path`.
pub fn parse(path: &str, text: &str) -> (SourceMap, Result<ast::File, Vec<Diagnostic>>) {
    let mut sources = SourceMap::new();
    let id = sources.add(path, text).unwrap();
    let result = cormc::parse::parse_file(sources.get(id).unwrap());
    (sources, result)
}

/// Parses `text` and expects no error.
pub fn parse_ok(text: &str) -> ast::File {
    let (sources, result) = parse("test.corm", text);
    match result {
        Ok(file) => file,
        Err(diagnostics) => panic!(
            "unexpected errors:\n{}",
            render_all(&diagnostics, &sources, RenderOptions::default())
        ),
    }
}

/// Parses `text`, expects errors, and returns them rendered without colour.
pub fn parse_err(text: &str) -> String {
    let (sources, result) = parse("test.corm", text);
    match result {
        Ok(file) => panic!("expected errors, parsed: {file:#?}"),
        Err(diagnostics) => render_all(&diagnostics, &sources, RenderOptions::default()),
    }
}

/// The only item of `file`.
pub fn only_item(file: &ast::File) -> &ast::Item {
    assert_eq!(file.items.len(), 1, "expected one item");
    &file.items[0]
}
