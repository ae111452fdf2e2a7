//! Replay of `create`/`alter`/`drop table`.

use super::{Apply, ReplayError, ReplayErrorKind, name_list};
use crate::ast::{
    AlterTable, AlterTableAction, ColumnSpec, CreateTable, DropStatement, Name, OptionSpec,
};
use crate::ident::Ident;
use crate::mask::Mask;
use crate::options::TableOption;
use crate::suggest;
use crate::table::{ColumnDef, DroppedColumn, TableDef};
use crate::types::{CqlType, NativeType};

impl Apply<'_> {
    /// Checks the type of a column of `table`.
    fn column_type(&mut self, column: &ColumnSpec) -> Result<(), ReplayError> {
        self.type_refs(&column.ty)?;
        if let CqlType::Udt(udt) = &column.ty.ty
            && let Some(def) = self.schema().types.get(udt)
            && let Some(field) = def.fields.iter().find(|f| f.ty.is_multi_cell())
        {
            return Err(self.err(
                        column.ty.span.clone(),
                        ReplayErrorKind::InvalidType {
                            message: format!(
                                "a non-frozen user-defined type can't have non-frozen collection fields (`{udt}.{}` is `{}`); use `frozen<{udt}>`",
                                field.name, field.ty
                            ),
                        },
                    ));
        }
        Ok(())
    }

    fn missing_column(&self, table: &TableDef, name: &Name) -> ReplayError {
        let suggestion = suggest::closest(
            name.ident.as_str(),
            table.columns.iter().map(|c| c.name.as_str()),
        )
        .map(Ident::new);
        self.err(
            name.span.clone(),
            ReplayErrorKind::ColumnMissing {
                table: table.name.clone(),
                column: name.ident.clone(),
                suggestion,
            },
        )
    }

    /// Checks that a name is free for a table or view.
    /// Returns `false` when it is taken and `if not exists` was given.
    pub(super) fn table_name_free(
        &self,
        name: &Name,
        if_not_exists: bool,
    ) -> Result<bool, ReplayError> {
        let what = if self.schema().tables.contains_key(&name.ident) {
            "table"
        } else if self.schema().views.contains_key(&name.ident) {
            "materialized view"
        } else {
            return Ok(true);
        };
        if if_not_exists {
            return Ok(false);
        }
        Err(self.err(
            name.span.clone(),
            ReplayErrorKind::NameTaken {
                what,
                name: name.ident.clone(),
            },
        ))
    }

    /// The table a statement is about; `None` when it is missing and
    /// `if exists` was given.
    fn existing_table(
        &self,
        name: &Name,
        if_exists: bool,
    ) -> Result<Option<TableDef>, ReplayError> {
        if let Some(t) = self.schema().tables.get(&name.ident) {
            return Ok(Some(t.clone()));
        }
        if self.schema().views.contains_key(&name.ident) {
            return Err(self.err(
                name.span.clone(),
                ReplayErrorKind::WrongObjectKind {
                    name: name.ident.clone(),
                    actual: "materialized view",
                    expected: "table",
                },
            ));
        }
        if if_exists {
            return Ok(None);
        }
        Err(self.err(
            name.span.clone(),
            ReplayErrorKind::TableMissing {
                name: name.ident.clone(),
            },
        ))
    }

    /// Applies `with` options to a table's options, checking the counter
    /// rule.
    fn table_options(
        &self,
        table: &mut TableDef,
        options: &[OptionSpec],
    ) -> Result<(), ReplayError> {
        for spec in options {
            if matches!(spec.option, TableOption::DefaultTimeToLive(n) if n > 0)
                && table.is_counter_table()
            {
                return Err(self.err(
                    spec.span.clone(),
                    ReplayErrorKind::CounterTtl {
                        table: table.name.clone(),
                    },
                ));
            }
            table.options.apply(spec.option.clone());
        }
        Ok(())
    }

    pub(super) fn create_table(&mut self, s: &CreateTable) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let name = &s.name.name;
        self.word_name(name, "table")?;
        if !self.table_name_free(name, s.if_not_exists)? {
            return Ok(());
        }
        let mut columns: Vec<ColumnDef> = Vec::new();
        for spec in &s.columns {
            if columns.iter().any(|c| c.name == spec.name.ident) {
                return Err(self.err(
                    spec.name.span.clone(),
                    ReplayErrorKind::ColumnExists {
                        table: name.ident.clone(),
                        column: spec.name.ident.clone(),
                    },
                ));
            }
            self.column_type(spec)?;
            columns.push(ColumnDef {
                name: spec.name.ident.clone(),
                ty: spec.ty.ty.clone(),
                is_static: spec.is_static,
                mask: spec.mask.as_ref().map(Mask::normalized),
            });
        }
        let mut table = TableDef::new(name.ident.clone(), columns, Vec::new(), Vec::new());
        let mut seen: Vec<&Ident> = Vec::new();
        for key in s.partition_key.iter().chain(&s.clustering) {
            let Some(column) = table.column(&key.ident) else {
                return Err(self.missing_column(&table, key));
            };
            if seen.contains(&&key.ident) {
                return Err(self.err(
                    key.span.clone(),
                    ReplayErrorKind::DuplicateKeyColumn {
                        table: name.ident.clone(),
                        column: key.ident.clone(),
                    },
                ));
            }
            seen.push(&key.ident);
            let reason = if column.ty.is_multi_cell() {
                let what = if column.ty.is_udt() {
                    "user-defined type"
                } else {
                    "collection"
                };
                Some(format!("a non-frozen {what} (`{}`)", column.ty))
            } else if column.ty.is_counter() {
                Some("a counter".to_owned())
            } else if column.ty.contains_native(NativeType::Duration) {
                Some("a duration".to_owned())
            } else if column.is_static {
                Some("static".to_owned())
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(self.err(
                    key.span.clone(),
                    ReplayErrorKind::InvalidKeyColumn {
                        table: name.ident.clone(),
                        column: key.ident.clone(),
                        reason,
                    },
                ));
            }
        }
        table.partition_key = s.partition_key.iter().map(|n| n.ident.clone()).collect();
        table.clustering = self.clustering(&s.clustering, &s.clustering_order)?;
        if table.clustering.is_empty()
            && let Some(spec) = s.columns.iter().find(|c| c.is_static)
        {
            return Err(self.err(
                spec.name.span.clone(),
                ReplayErrorKind::StaticWithoutClustering {
                    table: name.ident.clone(),
                    column: spec.name.ident.clone(),
                },
            ));
        }
        if table.is_counter_table()
            && let Some(plain) = table.non_key_columns().find(|c| !c.ty.is_counter())
        {
            let span = s
                .columns
                .iter()
                .find(|c| c.name.ident == plain.name)
                .map_or_else(|| name.span.clone(), |c| c.name.span.clone());
            return Err(self.err(
                span,
                ReplayErrorKind::CounterMix {
                    table: name.ident.clone(),
                    column: plain.name.clone(),
                },
            ));
        }
        self.table_options(&mut table, &s.options)?;
        self.state.schema.insert_table(table);
        Ok(())
    }

    pub(super) fn alter_table(&mut self, s: &AlterTable) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let Some(mut table) = self.existing_table(&s.name.name, s.if_exists)? else {
            return Ok(());
        };
        match &s.action {
            AlterTableAction::Add {
                if_not_exists,
                columns,
            } => {
                for spec in columns {
                    self.add_column(&mut table, spec, *if_not_exists)?;
                }
            }
            AlterTableAction::Drop { if_exists, columns } => {
                for name in columns {
                    self.drop_column(&mut table, name, *if_exists)?;
                }
            }
            AlterTableAction::Rename { if_exists, renames } => {
                for (from, to) in renames {
                    self.rename_column(&mut table, from, to, *if_exists)?;
                }
            }
            AlterTableAction::Options(options) => self.table_options(&mut table, options)?,
            AlterTableAction::Mask { column, mask } => {
                let Some(def) = table.columns.iter_mut().find(|c| c.name == column.ident) else {
                    return Err(self.missing_column(&table, column));
                };
                def.mask = mask.as_ref().map(Mask::normalized);
            }
        }
        self.state.schema.insert_table(table);
        Ok(())
    }

    fn add_column(
        &mut self,
        table: &mut TableDef,
        spec: &ColumnSpec,
        if_not_exists: bool,
    ) -> Result<(), ReplayError> {
        let column = &spec.name.ident;
        if table.column(column).is_some() {
            if if_not_exists {
                return Ok(());
            }
            return Err(self.err(
                spec.name.span.clone(),
                ReplayErrorKind::ColumnExists {
                    table: table.name.clone(),
                    column: column.clone(),
                },
            ));
        }
        self.column_type(spec)?;
        if spec.is_static && table.clustering.is_empty() {
            return Err(self.err(
                spec.name.span.clone(),
                ReplayErrorKind::StaticWithoutClustering {
                    table: table.name.clone(),
                    column: column.clone(),
                },
            ));
        }
        if spec.ty.ty.is_counter() != table.is_counter_table() {
            return Err(self.err(
                spec.ty.span.clone(),
                ReplayErrorKind::CounterMix {
                    table: table.name.clone(),
                    column: column.clone(),
                },
            ));
        }
        if let Some(dropped) = table.dropped_columns.get(column) {
            if !spec.ty.ty.can_replace_dropped(&dropped.ty) {
                return Err(self.err(
                    spec.ty.span.clone(),
                    ReplayErrorKind::ReAddDroppedColumn {
                        table: table.name.clone(),
                        column: column.clone(),
                        new_type: spec.ty.ty.clone(),
                        old_type: dropped.ty.clone(),
                    },
                ));
            }
            if dropped.is_static != spec.is_static {
                let kind = |s: bool| if s { "static" } else { "regular" };
                return Err(self.err(
                    spec.name.span.clone(),
                    ReplayErrorKind::ReAddDroppedKind {
                        table: table.name.clone(),
                        column: column.clone(),
                        new_kind: kind(spec.is_static),
                        old_kind: kind(dropped.is_static),
                    },
                ));
            }
            if table.is_counter_table() {
                return Err(self.err(
                    spec.name.span.clone(),
                    ReplayErrorKind::ReAddDroppedCounter {
                        table: table.name.clone(),
                        column: column.clone(),
                    },
                ));
            }
        }
        table.columns.push(ColumnDef {
            name: column.clone(),
            ty: spec.ty.ty.clone(),
            is_static: spec.is_static,
            mask: spec.mask.as_ref().map(Mask::normalized),
        });
        Ok(())
    }

    fn drop_column(
        &mut self,
        table: &mut TableDef,
        name: &Name,
        if_exists: bool,
    ) -> Result<(), ReplayError> {
        let column = &name.ident;
        let Some(def) = table.column(column).cloned() else {
            if if_exists {
                return Ok(());
            }
            return Err(self.missing_column(table, name));
        };
        let kind = if table.is_primary_key(column) {
            Some(ReplayErrorKind::DropKeyColumn {
                table: table.name.clone(),
                column: column.clone(),
            })
        } else if matches!(def.ty, CqlType::Udt(_)) {
            Some(ReplayErrorKind::DropNonFrozenUdt {
                table: table.name.clone(),
                column: column.clone(),
            })
        } else {
            None
        };
        if let Some(kind) = kind {
            return Err(self.err(name.span.clone(), kind));
        }
        let indexes = name_list(
            self.schema()
                .indexes_of(&table.name)
                .filter(|i| i.target.column() == column)
                .map(|i| &i.name),
        );
        if !indexes.is_empty() {
            return Err(self.err(
                name.span.clone(),
                ReplayErrorKind::ColumnHasIndexes {
                    action: "drop",
                    table: table.name.clone(),
                    column: column.clone(),
                    indexes,
                },
            ));
        }
        let views = name_list(self.schema().views_of(&table.name).map(|v| &v.name));
        if !views.is_empty() {
            return Err(self.err(
                name.span.clone(),
                ReplayErrorKind::ColumnHasViews {
                    table: table.name.clone(),
                    column: column.clone(),
                    views,
                },
            ));
        }
        table.columns.retain(|c| &c.name != column);
        table.dropped_columns.insert(
            column.clone(),
            DroppedColumn {
                ty: def.ty,
                is_static: def.is_static,
            },
        );
        Ok(())
    }

    fn rename_column(
        &mut self,
        table: &mut TableDef,
        from: &Name,
        to: &Name,
        if_exists: bool,
    ) -> Result<(), ReplayError> {
        if table.column(&from.ident).is_none() {
            if if_exists {
                return Ok(());
            }
            return Err(self.missing_column(table, from));
        }
        if !table.is_primary_key(&from.ident) {
            return Err(self.err(
                from.span.clone(),
                ReplayErrorKind::RenameNonKeyColumn {
                    table: table.name.clone(),
                    column: from.ident.clone(),
                },
            ));
        }
        if table.column(&to.ident).is_some() {
            return Err(self.err(
                to.span.clone(),
                ReplayErrorKind::RenameTargetExists {
                    table: table.name.clone(),
                    from: from.ident.clone(),
                    to: to.ident.clone(),
                },
            ));
        }
        let indexes = name_list(
            self.schema()
                .indexes_of(&table.name)
                .filter(|i| i.target.column() == &from.ident)
                .map(|i| &i.name),
        );
        if !indexes.is_empty() {
            return Err(self.err(
                from.span.clone(),
                ReplayErrorKind::ColumnHasIndexes {
                    action: "rename",
                    table: table.name.clone(),
                    column: from.ident.clone(),
                    indexes,
                },
            ));
        }
        for c in &mut table.columns {
            if c.name == from.ident {
                c.name = to.ident.clone();
            }
        }
        for k in &mut table.partition_key {
            if *k == from.ident {
                *k = to.ident.clone();
            }
        }
        for c in &mut table.clustering {
            if c.name == from.ident {
                c.name = to.ident.clone();
            }
        }
        for view in self
            .state
            .schema
            .views
            .values_mut()
            .filter(|v| v.base_table == table.name)
        {
            let rename = |n: &mut Ident| {
                if *n == from.ident {
                    *n = to.ident.clone();
                }
            };
            view.columns.iter_mut().flatten().for_each(&rename);
            view.partition_key.iter_mut().for_each(&rename);
            view.clustering.iter_mut().for_each(|c| rename(&mut c.name));
        }
        Ok(())
    }

    pub(super) fn drop_table(&mut self, s: &DropStatement) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let Some(table) = self.existing_table(&s.name.name, s.if_exists)? else {
            return Ok(());
        };
        let views = name_list(self.schema().views_of(&table.name).map(|v| &v.name));
        if !views.is_empty() {
            return Err(self.err(
                s.name.name.span.clone(),
                ReplayErrorKind::TableHasViews {
                    table: table.name.clone(),
                    views,
                },
            ));
        }
        self.state.schema.tables.remove(&table.name);
        self.state
            .schema
            .indexes
            .retain(|_, i| i.table != table.name);
        Ok(())
    }
}
