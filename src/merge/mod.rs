//! Merging what was read from a workbook into a case, a model operation of its own.
//!
//! A workbook of format 2 carries what each value and list row was at export (fingerprints), so
//! the merge is three-way: a value changed only in the workbook is taken, one changed only in
//! the case is kept, one changed on both sides to different values is a conflict; list rows
//! added or deleted on one side are added or deleted; every change and conflict is named with
//! both versions. A workbook of format 1 has no record of its export: there a blank cell says
//! nothing, an empty value of the case is filled, and two different values are a conflict.
//! [`values`] merges fields and answers, [`rows`] merges lists.

mod rows;
mod values;

use crate::assess::ItemStatus;
use crate::case::fields::{ensure_section, section_label, Kind, Val, SUMMARY_CHARS};
use crate::case::{Answer, Case};
use crate::checklist::Registry;
use crate::workbook::read::WorkbookData;
use crate::workbook::Audience;

/// Which side wins where the case and the workbook changed a value differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Workbook,
    Case,
}

/// A value or row the import fills, replaces, adds or deletes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub place: String,
    pub old: String,
    pub new: String,
}

/// A value or row the case and the workbook changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub at: String,
    pub place: String,
    pub case: String,
    pub workbook: String,
}

/// The merged case with what changed, what conflicted and (for a facility's self-check) where
/// the facility's answer and the inspector's verification disagree.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
    pub differences: Vec<String>,
    pub prefer: Option<Prefer>,
    /// Whether the workbook recorded its export (three-way merge).
    pub three_way: bool,
}

impl Outcome {
    /// Whether the case must not be written (conflicts left unresolved).
    pub fn blocked(&self) -> bool {
        !self.conflicts.is_empty() && self.prefer.is_none()
    }

    /// What the import does, in Japanese, one change or conflict a line.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        if self.changes.is_empty() {
            s.push_str("変更はありません。\n");
        } else {
            s.push_str(&format!("変更 {} 件:\n", self.changes.len()));
            for c in &self.changes {
                s.push_str(&format!("  {}: {} → {}\n", c.place, c.old, c.new));
            }
        }
        if !self.conflicts.is_empty() {
            let how = match self.prefer {
                None => "事案ファイルとワークブックの両方で、別の値に変更されています",
                Some(Prefer::Workbook) => "--prefer workbook によりワークブックの値を採用しました",
                Some(Prefer::Case) => "--prefer case により事案ファイルの値を残しました",
            };
            s.push_str(&format!("競合 {} 件（{how}）:\n", self.conflicts.len()));
            for c in &self.conflicts {
                s.push_str(&format!(
                    "  {} {}: 事案ファイル「{}」／ワークブック「{}」\n",
                    c.at, c.place, c.case, c.workbook
                ));
            }
        }
        if !self.differences.is_empty() {
            s.push_str(&format!("医療機関の回答と医療監視員の確認結果が異なる項目 {} 件:\n", self.differences.len()));
            for d in &self.differences {
                s.push_str(&format!("  {d}\n"));
            }
        }
        s
    }
}

/// Collects changes and conflicts while merging.
pub(crate) struct Merger {
    pub prefer: Option<Prefer>,
    /// Whether changes are kept (a standalone case reports none: nothing is described).
    pub record: bool,
    pub changes: Vec<Change>,
    pub conflicts: Vec<Conflict>,
}

impl Merger {
    /// Records a change: its place, the case's value and the workbook's, as `what` describes them.
    pub fn change(&mut self, what: impl FnOnce() -> (String, String, String)) {
        if self.record {
            let (place, old, new) = what();
            self.changes.push(Change { place, old, new });
        }
    }
    /// Records a conflict; returns whether the workbook's side is taken.
    pub fn conflict(&mut self, at: String, place: String, case: String, workbook: String) -> bool {
        let take = self.prefer == Some(Prefer::Workbook);
        if take {
            self.changes.push(Change {
                place: format!("{place}（競合: ワークブックを優先）"),
                old: case.clone(),
                new: workbook.clone(),
            });
        }
        self.conflicts.push(Conflict { at, place, case, workbook });
        take
    }
}

/// Merges a workbook into a case.
pub fn merge(case: &Case, data: &WorkbookData, reg: &Registry, prefer: Option<Prefer>) -> Outcome {
    let mut out = case.clone();
    let mut m = Merger { prefer, record: true, changes: Vec::new(), conflicts: Vec::new() };
    for s in &data.present {
        if ensure_section(&mut out, s) {
            m.change(|| (section_label(s).to_string(), "（なし）".into(), "（欄を作成）".into()));
        }
    }
    values::fields(&mut out, data, data.base.as_ref(), &mut m);
    for t in &data.tables {
        rows::table(&mut out, t, data.base.as_ref(), &mut m);
    }
    values::answers(&mut out, data, data.base.as_ref(), reg, &mut m);
    let differences = if data.audience == Audience::Facility { differences(&out, data, reg) } else { Vec::new() };
    Outcome {
        case: out,
        changes: m.changes,
        conflicts: m.conflicts,
        differences,
        prefer,
        three_way: data.base.is_some(),
    }
}

/// The case a workbook holds on its own, without its case file (a facility's returned
/// self-check read by `kensa aggregate`): the facility and inspection recorded at export, with
/// everything filled in the workbook on top. Values that do not read as their field expects are
/// left empty.
pub fn standalone(data: &WorkbookData, reg: &Registry) -> Case {
    let mut skeleton = Case { case_id: data.case_id.trim().to_string(), ..Case::default() };
    for (key, text) in &data.about {
        if key == "inspection.dates" {
            skeleton.inspection.dates = text.split(',').filter_map(|d| d.trim().parse().ok()).collect();
            continue;
        }
        let Some(f) = crate::case::fields::fields().find(|f| f.key == key) else { continue };
        let v = match f.kind {
            Kind::Num32 => text.trim().parse::<u64>().map(Val::Num).unwrap_or(Val::Empty),
            Kind::Choice(labels) => match labels().into_iter().find(|l| *l == text.trim()) {
                Some(l) => Val::Text(l.to_string()),
                None => Val::Empty,
            },
            _ => Val::text(text),
        };
        (f.set)(&mut skeleton, &v);
    }
    skeleton.inspection.checklists = data.checklists.iter().map(|(id, _, _)| id.clone()).collect();
    // Nothing of the case is at hand to compare with: the workbook's values are taken as they
    // are, and what they change is not described.
    let mut m = Merger { prefer: Some(Prefer::Workbook), record: false, changes: Vec::new(), conflicts: Vec::new() };
    let mut out = skeleton;
    for s in &data.present {
        ensure_section(&mut out, s);
    }
    values::fields(&mut out, data, None, &mut m);
    for t in &data.tables {
        rows::table(&mut out, t, None, &mut m);
    }
    values::answers(&mut out, data, None, reg, &mut m);
    out
}

/// Items where the facility's answer and the inspector's verification disagree.
pub fn differences(case: &Case, data: &WorkbookData, reg: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for pa in &data.answers {
        let Some(a) = case.answer_for(&pa.item, &pa.system) else { continue };
        let (Some(ans), Some(ver)) = (a.answer, a.verification) else { continue };
        if ItemStatus::of(a).answer_contradicted() {
            let what = match reg.item(&pa.item) {
                Some((c, i)) => format!("{} {}「{}」", c.id, i.number, crate::text::short(&i.text, SUMMARY_CHARS)),
                None => pa.item.to_string(),
            };
            let whose = if pa.system.is_empty() { String::new() } else { format!("（{}）", pa.system) };
            out.push(format!("{what}{whose}: 医療機関の回答「{ans}」、医療監視員の確認結果「{ver}」"));
        }
    }
    out
}

/// Where the answer of a row key is in `case.answers`, created (unanswered) where the case has
/// none.
fn answer_index(case: &mut Case, item: &crate::case::ItemRef, system: &str) -> usize {
    case.answer_index(item, system).unwrap_or_else(|| {
        case.answers.push(Answer { system: system.to_string(), ..Answer::unanswered(item.clone()) });
        case.answers.len() - 1
    })
}

#[cfg(test)]
mod tests;
