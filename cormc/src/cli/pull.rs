//! `cormc pull`: an existing keyspace as a `.corm` file.

use std::io::Write;
use std::path::Path;

use super::migrate::Target;
use crate::diagnostics::{FileId, SourceFile};

pub(super) const PULL_EXAMPLES: &str = "\
Examples:
  cormc pull --keyspace shop                          the .corm file on standard output
  cormc pull --contact 10.0.0.5:9042 --keyspace shop --out schema/shop.corm

Then `cormc check` it, and `cormc migrate diff` it against the keyspace.
What corm can't state (views, other index kinds, options it does not
model, names that are not snake_case) is kept as a comment, with a warning.

Exit status: 0 when written; 2 when the keyspace can't be read or the file
can't be written.";

/// Runs `cormc pull`.
pub(super) fn run(
    target: &Target,
    out_file: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let Some(keyspace) = target.keyspace() else {
        let _ = writeln!(err, "error: pass `--keyspace`");
        return 2;
    };
    let Some(live) = target.read_live(keyspace, err) else {
        return 2;
    };
    let pulled = crate::live::pull(&live, keyspace);
    let file = SourceFile::new(FileId::new(0), "pulled.corm", pulled.text.clone());
    let text = match crate::format::format_source(&file) {
        Ok(text) => text,
        Err(error) => {
            // A bug of `pull`: say so, and give the text as it is.
            let _ = writeln!(
                err,
                "warning: the pulled file does not format ({error}); written as pulled"
            );
            pulled.text
        }
    };
    for warning in &pulled.warnings {
        let _ = writeln!(err, "warning: {warning}");
    }
    match out_file {
        Some(path) => {
            if let Err(error) = std::fs::write(path, &text) {
                let _ = writeln!(err, "error: writing `{}`: {error}", path.display());
                return 2;
            }
            let _ = writeln!(
                err,
                "cormc: pulled keyspace `{keyspace}` into `{}`",
                path.display()
            );
        }
        None => {
            let _ = write!(out, "{text}");
        }
    }
    0
}
