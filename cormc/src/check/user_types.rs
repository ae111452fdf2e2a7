//! `type` (UDT) and `enum` items.

use rustc_hash::FxHashMap;

use heck::ToSnakeCase;

use super::context::{Annotate, Context};
use super::fields::{Owner, resolve_fields};
use super::names::{Symbols, check_snake, unique_member};
use super::types::Place;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// Checks a UDT's fields.
pub(super) fn check_udt(decl: &ast::TypeDecl, symbols: &Symbols<'_>, ctx: &mut Context) -> ir::Udt {
    if decl.fields.is_empty() {
        ctx.error(
            Code::MissingClause,
            format!("type `{}` has no fields", decl.name.name),
            decl.name.span,
            "empty type",
        )
        .help("CQL user-defined types need at least one field, e.g. `street: text`");
    }
    ir::Udt {
        name: decl.name.name.clone(),
        cql_name: decl.name.name.to_snake_case(),
        doc: decl.doc.as_ref().map(|doc| doc.text.clone()),
        fields: resolve_fields(
            &decl.fields,
            Owner::Other("a type"),
            Place::Nested,
            symbols,
            ctx,
        ),
        span: decl.span,
    }
}

/// The variant an open enum's unlisted values read as (`Other(text)` in
/// Rust), so no variant may take its name.
const OPEN_ENUM_CATCH_ALL: &str = "other";

/// Checks an enum's variants.
pub(super) fn check_enum(decl: &ast::EnumDecl, ctx: &mut Context) -> ir::Enum {
    if decl.variants.is_empty() {
        ctx.error(
            Code::MissingClause,
            format!("enum `{}` has no variants", decl.name.name),
            decl.name.span,
            "empty enum",
        )
        .help("list its values, e.g. `{ pending, paid }`");
    }
    let mut seen = FxHashMap::default();
    let mut variants = Vec::new();
    for variant in &decl.variants {
        if unique_member(&mut seen, &variant.name, "variant", ctx) {
            check_snake(&variant.name, "enum variant", ctx);
            if decl.open.is_some() && variant.name.name == OPEN_ENUM_CATCH_ALL {
                ctx.error(
                    Code::ReservedName,
                    format!(
                        "an open enum can't have a variant `{OPEN_ENUM_CATCH_ALL}`: its values the schema does not list read as `Other(text)`"
                    ),
                    variant.name.span,
                    "reserved in an open enum",
                )
                .help("rename the variant, or make the enum closed (drop `open`)");
            }
            variants.push(ir::Variant {
                name: variant.name.name.clone(),
                doc: variant.doc.as_ref().map(|doc| doc.text.clone()),
                span: variant.span,
            });
        }
    }
    ir::Enum {
        name: decl.name.name.clone(),
        doc: decl.doc.as_ref().map(|doc| doc.text.clone()),
        variants,
        open: decl.open.is_some(),
        span: decl.span,
    }
}
