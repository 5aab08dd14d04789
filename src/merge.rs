//! Merging what was read from a workbook into a case, a model operation of its own: values
//! filled where the case is empty, conflicts where both hold different values, rows added to
//! lists, and (for a facility's self-check) where the facility's answer and the inspector's
//! verification disagree.

use crate::assess::ItemStatus;
use crate::case::fields::{ensure_section, section_label, sheet_of, AnswerCol, Col, Kind, Val, SUMMARY_CHARS};
use crate::case::{Answer, Case, ItemRef};
use crate::checklist::Registry;
use crate::workbook::read::{AnswerRow, Loc, WorkbookData};
use crate::workbook::Audience;

/// Which side wins where the case and the workbook hold different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Workbook,
    Case,
}

/// A value the import fills or replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub place: String,
    pub old: String,
    pub new: String,
}

/// A value the case and the workbook disagree on.
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
                None => "事案ファイルとワークブックの値が異なります",
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

enum Decision {
    Same,
    Fill,
    Conflict,
}

fn decide(kind: Kind, old: &Val, new: &Val) -> Decision {
    if new.is_blank(kind) || old == new {
        Decision::Same
    } else if old.is_blank(kind) {
        Decision::Fill
    } else {
        Decision::Conflict
    }
}

fn row_summary(row: &[Val], columns: &[&Col]) -> String {
    let parts: Vec<String> =
        row.iter().zip(columns).filter(|(v, c)| !v.is_blank(c.kind)).map(|(v, _)| v.show()).collect();
    crate::text::short(&parts.join("／"), SUMMARY_CHARS)
}

struct Merger {
    prefer: Option<Prefer>,
    changes: Vec<Change>,
    conflicts: Vec<Conflict>,
}

impl Merger {
    /// Applies the merge rule to one value; returns whether `new` must be set.
    fn scalar(&mut self, kind: Kind, place: String, at: &Loc, old: &Val, new: &Val) -> bool {
        match decide(kind, old, new) {
            Decision::Same => false,
            Decision::Fill => {
                self.changes.push(Change { place, old: old.show(), new: new.show() });
                true
            }
            Decision::Conflict => {
                self.conflicts.push(Conflict {
                    at: at.to_string(),
                    place: place.clone(),
                    case: old.show(),
                    workbook: new.show(),
                });
                if self.prefer == Some(Prefer::Workbook) {
                    self.changes.push(Change {
                        place: format!("{place}（競合: ワークブックを優先）"),
                        old: old.show(),
                        new: new.show(),
                    });
                    true
                } else {
                    false
                }
            }
        }
    }
}

fn answer_place(reg: &Registry, item: &ItemRef, col: &AnswerCol) -> String {
    match reg.item(item) {
        Some((c, i)) => format!("{} {} {}", c.id, i.number, col.header),
        None => format!("{item} {}", col.header),
    }
}

/// Merges a parsed workbook into a case.
pub fn merge(case: &Case, parsed: &WorkbookData, reg: &Registry, prefer: Option<Prefer>) -> Outcome {
    let mut out = case.clone();
    let mut m = Merger { prefer, changes: Vec::new(), conflicts: Vec::new() };

    for s in &parsed.present {
        if ensure_section(&mut out, s) {
            m.changes.push(Change {
                place: section_label(s).to_string(),
                old: "（なし）".into(),
                new: "（欄を作成）".into(),
            });
        }
    }

    for (field, new, at) in &parsed.scalars {
        let old = (field.get)(&out);
        let place = format!("{} {}", sheet_of(field.key).map(|s| s.name).unwrap_or(""), field.label);
        if m.scalar(field.kind, place, at, &old, new) {
            (field.set)(&mut out, new);
        }
    }

    for pt in &parsed.tables {
        let t = pt.table;
        if pt.rows.is_empty() {
            continue; // an empty table says nothing (it never deletes)
        }
        let case_rows = t.rows(&out);
        let mut used = vec![false; pt.rows.len()];
        let mut missing = Vec::new();
        for (i, cr) in case_rows.iter().enumerate() {
            match pt.rows.iter().enumerate().position(|(j, (wr, _))| !used[j] && wr == cr) {
                Some(j) => used[j] = true,
                None => missing.push(i),
            }
        }
        let additions: Vec<&(Vec<Val>, Loc)> =
            pt.rows.iter().zip(&used).filter(|(_, u)| !**u).map(|(r, _)| r).collect();
        let place = format!("{} {}", pt.sheet, t.title());
        let columns = t.columns();
        if missing.is_empty() {
            if additions.is_empty() {
                continue;
            }
            let mut rows = case_rows.clone();
            for (r, _) in &additions {
                m.changes.push(Change {
                    place: format!("{place}（行を追加）"),
                    old: "（なし）".into(),
                    new: row_summary(r, &columns),
                });
                rows.push(r.clone());
            }
            t.set_rows(&mut out, &rows);
        } else {
            for i in &missing {
                m.conflicts.push(Conflict {
                    at: format!("{}（{}）", pt.sheet, t.title()),
                    place: place.clone(),
                    case: row_summary(&case_rows[*i], &columns),
                    workbook: "（この行がありません。変更または削除されています）".into(),
                });
            }
            if prefer == Some(Prefer::Workbook) {
                let rows: Vec<Vec<Val>> = pt.rows.iter().map(|(r, _)| r.clone()).collect();
                m.changes.push(Change {
                    place: format!("{place}（競合: ワークブックを優先）"),
                    old: format!("{} 行", case_rows.len()),
                    new: format!("{} 行", rows.len()),
                });
                t.set_rows(&mut out, &rows);
            }
        }
    }

    // Answers: rows of items answered in the original case first, in its order.
    let mut order: Vec<&AnswerRow> = Vec::new();
    for r in &parsed.answer_order {
        if let Some(a) = parsed.answers.iter().find(|a| &a.item == r) {
            if !order.iter().any(|o| o.item == a.item) {
                order.push(a);
            }
        }
    }
    for a in &parsed.answers {
        if !order.iter().any(|o| o.item == a.item) {
            order.push(a);
        }
    }
    for pa in order {
        let filled = pa.cells.iter().any(|(c, v, _)| !v.is_blank(c.kind));
        let idx = match out.answers.iter().position(|a| a.item == pa.item) {
            Some(i) => i,
            None if filled || parsed.answer_order.contains(&pa.item) => {
                out.answers.push(Answer::unanswered(pa.item.clone()));
                out.answers.len() - 1
            }
            None => continue,
        };
        for (col, new, at) in &pa.cells {
            let old = (col.get)(&out.answers[idx]);
            if m.scalar(col.kind, answer_place(reg, &pa.item, col), at, &old, new) {
                (col.set)(&mut out.answers[idx], new);
            }
        }
    }

    let differences = if parsed.audience == Audience::Facility { differences(&out, parsed, reg) } else { Vec::new() };
    Outcome { case: out, changes: m.changes, conflicts: m.conflicts, differences, prefer }
}

/// Items where the facility's answer and the inspector's verification disagree.
pub fn differences(case: &Case, parsed: &WorkbookData, reg: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for pa in &parsed.answers {
        let Some(a) = case.answer(&pa.item) else { continue };
        let (Some(ans), Some(ver)) = (a.answer, a.verification) else { continue };
        if ItemStatus::of(a).answer_contradicted() {
            let what = match reg.item(&pa.item) {
                Some((c, i)) => format!("{} {}「{}」", c.id, i.number, crate::text::short(&i.text, SUMMARY_CHARS)),
                None => pa.item.to_string(),
            };
            out.push(format!("{what}: 医療機関の回答「{ans}」、医療監視員の確認結果「{ver}」"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::fields::{tables, ANSWER_COLS};
    use crate::case::{Verification, YesNo};
    use crate::workbook::read::{AnswerRow, Loc, TableRows};
    use crate::workbook::Audience;
    use std::path::PathBuf;

    fn parsed_with(cells: Vec<(&'static AnswerCol, Val)>, audience: Audience) -> WorkbookData {
        let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        let l = Loc { sheet: "チェックリスト".into(), cell: "H12".into() };
        WorkbookData {
            path: PathBuf::from("w.xlsx"),
            case_id: "C-1".into(),
            audience,
            checklists: vec![("mhlw-r7".into(), "令和7年度版".into(), "チェックリスト".into())],
            answer_order: Vec::new(),
            present: Vec::new(),
            scalars: Vec::new(),
            tables: Vec::new(),
            answers: vec![AnswerRow {
                item,
                row: l.clone(),
                cells: cells.into_iter().map(|(c, v)| (c, v, l.clone())).collect(),
            }],
        }
    }

    fn col(key: &str) -> &'static AnswerCol {
        ANSWER_COLS.iter().find(|c| c.key == key).unwrap()
    }

    #[test]
    fn merge_fills_empty_keeps_equal_and_flags_conflicts() {
        let reg = Registry::load(None).unwrap();
        let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        let mut case = Case { case_id: "C-1".into(), ..Case::default() };
        case.answers.push(Answer { item: item.clone(), note: "既存".into(), ..Answer::unanswered(item.clone()) });

        // Empty in the case → change; equal → nothing; empty in the workbook → nothing.
        let p = parsed_with(
            vec![(col("answer"), Val::Bool(true)), (col("note"), Val::Text("既存".into())), (col("text"), Val::Empty)],
            Audience::Inspector,
        );
        let o = merge(&case, &p, &reg, None);
        assert!(o.conflicts.is_empty());
        assert_eq!(o.changes.len(), 1, "{:?}", o.changes);
        assert_eq!(o.changes[0].new, "はい");
        assert_eq!(o.case.answers[0].answer, Some(YesNo::Yes));
        assert_eq!(o.case.answers[0].note, "既存");

        // Different non-empty value → conflict, not written unless preferred.
        let p = parsed_with(vec![(col("note"), Val::Text("別".into()))], Audience::Inspector);
        let o = merge(&case, &p, &reg, None);
        assert_eq!(o.conflicts.len(), 1);
        assert!(o.blocked());
        assert_eq!(o.conflicts[0].at, "チェックリスト!H12");
        assert_eq!(o.case.answers[0].note, "既存");
        let o = merge(&case, &p, &reg, Some(Prefer::Workbook));
        assert!(!o.blocked());
        assert_eq!(o.case.answers[0].note, "別");
        let o = merge(&case, &p, &reg, Some(Prefer::Case));
        assert_eq!(o.case.answers[0].note, "既存");
    }

    #[test]
    fn facility_answers_are_compared_with_verification() {
        let reg = Registry::load(None).unwrap();
        let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
        let mut case = Case { case_id: "C-1".into(), ..Case::default() };
        case.answers.push(Answer { verification: Some(Verification::Nonconform), ..Answer::unanswered(item) });
        let p = parsed_with(vec![(col("answer"), Val::Bool(true))], Audience::Facility);
        let o = merge(&case, &p, &reg, None);
        assert_eq!(o.case.answers[0].verification, Some(Verification::Nonconform));
        assert_eq!(o.differences.len(), 1);
        assert!(
            o.differences[0].contains("「はい」") && o.differences[0].contains("「不適合」"),
            "{:?}",
            o.differences
        );
    }

    #[test]
    fn tables_add_rows_and_conflict_on_removed_rows() {
        let reg = Registry::load(None).unwrap();
        let mut case = Case { case_id: "C-1".into(), ..Case::default() };
        case.inspection.documents = vec!["台帳".into(), "規程".into()];
        let table = tables().find(|t| t.key() == "inspection.documents").unwrap();
        let l = Loc { sheet: "概要".into(), cell: "B40".into() };
        let mk = |rows: &[&str]| {
            let mut p = parsed_with(Vec::new(), Audience::Inspector);
            p.answers.clear();
            p.tables.push(TableRows {
                table,
                sheet: "概要".into(),
                rows: rows.iter().map(|r| (vec![Val::Text(r.to_string())], l.clone())).collect(),
            });
            p
        };
        // Sorted and extended: an addition, no conflict.
        let o = merge(&case, &mk(&["規程", "台帳", "BCP"]), &reg, None);
        assert!(o.conflicts.is_empty());
        assert_eq!(o.case.inspection.documents, vec!["台帳", "規程", "BCP"]);
        // A row changed: conflict.
        let o = merge(&case, &mk(&["台帳", "規程（改）"]), &reg, None);
        assert_eq!(o.conflicts.len(), 1);
        assert_eq!(o.case.inspection.documents, vec!["台帳", "規程"]);
        let o = merge(&case, &mk(&["台帳", "規程（改）"]), &reg, Some(Prefer::Workbook));
        assert_eq!(o.case.inspection.documents, vec!["台帳", "規程（改）"]);
        // An empty table says nothing.
        let o = merge(&case, &mk(&[]), &reg, None);
        assert!(o.conflicts.is_empty() && o.changes.is_empty());
    }
}
