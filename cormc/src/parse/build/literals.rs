//! Names, doc comments and literals.

use super::{Builder, P};
use crate::ast::{
    BoolLit, Doc, DurationLit, DurationUnit, EnumValue, Ident, IntLit, Literal, LiteralKind,
    NumberLit, Span, StringLit, UintLit,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::grammar::Rule;

impl Builder<'_> {
    pub(super) fn ident(&self, pair: &P<'_>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: self.span(pair),
        }
    }

    pub(super) fn doc(&mut self, pair: P<'_>) -> Doc {
        let span = self.span(&pair);
        let mut lines = Vec::new();
        for line in pair.into_inner() {
            match line.as_rule() {
                Rule::doc_line => {
                    let text = line.as_str();
                    let text = text.strip_prefix("///").unwrap_or(text);
                    let text = text.strip_prefix(' ').unwrap_or(text);
                    lines.push(text.trim_end_matches('\r').to_owned());
                }
                _ => self.unexpected(&line),
            }
        }
        Doc {
            text: lines.join("\n"),
            span,
        }
    }

    pub(super) fn string(&mut self, pair: P<'_>) -> StringLit {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            self.bug(span, "an empty string");
            return StringLit {
                value: String::new(),
                triple: false,
                span,
            };
        };
        let (value, triple) = match inner.as_rule() {
            Rule::triple_string => (inner.into_inner().as_str().to_owned(), true),
            Rule::line_string => (unescape(inner.into_inner().as_str()), false),
            Rule::unterminated_triple => {
                self.swallowed_to_end = true;
                self.error(
                    Diagnostic::error(
                        Code::Unterminated,
                        "unterminated string: `\"\"\"` is never closed",
                        Span::new(span.file, span.start, span.start + 3),
                        "this `\"\"\"` string runs to the end of the file",
                    )
                    .with_help("close it with `\"\"\"`"),
                );
                (inner.as_str().get(3..).unwrap_or("").to_owned(), true)
            }
            Rule::unterminated_string => {
                let text = inner.as_str();
                self.error(
                    Diagnostic::error(
                        Code::Unterminated,
                        "unterminated string: `\"` is never closed on its line",
                        span,
                        "this string has no closing `\"`",
                    )
                    .with_help(
                        "close it with `\"` on the same line (write `\\\"` for a quote inside); \
                         use `\"\"\"…\"\"\"` for text over several lines",
                    ),
                );
                (unescape(text.get(1..).unwrap_or("")), false)
            }
            _ => {
                self.unexpected(&inner);
                (String::new(), false)
            }
        };
        StringLit {
            value,
            triple,
            span,
        }
    }

    pub(super) fn uint(&mut self, pair: &P<'_>) -> UintLit {
        let span = self.span(pair);
        let value = match pair.as_str().parse::<u64>() {
            Ok(value) => value,
            Err(_) => {
                self.out_of_range(span, "an unsigned 64-bit integer");
                0
            }
        };
        UintLit { value, span }
    }

    pub(super) fn int(&mut self, pair: &P<'_>) -> IntLit {
        let span = self.span(pair);
        let text = pair.as_str();
        let value = match text.strip_prefix('+').unwrap_or(text).parse::<i64>() {
            Ok(value) => value,
            Err(_) => {
                self.out_of_range(span, "a signed 64-bit integer");
                0
            }
        };
        IntLit { value, span }
    }

    pub(super) fn number(&self, pair: &P<'_>) -> NumberLit {
        NumberLit {
            text: pair.as_str().to_owned(),
            decimal: pair.as_str().contains('.'),
            span: self.span(pair),
        }
    }

    pub(super) fn duration(&mut self, pair: &P<'_>) -> DurationLit {
        let span = self.span(pair);
        let text = pair.as_str();
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let (number, suffix) = text.split_at(digits);
        let unit = match suffix {
            "ms" => DurationUnit::Milliseconds,
            "s" => DurationUnit::Seconds,
            "m" => DurationUnit::Minutes,
            "h" => DurationUnit::Hours,
            "d" => DurationUnit::Days,
            "w" => DurationUnit::Weeks,
            "y" => DurationUnit::Years,
            _ => {
                self.bug(span, "a duration with an unknown unit");
                DurationUnit::Seconds
            }
        };
        let value = match number.parse::<u64>() {
            Ok(value) if value.checked_mul(unit.millis()).is_some() => value,
            _ => {
                self.out_of_range(span, "a duration (at most 2^64 - 1 milliseconds)");
                0
            }
        };
        DurationLit { value, unit, span }
    }

    fn out_of_range(&mut self, span: Span, what: &str) {
        self.error(Diagnostic::error(
            Code::NumberOutOfRange,
            format!("number too large for {what}"),
            span,
            "out of range",
        ));
    }

    pub(super) fn boolean(&mut self, pair: P<'_>) -> BoolLit {
        let span = self.span(&pair);
        let value = match pair.into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::kw_true) => true,
            Some(Rule::kw_false) => false,
            _ => {
                self.bug(span, "a boolean that is neither `true` nor `false`");
                false
            }
        };
        BoolLit { value, span }
    }

    pub(super) fn enum_value(&mut self, pair: P<'_>) -> EnumValue {
        let span = self.span(&pair);
        let mut names = pair
            .into_inner()
            .map(|p| self.ident(&p))
            .collect::<Vec<_>>();
        let variant = names.pop();
        let enum_name = names.pop();
        match (enum_name, variant) {
            (Some(enum_name), Some(variant)) => EnumValue {
                enum_name,
                variant,
                span,
            },
            _ => EnumValue {
                enum_name: self.missing_ident(span, "an enum value"),
                variant: Ident {
                    name: String::new(),
                    span,
                },
                span,
            },
        }
    }

    /// `?name`: the name, spanned without `?`.
    pub(super) fn param(&mut self, pair: P<'_>) -> Ident {
        let span = self.span(&pair);
        match pair.into_inner().find(|p| p.as_rule() == Rule::param_name) {
            Some(name) => self.ident(&name),
            None => self.missing_ident(span, "a parameter"),
        }
    }

    pub(super) fn literal(&mut self, pair: P<'_>) -> Literal {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            self.bug(span, "an empty literal");
            return Literal {
                kind: LiteralKind::Bool(BoolLit { value: false, span }),
                span,
            };
        };
        let kind = match inner.as_rule() {
            Rule::string => LiteralKind::String(self.string(inner)),
            Rule::duration => LiteralKind::Duration(self.duration(&inner)),
            Rule::number => LiteralKind::Number(self.number(&inner)),
            Rule::boolean => LiteralKind::Bool(self.boolean(inner)),
            _ => {
                self.unexpected(&inner);
                LiteralKind::Bool(BoolLit { value: false, span })
            }
        };
        Literal { kind, span }
    }
}

/// Resolves `\"` and `\\`; every other backslash is literal.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && (next == '"' || next == '\\')
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn only_quote_and_backslash_escape() {
        assert_eq!(unescape(r#"a\"b"#), r#"a"b"#);
        assert_eq!(unescape(r"a\\b"), r"a\b");
        assert_eq!(unescape(r"\d+\n"), r"\d+\n");
        assert_eq!(unescape(r"\"), r"\");
    }
}
