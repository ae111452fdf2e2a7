//! A query's `select`: the columns it reads, `distinct` partition keys, and
//! the write time and TTL of cells, as Cassandra's `SELECT` allows them.

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context};
use super::models::unknown_model_field;
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Type};

/// Checks `select` of a query on `model` whose `where` has `conditions`.
pub(super) fn check_projection(
    query: &ast::Query,
    select: &ast::QuerySelect,
    model: &ir::Model,
    ctx: &mut Context,
) -> Option<ir::Projection> {
    let mut ok = true;
    let mut names: FxHashMap<String, Span> = FxHashMap::default();
    let mut columns = Vec::new();
    for item in &select.items {
        let Some(field) = model.field(&item.column.name) else {
            unknown_model_field(model, &item.column, ctx);
            ok = false;
            continue;
        };
        let read = match item.kind {
            ast::CellRead::Value => ir::CellRead::Value,
            ast::CellRead::WriteTime => ir::CellRead::WriteTime,
            ast::CellRead::Ttl => ir::CellRead::Ttl,
        };
        if read != ir::CellRead::Value && !cell_function_fits(item, field, model, ctx) {
            ok = false;
            continue;
        }
        let name = item.alias.as_ref().map_or(&item.column, |alias| alias);
        if let Some(first) = names.insert(name.name.clone(), name.span) {
            ctx.error(
                Code::DuplicateMember,
                format!(
                    "the row of `{}` has two columns named `{}`",
                    query.name.name, name.name
                ),
                name.span,
                "second one",
            )
            .label(first, "first one")
            .help("give one of them another name with `as`");
            ok = false;
            continue;
        }
        columns.push(ir::Selected {
            field: field.name.clone(),
            read,
            name: name.name.clone(),
        });
    }
    if let Some(distinct) = select.distinct {
        ok &= distinct_fits(query, distinct, &columns, model, ctx);
    }
    ok.then_some(ir::Projection {
        distinct: select.distinct.is_some(),
        columns,
    })
}

/// `writetime(col) as name` / `ttl(col) as name`: a named, regular,
/// single-cell column.
fn cell_function_fits(
    item: &ast::SelectColumn,
    field: &ir::Field,
    model: &ir::Model,
    ctx: &mut Context,
) -> bool {
    let function = if item.kind == ast::CellRead::WriteTime {
        "writetime"
    } else {
        "ttl"
    };
    let refusal = if model.key.contains(&field.name) {
        Some(format!(
            "`{}` is a key column, which has no write time or TTL of its own",
            field.name
        ))
    } else if field.ty.is_counter() {
        Some(format!(
            "`{}` is a counter, which has no write time or TTL",
            field.name
        ))
    } else if field.ty.is_unfrozen_collection() || matches!(field.ty, Type::Udt(_)) {
        Some(format!(
            "`{}` is a non-frozen `{}`, whose elements each have their own",
            field.name, field.ty
        ))
    } else {
        None
    };
    if let Some(message) = refusal {
        ctx.error(
            Code::OperatorMismatch,
            format!("`{function}({})` can't be read: {message}", field.name),
            item.span,
            "no single cell",
        )
        .help("read it of a regular column that holds one value");
        return false;
    }
    if item.alias.is_none() {
        ctx.error(
            Code::MissingClause,
            format!("`{function}({})` needs a name in the row", field.name),
            item.span,
            "no `as name`",
        )
        .help(format!(
            "write `{function}({0}) as {0}_{1}`",
            field.name,
            if function == "ttl" {
                "ttl"
            } else {
                "written_at"
            }
        ));
        return false;
    }
    true
}

/// `select distinct`: every partition key column and nothing but
/// partition key and static columns; restrictions on the partition key
/// only; no `order` or `per partition limit`.
fn distinct_fits(
    query: &ast::Query,
    distinct: Span,
    columns: &[ir::Selected],
    model: &ir::Model,
    ctx: &mut Context,
) -> bool {
    let is_partition = |field: &str| model.key.partition.iter().any(|p| p == field);
    let mut refuse = |message: String, at: Span, help: String| {
        ctx.error(Code::OperatorMismatch, message, at, "with `distinct`")
            .label(distinct, "one row per partition")
            .help(help);
        false
    };
    for column in columns {
        let static_column = model.field(&column.field).is_some_and(|f| f.is_static);
        if column.read != ir::CellRead::Value || !(is_partition(&column.field) || static_column) {
            return refuse(
                format!(
                    "`select distinct` reads partition key and static columns, and `{}` is neither",
                    column.name
                ),
                query.select.as_ref().map_or(query.span, |s| s.span),
                format!(
                    "select the partition key: `select distinct {}`",
                    model.key.partition.join(", ")
                ),
            );
        }
    }
    if let Some(missing) = model
        .key
        .partition
        .iter()
        .find(|p| !columns.iter().any(|c| &c.field == *p))
    {
        return refuse(
            format!(
                "`select distinct` must read the whole partition key, and `{missing}` is left out"
            ),
            query.select.as_ref().map_or(query.span, |s| s.span),
            format!("`select distinct {}`", model.key.partition.join(", ")),
        );
    }
    if let Some(condition) = query
        .where_clause
        .iter()
        .flat_map(|w| &w.conditions)
        .find(|c| !is_partition(&c.column.name))
    {
        return refuse(
            format!(
                "`select distinct` restricts the partition key only, and `{}` is not part of it",
                condition.column.name
            ),
            condition.span,
            "drop the condition, or select rows without `distinct`".to_owned(),
        );
    }
    if let Some(order) = &query.order {
        return refuse(
            "`select distinct` has no `order`: partitions come in token order".to_owned(),
            order.span,
            "remove `order`".to_owned(),
        );
    }
    if let Some(limit) = &query.per_partition_limit {
        return refuse(
            "`select distinct` reads one row per partition already".to_owned(),
            limit.span,
            "remove `per partition limit`".to_owned(),
        );
    }
    true
}
