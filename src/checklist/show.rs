//! Checklists shown to people: the list as an aligned table, one checklist as text or as a
//! Markdown table.

use super::{Checklist, Registry};
use crate::text::{md_cell, md_inline, pad, width};

/// The list of checklists as an aligned table.
pub fn list(reg: &Registry) -> String {
    let rows: Vec<[String; 5]> = reg
        .checklists
        .values()
        .map(|(c, origin)| {
            [c.id.clone(), c.edition.clone(), c.items.len().to_string(), c.title.clone(), origin.to_string()]
        })
        .collect();
    let head = ["ID", "版", "項目数", "名称", "出典"].map(String::from);
    let mut widths = [0usize; 5];
    for r in std::iter::once(&head).chain(rows.iter()) {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(cell));
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&head).chain(rows.iter()) {
        let line: Vec<String> = r.iter().enumerate().map(|(i, c)| pad(c, widths[i])).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn joined<T: std::fmt::Display>(v: &[T]) -> String {
    v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("、")
}

/// A checklist as plain text, item by item.
pub fn show_text(c: &Checklist) -> String {
    let mut out = format!(
        "{}\nID: {}  項目数: {}  引用するガイドライン: {}\n",
        c.full_title(),
        c.id,
        c.items.len(),
        c.guideline_edition()
    );
    if !c.description.is_empty() {
        out.push_str(&format!("{}\n", c.description));
    }
    let mut section = "";
    for item in &c.items {
        if item.section != section {
            section = &item.section;
            if let Some(s) = c.section(section) {
                let sheet = if s.sheet.is_empty() { String::new() } else { format!("［{}］", s.sheet) };
                out.push_str(&format!("\n{sheet}{}（回答者: {}）\n", s.title, s.respondent));
            }
        }
        out.push_str(&format!("  {} {}{}\n", item.number, item.text, if item.verified { "" } else { " ※文言要確認" }));
        let mut meta = vec![format!("ID {}", item.id), format!("回答 {}", item.answer.label())];
        if !item.scope.is_empty() {
            meta.push(format!("対象 {}", Checklist::scope_text(item)));
        }
        if !item.guideline_refs.is_empty() {
            meta.push(format!("ガイドライン {}", item.guideline_text(" ")));
        }
        if !item.method.is_empty() {
            meta.push(format!("確認方法 {}", joined(&item.method)));
        }
        if let Some(fy) = item.target_fiscal_year {
            meta.push(format!("目標 {}", crate::wareki::format_fiscal_year(fy)));
        }
        if item.responsibility {
            meta.push("責任分界を回答".to_string());
        }
        if let Some(s) = &item.successor {
            meta.push(format!("後継 {}", s));
        }
        if !item.predecessors.is_empty() {
            meta.push(format!("前の版 {}", joined(&item.predecessors)));
        }
        out.push_str(&format!("      {}\n", meta.join(" ｜ ")));
        if !item.source.trim().is_empty() {
            out.push_str(&format!("      文言の出典: {}\n", item.source.trim()));
        }
        if item.gate {
            out.push_str("      ※前提項目: 「いいえ」の場合、他の項目の確認は不要です\n");
        }
    }
    out
}

/// A checklist as a Markdown table.
pub fn show_md(c: &Checklist) -> String {
    let mut out = format!("# {}\n\n", md_inline(&c.full_title()));
    if !c.description.is_empty() {
        out.push_str(&format!("{}\n\n", md_inline(&c.description)));
    }
    for (sheet, items) in c.sheets() {
        if !sheet.is_empty() {
            out.push_str(&format!("## {}\n\n", md_inline(&sheet)));
        }
        out.push_str(
            "| 番号 | 項目 | 対象 | ガイドライン | 確認方法 | 回答 | ID | 文言の出典 |\n|---|---|---|---|---|---|---|---|\n",
        );
        for item in items {
            let text = if item.verified { item.text.clone() } else { format!("{} ※文言要確認", item.text) };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                md_cell(&item.number),
                md_cell(&text),
                md_cell(&Checklist::scope_text(item)),
                md_cell(&item.guideline_text(" ")),
                md_cell(&joined(&item.method)),
                md_cell(item.answer.label()),
                md_cell(&item.id),
                md_cell(item.source.trim()),
            ));
        }
        out.push('\n');
    }
    out
}
