//! CQL types to Rust types: the types the driver reads and writes for each
//! (see `docs/driver-notes.md`), through `corm`'s re-exports so generated
//! code depends on `corm` alone.

use super::ident::type_ident;
use crate::codegen::CodegenError;
use crate::ir::{Scalar, Type};

/// A Rust type for a CQL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustType {
    /// The type as written in generated code.
    pub path: String,
    /// Whether it implements `Ord` (so it can be a `BTreeSet` element or a
    /// `BTreeMap` key).
    pub ord: bool,
}

impl RustType {
    fn new(path: impl Into<String>, ord: bool) -> Self {
        Self {
            path: path.into(),
            ord,
        }
    }
}

/// The Rust type of a value of `ty` (not optional: the caller wraps
/// `Option`). `what` names the field in errors.
///
/// Enums are `Ord`; UDTs are not. A `set` of elements that are not `Ord`
/// is a `Vec`.
///
/// # Errors
/// [`CodegenError::Unsupported`] for a `map` whose keys are not `Ord`.
pub fn rust_type(ty: &Type, what: &str) -> Result<RustType, CodegenError> {
    Ok(match ty {
        Type::Scalar(scalar) => scalar_type(*scalar),
        Type::List(item) => {
            let item = rust_type(item, what)?;
            RustType::new(format!("Vec<{}>", item.path), item.ord)
        }
        Type::Set(item) => {
            let item = rust_type(item, what)?;
            if item.ord {
                RustType::new(format!("std::collections::BTreeSet<{}>", item.path), true)
            } else {
                RustType::new(format!("Vec<{}>", item.path), false)
            }
        }
        Type::Map(key, value) => {
            let key = rust_type(key, what)?;
            let value = rust_type(value, what)?;
            if !key.ord {
                return Err(CodegenError::Unsupported {
                    what: what.to_owned(),
                    reason: format!("a map key of Rust type `{}` has no order", key.path),
                });
            }
            RustType::new(
                format!("std::collections::BTreeMap<{}, {}>", key.path, value.path),
                value.ord,
            )
        }
        Type::Tuple(items) => {
            let items = items
                .iter()
                .map(|item| rust_type(item, what))
                .collect::<Result<Vec<_>, _>>()?;
            let ord = items.iter().all(|item| item.ord);
            let mut path = items
                .iter()
                .map(|item| item.path.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if items.len() == 1 {
                path.push(',');
            }
            RustType::new(format!("({path})"), ord)
        }
        Type::Frozen(inner) => rust_type(inner, what)?,
        Type::Vector(dimensions) => RustType::new(format!("corm::Vector<{dimensions}>"), false),
        Type::Udt(name) => RustType::new(type_ident(name), false),
        Type::Enum(name) => RustType::new(type_ident(name), true),
    })
}

/// The Rust type of a scalar.
fn scalar_type(scalar: Scalar) -> RustType {
    let (path, ord) = match scalar {
        Scalar::Ascii | Scalar::Text | Scalar::Varchar => ("String", true),
        Scalar::Bigint => ("i64", true),
        Scalar::Blob => ("Vec<u8>", true),
        Scalar::Boolean => ("bool", true),
        Scalar::Counter => ("corm::Counter", true),
        Scalar::Date => ("corm::chrono::NaiveDate", true),
        Scalar::Decimal => ("corm::BigDecimal", true),
        Scalar::Double => ("f64", false),
        Scalar::Duration => ("corm::CqlDuration", false),
        Scalar::Float => ("f32", false),
        Scalar::Inet => ("std::net::IpAddr", true),
        Scalar::Int => ("i32", true),
        Scalar::Smallint => ("i16", true),
        Scalar::Time => ("corm::chrono::NaiveTime", true),
        Scalar::Timestamp => ("corm::chrono::DateTime<corm::chrono::Utc>", true),
        Scalar::Timeuuid => ("corm::CqlTimeuuid", true),
        Scalar::Tinyint => ("i8", true),
        Scalar::Uuid => ("corm::Uuid", true),
        Scalar::Varint => ("corm::BigInt", true),
    };
    RustType::new(path, ord)
}
