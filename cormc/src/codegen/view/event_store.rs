//! The view of an event store's file: a payload struct per event, the
//! event enum, the marker type that names the store's tables, and its
//! `Db` accessor.

use heck::ToSnakeCase;

use super::doc::doc_lines;
use super::ident::{bare, field_ident, type_ident};
use super::items::{FieldView, field_view};
use super::rust_type::rust_type;
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir::{self, Scalar, Type};

/// One event of a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView {
    /// Doc lines of its payload struct.
    pub doc: Vec<String>,
    /// The variant and its payload struct.
    pub ident: String,
    /// The stored `event_type`, as a Rust string literal.
    pub event_type: String,
    /// The payload's fields.
    pub fields: Vec<FieldView>,
}

/// One event store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreView {
    /// With a tenant id: the Rust types of the tenant id and of the `id`
    /// within a tenant (the stream id is their pair).
    pub tenant: Option<(String, String)>,
    /// Doc lines of the marker type.
    pub doc: Vec<String>,
    /// The store's name, as a Rust string literal (for errors).
    pub name: String,
    /// The marker type (`{Name}Stream`).
    pub ident: String,
    /// The event enum (`{Name}Event`).
    pub event_enum: String,
    /// The `Db` method and the module (the name in snake_case).
    pub accessor: String,
    /// The stream id's Rust type.
    pub id_type: String,
    /// The events, in declaration order.
    pub events: Vec<EventView>,
    /// The events table, as a Rust string literal.
    pub events_table: String,
    /// The snapshots table, as a Rust expression (`Some("…")` or `None`).
    pub snapshots_table: String,
    /// `snapshot every N`, as a Rust expression.
    pub snapshot_every: String,
    /// `partition every K`.
    pub partition_events: String,
    /// The feed table, as a Rust string literal.
    pub feed_table: String,
    /// The projections table, as a Rust string literal.
    pub projections_table: String,
    /// The projected stream versions table, as a Rust string literal.
    pub projected_table: String,
}

/// The view of `store`.
///
/// # Errors
/// [`CodegenError::Unsupported`] for a field type with no Rust or JSON
/// mapping (the checker reports those first, E1206).
pub fn store_view(store: &ir::EventStore, udts: &[ir::Udt]) -> Result<StoreView, CodegenError> {
    let stem = type_ident(&store.name);
    let stem = bare(&stem);
    let mut events = Vec::new();
    for event in &store.events {
        let owner = format!("{}.{}", store.name, event.name);
        let mut fields = Vec::new();
        for field in &event.fields {
            if let Some(reason) = no_json(&field.ty, udts) {
                return Err(CodegenError::Unsupported {
                    what: format!("`{owner}.{}`", field.name),
                    reason: reason.to_owned(),
                });
            }
            fields.push(field_view(&owner, field)?);
        }
        events.push(EventView {
            doc: doc_lines(
                event.doc.as_deref(),
                &format!("The payload of event `{}` of `{}`.", event.name, store.name),
            ),
            ident: type_ident(&event.name),
            event_type: format!("{:?}", event.name),
            fields,
        });
    }
    let snapshots = store.snapshot_every.map(|_| &store.snapshots_table);
    let tenant = match (&store.tenant, &store.id_type) {
        (Some(_), Type::Tuple(parts)) if parts.len() == 2 => {
            let what = format!("`{}.id`", store.name);
            Some((
                rust_type(&parts[0], &what)?.path,
                rust_type(&parts[1], &what)?.path,
            ))
        }
        _ => None,
    };
    Ok(StoreView {
        tenant,
        doc: doc_lines(
            store.doc.as_deref(),
            &format!("The event store `{}`.", store.name),
        ),
        name: format!("{:?}", store.name),
        ident: format!("{stem}Stream"),
        event_enum: format!("{stem}Event"),
        accessor: field_ident(&store.name.to_snake_case()),
        id_type: rust_type(&store.id_type, &format!("`{}.id`", store.name))?.path,
        events,
        events_table: format!("{:?}", quote(&store.events_table)),
        snapshots_table: match snapshots {
            Some(table) => format!("Some({:?})", quote(table)),
            None => "None".to_owned(),
        },
        snapshot_every: match store.snapshot_every {
            Some(every) => format!("Some({every})"),
            None => "None".to_owned(),
        },
        partition_events: store.partition_events.to_string(),
        feed_table: format!("{:?}", quote(&store.feed_table)),
        projections_table: format!("{:?}", quote(&store.projections_table)),
        projected_table: format!("{:?}", quote(&store.projected_table)),
    })
}

/// Why a value of `ty` has no JSON form in an event payload yet (`None`:
/// it has one). A user-defined type has one when all its fields do (its
/// generated struct then derives serde); `udts` are the schema's.
#[must_use]
pub fn no_json(ty: &Type, udts: &[ir::Udt]) -> Option<&'static str> {
    match ty {
        Type::Scalar(Scalar::Duration) => Some("a `duration` has no JSON form yet"),
        Type::Scalar(Scalar::Timeuuid) => {
            Some("a `timeuuid` has no JSON form yet (a `uuid` field holds one)")
        }
        Type::Scalar(Scalar::Counter) => Some("a counter can't be in an event"),
        Type::Scalar(_) | Type::Vector(_) | Type::Enum(_) => None,
        Type::Udt(name) => match udts.iter().find(|udt| &udt.name == name) {
            Some(udt) if udt.fields.iter().all(|f| no_json(&f.ty, udts).is_none()) => None,
            _ => Some("a user-defined type has one only when all its fields have one"),
        },
        Type::List(item) | Type::Set(item) | Type::Frozen(item) => no_json(item, udts),
        Type::Map(key, value) => no_json(key, udts).or_else(|| no_json(value, udts)),
        Type::Tuple(items) => items.iter().find_map(|item| no_json(item, udts)),
    }
}
