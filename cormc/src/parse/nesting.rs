//! A bound on nesting, checked before pest runs.
//!
//! pest's generated parser recurses once per nesting level (`<…>` in types,
//! `{…}` in CQL map literals, parentheses), so hostile input could overflow
//! the stack. pest 2.9 probes the stack on every rule call to prevent that,
//! which costs about 40% of parse time; pest 2.8 does not. This scan gives
//! the same protection once per file, in linear time: it counts brackets
//! outside comments and strings (as the grammar reads them) and reports
//! E0009 where the depth first passes [`MAX_DEPTH`].

use crate::diagnostics::{Code, Diagnostic, SourceFile};

/// The deepest nesting accepted; far beyond any real schema.
pub const MAX_DEPTH: usize = 64;

/// A diagnostic at the first bracket nested deeper than [`MAX_DEPTH`].
pub(super) fn too_deep(file: &SourceFile) -> Option<Diagnostic> {
    let bytes = file.text().as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        i += if rest.starts_with(b"//") || rest.starts_with(b"--") {
            skip_until(rest, b"\n", 2)
        } else if rest.starts_with(b"/*") {
            skip_until(rest, b"*/", 2)
        } else if rest.starts_with(b"\"\"\"") {
            skip_until(rest, b"\"\"\"", 3)
        } else if rest.starts_with(b"$$") {
            skip_until(rest, b"$$", 2)
        } else {
            match rest[0] {
                b'"' => skip_string(rest, b'"'),
                b'\'' => skip_until(rest, b"'", 1),
                b'<' | b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(
                            Diagnostic::error(
                                Code::TooDeep,
                                format!("nesting deeper than {MAX_DEPTH} levels"),
                                file.span(i, i + 1),
                                "nested too deeply here",
                            )
                            .with_help("split the construct; deeply nested input is not supported"),
                        );
                    }
                    1
                }
                b'>' | b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    1
                }
                _ => 1,
            }
        };
    }
    None
}

/// The length of `rest` up to and including the first `end` after the
/// opening `skip` bytes (all of it when `end` never comes).
fn skip_until(rest: &[u8], end: &[u8], skip: usize) -> usize {
    let body = &rest[skip.min(rest.len())..];
    body.windows(end.len())
        .position(|window| window == end)
        .map_or(rest.len(), |at| skip + at + end.len())
}

/// A one-line `"…"` string with `\"` and `\\` escapes.
fn skip_string(rest: &[u8], quote: u8) -> usize {
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{FileId, SourceFile};

    fn depth_error(text: &str) -> bool {
        too_deep(&SourceFile::new(FileId::default(), "t.corm", text)).is_some()
    }

    #[test]
    fn deep_generics_are_refused_shallow_ones_pass() {
        let deep = format!(
            "{}int{}",
            "list<".repeat(MAX_DEPTH + 1),
            ">".repeat(MAX_DEPTH + 1)
        );
        let fine = format!(
            "{}int{}",
            "list<".repeat(MAX_DEPTH - 1),
            ">".repeat(MAX_DEPTH - 1)
        );
        assert!(depth_error(&deep));
        assert!(!depth_error(&fine));
    }

    #[test]
    fn brackets_in_comments_and_strings_do_not_count() {
        let many = "(".repeat(MAX_DEPTH * 2);
        for text in [
            format!("// {many}\n"),
            format!("/* {many} */"),
            format!("\"{many}\""),
            format!("\"\"\"\n{many}\n\"\"\""),
            format!("'{many}'"),
            format!("$${many}$$"),
        ] {
            assert!(!depth_error(&text), "{text}");
        }
    }
}
