//! GraphQL's naming conventions for the schema's names: fields in
//! lowerCamelCase (`customer_id` → `customerId`), cased by `heck` as
//! cormc cases them when it generates the field declarations.

use heck::ToLowerCamelCase;

/// The GraphQL name of the field a schema calls `name`.
pub fn field_name(name: &str) -> String {
    name.to_lower_camel_case()
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_case_becomes_lower_camel_case() {
        assert_eq!(super::field_name("customer_id"), "customerId");
        assert_eq!(super::field_name("email"), "email");
        assert_eq!(super::field_name("ship_at_2"), "shipAt2");
    }
}
