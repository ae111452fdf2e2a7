//! The showcase: `examples/schema.corm`, compiled by `cormc generate` into
//! `src/generated/`, used against a real node: the schema's migrations are
//! applied by `db.migrate()` (a second run finds nothing to do); a customer
//! is validated and its email claimed as unique (an invalid one and a
//! copycat are refused); orders go in and come back newest first, a second
//! writer is refused by `IF NOT EXISTS`; relations load the customer's
//! orders and each order's customer; named queries and aggregates (one
//! native, one client-side) run; a counter counts; a time series is
//! written in bulk, read over a range, rolled up per hour and scanned; an
//! event-sourced wallet takes commands (one refused), refuses a stale
//! writer, and a projection keeps its balance in a read model. With the
//! `embeddings` feature, help articles get their embeddings from the local
//! model on insert and are searched by meaning, and a semantic cache answers
//! a question asked again in other words. Last, sagas: a transfer that
//! completes and one that is compensated, and an order that holds a unit
//! of stock, pays and confirms it, then one that finds no stock left.
//!
//! Run it with `cargo xtask example` (which regenerates the code from the
//! schema and starts a local node first).

use std::collections::{BTreeMap, BTreeSet};

use corm::events::{Aggregate, ExecuteError};
use corm::serde::{Deserialize, Serialize};
use corm::{Config, Options, Session, TryStreamExt};
use corm_examples::bank::Bank;
use corm_examples::generated::{
    Account, Address, Customer, Db, LedgerEntry, MIGRATIONS, Order, OrderPartition, OrderStatus,
    PageLoad, PageLoadSeries, PageViewsKey, PlaceOrderInput, Product, ProductKey, TransferInput,
    WalletBalance, WalletBalanceKey, WalletEvent,
    wallet::{Credited, Debited},
};
use corm_examples::orders::Shop;

const KEYSPACE: &str = "corm_shop";

#[tokio::main]
async fn main() -> Result<(), corm::Error> {
    let config = Config::from_env()?;
    let session = Session::connect(&config).await?;
    println!("connected to {}", config.contact_points.join(","));

    // A fresh keyspace for the showcase; the tables come from the schema's
    // migrations, applied (and recorded) by the generated `Db::migrate`.
    session
        .run_ddl(&format!("DROP KEYSPACE IF EXISTS {KEYSPACE}"))
        .await?;
    session
        .run_ddl(&format!(
            "CREATE KEYSPACE {KEYSPACE} WITH replication = \
             {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
        ))
        .await?;
    let db = Db::new(session, KEYSPACE);
    let report = db.migrate().await?;
    for applied in &report.applied {
        let plural = if applied.statements_run == 1 { "" } else { "s" };
        println!(
            "applied migration {} {} ({} statement{plural})",
            applied.id, applied.name, applied.statements_run
        );
    }
    let again = db.migrate().await?;
    println!(
        "migrating again: {} of {} migrations to apply",
        again.applied.len(),
        MIGRATIONS.len()
    );

    // A customer: validated and with a unique email.
    let mut ada = Customer::new(
        "ada@example.com".to_owned(),
        "Ada Lovelace".to_owned(),
        BTreeSet::from(["early".to_owned()]),
    );
    ada.website = Some("https://example.com/ada".to_owned());
    db.customer().insert(&ada).await?;
    let mut invalid = Customer::new("ada at example".to_owned(), "A".to_owned(), BTreeSet::new());
    invalid.age = Some(200);
    match db.customer().insert(&invalid).await {
        Err(corm::Error::Validation(error)) => println!("refused: {error}"),
        other => println!("unexpected: {other:?}"),
    }
    let copycat = Customer::new(
        "ada@example.com".to_owned(),
        "Someone Else".to_owned(),
        BTreeSet::new(),
    );
    match db.customer().insert(&copycat).await {
        Err(error @ corm::Error::Unique { .. }) => println!("refused: {error}"),
        other => println!("unexpected: {other:?}"),
    }
    let found = db.customer().find_by_email("ada@example.com").await?;
    println!(
        "find_by_email: {}",
        found.map_or_else(|| "nobody".to_owned(), |customer| customer.name)
    );

    let customer = ada.id;
    for (n, status) in [OrderStatus::Paid, OrderStatus::Shipped, OrderStatus::Paid]
        .into_iter()
        .enumerate()
    {
        let mut order = Order::new(
            customer,
            status,
            1_250 * (n as i64 + 1),
            n as i32 + 1,
            false,
            vec![format!("order #{n}")],
            BTreeSet::from(["showcase".to_owned()]),
            BTreeMap::from([("items".to_owned(), n as i32 + 1)]),
            Vec::new(),
            BTreeSet::from([status]),
        );
        order.address = Some(Address {
            street: "1 Main St".to_owned(),
            city: "Springfield".to_owned(),
            zip: None,
        });
        // A vector<float, 3> is a corm::Vector<3>: its length is checked
        // by the compiler.
        order.embedding = Some(corm::Vector::from([1.0, n as f32, 0.5]));
        db.order().insert(&order).await?;
        if n == 0 {
            let again = db.order().insert_if_not_exists(&order).await?;
            println!("IF NOT EXISTS on an existing order applied: {again}");
        }
    }

    let newest_first: Vec<Order> = db
        .order()
        .with(Options::default().page_size(2))
        .partition(&OrderPartition {
            customer_id: customer,
        })
        .await?
        .try_collect()
        .await?;
    for order in &newest_first {
        println!(
            "order {} {:>9} {} cents, {} item(s)",
            order.id,
            order.status.as_str(),
            order.total_cents,
            order.quantity
        );
    }

    // Relations: the customer's orders, and each order's customer.
    let orders = db.customer().orders(&ada).await?;
    println!("{} has {} orders", ada.name, orders.len());
    let owners = db.order().customer_of(&orders).await?;
    println!(
        "their customers: {:?}",
        owners
            .iter()
            .map(|owner| owner.as_ref().map(|c| c.email.as_str()))
            .collect::<Vec<_>>()
    );

    // Named queries and aggregates.
    if let Some(oldest) = newest_first.last() {
        let newer = db
            .order()
            .recent_orders(customer, oldest.placed_at, 10)
            .await?;
        println!("recent_orders after the oldest: {} orders", newer.len());
    }
    // Vector search: over the whole table, and within one customer's
    // orders (a named query), each row with Cassandra's cosine score.
    let like = corm::Vector::from([1.0, 2.0, 0.5]);
    for found in db.order().nearest_embedding(&like, 2).await? {
        println!(
            "nearest_embedding: order with {} item(s), similarity {:.3}",
            found.row.quantity, found.score
        );
    }
    let similar = db.order().similar_orders(customer, &like, 3).await?;
    println!(
        "similar_orders of {}: {:?}",
        ada.name,
        similar
            .iter()
            .map(|found| (found.row.quantity, (found.score * 1000.0).round() / 1000.0))
            .collect::<Vec<_>>()
    );
    // Named mutations: a tag added in place, and a status change that
    // applies only from the status the caller saw.
    if let Some(order) = newest_first.first() {
        let tags = BTreeSet::from(["priority".to_owned()]);
        db.order()
            .tag_order(&tags, order.customer_id, order.placed_at, order.id)
            .await?;
        for attempt in 1..=2 {
            let outcome = db
                .order()
                .advance_order(
                    OrderStatus::Shipped,
                    order.customer_id,
                    order.placed_at,
                    order.id,
                    order.status,
                )
                .await?;
            match outcome {
                corm::Conditional::Applied => println!("advance_order #{attempt}: shipped"),
                corm::Conditional::NotApplied(current) => println!(
                    "advance_order #{attempt}: not applied, the status is now {:?}",
                    current.status
                ),
            }
        }
    }
    let free: Vec<Customer> = db
        .customer()
        .customers_in_tier("free")
        .await?
        .try_collect()
        .await?;
    println!("customers_in_tier(\"free\"): {}", free.len());
    for totals in db.order().order_totals(customer).await? {
        println!(
            "order_totals: {} orders, {} cents",
            totals.orders, totals.cents
        );
    }
    let busy = db
        .order()
        .with(Options::default().page_size(1))
        .busy_statuses(customer)
        .await?;
    println!("busy_statuses (2 or more orders): {busy:?}");

    let today = corm::chrono::Utc::now().date_naive();
    let page = PageViewsKey {
        page: "/orders".to_owned(),
        day: today,
    };
    for _ in 0..3 {
        db.page_views().add(&page, 1).await?;
    }
    if let Some(views) = db.page_views().get(&page).await? {
        println!("page {} viewed {} times today", views.page, views.views.0);
    }

    // A time series: load times over the last three hours (one partition
    // per hour), written in bulk, read back over a range newest first, and
    // the latest one.
    let series = PageLoadSeries {
        page: "/orders".to_owned(),
    };
    let now = corm::chrono::Utc::now();
    let loads: Vec<PageLoad> = (0..180)
        .map(|minute| PageLoad {
            page: series.page.clone(),
            ts: now - corm::chrono::Duration::minutes(minute),
            millis: 120 + (minute % 7) as i32 * 10,
        })
        .collect();
    let written = db.page_load().write_many(loads).await?;
    let last_hour: Vec<PageLoad> = db
        .page_load()
        .range(
            &series,
            now - corm::chrono::Duration::hours(1)..now + corm::chrono::Duration::seconds(1),
            corm::timeseries::Direction::Descending,
            None,
        )
        .await?
        .try_collect()
        .await?;
    let slowest = last_hour.iter().map(|load| load.millis).max().unwrap_or(0);
    println!(
        "page loads: {} written over the last 3 hours; {} in the last hour, slowest {slowest} ms",
        written.written,
        last_hour.len()
    );
    if let Some(latest) = db.page_load().latest(&series).await? {
        println!("latest page load: {} ms", latest.millis);
    }
    // Rolled up per hour (grouped by Cassandra in each bucket), and the
    // whole table read by token ranges, a few at once.
    let hourly = db
        .page_load()
        .rollup(
            &series,
            now - corm::chrono::Duration::hours(3)..now + corm::chrono::Duration::seconds(1),
            corm::chrono::Duration::hours(1),
        )
        .await?;
    for hour in &hourly {
        println!(
            "  {}: {} loads, mean {:.1} ms, slowest {} ms",
            hour.start.format("%H:%M"),
            hour.points,
            hour.millis.mean().unwrap_or_default(),
            hour.millis.max.unwrap_or_default(),
        );
    }
    let scanned = db
        .page_load()
        .scan_parallel(corm::ParallelScan::default())
        .await?
        .try_fold(0_u64, |count, _| async move { Ok(count + 1) })
        .await?;
    println!("page loads scanned across every bucket: {scanned}");

    // An event-sourced wallet: commands decide events from the state, a
    // stale writer gets a conflict, and a projection keeps a read model.
    let wallet = corm::Uuid::new_v4();
    let credit = |cents: i64, reason: &str| -> WalletEvent {
        Credited {
            cents,
            reason: reason.to_owned(),
        }
        .into()
    };
    let version = db
        .wallet()
        .execute(&wallet, |_: &WalletState| {
            Ok::<_, String>(vec![credit(5_000, "top-up"), credit(250, "cashback")])
        })
        .await
        .map_err(store_error)?;
    let debit = |cents: i64| {
        move |state: &WalletState| -> Result<Vec<WalletEvent>, String> {
            if state.cents < cents {
                return Err(format!("{cents} cents asked, {} held", state.cents));
            }
            Ok(vec![
                Debited {
                    cents,
                    reason: "order".to_owned(),
                }
                .into(),
            ])
        }
    };
    let version_after = db
        .wallet()
        .execute(&wallet, debit(1_200))
        .await
        .map_err(store_error)?;
    println!("wallet: version {version} after two credits, {version_after} after a debit");
    match db.wallet().execute(&wallet, debit(90_000)).await {
        Err(ExecuteError::Rejected(reason)) => println!("debit refused by the command: {reason}"),
        other => println!("debit of 90000: {other:?}"),
    }
    match db.wallet().append(&wallet, 1, &[credit(1, "stale")]).await {
        Err(error @ corm::Error::Conflict { .. }) => println!("stale writer refused: {error}"),
        other => println!("stale writer: {other:?}"),
    }
    let balances = db.wallet().projection("balances");
    let progress = balances
        .run_once(async |id: &corm::Uuid, recorded| {
            let key = WalletBalanceKey { wallet: *id };
            let mut row = db
                .wallet_balance()
                .get(&key)
                .await?
                .unwrap_or(WalletBalance {
                    wallet: *id,
                    cents: 0,
                    version: 0,
                });
            // At least once: an event at or below the row's version is
            // already in it.
            let version = i64::try_from(recorded.version).unwrap_or(i64::MAX);
            if version > row.version {
                match recorded.event {
                    WalletEvent::Credited(credit) => row.cents += credit.cents,
                    WalletEvent::Debited(debit) => row.cents -= debit.cents,
                }
                row.version = version;
                db.wallet_balance().insert(&row).await?;
            }
            Ok(())
        })
        .await?;
    let state = db.wallet().load_aggregate::<WalletState>(&wallet).await?;
    let projected = db
        .wallet_balance()
        .get(&WalletBalanceKey { wallet })
        .await?
        .map_or(0, |row| row.cents);
    println!(
        "wallet projection: {} events delivered; balance {projected} cents (the aggregate says {})",
        progress.delivered, state.state.cents
    );

    if let Some(oldest) = newest_first.last() {
        db.order().delete(&oldest.key()).await?;
        println!("deleted order {}", oldest.id);
    }

    sagas(&db).await?;

    #[cfg(feature = "embeddings")]
    help_centre(&db).await?;
    #[cfg(not(feature = "embeddings"))]
    println!(
        "help centre: skipped (built without the `embeddings` feature, which `cargo xtask example` turns on)"
    );
    Ok(())
}

/// Sagas: a transfer between accounts that completes and one refused by a
/// closed account (its debit undone); an order that holds a unit of
/// stock, pays by a transfer and confirms the unit, and one that finds the
/// stock empty.
async fn sagas(db: &Db) -> Result<(), corm::Error> {
    let bank = Bank::new(db.clone());
    let mut accounts = Vec::new();
    for (owner, closed) in [("Ada", false), ("the shop", false), ("Bob", true)] {
        let id = corm::Uuid::new_v4();
        db.account()
            .insert(&Account::new(id, owner.to_owned(), closed))
            .await?;
        db.ledger_entry()
            .insert(&LedgerEntry::new(id, "opening".to_owned(), 1_000))
            .await?;
        accounts.push(id);
    }
    let [ada, shop, bob] = [accounts[0], accounts[1], accounts[2]];
    let transfers = db.transfer(bank.clone());
    let (_, paid) = transfers
        .start(&TransferInput {
            from: ada,
            to: shop,
            amount: 250,
        })
        .await?;
    println!("transfer of 250 from Ada to the shop: {paid:?}");
    let (refused_id, refused) = transfers
        .start(&TransferInput {
            from: ada,
            to: bob,
            amount: 100,
        })
        .await?;
    println!("transfer of 100 from Ada to Bob (closed): {refused:?}");
    let steps: Vec<String> = transfers
        .log(refused_id)
        .await?
        .iter()
        .map(|entry| {
            format!("{} {}", entry.event, entry.step.as_deref().unwrap_or(""))
                .trim_end()
                .to_owned()
        })
        .collect();
    println!("  its log: {}", steps.join(", "));
    println!(
        "balances: Ada {}, the shop {}, Bob {}",
        bank.balance(ada).await?,
        bank.balance(shop).await?,
        bank.balance(bob).await?
    );

    let sku = format!("lamp-{}", corm::Uuid::new_v4().simple());
    db.product()
        .insert(&Product::new(
            sku.clone(),
            "Desk lamp".to_owned(),
            1,
            Default::default(),
        ))
        .await?;
    let orders = db.place_order(Shop::new(db.clone(), bank.clone()));
    for attempt in ["first", "second"] {
        let input = PlaceOrderInput {
            order: corm::Uuid::new_v4(),
            sku: sku.clone(),
            customer: ada,
            shop,
            price: 40,
        };
        let (_, outcome) = orders.start(&input).await?;
        println!("{attempt} order of the last desk lamp: {outcome:?}");
    }
    let stock = db
        .product()
        .reservations()
        .stock(&ProductKey { sku })
        .await?;
    println!(
        "desk lamps left: {}; Ada's balance {}",
        stock.map_or(0, |stock| stock.available),
        bank.balance(ada).await?
    );
    Ok(())
}

/// Help articles embedded on insert by the local model and searched by
/// meaning; a support desk behind a semantic cache.
#[cfg(feature = "embeddings")]
async fn help_centre(db: &Db) -> Result<(), corm::Error> {
    use std::sync::Arc;

    use corm::embed::{Embedder, LocalEmbedder};
    use corm::semantic::{Answer, SemanticCache, SemanticCacheConfig};
    use corm_examples::help_centre::{articles, model_dir};

    let embedder: Arc<dyn Embedder> = Arc::new(LocalEmbedder::load(model_dir())?);
    let db = db.with_embedder(embedder.clone());
    for article in articles() {
        // `embedding` is unset: the insert computes it from title and body.
        db.help_article().insert(&article).await?;
    }
    let question = "my package never showed up";
    println!("help articles nearest to {question:?}:");
    for found in db.help_article().search_text(question, 3).await? {
        println!("  {:.3} {}", found.score, found.row.title);
    }

    // The support desk: an answer is worked out from the nearest article
    // (standing in for a language model's reply) and kept by meaning.
    let cache: SemanticCache<String, 384> = SemanticCache::open(
        db.session().clone(),
        KEYSPACE,
        SemanticCacheConfig::new("support_answers"),
        embedder,
    )
    .await?;
    for question in [
        "How do I send back something I bought?",
        "How can I return an item I purchased?",
        "How do I change my delivery address?",
    ] {
        let answer = cache
            .get_or_compute(question, &["help-centre"], || async {
                let nearest = db.help_article().search_text(question, 1).await?;
                Ok::<_, corm::Error>(nearest.into_iter().next().map_or_else(
                    || "Let me find someone who knows.".to_owned(),
                    |found| found.row.body,
                ))
            })
            .await?;
        match &answer {
            Answer::Cached(hit) => println!(
                "support: {question:?} answered from the cache (similarity {:.3} to {:?})",
                hit.similarity, hit.stored_input
            ),
            Answer::Computed(_) => println!("support: {question:?} worked out and cached"),
        }
    }
    let stats = cache.stats();
    println!(
        "support cache: {} hits, {} misses; invalidating the help centre's answers removed {}",
        stats.hits(),
        stats.misses,
        cache.invalidate_tag("help-centre").await?
    );
    Ok(())
}

/// A wallet's state, folded from its events.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(crate = "corm::serde")]
struct WalletState {
    cents: i64,
}

impl Aggregate for WalletState {
    type Event = WalletEvent;

    fn apply(&mut self, event: &WalletEvent) {
        match event {
            WalletEvent::Credited(credit) => self.cents += credit.cents,
            WalletEvent::Debited(debit) => self.cents -= debit.cents,
        }
    }
}

/// A command's failure that is the store's (the showcase's commands do
/// not refuse where this is used).
fn store_error(error: ExecuteError<String>) -> corm::Error {
    match error {
        ExecuteError::Store(error) => error,
        ExecuteError::Rejected(reason) => corm::Error::EventStore {
            store: "Wallet",
            problem: reason,
        },
    }
}
