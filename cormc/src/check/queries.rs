//! Named queries: target, conditions (see [`restrictions`](super::restrictions)),
//! `order` along the clustering key, and `limit`.

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::names::{Symbols, TypeDecl};
use super::restrictions::{Params, ReadKind, Restrictions, check_where};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir::{self, Order, Scalar, Type};

/// Checks one query against the checked models.
pub(super) fn check_query(
    query: &ast::Query,
    models: &FxHashMap<&str, &ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Query> {
    let model = target_model(&query.target, models, symbols, ctx)?;
    let mut params = Params::default();
    let read = match &query.nearest {
        Some(nearest) => ReadKind::Nearest(nearest.span),
        None => ReadKind::Plain {
            allow_filtering: query.allow_filtering.map(|a| a.span),
        },
    };
    let restrictions = check_where(
        model,
        query.where_clause.as_ref(),
        read,
        &query.name,
        symbols,
        &mut params,
        ctx,
    );
    // The query vector is bound after the conditions, before the limit.
    let nearest = match &query.nearest {
        Some(nearest) => Some(super::nearest::check_nearest(
            query,
            nearest,
            model,
            &mut params,
            ctx,
        )?),
        None => None,
    };
    let order = query
        .order
        .as_ref()
        .map(|order| check_order(order, model, restrictions.as_ref(), ctx))
        .unwrap_or(Some(Vec::new()));
    // Bound in the statement's order: `PER PARTITION LIMIT ?` comes first.
    let per_partition_limit = query
        .per_partition_limit
        .as_ref()
        .and_then(|limit| check_limit(limit, &mut params, ctx));
    let limit = query
        .limit
        .as_ref()
        .and_then(|limit| check_limit(limit, &mut params, ctx));
    let projection = match &query.select {
        Some(select) => Some(super::projections::check_projection(
            query, select, model, ctx,
        )?),
        None => None,
    };
    let cache = query
        .cache
        .as_ref()
        .and_then(|clause| query_cache(clause, nearest.is_some(), limit.is_some(), ctx));
    let restrictions = restrictions?;
    Some(ir::Query {
        name: query.name.name.clone(),
        doc: query.doc.as_ref().map(|doc| doc.text.clone()),
        model: model.name.clone(),
        projection,
        conditions: restrictions.conditions,
        order: order?,
        nearest,
        per_partition_limit,
        limit,
        allow_filtering: query.allow_filtering.is_some(),
        cache,
        params: params.into_vec(),
        span: query.span,
    })
}

/// A query's `cache` clause: only on a query whose answer a `limit`
/// bounds (a cache entry is the whole answer), and not on a `nearest` one.
fn query_cache(
    clause: &ast::CacheClause,
    nearest: bool,
    limited: bool,
    ctx: &mut Context,
) -> Option<ir::Cache> {
    if nearest || !limited {
        ctx.error(
            Code::InvalidValue,
            if nearest {
                "a `nearest` query can't be cached: its answer is a search"
            } else {
                "only a query with a `limit` can be cached: an entry holds its whole answer"
            },
            clause.span,
            "not cacheable",
        )
        .help(if nearest {
            "remove `cache`"
        } else {
            "add a `limit` (e.g. `limit 100`), or remove `cache`"
        });
        return None;
    }
    super::durations::cache(clause, ctx)
}

/// The model a query or aggregate reads.
pub(super) fn target_model<'m>(
    target: &ast::Ident,
    models: &FxHashMap<&str, &'m ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<&'m ir::Model> {
    if let Some(model) = models.get(target.name.as_str()) {
        return Some(*model);
    }
    match symbols.types.get(target.name.as_str()) {
        Some(decl @ (TypeDecl::TimeSeries(_) | TypeDecl::Events(_) | TypeDecl::Saga(_))) => {
            ctx.error(
                Code::UnknownModel,
                format!(
                    "queries, aggregates and mutations target models, and `{}` is {}",
                    target.name,
                    decl.described()
                ),
                target.span,
                "not a model",
            )
            .help("time series, event stores and sagas have generated methods of their own");
        }
        Some(TypeDecl::Model(_) | TypeDecl::View(_)) => {} // it failed its own checks
        Some(decl @ (TypeDecl::Udt(_) | TypeDecl::Enum(_))) => {
            ctx.error(
                Code::UnknownModel,
                format!(
                    "queries, aggregates and mutations target models, and `{}` is {}",
                    target.name,
                    decl.described()
                ),
                target.span,
                "not a model",
            );
        }
        None => {
            let diagnostic = ctx.error(
                Code::UnknownModel,
                format!("unknown model `{}`", target.name),
                target.span,
                "no such model",
            );
            if let Some(help) = did_you_mean(
                &target.name,
                symbols.models.iter().map(|m| m.name.name.as_str()),
            ) {
                diagnostic.help(help);
            }
        }
    }
    None
}

/// `order` follows the clustering key, as Cassandra's `SelectStatement`
/// wants it: the rows of one partition are read (its key restricted by
/// `=`: Cassandra refuses to page an ordered read of the partitions an `in`
/// lists), not through an index; the columns are clustering columns in key
/// order, where a clustering column restricted by `=` may be left out; and
/// all keep the table's order or all reverse it.
pub(super) fn check_order(
    order: &ast::OrderClause,
    model: &ir::Model,
    restrictions: Option<&Restrictions>,
    ctx: &mut Context,
) -> Option<Vec<ir::Ordering>> {
    if let Some(restrictions) = restrictions {
        if let Some(index) = restrictions.index_used {
            ctx.error(
                Code::InvalidOrder,
                "a query served by an index can't be ordered",
                order.span,
                "Cassandra refuses ORDER BY with secondary indexes",
            )
            .label(index, "served by an index")
            .help("drop `order` and sort the rows in your code, or restrict only key columns");
            return None;
        }
        if !restrictions.partition_restricted {
            ctx.error(
                Code::InvalidOrder,
                "`order` needs every partition key column restricted by `=`",
                order.span,
                "rows are ordered only within a partition",
            )
            .help(format!(
                "restrict every partition key column of `{}` ({}) with `=`, or drop `order`",
                model.name,
                model.key.partition.join(", ")
            ));
            return None;
        }
        if let Some(in_span) = restrictions.partition_in {
            ctx.error(
                Code::InvalidOrder,
                "`order` can't be combined with `in` on the partition key",
                order.span,
                "Cassandra refuses to page such a query",
            )
            .label(in_span, "`in` on the partition key")
            .help("restrict the partition key with `=` (one query per key), or drop `order` and sort the rows in your code");
            return None;
        }
    }
    let is_eq = |field: &str| restrictions.is_some_and(|r| r.is_eq(field));
    let mut out = Vec::new();
    // The clustering position after the last ordered column, and that column.
    let mut next = 0usize;
    let mut previous: Option<&ast::OrderItem> = None;
    // The first ordered column and whether it reverses the table's order.
    let mut direction_of: Option<(&ast::OrderItem, bool)> = None;
    for item in &order.items {
        let direction = match item.order.map(|o| o.direction) {
            Some(ast::SortDirection::Desc) => Order::Desc,
            Some(ast::SortDirection::Asc) | None => Order::Asc,
        };
        let Some(position) = model
            .key
            .clustering
            .iter()
            .position(|c| c.field == item.column.name)
        else {
            if model.field(&item.column.name).is_none() {
                let diagnostic = ctx.error(
                    Code::UnknownField,
                    format!("model `{}` has no field `{}`", model.name, item.column.name),
                    item.column.span,
                    "no such field",
                );
                if let Some(help) = did_you_mean(
                    &item.column.name,
                    model.key.clustering.iter().map(|c| c.field.as_str()),
                ) {
                    diagnostic.help(help);
                }
                return None;
            }
            ctx.error(
                Code::InvalidOrder,
                format!(
                    "can't order by `{}`: it is not a clustering column of `{}`",
                    item.column.name, model.name
                ),
                item.column.span,
                "not a clustering column",
            )
            .help(clustering_help(model));
            return None;
        };
        if let (true, Some(previous)) = (position < next, previous) {
            let (problem, label) = if previous.column.name == item.column.name {
                (
                    format!("`{}` is ordered twice", item.column.name),
                    "ordered again",
                )
            } else {
                (
                    format!(
                        "`{}` comes before `{}` in the clustering key",
                        item.column.name, previous.column.name
                    ),
                    "out of key order",
                )
            };
            ctx.error(
                Code::InvalidOrder,
                format!("`order` must follow the clustering key: {problem}"),
                item.column.span,
                label,
            )
            .label(previous.column.span, "ordered before it")
            .help(clustering_help(model));
            return None;
        }
        previous = Some(item);
        if let Some(skipped) = model
            .key
            .clustering
            .get(next..position)
            .and_then(|between| between.iter().find(|c| !is_eq(&c.field)))
        {
            ctx.error(
                Code::InvalidOrder,
                format!(
                    "`order` must follow the clustering key: `{}` comes after `{}`, which is neither ordered nor restricted by `=`",
                    item.column.name, skipped.field
                ),
                item.column.span,
                format!("skips `{}`", skipped.field),
            )
            .help(format!(
                "order by `{}` first, or restrict it by `=`",
                skipped.field
            ));
            return None;
        }
        next = position + 1;
        let clustering = model.key.clustering.get(position)?;
        let reversed = direction != clustering.order;
        match direction_of {
            Some((first, first_reversed)) if first_reversed != reversed => {
                let verb = |reversed: bool| if reversed { "reverses" } else { "keeps" };
                ctx.error(
                    Code::InvalidOrder,
                    "`order` must keep the clustering order for every column, or reverse it for every column",
                    item.span,
                    format!("{} the table's order", verb(reversed)),
                )
                .label(first.span, format!("{} it", verb(first_reversed)))
                .help(clustering_help(model));
                return None;
            }
            Some(_) => {}
            None => direction_of = Some((item, reversed)),
        }
        out.push(ir::Ordering {
            column: item.column.name.clone(),
            order: direction,
        });
    }
    Some(out)
}

fn clustering_help(model: &ir::Model) -> String {
    if model.key.clustering.is_empty() {
        return format!(
            "model `{}` has no clustering columns, so its partitions hold one row",
            model.name
        );
    }
    let columns: Vec<String> = model
        .key
        .clustering
        .iter()
        .map(|c| format!("{} {}", c.field, c.order.cql().to_lowercase()))
        .collect();
    format!(
        "the clustering key is ({}); order by it or by its exact reverse",
        columns.join(", ")
    )
}

/// `limit n` (n ≥ 1) or `limit ?n` (an `int` parameter).
pub(super) fn check_limit(
    limit: &ast::LimitClause,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Limit> {
    match &limit.value {
        ast::LimitValue::Fixed(n) => match u32::try_from(n.value) {
            Ok(n @ 1..) => Some(ir::Limit::Fixed(n)),
            _ => {
                ctx.error(
                    Code::InvalidValue,
                    "a limit is between 1 and 2147483647",
                    n.span,
                    "out of range",
                );
                None
            }
        },
        ast::LimitValue::Param(name) => {
            params.add(name, Type::Scalar(Scalar::Int), false, ctx);
            Some(ir::Limit::Param(name.name.clone()))
        }
    }
}
