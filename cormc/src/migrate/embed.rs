//! Migrations as the runner takes them: each statement's text cut where the
//! keyspace name goes (it is bound at run time), and a checksum per
//! migration that ignores layout and comments.
//!
//! Every keyspace slot of a DDL statement is found from the parsed names:
//! an unqualified `create table users` becomes `["create table ",
//! ".users"]`, and a qualified `shop.users` has its `shop` replaced, so the
//! same migration runs in any keyspace. Raw `cql """…"""` steps are not
//! parsed; they are split into statements and run as written, in the
//! runner's keyspace (unqualified names only).

use std::fmt::Write as _;
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::cql::DdlStatement;
use crate::cql::ast::{AlterTableAction, AlterTypeAction, QualifiedName};
use crate::cql::lexer::{split_statements, tokenize};
use crate::ir;

/// One statement of a migration, cut where the keyspace name goes: joining
/// the parts with the quoted keyspace gives the CQL to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedStatement {
    /// The text around each keyspace slot, in order.
    pub parts: Vec<String>,
}

impl EmbeddedStatement {
    /// The text with `keyspace` (already quoted as needed) in each slot.
    #[must_use]
    pub fn text(&self, keyspace: &str) -> String {
        self.parts.join(keyspace)
    }
}

/// A DDL statement cut at its keyspace slots, as [`embed`] cuts the
/// statements of a migration.
///
/// # Errors
/// The parser's error when `text` is not a DDL statement it reads.
pub fn embed_ddl(text: &str) -> Result<EmbeddedStatement, crate::cql::DdlError> {
    let statement = crate::cql::parse_statement(text)?;
    Ok(cut(text, &keyspace_slots(&statement)))
}

/// A migration ready to embed: id, name, checksum and statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedMigration {
    /// Its number.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// [`checksum`] of its steps.
    pub checksum: String,
    /// Its statements, in order.
    pub statements: Vec<EmbeddedStatement>,
}

/// Every migration of `schema`, embedded.
#[must_use]
pub fn embed_all(schema: &ir::Schema) -> Vec<EmbeddedMigration> {
    schema.migrations.iter().map(embed).collect()
}

/// `migration`'s statements cut at their keyspace slots, with its checksum.
#[must_use]
pub fn embed(migration: &ir::Migration) -> EmbeddedMigration {
    let mut statements = Vec::new();
    for step in &migration.steps {
        match step {
            ir::MigrationStep::Ddl { text, statement } => {
                statements.push(cut(text, &keyspace_slots(statement)));
            }
            ir::MigrationStep::Cql { text } => {
                for range in data_statements(text) {
                    statements.push(EmbeddedStatement {
                        parts: vec![text[range].to_owned()],
                    });
                }
            }
        }
    }
    EmbeddedMigration {
        id: migration.id,
        name: migration.name.clone(),
        checksum: checksum(migration),
        statements,
    }
}

/// The SHA-256 (hex) of the migration's steps, token by token: changing a
/// statement changes it; reformatting, re-indenting or editing comments
/// does not. The id and name are not part of it (renaming is harmless).
#[must_use]
pub fn checksum(migration: &ir::Migration) -> String {
    let mut hasher = Sha256::new();
    for step in &migration.steps {
        let (kind, text) = match step {
            ir::MigrationStep::Ddl { text, .. } => ("ddl", text),
            ir::MigrationStep::Cql { text } => ("cql", text),
        };
        hasher.update(kind.as_bytes());
        hasher.update([0]);
        match tokenize(text) {
            Ok(tokens) => {
                for token in tokens {
                    hasher.update(text[token.span].as_bytes());
                    hasher.update([0]);
                }
            }
            // Text the CQL lexer can't read is hashed as written.
            Err(_) => hasher.update(text.trim().as_bytes()),
        }
        hasher.update([1]);
    }
    let mut hex = String::with_capacity(64);
    for byte in hasher.finalize() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The statements of a raw data step (split at `;` outside strings and
/// comments), or the whole trimmed text when the lexer can't read it.
fn data_statements(text: &str) -> Vec<Range<usize>> {
    match split_statements(text) {
        Ok(ranges) => ranges,
        Err(_) => {
            let start = text.len() - text.trim_start().len();
            let end = text.trim_end().len();
            (start < end).then_some(start..end).into_iter().collect()
        }
    }
}

/// Where the keyspace goes in `statement`: an empty range before each
/// unqualified name (a `.` follows the keyspace there), or the range of
/// each written keyspace (replaced).
fn keyspace_slots(statement: &DdlStatement) -> Vec<Slot> {
    let mut names: Vec<&QualifiedName> = Vec::new();
    let mut udts: Vec<&QualifiedName> = Vec::new();
    match statement {
        // Keyspace statements name the keyspace itself: run as written.
        DdlStatement::CreateKeyspace(_)
        | DdlStatement::AlterKeyspace(_)
        | DdlStatement::DropKeyspace(_) => {}
        DdlStatement::CreateType(create) => {
            names.push(&create.name);
            for field in &create.fields {
                udts.extend(&field.ty.udt_refs);
            }
        }
        DdlStatement::AlterType(alter) => {
            names.push(&alter.name);
            if let AlterTypeAction::AddField { field, .. } = &alter.action {
                udts.extend(&field.ty.udt_refs);
            }
        }
        DdlStatement::CreateTable(create) => {
            names.push(&create.name);
            for column in &create.columns {
                udts.extend(&column.ty.udt_refs);
            }
        }
        DdlStatement::AlterTable(alter) => {
            names.push(&alter.name);
            if let AlterTableAction::Add { columns, .. } = &alter.action {
                for column in columns {
                    udts.extend(&column.ty.udt_refs);
                }
            }
        }
        DdlStatement::DropType(drop)
        | DdlStatement::DropTable(drop)
        | DdlStatement::DropIndex(drop)
        | DdlStatement::DropView(drop) => names.push(&drop.name),
        // An index lives in its table's keyspace; only the table is named.
        DdlStatement::CreateIndex(create) => names.push(&create.table),
        DdlStatement::CreateView(create) => {
            names.push(&create.name);
            names.push(&create.base_table);
        }
        DdlStatement::AlterView(alter) => names.push(&alter.name),
        DdlStatement::Routine(routine) => names.push(&routine.name),
    }
    let mut slots: Vec<Slot> = names
        .into_iter()
        .map(|name| match &name.keyspace {
            Some(keyspace) => Slot::Replace(keyspace.span.clone()),
            None => Slot::Before(name.name.span.start),
        })
        .collect();
    // A type named without a keyspace is looked up in the table's own, so
    // only written keyspaces are replaced.
    slots.extend(udts.into_iter().filter_map(|name| {
        name.keyspace
            .as_ref()
            .map(|keyspace| Slot::Replace(keyspace.span.clone()))
    }));
    slots.sort_by_key(Slot::start);
    slots
}

/// A place for the keyspace name in a statement's text.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Slot {
    /// Insert `<keyspace>.` at this offset.
    Before(usize),
    /// Replace the written keyspace in this range.
    Replace(Range<usize>),
}

impl Slot {
    fn start(&self) -> usize {
        match self {
            Self::Before(at) => *at,
            Self::Replace(range) => range.start,
        }
    }
}

/// `text` cut at `slots` (sorted by position).
fn cut(text: &str, slots: &[Slot]) -> EmbeddedStatement {
    let mut parts = Vec::with_capacity(slots.len() + 1);
    let mut current = String::new();
    let mut at = 0;
    for slot in slots {
        let (start, resume, dot) = match slot {
            Slot::Before(start) => (*start, *start, "."),
            Slot::Replace(range) => (range.start, range.end, ""),
        };
        if start < at || resume > text.len() {
            continue;
        }
        current.push_str(&text[at..start]);
        parts.push(std::mem::take(&mut current));
        current.push_str(dot);
        at = resume;
    }
    current.push_str(&text[at..]);
    parts.push(current);
    EmbeddedStatement { parts }
}

#[cfg(test)]
mod tests {
    use super::{EmbeddedStatement, cut, keyspace_slots};
    use crate::cql;

    fn embedded(text: &str) -> EmbeddedStatement {
        let statement = cql::parse_statement(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        cut(text, &keyspace_slots(&statement))
    }

    #[test]
    fn unqualified_names_get_the_keyspace() {
        let cases = [
            (
                "create table users (id uuid primary key)",
                r#"create table "ks".users (id uuid primary key)"#,
            ),
            (
                "CREATE TABLE IF NOT EXISTS shop.users (id uuid PRIMARY KEY, a frozen<shop.address>)",
                r#"CREATE TABLE IF NOT EXISTS "ks".users (id uuid PRIMARY KEY, a frozen<"ks".address>)"#,
            ),
            (
                "alter table users add email text",
                r#"alter table "ks".users add email text"#,
            ),
            ("drop table if exists t", r#"drop table if exists "ks".t"#),
            (
                "create index users_email on users (email)",
                r#"create index users_email on "ks".users (email)"#,
            ),
            (
                "drop index shop.users_email",
                r#"drop index "ks".users_email"#,
            ),
            (
                "create type address (street text)",
                r#"create type "ks".address (street text)"#,
            ),
            (
                "create materialized view v as select * from t where a is not null and b is not null primary key (a, b)",
                r#"create materialized view "ks".v as select * from "ks".t where a is not null and b is not null primary key (a, b)"#,
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(embedded(text).text("\"ks\""), expected, "{text}");
        }
    }

    #[test]
    fn keyspace_statements_run_as_written() {
        let text = "create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";
        assert_eq!(embedded(text).parts, vec![text.to_owned()]);
    }
}
