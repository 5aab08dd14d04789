//! `kensa check`: finds errors and warnings in case folders, case files and checklist files.

use super::{outln, Cli};
use crate::case::store::{self, MAX_CASE_BYTES};
use crate::check::check_case;
use crate::checklist::{self, Registry, MAX_CHECKLIST_BYTES};
use crate::error::{read_text, Diagnostic, Error, Located, Severity, SourceMap};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 事案フォルダ、case.toml、またはチェックリストの TOML（複数可）
    #[arg(value_name = "パス", required = true)]
    pub paths: Vec<PathBuf>,
    /// 出力形式（json はスクリプト向け）
    #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "形式")]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

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
    let fail = |e: Error| -> Vec<Located> {
        match e {
            Error::At { path, line, column, message } => {
                vec![Located { file: path, line, column, diagnostic: Diagnostic::error("parse", "", message) }]
            }
            Error::Many(list) => list.0.into_iter().flat_map(fail_one).collect(),
            other => fail_one(other),
        }
    };
    match classify(path) {
        Err(e) => fail(e),
        Ok(Target::Checklist(p)) => reg.check_file(&p).unwrap_or_else(fail),
        Ok(Target::Guideline(p)) => match checklist::check_guideline_file(&p) {
            Ok(()) => Vec::new(),
            Err(e) => fail(e),
        },
        Ok(Target::Case(p)) => match store::load(&p) {
            Err(e) => fail(e),
            Ok(loaded) => {
                let map = SourceMap::new(&loaded.text);
                let mut diags = check_case(&loaded.case, reg);
                diags.extend(evidence_hashes(&loaded));
                diags.into_iter().map(|d| map.locate(&loaded.path, d)).collect()
            }
        },
    }
}

fn fail_one(e: Error) -> Vec<Located> {
    let (file, line, column, code, message) = match e {
        Error::At { path, line, column, message } => (path, line, column, "parse", message),
        Error::File { path, message } => (path, 0, 0, "file", message),
        Error::Read { ref path, ref source } => {
            (path.clone(), 0, 0, "file", format!("読み込めません（{}）", crate::error::io_ja(source)))
        }
        other => (PathBuf::new(), 0, 0, "file", other.to_string()),
    };
    vec![Located { file, line, column, diagnostic: Diagnostic::error(code, "", message) }]
}

/// Evidence files kept in the case folder must still have the recorded SHA-256.
fn evidence_hashes(loaded: &store::LoadedCase) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, e) in loaded.case.evidence.iter().enumerate() {
        if e.sha256.len() != 64 {
            continue;
        }
        let file = loaded.dir().join(&e.file);
        if !file.is_file() {
            continue; // kept outside the case folder (paper, or the facility's systems)
        }
        match sha256_file(&file) {
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

/// SHA-256 of a file, read in chunks.
pub fn sha256_file(path: &Path) -> Result<String, Error> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).map_err(|e| Error::read(path, e))?;
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

pub fn run(cli: &Cli, args: &CheckArgs) -> crate::Result<u8> {
    let reg = super::registry(cli)?;
    let mut all = Vec::new();
    for p in &args.paths {
        let mut found = check_path(&reg, p);
        found.sort_by_key(|d| (d.line, d.column));
        all.extend(found);
    }
    let errors = all.iter().filter(|d| d.diagnostic.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    match args.format {
        CheckFormat::Json => {
            let v = serde_json::json!({
                "files": args.paths,
                "errors": errors,
                "warnings": warnings,
                "diagnostics": all,
            });
            outln!("{}", serde_json::to_string_pretty(&v).map_err(|e| Error::Other(e.to_string()))?);
        }
        CheckFormat::Text => {
            for d in &all {
                outln!("{d}");
            }
            if all.is_empty() {
                outln!("問題は見つかりませんでした（{} 件を確認）", args.paths.len());
            } else {
                outln!("エラー {errors} 件、警告 {warnings} 件（{} 件を確認）", args.paths.len());
            }
        }
    }
    Ok(if errors > 0 {
        super::EXIT_FAILURE
    } else if warnings > 0 {
        super::EXIT_WARNINGS
    } else {
        super::EXIT_OK
    })
}
