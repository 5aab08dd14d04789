//! `kensa verify`: whether the evidence files of a case are what case.toml records (re-hashed
//! one by one; missing, changed, outside the case folder, unreadable, or in `evidence/` without a
//! record), and whether a report still matches its case: case.toml has the SHA-256 the report
//! printed (read from the report's record, [`crate::report::record`], or from report.md) and
//! the report's files are as kensa wrote them.

use crate::assess::evidence::{self as facts, EvidenceState};
use crate::case::store::LoadedCase;
use crate::report::record::{self, ReportRecord, RECORD_FILE};
use crate::report::MD_FILE;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A difference between what is recorded and what is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `evidence-changed`, `report-mismatch`, …
    pub code: &'static str,
    /// A short Japanese label (変更あり, ファイルなし, …).
    pub label: &'static str,
    /// The file the finding is about.
    pub file: PathBuf,
    pub message: String,
}

impl Finding {
    fn new(code: &'static str, label: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Finding {
        Finding { code, label, file: file.into(), message: message.into() }
    }
}

impl std::fmt::Display for Finding {
    /// `file: label[code]: message`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}[{}]: {}", self.file.display(), self.label, self.code, self.message)
    }
}

/// Which report a case is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportChoice {
    /// The newest report written for the case (`reports.toml`; else `report/` in the case folder,
    /// where there is a report); none when kensa has written none.
    Last,
    /// This report folder.
    Dir(PathBuf),
}

/// The report a case was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportChecked {
    pub dir: PathBuf,
    /// Where the case file's SHA-256 was read: `kensa-report.toml` or `report.md`.
    pub from: &'static str,
    /// The SHA-256 the report gives for its case file.
    pub case_sha256: String,
}

/// What verifying one case found.
#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub case: PathBuf,
    /// SHA-256 of case.toml now.
    pub case_sha256: String,
    /// Evidence records whose files were hashed.
    pub evidence_checked: usize,
    pub report: Option<ReportChecked>,
    pub findings: Vec<Finding>,
    /// What was not checked and why (no hash recorded, no report).
    pub notes: Vec<String>,
}

/// Verifies a case's evidence files and, as chosen, a report of it.
pub fn verify(loaded: &LoadedCase, report: &ReportChoice) -> Verified {
    let mut v = Verified {
        case: loaded.path.clone(),
        case_sha256: loaded.sha256(),
        evidence_checked: 0,
        report: None,
        findings: Vec::new(),
        notes: Vec::new(),
    };
    evidence(loaded, &mut v);
    match report {
        ReportChoice::Dir(dir) => against_report(loaded, dir, &mut v),
        ReportChoice::Last => match last_report(loaded) {
            Ok(Some(dir)) if dir.is_dir() => against_report(loaded, &dir, &mut v),
            Ok(Some(dir)) => v.notes.push(format!(
                "最後に作成した報告書のフォルダ {} がありません。報告書との照合はしていません（移した場合は --report で指定してください）",
                dir.display()
            )),
            Ok(None) => v.notes.push(
                "kensa report で作成した報告書の記録がないため、報告書との照合はしていません（--report で報告書のフォルダを指定できます）"
                    .into(),
            ),
            Err(e) => v.findings.push(Finding::new("report-log", "読めません", record::log_path(loaded), e.to_string())),
        },
    }
    v
}

/// The folder of the newest report of a case: the newest entry of `reports.toml`, else the
/// default folder `report/` where it holds a report made before kensa kept the list.
fn last_report(loaded: &LoadedCase) -> crate::Result<Option<PathBuf>> {
    if let Some(dir) = record::last_dir(loaded)? {
        return Ok(Some(dir));
    }
    let dir = crate::report::default_out_dir(loaded);
    Ok((dir.join(RECORD_FILE).is_file() || dir.join(MD_FILE).is_file()).then_some(dir))
}

/// Every evidence record's file re-hashed, and the files in `evidence/` no record names.
fn evidence(loaded: &LoadedCase, v: &mut Verified) {
    let dir = loaded.dir();
    for e in &loaded.case.evidence {
        let st = facts::state(dir, e);
        let file = match facts::inside(dir, &e.file) {
            Some(p) if st != EvidenceState::Outside => p,
            _ => PathBuf::from(&e.file),
        };
        if matches!(
            st,
            EvidenceState::Intact
                | EvidenceState::Changed { .. }
                | EvidenceState::Missing
                | EvidenceState::Unreadable { .. }
        ) {
            v.evidence_checked += 1;
        }
        let (id, label) = (&e.id, st.label());
        let f = match st {
            EvidenceState::Intact => continue,
            EvidenceState::NotHashed => {
                v.notes.push(format!("証跡「{id}」（{}）は SHA-256 が記録されていないため、確かめていません", e.file));
                continue;
            }
            EvidenceState::Changed { now } => Finding::new(
                "evidence-changed",
                label,
                file,
                format!(
                    "証跡「{id}」の SHA-256 が記録と違います（記録 {}、現在 {now}）",
                    e.sha256.to_ascii_lowercase()
                ),
            ),
            EvidenceState::Missing => {
                Finding::new("evidence-missing", label, file, format!("証跡「{id}」のファイルがありません"))
            }
            EvidenceState::Outside => Finding::new(
                "evidence-outside",
                label,
                file,
                format!("証跡「{id}」のファイルは事案フォルダの外を指しています"),
            ),
            EvidenceState::Unreadable { reason } => Finding::new(
                "evidence-unreadable",
                label,
                file,
                format!("証跡「{id}」のファイルを読めません（{reason}）"),
            ),
            EvidenceState::Malformed => Finding::new(
                "evidence-hash",
                label,
                file,
                format!("証跡「{id}」の SHA-256「{}」は16進64桁ではないため、確かめられません", e.sha256),
            ),
        };
        v.findings.push(f);
    }
    for f in facts::unrecorded(dir, &loaded.case) {
        v.findings.push(Finding::new(
            "evidence-unrecorded",
            "記録なし",
            dir.join(&f),
            "証跡のフォルダにありますが、[[evidence]] に記録がありません（kensa evidence add で記録できます）",
        ));
    }
}

/// Checks the case against the report in `dir`: its record if there is one, else report.md.
fn against_report(loaded: &LoadedCase, dir: &Path, v: &mut Verified) {
    if !dir.is_dir() {
        v.findings.push(Finding::new("report-missing", "報告書なし", dir, "報告書のフォルダがありません"));
        return;
    }
    let rec = match record::read(dir) {
        Ok(r) => r,
        Err(e) => {
            v.findings.push(Finding::new("report-record", "読めません", dir.join(RECORD_FILE), e.to_string()));
            return;
        }
    };
    match rec {
        Some(rec) => against_record(loaded, dir, &rec, v),
        None => against_md(loaded, dir, v),
    }
}

fn against_record(loaded: &LoadedCase, dir: &Path, rec: &ReportRecord, v: &mut Verified) {
    let record_path = dir.join(RECORD_FILE);
    v.report = Some(ReportChecked { dir: dir.to_path_buf(), from: RECORD_FILE, case_sha256: rec.case.sha256.clone() });
    // What the case's own list (`reports.toml`) says was written to this folder, and whether the
    // case file is still as it was then: tells a report replaced from the case changed.
    let now = loaded.sha256();
    let entry = record::entry_for(loaded, dir);
    let unchanged_since = entry.as_ref().map(|e| e.case_sha256.eq_ignore_ascii_case(&now));
    if rec.case.id != loaded.case.case_id {
        let (replaced, case) = match unchanged_since {
            Some(true) => (
                "この事案の報告書が、別の事案の報告書で置き換えられています。",
                "事案ファイルは、この事案の報告書をここに作成した時から変わっていません",
            ),
            Some(false) => (
                "この事案の報告書が、別の事案の報告書で置き換えられています。",
                "なお事案ファイルも、この事案の報告書をここに作成した時から変わっています",
            ),
            None => ("", "事案ファイルとの照合はしていません"),
        };
        v.findings.push(Finding::new(
            "report-other-case",
            "別の事案の報告書",
            &record_path,
            format!(
                "このフォルダの報告書は事案「{}」（{}）から作成したもので、事案「{}」のものではありません。{replaced}{case}",
                rec.case.id, rec.case.file, loaded.case.case_id
            ),
        ));
        // The files are the other case's report: nothing of this case to compare them with.
        return;
    }
    match &entry {
        // The case is as this folder's report of it was made from, but the folder now holds a
        // report made later from another case file with the same 事案ID (a copy of the case).
        Some(e) if unchanged_since == Some(true) && !e.case_sha256.eq_ignore_ascii_case(&rec.case.sha256) => {
            v.findings.push(Finding::new(
                "report-replaced",
                "報告書の置き換え",
                &record_path,
                format!(
                    "このフォルダの報告書は、この事案ファイルから作成した後に、同じ事案ID の別の事案ファイル（SHA-256 {}）から作り直されています。事案ファイルは、報告書をここに作成した時（{}）から変わっていません",
                    rec.case.sha256.to_ascii_lowercase(),
                    e.written_at
                ),
            ));
        }
        _ => case_hash(loaded, dir, &rec.case.sha256, v),
    }
    for f in &rec.files {
        // A name in the record is only ever a file of this folder.
        let name = Path::new(&f.name);
        if name.components().count() != 1 || !matches!(name.components().next(), Some(std::path::Component::Normal(_)))
        {
            v.findings.push(Finding::new(
                "report-record",
                "記録の誤り",
                &record_path,
                format!("報告書のファイル名「{}」が正しくありません", f.name),
            ));
            continue;
        }
        let path = dir.join(name);
        if !path.is_file() {
            v.findings.push(Finding::new(
                "report-file-missing",
                "ファイルなし",
                &path,
                "kensa が作成した報告書のファイルがありません",
            ));
            continue;
        }
        match crate::fs::sha256_file(&path) {
            Ok(h) if h.eq_ignore_ascii_case(&f.sha256) => {}
            Ok(h) => v.findings.push(Finding::new(
                "report-file-changed",
                "報告書の変更",
                &path,
                format!("kensa が作成した後に変更されています（作成時 {}、現在 {h}）", f.sha256),
            )),
            Err(e) => v.findings.push(Finding::new("report-file-unreadable", "読めません", &path, e.to_string())),
        }
    }
}

fn against_md(loaded: &LoadedCase, dir: &Path, v: &mut Verified) {
    let md = dir.join(MD_FILE);
    let printed = match crate::fs::read_text(&md, 64 * 1024 * 1024) {
        Ok(text) => record::printed_sha256(&text),
        Err(_) => None,
    };
    let Some(printed) = printed else {
        v.findings.push(Finding::new(
            "report-no-record",
            "記録なし",
            dir,
            format!("報告書の記録（{RECORD_FILE}）も、{MD_FILE} に印字された事案ファイルの SHA-256 も見つかりません"),
        ));
        return;
    };
    v.report = Some(ReportChecked { dir: dir.to_path_buf(), from: MD_FILE, case_sha256: printed.clone() });
    case_hash(loaded, dir, &printed, v);
}

/// The case file has the SHA-256 the report gives.
fn case_hash(loaded: &LoadedCase, dir: &Path, expected: &str, v: &mut Verified) {
    let now = loaded.sha256();
    if !now.eq_ignore_ascii_case(expected) {
        v.findings.push(Finding::new(
            "report-mismatch",
            "報告書と不一致",
            &loaded.path,
            format!(
                "事案ファイルの内容が、報告書（{}）を作成した時と違います（報告書に記載の SHA-256 {}、現在 {now}）",
                dir.display(),
                expected.to_ascii_lowercase(),
            ),
        ));
    }
}
