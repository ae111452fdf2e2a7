//! Replay of `create`/`alter`/`drop keyspace`.

use super::{Apply, ReplayError, ReplayErrorKind};
use crate::ast::{AlterKeyspace, CreateKeyspace, DropStatement, Name};
use crate::keyspace::KeyspaceDef;
use crate::schema::CqlSchema;

impl Apply<'_> {
    /// A keyspace statement about another keyspace than the schema's.
    fn other_keyspace(&self, name: &Name) -> Option<ReplayError> {
        let expected = self
            .state
            .schema
            .keyspace
            .as_ref()
            .map(|k| &k.name)
            .or(self.state.keyspace.as_ref())?;
        (*expected != name.ident).then(|| {
            self.err(
                name.span.clone(),
                ReplayErrorKind::OtherKeyspace {
                    found: name.ident.clone(),
                    expected: expected.clone(),
                },
            )
        })
    }

    pub(super) fn create_keyspace(&mut self, s: &CreateKeyspace) -> Result<(), ReplayError> {
        if let Some(e) = self.other_keyspace(&s.name) {
            return Err(e);
        }
        self.word_name(&s.name, "keyspace")?;
        if self.state.schema.keyspace.is_some() {
            if s.if_not_exists {
                return Ok(());
            }
            return Err(self.err(
                s.name.span.clone(),
                ReplayErrorKind::KeyspaceExists {
                    name: s.name.ident.clone(),
                },
            ));
        }
        self.state.keyspace = Some(s.name.ident.clone());
        self.state.schema.keyspace = Some(KeyspaceDef {
            name: s.name.ident.clone(),
            replication: s.replication.clone(),
            durable_writes: s.durable_writes.unwrap_or(true),
        });
        Ok(())
    }

    pub(super) fn alter_keyspace(&mut self, s: &AlterKeyspace) -> Result<(), ReplayError> {
        if let Some(e) = self.other_keyspace(&s.name) {
            return Err(e);
        }
        let Some(def) = self.state.schema.keyspace.as_mut() else {
            if s.if_exists {
                return Ok(());
            }
            return Err(self.err(
                s.name.span.clone(),
                ReplayErrorKind::KeyspaceMissing {
                    name: s.name.ident.clone(),
                },
            ));
        };
        if let Some(r) = &s.replication {
            def.replication = r.clone();
        }
        if let Some(d) = s.durable_writes {
            def.durable_writes = d;
        }
        Ok(())
    }

    pub(super) fn drop_keyspace(&mut self, s: &DropStatement) -> Result<(), ReplayError> {
        if let Some(e) = self.other_keyspace(&s.name.name) {
            return Err(e);
        }
        if self.state.schema.keyspace.is_none() {
            if s.if_exists {
                return Ok(());
            }
            return Err(self.err(
                s.name.span(),
                ReplayErrorKind::KeyspaceMissing {
                    name: s.name.name.ident.clone(),
                },
            ));
        }
        self.state.schema = CqlSchema::default();
        Ok(())
    }
}
