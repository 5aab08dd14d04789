//! Crash safety: `kensa import`, `kensa evidence add` and `kensa report` killed (SIGKILL) at many
//! points while they write. After every kill, case.toml reads and is the old or the new version
//! in full, no file is under its final name half-written (an evidence copy is its source byte
//! for byte), each file of a report is the complete old or new one, and a report left half old,
//! half new is one that `kensa verify` refuses.
//!
//! Each run starts from a fresh copy of the folder as it was before the command. Kill points:
//! - exact: under `strace`, SIGKILL on entry to one chosen call that changes files, numbered by
//!   a traced run first: every create, rename, link, unlink and mkdir, and data writes spread
//!   over the copy (all of them, and every fchmod, fsync and write of output besides, with
//!   `KENSA_CRASH_POINTS=all`). Skipped, with a note, where strace is missing or may not trace (a failure under
//!   `KENSA_REQUIRE_TOOLS=1`, as in `.ci/run`).
//! - counted: SIGKILL as soon as `/proc/<pid>/io` counts k write calls, k spread over the run
//!   (the kill lands a little later than k: it is not exact, but needs nothing installed).
//! - timed: SIGKILL after delays spread over the run's duration.
//!
//! `KENSA_CRASH_POINTS=<n>` takes n points of each spread (data writes, counted, timed; a few by
//! default), `KENSA_CRASH_POINTS=all` every traced call, every count and 12 delays. Run with
//! `cargo test --test it crash -- --nocapture` to see how many kills landed where.

use crate::harness::{copy_dir, kensa_in, root};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The calls that change files: the traced set of the exact kill points (`?`: a name this
/// system does not have is passed over).
const WRITE_CALLS: &str = "?write,?writev,?pwrite64,?open,?openat,?creat,?fchmod,?fsync,?fdatasync,?rename,\
?renameat,?renameat2,?link,?linkat,?unlink,?unlinkat,?mkdir,?mkdirat,?ftruncate,?copy_file_range";

/// The `--generated-at` of the report already in the output folder, and of the new one.
const OLD_AT: &str = "2025-11-01T10:00:00";
const NEW_AT: &str = "2025-11-02T10:00:00";

/// How many points of each spread, from `KENSA_CRASH_POINTS` (`None`: all).
fn points(default: usize) -> Option<usize> {
    match std::env::var("KENSA_CRASH_POINTS") {
        Ok(v) if v.trim() == "all" => None,
        Ok(v) => Some(v.trim().parse().expect("KENSA_CRASH_POINTS: a number or all")),
        Err(_) => Some(default),
    }
}

/// `n` of the indices `0..len`, evenly spread with the first and the last; all with `None`.
fn spread(len: usize, n: Option<usize>) -> Vec<usize> {
    match n {
        _ if len == 0 => Vec::new(),
        Some(n) if n < len => {
            let n = n.max(1);
            let mut v: Vec<usize> = (0..n).map(|i| if n == 1 { len / 2 } else { i * (len - 1) / (n - 1) }).collect();
            v.dedup();
            v
        }
        _ => (0..len).collect(),
    }
}

fn is_temp(name: &str) -> bool {
    kensa::fs::is_temporary(name)
}

/// The names in a folder (none when it is missing).
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

fn sha256(bytes: &[u8]) -> String {
    kensa::fs::sha256_hex(bytes)
}

/// Where a kill left the folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Left {
    /// Nothing changed.
    Before,
    /// Something changed, not everything: the kill landed while the command wrote.
    Between,
    /// Everything the command writes is there (it may still have been killed, printing).
    After,
}

/// What a check found in a folder a run left, invariants kept.
struct Found {
    left: Left,
    /// Temporary files left beside their targets (`.kensa-*.tmp`).
    temps: usize,
    /// A report left half old, half new (refused by `kensa verify`).
    mixed_report: bool,
}

/// One command killed over and over.
trait Scenario {
    fn name(&self) -> &'static str;
    /// The folder as it is before the command (copied for each run).
    fn before(&self) -> &Path;
    /// The command, run in a copy of [`Scenario::before`].
    fn args(&self) -> Vec<OsString>;
    /// Learns what the command leaves when it runs to its end in `dir`.
    fn learn(&mut self, dir: &Path);
    /// Checks what a run, killed or not, left in `dir`: the invariants broken, if any.
    fn check(&self, dir: &Path) -> Result<Found, Vec<String>>;
    /// What else the checks saw, for the summary.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

fn kensa_cmd(dir: &Path, args: &[OsString]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kensa"));
    c.args(args).current_dir(dir).env_remove("KENSA_CHECKLISTS").stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// `syscw` of `/proc/<pid>/io`: how many write calls the process made.
fn write_calls(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    text.lines().find_map(|l| l.strip_prefix("syscw:")).and_then(|v| v.trim().parse().ok())
}

/// Runs the command to its end; its write calls (`None` where `/proc/<pid>/io` cannot be read)
/// and its duration.
fn measured(dir: &Path, args: &[OsString]) -> (Option<u64>, Duration) {
    let start = Instant::now();
    let mut child = kensa_cmd(dir, args).spawn().expect("kensa runs");
    let mut calls = None;
    let status = loop {
        // Read before reaping: an exited child still answers until it is waited for.
        let now = write_calls(child.id());
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        calls = now.or(calls);
        std::thread::sleep(Duration::from_micros(200));
    };
    let took = start.elapsed();
    assert!(status.success(), "{:?} in {}: {status}", args, dir.display());
    (calls, took)
}

/// How a run is ended.
#[derive(Debug, Clone)]
enum Kill {
    /// Under strace, on entry to the `nth` call of `call` (`what`: the call as traced).
    Exact { call: String, nth: usize, what: String },
    /// As soon as the process has made `k` write calls.
    Counted(u64),
    /// After a delay.
    Timed(Duration),
}

impl std::fmt::Display for Kill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Kill::Exact { call, nth, what } => write!(f, "killed on entry to {call} #{nth} ({what})"),
            Kill::Counted(k) => write!(f, "killed at {k} write calls"),
            Kill::Timed(d) => write!(f, "killed after {d:?}"),
        }
    }
}

/// Runs the command in `dir`, ended by `kill`. `true` when it was killed.
fn run_killed(dir: &Path, args: &[OsString], kill: &Kill) -> bool {
    let status: ExitStatus = match kill {
        Kill::Exact { call, nth, .. } => {
            // Without `--seccomp-bpf`: strace 6 delivers no injected signal with it.
            let mut c = strace(Path::new("/dev/null"));
            c.arg("-e").arg(format!("inject={call}:signal=KILL:when={nth}"));
            c.arg("--").arg(env!("CARGO_BIN_EXE_kensa")).args(args);
            c.current_dir(dir).env_remove("KENSA_CHECKLISTS").stdout(Stdio::null()).stderr(Stdio::null());
            // strace ends itself with the signal that ended the traced process.
            c.status().expect("strace runs")
        }
        Kill::Counted(k) => {
            let mut child = kensa_cmd(dir, args).spawn().expect("kensa runs");
            loop {
                let n = write_calls(child.id());
                if n.is_some_and(|n| n >= *k) {
                    let _ = child.kill();
                    break child.wait().unwrap();
                }
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                // Spin once it writes; until then, leave the processor to it.
                if n.unwrap_or(0) == 0 {
                    std::thread::sleep(Duration::from_micros(200));
                } else {
                    std::thread::yield_now();
                }
            }
        }
        Kill::Timed(after) => {
            let mut child = kensa_cmd(dir, args).spawn().expect("kensa runs");
            std::thread::sleep(*after);
            let _ = child.kill();
            child.wait().unwrap()
        }
    };
    match status.signal() {
        Some(9) => true,
        None if status.success() => false,
        _ => panic!("{args:?}, {kill}: ended with {status}"),
    }
}

/// strace tracing the calls that change files into `out`.
fn strace(out: &Path) -> Command {
    let mut c = Command::new("strace");
    c.args(["-f", "-qq", "-o"]).arg(out).arg("-e").arg(format!("trace={WRITE_CALLS}"));
    c
}

/// Whether strace is installed and may trace here (containers may forbid ptrace).
fn strace_works() -> bool {
    let mut c = strace(Path::new("/dev/null"));
    c.args(["--", "true"]).stdout(Stdio::null()).stderr(Stdio::null());
    c.status().is_ok_and(|s| s.success())
}

/// One call that changes files, as a run to its end made it.
struct Event {
    call: String,
    /// Its number among the calls of that name of its thread (strace counts per thread).
    nth: usize,
    /// The line traced (shortened).
    what: String,
    /// A write of file data (not of the output to the terminal).
    data: bool,
    /// It changes what a killed run leaves: a create, data written, a rename, link, unlink or
    /// mkdir (not a failed call, an fsync, a change of mode, output).
    changes: bool,
}

/// The calls that change files of a run of the command to its end in `dir`, and the number of
/// threads that made any.
fn events(dir: &Path, args: &[OsString]) -> (Vec<Event>, usize) {
    let trace = dir.with_extension("trace");
    let status = strace(&trace)
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_kensa"))
        .args(args)
        .current_dir(dir)
        .env_remove("KENSA_CHECKLISTS")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "traced run: {status}");
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut out = Vec::new();
    for line in text.lines() {
        // `<pid> <call>(<arguments>) = <result>`; `<pid> <... call resumed>` continues a call.
        let Some((pid, rest)) = line.split_once(' ') else { continue };
        let rest = rest.trim_start();
        let Some((call, _)) = rest.split_once('(') else { continue };
        if call.is_empty() || !call.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let nth = seen.entry((pid.to_string(), call.to_string())).or_default();
        *nth += 1;
        if (call.starts_with("open") && !rest.contains("O_CREAT")) || rest.contains("= -1 ") {
            continue; // opened for reading, or failed: nothing changed
        }
        let output = call.contains("write")
            && (rest.starts_with(&format!("{call}(1,")) || rest.starts_with(&format!("{call}(2,")));
        let data = call.contains("write") && !output;
        let changes = !output && !call.contains("sync") && call != "fchmod";
        out.push(Event { call: call.to_string(), nth: *nth, what: rest.chars().take(100).collect(), data, changes });
    }
    let threads = seen.keys().map(|(pid, _)| pid).collect::<BTreeSet<_>>().len();
    (out, threads)
}

/// The kills of one kind and what they left.
#[derive(Default)]
struct Tally {
    tried: usize,
    killed: usize,
    before: usize,
    between: usize,
    after: usize,
    /// Kills that left temporary files.
    temps: usize,
    /// Kills that left a report half old, half new.
    mixed: usize,
}

/// Kills the scenario's command at many points and checks each result; prints a summary and
/// panics listing every invariant broken.
fn crash(mut s: impl Scenario) {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let args = s.args();
    let before = s.before().to_path_buf();
    let fresh = |name: &str| {
        let dir = tmp.path().join(name);
        copy_dir(&before, &dir);
        dir
    };

    // The run to its end: what it leaves, its write calls, its duration.
    let done = fresh("reference");
    let (calls, took) = measured(&done, &args);
    s.learn(&done);
    if let Err(errors) = s.check(&done) {
        panic!("{}: the run to its end fails the checks:\n{}", s.name(), errors.join("\n"));
    }
    std::fs::remove_dir_all(&done).unwrap();

    let mut kills: Vec<(&'static str, Kill)> = Vec::new();
    let mut notes = Vec::new();
    if strace_works() {
        let (events, threads) = events(&fresh("traced"), &args);
        if threads > 1 {
            notes.push(format!("{threads} threads changed files: the exact points may land elsewhere"));
        }
        // By default every call that changes what a kill leaves, data writes spread; all: every call.
        let all = points(0).is_none();
        let data: Vec<usize> = (0..events.len()).filter(|i| events[*i].data).collect();
        let chosen: BTreeSet<usize> = spread(data.len(), points(6)).into_iter().map(|i| data[i]).collect();
        for (i, e) in events.into_iter().enumerate() {
            if all || (e.changes && (!e.data || chosen.contains(&i))) {
                kills.push(("exact", Kill::Exact { call: e.call, nth: e.nth, what: e.what }));
            }
        }
    } else {
        // The kills at write counts and delays still run.
        crate::harness::tool_missing("strace がないか、ここではトレースできません（正確な停止点の試験）");
        notes.push("strace is missing or may not trace here: no exact kill points".to_string());
    }
    match calls {
        Some(total) => {
            for i in spread(total as usize, points(5)) {
                kills.push(("counted", Kill::Counted(i as u64 + 1)));
            }
        }
        None => notes.push("/proc/<pid>/io cannot be read here: no counted kill points".to_string()),
    }
    let n = points(3).unwrap_or(12);
    for i in 0..n {
        kills.push(("timed", Kill::Timed(took * (i as u32 + 1) / (n as u32 + 1))));
    }

    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut broken = Vec::new();
    for (i, (kind, kill)) in kills.iter().enumerate() {
        let dir = fresh(&format!("run-{i}"));
        let killed = run_killed(&dir, &args, kill);
        let t = tally.entry(kind).or_default();
        t.tried += 1;
        t.killed += usize::from(killed);
        match s.check(&dir) {
            Ok(found) => {
                match found.left {
                    Left::Before => t.before += 1,
                    Left::Between => t.between += 1,
                    Left::After => t.after += 1,
                }
                t.temps += usize::from(found.temps > 0);
                t.mixed += usize::from(found.mixed_report);
            }
            Err(errors) => broken.extend(errors.into_iter().map(|e| format!("{kill}: {e}"))),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let mut summary = format!(
        "{}: {} kill points in {:.1?} (one run to its end: {took:.1?})",
        s.name(),
        kills.len(),
        started.elapsed()
    );
    for (kind, t) in &tally {
        summary.push_str(&format!(
            "\n  {kind}: {} tried, {} killed; left before {}, mid-write {}, after {}; temporary files left {}, half-old reports {}",
            t.tried, t.killed, t.before, t.between, t.after, t.temps, t.mixed
        ));
    }
    for note in notes.iter().chain(&s.notes()) {
        summary.push_str(&format!("\n  {note}"));
    }
    summary.push_str(&format!("\n  invariants broken: {}", broken.len()));
    eprintln!("{summary}");
    assert!(broken.is_empty(), "{summary}\n{}", broken.join("\n"));
}

/// A case folder's `backup/`: how many backups (each must be `old`) and temporary files; the
/// problems found.
fn check_backups(case: &Path, old: &[u8], errors: &mut Vec<String>) -> (usize, usize) {
    let (mut backups, mut temps) = (0, 0);
    for name in names(&case.join("backup")) {
        if is_temp(&name) {
            temps += 1;
        } else if std::fs::read(case.join("backup").join(&name)).unwrap() == old {
            backups += 1;
        } else {
            errors.push(format!("backup/{name} is not the case file as it was"));
        }
    }
    (backups, temps)
}

/// The lock of a case folder (stays) and who holds it (left by a killed holder until the next
/// writer of the folder).
const LOCK: &str = kensa::fs::lock::LOCK_FILE;
const HOLDER: &str = kensa::fs::lock::HOLDER_FILE;

/// The names in `dir` that were not there in `before`: temporary files counted, anything
/// else a problem.
fn check_new_names(dir: &Path, before: &BTreeSet<String>, also: &[&str], errors: &mut Vec<String>) -> usize {
    let mut temps = 0;
    for name in names(dir).difference(before) {
        if is_temp(name) {
            temps += 1;
        } else if !also.contains(&name.as_str()) {
            errors.push(format!("unexpected file {}", dir.join(name).display()));
        }
    }
    temps
}

/// case.toml read and parsed; a problem when it is missing or does not parse.
fn read_case(case: &Path, errors: &mut Vec<String>) -> Option<(Vec<u8>, kensa::case::Case)> {
    let path = case.join("case.toml");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            errors.push(format!("case.toml: {e}"));
            return None;
        }
    };
    match kensa::case::store::parse(&path, &String::from_utf8_lossy(&bytes)) {
        Ok(case) => Some((bytes, case)),
        Err(e) => {
            errors.push(format!("case.toml does not parse: {e}"));
            None
        }
    }
}

// ---- kensa import ----

/// `kensa import case filled.xlsx`: a workbook of the clinic sample returned with a changed
/// address and changed notes on three answers.
struct Import {
    _tmp: tempfile::TempDir,
    before: PathBuf,
    old: Vec<u8>,
    new: Vec<u8>,
    before_names: BTreeSet<String>,
}

impl Import {
    fn new() -> Import {
        let tmp = tempfile::tempdir().unwrap();
        let case = tmp.path().join("before/case");
        copy_dir(&root().join("samples/clinic-routine"), &case);
        let exported = kensa::case::load(&case).unwrap().case;
        let mut filled = exported.clone();
        filled.facility.address = "架空県南部郡架空町さくら坂3番地7（移転後）".into();
        for (i, a) in filled.answers.iter_mut().take(3).enumerate() {
            a.note = format!("再確認の記録 {}: 取り込みで書き換えた記述", i + 1);
        }
        let reg = kensa::checklist::Registry::load(None).unwrap();
        let wb =
            kensa::workbook::write::build_as_filled(&exported, &filled, &reg, kensa::workbook::Audience::Inspector)
                .unwrap();
        std::fs::write(tmp.path().join("before/filled.xlsx"), wb).unwrap();
        let old = std::fs::read(case.join("case.toml")).unwrap();
        Import { before_names: names(&case), before: tmp.path().join("before"), _tmp: tmp, old, new: Vec::new() }
    }
}

impl Scenario for Import {
    fn name(&self) -> &'static str {
        "import"
    }
    fn before(&self) -> &Path {
        &self.before
    }
    fn args(&self) -> Vec<OsString> {
        ["import", "case", "filled.xlsx"].map(OsString::from).to_vec()
    }
    fn learn(&mut self, dir: &Path) {
        self.new = std::fs::read(dir.join("case/case.toml")).unwrap();
        assert_ne!(self.new, self.old, "the import changes case.toml");
    }
    fn check(&self, dir: &Path) -> Result<Found, Vec<String>> {
        let case = dir.join("case");
        let mut errors = Vec::new();
        let state = read_case(&case, &mut errors).and_then(|(bytes, _)| {
            if bytes == self.old {
                Some(Left::Before)
            } else if bytes == self.new {
                Some(Left::After)
            } else {
                errors.push("case.toml is neither the old nor the new version".into());
                None
            }
        });
        let (backups, backup_temps) = check_backups(&case, &self.old, &mut errors);
        let temps = backup_temps + check_new_names(&case, &self.before_names, &["backup", LOCK, HOLDER], &mut errors);
        let Some(state) = state.filter(|_| errors.is_empty()) else { return Err(errors) };
        let left = match (state, backups, temps, case.join("backup").exists()) {
            (Left::Before, 0, 0, false) => Left::Before,
            (Left::After, 1, 0, _) => Left::After,
            _ => Left::Between,
        };
        Ok(Found { left, temps, mixed_report: false })
    }
}

// ---- kensa evidence add ----

/// `kensa evidence add case <three files>` on the ransomware sample, which has evidence files
/// already: a large file (8 MiB, copied in many writes), one of a few hundred KiB, and a text
/// named like a file in `evidence/` (copied as `…-2.txt`).
struct EvidenceAdd {
    _tmp: tempfile::TempDir,
    before: PathBuf,
    sources: Vec<PathBuf>,
    old: Vec<u8>,
    /// Files in `evidence/` before: name → bytes.
    old_files: BTreeMap<String, Vec<u8>>,
    /// The new case.toml and what it parses as, both without the new records' collection time.
    new: (String, kensa::case::Case),
    /// Files in `evidence/` after: name → bytes.
    new_files: BTreeMap<String, Vec<u8>>,
    /// SHA-256 of every file in `evidence/` after, by its path in a record (`evidence/<name>`).
    sha: BTreeMap<String, String>,
    before_names: BTreeSet<String>,
    /// Whether a temporary file left in `evidence/` was offered to `kensa evidence add` yet.
    offered_leftover: std::cell::Cell<bool>,
}

/// `n` bytes that do not compress (xorshift), the same on every run.
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(n);
    out
}

/// The files of a case's `evidence/` (name relative to it, with `/` → bytes), and how many
/// temporary files are among them.
fn evidence_files(case: &Path) -> (BTreeMap<String, Vec<u8>>, usize) {
    let dir = case.join("evidence");
    let (mut files, mut temps) = (BTreeMap::new(), 0);
    if !dir.is_dir() {
        return (files, temps);
    }
    for e in walkdir::WalkDir::new(&dir).into_iter().map(|e| e.unwrap()).filter(|e| e.file_type().is_file()) {
        if is_temp(&e.file_name().to_string_lossy()) {
            temps += 1;
        } else {
            let rel = e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    (files, temps)
}

/// A case file without the collection times of evidence records not in `old` (they are the
/// time of the run): its text with those values replaced, and what it parses as without them.
fn without_new_times(text: &str, old: &kensa::case::Case) -> (String, kensa::case::Case) {
    let mut case: kensa::case::Case = toml::from_str(text).unwrap();
    let mut times = Vec::new();
    for e in case.evidence.iter_mut().filter(|e| !old.evidence.iter().any(|o| o.id == e.id)) {
        times.extend(e.collected_at.take());
    }
    let lines: Vec<String> = times
        .iter()
        .map(|t| format!("collected_at = {}T{}", t.date, t.time.map(|t| t.to_string()).unwrap_or_default()))
        .collect();
    let text = text.lines().map(|l| if lines.iter().any(|t| t == l) { "collected_at = <the run>" } else { l });
    (text.collect::<Vec<_>>().join("\n"), case)
}

impl EvidenceAdd {
    fn new() -> EvidenceAdd {
        let tmp = tempfile::tempdir().unwrap();
        let case = tmp.path().join("before/case");
        copy_dir(&root().join("samples/ransomware-hospital"), &case);
        let src = tmp.path().join("持ち帰り");
        std::fs::create_dir_all(&src).unwrap();
        let sources = vec![src.join("disk-image.bin"), src.join("scan.pdf"), src.join("vpn-log-excerpt.txt")];
        std::fs::write(&sources[0], noise(8 << 20, 0x9e37_79b9_7f4a_7c15)).unwrap();
        std::fs::write(&sources[1], noise(600 << 10, 7)).unwrap();
        std::fs::write(&sources[2], "2025-06-20 03:10 login admin（同名の別ファイル）\n").unwrap();
        assert!(case.join("evidence/vpn-log-excerpt.txt").is_file(), "a name in use");
        EvidenceAdd {
            old: std::fs::read(case.join("case.toml")).unwrap(),
            old_files: evidence_files(&case).0,
            before_names: names(&case),
            before: tmp.path().join("before"),
            _tmp: tmp,
            sources,
            new: (String::new(), kensa::case::Case::default()),
            new_files: BTreeMap::new(),
            sha: BTreeMap::new(),
            offered_leftover: std::cell::Cell::new(false),
        }
    }

    fn old_case(&self) -> kensa::case::Case {
        toml::from_str(std::str::from_utf8(&self.old).unwrap()).unwrap()
    }
}

impl Scenario for EvidenceAdd {
    fn name(&self) -> &'static str {
        "evidence add"
    }
    fn before(&self) -> &Path {
        &self.before
    }
    fn args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = ["evidence", "add", "case"].map(OsString::from).to_vec();
        args.extend(self.sources.iter().map(|p| p.clone().into_os_string()));
        args
    }
    fn learn(&mut self, dir: &Path) {
        let text = std::fs::read_to_string(dir.join("case/case.toml")).unwrap();
        self.new = without_new_times(&text, &self.old_case());
        assert_eq!(self.new.1.evidence.len(), self.old_case().evidence.len() + 3);
        self.new_files = evidence_files(&dir.join("case")).0;
        let added: Vec<&String> = self.new_files.keys().filter(|n| !self.old_files.contains_key(*n)).collect();
        assert_eq!(added, ["disk-image.bin", "scan.pdf", "vpn-log-excerpt-2.txt"], "the copies' names");
        for (name, source) in added.iter().zip(&self.sources) {
            assert!(self.new_files[*name] == std::fs::read(source).unwrap(), "{name} is its source");
        }
        self.sha = self.new_files.iter().map(|(name, bytes)| (format!("evidence/{name}"), sha256(bytes))).collect();
    }
    fn notes(&self) -> Vec<String> {
        let offered = "a temporary file left in evidence/ offered to kensa evidence add: refused";
        self.offered_leftover.get().then(|| offered.to_string()).into_iter().collect()
    }
    fn check(&self, dir: &Path) -> Result<Found, Vec<String>> {
        let case = dir.join("case");
        let mut errors = Vec::new();
        let (files, ev_temps) = evidence_files(&case);
        let mut copies = 0;
        for (name, bytes) in &files {
            if let Some(old) = self.old_files.get(name) {
                if old != bytes {
                    errors.push(format!("evidence/{name} was there before and has changed"));
                }
            } else if let Some(new) = self.new_files.get(name) {
                if new == bytes {
                    copies += 1;
                } else {
                    errors.push(format!(
                        "evidence/{name} is not its source byte for byte ({} of {} bytes): half-copied?",
                        bytes.len(),
                        new.len()
                    ));
                }
            } else {
                errors.push(format!("evidence/{name}: a name the command does not write"));
            }
        }
        let state = read_case(&case, &mut errors).and_then(|(bytes, parsed)| {
            if bytes == self.old {
                return Some(Left::Before);
            }
            if without_new_times(&String::from_utf8_lossy(&bytes), &self.old_case()) != self.new {
                errors.push("case.toml is neither the old nor the new version".into());
                return None;
            }
            // The new version: every record's file is there (its bytes checked above) with the
            // SHA-256 recorded.
            for e in &parsed.evidence {
                let file = e.file.trim_start_matches("./");
                let there = file.strip_prefix("evidence/").is_some_and(|n| files.contains_key(n));
                match self.sha.get(file) {
                    Some(sha) if there && sha.eq_ignore_ascii_case(&e.sha256) => {}
                    _ if !there => errors.push(format!("{file} is recorded and not there")),
                    _ => errors.push(format!("{file}: the SHA-256 recorded is not the file's")),
                }
            }
            Some(Left::After)
        });
        let (backups, backup_temps) = check_backups(&case, &self.old, &mut errors);
        let temps = ev_temps
            + backup_temps
            + check_new_names(&case, &self.before_names, &["backup", "evidence", LOCK, HOLDER], &mut errors);
        if ev_temps > 0 && errors.is_empty() && !self.offered_leftover.replace(true) {
            // What a copy killed halfway left is never taken as evidence.
            let left = names(&case.join("evidence")).into_iter().find(|n| is_temp(n)).unwrap();
            let before = std::fs::read(case.join("case.toml")).unwrap();
            let r = kensa_in(dir, &["evidence", "add", "case", &format!("case/evidence/{left}")]);
            if r.code != 1
                || !r.stderr.contains("一時ファイル")
                || std::fs::read(case.join("case.toml")).unwrap() != before
            {
                errors.push(format!("evidence add takes the temporary file {left}: {}", r.all()));
            }
        }
        let Some(state) = state.filter(|_| errors.is_empty()) else { return Err(errors) };
        let left = match (state, copies, backups, temps) {
            (Left::Before, 0, 0, 0) if !case.join("backup").exists() => Left::Before,
            (Left::After, 3, 1, 0) => Left::After,
            _ => Left::Between,
        };
        Ok(Found { left, temps, mixed_report: false })
    }
}

// ---- kensa report ----

/// The files of a report in its folder.
const REPORT_FILES: [&str; 4] = ["report.xlsx", "report.md", "report.html", "kensa-report.toml"];

/// `kensa report case --out out` over a complete earlier report of the same case in `out`
/// (another `--generated-at`, so that every file differs).
struct Report {
    _tmp: tempfile::TempDir,
    before: PathBuf,
    old: BTreeMap<&'static str, Vec<u8>>,
    new: BTreeMap<&'static str, Vec<u8>>,
    case: Vec<u8>,
    old_log: Vec<u8>,
    before_names: BTreeSet<String>,
}

/// The entries of a case folder's `reports.toml`.
fn log_entries(bytes: &[u8]) -> Option<Vec<toml::Value>> {
    let t: toml::Table = std::str::from_utf8(bytes).ok()?.parse().ok()?;
    Some(t.get("reports")?.as_array()?.clone())
}

impl Report {
    fn new() -> Report {
        let tmp = tempfile::tempdir().unwrap();
        let before = tmp.path().join("before");
        copy_dir(&root().join("samples/ransomware-hospital"), &before.join("case"));
        kensa_in(&before, &["report", "case", "--out", "out", "--generated-at", OLD_AT]).ok();
        let old = REPORT_FILES.iter().map(|f| (*f, std::fs::read(before.join("out").join(f)).unwrap())).collect();
        let case = before.join("case");
        Report {
            case: std::fs::read(case.join("case.toml")).unwrap(),
            old_log: std::fs::read(case.join("reports.toml")).unwrap(),
            before_names: names(&case),
            old,
            new: BTreeMap::new(),
            before,
            _tmp: tmp,
        }
    }
}

impl Scenario for Report {
    fn name(&self) -> &'static str {
        "report"
    }
    fn before(&self) -> &Path {
        &self.before
    }
    fn args(&self) -> Vec<OsString> {
        ["report", "case", "--out", "out", "--generated-at", NEW_AT].map(OsString::from).to_vec()
    }
    fn learn(&mut self, dir: &Path) {
        self.new = REPORT_FILES.iter().map(|f| (*f, std::fs::read(dir.join("out").join(f)).unwrap())).collect();
        for f in REPORT_FILES {
            assert_ne!(self.new[f], self.old[f], "{f} differs between the two reports");
        }
    }
    fn check(&self, dir: &Path) -> Result<Found, Vec<String>> {
        let (case, out) = (dir.join("case"), dir.join("out"));
        let mut errors = Vec::new();
        let (mut old, mut new) = (0, 0);
        for f in REPORT_FILES {
            match std::fs::read(out.join(f)) {
                Ok(b) if b == self.old[f] => old += 1,
                Ok(b) if b == self.new[f] => new += 1,
                Ok(_) => errors.push(format!("out/{f} is neither the old nor the new one")),
                Err(e) => errors.push(format!("out/{f}: {e}")),
            }
        }
        let mut temps = check_new_names(&out, &REPORT_FILES.iter().map(|f| f.to_string()).collect(), &[], &mut errors);
        if std::fs::read(case.join("case.toml")).ok().as_deref() != Some(&self.case[..]) {
            errors.push("case.toml has changed".into());
        }
        let log = std::fs::read(case.join("reports.toml")).unwrap_or_default();
        let log_new = log != self.old_log;
        if log_new {
            match (log_entries(&log), log_entries(&self.old_log)) {
                (Some(now), Some(then))
                    if now.len() == then.len() + 1
                        && now[..then.len()] == then[..]
                        && now[then.len()].get("generated_at").and_then(|v| v.as_str()) == Some(NEW_AT) => {}
                _ => errors.push("reports.toml is neither the old list nor the old list and the new report".into()),
            }
        }
        temps += check_new_names(&case, &self.before_names, &[LOCK, HOLDER], &mut errors);
        // Half old, half new: `kensa verify` must not take it for a good report.
        let mixed_report = old > 0 && new > 0;
        if mixed_report && errors.is_empty() {
            let v = kensa_in(dir, &["verify", "case", "--report", "out"]);
            if v.code != 1 || !v.stdout.contains("report-file-changed") {
                errors.push(format!("verify does not refuse a report half old, half new: {}", v.all()));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let left = if new == 0 && !log_new && temps == 0 {
            Left::Before
        } else if old == 0 && log_new && temps == 0 {
            Left::After
        } else {
            Left::Between
        };
        Ok(Found { left, temps, mixed_report })
    }
}

#[test]
fn import_killed_while_writing_leaves_the_old_or_the_new_case() {
    crash(Import::new());
}

#[test]
fn evidence_add_killed_while_copying_leaves_no_half_copied_file() {
    crash(EvidenceAdd::new());
}

#[test]
fn report_killed_while_writing_leaves_each_file_old_or_new() {
    crash(Report::new());
}
