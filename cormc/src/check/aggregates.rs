//! Aggregates: select items fit their columns, grouping decides where the
//! aggregate runs, `having` and `order` name aliases or grouped columns.

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::fields::{enum_literal, exact_digits, literal_for};
use super::models::unknown_model_field;
use super::names::{Symbols, check_snake, unique_member};
use super::queries::{check_limit, target_model};
use super::restrictions::{Params, ReadKind, Restrictions, check_where, operator};
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, AggregateFunction, Execution, Operator, Order, Scalar, Type};

/// Checks one aggregate against the checked models.
pub(super) fn check_aggregate(
    aggregate: &ast::Aggregate,
    models: &FxHashMap<&str, &ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Aggregate> {
    let model = target_model(&aggregate.target, models, symbols, ctx)?;
    let mut params = Params::default();
    let restrictions = check_where(
        model,
        aggregate.where_clause.as_ref(),
        ReadKind::Plain {
            allow_filtering: aggregate.allow_filtering.map(|a| a.span),
        },
        &aggregate.name,
        symbols,
        &mut params,
        ctx,
    );
    let group_by = aggregate
        .group_by
        .as_ref()
        .map_or(Some(Vec::new()), |g| group_columns(g, model, ctx));
    let Some(select) = &aggregate.select else {
        ctx.error(
            Code::MissingClause,
            format!("aggregate `{}` has no `select`", aggregate.name.name),
            aggregate.name.span,
            "nothing to compute",
        )
        .help("add e.g. `select count(*) as rows`");
        return None;
    };
    let items = select_items(select, model, ctx);
    let having = match (&aggregate.having, &items) {
        (Some(having), Some(items)) => having_conditions(having, items, symbols, &mut params, ctx),
        (None, _) => Some(Vec::new()),
        (Some(_), None) => None,
    };
    let order = match (&aggregate.order, &items, &group_by) {
        (Some(order), Some(items), Some(group_by)) => aggregate_order(order, items, group_by, ctx),
        (None, _, _) => Some(Vec::new()),
        (Some(_), _, _) => None,
    };
    let limit = aggregate
        .limit
        .as_ref()
        .and_then(|limit| check_limit(limit, &mut params, ctx));
    let (restrictions, group_by, items, having, order) =
        (restrictions?, group_by?, items?, having?, order?);

    let key: Vec<&str> = model.key.fields().collect();
    let mut client_side_reasons = Vec::new();
    if !native_grouping(&group_by, model, &restrictions) {
        client_side_reasons.push(format!(
            "`group by {}` does not follow the primary key of `{}` ({}): CQL groups only by the partition key and then clustering columns in key order, skipping columns restricted by `=`",
            group_by.join(", "),
            model.name,
            key.join(", ")
        ));
    }
    if !having.is_empty() {
        client_side_reasons.push("`having` is applied in the client".to_owned());
    }
    if !order.is_empty() {
        client_side_reasons.push("`order` on grouped results is applied in the client".to_owned());
    }
    let execution = if client_side_reasons.is_empty() {
        Execution::Native
    } else {
        Execution::ClientSide
    };
    if execution == Execution::ClientSide {
        let diagnostic = ctx.warning(
            Code::ClientSideAggregate,
            format!(
                "aggregate `{}` runs in the client over a paged read of its rows",
                aggregate.name.name
            ),
            aggregate.name.span,
            "computed client-side",
        );
        for reason in client_side_reasons {
            diagnostic.note(reason);
        }
        if !restrictions.partition_restricted {
            diagnostic.help("restrict the partition key to bound how many rows are read");
        }
    }
    Some(ir::Aggregate {
        name: aggregate.name.name.clone(),
        doc: aggregate.doc.as_ref().map(|doc| doc.text.clone()),
        model: model.name.clone(),
        conditions: restrictions.conditions,
        group_by,
        select: items,
        having,
        order,
        limit,
        params: params.into_vec(),
        execution,
        span: aggregate.span,
    })
}

/// Whether CQL's `GROUP BY` can compute the grouping (`SelectStatement`'s
/// rules): the columns follow the primary key in order, a key column
/// restricted by `=` may be left out, and the whole partition key is covered.
fn native_grouping(group_by: &[String], model: &ir::Model, restrictions: &Restrictions) -> bool {
    if group_by.is_empty() {
        return true;
    }
    let key: Vec<&str> = model.key.fields().collect();
    let mut next = 0usize;
    for column in group_by {
        loop {
            let Some(key_column) = key.get(next) else {
                return false;
            };
            next += 1;
            if key_column == column {
                break;
            }
            if !restrictions.is_eq(key_column) {
                return false;
            }
        }
    }
    next >= model.key.partition.len()
}

fn group_columns(
    group: &ast::GroupBy,
    model: &ir::Model,
    ctx: &mut Context,
) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut seen = FxHashMap::default();
    let mut ok = true;
    for column in &group.columns {
        if !unique_member(&mut seen, column, "group by column", ctx) {
            ok = false;
            continue;
        }
        match model.field(&column.name) {
            Some(field) if field.ty.is_unfrozen_collection() => {
                ctx.error(
                    Code::AggregateMismatch,
                    format!("can't group by collection `{}`", field.name),
                    column.span,
                    "a collection",
                );
                ok = false;
            }
            Some(field) => out.push(field.name.clone()),
            None => {
                unknown_model_field(model, column, ctx);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn select_items(
    select: &ast::Select,
    model: &ir::Model,
    ctx: &mut Context,
) -> Option<Vec<ir::AggregateItem>> {
    let mut seen = FxHashMap::default();
    let mut out = Vec::new();
    let mut ok = true;
    for item in &select.items {
        if !unique_member(&mut seen, &item.alias, "alias", ctx) {
            ok = false;
            continue;
        }
        check_snake(&item.alias, "alias", ctx);
        let function = match item.function.kind {
            ast::AggregateFnKind::Count => AggregateFunction::Count,
            ast::AggregateFnKind::Sum => AggregateFunction::Sum,
            ast::AggregateFnKind::Avg => AggregateFunction::Avg,
            ast::AggregateFnKind::Min => AggregateFunction::Min,
            ast::AggregateFnKind::Max => AggregateFunction::Max,
        };
        let (column, ty) = match &item.argument {
            ast::AggregateArg::Star(span) => {
                if function != AggregateFunction::Count {
                    ctx.error(
                        Code::AggregateMismatch,
                        format!(
                            "`{}(*)` is not an aggregate; only `count(*)` takes `*`",
                            function.name()
                        ),
                        *span,
                        "needs a column",
                    );
                    ok = false;
                    continue;
                }
                (None, Type::Scalar(Scalar::Bigint))
            }
            ast::AggregateArg::Column(column) => {
                let Some(field) = model.field(&column.name) else {
                    unknown_model_field(model, column, ctx);
                    ok = false;
                    continue;
                };
                let numeric = matches!(&field.ty, Type::Scalar(s) if s.is_numeric());
                let comparable = matches!(&field.ty, Type::Scalar(s) if !matches!(s, Scalar::Duration | Scalar::Boolean))
                    || matches!(field.ty, Type::Enum(_));
                let result = match function {
                    AggregateFunction::Count => Some(Type::Scalar(Scalar::Bigint)),
                    AggregateFunction::Sum | AggregateFunction::Avg if numeric => {
                        Some(match field.ty {
                            Type::Scalar(Scalar::Counter) => Type::Scalar(Scalar::Bigint),
                            ref other => other.clone(),
                        })
                    }
                    AggregateFunction::Min | AggregateFunction::Max if comparable => {
                        Some(match field.ty {
                            Type::Scalar(Scalar::Counter) => Type::Scalar(Scalar::Bigint),
                            ref other => other.clone(),
                        })
                    }
                    AggregateFunction::Sum
                    | AggregateFunction::Avg
                    | AggregateFunction::Min
                    | AggregateFunction::Max => None,
                };
                let Some(result) = result else {
                    let needs =
                        if matches!(function, AggregateFunction::Sum | AggregateFunction::Avg) {
                            "a number column"
                        } else {
                            "a column with an order"
                        };
                    ctx.error(
                        Code::AggregateMismatch,
                        format!(
                            "`{}` needs {needs}, and `{}` is `{}`",
                            function.name(),
                            field.name,
                            field.ty
                        ),
                        column.span,
                        "wrong column type",
                    )
                    .help(format!(
                        "`count({})` counts its values; `sum` and `avg` take number columns, `min` and `max` ordered ones",
                        field.name
                    ));
                    ok = false;
                    continue;
                };
                (Some(field.name.clone()), result)
            }
        };
        out.push(ir::AggregateItem {
            function,
            column,
            alias: item.alias.name.clone(),
            ty,
        });
    }
    ok.then_some(out)
}

fn having_conditions(
    having: &ast::Having,
    items: &[ir::AggregateItem],
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<Vec<ir::Having>> {
    let mut out = Vec::new();
    let mut ok = true;
    for condition in &having.conditions {
        let Some(item) = items
            .iter()
            .find(|item| item.alias == condition.column.name)
        else {
            let diagnostic = ctx.error(
                Code::UnknownAlias,
                format!(
                    "`having` names `{}`, which is not a select alias",
                    condition.column.name
                ),
                condition.column.span,
                "no such alias",
            );
            let aliases = items.iter().map(|i| i.alias.as_str());
            let help = did_you_mean(&condition.column.name, aliases.clone()).unwrap_or_else(|| {
                format!(
                    "`having` compares select aliases: {}",
                    aliases
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            diagnostic.help(help);
            ok = false;
            continue;
        };
        let op = operator(condition.operator.kind);
        if matches!(
            op,
            Operator::In | Operator::Contains | Operator::ContainsKey
        ) {
            ctx.error(
                Code::OperatorMismatch,
                format!(
                    "`having` compares with `=`, `<`, `<=`, `>` or `>=`, not `{}`",
                    op.as_str()
                ),
                condition.operator.span,
                "not a comparison",
            );
            ok = false;
            continue;
        }
        let operand = match &condition.operand.kind {
            ast::OperandKind::Param(name) => {
                params.add(name, item.ty.clone(), false, ctx);
                Some(ir::Operand::Param(name.name.clone()))
            }
            ast::OperandKind::Literal(literal) => literal_for(literal, &item.ty, ctx)
                .filter(|value| rust_having_literal(value, &item.ty, literal.span, ctx))
                .map(ir::Operand::Literal),
            ast::OperandKind::Enum(value) => {
                enum_literal(value, Some(&item.ty), symbols, ctx).map(ir::Operand::Literal)
            }
        };
        match operand {
            Some(operand) => out.push(ir::Having {
                alias: item.alias.clone(),
                op,
                operand,
            }),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// Whether the generated client-side code can compare a result with
/// `value` written as a Rust literal (E1203 when not): numbers, text and
/// enum values can; a date, time, UUID or IP address string would be parsed
/// at run time, and an exact number needs at most 38 digits.
fn rust_having_literal(value: &ir::Literal, ty: &Type, span: Span, ctx: &mut Context) -> bool {
    let text = matches!(ty, Type::Scalar(scalar) if scalar.is_text());
    let (writable, why) = match value {
        ir::Literal::String(_) if !text => (false, "a string that Rust would parse at run time"),
        ir::Literal::Boolean(_) => (false, "no Rust comparison for it"),
        ir::Literal::Decimal(written) if !exact_digits(written) => (false, "more than 38 digits"),
        _ => (true, ""),
    };
    if !writable {
        ctx.error(
            Code::NoRustLiteral,
            format!("`cormc generate` can't compare a `{ty}` result with this literal in Rust"),
            span,
            why,
        )
        .help("compare with a `?parameter` instead (the caller passes the value)");
    }
    writable
}

fn aggregate_order(
    order: &ast::OrderClause,
    items: &[ir::AggregateItem],
    group_by: &[String],
    ctx: &mut Context,
) -> Option<Vec<ir::Ordering>> {
    let mut out = Vec::new();
    let mut ok = true;
    for item in &order.items {
        let known = items.iter().any(|i| i.alias == item.column.name)
            || group_by.contains(&item.column.name);
        if !known {
            let candidates = items
                .iter()
                .map(|i| i.alias.as_str())
                .chain(group_by.iter().map(String::as_str));
            let diagnostic = ctx.error(
                Code::UnknownAlias,
                format!(
                    "`order` names `{}`, which is neither a select alias nor a grouped column",
                    item.column.name
                ),
                item.column.span,
                "unknown",
            );
            if let Some(help) = did_you_mean(&item.column.name, candidates) {
                diagnostic.help(help);
            }
            ok = false;
            continue;
        }
        let direction = match item.order.map(|o| o.direction) {
            Some(ast::SortDirection::Desc) => Order::Desc,
            Some(ast::SortDirection::Asc) | None => Order::Asc,
        };
        out.push(ir::Ordering {
            column: item.column.name.clone(),
            order: direction,
        });
    }
    ok.then_some(out)
}
