//! Checking a path as `kensa check` is given it: a case folder, a case file, a checklist file or
//! a guideline section list. Every failure becomes a located finding, never an early stop.

use super::{check_case, Context};
use crate::assess::evidence::{self, EvidenceState};
use crate::case::store::{self, LoadedCase, MAX_CASE_BYTES};
use crate::checklist::registry::MAX_CHECKLIST_BYTES;
use crate::checklist::{self, Registry};
use crate::diag::{Diagnostic, Located, SourceMap};
use crate::error::Error;
use crate::fs::read_text;
use std::path::{Path, PathBuf};

/// What kind of file a path holds.
enum Target {
    Case(PathBuf),
    Checklist(PathBuf),
    Guideline(PathBuf),
    Editions(PathBuf),
}

fn classify(path: &Path) -> Result<Target, Error> {
    if path.is_dir() {
        let f = path.join(store::CASE_FILE);
        if f.is_file() {
            return Ok(Target::Case(f));
        }
        return Err(Error::file(path, "このフォルダには case.toml がありません"));
    }
    if !path.exists() {
        return Err(Error::file(path, "ファイルまたはフォルダがありません"));
    }
    let text = read_text(path, MAX_CASE_BYTES.max(MAX_CHECKLIST_BYTES))?;
    // A checklist has top-level `items` and `kind`; anything else is taken as a case.
    let table = text.parse::<toml::Table>().unwrap_or_default();
    let p = path.to_path_buf();
    Ok(if table.contains_key("items") && table.contains_key("kind") && !table.contains_key("case_id") {
        Target::Checklist(p)
    } else if table.contains_key("guideline") && (table.contains_key("sections") || table.contains_key("editions")) {
        Target::Guideline(p)
    } else if table.contains_key("editions") && !table.contains_key("case_id") {
        Target::Editions(p)
    } else {
        Target::Case(p)
    })
}

/// Checks one path and returns its located findings.
pub fn check_path(reg: &Registry, path: &Path, ctx: &Context) -> Vec<Located> {
    match classify(path) {
        Err(e) => failed(e),
        Ok(Target::Checklist(p)) => reg.check_file(&p).unwrap_or_else(failed),
        Ok(Target::Guideline(p)) => match checklist::check_guideline_file(&p) {
            Ok(()) => Vec::new(),
            Err(e) => failed(e),
        },
        Ok(Target::Editions(p)) => match checklist::registry::check_editions_file(&p) {
            Ok(()) => Vec::new(),
            Err(e) => failed(e),
        },
        Ok(Target::Case(p)) => match store::load(&p) {
            Err(e) => failed(e),
            Ok(loaded) => {
                let map = SourceMap::new(&loaded.text);
                let mut diags = check_case(&loaded.case, reg, ctx);
                diags.extend(evidence_files(&loaded));
                diags.into_iter().map(|d| map.locate(&loaded.path, d)).collect()
            }
        },
    }
}

/// An error that stopped reading a file, as findings.
fn failed(e: Error) -> Vec<Located> {
    match e {
        Error::Many(list) => list.0.into_iter().flat_map(failed).collect(),
        Error::At { path, line, column, message } => {
            vec![Located { file: path, line, column, diagnostic: Diagnostic::error("parse", "", message) }]
        }
        Error::File { path, message } => {
            vec![Located { file: path, line: 0, column: 0, diagnostic: Diagnostic::error("file", "", message) }]
        }
        Error::Read { ref path, ref source } => vec![Located {
            file: path.clone(),
            line: 0,
            column: 0,
            diagnostic: Diagnostic::error("file", "", format!("読み込めません（{}）", crate::error::io_ja(source))),
        }],
        other => vec![Located {
            file: PathBuf::new(),
            line: 0,
            column: 0,
            diagnostic: Diagnostic::error("file", "", other.to_string()),
        }],
    }
}

/// Evidence files: every hashed file is in the case folder with its recorded SHA-256.
fn evidence_files(loaded: &LoadedCase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, (e, st)) in loaded.case.evidence.iter().zip(evidence::states(loaded.dir(), &loaded.case)).enumerate() {
        let d = match st {
            // A malformed hash is the `evidence-hash` rule's (check::records).
            EvidenceState::Intact | EvidenceState::NotHashed | EvidenceState::Malformed => continue,
            EvidenceState::Changed { now } => Diagnostic::error(
                "evidence-hash-mismatch",
                format!("evidence.{i}.sha256"),
                format!("証跡「{}」（{}）の SHA-256 が記録と違います（記録 {}…、現在 {}…）。ファイルが変更された可能性があります", e.id, e.file, &e.sha256[..12], &now[..12]),
            ),
            EvidenceState::Missing => Diagnostic::error(
                "evidence-missing",
                format!("evidence.{i}.file"),
                format!("証跡「{}」のファイル「{}」が事案フォルダにありません（SHA-256 が記録されています）。ファイルを戻すか、記録を直してください", e.id, e.file),
            ),
            // A name that leaves the folder is the `evidence-path` rule's (check::records); here
            // what is left is a link pointing out. The file is never read.
            EvidenceState::Outside if super::records::leaves_case_folder(&e.file) => continue,
            EvidenceState::Outside => Diagnostic::error(
                "evidence-path",
                format!("evidence.{i}.file"),
                format!(
                    "証跡「{}」のファイル「{}」は事案フォルダの外のファイルへのリンクです。リンクではなくファイルそのものを事案フォルダに置いてください",
                    e.id,
                    crate::text::visible(&e.file)
                ),
            ),
            EvidenceState::Unreadable { reason } => {
                Diagnostic::warning("evidence-unreadable", format!("evidence.{i}.file"), reason)
            }
        };
        out.push(d);
    }
    out
}
