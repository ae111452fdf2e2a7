//! Helpers for generated code: the building blocks of the hand-written
//! `SerializeRow`, `DeserializeRow`, `SerializeValue` and `DeserializeValue`
//! impls that `cormc` writes for every model, UDT and enum.
//!
//! Generated code implements the driver's traits by hand instead of using its
//! derive macros (12x faster to compile, see `docs/driver-notes.md`), binding
//! values by position. These functions keep those impls short and give their
//! errors the context a reader needs: the Rust type, the column or field name
//! and the value. They use only the driver's public API; users normally don't
//! call them.
//!
//! A row written and read as generated code does it:
//!
//! ```
//! use corm::rt;
//! use corm::scylla::deserialize::row::{ColumnIterator, DeserializeRow};
//! use corm::scylla::deserialize::{DeserializationError, TypeCheckError};
//! use corm::scylla::frame::response::result::ColumnSpec;
//! use corm::scylla::serialize::row::{RowSerializationContext, SerializeRow};
//! use corm::scylla::serialize::writers::RowWriter;
//! use corm::scylla::serialize::SerializationError;
//!
//! struct Note { id: i32, body: Option<String> }
//!
//! impl SerializeRow for Note {
//!     fn serialize(
//!         &self,
//!         ctx: &RowSerializationContext<'_>,
//!         writer: &mut RowWriter,
//!     ) -> Result<(), SerializationError> {
//!         rt::bind_row::<Self>(ctx, writer, (&self.id, &self.body))
//!     }
//!     fn is_empty(&self) -> bool { false }
//! }
//!
//! impl<'f, 'm> DeserializeRow<'f, 'm> for Note {
//!     fn type_check(specs: &[ColumnSpec]) -> Result<(), TypeCheckError> {
//!         rt::check_count::<Self>(specs, 2)?;
//!         rt::check_row::<Self, (i32, Option<String>)>(specs, 0, &["id", "body"])
//!     }
//!     fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
//!         let (id, body) = rt::read_row::<Self, _>(&mut row)?;
//!         Ok(Self { id, body })
//!     }
//! }
//! ```

mod cache;
mod error;
mod row;
mod statement;
mod text;
mod time;
mod udt;
mod values;

pub use crate::trace::Traced;
pub use cache::{Cached, StatementCache, update_text};
pub use error::CodecError;
pub use row::{
    BindRow, ReadRow, bind, bind_row, check_col, check_count, check_row, column_names,
    next_checked_col, next_col, next_opt_col, read_row, skip_col,
};
pub use statement::{WithTtlAndTimestamp, quoted, with_ttl_and_timestamp};
pub use text::{check_text, parse_error, read_text, serialize_text, unknown_variant};
pub(crate) use time::{GREGORIAN_TO_UNIX_TICKS, timeuuid_at};
pub use time::{now_timestamp, now_timeuuid};
pub use udt::{UdtField, UdtFields, check_udt_field, required_field, serialize_udt, udt_fields};
pub use values::{Bind, BoundValue, BoundValues, Chain, MAX_BOUND_VALUES, MAX_RANGE_VALUES, Now};

/// The driver's serialisation traits, under a path of the runtime's own:
/// generated code names `dyn corm::rt::SerializeValue`, which stays quiet
/// under `unused_qualifications` even in a crate that also depends on
/// `scylla` directly (where `corm::scylla::…` would be flagged as
/// qualified more than needed).
pub use scylla::serialize::row::SerializeRow;
/// See [`SerializeRow`].
pub use scylla::serialize::value::SerializeValue;
