//! Named queries: target, conditions (see [`restrictions`](super::restrictions)),
//! `order` along the clustering key, and `limit`.

use std::collections::HashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::names::{Symbols, TypeDecl};
use super::restrictions::{Params, Restrictions, check_where};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir::{self, Order, Scalar, Type};

/// Checks one query against the checked models.
pub(super) fn check_query(
    query: &ast::Query,
    models: &HashMap<&str, &ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Query> {
    let model = target_model(&query.target, models, symbols, ctx)?;
    let mut params = Params::default();
    let restrictions = check_where(
        model,
        query.where_clause.as_ref(),
        query.allow_filtering.map(|a| a.span),
        &query.name,
        symbols,
        &mut params,
        ctx,
    );
    let order = query
        .order
        .as_ref()
        .map(|order| check_order(order, model, restrictions.as_ref(), ctx))
        .unwrap_or(Some(Vec::new()));
    let limit = query
        .limit
        .as_ref()
        .and_then(|limit| check_limit(limit, &mut params, ctx));
    let restrictions = restrictions?;
    Some(ir::Query {
        name: query.name.name.clone(),
        doc: query.doc.as_ref().map(|doc| doc.text.clone()),
        model: model.name.clone(),
        conditions: restrictions.conditions,
        order: order?,
        limit,
        allow_filtering: query.allow_filtering.is_some(),
        params: params.into_vec(),
        span: query.span,
    })
}

/// The model a query or aggregate reads.
pub(super) fn target_model<'m>(
    target: &ast::Ident,
    models: &HashMap<&str, &'m ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<&'m ir::Model> {
    if let Some(model) = models.get(target.name.as_str()) {
        return Some(*model);
    }
    match symbols.types.get(target.name.as_str()) {
        Some(decl @ (TypeDecl::TimeSeries(_) | TypeDecl::Events(_))) => {
            ctx.error(
                Code::UnknownModel,
                format!(
                    "queries target models, and `{}` is a {}",
                    target.name,
                    decl.kind()
                ),
                target.span,
                "not a model",
            )
            .help("time series and event stores have generated read methods");
        }
        Some(TypeDecl::Model(_)) => {} // the model itself failed its checks
        Some(decl @ (TypeDecl::Udt(_) | TypeDecl::Enum(_))) => {
            ctx.error(
                Code::UnknownModel,
                format!(
                    "queries target models, and `{}` is a {}",
                    target.name,
                    decl.kind()
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

/// `order` follows the clustering key: the first clustering column first,
/// all in the table's order or all reversed, within one partition.
pub(super) fn check_order(
    order: &ast::OrderClause,
    model: &ir::Model,
    restrictions: Option<&Restrictions>,
    ctx: &mut Context,
) -> Option<Vec<ir::Ordering>> {
    if let Some(restrictions) = restrictions {
        if restrictions.uses_index && !restrictions.partition_restricted {
            ctx.error(
                Code::InvalidOrder,
                "an index query can't be ordered",
                order.span,
                "Cassandra orders rows only within a partition",
            )
            .help("restrict the partition key by `=`, or sort the results in your code");
            return None;
        }
        if !restrictions.partition_restricted {
            ctx.error(
                Code::InvalidOrder,
                "`order` needs the partition key restricted by `=` or `in`",
                order.span,
                "rows are ordered only within a partition",
            );
            return None;
        }
    }
    let mut out = Vec::new();
    let mut reversed: Option<bool> = None;
    for (position, item) in order.items.iter().enumerate() {
        let direction = match item.order.map(|o| o.direction) {
            Some(ast::SortDirection::Desc) => Order::Desc,
            Some(ast::SortDirection::Asc) | None => Order::Asc,
        };
        let Some(clustering) = model.key.clustering.get(position) else {
            ctx.error(
                Code::InvalidOrder,
                format!(
                    "`{}` can't be ordered by: it is not a clustering column of `{}`",
                    item.column.name, model.name
                ),
                item.column.span,
                "not a clustering column",
            )
            .help(clustering_help(model));
            return None;
        };
        if clustering.field != item.column.name {
            let what = if position == 0 {
                "the first clustering column".to_owned()
            } else {
                format!("clustering column {}", position + 1)
            };
            ctx.error(
                Code::InvalidOrder,
                format!(
                    "`order` must follow the clustering key: {what} is `{}`",
                    clustering.field
                ),
                item.column.span,
                format!("expected `{}`", clustering.field),
            )
            .help(clustering_help(model));
            return None;
        }
        let is_reversed = direction != clustering.order;
        match reversed {
            Some(earlier) if earlier != is_reversed => {
                ctx.error(
                    Code::InvalidOrder,
                    "ordering must keep the clustering order for every column, or reverse it for every column",
                    item.span,
                    "mixes kept and reversed order",
                )
                .help(clustering_help(model));
                return None;
            }
            _ => reversed = Some(is_reversed),
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
