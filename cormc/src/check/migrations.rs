//! Migrations: numbering, DDL syntax, replay with Cassandra's rules, and
//! the drift check against the desired schema.

use std::collections::BTreeMap;

use super::context::{Annotate, Context};
use crate::ast;
use crate::cql::{self, CqlSchema, Replayer};
use crate::diagnostics::{Code, Span};
use crate::ir;

/// What the migrations must build, and whether to compare.
pub(super) struct Desired<'a> {
    /// The CQL schema the items need.
    pub schema: &'a CqlSchema,
    /// Which item owns each table (where a difference is reported).
    pub table_owners: &'a BTreeMap<String, Span>,
    /// Whether to compare at all (not when the items have errors).
    pub check_drift: bool,
}

/// Checks and replays the migrations, then compares the result with
/// `desired`. Returns the migrations in id order, and the schema they build
/// when every one of them replays (an empty one when there are none).
pub(super) fn check_migrations(
    written: &[&ast::Migration],
    desired: &Desired<'_>,
    first_item: Option<Span>,
    ctx: &mut Context,
) -> (Vec<ir::Migration>, Option<CqlSchema>) {
    if written.is_empty() {
        if let (Some(at), true) = (first_item, desired.check_drift) {
            ctx.push(crate::diagnostics::Diagnostic::new(
                crate::diagnostics::Severity::Note,
                Code::NoMigrations,
                "the schema has no migrations, so it is not checked for drift",
                at,
                "",
            ))
            .help("add a `migration 1 init { … }` block with the CQL that creates the schema (`cormc migrate new init` writes it)");
        }
        return (Vec::new(), Some(CqlSchema::default()));
    }
    let mut ordered: Vec<&ast::Migration> = written.to_vec();
    ordered.sort_by_key(|m| m.number.value);
    let mut ok = true;
    for pair in ordered.windows(2) {
        if let [first, second] = pair
            && first.number.value == second.number.value
        {
            ctx.error(
                Code::MigrationOrder,
                format!("two migrations are numbered {}", second.number.value),
                second.number.span,
                "again here",
            )
            .label(first.number.span, "first here")
            .help("number each migration once, strictly increasing");
            ok = false;
        }
    }
    for migration in &ordered {
        if migration.number.value == 0 || u32::try_from(migration.number.value).is_err() {
            let label = if migration.number.value == 0 {
                "migrations are numbered from 1"
            } else {
                "at most 4294967295"
            };
            ctx.error(
                Code::MigrationOrder,
                "migration numbers are positive integers",
                migration.number.span,
                label,
            );
            ok = false;
        }
    }
    // Keyspaces are bound at run time, so statements may not name them:
    // replay against the schema's keyspace (or whichever the first
    // statement names).
    let mut replayer = desired
        .schema
        .keyspace
        .as_ref()
        .map_or_else(Replayer::new, |keyspace| {
            Replayer::with_keyspace(keyspace.name.clone())
        });
    let mut out = Vec::new();
    // After a statement that does not parse, the replayed schema is not
    // what Cassandra would have: later replay errors would be guesses.
    let mut unreadable = false;
    for migration in &ordered {
        let mut steps = Vec::new();
        for step in &migration.steps {
            match step {
                ast::MigrationStep::Cql(cql_step) => steps.push(ir::MigrationStep::Cql {
                    text: cql_step.body.value.clone(),
                }),
                ast::MigrationStep::Ddl(ddl) => match cql::parse_statement(&ddl.text) {
                    Err(err) => {
                        let diagnostic = ctx.error(
                            Code::DdlSyntax,
                            format!("in migration {}: {}", migration.number.value, err.message),
                            shifted(ddl.text_span, &err.span),
                            "here",
                        );
                        if let Some(help) = err.help {
                            diagnostic.help(help);
                        }
                        unreadable = true;
                        ok = false;
                    }
                    Ok(statement) => {
                        let layouts = matches!(statement, cql::DdlStatement::AlterTable(_))
                            .then(|| event_layouts(replayer.schema()));
                        if let Err(err) = replayer.apply(&statement)
                            && !unreadable
                        {
                            let help = err.help();
                            let diagnostic = ctx.error(
                                Code::ReplayFailed,
                                format!("migration {} would fail: {err}", migration.number.value),
                                shifted(ddl.text_span, &err.span),
                                "Cassandra refuses this",
                            );
                            if let Some(help) = help {
                                diagnostic.help(help);
                            }
                            ok = false;
                        }
                        if let Some(before) = layouts
                            && let Some((table, was)) = changed_layout(&before, replayer.schema())
                        {
                            ctx.error(
                                Code::EventLayoutChange,
                                format!(
                                    "migration {} changes the comment of `{table}`, which states how its events are laid out (`{was}`)",
                                    migration.number.value
                                ),
                                ddl.text_span,
                                "changes an event store's layout",
                            )
                            .help("a stream's events sit in partitions of `partition every` versions: a table written with one `partition every` can't be read with another; keep the value, or create a new event store");
                            ok = false;
                        }
                        steps.push(ir::MigrationStep::Ddl {
                            text: ddl.text.clone(),
                            statement: Box::new(statement),
                        });
                    }
                },
            }
        }
        out.push(ir::Migration {
            id: u32::try_from(migration.number.value).unwrap_or(u32::MAX),
            name: migration.name.name.clone(),
            steps,
            span: migration.span,
        });
    }
    if ok && desired.check_drift {
        check_drift(
            replayer.schema(),
            desired.schema,
            desired.table_owners,
            // Its head (`migration 7 add_email`): the whole block would
            // print every step of a long migration.
            ordered
                .last()
                .map(|m| Span::new(m.span.file, m.span.start, m.name.span.end.max(m.span.start))),
            ctx,
        );
    }
    (out, ok.then(|| replayer.schema().clone()))
}

/// The changes that take the schema the migrations build (`replayed`) to
/// the one the items need (`desired`), in the diff's order. The keyspace is
/// left out (it is bound at run time), and so are the materialized views
/// that only migrations declare (a `view` item's are compared).
#[must_use]
pub fn drift_changes(replayed: &CqlSchema, desired: &CqlSchema) -> Vec<cql::Change> {
    let mut replayed = replayed.clone();
    let mut desired = desired.clone();
    replayed.keyspace = None;
    desired.keyspace = None;
    for (name, view) in &replayed.views {
        desired
            .views
            .entry(name.clone())
            .or_insert_with(|| view.clone());
    }
    cql::diff(&replayed, &desired)
}

fn shifted(text: Span, inner: &std::ops::Range<usize>) -> Span {
    let start = text.start.saturating_add(inner.start).min(text.end);
    let end = text
        .start
        .saturating_add(inner.end)
        .min(text.end)
        .max(start);
    Span::new(text.file, start, end)
}

/// Reports every difference between what the migrations build and what
/// the models need, with the CQL that closes it.
fn check_drift(
    replayed: &CqlSchema,
    desired: &CqlSchema,
    table_owners: &BTreeMap<String, Span>,
    last_migration: Option<Span>,
    ctx: &mut Context,
) {
    let changes = drift_changes(replayed, desired);
    if changes.is_empty() {
        return;
    }
    let Some(at) = last_migration else {
        return;
    };
    // A model over a name the migrations give a materialized view: asking
    // for `create table` would only lead to "a view of that name exists".
    let over_views: Vec<&str> = changes
        .iter()
        .filter_map(|change| match change {
            cql::Change::CreateTable(table) if replayed.views.contains_key(&table.name) => {
                Some(table.name.as_str())
            }
            _ => None,
        })
        .collect();
    for &view in &over_views {
        let owner = table_owners.get(view).copied().unwrap_or(at);
        ctx.error(
            Code::MigrationDrift,
            format!("`{view}` is a materialized view in the migrations, not a table"),
            owner,
            "a model stands for a table",
        )
        .label(at, "the last migration")
        .help(format!(
            "declare it as a view, `view Name of Base {{ key (…) }}` with `table {view}`, or give the model a `table` name of its own"
        ));
    }
    // Group the other changes by the item that needs them.
    let mut by_owner: BTreeMap<Span, Vec<&cql::Change>> = BTreeMap::new();
    for change in &changes {
        if change_table(change).is_some_and(|table| over_views.contains(&table)) {
            continue;
        }
        let owner = change_table(change)
            .and_then(|table| table_owners.get(table))
            .copied()
            .unwrap_or(at);
        by_owner.entry(owner).or_default().push(change);
    }
    for (owner, changes) in by_owner {
        let statements: Vec<String> = changes.iter().flat_map(|c| c.statements()).collect();
        let (message, label) = if owner == at {
            (
                "the migrations do not build exactly the types and tables the schema needs",
                "the schema differs after this migration",
            )
        } else {
            (
                "the migrations do not build the table this needs",
                "differs from what the migrations create",
            )
        };
        let diagnostic = ctx.error(Code::MigrationDrift, message, owner, label);
        if owner != at {
            diagnostic.label(at, "the last migration");
        }
        let steps: Vec<String> = statements
            .iter()
            .map(|statement| format!("    {};", statement.replace('\n', "\n    ")))
            .collect();
        if !steps.is_empty() {
            diagnostic.note(format!("missing steps:\n{}", steps.join("\n")));
        }
        for change in &changes {
            if let Some(explanation) = change.explanation() {
                diagnostic.note(explanation);
            }
        }
        for (dropped, added) in misspelt_columns(&changes) {
            diagnostic.note(format!(
                "did you mean `{added}`? The migrations create `{dropped}`, which the model does not have, and the model's `{added}` is missing: if that migration has not run anywhere yet, correct the name in it instead of adding these steps (they drop `{dropped}` and its data)"
            ));
        }
        diagnostic.help(if steps.is_empty() {
            "no `alter` statement makes this change: change the model back, or follow the path in the note with migrations of your own"
        } else {
            "add these steps as the next `migration N name { … }` block"
        });
    }
}

/// The columns a change set drops and adds on the same table whose names
/// are a small edit apart (`confirm_numbr` and `confirm_number`): most
/// likely a typo in a migration, which a drop and an add would "fix" by
/// losing the column's data.
fn misspelt_columns<'c>(changes: &[&'c cql::Change]) -> Vec<(&'c str, &'c str)> {
    let mut pairs = Vec::new();
    for change in changes {
        let cql::Change::DropColumn { table, column } = change else {
            continue;
        };
        let added = changes.iter().filter_map(|other| match other {
            cql::Change::AddColumn {
                table: to,
                column: added,
            } if to == table => Some(added.name.as_str()),
            _ => None,
        });
        if let Some(best) = cql::suggest::closest(column.as_str(), added) {
            pairs.push((column.as_str(), best));
        }
    }
    pairs
}

/// The table a change is about, when it is about one.
fn change_table(change: &cql::Change) -> Option<&str> {
    use cql::Change;
    let table = match change {
        Change::CreateTable(table) => &table.name,
        Change::CreateIndex(index) => &index.table,
        Change::DropTable(table)
        | Change::AddColumn { table, .. }
        | Change::DropColumn { table, .. }
        | Change::ReplaceColumn { table, .. }
        | Change::RenameColumn { table, .. }
        | Change::ChangeColumnType { table, .. }
        | Change::ChangeColumnKind { table, .. }
        | Change::ReAddDroppedColumn { table, .. }
        | Change::DropUdtColumn { table, .. }
        | Change::ChangePrimaryKey { table, .. }
        | Change::ChangeClusteringOrder { table, .. }
        | Change::ChangeCounterKind { table, .. }
        | Change::AlterTableOptions { table, .. }
        | Change::AlterColumnMask { table, .. } => table,
        Change::CreateKeyspace(_)
        | Change::AlterKeyspace(_)
        | Change::RenameKeyspace { .. }
        | Change::CreateType(_)
        | Change::AddTypeField { .. }
        | Change::RenameTypeField { .. }
        | Change::ChangeTypeField { .. }
        | Change::ReshapeType { .. }
        | Change::DropType(_)
        | Change::DropIndex(_)
        | Change::CreateView(_)
        | Change::DropView(_)
        | Change::AlterViewOptions { .. } => return None,
    };
    Some(table.as_str())
}

/// The comments of the tables that hold an event store's events (they
/// state its `partition every`; see `lower::event_table_comment`).
fn event_layouts(schema: &CqlSchema) -> BTreeMap<String, String> {
    schema
        .tables
        .iter()
        .filter_map(|(name, table)| {
            let comment = table.options.comment.as_ref()?;
            comment
                .starts_with(EVENT_LAYOUT_PREFIX)
                .then(|| (name.to_string(), comment.clone()))
        })
        .collect()
}

/// The first events table of `before` whose comment an `alter table`
/// changed in `schema`, with the comment it had.
fn changed_layout<'b>(
    before: &'b BTreeMap<String, String>,
    schema: &CqlSchema,
) -> Option<(&'b str, &'b str)> {
    let after = event_layouts(schema);
    before.iter().find_map(|(table, comment)| {
        (after.get(table) != Some(comment)).then_some((table.as_str(), comment.as_str()))
    })
}

/// How the comment of an events table starts.
const EVENT_LAYOUT_PREFIX: &str = "corm event store ";
