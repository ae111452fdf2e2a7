//! The view of `db.rs` and of each model's repository: the `Db` handle, the
//! repositories and their statements, with the CQL text of every statement
//! decided here (quoted names, key order).
//!
//! Names: a model's repository is reached through `db.<model in
//! snake_case>()` (`db.order()`, `db.page_views()`) and is a
//! `<Model>Repository`; the statements live in a private
//! `<Model>Statements`.

use super::ident::{bare, field_ident};
use super::items::{ModelView, PatchView, TypesFile};
use super::queries::QueriesFile;
use super::relations::RelationsFile;
use super::row_field::RowField;
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir;

use super::generated_names::{DB_METHODS, MAX_UPDATE_COLUMNS, RESERVED_MODULES};

/// Everything `db.rs` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbFile {
    /// The keyspace of the schema's `keyspace` item, as a Rust string
    /// literal (its stored name).
    pub schema_keyspace: Option<String>,
    /// `tenancy per_keyspace`: how a tenant's keyspace is made.
    pub tenancy: Option<TenancyView>,
    /// The models with a `@tenant` field, for `db.tenant(id)`.
    pub tenant_db: Option<TenantDbView>,
    /// One repository per model, in declaration order.
    pub repos: Vec<RepoView>,
    /// One per time series, in declaration order.
    pub series: Vec<super::SeriesView>,
    /// One per event store, in declaration order.
    pub stores: Vec<super::StoreView>,
    /// One per saga, in declaration order.
    pub sagas: Vec<super::SagaView>,
    /// Whether the schema has migrations (and `Db::migrate`).
    pub migrations: bool,
    /// Whether some field is `@embed` (the `Db` then holds an embedder).
    pub embeds: bool,
}

/// The repository of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoView {
    /// The model's Rust type.
    pub model: String,
    /// Whether the model has a `@tenant` field (its accessor is then
    /// `Db::admin`'s, not `Db`'s).
    pub tenant: bool,
    /// The table, as CQL (for docs).
    pub table: String,
    /// The `Db` method returning the repository.
    pub accessor: String,
    /// The module (and file) of the model: its name in snake_case.
    pub module: String,
    /// The repository type.
    pub repo: String,
    /// The primary key type.
    pub key: String,
    /// The partition key type, when the model has clustering columns.
    pub partition: Option<String>,
    /// Whether this is a counter table (no insert; `add` instead).
    pub counter: bool,
    /// A materialized view: reads only (Cassandra writes it).
    pub read_only: bool,
    /// The table's CQL, for its `TableSpec`.
    pub spec: SpecView,
    /// The `corm::Clustered` impl, when the model has clustering columns.
    pub clustered: Option<ClusteredView>,
    /// The parameters of `add` (counter tables).
    pub counters: Vec<CounterView>,
    /// The `Db` batch methods' suffix (`insert_<suffix>`).
    pub batch_suffix: String,
    /// `update` (not for counter tables).
    pub update: Option<UpdateView>,
    /// Whether rows have a `validate()` that every write runs first.
    pub validates: bool,
    /// Whether patches have a `validate()` that every update runs first.
    pub patch_validates: bool,
    /// The `@unique` fields, each with its lookup table's statements.
    pub unique: Vec<UniqueView>,
    /// The model's schema name, as a Rust string literal (for errors).
    pub model_literal: String,
    /// One `nearest_<field>` per vector index.
    pub vector_searches: Vec<VectorSearchView>,
    /// The `@embed` fields, filled on insert when unset.
    pub embeds: Vec<EmbedView>,
    /// `changes retain …`: how the change log reads keys and patches back.
    pub changes: Option<ChangesView>,
    /// `reserve stock in holds`.
    pub reserve: Option<ReserveView>,
    /// Whether the repository has methods of its own (a vector search,
    /// `@embed` fields, counters, `@unique` fields, reservations, named
    /// queries, aggregates or relation loaders): a struct around
    /// `corm::Repository`. Else `<Model>Repository` names
    /// `corm::Repository<'a, Model>` itself.
    pub own_methods: bool,
}

/// A model's reservations (`reserve stock in holds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveView {
    /// The stock column's Rust type (`i32` or `i64`).
    pub stock_type: String,
    /// The stock column, as a Rust string literal of its CQL name.
    pub stock: String,
    /// The holds column, likewise.
    pub holds: String,
    /// The stock field as written (for docs).
    pub stock_field: String,
}

/// A model's change log (`changes retain …`): its `corm::changes::Logged`
/// impl, which reads a recorded key, partition and patch back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangesView {
    /// The key fields, in key order.
    pub key_fields: Vec<String>,
    /// The partition key type and its fields, when it is not the key.
    pub partition: Option<(String, Vec<String>)>,
}

/// An `@embed(a, b)` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedView {
    /// The vector field's Rust name.
    pub ident: String,
    /// Its dimension.
    pub dimensions: u32,
    /// Each source field (text), read from `row`.
    pub sources: Vec<RowField>,
    /// The source fields, for docs (`` `a` and `b` ``).
    pub source_names: String,
}

/// The `nearest_<field>` method of one vector index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorSearchView {
    /// The method (`nearest_<field>`).
    pub method: String,
    /// The field, as written.
    pub field: String,
    /// `Model.field`, as a Rust string literal.
    pub index: String,
    /// The similarity, as a `corm::vector::Similarity` path.
    pub similarity: String,
    /// The CQL function that scores it (`similarity_cosine`, …), for docs.
    pub similarity_function: String,
    /// The vector's dimension.
    pub dimensions: u32,
    /// The vector field, read from `row`.
    pub vector: RowField,
    /// The statement's text before the table name, as a literal.
    pub head: String,
    /// Its text after the table name, as a literal.
    pub tail: String,
    /// The statement, for docs.
    pub cql: String,
    /// Its key among the repository's extra statements.
    pub key: String,
    /// `search_text` (or `search_text_<field>` when several indexed fields
    /// are `@embed`): embeds a text and searches, when the field is
    /// `@embed`.
    pub text_method: Option<String>,
}

impl RepoView {
    /// Whether its writes go in the `Db`'s batches: not counter tables
    /// (Cassandra keeps counter updates in batches of their own) and not
    /// models with `@unique` fields (a claim is a lightweight transaction
    /// on another partition, which a batch can't hold).
    #[must_use]
    pub fn batchable(&self) -> bool {
        !self.counter && self.unique.is_empty() && !self.read_only
    }

    /// The patch type (empty for a model without updates, which has no
    /// `@unique` fields: the view refuses them).
    #[must_use]
    pub fn update_patch(&self) -> &str {
        self.update
            .as_ref()
            .map_or("", |update| update.patch.as_str())
    }

    /// The unique fields the patch can set.
    #[must_use]
    pub fn patched_unique(&self) -> Vec<&UniqueView> {
        let Some(update) = &self.update else {
            return Vec::new();
        };
        self.unique
            .iter()
            .filter(|unique| {
                update
                    .steps
                    .iter()
                    .any(|step| step.now.is_none() && step.ident == unique.ident)
            })
            .collect()
    }
}

/// The most values a claim statement binds (the runtime's bound: the key's
/// columns and four markers).
const MAX_CLAIM_VALUES: usize = 20;

/// A `@unique` field: claimed in its lookup table before a row holding
/// it is written (by the runtime, over the model's `corm::unique::Unique`
/// impl).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueView {
    /// The field's Rust name without `r#` (for `find_by_email`).
    pub name: String,
    /// The Rust field.
    pub ident: String,
    /// The field's schema name, as a Rust string literal.
    pub field: String,
    /// Whether the field is optional (a `None` claims nothing).
    pub optional: bool,
    /// The type `find_by_` takes the value as (`&str` for text, `&[u8]`
    /// for blobs, by value for `Copy` types).
    pub param: String,
    /// How `find_by_` takes the value, which decides how the template
    /// compares it with a row's field.
    pub param_kind: UniqueParam,
    /// For a model with a tenant id, whose lookup table is keyed by tenant
    /// and value: the tenant id's field, which `find_by_` takes before the
    /// value.
    pub tenant: Option<TenantField>,
    /// Which of the model's `@unique` fields it is (from 0).
    pub index: usize,
    /// The claim statement's text after the keyspace, as a Rust literal.
    pub claim: String,
    /// The renewal's text after the keyspace, as a Rust literal.
    pub keep: String,
    /// The release's text after the keyspace, as a Rust literal.
    pub release: String,
    /// The lookup's text before the keyspace, as a Rust literal.
    pub find_head: String,
    /// The lookup's text after the keyspace, as a Rust literal.
    pub find_tail: String,
}

/// How `find_by_<field>` takes a `@unique` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueParam {
    /// As a slice: `&str` for text, `&[u8]` for blobs.
    Slice,
    /// By reference, `&T`.
    Borrowed,
    /// By value (a `Copy` type).
    Owned,
}

/// The tenant id's field of a model with one, as the claim helpers take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantField {
    /// The Rust field.
    pub ident: String,
    /// The type it is borrowed as (`str` for a `String`).
    pub borrowed: String,
}

/// The generated `update`: its columns and how each is filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateView {
    /// The patch type.
    pub patch: String,
    /// The updatable columns, quoted CQL (bit `i` of the mask is column
    /// `i`).
    pub columns: Vec<String>,
    /// The columns with how each is filled, in the same order.
    pub steps: Vec<UpdateStep>,
    /// The mask of the bits of static columns, as a Rust literal (`0`
    /// without): an update that sets static columns only names the
    /// partition alone (Cassandra refuses clustering columns in it).
    pub statics: String,
    /// The partition key fields of the key, then its clustering fields.
    pub key_split: (Vec<String>, Vec<String>),
    /// The most values an update binds: TTL and timestamp, every column
    /// and the key.
    pub capacity: usize,
}

impl UpdateView {
    /// Whether some column is `@on_update(now)`.
    #[must_use]
    pub fn has_now(&self) -> bool {
        self.steps.iter().any(|step| step.now.is_some())
    }
}

/// One column of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateStep {
    /// The bit of the column in the mask, as a Rust literal.
    pub flag: String,
    /// The patch field (`now` is `None`), or the local holding now.
    pub ident: String,
    /// For an `@on_update(now)` column: the field of `corm::rt::Now` it
    /// binds (`timestamp`, `date`, `time` or `timeuuid`).
    pub now: Option<String>,
    /// Whether the column may be null (its patch field is an
    /// `Option<Option<T>>`).
    pub optional: bool,
}

/// A model's `corm::TableSpec`: each text as a Rust string literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecView {
    /// The table.
    pub table: String,
    /// Every column, in declaration order.
    pub columns: String,
    /// A marker per column.
    pub markers: String,
    /// The primary key condition.
    pub key: String,
    /// The partition key condition.
    pub partition: String,
    /// The clustering columns.
    pub clustering: Vec<String>,
    /// The updatable columns, in mask bit order, joined by `, `, as a Rust
    /// string literal.
    pub updatable: String,
    /// The mask of the static updatable columns, as a Rust literal.
    pub statics: String,
    /// The counter columns.
    pub counters: Vec<String>,
    /// The Rust type of the partition key (the key type when the model has
    /// no clustering columns).
    pub partition_type: String,
    /// The change log (`changes retain …`).
    pub changes: Option<ChangeLogView>,
    /// The rows' cache (`cache …`).
    pub cache: Option<CacheView>,
    /// Each named query of the model whose answer a cache can hold
    /// (bounded, not `nearest`).
    pub queries: Vec<QuerySpecView>,
    /// Whether the model or one of its queries has a `cache` clause (the
    /// generated code then needs corm's `cache` feature).
    pub cached: bool,
    /// What its cache guarantees, for the docs of a model with `cache`.
    pub cache_note: Option<String>,
}

/// A model's change log: its `corm::changes::ChangeLogSpec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLogView {
    /// The log table, as a Rust string literal.
    pub table: String,
    /// How long a change is kept, in seconds.
    pub retain_seconds: u64,
}

/// A `cache` clause: a `corm::cache::CacheSpec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheView {
    /// How long an entry answers, in milliseconds.
    pub ttl_millis: u64,
    /// How many entries it holds at most.
    pub max_entries: u64,
}

impl CacheView {
    fn new(cache: &ir::Cache) -> Self {
        Self {
            ttl_millis: cache.ttl_millis,
            max_entries: cache.max_entries,
        }
    }
}

/// A named query a cache can hold: its `corm::QuerySpec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuerySpecView {
    /// Its name, as a Rust string literal.
    pub name: String,
    /// Its statement's key: its place among the schema's queries.
    pub key: usize,
    /// Its `cache` clause.
    pub cache: Option<CacheView>,
}

/// `db.tenant(id)`: the tenant id's Rust type and the models it scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantDbView {
    /// The tenant id's Rust type.
    pub ty: String,
    /// (accessor, model type) of each model with a `@tenant` field.
    pub models: Vec<(String, String)>,
    /// (accessor, point type) of each time series with one.
    pub series: Vec<(String, String)>,
    /// (accessor, stream marker type) of each event store with one.
    pub stores: Vec<(String, String)>,
}

/// How a tenant's keyspace is made (`tenancy per_keyspace`): the
/// `corm::tenancy::TenancySpec` fields as Rust literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenancyView {
    /// The replication map's CQL, as a string literal.
    pub replication: String,
    /// `durable_writes`.
    pub durable_writes: bool,
}

impl TenancyView {
    fn new(keyspace: &ir::Keyspace) -> Self {
        let quote = |text: &str| format!("'{}'", text.replace('\'', "''"));
        let replication = match &keyspace.replication {
            ir::Replication::Simple(factor) => {
                format!("{{'class': 'SimpleStrategy', 'replication_factor': {factor}}}")
            }
            ir::Replication::NetworkTopology(dcs) => {
                let dcs: Vec<String> = dcs
                    .iter()
                    .map(|(dc, factor)| format!("{}: {factor}", quote(dc)))
                    .collect();
                format!("{{'class': 'NetworkTopologyStrategy', {}}}", dcs.join(", "))
            }
        };
        Self {
            replication: format!("{replication:?}"),
            durable_writes: keyspace.durable_writes.unwrap_or(true),
        }
    }
}

/// A model's `corm::Clustered` impl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusteredView {
    /// The Rust type of the first clustering column.
    pub first: String,
    /// The clustering key type (the first column's type when it is the
    /// only one).
    pub clustering: String,
    /// The clustering key type's fields (empty when it is the column's own
    /// type).
    pub fields: Vec<String>,
}

/// A counter column's delta parameter of `add`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterView {
    /// The parameter name.
    pub param: String,
    /// The column, as CQL (for docs).
    pub column: String,
}

impl DbFile {
    /// The view of the repositories of `schema`'s models; `types` is the
    /// view of `types.rs` (for the Rust names of models and keys).
    ///
    /// # Errors
    /// [`CodegenError::Unsupported`] when a generated name would clash, or a
    /// counter update binds more values than the driver's tuples.
    pub fn new(
        schema: &ir::Schema,
        types: &TypesFile,
        queries: Option<&QueriesFile>,
        relations: Option<&RelationsFile>,
    ) -> Result<Self, CodegenError> {
        let mut repos = Vec::new();
        let type_names: Vec<&str> = types
            .enums
            .iter()
            .map(|item| item.ident.as_str())
            .chain(types.udts.iter().map(|item| item.ident.as_str()))
            .chain(types.models.iter().map(|item| item.ident.as_str()))
            .collect();
        for (model, view) in schema.models.iter().zip(&types.models) {
            let mut repo = repo_view(model, view, types, &schema.queries)?;
            repo.own_methods |= queries.is_some_and(|file| file.serves(&repo.repo))
                || relations.is_some_and(|file| file.serves(&repo.repo));
            for generated in std::iter::once(&view.key.ident)
                .chain(view.partition.as_ref().map(|key| &key.ident))
                .chain(view.clustering.as_ref().map(|key| &key.ident))
                .chain(view.patch.as_ref().map(|patch| &patch.ident))
                .chain([&repo.repo])
            {
                if type_names.contains(&generated.as_str())
                    || generated == "Db"
                    || generated == "Batch"
                {
                    return Err(CodegenError::Unsupported {
                        what: format!("`{}`", model.name),
                        reason: format!(
                            "the generated type `{generated}` clashes with another type"
                        ),
                    });
                }
            }
            repos.push(repo);
        }
        for generated in ["Db", "Batch"] {
            if type_names.contains(&generated) {
                return Err(CodegenError::Unsupported {
                    what: format!("`{generated}`"),
                    reason: format!(
                        "the generated type `{generated}` clashes with a type of the schema"
                    ),
                });
            }
        }
        let tenant_models = schema
            .models
            .iter()
            .any(|model| model.fields.iter().any(|field| field.tenant));
        if let Some(clash) = repos.iter().find(|repo| {
            tenant_models
                && (["tenant", "admin"].contains(&repo.accessor.as_str())
                    || ["TenantDb", "AdminDb"].contains(&repo.model.as_str()))
        }) {
            return Err(CodegenError::Unsupported {
                what: format!("`{}`", clash.model),
                reason: "a schema with `@tenant` fields has `Db::tenant`, `Db::admin`, `TenantDb` and `AdminDb`, which its accessor or type would clash with".to_owned(),
            });
        }
        let stores: Vec<super::StoreView> = schema
            .event_stores
            .iter()
            .map(|store| super::store_view(store, &schema.udts))
            .collect::<Result<_, _>>()?;
        let series: Vec<super::SeriesView> = schema
            .time_series
            .iter()
            .map(super::series_view)
            .collect::<Result<_, _>>()?;
        Ok(Self {
            embeds: repos.iter().any(|repo| !repo.embeds.is_empty()),
            tenant_db: {
                let models: Vec<(String, String)> = schema
                    .models
                    .iter()
                    .zip(&types.models)
                    .filter(|(_, view)| view.tenant.is_some())
                    .map(|(model, view)| (field_ident(&model.name), view.ident.clone()))
                    .collect();
                let tenant_series: Vec<(String, String)> = series
                    .iter()
                    .filter(|view| view.tenant.is_some())
                    .map(|view| (view.accessor.clone(), view.ident.clone()))
                    .collect();
                let tenant_stores: Vec<(String, String)> = stores
                    .iter()
                    .filter(|view| view.tenant.is_some())
                    .map(|view| (view.accessor.clone(), view.ident.clone()))
                    .collect();
                types
                    .models
                    .iter()
                    .find_map(|view| view.tenant.as_ref().map(|tenant| &tenant.field))
                    .map(|field| field.ty.clone())
                    .or_else(|| {
                        series.iter().find_map(|view| {
                            view.tenant.as_ref().map(|tenant| tenant.field.ty.clone())
                        })
                    })
                    .or_else(|| {
                        stores
                            .iter()
                            .find_map(|view| view.tenant.as_ref().map(|(tenant, _)| tenant.clone()))
                    })
                    .map(|ty| TenantDbView {
                        ty,
                        models,
                        series: tenant_series,
                        stores: tenant_stores,
                    })
            },
            tenancy: schema
                .keyspace
                .as_ref()
                .filter(|keyspace| keyspace.tenancy.is_some())
                .map(TenancyView::new),
            schema_keyspace: schema
                .desired
                .keyspace
                .as_ref()
                .map(|keyspace| format!("{:?}", keyspace.name.as_str())),
            repos,
            series,
            stores,
            sagas: schema
                .sagas
                .iter()
                .map(super::saga_view)
                .collect::<Result<_, _>>()?,
            migrations: !schema.migrations.is_empty(),
        })
    }

    /// Whether `Db` has batches: when some model is batchable.
    #[must_use]
    pub fn has_batch(&self) -> bool {
        self.repos.iter().any(RepoView::batchable)
    }

    /// Whether there is no repository.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.repos.is_empty()
            && self.series.is_empty()
            && self.stores.is_empty()
            && self.sagas.is_empty()
    }
}

fn repo_view(
    model: &ir::Model,
    view: &ModelView,
    types: &TypesFile,
    queries: &[ir::Query],
) -> Result<RepoView, CodegenError> {
    let accessor = field_ident(&model.name);
    check_accessor(model, &accessor)?;
    let table = quote(&model.table).into_owned();
    let column = |name: &str| super::queries::column(model, name);
    let counter = model.is_counter_table();
    let counters = counter_views(model);
    let key_columns: Vec<String> = model.key.fields().map(&column).collect();
    let unique = model
        .unique_fields()
        .enumerate()
        .map(|(index, field)| unique_view(model, view, (index, field), &key_columns, types))
        .collect::<Result<Vec<_>, _>>()?;
    let literal = |text: &str| format!("{text:?}");
    let spec = spec_view(model, view, queries);
    let update = match &view.patch {
        Some(patch) => Some(update_view(model, view, patch)?)
            .filter(|update: &UpdateView| !update.steps.is_empty()),
        None => None,
    };
    if update.is_none()
        && let Some(field) = model.unique_fields().next()
    {
        return Err(CodegenError::Unsupported {
            what: format!("`{}.{}`", model.name, field.name),
            reason: "a `@unique` field of a model whose rows no update can change".to_owned(),
        });
    }
    let clustered = clustered_view(model, view)?;
    let spec = match &update {
        Some(update) => SpecView {
            updatable: format!("{:?}", update.columns.join(", ")),
            statics: update.statics.clone(),
            ..spec
        },
        None => spec,
    };
    let vector_searches = vector_search_views(model);
    let embeds = embed_views(model);
    let changes = model.changes.as_ref().map(|_| ChangesView {
        key_fields: view.key.fields.iter().map(|f| f.ident.clone()).collect(),
        partition: view.partition.as_ref().map(|partition| {
            (
                partition.ident.clone(),
                partition.fields.iter().map(|f| f.ident.clone()).collect(),
            )
        }),
    });
    let reserve = model.reserve.as_ref().map(|reserve| ReserveView {
        stock_type: if reserve.stock_bigint { "i64" } else { "i32" }.to_owned(),
        stock: literal(&quote(&reserve.stock)),
        holds: literal(&quote(&reserve.holds)),
        stock_field: reserve.stock.clone(),
    });
    Ok(RepoView {
        own_methods: !vector_searches.is_empty()
            || !embeds.is_empty()
            || counter
            || !unique.is_empty()
            || reserve.is_some(),
        tenant: model.fields.iter().any(|field| field.tenant),
        changes,
        reserve,
        vector_searches,
        embeds,
        read_only: model.view_of.is_some(),
        spec,
        clustered,
        model_literal: format!("{:?}", model.name),
        unique,
        validates: view.validate.is_some(),
        patch_validates: view
            .validate
            .as_ref()
            .is_some_and(super::ValidateView::patch_validates),
        batch_suffix: bare(&accessor).to_owned(),
        update,
        model: view.ident.clone(),
        table,
        repo: format!("{}Repository", bare(&view.ident)),
        module: accessor.clone(),
        accessor,
        key: view.key.ident.clone(),
        partition: view.partition.as_ref().map(|key| key.ident.clone()),
        counter,
        counters,
    })
}

/// Refuses a model whose `Db` accessor or module clashes with the
/// generated code's own names.
fn check_accessor(model: &ir::Model, accessor: &str) -> Result<(), CodegenError> {
    if DB_METHODS.contains(&bare(accessor)) {
        return Err(CodegenError::Unsupported {
            what: format!("`{}`", model.name),
            reason: format!("its repository accessor `Db::{accessor}` clashes with a `Db` method"),
        });
    }
    if RESERVED_MODULES.contains(&bare(accessor)) {
        return Err(CodegenError::Unsupported {
            what: format!("`{}`", model.name),
            reason: format!(
                "its module `{accessor}` (the file `{}.rs`) clashes with a generated module",
                bare(accessor)
            ),
        });
    }
    Ok(())
}

/// The parameters of a counter table's `add`: one delta per counter column
/// (none for other tables).
fn counter_views(model: &ir::Model) -> Vec<CounterView> {
    let mut counters = Vec::new();
    if model.is_counter_table() {
        let deltas: Vec<&ir::Field> = model
            .fields
            .iter()
            .filter(|field| field.ty.is_counter())
            .collect();
        counters = deltas
            .iter()
            .map(|field| {
                let ident = field_ident(&field.name);
                CounterView {
                    param: if bare(&ident) == "key" {
                        "key_delta".to_owned()
                    } else {
                        ident
                    },
                    column: field.cql_name.clone(),
                }
            })
            .collect();
    }
    counters
}

/// The table's CQL, for its `TableSpec` (the updatable columns and
/// statics are the update's, filled in after).
fn spec_view(model: &ir::Model, view: &ModelView, queries: &[ir::Query]) -> SpecView {
    let table = quote(&model.table).into_owned();
    let column = |name: &str| super::queries::column(model, name);
    let columns: Vec<String> = model
        .fields
        .iter()
        .map(|field| quote(&field.cql_name).into_owned())
        .collect();
    let columns = columns.join(", ");
    let markers = vec!["?"; model.fields.len()].join(", ");
    let where_clause = |names: &mut dyn Iterator<Item = &str>| -> String {
        names
            .map(|name| format!("{} = ?", column(name)))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let by_key = where_clause(&mut model.key.fields());
    let by_partition = where_clause(&mut model.key.partition.iter().map(String::as_str));
    let literal = |text: &str| format!("{text:?}");
    SpecView {
        table: literal(&table),
        columns: literal(&columns),
        markers: literal(&markers),
        key: literal(&by_key),
        partition: literal(&by_partition),
        clustering: model
            .key
            .clustering
            .iter()
            .map(|clustering| literal(&column(&clustering.field)))
            .collect(),
        updatable: "\"\"".to_owned(),
        statics: "0".to_owned(),
        counters: model
            .fields
            .iter()
            .filter(|field| field.ty.is_counter())
            .map(|field| literal(&quote(&field.cql_name)))
            .collect(),
        partition_type: view
            .partition
            .as_ref()
            .map_or_else(|| view.key.ident.clone(), |key| key.ident.clone()),
        changes: model.changes.as_ref().map(|changes| ChangeLogView {
            table: literal(&changes.table),
            retain_seconds: changes.retain_seconds,
        }),
        cache: model.cache.as_ref().map(CacheView::new),
        // A query's statement key is its place among the schema's queries.
        queries: queries
            .iter()
            .enumerate()
            .filter(|(_, query)| {
                query.model == model.name && query.is_limited() && query.nearest.is_none()
            })
            .map(|(index, query)| QuerySpecView {
                name: literal(&query.name),
                key: index,
                cache: query.cache.as_ref().map(CacheView::new),
            })
            .collect(),
        cache_note: model.cache.map(|cache| {
            let across = if model.changes.is_some() {
                "within the change feed's lag in a process that runs `follow_invalidations`, else after"
            } else {
                "after"
            };
            format!(
                "Its rows are cached (`cache`, {} ms, {} entries): this process's writes make them stale at once; another process's writes are seen {across} the TTL.",
                cache.ttl_millis, cache.max_entries
            )
        }),
        cached: model.cache.is_some()
            || queries
                .iter()
                .any(|query| query.model == model.name && query.cache.is_some()),
    }
}

/// One `nearest_<field>` per vector index of the model.
fn vector_search_views(model: &ir::Model) -> Vec<VectorSearchView> {
    let table = quote(&model.table).into_owned();
    let columns = model
        .fields
        .iter()
        .map(|field| quote(&field.cql_name))
        .collect::<Vec<_>>()
        .join(", ");
    let column = |name: &str| super::queries::column(model, name);
    let embedded_indexes = model
        .vector_indexes
        .iter()
        .filter(|index| {
            model
                .field(&index.field)
                .is_some_and(|field| !field.embed.is_empty())
        })
        .count();
    model
        .vector_indexes
        .iter()
        .enumerate()
        .filter_map(|(number, index)| {
            let field = model.field(&index.field)?;
            let ir::Type::Vector(dimensions) = field.ty.unfrozen() else {
                return None;
            };
            let ident = field_ident(&field.name);
            let head = format!("SELECT {columns} FROM ");
            let tail = format!(" ORDER BY {} ANN OF ? LIMIT ?", column(&field.name));
            Some(VectorSearchView {
                method: format!("nearest_{}", bare(&ident)),
                field: field.name.clone(),
                index: format!("{:?}", format!("{}.{}", model.name, field.name)),
                similarity: format!(
                    "corm::vector::Similarity::{}",
                    super::queries::similarity_variant(index.similarity)
                ),
                similarity_function: super::queries::similarity_function(index.similarity)
                    .to_owned(),
                dimensions: *dimensions,
                vector: RowField::new(field),
                cql: format!("{head}<keyspace>.{table}{tail}"),
                head: format!("{head:?}"),
                tail: format!("{tail:?}"),
                text_method: (!field.embed.is_empty()).then(|| {
                    if embedded_indexes == 1 {
                        "search_text".to_owned()
                    } else {
                        format!("search_text_{}", bare(&ident))
                    }
                }),
                key: if number == 0 {
                    "corm::vector::VECTOR_STATEMENTS".to_owned()
                } else {
                    format!("corm::vector::VECTOR_STATEMENTS + {number}")
                },
            })
        })
        .collect()
}

/// The `@embed` fields, each with the text fields it is computed from.
fn embed_views(model: &ir::Model) -> Vec<EmbedView> {
    model
        .fields
        .iter()
        .filter(|field| !field.embed.is_empty())
        .filter_map(|field| {
            let ir::Type::Vector(dimensions) = field.ty.unfrozen() else {
                return None;
            };
            let sources = field
                .embed
                .iter()
                .filter_map(|name| model.field(name))
                .map(RowField::new)
                .collect();
            let names: Vec<String> = field.embed.iter().map(|name| format!("`{name}`")).collect();
            Some(EmbedView {
                ident: field_ident(&field.name),
                dimensions: *dimensions,
                sources,
                source_names: names.join(" and "),
            })
        })
        .collect()
}

/// The `corm::Clustered` impl of a model with clustering columns (`None`
/// without): the type of the first clustering column, and the clustering
/// key type (that column's own type when it is the only one).
fn clustered_view(
    model: &ir::Model,
    view: &ModelView,
) -> Result<Option<ClusteredView>, CodegenError> {
    let Some(first) = model.key.clustering.first() else {
        return Ok(None);
    };
    let ty = view
        .fields
        .iter()
        .zip(&model.fields)
        .find(|(_, field)| field.name == first.field)
        .map(|(field, _)| field.ty.clone())
        .ok_or_else(|| CodegenError::Unsupported {
            what: format!("`{}`", model.name),
            reason: format!("the key names `{}`, which is not a field", first.field),
        })?;
    Ok(Some(match &view.clustering {
        Some(clustering) => ClusteredView {
            first: ty,
            clustering: clustering.ident.clone(),
            fields: clustering.fields.iter().map(|f| f.ident.clone()).collect(),
        },
        None => ClusteredView {
            clustering: ty.clone(),
            first: ty,
            fields: Vec::new(),
        },
    }))
}

/// The `index`th `@unique` field: its view, with its lookup table's
/// statements. `key_columns` are the model's key columns, quoted, in key
/// order.
fn unique_view(
    model: &ir::Model,
    view: &ModelView,
    (index, field): (usize, &ir::Field),
    key_columns: &[String],
    types: &TypesFile,
) -> Result<UniqueView, CodegenError> {
    let what = format!("`{}.{}`", model.name, field.name);
    let field_view = view
        .fields
        .iter()
        .zip(&model.fields)
        .find(|(_, candidate)| candidate.name == field.name)
        .map(|(field_view, _)| field_view)
        .ok_or_else(|| CodegenError::Unsupported {
            what: what.clone(),
            reason: "a unique field that is not a field".to_owned(),
        })?;
    let lookup = quote(&crate::check::lower::unique_table_name(model, field)).into_owned();
    let value = quote(&field.cql_name).into_owned();
    let token = crate::check::lower::UNIQUE_CLAIM_COLUMN;
    // A tenant id leads the key (the checker sees to it) and, with the
    // value, keys the lookup table: each tenant has its own values.
    let tenant = model.fields.first().filter(|first| first.tenant);
    let kept_from = usize::from(tenant.is_some());
    let (lookup_key, written_at) = match tenant {
        Some(tenant) => (
            format!("{} = ? AND {value} = ?", quote(&tenant.cql_name)),
            token.to_owned(),
        ),
        None => (
            format!("{value} = ?"),
            key_columns.first().cloned().unwrap_or_default(),
        ),
    };
    if key_columns.len() + 4 > MAX_CLAIM_VALUES {
        return Err(CodegenError::Unsupported {
            what,
            reason: format!(
                "a unique claim binds more than {MAX_CLAIM_VALUES} values (the key's columns and four more)"
            ),
        });
    }
    let literal = |text: String| format!("{text:?}");
    let claim = literal(format!(
        ".{lookup} ({value}, {}, {token}) VALUES (?, {}, ?) IF NOT EXISTS USING TTL ?",
        key_columns.join(", "),
        vec!["?"; key_columns.len()].join(", ")
    ));
    let keep = literal(format!(
        ".{lookup} USING TTL ? SET {}{token} = ? WHERE {lookup_key} IF {token} = ?",
        key_columns[kept_from..]
            .iter()
            .map(|column| format!("{column} = ?, "))
            .collect::<String>()
    ));
    let release = literal(format!(".{lookup} WHERE {lookup_key} IF {token} = ?"));
    let find_head = literal(format!(
        "SELECT {token}, writetime({written_at}), toUnixTimestamp(now()), {} FROM ",
        key_columns.join(", "),
    ));
    let find_tail = literal(format!(".{lookup} WHERE {lookup_key}"));
    let param = super::queries::param_type(&field.ty, false, &what, types)?;
    // The tenant id's field and the type a helper borrows it as.
    let tenant = match (tenant, view.key.fields.first()) {
        (Some(_), Some(first)) => Some(TenantField {
            ident: first.ident.clone(),
            borrowed: if first.ty == "String" {
                "str".to_owned()
            } else {
                first.ty.clone()
            },
        }),
        _ => None,
    };
    let param_kind = if param.starts_with("&[") || param == "&str" {
        UniqueParam::Slice
    } else if param.starts_with('&') {
        UniqueParam::Borrowed
    } else {
        UniqueParam::Owned
    };
    Ok(UniqueView {
        name: bare(&field_view.ident).to_owned(),
        ident: field_view.ident.clone(),
        field: format!("{:?}", field.name),
        optional: field.optional,
        param,
        param_kind,
        tenant,
        index,
        claim,
        keep,
        release,
        find_head,
        find_tail,
    })
}

fn update_view(
    model: &ir::Model,
    view: &ModelView,
    patch: &PatchView,
) -> Result<UpdateView, CodegenError> {
    let mut columns = Vec::new();
    let mut steps = Vec::new();
    let mut static_mask = 0_u64;
    for (field_view, field) in view.fields.iter().zip(&model.fields) {
        let now = if field.on_update_now {
            Some(now_field(&field.ty, &format!("`{}.{}`", model.name, field.name))?.to_owned())
        } else if patch
            .fields
            .iter()
            .any(|patched| patched.ident == field_view.ident)
        {
            None
        } else {
            continue;
        };
        if field.is_static {
            static_mask |= 1_u64 << columns.len().min(63);
        }
        steps.push(UpdateStep {
            flag: format!("{:#x}", 1_u64 << columns.len().min(63)),
            ident: if now.is_some() {
                format!("now_{}", bare(&field_view.ident))
            } else {
                field_view.ident.clone()
            },
            now,
            optional: field.optional,
        });
        columns.push(quote(&field.cql_name).into_owned());
    }
    if columns.len() > MAX_UPDATE_COLUMNS {
        return Err(CodegenError::Unsupported {
            what: format!("`{}`", model.name),
            reason: format!("an update covers more than {MAX_UPDATE_COLUMNS} columns"),
        });
    }
    let partition_len = model.key.partition.len();
    let key_fields: Vec<String> = view.key.fields.iter().map(|f| f.ident.clone()).collect();
    let (partition, clustering) = key_fields.split_at(partition_len.min(key_fields.len()));
    Ok(UpdateView {
        patch: patch.ident.clone(),
        steps,
        statics: if static_mask == 0 {
            "0".to_owned()
        } else {
            format!("{static_mask:#x}")
        },
        key_split: (partition.to_vec(), clustering.to_vec()),
        capacity: 2 + columns.len() + view.key.fields.len(),
        columns,
    })
}

/// The field of `corm::rt::Now` an `@on_update(now)` column of type `ty`
/// binds.
pub(super) fn now_field(ty: &ir::Type, what: &str) -> Result<&'static str, CodegenError> {
    match ty.unfrozen() {
        ir::Type::Scalar(ir::Scalar::Timestamp) => Ok("timestamp"),
        ir::Type::Scalar(ir::Scalar::Date) => Ok("date"),
        ir::Type::Scalar(ir::Scalar::Time) => Ok("time"),
        ir::Type::Scalar(ir::Scalar::Timeuuid) => Ok("timeuuid"),
        _ => Err(CodegenError::Unsupported {
            what: what.to_owned(),
            reason: format!("`@on_update(now)` on a `{ty}`"),
        }),
    }
}
