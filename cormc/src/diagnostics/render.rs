//! Rendering diagnostics as text, with miette's graphical handler.
//!
//! The output names `path:line:col`, shows the source lines with the labels
//! underlined, then `help:` and `note:` lines. Tests render without colour so
//! snapshots are stable.

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
    for note in &diagnostic.notes {
        out.push_str("  note: ");
        out.push_str(note);
        out.push('\n');
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
struct FileSource<'a>(&'a SourceFile);

impl SourceCode for FileSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .0
            .text()
            .read_span(span, context_lines_before, context_lines_after)?;
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
