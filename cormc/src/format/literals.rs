//! Literals, `Enum.variant`, `?param` operands and conditions.
//!
//! Values are printed from the AST: integers and durations in their plain
//! form (`+7` → `7`, `010s` → `10s`), decimal numbers as written (no
//! precision is lost), strings re-escaped with as few escapes as the
//! language needs (`\"` for a quote; `\\` only for a backslash that would
//! otherwise start an escape: before `"`, before `\`, or at the end), and
//! `"""…"""` strings kept as triple strings, byte for byte.

use super::printer::Printer;
use crate::ast::{
    Condition, DurationLit, EnumValue, Literal, LiteralKind, Operand, OperandKind, StringLit,
};

/// `value` as a `"…"` string: `"` becomes `\"`, and a backslash is doubled
/// only where it would otherwise be read as an escape.
#[must_use]
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' if matches!(chars.peek(), None | Some('\\' | '"')) => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string literal as printed.
pub(super) fn string_text(string: &StringLit) -> String {
    if string.triple {
        format!("\"\"\"{}\"\"\"", string.value)
    } else {
        quote(&string.value)
    }
}

/// A duration as printed (`90d`).
pub(super) fn duration_text(duration: &DurationLit) -> String {
    format!("{}{}", duration.value, duration.unit.suffix())
}

impl Printer<'_> {
    pub(super) fn string(&mut self, string: &StringLit) {
        self.tok(&string_text(string), string.span);
    }

    pub(super) fn duration(&mut self, duration: &DurationLit) {
        self.tok(&duration_text(duration), duration.span);
    }

    pub(super) fn literal(&mut self, literal: &Literal) {
        match &literal.kind {
            LiteralKind::String(s) => self.string(s),
            LiteralKind::Number(n) => self.tok(&n.text, n.span),
            LiteralKind::Duration(d) => self.duration(d),
            LiteralKind::Bool(b) => self.tok(if b.value { "true" } else { "false" }, b.span),
        }
    }

    pub(super) fn enum_value(&mut self, value: &EnumValue) {
        let text = format!("{}.{}", value.enum_name.name, value.variant.name);
        self.tok(&text, value.span);
    }

    pub(super) fn operand(&mut self, operand: &Operand) {
        match &operand.kind {
            OperandKind::Param(name) => self.tok(&format!("?{}", name.name), operand.span),
            OperandKind::Literal(literal) => self.literal(literal),
            OperandKind::Enum(value) => self.enum_value(value),
        }
    }

    /// `column op operand`
    pub(super) fn condition(&mut self, condition: &Condition) {
        self.tok(&condition.column.name, condition.column.span);
        if let Some(key) = &condition.entry {
            self.punct("[");
            self.operand(key);
            self.punct("]");
        }
        self.sp();
        self.tok(condition.operator.kind.as_str(), condition.operator.span);
        self.sp();
        self.operand(&condition.operand);
    }

    /// `cond and cond …`
    pub(super) fn conditions(&mut self, conditions: &[Condition]) {
        for (i, condition) in conditions.iter().enumerate() {
            if i > 0 {
                self.kw("and");
            }
            self.sp();
            self.condition(condition);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_with_minimal_escapes() {
        assert_eq!(quote("plain"), r#""plain""#);
        assert_eq!(quote(r"\d+"), r#""\d+""#);
        assert_eq!(quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote(r"a\"), r#""a\\""#);
        assert_eq!(quote(r"\\"), r#""\\\\""#);
        assert_eq!(quote(r#"\""#), r#""\\\"""#);
    }
}
