//! The guarded reader of untrusted workbooks: size and magic bytes are checked before calamine
//! opens a file, the zip directory before anything is unpacked, each sheet's declared size
//! before its cells are read, and cells are read one by one (never `worksheet_range`, which
//! allocates whatever the sheet declares). A formula without a calculated value is kept as a
//! formula, never read as an empty cell. Knows nothing of kensa's layout.

use crate::error::{Error, Result, WorkbookProblem};
use calamine::{DataRef, Reader, Xlsx, XlsxFormulaMetadata};
use chrono::{NaiveDateTime, Timelike};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Cursor, Read, Seek};
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
    /// A formula saved without its calculated value (by a program that does not calculate),
    /// with its text as written after `=` (empty when it cannot be told).
    Formula(String),
}

impl Raw {
    pub fn is_blank(&self) -> bool {
        matches!(self, Raw::Str(s) if s.trim().is_empty())
    }
    /// The cell as plain text (for keys and the hidden sheet).
    pub fn plain(&self) -> String {
        self.text().into_owned()
    }
    /// [`Raw::plain`], borrowed where the cell holds text (no copy for the keys of every row).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(match self {
            Raw::Str(s) => return std::borrow::Cow::Borrowed(s.trim()),
            Raw::Num(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Raw::Num(f) => f.to_string(),
            Raw::Int(i) => i.to_string(),
            Raw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
            Raw::DateTime(d) => d.to_string(),
            Raw::Error(e) => e.clone(),
            Raw::Formula(f) => format!("={f}"),
        })
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
    book: Xlsx<Cursor<Vec<u8>>>,
}

impl Guarded {
    /// Checks the file and opens it; refuses what is not an unencrypted .xlsx of sane size.
    pub fn open(path: &Path) -> Result<Guarded> {
        // At most MAX_WORKBOOK_BYTES, read at once: the zip directory is then looked up in
        // memory, by the guard and by the reader, without a system call per seek.
        let bytes = check_file(path)?;
        let book = Xlsx::new(Cursor::new(bytes))
            .map_err(|e| Error::workbook(path, WorkbookProblem::Corrupt { detail: e.to_string() }))?;
        Ok(Guarded { path: path.to_path_buf(), book })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.book.sheet_names()
    }

    /// Reads the cells of one sheet, refusing sheets larger than the limits.
    pub fn sheet(&mut self, name: &str) -> Result<CellGrid> {
        read_sheet(&mut self.book, &self.path, name, |_, _, _| false)
    }

    /// The sheets a person sees when opening the workbook (hidden and very hidden ones left out),
    /// in workbook order.
    pub fn visible_sheets(&self) -> Vec<String> {
        self.book
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The merged ranges of one sheet as 0-based (first row, first column, last row, last
    /// column), at most [`MAX_CELLS`] of them.
    pub fn merged(&mut self, name: &str) -> Result<Vec<(u32, u32, u32, u32)>> {
        let ranges = self.book.merge_cells_by_sheet_name(name).map_err(|e| {
            Error::workbook(
                &self.path,
                WorkbookProblem::SheetUnreadable { sheet: name.to_string(), detail: e.to_string() },
            )
        })?;
        if ranges.len() > MAX_CELLS {
            return Err(Error::workbook(
                &self.path,
                WorkbookProblem::TooManyCells { sheet: name.to_string(), limit: MAX_CELLS },
            ));
        }
        Ok(ranges.iter().map(|d| (d.start.0, d.start.1, d.end.0, d.end.1)).collect())
    }

    /// The 0-based rows of one sheet that are hidden (`<row hidden="1">`), which calamine does
    /// not report: the file is checked by the same guards again and the sheet's XML scanned for
    /// its row elements only.
    pub fn hidden_rows(&self, name: &str) -> Result<std::collections::BTreeSet<u32>> {
        let bytes = check_file(&self.path)?;
        hidden_rows_of(&bytes, name).map_err(|detail| {
            Error::workbook(&self.path, WorkbookProblem::SheetUnreadable { sheet: name.to_string(), detail })
        })
    }

    /// [`Guarded::sheet`] up to the first cell for which `stop(row, column, value)` holds (that
    /// cell and the rest of the sheet are not read: the sheet's XML is not even unpacked further).
    pub fn sheet_until(&mut self, name: &str, stop: impl FnMut(u32, u32, &Raw) -> bool) -> Result<CellGrid> {
        read_sheet(&mut self.book, &self.path, name, stop)
    }
}

/// Checks size and magic bytes, refusing what is not an unencrypted .xlsx; the file's bytes.
pub fn check_file(path: &Path) -> Result<Vec<u8>> {
    let problem = |p: WorkbookProblem| Error::workbook(path, p);
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(problem(WorkbookProblem::Folder));
    }
    if meta.len() > MAX_WORKBOOK_BYTES {
        return Err(problem(WorkbookProblem::TooLarge { size: meta.len(), limit: MAX_WORKBOOK_BYTES }));
    }
    let file = File::open(path).map_err(|e| Error::read(path, e))?;
    // Read no more than the limit, whatever the file grew to since its size was asked.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_WORKBOOK_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Error::read(path, e))?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(problem(WorkbookProblem::TooLarge { size: bytes.len() as u64, limit: MAX_WORKBOOK_BYTES }));
    }
    if bytes.len() >= 8 && bytes[..8] == OLE_MAGIC {
        return Err(problem(WorkbookProblem::Encrypted));
    }
    if bytes.len() < 4 || bytes[..4] != ZIP_MAGIC {
        return Err(problem(WorkbookProblem::NotXlsx));
    }
    check_unpacked_size(path, &bytes)?;
    Ok(bytes)
}

/// Refuses a workbook whose parts would unpack to more than [`MAX_UNPACKED_BYTES`] (a "zip
/// bomb"), reading only the zip directory.
fn check_unpacked_size(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
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

/// One part of a workbook's zip as text (its size was checked by [`check_unpacked_size`]).
fn zip_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> std::result::Result<String, String> {
    let mut f = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut text = String::new();
    (&mut f).take(MAX_XML_PART_BYTES + 1).read_to_string(&mut text).map_err(|e| format!("{name}: {e}"))?;
    Ok(text)
}

/// The value of attribute `key` (without namespace prefix) of an XML start tag.
fn attribute(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The hidden rows of sheet `name` in a workbook's bytes: the sheet's part found through
/// `xl/workbook.xml` and its relationships, its `<row>` elements read for `hidden`.
fn hidden_rows_of(bytes: &[u8], name: &str) -> std::result::Result<std::collections::BTreeSet<u32>, String> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let book = zip_part(&mut zip, "xl/workbook.xml")?;
    let mut rid = None;
    let mut reader = quick_xml::Reader::from_str(&book);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().into_inner() == "sheet" && attribute(&e, "name").as_deref() == Some(name) =>
            {
                rid = attribute(&e, "id");
                break;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let rid = rid.ok_or_else(|| format!("xl/workbook.xml にシート「{name}」がありません"))?;
    let rels = zip_part(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let mut target = None;
    let mut reader = quick_xml::Reader::from_str(&rels);
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().into_inner() == "Relationship"
                    && attribute(&e, "Id").as_deref() == Some(rid.as_str()) =>
            {
                target = attribute(&e, "Target");
                break;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let target = target.ok_or_else(|| format!("シート「{name}」の部品が見つかりません"))?;
    let part = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let sheet = zip_part(&mut zip, &part)?;
    let mut hidden = std::collections::BTreeSet::new();
    let mut reader = quick_xml::Reader::from_str(&sheet);
    // Rows without `r` follow the previous one.
    let mut next: u32 = 1;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "row" => {
                let r = attribute(&e, "r").and_then(|r| r.trim().parse::<u32>().ok()).unwrap_or(next);
                if r == 0 || r > MAX_ROWS {
                    return Err(format!("行番号 {r} が範囲外です"));
                }
                if matches!(attribute(&e, "hidden").as_deref(), Some("1" | "true")) {
                    hidden.insert(r - 1);
                }
                next = r.saturating_add(1);
            }
            Event::End(e) if e.local_name().into_inner() == "sheetData" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(hidden)
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

/// Longest formula text kept (for messages), in characters.
const MAX_FORMULA_CHARS: usize = 200;

/// Formula text cut to [`MAX_FORMULA_CHARS`].
fn cut(f: &str) -> String {
    match f.char_indices().nth(MAX_FORMULA_CHARS) {
        Some((i, _)) => format!("{}…", &f[..i]),
        None => f.to_string(),
    }
}

fn read_sheet<RS: Read + Seek>(
    wb: &mut Xlsx<RS>,
    path: &Path,
    name: &str,
    mut stop: impl FnMut(u32, u32, &Raw) -> bool,
) -> Result<CellGrid> {
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
    // Templates of shared formulas by their index, with the first cell of their range. Only
    // anchor cells add to it, so it is bounded by the cells read. (`next_cell_with_formula`
    // would instead grow a vector to whatever index the sheet names.)
    let mut shared: HashMap<usize, (String, (u32, u32))> = HashMap::new();
    loop {
        let cell = match reader.next_cell_with_formula_metadata() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let (r, c) = cell.pos;
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
        let value = raw_of(&cell.value);
        let blank = value.is_none();
        // Formula text is kept only for a cell without a value, cut short: a shared formula's
        // template is expanded for each cell that uses it.
        let formula = match cell.formula {
            Some(XlsxFormulaMetadata::Shared { shared_index, range, formula }) => {
                let formula = cut(formula.trim());
                let start = range.map(|d| d.start).unwrap_or(cell.pos);
                shared.insert(shared_index, (formula.clone(), start));
                blank.then_some(formula)
            }
            Some(XlsxFormulaMetadata::SharedDerived { shared_index }) => blank.then(|| {
                shared
                    .get(&shared_index)
                    .and_then(|(f, start)| calamine::expand_shared_formula(f, *start, cell.pos).ok())
                    .unwrap_or_default()
            }),
            Some(XlsxFormulaMetadata::Normal { formula }) => blank.then(|| cut(formula.trim())),
            Some(_) => blank.then(String::new),
            None => None,
        };
        let raw = match (value, formula) {
            (Some(raw), _) => raw,
            (None, Some(f)) => Raw::Formula(f),
            (None, None) => continue,
        };
        if stop(r, c, &raw) {
            break;
        }
        grid.entry(r).or_default().insert(c, raw);
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

    /// A minimal workbook of one sheet `S` whose `<sheetData>` is `cells` (XML as a program
    /// that does not calculate would write it).
    fn one_sheet(dir: &Path, cells: &str) -> PathBuf {
        use std::io::Write;
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E9"/><sheetData>{cells}</sheetData></worksheet>"#
                ),
            ),
        ];
        let path = dir.join("s.xlsx");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, text) in parts {
            zip.start_file(name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        path
    }

    fn read_one(cells: &str) -> CellGrid {
        let dir = tempfile::tempdir().unwrap();
        let path = one_sheet(dir.path(), cells);
        Guarded::open(&path).unwrap().sheet("S").unwrap()
    }

    #[test]
    fn a_formula_without_a_value_is_kept_as_a_formula() {
        let g = read_one(concat!(
            r#"<row r="5"><c r="C5"><f>"医療法人"&amp;"テスト会"</f><v/></c></row>"#,
            r#"<row r="6"><c r="C6"><f>100+212</f></c></row>"#,
            // With a calculated value the value is read, as from any cell.
            r#"<row r="7"><c r="C7"><f>100+212</f><v>312</v></c>"#,
            r#"<c r="D7" t="str"><f>"医療法人"&amp;"テスト会"</f><v>医療法人テスト会</v></c>"#,
            // A formula whose value is empty text has a value.
            r#"<c r="E7" t="str"><f>""</f><v></v></c></row>"#,
        ));
        assert_eq!(g[&4][&2], Raw::Formula(r#""医療法人"&"テスト会""#.into()));
        assert_eq!(g[&5][&2], Raw::Formula("100+212".into()));
        assert_eq!(g[&5][&2].plain(), "=100+212");
        assert!(!g[&5][&2].is_blank());
        assert_eq!(g[&6][&2], Raw::Num(312.0));
        assert_eq!(g[&6][&3], Raw::Str("医療法人テスト会".into()));
        assert!(g[&6][&4].is_blank());
    }

    #[test]
    fn shared_formulas_without_values_are_expanded_for_each_cell() {
        let g = read_one(concat!(
            r#"<row r="1"><c r="D1"><f t="shared" ref="D1:D3" si="0">A1*2</f></c></row>"#,
            r#"<row r="2"><c r="D2"><f t="shared" si="0"/></c></row>"#,
            r#"<row r="3"><c r="D3"><f t="shared" si="0"/><v>6</v></c></row>"#,
            // A derived cell whose template was never seen.
            r#"<row r="4"><c r="D4"><f t="shared" si="7"/></c></row>"#,
        ));
        assert_eq!(g[&0][&3], Raw::Formula("A1*2".into()));
        assert_eq!(g[&1][&3], Raw::Formula("A2*2".into()));
        assert_eq!(g[&2][&3], Raw::Num(6.0));
        assert_eq!(g[&3][&3], Raw::Formula(String::new()));
    }

    #[test]
    fn formulas_allocate_nothing_by_what_the_sheet_declares() {
        // A shared formula index near the top of the address space: a reader that keeps
        // templates in a vector indexed by it would fail to allocate.
        let huge = usize::MAX / 2;
        let long = "1+".repeat(5_000) + "1";
        let g = read_one(&format!(
            r#"<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="{huge}">{long}</f></c></row><row r="2"><c r="A2"><f t="shared" si="{huge}"/></c></row>"#
        ));
        let Raw::Formula(f) = &g[&0][&0] else { panic!("{:?}", g[&0][&0]) };
        assert_eq!(f.chars().count(), MAX_FORMULA_CHARS + 1, "cut short with …");
        assert!(f.ends_with('…'));
        assert!(matches!(&g[&1][&0], Raw::Formula(f) if f.chars().count() <= MAX_FORMULA_CHARS + 1));
    }

    #[test]
    fn sheet_until_stops_at_the_first_cell_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = one_sheet(
            dir.path(),
            concat!(
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1"><v>1</v></c></row>"#,
                r#"<row r="2"><c r="A2" t="inlineStr"><is><t>stop</t></is></c><c r="B2"><v>2</v></c></row>"#,
                r#"<row r="3"><c r="A3" t="inlineStr"><is><t>c</t></is></c></row>"#,
            ),
        );
        let mut wb = Guarded::open(&path).unwrap();
        let g = wb.sheet_until("S", |_, c, v| c == 0 && v.text() == "stop").unwrap();
        assert_eq!(g.len(), 1, "{g:?}");
        assert_eq!(g[&0][&1], Raw::Num(1.0));
        // Nothing stops: the whole sheet, as `sheet` reads it.
        let all = wb.sheet_until("S", |_, _, _| false).unwrap();
        assert_eq!(all, wb.sheet("S").unwrap());
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn hidden_rows_and_merged_ranges_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = one_sheet(
            dir.path(),
            concat!(
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>"#,
                r#"<row r="3" hidden="1"><c r="A3" t="inlineStr"><is><t>b</t></is></c></row>"#,
                r#"<row hidden="true"><c r="A4" t="inlineStr"><is><t>c</t></is></c></row>"#,
                r#"<row r="5" hidden="0"/>"#,
            ),
        );
        let mut wb = Guarded::open(&path).unwrap();
        assert_eq!(wb.hidden_rows("S").unwrap().into_iter().collect::<Vec<_>>(), [2, 3]);
        assert!(wb.hidden_rows("T").is_err());
        assert_eq!(wb.visible_sheets(), ["S"]);
        assert!(wb.merged("S").unwrap().is_empty());
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
