//! Rows by position: binding values to a statement's markers and reading the
//! columns of a result, with the driver's errors naming the row type.

use std::any::type_name;

use scylla::deserialize::row::{
    BuiltinDeserializationError, BuiltinDeserializationErrorKind,
    BuiltinTypeCheckError as RowTypeCheckError, BuiltinTypeCheckErrorKind as RowTypeCheckKind,
    ColumnIterator,
};
use scylla::deserialize::value::DeserializeValue;
use scylla::deserialize::{DeserializationError, TypeCheckError};
use scylla::frame::response::result::{ColumnSpec, ColumnType, NativeType};
use scylla::serialize::SerializationError;
use scylla::serialize::row::{
    BuiltinSerializationError, BuiltinSerializationErrorKind, BuiltinTypeCheckError,
    BuiltinTypeCheckErrorKind, RowSerializationContext,
};
use scylla::serialize::value::SerializeValue;
use scylla::serialize::writers::RowWriter;

use super::CodecError;

/// The statement's `N` bind markers, for row type `T` to bind in order.
///
/// # Errors
/// The driver's `WrongColumnCount` type check error (naming `T`) when the
/// statement has a different number of markers.
#[inline]
pub fn markers<'c, T: ?Sized, const N: usize>(
    ctx: &'c RowSerializationContext<'_>,
) -> Result<&'c [ColumnSpec<'c>; N], SerializationError> {
    let columns = ctx.columns();
    columns.try_into().map_err(|_| {
        SerializationError::new(BuiltinTypeCheckError {
            rust_name: type_name::<T>(),
            kind: BuiltinTypeCheckErrorKind::WrongColumnCount {
                rust_cols: N,
                cql_cols: columns.len(),
            },
        })
    })
}

/// Writes `value` as the next bound value, to the marker `spec` (one of
/// those [`markers`] returned), for row type `T`.
///
/// # Errors
/// The driver's `ColumnSerializationFailed` error, naming `T` and the marker.
#[inline]
pub fn bind<T: ?Sized>(
    writer: &mut RowWriter<'_>,
    spec: &ColumnSpec<'_>,
    value: &(impl SerializeValue + ?Sized),
) -> Result<(), SerializationError> {
    match value.serialize(spec.typ(), writer.make_cell_writer()) {
        Ok(_) => Ok(()),
        Err(err) => Err(SerializationError::new(BuiltinSerializationError {
            rust_name: type_name::<T>(),
            kind: BuiltinSerializationErrorKind::ColumnSerializationFailed {
                name: spec.name().to_owned(),
                err,
            },
        })),
    }
}

/// Checks that a result has the `count` columns that row type `T` reads.
///
/// # Errors
/// The driver's `WrongColumnCount` error naming `T`.
#[inline]
pub fn check_count<T: ?Sized>(
    specs: &[ColumnSpec<'_>],
    count: usize,
) -> Result<(), TypeCheckError> {
    if specs.len() == count {
        Ok(())
    } else {
        Err(row_typck_err::<T>(
            specs,
            RowTypeCheckKind::WrongColumnCount {
                rust_cols: count,
                cql_cols: specs.len(),
            },
        ))
    }
}

/// Checks that column `index` of a result is named `name` and has a type
/// that `V` can read, for row type `T`.
///
/// # Errors
/// The driver's `ColumnNameMismatch`, `ColumnTypeCheckFailed` or (when
/// `index` is out of range) `WrongColumnCount` error, naming `T`.
#[inline]
pub fn check_col<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    specs: &[ColumnSpec<'_>],
    index: usize,
    name: &'static str,
) -> Result<(), TypeCheckError> {
    let Some(spec) = specs.get(index) else {
        return Err(row_typck_err::<T>(
            specs,
            RowTypeCheckKind::WrongColumnCount {
                rust_cols: index + 1,
                cql_cols: specs.len(),
            },
        ));
    };
    if spec.name() != name {
        return Err(row_typck_err::<T>(
            specs,
            RowTypeCheckKind::ColumnNameMismatch {
                field_index: index,
                column_index: index,
                rust_column_name: name,
                db_column_name: spec.name().to_owned(),
            },
        ));
    }
    match V::type_check(spec.typ()) {
        Ok(()) => Ok(()),
        Err(err) => Err(row_typck_err::<T>(
            specs,
            RowTypeCheckKind::ColumnTypeCheckFailed {
                column_index: index,
                column_name: name.to_owned(),
                err,
            },
        )),
    }
}

/// Reads the next column of `row` as `V`, for row type `T`.
///
/// # Errors
/// The driver's `ColumnDeserializationFailed` error naming `T` and the
/// column (a null into a non-`Option`, a bad value), or
/// [`CodecError::MissingColumn`] when the row has no more columns.
#[inline]
pub fn next_col<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    row: &mut ColumnIterator<'f, 'm>,
) -> Result<V, DeserializationError> {
    let column = match row.next() {
        Some(column) => column?,
        None => return Err(missing_column::<T>()),
    };
    match V::deserialize(column.spec.typ(), column.slice) {
        Ok(value) => Ok(value),
        Err(err) => Err(column_error::<T>(column.index, column.spec.name(), err)),
    }
}

/// Reads past the next column of `row`, for row type `T` (a change's
/// `@on_update(now)` column, which its patch does not hold).
///
/// # Errors
/// [`CodecError::MissingColumn`] when the row has no more columns.
#[inline]
pub fn skip_col<T: ?Sized>(row: &mut ColumnIterator<'_, '_>) -> Result<(), DeserializationError> {
    match row.next() {
        Some(column) => column.map(drop),
        None => Err(missing_column::<T>()),
    }
}

/// Reads the next column of `row` as an optional `V`, for row type `T`: a
/// null is `None`, and so is an *empty* value (zero bytes) of a type whose
/// values are never empty (numbers, booleans, times, UUIDs, addresses:
/// other clients write and read such a value as null). Empty text or blob
/// stays an empty value.
///
/// # Errors
/// As for [`next_col`].
#[inline]
pub fn next_opt_col<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    row: &mut ColumnIterator<'f, 'm>,
) -> Result<Option<V>, DeserializationError> {
    let column = match row.next() {
        Some(column) => column?,
        None => return Err(missing_column::<T>()),
    };
    let typ = column.spec.typ();
    if column.slice.is_some_and(|slice| slice.is_empty()) && empty_is_null(typ) {
        return Ok(None);
    }
    match <Option<V>>::deserialize(typ, column.slice) {
        Ok(value) => Ok(value),
        Err(err) => Err(column_error::<T>(column.index, column.spec.name(), err)),
    }
}

/// Reads the next column of `row` as `V`, checking its type first, for
/// row type `T` whose columns are not checked before the rows are read (a
/// rollup's, whose columns come from generic summaries).
///
/// # Errors
/// A `ColumnDeserializationFailed` error naming `T` and the column when the
/// column's type does not fit `V` or its value does not read;
/// `MissingColumn` when the row has no more columns.
pub fn next_checked_col<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    row: &mut ColumnIterator<'f, 'm>,
) -> Result<V, DeserializationError> {
    let column = match row.next() {
        Some(column) => column?,
        None => return Err(missing_column::<T>()),
    };
    let typ = column.spec.typ();
    let value = match V::type_check(typ) {
        Ok(()) => V::deserialize(typ, column.slice),
        Err(err) => Err(DeserializationError::new(err)),
    };
    value.map_err(|err| column_error::<T>(column.index, column.spec.name(), err))
}

/// Whether an empty value of `typ` can only mean "no value".
fn empty_is_null(typ: &ColumnType<'_>) -> bool {
    match typ {
        ColumnType::Native(native) => !matches!(
            native,
            NativeType::Ascii | NativeType::Text | NativeType::Blob
        ),
        _ => false,
    }
}

// The error paths stay out of line, so that the per-column work inlines.

#[cold]
#[inline(never)]
fn missing_column<T: ?Sized>() -> DeserializationError {
    DeserializationError::new(CodecError::MissingColumn {
        rust_type: type_name::<T>(),
    })
}

#[cold]
#[inline(never)]
fn column_error<T: ?Sized>(
    index: usize,
    name: &str,
    err: DeserializationError,
) -> DeserializationError {
    DeserializationError::new(BuiltinDeserializationError {
        rust_name: type_name::<T>(),
        kind: BuiltinDeserializationErrorKind::ColumnDeserializationFailed {
            column_index: index,
            column_name: name.to_owned(),
            err,
        },
    })
}

#[cold]
#[inline(never)]
fn row_typck_err<T: ?Sized>(specs: &[ColumnSpec<'_>], kind: RowTypeCheckKind) -> TypeCheckError {
    TypeCheckError::new(RowTypeCheckError {
        rust_name: type_name::<T>(),
        cql_types: specs
            .iter()
            .map(|spec| spec.typ().clone().into_owned())
            .collect(),
        kind,
    })
}
