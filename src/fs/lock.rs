//! One writer per case folder at a time: a lock file (`.kensa.lock`, locked by the operating
//! system, which releases it when the process ends however it ends) held for the whole read,
//! merge and write, and beside it who holds it (`.kensa.holder`: command, host, process, start
//! time) for the message of a writer that waited in vain. The holder is a file of its own
//! because on Windows a locked file cannot be read by anyone else.
//!
//! Also the staging folders of commands that write elsewhere (`kensa aggregate`): each has a
//! lock file beside it held while it lives, so that a later run tells the folder of a running
//! command from one a killed command left ([`sweep_staging`]).

use super::cleanup::{self, Kind, Registered};
use crate::error::{Error, Result};
use fs4::fs_std::FileExt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The lock file of a case folder.
pub const LOCK_FILE: &str = ".kensa.lock";
/// Who holds the lock of a case folder.
pub const HOLDER_FILE: &str = ".kensa.holder";
/// How long a writer waits for the lock of a case folder.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(50);

/// The lock of a case folder, held until dropped (or the process ends).
#[derive(Debug)]
pub struct FolderLock {
    file: File,
    holder: PathBuf,
    _registered: Registered,
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Who held it goes first, while the lock is still held.
        let _ = std::fs::remove_file(&self.holder);
        let _ = FileExt::unlock(&self.file);
    }
}

/// Takes the lock of the folder `dir` for `command` (`import`, `evidence add`…), waiting up to
/// [`LOCK_WAIT`] for another writer to finish; then an error naming the holder.
pub fn lock_folder(dir: &Path, command: &str) -> Result<FolderLock> {
    lock_folder_waiting(dir, command, LOCK_WAIT)
}

fn lock_folder_waiting(dir: &Path, command: &str, wait: Duration) -> Result<FolderLock> {
    let path = dir.join(LOCK_FILE);
    let file = open_lock_file(&path)?;
    let start = Instant::now();
    loop {
        match file.try_lock_exclusive() {
            Ok(true) => break,
            Ok(false) => {}
            // A file system that keeps no locks (some network shares): the write goes on
            // unlocked, still refused where case.toml changed since it was read.
            Err(_) => break,
        }
        if start.elapsed() >= wait {
            let holder = std::fs::read_to_string(dir.join(HOLDER_FILE)).ok().and_then(|t| Holder::parse(&t));
            return Err(Error::Locked {
                dir: dir.to_path_buf(),
                holder: holder.map(|h| h.describe()),
                waited: wait.as_secs(),
            });
        }
        std::thread::sleep(POLL);
    }
    let holder = dir.join(HOLDER_FILE);
    // Registered before it is written: an interrupt at any moment from here removes it (a note
    // a dead holder left is the lock holder's to replace).
    let registered = cleanup::register(&holder, Kind::File);
    let me = Holder::me(command).text();
    // Written atomically: a waiter reads the whole of it or nothing. A holder file that cannot
    // be written only leaves a waiter without a name.
    let _ = super::write_atomic(&holder, me.as_bytes());
    Ok(FolderLock { file, holder, _registered: registered })
}

fn open_lock_file(path: &Path) -> Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| Error::write(path, e))
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub command: String,
    pub host: String,
    pub pid: u32,
    /// Local time, `2025-11-20 10:35:00`.
    pub started: String,
}

impl Holder {
    fn me(command: &str) -> Holder {
        Holder {
            command: command.to_string(),
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            pid: std::process::id(),
            started: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    /// `key = value` lines (read by [`Holder::parse`]).
    fn text(&self) -> String {
        let clean = |s: &str| s.chars().filter(|c| !c.is_control()).collect::<String>();
        format!(
            "# kensa が事案フォルダに書き込んでいる間だけある記録です。\ncommand = {}\nhost = {}\npid = {}\nstarted = {}\n",
            clean(&self.command),
            clean(&self.host),
            self.pid,
            clean(&self.started)
        )
    }

    fn parse(text: &str) -> Option<Holder> {
        let get = |key: &str| {
            text.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == key).then(|| v.trim().to_string())
            })
        };
        Some(Holder {
            command: get("command")?,
            host: get("host")?,
            pid: get("pid")?.parse().ok()?,
            started: get("started")?,
        })
    }

    /// 「kensa import（コンピュータ PC-01、プロセス 1234、2025-11-20 10:35:00 開始）」
    fn describe(&self) -> String {
        format!(
            "kensa {}（コンピュータ {}、プロセス {}、{} 開始）",
            crate::text::visible(&self.command),
            crate::text::visible(&self.host),
            self.pid,
            crate::text::visible(&self.started)
        )
    }
}

/// A staging folder's lock, held while the folder lives: dropped, the lock file is removed.
#[derive(Debug)]
pub struct StagingLock {
    /// Taken when dropped: unlocked and closed before the file is removed (Windows keeps the
    /// name of a file still open or locked).
    file: Option<File>,
    path: PathBuf,
    _folder: Registered,
    _lock: Registered,
}

impl Drop for StagingLock {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            let _ = FileExt::unlock(&f);
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The lock file of a staging folder: beside it, its name and `.lock`.
fn staging_lock_path(folder: &Path) -> PathBuf {
    let mut name = folder.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    folder.with_file_name(name)
}

/// A new staging folder `<prefix><random>` in `parent`, registered for removal on interrupt,
/// with its lock file beside it, made and locked before the folder (so a folder never lives
/// unlocked) and held until the returned lock is dropped (keep it until the folder has been
/// moved into place or removed).
pub fn staging_dir(parent: &Path, prefix: &str) -> Result<(tempfile::TempDir, StagingLock)> {
    let (name, path, file, lock) = loop {
        let name = format!("{prefix}{}", random_name()?);
        let path = parent.join(format!("{name}.lock"));
        match cleanup::create_registered(Kind::File, || open_lock_file_new(&path), |_| path.clone()) {
            Ok((file, lock)) => break (name, path, file, lock),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::write(&path, e)),
        }
    };
    // Just made: no one else holds it (a file system that keeps no locks leaves it unlocked,
    // and the folder is then swept only when a day old).
    let _ = file.try_lock_exclusive();
    let made = cleanup::create_registered(
        Kind::Folder,
        || tempfile::Builder::new().prefix(&name).rand_bytes(0).tempdir_in(parent),
        |d| d.path().to_path_buf(),
    );
    match made {
        Ok((dir, folder)) => Ok((dir, StagingLock { file: Some(file), path, _folder: folder, _lock: lock })),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(Error::write(parent, e))
        }
    }
}

/// Ten random letters and digits.
fn random_name() -> Result<String> {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Build { what: "一時フォルダの名前", detail: e.to_string() })?;
    Ok(bytes.iter().map(|b| CHARS[usize::from(*b) % CHARS.len()] as char).collect())
}

fn open_lock_file_new(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(path)
}

/// A staging folder whose lock file is not held is left by a run that ended without cleaning up,
/// once the lock file is this old (a live run takes its lock right after creating it).
const UNLOCKED_AGE: Duration = Duration::from_secs(5);
/// A staging folder without a lock file (left by a kensa that kept none; a run makes its lock
/// file before its folder) is left over once this old.
const LOCKLESS_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes the staging folders `<prefix>*` in `parent` that no running command owns: their lock
/// file is not held (a killed run's lock ended with it), or they have none and are a day old.
/// Lock files whose folder is gone go too. Returns what was removed; what cannot be removed stays.
pub fn sweep_staging(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let now = SystemTime::now();
    let old = |p: &Path, age: Duration| {
        std::fs::symlink_metadata(p)
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|d| d >= age))
    };
    let mut removed = Vec::new();
    let mut names: Vec<(PathBuf, bool)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with(prefix)))
        .filter_map(|e| Some((e.path(), e.file_type().ok()?.is_dir())))
        .collect();
    names.sort();
    for (path, is_dir) in names {
        if is_dir {
            let lock = staging_lock_path(&path);
            let stale = match std::fs::OpenOptions::new().read(true).write(true).open(&lock) {
                Ok(f) => match f.try_lock_exclusive() {
                    Ok(true) if old(&lock, UNLOCKED_AGE) => {
                        let gone = std::fs::remove_dir_all(&path).is_ok();
                        // Unlocked and closed first: Windows keeps the name of an open file.
                        let _ = FileExt::unlock(&f);
                        drop(f);
                        let _ = std::fs::remove_file(&lock);
                        if gone {
                            removed.push(path);
                        }
                        continue;
                    }
                    _ => false,
                },
                Err(_) => !lock.exists() && old(&path, LOCKLESS_AGE),
            };
            if stale && std::fs::remove_dir_all(&path).is_ok() {
                removed.push(path);
            }
        } else if path.extension().is_some_and(|e| e == "lock") && !path.with_extension("").exists() {
            // A lock file whose folder was moved into place or removed, its run killed before
            // it removed the lock file.
            if let Ok(f) = std::fs::OpenOptions::new().read(true).write(true).open(&path) {
                if matches!(f.try_lock_exclusive(), Ok(true)) && old(&path, UNLOCKED_AGE) {
                    let _ = FileExt::unlock(&f);
                    drop(f);
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
    }
    removed
}

/// Removes kensa's temporary files (`.kensa-*.tmp`) from the folder `dir`: what writes killed
/// halfway left. Only for a folder whose every writer holds a lock the caller now holds (a case's
/// `evidence/` under the case folder's lock). Returns what was removed.
pub fn sweep_temporary(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut removed: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| e.file_name().to_str().is_some_and(super::is_temporary))
        .map(|e| e.path())
        .filter(|p| std::fs::remove_file(p).is_ok())
        .collect();
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_folder(dir.path(), "import").unwrap();
        let holder = std::fs::read_to_string(dir.path().join(HOLDER_FILE)).unwrap();
        assert!(holder.contains("command = import"), "{holder}");
        let start = Instant::now();
        let e = lock_folder_waiting(dir.path(), "evidence add", Duration::from_millis(300)).unwrap_err().to_string();
        assert!(start.elapsed() >= Duration::from_millis(300));
        assert!(e.contains("kensa import") && e.contains(&format!("プロセス {}", std::process::id())), "{e}");
        assert!(e.contains("書き込み中"), "{e}");
        drop(first);
        assert!(!dir.path().join(HOLDER_FILE).exists(), "the holder goes with the lock");
        let second = lock_folder_waiting(dir.path(), "evidence add", Duration::from_millis(300)).unwrap();
        let holder = std::fs::read_to_string(dir.path().join(HOLDER_FILE)).unwrap();
        assert!(holder.contains("command = evidence add"), "{holder}");
        drop(second);
    }

    #[test]
    fn a_waiter_gets_the_lock_when_the_holder_finishes() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_folder(dir.path(), "import").unwrap();
        let d = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || lock_folder_waiting(&d, "import", Duration::from_secs(10)).is_ok());
        std::thread::sleep(Duration::from_millis(200));
        drop(first);
        assert!(waiter.join().unwrap());
    }

    #[test]
    fn holders_read_back() {
        let h = Holder {
            command: "evidence add".into(),
            host: "PC-01".into(),
            pid: 42,
            started: "2025-11-20 10:35:00".into(),
        };
        assert_eq!(Holder::parse(&h.text()), Some(h));
        assert_eq!(Holder::parse("command = import\n"), None);
    }

    #[cfg(unix)]
    fn age(p: &Path) {
        let f = std::fs::File::options().write(true).open(p).or_else(|_| std::fs::File::open(p)).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(60)).unwrap();
    }

    #[test]
    fn staging_folders_are_made_after_their_lock() {
        let dir = tempfile::tempdir().unwrap();
        let (staging, lock) = staging_dir(dir.path(), ".kensa-aggregate-").unwrap();
        let name = staging.path().file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".kensa-aggregate-") && name.len() == ".kensa-aggregate-".len() + 10, "{name}");
        let lock_path = staging_lock_path(staging.path());
        let f = std::fs::File::open(&lock_path).unwrap();
        assert!(!f.try_lock_exclusive().unwrap(), "held while the folder lives");
        // Closed here: on Windows a file's name stays while any handle on it is open.
        drop(f);
        drop(staging);
        drop(lock);
        assert!(!lock_path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    // A killed run is imitated by leaking its lock's handle, which on Windows keeps the lock
    // file's name and its lock as a killed process does not: Unix only.
    #[cfg(unix)]
    #[test]
    fn only_staging_folders_of_ended_runs_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let (live, live_lock) = staging_dir(dir.path(), ".kensa-aggregate-").unwrap();
        age(&staging_lock_path(live.path()));
        // A run that was killed: its folder and its lock file, no longer held.
        let (dead, dead_lock) = staging_dir(dir.path(), ".kensa-aggregate-").unwrap();
        let dead_path = dead.keep();
        std::fs::write(dead_path.join("summary.md"), "x").unwrap();
        let dead_lock_path = staging_lock_path(&dead_path);
        std::mem::forget(dead_lock); // as a killed run: the file stays, …
                                     // … and its lock ends with the process: here, a new handle on a file never locked.
        std::fs::remove_file(&dead_lock_path).unwrap();
        std::fs::write(&dead_lock_path, "").unwrap();
        // Young: a run may be between creating its lock file and locking it.
        assert_eq!(sweep_staging(dir.path(), ".kensa-aggregate-"), Vec::<PathBuf>::new());
        age(&dead_lock_path);
        // A folder without a lock file: kept until a day old.
        let lockless = dir.path().join(".kensa-aggregate-old");
        std::fs::create_dir(&lockless).unwrap();
        let other = dir.path().join("集計");
        std::fs::create_dir(&other).unwrap();
        assert_eq!(sweep_staging(dir.path(), ".kensa-aggregate-"), vec![dead_path.clone()]);
        assert!(!dead_path.exists() && !dead_lock_path.exists());
        assert!(live.path().exists() && lockless.exists() && other.exists());
        drop(live_lock);
        drop(live);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn temporary_files_are_swept_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for n in [".kensa-abc.tmp", "a.txt", ".kensa-.tmp", "log.tmp"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        assert_eq!(sweep_temporary(dir.path()), vec![dir.path().join(".kensa-abc.tmp")]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }
}
