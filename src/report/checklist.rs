//! The checklist part of the report: counts per result (from [`crate::assess`]), failed items
//! with their causes and guidance, and every answered item.

use super::*;
use crate::assess::{self, ItemStatus};
use crate::case::{Case, ItemRef};

/// `医療機関確認用 2-⑤` for an item reference; the reference itself for an unknown item.
fn item_label(reg: &Registry, r: &ItemRef) -> (String, String) {
    match reg.item(r) {
        Some((c, item)) => (c.item_name(item), item.text.clone()),
        None => (r.to_string(), String::new()),
    }
}

pub(super) fn item_labels(reg: &Registry, refs: &[ItemRef]) -> Vec<ItemLabel> {
    refs.iter()
        .map(|r| {
            let (label, text) = item_label(reg, r);
            ItemLabel { label: Text::cell(&label), text: Text::cell(&text) }
        })
        .collect()
}

pub(super) fn item_list_text(reg: &Registry, refs: &[ItemRef]) -> String {
    refs.iter().map(|r| item_label(reg, r).0).collect::<Vec<_>>().join("、")
}

pub(super) fn checklist_view(case: &Case, reg: &Registry, style: DateStyle) -> ChecklistView {
    // Checklists in the order of inspection.checklists, then any others the answers use.
    let mut ids: Vec<String> = case.inspection.checklists.clone();
    for a in &case.answers {
        let id = a.item.checklist().to_string();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut summaries = Vec::new();
    let mut totals = assess::counts(&assess::verification_labels(), std::iter::empty());
    for id in &ids {
        let Some(c) = reg.get(id) else { continue };
        // The facility's own items; the 事業者確認用 are counted per vendor (`vendor_views`).
        let n = assess::split_counts(case, c).own;
        for (t, v) in totals.iter_mut().zip(&n.verification) {
            t.count += v.count;
        }
        summaries.push(ChecklistSummary {
            id: Text::cell(&c.id),
            title: Text::cell(&c.title),
            items: c.items.len() as u64,
            verified_items: n.verified_items,
            verification: n.verification,
            yesno_items: n.yesno_items,
            answers: n.answers,
            done_items: n.done_items,
            done: n.done,
        });
    }

    let gate_no = assess::gate_no(case, reg);

    let mut failed: Vec<FailedGroup> = Vec::new();
    let mut failed_count = 0;
    let mut partial_count = 0;
    let mut rows = Vec::new();
    for a in &case.answers {
        let found = reg.item(&a.item);
        let (label, text) = item_label(reg, &a.item);
        // An answer of one system's vendor names the system.
        let label = if a.system.is_empty() { label } else { format!("{label}（{}）", a.system) };
        // 責任分界 of a vendor item (令和8年度版): who is responsible, beside the item's name.
        let label = match a.responsibility {
            Some(r) => format!("{label}［責任分界: {}］", r.label()),
            None => label,
        };
        let checklist = found.map(|(c, _)| c.title.clone()).unwrap_or_else(|| a.item.checklist().to_string());
        let refs = found.map(|(_, i)| i.guideline_text(" ")).unwrap_or_default();
        let gate = found.is_some_and(|(_, i)| i.gate);
        rows.push(ResultRow {
            checklist: Text::cell(&checklist),
            label: Text::cell(&label),
            text: Text::cell(&text),
            answer: label_or_dash(a.answer, |y| y.label()),
            confirmed: When::date(a.confirmed_on, style),
            target: When::target(a.target_on, style),
            verification: label_or_dash(a.verification, |v| v.label()),
            done: label_or_dash(a.done, |d| d.label()),
            method: Text::cell(&a.method.iter().map(|m| m.label()).collect::<Vec<_>>().join("、")),
            guideline: Text::cell(&refs),
            note: Text::cell(if a.note.is_empty() { &a.text } else { &a.note }),
        });
        let status = ItemStatus::of(a);
        if status.to_put_right(gate) {
            failed_count += 1;
            if status.partial() && !status.failed(gate) {
                partial_count += 1;
            }
            let group = match failed.iter_mut().position(|g| g.checklist.raw == checklist) {
                Some(i) => &mut failed[i],
                None => {
                    failed.push(FailedGroup { checklist: Text::inline(&checklist), items: Vec::new() });
                    let last = failed.len() - 1;
                    &mut failed[last]
                }
            };
            group.items.push(FailedItem {
                checklist: Text::cell(&checklist),
                label: Text::cell(&label),
                text: Text::cell(&text),
                answer: label_or_dash(a.answer, |y| y.label()),
                verification: label_or_dash(a.verification, |v| v.label()),
                confirmed: When::date(a.confirmed_on, style),
                target: When::target(a.target_on, style),
                guideline: Text::cell(&refs),
                note: Text::cell(&a.note),
                causes: case
                    .causes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.items.contains(&a.item))
                    .map(|(i, _)| i + 1)
                    .collect(),
                guidance: case
                    .guidance
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| g.items.contains(&a.item))
                    .map(|(i, _)| i + 1)
                    .collect(),
            });
        }
    }
    let causes = case
        .causes
        .iter()
        .map(|c| CauseView {
            text: Text::inline(&c.text),
            items: item_labels(reg, &c.items),
            category: c.category.map(|k| k.label()).unwrap_or(""),
        })
        .collect();
    let vendors = vendor_views(case, reg, &ids);
    ChecklistView { summaries, failed, failed_count, partial_count, causes, rows, totals, gate_no, vendors }
}

/// The 事業者確認用 per vendor, apart from the facility's counts: what each system's vendor
/// answered, how it was verified and which items failed (one entry for the facility as a whole
/// where they are not answered per vendor).
fn vendor_views(case: &Case, reg: &Registry, ids: &[String]) -> Vec<VendorView> {
    let mut out: Vec<VendorView> = Vec::new();
    for c in ids.iter().filter_map(|id| reg.get(id)) {
        let split = assess::split_counts(case, c);
        let checks = assess::item_checks(case, c);
        for (system, n) in split.vendors {
            let failed: Vec<String> = checks
                .iter()
                .filter(|k| k.is_vendor() && k.system == system && k.status.to_put_right(k.item.gate))
                .map(|k| k.item.number.clone())
                .collect();
            let i = match out.iter().position(|v| v.system.raw == system) {
                Some(i) => i,
                None => {
                    let vendor = case
                        .facility
                        .systems
                        .iter()
                        .find(|s| s.name.trim() == system)
                        .map(|s| s.vendor.as_str())
                        .unwrap_or("");
                    out.push(VendorView {
                        system: Text::cell(&system),
                        system_label: Text::cell(if system.is_empty() { VENDOR_AS_A_WHOLE } else { &system }),
                        vendor: Text::cell(vendor),
                        items: 0,
                        answers: assess::counts(&assess::answer_labels(), std::iter::empty()),
                        verified_items: 0,
                        verification: assess::counts(&assess::verification_labels(), std::iter::empty()),
                        failed_list: Vec::new(),
                        failed: Text::cell(""),
                    });
                    out.len() - 1
                }
            };
            let v = &mut out[i];
            v.items += n.yesno_items;
            v.verified_items += n.verified_items;
            for (t, x) in v.answers.iter_mut().zip(&n.answers) {
                t.count += x.count;
            }
            for (t, x) in v.verification.iter_mut().zip(&n.verification) {
                t.count += x.count;
            }
            v.failed_list.extend(failed);
        }
    }
    for v in &mut out {
        v.failed = Text::cell(&v.failed_list.join("、"));
    }
    out
}

/// How the report names the 事業者確認用 answered for the facility as a whole, not per vendor.
pub const VENDOR_AS_A_WHOLE: &str = "（事業者ごとの回答なし）";
