//! Reading a model's fields from what a client sent: the arguments of a
//! field or the fields of an input object, each read as its Rust type,
//! with a refusal that names the field.

use async_graphql::indexmap::IndexMap;
use async_graphql::{Name, Value};

use super::value::{GraphqlValue, Refusal};

/// The fields a client sent, by their GraphQL names.
#[derive(Clone, Copy, Debug)]
pub struct InputFields<'v> {
    fields: &'v IndexMap<Name, Value>,
}

/// The value of a field that was not sent.
static ABSENT: Value = Value::Null;

impl<'v> InputFields<'v> {
    /// The fields of an object (arguments, an input object).
    pub fn new(fields: &'v IndexMap<Name, Value>) -> Self {
        Self { fields }
    }

    /// The fields of `value`, which must be an object.
    ///
    /// # Errors
    /// When `value` is not an object.
    pub fn of(value: &'v Value) -> Result<Self, Refusal> {
        match value {
            Value::Object(fields) => Ok(Self { fields }),
            _ => Err("expected an object".to_owned()),
        }
    }

    /// The value sent for `name` (`null` when it was not sent).
    pub fn raw(&self, name: &str) -> &'v Value {
        self.fields.get(name).unwrap_or(&ABSENT)
    }

    /// Field `name` as a `T`: a field that was not sent is `null`, which
    /// only an `Option` accepts.
    ///
    /// # Errors
    /// Naming the field, when its value does not fit `T` (or is missing).
    pub fn get<T: GraphqlValue>(&self, name: &str) -> Result<T, Refusal> {
        match self.fields.get(name) {
            Some(value) => T::from_value(value).map_err(|why| format!("`{name}`: {why}")),
            None => T::from_value(&ABSENT).map_err(|_| format!("`{name}` is required")),
        }
    }

    /// Field `name` into `target` when it was sent (a `@default` or an
    /// optional field keeps its value otherwise).
    ///
    /// # Errors
    /// As for [`get`](Self::get).
    pub fn set<T: GraphqlValue>(&self, name: &str, target: &mut T) -> Result<(), Refusal> {
        if self.fields.contains_key(name) {
            *target = self.get(name)?;
        }
        Ok(())
    }

    /// Field `name` of a patch: `None` when it was not sent (the column is
    /// left alone); for an optional column, `Some(None)` when it was sent
    /// as `null` (the column is cleared).
    ///
    /// # Errors
    /// As for [`get`](Self::get); `null` for a column that can't be null.
    pub fn patch<T: GraphqlValue>(&self, name: &str) -> Result<Option<T>, Refusal> {
        match self.fields.get(name) {
            None => Ok(None),
            Some(value) => T::from_value(value)
                .map(Some)
                .map_err(|why| format!("`{name}`: {why}")),
        }
    }
}
