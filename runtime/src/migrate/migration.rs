//! Migrations as data: what `cormc` generates and the runner applies.
//!
//! A [`Migration`] is a numbered list of CQL statements with the checksum the
//! compiler computed over them. The keyspace is chosen when the runner runs,
//! so each [`MigrationStatement`] keeps its text in parts, split where the
//! keyspace name goes.
//!
//! Both types can be built in `const` and `static` items (generated code)
//! and at run time from owned strings (the CLI, tests):
//!
//! ```
//! use std::borrow::Cow;
//! use corm::migrate::{Migration, MigrationStatement};
//!
//! // As generated code writes it: borrowed, no allocation.
//! static MIGRATIONS: &[Migration] = &[Migration {
//!     id: 1,
//!     name: Cow::Borrowed("create_notes"),
//!     checksum: Cow::Borrowed("5f2c0a"),
//!     statements: Cow::Borrowed(&[MigrationStatement::from_static(&[
//!         Cow::Borrowed("CREATE TABLE "),
//!         Cow::Borrowed(".notes (id int PRIMARY KEY, body text)"),
//!     ])]),
//! }];
//!
//! // At run time, from owned strings.
//! let built = Migration::new(
//!     1,
//!     "create_notes",
//!     "5f2c0a",
//!     vec![MigrationStatement::new([
//!         "CREATE TABLE ".to_owned(),
//!         ".notes (id int PRIMARY KEY, body text)".to_owned(),
//!     ])],
//! );
//! assert_eq!(built, MIGRATIONS[0]);
//! assert_eq!(
//!     built.statements[0].text("shop"),
//!     r#"CREATE TABLE "shop".notes (id int PRIMARY KEY, body text)"#
//! );
//! ```

use std::borrow::Cow;

use crate::rt::quoted;

/// One numbered migration: its statements, applied in order, and the
/// checksum `cormc` computed over them.
///
/// The runner records the checksum of every migration it applies and
/// refuses to run when the checksum of an applied migration has changed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Migration {
    /// The migration's number; migrations are applied by increasing number.
    pub id: u32,
    /// The migration's name, as written in the schema (`create_users`).
    pub name: Cow<'static, str>,
    /// The checksum computed by the compiler (hex); the runner only compares it.
    pub checksum: Cow<'static, str>,
    /// The statements, in the order they run.
    pub statements: Cow<'static, [MigrationStatement]>,
}

impl Migration {
    /// A migration from owned or borrowed parts, at run time.
    pub fn new(
        id: u32,
        name: impl Into<Cow<'static, str>>,
        checksum: impl Into<Cow<'static, str>>,
        statements: impl Into<Cow<'static, [MigrationStatement]>>,
    ) -> Self {
        Self {
            id,
            name: name.into(),
            checksum: checksum.into(),
            statements: statements.into(),
        }
    }

    /// A migration over `'static` data, usable in `const` and `static` items
    /// (name the statements in a `static` of their own to pass them here, or
    /// write the struct literal with `Cow::Borrowed(&[…])`).
    pub const fn from_static(
        id: u32,
        name: &'static str,
        checksum: &'static str,
        statements: &'static [MigrationStatement],
    ) -> Self {
        Self {
            id,
            name: Cow::Borrowed(name),
            checksum: Cow::Borrowed(checksum),
            statements: Cow::Borrowed(statements),
        }
    }
}

/// One CQL statement of a migration, split where the keyspace name goes.
///
/// The statement run is `parts` joined with the quoted keyspace name, so
/// `["CREATE TABLE ", ".users (…)"]` runs as `CREATE TABLE "shop".users (…)`.
/// A statement of one part does not name the keyspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MigrationStatement {
    /// The CQL text, cut where the keyspace name goes.
    pub parts: Cow<'static, [Cow<'static, str>]>,
}

impl MigrationStatement {
    /// A statement from owned or borrowed parts, at run time.
    pub fn new<P>(parts: impl IntoIterator<Item = P>) -> Self
    where
        P: Into<Cow<'static, str>>,
    {
        Self {
            parts: parts.into_iter().map(Into::into).collect(),
        }
    }

    /// A statement over `'static` parts, usable in `const` and `static` items.
    pub const fn from_static(parts: &'static [Cow<'static, str>]) -> Self {
        Self {
            parts: Cow::Borrowed(parts),
        }
    }

    /// The CQL text to run in `keyspace` (quoted, so its case is kept).
    pub fn text(&self, keyspace: &str) -> String {
        self.parts.join(quoted(keyspace).as_str())
    }

    /// Whether the statement changes the schema (`CREATE`, `ALTER` or
    /// `DROP`), so that the runner waits for schema agreement after it.
    pub fn is_schema_change(&self) -> bool {
        let first = self.parts.first().map_or("", |part| part.as_ref());
        matches!(
            first_keyword(first).to_ascii_uppercase().as_str(),
            "CREATE" | "ALTER" | "DROP"
        )
    }
}

/// The first word of a CQL text, after whitespace and comments.
pub(crate) fn first_keyword(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if rest.starts_with("--") || rest.starts_with("//") {
            rest = rest.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    &rest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_quotes_the_keyspace_between_parts() {
        let statement = MigrationStatement::new(["INSERT INTO ", ".a SELECT * FROM ", ".b"]);
        assert_eq!(
            statement.text("Shop"),
            r#"INSERT INTO "Shop".a SELECT * FROM "Shop".b"#
        );
        let plain = MigrationStatement::new(["SELECT now() FROM system.local"]);
        assert_eq!(plain.text("shop"), "SELECT now() FROM system.local");
    }

    #[test]
    fn schema_changes_are_told_by_their_first_keyword() {
        let ddl = |text: &'static str| MigrationStatement::new([text]).is_schema_change();
        assert!(ddl("CREATE TABLE t (id int PRIMARY KEY)"));
        assert!(ddl("  alter table t ADD x int"));
        assert!(ddl("-- a comment\n/* another */ DROP TABLE t"));
        assert!(!ddl("INSERT INTO t (id) VALUES (1)"));
        assert!(!ddl("UPDATE t SET x = 1 WHERE id = 1"));
        assert!(!ddl(""));
    }
}
