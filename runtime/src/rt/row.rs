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
/// (`Option<V>` for an optional column). A generated `DeserializeRow` is
/// a [`check_row`] and a [`read_row`] per 16 columns: the reading is
/// written once, here, and each row only states its columns.
pub trait ReadRow<'f, 'm>: Sized {
    /// How many columns.
    const COUNT: usize;

    /// Checks the columns `first..first + COUNT` of `specs` against
    /// `names` and the types, for row type `T`.
    ///
    /// # Errors
    /// As [`check_col`], for the first column that does not match.
    fn check_from<T: ?Sized>(
        specs: &[ColumnSpec<'_>],
        first: usize,
        names: &[&'static str],
    ) -> Result<(), TypeCheckError>;

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
                names: &[&'static str],
            ) -> Result<(), TypeCheckError> {
                $(
                    check_col::<T, $item>(specs, first + $index, column_name(names, $index))?;
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

/// The name of column `index` of a [`check_row`] (an empty name, which no
/// column has, when `names` are fewer than its types).
fn column_name(names: &[&'static str], index: usize) -> &'static str {
    names.get(index).copied().unwrap_or("")
}

/// Checks the columns `first..` of a result against `names` and the types
/// of `R` (see [`ReadRow`]), for row type `T`. The count is
/// [`check_count`]'s to check.
///
/// # Errors
/// As [`check_col`], for the first column that does not match.
#[inline]
pub fn check_row<'f, 'm, T: ?Sized, R: ReadRow<'f, 'm>>(
    specs: &[ColumnSpec<'_>],
    first: usize,
    names: &[&'static str],
) -> Result<(), TypeCheckError> {
    R::check_from::<T>(specs, first, names)
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
// Always inlined: `name` is then a constant, compared without a call.
#[inline(always)]
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
    if spec.name() != name && !is_quoted_name(name, spec.name()) {
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

/// Whether `written` is `name` quoted as CQL quotes it (`"a""b"` for
/// `a"b`). A name compared this way is one [`column_names`] kept quoted.
#[cold]
fn is_quoted_name(written: &str, name: &str) -> bool {
    let Some(inner) = written
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    else {
        return false;
    };
    let mut expected = name.bytes();
    let mut bytes = inner.bytes();
    while let Some(byte) = bytes.next() {
        if byte == b'"' && bytes.next() != Some(b'"') {
            return false;
        }
        if expected.next() != Some(byte) {
            return false;
        }
    }
    expected.next().is_none()
}

/// The `N` names of a column list as CQL writes it (`id, "Name", body`),
/// split at compile time: a generated `DeserializeRow` checks a result's
/// columns against `const NAMES: [&str; N] = column_names(Model::TABLE.columns)`,
/// so that the model states its column list once and each name is still a
/// constant that the check compares inline. A quoted name stays quoted
/// ([`check_col`] compares it unquoted).
///
/// # Panics
/// When `columns` does not hold `N` names: at compile time, in a `const`.
#[must_use]
pub const fn column_names<const N: usize>(columns: &'static str) -> [&'static str; N] {
    let bytes = columns.as_bytes();
    let mut names = [""; N];
    let mut count = 0;
    let mut start = 0;
    while start < bytes.len() {
        let end = name_end(bytes, start);
        assert!(count < N, "more column names than the count");
        names[count] = const_slice(columns, start, end);
        count += 1;
        start = next_name(bytes, end);
    }
    assert!(count == N, "fewer column names than the count");
    names
}

/// Where the column name that starts at `start` of a column list ends: at
/// the next `,` outside quotes, or at the end.
pub(super) const fn name_end(list: &[u8], start: usize) -> usize {
    let mut at = start;
    let mut quoted = false;
    while at < list.len() {
        match list[at] {
            b'"' => quoted = !quoted,
            b',' if !quoted => return at,
            _ => {}
        }
        at += 1;
    }
    at
}

/// Where the next name of a column list starts, after the `,` at `end` and
/// the spaces that follow it (the end of the list when `end` is).
pub(super) const fn next_name(list: &[u8], end: usize) -> usize {
    let mut at = end + 1;
    while at < list.len() && list[at] == b' ' {
        at += 1;
    }
    if at > list.len() { list.len() } else { at }
}

/// `text[start..end]`, in a `const`.
const fn const_slice(text: &'static str, start: usize, end: usize) -> &'static str {
    let (head, _) = text.as_bytes().split_at(end);
    let (_, part) = head.split_at(start);
    match std::str::from_utf8(part) {
        Ok(part) => part,
        Err(_) => panic!("a column list cut inside a character"),
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
    /// it against `specs` and `names`.
    fn read<R: for<'f, 'm> ReadRow<'f, 'm>>(
        specs: &[ColumnSpec<'_>],
        names: &[&'static str],
        cells: &[Option<&[u8]>],
    ) -> Result<R, String> {
        check_row::<str, R>(specs, 0, names).map_err(|err| err.to_string())?;
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
        let names = ["a", "b", "c"];
        let seven = 7_i32.to_be_bytes();
        let row: (i32, Option<i32>, Option<String>) =
            read(&specs, &names, &[Some(&seven), Some(&[]), Some(&[])]).unwrap();
        // An empty int is a null for an optional column; empty text is text.
        assert_eq!(row, (7, None, Some(String::new())));
        let row: (i32, Option<i32>, Option<String>) =
            read(&specs, &names, &[Some(&seven), None, None]).unwrap();
        assert_eq!(row, (7, None, None));
        // A required column refuses an empty int and a null.
        let err =
            read::<(i32, Option<i32>, Option<String>)>(&specs, &names, &[Some(&[]), None, None]);
        assert!(err.unwrap_err().contains('a'));
        let err = read::<(i32, Option<i32>, Option<String>)>(&specs, &names, &[None, None, None]);
        assert!(err.is_err());
    }

    #[test]
    fn column_lists_split_at_compile_time_and_quoted_names_compare_unquoted() {
        const NAMES: [&str; 4] = column_names("a, \"B, \"\"c\"\"\", d_1, \"e\"");
        assert_eq!(NAMES, ["a", "\"B, \"\"c\"\"\"", "d_1", "\"e\""]);
        const NONE: [&str; 0] = column_names("");
        assert_eq!(NONE.len(), 0);
        assert!(is_quoted_name("\"B, \"\"c\"\"\"", "B, \"c\""));
        assert!(is_quoted_name("\"e\"", "e"));
        assert!(!is_quoted_name("\"e\"", "E"));
        assert!(!is_quoted_name("\"B, \"\"c\"\"\"", "B, \"c"));
        assert!(!is_quoted_name("\"a\"b\"", "a\"b"));
        assert!(!is_quoted_name("e", "e"));
        let specs = [
            spec("a", NativeType::Int),
            spec("B, \"c\"", NativeType::Int),
            spec("d_1", NativeType::Int),
            spec("e", NativeType::Int),
        ];
        check_row::<str, (i32, i32, i32, i32)>(&specs, 0, &NAMES).unwrap();
        let specs = [spec("a", NativeType::Int), spec("B, c", NativeType::Int)];
        assert!(check_row::<str, (i32, i32)>(&specs, 0, &NAMES[..2]).is_err());
    }

    #[test]
    fn a_result_with_other_columns_is_refused() {
        let specs = [spec("a", NativeType::Int), spec("b", NativeType::Int)];
        let renamed = read::<(i32, i32)>(&specs, &["a", "x"], &[]).unwrap_err();
        assert!(renamed.contains("x"), "{renamed}");
        let retyped = read::<(i32, String)>(&specs, &["a", "b"], &[]).unwrap_err();
        assert!(retyped.contains('b'), "{retyped}");
        let short = read::<(i32, i32, i32)>(&specs, &["a", "b", "c"], &[]).unwrap_err();
        assert!(short.contains("count"), "{short}");
    }
}
