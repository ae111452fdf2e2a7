//! Literals: strings, numbers, durations, booleans, `Enum.variant`.

use super::{Ident, Span};

/// A string literal, `"…"` or `"""…"""`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLit {
    /// The value: escapes `\"` and `\\` resolved in `"…"`; `"""…"""` verbatim.
    pub value: String,
    /// Whether it was written `"""…"""`.
    pub triple: bool,
    /// Including the quotes.
    pub span: Span,
}

/// A signed integer or decimal, kept as written so no precision is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberLit {
    /// The text, e.g. `-12`, `3.25`, `+7`.
    pub text: String,
    /// Whether it has a fractional part.
    pub decimal: bool,
    /// Where it is.
    pub span: Span,
}

impl NumberLit {
    /// The value as `i64`, if it is an integer in range.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        if self.decimal {
            None
        } else {
            self.text
                .strip_prefix('+')
                .unwrap_or(&self.text)
                .parse()
                .ok()
        }
    }

    /// The value as `f64` (approximate for long decimals).
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        self.text
            .strip_prefix('+')
            .unwrap_or(&self.text)
            .parse()
            .ok()
    }
}

/// A signed integer that fits `i64` (e.g. `length(2, 100)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntLit {
    /// The value.
    pub value: i64,
    /// Where it is.
    pub span: Span,
}

/// An unsigned integer that fits `u64` (counts, sizes, versions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UintLit {
    /// The value.
    pub value: u64,
    /// Where it is.
    pub span: Span,
}

/// The unit of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    /// `ms`
    Milliseconds,
    /// `s`
    Seconds,
    /// `m`
    Minutes,
    /// `h`
    Hours,
    /// `d`
    Days,
    /// `w`
    Weeks,
    /// `y`: 365 days, as Cassandra counts its 20-year TTL limit.
    Years,
}

impl DurationUnit {
    /// Milliseconds in one unit.
    #[must_use]
    pub const fn millis(self) -> u64 {
        match self {
            Self::Milliseconds => 1,
            Self::Seconds => 1_000,
            Self::Minutes => 60_000,
            Self::Hours => 3_600_000,
            Self::Days => 86_400_000,
            Self::Weeks => 604_800_000,
            Self::Years => 31_536_000_000,
        }
    }

    /// The suffix as written (`ms`, `s`, …).
    #[must_use]
    pub const fn suffix(self) -> &'static str {
        match self {
            Self::Milliseconds => "ms",
            Self::Seconds => "s",
            Self::Minutes => "m",
            Self::Hours => "h",
            Self::Days => "d",
            Self::Weeks => "w",
            Self::Years => "y",
        }
    }
}

/// A duration: one number and one unit (`500ms`, `30d`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationLit {
    /// The number.
    pub value: u64,
    /// The unit.
    pub unit: DurationUnit,
    /// Where it is.
    pub span: Span,
}

impl DurationLit {
    /// Total milliseconds, `None` on overflow.
    #[must_use]
    pub const fn as_millis(&self) -> Option<u64> {
        self.value.checked_mul(self.unit.millis())
    }

    /// Total whole seconds (rounded down), `None` on overflow.
    #[must_use]
    pub const fn as_secs(&self) -> Option<u64> {
        match self.as_millis() {
            Some(ms) => Some(ms / 1_000),
            None => None,
        }
    }
}

/// `true` or `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoolLit {
    /// The value.
    pub value: bool,
    /// Where it is.
    pub span: Span,
}

/// An enum value written `Enum.variant`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The enum's name.
    pub enum_name: Ident,
    /// The variant's name.
    pub variant: Ident,
    /// The whole `Enum.variant`.
    pub span: Span,
}

/// What kind of literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiteralKind {
    /// A string.
    String(StringLit),
    /// A number.
    Number(NumberLit),
    /// A duration.
    Duration(DurationLit),
    /// A boolean.
    Bool(BoolLit),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Which literal.
    pub kind: LiteralKind,
    /// Where it is.
    pub span: Span,
}
