//! Replay of `create index` and `drop index`.

use super::{Apply, ReplayError, ReplayErrorKind};
use crate::ast::{CreateIndex, DropStatement};
use crate::ident::Ident;
use crate::index::{IndexDef, IndexTarget};
use crate::table::TableDef;
use crate::types::NativeType;

/// Cassandra's name for an unnamed index: `<table>_<column>_idx` without
/// characters other than letters, digits and `_`, then `_1`, `_2`, … while
/// taken.
#[must_use]
pub fn default_index_name(table: &Ident, column: &Ident, taken: impl Fn(&Ident) -> bool) -> Ident {
    let base: String = format!("{}_{}_idx", table.as_str(), column.as_str())
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut name = Ident::new(base.clone());
    let mut i = 1u32;
    while taken(&name) {
        name = Ident::new(format!("{base}_{i}"));
        i += 1;
    }
    name
}

impl Apply<'_> {
    /// The rules on what an index can target (Cassandra's
    /// `CreateIndexStatement.validateIndexTarget`), and the normal form of
    /// the target.
    fn index_target(&self, table: &TableDef, s: &CreateIndex) -> Result<IndexTarget, ReplayError> {
        let column_name = s.target.column();
        let invalid = |message: String| {
            self.err(
                s.target_span.clone(),
                ReplayErrorKind::InvalidIndex { message },
            )
        };
        let Some(column) = table.column(column_name) else {
            let suggestion = crate::suggest::closest(
                column_name.as_str(),
                table.columns.iter().map(|c| c.name.as_str()),
            )
            .map(Ident::new);
            return Err(self.err(
                s.target_span.clone(),
                ReplayErrorKind::ColumnMissing {
                    table: table.name.clone(),
                    column: column_name.clone(),
                    suggestion,
                },
            ));
        };
        let ty = &column.ty;
        if ty.contains_native(NativeType::Duration) {
            return Err(invalid(format!(
                "can't index `{column_name}`: secondary indexes don't support durations"
            )));
        }
        if table.partition_key.len() == 1 && table.partition_key.contains(column_name) {
            return Err(invalid(format!(
                "can't index `{column_name}`: it is the only partition key column of `{}`, which needs no index",
                table.name
            )));
        }
        let target = match &s.target {
            IndexTarget::Column(c) if ty.is_collection() && ty.is_multi_cell() => {
                IndexTarget::Values(c.clone())
            }
            other => other.clone(),
        };
        let modifier = target.modifier().unwrap_or("a plain");
        if ty.is_frozen_collection() && !matches!(target, IndexTarget::Full(_)) {
            return Err(invalid(format!(
                "can't create {modifier} index on the frozen collection `{column_name}`; index it whole with `full({column_name})`"
            )));
        }
        if !ty.is_frozen_collection() && matches!(target, IndexTarget::Full(_)) {
            return Err(invalid(
                "`full()` indexes can only be created on frozen collections".to_owned(),
            ));
        }
        if !ty.is_collection() && !matches!(target, IndexTarget::Column(_)) {
            return Err(invalid(format!(
                "can't create a {modifier}() index on `{column_name}`: it is not a collection"
            )));
        }
        if matches!(target, IndexTarget::Keys(_) | IndexTarget::Entries(_)) && !ty.is_map() {
            return Err(invalid(format!(
                "`{modifier}()` indexes need a non-frozen map, and `{column_name}` is `{ty}`"
            )));
        }
        if ty.is_udt() && ty.is_multi_cell() {
            return Err(invalid(format!(
                "can't index the non-frozen user-defined type column `{column_name}`"
            )));
        }
        Ok(target)
    }

    pub(super) fn create_index(&mut self, s: &CreateIndex) -> Result<(), ReplayError> {
        self.qualifier(&s.table)?;
        if let Some(name) = &s.name {
            self.qualifier(name)?;
            self.word_name(&name.name, "index")?;
        }
        let table_name = &s.table.name;
        let Some(table) = self.schema().tables.get(&table_name.ident).cloned() else {
            let kind = if self.schema().views.contains_key(&table_name.ident) {
                ReplayErrorKind::InvalidIndex {
                    message: "secondary indexes on materialized views aren't supported".to_owned(),
                }
            } else {
                ReplayErrorKind::TableMissing {
                    name: table_name.ident.clone(),
                }
            };
            return Err(self.err(table_name.span.clone(), kind));
        };
        if let Some(name) = &s.name
            && self.schema().indexes.contains_key(&name.name.ident)
        {
            if s.if_not_exists {
                return Ok(());
            }
            return Err(self.err(
                name.name.span.clone(),
                ReplayErrorKind::IndexExists {
                    name: name.name.ident.clone(),
                },
            ));
        }
        if table.is_counter_table() {
            return Err(self.err(
                table_name.span.clone(),
                ReplayErrorKind::InvalidIndex {
                    message: "secondary indexes on counter tables aren't supported".to_owned(),
                },
            ));
        }
        let target = self.index_target(&table, s)?;
        let name = match &s.name {
            Some(n) => n.name.ident.clone(),
            None => default_index_name(&table.name, target.column(), |n| {
                self.schema().indexes.contains_key(n)
            }),
        };
        let index = IndexDef {
            name,
            table: table.name.clone(),
            target,
            class: s.class.clone(),
            options: s.options.clone(),
        };
        if let Some(existing) = self.schema().indexes_of(&table.name).find(|i| {
            i.target == index.target && i.class == index.class && i.options == index.options
        }) {
            if s.if_not_exists {
                return Ok(());
            }
            let span = s
                .name
                .as_ref()
                .map_or_else(|| s.target_span.clone(), |n| n.name.span.clone());
            return Err(self.err(
                span,
                ReplayErrorKind::DuplicateIndex {
                    name: index.name.clone(),
                    existing: existing.name.clone(),
                },
            ));
        }
        self.state.schema.insert_index(index);
        Ok(())
    }

    pub(super) fn drop_index(&mut self, s: &DropStatement) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let name = &s.name.name;
        if self.state.schema.indexes.remove(&name.ident).is_none() && !s.if_exists {
            return Err(self.err(
                name.span.clone(),
                ReplayErrorKind::IndexMissing {
                    name: name.ident.clone(),
                },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names() {
        let t = Ident::new("users");
        assert_eq!(
            default_index_name(&t, &Ident::new("email"), |_| false),
            Ident::new("users_email_idx")
        );
        assert_eq!(
            default_index_name(&t, &Ident::new("Odd Name"), |_| false),
            Ident::new("users_OddName_idx")
        );
        let taken =
            |n: &Ident| n.as_str() == "users_email_idx" || n.as_str() == "users_email_idx_1";
        assert_eq!(
            default_index_name(&t, &Ident::new("email"), taken),
            Ident::new("users_email_idx_2")
        );
    }
}
