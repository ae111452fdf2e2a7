//! The migration runner against a real node: applying, resuming, the lock
//! and the checks, each test in a keyspace of its own.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use corm::chrono::Utc;
use corm::migrate::{
    Event, LOCK_TABLE, MigrateError, Migration, MigrationState, MigrationStatement, Migrator,
    TRACKING_TABLE,
};
use corm::testing::with_keyspace;
use corm::{Error, Session, Uuid};

/// A statement from CQL where `{ks}` stands for the keyspace.
fn statement(cql: &str) -> MigrationStatement {
    MigrationStatement::new(cql.split("{ks}").map(str::to_owned).collect::<Vec<_>>())
}

/// A migration with a checksum over its statements, as the compiler would.
fn migration(id: u32, name: &str, cql: &[&str]) -> Migration {
    let mut hasher = DefaultHasher::new();
    (id, name, cql).hash(&mut hasher);
    Migration::new(
        id,
        name.to_owned(),
        format!("{:016x}", hasher.finish()),
        cql.iter().map(|cql| statement(cql)).collect::<Vec<_>>(),
    )
}

fn keyspace(session: &Session) -> String {
    session
        .keyspace()
        .unwrap_or_else(|| panic!("the test session has a keyspace"))
}

/// The migrations most tests apply: a type, a table using it, then a column
/// and an index.
fn first_three() -> Vec<Migration> {
    vec![
        migration(
            1,
            "create_address",
            &["CREATE TYPE {ks}.address (street text, city text)"],
        ),
        migration(
            2,
            "create_users",
            &[
                "CREATE TABLE {ks}.users (id uuid PRIMARY KEY, email text, home frozen<{ks}.address>)",
                "CREATE TABLE {ks}.users_by_email (email text PRIMARY KEY, id uuid)",
            ],
        ),
        migration(
            3,
            "users_nickname",
            &[
                "ALTER TABLE {ks}.users ADD nickname text",
                "CREATE INDEX users_email ON {ks}.users (email)",
            ],
        ),
    ]
}

async fn tables(session: &Session) -> Vec<String> {
    let ks = keyspace(session);
    let rows = session
        .query(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?",
            (ks.as_str(),),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_rows_result()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = rows
        .rows::<(String,)>()
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|row| row.unwrap_or_else(|e| panic!("{e}")).0)
        .collect();
    names.sort();
    names
}

async fn columns(session: &Session, table: &str) -> Vec<String> {
    let ks = keyspace(session);
    let rows = session
        .query(
            "SELECT column_name FROM system_schema.columns \
             WHERE keyspace_name = ? AND table_name = ?",
            (ks.as_str(), table),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_rows_result()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut names: Vec<String> = rows
        .rows::<(String,)>()
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|row| row.unwrap_or_else(|e| panic!("{e}")).0)
        .collect();
    names.sort();
    names
}

async fn count(session: &Session, table: &str) -> i64 {
    let (n,): (i64,) = session
        .query(&format!("SELECT count(*) FROM {table}"), ())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_rows_result()
        .unwrap_or_else(|e| panic!("{e}"))
        .single_row()
        .unwrap_or_else(|e| panic!("{e}"));
    n
}

/// A hook that keeps the display line of every event.
fn recorder() -> (
    Arc<Mutex<Vec<String>>>,
    impl Fn(&Event<'_>) + Send + Sync + 'static,
) {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = lines.clone();
    (lines, move |event: &Event<'_>| {
        sink.lock()
            .unwrap_or_else(|e| panic!("{e}"))
            .push(event.to_string());
    })
}

fn migrate_error(error: &Error) -> &MigrateError {
    error
        .as_migrate()
        .unwrap_or_else(|| panic!("expected a migration error, got {error}"))
}

/// Creates the tracking and lock tables by running no migration.
async fn create_runner_tables(session: &Session) {
    let ks = keyspace(session);
    let report = Migrator::new(session, &ks, &[])
        .up()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.is_empty());
}

#[tokio::test]
async fn empty_keyspace_to_latest() {
    with_keyspace("migrate_empty_to_latest", |session| async move {
        let ks = keyspace(&session);
        let migrations = first_three();
        let (lines, hook) = recorder();
        let report = Migrator::new(&session, &ks, &migrations)
            .on_progress(hook)
            .up()
            .await
            .unwrap();
        let applied: Vec<u32> = report.applied.iter().map(|m| m.id).collect();
        assert_eq!(applied, [1, 2, 3]);
        assert!(report.applied.iter().all(|m| m.resumed_at == 0));
        assert_eq!(report.applied[1].statements_run, 2);

        assert_eq!(
            tables(&session).await,
            [LOCK_TABLE, TRACKING_TABLE, "users", "users_by_email"]
        );
        assert_eq!(
            columns(&session, "users").await,
            ["email", "home", "id", "nickname"]
        );
        let (types,) = session
            .query(
                "SELECT count(*) FROM system_schema.types WHERE keyspace_name = ?",
                (ks.as_str(),),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row::<(i64,)>()
            .unwrap();
        assert_eq!(types, 1);

        let lines = lines.lock().unwrap().clone();
        assert!(lines.iter().any(|l| l.starts_with("took the migration lock")), "{lines:#?}");
        assert!(
            lines.iter().any(|l| l.contains("[2/2] CREATE INDEX users_email")),
            "{lines:#?}"
        );
        assert!(
            lines.iter().any(|l| l == "applying migration 3 `users_nickname` (2 statements)"),
            "{lines:#?}"
        );

        let status = Migrator::new(&session, &ks, &migrations).status().await.unwrap();
        assert_eq!(status.len(), 3);
        assert!(
            status
                .iter()
                .all(|s| matches!(s.state, MigrationState::Applied { .. }) && !s.checksum_changed()),
            "{status:#?}"
        );
        Migrator::new(&session, &ks, &migrations).verify().await.unwrap();

        // The tracking rows and the released lock.
        let rows: Vec<(i64, i32, i32)> = session
            .query(
                &format!("SELECT id, statements_total, statements_done FROM {TRACKING_TABLE}"),
                (),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows::<(i64, i32, i32)>()
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut rows = rows;
        rows.sort();
        assert_eq!(rows, [(1, 1, 1), (2, 2, 2), (3, 2, 2)]);
        assert_eq!(count(&session, LOCK_TABLE).await, 0, "the lock is released");

        let again = Migrator::new(&session, &ks, &migrations).up().await.unwrap();
        assert!(again.is_empty(), "{again:?}");
    })
    .await;
}

#[tokio::test]
async fn a_new_migration_is_applied_alone() {
    with_keyspace("migrate_new_one", |session| async move {
        let ks = keyspace(&session);
        let mut migrations = first_three();
        let third = migrations.pop().unwrap();
        let first = Migrator::new(&session, &ks, &migrations)
            .up()
            .await
            .unwrap();
        assert_eq!(first.applied.len(), 2);
        assert_eq!(columns(&session, "users").await, ["email", "home", "id"]);

        migrations.push(third);
        let status = Migrator::new(&session, &ks, &migrations)
            .status()
            .await
            .unwrap();
        assert_eq!(status[2].state, MigrationState::Pending);
        let second = Migrator::new(&session, &ks, &migrations)
            .up()
            .await
            .unwrap();
        let applied: Vec<u32> = second.applied.iter().map(|m| m.id).collect();
        assert_eq!(applied, [3]);
        assert_eq!(
            columns(&session, "users").await,
            ["email", "home", "id", "nickname"]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_runners_at_once_apply_each_migration_once() {
    with_keyspace("migrate_two_runners", |session| async move {
        let ks = keyspace(&session);
        let migrations = vec![
            migration(
                1,
                "create_log",
                &["CREATE TABLE {ks}.log (id timeuuid PRIMARY KEY, note text)"],
            ),
            migration(
                2,
                "first_entry",
                &["INSERT INTO {ks}.log (id, note) VALUES (now(), 'migrated')"],
            ),
        ];
        let other = corm::testing::connect().await;
        let (lines_a, hook_a) = recorder();
        let (lines_b, hook_b) = recorder();
        let a = Migrator::new(&session, &ks, &migrations)
            .holder("runner a")
            .on_progress(hook_a);
        let b = Migrator::new(&other, &ks, &migrations)
            .holder("runner b")
            .on_progress(hook_b);
        let (a, b) = tokio::join!(a.up(), b.up());
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(
            a.is_empty() != b.is_empty(),
            "exactly one runner applies: {a:?} {b:?}"
        );
        let done = if a.is_empty() { &b } else { &a };
        assert_eq!(done.applied.len(), 2);
        assert_eq!(count(&session, "log").await, 1, "the INSERT ran once");

        let waited = if a.is_empty() { &lines_a } else { &lines_b };
        let waited = waited.lock().unwrap().clone();
        // The later runner usually saw the lock busy; either way it applied nothing.
        assert!(
            !waited.iter().any(|l| l.starts_with("applying")),
            "{waited:#?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_failed_statement_is_reported_and_the_next_run_resumes_there() {
    with_keyspace("migrate_resume_failed", |session| async move {
        let ks = keyspace(&session);
        let migrations = vec![migration(
            1,
            "create_shop",
            &[
                "CREATE TABLE {ks}.products (id uuid PRIMARY KEY, name text)",
                "CREATE TABLE {ks}.stores (id uuid PRIMARY KEY, address frozen<{ks}.address>)",
                "CREATE TABLE {ks}.stock (store uuid, product uuid, n int, PRIMARY KEY (store, product))",
            ],
        )];
        let error = Migrator::new(&session, &ks, &migrations)
            .up()
            .await
            .unwrap_err();
        match migrate_error(&error) {
            MigrateError::Statement {
                id,
                name,
                index,
                total,
                statement,
                ..
            } => {
                assert_eq!((*id, name.as_str(), *index, *total), (1, "create_shop", 1, 3));
                assert!(statement.contains("CREATE TABLE \""), "{statement}");
                assert!(statement.contains(".stores"), "{statement}");
            }
            other => panic!("expected a statement error, got {other}"),
        }
        let message = error.to_string();
        assert!(
            message.contains("migration 1 `create_shop` failed at statement 2 of 3"),
            "{message}"
        );
        assert!(message.contains("address"), "{message}");

        let status = Migrator::new(&session, &ks, &migrations).status().await.unwrap();
        assert!(
            matches!(
                status[0].state,
                MigrationState::Partial {
                    statements_done: 1,
                    statements_total: 3,
                    ..
                }
            ),
            "{status:#?}"
        );
        assert_eq!(count(&session, LOCK_TABLE).await, 0, "released after the error");

        session
            .run_ddl("CREATE TYPE address (street text, city text)")
            .await
            .unwrap();
        let report = Migrator::new(&session, &ks, &migrations).up().await.unwrap();
        assert_eq!(report.applied.len(), 1);
        assert_eq!(report.applied[0].resumed_at, 1);
        assert_eq!(report.applied[0].statements_run, 2);
        assert_eq!(report.applied[0].statements_already_applied, 0);
        assert_eq!(
            tables(&session).await,
            [LOCK_TABLE, TRACKING_TABLE, "products", "stock", "stores"]
        );
    })
    .await;
}

/// Records migration `id` as started with `done` statements done, as a run
/// that stopped after running the next statement would leave it.
async fn record_started(session: &Session, migration: &Migration, done: i32) {
    session
        .query(
            &format!(
                "INSERT INTO {TRACKING_TABLE} (id, name, checksum, statements_total, \
                 statements_done, started_at) VALUES (?, ?, ?, ?, ?, ?)"
            ),
            (
                i64::from(migration.id),
                migration.name.as_ref(),
                migration.checksum.as_ref(),
                i32::try_from(migration.statements.len()).unwrap_or_else(|e| panic!("{e}")),
                done,
                Utc::now(),
            ),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn a_statement_run_but_not_recorded_counts_as_done_on_resume() {
    with_keyspace("migrate_resume_crashed", |session| async move {
        let ks = keyspace(&session);
        create_runner_tables(&session).await;
        let all = [
            migration(
                1,
                "create_events",
                &[
                    "CREATE TABLE {ks}.events (id int PRIMARY KEY, body text)",
                    "CREATE TABLE {ks}.audit (id int PRIMARY KEY)",
                ],
            ),
            migration(2, "events_kind", &["ALTER TABLE {ks}.events ADD kind text"]),
            migration(3, "drop_body", &["ALTER TABLE {ks}.events DROP body"]),
            migration(4, "drop_audit", &["DROP TABLE {ks}.audit"]),
        ];
        // Each migration in turn: its first statement run by hand, then a run
        // that finds it recorded as started with nothing done.
        let mut reasons = Vec::new();
        for upto in 1..=all.len() {
            let migration = &all[upto - 1];
            session
                .run_ddl(&migration.statements[0].text(&ks))
                .await
                .unwrap();
            record_started(&session, migration, 0).await;
            let (lines, hook) = recorder();
            let report = Migrator::new(&session, &ks, &all[..upto])
                .on_progress(hook)
                .up()
                .await
                .unwrap_or_else(|e| panic!("migration {}: {e}", migration.id));
            assert_eq!(report.applied.len(), 1, "{report:?}");
            assert_eq!(report.applied[0].statements_already_applied, 1);
            let lines = lines.lock().unwrap().clone();
            let line = lines
                .iter()
                .find(|l| l.contains("already applied by an earlier run"))
                .unwrap_or_else(|| panic!("{lines:#?}"))
                .clone();
            reasons.push(line);
        }
        for line in &reasons {
            println!("{line}");
        }
        assert!(
            reasons[0].contains("Cannot add already existing table"),
            "{reasons:#?}"
        );
        assert!(
            reasons[1].contains("Column with name 'kind' already exists"),
            "{reasons:#?}"
        );
        assert!(
            reasons[2].contains("Column body was not found"),
            "{reasons:#?}"
        );
        assert!(reasons[3].contains("doesn't exist"), "{reasons:#?}");
        assert_eq!(columns(&session, "events").await, ["id", "kind"]);
        assert_eq!(
            tables(&session).await,
            [LOCK_TABLE, TRACKING_TABLE, "events"]
        );
    })
    .await;
}

#[tokio::test]
async fn already_exists_is_an_error_outside_a_resume() {
    with_keyspace("migrate_exists_not_resumed", |session| async move {
        let ks = keyspace(&session);
        session
            .run_ddl("CREATE TABLE events (id int PRIMARY KEY)")
            .await
            .unwrap();
        let migrations = vec![migration(
            1,
            "create_events",
            &["CREATE TABLE {ks}.events (id int PRIMARY KEY)"],
        )];
        let error = Migrator::new(&session, &ks, &migrations)
            .up()
            .await
            .unwrap_err();
        assert!(
            matches!(
                migrate_error(&error),
                MigrateError::Statement { index: 0, .. }
            ),
            "{error}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_changed_checksum_of_an_applied_migration_is_refused() {
    with_keyspace("migrate_tampered", |session| async move {
        let ks = keyspace(&session);
        let mut migrations = first_three();
        Migrator::new(&session, &ks, &migrations)
            .up()
            .await
            .unwrap();
        migrations[1] = migration(
            2,
            "create_users",
            &["CREATE TABLE {ks}.users (id uuid PRIMARY KEY, email text, age int)"],
        );
        let recorded = first_three()[1].checksum.to_string();
        let expected = migrations[1].checksum.to_string();
        let migrator = Migrator::new(&session, &ks, &migrations);
        for error in [
            migrator.up().await.unwrap_err(),
            migrator.verify().await.unwrap_err(),
        ] {
            match migrate_error(&error) {
                MigrateError::ChecksumMismatch {
                    id,
                    name,
                    recorded: then,
                    expected: now,
                    ..
                } => {
                    assert_eq!((*id, name.as_str()), (2, "create_users"));
                    assert_eq!((then, now), (&recorded, &expected));
                }
                other => panic!("expected a checksum mismatch, got {other}"),
            }
            let message = error.to_string();
            assert!(message.contains("migration 2 `create_users`"), "{message}");
            assert!(
                message.contains(&recorded) && message.contains(&expected),
                "{message}"
            );
        }
        let status = migrator.status().await.unwrap();
        assert!(status[1].checksum_changed());
    })
    .await;
}

/// Writes a lock row held by someone else, for `ttl` seconds.
async fn foreign_lock(session: &Session, ttl: i32) -> Uuid {
    let owner = Uuid::new_v4();
    session
        .query(
            &format!(
                "INSERT INTO {LOCK_TABLE} (name, owner, holder, acquired_at) \
                 VALUES ('migrate', ?, 'a test', ?) USING TTL ?"
            ),
            (owner, Utc::now(), ttl),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    owner
}

#[tokio::test]
async fn a_busy_lock_times_out_naming_its_holder() {
    with_keyspace("migrate_lock_busy", |session| async move {
        let ks = keyspace(&session);
        create_runner_tables(&session).await;
        let owner = foreign_lock(&session, 300).await;
        let (lines, hook) = recorder();
        let started = Instant::now();
        let error = Migrator::new(&session, &ks, &first_three())
            .lock_wait(Duration::from_secs(1))
            .on_progress(hook)
            .up()
            .await
            .unwrap_err();
        assert!(started.elapsed() >= Duration::from_secs(1));
        match migrate_error(&error) {
            MigrateError::LockTimeout { holder, waited, .. } => {
                assert_eq!(holder.owner, owner);
                assert_eq!(holder.holder.as_deref(), Some("a test"));
                assert!(holder.acquired_at.is_some());
                assert!(*waited >= Duration::from_secs(1));
            }
            other => panic!("expected a lock timeout, got {other}"),
        }
        let message = error.to_string();
        assert!(message.contains(&owner.to_string()), "{message}");
        assert!(message.contains("acquired at"), "{message}");
        let lines = lines.lock().unwrap().clone();
        assert_eq!(lines.len(), 1, "one busy event per holder: {lines:#?}");
        assert!(lines[0].contains("is held by owner"), "{lines:#?}");
        assert!(!tables(&session).await.contains(&"users".to_owned()));
    })
    .await;
}

#[tokio::test]
async fn an_expired_lease_is_taken_over() {
    with_keyspace("migrate_lock_expired", |session| async move {
        let ks = keyspace(&session);
        create_runner_tables(&session).await;
        foreign_lock(&session, 2).await;
        let started = Instant::now();
        let report = Migrator::new(&session, &ks, &first_three())
            .lock_wait(Duration::from_secs(30))
            .up()
            .await
            .unwrap();
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "it waited for the lease"
        );
        assert_eq!(report.applied.len(), 3);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lease_is_renewed_during_a_long_statement() {
    with_keyspace("migrate_lease_renewed", |session| async move {
        let ks = keyspace(&session);
        let slow = Arc::new(Mutex::new(true));
        // The hook blocks its thread for longer than the lease, as a slow
        // statement would; the renewal runs on the other worker.
        let hook = move |event: &Event<'_>| {
            if let Event::StatementDone { index: 0, .. } = event {
                let mut slow = slow.lock().unwrap_or_else(|e| panic!("{e}"));
                if *slow {
                    *slow = false;
                    std::thread::sleep(Duration::from_secs(4));
                }
            }
        };
        let report = Migrator::new(&session, &ks, &first_three())
            .lease(Duration::from_secs(2))
            .on_progress(hook)
            .up()
            .await
            .unwrap();
        assert_eq!(report.applied.len(), 3);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_lock_stops_the_run_before_the_next_statement() {
    with_keyspace("migrate_lock_lost", |session| async move {
        let ks = keyspace(&session);
        let thief = Uuid::new_v4();
        let steal = session.clone();
        let stolen = Arc::new(Mutex::new(false));
        let hook = move |event: &Event<'_>| {
            if let Event::StatementDone { index: 0, .. } = event {
                let mut stolen = stolen.lock().unwrap_or_else(|e| panic!("{e}"));
                if !*stolen {
                    *stolen = true;
                    let steal = steal.clone();
                    tokio::task::block_in_place(|| {
                        tokio::runtime::Handle::current().block_on(async move {
                            steal
                                .query(
                                    &format!(
                                        "UPDATE {LOCK_TABLE} SET owner = ? WHERE name = 'migrate'"
                                    ),
                                    (thief,),
                                )
                                .await
                                .unwrap_or_else(|e| panic!("{e}"));
                        });
                    });
                    // Long enough for a renewal (every third of 3 s) to notice.
                    std::thread::sleep(Duration::from_millis(2500));
                }
            }
        };
        let migrations = first_three();
        let error = Migrator::new(&session, &ks, &migrations)
            .lease(Duration::from_secs(3))
            .on_progress(hook)
            .up()
            .await
            .unwrap_err();
        match migrate_error(&error) {
            MigrateError::LockLost {
                id,
                statements_done,
                reason,
                ..
            } => {
                assert_eq!((*id, *statements_done), (1, 1));
                assert!(reason.contains(&thief.to_string()), "{reason}");
            }
            other => panic!("expected a lost lock, got {other}"),
        }
        // Migration 1 has one statement: it is done; 2 never started.
        let status = Migrator::new(&session, &ks, &migrations)
            .status()
            .await
            .unwrap();
        assert_eq!(status[1].state, MigrationState::Pending, "{status:#?}");
        assert!(!tables(&session).await.contains(&"users".to_owned()));
    })
    .await;
}

#[tokio::test]
async fn status_lists_applied_partial_and_pending() {
    with_keyspace("migrate_status", |session| async move {
        let ks = keyspace(&session);
        let migrations = vec![
            migration(1, "create_a", &["CREATE TABLE {ks}.a (id int PRIMARY KEY)"]),
            migration(
                2,
                "create_b_c",
                &[
                    "CREATE TABLE {ks}.b (id int PRIMARY KEY)",
                    "CREATE TABLE {ks}.c (id int PRIMARY KEY, t frozen<{ks}.missing>)",
                ],
            ),
            migration(3, "create_d", &["CREATE TABLE {ks}.d (id int PRIMARY KEY)"]),
        ];
        let before = Migrator::new(&session, &ks, &migrations)
            .status()
            .await
            .unwrap();
        assert!(before.iter().all(|s| s.state == MigrationState::Pending));
        Migrator::new(&session, &ks, &migrations)
            .up()
            .await
            .unwrap_err();
        let status = Migrator::new(&session, &ks, &migrations)
            .status()
            .await
            .unwrap();
        let names: Vec<&str> = status.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["create_a", "create_b_c", "create_d"]);
        assert!(
            matches!(status[0].state, MigrationState::Applied { .. }),
            "{status:#?}"
        );
        assert!(
            matches!(
                status[1].state,
                MigrationState::Partial {
                    statements_done: 1,
                    statements_total: 2,
                    started_at: Some(_)
                }
            ),
            "{status:#?}"
        );
        assert_eq!(status[2].state, MigrationState::Pending);
        assert!(status.iter().all(|s| s.is_known() && !s.checksum_changed()));
        // Partly applied is not a verification failure.
        Migrator::new(&session, &ks, &migrations)
            .verify()
            .await
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn verify_catches_an_applied_migration_the_list_lacks() {
    with_keyspace("migrate_verify_unknown", |session| async move {
        let ks = keyspace(&session);
        let migrations = first_three();
        Migrator::new(&session, &ks, &migrations[..2])
            .up()
            .await
            .unwrap();
        Migrator::new(&session, &ks, &migrations)
            .verify()
            .await
            .unwrap();

        let older = &migrations[..1];
        let error = Migrator::new(&session, &ks, older)
            .verify()
            .await
            .unwrap_err();
        assert!(
            matches!(
                migrate_error(&error),
                MigrateError::UnknownMigration { id: 2, name, .. } if name == "create_users"
            ),
            "{error}"
        );
        let error = Migrator::new(&session, &ks, older).up().await.unwrap_err();
        assert!(
            matches!(
                migrate_error(&error),
                MigrateError::UnknownMigration { id: 2, .. }
            ),
            "{error}"
        );
        let status = Migrator::new(&session, &ks, older).status().await.unwrap();
        assert_eq!(status.len(), 2);
        assert!(!status[1].is_known());
    })
    .await;
}

#[tokio::test]
async fn a_missing_keyspace_and_a_bad_list_are_refused() {
    let session = corm::testing::connect().await;
    let missing = format!(
        "corm_missing_{}",
        &Uuid::new_v4().simple().to_string()[..12]
    );
    let migrations = first_three();
    let migrator = Migrator::new(&session, &missing, &migrations).on_progress(|_| {});
    // The futures can be spawned: a CLI or a server may run them on a task.
    fn assert_send<T: Send>(_: &T) {}
    assert_send(&migrator.up());
    assert_send(&migrator.status());
    assert_send(&migrator.verify());
    for error in [
        migrator.up().await.unwrap_err(),
        migrator.status().await.unwrap_err(),
    ] {
        assert!(
            matches!(migrate_error(&error), MigrateError::KeyspaceMissing { keyspace } if *keyspace == missing),
            "{error}"
        );
        assert!(error.to_string().contains("does not exist"), "{error}");
    }

    let mut unordered = first_three();
    unordered.swap(0, 2);
    let error = Migrator::new(&session, &missing, &unordered)
        .up()
        .await
        .unwrap_err();
    assert!(
        matches!(
            migrate_error(&error),
            MigrateError::UnorderedMigrations { .. }
        ),
        "{error}"
    );
    let mut duplicate = first_three();
    duplicate[1].id = 1;
    let error = Migrator::new(&session, &missing, &duplicate)
        .up()
        .await
        .unwrap_err();
    assert!(
        matches!(
            migrate_error(&error),
            MigrateError::DuplicateMigration { id: 1, .. }
        ),
        "{error}"
    );
}

/// The SAI indexes of the test keyspace with whether each is queryable.
async fn sai_indexes(session: &Session) -> Vec<(String, bool)> {
    let ks = keyspace(session);
    let rows = session
        .query(
            "SELECT index_name, is_queryable FROM system_views.sai_column_indexes \
             WHERE keyspace_name = ?",
            (ks.as_str(),),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_rows_result()
        .unwrap_or_else(|e| panic!("{e}"));
    rows.rows::<(String, bool)>()
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|row| row.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[tokio::test]
async fn up_returns_once_the_new_indexes_are_queryable() {
    with_keyspace("migrate_index_wait", |session| async move {
        let ks = keyspace(&session);
        let table = migration(
            1,
            "create_points",
            &["CREATE TABLE {ks}.points (id int PRIMARY KEY, kind text, at vector<float, 2>)"],
        );
        Migrator::new(&session, &ks, std::slice::from_ref(&table))
            .up()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // Rows already there, so that the indexes have something to build.
        let insert = session
            .prepare("INSERT INTO points (id, kind, at) VALUES (?, ?, ?)")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        for id in 0..2_000_i32 {
            let kind = if id % 3 == 0 { "even" } else { "odd" };
            let at = vec![1.0_f32 + id as f32, 2.0];
            session
                .execute(&insert, (id, kind, at))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let indexes = migration(
            2,
            "index_points",
            &[
                "CREATE INDEX points_kind ON {ks}.points (kind) USING 'sai'",
                "CREATE INDEX points_at ON {ks}.points (at) USING 'sai'",
            ],
        );
        let all = [table, indexes];
        let (lines, hook) = recorder();
        Migrator::new(&session, &ks, &all)
            .on_progress(hook)
            .up()
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        // When `up` returns, both indexes answer, at once. (Without the
        // wait, the vector index of 2,000 rows is still building here.)
        let mut indexes = sai_indexes(&session).await;
        indexes.sort();
        assert_eq!(
            indexes,
            [
                ("points_at".to_owned(), true),
                ("points_kind".to_owned(), true)
            ]
        );
        let (kinds,): (i64,) = session
            .query("SELECT count(*) FROM points WHERE kind = 'even'", ())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_rows_result()
            .unwrap_or_else(|e| panic!("{e}"))
            .single_row()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kinds, 667);
        let nearest = session
            .query(
                "SELECT id FROM points ORDER BY at ANN OF [1.0, 2.0] LIMIT 3",
                (),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_rows_result()
            .unwrap_or_else(|e| panic!("{e}"))
            .rows_num();
        assert_eq!(nearest, 3);
        // The progress lines tell when the runner waited for a build.
        let lines = lines.lock().unwrap_or_else(|e| panic!("{e}")).clone();
        for line in lines
            .iter()
            .filter(|line| line.starts_with("waiting for the indexes"))
        {
            assert!(line.contains("points_"), "{line}");
        }
    })
    .await;
}

/// Cassandra's index view walks every keyspace's indexes: a keyspace
/// dropped while it reads makes the node answer "Unknown keyspace …" for a
/// look at another keyspace. The wait looks again instead of failing a
/// migration over a keyspace it has nothing to do with.
#[tokio::test]
async fn the_index_wait_outlives_other_keyspaces_being_dropped() {
    with_keyspace("idx_churn", |session| async move {
        let ks = keyspace(&session);
        session
            .run_ddl(&format!(
                "CREATE TABLE {ks}.notes (id int PRIMARY KEY, body text)"
            ))
            .await
            .unwrap();
        session
            .run_ddl(&format!(
                "CREATE INDEX notes_body ON {ks}.notes (body) USING 'sai'"
            ))
            .await
            .unwrap();
        let churn = {
            let session = session.clone();
            let ks = ks.clone();
            tokio::spawn(async move {
                for round in 0..12 {
                    let other = format!("{ks}_c{round}");
                    let ddl = [
                        format!(
                            "CREATE KEYSPACE {other} WITH replication = \
                             {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
                        ),
                        format!("CREATE TABLE {other}.t (id int PRIMARY KEY, a text, b text)"),
                        format!("CREATE INDEX t_a ON {other}.t (a) USING 'sai'"),
                        format!("CREATE INDEX t_b ON {other}.t (b) USING 'sai'"),
                        format!("DROP KEYSPACE {other}"),
                    ];
                    for cql in ddl {
                        session.run_ddl(&cql).await.unwrap();
                    }
                }
            })
        };
        let mut looks = 0;
        while !churn.is_finished() {
            corm::migrate::await_indexes(&session, &ks, Duration::from_secs(30))
                .await
                .unwrap_or_else(|error| panic!("look {looks}: {error}"));
            looks += 1;
        }
        churn.await.unwrap();
        assert!(looks > 10, "the wait looked {looks} times during the churn");
    })
    .await;
}
