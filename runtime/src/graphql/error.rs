//! corm's errors as GraphQL errors: a message for a person and
//! `extensions` for a program (`code`, and for a broken rule or a taken
//! unique value, which field, rule and value).

use async_graphql::{Error as GraphqlError, ErrorExtensions, Value};

use crate::Error;

/// The `code` of an input that does not fit its type.
pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
/// The `code` of a cursor that was not issued for this query.
pub const BAD_CURSOR: &str = "BAD_CURSOR";
/// The `code` of a write that broke `@validate` rules.
pub const VALIDATION: &str = "VALIDATION";
/// The `code` of a `@unique` value another row holds.
pub const UNIQUE: &str = "UNIQUE";
/// The `code` of an append to a stream that was not at the expected
/// version (nothing written).
pub const CONFLICT: &str = "CONFLICT";
/// The `code` of any other failure of the database or the driver.
pub const DATABASE: &str = "DATABASE";

/// A refused input: `argument` names the argument the refusal is about.
pub fn bad_input(argument: &str, why: &str) -> GraphqlError {
    GraphqlError::new(format!("argument `{argument}`: {why}")).extend_with(|_, extensions| {
        extensions.set("code", BAD_USER_INPUT);
        extensions.set("argument", argument);
    })
}

/// A cursor that does not open.
pub fn bad_cursor(why: &str) -> GraphqlError {
    GraphqlError::new(format!("argument `after`: {why}"))
        .extend_with(|_, extensions| extensions.set("code", BAD_CURSOR))
}

/// The GraphQL error of `error`, with `extensions.code` and, for broken
/// rules and taken unique values, what a client needs to show them next to
/// the field (field names as the GraphQL schema spells them).
pub fn from_corm(error: &Error) -> GraphqlError {
    let message = error.to_string();
    match error {
        Error::Validation(validation) => {
            let violations: Vec<Value> = validation
                .violations()
                .iter()
                .map(|violation| {
                    let mut fields = async_graphql::indexmap::IndexMap::new();
                    fields.insert(
                        async_graphql::Name::new("field"),
                        Value::from(super::names::field_name(violation.field)),
                    );
                    fields.insert(
                        async_graphql::Name::new("rule"),
                        Value::from(violation.rule),
                    );
                    fields.insert(
                        async_graphql::Name::new("message"),
                        Value::from(violation.message.as_str()),
                    );
                    Value::Object(fields)
                })
                .collect();
            let model = validation.model();
            GraphqlError::new(message).extend_with(move |_, extensions| {
                extensions.set("code", VALIDATION);
                extensions.set("model", model);
                extensions.set("violations", Value::List(violations.clone()));
            })
        }
        Error::Unique {
            model,
            field,
            value,
        } => {
            let (model, field, value) = (*model, super::names::field_name(field), value.clone());
            GraphqlError::new(message).extend_with(move |_, extensions| {
                extensions.set("code", UNIQUE);
                extensions.set("model", model);
                extensions.set("field", field.as_str());
                extensions.set("value", value.as_str());
            })
        }
        Error::Conflict {
            store,
            expected,
            actual,
            ..
        } => {
            let (store, expected, actual) = (*store, expected.to_string(), actual.to_string());
            GraphqlError::new(message).extend_with(move |_, extensions| {
                extensions.set("code", CONFLICT);
                extensions.set("store", store);
                extensions.set("expected", expected.as_str());
                extensions.set("actual", actual.as_str());
            })
        }
        _ => {
            GraphqlError::new(message).extend_with(|_, extensions| extensions.set("code", DATABASE))
        }
    }
}
