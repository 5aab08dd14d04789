//! Case + checklists → the field workbook (.xlsx bytes in memory): the shared cell formats,
//! drop-downs and protection here, the sheets in [`checklist`] and [`form`].

mod checklist;
mod form;

use super::*;
use crate::case::fields::{section_present, FormSheet, Kind, Part, Val, FORM_SHEETS, OPTIONAL_SECTIONS};
use crate::case::{Answer, Case, Date, Stamp};
use crate::checklist::{AnswerKind, Checklist, ChecklistKind, Registry};
use crate::error::{Error, Place, Result};
use crate::xlsx;
use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

pub use checklist::{answer_cols, sheet_items, sheet_rows, SheetRow};
use checklist::{checklist_sheet, sheet_fields};
use form::form_sheet;

/// Background of cells meant to be filled.
const INPUT_BG: &str = "#FFF6D5";
/// Background of input cells the item normally does not use.
const UNUSED_BG: &str = "#E7E6E6";
/// Background of the gate item's row.
const GATE_BG: &str = "#FCE4D6";
/// First column of the hidden sheet holding long drop-down lists.
const LIST_COL: u16 = 9;
/// Numbers above this are written as text (an Excel number holds 15–16 digits exactly).
const MAX_EXACT: u64 = 1 << 53;

fn xe(e: XlsxError) -> Error {
    Error::Build { what: "ワークブック", detail: e.to_string() }
}

/// The checklists a workbook carries, each with its sheet name.
pub fn checklist_sheets<'a>(
    case: &Case,
    reg: &'a Registry,
    audience: Audience,
) -> Result<Vec<(String, &'a Checklist)>> {
    let mut ids: Vec<&str> = case.inspection.checklists.iter().map(|s| s.as_str()).collect();
    for a in &case.answers {
        if !ids.contains(&a.item.checklist()) {
            ids.push(a.item.checklist());
        }
    }
    let mut out: Vec<(String, &Checklist)> = Vec::new();
    for id in ids {
        if id.is_empty() || out.iter().any(|(_, c)| c.id == id) {
            continue;
        }
        let c = reg.require(id, Place::Nowhere)?;
        if audience == Audience::Facility && !c.items.iter().any(|i| i.answer == AnswerKind::Yesno) {
            continue;
        }
        let base = match c.kind {
            ChecklistKind::Mhlw => "チェックリスト",
            ChecklistKind::Incident => "事案調査票",
            ChecklistKind::Onsite => "立入検査手順",
        };
        let name = if out.iter().any(|(n, _)| n == base) || FORM_SHEETS.iter().any(|s| s.name == base) {
            format!("{base}（{}）", c.id).chars().take(31).collect()
        } else {
            base.to_string()
        };
        out.push((name, c));
    }
    if out.is_empty() && audience == Audience::Facility {
        return Err(Error::Usage(
            "医療機関が記入する項目（はい／いいえ）のあるチェックリストが事案にありません（inspection.checklists）"
                .into(),
        ));
    }
    Ok(out)
}

/// Drop-down lists too long for a validation string, kept on the hidden sheet.
#[derive(Default)]
struct Lists {
    columns: Vec<Vec<String>>,
    /// The items of the workbook's checklists as their sheets show them (`医療機関確認用 2-⑥`):
    /// the drop-down of the 「関係するチェックリスト項目」 columns.
    items: Vec<String>,
}

impl Lists {
    fn formula<S: Into<String>>(&mut self, items: Vec<S>) -> Formula {
        let items: Vec<String> = items.into_iter().map(Into::into).collect();
        let idx = match self.columns.iter().position(|c| *c == items) {
            Some(i) => i,
            None => {
                self.columns.push(items.clone());
                self.columns.len() - 1
            }
        };
        let col = column_number_to_name(LIST_COL + idx as u16);
        Formula::new(format!("='{META_SHEET}'!${col}$1:${col}${}", items.len().max(1)))
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn cut(s: &str, max_utf16: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if utf16_len(&out) + c.len_utf16() > max_utf16 {
            break;
        }
        out.push(c);
    }
    out
}

/// The data validation of an input cell: drop-down, date, number, or an input message only.
fn validation(kind: Kind, title: &str, extra: &str, lists: &mut Lists) -> Result<DataValidation> {
    let dv = match kind.choices() {
        // Item references: the items of the workbook's checklists; several are joined with 「、」
        // (the Warning style lets a joined value stand).
        None if kind == Kind::ItemRefs && !lists.items.is_empty() => {
            let items = lists.items.clone();
            DataValidation::new().allow_list_formula(lists.formula(items))
        }
        Some(items) => {
            let joined: usize = items.iter().map(|s| utf16_len(s)).sum::<usize>() + items.len().saturating_sub(1);
            if joined <= 255 {
                DataValidation::new().allow_list_strings(&items).map_err(xe)?
            } else {
                DataValidation::new().allow_list_formula(lists.formula(items))
            }
        }
        None if kind.is_date() => {
            let min = ExcelDateTime::from_ymd(1900, 1, 1).map_err(xe)?;
            DataValidation::new().allow_date(DataValidationRule::GreaterThanOrEqualTo(min))
        }
        None => match kind {
            Kind::Num32 => DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            _ => DataValidation::new().allow_any_value(),
        },
    };
    let message = if extra.is_empty() { kind.hint() } else { format!("{extra}\n{}", kind.hint()) };
    let error = match kind {
        Kind::Date | Kind::Stamp => {
            "日付として読めない値です。令和7年6月1日、R7.6.1、2025/6/1 の形で記入してください。"
        }
        Kind::Num32 => "0以上の整数を記入してください。",
        _ => "一覧にない値です。一覧から選んでください（このまま入力すると、取り込み時に確認されます）。",
    };
    // Warning, not Stop: a value typed by hand (○, R7.6.1) is kept and checked on import.
    dv.set_input_title(cut(title, 32))
        .and_then(|d| d.set_input_message(cut(&message, 255)))
        .and_then(|d| d.set_error_title("入力の確認"))
        .and_then(|d| d.set_error_message(cut(error, 255)))
        .map(|d| d.set_error_style(DataValidationErrorStyle::Warning))
        .map_err(xe)
}

/// Cell formats of one workbook.
struct Fmts {
    title: Format,
    note: Format,
    header: Format,
    label: Format,
    group: Format,
    gate_label: Format,
}

impl Fmts {
    fn new() -> Fmts {
        Fmts {
            title: xlsx::base().set_bold().set_font_size(14.0).set_text_wrap(),
            note: xlsx::base().set_font_size(9.5),
            header: xlsx::header(),
            label: xlsx::cell(),
            group: xlsx::base().set_bold().set_font_size(11.5),
            gate_label: xlsx::cell().set_background_color(GATE_BG),
        }
    }

    /// The format of an input cell of `kind`.
    fn input(kind: Kind, bg: &str) -> Format {
        let f = match kind {
            Kind::Date | Kind::Target => xlsx::date_cell(false),
            Kind::Stamp => xlsx::datetime_cell(false),
            Kind::Num32 | Kind::Amount => xlsx::cell().set_num_format("#,##0").set_align(FormatAlign::Right),
            _ => xlsx::cell(),
        };
        f.set_unlocked().set_background_color(bg)
    }
}

/// The earliest date Excel shows correctly (its calendar wrongly has 1900-02-29).
fn excel_safe(d: chrono::NaiveDate) -> bool {
    d >= chrono::NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or(d)
}

/// Writes one value as a cell of `kind`: real dates and numbers where Excel can hold them
/// exactly, text otherwise (never a formula).
fn write_val(ws: &mut Worksheet, row: u32, col: u16, kind: Kind, val: &Val, bg: &str) -> Result<(), XlsxError> {
    let fmt = Fmts::input(kind, bg);
    let text_fmt = Fmts::input(Kind::Text, bg);
    match val {
        Val::Empty => {
            ws.write_blank(row, col, &fmt)?;
        }
        Val::Text(s) => xlsx::text(ws, row, col, s, &text_fmt)?,
        Val::Date(d) if excel_safe(d.0) => {
            ws.write_datetime_with_format(row, col, xlsx::excel_date(*d), &Fmts::input(Kind::Date, bg))?;
        }
        Val::Date(d) => xlsx::text(ws, row, col, &d.wareki(), &text_fmt)?,
        Val::Stamp(s) => {
            let midnight = s.time.is_some_and(|t| t == chrono::NaiveTime::MIN);
            if !excel_safe(s.date) || midnight {
                // Midnight would read back as a date without time: keep it as text.
                xlsx::text(ws, row, col, &stamp_text(s), &text_fmt)?
            } else if s.time.is_some() {
                ws.write_datetime_with_format(row, col, xlsx::excel_stamp(*s), &Fmts::input(Kind::Stamp, bg))?;
            } else {
                ws.write_datetime_with_format(row, col, xlsx::excel_stamp(*s), &Fmts::input(Kind::Date, bg))?;
            }
        }
        Val::Num(n) if *n <= MAX_EXACT => {
            ws.write_number_with_format(row, col, *n as f64, &Fmts::input(Kind::Amount, bg))?;
        }
        Val::Num(n) => xlsx::text(ws, row, col, &n.to_string(), &text_fmt)?,
        Val::Bool(b) => xlsx::text(ws, row, col, if *b { "はい" } else { "いいえ" }, &text_fmt)?,
        Val::List(v) => xlsx::text(ws, row, col, &v.join("、"), &text_fmt)?,
    }
    Ok(())
}

/// A stamp as text that reads back to the same value (seconds kept when present).
fn stamp_text(s: &Stamp) -> String {
    use chrono::Timelike;
    match s.time {
        Some(t) if t.second() != 0 => format!("{} {}", s.date.format("%Y-%m-%d"), t.format("%H:%M:%S")),
        _ => s.wareki(),
    }
}

fn protection() -> ProtectionOptions {
    ProtectionOptions {
        select_locked_cells: true,
        select_unlocked_cells: true,
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    }
}

/// The hidden sheet: what the workbook is, and the fingerprints of `exported`'s values for the
/// rows and fields the sheets of `case` show.
#[allow(clippy::too_many_arguments)]
fn meta_sheet(
    exported: &Case,
    case: &Case,
    audience: Audience,
    fiscal_year: Option<i32>,
    checklists: &[(String, &Checklist)],
    forms: &[&FormSheet],
    lists: &Lists,
) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name(META_SHEET).map_err(xe)?;
    let plain = Format::new();
    let mut rows: Vec<Vec<String>> = vec![
        vec![META_MAGIC.into(), WORKBOOK_FORMAT.into()],
        vec!["case_id".into(), case.case_id.clone()],
        vec!["audience".into(), audience.id().into()],
        vec!["case_format".into(), case.format.to_string()],
    ];
    for key in ABOUT_FIELDS {
        if let Some(f) = crate::case::fields::fields().find(|f| f.key == key) {
            let v = (f.get)(exported);
            if !v.is_blank(f.kind) {
                let text = match v {
                    Val::Num(n) => n.to_string(),
                    v => v.as_text(),
                };
                rows.push(vec!["about".into(), key.into(), text]);
            }
        }
    }
    if !exported.inspection.dates.is_empty() {
        let dates: Vec<String> = exported.inspection.dates.iter().map(|d| d.iso()).collect();
        rows.push(vec!["about".into(), "inspection.dates".into(), dates.join(",")]);
    }
    if let Some(fy) = fiscal_year {
        rows.push(vec![FISCAL_YEAR_KEY.into(), fy.to_string(), crate::wareki::format_fiscal_year(fy)]);
    }
    for (name, c) in checklists {
        rows.push(vec!["checklist".into(), c.id.clone(), c.edition.clone(), name.clone()]);
    }
    if audience == Audience::Inspector {
        for s in forms {
            rows.push(vec!["sheet".into(), s.name.into()]);
        }
        for (s, _) in OPTIONAL_SECTIONS {
            if section_present(case, s) {
                rows.push(vec!["present".into(), s.into()]);
            }
        }
    }
    for a in &exported.answers {
        rows.push(vec!["answer".into(), answer_key(&a.item, &a.system)]);
    }
    // What each value and row was at export, as fingerprints: the import tells from them which
    // side changed what (three-way merge). They are the sheet's last rows (`FINGERPRINT_KEYS`).
    for (field, _) in checklists.first().map(|_| sheet_fields(audience, true)).unwrap_or_default() {
        rows.push(vec![FIELD_BASE_KEY.into(), field.key.into(), (field.get)(exported).fingerprint()]);
    }
    for s in forms {
        for part in s.parts {
            match part {
                Part::Group(_, fields) => {
                    for f in *fields {
                        rows.push(vec![FIELD_BASE_KEY.into(), f.key.into(), (f.get)(exported).fingerprint()]);
                    }
                }
                Part::Table(t) => {
                    for (i, r) in t.rows(exported).iter().enumerate() {
                        let mut row = vec![ROW_BASE_KEY.into(), t.key().into(), i.to_string()];
                        row.extend(r.iter().map(|v| v.fingerprint()));
                        rows.push(row);
                    }
                }
            }
        }
    }
    for (_, c) in checklists {
        let cols = answer_cols(case, c, audience);
        for r in sheet_rows(case, c, audience) {
            let item = c.item_ref(r.item);
            let answer = exported
                .answer_for(&item, r.system)
                .cloned()
                .unwrap_or_else(|| Answer { system: r.system.to_string(), ..Answer::unanswered(item.clone()) });
            let mut row = vec![ANSWER_BASE_KEY.into(), answer_key(&item, r.system)];
            row.extend(cols.iter().map(|col| format!("{}={}", col.key, (col.get)(&answer).fingerprint())));
            rows.push(row);
        }
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, s) in cells.iter().enumerate() {
            xlsx::text(&mut ws, r as u32, c as u16, s, &plain).map_err(xe)?;
        }
    }
    xlsx::text(&mut ws, 0, 6, "このシートは kensa が取り込みに使います。変更しないでください。", &plain).map_err(xe)?;
    for (i, items) in lists.columns.iter().enumerate() {
        for (r, s) in items.iter().enumerate() {
            xlsx::text(&mut ws, r as u32, LIST_COL + i as u16, s, &plain).map_err(xe)?;
        }
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(ws)
}

/// Builds the workbook for a case.
pub fn build(case: &Case, reg: &Registry, audience: Audience) -> Result<Vec<u8>> {
    build_as_filled(case, case, reg, audience)
}

/// Builds the workbook for a case, a facility's self-check recording the 年度 it is made for:
/// `fiscal_year` where given (`--fiscal-year`), else the 年度 of the case's first date
/// ([`intended_year`]).
pub fn build_for_year(case: &Case, reg: &Registry, audience: Audience, fiscal_year: Option<i32>) -> Result<Vec<u8>> {
    build_filled_for_year(case, case, reg, audience, fiscal_year)
}

/// The 年度 a facility's self-check of `case` is made for: the one asked for, else the 年度 of
/// the case's first (planned) inspection date; none for the inspector's workbook, whose case
/// has its own dates.
pub fn intended_year(case: &Case, audience: Audience, asked: Option<i32>) -> Option<i32> {
    if audience != Audience::Facility {
        return None;
    }
    asked.or_else(|| case.inspection.dates.iter().min().map(|d| crate::wareki::fiscal_year(d.0)))
}

/// The workbook of `exported` as it comes back filled with the values of `filled`: the rows,
/// their identities and the record of the export are `exported`'s, the cells hold `filled`'s
/// values (row `i` of a list of `filled` stands in row `i` of `exported`'s; further rows are
/// additions). For tests and benchmarks that need workbooks filled as a person or another
/// program would fill them.
pub fn build_as_filled(exported: &Case, filled: &Case, reg: &Registry, audience: Audience) -> Result<Vec<u8>> {
    build_filled_for_year(exported, filled, reg, audience, None)
}

/// [`build_as_filled`] with the 年度 a facility's self-check is made for (as [`build_for_year`]).
pub fn build_filled_for_year(
    exported: &Case,
    filled: &Case,
    reg: &Registry,
    audience: Audience,
    fiscal_year: Option<i32>,
) -> Result<Vec<u8>> {
    let case = filled;
    let checklists = checklist_sheets(case, reg, audience)?;
    let forms: Vec<&FormSheet> = match audience {
        Audience::Inspector => FORM_SHEETS.iter().copied().filter(|s| (s.wanted)(case)).collect(),
        Audience::Facility => Vec::new(),
    };
    let f = Fmts::new();
    let mut lists = Lists {
        items: checklists.iter().flat_map(|(_, c)| c.items.iter().map(|i| c.item_name(i))).collect(),
        ..Lists::default()
    };
    let mut sheets = Vec::new();
    let mut forms_iter = forms.iter();
    if audience == Audience::Inspector {
        if let Some(first) = forms_iter.next() {
            sheets.push(form_sheet(exported, filled, first, &f, &mut lists)?);
        }
    }
    for (i, (name, c)) in checklists.iter().enumerate() {
        let fields = sheet_fields(audience, i == 0);
        sheets.push(checklist_sheet(filled, c, name, audience, &fields, &f, &mut lists)?);
    }
    for s in forms_iter {
        sheets.push(form_sheet(exported, filled, s, &f, &mut lists)?);
    }
    let year = intended_year(exported, audience, fiscal_year);
    let meta = meta_sheet(exported, filled, audience, year, &checklists, &forms, &lists)?;

    let mut wb = Workbook::new();
    // A fixed creation time keeps the output byte-stable for the same case.
    let fixed = Date(chrono::NaiveDate::from_ymd_opt(2019, 5, 1).unwrap_or_default());
    let created = xlsx::excel_date(case.inspection.dates.first().copied().unwrap_or(fixed));
    let title = format!("{} {}（{}）", case.facility.name.trim(), "現地用ワークブック", audience.label());
    let props = DocProperties::new()
        .set_title(xlsx::clean(&title))
        .set_subject(xlsx::clean(&format!("事案ID {}", case.case_id)))
        .set_author("kensa")
        .set_comment("kensa workbook で作成。kensa import で事案ファイルに取り込めます。")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    for s in sheets {
        wb.push_worksheet(s);
    }
    wb.push_worksheet(meta);
    wb.save_to_buffer().map_err(xe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Party;

    #[test]
    fn long_lists_go_to_the_hidden_sheet() {
        let mut lists = Lists::default();
        let dv = validation(Kind::Choice(Party::labels), "相手", "", &mut lists);
        assert!(dv.is_ok());
        assert!(lists.columns.is_empty(), "short list stays inline");
        let long: Vec<&'static str> =
            vec!["とても長い選択肢の文言です。これを何度も繰り返します"; 12];
        let dv = validation(
            Kind::Choice(|| vec!["とても長い選択肢の文言です。これを何度も繰り返します"; 12]),
            "長い",
            "",
            &mut lists,
        );
        assert!(dv.is_ok());
        assert_eq!(lists.columns, vec![long.iter().map(|s| s.to_string()).collect::<Vec<_>>()]);
        lists.formula(long);
        assert_eq!(lists.columns.len(), 1, "the same list is stored once");
    }

    #[test]
    fn item_columns_offer_the_items_of_the_checklists() {
        let mut lists = Lists {
            items: vec!["医療機関確認用 2-⑥".into(), "事業者確認用 2-⑥".into()],
            ..Lists::default()
        };
        assert!(validation(Kind::ItemRefs, "関係するチェックリスト項目", "", &mut lists).is_ok());
        assert_eq!(lists.columns, vec![lists.items.clone()]);
        let mut none = Lists::default();
        assert!(validation(Kind::ItemRefs, "関係するチェックリスト項目", "", &mut none).is_ok());
        assert!(none.columns.is_empty(), "no checklist, no list");
    }
}
