//! The view of `queries.rs`: one repository method per named query and per
//! aggregate, and a result row per aggregate, with every CQL text, Rust type
//! and expression decided here.
//!
//! Each method adds an `impl` block to its model's repository (the
//! repository's fields are `pub(super)` in `db.rs`) and keeps its statement
//! in the repository's spare statement cache under the item's index (queries
//! first, then aggregates; all below `1 << 32`).
//!
//! - Queries select every column of the model, in declaration order, so
//!   they read the model's row type. A query is *bounded* when it has a
//!   `limit` or restricts every primary key column by `=` or `in` (at most
//!   one row per combination of the values given); its method collects a
//!   `Vec`. Any other query returns a paged `Stream`.
//! - Aggregates: see [`aggregate`].

mod aggregate;
mod mutation;

use std::collections::BTreeMap;

use super::TypesFile;
use super::doc::doc_lines;
use super::ident::{bare, field_ident, local_apart};
use super::items::ModelView;
use super::row_field::RowField;
use super::rust_type::rust_type;
use crate::codegen::CodegenError;
use crate::cql::ident::quote;
use crate::ir::{self, Literal, Operand, Operator, Scalar, Type};

pub use aggregate::{
    AggregateView, Argument, Compare, Kept, Limit, OrderBy, Owned, Pass, Reach, ReadAs, Summand,
    TotalOp,
};
pub use mutation::{MutationView, Outcome};

/// The most values a driver tuple binds or reads.
const MAX_TUPLE: usize = 16;

/// clippy's `too_many_arguments` threshold (`self` included).
const MAX_ARGS: usize = 7;

/// The names generated method bodies use for their locals: a parameter
/// named like one gets a trailing `_`.
const LOCALS: &[&str] = &[
    "statement",
    "prepared",
    "options",
    "rows",
    "groups",
    "totals",
    "results",
    "row",
    "key",
    "now",
    "current",
];

/// The named queries and aggregates of a schema (each model's file holds
/// its own, see [`QueriesFile::for_repo`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueriesFile {
    /// The names each repository's methods use from other modules, by
    /// repository type, sorted.
    pub uses: BTreeMap<String, Vec<String>>,
    /// The named queries, in declaration order.
    pub queries: Vec<QueryView>,
    /// The aggregates, in declaration order.
    pub aggregates: Vec<AggregateView>,
    /// The named mutations, in declaration order.
    pub mutations: Vec<MutationView>,
}

/// A named query: a method of its model's repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryView {
    /// Doc lines of the method.
    pub doc: Vec<String>,
    /// The repository type (`PostRepository`).
    pub repo: String,
    /// The method name.
    pub ident: String,
    /// The statement the method runs.
    pub statement: StatementView,
    /// The parameters, in order (`limit ?n` included).
    pub params: Vec<ParamView>,
    /// The values bound: the items of a Rust tuple.
    pub values: Vec<String>,
    /// The row type (the model, or the partial row of a `select`).
    pub row: String,
    /// The partial row a `select` reads, generated beside the method.
    pub partial: Option<PartialRowView>,
    /// Whether the method collects a `Vec` (else it returns a stream).
    pub bounded: bool,
    /// Whether it returns one row at most (`limit 1`, or `=` on every
    /// primary key column): an `Option`, read unpaged.
    pub single: bool,
    /// Whether the method takes more arguments than clippy likes.
    pub many_args: bool,
    /// A `nearest` query: a nearest-neighbour search returning scored rows.
    pub nearest: Option<NearestView>,
    /// The same query on a tenant's handle, for a model with a `@tenant`
    /// field whose first parameter is the tenant id (`tenant = ?t`).
    pub scoped: Option<ScopedQueryView>,
}

/// A named query on a tenant's handle: the tenant id bound by the handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedQueryView {
    /// The handle type (`ShopNoteOfTenant`).
    pub wrapper: String,
    /// The tenant id as the base method takes it (`&self.tenant`, or a
    /// copy).
    pub tenant_arg: String,
    /// The other parameters.
    pub params: Vec<ParamView>,
    /// What the method's future gives.
    pub returns: String,
}

/// The search of a query with `nearest f to ?q`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearestView {
    /// `Model.field`, as a Rust string literal.
    pub index: String,
    /// The similarity, as a `corm::vector::Similarity` path.
    pub similarity: String,
    /// The query vector's parameter.
    pub query: String,
    /// How many rows: the limit's parameter or number, as an `i32`.
    pub k: String,
    /// The vector field, read from `row`.
    pub vector: RowField,
}

/// The row of a query whose `select` names its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialRowView {
    /// The struct's name (`OrderSummariesRow`).
    pub ident: String,
    /// Its doc lines.
    pub doc: Vec<String>,
    /// Its fields in the statement's order.
    pub fields: Vec<PartialFieldView>,
    /// The names of its columns in the result, as the statement selects
    /// them (`a, "B"`), as a Rust string literal.
    pub columns: String,
}

/// A field of a partial row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialFieldView {
    /// The Rust field name.
    pub ident: String,
    /// Its Rust type (an `Option` for values that may be null).
    pub ty: String,
    /// Whether it is an `Option` (read so that an empty value is `None`).
    pub optional: bool,
    /// Its doc lines.
    pub doc: Vec<String>,
}

/// A parameter of a generated method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamView {
    /// Its name.
    pub ident: String,
    /// Its Rust type as the method takes it (by value, `&str`, `&[T]`, …).
    pub ty: String,
}

impl QueriesFile {
    /// The view of `schema`'s queries and aggregates, or `None` when it has
    /// none (no file is generated).
    ///
    /// # Errors
    /// [`CodegenError::Unsupported`] for what can't be generated: a method
    /// binding or reading more than 16 values, a result row whose name
    /// clashes, or a client-side aggregate over values Rust can't add up or
    /// order (see `view/queries/aggregate.rs`).
    pub fn new(schema: &ir::Schema, types: &TypesFile) -> Result<Option<Self>, CodegenError> {
        if schema.queries.is_empty() && schema.aggregates.is_empty() && schema.mutations.is_empty()
        {
            return Ok(None);
        }
        let mut uses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut queries = Vec::new();
        for (index, query) in schema.queries.iter().enumerate() {
            let (model, view) = target(schema, types, &query.model, &query.name)?;
            let mut names = Vec::new();
            let query = query_view(query, model, view, types, index, &mut names)?;
            uses.entry(query.repo.clone()).or_default().extend(names);
            queries.push(query);
        }
        let mut aggregates = Vec::new();
        for (index, item) in schema.aggregates.iter().enumerate() {
            let (model, view) = target(schema, types, &item.model, &item.name)?;
            let mut names = Vec::new();
            let aggregate = aggregate::aggregate_view(
                item,
                model,
                view,
                types,
                schema.queries.len() + index,
                &mut names,
            )?;
            uses.entry(aggregate.repo.clone())
                .or_default()
                .extend(names);
            aggregates.push(aggregate);
        }
        for (i, aggregate) in aggregates.iter().enumerate() {
            let clash = aggregates[..i].iter().find(|earlier| {
                earlier.row == aggregate.row
                    || format!("{}Totals", earlier.row) == aggregate.row
                    || earlier.row == format!("{}Totals", aggregate.row)
            });
            if let Some(earlier) = clash {
                return Err(CodegenError::Unsupported {
                    what: format!("aggregate `{}`", aggregate.ident),
                    reason: format!(
                        "its result row `{}` clashes with the types of `{}`",
                        aggregate.row, earlier.ident
                    ),
                });
            }
        }
        let mut mutations = Vec::new();
        for (index, item) in schema.mutations.iter().enumerate() {
            let (model, view) = target(schema, types, &item.model, &item.name)?;
            let mut names = Vec::new();
            let mutation = mutation::mutation_view(
                item,
                model,
                view,
                types,
                schema.queries.len() + schema.aggregates.len() + index,
                &mut names,
            )?;
            uses.entry(mutation.repo.clone()).or_default().extend(names);
            mutations.push(mutation);
        }
        for names in uses.values_mut() {
            names.sort_unstable();
            names.dedup();
        }
        Ok(Some(Self {
            uses,
            queries,
            aggregates,
            mutations,
        }))
    }

    /// Whether the repository `repo` has a query, aggregate or mutation.
    #[must_use]
    pub fn serves(&self, repo: &str) -> bool {
        self.queries.iter().any(|query| query.repo == repo)
            || self
                .aggregates
                .iter()
                .any(|aggregate| aggregate.repo == repo)
            || self.mutations.iter().any(|mutation| mutation.repo == repo)
    }

    /// The queries and aggregates of the repository `repo` alone, or `None`
    /// when it has none.
    #[must_use]
    pub fn for_repo(&self, repo: &str) -> Option<Self> {
        let queries: Vec<QueryView> = self
            .queries
            .iter()
            .filter(|query| query.repo == repo)
            .cloned()
            .collect();
        let aggregates: Vec<AggregateView> = self
            .aggregates
            .iter()
            .filter(|aggregate| aggregate.repo == repo)
            .cloned()
            .collect();
        let mutations: Vec<MutationView> = self
            .mutations
            .iter()
            .filter(|mutation| mutation.repo == repo)
            .cloned()
            .collect();
        (!queries.is_empty() || !aggregates.is_empty() || !mutations.is_empty()).then(|| Self {
            uses: self
                .uses
                .get_key_value(repo)
                .map(|(repo, names)| BTreeMap::from([(repo.clone(), names.clone())]))
                .unwrap_or_default(),
            queries,
            aggregates,
            mutations,
        })
    }

    /// Whether some method reads rows one by one (an aggregate's; the
    /// file needs `corm::TryStreamExt`).
    #[must_use]
    pub fn uses_try_stream(&self) -> bool {
        !self.aggregates.is_empty()
    }
}

/// The model a query or aggregate reads, and its view.
fn target<'a>(
    schema: &'a ir::Schema,
    types: &'a TypesFile,
    model: &str,
    item: &str,
) -> Result<(&'a ir::Model, &'a ModelView), CodegenError> {
    schema
        .models
        .iter()
        .zip(&types.models)
        .find(|(candidate, _)| candidate.name == model)
        .ok_or_else(|| CodegenError::Unsupported {
            what: format!("`{item}`"),
            reason: format!("it reads `{model}`, which is not a model"),
        })
}

/// How a Rust value of a column's type is passed and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A `Copy` value with a total order (numbers but floats, dates, UUIDs,
    /// …): passed by value, compared with `<`.
    Copy,
    /// A generated closed enum: passed by value, ordered by its stored text.
    Enum,
    /// A generated `open` enum (it may hold unlisted text): passed by
    /// reference, ordered by its stored text.
    OpenEnum,
    /// `f32` or `f64`: passed by value, ordered by `total_cmp`.
    Float,
    /// `decimal` or `varint` (`BigDecimal`, `BigInt`): exact, passed by
    /// reference, ordered with `<`.
    Exact,
    /// `String`: passed as `&str`.
    Text,
    /// `Vec<u8>`: passed as `&[u8]`.
    Blob,
    /// Anything else: passed by reference.
    Other,
}

impl Kind {
    /// The kind of a value of `ty` (`types` tells open enums).
    pub(super) fn of(ty: &Type, types: &TypesFile) -> Self {
        match ty.unfrozen() {
            Type::Scalar(scalar) => match scalar {
                Scalar::Bigint
                | Scalar::Boolean
                | Scalar::Date
                | Scalar::Inet
                | Scalar::Int
                | Scalar::Smallint
                | Scalar::Time
                | Scalar::Timestamp
                | Scalar::Timeuuid
                | Scalar::Tinyint
                | Scalar::Uuid => Self::Copy,
                Scalar::Float | Scalar::Double => Self::Float,
                Scalar::Ascii | Scalar::Text | Scalar::Varchar => Self::Text,
                Scalar::Blob => Self::Blob,
                Scalar::Decimal | Scalar::Varint => Self::Exact,
                Scalar::Counter | Scalar::Duration => Self::Other,
            },
            Type::Enum(name) if types.is_open_enum(name) => Self::OpenEnum,
            Type::Enum(_) => Self::Enum,
            Type::List(_)
            | Type::Set(_)
            | Type::Map(..)
            | Type::Tuple(_)
            | Type::Frozen(_)
            | Type::Vector(_)
            | Type::Udt(_) => Self::Other,
        }
    }
}

/// The Rust type of a parameter compared to values of `ty` (`list`: a
/// slice of them, for `in`).
pub(super) fn param_type(
    ty: &Type,
    list: bool,
    what: &str,
    types: &TypesFile,
) -> Result<String, CodegenError> {
    let path = rust_type(ty, what)?.path;
    if list {
        return Ok(format!("&[{path}]"));
    }
    Ok(match Kind::of(ty, types) {
        Kind::Copy | Kind::Enum | Kind::Float => path,
        Kind::Text => "&str".to_owned(),
        Kind::Blob => "&[u8]".to_owned(),
        Kind::OpenEnum | Kind::Exact => format!("&{path}"),
        Kind::Other => match path.strip_prefix("Vec<").and_then(|p| p.strip_suffix('>')) {
            Some(item) => format!("&[{item}]"),
            None => format!("&{path}"),
        },
    })
}

/// The parameter names of an item, in the IR's order: `snake_case`, with a
/// trailing `_` for names the generated bodies use.
pub(super) fn param_idents(params: &[ir::Param]) -> Vec<(String, &ir::Param)> {
    params
        .iter()
        .map(|param| (local_apart(&param.name, LOCALS, "_"), param))
        .collect()
}

/// A `where` clause in CQL (empty without conditions) and the parameters
/// its markers bind, in order.
pub(super) fn where_clause(
    conditions: &[ir::Condition],
    model: &ir::Model,
    params: &[(String, &ir::Param)],
    what: &str,
) -> Result<(String, Vec<String>), CodegenError> {
    let (text, values) = where_parts(conditions, model, params, what)?;
    let text = if text.is_empty() {
        text
    } else {
        format!(" WHERE {text}")
    };
    Ok((text, values))
}

/// Conditions in CQL, joined by `AND` (a `WHERE` or an `IF` clause without
/// its keyword), and the parameters their markers bind, in order.
pub(super) fn where_parts(
    conditions: &[ir::Condition],
    model: &ir::Model,
    params: &[(String, &ir::Param)],
    what: &str,
) -> Result<(String, Vec<String>), CodegenError> {
    let mut parts = Vec::new();
    let mut values = Vec::new();
    for condition in conditions {
        let column = column(model, &condition.field);
        let op = match condition.op {
            Operator::Eq => "=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::In => "IN",
            Operator::Contains => "CONTAINS",
            Operator::ContainsKey => "CONTAINS KEY",
        };
        let operand = match &condition.operand {
            Operand::Param(name) => {
                values.push(param_ident(params, name, what)?);
                "?".to_owned()
            }
            Operand::Literal(literal) => {
                let ty = model.field(&condition.field).map(|field| {
                    match (condition.op, field.ty.unfrozen()) {
                        (_, Type::Map(_, value)) if condition.entry.is_some() => (**value).clone(),
                        (Operator::Contains, Type::List(item) | Type::Set(item)) => {
                            (**item).clone()
                        }
                        (Operator::Contains, Type::Map(_, value)) => (**value).clone(),
                        (Operator::ContainsKey, Type::Map(key, _)) => (**key).clone(),
                        _ => field.ty.clone(),
                    }
                });
                cql_literal(literal, ty.as_ref(), what)?
            }
        };
        match &condition.entry {
            Some(key) => {
                // `m[key] = value`: the key's marker comes first.
                let key_ty = match model.field(&condition.field).map(|f| f.ty.unfrozen()) {
                    Some(Type::Map(key, _)) => Some((**key).clone()),
                    _ => None,
                };
                let key = match key {
                    Operand::Param(name) => {
                        let ident = param_ident(params, name, what)?;
                        let at = values.len()
                            - usize::from(matches!(condition.operand, Operand::Param(_)));
                        values.insert(at, ident);
                        "?".to_owned()
                    }
                    Operand::Literal(literal) => cql_literal(literal, key_ty.as_ref(), what)?,
                };
                parts.push(format!("{column}[{key}] {op} {operand}"));
            }
            None => parts.push(format!("{column} {op} {operand}")),
        }
    }
    Ok((parts.join(" AND "), values))
}

/// The identifier of the parameter `?name`.
pub(super) fn param_ident(
    params: &[(String, &ir::Param)],
    name: &str,
    what: &str,
) -> Result<String, CodegenError> {
    params
        .iter()
        .find(|(_, param)| param.name == name)
        .map(|(ident, _)| ident.clone())
        .ok_or_else(|| CodegenError::Unsupported {
            what: what.to_owned(),
            reason: format!("`?{name}` is not among its parameters"),
        })
}

/// The CQL of a model's column, quoted when needed.
pub(super) fn column(model: &ir::Model, field: &str) -> String {
    model.field(field).map_or_else(
        || quote(field).into_owned(),
        |field| quote(&field.cql_name).into_owned(),
    )
}

/// A literal compared to a value of `ty`, as CQL: strings quoted (with `''`
/// escapes), UUIDs bare, enum values as their stored text.
pub(super) fn cql_literal(
    literal: &Literal,
    ty: Option<&Type>,
    what: &str,
) -> Result<String, CodegenError> {
    Ok(match literal {
        Literal::String(text) => {
            let uuid = matches!(
                ty.map(Type::unfrozen),
                Some(Type::Scalar(Scalar::Uuid | Scalar::Timeuuid))
            );
            if uuid {
                if !crate::cql::literal::is_uuid(text) {
                    return Err(CodegenError::Unsupported {
                        what: what.to_owned(),
                        reason: format!("{text:?} is not a UUID"),
                    });
                }
                text.to_ascii_lowercase()
            } else {
                format!("'{}'", text.replace('\'', "''"))
            }
        }
        Literal::Integer(value) => value.to_string(),
        Literal::Decimal(text) => text.strip_prefix('+').unwrap_or(text).to_owned(),
        Literal::Boolean(value) => value.to_string(),
        Literal::EnumValue { variant, .. } => format!("'{}'", variant.replace('\'', "''")),
    })
}

/// A generated method's statement: its key in the repository's cache of
/// extra statements and its text around the keyspace-qualified table, as
/// Rust string literals (a `corm::NamedStatement`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementView {
    /// The key (named queries, then aggregates, then mutations, by
    /// declaration order).
    pub cache_key: String,
    /// The CQL before the table.
    pub head: String,
    /// The CQL after the table (`""` when nothing follows it).
    pub tail: String,
    /// Whether running it twice has the effect of running it once.
    pub idempotent: bool,
}

impl StatementView {
    /// The statement at `index` with `head` and `tail` around its table.
    pub(super) fn new(index: usize, head: &str, tail: &str) -> Self {
        Self {
            cache_key: index.to_string(),
            head: format!("{head:?}"),
            tail: format!("{tail:?}"),
            idempotent: true,
        }
    }
}

/// `items`, the items of a Rust tuple (values, types or patterns; the
/// templates' `expressions::tuple` writes it), if the driver takes a tuple
/// that long.
pub(super) fn within_tuple_limit(
    items: Vec<String>,
    what: &str,
) -> Result<Vec<String>, CodegenError> {
    if items.len() > MAX_TUPLE {
        return Err(CodegenError::Unsupported {
            what: what.to_owned(),
            reason: format!("it binds more than {MAX_TUPLE} values"),
        });
    }
    Ok(items)
}

/// The doc lines of a method: the item's doc (or `fallback`), then
/// `details` paragraphs, the CQL it runs, and `errors` when the method
/// has its own (those every read or write can end with are
/// [`corm::Fetch`]'s and [`corm::Error`]'s to say).
pub(super) fn method_doc(
    doc: Option<&str>,
    fallback: &str,
    details: &[String],
    cql: &str,
    errors: &str,
) -> Vec<String> {
    let mut text = doc
        .map(str::trim)
        .filter(|doc| !doc.is_empty())
        .unwrap_or(fallback)
        .to_owned();
    for paragraph in details {
        text.push_str("\n\n");
        text.push_str(paragraph);
    }
    text.push_str("\n\n```cql\n");
    text.push_str(cql);
    text.push_str("\n```");
    if !errors.is_empty() {
        text.push_str("\n\n# Errors\n");
        text.push_str(errors);
    }
    doc_lines(Some(&text), "")
}

/// The Rust names of `types.rs` that `ty` mentions.
pub(super) fn type_uses(ty: &Type, uses: &mut Vec<String>) {
    match ty {
        Type::Enum(name) | Type::Udt(name) => uses.push(super::ident::type_ident(name)),
        Type::List(item) | Type::Set(item) | Type::Frozen(item) => type_uses(item, uses),
        Type::Map(key, value) => {
            type_uses(key, uses);
            type_uses(value, uses);
        }
        Type::Tuple(items) => items.iter().for_each(|item| type_uses(item, uses)),
        Type::Scalar(_) | Type::Vector(_) => {}
    }
}

fn query_view(
    query: &ir::Query,
    model: &ir::Model,
    view: &ModelView,
    types: &TypesFile,
    index: usize,
    uses: &mut Vec<String>,
) -> Result<QueryView, CodegenError> {
    let what = format!("query `{}`", query.name);
    let params = param_idents(&query.params);
    let (head, partial) = match &query.projection {
        Some(projection) => {
            let (head, partial) = projection_view(query, projection, model, &what, uses)?;
            (head, Some(partial))
        }
        None => {
            let columns: Vec<String> = model
                .fields
                .iter()
                .map(|field| quote(&field.cql_name).into_owned())
                .collect();
            (format!("SELECT {} FROM ", columns.join(", ")), None)
        }
    };
    let distinct = query.projection.as_ref().is_some_and(|p| p.distinct);
    let (mut tail, mut values) = where_clause(&query.conditions, model, &params, &what)?;
    let mut nearest_view = None;
    if let Some(nearest) = &query.nearest {
        tail.push_str(&format!(
            " ORDER BY {} ANN OF ?",
            column(model, &nearest.field)
        ));
        let vector = param_ident(&params, &nearest.param, &what)?;
        values.push(vector.clone());
        let field = model
            .field(&nearest.field)
            .ok_or_else(|| CodegenError::Unsupported {
                what: what.clone(),
                reason: format!("`{}` is not a field of `{}`", nearest.field, model.name),
            })?;
        nearest_view = Some(NearestView {
            index: format!("{:?}", format!("{}.{}", model.name, field.name)),
            similarity: format!(
                "corm::vector::Similarity::{}",
                similarity_variant(nearest.similarity)
            ),
            query: vector,
            k: match &query.limit {
                Some(ir::Limit::Param(name)) => param_ident(&params, name, &what)?,
                Some(ir::Limit::Fixed(n)) => n.to_string(),
                None => {
                    return Err(CodegenError::Unsupported {
                        what,
                        reason: "a `nearest` query needs a `limit`".to_owned(),
                    });
                }
            },
            vector: RowField::new(field),
        });
    }
    if !query.order.is_empty() {
        let order: Vec<String> = query
            .order
            .iter()
            .map(|ordering| {
                format!(
                    "{} {}",
                    column(model, &ordering.column),
                    ordering.order.cql()
                )
            })
            .collect();
        tail.push_str(&format!(" ORDER BY {}", order.join(", ")));
    }
    let mut details = Vec::new();
    match &query.per_partition_limit {
        Some(ir::Limit::Fixed(n)) => {
            tail.push_str(&format!(" PER PARTITION LIMIT {n}"));
            details.push(format!(
                "Returns at most {n} rows of each partition (the first in clustering order)."
            ));
        }
        Some(ir::Limit::Param(name)) => {
            tail.push_str(" PER PARTITION LIMIT ?");
            let ident = param_ident(&params, name, &what)?;
            details.push(format!(
                "Returns at most `{ident}` rows of each partition (the first in clustering order; a positive number)."
            ));
            values.push(ident);
        }
        None => {}
    }
    match &query.limit {
        Some(ir::Limit::Fixed(n)) => {
            tail.push_str(&format!(" LIMIT {n}"));
            details.push(format!("Returns at most {n} rows."));
        }
        Some(ir::Limit::Param(name)) => {
            tail.push_str(" LIMIT ?");
            let ident = param_ident(&params, name, &what)?;
            details.push(format!(
                "Returns at most `{ident}` rows (a positive number)."
            ));
            values.push(ident);
        }
        None => {}
    }
    // `select distinct` reads one row per partition: its key is the
    // partition key.
    let key_fields: Vec<&str> = if distinct {
        model.key.partition.iter().map(String::as_str).collect()
    } else {
        model.key.fields().collect()
    };
    let key_restricted = key_fields.iter().all(|field| {
        query
            .conditions
            .iter()
            .any(|c| c.field == *field && matches!(c.op, Operator::Eq | Operator::In))
    });
    let bounded = query.is_limited() || key_restricted;
    // `limit 1`, or `=` on every primary key column: one row at most.
    let single = matches!(query.limit, Some(ir::Limit::Fixed(1)))
        || key_fields.iter().all(|field| {
            query
                .conditions
                .iter()
                .any(|c| c.field == *field && matches!(c.op, Operator::Eq))
        });
    let single = single && query.nearest.is_none();
    let bounded = bounded || query.nearest.is_some();
    if let Some(nearest) = &query.nearest {
        details.push(format!(
            "The rows whose `{}` is nearest to `{}` (an ANN search of the field's vector index, at most 1,000 rows), closest first, each with its similarity to it as Cassandra's `{}` computes it.",
            nearest.field,
            nearest.param,
            similarity_function(nearest.similarity)
        ));
    } else if single {
        details.push("Returns the row, or `None` when there is none.".to_owned());
    } else if query.limit.is_none() {
        details.push(if bounded {
            "Every primary key column is restricted by `=` or `in`, so the rows are few: they are collected (a page at a time, of the page size in the repository's options).".to_owned()
        } else {
            "The rows are fetched a page at a time (of the page size in the repository's options) as the stream is read.".to_owned()
        });
    }
    if query.allow_filtering {
        details.push(
            "Runs with `ALLOW FILTERING`: Cassandra may read whole partitions, or the whole table, and discard the rows that do not match.".to_owned(),
        );
        tail.push_str(" ALLOW FILTERING");
    }
    let cql = format!("{head}<keyspace>.{}{tail}", quote(&model.table));
    let errors = if query.nearest.is_some() {
        "[`corm::Error::InvalidVector`] for a query vector with a NaN or infinite component, the zero vector under cosine, or a limit outside 1..=1000 (nothing is sent)."
    } else {
        ""
    };
    let doc = method_doc(
        query.doc.as_deref(),
        &format!(
            "The rows of `{}` that the query `{}` selects.",
            model.name, query.name
        ),
        &details,
        &cql,
        errors,
    );
    uses.push(view.ident.clone());
    let mut param_views = Vec::new();
    for (ident, param) in &params {
        type_uses(&param.ty, uses);
        // The method returns a future that borrows `self` and every
        // borrowed argument for one lifetime, `'s`.
        let ty = param_type(&param.ty, param.list, &what, types)?;
        param_views.push(ParamView {
            ident: ident.clone(),
            ty: match ty.strip_prefix('&') {
                Some(rest) => format!("&'s {rest}"),
                None => ty,
            },
        });
    }
    let row = partial
        .as_ref()
        .map_or_else(|| view.ident.clone(), |row| row.ident.clone());
    let returns = if nearest_view.is_some() {
        format!("Vec<corm::vector::Scored<{row}>>")
    } else if single {
        format!("Option<{row}>")
    } else if bounded {
        format!("Vec<{row}>")
    } else {
        format!("corm::paging::Rows<{row}>")
    };
    let scoped = scoped_view(
        view,
        &query.conditions,
        &query.params,
        &param_views,
        returns,
    );
    Ok(QueryView {
        doc,
        scoped,
        repo: format!("{}Repository", bare(&view.ident)),
        ident: field_ident(&query.name),
        statement: StatementView::new(index, &head, &tail),
        many_args: param_views.len() + 2 > MAX_ARGS,
        params: param_views,
        values: within_tuple_limit(values, &what)?,
        row: partial
            .as_ref()
            .map_or_else(|| view.ident.clone(), |row| row.ident.clone()),
        partial,
        bounded,
        single,
        nearest: nearest_view,
    })
}

/// A query's or aggregate's method on a tenant's handle, when its model has
/// a `@tenant` field and its first parameter is the tenant id
/// (`tenant = ?t`); `returns` is what the method gives.
pub(super) fn scoped_view(
    view: &ModelView,
    conditions: &[ir::Condition],
    params: &[ir::Param],
    param_views: &[ParamView],
    returns: String,
) -> Option<ScopedQueryView> {
    let tenant = view.tenant.as_ref()?;
    let first = params.first()?;
    let binds_tenant = conditions.iter().any(|condition| {
        condition.field == bare(&tenant.field.ident)
            && matches!(condition.op, Operator::Eq)
            && matches!(&condition.operand, Operand::Param(name) if *name == first.name)
    });
    let (first_view, rest) = param_views.split_first()?;
    binds_tenant.then(|| ScopedQueryView {
        wrapper: format!("{}OfTenant", bare(&view.ident)),
        tenant_arg: if first_view.ty.starts_with('&') {
            "&self.tenant".to_owned()
        } else {
            "Clone::clone(&self.tenant)".to_owned()
        },
        params: rest.to_vec(),
        returns,
    })
}

/// The `corm::vector::Similarity` variant of `similarity`.
pub(super) fn similarity_variant(similarity: ir::Similarity) -> &'static str {
    match similarity {
        ir::Similarity::Cosine => "Cosine",
        ir::Similarity::DotProduct => "DotProduct",
        ir::Similarity::Euclidean => "Euclidean",
    }
}

/// The CQL function that scores `similarity`.
pub(super) fn similarity_function(similarity: ir::Similarity) -> &'static str {
    match similarity {
        ir::Similarity::Cosine => "similarity_cosine",
        ir::Similarity::DotProduct => "similarity_dot_product",
        ir::Similarity::Euclidean => "similarity_euclidean",
    }
}

/// The `SELECT … FROM ` of a query with a `select`, and its partial row.
fn projection_view(
    query: &ir::Query,
    projection: &ir::Projection,
    model: &ir::Model,
    what: &str,
    uses: &mut Vec<String>,
) -> Result<(String, PartialRowView), CodegenError> {
    let mut selectors = Vec::new();
    let mut names = Vec::new();
    let mut fields = Vec::new();
    for selected in &projection.columns {
        let Some(field) = model.field(&selected.field) else {
            continue;
        };
        let col = quote(&field.cql_name).into_owned();
        let renamed = selected.name != field.name;
        let (selector, ty, optional, doc) = match selected.read {
            ir::CellRead::Value => {
                type_uses(&field.ty, uses);
                let path = rust_type(&field.ty, what)?.path;
                let (ty, optional) = if field.optional {
                    (format!("Option<{path}>"), true)
                } else {
                    (path, false)
                };
                (col.clone(), ty, optional, field.doc.clone())
            }
            ir::CellRead::WriteTime => (
                format!("WRITETIME({col})"),
                "Option<i64>".to_owned(),
                true,
                Some(format!(
                    "When `{}` was written, in microseconds since the Unix epoch (`None` when it is null).",
                    field.name
                )),
            ),
            ir::CellRead::Ttl => (
                format!("TTL({col})"),
                "Option<i32>".to_owned(),
                true,
                Some(format!(
                    "The seconds `{}` has left to live (`None` when it has no TTL or is null).",
                    field.name
                )),
            ),
        };
        let (selector, column) = if renamed || selected.read != ir::CellRead::Value {
            let alias = quote(&selected.name).into_owned();
            (format!("{selector} AS {alias}"), selected.name.clone())
        } else {
            (selector, field.cql_name.clone())
        };
        selectors.push(selector);
        names.push(quote(&column).into_owned());
        fields.push(PartialFieldView {
            ident: field_ident(&selected.name),
            ty,
            optional,
            doc: doc_lines(doc.as_deref(), ""),
        });
    }
    let distinct = if projection.distinct { "DISTINCT " } else { "" };
    let head = format!("SELECT {distinct}{} FROM ", selectors.join(", "));
    let ident = format!("{}Row", super::ident::type_ident(&query.name));
    let doc = doc_lines(
        Some(&format!(
            "A row of the query `{}`: the columns its `select` reads of `{}`{}.",
            query.name,
            model.name,
            if projection.distinct {
                ", one row per partition"
            } else {
                ""
            }
        )),
        "",
    );
    let columns = format!("{:?}", names.join(", "));
    Ok((
        head,
        PartialRowView {
            ident,
            doc,
            fields,
            columns,
        },
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::codegen::view::GENERATOR_REFUSALS;
    use crate::diagnostics::SourceMap;

    /// The queries view of `text`, which must check without errors.
    fn view(text: &str) -> Result<Option<QueriesFile>, CodegenError> {
        let mut sources = SourceMap::new();
        sources.add("test.corm", text).unwrap();
        let parsed = crate::parse::parse(&sources).unwrap();
        let schema = crate::check::check_allowing(&parsed, GENERATOR_REFUSALS)
            .schema
            .expect("check errors");
        QueriesFile::new(&schema, &TypesFile::new(&schema).unwrap())
    }

    const ITEM: &str = "model Item { shop: text\n id: int\n price: decimal\n weight: float\n \
                        note: text?\n key ((shop), id) }\n";

    fn reason(result: Result<Option<QueriesFile>, CodegenError>) -> String {
        match result {
            Err(CodegenError::Unsupported { reason, .. }) => reason,
            other => panic!("expected Unsupported, got {other:?}"),
        }
    }

    #[test]
    fn no_file_without_queries_or_aggregates() {
        assert_eq!(view(ITEM).unwrap(), None);
    }

    #[test]
    fn bounded_when_limited_or_keyed() {
        let file = view(&format!(
            "{ITEM}query a on Item {{ where shop = ?shop }}\n\
             query b on Item {{ where shop = ?shop limit 3 }}\n\
             query c on Item {{ where shop = ?shop and id in ?ids }}\n"
        ))
        .unwrap()
        .unwrap();
        let bounded: Vec<bool> = file.queries.iter().map(|q| q.bounded).collect();
        assert_eq!(bounded, [false, true, true]);
        let params: Vec<&str> = file.queries[2]
            .params
            .iter()
            .map(|p| p.ty.as_str())
            .collect();
        assert_eq!(params, ["&'s str", "&'s [i32]"]);
    }

    #[test]
    fn literals_are_cql() {
        let id = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        assert_eq!(
            cql_literal(&Literal::String("it's".into()), None, "q").unwrap(),
            "'it''s'"
        );
        assert_eq!(
            cql_literal(
                &Literal::String(id.to_uppercase()),
                Some(&Type::Scalar(Scalar::Uuid)),
                "q"
            )
            .unwrap(),
            id
        );
        assert!(
            cql_literal(
                &Literal::String("x') OR ('".into()),
                Some(&Type::Scalar(Scalar::Uuid)),
                "q"
            )
            .is_err()
        );
        assert_eq!(
            cql_literal(&Literal::Decimal("+1.5".into()), None, "q").unwrap(),
            "1.5"
        );
    }

    #[test]
    fn client_side_decimals_add_up_exactly() {
        let file = view(&format!(
            "{ITEM}aggregate a on Item {{ group by note select sum(price) as total }}\n"
        ))
        .unwrap()
        .unwrap();
        let client = file.aggregates[0].client.as_ref().unwrap();
        let total = &client.running[0];
        assert_eq!(total.op, TotalOp::Sum);
        assert_eq!(total.summand, Summand::Exact);
        assert_eq!(
            (total.total.as_str(), total.local.as_str()),
            ("total", "price")
        );
        assert_eq!(client.add_params[0].ty, "&corm::BigDecimal");
    }

    #[test]
    fn client_side_limits_are_explained() {
        let float_key = view(&format!(
            "{ITEM}aggregate a on Item {{ group by weight select count(*) as n }}\n"
        ));
        assert!(reason(float_key).contains("has no order to group by"));
    }

    #[test]
    fn natively_summed_decimals_are_fine() {
        let file = view(&format!(
            "{ITEM}aggregate a on Item {{ where shop = ?shop group by shop select sum(price) as total }}\n"
        ))
        .unwrap()
        .unwrap();
        assert!(file.aggregates[0].native.is_some());
        assert_eq!(file.aggregates[0].fields[1].ty, "corm::BigDecimal");
    }

    #[test]
    fn a_native_decimal_average_says_it_rounds_row_by_row() {
        let file = view(&format!(
            "{ITEM}aggregate a on Item {{ where shop = ?shop group by shop select avg(price) as mean }}\n"
        ))
        .unwrap()
        .unwrap();
        assert!(file.aggregates[0].native.is_some());
        assert!(
            file.aggregates[0]
                .doc
                .iter()
                .any(|line| line.contains("running mean rounded")),
            "{:?}",
            file.aggregates[0].doc
        );
    }
}
