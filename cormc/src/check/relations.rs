//! Relations: the target exists, the named fields line up with the
//! referenced key in number and type, and the loaders can read the related
//! rows without `ALLOW FILTERING`.
//!
//! A `belongs_to` holds the target's whole primary key, so it is always a
//! read by key. A `has_many`/`has_one` reads the target's rows whose fields
//! hold this model's key; that is served when those fields are the target's
//! partition key (a partition read), or when the relation names one field
//! with an `index` that serves `=` on it (an index query). Anything else
//! would need `ALLOW FILTERING`, or a lookup table corm would have to
//! maintain behind every write; corm does neither and reports E0702, which
//! says how to key or index the target.

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::index_support::{is_indexed, served_by_index};
use super::models::unknown_model_field;
use super::names::{check_snake, unique_member};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir::{self, Operator, RelationKind};

/// Checks the relations of every model and attaches them to the IR models.
pub(super) fn check_relations(
    written: &[&ast::Model],
    models: &mut [ir::Model],
    ctx: &mut Context,
) {
    let declared: FxHashMap<&str, &ast::Model> = written
        .iter()
        .map(|decl| (decl.name.name.as_str(), *decl))
        .collect();
    let by_name: FxHashMap<&str, &ir::Model> = models
        .iter()
        .map(|model| (model.name.as_str(), model))
        .collect();
    let mut resolved: Vec<(usize, ir::Relation)> = Vec::new();
    for (index, model) in models.iter().enumerate() {
        let Some(decl) = declared.get(model.name.as_str()) else {
            continue;
        };
        if decl.relations.is_empty() {
            continue;
        }
        let mut seen = FxHashMap::default();
        for field in &decl.fields {
            seen.insert(field.name.name.as_str(), field.name.span);
        }
        for relation in &decl.relations {
            if !unique_member(&mut seen, &relation.name, "relation or field", ctx) {
                continue;
            }
            check_snake(&relation.name, "relation", ctx);
            let Some(checked) = check_relation(relation, model, &by_name, &declared, ctx) else {
                continue;
            };
            let target = by_name.get(checked.target.as_str()).copied();
            let served = match (checked.kind, target) {
                (RelationKind::HasMany | RelationKind::HasOne, Some(target)) => {
                    let target_decl = declared.get(target.name.as_str()).copied();
                    check_served(relation, target, target_decl, ctx)
                }
                (RelationKind::BelongsTo, _) | (_, None) => true,
            };
            if served {
                resolved.push((index, checked));
            }
        }
    }
    for (index, relation) in resolved {
        if let Some(model) = models.get_mut(index) {
            model.relations.push(relation);
        }
    }
}

fn check_relation(
    relation: &ast::Relation,
    model: &ir::Model,
    models: &FxHashMap<&str, &ir::Model>,
    declared: &FxHashMap<&str, &ast::Model>,
    ctx: &mut Context,
) -> Option<ir::Relation> {
    let Some(target) = models.get(relation.target.name.as_str()).copied() else {
        // A model that is declared but has errors of its own: those say
        // what is wrong, and the relation is checked once they are fixed.
        if declared.contains_key(relation.target.name.as_str()) {
            return None;
        }
        let diagnostic = ctx.error(
            Code::UnknownModel,
            format!("unknown model `{}`", relation.target.name),
            relation.target.span,
            "relations point at models",
        );
        if let Some(help) = did_you_mean(&relation.target.name, models.keys().copied()) {
            diagnostic.help(help);
        }
        return None;
    };
    let kind = match relation.kind {
        ast::RelationKind::HasMany => RelationKind::HasMany,
        ast::RelationKind::HasOne => RelationKind::HasOne,
        ast::RelationKind::BelongsTo => RelationKind::BelongsTo,
    };
    // `holder` has the fields; `referenced` is the model whose key they hold.
    let (holder, referenced) = match kind {
        RelationKind::HasMany | RelationKind::HasOne => (target, model),
        RelationKind::BelongsTo => (model, target),
    };
    let key: Vec<&ir::Field> = referenced
        .key
        .fields()
        .filter_map(|name| referenced.field(name))
        .collect();
    if relation.fields.len() != key.len() {
        let key_text = key
            .iter()
            .map(|f| format!("{}: {}", f.name, f.ty))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.error(
            Code::RelationMismatch,
            format!(
                "relation `{}` names {} {}, but the key of `{}` has {} {}",
                relation.name.name,
                relation.fields.len(),
                if relation.fields.len() == 1 {
                    "field"
                } else {
                    "fields"
                },
                referenced.name,
                key.len(),
                if key.len() == 1 { "column" } else { "columns" },
            ),
            relation.span,
            format!("{} must hold ({key_text})", holder.name),
        )
        .help(format!(
            "name one field of `{}` per key column of `{}`, in key order",
            holder.name, referenced.name
        ));
        return None;
    }
    let mut ok = true;
    for (written, key_field) in relation.fields.iter().zip(&key) {
        let Some(field) = holder.field(&written.name) else {
            unknown_model_field(holder, written, ctx);
            ok = false;
            continue;
        };
        if field.ty.unfrozen() != key_field.ty.unfrozen() {
            ctx.error(
                Code::RelationMismatch,
                format!(
                    "`{}.{}` is `{}` but refers to `{}.{}`, which is `{}`",
                    holder.name,
                    field.name,
                    field.ty,
                    referenced.name,
                    key_field.name,
                    key_field.ty
                ),
                written.span,
                "type differs from the key column",
            )
            .label(field.span, "declared here");
            ok = false;
        }
    }
    ok.then(|| ir::Relation {
        kind,
        name: relation.name.name.clone(),
        target: target.name.clone(),
        fields: relation.fields.iter().map(|f| f.name.clone()).collect(),
        span: relation.span,
    })
}

/// Whether `=` on each of `fields` of `target` reads its rows without
/// filtering: they are its partition key (in any order), or one field with
/// an index that serves `=`.
fn is_served(target: &ir::Model, fields: &[&str]) -> bool {
    let partition = &target.key.partition;
    if fields.len() == partition.len()
        && partition
            .iter()
            .all(|column| fields.contains(&column.as_str()))
    {
        return true;
    }
    match fields {
        [field] => {
            served_by_index(target, field, Operator::Eq, false).is_some_and(|served| served.is_ok())
        }
        _ => false,
    }
}

/// E0702 unless the target's rows that a `has_many`/`has_one` loads can be
/// read without filtering. `target_decl` gives the target's `key` clause
/// for a second label.
fn check_served(
    relation: &ast::Relation,
    target: &ir::Model,
    target_decl: Option<&ast::Model>,
    ctx: &mut Context,
) -> bool {
    let fields: Vec<&str> = relation.fields.iter().map(|f| f.name.as_str()).collect();
    if is_served(target, &fields) {
        return true;
    }
    let partition: Vec<&str> = target.key.partition.iter().map(String::as_str).collect();
    let partition_text = format!("({})", partition.join(", "));
    let indexed = matches!(fields.as_slice(), [field] if is_indexed(target, field));
    let why = match fields.as_slice() {
        [field] if indexed => {
            let reason = served_by_index(target, field, Operator::Eq, false)
                .and_then(Result::err)
                .map_or_else(
                    || format!("its index can't serve `=` on `{field}`"),
                    |unsupported| unsupported.reason,
                );
            format!("`{field}` is not its partition key, and {reason}")
        }
        [field] => format!("`{field}` is neither its partition key nor indexed"),
        _ => format!("({}) is not its partition key", fields.join(", ")),
    };
    let diagnostic = ctx.error(
        Code::RelationNotServed,
        format!(
            "relation `{}` can't load its `{}` rows without ALLOW FILTERING: `{}` is partitioned by {partition_text}, and {why}",
            relation.name.name, target.name, target.name
        ),
        relation.span,
        format!("reads `{}` by ({})", target.name, fields.join(", ")),
    );
    if let Some(key) = target_decl.and_then(|decl| decl.key.as_ref()) {
        diagnostic.label(key.span, format!("partition key of `{}`", target.name));
    }
    let key_by = if fields.len() == 1 {
        format!("`key ({}, …)`", fields.join(", "))
    } else {
        format!("`key (({}), …)`", fields.join(", "))
    };
    match fields.as_slice() {
        [field] if indexed => diagnostic.help(format!(
            "partition `{}` by `{field}` ({key_by})",
            target.name
        )),
        [field] => diagnostic.help(format!(
            "partition `{}` by `{field}` ({key_by}), or add `index ({field})` to `{}`",
            target.name, target.name
        )),
        _ => diagnostic.help(format!(
            "partition `{}` by ({}) ({key_by}); an index serves a relation of one field only",
            target.name,
            fields.join(", ")
        )),
    };
    diagnostic.note(format!(
        "relation loaders read by the target's partition key or through an index; ALLOW FILTERING would read every partition of `{}`",
        target.name
    ));
    false
}
