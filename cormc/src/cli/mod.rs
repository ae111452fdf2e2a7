//! The `cormc` command line: argument parsing and the subcommands.
//!
//! Exit codes: 0 clean (warnings allowed), 1 when the schema has errors (or,
//! for `fmt --check`/`generate --check`, when a file is not formatted or a
//! generated file is stale), 2 on a usage error or
//! when a file can't be read or written.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use camino::{Utf8Path, Utf8PathBuf};
use clap::{Parser, Subcommand, ValueEnum};

#[cfg(feature = "runner")]
mod backup;
mod migrate;
#[cfg(feature = "runner")]
mod pull;

use crate::diagnostics::{RenderOptions, Severity, SourceMap, render};
use crate::format::{FormatError, format_source, short_diff};

const EXAMPLES: &str = "\
Examples:
  cormc check schema.corm                 check one file
  cormc check schema/*.corm               check a schema split over files
  cormc check --color never app.corm      plain output (also: NO_COLOR=1)
  cormc fmt schema/*.corm                 rewrite files in the canonical layout
  cormc fmt --check schema/*.corm         only report files that are not formatted (CI)
  cormc generate schema.corm --out src/generated          write the Rust data layer
  cormc generate schema.corm --out src/generated --check  only report stale files (CI)
  cormc migrate new add_email schema.corm   append the next migration from the model changes
  cormc migrate up schema.corm --keyspace shop            apply pending migrations

Exit status: 0 when clean (warnings allowed), 1 when the schema has errors
(or, with `fmt --check`/`generate --check`, a file is not formatted or is
stale), 2 on a usage error or when
a file can't be read or written.";

/// The corm schema compiler: `.corm` schemas to a typed Rust data layer for
/// Cassandra.
#[derive(Debug, Parser)]
#[command(name = "cormc", version, after_help = EXAMPLES)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse and check schema files, printing every error and warning.
    ///
    /// All files form one schema (names resolve across them).
    #[command(
        after_help = "Examples:\n  cormc check schema.corm\n  cormc check users.corm posts.corm\n  cormc check --acknowledged schema.corm   also list the warnings an @allow accepted"
    )]
    Check {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Also print the warnings that an `@allow(…)` acknowledged, each
        /// with its reason.
        #[arg(long)]
        acknowledged: bool,
    },
    /// Rewrite schema files in the canonical layout, keeping every comment.
    ///
    /// A file is rewritten in place only when its text changes (through a
    /// temporary file in the same folder, then a rename). A file that does not
    /// parse is left untouched and its errors are printed.
    #[command(after_help = FMT_EXAMPLES)]
    Fmt {
        /// The `.corm` files to format.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Write nothing: list the files that are not formatted with their
        /// first differing lines, and exit 1 if there is any.
        #[arg(long)]
        check: bool,
    },
    /// Generate the Rust data layer of a schema into a module folder.
    ///
    /// All files form one schema. A file is written only when its content
    /// changes; other files in the folder are left alone.
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The folder of the generated module (`mod.rs` and its files).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Write nothing: list the generated files that are missing or differ
        /// from what the schema generates now, and exit 1 if there is any.
        #[arg(long)]
        check: bool,
        /// Also write `graphql.rs` and `schema.graphql`: the GraphQL schema
        /// over the repositories (needs `corm`'s `graphql` feature).
        #[arg(long)]
        graphql: bool,
    },
    /// Write the next migration, or run the migrations against a cluster.
    #[command(subcommand, after_help = migrate::MIGRATE_EXAMPLES)]
    Migrate(migrate::MigrateCommand),
    /// Back up a keyspace's schema and rows into a folder (or verify one).
    #[cfg(feature = "runner")]
    #[command(after_help = backup::BACKUP_EXAMPLES)]
    Backup(backup::BackupArgs),
    /// Restore a backup into a keyspace.
    #[cfg(feature = "runner")]
    #[command(after_help = backup::BACKUP_EXAMPLES)]
    Restore(backup::RestoreArgs),
    /// Write a `.corm` file from an existing keyspace: its types, a model
    /// per table, its indexes and options, and a first migration.
    #[cfg(feature = "runner")]
    #[command(after_help = pull::PULL_EXAMPLES)]
    Pull {
        #[command(flatten)]
        target: migrate::Target,
        /// Where to write the file (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

const GENERATE_EXAMPLES: &str = "\
Examples:
  cormc generate schema.corm --out src/generated
  cormc generate schema/*.corm --out src/generated --check   in CI: exit 1 when stale
  cormc generate schema.corm --out src/generated --graphql  with the GraphQL schema

Exit status: 0 when generated (or, with --check, up to date); 1 when the
schema has errors or, with --check, a file is stale; 2 when a file can't be
read or written.";

const FMT_EXAMPLES: &str = "\
Examples:
  cormc fmt schema.corm
  cormc fmt --check schema/*.corm     in CI: exit 1 when a file is not formatted

Exit status: 0 when every file is (or now is) formatted; 1 when a file does
not parse or, with --check, would change; 2 when a file can't be read or
written.";

/// Lines of each side shown by `fmt --check` for a file that would change.
const DIFF_LINES: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Runs `cormc` with the process arguments; the entry point of `main`.
#[must_use]
pub fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let terminal = stderr.is_terminal();
    let code = run(
        std::env::args_os(),
        &mut stdout.lock(),
        &mut stderr.lock(),
        terminal,
    );
    ExitCode::from(code)
}

/// Runs `cormc` with `args` (the first is the program name), writing help to
/// `out` and diagnostics to `err`; returns the exit code. `terminal` says
/// whether `err` is a terminal (for `--color auto`).
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    out: &mut dyn Write,
    err: &mut dyn Write,
    terminal: bool,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let text = error.render().to_string();
            let sink: &mut dyn Write = if error.use_stderr() { err } else { out };
            let _ = write!(sink, "{text}");
            return u8::try_from(error.exit_code()).unwrap_or(2);
        }
    };
    let color = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Command::Check {
            files,
            acknowledged,
        } => check(&files, acknowledged, color, err),
        Command::Fmt { files, check } => fmt(&files, FmtMode::from_check(check), color, out, err),
        Command::Generate {
            files,
            out: out_dir,
            check,
            graphql,
        } => generate(
            &files,
            &out_dir,
            FmtMode::from_check(check),
            crate::codegen::Options { graphql },
            color,
            out,
            err,
        ),
        Command::Migrate(command) => migrate::run(command, color, out, err),
        #[cfg(feature = "runner")]
        Command::Backup(args) => backup::backup(args, out, err),
        #[cfg(feature = "runner")]
        Command::Restore(args) => backup::restore(args, out, err),
        #[cfg(feature = "runner")]
        Command::Pull {
            target,
            out: out_file,
        } => pull::run(&target, out_file.as_deref(), out, err),
    }
}

/// Whether `fmt` (or `generate`) writes files or only reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FmtMode {
    /// Rewrite files that change.
    Write,
    /// Report files that would change.
    Check,
}

impl FmtMode {
    const fn from_check(check: bool) -> Self {
        if check { Self::Check } else { Self::Write }
    }
}

/// `cormc fmt [--check] FILE…`
fn fmt(
    paths: &[PathBuf],
    mode: FmtMode,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let options = RenderOptions {
        color,
        ..RenderOptions::default()
    };
    let mut sources = SourceMap::new();
    let mut io_errors = 0usize;
    let mut broken = 0usize;
    let mut changed = 0usize;
    for path in paths {
        let Ok(path) = Utf8PathBuf::from_path_buf(path.clone()) else {
            let _ = writeln!(
                err,
                "error: cannot read `{}`: the path is not valid UTF-8",
                path.display()
            );
            io_errors += 1;
            continue;
        };
        let id = match sources.load(path) {
            Ok(id) => id,
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                io_errors += 1;
                continue;
            }
        };
        let Some(file) = sources.get(id) else {
            continue;
        };
        let formatted = match format_source(file) {
            Ok(text) => text,
            Err(FormatError::Syntax { diagnostics, .. }) => {
                write_diagnostics(err, &diagnostics, &sources, options);
                broken += 1;
                continue;
            }
            Err(error @ FormatError::Internal { .. }) => {
                let _ = writeln!(err, "error: {error}");
                broken += 1;
                continue;
            }
        };
        if formatted == file.text() {
            continue;
        }
        changed += 1;
        match mode {
            FmtMode::Check => {
                let _ = writeln!(out, "would reformat `{}`:", file.path());
                let _ = write!(
                    out,
                    "{}",
                    short_diff(
                        file.path().as_str(),
                        file.text(),
                        &formatted,
                        "formatted",
                        DIFF_LINES
                    )
                );
            }
            FmtMode::Write => {
                if let Err(error) = replace_file(file.path(), &formatted) {
                    let _ = writeln!(err, "error: cannot write `{}`: {error}", file.path());
                    io_errors += 1;
                }
            }
        }
    }

    let files = paths.len();
    let mut summary = format!("{files} {} ", plural(files, "file", "files"));
    summary.push_str(match mode {
        FmtMode::Check => "checked: ",
        FmtMode::Write => "formatted: ",
    });
    summary.push_str(&match mode {
        FmtMode::Check => format!("{changed} would change"),
        FmtMode::Write => format!("{changed} changed"),
    });
    if broken > 0 {
        summary.push_str(&format!(
            ", {broken} with errors (left as {})",
            plural(broken, "it is", "they are")
        ));
    }
    if io_errors > 0 {
        summary.push_str(&format!(", {io_errors} could not be read or written"));
    }
    let _ = writeln!(err, "cormc: {summary}");
    if io_errors > 0 {
        2
    } else if broken > 0 || (mode == FmtMode::Check && changed > 0) {
        1
    } else {
        0
    }
}

/// Replaces the file at `path` by `text`: written to a temporary file in the
/// same folder (so the rename stays on one file system), which then takes
/// the file's place; a symbolic link is followed, not replaced.
fn replace_file(path: &Utf8Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target
        .parent()
        .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
    let name = target
        .file_name()
        .map_or_else(|| "schema".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.cormc-fmt-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        if let Ok(metadata) = std::fs::metadata(&target) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// `cormc generate FILE… --out DIR [--check]` (`mode` says whether to write
/// or only report stale files).
fn generate(
    paths: &[PathBuf],
    out_dir: &std::path::Path,
    mode: FmtMode,
    generation: crate::codegen::Options,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Ok(out_dir) = Utf8PathBuf::from_path_buf(out_dir.to_path_buf()) else {
        let _ = writeln!(
            err,
            "error: cannot write to `{}`: the path is not valid UTF-8",
            out_dir.display()
        );
        return 2;
    };
    let (sources, unreadable) = load_sources(paths, err);
    if unreadable > 0 {
        return 2;
    }
    let (schema, diagnostics) = match crate::parse::parse(&sources) {
        Ok(ast) => {
            let checked = crate::check::check(&ast);
            (checked.schema, checked.diagnostics)
        }
        Err(diagnostics) => (None, diagnostics),
    };
    let options = RenderOptions {
        color,
        ..RenderOptions::default()
    };
    write_diagnostics(err, &diagnostics, &sources, options);
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let Some(schema) = schema.filter(|_| !has_errors) else {
        let _ = writeln!(err, "cormc: the schema has errors; nothing generated");
        return 1;
    };
    // Writing reuses the files whose formatting would not change; a check
    // formats everything, so an edited file is always found.
    let generated = match mode {
        FmtMode::Write => crate::codegen::generate_reusing_with(
            &schema,
            generation,
            crate::codegen::earlier_output(&out_dir),
        ),
        FmtMode::Check => crate::codegen::generate_with(&schema, generation),
    };
    let files = match generated {
        Ok(files) => files,
        Err(error) => {
            let _ = writeln!(err, "error: {error}");
            return 1;
        }
    };
    match mode {
        FmtMode::Check => {
            let mut stale = 0usize;
            for (relative, text) in files.iter() {
                let path = out_dir.join(relative);
                match std::fs::read(&path) {
                    Ok(bytes) if bytes == text.as_bytes() => {}
                    Ok(bytes) => {
                        stale += 1;
                        let _ = writeln!(out, "stale: `{path}` differs from the schema's output:");
                        let committed = String::from_utf8_lossy(&bytes);
                        let _ = write!(
                            out,
                            "{}",
                            short_diff(path.as_str(), &committed, text, "generated", DIFF_LINES)
                        );
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                        stale += 1;
                        let _ = writeln!(out, "stale: `{path}` is missing");
                    }
                    Err(error) => {
                        let _ = writeln!(err, "error: cannot read `{path}`: {error}");
                        return 2;
                    }
                }
            }
            for leftover in crate::codegen::leftover_files(&files, &out_dir) {
                stale += 1;
                let _ = writeln!(
                    out,
                    "stale: `{}` is no longer generated (`cormc generate` deletes it)",
                    out_dir.join(leftover)
                );
            }
            let total = files.len();
            let _ = writeln!(
                err,
                "cormc: {total} generated {} checked: {stale} stale",
                plural(total, "file", "files")
            );
            u8::from(stale > 0)
        }
        FmtMode::Write => match crate::codegen::write(&files, &out_dir) {
            Ok(report) => {
                let removed = if report.removed.is_empty() {
                    String::new()
                } else {
                    format!(", {} removed", report.removed.len())
                };
                let _ = writeln!(
                    err,
                    "cormc: generated {} {} in `{out_dir}`: {} written, {} unchanged{removed}",
                    files.len(),
                    plural(files.len(), "file", "files"),
                    report.written.len(),
                    report.unchanged.len()
                );
                0
            }
            Err(error) => {
                let _ = writeln!(err, "error: {error}");
                2
            }
        },
    }
}

/// `cormc check [--acknowledged] FILE…`
fn check(paths: &[PathBuf], show_acknowledged: bool, color: bool, err: &mut dyn Write) -> u8 {
    let (sources, unreadable) = load_sources(paths, err);

    let (diagnostics, acknowledged) = match crate::parse::parse(&sources) {
        Ok(schema) => {
            let checked = crate::check::check(&schema);
            (checked.diagnostics, checked.acknowledged)
        }
        Err(diagnostics) => (diagnostics, Vec::new()),
    };

    let options = RenderOptions {
        color,
        ..RenderOptions::default()
    };
    if show_acknowledged {
        let annotated: Vec<_> = acknowledged
            .iter()
            .map(crate::check::Acknowledged::annotated)
            .collect();
        write_diagnostics(err, &annotated, &sources, options);
    }
    write_diagnostics(err, &diagnostics, &sources, options);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let files = sources.len();
    let mut summary = format!(
        "{files} {} checked: {errors} {}, {warnings} {}",
        plural(files, "file", "files"),
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    if !acknowledged.is_empty() {
        let count = acknowledged.len();
        summary.push_str(&format!(
            " ({count} acknowledged by `@allow`{})",
            if show_acknowledged {
                ""
            } else {
                "; `--acknowledged` lists them"
            }
        ));
    }
    if unreadable > 0 {
        summary.push_str(&format!(
            "; {unreadable} {} could not be read",
            plural(unreadable, "file", "files")
        ));
    }
    let _ = writeln!(err, "cormc: {summary}");
    if unreadable > 0 {
        2
    } else if errors > 0 {
        1
    } else {
        0
    }
}

/// Writes `diagnostics` to `err`, each followed by a blank line, in one
/// write (stderr is unbuffered: a write per diagnostic costs a system call
/// each).
fn write_diagnostics(
    err: &mut dyn Write,
    diagnostics: &[crate::diagnostics::Diagnostic],
    sources: &SourceMap,
    options: RenderOptions,
) {
    let mut text = String::new();
    for diagnostic in diagnostics {
        text.push_str(&render(diagnostic, sources, options));
        text.push('\n');
    }
    let _ = err.write_all(text.as_bytes());
}

/// Loads the schema files at `paths`, reporting each one that can't be
/// read; returns the sources and how many failed.
fn load_sources(paths: &[PathBuf], err: &mut dyn Write) -> (SourceMap, usize) {
    let mut sources = SourceMap::new();
    let mut unreadable = 0usize;
    for path in paths {
        let Ok(path) = Utf8PathBuf::from_path_buf(path.clone()) else {
            let _ = writeln!(
                err,
                "error: cannot read `{}`: the path is not valid UTF-8",
                path.display()
            );
            unreadable += 1;
            continue;
        };
        if let Err(error) = sources.load(path) {
            let _ = writeln!(err, "error: {error}");
            unreadable += 1;
        }
    }
    (sources, unreadable)
}

const fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
