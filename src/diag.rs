//! Findings of `kensa check` (severity, code, message) and their place in a TOML file.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a finding of `kensa check` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "エラー",
            Severity::Warning => "警告",
        }
    }
}

/// One finding about a file, located by a dotted key path (`answers.3.target_on`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    #[serde(skip)]
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, path: path.into(), message: message.into() }
    }
    pub fn warning(code: &'static str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, path: path.into(), message: message.into() }
    }
}

/// A diagnostic with its file and position.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Located {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.file.display())?;
        }
        // The message may quote case text: its control characters are shown, never sent.
        let message = crate::text::visible(&self.diagnostic.message);
        write!(f, "{}[{}]: {message}", self.diagnostic.severity.label(), self.diagnostic.code)
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map(|p| p + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

/// 1-based line and column of a byte offset in bytes that may not be valid UTF-8.
pub fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

/// Maps dotted key paths of a TOML document to line and column.
pub struct SourceMap<'a> {
    text: &'a str,
    doc: Option<toml_edit::Document<&'a str>>,
}

impl<'a> SourceMap<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceMap { text, doc: toml_edit::Document::parse(text).ok() }
    }

    /// Position of the deepest part of `path` that exists in the document.
    pub fn position(&self, path: &str) -> (usize, usize) {
        let Some(doc) = &self.doc else { return (1, 1) };
        let mut item: &toml_edit::Item = doc.as_item();
        let mut best: Option<usize> = None;
        for seg in path.split('.').filter(|s| !s.is_empty()) {
            let mut key_pos = None;
            let next = match seg.parse::<usize>() {
                Ok(i) => item.get(i),
                Err(_) => {
                    // Prefer the key's own position for `key = value`.
                    if let Some(table) = item.as_table_like() {
                        if let Some((key, _)) = table.get_key_value(seg) {
                            key_pos = key.span().map(|s| s.start);
                        }
                    }
                    item.get(seg)
                }
            };
            match next {
                Some(n) => {
                    item = n;
                    if let Some(pos) = key_pos.or_else(|| span_of(n)) {
                        best = Some(pos);
                    }
                }
                None => break,
            }
        }
        match best {
            Some(offset) => line_col(self.text, offset),
            None => (1, 1),
        }
    }

    pub fn locate(&self, file: &Path, d: Diagnostic) -> Located {
        let (line, column) = self.position(&d.path);
        Located { file: file.to_path_buf(), line, column, diagnostic: d }
    }
}

fn span_of(item: &toml_edit::Item) -> Option<usize> {
    match item {
        toml_edit::Item::Table(t) => t.span().map(|s| s.start),
        toml_edit::Item::Value(v) => v.span().map(|s| s.start),
        toml_edit::Item::ArrayOfTables(a) => a.span().map(|s| s.start),
        toml_edit::Item::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let t = "a = 1\nname = \"病院\"\nx = 2";
        let off = t.find("x").unwrap();
        assert_eq!(line_col(t, off), (3, 1));
        let off = t.find('"').unwrap();
        assert_eq!(line_col(t, off), (2, 8));
        assert_eq!(line_col_bytes("あ\nい\u{ff}".as_bytes(), 7), (2, 2));
    }

    #[test]
    fn source_map_finds_nested_paths() {
        let t = "a = 1\n[[answers]]\nitem = \"x\"\n\n[[answers]]\nitem = \"y\"\ntarget_on = 2025-01-01\n";
        let m = SourceMap::new(t);
        assert_eq!(m.position("answers.1.target_on"), (7, 1));
        assert_eq!(m.position("answers.1"), (5, 1));
        assert_eq!(m.position("answers.1.missing"), (5, 1));
        assert_eq!(m.position("nothing"), (1, 1));
    }
}
