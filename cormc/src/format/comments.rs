//! Finding every comment of a `.corm` file.
//!
//! The AST keeps doc comments (as [`Doc`](crate::ast::Doc)) but no ordinary
//! comment, so the formatter scans the text for them: `// …`, `/* … */` and
//! `///` lines (those of a doc run as well as stray ones), and inside the body
//! of a `migration` also CQL's `-- …`. The scanner knows `.corm` strings
//! (`"…"` with the `\"` and `\\` escapes, `"""…"""` without escapes), so a
//! `//` inside a string is not a comment, and it skips the text of DDL
//! statements: their comments belong to the statement text, which is printed
//! verbatim.

use crate::ast::{self, Item, MigrationStep};

/// The two shapes of comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …`, `/// …` or (in a migration body) `-- …`, up to the end of the
    /// line.
    Line,
    /// `/* … */` (block comments do not nest).
    Block,
}

/// One comment: where it is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// Its shape.
    pub kind: CommentKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset one past its last character (a line comment ends before
    /// the line break, `\r` excluded).
    pub end: usize,
}

impl Comment {
    /// The comment's text as written (empty if the offsets are not in `src`).
    #[must_use]
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// Whether this is a `/// …` line (a doc line when it stands in a doc
    /// run; `////` is an ordinary comment).
    #[must_use]
    pub fn is_doc_line(&self, src: &str) -> bool {
        self.kind == CommentKind::Line && is_doc_text(self.text(src))
    }
}

/// Whether `text` is a `///` line and not a `////` one.
#[must_use]
pub fn is_doc_text(text: &str) -> bool {
    text.starts_with("///") && !text.starts_with("////")
}

/// The comment's text as the formatter prints it: line comments lose their
/// trailing whitespace; a `///` line is written `/// text` (one space after
/// `///`, or none when the line is empty), which the parser reads as the
/// same doc text. Block comments are kept byte for byte.
#[must_use]
pub fn canonical_text(text: &str, kind: CommentKind) -> String {
    match kind {
        CommentKind::Block => text.to_owned(),
        CommentKind::Line => text.trim_end().to_owned(),
    }
}

/// A doc line as printed: `///`, then one space and the doc text of the
/// line if it has any. The doc text (the rest after `///` minus one leading
/// space) is kept exactly, trailing whitespace included, as it is part of
/// the AST.
#[must_use]
pub fn canonical_doc_line(text: &str) -> String {
    let rest = text.get(3..).unwrap_or("");
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let rest = rest.trim_end_matches('\r');
    if rest.is_empty() {
        "///".to_owned()
    } else {
        format!("/// {rest}")
    }
}

/// Where the scanner must not look, and where CQL rules apply.
#[derive(Debug, Default)]
struct Regions {
    /// DDL statements: printed verbatim, comments included.
    opaque: Vec<(usize, usize)>,
    /// Migration bodies (from the name to the end): `--` starts a comment.
    cql: Vec<(usize, usize)>,
}

impl Regions {
    fn of(file: &ast::File) -> Self {
        let mut regions = Self::default();
        for item in &file.items {
            if let Item::Migration(migration) = item {
                regions
                    .cql
                    .push((migration.name.span.end, migration.span.end));
                for step in &migration.steps {
                    if let MigrationStep::Ddl(ddl) = step {
                        regions.opaque.push((ddl.span.start, ddl.span.end));
                    }
                }
            }
        }
        regions.opaque.sort_unstable();
        regions.cql.sort_unstable();
        regions
    }
}

/// Every comment of `src` (the text `file` was parsed from), in order.
#[must_use]
pub fn scan(src: &str, file: &ast::File) -> Vec<Comment> {
    scan_with(src, &Regions::of(file))
}

fn scan_with(src: &str, regions: &Regions) -> Vec<Comment> {
    let bytes = src.as_bytes();
    let mut comments = Vec::new();
    let mut opaque = regions.opaque.iter().peekable();
    let mut cql = regions.cql.iter().peekable();
    let mut i = 0;
    while i < bytes.len() {
        while opaque.peek().is_some_and(|&&(_, end)| end <= i) {
            opaque.next();
        }
        if let Some(&&(start, end)) = opaque.peek()
            && start <= i
        {
            i = end.max(i + 1);
            continue;
        }
        while cql.peek().is_some_and(|&&(_, end)| end <= i) {
            cql.next();
        }
        let in_cql = cql.peek().is_some_and(|&&(start, _)| start <= i);
        let rest = bytes.get(i..).unwrap_or(&[]);
        if rest.starts_with(b"//") || (in_cql && rest.starts_with(b"--")) {
            let end = line_end(bytes, i);
            comments.push(Comment {
                kind: CommentKind::Line,
                start: i,
                end,
            });
            i = end;
        } else if rest.starts_with(b"/*") {
            let end = find(bytes, i + 2, b"*/").map_or(bytes.len(), |at| at + 2);
            comments.push(Comment {
                kind: CommentKind::Block,
                start: i,
                end,
            });
            i = end;
        } else if rest.starts_with(b"\"\"\"") {
            i = find(bytes, i + 3, b"\"\"\"").map_or(bytes.len(), |at| at + 3);
        } else if rest.starts_with(b"\"") {
            i = line_string_end(bytes, i);
        } else {
            i += 1;
        }
    }
    comments
}

/// The offset of the line break (`\n` or `\r`) at or after `from`, or the
/// end of the text.
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
        .map_or(bytes.len(), |at| from + at)
}

/// The offset of the first `needle` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

/// The end of a `"…"` string starting at `start` (after its closing quote,
/// or at the line break of an unterminated one).
fn line_string_end(bytes: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    while let Some(&b) = bytes.get(j) {
        match b {
            b'\\' if matches!(bytes.get(j + 1), Some(b'\\' | b'"')) => j += 2,
            b'"' => return j + 1,
            b'\n' | b'\r' => return j,
            _ => j += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str, regions: &Regions) -> Vec<String> {
        scan_with(src, regions)
            .iter()
            .map(|c| c.text(src).to_owned())
            .collect()
    }

    #[test]
    fn finds_line_block_and_doc_comments() {
        let src = "/// doc\nmodel A { // one\n  a: int /* two */ }\r\n// three\r\n";
        assert_eq!(
            texts(src, &Regions::default()),
            ["/// doc", "// one", "/* two */", "// three"]
        );
    }

    #[test]
    fn strings_hide_comment_markers() {
        let src = r#"a "// no \" /* no" b """ // no
        """ // yes"#;
        assert_eq!(texts(src, &Regions::default()), ["// yes"]);
    }

    #[test]
    fn cql_dashes_only_in_migrations() {
        let src = "-- no\nmigration 1 a { -- yes\n create x -- kept; }";
        let start = src.find("create").unwrap_or(0);
        let end = src.find(';').unwrap_or(0) + 1;
        let regions = Regions {
            opaque: vec![(start, end)],
            cql: vec![(src.find(" a").unwrap_or(0), src.len())],
        };
        assert_eq!(texts(src, &regions), ["-- yes"]);
    }

    #[test]
    fn doc_lines_are_canonical() {
        assert_eq!(canonical_doc_line("///x"), "/// x");
        assert_eq!(canonical_doc_line("///  x "), "///  x ");
        assert_eq!(canonical_doc_line("/// "), "///");
        assert!(is_doc_text("/// a"));
        assert!(!is_doc_text("//// a"));
    }
}
