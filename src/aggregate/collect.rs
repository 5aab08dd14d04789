//! Reading what `kensa aggregate` is given: the case files and kensa workbooks under the paths,
//! in two walks (case folders first, so that a workbook whose case is also there as a folder is
//! counted once, from the case), in batches read in parallel and handed on in path order, so
//! that memory stays flat however many files there are.

use super::facts::{self, Counting, Facility, Source};
use super::long;
use super::pseudonym::Pseudonyms;
use crate::case::store::{self, CASE_FILE};
use crate::checklist::Registry;
use crate::error::Error;
use crate::walk::{self, Entry};
use crate::workbook::{self, Audience};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Files read in parallel at a time. Small batches keep little in flight between the readers
/// and the writer (each workbook's rows are about 36 KB): with 32 instead of 256, 1,000
/// workbooks took about 8% less time and 30 instead of 47 MiB.
pub const BATCH: usize = 32;

/// What became of one file.
pub enum Found<'r> {
    /// A facility counted, with its rows of the long files already rendered.
    Counted(Box<Counted<'r>>),
    /// A workbook of a case counted from elsewhere (its case folder, or an earlier workbook).
    Duplicate {
        path: PathBuf,
        case_id: String,
    },
    /// Not a kensa workbook.
    Skipped(PathBuf),
    /// A facility of another 年度 than `--fiscal-year` (its case id and file).
    OtherYear(String, PathBuf),
    Unreadable(Error),
}

/// A facility and what it adds to the long files, the matrix and the list of open items.
pub struct Counted<'r> {
    pub facility: Facility<'r>,
    /// `[findings, incidents, actions]` × `[csv, jsonl]`.
    pub long: [[Vec<u8>; 2]; 3],
    /// Its line of the matrix and its lines of open records (empty in the 公表用 edition).
    pub matrix: Vec<u8>,
    pub open: Vec<u8>,
}

/// Settings of the reading.
pub struct Reading<'a, 'r> {
    pub reg: &'r Registry,
    pub counting: Counting<'r>,
    pub fiscal_year: Option<i32>,
    pub publish: bool,
    pub pseudonyms: Option<&'a Pseudonyms>,
    /// Folders not entered (the output).
    pub exclude: Vec<PathBuf>,
    /// The item cells of findings rows, rendered once per item.
    pub items: long::ItemCells,
}

/// The two kinds of file, each read in its own walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Cases,
    Workbooks,
}

/// Whether a file is taken in a pass.
fn wanted(pass: Pass, path: &Path, named: bool) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    match pass {
        Pass::Cases => name == CASE_FILE || (named && name.ends_with(".toml")),
        // `~$…` are Excel's lock files of open workbooks.
        Pass::Workbooks => name.to_ascii_lowercase().ends_with(".xlsx") && !name.starts_with("~$"),
    }
}

/// Walks the paths for one kind of file and hands on batches of paths in order; links met are
/// counted in `links`, paths that cannot be read go to `failed`.
pub fn walk_batches(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    pass: Pass,
    mut each: impl FnMut(Vec<PathBuf>) -> crate::Result<()>,
    mut failed: impl FnMut(Error) -> crate::Result<()>,
    links: &mut u64,
) -> crate::Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    for p in paths {
        let named = !p.is_dir();
        for e in walk::under(p, exclude) {
            match e {
                Entry::File(f) if wanted(pass, &f, named) => {
                    batch.push(f);
                    if batch.len() == BATCH {
                        each(std::mem::take(&mut batch))?;
                    }
                }
                Entry::File(_) => {}
                Entry::Link(_) => *links += u64::from(pass == Pass::Cases),
                // A path that cannot be read is reported once, in the first walk.
                Entry::Failed(e) if pass == Pass::Cases => failed(e)?,
                Entry::Failed(_) => {}
            }
        }
    }
    if !batch.is_empty() {
        each(batch)?;
    }
    Ok(())
}

impl<'r> Reading<'_, 'r> {
    /// Reads a batch in parallel; the results keep the order of the paths.
    pub fn read_batch(&self, pass: Pass, batch: &[PathBuf]) -> Vec<Found<'r>> {
        batch.par_iter().map(|p| self.read_one(pass, p)).collect()
    }

    fn read_one(&self, pass: Pass, path: &Path) -> Found<'r> {
        let (case, source) = match pass {
            Pass::Cases => match store::load(path) {
                Ok(l) => (l.case, Source::Case(l.path)),
                Err(e) => return Found::Unreadable(e),
            },
            Pass::Workbooks => match workbook::read::read(path, self.reg, workbook::read::Purpose::Count) {
                Ok(data) => {
                    let selfcheck = data.audience == Audience::Facility;
                    (
                        crate::merge::standalone(&data, self.reg),
                        Source::Workbook { path: path.to_path_buf(), selfcheck },
                    )
                }
                Err(Error::Workbook { path, problem }) if problem.is_foreign() => return Found::Skipped(path),
                Err(e) => return Found::Unreadable(e),
            },
        };
        let f = facts::of_case(&case, source, self.reg, &self.counting);
        if let Some(y) = self.fiscal_year {
            if f.fiscal_year != Some(y) {
                return Found::OtherYear(f.case_id, f.source.path().to_path_buf());
            }
        }
        let mut out: [[Vec<u8>; 2]; 3] = Default::default();
        for (k, file) in [long::FINDINGS, long::INCIDENTS, long::ACTIONS].into_iter().enumerate() {
            let [csv, jsonl] = &mut out[k];
            long::render(file, &f, self.pseudonyms, self.counting.as_of, self.publish, &self.items, csv, jsonl);
        }
        let (matrix, open) = if self.publish { Default::default() } else { super::staging_records(&f) };
        Found::Counted(Box::new(Counted { facility: f, long: out, matrix, open }))
    }
}
