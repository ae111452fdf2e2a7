//! The session against a real node: DDL, writes, reads and a lightweight
//! transaction conflict, each test in a keyspace of its own.

use corm::lwt;
use corm::testing::with_keyspace;

#[tokio::test]
async fn writes_and_reads_back() {
    with_keyspace("writes_and_reads_back", |session| async move {
        session
            .run_ddl("CREATE TABLE notes (id int, seq int, body text, PRIMARY KEY ((id), seq))")
            .await
            .unwrap();
        let insert = session
            .prepare("INSERT INTO notes (id, seq, body) VALUES (?, ?, ?)")
            .await
            .unwrap();
        for seq in 0..3 {
            session
                .execute(&insert, (7, seq, format!("note {seq}; 'quoted' ✓")))
                .await
                .unwrap();
        }
        let rows = session
            .query("SELECT seq, body FROM notes WHERE id = ?", (7,))
            .await
            .unwrap()
            .into_rows_result()
            .unwrap();
        let read: Vec<(i32, String)> = rows.rows().unwrap().map(Result::unwrap).collect();
        let expected: Vec<(i32, String)> = (0..3)
            .map(|seq| (seq, format!("note {seq}; 'quoted' ✓")))
            .collect();
        assert_eq!(read, expected);
    })
    .await;
}

#[tokio::test]
async fn insert_if_not_exists_twice_conflicts() {
    with_keyspace("lwt_conflict", |session| async move {
        session
            .run_ddl("CREATE TABLE accounts (email text PRIMARY KEY, owner text)")
            .await
            .unwrap();
        let statement = "INSERT INTO accounts (email, owner) VALUES (?, ?) IF NOT EXISTS";
        let insert = session.prepare(statement).await.unwrap();

        let first = session
            .execute(&insert, ("a@example.com", "first"))
            .await
            .unwrap();
        assert!(lwt::was_applied(statement, first).unwrap());

        let second = session
            .execute(&insert, ("a@example.com", "second"))
            .await
            .unwrap();
        let existing = lwt::existing_row(statement, second)
            .unwrap()
            .expect("a conflict");
        let owner = existing
            .iter()
            .find(|(name, _)| name == "owner")
            .map(|(_, v)| v.clone());
        assert_eq!(
            owner,
            Some(Some(scylla::value::CqlValue::Text("first".into()))),
            "the conflict reports the row that won: {existing:?}"
        );

        let (owner,): (String,) = session
            .query(
                "SELECT owner FROM accounts WHERE email = ?",
                ("a@example.com",),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .single_row()
            .unwrap();
        assert_eq!(
            owner, "first",
            "the second writer must not overwrite the first"
        );
    })
    .await;
}

#[tokio::test]
async fn cql_errors_carry_the_statement() {
    with_keyspace("cql_errors", |session| async move {
        let err = session
            .prepare("SELECT * FROM no_such_table")
            .await
            .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("SELECT * FROM no_such_table"), "{message}");
        assert!(message.contains("no_such_table"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn keyspace_is_dropped_even_when_the_test_panics() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen_in_test = seen.clone();
    let outcome = tokio::spawn(async move {
        with_keyspace("dropped_after_panic", |session| async move {
            *seen_in_test.lock().unwrap() = session.keyspace();
            panic!("deliberate");
        })
        .await;
    })
    .await;
    assert!(outcome.is_err(), "the panic is passed on");
    let keyspace = seen
        .lock()
        .unwrap()
        .clone()
        .expect("the test saw its keyspace");
    let session = corm::testing::connect().await;
    let rows = session
        .query(
            "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
            (keyspace.as_str(),),
        )
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    assert_eq!(rows.rows_num(), 0, "{keyspace} should have been dropped");
}

#[tokio::test]
async fn health_probes_each_node() {
    let session = corm::testing::connect().await;
    let health = session.health(std::time::Duration::from_secs(5)).await;
    assert!(health.is_ready(), "{health:?}");
    assert_eq!(health.nodes.len(), 1, "{health:?}");
    let node = &health.nodes[0];
    assert_eq!(node.address.to_string(), "127.0.0.1:9042");
    assert_eq!(node.datacenter.as_deref(), Some("datacenter1"));
    assert!(node.connected);
    // The pool's connection and, to this one node, the control connection.
    if cfg!(target_os = "linux") {
        assert!(node.connections.is_some_and(|count| count >= 1), "{node:?}");
    }
    let took = node.answered.clone().unwrap_or_else(|why| panic!("{why}"));
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    assert_eq!(health.down().count(), 0);

    // A probe allowed no time at all fails, and says why, without failing
    // the call.
    let hurried = session.health(std::time::Duration::from_nanos(1)).await;
    assert!(!hurried.is_ready(), "{hurried:?}");
    let why = hurried.nodes[0].answered.clone().unwrap_err();
    assert!(
        why.to_lowercase().contains("timed out") || why.contains("timeout"),
        "{why}"
    );
}
