//! `events` items: the stream id, snapshots and the event bodies.

use rustc_hash::FxHashMap;

use heck::ToSnakeCase;

use super::context::{Annotate, Context};
use super::fields::{Owner, resolve_fields};
use super::models::key_field_allowed;
use super::names::{Symbols, check_upper_camel, unique_member};
use super::types::Place;
use crate::ast;
use crate::diagnostics::Code;
use crate::ir;

/// Checks one event store.
pub(super) fn check_event_store(
    decl: &ast::EventStore,
    symbols: &Symbols<'_>,
    udts: &[ir::Udt],
    ctx: &mut Context,
) -> Option<ir::EventStore> {
    let mut id = None;
    let mut tenant = None;
    for field in &decl.fields {
        let is_tenant = field
            .attributes
            .iter()
            .any(|attribute| matches!(attribute.kind, ast::AttributeKind::Tenant));
        if is_tenant && field.name.name != "id" && tenant.is_none() {
            tenant = Some(field);
        } else if field.name.name != "id" {
            ctx.error(
                Code::ReservedName,
                format!(
                    "an event store declares only its stream `id` (and a tenant id), not `{}`",
                    field.name.name
                ),
                field.name.span,
                "not allowed here",
            )
            .help("put data in an `event`; the stream is identified by `id` (within a tenant, with a field marked `@tenant`)");
        } else if id.is_some() {
            ctx.error(
                Code::DuplicateMember,
                "`id` is declared twice",
                field.name.span,
                "again here",
            );
        } else {
            id = Some(field);
        }
    }
    let Some(id) = id else {
        ctx.error(
            Code::MissingClause,
            format!("event store `{}` has no `id`", decl.name.name),
            decl.name.span,
            "no stream id",
        )
        .help("add e.g. `id: uuid`");
        return None;
    };
    let id_field = store_field(id, symbols, ctx)?;
    if !key_field_allowed(&id_field, "stream id", id.span, ctx) {
        return None;
    }
    if id_field.tenant {
        ctx.error(
            Code::MisplacedAttribute,
            "the stream `id` can't be the tenant id",
            id.span,
            "marked `@tenant`",
        )
        .help("declare the tenant id as a field of its own beside `id` (`shop: text @tenant`): the stream id is then the pair");
        return None;
    }
    // A tenant id makes the stream id the pair (tenant, id), so that each
    // stream, and each partition of its events, belongs to one tenant.
    let tenant = match tenant {
        Some(tenant) => {
            let field = store_field(tenant, symbols, ctx)?;
            if !super::models::tenant_type_allowed(&field, ctx) {
                return None;
            }
            Some(field)
        }
        None => None,
    };
    let id_type = match &tenant {
        Some(tenant) => ir::Type::Tuple(vec![tenant.ty.clone(), id_field.ty]),
        None => id_field.ty,
    };
    let snapshot_every = match &decl.snapshot {
        Some(snapshot) => match u32::try_from(snapshot.every.value) {
            Ok(n @ 1..) => Some(n),
            _ => {
                ctx.error(
                    Code::InvalidValue,
                    "`snapshot every` takes a count of at least 1",
                    snapshot.every.span,
                    "out of range",
                );
                return None;
            }
        },
        None => None,
    };
    let partition_events = match &decl.partition {
        Some(partition) if partition.every.value == 0 => {
            ctx.error(
                Code::InvalidValue,
                "`partition every` takes a count of at least 1",
                partition.every.span,
                "out of range",
            );
            return None;
        }
        Some(partition) => partition.every.value,
        None => ir::DEFAULT_PARTITION_EVENTS,
    };
    if decl.events.is_empty() {
        ctx.error(
            Code::MissingClause,
            format!("event store `{}` has no events", decl.name.name),
            decl.name.span,
            "no `event`",
        )
        .help("add e.g. `event Opened { owner: text }`");
    }
    let mut seen = FxHashMap::default();
    let mut events = Vec::new();
    for event in &decl.events {
        if !unique_member(&mut seen, &event.name, "event", ctx) {
            continue;
        }
        check_upper_camel(&event.name, "event", ctx);
        event_name_free(decl, event, symbols, ctx);
        let fields = resolve_fields(
            &event.fields,
            Owner::Other("an event"),
            Place::Nested,
            symbols,
            ctx,
        );
        for field in &fields {
            if let Some(reason) = crate::codegen::view::no_json(&field.ty, udts) {
                ctx.error(
                    Code::NoJsonForm,
                    format!(
                        "field `{}` of event `{}` can't be stored in its JSON payload: {reason}",
                        field.name, event.name.name
                    ),
                    field.span,
                    "no JSON form",
                )
                .help("event payloads are JSON; use a type that has one: text, numbers, uuid, timestamp, date, time, blob, boolean, inet, vectors, enums, user-defined types of these, and collections of them");
            }
        }
        events.push(ir::Event {
            name: event.name.name.clone(),
            doc: event.doc.as_ref().map(|doc| doc.text.clone()),
            fields,
            span: event.span,
        });
    }
    let snake = decl.name.name.to_snake_case();
    Some(ir::EventStore {
        name: decl.name.name.clone(),
        doc: decl.doc.as_ref().map(|doc| doc.text.clone()),
        id_type,
        tenant,
        snapshot_every,
        partition_events,
        events,
        events_table: format!("{snake}_events"),
        snapshots_table: format!("{snake}_snapshots"),
        feed_table: format!("{snake}_feed"),
        projections_table: format!("{snake}_projections"),
        projected_table: format!("{snake}_projected"),
        span: decl.span,
    })
}

/// An event store's own field (`id`, or the tenant id), resolved as a
/// column; `None` when its type does not resolve (reported).
fn store_field(field: &ast::Field, symbols: &Symbols<'_>, ctx: &mut Context) -> Option<ir::Field> {
    resolve_fields(
        std::slice::from_ref(field),
        Owner::Other("an event store"),
        Place::Column,
        symbols,
        ctx,
    )
    .into_iter()
    .next()
}

/// The Rust names the generated module of an event store uses besides its
/// own types, which an event's payload struct must not shadow.
const NAMES_IN_SCOPE: &[&str] = &[
    "Result", "String", "Option", "Vec", "Box", "From", "Ok", "Err", "Some", "None", "BTreeMap",
    "BTreeSet", "HashMap", "HashSet",
];

/// E1204: an event's payload struct (named after the event, in the store's
/// module) takes no name the module already uses: the store's event enum
/// and marker type, a schema type (imported whole), or a standard one.
fn event_name_free(
    decl: &ast::EventStore,
    event: &ast::EventDecl,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) {
    let ident = crate::codegen::view::type_ident(&event.name.name);
    let store = crate::codegen::view::type_ident(&decl.name.name);
    let store = crate::codegen::view::bare_ident(&store);
    let taken = if ident == format!("{store}Event") || ident == format!("{store}Stream") {
        Some(format!("the generated `{ident}` of the store"))
    } else if NAMES_IN_SCOPE.contains(&ident.as_str()) {
        Some(format!("Rust's `{ident}`, which the generated module uses"))
    } else if symbols.types.contains_key(event.name.name.as_str()) {
        Some(format!(
            "the schema type `{}`, which the generated module imports",
            event.name.name
        ))
    } else {
        None
    };
    if let Some(taken) = taken {
        ctx.error(
            Code::GeneratedNameClash,
            format!(
                "event `{}` of `{}` would be the Rust type `{ident}`, which shadows {taken}",
                event.name.name, decl.name.name
            ),
            event.name.span,
            "clashes in the generated module",
        )
        .help("rename the event (its name is also its stored type: an upcaster reads old events)");
    }
}
