//! The one harness of the integration tests: run the real `kensa` binary (in a folder of one's
//! choice), copies of samples and fixtures in temporary folders, and the shared fixtures.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

/// The valid incident case that many tests break in one place.
pub const INCIDENT: &str = include_str!("../fixtures/cases/incident-basic/case.toml");

/// What a run of `kensa` printed and how it ended.
pub struct Run {
    pub status: ExitStatus,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Both outputs, for assertion messages.
    pub fn all(&self) -> String {
        format!("stdout:\n{}\nstderr:\n{}", self.stdout, self.stderr)
    }
    /// Panics unless the run ended with exit code 0.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "{}", self.all());
        self
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs kensa in `dir` with the given arguments (no checklist folder from the environment).
pub fn kensa_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .current_dir(dir)
        .env_remove("KENSA_CHECKLISTS")
        .output()
        .expect("kensa runs");
    Run {
        status: out.status,
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Paths in kensa's output compared as paths with expectations written with `/`: on Windows,
/// where kensa prints them with `\`, the `\` between two parts of a path (`case\case.toml`)
/// becomes `/`; a `\` that is no separator stays (Markdown's `\-`, a shown control character
/// `\u{1b}`). Elsewhere the text as it is.
pub fn slashes(text: &str) -> String {
    if cfg!(windows) {
        separators_as_slashes(text)
    } else {
        text.to_string()
    }
}

/// [`slashes`] on any platform.
fn separators_as_slashes(text: &str) -> String {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '~'));
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = next == Some('u') && chars.get(i + 2) == Some(&'{');
        // Markdown escapes `\-`, `\.` and `\_`: no part of a path starts so here.
        let first = next.is_some_and(|c| !matches!(c, '-' | '.' | '_'));
        out.push(if c == '\\' && part(prev) && part(next) && first && !escape { '/' } else { c });
    }
    out
}

/// Runs kensa in the repository root.
pub fn kensa<S: AsRef<OsStr>>(args: &[S]) -> Run {
    kensa_in(&root(), args)
}

/// Files that kensa writes into a case folder when a user runs it on the samples (the
/// README's first command writes `reports.toml` there) and that the repository does not ship
/// (.gitignore): left out of copies of `samples/`, so that a test starts from the samples as
/// shipped.
const NOT_SHIPPED: [&str; 2] = ["reports.toml", "backup"];

/// Copies a folder tree; from the repository's `samples/`, without what [`NOT_SHIPPED`] names.
pub fn copy_dir(from: &Path, to: &Path) {
    let shipped_only = from.starts_with(root().join("samples"));
    let walk = walkdir::WalkDir::new(from).into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        !shipped_only || e.depth() == 0 || !(NOT_SHIPPED.contains(&name.as_ref()) || name.ends_with(".tmp"))
    });
    for entry in walk {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Writes `dir/case/case.toml` and returns the case folder.
pub fn write_case(dir: &Path, text: &str) -> PathBuf {
    let case = dir.join("case");
    std::fs::create_dir_all(&case).unwrap();
    std::fs::write(case.join("case.toml"), text).unwrap();
    case
}

/// The sample case folders, sorted.
pub fn samples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("samples"))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.join("case.toml").is_file()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// A temporary copy of a sample (or fixture) folder, so that the repository is never written.
pub struct TempCase {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
}

impl TempCase {
    /// A copy of a folder of the repository (`samples/…`, `tests/fixtures/cases/…`).
    pub fn copy(rel: &str) -> TempCase {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("case");
        copy_dir(&root().join(rel), &dir);
        TempCase { _tmp: tmp, dir }
    }

    pub fn sample(name: &str) -> TempCase {
        TempCase::copy(&format!("samples/{name}"))
    }

    /// The folder holding the case folder (where relative paths start).
    pub fn parent(&self) -> &Path {
        self.dir.parent().unwrap()
    }
}

/// A test that needs another program (DuckDB, openpyxl, LibreOffice, unshare, strace) found it
/// missing. Under `KENSA_REQUIRE_TOOLS=1` (`.ci/run` installs them and sets it) the test fails,
/// so CI is never green with it unrun; elsewhere it says plainly on stderr that it did not run,
/// and the caller returns.
pub fn tool_missing(why: &str) {
    if std::env::var_os("KENSA_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("{why}: KENSA_REQUIRE_TOOLS=1 のため、このテストは失敗とします");
    }
    eprintln!("このテストは実行していません: {why}（KENSA_REQUIRE_TOOLS=1 なら失敗します）");
}

#[test]
fn windows_separators_are_compared_as_slashes() {
    let shown = r"エラー: samples\broken\case.toml:2:10: 「a\u{1b}b」 | samples\\routine\-hospital | 2025\みなと中央病院\case.toml | case\.toml";
    let want = r"エラー: samples/broken/case.toml:2:10: 「a\u{1b}b」 | samples\\routine\-hospital | 2025/みなと中央病院/case.toml | case\.toml";
    assert_eq!(separators_as_slashes(shown), want);
}

/// A cell of a workbook read back with calamine, as text: whole numbers without a decimal point.
pub fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}
