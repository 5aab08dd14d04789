//! Errors that stop a command: one variant for each kind of failure callers tell apart, each
//! with its Japanese message written once here. Every message names the file and the place.

mod ja;
mod workbook;

pub use ja::{detail, io_ja, serde_message_ja};
pub use workbook::WorkbookProblem;

use crate::diag::line_col;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Where in a file an error is, when it is about a file's content.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Place {
    #[default]
    Nowhere,
    File(PathBuf),
    At {
        path: PathBuf,
        line: usize,
        column: usize,
    },
}

impl fmt::Display for Place {
    /// `file:line:column: `, `file: ` or nothing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Nowhere => Ok(()),
            Place::File(p) => write!(f, "{}: ", p.display()),
            Place::At { path, line, column } => write!(f, "{}:{line}:{column}: ", path.display()),
        }
    }
}

/// A failure that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read (the file system said why).
    #[error("{}: 読み込めません（{}）", path.display(), io_ja(source))]
    Read { path: PathBuf, source: io::Error },
    /// A file or folder could not be written.
    #[error("{}: 書き込めません（{}）", path.display(), io_ja(source))]
    Write { path: PathBuf, source: io::Error },
    /// A file that another program holds open (on Windows: a workbook open in Excel), so kensa
    /// cannot replace it; nothing was changed.
    #[error("{}: 別のプログラム（Excel など）で開かれているため置き換えられません。そのプログラムでファイルを閉じてから、もう一度実行してください（ほかのファイルも含めて何も変更していません）", path.display())]
    InUse { path: PathBuf },
    /// A file kensa would have to overwrite, which it does not do unless told to.
    #[error("{}: 既に{what}があります。{hint}", path.display())]
    Exists { path: PathBuf, what: &'static str, hint: &'static str },
    /// Something wrong at a line and column of a text file.
    #[error("{}:{line}:{column}: {message}", path.display())]
    At { path: PathBuf, line: usize, column: usize, message: String },
    /// Something wrong with a file as a whole.
    #[error("{}: {message}", path.display())]
    File { path: PathBuf, message: String },
    /// Something wrong in a cell of a workbook.
    #[error("{}: {sheet}!{cell}: {message}", path.display())]
    Cell { path: PathBuf, sheet: String, cell: String, message: String },
    /// A checklist id that no embedded or user checklist has.
    #[error("{place}{}", unknown_checklist(id, known))]
    UnknownChecklist { id: String, known: Vec<String>, place: Place },
    /// A workbook kensa cannot read, or will not read.
    #[error("{}: {problem}", path.display())]
    Workbook { path: PathBuf, problem: WorkbookProblem },
    /// A report template that cannot be loaded or rendered; `message` says why in Japanese
    /// (Tera's own words kept as 詳細).
    #[error("{}: 報告書のテンプレートを{what}。{message}", path.display())]
    Template { path: PathBuf, what: &'static str, message: String },
    /// A date or time given on the command line that cannot be read.
    #[error("{option} の{message}")]
    Date { option: &'static str, message: String },
    /// A command-line value that cannot be used (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// An output kensa could not assemble (a defect, not the user's input).
    #[error("{what}を作成できません（詳細: {detail}）")]
    Build { what: &'static str, detail: String },
    /// A case folder another kensa is writing, still after waiting; `holder` describes it where
    /// it could be read.
    #[error("{}: この事案フォルダには別の kensa が書き込み中です（{}）。{waited} 秒待ちましたが終わらないため、中止しました（何も変更していません）。終わってから、もう一度実行してください", dir.display(), holder.as_deref().unwrap_or("どのコンピュータのどのコマンドかは分かりません"))]
    Locked { dir: PathBuf, holder: Option<String>, waited: u64 },
    /// A file another program changed between kensa's read and its write. `kept`: the write was
    /// made and what the other program wrote at that moment kept there; `None`: nothing
    /// written. `then` says what to do next (set by the command, [`Error::next_step`]).
    #[error("{}: {}", path.display(), changed(kept.as_deref(), then))]
    Changed { path: PathBuf, kept: Option<PathBuf>, then: String },
    /// Several errors reported together (all problems of one file at once).
    #[error("{0}")]
    Many(ErrorList),
}

/// The message for a checklist id that does not exist.
pub fn unknown_checklist(id: &str, known: &[String]) -> String {
    format!(
        "チェックリスト「{id}」はありません（使えるもの: {}）。自治体のチェックリストは --checklists でフォルダを指定してください",
        known.join("、")
    )
}

fn changed(kept: Option<&Path>, then: &str) -> String {
    match kept {
        None => format!(
            "kensa が読み込んだ後に、別のプログラム（エディタなど）がこのファイルを変更しました。その変更を消さないよう、書き込みをやめました（ファイルはその変更のままです）。{}",
            if then.is_empty() { "変更を確かめてから、もう一度実行してください" } else { then }
        ),
        Some(k) => format!(
            "kensa が書き込むのと同時に、別のプログラム（エディタなど）がこのファイルを変更しました。kensa の内容を書き込み、同時に書かれた内容は {} に保存しました。見比べて、必要な変更を移してください",
            k.display()
        ),
    }
}

/// Several errors reported together.
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
    pub fn workbook(path: &Path, problem: WorkbookProblem) -> Error {
        Error::Workbook { path: path.to_path_buf(), problem }
    }
    /// One error as it is, several as a list.
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(ErrorList(errors))
        }
    }
    /// The next step of a [`Error::Changed`] refused write, as the command tells it (what it
    /// kept, what to run again); other errors as they are.
    pub fn next_step(self, step: impl Into<String>) -> Error {
        match self {
            Error::Changed { path, kept, .. } => Error::Changed { path, kept, then: step.into() },
            e => e,
        }
    }
    /// Whether the error is the user's command line (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Usage(_) | Error::Date { .. })
    }
}

/// Turns a TOML or serde error into a Japanese message with line and column.
pub fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> Error {
    let (line, column, message) = toml_problem(text, e);
    Error::At { path: path.to_path_buf(), line, column, message }
}

/// The 1-based line and column of a TOML error in `text` and its Japanese message.
pub fn toml_problem(text: &str, e: &toml::de::Error) -> (usize, usize, String) {
    let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    // The parser says only "duplicate key"; its span is the key, so the message can name it.
    let key = e
        .span()
        .filter(|_| e.message().trim() == "duplicate key")
        .and_then(|s| text.get(s))
        .map(|k| k.trim().trim_matches(['"', '\'']).chars().take(60).collect::<String>());
    let message = match key {
        Some(k) if !k.is_empty() => serde_message_ja(&format!("duplicate key `{k}`")),
        _ => serde_message_ja(e.message()),
    };
    (line, column, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_named() {
        let text = "[facility]\nname = \"a\"\nkind = \"病院\"\nname = \"b\"\n";
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        let err = toml_error(Path::new("case.toml"), text, &e).to_string();
        assert_eq!(err, "case.toml:4:1: 項目「name」が二度書かれています");
    }
}
