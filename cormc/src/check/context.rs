//! What every pass shares: the diagnostics collected so far.

use crate::diagnostics::{Code, Diagnostic, Span};

/// Collects the diagnostics of one check run.
#[derive(Debug, Default)]
pub(super) struct Context {
    pub diagnostics: Vec<Diagnostic>,
}

impl Context {
    /// Records an error and returns it for labels and help.
    pub fn error(
        &mut self,
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::error(code, message, span, label))
    }

    /// Records a warning and returns it for labels and help.
    pub fn warning(
        &mut self,
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push(Diagnostic::warning(code, message, span, label))
    }

    /// Records `diagnostic` and returns it for more labels.
    pub fn push(&mut self, diagnostic: Diagnostic) -> &mut Diagnostic {
        self.diagnostics.push(diagnostic);
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Extension methods to chain on the `&mut Diagnostic` that [`Context`]
/// returns.
pub(super) trait Annotate {
    /// Adds a secondary label.
    fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self;
    /// Sets the help line.
    fn help(&mut self, help: impl Into<String>) -> &mut Self;
    /// Adds a note line.
    fn note(&mut self, note: impl Into<String>) -> &mut Self;
}

impl Annotate for Diagnostic {
    fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.secondary
            .push(crate::diagnostics::Label::new(span, message));
        self
    }

    fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }
}

/// `help: did you mean `x`?` when a candidate is close to `word` (and has
/// something in common with it: `x` is no suggestion for `n`).
pub(super) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    crate::cql::suggest::closest(word, candidates)
        .filter(|best| {
            let longest = word.chars().count().max(best.chars().count());
            crate::cql::suggest::edit_distance(word, best) < longest
        })
        .map(|best| format!("did you mean `{best}`?"))
}
