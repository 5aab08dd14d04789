//! A filled workbook → parsed values → merged into the case with a list of changes and
//! conflicts.
//!
//! The file is untrusted: its size and magic bytes are checked before calamine opens it, each
//! sheet's declared size before its cells are read, and cells are read one by one (never
//! `worksheet_range`, which allocates whatever the sheet declares). Every problem of the file
//! is collected and reported at once, each with its sheet and cell.

use super::*;
use crate::checklist::Registry;
use crate::error::{Error, ErrorList, Result};
use crate::wareki;
use calamine::{DataRef, Reader, Xlsx};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
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
    fn is_blank(&self) -> bool {
        matches!(self, Raw::Str(s) if s.trim().is_empty())
    }
    /// The cell as plain text (for keys and the hidden sheet).
    fn plain(&self) -> String {
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

type Grid = BTreeMap<u32, BTreeMap<u32, Raw>>;

/// A place in the workbook: `チェックリスト!F12`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub sheet: String,
    pub cell: String,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", self.sheet, self.cell)
    }
}

fn loc(sheet: &str, row: u32, col: u32) -> Loc {
    Loc { sheet: sheet.to_string(), cell: cell_name(row, col) }
}

/// The answer cells of one checklist row.
pub struct ParsedAnswer {
    pub item: ItemRef,
    pub row: Loc,
    pub cells: Vec<(&'static AnswerCol, Val, Loc)>,
}

/// The rows of one table, each with the place of its first cell.
pub struct ParsedTable {
    pub table: &'static Table,
    pub sheet: String,
    pub rows: Vec<(Vec<Val>, Loc)>,
}

/// Everything read from a workbook.
pub struct Parsed {
    pub path: PathBuf,
    pub case_id: String,
    pub audience: Audience,
    /// (checklist id, edition, sheet name).
    pub checklists: Vec<(String, String, String)>,
    /// Items that had an answer in the case the workbook was made from, in case order.
    pub answer_order: Vec<ItemRef>,
    /// Optional sections present in that case.
    pub present: Vec<String>,
    pub scalars: Vec<(&'static Field, Val, Loc)>,
    pub tables: Vec<ParsedTable>,
    pub answers: Vec<ParsedAnswer>,
}

impl fmt::Debug for Parsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parsed")
            .field("path", &self.path)
            .field("case_id", &self.case_id)
            .field("audience", &self.audience)
            .field("checklists", &self.checklists)
            .field("answers", &self.answers.len())
            .finish()
    }
}

fn cell_error(path: &Path, l: &Loc, message: impl Into<String>) -> Error {
    Error::Cell { path: path.to_path_buf(), sheet: l.sheet.clone(), cell: l.cell.clone(), message: message.into() }
}

/// Checks size and magic bytes, refusing what is not an unencrypted .xlsx.
pub fn check_file(path: &Path) -> Result<std::fs::File> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::file(path, "フォルダです。記入済みのワークブック（.xlsx）を指定してください"));
    }
    if meta.len() > MAX_WORKBOOK_BYTES {
        return Err(Error::file(
            path,
            format!(
                "ファイルが大きすぎます（{} バイト。上限は {} バイト）。kensa workbook で作成したワークブックを指定してください",
                crate::text::thousands(meta.len()),
                crate::text::thousands(MAX_WORKBOOK_BYTES)
            ),
        ));
    }
    let mut file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
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
        return Err(Error::file(
            path,
            "パスワードで保護（暗号化）されたブック、または古い形式（.xls）のブックです。Excel でパスワードを解除し、「Excel ブック（*.xlsx）」として保存し直してから取り込んでください",
        ));
    }
    if n < 4 || head[..4] != ZIP_MAGIC {
        return Err(Error::file(
            path,
            "Excel ブック（.xlsx）ではありません。kensa workbook で作成し、記入して保存したファイルを指定してください",
        ));
    }
    file.rewind().map_err(|e| Error::read(path, e))?;
    check_unpacked_size(path, &mut file)?;
    file.rewind().map_err(|e| Error::read(path, e))?;
    Ok(file)
}

/// Refuses a workbook whose parts would unpack to more than [`MAX_UNPACKED_BYTES`] (a "zip
/// bomb"), reading only the zip directory.
fn check_unpacked_size(path: &Path, file: &mut std::fs::File) -> Result<()> {
    let mut zip = zip::ZipArchive::new(&mut *file).map_err(|e| {
        Error::file(
            path,
            format!("ワークブックとして読めません（{e}）。Excel ブック（.xlsx）として保存し直してください"),
        )
    })?;
    let mut total: u64 = 0;
    let mut largest_xml: u64 = 0;
    for i in 0..zip.len() {
        let (size, xml) = zip
            .by_index_raw(i)
            .map(|f| (f.size(), f.name().map(|n| n.ends_with(".xml")).unwrap_or(true)))
            .unwrap_or((u64::MAX, true));
        total = total.saturating_add(size);
        if xml {
            largest_xml = largest_xml.max(size);
        }
    }
    if total > MAX_UNPACKED_BYTES || largest_xml > MAX_XML_PART_BYTES {
        let total = total.max(largest_xml);
        return Err(Error::file(
            path,
            format!(
                "ワークブックを展開すると大きすぎます（{} バイト。上限は {} バイト）",
                crate::text::thousands(total),
                crate::text::thousands(MAX_UNPACKED_BYTES)
            ),
        ));
    }
    Ok(())
}

fn round_to_second(d: NaiveDateTime) -> NaiveDateTime {
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

/// Reads the cells of one sheet, refusing sheets larger than the limits.
fn read_sheet<RS: Read + Seek>(wb: &mut Xlsx<RS>, path: &Path, name: &str) -> Result<Grid> {
    let too_big = |rows: u32, cols: u32| {
        Error::file(
            path,
            format!(
                "シート「{name}」の大きさ（{} 行 × {} 列）が上限（{} 行・{} 列）を超えるため読みません。不要な行・列を削除して保存し直してください",
                crate::text::thousands(rows.into()),
                cols,
                crate::text::thousands(MAX_ROWS.into()),
                MAX_COLS
            ),
        )
    };
    let mut reader = wb
        .worksheet_cells_reader(name)
        .map_err(|e| Error::file(path, format!("シート「{name}」を読めません（{e}）")))?;
    let d = reader.dimensions();
    if d.end.0 >= MAX_ROWS || d.end.1 >= MAX_COLS {
        return Err(too_big(d.end.0.saturating_add(1), d.end.1.saturating_add(1)));
    }
    let mut grid = Grid::new();
    let mut count = 0usize;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(Error::file(path, format!("シート「{name}」を読めません（{e}）"))),
        };
        let (r, c) = cell.get_position();
        if r >= MAX_ROWS || c >= MAX_COLS {
            return Err(too_big(r.saturating_add(1), c.saturating_add(1)));
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(Error::file(path, format!("シート「{name}」のセルが多すぎます（上限 {MAX_CELLS} 個）")));
        }
        if let Some(raw) = raw_of(cell.get_value()) {
            grid.entry(r).or_default().insert(c, raw);
        }
    }
    Ok(grid)
}

// ---------------------------------------------------------------------------
// Interpreting cells
// ---------------------------------------------------------------------------

/// Whether a typed choice means はい (true) or いいえ (false).
pub fn parse_yes_no(s: &str) -> Option<bool> {
    let n = wareki::normalize(s).to_lowercase();
    match n.as_str() {
        "はい" | "yes" | "y" | "○" | "〇" | "◯" | "有" | "あり" | "true" => Some(true),
        "いいえ" | "no" | "n" | "×" | "✕" | "✖" | "✗" | "無" | "なし" | "false" => Some(false),
        _ => None,
    }
}

fn choice_key(s: &str) -> String {
    wareki::normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The label of `labels` a typed value means.
pub fn parse_choice(s: &str, labels: &[&'static str]) -> Option<&'static str> {
    let k = choice_key(s);
    labels.iter().copied().find(|l| choice_key(l) == k)
}

fn not_a_choice(s: &str, labels: &[&str]) -> String {
    format!("「{}」は選択肢にありません（選択肢: {}）", s.trim(), labels.join("、"))
}

/// Splits a cell holding several values.
pub fn split_list(s: &str, spaces: bool) -> Vec<String> {
    // Ids and method names are normalized (full-width → ASCII); free words are kept as written.
    let text = if spaces { wareki::normalize(s) } else { s.to_string() };
    text.split(|c: char| matches!(c, '、' | ',' | '，' | '\n' | '\r') || spaces && (c == '/' || c.is_whitespace()))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A date from an Excel serial number (1900 date system).
pub fn serial_to_datetime(f: f64) -> Option<NaiveDateTime> {
    if !f.is_finite() || !(1.0..2_958_466.0).contains(&f) {
        return None;
    }
    let f = if f >= 60.0 { f } else { f + 1.0 };
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
    let ms = (f * 86_400_000.0).round() as i64;
    epoch.checked_add_signed(chrono::Duration::milliseconds(ms)).map(round_to_second)
}

fn date_of(dt: NaiveDateTime) -> Result<Val, String> {
    if dt.time() != NaiveTime::MIN {
        return Err(format!("「{}」: この欄には日付だけを書きます（時刻は書けません）", dt.format("%Y-%m-%d %H:%M")));
    }
    Ok(Val::Date(Date(dt.date())))
}

fn stamp_of(dt: NaiveDateTime) -> Val {
    let time = (dt.time() != NaiveTime::MIN).then(|| dt.time());
    Val::Stamp(Stamp { date: dt.date(), time })
}

fn parse_count(s: &str) -> Option<u64> {
    let n: String = wareki::normalize(s).chars().filter(|c| !matches!(c, ',' | '，' | ' ')).collect::<String>();
    let n = n.trim_end_matches(['件', '人', '名', '円', '台', '床']);
    n.parse::<u64>().ok()
}

fn number(f: f64, kind: Kind) -> Result<Val, String> {
    let max = match kind {
        Kind::Num32 => u32::MAX as f64,
        _ => (1u64 << 53) as f64,
    };
    if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f <= max {
        Ok(Val::Num(f as u64))
    } else {
        Err(format!("「{f}」は0以上の整数として読めません"))
    }
}

/// Interprets a cell for a column of `kind`; `None` is an empty cell.
pub fn interpret(kind: Kind, raw: Option<&Raw>) -> Result<Val, String> {
    let v = interpret_raw(kind, raw)?;
    Ok(match (v, kind) {
        (Val::Empty, Kind::Flag) => Val::Bool(false),
        (Val::Empty, Kind::Count) => Val::Num(0),
        (v, _) => v,
    })
}

fn interpret_raw(kind: Kind, raw: Option<&Raw>) -> Result<Val, String> {
    let Some(raw) = raw else { return Ok(Val::Empty) };
    if raw.is_blank() {
        return Ok(Val::Empty);
    }
    match raw {
        Raw::Error(e) => Err(format!("セルがエラー値（{e}）です。値を入れ直してください")),
        Raw::Str(s) => {
            if s.chars().count() > crate::xlsx::MAX_CELL_CHARS {
                return Err(format!("文字数が上限（{} 字）を超えています", crate::xlsx::MAX_CELL_CHARS));
            }
            text_value(kind, s)
        }
        Raw::Num(f) => match kind {
            Kind::Text | Kind::Words => Ok(Val::Text(raw.plain())),
            Kind::Date => {
                serial_to_datetime(*f).ok_or_else(|| format!("「{f}」は日付として読めません")).and_then(date_of)
            }
            Kind::Stamp => serial_to_datetime(*f).map(stamp_of).ok_or_else(|| format!("「{f}」は日付として読めません")),
            Kind::Num32 | Kind::Num64 | Kind::Count => number(*f, kind),
            _ => text_value(kind, &raw.plain()),
        },
        Raw::Int(i) => match kind {
            Kind::Num32 | Kind::Num64 | Kind::Count => {
                let ok = *i >= 0 && (kind != Kind::Num32 || *i <= u32::MAX as i64);
                if ok {
                    Ok(Val::Num(*i as u64))
                } else {
                    Err(format!("「{i}」は0以上の整数として読めません"))
                }
            }
            Kind::Date | Kind::Stamp => interpret_raw(kind, Some(&Raw::Num(*i as f64))),
            _ => text_value(kind, &i.to_string()),
        },
        Raw::Bool(b) => match kind {
            Kind::YesNo | Kind::Flag => Ok(Val::Bool(*b)),
            _ => text_value(kind, &raw.plain()),
        },
        Raw::DateTime(dt) => match kind {
            Kind::Date => date_of(*dt),
            Kind::Stamp => Ok(stamp_of(*dt)),
            Kind::Text | Kind::Words => Ok(Val::Text(stamp_of(*dt).show())),
            _ => Err(format!("「{}」は日付です。この欄には日付を書きません", stamp_of(*dt).show())),
        },
    }
}

fn text_value(kind: Kind, s: &str) -> Result<Val, String> {
    match kind {
        Kind::Text => Ok(Val::Text(s.to_string())),
        Kind::Date => {
            let norm = wareki::normalize(s);
            match norm.parse::<Date>() {
                Ok(d) => Ok(Val::Date(d)),
                Err(e) => match norm.parse::<Stamp>() {
                    Ok(st) if st.time.is_none_or(|t| t == NaiveTime::MIN) => Ok(Val::Date(Date(st.date))),
                    Ok(_) => Err(format!("「{}」: この欄には日付だけを書きます（時刻は書けません）", s.trim())),
                    Err(_) => Err(e.0),
                },
            }
        }
        Kind::Stamp => s.parse::<Stamp>().map(Val::Stamp).map_err(|e| e.0),
        Kind::Num32 | Kind::Num64 | Kind::Count => match parse_count(s) {
            Some(n) if kind != Kind::Num32 || n <= u32::MAX as u64 => Ok(Val::Num(n)),
            _ => Err(format!("「{}」は0以上の整数として読めません", s.trim())),
        },
        Kind::YesNo | Kind::Flag => parse_yes_no(s).map(Val::Bool).ok_or_else(|| not_a_choice(s, &["はい", "いいえ"])),
        Kind::Choice(f) => {
            let labels = f();
            parse_choice(s, &labels).map(|l| Val::Text(l.to_string())).ok_or_else(|| not_a_choice(s, &labels))
        }
        Kind::Methods => {
            let labels = Method::labels();
            let mut out = Vec::new();
            for part in split_list(s, true) {
                match parse_choice(&part, &labels) {
                    Some(l) => out.push(l.to_string()),
                    None => return Err(not_a_choice(&part, &labels)),
                }
            }
            Ok(if out.is_empty() { Val::Empty } else { Val::List(out) })
        }
        Kind::ItemRefs => {
            let mut out = Vec::new();
            for part in split_list(s, true) {
                let r: ItemRef = part.parse()?;
                out.push(r.to_string());
            }
            Ok(if out.is_empty() { Val::Empty } else { Val::List(out) })
        }
        Kind::Words => {
            let out: Vec<String> = split_list(s, false);
            Ok(if out.is_empty() { Val::Empty } else { Val::List(out) })
        }
    }
}

// ---------------------------------------------------------------------------
// Reading the workbook
// ---------------------------------------------------------------------------

/// Reads a filled workbook; every problem in it is reported at once. With `case`, a workbook
/// made for another case is refused before its cells are read.
pub fn read(path: &Path, reg: &Registry, case: Option<&Case>) -> Result<Parsed> {
    let file = check_file(path)?;
    let mut wb: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(|e| {
        Error::file(
            path,
            format!("ワークブックとして読めません（{e}）。Excel ブック（.xlsx）として保存し直してください"),
        )
    })?;
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == META_SHEET) {
        return Err(Error::file(
            path,
            format!("kensa が作成したワークブックではありません（隠しシート「{META_SHEET}」がありません）。kensa workbook で作成したワークブックに記入してください"),
        ));
    }
    let meta = read_sheet(&mut wb, path, META_SHEET)?;
    let mut p = parse_meta(path, &meta)?;
    if let Some(case) = case {
        check_case_id(&p, case)?;
    }

    let mut errors: Vec<Error> = Vec::new();
    for (id, edition, _) in &p.checklists {
        match reg.get(id) {
            None => errors.push(Error::file(
                path,
                format!("ワークブックのチェックリスト「{id}」（{edition}）は kensa にありません（使えるもの: {}）", reg.ids().join("、")),
            )),
            Some(c) if c.edition != *edition => errors.push(Error::file(
                path,
                format!(
                    "ワークブックのチェックリスト「{id}」は「{edition}」ですが、kensa のチェックリストは「{}」です。別の版のチェックリストで作成したワークブックは取り込めません。kensa workbook で作成し直してください",
                    c.edition
                ),
            )),
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(many(errors));
    }

    let ids: HashSet<String> = p.checklists.iter().map(|(id, _, _)| id.clone()).collect();
    let mut seen: HashSet<ItemRef> = HashSet::new();
    for (_, _, sheet) in p.checklists.clone() {
        if !names.contains(&sheet) {
            errors.push(Error::file(
                path,
                format!("シート「{sheet}」がありません（削除または名前の変更をしないでください）"),
            ));
            continue;
        }
        let grid = read_sheet(&mut wb, path, &sheet)?;
        read_checklist_sheet(path, &sheet, &grid, reg, &ids, &mut seen, &mut p, &mut errors);
    }
    for sheet in meta_values(&meta, "sheet") {
        let Some(form) = FORM_SHEETS.iter().find(|s| s.name == sheet) else { continue };
        if !names.contains(&sheet) {
            errors.push(Error::file(
                path,
                format!("シート「{sheet}」がありません（削除または名前の変更をしないでください）"),
            ));
            continue;
        }
        let grid = read_sheet(&mut wb, path, &sheet)?;
        read_form_sheet(path, form, &grid, &mut p, &mut errors);
    }
    if !errors.is_empty() {
        return Err(many(errors));
    }
    Ok(p)
}

fn many(mut errors: Vec<Error>) -> Error {
    if errors.len() == 1 {
        errors.remove(0)
    } else {
        Error::Many(ErrorList(errors))
    }
}

fn meta_values(meta: &Grid, key: &str) -> Vec<String> {
    meta.values()
        .filter(|r| r.get(&0).map(|v| v.plain()) == Some(key.to_string()))
        .map(|r| r.get(&1).map(|v| v.plain()).unwrap_or_default())
        .collect()
}

fn parse_meta(path: &Path, meta: &Grid) -> Result<Parsed> {
    let bad = |m: &str| {
        Error::file(
            path,
            format!("隠しシート「{META_SHEET}」が壊れています（{m}）。kensa workbook で作成し直してください"),
        )
    };
    let version = meta_values(meta, META_MAGIC);
    match version.first() {
        None => return Err(bad("識別情報がありません")),
        Some(v) if v != WORKBOOK_FORMAT => {
            return Err(Error::file(
                path,
                format!("このワークブックの形式（版 {v}）には対応していません（この kensa は版 {WORKBOOK_FORMAT}）"),
            ))
        }
        _ => {}
    }
    let case_id = meta_values(meta, "case_id").into_iter().next().ok_or_else(|| bad("事案IDがありません"))?;
    let audience = meta_values(meta, "audience")
        .first()
        .and_then(|a| Audience::from_id(a))
        .ok_or_else(|| bad("用途（inspector／facility）がありません"))?;
    let checklists: Vec<(String, String, String)> = meta
        .values()
        .filter(|r| r.get(&0).map(|v| v.plain()).as_deref() == Some("checklist"))
        .map(|r| {
            let g = |i: u32| r.get(&i).map(|v| v.plain()).unwrap_or_default();
            (g(1), g(2), g(3))
        })
        .collect();
    let facility = audience == Audience::Facility;
    if (facility && checklists.is_empty()) || checklists.iter().any(|(id, _, s)| id.is_empty() || s.is_empty()) {
        return Err(bad("チェックリストの情報がありません"));
    }
    let mut answer_order = Vec::new();
    for a in meta_values(meta, "answer") {
        answer_order.push(a.parse::<ItemRef>().map_err(|e| bad(&e))?);
    }
    Ok(Parsed {
        path: path.to_path_buf(),
        case_id,
        audience,
        checklists,
        answer_order,
        present: meta_values(meta, "present").into_iter().filter(|s| SECTIONS.contains(&s.as_str())).collect(),
        scalars: Vec::new(),
        tables: Vec::new(),
        answers: Vec::new(),
    })
}

fn key_of(row: &BTreeMap<u32, Raw>) -> String {
    row.get(&0).map(|v| v.plain()).unwrap_or_default()
}

/// First non-blank cell of a row at or after column 1.
fn first_filled(row: &BTreeMap<u32, Raw>) -> Option<u32> {
    row.iter().find(|(c, v)| **c >= 1 && !v.is_blank()).map(|(c, _)| *c)
}

#[allow(clippy::too_many_arguments)]
fn read_checklist_sheet(
    path: &Path,
    sheet: &str,
    grid: &Grid,
    reg: &Registry,
    ids: &HashSet<String>,
    seen: &mut HashSet<ItemRef>,
    p: &mut Parsed,
    errors: &mut Vec<Error>,
) {
    let Some((&hr, header)) = grid.iter().find(|(_, r)| key_of(r) == HEADER_KEY) else {
        errors.push(Error::file(
            path,
            format!("シート「{sheet}」に見出し行がありません（kensa workbook で作成し直してください）"),
        ));
        return;
    };
    let cols: Vec<(u32, &'static AnswerCol)> = header
        .iter()
        .filter_map(|(c, v)| ANSWER_COLS.iter().find(|a| a.header == v.plain()).map(|a| (*c, a)))
        .collect();
    for (&r, row) in grid.range(hr + 1..) {
        let key = key_of(row);
        if key.starts_with('#') {
            continue;
        }
        if key.is_empty() {
            if let Some(c) = cols.iter().map(|(c, _)| *c).find(|c| row.get(c).is_some_and(|v| !v.is_blank())) {
                errors.push(cell_error(
                    path,
                    &loc(sheet, r, c),
                    "項目のない行に記入があります。kensa が作成した項目の行に記入してください",
                ));
            }
            continue;
        }
        let item: ItemRef = match key.parse() {
            Ok(i) => i,
            Err(e) => {
                errors.push(cell_error(path, &loc(sheet, r, 0), e));
                continue;
            }
        };
        if !ids.contains(item.checklist()) || reg.item(&item).is_none() {
            errors.push(cell_error(
                path,
                &loc(sheet, r, 0),
                format!("項目「{item}」はこのワークブックのチェックリストにありません"),
            ));
            continue;
        }
        if !seen.insert(item.clone()) {
            errors.push(cell_error(path, &loc(sheet, r, 0), format!("項目「{item}」の行が二つあります")));
            continue;
        }
        let mut cells = Vec::new();
        for (c, col) in &cols {
            let l = loc(sheet, r, *c);
            match interpret(col.kind, row.get(c)) {
                Ok(v) => cells.push((*col, v, l)),
                Err(m) => errors.push(cell_error(path, &l, m)),
            }
        }
        p.answers.push(ParsedAnswer { item, row: loc(sheet, r, 0), cells });
    }
}

fn read_form_sheet(path: &Path, form: &'static FormSheet, grid: &Grid, p: &mut Parsed, errors: &mut Vec<Error>) {
    let tables: Vec<&'static Table> = form
        .parts
        .iter()
        .filter_map(|x| match x {
            Part::Table(t) => Some(*t),
            Part::Group(..) => None,
        })
        .collect();
    let mut rows_of: BTreeMap<&'static str, Vec<(Vec<Val>, Loc)>> =
        tables.iter().map(|t| (t.key, Vec::new())).collect();
    // Column of each table column, from the header row (columns may have been moved).
    let mut mapping: BTreeMap<&'static str, Vec<Option<u32>>> =
        tables.iter().map(|t| (t.key, (0..t.columns.len()).map(|i| Some(1 + i as u32)).collect())).collect();
    let mut current: Option<&'static Table> = None;
    for (&r, row) in grid {
        let key = key_of(row);
        if let Some(tkey) = key.strip_prefix(HEADER_KEY).and_then(|k| k.strip_prefix(':')) {
            if let Some(t) = tables.iter().find(|t| t.key == tkey) {
                let m: Vec<Option<u32>> = t
                    .columns
                    .iter()
                    .map(|c| {
                        row.iter()
                            .find(|(_, v)| {
                                let h = v.plain();
                                h == c.header || h.strip_suffix("（必須）") == Some(c.header)
                            })
                            .map(|(i, _)| *i)
                    })
                    .collect();
                mapping.insert(t.key, m);
            }
            current = None;
            continue;
        }
        if key.starts_with('#') {
            current = None;
            continue;
        }
        if let Some(field) = fields().find(|f| f.key == key) {
            current = None;
            let l = loc(form.name, r, 2);
            match interpret(field.kind, row.get(&2)) {
                Ok(v) => p.scalars.push((field, v, l)),
                Err(m) => errors.push(cell_error(path, &l, m)),
            }
            continue;
        }
        let table = if key.is_empty() {
            // A row inserted inside a table belongs to it; values elsewhere cannot be placed.
            match (current, first_filled(row)) {
                (Some(t), Some(_)) => t,
                (None, Some(c)) if r >= FORM_FIRST_ROW => {
                    errors.push(cell_error(
                        path,
                        &loc(form.name, r, c),
                        "記入欄ではない行に値があります。表の下の空欄行か、項目の右の欄に記入してください",
                    ));
                    continue;
                }
                _ => continue,
            }
        } else {
            match tables.iter().find(|t| t.key == key) {
                Some(t) => *t,
                None => {
                    errors.push(cell_error(
                        path,
                        &loc(form.name, r, 0),
                        format!("「{key}」はこのシートの欄ではありません（A列は変更しないでください）"),
                    ));
                    continue;
                }
            }
        };
        current = Some(table);
        let m = &mapping[table.key];
        let blank = m.iter().flatten().all(|c| row.get(c).is_none_or(|v| v.is_blank()));
        if blank {
            continue;
        }
        let mut vals = Vec::new();
        let mut ok = true;
        for (i, c) in table.columns.iter().enumerate() {
            let at = m[i];
            let l = loc(form.name, r, at.unwrap_or(1 + i as u32));
            match interpret(c.kind, at.and_then(|a| row.get(&a))) {
                Ok(v) => {
                    if c.required && v.is_blank(c.kind) {
                        errors.push(cell_error(
                            path,
                            &l,
                            format!("「{}」は必ず記入します（{}）", c.header, table.title),
                        ));
                        ok = false;
                    }
                    vals.push(v);
                }
                Err(msg) => {
                    errors.push(cell_error(path, &l, msg));
                    ok = false;
                }
            }
        }
        if ok {
            let first = loc(form.name, r, m.iter().flatten().next().copied().unwrap_or(1));
            if let Some(list) = rows_of.get_mut(table.key) {
                list.push((vals, first));
            }
        }
    }
    for t in tables {
        let rows = rows_of.remove(t.key).unwrap_or_default();
        p.tables.push(ParsedTable { table: t, sheet: form.name.to_string(), rows });
    }
}

// ---------------------------------------------------------------------------
// Merging into the case
// ---------------------------------------------------------------------------

/// Which side wins where the case and the workbook hold different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Workbook,
    Case,
}

/// A value the import fills or replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub place: String,
    pub old: String,
    pub new: String,
}

/// A value the case and the workbook disagree on.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub at: String,
    pub place: String,
    pub case: String,
    pub workbook: String,
}

/// The merged case with what changed, what conflicted and (for a facility's self-check) where
/// the facility's answer and the inspector's verification disagree.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
    pub differences: Vec<String>,
    pub prefer: Option<Prefer>,
}

impl Outcome {
    /// Whether the case must not be written (conflicts left unresolved).
    pub fn blocked(&self) -> bool {
        !self.conflicts.is_empty() && self.prefer.is_none()
    }
}

/// Refuses a workbook made for another case.
pub fn check_case_id(parsed: &Parsed, case: &Case) -> Result<()> {
    if parsed.case_id.trim() != case.case_id.trim() {
        return Err(Error::file(
            &parsed.path,
            format!(
                "このワークブックは事案「{}」のものです。取り込み先の事案は「{}」です。別の事案のワークブックは取り込めません",
                parsed.case_id, case.case_id
            ),
        ));
    }
    Ok(())
}

enum Decision {
    Same,
    Fill,
    Conflict,
}

fn decide(kind: Kind, old: &Val, new: &Val) -> Decision {
    if new.is_blank(kind) || old == new {
        Decision::Same
    } else if old.is_blank(kind) {
        Decision::Fill
    } else {
        Decision::Conflict
    }
}

fn row_summary(row: &[Val], table: &Table) -> String {
    let parts: Vec<String> =
        row.iter().zip(table.columns).filter(|(v, c)| !v.is_blank(c.kind)).map(|(v, _)| v.show()).collect();
    short(&parts.join("／"))
}

struct Merger {
    prefer: Option<Prefer>,
    changes: Vec<Change>,
    conflicts: Vec<Conflict>,
}

impl Merger {
    /// Applies the merge rule to one value; returns whether `new` must be set.
    fn scalar(&mut self, kind: Kind, place: String, at: &Loc, old: &Val, new: &Val) -> bool {
        match decide(kind, old, new) {
            Decision::Same => false,
            Decision::Fill => {
                self.changes.push(Change { place, old: old.show(), new: new.show() });
                true
            }
            Decision::Conflict => {
                self.conflicts.push(Conflict {
                    at: at.to_string(),
                    place: place.clone(),
                    case: old.show(),
                    workbook: new.show(),
                });
                if self.prefer == Some(Prefer::Workbook) {
                    self.changes.push(Change {
                        place: format!("{place}（競合: ワークブックを優先）"),
                        old: old.show(),
                        new: new.show(),
                    });
                    true
                } else {
                    false
                }
            }
        }
    }
}

fn answer_place(reg: &Registry, item: &ItemRef, col: &AnswerCol) -> String {
    match reg.item(item) {
        Some((c, i)) => format!("{} {} {}", c.id, i.number, col.header),
        None => format!("{item} {}", col.header),
    }
}

/// Merges a parsed workbook into a case.
pub fn merge(case: &Case, parsed: &Parsed, reg: &Registry, prefer: Option<Prefer>) -> Outcome {
    let mut out = case.clone();
    let mut m = Merger { prefer, changes: Vec::new(), conflicts: Vec::new() };

    for s in &parsed.present {
        if ensure_section(&mut out, s) {
            m.changes.push(Change {
                place: section_label(s).to_string(),
                old: "（なし）".into(),
                new: "（欄を作成）".into(),
            });
        }
    }

    for (field, new, at) in &parsed.scalars {
        let old = (field.get)(&out);
        let place = format!("{} {}", sheet_of(field.key).map(|s| s.name).unwrap_or(""), field.label);
        if m.scalar(field.kind, place, at, &old, new) {
            (field.set)(&mut out, new);
        }
    }

    for pt in &parsed.tables {
        let t = pt.table;
        if pt.rows.is_empty() {
            continue; // an empty table says nothing (it never deletes)
        }
        let case_rows = (t.get)(&out);
        let mut used = vec![false; pt.rows.len()];
        let mut missing = Vec::new();
        for (i, cr) in case_rows.iter().enumerate() {
            match pt.rows.iter().enumerate().position(|(j, (wr, _))| !used[j] && wr == cr) {
                Some(j) => used[j] = true,
                None => missing.push(i),
            }
        }
        let additions: Vec<&(Vec<Val>, Loc)> =
            pt.rows.iter().zip(&used).filter(|(_, u)| !**u).map(|(r, _)| r).collect();
        let place = format!("{} {}", pt.sheet, t.title);
        if missing.is_empty() {
            if additions.is_empty() {
                continue;
            }
            let mut rows = case_rows.clone();
            for (r, _) in &additions {
                m.changes.push(Change {
                    place: format!("{place}（行を追加）"),
                    old: "（なし）".into(),
                    new: row_summary(r, t),
                });
                rows.push(r.clone());
            }
            (t.set)(&mut out, rows);
        } else {
            for i in &missing {
                m.conflicts.push(Conflict {
                    at: format!("{}（{}）", pt.sheet, t.title),
                    place: place.clone(),
                    case: row_summary(&case_rows[*i], t),
                    workbook: "（この行がありません。変更または削除されています）".into(),
                });
            }
            if prefer == Some(Prefer::Workbook) {
                let rows: Vec<Vec<Val>> = pt.rows.iter().map(|(r, _)| r.clone()).collect();
                m.changes.push(Change {
                    place: format!("{place}（競合: ワークブックを優先）"),
                    old: format!("{} 行", case_rows.len()),
                    new: format!("{} 行", rows.len()),
                });
                (t.set)(&mut out, rows);
            }
        }
    }

    // Answers: rows of items answered in the original case first, in its order.
    let mut order: Vec<&ParsedAnswer> = Vec::new();
    for r in &parsed.answer_order {
        if let Some(a) = parsed.answers.iter().find(|a| &a.item == r) {
            if !order.iter().any(|o| o.item == a.item) {
                order.push(a);
            }
        }
    }
    for a in &parsed.answers {
        if !order.iter().any(|o| o.item == a.item) {
            order.push(a);
        }
    }
    for pa in order {
        let filled = pa.cells.iter().any(|(c, v, _)| !v.is_blank(c.kind));
        let idx = match out.answers.iter().position(|a| a.item == pa.item) {
            Some(i) => i,
            None if filled || parsed.answer_order.contains(&pa.item) => {
                out.answers.push(Answer::unanswered(pa.item.clone()));
                out.answers.len() - 1
            }
            None => continue,
        };
        for (col, new, at) in &pa.cells {
            let old = (col.get)(&out.answers[idx]);
            if m.scalar(col.kind, answer_place(reg, &pa.item, col), at, &old, new) {
                (col.set)(&mut out.answers[idx], new);
            }
        }
    }

    let differences = if parsed.audience == Audience::Facility { differences(&out, parsed, reg) } else { Vec::new() };
    Outcome { case: out, changes: m.changes, conflicts: m.conflicts, differences, prefer }
}

/// Items where the facility's answer and the inspector's verification disagree.
pub fn differences(case: &Case, parsed: &Parsed, reg: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for pa in &parsed.answers {
        let Some(a) = case.answer(&pa.item) else { continue };
        let (Some(ans), Some(ver)) = (a.answer, a.verification) else { continue };
        let differs = match ans {
            YesNo::Yes => matches!(ver, Verification::Nonconform | Verification::Partial),
            YesNo::No => ver == Verification::Conform,
        };
        if differs {
            let what = match reg.item(&pa.item) {
                Some((c, i)) => format!("{} {}「{}」", c.id, i.number, short(&i.text)),
                None => pa.item.to_string(),
            };
            out.push(format!("{what}: 医療機関の回答「{ans}」、医療監視員の確認結果「{ver}」"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(cells: &[(u32, u32, &str)]) -> Grid {
        let mut g = Grid::new();
        for (r, c, v) in cells {
            g.entry(*r).or_default().insert(*c, Raw::Str(v.to_string()));
        }
        g
    }

    fn empty_parsed() -> Parsed {
        let mut p = parsed_with(Vec::new(), Audience::Inspector);
        p.answers.clear();
        p
    }

    #[test]
    fn form_rows_map_by_key_and_header_and_inserted_rows_join_their_table() {
        let form = FORM_SHEETS.iter().find(|s| s.name == "概要").unwrap();
        let g = grid(&[
            (0, 1, "施設・検査の概要"),
            (3, 0, "#title"),
            (4, 0, "facility.name"),
            (4, 2, "架空病院"),
            (5, 0, "facility.beds"),
            (5, 2, "１２０床"),
            (7, 0, "#header:inspection.attendees"),
            // Columns swapped by the user: 役職 first, then 氏名.
            (7, 1, "役職"),
            (7, 2, "氏名"),
            (8, 0, "inspection.attendees"),
            (8, 1, "院長"),
            (8, 2, "浜田"),
            // A row inserted without a key belongs to the table above.
            (9, 1, "事務長"),
            (9, 2, "岸本"),
            (10, 0, "inspection.attendees"),
        ]);
        let mut p = empty_parsed();
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), form, &g, &mut p, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let name = p.scalars.iter().find(|(f, _, _)| f.key == "facility.name").unwrap();
        assert_eq!((name.1.clone(), name.2.to_string()), (Val::Text("架空病院".into()), "概要!C5".to_string()));
        let beds = p.scalars.iter().find(|(f, _, _)| f.key == "facility.beds").unwrap();
        assert_eq!(beds.1, Val::Num(120));
        let t = p.tables.iter().find(|t| t.table.key == "inspection.attendees").unwrap();
        let rows: Vec<Vec<Val>> = t.rows.iter().map(|(r, _)| r.clone()).collect();
        assert_eq!(
            rows,
            vec![
                vec![Val::Text("浜田".into()), Val::Text("院長".into())],
                vec![Val::Text("岸本".into()), Val::Text("事務長".into())]
            ]
        );
    }

    #[test]
    fn typed_dates_outside_excel_years_are_errors() {
        let e = text_value(Kind::Date, "明治元年1月25日").unwrap_err();
        assert!(e.contains("1900年から9999年"), "{e}");
        assert_eq!(text_value(Kind::Date, "令和７年６月１日").unwrap(), Val::Date(Date::ymd(2025, 6, 1).unwrap()));
    }

    #[test]
    fn form_errors_name_every_cell() {
        let form = FORM_SHEETS.iter().find(|s| s.name == "対応状況").unwrap();
        let g = grid(&[
            (4, 0, "#title"),
            (5, 1, "場所のない値"),
            (10, 0, "#header:response.notifications"),
            (10, 1, "相手（必須）"),
            (10, 2, "日時（必須）"),
            (10, 3, "内容・相手先の詳細"),
            (11, 0, "response.notifications"),
            (11, 1, "保健所"),
            (11, 2, "昨日"),
            (12, 0, "response.notifications"),
            (12, 3, "相手も日時もない"),
        ]);
        let mut p = empty_parsed();
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), form, &g, &mut p, &mut errors);
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let all = text.join("\n");
        for want in [
            "対応状況!B6",
            "対応状況!B12: 「保健所」は選択肢にありません",
            "対応状況!C12",
            "対応状況!B13",
            "対応状況!C13",
        ] {
            assert!(all.contains(want), "{want} in {all}");
        }
        assert_eq!(errors.len(), 5, "{all}");
    }

    #[test]
    fn typed_choices() {
        for s in ["はい", "Yes", "ｙｅｓ", "Y", "○", "〇", "有", " はい　"] {
            assert_eq!(parse_yes_no(s), Some(true), "{s}");
        }
        for s in ["いいえ", "No", "N", "×", "✕", "無"] {
            assert_eq!(parse_yes_no(s), Some(false), "{s}");
        }
        assert_eq!(parse_yes_no("たぶん"), None);
        let e = interpret(Kind::YesNo, Some(&Raw::Str("たぶん".into()))).unwrap_err();
        assert!(e.contains("「たぶん」は選択肢にありません"), "{e}");
        let labels = Party::labels();
        assert_eq!(parse_choice("個人情報保護委員会(速報)", &labels), Some("個人情報保護委員会（速報）"));
        assert_eq!(parse_choice("nisc", &labels), Some("NISC"));
        assert_eq!(parse_choice("警察署", &labels), None);
    }

    #[test]
    fn dates_in_any_form() {
        let want = Val::Date(Date::ymd(2025, 6, 1).unwrap());
        for s in ["令和7年6月1日", "R7.6.1", "2025/6/1", "２０２５／６／１", "2025-06-01T00:00:00"] {
            assert_eq!(interpret(Kind::Date, Some(&Raw::Str(s.into()))).unwrap(), want, "{s}");
        }
        assert_eq!(interpret(Kind::Date, Some(&Raw::Num(45809.0))).unwrap(), want);
        assert_eq!(interpret(Kind::Date, Some(&Raw::Int(45809))).unwrap(), want);
        let dt = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(interpret(Kind::Date, Some(&Raw::DateTime(dt))).unwrap(), want);
        assert!(interpret(Kind::Date, Some(&Raw::Str("来週".into()))).is_err());
        let st = interpret(Kind::Stamp, Some(&Raw::Num(45809.5))).unwrap();
        assert_eq!(st, Val::Stamp("2025-06-01 12:00".parse().unwrap()));
    }

    #[test]
    fn numbers_and_lists() {
        assert_eq!(interpret(Kind::Num64, Some(&Raw::Str("８５，０００".into()))).unwrap(), Val::Num(85_000));
        assert_eq!(interpret(Kind::Num64, Some(&Raw::Str("85,000件".into()))).unwrap(), Val::Num(85_000));
        assert!(interpret(Kind::Num64, Some(&Raw::Num(-1.0))).is_err());
        assert!(interpret(Kind::Num64, Some(&Raw::Num(1.5))).is_err());
        assert!(interpret(Kind::Num32, Some(&Raw::Num(5e9))).is_err());
        assert_eq!(interpret(Kind::Count, None).unwrap(), Val::Num(0));
        assert_eq!(interpret(Kind::Flag, None).unwrap(), Val::Bool(false));
        assert_eq!(
            interpret(Kind::Methods, Some(&Raw::Str("書類確認／聞き取り 実地確認".into()))).unwrap(),
            Val::List(vec!["書類確認".into(), "聞き取り".into(), "実地確認".into()])
        );
        assert!(interpret(Kind::Methods, Some(&Raw::Str("書類確認、目視".into()))).is_err());
        assert_eq!(
            interpret(Kind::ItemRefs, Some(&Raw::Str("mhlw-r7:2-06、mhlw-r7:2-13".into()))).unwrap(),
            Val::List(vec!["mhlw-r7:2-06".into(), "mhlw-r7:2-13".into()])
        );
        assert!(interpret(Kind::ItemRefs, Some(&Raw::Str("2-06".into()))).is_err());
        assert!(interpret(Kind::Text, Some(&Raw::Str("あ".repeat(40_000)))).is_err());
        assert_eq!(interpret(Kind::Text, Some(&Raw::Str("=1+1".into()))).unwrap(), Val::Text("=1+1".into()));
    }

    fn parsed_with(cells: Vec<(&'static AnswerCol, Val)>, audience: Audience) -> Parsed {
        let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        let l = Loc { sheet: "チェックリスト".into(), cell: "H12".into() };
        Parsed {
            path: PathBuf::from("w.xlsx"),
            case_id: "C-1".into(),
            audience,
            checklists: vec![("mhlw-r7".into(), "令和7年度版".into(), "チェックリスト".into())],
            answer_order: Vec::new(),
            present: Vec::new(),
            scalars: Vec::new(),
            tables: Vec::new(),
            answers: vec![ParsedAnswer {
                item,
                row: l.clone(),
                cells: cells.into_iter().map(|(c, v)| (c, v, l.clone())).collect(),
            }],
        }
    }

    fn col(key: &str) -> &'static AnswerCol {
        ANSWER_COLS.iter().find(|c| c.key == key).unwrap()
    }

    #[test]
    fn merge_fills_empty_keeps_equal_and_flags_conflicts() {
        let reg = Registry::load(None).unwrap();
        let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        let mut case = Case { case_id: "C-1".into(), ..Case::default() };
        case.answers.push(Answer { item: item.clone(), note: "既存".into(), ..Answer::unanswered(item.clone()) });

        // Empty in the case → change; equal → nothing; empty in the workbook → nothing.
        let p = parsed_with(
            vec![(col("answer"), Val::Bool(true)), (col("note"), Val::Text("既存".into())), (col("text"), Val::Empty)],
            Audience::Inspector,
        );
        let o = merge(&case, &p, &reg, None);
        assert!(o.conflicts.is_empty());
        assert_eq!(o.changes.len(), 1, "{:?}", o.changes);
        assert_eq!(o.changes[0].new, "はい");
        assert_eq!(o.case.answers[0].answer, Some(YesNo::Yes));
        assert_eq!(o.case.answers[0].note, "既存");

        // Different non-empty value → conflict, not written unless preferred.
        let p = parsed_with(vec![(col("note"), Val::Text("別".into()))], Audience::Inspector);
        let o = merge(&case, &p, &reg, None);
        assert_eq!(o.conflicts.len(), 1);
        assert!(o.blocked());
        assert_eq!(o.conflicts[0].at, "チェックリスト!H12");
        assert_eq!(o.case.answers[0].note, "既存");
        let o = merge(&case, &p, &reg, Some(Prefer::Workbook));
        assert!(!o.blocked());
        assert_eq!(o.case.answers[0].note, "別");
        let o = merge(&case, &p, &reg, Some(Prefer::Case));
        assert_eq!(o.case.answers[0].note, "既存");
    }

    #[test]
    fn facility_answers_are_compared_with_verification() {
        let reg = Registry::load(None).unwrap();
        let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        let mut case = Case { case_id: "C-1".into(), ..Case::default() };
        case.answers.push(Answer { verification: Some(Verification::Nonconform), ..Answer::unanswered(item) });
        let p = parsed_with(vec![(col("answer"), Val::Bool(true))], Audience::Facility);
        let o = merge(&case, &p, &reg, None);
        assert_eq!(o.case.answers[0].verification, Some(Verification::Nonconform));
        assert_eq!(o.differences.len(), 1);
        assert!(
            o.differences[0].contains("「はい」") && o.differences[0].contains("「不適合」"),
            "{:?}",
            o.differences
        );
    }

    #[test]
    fn tables_add_rows_and_conflict_on_removed_rows() {
        let reg = Registry::load(None).unwrap();
        let mut case = Case { case_id: "C-1".into(), ..Case::default() };
        case.inspection.documents = vec!["台帳".into(), "規程".into()];
        let table = tables().find(|t| t.key == "inspection.documents").unwrap();
        let l = Loc { sheet: "概要".into(), cell: "B40".into() };
        let mk = |rows: &[&str]| {
            let mut p = parsed_with(Vec::new(), Audience::Inspector);
            p.answers.clear();
            p.tables.push(ParsedTable {
                table,
                sheet: "概要".into(),
                rows: rows.iter().map(|r| (vec![Val::Text(r.to_string())], l.clone())).collect(),
            });
            p
        };
        // Sorted and extended: an addition, no conflict.
        let o = merge(&case, &mk(&["規程", "台帳", "BCP"]), &reg, None);
        assert!(o.conflicts.is_empty());
        assert_eq!(o.case.inspection.documents, vec!["台帳", "規程", "BCP"]);
        // A row changed: conflict.
        let o = merge(&case, &mk(&["台帳", "規程（改）"]), &reg, None);
        assert_eq!(o.conflicts.len(), 1);
        assert_eq!(o.case.inspection.documents, vec!["台帳", "規程"]);
        let o = merge(&case, &mk(&["台帳", "規程（改）"]), &reg, Some(Prefer::Workbook));
        assert_eq!(o.case.inspection.documents, vec!["台帳", "規程（改）"]);
        // An empty table says nothing.
        let o = merge(&case, &mk(&[]), &reg, None);
        assert!(o.conflicts.is_empty() && o.changes.is_empty());
    }
}
