//! The advisor: warnings about schemas that Cassandra accepts but that get
//! slow or fail as the data grows (the original ORM's "performance
//! optimizer", done at compile time). Every rule reads only what the schema
//! says; each has a code in the W11xx range, a fix and a way to silence it
//! (see `docs/diagnostics.md`, "Advisor"):
//!
//! | code | rule | silenced by |
//! | --- | --- | --- |
//! | W1101 | a named read of every partition (no partition key, no index) | a `limit` (queries) |
//! | W1102 | `in` on the partition key: one partition per list element | a `limit` (queries) |
//! | W1103 | time-ordered clustering, no time bucket, no `ttl`: partitions grow forever | a bucket column or a `ttl` |
//! | W1104 | `ttl` shorter than `gc_grace_seconds` on wide, unbucketed partitions | a bucket column, or a `ttl` of 10 days or more |
//! | W1105 | a read of a `ttl` model that starts at the oldest (expired) rows | a lower bound on the time column, or reading newest first |
//! | W1106 | non-frozen collections in wide partitions, written whole by every generated write | `frozen<…>`, or an `index` on the collection |
//!
//! Decisions:
//! - A query served by a storage-attached index is not a whole-table read
//!   for W1101: it asks every node, but each answers from its index, so its
//!   cost follows the matches and the cluster size, not the table size; the
//!   user asked for it by writing `index (…)`.
//! - A query with `allow filtering` gets W0802 only (the advisor completes
//!   its help line), not W1101 too.
//! - `in` on clustering columns alone is not advised against: it reads
//!   slices of one partition on one replica set.
//! - The advisor runs only on a schema without errors, so the advice never
//!   buries a real problem.

use super::context::{Annotate, Context};
use super::index_support::{is_indexed, served_by_index};
use super::names::Symbols;
use crate::ast;
use crate::diagnostics::{Code, Span};
use crate::ir::{self, Operator, Order, Scalar, Type};

/// Cassandra's default `gc_grace_seconds` (10 days): how long a tombstone,
/// or an expired cell, is kept before compaction may purge it. corm does not
/// set another.
const GC_GRACE_SECONDS: u64 = 864_000;

/// Names (or `_`-separated parts of names) that make a partition column a
/// time bucket.
const BUCKET_WORDS: [&str; 14] = [
    "bucket", "day", "date", "hour", "minute", "week", "month", "year", "quarter", "period",
    "window", "epoch", "yyyymm", "yyyymmdd",
];

/// The help W0802 gets when the restrictions pass gave it none.
const FILTERING_HELP: &str = "fine for rare reads of small tables; for a read that runs often, restrict the partition key, add an `index` on the filtered column, or keep a table keyed by it";

/// The checked items the advisor reads, with their declarations for spans.
pub(super) struct Items<'a> {
    pub symbols: &'a Symbols<'a>,
    pub models: &'a [ir::Model],
    pub queries: &'a [ir::Query],
    pub aggregates: &'a [ir::Aggregate],
}

/// Runs every rule and adds its warnings to `ctx`. Does nothing but complete
/// W0802 when the schema has errors.
pub(super) fn advise(items: &Items<'_>, ctx: &mut Context) {
    complete_filtering_help(ctx);
    if ctx.has_errors() {
        return;
    }
    for model in items.models {
        let Some(decl) = items.symbols.models.iter().find(|m| m.span == model.span) else {
            continue;
        };
        unbounded_partition(model, decl, ctx);
        short_ttl(model, decl, ctx);
        collection_tombstones(model, decl, ctx);
    }
    let model_of = |name: &str| items.models.iter().find(|m| m.name == name);
    for query in items.queries {
        let (Some(model), Some(decl)) = (
            model_of(&query.model),
            items.symbols.queries.iter().find(|q| q.span == query.span),
        ) else {
            continue;
        };
        let read = Read {
            kind: ReadKind::Query,
            name: &decl.name,
            model,
            conditions: &query.conditions,
            order: &query.order,
            order_span: decl.order.as_ref().map(|o| o.span),
            limited: query.limit.is_some(),
            allow_filtering: query.allow_filtering,
        };
        advise_read(&read, items.symbols, ctx);
    }
    for aggregate in items.aggregates {
        let (Some(model), Some(decl)) = (
            model_of(&aggregate.model),
            items
                .symbols
                .aggregates
                .iter()
                .find(|a| a.span == aggregate.span),
        ) else {
            continue;
        };
        // An aggregate's `order` and `limit` apply to its groups, not to the
        // rows it reads.
        let read = Read {
            kind: ReadKind::Aggregate,
            name: &decl.name,
            model,
            conditions: &aggregate.conditions,
            order: &[],
            order_span: None,
            limited: false,
            allow_filtering: decl.allow_filtering.is_some(),
        };
        advise_read(&read, items.symbols, ctx);
    }
}

/// W0802 is reported by the restrictions pass; the advisor owns its advice.
fn complete_filtering_help(ctx: &mut Context) {
    for diagnostic in &mut ctx.diagnostics {
        if diagnostic.code == Code::FilteringQuery && diagnostic.help.is_none() {
            diagnostic.help = Some(FILTERING_HELP.to_owned());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadKind {
    Query,
    Aggregate,
}

/// What the read rules need to know about a query or an aggregate.
struct Read<'a> {
    kind: ReadKind,
    name: &'a ast::Ident,
    model: &'a ir::Model,
    conditions: &'a [ir::Condition],
    order: &'a [ir::Ordering],
    order_span: Option<Span>,
    /// A `limit` bounds the rows read (queries only).
    limited: bool,
    allow_filtering: bool,
}

impl Read<'_> {
    fn noun(&self) -> &'static str {
        match self.kind {
            ReadKind::Query => "query",
            ReadKind::Aggregate => "aggregate",
        }
    }

    /// Whether every partition key column is restricted by `=` or `in`.
    fn partition_restricted(&self) -> bool {
        self.model.key.partition.iter().all(|p| {
            self.conditions
                .iter()
                .any(|c| &c.field == p && matches!(c.op, Operator::Eq | Operator::In))
        })
    }

    /// Whether a condition is served by a storage-attached index.
    fn index_used(&self) -> bool {
        self.conditions.iter().any(|c| {
            !self.model.key.partition.contains(&c.field)
                && served_by_index(self.model, &c.field, c.op, c.entry.is_some())
                    .is_some_and(|served| served.is_ok())
        })
    }
}

fn advise_read(read: &Read<'_>, symbols: &Symbols<'_>, ctx: &mut Context) {
    let partition_restricted = read.partition_restricted();
    if !partition_restricted && !read.allow_filtering && !read.index_used() && !read.limited {
        whole_table_read(read, ctx);
    }
    if partition_restricted && !read.limited {
        unbounded_in(read, ctx);
    }
    if partition_restricted {
        expired_rows_first(read, symbols, ctx);
    }
}

/// W1101: no partition key, no index, no `allow filtering`: the read visits
/// every token range of the table.
fn whole_table_read(read: &Read<'_>, ctx: &mut Context) {
    let model = read.model;
    let partition = model.key.partition.join(", ");
    let example = model
        .key
        .partition
        .iter()
        .map(|p| format!("{p} = ?{p}"))
        .collect::<Vec<_>>()
        .join(" and ");
    let diagnostic = ctx.warning(
        Code::WholeTableRead,
        format!(
            "{} `{}` reads every partition of `{}`",
            read.noun(),
            read.name.name,
            model.name
        ),
        read.name.span,
        "a scan of the whole table",
    );
    match read.kind {
        ReadKind::Query => diagnostic.help(format!(
            "restrict the partition key (`where {example}`), or add a `limit` if only the first rows are wanted"
        )),
        ReadKind::Aggregate => diagnostic.help(format!(
            "restrict the partition key (`where {example}`); an aggregate over the whole table reads every row on every call"
        )),
    };
    diagnostic.note(format!(
        "without a restriction on ({partition}) Cassandra reads every token range on every node, page by page: the cost grows with the table, not with the result"
    ));
}

/// W1102: `in` on the partition key, with no `limit`.
fn unbounded_in(read: &Read<'_>, ctx: &mut Context) {
    let model = read.model;
    let partition_ins: Vec<&ir::Condition> = read
        .conditions
        .iter()
        .filter(|c| c.op == Operator::In && model.key.partition.contains(&c.field))
        .collect();
    let Some(first) = partition_ins.first() else {
        return;
    };
    let list = |c: &ir::Condition| match &c.operand {
        ir::Operand::Param(name) => format!("`?{name}`"),
        ir::Operand::Literal(_) => "the list".to_owned(),
    };
    let diagnostic = ctx.warning(
        Code::UnboundedInList,
        format!(
            "{} `{}` reads one partition of `{}` per element of {}, and nothing bounds the list",
            read.noun(),
            read.name.name,
            model.name,
            list(first)
        ),
        first.span,
        "one partition per element",
    );
    for other in partition_ins.iter().skip(1) {
        diagnostic.label(other.span, "multiplies the partitions read");
    }
    match read.kind {
        ReadKind::Query => diagnostic.help(format!(
            "keep the list short (a few dozen keys), or restrict `{}` with `=` and run one query per key concurrently; a `limit` bounds the rows read",
            first.field
        )),
        ReadKind::Aggregate => diagnostic.help(format!(
            "keep the list short (a few dozen keys), or restrict `{}` with `=` and combine the per-key results",
            first.field
        )),
    };
    if partition_ins.len() > 1 {
        diagnostic.note(
            "with `in` on several partition key columns, the partitions read are every combination of the lists",
        );
    }
    diagnostic.note(
        "one coordinator reads the partitions of an `in` (a paged read one after another) and waits for the replicas of every key; queries by one key each go straight to a replica and run in parallel",
    );
}

/// The first time-ordered clustering column: `timestamp` or `timeuuid`, or
/// `date` followed by more clustering columns (a `date` as the last one adds
/// at most one row per day).
fn time_clustering(model: &ir::Model) -> Option<(usize, &ir::Clustering, &ir::Field)> {
    let last = model.key.clustering.len().checked_sub(1)?;
    model
        .key
        .clustering
        .iter()
        .enumerate()
        .find_map(|(i, column)| {
            let field = model.field(&column.field)?;
            match field.ty.unfrozen() {
                Type::Scalar(Scalar::Timestamp | Scalar::Timeuuid) => Some((i, column, field)),
                Type::Scalar(Scalar::Date) if i < last => Some((i, column, field)),
                _ => None,
            }
        })
}

/// Whether a partition key column is a time bucket: marked `@bucket` (the
/// user's word: a partition number such as Akka's `partition_nr`), typed
/// `date`, `timestamp` or `timeuuid`, or named like one (`day`, `month`,
/// `bucket`, `created_day`, …).
fn is_bucketed(model: &ir::Model) -> bool {
    model.key.partition.iter().any(|column| {
        let typed = model.field(column).is_some_and(|field| {
            matches!(
                field.ty.unfrozen(),
                Type::Scalar(Scalar::Date | Scalar::Timestamp | Scalar::Timeuuid)
            )
        });
        let marked = model.field(column).is_some_and(|field| field.bucket);
        let lower = column.to_ascii_lowercase();
        marked || typed || lower.split('_').any(|part| BUCKET_WORDS.contains(&part))
    })
}

/// The span of a key column as written.
fn key_column_span(decl: &ast::Model, field: &str) -> Option<Span> {
    let key = decl.key.as_ref()?;
    key.partition
        .columns
        .iter()
        .chain(&key.clustering)
        .find(|column| column.name.name == field)
        .map(|column| column.name.span)
}

/// W1103: rows are added along a time column forever, to the same
/// partitions.
fn unbounded_partition(model: &ir::Model, decl: &ast::Model, ctx: &mut Context) {
    if model.ttl_seconds.is_some() || is_bucketed(model) {
        return;
    }
    let Some((_, column, field)) = time_clustering(model) else {
        return;
    };
    let Some(key) = decl.key.as_ref() else {
        return;
    };
    let span = key_column_span(decl, &column.field).unwrap_or(key.span);
    let partition = model.key.partition.join(", ");
    let clustering: Vec<String> = model
        .key
        .clustering
        .iter()
        .map(|c| match c.order {
            Order::Asc => c.field.clone(),
            Order::Desc => format!("{} desc", c.field),
        })
        .collect();
    let bucket = bucket_name(model);
    let example = format!(
        "`{bucket}: date` and `key (({partition}, {bucket}), {})`",
        clustering.join(", ")
    );
    let diagnostic = ctx.warning(
        Code::UnboundedPartition,
        format!(
            "partitions of `{}` grow without bound: rows are added along `{}` ({}), and neither a time bucket in the partition key nor a `ttl` limits them",
            model.name, column.field, field.ty
        ),
        span,
        "time-ordered clustering column",
    );
    diagnostic.label(key.partition.span, "no time bucket in the partition key");
    if model.is_counter_table() {
        diagnostic.help(format!(
            "add a time bucket to the partition key, e.g. {example} (counter tables can't have a `ttl`)"
        ));
    } else {
        diagnostic.help(format!(
            "add a time bucket to the partition key, e.g. {example}, or a `ttl` if old rows may expire"
        ));
    }
    diagnostic.note(
        "a partition is stored, compacted and repaired as a unit on one set of replicas; keep partitions well under 100 MB (about 100,000 rows)",
    );
}

/// A bucket column name that the model does not use yet.
fn bucket_name(model: &ir::Model) -> &'static str {
    ["day", "bucket", "time_bucket"]
        .into_iter()
        .find(|name| model.field(name).is_none())
        .unwrap_or("time_bucket")
}

/// `1h` for 3600 seconds: the largest whole unit.
fn duration(seconds: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (604_800, "w"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    UNITS
        .iter()
        .find(|(size, _)| seconds.is_multiple_of(*size))
        .map_or_else(
            || format!("{seconds}s"),
            |(size, unit)| format!("{}{unit}", seconds / size),
        )
}

/// W1104: a TTL shorter than the grace period: the expired rows of a
/// partition outnumber its live ones.
fn short_ttl(model: &ir::Model, decl: &ast::Model, ctx: &mut Context) {
    let (Some(ttl), Some(clause)) = (model.ttl_seconds, decl.ttl.as_ref()) else {
        return;
    };
    if ttl == 0 || ttl >= GC_GRACE_SECONDS || model.key.clustering.is_empty() || is_bucketed(model)
    {
        return;
    }
    let ratio = GC_GRACE_SECONDS / ttl;
    let outnumber = if ratio >= 2 {
        format!("up to {ratio} times as many expired rows as live ones")
    } else {
        "more expired rows than live ones".to_owned()
    };
    ctx.warning(
        Code::ShortTtl,
        format!(
            "rows of `{}` expire after {}, but an expired row stays as a tombstone for Cassandra's `gc_grace_seconds` (10 days): a partition can hold {outnumber}",
            model.name,
            duration(ttl)
        ),
        clause.span,
        "shorter than 10 days",
    )
    .help(format!(
        "add a time bucket to the partition key ({}) so reads go to recent partitions only, or use a `timeseries`, which buckets its partitions",
        model.key.partition.join(", ")
    ))
    .note(
        "an expired cell is read as a tombstone until compaction purges it, which happens only after gc_grace_seconds; every read of a partition walks over them (Cassandra warns at 1,000 tombstones in one read and fails it at 100,000)",
    );
}

/// W1105: a read of a `ttl` model's partition that starts at its oldest
/// rows, which are the expired ones.
fn expired_rows_first(read: &Read<'_>, symbols: &Symbols<'_>, ctx: &mut Context) {
    let model = read.model;
    if model.ttl_seconds.is_none() || is_bucketed(model) {
        return;
    }
    let Some((position, column, _)) = time_clustering(model) else {
        return;
    };
    // A lower bound (or `=`) on the time column starts the read after the
    // expired rows.
    let bounded = read.conditions.iter().any(|c| {
        c.field == column.field
            && matches!(
                c.op,
                Operator::Eq | Operator::In | Operator::Gt | Operator::Ge
            )
    });
    if bounded {
        return;
    }
    // Every clustering column before it fixed by `=`: otherwise the read is
    // not along time.
    let prefix_fixed = model.key.clustering.iter().take(position).all(|c| {
        read.conditions
            .iter()
            .any(|cond| cond.field == c.field && cond.op == Operator::Eq)
    });
    if !prefix_fixed {
        return;
    }
    // The direction the rows come in: the table's, or its reverse.
    let reversed = read.order.first().is_some_and(|first| {
        model
            .key
            .clustering
            .iter()
            .find(|c| c.field == first.column)
            .is_some_and(|c| c.order != first.order)
    });
    let oldest_first = (column.order == Order::Asc) != reversed;
    if !oldest_first {
        return;
    }
    let Some(decl) = symbols.models.iter().find(|m| m.span == model.span) else {
        return;
    };
    let ttl = model.ttl_seconds.map(duration).unwrap_or_default();
    let diagnostic = ctx.warning(
        Code::ExpiredRowsFirst,
        format!(
            "{} `{}` reads partitions of `{}` from their oldest rows, and those are the ones its `ttl` has expired",
            read.noun(),
            read.name.name,
            model.name
        ),
        read.order_span.unwrap_or(read.name.span),
        format!("oldest `{}` first", column.field),
    );
    if let Some(ttl_clause) = &decl.ttl {
        diagnostic.label(ttl_clause.span, format!("rows expire after {ttl}"));
    }
    diagnostic
        .help(format!(
            "bound the time from below (`{} > ?since`), or read newest first (`order {} {}`)",
            column.field,
            column.field,
            match column.order {
                Order::Asc => "desc",
                Order::Desc => "asc",
            }
        ))
        .note(
            "expired rows stay as tombstones for gc_grace_seconds (10 days by default) and come first in this order, so every call walks over them before the first live row",
        );
}

/// W1106: non-frozen collections in a model with clustering columns. corm's
/// generated insert and update write a collection whole, and a whole write
/// of a non-frozen collection first deletes the old elements (a tombstone in
/// every row written); range reads of wide partitions meet one per row.
fn collection_tombstones(model: &ir::Model, decl: &ast::Model, ctx: &mut Context) {
    if model.key.clustering.is_empty() {
        return;
    }
    // An indexed collection stays non-frozen: SAI serves `contains` only on
    // a non-frozen one.
    let collections: Vec<&ir::Field> = model
        .fields
        .iter()
        .filter(|f| f.ty.is_unfrozen_collection() && !f.is_static && !is_indexed(model, &f.name))
        .collect();
    let Some(first) = collections.first() else {
        return;
    };
    let name_span = |field: &ir::Field| {
        decl.fields
            .iter()
            .find(|f| f.name.name == field.name)
            .map_or(field.span, |f| f.span)
    };
    let names: Vec<String> = collections
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect();
    let diagnostic = ctx.warning(
        Code::CollectionTombstones,
        format!(
            "every generated write of `{}` rewrites {} whole, which leaves a tombstone in each row of its wide partitions",
            model.name,
            and_list(&names)
        ),
        name_span(first),
        format!("non-frozen `{}`", first.ty),
    );
    for other in collections.iter().skip(1) {
        diagnostic.label(name_span(other), format!("non-frozen `{}`", other.ty));
    }
    let frozen: Vec<String> = collections
        .iter()
        .map(|f| {
            let optional = if f.optional { "?" } else { "" };
            format!("`{}: frozen<{}>{optional}`", f.name, f.ty)
        })
        .collect();
    diagnostic
        .help(format!(
            "declare {}: corm's insert and update always write a collection whole, so freezing {} loses nothing and writes one cell without a tombstone",
            and_list(&frozen),
            if frozen.len() == 1 { "it" } else { "them" }
        ))
        .note(
            "writing a whole non-frozen list, set or map first deletes its old elements with a tombstone; range reads of a partition meet one per row and collection (Cassandra warns at 1,000 tombstones in one read and fails it at 100,000)",
        );
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
