//! The formatter checks its own output before handing it out.
//!
//! The formatted text must parse to the same AST as the input once spans are
//! set aside ([`spanless_debug`]), and hold the same comments in the same
//! order (compared in their canonical form, see
//! [`canonical_text`](super::comments::canonical_text)). Anything else is a
//! formatter bug, reported as [`FormatError::Internal`](super::FormatError)
//! rather than written over the user's file.

use super::comments;
use crate::ast;
use crate::diagnostics::SourceFile;

/// The `Debug` text of `file` with every `Span { … }` replaced by `Span`:
/// two files with the same tree and different layouts give the same text.
#[must_use]
pub fn spanless_debug(file: &ast::File) -> String {
    erase_spans(&format!("{file:?}"))
}

/// Replaces each `Span { … }` outside string literals of a `Debug` text by
/// `Span` (a span's own `Debug` holds no braces or strings).
fn erase_spans(debug: &str) -> String {
    const SPAN: &str = "Span {";
    let mut out = String::with_capacity(debug.len() / 2);
    let mut rest = debug;
    let mut in_string = false;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if let Some(escaped) = rest.strip_prefix('\\') {
                let len = escaped.chars().next().map_or(0, char::len_utf8);
                out.push_str(rest.get(..1 + len).unwrap_or(rest));
                rest = rest.get(1 + len..).unwrap_or("");
                continue;
            }
            in_string = c != '"';
        } else if c == '"' {
            in_string = true;
        } else if rest.starts_with(SPAN) && !out.ends_with(|p: char| p.is_alphanumeric()) {
            out.push_str("Span");
            let close = rest.find('}').map_or(rest.len(), |at| at + 1);
            rest = rest.get(close..).unwrap_or("");
            continue;
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// The comments of `src` in their canonical printed form, in order. Doc
/// lines appear as `/// text`, the form the formatter writes.
#[must_use]
pub fn comment_texts(src: &str, file: &ast::File) -> Vec<String> {
    comments::scan(src, file)
        .iter()
        .map(|c| {
            let text = c.text(src);
            if c.is_doc_line(src) {
                comments::canonical_doc_line(text).trim_end().to_owned()
            } else {
                comments::canonical_text(text, c.kind)
            }
        })
        .collect()
}

/// Checks that `formatted` means what `file` (parsed as `ast`) means.
///
/// # Errors
/// What differs, as a sentence.
pub(super) fn check(file: &SourceFile, ast: &ast::File, formatted: &str) -> Result<(), String> {
    let reparsed_file = SourceFile::new(file.id(), file.path(), formatted);
    let reparsed = crate::parse::parse_file(&reparsed_file).map_err(|diagnostics| {
        let first = diagnostics
            .first()
            .map_or_else(String::new, |d| format!(": {}", d.message));
        format!("the formatted text does not parse{first}")
    })?;
    if spanless_debug(ast) != spanless_debug(&reparsed) {
        return Err("the formatted text would change the schema".to_owned());
    }
    let before = comment_texts(file.text(), ast);
    let after = comment_texts(formatted, &reparsed);
    if before != after {
        let lost = before
            .iter()
            .zip(after.iter().map(Some).chain(std::iter::repeat(None)))
            .find(|(b, a)| Some(*b) != *a)
            .map_or_else(String::new, |(b, _)| format!(" (`{b}`)"));
        return Err(format!(
            "the formatted text would move or lose a comment{lost}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::erase_spans;

    #[test]
    fn spans_are_erased_outside_strings() {
        let debug =
            r#"Ident { name: "Span { x }\"", span: Span { file: FileId(0), start: 1, end: 2 } }"#;
        assert_eq!(
            erase_spans(debug),
            r#"Ident { name: "Span { x }\"", span: Span }"#
        );
    }
}
