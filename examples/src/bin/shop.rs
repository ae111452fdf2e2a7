//! The showcase: `examples/schema.corm`, compiled by `cormc generate` into
//! `src/generated/`, used against a real node: the schema's migrations are
//! applied by `db.migrate()` (a second run finds nothing to do), orders go
//! in and come back newest first, a second writer is refused by
//! `IF NOT EXISTS`, and a counter counts.
//!
//! Run it with `cargo xtask example` (which regenerates the code from the
//! schema and starts a local node first).

use std::collections::{BTreeMap, BTreeSet};

use corm::{Config, ReadOptions, Session, TryStreamExt};
use corm_examples::generated::{
    Address, Db, MIGRATIONS, Order, OrderPartition, OrderStatus, PageViewsKey,
};

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
        println!(
            "applied migration {} {} ({} statements)",
            applied.id, applied.name, applied.statements_run
        );
    }
    let again = db.migrate().await?;
    println!(
        "migrating again: {} of {} migrations to apply",
        again.applied.len(),
        MIGRATIONS.len()
    );

    let customer = corm::Uuid::new_v4();
    for (n, status) in [
        OrderStatus::Paid,
        OrderStatus::Shipped,
        OrderStatus::Pending,
    ]
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
        db.order().insert(&order).await?;
        if n == 0 {
            let again = db.order().insert_if_not_exists(&order).await?;
            println!("IF NOT EXISTS on an existing order applied: {again}");
        }
    }

    let newest_first: Vec<Order> = db
        .order()
        .partition(
            &OrderPartition {
                customer_id: customer,
            },
            &ReadOptions::default().page_size(2),
        )
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

    if let Some(oldest) = newest_first.last() {
        db.order().delete(&oldest.key()).await?;
        println!("deleted order {}", oldest.id);
    }
    Ok(())
}
