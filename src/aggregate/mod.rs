//! `kensa aggregate`: the prefecture's view across facilities. Every case folder and kensa
//! workbook under the paths is read ([`collect`], in parallel batches), turned into one
//! facility's facts ([`facts`], through `assess`), added to the counts ([`tally`]) and to the
//! long files ([`long`]); the summary is built once from the counts ([`summary`], tables of
//! [`table`]) and rendered as summary.xlsx ([`xlsx`]), summary.md and summary.html ([`doc`]).
//! `--roster` adds 実施率 ([`roster`]); `--publish` writes the 公表用 edition: the tables alone
//! (suppressed across the release in [`table`], labels from the closed vocabularies of
//! [`vocab`], each edition's cells kept in the [`ledger`] and compared with the editions before
//! it), no record-level file. Everything is written into a staging folder beside the output
//! and moved into place only when all of it is complete.

pub mod collect;
pub mod doc;
pub mod facts;
pub mod ledger;
pub mod long;
pub mod pseudonym;
pub mod roster;
pub mod summary;
pub mod table;
pub mod tally;
pub mod vocab;
pub mod xlsx;

use crate::checklist::Registry;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use collect::{Found, Joining, Pass, Reading, Spill, Units};
use facts::Counting;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use tally::Counts;

/// The name of the staging folders beside the output (`<prefix><random>`).
pub const STAGING_PREFIX: &str = ".kensa-aggregate-";

/// The files of the output folder.
pub const SUMMARY_XLSX: &str = "summary.xlsx";
pub const SUMMARY_MD: &str = "summary.md";
pub const SUMMARY_HTML: &str = "summary.html";
const LONG_FILES: [&str; 3] = [long::FINDINGS, long::INCIDENTS, long::ACTIONS];

/// The files of the 公表用 edition: the tables alone.
pub const PUBLISHED: [&str; 3] = [SUMMARY_XLSX, SUMMARY_MD, SUMMARY_HTML];

/// Every file name the output may hold.
pub fn output_names() -> Vec<String> {
    let mut out = vec![SUMMARY_XLSX.to_string(), SUMMARY_MD.to_string(), SUMMARY_HTML.to_string()];
    for f in LONG_FILES {
        out.push(format!("{f}.csv"));
        out.push(format!("{f}.jsonl"));
    }
    out
}

/// What the command line asked for, checked.
#[derive(Debug, Clone)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub out: PathBuf,
    pub force: bool,
    pub roster: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub fiscal_year: Option<i32>,
    /// Count older editions of this checklist as its items.
    pub edition: Option<String>,
    pub publish: bool,
    /// The ledger of 公表用 editions (`--ledger`; default beside the output folder).
    pub ledger: Option<PathBuf>,
    pub strict: bool,
}

/// How far a run is, for a progress display (the command line draws it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Files read in the first step.
    Read { cases: u64, workbooks: u64 },
    /// Facility-years joined and counted in the second step, of all.
    Counted { done: u64, of: u64 },
    /// The outputs are being written.
    Writing,
}

/// The files read, and those not counted.
#[derive(Debug, Default)]
pub struct Listing {
    /// Files read, per kind (事案ファイル, 自己点検票, 現地用ワークブック).
    pub files: BTreeMap<&'static str, u64>,
    /// Workbooks merged into the case of their case id read before them (its folder, or an
    /// earlier workbook): (path, case id).
    pub joined: Vec<(PathBuf, String)>,
    /// Where the records of one facility-year disagree: (file, what).
    pub differences: Vec<(PathBuf, String)>,
    /// .xlsx files that are not kensa workbooks.
    pub skipped: Vec<PathBuf>,
    pub unreadable: Vec<Error>,
    /// Files of facility-years of another 年度 than `--fiscal-year`, per kind.
    pub other_year: BTreeMap<&'static str, u64>,
    /// Files of facility-years whose 年度 is not known.
    pub year_unknown: Vec<PathBuf>,
    /// Symbolic links met (not followed).
    pub links: u64,
    /// Case files whose case id another case file also has (both counted).
    pub same_id: Vec<(PathBuf, String)>,
}

impl Listing {
    /// Files read in all.
    pub fn files_read(&self) -> u64 {
        self.files.values().sum()
    }

    /// The kinds of file read of which `--fiscal-year` left none.
    pub fn kinds_excluded(&self) -> Vec<&'static str> {
        self.files
            .iter()
            .filter(|(k, n)| **n > 0 && self.other_year.get(*k).copied().unwrap_or(0) >= **n)
            .map(|(k, _)| *k)
            .collect()
    }
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    /// Facility-years counted.
    pub facility_years: u64,
    /// Facilities among them (each once, whatever its years).
    pub facilities: u64,
    pub listing: Listing,
    pub files: Vec<PathBuf>,
    /// 公表用: the ledger and the rows hidden because an earlier edition differs from them by 1
    /// or 2 facilities.
    pub ledger: Option<(PathBuf, usize)>,
}

/// The output folder's files that a run would replace.
fn existing_outputs(out: &Path) -> Vec<PathBuf> {
    output_names().into_iter().map(|n| out.join(n)).filter(|p| p.exists()).collect()
}

/// The staging sinks of the streamed files.
struct Sinks {
    long: Vec<[std::io::BufWriter<std::fs::File>; 2]>,
    matrix: std::io::BufWriter<std::fs::File>,
    open: std::io::BufWriter<std::fs::File>,
}

/// Writes the long files to disk while the reading goes on: a thread of its own flushes them
/// (`fdatasync`) when nudged, every [`EARLY_SYNC_BYTES`] written, so that the sync before the
/// commit finds little left. The early flushes only save time; their errors are left to the
/// final sync, which reports them.
struct EarlySync {
    nudge: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Bytes of long rows written between two early flushes.
const EARLY_SYNC_BYTES: usize = 4 << 20;

impl EarlySync {
    fn start(files: Vec<std::fs::File>) -> EarlySync {
        let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::spawn(move || {
            while rx.recv().is_ok() {
                for f in &files {
                    let _ = f.sync_data();
                }
            }
        });
        EarlySync { nudge: Some(tx), thread: Some(thread) }
    }

    /// Asks for a flush, unless one is already waiting (never blocks).
    fn nudge(&self) {
        if let Some(tx) = &self.nudge {
            let _ = tx.try_send(());
        }
    }

    /// Waits for the flush under way, if any, and ends the thread.
    fn stop(&mut self) {
        self.nudge = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for EarlySync {
    fn drop(&mut self) {
        self.stop();
    }
}

fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    let f = std::fs::File::create(path).map_err(|e| Error::write(path, e))?;
    Ok(std::io::BufWriter::with_capacity(1 << 20, f))
}

fn put(w: &mut impl Write, path: &Path, bytes: &[u8]) -> Result<()> {
    w.write_all(bytes).map_err(|e| Error::write(path, e))
}

/// Runs `produce` on a thread of its own, handing what it sends to `consume` on this one, so
/// that reading overlaps writing. An error of `consume` stops both (the producer learns it from
/// the closed channel) and is returned first.
fn pipelined<T: Send>(
    produce: impl FnOnce(&mut dyn FnMut(T) -> Result<()>) -> Result<()> + Send,
    mut consume: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<T>(1);
        let producer = scope.spawn(move || {
            let mut send = |t: T| tx.send(t).map_err(|_| Error::Usage("集計を中止しました".into()));
            produce(&mut send)
        });
        let mut outcome = Ok(());
        while let Ok(t) = rx.recv() {
            if let Err(e) = consume(t) {
                outcome = Err(e);
                break;
            }
        }
        drop(rx);
        let produced = producer.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        outcome?;
        produced
    })
}

/// A facility's row of the matrix (kept in a staging file until the workbook is written).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct MatrixRow {
    pub facility: Vec<String>,
    /// (checklist id, item id, result shown).
    pub items: Vec<(String, String, String)>,
}

/// An open record of a facility (kept in a staging file until the workbook is written).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct OpenRow {
    pub days_left: i64,
    pub due: NaiveDate,
    pub kind: String,
    pub case_id: String,
    pub facility: String,
    pub key: String,
    pub what: String,
    pub owner: String,
    pub status: String,
}

/// The matrix's facility columns.
pub const MATRIX_FACILITY: [&str; 7] = ["事案ID", "施設名", "種別", "病床規模", "保健所", "年度", "読込元"];

/// Adds a record to a staging file's bytes: its length (4 bytes, little-endian), then the
/// record (postcard: no field names, no escaping; the file never leaves the run).
fn stage<T: serde::Serialize>(out: &mut Vec<u8>, record: &T) {
    // Serializing strings and numbers into memory cannot fail.
    if let Ok(bytes) = postcard::to_stdvec(record) {
        out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        out.extend_from_slice(&bytes);
    }
}

/// The records of a staging file, in the order written (see [`stage`]).
pub(crate) fn staged<T: serde::de::DeserializeOwned>(path: &Path) -> Result<impl Iterator<Item = T>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut file = std::io::BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    Ok(std::iter::from_fn(move || {
        let mut len = [0u8; 4];
        file.read_exact(&mut len).ok()?;
        buf.resize(u32::from_le_bytes(len) as usize, 0);
        file.read_exact(&mut buf).ok()?;
        postcard::from_bytes(&buf).ok()
    }))
}

/// A facility's records of the two staging files: its matrix row and its open records.
/// Rendered by the readers, in parallel, so that the one writer only copies bytes.
pub(crate) fn staging_records(f: &facts::Facility) -> (Vec<u8>, Vec<u8>) {
    let mut matrix = Vec::new();
    stage(&mut matrix, &matrix_row(f));
    let mut open = Vec::new();
    for (it, left) in &f.open {
        let row = OpenRow {
            days_left: *left,
            due: it.due,
            kind: it.kind.label().to_string(),
            case_id: f.case_id.clone(),
            facility: f.name.clone(),
            key: it.key.clone(),
            what: it.what.clone(),
            owner: it.owner.clone(),
            status: it.status.clone(),
        };
        stage(&mut open, &row);
    }
    (matrix, open)
}

fn matrix_row(f: &facts::Facility) -> MatrixRow {
    MatrixRow {
        facility: vec![
            f.case_id.clone(),
            f.name.clone(),
            f.kind_label().to_string(),
            f.band.label().to_string(),
            f.office.clone(),
            f.fiscal_year.map(crate::wareki::format_fiscal_year).unwrap_or_default(),
            f.source_label(),
        ],
        items: f
            .results
            .iter()
            .filter(|((_, i), _)| !i.gate)
            .map(|((c, i), r)| {
                let shown = if r.verification == crate::case::Verification::Partial {
                    crate::case::Verification::Partial.label()
                } else {
                    r.mhlw.label()
                };
                (c.id.clone(), i.id.clone(), shown.to_string())
            })
            .collect(),
    }
}

/// Runs an aggregation, telling `progress` how far it is.
pub fn run(reg: &Registry, opts: &Options, progress: &(dyn Fn(Progress) + Sync)) -> Result<Outcome> {
    if !opts.force {
        let existing = existing_outputs(&opts.out);
        if let Some(p) = existing.first() {
            return Err(Error::Exists {
                path: p.clone(),
                what: "集計結果",
                hint: "別の出力先（--out）を指定するか、--force で置き換えてください",
            });
        }
    }
    let edition = match &opts.edition {
        Some(id) => Some(reg.require(id, crate::error::Place::Nowhere)?),
        None => None,
    };
    // 公表用: the editions published before, from the ledger beside the output (never inside
    // it: it would be handed on with it).
    let ledger = if opts.publish {
        let path = opts.ledger.clone().unwrap_or_else(|| ledger::default_path(&opts.out));
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let at = abs(&path);
        if at.starts_with(abs(&opts.out)) {
            return Err(Error::file(
                &path,
                "公表用の台帳を出力先のフォルダの中に置くことはできません（公表する出力と一緒に渡ってしまいます）。--ledger で別の場所を指定してください",
            ));
        }
        let earlier = ledger::read(&path)?;
        Some((path, earlier))
    } else {
        None
    };
    let roster = match &opts.roster {
        Some(p) => {
            let r = roster::read(p)?;
            r.notes.lines(p, r.entries.len()).iter().for_each(|l| eprintln!("{l}"));
            Some(r.entries)
        }
        None => None,
    };

    let parent = crate::fs::parent(&opts.out);
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    // Locked while it lives (so a later run can tell it from a killed run's) and removed on Ctrl-C.
    let (staging, _staging_lock) = crate::fs::staging_dir(parent, STAGING_PREFIX)?;
    let stage = staging.path().to_path_buf();
    let sp = |name: &str| stage.join(name);
    let mut sinks =
        Sinks { long: Vec::new(), matrix: create(&sp(".matrix.staged"))?, open: create(&sp(".open.staged"))? };
    // The 公表用 edition holds no record-level file: the long files are not even staged.
    for f in LONG_FILES.iter().filter(|_| !opts.publish) {
        let mut csv = create(&sp(&format!("{f}.csv")))?;
        put(&mut csv, &sp(f), &long::csv_header(f, opts.publish))?;
        let jsonl = create(&sp(&format!("{f}.jsonl")))?;
        sinks.long.push([csv, jsonl]);
    }
    let handles: std::io::Result<Vec<std::fs::File>> =
        sinks.long.iter().flatten().map(|w| w.get_ref().try_clone()).collect();
    let mut early = EarlySync::start(handles.map_err(|e| Error::write(&stage, e))?);

    // First step: every file read and staged, with its facility-year.
    let reading = Reading { reg, exclude: vec![opts.out.clone(), stage.clone()] };
    let mut spill = Spill::create(sp(".records.staged"))?;
    let mut units = Units::default();
    let mut listing = Listing::default();
    let mut links = 0u64;
    let mut read_count = [0u64; 2];
    for pass in [Pass::Cases, Pass::Workbooks] {
        let reading = &reading;
        let paths = &opts.paths;
        let mut pass_links = 0u64;
        pipelined(
            |send| {
                collect::walk_batches(
                    paths,
                    &reading.exclude,
                    pass,
                    |batch| match batch {
                        Ok(batch) => send(Ok(reading.read_batch(pass, &batch))),
                        Err(e) => send(Err(e)),
                    },
                    &mut pass_links,
                )
            },
            |msg| {
                let found = match msg {
                    Ok(found) => found,
                    Err(e) if opts.strict => return Err(e),
                    Err(e) => {
                        listing.unreadable.push(e);
                        return Ok(());
                    }
                };
                for found in found {
                    read_count[usize::from(pass == Pass::Workbooks)] += 1;
                    match found {
                        Found::Record(r) => {
                            *listing.files.entry(r.source.label()).or_default() += 1;
                            units.add(*r, &mut spill)?;
                        }
                        Found::Skipped(p) => listing.skipped.push(p),
                        Found::Unreadable(e) if opts.strict => return Err(e),
                        Found::Unreadable(e) => listing.unreadable.push(e),
                    }
                }
                progress(Progress::Read { cases: read_count[0], workbooks: read_count[1] });
                Ok(())
            },
        )?;
        links += pass_links;
    }
    spill.finish()?;
    listing.links = links;
    listing.same_id = std::mem::take(&mut units.same_id);
    listing.joined = std::mem::take(&mut units.joined);

    // Second step: the records of each facility-year joined and counted once.
    let mut groups = units.facility_years();
    if let Some(y) = opts.fiscal_year {
        groups.retain(|g| {
            let keep = units.units[g[0]].key.year == Some(y);
            if !keep {
                for &u in g {
                    let unit = &units.units[u];
                    for s in std::iter::once(&unit.source).chain(&unit.joined) {
                        *listing.other_year.entry(s.label()).or_default() += 1;
                    }
                }
            }
            keep
        });
    }
    let counting = Counting::new(reg, edition, opts.as_of);
    let joining = Joining {
        reg,
        items: long::ItemCells::plan(&counting, opts.publish),
        counting,
        publish: opts.publish,
        pseudonyms: None,
    };
    let mut counts = Counts::default();
    let listed = roster.as_deref().map(roster::codes);
    let mut unmatched = roster::Unmatched::default();
    let mut unsynced = 0usize;
    {
        let (units, spill, joining) = (&units, &spill, &joining);
        let groups = &groups;
        pipelined(
            |send| {
                for batch in groups.chunks(collect::BATCH) {
                    send(joining.join_batch(units, spill, batch)?)?;
                }
                Ok(())
            },
            |batch| {
                for c in batch {
                    let f = &c.facility;
                    if f.fiscal_year.is_none() {
                        listing.year_unknown.extend(f.sources.iter().map(|s| s.path().to_path_buf()));
                    }
                    counts.add(f);
                    if let Some(listed) = &listed {
                        unmatched.note(listed, &facts::identity(&f.code, ""));
                    }
                    for (k, name) in LONG_FILES.iter().enumerate().filter(|_| !opts.publish) {
                        for (j, ext) in ["csv", "jsonl"].iter().enumerate() {
                            put(&mut sinks.long[k][j], &sp(&format!("{name}.{ext}")), &c.long[k][j])?;
                            unsynced += c.long[k][j].len();
                        }
                    }
                    if !opts.publish {
                        put(&mut sinks.matrix, &sp(".matrix"), &c.matrix)?;
                        put(&mut sinks.open, &sp(".open"), &c.open)?;
                    }
                    listing.differences.extend(c.differences);
                    if opts.strict {
                        if let Some(e) = c.unreadable.into_iter().next() {
                            return Err(e);
                        }
                    } else {
                        listing.unreadable.extend(c.unreadable);
                    }
                }
                if unsynced >= EARLY_SYNC_BYTES {
                    early.nudge();
                    unsynced = 0;
                }
                progress(Progress::Counted { done: counts.all.facilities, of: groups.len() as u64 });
                Ok(())
            },
        )?;
    }
    drop(spill);
    let _ = std::fs::remove_file(sp(".records.staged"));
    progress(Progress::Writing);
    let (tally, years) = (&counts.all, &counts.years);
    if tally.facilities == 0 {
        return Err(Error::Usage(format!(
            "集計できる事案ファイル・ワークブックがありませんでした（読んだファイル {} 件、年度が対象外 {} 件、読めなかったもの {} 件、kensa のワークブックではない .xlsx {} 件）",
            listing.files_read(),
            listing.other_year.values().sum::<u64>(),
            listing.unreadable.len(),
            listing.skipped.len()
        )));
    }

    for [csv, jsonl] in &mut sinks.long {
        csv.flush().map_err(|e| Error::write(&stage, e))?;
        jsonl.flush().map_err(|e| Error::write(&stage, e))?;
    }
    sinks.matrix.flush().map_err(|e| Error::write(&stage, e))?;
    sinks.open.flush().map_err(|e| Error::write(&stage, e))?;
    drop(sinks);

    // 実施率 and 回収率 per 年度 where several are read: never two years added together.
    let coverage: Vec<(Option<i32>, roster::Coverage)> = match &roster {
        None => Vec::new(),
        Some(r) if years.len() > 1 => years
            .iter()
            .map(|(y, t)| (*y, roster::coverage(r, &t.inspected_codes, &t.selfcheck_codes, &unmatched)))
            .collect(),
        Some(r) => vec![(
            years.keys().next().copied().flatten(),
            roster::coverage(r, &tally.inspected_codes, &tally.selfcheck_codes, &unmatched),
        )],
    };
    // 公表用: the 保健所 a table may name are those of the roster.
    let offices: Option<std::collections::BTreeSet<String>> = roster
        .as_deref()
        .filter(|_| opts.publish)
        .map(|r| r.iter().map(|e| e.office.clone()).filter(|o| !o.is_empty()).collect());
    // Only the editions of an overlapping 年度 can be subtracted from this one.
    let years: Vec<i32> = tally.by_year.keys().copied().collect();
    let comparable: Option<Vec<ledger::Edition>> =
        ledger.as_ref().map(|(_, e)| e.iter().filter(|e| e.overlaps(&years)).cloned().collect());
    let publication = comparable.as_deref().map(|earlier| summary::Publication { offices: offices.as_ref(), earlier });
    let summary = summary::build(&counts, reg, &listing, &coverage, publication.as_ref(), opts.as_of, opts.fiscal_year);
    if opts.publish {
        let allowed = vocab::Allowed::new(&offices.clone().unwrap_or_default(), item_labels(reg));
        let outside = allowed.outside(&summary.tables);
        if let Some((table, _)) = outside.first() {
            return Err(Error::file(
                &opts.out,
                format!(
                    "公表用の表「{table}」に、決まった区分（種別・病床規模・開設者の分類・名簿の保健所・チェックリストの項目）にない見出しがあります（{} 件）。公表用は書き出しませんでした",
                    outside.len()
                ),
            ));
        }
    }
    // summary.xlsx is written on a thread of its own while this one writes the Markdown and
    // HTML and syncs the long files to disk (which the commit needs done before it renames).
    std::thread::scope(|scope| -> Result<()> {
        let book = scope.spawn(|| {
            xlsx::write(
                &sp(SUMMARY_XLSX),
                &summary,
                tally,
                reg,
                &listing,
                (!opts.publish).then(|| (sp(".matrix.staged"), sp(".open.staged"))),
            )
        });
        let md = doc::markdown(&summary);
        std::fs::write(sp(SUMMARY_MD), &md).map_err(|e| Error::write(&sp(SUMMARY_MD), e))?;
        let html = doc::html(&summary, &md);
        std::fs::write(sp(SUMMARY_HTML), &html).map_err(|e| Error::write(&sp(SUMMARY_HTML), e))?;
        early.stop();
        for f in LONG_FILES.iter().filter(|_| !opts.publish) {
            for ext in ["csv", "jsonl"] {
                sync(&sp(&format!("{f}.{ext}")))?;
            }
        }
        book.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })?;
    for n in [".matrix.staged", ".open.staged"] {
        let _ = std::fs::remove_file(sp(n));
    }
    // The ledger first: an edition recorded and then not written only makes the next more
    // careful, an edition written and not recorded would be compared with nothing.
    if let Some((path, _)) = &ledger {
        let edition = ledger::Edition {
            written: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
            title: summary.title.clone(),
            folder: opts.out.display().to_string(),
            years: years.clone(),
            cells: ledger::shown(&summary.tables),
        };
        ledger::append(path, &edition)?;
    }
    let files = commit(staging, &opts.out, opts.publish)?;
    Ok(Outcome {
        facility_years: tally.facilities,
        facilities: tally.identities.len() as u64,
        listing,
        files,
        ledger: ledger.map(|(p, _)| (p, summary.differenced)),
    })
}

/// The labels of every item of every checklist, as the tables show them.
fn item_labels(reg: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for id in reg.ids() {
        if let Some(c) = reg.get(id) {
            for i in &c.items {
                out.push(summary::item_label(c, i));
                out.push(summary::item_number(c, i));
            }
        }
    }
    out
}

/// Flushes a staged file to disk (nothing where it is not there).
fn sync(p: &Path) -> Result<()> {
    match p.exists() {
        true => crate::fs::sync_file(p),
        false => Ok(()),
    }
}

/// Moves the staged files into the output folder: the folder itself where it did not exist,
/// otherwise all files or none (`fs::move_all`), after syncing them. A 公表用 edition written
/// over an earlier output (`--force`) removes that output's record-level files, so that the
/// folder holds the tables alone.
fn commit(staging: tempfile::TempDir, out: &Path, publish: bool) -> Result<Vec<PathBuf>> {
    let names: Vec<String> = if publish { PUBLISHED.iter().map(|s| s.to_string()).collect() } else { output_names() };
    let stage = staging.path().to_path_buf();
    for n in &names {
        sync(&stage.join(n))?;
    }
    let files: Vec<PathBuf> = names.iter().map(|n| out.join(n)).collect();
    if !out.exists() {
        let kept = staging.keep();
        crate::fs::rename(&kept, out).map_err(|e| Error::write(out, e))?;
        return Ok(files);
    }
    crate::fs::move_all(&names.iter().map(|n| (stage.join(n), out.join(n))).collect::<Vec<_>>())?;
    if publish {
        for n in output_names().iter().filter(|n| !names.contains(n)) {
            let stale = out.join(n);
            if stale.exists() {
                std::fs::remove_file(&stale).map_err(|e| Error::write(&stale, e))?;
            }
        }
    }
    Ok(files)
}
