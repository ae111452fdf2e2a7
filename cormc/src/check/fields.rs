//! Fields and their attributes: `@default`, `@on_update`, `@unique`,
//! `@validate`, `@static`, `@cql`, each checked against the field's type.

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context};
use super::names::{Symbols, check_snake, unique_member};
use super::types::{Place, resolve};
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Literal, Scalar, Type};

/// What holds the fields: decides which attributes are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Owner {
    /// A model: every attribute.
    Model,
    /// A UDT, time series, event store or event (described with an article,
    /// `a type`): no `@unique`, no `@static`.
    Other(&'static str),
}

/// Resolves the fields of one block, reporting duplicates (also of CQL
/// names) and every attribute problem. Fields whose type does not resolve
/// are left out.
pub(super) fn resolve_fields(
    fields: &[ast::Field],
    owner: Owner,
    place: Place,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Vec<ir::Field> {
    let mut seen = FxHashMap::default();
    let mut cql_names: FxHashMap<String, (Span, String)> = FxHashMap::default();
    let mut resolved = Vec::new();
    for field in fields {
        if !unique_member(&mut seen, &field.name, "field", ctx) {
            continue;
        }
        check_snake(&field.name, "field", ctx);
        let Some(ir_field) = resolve_field(field, owner, place, symbols, ctx) else {
            continue;
        };
        if let Some((first, first_name)) = cql_names.get(&ir_field.cql_name) {
            ctx.error(
                Code::DuplicateMember,
                format!(
                    "fields `{first_name}` and `{}` are both stored in the CQL column `{}`",
                    ir_field.name, ir_field.cql_name
                ),
                field.name.span,
                format!("stored in `{}`", ir_field.cql_name),
            )
            .label(*first, format!("also stored in `{}`", ir_field.cql_name))
            .help("give one of them another `@cql(\"…\")` name");
            continue;
        }
        cql_names.insert(
            ir_field.cql_name.clone(),
            (field.name.span, ir_field.name.clone()),
        );
        resolved.push(ir_field);
    }
    resolved
}

fn resolve_field(
    field: &ast::Field,
    owner: Owner,
    place: Place,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Field> {
    let ty = resolve(&field.ty, place, symbols, ctx);
    let mut out = ir::Field {
        name: field.name.name.clone(),
        cql_name: super::names::snake_case(&field.name.name).into_owned(),
        doc: field.doc.as_ref().map(|doc| doc.text.clone()),
        ty: ty.clone().unwrap_or(Type::Scalar(Scalar::Text)),
        optional: field.ty.is_optional(),
        default: None,
        on_update_now: false,
        unique: false,
        is_static: false,
        bucket: false,
        tenant: false,
        unique_table: None,
        mask: None,
        validations: Vec::new(),
        embed: Vec::new(),
        span: field.span,
    };
    let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
    for attribute in &field.attributes {
        if let Some(first) = seen.insert(attribute.name(), attribute.name_span) {
            ctx.error(
                Code::DuplicateAttribute,
                format!("`@{}` is given twice", attribute.name()),
                attribute.name_span,
                "again here",
            )
            .label(first, "first here")
            .help(if attribute.name() == "validate" {
                "list every rule in one `@validate(…)`, e.g. `@validate(email, length(3, 100))`"
            } else {
                "remove one of them"
            });
            continue;
        }
        apply_attribute(attribute, &mut out, ty.as_ref(), owner, symbols, ctx);
    }
    ty.map(|_| out)
}

fn apply_attribute(
    attribute: &ast::Attribute,
    field: &mut ir::Field,
    ty: Option<&Type>,
    owner: Owner,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) {
    let model_only = |ctx: &mut Context, what: &str| {
        if let Owner::Other(kind) = owner {
            ctx.error(
                Code::MisplacedAttribute,
                format!("`@{what}` applies to model fields only"),
                attribute.name_span,
                format!("in {kind}"),
            )
            .help(match what {
                "unique" => {
                    "`@unique` is enforced with a lookup table, which only a model's rows have"
                }
                _ => "a static column belongs to a model with clustering columns",
            });
            return true;
        }
        false
    };
    match &attribute.kind {
        ast::AttributeKind::Default(value) => {
            if let Some(ty) = ty {
                field.default = default_value(value, ty, symbols, ctx);
            }
        }
        ast::AttributeKind::OnUpdateNow { now } => {
            let fits = ty.is_none_or(|ty| {
                matches!(
                    ty,
                    Type::Scalar(Scalar::Timestamp | Scalar::Date | Scalar::Timeuuid)
                )
            });
            if fits {
                field.on_update_now = true;
            } else {
                ctx.error(
                    Code::AttributeTypeMismatch,
                    "`@on_update(now)` needs a `timestamp`, `date` or `timeuuid` field",
                    *now,
                    format!("field `{}` is `{}`", field.name, field.ty),
                );
            }
        }
        ast::AttributeKind::Masked(call) => {
            if !model_only(ctx, "masked") {
                field.mask = super::masks::mask(call, field, ctx);
            }
        }
        ast::AttributeKind::Bucket => {
            if !model_only(ctx, "bucket") {
                field.bucket = true;
            }
        }
        ast::AttributeKind::Unique { table } => {
            if model_only(ctx, "unique") {
                return;
            }
            let unsuitable = ty.and_then(|ty| match ty.unfrozen() {
                Type::List(_) | Type::Set(_) | Type::Map(..) => Some("a collection"),
                Type::Scalar(Scalar::Counter) => Some("a counter"),
                Type::Vector(_) => Some("a vector"),
                Type::Scalar(_)
                | Type::Tuple(_)
                | Type::Frozen(_)
                | Type::Udt(_)
                | Type::Enum(_) => None,
            });
            match unsuitable {
                Some(what) => {
                    ctx.error(
                        Code::AttributeTypeMismatch,
                        format!("`@unique` can't apply to {what}"),
                        attribute.span,
                        format!("field `{}` is `{}`", field.name, field.ty),
                    );
                }
                None => {
                    field.unique = true;
                    field.unique_table = table.as_ref().map(|t| t.name.clone());
                }
            }
        }
        ast::AttributeKind::Static => {
            if !model_only(ctx, "static") {
                field.is_static = true;
            }
        }
        ast::AttributeKind::Tenant => {
            // A time series' first series field may be its tenant id too
            // (`time_series.rs` checks where it is), and an event store's
            // field beside `id`.
            if matches!(owner, Owner::Other("a time series" | "an event store"))
                || !model_only(ctx, "tenant")
            {
                field.tenant = true;
            }
        }
        ast::AttributeKind::Cql(name) => {
            if name.value.is_empty() {
                ctx.error(
                    Code::InvalidValue,
                    "a CQL column name can't be empty",
                    name.span,
                    "empty",
                );
            } else {
                field.cql_name = name.value.clone();
            }
        }
        ast::AttributeKind::Validate(rules) => {
            for rule in rules {
                if let Some(validation) = validation(rule, field, ty, ctx) {
                    field.validations.push(validation);
                }
            }
        }
        ast::AttributeKind::Embed(sources) => {
            if model_only(ctx, "embed") {
                return;
            }
            if !matches!(ty.map(Type::unfrozen), Some(Type::Vector(_)) | None) {
                ctx.error(
                    Code::AttributeTypeMismatch,
                    "`@embed` fills a `vector<float, N>` field",
                    attribute.span,
                    format!("field `{}` is `{}`", field.name, field.ty),
                );
            } else if !field.optional {
                ctx.error(
                    Code::AttributeTypeMismatch,
                    format!(
                        "`@embed` fills `{}` when a row leaves it unset, so it must be optional",
                        field.name
                    ),
                    attribute.span,
                    "on a required field",
                )
                .help(format!("write `{}: {}?`", field.name, field.ty));
            } else {
                field.embed = sources.iter().map(|source| source.name.clone()).collect();
            }
        }
    }
}

fn default_value(
    value: &ast::DefaultValue,
    ty: &Type,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Default> {
    let mismatch = |ctx: &mut Context, what: &str, expected: &str| {
        ctx.error(
            Code::AttributeTypeMismatch,
            format!("`@default({what})` does not fit the field's type `{ty}`"),
            value.span,
            format!("needs {expected}"),
        )
        .help(format!(
            "give a default of type `{ty}` ({}), or remove `@default`",
            expected_literal(ty)
        ));
        None
    };
    match &value.kind {
        ast::DefaultValueKind::Uuid => match ty {
            Type::Scalar(Scalar::Uuid) => Some(ir::Default::Uuid),
            _ => mismatch(ctx, "uuid", "a `uuid` field"),
        },
        ast::DefaultValueKind::Timeuuid => match ty {
            Type::Scalar(Scalar::Timeuuid) => Some(ir::Default::Timeuuid),
            _ => mismatch(ctx, "timeuuid", "a `timeuuid` field"),
        },
        ast::DefaultValueKind::Now => match ty {
            Type::Scalar(Scalar::Timestamp | Scalar::Date | Scalar::Time | Scalar::Timeuuid) => {
                Some(ir::Default::Now)
            }
            _ => mismatch(
                ctx,
                "now",
                "a `timestamp`, `date`, `time` or `timeuuid` field",
            ),
        },
        ast::DefaultValueKind::Literal(literal) => {
            let value = literal_for(literal, ty, ctx)?;
            rust_default(&value, ty, literal.span, ctx).then_some(ir::Default::Literal(value))
        }
        ast::DefaultValueKind::Enum(value) => {
            enum_literal(value, Some(ty), symbols, ctx).map(ir::Default::Literal)
        }
    }
}

/// Whether the generated code can write `value` as a Rust value of `ty` (the
/// `new` constructor fills `@default` literals in); E1203 when not. Rust
/// has literals for text, integers, floats and booleans; a `uuid`, `inet`,
/// date or time would be parsed at run time, and a `decimal` or `varint`
/// built from its digits, which `cormc generate` does not do for defaults.
fn rust_default(value: &Literal, ty: &Type, span: Span, ctx: &mut Context) -> bool {
    let scalar = match ty {
        Type::Scalar(scalar) => *scalar,
        _ => return true,
    };
    let writable = match value {
        Literal::String(_) => scalar.is_text(),
        Literal::Integer(_) => matches!(
            scalar,
            Scalar::Tinyint
                | Scalar::Smallint
                | Scalar::Int
                | Scalar::Bigint
                | Scalar::Float
                | Scalar::Double
                | Scalar::Counter
        ),
        Literal::Decimal(_) => matches!(scalar, Scalar::Float | Scalar::Double),
        Literal::Boolean(_) | Literal::EnumValue { .. } => true,
    };
    if !writable {
        ctx.error(
            Code::NoRustLiteral,
            format!("`cormc generate` can't write this default of a `{ty}` field in Rust"),
            span,
            "no Rust literal for it",
        )
        .help(match scalar {
            Scalar::Uuid | Scalar::Timeuuid => {
                "use `@default(uuid)`, `@default(timeuuid)` or `@default(now)` for a fresh value, or set the field in code"
            }
            Scalar::Date | Scalar::Time | Scalar::Timestamp => {
                "use `@default(now)`, or set the field in code"
            }
            _ => "set the field in code (a default from the schema needs a Rust literal)",
        });
    }
    writable
}

/// A literal checked against the type it is compared to or stored in.
pub(super) fn literal_for(literal: &ast::Literal, ty: &Type, ctx: &mut Context) -> Option<Literal> {
    let scalar = match ty {
        Type::Scalar(scalar) => Some(*scalar),
        Type::Enum(_) => None,
        Type::List(_)
        | Type::Set(_)
        | Type::Map(..)
        | Type::Tuple(_)
        | Type::Frozen(_)
        | Type::Vector(_)
        | Type::Udt(_) => {
            ctx.error(
                Code::LiteralTypeMismatch,
                format!("values of type `{ty}` can't be written as literals here"),
                literal.span,
                "use a parameter instead",
            );
            return None;
        }
    };
    let fits = |ok: bool, ctx: &mut Context| {
        if !ok {
            ctx.error(
                Code::LiteralTypeMismatch,
                format!("this literal does not fit the type `{ty}`"),
                literal.span,
                format!("expected {}", expected_literal(ty)),
            )
            .help("write a value of that type, or use a `?parameter`");
        }
        ok
    };
    match &literal.kind {
        ast::LiteralKind::String(string)
            if matches!(scalar, Some(Scalar::Uuid | Scalar::Timeuuid))
                && !crate::cql::literal::is_uuid(&string.value) =>
        {
            fits(false, ctx);
            None
        }
        ast::LiteralKind::String(string) => {
            let ok = scalar.is_some_and(|scalar| {
                scalar.is_text()
                    || matches!(
                        scalar,
                        Scalar::Inet
                            | Scalar::Date
                            | Scalar::Time
                            | Scalar::Timestamp
                            | Scalar::Uuid
                            | Scalar::Timeuuid
                    )
            });
            fits(ok, ctx).then(|| Literal::String(string.value.clone()))
        }
        ast::LiteralKind::Number(number) => {
            let integer_type = matches!(
                scalar,
                Some(
                    Scalar::Tinyint
                        | Scalar::Smallint
                        | Scalar::Int
                        | Scalar::Bigint
                        | Scalar::Varint
                        | Scalar::Counter
                )
            );
            let float_type = matches!(
                scalar,
                Some(Scalar::Float | Scalar::Double | Scalar::Decimal)
            );
            if number.decimal {
                fits(float_type, ctx).then(|| Literal::Decimal(number.text.clone()))
            } else if integer_type || float_type {
                let value: Option<i128> = number
                    .text
                    .strip_prefix('+')
                    .unwrap_or(&number.text)
                    .parse()
                    .ok();
                match (value, scalar) {
                    (Some(value), Some(scalar)) if integer_in_range(value, scalar) => {
                        Some(Literal::Integer(value))
                    }
                    _ => {
                        ctx.error(
                            Code::InvalidValue,
                            format!("{} is out of range for `{ty}`", number.text),
                            literal.span,
                            "out of range",
                        );
                        None
                    }
                }
            } else {
                fits(false, ctx);
                None
            }
        }
        ast::LiteralKind::Bool(value) => {
            fits(scalar == Some(Scalar::Boolean), ctx).then_some(Literal::Boolean(value.value))
        }
        ast::LiteralKind::Duration(_) => {
            fits(false, ctx);
            None
        }
    }
}

/// How a literal of `ty` is written, for "expected …" labels.
fn expected_literal(ty: &Type) -> &'static str {
    match ty {
        Type::Scalar(scalar) => match scalar {
            Scalar::Tinyint
            | Scalar::Smallint
            | Scalar::Int
            | Scalar::Bigint
            | Scalar::Varint
            | Scalar::Counter => "an integer",
            Scalar::Float | Scalar::Double | Scalar::Decimal => "a number",
            Scalar::Ascii | Scalar::Text | Scalar::Varchar => "a string",
            Scalar::Boolean => "`true` or `false`",
            Scalar::Uuid | Scalar::Timeuuid => "a UUID string",
            Scalar::Date => "a date string such as \"2024-01-31\"",
            Scalar::Time => "a time string such as \"08:30:00\"",
            Scalar::Timestamp => "a timestamp string such as \"2024-01-31T08:30:00Z\"",
            Scalar::Inet => "an IP address string",
            Scalar::Blob | Scalar::Duration => "a parameter (this type has no literal here)",
        },
        Type::Enum(_) => "`Enum.variant`",
        Type::List(_)
        | Type::Set(_)
        | Type::Map(..)
        | Type::Tuple(_)
        | Type::Frozen(_)
        | Type::Vector(_)
        | Type::Udt(_) => "a parameter",
    }
}

fn integer_in_range(value: i128, scalar: Scalar) -> bool {
    match scalar {
        Scalar::Tinyint => i8::try_from(value).is_ok(),
        Scalar::Smallint => i16::try_from(value).is_ok(),
        Scalar::Int => i32::try_from(value).is_ok(),
        Scalar::Bigint | Scalar::Counter => i64::try_from(value).is_ok(),
        _ => true,
    }
}

/// `Enum.variant`, checked to exist (and to fit `ty` when given).
pub(super) fn enum_literal(
    value: &ast::EnumValue,
    ty: Option<&Type>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<Literal> {
    let Some(decl) = symbols.enum_named(&value.enum_name.name) else {
        let help = super::context::did_you_mean(
            &value.enum_name.name,
            symbols.enums.iter().map(|e| e.name.name.as_str()),
        );
        let diagnostic = ctx.error(
            Code::UnknownType,
            format!("unknown enum `{}`", value.enum_name.name),
            value.enum_name.span,
            "not an enum",
        );
        if let Some(help) = help {
            diagnostic.help(help);
        }
        return None;
    };
    if !decl
        .variants
        .iter()
        .any(|v| v.name.name == value.variant.name)
    {
        let help = super::context::did_you_mean(
            &value.variant.name,
            decl.variants.iter().map(|v| v.name.name.as_str()),
        );
        let diagnostic = ctx.error(
            Code::UnknownVariant,
            format!(
                "enum `{}` has no variant `{}`",
                decl.name.name, value.variant.name
            ),
            value.variant.span,
            "no such variant",
        );
        diagnostic.label(decl.name.span, "enum declared here");
        if let Some(help) = help {
            diagnostic.help(help);
        }
        return None;
    }
    if let Some(ty) = ty
        && *ty != Type::Enum(decl.name.name.clone())
    {
        ctx.error(
            Code::LiteralTypeMismatch,
            format!(
                "`{}.{}` does not fit the type `{ty}`",
                decl.name.name, value.variant.name
            ),
            value.span,
            "an enum value",
        );
        return None;
    }
    Some(Literal::EnumValue {
        ty: decl.name.name.clone(),
        variant: value.variant.name.clone(),
    })
}

fn validation(
    rule: &ast::ValidateRule,
    field: &ir::Field,
    ty: Option<&Type>,
    ctx: &mut Context,
) -> Option<ir::Validation> {
    let ty = ty?;
    let is_text = matches!(ty, Type::Scalar(scalar) if scalar.is_text());
    let has_length = is_text
        || matches!(
            ty.unfrozen(),
            Type::List(_) | Type::Set(_) | Type::Map(..) | Type::Scalar(Scalar::Blob)
        );
    let is_number =
        matches!(ty, Type::Scalar(scalar) if scalar.is_numeric() && *scalar != Scalar::Counter);
    let (name, fits, expected) = match &rule.kind {
        ast::ValidateRuleKind::Email => ("email", is_text, "a text field"),
        ast::ValidateRuleKind::Url => ("url", is_text, "a text field"),
        ast::ValidateRuleKind::Regex(_) => ("regex", is_text, "a text field"),
        ast::ValidateRuleKind::NotEmpty => {
            ("not_empty", has_length, "a text, blob or collection field")
        }
        ast::ValidateRuleKind::Length { .. } => {
            ("length", has_length, "a text, blob or collection field")
        }
        ast::ValidateRuleKind::Range { .. } => ("range", is_number, "a number field"),
        ast::ValidateRuleKind::OneOf(_) => {
            ("one_of", is_text || is_number, "a text or number field")
        }
    };
    if !fits {
        ctx.error(
            Code::AttributeTypeMismatch,
            format!("`{name}` validates {expected}"),
            rule.span,
            format!("field `{}` is `{ty}`", field.name),
        )
        .help(if is_text {
            "text fields take `email`, `url`, `regex(\"…\")`, `length(min, max)`, `not_empty` and `one_of(…)`"
        } else if is_number {
            "number fields take `range(min, max)` and `one_of(…)`"
        } else if has_length {
            "blob and collection fields take `length(min, max)` and `not_empty`"
        } else {
            "no validation rule applies to fields of this type; remove it"
        });
        return None;
    }
    match &rule.kind {
        ast::ValidateRuleKind::Email => Some(ir::Validation::Email),
        ast::ValidateRuleKind::Url => Some(ir::Validation::Url),
        ast::ValidateRuleKind::NotEmpty => Some(ir::Validation::NotEmpty),
        ast::ValidateRuleKind::Regex(pattern) => {
            match regex_syntax::Parser::new().parse(&pattern.value) {
                Ok(_) => Some(ir::Validation::Regex(pattern.value.clone())),
                Err(err) => {
                    let (what, at) = regex_problem(&err, pattern);
                    ctx.error(
                        Code::InvalidValue,
                        "invalid regular expression",
                        at,
                        what,
                    )
                    .help("`regex` takes Rust `regex` syntax; in `\"…\"` only `\\\"` and `\\\\` are escapes, so `\"\\d+\"` is the pattern `\\d+`");
                    None
                }
            }
        }
        ast::ValidateRuleKind::Length { min, max } => {
            let (Ok(low), Ok(high)) = (u64::try_from(min.value), u64::try_from(max.value)) else {
                ctx.error(
                    Code::InvalidValue,
                    "lengths can't be negative",
                    rule.span,
                    "negative length",
                );
                return None;
            };
            if low > high {
                ctx.error(
                    Code::InvalidValue,
                    format!("`length({low}, {high})` allows nothing"),
                    rule.span,
                    "min is above max",
                )
                .help(format!("write `length({high}, {low})`"));
                return None;
            }
            Some(ir::Validation::Length {
                min: low,
                max: high,
            })
        }
        ast::ValidateRuleKind::Range { min, max } => {
            for bound in [min, max] {
                if !number_bound(bound, field, ty, ctx) {
                    return None;
                }
            }
            if let (Some(low), Some(high)) = (min.as_f64(), max.as_f64())
                && low > high
            {
                ctx.error(
                    Code::InvalidValue,
                    format!("`range({}, {})` allows nothing", min.text, max.text),
                    rule.span,
                    "min is above max",
                );
                return None;
            }
            Some(ir::Validation::Range {
                min: min.text.clone(),
                max: max.text.clone(),
            })
        }
        ast::ValidateRuleKind::OneOf(values) => {
            let mut allowed = Vec::new();
            for value in values {
                match (&value.kind, is_text) {
                    (ast::LiteralKind::String(string), true) => allowed.push(string.value.clone()),
                    (ast::LiteralKind::Number(number), false) => {
                        if !number_bound(number, field, ty, ctx) {
                            return None;
                        }
                        allowed.push(number.text.clone());
                    }
                    _ => {
                        ctx.error(
                            Code::LiteralTypeMismatch,
                            format!("this value does not fit the type `{ty}`"),
                            value.span,
                            format!("field `{}` is `{ty}`", field.name),
                        );
                        return None;
                    }
                }
            }
            Some(ir::Validation::OneOf(allowed))
        }
    }
}

/// Whether `number`, a bound of `range` or a value of `one_of`, is a value
/// of the number field's type `ty` that the generated check can be written
/// with: an integer in the type's range for `tinyint` … `bigint` (E0604,
/// E0402), an integer of at most 38 digits for `varint` and a number of at
/// most 38 digits for `decimal` (the generated code builds them from their
/// digits as an `i128`: E1203), anything for `float` and `double`.
fn number_bound(number: &ast::NumberLit, field: &ir::Field, ty: &Type, ctx: &mut Context) -> bool {
    let Type::Scalar(scalar) = ty else {
        return true;
    };
    let integer = matches!(
        scalar,
        Scalar::Tinyint | Scalar::Smallint | Scalar::Int | Scalar::Bigint | Scalar::Varint
    );
    if integer && number.decimal {
        ctx.error(
            Code::LiteralTypeMismatch,
            format!("`{}` is not an integer", number.text),
            number.span,
            format!("field `{}` is `{ty}`", field.name),
        );
        return false;
    }
    let exact = exact_digits(&number.text);
    match scalar {
        Scalar::Tinyint | Scalar::Smallint | Scalar::Int | Scalar::Bigint => {
            let value = number
                .text
                .strip_prefix('+')
                .unwrap_or(&number.text)
                .parse::<i128>()
                .ok();
            if value.is_some_and(|value| integer_in_range(value, *scalar)) {
                return true;
            }
            ctx.error(
                Code::InvalidValue,
                format!("{} is out of range for `{ty}`", number.text),
                number.span,
                "out of range",
            )
            .help(format!(
                "a bound of a `{ty}` field is a `{ty}` value; widen the field's type or narrow the rule"
            ));
            false
        }
        Scalar::Varint | Scalar::Decimal if !exact => {
            ctx.error(
                Code::NoRustLiteral,
                format!(
                    "`cormc generate` can't write {} as a `{ty}` in Rust: it has more than 38 digits",
                    number.text
                ),
                number.span,
                "too many digits",
            )
            .help("the generated check builds exact bounds from at most 38 digits; round the bound");
            false
        }
        _ => true,
    }
}

/// Whether the digits of a schema number (`[+-]digits[.digits]`) fit an
/// `i128`, from which the generated code builds a `decimal` or `varint`
/// value (at most 38 digits, some of 39).
pub(super) fn exact_digits(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse::<i128>().is_ok()
}

/// What is wrong with a regular expression, and where in the string
/// literal: the exact place when the literal has no escapes (its text is
/// the pattern), else the whole string.
fn regex_problem(err: &regex_syntax::Error, pattern: &ast::StringLit) -> (String, Span) {
    let (kind, span) = match err {
        regex_syntax::Error::Parse(err) => (err.kind().to_string(), Some(err.span())),
        regex_syntax::Error::Translate(err) => (err.kind().to_string(), Some(err.span())),
        other => (other.to_string(), None),
    };
    let quote = if pattern.triple { 3 } else { 1 };
    let verbatim = pattern.span.len() == pattern.value.len() + 2 * quote;
    let at = match span {
        Some(span) if verbatim => {
            let inner_start = pattern.span.start.saturating_add(quote);
            let inner_end = pattern.span.end.saturating_sub(quote);
            let start = inner_start.saturating_add(span.start.offset).min(inner_end);
            let end = inner_start
                .saturating_add(span.end.offset)
                .max(start.saturating_add(1))
                .min(inner_end);
            if start < end {
                Span::new(pattern.span.file, start, end)
            } else {
                pattern.span
            }
        }
        Some(_) | None => pattern.span,
    };
    (kind, at)
}
