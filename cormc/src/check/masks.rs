//! `@masked(…)`: the masking function of a column (Cassandra 5.0's dynamic
//! data masking), checked by name, arguments and the column's type.

use super::context::{Annotate, Context, did_you_mean};
use super::fields::literal_for;
use crate::ast::{self, LiteralKind};
use crate::cql::mask::{MASK_FUNCTIONS, Mask};
use crate::diagnostics::Code;
use crate::ir::{self, Scalar, Type};

/// The mask of `@masked(call)` on `field`, or its errors.
pub(super) fn mask(call: &ast::MaskCall, field: &ir::Field, ctx: &mut Context) -> Option<Mask> {
    let name = call.function.name.as_str();
    let Some((_, min, max)) = MASK_FUNCTIONS.iter().find(|(known, ..)| *known == name) else {
        if name.starts_with("mask_") {
            let help =
                did_you_mean(name, MASK_FUNCTIONS.iter().map(|(n, ..)| *n)).unwrap_or_else(|| {
                    format!(
                        "Cassandra's masking functions are {}",
                        MASK_FUNCTIONS
                            .iter()
                            .map(|(n, ..)| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            ctx.error(
                Code::InvalidValue,
                format!("`{name}` is not one of Cassandra's masking functions"),
                call.function.span,
                "unknown function",
            )
            .help(help);
            return None;
        }
        // A user-defined function: created in a migration, checked by the node.
        return Some(Mask {
            function: name.to_owned(),
            args: call.args.iter().map(cql_literal).collect(),
        });
    };
    if call.args.len() < *min || call.args.len() > *max {
        let count = if min == max {
            min.to_string()
        } else {
            format!("{min} to {max}")
        };
        ctx.error(
            Code::InvalidValue,
            format!("`{name}` takes {count} arguments, not {}", call.args.len()),
            call.span,
            "wrong number of arguments",
        );
        return None;
    }
    let text = matches!(
        field.ty.unfrozen(),
        Type::Scalar(Scalar::Text | Scalar::Ascii | Scalar::Varchar)
    );
    let ok = match name {
        "mask_inner" | "mask_outer" => {
            if !text {
                ctx.error(
                    Code::AttributeTypeMismatch,
                    format!(
                        "`{name}` masks text, and `{}` is `{}`",
                        field.name, field.ty
                    ),
                    call.function.span,
                    "not a text column",
                )
                .help("use `mask_default()`, `mask_null()` or `mask_hash()` for other types");
                return None;
            }
            call.args.iter().enumerate().all(|(i, arg)| {
                let fits = match (&arg.kind, i) {
                    (LiteralKind::Number(n), 0 | 1) => !n.decimal,
                    (LiteralKind::String(s), 2) => s.value.chars().count() == 1,
                    _ => false,
                };
                if !fits {
                    ctx.error(
                        Code::InvalidValue,
                        format!(
                            "`{name}` takes two whole numbers and an optional one-character padding"
                        ),
                        arg.span,
                        "does not fit",
                    );
                }
                fits
            })
        }
        // The replacement is a value of the column's type.
        "mask_replace" => call
            .args
            .first()
            .is_some_and(|arg| literal_for(arg, &field.ty, ctx).is_some()),
        "mask_hash" => call.args.iter().all(|arg| {
            let fits = matches!(arg.kind, LiteralKind::String(_));
            if !fits {
                ctx.error(
                    Code::InvalidValue,
                    "`mask_hash` takes the name of a hash algorithm, like \"SHA-256\"",
                    arg.span,
                    "not a string",
                );
            }
            fits
        }),
        _ => true,
    };
    ok.then(|| Mask {
        function: name.to_owned(),
        args: call.args.iter().map(cql_literal).collect(),
    })
}

/// A literal as CQL writes it: strings in single quotes.
fn cql_literal(literal: &ast::Literal) -> String {
    match &literal.kind {
        LiteralKind::String(s) => format!("'{}'", s.value.replace('\'', "''")),
        LiteralKind::Number(n) => n.text.trim_start_matches('+').to_owned(),
        LiteralKind::Bool(b) => b.value.to_string(),
        LiteralKind::Duration(d) => d
            .as_millis()
            .map_or_else(String::new, |ms| format!("{ms}ms")),
    }
}
