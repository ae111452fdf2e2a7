//! `cormc migrate …`: write the next migration from the drift between the
//! migrations and the models (`new`), and run the schema's migrations
//! against a cluster (`up`, `status`, `verify`, with the runtime's runner).

use std::future::Future;
use std::io::Write;
use std::path::PathBuf;

#[cfg(feature = "runner")]
use clap::Args;
use clap::Subcommand;

use crate::diagnostics::{Code, RenderOptions, Severity, SourceMap};
use crate::migrate::next::{self, NextError};

pub(super) const MIGRATE_EXAMPLES: &str = "\
Examples:
  cormc migrate new add_email schema.corm                  append `migration N add_email { … }`
  cormc migrate new drop_nick schema.corm --allow-destructive
  cormc migrate up schema.corm --contact 127.0.0.1:9042 --keyspace shop
  cormc migrate status schema.corm --keyspace shop
  cormc migrate verify schema.corm --keyspace shop          in CI or before a deploy
  cormc migrate diff schema.corm --keyspace shop            the models against the live keyspace

The workflow: change the models, run `migrate new`, review the block it
appended, commit, then apply it with `db.migrate()` or `migrate up`.";

/// `cormc migrate` subcommands.
#[derive(Debug, Subcommand)]
pub(super) enum MigrateCommand {
    /// Append the next `migration N NAME { … }` block: the CQL that takes
    /// what the migrations build to what the models need.
    ///
    /// It goes after the last migration, in the file that holds it (without
    /// migrations: at the end of the first file). Steps that lose data are
    /// written only with `--allow-destructive`; changes Cassandra can't make
    /// (a key, an incompatible type) are explained and nothing is written.
    New {
        /// The migration's name (letters, digits and `_`).
        name: String,
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Also write steps that drop tables or columns.
        #[arg(long)]
        allow_destructive: bool,
    },
    /// Apply the pending migrations, statement by statement, under a lock.
    #[cfg(feature = "runner")]
    Up {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        target: Target,
        /// Create the keyspace first when it does not exist, with the
        /// schema's `keyspace` replication.
        #[arg(long)]
        create_keyspace: bool,
    },
    /// List applied, partly applied and pending migrations.
    #[cfg(feature = "runner")]
    Status {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        target: Target,
    },
    /// The difference between the models and the live keyspace, as the
    /// CQL that would close it; exit 1 when they differ (for CI).
    ///
    /// Unlike `migrate new`, which compares the models with what the
    /// migrations build, this reads the keyspace from the cluster
    /// (`DESCRIBE KEYSPACE`), so it also sees changes made by hand.
    /// Options the models leave unsaid are not compared.
    #[cfg(feature = "runner")]
    Diff {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        target: Target,
    },
    /// Exit 1 when an applied migration changed or is unknown to the schema.
    #[cfg(feature = "runner")]
    Verify {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        target: Target,
    },
}

/// Where the migrations run.
#[cfg(feature = "runner")]
#[derive(Debug, Args)]
pub(super) struct Target {
    /// Contact points, comma-separated `host:port`.
    #[arg(long, env = "CORM_CONTACT_POINTS", default_value = "127.0.0.1:9042")]
    contact: String,
    /// The keyspace (default: the schema's `keyspace` item).
    #[arg(long, env = "CORM_KEYSPACE")]
    keyspace: Option<String>,
}

/// Runs a `cormc migrate` subcommand.
pub(super) fn run(
    command: MigrateCommand,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    match command {
        MigrateCommand::New {
            name,
            files,
            allow_destructive,
        } => new(&name, &files, allow_destructive, color, out, err),
        #[cfg(feature = "runner")]
        MigrateCommand::Up {
            files,
            target,
            create_keyspace,
        } => runner::run(
            runner::Action::Up { create_keyspace },
            &files,
            &target,
            color,
            out,
            err,
        ),
        #[cfg(feature = "runner")]
        MigrateCommand::Status { files, target } => {
            runner::run(runner::Action::Status, &files, &target, color, out, err)
        }
        #[cfg(feature = "runner")]
        MigrateCommand::Diff { files, target } => live_diff(&files, &target, color, out, err),
        #[cfg(feature = "runner")]
        MigrateCommand::Verify { files, target } => {
            runner::run(runner::Action::Verify, &files, &target, color, out, err)
        }
    }
}

/// `cormc migrate diff FILE… [--contact …] [--keyspace …]`: 0 when the
/// keyspace matches the models, 1 when it differs (the CQL on standard
/// output), 2 when it can't be read.
#[cfg(feature = "runner")]
fn live_diff(
    paths: &[PathBuf],
    target: &Target,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let (sources, checked) = match load_checked(paths, color, err) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Drift between the migrations and the models does not matter here:
    // the database is compared with the models.
    let blocking = errors_but_drift(&checked);
    let desired = match (&checked.schema, &checked.migration_base) {
        (Some(schema), _) => schema.desired.clone(),
        (None, Some(base)) if blocking.is_empty() => base.desired.clone(),
        _ => {
            print_diagnostics(&blocking, &sources, color, err);
            let _ = writeln!(err, "cormc: fix these errors first; nothing was compared");
            return 2;
        }
    };
    let Some(keyspace) = target.keyspace.clone().or_else(|| {
        desired
            .keyspace
            .as_ref()
            .map(|keyspace| keyspace.name.as_str().to_owned())
    }) else {
        let _ = writeln!(
            err,
            "error: no keyspace: pass `--keyspace` (the schema has no `keyspace` item)"
        );
        return 2;
    };
    let Some(live) = target.read_live(&keyspace, err) else {
        return 2;
    };
    for skipped in &live.skipped {
        let _ = writeln!(
            err,
            "warning: {} `{}` is not compared: {}",
            skipped.kind, skipped.name, skipped.reason
        );
    }
    let changes = crate::check::drift_changes(&live.schema, &desired);
    if changes.is_empty() {
        let _ = writeln!(err, "cormc: the keyspace matches the models");
        return 0;
    }
    for change in &changes {
        let label = match change.safety() {
            crate::cql::Safety::Safe => "safe",
            crate::cql::Safety::DropsDefinition => "drops a definition (no data)",
            crate::cql::Safety::LosesData => "loses data",
            crate::cql::Safety::Impossible => "Cassandra can't make this change",
        };
        let _ = writeln!(out, "-- {label}");
        if let Some(explanation) = change.explanation() {
            for line in explanation.lines() {
                let _ = writeln!(out, "-- {line}");
            }
        }
        for statement in change.statements() {
            let _ = writeln!(out, "{statement};");
        }
    }
    let _ = writeln!(
        err,
        "cormc: the keyspace differs from the models: {} {}",
        changes.len(),
        super::plural(changes.len(), "change", "changes")
    );
    1
}

#[cfg(feature = "runner")]
impl Target {
    /// The keyspace given with `--keyspace` (or `CORM_KEYSPACE`).
    pub(super) fn keyspace(&self) -> Option<&str> {
        self.keyspace.as_deref()
    }

    /// `keyspace` as the cluster describes it; `None` (the reason written
    /// to `err`) when it can't be read.
    pub(super) fn read_live(
        &self,
        keyspace: &str,
        err: &mut dyn Write,
    ) -> Option<crate::live::LiveSchema> {
        let keyspace = keyspace.to_owned();
        let read = self.block_on(|session| async move {
            crate::live::read(&session, &keyspace)
                .await
                .map_err(|error| error.to_string())
        });
        match read.and_then(|live| live) {
            Ok(live) => Some(live),
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                None
            }
        }
    }

    /// Runs `work` on a session to the target, on a runtime of its own;
    /// why not (for `error: …`) when there is no runtime or no session.
    pub(super) fn block_on<F, Fut, T>(&self, work: F) -> Result<T, String>
    where
        F: FnOnce(corm::Session) -> Fut,
        Fut: Future<Output = T>,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("cannot start the async runtime: {error}"))?;
        let contact_points: Vec<String> = self
            .contact
            .split(',')
            .map(|point| point.trim().to_owned())
            .filter(|point| !point.is_empty())
            .collect();
        runtime.block_on(async {
            match corm::Session::connect(&corm::Config::new(contact_points)).await {
                Ok(session) => Ok(work(session).await),
                Err(error) => Err(error.to_string()),
            }
        })
    }
}

/// The errors of `checked` other than drift between the migrations and
/// the models.
fn errors_but_drift(checked: &crate::check::Checked) -> Vec<crate::diagnostics::Diagnostic> {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != Code::MigrationDrift)
        .cloned()
        .collect()
}

/// `cormc migrate new NAME FILE… [--allow-destructive]`
fn new(
    name: &str,
    paths: &[PathBuf],
    allow_destructive: bool,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let (sources, checked) = match load_checked(paths, color, err) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // Drift is what `new` resolves; anything else must be fixed first.
    let blocking = errors_but_drift(&checked);
    let Some(base) = checked.migration_base.filter(|_| blocking.is_empty()) else {
        print_diagnostics(&blocking, &sources, color, err);
        let _ = writeln!(
            err,
            "cormc: fix these errors first; no migration was written"
        );
        return 1;
    };
    let migration = match next::plan(&base, name, allow_destructive) {
        Ok(migration) => migration,
        Err(NextError::UpToDate) => {
            let _ = writeln!(err, "cormc: {}", NextError::UpToDate);
            return 0;
        }
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return 1;
        }
    };
    // After the last migration, in its file; else the first file.
    let file = match base.last_file {
        Some(file) => sources.get(file),
        None => sources.iter().next(),
    };
    let Some(file) = file else {
        let _ = writeln!(err, "error: no schema file to write to");
        return 2;
    };
    let path = file.path().to_owned();
    if let Err(error) = next::append(&path, &migration) {
        let _ = writeln!(err, "error: {error}");
        return 2;
    }
    let _ = write!(out, "{}", migration.block());
    let _ = writeln!(
        err,
        "cormc: wrote migration {} {} ({} {}{}) to `{path}`; review it, then commit",
        migration.id,
        migration.name,
        migration.statements.len(),
        super::plural(migration.statements.len(), "statement", "statements"),
        if migration.destructive > 0 {
            format!(", {} losing data", migration.destructive)
        } else {
            String::new()
        },
    );
    0
}

/// Loads, parses and checks the schema files; on a read failure (2) or a
/// syntax error (1, printed) returns the exit code.
fn load_checked(
    paths: &[PathBuf],
    color: bool,
    err: &mut dyn Write,
) -> Result<(SourceMap, crate::check::Checked), u8> {
    let (sources, unreadable) = super::load_sources(paths, err);
    if unreadable > 0 {
        return Err(2);
    }
    match crate::parse::parse(&sources) {
        Ok(ast) => {
            let checked = crate::check::check(&ast);
            Ok((sources, checked))
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &sources, color, err);
            Err(1)
        }
    }
}

fn print_diagnostics(
    diagnostics: &[crate::diagnostics::Diagnostic],
    sources: &SourceMap,
    color: bool,
    err: &mut dyn Write,
) {
    let options = RenderOptions {
        color,
        ..RenderOptions::default()
    };
    super::write_diagnostics(err, diagnostics, sources, options);
}

#[cfg(feature = "runner")]
mod runner {
    //! `up`, `status` and `verify`: the schema's migrations, embedded as the
    //! generated code embeds them, run by `corm::migrate::Migrator`.

    use std::io::Write;
    use std::path::PathBuf;

    use corm::migrate::{AppliedMigration, Event, MigrationState, MigrationStatement, Migrator};

    use super::{Target, load_checked, print_diagnostics};
    use crate::diagnostics::Severity;

    /// What to do against the cluster.
    pub(super) enum Action {
        Up { create_keyspace: bool },
        Status,
        Verify,
    }

    pub(super) fn run(
        action: Action,
        paths: &[PathBuf],
        target: &Target,
        color: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> u8 {
        let (sources, checked) = match load_checked(paths, color, err) {
            Ok(loaded) => loaded,
            Err(code) => return code,
        };
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        let Some(schema) = checked.schema.filter(|_| errors.is_empty()) else {
            print_diagnostics(&errors, &sources, color, err);
            let _ = writeln!(
                err,
                "cormc: the schema has errors (run `cormc migrate new` for drift); nothing was run"
            );
            return 1;
        };
        let Some(keyspace) = target.keyspace.clone().or_else(|| {
            schema
                .desired
                .keyspace
                .as_ref()
                .map(|keyspace| keyspace.name.as_str().to_owned())
        }) else {
            let _ = writeln!(
                err,
                "error: no keyspace: pass `--keyspace` (the schema has no `keyspace` item)"
            );
            return 2;
        };
        let migrations: Vec<corm::migrate::Migration> = crate::migrate::embed_all(&schema)
            .into_iter()
            .map(|migration| {
                corm::migrate::Migration::new(
                    migration.id,
                    migration.name,
                    migration.checksum,
                    migration
                        .statements
                        .into_iter()
                        .map(|statement| MigrationStatement::new(statement.parts))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let create = match &action {
            Action::Up {
                create_keyspace: true,
            } => match &schema.desired.keyspace {
                Some(def) => {
                    let mut def = def.clone();
                    def.name = crate::cql::Ident::new(keyspace.clone());
                    Some(crate::cql::render_keyspace(&def).replacen(
                        "create keyspace ",
                        "create keyspace if not exists ",
                        1,
                    ))
                }
                None => {
                    let _ = writeln!(
                        err,
                        "error: `--create-keyspace` needs the schema's `keyspace` item (its replication)"
                    );
                    return 2;
                }
            },
            _ => None,
        };
        let (report, problems) = (&mut *out, &mut *err);
        let ran = target.block_on(move |session| async move {
            let (out, err) = (report, problems);
            if let Some(statement) = create
                && let Err(error) = session.run_ddl(&statement).await
            {
                let _ = writeln!(err, "error: {error}");
                return 1;
            }
            let migrator = Migrator::new(&session, &keyspace, &migrations);
            match action {
                Action::Up { .. } => {
                    // Progress lines go to the process's stderr as they
                    // happen (the hook runs inside the runner's tasks);
                    // what was applied is the report, on stdout, once.
                    let migrator = migrator.on_progress(|event| {
                        if !matches!(event, Event::MigrationApplied { .. }) {
                            eprintln!("{event}");
                        }
                    });
                    match migrator.up().await {
                        Ok(report) if report.is_empty() => {
                            let _ = writeln!(
                                out,
                                "keyspace `{keyspace}` is up to date ({} {})",
                                migrations.len(),
                                super::super::plural(migrations.len(), "migration", "migrations")
                            );
                            0
                        }
                        Ok(report) => {
                            for applied in &report.applied {
                                let _ = writeln!(out, "{}", applied_line(applied));
                            }
                            0
                        }
                        Err(error) => {
                            let _ = writeln!(err, "error: {error}");
                            1
                        }
                    }
                }
                Action::Status => match migrator.status().await {
                    Ok(statuses) => {
                        for status in &statuses {
                            let state = match &status.state {
                                MigrationState::Pending => "pending".to_owned(),
                                MigrationState::Partial {
                                    statements_done,
                                    statements_total,
                                    ..
                                } => format!(
                                    "partly applied: {statements_done} of {statements_total} statements"
                                ),
                                MigrationState::Applied { applied_at, .. } => {
                                    format!("applied {applied_at}")
                                }
                            };
                            let mut line = format!("{:>4} {:<24} {state}", status.id, status.name);
                            if !status.is_known() {
                                line.push_str(" (not in the schema)");
                            } else if status.checksum_changed() {
                                line.push_str(" (CHANGED since it was applied)");
                            }
                            let _ = writeln!(out, "{line}");
                        }
                        0
                    }
                    Err(error) => {
                        let _ = writeln!(err, "error: {error}");
                        1
                    }
                },
                Action::Verify => match migrator.verify().await {
                    Ok(()) => {
                        let _ = writeln!(
                            out,
                            "keyspace `{keyspace}`: every applied migration matches the schema"
                        );
                        0
                    }
                    Err(error) => {
                        let _ = writeln!(err, "error: {error}");
                        1
                    }
                },
            }
        });
        ran.unwrap_or_else(|error| {
            let _ = writeln!(err, "error: {error}");
            2
        })
    }

    /// `applied migration 2 add_email (1 statement run) in 41.3ms`, with
    /// `, resumed after statement 3` when an earlier run had started it.
    fn applied_line(applied: &AppliedMigration) -> String {
        let run = applied.statements_run;
        let resumed = if applied.resumed_at > 0 {
            format!(", resumed after statement {}", applied.resumed_at)
        } else {
            String::new()
        };
        format!(
            "applied migration {} {} ({run} {} run{resumed}) in {:.1?}",
            applied.id,
            applied.name,
            super::super::plural(run, "statement", "statements"),
            applied.elapsed
        )
    }

    #[cfg(test)]
    mod tests {
        use std::time::Duration;

        use corm::migrate::AppliedMigration;

        use super::applied_line;

        #[test]
        fn applied_lines_count_in_words() {
            let mut applied = AppliedMigration {
                id: 2,
                name: "add_email".to_owned(),
                resumed_at: 0,
                statements_run: 1,
                statements_already_applied: 0,
                elapsed: Duration::from_millis(41),
            };
            assert_eq!(
                applied_line(&applied),
                "applied migration 2 add_email (1 statement run) in 41.0ms"
            );
            applied.statements_run = 3;
            applied.resumed_at = 2;
            assert_eq!(
                applied_line(&applied),
                "applied migration 2 add_email (3 statements run, resumed after statement 2) in 41.0ms"
            );
        }
    }
}
