//! The result sheets of report.xlsx: チェックリスト結果 (counts, chart, every item, causes),
//! 指導事項 and 証跡.

use super::*;
use crate::case::fields::{follow_up, shorts};
use rust_xlsxwriter::{Chart, ChartType};

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
    let rules = rules.map(|(value, fill, font)| (value, Format::new().set_background_color(fill).set_font_color(font)));
    crate::xlsx::colour_by_value(ws, (first, col), (last, col), rules)
}

pub(super) fn checklist(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("チェックリスト結果")?;
    let sheet = "チェックリスト結果";
    let c = &r.checklist;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} チェックリストの確認結果", r.no["checklist"]))?;

    g.heading("確認結果の件数")?;
    let labels: Vec<&str> = c.totals.iter().map(|t| t.label).collect();
    let mut head = vec!["チェックリスト", "対象項目"];
    head.extend(labels.iter().copied());
    g.header(&head)?;
    let header_row = g.row - 1;
    let write_counts =
        |g: &mut SheetWriter, name: &str, total: u64, counts: &[Count], bold: bool| -> Result<(), XlsxError> {
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

    if !c.vendors.is_empty() {
        // Counted apart from the facility's own items above.
        g.heading("事業者ごとの確認結果（事業者確認用：上の件数に含めません）")?;
        let labels: Vec<&str> = c.vendors[0].verification.iter().map(|a| a.label).collect();
        let mut head = vec!["システム", "事業者", "対象項目"];
        head.extend(labels.iter().copied());
        g.header(&head)?;
        for v in &c.vendors {
            g.t(0, &v.system_label)?;
            g.t(1, &v.vendor)?;
            g.count(2, Some(v.verified_items))?;
            for (i, n) in v.verification.iter().enumerate() {
                g.count(3 + i as u16, Some(n.count))?;
            }
            g.next();
        }
        g.gap();
        if c.vendors.iter().any(|v| v.items > 0) {
            g.heading("事業者ごとの回答（事業者確認用）")?;
            let labels: Vec<&str> = c.vendors[0].answers.iter().map(|a| a.label).collect();
            let mut head = vec!["システム", "事業者", "対象項目"];
            head.extend(labels.iter().copied());
            head.push("いいえ・不適合・一部適合の項目");
            g.header(&head)?;
            for v in &c.vendors {
                g.t(0, &v.system_label)?;
                g.t(1, &v.vendor)?;
                g.count(2, Some(v.items))?;
                for (i, n) in v.answers.iter().enumerate() {
                    g.count(3 + i as u16, Some(n.count))?;
                }
                g.t(3 + v.answers.len() as u16, &v.failed)?;
                g.next();
            }
            g.gap();
        }
    }

    if !c.causes.is_empty() {
        g.heading("原因と関係する項目")?;
        g.header(&[&["番号"][..], &shorts(&follow_up::CAUSES)].concat())?;
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
            g.text(3, cause.category)?;
            g.next();
        }
    }
    print(g.ws, true, Some(list_head), sheet, r)?;
    // チェックリスト, 番号, 項目, 回答, 確認日, 目標日, 確認結果, 実施状況, 確認方法, ガイドライン, 確認の内容
    g.finish_capped(50.0, &[(0, 22.0), (1, 18.0), (2, 40.0), (8, 14.0), (9, 20.0), (10, 40.0)])
}

pub(super) fn guidance(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("指導事項")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 指導事項", r.no["guidance"]))?;
    let c = shorts(&follow_up::GUIDANCE);
    g.header(&["番号", c[0], c[1], c[2], c[3], c[4], "求めた事項", c[7], c[8]])?;
    let head = g.row - 1;
    for (i, x) in r.guidance.iter().enumerate() {
        g.text(0, &format!("({})", i + 1))?;
        g.text(1, x.kind)?;
        g.t(2, &x.text)?;
        g.t(3, &x.items_text)?;
        g.when(4, &x.given)?;
        g.when(5, &x.reply_due)?;
        g.t(6, &x.requests)?;
        g.when(7, &x.replied)?;
        let action = match x.action_no {
            Some(n) => format!("({n}) {}", x.action.raw),
            None => String::new(),
        };
        g.text(8, &action)?;
        g.next();
    }
    print(g.ws, true, Some(head), "指導事項", r)?;
    g.finish(60.0)
}

/// 所管庁の対応: the authority's inspections, requests for reports and guidance, by date.
pub(super) fn authority(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("所管庁の対応")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 所管庁の対応", r.no["authority"]))?;
    let c = shorts(&follow_up::AUTHORITY_ACTIONS);
    g.header(&["番号", c[0], c[1], c[2], c[3], "指導事項"])?;
    let head = g.row - 1;
    for (i, a) in r.authority_actions.iter().enumerate() {
        g.text(0, &format!("({})", i + 1))?;
        g.text(1, a.kind)?;
        g.when(2, &a.on)?;
        g.t(3, &a.legal_basis)?;
        g.t(4, &a.text)?;
        g.text(5, &a.guidance)?;
        g.next();
    }
    print(g.ws, true, Some(head), "所管庁の対応", r)?;
    g.finish(60.0)
}

pub(super) fn evidence(ws: &mut Worksheet, r: &Report, iso: bool) -> Result<(), XlsxError> {
    ws.set_name("証跡")?;
    let mut g = SheetWriter::new(ws, iso);
    g.title(&format!("{} 証跡一覧", r.no["evidence"]))?;
    g.header(&[&shorts(&follow_up::EVIDENCE)[..], &["ファイルの確認"]].concat())?;
    let head = g.row - 1;
    for e in &r.evidence {
        g.t(0, &e.id)?;
        g.t(1, &e.file)?;
        g.t(2, &e.sha256)?;
        g.when(3, &e.collected)?;
        g.t(4, &e.collected_by)?;
        g.t(5, &e.description)?;
        g.text(6, e.state)?;
        g.next();
    }
    print(g.ws, true, Some(head), "証跡", r)?;
    g.finish(70.0)
}
