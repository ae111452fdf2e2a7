//! User-defined types: written in the database's field order, read by name.
//!
//! The database's definition of a UDT may differ from the one the code was
//! generated from while a migration rolls out: a field the Rust type does not
//! know is written as null, and a field the Rust type needs but the database
//! lacks is an error naming it.
//!
//! A UDT as generated code implements it:
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
//! struct Address { city: String, zip: Option<String> }
//!
//! impl SerializeValue for Address {
//!     fn serialize<'b>(
//!         &self,
//!         typ: &ColumnType,
//!         writer: CellWriter<'b>,
//!     ) -> Result<WrittenCellProof<'b>, SerializationError> {
//!         rt::serialize_udt::<Self>(typ, writer, &[("city", &self.city), ("zip", &self.zip)])
//!     }
//! }
//!
//! impl<'f, 'm> DeserializeValue<'f, 'm> for Address {
//!     fn type_check(typ: &ColumnType) -> Result<(), TypeCheckError> {
//!         rt::check_udt_field::<Self, String>(typ, "city")?;
//!         rt::check_udt_field::<Self, Option<String>>(typ, "zip")
//!     }
//!     fn deserialize(
//!         typ: &'m ColumnType<'m>,
//!         v: Option<FrameSlice<'f>>,
//!     ) -> Result<Self, DeserializationError> {
//!         let (mut city, mut zip) = (None, None);
//!         for field in rt::udt_fields::<Self>(typ, v)? {
//!             let field = field?;
//!             match field.name() {
//!                 "city" => city = Some(field.read()?),
//!                 "zip" => zip = Some(field.read()?),
//!                 _ => {}
//!             }
//!         }
//!         Ok(Self {
//!             city: rt::required_field::<Self, _>(city, "city")?,
//!             zip: rt::required_field::<Self, _>(zip, "zip")?,
//!         })
//!     }
//! }
//! ```

use std::any::type_name;
use std::borrow::Cow;
use std::marker::PhantomData;

use scylla::deserialize::value::{DeserializeValue, UdtIterator};
use scylla::deserialize::{DeserializationError, FrameSlice, TypeCheckError};
use scylla::frame::response::result::ColumnType;
use scylla::serialize::SerializationError;
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::{CellWriter, WrittenCellProof};

use super::CodecError;

/// Writes UDT `T` whose fields are `fields` (CQL name, value), in the order
/// of the database's definition `typ`; database fields missing from
/// `fields` are written as null.
///
/// # Errors
/// [`CodecError::NotUdt`] when `typ` is not a UDT; [`CodecError::MissingField`]
/// when the database lacks one of `fields`; [`CodecError::WriteField`] when
/// a field fails to serialize.
pub fn serialize_udt<'b, T: ?Sized>(
    typ: &ColumnType<'_>,
    writer: CellWriter<'b>,
    fields: &[(&'static str, &dyn SerializeValue)],
) -> Result<WrittenCellProof<'b>, SerializationError> {
    let ColumnType::UserDefinedType { definition, .. } = typ else {
        return Err(not_a_udt::<T>(typ));
    };
    let mut builder = writer.into_value_builder();
    let mut written = 0usize;
    for (name, field_type) in &definition.field_types {
        let cell = builder.make_sub_writer();
        match fields.iter().find(|(field, _)| *field == name.as_ref()) {
            None => {
                cell.set_null();
            }
            Some((field, value)) => {
                written += 1;
                value.serialize(field_type, cell).map_err(|source| {
                    SerializationError::new(CodecError::WriteField {
                        rust_type: type_name::<T>(),
                        field: (*field).to_owned(),
                        source,
                    })
                })?;
            }
        }
    }
    if written < fields.len() {
        let missing = fields
            .iter()
            .map(|(field, _)| *field)
            .find(|field| {
                !definition
                    .field_types
                    .iter()
                    .any(|(name, _)| name.as_ref() == *field)
            })
            .unwrap_or_default();
        return Err(SerializationError::new(CodecError::MissingField {
            rust_type: type_name::<T>(),
            field: missing,
        }));
    }
    builder.finish().map_err(SerializationError::new)
}

/// Checks that the database's UDT `typ` has field `field` with a type that
/// `V` can read, for the Rust UDT type `T`.
///
/// # Errors
/// The driver's error when `typ` is not a UDT; [`CodecError::MissingField`]
/// or [`CodecError::FieldType`] naming the field.
pub fn check_udt_field<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    typ: &ColumnType<'_>,
    field: &'static str,
) -> Result<(), TypeCheckError> {
    <UdtIterator<'_, '_> as DeserializeValue<'_, '_>>::type_check(typ)?;
    let ColumnType::UserDefinedType { definition, .. } = typ else {
        return Ok(());
    };
    let Some((_, field_type)) = definition
        .field_types
        .iter()
        .find(|(name, _)| name.as_ref() == field)
    else {
        return Err(TypeCheckError::new(CodecError::MissingField {
            rust_type: type_name::<T>(),
            field,
        }));
    };
    V::type_check(field_type).map_err(|source| {
        TypeCheckError::new(CodecError::FieldType {
            rust_type: type_name::<T>(),
            field: field.to_owned(),
            source,
        })
    })
}

/// The fields of a UDT value, in the database's order, for the Rust UDT
/// type `T` to read by name.
///
/// # Errors
/// The driver's error when the value is null or `typ` is not a UDT.
pub fn udt_fields<'f, 'm, T: ?Sized>(
    typ: &'m ColumnType<'m>,
    value: Option<FrameSlice<'f>>,
) -> Result<UdtFields<'f, 'm, T>, DeserializationError> {
    Ok(UdtFields {
        fields: UdtIterator::deserialize(typ, value)?,
        rust_type: PhantomData,
    })
}

/// The value of a field the database has and the Rust type `T` needs.
///
/// # Errors
/// [`CodecError::MissingField`] when `value` is `None` (the database's type
/// has no field `field`).
#[inline]
pub fn required_field<T: ?Sized, V>(
    value: Option<V>,
    field: &'static str,
) -> Result<V, DeserializationError> {
    value.ok_or_else(|| {
        DeserializationError::new(CodecError::MissingField {
            rust_type: type_name::<T>(),
            field,
        })
    })
}

/// An iterator over the fields of a UDT value (see [`udt_fields`]).
pub struct UdtFields<'f, 'm, T: ?Sized> {
    fields: UdtIterator<'f, 'm>,
    rust_type: PhantomData<fn() -> Box<T>>,
}

impl<'f, 'm, T: ?Sized> Iterator for UdtFields<'f, 'm, T> {
    type Item = Result<UdtField<'f, 'm, T>, DeserializationError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let ((name, typ), value) = self.fields.next()?;
        Some(match value {
            // A field missing from the serialized value (it was added to the
            // type after the value was written) reads as null.
            Ok(value) => Ok(UdtField {
                name,
                typ,
                value: value.flatten(),
                rust_type: PhantomData,
            }),
            Err(source) => Err(read_field_err::<T>(name, source)),
        })
    }
}

/// One field of a UDT value: its CQL name and its bytes, to read as a Rust value.
pub struct UdtField<'f, 'm, T: ?Sized> {
    name: &'m Cow<'m, str>,
    typ: &'m ColumnType<'m>,
    value: Option<FrameSlice<'f>>,
    rust_type: PhantomData<fn() -> Box<T>>,
}

impl<'f, 'm, T: ?Sized> UdtField<'f, 'm, T> {
    /// The field's CQL name.
    #[inline]
    pub fn name(&self) -> &'m str {
        self.name
    }

    /// Reads the field as `V` (a null reads as `None` into an `Option`).
    ///
    /// `V` must be the type that [`check_udt_field`] checked for this field
    /// (the driver type checks before reading); it is not checked again here.
    ///
    /// # Errors
    /// [`CodecError::ReadField`] naming the field: the type does not fit,
    /// a null into a non-`Option`, or a bad value.
    #[inline]
    pub fn read<V: DeserializeValue<'f, 'm>>(self) -> Result<V, DeserializationError> {
        V::deserialize(self.typ, self.value)
            .map_err(|source| read_field_err::<T>(self.name, source))
    }
}

fn read_field_err<T: ?Sized>(field: &str, source: DeserializationError) -> DeserializationError {
    DeserializationError::new(CodecError::ReadField {
        rust_type: type_name::<T>(),
        field: field.to_owned(),
        source,
    })
}

fn not_a_udt<T: ?Sized>(typ: &ColumnType<'_>) -> SerializationError {
    SerializationError::new(CodecError::NotUdt {
        rust_type: type_name::<T>(),
        cql_type: format!("{typ:?}"),
    })
}
