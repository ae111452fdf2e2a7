//! `corm-bench`: generated repositories against hand-written driver code
//! and against charybdis.
//!
//! - `corm-bench suite [--quick] [--seconds S] [--scenario …] [--concurrency …]`:
//!   the whole benchmark (run by `cargo xtask bench`, which starts the node
//!   and builds this binary in release mode first).
//! - `corm-bench ops --scenario S --side ours|peer|charybdis --ops N`: one scenario,
//!   one side, concurrency 1, a fixed number of operations after a warm-up;
//!   what the suite runs under valgrind.
//! - `corm-bench scan [--rows N] [--runs R]`: a table of `N` users read whole
//!   by `scan` and by `scan_parallel`, alternating; prints and writes
//!   `scan.json`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use corm_bench::load::Limits;
use corm_bench::suite::{self, Context};
use corm_bench::workload::{Scenario, Side};
use corm_bench::{BenchError, report, setup, valgrind};

/// Generated repositories against hand-written scylla-driver code and charybdis.
#[derive(Parser)]
#[command(name = "corm-bench", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The whole benchmark: throughput, CPU, instructions and allocations.
    Suite(SuiteArgs),
    /// One scenario and side at concurrency 1, for valgrind.
    Ops(OpsArgs),
    /// A whole-table read: single paged `scan` against `scan_parallel`.
    Scan(ScanArgs),
    /// Bulk ingest: `insert_many` against hand-written inserts and batches.
    Bulk(BulkArgs),
    /// A time-series range over 24 buckets against one partition.
    Range(RangeArgs),
    /// An event store's replay against hand-written code, and its appends.
    Events(EventsArgs),
    /// A change log's cost to writes, and the latency of its readers.
    Changes(ChangesArgs),
    /// The memory a server spends per idle change subscription.
    Connections(ConnectionsArgs),
    /// Write-to-client latency of SSE subscribers of another process.
    FeedLatency(FeedLatencyArgs),
    /// The GraphQL endpoint against the same reads through the Rust API.
    Graphql(GraphqlArgs),
    /// Sagas of three steps against the steps' writes alone.
    Sagas(SagasArgs),
    /// Cached `get` (hits) against uncached, and Zipf hit rates.
    Cache(CacheArgs),
    /// Backup and restore against cqlsh `COPY TO` / `COPY FROM`.
    Backup(BackupArgs),
    /// Serves `LoggedUser`'s change feed (the server of `connections`).
    #[command(hide = true)]
    ServeChanges,
    /// Nearest-neighbour search against a hand-written `ANN OF` read.
    Vectors(VectorsArgs),
    /// Sentences embedded per second by the local model.
    #[cfg(feature = "embed-local")]
    Embed(EmbedArgs),
}

/// Arguments of `corm-bench embed`.
#[cfg(feature = "embed-local")]
#[derive(clap::Args)]
struct EmbedArgs {
    /// The model's folder (`cargo xtask model fetch`).
    #[arg(long)]
    model: PathBuf,
    /// Sentences per measurement.
    #[arg(long, default_value_t = 256)]
    sentences: usize,
    /// Where `embed.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench vectors`.
#[derive(clap::Args)]
struct VectorsArgs {
    /// Vectors (of dimension 384) in the table.
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// Searches of each side.
    #[arg(long, default_value_t = 500)]
    queries: usize,
    /// Where `vectors.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench events`.
#[derive(clap::Args)]
struct EventsArgs {
    /// Events in the replayed stream.
    #[arg(long, default_value_t = 100_000)]
    events: u64,
    /// Timed replays of each side.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Where `events.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench changes`.
#[derive(clap::Args)]
struct ChangesArgs {
    /// Timed insert runs of each side.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Seconds of each run (and of the latency run).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Inserts in flight at once.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Writes per second during the latency run.
    #[arg(long, default_value_t = 2000.0)]
    rate: f64,
    /// In-process subscribers during the latency run.
    #[arg(long, default_value_t = 100)]
    subscribers: usize,
    /// Where `changes.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench connections`.
#[derive(clap::Args)]
struct ConnectionsArgs {
    /// Connections, half SSE and half WebSocket (raise the open-file
    /// limit past this: `ulimit -n`).
    #[arg(long, default_value_t = 10_000)]
    count: usize,
    /// Where `connections.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench feed-latency`.
#[derive(clap::Args)]
struct FeedLatencyArgs {
    /// SSE clients.
    #[arg(long, default_value_t = 100)]
    subscribers: usize,
    /// Writes per second.
    #[arg(long, default_value_t = 2000.0)]
    rate: f64,
    /// Seconds of writes.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Where `feed_latency.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench graphql`.
#[derive(clap::Args)]
struct GraphqlArgs {
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Requests per side per round.
    #[arg(long, default_value_t = 4000)]
    requests: usize,
    /// Rounds, sides alternating; the median round counts.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Where `graphql.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench backup`.
#[derive(clap::Args)]
struct BackupArgs {
    /// Rows in the table.
    #[arg(long, default_value_t = 200_000)]
    rows: u64,
    /// Rounds of each side (alternating which goes first); medians are
    /// reported.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// cqlsh (`python3 -m venv target/cqlsh && target/cqlsh/bin/pip install cqlsh`).
    #[arg(long)]
    cqlsh: Option<PathBuf>,
    /// Where `backup.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench sagas`.
#[derive(clap::Args)]
struct SagasArgs {
    /// Sagas per side per round.
    #[arg(long, default_value_t = 2000)]
    sagas: usize,
    /// Sagas in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Rounds, sides alternating; the median round counts.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Where `sagas.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench cache`.
#[derive(clap::Args)]
struct CacheArgs {
    /// Rows (and keys).
    #[arg(long, default_value_t = 10_000)]
    rows: u64,
    /// Reads per side per round.
    #[arg(long, default_value_t = 20_000)]
    reads: usize,
    /// Reads in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Rounds, sides alternating; the median round counts.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Where `cache.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench range`.
#[derive(clap::Args)]
struct RangeArgs {
    /// Points per hour (and so rows per read: 24 times this).
    #[arg(long, default_value_t = 2000)]
    per_hour: u64,
    /// Timed reads of each side.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Where `range.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench bulk`.
#[derive(clap::Args)]
struct BulkArgs {
    /// Partitions written.
    #[arg(long, default_value_t = 200)]
    sensors: u64,
    /// Rows per partition.
    #[arg(long, default_value_t = 500)]
    per_sensor: u64,
    /// Timed writes of each side.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Where `bulk.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench scan`.
#[derive(clap::Args)]
struct ScanArgs {
    /// Users written, then read whole by each side.
    #[arg(long, default_value_t = 200_000)]
    rows: u64,
    /// Timed reads of each side.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Where `scan.json` goes.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench suite`.
#[derive(clap::Args)]
struct SuiteArgs {
    /// Shorter runs and fewer valgrind operations (about a third of the time).
    #[arg(long)]
    quick: bool,
    /// Seconds per measured run [default: 2, quick: 1].
    #[arg(long)]
    seconds: Option<f64>,
    /// Seconds of warm-up per side before each scenario and concurrency
    /// [default: 1, quick: 0.5].
    #[arg(long)]
    warmup: Option<f64>,
    /// Measured runs of each side [default: 3].
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Scenarios to run (comma-separated or repeated) [default: all].
    #[arg(long, value_enum, value_delimiter = ',')]
    scenario: Vec<Scenario>,
    /// Concurrencies to run (comma-separated or repeated) [default: 1,64,256].
    #[arg(long, value_delimiter = ',')]
    concurrency: Vec<usize>,
    /// Skip the valgrind measurements (instructions, allocations).
    #[arg(long)]
    no_valgrind: bool,
    /// The two operation counts of the valgrind runs [default: 200,2200;
    /// quick: 50,300].
    #[arg(long, value_delimiter = ',')]
    valgrind_ops: Vec<u64>,
    /// Valgrind runs of each count; the smallest total is kept [default: 2,
    /// quick: 1].
    #[arg(long)]
    valgrind_reps: Option<usize>,
    /// Where the report and the valgrind files go.
    #[arg(long, default_value = "target/corm-bench")]
    out: PathBuf,
}

/// Arguments of `corm-bench ops`.
#[derive(clap::Args)]
struct OpsArgs {
    /// The scenario.
    #[arg(long, value_enum)]
    scenario: Scenario,
    /// The side.
    #[arg(long, value_enum)]
    side: Side,
    /// Counted operations.
    #[arg(long)]
    ops: u64,
    /// Operations before the counted ones.
    #[arg(long, default_value_t = 100)]
    warmup_ops: u64,
    /// The base of the delete ids (the rows must exist: the suite writes
    /// `warmup_ops + ops` of them first).
    #[arg(long, default_value_t = 0)]
    delete_base: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The counted operations of `ops` (run under valgrind) run on one
    // thread: on a pool, whether a worker parks or steals between a
    // request and its response varies from run to run. With glibc's
    // malloc (see `valgrind::STEADY_MALLOC`), that put up to ±1.5% of an
    // update's instructions between two runs of the same binary: more
    // than the differences measured.
    let runtime = match cli.command {
        Command::Ops(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build(),
    };
    match runtime {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(err) => {
            eprintln!("corm-bench: cannot start the runtime: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> ExitCode {
    // With `--features metrics`, every request is counted into a real
    // recorder, as a program exporting to Prometheus would. Built, not
    // installed with its upkeep thread: a thread waking on its own would
    // land in the valgrind counts at random.
    #[cfg(feature = "metrics")]
    if let Err(err) = metrics::set_global_recorder(
        metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder(),
    ) {
        eprintln!("corm-bench: cannot install the metrics recorder: {err}");
        return ExitCode::FAILURE;
    }
    let outcome = match cli.command {
        Command::Suite(args) => suite(args).await,
        Command::Ops(args) => ops(args).await,
        Command::Scan(args) => scan(args).await,
        Command::Bulk(args) => bulk(args).await,
        Command::Range(args) => range(args).await,
        Command::Events(args) => events(args).await,
        Command::Changes(args) => changes(args).await,
        Command::Connections(args) => connections(args).await,
        Command::FeedLatency(args) => feed_latency(args).await,
        Command::Graphql(args) => graphql(args).await,
        Command::Sagas(args) => sagas(args).await,
        Command::Cache(args) => cache(args).await,
        Command::Backup(args) => backup(args).await,
        Command::ServeChanges => serve_changes().await,
        Command::Vectors(args) => vectors(args).await,
        #[cfg(feature = "embed-local")]
        Command::Embed(args) => embed(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("corm-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn scan(args: ScanArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let report = measure_scan(&session, args.rows, args.runs).await?;
    write_json(&args.out, "scan.json", &report)
}

/// `rows` users in a fresh keyspace, read whole by `scan` and by
/// `scan_parallel`, `runs` times each.
async fn measure_scan(
    session: &corm::Session,
    rows: u64,
    runs: usize,
) -> Result<corm_bench::scan::ScanReport, BenchError> {
    setup::recreate_keyspace(session).await?;
    let db = corm_bench::generated::Db::new(session.clone(), corm_bench::data::KEYSPACE);
    let rate = setup::write(&db, corm_bench::workload::Load::Users, rows).await?;
    println!(
        "scan: {rows} users written ({rate:.0}/s); {runs} timed reads of each side, load average {}",
        load_average()
    );
    let report = corm_bench::scan::measure(&db, rows, runs).await?;
    println!(
        "scan: single {:.2}s ({:.0} rows/s), parallel {:.2}s ({:.0} rows/s): parallel/single {:.2}x",
        report.single_seconds,
        report.rows as f64 / report.single_seconds,
        report.parallel_seconds,
        report.rows as f64 / report.parallel_seconds,
        report.speedup
    );
    Ok(report)
}

async fn bulk(args: BulkArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let report = measure_bulk(&session, args.sensors, args.per_sensor, args.runs).await?;
    write_json(&args.out, "bulk.json", &report)
}

/// `sensors * per_sensor` readings written three ways in a fresh
/// keyspace, `runs` times each.
async fn measure_bulk(
    session: &corm::Session,
    sensors: u64,
    per_sensor: u64,
    runs: usize,
) -> Result<corm_bench::bulk::BulkReport, BenchError> {
    setup::recreate_keyspace(session).await?;
    let db = corm_bench::generated::Db::new(session.clone(), corm_bench::data::KEYSPACE);
    let rows = corm_bench::bulk::rows(sensors, per_sensor);
    println!(
        "bulk: {} rows in {sensors} partitions, interleaved, {} in flight on every side; {runs} timed writes of each side, load average {}",
        rows.len(),
        corm_bench::bulk::IN_FLIGHT,
        load_average()
    );
    let report = corm_bench::bulk::measure(&db, &rows, runs).await?;
    let rate = |seconds: f64| report.rows as f64 / seconds;
    println!(
        "bulk: insert_many {:.2}s ({:.0} rows/s), single-insert loop {:.2}s ({:.0} rows/s), hand-written batches {:.2}s ({:.0} rows/s): insert_many is {:.2}x the loop and {:.2}x the hand-written batches",
        report.ours_seconds,
        rate(report.ours_seconds),
        report.loop_seconds,
        rate(report.loop_seconds),
        report.batches_seconds,
        rate(report.batches_seconds),
        report.vs_loop,
        report.vs_batches
    );
    Ok(report)
}

async fn range(args: RangeArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let report = measure_range(&session, args.per_hour, args.runs).await?;
    write_json(&args.out, "range.json", &report)
}

/// A series of `per_hour` points an hour over 24 hours and as many rows
/// in one partition, in a fresh keyspace, each read whole `runs` times.
async fn measure_range(
    session: &corm::Session,
    per_hour: u64,
    runs: usize,
) -> Result<corm_bench::range::RangeReport, BenchError> {
    setup::recreate_keyspace(session).await?;
    let db = corm_bench::generated::Db::new(session.clone(), corm_bench::data::KEYSPACE);
    let rows = corm_bench::range::fill(&db, per_hour).await?;
    println!(
        "range: {rows} points over {} one-hour buckets, and as many rows in one partition; {runs} timed reads of each, load average {}",
        corm_bench::range::HOURS,
        load_average()
    );
    let report = corm_bench::range::measure(&db, rows, runs).await?;
    println!(
        "range: 24 buckets {:.3}s, one partition {:.3}s: range/partition {:.2}x",
        report.range_seconds, report.partition_seconds, report.ratio
    );
    Ok(report)
}

#[cfg(feature = "embed-local")]
async fn embed(args: EmbedArgs) -> Result<(), BenchError> {
    let report = corm_bench::embed::measure(&args.model, args.sentences).await?;
    println!(
        "embed: all-MiniLM-L6-v2 on this CPU, {} sentences of {:.1} words: {:.1}/s one at a time, {:.1}/s in batches of 32",
        report.sentences, report.mean_words, report.batch_1_per_second, report.batch_32_per_second
    );
    write_json(&args.out, "embed.json", &report)
}

async fn vectors(args: VectorsArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    setup::recreate_keyspace(&session).await?;
    let db = corm_bench::generated::Db::new(session.clone(), corm_bench::data::KEYSPACE);
    let fill = corm_bench::vectors::fill(&db, args.rows).await?;
    println!(
        "vectors: {} vectors of dimension {} written in {:.1}s; {} searches of each side, load average {}",
        args.rows,
        corm_bench::vectors::DIMENSIONS,
        fill.as_secs_f64(),
        args.queries,
        load_average()
    );
    let report = corm_bench::vectors::measure(&db, args.rows, fill, args.queries).await?;
    println!(
        "vectors: nearest_embedding {:.0}/s (p50 {:.2} ms, p99 {:.2} ms), hand-written {:.0}/s (p50 {:.2} ms, p99 {:.2} ms): {:.3}x",
        report.ours_per_second,
        report.ours_p50_ms,
        report.ours_p99_ms,
        report.hand_per_second,
        report.hand_p50_ms,
        report.hand_p99_ms,
        report.ours_vs_hand
    );
    // 100,000 indexed vectors left on the node would slow it for whatever
    // runs next (their index is opened and compacted when it starts).
    session
        .run_ddl(&format!(
            "DROP KEYSPACE IF EXISTS {}",
            corm_bench::data::KEYSPACE
        ))
        .await?;
    write_json(&args.out, "vectors.json", &report)
}

async fn changes(args: ChangesArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    setup::recreate_keyspace(&session).await?;
    let db = corm_bench::generated::Db::new(session.clone(), corm_bench::data::KEYSPACE);
    println!(
        "changes: {} runs of {}s per side at concurrency {}, then {} writes/s with {} subscribers; load average {}",
        args.runs,
        args.seconds,
        args.concurrency,
        args.rate,
        args.subscribers,
        load_average()
    );
    let report = corm_bench::changes::measure(
        &db,
        args.runs,
        args.seconds,
        args.concurrency,
        args.rate,
        args.subscribers,
    )
    .await?;
    println!(
        "changes: inserts {:.0}/s plain, {:.0}/s with the change log: {:.2}x; write to in-process subscriber p50 {:.2} ms p99 {:.2} ms; to a log reader p50 {:.0} ms p99 {:.0} ms ({} changes); the writes themselves p50 {:.2} ms p99 {:.2} ms",
        report.plain_inserts_per_second,
        report.logged_inserts_per_second,
        report.logged_vs_plain,
        report.live_p50_ms,
        report.live_p99_ms,
        report.log_p50_ms,
        report.log_p99_ms,
        report.changes,
        report.write_p50_ms,
        report.write_p99_ms
    );
    write_json(&args.out, "changes.json", &report)
}

async fn connections(args: ConnectionsArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    setup::recreate_keyspace(&session).await?;
    let exe = std::env::current_exe()
        .map_err(|error| BenchError::Setup(format!("where is corm-bench? {error}")))?;
    let report = corm_bench::connections::measure(&exe, args.count).await?;
    println!(
        "connections: {} SSE and {} WebSocket subscriptions held in {:.1}s; server {} KiB idle, {} KiB with the SSE ones, {} KiB with all: {:.0} bytes per SSE, {:.0} per WebSocket",
        report.sse,
        report.websockets,
        report.connect_seconds,
        report.idle_kib,
        report.with_sse_kib,
        report.with_both_kib,
        report.bytes_per_sse,
        report.bytes_per_websocket
    );
    write_json(&args.out, "connections.json", &report)
}

async fn feed_latency(args: FeedLatencyArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    setup::recreate_keyspace(&session).await?;
    let db = corm_bench::generated::Db::new(session, corm_bench::data::KEYSPACE);
    let exe = std::env::current_exe()
        .map_err(|error| BenchError::Setup(format!("where is corm-bench? {error}")))?;
    let report =
        corm_bench::feed_latency::measure(&db, &exe, args.subscribers, args.rate, args.seconds)
            .await?;
    println!(
        "feed latency: {} SSE subscribers, {} writes at {}/s: {} changes received; write to client p50 {:.0} ms p99 {:.0} ms; the writes p50 {:.2} ms p99 {:.2} ms",
        report.subscribers,
        report.writes,
        report.rate,
        report.received,
        report.p50_ms,
        report.p99_ms,
        report.write_p50_ms,
        report.write_p99_ms
    );
    write_json(&args.out, "feed_latency.json", &report)
}

async fn graphql(args: GraphqlArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let report =
        corm_bench::graphql::measure_all(session, args.concurrency, args.requests, args.rounds)
            .await?;
    for workload in &report.workloads {
        println!(
            "graphql {}: Rust API {:.0}/s p50 {:.2} ms p99 {:.2} ms; GraphQL {:.0}/s p50 {:.2} ms p99 {:.2} ms; throughput {:.2}x, p99 {:.2}x (concurrency {})",
            workload.workload,
            workload.rust.per_second,
            workload.rust.p50_ms,
            workload.rust.p99_ms,
            workload.graphql.per_second,
            workload.graphql.p50_ms,
            workload.graphql.p99_ms,
            workload.throughput_ratio,
            workload.p99_ratio,
            report.concurrency
        );
    }
    write_json(&args.out, "graphql.json", &report)
}

async fn serve_changes() -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let db = corm_bench::generated::Db::new(session, corm_bench::data::KEYSPACE);
    corm_bench::connections::serve(&db).await
}

async fn backup(args: BackupArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let cqlsh = args.cqlsh.unwrap_or_else(corm_bench::backup::default_cqlsh);
    println!(
        "backup: {} rows, {} rounds, corm against {} COPY, load average {}",
        args.rows,
        args.rounds,
        cqlsh.display(),
        load_average()
    );
    std::fs::create_dir_all(&args.out).map_err(|source| BenchError::Io {
        what: format!("creating {}", args.out.display()),
        source,
    })?;
    let report =
        corm_bench::backup::measure(&session, args.rows, args.rounds, &cqlsh, &args.out).await?;
    println!(
        "backup: corm {:.0} rows/s ({:.1} MB/s, {} bytes), COPY TO {:.0} rows/s ({:.1} MB/s, {} bytes): {:.1}x",
        report.backup_rows_per_second,
        report.backup_mb_per_second,
        report.backup_bytes,
        report.copy_to_rows_per_second,
        report.copy_to_mb_per_second,
        report.copy_to_bytes,
        report.backup_vs_copy
    );
    println!(
        "restore: corm {:.0} rows/s ({:.1} s, {:.1} s of client CPU), COPY FROM {:.0} rows/s: {:.1}x",
        report.restore_rows_per_second,
        report.restore_seconds,
        report.restore_client_cpu_seconds,
        report.copy_from_rows_per_second,
        report.restore_vs_copy
    );
    println!("seconds per round: {:?}", report.runs);
    println!(
        "not back exactly through corm: {:?}",
        report.corm_differences
    );
    println!(
        "not back exactly through COPY: {:?}",
        report.copy_differences
    );
    println!(
        "COPY FROM refuses a duration column that COPY TO wrote: {}",
        report.copy_refuses_durations
    );
    write_json(&args.out, "backup.json", &report)
}

async fn sagas(args: SagasArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    setup::recreate_keyspace(&session).await?;
    let db = corm_bench::generated::Db::new(session, corm_bench::data::KEYSPACE);
    println!(
        "sagas: {} sagas of 3 steps per side per round, concurrency {}, {} rounds, load average {}",
        args.sagas,
        args.concurrency,
        args.rounds,
        load_average()
    );
    let report = corm_bench::sagas::measure(&db, args.sagas, args.concurrency, args.rounds).await?;
    println!(
        "sagas: {:.0} sagas/s, the same 3 inserts alone {:.0}/s: {:.2}x; a saga sends {} requests ({} lightweight transactions) for its steps' 3",
        report.sagas_per_second,
        report.direct_per_second,
        report.saga_vs_direct,
        report.requests_per_saga,
        report.lightweight_transactions_per_saga
    );
    write_json(&args.out, "sagas.json", &report)
}

async fn cache(args: CacheArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    setup::recreate_keyspace(&session).await?;
    println!(
        "cache: {} rows, {} reads per side per round, concurrency {}, {} rounds, load average {}",
        args.rows,
        args.reads,
        args.concurrency,
        args.rounds,
        load_average()
    );
    let report = corm_bench::cache::measure(
        &session,
        args.rows,
        args.reads,
        args.concurrency,
        args.rounds,
    )
    .await?;
    println!(
        "cache: cached get {:.0}/s, uncached {:.0}/s: {:.1}x",
        report.cached_per_second, report.uncached_per_second, report.cached_vs_uncached
    );
    for (size, rate) in &report.zipf_hit_rates {
        println!(
            "cache: Zipf (s = {}) over {} keys, {size} entries: hit rate {:.1}%",
            report.zipf_exponent,
            report.rows,
            rate * 100.0
        );
    }
    write_json(&args.out, "cache.json", &report)
}

async fn events(args: EventsArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let report = measure_events(&session, args.events, args.runs).await?;
    write_json(&args.out, "events.json", &report)
}

/// A stream of `events` events in a fresh keyspace, replayed `runs` times
/// each way, then appends measured.
async fn measure_events(
    session: &corm::Session,
    events: u64,
    runs: usize,
) -> Result<corm_bench::events::EventsReport, BenchError> {
    setup::recreate_keyspace(session).await?;
    let db = corm_bench::generated::Db::new(session.clone(), corm_bench::data::KEYSPACE);
    let id = corm_bench::events::fill(&db, events).await?;
    println!(
        "events: a stream of {events} events written; {runs} timed replays of each side, load average {}",
        load_average()
    );
    let report = corm_bench::events::measure(&db, id, events, runs).await?;
    println!(
        "events: replay {:.3}s ({:.0} events/s), hand-written {:.3}s: {:.2}x; appends {:.0}/s one writer ({:.0} inserts/s), {:.0}/s with 8 writers on one stream",
        report.replay_seconds,
        report.replay_events_per_second,
        report.hand_seconds,
        report.replay_vs_hand,
        report.appends_per_second,
        report.inserts_per_second,
        report.contended_appends_per_second
    );
    Ok(report)
}

/// Writes `value` as pretty JSON to `out/name`.
fn write_json(
    out: &std::path::Path,
    name: &str,
    value: &impl serde::Serialize,
) -> Result<(), BenchError> {
    let path = out.join(name);
    std::fs::create_dir_all(out)
        .and_then(|()| {
            std::fs::write(
                &path,
                serde_json::to_string_pretty(value).unwrap_or_default(),
            )
        })
        .map_err(|source| BenchError::Io {
            what: format!("writing {}", path.display()),
            source,
        })
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "?".to_owned())
}

async fn suite(args: SuiteArgs) -> Result<(), BenchError> {
    let seconds = |value: Option<f64>, default: f64, quick: f64| {
        Duration::from_secs_f64(
            value
                .unwrap_or(if args.quick { quick } else { default })
                .max(0.05),
        )
    };
    let plan = suite::Plan {
        scenarios: if args.scenario.is_empty() {
            Scenario::ALL.to_vec()
        } else {
            args.scenario.clone()
        },
        concurrencies: if args.concurrency.is_empty() {
            vec![1, 64, 256]
        } else {
            args.concurrency.clone()
        },
        run: seconds(args.seconds, 2.0, 1.0),
        warmup: seconds(args.warmup, 1.0, 0.5),
        runs: args.runs.max(1),
    };
    let (small, large) = match args.valgrind_ops.as_slice() {
        [small, large] if small < large => (*small, *large),
        [_, _] => {
            return Err(BenchError::Run(
                "--valgrind-ops: the first count must be the smaller".to_owned(),
            ));
        }
        [_, ..] => {
            return Err(BenchError::Run(
                "--valgrind-ops: give two counts, as SMALL,LARGE".to_owned(),
            ));
        }
        _ if args.quick => (50, 300),
        _ => (200, 2200),
    };
    let valgrind_plan = valgrind::Plan {
        small,
        large,
        warmup: 100,
        reps: args.valgrind_reps.unwrap_or(if args.quick { 1 } else { 2 }),
        dir: args.out.join("valgrind"),
    };
    let threads = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "corm-bench: {} scenario(s) x concurrency {:?}, {} runs of {:.1}s per side, {threads} cores, load average {}",
        plan.scenarios.len(),
        plan.concurrencies,
        plan.runs,
        plan.run.as_secs_f64(),
        load_average()
    );
    let session = setup::connect().await?;
    let mut context = Context::create(&session).await?;
    let pairs = suite::throughput(&mut context, &plan).await?;

    let mut costs = BTreeMap::new();
    if args.no_valgrind {
        println!("valgrind: skipped (--no-valgrind)");
    } else if !valgrind::available() {
        println!("valgrind: not found; instructions and allocations are left out");
    } else {
        println!(
            "valgrind: {} and {} operations after {} warm-up, best of {} run(s) each",
            valgrind_plan.small, valgrind_plan.large, valgrind_plan.warmup, valgrind_plan.reps
        );
        for &scenario in &plan.scenarios {
            for side in Side::ALL {
                let cost = valgrind::measure(&mut context, &valgrind_plan, scenario, side).await?;
                println!(
                    "{scenario:>12} {side}: {:.0} instructions/op, {:.2} allocations/op",
                    cost.instr_op, cost.allocs_op
                );
                costs.insert((scenario.name(), side.name()), cost);
            }
        }
    }

    // The bulk, range and whole-table workloads (each in a fresh keyspace,
    // after the scenarios are done with theirs).
    let (range_rows, bulk_sensors, scan_rows) = if args.quick {
        (500, 50, 50_000)
    } else {
        (2_000, 200, 200_000)
    };
    let workloads = report::Workloads {
        range: measure_range(&session, range_rows, args.runs.max(3)).await?,
        bulk: measure_bulk(&session, bulk_sensors, 500, args.runs.max(3)).await?,
        scan: measure_scan(&session, scan_rows, args.runs.max(3)).await?,
        events: measure_events(
            &session,
            if args.quick { 20_000 } else { 100_000 },
            args.runs.max(3),
        )
        .await?,
    };

    let entries = report::entries(&pairs, &costs);
    let table = report::tables(&entries);
    println!("\n{table}");
    let json = args.out.join("report.json");
    report::write_json(&entries, &workloads, &json)?;
    std::fs::write(args.out.join("report.md"), &table).map_err(|source| BenchError::Io {
        what: "writing report.md".to_owned(),
        source,
    })?;
    let errors: u64 = entries.iter().map(report::Entry::errors).sum();
    println!(
        "report: {} ({} failed operations); load average now {}",
        json.display(),
        errors,
        load_average()
    );
    Ok(())
}

async fn ops(args: OpsArgs) -> Result<(), BenchError> {
    let session = setup::connect().await?;
    let context = Context::open(&session, 0.0).await?;
    let limits = |ops| Limits {
        ops: Some(ops),
        duration: None,
    };
    let warmup = suite::run_side(
        &context,
        args.side,
        args.scenario,
        args.delete_base,
        1,
        limits(args.warmup_ops),
    )
    .await;
    let counted = suite::run_side(
        &context,
        args.side,
        args.scenario,
        args.delete_base + args.warmup_ops,
        1,
        limits(args.ops),
    )
    .await;
    println!(
        "{} {}: {} + {} operations, {} failed",
        args.scenario,
        args.side,
        warmup.ops,
        counted.ops,
        warmup.errors + counted.errors
    );
    if warmup.errors + counted.errors > 0 {
        return Err(BenchError::Run(format!(
            "failed operations; first: {}",
            warmup
                .first_error
                .or(counted.first_error)
                .unwrap_or_default()
        )));
    }
    // Exit here, without dropping the session and the runtime: the driver
    // frees its copy of the cluster's schema on a worker thread, which
    // races the exit and lands in the valgrind count of some runs and not
    // others (14 M instructions, a quantum of 7,000 per operation in the
    // difference of 200 and 2,200 operations, with the test node's
    // hundreds of keyspaces).
    let _ = std::io::Write::flush(&mut std::io::stdout());
    std::process::exit(0)
}
