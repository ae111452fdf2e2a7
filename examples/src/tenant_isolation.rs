//! What code given one tenant's handle can and can't do: these examples
//! are compiled by `cargo test` (the `compile_fail` ones must fail to
//! compile, with the error code named), so the isolation of the
//! `@tenant` models (`ShopNote`, `ShopSettings`) is checked by the
//! compiler.
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
