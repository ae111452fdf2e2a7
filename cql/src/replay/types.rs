//! Replay of `create`/`alter`/`drop type`.

use super::{Apply, ReplayError, ReplayErrorKind, name_list};
use crate::ast::{AlterType, AlterTypeAction, CreateType, DropStatement, FieldSpec};
use crate::ident::Ident;
use crate::types::CqlType;
use crate::udt::{UdtDef, UdtField};

impl Apply<'_> {
    /// Checks a field type of the type `owner`.
    fn field_type(&mut self, owner: &Ident, field: &FieldSpec) -> Result<(), ReplayError> {
        for r in &field.ty.udt_refs {
            if &r.name.ident == owner {
                return Err(self.err(
                    r.name.span.clone(),
                    ReplayErrorKind::CircularType {
                        name: owner.clone(),
                    },
                ));
            }
        }
        self.type_refs(&field.ty)?;
        if self.type_uses(&field.ty.ty, owner) {
            return Err(self.err(
                field.ty.span.clone(),
                ReplayErrorKind::CircularType {
                    name: owner.clone(),
                },
            ));
        }
        if field.ty.ty.is_counter() {
            return Err(self.err(
                field.ty.span.clone(),
                ReplayErrorKind::InvalidType {
                    message: "a user-defined type can't contain counters".to_owned(),
                },
            ));
        }
        if let CqlType::Udt(inner) = &field.ty.ty {
            return Err(self.err(
                field.ty.span.clone(),
                ReplayErrorKind::InvalidType {
                    message: format!("a user-defined type can't contain the non-frozen type `{inner}`; use `frozen<{inner}>`"),
                },
            ));
        }
        Ok(())
    }

    pub(super) fn create_type(&mut self, s: &CreateType) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let name = &s.name.name.ident;
        if self.schema().types.contains_key(name) {
            if s.if_not_exists {
                return Ok(());
            }
            return Err(self.err(
                s.name.name.span.clone(),
                ReplayErrorKind::TypeExists { name: name.clone() },
            ));
        }
        let mut fields: Vec<UdtField> = Vec::new();
        for field in &s.fields {
            if fields.iter().any(|f| f.name == field.name.ident) {
                return Err(self.err(
                    field.name.span.clone(),
                    ReplayErrorKind::DuplicateField {
                        type_name: name.clone(),
                        field: field.name.ident.clone(),
                    },
                ));
            }
            self.field_type(name, field)?;
            fields.push(UdtField {
                name: field.name.ident.clone(),
                ty: field.ty.ty.clone(),
            });
        }
        self.state.schema.insert_type(UdtDef {
            name: name.clone(),
            fields,
        });
        Ok(())
    }

    pub(super) fn alter_type(&mut self, s: &AlterType) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let name = &s.name.name.ident;
        let Some(mut udt) = self.schema().types.get(name).cloned() else {
            if s.if_exists {
                return Ok(());
            }
            return Err(self.err(
                s.name.name.span.clone(),
                ReplayErrorKind::TypeMissing { name: name.clone() },
            ));
        };
        match &s.action {
            AlterTypeAction::AddField {
                if_not_exists,
                field,
            } => {
                if udt.field(&field.name.ident).is_some() {
                    if *if_not_exists {
                        return Ok(());
                    }
                    return Err(self.err(
                        field.name.span.clone(),
                        ReplayErrorKind::FieldExists {
                            type_name: name.clone(),
                            field: field.name.ident.clone(),
                        },
                    ));
                }
                self.field_type(name, field)?;
                let in_keys: Vec<&Ident> = self
                    .schema()
                    .tables
                    .values()
                    .filter(|t| {
                        t.partition_key
                            .iter()
                            .filter_map(|k| t.column(k))
                            .any(|c| c.ty.references_udt(name) || self.type_uses(&c.ty, name))
                    })
                    .map(|t| &t.name)
                    .collect();
                if !in_keys.is_empty() {
                    let tables = in_keys
                        .iter()
                        .map(|t| format!("table `{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(self.err(
                        field.name.span.clone(),
                        ReplayErrorKind::TypeInPartitionKey {
                            type_name: name.clone(),
                            tables,
                        },
                    ));
                }
                udt.fields.push(UdtField {
                    name: field.name.ident.clone(),
                    ty: field.ty.ty.clone(),
                });
            }
            AlterTypeAction::RenameFields { if_exists, renames } => {
                let original = udt.clone();
                for (from, to) in renames {
                    let Some(position) = original.fields.iter().position(|f| f.name == from.ident)
                    else {
                        if *if_exists {
                            continue;
                        }
                        return Err(self.err(
                            from.span.clone(),
                            ReplayErrorKind::FieldMissing {
                                type_name: name.clone(),
                                field: from.ident.clone(),
                            },
                        ));
                    };
                    if let Some(f) = udt.fields.get_mut(position) {
                        f.name = to.ident.clone();
                    }
                }
                for (i, field) in udt.fields.iter().enumerate() {
                    if udt.fields.iter().skip(i + 1).any(|f| f.name == field.name) {
                        let span = renames
                            .iter()
                            .find(|(_, to)| to.ident == field.name)
                            .map_or_else(|| s.name.span(), |(_, to)| to.span.clone());
                        return Err(self.err(
                            span,
                            ReplayErrorKind::DuplicateField {
                                type_name: name.clone(),
                                field: field.name.clone(),
                            },
                        ));
                    }
                }
            }
        }
        self.state.schema.insert_type(udt);
        Ok(())
    }

    pub(super) fn drop_type(&mut self, s: &DropStatement) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let name = &s.name.name.ident;
        if !self.schema().types.contains_key(name) {
            if s.if_exists {
                return Ok(());
            }
            return Err(self.err(
                s.name.name.span.clone(),
                ReplayErrorKind::TypeMissing { name: name.clone() },
            ));
        }
        let mut users: Vec<String> = Vec::new();
        let tables = self
            .schema()
            .tables
            .values()
            .filter(|t| t.references_udt(name))
            .map(|t| &t.name);
        if let Some(list) = Some(name_list(tables)).filter(|l| !l.is_empty()) {
            users.push(format!("table {list}"));
        }
        let types = self
            .schema()
            .types
            .values()
            .filter(|t| &t.name != name && t.references_udt(name))
            .map(|t| &t.name);
        if let Some(list) = Some(name_list(types)).filter(|l| !l.is_empty()) {
            users.push(format!("type {list}"));
        }
        if !users.is_empty() {
            return Err(self.err(
                s.name.name.span.clone(),
                ReplayErrorKind::TypeInUse {
                    name: name.clone(),
                    users: users.join(" and "),
                },
            ));
        }
        self.state.schema.types.remove(name);
        Ok(())
    }
}
