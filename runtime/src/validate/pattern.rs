//! `regex("…")` rules: a pattern compiled once, on first use.

use std::sync::OnceLock;

use regex::Regex;

/// A `regex("…")` rule's pattern, for a `static` in generated code; it is
/// compiled on first use and kept. `cormc` checks the syntax at compile
/// time, so compiling does not fail for generated patterns; if it did, the
/// value is reported as invalid with the reason.
///
/// ```
/// static SLUG: corm::validate::Pattern = corm::validate::Pattern::new("^[a-z0-9-]+$");
/// assert_eq!(SLUG.is_match("hello-world"), Ok(true));
/// assert_eq!(SLUG.is_match("Hello World"), Ok(false));
/// ```
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Regex, String>>,
}

impl Pattern {
    /// A pattern, not compiled yet.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &'static str {
        self.source
    }

    /// Whether `text` contains a match.
    ///
    /// # Errors
    /// Why the pattern does not compile.
    pub fn is_match(&self, text: &str) -> Result<bool, String> {
        match self
            .compiled
            .get_or_init(|| Regex::new(self.source).map_err(|error| error.to_string()))
        {
            Ok(regex) => Ok(regex.is_match(text)),
            Err(error) => Err(format!("can't be checked: the pattern is invalid: {error}")),
        }
    }
}
