//! Fields (`name: type @attr …`), types and attributes.
//!
//! A field is one line: the name, `: `, the type, then each attribute after
//! one space. Types are written without spaces except after commas
//! (`map<text, frozen<list<int>>>?`); attribute arguments likewise
//! (`@validate(length(2, 100), regex("\d+"))`). Nothing is aligned.

use super::printer::{Blanks, Printer};
use crate::ast::{
    Attribute, AttributeKind, DefaultValueKind, Field, Span, TypeExpr, TypeKind, ValidateRule,
    ValidateRuleKind,
};

impl Printer<'_> {
    /// A field on a line of its own, doc comment first.
    pub(super) fn field_line(&mut self, field: &Field) {
        let start = field
            .doc
            .as_ref()
            .map_or(field.span.start, |d| d.span.start);
        self.line(start, Blanks::Keep);
        self.field(field);
    }

    /// A field where the current line is (its doc comment, if any, on the
    /// lines before).
    pub(super) fn field(&mut self, field: &Field) {
        self.doc(field.doc.as_ref(), field.name.span.start);
        self.tok(&field.name.name, field.name.span);
        self.punct(":");
        self.sp();
        self.type_expr(&field.ty);
        for attribute in &field.attributes {
            self.sp();
            self.attribute(attribute);
        }
    }

    pub(super) fn type_expr(&mut self, ty: &TypeExpr) {
        match &ty.kind {
            TypeKind::Named(name) => self.tok(&name.name, name.span),
            TypeKind::List(inner) => self.generic(ty.span, "list", &[inner]),
            TypeKind::Set(inner) => self.generic(ty.span, "set", &[inner]),
            TypeKind::Frozen(inner) => self.generic(ty.span, "frozen", &[inner]),
            TypeKind::Map { key, value } => self.generic(ty.span, "map", &[key, value]),
            TypeKind::Tuple(items) => {
                let items: Vec<&TypeExpr> = items.iter().collect();
                self.generic(ty.span, "tuple", &items);
            }
            TypeKind::Vector { element, dimension } => {
                self.keyword_at("vector", ty.span);
                self.punct("<");
                self.type_expr(element);
                self.punct(",");
                self.sp();
                self.tok(&dimension.value.to_string(), dimension.span);
                self.punct(">");
            }
        }
        if let Some(mark) = ty.optional {
            self.tok("?", mark);
        }
    }

    /// `name<A, B>`
    fn generic(&mut self, span: Span, name: &str, args: &[&TypeExpr]) {
        self.keyword_at(name, span);
        self.punct("<");
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.punct(",");
                self.sp();
            }
            self.type_expr(arg);
        }
        self.punct(">");
    }

    /// A keyword that starts the node at `span`.
    pub(super) fn keyword_at(&mut self, word: &str, span: Span) {
        self.tok_at(word, span.start, span.start + word.len());
    }

    fn attribute(&mut self, attribute: &Attribute) {
        let name = format!("@{}", attribute.name());
        self.tok(&name, attribute.name_span);
        match &attribute.kind {
            AttributeKind::Default(value) => {
                self.punct("(");
                match &value.kind {
                    DefaultValueKind::Uuid => self.tok("uuid", value.span),
                    DefaultValueKind::Timeuuid => self.tok("timeuuid", value.span),
                    DefaultValueKind::Now => self.tok("now", value.span),
                    DefaultValueKind::Literal(literal) => self.literal(literal),
                    DefaultValueKind::Enum(value) => self.enum_value(value),
                }
                self.punct(")");
            }
            AttributeKind::OnUpdateNow { now } => {
                self.punct("(");
                self.tok("now", *now);
                self.punct(")");
            }
            AttributeKind::Unique | AttributeKind::Static => {}
            AttributeKind::Validate(rules) => {
                self.punct("(");
                for (i, rule) in rules.iter().enumerate() {
                    if i > 0 {
                        self.punct(",");
                        self.sp();
                    }
                    self.validate_rule(rule);
                }
                self.optional_comma(false);
                self.punct(")");
            }
            AttributeKind::Cql(name) => {
                self.punct("(");
                self.string(name);
                self.punct(")");
            }
        }
    }

    fn validate_rule(&mut self, rule: &ValidateRule) {
        match &rule.kind {
            ValidateRuleKind::Email => self.keyword_at("email", rule.span),
            ValidateRuleKind::Url => self.keyword_at("url", rule.span),
            ValidateRuleKind::NotEmpty => self.keyword_at("not_empty", rule.span),
            ValidateRuleKind::Length { min, max } => {
                self.keyword_at("length", rule.span);
                self.punct("(");
                self.tok(&min.value.to_string(), min.span);
                self.punct(",");
                self.sp();
                self.tok(&max.value.to_string(), max.span);
                self.punct(")");
            }
            ValidateRuleKind::Range { min, max } => {
                self.keyword_at("range", rule.span);
                self.punct("(");
                self.tok(&min.text, min.span);
                self.punct(",");
                self.sp();
                self.tok(&max.text, max.span);
                self.punct(")");
            }
            ValidateRuleKind::Regex(pattern) => {
                self.keyword_at("regex", rule.span);
                self.punct("(");
                self.string(pattern);
                self.punct(")");
            }
            ValidateRuleKind::OneOf(values) => {
                self.keyword_at("one_of", rule.span);
                self.punct("(");
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        self.punct(",");
                        self.sp();
                    }
                    self.literal(value);
                }
                self.optional_comma(false);
                self.punct(")");
            }
        }
    }
}
