//! What each node of the local cluster sees: the peers in its
//! `system.peers`, and whether it can reach every replica (a write at
//! consistency `ALL` that it coordinates).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use corm::scylla::client::session::Session;
use corm::scylla::client::session_builder::SessionBuilder;
use corm::scylla::policies::host_filter::AllowListHostFilter;
use corm::scylla::statement::Consistency;
use corm::scylla::statement::unprepared::Statement;

/// The keyspace of the whole-cluster check, replicated to every node.
const KEYSPACE: &str = "corm_cluster";

/// One node's view of the cluster.
pub struct NodeView {
    /// The node's own host id and release.
    pub host_id: String,
    /// The node's release version.
    pub release: String,
    /// Each peer in its `system.peers`: address, host id, tokens.
    pub peers: Vec<(Ipv4Addr, String, String)>,
}

/// Runs `work` on a session that talks to `address` only (or, when
/// `only` is false, to every node it finds from there).
fn on_node<T>(
    address: Ipv4Addr,
    port: u16,
    only: bool,
    work: impl AsyncFnOnce(&Session) -> Result<T, String>,
) -> Result<T, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start a tokio runtime: {err}"))?;
    runtime.block_on(async {
        let endpoint = SocketAddr::from((address, port));
        let mut builder = SessionBuilder::new()
            .known_node_addr(endpoint)
            .connection_timeout(Duration::from_secs(3));
        if only {
            let filter = AllowListHostFilter::new([endpoint])
                .map_err(|err| format!("{endpoint}: {err}"))?;
            builder = builder.host_filter(Arc::new(filter));
        }
        let session = builder
            .build()
            .await
            .map_err(|err| format!("{endpoint}: {err}"))?;
        work(&session).await
    })
}

/// Runs `text` at `consistency` within five seconds.
async fn run(session: &Session, text: String, consistency: Consistency) -> Result<(), String> {
    let mut statement = Statement::new(text);
    statement.set_consistency(consistency);
    statement.set_request_timeout(Some(Duration::from_secs(5)));
    session
        .query_unpaged(statement, ())
        .await
        .map(|_| ())
        .map_err(|err| err.to_string())
}

/// What the node at `address` reports about itself and its peers.
pub fn node_view(address: Ipv4Addr, port: u16) -> Result<NodeView, String> {
    on_node(address, port, true, async |session| {
        let (host_id, release): (corm::Uuid, String) = session
            .query_unpaged("SELECT host_id, release_version FROM system.local", ())
            .await
            .map_err(|err| err.to_string())?
            .into_rows_result()
            .map_err(|err| err.to_string())?
            .single_row()
            .map_err(|err| err.to_string())?;
        let rows = session
            .query_unpaged("SELECT peer, host_id, tokens FROM system.peers", ())
            .await
            .map_err(|err| err.to_string())?
            .into_rows_result()
            .map_err(|err| err.to_string())?;
        let mut peers = Vec::new();
        for row in rows
            .rows::<(std::net::IpAddr, Option<corm::Uuid>, Option<Vec<String>>)>()
            .map_err(|err| err.to_string())?
        {
            let (peer, host_id, tokens) = row.map_err(|err| err.to_string())?;
            let std::net::IpAddr::V4(peer) = peer else {
                continue;
            };
            peers.push((
                peer,
                host_id.map_or_else(|| "?".to_owned(), |id| id.to_string()),
                tokens.unwrap_or_default().join(","),
            ));
        }
        peers.sort();
        Ok(NodeView {
            host_id: host_id.to_string(),
            release,
            peers,
        })
    })
}

/// Creates the keyspace of the whole-cluster check, replicated on all
/// `nodes`, through the node at `address`, and waits for every node to
/// agree on it.
pub fn create_check_table(address: Ipv4Addr, port: u16, nodes: usize) -> Result<(), String> {
    on_node(address, port, false, async |session| {
        run(
            session,
            format!(
                "CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': {nodes}}}"
            ),
            Consistency::One,
        )
        .await?;
        run(
            session,
            format!(
                "CREATE TABLE IF NOT EXISTS {KEYSPACE}.seen (node inet PRIMARY KEY, at timestamp)"
            ),
            Consistency::One,
        )
        .await?;
        session
            .await_schema_agreement()
            .await
            .map(|_| ())
            .map_err(|err| err.to_string())
    })
}

/// Succeeds when the node at `address` coordinates a write at `ALL` to the
/// keyspace of [`create_check_table`]: it sees every replica up.
pub fn reaches_every_replica(address: Ipv4Addr, port: u16) -> Result<(), String> {
    on_node(address, port, true, async |session| {
        run(
            session,
            format!(
                "INSERT INTO {KEYSPACE}.seen (node, at) VALUES ('{address}', toTimestamp(now()))"
            ),
            Consistency::All,
        )
        .await
    })
}
