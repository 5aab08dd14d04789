//! Checking a path as `kensa check` is given it: a case folder, a case file, a checklist file or
//! a guideline section list. Every failure becomes a located finding, never an early stop.

use super::check_case;
use crate::case::store::{self, LoadedCase, MAX_CASE_BYTES};
use crate::checklist::registry::MAX_CHECKLIST_BYTES;
use crate::checklist::{self, Registry};
use crate::diag::{Diagnostic, Located, SourceMap};
use crate::error::{read_text, Error};
use std::path::{Path, PathBuf};

/// What kind of file a path holds.
enum Target {
    Case(PathBuf),
    Checklist(PathBuf),
    Guideline(PathBuf),
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
    } else if table.contains_key("guideline") && table.contains_key("sections") {
        Target::Guideline(p)
    } else {
        Target::Case(p)
    })
}

/// Checks one path and returns its located findings.
pub fn check_path(reg: &Registry, path: &Path) -> Vec<Located> {
    match classify(path) {
        Err(e) => failed(e),
        Ok(Target::Checklist(p)) => reg.check_file(&p).unwrap_or_else(failed),
        Ok(Target::Guideline(p)) => match checklist::check_guideline_file(&p) {
            Ok(()) => Vec::new(),
            Err(e) => failed(e),
        },
        Ok(Target::Case(p)) => match store::load(&p) {
            Err(e) => failed(e),
            Ok(loaded) => {
                let map = SourceMap::new(&loaded.text);
                let mut diags = check_case(&loaded.case, reg);
                diags.extend(evidence_hashes(&loaded));
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

/// Evidence files kept in the case folder must still have the recorded SHA-256. A file whose
/// name or link leads out of the case folder is never read.
fn evidence_hashes(loaded: &LoadedCase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let dir = std::fs::canonicalize(loaded.dir()).ok();
    for (i, e) in loaded.case.evidence.iter().enumerate() {
        if super::records::leaves_case_folder(&e.file) {
            continue; // an error of its own (evidence-path)
        }
        if !(e.sha256.len() == 64 && e.sha256.chars().all(|c| c.is_ascii_hexdigit())) {
            continue; // a malformed hash is an error of its own (evidence-hash)
        }
        let file = loaded.dir().join(&e.file);
        if !file.is_file() {
            continue; // kept outside the case folder (paper, or the facility's systems)
        }
        let real = std::fs::canonicalize(&file).ok();
        if !matches!((&dir, &real), (Some(d), Some(r)) if r.starts_with(d)) {
            out.push(Diagnostic::error(
                "evidence-path",
                format!("evidence.{i}.file"),
                format!(
                    "証跡「{}」のファイル「{}」は事案フォルダの外のファイルへのリンクです。リンクではなくファイルそのものを事案フォルダに置いてください",
                    e.id,
                    crate::text::visible(&e.file)
                ),
            ));
            continue;
        }
        match crate::fs::sha256_file(&file) {
            Ok(h) if h.eq_ignore_ascii_case(&e.sha256) => {}
            Ok(h) => out.push(Diagnostic::error(
                "evidence-hash-mismatch",
                format!("evidence.{i}.sha256"),
                format!("証跡「{}」（{}）の SHA-256 が記録と違います（記録 {}…、現在 {}…）。ファイルが変更された可能性があります", e.id, e.file, &e.sha256[..12], &h[..12]),
            )),
            Err(err) => out.push(Diagnostic::warning("evidence-unreadable", format!("evidence.{i}.file"), err.to_string())),
        }
    }
    out
}
