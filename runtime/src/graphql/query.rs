//! Named queries (and nearest-neighbour searches) as query fields: their
//! parameters as typed arguments, their rows as a list, one row, or
//! scored rows. They are the access paths the schema declares, so none
//! needs `ALLOW FILTERING` beyond what the schema itself allowed.

use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, TypeRef};

use super::input::InputFields;
use super::model::{Canonical, Model, Write};
use super::types::Types;
use super::value::{GraphqlValue, Refusal};
use crate::vector::Scored;
use crate::{Page, PagingToken};

/// A named query of the schema: implemented by generated code over the
/// repository's method.
pub trait NamedQuery: Send + Sync + 'static {
    /// The schema's handle.
    type Db: Clone + Send + Sync + 'static;
    /// What the method returns.
    type Output: QueryOutput;
    /// The query field's name (the query's, in lowerCamelCase).
    const FIELD: &'static str;
    /// The query's `///` documentation.
    const DESCRIPTION: &'static str;

    /// Declares the arguments, in the method's order.
    fn arguments(arguments: &mut Arguments);

    /// The method's read, with the arguments a client sent.
    ///
    /// # Errors
    /// Naming the argument that is missing or does not fit.
    fn run<'a>(
        db: &'a Self::Db,
        input: &InputFields<'_>,
    ) -> Result<Write<'a, Self::Output>, Refusal>;
}

/// What a named query returns, as a field's value.
pub trait QueryOutput: Send + 'static {
    /// The field's type.
    fn type_ref() -> TypeRef;

    /// Registers the named types the value needs.
    fn register(types: &mut Types) {
        let _ = types;
    }

    /// The field's value.
    fn into_field(self) -> Option<FieldValue<'static>>;
}

impl<T: Model> QueryOutput for Vec<T> {
    fn type_ref() -> TypeRef {
        TypeRef::named_nn_list_nn(T::NAME)
    }

    fn into_field(self) -> Option<FieldValue<'static>> {
        Some(FieldValue::list(
            self.into_iter().map(FieldValue::owned_any),
        ))
    }
}

impl<T: Model> QueryOutput for Option<T> {
    fn type_ref() -> TypeRef {
        TypeRef::named(T::NAME)
    }

    fn into_field(self) -> Option<FieldValue<'static>> {
        self.map(FieldValue::owned_any)
    }
}

/// The name of the object of a scored `T`.
fn scored_name<T: Model>() -> String {
    format!("{}Scored", T::NAME)
}

impl<T: Model> QueryOutput for Vec<Scored<T>> {
    fn type_ref() -> TypeRef {
        TypeRef::named_nn_list_nn(scored_name::<T>())
    }

    fn register(types: &mut Types) {
        let name = scored_name::<T>();
        if types.contains(&name) {
            return;
        }
        let object = Object::new(&name)
            .description(format!(
                "A `{}` found by a nearest-neighbour search, with its similarity to the query (higher is nearer).",
                T::NAME
            ))
            .field(Field::new("score", TypeRef::named_nn(TypeRef::FLOAT), |ctx| {
                FieldFuture::new(async move {
                    let scored = ctx.parent_value.try_downcast_ref::<Scored<T>>()?;
                    Ok(Some(scored.score.to_value()))
                })
            }))
            .field(Field::new("row", TypeRef::named_nn(T::NAME), |ctx| {
                FieldFuture::new(async move {
                    let scored = ctx.parent_value.try_downcast_ref::<Scored<T>>()?;
                    Ok(Some(FieldValue::borrowed_any(&scored.row)))
                })
            }));
        types.add(&name, object);
    }

    fn into_field(self) -> Option<FieldValue<'static>> {
        Some(FieldValue::list(
            self.into_iter().map(FieldValue::owned_any),
        ))
    }
}

/// A named query without a `limit`: its rows a page at a time, as a Relay
/// connection. Implemented by generated code over the query's statement.
pub trait PagedQuery: Send + Sync + 'static {
    /// The schema's handle.
    type Db: Clone + Send + Sync + 'static;
    /// The rows.
    type Row: Model;
    /// The query field's name (the query's, in lowerCamelCase).
    const FIELD: &'static str;
    /// The query's `///` documentation.
    const DESCRIPTION: &'static str;

    /// Declares the arguments, in the method's order.
    fn arguments(arguments: &mut Arguments);

    /// One page of the query's rows for the arguments a client sent: at
    /// most `page_size` from `token`.
    ///
    /// # Errors
    /// Naming the argument that is missing or does not fit.
    fn page<'a>(
        db: &'a Self::Db,
        input: &InputFields<'_>,
        page_size: i32,
        token: Option<PagingToken>,
    ) -> Result<Write<'a, Page<Self::Row>>, Refusal>;
}

/// The arguments of a named query, declared by its generated
/// `NamedQuery::arguments`.
#[derive(Default)]
pub struct Arguments {
    pub(crate) arguments: Vec<(&'static str, TypeRef)>,
    pub(crate) registers: Vec<fn(&mut Types)>,
    pub(crate) canonical: Vec<(&'static str, Canonical)>,
}

impl std::fmt::Debug for Arguments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.arguments.iter().map(|(name, _)| name))
            .finish()
    }
}

impl Arguments {
    /// Declares the argument `name` (its GraphQL name), a `T`.
    pub fn add<T: GraphqlValue>(&mut self, name: &'static str) -> &mut Self {
        self.arguments.push((name, T::type_ref(true)));
        self.registers.push(T::register);
        self.canonical.push((name, |value| {
            T::from_value(value).map(|read| read.to_value())
        }));
        self
    }
}

/// A query's result that is a GraphQL value (an aggregate's rows, built
/// from the result row's [`GraphqlValue`]), not model rows.
#[derive(Clone, Debug)]
pub struct Values<T>(pub T);

impl<T: GraphqlValue> QueryOutput for Values<T> {
    fn type_ref() -> TypeRef {
        T::type_ref(false)
    }

    fn register(types: &mut Types) {
        T::register(types);
    }

    fn into_field(self) -> Option<FieldValue<'static>> {
        Some(FieldValue::value(self.0.to_value()))
    }
}

/// The refusal of a result type as input (it has no input form).
pub fn output_only(name: &str) -> Refusal {
    format!("`{name}` is a result, not an input")
}
