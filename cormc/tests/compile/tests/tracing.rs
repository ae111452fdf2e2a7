//! Tracing through the code generated for the `named_queries` fixture,
//! against a real node: a span per request named after the generated
//! operation (`otel.name`), with OpenTelemetry's database attributes
//! filled from the call (keyspace, table, operation, consistency, rows,
//! coordinator, error type, statement text) and no bound value anywhere
//! unless the session opts in.
//!
//! The subscriber is a small `tracing-subscriber` layer written for the
//! tests (`support/spans.rs`) that keeps every span's fields as text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/spans.rs"]
mod spans;

use std::collections::BTreeSet;

use corm::chrono::DateTime;
use corm::scylla::statement::Consistency;
use corm::testing::with_keyspace;
use corm::{Options, Session, Uuid};
use corm_codegen_fixtures::named_queries::{Db, Post, PostKey, PostPatch, PostStatus};
use spans::Spans;
use tracing_subscriber::layer::SubscriberExt;

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

fn post(author: Uuid, minute: i64, title: &str) -> Post {
    Post {
        author_id: author,
        created_at: DateTime::from_timestamp(1_700_000_000 + 60 * minute, 0).unwrap(),
        title: title.to_owned(),
        category: "rust".to_owned(),
        status: PostStatus::Draft,
        likes: 3,
        rating: None,
        tags: BTreeSet::new(),
    }
}

#[tokio::test]
async fn each_request_has_a_span_named_after_its_operation() {
    with_keyspace("tracing_spans", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let db = db(session).await;
        let spans = Spans::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        let _default = tracing::subscriber::set_default(subscriber);

        let author = Uuid::new_v4();
        for minute in 0..3 {
            db.post()
                .insert(&post(author, minute, "a secret title"))
                .await
                .unwrap();
        }
        let first = post(author, 0, "a secret title");
        let key = PostKey {
            author_id: author,
            created_at: first.created_at,
        };
        let found = db
            .post()
            .with(Options::new().consistency(Consistency::One))
            .get(&key)
            .await
            .unwrap();
        assert!(found.is_some());
        let missing = PostKey {
            author_id: Uuid::new_v4(),
            created_at: first.created_at,
        };
        assert_eq!(db.post().get(&missing).await.unwrap(), None);
        db.post()
            .update(
                &key,
                &PostPatch {
                    likes: Some(9),
                    ..PostPatch::default()
                },
            )
            .await
            .unwrap();
        let recent = db
            .post()
            .recent_posts(author, first.created_at, 10)
            .await
            .unwrap();
        assert_eq!(recent.len(), 2);
        let stats = db.post().post_stats(author).await.unwrap();
        assert_eq!(stats.len(), 1);
        db.post().delete(&key).await.unwrap();
        let mut batch = db.batch_logged();
        batch
            .insert(&post(author, 7, "a secret title"))
            .insert(&post(author, 8, "a secret title"));
        batch.run().await.unwrap();

        // Inserts: three spans, each with the attributes of its call.
        let inserts = spans.named("post.insert");
        assert_eq!(inserts.len(), 3);
        for span in &inserts {
            assert_eq!(span.name, "corm.request");
            assert_eq!(span.field("otel.kind"), Some("client"));
            assert_eq!(span.field("db.system.name"), Some("cassandra"));
            assert_eq!(span.field("db.namespace"), Some(keyspace.as_str()));
            assert_eq!(span.field("db.collection.name"), Some("post"));
            assert_eq!(span.field("db.operation.name"), Some("insert"));
            assert_eq!(span.field("server.address"), Some("127.0.0.1"));
            assert_eq!(span.field("server.port"), Some("9042"));
            assert_eq!(span.field("error.type"), None);
            assert_eq!(span.field("db.cassandra.consistency_level"), None);
        }

        // Reads: the rows they returned, the consistency the options set.
        let gets = spans.named("post.get");
        assert_eq!(gets.len(), 2);
        assert_eq!(gets[0].field("db.response.returned_rows"), Some("1"));
        assert_eq!(gets[0].field("db.cassandra.consistency_level"), Some("one"));
        assert_eq!(gets[1].field("db.response.returned_rows"), Some("0"));
        let recent_spans = spans.named("post.recent_posts");
        assert_eq!(recent_spans.len(), 1);
        assert_eq!(
            recent_spans[0].field("db.operation.name"),
            Some("recent_posts")
        );
        assert_eq!(
            recent_spans[0].field("db.response.returned_rows"),
            Some("2")
        );
        assert_eq!(spans.named("post.post_stats").len(), 1);
        assert_eq!(spans.named("post.update").len(), 1);
        assert_eq!(spans.named("post.delete").len(), 1);
        let batches = spans.named("batch.logged");
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].field("db.operation.name"), Some("BATCH"));
        assert_eq!(batches[0].field("db.operation.batch.size"), Some("2"));
        assert_eq!(batches[0].field("server.address"), Some("127.0.0.1"));

        // No bound value is recorded in corm's spans. (The driver's own
        // `Request` spans, target `scylla`, carry the partition key: a
        // subscriber that must not see values filters them out.)
        for span in spans
            .all()
            .into_iter()
            .filter(|span| span.name == "corm.request")
        {
            for value in span.fields.values() {
                assert!(!value.contains("secret"), "{span:?}");
                assert!(!value.contains(&author.to_string()), "{span:?}");
            }
        }

        // A failure records its kind.
        session_error(&db).await;
        let failed = spans.named("post.get");
        assert_eq!(
            failed.last().and_then(|span| span.field("error.type")),
            Some("statement")
        );
    })
    .await;
}

/// A `get` that the node refuses: its table is gone.
async fn session_error(db: &Db) {
    db.session().run_ddl("DROP TABLE post").await.unwrap();
    let key = PostKey {
        author_id: Uuid::new_v4(),
        created_at: DateTime::from_timestamp(0, 0).unwrap(),
    };
    assert!(db.post().get(&key).await.is_err());
}

#[tokio::test]
async fn bound_values_are_recorded_only_when_the_session_opts_in() {
    with_keyspace("tracing_values", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let plain = db(session.clone()).await;
        let traced = Db::new(session.with_traced_values(true), keyspace);
        let spans = Spans::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        let _default = tracing::subscriber::set_default(subscriber);

        let author = Uuid::new_v4();
        let row = post(author, 0, "a secret title");
        let key = PostKey {
            author_id: author,
            created_at: row.created_at,
        };
        plain.post().insert(&row).await.unwrap();
        traced.post().get(&key).await.unwrap().unwrap();

        let insert = &spans.named("post.insert")[0];
        let text = insert.field("db.query.text").unwrap();
        assert!(
            text.starts_with("INSERT INTO ") && text.contains('?'),
            "{text}"
        );
        assert_eq!(insert.field("db.query.parameters"), None, "{insert:?}");
        let get = &spans.named("post.get")[0];
        assert!(get.field("db.query.text").unwrap().starts_with("SELECT "));
        // `author_id` and `created_at`, as the node received them.
        assert_eq!(
            get.field("db.query.parameters"),
            Some(
                format!(
                    "[{author}, {}]",
                    row.created_at.format("'%Y-%m-%d %H:%M:%S%.3f%z'")
                )
                .as_str()
            ),
            "{get:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn each_migration_statement_has_a_span() {
    use corm::migrate::{Migration, MigrationStatement, Migrator};

    with_keyspace("tracing_migrations", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let statement = |cql: &str| {
            MigrationStatement::new(cql.split("{ks}").map(str::to_owned).collect::<Vec<_>>())
        };
        let migrations = [Migration::new(
            1,
            "notes".to_owned(),
            "0000000000000001".to_owned(),
            vec![
                statement("CREATE TABLE {ks}.notes (id int PRIMARY KEY, body text)"),
                statement("ALTER TABLE {ks}.notes ADD author text"),
            ],
        )];
        let spans = Spans::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        let _default = tracing::subscriber::set_default(subscriber);
        Migrator::new(&session, &keyspace, &migrations)
            .up()
            .await
            .unwrap();
        let statements = spans.named("migration.statement");
        assert_eq!(statements.len(), 2);
        for (index, span) in statements.iter().enumerate() {
            assert_eq!(span.name, "corm.migration");
            assert_eq!(span.field("db.namespace"), Some(keyspace.as_str()));
            assert_eq!(span.field("corm.migration.id"), Some("1"));
            assert_eq!(span.field("corm.migration.name"), Some("notes"));
            assert_eq!(
                span.field("corm.migration.statement"),
                Some(index.to_string().as_str())
            );
            assert_eq!(span.field("server.address"), Some("127.0.0.1"));
        }
    })
    .await;
}

#[tokio::test]
async fn server_warnings_and_slow_requests_are_logged_in_their_operation() {
    with_keyspace("tracing_warnings", |session| async move {
        let keyspace = session.keyspace().unwrap();
        db(session.clone()).await;
        // Every request counts as slow on this session.
        let db = Db::new(
            session.with_slow_request_threshold(Some(std::time::Duration::ZERO)),
            keyspace,
        );
        let spans = Spans::default();
        let subscriber = tracing_subscriber::registry().with(spans.clone());
        let _default = tracing::subscriber::set_default(subscriber);

        // A logged batch over two partitions and the node's 5 KiB warning
        // threshold.
        let author = Uuid::new_v4();
        let long = "a secret title ".repeat(300);
        let mut batch = db.batch_logged();
        batch
            .insert(&post(author, 1, &long))
            .insert(&post(Uuid::new_v4(), 2, &long));
        batch.run().await.unwrap();
        let warnings = spans.events("the node warned about a request");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (within, warning) = &warnings[0];
        assert_eq!(within.as_deref(), Some("batch.logged"));
        let text = warning.field("warning").unwrap();
        assert!(text.contains("exceeding specified threshold"), "{text}");

        // Slow requests name their statement, never their values.
        db.post()
            .insert(&post(author, 3, "a secret title"))
            .await
            .unwrap();
        let slow = spans.events("slow request");
        let (within, event) = slow
            .iter()
            .find(|(within, _)| within.as_deref() == Some("post.insert"))
            .unwrap_or_else(|| panic!("{slow:?}"));
        assert_eq!(within.as_deref(), Some("post.insert"));
        let statement = event.field("statement").unwrap();
        assert!(statement.starts_with("INSERT INTO"), "{statement}");
        assert!(event.field("elapsed_ms").is_some());
        for (_, event) in slow.iter().chain(&warnings) {
            for value in event.fields.values() {
                assert!(!value.contains("secret"), "{event:?}");
            }
        }
    })
    .await;
}
