//! `where` clauses: what Cassandra serves directly, what an index serves,
//! and what it would serve only with `ALLOW FILTERING`.
//!
//! The rules (Cassandra 5 with storage-attached indexes):
//! - the partition key is fully restricted by `=` or `in`, or an indexed
//!   column is restricted, or there is no condition at all (a paged scan);
//! - restricted clustering columns form a prefix of the clustering key, and
//!   only the last restricted one may use a range (`<`, `<=`, `>`, `>=`);
//! - any other column is restricted only when it is indexed;
//! - anything else needs `allow filtering`, which turns the error into a
//!   warning.

use std::collections::HashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::fields::{enum_literal, literal_for};
use super::names::Symbols;
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Operator, Scalar, Type};

/// The parameters of one query or aggregate, in order of first use.
#[derive(Debug, Default)]
pub(super) struct Params {
    list: Vec<ir::Param>,
    spans: HashMap<String, Span>,
}

impl Params {
    /// Records `?name` used with `ty`; one name used twice is one parameter,
    /// so its types must agree.
    pub fn add(&mut self, name: &ast::Ident, ty: Type, list: bool, ctx: &mut Context) {
        if let Some(existing) = self.list.iter().find(|p| p.name == name.name) {
            if existing.ty != ty || existing.list != list {
                let shown = |ty: &Type, list: bool| {
                    if list {
                        format!("a list of `{ty}`")
                    } else {
                        format!("`{ty}`")
                    }
                };
                let diagnostic = ctx.error(
                    Code::ParamTypeConflict,
                    format!(
                        "`?{}` is used as {} and as {}",
                        name.name,
                        shown(&existing.ty, existing.list),
                        shown(&ty, list)
                    ),
                    name.span,
                    "second use",
                );
                if let Some(first) = self.spans.get(&name.name) {
                    diagnostic.label(*first, "first use");
                }
                diagnostic.help("one name is one parameter; give the second use its own name");
            }
            return;
        }
        self.spans.insert(name.name.clone(), name.span);
        self.list.push(ir::Param {
            name: name.name.clone(),
            ty,
            list,
        });
    }

    /// The parameters in order.
    pub fn into_vec(self) -> Vec<ir::Param> {
        self.list
    }
}

/// The outcome of checking a `where` clause.
#[derive(Debug)]
pub(super) struct Restrictions {
    /// The conditions, resolved.
    pub conditions: Vec<ir::Condition>,
    /// Every partition key column is restricted by `=` or `in`.
    pub partition_restricted: bool,
    /// An indexed column is restricted.
    pub uses_index: bool,
}

/// Checks the conditions of a query or aggregate on `model`.
pub(super) fn check_where(
    model: &ir::Model,
    clause: Option<&ast::WhereClause>,
    allow_filtering: Option<Span>,
    item: &ast::Ident,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<Restrictions> {
    let written = clause.map_or(&[][..], |clause| clause.conditions.as_slice());
    let mut conditions = Vec::new();
    let mut ok = true;
    for condition in written {
        match resolve_condition(condition, model, symbols, params, ctx) {
            Some(resolved) => conditions.push((condition, resolved)),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    check_conflicts(&conditions, ctx)?;

    let indexed = |field: &str| model.indexes.iter().any(|index| index.field == field);
    let restricted = |field: &str, pred: &dyn Fn(Operator) -> bool| {
        conditions
            .iter()
            .any(|(_, c)| c.field == field && pred(c.op))
    };
    let partition_restricted = model
        .key
        .partition
        .iter()
        .all(|p| restricted(p, &|op| matches!(op, Operator::Eq | Operator::In)));
    let uses_index = conditions.iter().any(|(_, c)| indexed(&c.field));

    // Why Cassandra would want ALLOW FILTERING: (span, message, label).
    let mut reasons: Vec<(Span, String, String)> = Vec::new();
    if !conditions.is_empty() && !partition_restricted {
        for (written, condition) in &conditions {
            if indexed(&condition.field) {
                continue;
            }
            let role = if model.key.partition.contains(&condition.field) {
                "partition key column"
            } else if model
                .key
                .clustering
                .iter()
                .any(|c| c.field == condition.field)
            {
                "clustering column"
            } else {
                "column"
            };
            let missing = model
                .key
                .partition
                .iter()
                .find(|p| !restricted(p, &|op| matches!(op, Operator::Eq | Operator::In)))
                .cloned()
                .unwrap_or_default();
            let message = if uses_index {
                format!(
                    "{role} `{}` is not indexed, so it is filtered after the index lookup",
                    condition.field
                )
            } else if model.key.partition.contains(&condition.field) {
                format!(
                    "partition key column `{}` is restricted by `{}`, and `{missing}` is not restricted by `=` or `in`",
                    condition.field,
                    condition.op.as_str()
                )
            } else {
                format!(
                    "the partition key is not restricted (`{missing}` has no `=` or `in`), so `{}` scans every partition",
                    condition.field
                )
            };
            reasons.push((
                written.span,
                message,
                format!("{role} `{}`", condition.field),
            ));
        }
    } else if partition_restricted {
        clustering_reasons(model, &conditions, &mut reasons);
        for (written, condition) in &conditions {
            if model.key.contains(&condition.field) || indexed(&condition.field) {
                continue;
            }
            reasons.push((
                written.span,
                format!("`{}` is neither a key column nor indexed", condition.field),
                "not served by the key or an index".to_owned(),
            ));
        }
    }

    let fix = match reasons_first_field(&conditions, model) {
        Some(field) => format!(
            "add `index ({field})` to model `{}`, restrict the key, or write `allow filtering` to accept the scan",
            model.name
        ),
        None => format!(
            "restrict the key of `{}` ({}) in order, or write `allow filtering` to accept the scan",
            model.name,
            model.key.fields().collect::<Vec<_>>().join(", ")
        ),
    };
    match allow_filtering {
        Some(at) if reasons.is_empty() => {
            ctx.warning(
                Code::UnneededFiltering,
                format!("`{}` does not need `allow filtering`", item.name),
                at,
                "the key or an index serves it",
            )
            .help("remove `allow filtering`");
        }
        Some(at) => {
            let diagnostic = ctx.warning(
                Code::FilteringQuery,
                format!("`{}` runs with ALLOW FILTERING and may read whole partitions or the whole table", item.name),
                at,
                "accepted because of this",
            );
            for (span, message, label) in &reasons {
                diagnostic.label(*span, label.clone()).note(message.clone());
            }
        }
        None => {
            for (span, message, label) in &reasons {
                ctx.error(
                    Code::NeedsFiltering,
                    format!(
                        "Cassandra would serve `{}` only with ALLOW FILTERING: {message}",
                        item.name
                    ),
                    *span,
                    label.clone(),
                )
                .help(fix.clone());
            }
        }
    }
    if allow_filtering.is_none() && !reasons.is_empty() {
        return None;
    }
    Some(Restrictions {
        conditions: conditions.into_iter().map(|(_, c)| c).collect(),
        partition_restricted,
        uses_index,
    })
}

fn reasons_first_field<'a>(
    conditions: &'a [(&ast::Condition, ir::Condition)],
    model: &ir::Model,
) -> Option<&'a str> {
    conditions
        .iter()
        .map(|(_, c)| c.field.as_str())
        .find(|field| !model.key.contains(field))
}

/// Clustering restrictions must form a prefix; only the last may be a range.
fn clustering_reasons(
    model: &ir::Model,
    conditions: &[(&ast::Condition, ir::Condition)],
    reasons: &mut Vec<(Span, String, String)>,
) {
    let mut previous: Option<(&str, bool)> = None; // (column, restricted by a range)
    let mut gap: Option<&str> = None;
    for clustering in &model.key.clustering {
        let on_column: Vec<&(&ast::Condition, ir::Condition)> = conditions
            .iter()
            .filter(|(_, c)| c.field == clustering.field)
            .collect();
        if on_column.is_empty() {
            if gap.is_none() {
                gap = Some(&clustering.field);
            }
            previous = None;
            continue;
        }
        let first_span = on_column[0].0.span;
        if let Some(missing) = gap {
            reasons.push((
                first_span,
                format!(
                    "clustering column `{}` is restricted, but `{missing}` before it is not (restrictions must follow the clustering order)",
                    clustering.field
                ),
                format!("skips `{missing}`"),
            ));
        } else if let Some((range_column, true)) = previous {
            reasons.push((
                first_span,
                format!(
                    "`{range_column}` is restricted by a range, so no clustering column after it can be restricted"
                ),
                format!("after the range on `{range_column}`"),
            ));
        }
        let is_range = on_column.iter().any(|(_, c)| c.op.is_range());
        previous = Some((&clustering.field, is_range));
    }
}

fn resolve_condition(
    condition: &ast::Condition,
    model: &ir::Model,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Condition> {
    let Some(field) = model.field(&condition.column.name) else {
        let diagnostic = ctx.error(
            Code::UnknownField,
            format!(
                "model `{}` has no field `{}`",
                model.name, condition.column.name
            ),
            condition.column.span,
            "no such field",
        );
        if let Some(help) = did_you_mean(
            &condition.column.name,
            model.fields.iter().map(|f| f.name.as_str()),
        ) {
            diagnostic.help(help);
        }
        return None;
    };
    let op = operator(condition.operator.kind);
    let operand_ty: Type = match op {
        Operator::Contains => match field.ty.unfrozen() {
            Type::List(item) | Type::Set(item) => (**item).clone(),
            Type::Map(_, value) => (**value).clone(),
            other => return operator_mismatch(condition, field, other, "a list, set or map", ctx),
        },
        Operator::ContainsKey => match field.ty.unfrozen() {
            Type::Map(key, _) => (**key).clone(),
            other => return operator_mismatch(condition, field, other, "a map", ctx),
        },
        Operator::Eq | Operator::In | Operator::Lt | Operator::Le | Operator::Gt | Operator::Ge => {
            if field.ty.is_unfrozen_collection() {
                return operator_mismatch(
                    condition,
                    field,
                    &field.ty,
                    "a value that is not a collection (use `contains`)",
                    ctx,
                );
            }
            if op.is_range() && !is_orderable(&field.ty) {
                return operator_mismatch(condition, field, &field.ty, "an ordered scalar", ctx);
            }
            if field.ty.is_counter() {
                return operator_mismatch(
                    condition,
                    field,
                    &field.ty,
                    "a column that is not a counter",
                    ctx,
                );
            }
            field.ty.clone()
        }
    };
    let operand = match &condition.operand.kind {
        ast::OperandKind::Param(name) => {
            params.add(name, operand_ty, op == Operator::In, ctx);
            ir::Operand::Param(name.name.clone())
        }
        ast::OperandKind::Literal(literal) => {
            if op == Operator::In {
                ctx.error(
                    Code::LiteralTypeMismatch,
                    "`in` takes a list parameter",
                    literal.span,
                    "a single value",
                )
                .help("write `in ?values` and pass a slice");
                return None;
            }
            ir::Operand::Literal(literal_for(literal, &operand_ty, ctx)?)
        }
        ast::OperandKind::Enum(value) => {
            if op == Operator::In {
                ctx.error(
                    Code::LiteralTypeMismatch,
                    "`in` takes a list parameter",
                    value.span,
                    "a single value",
                );
                return None;
            }
            ir::Operand::Literal(enum_literal(value, Some(&operand_ty), symbols, ctx)?)
        }
    };
    Some(ir::Condition {
        field: field.name.clone(),
        op,
        operand,
        span: condition.span,
    })
}

fn is_orderable(ty: &Type) -> bool {
    match ty {
        Type::Scalar(scalar) => {
            !matches!(scalar, Scalar::Counter | Scalar::Duration | Scalar::Boolean)
        }
        Type::Enum(_) | Type::Tuple(_) | Type::Frozen(_) | Type::Udt(_) => true,
        Type::List(_) | Type::Set(_) | Type::Map(..) | Type::Vector(_) => false,
    }
}

fn operator_mismatch(
    condition: &ast::Condition,
    field: &ir::Field,
    ty: &Type,
    needs: &str,
    ctx: &mut Context,
) -> Option<ir::Condition> {
    ctx.error(
        Code::OperatorMismatch,
        format!(
            "`{}` needs {needs}, and `{}` is `{ty}`",
            condition.operator.kind.as_str(),
            field.name
        ),
        condition.operator.span,
        "operator does not fit the column",
    );
    None
}

/// Two conditions on one column are only a lower and an upper bound.
fn check_conflicts(
    conditions: &[(&ast::Condition, ir::Condition)],
    ctx: &mut Context,
) -> Option<()> {
    let mut ok = true;
    for (i, (written, condition)) in conditions.iter().enumerate() {
        for (earlier_written, earlier) in &conditions[..i] {
            if earlier.field != condition.field {
                continue;
            }
            let lower = |op: Operator| matches!(op, Operator::Gt | Operator::Ge);
            let upper = |op: Operator| matches!(op, Operator::Lt | Operator::Le);
            let bounds = (lower(earlier.op) && upper(condition.op))
                || (upper(earlier.op) && lower(condition.op));
            let collection_tests = matches!(earlier.op, Operator::Contains | Operator::ContainsKey)
                && matches!(condition.op, Operator::Contains | Operator::ContainsKey);
            if !bounds && !collection_tests {
                ctx.error(
                    Code::OperatorMismatch,
                    format!(
                        "`{}` is restricted twice in a way that can't combine",
                        condition.field
                    ),
                    written.span,
                    "second restriction",
                )
                .label(earlier_written.span, "first restriction")
                .help("a column takes one `=`/`in`, or one lower and one upper bound");
                ok = false;
            }
        }
    }
    ok.then_some(())
}

/// The IR operator for a written one.
pub(super) const fn operator(kind: ast::OperatorKind) -> Operator {
    match kind {
        ast::OperatorKind::Eq => Operator::Eq,
        ast::OperatorKind::Lt => Operator::Lt,
        ast::OperatorKind::Le => Operator::Le,
        ast::OperatorKind::Gt => Operator::Gt,
        ast::OperatorKind::Ge => Operator::Ge,
        ast::OperatorKind::In => Operator::In,
        ast::OperatorKind::Contains => Operator::Contains,
        ast::OperatorKind::ContainsKey => Operator::ContainsKey,
    }
}
