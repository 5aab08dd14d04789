//! Every input of the saved fuzz corpora (`fuzz/corpus/<target>/`) and every input that once
//! made a fuzz target fail (`tests/corpus/fuzz-regressions/<target>/`), replayed through the same
//! functions as the fuzz targets (`fuzz/src/lib.rs`, included here), so that a machine with stable
//! Rust only still runs them.

#[allow(dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod targets;

use crate::harness::root;
use std::path::PathBuf;

/// The saved inputs of one target, sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [root().join("fuzz/corpus").join(target), root().join("tests/corpus/fuzz-regressions").join(target)] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            out.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()));
        }
    }
    out.sort();
    out
}

/// Runs every saved input of a target; a panic names the input that caused it.
fn replay(target: &str, run: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "fuzz/corpus/{target} に入力がありません");
    let mut failed = Vec::new();
    for f in &files {
        let data = std::fs::read(f).unwrap();
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(f.strip_prefix(root()).unwrap_or(f).display().to_string());
        }
    }
    assert!(failed.is_empty(), "{target}: {} / {} 件で失敗: {failed:?}", failed.len(), files.len());
}

#[test]
fn case_toml() {
    replay("case_toml", targets::case_toml);
}

#[test]
fn checklist_toml() {
    replay("checklist_toml", targets::checklist_toml);
}

#[test]
fn wareki_date() {
    replay("wareki_date", targets::wareki_date);
}

#[test]
fn workbook() {
    replay("workbook", targets::workbook);
}
