//! The row derives of generated code (`corm::rt::SerializeRow`,
//! `corm::rt::DeserializeRow`): rows written to a result frame's bytes and
//! read back, past the 16 columns of one tuple, with fields named like the
//! expansion's own parameters, and the column checks' errors.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use corm::rt;
use corm::scylla::deserialize::FrameSlice;
use corm::scylla::deserialize::row::{ColumnIterator, DeserializeRow};
use corm::scylla::frame::response::result::{ColumnSpec, ColumnType, NativeType, TableSpec};
use corm::scylla::serialize::row::{RowSerializationContext, SerializeRow};
use corm::scylla::serialize::writers::RowWriter;

const TABLE: TableSpec<'static> = TableSpec::borrowed("ks", "t");

fn spec(name: &'static str, typ: NativeType) -> ColumnSpec<'static> {
    ColumnSpec::borrowed(name, ColumnType::Native(typ), TABLE)
}

/// `row` bound to markers of `specs`, then read back as a result row of
/// the same columns.
fn round_trip<R>(row: &R, specs: &[ColumnSpec<'_>]) -> R
where
    R: SerializeRow + for<'f, 'm> DeserializeRow<'f, 'm>,
{
    let mut cells = Vec::new();
    let mut writer = RowWriter::new(&mut cells);
    row.serialize(&RowSerializationContext::from_specs(specs), &mut writer)
        .unwrap();
    assert_eq!(writer.value_count(), specs.len());
    R::type_check(specs).unwrap();
    R::deserialize(ColumnIterator::new(specs, FrameSlice::new_borrowed(&cells))).unwrap()
}

/// Fields named as the derives' parameters and locals are: the expansion
/// must not mistake one for the other.
#[derive(Debug, Clone, PartialEq, rt::SerializeRow, rt::DeserializeRow)]
#[corm(columns = "row, specs, ctx, writer, \"names\"")]
struct Shadowing {
    row: i32,
    specs: Option<String>,
    ctx: i64,
    writer: Option<i32>,
    names: String,
}

#[test]
fn fields_named_like_the_expansions_locals_round_trip() {
    let specs = [
        spec("row", NativeType::Int),
        spec("specs", NativeType::Text),
        spec("ctx", NativeType::BigInt),
        spec("writer", NativeType::Int),
        spec("names", NativeType::Text),
    ];
    let row = Shadowing {
        row: 7,
        specs: None,
        ctx: -3,
        writer: Some(9),
        names: "n".to_owned(),
    };
    assert_eq!(round_trip(&row, &specs), row);
}

/// 40 columns: three tuples of 16, 16 and 8. The first is called `row`,
/// as the reader's parameter is, which the second tuple's read still uses.
/// (Written out: a `macro_rules!` around it would make its names hygienic
/// and hide a clash.)
#[derive(Debug, Clone, PartialEq, rt::SerializeRow, rt::DeserializeRow)]
#[corm(columns = WIDE_COLUMNS)]
struct Wide {
    row: i32,
    c1: i32,
    c2: i32,
    c3: i32,
    c4: i32,
    c5: i32,
    c6: i32,
    c7: i32,
    c8: i32,
    c9: i32,
    c10: i32,
    c11: i32,
    c12: i32,
    c13: i32,
    c14: i32,
    c15: i32,
    c16: i32,
    c17: i32,
    c18: i32,
    c19: i32,
    c20: i32,
    c21: i32,
    c22: i32,
    c23: i32,
    c24: i32,
    c25: i32,
    c26: i32,
    c27: i32,
    c28: i32,
    c29: i32,
    c30: i32,
    c31: i32,
    c32: i32,
    c33: i32,
    c34: i32,
    c35: i32,
    c36: i32,
    c37: i32,
    c38: i32,
    last: Option<String>,
}

const WIDE_COLUMNS: &str = "row, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, c36, c37, c38, last";

fn wide_specs() -> Vec<ColumnSpec<'static>> {
    rt::column_names::<40>(WIDE_COLUMNS)
        .into_iter()
        .map(|name| {
            let typ = if name == "last" {
                NativeType::Text
            } else {
                NativeType::Int
            };
            spec(name, typ)
        })
        .collect()
}

/// A `Wide` whose `i`th column holds `first + i`.
fn wide(first: i32) -> Wide {
    let cells: Vec<u8> = (0..39)
        .flat_map(|i: i32| [4_i32.to_be_bytes(), (first + i).to_be_bytes()].concat())
        .chain([3_i32.to_be_bytes().to_vec(), b"end".to_vec()].concat())
        .collect();
    let specs = wide_specs();
    Wide::deserialize(ColumnIterator::new(
        &specs,
        FrameSlice::new_borrowed(&cells),
    ))
    .unwrap()
}

#[test]
fn a_row_of_forty_columns_round_trips_in_order() {
    let specs = wide_specs();
    assert_eq!(specs.len(), 40);
    let row = wide(100);
    let back = round_trip(&row, &specs);
    assert_eq!(back, row);
    assert_eq!(
        (back.row, back.c16, back.c38, back.last.as_deref()),
        (100, 116, 138, Some("end"))
    );
}

#[test]
fn columns_are_checked_by_count_name_and_type() {
    let mut specs = wide_specs();
    // A column of another name, in the third tuple.
    specs[35] = spec("other", NativeType::Int);
    let err = Wide::type_check(&specs).unwrap_err().to_string();
    assert!(err.contains("c35") && err.contains("other"), "{err}");
    // A column of another type, in the second tuple.
    let mut specs = wide_specs();
    specs[20] = spec("c20", NativeType::Text);
    let err = Wide::type_check(&specs).unwrap_err().to_string();
    assert!(err.contains("c20"), "{err}");
    // One column short.
    let mut specs = wide_specs();
    specs.pop();
    let err = Wide::type_check(&specs).unwrap_err().to_string();
    assert!(err.contains("40") && err.contains("39"), "{err}");
}

#[test]
fn binding_to_other_markers_is_refused() {
    let specs = [spec("row", NativeType::Int)];
    let row = Shadowing {
        row: 1,
        specs: None,
        ctx: 0,
        writer: None,
        names: String::new(),
    };
    let mut cells = Vec::new();
    let err = row
        .serialize(
            &RowSerializationContext::from_specs(&specs),
            &mut RowWriter::new(&mut cells),
        )
        .unwrap_err();
    assert!(err.to_string().contains("wrong column count"), "{err}");
}
