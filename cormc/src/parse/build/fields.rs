//! Fields, types and attributes.

use super::{Builder, P};
use crate::ast::{
    Attribute, AttributeKind, DefaultValue, DefaultValueKind, Field, Ident, MaskCall, Span,
    TypeExpr, TypeKind, UintLit, ValidateRule, ValidateRuleKind,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::parse::grammar::Rule;
use crate::parse::suggest;

/// Types nested deeper than this are rejected (keeps every later recursive
/// pass far from the stack limit).
const MAX_TYPE_DEPTH: usize = 32;

const ATTRIBUTES: [&str; 9] = [
    "default",
    "on_update",
    "unique",
    "validate",
    "static",
    "cql",
    "bucket",
    "masked",
    "tenant",
];
const VALIDATE_RULES: [&str; 7] = [
    "email",
    "url",
    "length",
    "range",
    "regex",
    "not_empty",
    "one_of",
];
const GENERICS: [&str; 6] = ["list", "set", "map", "tuple", "frozen", "vector"];

impl Builder<'_> {
    /// `field = { doc? ~ ident ~ field_colon ~ type_expr ~ attribute* }`
    pub(super) fn field(&mut self, pair: P<'_>) -> Field {
        let whole = self.span(&pair);
        let mut doc = None;
        let mut name = None;
        let mut ty = None;
        let mut attributes = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::doc => doc = Some(self.doc(p)),
                Rule::ident => name = Some(self.ident(&p)),
                Rule::field_colon => {}
                Rule::type_expr => ty = Some(self.type_expr(p, 0)),
                Rule::attribute => {
                    if let Some(attribute) = self.attribute(p) {
                        attributes.push(attribute);
                    }
                }
                _ => self.unexpected(&p),
            }
        }
        let name = name.unwrap_or_else(|| self.missing_ident(whole, "a field"));
        let ty = ty.unwrap_or_else(|| {
            self.bug(whole, "a field without a type");
            placeholder_type(whole)
        });
        let span = Span::new(whole.file, name.span.start, whole.end);
        Field {
            doc,
            name,
            ty,
            attributes,
            span,
        }
    }

    /// `type_expr = { type_base ~ optional_mark? }`
    fn type_expr(&mut self, pair: P<'_>, depth: usize) -> TypeExpr {
        let span = self.span(&pair);
        if depth > MAX_TYPE_DEPTH {
            self.error(Diagnostic::error(
                Code::TooDeep,
                format!("type nested more than {MAX_TYPE_DEPTH} levels deep"),
                span,
                "too deep",
            ));
            return placeholder_type(span);
        }
        let mut kind = None;
        let mut optional = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::optional_mark => optional = Some(self.span(&p)),
                Rule::named_type => {
                    let name = match p.into_inner().next() {
                        Some(ident) => self.ident(&ident),
                        None => self.missing_ident(span, "a named type"),
                    };
                    kind = Some(TypeKind::Named(name));
                }
                Rule::list_type
                | Rule::set_type
                | Rule::map_type
                | Rule::tuple_type
                | Rule::frozen_type
                | Rule::vector_type => kind = Some(self.generic_type(p, depth)),
                Rule::unknown_generic => kind = Some(self.unknown_generic(p)),
                _ => self.unexpected(&p),
            }
        }
        let kind = kind.unwrap_or_else(|| {
            self.bug(span, "a type without a shape");
            placeholder_type(span).kind
        });
        TypeExpr {
            kind,
            optional,
            span,
        }
    }

    fn generic_type(&mut self, pair: P<'_>, depth: usize) -> TypeKind {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut args = Vec::new();
        let mut dimension = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::type_expr => args.push(self.type_expr(p, depth + 1)),
                Rule::uint => dimension = Some(self.uint(&p)),
                Rule::kw_list
                | Rule::kw_set
                | Rule::kw_map
                | Rule::kw_tuple
                | Rule::kw_frozen
                | Rule::kw_vector
                | Rule::langle
                | Rule::rangle
                | Rule::comma
                | Rule::map_comma
                | Rule::vector_comma => {}
                _ => self.unexpected(&p),
            }
        }
        let mut args = args.into_iter();
        let mut next = |this: &mut Self| {
            Box::new(args.next().unwrap_or_else(|| {
                this.bug(span, "a generic type without its arguments");
                placeholder_type(span)
            }))
        };
        match rule {
            Rule::list_type => TypeKind::List(next(self)),
            Rule::set_type => TypeKind::Set(next(self)),
            Rule::frozen_type => TypeKind::Frozen(next(self)),
            Rule::map_type => {
                let key = next(self);
                let value = next(self);
                TypeKind::Map { key, value }
            }
            Rule::vector_type => {
                let element = next(self);
                let dimension = dimension.unwrap_or_else(|| {
                    self.bug(span, "a vector without a dimension");
                    UintLit { value: 0, span }
                });
                TypeKind::Vector { element, dimension }
            }
            Rule::tuple_type => {
                let mut elements = Vec::new();
                for element in args.by_ref() {
                    elements.push(element);
                }
                TypeKind::Tuple(elements)
            }
            _ => {
                self.bug(span, "an unknown generic rule");
                placeholder_type(span).kind
            }
        }
    }

    /// `name<…>` with a name that is not a generic: an error, then a
    /// placeholder so building goes on.
    fn unknown_generic(&mut self, pair: P<'_>) -> TypeKind {
        let span = self.span(&pair);
        let name = match pair.into_inner().find(|p| p.as_rule() == Rule::ident) {
            Some(ident) => self.ident(&ident),
            None => self.missing_ident(span, "a generic type"),
        };
        let mut diagnostic = Diagnostic::error(
            Code::UnknownGenericType,
            format!("unknown generic type `{}`", name.name),
            name.span,
            "not a generic type",
        );
        diagnostic = match suggest::closest(&name.name, GENERICS) {
            Some(best) => diagnostic.with_help(format!("did you mean `{best}<…>`?")),
            None => diagnostic.with_help(
                "the generic types are `list<T>`, `set<T>`, `map<K, V>`, `tuple<A, B, …>`, \
                 `frozen<T>` and `vector<float, N>`",
            ),
        };
        self.error(diagnostic);
        TypeKind::Named(name)
    }

    /// `mask_call = { ident ~ lparen ~ (literal ~ (comma ~ literal)*)? ~ rparen }`
    fn mask_call(&mut self, pair: P<'_>) -> Option<MaskCall> {
        let span = self.span(&pair);
        let mut function = None;
        let mut args = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => function = Some(self.ident(&p)),
                Rule::literal => args.push(self.literal(p)),
                Rule::lparen | Rule::rparen | Rule::comma => {}
                _ => self.unexpected(&p),
            }
        }
        let Some(function) = function else {
            self.bug(span, "a masking function without a name");
            return None;
        };
        Some(MaskCall {
            function,
            args,
            span,
        })
    }

    fn attribute(&mut self, pair: P<'_>) -> Option<Attribute> {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            self.bug(span, "an empty attribute");
            return None;
        };
        let rule = inner.as_rule();
        let mut name_span = span;
        let mut value = None;
        let mut now = None;
        let mut rules = Vec::new();
        let mut string = None;
        let mut unknown = None;
        let mut table = None;
        let mut mask = None;
        let mut sources = Vec::new();
        for p in inner.into_inner() {
            match p.as_rule() {
                Rule::attr_default
                | Rule::attr_on_update
                | Rule::attr_unique
                | Rule::attr_validate
                | Rule::attr_static
                | Rule::attr_bucket
                | Rule::attr_masked
                | Rule::attr_embed
                | Rule::attr_tenant
                | Rule::attr_cql => name_span = self.span(&p),
                Rule::attr_name => {
                    name_span = self.span(&p);
                    unknown = Some(p.as_str().trim_start_matches('@').to_owned());
                }
                Rule::default_value => value = Some(self.default_value(p)),
                Rule::kw_now => now = Some(self.span(&p)),
                Rule::validate_rule => {
                    if let Some(rule) = self.validate_rule(p) {
                        rules.push(rule);
                    }
                }
                Rule::string => string = Some(self.string(p)),
                Rule::ident if rule == Rule::embed_attr => sources.push(self.ident(&p)),
                Rule::ident => table = Some(self.ident(&p)),
                Rule::mask_call => mask = self.mask_call(p),
                Rule::lparen | Rule::rparen | Rule::comma | Rule::no_args | Rule::loose_args => {}
                _ => self.unexpected(&p),
            }
        }
        let kind = match rule {
            Rule::default_attr => AttributeKind::Default(value.unwrap_or_else(|| {
                self.bug(span, "`@default` without a value");
                DefaultValue {
                    kind: DefaultValueKind::Now,
                    span,
                }
            })),
            Rule::on_update_attr => AttributeKind::OnUpdateNow {
                now: now.unwrap_or(span),
            },
            Rule::unique_attr => AttributeKind::Unique { table },
            Rule::bucket_attr => AttributeKind::Bucket,
            Rule::masked_attr => match mask {
                Some(mask) => AttributeKind::Masked(mask),
                None => {
                    self.bug(span, "`@masked` without a function");
                    return None;
                }
            },
            Rule::static_attr => AttributeKind::Static,
            Rule::tenant_attr => AttributeKind::Tenant,
            Rule::embed_attr => AttributeKind::Embed(sources),
            Rule::validate_attr => AttributeKind::Validate(rules),
            Rule::cql_attr => match string {
                Some(string) => AttributeKind::Cql(string),
                None => {
                    self.bug(span, "`@cql` without a name");
                    return None;
                }
            },
            Rule::unknown_attr => {
                let name = unknown.unwrap_or_default();
                let mut diagnostic = Diagnostic::error(
                    Code::UnknownAttribute,
                    format!("unknown attribute `@{name}`"),
                    name_span,
                    "not an attribute",
                );
                diagnostic = match suggest::closest(&name, ATTRIBUTES) {
                    Some(best) => diagnostic.with_help(format!("did you mean `@{best}`?")),
                    None => diagnostic.with_help(
                        "the attributes are `@default(…)`, `@on_update(now)`, `@unique`, \
                         `@validate(…)`, `@static`, `@cql(\"…\")`, `@bucket` and `@masked(…)`",
                    ),
                };
                self.error(diagnostic);
                return None;
            }
            _ => {
                self.bug(span, "an unknown attribute rule");
                return None;
            }
        };
        Some(Attribute {
            kind,
            name_span,
            span,
        })
    }

    fn default_value(&mut self, pair: P<'_>) -> DefaultValue {
        let span = self.span(&pair);
        let kind = match pair.into_inner().next() {
            Some(p) => match p.as_rule() {
                Rule::enum_value => DefaultValueKind::Enum(self.enum_value(p)),
                Rule::kw_uuid => DefaultValueKind::Uuid,
                Rule::kw_timeuuid => DefaultValueKind::Timeuuid,
                Rule::kw_now => DefaultValueKind::Now,
                Rule::literal => DefaultValueKind::Literal(self.literal(p)),
                _ => {
                    self.unexpected(&p);
                    DefaultValueKind::Now
                }
            },
            None => {
                self.bug(span, "an empty default value");
                DefaultValueKind::Now
            }
        };
        DefaultValue { kind, span }
    }

    fn validate_rule(&mut self, pair: P<'_>) -> Option<ValidateRule> {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            self.bug(span, "an empty validation rule");
            return None;
        };
        let rule = inner.as_rule();
        let mut ints = Vec::new();
        let mut numbers = Vec::new();
        let mut literals = Vec::new();
        let mut string = None;
        let mut unknown: Option<Ident> = None;
        for p in inner.into_inner() {
            match p.as_rule() {
                Rule::int => ints.push(self.int(&p)),
                Rule::number => numbers.push(self.number(&p)),
                Rule::literal => literals.push(self.literal(p)),
                Rule::string => string = Some(self.string(p)),
                Rule::ident => unknown = Some(self.ident(&p)),
                Rule::kw_length
                | Rule::kw_range
                | Rule::kw_regex
                | Rule::kw_one_of
                | Rule::kw_email
                | Rule::kw_url
                | Rule::kw_not_empty
                | Rule::lparen
                | Rule::rparen
                | Rule::comma
                | Rule::no_args
                | Rule::loose_args => {}
                _ => self.unexpected(&p),
            }
        }
        let kind = match rule {
            Rule::email_rule => ValidateRuleKind::Email,
            Rule::url_rule => ValidateRuleKind::Url,
            Rule::not_empty_rule => ValidateRuleKind::NotEmpty,
            Rule::length_rule => {
                let mut ints = ints.into_iter();
                match (ints.next(), ints.next()) {
                    (Some(min), Some(max)) => ValidateRuleKind::Length { min, max },
                    _ => {
                        self.bug(span, "`length` without two bounds");
                        return None;
                    }
                }
            }
            Rule::range_rule => {
                let mut numbers = numbers.into_iter();
                match (numbers.next(), numbers.next()) {
                    (Some(min), Some(max)) => ValidateRuleKind::Range { min, max },
                    _ => {
                        self.bug(span, "`range` without two bounds");
                        return None;
                    }
                }
            }
            Rule::regex_rule => match string {
                Some(pattern) => ValidateRuleKind::Regex(pattern),
                None => {
                    self.bug(span, "`regex` without a pattern");
                    return None;
                }
            },
            Rule::one_of_rule => ValidateRuleKind::OneOf(literals),
            Rule::unknown_rule => {
                let name = unknown.unwrap_or_else(|| Ident {
                    name: String::new(),
                    span,
                });
                let mut diagnostic = Diagnostic::error(
                    Code::UnknownValidationRule,
                    format!("unknown validation rule `{}`", name.name),
                    name.span,
                    "not a validation rule",
                );
                diagnostic = match suggest::closest(&name.name, VALIDATE_RULES) {
                    Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                    None => diagnostic.with_help(
                        "the rules are `email`, `url`, `length(min, max)`, `range(min, max)`, \
                         `regex(\"…\")`, `not_empty` and `one_of(\"a\", \"b\", …)`",
                    ),
                };
                self.error(diagnostic);
                return None;
            }
            _ => {
                self.bug(span, "an unknown validation rule kind");
                return None;
            }
        };
        Some(ValidateRule { kind, span })
    }
}

fn placeholder_type(span: Span) -> TypeExpr {
    TypeExpr {
        kind: TypeKind::Named(Ident {
            name: String::new(),
            span,
        }),
        optional: None,
        span,
    }
}
