//! [`CqlSchema`]: everything one keyspace holds, by name.

use std::collections::BTreeMap;

use super::ident::Ident;
use super::index::IndexDef;
use super::keyspace::KeyspaceDef;
use super::table::TableDef;
use super::udt::UdtDef;
use super::view::ViewDef;

/// The normalised schema of one keyspace.
///
/// Maps are ordered by name, so iteration (and everything rendered from
/// it) is deterministic.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CqlSchema {
    /// The keyspace itself, when it was created (or declared).
    pub keyspace: Option<KeyspaceDef>,
    /// User-defined types.
    pub types: BTreeMap<Ident, UdtDef>,
    /// Tables.
    pub tables: BTreeMap<Ident, TableDef>,
    /// Secondary indexes (their names are unique in the keyspace).
    pub indexes: BTreeMap<Ident, IndexDef>,
    /// Materialized views (their names share the table namespace).
    pub views: BTreeMap<Ident, ViewDef>,
}

impl CqlSchema {
    /// An empty schema.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces a type.
    pub fn insert_type(&mut self, udt: UdtDef) {
        self.types.insert(udt.name.clone(), udt);
    }

    /// Adds or replaces a table.
    pub fn insert_table(&mut self, table: TableDef) {
        self.tables.insert(table.name.clone(), table);
    }

    /// Adds or replaces an index.
    pub fn insert_index(&mut self, index: IndexDef) {
        self.indexes.insert(index.name.clone(), index);
    }

    /// Adds or replaces a view.
    pub fn insert_view(&mut self, view: ViewDef) {
        self.views.insert(view.name.clone(), view);
    }

    /// The indexes of `table`, by name.
    pub fn indexes_of<'a>(&'a self, table: &'a Ident) -> impl Iterator<Item = &'a IndexDef> + 'a {
        self.indexes.values().filter(move |i| &i.table == table)
    }

    /// The views over `table`, by name.
    pub fn views_of<'a>(&'a self, table: &'a Ident) -> impl Iterator<Item = &'a ViewDef> + 'a {
        self.views.values().filter(move |v| &v.base_table == table)
    }

    /// The types in an order where every type comes after the types its
    /// fields use (ties broken by name).
    #[must_use]
    pub fn types_in_dependency_order(&self) -> Vec<&UdtDef> {
        let mut done: Vec<&Ident> = Vec::new();
        let mut out = Vec::new();
        while out.len() < self.types.len() {
            let next = self.types.values().find(|t| {
                !done.contains(&&t.name)
                    && t.fields.iter().all(|f| {
                        f.ty.udts().iter().all(|u| {
                            *u == &t.name || done.contains(u) || !self.types.contains_key(*u)
                        })
                    })
            });
            match next {
                Some(t) => {
                    done.push(&t.name);
                    out.push(t);
                }
                None => {
                    // A cycle (which Cassandra can't build): emit the rest by name.
                    for t in self.types.values() {
                        if !done.contains(&&t.name) {
                            done.push(&t.name);
                            out.push(t);
                        }
                    }
                }
            }
        }
        out
    }
}
