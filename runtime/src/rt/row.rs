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

/// Writes `value` as the next bound value, to the marker `spec`, for row
/// type `T` (what [`BindRow`] does for each value).
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

/// Calls `$macro` with each tuple arity from 1 to 16, as `A 0, B 1, …`
/// (a type parameter and its index).
macro_rules! for_each_tuple {
    ($macro:ident) => {
        $macro!(A 0);
        $macro!(A 0, B 1);
        $macro!(A 0, B 1, C 2);
        $macro!(A 0, B 1, C 2, D 3);
        $macro!(A 0, B 1, C 2, D 3, E 4);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
        $macro!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);
    };
}

/// Values bound in order to a statement's markers: a reference to one
/// value, or a tuple of up to 16 (whose items are references or tuples
/// again). A generated `SerializeRow` is one [`bind_row`] of a tuple of
/// its fields: the binding is written once, here, and each row only states
/// its fields.
pub trait BindRow {
    /// How many markers the values take.
    const COUNT: usize;

    /// Writes the values to the first [`COUNT`](Self::COUNT) of `specs`,
    /// for row type `T`.
    ///
    /// # Errors
    /// The driver's `ColumnSerializationFailed` error of the first value
    /// that can't be written, or `WrongColumnCount` when `specs` are fewer.
    fn bind_to<T: ?Sized>(
        &self,
        specs: &[ColumnSpec<'_>],
        writer: &mut RowWriter<'_>,
    ) -> Result<(), SerializationError>;
}

impl<V: SerializeValue + ?Sized> BindRow for &V {
    const COUNT: usize = 1;

    #[inline]
    fn bind_to<T: ?Sized>(
        &self,
        specs: &[ColumnSpec<'_>],
        writer: &mut RowWriter<'_>,
    ) -> Result<(), SerializationError> {
        match specs.first() {
            Some(spec) => bind::<T>(writer, spec, *self),
            None => Err(wrong_marker_count::<T>(1, 0)),
        }
    }
}

impl BindRow for () {
    const COUNT: usize = 0;

    #[inline]
    fn bind_to<T: ?Sized>(
        &self,
        _specs: &[ColumnSpec<'_>],
        _writer: &mut RowWriter<'_>,
    ) -> Result<(), SerializationError> {
        Ok(())
    }
}

macro_rules! bind_row_tuple {
    ($($item:ident $index:tt),+) => {
        impl<$($item: BindRow),+> BindRow for ($($item,)+) {
            const COUNT: usize = 0 $(+ $item::COUNT)+;

            #[inline]
            fn bind_to<T: ?Sized>(
                &self,
                specs: &[ColumnSpec<'_>],
                writer: &mut RowWriter<'_>,
            ) -> Result<(), SerializationError> {
                let mut rest = specs;
                $(
                    let Some((now, later)) = rest.split_at_checked($item::COUNT) else {
                        return Err(wrong_marker_count::<T>(Self::COUNT, specs.len()));
                    };
                    self.$index.bind_to::<T>(now, writer)?;
                    rest = later;
                )+
                let _ = rest;
                Ok(())
            }
        }
    };
}

for_each_tuple!(bind_row_tuple);

/// Binds `values` (see [`BindRow`]) to the markers of `ctx`'s statement,
/// in order, for row type `T`.
///
/// # Errors
/// The driver's `WrongColumnCount` type check error (naming `T`) when the
/// statement has another number of markers, or the error of the first
/// value that can't be written.
#[inline]
pub fn bind_row<T: ?Sized>(
    ctx: &RowSerializationContext<'_>,
    writer: &mut RowWriter<'_>,
    values: impl BindRow,
) -> Result<(), SerializationError> {
    // `values` is an `impl` argument so that generated code can name `T`
    // alone (`bind_row::<Self>`); its type's count is read through this.
    fn count<V: BindRow>(_: &V) -> usize {
        V::COUNT
    }
    let specs = ctx.columns();
    if specs.len() != count(&values) {
        return Err(wrong_marker_count::<T>(count(&values), specs.len()));
    }
    values.bind_to::<T>(specs, writer)
}

/// A statement with `cql` markers where row type `T` binds `rust` values.
#[cold]
fn wrong_marker_count<T: ?Sized>(rust: usize, cql: usize) -> SerializationError {
    SerializationError::new(BuiltinTypeCheckError {
        rust_name: type_name::<T>(),
        kind: BuiltinTypeCheckErrorKind::WrongColumnCount {
            rust_cols: rust,
            cql_cols: cql,
        },
    })
}

/// Columns read in order: a tuple of up to 16 types the driver reads
/// (`Option<V>` for an optional column). A generated `DeserializeRow`
/// checks its columns' types with a [`check_types`] per 16 columns: the
/// checking is written once, here, and each row only states its types.
pub trait ReadRow<'f, 'm>: Sized {
    /// How many columns.
    const COUNT: usize;

    /// Checks the types of the columns `first..first + COUNT` of `specs`,
    /// for row type `T`.
    ///
    /// # Errors
    /// As [`check_types`], for the first column that does not match.
    fn check_from<T: ?Sized>(specs: &[ColumnSpec<'_>], first: usize) -> Result<(), TypeCheckError>;

    /// Reads the next `COUNT` columns of `row`, for row type `T`.
    ///
    /// # Errors
    /// As [`next_col`], for the first column that can't be read.
    fn read_from<T: ?Sized>(row: &mut ColumnIterator<'f, 'm>)
    -> Result<Self, DeserializationError>;
}

macro_rules! read_row_tuple {
    ($($item:ident $index:tt),+) => {
        impl<'f, 'm, $($item: DeserializeValue<'f, 'm>),+> ReadRow<'f, 'm> for ($($item,)+) {
            const COUNT: usize = [$($index),+].len();

            #[inline]
            fn check_from<T: ?Sized>(
                specs: &[ColumnSpec<'_>],
                first: usize,
            ) -> Result<(), TypeCheckError> {
                $(
                    check_type::<T, $item>(specs, first + $index)?;
                )+
                Ok(())
            }

            #[inline]
            fn read_from<T: ?Sized>(
                row: &mut ColumnIterator<'f, 'm>,
            ) -> Result<Self, DeserializationError> {
                Ok(($(read_col::<T, $item>(row)?,)+))
            }
        }
    };
}

for_each_tuple!(read_row_tuple);

/// Checks that a result has exactly the columns of `columns`, in order,
/// for row type `T`. `columns` is a statement's column list as CQL writes
/// it (`id, "Name", body`: a quoted name as CQL quotes it, an unquoted one
/// as written), the same text the statement selects; the types are
/// [`check_types`]'s to check.
///
/// # Errors
/// The driver's `WrongColumnCount` or `ColumnNameMismatch` error, naming
/// `T`, for the first column that does not match.
#[inline]
pub fn check_names<T: ?Sized>(
    specs: &[ColumnSpec<'_>],
    columns: &'static str,
) -> Result<(), TypeCheckError> {
    let mut rest = columns;
    for (index, spec) in specs.iter().enumerate() {
        match after_column(rest, spec.name()) {
            Some(after) => rest = after,
            None => return Err(names_mismatch::<T>(specs, columns, index)),
        }
    }
    if rest.is_empty() {
        Ok(())
    } else {
        Err(names_mismatch::<T>(specs, columns, specs.len()))
    }
}

/// `rest` after its first column name and the `, ` that follows, when that
/// name is `name`; `None` when it is another name.
#[inline]
fn after_column<'c>(rest: &'c str, name: &str) -> Option<&'c str> {
    let after = if rest.starts_with('"') {
        after_quoted(rest, name)?
    } else {
        rest.strip_prefix(name)?
    };
    match after.strip_prefix(", ") {
        Some(next) => Some(next),
        None => after.is_empty().then_some(after),
    }
}

/// `rest` after its first name, a quoted one (`"a""b"` is `a"b`), when that
/// name is `name`.
#[cold]
fn after_quoted<'c>(rest: &'c str, name: &str) -> Option<&'c str> {
    let bytes = rest.as_bytes();
    let mut expected = name.bytes();
    let mut at = 1;
    loop {
        match *bytes.get(at)? {
            b'"' if bytes.get(at + 1) == Some(&b'"') => {
                (expected.next() == Some(b'"')).then_some(())?;
                at += 2;
            }
            b'"' => return expected.next().is_none().then(|| &rest[at + 1..]),
            byte => {
                (expected.next() == Some(byte)).then_some(())?;
                at += 1;
            }
        }
    }
}

/// The error of a result whose column `index` is not the one `columns`
/// names there (or that has more or fewer columns).
#[cold]
#[inline(never)]
fn names_mismatch<T: ?Sized>(
    specs: &[ColumnSpec<'_>],
    columns: &'static str,
    index: usize,
) -> TypeCheckError {
    let rust_cols = super::cache::column_names(columns).count();
    let expected = super::cache::column_names(columns).nth(index);
    match (expected, specs.get(index)) {
        (Some(expected), Some(spec)) if rust_cols == specs.len() => row_typck_err::<T>(
            specs,
            RowTypeCheckKind::ColumnNameMismatch {
                field_index: index,
                column_index: index,
                rust_column_name: expected,
                db_column_name: spec.name().to_owned(),
            },
        ),
        _ => row_typck_err::<T>(
            specs,
            RowTypeCheckKind::WrongColumnCount {
                rust_cols,
                cql_cols: specs.len(),
            },
        ),
    }
}

/// Checks the types of the columns `first..` of a result against `R` (see
/// [`ReadRow`]), for row type `T`. The names and count are
/// [`check_names`]'s to check.
///
/// # Errors
/// The driver's `ColumnTypeCheckFailed` error, naming `T`, for the first
/// column whose type `R` can't read (`WrongColumnCount` when the result
/// has fewer columns).
#[inline]
pub fn check_types<'f, 'm, T: ?Sized, R: ReadRow<'f, 'm>>(
    specs: &[ColumnSpec<'_>],
    first: usize,
) -> Result<(), TypeCheckError> {
    R::check_from::<T>(specs, first)
}

/// Reads the next columns of `row` as `R` (see [`ReadRow`]), for row type
/// `T`.
///
/// # Errors
/// As [`next_col`] and [`next_opt_col`].
#[inline]
pub fn read_row<'f, 'm, T: ?Sized, R: ReadRow<'f, 'm>>(
    row: &mut ColumnIterator<'f, 'm>,
) -> Result<R, DeserializationError> {
    R::read_from::<T>(row)
}

/// Reads the next column of `row` as `V`: as [`next_opt_col`] reads it
/// when `V` takes a null (an optional column), else as [`next_col`]. An
/// empty value of a type whose values are never empty is tried as a null
/// first, and read as itself when `V` refuses a null.
#[inline]
fn read_col<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    row: &mut ColumnIterator<'f, 'm>,
) -> Result<V, DeserializationError> {
    let column = match row.next() {
        Some(column) => column?,
        None => return Err(missing_column::<T>()),
    };
    let typ = column.spec.typ();
    if column.slice.is_some_and(|slice| slice.is_empty())
        && empty_is_null(typ)
        && let Ok(value) = V::deserialize(typ, None)
    {
        return Ok(value);
    }
    match V::deserialize(typ, column.slice) {
        Ok(value) => Ok(value),
        Err(err) => Err(column_error::<T>(column.index, column.spec.name(), err)),
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

/// Checks that column `index` of a result has a type that `V` can read,
/// for row type `T`.
#[inline]
fn check_type<'f, 'm, T: ?Sized, V: DeserializeValue<'f, 'm>>(
    specs: &[ColumnSpec<'_>],
    index: usize,
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
    match V::type_check(spec.typ()) {
        Ok(()) => Ok(()),
        Err(err) => Err(row_typck_err::<T>(
            specs,
            RowTypeCheckKind::ColumnTypeCheckFailed {
                column_index: index,
                column_name: spec.name().to_owned(),
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
    // An `Option` takes a null, so an empty value reads as `None` there.
    read_col::<T, Option<V>>(row)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use scylla::deserialize::FrameSlice;
    use scylla::frame::response::result::TableSpec;

    use super::*;

    const TABLE: TableSpec<'static> = TableSpec::borrowed("ks", "t");

    fn spec(name: &'static str, typ: NativeType) -> ColumnSpec<'static> {
        ColumnSpec::borrowed(name, ColumnType::Native(typ), TABLE)
    }

    /// Binds `values` to markers of the types `specs`, into a row's bytes.
    fn bound(
        specs: &[ColumnSpec<'_>],
        values: impl BindRow,
    ) -> Result<Vec<u8>, SerializationError> {
        let mut bytes = Vec::new();
        let mut writer = RowWriter::new(&mut bytes);
        bind_row::<str>(
            &RowSerializationContext::from_specs(specs),
            &mut writer,
            values,
        )?;
        assert_eq!(writer.value_count(), specs.len());
        Ok(bytes)
    }

    #[test]
    fn a_tuple_binds_in_order_and_nests_past_sixteen() {
        let specs: Vec<_> = (0..17).map(|_| spec("n", NativeType::Int)).collect();
        let n: Vec<i32> = (0..17).collect();
        let nested = bound(
            &specs,
            (
                (&n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6], &n[7]),
                (&n[8], &n[9], &n[10], &n[11], &n[12], &n[13], &n[14], &n[15]),
                (&n[16],),
            ),
        )
        .unwrap();
        // Each value: its length (4) and its bytes, in order.
        let expected: Vec<u8> = n
            .iter()
            .flat_map(|n| [4_i32.to_be_bytes(), n.to_be_bytes()].concat())
            .collect();
        assert_eq!(nested, expected);
        assert_eq!(bound(&[], ()).unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn a_statement_with_other_markers_is_refused() {
        let specs = [spec("a", NativeType::Int), spec("b", NativeType::Int)];
        let err = bound(&specs, (&1_i32,)).unwrap_err();
        assert!(err.to_string().contains("wrong column count"), "{err}");
        let err = bound(&specs, (&1_i32, &2_i32, &3_i32)).unwrap_err();
        assert!(err.to_string().contains("wrong column count"), "{err}");
        let err = bound(&specs, (&1_i32, &"text")).unwrap_err();
        assert!(err.to_string().contains('b'), "names the column: {err}");
    }

    /// A result row of `cells` (`None`: null) read as `R` after checking
    /// it against `specs` and `columns`.
    fn read<R: for<'f, 'm> ReadRow<'f, 'm>>(
        specs: &[ColumnSpec<'_>],
        columns: &'static str,
        cells: &[Option<&[u8]>],
    ) -> Result<R, String> {
        check_names::<str>(specs, columns).map_err(|err| err.to_string())?;
        check_types::<str, R>(specs, 0).map_err(|err| err.to_string())?;
        let mut frame = Vec::new();
        for cell in cells {
            match cell {
                Some(bytes) => {
                    frame.extend(i32::try_from(bytes.len()).unwrap().to_be_bytes());
                    frame.extend(*bytes);
                }
                None => frame.extend((-1_i32).to_be_bytes()),
            }
        }
        let mut row = ColumnIterator::new(specs, FrameSlice::new_borrowed(&frame));
        read_row::<str, R>(&mut row).map_err(|err| err.to_string())
    }

    #[test]
    fn columns_read_in_order_with_empty_as_null_where_values_are_never_empty() {
        let specs = [
            spec("a", NativeType::Int),
            spec("b", NativeType::Int),
            spec("c", NativeType::Text),
        ];
        let names = "a, b, c";
        let seven = 7_i32.to_be_bytes();
        let row: (i32, Option<i32>, Option<String>) =
            read(&specs, names, &[Some(&seven), Some(&[]), Some(&[])]).unwrap();
        // An empty int is a null for an optional column; empty text is text.
        assert_eq!(row, (7, None, Some(String::new())));
        let row: (i32, Option<i32>, Option<String>) =
            read(&specs, names, &[Some(&seven), None, None]).unwrap();
        assert_eq!(row, (7, None, None));
        // A required column refuses an empty int and a null.
        let err =
            read::<(i32, Option<i32>, Option<String>)>(&specs, names, &[Some(&[]), None, None]);
        assert!(err.unwrap_err().contains('a'));
        let err = read::<(i32, Option<i32>, Option<String>)>(&specs, names, &[None, None, None]);
        assert!(err.is_err());
    }

    #[test]
    fn a_result_with_other_columns_is_refused() {
        let specs = [spec("a", NativeType::Int), spec("b", NativeType::Int)];
        let renamed = read::<(i32, i32)>(&specs, "a, x", &[]).unwrap_err();
        assert!(renamed.contains("x"), "{renamed}");
        let prefix = read::<(i32, i32)>(&specs, "a, bb", &[]).unwrap_err();
        assert!(prefix.contains("bb"), "{prefix}");
        let retyped = read::<(i32, String)>(&specs, "a, b", &[]).unwrap_err();
        assert!(retyped.contains('b'), "{retyped}");
        let short = read::<(i32, i32, i32)>(&specs, "a, b, c", &[]).unwrap_err();
        assert!(short.contains("count"), "{short}");
        let long = read::<(i32,)>(&specs, "a", &[]).unwrap_err();
        assert!(long.contains("count"), "{long}");
    }

    #[test]
    fn quoted_column_names_are_compared_unquoted() {
        let specs = [
            spec("Mixed", NativeType::Int),
            spec("a, \"b\"", NativeType::Int),
            spec("c", NativeType::Int),
        ];
        let columns = "\"Mixed\", \"a, \"\"b\"\"\", c";
        assert!(check_names::<str>(&specs, columns).is_ok());
        for other in [
            "\"Mixed\", \"a, \"\"b\"\"\"",
            "\"Mixed\", \"a, \"\"b\"\"\", c, d",
            "\"Mixed\", \"a, \"\"b\"\"\", \"c",
            "\"Mixe\", \"a, \"\"b\"\"\", c",
            "\"Mixed\", \"a, \"\"b\"\", c",
        ] {
            assert!(check_names::<str>(&specs, other).is_err(), "{other}");
        }
        assert!(check_names::<str>(&[], "").is_ok());
        assert!(check_names::<str>(&[], "a").is_err());
    }
}
