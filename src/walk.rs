//! Walking the folders a user names for the files kensa reads across cases (`followup`,
//! `aggregate`): in the order given and, under a folder, sorted by name; `backup/` folders
//! (earlier versions of case files) and hidden folders skipped; symbolic links never followed,
//! so a walk stays inside its folder and ends even where links form a loop.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// Folders never searched (the previous versions of case files).
pub const SKIPPED_DIRS: [&str; 1] = [crate::fs::BACKUP_DIR];

/// What a walk meets.
#[derive(Debug)]
pub enum Entry {
    /// A regular file.
    File(PathBuf),
    /// A symbolic link (not followed).
    Link(PathBuf),
    /// A path or folder that could not be read.
    Failed(Error),
}

/// Every entry under `path` (the path itself where it is a file), lazily, in name order.
/// Folders in `exclude` (e.g. the output folder) are not entered.
pub fn under<'a>(path: &'a Path, exclude: &'a [PathBuf]) -> Box<dyn Iterator<Item = Entry> + 'a> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Box::new(std::iter::once(Entry::Failed(Error::file(path, "ファイルまたはフォルダがありません"))))
        }
        Err(e) => return Box::new(std::iter::once(Entry::Failed(Error::read(path, e)))),
    };
    // A path named by the user is taken even if it is a link; links inside it are not followed.
    let is_dir = meta.is_dir() || (meta.file_type().is_symlink() && path.is_dir());
    if !is_dir {
        return Box::new(std::iter::once(Entry::File(path.to_path_buf())));
    }
    let excluded: Vec<PathBuf> = exclude.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let walk = walkdir::WalkDir::new(path).follow_links(false).follow_root_links(true).sort_by_file_name();
    let walk = walk.into_iter().filter_entry(move |e| {
        if e.depth() == 0 || !e.file_type().is_dir() {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if SKIPPED_DIRS.iter().any(|d| name == *d) || name.starts_with('.') {
            return false;
        }
        excluded.is_empty() || e.path().canonicalize().map(|c| !excluded.contains(&c)).unwrap_or(true)
    });
    Box::new(walk.filter_map(move |entry| match entry {
        Ok(e) if e.file_type().is_file() => Some(Entry::File(e.into_path())),
        Ok(e) if e.file_type().is_symlink() => Some(Entry::Link(e.into_path())),
        Ok(_) => None,
        Err(e) => {
            let at = e.path().unwrap_or(path).to_path_buf();
            Some(Entry::Failed(Error::read(&at, e.into())))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_are_listed_not_followed_and_loops_end() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a");
        std::fs::create_dir_all(a.join("backup")).unwrap();
        std::fs::write(a.join("case.toml"), "x").unwrap();
        std::fs::write(a.join("backup/case-1.toml"), "x").unwrap();
        std::os::unix::fs::symlink(d.path(), a.join("loop")).unwrap();
        std::fs::create_dir_all(d.path().join(".hidden")).unwrap();
        std::fs::write(d.path().join(".hidden/case.toml"), "x").unwrap();
        let out = d.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("summary.xlsx"), "x").unwrap();
        let entries: Vec<Entry> = under(d.path(), std::slice::from_ref(&out)).collect();
        let files: Vec<String> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::File(p) => Some(p.strip_prefix(d.path()).unwrap().display().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(files, vec!["a/case.toml"]);
        assert_eq!(entries.iter().filter(|e| matches!(e, Entry::Link(_))).count(), 1);
    }

    #[test]
    fn a_missing_path_fails() {
        let e: Vec<Entry> = under(Path::new("/no/such/place"), &[]).collect();
        assert!(matches!(&e[..], [Entry::Failed(_)]));
    }
}
