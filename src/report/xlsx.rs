//! report.xlsx: the report as sheets (概要, 時系列, 被害状況, 対応状況, 復旧状況, 再発防止策,
//! チェックリスト結果, 指導事項, 証跡). Dates are real date cells shown in 和暦 by number format;
//! case text is always written as a string (never a formula).

use super::{Count, DateStyle, Report, Text, When};
use crate::xlsx as x;
use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, Format, Workbook, Worksheet,
    XlsxError,
};

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
struct Grid<'a> {
    ws: &'a mut Worksheet,
    row: u32,
    iso: bool,
    widths: Vec<usize>,
    /// Text written in body cells, by row, to size row heights once the widths are known.
    cells: std::collections::BTreeMap<u32, Vec<(u16, String)>>,
}

impl<'a> Grid<'a> {
    fn new(ws: &'a mut Worksheet, iso: bool) -> Grid<'a> {
        Grid { ws, row: 0, iso, widths: Vec::new(), cells: std::collections::BTreeMap::new() }
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
            None => x::text(self.ws, self.row, col, "－", &x::cell())?,
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
        let mut g = Grid::new(ws, iso);
        g.title(&format!("{} 事案の概要（時系列）", r.no.get("incident").map(String::as_str).unwrap_or("")))?;
        g.header(&["日時", days_header(), "出来事"])?;
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
        x::text(g.ws, g.row, 0, super::DAYS_NOTE, &plain())?;
        print(g.ws, false, first.checked_sub(1), "時系列", r)?;
        g.finish(70.0)?;
    }
    if let Some(d) = &r.damage {
        damage(wb.add_worksheet(), r, d, iso)?;
    }
    if let Some(resp) = &r.response {
        response(wb.add_worksheet(), r, resp, iso)?;
    }
    if let Some(rec) = &r.recovery {
        recovery(wb.add_worksheet(), r, rec, iso)?;
    }
    if r.no.contains_key("measures") {
        measures(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("checklist") {
        checklist(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("guidance") {
        guidance(wb.add_worksheet(), r, iso)?;
    }
    if r.no.contains_key("evidence") {
        evidence(wb.add_worksheet(), r, iso)?;
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
    let mut g = Grid::new(ws, iso);
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
        g.header(&["システム", "事業者", "リモートメンテナンス", "備考"])?;
        for s in &r.facility.systems {
            g.t(0, &s.name)?;
            g.t(1, &s.vendor)?;
            g.text(2, s.remote)?;
            g.t(3, &s.note)?;
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

fn damage(ws: &mut Worksheet, r: &Report, d: &super::DamageView, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("被害状況")?;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} 被害状況", r.no["damage"]))?;
    if d.is_empty {
        g.text(0, "調査時点で把握している被害はありません")?;
        g.next();
    }
    if !d.summary.is_empty() {
        g.label(0, "概要")?;
        g.t(1, &d.summary)?;
        g.next();
        g.gap();
    }
    if !d.systems.is_empty() {
        g.heading("被害を受けたシステム及び機器")?;
        g.header(&["システム", "サーバ（台）", "端末PC（台）", "備考"])?;
        for s in &d.systems {
            g.t(0, &s.name)?;
            g.count(1, Some(s.servers))?;
            g.count(2, Some(s.pcs))?;
            g.t(3, &s.note)?;
            g.next();
        }
        g.label(0, "合計")?;
        g.count(1, Some(d.total_servers))?;
        g.count(2, Some(d.total_pcs))?;
        g.text(3, "")?;
        g.next();
        g.gap();
    }
    if !d.data.is_empty() {
        g.heading("データへの影響")?;
        g.header(&["状態", "件数", "本人の数", "データの項目", "備考"])?;
        for x in &d.data {
            g.text(0, x.kind)?;
            g.count(1, x.records)?;
            g.count(2, x.persons)?;
            g.t(3, &x.items)?;
            g.t(4, &x.note)?;
            g.next();
        }
        g.gap();
    }
    if !d.clinical.is_empty() {
        g.heading("診療への影響")?;
        g.header(&["区分", "内容", "停止・制限の開始日", "再開日", days_header(), "件数"])?;
        for c in &d.clinical {
            g.text(0, c.service)?;
            g.t(1, &c.text)?;
            g.when(2, &c.from)?;
            g.when(3, &c.to)?;
            g.days(4, c.to_days)?;
            g.count(5, c.count)?;
            g.next();
        }
        g.gap();
    }
    if let Some(p) = &d.paper {
        g.heading("紙運用")?;
        g.header(&["開始日", "終了日", days_header(), "内容"])?;
        g.when(0, &p.from)?;
        g.when(1, &p.to)?;
        g.days(2, p.to_days)?;
        g.t(3, &p.text)?;
        g.next();
        g.gap();
    }
    if let Some(cost) = d.cost_yen {
        g.label(0, "推計被害額（円）")?;
        g.count(1, Some(cost))?;
        g.next();
        g.gap();
    }
    x::text(g.ws, g.row, 0, super::DAYS_NOTE, &plain())?;
    print(g.ws, true, None, "被害状況", r)?;
    g.finish(60.0)
}

fn response(ws: &mut Worksheet, r: &Report, resp: &super::ResponseView, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("対応状況")?;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} 対応状況", r.no["response"]))?;
    if resp.is_empty {
        g.text(0, "調査時点で把握している対応はありません")?;
        g.next();
    }
    if !resp.summary.is_empty() {
        g.label(0, "概要")?;
        g.t(1, &resp.summary)?;
        g.next();
        g.gap();
    }
    if !resp.actions.is_empty() {
        g.heading("実施した対応")?;
        g.header(&["日時", days_header(), "内容"])?;
        for e in &resp.actions {
            g.when(0, &e.at)?;
            g.days(1, e.days)?;
            g.t(2, &e.text)?;
            g.next();
        }
        g.gap();
    }
    if !resp.notifications.is_empty() {
        g.heading("連絡及び報告")?;
        g.header(&["相手", "日時", days_header(), "内容"])?;
        for n in &resp.notifications {
            g.text(0, n.party)?;
            g.when(1, &n.at)?;
            g.days(2, n.days)?;
            g.t(3, &n.text)?;
            g.next();
        }
        g.gap();
    }
    x::text(g.ws, g.row, 0, super::DAYS_NOTE, &plain())?;
    print(g.ws, true, None, "対応状況", r)?;
    g.finish(60.0)
}

fn recovery(ws: &mut Worksheet, r: &Report, rec: &super::RecoveryView, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("復旧状況")?;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} 復旧状況", r.no["recovery"]))?;
    if !rec.summary.is_empty() {
        g.label(0, "概要")?;
        g.t(1, &rec.summary)?;
        g.next();
    }
    g.label(0, "全面復旧日")?;
    if rec.full_recovery.value.is_some() {
        g.when(1, &rec.full_recovery)?;
    } else {
        g.text(1, "全面復旧に至っていない")?;
    }
    g.next();
    g.label(0, days_header())?;
    g.days(1, rec.full_recovery_days)?;
    g.next();
    g.gap();
    if !rec.systems.is_empty() {
        g.heading("システムごとの復旧状況")?;
        g.header(&["システム", "状況", "復旧日", days_header(), "備考"])?;
        for s in &rec.systems {
            g.t(0, &s.name)?;
            g.text(1, s.status)?;
            g.when(2, &s.restored)?;
            g.days(3, s.days)?;
            g.t(4, &s.note)?;
            g.next();
        }
        g.gap();
    }
    if !rec.backups.is_empty() {
        g.heading("バックアップ")?;
        g.header(&["名称・媒体", "取得日", "保管", "復旧への使用", "備考"])?;
        for b in &rec.backups {
            g.t(0, &b.name)?;
            g.when(1, &b.taken)?;
            g.text(2, b.offline)?;
            g.text(3, b.used)?;
            g.t(4, &b.note)?;
            g.next();
        }
        g.gap();
    }
    x::text(g.ws, g.row, 0, super::DAYS_NOTE, &plain())?;
    print(g.ws, true, None, "復旧状況", r)?;
    g.finish(60.0)
}

fn measures(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("再発防止策")?;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} 再発防止策", r.no["measures"]))?;
    g.header(&["番号", "内容", "区分", "関係する項目", "担当", "期限", "状況", "完了日"])?;
    let head = g.row - 1;
    for (i, m) in r.measures.iter().enumerate() {
        g.text(0, &format!("({})", i + 1))?;
        g.t(1, &m.text)?;
        g.text(2, m.category)?;
        g.t(3, &m.items)?;
        g.t(4, &m.owner)?;
        g.when(5, &m.due)?;
        g.text(6, m.status)?;
        g.when(7, &m.completed)?;
        g.next();
    }
    if r.measures.is_empty() {
        g.text(0, "調査時点で再発防止策の報告はありません")?;
    }
    print(g.ws, true, Some(head), "再発防止策", r)?;
    g.finish(60.0)
}

fn result_colours(ws: &mut Worksheet, first: u32, last: u32, col: u16) -> Result<(), XlsxError> {
    let rules = [
        ("適合", "#C6EFCE", "#006100"),
        ("一部適合", "#FFEB9C", "#9C5700"),
        ("不適合", "#FFC7CE", "#9C0006"),
        ("該当なし", "#EDEDED", "#595959"),
        ("未確認", "#DDEBF7", "#1F4E78"),
        ("いいえ", "#FFC7CE", "#9C0006"),
        ("未実施", "#FFC7CE", "#9C0006"),
    ];
    for (value, fill, font) in rules {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(value))
            .set_format(Format::new().set_background_color(fill).set_font_color(font));
        ws.add_conditional_format(first, col, last, col, &cf)?;
    }
    Ok(())
}

fn checklist(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("チェックリスト結果")?;
    let sheet = "チェックリスト結果";
    let c = &r.checklist;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} チェックリストの確認結果", r.no["checklist"]))?;

    g.heading("確認結果の件数")?;
    let labels: Vec<&str> = c.totals.iter().map(|t| t.label).collect();
    let mut head = vec!["チェックリスト", "対象項目"];
    head.extend(labels.iter().copied());
    g.header(&head)?;
    let header_row = g.row - 1;
    let write_counts = |g: &mut Grid, name: &str, total: u64, counts: &[Count], bold: bool| -> Result<(), XlsxError> {
        if bold {
            g.label(0, name)?;
        } else {
            g.text(0, name)?;
        }
        g.count(1, Some(total))?;
        for (i, n) in counts.iter().enumerate() {
            g.count(2 + i as u16, Some(n.count))?;
        }
        g.next();
        Ok(())
    };
    for s in c.summaries.iter().filter(|s| s.verified_items > 0) {
        write_counts(&mut g, &s.title.raw, s.verified_items, &s.verification, false)?;
    }
    let total: u64 = c.summaries.iter().map(|s| s.verified_items).sum();
    write_counts(&mut g, "合計", total, &c.totals, true)?;
    let total_row = g.row - 1;
    let last_col = 1 + labels.len() as u16;
    g.gap();

    // A column chart of the totals.
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name("件数")
        .set_categories((sheet, header_row, 2, header_row, last_col))
        .set_values((sheet, total_row, 2, total_row, last_col));
    chart.title().set_name("確認結果の件数");
    chart.legend().set_hidden();
    g.ws.insert_chart(g.row, 0, &chart)?;
    g.row += 16;

    if c.summaries.iter().any(|s| s.yesno_items > 0) {
        g.heading("医療機関の回答の件数")?;
        let answer_labels: Vec<&str> = c.summaries[0].answers.iter().map(|a| a.label).collect();
        let mut head = vec!["チェックリスト", "対象項目"];
        head.extend(answer_labels.iter().copied());
        g.header(&head)?;
        for s in c.summaries.iter().filter(|s| s.yesno_items > 0) {
            write_counts(&mut g, &s.title.raw, s.yesno_items, &s.answers, false)?;
        }
        g.gap();
    }
    if c.summaries.iter().any(|s| s.done_items > 0) {
        g.heading("立入検査の手順の実施状況")?;
        let done_labels: Vec<&str> = c.summaries[0].done.iter().map(|a| a.label).collect();
        let mut head = vec!["手順", "対象手順"];
        head.extend(done_labels.iter().copied());
        g.header(&head)?;
        for s in c.summaries.iter().filter(|s| s.done_items > 0) {
            write_counts(&mut g, &s.title.raw, s.done_items, &s.done, false)?;
        }
        g.gap();
    }

    g.heading("項目ごとの確認結果")?;
    g.header(&[
        "チェックリスト",
        "番号",
        "項目",
        "回答",
        "確認日",
        "目標日",
        "確認結果",
        "実施状況",
        "確認方法",
        "ガイドライン",
        "確認の内容",
    ])?;
    let list_head = g.row - 1;
    let first = g.row;
    for row in &c.rows {
        g.t(0, &row.checklist)?;
        g.t(1, &row.label)?;
        g.t(2, &row.text)?;
        g.text(3, row.answer)?;
        g.when(4, &row.confirmed)?;
        g.when(5, &row.target)?;
        g.text(6, row.verification)?;
        g.text(7, row.done)?;
        g.t(8, &row.method)?;
        g.t(9, &row.guideline)?;
        g.t(10, &row.note)?;
        g.next();
    }
    let last = g.row.saturating_sub(1).max(first);
    result_colours(g.ws, first, last, 3)?;
    result_colours(g.ws, first, last, 6)?;
    result_colours(g.ws, first, last, 7)?;
    if !c.rows.is_empty() {
        g.ws.autofilter(list_head, 0, last, 10)?;
    }
    g.gap();

    if !c.causes.is_empty() {
        g.heading("原因と関係する項目")?;
        g.header(&["番号", "原因", "関係する項目"])?;
        for (i, cause) in c.causes.iter().enumerate() {
            g.text(0, &format!("({})", i + 1))?;
            g.t(1, &cause.text)?;
            let items: Vec<String> = cause
                .items
                .iter()
                .map(|i| {
                    if i.text.is_empty() {
                        i.label.raw.clone()
                    } else {
                        format!("{}（{}）", i.label.raw, i.text.raw)
                    }
                })
                .collect();
            g.text(2, &items.join("\n"))?;
            g.next();
        }
    }
    print(g.ws, true, Some(list_head), sheet, r)?;
    // チェックリスト, 番号, 項目, 回答, 確認日, 目標日, 確認結果, 実施状況, 確認方法, ガイドライン, 確認の内容
    g.finish_capped(50.0, &[(0, 22.0), (1, 18.0), (2, 40.0), (8, 14.0), (9, 20.0), (10, 40.0)])
}

fn guidance(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("指導事項")?;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} 指導事項", r.no["guidance"]))?;
    g.header(&["番号", "種別", "内容", "関係する項目", "指導日", "回答期限", "求めた事項"])?;
    let head = g.row - 1;
    for (i, x) in r.guidance.iter().enumerate() {
        g.text(0, &format!("({})", i + 1))?;
        g.text(1, x.kind)?;
        g.t(2, &x.text)?;
        g.t(3, &x.items_text)?;
        g.when(4, &x.given)?;
        g.when(5, &x.reply_due)?;
        g.t(6, &x.requests)?;
        g.next();
    }
    print(g.ws, true, Some(head), "指導事項", r)?;
    g.finish(60.0)
}

fn evidence(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("証跡")?;
    let mut g = Grid::new(ws, iso);
    g.title(&format!("{} 証跡一覧", r.no["evidence"]))?;
    g.header(&["ID", "ファイル", "SHA-256", "収集日時", "収集者", "説明"])?;
    let head = g.row - 1;
    for e in &r.evidence {
        g.t(0, &e.id)?;
        g.t(1, &e.file)?;
        g.t(2, &e.sha256)?;
        g.when(3, &e.collected)?;
        g.t(4, &e.collected_by)?;
        g.t(5, &e.description)?;
        g.next();
    }
    print(g.ws, true, Some(head), "証跡", r)?;
    g.finish(70.0)
}
