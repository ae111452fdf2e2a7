//! The view of `graphql.rs` and `schema.graphql` (`cormc generate
//! --graphql`): each enum, user-defined type and model with its GraphQL
//! names and types, and what the runtime's schema builder is told about
//! each model (its access paths and writes).

use heck::{ToLowerCamelCase, ToShoutySnakeCase};

use super::queries::QueryView;
use super::relations::LoaderView;
use super::{DbFile, QueriesFile, RelationsFile, TypesFile, bare_ident, doc_lines, field_ident};
use crate::codegen::CodegenError;
use crate::codegen::graphql_types::{GraphqlType, graphql_type};
use crate::ir;

/// Everything `graphql.rs` and `schema.graphql` hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlFile {
    /// The enums, in declaration order.
    pub enums: Vec<GraphqlEnum>,
    /// The user-defined types, in declaration order.
    pub udts: Vec<GraphqlObject>,
    /// The models, in declaration order.
    pub models: Vec<GraphqlModel>,
    /// The relations, as fields of their models' objects, in declaration
    /// order.
    pub relations: Vec<GraphqlRelation>,
    /// The named queries GraphQL serves, in declaration order.
    pub queries: Vec<GraphqlQuery>,
    /// The aggregates GraphQL serves, in declaration order.
    pub aggregates: Vec<GraphqlAggregate>,
    /// The time series, in declaration order.
    pub series: Vec<GraphqlSeries>,
    /// The event stores, in declaration order.
    pub stores: Vec<GraphqlStore>,
}

/// An event store: its events as a union and a one-of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlStore {
    /// The marker type (`WalletStream`).
    pub ident: String,
    /// The store's name (`Wallet`).
    pub name: String,
    /// The first part of its field names (`wallet`).
    pub field: String,
    /// The `Db` method, which is also its module.
    pub accessor: String,
    /// The event enum (`WalletEvent`).
    pub event_enum: String,
    /// The stream id's GraphQL input type.
    pub id_graphql: String,
    /// The events, in declaration order.
    pub events: Vec<GraphqlEvent>,
}

/// An event of a store: its payload as an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlEvent {
    /// The variant and its payload struct (`Credited`).
    pub variant: String,
    /// Its field in the store's event input (`credited`).
    pub field: String,
    /// The payload's object: named `<Store><Event>` (`WalletCredited`).
    pub object: GraphqlObject,
}

/// A time series: its point as an object and input, its series fields as
/// arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlSeries {
    /// The point's Rust (and GraphQL) type.
    pub ident: String,
    /// The first part of its field names (`pageLoad`).
    pub field: String,
    /// The `Db` method of its repository.
    pub accessor: String,
    /// The series-key type (`PageLoadSeries`).
    pub series_ident: String,
    /// The series fields (the first of `point.fields`).
    pub series_fields: Vec<GraphqlField>,
    /// The point: every field (series fields, `ts`, values).
    pub point: GraphqlObject,
}

/// An aggregate as a query field, with its result row as an object type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlAggregate {
    /// The Rust type the generated code declares for it.
    pub ident: String,
    /// The field's GraphQL name.
    pub field: String,
    /// The model's repository accessor on `Db`.
    pub accessor: String,
    /// The repository's method.
    pub method: String,
    /// What the method returns (`Vec<OrderTotals>`).
    pub returns: String,
    /// The field's GraphQL type.
    pub output_graphql: String,
    /// The arguments, in the method's order.
    pub params: Vec<GraphqlParam>,
    /// The result row, an output type.
    pub row: GraphqlResultRow,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
}

/// A field of an aggregate's result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateField {
    /// The GraphQL name.
    pub name: String,
    /// The Rust field.
    pub ident: String,
    /// Its Rust type.
    pub rust_type: String,
    /// Its GraphQL type.
    pub graphql: String,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
}

/// A named query as a query field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlQuery {
    /// The Rust type the generated code declares for it.
    pub ident: String,
    /// The field's GraphQL name.
    pub field: String,
    /// The model's repository accessor on `Db`.
    pub accessor: String,
    /// The repository's method.
    pub method: String,
    /// What the method returns (`Vec<Order>`).
    pub output: String,
    /// The field's GraphQL type.
    pub output_graphql: String,
    /// The scored type a nearest-neighbour search returns (`OrderScored`)
    /// and the row's type, for the SDL.
    pub scored: Option<(String, String)>,
    /// The arguments, in the method's order.
    pub params: Vec<GraphqlParam>,
    /// The row's model (its Rust and GraphQL type).
    pub row: String,
    /// A query without `limit`: read a page at a time as a connection,
    /// with its statement and values.
    pub page: Option<GraphqlPage>,
    /// A query with a `select` list: its partial row, an output type (the
    /// method's result is wrapped in `corm::graphql::Values`).
    pub partial: Option<GraphqlResultRow>,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
}

/// A result row that is not a model's (a query's partial row): an
/// output-only object type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlResultRow {
    /// Its Rust (and GraphQL) type.
    pub ident: String,
    /// Its description, as a Rust string literal.
    pub description: String,
    /// Its description's text.
    pub description_text: String,
    /// Its fields.
    pub fields: Vec<AggregateField>,
}

/// How a query without `limit` reads one page: its statement (as the
/// repository's method states it, so both share one prepared statement)
/// and values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlPage {
    /// The statement's name.
    pub name: String,
    /// Its cache key, as a Rust expression.
    pub key: String,
    /// The CQL before the table, as a Rust string literal.
    pub head: String,
    /// The CQL after the table, as a Rust string literal.
    pub tail: String,
    /// The values bound: the items of a Rust tuple over the arguments.
    pub values: Vec<String>,
}

/// An argument of a named query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlParam {
    /// The GraphQL name.
    pub name: String,
    /// A local variable holding its value.
    pub local: String,
    /// The owned Rust type read from the client's value.
    pub owned: String,
    /// Whether the method borrows it (`&local`) rather than taking it.
    pub borrowed: bool,
    /// The GraphQL input type.
    pub graphql: String,
}

/// A relation, as a field of its model's object loaded through the
/// generated batched loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlRelation {
    /// The Rust type the generated code declares for it.
    pub ident: String,
    /// The declaring model's Rust (and GraphQL) type.
    pub parent: String,
    /// The declaring model's repository accessor on `Db`.
    pub accessor: String,
    /// The field's GraphQL name.
    pub field: String,
    /// The batched loader (`orders_of`).
    pub batch: String,
    /// What one parent loads: `Vec<Order>` or `Option<Customer>`.
    pub loaded: String,
    /// The target's Rust (and GraphQL) type.
    pub target: String,
    /// `has_many`.
    pub many: bool,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
}

/// An enum: a GraphQL enum, or `String` when it is `open`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlEnum {
    /// The Rust type (and GraphQL type) name.
    pub ident: String,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
    /// Each value's GraphQL name (`PENDING`) and Rust variant.
    pub values: Vec<(String, String)>,
    /// `open`: text the schema does not list is a value too, so GraphQL
    /// sees the stored text as a `String`.
    pub open: bool,
}

/// A user-defined type: a value-backed object type and its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlObject {
    /// The Rust type (and GraphQL type) name.
    pub ident: String,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
    /// The fields, in declaration order.
    pub fields: Vec<GraphqlField>,
}

/// A field of a model or user-defined type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlField {
    /// The GraphQL name (lowerCamelCase).
    pub name: String,
    /// The Rust field.
    pub ident: String,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
    /// Its GraphQL type, when present (`Option` fields are nullable).
    pub ty: GraphqlType,
    /// Whether the Rust field is an `Option`.
    pub optional: bool,
    /// The Rust type (with `Option` when optional).
    pub rust_type: String,
    /// The roles the runtime is told (`PARTITION | REQUIRED`), as Rust.
    pub roles: String,
    /// In the partition key.
    pub partition: bool,
    /// A clustering column.
    pub clustering: bool,
    /// An insert must give it (a parameter of `new`).
    pub required: bool,
    /// In the patch.
    pub patch: bool,
}

/// A model and what its GraphQL schema has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlModel {
    /// The Rust type (and GraphQL type) name.
    pub ident: String,
    /// The query field that reads one row (`order`).
    pub field: String,
    /// The description, as a Rust string literal.
    pub description: String,
    /// The description's text.
    pub description_text: String,
    /// The `Db` method of its repository.
    pub accessor: String,
    /// The fields, in declaration order.
    pub fields: Vec<GraphqlField>,
    /// The key type and its fields.
    pub key: GraphqlStruct,
    /// The partition key type and its fields, when the model has
    /// clustering columns.
    pub partition: Option<GraphqlStruct>,
    /// Inserts and deletes (not a counter table or a view).
    pub insert: Option<GraphqlInsert>,
    /// Updates: the patch type and its fields.
    pub patch: Option<GraphqlStruct>,
    /// `changes retain …`: the subscription to its changes.
    pub changes: bool,
    /// The table orders its first clustering column descending.
    pub first_descending: bool,
    /// The GraphQL input type of the first clustering column (nullable),
    /// the type of a partition read's `from` and `to`.
    pub first_bound: String,
}

impl GraphqlModel {
    /// The partition key's type and fields: the primary key's when the
    /// model has no clustering columns.
    pub fn partition_or_key(&self) -> &GraphqlStruct {
        self.partition.as_ref().unwrap_or(&self.key)
    }
}

/// A Rust struct built from a client's input: its type and fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlStruct {
    /// The Rust type.
    pub ident: String,
    /// Its fields, in order.
    pub fields: Vec<NamedField>,
}

/// A field read from a client's input: its GraphQL name and Rust field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedField {
    /// The GraphQL name.
    pub name: String,
    /// The Rust field.
    pub ident: String,
}

/// How a row to insert is built from a client's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlInsert {
    /// The GraphQL names of `new`'s parameters, in order.
    pub params: Vec<String>,
    /// The fields set after `new` when sent (defaulted or optional).
    pub set: Vec<NamedField>,
}

impl GraphqlModel {
    /// The fields in the primary key, in declaration order.
    pub fn key_fields(&self) -> impl Iterator<Item = &GraphqlField> {
        self.fields
            .iter()
            .filter(|field| field.partition || field.clustering)
    }
}

/// `text` as a Rust string literal.
fn literal(text: &str) -> String {
    format!("{text:?}")
}

/// The description of an item: its `///` text, lines joined.
fn description(doc: Option<&str>) -> String {
    doc_lines(doc, "")
        .iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The GraphQL name of the schema field `name`.
pub fn field_name(name: &str) -> String {
    name.to_lower_camel_case()
}

impl GraphqlFile {
    /// The view of `schema`, whose Rust view is `types` and `db`.
    ///
    /// # Errors
    /// [`CodegenError::Unsupported`] for a type GraphQL can't carry.
    pub fn new(
        schema: &ir::Schema,
        types: &TypesFile,
        db: &DbFile,
        relations: Option<&RelationsFile>,
        queries_file: Option<&QueriesFile>,
    ) -> Result<Self, CodegenError> {
        let enums = schema
            .enums
            .iter()
            .zip(&types.enums)
            .map(|(item, view)| {
                let text = description(item.doc.as_deref());
                GraphqlEnum {
                    ident: view.ident.clone(),
                    description: literal(&text),
                    description_text: text,
                    values: view
                        .variants
                        .iter()
                        .zip(&item.variants)
                        .map(|(variant, name)| (variant_name(&name.name), variant.ident.clone()))
                        .collect(),
                    open: view.open,
                }
            })
            .collect();
        let udts = schema
            .udts
            .iter()
            .zip(&types.udts)
            .map(|(item, view)| {
                let text = description(item.doc.as_deref());
                let fields = item
                    .fields
                    .iter()
                    .zip(&view.fields)
                    .map(|(field, field_view)| graphql_field(schema, field, &field_view.ty, 0))
                    .collect::<Result<_, _>>()?;
                Ok(GraphqlObject {
                    ident: view.ident.clone(),
                    description: literal(&text),
                    description_text: text,
                    fields,
                })
            })
            .collect::<Result<_, CodegenError>>()?;
        let models = schema
            .models
            .iter()
            .zip(&types.models)
            .zip(&db.repos)
            .map(|((item, view), repo)| model(schema, item, view, repo))
            .collect::<Result<Vec<_>, _>>()?;
        let declaring = schema
            .models
            .iter()
            .zip(&db.repos)
            .filter(|(model, _)| !model.relations.is_empty());
        let relations = declaring
            .zip(relations.iter().flat_map(|file| &file.repos))
            .flat_map(|((model, repo), loaders)| {
                model
                    .relations
                    .iter()
                    .zip(&loaders.loaders)
                    .map(move |(relation, loader)| relation_view(model, repo, relation, loader))
            })
            .collect();
        let mut taken: std::collections::BTreeSet<String> = models
            .iter()
            .flat_map(|model| {
                let partition = model
                    .partition
                    .as_ref()
                    .map(|_| format!("{}Partition", model.field));
                std::iter::once(model.field.clone()).chain(partition)
            })
            .collect();
        let mut served = Vec::new();
        for (query, view) in schema
            .queries
            .iter()
            .zip(queries_file.iter().flat_map(|file| &file.queries))
        {
            let Some(mut graphql) = query_view(schema, db, query, view) else {
                continue;
            };
            claim_field(
                &mut taken,
                &mut graphql.field,
                "Query",
                "query",
                &query.name,
            )?;
            served.push(graphql);
        }
        let queries = served;
        let mut aggregates = Vec::new();
        for (aggregate, view) in schema
            .aggregates
            .iter()
            .zip(queries_file.iter().flat_map(|file| &file.aggregates))
        {
            let Some(mut graphql) = aggregate_view(schema, db, aggregate, view) else {
                continue;
            };
            claim_field(
                &mut taken,
                &mut graphql.field,
                "Aggregate",
                "aggregate",
                &aggregate.name,
            )?;
            aggregates.push(graphql);
        }
        let series = schema
            .time_series
            .iter()
            .zip(&db.series)
            .map(|(item, view)| series_view(schema, item, view))
            .collect::<Result<Vec<_>, _>>()?;
        let stores = schema
            .event_stores
            .iter()
            .zip(&db.stores)
            .map(|(item, view)| store_view(schema, item, view))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            enums,
            udts,
            models,
            relations,
            queries,
            aggregates,
            series,
            stores,
        })
    }
}

/// The view of a named query, or `None` for one GraphQL does not serve
/// yet: a query returning a stream (no `limit`), or a partial row
/// (`select`).
fn query_view(
    schema: &ir::Schema,
    db: &DbFile,
    query: &ir::Query,
    view: &QueryView,
) -> Option<GraphqlQuery> {
    let paged = !(view.bounded || view.single || view.nearest.is_some());
    let partial = match &view.partial {
        None => None,
        // A partial row a page at a time, or scored, is not served yet.
        Some(_) if paged || view.nearest.is_some() => return None,
        Some(partial) => Some(result_row(
            schema,
            &partial.ident,
            &partial.doc,
            partial.fields.iter().map(|field| {
                (
                    field.ident.as_str(),
                    field.ty.as_str(),
                    field.doc.as_slice(),
                )
            }),
        )?),
    };
    let model = super::type_ident(&query.model);
    let accessor = db
        .repos
        .iter()
        .find(|repo| repo.model == model)?
        .accessor
        .clone();
    let (output, output_graphql, scored) = if view.nearest.is_some() {
        (
            format!("Vec<corm::vector::Scored<{}>>", view.row),
            format!("[{model}Scored!]!"),
            Some((format!("{model}Scored"), model.clone())),
        )
    } else if let Some(partial) = &partial {
        let row = &partial.ident;
        if view.single {
            (
                format!("corm::graphql::Values<Option<{row}>>"),
                row.clone(),
                None,
            )
        } else {
            (
                format!("corm::graphql::Values<Vec<{row}>>"),
                format!("[{row}!]!"),
                None,
            )
        }
    } else if view.single {
        (format!("Option<{}>", view.row), model.clone(), None)
    } else if paged {
        (
            format!("corm::Page<{}>", view.row),
            format!("{model}Connection!"),
            None,
        )
    } else {
        (format!("Vec<{}>", view.row), format!("[{model}!]!"), None)
    };
    let params = graphql_params(schema, &query.params, &view.params)?;
    let text = description(query.doc.as_deref());
    Some(GraphqlQuery {
        ident: format!("{}Query", bare_ident(&super::type_ident(&query.name))),
        field: field_name(&query.name),
        accessor,
        method: view.ident.clone(),
        output,
        output_graphql,
        scored,
        params,
        row: model,
        partial,
        page: paged.then(|| GraphqlPage {
            name: view.ident.clone(),
            key: view.statement.cache_key.clone(),
            head: view.statement.head.clone(),
            tail: view.statement.tail.clone(),
            values: view.values.clone(),
        }),
        description: literal(&text),
        description_text: text,
    })
}

/// Takes the query field name `field` for the `kind` named `name`: a
/// model's own fields keep their names, so a name one of them has gets
/// `suffix` (`<name>Query`); a clash left after that is refused.
fn claim_field(
    taken: &mut std::collections::BTreeSet<String>,
    field: &mut String,
    suffix: &str,
    kind: &str,
    name: &str,
) -> Result<(), CodegenError> {
    if taken.contains(field.as_str()) {
        field.push_str(suffix);
    }
    if taken.insert(field.clone()) {
        return Ok(());
    }
    Err(CodegenError::Unsupported {
        what: format!("{kind} `{name}`"),
        reason: format!("its GraphQL field `{field}` is another field's name; rename the {kind}"),
    })
}

/// The view of an event store.
fn store_view(
    schema: &ir::Schema,
    item: &ir::EventStore,
    view: &super::StoreView,
) -> Result<GraphqlStore, CodegenError> {
    let name = super::type_ident(&item.name);
    let id_graphql = graphql_type(schema, &item.id_type)
        .ok_or_else(|| CodegenError::Unsupported {
            what: format!("event store `{}`", item.name),
            reason: "its id type has no GraphQL mapping".to_owned(),
        })?
        .input;
    let events = item
        .events
        .iter()
        .zip(&view.events)
        .map(|(event, event_view)| {
            let fields = event
                .fields
                .iter()
                .zip(&event_view.fields)
                .map(|(field, field_view)| graphql_field(schema, field, &field_view.ty, 0))
                .collect::<Result<Vec<_>, _>>()?;
            let text = description(event.doc.as_deref());
            Ok(GraphqlEvent {
                variant: event_view.ident.clone(),
                field: field_name(&event.name),
                object: GraphqlObject {
                    ident: format!("{}{}", bare_ident(&name), bare_ident(&event_view.ident)),
                    description: literal(&text),
                    description_text: text,
                    fields,
                },
            })
        })
        .collect::<Result<Vec<_>, CodegenError>>()?;
    Ok(GraphqlStore {
        ident: view.ident.clone(),
        field: field_name(&item.name),
        accessor: view.accessor.clone(),
        event_enum: view.event_enum.clone(),
        id_graphql,
        events,
        name,
    })
}

/// The view of a time series.
fn series_view(
    schema: &ir::Schema,
    item: &ir::TimeSeries,
    view: &super::SeriesView,
) -> Result<GraphqlSeries, CodegenError> {
    let series_fields = item
        .series
        .iter()
        .zip(&view.fields)
        .map(|(field, field_view)| graphql_field(schema, field, &field_view.ty, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let ts_text = "The point's time (UTC; Cassandra keeps milliseconds).".to_owned();
    let ts = GraphqlField {
        name: "ts".to_owned(),
        ident: "ts".to_owned(),
        description: literal(&ts_text),
        description_text: ts_text,
        ty: GraphqlType {
            output: "Timestamp!".to_owned(),
            input: "Timestamp!".to_owned(),
            name: "Timestamp".to_owned(),
        },
        optional: false,
        rust_type: "corm::chrono::DateTime<corm::chrono::Utc>".to_owned(),
        roles: "0".to_owned(),
        partition: false,
        clustering: false,
        required: false,
        patch: false,
    };
    let values = item
        .fields
        .iter()
        .zip(view.fields.iter().skip(view.series_len + 1))
        .map(|(field, field_view)| graphql_field(schema, field, &field_view.ty, 0))
        .collect::<Result<Vec<_>, _>>()?;
    let text = description(item.doc.as_deref());
    let mut fields = series_fields.clone();
    fields.push(ts);
    fields.extend(values);
    Ok(GraphqlSeries {
        ident: view.ident.clone(),
        field: field_name(&item.name),
        accessor: view.accessor.clone(),
        series_ident: view.series_ident.clone(),
        series_fields,
        point: GraphqlObject {
            ident: view.ident.clone(),
            description: literal(&text),
            description_text: text,
            fields,
        },
    })
}

/// The view of an aggregate, or `None` when a result field has no GraphQL
/// mapping.
fn aggregate_view(
    schema: &ir::Schema,
    db: &DbFile,
    aggregate: &ir::Aggregate,
    view: &super::queries::AggregateView,
) -> Option<GraphqlAggregate> {
    let model = super::type_ident(&aggregate.model);
    let accessor = db
        .repos
        .iter()
        .find(|repo| repo.model == model)?
        .accessor
        .clone();
    let params = graphql_params(schema, &aggregate.params, &view.params)?;
    let row = result_row(
        schema,
        &view.row,
        &view.row_doc,
        view.fields.iter().map(|field| {
            (
                field.ident.as_str(),
                field.ty.as_str(),
                field.doc.as_slice(),
            )
        }),
    )?;
    let name = &row.ident;
    let output_graphql = if view.returns.starts_with("Vec<") {
        format!("[{name}!]!")
    } else if view.returns.starts_with("Option<") {
        name.clone()
    } else {
        format!("{name}!")
    };
    let text = description(aggregate.doc.as_deref());
    Some(GraphqlAggregate {
        ident: format!(
            "{}Aggregate",
            bare_ident(&super::type_ident(&aggregate.name))
        ),
        field: field_name(&aggregate.name),
        accessor,
        method: view.ident.clone(),
        returns: view.returns.clone(),
        output_graphql,
        params,
        row,
        description: literal(&text),
        description_text: text,
    })
}

/// The result row `ident` (doc lines `doc`) with `fields` (Rust name,
/// Rust type, doc lines), or `None` when a field's type has no GraphQL
/// mapping.
fn result_row<'f>(
    schema: &ir::Schema,
    ident: &str,
    doc: &[String],
    fields: impl Iterator<Item = (&'f str, &'f str, &'f [String])>,
) -> Option<GraphqlResultRow> {
    let fields = fields
        .map(|(ident, ty, doc)| {
            let text = description_of_lines(doc);
            Some(AggregateField {
                name: field_name(bare_ident(ident)),
                ident: ident.to_owned(),
                rust_type: ty.to_owned(),
                graphql: graphql_of_rust(schema, ty)?,
                description: literal(&text),
                description_text: text,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let text = description_of_lines(doc);
    Some(GraphqlResultRow {
        ident: ident.to_owned(),
        description: literal(&text),
        description_text: text,
        fields,
    })
}

/// A description from doc lines (each led by a space).
fn description_of_lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The arguments of a method taking `params` (the view's), declared as
/// `declared` (the schema's, for their types); `None` when one has no
/// GraphQL type.
fn graphql_params(
    schema: &ir::Schema,
    declared: &[ir::Param],
    params: &[super::queries::ParamView],
) -> Option<Vec<GraphqlParam>> {
    params
        .iter()
        .map(|param| {
            let ir = declared
                .iter()
                .find(|candidate| field_ident(&candidate.name) == param.ident)?;
            let ty = graphql_type(schema, &ir.ty)?;
            let graphql = if ir.list {
                format!("[{}]!", ty.input)
            } else {
                ty.input
            };
            let borrowed = param
                .ty
                .strip_prefix("&'s ")
                .or_else(|| param.ty.strip_prefix('&'));
            let owned = match borrowed {
                Some("str") => "String".to_owned(),
                Some(slice) if slice.starts_with('[') => {
                    format!("Vec<{}>", &slice[1..slice.len() - 1])
                }
                Some(other) => other.to_owned(),
                None => param.ty.clone(),
            };
            Some(GraphqlParam {
                name: field_name(&ir.name),
                local: param.ident.clone(),
                owned,
                borrowed: borrowed.is_some(),
                graphql,
            })
        })
        .collect()
}

/// The GraphQL type of a Rust type of generated code (an aggregate's
/// result field), as the runtime's `GraphqlValue` impls name it; `None`
/// for one it has no mapping for.
fn graphql_of_rust(schema: &ir::Schema, ty: &str) -> Option<String> {
    let ty = ty.trim();
    if let Some(inner) = ty
        .strip_prefix("Option<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        let inner = graphql_of_rust(schema, inner)?;
        return Some(inner.strip_suffix('!').unwrap_or(&inner).to_owned());
    }
    for list in ["Vec<", "std::collections::BTreeSet<"] {
        if let Some(item) = ty
            .strip_prefix(list)
            .and_then(|rest| rest.strip_suffix('>'))
        {
            if item == "u8" {
                return Some("Blob!".to_owned());
            }
            return Some(format!("[{}]!", graphql_of_rust(schema, item)?));
        }
    }
    let name = match ty {
        "i8" | "i16" | "i32" => "Int",
        "i64" | "corm::BigInt" | "corm::Counter" => "BigInt",
        "f32" | "f64" => "Float",
        "bool" => "Boolean",
        "String" => "String",
        "corm::Uuid" => "UUID",
        "corm::CqlTimeuuid" => "TimeUUID",
        "corm::BigDecimal" => "Decimal",
        "corm::chrono::DateTime<corm::chrono::Utc>" => "Timestamp",
        "corm::chrono::NaiveDate" => "Date",
        "corm::chrono::NaiveTime" => "Time",
        "corm::CqlDuration" => "Duration",
        "std::net::IpAddr" => "Inet",
        other => {
            if schema
                .udts
                .iter()
                .any(|udt| super::type_ident(&udt.name) == other)
            {
                return Some(format!("{other}!"));
            }
            let open = schema
                .enums
                .iter()
                .find(|item| super::type_ident(&item.name) == other)
                .map(|item| item.open);
            return match open {
                Some(true) => Some("String!".to_owned()),
                Some(false) => Some(format!("{other}!")),
                None => None,
            };
        }
    };
    Some(format!("{name}!"))
}

/// The view of `relation`, declared by `model` (whose repository is
/// `repo`), loaded by `loader`.
fn relation_view(
    model: &ir::Model,
    repo: &super::RepoView,
    relation: &ir::Relation,
    loader: &LoaderView,
) -> GraphqlRelation {
    let fields = relation
        .fields
        .iter()
        .map(|field| format!("`{field}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let target = &loader.row;
    let text = match relation.kind {
        ir::RelationKind::HasMany => {
            format!("The `{target}` rows whose {fields} hold this row's key.")
        }
        ir::RelationKind::HasOne => {
            format!("The `{target}` whose {fields} hold this row's key, or null.")
        }
        ir::RelationKind::BelongsTo => {
            format!("The `{target}` this row's {fields} refer to, or null.")
        }
    };
    let parent = super::type_ident(&model.name);
    GraphqlRelation {
        ident: format!(
            "{}{}Relation",
            bare_ident(&parent),
            super::type_ident(&relation.name)
        ),
        accessor: repo.accessor.clone(),
        field: field_name(&relation.name),
        batch: loader.batch.clone(),
        loaded: if loader.many {
            format!("Vec<{target}>")
        } else {
            format!("Option<{target}>")
        },
        target: target.clone(),
        many: loader.many,
        description: literal(&text),
        description_text: text,
        parent,
    }
}

/// The GraphQL name of an enum value stored as `text`.
fn variant_name(text: &impl AsRef<str>) -> String {
    text.as_ref().to_shouty_snake_case()
}

/// The view of a field, with `roles`' bits set.
fn graphql_field(
    schema: &ir::Schema,
    field: &ir::Field,
    rust_type: &str,
    roles: u8,
) -> Result<GraphqlField, CodegenError> {
    let text = description(field.doc.as_deref());
    let ty = graphql_type(schema, &field.ty).ok_or_else(|| CodegenError::Unsupported {
        what: format!("field `{}`", field.name),
        reason: "its type has no GraphQL mapping".to_owned(),
    })?;
    let names = [
        (PARTITION, "corm::graphql::model::PARTITION"),
        (CLUSTERING, "corm::graphql::model::CLUSTERING"),
        (REQUIRED, "corm::graphql::model::REQUIRED"),
        (PATCH, "corm::graphql::model::PATCH"),
    ];
    let set: Vec<&str> = names
        .iter()
        .filter(|(bit, _)| roles & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    Ok(GraphqlField {
        name: field_name(&field.name),
        ident: field_ident(&field.name),
        description: literal(&text),
        description_text: text,
        ty,
        optional: field.optional,
        rust_type: rust_type.to_owned(),
        roles: if set.is_empty() {
            "0".to_owned()
        } else {
            set.join(" | ")
        },
        partition: roles & PARTITION != 0,
        clustering: roles & CLUSTERING != 0,
        required: roles & REQUIRED != 0,
        patch: roles & PATCH != 0,
    })
}

const PARTITION: u8 = 1;
const CLUSTERING: u8 = 1 << 1;
const REQUIRED: u8 = 1 << 2;
const PATCH: u8 = 1 << 3;

/// The view of a model.
fn model(
    schema: &ir::Schema,
    item: &ir::Model,
    view: &super::ModelView,
    repo: &super::RepoView,
) -> Result<GraphqlModel, CodegenError> {
    let writable = !repo.counter && !repo.read_only;
    let patch_fields: Vec<&str> = view
        .patch
        .iter()
        .filter(|_| !repo.read_only)
        .flat_map(|patch| patch.fields.iter().map(|field| field.ident.as_str()))
        .collect();
    let fields: Vec<GraphqlField> = item
        .fields
        .iter()
        .zip(&view.fields)
        .map(|(field, field_view)| {
            let mut roles = 0;
            if item.key.partition.contains(&field.name) {
                roles |= PARTITION;
            }
            if item
                .key
                .clustering
                .iter()
                .any(|column| column.field == field.name)
            {
                roles |= CLUSTERING;
            }
            if field_view.is_param() && writable {
                roles |= REQUIRED;
            }
            if patch_fields.contains(&field_view.ident.as_str()) {
                roles |= PATCH;
            }
            graphql_field(schema, field, &field_view.ty, roles)
        })
        .collect::<Result<_, _>>()?;
    let named = |ident: &str| NamedField {
        name: fields
            .iter()
            .find(|field| field.ident == ident)
            .map_or_else(|| ident.to_owned(), |field| field.name.clone()),
        ident: ident.to_owned(),
    };
    let by_ident = |ident: &str| named(ident).name;
    let structure = |key: &super::KeyView| GraphqlStruct {
        ident: key.ident.clone(),
        fields: key.fields.iter().map(|field| named(&field.ident)).collect(),
    };
    let insert = writable.then(|| {
        let params = view
            .fields
            .iter()
            .filter(|field| field.is_param())
            .map(|field| by_ident(&field.ident))
            .collect();
        let set = view
            .fields
            .iter()
            .filter(|field| !field.is_param())
            .map(|field| named(&field.ident))
            .collect();
        GraphqlInsert { params, set }
    });
    let patch = view
        .patch
        .as_ref()
        .filter(|patch| !repo.read_only && !patch.fields.is_empty())
        .map(|patch| GraphqlStruct {
            ident: patch.ident.clone(),
            fields: patch
                .fields
                .iter()
                .map(|field| named(&field.ident))
                .collect(),
        });
    let text = description(item.doc.as_deref());
    Ok(GraphqlModel {
        ident: view.ident.clone(),
        field: item.name.to_lower_camel_case(),
        description: literal(&text),
        description_text: text,
        accessor: repo.accessor.clone(),
        key: structure(&view.key),
        partition: view.partition.as_ref().map(structure),
        insert,
        patch,
        changes: item.changes.is_some(),
        first_descending: item
            .key
            .clustering
            .first()
            .is_some_and(|column| column.order == ir::Order::Desc),
        first_bound: item
            .key
            .clustering
            .first()
            .and_then(|column| {
                fields
                    .iter()
                    .find(|field| field.name == field_name(&column.field))
            })
            .map(|field| {
                field
                    .ty
                    .input
                    .strip_suffix('!')
                    .unwrap_or(&field.ty.input)
                    .to_owned()
            })
            .unwrap_or_default(),
        fields,
    })
}
