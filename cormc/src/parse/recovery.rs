//! Lexical helpers for error reporting and recovery.
//!
//! When a file does not parse, it is split where top-level items start and
//! each piece is parsed on its own, so one run reports an error per broken
//! item instead of only the first.

use pest::Parser as _;

use super::grammar::{CormParser, Rule};

/// Offsets of the lines where a top-level item starts (with the `///` lines
/// right above it), outside comments and strings.
pub(super) fn item_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        if line_start {
            line_start = false;
            let first = skip_blanks(bytes, i);
            if bytes.get(first).is_some_and(u8::is_ascii_alphabetic) && probe(text, first) {
                starts.push(with_docs_above(text, i));
            }
        }
        match bytes.get(i..i + 2) {
            Some(b"//") => {
                i = line_end(bytes, i);
                continue;
            }
            Some(b"/*") => {
                i = text
                    .get(i + 2..)
                    .and_then(|rest| rest.find("*/"))
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
                continue;
            }
            _ => {}
        }
        match bytes.get(i) {
            Some(b'\n') => {
                line_start = true;
                i += 1;
            }
            Some(b'"') => i = string_end(text, i),
            _ => i += 1,
        }
    }
    starts.dedup();
    starts
}

/// Whether an item head (`model Name {`, …) starts at `at`. pest is given a
/// bounded window: its cost grows with the input it is handed.
fn probe(text: &str, at: usize) -> bool {
    const WINDOW: usize = 4096;
    let mut end = (at + WINDOW).min(text.len());
    while end > at && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(at..end)
        .is_some_and(|window| CormParser::parse(Rule::item_probe, window).is_ok())
}

/// Moves a line start up over the `///` lines right above it.
fn with_docs_above(text: &str, line: usize) -> usize {
    let mut start = line;
    while start > 0 {
        let previous_end = start - 1; // the '\n' ending the previous line
        let previous_start = text
            .get(..previous_end)
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |n| n + 1);
        let previous = text
            .get(previous_start..previous_end)
            .unwrap_or("")
            .trim_start();
        if previous.starts_with("///") && !previous.starts_with("////") {
            start = previous_start;
        } else {
            break;
        }
    }
    start
}

fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    i
}

fn line_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|b| *b != b'\n') {
        i += 1;
    }
    i
}

/// The offset after the string starting at `i` (`"…"` or `"""…"""`).
fn string_end(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(i..i + 3) == Some(b"\"\"\"") {
        return text
            .get(i + 3..)
            .and_then(|rest| rest.find("\"\"\""))
            .map_or(bytes.len(), |end| i + 3 + end + 3);
    }
    let mut j = i + 1;
    while let Some(&b) = bytes.get(j) {
        match b {
            b'\\' if matches!(bytes.get(j + 1), Some(b'"' | b'\\')) => j += 2,
            b'"' => return j + 1,
            b'\n' => return j,
            _ => j += 1,
        }
    }
    j
}

/// The last `"…` string between `from` and `to` that is not closed on its
/// line (comments and `"""…"""` strings are skipped).
pub(super) fn unterminated_string_before(
    text: &str,
    from: usize,
    to: usize,
) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = None;
    let mut i = from;
    while i < to.min(bytes.len()) {
        match bytes.get(i..i + 2) {
            Some(b"//") => {
                i = line_end(bytes, i);
                continue;
            }
            Some(b"/*") => {
                i = text
                    .get(i + 2..)
                    .and_then(|rest| rest.find("*/"))
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
                continue;
            }
            _ => {}
        }
        if bytes.get(i) == Some(&b'"') {
            let end = string_end(text, i);
            let closed = bytes.get(i..i + 3) == Some(b"\"\"\"")
                || (end > i + 1 && bytes.get(end - 1) == Some(&b'"'));
            if !closed && i < to {
                found = Some((i, end));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

/// Skips whitespace and comments (`//`, `///`, `/* */`) from `pos`.
pub(super) fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while bytes
            .get(pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            pos += 1;
        }
        match bytes.get(pos..pos + 2) {
            Some(b"//") => pos = line_end(bytes, pos),
            Some(b"/*") => match text.get(pos + 2..).and_then(|rest| rest.find("*/")) {
                Some(end) => pos = pos + 2 + end + 2,
                None => return pos,
            },
            _ => return pos,
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of the token starting at `pos`: a word, or one character.
pub(super) fn token_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = pos;
    while bytes.get(end).copied().is_some_and(is_word_byte) {
        end += 1;
    }
    if end > pos {
        return end;
    }
    text.get(pos..)
        .and_then(|rest| rest.chars().next())
        .map_or(pos, |c| pos + c.len_utf8())
}

/// The word ending right before `pos` (spaces, tabs and newlines skipped).
pub(super) fn word_before(text: &str, pos: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut end = pos.min(bytes.len());
    while end > 0 && bytes.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && bytes.get(start - 1).copied().is_some_and(is_word_byte) {
        start -= 1;
    }
    (start < end).then_some((start, end))
}

/// The end of the token before `pos` (whitespace skipped back).
pub(super) fn previous_token_end(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = pos.min(bytes.len());
    while end > 0 && bytes.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_item_starts_outside_comments_and_strings() {
        let text = "model A {\n  x: int\n}\n/* model B {\n*/\n/// doc\nmodel C {\n}\n";
        let starts = item_starts(text);
        assert_eq!(starts, vec![0, text.find("/// doc").unwrap()]);
    }

    #[test]
    fn trivia_and_tokens() {
        let text = "  // c\n /* d */ model";
        let at = skip_trivia(text, 0);
        assert_eq!(&text[at..token_end(text, at)], "model");
        assert_eq!(word_before("a  email  text", 10), Some((3, 8)));
    }
}
