//! `corm-bench connections`: what one server process spends on each idle
//! change subscription. A child process (`corm-bench serve-changes`)
//! serves `LoggedUser`'s change feed (`corm::server`); the bench opens
//! half of the connections as Server-Sent Events and half as WebSockets
//! (raw TCP clients that send their request and then only hold the
//! connection), and reads the child's resident memory before, between
//! and after.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use corm::serde::Serialize;
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::BenchError;
use crate::generated::{Db, LoggedUser};

/// What was measured.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct ConnectionsReport {
    /// SSE connections held.
    pub sse: usize,
    /// WebSocket connections held.
    pub websockets: usize,
    /// The server's resident memory with no subscriber, KiB.
    pub idle_kib: u64,
    /// With the SSE connections, KiB.
    pub with_sse_kib: u64,
    /// With both, KiB.
    pub with_both_kib: u64,
    /// Bytes per SSE connection.
    pub bytes_per_sse: f64,
    /// Bytes per WebSocket connection.
    pub bytes_per_websocket: f64,
    /// Seconds to open all of them.
    pub connect_seconds: f64,
}

/// The child: serves `LoggedUser`'s changes on a free loopback port,
/// prints `listening <address>` and serves until killed.
///
/// # Errors
/// The feed could not start or the port could not be bound.
pub async fn serve(db: &Db) -> Result<(), BenchError> {
    let feeds = corm::server::ChangeFeeds::start(
        db.session().clone(),
        db.keyspace(),
        &[&LoggedUser::TABLE],
        corm::server::ServerOptions::default(),
    )
    .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|error| BenchError::Setup(format!("bind: {error}")))?;
    let address = listener
        .local_addr()
        .map_err(|error| BenchError::Setup(format!("address: {error}")))?;
    println!("listening {address}");
    corm::axum::serve(listener, feeds.router())
        .await
        .map_err(|error| BenchError::Setup(format!("serve: {error}")))
}

/// The resident memory of process `pid`, KiB.
fn rss_kib(pid: u32) -> Result<u64, BenchError> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|error| BenchError::Setup(format!("reading the server's status: {error}")))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| BenchError::Setup("no VmRSS in the server's status".to_owned()))
}

/// Opens a connection and sends `request`; returns it once the response
/// head says `expect` (`200` for SSE, `101` for a WebSocket).
pub(crate) async fn open(
    address: &str,
    request: &str,
    expect: &str,
) -> Result<TcpStream, BenchError> {
    let fail = |what: String| BenchError::Setup(format!("a subscription: {what}"));
    let mut stream = TcpStream::connect(address)
        .await
        .map_err(|e| fail(e.to_string()))?;
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| fail(e.to_string()))?;
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let read = stream
            .read(&mut byte)
            .await
            .map_err(|e| fail(e.to_string()))?;
        if read == 0 || head.len() > 4096 {
            return Err(fail("the server closed it".to_owned()));
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    if head.split_whitespace().nth(1) != Some(expect) {
        return Err(fail(format!("answered {head}")));
    }
    Ok(stream)
}

/// Opens `count` connections with `request`, 200 at a time.
async fn open_many(
    address: &str,
    request: &str,
    expect: &str,
    count: usize,
) -> Result<Vec<TcpStream>, BenchError> {
    let opened: Vec<Result<TcpStream, BenchError>> = futures::stream::iter(0..count)
        .map(|_| open(address, request, expect))
        .buffer_unordered(200)
        .collect()
        .await;
    opened.into_iter().collect()
}

/// The child serving the feed; killed when dropped.
pub(crate) struct Server(Child);

impl Server {
    /// Starts `exe serve-changes`; it and the address it listens on.
    pub(crate) fn start(exe: &Path) -> Result<(Self, String), BenchError> {
        let mut child = Command::new(exe)
            .arg("serve-changes")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| BenchError::Setup(format!("starting the server: {error}")))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| BenchError::Setup("the server's output".to_owned()))?;
        let server = Self(child);
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|error| BenchError::Setup(format!("the server's address: {error}")))?;
        let address = line
            .trim()
            .strip_prefix("listening ")
            .ok_or_else(|| BenchError::Setup(format!("the server said {line:?}")))?
            .to_owned();
        Ok((server, address))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the measurement with `count` connections (half of each kind),
/// the server being `exe serve-changes`.
///
/// # Errors
/// The server did not start or a connection failed.
pub async fn measure(exe: &Path, count: usize) -> Result<ConnectionsReport, BenchError> {
    let (server, address) = Server::start(exe)?;
    let pid = server.0.id();
    let sse = format!("GET /changes/logged_user HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let websocket = format!(
        "GET /changes/logged_user/ws HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
         Sec-WebSocket-Version: 13\r\n\r\n"
    );
    // One of each first, so that what every connection shares is there.
    drop(open(&address, &sse, "200").await?);
    drop(open(&address, &websocket, "101").await?);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rss_kib(pid)?;
    let half = count / 2;
    let started = Instant::now();
    let sse_streams = open_many(&address, &sse, "200", half).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_sse = rss_kib(pid)?;
    let websocket_streams = open_many(&address, &websocket, "101", count - half).await?;
    let connect_seconds = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with_both = rss_kib(pid)?;
    drop((sse_streams, websocket_streams, server));
    let per = |from: u64, to: u64, connections: usize| {
        to.saturating_sub(from) as f64 * 1024.0 / connections.max(1) as f64
    };
    Ok(ConnectionsReport {
        sse: half,
        websockets: count - half,
        idle_kib: idle,
        with_sse_kib: with_sse,
        with_both_kib: with_both,
        bytes_per_sse: per(idle, with_sse, half),
        bytes_per_websocket: per(with_sse, with_both, count - half),
        connect_seconds,
    })
}
