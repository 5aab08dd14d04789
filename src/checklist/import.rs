//! Importing a checklist workbook as MHLW publishes it: the header row and its columns found by
//! their headings, each item's number, section and text read word for word into a checklist
//! for a person to confirm (`verified = false`, `source` naming the cell), and, against the
//! previous edition, the `predecessors` proposed by text similarity.

use super::{AnswerKind, Checklist, ChecklistKind, Item, Registry, Respondent, Scope, Section};
use crate::error::{Error, Result};
use crate::xlsx::read::{cell_name, CellGrid, Guarded, Raw};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Proposals at or above this similarity become `predecessors`.
pub const PROPOSE_AT: f64 = 0.6;
/// Below [`PROPOSE_AT`] and at or above this, the best candidate is listed for a person.
pub const LIST_AT: f64 = 0.3;
/// The hidden sheet of a field workbook kensa wrote (`workbook::META_SHEET`; checklist does
/// not import workbook).
const FIELD_WORKBOOK_SHEET: &str = "_kensa";
/// How many rows above the header may hold titles.
const TITLE_ROWS: u32 = 30;

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub id: String,
    pub predecessor: Option<String>,
    /// The sheet to read (else the one sheet with a header).
    pub sheet: Option<String>,
    /// The edition (else read from the title rows: 令和8年度版).
    pub edition: Option<String>,
    /// The guideline edition the checklist cites (else from `editions.toml`).
    pub guideline: Option<String>,
}

/// A column's meaning, known by its heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Number,
    Text,
    Scope,
    Answer,
    Checked,
    Target,
    Remarks,
    Responsibility,
    Guideline,
}

impl Role {
    fn label(self) -> &'static str {
        match self {
            Role::Number => "番号",
            Role::Text => "確認項目（チェック項目）",
            Role::Scope => "対象",
            Role::Answer => "はい／いいえ",
            Role::Checked => "確認日",
            Role::Target => "目標日",
            Role::Remarks => "備考",
            Role::Responsibility => "責任分界",
            Role::Guideline => "ガイドライン",
        }
    }
}

/// Heading text for comparison: full-width letters and digits as half-width, no spaces or
/// line breaks.
fn heading_key(s: &str) -> String {
    crate::wareki::normalize(s).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// The role of a heading, if it is one.
fn role_of(heading: &str) -> Option<Role> {
    let k = heading_key(heading);
    if k.is_empty() {
        return None;
    }
    Some(if matches!(k.as_str(), "番号" | "no" | "no." | "項番" | "項目番号" | "№") {
        Role::Number
    } else if k.contains("確認日") {
        Role::Checked
    } else if k.contains("目標") {
        Role::Target
    } else if k.contains("責任分界") {
        Role::Responsibility
    } else if k.contains("確認項目") || k.contains("チェック項目") || k.contains("確認事項") || k == "項目"
    {
        Role::Text
    } else if k.contains("はい") || k.contains("いいえ") || k == "回答" {
        Role::Answer
    } else if k.starts_with("対象") {
        Role::Scope
    } else if k.contains("備考") {
        Role::Remarks
    } else if k.contains("ガイドライン") {
        Role::Guideline
    } else {
        return None;
    })
}

/// The columns of a header row: each role found, with its column.
fn header_columns(row: &BTreeMap<u32, Raw>) -> BTreeMap<Role, u32> {
    let mut out = BTreeMap::new();
    for (col, v) in row {
        if let Raw::Str(s) = v {
            if let Some(role) = role_of(s) {
                out.entry(role).or_insert(*col);
            }
        }
    }
    out
}

fn is_header(cols: &BTreeMap<Role, u32>) -> bool {
    cols.contains_key(&Role::Number) && cols.contains_key(&Role::Text)
}

/// An item number as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Number {
    /// `0`, `1`: an item of its own or a section's number.
    Bare(u32),
    /// `①`, `(1)` within the current section.
    Local(u32, Style),
    /// `1-①`, `2-(3)`.
    Full(u32, u32, Style),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Circled,
    Paren,
    Plain,
}

fn circled(c: char) -> Option<u32> {
    match c {
        '①'..='⑳' => Some(c as u32 - '①' as u32 + 1),
        '㉑'..='㉟' => Some(c as u32 - '㉑' as u32 + 21),
        '㊱'..='㊿' => Some(c as u32 - '㊱' as u32 + 36),
        _ => None,
    }
}

/// `①`, `(1)`, `（１）` as a local number.
fn local(s: &str) -> Option<(u32, Style)> {
    let mut chars = s.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if let Some(n) = circled(c) {
            return Some((n, Style::Circled));
        }
    }
    let inner = s.strip_prefix('(').and_then(|r| r.strip_suffix(')'))?;
    Some((inner.trim().parse().ok()?, Style::Paren))
}

/// Reads an item number as the official sheets print them.
fn parse_number(s: &str) -> Option<Number> {
    let n: String = crate::wareki::normalize(s)
        .chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            'ー' | '―' | '–' | '—' => '-',
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let n = n.trim_end_matches(['.', '、']);
    if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) {
        return n.parse().ok().map(Number::Bare);
    }
    if let Some((s, l)) = n.split_once('-') {
        let s: u32 = s.parse().ok()?;
        if let Some((l, style)) = local(l) {
            return Some(Number::Full(s, l, style));
        }
        return l.parse().ok().map(|l| Number::Full(s, l, Style::Plain));
    }
    local(n).map(|(l, style)| Number::Local(l, style))
}

/// A section heading written in one cell: `1 体制構築`, `２．医療情報システムの管理・運用`.
fn section_heading(s: &str) -> Option<u32> {
    let n = crate::wareki::normalize(s);
    let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return None;
    }
    let rest = &n[digits.len()..];
    let title_starts = rest.trim_start_matches([' ', '.', '、', ':', '．']);
    if title_starts.len() == rest.len() || title_starts.is_empty() {
        return None;
    }
    digits.parse().ok()
}

/// A row of the sheet that was not taken, shown to the person importing.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub file: String,
    pub cell: String,
    pub text: String,
}

/// How an item of the new edition stands against the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// The same wording.
    Kept,
    /// Similar wording: proposed as its predecessor.
    Changed,
    /// Nothing similar enough: left for a person, with the closest item named.
    Unsure,
    /// Nothing similar at all.
    New,
    /// An item of the previous edition that no item took.
    Dropped,
}

impl LinkKind {
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Kept => "同文",
            LinkKind::Changed => "変更",
            LinkKind::Unsure => "要確認",
            LinkKind::New => "新規",
            LinkKind::Dropped => "廃止",
        }
    }
}

/// One line of the comparison with the previous edition.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub kind: LinkKind,
    /// The new item's number (empty for a dropped item).
    pub new: String,
    /// The previous item's number (for Unsure: the closest one, not proposed).
    pub old: String,
    pub score: Option<f64>,
}

/// What an import produced.
#[derive(Debug, Clone)]
pub struct Imported {
    pub checklist: Checklist,
    /// The checklist file's text.
    pub toml: String,
    pub skipped: Vec<Skipped>,
    /// Items read from hidden rows (number and cell).
    pub hidden: Vec<String>,
    /// Scope words that are none of kensa's (number and word).
    pub unknown_scopes: Vec<String>,
    /// Guideline references the edition's section list does not have (number and reference).
    pub unknown_refs: Vec<String>,
    /// The comparison with the previous edition, when one was named.
    pub links: Vec<Link>,
    /// Each sheet read: file, sheet, header row (1-based), the columns found and the number
    /// of items.
    pub sheets: Vec<String>,
}

/// An item as read from its row, before ids are given.
#[derive(Debug, Clone)]
struct RawItem {
    number: String,
    section: Option<u32>,
    key: (u32, u32),
    text: String,
    scope: String,
    guideline: String,
    row: u32,
    cell: String,
    hidden: bool,
    responsibility: bool,
}

/// A section heading as read.
#[derive(Debug, Clone)]
struct RawSection {
    number: u32,
    title: String,
}

/// One sheet read.
struct SheetRead {
    file: String,
    sheet: String,
    respondent: Respondent,
    title: Option<String>,
    sections: Vec<RawSection>,
    items: Vec<RawItem>,
    skipped: Vec<Skipped>,
    /// The columns found, for the person importing (`番号 A列、…`).
    columns: String,
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// The text of a cell that must hold text: a formula saved without its value or an error value
/// is refused, naming the cell.
fn cell_text(path: &Path, sheet: &str, row: u32, col: u32, v: Option<&Raw>) -> Result<String> {
    match v {
        None => Ok(String::new()),
        Some(Raw::Formula(f)) => Err(Error::file(
            path,
            format!(
                "{sheet}!{}: 数式（={f}）の計算結果が保存されていません。Excel で開いて保存し直すか、値として貼り付けてから取り込んでください",
                cell_name(row, col)
            ),
        )),
        Some(Raw::Error(e)) => Err(Error::file(
            path,
            format!("{sheet}!{}: セルがエラー値（{e}）です。公式の様式のとおりの値にしてから取り込んでください", cell_name(row, col)),
        )),
        Some(Raw::Str(s)) => Ok(s.trim().to_string()),
        Some(other) => Ok(other.plain()),
    }
}

/// The row of a header, refusing a sheet without one and a sheet with two.
fn find_header(path: &Path, sheet: &str, grid: &CellGrid) -> Result<Option<(u32, BTreeMap<Role, u32>)>> {
    let headers: Vec<(u32, BTreeMap<Role, u32>)> =
        grid.iter().map(|(r, row)| (*r, header_columns(row))).filter(|(_, c)| is_header(c)).collect();
    match headers.len() {
        0 => Ok(None),
        1 => Ok(headers.into_iter().next()),
        _ => Err(Error::file(
            path,
            format!(
                "シート「{sheet}」に見出し行が{}つあります（{}行目）。表が二つあるシートは取り込めません。チェックリストの表だけのシートにしてください",
                headers.len(),
                headers.iter().map(|(r, _)| (r + 1).to_string()).collect::<Vec<_>>().join("行目と")
            ),
        )),
    }
}

/// The edition named in a title (`令和8年度版`).
fn edition_in(s: &str) -> Option<String> {
    let n = crate::wareki::normalize(s);
    let start = n.find("令和")?;
    let rest = &n[start + "令和".len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '元').collect();
    let after = &rest[digits.len()..];
    (!digits.is_empty() && after.starts_with("年度版")).then(|| format!("令和{digits}年度版"))
}

/// The fiscal year of `令和8年度版`.
fn fiscal_year_of(edition: &str) -> Option<i32> {
    let y = edition.strip_prefix("令和")?.strip_suffix("年度版")?;
    let n: i32 = if y == "元" { 1 } else { y.parse().ok()? };
    Some(2018 + n)
}

fn read_sheet(path: &Path, opts: &Options) -> Result<SheetRead> {
    let mut book = Guarded::open(path)?;
    let names = book.sheet_names();
    if names.iter().any(|n| n == FIELD_WORKBOOK_SHEET) {
        return Err(Error::file(
            path,
            "これは kensa workbook が書き出した現地用ワークブックで、チェックリストではありません。記入済みの現地用ワークブックは kensa import で事案に取り込みます。チェックリストは厚生労働省が公表した .xlsx から取り込んでください",
        ));
    }
    let candidates: Vec<String> = match &opts.sheet {
        Some(s) if names.contains(s) => vec![s.clone()],
        Some(s) => {
            return Err(Error::file(path, format!("シート「{s}」がありません（あるもの: {}）", names.join("、"))));
        }
        None => book.visible_sheets(),
    };
    let mut found = Vec::new();
    for name in &candidates {
        let grid = book.sheet(name)?;
        if let Some((header, cols)) = find_header(path, name, &grid)? {
            found.push((name.clone(), grid, header, cols));
        }
    }
    let (sheet, grid, header, cols) = match found.len() {
        1 => found.remove(0),
        0 => {
            return Err(Error::file(
                path,
                format!(
                    "チェックリストの見出し行が見つかりません。「番号」と「確認項目」（または「チェック項目」）の見出しが同じ行にある表が必要です（探したシート: {}）",
                    if candidates.is_empty() { "なし".to_string() } else { candidates.join("、") }
                ),
            ))
        }
        _ => {
            return Err(Error::file(
                path,
                format!(
                    "チェックリストの表のあるシートが複数あります（{}）。--sheet でシートを指定してください",
                    found.iter().map(|f| f.0.as_str()).collect::<Vec<_>>().join("、")
                ),
            ))
        }
    };
    let hidden = book.hidden_rows(&sheet)?;
    let merged = book.merged(&sheet)?;
    let file = file_name(path);
    let num_col = cols[&Role::Number];
    let text_col = cols[&Role::Text];
    let col = |r: Role| cols.get(&r).copied();

    // Titles: the text of the rows above the header.
    let mut titles: Vec<String> = Vec::new();
    for (r, row) in grid.range(header.saturating_sub(TITLE_ROWS)..header) {
        for (c, v) in row {
            let t = cell_text(path, &sheet, *r, *c, Some(v))?;
            if !t.is_empty() {
                titles.push(t);
            }
        }
    }
    let title = titles.iter().find(|t| t.contains("チェックリスト")).or(titles.first()).cloned();
    // The sheet's name decides (医療機関・薬局確認用, 事業者確認用); else a title row that is the
    // form's name (an instruction above the table may mention the other form).
    let respondent = if sheet.contains("医療機関") || sheet.contains("薬局") {
        Respondent::Facility
    } else if sheet.contains("事業者") || titles.iter().any(|t| t.trim().starts_with("事業者確認用")) {
        Respondent::Vendor
    } else {
        Respondent::Facility
    };
    let responsibility_col = col(Role::Responsibility);

    // The rows a merged number cell spans below its first row: text there continues its item.
    let continues = |row: u32, of: u32| {
        merged.iter().any(|&(r0, c0, r1, c1)| r0 == of && c0 <= num_col && num_col <= c1 && r0 < row && row <= r1)
    };

    let mut sections: Vec<RawSection> = Vec::new();
    let mut items: Vec<RawItem> = Vec::new();
    let mut skipped = Vec::new();
    // Bare numbers (`0`, `1`) are decided once the next numbered row is seen: a section when
    // local numbers follow, an item otherwise.
    let mut pending: Option<(u32, RawItem)> = None;
    let mut current: Option<u32> = None;
    let skip = |skipped: &mut Vec<Skipped>, r: u32, c: u32, text: String| {
        skipped.push(Skipped { file: file.clone(), cell: format!("{sheet}!{}", cell_name(r, c)), text });
    };

    for (&r, row) in grid.range(header + 1..) {
        let number = cell_text(path, &sheet, r, num_col, row.get(&num_col))?;
        let text = cell_text(path, &sheet, r, text_col, row.get(&text_col))?;
        let filled: Vec<(u32, &Raw)> = row.iter().filter(|(_, v)| !v.is_blank()).map(|(c, v)| (*c, v)).collect();
        if filled.is_empty() {
            continue;
        }
        // A header repeated below the table is a second table.
        if is_header(&header_columns(row)) {
            return Err(Error::file(
                path,
                format!(
                    "シート「{sheet}」に見出し行が2つあります（{}行目と{}行目）。表が二つあるシートは取り込めません",
                    header + 1,
                    r + 1
                ),
            ));
        }
        // A second heading row under a merged heading (はい | いいえ under はい／いいえ).
        if filled.iter().all(|(_, v)| matches!(v, Raw::Str(s) if role_of(s).is_some())) {
            continue;
        }
        let parsed = if number.is_empty() { None } else { parse_number(&number) };
        match parsed {
            None if number.is_empty() => {
                // A section heading in one (merged) cell.
                if filled.len() == 1 {
                    let (c, v) = filled[0];
                    let t = cell_text(path, &sheet, r, c, Some(v))?;
                    if let Some(n) = section_heading(&t) {
                        resolve_pending(&mut pending, &mut items, &mut sections, false);
                        sections.push(RawSection { number: n, title: t });
                        current = Some(n);
                        continue;
                    }
                }
                // Text under a number cell merged over several rows continues that item.
                if !text.is_empty() {
                    if let Some(last) = pending.as_mut().map(|(_, i)| i).or(items.last_mut()) {
                        if continues(r, last.row) {
                            last.text.push('\n');
                            last.text.push_str(&text);
                            continue;
                        }
                    }
                }
                let (c, v) = filled[0];
                skip(&mut skipped, r, c, cell_text(path, &sheet, r, c, Some(v))?);
            }
            None => {
                // A section heading written in the number column (`1 体制構築`).
                if let Some(n) = section_heading(&number).filter(|_| text.is_empty()) {
                    resolve_pending(&mut pending, &mut items, &mut sections, false);
                    sections.push(RawSection { number: n, title: number.clone() });
                    current = Some(n);
                } else {
                    skip(&mut skipped, r, num_col, format!("{number} {text}").trim().to_string());
                }
            }
            Some(n) => {
                let responsibility = responsibility_col.is_some();
                let item = |num: String, section: Option<u32>, key: (u32, u32)| RawItem {
                    number: num,
                    section,
                    key,
                    text: text.clone(),
                    scope: col(Role::Scope).and_then(|c| row.get(&c).map(|v| v.plain())).unwrap_or_default(),
                    guideline: col(Role::Guideline).and_then(|c| row.get(&c).map(|v| v.plain())).unwrap_or_default(),
                    row: r,
                    cell: cell_name(r, text_col),
                    hidden: hidden.contains(&r),
                    responsibility,
                };
                match n {
                    Number::Bare(b) => {
                        resolve_pending(&mut pending, &mut items, &mut sections, false);
                        if text.is_empty() {
                            // `1` alone, its title in another cell.
                            let title = filled
                                .iter()
                                .filter(|(c, _)| *c != num_col)
                                .map(|(_, v)| v.plain())
                                .next()
                                .unwrap_or_default();
                            sections
                                .push(RawSection { number: b, title: format!("{number} {title}").trim().to_string() });
                            current = Some(b);
                        } else {
                            pending = Some((b, item(number.clone(), None, (b, 0))));
                        }
                    }
                    Number::Local(l, _) => {
                        if let Some(b) = resolve_pending(&mut pending, &mut items, &mut sections, true) {
                            current = Some(b);
                        }
                        let Some(s) = current else {
                            skip(&mut skipped, r, num_col, format!("{number} {text}"));
                            continue;
                        };
                        if text.is_empty() {
                            skip(&mut skipped, r, num_col, number.clone());
                            continue;
                        }
                        items.push(item(format!("{s}-{number}"), Some(s), (s, l)));
                    }
                    Number::Full(s, l, _) => {
                        // `2 | 管理・運用` before `2-(1)` is the heading of section 2.
                        let heading = pending.as_ref().is_some_and(|(b, _)| *b == s);
                        resolve_pending(&mut pending, &mut items, &mut sections, heading);
                        if text.is_empty() {
                            skip(&mut skipped, r, num_col, number.clone());
                            continue;
                        }
                        items.push(item(number.clone(), Some(s), (s, l)));
                    }
                }
            }
        }
    }
    resolve_pending(&mut pending, &mut items, &mut sections, false);
    if items.is_empty() {
        return Err(Error::file(
            path,
            format!(
                "シート「{sheet}」の見出し行（{}行目）の下に項目がありません。「番号」の列に ①、(1)、1-① のような番号のある行が必要です",
                header + 1
            ),
        ));
    }
    let columns = cols
        .iter()
        .map(|(r, c)| format!("{} {}列", r.label(), cell_name(0, *c).trim_end_matches('1')))
        .collect::<Vec<_>>()
        .join("、");
    Ok(SheetRead { file, sheet, respondent, title, sections, items, skipped, columns })
}

/// Decides the row with a bare number waiting in `pending`: a section heading when local
/// numbers follow (`as_section`), else an item of its own. Returns the section number when it
/// became one.
fn resolve_pending(
    pending: &mut Option<(u32, RawItem)>,
    items: &mut Vec<RawItem>,
    sections: &mut Vec<RawSection>,
    as_section: bool,
) -> Option<u32> {
    let (b, item) = pending.take()?;
    if as_section {
        sections.push(RawSection { number: b, title: format!("{} {}", item.number, item.text) });
        Some(b)
    } else {
        items.push(item);
        None
    }
}

/// Text for comparing items of two editions: full-width as half-width, without spaces and
/// punctuation.
pub fn comparable(s: &str) -> String {
    crate::wareki::normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"、。，．,.・「」『』（）()［］[]※:：;；!！?？\"'／/".contains(*c))
        .collect()
}

/// Similarity of two texts, 0 to 1 (normalised Levenshtein over [`comparable`] text).
pub fn similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(&comparable(a), &comparable(b))
}

fn scopes(s: &str) -> (Vec<Scope>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for w in s.split(['、', ',', '，', '・', '/', '／', '\n']).map(str::trim).filter(|w| !w.is_empty()) {
        let w2 = crate::wareki::normalize(w);
        let s = match w2.as_str() {
            "医療情報システム全般" | "全般" => Scope::All,
            "サーバ" | "サーバー" => Scope::Server,
            "端末PC" | "端末" | "PC" | "端末パソコン" => Scope::Pc,
            "ネットワーク機器" => Scope::Network,
            _ => {
                unknown.push(w.to_string());
                continue;
            }
        };
        if !known.contains(&s) {
            known.push(s);
        }
    }
    (known, unknown)
}

/// Guideline references as the manual prints them (`▶企画管理編 9.1 ▶システム運用編 13⑪`), in
/// kensa's form (one space between 編 and number).
fn guideline_refs(s: &str) -> Vec<String> {
    s.split(['▶', '\n', '、'])
        .map(|r| r.split_whitespace().collect::<String>())
        .filter(|r| !r.is_empty())
        .map(|r| match r.find('編') {
            Some(i) => format!("{} {}", &r[..i + '編'.len_utf8()], &r[i + '編'.len_utf8()..]).trim().to_string(),
            None => r,
        })
        .collect()
}

/// Reads the workbooks and builds the checklist (nothing is written).
pub fn import(reg: &Registry, files: &[PathBuf], opts: &Options) -> Result<Imported> {
    if files.is_empty() {
        return Err(Error::Usage("取り込むチェックリストのブック（.xlsx）を指定してください".into()));
    }
    let predecessor = match &opts.predecessor {
        Some(p) => Some(reg.require(p, crate::error::Place::Nowhere)?),
        None => None,
    };
    let mut sheets = Vec::new();
    for f in files {
        sheets.push(read_sheet(f, opts)?);
    }
    let Some(edition) =
        opts.edition.clone().or_else(|| sheets.iter().filter_map(|s| s.title.as_deref()).find_map(edition_in))
    else {
        return Err(Error::Usage(format!(
            "版（例: 令和8年度版）をブックの表題から読み取れませんでした（表題: {}）。--edition で指定してください",
            sheets.iter().filter_map(|s| s.title.clone()).collect::<Vec<_>>().join("、")
        )));
    };
    let fiscal_year = fiscal_year_of(&edition);
    let known = reg.editions.iter().find(|e| e.edition == edition);
    let guideline = opts.guideline.clone().or_else(|| known.and_then(|k| k.guideline.clone()));
    let sections_known: BTreeSet<String> = guideline
        .as_deref()
        .and_then(|g| reg.guideline(g))
        .map(|g| g.sections.iter().cloned().collect())
        .unwrap_or_default();

    let mut checklist = Checklist {
        id: opts.id.clone(),
        title: sheets.iter().filter_map(|s| s.title.clone()).next().unwrap_or_else(|| edition.clone()),
        edition: edition.clone(),
        published: None,
        fiscal_year,
        kind: ChecklistKind::Mhlw,
        source: sheets.iter().map(|s| format!("{}（シート {}）", s.file, s.sheet)).collect::<Vec<_>>().join("、"),
        successor: None,
        predecessor: predecessor.map(|p| p.id.clone()),
        description: String::new(),
        guideline: guideline.clone(),
        sections: Vec::new(),
        items: Vec::new(),
    };
    let mut out = Imported {
        checklist: checklist.clone(),
        toml: String::new(),
        skipped: Vec::new(),
        hidden: Vec::new(),
        unknown_scopes: Vec::new(),
        unknown_refs: Vec::new(),
        links: Vec::new(),
        sheets: sheets
            .iter()
            .map(|s| format!("{} シート「{}」（{}）: 項目 {} 件", s.file, s.sheet, s.columns, s.items.len()))
            .collect(),
    };
    let mut cells: BTreeMap<String, String> = BTreeMap::new();
    let mut gate_taken = false;
    for s in &sheets {
        let prefix = if s.respondent == Respondent::Vendor { "v" } else { "f" };
        let item_prefix = if s.respondent == Respondent::Vendor { "v" } else { "" };
        let mut section_ids: BTreeMap<u32, String> = BTreeMap::new();
        for sec in &s.sections {
            let id = format!("{prefix}{}", sec.number);
            if checklist.sections.iter().any(|x| x.id == id) {
                return Err(Error::file(
                    Path::new(&s.file),
                    format!("シート「{}」に区分 {} の見出しが二つあります（「{}」）", s.sheet, sec.number, sec.title),
                ));
            }
            checklist.sections.push(Section {
                id: id.clone(),
                title: sec.title.clone(),
                sheet: s.sheet.clone(),
                respondent: s.respondent,
            });
            section_ids.insert(sec.number, id);
        }
        for raw in &s.items {
            let (sec_no, local) = raw.key;
            let id = match raw.section {
                Some(_) => format!("{item_prefix}{sec_no}-{local:02}"),
                None => format!("{item_prefix}{sec_no}"),
            };
            let at = format!("{}!{}", s.sheet, raw.cell);
            if let Some(first) = cells.insert(id.clone(), at.clone()) {
                return Err(Error::file(
                    Path::new(&s.file),
                    format!("番号 {} の項目が二つあります（{first} と {at}）。番号の列を確かめてください", raw.number),
                ));
            }
            let section = match raw.section.and_then(|n| section_ids.get(&n)) {
                Some(id) => id.clone(),
                None => {
                    // An item outside any heading (`0`), or under a number whose heading the
                    // sheet does not have: a section of its own, named by its number.
                    let n = raw.section.unwrap_or(sec_no);
                    let id = format!("{prefix}{n}");
                    if !checklist.sections.iter().any(|x| x.id == id) {
                        checklist.sections.push(Section {
                            id: id.clone(),
                            title: format!("{n}（見出しなし）"),
                            sheet: s.sheet.clone(),
                            respondent: s.respondent,
                        });
                        section_ids.insert(n, id.clone());
                    }
                    id
                }
            };
            let (scope, unknown) = scopes(&raw.scope);
            let mut notes = vec![format!(
                "{} から取り込んだ文言です。公式の様式と照らして番号・区分・文言を確かめたら verified = true にしてください。",
                s.file
            )];
            for u in unknown {
                notes.push(format!("対象「{u}」は kensa の区分（医療情報システム全般、サーバ、端末PC、ネットワーク機器）にないため scope に入れていません。"));
                out.unknown_scopes.push(format!("{} {u}", raw.number));
            }
            let mut refs = Vec::new();
            for r in guideline_refs(&raw.guideline) {
                if sections_known.contains(&r) {
                    refs.push(r);
                } else {
                    notes.push(format!(
                        "ガイドライン欄の「▶{r}」は{}の節一覧にないため guideline_refs に入れていません。",
                        guideline.as_deref().unwrap_or("ガイドラインの版が不明で、その")
                    ));
                    out.unknown_refs.push(format!("{} {r}", raw.number));
                }
            }
            if raw.hidden {
                notes.push("非表示の行にある項目です。公式の様式で使われているか確かめてください。".into());
                out.hidden.push(format!("{} {at}", raw.number));
            }
            let gate = raw.section.is_none() && sec_no == 0 && s.respondent == Respondent::Facility && !gate_taken;
            if gate {
                gate_taken = true;
                notes.push("番号 0 の項目を前提項目（gate: 「いいえ」なら他の項目の確認は不要）としました。".into());
            }
            if raw.responsibility {
                notes.push("事業者確認用の責任分界（医療機関／事業者／共同）を回答する項目です。".into());
            }
            checklist.items.push(Item {
                id,
                number: raw.number.clone(),
                section,
                text: raw.text.clone(),
                scope,
                respondent: s.respondent,
                guideline_refs: refs,
                legal_refs: Vec::new(),
                method: Vec::new(),
                evidence: Vec::new(),
                answer: AnswerKind::Yesno,
                gate,
                target_fiscal_year: None,
                verified: false,
                source: format!("{} {at}", s.file),
                note: notes.join(""),
                help: String::new(),
                successor: None,
                predecessors: Vec::new(),
                responsibility: raw.responsibility,
            });
        }
        out.skipped.extend(s.skipped.iter().cloned());
    }
    if let Some(prev) = predecessor {
        out.links = propose(&mut checklist, prev);
    }
    let toml = render(&checklist, predecessor, &out.links);
    // The file must read back as exactly what was built, and be valid beside the others.
    let back = super::parse_checklist(Path::new("import.toml"), &toml)?;
    if back != checklist {
        return Err(Error::Build {
            what: "チェックリストの TOML", detail: "読み戻した内容が一致しません".into()
        });
    }
    let mut with = reg.clone();
    with.checklists
        .insert(checklist.id.clone(), (checklist.clone(), super::Origin::File(PathBuf::from("import.toml"))));
    let errors: Vec<String> = with
        .validate(&checklist)
        .into_iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .map(|d| d.message)
        .collect();
    if !errors.is_empty() {
        return Err(Error::Usage(format!("取り込んだチェックリストに誤りがあります: {}", errors.join("。"))));
    }
    out.checklist = checklist;
    out.toml = toml;
    Ok(out)
}

/// Proposes each item's predecessors by the similarity of its text to the previous edition's
/// items of the same respondent (each previous item taken once, best pairs first).
fn propose(c: &mut Checklist, prev: &Checklist) -> Vec<Link> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, n) in c.items.iter().enumerate() {
        for (j, o) in prev.items.iter().enumerate() {
            if o.respondent == n.respondent {
                pairs.push((similarity(&n.text, &o.text), i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken_new: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    let mut taken_old: BTreeSet<usize> = BTreeSet::new();
    for &(score, i, j) in &pairs {
        if score < PROPOSE_AT {
            break;
        }
        if taken_new.contains_key(&i) || taken_old.contains(&j) {
            continue;
        }
        taken_new.insert(i, (j, score));
        taken_old.insert(j);
    }
    // Vendor items are named with their sheet (事業者確認用 1-①): the sheets repeat numbers.
    let name =
        |c: &Checklist, i: &Item| if i.respondent == Respondent::Vendor { c.item_name(i) } else { i.number.clone() };
    let names: Vec<String> = c.items.iter().map(|i| name(c, i)).collect();
    let mut links = Vec::new();
    for (i, item) in c.items.iter_mut().enumerate() {
        match taken_new.get(&i) {
            Some(&(j, score)) => {
                let old = &prev.items[j];
                let kind = if old.text == item.text { LinkKind::Kept } else { LinkKind::Changed };
                item.predecessors = vec![old.id.clone()];
                item.note.push_str(&format!(
                    "前の版（{}）の {} を前の版の項目として提案しました（文言の一致度 {score:.2}）。確かめてください。",
                    prev.edition, old.number
                ));
                links.push(Link { kind, new: names[i].clone(), old: name(prev, old), score: Some(score) });
            }
            None => {
                let best = pairs.iter().filter(|p| p.1 == i).map(|p| (p.0, p.2)).next();
                match best {
                    Some((score, j)) if score >= LIST_AT => {
                        let old = &prev.items[j];
                        item.note.push_str(&format!(
                            "前の版（{}）に十分に近い項目がありません（最も近いのは {}、一致度 {score:.2}）。前の版の項目に当たるなら predecessors に書いてください。",
                            prev.edition, old.number
                        ));
                        links.push(Link {
                            kind: LinkKind::Unsure,
                            new: names[i].clone(),
                            old: name(prev, old),
                            score: Some(score),
                        });
                    }
                    _ => {
                        links.push(Link { kind: LinkKind::New, new: names[i].clone(), old: String::new(), score: None })
                    }
                }
            }
        }
    }
    let respondents: BTreeSet<&str> = c.items.iter().map(|i| i.respondent.label()).collect();
    for (j, o) in prev.items.iter().enumerate() {
        if !taken_old.contains(&j) && respondents.contains(o.respondent.label()) {
            links.push(Link { kind: LinkKind::Dropped, new: String::new(), old: name(prev, o), score: None });
        }
    }
    links
}

/// A TOML string.
fn q(s: &str) -> String {
    toml_edit::Value::from(s).to_string()
}

fn list(v: &[String]) -> String {
    format!("[{}]", v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

/// The checklist file's text: a header saying what to confirm, then the checklist.
fn render(c: &Checklist, prev: Option<&Checklist>, links: &[Link]) -> String {
    let mut o = String::new();
    o.push_str(&format!("# {}\n", c.full_title()));
    o.push_str("# kensa checklist import で厚生労働省のブックから取り込んだものです。\n");
    o.push_str(
        "# 各項目の文言・番号・区分を公式の様式と照らして確かめ、確かめた項目は verified = true にしてください。\n",
    );
    o.push_str("# published（公表日）と各項目の scope・guideline_refs・method は様式から読み取れない場合があります。必要に応じて書き足してください。\n");
    if let Some(p) = prev {
        o.push_str(&format!(
            "# predecessors は {}（{}）の項目との文言の一致度から提案したものです。一致度 {PROPOSE_AT} 未満の項目には提案していません（note を参照）。\n",
            p.id, p.edition
        ));
        let unsure: Vec<&Link> = links.iter().filter(|l| l.kind == LinkKind::Unsure).collect();
        if !unsure.is_empty() {
            o.push_str(&format!(
                "# 人が確かめる項目: {}\n",
                unsure.iter().map(|l| l.new.as_str()).collect::<Vec<_>>().join("、")
            ));
        }
    }
    o.push('\n');
    o.push_str(&format!("id = {}\n", q(&c.id)));
    o.push_str(&format!("title = {}\n", q(&c.title)));
    o.push_str(&format!("edition = {}\n", q(&c.edition)));
    if let Some(fy) = c.fiscal_year {
        o.push_str(&format!("fiscal_year = {fy}\n"));
    }
    o.push_str("kind = \"mhlw\"\n");
    if let Some(g) = &c.guideline {
        o.push_str(&format!("guideline = {}\n", q(g)));
    }
    o.push_str(&format!("source = {}\n", q(&c.source)));
    if let Some(p) = &c.predecessor {
        o.push_str(&format!("predecessor = {}\n", q(p)));
    }
    for s in &c.sections {
        o.push_str("\n[[sections]]\n");
        o.push_str(&format!("id = {}\n", q(&s.id)));
        o.push_str(&format!("title = {}\n", q(&s.title)));
        o.push_str(&format!("sheet = {}\n", q(&s.sheet)));
        o.push_str(&format!("respondent = {}\n", q(s.respondent.label())));
    }
    for i in &c.items {
        o.push_str("\n[[items]]\n");
        o.push_str(&format!("id = {}\n", q(&i.id)));
        o.push_str(&format!("number = {}\n", q(&i.number)));
        o.push_str(&format!("section = {}\n", q(&i.section)));
        o.push_str(&format!("text = {}\n", q(&i.text)));
        if !i.scope.is_empty() {
            o.push_str(&format!(
                "scope = {}\n",
                list(&i.scope.iter().map(|s| s.label().to_string()).collect::<Vec<_>>())
            ));
        }
        o.push_str(&format!("respondent = {}\n", q(i.respondent.label())));
        if !i.guideline_refs.is_empty() {
            o.push_str(&format!("guideline_refs = {}\n", list(&i.guideline_refs)));
        }
        o.push_str("answer = \"yesno\"\n");
        if i.gate {
            o.push_str("gate = true\n");
        }
        if i.responsibility {
            o.push_str("responsibility = true\n");
        }
        o.push_str("verified = false\n");
        o.push_str(&format!("source = {}\n", q(&i.source)));
        o.push_str(&format!("note = {}\n", q(&i.note)));
        if !i.predecessors.is_empty() {
            o.push_str(&format!("predecessors = {}\n", list(&i.predecessors)));
        }
    }
    o
}

/// The comparison with the previous edition as an aligned table, with its totals.
pub fn links_table(links: &[Link]) -> String {
    use crate::text::{pad, width};
    let head = ["区分", "この版", "前の版", "一致度"].map(String::from);
    let rows: Vec<[String; 4]> = links
        .iter()
        .map(|l| {
            [
                l.kind.label().to_string(),
                if l.new.is_empty() { "－".into() } else { l.new.clone() },
                match (l.kind, l.old.is_empty()) {
                    (_, true) => "－".into(),
                    (LinkKind::Unsure, false) => format!("（{}）", l.old),
                    _ => l.old.clone(),
                },
                l.score.map(|s| format!("{s:.2}")).unwrap_or_else(|| "－".into()),
            ]
        })
        .collect();
    let mut widths = [0usize; 4];
    for r in std::iter::once(&head).chain(rows.iter()) {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&head).chain(rows.iter()) {
        let line: Vec<String> = r.iter().enumerate().map(|(i, c)| pad(c, widths[i])).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    let count = |k: LinkKind| links.iter().filter(|l| l.kind == k).count();
    out.push_str(&format!(
        "同文 {} 件、変更 {} 件、新規 {} 件、要確認 {} 件、廃止 {} 件\n",
        count(LinkKind::Kept),
        count(LinkKind::Changed),
        count(LinkKind::New),
        count(LinkKind::Unsure),
        count(LinkKind::Dropped)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_workbooks_sheet_is_known_by_its_name() {
        assert_eq!(FIELD_WORKBOOK_SHEET, crate::workbook::META_SHEET);
    }

    #[test]
    fn numbers_as_the_sheets_print_them() {
        assert_eq!(parse_number("①"), Some(Number::Local(1, Style::Circled)));
        assert_eq!(parse_number("⑬"), Some(Number::Local(13, Style::Circled)));
        assert_eq!(parse_number("㉑"), Some(Number::Local(21, Style::Circled)));
        assert_eq!(parse_number("(1)"), Some(Number::Local(1, Style::Paren)));
        assert_eq!(parse_number("（１２）"), Some(Number::Local(12, Style::Paren)));
        assert_eq!(parse_number("1-①"), Some(Number::Full(1, 1, Style::Circled)));
        assert_eq!(parse_number("２－(3)"), Some(Number::Full(2, 3, Style::Paren)));
        assert_eq!(parse_number("2-13"), Some(Number::Full(2, 13, Style::Plain)));
        assert_eq!(parse_number("0"), Some(Number::Bare(0)));
        assert_eq!(parse_number("３．"), Some(Number::Bare(3)));
        for bad in ["※", "はい", "1-", "-①", "①②", "(a)"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert_eq!(section_heading("1 体制構築"), Some(1));
        assert_eq!(section_heading("２．医療情報システムの管理・運用"), Some(2));
        assert_eq!(section_heading("10"), None);
        assert_eq!(section_heading("2024年度"), None);
    }

    #[test]
    fn headings_in_any_spelling() {
        assert_eq!(role_of("番号"), Some(Role::Number));
        assert_eq!(role_of("Ｎｏ．"), Some(Role::Number));
        assert_eq!(role_of("確認項目"), Some(Role::Text));
        assert_eq!(role_of("チェック\n項目"), Some(Role::Text));
        assert_eq!(role_of("はい／いいえ"), Some(Role::Answer));
        assert_eq!(role_of("確認日"), Some(Role::Checked));
        assert_eq!(role_of("目標日\n（いいえの場合）"), Some(Role::Target));
        assert_eq!(role_of("対象機器"), Some(Role::Scope));
        assert_eq!(role_of("責任分界"), Some(Role::Responsibility));
        assert_eq!(role_of("備考"), Some(Role::Remarks));
        assert_eq!(role_of("医療機関名"), None);
    }

    #[test]
    fn editions_and_references() {
        assert_eq!(edition_in("医療機関・薬局におけるチェックリスト（令和８年度版）").as_deref(), Some("令和8年度版"));
        assert_eq!(edition_in("チェックリスト"), None);
        assert_eq!(fiscal_year_of("令和8年度版"), Some(2026));
        assert_eq!(guideline_refs("▶企画管理編 9.1 ▶システム運用編13⑪"), ["企画管理編 9.1", "システム運用編 13⑪"]);
        let (s, u) = scopes("サーバ、端末PC・無線LAN");
        assert_eq!(s, [Scope::Server, Scope::Pc]);
        assert_eq!(u, ["無線LAN"]);
    }

    #[test]
    fn similarity_ignores_spacing_and_punctuation() {
        assert_eq!(similarity("パスワードの使い回しを禁止している。", "パスワードの使い回しを 禁止している"), 1.0);
        assert!(similarity("接続元制限を実施している。", "接続元の制限を実施している。") > PROPOSE_AT);
        assert!(similarity("接続元制限を実施している。", "連絡体制図がある。") < LIST_AT);
    }
}
