//! The file system: every file kensa writes goes through here, atomically (a synced temporary
//! file beside the target, then a rename), and SHA-256 of files and bytes. The lock of a case
//! folder and of staging folders ([`lock`]); the temporary paths of the running command, removed
//! when it is interrupted ([`cleanup`]).

pub mod cleanup;
pub mod lock;

pub use lock::{lock_folder, staging_dir, sweep_staging, sweep_temporary, FolderLock, StagingLock};

use crate::error::{Error, Result};
use cleanup::{Kind, Registered};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    commit(staged(path, bytes)?, path)
}

/// The temporary files of kensa's writes are named `.kensa-<random>.tmp`, beside their target.
/// One that outlives its run is what an interrupted write (a kill, a power cut) left behind:
/// possibly incomplete, and never under the name of the file it was for.
const TEMP_PREFIX: &str = ".kensa-";
const TEMP_SUFFIX: &str = ".tmp";

/// Whether `name` (a file name) is the name of one of kensa's temporary files.
pub fn is_temporary(name: &str) -> bool {
    name.len() > TEMP_PREFIX.len() + TEMP_SUFFIX.len() && name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
}

/// A temporary file of kensa's, registered for removal if the command is interrupted until it
/// is renamed into place or dropped (and so removed).
struct Temp {
    file: tempfile::NamedTempFile,
    _registered: Registered,
}

impl Temp {
    fn path(&self) -> &Path {
        self.file.path()
    }
    fn as_file(&self) -> &std::fs::File {
        self.file.as_file()
    }
}

/// A new temporary file in the folder `dir`, named as [`is_temporary`] knows it.
fn temporary_in(dir: &Path) -> Result<Temp> {
    let (file, registered) = cleanup::create_registered(
        Kind::File,
        || tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX).tempfile_in(dir),
        |f| f.path().to_path_buf(),
    )
    .map_err(|e| Error::write(dir, e))?;
    Ok(Temp { file, _registered: registered })
}

/// The folder beside a file where [`replace_keeping_backups`] keeps its earlier contents.
pub const BACKUP_DIR: &str = "backup";
/// How many earlier contents of one file [`replace_keeping_backups`] keeps.
pub const BACKUPS_KEPT: usize = 10;

/// Replaces `path` with `bytes` atomically. When `path` exists with other content, that content
/// is first written (atomically) to `backup/<stem>-<YYYYMMDD>-<HHMMSS>.<ext>` beside it, named
/// with the local time (`-2`, `-3`… for more than one in a second), and only the newest
/// [`BACKUPS_KEPT`] of that file's backups are left. Returns the backup written, if any; content
/// equal to the file's changes nothing.
pub fn replace_keeping_backups(path: &Path, bytes: &[u8]) -> Result<Option<PathBuf>> {
    replace_keeping_backups_at(path, bytes, chrono::Local::now().naive_local(), BACKUPS_KEPT, None)
}

/// [`replace_keeping_backups`] for a file read as `read` and changed from that: refused
/// ([`Error::Changed`], nothing written) when the file no longer holds `read`, checked when the
/// file is read for its backup and again just before the rename. On Unix the replaced file is
/// read once more after the rename: a change that came in between (another program writing in
/// place) is kept as a backup and reported (the new content is written).
pub fn replace_unchanged(path: &Path, bytes: &[u8], read: &[u8]) -> Result<Option<PathBuf>> {
    replace_keeping_backups_at(path, bytes, chrono::Local::now().naive_local(), BACKUPS_KEPT, Some(read))
}

fn replace_keeping_backups_at(
    path: &Path,
    bytes: &[u8],
    now: chrono::NaiveDateTime,
    keep: usize,
    expected: Option<&[u8]>,
) -> Result<Option<PathBuf>> {
    let changed = || Error::Changed { path: path.to_path_buf(), kept: None, then: String::new() };
    let old = match std::fs::read(path) {
        Ok(old) if expected.is_some_and(|e| e != old) => return Err(changed()),
        Ok(old) if old == bytes => return Ok(None),
        Ok(old) => Some(old),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && expected.is_none() => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(changed()),
        Err(e) => return Err(Error::read(path, e)),
    };
    let tmp = staged(path, bytes)?;
    let Some(old) = old else {
        commit(tmp, path)?;
        return Ok(None);
    };
    let names = BackupNames::of(path);
    let dir = parent(path).join(BACKUP_DIR);
    let backup = names.write_new(&dir, path, &old, now)?;
    let Some(expected) = expected else {
        commit(tmp, path)?;
        names.prune(&dir, keep);
        return Ok(Some(backup));
    };
    // Just before the rename: still the file that was read?
    let mut held = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_file(&backup);
            return Err(changed());
        }
        Err(e) => return Err(Error::read(path, e)),
    };
    if read_all(&mut held).map_err(|e| Error::read(path, e))? != expected {
        let _ = std::fs::remove_file(&backup);
        return Err(changed());
    }
    if cfg!(not(unix)) {
        // Windows does not replace a file this process holds open.
        drop(held);
        commit(tmp, path)?;
        names.prune(&dir, keep);
        return Ok(Some(backup));
    }
    commit(tmp, path)?;
    // What the file that was replaced held at the moment of the rename.
    let last = read_all(&mut held).map_err(|e| Error::read(path, e))?;
    names.prune(&dir, keep);
    if last != expected {
        let kept = names.write_new(&dir, path, &last, now)?;
        return Err(Error::Changed { path: path.to_path_buf(), kept: Some(kept), then: String::new() });
    }
    Ok(Some(backup))
}

/// The whole of a file from its start.
fn read_all(f: &mut std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek};
    f.seek(std::io::SeekFrom::Start(0))?;
    let mut out = Vec::new();
    f.read_to_end(&mut out)?;
    Ok(out)
}

/// The names of one file's backups: `<stem>-<YYYYMMDD>-<HHMMSS>[-<n>][.<ext>]`.
struct BackupNames {
    stem: String,
    ext: Option<String>,
}

impl BackupNames {
    fn of(path: &Path) -> BackupNames {
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "case".into());
        BackupNames { stem, ext: path.extension().map(|e| e.to_string_lossy().into_owned()) }
    }

    /// The `n`-th backup name within the second `stamp` (`YYYYMMDD-HHMMSS`), counting from 1.
    fn name(&self, stamp: &str, n: u32) -> String {
        let n = if n > 1 { format!("-{n}") } else { String::new() };
        match &self.ext {
            Some(ext) => format!("{}-{stamp}{n}.{ext}", self.stem),
            None => format!("{}-{stamp}{n}", self.stem),
        }
    }

    /// Writes `bytes` as a new backup of `path` in `dir`, named for `now` (numbered after the
    /// newest of that second, even when older ones of it were deleted).
    fn write_new(&self, dir: &Path, path: &Path, bytes: &[u8], now: chrono::NaiveDateTime) -> Result<PathBuf> {
        let stamp = now.format("%Y%m%d-%H%M%S").to_string();
        let second = stamp.replace('-', "").parse().unwrap_or(0);
        let mut n =
            self.list(dir).iter().filter(|((s, _), _)| *s == second).map(|((_, n), _)| n + 1).max().unwrap_or(1);
        loop {
            let candidate = dir.join(self.name(&stamp, n));
            if !candidate.exists() && write_atomic_new(&candidate, bytes, path)? {
                return Ok(candidate);
            }
            n += 1;
        }
    }

    /// The second and the count of a backup name of this file, `None` for any other name.
    fn parse(&self, name: &str) -> Option<(u64, u32)> {
        let rest = name.strip_prefix(self.stem.as_str())?.strip_prefix('-')?;
        let rest = match &self.ext {
            Some(ext) => rest.strip_suffix(ext.as_str())?.strip_suffix('.')?,
            None => rest,
        };
        let (stamp, n) = match rest.get(15..) {
            Some("") => (rest, 1),
            Some(tail) => {
                (&rest[..15], tail.strip_prefix('-').filter(|d| is_digits(d))?.parse().ok().filter(|n| *n > 1)?)
            }
            None => return None,
        };
        let (day, time) = stamp.split_once('-')?;
        if day.len() != 8 || time.len() != 6 || !is_digits(day) || !is_digits(time) {
            return None;
        }
        Some((format!("{day}{time}").parse().ok()?, n))
    }

    /// This file's backups in `dir`, oldest first.
    fn list(&self, dir: &Path) -> Vec<((u64, u32), PathBuf)> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
        let mut backups: Vec<_> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| Some((self.parse(e.file_name().to_str()?)?, e.path())))
            .collect();
        backups.sort();
        backups
    }

    /// Deletes all but the newest `keep` backups of this file in `dir`. Best effort: a backup that
    /// cannot be deleted stays.
    fn prune(&self, dir: &Path, keep: usize) {
        let backups = self.list(dir);
        let surplus = backups.len().saturating_sub(keep);
        for (_, path) in backups.into_iter().take(surplus) {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Writes a new file atomically with the permissions of `like`; `false` when a file of that
/// name appeared meanwhile.
fn write_atomic_new(path: &Path, bytes: &[u8], like: &Path) -> Result<bool> {
    let tmp = staged_like(path, bytes, like)?;
    match tmp.file.persist_noclobber(path) {
        Ok(_) => {
            sync_folder(path);
            Ok(true)
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::write(path, e.error)),
    }
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
    write_atomic(path, bytes)
}

/// What [`copy_new`] wrote.
#[derive(Debug)]
pub struct Copied {
    /// The new file.
    pub path: PathBuf,
    /// Its name in the folder.
    pub name: String,
    /// SHA-256 of the bytes copied, in hex.
    pub sha256: String,
    /// How many bytes were copied.
    pub bytes: u64,
    /// The new file, registered for removal on interrupt from the moment it took its name (the
    /// caller drops it once the file is recorded where it belongs).
    pub registered: Registered,
}

/// Copies the file `source` into the folder `dir` as a new file, never replacing one: the bytes
/// are hashed as they are written to a synced temporary file in `dir`, which then takes the
/// first name `name(1)`, `name(2)`, … that is neither `taken` nor there on disk (the rename
/// itself refuses an existing name, so a file appearing meanwhile is not replaced either). No
/// file is ever under its final name half-written. A source larger than `limit` bytes is refused,
/// also one that grows while it is copied; on any failure the temporary file is removed.
pub fn copy_new(
    source: &Path,
    dir: &Path,
    limit: u64,
    name: impl Fn(u32) -> String,
    taken: impl Fn(&str) -> bool,
) -> Result<Copied> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let from = std::fs::File::open(source).map_err(|e| Error::read(source, e))?;
    let mut tmp = temporary_in(dir)?;
    let mut reader = from.take(limit.saturating_add(1));
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::read(source, e)),
        };
        bytes += n as u64;
        if bytes > limit {
            return Err(Error::file(source, format!("ファイルが大きすぎます（上限は {limit} バイト）")));
        }
        hasher.update(&buf[..n]);
        tmp.file.write_all(&buf[..n]).map_err(|e| Error::write(tmp.path(), e))?;
    }
    set_new_file_permissions(tmp.as_file()).map_err(|e| Error::write(tmp.path(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::write(tmp.path(), e))?;
    let sha256 = hex(&hasher.finalize());
    let Temp { file: mut tmp, _registered: registered } = tmp;
    for n in 1..=10_000 {
        let candidate = name(n);
        let path = dir.join(&candidate);
        // A dangling link is a name in use too.
        if taken(&candidate) || std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        // The rename and the registration of the new name happen while an interrupt waits: the
        // file is never under its final name and unknown to the interrupt's clean-up.
        let mut slot = Some(tmp);
        let renamed = cleanup::create_registered(
            Kind::File,
            || match slot.take() {
                Some(t) => t.persist_noclobber(&path).map(drop).map_err(|e| {
                    slot = Some(e.file);
                    e.error
                }),
                None => Err(std::io::Error::other("temporary file gone")),
            },
            |_| path.clone(),
        );
        match renamed {
            Ok(((), now)) => {
                drop(registered);
                sync_folder(&path);
                return Ok(Copied { path, name: candidate, sha256, bytes, registered: now });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match slot.take() {
                Some(t) => tmp = t,
                None => return Err(Error::write(&path, e)),
            },
            Err(e) => return Err(Error::write(&path, e)),
        }
    }
    Err(Error::file(dir, format!("「{}」に使える名前がありません", name(1))))
}

/// The folder of a path (`.` for a bare file name).
pub fn parent(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// A synced temporary file beside `path` holding `bytes`, with the permissions `path` has
/// (or the usual ones for a new file). Dropped unpersisted, it is removed.
fn staged(path: &Path, bytes: &[u8]) -> Result<Temp> {
    staged_like(path, bytes, path)
}

/// [`staged`], with the permissions of the file `like` (a backup has its original's).
fn staged_like(path: &Path, bytes: &[u8], like: &Path) -> Result<Temp> {
    let dir = parent(path);
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    let mut tmp = temporary_in(dir)?;
    tmp.file.write_all(bytes).map_err(|e| Error::write(path, e))?;
    match std::fs::metadata(like) {
        Ok(m) => tmp.as_file().set_permissions(m.permissions()).map_err(|e| Error::write(path, e))?,
        Err(_) => set_new_file_permissions(tmp.as_file()).map_err(|e| Error::write(path, e))?,
    }
    tmp.as_file().sync_all().map_err(|e| Error::write(path, e))?;
    Ok(tmp)
}

/// Renames a staged file over its target and syncs the folder.
fn commit(tmp: Temp, path: &Path) -> Result<()> {
    tmp.file.persist(path).map_err(|e| Error::write(path, e.error))?;
    sync_folder(path);
    Ok(())
}

/// Syncs the folder of a file just renamed into it.
fn sync_folder(path: &Path) {
    if let Ok(d) = std::fs::File::open(parent(path)) {
        let _ = d.sync_all(); // best effort: not every platform can fsync a folder
    }
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

/// Reads a text file whole, refusing files larger than `limit` bytes and text that is not UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::file(path, "フォルダです。ファイルを指定してください"));
    }
    if meta.len() > limit {
        return Err(Error::file(
            path,
            format!("ファイルが大きすぎます（{} バイト。上限は {} バイト）", meta.len(), limit),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let (line, column) = crate::diag::line_col_bytes(e.as_bytes(), e.utf8_error().valid_up_to());
        Error::At {
            path: path.to_path_buf(),
            line,
            column,
            message: "UTF-8 ではない文字があります。UTF-8 で保存し直してください".into(),
        }
    })
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
        write_atomic(&p, b"one").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&p, b"two").unwrap();
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

    fn at(s: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        names.sort();
        names
    }

    #[test]
    fn backups_are_named_by_the_time_and_only_the_newest_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("case.toml");
        assert_eq!(replace_keeping_backups_at(&p, b"v0", at("2025-11-19 14:32:00"), 10, None).unwrap(), None);
        assert!(!dir.path().join(BACKUP_DIR).exists(), "a new file has nothing to keep");
        assert_eq!(replace_keeping_backups_at(&p, b"v0", at("2025-11-19 14:32:00"), 10, None).unwrap(), None);
        assert!(!dir.path().join(BACKUP_DIR).exists(), "the same content is no new version");
        let backups = dir.path().join(BACKUP_DIR);
        std::fs::create_dir_all(&backups).unwrap();
        std::fs::write(backups.join("memo.txt"), "mine").unwrap();
        std::fs::write(backups.join("case-old.toml"), "mine").unwrap();
        std::fs::write(backups.join("case-20000101-000000.toml.orig"), "mine").unwrap();
        for i in 1..=12 {
            let b = replace_keeping_backups_at(
                &p,
                format!("v{i}").as_bytes(),
                at(&format!("2025-11-19 14:33:{i:02}")),
                10,
                None,
            )
            .unwrap()
            .unwrap();
            assert_eq!(b, backups.join(format!("case-20251119-1433{i:02}.toml")));
            assert_eq!(std::fs::read_to_string(&b).unwrap(), format!("v{}", i - 1));
        }
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "v12");
        let names = listing(&backups);
        let ours: Vec<&String> = names.iter().filter(|n| n.starts_with("case-20251119")).collect();
        assert_eq!(ours.len(), 10, "{names:?}");
        assert_eq!(ours[0], "case-20251119-143303.toml", "the two oldest are gone: {names:?}");
        for foreign in ["memo.txt", "case-old.toml", "case-20000101-000000.toml.orig"] {
            assert!(names.iter().any(|n| n == foreign), "{foreign} stays: {names:?}");
        }
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    #[test]
    fn backups_within_one_second_are_numbered_and_pruned_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("R7-みなと.toml");
        std::fs::write(&p, "v0").unwrap();
        let now = at("2025-11-19 14:32:05");
        let mut written = Vec::new();
        for i in 1..=12 {
            written.push(replace_keeping_backups_at(&p, format!("v{i}").as_bytes(), now, 10, None).unwrap().unwrap());
        }
        let name = |n: usize| written[n].file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name(0), "R7-みなと-20251119-143205.toml");
        assert_eq!(name(1), "R7-みなと-20251119-143205-2.toml");
        assert_eq!(name(11), "R7-みなと-20251119-143205-12.toml");
        let names = listing(&dir.path().join(BACKUP_DIR));
        assert_eq!(names.len(), 10, "{names:?}");
        assert!(
            !names.contains(&name(0)) && !names.contains(&name(1)),
            "the oldest go, not the shortest names: {names:?}"
        );
        assert_eq!(std::fs::read_to_string(&written[11]).unwrap(), "v11");
        // A later second sorts after every number of an earlier one.
        let b = replace_keeping_backups_at(&p, b"v13", at("2025-11-19 14:32:06"), 10, None).unwrap().unwrap();
        assert_eq!(b.file_name().unwrap().to_string_lossy(), "R7-みなと-20251119-143206.toml");
        let names = listing(&dir.path().join(BACKUP_DIR));
        assert_eq!(names.len(), 10);
        assert!(names.contains(&"R7-みなと-20251119-143206.toml".to_string()), "{names:?}");
        assert!(!names.contains(&name(2)), "{names:?}");
    }

    #[test]
    fn only_kensa_backup_names_are_recognized() {
        let names = BackupNames::of(Path::new("x/case.toml"));
        assert_eq!(names.parse("case-20251119-143205.toml"), Some((20251119143205, 1)));
        assert_eq!(names.parse("case-20251119-143205-3.toml"), Some((20251119143205, 3)));
        for other in [
            "case-20251119-143205-1.toml",
            "case-20251119-143205-.toml",
            "case-20251119-143205-x.toml",
            "case-20251119-1432.toml",
            "case-2025111-1432050.toml",
            "case-20251119-143205.toml.bak",
            "case-20251119-143205.txt",
            "other-20251119-143205.toml",
            "case-x-20251119-143205.toml",
            "case.toml",
        ] {
            assert_eq!(names.parse(other), None, "{other}");
        }
        let bare = BackupNames::of(Path::new("notes"));
        assert_eq!(bare.name("20251119-143205", 2), "notes-20251119-143205-2");
        assert_eq!(bare.parse("notes-20251119-143205-2"), Some((20251119143205, 2)));
    }

    #[cfg(unix)]
    #[test]
    fn backups_keep_the_permissions_of_their_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("case.toml");
        std::fs::write(&p, "v0").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        let b = replace_keeping_backups(&p, b"v1").unwrap().unwrap();
        assert_eq!(std::fs::metadata(&b).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn copies_are_new_files_under_free_names() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src.txt");
        std::fs::write(&src, "abc").unwrap();
        let to = dir.path().join("evidence");
        let name = |n: u32| if n == 1 { "a.txt".to_string() } else { format!("a-{n}.txt") };
        let c = copy_new(&src, &to, 100, name, |_| false).unwrap();
        assert_eq!((c.name.as_str(), c.bytes, c.sha256.as_str()), ("a.txt", 3, sha256_hex(b"abc").as_str()));
        std::fs::write(&src, "abcd").unwrap();
        // `a-2.txt` is taken (recorded elsewhere): the copy goes to `a-3.txt`, `a.txt` stays.
        let c = copy_new(&src, &to, 100, name, |n| n == "a-2.txt").unwrap();
        assert_eq!(c.name, "a-3.txt");
        assert_eq!(std::fs::read_to_string(to.join("a.txt")).unwrap(), "abc");
        assert_eq!(std::fs::read_to_string(to.join("a-3.txt")).unwrap(), "abcd");
        // Too large: refused, and nothing is left behind.
        assert!(copy_new(&src, &to, 3, name, |_| false).is_err());
        assert_eq!(listing(&to), ["a-3.txt", "a.txt"]);
    }

    #[test]
    fn temporary_files_are_told_by_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = staged(&dir.path().join("case.toml"), b"x").unwrap();
        assert!(is_temporary(&tmp.path().file_name().unwrap().to_string_lossy()), "{}", tmp.path().display());
        for other in ["case.toml", ".kensa-.tmp", "kensa-abc123.tmp", ".kensa-abc123.toml", "report.tmp"] {
            assert!(!is_temporary(other), "{other}");
        }
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("case.toml");
        std::fs::write(&p, "v0").unwrap();
        // Read as v0, edited meanwhile by another program: refused, the edit stays, no backup.
        std::fs::write(&p, "v0 edited").unwrap();
        let e = replace_unchanged(&p, b"v1", b"v0").unwrap_err();
        assert!(matches!(&e, Error::Changed { kept: None, .. }), "{e}");
        assert!(e.to_string().contains("書き込みをやめました"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "v0 edited");
        assert!(!dir.path().join(BACKUP_DIR).exists() || listing(&dir.path().join(BACKUP_DIR)).is_empty());
        // Removed meanwhile: refused too.
        std::fs::remove_file(&p).unwrap();
        assert!(matches!(replace_unchanged(&p, b"v1", b"v0"), Err(Error::Changed { .. })));
        assert!(!p.exists());
        // Unchanged: replaced, the version read kept as a backup.
        std::fs::write(&p, "v0").unwrap();
        let b = replace_unchanged(&p, b"v1", b"v0").unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "v0");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "v1");
        let names: Vec<String> = listing(dir.path());
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
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
