//! The `@validate` rules of a model, as data for the template
//! (`templates/rust/validation_checks.rs`) that writes each as a statement
//! checking one field (bound to `value`) and recording a violation in
//! `violations` (a `corm::validate::Violations`).

use crate::codegen::CodegenError;
use crate::ir::{self, Scalar, Type, Validation};

use super::FieldView;
use super::exact::ExactNumber;

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
    /// Its schema name, as a Rust string literal (for the violation).
    pub name: String,
    /// Its rules, in the schema's order.
    pub checks: Vec<Check>,
}

/// One rule, over `value: &T`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// `email`.
    Email,
    /// `url`.
    Url,
    /// `regex("…")`: the pattern as a Rust string literal.
    Regex(String),
    /// `not_empty`.
    NotEmpty,
    /// `length(min, max)` of a text, in characters.
    Length(u64, u64),
    /// `length(min, max)` of a collection or blob: its `len()`.
    Size(u64, u64),
    /// `range(min, max)`.
    Range(Bound, Bound),
    /// `one_of(…)` of a text: the values as Rust string literals.
    OneOfText(Vec<String>),
    /// `one_of(…)` of a number.
    OneOf(Vec<Bound>),
    /// A vector's components are finite and, under a cosine index
    /// (`true`), not all zero.
    Vector(bool),
}

/// A number a rule compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// A Rust literal of an integer or float type (`10`, `0.5`).
    Literal(String),
    /// A `decimal` or `varint`, built from its digits.
    Exact(ExactNumber),
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
            .map(|rule| check(rule, ty, &format!("`{}.{}`", model.name, field.name)))
            .collect::<Result<Vec<_>, _>>()?;
        // A vector takes finite components only, and under a cosine index
        // no zero vector.
        if matches!(ty, Type::Vector(_)) {
            let cosine = model.vector_indexes.iter().any(|index| {
                index.field == field.name && index.similarity == ir::Similarity::Cosine
            });
            checks.push(Check::Vector(cosine));
        }
        if checks.is_empty() {
            continue;
        }
        fields.push(ValidatedField {
            ident: view.ident.clone(),
            optional: field.optional,
            in_patch: !model.key.contains(&field.name) && !field.on_update_now,
            name,
            checks,
        });
    }
    Ok((!fields.is_empty()).then(|| ValidateView {
        model: format!("{:?}", model.name),
        fields,
    }))
}

/// `rule` on a field of type `ty`.
fn check(rule: &Validation, ty: &Type, what: &str) -> Result<Check, CodegenError> {
    let text = matches!(
        ty,
        Type::Scalar(Scalar::Text | Scalar::Varchar | Scalar::Ascii)
    );
    let float = matches!(ty, Type::Scalar(Scalar::Float | Scalar::Double));
    let bound = |written: &str| match exact_path(ty) {
        Some(path) => ExactNumber::parse(written, path)
            .map(Bound::Exact)
            .ok_or_else(|| CodegenError::Unsupported {
                what: what.to_owned(),
                reason: format!("{written} is not an exact `{path}` of at most 38 digits"),
            }),
        None => Ok(Bound::Literal(number(written, float))),
    };
    Ok(match rule {
        Validation::Email => Check::Email,
        Validation::Url => Check::Url,
        Validation::Regex(pattern) => Check::Regex(format!("{pattern:?}")),
        Validation::NotEmpty => Check::NotEmpty,
        Validation::Length { min, max } if text => Check::Length(*min, *max),
        Validation::Length { min, max } => Check::Size(*min, *max),
        Validation::Range { min, max } => Check::Range(bound(min)?, bound(max)?),
        Validation::OneOf(allowed) if text => {
            Check::OneOfText(allowed.iter().map(|value| format!("{value:?}")).collect())
        }
        Validation::OneOf(allowed) => Check::OneOf(
            allowed
                .iter()
                .map(|value| bound(value))
                .collect::<Result<_, _>>()?,
        ),
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

/// A number as written, as a Rust literal of an integer or a float type.
fn number(written: &str, float: bool) -> String {
    let written = written.trim_matches('"');
    if float && !written.contains(['.', 'e', 'E']) {
        format!("{written}.0")
    } else {
        written.to_owned()
    }
}
