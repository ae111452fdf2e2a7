//! Parse stage: `.corm` text to [`crate::ast`].
//!
//! pest gives pairs; `build` turns them into AST nodes with a
//! [`Span`](crate::diagnostics::Span) on every node at once, and no pest type
//! leaves this module. Syntax errors become [`Diagnostic`]s with human text
//! (`expected`). When a file does not parse, it is cut where top-level items
//! start and each piece is parsed again (`recovery`), so one run reports an
//! error for every broken item.

mod build;
mod expected;
mod grammar;
mod nesting;
mod recovery;
pub(crate) mod suggest;

use pest::Parser as _;

use self::build::Builder;
use self::expected::{ErrorContext, syntax_error};
use self::grammar::{CormParser, Rule};
use crate::ast;
use crate::diagnostics::{Diagnostic, SourceFile, SourceMap};

/// Parses every file of `sources`.
///
/// # Errors
/// All syntax errors of all files, in file order and then source order.
pub fn parse(sources: &SourceMap) -> Result<ast::Schema, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for file in sources.iter() {
        match parse_file(file) {
            Ok(parsed) => files.push(parsed),
            Err(mut diagnostics) => errors.append(&mut diagnostics),
        }
    }
    if errors.is_empty() {
        Ok(ast::Schema { files })
    } else {
        Err(errors)
    }
}

/// Parses one file.
///
/// # Errors
/// Its syntax errors (at least one when it does not parse), in source order.
pub fn parse_file(file: &SourceFile) -> Result<ast::File, Vec<Diagnostic>> {
    if let Some(diagnostic) = nesting::too_deep(file) {
        return Err(vec![diagnostic]);
    }
    let text = file.text();
    match CormParser::parse(Rule::schema, text) {
        Ok(pairs) => {
            let mut builder = Builder::new(file, 0);
            let items = builder.schema(pairs);
            let diagnostics = builder.into_diagnostics();
            if diagnostics.is_empty() {
                Ok(ast::File {
                    file: file.id(),
                    items,
                    span: file.span(0, text.len()),
                })
            } else {
                Err(sorted(diagnostics))
            }
        }
        Err(error) => Err(recover(file, &error)),
    }
}

/// Parses each top-level item of a broken file on its own and collects the
/// errors of every piece; falls back to the whole-file error.
fn recover(file: &SourceFile, first: &pest::error::Error<Rule>) -> Vec<Diagnostic> {
    let text = file.text();
    let starts = recovery::item_starts(text);
    let mut bounds = Vec::with_capacity(starts.len() + 2);
    bounds.push(0);
    bounds.extend(starts.iter().copied());
    bounds.push(text.len());
    bounds.dedup();
    let mut diagnostics = Vec::new();
    for pair in bounds.windows(2) {
        let [start, end] = *pair else { continue };
        let Some(chunk) = text.get(start..end) else {
            continue;
        };
        match CormParser::parse(Rule::schema, chunk) {
            Ok(pairs) => {
                let mut builder = Builder::new(file, start);
                let _ = builder.schema(pairs);
                diagnostics.extend(builder.into_diagnostics());
            }
            Err(error) => diagnostics.push(syntax_error(
                &error,
                &ErrorContext {
                    file,
                    offset: start,
                    item_starts: &starts,
                },
            )),
        }
    }
    if !diagnostics.iter().any(Diagnostic::is_error) {
        diagnostics.push(syntax_error(
            first,
            &ErrorContext {
                file,
                offset: 0,
                item_starts: &starts,
            },
        ));
    }
    sorted(diagnostics)
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort_by_key(|d| (d.primary.span.start, d.primary.span.end));
    diagnostics.dedup();
    diagnostics
}
