//! `nearest f to ?q` in a named query: a nearest-neighbour search
//! (`ORDER BY f ANN OF ? LIMIT n`), with what Cassandra 5.0 accepts around
//! it (tried on the node: `cormc/tests/compile/tests/vector_search.rs`).
//!
//! The field needs a `vector_index`; the query needs a `limit` of at most
//! 1,000 and takes no `order`, `per partition limit`, `select` or
//! `allow filtering`. Its conditions (checked with the `where` clause) may
//! restrict the whole partition key by `=` (not `in`), then clustering
//! columns in key order, and any column with an `index`; Cassandra refuses
//! filtering next to an ANN search even with `ALLOW FILTERING`.

use super::context::{Annotate, Context};
use super::restrictions::Params;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// The most rows Cassandra returns from one ANN search.
const MAX_LIMIT: u64 = 1000;

/// Checks `nearest` of `query` on `model` and adds its parameter (after
/// the conditions', before the limit's).
pub(super) fn check_nearest(
    query: &ast::Query,
    nearest: &ast::NearestClause,
    model: &ir::Model,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Nearest> {
    let column = &nearest.column;
    let Some(field) = model.field(&column.name) else {
        ctx.error(
            Code::UnknownField,
            format!("model `{}` has no field `{}`", model.name, column.name),
            column.span,
            "no such field",
        );
        return None;
    };
    let Some(index) = model
        .vector_indexes
        .iter()
        .find(|index| index.field == field.name)
    else {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`nearest {}`: `{}.{}` has no `vector_index`",
                column.name, model.name, column.name
            ),
            column.span,
            "not vector-indexed",
        )
        .help(format!(
            "add `vector_index {}` to `{}` (a `vector<float, N>` field)",
            column.name, model.name
        ));
        return None;
    };
    params.add(&nearest.query, field.ty.clone(), false, ctx);
    let mut ok = true;
    let mut refuse = |span, what: &str, label: &str| {
        ctx.error(
            Code::OperatorMismatch,
            format!("a query with `nearest` takes no {what}"),
            span,
            label.to_owned(),
        )
        .label(nearest.span, "rows ordered by similarity")
        .help("Cassandra orders and limits a nearest-neighbour search itself; drop it");
        ok = false;
    };
    if let Some(order) = &query.order {
        refuse(order.span, "`order`", "a second order");
    }
    if let Some(limit) = &query.per_partition_limit {
        refuse(limit.span, "`per partition limit`", "refused with ANN");
    }
    if let Some(select) = &query.select {
        refuse(
            select.span,
            "`select`",
            "the score needs the vector: the query reads whole rows",
        );
    }
    if let Some(filtering) = &query.allow_filtering {
        refuse(
            filtering.span,
            "`allow filtering`",
            "Cassandra refuses filtering next to ANN",
        );
    }
    match &query.limit {
        None => {
            ctx.error(
                Code::MissingClause,
                format!(
                    "`{}` searches by nearest neighbour and needs a `limit`",
                    query.name.name
                ),
                nearest.span,
                "no `limit`",
            )
            .help("add `limit ?k` or `limit 10` (at most 1000)");
            ok = false;
        }
        Some(ast::LimitClause {
            value: ast::LimitValue::Fixed(n),
            ..
        }) if n.value > MAX_LIMIT => {
            ctx.error(
                Code::InvalidValue,
                format!("a nearest-neighbour search returns at most {MAX_LIMIT} rows"),
                n.span,
                "too many",
            );
            ok = false;
        }
        Some(_) => {}
    }
    ok.then(|| ir::Nearest {
        field: field.name.clone(),
        param: nearest.query.name.clone(),
        similarity: index.similarity,
    })
}
