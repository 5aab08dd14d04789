//! Reading a filled kensa workbook into a typed result that needs no case: the hidden sheet's
//! identification, the scalar fields, the table rows and the answer rows, each with the cell it
//! came from. Every problem of the file is collected and reported at once, each with its sheet
//! and cell. Merging the result into a case is [`crate::merge`].

use super::cells::{formula_named, interpret};
use super::*;
use crate::case::fields::{
    fields, AnswerCol, Field, FormSheet, Kind, Part, Table, Val, ANSWER_COLS, FORM_SHEETS, OPTIONAL_SECTIONS,
};
use crate::case::ItemRef;
use crate::checklist::Registry;
use crate::error::{Error, Result, WorkbookProblem};
use crate::xlsx::read::{cell_name, CellGrid, Guarded, Raw};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A place in the workbook: `チェックリスト!F12`. The sheet's name is shared by the places of
/// one sheet, and the cell's A1 name is made only when the place is shown (a workbook has
/// hundreds of places, nearly all of which are never shown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    pub sheet: Arc<str>,
    /// 0-based row and column.
    pub row: u32,
    pub col: u32,
}

impl Loc {
    pub fn new(sheet: &Arc<str>, row: u32, col: u32) -> Loc {
        Loc { sheet: Arc::clone(sheet), row, col }
    }

    /// The cell's A1 name (`F12`).
    pub fn cell(&self) -> String {
        cell_name(self.row, self.col)
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", self.sheet, self.cell())
    }
}

/// The answer cells of one checklist row.
pub struct AnswerRow {
    pub item: ItemRef,
    /// The system whose vendor answered (empty: the facility).
    pub system: String,
    pub row: Loc,
    pub cells: Vec<(&'static AnswerCol, Val, Loc)>,
}

/// One row of a table as read: its values, the place of its first cell, and which row of the
/// case it was at export (`None` for a row added in the workbook).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadRow {
    pub vals: Vec<Val>,
    pub at: Loc,
    pub origin: Option<usize>,
}

/// The rows of one table.
pub struct TableRows {
    pub table: &'static dyn Table,
    pub sheet: String,
    pub rows: Vec<ReadRow>,
}

/// What each value and row of the case was at export (fingerprints, see `Val::fingerprint`);
/// absent in workbooks of format 1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Base {
    /// Field key → fingerprint.
    pub fields: HashMap<String, String>,
    /// Table key → (row index at export → fingerprint of each column).
    pub rows: HashMap<String, BTreeMap<usize, Vec<String>>>,
    /// Answer row key (`item` or `item@system`) → answer column key → fingerprint.
    pub answers: HashMap<String, HashMap<String, String>>,
}

/// Everything read from a workbook.
pub struct WorkbookData {
    pub path: PathBuf,
    pub case_id: String,
    pub audience: Audience,
    /// (checklist id, edition, sheet name).
    pub checklists: Vec<(String, String, String)>,
    /// Answer rows (`item` or `item@system`) of the case the workbook was made from, in case order.
    pub answer_order: Vec<String>,
    /// The case's values at export, for the three-way merge (format 2 on).
    pub base: Option<Base>,
    /// Optional sections present in that case.
    pub present: Vec<String>,
    /// The facility and inspection as they were at export (field key → text; see
    /// [`ABOUT_FIELDS`]); empty in workbooks written before they were recorded.
    pub about: Vec<(String, String)>,
    /// The 年度 a facility's self-check was made for (the Western year of its April), as
    /// recorded at export ([`FISCAL_YEAR_KEY`]); `None` in workbooks written before it was
    /// recorded or made for no particular year.
    pub fiscal_year: Option<i32>,
    pub scalars: Vec<(&'static Field, Val, Loc)>,
    pub tables: Vec<TableRows>,
    pub answers: Vec<AnswerRow>,
}

impl fmt::Debug for WorkbookData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkbookData")
            .field("path", &self.path)
            .field("case_id", &self.case_id)
            .field("audience", &self.audience)
            .field("checklists", &self.checklists)
            .field("fiscal_year", &self.fiscal_year)
            .field("answers", &self.answers.len())
            .finish()
    }
}

fn cell_error(path: &Path, l: &Loc, message: impl Into<String>) -> Error {
    // The message may quote the cell: its control characters are shown, never sent.
    let message = crate::text::visible(&message.into());
    Error::Cell { path: path.to_path_buf(), sheet: l.sheet.to_string(), cell: l.cell(), message }
}

/// The text of a formula saved without its calculated value.
fn formula_of(v: Option<&Raw>) -> Option<&str> {
    match v {
        Some(Raw::Formula(f)) => Some(f),
        _ => None,
    }
}

/// A formula without a value where kensa's layout is (column A, a header row): damaged input.
fn layout_formula(path: &Path, l: &Loc, formula: &str) -> Error {
    cell_error(
        path,
        l,
        format!(
            "{}の計算結果が保存されていません。A列と見出しの行は kensa が書いた値のまま変更しないでください（元の値に戻すか、kensa workbook で作成し直してください）",
            formula_named(formula)
        ),
    )
}

/// What a workbook is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose<'a> {
    /// Merged into a case (`kensa import`): the hidden sheet's fingerprints are read, for a
    /// three-way merge. With the case's id, a workbook made for another case is refused before
    /// its cells are read.
    Merge { case_id: Option<&'a str> },
    /// Counted as it stands (`kensa aggregate`): nothing is compared, so the fingerprints are
    /// not read (`WorkbookData::base` is `None`).
    Count,
}

/// Reads a filled workbook; every problem in it is reported at once.
pub fn read(path: &Path, reg: &Registry, purpose: Purpose<'_>) -> Result<WorkbookData> {
    let mut wb = Guarded::open(path)?;
    let names = wb.sheet_names();
    if !names.iter().any(|n| n == META_SHEET) {
        return Err(Error::workbook(path, WorkbookProblem::NotKensa { sheet: META_SHEET }));
    }
    let fingerprints = matches!(purpose, Purpose::Merge { .. });
    // The fingerprints are the hidden sheet's last rows: counting stops reading it where they
    // begin, about half of its cells.
    let meta = if fingerprints {
        wb.sheet(META_SHEET)?
    } else {
        wb.sheet_until(META_SHEET, |_, c, v| c == 0 && FINGERPRINT_KEYS.contains(&&*v.text()))?
    };
    let (mut p, forms) = parse_meta(path, &meta, fingerprints)?;
    if let Purpose::Merge { case_id: Some(case_id) } = purpose {
        check_case_id(&p, case_id)?;
    }

    let mut errors: Vec<Error> = Vec::new();
    for (id, edition, _) in &p.checklists {
        let problem = match reg.get(id) {
            None => WorkbookProblem::UnknownChecklist {
                id: id.clone(),
                edition: edition.clone(),
                known: reg.ids().iter().map(|s| s.to_string()).collect(),
            },
            Some(c) if c.edition != *edition => {
                WorkbookProblem::EditionMismatch { id: id.clone(), workbook: edition.clone(), kensa: c.edition.clone() }
            }
            Some(_) => continue,
        };
        errors.push(Error::workbook(path, problem));
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }

    let missing = |sheet: &str| Error::workbook(path, WorkbookProblem::SheetMissing { sheet: sheet.to_string() });
    let ids: HashSet<String> = p.checklists.iter().map(|(id, _, _)| id.clone()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    for (_, _, sheet) in p.checklists.clone() {
        if !names.contains(&sheet) {
            errors.push(missing(&sheet));
            continue;
        }
        let grid = wb.sheet(&sheet)?;
        read_checklist_sheet(path, &sheet, &grid, reg, &ids, &mut seen, &mut p, &mut errors);
    }
    for sheet in forms {
        let Some(form) = FORM_SHEETS.iter().copied().find(|s| s.name == sheet) else { continue };
        if !names.contains(&sheet) {
            errors.push(missing(&sheet));
            continue;
        }
        let grid = wb.sheet(&sheet)?;
        read_form_sheet(path, reg, form, &grid, &mut p, &mut errors);
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok(p)
}

/// Refuses a workbook made for another case.
pub fn check_case_id(data: &WorkbookData, case_id: &str) -> Result<()> {
    if data.case_id.trim() != case_id.trim() {
        return Err(Error::workbook(
            &data.path,
            WorkbookProblem::OtherCase { workbook: data.case_id.clone(), case: case_id.to_string() },
        ));
    }
    Ok(())
}

/// The hidden sheet's rows other than the fingerprints, by key (column A), read in one pass.
#[derive(Default)]
struct MetaRows {
    /// Cells holding a formula without a value (damaged input).
    formulas: Vec<String>,
    /// Key → each row's values of columns 1, 2, 3.
    rows: HashMap<String, Vec<[String; 3]>>,
}

impl MetaRows {
    fn of(meta: &CellGrid) -> MetaRows {
        let mut m = MetaRows::default();
        for (r, row) in meta {
            for (c, v) in row {
                if matches!(v, Raw::Formula(_)) {
                    m.formulas.push(cell_name(*r, *c));
                }
            }
            let key = key_of(row);
            // The fingerprints are read by `base_of`, where they are wanted.
            if FINGERPRINT_KEYS.contains(&&*key) {
                continue;
            }
            let g = |i: u32| row.get(&i).map(|v| v.plain()).unwrap_or_default();
            m.rows.entry(key.into_owned()).or_default().push([g(1), g(2), g(3)]);
        }
        m
    }

    fn all(&self, key: &str) -> &[[String; 3]] {
        self.rows.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// Column 1 of each row of `key`.
    fn values(&self, key: &str) -> impl Iterator<Item = &String> {
        self.all(key).iter().map(|r| &r[0])
    }
}

/// The hidden sheet's facts; its fingerprints (`base`) only where they are to be compared.
fn parse_meta(path: &Path, meta: &CellGrid, fingerprints: bool) -> Result<(WorkbookData, Vec<String>)> {
    let bad = |m: &str| Error::workbook(path, WorkbookProblem::MetaBroken { sheet: META_SHEET, detail: m.to_string() });
    let rows = MetaRows::of(meta);
    if !rows.formulas.is_empty() {
        return Err(bad(&format!("計算結果が保存されていない数式があります: {}", rows.formulas.join("、"))));
    }
    let version = rows.values(META_MAGIC).next();
    match version {
        None => return Err(bad("識別情報がありません")),
        Some(v) if !READABLE_FORMATS.contains(&v.as_str()) => {
            return Err(Error::workbook(
                path,
                WorkbookProblem::FormatVersion { found: v.clone(), supported: WORKBOOK_FORMAT },
            ))
        }
        _ => {}
    }
    let case_id = rows.values("case_id").next().cloned().ok_or_else(|| bad("事案IDがありません"))?;
    let audience = rows
        .values("audience")
        .next()
        .and_then(|a| Audience::from_id(a))
        .ok_or_else(|| bad("用途（inspector／facility）がありません"))?;
    let checklists: Vec<(String, String, String)> =
        rows.all("checklist").iter().map(|[id, edition, sheet]| (id.clone(), edition.clone(), sheet.clone())).collect();
    let facility = audience == Audience::Facility;
    if (facility && checklists.is_empty()) || checklists.iter().any(|(id, _, s)| id.is_empty() || s.is_empty()) {
        return Err(bad("チェックリストの情報がありません"));
    }
    let mut answer_order = Vec::new();
    for a in rows.values("answer") {
        parse_answer_key(a).0.parse::<ItemRef>().map_err(|e| bad(&e))?;
        answer_order.push(a.clone());
    }
    let base = (fingerprints && version.map(String::as_str) != Some("1")).then(|| base_of(meta));
    let fiscal_year = match rows.values(FISCAL_YEAR_KEY).next() {
        None => None,
        Some(y) => Some(y.trim().parse::<i32>().map_err(|_| bad(&format!("年度「{y}」が読めません")))?),
    };
    let data = WorkbookData {
        path: path.to_path_buf(),
        case_id,
        audience,
        checklists,
        answer_order,
        base,
        present: rows.values("present").filter(|s| OPTIONAL_SECTIONS.iter().any(|(k, _)| k == s)).cloned().collect(),
        about: rows
            .all("about")
            .iter()
            .map(|[k, v, _]| (k.clone(), v.clone()))
            .filter(|(k, _)| ABOUT_FIELDS.contains(&k.as_str()) || k == "inspection.dates")
            .collect(),
        fiscal_year,
        scalars: Vec::new(),
        tables: Vec::new(),
        answers: Vec::new(),
    };
    // The form sheets the workbook names (read after the checklists).
    Ok((data, rows.values("sheet").cloned().collect()))
}

/// Item references of an `ItemRefs` cell resolved against the checklists: each must name an
/// existing item (`mhlw-r7:2-06`, or the number shown, `2-⑥`).
fn resolve_items(reg: &Registry, within: &[String], kind: Kind, v: Val) -> Result<Val, String> {
    let (Kind::ItemRefs, Val::List(parts)) = (kind, &v) else { return Ok(v) };
    let within: Vec<&str> = if within.is_empty() { reg.ids() } else { within.iter().map(String::as_str).collect() };
    let mut out = Vec::new();
    for p in parts {
        out.push(reg.resolve_item(p, &within)?.to_string());
    }
    Ok(Val::List(out))
}

/// The fingerprints of the hidden sheet: `field`, `row` and `abase` rows.
fn base_of(meta: &CellGrid) -> Base {
    let mut base = Base::default();
    for r in meta.values() {
        let cell = |i: u32| r.get(&i).map(|v| v.plain()).unwrap_or_default();
        let rest = |from: u32| r.range(from..).map(|(_, v)| v.plain()).collect::<Vec<String>>();
        match &*key_of(r) {
            FIELD_BASE_KEY => {
                base.fields.insert(cell(1), cell(2));
            }
            ROW_BASE_KEY => {
                if let Ok(i) = cell(2).parse::<usize>() {
                    base.rows.entry(cell(1)).or_default().insert(i, rest(3));
                }
            }
            ANSWER_BASE_KEY => {
                let cols = rest(2).into_iter().filter_map(|c| c.split_once('=').map(|(k, v)| (k.into(), v.into())));
                base.answers.insert(cell(1), cols.collect());
            }
            _ => {}
        }
    }
    base
}

fn key_of(row: &BTreeMap<u32, Raw>) -> std::borrow::Cow<'_, str> {
    row.get(&0).map(|v| v.text()).unwrap_or_default()
}

/// First non-blank cell of a row at or after column 1.
fn first_filled(row: &BTreeMap<u32, Raw>) -> Option<u32> {
    row.iter().find(|(c, v)| **c >= 1 && !v.is_blank()).map(|(c, _)| *c)
}

#[allow(clippy::too_many_arguments)]
fn read_checklist_sheet(
    path: &Path,
    sheet: &str,
    grid: &CellGrid,
    reg: &Registry,
    ids: &HashSet<String>,
    seen: &mut HashSet<String>,
    p: &mut WorkbookData,
    errors: &mut Vec<Error>,
) {
    let sheet_name: Arc<str> = sheet.into();
    for (&r, row) in grid {
        if let Some(f) = formula_of(row.get(&0)) {
            errors.push(layout_formula(path, &Loc::new(&sheet_name, r, 0), f));
        }
    }
    let Some((&hr, header)) = grid.iter().find(|(_, r)| key_of(r) == HEADER_KEY) else {
        errors.push(Error::workbook(path, WorkbookProblem::NoHeader { sheet: sheet.to_string() }));
        return;
    };
    for (&c, v) in header {
        if let Raw::Formula(f) = v {
            errors.push(layout_formula(path, &Loc::new(&sheet_name, hr, c), f));
        }
    }
    // The case's fields shown above the items (the self-check's 記入日).
    for (&r, row) in grid.range(..hr) {
        let key = key_of(row);
        let Some((field_key, _)) = SELF_CHECK_FIELDS.iter().find(|(k, _)| *k == key) else { continue };
        let Some(field) = fields().find(|f| f.key == *field_key) else { continue };
        let l = Loc::new(&sheet_name, r, SHEET_FIELD_COL as u32);
        if p.scalars.iter().any(|(f, _, _)| f.key == field.key) {
            errors.push(cell_error(
                path,
                &Loc::new(&sheet_name, r, 0),
                format!("「{}」の行が二つあります", field.label),
            ));
            continue;
        }
        match interpret(field.kind, row.get(&(SHEET_FIELD_COL as u32))) {
            Ok(v) => p.scalars.push((field, v, l)),
            Err(m) => errors.push(cell_error(path, &l, m)),
        }
    }
    let cols: Vec<(u32, &'static AnswerCol)> =
        header.iter().filter_map(|(c, v)| ANSWER_COLS.iter().find(|a| a.header == v.text()).map(|a| (*c, a))).collect();
    for (&r, row) in grid.range(hr + 1..) {
        if formula_of(row.get(&0)).is_some() {
            continue; // reported above
        }
        let key = key_of(row);
        if key.starts_with('#') {
            continue;
        }
        if key.is_empty() {
            if let Some(c) = cols.iter().map(|(c, _)| *c).find(|c| row.get(c).is_some_and(|v| !v.is_blank())) {
                errors.push(cell_error(
                    path,
                    &Loc::new(&sheet_name, r, c),
                    "項目のない行に記入があります。kensa が作成した項目の行に記入してください",
                ));
            }
            continue;
        }
        let (item_key, system) = parse_answer_key(&key);
        let item: ItemRef = match item_key.parse() {
            Ok(i) => i,
            Err(e) => {
                errors.push(cell_error(path, &Loc::new(&sheet_name, r, 0), e));
                continue;
            }
        };
        if !ids.contains(item.checklist()) || reg.item(&item).is_none() {
            errors.push(cell_error(
                path,
                &Loc::new(&sheet_name, r, 0),
                format!("項目「{item}」はこのワークブックのチェックリストにありません"),
            ));
            continue;
        }
        if !seen.insert(key.to_string()) {
            errors.push(cell_error(path, &Loc::new(&sheet_name, r, 0), format!("項目「{key}」の行が二つあります")));
            continue;
        }
        let mut cells = Vec::new();
        for (c, col) in &cols {
            let l = Loc::new(&sheet_name, r, *c);
            match interpret(col.kind, row.get(c)) {
                Ok(v) => cells.push((*col, v, l)),
                Err(m) => errors.push(cell_error(path, &l, m)),
            }
        }
        p.answers.push(AnswerRow { item, system: system.to_string(), row: Loc::new(&sheet_name, r, 0), cells });
    }
}

fn read_form_sheet(
    path: &Path,
    reg: &Registry,
    form: &'static FormSheet,
    grid: &CellGrid,
    p: &mut WorkbookData,
    errors: &mut Vec<Error>,
) {
    let sheet_name: Arc<str> = form.name.into();
    // Item numbers written as shown (2-⑥) are looked up in the workbook's checklists, or in
    // the checklists the case uses (概要's table) where the workbook names none.
    let within: Vec<String> = p.checklists.iter().map(|(id, _, _)| id.clone()).collect();
    let tables: Vec<&'static dyn Table> = form
        .parts
        .iter()
        .filter_map(|x| match x {
            Part::Table(t) => Some(*t),
            Part::Group(..) => None,
        })
        .collect();
    let mut rows_of: BTreeMap<&'static str, Vec<ReadRow>> = tables.iter().map(|t| (t.key(), Vec::new())).collect();
    // Column of each table column, from the header row (columns may have been moved).
    let mut mapping: BTreeMap<&'static str, Vec<Option<u32>>> =
        tables.iter().map(|t| (t.key(), (0..t.columns().len()).map(|i| Some(1 + i as u32)).collect())).collect();
    let mut current: Option<&'static dyn Table> = None;
    for (&r, row) in grid {
        if let Some(f) = formula_of(row.get(&0)) {
            errors.push(layout_formula(path, &Loc::new(&sheet_name, r, 0), f));
            continue;
        }
        let key = key_of(row);
        if let Some(tkey) = key.strip_prefix(HEADER_KEY).and_then(|k| k.strip_prefix(':')) {
            for (&c, v) in row {
                if let Raw::Formula(f) = v {
                    errors.push(layout_formula(path, &Loc::new(&sheet_name, r, c), f));
                }
            }
            if let Some(t) = tables.iter().find(|t| t.key() == tkey) {
                let m: Vec<Option<u32>> = t
                    .columns()
                    .iter()
                    .map(|c| {
                        row.iter()
                            .find(|(_, v)| {
                                let h = v.text();
                                h == c.header || h.strip_suffix("（必須）") == Some(c.header)
                            })
                            .map(|(i, _)| *i)
                    })
                    .collect();
                mapping.insert(t.key(), m);
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
            let l = Loc::new(&sheet_name, r, 2);
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
                        &Loc::new(&sheet_name, r, c),
                        "記入欄ではない行に値があります。表の下の空欄行か、項目の右の欄に記入してください",
                    ));
                    continue;
                }
                _ => continue,
            }
        } else {
            match tables.iter().find(|t| t.key() == parse_row_key(&key).0) {
                Some(t) => *t,
                None => {
                    errors.push(cell_error(
                        path,
                        &Loc::new(&sheet_name, r, 0),
                        format!("「{key}」はこのシートの欄ではありません（A列は変更しないでください）"),
                    ));
                    continue;
                }
            }
        };
        current = Some(table);
        let origin = parse_row_key(&key).1;
        let m = &mapping[table.key()];
        let blank = m.iter().flatten().all(|c| row.get(c).is_none_or(|v| v.is_blank()));
        if blank {
            continue;
        }
        let mut vals = Vec::new();
        let mut ok = true;
        for (i, c) in table.columns().iter().enumerate() {
            let at = m[i];
            let l = Loc::new(&sheet_name, r, at.unwrap_or(1 + i as u32));
            match interpret(c.kind, at.and_then(|a| row.get(&a))).and_then(|v| resolve_items(reg, &within, c.kind, v)) {
                Ok(v) => {
                    if c.required && v.is_blank(c.kind) {
                        errors.push(cell_error(
                            path,
                            &l,
                            format!("「{}」は必ず記入します（{}）", c.header, table.title()),
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
            let first = Loc::new(&sheet_name, r, m.iter().flatten().next().copied().unwrap_or(1));
            if let Some(list) = rows_of.get_mut(table.key()) {
                // A row copied in Excel carries the identity of the row it came from: only the
                // first such row is that row; the others are additions.
                let origin = origin.filter(|o| !list.iter().any(|x: &ReadRow| x.origin == Some(*o)));
                list.push(ReadRow { vals, at: first, origin });
            }
        }
    }
    for t in tables {
        let rows = rows_of.remove(t.key()).unwrap_or_default();
        p.tables.push(TableRows { table: t, sheet: form.name.to_string(), rows });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23: 「2-⑥」 as the checklist sheet shows it, typed in 指導事項「関係する項目」 of an
    /// incident case's workbook (the incident form has a 2-(6) too), names the MHLW item.
    #[test]
    fn item_numbers_as_the_sheet_shows_them_resolve_in_an_incident_workbook() {
        let reg = Registry::load(None).unwrap();
        let within: Vec<String> = ["mhlw-r7", "incident", "onsite"].map(String::from).to_vec();
        let typed = Val::List(vec!["2-⑥".into(), "医療機関確認用 2-⑬".into(), "事業者確認用 2-⑥".into()]);
        assert_eq!(
            resolve_items(&reg, &within, Kind::ItemRefs, typed),
            Ok(Val::List(vec!["mhlw-r7:2-06".into(), "mhlw-r7:2-13".into(), "mhlw-r7:v2-06".into()]))
        );
    }

    fn grid(cells: &[(u32, u32, &str)]) -> CellGrid {
        let mut g = CellGrid::new();
        for (r, c, v) in cells {
            g.entry(*r).or_default().insert(*c, Raw::Str(v.to_string()));
        }
        g
    }

    fn empty_data() -> WorkbookData {
        WorkbookData {
            path: PathBuf::from("w.xlsx"),
            case_id: "C-1".into(),
            audience: Audience::Inspector,
            checklists: Vec::new(),
            answer_order: Vec::new(),
            base: None,
            present: Vec::new(),
            about: Vec::new(),
            fiscal_year: None,
            scalars: Vec::new(),
            tables: Vec::new(),
            answers: Vec::new(),
        }
    }

    #[test]
    fn form_rows_map_by_key_and_header_and_inserted_rows_join_their_table() {
        let form = FORM_SHEETS.iter().copied().find(|s| s.name == "概要").unwrap();
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
        let mut p = empty_data();
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), &Registry::load(None).unwrap(), form, &g, &mut p, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let name = p.scalars.iter().find(|(f, _, _)| f.key == "facility.name").unwrap();
        assert_eq!((name.1.clone(), name.2.to_string()), (Val::Text("架空病院".into()), "概要!C5".to_string()));
        let beds = p.scalars.iter().find(|(f, _, _)| f.key == "facility.beds").unwrap();
        assert_eq!(beds.1, Val::Num(120));
        let t = p.tables.iter().find(|t| t.table.key() == "inspection.attendees").unwrap();
        let rows: Vec<Vec<Val>> = t.rows.iter().map(|r| r.vals.clone()).collect();
        assert_eq!(
            rows,
            vec![
                vec![Val::Text("浜田".into()), Val::Text("院長".into())],
                vec![Val::Text("岸本".into()), Val::Text("事務長".into())]
            ]
        );
    }

    #[test]
    fn form_errors_name_every_cell() {
        let form = FORM_SHEETS.iter().copied().find(|s| s.name == "対応状況").unwrap();
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
        let mut p = empty_data();
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), &Registry::load(None).unwrap(), form, &g, &mut p, &mut errors);
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
    fn import_refuses_what_check_would_reject_and_accepts_numbers_as_shown() {
        let reg = Registry::load(None).unwrap();
        let form = FORM_SHEETS.iter().copied().find(|s| s.name == "指導事項").unwrap();
        let g = grid(&[
            (3, 0, "#title"),
            (4, 0, "#header:guidance"),
            (4, 1, "種別（必須）"),
            (4, 2, "内容（必須）"),
            (4, 3, "関係するチェックリスト項目"),
            (5, 0, "guidance"),
            (5, 1, "文書指導"),
            (5, 2, "パッチを適用すること"),
            (5, 3, "2-⑥、mhlw-r7:2-13"),
            (6, 0, "guidance"),
            (6, 1, "助言"),
            (6, 2, "存在しない項目"),
            (6, 3, "mhlw-r7:2-99"),
            (7, 0, "guidance"),
            (7, 1, "口頭指導"),
        ]);
        let mut p = empty_data();
        p.checklists = vec![("mhlw-r7".into(), "令和7年度版".into(), "チェックリスト".into())];
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), &reg, form, &g, &mut p, &mut errors);
        let all: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all[0].contains("指導事項!D7: 項目「mhlw-r7:2-99」は mhlw-r7"), "{all:?}");
        assert!(all[1].contains("指導事項!C8: 「内容」は必ず記入します"), "a row without its key: {all:?}");
        let t = p.tables.iter().find(|t| t.table.key() == "guidance").unwrap();
        assert_eq!(t.rows[0].vals[2], Val::List(vec!["mhlw-r7:2-06".into(), "mhlw-r7:2-13".into()]));

        let form = FORM_SHEETS.iter().copied().find(|s| s.name == "証跡").unwrap();
        let g = grid(&[
            (3, 0, "#title"),
            (4, 0, "#header:evidence"),
            (4, 1, "証跡ID（必須）"),
            (4, 2, "ファイル名（事案フォルダからの相対パス）（必須）"),
            (4, 3, "SHA-256"),
            (5, 0, "evidence"),
            (5, 1, "E1"),
            (5, 2, "evidence/a.txt"),
            (5, 3, "abc"),
        ]);
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), &reg, form, &g, &mut p, &mut errors);
        assert!(errors[0].to_string().contains("証跡!D6: 「abc」は SHA-256 として読めません"), "{}", errors[0]);
    }

    #[test]
    fn formulas_without_values_are_reported_cell_by_cell() {
        let form = FORM_SHEETS.iter().copied().find(|s| s.name == "時系列").unwrap();
        let f = |t: &str| Raw::Formula(t.into());
        let mut g = grid(&[
            (3, 0, "#title"),
            (4, 0, "incident.summary"),
            (10, 0, "#header:incident.timeline"),
            (10, 1, "日時（必須）"),
            (10, 2, "出来事"),
            (11, 0, "incident.timeline"),
            (11, 2, "電子カルテ停止"),
            (12, 0, "incident.timeline"),
            (13, 0, "incident.timeline"),
            (13, 1, "2025-06-22 09:00"),
            (13, 2, "復旧"),
        ]);
        g.get_mut(&4).unwrap().insert(2, f(r#""医療法人"&"テスト会""#));
        // The only filled cell of a row: the row is not blank, and not「必ず記入します」.
        g.get_mut(&11).unwrap().insert(1, f("DATE(2025,6,22)"));
        g.get_mut(&12).unwrap().insert(1, f("DATE(2025,6,23)"));
        g.get_mut(&12).unwrap().remove(&2);
        // A formula in column A and in a header.
        g.entry(14).or_default().insert(0, f("A12"));
        g.get_mut(&10).unwrap().insert(3, f("B11"));
        let mut p = empty_data();
        let mut errors = Vec::new();
        read_form_sheet(Path::new("w.xlsx"), &Registry::load(None).unwrap(), form, &g, &mut p, &mut errors);
        let all = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
        for want in [
            r#"時系列!C5: 数式「="医療法人"&"テスト会"」の計算結果が保存されていません"#,
            "時系列!B12: 数式「=DATE(2025,6,22)」の計算結果が保存されていません",
            "時系列!B13: 数式「=DATE(2025,6,23)」の計算結果が保存されていません",
            "時系列!A15: 数式「=A12」の計算結果が保存されていません。A列と見出しの行は",
            "時系列!D11: 数式「=B11」",
        ] {
            assert!(all.contains(want), "{want} in {all}");
        }
        assert!(!all.contains("必ず記入します"), "{all}");
        assert_eq!(errors.len(), 5, "{all}");
        let t = p.tables.iter().find(|t| t.table.key() == "incident.timeline").unwrap();
        assert_eq!(t.rows.len(), 1, "only the row without formulas");
    }

    #[test]
    fn the_self_check_s_day_of_filling_is_read_above_the_items() {
        let reg = Registry::load(None).unwrap();
        let ids: HashSet<String> = ["mhlw-r7".to_string()].into();
        let read = |value: &str| {
            let g = grid(&[
                (3, 0, "self_check.filled_on"),
                (3, 1, "記入日（この票を記入した日）"),
                (3, 3, value),
                (4, 0, "#header"),
                (4, 7, "回答（はい／いいえ）"),
                (5, 0, "mhlw-r7:2-06"),
                (5, 7, "はい"),
            ]);
            let (mut p, mut errors) = (empty_data(), Vec::new());
            let path = Path::new("w.xlsx");
            read_checklist_sheet(path, "チェックリスト", &g, &reg, &ids, &mut HashSet::new(), &mut p, &mut errors);
            (p, errors.iter().map(|e| e.to_string()).collect::<Vec<_>>())
        };
        let (p, errors) = read("Ｒ８．４．３");
        assert!(errors.is_empty(), "{errors:?}");
        let (field, val, at) = &p.scalars[0];
        assert_eq!(
            (field.key, val.clone(), at.to_string()),
            (
                "self_check.filled_on",
                Val::Date(crate::case::Date::ymd(2026, 4, 3).unwrap()),
                "チェックリスト!D4".into()
            )
        );
        assert_eq!(p.answers.len(), 1, "the items below are read as before");
        let (p, errors) = read("昨日");
        assert!(p.scalars.is_empty());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("チェックリスト!D4"), "{errors:?}");
    }

    #[test]
    fn a_formula_in_the_hidden_sheet_or_a_checklist_key_is_damage() {
        let mut meta = grid(&[(0, 0, "kensa-workbook"), (0, 1, "1"), (1, 0, "case_id"), (2, 0, "audience")]);
        meta.get_mut(&1).unwrap().insert(1, Raw::Formula("\"T-\"&1".into()));
        meta.get_mut(&2).unwrap().insert(1, Raw::Formula("A1".into()));
        let e = parse_meta(Path::new("w.xlsx"), &meta, true).unwrap_err().to_string();
        assert!(e.contains("隠しシート「_kensa」が壊れています") && e.contains("数式があります: B2、B3"), "{e}");

        let reg = Registry::load(None).unwrap();
        let mut g = grid(&[(3, 0, "#header"), (3, 7, "回答（はい／いいえ）"), (4, 7, "はい")]);
        g.get_mut(&4).unwrap().insert(0, Raw::Formula("\"mhlw-r7:2-06\"".into()));
        let ids: HashSet<String> = ["mhlw-r7".to_string()].into();
        let (mut p, mut errors) = (empty_data(), Vec::new());
        read_checklist_sheet(
            Path::new("w.xlsx"),
            "チェックリスト",
            &g,
            &reg,
            &ids,
            &mut HashSet::new(),
            &mut p,
            &mut errors,
        );
        let all = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n");
        assert!(all.contains(r#"チェックリスト!A5: 数式「="mhlw-r7:2-06"」の計算結果が保存されていません"#), "{all}");
        assert_eq!(errors.len(), 1, "{all}");
        assert!(p.answers.is_empty());
    }
}
