//! CQL literals the schema writes as strings and Cassandra reads as other
//! types.

/// Whether `text` is a UUID in its hyphenated form (8-4-4-4-12 hex
/// digits), the only form CQL and the generated code accept.
#[must_use]
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::is_uuid;

    #[test]
    fn only_the_hyphenated_form_is_a_uuid() {
        assert!(is_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"));
        assert!(is_uuid("6BA7B810-9DAD-11D1-80B4-00C04FD430C8"));
        assert!(!is_uuid("6ba7b8109dad11d180b400c04fd430c8"));
        assert!(!is_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430cg"));
        assert!(!is_uuid("x') OR ('"));
    }
}
