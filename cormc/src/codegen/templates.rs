//! The askama templates (in the workspace's `templates/rust/`), one per
//! generated file, each over its view model.

use askama::Template;

use super::view::{
    Bound, Check, ClusteredView, Compare, DbFile, Kept, Limit, ModelView, OrderBy, Outcome, Owned,
    Pass, QueriesFile, Reach, ReadAs, RelationsFile, RepoView, SpecView, Summand, TotalOp,
    TypesFile, UniqueParam,
};

/// `mod.rs`: the module declarations and re-exports, and the schema's DDL.
#[derive(Template)]
#[template(path = "rust/mod.rs")]
pub(crate) struct ModRs<'a> {
    /// Whether there is a `types.rs` (enums or UDTs).
    pub(crate) has_types: bool,
    /// Each model's (and time series') module and the names it re-exports.
    pub(crate) models: Vec<(String, Vec<String>)>,
    /// The db file, to know whether it has repositories.
    pub(crate) db: &'a DbFile,
    /// The statements that set up a keyspace, each as the Rust string
    /// literals of its parts around the keyspace slots.
    pub(crate) schema_statements: Vec<Vec<String>>,
    /// Whether there is a `graphql.rs`.
    pub(crate) graphql: bool,
}

impl<'a> ModRs<'a> {
    pub(crate) fn new(
        types: &'a TypesFile,
        db: &'a DbFile,
        statements: &[crate::migrate::EmbeddedStatement],
        queries: Option<&QueriesFile>,
    ) -> Self {
        Self {
            has_types: types.has_values(),
            models: types
                .models
                .iter()
                .zip(&db.repos)
                .map(|(model, repo)| (repo.module.clone(), model_names(model, repo, queries)))
                .chain(db.series.iter().map(|series| {
                    let mut names = vec![
                        series.ident.clone(),
                        series.series_ident.clone(),
                        series.rollup_ident.clone(),
                    ];
                    if let Some(tenant) = &series.tenant {
                        names.extend([tenant.row.clone(), tenant.series.clone()]);
                    }
                    (series.accessor.clone(), names)
                }))
                .chain(db.stores.iter().map(|store| {
                    (
                        store.accessor.clone(),
                        vec![store.event_enum.clone(), store.ident.clone()],
                    )
                }))
                .chain(
                    db.sagas
                        .iter()
                        .map(|saga| (saga.accessor.clone(), saga.exported())),
                )
                .collect(),
            db,
            schema_statements: statements.iter().map(part_literals).collect(),
            graphql: false,
        }
    }
}

/// `<series>.rs`: a time series' point and series types.
#[derive(Template)]
#[template(path = "rust/time_series.rs")]
pub(crate) struct TimeSeriesRs<'a> {
    /// The view model.
    pub(crate) series: &'a super::view::SeriesView,
    /// The `use` paths of the codecs.
    pub(crate) uses: &'static [&'static str],
    /// Whether `types.rs` has enums or UDTs to import.
    pub(crate) has_types: bool,
}

impl<'a> TimeSeriesRs<'a> {
    pub(crate) fn new(series: &'a super::view::SeriesView, types: &TypesFile) -> Self {
        Self {
            series,
            uses: super::view::SERIES_USES,
            has_types: types.has_values(),
        }
    }
}

/// `<store>.rs`: an event store's events and marker type.
#[derive(Template)]
#[template(path = "rust/event_store.rs")]
pub(crate) struct EventStoreRs<'a> {
    /// The view model.
    pub(crate) store: &'a super::view::StoreView,
    /// Whether `types.rs` has enums or UDTs to import.
    pub(crate) has_types: bool,
}

/// `<saga>.rs`: a saga's input, outputs, steps trait and wrapper.
#[derive(Template)]
#[template(path = "rust/saga.rs")]
pub(crate) struct SagaRs<'a> {
    /// The view model.
    pub(crate) saga: &'a super::view::SagaView,
    /// Whether `types.rs` has enums or UDTs to import.
    pub(crate) has_types: bool,
}

/// `db.rs`: the `Db` handle and the repositories.
#[derive(Template)]
#[template(path = "rust/db.rs")]
pub(crate) struct DbRs<'a> {
    /// The view model.
    pub(crate) file: &'a DbFile,
}

impl<'a> DbRs<'a> {
    pub(crate) const fn new(file: &'a DbFile) -> Self {
        Self { file }
    }
}

/// `<model>.rs`: a model's row, key and patch types, their codecs, its
/// `corm::Table` impls and its repository.
#[derive(Template)]
#[template(path = "rust/model.rs")]
pub(crate) struct ModelRs<'a> {
    /// The model's types.
    pub(crate) item: &'a ModelView,
    /// Its repository.
    pub(crate) repo: &'a RepoView,
    /// Its table's CQL.
    pub(crate) spec: &'a SpecView,
    /// Its `corm::Clustered` impl.
    pub(crate) clustered: Option<&'a ClusteredView>,
    /// The `use` paths of the codecs.
    pub(crate) uses: &'static [&'static str],
    /// Whether `types.rs` has enums or UDTs to import.
    pub(crate) has_types: bool,
    /// The model's named queries and aggregates.
    pub(crate) queries: Option<QueriesFile>,
    /// The model's relation loaders.
    pub(crate) relations: Option<RelationsFile>,
    /// The other modules' items its queries and loaders name.
    pub(crate) imports: Vec<String>,
}

impl<'a> ModelRs<'a> {
    pub(crate) fn new(
        item: &'a ModelView,
        repo: &'a RepoView,
        types: &TypesFile,
        queries: Option<&QueriesFile>,
        relations: Option<&RelationsFile>,
    ) -> Self {
        let queries = queries.and_then(|file| file.for_repo(&repo.repo));
        let relations = relations.and_then(|file| file.for_repo(&repo.repo));
        let own = model_names(item, repo, queries.as_ref());
        let mut imports: Vec<String> = queries
            .iter()
            .flat_map(|file| file.uses.values().flatten())
            .chain(
                relations
                    .iter()
                    .flat_map(|file| file.uses.values().flatten()),
            )
            .filter(|name| !own.contains(name))
            // Enums and UDTs come with `use super::types::*`.
            .filter(|name| {
                !types.enums.iter().any(|item| &item.ident == *name)
                    && !types.udts.iter().any(|item| &item.ident == *name)
            })
            .cloned()
            .collect();
        imports.sort();
        imports.dedup();
        Self {
            item,
            repo,
            spec: &repo.spec,
            clustered: repo.clustered.as_ref(),
            uses: if repo.changes.is_some() {
                super::view::LOGGED_MODEL_USES
            } else {
                super::view::MODEL_USES
            },
            has_types: types.has_values(),
            queries,
            relations,
            imports,
        }
    }

    /// Whether a tenant's handle keeps the model's repository and the
    /// tenant id: for its named queries and relation loaders, or for the
    /// writes and lookups of `@unique` fields, which the generated
    /// repository makes.
    pub(crate) fn tenant_handle_has_repo(&self) -> bool {
        self.has_scoped_queries()
            || !self.repo.unique.is_empty()
            || self
                .relations
                .as_ref()
                .is_some_and(|file| file.repos.iter().any(|repo| repo.tenant_handle.is_some()))
    }

    /// Whether a named query of the model is offered on a tenant's handle.
    pub(crate) fn has_scoped_queries(&self) -> bool {
        self.queries.as_ref().is_some_and(|file| {
            file.queries.iter().any(|query| query.scoped.is_some())
                || file
                    .aggregates
                    .iter()
                    .any(|aggregate| aggregate.scoped.is_some())
        })
    }

    /// Whether the file collects or walks streams (`corm::TryStreamExt`).
    pub(crate) fn uses_try_stream(&self) -> bool {
        self.queries
            .as_ref()
            .is_some_and(QueriesFile::uses_try_stream)
    }
}

/// The public items of a model's file: its types, its repository and its
/// aggregates' result rows (which `mod.rs` re-exports).
pub(crate) fn model_names(
    item: &ModelView,
    repo: &RepoView,
    queries: Option<&QueriesFile>,
) -> Vec<String> {
    let mut names = vec![item.ident.clone(), item.key.ident.clone()];
    names.extend(item.partition.as_ref().map(|key| key.ident.clone()));
    names.extend(item.clustering.as_ref().map(|key| key.ident.clone()));
    names.extend(item.patch.as_ref().map(|patch| patch.ident.clone()));
    if let Some(tenant) = &item.tenant {
        names.push(tenant.row.clone());
        names.push(format!("{}OfTenant", item.ident));
        names.push(tenant.key.clone());
        if tenant.partition_fields.is_some() {
            names.push(tenant.partition.clone());
        }
    }
    names.push(repo.repo.clone());
    names.extend(
        queries
            .iter()
            .flat_map(|file| file.aggregates.iter())
            .filter(|aggregate| aggregate.repo == repo.repo)
            .map(|aggregate| aggregate.row.clone()),
    );
    names.extend(
        queries
            .iter()
            .flat_map(|file| file.queries.iter())
            .filter(|query| query.repo == repo.repo)
            .filter_map(|query| query.partial.as_ref().map(|row| row.ident.clone())),
    );
    names.extend(
        queries
            .iter()
            .flat_map(|file| file.mutations.iter())
            .filter(|mutation| mutation.repo == repo.repo)
            .filter_map(|mutation| match &mutation.outcome {
                Outcome::Conditional(current) => Some(current.ident.clone()),
                Outcome::Done | Outcome::Exists => None,
            }),
    );
    names
}

/// `types.rs`: enums and UDTs.
#[derive(Template)]
#[template(path = "rust/types.rs")]
pub(crate) struct TypesRs<'a> {
    /// The view model.
    pub(crate) file: &'a TypesFile,
}

impl<'a> TypesRs<'a> {
    pub(crate) const fn new(file: &'a TypesFile) -> Self {
        Self { file }
    }
}

/// `migrations.rs`: the migrations as data.
#[derive(Template)]
#[template(path = "rust/migrations.rs")]
pub(crate) struct MigrationsRs {
    /// The migrations, with every text as a Rust string literal.
    pub(crate) migrations: Vec<MigrationView>,
}

/// One migration in `migrations.rs`.
pub(crate) struct MigrationView {
    /// Its number.
    pub(crate) id: u32,
    /// Its name, as a Rust string literal.
    pub(crate) name: String,
    /// Its checksum, as a Rust string literal.
    pub(crate) checksum: String,
    /// Each statement's parts, as Rust string literals.
    pub(crate) statements: Vec<Vec<String>>,
}

impl MigrationsRs {
    pub(crate) fn new(migrations: &[crate::migrate::EmbeddedMigration]) -> Self {
        Self {
            migrations: migrations
                .iter()
                .map(|migration| MigrationView {
                    id: migration.id,
                    name: format!("{:?}", migration.name),
                    checksum: format!("{:?}", migration.checksum),
                    statements: migration.statements.iter().map(part_literals).collect(),
                })
                .collect(),
        }
    }
}

/// The parts of a statement cut at its keyspace slots, as Rust string
/// literals.
fn part_literals(statement: &crate::migrate::EmbeddedStatement) -> Vec<String> {
    statement
        .parts
        .iter()
        .map(|part| format!("{part:?}"))
        .collect()
}

/// `graphql.rs` (`cormc generate --graphql`).
#[derive(Template)]
#[template(path = "rust/graphql.rs")]
pub(crate) struct GraphqlRs<'a> {
    pub file: &'a super::view::GraphqlFile,
}
