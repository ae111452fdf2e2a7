//! The integration-test harness: a real node, one throwaway keyspace per test.
//!
//! Enabled by the `testing` feature. The node is found through the same
//! `CORM_*` variables as [`Config::from_env`](crate::Config::from_env)
//! (default `127.0.0.1:9042`). Without a node a test fails within seconds
//! with a message that says how to start one; it never hangs or skips.
//!
//! ```no_run
//! # async fn demo() {
//! corm::testing::with_keyspace("round_trip", |session| async move {
//!     session.run_ddl("CREATE TABLE t (id int PRIMARY KEY)").await.unwrap();
//! })
//! .await;
//! # }
//! ```

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt;

use crate::{Config, Session};

/// How long connecting to the test node may take before the test fails.
const CONNECT_DEADLINE: Duration = Duration::from_secs(10);

/// Connects to the test node, panicking with instructions when there is none.
pub async fn connect() -> Session {
    let config = match Config::from_env() {
        Ok(config) => config.connect_timeout(Duration::from_secs(3)),
        Err(err) => panic!("corm test harness: {err}"),
    };
    let points = config.contact_points.join(",");
    match tokio::time::timeout(CONNECT_DEADLINE, Session::connect(&config)).await {
        Ok(Ok(session)) => session,
        Ok(Err(err)) => panic!("{}", no_node(&points, &err.to_string())),
        Err(_) => panic!(
            "{}",
            no_node(&points, &format!("no answer within {CONNECT_DEADLINE:?}"))
        ),
    }
}

fn no_node(points: &str, reason: &str) -> String {
    format!(
        "corm integration tests need a Cassandra node at {points} ({reason}).\n\
         Start one with `cargo xtask cassandra start`, or point CORM_CONTACT_POINTS at one."
    )
}

/// Runs `test` with a session whose keyspace is new and empty, then drops the
/// keyspace, whether the test passed or panicked (the panic is passed on).
///
/// `label` becomes part of the keyspace name, to tell tests apart in logs.
pub async fn with_keyspace<F, Fut>(label: &str, test: F)
where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()>,
{
    with_keyspace_on(connect().await, label, 1, test).await;
}

/// [`with_keyspace`] on `session` (connected as the test needs), with a
/// keyspace of `replication_factor` copies that keeps a commit log: for
/// tests on a cluster, where a node may be killed.
pub async fn with_keyspace_on<F, Fut>(
    session: Session,
    label: &str,
    replication_factor: u32,
    test: F,
) where
    F: FnOnce(Session) -> Fut,
    Fut: Future<Output = ()>,
{
    let keyspace = keyspace_name(label);
    // One copy: a lone test node, where the commit log buys nothing.
    let durable = replication_factor > 1;
    let create = format!(
        "CREATE KEYSPACE {keyspace} WITH replication = \
         {{'class': 'SimpleStrategy', 'replication_factor': {replication_factor}}} \
         AND durable_writes = {durable}"
    );
    if let Err(err) = session.run_ddl(&create).await {
        panic!("corm test harness: {err}");
    }
    if let Err(err) = session.use_keyspace(&keyspace).await {
        panic!("corm test harness: {err}");
    }
    let outcome = AssertUnwindSafe(test(session.clone())).catch_unwind().await;
    let dropped = session
        .run_ddl(&format!("DROP KEYSPACE IF EXISTS {keyspace}"))
        .await;
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
    if let Err(err) = dropped {
        panic!("corm test harness: could not drop the test keyspace: {err}");
    }
}

/// `corm_<label>_<random>`, within CQL's 48-character limit for keyspaces.
fn keyspace_name(label: &str) -> String {
    let label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(26)
        .collect();
    let unique = uuid::Uuid::new_v4().simple().to_string();
    format!("corm_{label}_{}", &unique[..16])
}

#[cfg(test)]
mod tests {
    use super::keyspace_name;

    #[test]
    fn keyspace_names_are_valid_and_distinct() {
        let a = keyspace_name("A very long label, with punctuation!!");
        let b = keyspace_name("A very long label, with punctuation!!");
        assert_ne!(a, b);
        assert!(a.len() <= 48, "{a}");
        assert!(
            a.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{a}"
        );
    }
}
