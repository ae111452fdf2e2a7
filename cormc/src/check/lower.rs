//! The desired CQL schema: every table, type and index the checked items
//! need, including the tables corm generates on its own (unique lookups,
//! time series, event stores). Migrations must reach exactly this.
//!
//! Names: a model's table is its `table` clause or its name in snake_case;
//! `@unique` lookups are `<table>_by_<column>`; time series tables are the
//! name in snake_case; event stores have `<name>_events` and, with
//! snapshots, `<name>_snapshots`; indexes are `<table>_<column>_idx`, created
//! `using 'sai'` (on a collection: `values(col)`, on a frozen collection:
//! `full(col)`, as Cassandra records them). A model's table options are
//! the ones its `options { … }` and `compaction` state (a `///` doc is
//! documentation only, not the table's `comment`).

use std::collections::BTreeMap;

use crate::cql::{
    ClusteringColumn, ColumnDef, Compaction, CompactionStrategy, CqlSchema, CqlType, Ident,
    IndexClass, IndexDef, IndexTarget, KeyspaceDef, NativeType, Replication, SortOrder, TableDef,
    UdtDef, UdtField, ViewDef, WindowUnit,
};
use crate::ir::{self, Order, Scalar, Type};

/// The parts of the IR the desired schema is made from.
pub(super) struct Items<'a> {
    pub keyspace: Option<&'a ir::Keyspace>,
    pub udts: &'a [ir::Udt],
    pub models: &'a [ir::Model],
    pub time_series: &'a [ir::TimeSeries],
    pub event_stores: &'a [ir::EventStore],
    /// The sagas.
    pub sagas: &'a [ir::Saga],
}

/// The CQL schema `items` need.
pub(super) fn desired_schema(items: &Items<'_>) -> CqlSchema {
    let mut schema = CqlSchema::new();
    schema.keyspace = items.keyspace.map(keyspace);
    let udt_names: BTreeMap<&str, &str> = items
        .udts
        .iter()
        .map(|u| (u.name.as_str(), u.cql_name.as_str()))
        .collect();
    let lower = TypeLowering { udts: &udt_names };
    for udt in items.udts {
        schema.insert_type(UdtDef {
            name: Ident::new(&udt.cql_name),
            fields: udt
                .fields
                .iter()
                .map(|field| UdtField {
                    name: Ident::new(&field.cql_name),
                    ty: lower.nested(&field.ty),
                })
                .collect(),
        });
    }
    for model in items.models {
        match &model.view_of {
            Some(base) => {
                let base = items
                    .models
                    .iter()
                    .find(|m| &m.table == base && m.view_of.is_none());
                schema.insert_view(view_def(model, base));
            }
            None => lower_model(model, &lower, &mut schema),
        }
    }
    for series in items.time_series {
        lower_time_series(series, &lower, &mut schema);
    }
    for store in items.event_stores {
        lower_event_store(store, &lower, &mut schema);
    }
    for saga in items.sagas {
        lower_saga(saga, &mut schema);
    }
    schema
}

fn keyspace(keyspace: &ir::Keyspace) -> KeyspaceDef {
    KeyspaceDef {
        name: Ident::new(&keyspace.name),
        replication: match &keyspace.replication {
            ir::Replication::Simple(factor) => Replication::Simple {
                replication_factor: *factor,
            },
            ir::Replication::NetworkTopology(dcs) => Replication::NetworkTopology {
                data_centers: dcs.iter().cloned().collect(),
            },
        },
        durable_writes: keyspace.durable_writes.unwrap_or(true),
    }
}

/// Maps IR types to CQL types.
pub(super) struct TypeLowering<'a> {
    udts: &'a BTreeMap<&'a str, &'a str>,
}

impl TypeLowering<'_> {
    /// The type of a table column.
    pub fn column(&self, ty: &Type) -> CqlType {
        self.lower(ty, false)
    }

    /// The type of a UDT field: collections and UDTs in it are frozen, as
    /// CQL requires for non-top-level values.
    pub fn nested(&self, ty: &Type) -> CqlType {
        self.lower(ty, true)
    }

    fn lower(&self, ty: &Type, freeze: bool) -> CqlType {
        let lowered = match ty {
            Type::Scalar(scalar) => CqlType::Native(native(*scalar)),
            Type::Enum(_) => CqlType::Native(NativeType::Text),
            Type::Udt(name) => CqlType::udt(Ident::new(
                self.udts.get(name.as_str()).copied().unwrap_or(name),
            )),
            Type::List(item) => CqlType::list(self.lower(item, false)),
            Type::Set(item) => CqlType::set(self.lower(item, false)),
            Type::Map(key, value) => CqlType::map(self.lower(key, false), self.lower(value, false)),
            Type::Tuple(items) => {
                CqlType::tuple(items.iter().map(|item| self.lower(item, false)).collect())
            }
            Type::Frozen(inner) => return CqlType::frozen(self.lower(inner, false)),
            Type::Vector(dimensions) => {
                CqlType::vector(CqlType::Native(NativeType::Float), *dimensions)
            }
        };
        let freezable = matches!(
            ty,
            Type::Udt(_) | Type::List(_) | Type::Set(_) | Type::Map(..)
        );
        if freeze && freezable {
            CqlType::frozen(lowered)
        } else {
            lowered
        }
    }
}

fn native(scalar: Scalar) -> NativeType {
    match scalar {
        Scalar::Ascii => NativeType::Ascii,
        Scalar::Bigint => NativeType::Bigint,
        Scalar::Blob => NativeType::Blob,
        Scalar::Boolean => NativeType::Boolean,
        Scalar::Counter => NativeType::Counter,
        Scalar::Date => NativeType::Date,
        Scalar::Decimal => NativeType::Decimal,
        Scalar::Double => NativeType::Double,
        Scalar::Duration => NativeType::Duration,
        Scalar::Float => NativeType::Float,
        Scalar::Inet => NativeType::Inet,
        Scalar::Int => NativeType::Int,
        Scalar::Smallint => NativeType::Smallint,
        Scalar::Text | Scalar::Varchar => NativeType::Text,
        Scalar::Time => NativeType::Time,
        Scalar::Timestamp => NativeType::Timestamp,
        Scalar::Timeuuid => NativeType::Timeuuid,
        Scalar::Tinyint => NativeType::Tinyint,
        Scalar::Uuid => NativeType::Uuid,
        Scalar::Varint => NativeType::Varint,
    }
}

fn column(field: &ir::Field, lower: &TypeLowering<'_>) -> ColumnDef {
    ColumnDef {
        name: Ident::new(&field.cql_name),
        ty: lower.column(&field.ty),
        is_static: field.is_static,
        mask: field.mask.clone(),
    }
}

fn sort(order: Order) -> SortOrder {
    match order {
        Order::Asc => SortOrder::Asc,
        Order::Desc => SortOrder::Desc,
    }
}

/// The CQL name of a model's field.
fn cql_name<'a>(model: &'a ir::Model, field: &'a str) -> &'a str {
    model.field(field).map_or(field, |f| f.cql_name.as_str())
}

fn lower_model(model: &ir::Model, lower: &TypeLowering<'_>, schema: &mut CqlSchema) {
    let table_name = Ident::new(&model.table);
    let mut table = TableDef::new(
        table_name.clone(),
        model
            .fields
            .iter()
            .map(|field| column(field, lower))
            .collect(),
        model
            .key
            .partition
            .iter()
            .map(|p| Ident::new(cql_name(model, p)))
            .collect(),
        model
            .key
            .clustering
            .iter()
            .map(|c| ClusteringColumn {
                name: Ident::new(cql_name(model, &c.field)),
                order: sort(c.order),
            })
            .collect(),
    );
    table.options.default_time_to_live = model.ttl_seconds.and_then(|s| u32::try_from(s).ok());
    table.options.compaction = model.compaction.map(|strategy| Compaction {
        options: model.compaction_options.clone(),
        ..compaction(strategy)
    });
    table.options.comment = model.comment.clone().filter(|comment| !comment.is_empty());
    table.options.other = model.table_options.clone();
    schema.insert_table(table);
    for index in &model.indexes {
        schema.insert_index(IndexDef {
            name: Ident::new(&index.name),
            table: table_name.clone(),
            target: match index.on {
                ir::IndexOn::Value => index_target(model, &index.field),
                ir::IndexOn::Keys => IndexTarget::Keys(Ident::new(cql_name(model, &index.field))),
                ir::IndexOn::Entries => {
                    IndexTarget::Entries(Ident::new(cql_name(model, &index.field)))
                }
            },
            class: IndexClass::Sai,
            options: BTreeMap::new(),
        });
    }
    for index in &model.vector_indexes {
        schema.insert_index(IndexDef {
            name: Ident::new(&index.name),
            table: table_name.clone(),
            target: IndexTarget::Column(Ident::new(cql_name(model, &index.field))),
            class: IndexClass::Sai,
            options: BTreeMap::from([(
                "similarity_function".to_owned(),
                index.similarity.cql().to_owned(),
            )]),
        });
    }
    for unique in model.unique_fields() {
        schema.insert_table(unique_lookup_table(model, unique, lower));
    }
    if let Some(changes) = &model.changes {
        schema.insert_table(change_table(changes));
    }
}

/// `<table>_changes ((bucket, shard), position)`: a model's change log
/// (the runtime's `corm::changes`). An hour of changes is spread over
/// eight partitions by key, each ordered by the changes' time-based
/// positions; a change holds the operation, the key's and the written
/// columns' values as the driver serializes them, the mask of an update's
/// columns and the writer. Changes expire after `retain` (the table's
/// default TTL), compacted in windows of about a twenty-fourth of it.
fn change_table(changes: &ir::ChangeLog) -> TableDef {
    let mut table = TableDef::new(
        Ident::new(&changes.table),
        vec![
            timestamp("bucket"),
            native_column("shard", NativeType::Int),
            native_column("position", NativeType::Timeuuid),
            native_column("operation", NativeType::Text),
            native_column("key", NativeType::Blob),
            native_column("cells", NativeType::Blob),
            native_column("mask", NativeType::Bigint),
            native_column("writer", NativeType::Text),
        ],
        vec![Ident::new("bucket"), Ident::new("shard")],
        vec![ClusteringColumn {
            name: Ident::new("position"),
            order: SortOrder::Asc,
        }],
    );
    table.options.default_time_to_live = u32::try_from(changes.retain_seconds).ok();
    let window = (changes.retain_seconds / 24).max(3_600) / 3_600 * 3_600;
    table.options.compaction = Some(Compaction::new(time_window(window)));
    table
}

/// `create materialized view … as select * where <key> is not null …
/// primary key (…)` for a `view` of `base` (`select *`, or the columns
/// but the base's static ones, which a view can't show).
fn view_def(model: &ir::Model, base: Option<&ir::Model>) -> ViewDef {
    let column = |field: &str| Ident::new(cql_name(model, field));
    let has_static = base.is_some_and(|b| b.fields.iter().any(|f| f.is_static));
    ViewDef {
        name: Ident::new(&model.table),
        base_table: Ident::new(model.view_of.as_deref().unwrap_or_default()),
        columns: has_static.then(|| {
            model
                .fields
                .iter()
                .map(|f| Ident::new(&f.cql_name))
                .collect()
        }),
        where_clause: model
            .key
            .fields()
            .map(|field| format!("{} is not null", column(field)))
            .collect::<Vec<_>>()
            .join(" and "),
        partition_key: model.key.partition.iter().map(|p| column(p)).collect(),
        clustering: model
            .key
            .clustering
            .iter()
            .map(|c| ClusteringColumn {
                name: column(&c.field),
                order: sort(c.order),
            })
            .collect(),
        options: crate::cql::TableOptions::default(),
    }
}

/// What `index (field)` indexes, as Cassandra records it: the values of a
/// non-frozen collection (`values(col)`, what `(col)` means on one), a frozen
/// collection whole (`full(col)`), else the column.
fn index_target(model: &ir::Model, field: &str) -> IndexTarget {
    let column = Ident::new(cql_name(model, field));
    match model.field(field).map(|f| &f.ty) {
        Some(Type::List(_) | Type::Set(_) | Type::Map(..)) => IndexTarget::Values(column),
        Some(Type::Frozen(inner))
            if matches!(**inner, Type::List(_) | Type::Set(_) | Type::Map(..)) =>
        {
            IndexTarget::Full(column)
        }
        Some(_) | None => IndexTarget::Column(column),
    }
}

/// The column of a `@unique` lookup table that holds the claim's token
/// (`corm::unique::TOKEN_COLUMN` in the runtime).
pub const UNIQUE_CLAIM_COLUMN: &str = "corm_claim";

/// The name of the lookup table that enforces `@unique` on `field`.
#[must_use]
pub fn unique_table_name(model: &ir::Model, field: &ir::Field) -> String {
    field
        .unique_table
        .clone()
        .unwrap_or_else(|| format!("{}_by_{}", model.table, field.cql_name))
}

/// `<table>_by_<field>`: the unique value as the partition key (after the
/// tenant id, for a model with one: each tenant has its own values), the
/// owning row's key beside it, and the claim's token (`corm_claim`: a
/// release deletes only the claim whose token it read; see the runtime's
/// `corm::unique`).
fn unique_lookup_table(
    model: &ir::Model,
    unique: &ir::Field,
    lower: &TypeLowering<'_>,
) -> TableDef {
    let mut columns = vec![ColumnDef {
        name: Ident::new(&unique.cql_name),
        ty: frozen_if_needed(lower.column(&unique.ty)),
        is_static: false,
        mask: None,
    }];
    for key_field in model.key.fields().filter_map(|name| model.field(name)) {
        columns.push(column(key_field, lower));
    }
    columns.push(ColumnDef {
        name: Ident::new(UNIQUE_CLAIM_COLUMN),
        ty: CqlType::Native(NativeType::Uuid),
        is_static: false,
        mask: None,
    });
    let partition = model
        .fields
        .iter()
        .filter(|field| field.tenant)
        .map(|tenant| Ident::new(&tenant.cql_name))
        .chain([Ident::new(&unique.cql_name)])
        .collect();
    let mut table = TableDef::new(
        Ident::new(unique_table_name(model, unique)),
        columns,
        partition,
        Vec::new(),
    );
    // A claim expires with the rows of a table whose rows expire.
    table.options.default_time_to_live = model.ttl_seconds.and_then(|s| u32::try_from(s).ok());
    table
}

fn frozen_if_needed(ty: CqlType) -> CqlType {
    if ty.is_udt() || ty.is_collection() && !ty.is_frozen_collection() {
        CqlType::frozen(ty)
    } else {
        ty
    }
}

fn compaction(compaction: ir::Compaction) -> Compaction {
    Compaction::new(match compaction {
        ir::Compaction::SizeTiered => CompactionStrategy::SizeTiered,
        ir::Compaction::Leveled => CompactionStrategy::Leveled,
        ir::Compaction::Unified => CompactionStrategy::Unified,
        ir::Compaction::TimeWindow { window_seconds } => time_window(window_seconds),
    })
}

/// A time window in the largest unit that divides it (at least a minute).
fn time_window(seconds: u64) -> CompactionStrategy {
    let (unit, size) = if seconds.is_multiple_of(86_400) {
        (WindowUnit::Days, seconds / 86_400)
    } else if seconds.is_multiple_of(3_600) {
        (WindowUnit::Hours, seconds / 3_600)
    } else {
        (WindowUnit::Minutes, (seconds / 60).max(1))
    };
    CompactionStrategy::TimeWindow {
        unit,
        size: u32::try_from(size).unwrap_or(u32::MAX),
    }
}

fn timestamp(name: &str) -> ColumnDef {
    ColumnDef {
        name: Ident::new(name),
        ty: CqlType::Native(NativeType::Timestamp),
        is_static: false,
        mask: None,
    }
}

fn native_column(name: &str, native: NativeType) -> ColumnDef {
    ColumnDef {
        name: Ident::new(name),
        ty: CqlType::Native(native),
        is_static: false,
        mask: None,
    }
}

/// `((series…, bucket), ts DESC)` with time-window compaction per bucket.
fn lower_time_series(series: &ir::TimeSeries, lower: &TypeLowering<'_>, schema: &mut CqlSchema) {
    let mut columns: Vec<ColumnDef> = series
        .series
        .iter()
        .map(|field| column(field, lower))
        .collect();
    columns.push(timestamp("bucket"));
    columns.push(timestamp("ts"));
    columns.extend(series.fields.iter().map(|field| column(field, lower)));
    let mut partition: Vec<Ident> = series
        .series
        .iter()
        .map(|field| Ident::new(&field.cql_name))
        .collect();
    partition.push(Ident::new("bucket"));
    let mut table = TableDef::new(
        Ident::new(&series.table),
        columns,
        partition,
        vec![ClusteringColumn {
            name: Ident::new("ts"),
            order: SortOrder::Desc,
        }],
    );
    table.options.default_time_to_live = series.ttl_seconds.and_then(|s| u32::try_from(s).ok());
    table.options.compaction = Some(Compaction::new(time_window(series.bucket_seconds.max(60))));
    schema.insert_table(table);
}

/// `<name>_events ((id, partition_nr), version)` with the partition's
/// last version in the static `head` and `partition every K` in the
/// table's comment (the runtime refuses a table laid out with another
/// `K`); with snapshots, `<name>_snapshots ((id), version DESC)`; the feed
/// of appends, `<name>_feed ((bucket, shard), position)`; the projections'
/// checkpoints and open appends, `<name>_projections ((projection),
/// stream)` with the static `checkpoint`; and the last version of each
/// stream each projection delivered, `<name>_projected ((projection,
/// stream))`, one small partition each.
fn lower_event_store(store: &ir::EventStore, lower: &TypeLowering<'_>, schema: &mut CqlSchema) {
    let id = ColumnDef {
        name: Ident::new("id"),
        ty: lower.column(&store.id_type),
        is_static: false,
        mask: None,
    };
    let mut events = TableDef::new(
        Ident::new(&store.events_table),
        vec![
            id.clone(),
            native_column("partition_nr", NativeType::Bigint),
            native_column("version", NativeType::Bigint),
            ColumnDef {
                is_static: true,
                ..native_column("head", NativeType::Bigint)
            },
            native_column("event_type", NativeType::Text),
            native_column("payload", NativeType::Text),
            timestamp("recorded_at"),
            native_column("append_id", NativeType::Uuid),
        ],
        vec![Ident::new("id"), Ident::new("partition_nr")],
        vec![ClusteringColumn {
            name: Ident::new("version"),
            order: SortOrder::Asc,
        }],
    );
    events.options.comment = Some(event_table_comment(store));
    schema.insert_table(events);
    let id_type = lower.column(&store.id_type);
    schema.insert_table(TableDef::new(
        Ident::new(&store.feed_table),
        vec![
            timestamp("bucket"),
            native_column("shard", NativeType::Int),
            native_column("position", NativeType::Timeuuid),
            ColumnDef {
                name: Ident::new("id"),
                ty: id_type.clone(),
                is_static: false,
                mask: None,
            },
            native_column("first_version", NativeType::Bigint),
            native_column("last_version", NativeType::Bigint),
        ],
        vec![Ident::new("bucket"), Ident::new("shard")],
        vec![ClusteringColumn {
            name: Ident::new("position"),
            order: SortOrder::Asc,
        }],
    ));
    schema.insert_table(TableDef::new(
        Ident::new(&store.projections_table),
        vec![
            native_column("projection", NativeType::Text),
            ColumnDef {
                name: Ident::new("stream"),
                ty: id_type.clone(),
                is_static: false,
                mask: None,
            },
            ColumnDef {
                is_static: true,
                ..native_column("checkpoint", NativeType::Timeuuid)
            },
            native_column("first_version", NativeType::Bigint),
            native_column("position", NativeType::Timeuuid),
        ],
        vec![Ident::new("projection")],
        vec![ClusteringColumn {
            name: Ident::new("stream"),
            order: SortOrder::Asc,
        }],
    ));
    schema.insert_table(TableDef::new(
        Ident::new(&store.projected_table),
        vec![
            native_column("projection", NativeType::Text),
            ColumnDef {
                name: Ident::new("stream"),
                ty: id_type,
                is_static: false,
                mask: None,
            },
            native_column("version", NativeType::Bigint),
        ],
        vec![Ident::new("projection"), Ident::new("stream")],
        Vec::new(),
    ));
    if store.snapshot_every.is_some() {
        schema.insert_table(TableDef::new(
            Ident::new(&store.snapshots_table),
            vec![
                id,
                native_column("version", NativeType::Bigint),
                native_column("state", NativeType::Text),
                timestamp("taken_at"),
            ],
            vec![Ident::new("id")],
            vec![ClusteringColumn {
                name: Ident::new("version"),
                order: SortOrder::Desc,
            }],
        ));
    }
}

/// A saga's tables: its log, `<name>_saga (saga_id, seq)`, the state in
/// static columns and a row per transition; and its open list,
/// `<name>_saga_open (shard, saga_id)`, the sagas that have not ended
/// spread over a few partitions for recovery to read.
fn lower_saga(saga: &ir::Saga, schema: &mut CqlSchema) {
    let state = |name: &str, ty: NativeType| ColumnDef {
        is_static: true,
        ..native_column(name, ty)
    };
    let mut log = TableDef::new(
        Ident::new(&saga.log_table),
        vec![
            native_column("saga_id", NativeType::Uuid),
            native_column("seq", NativeType::Int),
            state("status", NativeType::Text),
            state("step", NativeType::Int),
            state("attempt", NativeType::Int),
            state("version", NativeType::Int),
            state("input", NativeType::Text),
            state("outputs", NativeType::Text),
            state("error", NativeType::Text),
            state("owner", NativeType::Uuid),
            state("lease_until", NativeType::Timestamp),
            state("started_at", NativeType::Timestamp),
            state("updated_at", NativeType::Timestamp),
            timestamp("at"),
            native_column("event", NativeType::Text),
            native_column("step_name", NativeType::Text),
            native_column("detail", NativeType::Text),
        ],
        vec![Ident::new("saga_id")],
        vec![ClusteringColumn {
            name: Ident::new("seq"),
            order: SortOrder::Asc,
        }],
    );
    log.options.comment = Some(format!("corm saga {}: log", saga.name));
    schema.insert_table(log);
    schema.insert_table(TableDef::new(
        Ident::new(&saga.open_table),
        vec![
            native_column("shard", NativeType::Int),
            native_column("saga_id", NativeType::Uuid),
            timestamp("started_at"),
        ],
        vec![Ident::new("shard")],
        vec![ClusteringColumn {
            name: Ident::new("saga_id"),
            order: SortOrder::Asc,
        }],
    ));
}

/// The comment of an event store's events table: it states `partition
/// every K`, so that a migration that would change it is caught (E1207)
/// and the runtime refuses a table laid out with another `K`.
#[must_use]
pub fn event_table_comment(store: &ir::EventStore) -> String {
    format!(
        "corm event store {}: partition every {}",
        store.name, store.partition_events
    )
}
