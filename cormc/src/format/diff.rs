//! A short unified-style diff, for `cormc fmt --check`.
//!
//! Lines are matched by a longest-common-subsequence table over the part
//! between the common prefix and suffix (when that part is small enough;
//! otherwise it is shown as one block of removed and added lines). Hunks
//! carry up to [`CONTEXT`] unchanged lines around each change, and the
//! output stops after `max_lines` changed lines: enough to show *what* the
//! formatter would change, not meant for `patch`.

use std::fmt::Write as _;

/// Unchanged lines shown around each change.
pub const CONTEXT: usize = 2;

/// Largest LCS table (cells) computed; past it the middle is one block.
const MAX_TABLE: usize = 4_000_000;

/// One line of an edit script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// The diff of `old` (the file at `path`) against `new` (described by
/// `label`, as in `+++ path (label)`), or an empty string when they are
/// equal. At most `max_lines` removed and added lines are shown.
#[must_use]
pub fn short_diff(path: &str, old: &str, new: &str, label: &str, max_lines: usize) -> String {
    if old == new {
        return String::new();
    }
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let edits = edit_script(&old_lines, &new_lines);

    let mut out = String::new();
    let _ = writeln!(out, "--- {path}");
    let _ = writeln!(out, "+++ {path} ({label})");
    if edits.iter().all(|e| matches!(e, Edit::Same(_))) {
        let _ = writeln!(out, "(only line breaks or whitespace at line ends differ)");
        return out;
    }
    let mut shown = 0usize;
    let mut i = 0usize;
    // Line numbers (0-based) in old and new at edit `i`.
    let (mut old_at, mut new_at) = (0usize, 0usize);
    while i < edits.len() {
        if matches!(edits.get(i), Some(Edit::Same(_))) {
            old_at += 1;
            new_at += 1;
            i += 1;
            continue;
        }
        // A hunk: context before, then changes as long as fewer than
        // 2 * CONTEXT unchanged lines separate them, then context after.
        let before = i.saturating_sub(CONTEXT);
        let context_before = edits.get(before..i).map_or(0, |e| {
            e.iter().filter(|e| matches!(e, Edit::Same(_))).count()
        });
        let mut last_change = i;
        let mut k = i;
        while let Some(edit) = edits.get(k) {
            if !matches!(edit, Edit::Same(_)) {
                last_change = k;
            } else if k - last_change > CONTEXT * 2 {
                break;
            }
            k += 1;
        }
        let end = (last_change + 1 + CONTEXT).min(edits.len());
        let hunk = edits.get(before..end).unwrap_or(&[]);
        let old_count = hunk.iter().filter(|e| !matches!(e, Edit::Added(_))).count();
        let new_count = hunk
            .iter()
            .filter(|e| !matches!(e, Edit::Removed(_)))
            .count();
        let _ = writeln!(
            out,
            "@@ -{},{old_count} +{},{new_count} @@",
            old_at - context_before + 1,
            new_at - context_before + 1,
        );
        for edit in hunk {
            match edit {
                Edit::Same(line) => {
                    let _ = writeln!(out, " {line}");
                }
                Edit::Removed(line) | Edit::Added(line) => {
                    if shown == max_lines {
                        let rest =
                            edits.iter().filter(|e| !matches!(e, Edit::Same(_))).count() - shown;
                        let _ = writeln!(out, "… {rest} more changed lines");
                        return out;
                    }
                    let mark = if matches!(edit, Edit::Removed(_)) {
                        '-'
                    } else {
                        '+'
                    };
                    let _ = writeln!(out, "{mark}{line}");
                    shown += 1;
                }
            }
        }
        for edit in edits.get(i..end).unwrap_or(&[]) {
            match edit {
                Edit::Same(_) => {
                    old_at += 1;
                    new_at += 1;
                }
                Edit::Removed(_) => old_at += 1,
                Edit::Added(_) => new_at += 1,
            }
        }
        i = end;
    }
    out
}

/// The lines of `old` and `new` as kept, removed and added lines.
fn edit_script<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<Edit<'a>> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = old.get(prefix..old.len() - suffix).unwrap_or(&[]);
    let new_mid = new.get(prefix..new.len() - suffix).unwrap_or(&[]);

    let mut edits: Vec<Edit<'a>> = old.iter().take(prefix).map(|l| Edit::Same(l)).collect();
    let (n, m) = (old_mid.len(), new_mid.len());
    if n.saturating_mul(m) <= MAX_TABLE {
        // lcs[i][j]: LCS length of old_mid[i..] and new_mid[j..].
        let width = m + 1;
        let mut lcs = vec![0u32; (n + 1) * width];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                let value = if old_mid.get(i) == new_mid.get(j) {
                    lcs.get((i + 1) * width + j + 1).copied().unwrap_or(0) + 1
                } else {
                    let down = lcs.get((i + 1) * width + j).copied().unwrap_or(0);
                    let right = lcs.get(i * width + j + 1).copied().unwrap_or(0);
                    down.max(right)
                };
                if let Some(cell) = lcs.get_mut(i * width + j) {
                    *cell = value;
                }
            }
        }
        let at = |i: usize, j: usize| lcs.get(i * width + j).copied().unwrap_or(0);
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            match (old_mid.get(i), new_mid.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    edits.push(Edit::Same(a));
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(_)) if at(i + 1, j) >= at(i, j + 1) => {
                    edits.push(Edit::Removed(a));
                    i += 1;
                }
                (_, Some(b)) => {
                    edits.push(Edit::Added(b));
                    j += 1;
                }
                (Some(a), None) => {
                    edits.push(Edit::Removed(a));
                    i += 1;
                }
                (None, None) => break,
            }
        }
    } else {
        edits.extend(old_mid.iter().map(|l| Edit::Removed(l)));
        edits.extend(new_mid.iter().map(|l| Edit::Added(l)));
    }
    edits.extend(old.iter().skip(old.len() - suffix).map(|l| Edit::Same(l)));
    edits
}

#[cfg(test)]
mod tests {
    use super::short_diff;

    #[test]
    fn shows_the_changed_lines_with_context() {
        let old = "a\nb\nc\n  d\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\ne\nf\ng\nh\n";
        assert_eq!(
            short_diff("x.corm", old, new, "formatted", 10),
            "--- x.corm\n+++ x.corm (formatted)\n@@ -2,5 +2,5 @@\n b\n c\n-  d\n+d\n e\n f\n"
        );
    }

    #[test]
    fn separate_changes_make_separate_hunks() {
        let old = "1\nx\n3\n4\n5\n6\n7\n8\ny\n10\n";
        let new = "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n";
        let diff = short_diff("x.corm", old, new, "formatted", 10);
        assert_eq!(diff.matches("@@ -").count(), 2, "{diff}");
        assert!(
            diff.contains("@@ -1,4 +1,4 @@\n 1\n-x\n+X\n 3\n 4\n"),
            "{diff}"
        );
        assert!(
            diff.contains("@@ -7,4 +7,4 @@\n 7\n 8\n-y\n+Y\n 10\n"),
            "{diff}"
        );
    }

    #[test]
    fn cuts_long_diffs() {
        let diff = short_diff("x.corm", "1\n2\n3\n4\n", "", "formatted", 2);
        assert!(diff.contains("-1\n-2\n… 2 more changed lines\n"), "{diff}");
    }

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(short_diff("x.corm", "a\n", "a\n", "formatted", 5), "");
        assert!(short_diff("x.corm", "a", "a\n", "formatted", 5).contains("only line breaks"));
    }
}
