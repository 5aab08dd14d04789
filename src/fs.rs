//! The file system: every file kensa writes goes through here, atomically (a synced temporary
//! file beside the target, then a rename), several files all-or-nothing (undone when one cannot
//! be replaced, as when Excel holds it open on Windows), and SHA-256 of files and bytes. The lock
//! of a case folder and of staging folders ([`lock`]); the temporary paths of the running
//! command, removed when it is interrupted ([`cleanup`]).

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
    let Temp { file, _registered: registered } = tmp;
    let persisted = persist_new(file, path);
    drop(registered);
    match persisted {
        Ok(_) => {
            sync_folder(path);
            Ok(true)
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::write(path, e.error)),
    }
}

/// Writes several files so that either all are replaced or, when any cannot be written in
/// full or cannot be replaced (a file another program holds open), none is: every file is
/// first written and synced beside its target, then all are moved in by [`move_all`].
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    // Each staged file stays registered for removal on interrupt until it is moved in.
    let mut staged_files = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let Temp { file, _registered: registered } = staged(path, bytes)?;
        staged_files.push((file.into_temp_path(), registered));
    }
    let moves: Vec<(PathBuf, PathBuf)> =
        staged_files.iter().zip(files).map(|((tmp, _), (path, _))| (tmp.to_path_buf(), path.clone())).collect();
    move_all(&moves)?;
    for (tmp, registered) in staged_files {
        // Moved: nothing is left under the temporary name to remove.
        let _ = tmp.keep();
        drop(registered);
    }
    Ok(())
}

/// Moves each file `from` onto its `to` (in the same folder or on the same drive), all or
/// nothing: the content of each `to` that exists is first kept under a temporary name beside it
/// (a hard link, or a copy where the file system has none), then the files are renamed in
/// order; when one cannot be (on Windows a file open in Excel cannot be replaced), those
/// already moved are put back as they were, and the error names the file that could not be
/// replaced. The files `from` are removed either way. Every file under its final name is at
/// any moment the whole old or the whole new one.
pub fn move_all(moves: &[(PathBuf, PathBuf)]) -> Result<()> {
    let remove_sources = |from: usize| {
        for (source, _) in &moves[from..] {
            let _ = std::fs::remove_file(long(source));
        }
    };
    // The old contents, kept aside before anything changes.
    let mut kept: Vec<Option<PathBuf>> = Vec::with_capacity(moves.len());
    for (_, to) in moves {
        match keep_aside(to) {
            Ok(k) => kept.push(k),
            Err(e) => {
                kept.into_iter().flatten().for_each(|k| drop(std::fs::remove_file(long(&k))));
                remove_sources(0);
                return Err(e);
            }
        }
    }
    for (i, (from, to)) in moves.iter().enumerate() {
        if let Err(e) = rename(from, to) {
            // Undo: the files moved so far get their old content back (or go, if they were new).
            for ((_, done), old) in moves[..i].iter().zip(&kept).rev() {
                let _ = match old {
                    Some(old) => rename(old, done),
                    None => std::fs::remove_file(long(done)),
                };
            }
            for old in kept[i..].iter().flatten() {
                let _ = std::fs::remove_file(long(old));
            }
            remove_sources(i);
            return Err(replace_error(to, e));
        }
    }
    for old in kept.into_iter().flatten() {
        let _ = std::fs::remove_file(long(&old));
    }
    for (_, to) in moves {
        sync_folder(to);
    }
    Ok(())
}

/// The content of `path`, if it exists, under a new temporary name beside it ([`is_temporary`]
/// knows it): a second name of the same file where the file system allows it, else a copy.
fn keep_aside(path: &Path) -> Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(long(path)).is_err() {
        return Ok(None);
    }
    wait_until_free(path)?;
    let dir = parent(path);
    for _ in 0..100 {
        // A free name: the temporary file reserves it and is removed for the link to take it.
        let name = temporary_in(dir)?.path().to_path_buf();
        match std::fs::hard_link(long(path), long(&name)) {
            Ok(()) => return Ok(Some(name)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => {}
        }
        return match std::fs::copy(long(path), long(&name)) {
            Ok(_) => Ok(Some(name)),
            Err(e) => {
                let _ = std::fs::remove_file(long(&name));
                Err(replace_error(path, e))
            }
        };
    }
    Err(Error::file(dir, "一時ファイルの名前を決められません"))
}

/// Renames `from` to `to`, replacing `to`. A refusal that an antivirus program causes on Windows
/// (it opens a freshly written file to scan it, for a moment) is waited out: the rename is tried
/// again for about two seconds before the error is returned.
pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    let (from, to) = (long(from), long(to));
    let mut wait = std::time::Duration::from_millis(20);
    let mut waited = std::time::Duration::ZERO;
    loop {
        match std::fs::rename(&from, &to) {
            Err(e) if in_use(&e) && waited < RENAME_PATIENCE => {
                std::thread::sleep(wait);
                waited += wait;
                wait = (wait * 2).min(std::time::Duration::from_millis(500));
            }
            r => return r,
        }
    }
}

/// Windows: waits (as [`rename`] does) while another program holds `path` open so that it could
/// not be replaced (opened without sharing its deletion, as Excel opens a workbook), and names
/// it when it stays held. Asked before anything changes, so that an open file stops a run of
/// several files before the first is moved. Elsewhere an open file can be replaced: nothing to
/// wait for.
fn wait_until_free(path: &Path) -> Result<()> {
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        const DELETE: u32 = 0x0001_0000;
        const SHARE_ALL: u32 = 0x7;
        let mut wait = std::time::Duration::from_millis(20);
        let mut waited = std::time::Duration::ZERO;
        loop {
            match std::fs::OpenOptions::new().access_mode(DELETE).share_mode(SHARE_ALL).open(long(path)) {
                Err(e) if matches!(e.raw_os_error(), Some(32 | 33)) => {
                    if waited >= RENAME_PATIENCE {
                        return Err(Error::InUse { path: path.to_path_buf() });
                    }
                    std::thread::sleep(wait);
                    waited += wait;
                    wait = (wait * 2).min(std::time::Duration::from_millis(500));
                }
                _ => return Ok(()),
            }
        }
    }
    #[cfg(not(windows))]
    {
        let _ = path;
        Ok(())
    }
}

/// Gives a temporary file its new name, never replacing a file of that name; a moment's
/// refusal by another program (an antivirus scan of the fresh file) is waited out as in
/// [`rename`].
fn persist_new(
    mut tmp: tempfile::NamedTempFile,
    path: &Path,
) -> std::result::Result<std::fs::File, tempfile::PersistError> {
    let mut wait = std::time::Duration::from_millis(20);
    let mut waited = std::time::Duration::ZERO;
    loop {
        match tmp.persist_noclobber(long(path)) {
            Err(e) if in_use(&e.error) && waited < RENAME_PATIENCE => {
                tmp = e.file;
                std::thread::sleep(wait);
                waited += wait;
                wait = (wait * 2).min(std::time::Duration::from_millis(500));
            }
            r => return r,
        }
    }
}

/// How long [`rename`] waits out a file that another program holds for a moment.
const RENAME_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether an error is Windows refusing a file another program has open (sharing or lock
/// violation, or access denied, which is what replacing an open file gives). Never on Unix,
/// where an open file can be replaced.
fn in_use(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// The error for a file that could not be replaced: on Windows, one another program holds
/// open is said in words an inspector acts on (close it in Excel, run again).
fn replace_error(path: &Path, e: std::io::Error) -> Error {
    if in_use(&e) && std::fs::symlink_metadata(long(path)).is_ok() {
        Error::InUse { path: path.to_path_buf() }
    } else {
        Error::write(path, e)
    }
}

/// A path the Windows file functions take however long it is: an absolute path longer than
/// the old limit of 260 characters gets the `\\?\` prefix (which also needs it absolute and
/// with `\` only). The standard library does this itself for its own calls; this is for paths
/// handed on to others (the temporary files' rename). Elsewhere the path as it is.
pub fn long(path: &Path) -> std::borrow::Cow<'_, Path> {
    #[cfg(windows)]
    {
        let s = path.as_os_str();
        if s.len() >= 240 && !s.to_string_lossy().starts_with(r"\\?\") {
            if let Ok(abs) = std::path::absolute(path) {
                let abs = abs.to_string_lossy().into_owned();
                let verbatim = match abs.strip_prefix(r"\\") {
                    Some(unc) => format!(r"\\?\UNC\{unc}"),
                    None => format!(r"\\?\{abs}"),
                };
                return std::borrow::Cow::Owned(PathBuf::from(verbatim));
            }
        }
    }
    std::borrow::Cow::Borrowed(path)
}

/// Flushes a written file to disk. It is opened for writing: Windows refuses to flush a file
/// opened only for reading.
pub fn sync_file(path: &Path) -> Result<()> {
    let f = std::fs::OpenOptions::new().write(true).open(long(path)).map_err(|e| Error::write(path, e))?;
    f.sync_all().map_err(|e| Error::write(path, e))
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
                Some(t) => persist_new(t, &path).map(drop).map_err(|e| {
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
    let Temp { file, _registered: registered } = tmp;
    let tmp = file.into_temp_path();
    rename(&tmp, path).map_err(|e| replace_error(path, e))?;
    let _ = tmp.keep();
    drop(registered);
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

    #[test]
    fn several_files_are_all_replaced_or_none_when_one_cannot_be() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (dir.path().join("a.md"), dir.path().join("b.md"), dir.path().join("c.md"));
        std::fs::write(&a, "old a").unwrap();
        // `b.md` is a folder with a file in it: the rename onto it fails after `a.md` and `c.md`
        // were moved in, and both must be put back as they were.
        std::fs::create_dir(&b).unwrap();
        std::fs::write(b.join("x"), "").unwrap();
        let files =
            vec![(a.clone(), b"new a".to_vec()), (c.clone(), b"new c".to_vec()), (b.clone(), b"new b".to_vec())];
        assert!(write_all_atomic(&files).is_err());
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert!(!c.exists(), "a file that was not there before is not left behind");
        assert!(b.join("x").exists());
        assert_eq!(listing(dir.path()), ["a.md", "b.md"], "no temporary file is left");
        std::fs::remove_dir_all(&b).unwrap();
        write_all_atomic(&files).unwrap();
        for (p, want) in [(&a, "new a"), (&b, "new b"), (&c, "new c")] {
            assert_eq!(std::fs::read_to_string(p).unwrap(), want);
        }
        assert_eq!(listing(dir.path()), ["a.md", "b.md", "c.md"]);
    }

    #[test]
    fn paths_longer_than_260_characters_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_path_buf();
        for i in 0..6 {
            deep.push(format!("{i}-事案フォルダの長い名前を重ねて二百六十文字を超える場所にする"));
        }
        assert!(deep.as_os_str().len() > 300, "{}", deep.display());
        std::fs::create_dir_all(&deep).unwrap();
        let p = deep.join("case.toml");
        write_atomic(&p, b"v1").unwrap();
        assert!(replace_keeping_backups(&p, b"v2").unwrap().is_some());
        write_all_atomic(&[(p.clone(), b"v3".to_vec()), (deep.join("report.md"), b"r".to_vec())]).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"v3");
        sync_file(&p).unwrap();
    }

    /// A file opened without sharing, as Excel holds a workbook.
    #[cfg(windows)]
    fn hold(path: &Path) -> std::fs::File {
        use std::os::windows::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().read(true).write(true).share_mode(0).open(path).unwrap()
    }

    #[cfg(windows)]
    #[test]
    fn a_file_open_in_another_program_is_named_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("report.md"), dir.path().join("report.xlsx"));
        std::fs::write(&a, "old md").unwrap();
        std::fs::write(&b, "old xlsx").unwrap();
        let held = hold(&b);
        let e = write_all_atomic(&[(a.clone(), b"new md".to_vec()), (b.clone(), b"new xlsx".to_vec())]).unwrap_err();
        assert!(matches!(&e, Error::InUse { path } if *path == b), "{e}");
        assert!(e.to_string().contains("閉じてから、もう一度実行してください"), "{e}");
        drop(held);
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old md");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old xlsx");
        assert_eq!(listing(dir.path()), ["report.md", "report.xlsx"]);
    }

    #[cfg(windows)]
    #[test]
    fn a_file_held_for_a_moment_is_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("case.toml");
        std::fs::write(&p, "old").unwrap();
        let held = hold(&p);
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(held);
        });
        write_atomic(&p, b"new").unwrap();
        release.join().unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[test]
    fn a_written_file_is_flushed_through_a_handle_that_may_write() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("findings.csv");
        std::fs::write(&p, "x").unwrap();
        sync_file(&p).unwrap();
        assert!(sync_file(&dir.path().join("missing.csv")).is_err());
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
