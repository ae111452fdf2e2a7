//! Named mutations through the code generated for the `mutations` fixture,
//! against a real node: collection elements and map entries added and
//! removed, single columns deleted, static columns written by partition,
//! range deletes, counter deltas, and conditional updates and deletes under
//! concurrency (exactly one writer wins; the others get the current values).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use corm::testing::with_keyspace;
use corm::{Conditional, CqlTimeuuid, Session, Uuid};
use corm_codegen_fixtures::mutations::{Db, Likes, Message, RenameCurrent, Room};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn names(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

fn room(id: Uuid) -> Room {
    let mut room = Room::new(
        id,
        "lobby".to_owned(),
        BTreeSet::new(),
        Vec::new(),
        BTreeMap::new(),
        1,
    );
    room.topic = Some("welcome".to_owned());
    room
}

/// A version 1 (time-based) UUID, `n` in its last byte.
fn at(n: u8) -> CqlTimeuuid {
    CqlTimeuuid::from_bytes([
        0x5a, 0x3b, 0x1c, 0x00, 0x0c, 0x3f, 0x11, 0xf0, 0x80, 0x00, 0, 0, 0, 0, 0, n,
    ])
}

#[tokio::test]
async fn collections_entries_and_columns_change_in_place() {
    with_keyspace("mutations_collections", |session| async move {
        let db = db(session).await;
        let rooms = db.room();
        let id = Uuid::new_v4();
        rooms.insert(&room(id)).await.unwrap();

        rooms
            .add_participants(&names(&["ann", "bob"]), id)
            .await
            .unwrap();
        rooms.add_participants(&names(&["cy"]), id).await.unwrap();
        rooms
            .remove_participants(&names(&["bob"]), id)
            .await
            .unwrap();
        rooms
            .append_moderators(&["ann".to_owned()], id)
            .await
            .unwrap();
        rooms
            .append_moderators(&["cy".to_owned(), "ann".to_owned()], id)
            .await
            .unwrap();
        rooms.put_setting("color", "blue", id).await.unwrap();
        rooms.put_setting("lang", "en", id).await.unwrap();
        rooms.put_setting("mode", "quiet", id).await.unwrap();
        rooms.drop_setting("color", id).await.unwrap();
        rooms.drop_settings(&names(&["mode"]), id).await.unwrap();
        rooms.clear_topic(id).await.unwrap();

        let read = rooms.get(&room(id).key()).await.unwrap().unwrap();
        assert_eq!(read.participants, names(&["ann", "cy"]));
        assert_eq!(read.moderators, vec!["ann", "cy", "ann"]);
        assert_eq!(
            read.settings,
            BTreeMap::from([("lang".to_owned(), "en".to_owned())])
        );
        assert_eq!(read.topic, None);
        assert_eq!(read.name, "lobby", "columns not named are left alone");
        assert!(read.updated_at.is_some(), "`set` stamps @on_update(now)");
    })
    .await;
}

/// The TTL left on `column` of the room `id`.
async fn ttl_of(session: &Session, column: &str, id: Uuid) -> Option<i32> {
    session
        .query(
            &format!("SELECT TTL({column}) FROM room WHERE id = ?"),
            (id,),
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .single_row::<(Option<i32>,)>()
        .unwrap()
        .0
}

#[tokio::test]
async fn the_ttl_of_the_options_applies_to_the_cells_written() {
    with_keyspace("mutations_ttl", |session| async move {
        let db = db(session.clone()).await;
        let id = Uuid::new_v4();
        db.room().insert(&room(id)).await.unwrap();
        db.room()
            .with(corm::Options::new().ttl(3600))
            .add_participants(&names(&["ann"]), id)
            .await
            .unwrap();
        assert_eq!(
            ttl_of(&session, "name", id).await,
            None,
            "the name was not written by the mutation"
        );
        let updated_ttl = ttl_of(&session, "updated_at", id).await;
        assert!(
            updated_ttl.is_some_and(|t| t > 3500 && t <= 3600),
            "{updated_ttl:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn conditional_updates_let_exactly_one_concurrent_writer_win() {
    with_keyspace("mutations_lwt", |session| async move {
        let db = db(session).await;
        let id = Uuid::new_v4();
        db.room().insert(&room(id)).await.unwrap();

        // Eight writers read version 1 and race to rename.
        let writers = (0..8).map(|n| {
            let db = db.clone();
            async move {
                let name = format!("room {n}");
                (n, db.room().rename(&name, 2, id, 1).await.unwrap())
            }
        });
        let outcomes = corm::futures::future::join_all(writers).await;
        let winners: Vec<usize> = outcomes
            .iter()
            .filter(|(_, outcome)| outcome.applied())
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(winners.len(), 1, "{outcomes:?}");
        for (_, outcome) in &outcomes {
            if let Conditional::NotApplied(current) = outcome {
                assert_eq!(current, &RenameCurrent { version: Some(2) });
            }
        }
        let read = db.room().get(&room(id).key()).await.unwrap().unwrap();
        assert_eq!(read.name, format!("room {}", winners[0]));
        assert_eq!(read.version, 2);

        // `if exists` on a missing row writes nothing.
        let missing = Uuid::new_v4();
        assert!(!db.room().retitle("ghost", missing).await.unwrap());
        assert!(db.room().get(&room(missing).key()).await.unwrap().is_none());
        assert!(db.room().retitle("renamed", id).await.unwrap());

        // A conditional delete applies once.
        assert!(db.room().close(id).await.unwrap());
        assert!(!db.room().close(id).await.unwrap());
        // On a missing row the condition reads nothing.
        assert_eq!(
            db.room().rename("x", 3, id, 2).await.unwrap(),
            Conditional::NotApplied(RenameCurrent { version: None })
        );
    })
    .await;
}

#[tokio::test]
async fn deletes_by_list_range_and_static_column_by_partition() {
    with_keyspace("mutations_rows", |session| async move {
        let db = db(session).await;
        let (a, b, c) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        for id in [a, b, c] {
            db.room().insert(&room(id)).await.unwrap();
        }
        db.room().close_all(&[a, b]).await.unwrap();
        assert!(db.room().get(&room(a).key()).await.unwrap().is_none());
        assert!(db.room().get(&room(b).key()).await.unwrap().is_none());
        assert!(db.room().get(&room(c).key()).await.unwrap().is_some());

        let messages = db.message();
        let chat = Uuid::new_v4();
        for n in 1..=5 {
            messages
                .insert(&Message::new(chat, at(n), format!("message {n}")))
                .await
                .unwrap();
        }
        messages.pin("read the rules", chat).await.unwrap();
        messages.delete_before(chat, at(3)).await.unwrap();
        let left: Vec<Message> = corm::TryStreamExt::try_collect(
            messages
                .partition(&Message::new(chat, at(1), String::new()).partition_key())
                .await
                .unwrap(),
        )
        .await
        .unwrap();
        let bodies: Vec<&str> = left.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(bodies, vec!["message 5", "message 4", "message 3"]);
        assert!(
            left.iter()
                .all(|m| m.pinned.as_deref() == Some("read the rules"))
        );
    })
    .await;
}

#[tokio::test]
async fn counters_move_by_deltas() {
    with_keyspace("mutations_counters", |session| async move {
        let db = db(session).await;
        let post = Uuid::new_v4();
        db.likes().like(5, post).await.unwrap();
        db.likes().unlike(2, post).await.unwrap();
        db.likes().like(1, post).await.unwrap();
        let read: Likes = db
            .likes()
            .get(&Likes::new(post, corm::Counter(0)).key())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.likes, corm::Counter(4));
    })
    .await;
}
