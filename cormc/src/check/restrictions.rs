//! `where` clauses: what Cassandra serves directly, what an index serves,
//! and what it would serve only with `ALLOW FILTERING`.
//!
//! The rules (Cassandra 5 with storage-attached indexes, after
//! `StatementRestrictions`):
//! - the partition key is served when every column of it is restricted by
//!   `=` or `in`;
//! - restricted clustering columns are served when the partition key is,
//!   they form a prefix of the clustering key, only the last restricted one
//!   uses a range (`<`, `<=`, `>`, `>=`), and none uses `contains`;
//! - any other condition is served when its column is indexed and the index
//!   serves its operator (see [`index_support`](super::index_support));
//! - no condition at all is a paged scan, which is served;
//! - anything else needs `allow filtering`, which turns the error into a
//!   warning;
//! - refused outright, whatever the filtering: `in` on the partition key
//!   together with an index lookup, and any condition on a column with a
//!   `vector_index` (those serve only nearest-neighbour search).

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context};
use super::fields::{enum_literal, literal_for};
use super::index_support::{is_vector_indexed, served_by_index};
use super::models::unknown_model_field;
use super::names::Symbols;
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Operator, Scalar, Type};

/// The parameters of one query or aggregate, in order of first use.
#[derive(Debug, Default)]
pub(super) struct Params {
    list: Vec<ir::Param>,
    spans: FxHashMap<String, Span>,
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
    /// A partition key column is restricted by `in` (where the condition is).
    pub partition_in: Option<Span>,
    /// A condition is served by a secondary index (where the first one is).
    pub index_used: Option<Span>,
}

impl Restrictions {
    /// Whether `field` is restricted by `=`.
    pub fn is_eq(&self, field: &str) -> bool {
        self.conditions
            .iter()
            .any(|c| c.field == field && c.op == Operator::Eq)
    }
}

/// What a read does besides using its key and indexes.
#[derive(Debug, Clone, Copy)]
pub(super) enum ReadKind {
    /// A plain read, with `allow filtering` where it is written.
    Plain {
        /// Where `allow filtering` is written.
        allow_filtering: Option<Span>,
    },
    /// A nearest-neighbour search (`nearest`, written here): Cassandra
    /// refuses any filtering next to it.
    Nearest(Span),
}

/// How one condition is served.
#[derive(Debug)]
enum Served {
    /// By the primary key.
    Key,
    /// By the column's secondary index.
    Index,
    /// Only by filtering, for this reason.
    Filtering(Reason),
}

/// Why Cassandra would want ALLOW FILTERING for one condition.
#[derive(Debug, Clone)]
struct Reason {
    span: Span,
    message: String,
    label: String,
    help: String,
}

/// Checks the conditions of a query or aggregate on `model`.
pub(super) fn check_where(
    model: &ir::Model,
    clause: Option<&ast::WhereClause>,
    read: ReadKind,
    item: &ast::Ident,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<Restrictions> {
    let (allow_filtering, nearest) = match read {
        ReadKind::Plain { allow_filtering } => (allow_filtering, None),
        ReadKind::Nearest(at) => (None, Some(at)),
    };
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
    check_vector_columns(&conditions, model, ctx)?;

    let eq_or_in = |field: &str| {
        conditions
            .iter()
            .any(|(_, c)| c.field == field && matches!(c.op, Operator::Eq | Operator::In))
    };
    let partition_restricted = model.key.partition.iter().all(|p| eq_or_in(p));
    let partition_in = conditions
        .iter()
        .find(|(_, c)| c.op == Operator::In && model.key.partition.contains(&c.field))
        .map(|(written, _)| written.span);

    let clustering = clustering_served(model, &conditions, partition_restricted);
    // Which index serves a condition does not depend on the others; how an
    // unserved condition is explained does (filtered after an index lookup).
    let serve_all = |index_used: bool| -> Vec<Served> {
        conditions
            .iter()
            .enumerate()
            .map(|(i, (written, condition))| {
                serve(
                    &Situation {
                        model,
                        conditions: &conditions,
                        partition_restricted,
                        index_used,
                    },
                    written,
                    condition,
                    clustering.get(i),
                )
            })
            .collect()
    };
    let index_used = conditions
        .iter()
        .zip(serve_all(false))
        .find(|(_, served)| matches!(served, Served::Index))
        .map(|((written, _), _)| written.span);
    let served = serve_all(index_used.is_some());

    if let (Some(in_span), Some(nearest)) = (partition_in, nearest) {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}` restricts the partition key with `in`, which Cassandra refuses in a nearest-neighbour search",
                item.name
            ),
            in_span,
            "`in` on the partition key",
        )
        .label(nearest, "a nearest-neighbour search")
        .help("restrict the partition key with `=` (one search per key), or drop the condition");
        return None;
    }
    if let (Some(in_span), Some(index_span)) = (partition_in, index_used) {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}` restricts the partition key with `in` and also uses an index, which Cassandra refuses",
                item.name
            ),
            in_span,
            "`in` on the partition key",
        )
        .label(index_span, "served by an index")
        .help("restrict the partition key with `=` (one query per key), or drop the indexed condition");
        return None;
    }

    // One mistake, one error: when a partition key column is compared but
    // the partition key is not served, that column's error says why, and a
    // clustering column failing for the same reason adds nothing.
    let partition_compared = conditions
        .iter()
        .any(|(_, c)| model.key.partition.contains(&c.field));
    let is_clustering = |field: &str| model.key.clustering.iter().any(|c| c.field == field);
    let reasons: Vec<Reason> = conditions
        .iter()
        .zip(served)
        .filter_map(|((_, condition), served)| match served {
            Served::Filtering(_)
                if !partition_restricted
                    && partition_compared
                    && is_clustering(&condition.field) =>
            {
                None
            }
            Served::Filtering(reason) => Some(reason),
            Served::Key | Served::Index => None,
        })
        .collect();

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
            for reason in &reasons {
                diagnostic
                    .label(reason.span, reason.label.clone())
                    .note(reason.message.clone());
            }
            if partition_restricted {
                // The partition key is served: the scan is of the
                // partitions the query names, not of the table.
                diagnostic.help(
                    "the partition key is restricted, so only the partitions it names are scanned: fine while they stay small; otherwise make the filtered column a clustering column, add an `index` on it, or keep a table keyed by it",
                );
            }
        }
        None if nearest.is_some() => {
            for reason in &reasons {
                let diagnostic = ctx.error(
                    Code::OperatorMismatch,
                    format!(
                        "`{}` searches by nearest neighbour, and Cassandra's search takes only conditions on the key or on indexed columns: {}",
                        item.name, reason.message
                    ),
                    reason.span,
                    reason.label.clone(),
                );
                if let Some(nearest) = nearest {
                    diagnostic.label(nearest, "a nearest-neighbour search");
                }
                diagnostic.help("restrict the whole partition key by `=` (then clustering columns in key order), add an `index` on the column, or drop the condition: `allow filtering` does not help here");
            }
        }
        None => {
            for reason in &reasons {
                ctx.error(
                    Code::NeedsFiltering,
                    format!(
                        "Cassandra would serve `{}` only with ALLOW FILTERING: {}",
                        item.name, reason.message
                    ),
                    reason.span,
                    reason.label.clone(),
                )
                .help(reason.help.clone());
            }
        }
    }
    if allow_filtering.is_none() && !reasons.is_empty() {
        return None;
    }
    Some(Restrictions {
        conditions: conditions.into_iter().map(|(_, c)| c).collect(),
        partition_restricted,
        partition_in,
        index_used,
    })
}

/// A column with a `vector_index` takes no condition: Cassandra serves it
/// only by nearest-neighbour search (the generated search method).
fn check_vector_columns(
    conditions: &[(&ast::Condition, ir::Condition)],
    model: &ir::Model,
    ctx: &mut Context,
) -> Option<()> {
    let mut ok = true;
    for (written, condition) in conditions {
        if is_vector_indexed(model, &condition.field) {
            ctx.error(
                Code::OperatorMismatch,
                format!(
                    "`{}` has a `vector_index`, which serves only nearest-neighbour search",
                    condition.field
                ),
                written.span,
                "Cassandra refuses conditions on vector-indexed columns",
            )
            .help(format!(
                "drop the condition, and search by it with `nearest {} to ?vector` in a query (or the repository's `nearest_{}`)",
                condition.field, condition.field
            ));
            ok = false;
        }
    }
    ok.then_some(())
}

/// For each condition, `Some(Ok(()))` when it is on a clustering column and
/// the primary key serves it, `Some(Err(reason))` when it is on a clustering
/// column and the key does not, `None` for other columns.
fn clustering_served(
    model: &ir::Model,
    conditions: &[(&ast::Condition, ir::Condition)],
    partition_restricted: bool,
) -> Vec<Option<Result<(), Reason>>> {
    let mut out: Vec<Option<Result<(), Reason>>> = vec![None; conditions.len()];
    let key_order = model
        .key
        .clustering
        .iter()
        .map(|c| c.field.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let help = format!(
        "restrict the clustering columns of `{}` in key order ({key_order}), with a range only on the last one, or write `allow filtering` to accept the scan",
        model.name
    );
    let mut gap: Option<&str> = None;
    let mut range_before: Option<&str> = None;
    for clustering in &model.key.clustering {
        let on_column: Vec<usize> = conditions
            .iter()
            .enumerate()
            .filter(|(_, (_, c))| c.field == clustering.field)
            .map(|(i, _)| i)
            .collect();
        if on_column.is_empty() {
            gap.get_or_insert(&clustering.field);
            continue;
        }
        let mut is_range = false;
        for &i in &on_column {
            let Some((written, condition)) = conditions.get(i) else {
                continue;
            };
            let reason = |message: String, label: String, help: String| Reason {
                span: written.span,
                message,
                label,
                help,
            };
            let verdict = if matches!(condition.op, Operator::Contains | Operator::ContainsKey) {
                Err(reason(
                    format!(
                        "clustering column `{}` is restricted by `{}`, which the key can't serve",
                        condition.field,
                        condition.op.as_str()
                    ),
                    format!("`{}` on a clustering column", condition.op.as_str()),
                    format!(
                        "add `index ({})` to model `{}`, or write `allow filtering` to accept the scan",
                        condition.field, model.name
                    ),
                ))
            } else if !partition_restricted {
                Err(reason(
                    partition_message(model, conditions, &condition.field, condition.op),
                    format!("clustering column `{}`", condition.field),
                    partition_help(model, conditions, &condition.field, condition.op),
                ))
            } else if let Some(missing) = gap {
                Err(reason(
                    format!(
                        "clustering column `{}` is restricted, but `{missing}` before it is not (restrictions must follow the clustering order)",
                        condition.field
                    ),
                    format!("skips `{missing}`"),
                    help.clone(),
                ))
            } else if let Some(range_column) = range_before {
                Err(reason(
                    format!(
                        "`{range_column}` is restricted by a range, so no clustering column after it can be restricted"
                    ),
                    format!("after the range on `{range_column}`"),
                    help.clone(),
                ))
            } else {
                Ok(())
            };
            is_range |= condition.op.is_range();
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(verdict);
            }
        }
        if is_range {
            range_before.get_or_insert(&clustering.field);
        }
    }
    out
}

/// What [`serve`] needs to know about the whole `where` clause.
struct Situation<'a> {
    model: &'a ir::Model,
    conditions: &'a [(&'a ast::Condition, ir::Condition)],
    partition_restricted: bool,
    /// Another condition is served by an index.
    index_used: bool,
}

/// How one condition is served: by the key, by an index, or only by
/// filtering (and why).
fn serve(
    situation: &Situation<'_>,
    written: &ast::Condition,
    condition: &ir::Condition,
    clustering: Option<&Option<Result<(), Reason>>>,
) -> Served {
    let model = situation.model;
    let field = condition.field.as_str();
    let is_partition = model.key.partition.iter().any(|p| p == field);
    let key_reason = if is_partition {
        let served_by_key = matches!(condition.op, Operator::Eq | Operator::In);
        if served_by_key && situation.partition_restricted {
            return Served::Key;
        }
        // One mistake, one error: when another partition key column is
        // compared with a range, that condition's error says why the
        // partition key is not served; this `=` is not wrong.
        let range_elsewhere = situation.conditions.iter().any(|(_, other)| {
            other.field != field
                && model.key.partition.contains(&other.field)
                && !matches!(other.op, Operator::Eq | Operator::In)
        });
        if served_by_key && range_elsewhere {
            return Served::Key;
        }
        Reason {
            span: written.span,
            message: partition_message(model, situation.conditions, field, condition.op),
            label: format!("partition key column `{field}`"),
            help: partition_help(model, situation.conditions, field, condition.op),
        }
    } else if let Some(Some(verdict)) = clustering {
        match verdict {
            Ok(()) => return Served::Key,
            Err(reason) => reason.clone(),
        }
    } else {
        let message = if situation.index_used {
            format!("`{field}` is not indexed, so it is filtered after the index lookup")
        } else if situation.partition_restricted {
            format!("`{field}` is neither a key column nor indexed")
        } else {
            partition_message(model, situation.conditions, field, condition.op)
        };
        // An index on a map holds its values, so suggesting one for
        // `contains key` would only lead to the next error.
        let help = if condition.op == Operator::ContainsKey {
            format!(
                "an `index ({field})` would hold the map's values, which can't serve `contains key`: restrict the partition key ({}) by `=`, or write `allow filtering` to accept the scan",
                model
                    .key
                    .partition
                    .iter()
                    .map(|column| format!("`{column}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!(
                "add `index ({field})` to model `{}`, or write `allow filtering` to accept the scan",
                model.name
            )
        };
        Reason {
            span: written.span,
            message,
            label: format!("column `{field}`"),
            help,
        }
    };
    let by_index = served_by_index(model, field, condition.op, condition.entry.is_some());
    match by_index {
        Some(Ok(())) => Served::Index,
        Some(Err(unsupported)) => Served::Filtering(Reason {
            span: written.span,
            message: unsupported.reason,
            label: format!("`{}` is not served by the index", condition.op.as_str()),
            help: format!(
                "{}, or write `allow filtering` to accept the scan",
                unsupported.fix
            ),
        }),
        None => Served::Filtering(key_reason),
    }
}

/// Why a condition on `field` (by `op`) is not served when the partition
/// key is not fully restricted by `=` or `in`.
fn partition_message(
    model: &ir::Model,
    conditions: &[(&ast::Condition, ir::Condition)],
    field: &str,
    op: Operator,
) -> String {
    let missing: Vec<String> = model
        .key
        .partition
        .iter()
        .filter(|p| {
            !conditions
                .iter()
                .any(|(_, c)| &c.field == *p && matches!(c.op, Operator::Eq | Operator::In))
        })
        .map(|p| format!("`{p}`"))
        .collect();
    let missing_text = match missing.as_slice() {
        [one] => format!("{one} has"),
        [init @ .., last] => format!("{} and {last} have", init.join(", ")),
        [] => "nothing has".to_owned(),
    };
    let is_partition = model.key.partition.iter().any(|p| p == field);
    if is_partition && !matches!(op, Operator::Eq | Operator::In) {
        format!(
            "partition key column `{field}` is restricted by `{}`, but the partition key takes only `=` or `in`, so every partition is read",
            op.as_str(),
        )
    } else if is_partition {
        format!(
            "partition key column `{field}` is restricted, but {missing_text} no `=` or `in`, so every partition is read"
        )
    } else {
        format!(
            "the partition key is not restricted ({missing_text} no `=` or `in`), so `{field}` is compared in every partition"
        )
    }
}

/// How to serve a condition that fails on the partition key.
fn partition_help(
    model: &ir::Model,
    conditions: &[(&ast::Condition, ir::Condition)],
    field: &str,
    op: Operator,
) -> String {
    if model.key.partition.iter().any(|p| p == field) && !matches!(op, Operator::Eq | Operator::In)
    {
        return format!(
            "compare `{field}` with `=` or `in`, or write `allow filtering` to accept the scan"
        );
    }
    let missing: Vec<String> = model
        .key
        .partition
        .iter()
        .filter(|p| {
            !conditions
                .iter()
                .any(|(_, c)| &c.field == *p && matches!(c.op, Operator::Eq | Operator::In))
        })
        .map(|p| format!("`{p}`"))
        .collect();
    format!(
        "restrict {} with `=` or `in` too (the partition key of `{}` is ({})), or write `allow filtering` to accept the scan",
        missing.join(" and "),
        model.name,
        model.key.partition.join(", ")
    )
}

pub(super) fn resolve_condition(
    condition: &ast::Condition,
    model: &ir::Model,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Condition> {
    let Some(field) = model.field(&condition.column.name) else {
        unknown_model_field(model, &condition.column, ctx);
        return None;
    };
    let op = operator(condition.operator.kind);
    if let Some(key) = &condition.entry {
        return map_entry_condition(condition, key, field, symbols, params, ctx);
    }
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
        entry: None,
        op,
        operand,
        span: condition.span,
    })
}

/// `m[?key] = ?value`: one entry of a non-frozen map (served only by an
/// `entries(m)` index).
fn map_entry_condition(
    condition: &ast::Condition,
    key: &ast::Operand,
    field: &ir::Field,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Condition> {
    let Type::Map(key_ty, value_ty) = &field.ty else {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}[…]` compares one entry of a map, and `{}` is `{}`",
                field.name, field.name, field.ty
            ),
            condition.column.span,
            "not a non-frozen map",
        )
        .help(format!(
            "compare the whole value: `{} = ?value`",
            field.name
        ));
        return None;
    };
    if condition.operator.kind != ast::OperatorKind::Eq {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "a map entry is compared with `=`, not `{}`",
                condition.operator.kind.as_str()
            ),
            condition.operator.span,
            "not `=`",
        )
        .help(format!("`{}[?key] = ?value`", field.name));
        return None;
    }
    let key = value_operand(key, key_ty, symbols, params, ctx)?;
    let value = value_operand(&condition.operand, value_ty, symbols, params, ctx)?;
    Some(ir::Condition {
        field: field.name.clone(),
        entry: Some(key),
        op: Operator::Eq,
        operand: value,
        span: condition.span,
    })
}

/// One value of type `ty`: a `?param` or a literal.
pub(super) fn value_operand(
    operand: &ast::Operand,
    ty: &Type,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Operand> {
    match &operand.kind {
        ast::OperandKind::Param(name) => {
            params.add(name, ty.clone(), false, ctx);
            Some(ir::Operand::Param(name.name.clone()))
        }
        ast::OperandKind::Literal(literal) => {
            Some(ir::Operand::Literal(literal_for(literal, ty, ctx)?))
        }
        ast::OperandKind::Enum(value) => Some(ir::Operand::Literal(enum_literal(
            value,
            Some(ty),
            symbols,
            ctx,
        )?)),
    }
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
    )
    .help(match condition.operator.kind {
        ast::OperatorKind::Contains => format!(
            "`contains` tests the elements of a collection; compare `{}` with `=`",
            field.name
        ),
        ast::OperatorKind::ContainsKey => format!(
            "`contains key` tests the keys of a map; use `contains` for the elements of other collections, `=` for other values (`{}`)",
            field.name
        ),
        ast::OperatorKind::Eq | ast::OperatorKind::In if field.ty.is_unfrozen_collection() => {
            format!("test an element with `{} contains ?value`", field.name)
        }
        ast::OperatorKind::Eq
        | ast::OperatorKind::In
        | ast::OperatorKind::Lt
        | ast::OperatorKind::Le
        | ast::OperatorKind::Gt
        | ast::OperatorKind::Ge => {
            if field.ty.is_counter() {
                "counters are not compared in queries; read the row by its key".to_owned()
            } else {
                format!("`{ty}` values have no order; compare `{}` with `=`", field.name)
            }
        }
    });
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
