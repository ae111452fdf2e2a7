//! What code given one tenant's handle can and can't do: these examples
//! are compiled by `cargo test` (the `compile_fail` ones must fail to
//! compile, with the error code named), so the isolation of the
//! `@tenant` models (`ShopNote`, `ShopSettings`, `ShopStaff`) is checked
//! by the compiler, and of the time series `CheckoutTime` and the event store
//! `TillLedger`, whose first field is a tenant id too.
//!
//! A tenant's handle reads and writes its own rows with keys and rows
//! that have no tenant id:
//!
//! ```no_run
//! use corm_examples::generated::{Db, ShopNoteInTenant, ShopNoteScopedPartition};
//! use corm::TryStreamExt;
//!
//! async fn notes(db: &Db, customer: corm::Uuid) -> corm::Result<Vec<ShopNoteInTenant>> {
//!     let acme = db.tenant("acme".to_owned());
//!     let note = ShopNoteInTenant {
//!         customer,
//!         at: corm::CqlTimeuuid::from(corm::Uuid::now_v1(&[1, 2, 3, 4, 5, 6])),
//!         body: "Prefers email".to_owned(),
//!         author: None,
//!     };
//!     acme.shop_note().insert(&note).await?;
//!     acme.shop_note()
//!         .partition(&ShopNoteScopedPartition { customer })
//!         .await?
//!         .try_collect()
//!         .await
//! }
//! ```
//!
//! A tenant's row can't be given another tenant's id: it has no such
//! field.
//!
//! ```compile_fail,E0560
//! use corm_examples::generated::ShopNoteInTenant;
//!
//! let note = ShopNoteInTenant {
//!     shop: "globex".to_owned(),
//!     customer: corm::Uuid::nil(),
//!     at: corm::CqlTimeuuid::from(corm::Uuid::nil()),
//!     body: String::new(),
//!     author: None,
//! };
//! ```
//!
//! Nor can a tenant's handle take a full key, which names a tenant.
//!
//! ```compile_fail,E0308
//! use corm_examples::generated::{Db, ShopSettingsKey};
//!
//! async fn peek(db: &Db) -> corm::Result<()> {
//!     let acme = db.tenant("acme".to_owned());
//!     let globex = ShopSettingsKey { shop: "globex".to_owned() };
//!     acme.shop_settings().get(&globex).await?;
//!     Ok(())
//! }
//! ```
//!
//! Or a full partition key.
//!
//! ```compile_fail,E0308
//! use corm_examples::generated::{Db, ShopNotePartition};
//!
//! async fn peek(db: &Db) -> corm::Result<()> {
//!     let acme = db.tenant("acme".to_owned());
//!     let globex = ShopNotePartition { shop: "globex".to_owned(), customer: corm::Uuid::nil() };
//!     let _rows = acme.shop_note().partition(&globex).await?;
//!     Ok(())
//! }
//! ```
//!
//! Even the `Db` has no accessor of a tenant model's rows: reading across
//! tenants takes the explicitly named administrative handle,
//! `db.admin().shop_note()`.
//!
//! ```compile_fail,E0624
//! use corm_examples::generated::Db;
//!
//! async fn every_shop(db: &Db) -> corm::Result<()> {
//!     let _all = db.shop_note().scan().await?;
//!     Ok(())
//! }
//! ```
//!
//! And a `TenantDb` gives no way back to the `Db` (whose admin handle reads
//! across tenants).
//!
//! ```compile_fail,E0616
//! use corm_examples::generated::TenantDb;
//!
//! fn escape<'a>(acme: &TenantDb<'a>) -> &'a corm_examples::generated::Db {
//!     acme.db
//! }
//! ```
//!
//! A `@unique` lookup on a tenant's handle looks in that tenant's values:
//! it takes no tenant.
//!
//! ```compile_fail,E0061
//! use corm_examples::generated::Db;
//!
//! async fn find(db: &Db) -> corm::Result<()> {
//!     let acme = db.tenant("acme".to_owned());
//!     let _staff = acme.shop_staff().find_by_email("globex", "ada@example.com").await?;
//!     Ok(())
//! }
//! ```
//!
//! A tenant's time series takes a series without a tenant id, not one
//! that names a shop.
//!
//! ```compile_fail,E0308
//! use corm::chrono::Utc;
//! use corm::timeseries::Direction;
//! use corm_examples::generated::{CheckoutTimeSeries, Db};
//!
//! async fn peek(db: &Db) -> corm::Result<()> {
//!     let acme = db.tenant("acme".to_owned());
//!     let globex = CheckoutTimeSeries { shop: "globex".to_owned(), till: "front".to_owned() };
//!     let now = Utc::now();
//!     let _points = acme.checkout_time().range(&globex, now..now, Direction::Ascending, None).await?;
//!     Ok(())
//! }
//! ```
//!
//! A tenant's event store takes a stream id without a tenant id, not the
//! pair that names another shop's stream.
//!
//! ```compile_fail,E0308
//! use corm_examples::generated::{Db, TillLedgerEvent};
//!
//! async fn append(db: &Db, events: &[TillLedgerEvent]) -> corm::Result<()> {
//!     let acme = db.tenant("acme".to_owned());
//!     let globex = ("globex".to_owned(), "front".to_owned());
//!     acme.till_ledger().append(&globex, 0, events).await?;
//!     Ok(())
//! }
//! ```
//!
//! And the `Db` has no accessor of every shop's points or streams: those
//! are on `db.admin()`.
//!
//! ```compile_fail,E0624
//! use corm_examples::generated::Db;
//!
//! fn every_shop(db: &Db) {
//!     let _points = db.checkout_time();
//! }
//! ```
