//! The view of a named mutation: one repository method running one
//! `UPDATE` or `DELETE`, and for a conditional one (`if col …`) a struct of
//! the current values Cassandra returns when it does not apply.
//!
//! Statements: `UPDATE <table> USING TTL ? SET … WHERE … [IF …]` (the TTL of
//! the repository's options, unset for none; counter tables take no TTL),
//! `DELETE [columns] FROM <table> WHERE … [IF …]`. A `set` that names a
//! whole row also sets the model's `@on_update(now)` columns to now.

use super::super::TypesFile;
use super::super::ident::{bare, field_ident, type_ident};
use super::super::items::ModelView;
use super::super::rust_type::rust_type;
use super::{
    MAX_ARGS, ParamView, StatementView, column, cql_literal, method_doc, param_ident, param_idents,
    param_type, type_uses, where_parts, within_tuple_limit,
};
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir::{self, AssignOp, Operand};

/// A named mutation: a method of its model's repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutationView {
    /// Doc lines of the method.
    pub doc: Vec<String>,
    /// The repository type (`RoomRepository`).
    pub repo: String,
    /// The method name.
    pub ident: String,
    /// The statement the method runs.
    pub statement: StatementView,
    /// The parameters, in order.
    pub params: Vec<ParamView>,
    /// The values bound: the items of a Rust tuple.
    pub values: Vec<String>,
    /// Whether the values use `now` (an `@on_update(now)` column).
    pub now: bool,
    /// What the method returns.
    pub outcome: Outcome,
    /// Whether the method takes more arguments than clippy likes.
    pub many_args: bool,
}

/// What a generated mutation returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `()`.
    Done,
    /// `bool`: whether `if exists` held.
    Exists,
    /// `corm::Conditional<current>`.
    Conditional(CurrentView),
}

/// The current values a conditional mutation returns when it does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentView {
    /// The struct's name (`RenameRoomCurrent`).
    pub ident: String,
    /// Doc lines of the struct.
    pub doc: Vec<String>,
    /// Its fields: `(ident, Rust type without Option, CQL column name)`.
    pub fields: Vec<(String, String, String)>,
}

impl Outcome {
    /// The method's return type inside `corm::Result`.
    #[must_use]
    pub fn returns(&self) -> String {
        match self {
            Self::Done => "()".to_owned(),
            Self::Exists => "bool".to_owned(),
            Self::Conditional(current) => format!("corm::Conditional<{}>", current.ident),
        }
    }
}

/// The view of `mutation` on `model`.
pub(super) fn mutation_view(
    mutation: &ir::Mutation,
    model: &ir::Model,
    view: &ModelView,
    types: &TypesFile,
    index: usize,
    uses: &mut Vec<String>,
) -> Result<MutationView, CodegenError> {
    let what = format!("mutation `{}`", mutation.name);
    let params = param_idents(&mutation.params);
    let table = quote(&model.table).into_owned();
    let mut values: Vec<String> = Vec::new();
    let mut now = false;
    // Counter updates and list appends add again when run again.
    let mut adds_again = false;
    let marker = |operand: &Operand,
                  ty: Option<&ir::Type>,
                  values: &mut Vec<String>|
     -> Result<String, CodegenError> {
        match operand {
            Operand::Param(name) => {
                values.push(param_ident(&params, name, &what)?);
                Ok("?".to_owned())
            }
            Operand::Literal(literal) => cql_literal(literal, ty, &what),
        }
    };
    let (head, mut tail, mut details) = match &mutation.action {
        ir::MutationAction::Update(assignments) => {
            let counter = model.is_counter_table();
            let mut sets = Vec::new();
            for assignment in assignments {
                let field = model.field(&assignment.field);
                let col = column(model, &assignment.field);
                let ty = field.map(|f| &f.ty);
                let set = match (&assignment.entry, assignment.op) {
                    (Some(key), _) => {
                        let key_ty = match ty.map(ir::Type::unfrozen) {
                            Some(ir::Type::Map(key, _)) => Some((**key).clone()),
                            _ => Some(ir::Type::Scalar(ir::Scalar::Int)),
                        };
                        let value_ty = match ty.map(ir::Type::unfrozen) {
                            Some(ir::Type::Map(_, value) | ir::Type::List(value)) => {
                                Some((**value).clone())
                            }
                            _ => None,
                        };
                        let key = marker(key, key_ty.as_ref(), &mut values)?;
                        let value = marker(&assignment.value, value_ty.as_ref(), &mut values)?;
                        format!("{col}[{key}] = {value}")
                    }
                    (None, AssignOp::Set) => {
                        format!("{col} = {}", marker(&assignment.value, ty, &mut values)?)
                    }
                    (None, op) => {
                        adds_again |= op == AssignOp::Add
                            && ty.is_some_and(|ty| matches!(ty.unfrozen(), ir::Type::List(_)))
                            || ty.is_some_and(ir::Type::is_counter);
                        let value = marker(&assignment.value, None, &mut values)?;
                        // The driver binds a counter's delta as a `Counter`.
                        if ty.is_some_and(ir::Type::is_counter)
                            && let (Operand::Param(_), Some(last)) =
                                (&assignment.value, values.last_mut())
                        {
                            *last = format!("corm::Counter({last})");
                        }
                        let sign = if op == AssignOp::Add { '+' } else { '-' };
                        format!("{col} = {col} {sign} {value}")
                    }
                };
                sets.push(set);
            }
            if !mutation.static_only {
                for field in model.fields.iter().filter(|f| f.on_update_now) {
                    if assignments.iter().any(|a| a.field == field.name) {
                        continue;
                    }
                    let now_field = super::super::db::now_field(
                        &field.ty,
                        &format!("`{}.{}`", model.name, field.name),
                    )?;
                    sets.push(format!("{} = ?", quote(&field.cql_name)));
                    values.push(format!("now.{now_field}"));
                    now = true;
                }
            }
            let mut details = vec![
                "Writes only the columns it sets (no validation, no unique claims: those fields are refused in mutations)."
                    .to_owned(),
            ];
            let using = if counter {
                String::new()
            } else {
                values.insert(0, "self.base.options().bound_ttl()".to_owned());
                details.push(
                    "The cells it writes take the TTL of the repository's options (none when unset)."
                        .to_owned(),
                );
                " USING TTL ?".to_owned()
            };
            if now {
                details.push("Sets the `@on_update(now)` columns to now.".to_owned());
            }
            (
                "UPDATE ".to_owned(),
                format!("{using} SET {}", sets.join(", ")),
                details,
            )
        }
        ir::MutationAction::Delete(targets) => {
            let mut columns = Vec::new();
            for target in targets {
                let col = column(model, &target.field);
                match &target.entry {
                    Some(key) => {
                        let key_ty = match model.field(&target.field).map(|f| f.ty.unfrozen()) {
                            Some(ir::Type::Map(key, _)) => Some((**key).clone()),
                            _ => Some(ir::Type::Scalar(ir::Scalar::Int)),
                        };
                        let key = marker(key, key_ty.as_ref(), &mut values)?;
                        columns.push(format!("{col}[{key}]"));
                    }
                    None => columns.push(col),
                }
            }
            let head = if columns.is_empty() {
                "DELETE FROM ".to_owned()
            } else {
                format!("DELETE {} FROM ", columns.join(", "))
            };
            let detail = if columns.is_empty() {
                "Deletes the rows the `where` clause names (one tombstone for a range)."
            } else {
                "Deletes the columns named, leaving the rest of the row."
            };
            (head, String::new(), vec![detail.to_owned()])
        }
    };
    let (where_text, where_values) = where_parts(&mutation.conditions, model, &params, &what)?;
    tail.push_str(&format!(" WHERE {where_text}"));
    values.extend(where_values);
    let outcome = match &mutation.check {
        None => Outcome::Done,
        Some(ir::Check::Exists) => {
            tail.push_str(" IF EXISTS");
            details.push(
                "A lightweight transaction: returns `false`, writing nothing, when the row does not exist."
                    .to_owned(),
            );
            Outcome::Exists
        }
        Some(ir::Check::Conditions(conditions)) => {
            let (text, if_values) = where_parts(conditions, model, &params, &what)?;
            tail.push_str(&format!(" IF {text}"));
            values.extend(if_values);
            details.push(
                "A lightweight transaction: when the condition does not hold, nothing is written and the current values of the columns it tests are returned."
                    .to_owned(),
            );
            Outcome::Conditional(current_view(
                mutation, conditions, model, view, &what, uses,
            )?)
        }
    };
    if mutation.check.is_some() && !matches!(mutation.action, ir::MutationAction::Delete(_)) {
        details.push(
            "Cassandra refuses a write time (`Options::timestamp`) on a lightweight transaction."
                .to_owned(),
        );
    }
    let cql = format!("{head}<keyspace>.{table}{tail}");
    let doc = method_doc(
        mutation.doc.as_deref(),
        &format!("The mutation `{}` of `{}`.", mutation.name, model.name),
        &details,
        &cql,
        "",
    );
    uses.push(view.ident.clone());
    let mut param_views = Vec::new();
    for (ident, param) in &params {
        type_uses(&param.ty, uses);
        param_views.push(ParamView {
            ident: ident.clone(),
            ty: param_type(&param.ty, param.list, &what, types)?,
        });
    }
    Ok(MutationView {
        doc,
        repo: format!("{}Repository", bare(&view.ident)),
        ident: field_ident(&mutation.name),
        statement: StatementView {
            // Conditional writes are found in the text by the runtime too.
            idempotent: !adds_again && mutation.check.is_none(),
            ..StatementView::new(index, &head, &tail)
        },
        many_args: param_views.len() + 1 > MAX_ARGS,
        params: param_views,
        values: within_tuple_limit(values, &what)?,
        now,
        outcome,
    })
}

/// The struct of current values of a conditional mutation's columns.
fn current_view(
    mutation: &ir::Mutation,
    conditions: &[ir::Condition],
    model: &ir::Model,
    view: &ModelView,
    what: &str,
    uses: &mut Vec<String>,
) -> Result<CurrentView, CodegenError> {
    let mut fields: Vec<(String, String, String)> = Vec::new();
    for condition in conditions {
        let Some(field) = model.field(&condition.field) else {
            continue;
        };
        let ident = field_ident(&field.name);
        if fields.iter().any(|(existing, _, _)| *existing == ident) {
            continue;
        }
        type_uses(&field.ty, uses);
        let ty = rust_type(&field.ty, what)?.path;
        fields.push((ident, ty, field.cql_name.clone()));
    }
    let ident = format!("{}Current", type_ident(&mutation.name));
    let doc = super::super::doc::doc_lines(
        Some(&format!(
            "The current values of the columns that the `if` of [`{}Repository::{}`] tests, returned when the mutation did not apply (each `None` when null, or when the row does not exist).",
            bare(&view.ident),
            field_ident(&mutation.name)
        )),
        "",
    );
    Ok(CurrentView { ident, doc, fields })
}
