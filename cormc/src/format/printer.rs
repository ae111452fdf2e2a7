//! The output buffer, and where comments go.
//!
//! The printer writes tokens and keeps, next to the output, a *cursor* in the
//! source: the end of the last source token or comment accounted for. Every
//! comment is written exactly once, in source order, at one of three places:
//!
//! - **before a line** (a member, an item, a field of a list): a comment that
//!   starts on a line of its own in the source is printed on its own line at
//!   the indentation of what follows;
//! - **at the end of a line**: a comment that starts on the same source line
//!   as the token before it stays there, after one space;
//! - **inside a line**: a comment between two tokens of one member is written
//!   between the same tokens; a line comment then breaks the line and the
//!   member continues on the next line, indented one more level.
//!
//! So a comment keeps its neighbours: in particular a stray `///` comment is
//! still followed by the same token, and never turns into a doc comment.
//! Tokens the AST does not locate (punctuation, keywords after the first) are
//! found in the source by skipping whitespace and comments from the cursor.

use super::comments::{Comment, CommentKind, canonical_doc_line, canonical_text};
use crate::ast::{Doc, Span};

/// Columns per indentation level.
pub(super) const INDENT: usize = 2;

/// What to do about blank lines before a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Blanks {
    /// One blank line where the source has at least one.
    Keep,
    /// At least one blank line before the line or its leading comments (kept
    /// where the source has them, else before the first).
    Force,
}

/// Writes formatted text and interleaves the comments of the source.
pub(super) struct Printer<'s> {
    src: &'s str,
    comments: Vec<Comment>,
    /// The next comment not yet written.
    next: usize,
    out: String,
    /// Indentation of the current block.
    indent: usize,
    /// Indentation of the line being written.
    line_indent: usize,
    /// Nothing but (not yet written) indentation on the current line.
    line_empty: bool,
    /// A space is owed before the next token.
    space: bool,
    /// How many spaces the owed space is (more than one to align a column).
    pad: usize,
    /// Source offset up to which the text has been accounted for.
    cursor: usize,
    /// No blank line before the next line (start of file, after `{`, after a
    /// doc comment).
    fresh: bool,
}

impl<'s> Printer<'s> {
    pub(super) fn new(src: &'s str, comments: Vec<Comment>) -> Self {
        Self {
            src,
            comments,
            next: 0,
            out: String::with_capacity(src.len() + src.len() / 8),
            indent: 0,
            line_indent: 0,
            line_empty: true,
            space: false,
            pad: 1,
            cursor: 0,
            fresh: true,
        }
    }

    /// Writes the comments left over and returns the text, ending in one
    /// line break (or empty).
    pub(super) fn finish(mut self) -> String {
        self.flush_lines(usize::MAX, Blanks::Keep);
        self.newline();
        self.out
    }

    // ───────────── writing ─────────────

    /// Writes `text` on the current line (after its indentation and an owed
    /// space).
    fn write(&mut self, text: &str) {
        if self.line_empty {
            self.out.extend(std::iter::repeat_n(' ', self.line_indent));
            self.line_empty = false;
        } else if self.space {
            self.out.extend(std::iter::repeat_n(' ', self.pad.max(1)));
        }
        self.space = false;
        self.pad = 1;
        self.out.push_str(text);
    }

    /// Owes a space before the next token.
    pub(super) const fn sp(&mut self) {
        self.space = true;
        self.pad = 1;
    }

    /// Owes `count` spaces (at least one) before the next token: the
    /// padding of an aligned column.
    pub(super) const fn spaces(&mut self, count: usize) {
        self.space = true;
        self.pad = count;
    }

    /// Ends the current line (if it has anything); the next line starts at
    /// the block's indentation.
    pub(super) fn newline(&mut self) {
        self.break_line(self.indent);
    }

    fn break_line(&mut self, indent: usize) {
        if !self.line_empty {
            self.out.push('\n');
            self.line_empty = true;
        }
        self.line_indent = indent;
        self.space = false;
        self.pad = 1;
    }

    fn blank_line(&mut self) {
        self.newline();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Writes a token found at `span` in the source, after the comments
    /// before it.
    pub(super) fn tok(&mut self, text: &str, span: Span) {
        self.tok_at(text, span.start, span.end);
    }

    /// Writes a token found at `start..end` in the source, after the
    /// comments before it.
    pub(super) fn tok_at(&mut self, text: &str, start: usize, end: usize) {
        self.flush_inline(start);
        self.write(text);
        self.cursor = self.cursor.max(end);
    }

    /// Writes a token the AST does not locate: it is looked for in the
    /// source after the cursor (comments before it are written first). When
    /// it is not there (an optional comma the source left out), it is just
    /// written.
    pub(super) fn punct(&mut self, text: &str) {
        if matches!(text, "," | ")" | ">") {
            self.space = false;
        }
        match self.find(text) {
            Some(at) => {
                self.flush_inline(at);
                if matches!(text, "," | ")" | ">") {
                    self.space = false;
                }
                self.write(text);
                self.cursor = self.cursor.max(at + text.len());
            }
            None => self.write(text),
        }
    }

    /// Writes a keyword that is not the first token of its node (`on`,
    /// `and`, `by`, `as`, …): located like [`Self::punct`], after a space.
    pub(super) fn kw(&mut self, word: &str) {
        self.sp();
        match self.find(word) {
            Some(at) => {
                self.flush_inline(at);
                self.write(word);
                self.cursor = self.cursor.max(at + word.len());
            }
            None => self.write(word),
        }
    }

    /// An optional comma: written when `always`, else dropped. The comma of
    /// the source, if any, is consumed. When a `///` comment stands before
    /// it, the comments before it are written here and so is the comma:
    /// without it, the `///` line would become the doc comment of what
    /// follows.
    pub(super) fn optional_comma(&mut self, always: bool) {
        let Some(at) = self.find(",") else {
            if always {
                self.write(",");
            }
            return;
        };
        let doc_before = self
            .comments
            .iter()
            .skip(self.next)
            .take_while(|c| c.start < at)
            .any(|c| c.is_doc_line(self.src));
        if doc_before {
            self.flush_inline(at);
        }
        if always || doc_before {
            self.space = false;
            self.write(",");
        }
        self.cursor = self.cursor.max(at + 1);
    }

    /// The offset of `text` if it is the next token after the cursor.
    pub(super) fn find(&self, text: &str) -> Option<usize> {
        let mut at = self.cursor;
        loop {
            let rest = self.src.get(at..)?;
            let c = rest.chars().next()?;
            if is_whitespace(c) {
                at += c.len_utf8();
            } else if let Some(comment) = self.comment_at(at) {
                at = comment.end.max(at + 1);
            } else {
                return rest.starts_with(text).then_some(at);
            }
        }
    }

    fn comment_at(&self, at: usize) -> Option<Comment> {
        self.comments
            .binary_search_by_key(&at, |c| c.start)
            .ok()
            .and_then(|i| self.comments.get(i).copied())
    }

    // ───────────── blocks and lines ─────────────

    /// Whether a comment starts in `start..end`.
    pub(super) fn has_comment_in(&self, start: usize, end: usize) -> bool {
        self.comments
            .iter()
            .skip(self.next)
            .take_while(|c| c.start < end)
            .any(|c| c.start >= start)
    }

    /// Opens a block: ` {` (located in the source), one level deeper.
    pub(super) fn open_block(&mut self) {
        self.sp();
        self.punct("{");
        self.indent += INDENT;
        self.fresh = true;
    }

    /// Closes a block whose item ends at `end` (just after its `}`): the
    /// comments before the `}` go on lines of their own inside the block.
    pub(super) fn close_block(&mut self, end: usize) {
        let close = self.find_close(end);
        self.flush_lines(close, Blanks::Keep);
        self.indent = self.indent.saturating_sub(INDENT);
        self.newline();
        self.tok_at("}", close, close + 1);
        self.cursor = self.cursor.max(end);
    }

    /// Where the `}` of a block ending at `end` is.
    fn find_close(&self, end: usize) -> usize {
        let close = end.saturating_sub(1);
        if self.src.as_bytes().get(close) == Some(&b'}') {
            close
        } else {
            self.find("}").unwrap_or(end)
        }
    }

    /// Writes `{}` for a block with nothing in it, when no comment stands
    /// between its braces; returns whether it did.
    pub(super) fn empty_block(&mut self, end: usize) -> bool {
        let Some(open) = self.find("{") else {
            return false;
        };
        if self.has_comment_in(open, end) {
            return false;
        }
        self.sp();
        self.tok_at("{}", open, end);
        true
    }

    /// Starts a new line for a node (member, item, list entry) whose text
    /// (doc comment included) starts at `start`: the comments before it
    /// first, then blank lines as `blanks` says.
    pub(super) fn line(&mut self, start: usize, blanks: Blanks) {
        let owed = self.flush_lines(start, blanks);
        let gap = self.gap(self.cursor, start);
        let blank = !self.fresh && (owed || has_blank_line(gap));
        self.newline();
        if blank {
            self.blank_line();
        }
        self.fresh = false;
    }

    /// Writes the comments that start before `limit` between lines (see
    /// the module docs). Returns whether a blank line is still owed to what
    /// follows ([`Blanks::Force`] with no comment line to carry it).
    fn flush_lines(&mut self, limit: usize, blanks: Blanks) -> bool {
        let end = self.pending_end(limit);
        // Does the source have a blank line anywhere in this stretch?
        let mut owed = blanks == Blanks::Force && !self.any_blank(end, limit);
        while self.next < end {
            let Some(comment) = self.comments.get(self.next).copied() else {
                break;
            };
            self.next += 1;
            let text = canonical_text(comment.text(self.src), comment.kind);
            let gap = self.gap(self.cursor, comment.start);
            if !self.line_empty && !has_newline(gap) {
                // At the end of the line of the token before it.
                self.sp();
                self.write(&text);
                if comment.kind == CommentKind::Line {
                    self.newline();
                }
            } else {
                let blank = !self.fresh && (owed || has_blank_line(gap));
                self.newline();
                if blank {
                    self.blank_line();
                    owed = false;
                }
                self.write(&text);
                self.newline();
                self.fresh = false;
            }
            self.cursor = self.cursor.max(comment.end);
        }
        owed
    }

    /// Whether the source has a blank line before one of the comments that
    /// will go on a line of their own, or before `limit`.
    fn any_blank(&self, end: usize, limit: usize) -> bool {
        let mut cursor = self.cursor;
        let mut line_empty = self.line_empty;
        for comment in self.comments.get(self.next..end).unwrap_or(&[]) {
            let gap = self.gap(cursor, comment.start);
            if !line_empty && !has_newline(gap) {
                line_empty = comment.kind == CommentKind::Line;
            } else {
                if has_blank_line(gap) {
                    return true;
                }
                line_empty = true;
            }
            cursor = cursor.max(comment.end);
        }
        has_blank_line(self.gap(cursor, limit))
    }

    /// The index after the last pending comment that starts before `limit`.
    fn pending_end(&self, limit: usize) -> usize {
        let mut end = self.next;
        while self.comments.get(end).is_some_and(|c| c.start < limit) {
            end += 1;
        }
        end
    }

    /// Writes the comments that start before `limit` inside the current
    /// line, between two tokens.
    fn flush_inline(&mut self, limit: usize) {
        while let Some(comment) = self.comments.get(self.next).copied() {
            if comment.start >= limit {
                break;
            }
            self.next += 1;
            let text = canonical_text(comment.text(self.src), comment.kind);
            self.sp();
            self.write(&text);
            self.cursor = self.cursor.max(comment.end);
            match comment.kind {
                CommentKind::Line => self.break_line(self.indent + INDENT),
                CommentKind::Block => self.sp(),
            }
        }
    }

    /// Writes a doc comment, one line each, at the start of a line: its
    /// `///` lines in canonical form and the ordinary comments between them.
    /// The comments between the doc and `body` (where its node starts) go
    /// on lines of their own; the node then starts a new line.
    pub(super) fn doc(&mut self, doc: Option<&Doc>, body: usize) {
        let Some(doc) = doc else {
            return;
        };
        let indent = self.line_indent;
        while let Some(comment) = self.comments.get(self.next).copied() {
            if comment.start >= doc.span.end {
                break;
            }
            self.next += 1;
            let text = comment.text(self.src);
            let text = if comment.is_doc_line(self.src) {
                canonical_doc_line(text)
            } else {
                canonical_text(text, comment.kind)
            };
            self.break_line(indent);
            self.write(&text);
            self.break_line(indent);
            self.cursor = self.cursor.max(comment.end);
        }
        self.fresh = true;
        self.cursor = self.cursor.max(doc.span.end);
        let end = self.pending_end(body);
        while self.next < end {
            let Some(comment) = self.comments.get(self.next).copied() else {
                break;
            };
            self.next += 1;
            let text = canonical_text(comment.text(self.src), comment.kind);
            self.break_line(indent);
            self.write(&text);
            self.break_line(indent);
            self.cursor = self.cursor.max(comment.end);
        }
        self.break_line(indent);
        self.fresh = false;
    }

    /// The source between two offsets (empty when out of order).
    fn gap(&self, from: usize, to: usize) -> &'s str {
        if from >= to {
            return "";
        }
        self.src.get(from..to).unwrap_or("")
    }

    /// Runs `f` one indentation level deeper (continuation lines of a
    /// member written one entry per line).
    pub(super) fn deeper(&mut self, f: impl FnOnce(&mut Self)) {
        self.indent += INDENT;
        f(self);
        self.indent = self.indent.saturating_sub(INDENT);
    }
}

/// Whitespace as the grammar sees it (with the byte-order mark).
const fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{FEFF}')
}

fn has_newline(text: &str) -> bool {
    text.contains(['\n', '\r'])
}

/// Whether `text` (the source between two tokens) holds an empty line.
fn has_blank_line(text: &str) -> bool {
    let mut lines = text.split('\n');
    lines.next();
    let mut middle: Vec<&str> = lines.collect();
    middle.pop();
    middle.iter().any(|line| line.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_are_found_between_breaks() {
        assert!(!has_blank_line(" "));
        assert!(!has_blank_line("\n  "));
        assert!(has_blank_line("\n\n  "));
        assert!(has_blank_line(",\n \t\r\n  "));
        assert!(!has_blank_line("\n// x\n"));
    }
}
