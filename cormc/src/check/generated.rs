//! What `cormc generate` needs of a schema beyond CQL, checked so that a
//! schema `cormc check` accepts also generates (and compiles):
//!
//! | code | rule |
//! | --- | --- |
//! | E1202 | a value the generated code keys a `BTreeMap` by has an order in Rust: map keys, the `group by` columns of client-side aggregates, the columns a relation matches rows by |
//! | E1204 | the generated items have distinct names: types, `Db` accessors, repository methods, the fields and running totals of an aggregate's row |
//! | E1205 | a generated statement binds and reads at most 16 values (the driver's tuples), an update covers at most 63 columns (its bit mask) |
//!
//! (E1203, a literal with no Rust form, is checked with the literals, in
//! [`fields`](super::fields) and [`aggregates`](super::aggregates).)
//!
//! Each rule mirrors a refusal of `cormc generate` (`CodegenError::Unsupported`)
//! or a clash its output would not compile with; the Rust types and names
//! come from the generator's own functions (`rust_type`, `type_ident`,
//! `field_ident`). `cormc/tests/check_errors.rs` checks that every schema
//! of the check fixtures that `cormc check` accepts generates.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context};
use super::names::Symbols;
use crate::ast;
use crate::codegen::view::generated_names::{
    DB_METHODS, MAX_TUPLE, MAX_UPDATE_COLUMNS, MODEL_TYPE_SUFFIXES, REPOSITORY_METHODS,
    SAGA_TYPE_SUFFIXES, SERIES_TYPE_SUFFIXES, STORE_TYPE_SUFFIXES, unique_field_methods,
};
use crate::codegen::view::{field_ident, rust_type, type_ident};
use crate::diagnostics::{Code, Span};
use crate::ir::{self, AggregateFunction, Execution, RelationKind, Type};

/// The checked items the rules read.
pub(super) struct Items<'a> {
    pub symbols: &'a Symbols<'a>,
    pub udts: &'a [ir::Udt],
    pub enums: &'a [ir::Enum],
    pub models: &'a [ir::Model],
    pub queries: &'a [ir::Query],
    pub aggregates: &'a [ir::Aggregate],
}

/// The declarations and checked items by name, built once (no lookup is
/// linear in the schema).
struct Index<'a> {
    model_decls: FxHashMap<&'a str, &'a ast::Model>,
    query_decls: FxHashMap<&'a str, &'a ast::Query>,
    aggregate_decls: FxHashMap<&'a str, &'a ast::Aggregate>,
    models: FxHashMap<&'a str, &'a ir::Model>,
    queries_of: FxHashMap<&'a str, Vec<&'a ir::Query>>,
    aggregates_of: FxHashMap<&'a str, Vec<&'a ir::Aggregate>>,
}

impl<'a> Index<'a> {
    fn new(items: &Items<'a>) -> Self {
        let symbols = items.symbols;
        let mut queries_of: FxHashMap<&str, Vec<&ir::Query>> = FxHashMap::default();
        for query in items.queries {
            queries_of.entry(&query.model).or_default().push(query);
        }
        let mut aggregates_of: FxHashMap<&str, Vec<&ir::Aggregate>> = FxHashMap::default();
        for aggregate in items.aggregates {
            aggregates_of
                .entry(&aggregate.model)
                .or_default()
                .push(aggregate);
        }
        Self {
            model_decls: symbols
                .models
                .iter()
                .map(|d| (d.name.name.as_str(), *d))
                .collect(),
            query_decls: symbols
                .queries
                .iter()
                .map(|d| (d.name.name.as_str(), *d))
                .collect(),
            aggregate_decls: symbols
                .aggregates
                .iter()
                .map(|d| (d.name.name.as_str(), *d))
                .collect(),
            models: items.models.iter().map(|m| (m.name.as_str(), m)).collect(),
            queries_of,
            aggregates_of,
        }
    }
}

/// Reports what `cormc generate` could not map to Rust.
pub(super) fn check(items: &Items<'_>, ctx: &mut Context) {
    let index = Index::new(items);
    for udt in items.udts {
        let decl = items.symbols.udts.iter().find(|d| d.name.name == udt.name);
        for field in &udt.fields {
            let ast = decl.and_then(|d| d.fields.iter().find(|f| f.name.name == field.name));
            map_keys(field, ast, ctx);
        }
    }
    for model in items.models {
        let decl = index.model_decls.get(model.name.as_str()).copied();
        for field in &model.fields {
            let ast = decl.and_then(|d| d.fields.iter().find(|f| f.name.name == field.name));
            map_keys(field, ast, ctx);
        }
        if let Some(decl) = decl {
            relation_orders(model, decl, &index, ctx);
            model_values(model, decl, ctx);
        }
    }
    for aggregate in items.aggregates {
        let (Some(decl), Some(model)) = (
            index.aggregate_decls.get(aggregate.name.as_str()),
            index.models.get(aggregate.model.as_str()),
        ) else {
            continue;
        };
        client_groups(aggregate, decl, model, ctx);
        row_names(aggregate, decl, ctx);
        aggregate_values(aggregate, decl, model, ctx);
    }
    for query in items.queries {
        if let Some(decl) = index.query_decls.get(query.name.as_str()) {
            let binds = binds(&query.conditions, query.limit.as_ref());
            too_many(binds, "binds", "query", &query.name, decl.name.span, ctx);
        }
    }
    type_names(items, &index, ctx);
    method_names(items, &index, ctx);
}

/// The Rust type of `ty` has an order (`None` when `generate` can't map it,
/// which is reported where the type is declared).
fn has_order(ty: &Type) -> Option<bool> {
    rust_type(ty, "").ok().map(|rust| rust.ord)
}

/// E1202: the keys of every map in a field's type have an order (a map is a
/// `BTreeMap`). Reported once per field, at the key as written.
fn map_keys(field: &ir::Field, ast: Option<&ast::Field>, ctx: &mut Context) {
    let Some((key, span)) = unordered_key(&field.ty, ast.map(|f| &f.ty)) else {
        return;
    };
    let span = span.unwrap_or(field.span);
    let rust = rust_type(key, "").map_or_else(|_| key.to_string(), |rust| rust.path);
    ctx.error(
        Code::NoRustOrder,
        format!("`cormc generate` can't key a map by `{key}`: its Rust type `{rust}` has no order"),
        span,
        "map key without an order",
    )
    .help("the generated code holds a map in a `BTreeMap`: key it by a type with an order (text, an integer, `decimal`, `uuid`, a date, an enum, …), or store the pairs as `frozen<list<frozen<tuple<K, V>>>>`");
}

/// The first map key in `ty` whose Rust type has no order, with the span of
/// the key in `written` (the same type as written) when the two line up.
fn unordered_key<'t>(
    ty: &'t Type,
    written: Option<&ast::TypeExpr>,
) -> Option<(&'t Type, Option<Span>)> {
    use ast::TypeKind;
    fn inner(written: Option<&ast::TypeExpr>) -> Option<&ast::TypeExpr> {
        match &written?.kind {
            TypeKind::List(inner) | TypeKind::Set(inner) | TypeKind::Frozen(inner) => Some(inner),
            TypeKind::Vector { element, .. } => Some(element),
            TypeKind::Named(_) | TypeKind::Map { .. } | TypeKind::Tuple(_) => None,
        }
    }
    match ty {
        Type::Scalar(_) | Type::Udt(_) | Type::Enum(_) | Type::Vector(_) => None,
        Type::List(item) | Type::Set(item) | Type::Frozen(item) => {
            unordered_key(item, inner(written))
        }
        Type::Map(key, value) => {
            let (written_key, written_value) = match written.map(|w| &w.kind) {
                Some(TypeKind::Map { key, value }) => (Some(&**key), Some(&**value)),
                _ => (None, None),
            };
            if let Some(found) = unordered_key(key, written_key) {
                return Some(found);
            }
            if has_order(key) == Some(false) {
                return Some((key, written_key.map(|k| k.span)));
            }
            unordered_key(value, written_value)
        }
        Type::Tuple(items) => items.iter().enumerate().find_map(|(i, item)| {
            let written = match written.map(|w| &w.kind) {
                Some(TypeKind::Tuple(written)) => written.get(i),
                _ => None,
            };
            unordered_key(item, written)
        }),
    }
}

/// E1202: a relation's loader matches the rows it reads to its inputs in a
/// `BTreeMap` keyed by the columns it restricts.
fn relation_orders(model: &ir::Model, decl: &ast::Model, index: &Index<'_>, ctx: &mut Context) {
    for relation in &model.relations {
        let Some(target) = index.models.get(relation.target.as_str()) else {
            continue;
        };
        let columns: Vec<&str> = match relation.kind {
            RelationKind::HasMany | RelationKind::HasOne => {
                relation.fields.iter().map(String::as_str).collect()
            }
            RelationKind::BelongsTo => target.key.fields().collect(),
        };
        let Some(field) = columns
            .iter()
            .filter_map(|name| target.field(name))
            .find(|field| has_order(&field.ty) == Some(false))
        else {
            continue;
        };
        let span = decl
            .relations
            .iter()
            .find(|r| r.name.name == relation.name)
            .map_or(relation.span, |r| r.name.span);
        ctx.error(
            Code::NoRustOrder,
            format!(
                "`cormc generate` can't load relation `{}`: it matches rows by `{}.{}`, and a `{}` has no order in Rust",
                relation.name, target.name, field.name, field.ty
            ),
            span,
            "rows matched by a value without an order",
        )
        .label(field.span, "no order in Rust")
        .help("the generated loader matches the rows it reads to its inputs in a `BTreeMap`: relate models by columns of a type with an order (text, an integer, `uuid`, …)");
    }
}

/// E1202: a client-side aggregate groups rows in a `BTreeMap` keyed by its
/// `group by` columns.
fn client_groups(
    aggregate: &ir::Aggregate,
    decl: &ast::Aggregate,
    model: &ir::Model,
    ctx: &mut Context,
) {
    if aggregate.execution != Execution::ClientSide {
        return;
    }
    for name in &aggregate.group_by {
        let Some(field) = model.field(name) else {
            continue;
        };
        if has_order(&field.ty) != Some(false) {
            continue;
        }
        let span = decl
            .group_by
            .as_ref()
            .and_then(|g| g.columns.iter().find(|c| &c.name == name))
            .map_or(aggregate.span, |c| c.span);
        ctx.error(
            Code::NoRustOrder,
            format!(
                "`cormc generate` can't group by `{name}` in the client: a `{}` has no order in Rust",
                field.ty
            ),
            span,
            "grouped in the client",
        )
        .help("the generated code groups rows in a `BTreeMap`: group by columns with an order, or group by a primary-key prefix so that Cassandra groups");
    }
}

/// E1204: the fields of an aggregate's result row (grouped columns, then
/// aliases) and, for a client-side one, its running totals (an `avg` keeps
/// `<alias>_sum` and `<alias>_count`) have distinct Rust names.
fn row_names(aggregate: &ir::Aggregate, decl: &ast::Aggregate, ctx: &mut Context) {
    let group_span = |name: &str| {
        decl.group_by
            .as_ref()
            .and_then(|g| g.columns.iter().find(|c| c.name == name))
            .map_or(decl.name.span, |c| c.span)
    };
    let alias_span = |alias: &str| {
        decl.select
            .as_ref()
            .and_then(|s| s.items.iter().find(|i| i.alias.name == alias))
            .map_or(decl.name.span, |i| i.alias.span)
    };
    let mut fields: FxHashMap<String, Span> = FxHashMap::default();
    let mut clash = |ident: String, span: Span, what: &str, ctx: &mut Context| {
        if let Some(&first) = fields.get(&ident) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "two {what} of the row of aggregate `{}` are named `{ident}` in Rust",
                    aggregate.name
                ),
                span,
                format!("`{ident}` again"),
            )
            .label(first, format!("`{ident}` here"))
            .help("rename the alias");
        } else {
            fields.insert(ident, span);
        }
    };
    for name in &aggregate.group_by {
        clash(field_ident(name), group_span(name), "fields", ctx);
    }
    for item in &aggregate.select {
        clash(
            field_ident(&item.alias),
            alias_span(&item.alias),
            "fields",
            ctx,
        );
    }
    if aggregate.execution != Execution::ClientSide {
        return;
    }
    let mut totals: FxHashMap<String, Span> = FxHashMap::default();
    for item in &aggregate.select {
        let ident = field_ident(&item.alias);
        let stem = bare(&ident).to_owned();
        let names = if item.function == AggregateFunction::Avg {
            vec![format!("{stem}_sum"), format!("{stem}_count")]
        } else {
            vec![ident]
        };
        let span = alias_span(&item.alias);
        for name in names {
            if let Some(&first) = totals.get(&name) {
                ctx.error(
                    Code::GeneratedNameClash,
                    format!(
                        "two running totals of aggregate `{}` are named `{name}` in Rust",
                        aggregate.name
                    ),
                    span,
                    format!("keeps `{name}`"),
                )
                .label(first, format!("keeps `{name}` too"))
                .help("an `avg` keeps `<alias>_sum` and `<alias>_count` while it runs: rename one alias");
            } else {
                totals.insert(name, span);
            }
        }
    }
}

/// The parameters a statement binds: one per `?` in its conditions, and a
/// `limit ?n`.
fn binds(conditions: &[ir::Condition], limit: Option<&ir::Limit>) -> usize {
    conditions
        .iter()
        .filter(|c| matches!(c.operand, ir::Operand::Param(_)))
        .count()
        + usize::from(matches!(limit, Some(ir::Limit::Param(_))))
}

/// E1205 when `count` is over [`MAX_TUPLE`].
fn too_many(count: usize, verb: &str, noun: &str, name: &str, span: Span, ctx: &mut Context) {
    if count <= MAX_TUPLE {
        return;
    }
    ctx.error(
        Code::TooManyValues,
        format!("{noun} `{name}` {verb} {count} values; a generated statement {verb} at most {MAX_TUPLE}"),
        span,
        format!("{count} values"),
    )
    .help(if verb == "binds" {
        "the driver binds a Rust tuple of at most 16 values: restrict fewer columns (a list in `in ?values` is one value), or split the query"
    } else {
        "the driver reads rows into Rust tuples of at most 16 values: select fewer columns, or split the aggregate"
    });
}

/// E1205: an aggregate binds its parameters and reads a row of at most 16
/// values (grouped columns and results in Cassandra; the columns it adds up
/// in the client).
fn aggregate_values(
    aggregate: &ir::Aggregate,
    decl: &ast::Aggregate,
    model: &ir::Model,
    ctx: &mut Context,
) {
    let span = decl.name.span;
    let name = &aggregate.name;
    too_many(
        binds(&aggregate.conditions, aggregate.limit.as_ref()),
        "binds",
        "aggregate",
        name,
        span,
        ctx,
    );
    let reads = match aggregate.execution {
        Execution::Native => aggregate.group_by.len() + aggregate.select.len(),
        Execution::ClientSide => {
            let mut columns: Vec<&str> = aggregate.group_by.iter().map(String::as_str).collect();
            for item in &aggregate.select {
                let Some(column) = item.column.as_deref() else {
                    continue;
                };
                // `count(column)` reads the column only to skip its nulls.
                let needed = item.function != AggregateFunction::Count
                    || model.field(column).is_some_and(|field| field.optional);
                if needed && !columns.contains(&column) {
                    columns.push(column);
                }
            }
            columns.len().max(1)
        }
    };
    too_many(reads, "reads", "aggregate", name, span, ctx);
}

/// E1205: a model's generated statements fit: the counter update binds its
/// deltas and key, a unique claim its key and three more values, an update
/// covers at most 63 columns.
fn model_values(model: &ir::Model, decl: &ast::Model, ctx: &mut Context) {
    let key = model.key.fields().count();
    let span = decl.name.span;
    if model.is_counter_table() {
        let counters = model.fields.iter().filter(|f| f.ty.is_counter()).count();
        if counters + key > MAX_TUPLE {
            ctx.error(
                Code::TooManyValues,
                format!(
                    "the counter update of `{}` binds {} values ({counters} counters and {key} key {}); a generated statement binds at most {MAX_TUPLE}",
                    model.name,
                    counters + key,
                    if key == 1 { "column" } else { "columns" }
                ),
                span,
                format!("{} values", counters + key),
            )
            .help("split the counters over two models with the same key");
        }
    } else {
        let columns = model
            .fields
            .iter()
            .filter(|f| !model.key.contains(&f.name))
            .count();
        if columns > MAX_UPDATE_COLUMNS {
            ctx.error(
                Code::TooManyValues,
                format!(
                    "an update of `{}` covers {columns} columns; a generated update covers at most {MAX_UPDATE_COLUMNS}",
                    model.name
                ),
                span,
                format!("{columns} columns besides the key"),
            )
            .help("the generated update marks the columns it writes in a 64-bit mask: split the model, or group columns in a user-defined type");
        }
    }
    if key + 3 > MAX_TUPLE {
        for field in model.unique_fields() {
            ctx.error(
                Code::TooManyValues,
                format!(
                    "the unique claim of `{}.{}` binds {} values (the value, the {key} key columns and two more); a generated statement binds at most {MAX_TUPLE}",
                    model.name,
                    field.name,
                    key + 3
                ),
                field.span,
                "`@unique` with a long key",
            )
            .help(format!(
                "a model with `@unique` fields can have at most {} key columns",
                MAX_TUPLE - 3
            ));
        }
    }
}

/// E1204: the types of the generated code have distinct names: the schema's
/// types (models, user-defined types, enums, as Rust names), the types
/// generated for each model (`<Model>Key`, …), for each time series
/// (`<Series>Series`, `<Series>Rollup`) and for each aggregate
/// (`<Aggregate>`, `<Aggregate>Totals`), `Db` and `Batch`.
fn type_names(items: &Items<'_>, index: &Index<'_>, ctx: &mut Context) {
    // The schema's types in declaration order, by Rust name.
    let mut declared: Vec<(Cow<'_, str>, Span, &str, &str)> = Vec::new();
    let mut by_ident: FxHashMap<String, usize> = FxHashMap::default();
    for (name, noun) in items
        .enums
        .iter()
        .map(|e| (e.name.as_str(), "enum"))
        .chain(items.udts.iter().map(|u| (u.name.as_str(), "type")))
        .chain(items.models.iter().map(|m| (m.name.as_str(), "model")))
        .chain(
            items
                .symbols
                .time_series
                .iter()
                .map(|t| (t.name.name.as_str(), "time series")),
        )
        .chain(
            items
                .symbols
                .event_stores
                .iter()
                .map(|e| (e.name.name.as_str(), "event store")),
        )
    {
        let Some(span) = items.symbols.types.get(name).map(|decl| decl.name().span) else {
            continue;
        };
        let ident = rust_type_name(name);
        if let Some(&first) = by_ident.get(ident.as_ref()) {
            let (_, first_span, first_noun, first_name) = declared[first];
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "{noun} `{name}` and {first_noun} `{first_name}` are both the Rust type `{ident}`"
                ),
                span,
                format!("`{ident}` again"),
            )
            .label(first_span, format!("`{ident}` here"))
            .help("rename one of them");
            continue;
        }
        by_ident.insert(ident.clone().into_owned(), declared.len());
        declared.push((ident, span, noun, name));
    }
    // The generated names of each model, found from the declared names
    // that end like one (no name is built per model).
    for &(ref ident, span, noun, name) in &declared {
        if ["Db", "Batch"].contains(&ident.as_ref()) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "{noun} `{name}` is the Rust type `{ident}`, which `cormc generate` defines"
                ),
                span,
                format!("clashes with the generated `{ident}`"),
            )
            .help("rename it: the generated module defines `Db` (the handle) and `Batch`");
            continue;
        }
        let Some((model, model_span)) = generated_by(ident, &by_ident, &declared, index) else {
            continue;
        };
        ctx.error(
            Code::GeneratedNameClash,
            format!(
                "`cormc generate` defines the type `{ident}` for model `{}`, which clashes with {noun} `{name}`",
                model.name
            ),
            model_span,
            format!("generates `{ident}`"),
        )
        .label(span, format!("`{ident}` here"))
        .help(format!(
            "rename one of them: each model `M` has the types `M`, {}",
            MODEL_TYPE_SUFFIXES
                .iter()
                .map(|s| format!("`M{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // The types of each time series beside its point type, and of each
    // event store.
    for &(ref ident, span, noun, name) in &declared {
        let Some((owner_noun, owner, owner_span)) = SERIES_TYPE_SUFFIXES
            .iter()
            .map(|suffix| (suffix, "time series"))
            .chain(
                STORE_TYPE_SUFFIXES
                    .iter()
                    .map(|suffix| (suffix, "event store")),
            )
            .find_map(|(suffix, wanted)| {
                let stem = ident.strip_suffix(suffix)?;
                let &at = by_ident.get(stem)?;
                let (_, owner_span, owner_noun, owner) = declared[at];
                (owner_noun == wanted).then_some((owner_noun, owner, owner_span))
            })
        else {
            continue;
        };
        ctx.error(
            Code::GeneratedNameClash,
            format!(
                "`cormc generate` defines the type `{ident}` for {owner_noun} `{owner}`, which clashes with {noun} `{name}`"
            ),
            owner_span,
            format!("generates `{ident}`"),
        )
        .label(span, format!("`{ident}` here"))
        .help(if owner_noun == "time series" {
            "rename one of them: each time series `S` has the types `S`, `SSeries` and `SRollup`"
        } else {
            "rename one of them: each event store `E` has the types `EEvent` and `EStream` (and the module `e` of its payloads)"
        });
    }
    // The types of each saga: not a declared type, not a model's.
    for saga in &items.symbols.sagas {
        let stem = rust_type_name(&saga.name.name);
        for suffix in SAGA_TYPE_SUFFIXES {
            let ident = format!("{stem}{suffix}");
            let clash = match by_ident.get(&ident) {
                Some(&at) => {
                    let (_, span, noun, name) = declared[at];
                    Some((format!("{noun} `{name}`"), span))
                }
                None => generated_by(&ident, &by_ident, &declared, index).map(|(model, span)| {
                    (format!("a type generated for model `{}`", model.name), span)
                }),
            };
            if let Some((other, span)) = clash {
                ctx.error(
                    Code::GeneratedNameClash,
                    format!("`cormc generate` defines the type `{ident}` for saga `{}`, which clashes with {other}", saga.name.name),
                    saga.name.span,
                    format!("generates `{ident}`"),
                )
                .label(span, format!("`{ident}` here"))
                .help("rename one of them: each saga `S` has the types `SInput`, `SOutputs`, `SContext`, `SSteps` and `SSaga`");
            }
        }
    }
    // The row types of aggregates: not a schema type, not any model's
    // generated name (whether that model has the type or not), not `Db` or
    // `Batch`, not another aggregate's.
    let mut rows: FxHashMap<String, (Span, &str)> = FxHashMap::default();
    for aggregate in items.aggregates {
        let Some(decl) = index.aggregate_decls.get(aggregate.name.as_str()) else {
            continue;
        };
        let span = decl.name.span;
        let stem = rust_type_name(&aggregate.name);
        for row in [stem.to_string(), format!("{stem}Totals")] {
            let what = format!("aggregate `{}`", aggregate.name);
            if let Some(&at) = by_ident.get(&row) {
                let (_, first, noun, name) = declared[at];
                ctx.error(
                    Code::GeneratedNameClash,
                    format!("`cormc generate` defines the type `{row}` for {what}, which clashes with {noun} `{name}`"),
                    span,
                    format!("generates `{row}`"),
                )
                .label(first, format!("`{row}` here"))
                .help("rename the aggregate (its result row is a type named after it, and so is its `…Totals`)");
            } else if ["Db", "Batch"].contains(&row.as_str()) {
                ctx.error(
                    Code::GeneratedNameClash,
                    format!("`cormc generate` defines the type `{row}` for {what}, and for its `Db` handle"),
                    span,
                    format!("generates `{row}`"),
                )
                .help("rename the aggregate");
            } else if let Some((noun, owner)) = MODEL_TYPE_SUFFIXES
                .iter()
                .map(|suffix| (suffix, "model"))
                .chain(
                    SERIES_TYPE_SUFFIXES
                        .iter()
                        .map(|suffix| (suffix, "time series")),
                )
                .chain(
                    STORE_TYPE_SUFFIXES
                        .iter()
                        .map(|suffix| (suffix, "event store")),
                )
                .find_map(|(suffix, owner_noun)| {
                    let stem = row.strip_suffix(suffix)?;
                    let &at = by_ident.get(stem)?;
                    let (_, _, noun, name) = declared[at];
                    (noun == owner_noun).then_some((owner_noun, name))
                })
            {
                ctx.error(
                    Code::GeneratedNameClash,
                    format!(
                        "the result row type `{row}` of {what} clashes with a type generated for {noun} `{owner}`"
                    ),
                    span,
                    format!("generates `{row}`"),
                )
                .help("rename the aggregate");
            }
            if let Some(&(first, first_name)) = rows.get(&row) {
                ctx.error(
                    Code::GeneratedNameClash,
                    format!(
                        "{what} and aggregate `{first_name}` both generate the Rust type `{row}`"
                    ),
                    span,
                    format!("generates `{row}`"),
                )
                .label(first, format!("generates `{row}` too"))
                .help("rename one of the aggregates (each has a row type and a `…Totals` type)");
            } else {
                rows.insert(row, (span, &aggregate.name));
            }
        }
    }
}

/// The model whose generated types include `ident` (`<Model>Key`, …, for a
/// model that has that type), with the span of its name.
fn generated_by<'a>(
    ident: &str,
    by_ident: &FxHashMap<String, usize>,
    declared: &[(Cow<'_, str>, Span, &str, &str)],
    index: &Index<'a>,
) -> Option<(&'a ir::Model, Span)> {
    MODEL_TYPE_SUFFIXES.iter().find_map(|suffix| {
        let stem = ident.strip_suffix(suffix)?;
        let &at = by_ident.get(stem)?;
        let (_, span, noun, name) = declared[at];
        if noun != "model" {
            return None;
        }
        let model = *index.models.get(name)?;
        let exists = match *suffix {
            "Partition" => !model.key.clustering.is_empty(),
            "Clustering" => model.key.clustering.len() >= 2,
            "Patch" => {
                !model.is_counter_table()
                    && model.fields.iter().any(|f| !model.key.contains(&f.name))
            }
            _ => true,
        };
        exists.then_some((model, span))
    })
}

/// E1204: the methods of the generated code have distinct names: each
/// model's and time series' `Db` accessor (its name in `snake_case`)
/// against `Db`'s methods and the other accessors, and on each repository, the named queries,
/// aggregates and relation loaders (`<relation>` and `<relation>_of`)
/// against the repository's own methods (and `find_by_…` of `@unique`
/// fields) and against each other.
fn method_names(items: &Items<'_>, index: &Index<'_>, ctx: &mut Context) {
    let mut accessors: FxHashMap<Cow<'_, str>, (Span, &str)> = FxHashMap::default();
    for model in items.models {
        let Some(decl) = index.model_decls.get(model.name.as_str()) else {
            continue;
        };
        let accessor = rust_method_name(&model.name);
        if DB_METHODS.contains(&accessor.as_ref()) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "the repository accessor `Db::{accessor}` of model `{}` clashes with a method of `Db`",
                    model.name
                ),
                decl.name.span,
                format!("accessor `{accessor}`"),
            )
            .help(format!(
                "rename the model (keep its table with `table {}`): `Db` has the methods {}",
                model.table,
                DB_METHODS
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else if let Some(&(first, first_model)) = accessors.get(&accessor) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "models `{first_model}` and `{}` both have the repository accessor `Db::{accessor}`",
                    model.name
                ),
                decl.name.span,
                format!("accessor `{accessor}`"),
            )
            .label(first, format!("accessor `{accessor}` here"))
            .help("rename one of the models");
        } else {
            accessors.insert(accessor, (decl.name.span, &model.name));
        }
        repository_methods(model, decl, index, ctx);
    }
    let accessor_items = items
        .symbols
        .time_series
        .iter()
        .map(|series| (&series.name, "time series"))
        .chain(
            items
                .symbols
                .event_stores
                .iter()
                .map(|store| (&store.name, "event store")),
        )
        .chain(items.symbols.sagas.iter().map(|saga| (&saga.name, "saga")));
    for (name, noun) in accessor_items {
        let accessor = rust_method_name(&name.name);
        let span = name.span;
        if DB_METHODS.contains(&accessor.as_ref()) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "the accessor `Db::{accessor}` of {noun} `{}` clashes with a method of `Db`",
                    name.name
                ),
                span,
                format!("accessor `{accessor}`"),
            )
            .help(format!("rename the {noun}"));
        } else if let Some(&(first, first_name)) = accessors.get(&accessor) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "`{first_name}` and {noun} `{}` both have the accessor `Db::{accessor}`",
                    name.name
                ),
                span,
                format!("accessor `{accessor}`"),
            )
            .label(first, format!("accessor `{accessor}` here"))
            .help("rename one of them");
        } else {
            accessors.insert(accessor, (span, &name.name));
        }
    }
}

/// What a schema item adds to a repository, for messages: `query `x``.
#[derive(Clone, Copy)]
struct Method<'a> {
    kind: &'static str,
    name: &'a str,
    span: Span,
}

impl std::fmt::Display for Method<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}`", self.kind, self.name)
    }
}

/// One repository's methods as the schema adds them (see
/// [`method_names`]).
struct Repository<'m> {
    /// The model's Rust name.
    name: Cow<'m, str>,
    /// The methods of `@unique` fields, besides `REPOSITORY_METHODS`.
    unique: Vec<String>,
    /// What the schema added so far, by method name.
    added: FxHashMap<String, Method<'m>>,
}

impl<'m> Repository<'m> {
    /// Adds the method `ident`, reporting a clash.
    fn add(&mut self, ident: Cow<'_, str>, method: Method<'m>, ctx: &mut Context) {
        let repository = &self.name;
        if REPOSITORY_METHODS.contains(&ident.as_ref()) || self.unique.iter().any(|u| *u == ident) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "{method} becomes the method `{ident}` of `{repository}Repository`, which the repository already has"
                ),
                method.span,
                format!("method `{ident}`"),
            )
            .help(format!(
                "rename it: a repository has {}, and `find_by_…` for `@unique` fields",
                REPOSITORY_METHODS
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        } else if let Some(first) = self.added.get(ident.as_ref()) {
            ctx.error(
                Code::GeneratedNameClash,
                format!(
                    "{method} and {first} both become the method `{ident}` of `{repository}Repository`"
                ),
                method.span,
                format!("method `{ident}`"),
            )
            .label(first.span, format!("method `{ident}` here"))
            .help("rename one of them");
        } else {
            self.added.insert(ident.into_owned(), method);
        }
    }
}

/// E1204 on one model's repository (see [`method_names`]).
fn repository_methods(model: &ir::Model, decl: &ast::Model, index: &Index<'_>, ctx: &mut Context) {
    let mut repository = Repository {
        name: rust_type_name(&model.name),
        unique: model
            .unique_fields()
            .flat_map(|field| unique_field_methods(&rust_method_name(&field.name)))
            .collect(),
        added: FxHashMap::default(),
    };
    for query in index
        .queries_of
        .get(model.name.as_str())
        .into_iter()
        .flatten()
    {
        if let Some(query_decl) = index.query_decls.get(query.name.as_str()) {
            let method = Method {
                kind: "query",
                name: &query.name,
                span: query_decl.name.span,
            };
            repository.add(rust_method_name(&query.name), method, ctx);
        }
    }
    for aggregate in index
        .aggregates_of
        .get(model.name.as_str())
        .into_iter()
        .flatten()
    {
        if let Some(aggregate_decl) = index.aggregate_decls.get(aggregate.name.as_str()) {
            let method = Method {
                kind: "aggregate",
                name: &aggregate.name,
                span: aggregate_decl.name.span,
            };
            repository.add(rust_method_name(&aggregate.name), method, ctx);
        }
    }
    for relation in &model.relations {
        let span = decl
            .relations
            .iter()
            .find(|r| r.name.name == relation.name)
            .map_or(relation.span, |r| r.name.span);
        let method = Method {
            kind: "relation",
            name: &relation.name,
            span,
        };
        repository.add(rust_method_name(&relation.name), method, ctx);
        let batch = rust_method_name(&format!("{}_of", relation.name)).into_owned();
        repository.add(batch.into(), method, ctx);
    }
}

/// Whether `name` is a plain `UpperCamel` name (ASCII letters and digits,
/// no two capitals in a row, no lowercase letter right after a digit),
/// whose words `heck` finds at its capitals.
fn is_plain_camel(name: &str) -> bool {
    let bytes = name.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes.iter().all(u8::is_ascii_alphanumeric)
        && !bytes.windows(2).any(|pair| {
            (pair[0].is_ascii_uppercase() && pair[1].is_ascii_uppercase())
                || (pair[0].is_ascii_digit() && pair[1].is_ascii_lowercase())
        })
}

/// The plain Rust name of a type (`type_ident` without `r#`), without
/// running it through `heck` when it is already a plain `UpperCamel` name.
fn rust_type_name(name: &str) -> Cow<'_, str> {
    if is_plain_camel(name) && name != "Self" {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(bare(&type_ident(name)).to_owned())
    }
}

/// The plain Rust name of a method or field (`field_ident` without `r#`),
/// without running it through `heck` when it is plain `snake_case` or a
/// plain `UpperCamel` name (a model's, for its `Db` accessor).
fn rust_method_name(name: &str) -> Cow<'_, str> {
    let bytes = name.as_bytes();
    let snake = bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_')
        && !name.contains("__")
        && !name.ends_with('_');
    if snake && !["self", "super", "crate"].contains(&name) {
        return Cow::Borrowed(name);
    }
    if is_plain_camel(name) {
        let mut snake = String::with_capacity(name.len() + 4);
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            } else {
                snake.push(c);
            }
        }
        if !["self", "super", "crate"].contains(&snake.as_str()) {
            return Cow::Owned(snake);
        }
    }
    Cow::Owned(bare(&field_ident(name)).to_owned())
}

/// The plain name inside an identifier (`r#type` → `type`).
fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{bare, rust_method_name, rust_type_name};
    use crate::codegen::view::{field_ident, type_ident};
    use crate::diagnostics::{Code, SourceMap};

    /// `check_allowing` gives the IR despite the allowed codes only (for
    /// the generator's tests of its own refusals).
    #[test]
    fn allowed_codes_keep_the_ir() {
        let mut sources = SourceMap::new();
        sources
            .add(
                "t.corm",
                "model A { id: uuid\n m: map<float, int>\n key (id) }\n",
            )
            .unwrap();
        let parsed = crate::parse::parse(&sources).unwrap();
        assert!(crate::check::check(&parsed).schema.is_none());
        let allowed = crate::check::check_allowing(&parsed, &[Code::NoRustOrder]);
        assert!(allowed.schema.is_some());
        assert!(
            allowed
                .diagnostics
                .iter()
                .any(|d| d.code == Code::NoRustOrder)
        );
        let other = crate::check::check_allowing(&parsed, &[Code::GeneratedNameClash]);
        assert!(other.schema.is_none());
    }

    /// The shortcuts give the generator's names.
    #[test]
    fn plain_names_are_the_generated_names() {
        for name in [
            "Entity12",
            "Order",
            "OrderKey",
            "AB",
            "ABc",
            "Http2Server",
            "X",
            "A1b",
            "Self",
            "User_Profile",
            "userProfile",
            "Type",
            "ÉtéModel",
        ] {
            assert_eq!(rust_type_name(name), bare(&type_ident(name)), "{name}");
        }
        for name in [
            "recent_12",
            "a_1",
            "ab1c",
            "find_by_email",
            "type",
            "self",
            "crate",
            "get",
            "x",
            "a__b",
            "a_",
            "userName",
            "Posts",
            "v2_items",
            "été",
        ] {
            assert_eq!(rust_method_name(name), bare(&field_ident(name)), "{name}");
        }
    }
}
