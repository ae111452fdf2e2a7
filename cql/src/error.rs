//! [`DdlError`]: why a DDL statement could not be read.

use std::ops::Range;

/// A syntax error in one DDL statement.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DdlError {
    /// Byte offsets of the offending text inside the statement.
    pub span: Range<usize>,
    /// What is wrong, for a human.
    pub message: String,
    /// How to fix it, when there is a likely fix.
    pub help: Option<String>,
}

impl DdlError {
    /// An error at `span`.
    #[must_use]
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            help: None,
        }
    }

    /// The same error with a hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same error with its span moved by `offset` bytes (to place a
    /// statement's error in the text around it).
    #[must_use]
    pub fn shifted(mut self, offset: usize) -> Self {
        self.span = self.span.start + offset..self.span.end + offset;
        self
    }
}
