//! Static columns through the code generated for the `static_column`
//! fixture, against a real node: a patch that sets static columns only
//! updates the partition (Cassandra refuses a clustering key in such an
//! update), a patch that also sets a regular column updates its row.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use corm::testing::with_keyspace;
use corm::{CqlTimeuuid, Session, Uuid};
use corm_codegen_fixtures::static_column::{Db, Message, MessagePatch};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

/// A version 1 (time-based) UUID, `n` in its last byte.
fn at(n: u8) -> CqlTimeuuid {
    CqlTimeuuid::from_bytes([
        0x5a, 0x3b, 0x1c, 0x00, 0x0c, 0x3f, 0x11, 0xf0, 0x80, 0x00, 0, 0, 0, 0, 0, n,
    ])
}

#[tokio::test]
async fn a_patch_of_static_columns_updates_the_partition() {
    with_keyspace("static_patch", |session| async move {
        let db = db(session).await;
        let messages = db.message();
        let room = Uuid::new_v4();
        let first = Message::new(room, at(1), "hello".to_owned());
        let second = Message::new(room, at(2), "again".to_owned());
        messages.insert(&first).await.unwrap();
        messages.insert(&second).await.unwrap();

        // Only the static title: by partition, and every row of it sees it.
        messages
            .update(
                &first.key(),
                &MessagePatch::default().title(Some("Lobby".to_owned())),
            )
            .await
            .unwrap();
        for message in [&first, &second] {
            let read = messages.get(&message.key()).await.unwrap().unwrap();
            assert_eq!(read.title.as_deref(), Some("Lobby"));
            assert_eq!(read.body, message.body);
        }

        // A regular column too: by the full key, one row's body changes.
        messages
            .update(
                &second.key(),
                &MessagePatch::default()
                    .title(Some("Hall".to_owned()))
                    .body("edited".to_owned()),
            )
            .await
            .unwrap();
        let first_read = messages.get(&first.key()).await.unwrap().unwrap();
        let second_read = messages.get(&second.key()).await.unwrap().unwrap();
        assert_eq!(
            (first_read.title.as_deref(), first_read.body.as_str()),
            (Some("Hall"), "hello")
        );
        assert_eq!(
            (second_read.title.as_deref(), second_read.body.as_str()),
            (Some("Hall"), "edited")
        );

        // With options as well (`USING TTL ? AND TIMESTAMP ?`).
        messages
            .with(corm::Options::new())
            .update(&first.key(), &MessagePatch::default().title(None))
            .await
            .unwrap();
        assert_eq!(
            messages.get(&second.key()).await.unwrap().unwrap().title,
            None
        );
    })
    .await;
}
