//! A client-side aggregate's `having` conditions over a finished row, as
//! data: the field, the operator, the value compared with and how the
//! field's value is reached. The template `rust/client_rows.rs` writes the
//! Rust.

use super::{FieldInfo, Kind};
use crate::codegen::CodegenError;
use crate::codegen::view::queries::param_ident;
use crate::ir::{self, Literal, Operand};

/// One `having` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The result row's field.
    pub field: String,
    /// The Rust comparison operator (`==`, `<`, …).
    pub op: &'static str,
    /// What the field is compared with: a parameter or a Rust literal.
    pub operand: String,
    /// Whether the operand is a parameter of an enum type, compared by its
    /// stored text.
    pub operand_text: bool,
    /// How the field's value is reached.
    pub reach: Reach,
    /// The closure's parameter, for an optional field (not the operand's
    /// name).
    pub value: &'static str,
}

/// How a `having` condition reaches the field's value (`f`, compared with
/// the operand `x` by `op`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// `row.f op x`.
    Plain,
    /// `row.f op *x` (an exact number's parameter, a reference).
    Deref,
    /// `row.f.as_str() op x`.
    Str,
    /// `row.f.as_slice() op x`.
    Slice,
    /// `row.f.is_some_and(|v| v op x)`.
    Some,
    /// `row.f.is_some_and(|v| v.as_str() op x)`.
    SomeStr,
    /// `row.f.as_ref().is_some_and(|v| v op x)`.
    RefSome,
    /// `row.f.as_ref().is_some_and(|v| *v op x)`.
    RefSomeDeref,
    /// `row.f.as_ref().is_some_and(|v| v.as_str() op x)`.
    RefSomeStr,
    /// `row.f.as_deref().is_some_and(|v| v op x)`.
    DerefSome,
}

/// The condition that `info` (a result field) compares with `operand` by
/// `op`.
pub(super) fn condition(
    info: &FieldInfo,
    op: &'static str,
    operand: &Operand,
    params: &[(String, &ir::Param)],
    what: &str,
) -> Result<Condition, CodegenError> {
    let unsupported = |reason: String| CodegenError::Unsupported {
        what: what.to_owned(),
        reason,
    };
    // An exact number written in the schema, built without parsing.
    let exact_rhs = |written: &str| {
        crate::codegen::view::exact::literal(written, &info.path).ok_or_else(|| {
            unsupported(format!(
                "`having {}` compares with {written}, which is not an exact `{}` of at most 38 digits",
                info.name, info.path
            ))
        })
    };
    let is_param = matches!(operand, Operand::Param(_));
    let rhs = match operand {
        Operand::Param(name) => param_ident(params, name, what)?,
        Operand::Literal(literal) => match (literal, info.kind) {
            (Literal::Integer(value), Kind::Float) => format!("{value}.0"),
            (Literal::Integer(value), Kind::Copy) => value.to_string(),
            (Literal::Decimal(text), Kind::Float) => {
                text.strip_prefix('+').unwrap_or(text).to_owned()
            }
            (Literal::String(text), Kind::Text) => format!("{text:?}"),
            (Literal::Integer(value), Kind::Exact) => exact_rhs(&value.to_string())?,
            (Literal::Decimal(text), Kind::Exact) => exact_rhs(text)?,
            (Literal::EnumValue { variant, .. }, Kind::Enum | Kind::OpenEnum) => {
                format!("{variant:?}")
            }
            (literal, _) => {
                return Err(unsupported(format!(
                    "`having {}` compares with {literal:?}, which has no Rust literal here; use a parameter",
                    info.name
                )));
            }
        },
    };
    let operand_text = is_param && matches!(info.kind, Kind::Enum | Kind::OpenEnum);
    let reach = match (info.kind, info.optional) {
        (Kind::Copy | Kind::Float, false) => Reach::Plain,
        (Kind::Copy | Kind::Float, true) => Reach::Some,
        (Kind::Enum | Kind::OpenEnum | Kind::Text, false) => Reach::Str,
        (Kind::Enum, true) => Reach::SomeStr,
        // A parameter is a reference, a literal a value.
        (Kind::Exact, false) if is_param => Reach::Deref,
        (Kind::Exact, false) => Reach::Plain,
        (Kind::Exact, true) if is_param => Reach::RefSome,
        (Kind::Exact, true) => Reach::RefSomeDeref,
        (Kind::OpenEnum, true) => Reach::RefSomeStr,
        (Kind::Blob, false) => Reach::Slice,
        (Kind::Text | Kind::Blob, true) => Reach::DerefSome,
        (Kind::Other, _) => {
            return Err(unsupported(format!(
                "`having {}` compares `{}` values, which the client can't compare",
                info.name, info.path
            )));
        }
    };
    Ok(Condition {
        field: info.ident.clone(),
        op,
        value: if rhs == "value" { "found" } else { "value" },
        operand: rhs,
        operand_text,
        reach,
    })
}
