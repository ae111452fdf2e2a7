//! How a Rust value of a generated row becomes a GraphQL value and back:
//! [`GraphqlValue`], implemented here for every type a column can have and
//! by generated code for the schema's enums and user-defined types.
//!
//! The mapping (documented in `docs/graphql.md`): `text` is `String`,
//! `int`/`smallint`/`tinyint` are `Int`, `float`/`double` are `Float`,
//! `boolean` is `Boolean`; every other type is a custom scalar written as a
//! string (`BigInt`, `Decimal`, `UUID`, `TimeUUID`, `Timestamp`, `Date`,
//! `Time`, `Duration`, `Inet`, `Blob` in base64); lists and sets are lists,
//! maps are lists of `{key, value}` entries, tuples are objects with fields
//! `item0`, `item1`, …, vectors are `[Float!]`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::net::IpAddr;

use async_graphql::dynamic::TypeRef;
use async_graphql::{Name, Number, Value};
use base64::Engine as _;
use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use num_bigint::BigInt;
use scylla::value::{Counter, CqlDuration, CqlTimeuuid};
use uuid::Uuid;

use super::scalars;
use super::types::{ObjectSpec, Types};
use crate::Vector;

/// Why an input value was refused: said for a person, without the path
/// (which [`InputFields`](super::InputFields) adds).
pub type Refusal = String;

/// A Rust type that has a GraphQL type: how to name it, the types it needs
/// registered, and its values both ways.
pub trait GraphqlValue: Sized + Send + Sync + 'static {
    /// The GraphQL type of a value that is always present (`Int!`,
    /// `[String!]!`, …); `input` chooses the input form of object types
    /// (`AddressInput` rather than `Address`).
    fn type_ref(input: bool) -> TypeRef;

    /// The name this type contributes to the names of the types built from
    /// it (the entries of a map, the objects of tuples): `String`, `IntList`.
    fn type_name() -> Cow<'static, str>;

    /// Registers the named types this type needs (scalars, objects), once.
    fn register(types: &mut Types) {
        let _ = types;
    }

    /// The value as GraphQL sends it.
    fn to_value(&self) -> Value;

    /// The value from what a client sent.
    ///
    /// # Errors
    /// Why the value does not fit the type.
    fn from_value(value: &Value) -> Result<Self, Refusal>;
}

/// The type of a named type that is always present.
fn named(name: &str) -> TypeRef {
    TypeRef::named_nn(name)
}

/// What a value is, for refusals.
fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Boolean(_) => "a boolean",
        Value::Binary(_) => "bytes",
        Value::Enum(_) => "an enum value",
        Value::List(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The text of a value that must be a string.
fn text<'v>(value: &'v Value, expected: &str) -> Result<&'v str, Refusal> {
    match value {
        Value::String(text) => Ok(text),
        other => Err(format!(
            "expected {expected} as a string, got {}",
            describe(other)
        )),
    }
}

/// A whole number sent as a number or as a string of digits.
fn whole_number(value: &Value) -> Result<i128, Refusal> {
    match value {
        Value::Number(number) => number
            .as_i64()
            .map(i128::from)
            .ok_or_else(|| format!("{number} is not a whole number")),
        Value::String(text) => text
            .trim()
            .parse::<i128>()
            .map_err(|_| format!("\"{text}\" is not a whole number")),
        other => Err(format!("expected a whole number, got {}", describe(other))),
    }
}

/// An integer of a fixed width from a number (or digits), range-checked.
fn bounded<T: TryFrom<i128>>(value: &Value, what: &str) -> Result<T, Refusal> {
    let number = whole_number(value)?;
    T::try_from(number).map_err(|_| format!("{number} is out of range for {what}"))
}

macro_rules! int_value {
    ($($rust:ty => $cql:literal),*) => {$(
        impl GraphqlValue for $rust {
            fn type_ref(_input: bool) -> TypeRef {
                named(TypeRef::INT)
            }
            fn type_name() -> Cow<'static, str> {
                Cow::Borrowed(TypeRef::INT)
            }
            fn to_value(&self) -> Value {
                Value::Number(Number::from(*self))
            }
            fn from_value(value: &Value) -> Result<Self, Refusal> {
                match value {
                    Value::Number(_) => bounded(value, $cql),
                    other => Err(format!("expected an Int, got {}", describe(other))),
                }
            }
        }
    )*};
}

int_value!(i8 => "a tinyint", i16 => "a smallint", i32 => "an int");

impl GraphqlValue for i64 {
    fn type_ref(_input: bool) -> TypeRef {
        named(scalars::BIG_INT)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(scalars::BIG_INT)
    }
    fn register(types: &mut Types) {
        types.scalar(scalars::BIG_INT);
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        bounded(value, "a bigint")
    }
}

impl GraphqlValue for Counter {
    fn type_ref(input: bool) -> TypeRef {
        i64::type_ref(input)
    }
    fn type_name() -> Cow<'static, str> {
        i64::type_name()
    }
    fn register(types: &mut Types) {
        i64::register(types);
    }
    fn to_value(&self) -> Value {
        self.0.to_value()
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        i64::from_value(value).map(Counter)
    }
}

impl GraphqlValue for BigInt {
    fn type_ref(_input: bool) -> TypeRef {
        named(scalars::BIG_INT)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(scalars::BIG_INT)
    }
    fn register(types: &mut Types) {
        types.scalar(scalars::BIG_INT);
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        match value {
            Value::Number(number) => number
                .as_i64()
                .map(BigInt::from)
                .ok_or_else(|| format!("{number} is not a whole number")),
            other => {
                let digits = text(other, "a whole number")?;
                digits
                    .trim()
                    .parse::<BigInt>()
                    .map_err(|_| format!("\"{digits}\" is not a whole number"))
            }
        }
    }
}

impl GraphqlValue for BigDecimal {
    fn type_ref(_input: bool) -> TypeRef {
        named(scalars::DECIMAL)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(scalars::DECIMAL)
    }
    fn register(types: &mut Types) {
        types.scalar(scalars::DECIMAL);
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        let digits = text(value, "a decimal")?;
        digits
            .trim()
            .parse::<BigDecimal>()
            .map_err(|_| format!("\"{digits}\" is not a decimal number"))
    }
}

macro_rules! float_value {
    ($($rust:ty),*) => {$(
        impl GraphqlValue for $rust {
            fn type_ref(_input: bool) -> TypeRef {
                named(TypeRef::FLOAT)
            }
            fn type_name() -> Cow<'static, str> {
                Cow::Borrowed(TypeRef::FLOAT)
            }
            /// A NaN or an infinity, which JSON has no number for, is `null`.
            fn to_value(&self) -> Value {
                Number::from_f64(f64::from(*self)).map_or(Value::Null, Value::Number)
            }
            fn from_value(value: &Value) -> Result<Self, Refusal> {
                match value {
                    #[allow(clippy::cast_possible_truncation)]
                    Value::Number(number) => number
                        .as_f64()
                        .map(|float| float as $rust)
                        .ok_or_else(|| format!("{number} is not a number")),
                    other => Err(format!("expected a Float, got {}", describe(other))),
                }
            }
        }
    )*};
}

float_value!(f32, f64);

impl GraphqlValue for bool {
    fn type_ref(_input: bool) -> TypeRef {
        named(TypeRef::BOOLEAN)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(TypeRef::BOOLEAN)
    }
    fn to_value(&self) -> Value {
        Value::Boolean(*self)
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        match value {
            Value::Boolean(flag) => Ok(*flag),
            other => Err(format!("expected a Boolean, got {}", describe(other))),
        }
    }
}

impl GraphqlValue for String {
    fn type_ref(_input: bool) -> TypeRef {
        named(TypeRef::STRING)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Borrowed(TypeRef::STRING)
    }
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        text(value, "text").map(str::to_owned)
    }
}

/// A scalar written as text: its name, how it prints and how it parses.
macro_rules! text_scalar {
    ($rust:ty, $scalar:expr, $print:expr, $parse:expr) => {
        impl GraphqlValue for $rust {
            fn type_ref(_input: bool) -> TypeRef {
                named($scalar)
            }
            fn type_name() -> Cow<'static, str> {
                Cow::Borrowed($scalar)
            }
            fn register(types: &mut Types) {
                types.scalar($scalar);
            }
            fn to_value(&self) -> Value {
                let print: fn(&$rust) -> String = $print;
                Value::String(print(self))
            }
            fn from_value(value: &Value) -> Result<Self, Refusal> {
                let parse: fn(&str) -> Result<$rust, Refusal> = $parse;
                parse(text(value, $scalar)?)
            }
        }
    };
}

text_scalar!(Uuid, scalars::UUID, Uuid::to_string, |text| {
    Uuid::parse_str(text).map_err(|_| format!("\"{text}\" is not a UUID"))
});

text_scalar!(
    CqlTimeuuid,
    scalars::TIME_UUID,
    |id| Uuid::from(*id).to_string(),
    |text| match Uuid::parse_str(text) {
        Ok(id) if id.get_version_num() == 1 => Ok(CqlTimeuuid::from(id)),
        Ok(_) => Err(format!(
            "\"{text}\" is a UUID but not a time-based one (version 1)"
        )),
        Err(_) => Err(format!("\"{text}\" is not a UUID")),
    }
);

text_scalar!(
    DateTime<Utc>,
    scalars::TIMESTAMP,
    |time| time.to_rfc3339_opts(SecondsFormat::Millis, true),
    |text| DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| format!("\"{text}\" is not an RFC 3339 time (2026-12-06T20:00:00Z)"))
);

text_scalar!(
    NaiveDate,
    scalars::DATE,
    |date| date.format("%Y-%m-%d").to_string(),
    |text| NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a date (2026-12-06)"))
);

text_scalar!(
    NaiveTime,
    scalars::TIME,
    |time| time.format("%H:%M:%S%.f").to_string(),
    |text| NaiveTime::parse_from_str(text, "%H:%M:%S%.f")
        .map_err(|_| format!("\"{text}\" is not a time of day (20:00:00.5)"))
);

text_scalar!(
    CqlDuration,
    scalars::DURATION,
    super::duration::print,
    super::duration::parse
);

text_scalar!(IpAddr, scalars::INET, IpAddr::to_string, |text| {
    text.parse::<IpAddr>()
        .map_err(|_| format!("\"{text}\" is not an IP address"))
});

text_scalar!(
    Vec<u8>,
    scalars::BLOB,
    |bytes| base64::engine::general_purpose::STANDARD.encode(bytes),
    |text| base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| "not base64 (RFC 4648, with padding)".to_owned())
);

impl<T: GraphqlValue> GraphqlValue for Option<T> {
    /// The nullable form of `T`'s type.
    fn type_ref(input: bool) -> TypeRef {
        match T::type_ref(input) {
            TypeRef::NonNull(inner) => *inner,
            nullable => nullable,
        }
    }
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }
    fn register(types: &mut Types) {
        T::register(types);
    }
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        match value {
            Value::Null => Ok(None),
            present => T::from_value(present).map(Some),
        }
    }
}

/// The items of a list value, each read as `T`; a refusal names the index.
fn items<T: GraphqlValue>(
    value: &Value,
) -> Result<impl Iterator<Item = Result<T, Refusal>>, Refusal> {
    match value {
        Value::List(items) => Ok(items.iter().enumerate().map(|(index, item)| {
            T::from_value(item).map_err(|why| format!("item {index}: {why}"))
        })),
        other => Err(format!("expected a list, got {}", describe(other))),
    }
}

/// The list type of `T`: `[T!]!`.
fn list_of<T: GraphqlValue>(input: bool) -> TypeRef {
    TypeRef::NonNull(Box::new(TypeRef::List(Box::new(T::type_ref(input)))))
}

macro_rules! list_value {
    ($($collection:ident $(+ $bound:ident)*),*) => {$(
        impl<T: GraphqlValue $(+ $bound)*> GraphqlValue for $collection<T> {
            fn type_ref(input: bool) -> TypeRef {
                list_of::<T>(input)
            }
            fn type_name() -> Cow<'static, str> {
                Cow::Owned(format!("{}List", T::type_name()))
            }
            fn register(types: &mut Types) {
                T::register(types);
            }
            fn to_value(&self) -> Value {
                Value::List(self.iter().map(T::to_value).collect())
            }
            fn from_value(value: &Value) -> Result<Self, Refusal> {
                items::<T>(value)?.collect()
            }
        }
    )*};
}

list_value!(BTreeSet + Ord, HashSet + Eq + Hash);

/// A type whose `Vec` is a GraphQL list: every [`GraphqlValue`] but `u8`
/// (`Vec<u8>` is a blob). Generated code implements it for the schema's
/// enums and user-defined types.
pub trait ListItem: GraphqlValue {}

macro_rules! list_items {
    ($($item:ty),*) => {$(impl ListItem for $item {})*};
}

list_items!(
    i8,
    i16,
    i32,
    i64,
    f32,
    f64,
    bool,
    String,
    Uuid,
    CqlTimeuuid,
    BigInt,
    BigDecimal,
    DateTime<Utc>,
    NaiveDate,
    NaiveTime,
    CqlDuration,
    IpAddr,
    Vec<u8>,
    Counter
);

impl<T: ListItem> GraphqlValue for Vec<T> {
    fn type_ref(input: bool) -> TypeRef {
        list_of::<T>(input)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Owned(format!("{}List", T::type_name()))
    }
    fn register(types: &mut Types) {
        T::register(types);
    }
    fn to_value(&self) -> Value {
        Value::List(self.iter().map(T::to_value).collect())
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        items::<T>(value)?.collect()
    }
}

impl<T: ListItem> ListItem for Vec<T> {}
impl<T: GraphqlValue + Ord> ListItem for BTreeSet<T> {}
impl<T: GraphqlValue + Eq + Hash> ListItem for HashSet<T> {}
impl<K: GraphqlValue + Ord, V: GraphqlValue> ListItem for BTreeMap<K, V> {}
impl<A: GraphqlValue, B: GraphqlValue> ListItem for (A, B) {}
impl<A: GraphqlValue, B: GraphqlValue, C: GraphqlValue> ListItem for (A, B, C) {}

/// The entry type of a map from `K` to `V`: `StringIntEntry`.
fn entry_name<K: GraphqlValue, V: GraphqlValue>() -> String {
    format!("{}{}Entry", K::type_name(), V::type_name())
}

/// The name of a map entry's key field and value field.
const ENTRY_FIELDS: [&str; 2] = ["key", "value"];

/// Reads a map from its list of `{key, value}` entries.
fn entries<K: GraphqlValue, V: GraphqlValue>(
    value: &Value,
) -> Result<impl Iterator<Item = Result<(K, V), Refusal>>, Refusal> {
    match value {
        Value::List(items) => Ok(items.iter().enumerate().map(|(index, item)| {
            let Value::Object(fields) = item else {
                return Err(format!(
                    "entry {index}: expected an object with `key` and `value`"
                ));
            };
            let get = |name: &str| fields.get(name).unwrap_or(&Value::Null);
            let key = K::from_value(get(ENTRY_FIELDS[0]))
                .map_err(|why| format!("entry {index}: key: {why}"))?;
            let value = V::from_value(get(ENTRY_FIELDS[1]))
                .map_err(|why| format!("entry {index}: value: {why}"))?;
            Ok((key, value))
        })),
        other => Err(format!(
            "expected a list of entries, got {}",
            describe(other)
        )),
    }
}

/// Registers the entry type of a map from `K` to `V`.
fn register_entry<K: GraphqlValue, V: GraphqlValue>(types: &mut Types) {
    K::register(types);
    V::register(types);
    let name = entry_name::<K, V>();
    types.object(
        ObjectSpec::new(&name, "An entry of a map.")
            .value::<K>(ENTRY_FIELDS[0], "")
            .value::<V>(ENTRY_FIELDS[1], ""),
    );
}

/// One entry as a GraphQL object.
fn entry_value<K: GraphqlValue, V: GraphqlValue>(key: &K, value: &V) -> Value {
    Value::Object(
        [
            (Name::new(ENTRY_FIELDS[0]), key.to_value()),
            (Name::new(ENTRY_FIELDS[1]), value.to_value()),
        ]
        .into_iter()
        .collect(),
    )
}

macro_rules! map_value {
    ($($map:ident $(+ $bound:ident)*),*) => {$(
        impl<K: GraphqlValue $(+ $bound)*, V: GraphqlValue> GraphqlValue for $map<K, V> {
            fn type_ref(input: bool) -> TypeRef {
                let name = entry_name::<K, V>();
                let entry = if input { format!("{name}Input") } else { name };
                TypeRef::NonNull(Box::new(TypeRef::List(Box::new(TypeRef::named_nn(entry)))))
            }
            fn type_name() -> Cow<'static, str> {
                Cow::Owned(format!("{}{}Map", K::type_name(), V::type_name()))
            }
            fn register(types: &mut Types) {
                register_entry::<K, V>(types);
            }
            fn to_value(&self) -> Value {
                Value::List(self.iter().map(|(key, value)| entry_value(key, value)).collect())
            }
            fn from_value(value: &Value) -> Result<Self, Refusal> {
                entries::<K, V>(value)?.collect()
            }
        }
    )*};
}

map_value!(BTreeMap + Ord, HashMap + Eq + Hash);

/// The names of a tuple's fields.
const ITEMS: [&str; 8] = [
    "item0", "item1", "item2", "item3", "item4", "item5", "item6", "item7",
];

macro_rules! tuple_value {
    ($($index:tt $item:ident),+) => {
        impl<$($item: GraphqlValue),+> GraphqlValue for ($($item,)+) {
            fn type_ref(input: bool) -> TypeRef {
                let name = Self::type_name();
                TypeRef::named_nn(if input { format!("{name}Input") } else { name.into_owned() })
            }
            fn type_name() -> Cow<'static, str> {
                let mut name = String::new();
                $(name.push_str(&$item::type_name());)+
                name.push_str("Tuple");
                Cow::Owned(name)
            }
            fn register(types: &mut Types) {
                let name = Self::type_name();
                types.object(
                    ObjectSpec::new(&name, "A tuple: its items in order.")
                        $(.value::<$item>(ITEMS[$index], ""))+,
                );
            }
            fn to_value(&self) -> Value {
                Value::Object(
                    [$((Name::new(ITEMS[$index]), self.$index.to_value())),+]
                        .into_iter()
                        .collect(),
                )
            }
            fn from_value(value: &Value) -> Result<Self, Refusal> {
                let Value::Object(fields) = value else {
                    return Err(format!("expected a tuple object, got {}", describe(value)));
                };
                Ok(($(
                    $item::from_value(fields.get(ITEMS[$index]).unwrap_or(&Value::Null))
                        .map_err(|why| format!("{}: {why}", ITEMS[$index]))?,
                )+))
            }
        }
    };
}

tuple_value!(0 A);
tuple_value!(0 A, 1 B);
tuple_value!(0 A, 1 B, 2 C);
tuple_value!(0 A, 1 B, 2 C, 3 D);
tuple_value!(0 A, 1 B, 2 C, 3 D, 4 E);
tuple_value!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F);
tuple_value!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G);
tuple_value!(0 A, 1 B, 2 C, 3 D, 4 E, 5 F, 6 G, 7 H);

impl<const N: usize> GraphqlValue for Vector<N> {
    fn type_ref(_input: bool) -> TypeRef {
        TypeRef::named_nn_list_nn(TypeRef::FLOAT)
    }
    fn type_name() -> Cow<'static, str> {
        Cow::Owned(format!("Vector{N}"))
    }
    fn to_value(&self) -> Value {
        Value::List(self.0.iter().map(GraphqlValue::to_value).collect())
    }
    fn from_value(value: &Value) -> Result<Self, Refusal> {
        let floats = items::<f32>(value)?.collect::<Result<Vec<_>, _>>()?;
        let count = floats.len();
        <[f32; N]>::try_from(floats)
            .map(Vector)
            .map_err(|_| format!("expected {N} numbers, got {count}"))
    }
}

/// The type of the object type `name`, or of its input form
/// (`<name>Input`).
pub fn object_type(name: &str, input: bool) -> TypeRef {
    if input {
        TypeRef::named_nn(format!("{name}Input"))
    } else {
        TypeRef::named_nn(name)
    }
}

/// An object value from its fields.
pub fn object_value<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(name, value)| (Name::new(name), value))
            .collect(),
    )
}

/// The name of an enum value a client sent (inline, or as a string in the
/// variables).
///
/// # Errors
/// When the value is neither.
pub fn enum_name(value: &Value) -> Result<&str, Refusal> {
    match value {
        Value::Enum(name) => Ok(name.as_str()),
        Value::String(name) => Ok(name),
        other => Err(format!("expected an enum value, got {}", describe(other))),
    }
}

/// The refusal of `value`, which enum `name` does not have.
pub fn unknown_enum_value(name: &str, value: &str) -> Refusal {
    format!("`{value}` is not a value of `{name}`")
}
