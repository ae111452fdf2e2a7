//! Replay of `create`/`alter`/`drop materialized view`.

use super::{Apply, ReplayError, ReplayErrorKind};
use crate::ast::{AlterView, CreateView, DropStatement, Name, OptionSpec};
use crate::ident::Ident;
use crate::options::{TableOption, TableOptions};
use crate::view::ViewDef;

impl Apply<'_> {
    fn view_options(
        &self,
        options: &mut TableOptions,
        specs: &[OptionSpec],
    ) -> Result<(), ReplayError> {
        for spec in specs {
            if matches!(spec.option, TableOption::DefaultTimeToLive(n) if n > 0) {
                return Err(self.err(
                    spec.span.clone(),
                    ReplayErrorKind::InvalidView {
                        message: "a materialized view can't have a `default_time_to_live`; it follows its base table"
                            .to_owned(),
                    },
                ));
            }
            options.apply(spec.option.clone());
        }
        Ok(())
    }

    /// The view a statement is about; `None` when it is missing and
    /// `if exists` was given.
    fn existing_view(&self, name: &Name, if_exists: bool) -> Result<Option<ViewDef>, ReplayError> {
        if let Some(v) = self.schema().views.get(&name.ident) {
            return Ok(Some(v.clone()));
        }
        if self.schema().tables.contains_key(&name.ident) {
            return Err(self.err(
                name.span.clone(),
                ReplayErrorKind::WrongObjectKind {
                    name: name.ident.clone(),
                    actual: "table",
                    expected: "materialized view",
                },
            ));
        }
        if if_exists {
            return Ok(None);
        }
        Err(self.err(
            name.span.clone(),
            ReplayErrorKind::ViewMissing {
                name: name.ident.clone(),
            },
        ))
    }

    pub(super) fn create_view(&mut self, s: &CreateView) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        self.qualifier(&s.base_table)?;
        let name = &s.name.name;
        self.word_name(name, "materialized view")?;
        let base_name = &s.base_table.name;
        let Some(base) = self.schema().tables.get(&base_name.ident).cloned() else {
            let kind = if self.schema().views.contains_key(&base_name.ident) {
                ReplayErrorKind::InvalidView {
                    message: "a materialized view can't be built over another view".to_owned(),
                }
            } else {
                ReplayErrorKind::TableMissing {
                    name: base_name.ident.clone(),
                }
            };
            return Err(self.err(base_name.span.clone(), kind));
        };
        if !self.table_name_free(name, s.if_not_exists)? {
            return Ok(());
        }
        let invalid = |span: &Name, message: String| {
            self.err(span.span.clone(), ReplayErrorKind::InvalidView { message })
        };
        let missing = |n: &Name| {
            self.err(
                n.span.clone(),
                ReplayErrorKind::ColumnMissing {
                    table: base.name.clone(),
                    column: n.ident.clone(),
                    suggestion: None,
                },
            )
        };
        let mut seen: Vec<&Ident> = Vec::new();
        for column in s.columns.iter().flatten() {
            let Some(def) = base.column(&column.ident) else {
                return Err(missing(column));
            };
            if seen.contains(&&column.ident) {
                return Err(invalid(
                    column,
                    format!("`{}` is selected twice", column.ident),
                ));
            }
            if def.is_static {
                return Err(invalid(
                    column,
                    format!(
                        "a materialized view can't include the static column `{}`",
                        column.ident
                    ),
                ));
            }
            seen.push(&column.ident);
        }
        if s.columns.is_none()
            && let Some(st) = base.columns.iter().find(|c| c.is_static)
        {
            return Err(invalid(
                base_name,
                format!(
                    "a materialized view can't include the static column `{}`; select the columns you need",
                    st.name
                ),
            ));
        }
        let mut key_seen: Vec<&Ident> = Vec::new();
        let mut non_key = 0usize;
        for key in s.partition_key.iter().chain(&s.clustering) {
            if base.column(&key.ident).is_none() {
                return Err(missing(key));
            }
            if key_seen.contains(&&key.ident) {
                return Err(self.err(
                    key.span.clone(),
                    ReplayErrorKind::DuplicateKeyColumn {
                        table: name.ident.clone(),
                        column: key.ident.clone(),
                    },
                ));
            }
            key_seen.push(&key.ident);
            if !base.is_primary_key(&key.ident) {
                non_key += 1;
                if non_key > 1 {
                    return Err(invalid(key, "a materialized view's primary key can add at most one column that is not in the base table's primary key".to_owned()));
                }
            }
        }
        let base_key = base
            .partition_key
            .iter()
            .chain(base.clustering.iter().map(|c| &c.name));
        if let Some(absent) = base_key.into_iter().find(|k| !key_seen.contains(k)) {
            let span = s.partition_key.first().unwrap_or(name);
            return Err(invalid(
                span,
                format!(
                    "a materialized view's primary key must include every primary key column of `{}`; `{absent}` is missing",
                    base.name
                ),
            ));
        }
        let clustering = self.clustering(&s.clustering, &s.clustering_order)?;
        let mut options = TableOptions::default();
        self.view_options(&mut options, &s.options)?;
        self.state.schema.insert_view(ViewDef {
            name: name.ident.clone(),
            base_table: base.name.clone(),
            columns: s
                .columns
                .as_ref()
                .map(|cols| cols.iter().map(|c| c.ident.clone()).collect()),
            where_clause: s.where_clause.clone(),
            partition_key: s.partition_key.iter().map(|n| n.ident.clone()).collect(),
            clustering,
            options,
        });
        Ok(())
    }

    pub(super) fn alter_view(&mut self, s: &AlterView) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        let Some(mut view) = self.existing_view(&s.name.name, s.if_exists)? else {
            return Ok(());
        };
        self.view_options(&mut view.options, &s.options)?;
        self.state.schema.insert_view(view);
        Ok(())
    }

    pub(super) fn drop_view(&mut self, s: &DropStatement) -> Result<(), ReplayError> {
        self.qualifier(&s.name)?;
        if let Some(view) = self.existing_view(&s.name.name, s.if_exists)? {
            self.state.schema.views.remove(&view.name);
        }
        Ok(())
    }
}
