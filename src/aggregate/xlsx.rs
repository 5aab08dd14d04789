//! summary.xlsx: each table of the summary on its sheet (Japanese headers, rates as numbers
//! with one decimal, 和暦 date cells, print setup as report.xlsx), the charts, and, in the
//! internal edition, the facility × item matrix coloured by result, the open records and the
//! files read, streamed from staging files into constant-memory sheets.

use super::summary::Summary;
use super::table::{Cell, Table, SMALL_DENOMINATOR};
use super::tally::{ItemTally, Tally};
use super::{Listing, MatrixRow, OpenRow, MATRIX_FACILITY};
use crate::checklist::{Checklist, Item, Registry};
use crate::error::{Error, Result};
use crate::xlsx::{self, fit_width};
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::path::Path;

fn xe(e: XlsxError) -> Error {
    Error::Build { what: "集計のワークブック", detail: e.to_string() }
}

struct Fmts {
    title: Format,
    /// A table's title: one line running over the empty cells to its right.
    heading: Format,
    header: Format,
    text: Format,
    count: Format,
    rate: Format,
    rate_small: Format,
    secret: Format,
    note: Format,
    date: Format,
}

impl Fmts {
    fn new() -> Fmts {
        let num = xlsx::cell().set_align(FormatAlign::Right);
        Fmts {
            title: xlsx::base().set_bold().set_font_size(12.0).set_text_wrap(),
            heading: xlsx::base().set_bold().set_font_size(12.0),
            header: xlsx::header(),
            text: xlsx::cell(),
            count: num.clone().set_num_format("#,##0;-#,##0;\"－\""),
            rate: num.clone().set_num_format("0.0"),
            rate_small: num.clone().set_num_format("0.0\"*\""),
            secret: num,
            note: xlsx::base(),
            date: xlsx::date_cell(false),
        }
    }
}

/// Where a table's rates were written, for the charts.
struct Placed {
    sheet: String,
    title: String,
    first_row: u32,
    last_row: u32,
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, c: &Cell, f: &Fmts) -> std::result::Result<(), XlsxError> {
    match c {
        Cell::Text(s) => xlsx::text(ws, row, col, s, &f.text)?,
        Cell::Count(n) | Cell::Number(n) => {
            ws.write_number_with_format(row, col, *n as f64, &f.count)?;
        }
        Cell::Rate { num, den, den_facilities, .. } => match Cell::tenths(*num, *den) {
            Some(t) => {
                let fmt = if *den_facilities < SMALL_DENOMINATOR { &f.rate_small } else { &f.rate };
                ws.write_number_with_format(row, col, t as f64 / 10.0, fmt)?;
            }
            None => xlsx::text(ws, row, col, &c.show(), &f.secret)?,
        },
        Cell::Date(Some(d)) => {
            ws.write_datetime_with_format(row, col, xlsx::excel_date(crate::case::Date(*d)), &f.date)?;
        }
        Cell::Points(_) | Cell::Days(_) | Cell::Date(None) | Cell::Secret => {
            xlsx::text(ws, row, col, &c.show(), &f.secret)?
        }
    }
    Ok(())
}

/// Writes the tables of one sheet, one under another; returns where each was placed.
fn table_sheet(
    ws: &mut Worksheet,
    name: &str,
    tables: &[&Table],
    f: &Fmts,
    heading: &str,
    intro: &[String],
) -> Result<Vec<Placed>> {
    ws.set_name(name).map_err(xe)?;
    let width = tables.iter().map(|t| t.headers.len()).max().unwrap_or(1);
    let mut widths = vec![8.0f64; width];
    let mut row = 0u32;
    for (k, line) in intro.iter().enumerate() {
        // Across the columns of the tables, wrapped.
        let fmt = if k == 0 { &f.title } else { &f.note };
        ws.merge_range(row, 0, row, (width.max(2) - 1) as u16, "", fmt).map_err(xe)?;
        xlsx::text(ws, row, 0, line, fmt).map_err(xe)?;
        ws.set_row_height(row, xlsx::row_height(&[(line.clone(), 64.0)])).map_err(xe)?;
        row += 1;
    }
    if !intro.is_empty() {
        row += 1;
    }
    let mut placed = Vec::new();
    // The header row of the first table as wide as the sheet (printed on every page), and the
    // rows whose text wraps (their heights set once the widths are known).
    let mut title_row: Option<u32> = None;
    let mut wrapped: Vec<(u32, Vec<(usize, String)>)> = Vec::new();
    for t in tables {
        xlsx::text(ws, row, 0, &t.title, &f.heading).map_err(xe)?;
        row += 1;
        if title_row.is_none() && t.headers.len() == width {
            title_row = Some(row);
        }
        for (c, h) in t.headers.iter().enumerate() {
            xlsx::text(ws, row, c as u16, h, &f.header).map_err(xe)?;
            widths[c] = widths[c].max(fit_width([h.as_str()], 8.0, 24.0));
        }
        let first = row + 1;
        for r in &t.rows {
            row += 1;
            for (c, cell) in r.cells.iter().enumerate() {
                write_cell(ws, row, c as u16, cell, f).map_err(xe)?;
                let shown = cell.show();
                // The first column holds labels (区分, 種別) that must show whole.
                let cap = match c {
                    0 => 60.0,
                    1 | 2 => 40.0,
                    _ => 14.0,
                };
                widths[c] = widths[c].max(fit_width([shown.as_str()], 8.0, cap));
            }
            if width > WIDE {
                wrapped.push((row, r.cells.iter().enumerate().map(|(c, cell)| (c, cell.show())).collect()));
            }
        }
        placed.push(Placed { sheet: name.to_string(), title: t.title.clone(), first_row: first, last_row: row });
        for n in &t.notes {
            row += 1;
            ws.merge_range(row, 0, row, (width.max(2) - 1) as u16, "", &f.note).map_err(xe)?;
            xlsx::text(ws, row, 0, &format!("注: {n}"), &f.note).map_err(xe)?;
            let cols: f64 = widths.iter().sum();
            ws.set_row_height(row, xlsx::row_height(&[(n.clone(), cols)])).map_err(xe)?;
        }
        row += 2;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xe)?;
    }
    xlsx::print_setup(ws, width > 6, None, heading).map_err(xe)?;
    if width > WIDE {
        for (r, cells) in &wrapped {
            let cells: Vec<(String, f64)> = cells.iter().map(|(c, s)| (s.clone(), widths[*c])).collect();
            ws.set_row_height(*r, xlsx::row_height(&cells)).map_err(xe)?;
        }
        print_wide(ws, widths.iter().sum(), title_row, 1)?;
    }
    Ok(placed)
}

/// Columns beyond which a sheet is printed across several pages (項目別 has 22, 一覧 one per item).
const WIDE: usize = 12;

/// Column width (in Excel's units) one landscape A4 page holds at a readable size.
const PAGE_WIDTH: f64 = 130.0;

/// A sheet too wide for one A4 width printed landscape across as many pages as its columns
/// need (fitted to one page it could not be read), with its header row and its first columns up
/// to `label_cols` (番号・項目, or the facility) repeated on every page.
fn print_wide(ws: &mut Worksheet, total_width: f64, title_row: Option<u32>, label_cols: u16) -> Result<()> {
    let pages = (total_width / PAGE_WIDTH).ceil().clamp(1.0, 50.0) as u16;
    ws.set_landscape();
    ws.set_print_fit_to_pages(pages, 0);
    if let Some(r) = title_row {
        ws.set_repeat_rows(r, r).map_err(xe)?;
    }
    ws.set_repeat_columns(0, label_cols).map_err(xe)?;
    Ok(())
}

/// Writes summary.xlsx. `streamed`: the staging files of the matrix and the open records
/// (internal edition only).
pub fn write(
    path: &Path,
    s: &Summary,
    tally: &Tally,
    reg: &Registry,
    listing: &Listing,
    streamed: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> Result<()> {
    let f = Fmts::new();
    let mut wb = Workbook::new();
    // The fastest compression: the matrix and the open records are most of the file, and the
    // default level took a third of the writing time for a file about 1.6 times smaller.
    wb.set_zip_compression_level(1);
    if let Some(dir) = path.parent() {
        wb.set_tempdir(dir).map_err(xe)?;
    }
    let props = rust_xlsxwriter::DocProperties::new().set_title(xlsx::clean(&s.title)).set_author("kensa");
    wb.set_properties(&props);

    let mut names: Vec<&str> = Vec::new();
    for t in &s.tables {
        if !names.contains(&t.sheet.as_str()) {
            names.push(&t.sheet);
        }
    }
    let mut placed = Vec::new();
    for name in names {
        let tables: Vec<&Table> = s.tables.iter().filter(|t| t.sheet == name).collect();
        // The overview opens with the title, the lead and the notes on symbols.
        let intro: Vec<String> = if name == "概要" {
            std::iter::once(s.title.clone()).chain(s.lead.iter().cloned()).chain(s.notes.iter().cloned()).collect()
        } else {
            Vec::new()
        };
        let ws = wb.add_worksheet();
        placed.extend(table_sheet(ws, name, &tables, &f, &s.title, &intro)?);
    }
    charts(&mut wb, s, &placed)?;
    if let Some((matrix, open)) = streamed {
        // The two long sheets are filled at the same time, each on a thread of its own.
        let first = wb.worksheets().len();
        wb.add_worksheet_with_constant_memory().map_err(xe)?;
        wb.add_worksheet_with_constant_memory().map_err(xe)?;
        let items = tally.items_in_order(reg);
        let (m, o) = wb.worksheets_mut()[first..].split_at_mut(1);
        let (m, o, f) = (&mut m[0], &mut o[0], &f);
        std::thread::scope(|scope| {
            let filled = scope.spawn(move || open_sheet(o, &open, f));
            let matrix = matrix_sheet(m, &matrix, &items, f);
            let open = filled.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            matrix.and(open)
        })?;
        files_sheet(&mut wb, listing, f)?;
    }
    wb.save(path).map_err(xe)?;
    Ok(())
}

fn charts(wb: &mut Workbook, s: &Summary, placed: &[Placed]) -> Result<()> {
    let mut made = Vec::new();
    for c in &s.charts {
        let Some(p) = placed.iter().find(|p| p.sheet == c.sheet && p.title == c.table_title) else { continue };
        if p.last_row < p.first_row {
            continue;
        }
        let mut chart = Chart::new(ChartType::Bar);
        if c.label_col == 0 && c.value_col == 2 {
            // One row across sections: the labels are the headers, the values the first row.
            let last = (c.value_col + c.bars.len()).saturating_sub(1) as u16;
            chart
                .add_series()
                .set_categories((p.sheet.as_str(), p.first_row - 1, c.value_col as u16, p.first_row - 1, last))
                .set_values((p.sheet.as_str(), p.first_row, c.value_col as u16, p.first_row, last))
                .set_name(c.title.as_str());
        } else {
            chart
                .add_series()
                .set_categories((p.sheet.as_str(), p.first_row, c.label_col as u16, p.last_row, c.label_col as u16))
                .set_values((p.sheet.as_str(), p.first_row, c.value_col as u16, p.last_row, c.value_col as u16))
                .set_name(c.title.as_str());
        }
        chart.title().set_name(c.title.as_str());
        chart.x_axis().set_min(0.0).set_max(100.0);
        // Every item's label, not every second one.
        chart.y_axis().set_reverse().set_label_interval(1);
        chart.legend().set_hidden();
        made.push((chart, c.bars.len()));
    }
    if made.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name("グラフ").map_err(xe)?;
    let mut row = 0u32;
    for (chart, n) in &mut made {
        let height = (120 + 24 * *n as u32).min(2000);
        chart.set_width(900).set_height(height);
        ws.insert_chart(row, 0, chart).map_err(xe)?;
        row += height / 20 + 2;
    }
    // One page wide, as many pages down as the charts need.
    xlsx::print_setup(ws, false, None, "グラフ").map_err(xe)?;
    Ok(())
}

/// The colours of the matrix by result (the results as `staging_records` shows them).
fn result_fills() -> [(&'static str, &'static str); 4] {
    use crate::assess::Mhlw;
    [
        (Mhlw::Met.label(), "#C6EFCE"),
        (crate::case::Verification::Partial.label(), "#FFEB9C"),
        (Mhlw::NotMet.label(), "#FFC7CE"),
        (Mhlw::NotApplicable.label(), "#E7E6E6"),
    ]
}

/// The format of the matrix's item columns; the cells are written without one and take it.
fn result_column_format() -> Format {
    Format::new()
        .set_font_name(xlsx::FONT)
        .set_font_size(9.0)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
}

fn matrix_sheet(ws: &mut Worksheet, path: &Path, items: &[(&Checklist, &Item, &ItemTally)], f: &Fmts) -> Result<()> {
    let index: std::collections::HashMap<(&str, &str), u16> = items
        .iter()
        .enumerate()
        .map(|(k, (c, i, _))| ((c.id.as_str(), i.id.as_str()), (MATRIX_FACILITY.len() + k) as u16))
        .collect();
    ws.set_name("一覧").map_err(xe)?;
    // Column formats first: cells written without a format take their column's.
    let centred = result_column_format();
    for (c, h) in MATRIX_FACILITY.iter().enumerate() {
        ws.set_column_width(c as u16, if c == 1 { 28.0 } else { 12.0 }).map_err(xe)?;
        ws.set_column_format(c as u16, &f.text).map_err(xe)?;
        xlsx::text(ws, 0, c as u16, h, &f.header).map_err(xe)?;
    }
    for (k, (c, i, _)) in items.iter().enumerate() {
        let col = (MATRIX_FACILITY.len() + k) as u16;
        ws.set_column_width(col, 9.0).map_err(xe)?;
        ws.set_column_format(col, &centred).map_err(xe)?;
        xlsx::text(ws, 0, col, &format!("{}\n{}", c.edition, super::summary::item_number(c, i)), &f.header)
            .map_err(xe)?;
    }
    ws.set_row_height(0, 32).map_err(xe)?;
    let mut row = 0u32;
    for m in super::staged::<MatrixRow>(path)? {
        row += 1;
        for (c, v) in m.facility.iter().enumerate() {
            xlsx::text_in_column_format(ws, row, c as u16, v).map_err(xe)?;
        }
        let mut cells: Vec<(u16, &str)> =
            m.items.iter().filter_map(|(c, i, v)| Some((*index.get(&(c.as_str(), i.as_str()))?, v.as_str()))).collect();
        cells.sort();
        for (col, v) in cells {
            xlsx::text_in_column_format(ws, row, col, v).map_err(xe)?;
        }
    }
    let last_col = (MATRIX_FACILITY.len() + items.len()).saturating_sub(1) as u16;
    if !items.is_empty() && row > 0 {
        let rules = result_fills().map(|(result, fill)| (result, Format::new().set_background_color(fill)));
        xlsx::colour_by_value(ws, (1, MATRIX_FACILITY.len() as u16), (row, last_col), rules).map_err(xe)?;
    }
    ws.autofilter(0, 0, row.max(1), last_col).map_err(xe)?;
    ws.set_freeze_panes(1, 2).map_err(xe)?;
    xlsx::print_setup(ws, true, Some(0), "施設・項目別の結果").map_err(xe)?;
    let width = 28.0 + 12.0 * (MATRIX_FACILITY.len() - 1) as f64 + 9.0 * items.len() as f64;
    print_wide(ws, width, Some(0), 1)?;
    Ok(())
}

fn open_sheet(ws: &mut Worksheet, path: &Path, f: &Fmts) -> Result<()> {
    let headers = ["期限", "期限超過", "残り日数", "区分", "事案ID", "施設名", "内容", "担当", "状況", "記録の場所"];
    let widths = [16.0, 10.0, 10.0, 22.0, 16.0, 28.0, 48.0, 16.0, 16.0, 14.0];
    let over = xlsx::cell().set_font_color("#C00000").set_bold();
    ws.set_name("期限一覧").map_err(xe)?;
    // Column formats first: the cells are written without a format and take their column's (no
    // format looked up per cell); 期限超過 holds only the overdue marks, in red.
    for (c, (h, w)) in headers.iter().zip(widths).enumerate() {
        let format = match c {
            0 => &f.date,
            1 => &over,
            2 => &f.count,
            _ => &f.text,
        };
        ws.set_column_width(c as u16, w).map_err(xe)?;
        ws.set_column_format(c as u16, format).map_err(xe)?;
        xlsx::text(ws, 0, c as u16, h, &f.header).map_err(xe)?;
    }
    let mut row = 0u32;
    for o in super::staged::<OpenRow>(path)? {
        row += 1;
        ws.write_datetime(row, 0, xlsx::excel_date(crate::case::Date(o.due))).map_err(xe)?;
        if o.days_left < 0 {
            xlsx::text_in_column_format(ws, row, 1, &format!("{}日超過", -o.days_left)).map_err(xe)?;
        } else {
            ws.write_number(row, 2, o.days_left as f64).map_err(xe)?;
        }
        for (c, v) in [&o.kind, &o.case_id, &o.facility, &o.what, &o.owner, &o.status, &o.key].iter().enumerate() {
            xlsx::text_in_column_format(ws, row, 3 + c as u16, v).map_err(xe)?;
        }
    }
    ws.autofilter(0, 0, row.max(1), (headers.len() - 1) as u16).map_err(xe)?;
    ws.set_freeze_panes(1, 0).map_err(xe)?;
    xlsx::print_setup(ws, true, Some(0), "期限のある未了の事項").map_err(xe)?;
    Ok(())
}

fn files_sheet(wb: &mut Workbook, listing: &Listing, f: &Fmts) -> Result<()> {
    let ws = wb.add_worksheet();
    ws.set_name("読み込み").map_err(xe)?;
    for (c, (h, w)) in [("区分", 34.0), ("ファイル", 60.0), ("内容", 80.0)].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xe)?;
        xlsx::text(ws, 0, c as u16, h, &f.header).map_err(xe)?;
    }
    let mut rows: Vec<(&str, String, String)> = Vec::new();
    for e in &listing.unreadable {
        rows.push(("読めなかったファイル", String::new(), e.to_string()));
    }
    for p in &listing.skipped {
        rows.push(("kensa のワークブックではない", p.display().to_string(), String::new()));
    }
    for (p, id) in &listing.joined {
        rows.push((
            "事案に合わせて数えたワークブック",
            p.display().to_string(),
            format!("事案ID「{id}」の事案ファイル（又は先に読んだワークブック）に取り込んだものとして、一つの施設として数えました"),
        ));
    }
    for (p, what) in &listing.differences {
        rows.push(("記録の食い違い", p.display().to_string(), what.clone()));
    }
    for p in &listing.year_unknown {
        rows.push((
            "年度不明",
            p.display().to_string(),
            "実施日・確認日の記録がなく、年度が分かりません（年度不明として数えました）".to_string(),
        ));
    }
    for (p, id) in &listing.same_id {
        rows.push((
            "事案IDの重複",
            p.display().to_string(),
            format!("事案ID「{id}」の事案ファイルがほかにもあります（両方を数えました）"),
        ));
    }
    for (r, (a, b, c)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        xlsx::text(ws, r, 0, a, &f.text).map_err(xe)?;
        xlsx::text(ws, r, 1, b, &f.text).map_err(xe)?;
        xlsx::text(ws, r, 2, c, &f.text).map_err(xe)?;
    }
    if rows.is_empty() {
        xlsx::text(ws, 1, 0, "すべてのファイルを読み込みました", &f.text).map_err(xe)?;
    }
    xlsx::print_setup(ws, true, Some(0), "読み込んだファイル").map_err(xe)?;
    Ok(())
}
