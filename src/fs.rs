//! The file system: every file kensa writes goes through here, atomically (a synced temporary
//! file beside the target, then a rename), and SHA-256 of files and bytes.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically. Where `keep` names a file and `path` exists with other
/// content, the old content is kept there first.
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

/// Writes a new file, refusing to replace one that exists (`force` replaces it).
pub fn write_new(path: &Path, bytes: &[u8], force: bool, what: &'static str, hint: &'static str) -> Result<()> {
    if !force && path.exists() {
        return Err(Error::Exists { path: path.to_path_buf(), what, hint });
    }
    write_atomic(path, bytes, None)
}

/// The folder of a path (`.` for a bare file name).
pub fn parent(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// A synced temporary file beside `path` holding `bytes`, with the permissions `path` has
/// (or the usual ones for a new file). Dropped unpersisted, it is removed.
fn staged(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    let dir = parent(path);
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
    if let Ok(d) = std::fs::File::open(parent(path)) {
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

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of a file, read in chunks.
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    let mut f = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).map_err(|e| Error::read(path, e))?;
    Ok(hex(&h.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn write_new_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.xlsx");
        write_new(&p, b"one", false, "ファイル", "上書きする場合は --force を指定してください").unwrap();
        let e = write_new(&p, b"two", false, "ファイル", "上書きする場合は --force を指定してください").unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        assert_eq!(std::fs::read(&p).unwrap(), b"one");
        write_new(&p, b"two", true, "ファイル", "").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }

    #[test]
    fn hashes() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(sha256_file(&p).unwrap(), sha256_hex(b"abc"));
    }
}
