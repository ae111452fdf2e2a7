//! Tracing: a span per request of a repository, named after the generated
//! operation, with the attributes of OpenTelemetry's database semantic
//! conventions.
//!
//! Spans are `tracing` spans at level `INFO`, target `corm`, all named
//! `corm.request`; the operation's own name (`order.get`,
//! `customer.recent_orders`) is the `otel.name` field, which
//! `tracing-opentelemetry` exports as the span's name. Fields:
//!
//! | field | value |
//! | --- | --- |
//! | `otel.name` | `<model>.<operation>`, the model in snake case |
//! | `otel.kind` | `client` |
//! | `db.system.name` | `cassandra` |
//! | `db.namespace` | the keyspace |
//! | `db.collection.name` | the table |
//! | `db.operation.name` | the operation (`get`, `insert`, a named query's name) |
//! | `db.query.text` | the CQL of the (last) statement, with its `?` markers |
//! | `db.query.parameters` | its bound values, only when the session opts in ([`Config::trace_values`](crate::Config::trace_values)) |
//! | `db.cassandra.consistency_level` | the consistency the options set, when they set one |
//! | `db.response.returned_rows` | rows returned, for reads that return them at once |
//! | `corm.attempts` | attempts, when the [`RetryPolicy`](crate::RetryPolicy) retried (absent: one) |
//! | `server.address`, `server.port` | the coordinator of the last request |
//! | `error.type` | the [`ErrorKind`](crate::ErrorKind) of a failure, in snake case |
//!
//! Time series (`<series>.write`, `.latest`, `.rollup`) and event stores
//! (`<store>.append`, `.append_any`, `.version`, `.load_aggregate`,
//! `.projection`) have the same spans, the events table as the
//! collection. Batches have a span of their own (`otel.name`
//! `batch.logged` or `batch.unlogged`, `db.operation.name` `BATCH`,
//! `db.operation.batch.size`), so does each page of a token-range scan
//! (`scan.page`, with `corm.token_range`), and so does each statement a migration runs
//! (`corm.migration`: `otel.name` `migration.statement`,
//! `corm.migration.id`, `corm.migration.name`, `corm.migration.statement`).
//!
//! Inside its span, a request logs (`WARN`, target `corm`) each warning the
//! node sent with its answer, and, past the session's slow-request
//! threshold, its statement and time.
//!
//! Bound values are not recorded unless the session opts in. (The driver's
//! own `Request` spans, at `TRACE` for target `scylla`, carry the partition
//! key.) Without a
//! subscriber that listens at `INFO` for `corm`, a span costs a check of a
//! static flag.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use scylla::response::query_result::QueryResult;
use scylla::statement::Consistency;
use scylla::statement::prepared::PreparedStatement;
use tracing::field::Empty;
use tracing::{Level, Span};

use crate::instruments::Instruments;
use crate::{Error, ErrorKind, Result};

/// Whether a subscriber may take corm's `INFO` spans. When none does, the
/// span makers return `Span::none()`: with `tracing`'s `log` feature on
/// (axum's defaults turn it on), a disabled span would still write log
/// records of its fields and of every enter and exit, hundreds of
/// instructions per request that nobody reads.
#[inline]
fn listened() -> bool {
    tracing::level_enabled!(Level::INFO)
}

/// The span of one operation of `model`'s repository on `table` of
/// `keyspace`: checked inline (a plain load, no call) when nothing
/// listens, made out of line when something does.
#[inline]
pub(crate) fn request(
    model: &'static str,
    operation: &'static str,
    keyspace: &str,
    table: &str,
    consistency: Option<Consistency>,
) -> Span {
    if listened() {
        listened_request(model, operation, keyspace, table, consistency)
    } else {
        Span::none()
    }
}

/// [`request`]'s span, made.
#[inline(never)]
fn listened_request(
    model: &'static str,
    operation: &'static str,
    keyspace: &str,
    table: &str,
    consistency: Option<Consistency>,
) -> Span {
    // A method named after a Rust keyword is `r#type`; its operation is `type`.
    let operation = operation.strip_prefix("r#").unwrap_or(operation);
    let span = tracing::info_span!(
        target: "corm",
        "corm.request",
        otel.name = %OperationName { model, operation },
        otel.kind = "client",
        db.system.name = "cassandra",
        db.namespace = keyspace,
        db.collection.name = unquoted(table),
        db.operation.name = operation,
        db.query.text = Empty,
        db.query.parameters = Empty,
        db.cassandra.consistency_level = Empty,
        db.response.returned_rows = Empty,
        corm.attempts = Empty,
        server.address = Empty,
        server.port = Empty,
        error.type = Empty,
    );
    record_consistency(&span, consistency);
    span
}

/// The span of a batch of `size` writes, the first in `keyspace`.
pub(crate) fn batch(
    keyspace: &str,
    size: usize,
    logged: bool,
    consistency: Option<Consistency>,
) -> Span {
    if !listened() {
        return Span::none();
    }
    let span = tracing::info_span!(
        target: "corm",
        "corm.request",
        otel.name = if logged { "batch.logged" } else { "batch.unlogged" },
        otel.kind = "client",
        db.system.name = "cassandra",
        db.namespace = keyspace,
        db.operation.name = "BATCH",
        db.operation.batch.size = size,
        db.cassandra.consistency_level = Empty,
        corm.attempts = Empty,
        server.address = Empty,
        server.port = Empty,
        error.type = Empty,
    );
    record_consistency(&span, consistency);
    span
}

/// Records the consistency the options set, if any, on `span`.
fn record_consistency(span: &Span, consistency: Option<Consistency>) {
    if let Some(consistency) = consistency
        && !span.is_disabled()
    {
        span.record(
            "db.cassandra.consistency_level",
            tracing::field::display(ConsistencyName(consistency)),
        );
    }
}

/// The span of one page of a token-range scan (`scan_parallel`), on the
/// table `prepared` reads.
pub(crate) fn scan_page(prepared: &PreparedStatement, from: i64, to: i64) -> Span {
    if !listened() {
        return Span::none();
    }
    tracing::info_span!(
        target: "corm",
        "corm.request",
        otel.name = "scan.page",
        otel.kind = "client",
        db.system.name = "cassandra",
        db.namespace = prepared.get_keyspace_name().unwrap_or_default(),
        db.collection.name = prepared.get_table_name().unwrap_or_default(),
        db.operation.name = "scan_page",
        corm.token_range = %format_args!("({from}, {to}]"),
        db.response.returned_rows = Empty,
        corm.attempts = Empty,
        server.address = Empty,
        server.port = Empty,
        error.type = Empty,
    )
}

/// The span of one statement of a migration.
pub(crate) fn migration_statement(keyspace: &str, id: u32, name: &str, index: usize) -> Span {
    if !listened() {
        return Span::none();
    }
    tracing::info_span!(
        target: "corm",
        "corm.migration",
        otel.name = "migration.statement",
        otel.kind = "client",
        db.system.name = "cassandra",
        db.namespace = keyspace,
        corm.migration.id = id,
        corm.migration.name = name,
        corm.migration.statement = index,
        server.address = Empty,
        server.port = Empty,
        error.type = Empty,
    )
}

pin_project_lite::pin_project! {
    /// A request's future run in its span: the span is entered around
    /// each poll, and the kind of a failure recorded on it. Written out
    /// rather than an `async fn` around `tracing::Instrument`, which moved
    /// the (large) future once more per request: about 1,700 instructions
    /// of copying.
    ///
    /// A repository's request makes its span on the first poll, from what
    /// it was built with: building one is then a few plain stores, which
    /// lets the compiler build the inner future where it is kept. (A span
    /// made before, by a call the compiler cannot see into, cost three
    /// copies of the 4 KB future per request: 1,300 instructions.)
    #[doc(hidden)]
    #[must_use = "futures do nothing unless awaited"]
    pub struct Traced<'i, F> {
        #[pin]
        future: F,
        span: SpanState<'i>,
    }
}

/// The span of a [`Traced`] request: made on its first poll, or given.
enum SpanState<'i> {
    /// Not polled yet: what the span is made from.
    Unstarted {
        instruments: &'i Instruments,
        operation: &'static str,
        consistency: Option<Consistency>,
    },
    /// The span, and the meter with the `metrics` feature.
    Started { span: Span, meter: MeterSlot },
}

impl SpanState<'_> {
    /// The span and meter, made now if the request was not polled before.
    #[inline]
    fn started(&mut self) -> (&Span, &mut MeterSlot) {
        if let Self::Unstarted {
            instruments,
            operation,
            consistency,
        } = *self
        {
            let (span, meter) = instruments.start(operation, consistency);
            *self = Self::Started { span, meter };
        }
        match self {
            Self::Started { span, meter } => (span, meter),
            Self::Unstarted { .. } => unreachable!("started above"),
        }
    }
}

/// What a [`Traced`] measures with: a meter with the `metrics` feature.
#[cfg(feature = "metrics")]
pub(crate) type MeterSlot = Option<crate::meter::Meter>;
/// What a [`Traced`] measures with: nothing without the `metrics` feature.
#[cfg(not(feature = "metrics"))]
pub(crate) type MeterSlot = ();

impl<F, R> Future for Traced<'_, F>
where
    F: Future<Output = Result<R>>,
{
    type Output = Result<R>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<R>> {
        let this = self.project();
        let (span, meter) = this.span.started();
        let _entered = (!span.is_disabled()).then(|| span.enter());
        #[cfg(feature = "metrics")]
        let outer = meter.as_mut().map(crate::meter::Meter::before_poll);
        #[cfg(not(feature = "metrics"))]
        let () = meter;
        let poll = this.future.poll(cx);
        if let Poll::Ready(Err(error)) = &poll {
            record_error(span, error);
        }
        #[cfg(feature = "metrics")]
        if let (Some(meter), Some(outer)) = (meter.as_mut(), outer) {
            let outcome = match &poll {
                Poll::Ready(Ok(_)) => Some(Ok(())),
                Poll::Ready(Err(error)) => Some(Err(error)),
                Poll::Pending => None,
            };
            meter.after_poll(outer, outcome);
        }
        poll
    }
}

impl<'i, F> Traced<'i, F> {
    /// `future`, the request of `operation` on the table of
    /// `instruments`, in a span made when it is first polled.
    pub(crate) fn unstarted(
        instruments: &'i Instruments,
        operation: &'static str,
        consistency: Option<Consistency>,
        future: F,
    ) -> Self {
        Self {
            future,
            span: SpanState::Unstarted {
                instruments,
                operation,
                consistency,
            },
        }
    }
}

/// A table's name as stored: without the quotes a name that needs them
/// (`"order"`) has in CQL.
pub(crate) fn unquoted(table: &str) -> &str {
    table
        .strip_prefix('"')
        .and_then(|name| name.strip_suffix('"'))
        .unwrap_or(table)
}

/// Runs `future` in `span`, and records the kind of its error, if any.
#[doc(hidden)]
pub fn traced<F, R>(span: Span, future: F) -> Traced<'static, F>
where
    F: Future<Output = Result<R>>,
{
    Traced {
        future,
        span: SpanState::Started {
            span,
            meter: MeterSlot::default(),
        },
    }
}

/// Records `error`'s kind on `span`.
pub(crate) fn record_error(span: &Span, error: &Error) {
    if !span.is_disabled() {
        span.record("error.type", error_type(error));
    }
}

/// Records the coordinator of `result` on the current span (when a
/// subscriber listens), and logs and counts the warnings the node sent with
/// it (a batch over the size threshold, an unlogged batch over many
/// partitions, an aggregation without a partition key, tombstones).
#[inline]
pub(crate) fn record_result(result: &QueryResult) {
    if tracing::level_enabled!(Level::INFO) {
        let span = Span::current();
        if !span.is_disabled() {
            let address = result.request_coordinator().connection_address();
            span.record("server.address", tracing::field::display(address.ip()));
            span.record("server.port", address.port());
        }
    }
    for warning in result.warnings() {
        server_warning(warning);
    }
}

/// Logs a warning the node sent, in the current span (which names the
/// operation), and counts it.
#[cold]
fn server_warning(warning: &str) {
    tracing::warn!(target: "corm", warning, "the node warned about a request");
    #[cfg(feature = "metrics")]
    crate::meter::add_warning();
}

/// Logs a request that took `elapsed`, at least `threshold`, with its
/// statement (never its values).
#[inline]
pub(crate) fn slow_request(
    statement: &str,
    elapsed: std::time::Duration,
    threshold: std::time::Duration,
) {
    if elapsed >= threshold {
        slow(statement, elapsed);
    }
}

#[cold]
fn slow(statement: &str, elapsed: std::time::Duration) {
    tracing::warn!(
        target: "corm",
        statement,
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "slow request"
    );
    #[cfg(feature = "metrics")]
    crate::meter::add_slow();
}

/// Records on the current span that a request took `attempts` attempts
/// (only called past one).
#[cold]
pub(crate) fn record_attempts(attempts: u32) {
    Span::current().record("corm.attempts", attempts);
}

/// Records the statement of a request on the current span, and its bound
/// values when given (the session opted in).
pub(crate) fn record_statement(
    prepared: &PreparedStatement,
    values: Option<&impl scylla::serialize::row::SerializeRow>,
) {
    let span = Span::current();
    if span.is_disabled() {
        return;
    }
    span.record("db.query.text", prepared.get_statement());
    if let Some(values) = values {
        span.record(
            "db.query.parameters",
            crate::bound_values::render(prepared, values).as_str(),
        );
    }
}

/// Records how many rows a read returned on the current span.
#[inline]
pub(crate) fn record_rows(rows: usize) {
    #[cfg(feature = "metrics")]
    crate::meter::add_rows(rows);
    if tracing::level_enabled!(Level::INFO) {
        Span::current().record("db.response.returned_rows", rows);
    }
}

/// `order.get`: the model in snake case, a dot, the operation.
struct OperationName {
    model: &'static str,
    operation: &'static str,
}

impl fmt::Display for OperationName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // As the generator names methods: a word starts at an upper-case
        // letter after a lower-case one or a digit, or before a lower-case
        // one at the end of an acronym (`HttpLog`, `HTTPLog`: `http_log`).
        let chars: Vec<char> = self.model.chars().collect();
        for (index, &c) in chars.iter().enumerate() {
            if c.is_uppercase() && index > 0 {
                let previous = chars[index - 1];
                let next_is_lower = chars.get(index + 1).is_some_and(|n| n.is_lowercase());
                if previous.is_lowercase()
                    || previous.is_ascii_digit()
                    || (previous.is_uppercase() && next_is_lower)
                {
                    f.write_str("_")?;
                }
            }
            for lower in c.to_lowercase() {
                write!(f, "{lower}")?;
            }
        }
        write!(f, ".{}", self.operation)
    }
}

/// A consistency level as OpenTelemetry writes it (`local_quorum`).
struct ConsistencyName(Consistency);

impl fmt::Display for ConsistencyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Consistency::Any => "any",
            Consistency::One => "one",
            Consistency::Two => "two",
            Consistency::Three => "three",
            Consistency::Quorum => "quorum",
            Consistency::All => "all",
            Consistency::LocalQuorum => "local_quorum",
            Consistency::EachQuorum => "each_quorum",
            Consistency::LocalOne => "local_one",
            Consistency::Serial => "serial",
            Consistency::LocalSerial => "local_serial",
        })
    }
}

/// What failed, in snake case, for `error.type` and the `outcome` of
/// `corm_requests_total`: a refused value, a taken unique value and an
/// event store's version conflict by name (should a traced operation
/// return one), anything else by its kind.
pub(crate) fn error_type(error: &Error) -> &'static str {
    match error {
        Error::Validation(_) => "validation",
        Error::Unique { .. } => "unique_conflict",
        Error::Conflict { .. } => "version_conflict",
        _ => kind_name(error.kind()),
    }
}

/// An error kind in snake case.
pub(crate) fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Timeout => "timeout",
        ErrorKind::Unavailable => "unavailable",
        ErrorKind::Overloaded => "overloaded",
        ErrorKind::Connection => "connection",
        ErrorKind::Statement => "statement",
        ErrorKind::Values => "values",
        ErrorKind::Authentication => "authentication",
        ErrorKind::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::OperationName;

    #[test]
    fn operation_names_are_snake_case() {
        let name = |model, operation| OperationName { model, operation }.to_string();
        assert_eq!(name("Order", "get"), "order.get");
        assert_eq!(name("PageViews", "recent"), "page_views.recent");
        assert_eq!(name("HTTPLog", "insert"), "http_log.insert");
        assert_eq!(name("Utf8Text", "get"), "utf8_text.get");
    }
}
