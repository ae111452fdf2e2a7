//! A file's line index: where each line starts, built once per file.
//!
//! Every line and column a diagnostic prints is found here by binary search,
//! so rendering `n` diagnostics costs `n log(lines)` instead of a scan from
//! the start of the file for each one. A line ends at `\n`, `\r\n` or a lone
//! `\r`, as the grammar's `NEWLINE` and miette's snippet reader count them.

/// The byte offset at which each line of a text starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// `starts[i]` is the offset of the first byte of line `i` (0-based);
    /// `starts[0]` is 0, and the list is strictly increasing.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text` in one pass.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        if !bytes.contains(&b'\r') {
            // The usual case, found with memchr.
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            return Self { starts };
        }
        for (i, &byte) in bytes.iter().enumerate() {
            let ends_line = match byte {
                b'\n' => true,
                b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                starts.push(i + 1);
            }
        }
        Self { starts }
    }

    /// The number of lines (a text ending in a line break has an empty last
    /// line; an empty text has one line).
    #[must_use]
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether there is no line; never true (an empty text has one).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The 0-based line that contains byte `offset` (a line break belongs to
    /// the line it ends; an offset past the end is on the last line).
    #[must_use]
    pub fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next.saturating_sub(1),
        }
    }

    /// The byte offset where 0-based `line` starts (the last line's start
    /// for a line past the end).
    #[must_use]
    pub fn start(&self, line: usize) -> usize {
        self.starts
            .get(line)
            .or_else(|| self.starts.last())
            .copied()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let index = LineIndex::new("a\nbc\r\nd\re");
        assert_eq!(index.len(), 4);
        assert_eq!(
            (0..4).map(|l| index.start(l)).collect::<Vec<_>>(),
            [0, 2, 6, 8]
        );
        // The break belongs to the line it ends, both bytes of a CRLF too.
        let lines: Vec<usize> = (0..=9).map(|o| index.line(o)).collect();
        assert_eq!(lines, [0, 0, 1, 1, 1, 1, 2, 2, 3, 3]);
        // Past the end: the last line.
        assert_eq!(index.line(100), 3);
        assert_eq!(index.start(100), 8);
    }

    #[test]
    fn empty_text_and_trailing_break() {
        let empty = LineIndex::new("");
        assert_eq!((empty.len(), empty.line(0), empty.start(0)), (1, 0, 0));
        let trailing = LineIndex::new("x\n");
        assert_eq!(trailing.len(), 2);
        assert_eq!(trailing.line(2), 1);
    }
}
