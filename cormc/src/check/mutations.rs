//! `mutation` items: what each assignment, delete and condition may do to
//! its column, and which rows the `where` clause names, as Cassandra's
//! `UPDATE`, `DELETE` and lightweight transactions allow.
//!
//! - `set` names one row: every key column restricted by `=` (the
//!   partition key may use `in` without `if`); or, when every column it
//!   sets is `@static`, one partition (its partition key by `=`).
//! - `delete` of rows names a partition (partition key by `=` or `in`),
//!   then a prefix of the clustering key by `=`, and may end with a range
//!   on the next clustering column (a range delete). `delete` of columns or
//!   entries names one row, or one partition when every column is static.
//! - `if` needs exactly one row (or, for static columns only, one
//!   partition) named by `=`: a lightweight transaction is per row.
//! - A named mutation writes columns as given: `@unique` and `@validate`
//!   fields are refused (the repository's `update` keeps their claims and
//!   rules), key columns can't be written, and `@on_update(now)` columns
//!   are set to now by every `set` that names a row.

use super::context::{Annotate, Context};
use super::models::unknown_model_field;
use super::names::Symbols;
use super::queries::target_model;
use super::restrictions::{Params, resolve_condition, value_operand};
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Operator, Scalar, Type};
use rustc_hash::FxHashMap;

/// Checks one `mutation`.
pub(super) fn check_mutation(
    mutation: &ast::Mutation,
    models: &FxHashMap<&str, &ir::Model>,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Mutation> {
    let model = target_model(&mutation.target, models, symbols, ctx)?;
    if model.is_counter_table()
        && let Some(clause) = &mutation.if_clause
    {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}` is a counter table, which takes no conditional writes",
                model.name
            ),
            clause.span,
            "not on counters",
        )
        .help("Cassandra refuses `IF` on counter updates; remove the `if`");
        return None;
    }
    if model.view_of.is_some() {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}` is a materialized view, which only Cassandra writes",
                model.name
            ),
            mutation.target.span,
            "read-only",
        )
        .help("write the base model; Cassandra updates the view");
        return None;
    }
    if let Some(changes) = &model.changes {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}` has a change log, which a named mutation would bypass",
                model.name
            ),
            mutation.target.span,
            "its writes record changes",
        )
        .label(changes.span, "the change log")
        .help("write it through the repository (`update`, `delete`), whose writes record their changes, or remove `changes`");
        return None;
    }
    let mut params = Params::default();
    let mut ok = true;
    let action = match (&mutation.set, &mutation.delete) {
        (Some(set), None) => {
            let assignments: Vec<ir::Assignment> = set
                .assignments
                .iter()
                .filter_map(|a| {
                    let checked = assignment(a, model, symbols, &mut params, ctx);
                    ok &= checked.is_some();
                    checked
                })
                .collect();
            ir::MutationAction::Update(assignments)
        }
        (None, Some(delete)) => {
            let targets: Vec<ir::DeleteTarget> = delete
                .targets
                .iter()
                .filter_map(|t| {
                    let checked = delete_target(t, model, symbols, &mut params, ctx);
                    ok &= checked.is_some();
                    checked
                })
                .collect();
            ir::MutationAction::Delete(targets)
        }
        (Some(set), Some(delete)) => {
            ctx.error(
                Code::OperatorMismatch,
                format!("mutation `{}` both sets and deletes", mutation.name.name),
                delete.span,
                "a second action",
            )
            .label(set.span, "sets here")
            .help(
                "a mutation is one CQL statement, an `UPDATE` or a `DELETE`: write two mutations",
            );
            return None;
        }
        (None, None) => {
            ctx.error(
                Code::MissingClause,
                format!("mutation `{}` writes nothing", mutation.name.name),
                mutation.name.span,
                "no `set` or `delete`",
            )
            .help("add `set column = ?value` or `delete` (rows) / `delete column` (columns)");
            return None;
        }
    };
    let static_only = match &action {
        ir::MutationAction::Update(assignments) => {
            !assignments.is_empty() && assignments.iter().all(|a| is_static(model, &a.field))
        }
        ir::MutationAction::Delete(targets) => {
            !targets.is_empty() && targets.iter().all(|t| is_static(model, &t.field))
        }
    };
    let Some(where_clause) = &mutation.where_clause else {
        ctx.error(
            Code::MissingClause,
            format!("mutation `{}` has no `where`", mutation.name.name),
            mutation.name.span,
            "writes which rows?",
        )
        .help(format!("name the row: `where {}`", key_example(model)));
        return None;
    };
    let conditions: Vec<ir::Condition> = where_clause
        .conditions
        .iter()
        .filter_map(|c| {
            let checked = resolve_condition(c, model, symbols, &mut params, ctx);
            ok &= checked.is_some();
            checked
        })
        .collect();
    let check = mutation
        .if_clause
        .as_ref()
        .map(|clause| match &clause.kind {
            ast::IfKind::Exists => ir::Check::Exists,
            ast::IfKind::Conditions(written) => {
                let checked: Vec<ir::Condition> = written
                    .iter()
                    .filter_map(|c| {
                        let resolved = if_condition(c, model, symbols, &mut params, ctx);
                        ok &= resolved.is_some();
                        resolved
                    })
                    .collect();
                ir::Check::Conditions(checked)
            }
        });
    if !ok {
        return None;
    }
    let shape = Shape {
        mutation,
        model,
        action: &action,
        static_only,
        conditional: mutation.if_clause.as_ref().map(|c| c.span),
    };
    if !shape.check_where(&conditions, where_clause.span, ctx) {
        return None;
    }
    Some(ir::Mutation {
        name: mutation.name.name.clone(),
        doc: mutation.doc.as_ref().map(|doc| doc.text.clone()),
        model: model.name.clone(),
        action,
        conditions,
        check,
        static_only,
        params: params.into_vec(),
        span: mutation.span,
    })
}

fn is_static(model: &ir::Model, field: &str) -> bool {
    model.field(field).is_some_and(|f| f.is_static)
}

/// `where a = ?a and b = ?b` for `model`'s key.
fn key_example(model: &ir::Model) -> String {
    model
        .key
        .partition
        .iter()
        .chain(model.key.clustering.iter().map(|c| &c.field))
        .map(|f| format!("{f} = ?{f}"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The field an assignment or delete writes, refused when a mutation may
/// not write it.
fn writable<'m>(
    column: &ast::Ident,
    model: &'m ir::Model,
    ctx: &mut Context,
) -> Option<&'m ir::Field> {
    let Some(field) = model.field(&column.name) else {
        unknown_model_field(model, column, ctx);
        return None;
    };
    let refusal = if model.key.contains(&field.name) {
        Some((
            "a key column",
            format!(
                "a key column can't change: delete the row and insert it with the new `{}`",
                field.name
            ),
        ))
    } else if field.unique {
        Some((
            "`@unique`",
            "the repository's `update` moves the unique claim with the value; use it".to_owned(),
        ))
    } else if !field.validations.is_empty() {
        Some((
            "`@validate`d",
            "the repository's `update` checks the rules before writing; use it".to_owned(),
        ))
    } else {
        None
    };
    if let Some((what, help)) = refusal {
        ctx.error(
            Code::OperatorMismatch,
            format!("a mutation can't write `{}`: it is {what}", field.name),
            column.span,
            "not writable here",
        )
        .help(help);
        return None;
    }
    Some(field)
}

/// One `set` assignment.
fn assignment(
    assignment: &ast::Assignment,
    model: &ir::Model,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Assignment> {
    let field = writable(&assignment.column, model, ctx)?;
    let op = match assignment.op {
        ast::AssignOp::Set => ir::AssignOp::Set,
        ast::AssignOp::Add => ir::AssignOp::Add,
        ast::AssignOp::Remove => ir::AssignOp::Remove,
    };
    let mismatch = |needs: &str, help: String, ctx: &mut Context| {
        ctx.error(
            Code::OperatorMismatch,
            format!(
                "`{}` needs {needs}, and `{}` is `{}`",
                assignment.op.as_str(),
                field.name,
                field.ty
            ),
            assignment.op_span,
            "does not fit the column",
        )
        .help(help);
        None
    };
    let counter = field.ty.is_counter();
    if let Some(entry) = &assignment.entry {
        let (key_ty, value_ty) = match field.ty.clone() {
            Type::Map(key, value) => (*key, *value),
            Type::List(item) => (Type::Scalar(Scalar::Int), *item),
            _ => {
                return mismatch(
                    "a non-frozen map or list",
                    format!("`{}[…]` writes one entry of a map or list", field.name),
                    ctx,
                );
            }
        };
        if op != ir::AssignOp::Set {
            return mismatch(
                "a whole collection",
                format!("write the entry with `{}[?key] = ?value`", field.name),
                ctx,
            );
        }
        let entry = value_operand(entry, &key_ty, symbols, params, ctx)?;
        let value = value_operand(&assignment.value, &value_ty, symbols, params, ctx)?;
        return Some(ir::Assignment {
            field: field.name.clone(),
            entry: Some(entry),
            op,
            value,
        });
    }
    let value_ty = match (op, field.ty.clone()) {
        (ir::AssignOp::Set, _) if counter => {
            return mismatch(
                "a column that is not a counter",
                format!(
                    "a counter only changes by a delta: `{0} += ?n` or `{0} -= ?n`",
                    field.name
                ),
                ctx,
            );
        }
        (ir::AssignOp::Set, ty) => ty,
        (_, Type::Scalar(Scalar::Counter)) => Type::Scalar(Scalar::Bigint),
        (_, ty @ (Type::List(_) | Type::Set(_))) => ty,
        (ir::AssignOp::Add, ty @ Type::Map(..)) => ty,
        (ir::AssignOp::Remove, Type::Map(key, _)) => Type::Set(key),
        _ => {
            return mismatch(
                "a non-frozen list, set or map, or a counter",
                format!("`{}` is written whole: `{} = ?value`", field.ty, field.name),
                ctx,
            );
        }
    };
    let value = value_operand(&assignment.value, &value_ty, symbols, params, ctx)?;
    Some(ir::Assignment {
        field: field.name.clone(),
        entry: None,
        op,
        value,
    })
}

/// One column (or entry) of `delete`.
fn delete_target(
    target: &ast::DeleteTarget,
    model: &ir::Model,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::DeleteTarget> {
    let field = writable(&target.column, model, ctx)?;
    let entry = match &target.entry {
        None => None,
        Some(key) => {
            let key_ty = match &field.ty {
                Type::Map(key, _) => (**key).clone(),
                Type::List(_) => Type::Scalar(Scalar::Int),
                other => {
                    ctx.error(
                        Code::OperatorMismatch,
                        format!(
                            "`{}[…]` needs a non-frozen map or list, and `{}` is `{other}`",
                            field.name, field.name
                        ),
                        target.span,
                        "no entries",
                    )
                    .help(format!("delete the whole column: `delete {}`", field.name));
                    return None;
                }
            };
            Some(value_operand(key, &key_ty, symbols, params, ctx)?)
        }
    };
    Some(ir::DeleteTarget {
        field: field.name.clone(),
        entry,
    })
}

/// A condition of `if`: a non-key column compared with `=`, `<`, `<=`,
/// `>`, `>=` or `in`.
fn if_condition(
    condition: &ast::Condition,
    model: &ir::Model,
    symbols: &Symbols<'_>,
    params: &mut Params,
    ctx: &mut Context,
) -> Option<ir::Condition> {
    if model.key.contains(&condition.column.name) {
        ctx.error(
            Code::OperatorMismatch,
            format!("`if` can't test the key column `{}`", condition.column.name),
            condition.column.span,
            "a key column",
        )
        .help("the `where` clause names the row; `if` tests its other columns (or `if exists`)");
        return None;
    }
    if matches!(
        condition.operator.kind,
        ast::OperatorKind::Contains | ast::OperatorKind::ContainsKey
    ) {
        ctx.error(
            Code::OperatorMismatch,
            "`if` compares columns with `=`, `<`, `<=`, `>`, `>=` or `in`",
            condition.operator.span,
            "not in a condition",
        );
        return None;
    }
    resolve_condition(condition, model, symbols, params, ctx)
}

/// What a mutation writes, for checking its `where`.
struct Shape<'a> {
    mutation: &'a ast::Mutation,
    model: &'a ir::Model,
    action: &'a ir::MutationAction,
    static_only: bool,
    conditional: Option<Span>,
}

impl Shape<'_> {
    /// Whether the `where` names what the mutation may write; reports why
    /// not.
    fn check_where(&self, conditions: &[ir::Condition], span: Span, ctx: &mut Context) -> bool {
        let model = self.model;
        let find = |field: &str| conditions.iter().find(|c| c.field == field);
        let rows_delete = matches!(self.action, ir::MutationAction::Delete(t) if t.is_empty());
        let conditional = self.conditional.is_some();
        let mut refuse = |message: String, at: Span, label: &str, help: String| {
            ctx.error(Code::OperatorMismatch, message, at, label.to_owned())
                .help(help);
            false
        };
        // Only key columns, each once, by `=`, `in` or (clustering) a range;
        // a row delete's range column may have one lower and one upper bound.
        for (i, condition) in conditions.iter().enumerate() {
            let earlier: Vec<&ir::Condition> = conditions[..i]
                .iter()
                .filter(|c| c.field == condition.field)
                .collect();
            if let Some(first) = earlier.first() {
                let lower = |op: Operator| matches!(op, Operator::Gt | Operator::Ge);
                let upper = |op: Operator| matches!(op, Operator::Lt | Operator::Le);
                let bounds = rows_delete
                    && !conditional
                    && earlier.len() == 1
                    && ((lower(first.op) && upper(condition.op))
                        || (upper(first.op) && lower(condition.op)));
                if !bounds {
                    return refuse(
                        format!("`{}` is restricted twice", condition.field),
                        condition.span,
                        "again",
                        "restrict each key column once (a row delete may bound its range column from both sides)".to_owned(),
                    );
                }
            }
            if !model.key.contains(&condition.field) {
                return refuse(
                    format!(
                        "a mutation's `where` names rows by their key, and `{}` is not a key column",
                        condition.field
                    ),
                    condition.span,
                    "not a key column",
                    format!("restrict the key: `where {}`", key_example(model)),
                );
            }
            if matches!(condition.op, Operator::Contains | Operator::ContainsKey) {
                return refuse(
                    "a mutation's `where` compares key columns with `=`, `in` or a range"
                        .to_owned(),
                    condition.span,
                    "not here",
                    format!("restrict the key: `where {}`", key_example(model)),
                );
            }
        }
        for column in &model.key.partition {
            match find(column) {
                Some(c) if c.op == Operator::Eq => {}
                Some(c) if c.op == Operator::In && !conditional && !self.static_only => {}
                Some(c) => {
                    return refuse(
                        format!(
                            "a mutation writes whole partitions by `{column} = ?…`{}",
                            if conditional {
                                " (a conditional one, exactly one)"
                            } else {
                                " or `in`"
                            }
                        ),
                        c.span,
                        "not `=`",
                        format!("restrict it with `{column} = ?{column}`"),
                    );
                }
                None => {
                    return refuse(
                        format!(
                            "the `where` of `{}` leaves out the partition key column `{column}`",
                            self.mutation.name.name
                        ),
                        span,
                        "which partition?",
                        format!("restrict the key: `where {}`", key_example(model)),
                    );
                }
            }
        }
        // The clustering key: a prefix by `=`, then at most one range (row deletes only).
        let mut restricted = 0;
        let mut ranged = false;
        for column in &model.key.clustering {
            let Some(c) = find(&column.field) else { break };
            if ranged {
                return refuse(
                    format!(
                        "`{}` follows a range on an earlier clustering column",
                        column.field
                    ),
                    c.span,
                    "after a range",
                    "only the last restricted clustering column may take a range".to_owned(),
                );
            }
            match c.op {
                Operator::Eq => {}
                op if op.is_range() && rows_delete && !conditional => ranged = true,
                Operator::In if !conditional => {}
                op => {
                    let message = if op.is_range() {
                        format!(
                            "a range on `{}` names many rows, and only a `delete` of rows (without `if`) takes one",
                            column.field
                        )
                    } else {
                        format!(
                            "`{} {}` names several rows, and a conditional mutation names one",
                            column.field,
                            op.as_str()
                        )
                    };
                    return refuse(
                        message,
                        c.span,
                        "not `=`",
                        format!("name one row: `{0} = ?{0}`", column.field),
                    );
                }
            }
            restricted += 1;
        }
        let later = model.key.clustering[restricted..]
            .iter()
            .find_map(|column| find(&column.field));
        if let Some(c) = later {
            return refuse(
                format!(
                    "`{}` is restricted but an earlier clustering column is not",
                    c.field
                ),
                c.span,
                "skips a clustering column",
                "restrict the clustering columns in key order".to_owned(),
            );
        }
        let whole_row = restricted == model.key.clustering.len() && !ranged;
        let by_partition = restricted == 0;
        let allowed = if rows_delete {
            !conditional || whole_row
        } else if self.static_only {
            by_partition || whole_row
        } else {
            whole_row
        };
        if allowed {
            return true;
        }
        let what = match self.action {
            ir::MutationAction::Update(_) => "an update",
            ir::MutationAction::Delete(_) if rows_delete => "a conditional delete",
            ir::MutationAction::Delete(_) => "a delete of columns",
        };
        refuse(
            format!(
                "{what} names one row{}: restrict every key column with `=`",
                if self.static_only {
                    " or one partition"
                } else {
                    ""
                }
            ),
            span,
            "not one row",
            format!("`where {}`", key_example(model)),
        )
    }
}
