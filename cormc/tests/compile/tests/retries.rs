//! Retries and idempotence marks through the code generated for the
//! `mutations` fixture, against a real node reached through a TCP proxy
//! that can hold back the node's answers.
//!
//! With the answers held back longer than the request timeout, every
//! attempt times out on the client while the node still applies it. The
//! proxy counts the `EXECUTE` frames the session sends, and the node's
//! data shows what landed: an idempotent statement (a read, a plain
//! update) is attempted `1 + max_retries` times; a counter update, a list
//! append and a lightweight transaction exactly once, so a timed-out
//! increment is applied once, not three times.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use corm::testing::with_keyspace;
use corm::{Config, RetryPolicy, Session, Uuid};
use corm_codegen_fixtures::mutations::{Db, LikesKey, Room, RoomKey};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The CQL opcode of `EXECUTE` (a prepared statement run).
const EXECUTE: u8 = 0x0A;

/// A TCP proxy to the node that counts the `EXECUTE` frames sent through
/// it and holds each chunk of the node's answers back for `delay_ms`.
#[derive(Clone)]
struct Proxy {
    address: SocketAddr,
    executes: Arc<AtomicUsize>,
    delay_ms: Arc<AtomicU64>,
}

impl Proxy {
    async fn start(node: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Self {
            address: listener.local_addr().unwrap(),
            executes: Arc::default(),
            delay_ms: Arc::default(),
        };
        let shared = proxy.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let Ok(server) = TcpStream::connect(node).await else {
                    continue;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::spawn(requests(
                    client_read,
                    server_write,
                    Arc::clone(&shared.executes),
                ));
                tokio::spawn(answers(
                    server_read,
                    client_write,
                    Arc::clone(&shared.delay_ms),
                ));
            }
        });
        proxy
    }

    fn hold_answers(&self, delay: Duration) {
        self.delay_ms
            .store(u64::try_from(delay.as_millis()).unwrap(), Ordering::SeqCst);
    }

    /// The `EXECUTE` frames sent since the last call.
    fn take_executes(&self) -> usize {
        self.executes.swap(0, Ordering::SeqCst)
    }
}

/// Client to node, frame by frame (protocol v4: a 9-byte header, the
/// opcode at 4, the body's length at 5..9), counting `EXECUTE`s.
async fn requests(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    executes: Arc<AtomicUsize>,
) {
    let mut header = [0u8; 9];
    loop {
        if from.read_exact(&mut header).await.is_err() {
            return;
        }
        let length = u32::from_be_bytes([header[5], header[6], header[7], header[8]]);
        let mut body = vec![0u8; usize::try_from(length).unwrap()];
        if from.read_exact(&mut body).await.is_err() {
            return;
        }
        if header[4] == EXECUTE {
            executes.fetch_add(1, Ordering::SeqCst);
        }
        if to.write_all(&header).await.is_err() || to.write_all(&body).await.is_err() {
            return;
        }
    }
}

/// Node to client, each chunk held back for the current delay.
async fn answers(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay_ms: Arc<AtomicU64>,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => read,
        };
        let delay = delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if to.write_all(&buffer[..read]).await.is_err() {
            return;
        }
    }
}

fn node() -> SocketAddr {
    std::env::var("CORM_CONTACT_POINTS")
        .ok()
        .and_then(|points| points.split(',').next().map(str::trim).map(str::to_owned))
        .unwrap_or_else(|| "127.0.0.1:9042".to_owned())
        .parse()
        .unwrap()
}

fn room(id: Uuid) -> Room {
    Room::new(
        id,
        "lobby".to_owned(),
        BTreeSet::new(),
        vec!["ann".to_owned()],
        BTreeMap::new(),
        1,
    )
}

#[tokio::test]
async fn timeouts_retry_idempotent_statements_only() {
    with_keyspace("retries_idempotence", |session| async move {
        let keyspace = session.keyspace().unwrap();
        let direct = Db::new(session, keyspace.clone());
        direct.setup().await.unwrap();

        let proxy = Proxy::start(node()).await;
        let retry = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
        };
        let config = Config::new([proxy.address.to_string()])
            .request_timeout(Duration::from_millis(300))
            .retry(retry);
        let db = Db::new(Session::connect(&config).await.unwrap(), keyspace);

        // Every statement once with the answers flowing, so that each is
        // prepared: one like, the moderator list [ann, bob].
        let id = Uuid::new_v4();
        let post = Uuid::new_v4();
        db.room().insert(&room(id)).await.unwrap();
        db.room().get(&RoomKey { id }).await.unwrap().unwrap();
        db.likes().like(1, post).await.unwrap();
        db.room()
            .append_moderators(&["bob".to_owned()], id)
            .await
            .unwrap();
        db.room().put_setting("theme", "dark", id).await.unwrap();
        assert!(!db.room().rename("x", 9, id, 0).await.unwrap().applied());
        proxy.take_executes();

        proxy.hold_answers(Duration::from_millis(1_000));
        let attempts = |what: &str, err: corm::Error| {
            assert!(err.is_timeout(), "{what}: {err}");
            proxy.take_executes()
        };

        let err = db.room().get(&RoomKey { id }).await.unwrap_err();
        assert_eq!(attempts("a read", err), 3, "a read is retried");
        let err = db
            .room()
            .put_setting("theme", "light", id)
            .await
            .unwrap_err();
        assert_eq!(
            attempts("a map entry", err),
            3,
            "setting an entry is retried"
        );
        let err = db.likes().like(1, post).await.unwrap_err();
        assert_eq!(
            attempts("a counter", err),
            1,
            "a counter update is sent once"
        );
        let err = db
            .room()
            .append_moderators(&["cy".to_owned()], id)
            .await
            .unwrap_err();
        assert_eq!(
            attempts("a list append", err),
            1,
            "a list append is sent once"
        );
        let err = db.room().rename("x", 2, id, 1).await.unwrap_err();
        assert_eq!(
            attempts("a condition", err),
            1,
            "a lightweight transaction is sent once"
        );

        // What the node applied, read directly once the held answers are
        // through: each non-idempotent write exactly once.
        proxy.hold_answers(Duration::ZERO);
        tokio::time::sleep(Duration::from_millis(1_500)).await;
        let likes = direct
            .likes()
            .get(&LikesKey { post })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(likes.likes.0, 2, "the timed-out increment landed once");
        let stored = direct.room().get(&RoomKey { id }).await.unwrap().unwrap();
        assert_eq!(stored.moderators, ["ann", "bob", "cy"]);
        assert_eq!(stored.version, 2, "the conditional rename landed once");
        assert_eq!(
            stored.settings.get("theme").map(String::as_str),
            Some("light")
        );
    })
    .await;
}
