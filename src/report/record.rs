//! What `kensa report` records of the reports it writes, for `kensa verify`:
//!
//! - `kensa-report.toml` beside the report: the case file it was made from (name, 事案ID,
//!   SHA-256 — the one printed in the report's closing text), the SHA-256 of each file written,
//!   and the evidence listed with its hash and state. Written with the report, all-or-nothing.
//! - `reports.toml` in the case folder: one entry per report written (the folder, relative to the
//!   case folder when inside it, the time, the case file's SHA-256), the newest last, the newest
//!   [`LOG_KEPT`] kept. `kensa verify` without `--report` checks the folder of the newest entry of
//!   its case file.

use super::{Rendered, Report};
use crate::case::store::LoadedCase;
use crate::error::{toml_error, Error, Result};
use crate::fs::read_text;
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The record written beside a report.
pub const RECORD_FILE: &str = "kensa-report.toml";
/// The list of reports written, in the case folder.
pub const LOG_FILE: &str = "reports.toml";
/// Entries `reports.toml` keeps.
pub const LOG_KEPT: usize = 50;
/// Version of the record's format.
pub const RECORD_FORMAT: u32 = 1;
/// Largest record or list kensa reads.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// `kensa-report.toml`. Read liberally: keys a later kensa adds are passed over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub format: u32,
    /// The version of kensa that wrote the report.
    pub kensa: String,
    /// The report's 作成日時 (`2025-11-01T10:00:00`, `--generated-at` or the time it was made).
    pub generated_at: String,
    pub case: CaseRecord,
    #[serde(default)]
    pub files: Vec<FileRecord>,
    #[serde(default)]
    pub evidence: Vec<EvidenceRecord>,
}

/// The case file a report was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseRecord {
    /// Its file name (`case.toml`).
    pub file: String,
    /// 事案ID.
    pub id: String,
    /// SHA-256 of the file as the report was made, as the report prints it.
    pub sha256: String,
}

/// A file of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileRecord {
    pub name: String,
    pub sha256: String,
}

/// An evidence record as the report listed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    pub id: String,
    pub file: String,
    #[serde(default)]
    pub sha256: String,
    /// 確認済み／変更あり／… when the report was made.
    pub state: String,
}

/// The record of a report about to be written.
pub fn record(report: &Report, files: &[Rendered]) -> ReportRecord {
    ReportRecord {
        format: RECORD_FORMAT,
        kensa: report.closing.version.to_string(),
        generated_at: report.closing.generated_at_value.format("%Y-%m-%dT%H:%M:%S").to_string(),
        case: CaseRecord {
            file: report.closing.case_file.raw.clone(),
            id: report.case_id.raw.clone(),
            sha256: report.closing.sha256.clone(),
        },
        files: files
            .iter()
            .map(|f| FileRecord {
                name: f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                sha256: crate::fs::sha256_hex(&f.bytes),
            })
            .collect(),
        evidence: report
            .evidence
            .iter()
            .map(|e| EvidenceRecord {
                id: e.id.raw.clone(),
                file: e.file.raw.clone(),
                sha256: e.sha256_value.clone(),
                state: e.state.to_string(),
            })
            .collect(),
    }
}

/// The text of `kensa-report.toml`.
pub fn to_text(r: &ReportRecord) -> Result<String> {
    let body = toml::to_string(r).map_err(|e| Error::Build { what: RECORD_FILE, detail: e.to_string() })?;
    Ok(format!(
        "# kensa report が報告書と同時に書いた記録です（元にした事案ファイルの SHA-256、各ファイルの SHA-256）。\n# kensa verify が読みます。書き換えないでください。\n\n{body}"
    ))
}

/// The record in a report folder; `None` where there is none.
pub fn read(dir: &Path) -> Result<Option<ReportRecord>> {
    let path = dir.join(RECORD_FILE);
    if !path.is_file() {
        return Ok(None);
    }
    let text = read_text(&path, MAX_BYTES)?;
    toml::from_str(&text).map(Some).map_err(|e| toml_error(&path, &text, &e))
}

/// The SHA-256 a report.md prints for its case file: the last `SHA-256` followed (after a
/// colon, a bracket or spaces) by 64 hexadecimal digits. For reports without a record.
pub fn printed_sha256(md: &str) -> Option<String> {
    md.rmatch_indices("SHA-256").find_map(|(i, m)| {
        let rest = md[i + m.len()..].trim_start_matches([':', '：', ' ', '　', '（', '(', '=']);
        let hex: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
        (hex.len() == 64).then(|| hex.to_ascii_lowercase())
    })
}

/// One report written, in `reports.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// The case file's name (several case files may share a folder).
    pub case_file: String,
    /// The report folder: relative to the case folder (with `/`) when inside it, else absolute.
    pub dir: String,
    /// When kensa wrote it (local time).
    pub written_at: String,
    /// The report's 作成日時.
    pub generated_at: String,
    pub case_sha256: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Log {
    #[serde(default)]
    reports: Vec<LogEntry>,
}

/// The path of `reports.toml` of a case.
pub fn log_path(loaded: &LoadedCase) -> PathBuf {
    loaded.dir().join(LOG_FILE)
}

fn case_file_name(loaded: &LoadedCase) -> String {
    loaded.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_log(path: &Path) -> Result<Option<Log>> {
    if !path.exists() {
        return Ok(None);
    }
    let text = read_text(path, MAX_BYTES)?;
    toml::from_str(&text).map(Some).map_err(|e| toml_error(path, &text, &e))
}

/// Adds the report written to `out_dir` to the case's `reports.toml` (written atomically; a list
/// kensa cannot read is kept in `backup/` and started anew), holding the case folder's lock from
/// the read of the list to its write.
pub fn note_written(loaded: &LoadedCase, out_dir: &Path, r: &ReportRecord) -> Result<PathBuf> {
    let _lock = crate::fs::lock_folder(loaded.dir(), "report")?;
    let path = log_path(loaded);
    let (mut log, unreadable) = match read_log(&path) {
        Ok(log) => (log.unwrap_or_default(), false),
        Err(_) => (Log::default(), true),
    };
    let now = chrono::Local::now().naive_local();
    log.reports.push(LogEntry {
        case_file: case_file_name(loaded),
        dir: relative_or_absolute(loaded.dir(), out_dir),
        written_at: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        generated_at: r.generated_at.clone(),
        case_sha256: r.case.sha256.clone(),
    });
    let surplus = log.reports.len().saturating_sub(LOG_KEPT);
    log.reports.drain(..surplus);
    let body = toml::to_string(&log).map_err(|e| Error::Build { what: LOG_FILE, detail: e.to_string() })?;
    let text = format!(
        "# kensa report が報告書を書き出した記録です（新しいものが最後）。kensa verify は既定でいちばん新しい報告書を確かめます。\n\n{body}"
    );
    if unreadable {
        crate::fs::replace_keeping_backups(&path, text.as_bytes())?;
    } else {
        crate::fs::write_atomic(&path, text.as_bytes())?;
    }
    Ok(path)
}

/// Why a file kensa is about to write in a report folder is not its own to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotOurs {
    /// No record of kensa's in the folder names it (a file of someone's, or a report of a kensa
    /// that kept no record).
    NotKensa,
    /// kensa wrote it, and it was changed since (edited by hand before sending).
    Edited,
    /// kensa wrote it for another case (事案ID).
    OtherCase(String),
    /// The folder's record cannot be read.
    Unreadable(String),
}

/// The files among `names` in the report folder `dir` that a report of the case `case_id` may
/// not replace without `--force`: each existing one must be listed in the folder's record (the
/// record itself included) as written for this case, and unchanged since.
pub fn not_ours(dir: &Path, case_id: &str, names: &[String]) -> Vec<(PathBuf, NotOurs)> {
    let existing: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).filter(|p| p.exists()).collect();
    if existing.is_empty() {
        return Vec::new();
    }
    let rec = match read(dir) {
        Ok(r) => r,
        Err(e) => return existing.into_iter().map(|p| (p, NotOurs::Unreadable(e.to_string()))).collect(),
    };
    let Some(rec) = rec else { return existing.into_iter().map(|p| (p, NotOurs::NotKensa)).collect() };
    if rec.case.id != case_id {
        return existing.into_iter().map(|p| (p, NotOurs::OtherCase(rec.case.id.clone()))).collect();
    }
    let mut out = Vec::new();
    for path in existing {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name == RECORD_FILE {
            continue;
        }
        match rec.files.iter().find(|f| f.name == name) {
            None => out.push((path, NotOurs::NotKensa)),
            Some(f) => match crate::fs::sha256_file(&path) {
                Ok(h) if h.eq_ignore_ascii_case(&f.sha256) => {}
                Ok(_) => out.push((path, NotOurs::Edited)),
                // Not readable now (on Windows, open in Excel without sharing): the write itself
                // then fails on it, naming the program that holds it, and changes nothing.
                Err(_) => {}
            },
        }
    }
    out
}

/// The newest entry of `reports.toml` for this case file whose report folder is `dir`.
pub fn entry_for(loaded: &LoadedCase, dir: &Path) -> Option<LogEntry> {
    let log = read_log(&log_path(loaded)).ok()??;
    let name = case_file_name(loaded);
    let want = relative_or_absolute(loaded.dir(), dir);
    log.reports.into_iter().rev().find(|e| e.case_file == name && e.dir == want)
}

/// The folder of the newest report of this case file in `reports.toml`; `None` when none is listed.
pub fn last_dir(loaded: &LoadedCase) -> Result<Option<PathBuf>> {
    let Some(log) = read_log(&log_path(loaded))? else { return Ok(None) };
    let name = case_file_name(loaded);
    Ok(log.reports.iter().rev().find(|e| e.case_file == name).map(|e| {
        let p = Path::new(&e.dir);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            loaded.dir().join(p)
        }
    }))
}

/// `out` relative to `base` with `/` where it lies inside `base` (both made absolute, not
/// resolving links), else `out` as an absolute path.
fn relative_or_absolute(base: &Path, out: &Path) -> String {
    let base = if base.as_os_str().is_empty() { Path::new(".") } else { base };
    let (Ok(b), Ok(o)) = (std::path::absolute(base), std::path::absolute(out)) else {
        return out.to_string_lossy().into_owned();
    };
    let (b, o) = (normalize(&b), normalize(&o));
    match o.strip_prefix(&b) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        Err(_) => o.to_string_lossy().into_owned(),
    }
}

/// An absolute path without `.` and `..` parts (taken lexically).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_hash_is_found() {
        let h = "ab".repeat(32);
        let md = format!(
            "| ID | SHA-256 | 状態 |\n| E1 | {} | 確認済み |\n\n本報告書は、事案ファイル case.toml（SHA-256: {h}）から作成しました。\n",
            "cd".repeat(32)
        );
        assert_eq!(printed_sha256(&md), Some(h.clone()));
        assert_eq!(printed_sha256(&format!("SHA-256：{}", h.to_uppercase())), Some(h));
        assert_eq!(printed_sha256("SHA-256: abc"), None);
        assert_eq!(printed_sha256("なし"), None);
    }

    #[test]
    fn records_read_back() {
        let r = ReportRecord {
            format: RECORD_FORMAT,
            kensa: "0.1.0".into(),
            generated_at: "2025-11-01T10:00:00".into(),
            case: CaseRecord { file: "case.toml".into(), id: "2025-定期-\"1\"".into(), sha256: "ab".repeat(32) },
            files: vec![FileRecord { name: "report.md".into(), sha256: "cd".repeat(32) }],
            evidence: vec![EvidenceRecord {
                id: "E1".into(),
                file: "evidence/a\nb.txt".into(),
                sha256: String::new(),
                state: "ハッシュなし".into(),
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join(RECORD_FILE), to_text(&r).unwrap()).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(r));
        std::fs::write(dir.path().join(RECORD_FILE), "format = \"x\"").unwrap();
        assert!(read(dir.path()).is_err());
    }

    #[test]
    fn report_folders_are_recorded_relative_to_the_case_when_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let case = tmp.path().join("case");
        assert_eq!(relative_or_absolute(&case, &case.join("report")), "report");
        assert_eq!(relative_or_absolute(&case, &case.join("a/../out/./r")), "out/r");
        assert_eq!(relative_or_absolute(&case, &case), ".");
        let other = tmp.path().join("報告書");
        assert_eq!(relative_or_absolute(&case, &other), other.to_string_lossy());
    }
}
