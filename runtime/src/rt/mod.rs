//! Helpers for generated code: the building blocks of the `SerializeRow`,
//! `DeserializeRow`, `SerializeValue` and `DeserializeValue` impls of the
//! rows, UDTs and enums that `cormc` writes.
//!
//! Generated code does not use the driver's derive macros (12x slower to
//! compile, see `docs/driver-notes.md`): a row derives corm's own
//! [`SerializeRow`](macro@SerializeRow) and
//! [`DeserializeRow`](macro@DeserializeRow), which expand to calls of the
//! functions here, binding and reading values by position; UDTs and enums
//! implement the value traits by hand with them. They keep those impls
//! short and give their errors the context a reader needs: the Rust type,
//! the column or field name and the value. They use only the driver's
//! public API; users normally don't call them.
//!
//! A row as generated code declares it, and what the derives expand to:
//!
//! ```
//! use corm::rt;
//!
//! #[derive(rt::SerializeRow, rt::DeserializeRow)]
//! #[corm(columns = "id, body")]
//! struct Note { id: i32, body: Option<String> }
//! ```
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
//!         const NAMES: [&str; 2] = rt::column_names("id, body");
//!         rt::check_count::<Self>(specs, 2)?;
//!         rt::check_row::<Self, (i32, Option<String>)>(specs, 0, &NAMES)?;
//!         Ok(())
//!     }
//!     fn deserialize(mut row: ColumnIterator<'f, 'm>) -> Result<Self, DeserializationError> {
//!         let (id, body) = rt::read_row::<Self, _>(&mut row)?;
//!         Ok(Self { id, body })
//!     }
//! }
//! ```
//!
//! `DeserializeRow` needs the column list:
//!
//! ```compile_fail
//! #[derive(corm::rt::DeserializeRow)]
//! struct Note { id: i32 }
//! ```
//!
//! and both take only structs with named fields:
//!
//! ```compile_fail
//! #[derive(corm::rt::SerializeRow)]
//! struct Note(i32);
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

/// The derives of generated rows: `#[derive(rt::SerializeRow)]` binds a
/// struct's fields in order ([`bind_row`]); `#[derive(rt::DeserializeRow)]`
/// with `#[corm(columns = <expr>)]` (a constant `&str`, the column list as
/// the statement selects it) checks the columns' count, names and types
/// and reads them in order ([`check_row`], [`read_row`]), 16 to a call.
/// `#[derive(rt::Setters)]` gives a patch (a struct of `Option<T>`
/// fields) a setter per field: `fn field(self, value: T) -> Self`.
pub use corm_macros::{DeserializeRow, SerializeRow, Setters};
