//! report.xlsx: the report as sheets (概要, 時系列, 被害状況, 対応状況, 復旧状況, 再発防止策,
//! チェックリスト結果, 指導事項, 証跡). Dates are real date cells shown in 和暦 by number format;
//! case text is always written as a string (never a formula).

mod incident_sheets;
mod result_sheets;

use crate::assess::Count;
use crate::case::fields::{incident, overview, shorts};
use crate::report::{DateStyle, Qty, Report, Text, When, DAYS_NOTE};
use crate::xlsx as x;
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

/// Shown in a number cell: `3日後`, `2日前`, `当日`; the cell keeps the number.
const DAYS_FORMAT: &str = "0\"日後\";0\"日前\";\"当日\"";
const COUNT_FORMAT: &str = "#,##0";

fn days_cell() -> Format {
    x::cell().set_num_format(DAYS_FORMAT)
}

fn count_cell() -> Format {
    x::cell().set_num_format(COUNT_FORMAT)
}

/// Text that overflows into the empty cells to its right instead of wrapping.
fn plain() -> Format {
    Format::new().set_font_name(x::FONT).set_font_size(x::FONT_SIZE)
}

fn title_format() -> Format {
    plain().set_bold().set_font_size(14.0)
}

fn heading_format() -> Format {
    plain().set_bold().set_font_size(11.0)
}

fn label_format() -> Format {
    x::cell().set_bold().set_background_color("#F2F2F2")
}

/// Writes rows top to bottom on one sheet and remembers how wide each column must be.
struct SheetWriter<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    iso: bool,
    widths: Vec<usize>,
    /// Text written in body cells, by row, to size row heights once the widths are known.
    cells: std::collections::BTreeMap<u32, Vec<(u16, String)>>,
}

impl<'a> SheetWriter<'a> {
    fn new(ws: &'a mut Worksheet, iso: bool) -> SheetWriter<'a> {
        SheetWriter { ws, row: 0, iso, widths: Vec::new(), cells: std::collections::BTreeMap::new() }
    }

    fn measure(&mut self, col: u16, s: &str) {
        let w = s.lines().map(crate::text::width).max().unwrap_or(0);
        let c = col as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(w);
    }

    fn title(&mut self, s: &str) -> Result<(), XlsxError> {
        x::text(self.ws, self.row, 0, s, &title_format())?;
        self.ws.set_row_height(self.row, 24)?;
        self.row += 2;
        Ok(())
    }

    fn heading(&mut self, s: &str) -> Result<(), XlsxError> {
        x::text(self.ws, self.row, 0, s, &heading_format())?;
        self.row += 1;
        Ok(())
    }

    fn header(&mut self, cols: &[&str]) -> Result<(), XlsxError> {
        for (i, c) in cols.iter().enumerate() {
            x::text(self.ws, self.row, i as u16, c, &x::header())?;
            self.measure(i as u16, c);
            self.cells.entry(self.row).or_default().push((i as u16, c.to_string()));
        }
        self.row += 1;
        Ok(())
    }

    fn text(&mut self, col: u16, s: &str) -> Result<(), XlsxError> {
        let s = if s.is_empty() { "－" } else { s };
        x::text(self.ws, self.row, col, s, &x::cell())?;
        self.measure(col, s);
        self.cells.entry(self.row).or_default().push((col, s.to_string()));
        Ok(())
    }

    fn t(&mut self, col: u16, t: &Text) -> Result<(), XlsxError> {
        self.text(col, &t.raw)
    }

    fn label(&mut self, col: u16, s: &str) -> Result<(), XlsxError> {
        x::text(self.ws, self.row, col, s, &label_format())?;
        self.measure(col, s);
        Ok(())
    }

    fn when(&mut self, col: u16, w: &When) -> Result<(), XlsxError> {
        match w.value {
            Some(s) => x::stamp(self.ws, self.row, col, Some(s), self.iso)?,
            // No date: "－", or a target in words (令和8年度, 次期システム更改時).
            None => x::text(self.ws, self.row, col, &w.text, &x::cell())?,
        }
        self.measure(col, &w.text);
        Ok(())
    }

    fn count(&mut self, col: u16, n: Option<u64>) -> Result<(), XlsxError> {
        match n {
            Some(n) => {
                self.ws.write_number_with_format(self.row, col, n as f64, &count_cell())?;
                self.measure(col, &crate::text::thousands(n));
            }
            None => x::text(self.ws, self.row, col, "－", &x::cell())?,
        }
        Ok(())
    }

    /// A count: a number cell where exact, its words (約2,200, 不明) otherwise, － where none.
    fn qty(&mut self, col: u16, q: &Qty) -> Result<(), XlsxError> {
        match q.0 {
            Some(a) if a.is_exact() => self.count(col, a.value),
            Some(a) => self.text(col, &a.text()),
            None => self.count(col, None),
        }
    }

    fn days(&mut self, col: u16, d: Option<i64>) -> Result<(), XlsxError> {
        match d {
            Some(d) => {
                self.ws.write_number_with_format(self.row, col, d as f64, &days_cell())?;
                self.measure(col, &format!("{d}日後"));
            }
            None => x::text(self.ws, self.row, col, "－", &x::cell())?,
        }
        Ok(())
    }

    fn next(&mut self) {
        self.row += 1;
    }

    fn gap(&mut self) {
        self.row += 1;
    }

    /// A two-column table of label and value.
    fn pairs(&mut self, rows: &[(String, Text)]) -> Result<(), XlsxError> {
        for (label, value) in rows {
            self.label(0, label)?;
            self.t(1, value)?;
            self.next();
        }
        Ok(())
    }

    fn finish(self, max: f64) -> Result<(), XlsxError> {
        self.finish_capped(max, &[])
    }

    /// Like `finish`, with a narrower limit for some columns (text wraps inside them), so that
    /// a wide table still prints legibly on A4.
    fn finish_capped(self, max: f64, caps: &[(u16, f64)]) -> Result<(), XlsxError> {
        let mut widths = Vec::with_capacity(self.widths.len());
        for (i, w) in self.widths.iter().enumerate() {
            let cap = caps.iter().find(|(c, _)| *c as usize == i).map(|(_, m)| *m).unwrap_or(max);
            let width = ((*w as f64) * 1.1 + 2.0).clamp(6.0, cap);
            self.ws.set_column_width(i as u16, width)?;
            widths.push(width);
        }
        // Wrapped text needs taller rows; not every program sizes them when it opens the file.
        for (row, cells) in &self.cells {
            let sized: Vec<(String, f64)> =
                cells.iter().map(|(c, s)| (s.clone(), widths.get(*c as usize).copied().unwrap_or(max))).collect();
            let h = x::row_height(&sized);
            if h > 18.5 {
                self.ws.set_row_height(*row, h)?;
            }
        }
        Ok(())
    }
}

fn days_header() -> &'static str {
    "覚知からの日数"
}

/// Builds the workbook in memory.
pub fn workbook(r: &Report, style: DateStyle) -> Result<Vec<u8>, XlsxError> {
    let iso = style == DateStyle::Iso;
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(x::clean(&r.title.raw))
        .set_subject(x::clean(&r.facility_name.raw))
        .set_author(x::clean(if r.authority.raw.is_empty() { &r.sender.raw } else { &r.authority.raw }))
        .set_comment(format!("kensa {} / case.toml SHA-256 {}", r.closing.version, r.closing.sha256))
        .set_creation_datetime(&r.closing.generated_at_value);
    wb.set_properties(&props);

    overview(wb.add_worksheet(), r, iso)?;
    if let Some(inc) = &r.incident {
        let ws = wb.add_worksheet();
        ws.set_name("時系列")?;
        let mut g = SheetWriter::new(ws, iso);
        g.title(&format!("{} 事案の概要（時系列）", r.no.get("incident").map(String::as_str).unwrap_or("")))?;
        let c = shorts(&incident::TIMELINE);
        g.header(&[c[0], days_header(), c[1]])?;
        let first = g.row;
        for e in &inc.timeline {
            g.when(0, &e.at)?;
            g.days(1, e.days)?;
            g.t(2, &e.text)?;
            g.next();
        }
        if inc.timeline.is_empty() {
            g.text(0, "時系列の記録はありません")?;
            g.next();
        }
        g.gap();
        x::text(g.ws, g.row, 0, DAYS_NOTE, &plain())?;
        print(g.ws, false, first.checked_sub(1), "時系列", r)?;
        g.finish(70.0)?;
    }
    if let Some(d) = &r.damage {
        incident_sheets::damage(wb.add_worksheet(), r, d, iso)?;
    }
    if let Some(resp) = &r.response {
        incident_sheets::response(wb.add_worksheet(), r, resp, iso)?;
    }
    if let Some(rec) = &r.recovery {
        incident_sheets::recovery(wb.add_worksheet(), r, rec, iso)?;
    }
    if let Some(inv) = &r.investigation {
        incident_sheets::investigation(wb.add_worksheet(), r, inv, iso)?;
    }
    if r.no.contains_key("measures") {
        incident_sheets::measures(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("checklist") {
        result_sheets::checklist(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("authority") {
        result_sheets::authority(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("guidance") {
        result_sheets::guidance(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("evidence") {
        result_sheets::evidence(wb.add_worksheet(), r, iso)?;
    }
    wb.save_to_buffer()
}

fn print(
    ws: &mut Worksheet,
    landscape: bool,
    header_row: Option<u32>,
    sheet: &str,
    r: &Report,
) -> Result<(), XlsxError> {
    let title = format!("{}　{}", r.facility_name.raw, sheet);
    x::print_setup(ws, landscape, None, &title)?;
    if let Some(h) = header_row {
        ws.set_repeat_rows(h, h)?;
    }
    Ok(())
}

fn overview(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("概要")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&r.title.raw)?;
    g.label(0, "報告日")?;
    g.when(
        1,
        &When { value: Some(crate::case::Stamp::day(r.closing.generated_at_value.date())), text: r.date.clone() },
    )?;
    g.next();
    g.pairs(&[("宛先".into(), r.addressee.clone()), ("発信者".into(), r.sender.clone())])?;
    g.gap();

    g.heading(&format!("{} 施設の概要", r.no["facility"]))?;
    let rows: Vec<(String, Text)> = r.facility.rows.iter().map(|row| (row.label.clone(), row.value.clone())).collect();
    g.pairs(&rows)?;
    if !r.facility.systems.is_empty() {
        g.gap();
        g.heading("医療情報システム")?;
        g.header(&shorts(&overview::SYSTEMS))?;
        for s in &r.facility.systems {
            g.t(0, &s.name)?;
            g.t(1, &s.vendor)?;
            g.text(2, s.remote)?;
            g.t(3, &s.note)?;
            g.next();
        }
    }
    if !r.facility.connections.is_empty() {
        g.gap();
        g.heading("外部との接続")?;
        g.header(&shorts(&overview::CONNECTIONS))?;
        for c in &r.facility.connections {
            g.t(0, &c.name)?;
            g.text(1, c.kind)?;
            g.t(2, &c.party)?;
            g.t(3, &c.purpose)?;
            g.t(4, &c.note)?;
            g.next();
        }
    }
    g.gap();

    let i = &r.inspection;
    g.heading(&format!("{} 調査（立入検査）の概要", r.no["inspection"]))?;
    g.label(0, "種別")?;
    g.text(1, &i.kind)?;
    g.next();
    g.label(0, "根拠法令")?;
    g.text(1, &i.legal_basis.iter().map(|t| t.raw.as_str()).collect::<Vec<_>>().join("、"))?;
    g.next();
    if i.dates.is_empty() {
        g.label(0, "実施日")?;
        g.text(1, "")?;
        g.next();
    }
    for d in &i.dates {
        g.label(0, "実施日")?;
        g.when(1, d)?;
        g.next();
    }
    g.label(0, "使用したチェックリスト")?;
    g.text(1, &i.checklists.iter().map(|t| t.raw.as_str()).collect::<Vec<_>>().join("\n"))?;
    g.next();
    for p in &i.inspectors {
        g.label(0, "医療監視員")?;
        let id = if p.id_number.is_empty() { String::new() } else { format!("（{}）", p.id_number.raw) };
        g.text(1, &format!("{}{}　身分を示す証明書: {}", p.name.raw, id, p.id_shown))?;
        g.next();
    }
    for a in &i.attendees {
        g.label(0, "立会者")?;
        let role = if a.role.is_empty() { String::new() } else { format!("（{}）", a.role.raw) };
        g.text(1, &format!("{}{}", a.name.raw, role))?;
        g.next();
    }
    for (n, d) in i.documents.iter().enumerate() {
        g.label(0, &format!("確認した書類 ({})", n + 1))?;
        g.t(1, d)?;
        g.next();
    }
    if !i.note.is_empty() {
        g.label(0, "講評")?;
        g.t(1, &i.note)?;
        g.next();
    }
    if let Some(inc) = &r.incident {
        g.gap();
        g.heading(&format!("{} 事案の概要", r.no["incident"]))?;
        if !inc.summary.is_empty() {
            g.label(0, "概要")?;
            g.t(1, &inc.summary)?;
            g.next();
        }
        let rows: Vec<(String, Text)> = inc.rows.iter().map(|row| (row.label.clone(), row.value.clone())).collect();
        g.pairs(&rows)?;
        if !inc.same_route.is_empty() {
            g.gap();
            g.heading(incident::SAME_ROUTE.title)?;
            g.header(&shorts(&incident::SAME_ROUTE))?;
            for f in &inc.same_route {
                g.t(0, &f.name)?;
                g.t(1, &f.note)?;
                g.next();
            }
        }
    }
    g.gap();
    g.label(0, "作成元の事案ファイル")?;
    g.text(1, &format!("{}（SHA-256: {}）", r.closing.case_file.raw, r.closing.sha256))?;
    g.next();
    g.label(0, "作成")?;
    g.text(1, &format!("kensa {}　{}", r.closing.version, r.closing.generated_at))?;
    g.next();
    print(g.ws, true, None, "概要", r)?;
    // The value column wraps long text; the label column fits its labels.
    g.finish_capped(60.0, &[(0, 30.0), (2, 14.0), (3, 34.0)])
}
