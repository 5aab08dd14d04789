//! `kensa aggregate`: the prefecture's view across facilities. Every case folder and kensa
//! workbook under the paths is read ([`collect`], in parallel batches), turned into one
//! facility's facts ([`facts`], through `assess`), added to the counts ([`tally`]) and to the
//! long files ([`long`]); the summary is built once from the counts ([`summary`], tables of
//! [`table`]) and rendered as summary.xlsx ([`xlsx`]), summary.md and summary.html ([`doc`]).
//! `--roster` adds 実施率 ([`roster`]); `--publish` writes the 公表用 edition (suppression in
//! [`table`], pseudonyms in [`pseudonym`]). Everything is written into a staging folder beside
//! the output and moved into place only when all of it is complete.

pub mod collect;
pub mod doc;
pub mod facts;
pub mod long;
pub mod pseudonym;
pub mod roster;
pub mod summary;
pub mod table;
pub mod tally;
pub mod xlsx;

use crate::checklist::Registry;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use collect::{Found, Pass, Reading};
use facts::Counting;
use pseudonym::Pseudonyms;
use std::io::Write;
use std::path::{Path, PathBuf};
use tally::Tally;

/// The files of the output folder.
pub const SUMMARY_XLSX: &str = "summary.xlsx";
pub const SUMMARY_MD: &str = "summary.md";
pub const SUMMARY_HTML: &str = "summary.html";
const LONG_FILES: [&str; 3] = [long::FINDINGS, long::INCIDENTS, long::ACTIONS];

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
    /// The pseudonym key (`--key`; default in the user's config folder).
    pub key: Option<PathBuf>,
    pub strict: bool,
    pub progress: bool,
}

/// The files read, and those not counted.
#[derive(Debug, Default)]
pub struct Listing {
    /// Workbooks not counted because their case was counted from elsewhere: (path, case id).
    pub duplicates: Vec<(PathBuf, String)>,
    /// .xlsx files that are not kensa workbooks.
    pub skipped: Vec<PathBuf>,
    pub unreadable: Vec<Error>,
    /// Facilities of another 年度 than `--fiscal-year`.
    pub other_year: u64,
    /// Symbolic links met (not followed).
    pub links: u64,
    /// Case files whose case id another case file also has (both counted).
    pub same_id: Vec<(PathBuf, String)>,
}

/// What a run did.
#[derive(Debug)]
pub struct Outcome {
    pub facilities: u64,
    pub listing: Listing,
    pub files: Vec<PathBuf>,
    /// The pseudonym key used (公表用).
    pub key: Option<(PathBuf, bool)>,
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

/// What the reading thread of a pass hands on.
enum Read<'r> {
    /// The files of one batch, in path order.
    Batch(Vec<Found<'r>>),
    /// A path that could not be walked.
    Failed(Error),
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
            f.source.label().to_string(),
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

/// Runs an aggregation.
pub fn run(reg: &Registry, opts: &Options) -> Result<Outcome> {
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
    let roster = match &opts.roster {
        Some(p) => Some(roster::read(p)?),
        None => None,
    };
    let pseudonyms = if opts.publish {
        let path = match &opts.key {
            Some(p) => p.clone(),
            None => pseudonym::default_key_path().ok_or_else(|| {
                Error::Usage("仮名の鍵を置くフォルダが分かりません。--key で鍵のファイルを指定してください".into())
            })?,
        };
        Some(Pseudonyms::load_or_create(&path)?)
    } else {
        None
    };

    let parent = crate::fs::parent(&opts.out);
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    let staging =
        tempfile::Builder::new().prefix(".kensa-aggregate-").tempdir_in(parent).map_err(|e| Error::write(parent, e))?;
    let stage = staging.path().to_path_buf();
    let sp = |name: &str| stage.join(name);
    let mut sinks =
        Sinks { long: Vec::new(), matrix: create(&sp(".matrix.staged"))?, open: create(&sp(".open.staged"))? };
    for f in LONG_FILES {
        let mut csv = create(&sp(&format!("{f}.csv")))?;
        put(&mut csv, &sp(f), &long::csv_header(f, opts.publish))?;
        let jsonl = create(&sp(&format!("{f}.jsonl")))?;
        sinks.long.push([csv, jsonl]);
    }
    let handles: std::io::Result<Vec<std::fs::File>> =
        sinks.long.iter().flatten().map(|w| w.get_ref().try_clone()).collect();
    let mut early = EarlySync::start(handles.map_err(|e| Error::write(&stage, e))?);
    let mut unsynced = 0usize;

    let reading = Reading {
        reg,
        counting: Counting::new(reg, edition, opts.as_of),
        fiscal_year: opts.fiscal_year,
        publish: opts.publish,
        pseudonyms: pseudonyms.as_ref(),
        exclude: vec![opts.out.clone(), stage.clone()],
        items: long::ItemCells::default(),
    };
    let progress = opts.progress.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg}（{elapsed}）")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });

    let mut tally = Tally::default();
    let mut listing = Listing::default();
    let mut ids = tally::KeySet::default();
    let listed = roster.as_deref().map(roster::codes);
    let mut unmatched = roster::Unmatched::default();
    let mut read = [0u64; 2];
    let mut links = 0u64;
    // Each pass reads its files on a thread of its own (walking, then each batch in parallel)
    // while this thread writes what the previous batch found: writing overlaps reading.
    let mut unreadable: Vec<Error> = Vec::new();
    let mut consume = |pass: Pass, found: Vec<Found>, unreadable: &mut Vec<Error>| -> Result<()> {
        for found in found {
            read[usize::from(pass == Pass::Workbooks)] += 1;
            match found {
                Found::Counted(c) => {
                    let f = &c.facility;
                    if !ids.insert(&f.case_id) {
                        if pass == Pass::Workbooks {
                            listing.duplicates.push((f.source.path().to_path_buf(), f.case_id.clone()));
                            continue;
                        }
                        // Two case folders with one case id: both are counted, and listed.
                        listing.same_id.push((f.source.path().to_path_buf(), f.case_id.clone()));
                    }
                    tally.add(f);
                    if let Some(listed) = &listed {
                        unmatched.note(listed, &f.code);
                    }
                    for (k, f) in LONG_FILES.iter().enumerate() {
                        for (j, ext) in ["csv", "jsonl"].iter().enumerate() {
                            put(&mut sinks.long[k][j], &sp(&format!("{f}.{ext}")), &c.long[k][j])?;
                            unsynced += c.long[k][j].len();
                        }
                    }
                    if !opts.publish {
                        put(&mut sinks.matrix, &sp(".matrix"), &c.matrix)?;
                        put(&mut sinks.open, &sp(".open"), &c.open)?;
                    }
                }
                Found::Duplicate { path, case_id } => listing.duplicates.push((path, case_id)),
                Found::Skipped(p) => listing.skipped.push(p),
                Found::OtherYear(id, path) => {
                    // A workbook of a case already met is a duplicate, whatever its 年度.
                    if !ids.insert(&id) && pass == Pass::Workbooks {
                        listing.duplicates.push((path, id));
                    } else {
                        listing.other_year += 1;
                    }
                }
                Found::Unreadable(e) => {
                    if opts.strict {
                        return Err(e);
                    }
                    unreadable.push(e);
                }
            }
        }
        if unsynced >= EARLY_SYNC_BYTES {
            early.nudge();
            unsynced = 0;
        }
        if let Some(bar) = &progress {
            bar.set_message(format!(
                "事案ファイル {} 件、ワークブック {} 件を読みました",
                crate::text::thousands(read[0]),
                crate::text::thousands(read[1])
            ));
        }
        Ok(())
    };
    for pass in [Pass::Cases, Pass::Workbooks] {
        let mut failures: Vec<Error> = Vec::new();
        let reading = &reading;
        let paths = &opts.paths;
        links += std::thread::scope(|scope| -> Result<u64> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Read>(1);
            let producer = scope.spawn(move || {
                let stopped = || Error::Usage("集計を中止しました".into());
                let mut links = 0u64;
                collect::walk_batches(
                    paths,
                    &reading.exclude,
                    pass,
                    |batch| tx.send(Read::Batch(reading.read_batch(pass, &batch))).map_err(|_| stopped()),
                    |e| tx.send(Read::Failed(e)).map_err(|_| stopped()),
                    &mut links,
                )
                .map(|()| links)
            });
            let mut outcome = Ok(());
            while let Ok(msg) = rx.recv() {
                let step = match msg {
                    Read::Batch(found) => consume(pass, found, &mut unreadable),
                    Read::Failed(e) if opts.strict => Err(e),
                    Read::Failed(e) => {
                        failures.push(e);
                        Ok(())
                    }
                };
                if let Err(e) = step {
                    outcome = Err(e);
                    break;
                }
            }
            // A reader still sending learns from the closed channel that it is to stop.
            drop(rx);
            let produced = producer.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            outcome?;
            produced
        })?;
        unreadable.extend(failures);
    }
    listing.unreadable = unreadable;
    listing.links = links;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if tally.facilities == 0 {
        return Err(Error::Usage(format!(
            "集計できる事案ファイル・ワークブックがありませんでした（読めなかったもの {} 件、kensa のワークブックではない .xlsx {} 件）",
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

    let coverage =
        roster.as_ref().map(|r| roster::coverage(r, &tally.inspected_codes, &tally.selfcheck_codes, &unmatched));
    let summary = summary::build(&tally, reg, &listing, coverage.as_ref(), opts.publish, opts.as_of, opts.fiscal_year);
    // summary.xlsx is written on a thread of its own while this one writes the Markdown and
    // HTML and syncs the long files to disk (which the commit needs done before it renames).
    std::thread::scope(|scope| -> Result<()> {
        let book = scope.spawn(|| {
            xlsx::write(
                &sp(SUMMARY_XLSX),
                &summary,
                &tally,
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
        for f in LONG_FILES {
            for ext in ["csv", "jsonl"] {
                sync(&sp(&format!("{f}.{ext}")))?;
            }
        }
        book.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })?;
    for n in [".matrix.staged", ".open.staged"] {
        let _ = std::fs::remove_file(sp(n));
    }
    let files = commit(staging, &opts.out)?;
    Ok(Outcome { facilities: tally.facilities, listing, files, key: pseudonyms.map(|p| (p.path.clone(), p.created)) })
}

/// Flushes a staged file to disk (nothing where it is not there).
fn sync(p: &Path) -> Result<()> {
    match p.exists() {
        true => crate::fs::sync_file(p),
        false => Ok(()),
    }
}

/// Moves the staged files into the output folder: the folder itself where it did not exist,
/// otherwise all files or none (`fs::move_all`), after syncing them.
fn commit(staging: tempfile::TempDir, out: &Path) -> Result<Vec<PathBuf>> {
    let names = output_names();
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
    Ok(files)
}
