//! The state of each evidence file of a case: present with the recorded SHA-256, changed,
//! missing, outside the case folder, or unreadable. `check`, `verify` and the reports read it.

use crate::case::{Case, Evidence};
use std::path::{Component, Path, PathBuf};

/// What is true of one evidence record's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceState {
    /// The file is in the case folder with the recorded hash.
    Intact,
    /// No hash is recorded (paper, or kept in the facility's systems): nothing to verify.
    NotHashed,
    /// The file's hash differs from the record.
    Changed { now: String },
    /// A hash is recorded but the file is not there.
    Missing,
    /// The path leaves the case folder (`..`, an absolute path, or a link pointing out).
    Outside,
    /// The file could not be read.
    Unreadable { reason: String },
}

impl EvidenceState {
    /// Whether the state is a fault (the report cannot vouch for the file).
    pub fn is_fault(&self) -> bool {
        !matches!(self, EvidenceState::Intact | EvidenceState::NotHashed)
    }
    /// A short Japanese label for reports.
    pub fn label(&self) -> &'static str {
        match self {
            EvidenceState::Intact => "確認済み",
            EvidenceState::NotHashed => "ハッシュなし",
            EvidenceState::Changed { .. } => "変更あり",
            EvidenceState::Missing => "ファイルなし",
            EvidenceState::Outside => "事案フォルダ外",
            EvidenceState::Unreadable { .. } => "読めません",
        }
    }
}

/// Whether a recorded SHA-256 has the form of one (64 hexadecimal digits).
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit())
}

/// The path of an evidence file inside the case folder, or `None` where the recorded path
/// leaves it (absolute, or with `..`).
pub fn inside(case_dir: &Path, file: &str) -> Option<PathBuf> {
    let rel = Path::new(file);
    if file.trim().is_empty() || rel.is_absolute() {
        return None;
    }
    let mut out = case_dir.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The state of one evidence record, reading its file under `case_dir`.
pub fn state(case_dir: &Path, e: &Evidence) -> EvidenceState {
    let Some(path) = inside(case_dir, &e.file) else { return EvidenceState::Outside };
    // A link that resolves outside the case folder is outside too.
    if let (Ok(real), Ok(root)) = (path.canonicalize(), case_dir.canonicalize()) {
        if !real.starts_with(&root) {
            return EvidenceState::Outside;
        }
    }
    if !is_sha256(&e.sha256) {
        return EvidenceState::NotHashed;
    }
    if !path.exists() {
        return EvidenceState::Missing;
    }
    match crate::fs::sha256_file(&path) {
        Ok(h) if h.eq_ignore_ascii_case(&e.sha256) => EvidenceState::Intact,
        Ok(h) => EvidenceState::Changed { now: h },
        Err(err) => EvidenceState::Unreadable { reason: err.to_string() },
    }
}

/// The state of every evidence record of a case, in case order.
pub fn states(case_dir: &Path, case: &Case) -> Vec<EvidenceState> {
    case.evidence.iter().map(|e| state(case_dir, e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(file: &str, sha256: &str) -> Evidence {
        Evidence { id: "E1".into(), file: file.into(), sha256: sha256.into(), ..Evidence::default() }
    }

    #[test]
    fn states_of_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("evidence")).unwrap();
        std::fs::write(dir.path().join("evidence/a.txt"), "abc").unwrap();
        let h = crate::fs::sha256_hex(b"abc");
        assert_eq!(state(dir.path(), &ev("evidence/a.txt", &h)), EvidenceState::Intact);
        assert_eq!(state(dir.path(), &ev("evidence/a.txt", "")), EvidenceState::NotHashed);
        assert_eq!(state(dir.path(), &ev("evidence/b.txt", &h)), EvidenceState::Missing);
        std::fs::write(dir.path().join("evidence/a.txt"), "abd").unwrap();
        assert!(matches!(state(dir.path(), &ev("evidence/a.txt", &h)), EvidenceState::Changed { .. }));
        assert_eq!(state(dir.path(), &ev("../x.txt", &h)), EvidenceState::Outside);
        assert_eq!(state(dir.path(), &ev("/etc/passwd", &h)), EvidenceState::Outside);
        assert!(!EvidenceState::NotHashed.is_fault() && EvidenceState::Missing.is_fault());
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_are_outside() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink(other.path().join("secret.txt"), dir.path().join("link.txt")).unwrap();
        assert_eq!(state(dir.path(), &ev("link.txt", &crate::fs::sha256_hex(b"x"))), EvidenceState::Outside);
    }
}
