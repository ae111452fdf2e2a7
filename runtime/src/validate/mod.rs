//! `@validate` rules, checked by generated code before every write.
//!
//! A generated `validate()` runs every rule of every field and collects the
//! violations in a [`Violations`] list; any violation fails the write with
//! [`Error::Validation`](crate::Error::Validation), naming each field, rule
//! and problem at once, and nothing is written.
//!
//! ```
//! use corm::validate::Violations;
//!
//! let mut violations = Violations::new("User");
//! violations.email("email", "not an address");
//! violations.length("name", "A", 2, 100);
//! violations.range("age", &200, &0, &150);
//! let error = violations.finish().unwrap_err();
//! assert_eq!(error.violations().len(), 3);
//! assert_eq!(
//!     error.to_string(),
//!     "`User` is not valid: `email` is not an email address (email); \
//!      `name` has 1 character, not 2 to 100 (length); `age` is 200, not 0 to 150 (range)"
//! );
//! ```

mod pattern;
mod rules;

use std::fmt;

pub use pattern::Pattern;
pub use rules::{is_email, is_url};

/// One broken rule: which field, which rule, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The field, as named in the schema.
    pub field: &'static str,
    /// The rule, as written in `@validate` (`email`, `length`, …).
    pub rule: &'static str,
    /// What is wrong, for a person (`has 1 character, not 2 to 100`).
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {} ({})", self.field, self.message, self.rule)
    }
}

/// A value that breaks one or more `@validate` rules: every violation of
/// the value, in field order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    model: &'static str,
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The model (or UDT) whose value broke the rules.
    pub fn model(&self) -> &'static str {
        self.model
    }

    /// Every violation, in field order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Whether `field` broke some rule.
    pub fn has(&self, field: &str) -> bool {
        self.violations.iter().any(|v| v.field == field)
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not valid: ", self.model)?;
        for (n, violation) in self.violations.iter().enumerate() {
            if n > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

/// The violations found so far while validating one value; each rule
/// method checks one field and records a [`Violation`] when it fails.
#[derive(Clone, Debug)]
pub struct Violations {
    model: &'static str,
    found: Vec<Violation>,
}

impl Violations {
    /// An empty list for a value of `model`.
    pub fn new(model: &'static str) -> Self {
        Self {
            model,
            found: Vec::new(),
        }
    }

    /// `Ok` when no rule failed, else every violation.
    ///
    /// # Errors
    /// The [`ValidationError`] listing the violations.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(ValidationError {
                model: self.model,
                violations: self.found,
            })
        }
    }

    fn push(&mut self, field: &'static str, rule: &'static str, message: String) {
        self.found.push(Violation {
            field,
            rule,
            message,
        });
    }

    /// `email`: a plausible address (`local@domain.tld`).
    pub fn email(&mut self, field: &'static str, value: &str) {
        if !is_email(value) {
            self.push(field, "email", "is not an email address".to_owned());
        }
    }

    /// `url`: an `http` or `https` URL with a host.
    pub fn url(&mut self, field: &'static str, value: &str) {
        if !is_url(value) {
            self.push(field, "url", "is not an http(s) URL".to_owned());
        }
    }

    /// `length(min, max)` of a text, in characters (both inclusive).
    pub fn length(&mut self, field: &'static str, value: &str, min: usize, max: usize) {
        self.count(
            field,
            "length",
            value.chars().count(),
            min,
            max,
            "character",
        );
    }

    /// `length(min, max)` of a collection or blob, in elements or bytes.
    pub fn size(&mut self, field: &'static str, len: usize, min: usize, max: usize) {
        self.count(field, "length", len, min, max, "element");
    }

    fn count(
        &mut self,
        field: &'static str,
        rule: &'static str,
        len: usize,
        min: usize,
        max: usize,
        unit: &str,
    ) {
        if len < min || len > max {
            let plural = if len == 1 { "" } else { "s" };
            self.push(
                field,
                rule,
                format!("has {len} {unit}{plural}, not {min} to {max}"),
            );
        }
    }

    /// `range(min, max)`, both inclusive.
    pub fn range<T: PartialOrd + fmt::Display>(
        &mut self,
        field: &'static str,
        value: &T,
        min: &T,
        max: &T,
    ) {
        if value < min || value > max {
            self.push(field, "range", format!("is {value}, not {min} to {max}"));
        }
    }

    /// `regex("…")`: the whole text matches `pattern` somewhere (an
    /// unanchored search, as `regex` crates do; anchor it with `^…$`).
    pub fn regex(&mut self, field: &'static str, value: &str, pattern: &Pattern) {
        match pattern.is_match(value) {
            Ok(true) => {}
            Ok(false) => self.push(
                field,
                "regex",
                format!("does not match `{}`", pattern.as_str()),
            ),
            Err(message) => self.push(field, "regex", message),
        }
    }

    /// `not_empty`: a text, blob or collection with something in it.
    pub fn not_empty(&mut self, field: &'static str, is_empty: bool) {
        if is_empty {
            self.push(field, "not_empty", "is empty".to_owned());
        }
    }

    /// A vector corm writes: every component finite (a vector index
    /// refuses others with an opaque server error, and a NaN has no
    /// similarity to anything), and, for a `cosine` index, not all zero.
    pub fn vector(&mut self, field: &'static str, value: &[f32], cosine: bool) {
        if let Some(position) = value.iter().position(|component| !component.is_finite()) {
            self.push(
                field,
                "vector",
                format!(
                    "has {} at position {position}: a vector needs finite components",
                    value[position]
                ),
            );
        } else if cosine && value.iter().all(|component| *component == 0.0) {
            self.push(
                field,
                "vector",
                "is the zero vector, which has no direction for cosine similarity".to_owned(),
            );
        }
    }

    /// `one_of(…)`: the value is one of `allowed`.
    pub fn one_of<T: PartialEq + fmt::Debug + ?Sized>(
        &mut self,
        field: &'static str,
        value: &T,
        allowed: &[&T],
    ) {
        if !allowed.contains(&value) {
            let list = allowed
                .iter()
                .map(|candidate| format!("{candidate:?}"))
                .collect::<Vec<_>>()
                .join(", ");
            self.push(field, "one_of", format!("is {value:?}, not one of {list}"));
        }
    }
}
