//! `corm-bench feed-latency`: how long a change takes from its write to
//! an SSE client of the change endpoints, through the change log (the
//! cross-process path: the server is another process than the writer).
//! A child process serves `LoggedUser`'s feed (`corm-bench
//! serve-changes`); `N` raw-TCP SSE clients read it while this process
//! writes at a steady rate; each client times every change it receives
//! (its arrival minus its position, taken just before the write is sent).

use std::str::FromStr;

use corm::changes::Position;
use corm::chrono::Utc;
use corm::serde::Serialize;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

use crate::BenchError;
use crate::changes::{quantile, write_at_rate};
use crate::connections::{Server, open};
use crate::generated::Db;

/// What was measured.
#[derive(Clone, Debug, Serialize)]
#[serde(crate = "corm::serde")]
pub struct FeedLatencyReport {
    /// SSE clients.
    pub subscribers: usize,
    /// Writes per second.
    pub rate: f64,
    /// Writes.
    pub writes: u64,
    /// Changes received, over all clients (`subscribers × writes` unless
    /// some were closed).
    pub received: u64,
    /// Write to client: median and 99th percentile, ms.
    pub p50_ms: f64,
    /// See `p50_ms`.
    pub p99_ms: f64,
    /// The writes' own latency: median and 99th percentile, ms.
    pub write_p50_ms: f64,
    /// See `write_p50_ms`.
    pub write_p99_ms: f64,
}

/// Where `needle` first is in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Reads SSE events from `stream` until `expected` changes came or the
/// stream ends; each change's latency, ms.
async fn read_changes(mut stream: TcpStream, expected: u64) -> Vec<f64> {
    const KEY: &[u8] = b"\"position\":\"";
    let mut samples = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    let mut buffer = Vec::new();
    let mut chunk = vec![0_u8; 64 * 1024];
    while (samples.len() as u64) < expected {
        let Ok(read) = stream.read(&mut chunk).await else {
            break;
        };
        if read == 0 {
            break;
        }
        let arrived = Utc::now();
        buffer.extend_from_slice(&chunk[..read]);
        let mut consumed = 0;
        while let Some(end) = find(&buffer[consumed..], b"\n\n") {
            let event = &buffer[consumed..consumed + end];
            consumed += end + 2;
            let Some(at) = find(event, KEY) else {
                continue;
            };
            let position = event
                .get(at + KEY.len()..at + KEY.len() + 36)
                .and_then(|text| std::str::from_utf8(text).ok())
                .and_then(|text| Position::from_str(text).ok());
            if let Some(position) = position {
                let micros = (arrived - position.time()).num_microseconds().unwrap_or(0);
                samples.push(micros as f64 / 1000.0);
            }
        }
        buffer.drain(..consumed);
    }
    samples
}

/// Runs the measurement.
///
/// # Errors
/// The server did not start, a connection or a write failed.
pub async fn measure(
    db: &Db,
    exe: &std::path::Path,
    subscribers: usize,
    rate: f64,
    seconds: f64,
) -> Result<FeedLatencyReport, BenchError> {
    let (server, address) = Server::start(exe)?;
    let request = format!("GET /changes/logged_user HTTP/1.1\r\nHost: {address}\r\n\r\n");
    let writes = (rate * seconds).round() as u64;
    let mut readers = Vec::new();
    for _ in 0..subscribers {
        let stream = open(&address, &request, "200").await?;
        readers.push(tokio::spawn(read_changes(stream, writes)));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut took = write_at_rate(db, rate, writes).await?;
    let mut samples = Vec::new();
    for reader in readers {
        samples.extend(
            reader
                .await
                .map_err(|error| BenchError::Setup(format!("a reader failed: {error}")))?,
        );
    }
    drop(server);
    samples.sort_by(f64::total_cmp);
    took.sort_by(f64::total_cmp);
    Ok(FeedLatencyReport {
        subscribers,
        rate,
        writes,
        received: samples.len() as u64,
        p50_ms: quantile(&samples, 0.5),
        p99_ms: quantile(&samples, 0.99),
        write_p50_ms: quantile(&took, 0.5),
        write_p99_ms: quantile(&took, 0.99),
    })
}
