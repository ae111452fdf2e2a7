//! `corm-bench graphql`: the example schema's GraphQL endpoint against the
//! same reads through the Rust API, in one process and one run: a row by
//! key (`customer(id)` against `db.customer().get`) and a nested relation
//! (`customer(id) { orders { … } }` against `get` then `orders`). The
//! server is axum on loopback in this process, the client reqwest with
//! keep-alive connections; each side runs the same number of requests at
//! the same concurrency, sides alternating, and the median round counts.

use std::sync::Arc;
use std::time::Instant;

use corm::graphql::GraphqlOptions;
use corm::serde::Serialize;
use corm::{StreamExt, Uuid};
use corm_examples::generated::{Customer, CustomerKey, Db, Order, OrderStatus, graphql_schema};

use crate::BenchError;

/// The keyspace the example schema is set up in.
const KEYSPACE: &str = "corm_bench_graphql";

/// One side of one workload in one round.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct SideReport {
    /// Requests per second.
    pub per_second: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
}

/// One workload, both sides (median rounds) and the overhead.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct WorkloadReport {
    /// What is read.
    pub workload: &'static str,
    /// Through the Rust API.
    pub rust: SideReport,
    /// Through the GraphQL endpoint over HTTP.
    pub graphql: SideReport,
    /// GraphQL's requests per second over the Rust API's.
    pub throughput_ratio: f64,
    /// GraphQL's p99 over the Rust API's.
    pub p99_ratio: f64,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct GraphqlReport {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests per side per round.
    pub requests: usize,
    /// Rounds (each side once per round, alternating).
    pub rounds: usize,
    /// The workloads.
    pub workloads: Vec<WorkloadReport>,
}

/// The `quantile` of sorted `samples`.
fn quantile(samples: &[f64], quantile: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let index = ((samples.len() - 1) as f64 * quantile).round() as usize;
    samples[index.min(samples.len() - 1)]
}

/// Runs `requests` calls of `call` (given the request's number), at most
/// `concurrency` at once; their rate and latency.
async fn measure<F, Fut>(
    requests: usize,
    concurrency: usize,
    call: F,
) -> Result<SideReport, BenchError>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), BenchError>>,
{
    let started = Instant::now();
    let mut latencies: Vec<f64> = futures::stream::iter(0..requests)
        .map(|number| {
            let call = &call;
            async move {
                let began = Instant::now();
                call(number)
                    .await
                    .map(|()| began.elapsed().as_secs_f64() * 1000.0)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    #[allow(clippy::cast_precision_loss)]
    let per_second = requests as f64 / elapsed;
    Ok(SideReport {
        per_second,
        p50_ms: quantile(&latencies, 0.5),
        p99_ms: quantile(&latencies, 0.99),
    })
}

/// The median of `rounds` by rate.
fn median(mut rounds: Vec<SideReport>) -> SideReport {
    rounds.sort_by(|a, b| a.per_second.total_cmp(&b.per_second));
    rounds[rounds.len() / 2].clone()
}

/// Posts `query` with the customer `id` and checks the answer has data
/// and no errors.
async fn post(
    client: &reqwest::Client,
    url: &str,
    query: &str,
    id: Uuid,
) -> Result<(), BenchError> {
    let body = format!(
        "{{\"query\":{},\"variables\":{{\"id\":\"{id}\"}}}}",
        serde_json::to_string(query).unwrap_or_default()
    );
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|error| BenchError::Setup(format!("POST {url}: {error}")))?;
    let text = response
        .text()
        .await
        .map_err(|error| BenchError::Setup(format!("reading the answer: {error}")))?;
    if text.contains("\"errors\"") || !text.contains("\"data\"") {
        return Err(BenchError::Setup(format!("GraphQL answered {text}")));
    }
    Ok(())
}

/// Sets the example schema up in its keyspace with `customers` customers
/// of `orders` orders each; the customers' ids.
async fn fill(db: &Db, customers: usize, orders: usize) -> Result<Vec<Uuid>, BenchError> {
    let mut ids = Vec::with_capacity(customers);
    for index in 0..customers {
        let customer = Customer::new(
            format!("bench{index}@example.com"),
            format!("Customer {index}"),
            Default::default(),
        );
        db.customer().insert(&customer).await?;
        for quantity in 0..orders {
            let order = Order::new(
                customer.id,
                OrderStatus::Paid,
                1_000,
                i32::try_from(quantity).unwrap_or(0),
                false,
                vec!["note".to_owned()],
                Default::default(),
                Default::default(),
                Vec::new(),
                Default::default(),
            );
            db.order().insert(&order).await?;
        }
        ids.push(customer.id);
    }
    Ok(ids)
}

/// Serves the example schema's GraphQL on loopback and measures both
/// workloads against the Rust API.
///
/// # Errors
/// Setting up, serving, or any request failing.
pub async fn measure_all(
    session: corm::Session,
    concurrency: usize,
    requests: usize,
    rounds: usize,
) -> Result<GraphqlReport, BenchError> {
    session
        .run_ddl(&format!("DROP KEYSPACE IF EXISTS {KEYSPACE}"))
        .await?;
    session
        .run_ddl(&format!(
            "CREATE KEYSPACE {KEYSPACE} WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
        ))
        .await?;
    let db = Db::new(session, KEYSPACE);
    db.setup().await?;
    let ids = Arc::new(fill(&db, 200, 5).await?);
    let schema = graphql_schema(&db, GraphqlOptions::default())
        .map_err(|error| BenchError::Setup(format!("the GraphQL schema: {}", error.0)))?;
    let routes = corm::graphql::router(schema, false);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|error| BenchError::Setup(format!("binding loopback: {error}")))?;
    let address = listener
        .local_addr()
        .map_err(|error| BenchError::Setup(format!("the server's address: {error}")))?;
    tokio::spawn(async move { corm::axum::serve(listener, routes).await });
    let url = format!("http://{address}/graphql");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()
        .map_err(|error| BenchError::Setup(format!("the HTTP client: {error}")))?;
    let by_key = "query($id: UUID!) { customer(id: $id) { id email name tier } }";
    let nested = "query($id: UUID!) { customer(id: $id) { id email name tier orders { id totalCents status quantity } } }";
    let id = |number: usize| ids[number % ids.len()];
    let mut workloads = Vec::new();
    for (workload, query) in [("row by key", by_key), ("nested relation", nested)] {
        let (mut rust, mut graphql) = (Vec::new(), Vec::new());
        for _ in 0..rounds.max(1) {
            rust.push(
                measure(requests, concurrency, |number| {
                    let db = &db;
                    let key = CustomerKey { id: id(number) };
                    async move {
                        let customer = db.customer().get(&key).await?;
                        if workload == "nested relation"
                            && let Some(customer) = &customer
                        {
                            let orders = db.customer().orders(customer).await?;
                            std::hint::black_box(orders);
                        }
                        std::hint::black_box(customer);
                        Ok(())
                    }
                })
                .await?,
            );
            graphql.push(
                measure(requests, concurrency, |number| {
                    let (client, url) = (&client, &url);
                    let customer = id(number);
                    async move { post(client, url, query, customer).await }
                })
                .await?,
            );
        }
        let (rust, graphql) = (median(rust), median(graphql));
        workloads.push(WorkloadReport {
            workload,
            throughput_ratio: graphql.per_second / rust.per_second,
            p99_ratio: graphql.p99_ms / rust.p99_ms,
            rust,
            graphql,
        });
    }
    Ok(GraphqlReport {
        concurrency,
        requests,
        rounds,
        workloads,
    })
}
