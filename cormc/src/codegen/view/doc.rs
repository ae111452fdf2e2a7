//! Doc comments: the schema's `///` text, or a generated sentence, as the
//! lines a template puts after `///`.

/// The lines of a doc comment: `doc` when the schema has one, else
/// `fallback`. Every non-empty line starts with a space, so `///` + line is
/// always a doc comment (never `////`, which is a plain comment).
#[must_use]
pub fn doc_lines(doc: Option<&str>, fallback: &str) -> Vec<String> {
    let text = doc.map(str::trim).filter(|text| !text.is_empty());
    text.unwrap_or(fallback)
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}
