//! Schema names to Rust identifiers: cased with `heck`; keywords become raw
//! identifiers (`r#type`), except those that can't be raw (`self`, `Self`,
//! `super`, `crate`), which get a trailing `_`.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of Rust 2024 (strict, reserved and weak-but-reserved ones)
/// that can be written as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that can't be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate"];

/// `name` as an identifier: raw if a keyword, with `_` appended if a keyword
/// that can't be raw, or if it is empty or starts with a digit.
fn sanitize(name: String) -> String {
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// A field, variable or parameter name: `snake_case`.
#[must_use]
pub fn field_ident(name: &str) -> String {
    sanitize(name.to_snake_case())
}

/// A type or variant name: `UpperCamelCase`.
#[must_use]
pub fn type_ident(name: &str) -> String {
    sanitize(name.to_upper_camel_case())
}

/// The plain name inside an identifier (`r#type` → `type`), to build other
/// names from.
#[must_use]
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// The local `name` (`snake_case`) is bound to in a generated body whose
/// own locals are `taken`: its name, or when that is taken, its name and
/// `suffix` (`id` → `id_`, `id_key`).
#[must_use]
pub fn local_apart(name: &str, taken: &[&str], suffix: &str) -> String {
    let ident = field_ident(name);
    if taken.contains(&bare(&ident)) {
        format!("{}{suffix}", bare(&ident))
    } else {
        ident
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locals_apart_from_the_bodys_own() {
        assert_eq!(local_apart("row", &["row", "rows"], "_"), "row_");
        assert_eq!(local_apart("type", &["type"], "_key"), "type_key");
        assert_eq!(local_apart("author", &["row"], "_"), "author");
    }

    #[test]
    fn keywords() {
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("key"), "key");
        assert_eq!(field_ident("createdAt"), "created_at");
        assert_eq!(type_ident("self"), "Self_");
        assert_eq!(type_ident("order_status"), "OrderStatus");
        assert_eq!(bare("r#type"), "type");
    }
}
