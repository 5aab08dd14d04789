//! Merging single values: the fields of the form sheets and the cells of the answer rows.

use super::{answer_mut, Merger};
use crate::case::fields::{sheet_of, AnswerCol, Kind, Val};
use crate::case::{Answer, Case, ItemRef};
use crate::checklist::Registry;
use crate::workbook::answer_key;
use crate::workbook::read::{AnswerRow, Base, Loc, WorkbookData};

/// Decides one value: returns whether the workbook's value is to be set in the case. With the
/// export's fingerprint (`base`) the decision is three-way; without it, two-way.
pub(super) fn decide(
    kind: Kind,
    base: Option<&String>,
    old: &Val,
    new: &Val,
    place: String,
    at: &Loc,
    m: &mut Merger,
) -> bool {
    if old == new {
        return false;
    }
    match base {
        Some(b) => {
            if new.fingerprint() == *b {
                false // unchanged in the workbook: the case's value stands
            } else if old.fingerprint() == *b {
                m.change(place, old.show(), new.show());
                true
            } else {
                m.conflict(at.to_string(), place, old.show(), new.show())
            }
        }
        None => {
            if new.is_blank(kind) {
                false // a blank cell says nothing
            } else if old.is_blank(kind) {
                m.change(place, old.show(), new.show());
                true
            } else {
                m.conflict(at.to_string(), place, old.show(), new.show())
            }
        }
    }
}

/// The fields of the form sheets.
pub(super) fn fields(out: &mut Case, data: &WorkbookData, base: Option<&Base>, m: &mut Merger) {
    for (field, new, at) in &data.scalars {
        let old = (field.get)(out);
        let place = format!("{} {}", sheet_of(field.key).map(|s| s.name).unwrap_or(""), field.label);
        let base = base.and_then(|b| b.fields.get(field.key));
        if decide(field.kind, base, &old, new, place, at, m) {
            (field.set)(out, new);
        }
    }
}

fn answer_place(reg: &Registry, item: &ItemRef, system: &str, col: &AnswerCol) -> String {
    let whose = if system.is_empty() { String::new() } else { format!("（{system}）") };
    match reg.item(item) {
        Some((c, i)) => format!("{} {}{whose} {}", c.id, i.number, col.header),
        None => format!("{item}{whose} {}", col.header),
    }
}

/// The answer rows of the checklist sheets: rows answered in the original case first, in its
/// order, then the others in sheet order.
pub(super) fn answers(out: &mut Case, data: &WorkbookData, all: Option<&Base>, reg: &Registry, m: &mut Merger) {
    let key = |a: &AnswerRow| answer_key(&a.item, &a.system);
    let mut order: Vec<&AnswerRow> = Vec::new();
    for k in &data.answer_order {
        if let Some(a) = data.answers.iter().find(|a| key(a) == *k) {
            if !order.iter().any(|o| key(o) == *k) {
                order.push(a);
            }
        }
    }
    for a in &data.answers {
        if !order.iter().any(|o| key(o) == key(a)) {
            order.push(a);
        }
    }
    for pa in order {
        let k = key(pa);
        let base = all.and_then(|b| b.answers.get(&k));
        // A workbook without fingerprints keeps every answer row the case had at export.
        if base.is_none() && all.is_none() && data.answer_order.contains(&k) {
            answer_mut(out, &pa.item, &pa.system);
        }
        for (col, new, at) in &pa.cells {
            let current = out.answer_for(&pa.item, &pa.system).cloned();
            let old = (col.get)(
                &current.unwrap_or_else(|| Answer { system: pa.system.clone(), ..Answer::unanswered(pa.item.clone()) }),
            );
            let b = base.and_then(|b| b.get(col.key));
            // Without a fingerprint of this cell but with those of the workbook, the row was not
            // in the workbook at export: it is compared with an empty answer.
            let empty = Val::Empty.fingerprint();
            let b = if all.is_some() { Some(b.unwrap_or(&empty)) } else { None };
            let place = answer_place(reg, &pa.item, &pa.system, col);
            if decide(col.kind, b, &old, new, place, at, m) {
                (col.set)(answer_mut(out, &pa.item, &pa.system), new);
            }
        }
    }
}
