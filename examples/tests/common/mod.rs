//! What the example's integration tests share.

use corm::Session;
use corm_examples::generated::{Db, Order, OrderStatus};

/// A `Db` on the test keyspace, set up by `Db::setup` (the schema's
/// migrations).
#[allow(dead_code)] // Not every test file uses it.
pub async fn db(session: Session) -> Db {
    let keyspace = session
        .keyspace()
        .unwrap_or_else(|| panic!("the test keyspace"));
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap_or_else(|e| panic!("setup: {e}"));
    db
}

/// A paid order of one item for a new customer, every optional column
/// empty.
#[allow(dead_code)] // Not every test file uses it.
pub fn order() -> Order {
    Order::new(
        corm::Uuid::new_v4(),
        OrderStatus::Paid,
        1,
        1,
        false,
        Vec::new(),
        Default::default(),
        Default::default(),
        Vec::new(),
        Default::default(),
    )
}
