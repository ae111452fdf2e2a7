//! The common case of [`render`](super::render), written directly: the same
//! text as miette's graphical handler, at a fraction of its cost.
//!
//! miette (with textwrap for the message and `help:` lines) costs about
//! 150,000 instructions per diagnostic, which is most of `cormc check`'s time
//! on a schema with a thousand warnings. This module writes the layout that
//! handler writes for the diagnostics cormc usually has, and declines
//! (returns `None`, so the caller asks miette) for anything else:
//!
//! - colour (the styled output is left to miette);
//! - a label in another file (miette's "related" section);
//! - a label that spans lines, or a multi-line label text;
//! - source lines that are not printable ASCII (tabs, `\r`, wide or combining
//!   characters: miette's width and tab rules apply);
//! - a message or `help:` text outside the subset whose line breaks are
//!   known without the Unicode line-breaking algorithm (see [`wrap`]).
//!
//! The output is byte for byte miette's: the tests render every diagnostic
//! both ways and compare (`cormc/src/diagnostics/layout.rs` tests, and the
//! snapshot suites, which go through this path).

use std::fmt::Write as _;

use miette::{SourceSpan, SpanContents};

use super::render::FileSource;
use super::{Diagnostic, Label, Severity, SourceFile};

/// Lines of context above and below a label (the handler's setting).
const CONTEXT_LINES: usize = 1;

/// One label as the handler sees it: clamped into the text, with its text
/// (`None` when empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark<'a> {
    start: usize,
    len: usize,
    text: Option<&'a str>,
    primary: bool,
}

impl Mark<'_> {
    const fn end(&self) -> usize {
        self.start + self.len
    }

    fn span(&self) -> SourceSpan {
        SourceSpan::new(self.start.into(), self.len)
    }
}

/// What `read_span` returned, copied out.
#[derive(Debug, Clone, Copy)]
struct Contents {
    start: usize,
    len: usize,
    line: usize,
    column: usize,
    line_count: usize,
}

fn read(source: &FileSource<'_>, span: SourceSpan, context: usize) -> Option<Contents> {
    let contents = source.read_unnamed(&span, context, context).ok()?;
    Some(Contents {
        start: contents.span().offset(),
        len: contents.span().len(),
        line: contents.line(),
        column: contents.column(),
        line_count: contents.line_count(),
    })
}

/// One source line of a snippet (miette's `Line`): its 1-based number, the
/// offset of its first byte, its length with the line break, its text
/// without it.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

impl Line<'_> {
    /// The label is drawn on or beside this line.
    const fn applies(&self, mark: &Mark<'_>) -> bool {
        let len = if mark.len == 0 { 1 } else { mark.len };
        let end = self.offset + self.length;
        (mark.start >= self.offset && mark.start < end)
            || (mark.start < self.offset && mark.start + len > end)
            || (mark.start + len > self.offset && mark.start + len <= end)
    }

    /// The label starts and ends within this line.
    const fn holds(&self, mark: &Mark<'_>) -> bool {
        mark.start >= self.offset && mark.end() <= self.offset + self.length
    }

    /// The label needs the gutter on this line (it spans lines).
    const fn needs_gutter(&self, mark: &Mark<'_>) -> bool {
        let len = if mark.len == 0 { 1 } else { mark.len };
        let end = self.offset + self.length;
        self.applies(mark)
            && !((mark.start >= self.offset && mark.start < end)
                && (mark.start + len > self.offset && mark.start + len <= end))
    }

    /// The display column of a byte offset on this line (ASCII text, so a
    /// byte is a column; past the text is one column past its end).
    const fn column(&self, offset: usize) -> usize {
        let index = offset.saturating_sub(self.offset);
        if index > self.text.len() {
            self.text.len() + 1
        } else {
            index
        }
    }
}

/// Renders `diagnostic` as miette's graphical handler would without colour
/// at `width` columns, or `None` when it is not of the shape this module
/// writes.
pub(super) fn render(diagnostic: &Diagnostic, file: &SourceFile, width: usize) -> Option<String> {
    let text_width = width.saturating_sub(2);
    let icon = match diagnostic.severity {
        Severity::Error => "×",
        Severity::Warning => "⚠",
        Severity::Note => "☞",
    };
    let mut out = String::with_capacity(1024);
    // Header: `warning[W1106]` and a blank line.
    let _ = write!(
        out,
        "{}[{}]\n\n",
        diagnostic.severity.as_str(),
        diagnostic.code
    );
    // The message, wrapped after `  ⚠ `, continued after `  │ `.
    let initial = format!("  {icon} ");
    wrap(
        &mut out,
        &diagnostic.message,
        text_width,
        Indent::new(&initial, 4),
        Indent::new("  │ ", 4),
    )?;
    out.push('\n');
    snippets(&mut out, diagnostic, file)?;
    if let Some(help) = &diagnostic.help {
        wrap(
            &mut out,
            help,
            text_width,
            Indent::new("  help: ", 8),
            Indent::new("        ", 8),
        )?;
        out.push('\n');
    }
    Some(out)
}

/// The labels, grouped into snippets as miette groups them, each written.
fn snippets(out: &mut String, diagnostic: &Diagnostic, file: &SourceFile) -> Option<()> {
    let mut marks = Vec::with_capacity(1 + diagnostic.secondary.len());
    marks.push(mark(file, &diagnostic.primary, true)?);
    for label in &diagnostic.secondary {
        if label.span.file != diagnostic.primary.span.file {
            return None;
        }
        marks.push(mark(file, label, false)?);
    }
    // The same (unstable) sort as miette's, on the same keys.
    marks.sort_unstable_by_key(|mark| mark.start);

    let source = FileSource(file);
    let mut contexts: Vec<(Mark<'_>, Contents)> = Vec::with_capacity(marks.len());
    for &right in &marks {
        let right_contents = read(&source, right.span(), CONTEXT_LINES)?;
        if let Some(&(left, left_contents)) = contexts.last()
            && left_contents.line + left_contents.line_count >= right_contents.line
        {
            // Snippets that would overlap become one, under the left label.
            let merged = Mark {
                start: left.start,
                len: left.end().max(right.end()) - left.start,
                text: left.text,
                primary: false,
            };
            if let Some(merged_contents) = read(&source, merged.span(), CONTEXT_LINES) {
                contexts.pop();
                contexts.push((merged, merged_contents));
                continue;
            }
        }
        contexts.push((right, right_contents));
    }
    for (context, contents) in contexts {
        snippet(out, &source, file, context, contents, &marks)?;
    }
    Some(())
}

fn mark<'a>(file: &SourceFile, label: &'a Label, primary: bool) -> Option<Mark<'a>> {
    if label.message.contains('\n') {
        return None;
    }
    let start = file.clamp(label.span.start);
    let end = file.clamp(label.span.end).max(start);
    Some(Mark {
        start,
        len: end - start,
        text: (!label.message.is_empty()).then_some(label.message.as_str()),
        primary,
    })
}

/// One snippet: the lines of `contents` with the labels under them.
fn snippet(
    out: &mut String,
    source: &FileSource<'_>,
    file: &SourceFile,
    context: Mark<'_>,
    contents: Contents,
    marks: &[Mark<'_>],
) -> Option<()> {
    let data = file
        .text()
        .get(contents.start..contents.start + contents.len)?;
    if data.is_empty()
        || !data
            .bytes()
            .all(|b| b == b'\n' || (b' '..=b'~').contains(&b))
    {
        return None;
    }
    let mut lines = Vec::new();
    let mut offset = contents.start;
    for (i, piece) in data.split_inclusive('\n').enumerate() {
        lines.push(Line {
            number: contents.line + i + 1,
            offset,
            length: piece.len(),
            text: piece.strip_suffix('\n').unwrap_or(piece),
        });
        offset += piece.len();
    }
    // Labels that span lines are drawn in a gutter: miette's business.
    if lines
        .iter()
        .any(|line| marks.iter().any(|m| line.needs_gutter(m)))
    {
        return None;
    }

    let inside = |m: &&Mark<'_>| context.start <= m.start && m.end() <= context.end();
    let primary = marks
        .iter()
        .filter(inside)
        .find(|m| m.primary)
        .or_else(|| marks.iter().find(inside));
    let place = match primary {
        Some(primary) => read(source, primary.span(), 0)?,
        None => contents,
    };
    let number_width = lines.last().map_or(1, |line| digits(line.number));
    let pad = number_width + 2;

    push_n(out, ' ', pad);
    let _ = writeln!(
        out,
        "╭─[{}:{}:{}]",
        file.path(),
        place.line + 1,
        place.column + 1
    );
    for line in &lines {
        let _ = write!(out, " {:>number_width$} │ ", line.number);
        out.push_str(line.text);
        out.push('\n');
        let on_line: Vec<&Mark<'_>> = marks
            .iter()
            .filter(|m| line.applies(m) && line.holds(m))
            .collect();
        if !on_line.is_empty() {
            underline(out, line, &on_line, number_width);
        }
    }
    push_n(out, ' ', pad);
    out.push_str("╰────\n");
    Some(())
}

/// The underline row of a line and then one row per label text, the
/// rightmost first, each with `│` for the labels left of it.
fn underline(out: &mut String, line: &Line<'_>, marks: &[&Mark<'_>], number_width: usize) {
    let blank_number = |out: &mut String| {
        out.push(' ');
        push_n(out, ' ', number_width);
        out.push_str(" · ");
    };
    blank_number(out);
    let mut highest = 0;
    let mut bars = Vec::with_capacity(marks.len());
    for mark in marks {
        let start = line.column(mark.start).max(highest);
        let end = if mark.len == 0 {
            start + 1
        } else {
            line.column(mark.end()).max(start + 1)
        };
        let bar = (start + end) / 2;
        push_n(out, ' ', start.saturating_sub(highest));
        push_n(out, '─', bar - start);
        out.push(if mark.len == 0 {
            '▲'
        } else if mark.text.is_some() {
            '┬'
        } else {
            '─'
        });
        push_n(out, '─', end - bar - 1);
        highest = highest.max(end);
        bars.push((*mark, bar));
    }
    out.push('\n');

    for mark in marks.iter().rev() {
        let Some(text) = mark.text else {
            continue;
        };
        blank_number(out);
        let mut column = 1;
        for &(other, bar) in &bars {
            while column < bar + 1 {
                out.push(' ');
                column += 1;
            }
            // miette compares labels by text and span, not identity.
            if (other.text, other.start, other.len) != (mark.text, mark.start, mark.len) {
                out.push('│');
                column += 1;
            } else {
                out.push_str("╰── ");
                out.push_str(text);
                out.push('\n');
                break;
            }
        }
    }
}

/// A wrapped line's prefix and its width in columns.
#[derive(Debug, Clone, Copy)]
struct Indent<'a> {
    text: &'a str,
    width: usize,
}

impl<'a> Indent<'a> {
    const fn new(text: &'a str, width: usize) -> Self {
        Self { text, width }
    }
}

/// One word of a text being wrapped (textwrap's `Word`): the text, then the
/// spaces after it.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    word: &'a str,
    spaces: usize,
}

/// A byte [`wrap`] knows: anything but a space.
const KNOWN: u8 = 1;
/// A space.
const SPACE: u8 = 2;
/// A letter or digit (Unicode line-break classes AL, NU).
const ALNUM: u8 = 4;
/// `)]` (CP) and `,.:;` (IS): no break before them, even after spaces.
const CLOSE: u8 = 8;
/// `([` (OP): no break after them, even after spaces.
const OPEN: u8 = 16;
/// `'"` (QU).
const QUOTE: u8 = 32;

/// The line-break classes of the bytes [`wrap`] knows: letters and digits,
/// ``_`<>=@#&*^~`` (AL), `,.:;` (IS), `([` (OP), `)]` (CP), `'"` (QU), `-`
/// (HY) and the space. Any other byte (other ASCII punctuation, control
/// characters, any byte of a multi-byte character) is 0.
const CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        classes[byte] = if b == b' ' {
            SPACE
        } else if b.is_ascii_alphanumeric() {
            KNOWN | ALNUM
        } else {
            match b {
                b'_' | b'`' | b'<' | b'>' | b'=' | b'@' | b'#' | b'&' | b'*' | b'^' | b'~'
                | b'-' => KNOWN,
                b')' | b']' | b',' | b'.' | b':' | b';' => KNOWN | CLOSE,
                b'(' | b'[' => KNOWN | OPEN,
                b'\'' | b'"' => KNOWN | QUOTE,
                _ => 0,
            }
        };
        byte += 1;
    }
    classes
};

const fn class(byte: u8) -> u8 {
    CLASSES[byte as usize]
}

/// Appends `text` wrapped as miette wraps it (`textwrap::fill` with the
/// Unicode line-breaking word separator, the hyphen splitter, words broken
/// when too long, first fit), or returns `None` (leaving `out` as it may
/// be) when the text is outside the subset handled here: empty, ending in
/// `-`, a byte outside [`CLASSES`], a closing or infix mark right before an
/// opening one (`),(`: a break there), a space after an opening mark, or a
/// word wider than a line.
///
/// The break opportunities of that subset: after a run of spaces, unless it
/// precedes a closing or infix mark (`x ,`: Unicode rule LB13), or a quote
/// precedes it and an opening mark follows (`' (`: LB15); never at the end;
/// and after a hyphen with a letter or digit on both sides (textwrap's
/// `HyphenSplitter`; textwrap drops the Unicode breaks after hyphens).
/// Checked against textwrap for every string of up to six characters of
/// ``a1 -'"()[],.:;_` `` and up to five with `<>=@#&*^~Z9` as well, and by
/// the tests below against miette.
fn wrap(
    out: &mut String,
    text: &str,
    width: usize,
    initial: Indent<'_>,
    subsequent: Indent<'_>,
) -> Option<()> {
    let bytes = text.as_bytes();
    // A text that ends in `-` loses its last break in textwrap (it drops
    // the end-of-text break after a hyphen, then the last break left).
    if bytes.is_empty() || text.ends_with('-') {
        return None;
    }
    let line_width = width.saturating_sub(subsequent.width);
    // The empty first word textwrap inserts when the first line is indented.
    let mut words: Vec<Word<'_>> = Vec::with_capacity(text.len() / 4);
    words.push(Word {
        word: "",
        spaces: 0,
    });
    let mut push = |from: usize, to: usize, spaces: usize| -> Option<()> {
        // textwrap breaks a word wider than a line into pieces: not here.
        if to - from > line_width {
            return None;
        }
        words.push(Word {
            word: text.get(from..to)?,
            spaces,
        });
        Some(())
    };
    let mut piece = 0;
    let mut i = 0;
    while i < bytes.len() {
        let here = class(bytes[i]);
        if here & KNOWN != 0 {
            let next = bytes.get(i + 1).map_or(0, |&b| class(b));
            if here & CLOSE != 0 && next & OPEN != 0 {
                return None;
            }
            if bytes[i] == b'-' && next & ALNUM != 0 && i > 0 && class(bytes[i - 1]) & ALNUM != 0 {
                push(piece, i + 1, 0)?;
                piece = i + 1;
            }
            i += 1;
            continue;
        }
        if here != SPACE {
            return None;
        }
        let run = i;
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        let before = run.checked_sub(1).map_or(0, |j| class(bytes[j]));
        if before & OPEN != 0 {
            return None;
        }
        let Some(&after) = bytes.get(i) else {
            // Trailing spaces: the last word's.
            push(piece, run, i - run)?;
            piece = i;
            break;
        };
        let after = class(after);
        let no_break = after & CLOSE != 0 || (before & QUOTE != 0 && after & OPEN != 0);
        if !no_break {
            push(piece, run, i - run)?;
            piece = i;
        }
    }
    if piece < bytes.len() {
        push(piece, bytes.len(), 0)?;
    }

    // First fit.
    let widths = [width.saturating_sub(initial.width), line_width];
    let mut lines: Vec<(usize, usize)> = Vec::with_capacity(4);
    let mut first = 0;
    let mut used = 0;
    for (index, word) in words.iter().enumerate() {
        let limit = widths[lines.len().min(1)];
        if used + word.word.len() > limit && index > first {
            lines.push((first, index));
            first = index;
            used = 0;
        }
        used += word.word.len() + word.spaces;
    }
    lines.push((first, words.len()));

    let mut position = 0;
    for (n, &(from, to)) in lines.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(if n == 0 {
            initial.text
        } else {
            subsequent.text
        });
        let line = &words[from..to];
        let Some(last) = line.last() else {
            continue;
        };
        let len = line.iter().map(|w| w.word.len() + w.spaces).sum::<usize>() - last.spaces;
        out.push_str(text.get(position..position + len)?);
        position += len + last.spaces;
    }
    Some(())
}

fn push_n(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

const fn digits(mut n: usize) -> usize {
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::super::render::render_with_miette;
    use crate::diagnostics::{Code, Diagnostic, RenderOptions, Severity, SourceMap, Span};

    /// Renders `diagnostic` both ways; `true` when this module wrote it.
    fn compare(diagnostic: &Diagnostic, sources: &SourceMap, width: usize) -> bool {
        let file = sources
            .get(diagnostic.primary.span.file)
            .expect("the primary file is in the map");
        let Some(ours) = super::render(diagnostic, file, width) else {
            return false;
        };
        let options = RenderOptions {
            color: false,
            width,
        };
        let theirs = render_with_miette(diagnostic, sources, options);
        assert_eq!(ours, theirs, "{diagnostic:#?}");
        true
    }

    fn corm_files(dir: &Path, out: &mut Vec<Vec<PathBuf>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut files = Vec::new();
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                corm_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "corm") {
                files.push(path);
            }
        }
        if !files.is_empty() {
            out.push(files);
        }
    }

    /// Every diagnostic of every fixture (and of the example schema) that
    /// this module writes, it writes as miette does.
    #[test]
    fn fixtures_render_as_miette_renders_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut cases = Vec::new();
        corm_files(&root.join("tests/fixtures"), &mut cases);
        corm_files(&root.join("../examples"), &mut cases);
        let (mut direct, mut total) = (0, 0);
        for files in cases {
            let mut sources = SourceMap::new();
            for file in &files {
                let path = camino::Utf8PathBuf::from_path_buf(file.clone()).expect("UTF-8 path");
                sources.load(path).expect("a readable fixture");
            }
            let diagnostics = match crate::parse::parse(&sources) {
                Ok(schema) => crate::check::check(&schema).diagnostics,
                Err(diagnostics) => diagnostics,
            };
            for diagnostic in &diagnostics {
                total += 1;
                for width in [100, 60] {
                    direct += usize::from(compare(diagnostic, &sources, width));
                }
            }
        }
        // Most of them take this path (the rest: multi-line spans, labels in
        // other files, non-ASCII text).
        assert!(total > 150, "{total} diagnostics");
        assert!(direct > total, "{direct} of {} renders", 2 * total);
    }

    fn text_strategy(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
        let chars: Vec<char> = alphabet.chars().collect();
        proptest::collection::vec(proptest::sample::select(chars), 0..max)
            .prop_map(|chars| chars.into_iter().collect())
    }

    /// Words of the kind diagnostics use, with the punctuation whose line
    /// breaks matter, and some characters that send the text to miette.
    fn message() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            40 => text_strategy("abcdefghijklmnopqrstuvwxyz", 12),
            10 => text_strategy("abc-_`'\"()[],.:;<>=@#&*^~01", 5),
            1 => text_strategy("ab /!?{}|+$%\\…é\t", 4),
            1 => Just("partitions-that-grow-without-bound-forever-and-ever".to_owned()),
        ];
        let gap = prop_oneof![8 => Just(" "), 1 => Just("  "), 1 => Just(""), 1 => Just("   ")];
        proptest::collection::vec((word, gap), 0..40).prop_map(|parts| {
            parts
                .into_iter()
                .map(|(word, gap)| word + gap)
                .collect::<String>()
        })
    }

    fn source() -> impl Strategy<Value = String> {
        let line = prop_oneof![
            30 => text_strategy("abc xyz:{}()<>?@_=", 40),
            1 => text_strategy("ab\t\r", 6),
            1 => Just(String::new()),
        ];
        proptest::collection::vec(line, 1..30).prop_map(|lines| lines.join("\n"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Random diagnostics over random text: whatever this module
        /// writes, miette writes too.
        #[test]
        fn random_diagnostics_render_as_miette_renders_them(
            text in source(),
            message in message(),
            help in proptest::option::of(message()),
            severity in prop_oneof![Just(Severity::Error), Just(Severity::Warning), Just(Severity::Note)],
            labels in proptest::collection::vec((0usize..2000, 0usize..12, text_strategy("ab c`", 10)), 1..5),
            width in prop_oneof![Just(100usize), 20usize..120],
        ) {
            let mut sources = SourceMap::new();
            let file = sources.add("t.corm", text.as_str()).expect("one file");
            let len = text.len();
            let span = |(start, extra, _): &(usize, usize, String)| {
                let start = if len == 0 { 0 } else { start % (len + 1) };
                Span::new(file, start, start + extra)
            };
            let (first, rest) = labels.split_first().expect("at least one label");
            let mut diagnostic = Diagnostic::new(severity, Code::UnknownField, message, span(first), first.2.clone());
            for label in rest {
                diagnostic = diagnostic.with_label(span(label), label.2.clone());
            }
            if let Some(help) = help {
                diagnostic = diagnostic.with_help(help);
            }
            compare(&diagnostic, &sources, width);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// Short lines of the punctuation whose line breaks matter.
        #[test]
        fn punctuation_wraps_as_textwrap_wraps_it(
            message in text_strategy("ab  -'\"()[],.:;1_", 80),
            width in 8usize..40,
        ) {
            let mut sources = SourceMap::new();
            let file = sources.add("t.corm", "abc").expect("one file");
            let diagnostic = Diagnostic::error(Code::UnknownField, message, Span::new(file, 0, 1), "x");
            compare(&diagnostic, &sources, width);
        }
    }

    #[test]
    fn wrapping_declines_what_it_does_not_know() {
        let mut out = String::new();
        let indent = super::Indent::new("  ", 2);
        assert!(super::wrap(&mut out, "", 40, indent, indent).is_none());
        assert!(super::wrap(&mut out, "a/b", 40, indent, indent).is_none());
        assert!(super::wrap(&mut out, "f(a)(b)", 40, indent, indent).is_none());
        assert!(super::wrap(&mut out, "( a", 40, indent, indent).is_none());
        assert!(super::wrap(&mut out, "é", 40, indent, indent).is_none());
        assert!(super::wrap(&mut out, "a b-", 40, indent, indent).is_none());
        assert!(super::wrap(&mut out, &"x".repeat(39), 40, indent, indent).is_none());
        out.clear();
        assert!(super::wrap(&mut out, "a b-c (d) e, f", 8, indent, indent).is_some());
        assert_eq!(out, "  a b-c\n  (d) e,\n  f");
    }
}
