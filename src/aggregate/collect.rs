//! Reading what `kensa aggregate` is given, in two steps. First every case file and kensa
//! workbook under the paths is read ([`Reading::read_batch`], in parallel batches, handed on in
//! path order) and kept in a staging file ([`Spill`]), with only its place and the facility-year
//! it belongs to in memory ([`Units`]): case folders first, so that a workbook made from a case
//! folder that is also there joins that folder. Then the records of each facility-year are taken
//! back, joined ([`Joining::facility_year`]: a workbook merged into its case as `import` would,
//! the records of one facility in one 年度 joined item by item) and counted once.

use super::facts::{self, Counting, Facility, FacilityYear, Source};
use super::long;
use super::pseudonym::Pseudonyms;
use crate::case::store::{self, CASE_FILE};
use crate::case::Case;
use crate::checklist::Registry;
use crate::error::{Error, Result};
use crate::walk::{self, Entry};
use crate::workbook::{self, Audience};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files read in parallel at a time. Small batches keep little in flight between the readers
/// and the writer.
pub const BATCH: usize = 32;

/// What became of one file in the first step.
pub enum Found {
    /// A record read: where from, the facility-year it belongs to, and its case as staged.
    Record(Box<Record>),
    /// Not a kensa workbook.
    Skipped(PathBuf),
    Unreadable(Error),
}

/// One file read: a case file, or a workbook as the case it holds on its own.
pub struct Record {
    pub source: Source,
    pub case_id: String,
    pub key: FacilityYear,
    /// The case, staged ([`Spill::encode`]).
    pub staged: Vec<u8>,
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
/// counted in `links`, paths that cannot be read are handed on as errors.
pub fn walk_batches(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    pass: Pass,
    mut each: impl FnMut(std::result::Result<Vec<PathBuf>, Error>) -> Result<()>,
    links: &mut u64,
) -> Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    for p in paths {
        let named = !p.is_dir();
        for e in walk::under(p, exclude) {
            match e {
                Entry::File(f) if wanted(pass, &f, named) => {
                    batch.push(f);
                    if batch.len() == BATCH {
                        each(Ok(std::mem::take(&mut batch)))?;
                    }
                }
                Entry::File(_) => {}
                Entry::Link(_) => *links += u64::from(pass == Pass::Cases),
                // A path that cannot be read is reported once, in the first walk.
                Entry::Failed(e) if pass == Pass::Cases => each(Err(e))?,
                Entry::Failed(_) => {}
            }
        }
    }
    if !batch.is_empty() {
        each(Ok(batch))?;
    }
    Ok(())
}

/// Settings of the first step.
pub struct Reading<'r> {
    pub reg: &'r Registry,
    /// Folders not entered (the output and its staging folder).
    pub exclude: Vec<PathBuf>,
}

impl Reading<'_> {
    /// Reads a batch in parallel; the results keep the order of the paths.
    pub fn read_batch(&self, pass: Pass, batch: &[PathBuf]) -> Vec<Found> {
        batch.par_iter().map(|p| self.read_one(pass, p)).collect()
    }

    fn read_one(&self, pass: Pass, path: &Path) -> Found {
        let (case, source) = match pass {
            Pass::Cases => match store::load(path) {
                Ok(l) => (l.case, Source::Case(l.path)),
                Err(e) => return Found::Unreadable(e),
            },
            Pass::Workbooks => match workbook::read::read(path, self.reg, workbook::read::Purpose::Count) {
                Ok(data) => {
                    let selfcheck = data.audience == Audience::Facility;
                    let recorded_year = data.fiscal_year;
                    (
                        crate::merge::standalone(&data, self.reg),
                        Source::Workbook { path: path.to_path_buf(), selfcheck, recorded_year },
                    )
                }
                Err(Error::Workbook { path, problem }) if problem.is_foreign() => return Found::Skipped(path),
                Err(e) => return Found::Unreadable(e),
            },
        };
        let key = facts::record_key(&case, &source);
        Found::Record(Box::new(Record {
            case_id: case.case_id.trim().to_string(),
            key,
            staged: Spill::encode(&case),
            source,
        }))
    }
}

/// The staging file of the cases read in the first step, taken back by place in the second.
pub struct Spill {
    path: PathBuf,
    writer: Option<std::io::BufWriter<std::fs::File>>,
    len: u64,
}

/// A case's place in the staging file.
#[derive(Debug, Clone, Copy)]
pub struct Staged {
    offset: u64,
    len: u64,
}

impl Spill {
    pub fn create(path: PathBuf) -> Result<Spill> {
        let f = std::fs::File::create(&path).map_err(|e| Error::write(&path, e))?;
        Ok(Spill { writer: Some(std::io::BufWriter::with_capacity(1 << 20, f)), path, len: 0 })
    }

    /// A case as staged: JSON (the case's own serde form, dates and counts included).
    pub fn encode(case: &Case) -> Vec<u8> {
        // A case in memory always serializes.
        serde_json::to_vec(case).unwrap_or_default()
    }

    /// Adds a staged case; returns its place.
    pub fn add(&mut self, bytes: &[u8]) -> Result<Staged> {
        use std::io::Write;
        let w = self.writer.as_mut().ok_or_else(|| Error::write(&self.path, std::io::ErrorKind::Other.into()))?;
        w.write_all(bytes).map_err(|e| Error::write(&self.path, e))?;
        let at = Staged { offset: self.len, len: bytes.len() as u64 };
        self.len += bytes.len() as u64;
        Ok(at)
    }

    /// Ends the writing; the cases can then be taken back.
    pub fn finish(&mut self) -> Result<()> {
        use std::io::Write;
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(|e| Error::write(&self.path, e))?;
        }
        Ok(())
    }

    /// Takes a staged case back.
    pub fn take(&self, file: &std::fs::File, at: Staged) -> Result<Case> {
        let mut buf = vec![0u8; at.len as usize];
        read_at(file, at.offset, &mut buf).map_err(|e| Error::read(&self.path, e))?;
        serde_json::from_slice(&buf)
            .map_err(|e| Error::file(&self.path, format!("集計の一時ファイルが読めません（{e}）")))
    }

    pub fn open(&self) -> Result<std::fs::File> {
        std::fs::File::open(&self.path).map_err(|e| Error::read(&self.path, e))
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, mut offset: u64, mut buf: &mut [u8]) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, buf, offset)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        offset += n as u64;
    }
    Ok(())
}

/// The records of one case: a case folder, or a workbook read on its own, with the workbooks of
/// the same case id read after it (made from it: they are merged into it).
#[derive(Debug)]
pub struct Unit {
    pub key: FacilityYear,
    pub case_id: String,
    pub source: Source,
    pub staged: Staged,
    /// Workbooks of the same case id, merged into the case.
    pub joined: Vec<Source>,
}

/// Every record read, by case and by facility-year, in the order met.
#[derive(Debug, Default)]
pub struct Units {
    pub units: Vec<Unit>,
    /// Case id → its first unit (as a string: no facility lost to a shared hash).
    by_case_id: HashMap<String, usize>,
    /// Case files whose case id another case file also has (both counted): (path, case id).
    pub same_id: Vec<(PathBuf, String)>,
    /// Workbooks joined to the case of their case id read before them: (path, case id).
    pub joined: Vec<(PathBuf, String)>,
}

impl Units {
    /// Adds a record read: a case file as a unit of its own; a workbook joined to the case of its
    /// case id if one was read, else as a unit of its own.
    pub fn add(&mut self, r: Record, spill: &mut Spill) -> Result<()> {
        let is_case = matches!(r.source, Source::Case(_));
        if let Some(&u) = self.by_case_id.get(&r.case_id) {
            if is_case {
                self.same_id.push((r.source.path().to_path_buf(), r.case_id.clone()));
            } else {
                let unit = &mut self.units[u];
                // The case folder may not know what the workbook says: its code, its 年度.
                if unit.key.year.is_none() {
                    unit.key.year = r.key.year;
                }
                if unit.key.facility.starts_with(facts::BY_CASE_ID) && !r.key.facility.starts_with(facts::BY_CASE_ID) {
                    unit.key.facility = r.key.facility.clone();
                }
                self.joined.push((r.source.path().to_path_buf(), r.case_id));
                unit.joined.push(r.source);
                return Ok(());
            }
        } else {
            self.by_case_id.insert(r.case_id.clone(), self.units.len());
        }
        let staged = spill.add(&r.staged)?;
        self.units.push(Unit { key: r.key, case_id: r.case_id, source: r.source, staged, joined: Vec::new() });
        Ok(())
    }

    /// The units of each facility-year, in the order the facility-years were first met.
    pub fn facility_years(&self) -> Vec<Vec<usize>> {
        let mut index: HashMap<&FacilityYear, usize> = HashMap::new();
        let mut out: Vec<Vec<usize>> = Vec::new();
        for (i, u) in self.units.iter().enumerate() {
            match index.get(&u.key) {
                Some(&g) => out[g].push(i),
                None => {
                    index.insert(&u.key, out.len());
                    out.push(vec![i]);
                }
            }
        }
        out
    }
}

/// A facility-year counted, with what it adds to the long files, the matrix and the open list.
pub struct Counted<'r> {
    pub facility: Facility<'r>,
    /// `[findings, incidents, actions]` × `[csv, jsonl]`.
    pub long: [[Vec<u8>; 2]; 3],
    /// Its line of the matrix and its lines of open records (empty in the 公表用 edition).
    pub matrix: Vec<u8>,
    pub open: Vec<u8>,
    /// Where its records disagree (a workbook against its case, two records of the year): the
    /// file and what differs.
    pub differences: Vec<(PathBuf, String)>,
    /// Files that could not be read again to be merged.
    pub unreadable: Vec<Error>,
}

/// Settings of the second step.
pub struct Joining<'a, 'r> {
    pub reg: &'r Registry,
    pub counting: Counting<'r>,
    pub publish: bool,
    pub pseudonyms: Option<&'a Pseudonyms>,
    /// The item cells of findings rows, rendered once per item.
    pub items: long::ItemCells,
}

impl<'r> Joining<'_, 'r> {
    /// Joins and renders a batch of facility-years in parallel; the results keep their order.
    pub fn join_batch(&self, units: &Units, spill: &Spill, batch: &[Vec<usize>]) -> Result<Vec<Counted<'r>>> {
        let file = spill.open()?;
        batch.par_iter().map(|g| self.facility_year(units, spill, &file, g)).collect()
    }

    /// One facility-year: each of its cases (with the workbooks made from it merged in) turned
    /// into facts, the inspections first, joined into one.
    fn facility_year(
        &self,
        units: &Units,
        spill: &Spill,
        file: &std::fs::File,
        group: &[usize],
    ) -> Result<Counted<'r>> {
        let mut differences = Vec::new();
        let mut unreadable = Vec::new();
        let mut records: Vec<Facility<'r>> = Vec::with_capacity(group.len());
        for &u in group {
            let unit = &units.units[u];
            let mut case = spill.take(file, unit.staged)?;
            for w in &unit.joined {
                let purpose = workbook::read::Purpose::Merge { case_id: Some(&unit.case_id) };
                match workbook::read::read(w.path(), self.reg, purpose) {
                    Ok(data) => {
                        let merged = crate::merge::merge(&case, &data, self.reg, None);
                        for c in &merged.conflicts {
                            differences.push((
                                w.path().to_path_buf(),
                                format!(
                                    "{} {}: 事案「{}」／ワークブック「{}」（事案の値で集計）",
                                    c.at, c.place, c.case, c.workbook
                                ),
                            ));
                        }
                        case = merged.case;
                    }
                    Err(e) => unreadable.push(e),
                }
            }
            let mut f = facts::of_case(&case, unit.source.clone(), self.reg, &self.counting);
            f.sources.extend(unit.joined.iter().cloned());
            if !unit.joined.is_empty() && f.fiscal_year.is_none() {
                f.fiscal_year = unit.key.year;
            }
            records.push(f);
        }
        // The inspections first: the first record is the one the others join.
        records.sort_by_key(|f| !f.inspected);
        let mut records = records.into_iter();
        let Some(mut f) = records.next() else {
            return Err(Error::Usage("集計する記録がありません".into()));
        };
        f.fiscal_year = units.units[group[0]].key.year;
        for other in records {
            let path = other.sources.first().map(|s| s.path().to_path_buf()).unwrap_or_default();
            for d in f.join(other) {
                differences.push((path.clone(), d));
            }
        }
        let mut long_rows: [[Vec<u8>; 2]; 3] = Default::default();
        // The 公表用 edition writes no record-level file.
        for (k, name) in
            [long::FINDINGS, long::INCIDENTS, long::ACTIONS].into_iter().enumerate().filter(|_| !self.publish)
        {
            let [csv, jsonl] = &mut long_rows[k];
            long::render(name, &f, self.pseudonyms, self.counting.as_of, self.publish, &self.items, csv, jsonl);
        }
        let (matrix, open) = if self.publish { Default::default() } else { super::staging_records(&f) };
        Ok(Counted { facility: f, long: long_rows, matrix, open, differences, unreadable })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every sample case comes back from the staging file as it went in.
    #[test]
    fn cases_come_back_from_the_staging_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::create(dir.path().join("records")).unwrap();
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut cases = Vec::new();
        for e in std::fs::read_dir(samples).unwrap() {
            let case = store::load(&e.unwrap().path().join(CASE_FILE)).unwrap().case;
            let at = spill.add(&Spill::encode(&case)).unwrap();
            cases.push((case, at));
        }
        spill.finish().unwrap();
        let file = spill.open().unwrap();
        assert!(cases.len() >= 4);
        for (case, at) in cases.iter().rev() {
            assert_eq!(&spill.take(&file, *at).unwrap(), case, "{}", case.case_id);
        }
    }
}
