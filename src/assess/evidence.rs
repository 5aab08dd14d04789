//! The state of each evidence file of a case: present with the recorded SHA-256, changed,
//! missing, outside the case folder, or unreadable; and the files of the `evidence/` folder that
//! no record names. `check`, `evidence list`, `verify` and the reports read it.

use crate::case::{Case, Evidence};
use crate::values::is_sha256;
use std::path::{Component, Path, PathBuf};

/// What is true of one evidence record's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceState {
    /// The file is in the case folder with the recorded hash.
    Intact,
    /// No hash is recorded (paper, or kept in the facility's systems): nothing to verify.
    NotHashed,
    /// The recorded hash is not one (not 64 hexadecimal digits): the file cannot be verified.
    Malformed,
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
            EvidenceState::Malformed => "ハッシュ不正",
            EvidenceState::Changed { .. } => "変更あり",
            EvidenceState::Missing => "ファイルなし",
            EvidenceState::Outside => "事案フォルダ外",
            EvidenceState::Unreadable { .. } => "読めません",
        }
    }
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
    // The folder of `case.toml` given alone is the empty path.
    let case_dir = if case_dir.as_os_str().is_empty() { Path::new(".") } else { case_dir };
    let Some(path) = inside(case_dir, &e.file) else { return EvidenceState::Outside };
    // A link that resolves outside the case folder is outside too.
    if let (Ok(real), Ok(root)) = (path.canonicalize(), case_dir.canonicalize()) {
        if !real.starts_with(&root) {
            return EvidenceState::Outside;
        }
    }
    if e.sha256.trim().is_empty() {
        return EvidenceState::NotHashed;
    }
    if !is_sha256(&e.sha256) {
        return EvidenceState::Malformed;
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

/// The folder of a case that `kensa evidence add` copies files into.
pub const EVIDENCE_DIR: &str = "evidence";

/// Files that file managers leave in folders they show, never evidence.
fn is_os_litter(name: &str) -> bool {
    matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini" | "ehthumbs.db") || name.starts_with("._")
}

/// The files under the case's `evidence/` folder (at any depth) that no record names, as paths
/// relative to the case folder with `/` (`evidence/memo.txt`), sorted. Folders are not listed;
/// links are (a link is not a file kensa vouches for). Files that file managers leave behind
/// (`.DS_Store`, `Thumbs.db`, `desktop.ini`, `._*`) are not evidence and are passed over.
pub fn unrecorded(case_dir: &Path, case: &Case) -> Vec<String> {
    let root = case_dir.join(EVIDENCE_DIR);
    if !root.is_dir() {
        return Vec::new();
    }
    let recorded: std::collections::HashSet<PathBuf> =
        case.evidence.iter().filter_map(|e| inside(case_dir, &e.file)).collect();
    let mut out: Vec<String> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .filter(|e| !is_os_litter(&e.file_name().to_string_lossy()))
        .filter(|e| !recorded.contains(e.path()))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(case_dir).ok()?;
            Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
        })
        .collect();
    out.sort();
    out
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
        assert_eq!(state(dir.path(), &ev("evidence/a.txt", "abc")), EvidenceState::Malformed);
        assert!(EvidenceState::Malformed.is_fault());
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

    #[test]
    fn files_no_record_names() {
        let dir = tempfile::tempdir().unwrap();
        let case = Case { evidence: vec![ev("evidence/a.txt", ""), ev("./evidence/sub/b.txt", "")], ..Case::default() };
        assert!(unrecorded(dir.path(), &case).is_empty(), "no evidence folder");
        std::fs::create_dir_all(dir.path().join("evidence/sub/empty")).unwrap();
        for f in ["a.txt", "sub/b.txt", "sub/c.txt", "z.pdf", ".DS_Store", "sub/Thumbs.db"] {
            std::fs::write(dir.path().join("evidence").join(f), "x").unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        assert_eq!(unrecorded(dir.path(), &case), ["evidence/sub/c.txt", "evidence/z.pdf"]);
    }
}
