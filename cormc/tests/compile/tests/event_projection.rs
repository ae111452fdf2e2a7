//! Projections through the code generated for the `event_store` fixture,
//! against a real node: a read model (a generated model) kept from the
//! feed equals the aggregates; a projection that fails midway and is run
//! again ends with every committed event applied once; a writer that dies
//! between its feed entry and its append, and appends that lose a race,
//! deliver nothing; an append that lands long after its feed entry was read
//! is delivered.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use corm::events::{Aggregate, Recorded};
use corm::scylla::deserialize::row::DeserializeRow;
use corm::serde::{Deserialize, Serialize};
use corm::testing::with_keyspace;
use corm::{BigDecimal, Error, Session, Uuid};
use corm_codegen_fixtures::event_store::{
    AccountBalance, AccountBalanceKey, AccountEvent, Db, account::Deposited,
};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(crate = "corm::serde")]
struct Account {
    balance: BigDecimal,
    deposits: i64,
}

impl Aggregate for Account {
    type Event = AccountEvent;

    fn apply(&mut self, event: &AccountEvent) {
        if let AccountEvent::Deposited(deposit) = event {
            self.balance += &deposit.amount;
            self.deposits += 1;
        }
    }
}

fn deposit(cents: i64) -> AccountEvent {
    Deposited {
        amount: BigDecimal::new(cents.into(), 2),
        note: None,
        channel: None,
        at: None,
    }
    .into()
}

/// Applies an event to the read model, once: an event at or below the
/// row's version was applied before (the projection delivers at least
/// once).
async fn apply(db: &Db, account: &Uuid, recorded: Recorded<AccountEvent>) -> corm::Result<()> {
    let key = AccountBalanceKey { account: *account };
    let mut row = db
        .account_balance()
        .get(&key)
        .await?
        .unwrap_or(AccountBalance {
            account: *account,
            balance: BigDecimal::from(0),
            deposits: 0,
            version: 0,
        });
    let version = i64::try_from(recorded.version).unwrap();
    if version <= row.version {
        return Ok(());
    }
    assert_eq!(version, row.version + 1, "events of a stream come in order");
    if let AccountEvent::Deposited(deposit) = &recorded.event {
        row.balance += &deposit.amount;
        row.deposits += 1;
    }
    row.version = version;
    db.account_balance().insert(&row).await
}

async fn read_model(db: &Db, account: &Uuid) -> (BigDecimal, i64, i64) {
    let key = AccountBalanceKey { account: *account };
    let row = db.account_balance().get(&key).await.unwrap().unwrap();
    (row.balance, row.deposits, row.version)
}

#[tokio::test]
async fn a_read_model_follows_every_committed_event_once() {
    with_keyspace("events_projection", |session| async move {
        let db = db(session.clone()).await;
        let accounts: Vec<Uuid> = (0..6).map(|_| Uuid::new_v4()).collect();
        // Commands from several tasks per account.
        let tasks = accounts.iter().flat_map(|account| {
            (0..3).map(|task| {
                let (db, account) = (db.clone(), *account);
                tokio::spawn(async move {
                    for n in 0..10 {
                        db.account()
                            .with_attempts(1_000)
                            .execute(&account, |_: &Account| {
                                Ok::<_, String>(vec![deposit(100 * task + n)])
                            })
                            .await
                            .unwrap();
                    }
                })
            })
        });
        for task in corm::futures::future::join_all(tasks.collect::<Vec<_>>()).await {
            task.unwrap();
        }
        // Races that lose: their feed entries name versions another
        // append took, which are delivered once, by whichever comes first.
        let raced = accounts[0];
        let version = db.account().version(&raced).await.unwrap();
        let racers = (0..5).map(|n| {
            let db = db.clone();
            async move {
                db.account()
                    .append(&raced, version, &[deposit(7_000 + n)])
                    .await
            }
        });
        let outcomes = corm::futures::future::join_all(racers).await;
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1);

        // The first run fails after 40 events (a crash of the projector);
        // the second, a new projector with the same name, goes on.
        let projection = db.account().projection("balances");
        let mut handled = 0;
        let failed = projection
            .run_once(async |account: &Uuid, recorded| {
                handled += 1;
                if handled > 40 {
                    return Err(Error::EventStore {
                        store: "test",
                        problem: "the projector died".to_owned(),
                    });
                }
                apply(&db, account, recorded).await
            })
            .await;
        assert!(failed.is_err());
        let restarted = db.account().projection("balances");
        let progress = restarted
            .run_once(async |account: &Uuid, recorded| apply(&db, account, recorded).await)
            .await
            .unwrap();
        assert_eq!(progress.open, 0, "{progress:?}");
        assert!(progress.delivered >= 181 - 40, "{progress:?}");
        let lag = progress.lag(corm::chrono::Utc::now()).unwrap();
        assert!(lag < corm::chrono::TimeDelta::minutes(5), "{lag}");
        for account in &accounts {
            let state = db
                .account()
                .load_aggregate::<Account>(account)
                .await
                .unwrap();
            let expected = (
                state.state.balance.clone(),
                state.state.deposits,
                i64::try_from(state.version).unwrap(),
            );
            assert_eq!(read_model(&db, account).await, expected);
        }
        // A pass with nothing new delivers nothing.
        let again = restarted
            .run_once(async |account: &Uuid, recorded| apply(&db, account, recorded).await)
            .await
            .unwrap();
        assert_eq!(again.delivered, 0, "{again:?}");

        // The feed's entries are spread over the hour's shards (181
        // appends, each to a random one of eight), and the projection's
        // stream versions are one small partition per stream.
        let keyspace = session.keyspace().unwrap();
        let shards: Vec<(corm::chrono::DateTime<corm::chrono::Utc>, i32)> = rows(
            &session,
            &format!("SELECT DISTINCT bucket, shard FROM \"{keyspace}\".account_feed"),
        )
        .await;
        let distinct: BTreeSet<i32> = shards.iter().map(|(_, shard)| *shard).collect();
        assert!(distinct.len() >= 4 && distinct.iter().all(|shard| (0..8).contains(shard)), "{shards:?}");
        let projected: Vec<(String, Uuid, i64)> = rows(
            &session,
            &format!("SELECT projection, stream, version FROM \"{keyspace}\".account_projected"),
        )
        .await;
        assert_eq!(projected.len(), accounts.len(), "{projected:?}");
        for (projection, stream, version) in projected {
            assert_eq!(projection, "balances");
            let stored = db.account().version(&stream).await.unwrap();
            assert_eq!(version, i64::try_from(stored).unwrap());
        }

        // Pruning: an hour three hours back (an entry written there by
        // hand) goes once the projection has passed it; a time the
        // projection has not reached is refused, naming it, and deletes
        // nothing.
        let now = corm::chrono::Utc::now();
        let hour = corm::chrono::TimeDelta::hours(1);
        let old_bucket = corm::chrono::DateTime::from_timestamp(now.timestamp() / 3600 * 3600, 0).unwrap() - hour * 3;
        session
            .query(
                &format!(
                    "INSERT INTO \"{keyspace}\".account_feed (bucket, shard, position, id, first_version, last_version) \
                     VALUES (?, 3, minTimeuuid(?), ?, 1, 1)"
                ),
                (old_bucket, old_bucket, accounts[0]),
            )
            .await
            .unwrap();
        let refused = db.account().prune_feed(now + hour * 2).await;
        assert!(
            matches!(refused, Err(Error::EventStore { ref problem, .. }) if problem.contains("`balances`")),
            "{refused:?}"
        );
        let before: Vec<(corm::chrono::DateTime<corm::chrono::Utc>, i32)> = rows(
            &session,
            &format!("SELECT DISTINCT bucket, shard FROM \"{keyspace}\".account_feed"),
        )
        .await;
        assert!(before.contains(&(old_bucket, 3)), "{before:?}");
        let deleted = db.account().prune_feed(old_bucket + hour).await.unwrap();
        assert_eq!(deleted, 1);
        let after: Vec<(corm::chrono::DateTime<corm::chrono::Utc>, i32)> = rows(
            &session,
            &format!("SELECT DISTINCT bucket, shard FROM \"{keyspace}\".account_feed"),
        )
        .await;
        assert_eq!(after.len(), before.len() - 1, "{after:?}");
        assert!(!after.contains(&(old_bucket, 3)));
    })
    .await;
}

/// The rows of `cql`, read through the driver.
async fn rows<T>(session: &Session, cql: &str) -> Vec<T>
where
    T: for<'f, 'm> DeserializeRow<'f, 'm>,
{
    session
        .query(cql, ())
        .await
        .unwrap()
        .into_rows_result()
        .unwrap()
        .rows::<T>()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test]
async fn announced_appends_are_kept_open_until_the_stream_moves_past_them() {
    with_keyspace("events_projection_open", |session| async move {
        let db = db(session).await;
        let account = Uuid::new_v4();
        let other = Uuid::new_v4();
        db.account()
            .append(&account, 0, &[deposit(100)])
            .await
            .unwrap();
        // A writer announces versions 2..=3 and dies before appending.
        db.account().announce(&account, 1, 2).await.unwrap();
        db.account().append(&other, 0, &[deposit(5)]).await.unwrap();
        let projection = db.account().projection("open");
        let handle = async |id: &Uuid, recorded| apply(&db, id, recorded).await;
        let first = projection.run_once(handle).await.unwrap();
        // The dead writer's entry is kept open; the others go through.
        assert_eq!((first.delivered, first.open), (2, 1), "{first:?}");
        // A restarted projector still holds it open.
        let again = db
            .account()
            .projection("open")
            .run_once(handle)
            .await
            .unwrap();
        assert_eq!((again.delivered, again.open), (0, 1), "{again:?}");
        // Another writer moves the stream past it: its event is delivered,
        // the dead entry is passed over, nothing of it delivered.
        db.account()
            .append(&account, 1, &[deposit(1)])
            .await
            .unwrap();
        let second = projection.run_once(handle).await.unwrap();
        assert_eq!((second.delivered, second.open), (1, 0), "{second:?}");
        assert_eq!(second.abandoned, 1, "{second:?}");
        assert_eq!(
            read_model(&db, &account).await,
            (BigDecimal::new(101.into(), 2), 2, 2)
        );
        assert_eq!(read_model(&db, &other).await.2, 1);

        // A slow writer: its entry is read long before its append lands
        // (the append here writes no entry of its own). The projection keeps
        // the entry open and delivers the events once they are there.
        db.account().announce(&account, 2, 2).await.unwrap();
        let before = projection.run_once(handle).await.unwrap();
        assert_eq!((before.delivered, before.open), (0, 1), "{before:?}");
        db.account()
            .append_unannounced(&account, 2, &[deposit(10), deposit(20)])
            .await
            .unwrap();
        let after = projection.run_once(handle).await.unwrap();
        assert_eq!((after.delivered, after.open), (2, 0), "{after:?}");
        assert_eq!(
            read_model(&db, &account).await,
            (BigDecimal::new(131.into(), 2), 4, 4)
        );

        // Five appends expecting one version: one lands and is delivered,
        // the other four are counted as abandoned, once (the next pass
        // reads them again in its look-back and counts nothing).
        let version = db.account().version(&other).await.unwrap();
        let racers = (0..5).map(|n| {
            let db = db.clone();
            async move { db.account().append(&other, version, &[deposit(n)]).await }
        });
        let landed = corm::futures::future::join_all(racers)
            .await
            .into_iter()
            .filter(Result::is_ok)
            .count();
        assert_eq!(landed, 1);
        let raced = projection.run_once(handle).await.unwrap();
        assert_eq!(
            (raced.delivered, raced.abandoned, raced.open),
            (1, 4, 0),
            "{raced:?}"
        );
        let quiet = projection.run_once(handle).await.unwrap();
        assert_eq!((quiet.delivered, quiet.abandoned), (0, 0), "{quiet:?}");
        assert_eq!(read_model(&db, &other).await.2, 2);
    })
    .await;
}
