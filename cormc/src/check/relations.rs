//! Relations: the target exists, and the named fields line up with the
//! referenced key in number and type.

use rustc_hash::FxHashMap;

use super::context::{Annotate, Context, did_you_mean};
use super::models::unknown_model_field;
use super::names::{check_snake, unique_member};
use crate::ast;
use crate::diagnostics::Code;
use crate::ir::{self, RelationKind};

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
            if let Some(relation) = check_relation(relation, model, &by_name, ctx) {
                resolved.push((index, relation));
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
    ctx: &mut Context,
) -> Option<ir::Relation> {
    let Some(target) = models.get(relation.target.name.as_str()).copied() else {
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
