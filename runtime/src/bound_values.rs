//! The bound values of a request as text, for its span when the session
//! opts in ([`Config::trace_values`](crate::Config::trace_values)): off by
//! default, as values are often personal data.
//!
//! The values are serialized a second time, as the driver sends them, and
//! read back as CQL values against the statement's bind markers, so what
//! the span shows is what the node received: `[42, 'ada@example.com',
//! null]`.

use std::fmt::Write;

use scylla::deserialize::FrameSlice;
use scylla::deserialize::value::DeserializeValue;
use scylla::frame::response::result::ColumnType;
use scylla::serialize::row::{RowSerializationContext, SerializeRow};
use scylla::serialize::writers::RowWriter;
use scylla::statement::prepared::PreparedStatement;
use scylla::value::CqlValue;

/// `values` bound to `prepared`, as a list of CQL literals; the reason
/// when they do not serialize.
pub(crate) fn render(prepared: &PreparedStatement, values: &impl SerializeRow) -> String {
    let specs = prepared.get_variable_col_specs();
    let context = RowSerializationContext::from_specs(specs.as_slice());
    let mut buffer = Vec::new();
    let mut writer = RowWriter::new(&mut buffer);
    if let Err(error) = values.serialize(&context, &mut writer) {
        return format!("<not serializable: {error}>");
    }
    let mut rest = buffer.as_slice();
    let mut text = String::from("[");
    for (index, spec) in specs.iter().enumerate() {
        if index > 0 {
            text.push_str(", ");
        }
        let Some(value) = next_value(&mut rest) else {
            text.push_str("<missing>");
            continue;
        };
        match value {
            Bound::Null => text.push_str("null"),
            Bound::Unset => text.push_str("unset"),
            Bound::Value(bytes) => write_value(&mut text, spec.typ(), bytes),
        }
    }
    text.push(']');
    text
}

/// One value as serialized: its `[int]` length, then its bytes.
enum Bound<'a> {
    Null,
    Unset,
    Value(&'a [u8]),
}

fn next_value<'a>(rest: &mut &'a [u8]) -> Option<Bound<'a>> {
    let (length, tail) = rest.split_first_chunk::<4>()?;
    let length = i32::from_be_bytes(*length);
    *rest = tail;
    match length {
        -1 => Some(Bound::Null),
        -2 => Some(Bound::Unset),
        length => {
            let length = usize::try_from(length).ok()?;
            let (value, tail) = rest.split_at_checked(length)?;
            *rest = tail;
            Some(Bound::Value(value))
        }
    }
}

/// The value as CQL would print it, or its bytes in hex when it does not
/// read as its column's type.
fn write_value(text: &mut String, typ: &ColumnType<'_>, bytes: &[u8]) {
    let read = <CqlValue as DeserializeValue>::type_check(typ)
        .ok()
        .and_then(|()| {
            <CqlValue as DeserializeValue>::deserialize(typ, Some(FrameSlice::new_borrowed(bytes)))
                .ok()
        });
    match read {
        Some(value) => {
            let _ = write!(text, "{value}");
        }
        None => {
            text.push_str("0x");
            for byte in bytes {
                let _ = write!(text, "{byte:02x}");
            }
        }
    }
}
