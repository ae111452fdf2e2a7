//! The runtime as generated code uses it, against a real node: the rows,
//! UDTs and enum that `cormc` generates for the `runtime_primitives` fixture,
//! with statements built by hand, lazily prepared, paged, batched,
//! conditional and with per-call options. Each test runs in a keyspace of
//! its own.

// The repository below is test support: it panics like the tests do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use corm::chrono::{TimeZone, Utc};
use corm::testing::with_keyspace;
use corm::{
    BigDecimal, BigInt, CqlDuration, CqlTimeuuid, Error, Options, Session, Statement,
    StatementBatch, StreamExt, Uuid, lwt, paging, rt,
};
use corm_codegen_fixtures::runtime_primitives::{Address, AddressWithPlanet, Event, Role, User};

// ---------------------------------------------------------------------------
// The schema: the types come from the `runtime_primitives` fixture; the
// tables are created here, with a UDT that has a field the Rust type lacks.
// ---------------------------------------------------------------------------

const DDL: &[&str] = &[
    // `country` is in the database's type but not in the Rust one: written as null.
    "CREATE TYPE address (street text, city text, zip text, country text)",
    "CREATE TABLE users (
        id uuid PRIMARY KEY,
        name text,
        nickname text,
        role text,
        address address,
        tags set<text>,
        scores map<text, int>,
        created_at timestamp,
        version timeuuid,
        balance decimal,
        karma varint,
        session_length duration,
        embedding vector<float, 3>
    )",
    "CREATE TABLE events (user_id uuid, seq int, body text, PRIMARY KEY ((user_id), seq))",
];

const USER_COLUMNS: &str = "id, name, nickname, role, address, tags, scores, created_at, \
                            version, balance, karma, session_length, embedding";

/// The generated repository: statements built with the keyspace, prepared lazily.
struct Db {
    session: Session,
    insert_user: Statement,
    insert_user_if_not_exists: Statement,
    insert_user_with: Statement,
    get_user: Statement,
    rename_user_if: Statement,
    insert_event: Statement,
    events_of: Statement,
    delete_event: Statement,
}

impl Db {
    fn new(session: Session) -> Self {
        let ks = session.keyspace().expect("a keyspace");
        let insert = format!(
            "INSERT INTO {ks}.users({USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        );
        Self {
            insert_user_if_not_exists: Statement::new(format!("{insert} IF NOT EXISTS")),
            insert_user_with: Statement::new(format!("{insert} USING TTL ? AND TIMESTAMP ?")),
            insert_user: Statement::new(insert),
            get_user: Statement::new(format!(
                "SELECT {USER_COLUMNS} FROM {ks}.users WHERE id = ?"
            )),
            rename_user_if: Statement::new(format!(
                "UPDATE {ks}.users SET name = ? WHERE id = ? IF name = ?"
            )),
            insert_event: Statement::new(format!(
                "INSERT INTO {ks}.events(user_id, seq, body) VALUES (?, ?, ?)"
            )),
            events_of: Statement::new(format!(
                "SELECT user_id, seq, body FROM {ks}.events WHERE user_id = ?"
            )),
            delete_event: Statement::new(format!(
                "DELETE FROM {ks}.events WHERE user_id = ? AND seq = ?"
            )),
            session,
        }
    }

    async fn create_schema(&self) {
        for ddl in DDL {
            self.session.run_ddl(ddl).await.unwrap();
        }
    }

    async fn insert_user(&self, user: &User) -> corm::Result<()> {
        let prepared = self.insert_user.prepared(&self.session).await?;
        self.session.execute(prepared, user).await?;
        Ok(())
    }

    async fn get_user(&self, id: Uuid) -> corm::Result<Option<User>> {
        let prepared = self.get_user.prepared(&self.session).await?;
        self.session.execute_first(prepared, (id,)).await
    }
}

fn user(n: u8) -> User {
    User {
        id: Uuid::from_bytes([n; 16]),
        name: format!("user {n}; 'quoted' ✓"),
        nickname: Some(format!("u{n}")),
        role: Role::Admin,
        address: Some(Address {
            street: "1 Main St".into(),
            city: "Springfield".into(),
            zip: None,
        }),
        tags: ["a".to_owned(), "b".to_owned()].into(),
        scores: [("x".to_owned(), -1), ("y".to_owned(), i32::MAX)].into(),
        // Cassandra keeps milliseconds.
        created_at: Utc.timestamp_millis_opt(1_764_000_000_123).unwrap(),
        // A version 1 (time-based) UUID.
        version: CqlTimeuuid::from_bytes([
            0x5a, 0x3b, 0x1c, 0x00, 0x0c, 0x3f, 0x11, 0xf0, 0x80, 0x00, 0, 0, 0, 0, 0, n,
        ]),
        // -62.161, exactly.
        balance: BigDecimal::new(BigInt::from(-62_161), 3),
        // 2^64 + 1.
        karma: BigInt::from(u64::MAX) + 2,
        session_length: Some(CqlDuration {
            months: 1,
            days: 2,
            nanoseconds: 3_000_000_004,
        }),
        embedding: Some(corm::Vector::from([0.5, -1.25, 3.0])),
    }
}

fn sparse_user(n: u8) -> User {
    User {
        nickname: None,
        role: Role::Member,
        address: None,
        tags: BTreeSet::new(),
        scores: BTreeMap::new(),
        session_length: None,
        embedding: None,
        ..user(n)
    }
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[tokio::test]
async fn every_type_round_trips() {
    with_keyspace("round_trip", |session| async move {
        let db = Db::new(session.clone());
        db.create_schema().await;
        let (full, sparse) = (user(1), sparse_user(2));
        db.insert_user(&full).await.unwrap();
        db.insert_user(&sparse).await.unwrap();
        assert_eq!(db.get_user(full.id).await.unwrap(), Some(full.clone()));
        assert_eq!(db.get_user(sparse.id).await.unwrap(), Some(sparse.clone()));
        assert_eq!(db.get_user(Uuid::nil()).await.unwrap(), None);

        // The database's `country` field, unknown to the Rust type, was written as null.
        let (country,): (Option<String>,) = session
            .query("SELECT address.country FROM users WHERE id = ?", (full.id,))
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert_eq!(country, None);

        // A Rust UDT field missing from the database is an error naming it, both ways.
        session
            .run_ddl("CREATE TABLE places (id int PRIMARY KEY, address address)")
            .await
            .unwrap();
        let insert = session
            .prepare("INSERT INTO places (id, address) VALUES (?, ?)")
            .await
            .unwrap();
        let planet = AddressWithPlanet {
            street: "1 Main St".into(),
            planet: "Mars".into(),
        };
        let err = session.execute(&insert, (1, planet)).await.unwrap_err();
        assert!(err.to_string().contains("field `planet`"), "{err}");
        assert!(err.to_string().contains("AddressWithPlanet"), "{err}");
        let select = session
            .prepare("SELECT address FROM places WHERE id = ?")
            .await
            .unwrap();
        session
            .execute(&insert, (2, full.address.clone()))
            .await
            .unwrap();
        let err = session
            .execute_first::<(AddressWithPlanet,)>(&select, (2,))
            .await
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(err, Error::TypeCheck { .. }), "{err:?}");
        let chain = error_chain(&err);
        assert!(chain.contains("field `planet`"), "{chain}");

        // An enum value the Rust type does not know names the type and the value.
        session
            .query(
                "UPDATE users SET role = 'superuser' WHERE id = ?",
                (full.id,),
            )
            .await
            .unwrap();
        let err = db.get_user(full.id).await.unwrap_err();
        assert!(matches!(err, Error::Deserialize { .. }), "{err:?}");
        let chain = error_chain(&err);
        assert!(
            chain.contains("\"superuser\" is not a variant of"),
            "{chain}"
        );
        assert!(chain.contains("Role"), "{chain}");
        assert!(chain.contains("role"), "the column is named: {chain}");

        // A wrong number of bind markers is the driver's own error.
        let err = session
            .execute(db.get_user.prepared(&session).await.unwrap(), &full)
            .await
            .unwrap_err();
        let chain = error_chain(&err);
        assert!(chain.contains("wrong column count"), "{chain}");
    })
    .await;
}

#[tokio::test]
async fn paging_as_a_stream_and_with_tokens() {
    with_keyspace("paging", |session| async move {
        let db = Db::new(session.clone());
        db.create_schema().await;
        let owner = Uuid::from_bytes([7; 16]);
        let insert = db.insert_event.prepared(&session).await.unwrap();
        let expected: Vec<Event> = (0..17)
            .map(|seq| Event {
                user_id: owner,
                seq,
                body: format!("event {seq}"),
            })
            .collect();
        for event in &expected {
            session.execute(insert, event).await.unwrap();
        }
        let select = db.events_of.prepared(&session).await.unwrap();

        let stream = paging::stream::<Event>(&session, select.clone(), (owner,), Some(5))
            .await
            .unwrap();
        let streamed: Vec<Event> = stream.map(Result::unwrap).collect().await;
        assert_eq!(streamed, expected);

        // With read options applied to the statement, in a spawned task (Send + 'static).
        let options = Options::new()
            .consistency(corm::Consistency::One)
            .page_size(5);
        let stream =
            paging::stream::<Event>(&session, options.apply(select).into_owned(), (owner,), None)
                .await
                .unwrap();
        let count = tokio::spawn(stream.count()).await.unwrap();
        assert_eq!(count, 17);

        let mut token: Option<corm::PagingToken> = None;
        let mut pages = Vec::new();
        loop {
            let page = paging::page::<Event>(
                &session,
                select,
                (owner,),
                Some(5),
                token.as_ref().map(corm::PagingToken::as_bytes),
            )
            .await
            .unwrap();
            pages.push(page.rows);
            match page.next {
                // Tokens survive a trip through plain bytes (an API's cursor).
                Some(next) => token = Some(corm::PagingToken::from_bytes(next.as_bytes().to_vec())),
                None => break,
            }
        }
        assert!(pages.len() > 3, "{} pages", pages.len());
        assert!(pages.iter().all(|page| page.len() <= 5));
        assert_eq!(pages.concat(), expected);

        let err = paging::page::<Event>(&session, select, (owner,), Some(0), None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidPageSize { page_size: 0, .. }),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn batches_of_different_statements() {
    with_keyspace("batches", |session| async move {
        let db = Db::new(session.clone());
        db.create_schema().await;
        let insert_user = db.insert_user.prepared(&session).await.unwrap().clone();
        let insert_event = db.insert_event.prepared(&session).await.unwrap().clone();
        let delete_event = db.delete_event.prepared(&session).await.unwrap().clone();
        let events = db.events_of.prepared(&session).await.unwrap().clone();
        let owner = user(3);
        let event = |seq: i32| Event {
            user_id: owner.id,
            seq,
            body: format!("e{seq}"),
        };

        let logged = StatementBatch::logged()
            .add(insert_user.clone(), owner.clone())
            .add(insert_event.clone(), event(1))
            .add(insert_event.clone(), event(2));
        assert_eq!(logged.len(), 3);
        logged.run(&session).await.unwrap();
        assert_eq!(db.get_user(owner.id).await.unwrap(), Some(owner.clone()));

        let mut unlogged = StatementBatch::unlogged();
        unlogged.push(delete_event.clone(), (owner.id, 1));
        unlogged.push(insert_event.clone(), event(3));
        unlogged
            .run_with(&session, &Options::new().timestamp(now_micros()))
            .await
            .unwrap();
        let read: Vec<Event> = paging::page::<Event>(&session, &events, (owner.id,), None, None)
            .await
            .unwrap()
            .rows;
        assert_eq!(read, vec![event(2), event(3)]);

        StatementBatch::logged().run(&session).await.unwrap();

        // A failing batch names its size and first statement.
        let err = StatementBatch::unlogged()
            .add(insert_event.clone(), event(4))
            .add(insert_event, (owner.id, 5, 6))
            .run(&session)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Batch { size: 2, .. }), "{err:?}");
        assert!(err.to_string().contains("INSERT INTO"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn insert_if_not_exists_twice() {
    with_keyspace("lwt_insert", |session| async move {
        let db = Db::new(session.clone());
        db.create_schema().await;
        let insert = db
            .insert_user_if_not_exists
            .prepared(&session)
            .await
            .unwrap();
        let first = user(4);
        let second = User {
            name: "second".into(),
            role: Role::Member,
            ..user(4)
        };

        let result = session.execute(insert, &first).await.unwrap();
        let applied = lwt::applied(insert.get_statement(), result).unwrap();
        assert!(applied.applied());
        assert_eq!(applied.column_names().count(), 0);
        assert_eq!(applied.get::<String>("name").unwrap(), None);

        let result = session.execute(insert, &second).await.unwrap();
        let applied = lwt::applied(insert.get_statement(), result).unwrap();
        assert!(!applied.applied());
        assert_eq!(
            applied.get::<String>("name").unwrap(),
            Some(first.name.clone())
        );
        assert_eq!(applied.get::<Role>("role").unwrap(), Some(Role::Admin));
        assert_eq!(
            applied.get::<Option<Address>>("address").unwrap(),
            Some(first.address.clone())
        );
        let err = applied.get::<i32>("name").unwrap_err();
        assert!(err.to_string().contains("column `name`"), "{err}");

        assert_eq!(db.get_user(first.id).await.unwrap(), Some(first));

        // The untyped readers still work.
        let result = session.execute(insert, &second).await.unwrap();
        assert!(!lwt::was_applied(insert.get_statement(), result).unwrap());
    })
    .await;
}

#[tokio::test]
async fn conditional_update_conflict_shows_the_current_value() {
    with_keyspace("lwt_update", |session| async move {
        let db = Db::new(session.clone());
        db.create_schema().await;
        let current = user(5);
        db.insert_user(&current).await.unwrap();
        let rename = db.rename_user_if.prepared(&session).await.unwrap();

        let result = session
            .execute(rename, ("new name", current.id, "not the name"))
            .await
            .unwrap();
        let applied = lwt::applied(rename.get_statement(), result).unwrap();
        assert!(!applied.applied());
        assert_eq!(
            applied.get::<Option<String>>("name").unwrap(),
            Some(Some(current.name.clone()))
        );

        let result = session
            .execute(rename, ("new name", current.id, current.name.as_str()))
            .await
            .unwrap();
        assert!(
            lwt::applied(rename.get_statement(), result)
                .unwrap()
                .applied()
        );
        assert_eq!(
            db.get_user(current.id).await.unwrap().unwrap().name,
            "new name"
        );

        // Not a conditional write: the error says so and names the statement.
        let select = db.get_user.prepared(&session).await.unwrap();
        let result = session.execute(select, (current.id,)).await.unwrap();
        let err = lwt::applied(select.get_statement(), result).unwrap_err();
        assert!(matches!(err, Error::TypeCheck { .. }), "{err:?}");
        assert!(error_chain(&err).contains("[applied]"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn write_options_ttl_timestamp_and_timeout() {
    with_keyspace("write_options", |session| async move {
        let db = Db::new(session.clone());
        db.create_schema().await;
        let insert = db.insert_user_with.prepared(&session).await.unwrap();
        let ttl_and_time = session
            .prepare("SELECT TTL(name), WRITETIME(name) FROM users WHERE id = ?")
            .await
            .unwrap();
        let read_ttl_and_time = |id: Uuid| {
            let session = session.clone();
            let ttl_and_time = ttl_and_time.clone();
            async move {
                session
                    .execute_first::<(Option<i32>, Option<i64>)>(&ttl_and_time, (id,))
                    .await
                    .unwrap()
                    .unwrap()
            }
        };

        // TTL and timestamp bound to `USING TTL ? AND TIMESTAMP ?`.
        let timestamp = 1_700_000_000_000_000;
        let options = Options::new()
            .ttl(3600)
            .timestamp(timestamp)
            .consistency(corm::Consistency::One);
        let with_ttl = user(6);
        session
            .execute(
                &options.apply(insert),
                rt::with_ttl_and_timestamp(&with_ttl, &options),
            )
            .await
            .unwrap();
        let (ttl, written) = read_ttl_and_time(with_ttl.id).await;
        assert!(matches!(ttl, Some(3590..=3600)), "{ttl:?}");
        assert_eq!(written, Some(timestamp));

        // Unset markers: no TTL, the coordinator's time.
        let options = Options::new();
        let plain = user(7);
        let before = now_micros();
        session
            .execute(
                &options.apply(insert),
                rt::with_ttl_and_timestamp(&plain, &options),
            )
            .await
            .unwrap();
        let (ttl, written) = read_ttl_and_time(plain.id).await;
        assert_eq!(ttl, None);
        assert!(
            written.is_some_and(|written| written >= before - 1_000_000),
            "{written:?}"
        );

        // A timestamp set on the statement, for statements without markers.
        let stamped = user(8);
        let options = Options::new().timestamp(timestamp + 1);
        let plain_insert = db.insert_user.prepared(&session).await.unwrap();
        session
            .execute(&options.apply(plain_insert), &stamped)
            .await
            .unwrap();
        assert_eq!(read_ttl_and_time(stamped.id).await.1, Some(timestamp + 1));

        // A 1 ns timeout fails, with an error that says it timed out. Tokio's
        // timer ticks every millisecond, and a local node sometimes answers
        // before the tick (measured: 3 runs in 12), so a request may still
        // succeed: every failure must be a timeout, and one must occur.
        let options = Options::new().timeout(Duration::from_nanos(1));
        let read = Options::new().timeout(Duration::from_nanos(1));
        let select = db.get_user.prepared(&session).await.unwrap();
        let (mut write_timeouts, mut read_timeouts) = (0, 0);
        for _ in 0..20 {
            if let Err(err) = session
                .execute(&options.apply(plain_insert), &user(9))
                .await
            {
                assert!(err.is_timeout(), "{err:?}");
                write_timeouts += 1;
            }
            if let Err(err) = session
                .execute_first::<User>(&read.apply(select), (stamped.id,))
                .await
            {
                assert!(err.is_timeout(), "{err:?}");
                read_timeouts += 1;
            }
            if write_timeouts > 0 && read_timeouts > 0 {
                break;
            }
        }
        assert!(write_timeouts > 0 && read_timeouts > 0);
    })
    .await;
}

#[tokio::test]
async fn a_statement_is_prepared_once_by_concurrent_first_users() {
    with_keyspace("prepare_once", |session| async move {
        let db = Arc::new(Db::new(session.clone()));
        db.create_schema().await;
        assert!(!db.insert_event.is_prepared());
        let tasks: Vec<_> = (0..32)
            .map(|seq| {
                let db = Arc::clone(&db);
                tokio::spawn(async move {
                    let prepared = db.insert_event.prepared(&db.session).await.unwrap();
                    let event = Event {
                        user_id: Uuid::nil(),
                        seq,
                        body: String::new(),
                    };
                    db.session.execute(prepared, event).await.unwrap();
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(db.insert_event.prepare_count(), 1);
        let select = db.events_of.prepared(&session).await.unwrap();
        let stream = paging::stream::<Event>(&session, select.clone(), (Uuid::nil(),), None)
            .await
            .unwrap();
        assert_eq!(stream.count().await, 32);

        // A statement that does not prepare reports its text and is tried again.
        let broken = Statement::new("SELECT * FROM no_such_table");
        for attempt in 1..=2 {
            let err = broken.prepared(&session).await.unwrap_err();
            assert!(matches!(err, Error::Prepare { .. }), "{err:?}");
            assert!(err.to_string().contains("no_such_table"), "{err}");
            assert_eq!(broken.prepare_count(), attempt);
        }
    })
    .await;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

/// The error and all its sources, one message after the other.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut chain = err.to_string();
    let mut source = err.source();
    while let Some(next) = source {
        chain.push_str(" <- ");
        chain.push_str(&next.to_string());
        source = next.source();
    }
    chain
}
