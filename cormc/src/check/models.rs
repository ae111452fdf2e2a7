//! Models: fields, the primary key, indexes, vector indexes, counters,
//! static columns and table options.

use rustc_hash::FxHashMap;

use heck::ToSnakeCase;

use super::context::{Annotate, Context, did_you_mean};
use super::fields::{Owner, resolve_fields};
use super::names::{Symbols, unique_member};
use super::types::{Place, contains_duration};
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Order, Scalar, Type};

/// Checks one model and lowers it to the IR (relations come later, once
/// every model is known).
pub(super) fn check_model(
    model: &ast::Model,
    symbols: &Symbols<'_>,
    ctx: &mut Context,
) -> Option<ir::Model> {
    let mut fields = resolve_fields(&model.fields, Owner::Model, Place::Column, symbols, ctx);
    let table = model.table.as_ref().map_or_else(
        || model.name.name.to_snake_case(),
        |table| table.name.name.clone(),
    );
    let key = match &model.key {
        Some(key) => check_key(key, &fields, &model.fields, ctx),
        None => {
            ctx.error(
                Code::MissingClause,
                format!("model `{}` has no `key`", model.name.name),
                model.name.span,
                "every model declares its primary key",
            )
            .help(match fields.first() {
                Some(first) => format!(
                    "add `key ({})` (partition key first, then clustering columns)",
                    first.name
                ),
                None => "add fields and a `key (…)`".to_owned(),
            });
            None
        }
    }?;
    check_static_columns(&fields, &key, model, ctx);
    check_bucket_columns(&key, model, ctx);
    check_key_attributes(&fields, &key, model, ctx);
    check_tenant(&fields, &key, model, ctx);
    check_embed_sources(&mut fields, model, ctx);
    check_counters(&fields, &key, model, ctx);
    let indexes = check_indexes(model, &fields, &key, &table, ctx);
    let vector_indexes = check_vector_indexes(model, &fields, &table, ctx);
    let ttl_seconds = model
        .ttl
        .as_ref()
        .and_then(|ttl| super::durations::ttl_seconds(ttl, ctx));
    if ttl_seconds.is_some()
        && fields.iter().any(|field| field.ty.is_counter())
        && let Some(ttl) = &model.ttl
    {
        ctx.error(
            Code::InvalidCounter,
            "a counter table can't have a `ttl`",
            ttl.span,
            "counter table",
        )
        .help("Cassandra refuses default_time_to_live on counter tables; remove the `ttl`");
    }
    let changes = model
        .changes
        .as_ref()
        .and_then(|clause| change_log(clause, &table, &fields, ctx));
    let reserve = model
        .reserve
        .as_ref()
        .and_then(|clause| reserve(clause, &fields, &key, changes.is_some(), ctx));
    let cache = model
        .cache
        .as_ref()
        .and_then(|clause| super::durations::cache(clause, ctx));
    let compaction = model
        .compaction
        .as_ref()
        .and_then(|clause| compaction(&clause.strategy, ctx));
    let compaction_options = match (
        compaction,
        model.compaction.as_ref().and_then(|c| c.options.as_ref()),
    ) {
        (Some(strategy), Some(map)) => {
            super::table_options::compaction_sub_options(strategy, map, ctx)
        }
        _ => std::collections::BTreeMap::new(),
    };
    let options = model
        .options
        .as_ref()
        .map(|clause| super::table_options::table_options(clause, ctx))
        .unwrap_or_default();
    Some(ir::Model {
        name: model.name.name.clone(),
        doc: model.doc.as_ref().map(|doc| doc.text.clone()),
        table,
        view_of: None,
        fields,
        key,
        indexes,
        vector_indexes,
        relations: Vec::new(),
        ttl_seconds,
        changes,
        reserve,
        cache,
        compaction,
        compaction_options,
        comment: options.comment,
        table_options: options.other,
        span: model.span,
    })
}

/// `changes retain <duration>`: the change log in `<table>_changes`. Not
/// on a counter table: a counter update can't share a logged batch with
/// the change record's insert.
fn change_log(
    clause: &ast::ChangesClause,
    table: &str,
    fields: &[ir::Field],
    ctx: &mut Context,
) -> Option<ir::ChangeLog> {
    if fields.iter().any(|field| field.ty.is_counter()) {
        ctx.error(
            Code::InvalidCounter,
            "a counter table can't have a change log",
            clause.span,
            "counter table",
        )
        .help("Cassandra refuses counter updates in a logged batch with other writes, so a change could not be recorded atomically; remove `changes`");
        return None;
    }
    let retain_seconds = super::durations::retain_seconds(&clause.retain, ctx)?;
    Some(ir::ChangeLog {
        table: format!("{table}_changes"),
        retain_seconds,
        span: clause.span,
    })
}

/// `reserve stock in holds`: `stock` an `int` or `bigint` and `holds` a
/// `map<text, timestamp>`, neither in the key; not with a change log (a
/// reservation is a conditional update of its own, which the log would
/// not record).
fn reserve(
    clause: &ast::ReserveClause,
    fields: &[ir::Field],
    key: &ir::Key,
    logged: bool,
    ctx: &mut Context,
) -> Option<ir::Reserve> {
    use ir::{Scalar, Type};
    let mut column = |name: &ast::Ident,
                      what: &str,
                      fits: &dyn Fn(&Type) -> bool,
                      wanted: &str,
                      article: &str| {
        let Some(field) = fields.iter().find(|field| field.name == name.name) else {
            ctx.error(
                Code::UnknownField,
                format!(
                    "`reserve` names `{}`, which is not a field of the model",
                    name.name
                ),
                name.span,
                "no such field",
            )
            .help(format!(
                "declare the {what}, e.g. `{}: {wanted}`",
                name.name
            ));
            return None;
        };
        if key.contains(&field.name) || !fits(&field.ty) || field.is_static {
            ctx.error(
                Code::InvalidType,
                format!(
                    "the {what} of `reserve` must be {article} `{wanted}` column outside the key"
                ),
                name.span,
                "not usable here",
            )
            .label(field.span, "declared here")
            .help(format!(
                "declare `{}: {wanted}`, not in the key and not `@static`",
                name.name
            ));
            return None;
        }
        Some(field)
    };
    let stock = column(
        &clause.stock,
        "stock",
        &|ty| matches!(ty, Type::Scalar(Scalar::Int | Scalar::Bigint)),
        "int",
        "an",
    );
    let holds = column(
        &clause.holds,
        "holds",
        &|ty| {
            matches!(ty, Type::Map(k, v)
                if matches!(**k, Type::Scalar(Scalar::Text)) && matches!(**v, Type::Scalar(Scalar::Timestamp)))
        },
        "map<text, timestamp>",
        "a",
    );
    let (stock, holds) = (stock?, holds?);
    if logged {
        ctx.error(
            Code::InvalidValue,
            "a model with a change log can't have `reserve`",
            clause.span,
            "reservations would not be logged",
        )
        .help("reservations are conditional updates the change log does not record; keep stock in a model without `changes`");
        return None;
    }
    Some(ir::Reserve {
        stock: stock.cql_name.clone(),
        stock_bigint: matches!(stock.ty, Type::Scalar(Scalar::Bigint)),
        holds: holds.cql_name.clone(),
        span: clause.span,
    })
}

/// Resolves the key's columns and checks what a key column may be.
pub(super) fn check_key(
    key: &ast::KeyClause,
    fields: &[ir::Field],
    written: &[ast::Field],
    ctx: &mut Context,
) -> Option<ir::Key> {
    let mut seen: FxHashMap<String, Span> = FxHashMap::default();
    let mut ok = true;
    let mut column = |column: &ast::KeyColumn, ctx: &mut Context| -> bool {
        if let Some(first) = seen.insert(column.name.name.clone(), column.name.span) {
            ctx.error(
                Code::InvalidKey,
                format!("`{}` is in the key twice", column.name.name),
                column.name.span,
                "again here",
            )
            .label(first, "first here");
            return false;
        }
        let Some(field) = fields.iter().find(|field| field.name == column.name.name) else {
            // A field whose type failed to resolve was reported already.
            if !written
                .iter()
                .any(|field| field.name.name == column.name.name)
            {
                let diagnostic = ctx.error(
                    Code::UnknownField,
                    format!("the key names `{}`, which is not a field", column.name.name),
                    column.name.span,
                    "no such field",
                );
                if let Some(help) =
                    did_you_mean(&column.name.name, fields.iter().map(|f| f.name.as_str()))
                {
                    diagnostic.help(help);
                }
            }
            return false;
        };
        key_field_allowed(field, "key column", column.name.span, ctx)
    };
    for partition_column in &key.partition.columns {
        ok &= column(partition_column, ctx);
        if let Some(order) = partition_column.order {
            ctx.error(
                Code::InvalidKey,
                "only clustering columns take an order",
                order.span,
                format!("`{}` is in the partition key", partition_column.name.name),
            )
            .help("rows are ordered within a partition; partitions are placed by token");
            ok = false;
        }
    }
    for clustering_column in &key.clustering {
        ok &= column(clustering_column, ctx);
    }
    ok.then(|| ir::Key {
        partition: key
            .partition
            .columns
            .iter()
            .map(|c| c.name.name.clone())
            .collect(),
        clustering: key
            .clustering
            .iter()
            .map(|c| ir::Clustering {
                field: c.name.name.clone(),
                order: match c.order.map(|o| o.direction) {
                    Some(ast::SortDirection::Desc) => Order::Desc,
                    Some(ast::SortDirection::Asc) | None => Order::Asc,
                },
            })
            .collect(),
    })
}

/// Whether `field` may be a primary-key column; reports why not. `what`
/// names the column's role (`key column`, `series field`, `stream id`) and
/// `at` is where it is put in the key.
pub(super) fn key_field_allowed(
    field: &ir::Field,
    what: &str,
    at: Span,
    ctx: &mut Context,
) -> bool {
    let problem = if field.optional {
        Some(("optional", format!("make it `{}` (without `?`)", field.ty)))
    } else if field.ty.is_unfrozen_collection() {
        Some((
            "a non-frozen collection",
            format!("write `frozen<{}>`", field.ty),
        ))
    } else if matches!(field.ty, Type::Udt(_)) {
        Some((
            "a non-frozen user-defined type",
            format!("write `frozen<{}>`", field.ty),
        ))
    } else if field.ty.is_counter() {
        Some((
            "a counter",
            "counters can only be regular columns".to_owned(),
        ))
    } else if matches!(field.ty, Type::Vector(_)) {
        Some(("a vector", "vectors can't be key columns".to_owned()))
    } else if contains_duration(&field.ty) {
        Some((
            "a duration",
            "durations have no order, so Cassandra refuses them in a primary key; store a number of seconds or a timestamp instead".to_owned(),
        ))
    } else if field.is_static {
        Some(("static", "remove `@static`".to_owned()))
    } else {
        None
    };
    match problem {
        Some((problem, help)) => {
            let declared = format!(
                "declared `{}{}` here",
                field.ty,
                if field.optional { "?" } else { "" }
            );
            let diagnostic = if at == field.span {
                ctx.error(
                    Code::InvalidKey,
                    format!("{what} `{}` can't be {problem}", field.name),
                    at,
                    declared,
                )
            } else {
                ctx.error(
                    Code::InvalidKey,
                    format!("{what} `{}` can't be {problem}", field.name),
                    at,
                    "in the key",
                )
                .label(field.span, declared)
            };
            diagnostic.help(help);
            false
        }
        None => true,
    }
}

fn check_static_columns(
    fields: &[ir::Field],
    key: &ir::Key,
    model: &ast::Model,
    ctx: &mut Context,
) {
    for field in fields.iter().filter(|field| field.is_static) {
        if key.clustering.is_empty() {
            ctx.error(
                Code::InvalidStatic,
                format!("`@static` needs clustering columns, and model `{}` has none", model.name.name),
                field.span,
                "static column",
            )
            .help("a static column is shared by the rows of a partition; without clustering columns every partition has one row");
        }
    }
}

/// `@bucket` marks a partition key column.
fn check_bucket_columns(key: &ir::Key, model: &ast::Model, ctx: &mut Context) {
    for field in &model.fields {
        let Some(attribute) = field
            .attributes
            .iter()
            .find(|a| matches!(a.kind, ast::AttributeKind::Bucket))
        else {
            continue;
        };
        if !key.partition.contains(&field.name.name) {
            ctx.error(
                Code::MisplacedAttribute,
                format!("`@bucket` marks a partition key column, and `{}` is not one", field.name.name),
                attribute.span,
                "not in the partition key",
            )
            .help("put the bucket in the partition key, e.g. `key ((id, bucket), …)`, or remove `@bucket`");
        }
    }
}

/// `@embed(a, b)` names text fields of the same model (E0203 otherwise,
/// E0603 for another type); a field whose sources don't check embeds
/// nothing.
fn check_embed_sources(fields: &mut [ir::Field], model: &ast::Model, ctx: &mut Context) {
    let texts: Vec<(String, Option<Type>)> = fields
        .iter()
        .map(|field| (field.name.clone(), Some(field.ty.unfrozen().clone())))
        .collect();
    for field in fields.iter_mut().filter(|field| !field.embed.is_empty()) {
        let Some(written) = model.fields.iter().find(|w| w.name.name == field.name) else {
            continue;
        };
        let sources = written
            .attributes
            .iter()
            .find_map(|attribute| match &attribute.kind {
                ast::AttributeKind::Embed(sources) => Some(sources),
                _ => None,
            });
        let mut ok = true;
        for source in sources.into_iter().flatten() {
            match texts.iter().find(|(name, _)| *name == source.name) {
                None => {
                    let diagnostic = ctx.error(
                        Code::UnknownField,
                        format!(
                            "`@embed({})`: model `{}` has no field `{}`",
                            source.name, model.name.name, source.name
                        ),
                        source.span,
                        "no such field",
                    );
                    if let Some(help) =
                        did_you_mean(&source.name, texts.iter().map(|(name, _)| name.as_str()))
                    {
                        diagnostic.help(help);
                    }
                    ok = false;
                }
                Some((_, Some(Type::Scalar(Scalar::Text | Scalar::Ascii | Scalar::Varchar)))) => {}
                Some((_, ty)) => {
                    ctx.error(
                        Code::AttributeTypeMismatch,
                        format!(
                            "`@embed` computes a vector from text, and `{}` is not text",
                            source.name
                        ),
                        source.span,
                        ty.as_ref().map_or_else(String::new, |ty| format!("`{ty}`")),
                    )
                    .help("name `text` fields (optional ones are skipped when empty)");
                    ok = false;
                }
            }
        }
        if !ok {
            field.embed.clear();
        }
    }
}

/// `@unique` and `@on_update` don't apply to key fields: the key already
/// identifies the row, and Cassandra can't update a key column.
fn check_key_attributes(
    fields: &[ir::Field],
    key: &ir::Key,
    model: &ast::Model,
    ctx: &mut Context,
) {
    for field in fields.iter().filter(|field| key.contains(&field.name)) {
        let Some(written) = model.fields.iter().find(|w| w.name.name == field.name) else {
            continue;
        };
        for attribute in &written.attributes {
            let problem = match &attribute.kind {
                ast::AttributeKind::Unique { .. } => Some((
                    "can't be `@unique`",
                    "the key identifies a row already; `@unique` is for other fields",
                )),
                ast::AttributeKind::OnUpdateNow { .. } => Some((
                    "can't take `@on_update(now)`",
                    "Cassandra can't change a key column in an update; remove `@on_update` or move the field out of the key",
                )),
                ast::AttributeKind::Default(_)
                | ast::AttributeKind::Validate(_)
                | ast::AttributeKind::Tenant
                | ast::AttributeKind::Static
                | ast::AttributeKind::Bucket
                | ast::AttributeKind::Masked(_)
                | ast::AttributeKind::Embed(_)
                | ast::AttributeKind::Cql(_) => None,
            };
            if let Some((what, help)) = problem {
                ctx.error(
                    Code::MisplacedAttribute,
                    format!("key field `{}` {what}", field.name),
                    attribute.span,
                    "on a key field",
                )
                .label(key_span(model, &field.name), "in the key")
                .help(help);
            }
        }
    }
}

/// `@tenant`: on one field, the model's first, leading the partition key,
/// required, of a type a tenant id can be (`text`, `uuid`, `int`,
/// `bigint`); not on a model with `@unique` fields (their lookup tables
/// are not scoped by tenant yet).
fn check_tenant(fields: &[ir::Field], key: &ir::Key, model: &ast::Model, ctx: &mut Context) {
    let tenants: Vec<&ir::Field> = fields.iter().filter(|field| field.tenant).collect();
    let Some(tenant) = tenants.first() else {
        return;
    };
    let attribute_span = |name: &str| {
        model
            .fields
            .iter()
            .find(|field| field.name.name == name)
            .and_then(|field| {
                field
                    .attributes
                    .iter()
                    .find(|attribute| matches!(attribute.kind, ast::AttributeKind::Tenant))
            })
            .map_or(model.name.span, |attribute| attribute.span)
    };
    for extra in &tenants[1..] {
        ctx.error(
            Code::MisplacedAttribute,
            format!("`{}` has two `@tenant` fields", model.name.name),
            attribute_span(&extra.name),
            "a second tenant id",
        )
        .label(attribute_span(&tenant.name), "the first");
    }
    let first_field = fields
        .first()
        .is_some_and(|field| field.name == tenant.name);
    let leads = key.partition.first() == Some(&tenant.name);
    if !first_field || !leads {
        ctx.error(
            Code::InvalidKey,
            format!(
                "the tenant id `{}` must be the model's first field and lead its partition key",
                tenant.name
            ),
            attribute_span(&tenant.name),
            "not first",
        )
        .label(key_span(model, &tenant.name), "in the key")
        .help(format!(
            "declare `{}` first and write the key as `key (({}, …), …)`: every partition then belongs to one tenant",
            tenant.name, tenant.name
        ));
    }
    tenant_type_allowed(tenant, ctx);
}

/// Whether `tenant` has a type a tenant id may have (a required `text`,
/// `ascii`, `uuid`, `int` or `bigint`), reporting it when not.
pub(super) fn tenant_type_allowed(tenant: &ir::Field, ctx: &mut Context) -> bool {
    let id_type = matches!(
        tenant.ty,
        Type::Scalar(Scalar::Text | Scalar::Ascii | Scalar::Uuid | Scalar::Int | Scalar::Bigint)
    );
    if id_type && !tenant.optional {
        return true;
    }
    ctx.error(
        Code::AttributeTypeMismatch,
        "a tenant id is a required `text`, `uuid`, `int` or `bigint`",
        tenant.span,
        format!("field `{}` is `{}`", tenant.name, tenant.ty),
    );
    false
}

/// Where `field` is named in the model's `key` clause (or the model name).
fn key_span(model: &ast::Model, field: &str) -> Span {
    model
        .key
        .as_ref()
        .and_then(|key| {
            key.partition
                .columns
                .iter()
                .chain(&key.clustering)
                .find(|column| column.name.name == field)
        })
        .map_or(model.name.span, |column| column.name.span)
}

fn check_counters(fields: &[ir::Field], key: &ir::Key, model: &ast::Model, ctx: &mut Context) {
    let Some(counter) = fields.iter().find(|field| field.ty.is_counter()) else {
        return;
    };
    for field in fields
        .iter()
        .filter(|field| !key.contains(&field.name) && !field.ty.is_counter())
    {
        ctx.error(
            Code::InvalidCounter,
            format!(
                "model `{}` has counters, so every field outside its key must be a counter",
                model.name.name
            ),
            field.span,
            format!("`{}` is not a counter", field.name),
        )
        .label(counter.span, "counter field here")
        .help("move the non-counter fields to a model of their own");
    }
    for field in fields.iter().filter(|field| field.ty.is_counter()) {
        if field.default.is_some() || !field.validations.is_empty() || field.unique {
            ctx.error(
                Code::InvalidCounter,
                format!(
                    "counter `{}` takes no `@default`, `@validate` or `@unique`",
                    field.name
                ),
                field.span,
                "counters change only by increments",
            );
        }
    }
}

fn check_indexes(
    model: &ast::Model,
    fields: &[ir::Field],
    key: &ir::Key,
    table: &str,
    ctx: &mut Context,
) -> Vec<ir::Index> {
    let mut seen: FxHashMap<(String, ir::IndexOn), Span> = FxHashMap::default();
    let mut indexes = Vec::new();
    for clause in &model.indexes {
        let Some(field) = known_field(&clause.column, fields, &model.fields, ctx) else {
            continue;
        };
        let on = match (clause.on, &field.ty) {
            (ast::IndexOn::Column | ast::IndexOn::Values, _) => ir::IndexOn::Value,
            (ast::IndexOn::Keys, Type::Map(..)) => ir::IndexOn::Keys,
            (ast::IndexOn::Entries, Type::Map(..)) => ir::IndexOn::Entries,
            (ast::IndexOn::Keys | ast::IndexOn::Entries, other) => {
                let function = clause.on.function().unwrap_or("keys");
                ctx.error(
                    Code::InvalidIndex,
                    format!(
                        "`{function}({})` indexes a non-frozen map, and `{}` is `{other}`",
                        field.name, field.name
                    ),
                    clause.span,
                    "not a map",
                )
                .help(format!("index the value: `index ({})`", field.name));
                continue;
            }
        };
        if clause.on == ast::IndexOn::Values && !field.ty.is_unfrozen_collection() {
            ctx.error(
                Code::InvalidIndex,
                format!(
                    "`values({})` indexes a non-frozen collection, and `{}` is `{}`",
                    field.name, field.name, field.ty
                ),
                clause.span,
                "not a collection",
            )
            .help(format!("index the value: `index ({})`", field.name));
            continue;
        }
        if let Some(first) = seen.insert((field.name.clone(), on), clause.span) {
            ctx.error(
                Code::DuplicateMember,
                format!("`{}` is indexed twice the same way", field.name),
                clause.span,
                "declared again here",
            )
            .label(first, "first declared here")
            .help("remove one");
            continue;
        }
        if key.partition.len() == 1 && key.partition[0] == field.name {
            ctx.error(
                Code::InvalidIndex,
                format!(
                    "`{}` is the whole partition key; it needs no index",
                    field.name
                ),
                clause.span,
                "redundant index",
            )
            .help("queries on the partition key are served directly");
            continue;
        }
        let unsupported = match &field.ty {
            Type::Scalar(Scalar::Counter) => Some("counters can't be indexed".to_owned()),
            Type::Vector(_) => Some(format!(
                "index a vector with `vector_index {}` instead",
                field.name
            )),
            Type::Udt(name) => Some(format!(
                "a non-frozen user-defined type can't be indexed; declare the field `frozen<{name}>`"
            )),
            other if contains_duration(other) => {
                Some("secondary indexes don't support durations".to_owned())
            }
            Type::Scalar(_)
            | Type::List(_)
            | Type::Set(_)
            | Type::Map(..)
            | Type::Tuple(_)
            | Type::Frozen(_)
            | Type::Enum(_) => None,
        };
        if let Some(help) = unsupported {
            ctx.error(
                Code::InvalidIndex,
                format!("`{}` can't be indexed: it is `{}`", field.name, field.ty),
                clause.span,
                "unsupported column type",
            )
            .help(help);
            continue;
        }
        let suffix = match on {
            ir::IndexOn::Value => "",
            ir::IndexOn::Keys => "_keys",
            ir::IndexOn::Entries => "_entries",
        };
        indexes.push(ir::Index {
            field: field.name.clone(),
            on,
            name: clause.name.as_ref().map_or_else(
                || format!("{table}_{}{suffix}_idx", field.cql_name),
                |name| name.name.clone(),
            ),
        });
    }
    indexes
}

fn check_vector_indexes(
    model: &ast::Model,
    fields: &[ir::Field],
    table: &str,
    ctx: &mut Context,
) -> Vec<ir::VectorIndex> {
    let mut seen = FxHashMap::default();
    let mut indexes = Vec::new();
    for clause in &model.vector_indexes {
        if !unique_member(&mut seen, &clause.column, "vector index on", ctx) {
            continue;
        }
        let Some(field) = known_field(&clause.column, fields, &model.fields, ctx) else {
            continue;
        };
        if !matches!(field.ty, Type::Vector(_)) {
            ctx.error(
                Code::InvalidIndex,
                format!(
                    "`vector_index` needs a `vector<float, N>` field; `{}` is `{}`",
                    field.name, field.ty
                ),
                clause.column.span,
                "not a vector",
            )
            .help("a vector index needs a `vector<float, N>` field; use `index (…)` for other columns");
            continue;
        }
        // An `index` on the same (vector) field is refused by `check_indexes`.
        let similarity = match clause.similarity.map(|s| s.kind).unwrap_or_default() {
            ast::SimilarityKind::Cosine => ir::Similarity::Cosine,
            ast::SimilarityKind::DotProduct => ir::Similarity::DotProduct,
            ast::SimilarityKind::Euclidean => ir::Similarity::Euclidean,
        };
        indexes.push(ir::VectorIndex {
            field: field.name.clone(),
            similarity,
            name: clause.name.as_ref().map_or_else(
                || format!("{table}_{}_idx", field.cql_name),
                |name| name.name.clone(),
            ),
        });
    }
    indexes
}

/// The resolved field named `name`; reports an unknown name (with a
/// suggestion) unless the field exists but failed to resolve.
pub(super) fn known_field<'f>(
    name: &ast::Ident,
    fields: &'f [ir::Field],
    written: &[ast::Field],
    ctx: &mut Context,
) -> Option<&'f ir::Field> {
    let found = fields.iter().find(|field| field.name == name.name);
    if found.is_none() && !written.iter().any(|field| field.name.name == name.name) {
        let diagnostic = ctx.error(
            Code::UnknownField,
            format!("unknown field `{}`", name.name),
            name.span,
            "no such field",
        );
        if let Some(help) = did_you_mean(&name.name, fields.iter().map(|f| f.name.as_str())) {
            diagnostic.help(help);
        }
    }
    found
}

fn compaction(strategy: &ast::Compaction, ctx: &mut Context) -> Option<ir::Compaction> {
    match strategy.kind {
        ast::CompactionKind::SizeTiered => Some(ir::Compaction::SizeTiered),
        ast::CompactionKind::Leveled => Some(ir::Compaction::Leveled),
        ast::CompactionKind::Unified => Some(ir::Compaction::Unified),
        ast::CompactionKind::TimeWindow(window) => {
            let seconds = window.as_secs().filter(|s| {
                *s >= 60 && s % 60 == 0 && window.as_millis().is_some_and(|ms| ms % 1000 == 0)
            });
            match seconds {
                Some(window_seconds) => Some(ir::Compaction::TimeWindow { window_seconds }),
                None => {
                    let label = if window.as_millis().is_some_and(|ms| ms < 60_000) {
                        "shorter than a minute"
                    } else {
                        "not a whole number of minutes"
                    };
                    ctx.error(
                        Code::InvalidValue,
                        "a compaction window is a whole number of minutes",
                        window.span,
                        label,
                    )
                    .help("write e.g. `time_window(1d)` or `time_window(30m)`");
                    None
                }
            }
        }
    }
}

/// Reports `name`, which `model` does not have, suggesting a close field.
pub(super) fn unknown_model_field(model: &ir::Model, name: &ast::Ident, ctx: &mut Context) {
    let diagnostic = ctx.error(
        Code::UnknownField,
        format!("model `{}` has no field `{}`", model.name, name.name),
        name.span,
        "no such field",
    );
    if let Some(help) = did_you_mean(&name.name, model.fields.iter().map(|f| f.name.as_str())) {
        diagnostic.help(help);
    }
}
