//! Reading and writing case.toml. Writes are atomic (temporary file in the same folder,
//! fsync, rename) and the previous version is kept as `case.toml.bak`.

use super::model::Case;
use super::values::ItemRef;
use crate::checklist::Registry;
use crate::error::{read_text, toml_error, Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const CASE_FILE: &str = "case.toml";
pub const BACKUP_FILE: &str = "case.toml.bak";
/// Largest case file kensa reads.
pub const MAX_CASE_BYTES: u64 = 16 * 1024 * 1024;

/// A case with the file it came from and that file's text.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub path: PathBuf,
    pub text: String,
    pub case: Case,
}

impl LoadedCase {
    /// The case folder.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
    /// SHA-256 of the file as read, in hex.
    pub fn sha256(&self) -> String {
        crate::sha256_hex(self.text.as_bytes())
    }
}

/// `DIR/case.toml` for a folder, the path itself for a file.
pub fn case_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(CASE_FILE)
    } else {
        path.to_path_buf()
    }
}

/// Reads and parses a case folder or case file.
pub fn load(path: &Path) -> Result<LoadedCase> {
    let file = case_path(path);
    if !file.exists() {
        return Err(Error::file(&file, "事案ファイルがありません（kensa new で作成できます）"));
    }
    let text = read_text(&file, MAX_CASE_BYTES)?;
    let case = parse(&file, &text)?;
    Ok(LoadedCase { path: file, text, case })
}

/// Parses case.toml text.
pub fn parse(path: &Path, text: &str) -> Result<Case> {
    toml::from_str::<Case>(text).map_err(|e| toml_error(path, text, &e))
}

/// Serializes a case as case.toml text; with the checklists, each answer is preceded by a
/// comment giving the item's number and text, for those who edit the file by hand.
pub fn to_text(case: &Case, reg: Option<&Registry>) -> Result<String> {
    let mut body = toml::to_string(case).map_err(|e| Error::Other(format!("事案ファイルを書き出せません: {e}")))?;
    if let Some(reg) = reg {
        if let Ok(mut doc) = body.parse::<toml_edit::DocumentMut>() {
            if let Some(answers) = doc.get_mut("answers").and_then(|a| a.as_array_of_tables_mut()) {
                for t in answers.iter_mut() {
                    let Some(r) = t.get("item").and_then(|v| v.as_str()).and_then(|s| s.parse::<ItemRef>().ok()) else {
                        continue;
                    };
                    if let Some((c, item)) = reg.item(&r) {
                        let text: String = item.text.chars().filter(|c| !c.is_control()).take(60).collect();
                        t.decor_mut().set_prefix(format!("\n# {} {} {}\n", c.id, item.number, text));
                    }
                }
            }
            body = doc.to_string();
        }
    }
    Ok(format!("# kensa 事案ファイル（UTF-8）。項目の説明は kensa schema で出力できます。\n\n{body}"))
}

/// Writes `text` to `path` atomically: a temporary file in the same folder, fsync, rename.
/// Where `keep` names a file and `path` exists, the old content is kept there first.
pub fn write_atomic(path: &Path, bytes: &[u8], keep: Option<&Path>) -> Result<()> {
    let tmp = staged(path, bytes)?;
    if let Some(keep) = keep {
        if path.exists() {
            let old = std::fs::read(path).map_err(|e| Error::read(path, e))?;
            if old != bytes {
                write_atomic(keep, &old, None)?;
            }
        }
    }
    commit(tmp, path)
}

/// Writes several files so that either all are replaced or, when any cannot be written in
/// full, none is: every file is first written and synced beside its target, then renamed.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut staged_files = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        staged_files.push((staged(path, bytes)?, path));
    }
    for (tmp, path) in staged_files {
        commit(tmp, path)?;
    }
    Ok(())
}

/// A synced temporary file beside `path` holding `bytes`, with the permissions `path` has
/// (or the usual ones for a new file). Dropped unpersisted, it is removed.
fn staged(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let mut tmp =
        tempfile::Builder::new().prefix(".kensa-").suffix(".tmp").tempfile_in(dir).map_err(|e| Error::write(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::write(path, e))?;
    match std::fs::metadata(path) {
        Ok(m) => tmp.as_file().set_permissions(m.permissions()).map_err(|e| Error::write(path, e))?,
        Err(_) => set_new_file_permissions(tmp.as_file()).map_err(|e| Error::write(path, e))?,
    }
    tmp.as_file().sync_all().map_err(|e| Error::write(path, e))?;
    Ok(tmp)
}

/// Renames a staged file over its target and syncs the folder.
fn commit(tmp: tempfile::NamedTempFile, path: &Path) -> Result<()> {
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all(); // best effort: not every platform can fsync a folder
    }
    Ok(())
}

#[cfg(unix)]
fn set_new_file_permissions(f: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_new_file_permissions(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// Writes the case into `dir/case.toml`, keeping the previous version as `case.toml.bak`.
pub fn save(dir: &Path, case: &Case, reg: Option<&Registry>) -> Result<PathBuf> {
    let path = dir.join(CASE_FILE);
    let text = to_text(case, reg)?;
    // Refuse to write what could not be read back.
    parse(&path, &text)?;
    write_atomic(&path, text.as_bytes(), Some(&dir.join(BACKUP_FILE)))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_keeps_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let mut case = Case { case_id: "A-1".into(), ..Case::default() };
        case.facility.name = "テスト病院".into();
        save(dir.path(), &case, None).unwrap();
        assert!(!dir.path().join(BACKUP_FILE).exists());
        case.facility.name = "テスト病院（改）".into();
        save(dir.path(), &case, None).unwrap();
        let bak = std::fs::read_to_string(dir.path().join(BACKUP_FILE)).unwrap();
        assert!(bak.contains("name = \"テスト病院\""), "{bak}");
        let now = load(dir.path()).unwrap();
        assert_eq!(now.case.facility.name, "テスト病院（改）");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn all_or_nothing_when_one_file_cannot_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.md");
        std::fs::write(&a, "old").unwrap();
        // The second target's folder is a file: it cannot be written.
        std::fs::write(dir.path().join("blocked"), "").unwrap();
        let files = vec![(a.clone(), b"new".to_vec()), (dir.path().join("blocked/b.md"), b"x".to_vec())];
        assert!(write_all_atomic(&files).is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old");
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
        write_all_atomic(&files[..1]).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn writes_keep_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one", None).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&p, b"two", None).unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }

    #[test]
    fn missing_case_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("case.toml") && e.contains("事案ファイルがありません"), "{e}");
    }
}
