//! Names a schema states for what already exists, through the code
//! generated for the `names` fixture, against a real node: explicit index
//! names, `keys(m)` and `entries(m)` indexes serving `contains key` and
//! `m[?k] = ?v`, a table name, and the lookup table of a `@unique` field.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use corm::testing::with_keyspace;
use corm::{CqlTimeuuid, Error, Session, TryStreamExt, Uuid};
use corm_codegen_fixtures::names::{Db, Journal, Member};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn entry(id: &str, sequence_nr: i64, tags: &[(&str, &str)]) -> Journal {
    Journal::new(
        id.to_owned(),
        0,
        sequence_nr,
        CqlTimeuuid::from_bytes([
            0x5a,
            0x3b,
            0x1c,
            0x00,
            0x0c,
            0x3f,
            0x11,
            0xf0,
            0x80,
            0,
            0,
            0,
            0,
            0,
            0,
            sequence_nr as u8,
        ]),
        vec![1, 2, 3],
        tags.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[tokio::test]
async fn stated_names_reach_the_database_and_serve_queries() {
    with_keyspace("names", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();

        let indexes: Vec<(String, String, BTreeMap<String, String>)> = session
            .query(
                "SELECT table_name, index_name, options FROM system_schema.indexes WHERE keyspace_name = ?",
                (keyspace.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows::<(String, String, BTreeMap<String, String>)>()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let targets: Vec<(&str, &str, &str)> = indexes
            .iter()
            .map(|(table, name, options)| {
                (table.as_str(), name.as_str(), options.get("target").map_or("", String::as_str))
            })
            .collect();
        assert!(targets.contains(&("messages", "messages_tag_keys", "keys(tags)")), "{targets:?}");
        assert!(
            targets.contains(&("messages", "messages_tag_entries", "entries(tags)")),
            "{targets:?}"
        );

        let journal = db.journal();
        journal.insert(&entry("a", 1, &[("kind", "created")])).await.unwrap();
        journal.insert(&entry("a", 2, &[("kind", "renamed"), ("by", "ann")])).await.unwrap();
        journal.insert(&entry("b", 1, &[("by", "bob")])).await.unwrap();

        let mut by_key: Vec<(String, i64)> = journal
            .tagged_with_key("by")
            .await
            .unwrap()
            .map_ok(|row| (row.persistence_id, row.sequence_nr))
            .try_collect()
            .await
            .unwrap();
        by_key.sort();
        assert_eq!(by_key, vec![("a".to_owned(), 2), ("b".to_owned(), 1)]);
        let renamed: Vec<Journal> = journal
            .tagged("kind", "renamed")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(renamed.len(), 1);
        assert_eq!(renamed[0].sequence_nr, 2);

        // The `@unique` claim lives in the table the schema names.
        let members = db.member();
        members
            .insert(&Member::new(Uuid::new_v4(), "ann@example.com".to_owned()))
            .await
            .unwrap();
        let err = members
            .insert(&Member::new(Uuid::new_v4(), "ann@example.com".to_owned()))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Unique { field: "email", .. }), "{err:?}");
        let claims: Vec<(String,)> = session
            .query("SELECT email FROM members_by_mail", ())
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows::<(String,)>()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(claims, vec![("ann@example.com".to_owned(),)]);
    })
    .await;
}
