//! `view Name of Model { key (…) }`: a materialized view, checked as
//! Cassandra creates one, and lowered to a read-only model.
//!
//! The view shows the base model's columns (all but static ones, which a
//! view can't include) under its own primary key, which holds every key
//! column of the base and at most one other column; rows whose view key has
//! a null are not in the view, so its key fields are never optional. The
//! IR is an [`ir::Model`] with `view_of` set: named queries and aggregates
//! read it like a model, and its generated repository has reads only.

use heck::ToSnakeCase;
use rustc_hash::FxHashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::models::check_key;
use super::names::Symbols;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// Checks one view of a model among `models`.
pub(super) fn check_view(
    view: &ast::View,
    models: &FxHashMap<&str, &ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Model> {
    let Some(base) = models.get(view.base.name.as_str()).copied() else {
        if !symbols.models.iter().any(|m| m.name.name == view.base.name) {
            let diagnostic = ctx.error(
                Code::UnknownModel,
                format!("`{}` is not a model", view.base.name),
                view.base.span,
                "a view shows a model's rows",
            );
            if let Some(help) = did_you_mean(
                &view.base.name,
                symbols.models.iter().map(|m| m.name.name.as_str()),
            ) {
                diagnostic.help(help);
            }
        }
        return None;
    };
    if base.is_counter_table() {
        ctx.error(
            Code::InvalidIndex,
            format!(
                "Cassandra can't keep a view of `{}`: it is a counter table",
                base.name
            ),
            view.base.span,
            "counter table",
        );
        return None;
    }
    let Some(key_clause) = &view.key else {
        ctx.error(
            Code::MissingClause,
            format!("view `{}` has no `key`", view.name.name),
            view.name.span,
            "a view is the base's rows under another key",
        )
        .help(format!(
            "add `key ((column), {})`: every key column of `{}` and at most one other column",
            base.key.fields().collect::<Vec<_>>().join(", "),
            base.name
        ));
        return None;
    };
    let in_view_key = |field: &str| {
        key_clause
            .partition
            .columns
            .iter()
            .chain(&key_clause.clustering)
            .any(|column| column.name.name == field)
    };
    // The base's columns without its static ones, plain: a view is written
    // by Cassandra, so no default, rule, claim or mask of the base applies.
    let fields: Vec<ir::Field> = base
        .fields
        .iter()
        .filter(|field| !field.is_static)
        .map(|field| ir::Field {
            optional: field.optional && !in_view_key(&field.name),
            default: None,
            on_update_now: false,
            unique: false,
            unique_table: None,
            is_static: false,
            bucket: false,
            tenant: false,
            mask: None,
            validations: Vec::new(),
            embed: Vec::new(),
            ..field.clone()
        })
        .collect();
    if let Some(column) = key_clause
        .partition
        .columns
        .iter()
        .chain(&key_clause.clustering)
        .find(|column| base.field(&column.name.name).is_some_and(|f| f.is_static))
    {
        ctx.error(
            Code::InvalidKey,
            format!(
                "a view can't include the static column `{}`",
                column.name.name
            ),
            column.name.span,
            "static column",
        )
        .help("a view shows rows; key it by the base's other columns");
        return None;
    }
    let written: Vec<ast::Field> = symbols
        .models
        .iter()
        .find(|m| m.name.name == base.name)
        .map(|m| m.fields.clone())
        .unwrap_or_default();
    let key = check_key(key_clause, &fields, &written, ctx)?;
    let missing: Vec<&str> = base.key.fields().filter(|f| !key.contains(f)).collect();
    if !missing.is_empty() {
        ctx.error(
            Code::InvalidKey,
            format!(
                "a view's key holds every key column of `{}`, and it leaves out {}",
                base.name,
                missing
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            key_clause.span,
            "not every base key column",
        )
        .help("add them to the view's clustering columns: a view row is one base row");
        return None;
    }
    let extra: Vec<&str> = key.fields().filter(|f| !base.key.contains(f)).collect();
    if extra.len() > 1 {
        ctx.error(
            Code::InvalidKey,
            format!(
                "a view's key holds at most one column outside the key of `{}`, and it has {}",
                base.name,
                extra
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            key_clause.span,
            "too many non-key columns",
        )
        .help("keep one; for more, write a second table and keep it in step in the application");
        return None;
    }
    let table = view.table.as_ref().map_or_else(
        || view.name.name.to_snake_case(),
        |table| table.name.name.clone(),
    );
    Some(ir::Model {
        name: view.name.name.clone(),
        doc: view.doc.as_ref().map(|doc| doc.text.clone()),
        table,
        view_of: Some(base.table.clone()),
        fields,
        key,
        indexes: Vec::new(),
        vector_indexes: Vec::new(),
        relations: Vec::new(),
        ttl_seconds: None,
        changes: None,
        reserve: None,
        cache: None,
        compaction: None,
        compaction_options: std::collections::BTreeMap::new(),
        comment: None,
        table_options: std::collections::BTreeMap::new(),
        span: view.span,
    })
}
