//! The guarded reader of untrusted workbooks: size and magic bytes are checked before calamine
//! opens a file, the zip directory before anything is unpacked, each sheet's declared size
//! before its cells are read, and cells are read one by one (never `worksheet_range`, which
//! allocates whatever the sheet declares). Knows nothing of kensa's layout.

use crate::error::{Error, Result, WorkbookProblem};
use calamine::{DataRef, Reader, Xlsx};
use chrono::{NaiveDateTime, Timelike};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

/// Largest workbook kensa opens.
pub const MAX_WORKBOOK_BYTES: u64 = 32 * 1024 * 1024;
/// Largest total size of the workbook's parts once unpacked.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// Largest single XML part (a sheet, the shared strings) once unpacked.
pub const MAX_XML_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Largest sheet kensa reads (declared or found).
pub const MAX_ROWS: u32 = 50_000;
pub const MAX_COLS: u32 = 200;
/// Most cells read from one sheet.
pub const MAX_CELLS: usize = 1_000_000;

const ZIP_MAGIC: [u8; 4] = [0x50, 0x4B, 0x03, 0x04];
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A cell as read, before it is interpreted for its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Str(String),
    Num(f64),
    Int(i64),
    Bool(bool),
    DateTime(NaiveDateTime),
    Error(String),
}

impl Raw {
    pub fn is_blank(&self) -> bool {
        matches!(self, Raw::Str(s) if s.trim().is_empty())
    }
    /// The cell as plain text (for keys and the hidden sheet).
    pub fn plain(&self) -> String {
        match self {
            Raw::Str(s) => s.trim().to_string(),
            Raw::Num(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Raw::Num(f) => f.to_string(),
            Raw::Int(i) => i.to_string(),
            Raw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Raw::DateTime(d) => d.to_string(),
            Raw::Error(e) => e.clone(),
        }
    }
}

/// The cells of one sheet that hold something, by 0-based row and column.
pub type CellGrid = BTreeMap<u32, BTreeMap<u32, Raw>>;

/// A1-style name of a 0-based cell, for any position a file may claim (beyond Excel's XFD1048576
/// too, without overflow).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// An untrusted workbook, opened after its guards passed.
pub struct Guarded {
    pub path: PathBuf,
    book: Xlsx<BufReader<File>>,
}

impl Guarded {
    /// Checks the file and opens it; refuses what is not an unencrypted .xlsx of sane size.
    pub fn open(path: &Path) -> Result<Guarded> {
        let file = check_file(path)?;
        let book = Xlsx::new(BufReader::new(file))
            .map_err(|e| Error::workbook(path, WorkbookProblem::Corrupt { detail: e.to_string() }))?;
        Ok(Guarded { path: path.to_path_buf(), book })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    /// Reads the cells of one sheet, refusing sheets larger than the limits.
    pub fn sheet(&mut self, name: &str) -> Result<CellGrid> {
        read_sheet(&mut self.book, &self.path, name)
    }
}

/// Checks size and magic bytes, refusing what is not an unencrypted .xlsx.
pub fn check_file(path: &Path) -> Result<File> {
    let problem = |p: WorkbookProblem| Error::workbook(path, p);
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(problem(WorkbookProblem::Folder));
    }
    if meta.len() > MAX_WORKBOOK_BYTES {
        return Err(problem(WorkbookProblem::TooLarge { size: meta.len(), limit: MAX_WORKBOOK_BYTES }));
    }
    let mut file = File::open(path).map_err(|e| Error::read(path, e))?;
    let mut head = [0u8; 8];
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(Error::read(path, e)),
        }
    }
    if n == 8 && head == OLE_MAGIC {
        return Err(problem(WorkbookProblem::Encrypted));
    }
    if n < 4 || head[..4] != ZIP_MAGIC {
        return Err(problem(WorkbookProblem::NotXlsx));
    }
    file.rewind().map_err(|e| Error::read(path, e))?;
    check_unpacked_size(path, &mut file)?;
    file.rewind().map_err(|e| Error::read(path, e))?;
    Ok(file)
}

/// Refuses a workbook whose parts would unpack to more than [`MAX_UNPACKED_BYTES`] (a "zip
/// bomb"), reading only the zip directory.
fn check_unpacked_size(path: &Path, file: &mut File) -> Result<()> {
    let mut zip = zip::ZipArchive::new(&mut *file)
        .map_err(|e| Error::workbook(path, WorkbookProblem::Corrupt { detail: e.to_string() }))?;
    let mut total: u64 = 0;
    let mut largest_xml: (u64, String) = (0, String::new());
    for i in 0..zip.len() {
        let (size, name) = zip
            .by_index_raw(i)
            .map(|f| (f.size(), f.name().map(|n| crate::text::visible(&n)).unwrap_or_else(|_| format!("#{}", i + 1))))
            .unwrap_or((u64::MAX, format!("#{}", i + 1)));
        total = total.saturating_add(size);
        // Unpacked whole by the reader: the XML parts (and a part whose name cannot be read).
        let xml = name.ends_with(".xml") || name.starts_with('#');
        if xml && size > largest_xml.0 {
            largest_xml = (size, name);
        }
    }
    if largest_xml.0 > MAX_XML_PART_BYTES {
        let (size, part) = largest_xml;
        return Err(Error::workbook(
            path,
            WorkbookProblem::Unpacked { size, limit: MAX_XML_PART_BYTES, part: Some(part) },
        ));
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(Error::workbook(
            path,
            WorkbookProblem::Unpacked { size: total, limit: MAX_UNPACKED_BYTES, part: None },
        ));
    }
    Ok(())
}

/// A date-time rounded to the second (Excel stores fractions of a day).
pub fn round_to_second(d: NaiveDateTime) -> NaiveDateTime {
    let up = d.nanosecond() >= 500_000_000;
    let d = d.with_nanosecond(0).unwrap_or(d);
    if up {
        d + chrono::Duration::seconds(1)
    } else {
        d
    }
}

fn raw_of(v: &DataRef<'_>) -> Option<Raw> {
    Some(match v {
        DataRef::Empty => return None,
        DataRef::Int(i) => Raw::Int(*i),
        DataRef::Float(f) => Raw::Num(*f),
        DataRef::String(s) => Raw::Str(s.clone()),
        DataRef::SharedString(s) => Raw::Str(s.to_string()),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(d) => match d.as_datetime() {
            Some(dt) => Raw::DateTime(round_to_second(dt)),
            None => Raw::Error("日付の値が範囲外です".into()),
        },
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Str(s.clone()),
        DataRef::Error(e) => Raw::Error(format!("{e}")),
    })
}

fn read_sheet<RS: Read + Seek>(wb: &mut Xlsx<RS>, path: &Path, name: &str) -> Result<CellGrid> {
    let too_big = |rows: u32, cols: u32, cell: Option<String>| {
        Error::workbook(
            path,
            WorkbookProblem::SheetTooLarge {
                sheet: name.to_string(),
                cell,
                rows: rows.into(),
                cols: cols.into(),
                max_rows: MAX_ROWS.into(),
                max_cols: MAX_COLS.into(),
            },
        )
    };
    let unreadable =
        |detail: String| Error::workbook(path, WorkbookProblem::SheetUnreadable { sheet: name.to_string(), detail });
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| unreadable(e.to_string()))?;
    let d = reader.dimensions();
    if d.end.0 >= MAX_ROWS || d.end.1 >= MAX_COLS {
        return Err(too_big(d.end.0.saturating_add(1), d.end.1.saturating_add(1), None));
    }
    let mut grid = CellGrid::new();
    let mut count = 0usize;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let (r, c) = cell.get_position();
        if r >= MAX_ROWS || c >= MAX_COLS {
            return Err(too_big(r.saturating_add(1), c.saturating_add(1), Some(cell_name(r, c))));
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(Error::workbook(
                path,
                WorkbookProblem::TooManyCells { sheet: name.to_string(), limit: MAX_CELLS },
            ));
        }
        if let Some(raw) = raw_of(cell.get_value()) {
            grid.entry(r).or_default().insert(c, raw);
        }
    }
    Ok(grid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 5), "F12");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(cell_name(0, 702), "AAA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
        // Positions a damaged file may claim (found by fuzzing: the name overflowed).
        assert_eq!(cell_name(0, 65_535), "CRXP1");
        assert_eq!(cell_name(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn refuses_what_is_not_a_workbook() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("a.xlsx");
        std::fs::write(&text, "こんにちは").unwrap();
        let e = check_file(&text).unwrap_err();
        assert!(matches!(e, Error::Workbook { problem: WorkbookProblem::NotXlsx, .. }), "{e}");
        let ole = dir.path().join("b.xlsx");
        std::fs::write(&ole, OLE_MAGIC).unwrap();
        assert!(matches!(check_file(&ole), Err(Error::Workbook { problem: WorkbookProblem::Encrypted, .. })));
        assert!(matches!(check_file(dir.path()), Err(Error::Workbook { problem: WorkbookProblem::Folder, .. })));
    }
}
