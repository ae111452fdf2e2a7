//! The `@validate` rules of a model as Rust statements: each checks one
//! field (bound to `value`) and records a violation in `violations` (a
//! `corm::validate::Violations`).

use crate::codegen::CodegenError;
use crate::ir::{self, Scalar, Type, Validation};

use super::FieldView;

/// The generated `validate()` of a model and of its patch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidateView {
    /// The model's name, as a Rust string literal (for the error).
    pub model: String,
    /// The fields with rules, in declaration order.
    pub fields: Vec<ValidatedField>,
}

impl ValidateView {
    /// Whether some field of the patch has rules (then the patch has a
    /// `validate()` too).
    #[must_use]
    pub fn patch_validates(&self) -> bool {
        self.fields.iter().any(|field| field.in_patch)
    }
}

/// One field with rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedField {
    /// The Rust field.
    pub ident: String,
    /// Whether the field is optional (rules apply to a present value only).
    pub optional: bool,
    /// Whether the patch has the field.
    pub in_patch: bool,
    /// One statement per rule, over `value: &T`.
    pub checks: Vec<String>,
}

/// The rules of `model`, or `None` when it has none.
///
/// # Errors
/// [`CodegenError::Unsupported`] for a bound of a `decimal` or `varint`
/// rule that is not an exact number of that type (at most 38 digits).
pub fn validate_view(
    model: &ir::Model,
    views: &[FieldView],
) -> Result<Option<ValidateView>, CodegenError> {
    let mut fields = Vec::new();
    for (field, view) in model.fields.iter().zip(views) {
        let name = format!("{:?}", field.name);
        let ty = field.ty.unfrozen();
        let mut checks = field
            .validations
            .iter()
            .map(|rule| check(rule, &name, ty, &format!("`{}.{}`", model.name, field.name)))
            .collect::<Result<Vec<_>, _>>()?;
        // A vector takes finite components only, and under a cosine index
        // no zero vector.
        if matches!(ty, Type::Vector(_)) {
            let cosine = model.vector_indexes.iter().any(|index| {
                index.field == field.name && index.similarity == ir::Similarity::Cosine
            });
            checks.push(format!(
                "violations.vector({name}, value.as_slice(), {cosine});"
            ));
        }
        if checks.is_empty() {
            continue;
        }
        fields.push(ValidatedField {
            ident: view.ident.clone(),
            optional: field.optional,
            in_patch: !model.key.contains(&field.name) && !field.on_update_now,
            checks,
        });
    }
    Ok((!fields.is_empty()).then(|| ValidateView {
        model: format!("{:?}", model.name),
        fields,
    }))
}

/// The statement checking `rule` on the field `name` (a Rust literal) of
/// type `ty`.
fn check(rule: &Validation, name: &str, ty: &Type, what: &str) -> Result<String, CodegenError> {
    let text = matches!(
        ty,
        Type::Scalar(Scalar::Text | Scalar::Varchar | Scalar::Ascii)
    );
    Ok(match rule {
        Validation::Email => format!("violations.email({name}, value);"),
        Validation::Url => format!("violations.url({name}, value);"),
        Validation::Regex(pattern) => format!(
            "{{ static PATTERN: corm::validate::Pattern = corm::validate::Pattern::new({pattern:?}); violations.regex({name}, value, &PATTERN); }}"
        ),
        Validation::NotEmpty => format!("violations.not_empty({name}, value.is_empty());"),
        Validation::Length { min, max } if text => {
            format!("violations.length({name}, value, {min}, {max});")
        }
        Validation::Length { min, max } => {
            format!("violations.size({name}, value.len(), {min}, {max});")
        }
        Validation::Range { min, max } => {
            let float = matches!(ty, Type::Scalar(Scalar::Float | Scalar::Double));
            let (min, max) = match exact_path(ty) {
                Some(path) => (exact(min, path, what)?, exact(max, path, what)?),
                None => (number(min, float), number(max, float)),
            };
            format!("violations.range({name}, value, &{min}, &{max});")
        }
        Validation::OneOf(allowed) if text => format!(
            "violations.one_of({name}, value.as_str(), &[{}]);",
            allowed
                .iter()
                .map(|value| format!("{value:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Validation::OneOf(allowed) => {
            let float = matches!(ty, Type::Scalar(Scalar::Float | Scalar::Double));
            let values = allowed
                .iter()
                .map(|value| match exact_path(ty) {
                    Some(path) => exact(value, path, what).map(|value| format!("&{value}")),
                    None => Ok(format!("&{}", number(value, float))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            format!(
                "violations.one_of({name}, value, &[{}]);",
                values.join(", ")
            )
        }
    })
}

/// The Rust type of an exact number type (`decimal`, `varint`).
fn exact_path(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Scalar(Scalar::Decimal) => Some("corm::BigDecimal"),
        Type::Scalar(Scalar::Varint) => Some("corm::BigInt"),
        _ => None,
    }
}

/// `written` as an expression of the exact type at `path`.
fn exact(written: &str, path: &str, what: &str) -> Result<String, CodegenError> {
    super::exact::literal(written, path).ok_or_else(|| CodegenError::Unsupported {
        what: what.to_owned(),
        reason: format!("{written} is not an exact `{path}` of at most 38 digits"),
    })
}

/// A number as written, as a Rust literal of an integer or a float type.
fn number(written: &str, float: bool) -> String {
    let written = written.trim_matches('"');
    if float && !written.contains(['.', 'e', 'E']) {
        format!("{written}.0")
    } else {
        written.to_owned()
    }
}
