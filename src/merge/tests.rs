//! Tests of the merge: two-way (format 1 workbooks) and three-way (format 2).

use super::*;
use crate::case::fields::{tables, AnswerCol, Val, ANSWER_COLS};
use crate::case::{ItemRef, Measure, MeasureStatus, Verification, YesNo};
use crate::workbook::read::{AnswerRow, Base, Loc, ReadRow, TableRows};
use crate::workbook::Audience;
use std::path::PathBuf;

fn parsed_with(cells: Vec<(&'static AnswerCol, Val)>, audience: Audience) -> WorkbookData {
    let item: ItemRef = "mhlw-r7:2-06".parse().unwrap();
    let l = Loc::new(&"チェックリスト".into(), 11, 7);
    WorkbookData {
        path: PathBuf::from("w.xlsx"),
        case_id: "C-1".into(),
        audience,
        checklists: vec![("mhlw-r7".into(), "令和7年度版".into(), "チェックリスト".into())],
        answer_order: Vec::new(),
        base: None,
        present: Vec::new(),
        about: Vec::new(),
        fiscal_year: None,
        scalars: Vec::new(),
        tables: Vec::new(),
        answers: vec![AnswerRow {
            item,
            system: String::new(),
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
    assert!(o.differences[0].contains("「はい」") && o.differences[0].contains("「不適合」"), "{:?}", o.differences);
}

#[test]
fn tables_add_rows_and_conflict_on_removed_rows() {
    let reg = Registry::load(None).unwrap();
    let mut case = Case { case_id: "C-1".into(), ..Case::default() };
    case.inspection.documents = vec!["台帳".into(), "規程".into()];
    let table = tables().find(|t| t.key() == "inspection.documents").unwrap();
    let l = Loc::new(&"概要".into(), 39, 1);
    let mk = |rows: &[&str]| {
        let mut p = parsed_with(Vec::new(), Audience::Inspector);
        p.answers.clear();
        p.tables.push(TableRows {
            table,
            sheet: "概要".into(),
            rows: rows
                .iter()
                .map(|r| ReadRow { vals: vec![Val::Text(r.to_string())], at: l.clone(), origin: None })
                .collect(),
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

// ---------------------------------------------------------------------------
// Three-way
// ---------------------------------------------------------------------------

fn measure(text: &str, status: Option<MeasureStatus>) -> Measure {
    Measure { text: text.into(), status, owner: "課長".into(), ..Measure::default() }
}

/// A workbook's data for the measures table, with the export's fingerprints taken from `exported`.
fn measures_workbook(exported: &Case, rows: Vec<(Option<usize>, Measure)>) -> WorkbookData {
    let table = tables().find(|t| t.key() == "measures").unwrap();
    let mut base = Base::default();
    let at_export = table.rows(exported);
    base.rows.insert(
        "measures".into(),
        at_export.iter().enumerate().map(|(i, r)| (i, r.iter().map(Val::fingerprint).collect())).collect(),
    );
    let l = Loc::new(&"再発防止策".into(), 7, 1);
    let mut scratch = Case::default();
    let read_rows = rows
        .into_iter()
        .map(|(origin, m)| {
            scratch.measures = vec![m];
            ReadRow { vals: table.rows(&scratch).remove(0), at: l.clone(), origin }
        })
        .collect();
    let mut p = parsed_with(Vec::new(), Audience::Inspector);
    p.answers.clear();
    p.base = Some(base);
    p.tables.push(TableRows { table, sheet: "再発防止策".into(), rows: read_rows });
    p
}

#[test]
fn a_row_edited_in_the_workbook_is_a_change_not_a_conflict() {
    let reg = Registry::load(None).unwrap();
    let case = Case {
        measures: vec![measure("VPN更新", Some(MeasureStatus::NotStarted)), measure("研修", None)],
        ..Case::default()
    };
    let wb = measures_workbook(
        &case,
        vec![(Some(0), measure("VPN更新", Some(MeasureStatus::InProgress))), (Some(1), measure("研修", None))],
    );
    let o = merge(&case, &wb, &reg, None);
    assert!(o.conflicts.is_empty(), "{:?}", o.conflicts);
    assert_eq!(o.case.measures[0].status, Some(MeasureStatus::InProgress));
    assert_eq!(o.changes.len(), 1);
    assert!(o.changes[0].place.contains("行を変更") && o.changes[0].new.contains("実施中"), "{:?}", o.changes);
}

#[test]
fn additions_and_deletions_on_either_side_are_named_and_kept() {
    let reg = Registry::load(None).unwrap();
    let exported =
        Case { measures: vec![measure("A", None), measure("B", None), measure("C", None)], ..Case::default() };
    // The case since: B deleted by hand, D added.
    let mut case = exported.clone();
    case.measures.remove(1);
    case.measures.push(measure("D", None));
    // The workbook: C deleted, E added, A and B as exported.
    let wb = measures_workbook(
        &exported,
        vec![(Some(0), measure("A", None)), (Some(1), measure("B", None)), (None, measure("E", None))],
    );
    for prefer in [None, Some(Prefer::Case), Some(Prefer::Workbook)] {
        let o = merge(&case, &wb, &reg, prefer);
        let texts: Vec<&str> = o.case.measures.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts, ["A", "D", "E"], "B stays deleted, C is deleted, D and E are kept ({prefer:?})");
        assert!(o.conflicts.is_empty());
        let places: Vec<&str> = o.changes.iter().map(|c| c.place.as_str()).collect();
        assert!(
            places.iter().any(|p| p.contains("行を削除")) && places.iter().any(|p| p.contains("行を追加")),
            "{places:?}"
        );
    }
}

#[test]
fn a_row_changed_on_both_sides_is_a_conflict_with_both_versions() {
    let reg = Registry::load(None).unwrap();
    let exported = Case { measures: vec![measure("VPN更新", None)], ..Case::default() };
    let mut case = exported.clone();
    case.measures[0].status = Some(MeasureStatus::Completed);
    let wb = measures_workbook(&exported, vec![(Some(0), measure("VPN更新", Some(MeasureStatus::InProgress)))]);
    let o = merge(&case, &wb, &reg, None);
    assert_eq!(o.conflicts.len(), 1);
    assert!(o.conflicts[0].case.contains("完了") && o.conflicts[0].workbook.contains("実施中"), "{:?}", o.conflicts);
    assert!(o.blocked());
    let o = merge(&case, &wb, &reg, Some(Prefer::Workbook));
    assert_eq!(o.case.measures[0].status, Some(MeasureStatus::InProgress));
    // Different cells changed on each side merge without a conflict.
    let mut case = exported.clone();
    case.measures[0].owner = "部長".into();
    let o = merge(&case, &wb, &reg, None);
    assert!(o.conflicts.is_empty(), "{:?}", o.conflicts);
    assert_eq!(
        (o.case.measures[0].owner.as_str(), o.case.measures[0].status),
        ("部長", Some(MeasureStatus::InProgress))
    );
}

#[test]
fn a_field_prefilled_from_the_case_and_edited_in_the_workbook_is_taken() {
    let reg = Registry::load(None).unwrap();
    let field = crate::case::fields::fields().find(|f| f.key == "inspection.kind").unwrap();
    let mut case = Case::default();
    case.inspection.kind = Some(crate::case::InspectionKind::Routine);
    let mut p = parsed_with(Vec::new(), Audience::Inspector);
    p.answers.clear();
    let mut base = Base::default();
    base.fields.insert(field.key.into(), (field.get)(&case).fingerprint());
    p.base = Some(base);
    let l = Loc::new(&"概要".into(), 19, 2);
    p.scalars.push((field, Val::Text("事案に係る立入検査".into()), l));
    let o = merge(&case, &p, &reg, None);
    assert!(o.conflicts.is_empty(), "{:?}", o.conflicts);
    assert_eq!(o.case.inspection.kind, Some(crate::case::InspectionKind::Incident));
    // Cleared in the workbook: the value is deleted, and the change says so.
    p.scalars[0].1 = Val::Empty;
    let o = merge(&case, &p, &reg, None);
    assert_eq!(o.case.inspection.kind, None);
    assert_eq!(o.changes[0].new, "（空欄）");
}
