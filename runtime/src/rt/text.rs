//! Enums stored as text: written as their CQL name, read back by matching
//! the borrowed text (no allocation), an unknown value is an error naming it.
//!
//! An enum as generated code implements it:
//!
//! ```
//! use corm::rt;
//! use corm::scylla::deserialize::value::DeserializeValue;
//! use corm::scylla::deserialize::{DeserializationError, FrameSlice, TypeCheckError};
//! use corm::scylla::frame::response::result::ColumnType;
//! use corm::scylla::serialize::value::SerializeValue;
//! use corm::scylla::serialize::writers::{CellWriter, WrittenCellProof};
//! use corm::scylla::serialize::SerializationError;
//!
//! enum Role { Admin, Member }
//!
//! impl SerializeValue for Role {
//!     fn serialize<'b>(
//!         &self,
//!         typ: &ColumnType,
//!         writer: CellWriter<'b>,
//!     ) -> Result<WrittenCellProof<'b>, SerializationError> {
//!         let text = match self { Self::Admin => "admin", Self::Member => "member" };
//!         rt::serialize_text(text, typ, writer)
//!     }
//! }
//!
//! impl<'f, 'm> DeserializeValue<'f, 'm> for Role {
//!     fn type_check(typ: &ColumnType) -> Result<(), TypeCheckError> {
//!         rt::check_text(typ)
//!     }
//!     fn deserialize(
//!         typ: &'m ColumnType<'m>,
//!         v: Option<FrameSlice<'f>>,
//!     ) -> Result<Self, DeserializationError> {
//!         match rt::read_text(typ, v)? {
//!             "admin" => Ok(Self::Admin),
//!             "member" => Ok(Self::Member),
//!             other => Err(rt::unknown_variant::<Self>(other)),
//!         }
//!     }
//! }
//! ```

use std::any::type_name;

use scylla::deserialize::value::DeserializeValue;
use scylla::deserialize::{DeserializationError, FrameSlice, TypeCheckError};
use scylla::frame::response::result::ColumnType;
use scylla::serialize::SerializationError;
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::{CellWriter, WrittenCellProof};

use super::CodecError;

/// Writes an enum variant as its text.
///
/// # Errors
/// The driver's error when the column is not `text`/`ascii`.
#[inline]
pub fn serialize_text<'b>(
    text: &str,
    typ: &ColumnType<'_>,
    writer: CellWriter<'b>,
) -> Result<WrittenCellProof<'b>, SerializationError> {
    <str as SerializeValue>::serialize(text, typ, writer)
}

/// Checks that a column holding an enum is `text` or `ascii`.
///
/// # Errors
/// The driver's type check error.
#[inline]
pub fn check_text(typ: &ColumnType<'_>) -> Result<(), TypeCheckError> {
    <&str as DeserializeValue<'_, '_>>::type_check(typ)
}

/// The text of an enum column, borrowed from the response, to match on.
///
/// # Errors
/// The driver's error for a null or a value that is not UTF-8.
#[inline]
pub fn read_text<'f, 'm>(
    typ: &'m ColumnType<'m>,
    value: Option<FrameSlice<'f>>,
) -> Result<&'f str, DeserializationError> {
    <&'f str as DeserializeValue<'f, 'm>>::deserialize(typ, value)
}

/// The error for text that is not a variant of enum `T`.
pub fn unknown_variant<T: ?Sized>(value: &str) -> DeserializationError {
    DeserializationError::new(CodecError::UnknownVariant {
        rust_type: type_name::<T>(),
        value: value.to_owned(),
    })
}

/// The error of a generated enum's `FromStr` for text that is not one of
/// the variants of `T`.
pub fn parse_error<T: ?Sized>(value: &str) -> CodecError {
    CodecError::UnknownVariant {
        rust_type: type_name::<T>(),
        value: value.to_owned(),
    }
}
