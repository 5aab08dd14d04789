//! The form sheets of the field workbook (概要, 時系列, 被害状況, …): groups of fields and
//! tables with blank rows for additions, laid out from the form schema.

use super::*;
use crate::case::fields::{Field, FormSheet, Part};

/// A form sheet of `exported`'s workbook holding `case`'s values (the same case but in tests).
pub(super) fn form_sheet(
    exported: &Case,
    case: &Case,
    sheet: &FormSheet,
    f: &Fmts,
    lists: &mut Lists,
) -> Result<Worksheet> {
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
                for (i, c) in t.columns().iter().enumerate() {
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
                for field in *fields {
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
                xlsx::text(&mut ws, row, 1, t.title(), &f.group).map_err(xe)?;
                row += 1;
                xlsx::text(&mut ws, row, 0, &format!("{HEADER_KEY}:{}", t.key()), &f.label).map_err(xe)?;
                let columns = t.columns();
                for (i, c) in columns.iter().enumerate() {
                    let h = if c.required { format!("{}（必須）", c.header) } else { c.header.to_string() };
                    xlsx::text(&mut ws, row, 1 + i as u16, &h, &f.header).map_err(xe)?;
                }
                ws.set_row_height(row, 30.0).map_err(xe)?;
                row += 1;
                let rows = t.rows(case);
                let first = row;
                let at_export = t.rows(exported).len();
                let existing = rows.iter().enumerate().map(|(n, r)| ((n < at_export).then_some(n), Some(r)));
                for (index, r) in existing.chain(std::iter::repeat_n((None, None), EXTRA_ROWS)) {
                    // A row of the case carries its identity (`measures#2`); blank rows the table's key.
                    let key = index.map(|n| row_key(t.key(), n)).unwrap_or_else(|| t.key().to_string());
                    xlsx::text(&mut ws, row, 0, &key, &f.label).map_err(xe)?;
                    let mut cells = Vec::new();
                    for (i, c) in columns.iter().enumerate() {
                        let val = r.and_then(|r| r.get(i)).cloned().unwrap_or(Val::Empty);
                        write_val(&mut ws, row, 1 + i as u16, c.kind, &val, INPUT_BG).map_err(xe)?;
                        cells.push((val.as_text(), w(1 + i as u16)));
                    }
                    if r.is_some() {
                        ws.set_row_height(row, xlsx::row_height(&cells)).map_err(xe)?;
                    }
                    row += 1;
                }
                for (i, c) in columns.iter().enumerate() {
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
