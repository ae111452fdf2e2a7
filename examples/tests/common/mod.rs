//! What the example's integration tests share.

use corm::Session;
use corm_examples::generated::Db;

/// A `Db` on the test keyspace, set up by `Db::setup` (the schema's
/// migrations).
pub async fn db(session: Session) -> Db {
    let keyspace = session
        .keyspace()
        .unwrap_or_else(|| panic!("the test keyspace"));
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap_or_else(|e| panic!("setup: {e}"));
    db
}
