//! Replay: apply DDL statements in order to a [`CqlSchema`], refusing what
//! Cassandra would refuse.
//!
//! Each statement applies atomically: when it fails, the schema is as
//! before, so a caller can report the error and go on with the next one.
//! The schema is one keyspace: unqualified names refer to it, and a name
//! qualified with another keyspace is an error. When the replayer doesn't
//! know the keyspace's name yet, the first `create keyspace` or qualified
//! name sets it.

mod error;
mod indexes;
mod keyspaces;
mod tables;
mod types;
mod views;

use std::ops::Range;

pub use error::{ReplayError, ReplayErrorKind, ScriptError};
pub use indexes::default_index_name;

use super::ast::{DdlStatement, Name, OrderSpec, QualifiedName, TypeExpr};
use super::ident::Ident;
use super::parser::parse_script;
use super::schema::CqlSchema;
use super::suggest;
use super::table::{ClusteringColumn, SortOrder};
use super::types::CqlType;

/// Applies statements one at a time to a schema.
#[derive(Clone, Debug, Default)]
pub struct Replayer {
    state: State,
    applied: usize,
}

#[derive(Clone, Debug, Default)]
struct State {
    schema: CqlSchema,
    keyspace: Option<Ident>,
}

impl Replayer {
    /// A replayer over an empty schema whose keyspace is not known yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A replayer over an empty schema of the keyspace `name` (which need
    /// not be created by the statements).
    #[must_use]
    pub fn with_keyspace(name: Ident) -> Self {
        Self {
            state: State {
                schema: CqlSchema::default(),
                keyspace: Some(name),
            },
            applied: 0,
        }
    }

    /// A replayer that continues from `schema`.
    #[must_use]
    pub fn from_schema(schema: CqlSchema) -> Self {
        let keyspace = schema.keyspace.as_ref().map(|k| k.name.clone());
        Self {
            state: State { schema, keyspace },
            applied: 0,
        }
    }

    /// Applies the next statement. On error the schema is unchanged; the
    /// error's `statement` is the number of statements given before this
    /// one.
    ///
    /// # Errors
    /// A [`ReplayError`] when Cassandra would refuse the statement.
    pub fn apply(&mut self, statement: &DdlStatement) -> Result<(), ReplayError> {
        let index = self.applied;
        self.applied += 1;
        let mut next = self.state.clone();
        Apply {
            state: &mut next,
            statement: index,
        }
        .statement(statement)?;
        self.state = next;
        Ok(())
    }

    /// The schema so far.
    #[must_use]
    pub fn schema(&self) -> &CqlSchema {
        &self.state.schema
    }

    /// The schema's keyspace name, when known.
    #[must_use]
    pub fn keyspace_name(&self) -> Option<&Ident> {
        self.state.keyspace.as_ref()
    }

    /// The number of statements given so far (applied or refused).
    #[must_use]
    pub fn statements_seen(&self) -> usize {
        self.applied
    }

    /// The final schema.
    #[must_use]
    pub fn into_schema(self) -> CqlSchema {
        self.state.schema
    }
}

/// Replays `statements` in order from an empty schema.
///
/// # Errors
/// The first statement Cassandra would refuse.
pub fn replay<'a>(
    statements: impl IntoIterator<Item = &'a DdlStatement>,
) -> Result<CqlSchema, ReplayError> {
    let mut replayer = Replayer::new();
    for statement in statements {
        replayer.apply(statement)?;
    }
    Ok(replayer.into_schema())
}

/// Parses and replays a script of `;`-separated statements; error spans are
/// relative to the script.
///
/// # Errors
/// The first statement that doesn't parse or would be refused.
pub fn replay_script(script: &str) -> Result<CqlSchema, ScriptError> {
    let mut replayer = Replayer::new();
    for item in parse_script(script)? {
        replayer
            .apply(&item.statement)
            .map_err(|e| e.shifted(item.span.start))?;
    }
    Ok(replayer.into_schema())
}

/// One statement being applied to a copy of the state.
struct Apply<'a> {
    state: &'a mut State,
    statement: usize,
}

impl Apply<'_> {
    fn statement(&mut self, statement: &DdlStatement) -> Result<(), ReplayError> {
        match statement {
            DdlStatement::CreateKeyspace(s) => self.create_keyspace(s),
            DdlStatement::AlterKeyspace(s) => self.alter_keyspace(s),
            DdlStatement::DropKeyspace(s) => self.drop_keyspace(s),
            DdlStatement::CreateType(s) => self.create_type(s),
            DdlStatement::AlterType(s) => self.alter_type(s),
            DdlStatement::DropType(s) => self.drop_type(s),
            DdlStatement::CreateTable(s) => self.create_table(s),
            DdlStatement::AlterTable(s) => self.alter_table(s),
            DdlStatement::DropTable(s) => self.drop_table(s),
            DdlStatement::CreateIndex(s) => self.create_index(s),
            DdlStatement::DropIndex(s) => self.drop_index(s),
            DdlStatement::CreateView(s) => self.create_view(s),
            DdlStatement::AlterView(s) => self.alter_view(s),
            DdlStatement::DropView(s) => self.drop_view(s),
            // Functions and aggregates are run, not modelled: no item
            // depends on them, and the drift check leaves them alone.
            DdlStatement::Routine(_) => Ok(()),
        }
    }

    fn err(&self, span: Range<usize>, kind: ReplayErrorKind) -> ReplayError {
        ReplayError {
            statement: self.statement,
            span,
            kind: Box::new(kind),
        }
    }

    fn schema(&self) -> &CqlSchema {
        &self.state.schema
    }

    /// Checks a keyspace named in a statement against the schema's; the
    /// first one named becomes the schema's when it wasn't known.
    fn keyspace_named(&mut self, keyspace: &Name) -> Result<(), ReplayError> {
        match &self.state.keyspace {
            Some(expected) if *expected != keyspace.ident => Err(self.err(
                keyspace.span.clone(),
                ReplayErrorKind::OtherKeyspace {
                    found: keyspace.ident.clone(),
                    expected: expected.clone(),
                },
            )),
            Some(_) => Ok(()),
            None => {
                self.state.keyspace = Some(keyspace.ident.clone());
                Ok(())
            }
        }
    }

    /// Checks the keyspace qualifier of a name, if any.
    fn qualifier(&mut self, name: &QualifiedName) -> Result<(), ReplayError> {
        match &name.keyspace {
            Some(ks) => self.keyspace_named(ks),
            None => Ok(()),
        }
    }

    /// A table, view or index name must be a word.
    fn word_name(&self, name: &Name, what: &'static str) -> Result<(), ReplayError> {
        let s = name.ident.as_str();
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(self.err(
                name.span.clone(),
                ReplayErrorKind::InvalidName {
                    what,
                    name: name.ident.clone(),
                },
            ));
        }
        Ok(())
    }

    /// Checks that every user-defined type a type names exists (and is in
    /// this keyspace).
    fn type_refs(&mut self, ty: &TypeExpr) -> Result<(), ReplayError> {
        for r in &ty.udt_refs {
            self.qualifier(r)?;
            if !self.schema().types.contains_key(&r.name.ident) {
                let suggestion = suggest::closest(
                    r.name.ident.as_str(),
                    self.schema().types.keys().map(Ident::as_str),
                )
                .map(Ident::new);
                return Err(self.err(
                    r.name.span.clone(),
                    ReplayErrorKind::UnknownType {
                        name: r.name.ident.clone(),
                        suggestion,
                    },
                ));
            }
        }
        Ok(())
    }

    /// Whether `ty` mentions the type `name`, directly or through the
    /// fields of the types it mentions.
    fn type_uses(&self, ty: &CqlType, name: &Ident) -> bool {
        let mut seen: Vec<&Ident> = Vec::new();
        let mut pending: Vec<&Ident> = ty.udts();
        while let Some(next) = pending.pop() {
            if next == name {
                return true;
            }
            if seen.contains(&next) {
                continue;
            }
            seen.push(next);
            if let Some(udt) = self.schema().types.get(next) {
                for field in &udt.fields {
                    pending.extend(field.ty.udts());
                }
            }
        }
        false
    }

    /// The clustering columns with the order of `with clustering order by`,
    /// which must follow the clustering columns (trailing ones may be
    /// left out and are `asc`).
    fn clustering(
        &self,
        columns: &[Name],
        order: &[OrderSpec],
    ) -> Result<Vec<ClusteringColumn>, ReplayError> {
        for (i, spec) in order.iter().enumerate() {
            match columns.get(i) {
                None => {
                    let message = if columns.iter().any(|c| c.ident == spec.name.ident) {
                        format!(
                            "`{}` appears twice in the clustering order",
                            spec.name.ident
                        )
                    } else {
                        format!(
                            "only clustering columns can be in the clustering order; `{}` is not one",
                            spec.name.ident
                        )
                    };
                    return Err(self.err(
                        spec.name.span.clone(),
                        ReplayErrorKind::ClusteringOrder { message },
                    ));
                }
                Some(column) if column.ident != spec.name.ident => {
                    let message = if order.iter().any(|o| o.name.ident == column.ident) {
                        format!(
                            "the clustering order must follow the clustering columns: `{}` comes before `{}`",
                            column.ident, spec.name.ident
                        )
                    } else if columns.iter().any(|c| c.ident == spec.name.ident) {
                        format!("the clustering order is missing `{}`", column.ident)
                    } else {
                        format!(
                            "only clustering columns can be in the clustering order; `{}` is not one",
                            spec.name.ident
                        )
                    };
                    return Err(self.err(
                        spec.name.span.clone(),
                        ReplayErrorKind::ClusteringOrder { message },
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(columns
            .iter()
            .enumerate()
            .map(|(i, c)| ClusteringColumn {
                name: c.ident.clone(),
                order: order.get(i).map_or(SortOrder::Asc, |o| o.order),
            })
            .collect())
    }
}

/// "`a`, `b`" for error messages.
fn name_list<'a>(names: impl IntoIterator<Item = &'a Ident>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse_statement;

    fn apply(replayer: &mut Replayer, text: &str) -> Result<(), ReplayError> {
        replayer.apply(&parse_statement(text).unwrap())
    }

    #[test]
    fn failed_statements_change_nothing() {
        let mut r = Replayer::new();
        apply(&mut r, "create table t (a int, b int, primary key (a))").unwrap();
        let before = r.schema().clone();
        // The first column is added, the second fails: nothing sticks.
        let e = apply(&mut r, "alter table t add (c int, b text)").unwrap_err();
        assert!(matches!(*e.kind, ReplayErrorKind::ColumnExists { .. }));
        assert_eq!(e.statement, 1);
        assert_eq!(r.schema(), &before);
        assert_eq!(r.statements_seen(), 2);
    }

    #[test]
    fn first_keyspace_named_becomes_the_schemas() {
        let mut r = Replayer::new();
        apply(&mut r, "create table shop.t (a int primary key)").unwrap();
        assert_eq!(r.keyspace_name(), Some(&Ident::new("shop")));
        let e = apply(&mut r, "create table other.u (a int primary key)").unwrap_err();
        assert!(matches!(*e.kind, ReplayErrorKind::OtherKeyspace { .. }));
        assert_eq!(e.span, 13..18);
    }

    #[test]
    fn a_known_keyspace_need_not_be_created() {
        let mut r = Replayer::with_keyspace(Ident::new("shop"));
        apply(&mut r, "create table shop.t (a int primary key)").unwrap();
        assert!(apply(&mut r, "create keyspace other with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").is_err());
        apply(&mut r, "create keyspace shop with replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").unwrap();
        assert!(r.schema().keyspace.is_some());
    }

    #[test]
    fn clustering_order_rules() {
        let mut r = Replayer::new();
        let e = apply(&mut r, "create table t (a int, b int, c int, primary key (a, b, c)) with clustering order by (c desc, b asc)")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the clustering order must follow the clustering columns: `b` comes before `c`"
        );
        let e = apply(&mut r, "create table t (a int, b int, c int, primary key (a, b, c)) with clustering order by (c desc)")
            .unwrap_err();
        assert_eq!(e.to_string(), "the clustering order is missing `b`");
        let e = apply(
            &mut r,
            "create table t (a int, b int, primary key (a, b)) with clustering order by (a desc)",
        )
        .unwrap_err();
        assert!(e.to_string().contains("only clustering columns"));
        apply(&mut r, "create table t (a int, b int, c int, primary key (a, b, c)) with clustering order by (b desc)").unwrap();
        let t = r.schema().tables.get(&Ident::new("t")).unwrap();
        assert_eq!(t.clustering[0].order, SortOrder::Desc);
        assert_eq!(t.clustering[1].order, SortOrder::Asc);
    }
}
