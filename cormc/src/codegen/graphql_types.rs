//! The GraphQL type of each CQL type, as the runtime's `GraphqlValue`
//! impls name it (`corm::graphql`), and the named types they need: the
//! generated SDL must describe exactly the schema the runtime builds.

use std::collections::BTreeMap;

use crate::codegen::view::type_ident;
use crate::ir::{self, Scalar, Type};

/// A field's GraphQL type, present (non-null) forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphqlType {
    /// The output type (`[String!]!`).
    pub output: String,
    /// The input type (`[AddressInput!]!`).
    pub input: String,
    /// The name it contributes to composed names (`StringList`).
    pub name: String,
}

/// A value-backed object type the runtime registers for a map's entries
/// or a tuple: its description and fields (name, output, input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperType {
    /// What it is.
    pub description: &'static str,
    /// Its fields: name, output type, input type.
    pub fields: Vec<(String, String, String)>,
}

/// The name of the custom scalar of a CQL scalar, or GraphQL's own type.
fn scalar_name(scalar: Scalar) -> &'static str {
    match scalar {
        Scalar::Ascii | Scalar::Text | Scalar::Varchar => "String",
        Scalar::Bigint | Scalar::Counter | Scalar::Varint => "BigInt",
        Scalar::Blob => "Blob",
        Scalar::Boolean => "Boolean",
        Scalar::Date => "Date",
        Scalar::Decimal => "Decimal",
        Scalar::Double | Scalar::Float => "Float",
        Scalar::Duration => "Duration",
        Scalar::Inet => "Inet",
        Scalar::Int | Scalar::Smallint | Scalar::Tinyint => "Int",
        Scalar::Time => "Time",
        Scalar::Timestamp => "Timestamp",
        Scalar::Timeuuid => "TimeUUID",
        Scalar::Uuid => "UUID",
    }
}

/// The descriptions of the custom scalars, as the runtime states them.
pub const SCALARS: [(&str, &str); 10] = [
    (
        "BigInt",
        "A 64-bit or arbitrary-precision whole number (CQL bigint, counter, varint), as a string of decimal digits.",
    ),
    (
        "Decimal",
        "An exact decimal number (CQL decimal), as a string.",
    ),
    ("UUID", "A UUID (CQL uuid), hyphenated."),
    (
        "TimeUUID",
        "A version 1, time-based UUID (CQL timeuuid), hyphenated.",
    ),
    (
        "Timestamp",
        "A moment (CQL timestamp), as RFC 3339 text in UTC with milliseconds.",
    ),
    ("Date", "A calendar date (CQL date), as YYYY-MM-DD."),
    (
        "Time",
        "A time of day (CQL time), as HH:MM:SS with up to nine fractional digits.",
    ),
    (
        "Duration",
        "A duration (CQL duration), as CQL's literal: 1y2mo3w4d5h6m7s8ms9us10ns, - in front when negative.",
    ),
    ("Inet", "An IPv4 or IPv6 address (CQL inet)."),
    ("Blob", "Bytes (CQL blob), in standard base64 with padding."),
];

/// The GraphQL type of `ty`, or `None` for a type no field can have.
#[must_use]
pub fn graphql_type(schema: &ir::Schema, ty: &Type) -> Option<GraphqlType> {
    let named = |name: String, input: String| GraphqlType {
        output: format!("{name}!"),
        input: format!("{input}!"),
        name,
    };
    Some(match ty {
        Type::Scalar(scalar) => {
            let name = scalar_name(*scalar).to_owned();
            named(name.clone(), name)
        }
        Type::Frozen(inner) => graphql_type(schema, inner)?,
        Type::List(item) | Type::Set(item) => {
            let item = graphql_type(schema, item)?;
            GraphqlType {
                output: format!("[{}]!", item.output),
                input: format!("[{}]!", item.input),
                name: format!("{}List", item.name),
            }
        }
        Type::Map(key, value) => {
            let (key, value) = (graphql_type(schema, key)?, graphql_type(schema, value)?);
            let entry = format!("{}{}Entry", key.name, value.name);
            GraphqlType {
                output: format!("[{entry}!]!"),
                input: format!("[{entry}Input!]!"),
                name: format!("{}{}Map", key.name, value.name),
            }
        }
        Type::Tuple(items) => {
            let mut name = String::new();
            for item in items {
                name.push_str(&graphql_type(schema, item)?.name);
            }
            name.push_str("Tuple");
            named(name.clone(), format!("{name}Input"))
        }
        Type::Vector(dimensions) => GraphqlType {
            output: "[Float!]!".to_owned(),
            input: "[Float!]!".to_owned(),
            name: format!("Vector{dimensions}"),
        },
        Type::Udt(name) => {
            let ident = type_ident(name);
            named(ident.clone(), format!("{ident}Input"))
        }
        Type::Enum(name) => {
            let open = schema
                .enums
                .iter()
                .any(|item| item.name == *name && item.open);
            if open {
                named("String".to_owned(), "String".to_owned())
            } else {
                let ident = type_ident(name);
                named(ident.clone(), ident)
            }
        }
    })
}

/// Adds the entry and tuple types `ty` needs to `helpers` (by name), and
/// the custom scalars it uses to `scalars`.
pub fn collect_named(
    schema: &ir::Schema,
    ty: &Type,
    helpers: &mut BTreeMap<String, HelperType>,
    scalars: &mut std::collections::BTreeSet<&'static str>,
) {
    match ty {
        Type::Scalar(scalar) => {
            let name = scalar_name(*scalar);
            if SCALARS.iter().any(|(scalar, _)| *scalar == name) {
                scalars.insert(name);
            }
        }
        Type::Frozen(inner) | Type::List(inner) | Type::Set(inner) => {
            collect_named(schema, inner, helpers, scalars);
        }
        Type::Map(key, value) => {
            collect_named(schema, key, helpers, scalars);
            collect_named(schema, value, helpers, scalars);
            if let (Some(key), Some(value)) =
                (graphql_type(schema, key), graphql_type(schema, value))
            {
                helpers.insert(
                    format!("{}{}Entry", key.name, value.name),
                    HelperType {
                        description: "An entry of a map.",
                        fields: vec![
                            ("key".to_owned(), key.output, key.input),
                            ("value".to_owned(), value.output, value.input),
                        ],
                    },
                );
            }
        }
        Type::Tuple(items) => {
            for item in items {
                collect_named(schema, item, helpers, scalars);
            }
            if let Some(tuple) = graphql_type(schema, ty) {
                let fields = items
                    .iter()
                    .enumerate()
                    .filter_map(|(index, item)| {
                        let item = graphql_type(schema, item)?;
                        Some((format!("item{index}"), item.output, item.input))
                    })
                    .collect();
                helpers.insert(
                    tuple.name,
                    HelperType {
                        description: "A tuple: its items in order.",
                        fields,
                    },
                );
            }
        }
        Type::Vector(_) | Type::Udt(_) | Type::Enum(_) => {}
    }
}
