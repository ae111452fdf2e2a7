//! An `open enum` through the code generated for the `open_enums` fixture,
//! against a real node: text another writer stored that the schema does not
//! list reads as `Other(text)` (in a key, an optional column, a set and a
//! map key) instead of failing the row, writes back unchanged, and works as
//! a query parameter and in a client-side aggregate's `group by`, `max`,
//! `having` and `order`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use corm::testing::with_keyspace;
use corm::{Options, Session, Uuid};
use corm_codegen_fixtures::open_enums::{Channel, Db, Notification};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

#[test]
fn unlisted_text_is_a_value_of_its_own() {
    assert_eq!(Channel::from_text("sms"), Channel::Sms);
    assert_eq!(Channel::from_text("fax"), Channel::Other("fax".to_owned()));
    assert_eq!(
        "fax".parse::<Channel>(),
        Ok(Channel::Other("fax".to_owned()))
    );
    assert_eq!(
        Channel::Other("email".to_owned()),
        Channel::Email,
        "equal texts"
    );
    assert!(
        Channel::Push < Channel::Other("a".to_owned()),
        "listed first"
    );
    assert_eq!(Channel::Other("fax".to_owned()).to_string(), "fax");
    assert_eq!(Channel::ALL.len(), 3);
}

#[tokio::test]
async fn text_other_writers_stored_reads_writes_and_queries() {
    with_keyspace("open_enums", |session| async move {
        let db = db(session).await;
        let notifications = db.notification();
        let fax = Channel::from_text("fax");
        let ours = Notification {
            channel: Channel::Email,
            id: Uuid::new_v4(),
            fallback: Some(fax.clone()),
            tried: BTreeSet::from([Channel::Sms, fax.clone()]),
            by_kind: BTreeMap::from([(Channel::Push, 1), (fax.clone(), 2)]),
            attempts: 3,
        };
        notifications.insert(&ours).await.unwrap();
        assert_eq!(
            notifications.get(&ours.key()).await.unwrap(),
            Some(ours.clone())
        );

        // Another service writes channels this schema has never heard of.
        let theirs = Uuid::new_v4();
        let statement = format!(
            "INSERT INTO \"{}\".notification(channel, id, fallback, tried, by_kind, attempts) \
             VALUES ('pigeon', ?, 'carrier', {{'pigeon', 'email'}}, {{'pigeon': 7}}, 4)",
            db.keyspace()
        );
        db.session().query(&statement, (theirs,)).await.unwrap();
        let pigeon = Channel::from_text("pigeon");
        let read = notifications.by_channel(&pigeon, 10).await.unwrap();
        assert_eq!(read.len(), 1);
        let row = &read[0];
        assert_eq!(row.channel, Channel::Other("pigeon".to_owned()));
        assert_eq!(row.fallback, Some(Channel::Other("carrier".to_owned())));
        assert_eq!(row.tried, BTreeSet::from([Channel::Email, pigeon.clone()]));
        assert_eq!(row.by_kind, BTreeMap::from([(pigeon.clone(), 7)]));

        // Written back, the other writer's text is kept as it was.
        let mut copy = row.clone();
        copy.id = Uuid::new_v4();
        notifications.insert(&copy).await.unwrap();
        let statement = format!(
            "SELECT channel, fallback FROM \"{}\".notification WHERE channel = 'pigeon' AND id = ?",
            db.keyspace()
        );
        let stored: (String, String) = db
            .session()
            .query(&statement, (copy.id,))
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert_eq!(stored, ("pigeon".to_owned(), "carrier".to_owned()));

        // A client-side aggregate groups, compares and orders by the text.
        for (fallback, attempts) in [(Some("zeppelin"), 5), (Some("carrier"), 1), (None, 9)] {
            let mut row = copy.clone();
            row.id = Uuid::new_v4();
            row.fallback = fallback.map(Channel::from_text);
            row.attempts = attempts;
            notifications.insert(&row).await.unwrap();
        }
        let groups = notifications
            .with(Options::default().page_size(2))
            .attempts_by_fallback(&pigeon, &Channel::from_text("carrier"))
            .await
            .unwrap();
        let summary: Vec<(Option<String>, i32)> = groups
            .iter()
            .map(|group| {
                (
                    group.latest.as_ref().map(|c| c.as_str().to_owned()),
                    group.total,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some("zeppelin".to_owned()), 5),
                (Some("carrier".to_owned()), 4 + 4 + 1)
            ],
            "groups at or above `carrier`, greatest first"
        );
    })
    .await;
}
