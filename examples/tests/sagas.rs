//! The `Transfer` saga on the node: runners killed at every point of a
//! transfer and of its compensation, then recovered; a hundred concurrent
//! sagas over ten accounts finished by two recovery workers; and the
//! money in the ledger conserved throughout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use corm::TryStreamExt;
use corm::Uuid;
use corm::saga::reservation::Reserved;
use corm::saga::{Outcome, Status};
use corm::testing::with_keyspace;
use corm_examples::bank::{Bank, Fault, InFlight};
use corm_examples::generated::{
    Account, Db, LedgerEntry, PlaceOrderInput, Product, ProductKey, TransferInput,
};
use corm_examples::orders::Shop;

use common::db;

/// What every account starts with.
const OPENING: i64 = 1_000;

/// A new account holding `OPENING`.
async fn account(db: &Db, closed: bool) -> Uuid {
    let id = Uuid::new_v4();
    db.account()
        .insert(&Account::new(id, "test".to_owned(), closed))
        .await
        .unwrap();
    db.ledger_entry()
        .insert(&LedgerEntry::new(id, "opening".to_owned(), OPENING))
        .await
        .unwrap();
    id
}

/// Runs one saga in a `saga_worker` process that aborts at `crash`.
fn worker(keyspace: &str, id: Uuid, input: &TransferInput, crash: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_saga_worker"))
        .args([
            keyspace,
            &id.to_string(),
            &input.from.to_string(),
            &input.to.to_string(),
            &input.amount.to_string(),
            crash,
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Recovers with `runner` until every saga of `ids` has ended (at most a
/// minute).
async fn recover_all<S: corm::saga::Saga>(runner: &corm::saga::SagaRunner<S>, ids: &[Uuid]) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut active = 0;
        for id in ids {
            let status = runner.status(*id).await.unwrap().unwrap();
            if status.status.is_active() {
                active += 1;
            }
        }
        if active == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{active} sagas still active after a minute"
        );
        runner.recover(8).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// Checks the effects, balances and status of a transfer that ended.
async fn check_transfer(
    bank: &Bank,
    runner_status: Status,
    id: Uuid,
    input: &TransferInput,
    completes: bool,
) {
    let effects = bank.effects(id, input).await.unwrap();
    if completes {
        assert_eq!(runner_status, Status::Completed, "saga {id}");
        assert_eq!(
            effects,
            [1, 1, 0, 0],
            "saga {id}: debit, credit, undo debit, undo credit"
        );
        assert_eq!(
            bank.balance(input.from).await.unwrap(),
            OPENING - input.amount
        );
        assert_eq!(
            bank.balance(input.to).await.unwrap(),
            OPENING + input.amount
        );
    } else {
        assert_eq!(runner_status, Status::Compensated, "saga {id}");
        assert_eq!(
            effects,
            [1, 0, 1, 0],
            "saga {id}: debit, credit, undo debit, undo credit"
        );
        assert_eq!(bank.balance(input.from).await.unwrap(), OPENING);
        assert_eq!(bank.balance(input.to).await.unwrap(), OPENING);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runner_killed_at_any_point_of_a_transfer_or_its_compensation_is_recovered_and_money_is_conserved()
 {
    with_keyspace("sagas_crash", |session| async move {
        let db = db(session.clone()).await;
        let keyspace = session.keyspace().unwrap();
        // (where the runner dies, whether the target account is open)
        let cases = [
            ("before:debit", true),
            ("after:debit", true),
            ("before:credit", true),
            ("after:credit", true),
            ("before:undo:credit", false),
            ("after:undo:credit", false),
            ("before:undo:debit", false),
            ("after:undo:debit", false),
        ];
        let mut sagas = Vec::new();
        for (crash, open) in cases {
            let input = TransferInput {
                from: account(&db, false).await,
                to: account(&db, !open).await,
                amount: 250,
            };
            let id = Uuid::new_v4();
            let child = worker(&keyspace, id, &input, crash);
            sagas.push((crash, open, id, input, child));
        }
        let bank = Bank::new(db.clone());
        let runner = db.transfer(bank.clone());
        let mut ids = Vec::new();
        for (crash, _, id, _, child) in &mut sagas {
            let child =
                std::mem::replace(child, std::process::Command::new("true").spawn().unwrap());
            let output = tokio::task::spawn_blocking(move || child.wait_with_output())
                .await
                .unwrap()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                !output.status.success() && stderr.contains(&format!("crashing at {crash}")),
                "the worker did not crash at {crash}: {output:?}"
            );
            // The saga is left mid-way: active, held by the dead runner.
            let status = runner.status(*id).await.unwrap().unwrap();
            assert!(status.status.is_active(), "{crash}: {status:?}");
            ids.push(*id);
        }
        recover_all(&runner, &ids).await;
        for (crash, open, id, input, _) in &sagas {
            let status = runner.status(*id).await.unwrap().unwrap();
            check_transfer(&bank, status.status, *id, input, *open).await;
            let log = runner.log(*id).await.unwrap();
            assert!(
                log.iter().any(|entry| entry.event == "taken over"),
                "{crash}: the log shows no takeover: {log:?}"
            );
        }
        // Finished sagas leave the open list.
        let report = runner.recover(8).await.unwrap();
        assert_eq!(
            (report.resumed, report.held, report.stuck),
            (0, 0, 0),
            "{report:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_transfers_over_ten_accounts_end_with_money_conserved_under_two_recovery_workers()
 {
    with_keyspace("sagas_concurrent", |session| async move {
        let db = db(session).await;
        let mut accounts = Vec::new();
        for n in 0..10 {
            // Two accounts are closed: transfers to them are compensated.
            accounts.push((account(&db, n >= 8).await, n < 8));
        }
        let in_flight = Arc::new(InFlight::default());
        let bank = Bank::new(db.clone()).sharing(Arc::clone(&in_flight));
        let first = db.transfer(bank.clone());
        let mut transfers = Vec::new();
        let mut tasks = Vec::new();
        for n in 0..100_usize {
            let (from, _) = accounts[n % 10];
            let (to, open) = accounts[(n * 7 + 3) % 10];
            let to = if to == from {
                accounts[(n + 1) % 10]
            } else {
                (to, open)
            };
            let input = TransferInput {
                from,
                to: to.0,
                amount: i64::try_from(n % 13 + 1).unwrap(),
            };
            let id = Uuid::new_v4();
            transfers.push((id, input.clone(), to.1));
            let runner = first.clone();
            tasks.push(tokio::spawn(async move {
                runner.start_with_id(id, &input).await
            }));
        }
        // Half the runs stop mid-way, as if their runner had died.
        for (n, task) in tasks.iter().enumerate() {
            if n % 2 == 0 {
                tokio::time::sleep(Duration::from_millis(5)).await;
                task.abort();
            }
        }
        let mut finished_by_first = 0;
        for task in tasks {
            if let Ok(outcome) = task.await {
                let outcome = outcome.unwrap();
                assert!(!matches!(outcome, Outcome::Stuck { .. }), "{outcome:?}");
                finished_by_first += 1;
            }
        }
        // A run stopped before its start was recorded left nothing: its
        // caller starts it again (recorded only; recovery runs it).
        let mut restarted = 0;
        for (id, input, _) in &transfers {
            if first.status(*id).await.unwrap().is_none() {
                assert!(first.begin(*id, input).await.unwrap());
                restarted += 1;
            }
        }
        eprintln!(
            "{finished_by_first} transfers finished by their first runner, {restarted} restarted"
        );
        // Two recovery workers, each its own runner (a new runner has an
        // owner id of its own), finish the rest.
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let runner = db.transfer(bank.clone());
                assert_ne!(runner.owner(), first.owner());
                tokio::spawn(
                    async move { runner.recover_every(Duration::from_millis(200), 16).await },
                )
            })
            .collect();
        let ids: Vec<Uuid> = transfers.iter().map(|(id, ..)| *id).collect();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let mut active = 0;
            for id in &ids {
                if first.status(*id).await.unwrap().unwrap().status.is_active() {
                    active += 1;
                }
            }
            if active == 0 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{active} sagas still active after two minutes"
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        for worker in workers {
            worker.abort();
        }
        assert!((1..100).contains(&finished_by_first), "{finished_by_first}");
        let mut total = 0;
        for (account, _) in &accounts {
            total += bank.balance(*account).await.unwrap();
        }
        assert_eq!(total, 10 * OPENING, "money is conserved");
        for (id, input, open) in &transfers {
            let status = first.status(*id).await.unwrap().unwrap().status;
            let effects = bank.effects(*id, input).await.unwrap();
            if *open {
                assert_eq!(status, Status::Completed, "{id}");
                assert_eq!(effects, [1, 1, 0, 0], "{id}");
            } else {
                assert_eq!(status, Status::Compensated, "{id}");
                assert_eq!(effects, [1, 0, 1, 0], "{id}");
            }
        }
        assert_eq!(
            in_flight.overlaps(),
            Vec::new(),
            "no step ran twice at once"
        );
    })
    .await;
}

/// A product with `stock` units and no holds.
async fn product(db: &Db, stock: i32) -> ProductKey {
    let sku = format!("sku-{}", Uuid::new_v4().simple());
    db.product()
        .insert(&Product::new(
            sku.clone(),
            "Widget".to_owned(),
            stock,
            Default::default(),
        ))
        .await
        .unwrap();
    ProductKey { sku }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_reservers_of_ten_units_hold_exactly_ten_and_expired_holds_free_theirs() {
    with_keyspace("sagas_reservations", |session| async move {
        let db = db(session).await;
        let key = product(&db, 10).await;
        let tasks: Vec<_> = (0..50)
            .map(|n| {
                let (db, key) = (db.clone(), key.clone());
                tokio::spawn(async move {
                    db.product()
                        .reservations()
                        .reserve(&key, &format!("holder {n}"), Duration::from_secs(4))
                        .await
                })
            })
            .collect();
        let mut held = Vec::new();
        let mut unavailable = 0;
        for (n, task) in tasks.into_iter().enumerate() {
            match task.await.unwrap().unwrap() {
                Reserved::Held { .. } => held.push(format!("holder {n}")),
                Reserved::Unavailable => unavailable += 1,
                Reserved::Missing => panic!("the product exists"),
            }
        }
        assert_eq!((held.len(), unavailable), (10, 40));
        let reservations = db.product().reservations();
        let level = reservations.stock(&key).await.unwrap().unwrap();
        assert_eq!((level.available, level.holds.len()), (0, 10), "{level:?}");
        // Holding again answers with the hold it has.
        assert!(matches!(
            reservations
                .reserve(&key, &held[0], Duration::from_secs(4))
                .await
                .unwrap(),
            Reserved::Held { .. }
        ));
        // Four are confirmed (sold), two cancelled (back in stock).
        for holder in &held[..4] {
            assert!(reservations.confirm(&key, holder).await.unwrap());
        }
        for holder in &held[4..6] {
            assert!(reservations.cancel(&key, holder).await.unwrap());
        }
        assert!(
            !reservations.cancel(&key, &held[4]).await.unwrap(),
            "cancelled once"
        );
        let level = reservations.stock(&key).await.unwrap().unwrap();
        assert_eq!((level.available, level.holds.len()), (2, 4), "{level:?}");
        // The four other holds are abandoned: once expired, they count as
        // free, and new reservers take their units.
        tokio::time::sleep(Duration::from_millis(4_500)).await;
        let level = reservations.stock(&key).await.unwrap().unwrap();
        assert_eq!((level.available, level.expired), (6, 4), "{level:?}");
        assert!(
            !reservations.confirm(&key, &held[6]).await.unwrap(),
            "an expired hold is not confirmed"
        );
        let late: Vec<_> = (0..7)
            .map(|n| {
                let (db, key) = (db.clone(), key.clone());
                tokio::spawn(async move {
                    db.product()
                        .reservations()
                        .reserve(&key, &format!("late {n}"), Duration::from_secs(60))
                        .await
                })
            })
            .collect();
        let mut late_held = 0;
        for task in late {
            if matches!(task.await.unwrap().unwrap(), Reserved::Held { .. }) {
                late_held += 1;
            }
        }
        assert_eq!(late_held, 6, "the six free units, no more");
        let row = db.product().get(&key).await.unwrap().unwrap();
        assert_eq!(row.stock, 0);
        assert_eq!(row.holds.len(), 6, "{:?}", row.holds);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_holds_pays_and_confirms_and_a_refused_payment_gives_the_unit_back() {
    with_keyspace("sagas_orders", |session| async move {
        let db = db(session).await;
        let bank = Bank::new(db.clone());
        let customer = account(&db, false).await;
        let shop = account(&db, false).await;
        let closed_shop = account(&db, true).await;
        let key = product(&db, 2).await;
        let orders = db.place_order(Shop::new(db.clone(), bank.clone()));
        let order = |shop| PlaceOrderInput {
            order: Uuid::new_v4(),
            sku: key.sku.clone(),
            customer,
            shop,
            price: 40,
        };
        let (_, paid) = orders.start(&order(shop)).await.unwrap();
        assert!(matches!(paid, Outcome::Completed(_)), "{paid:?}");
        let (refused_id, refused) = orders.start(&order(closed_shop)).await.unwrap();
        let Outcome::Compensated { error } = refused else {
            panic!("{refused:?}")
        };
        assert!(error.contains("step `charge` failed"), "{error}");
        let events: Vec<String> = orders
            .log(refused_id)
            .await
            .unwrap()
            .into_iter()
            .map(|entry| format!("{} {}", entry.event, entry.step.unwrap_or_default()))
            .collect();
        assert!(
            events.contains(&"step compensated reserve_stock".to_owned()),
            "{events:?}"
        );
        // One unit sold, the other back in stock; paid once, refused once.
        let level = db
            .product()
            .reservations()
            .stock(&key)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((level.available, level.holds.len()), (1, 0), "{level:?}");
        assert_eq!(bank.balance(customer).await.unwrap(), OPENING - 40);
        assert_eq!(bank.balance(shop).await.unwrap(), OPENING + 40);
        assert_eq!(bank.balance(closed_shop).await.unwrap(), OPENING);
        // The charge was a transfer named after the order, compensated.
        let charge = Shop::transfer_id(order(shop).order, "charge");
        assert!(
            db.transfer(bank.clone())
                .status(charge)
                .await
                .unwrap()
                .is_none()
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_past_its_timeout_is_retried_and_a_compensation_that_always_fails_leaves_the_saga_stuck_and_listed()
 {
    with_keyspace("sagas_faults", |session| async move {
        let db = db(session).await;
        // The credit's first attempt hangs: cancelled at its 2 s timeout,
        // retried, and the transfer completes.
        let stalling =
            Bank::new(db.clone()).with_fault(Some(Fault::StallOnce("before:credit".to_owned())));
        let input = TransferInput {
            from: account(&db, false).await,
            to: account(&db, false).await,
            amount: 5,
        };
        let started = Instant::now();
        let (id, outcome) = db.transfer(stalling.clone()).start(&input).await.unwrap();
        assert!(matches!(outcome, Outcome::Completed(_)), "{outcome:?}");
        assert!(started.elapsed() >= Duration::from_secs(2));
        let log = db.transfer(stalling.clone()).log(id).await.unwrap();
        let failed = log
            .iter()
            .find(|entry| entry.event == "attempt failed")
            .unwrap_or_else(|| panic!("{log:?}"));
        assert_eq!(failed.step.as_deref(), Some("credit"));
        assert!(
            failed
                .detail
                .as_deref()
                .unwrap_or_default()
                .contains("timed out"),
            "{failed:?}"
        );
        assert_eq!(stalling.effects(id, &input).await.unwrap(), [1, 1, 0, 0]);

        // A transfer to a closed account whose debit can't be undone ends
        // stuck, waiting for a person, and is listed as such.
        let refusing =
            Bank::new(db.clone()).with_fault(Some(Fault::Refuse("before:undo:debit".to_owned())));
        let runner = db.transfer(refusing.clone());
        let input = TransferInput {
            from: account(&db, false).await,
            to: account(&db, true).await,
            amount: 5,
        };
        let (id, outcome) = runner.start(&input).await.unwrap();
        let Outcome::Stuck { error } = outcome else {
            panic!("{outcome:?}")
        };
        assert!(error.contains("compensation of step `debit`"), "{error}");
        let stuck: Vec<_> = runner.stuck(Duration::ZERO).try_collect().await.unwrap();
        assert_eq!(
            stuck.iter().map(|status| status.id).collect::<Vec<_>>(),
            vec![id]
        );
        assert_eq!(stuck[0].status, Status::Stuck);
        assert_eq!(stuck[0].input, input);
        let report = runner.recover(4).await.unwrap();
        assert_eq!((report.stuck, report.resumed), (1, 0), "{report:?}");
        // Its debit stands: the money is not lost, it waits in the ledger.
        assert_eq!(refusing.effects(id, &input).await.unwrap(), [1, 0, 0, 0]);
    })
    .await;
}
