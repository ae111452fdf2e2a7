//! Format stage: a parsed `.corm` file back to text, in one canonical layout.
//!
//! The text is printed from the [`ast::File`]; the comments, which the AST
//! does not hold (apart from doc comments), are found in the source by a
//! small scanner ([`comments`]) and put back next to the tokens they stood
//! next to (`printer`). The layout is described in `docs/formatting.md`;
//! its rules live with the nodes they concern (`items`, `clauses`, `fields`,
//! `literals`).
//!
//! Formatting is idempotent and never changes meaning: before returning, the
//! output is parsed again and must give the same AST (spans aside) and the
//! same comments in the same order ([`verify`]). If it does not, that is a
//! formatter bug, reported as [`FormatError::Internal`]; the caller keeps the
//! input as it is.
//!
//! ```
//! use cormc::diagnostics::SourceMap;
//!
//! let mut sources = SourceMap::new();
//! let id = sources.add("a.corm", "enum  Color{red,green , blue,}").unwrap();
//! let text = cormc::format::format_source(sources.get(id).unwrap()).unwrap();
//! assert_eq!(text, "enum Color { red, green, blue }\n");
//! ```

mod clauses;
pub mod comments;
pub mod diff;
mod fields;
mod items;
mod literals;
mod mutations;
mod printer;
pub mod verify;

use camino::Utf8PathBuf;

use self::printer::Printer;
use crate::ast;
use crate::diagnostics::{Diagnostic, SourceFile};

pub use self::diff::short_diff;
pub use self::verify::spanless_debug;

/// Formatting a file failed.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// The file does not parse: its diagnostics.
    #[error("`{path}` has syntax errors; it is not formatted")]
    Syntax {
        /// The file's path.
        path: Utf8PathBuf,
        /// Its syntax errors.
        diagnostics: Vec<Diagnostic>,
    },
    /// The formatter produced text that does not mean the same as the input
    /// (a bug in cormc).
    #[error(
        "internal formatter error in `{path}`: {reason}; the file is left as it is \
         (this is a bug in cormc; please report it with the input)"
    )]
    Internal {
        /// The file's path.
        path: Utf8PathBuf,
        /// What went wrong.
        reason: String,
    },
}

/// Formats `file`, already parsed as `ast`.
///
/// # Errors
/// [`FormatError::Internal`] when the formatted text would not parse to the
/// same AST with the same comments (a formatter bug).
pub fn format(file: &SourceFile, ast: &ast::File) -> Result<String, FormatError> {
    let src = file.text();
    let comments = comments::scan(src, ast);
    let mut printer = Printer::new(src, comments);
    printer.items(&ast.items);
    let formatted = printer.finish();
    verify::check(file, ast, &formatted).map_err(|reason| FormatError::Internal {
        path: file.path().to_owned(),
        reason,
    })?;
    Ok(formatted)
}

/// Parses and formats `file`.
///
/// # Errors
/// [`FormatError::Syntax`] when it does not parse; see [`format()`].
pub fn format_source(file: &SourceFile) -> Result<String, FormatError> {
    let ast = crate::parse::parse_file(file).map_err(|diagnostics| FormatError::Syntax {
        path: file.path().to_owned(),
        diagnostics,
    })?;
    format(file, &ast)
}
