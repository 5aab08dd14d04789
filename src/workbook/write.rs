//! Case + checklists → the field workbook (.xlsx bytes in memory).

use super::*;
use crate::checklist::{Checklist, ChecklistKind, Item, Registry};
use crate::error::{Error, Result};
use crate::xlsx;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format, FormatAlign,
    Formula, ProtectionOptions, Workbook, Worksheet, XlsxError,
};

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
    Error::Other(format!("ワークブックを作成できません（{e}）"))
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
    let mut unknown = Vec::new();
    for id in ids {
        if id.is_empty() || out.iter().any(|(_, c)| c.id == id) {
            continue;
        }
        let Some(c) = reg.get(id) else {
            unknown.push(id.to_string());
            continue;
        };
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
    if !unknown.is_empty() {
        return Err(Error::Other(format!(
            "チェックリスト「{}」はありません（使えるもの: {}）。--checklists でフォルダを指定してください",
            unknown.join("」「"),
            reg.ids().join("、")
        )));
    }
    if out.is_empty() && audience == Audience::Facility {
        return Err(Error::Other(
            "医療機関が記入する項目（はい／いいえ）のあるチェックリストが事案にありません（inspection.checklists）"
                .into(),
        ));
    }
    Ok(out)
}

/// Drop-down lists too long for a validation string, kept on the hidden sheet.
#[derive(Default)]
struct Lists {
    columns: Vec<Vec<&'static str>>,
}

impl Lists {
    fn formula(&mut self, items: Vec<&'static str>) -> Formula {
        let idx = match self.columns.iter().position(|c| *c == items) {
            Some(i) => i,
            None => {
                self.columns.push(items.clone());
                self.columns.len() - 1
            }
        };
        let col = col_name(LIST_COL as u32 + idx as u32);
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
            Kind::Num32 | Kind::Num64 | Kind::Count => {
                DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            }
            _ => DataValidation::new().allow_any_value(),
        },
    };
    let message = if extra.is_empty() { kind.hint() } else { format!("{extra}\n{}", kind.hint()) };
    let error = match kind {
        Kind::Date | Kind::Stamp => {
            "日付として読めない値です。令和7年6月1日、R7.6.1、2025/6/1 の形で記入してください。"
        }
        Kind::Num32 | Kind::Num64 | Kind::Count => "0以上の整数を記入してください。",
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
            Kind::Date => xlsx::date_cell(false),
            Kind::Stamp => xlsx::datetime_cell(false),
            Kind::Num32 | Kind::Num64 | Kind::Count => {
                xlsx::cell().set_num_format("#,##0").set_align(FormatAlign::Right)
            }
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
            ws.write_number_with_format(row, col, *n as f64, &Fmts::input(Kind::Num64, bg))?;
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

fn guideline_text(item: &Item) -> String {
    item.guideline_refs.iter().map(|r| format!("▶{r}")).collect::<Vec<_>>().join("\n")
}

fn method_text(m: &[Method]) -> String {
    m.iter().map(|m| m.label()).collect::<Vec<_>>().join("、")
}

/// The items of a checklist shown to `audience`.
pub fn sheet_items(c: &Checklist, audience: Audience) -> Vec<&Item> {
    c.items.iter().filter(|i| audience == Audience::Inspector || i.answer == AnswerKind::Yesno).collect()
}

/// The answer columns of a checklist sheet.
pub fn answer_cols(case: &Case, c: &Checklist, audience: Audience) -> Vec<&'static AnswerCol> {
    ANSWER_COLS
        .iter()
        .filter(|col| match audience {
            Audience::Facility => col.facility,
            Audience::Inspector => {
                c.items.iter().any(|i| (col.applies)(i.answer))
                    || case
                        .answers
                        .iter()
                        .filter(|a| a.item.checklist() == c.id)
                        .any(|a| !(col.get)(a).is_blank(col.kind))
            }
        })
        .collect()
}

const CL_HEADER_ROW: u32 = 3;

fn checklist_sheet(
    case: &Case,
    c: &Checklist,
    name: &str,
    audience: Audience,
    f: &Fmts,
    lists: &mut Lists,
) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name(name).map_err(xe)?;
    let items = sheet_items(c, audience);
    let cols = answer_cols(case, c, audience);
    let first_input = 1 + LABEL_HEADERS.len() as u16;
    let last_col = first_input + cols.len() as u16 - 1;

    // Widths.
    let section_titles: Vec<String> =
        items.iter().map(|i| c.section(&i.section).map(|s| s.title.clone()).unwrap_or_default()).collect();
    // Narrow label columns (text wraps) so that a landscape A4 page stays legible.
    let label_widths = [
        xlsx::fit_width(items.iter().map(|i| i.number.as_str()).chain(["番号"]), 6.0, 9.0),
        12.0,
        if audience == Audience::Facility { 52.0 } else { 40.0 },
        10.0,
        xlsx::fit_width(items.iter().flat_map(|i| i.guideline_refs.iter().map(|s| s.as_str())), 10.0, 16.0) + 1.0,
        10.0,
    ];
    ws.set_column_width(0, 14.0).map_err(xe)?;
    ws.set_column_hidden(0).map_err(xe)?;
    for (i, w) in label_widths.iter().enumerate() {
        ws.set_column_width(1 + i as u16, *w).map_err(xe)?;
    }
    for (i, col) in cols.iter().enumerate() {
        ws.set_column_width(first_input + i as u16, col.width).map_err(xe)?;
    }
    let width_of = |col: u16| -> f64 {
        if col == 0 {
            14.0
        } else if col < first_input {
            label_widths[(col - 1) as usize]
        } else {
            cols[(col - first_input) as usize].width
        }
    };

    // Title rows.
    let title = c.full_title();
    ws.merge_range(0, 1, 0, last_col, &xlsx::clean(&title), &f.title).map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    let who =
        format!("施設名: {}　　事案ID: {}　　（{}）", case.facility.name.trim(), case.case_id.trim(), audience.label());
    ws.merge_range(1, 1, 1, last_col, &xlsx::clean(&who), &f.note).map_err(xe)?;
    let mut how = match audience {
        Audience::Facility => "医療機関の方へ: 各項目について、黄色の欄に「はい」「いいえ」を一覧から選び、確認日を記入してください。「いいえ」の場合は、年度内の目標日を記入してください。日付は 令和7年6月1日、R7.6.1、2025/6/1 のいずれの形でも記入できます。".to_string(),
        Audience::Inspector => "黄色の欄が記入欄です（灰色の欄はこの項目では通常使いません）。「回答」「確認日」「目標日」は医療機関の記入、「確認結果」以降は医療監視員の記入です。行の並べ替え・非表示をしても取り込めます（並べ替えは［校閲］→［シート保護の解除］の後に行います。パスワードはありません）。".to_string(),
    };
    if let Some(g) = c.gate() {
        how.push_str(&format!(
            "\n前提項目 {}「{}」が「いいえ」（医療情報システムを導入・運用していない）の場合、以降の項目はすべて確認不要です。",
            g.number,
            g.text.trim()
        ));
    }
    ws.merge_range(2, 1, 2, last_col, &xlsx::clean(&how), &f.note).map_err(xe)?;
    let total_width: f64 = (1..=last_col).map(width_of).sum();
    ws.set_row_height(2, xlsx::row_height(&[(how.clone(), total_width)])).map_err(xe)?;

    // Header.
    let hr = CL_HEADER_ROW;
    xlsx::text(&mut ws, hr, 0, HEADER_KEY, &f.label).map_err(xe)?;
    for (i, h) in LABEL_HEADERS.iter().enumerate() {
        xlsx::text(&mut ws, hr, 1 + i as u16, h, &f.header).map_err(xe)?;
    }
    for (i, col) in cols.iter().enumerate() {
        xlsx::text(&mut ws, hr, first_input + i as u16, col.header, &f.header).map_err(xe)?;
    }
    ws.set_row_height(hr, 32.0).map_err(xe)?;

    // Items.
    let first = hr + 1;
    let mut gate_row = None;
    for (n, item) in items.iter().enumerate() {
        let row = first + n as u32;
        let r = c.item_ref(item);
        let answer = case.answer(&r).cloned().unwrap_or_else(|| Answer::unanswered(r.clone()));
        let lf = if item.gate { &f.gate_label } else { &f.label };
        if item.gate {
            gate_row = Some(row);
        }
        let labels = [
            item.number.clone(),
            section_titles[n].clone(),
            item.text.trim().to_string(),
            Checklist::scope_text(item),
            guideline_text(item),
            method_text(&item.method),
        ];
        xlsx::text(&mut ws, row, 0, r.as_str(), &f.label).map_err(xe)?;
        let mut cells: Vec<(String, f64)> = Vec::new();
        for (i, l) in labels.iter().enumerate() {
            xlsx::text(&mut ws, row, 1 + i as u16, l, lf).map_err(xe)?;
            cells.push((l.clone(), width_of(1 + i as u16)));
        }
        for (i, col) in cols.iter().enumerate() {
            let val = (col.get)(&answer);
            let bg = if (col.applies)(item.answer) { INPUT_BG } else { UNUSED_BG };
            write_val(&mut ws, row, first_input + i as u16, col.kind, &val, bg).map_err(xe)?;
            cells.push((val.as_text(), width_of(first_input + i as u16)));
        }
        ws.set_row_height(row, xlsx::row_height(&cells)).map_err(xe)?;
    }
    let last = first + items.len().max(1) as u32 - 1;

    // Validations, one per column (the gate's answer cell has its own message).
    for (i, col) in cols.iter().enumerate() {
        let cx = first_input + i as u16;
        let dv = validation(col.kind, col.header, "", lists)?;
        match (gate_row, col.key) {
            (Some(g), "answer") => {
                if g > first {
                    ws.add_data_validation(first, cx, g - 1, cx, &dv).map_err(xe)?;
                }
                if g < last {
                    ws.add_data_validation(g + 1, cx, last, cx, &dv).map_err(xe)?;
                }
                let gate_dv =
                    validation(col.kind, "前提項目", "「いいえ」の場合、以降の項目はすべて確認不要です。", lists)?;
                ws.add_data_validation(g, cx, g, cx, &gate_dv).map_err(xe)?;
            }
            _ => {
                ws.add_data_validation(first, cx, last, cx, &dv).map_err(xe)?;
            }
        }
    }

    ws.set_freeze_panes(first, 0).map_err(xe)?;
    ws.autofilter(hr, 1, last, last_col).map_err(xe)?;
    xlsx::print_setup(&mut ws, true, None, &format!("{}　{}", c.title, case.facility.name)).map_err(xe)?;
    ws.set_repeat_rows(hr, hr).map_err(xe)?;
    ws.protect_with_options(&protection());
    Ok(ws)
}

fn form_sheet(case: &Case, sheet: &FormSheet, f: &Fmts, lists: &mut Lists) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name(sheet.name).map_err(xe)?;

    // Column widths: the widest need of any group or table in that column.
    let mut widths: Vec<f64> = vec![14.0];
    let mut need = |col: usize, w: f64| {
        if widths.len() <= col {
            widths.resize(col + 1, 8.0);
        }
        widths[col] = widths[col].max(w);
    };
    for part in sheet.parts {
        match part {
            Part::Group(_, fields) => {
                need(1, xlsx::fit_width(fields.iter().map(|f| f.label), 14.0, 30.0));
                need(2, 44.0);
            }
            Part::Table(t) => {
                for (i, c) in t.columns.iter().enumerate() {
                    need(1 + i, c.width.max(xlsx::fit_width([c.header], 8.0, 24.0)));
                }
            }
        }
    }
    let last_col = (widths.len() - 1).max(3) as u16;
    if widths.len() <= last_col as usize {
        widths.resize(last_col as usize + 1, 8.0);
    }
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(i as u16, *w).map_err(xe)?;
    }
    ws.set_column_hidden(0).map_err(xe)?;
    let w = |col: u16| widths.get(col as usize).copied().unwrap_or(8.0);

    ws.merge_range(0, 1, 0, last_col, sheet.title, &f.title).map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    let how = format!(
        "施設名: {}　　事案ID: {}\n黄色の欄に記入してください。各表の下の空欄行に追記できます（足りない場合は行を挿入してください）。日付は 令和7年6月1日、R7.6.1、2025/6/1 のいずれの形でも記入できます。",
        case.facility.name.trim(),
        case.case_id.trim()
    );
    ws.merge_range(1, 1, 1, last_col, &xlsx::clean(&how), &f.note).map_err(xe)?;
    let total: f64 = (1..=last_col).map(w).sum();
    ws.set_row_height(1, xlsx::row_height(&[(how.clone(), total)])).map_err(xe)?;

    let mut row: u32 = FORM_FIRST_ROW;
    for part in sheet.parts {
        match part {
            Part::Group(title, fields) => {
                xlsx::text(&mut ws, row, 0, TITLE_KEY, &f.label).map_err(xe)?;
                xlsx::text(&mut ws, row, 1, title, &f.group).map_err(xe)?;
                row += 1;
                for field in fields.iter() {
                    let val = (field.get)(case);
                    xlsx::text(&mut ws, row, 0, field.key, &f.label).map_err(xe)?;
                    xlsx::text(&mut ws, row, 1, field.label, &f.header.clone().set_align(FormatAlign::Left))
                        .map_err(xe)?;
                    write_val(&mut ws, row, 2, field.kind, &val, INPUT_BG).map_err(xe)?;
                    let dv = validation(field.kind, field.label, "", lists)?;
                    ws.add_data_validation(row, 2, row, 2, &dv).map_err(xe)?;
                    let h = xlsx::row_height(&[(val.as_text(), w(2)), (field.label.to_string(), w(1))]);
                    ws.set_row_height(row, if field.is_long_text() { h.max(44.0) } else { h }).map_err(xe)?;
                    row += 1;
                }
                row += 1;
            }
            Part::Table(t) => {
                xlsx::text(&mut ws, row, 0, TITLE_KEY, &f.label).map_err(xe)?;
                xlsx::text(&mut ws, row, 1, t.title, &f.group).map_err(xe)?;
                row += 1;
                xlsx::text(&mut ws, row, 0, &format!("{HEADER_KEY}:{}", t.key), &f.label).map_err(xe)?;
                for (i, c) in t.columns.iter().enumerate() {
                    let h = if c.required { format!("{}（必須）", c.header) } else { c.header.to_string() };
                    xlsx::text(&mut ws, row, 1 + i as u16, &h, &f.header).map_err(xe)?;
                }
                ws.set_row_height(row, 30.0).map_err(xe)?;
                row += 1;
                let rows = (t.get)(case);
                let first = row;
                for r in rows.iter().map(Some).chain(std::iter::repeat_n(None, EXTRA_ROWS)) {
                    xlsx::text(&mut ws, row, 0, t.key, &f.label).map_err(xe)?;
                    let mut cells = Vec::new();
                    for (i, c) in t.columns.iter().enumerate() {
                        let val = r.and_then(|r| r.get(i)).cloned().unwrap_or(Val::Empty);
                        write_val(&mut ws, row, 1 + i as u16, c.kind, &val, INPUT_BG).map_err(xe)?;
                        cells.push((val.as_text(), w(1 + i as u16)));
                    }
                    if r.is_some() {
                        ws.set_row_height(row, xlsx::row_height(&cells)).map_err(xe)?;
                    }
                    row += 1;
                }
                for (i, c) in t.columns.iter().enumerate() {
                    let dv = validation(c.kind, c.header, "", lists)?;
                    ws.add_data_validation(first, 1 + i as u16, row - 1, 1 + i as u16, &dv).map_err(xe)?;
                }
                row += 1;
            }
        }
    }
    ws.set_freeze_panes(2, 0).map_err(xe)?;
    xlsx::print_setup(&mut ws, sheet.landscape, Some(0), &format!("{}　{}", sheet.title, case.facility.name))
        .map_err(xe)?;
    ws.protect_with_options(&protection());
    Ok(ws)
}

impl Field {
    fn is_long_text(&self) -> bool {
        matches!(
            self.key,
            "inspection.note" | "incident.summary" | "damage.summary" | "response.summary" | "recovery.summary"
        )
    }
}

fn meta_sheet(
    case: &Case,
    audience: Audience,
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
    for (name, c) in checklists {
        rows.push(vec!["checklist".into(), c.id.clone(), c.edition.clone(), name.clone()]);
    }
    if audience == Audience::Inspector {
        for s in forms {
            rows.push(vec!["sheet".into(), s.name.into()]);
        }
        for s in SECTIONS {
            if section_present(case, s) {
                rows.push(vec!["present".into(), s.into()]);
            }
        }
    }
    for a in &case.answers {
        rows.push(vec!["answer".into(), a.item.to_string()]);
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
    let checklists = checklist_sheets(case, reg, audience)?;
    let forms: Vec<&FormSheet> = match audience {
        Audience::Inspector => FORM_SHEETS.iter().filter(|s| (s.wanted)(case)).collect(),
        Audience::Facility => Vec::new(),
    };
    let f = Fmts::new();
    let mut lists = Lists::default();
    let mut sheets = Vec::new();
    let mut forms_iter = forms.iter();
    if audience == Audience::Inspector {
        if let Some(first) = forms_iter.next() {
            sheets.push(form_sheet(case, first, &f, &mut lists)?);
        }
    }
    for (name, c) in &checklists {
        sheets.push(checklist_sheet(case, c, name, audience, &f, &mut lists)?);
    }
    for s in forms_iter {
        sheets.push(form_sheet(case, s, &f, &mut lists)?);
    }
    let meta = meta_sheet(case, audience, &checklists, &forms, &lists)?;

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
        assert_eq!(lists.columns, vec![long.clone()]);
        lists.formula(long);
        assert_eq!(lists.columns.len(), 1, "the same list is stored once");
    }
}
