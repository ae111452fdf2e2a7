//! Event stores through the code generated for the `event_store` fixture,
//! against a real node: optimistic concurrency under 50 racing appenders,
//! commands from 20 tasks that lose no update, snapshots that replay like
//! the events and are skipped when they no longer read, streams that span
//! partitions, conflicts at partition boundaries, payload evolution and an
//! upcaster for a renamed event.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use corm::events::{Aggregate, ExecuteError};
use corm::serde::{Deserialize, Serialize};
use corm::testing::with_keyspace;
use corm::{BigDecimal, Error, Session, TryStreamExt, Uuid};
use corm_codegen_fixtures::event_store::{
    AccountEvent, Channel, Db, Place, TallyEvent,
    account::{Deposited, Frozen, Opened, Rated, Withdrawn},
    tally::Added,
};

async fn db(session: Session) -> Db {
    let keyspace = session.keyspace().expect("the harness uses a keyspace");
    let db = Db::new(session, keyspace);
    db.setup().await.unwrap();
    db
}

/// An account folded from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(crate = "corm::serde")]
struct Account {
    owner: Option<String>,
    balance: BigDecimal,
    deposits: u64,
    frozen: bool,
}

impl Aggregate for Account {
    type Event = AccountEvent;

    fn apply(&mut self, event: &AccountEvent) {
        match event {
            AccountEvent::Opened(opened) => self.owner = Some(opened.owner.clone()),
            AccountEvent::Deposited(deposit) => {
                self.balance += &deposit.amount;
                self.deposits += 1;
            }
            AccountEvent::Withdrawn(withdrawal) => self.balance -= &withdrawal.amount,
            AccountEvent::Frozen(_) => self.frozen = true,
            AccountEvent::Rated(_) => {}
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

fn opened() -> AccountEvent {
    Opened {
        owner: "Ada".to_owned(),
        currency: "EUR".to_owned(),
    }
    .into()
}

async fn versions(db: &Db, id: &Uuid) -> Vec<u64> {
    db.account()
        .load(id, 1)
        .await
        .unwrap()
        .map_ok(|recorded| recorded.version)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn of_fifty_racing_appenders_exactly_one_lands() {
    with_keyspace("events_race", |session| async move {
        let db = db(session).await;
        let id = Uuid::new_v4();
        // K = 25: the race after version 24 runs past the first
        // partition's 25th event (24 / 25 = partition 0 takes 25 and 26);
        // the race after 26 opens partition 1.
        let mut events = vec![opened()];
        events.extend((1..24).map(deposit));
        assert_eq!(db.account().append(&id, 0, &events).await.unwrap(), 24);
        for expected in [24, 26] {
            let racers = (0..50).map(|n| {
                let db = db.clone();
                async move {
                    let events = [deposit(1_000 + n), deposit(2_000 + n)];
                    db.account().append(&id, expected, &events).await
                }
            });
            let outcomes = corm::futures::future::join_all(racers).await;
            let landed: Vec<u64> = outcomes
                .iter()
                .filter_map(|o| o.as_ref().ok().copied())
                .collect();
            assert_eq!(landed, [expected + 2], "{outcomes:?}");
            let conflicts = outcomes
                .iter()
                .filter(|o| {
                    matches!(o, Err(Error::Conflict { expected: e, actual, .. })
                        if *e == expected && *actual == expected + 2)
                })
                .count();
            assert_eq!(conflicts, 49, "{outcomes:?}");
            assert_eq!(db.account().version(&id).await.unwrap(), expected + 2);
        }
        assert_eq!(versions(&db, &id).await, (1..=28).collect::<Vec<_>>());
        // Behind, ahead, and a new stream expected to have events.
        for (expected, actual) in [(3, 28), (30, 28), (27, 28)] {
            let refused = db.account().append(&id, expected, &[deposit(1)]).await;
            assert!(
                matches!(refused, Err(Error::Conflict { actual: a, .. }) if a == actual),
                "{expected}: {refused:?}"
            );
        }
        let fresh = Uuid::new_v4();
        let refused = db.account().append(&fresh, 5, &[deposit(1)]).await;
        assert!(
            matches!(refused, Err(Error::Conflict { actual: 0, .. })),
            "{refused:?}"
        );
        assert_eq!(versions(&db, &id).await.len(), 28);
    })
    .await;
}

#[tokio::test]
async fn commands_from_twenty_tasks_lose_no_update() {
    with_keyspace("events_commands", |session| async move {
        let db = db(session).await;
        let id = Uuid::new_v4();
        let tasks = (0..20).map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                let store = db.account().with_attempts(10_000);
                for _ in 0..100 {
                    store
                        .execute(&id, |_: &Account| Ok::<_, String>(vec![deposit(1)]))
                        .await
                        .unwrap();
                }
            })
        });
        for task in corm::futures::future::join_all(tasks).await {
            task.unwrap();
        }
        assert_eq!(db.account().version(&id).await.unwrap(), 2_000);
        assert_eq!(versions(&db, &id).await, (1..=2_000).collect::<Vec<_>>());
        let loaded = db.account().load_aggregate::<Account>(&id).await.unwrap();
        assert_eq!(loaded.version, 2_000);
        assert_eq!(loaded.state.deposits, 2_000);
        assert_eq!(loaded.state.balance, BigDecimal::from(20));

        // A refusal comes back as the command's own error; nothing lands.
        let refused = db
            .account()
            .execute(&id, |account: &Account| {
                if account.balance > 10 {
                    Err(format!("balance {} is too high", account.balance))
                } else {
                    Ok(vec![deposit(1)])
                }
            })
            .await;
        assert!(matches!(refused, Err(ExecuteError::Rejected(ref e)) if e.contains("too high")));
        assert_eq!(db.account().version(&id).await.unwrap(), 2_000);
    })
    .await;
}

#[tokio::test]
async fn snapshots_replay_like_the_events_and_bad_ones_are_skipped() {
    with_keyspace("events_snapshots", |session| async move {
        let db = db(session.clone()).await;
        let id = Uuid::new_v4();
        let store = db.account();
        store.execute(&id, |_: &Account| Ok::<_, String>(vec![opened()])).await.unwrap();
        for n in 0..37 {
            let event = if n % 5 == 4 {
                Withdrawn {
                    amount: BigDecimal::new(3.into(), 1),
                }
                .into()
            } else {
                deposit(n)
            };
            store.execute(&id, |_: &Account| Ok::<_, String>(vec![event.clone()])).await.unwrap();
        }
        // Every 10 versions a snapshot was written (10, 20, 30).
        let keyspace = session.keyspace().unwrap();
        let snapshots = format!("SELECT version FROM \"{keyspace}\".account_snapshots WHERE id = ?");
        let taken: Vec<(i64,)> = session
            .query(&snapshots, (id,))
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(taken, [(30,), (20,), (10,)]);

        // The state folded from every event, by hand.
        let mut replayed = Account::default();
        let events: Vec<_> = store.load(&id, 1).await.unwrap().try_collect().await.unwrap();
        for recorded in &events {
            replayed.apply(&recorded.event);
        }
        let loaded = store.load_aggregate::<Account>(&id).await.unwrap();
        assert_eq!((loaded.version, &loaded.state), (38, &replayed));
        assert!(loaded.skipped_snapshots.is_empty());

        // A newer snapshot that no longer reads is skipped, and the result
        // is still the full replay.
        let corrupt = format!(
            "INSERT INTO \"{keyspace}\".account_snapshots (id, version, state, taken_at) VALUES (?, 35, '{{\"balance\": [1, 2]}}', toTimestamp(now()))"
        );
        session.query(&corrupt, (id,)).await.unwrap();
        let loaded = store.load_aggregate::<Account>(&id).await.unwrap();
        assert_eq!((loaded.version, &loaded.state), (38, &replayed));
        assert_eq!(loaded.skipped_snapshots.len(), 1);
        assert_eq!(loaded.skipped_snapshots[0].version, 35);

        // Only the newest three snapshots are kept as the stream grows.
        for n in 0..25 {
            store
                .execute(&id, |_: &Account| Ok::<_, String>(vec![deposit(n)]))
                .await
                .unwrap();
        }
        let kept: Vec<(i64,)> = session
            .query(&snapshots, (id,))
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(kept, [(60,), (50,), (40,)]);
    })
    .await;
}

#[tokio::test]
async fn long_streams_span_partitions_and_replay_in_order() {
    with_keyspace("events_partitions", |session| async move {
        let db = db(session.clone()).await;
        let id = "tally-1".to_owned();
        let added = |by: i64| -> TallyEvent {
            Added {
                by,
                at: corm::chrono::Utc::now(),
                tags: BTreeSet::from([format!("t{by}")]),
            }
            .into()
        };
        // K = 3: appends of 1, 2 and 3 events walk across many partitions,
        // some appends running past a partition's third event.
        let mut version = 0;
        let mut by = 0;
        for size in [1, 2, 3, 1, 3, 2, 2, 3, 1, 1, 3, 3, 2, 1] {
            let events: Vec<TallyEvent> = (0..size)
                .map(|_| {
                    by += 1;
                    added(by)
                })
                .collect();
            version = db.tally().append(&id, version, &events).await.unwrap();
        }
        assert_eq!(version, 28);
        let keyspace = session.keyspace().unwrap();
        let partitions: Vec<(String, i64)> = session
            .query(
                &format!("SELECT DISTINCT id, partition_nr FROM \"{keyspace}\".tally_events"),
                (),
            )
            .await
            .unwrap()
            .into_rows_result()
            .unwrap()
            .rows()
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(partitions.len() >= 8, "{partitions:?}");
        for from in 1..=29 {
            let read: Vec<(u64, i64)> = db
                .tally()
                .load(&id, from)
                .await
                .unwrap()
                .map_ok(|recorded| {
                    let TallyEvent::Added(added) = recorded.event;
                    (recorded.version, added.by)
                })
                .try_collect()
                .await
                .unwrap();
            let expected: Vec<(u64, i64)> = (from..=28)
                .map(|v| (v, i64::try_from(v).unwrap()))
                .collect();
            assert_eq!(read, expected, "from {from}");
        }
        assert_eq!(db.tally().version(&id).await.unwrap(), 28);
        // A stream written with another `partition every` (3, where the
        // store says 25) is refused with that reason, not a conflict that
        // retries forever.
        let keyspace = session.keyspace().unwrap();
        let other_k = Uuid::new_v4();
        let raw = format!(
            "INSERT INTO \"{keyspace}\".account_events (id, partition_nr, version, head, event_type, payload, recorded_at, append_id) \
             VALUES (?, ?, ?, ?, 'Frozen', '{{}}', toTimestamp(now()), uuid())"
        );
        for version in 1..=6_i64 {
            let partition = (version - 1) / 3;
            let head = partition * 3 + 3;
            session.query(&raw, (other_k, partition, version, head)).await.unwrap();
        }
        let frozen: AccountEvent = Frozen {}.into();
        let refused = db.account().append(&other_k, 6, &[frozen]).await;
        assert!(
            matches!(refused, Err(Error::EventStore { ref problem, .. }) if problem.contains("partition every")),
            "{refused:?}"
        );
        // More events than a partition holds in one append are refused.
        let refused = db
            .tally()
            .append(&id, 28, &[added(1), added(2), added(3), added(4)])
            .await;
        assert!(
            matches!(refused, Err(Error::EventStore { .. })),
            "{refused:?}"
        );
        // append_any lands after whatever is there.
        assert_eq!(db.tally().append_any(&id, &[added(29)]).await.unwrap(), 29);

        // A table whose comment states another `partition every` (one laid
        // out by an older schema) is refused before anything is read or
        // written, naming both values; a `Db` reads the comment once.
        session
            .query(
                &format!(
                    "ALTER TABLE \"{keyspace}\".tally_events WITH comment = 'corm event store Tally: partition every 7'"
                ),
                (),
            )
            .await
            .unwrap();
        let fresh = Db::new(session.clone(), keyspace);
        let refusals = [
            fresh.tally().version(&id).await.map(|_| ()),
            fresh.tally().append(&id, 29, &[added(30)]).await.map(|_| ()),
            fresh.tally().load(&id, 1).await.map(|_| ()),
        ];
        for refused in refusals {
            assert!(
                matches!(refused, Err(Error::EventStore { ref problem, .. })
                    if problem.contains("partition every 7") && problem.contains("partition every 3")),
                "{refused:?}"
            );
        }
        assert_eq!(db.tally().version(&id).await.unwrap(), 29);
    })
    .await;
}

#[tokio::test]
async fn old_payloads_read_and_renamed_events_upcast() {
    with_keyspace("events_evolution", |session| async move {
        let db = db(session.clone()).await;
        let id = Uuid::new_v4();
        let keyspace = session.keyspace().unwrap();
        let insert = format!(
            "INSERT INTO \"{keyspace}\".account_events (id, partition_nr, version, head, event_type, payload, recorded_at, append_id) \
             VALUES (?, 0, ?, 3, ?, ?, toTimestamp(now()), uuid())"
        );
        // Written before `note` existed (and with a field since removed),
        // and under an event's old name.
        for (version, event_type, payload) in [
            (1_i64, "Opened", r#"{"owner":"Ada","currency":"EUR","branch":"north"}"#),
            (2, "Deposited", r#"{"amount":"12.50"}"#),
            (3, "Credited", r#"{"amount":"0.50"}"#),
        ] {
            session.query(&insert, (id, version, event_type, payload)).await.unwrap();
        }
        let plain: Result<Vec<_>, Error> =
            db.account().load(&id, 1).await.unwrap().try_collect().await;
        assert!(
            matches!(plain, Err(Error::EventDecode { version: 3, ref event_type, .. }) if event_type == "Credited"),
            "{plain:?}"
        );
        let upcast = |event_type: &str, payload: &str| {
            (event_type == "Credited").then(|| ("Deposited".to_owned(), payload.to_owned()))
        };
        let store = db.account().with_upcaster(upcast);
        let loaded = store.load_aggregate::<Account>(&id).await.unwrap();
        assert_eq!(loaded.version, 3);
        assert_eq!(loaded.state.balance, BigDecimal::from(13));
        assert_eq!(loaded.state.owner.as_deref(), Some("Ada"));
        // And the stream goes on from there, with an enum and a UDT in a
        // payload.
        let frozen: AccountEvent = Frozen {}.into();
        let rich: AccountEvent = Deposited {
            amount: BigDecimal::new(5.into(), 0),
            note: Some("cash".to_owned()),
            channel: Some(Channel::Branch),
            at: Some(Place {
                city: "Paris".to_owned(),
                zip: None,
            }),
        }
        .into();
        assert_eq!(store.append(&id, 3, &[frozen, rich.clone()]).await.unwrap(), 5);
        let last = store.load(&id, 5).await.unwrap().try_collect::<Vec<_>>().await.unwrap();
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].event, rich);
        assert!(store.load_aggregate::<Account>(&id).await.unwrap().state.frozen);

        // A float that is not finite has no JSON form: refused, nothing
        // written; a finite one goes through.
        let nan: AccountEvent = Rated { score: f64::NAN }.into();
        let refused = store.append(&id, 5, &[nan]).await;
        assert!(matches!(refused, Err(Error::EventStore { .. })), "{refused:?}");
        assert_eq!(store.version(&id).await.unwrap(), 5);
        let fine: AccountEvent = Rated { score: 4.5 }.into();
        assert_eq!(store.append(&id, 5, &[fine]).await.unwrap(), 6);
    })
    .await;
}
