//! `cormc backup` and `cormc restore` on the node: a keyspace with every
//! CQL type and 100,000+ rows backed up (killed midway and resumed),
//! verified, restored into another keyspace (killed midway and resumed),
//! and found equal row for row: values, write times, TTLs ending at the
//! same second as the source's or one sooner, never later;
//! counters restored into an empty table; a corrupted chunk found by
//! `verify` and refused by `restore` before anything is written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use corm::Session;
use corm::futures::StreamExt;
use corm::scylla::response::{PagingState, PagingStateResponse};
use corm::scylla::value::{CqlValue, Row};

const SCHEMA: &str = "
CREATE TYPE address (street text, city text, zip frozen<list<int>>);
CREATE TABLE everything (id int, part int, at timeuuid, label text static,
  a ascii, big bigint, b blob, flag boolean, day date, dec decimal, dbl double, dur duration,
  f float, ip inet, small smallint, moment time, ts timestamp, tiny tinyint, u uuid, v varint,
  names list<text>, tags set<int>, scores map<text, double>, home frozen<address>, work address,
  pair tuple<int, text>, nested frozen<map<text, frozen<list<frozen<set<int>>>>>>, emb vector<float, 3>,
  PRIMARY KEY ((id), part, at));
CREATE TABLE events (id int, seq int, body text, PRIMARY KEY ((id), seq));
CREATE TABLE hits (page text, day int, views counter, clicks counter, PRIMARY KEY ((page), day));
";

const EVENTS: i32 = 100_000;
const EVERYTHING: i32 = 2_000;

fn cormc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cormc"))
        .args(args)
        .output()
        .unwrap()
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cormc"))
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until `done(folder)` or the child ends; then kills it. Whether
/// it was killed (rather than finished first).
fn kill_when(child: &mut Child, folder: &Path, done: impl Fn(&Path) -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if done(folder) {
            child.kill().unwrap();
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("neither finished nor reached the point to kill it");
}

async fn run_script(session: &Session, script: &str) {
    for statement in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        session
            .run_ddl(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// Fills the tables: varied write times, some cells with a TTL, some
/// null, some partitions with static cells only.
async fn fill(session: &Session) {
    let events = session
        .prepare("INSERT INTO events (id, seq, body) VALUES (?, ?, ?) USING TIMESTAMP ?")
        .await
        .unwrap();
    corm::futures::stream::iter(0..EVENTS)
        .map(|n| {
            let events = &events;
            async move {
                let body = (n % 7 != 0).then(|| format!("event {n}"));
                session
                    .execute(
                        events,
                        (
                            n / 10,
                            n % 10,
                            body,
                            1_700_000_000_000_000_i64 + i64::from(n),
                        ),
                    )
                    .await
                    .unwrap();
            }
        })
        .buffer_unordered(64)
        .collect::<Vec<()>>()
        .await;
    let insert = session
        .prepare(
            "INSERT INTO everything (id, part, at, label, a, big, b, flag, day, dec, dbl, dur, f, ip, small, moment, ts, \
             tiny, u, v, names, tags, scores, home, work, pair, nested, emb) VALUES (?, ?, now(), ?, 'ascii', ?, 0xcafe, \
             true, '2026-12-07', 12345678901234567890.123456789, 1.5, 1h30m, 2.5, '10.0.0.1', 7, '12:34:56.789', \
             '2026-12-07 10:00:00+0000', 3, uuid(), 123456789012345678901234567890, ['a', 'b'], {1, 2}, \
             {'x': 1.25}, {street: 'Main', city: 'Oslo', zip: [1, 2]}, {street: 'Side', city: 'Rome', zip: [3]}, \
             (1, 'one'), {'k': [{1, 2}, {3}]}, [0.1, 0.2, 0.3]) USING TIMESTAMP ? AND TTL ?",
        )
        .await
        .unwrap();
    for n in 0..EVERYTHING {
        let ttl = if n % 3 == 0 { 86_400 } else { 0 };
        session
            .execute(
                &insert,
                (
                    n / 4,
                    n % 4,
                    format!("label {}", n / 4),
                    i64::from(n) * 1_000_000_007,
                    1_700_000_000_000_000_i64 + i64::from(n),
                    ttl,
                ),
            )
            .await
            .unwrap();
    }
    // A cell written later than its row, and one nulled.
    session.query("UPDATE everything USING TIMESTAMP 1800000000000000 SET big = 42 WHERE id = 1 AND part = 1 AND at = now()", ()).await.unwrap();
    // A row of its key alone, after others in a partition with static
    // cells.
    session
        .query(
            "INSERT INTO everything (id, part, at) VALUES (1, 9, now())",
            (),
        )
        .await
        .unwrap();
    // Static cells of a partition without rows.
    session
        .query(
            "INSERT INTO everything (id, label) VALUES (100000, 'alone')",
            (),
        )
        .await
        .unwrap();
    let hits = session
        .prepare(
            "UPDATE hits SET views = views + ?, clicks = clicks + ? WHERE page = ? AND day = ?",
        )
        .await
        .unwrap();
    for n in 0..200_i64 {
        session
            .execute(
                &hits,
                (
                    corm::scylla::value::Counter(n * 3),
                    corm::scylla::value::Counter(n),
                    format!("page {}", n % 20),
                    i32::try_from(n).unwrap(),
                ),
            )
            .await
            .unwrap();
    }
}

/// Every row of `table` with each non-key cell's write time, sorted; and
/// apart, the second each cell with a TTL expires at (Unix time).
async fn dump(
    session: &Session,
    keyspace: &str,
    table: &str,
) -> (Vec<String>, Vec<Vec<Option<i64>>>) {
    let statement = "SELECT column_name, kind, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?";
    let rows = session
        .query(statement, (keyspace, table))
        .await
        .unwrap()
        .into_rows_result()
        .unwrap();
    let mut columns: Vec<(String, String, String)> = rows
        .rows::<(String, String, String)>()
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    columns.sort();
    let mut selected = Vec::new();
    let mut ttls = Vec::new();
    for (name, kind, ty) in &columns {
        selected.push(name.clone());
        if kind != "partition_key" && kind != "clustering" && ty != "counter" {
            let multi = ty.starts_with("list<")
                || ty.starts_with("set<")
                || ty.starts_with("map<")
                || ty == "address";
            selected.push(if multi {
                format!("maxwritetime({name})")
            } else {
                format!("writetime({name})")
            });
            if !multi {
                ttls.push(selected.len());
                selected.push(format!("ttl({name})"));
            }
        }
    }
    let query = format!("SELECT {} FROM \"{keyspace}\".{table}", selected.join(", "));
    let prepared = session.prepare(&query).await.unwrap();
    let mut rows: Vec<(String, Vec<Option<i64>>)> = Vec::new();
    let mut paging = PagingState::start();
    loop {
        // The second the page was read in (read again while its request
        // spans the turn of a second): each TTL counts from it.
        let (result, next, second) = loop {
            let before = corm::chrono::Utc::now().timestamp();
            let (result, next) = session
                .driver()
                .execute_single_page(&prepared, (), paging.clone())
                .await
                .unwrap();
            if corm::chrono::Utc::now().timestamp() == before {
                break (result, next, before);
            }
        };
        for row in result.into_rows_result().unwrap().rows::<Row>().unwrap() {
            let row = row.unwrap();
            let mut expiries = Vec::new();
            let mut rest = Vec::new();
            for (index, value) in row.columns.into_iter().enumerate() {
                if ttls.contains(&index) {
                    expiries.push(match value {
                        Some(CqlValue::Int(ttl)) => Some(second + i64::from(ttl)),
                        _ => None,
                    });
                } else {
                    rest.push(value);
                }
            }
            // A user-defined type's value names its keyspace.
            let text =
                format!("{rest:?}").replace(&format!("keyspace: \"{keyspace}\""), "keyspace: _");
            rows.push((text, expiries));
        }
        match next {
            PagingStateResponse::HasMorePages { state } => paging = state,
            PagingStateResponse::NoMorePages => break,
        }
    }
    rows.sort();
    rows.into_iter().unzip()
}

async fn assert_same(session: &Session, source: &str, target: &str, table: &str) {
    let (source_rows, source_expiries) = dump(session, source, table).await;
    let (target_rows, target_expiries) = dump(session, target, table).await;
    assert_eq!(source_rows.len(), target_rows.len(), "{table}: row counts");
    if let Some((a, b)) = source_rows.iter().zip(&target_rows).find(|(a, b)| a != b) {
        panic!("{table}: rows differ:\n{a}\n{b}");
    }
    for (a, b) in source_expiries
        .iter()
        .flatten()
        .zip(target_expiries.iter().flatten())
    {
        match (a, b) {
            // Never later than the source's, at most a second sooner.
            (Some(a), Some(b)) => {
                assert!(
                    (0..=1).contains(&(a - b)),
                    "{table}: a cell expires at {b}, its source at {a}"
                )
            }
            (a, b) => assert_eq!(a, b, "{table}: TTL"),
        }
    }
}

fn manifest_ranges(folder: &Path) -> usize {
    std::fs::read_to_string(folder.join("manifest.json"))
        .ok()
        .map_or(0, |text| text.matches("\"sha256\"").count())
}

fn restored_ranges(folder: &Path, keyspace: &str) -> usize {
    std::fs::read_to_string(folder.join(format!("restore-{keyspace}.json")))
        .ok()
        .and_then(|text| corm::serde_json::from_str::<corm::serde_json::Value>(&text).ok())
        .map_or(0, |state| {
            state["done"].as_object().map_or(0, |done| {
                done.values()
                    .map(|v| v.as_array().map_or(0, Vec::len))
                    .sum()
            })
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_and_a_restore_killed_midway_resume_and_every_table_comes_back_equal() {
    corm::testing::with_keyspace("backup_source", |session| async move {
        let source = session.keyspace().unwrap();
        let copy = format!("{source}_copy");
        let damaged = format!("{source}_damaged");
        run_script(&session, SCHEMA).await;
        fill(&session).await;
        let root: PathBuf = std::env::temp_dir().join(format!("corm-backups-{source}"));
        let _ = std::fs::remove_dir_all(&root);
        let folder = root.join("first");
        let path = folder.to_str().unwrap().to_owned();

        // A slow backup, killed after a few ranges, then finished.
        let mut first = spawn(&[
            "backup",
            "--keyspace",
            &source,
            "--ranges",
            "16",
            "--concurrency",
            "1",
            "--rows-per-second",
            "20000",
            &path,
        ]);
        assert!(
            kill_when(&mut first, &folder, |f| manifest_ranges(f) >= 3),
            "the backup finished before it was killed"
        );
        let partial = manifest_ranges(&folder);
        let second = cormc(&["backup", "--keyspace", &source, "--ranges", "16", &path]);
        assert_eq!(second.status.code(), Some(0), "{second:?}");
        let said = String::from_utf8_lossy(&second.stdout);
        assert!(
            said.contains(&format!("{partial} ranges were already done")),
            "{said}"
        );
        let verified = cormc(&["backup", "verify", &path]);
        assert_eq!(verified.status.code(), Some(0), "{verified:?}");
        // The update by `now()`, the key-only row and the partition of
        // static cells are rows too.
        let rows = EVENTS + EVERYTHING + 3 + 200;
        assert!(
            String::from_utf8_lossy(&verified.stdout).contains(&format!("{} rows", rows)),
            "{verified:?}"
        );

        // A restore into another keyspace, killed midway, then finished.
        let tables = "everything,events";
        let mut restoring = spawn(&[
            "restore",
            &path,
            "--keyspace",
            &copy,
            "--create-schema",
            "--tables",
            tables,
            "--concurrency",
            "2",
        ]);
        let killed = kill_when(&mut restoring, &folder, |f| restored_ranges(f, &copy) >= 2);
        let finished = cormc(&[
            "restore",
            &path,
            "--keyspace",
            &copy,
            "--create-schema",
            "--tables",
            tables,
        ]);
        assert_eq!(finished.status.code(), Some(0), "{finished:?}");
        assert!(killed, "the restore finished before it was killed");
        let said = String::from_utf8_lossy(&finished.stdout);
        assert!(!said.contains(" 0 ranges were already done"), "{said}");
        // Counters go into their empty table in a run of their own.
        let counters = cormc(&["restore", &path, "--keyspace", &copy, "--tables", "hits"]);
        assert_eq!(counters.status.code(), Some(0), "{counters:?}");
        for table in ["everything", "events", "hits"] {
            assert_same(&session, &source, &copy, table).await;
        }
        // Counters are not restored twice into a table that has them.
        let again = cormc(&["restore", &path, "--keyspace", &copy, "--tables", "hits"]);
        assert_eq!(
            again.status.code(),
            Some(0),
            "finished ranges are skipped: {again:?}"
        );
        std::fs::remove_file(folder.join(format!("restore-{copy}.json"))).unwrap();
        let refused = cormc(&["restore", &path, "--keyspace", &copy, "--tables", "hits"]);
        assert_eq!(refused.status.code(), Some(1), "{refused:?}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("not empty"),
            "{refused:?}"
        );

        // A flipped byte: found by verify, refused by restore before any write.
        let chunk = std::fs::read_dir(folder.join("events"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "zst"))
            .unwrap();
        let mut bytes = std::fs::read(&chunk).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        std::fs::write(&chunk, bytes).unwrap();
        let name = chunk.file_name().unwrap().to_str().unwrap().to_owned();
        let verified = cormc(&["backup", "verify", &path]);
        assert_eq!(verified.status.code(), Some(1), "{verified:?}");
        assert!(
            String::from_utf8_lossy(&verified.stderr).contains(&name),
            "{verified:?}"
        );
        let refused = cormc(&["restore", &path, "--keyspace", &damaged, "--create-schema"]);
        assert_eq!(refused.status.code(), Some(1), "{refused:?}");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains(&name),
            "{refused:?}"
        );
        let written = session
            .query(&format!("SELECT * FROM \"{damaged}\".events LIMIT 1"), ())
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows_num();
        assert_eq!(written, 0, "nothing was restored");

        // A table whose columns differ is refused, with the difference.
        let other = format!("{source}_other");
        session
            .run_ddl(&format!("CREATE KEYSPACE \"{other}\" WITH replication = {{'class': 'SimpleStrategy', 'replication_factor': 1}}"))
            .await
            .unwrap();
        session
            .run_ddl(&format!("CREATE TABLE \"{other}\".hits (page text, day int, views counter, PRIMARY KEY ((page), day))"))
            .await
            .unwrap();
        let second = root.join("second");
        let small = cormc(&["backup", "--keyspace", &source, "--tables", "hits", "--ranges", "2", second.to_str().unwrap()]);
        assert_eq!(small.status.code(), Some(0), "{small:?}");
        let refused = cormc(&["restore", second.to_str().unwrap(), "--keyspace", &other]);
        assert_eq!(refused.status.code(), Some(1), "{refused:?}");
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("columns differ") && said.contains("clicks counter"), "{said}");

        // Retention: two backups listed, the older pruned.
        let root_path = root.to_str().unwrap();
        let listed = cormc(&["backup", "list", root_path]);
        let lines = String::from_utf8_lossy(&listed.stdout).lines().count();
        assert_eq!(lines, 2, "{listed:?}");
        let pruned = cormc(&["backup", "prune", root_path, "--keep", "1"]);
        assert_eq!(pruned.status.code(), Some(0), "{pruned:?}");
        assert!(!folder.exists() && second.exists(), "{pruned:?}");

        for keyspace in [&copy, &damaged, &other] {
            session
                .run_ddl(&format!("DROP KEYSPACE IF EXISTS \"{keyspace}\""))
                .await
                .unwrap();
        }
        std::fs::remove_dir_all(&root).unwrap();
    })
    .await;
}

/// A disk that fills up midway, as a file-size limit on the backup's
/// process (`ulimit -f`; writes past it fail with EFBIG, the signal
/// ignored): the backup ends with a message naming the file it could not
/// write and a non-zero status, what it recorded is intact, and a run
/// with room finishes it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_that_runs_out_of_space_says_so_and_resumes() {
    corm::testing::with_keyspace("backup_full", |session| async move {
        let source = session.keyspace().unwrap();
        session
            .run_ddl("CREATE TABLE notes (id int, seq int, body text, PRIMARY KEY ((id), seq))")
            .await
            .unwrap();
        // A small table, backed up first: its chunks fit.
        session
            .run_ddl("CREATE TABLE labels (id int PRIMARY KEY, name text)")
            .await
            .unwrap();
        for id in 0..50 {
            session
                .query("INSERT INTO labels (id, name) VALUES (?, 'label')", (id,))
                .await
                .unwrap();
        }
        let insert = session
            .prepare("INSERT INTO notes (id, seq, body) VALUES (?, ?, ?)")
            .await
            .unwrap();
        let rows = 20_000;
        corm::futures::stream::iter(0..rows)
            .map(|n: i32| {
                let insert = &insert;
                let session = &session;
                async move {
                    // Bodies that do not compress away: the chunks are big.
                    let body = format!("{:x}", md5_like(n));
                    session
                        .execute(insert, (n / 20, n % 20, body))
                        .await
                        .unwrap();
                }
            })
            .buffer_unordered(64)
            .collect::<Vec<()>>()
            .await;
        let root = std::env::temp_dir().join(format!("corm-backups-{source}"));
        let _ = std::fs::remove_dir_all(&root);
        let path = root.to_str().unwrap().to_owned();
        let cormc_path = env!("CARGO_BIN_EXE_cormc");
        // 64 blocks of 512 bytes: room for the manifest, not for a chunk.
        let full = Command::new("sh")
            .args([
                "-c",
                "trap '' XFSZ; ulimit -f 64; exec \"$@\"",
                "sh",
                cormc_path,
            ])
            .args(["backup", "--keyspace", &source, "--ranges", "8", &path])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&full.stderr);
        // 2: the backup stopped (1 is a refused or damaged backup).
        assert_eq!(full.status.code(), Some(2), "{full:?}");
        assert!(
            said.contains("File too large") && said.contains(&path),
            "the message names the file it could not write: {said}"
        );
        assert!(said.contains("run the same command again"), "{said}");
        let done_before = manifest_ranges(&root);
        let finished = cormc(&["backup", "--keyspace", &source, "--ranges", "8", &path]);
        assert_eq!(finished.status.code(), Some(0), "{finished:?}");
        // The ranges finished before the disk filled are not read again.
        let said = String::from_utf8_lossy(&finished.stdout);
        assert!(
            said.contains(&format!("{done_before} ranges were already done")),
            "{said}"
        );
        println!("{done_before} ranges were done when the disk filled");
        let verified = cormc(&["backup", "verify", &path]);
        assert_eq!(verified.status.code(), Some(0), "{verified:?}");
        assert!(
            String::from_utf8_lossy(&verified.stdout).contains(&format!("{} rows", rows + 50)),
            "{verified:?}"
        );
        assert!(
            done_before > 0,
            "some ranges finished before the disk filled"
        );
        std::fs::remove_dir_all(&root).unwrap();
    })
    .await;
}

/// A number that looks random, for bodies zstd can't shrink much.
fn md5_like(n: i32) -> u128 {
    let mut x =
        u128::from(n.unsigned_abs()).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    x ^= x >> 61;
    x.wrapping_mul(0xBF58_476D_1CE4_E5B9_94D0_49BB_1331_11EB)
}
