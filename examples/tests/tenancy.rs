//! Keyspace-per-tenant tenancy on the node (`tenancy per_keyspace` in the
//! example schema): tenants provisioned and migrated by the registry, one
//! failing midway and resumed, and two tenants with identical keys that
//! never see each other's rows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::time::Instant;

use corm::changes::Position;
use corm::tenancy::{DropTenant, TenantId, TenantProgress, TenantState, Tenants};
use corm::testing::with_keyspace;
use corm::{StreamExt, TryStreamExt};
use corm_examples::generated::till_ledger::{Refunded, Sold};
use corm_examples::generated::{
    CheckoutTime, CheckoutTimeInTenant, CheckoutTimeScopedSeries, Customer, Db, MIGRATIONS,
    OrderPartition, ShopNote, ShopNoteInTenant, ShopNotePatch, ShopNoteScopedKey,
    ShopNoteScopedPartition, ShopSettingsInTenant, ShopSettingsScopedKey, ShopStaffInTenant,
    ShopStaffPatch, ShopStaffScopedKey, Ticket, TicketStatus, TillLedgerEvent,
};

fn tenant(name: &str) -> TenantId {
    TenantId::new(name).unwrap()
}

async fn drop_all(tenants: &Tenants) {
    for info in tenants.list().await.unwrap() {
        let keyspace = tenants.keyspace_of(&info.tenant).unwrap();
        tenants
            .drop_tenant(&info.tenant, DropTenant::destroying_keyspace(keyspace))
            .await
            .unwrap();
    }
}

/// Twenty tenants: one (t07) has a keyspace made beforehand with three
/// copies on this one node, so its migrations can't reach a quorum and its
/// run fails while the others go on; once its keyspace is fixed, the next
/// run finishes it and leaves the others as they are.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_tenants_provisioned_one_failing_midway_and_resumed() {
    with_keyspace("tenancy", |session| async move {
        let registry = session.keyspace().unwrap();
        let tenants = Db::tenants(session.clone(), registry.clone());
        tenants.ensure_registry().await.unwrap();
        let names: Vec<TenantId> = (0..20).map(|n| tenant(&format!("t{n:02}"))).collect();
        let broken = &names[7];
        let broken_keyspace = tenants.keyspace_of(broken).unwrap();
        session
            .run_ddl(&format!(
                "CREATE KEYSPACE {broken_keyspace} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': 3}}"
            ))
            .await
            .unwrap();

        let started = Instant::now();
        let mut failures = Vec::new();
        for name in &names {
            match tenants.provision(name).await {
                Ok(info) => {
                    assert_eq!(info.state, TenantState::Ready);
                    assert_eq!(
                        info.migration,
                        MIGRATIONS.iter().map(|m| m.id).max().unwrap()
                    );
                }
                Err(error) => failures.push((name.clone(), error.to_string())),
            }
        }
        println!("20 tenants provisioned in {:?}", started.elapsed());
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert_eq!(&failures[0].0, broken);
        let listed = tenants.list().await.unwrap();
        assert_eq!(listed.len(), 20);
        let failed = listed.iter().find(|info| info.tenant == *broken).unwrap();
        assert_eq!(failed.state, TenantState::Failed);
        assert!(failed.error.is_some(), "{failed:?}");
        // One tenant is read by its name alone.
        assert_eq!(tenants.get(broken).await.unwrap().as_ref(), Some(failed));
        let unknown = TenantId::new("never_provisioned").unwrap();
        assert_eq!(tenants.get(&unknown).await.unwrap(), None);

        // Still broken: migrate_all reports it and migrates nobody else again.
        let mut steps = Vec::new();
        let report = tenants
            .migrate_all(|step| {
                steps.push(match step {
                    TenantProgress::Started { tenant, .. } => format!("start {tenant}"),
                    TenantProgress::Migrated {
                        tenant, applied, ..
                    } => {
                        format!("done {tenant} {applied}")
                    }
                    TenantProgress::Failed { tenant, .. } => format!("failed {tenant}"),
                });
            })
            .await
            .unwrap();
        assert_eq!(report.failed.len(), 1);
        assert_eq!(report.migrated.len(), 19);
        assert!(report.migrated.iter().all(|(_, applied)| *applied == 0));
        assert_eq!(steps.len(), 40);
        assert!(steps.contains(&format!("failed {broken}")), "{steps:?}");

        // Fixed, it is finished where it stopped.
        session
            .run_ddl(&format!(
                "ALTER KEYSPACE {broken_keyspace} WITH replication = \
                 {{'class': 'SimpleStrategy', 'replication_factor': 1}}"
            ))
            .await
            .unwrap();
        let report = tenants.migrate_all(|_| {}).await.unwrap();
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        let finished: Vec<_> = report
            .migrated
            .iter()
            .filter(|(_, applied)| *applied > 0)
            .map(|(name, _)| name.clone())
            .collect();
        assert_eq!(finished, vec![broken.clone()]);
        assert!(
            tenants
                .list()
                .await
                .unwrap()
                .iter()
                .all(|info| info.state == TenantState::Ready && info.error.is_none())
        );

        // A drop names the keyspace it destroys; another name drops nothing.
        let refused = tenants
            .drop_tenant(&names[0], DropTenant::destroying_keyspace("some_other"))
            .await
            .unwrap_err();
        assert!(
            refused.to_string().contains("nothing was dropped"),
            "{refused}"
        );
        assert_eq!(tenants.list().await.unwrap().len(), 20);
        drop_all(&tenants).await;
        assert!(tenants.list().await.unwrap().is_empty());
    })
    .await;
}

/// Two tenants hold rows with the same keys: every generated read of one
/// (by key, partition, `@unique` lookup, named query, SAI query, change
/// feed) sees its own rows only, and a delete in one leaves the other's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenants_with_identical_keys_never_see_each_others_rows() {
    with_keyspace("tenant_isolation", |session| async move {
        let registry = session.keyspace().unwrap();
        let tenants = Db::tenants(session, registry);
        let (a, b) = (tenant("alpha"), tenant("beta"));
        tenants.provision(&a).await.unwrap();
        tenants.provision(&b).await.unwrap();
        let db_a = Db::for_tenant(&tenants, &a).unwrap();
        let db_b = Db::for_tenant(&tenants, &b).unwrap();
        assert_ne!(db_a.keyspace(), db_b.keyspace());
        let since = Position::now();

        // The same customer id and email, the same order key, the same
        // ticket key, with each tenant's own values.
        let id = corm::Uuid::new_v4();
        let mut order = common::order();
        let ticket = Ticket::new(
            "board".to_owned(),
            "Title".to_owned(),
            TicketStatus::Open,
            1,
        );
        for (db, name) in [(&db_a, "alpha"), (&db_b, "beta")] {
            let mut customer = Customer::new(
                "same@example.com".to_owned(),
                format!("Customer of {name}"),
                BTreeSet::new(),
            );
            customer.id = id;
            db.customer().insert(&customer).await.unwrap();
            order.customer_id = id;
            order.notes = vec![name.to_owned()];
            db.order().insert(&order).await.unwrap();
            let mut ticket = ticket.clone();
            ticket.title = format!("Ticket of {name}");
            db.ticket().insert(&ticket).await.unwrap();
        }
        for (db, name) in [(&db_a, "alpha"), (&db_b, "beta")] {
            let own = format!("Customer of {name}");
            let key = corm_examples::generated::CustomerKey { id };
            assert_eq!(db.customer().get(&key).await.unwrap().unwrap().name, own);
            let found = db
                .customer()
                .find_by_email("same@example.com")
                .await
                .unwrap();
            assert_eq!(found.unwrap().name, own);
            let tier = db.customer().customers_in_tier("free").await.unwrap();
            let tier: Vec<Customer> = tier.try_collect().await.unwrap();
            assert_eq!(tier.len(), 1);
            assert_eq!(tier[0].name, own);
            let orders: Vec<_> = db
                .order()
                .partition(&OrderPartition { customer_id: id })
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(orders.len(), 1);
            assert_eq!(orders[0].notes, vec![name.to_owned()]);
            let hour_ago = corm::chrono::Utc::now() - corm::chrono::TimeDelta::hours(1);
            let recent = db
                .order()
                .recent_orders(id, Position::at(hour_ago).uuid().into(), 10)
                .await
                .unwrap();
            assert_eq!(recent.len(), 1);
            assert_eq!(recent[0].notes, vec![name.to_owned()]);
            let ticket_title = db.ticket().get(&ticket.key()).await.unwrap().unwrap().title;
            assert_eq!(ticket_title, format!("Ticket of {name}"));
            let changes: Vec<_> = db
                .ticket()
                .change_records(since, corm::changes::FollowOptions::default())
                .take(1)
                .try_collect::<Vec<_>>()
                .await
                .unwrap();
            let json = changes[0].to_json().to_string();
            assert!(json.contains(&format!("Ticket of {name}")), "{json}");
        }
        // A delete in one tenant leaves the other's row.
        db_a.customer()
            .delete(&corm_examples::generated::CustomerKey { id })
            .await
            .unwrap();
        assert!(
            db_a.customer()
                .get(&corm_examples::generated::CustomerKey { id })
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            db_b.customer()
                .get(&corm_examples::generated::CustomerKey { id })
                .await
                .unwrap()
                .is_some()
        );
        drop_all(&tenants).await;
    })
    .await;
}

/// A tenant column: two shops write notes and settings with the same
/// customer and the same times; each shop's handle reads, updates and
/// deletes its own rows only, and the model's own accessor (the admin
/// handle) sees both.
#[tokio::test]
async fn a_tenant_handle_sees_its_own_rows_only() {
    with_keyspace("tenant_column", |session| async move {
        let db = common::db(session).await;
        let since = Position::now();
        let customer = corm::Uuid::new_v4();
        let at = corm::CqlTimeuuid::from(corm::Uuid::now_v1(&[1, 2, 3, 4, 5, 6]));
        for shop in ["acme", "globex"] {
            let handle = db.tenant(shop.to_owned());
            let note = ShopNoteInTenant {
                customer,
                at,
                body: format!("note of {shop}"),
                author: None,
            };
            handle.shop_note().insert(&note).await.unwrap();
            let settings = ShopSettingsInTenant {
                currency: format!("{shop}-coin"),
            };
            handle.shop_settings().insert(&settings).await.unwrap();
        }
        // A validation rule holds through the handle.
        let empty = ShopNoteInTenant {
            customer,
            at,
            body: String::new(),
            author: None,
        };
        let refused = db
            .tenant("acme".to_owned())
            .shop_note()
            .insert(&empty)
            .await;
        assert!(
            matches!(refused, Err(corm::Error::Validation(_))),
            "{refused:?}"
        );

        for shop in ["acme", "globex"] {
            let handle = db.tenant(shop.to_owned());
            let notes: Vec<ShopNoteInTenant> = handle
                .shop_note()
                .partition(&ShopNoteScopedPartition { customer })
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(notes.len(), 1);
            assert_eq!(notes[0].body, format!("note of {shop}"));
            let note = handle
                .shop_note()
                .get(&ShopNoteScopedKey { customer, at })
                .await
                .unwrap()
                .unwrap();
            assert_eq!(note.body, format!("note of {shop}"));
            // An aggregate and a named query on the handle bind the tenant.
            assert_eq!(
                handle.shop_note().note_count(customer).await.unwrap().notes,
                1
            );
            let about = handle.shop_note().notes_about(customer, 10).await.unwrap();
            assert_eq!(about.len(), 1);
            assert_eq!(
                (about[0].shop.as_str(), about[0].body.clone()),
                (shop, format!("note of {shop}"))
            );
            let settings = handle
                .shop_settings()
                .get(&ShopSettingsScopedKey {})
                .await
                .unwrap()
                .unwrap();
            assert_eq!(settings.currency, format!("{shop}-coin"));
        }
        // An update and a delete through one shop's handle leave the other's.
        let acme = db.tenant("acme".to_owned());
        acme.shop_note()
            .update(
                &ShopNoteScopedKey { customer, at },
                &ShopNotePatch::default().body("edited".to_owned()),
            )
            .await
            .unwrap();
        acme.shop_settings()
            .delete(&ShopSettingsScopedKey {})
            .await
            .unwrap();
        let globex = db.tenant("globex".to_owned());
        let note = globex
            .shop_note()
            .get(&ShopNoteScopedKey { customer, at })
            .await
            .unwrap()
            .unwrap();
        assert_eq!(note.body, "note of globex");
        assert!(
            globex
                .shop_settings()
                .get(&ShopSettingsScopedKey {})
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            acme.shop_settings()
                .get(&ShopSettingsScopedKey {})
                .await
                .unwrap()
                .is_none()
        );

        // Each shop's change feed has its own changes only: acme's insert
        // and update, globex's insert.
        let options = corm::changes::FollowOptions {
            settle: std::time::Duration::from_millis(200),
            poll: std::time::Duration::from_millis(50),
            ..corm::changes::FollowOptions::default()
        };
        for (shop, expected) in [("acme", 2), ("globex", 1)] {
            let handle = db.tenant(shop.to_owned());
            let changes: Vec<_> = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                handle
                    .shop_note()
                    .changes(since, options)
                    .take(expected)
                    .try_collect::<Vec<_>>(),
            )
            .await
            .expect("the changes in time")
            .unwrap();
            for change in &changes {
                let of = match &change.kind {
                    corm::changes::ChangeKind::Inserted(row) => row.shop.clone(),
                    corm::changes::ChangeKind::Updated { key, .. } => key.shop.clone(),
                    other => panic!("unexpected change {other:?}"),
                };
                assert_eq!(of, shop);
            }
            // Nothing more for this shop within a second.
            let rest = handle.shop_note().changes(since, options).skip(expected);
            let mut rest = std::pin::pin!(rest);
            let more = tokio::time::timeout(std::time::Duration::from_secs(1), rest.next()).await;
            assert!(
                more.is_err(),
                "{shop} got another tenant's change: {more:?}"
            );
        }

        // The admin handle reads across tenants, and says whose rows they are.
        let all: Vec<ShopNote> = db
            .admin()
            .shop_note()
            .scan()
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let mut shops: Vec<(String, String)> =
            all.into_iter().map(|note| (note.shop, note.body)).collect();
        shops.sort();
        assert_eq!(
            shops,
            vec![
                ("acme".to_owned(), "edited".to_owned()),
                ("globex".to_owned(), "note of globex".to_owned())
            ]
        );
    })
    .await;
}

/// `@unique` on a model with a tenant column: each shop has its own
/// emails. Two shops hold one email at once; a second holder within a shop
/// is refused (and nothing is written); the tenant's handle finds its own
/// row only, and a value given back by a delete or an update is free again
/// in that shop alone.
#[tokio::test]
async fn a_unique_value_is_unique_within_its_tenant() {
    with_keyspace("tenant_unique", |session| async move {
        let db = common::db(session).await;
        let (acme, globex) = (db.tenant("acme".to_owned()), db.tenant("globex".to_owned()));
        let staff = |id: corm::Uuid, email: &str, name: &str| ShopStaffInTenant {
            id,
            email: email.to_owned(),
            name: name.to_owned(),
        };
        // Keys are the tenant's own: globex's Grace has Ada's id.
        let ada = corm::Uuid::new_v4();
        let grace = ada;
        acme.shop_staff()
            .insert(&staff(ada, "ada@example.com", "Ada"))
            .await
            .unwrap();
        // Another shop: the same email is free there.
        globex
            .shop_staff()
            .insert(&staff(grace, "ada@example.com", "Grace"))
            .await
            .unwrap();
        // The same shop: taken, and nothing written.
        let other = corm::Uuid::new_v4();
        let refused = acme
            .shop_staff()
            .insert(&staff(other, "ada@example.com", "Impostor"))
            .await;
        assert!(
            matches!(refused, Err(corm::Error::Unique { field: "email", .. })),
            "{refused:?}"
        );
        assert!(
            acme.shop_staff()
                .get(&ShopStaffScopedKey { id: other })
                .await
                .unwrap()
                .is_none()
        );
        // Each handle finds its own holder; the admin handle names the shop.
        let found = acme
            .shop_staff()
            .find_by_email("ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((found.id, found.name.as_str()), (ada, "Ada"));
        let found = globex
            .shop_staff()
            .find_by_email("ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((found.id, found.name.as_str()), (grace, "Grace"));
        let found = db
            .admin()
            .shop_staff()
            .find_by_email("globex", "ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((found.shop.as_str(), found.id), ("globex", grace));
        assert!(
            db.tenant("initech".to_owned())
                .shop_staff()
                .find_by_email("ada@example.com")
                .await
                .unwrap()
                .is_none()
        );

        // An update that changes the email gives the old one back in acme
        // only; a conditional insert claims it there again.
        acme.shop_staff()
            .update(
                &ShopStaffScopedKey { id: ada },
                &ShopStaffPatch::default().email("lovelace@example.com".to_owned()),
            )
            .await
            .unwrap();
        assert!(
            acme.shop_staff()
                .insert_if_not_exists(&staff(other, "ada@example.com", "Newcomer"))
                .await
                .unwrap()
        );
        let refused = acme
            .shop_staff()
            .update(
                &ShopStaffScopedKey { id: other },
                &ShopStaffPatch::default().email("lovelace@example.com".to_owned()),
            )
            .await;
        assert!(
            matches!(refused, Err(corm::Error::Unique { .. })),
            "{refused:?}"
        );
        // A delete gives the value back within the shop.
        globex
            .shop_staff()
            .delete(&ShopStaffScopedKey { id: grace })
            .await
            .unwrap();
        assert!(
            globex
                .shop_staff()
                .find_by_email("ada@example.com")
                .await
                .unwrap()
                .is_none()
        );
        globex
            .shop_staff()
            .insert(&staff(
                corm::Uuid::new_v4(),
                "lovelace@example.com",
                "Ada too",
            ))
            .await
            .unwrap();
        let holder = acme
            .shop_staff()
            .find_by_email("ada@example.com")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(holder.name, "Newcomer");

        // Relations on the handle: a note's author is found in the note's
        // shop (globex has a staff member with Ada's id too), and the
        // customer a note is about is shared by every shop.
        let mut customer = Customer::new(
            "shared@example.com".to_owned(),
            "Shared Customer".to_owned(),
            BTreeSet::new(),
        );
        customer.id = corm::Uuid::new_v4();
        db.customer().insert(&customer).await.unwrap();
        globex
            .shop_staff()
            .insert(&staff(ada, "grace@example.com", "Grace again"))
            .await
            .unwrap();
        let note = |author: Option<corm::Uuid>| ShopNoteInTenant {
            customer: customer.id,
            at: corm::CqlTimeuuid::from(corm::Uuid::now_v1(&[1, 2, 3, 4, 5, 6])),
            body: "about the customer".to_owned(),
            author,
        };
        let (by_ada, by_nobody) = (note(Some(ada)), note(None));
        let author = acme.shop_note().written_by(&by_ada).await.unwrap().unwrap();
        assert_eq!((author.id, author.name.as_str()), (ada, "Ada"));
        let author = globex
            .shop_note()
            .written_by(&by_ada)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(author.name, "Grace again");
        assert!(
            acme.shop_note()
                .written_by(&by_nobody)
                .await
                .unwrap()
                .is_none()
        );
        let authors = acme
            .shop_note()
            .written_by_of(&[by_ada.clone(), by_nobody.clone(), by_ada.clone()])
            .await
            .unwrap();
        let names: Vec<Option<String>> = authors
            .into_iter()
            .map(|author| author.map(|author| author.name))
            .collect();
        assert_eq!(
            names,
            [Some("Ada".to_owned()), None, Some("Ada".to_owned())]
        );
        for handle in [&acme, &globex] {
            let about = handle.shop_note().about(&by_ada).await.unwrap().unwrap();
            assert_eq!(about.name, "Shared Customer");
        }
    })
    .await;
}

/// A time series with a tenant id: two shops write the same till at the
/// same times; each shop's handle writes, ranges, finds the latest point
/// and rolls up its own points only, and the admin handle reads both.
#[tokio::test]
async fn a_tenant_series_reads_its_own_points() {
    with_keyspace("tenant_series", |session| async move {
        use corm::chrono::{TimeDelta, TimeZone, Utc};
        use corm::timeseries::Direction;
        let db = common::db(session).await;
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let till = CheckoutTimeScopedSeries {
            till: "front".to_owned(),
        };
        for (shop, base) in [("acme", 1000), ("globex", 5000)] {
            let handle = db.tenant(shop.to_owned());
            // Three points across two hourly buckets.
            let points = (0..3).map(|i| CheckoutTimeInTenant {
                till: "front".to_owned(),
                ts: start + TimeDelta::minutes(40 * i64::from(i)),
                millis: base + i,
            });
            let report = handle.checkout_time().write_many(points).await.unwrap();
            assert!(report.is_complete(), "{:?}", report.failed.len());
        }
        for (shop, base) in [("acme", 1000), ("globex", 5000)] {
            let series = db.tenant(shop.to_owned()).checkout_time();
            let points: Vec<CheckoutTimeInTenant> = series
                .range(
                    &till,
                    start..start + TimeDelta::hours(3),
                    Direction::Ascending,
                    None,
                )
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            let millis: Vec<i32> = points.iter().map(|point| point.millis).collect();
            assert_eq!(millis, [base, base + 1, base + 2], "{shop}");
            let latest = series
                .latest_before(&till, start + TimeDelta::hours(3), 4)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(latest.millis, base + 2);
            let rollup = series
                .rollup(
                    &till,
                    start..start + TimeDelta::hours(3),
                    TimeDelta::hours(3),
                )
                .await
                .unwrap();
            assert_eq!(rollup.len(), 1);
            assert_eq!(rollup[0].points, 3);
            assert_eq!(rollup[0].millis.max, Some(base + 2));
        }
        // The same series of a shop with no points: nothing.
        let none = db.tenant("initech".to_owned()).checkout_time();
        assert!(
            none.latest_before(&till, start + TimeDelta::hours(3), 4)
                .await
                .unwrap()
                .is_none()
        );
        // A single write through the handle lands in its shop only.
        db.tenant("initech".to_owned())
            .checkout_time()
            .write(&CheckoutTimeInTenant {
                till: "front".to_owned(),
                ts: start,
                millis: 7,
            })
            .await
            .unwrap();
        let all: Vec<CheckoutTime> = db
            .admin()
            .checkout_time()
            .scan_parallel(corm::ParallelScan::default())
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let mut shops: Vec<String> = all.into_iter().map(|point| point.shop).collect();
        shops.sort();
        shops.dedup_by(|a, b| a == b);
        assert_eq!(shops, ["acme", "globex", "initech"]);
    })
    .await;
}

/// A till's takings, replayed from its ledger.
#[derive(Debug, Default, corm::serde::Serialize, corm::serde::Deserialize)]
#[serde(crate = "corm::serde")]
struct Takings {
    cents: i64,
}

impl corm::events::Aggregate for Takings {
    type Event = TillLedgerEvent;

    fn apply(&mut self, event: &TillLedgerEvent) {
        match event {
            TillLedgerEvent::Sold(sold) => self.cents += sold.cents,
            TillLedgerEvent::Refunded(refund) => self.cents -= refund.cents,
        }
    }
}

/// An event store with a tenant id: two shops keep a stream with the
/// same id; each shop's handle appends, versions, loads and runs commands
/// on its own stream only (a writer behind its own shop's stream gets a
/// conflict), and the admin handle sees each stream under its shop.
#[tokio::test]
async fn a_tenant_event_stream_is_its_own() {
    with_keyspace("tenant_events", |session| async move {
        let db = common::db(session).await;
        let front = "front".to_owned();
        let (acme, globex) = (db.tenant("acme".to_owned()), db.tenant("globex".to_owned()));
        let sold = |cents| TillLedgerEvent::Sold(Sold { cents });
        assert_eq!(
            acme.till_ledger()
                .append(&front, 0, &[sold(500), sold(250)])
                .await
                .unwrap(),
            2
        );
        // The same id in another shop is another stream, at version 0.
        assert_eq!(globex.till_ledger().version(&front).await.unwrap(), 0);
        assert_eq!(
            globex
                .till_ledger()
                .append(&front, 0, &[sold(9000)])
                .await
                .unwrap(),
            1
        );
        // A writer that read acme's stream at version 0 is refused.
        let stale = acme.till_ledger().append(&front, 0, &[sold(1)]).await;
        assert!(
            matches!(stale, Err(corm::Error::Conflict { .. })),
            "{stale:?}"
        );
        let events: Vec<_> = acme
            .till_ledger()
            .load(&front, 1)
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            events.iter().map(|event| event.version).collect::<Vec<_>>(),
            [1, 2]
        );
        // A command on each shop's stream sees that shop's takings only.
        let refund = |takings: &Takings| {
            Ok::<_, std::convert::Infallible>(vec![TillLedgerEvent::Refunded(Refunded {
                cents: takings.cents / 10,
            })])
        };
        assert_eq!(
            acme.till_ledger()
                .execute::<Takings, _>(&front, refund)
                .await
                .unwrap(),
            3
        );
        assert_eq!(
            globex
                .till_ledger()
                .execute::<Takings, _>(&front, refund)
                .await
                .unwrap(),
            2
        );
        let acme_takings = acme
            .till_ledger()
            .load_aggregate::<Takings>(&front)
            .await
            .unwrap();
        assert_eq!((acme_takings.state.cents, acme_takings.version), (675, 3));
        let globex_takings = globex
            .till_ledger()
            .load_aggregate::<Takings>(&front)
            .await
            .unwrap();
        assert_eq!(
            (globex_takings.state.cents, globex_takings.version),
            (8100, 2)
        );
        // The admin handle names a stream by shop and id.
        let admin = db.admin();
        assert_eq!(
            admin
                .till_ledger()
                .version(&("globex".to_owned(), front.clone()))
                .await
                .unwrap(),
            2
        );
    })
    .await;
}
