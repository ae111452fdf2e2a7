//! Source files, file ids and byte spans.
//!
//! Every AST node and every diagnostic label carries a [`Span`]: a byte range
//! in one [`SourceFile`], named by its [`FileId`] in a [`SourceMap`].

use std::ops::Range;

use camino::{Utf8Path, Utf8PathBuf};

use super::LineIndex;

/// Names one file of a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(u32);

impl FileId {
    /// The id of the `index`-th file added to a [`SourceMap`].
    #[must_use]
    pub const fn new(index: u32) -> Self {
        Self(index)
    }

    /// The position of the file in its [`SourceMap`].
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given the wrong way round).
    #[must_use]
    pub const fn new(file: FileId, start: usize, end: usize) -> Self {
        if start <= end {
            Self { file, start, end }
        } else {
            Self {
                file,
                start: end,
                end: start,
            }
        }
    }

    /// An empty span at `offset`.
    #[must_use]
    pub const fn point(file: FileId, offset: usize) -> Self {
        Self::new(file, offset, offset)
    }

    /// Length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering `self` and `other` (same file assumed).
    #[must_use]
    pub fn to(self, other: Self) -> Self {
        Self::new(
            self.file,
            self.start.min(other.start),
            self.end.max(other.end),
        )
    }

    /// The byte range.
    #[must_use]
    pub const fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl std::fmt::Display for LineCol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One `.corm` file: its path (as the user named it) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    id: FileId,
    path: Utf8PathBuf,
    text: String,
    lines: LineIndex,
}

impl SourceFile {
    /// A file with the given id, path and text.
    #[must_use]
    pub fn new(id: FileId, path: impl Into<Utf8PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let lines = LineIndex::new(&text);
        Self {
            id,
            path: path.into(),
            text,
            lines,
        }
    }

    /// The file's id.
    #[must_use]
    pub const fn id(&self) -> FileId {
        self.id
    }

    /// The path as given (printed in diagnostics).
    #[must_use]
    pub fn path(&self) -> &Utf8Path {
        &self.path
    }

    /// The whole text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each line starts (built once, with the file).
    #[must_use]
    pub const fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// A span in this file.
    #[must_use]
    pub const fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.id, start, end)
    }

    /// The text under `span` (empty if the span is not in this text).
    #[must_use]
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Clamps `offset` into the text and back onto a character boundary.
    #[must_use]
    pub fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The 1-based line and column of a byte offset (clamped into the text).
    /// Lines end at `\n`, `\r\n` or a lone `\r`; the column counts
    /// characters from the start of the line.
    #[must_use]
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.clamp(offset);
        let line = self.lines.line(offset);
        let start = self.lines.start(line);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// `path:line:col` of a byte offset.
    #[must_use]
    pub fn location(&self, offset: usize) -> String {
        format!("{}:{}", self.path, self.line_col(offset))
    }
}

/// Reading a file into a [`SourceMap`] failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The path as given.
        path: Utf8PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not UTF-8.
    #[error("cannot read `{path}`: the file is not valid UTF-8")]
    NotUtf8 {
        /// The path as given.
        path: Utf8PathBuf,
    },
    /// More files than a [`FileId`] can name.
    #[error("too many source files")]
    TooManyFiles,
}

/// All source files of one compilation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file from memory and returns its id.
    ///
    /// # Errors
    /// [`LoadError::TooManyFiles`] past `u32::MAX` files.
    pub fn add(
        &mut self,
        path: impl Into<Utf8PathBuf>,
        text: impl Into<String>,
    ) -> Result<FileId, LoadError> {
        let index = u32::try_from(self.files.len()).map_err(|_| LoadError::TooManyFiles)?;
        let id = FileId::new(index);
        self.files.push(SourceFile::new(id, path, text));
        Ok(id)
    }

    /// Reads a file from disk and returns its id.
    ///
    /// # Errors
    /// [`LoadError`] when the file can't be read or is not UTF-8.
    pub fn load(&mut self, path: impl Into<Utf8PathBuf>) -> Result<FileId, LoadError> {
        let path = path.into();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(source) => return Err(LoadError::Io { path, source }),
        };
        match String::from_utf8(bytes) {
            Ok(text) => self.add(path, text),
            Err(_) => Err(LoadError::NotUtf8 { path }),
        }
    }

    /// The file with this id.
    #[must_use]
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.index())
    }

    /// All files, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    /// Number of files.
    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{FileId, LineCol, SourceFile};

    fn at(line: usize, column: usize) -> LineCol {
        LineCol { line, column }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // `é` is two bytes, `日` three, `🦀` four.
        let file = SourceFile::new(FileId::new(0), "a.corm", "é日🦀x\n  ü = y\n");
        assert_eq!(file.line_col(0), at(1, 1));
        assert_eq!(file.line_col(2), at(1, 2));
        assert_eq!(file.line_col(5), at(1, 3));
        assert_eq!(file.line_col(9), at(1, 4));
        assert_eq!(file.line_col(10), at(1, 5)); // the `\n`
        assert_eq!(file.line_col(11), at(2, 1));
        assert_eq!(file.line_col(16), at(2, 5)); // `=`, after the two-byte `ü`
        // Inside a character: clamped back to its first byte.
        assert_eq!(file.line_col(3), at(1, 2));
        // Past the end: the end.
        assert_eq!(file.line_col(1000), at(3, 1));
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let file = SourceFile::new(FileId::new(0), "a.corm", "ab\r\ncd\ref\r\n");
        assert_eq!(file.line_col(2), at(1, 3)); // `\r` of the CRLF
        assert_eq!(file.line_col(3), at(1, 4)); // its `\n`
        assert_eq!(file.line_col(4), at(2, 1));
        assert_eq!(file.line_col(5), at(2, 2));
        assert_eq!(file.line_col(7), at(3, 1)); // after a lone `\r`
        assert_eq!(file.line_col(11), at(4, 1));
        assert_eq!(file.location(8), "a.corm:3:2");
    }
}
