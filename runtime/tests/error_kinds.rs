//! What kind of failure an error is, against a real node: a consistency the
//! node can't serve is `Unavailable` (and certainly wrote nothing), a refused
//! statement is `Statement`, a cluster that can't be reached is
//! `Connection`, and a prepare failure says which of these it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use corm::testing::with_keyspace;
use corm::{Config, Consistency, Error, ErrorKind, Session, Statement};

#[tokio::test]
async fn a_write_no_replica_set_can_serve_is_unavailable_and_not_applied() {
    with_keyspace("kind_unavailable", |session| async move {
        session
            .run_ddl("CREATE TABLE t (id int PRIMARY KEY, v int)")
            .await
            .unwrap();
        let mut insert = session
            .prepare("INSERT INTO t (id, v) VALUES (?, ?)")
            .await
            .unwrap();
        // Three replicas can't answer on one node.
        insert.set_consistency(Consistency::Three);
        let err = session.execute(&insert, (1, 1)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unavailable, "{err:?}");
        assert!(err.is_unavailable() && !err.is_timeout() && !err.is_connection());
        assert!(err.certainly_not_applied(), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn a_refused_statement_says_so_when_it_is_prepared() {
    with_keyspace("kind_statement", |session| async move {
        let err = Statement::new("SELECT * FROM no_such_table")
            .prepared(&session)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Prepare { .. }), "{err:?}");
        assert_eq!(err.kind(), ErrorKind::Statement, "{err:?}");
        assert!(
            err.to_string()
                .contains("the cluster refused the statement"),
            "{err}"
        );
        assert!(err.certainly_not_applied());
    })
    .await;
}

#[tokio::test]
async fn a_cluster_that_does_not_answer_is_a_connection_failure() {
    // A port nothing listens on: bind one, note it, close it.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = Config::new([format!("127.0.0.1:{port}")]).connect_timeout(Duration::from_secs(1));
    let err = Session::connect(&config).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err:?}");
    assert!(err.is_connection() && !err.certainly_not_applied());
}
