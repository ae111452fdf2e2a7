//! The generated files, in memory: relative path to text, sorted by path.

use std::collections::BTreeMap;

use camino::{Utf8Path, Utf8PathBuf};

/// The output of [`generate`](super::generate): file contents by path
/// relative to the output folder, in path order (so iterating is
/// deterministic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneratedFiles {
    files: BTreeMap<Utf8PathBuf, String>,
}

impl GeneratedFiles {
    /// Adds (or replaces) the file at `path`.
    pub fn insert(&mut self, path: impl Into<Utf8PathBuf>, text: String) {
        self.files.insert(path.into(), text);
    }

    /// The text of the file at `path`.
    #[must_use]
    pub fn get(&self, path: impl AsRef<Utf8Path>) -> Option<&str> {
        self.files.get(path.as_ref()).map(String::as_str)
    }

    /// The files, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&Utf8Path, &str)> {
        self.files
            .iter()
            .map(|(path, text)| (path.as_path(), text.as_str()))
    }

    /// How many files there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there is no file.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The map of path to text.
    #[must_use]
    pub fn into_map(self) -> BTreeMap<Utf8PathBuf, String> {
        self.files
    }
}
