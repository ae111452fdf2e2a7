//! Check stage: the parsed schema to the checked schema ([`ir::Schema`]).
//!
//! One pass per rule family, each reporting every problem it finds rather
//! than stopping at the first:
//!
//! | pass | module |
//! | --- | --- |
//! | names, duplicates, conventions | `names` |
//! | types, frozen nesting, vectors, counters | `types` |
//! | fields and attributes | `fields` |
//! | keyspace | `keyspace` |
//! | UDTs and enums | `user_types` |
//! | models: keys, indexes, counters, static, options | `models`, `table_options` |
//! | relations | `relations` |
//! | materialized views (read-only models) | `views` |
//! | queries, their restrictions and projections | `queries`, `restrictions`, `projections` |
//! | aggregates | `aggregates` |
//! | mutations: what they write and which rows | `mutations` |
//! | time series | `time_series` |
//! | event stores | `events` |
//! | what a secondary index serves | `index_support` |
//! | the desired CQL schema | `lower` |
//! | migration replay and drift | `migrations` |
//! | performance advice (W11xx), on a schema without errors | `advisor`, `retention` (W1107) |
//! | what `cormc generate` needs beyond CQL (E1202, E1204, E1205) | `generated` |
//! | `@allow(…)`: acknowledged warnings set aside, W0605 | `allow` |
//!
//! The IR is returned only when there is no error; warnings never block it.

mod advisor;
mod allow;
mod bucket_size;
pub use allow::Acknowledged;
mod aggregates;
mod context;
mod durations;
mod events;
mod fields;
mod generated;
mod index_support;
mod keyspace;
pub mod lower;
mod masks;
mod migrations;
pub use migrations::drift_changes;
mod models;
mod mutations;
mod names;
mod nearest;
mod projections;
mod queries;
mod relations;
mod restrictions;
mod retention;
mod sagas;
pub mod table_options;
mod time_series;
mod types;
mod user_types;
mod views;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::ast::Schema;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::ir;

use self::context::{Annotate, Context};
use self::names::Symbols;

/// The result of checking: the IR when there were no errors, and every
/// diagnostic (errors, warnings, notes) in source order.
#[derive(Debug)]
pub struct Checked {
    /// The checked schema, present when no error was found.
    pub schema: Option<ir::Schema>,
    /// Everything the checker reported, but for acknowledged warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The warnings an `@allow(…)` acknowledged, in source order.
    pub acknowledged: Vec<Acknowledged>,
    /// What `cormc migrate new` starts from, when the items are sound and
    /// every migration replays (drift allowed).
    pub migration_base: Option<MigrationBase>,
}

/// The schema the migrations build and the one the items need.
#[derive(Debug, Clone)]
pub struct MigrationBase {
    /// What replaying every migration builds (empty without migrations).
    pub replayed: crate::cql::CqlSchema,
    /// What the models, time series and event stores need.
    pub desired: crate::cql::CqlSchema,
    /// The highest migration number so far (0 without migrations).
    pub last_id: u32,
    /// The file that holds the highest-numbered migration (where the
    /// next one goes), when there is one.
    pub last_file: Option<crate::diagnostics::FileId>,
}

/// Checks a parsed schema.
#[must_use]
pub fn check(schema: &Schema) -> Checked {
    check_with(schema, &[])
}

/// [`check`], with the IR also when every error has one of the `allowed`
/// codes: for the unit tests of `cormc generate`'s own refusals, which the
/// checker reports first (E1202, E1204, E1205 …).
#[cfg(test)]
#[must_use]
pub(crate) fn check_allowing(schema: &Schema, allowed: &[Code]) -> Checked {
    check_with(schema, allowed)
}

fn check_with(schema: &Schema, allowed: &[Code]) -> Checked {
    let mut ctx = Context::default();
    let symbols = Symbols::collect(schema, &mut ctx);

    let keyspace = symbols
        .keyspace
        .and_then(|k| keyspace::check_keyspace(k, &mut ctx));
    let udts: Vec<ir::Udt> = symbols
        .udts
        .iter()
        .map(|u| user_types::check_udt(u, &symbols, &mut ctx))
        .collect();
    types::check_udt_cycles(&udts, &mut ctx);
    let enums: Vec<ir::Enum> = symbols
        .enums
        .iter()
        .map(|e| user_types::check_enum(e, &mut ctx))
        .collect();
    let mut models: Vec<ir::Model> = symbols
        .models
        .iter()
        .filter_map(|m| models::check_model(m, &symbols, &mut ctx))
        .collect();
    let views: Vec<ir::Model> = {
        let index: FxHashMap<&str, &ir::Model> = models
            .iter()
            .map(|model| (model.name.as_str(), model))
            .collect();
        symbols
            .views
            .iter()
            .filter_map(|view| views::check_view(view, &index, &symbols, &mut ctx))
            .collect()
    };
    models.extend(views);
    relations::check_relations(&symbols.models, &mut models, &mut ctx);
    check_index_names(&symbols, &models, &mut ctx);
    let model_index: FxHashMap<&str, &ir::Model> = models
        .iter()
        .map(|model| (model.name.as_str(), model))
        .collect();
    let queries: Vec<ir::Query> = symbols
        .queries
        .iter()
        .filter_map(|q| queries::check_query(q, &model_index, &symbols, &mut ctx))
        .collect();
    let aggregates: Vec<ir::Aggregate> = symbols
        .aggregates
        .iter()
        .filter_map(|a| aggregates::check_aggregate(a, &model_index, &symbols, &mut ctx))
        .collect();
    let mutations: Vec<ir::Mutation> = symbols
        .mutations
        .iter()
        .filter_map(|m| mutations::check_mutation(m, &model_index, &symbols, &mut ctx))
        .collect();
    let time_series: Vec<ir::TimeSeries> = symbols
        .time_series
        .iter()
        .filter_map(|t| time_series::check_time_series(t, &symbols, &mut ctx))
        .collect();
    let event_stores: Vec<ir::EventStore> = symbols
        .event_stores
        .iter()
        .filter_map(|e| events::check_event_store(e, &symbols, &udts, &mut ctx))
        .collect();
    check_tenant_types(&models, &time_series, &event_stores, &mut ctx);
    let sagas: Vec<ir::Saga> = symbols
        .sagas
        .iter()
        .filter_map(|s| sagas::check_saga(s, &symbols, &udts, &mut ctx))
        .collect();

    let table_owners = table_owners(
        &symbols,
        &Stored {
            models: &models,
            time_series: &time_series,
            event_stores: &event_stores,
            sagas: &sagas,
        },
        &mut ctx,
    );
    let desired = lower::desired_schema(&lower::Items {
        keyspace: keyspace.as_ref(),
        udts: &udts,
        models: &models,
        time_series: &time_series,
        event_stores: &event_stores,
        sagas: &sagas,
    });
    let first_item = schema.items().next().map(|item| item.name().span);
    // Drift is only meaningful when the items themselves are sound; the
    // migrations' own numbering, syntax and replay are checked regardless.
    let drift = !ctx.has_errors();
    let (migrations, replayed) = migrations::check_migrations(
        &symbols.migrations,
        &migrations::Desired {
            schema: &desired,
            table_owners: &table_owners,
            check_drift: drift,
        },
        first_item,
        &mut ctx,
    );

    if let Some(tenancy) = keyspace.as_ref().and_then(|keyspace| keyspace.tenancy)
        && symbols.migrations.is_empty()
    {
        ctx.error(
            Code::MissingClause,
            "`tenancy per_keyspace` needs migrations: they are what a new tenant's keyspace is built from and what every tenant is migrated by",
            tenancy,
            "no migrations",
        )
        .help("write the first migration with `cormc migrate new init FILE…`");
    }
    let migration_base = replayed.filter(|_| drift).map(|replayed| MigrationBase {
        replayed,
        desired: desired.clone(),
        last_id: migrations.iter().map(|m| m.id).max().unwrap_or(0),
        last_file: migrations.iter().max_by_key(|m| m.id).map(|m| m.span.file),
    });
    advisor::advise(
        &advisor::Items {
            symbols: &symbols,
            models: &models,
            queries: &queries,
            aggregates: &aggregates,
        },
        &mut ctx,
    );
    if !ctx.has_errors() {
        for series in &time_series {
            if let Some(decl) = symbols.time_series.iter().find(|d| d.span == series.span) {
                retention::check(series, decl, &mut ctx);
                bucket_size::check(series, decl, &mut ctx);
            }
        }
    }
    generated::check(
        &generated::Items {
            symbols: &symbols,
            udts: &udts,
            enums: &enums,
            models: &models,
            queries: &queries,
            aggregates: &aggregates,
        },
        &mut ctx,
    );
    let mut reported = ctx.diagnostics;
    reported.sort_by_key(|d| (d.primary.span.file, d.primary.span.start));
    let (mut diagnostics, acknowledged) = allow::acknowledge(schema, reported);
    diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start));
    let failed = diagnostics
        .iter()
        .any(|d| d.is_error() && !allowed.contains(&d.code));
    Checked {
        schema: (!failed).then_some(ir::Schema {
            keyspace,
            udts,
            enums,
            models,
            queries,
            aggregates,
            mutations,
            time_series,
            event_stores,
            sagas,
            migrations,
            desired,
        }),
        diagnostics,
        acknowledged,
        migration_base,
    }
}

/// Index names are the keyspace's: two indexes may not share one (an
/// `as name` that repeats another index's name, given or derived).
fn check_index_names(symbols: &Symbols<'_>, models: &[ir::Model], ctx: &mut Context) {
    let mut owners: BTreeMap<&str, (String, Span)> = BTreeMap::new();
    for model in models {
        let decl = symbols.models.iter().find(|m| m.name.name == model.name);
        let names = model
            .indexes
            .iter()
            .map(|index| (index.name.as_str(), &index.field))
            .chain(
                model
                    .vector_indexes
                    .iter()
                    .map(|index| (index.name.as_str(), &index.field)),
            );
        for (name, field) in names {
            // Where the name is written (`as name`), else the index clause.
            let span = decl
                .and_then(|d| {
                    d.indexes
                        .iter()
                        .filter(|c| c.column.name == *field)
                        .find_map(|c| c.name.as_ref().filter(|n| n.name == name).map(|n| n.span))
                        .or_else(|| {
                            d.vector_indexes
                                .iter()
                                .filter(|c| c.column.name == *field)
                                .find_map(|c| c.name.as_ref().map(|n| n.span))
                        })
                        .or_else(|| {
                            d.indexes
                                .iter()
                                .find(|c| c.column.name == *field)
                                .map(|c| c.span)
                        })
                })
                .unwrap_or(model.span);
            let what = format!("the index on `{}.{field}`", model.name);
            if let Some((first_what, first)) = owners.get(name) {
                ctx.error(
                    Code::DuplicateName,
                    format!("two indexes are named `{name}`"),
                    span,
                    format!("{what} is named `{name}`"),
                )
                .label(*first, format!("so is {first_what}"))
                .help("index names are unique in a keyspace: give one another name with `as`");
            } else {
                owners.insert(name, (what, span));
            }
        }
    }
}

/// Which item owns each generated CQL table; two items may not share one.
/// The checked items that are stored in tables of their own.
struct Stored<'a> {
    models: &'a [ir::Model],
    time_series: &'a [ir::TimeSeries],
    event_stores: &'a [ir::EventStore],
    sagas: &'a [ir::Saga],
}

fn table_owners(
    symbols: &Symbols<'_>,
    stored: &Stored<'_>,
    ctx: &mut Context,
) -> BTreeMap<String, Span> {
    let Stored {
        models,
        time_series,
        event_stores,
        sagas,
    } = *stored;
    let mut owners: BTreeMap<String, Span> = BTreeMap::new();
    let mut claim = |table: String, span: Span, what: String, ctx: &mut Context| {
        if let Some(first) = owners.get(&table) {
            ctx.error(
                Code::DuplicateTable,
                format!("two items are stored in the CQL table `{table}`"),
                span,
                what,
            )
            .label(*first, "also stored there")
            .help("every item needs a CQL table of its own: rename one, or give it another `table` name");
        } else {
            owners.insert(table, span);
        }
    };
    let name_span = |name: &str, whole: Span| {
        symbols
            .types
            .get(name)
            .map_or(whole, |decl| decl.name().span)
    };
    for model in models {
        claim(
            model.table.clone(),
            name_span(&model.name, model.span),
            format!("model `{}`", model.name),
            ctx,
        );
        if let Some(changes) = &model.changes {
            claim(
                changes.table.clone(),
                changes.span,
                format!("the change log of `{}`", model.name),
                ctx,
            );
        }
        for field in model.unique_fields() {
            claim(
                lower::unique_table_name(model, field),
                field.span,
                format!("the `@unique` lookup of `{}`", field.name),
                ctx,
            );
        }
    }
    for series in time_series {
        claim(
            series.table.clone(),
            name_span(&series.name, series.span),
            format!("time series `{}`", series.name),
            ctx,
        );
    }
    for store in event_stores {
        claim(
            store.events_table.clone(),
            name_span(&store.name, store.span),
            format!("the events of `{}`", store.name),
            ctx,
        );
        if store.snapshot_every.is_some() {
            claim(
                store.snapshots_table.clone(),
                name_span(&store.name, store.span),
                format!("the snapshots of `{}`", store.name),
                ctx,
            );
        }
        claim(
            store.feed_table.clone(),
            name_span(&store.name, store.span),
            format!("the feed of `{}`", store.name),
            ctx,
        );
        claim(
            store.projections_table.clone(),
            name_span(&store.name, store.span),
            format!("the projections of `{}`", store.name),
            ctx,
        );
        claim(
            store.projected_table.clone(),
            name_span(&store.name, store.span),
            format!("the projected stream versions of `{}`", store.name),
            ctx,
        );
    }
    for saga in sagas {
        let span = name_span(&saga.name, saga.span);
        claim(
            saga.log_table.clone(),
            span,
            format!("the log of saga `{}`", saga.name),
            ctx,
        );
        claim(
            saga.open_table.clone(),
            span,
            format!("the open list of saga `{}`", saga.name),
            ctx,
        );
    }
    owners
}

/// Every `@tenant` field of a schema has one type: `db.tenant(id)` takes
/// one id for all of them.
fn check_tenant_types(
    models: &[ir::Model],
    series: &[ir::TimeSeries],
    stores: &[ir::EventStore],
    ctx: &mut Context,
) {
    let mut tenants = models
        .iter()
        .flat_map(|model| model.fields.iter().filter(|field| field.tenant).take(1))
        .chain(
            series
                .iter()
                .flat_map(|series| series.series.iter().filter(|field| field.tenant).take(1)),
        )
        .chain(stores.iter().filter_map(|store| store.tenant.as_ref()));
    let Some(first) = tenants.next() else {
        return;
    };
    for other in tenants.filter(|field| field.ty != first.ty) {
        ctx.error(
            Code::AttributeTypeMismatch,
            format!(
                "the tenant ids of a schema have one type: `{}` is `{}`, and an earlier one `{}`",
                other.name, other.ty, first.ty
            ),
            other.span,
            "another type",
        )
        .label(first.span, "the first tenant id");
    }
}
