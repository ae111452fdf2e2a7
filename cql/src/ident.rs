//! CQL identifiers: case folding on input and quoting on output.
//!
//! An unquoted CQL name is case-insensitive (Cassandra lowercases it); a
//! `"Quoted"` name keeps its case and may hold any character. [`Ident`] holds
//! the name as Cassandra stores it, and its `Display` prints it back as CQL,
//! quoted where a bare name would be read differently: when it is not
//! `[a-z][a-z0-9_]*` or when it is a reserved keyword.

use std::borrow::Cow;
use std::fmt;

/// The reserved keywords of CQL, lowercase and sorted.
///
/// This is Cassandra 5.0's `reserved_keywords.txt` plus the words that
/// newer versions reserve (`check`, `constraint`, `length`) and a few that
/// drivers treat as reserved (`aggregate`, `all`, `mbean`, `mbeans`,
/// `replace`, `unset`). Quoting a name that did not need it is harmless, so
/// the list errs on the side of quoting.
pub const RESERVED_KEYWORDS: &[&str] = &[
    "add",
    "aggregate",
    "all",
    "allow",
    "alter",
    "and",
    "apply",
    "asc",
    "authorize",
    "batch",
    "begin",
    "by",
    "check",
    "columnfamily",
    "constraint",
    "create",
    "delete",
    "desc",
    "describe",
    "drop",
    "entries",
    "execute",
    "from",
    "full",
    "grant",
    "if",
    "in",
    "index",
    "infinity",
    "insert",
    "into",
    "is",
    "keyspace",
    "length",
    "limit",
    "materialized",
    "mbean",
    "mbeans",
    "modify",
    "nan",
    "norecursive",
    "not",
    "null",
    "of",
    "on",
    "or",
    "order",
    "primary",
    "rename",
    "replace",
    "revoke",
    "schema",
    "select",
    "set",
    "table",
    "to",
    "token",
    "truncate",
    "unlogged",
    "unset",
    "update",
    "use",
    "using",
    "view",
    "where",
    "with",
];

/// Whether `word` is a reserved CQL keyword (compared case-insensitively).
#[must_use]
pub fn is_reserved(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    RESERVED_KEYWORDS.binary_search(&lower.as_str()).is_ok()
}

/// Whether `name` must be double-quoted to mean itself in CQL: it is not
/// `[a-z][a-z0-9_]*` (so an unquoted form would be lowercased or not lex as
/// a name) or it is a reserved keyword.
#[must_use]
pub fn needs_quoting(name: &str) -> bool {
    let mut chars = name.chars();
    let plain = match chars.next() {
        Some(first) => {
            first.is_ascii_lowercase()
                && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }
        None => false,
    };
    !plain || is_reserved(name)
}

/// `name` as CQL: bare when that reads back as the same name, otherwise in
/// double quotes with `"` doubled.
#[must_use]
pub fn quote(name: &str) -> Cow<'_, str> {
    if needs_quoting(name) {
        Cow::Owned(format!("\"{}\"", name.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(name)
    }
}

/// A CQL name as Cassandra stores it (after case folding of unquoted names).
///
/// Ordering and equality are those of the stored name, so `Users` written
/// unquoted and `users` are the same identifier, while `"Users"` is another.
/// `Display` prints the name as CQL, quoted where needed.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    /// An identifier with exactly this (case-sensitive) name, as if written
    /// in double quotes.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// An identifier written without quotes: ASCII letters are lowercased.
    #[must_use]
    pub fn unquoted(text: &str) -> Self {
        Self(text.to_ascii_lowercase())
    }

    /// The stored name (not quoted).
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as CQL text, quoted where needed.
    #[must_use]
    pub fn to_cql(&self) -> Cow<'_, str> {
        quote(&self.0)
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_cql())
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ident({:?})", self.0)
    }
}

impl AsRef<str> for Ident {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_list_is_sorted_and_lowercase() {
        let mut sorted = RESERVED_KEYWORDS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, RESERVED_KEYWORDS);
        assert!(
            RESERVED_KEYWORDS
                .iter()
                .all(|k| *k == k.to_ascii_lowercase())
        );
    }

    #[test]
    fn non_reserved_keywords_stay_bare() {
        for word in [
            "type", "key", "text", "keys", "values", "custom", "static", "ttl", "frozen",
        ] {
            assert!(!is_reserved(word), "{word}");
            assert_eq!(quote(word), word);
        }
    }

    #[test]
    fn reserved_keywords_are_quoted() {
        for word in [
            "token", "table", "index", "order", "select", "primary", "full", "entries",
        ] {
            assert!(is_reserved(word), "{word}");
            assert_eq!(quote(word), format!("\"{word}\""));
        }
        assert!(is_reserved("TOKEN"));
    }

    #[test]
    fn odd_names_are_quoted_and_escaped() {
        assert_eq!(quote("UserName"), "\"UserName\"");
        assert_eq!(quote("1st"), "\"1st\"");
        assert_eq!(quote("with space"), "\"with space\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote(""), "\"\"");
        assert_eq!(quote("_x"), "\"_x\"");
        assert_eq!(quote("snake_case_2"), "snake_case_2");
    }

    #[test]
    fn unquoted_names_fold_case() {
        assert_eq!(Ident::unquoted("Users"), Ident::new("users"));
        assert_ne!(Ident::new("Users"), Ident::new("users"));
        assert_eq!(Ident::new("Users").to_string(), "\"Users\"");
        assert_eq!(Ident::new("order").to_string(), "\"order\"");
        assert_eq!(Ident::new("email").to_string(), "email");
    }
}
