//! Errors and diagnostics. Every message is Japanese and names the file and the place.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: 読み込めません（{}）", path.display(), io_ja(source))]
    Read { path: PathBuf, source: io::Error },
    #[error("{}: 書き込めません（{}）", path.display(), io_ja(source))]
    Write { path: PathBuf, source: io::Error },
    #[error("{}:{line}:{column}: {message}", path.display())]
    At { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    #[error("{}: {sheet}!{cell}: {message}", path.display())]
    Cell { path: PathBuf, sheet: String, cell: String, message: String },
    #[error("{0}")]
    Many(ErrorList),
    #[error("{0}")]
    Other(String),
}

/// Several errors reported together (all problems of one file at once).
#[derive(Debug)]
pub struct ErrorList(pub Vec<Error>);

impl fmt::Display for ErrorList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn file(path: &Path, message: impl Into<String>) -> Error {
        Error::File { path: path.to_path_buf(), message: message.into() }
    }
    pub fn read(path: &Path, source: io::Error) -> Error {
        Error::Read { path: path.to_path_buf(), source }
    }
    pub fn write(path: &Path, source: io::Error) -> Error {
        Error::Write { path: path.to_path_buf(), source }
    }
}

/// An I/O error in Japanese words.
pub fn io_ja(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "ファイルまたはフォルダがありません".into(),
        io::ErrorKind::PermissionDenied => "アクセスが許可されていません".into(),
        io::ErrorKind::AlreadyExists => "既に存在します".into(),
        io::ErrorKind::InvalidData => format!("内容が正しくありません: {e}"),
        io::ErrorKind::IsADirectory => "フォルダです（ファイルを指定してください）".into(),
        _ => format!("{e}"),
    }
}

/// Reads a text file whole, refusing files larger than `limit` bytes and text that is not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::file(path, "フォルダです。ファイルを指定してください"));
    }
    if meta.len() > limit {
        return Err(Error::file(
            path,
            format!("ファイルが大きすぎます（{} バイト。上限は {} バイト）", meta.len(), limit),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
        Error::At {
            path: path.to_path_buf(),
            line,
            column,
            message: "UTF-8 ではない文字があります。UTF-8 で保存し直してください".into(),
        }
    })
}

fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
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
        write!(f, "{}[{}]: {}", self.diagnostic.severity.label(), self.diagnostic.code, self.diagnostic.message)
    }
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

/// Turns a TOML or serde error into a Japanese message with line and column.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    Error::At { path: path.to_path_buf(), line, column, message: serde_message_ja(e.message()) }
}

/// Translates the serde and TOML messages users meet most often.
pub fn serde_message_ja(msg: &str) -> String {
    let msg = msg.trim();
    let ticks: Vec<&str> = msg.split('`').collect();
    let first = ticks.get(1).copied().unwrap_or("");
    if msg.starts_with("missing field") {
        return format!("必須の項目「{first}」がありません");
    }
    if msg.starts_with("unknown field") {
        let expected: Vec<&str> = ticks.iter().skip(3).step_by(2).copied().collect();
        return format!(
            "「{first}」という項目はありません（書ける項目: {}）。綴りを確認してください",
            expected.join("、")
        );
    }
    if msg.starts_with("unknown variant") {
        let expected: Vec<&str> = ticks.iter().skip(3).step_by(2).copied().collect();
        return format!("「{first}」は選べる値ではありません（選べる値: {}）", expected.join("、"));
    }
    if msg.starts_with("duplicate key") || msg.starts_with("duplicate field") {
        return if first.is_empty() {
            "同じ項目（キー）が二度書かれています".to_string()
        } else {
            format!("項目「{first}」が二度書かれています")
        };
    }
    const SYNTAX: [(&str, &str); 10] = [
        ("invalid basic string", "文字列を閉じる \" がありません"),
        ("invalid literal string", "文字列を閉じる ' がありません"),
        ("key with no value", "キーの後に「= 値」がありません"),
        ("invalid date", "日付が正しくありません（存在しない日付か、YYYY-MM-DD の形ではありません）"),
        ("invalid time", "時刻が正しくありません（HH:MM:SS の形で書きます）"),
        ("unclosed array", "配列を閉じる ] がありません"),
        ("unclosed table", "表の見出しを閉じる ] がありません"),
        ("unclosed inline table", "{ } の表を閉じる } がありません"),
        ("invalid boolean", "真偽値は true か false で書きます"),
        ("invalid integer", "数値が正しくありません"),
    ];
    for (en, ja) in SYNTAX {
        if msg.starts_with(en) {
            return format!("TOML の書き方が正しくありません: {ja}");
        }
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!("値の型が違います（{}が書かれていますが、{}が必要です）", type_ja(found), type_ja(expected));
    }
    if msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        return format!("値が正しくありません（{msg}）");
    }
    if msg.is_ascii() {
        return format!("TOML の書き方が正しくありません（{msg}）");
    }
    msg.to_string()
}

fn type_ja(s: &str) -> String {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix("string") {
        format!("文字列{rest}")
    } else if s.starts_with("integer") || s.starts_with("u32") || s.starts_with("u64") || s.starts_with("i32") {
        "整数".into()
    } else if s.starts_with("boolean") || s == "a boolean" {
        "true/false".into()
    } else if s.contains("sequence") || s.starts_with("a sequence") {
        "配列 [ ]".into()
    } else if s.contains("map") || s.starts_with("struct") {
        "表（テーブル）".into()
    } else if s.starts_with("a string") {
        "文字列".into()
    } else {
        s.to_string()
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

    #[test]
    fn translates_serde_messages() {
        assert_eq!(serde_message_ja("missing field `name`"), "必須の項目「name」がありません");
        let m = serde_message_ja("unknown field `nmae`, expected `name` or `kind`");
        assert!(m.contains("「nmae」という項目はありません") && m.contains("name、kind"), "{m}");
        let m = serde_message_ja("unknown variant `たぶん`, expected `はい` or `いいえ`");
        assert!(m.contains("「たぶん」は選べる値ではありません"), "{m}");
    }
}
