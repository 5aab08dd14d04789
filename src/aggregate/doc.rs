//! summary.md and summary.html: the summary's tables as a short report for a manager, in the
//! style of report.md; the HTML page printable, its charts drawn in the page as SVG (no script,
//! nothing loaded). Text that came from cases reaches Markdown escaped and HTML only through the
//! sanitizing renderer.

use super::summary::{Chart, Summary};
use super::table::{Cell, Table};
use crate::render::html;
use crate::text::md_cell_plain as md_cell;

/// The sections of the report, in order, with the sheets they hold.
const SECTIONS: [(&str, &[&str]); 10] = [
    ("概要", &["概要"]),
    ("実施率", &["実施率", "未実施"]),
    ("項目別の結果", &["項目別"]),
    ("適合率の低い項目", &["適合率の低い項目"]),
    ("遵守率", &["区分別"]),
    ("推移", &["推移"]),
    ("指導", &["指導"]),
    ("サイバー攻撃事案", &["事案"]),
    ("期限のある事項", &["期限"]),
    ("事業者別", &["事業者別"]),
];

/// Columns of the per-item table shown in the short report (the workbook has them all).
const ITEM_BRIEF: [usize; 9] = [0, 1, 4, 14, 15, 16, 17, 18, 10];

fn table_md(t: &Table) -> String {
    let cols: Vec<usize> = if t.sheet == "項目別" && t.headers.len() == super::summary::ITEM_HEADERS.len() {
        ITEM_BRIEF.to_vec()
    } else {
        (0..t.headers.len()).collect()
    };
    let mut out = format!("### {}\n\n", md_cell(&t.title));
    if t.rows.is_empty() {
        out.push_str("該当するものはありません。\n\n");
    } else {
        let head: Vec<String> = cols.iter().map(|c| md_cell(&t.headers[*c])).collect();
        out.push_str(&format!("| {} |\n", head.join(" | ")));
        let align: Vec<&str> = cols
            .iter()
            .map(|c| if t.rows.iter().any(|r| r.cells.get(*c).is_some_and(Cell::numeric)) { "---:" } else { "---" })
            .collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for r in &t.rows {
            // Numbers and symbols are kensa's own: written as they are; text is escaped. A zero
            // shows 「－」 as in summary.xlsx, whose number format writes every zero so.
            let cells: Vec<String> = cols
                .iter()
                .map(|c| match r.cells.get(*c) {
                    Some(Cell::Number(0)) => super::table::NONE.to_string(),
                    Some(x) if x.numeric() => x.show(),
                    Some(x) => md_cell(&x.show()),
                    None => String::new(),
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
    }
    for n in &t.notes {
        out.push_str(&format!("注: {}\n\n", md_cell(n)));
    }
    out
}

/// The Markdown of each section: (heading, body).
fn sections(s: &Summary) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut n = 0;
    for (title, sheets) in SECTIONS {
        let tables: Vec<&Table> = s.tables.iter().filter(|t| sheets.contains(&t.sheet.as_str())).collect();
        if tables.is_empty() {
            continue;
        }
        n += 1;
        let mut body = String::new();
        if title == "概要" {
            // The lead is kensa's own sentences and figures.
            for l in &s.lead {
                body.push_str(&format!("{l}\n\n"));
            }
        }
        for t in tables {
            body.push_str(&table_md(t));
        }
        out.push((format!("{n} {title}"), body));
    }
    out
}

fn notes_md(s: &Summary) -> String {
    s.notes.iter().map(|n| format!("- {}\n", md_cell(n))).collect()
}

/// summary.md.
pub fn markdown(s: &Summary) -> String {
    let mut out = format!("# {}\n\n{}現在\n\n", md_cell(&s.title), crate::wareki::format(s.as_of));
    for (h, body) in sections(s) {
        out.push_str(&format!("## {h}\n\n{body}"));
    }
    out.push_str(&format!("## 注記\n\n{}", notes_md(s)));
    out
}

/// The SVG of a horizontal bar chart of rates (0–100%).
pub fn svg(c: &Chart) -> String {
    const LABEL_W: usize = 300;
    const BAR_W: usize = 320;
    const ROW_H: usize = 18;
    let height = 30 + ROW_H * c.bars.len() + 24;
    let width = LABEL_W + BAR_W + 70;
    let mut out = format!(
        "<figure class=\"chart\"><svg role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-size=\"11\">",
        html::escape(&c.title)
    );
    out.push_str(&format!(
        "<text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{}</text>",
        html::escape(&c.title)
    ));
    for pct in [0, 25, 50, 75, 100] {
        let x = LABEL_W + BAR_W * pct / 100;
        out.push_str(&format!(
            "<line x1=\"{x}\" y1=\"26\" x2=\"{x}\" y2=\"{}\" stroke=\"#bbb\" stroke-width=\"1\"/>",
            height - 20
        ));
        out.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{pct}</text>",
            height - 6
        ));
    }
    for (k, b) in c.bars.iter().enumerate() {
        let y = 30 + ROW_H * k;
        let label: String = b.label.chars().take(24).collect();
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 6,
            y + 12,
            html::escape(&label)
        ));
        if let Some(t) = b.tenths {
            let w = (BAR_W as u64 * t.min(1000) / 1000) as usize;
            out.push_str(&format!(
                "<rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"#4a72b0\"/>",
                y + 2,
                ROW_H - 5
            ));
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\">{}</text>",
                LABEL_W + w + 4,
                y + 12,
                html::escape(&b.shown)
            ));
        } else {
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" fill=\"#555\">{}</text>",
                LABEL_W + 4,
                y + 12,
                html::escape(&b.shown)
            ));
        }
    }
    out.push_str("</svg></figure>\n");
    out
}

/// Extra print style of the summary: numbers right-aligned, charts kept on one page.
const CSS: &str = r#"table { font-size: 8.5pt; }
th { font-size: 8pt; }
td[style*="right"] { white-space: nowrap; }
figure.chart { margin: 0.5em 0 1.5em; break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; font-family: "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic", sans-serif; }
"#;

/// summary.html: the Markdown of each section rendered, a chart after the section it belongs to.
pub fn html(s: &Summary, _md: &str) -> String {
    let mut body = html::body(&format!("# {}\n\n{}現在\n\n", md_cell(&s.title), crate::wareki::format(s.as_of)));
    for (h, md) in sections(s) {
        body.push_str(&html::body(&format!("## {h}\n\n{md}")));
        for c in &s.charts {
            let belongs =
                (c.sheet == "項目別" && h.ends_with("項目別の結果")) || (c.sheet == "区分別" && h.ends_with("遵守率"));
            if belongs {
                body.push_str(&svg(c));
            }
        }
    }
    body.push_str(&html::body(&format!("## 注記\n\n{}", notes_md(s))));
    html::page_with_body(&s.title, &body, CSS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::summary::Bar;

    #[test]
    fn zeros_show_as_in_the_workbook() {
        let mut t = Table::new("概要", "読み込んだファイル", &["区分", "件数"]);
        t.rows.push(crate::aggregate::table::Row::new(
            vec![Cell::Text("読めなかったファイル".into()), Cell::Number(0)],
            1,
        ));
        t.rows.push(crate::aggregate::table::Row::new(vec![Cell::Text("事案ファイル".into()), Cell::Number(4)], 1));
        let md = table_md(&t);
        assert!(md.contains("| 読めなかったファイル | － |"), "{md}");
        assert!(md.contains("| 事案ファイル | 4 |"), "{md}");
        let h = html::body(&md);
        assert!(h.contains(">－</td>") && !h.contains(">0</td>"), "{h}");
    }

    #[test]
    fn charts_escape_labels_and_load_nothing() {
        let c = Chart {
            title: "適合率".into(),
            sheet: "項目別".into(),
            table_title: "t".into(),
            label_col: 1,
            value_col: 19,
            bars: vec![
                Bar { label: "<script>x</script>".into(), tenths: Some(625), shown: "62.5".into() },
                Bar { label: "b".into(), tenths: None, shown: "x".into() },
            ],
        };
        let s = svg(&c);
        assert!(!s.contains("<script"), "{s}");
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains(">62.5<") && s.contains(">x<"));
        assert!(!s.contains("href") && !s.contains("url("));
    }
}
