//! Writing generated files: only those whose bytes change, each through a
//! temporary file and a rename, so a reader never sees half a file and an
//! unchanged file keeps its modification time (no needless rebuilds).

use std::io::Write;

use camino::{Utf8Path, Utf8PathBuf};

use super::{CodegenError, GeneratedFiles};

/// What [`write`] did, with paths relative to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written because they were new or their content changed.
    pub written: Vec<Utf8PathBuf>,
    /// Files left alone because their content was already right.
    pub unchanged: Vec<Utf8PathBuf>,
}

/// Writes `files` under `out_dir` (created if missing), touching only the
/// files whose content differs from what is on disk. Files in `out_dir`
/// that `files` does not name are left alone.
///
/// # Errors
/// [`CodegenError::Io`] when a folder or file can't be read, created or
/// written; files written before the failure stay written.
pub fn write(files: &GeneratedFiles, out_dir: &Utf8Path) -> Result<WriteReport, CodegenError> {
    let mut report = WriteReport::default();
    for (relative, text) in files.iter() {
        let path = out_dir.join(relative);
        match std::fs::read(&path) {
            Ok(bytes) if bytes == text.as_bytes() => {
                report.unchanged.push(relative.to_owned());
                continue;
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(CodegenError::Io { path, source }),
        }
        replace(&path, text).map_err(|source| CodegenError::Io {
            path: path.clone(),
            source,
        })?;
        report.written.push(relative.to_owned());
    }
    Ok(report)
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`.
fn replace(path: &Utf8Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Utf8Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or("generated");
    let temp = dir.join(format!(".{name}.cormc-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
