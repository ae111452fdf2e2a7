//! The `cormc` command line: argument parsing and the subcommands.
//!
//! Exit codes: 0 clean (warnings allowed), 1 when the schema has errors, 2 on
//! a usage error or when a file can't be read.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use camino::Utf8PathBuf;
use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{RenderOptions, Severity, SourceMap, render};

const EXAMPLES: &str = "\
Examples:
  cormc check schema.corm                 check one file
  cormc check schema/*.corm               check a schema split over files
  cormc check --color never app.corm      plain output (also: NO_COLOR=1)

Exit status: 0 when clean (warnings allowed), 1 when the schema has errors,
2 on a usage error or when a file can't be read.";

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
        after_help = "Examples:\n  cormc check schema.corm\n  cormc check users.corm posts.corm"
    )]
    Check {
        /// The `.corm` files of the schema.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

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
        Command::Check { files } => check(&files, color, err),
    }
}

/// `cormc check FILE…`
fn check(paths: &[PathBuf], color: bool, err: &mut dyn Write) -> u8 {
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

    let diagnostics = match crate::parse::parse(&sources) {
        Ok(schema) => crate::check::check(&schema).diagnostics,
        Err(diagnostics) => diagnostics,
    };

    let options = RenderOptions {
        color,
        ..RenderOptions::default()
    };
    for diagnostic in &diagnostics {
        let _ = writeln!(err, "{}", render(diagnostic, &sources, options));
    }
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

const fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
