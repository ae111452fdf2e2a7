//! Fields (`name: type @attr …`), types and attributes.
//!
//! A field is one line: the name, `: `, the type, then each attribute after
//! one space. Types are written without spaces except after commas
//! (`map<text, frozen<list<int>>>?`); attribute arguments likewise
//! (`@validate(length(2, 100), regex("\d+"))`).
//!
//! Consecutive fields (no other member between them; blank lines, comments
//! and doc comments do not break a run) are aligned as gofmt aligns struct
//! fields: their types start in one column, after the longest `name:`,
//! and their first attributes in one column, after the longest type.

use super::printer::{Blanks, Printer};

/// The columns of a run of aligned fields: the width of the longest
/// `name:` and of the longest type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Columns {
    name: usize,
    ty: usize,
}

impl Columns {
    /// The columns of `fields`, one run.
    pub(super) fn of<'a>(fields: impl IntoIterator<Item = &'a Field>) -> Self {
        fields
            .into_iter()
            .fold(Self::default(), |columns, field| Self {
                name: columns.name.max(field.name.name.len() + 1),
                ty: columns.ty.max(type_width(&field.ty)),
            })
    }
}

/// The width of `ty` as [`Printer::type_expr`] writes it (comments inside
/// a type, which it also writes, are not counted: such a field is merely
/// not aligned exactly).
fn type_width(ty: &TypeExpr) -> usize {
    let inner = match &ty.kind {
        TypeKind::Named(name) => name.name.len(),
        TypeKind::List(inner) => "list<>".len() + type_width(inner),
        TypeKind::Set(inner) => "set<>".len() + type_width(inner),
        TypeKind::Frozen(inner) => "frozen<>".len() + type_width(inner),
        TypeKind::Map { key, value } => "map<, >".len() + type_width(key) + type_width(value),
        TypeKind::Tuple(items) => {
            "tuple<>".len()
                + items.iter().map(type_width).sum::<usize>()
                + 2 * items.len().saturating_sub(1)
        }
        TypeKind::Vector { element, dimension } => {
            "vector<, >".len() + type_width(element) + dimension.value.to_string().len()
        }
    };
    inner + usize::from(ty.optional.is_some())
}
use crate::ast::{
    Attribute, AttributeKind, DefaultValueKind, Field, Span, TypeExpr, TypeKind, ValidateRule,
    ValidateRuleKind,
};

impl Printer<'_> {
    /// A field on a line of its own, doc comment first, aligned to
    /// `columns`.
    pub(super) fn field_line(&mut self, field: &Field, columns: Columns) {
        self.line(field_start(field), Blanks::Keep);
        self.field(field, columns);
    }

    /// A field where the current line is (its doc comment, if any, on the
    /// lines before), its type and first attribute aligned to `columns`.
    pub(super) fn field(&mut self, field: &Field, columns: Columns) {
        self.doc(field.doc.as_ref(), field.name.span.start);
        self.tok(&field.name.name, field.name.span);
        self.punct(":");
        self.spaces(columns.name.saturating_sub(field.name.name.len()));
        self.type_expr(&field.ty);
        for (i, attribute) in field.attributes.iter().enumerate() {
            if i == 0 {
                self.spaces(columns.ty.saturating_sub(type_width(&field.ty)) + 1);
            } else {
                self.sp();
            }
            self.attribute(attribute);
        }
    }

    /// `fields` (one run: no other member between them) with their
    /// columns. Blank lines do not end a run: whether the printer keeps a
    /// blank line depends on the comments around it, and alignment must
    /// not, or formatting would not be idempotent.
    pub(super) fn field_runs<'f>(&self, fields: &[&'f Field]) -> Vec<(&'f Field, Columns)> {
        let columns = Columns::of(fields.iter().copied());
        fields.iter().map(|&field| (field, columns)).collect()
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
            AttributeKind::Unique { table: Some(table) } => {
                self.punct("(");
                self.tok(&table.name, table.span);
                self.punct(")");
            }
            AttributeKind::Unique { table: None }
            | AttributeKind::Static
            | AttributeKind::Tenant
            | AttributeKind::Bucket => {}
            AttributeKind::Masked(call) => {
                self.punct("(");
                self.tok(&call.function.name, call.function.span);
                self.punct("(");
                for (i, arg) in call.args.iter().enumerate() {
                    if i > 0 {
                        self.punct(",");
                        self.sp();
                    }
                    self.literal(arg);
                }
                self.punct(")");
                self.punct(")");
            }
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
            AttributeKind::Embed(sources) => {
                self.punct("(");
                for (i, source) in sources.iter().enumerate() {
                    if i > 0 {
                        self.punct(",");
                        self.sp();
                    }
                    self.tok(&source.name, source.span);
                }
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

/// Where a field's text starts: its doc comment, or its name.
fn field_start(field: &Field) -> usize {
    field
        .doc
        .as_ref()
        .map_or(field.span.start, |doc| doc.span.start)
}
