//! The temporary files and folders of the running command, removed when it is interrupted
//! (Ctrl-C, SIGTERM, closing a Windows console): each is registered as it is created and
//! unregistered when it is renamed into place or removed ([`Registered`] dropped). One handler,
//! installed by the binary ([`install_handler`]), removes what is registered and ends the process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The exit code of an interrupted command (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// What a registered path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    /// A folder, removed with everything in it.
    Folder,
}

#[derive(Default)]
struct Registry {
    next: u64,
    paths: BTreeMap<u64, (PathBuf, Kind)>,
    /// Set once the handler ran: nothing new is created after.
    interrupted: bool,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry { next: 0, paths: BTreeMap::new(), interrupted: false });

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
}

/// A path registered for removal on interrupt; dropped, it is unregistered (the path itself is
/// left alone: its owner renamed or removed it).
#[derive(Debug)]
pub struct Registered {
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        registry().paths.remove(&self.id);
    }
}

/// Registers a path that exists (or is about to).
pub fn register(path: &Path, kind: Kind) -> Registered {
    let mut r = registry();
    insert(&mut r, path, kind)
}

fn insert(r: &mut Registry, path: &Path, kind: Kind) -> Registered {
    let id = r.next;
    r.next += 1;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    r.paths.insert(id, (path, kind));
    Registered { id }
}

/// Creates something with `create` and registers the path `path_of` gives, both while the
/// registry is held, so that an interrupt finds it either not yet created or registered (never
/// created and unknown). After an interrupt nothing is created.
pub fn create_registered<T>(
    kind: Kind,
    create: impl FnOnce() -> std::io::Result<T>,
    path_of: impl FnOnce(&T) -> PathBuf,
) -> std::io::Result<(T, Registered)> {
    let mut r = registry();
    if r.interrupted {
        return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"));
    }
    let made = create()?;
    let reg = insert(&mut r, &path_of(&made), kind);
    Ok((made, reg))
}

/// An interrupt has come (set by the handler before it waits for [`uninterrupted`] sections).
static INTERRUPT: AtomicBool = AtomicBool::new(false);
/// [`uninterrupted`] sections under way.
static SECTIONS: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` (a commit that must not be cut off after its last rename, before what it made is
/// unregistered: a case file naming evidence copies an interrupt would remove) so that an
/// interrupt waits for it to end. `None`, without running `f`, when an interrupt has come.
pub fn uninterrupted<T>(f: impl FnOnce() -> T) -> Option<T> {
    SECTIONS.fetch_add(1, Ordering::SeqCst);
    if INTERRUPT.load(Ordering::SeqCst) {
        SECTIONS.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    let out = f();
    SECTIONS.fetch_sub(1, Ordering::SeqCst);
    Some(out)
}

/// Removes every registered path and keeps the registry held, so that nothing new is created
/// before the process ends. Returns what was removed.
fn remove_all() -> (MutexGuard<'static, Registry>, Vec<PathBuf>) {
    // Either a section sees the interrupt and does not start, or the handler sees the section and
    // waits for it (both flags sequentially consistent).
    INTERRUPT.store(true, Ordering::SeqCst);
    while SECTIONS.load(Ordering::SeqCst) > 0 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut r = registry();
    let removed = remove_registered(&mut r);
    (r, removed)
}

fn remove_registered(r: &mut Registry) -> Vec<PathBuf> {
    r.interrupted = true;
    let mut removed = Vec::new();
    // Newest first: a file registered inside a registered folder goes before its folder.
    for (path, kind) in r.paths.values().rev() {
        let done = match kind {
            Kind::File => std::fs::remove_file(path),
            Kind::Folder => std::fs::remove_dir_all(path),
        };
        if done.is_ok() {
            removed.push(path.clone());
        }
    }
    r.paths.clear();
    removed
}

/// The paths registered now (for tests).
pub fn registered() -> Vec<PathBuf> {
    registry().paths.values().map(|(p, _)| p.clone()).collect()
}

/// Installs the handler of Ctrl-C and SIGTERM (and of Ctrl+C and closing the console on
/// Windows): it removes the registered temporary files and folders, says so, and ends the
/// process with [`EXIT_INTERRUPTED`]. Locks of case folders end with the process. A handler
/// that cannot be installed leaves the default (the process ends at once; what it leaves is
/// removed by the next run that owns the place).
pub fn install_handler() {
    let _ = ctrlc::set_handler(|| {
        let (_held, removed) = remove_all();
        let note = if removed.is_empty() {
            String::new()
        } else {
            format!("（書きかけの一時ファイル・フォルダ {} 件を削除しました）", removed.len())
        };
        eprintln!("中断しました{note}。");
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_paths_are_removed_and_unregistered_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".kensa-a.tmp");
        let folder = dir.path().join(".kensa-aggregate-x");
        let (_, f) =
            create_registered(Kind::File, || std::fs::write(&file, "x").map(|_| file.clone()), |p| p.clone()).unwrap();
        let (_, d) =
            create_registered(Kind::Folder, || std::fs::create_dir(&folder).map(|_| folder.clone()), |p| p.clone())
                .unwrap();
        std::fs::write(folder.join("summary.md"), "x").unwrap();
        let abs = |p: &Path| std::path::absolute(p).unwrap();
        assert!(registered().contains(&abs(&file)) && registered().contains(&abs(&folder)));
        drop(f);
        assert!(!registered().contains(&abs(&file)), "dropped: no longer removed on interrupt");
        assert!(file.exists(), "unregistering leaves the file to its owner");
        drop(d);
        assert!(!registered().contains(&abs(&folder)));
    }

    #[test]
    fn an_interrupt_removes_what_is_registered_and_then_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".kensa-a.tmp");
        let folder = dir.path().join(".kensa-aggregate-x");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join(".kensa-b.tmp"), "x").unwrap();
        std::fs::write(&file, "x").unwrap();
        let kept = dir.path().join("case.toml");
        std::fs::write(&kept, "x").unwrap();
        let mut r = Registry::default();
        let regs = [insert(&mut r, &folder, Kind::Folder), insert(&mut r, &file, Kind::File)];
        std::mem::forget(regs); // they belong to the local registry, not the global one
        let removed = remove_registered(&mut r);
        assert_eq!(removed.len(), 2, "{removed:?}");
        assert!(!file.exists() && !folder.exists() && kept.exists());
        assert!(r.interrupted && r.paths.is_empty());
    }
}
