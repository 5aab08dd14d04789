//! The checklist sheets of the field workbook: one row per item, the labels locked and the
//! answer columns open, with drop-downs and the gate item marked.

use super::*;
use crate::case::fields::{AnswerCol, Field, ANSWER_COLS, LABEL_HEADERS};
use crate::case::{Answer, Method};
use crate::checklist::Item;
use crate::checklist::Respondent;

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

/// One row of a checklist sheet: an item, answered for the facility (`system` empty) or for
/// one system's vendor.
#[derive(Debug, Clone, Copy)]
pub struct SheetRow<'a> {
    pub item: &'a Item,
    pub system: &'a str,
}

/// The rows of a checklist sheet. Where the facility lists its systems, the 事業者確認用 items
/// get one block per system (answered by that system's vendor) after the facility's own items;
/// a facility-wide row of a vendor item stays only where no system is listed or the case
/// already holds a facility-wide answer to it.
pub fn sheet_rows<'a>(case: &'a Case, c: &'a Checklist, audience: Audience) -> Vec<SheetRow<'a>> {
    let systems: Vec<&str> = case.vendor_systems();
    let vendor = |i: &Item| c.kind == ChecklistKind::Mhlw && i.respondent == Respondent::Vendor;
    let items = sheet_items(c, audience);
    let mut rows = Vec::new();
    for item in &items {
        let keep_wide = !vendor(item)
            || systems.is_empty()
            || case.answer_for(&c.item_ref(item), "").is_some_and(|a| a != &Answer::unanswered(a.item.clone()));
        if keep_wide {
            rows.push(SheetRow { item, system: "" });
        }
    }
    for system in systems {
        for item in items.iter().filter(|i| vendor(i)) {
            rows.push(SheetRow { item, system });
        }
    }
    rows
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

/// A field of the case shown above a checklist sheet's items, with its label there.
pub(super) type SheetField = (&'static Field, &'static str);

/// The fields shown above the items of a checklist sheet: the self-check's own fields on the
/// first sheet of a facility's workbook ([`SELF_CHECK_FIELDS`]), none elsewhere.
pub(super) fn sheet_fields(audience: Audience, first: bool) -> Vec<SheetField> {
    if audience != Audience::Facility || !first {
        return Vec::new();
    }
    SELF_CHECK_FIELDS
        .iter()
        .filter_map(|(key, label)| crate::case::fields::fields().find(|f| f.key == *key).map(|f| (f, *label)))
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub(super) fn checklist_sheet(
    case: &Case,
    c: &Checklist,
    name: &str,
    audience: Audience,
    fields: &[SheetField],
    f: &Fmts,
    lists: &mut Lists,
) -> Result<Worksheet> {
    let mut ws = Worksheet::new();
    ws.set_name(name).map_err(xe)?;
    let rows = sheet_rows(case, c, audience);
    let items: Vec<&Item> = rows.iter().map(|r| r.item).collect();
    let cols = answer_cols(case, c, audience);
    let first_input = 1 + LABEL_HEADERS.len() as u16;
    let last_col = first_input + cols.len() as u16 - 1;

    // Widths.
    let section_titles: Vec<String> = rows
        .iter()
        .map(|r| {
            let title = c.section(&r.item.section).map(|s| s.title.clone()).unwrap_or_default();
            if r.system.is_empty() {
                title
            } else {
                let vendor = case.facility.systems.iter().find(|s| s.name.trim() == r.system).map(|s| s.vendor.trim());
                match vendor.filter(|v| !v.is_empty()) {
                    Some(v) => format!("{title}［{}（{v}）］", r.system),
                    None => format!("{title}［{}］", r.system),
                }
            }
        })
        .collect();
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
        Audience::Facility => "医療機関の方へ: 各項目について、黄色の欄に「はい」「いいえ」を一覧から選び、確認日を記入してください。「いいえ」の場合は、年度内の目標日を記入してください。記入を終えた日を「記入日」の欄に記入してください。日付は 令和7年6月1日、R7.6.1、2025/6/1 のいずれの形でも記入できます。".to_string(),
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

    // The case's fields shown on this sheet, a row each above the header.
    for (i, (field, label)) in fields.iter().enumerate() {
        let row = CL_HEADER_ROW + i as u32;
        let col = SHEET_FIELD_COL;
        xlsx::text(&mut ws, row, 0, field.key, &f.label).map_err(xe)?;
        ws.merge_range(row, 1, row, col - 1, &xlsx::clean(label), &f.label).map_err(xe)?;
        write_val(&mut ws, row, col, field.kind, &(field.get)(case), INPUT_BG).map_err(xe)?;
        let dv = validation(field.kind, label, "", lists)?;
        ws.add_data_validation(row, col, row, col, &dv).map_err(xe)?;
        let label_width: f64 = (1..col).map(width_of).sum();
        ws.set_row_height(row, xlsx::row_height(&[(label.to_string(), label_width)])).map_err(xe)?;
    }

    // Header.
    let hr = CL_HEADER_ROW + fields.len() as u32;
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
    for (n, sheet_row) in rows.iter().enumerate() {
        let item = sheet_row.item;
        let row = first + n as u32;
        let r = c.item_ref(item);
        let answer = case
            .answer_for(&r, sheet_row.system)
            .cloned()
            .unwrap_or_else(|| Answer { system: sheet_row.system.to_string(), ..Answer::unanswered(r.clone()) });
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
        xlsx::text(&mut ws, row, 0, &answer_key(&r, sheet_row.system), &f.label).map_err(xe)?;
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
