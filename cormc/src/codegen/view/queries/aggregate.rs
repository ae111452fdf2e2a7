//! Aggregates: a result row per aggregate and a repository method that
//! computes it, natively or client-side.
//!
//! - **Result row**: the grouped columns, then one field per `select` item,
//!   typed as the IR says (`count` is `i64`; `sum` and `avg` keep the
//!   column's type, a counter's being `i64`; `min` and `max` keep it too and
//!   are `Option`s when there may be no value: without `group by` (no row
//!   matched) or over an optional column).
//! - **Native** (`GROUP BY` a primary-key prefix, or no grouping, and no
//!   `having` or `order`): `SELECT <grouped columns>, count(*), sum(x) …
//!   GROUP BY …`, read as a tuple of the types Cassandra returns (counters as
//!   `corm::Counter`) and mapped to the row. Every page is read.
//! - **Client-side**: the grouped and aggregated columns are streamed a page
//!   at a time and added to a private `<Row>Totals` per group in a
//!   `BTreeMap` (memory grows with the groups, not the rows); then each
//!   group's row is finished, `having` filters, `order` sorts (stable, so
//!   ties keep the groups' key order) and `limit` truncates. Integer sums
//!   are kept in `i128` and checked against the result type when finished.
//!   Sums and averages of `decimal` and `varint` are exact (`corm::BigDecimal`,
//!   `corm::BigInt`). Each item's running total is data
//!   ([`RunningTotal`]); the template writes its Rust. Refused (as
//!   [`CodegenError::Unsupported`]): grouping by a column whose Rust type
//!   has no order, `min`/`max` of types without an order in Rust, and
//!   ordering by an optional float.

mod argument;
mod group_key;
mod having;
mod ordering;
mod running_total;

pub use argument::{Argument, Pass};
pub use group_key::KeyPart;
use group_key::group_key;
pub use having::{Condition, Reach};
pub use ordering::{OrderBy, Ordering};
pub use running_total::{Compare, Kept, Owned, RunningTotal, Summand, TotalOp};
use running_total::{RunningTotals, Selected, running_total};

use super::{
    Kind, MAX_ARGS, ParamView, StatementView, column, method_doc, param_ident, param_idents,
    param_type, type_uses, where_clause, within_tuple_limit,
};
use crate::codegen::CodegenError;
use crate::codegen::view::TypesFile;
use crate::codegen::view::doc::doc_lines;
use crate::codegen::view::generated_names::MODEL_TYPE_SUFFIXES;
use crate::codegen::view::ident::{bare, field_ident, local_apart, type_ident};
use crate::codegen::view::items::ModelView;
use crate::codegen::view::rust_type::rust_type;
use crate::cql::ident::quote;
use crate::ir::{self, AggregateFunction, Execution, Literal, Operand, Operator, Scalar, Type};

/// An aggregate: its result row and its method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregateView {
    /// Doc lines of the method.
    pub doc: Vec<String>,
    /// The repository type (`PostRepository`).
    pub repo: String,
    /// The method name.
    pub ident: String,
    /// The statement the method runs.
    pub statement: StatementView,
    /// The parameters, in order.
    pub params: Vec<ParamView>,
    /// Whether the method takes more arguments than clippy likes.
    pub many_args: bool,
    /// The values bound: the items of a Rust tuple.
    pub values: Vec<String>,
    /// The type of a row read: the items of a Rust tuple type.
    pub read: Vec<String>,
    /// The pattern a row read is destructured with: the items of a tuple
    /// pattern.
    pub pattern: Vec<String>,
    /// Doc lines of the result row.
    pub row_doc: Vec<String>,
    /// The result row type.
    pub row: String,
    /// Its fields: grouped columns, then select items.
    pub fields: Vec<GroupView>,
    /// How a native aggregate fills the row from a row read.
    pub native: Option<NativeView>,
    /// How a client-side aggregate computes the rows.
    pub client: Option<ClientView>,
    /// Without `group by`: the method returns its one row (or, when
    /// `keep` may drop it, an `Option`), not a `Vec`.
    pub single: bool,
    /// What the method's `corm::Result` holds: `Vec<Row>`, `Row` or
    /// `Option<Row>`.
    pub returns: String,
    /// A client-side aggregate without `group by` whose `having` or
    /// `limit ?n` may drop its row (the template writes the condition that
    /// keeps it).
    pub keeps: bool,
    /// The same aggregate on a tenant's handle, for a model with a
    /// `@tenant` field whose first parameter is the tenant id.
    pub scoped: Option<super::ScopedQueryView>,
}

/// A field of a result row (or of the running totals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    /// Doc lines.
    pub doc: Vec<String>,
    /// The field name.
    pub ident: String,
    /// Its Rust type.
    pub ty: String,
}

/// A native aggregate: the row from the tuple read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeView {
    /// The row's fields, in its order, each as read.
    pub fields: Vec<NativeField>,
}

/// A field of a native aggregate's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeField {
    /// The Rust field, also the name it is read into.
    pub ident: String,
    /// How it is read.
    pub read_as: ReadAs,
}

/// How a native aggregate's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadAs {
    /// As the row's field type.
    Itself,
    /// A `min`/`max`/`sum` of a counter: as `corm::Counter`, unwrapped.
    Counter,
    /// Likewise, optional.
    OptionalCounter,
}

/// A client-side aggregate: running totals per group, then `having`,
/// `order` and `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientView {
    /// The private running totals type (`PostStatsTotals`).
    pub totals: String,
    /// Its fields.
    pub totals_fields: Vec<ItemView>,
    /// The group key of a row read (empty without `group by`).
    pub group_key: Vec<KeyPart>,
    /// The types of its parts.
    pub key_types: Vec<String>,
    /// The parameters of `Totals::new`, the values that seed `min`/`max`
    /// (none: `Totals` is `Default`).
    pub new_params: Vec<ParamView>,
    /// The arguments of `Totals::new` in the read loop.
    pub new_args: Vec<Argument>,
    /// The parameters of `Totals::add`.
    pub add_params: Vec<ParamView>,
    /// The arguments of `Totals::add` in the read loop.
    pub add_args: Vec<Argument>,
    /// The running total of each selected item: how `new`, `add` and
    /// `finish` treat it.
    pub running: Vec<RunningTotal>,
    /// The grouped fields of the row, which `finish` takes in its key.
    pub grouped: Vec<String>,
    /// Whether `finish` can fail (a sum that does not fit its type).
    pub fallible: bool,
    /// The `having` conditions over `row` (all must hold).
    pub having: Vec<Condition>,
    /// The fields the rows are ordered by, in order (none without `group
    /// by`: one row).
    pub order: Vec<Ordering>,
    /// How many rows are kept, if limited.
    pub limit: Option<Limit>,
}

/// How many rows a client-side aggregate keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// A number the schema writes.
    Fixed(u32),
    /// A parameter (none are kept when it is not positive).
    Param(String),
}

impl ClientView {
    /// Whether one key sorts the rows (`sort_by_key`): one ordered field,
    /// whose value is one `Copy` value or an enum's text.
    #[must_use]
    pub fn sorts_by_key(&self) -> bool {
        matches!(self.order.as_slice(), [only] if only.keyed)
    }
}

/// A field of the running totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemView {
    /// The field name.
    pub ident: String,
    /// Its Rust type.
    pub ty: String,
}

/// What a result field holds, for `having` and `order`.
struct FieldInfo {
    /// The schema name (alias or column).
    name: String,
    ident: String,
    kind: Kind,
    /// The Rust type without `Option`.
    path: String,
    optional: bool,
}

/// A column the client-side read selects.
struct ReadColumn {
    field: String,
    local: String,
    ty: String,
    kind: Kind,
    optional: bool,
    counter: bool,
}

pub(super) fn aggregate_view(
    aggregate: &ir::Aggregate,
    model: &ir::Model,
    view: &ModelView,
    types: &TypesFile,
    index: usize,
    uses: &mut Vec<String>,
) -> Result<AggregateView, CodegenError> {
    let what = format!("aggregate `{}`", aggregate.name);
    let unsupported = |reason: String| CodegenError::Unsupported {
        what: what.clone(),
        reason,
    };
    let row = type_ident(&aggregate.name);
    if let Some(name) = clashing_type(&row, types) {
        return Err(unsupported(format!(
            "the generated type `{name}` clashes with another type"
        )));
    }
    let repo = format!("{}Repository", bare(&view.ident));
    let ident = field_ident(&aggregate.name);
    let params = param_idents(&aggregate.params);

    let (fields, infos) = result_row(aggregate, model, view, types, &what, uses)?;

    let (mut tail, mut values) = where_clause(&aggregate.conditions, model, &params, &what)?;
    let mut param_views = Vec::new();
    for (param_ident, param) in &params {
        type_uses(&param.ty, uses);
        param_views.push(ParamView {
            ident: param_ident.clone(),
            ty: param_type(&param.ty, param.list, &what, types)?,
        });
    }
    let grouped: Vec<String> = aggregate
        .group_by
        .iter()
        .map(|name| column(model, name))
        .collect();
    let fallback = format!(
        "Computes the aggregate `{}` over the rows of `{}`.",
        aggregate.name, model.name
    );
    let row_doc_line = format!(
        "A row of [`{repo}::{ident}`](super::{repo}::{ident}): {}.",
        if aggregate.group_by.is_empty() {
            "the aggregate over every matching row".to_owned()
        } else {
            format!("one per group of `{}`", aggregate.group_by.join("`, `"))
        }
    );
    let mut row_doc = aggregate
        .doc
        .as_deref()
        .map(str::trim)
        .filter(|doc| !doc.is_empty())
        .map(|doc| format!("{doc}\n\n"))
        .unwrap_or_default();
    row_doc.push_str(&row_doc_line);

    let Read {
        head,
        read,
        pattern,
        native,
        client,
        mut details,
        errors,
    } = match aggregate.execution {
        Execution::Native => native_read(
            aggregate,
            model,
            &fields,
            &grouped,
            (&mut tail, &mut values),
            &params,
            &what,
        )?,
        Execution::ClientSide => {
            let item = Item {
                aggregate,
                model,
                view,
                params: &params,
                types,
                what: &what,
            };
            client_read(&item, &fields, &infos, &row)?
        }
    };
    if !served_by_key(&aggregate.conditions, model) {
        // The IR does not say whether `allow filtering` was written; an
        // unneeded ALLOW FILTERING changes nothing in Cassandra, so it is
        // written whenever the key alone does not serve the conditions.
        details.push("Its conditions are not all served by the primary key, so the CQL says `ALLOW FILTERING`: an index serves them, or (when the schema says `allow filtering`) Cassandra may read whole partitions or the whole table.".to_owned());
        tail.push_str(" ALLOW FILTERING");
    }
    let cql = format!("{head}<keyspace>.{}{tail}", quote(&model.table));
    let single = aggregate.group_by.is_empty();
    let keeps = client
        .as_ref()
        .is_some_and(|client| single && (!client.having.is_empty() || client.limit.is_some()));
    let returns = match (single, keeps) {
        (false, _) => format!("Vec<{row}>"),
        (true, false) => row.clone(),
        (true, true) => format!("Option<{row}>"),
    };
    let scoped = super::scoped_view(
        view,
        &aggregate.conditions,
        &aggregate.params,
        &param_views,
        returns.clone(),
    );
    Ok(AggregateView {
        scoped,
        doc: method_doc(aggregate.doc.as_deref(), &fallback, &details, &cql, &errors),
        repo,
        ident,
        statement: StatementView::new(index, &head, &tail),
        many_args: param_views.len() + 2 > MAX_ARGS,
        params: param_views,
        values: within_tuple_limit(values, &what)?,
        read,
        pattern,
        row_doc: doc_lines(Some(&row_doc), ""),
        row,
        fields,
        native,
        client,
        single,
        returns,
        keeps,
    })
}

/// A type generated for an aggregate whose row type is `row` (the row, its
/// running totals) that clashes with a type of `types.rs` or `db.rs` (rows
/// of other aggregates are checked by the caller).
fn clashing_type(row: &str, types: &TypesFile) -> Option<String> {
    let taken = |name: &str| {
        let models = types.models.iter().map(|model| bare(&model.ident));
        types
            .enums
            .iter()
            .map(|item| item.ident.as_str())
            .chain(types.udts.iter().map(|item| item.ident.as_str()))
            .any(|ident| ident == name)
            || models.clone().any(|model| {
                name.strip_prefix(model).is_some_and(|suffix| {
                    suffix.is_empty() || MODEL_TYPE_SUFFIXES.contains(&suffix)
                })
            })
            || name == "Db"
            || name == "Batch"
    };
    [row.to_owned(), format!("{row}Totals")]
        .into_iter()
        .find(|name| taken(name))
}

/// The result row's fields (grouped columns, then select items) and what
/// each holds, for `having` and `order`.
fn result_row(
    aggregate: &ir::Aggregate,
    model: &ir::Model,
    view: &ModelView,
    types: &TypesFile,
    what: &str,
    uses: &mut Vec<String>,
) -> Result<(Vec<GroupView>, Vec<FieldInfo>), CodegenError> {
    let mut fields = Vec::new();
    let mut infos = Vec::new();
    for name in &aggregate.group_by {
        let (field, ty) = field_of(model, view, name, what)?;
        type_uses(&field.ty, uses);
        fields.push(GroupView {
            doc: doc_lines(
                Some(&format!("The grouped column `{}`.", field.cql_name)),
                "",
            ),
            ident: field_ident(name),
            ty,
        });
        infos.push(FieldInfo {
            name: name.clone(),
            ident: field_ident(name),
            kind: Kind::of(&field.ty, types),
            path: rust_type(&field.ty, what)?.path,
            optional: field.optional,
        });
    }
    for item in &aggregate.select {
        type_uses(&item.ty, uses);
        let path = rust_type(&item.ty, what)?.path;
        let optional = nullable(aggregate, item, model);
        let call = call_text(item, model);
        let doc = if optional {
            format!("`{call}`: `None` when there is no value (no row, or only nulls).")
        } else {
            format!("`{call}`.")
        };
        fields.push(GroupView {
            doc: doc_lines(Some(&doc), ""),
            ident: field_ident(&item.alias),
            ty: if optional {
                format!("Option<{path}>")
            } else {
                path.clone()
            },
        });
        infos.push(FieldInfo {
            name: item.alias.clone(),
            ident: field_ident(&item.alias),
            kind: Kind::of(&item.ty, types),
            path,
            optional,
        });
    }
    for (i, field) in fields.iter().enumerate() {
        if fields[..i]
            .iter()
            .any(|earlier| earlier.ident == field.ident)
        {
            return Err(CodegenError::Unsupported {
                what: what.to_owned(),
                reason: format!("two fields of its result row are named `{}`", field.ident),
            });
        }
    }
    Ok((fields, infos))
}

/// How an aggregate reads: its statement's head, the tuple a row is read
/// as and the pattern it is read into, how the result rows are made
/// (natively or client-side), and what its docs say.
struct Read {
    head: String,
    read: Vec<String>,
    pattern: Vec<String>,
    native: Option<NativeView>,
    client: Option<ClientView>,
    details: Vec<String>,
    errors: String,
}

/// A native aggregate's read: `SELECT <grouped>, <calls> FROM`, with
/// `GROUP BY` and `LIMIT` added to `tail` (a `LIMIT ?`'s value to
/// `values`), the tuple it reads and how the row is filled.
fn native_read(
    aggregate: &ir::Aggregate,
    model: &ir::Model,
    fields: &[GroupView],
    grouped: &[String],
    (tail, values): (&mut String, &mut Vec<String>),
    params: &[(String, &ir::Param)],
    what: &str,
) -> Result<Read, CodegenError> {
    let mut selected = grouped.to_vec();
    let mut read = Vec::new();
    let mut pattern = Vec::new();
    let mut native_fields = Vec::new();
    let mut field_as = |ident: &str, read_as| {
        native_fields.push(NativeField {
            ident: ident.to_owned(),
            read_as,
        });
    };
    for field in &fields[..grouped.len()] {
        read.push(field.ty.clone());
        pattern.push(field.ident.clone());
        field_as(&field.ident, ReadAs::Itself);
    }
    for (item, field) in aggregate.select.iter().zip(&fields[grouped.len()..]) {
        selected.push(call_cql(item, model));
        pattern.push(field.ident.clone());
        let counter = item.function != AggregateFunction::Count
            && item
                .column
                .as_deref()
                .and_then(|name| model.field(name))
                .is_some_and(|field| field.ty.is_counter());
        if counter {
            let optional = field.ty.starts_with("Option<");
            read.push(if optional {
                "Option<corm::Counter>".to_owned()
            } else {
                "corm::Counter".to_owned()
            });
            field_as(
                &field.ident,
                if optional {
                    ReadAs::OptionalCounter
                } else {
                    ReadAs::Counter
                },
            );
        } else {
            read.push(field.ty.clone());
            field_as(&field.ident, ReadAs::Itself);
        }
    }
    if !grouped.is_empty() {
        tail.push_str(&format!(" GROUP BY {}", grouped.join(", ")));
    }
    match &aggregate.limit {
        Some(ir::Limit::Fixed(n)) => tail.push_str(&format!(" LIMIT {n}")),
        Some(ir::Limit::Param(name)) => {
            tail.push_str(" LIMIT ?");
            values.push(param_ident(params, name, what)?);
        }
        None => {}
    }
    let mut details = vec![if grouped.is_empty() {
        "Computed by Cassandra in one row over every matching row (with no row, counts and sums are 0 and `min`/`max` are `None`).".to_owned()
    } else {
        "Computed by Cassandra (`GROUP BY` a primary-key prefix): one row per group, in the table's order (partitions by token, then clustering order); every page of groups is read (of the page size in the repository's options).".to_owned()
    }];
    if aggregate.select.iter().any(|item| {
        matches!(
            item.function,
            AggregateFunction::Sum | AggregateFunction::Avg
        )
    }) {
        details.push("As in Cassandra, `sum` and `avg` keep the column's type: an integer sum wraps around when it overflows, and an integer average is truncated.".to_owned());
    }
    if aggregate.select.iter().any(|item| {
        item.function == AggregateFunction::Avg
            && matches!(item.ty.unfrozen(), Type::Scalar(Scalar::Decimal))
    }) {
        details.push("Cassandra's `avg` of a `decimal` is a running mean rounded (half even, to the scale of the values read so far) at every row, so it depends on the order rows are read in; `sum` and `count` are exact.".to_owned());
    }
    let read = within_tuple_limit(read, what)?;
    let pattern = within_tuple_limit(pattern, what)?;
    Ok(Read {
        head: format!("SELECT {} FROM ", selected.join(", ")),
        read,
        pattern,
        native: Some(NativeView {
            fields: native_fields,
        }),
        client: None,
        details,
        errors: String::new(),
    })
}

/// A client-side aggregate's read: the columns it selects, read a page at
/// a time into running totals (see [`client_view`]).
fn client_read(
    item: &Item<'_>,
    fields: &[GroupView],
    infos: &[FieldInfo],
    row: &str,
) -> Result<Read, CodegenError> {
    let Item {
        aggregate,
        model,
        view,
        params,
        what,
        ..
    } = *item;
    let (client, columns) = client_view(item, fields, infos, row)?;
    let selected: Vec<String> = if columns.is_empty() {
        // Nothing to read but the rows themselves: a key column.
        vec![column(
            model,
            model.key.partition.first().map_or("", String::as_str),
        )]
    } else {
        columns.iter().map(|c| column(model, &c.field)).collect()
    };
    let (read, pattern) = if columns.is_empty() {
        let first = model
            .key
            .partition
            .first()
            .map(|name| field_of(model, view, name, what).map(|(_, ty)| ty))
            .transpose()?
            .unwrap_or_default();
        (vec![first], vec!["_".to_owned()])
    } else {
        let read: Vec<String> = columns.iter().map(|c| c.ty.clone()).collect();
        let locals: Vec<String> = columns.iter().map(|c| c.local.clone()).collect();
        (
            within_tuple_limit(read, what)?,
            within_tuple_limit(locals, what)?,
        )
    };
    let mut steps = Vec::new();
    if !aggregate.having.is_empty() {
        steps.push(format!(
            "keeps the groups where {}",
            aggregate
                .having
                .iter()
                .map(|h| format!(
                    "`{} {} {}`",
                    h.alias,
                    h.op.as_str(),
                    operand_text(&h.operand)
                ))
                .collect::<Vec<_>>()
                .join(" and ")
        ));
    }
    if !aggregate.order.is_empty() {
        steps.push(format!(
            "orders them by {}",
            aggregate
                .order
                .iter()
                .map(|o| format!("`{} {}`", o.column, o.order.cql().to_lowercase()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    match &aggregate.limit {
        Some(ir::Limit::Fixed(n)) => steps.push(format!("keeps the first {n}")),
        Some(ir::Limit::Param(name)) => steps.push(format!(
            "keeps the first `{}` (none when it is not positive)",
            param_ident(params, name, what)?
        )),
        None => {}
    }
    let mut details = vec![format!(
        "Runs client-side over a paged read: every matching row is read (of the page size in the repository's options) and added to {}, so memory grows with the number of groups, never with the number of rows.{}",
        if aggregate.group_by.is_empty() {
            "one running total"
        } else {
            "its group's running total"
        },
        if steps.is_empty() {
            String::new()
        } else {
            format!(" Then it {}.", join_and(&steps))
        }
    )];
    if aggregate.group_by.is_empty() {
        details.push(
            "Without `group by` there is one group, even with no row (counts and sums are then 0)."
                .to_owned(),
        );
    } else if aggregate.order.is_empty() {
        details.push("The rows come in the order of the grouped values.".to_owned());
    }
    let errors = if client.fallible {
        details.push("Integer sums are added up in 128 bits: a `sum` that does not fit the column's type is an error instead of wrapping around as in Cassandra; an integer average is truncated.".to_owned());
        "[`corm::Error::UnexpectedResult`] when a sum does not fit its type.".to_owned()
    } else {
        String::new()
    };
    Ok(Read {
        head: format!("SELECT {} FROM ", selected.join(", ")),
        read,
        pattern,
        native: None,
        client: Some(client),
        details,
        errors,
    })
}

/// The field `name` of `model` and its Rust type (with `Option` when
/// optional).
fn field_of<'m>(
    model: &'m ir::Model,
    view: &ModelView,
    name: &str,
    what: &str,
) -> Result<(&'m ir::Field, String), CodegenError> {
    model
        .fields
        .iter()
        .zip(&view.fields)
        .find(|(field, _)| field.name == name)
        .map(|(field, field_view)| (field, field_view.ty.clone()))
        .ok_or_else(|| CodegenError::Unsupported {
            what: what.to_owned(),
            reason: format!("`{name}` is not a field of `{}`", model.name),
        })
}

/// Whether a select item's result may be null: `min`/`max` without `group
/// by` (no row) or of an optional column.
fn nullable(aggregate: &ir::Aggregate, item: &ir::AggregateItem, model: &ir::Model) -> bool {
    matches!(
        item.function,
        AggregateFunction::Min | AggregateFunction::Max
    ) && (aggregate.group_by.is_empty()
        || item
            .column
            .as_deref()
            .and_then(|name| model.field(name))
            .is_some_and(|field| field.optional))
}

/// `fn(column)` as written in docs.
fn call_text(item: &ir::AggregateItem, model: &ir::Model) -> String {
    let argument = item.column.as_deref().map_or_else(
        || "*".to_owned(),
        |name| {
            model
                .field(name)
                .map_or_else(|| name.to_owned(), |field| field.cql_name.clone())
        },
    );
    format!("{}({argument})", item.function.name())
}

/// `fn(column)` in CQL (quoted column).
fn call_cql(item: &ir::AggregateItem, model: &ir::Model) -> String {
    let argument = item
        .column
        .as_deref()
        .map_or_else(|| "*".to_owned(), |name| column(model, name));
    format!("{}({argument})", item.function.name())
}

fn operand_text(operand: &Operand) -> String {
    match operand {
        Operand::Param(name) => format!("?{name}"),
        Operand::Literal(Literal::String(text)) => format!("{text:?}"),
        Operand::Literal(Literal::Integer(value)) => value.to_string(),
        Operand::Literal(Literal::Decimal(text)) => text.clone(),
        Operand::Literal(Literal::Boolean(value)) => value.to_string(),
        Operand::Literal(Literal::EnumValue { ty, variant }) => format!("{ty}.{variant}"),
    }
}

/// The Rust operator of a comparison.
fn rust_op(op: Operator) -> Option<&'static str> {
    match op {
        Operator::Eq => Some("=="),
        Operator::Lt => Some("<"),
        Operator::Le => Some("<="),
        Operator::Gt => Some(">"),
        Operator::Ge => Some(">="),
        Operator::In | Operator::Contains | Operator::ContainsKey => None,
    }
}

/// The aggregate a client-side view is built for, with what it reads.
struct Item<'a> {
    aggregate: &'a ir::Aggregate,
    model: &'a ir::Model,
    view: &'a ModelView,
    params: &'a [(String, &'a ir::Param)],
    /// The schema's types (which enums are open).
    types: &'a TypesFile,
    /// The aggregate, for errors.
    what: &'a str,
}

/// The running totals, `having`, `order` and `limit` of a client-side
/// aggregate whose result row `row` has `fields` (grouped columns first),
/// and the columns its read selects, in order.
fn client_view(
    item: &Item<'_>,
    fields: &[GroupView],
    infos: &[FieldInfo],
    row: &str,
) -> Result<(ClientView, Vec<ReadColumn>), CodegenError> {
    let Item {
        aggregate,
        model,
        view,
        params,
        types,
        what,
    } = *item;
    let unsupported = |reason: String| CodegenError::Unsupported {
        what: what.to_owned(),
        reason,
    };
    let field_of = |name: &str| field_of(model, view, name, what);
    let mut columns: Vec<ReadColumn> = Vec::new();
    let add_column = |columns: &mut Vec<ReadColumn>, name: &str| -> Result<String, CodegenError> {
        if let Some(existing) = columns.iter().find(|c| c.field == name) {
            return Ok(existing.local.clone());
        }
        let (field, ty) = field_of(name)?;
        let counter = field.ty.is_counter();
        let local = local_ident(name);
        columns.push(ReadColumn {
            field: name.to_owned(),
            local: local.clone(),
            ty: if counter {
                if field.optional {
                    "Option<corm::Counter>".to_owned()
                } else {
                    "corm::Counter".to_owned()
                }
            } else {
                ty
            },
            kind: Kind::of(&field.ty, types),
            optional: field.optional,
            counter,
        });
        Ok(local)
    };
    // The group key: every grouped column, in order.
    let mut key_locals = Vec::new();
    let mut key_types = Vec::new();
    for name in &aggregate.group_by {
        let (field, ty) = field_of(name)?;
        if !rust_type(&field.ty, what)?.ord {
            return Err(unsupported(format!(
                "it groups by `{name}` in the client, and its Rust type `{ty}` has no order to group by"
            )));
        }
        key_locals.push(add_column(&mut columns, name)?);
        key_types.push(ty);
    }
    let grouped = key_locals.len();

    let mut totals = RunningTotals::default();
    let mut used: Vec<String> = Vec::new(); // locals `add` reads
    for (item, field) in aggregate.select.iter().zip(&fields[grouped..]) {
        let call = call_text(item, model);
        let source = item.column.as_deref().map(&field_of).transpose()?;
        let column_local = match &item.column {
            Some(name) if needs_value(item, source.as_ref().map(|(f, _)| *f)) => {
                Some(add_column(&mut columns, name)?)
            }
            Some(_) | None => None,
        };
        let column = column_local
            .as_ref()
            .and_then(|local| columns.iter().find(|c| &c.local == local));
        if let Some(local) = &column_local
            && !used.contains(local)
        {
            used.push(local.clone());
        }
        running_total(
            &mut totals,
            &Selected {
                item,
                field,
                column,
                source: source.as_ref(),
                call: &call,
                what,
            },
        )?;
    }
    let RunningTotals {
        fields: totals_fields,
        totals: running,
        seeds,
        fallible,
    } = totals;
    for (i, field) in totals_fields.iter().enumerate() {
        if totals_fields[..i]
            .iter()
            .any(|earlier| earlier.ident == field.ident)
        {
            return Err(unsupported(format!(
                "two running totals are named `{}`; rename an alias",
                field.ident
            )));
        }
    }
    let group_key = group_key(&key_locals, &columns, |local: &str| {
        used.iter().any(|u| u == local) || seeds.iter().any(|(s, _)| s == local)
    });
    let mut add_params = Vec::new();
    let mut add_args = Vec::new();
    for column in used
        .iter()
        .filter_map(|local| columns.iter().find(|c| &c.local == local))
    {
        let (ty, arg) = column_param(column, column.optional);
        add_params.push(ParamView {
            ident: column.local.clone(),
            ty,
        });
        add_args.push(arg);
    }
    let new_params: Vec<ParamView> = seeds
        .iter()
        .map(|(local, ty)| ParamView {
            ident: local.clone(),
            ty: ty.clone(),
        })
        .collect();
    let new_args = seeds
        .iter()
        .map(|(local, _)| Argument::new(local, Pass::Ref))
        .collect();

    let AfterTotals {
        having,
        order,
        limit,
    } = after_totals(aggregate, infos, params, what)?;

    Ok((
        ClientView {
            totals: format!("{row}Totals"),
            totals_fields,
            group_key,
            key_types,
            new_params,
            new_args,
            add_params,
            add_args,
            running,
            grouped: fields[..grouped]
                .iter()
                .map(|field| field.ident.clone())
                .collect(),
            fallible,
            having,
            order,
            limit,
        },
        columns,
    ))
}

/// What a client-side aggregate does with its finished rows.
struct AfterTotals {
    /// The `having` conditions over each.
    having: Vec<Condition>,
    /// The fields they are ordered by.
    order: Vec<Ordering>,
    /// How many are kept.
    limit: Option<Limit>,
}

/// What a client-side aggregate does with its finished rows: the
/// `having` conditions over each, the fields they are ordered by, and how
/// many are kept.
fn after_totals(
    aggregate: &ir::Aggregate,
    infos: &[FieldInfo],
    params: &[(String, &ir::Param)],
    what: &str,
) -> Result<AfterTotals, CodegenError> {
    let unsupported = |reason: String| CodegenError::Unsupported {
        what: what.to_owned(),
        reason,
    };
    // `having`, over the finished `row`.
    let mut having = Vec::new();
    for condition in &aggregate.having {
        let Some(info) = infos.iter().find(|info| info.name == condition.alias) else {
            return Err(unsupported(format!("`having` names `{}`", condition.alias)));
        };
        let Some(op) = rust_op(condition.op) else {
            return Err(unsupported(format!(
                "`having` compares with `{}`",
                condition.op.as_str()
            )));
        };
        having.push(having::condition(
            info,
            op,
            &condition.operand,
            params,
            what,
        )?);
    }
    // `order`: without `group by` there is one row, nothing to order.
    let mut order = Vec::new();
    if !aggregate.group_by.is_empty() {
        for ordering in &aggregate.order {
            let Some(info) = infos.iter().find(|info| info.name == ordering.column) else {
                return Err(unsupported(format!("`order` names `{}`", ordering.column)));
            };
            order.push(ordering::ordering(info, ordering.order, what)?);
        }
    }
    // Without `group by`, a fixed limit (at least 1) keeps the one row.
    let limit = match &aggregate.limit {
        Some(ir::Limit::Fixed(_)) if aggregate.group_by.is_empty() => None,
        Some(ir::Limit::Fixed(n)) => Some(Limit::Fixed(*n)),
        Some(ir::Limit::Param(name)) => Some(Limit::Param(param_ident(params, name, what)?)),
        None => None,
    };
    Ok(AfterTotals {
        having,
        order,
        limit,
    })
}

/// How the read loop passes a column's value to `add` and `new`: the
/// parameter's type and the argument (`optional`: the column's `Option`, as
/// an `Option` of a reference).
fn column_param(column: &ReadColumn, optional: bool) -> (String, Argument) {
    let local = &column.local;
    match (column.kind, optional) {
        (Kind::Text, false) => ("&str".to_owned(), Argument::new(local, Pass::Ref)),
        (Kind::Blob, false) => ("&[u8]".to_owned(), Argument::new(local, Pass::Ref)),
        (Kind::Text, true) => (
            "Option<&str>".to_owned(),
            Argument::new(local, Pass::AsDeref),
        ),
        (Kind::Blob, true) => (
            "Option<&[u8]>".to_owned(),
            Argument::new(local, Pass::AsDeref),
        ),
        (
            Kind::Copy | Kind::Enum | Kind::OpenEnum | Kind::Float | Kind::Exact | Kind::Other,
            true,
        ) => {
            let inner = column
                .ty
                .strip_prefix("Option<")
                .and_then(|ty| ty.strip_suffix('>'))
                .unwrap_or(&column.ty);
            (
                format!("Option<&{inner}>"),
                Argument::new(local, Pass::AsRef),
            )
        }
        (
            Kind::Copy | Kind::Enum | Kind::OpenEnum | Kind::Float | Kind::Exact | Kind::Other,
            false,
        ) => (format!("&{}", column.ty), Argument::new(local, Pass::Ref)),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The local of a column in the read loop: its name, with a trailing `_`
/// when the method body uses that name.
fn local_ident(name: &str) -> String {
    let ident = local_apart(name, super::LOCALS, "_");
    if ident == "current" {
        "current_".to_owned()
    } else {
        ident
    }
}

/// Whether the primary key alone serves `conditions`: every partition key
/// column restricted by `=` or `in` (or no condition at all), clustering
/// columns restricted as a prefix with a range only on the last one, and no
/// condition on another column.
fn served_by_key(conditions: &[ir::Condition], model: &ir::Model) -> bool {
    if conditions.is_empty() {
        return true;
    }
    let on = |field: &str| -> Vec<&ir::Condition> {
        conditions.iter().filter(|c| c.field == field).collect()
    };
    let partition = model.key.partition.iter().all(|p| {
        let restricted = on(p);
        !restricted.is_empty()
            && restricted
                .iter()
                .all(|c| matches!(c.op, Operator::Eq | Operator::In))
    });
    let mut open = true;
    for clustering in &model.key.clustering {
        let restricted = on(&clustering.field);
        if restricted.is_empty() {
            open = false;
            continue;
        }
        if !open
            || restricted
                .iter()
                .any(|c| matches!(c.op, Operator::Contains | Operator::ContainsKey))
        {
            return false;
        }
        if restricted.iter().any(|c| c.op.is_range()) {
            open = false;
        }
    }
    partition && conditions.iter().all(|c| model.key.contains(&c.field))
}

/// Whether an item reads its column's values (`count` of a column that is
/// never null does not).
fn needs_value(item: &ir::AggregateItem, field: Option<&ir::Field>) -> bool {
    item.function != AggregateFunction::Count || field.is_some_and(|field| field.optional)
}
