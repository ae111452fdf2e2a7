//! Execution profiles of reads and writes (`Config::reads`,
//! `Config::writes`) through the code generated for the `mutations`
//! fixture, against a real single node (replication factor 1): with writes
//! at consistency `THREE`, which one replica cannot meet, every generated
//! write fails with a typed unavailable error and writes nothing, while
//! reads (at `ONE`) go on; a call's own `Options` win over its profile.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use corm::scylla::statement::Consistency;
use corm::testing::with_keyspace;
use corm::{Config, Options, Profile, RetryPolicy, Session, Uuid};
use corm_codegen_fixtures::mutations::{Db, Room, RoomKey};

fn room(id: Uuid) -> Room {
    Room::new(
        id,
        "lobby".to_owned(),
        BTreeSet::new(),
        Vec::new(),
        BTreeMap::new(),
        1,
    )
}

#[tokio::test]
async fn reads_and_writes_run_with_their_own_profiles() {
    with_keyspace("profiles", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let direct = Db::new(session, keyspace.clone());
        direct.setup().await.unwrap();

        let node = std::env::var("CORM_CONTACT_POINTS")
            .ok()
            .and_then(|points| points.split(',').next().map(str::trim).map(str::to_owned))
            .unwrap_or_else(|| "127.0.0.1:9042".to_owned());
        let config = Config::new([node])
            .consistency(Consistency::LocalQuorum)
            .reads(Profile {
                consistency: Some(Consistency::One),
                ..Profile::default()
            })
            .writes(Profile {
                consistency: Some(Consistency::Three),
                request_timeout: Some(Duration::from_secs(5)),
                ..Profile::default()
            })
            .retry(RetryPolicy::NEVER);
        let db = Db::new(Session::connect(&config).await.unwrap(), keyspace);

        // A write at THREE: one replica cannot meet it, and nothing lands.
        let id = Uuid::new_v4();
        let refused = db.room().insert(&room(id)).await.unwrap_err();
        assert!(refused.is_unavailable(), "{refused}");
        assert!(refused.certainly_not_applied(), "{refused}");
        assert!(direct.room().get(&RoomKey { id }).await.unwrap().is_none());
        let refused = db
            .room()
            .add_participants(&BTreeSet::from(["ann".to_owned()]), id)
            .await
            .unwrap_err();
        assert!(refused.is_unavailable(), "a named mutation: {refused}");

        // The call's own consistency wins over the writes' profile.
        db.room()
            .with(Options::new().consistency(Consistency::One))
            .insert(&room(id))
            .await
            .unwrap();
        // Reads run at ONE: they find the row.
        let found = db.room().get(&RoomKey { id }).await.unwrap();
        assert_eq!(found.map(|row| row.name), Some("lobby".to_owned()));
    })
    .await;
}
