//! `cormc migrate new NAME`: the next `migration N NAME { … }` block, made
//! from the difference between what the migrations build and what the
//! models need, and appended to the schema's migrations file.
//!
//! Where it goes (the one documented place): after the last `migration`
//! block, in the file that holds it; without migrations, at the end of the
//! first schema file. Steps that lose data (dropping a table or a column,
//! replacing a column) are written only when allowed; changes Cassandra
//! can't make are explained and nothing is written.

use camino::{Utf8Path, Utf8PathBuf};

use crate::check::{MigrationBase, drift_changes};
use crate::cql::Safety;

/// The next migration, ready to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextMigration {
    /// Its number: one more than the last.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// Its statements (without `;`), in order.
    pub statements: Vec<String>,
    /// How many of them lose data.
    pub destructive: usize,
}

impl NextMigration {
    /// The block as it is written into the schema file, in `cormc fmt`'s
    /// layout.
    #[must_use]
    pub fn block(&self) -> String {
        let mut block = format!("migration {} {} {{\n", self.id, self.name);
        for statement in &self.statements {
            block.push_str("  ");
            block.push_str(&indent_outside_strings(statement, "  "));
            block.push_str(";\n");
        }
        block.push_str("}\n");
        block
    }
}

/// Why no migration was written.
#[derive(Debug, thiserror::Error)]
pub enum NextError {
    /// The name is not an identifier.
    #[error(
        "`{0}` is not a migration name: use letters, digits and `_`, not starting with a digit"
    )]
    InvalidName(String),
    /// The migrations already build what the models need.
    #[error("nothing to migrate: the migrations already build exactly what the schema needs")]
    UpToDate,
    /// Some change loses data and `--allow-destructive` was not given.
    #[error(
        "the next migration would lose data:\n{}\nThese steps are written only with `--allow-destructive`; review them first (or keep the data: change the models back)",
        indent(.0)
    )]
    Destructive(Vec<String>),
    /// Some change is one Cassandra can't make.
    #[error(
        "Cassandra can't make these changes, so no migration was written:\n{}",
        indent(.0)
    )]
    Impossible(Vec<String>),
    /// The migration number would overflow.
    #[error("the last migration is numbered {0}: there is no next number")]
    NoNextNumber(u32),
    /// Reading or writing the schema file failed.
    #[error("cannot update `{path}`: {source}")]
    Io {
        /// The file.
        path: Utf8PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn indent(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| format!("  {}", line.replace('\n', "\n  ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The migration that takes the database from `base.replayed` to
/// `base.desired`.
///
/// # Errors
/// [`NextError::InvalidName`], [`NextError::UpToDate`],
/// [`NextError::Impossible`] (with each change's explanation),
/// [`NextError::Destructive`] (the data-losing statements) unless
/// `allow_destructive`, or [`NextError::NoNextNumber`].
pub fn plan(
    base: &MigrationBase,
    name: &str,
    allow_destructive: bool,
) -> Result<NextMigration, NextError> {
    if !is_identifier(name) {
        return Err(NextError::InvalidName(name.to_owned()));
    }
    let changes = drift_changes(&base.replayed, &base.desired);
    if changes.is_empty() {
        return Err(NextError::UpToDate);
    }
    let impossible: Vec<String> = changes
        .iter()
        .filter(|change| !change.is_possible())
        .map(|change| {
            change
                .explanation()
                .unwrap_or_else(|| format!("{change:?}"))
        })
        .collect();
    if !impossible.is_empty() {
        return Err(NextError::Impossible(impossible));
    }
    let destructive: Vec<String> = changes
        .iter()
        .filter(|change| change.safety() == Safety::LosesData)
        .flat_map(crate::cql::Change::statements)
        .collect();
    if !destructive.is_empty() && !allow_destructive {
        return Err(NextError::Destructive(destructive));
    }
    let id = base
        .last_id
        .checked_add(1)
        .ok_or(NextError::NoNextNumber(base.last_id))?;
    Ok(NextMigration {
        id,
        name: name.to_owned(),
        statements: changes
            .iter()
            .flat_map(crate::cql::Change::statements)
            .collect(),
        destructive: destructive.len(),
    })
}

/// Appends `migration`'s block to `path`, after a blank line.
///
/// # Errors
/// [`NextError::Io`] when the file can't be read or written.
pub fn append(path: &Utf8Path, migration: &NextMigration) -> Result<(), NextError> {
    let io = |source| NextError::Io {
        path: path.to_owned(),
        source,
    };
    let mut text = std::fs::read_to_string(path).map_err(io)?;
    if !text.is_empty() {
        while text.ends_with("\n\n") {
            text.pop();
        }
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
    }
    text.push_str(&migration.block());
    std::fs::write(path, text).map_err(io)
}

/// `text` with `indent` after each line break that is not inside a CQL
/// string (`'…'` with `''` escapes, or `$$…$$`), whose text must not change.
fn indent_outside_strings(text: &str, indent: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<&str> = None;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let closing = match quote {
            Some("'") if rest.starts_with("''") => {
                out.push_str("''");
                rest = &rest[2..];
                continue;
            }
            Some(close) => rest.starts_with(close).then_some(close),
            None => None,
        };
        if let Some(close) = closing {
            out.push_str(close);
            rest = &rest[close.len()..];
            quote = None;
            continue;
        }
        if quote.is_none() {
            if rest.starts_with("$$") {
                out.push_str("$$");
                rest = &rest[2..];
                quote = Some("$$");
                continue;
            }
            if c == '\'' {
                quote = Some("'");
            }
        }
        out.push(c);
        if c == '\n' && quote.is_none() {
            out.push_str(indent);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::{NextMigration, indent_outside_strings, is_identifier};

    #[test]
    fn strings_keep_their_line_breaks() {
        assert_eq!(
            indent_outside_strings("a (\nb) with comment = 'x\ny''s\nz'\nand $$p\nq$$", "  "),
            "a (\n  b) with comment = 'x\ny''s\nz'\n  and $$p\nq$$"
        );
    }

    #[test]
    fn names_are_identifiers() {
        assert!(is_identifier("add_email"));
        assert!(is_identifier("_x1"));
        assert!(!is_identifier("1st"));
        assert!(!is_identifier("add-email"));
        assert!(!is_identifier(""));
    }

    #[test]
    fn block_layout() {
        let next = NextMigration {
            id: 3,
            name: "add_email".into(),
            statements: vec![
                "alter table users add email text".into(),
                "create table t (\n    a int,\n    primary key (a)\n)".into(),
            ],
            destructive: 0,
        };
        assert_eq!(
            next.block(),
            "migration 3 add_email {\n  alter table users add email text;\n  create table t (\n      a int,\n      primary key (a)\n  );\n}\n"
        );
    }
}
