//! The evidence files of a case: adding files to its `evidence/` folder under safe names and
//! recording them in `[[evidence]]` (`kensa evidence add`), and listing the records with the
//! state of their files and the files no record names (`kensa evidence list`).
//!
//! A file is copied to a synced temporary file in `evidence/` and renamed to a name that does
//! not exist (never over a file); only when every file of a run is in place is case.toml written,
//! once, through [`store::update`] (comments kept, the previous version in `backup/`). When that
//! write fails, the files just copied are removed. kensa never changes an evidence file after.
//! The caller holds the case folder's lock ([`store::load_for_update`]), so the temporary files
//! found in `evidence/` are what a killed run left: they are removed.

use crate::assess::evidence::{self as facts, EvidenceState, EVIDENCE_DIR};
use crate::case::store::{self, LoadedCase, Saved};
use crate::case::{Evidence, Stamp};
use crate::checklist::Registry;
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The largest file `kensa evidence add` takes (2 GiB).
pub const MAX_EVIDENCE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// The longest name given to a file, in bytes of UTF-8: room is left for `-<n>` and for the
/// 255 bytes that common file systems allow.
const MAX_NAME_BYTES: usize = 180;
/// The name of a file whose own name has nothing usable left.
const FALLBACK_NAME: &str = "evidence";

/// A name for a copy of `source` (a file name or a whole path, written for any system) that
/// cannot leave the folder it is put in and that every common file system takes: only the last
/// part of the path (after `/` or `\`), without control or invisible direction characters,
/// characters Windows refuses (`<>:"|?*`) as `_`, without leading dots and spaces (no hidden
/// file, no `..`) or trailing ones, not a reserved device name of Windows (`CON`, `NUL`, `COM1`…),
/// and not longer than [`MAX_NAME_BYTES`] (the extension kept).
pub fn safe_name(source: &str) -> String {
    let last = source.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible(*c))
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let mut name = trim_name(&cleaned).to_string();
    if name.is_empty() {
        name = FALLBACK_NAME.to_string();
    }
    if is_reserved_on_windows(&name) {
        name.insert(0, '_');
    }
    shorten(&name, MAX_NAME_BYTES)
}

/// Without leading dots and white space, and without trailing ones (Windows drops them).
fn trim_name(s: &str) -> &str {
    s.trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
}

/// Characters that do not show but change how a name reads (zero-width characters, direction
/// overrides that make `txt.exe` look like `exe.txt`).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`, `LPT0`–`LPT9`, with any extension: names Windows
/// gives to devices.
fn is_reserved_on_windows(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default().trim_end().to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit())
}

/// `name` split at its extension (`report.pdf` → `report`, `pdf`); `None` without one.
fn split_ext(name: &str) -> Option<(&str, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then_some((stem, ext))
}

/// `name` cut to at most `max` bytes at a character boundary, keeping a short extension.
fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let cut = |s: &str, n: usize| -> String {
        let mut end = n.min(s.len());
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        trim_name(&s[..end]).to_string()
    };
    match split_ext(name) {
        Some((stem, ext)) if ext.len() <= 16 => {
            let stem = cut(stem, max - ext.len() - 1);
            format!("{}.{ext}", if stem.is_empty() { FALLBACK_NAME } else { &stem })
        }
        _ => cut(name, max),
    }
}

/// The `n`-th name tried for a file named `name`: the name itself, then `<stem>-2.<ext>`,
/// `<stem>-3.<ext>`…
pub fn numbered(name: &str, n: u32) -> String {
    if n <= 1 {
        return name.to_string();
    }
    match split_ext(name) {
        Some((stem, ext)) => format!("{stem}-{n}.{ext}"),
        None => format!("{name}-{n}"),
    }
}

/// Ids for `count` new records: `E<n>` numbered after the highest `E<n>` in use. A number below
/// the highest is not given again even where free, so that an answer still naming a removed
/// record does not come to name a new one.
pub fn next_ids(existing: &[&str], count: usize) -> Vec<String> {
    let highest = existing
        .iter()
        .filter_map(|id| id.strip_prefix('E'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|n| n.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut out = Vec::with_capacity(count);
    let mut n = highest;
    while out.len() < count {
        n += 1;
        let id = format!("E{n}");
        if !existing.contains(&id.as_str()) {
            out.push(id);
        }
    }
    out
}

/// What `kensa evidence add` is told besides the files.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// The id of the record (one file only); `None`: the next `E<n>`.
    pub id: Option<String>,
    pub description: String,
    pub collected_by: String,
    /// When the files were collected (now).
    pub collected_at: Option<Stamp>,
}

/// One file added.
#[derive(Debug, Clone)]
pub struct AddedFile {
    /// The file as given.
    pub source: PathBuf,
    /// The record written.
    pub record: Evidence,
    pub bytes: u64,
    /// `false` when the file was already in `evidence/` and was recorded where it is.
    pub copied: bool,
    /// Ids of other records (existing or added in this run) with the same content.
    pub same_as: Vec<String>,
}

/// What `kensa evidence add` did.
#[derive(Debug, Clone)]
pub struct Added {
    pub files: Vec<AddedFile>,
    pub saved: Saved,
    /// Temporary files a killed run had left in `evidence/`, removed.
    pub swept: Vec<PathBuf>,
}

/// How one source is added.
enum Plan {
    /// Copied into `evidence/` under a name derived from this one.
    Copy { source: PathBuf, name: String },
    /// Already in `evidence/` and recorded by nobody: recorded where it is (`evidence/…`).
    InPlace { source: PathBuf, file: String },
}

/// Copies `sources` into the case's `evidence/` folder and records them, all in one write of
/// case.toml. Every source is checked before anything is written: a folder, a missing file,
/// one larger than [`MAX_EVIDENCE_BYTES`], the same file twice or a file already recorded is
/// refused, as is `--id` with several files or an id in use; then nothing is written. The caller
/// holds the lock of the case folder.
pub fn add(loaded: &LoadedCase, sources: &[PathBuf], opts: &AddOptions, reg: Option<&Registry>) -> Result<Added> {
    if sources.is_empty() {
        return Err(Error::Usage("証跡にするファイルを指定してください".into()));
    }
    let id = match opts.id.as_deref().map(str::trim) {
        None => None,
        Some(_) if sources.len() > 1 => {
            return Err(Error::Usage("--id はファイルを一つだけ指定するときに使えます".into()));
        }
        Some(id) if id.is_empty() || id.chars().any(char::is_control) => {
            return Err(Error::Usage("--id が空か、使えない文字を含んでいます".into()));
        }
        Some(id) if loaded.case.evidence.iter().any(|e| e.id == id) => {
            return Err(Error::Usage(format!(
                "証跡ID「{id}」は既に {} にあります。別の ID を指定するか、--id を省いてください（次の番号を使います）",
                loaded.path.display()
            )));
        }
        Some(id) => Some(id.to_string()),
    };
    let plans = plan(loaded, sources)?;
    let dir = loaded.dir().join(EVIDENCE_DIR);
    // Every writer of `evidence/` holds the lock held now: a temporary file there is a dead run's.
    let swept = crate::fs::sweep_temporary(&dir);
    // Names recorded in the case are taken even when their file is gone: a new file must not
    // come to stand for an old record.
    let recorded: Vec<String> =
        loaded.case.evidence.iter().map(|e| e.file.trim_start_matches("./").to_lowercase()).collect();
    let taken = |name: &str| recorded.contains(&format!("{EVIDENCE_DIR}/{name}").to_lowercase());

    let mut done: Vec<Placed> = Vec::with_capacity(plans.len());
    for p in &plans {
        let step = match p {
            Plan::Copy { source, name } => copy_in(source, &dir, name, &taken).map(|c| Placed {
                // Removed on Ctrl-C until its record is written.
                registered: Some(c.registered),
                file: format!("{EVIDENCE_DIR}/{}", c.name),
                path: c.path,
                sha256: c.sha256,
                bytes: c.bytes,
                copied: true,
            }),
            Plan::InPlace { source, file } => in_place(source).map(|(sha256, bytes)| Placed {
                registered: None,
                path: source.clone(),
                file: file.clone(),
                sha256,
                bytes,
                copied: false,
            }),
        };
        match step {
            Ok(d) => done.push(d),
            Err(e) => {
                remove_copies(&done);
                return Err(e);
            }
        }
    }

    let existing: Vec<&str> = loaded.case.evidence.iter().map(|e| e.id.as_str()).collect();
    let ids = match &id {
        Some(id) => vec![id.clone()],
        None => next_ids(&existing, done.len()),
    };
    let mut new = loaded.case.clone();
    let mut files = Vec::with_capacity(done.len());
    for (d, (id, p)) in done.iter().zip(ids.into_iter().zip(&plans)) {
        let same_as =
            new.evidence.iter().filter(|e| e.sha256.eq_ignore_ascii_case(&d.sha256)).map(|e| e.id.clone()).collect();
        let record = Evidence {
            id,
            file: d.file.clone(),
            sha256: d.sha256.clone(),
            collected_at: opts.collected_at,
            collected_by: opts.collected_by.trim().to_string(),
            description: opts.description.trim().to_string(),
        };
        new.evidence.push(record.clone());
        let source = match p {
            Plan::Copy { source, .. } | Plan::InPlace { source, .. } => source.clone(),
        };
        files.push(AddedFile { source, record, bytes: d.bytes, copied: d.copied, same_as });
    }

    // The case file may have been edited while the files were copied: `update` refuses to undo
    // that edit. Once it has renamed case.toml, the copies are recorded: an interrupt waits until
    // they are no longer registered for removal.
    let written = crate::fs::cleanup::uninterrupted(|| {
        let saved = store::update(loaded, &new, reg);
        if matches!(saved, Ok(_) | Err(Error::Changed { kept: Some(_), .. })) {
            for d in &mut done {
                d.registered = None;
            }
        }
        saved
    });
    let Some(written) = written else {
        remove_copies(&done);
        return Err(Error::file(&loaded.path, "中断しました。何も記録していません"));
    };
    match written {
        Ok(saved) => Ok(Added { files, saved, swept }),
        // Written, and what another program wrote at that moment kept beside: the records are in
        // case.toml, so their files stay.
        Err(e @ Error::Changed { kept: Some(_), .. }) => Err(e),
        Err(e) => {
            remove_copies(&done);
            Err(e.next_step("写した証跡のファイルは削除し、何も記録していません。変更を確かめてから、もう一度 kensa evidence add を実行してください"))
        }
    }
}

/// A file put in place for a record.
struct Placed {
    path: PathBuf,
    /// The path recorded (`evidence/<name>`).
    file: String,
    sha256: String,
    bytes: u64,
    /// Copied by this run (and removed again if the run fails).
    copied: bool,
    /// A copy of this run, registered for removal on Ctrl-C until its record is written.
    registered: Option<crate::fs::cleanup::Registered>,
}

/// Removes the files this run copied (never a file that was there before).
fn remove_copies(done: &[Placed]) {
    for d in done.iter().filter(|d| d.copied) {
        let _ = std::fs::remove_file(&d.path);
    }
}

fn copy_in(source: &Path, dir: &Path, name: &str, taken: &dyn Fn(&str) -> bool) -> Result<crate::fs::Copied> {
    crate::fs::copy_new(source, dir, MAX_EVIDENCE_BYTES, |n| numbered(name, n), taken)
}

/// The hash and size of a file recorded where it is.
fn in_place(source: &Path) -> Result<(String, u64)> {
    let bytes = std::fs::metadata(source).map_err(|e| Error::read(source, e))?.len();
    Ok((crate::fs::sha256_file(source)?, bytes))
}

/// Checks every source and decides how each is added; every problem is reported at once.
fn plan(loaded: &LoadedCase, sources: &[PathBuf]) -> Result<Vec<Plan>> {
    let dir = crate::fs::parent(&loaded.path);
    let case_dir = dir.canonicalize().map_err(|e| Error::read(dir, e))?;
    let evidence_dir = case_dir.join(EVIDENCE_DIR);
    let mut errors = Vec::new();
    let mut plans = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for source in sources {
        let meta = match std::fs::metadata(source) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                errors.push(Error::file(source, "ファイルがありません"));
                continue;
            }
            Err(e) => {
                errors.push(Error::read(source, e));
                continue;
            }
        };
        if meta.is_dir() {
            errors.push(Error::file(
                source,
                "フォルダです。証跡にはファイルを指定してください（フォルダの中のファイルを指定するか、zip にまとめてください）",
            ));
            continue;
        }
        if !meta.is_file() {
            errors.push(Error::file(source, "通常のファイルではありません"));
            continue;
        }
        // What a write of kensa left when it was interrupted (a copy into `evidence/` killed
        // halfway): possibly incomplete, so never evidence.
        if source.file_name().is_some_and(|n| crate::fs::is_temporary(&n.to_string_lossy())) {
            errors.push(Error::file(
                source,
                "kensa の書き込みが途中で止まったときに残る一時ファイルです（中身が途中までのことがあります）。証跡にはできません。不要なら削除してください",
            ));
            continue;
        }
        if meta.len() > MAX_EVIDENCE_BYTES {
            errors.push(Error::file(
                source,
                format!(
                    "ファイルが大きすぎます（{} バイト。上限は {} バイト＝2 GiB）",
                    crate::text::thousands(meta.len()),
                    crate::text::thousands(MAX_EVIDENCE_BYTES)
                ),
            ));
            continue;
        }
        let real = source.canonicalize().map_err(|e| Error::read(source, e))?;
        if seen.contains(&real) {
            errors.push(Error::file(source, "同じファイルが2回指定されています"));
            continue;
        }
        seen.push(real.clone());
        if let Ok(rel) = real.strip_prefix(&evidence_dir) {
            let file = std::iter::once(EVIDENCE_DIR.to_string())
                .chain(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join("/");
            let recorded =
                loaded.case.evidence.iter().find(|e| facts::inside(&case_dir, &e.file).is_some_and(|p| p == real));
            match recorded {
                Some(e) => errors.push(Error::file(source, format!("既に証跡「{}」として記録されています", e.id))),
                None => plans.push(Plan::InPlace { source: source.clone(), file }),
            }
            continue;
        }
        let name = safe_name(&source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        plans.push(Plan::Copy { source: source.clone(), name });
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(Error::many(errors))
    }
}

/// One evidence record with the state of its file.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub id: String,
    pub file: String,
    /// Size of the file, where it is in the case folder.
    pub bytes: Option<u64>,
    pub sha256: String,
    /// `2025-11-20T10:35:00`.
    pub collected_at: Option<String>,
    #[serde(skip)]
    pub collected: Option<Stamp>,
    pub collected_by: String,
    pub description: String,
    /// 確認済み／変更あり／ファイルなし…
    pub state: &'static str,
    /// Whether the file cannot be vouched for.
    pub fault: bool,
    /// The SHA-256 the file has now, where it differs from the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
}

/// A file in `evidence/` no record names.
#[derive(Debug, Clone, Serialize)]
pub struct Unrecorded {
    pub file: String,
    pub bytes: Option<u64>,
}

/// The evidence of a case: every record, then the files nobody recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub records: Vec<Listed>,
    pub unrecorded: Vec<Unrecorded>,
}

/// Lists the evidence records of a case with the state of their files ([`facts::state`]), and
/// the files of `evidence/` that no record names.
pub fn list(loaded: &LoadedCase) -> Listing {
    let dir = loaded.dir();
    let size = |file: &str| facts::inside(dir, file).and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len());
    let records = loaded
        .case
        .evidence
        .iter()
        .map(|e| {
            let st = facts::state(dir, e);
            Listed {
                id: e.id.clone(),
                file: e.file.clone(),
                bytes: if st == EvidenceState::Outside { None } else { size(&e.file) },
                sha256: e.sha256.clone(),
                collected_at: e.collected_at.map(|s| s.iso_full()),
                collected: e.collected_at,
                collected_by: e.collected_by.clone(),
                description: e.description.clone(),
                state: st.label(),
                fault: st.is_fault(),
                now: match st {
                    EvidenceState::Changed { now } => Some(now),
                    _ => None,
                },
            }
        })
        .collect();
    let unrecorded =
        facts::unrecorded(dir, &loaded.case).into_iter().map(|f| Unrecorded { bytes: size(&f), file: f }).collect();
    Listing { records, unrecorded }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_names_stay_in_their_folder() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\x"), "x");
        assert_eq!(safe_name("C:\\Users\\検査\\ログ.txt"), "ログ.txt");
        assert_eq!(safe_name("C:x.txt"), "C_x.txt");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("..."), FALLBACK_NAME);
        assert_eq!(safe_name(".."), FALLBACK_NAME);
        assert_eq!(safe_name(""), FALLBACK_NAME);
        assert_eq!(safe_name("dir/"), FALLBACK_NAME);
        assert_eq!(safe_name("a\u{0}b\nc\td\u{7f}.log"), "abcd.log");
        assert_eq!(safe_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe", "no direction override");
        assert_eq!(safe_name("a<b>c:d\"e|f?g*h.txt"), "a_b_c_d_e_f_g_h.txt");
        assert_eq!(safe_name(" 議事録 .txt. "), "議事録 .txt");
        assert_eq!(safe_name("ｖｐｎ設定　抜粋.txt"), "ｖｐｎ設定　抜粋.txt", "Japanese names stay");
        assert_eq!(safe_name("CON"), "_CON");
        assert_eq!(safe_name("nul.txt"), "_nul.txt");
        assert_eq!(safe_name("com1.log"), "_com1.log");
        assert_eq!(safe_name("console.log"), "console.log");
        let long = format!("{}.pdf", "あ".repeat(100));
        let short = safe_name(&long);
        assert!(short.len() <= MAX_NAME_BYTES && short.ends_with("あ.pdf"), "{short}");
        for hostile in ["../../etc/passwd", "C:\\x", "..\\..\\windows", "/", "a/../..", "\u{0}", ". .", "a\\..\\.."] {
            let n = safe_name(hostile);
            assert!(!n.is_empty() && !n.starts_with('.') && !n.contains(['/', '\\', ':']), "{hostile} → {n}");
            assert_eq!(Path::new(&n).components().count(), 1, "{hostile} → {n}");
        }
    }

    #[test]
    fn names_already_there_get_numbers() {
        assert_eq!(numbered("a.txt", 1), "a.txt");
        assert_eq!(numbered("a.txt", 2), "a-2.txt");
        assert_eq!(numbered("log.tar.gz", 3), "log.tar-3.gz");
        assert_eq!(numbered("README", 2), "README-2");
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::write(&src, "new").unwrap();
        let to = dir.path().join("evidence");
        std::fs::create_dir(&to).unwrap();
        std::fs::write(to.join("memo.txt"), "old").unwrap();
        let c = copy_in(&src, &to, "memo.txt", &|_| false).unwrap();
        assert_eq!(c.name, "memo-2.txt");
        assert_eq!(std::fs::read_to_string(to.join("memo.txt")).unwrap(), "old", "never overwritten");
        let c = copy_in(&src, &to, "memo.txt", &|n| n == "memo-3.txt").unwrap();
        assert_eq!(c.name, "memo-4.txt", "a name recorded for a missing file is taken too");
    }

    #[test]
    fn temporary_files_left_by_an_interrupted_copy_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let case =
            crate::case::Case { format: crate::case::FORMAT_VERSION, case_id: "T-1".into(), ..Default::default() };
        crate::case::save(dir.path(), &case, None).unwrap();
        let loaded = store::load(dir.path()).unwrap();
        let before = std::fs::read(&loaded.path).unwrap();
        std::fs::create_dir(dir.path().join(EVIDENCE_DIR)).unwrap();
        // In `evidence/` (it would be recorded where it is) and elsewhere (it would be copied).
        let left = dir.path().join(EVIDENCE_DIR).join(".kensa-a1B2c3.tmp");
        let moved = dir.path().join(".kensa-x9Y8z7.tmp");
        for source in [&left, &moved] {
            std::fs::write(source, "the first half").unwrap();
            let e = add(&loaded, std::slice::from_ref(source), &AddOptions::default(), None).unwrap_err();
            assert!(e.to_string().contains("一時ファイル"), "{e}");
        }
        assert_eq!(std::fs::read(&loaded.path).unwrap(), before, "nothing recorded");
        assert_eq!(std::fs::read_dir(dir.path().join(EVIDENCE_DIR)).unwrap().count(), 1, "nothing copied");
    }

    #[test]
    fn ids_follow_the_highest() {
        assert_eq!(next_ids(&[], 2), ["E1", "E2"]);
        assert_eq!(next_ids(&["E1", "E2", "E3"], 1), ["E4"]);
        assert_eq!(next_ids(&["E1", "E3"], 1), ["E4"], "a gap is not refilled");
        assert_eq!(next_ids(&["E09", "写真1", "E", "Ex2", "e20"], 2), ["E10", "E11"]);
        assert_eq!(next_ids(&["写真1"], 1), ["E1"]);
    }
}
