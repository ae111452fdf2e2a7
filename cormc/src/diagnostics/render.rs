//! Rendering diagnostics as text, in the layout of miette's graphical
//! handler.
//!
//! The output names `path:line:col`, shows the source lines with the labels
//! underlined, then `help:` and `note:` lines. Tests render without colour so
//! snapshots are stable. The common shape is written directly by
//! [`layout`](super::layout) (the same bytes, far cheaper); everything else
//! goes through miette.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Diagnostic, Label, Severity, SourceFile, SourceMap};

/// How to render diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours (for a terminal).
    pub color: bool,
    /// Width to wrap messages at.
    pub width: usize,
}

impl Default for RenderOptions {
    /// No colour, 100 columns: stable text for tests and logs.
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
        }
    }
}

/// Renders one diagnostic.
#[must_use]
pub fn render(diagnostic: &Diagnostic, sources: &SourceMap, options: RenderOptions) -> String {
    let direct = if options.color {
        None
    } else {
        sources
            .get(diagnostic.primary.span.file)
            .and_then(|file| super::layout::render(diagnostic, file, options.width))
    };
    let mut out = direct.unwrap_or_else(|| render_with_miette(diagnostic, sources, options));
    for note in &diagnostic.notes {
        out.push_str("  note: ");
        out.push_str(note);
        out.push('\n');
    }
    out
}

/// Renders one diagnostic with miette's graphical handler, without the
/// notes.
pub(super) fn render_with_miette(
    diagnostic: &Diagnostic,
    sources: &SourceMap,
    options: RenderOptions,
) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(options.width)
        .with_context_lines(1);
    let view = View::new(diagnostic, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &view).is_err() {
        // The handler only fails when a span can't be read; fall back to a
        // plain line so the message is never lost.
        out.clear();
        out.push_str(&plain(diagnostic, sources));
    }
    out
}

/// Renders several diagnostics, separated by blank lines.
#[must_use]
pub fn render_all(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    options: RenderOptions,
) -> String {
    diagnostics
        .iter()
        .map(|d| render(d, sources, options))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `path:line:col: error[E0001]: message`, the fallback form.
fn plain(diagnostic: &Diagnostic, sources: &SourceMap) -> String {
    let location = sources
        .get(diagnostic.primary.span.file)
        .map(|file| file.location(diagnostic.primary.span.start))
        .unwrap_or_else(|| "<unknown>".to_owned());
    format!(
        "{location}: {}[{}]: {}\n",
        diagnostic.severity.as_str(),
        diagnostic.code,
        diagnostic.message
    )
}

/// A source file as miette reads it: the text, named by its path.
///
/// miette's reader for a `str` walks the text from its first byte to the
/// span on every call (several calls per diagnostic), which made rendering
/// `n` diagnostics of one file cost `n` times the file. This one starts
/// the same reader at a line a little before the span, found in the file's
/// [`LineIndex`](super::LineIndex), and shifts what it returns back into the
/// whole file: the same contents, lines and offsets, in time proportional to
/// the lines shown. The column of a bare span (the `path:line:col` header)
/// counts characters, as [`SourceFile::line_col`] does, where miette counts
/// bytes.
pub(super) struct FileSource<'a>(pub(super) &'a SourceFile);

impl<'f> FileSource<'f> {
    /// What `read_span` returns, without the name.
    pub(super) fn read_unnamed(
        &self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<MietteSpanContents<'f>, MietteError> {
        let text = self.0.text();
        let lines = self.0.lines();
        let offset = span.offset();
        // One line more than the context: the reader then sees the same
        // line breaks before the span as from the start of the file (a
        // span that starts on the `\n` of a `\r\n` included).
        let first = lines
            .line(offset)
            .saturating_sub(context_lines_before.saturating_add(1));
        let start = lines.start(first).min(offset).min(text.len());
        let rest = text.get(start..).ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new((offset - start).into(), span.len());
        let inner = rest.read_span(&local, context_lines_before, context_lines_after)?;
        let column = if context_lines_before == 0 {
            // miette counted the bytes since the line break before `offset`.
            let bytes = inner.column();
            offset
                .checked_sub(bytes)
                .and_then(|line_start| text.get(line_start..offset))
                .map_or(bytes, |before| before.chars().count())
        } else {
            inner.column()
        };
        Ok(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + first,
            column,
            inner.line_count() + first,
        ))
    }
}

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.read_unnamed(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.path().to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// One diagnostic (or one related part of it) as miette sees it.
struct View<'a> {
    message: String,
    severity: Severity,
    code: Option<String>,
    help: Option<&'a str>,
    source: Option<FileSource<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<View<'a>>,
}

impl<'a> View<'a> {
    fn new(diagnostic: &'a Diagnostic, sources: &'a SourceMap) -> Self {
        let file = sources.get(diagnostic.primary.span.file);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        if let Some(file) = file {
            labels.push(labeled(file, &diagnostic.primary, true));
        }
        for label in &diagnostic.secondary {
            if label.span.file == diagnostic.primary.span.file {
                if let Some(file) = file {
                    labels.push(labeled(file, label, false));
                }
            } else if let Some(other) = sources.get(label.span.file) {
                related.push(View {
                    message: if label.message.is_empty() {
                        "related location".to_owned()
                    } else {
                        label.message.clone()
                    },
                    severity: Severity::Note,
                    code: None,
                    help: None,
                    source: Some(FileSource(other)),
                    labels: vec![labeled(other, label, true)],
                    related: Vec::new(),
                });
            }
        }
        Self {
            message: diagnostic.message.clone(),
            severity: diagnostic.severity,
            code: Some(format!(
                "{}[{}]",
                diagnostic.severity.as_str(),
                diagnostic.code
            )),
            help: diagnostic.help.as_deref(),
            source: file.map(FileSource),
            labels,
            related,
        }
    }
}

fn labeled(file: &SourceFile, label: &Label, primary: bool) -> LabeledSpan {
    let start = file.clamp(label.span.start);
    let end = file.clamp(label.span.end).max(start);
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, start..end)
    } else {
        LabeledSpan::new_with_span(text, start..end)
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("View")
            .field("message", &self.message)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display + 'b>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.map(|h| Box::new(h) as Box<dyn fmt::Display + 'b>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use miette::{SourceCode, SourceSpan};

    use super::FileSource;
    use crate::diagnostics::{FileId, SourceFile};

    /// The indexed reader returns what miette's own reader returns when it
    /// walks the whole text, for every span of some awkward texts (columns
    /// aside: those count characters).
    #[test]
    fn indexed_reader_matches_miettes_whole_text_reader() {
        let texts = [
            "",
            "x",
            "model A {\n  id: uuid\n\n  key (id)\n}\n",
            "a\r\nbb\r\n\r\nccc\rdd\n\ne",
            "\n\n\r\n\r\r\n",
            "type é {\n  日: text\r\n}\n🦀",
        ];
        for text in texts {
            let file = SourceFile::new(FileId::new(0), "t.corm", text);
            let source = FileSource(&file);
            for start in 0..=text.len() {
                for end in start..=text.len() + 1 {
                    for context in 0..3 {
                        let span = SourceSpan::new(start.into(), end - start);
                        let ours = source.read_span(&span, context, context);
                        let theirs = text.read_span(&span, context, context);
                        let (ours, theirs) = match (ours, theirs) {
                            (Ok(ours), Ok(theirs)) => (ours, theirs),
                            (Err(_), Err(_)) => continue,
                            (ours, theirs) => panic!(
                                "{text:?} {start}..{end} ±{context}: {:?} against {:?}",
                                ours.map(|c| *c.span()),
                                theirs.map(|c| *c.span()),
                            ),
                        };
                        let case = format!("{text:?} {start}..{end} ±{context}");
                        assert_eq!(ours.data(), theirs.data(), "{case}");
                        assert_eq!(ours.span(), theirs.span(), "{case}");
                        assert_eq!(ours.line(), theirs.line(), "{case}");
                        assert_eq!(ours.line_count(), theirs.line_count(), "{case}");
                        assert_eq!(ours.name(), Some("t.corm"), "{case}");
                        let column = if context == 0 && text.is_char_boundary(start) {
                            text.get(start - theirs.column()..start)
                                .map_or(theirs.column(), |s| s.chars().count())
                        } else {
                            theirs.column()
                        };
                        assert_eq!(ours.column(), column, "{case}");
                    }
                }
            }
        }
    }
}
