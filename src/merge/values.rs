//! Merging single values: the fields of the form sheets and the cells of the answer rows.

use std::collections::{HashMap, HashSet};

use super::{answer_index, Merger};
use crate::case::fields::{sheet_of, AnswerCol, Kind, Val};
use crate::case::{Answer, Case, ItemRef};
use crate::checklist::Registry;
use crate::workbook::answer_key;
use crate::workbook::read::{Base, Loc, WorkbookData};

/// Decides one value: returns whether the workbook's value is to be set in the case. With the
/// export's fingerprint (`base`) the decision is three-way; without it, two-way.
pub(super) fn decide(
    kind: Kind,
    base: Option<&String>,
    old: &Val,
    new: &Val,
    place: impl FnOnce() -> String,
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
                m.change(|| (place(), old.show(), new.show()));
                true
            } else {
                m.conflict(at.to_string(), place(), old.show(), new.show())
            }
        }
        None => {
            if new.is_blank(kind) {
                false // a blank cell says nothing
            } else if old.is_blank(kind) {
                m.change(|| (place(), old.show(), new.show()));
                true
            } else {
                m.conflict(at.to_string(), place(), old.show(), new.show())
            }
        }
    }
}

/// The fields of the form sheets.
pub(super) fn fields(out: &mut Case, data: &WorkbookData, base: Option<&Base>, m: &mut Merger) {
    for (field, new, at) in &data.scalars {
        let old = (field.get)(out);
        // The sheet the value was read from (the self-check's 記入日 stands on a checklist sheet).
        let place = || {
            format!(
                "{} {}",
                if at.sheet.is_empty() { sheet_of(field.key).map(|s| s.name).unwrap_or("") } else { &at.sheet },
                field.label
            )
        };
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
    // Each row's key once, and each key's first row (the reader keeps one row per key).
    let keys: Vec<String> = data.answers.iter().map(|a| answer_key(&a.item, &a.system)).collect();
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        first.entry(k.as_str()).or_insert(i);
    }
    let mut taken = vec![false; data.answers.len()];
    let mut order: Vec<usize> = Vec::with_capacity(data.answers.len());
    for k in &data.answer_order {
        if let Some(&i) = first.get(k.as_str()) {
            if !taken[i] {
                taken[i] = true;
                order.push(i);
            }
        }
    }
    for (i, k) in keys.iter().enumerate() {
        if first.get(k.as_str()) == Some(&i) && !taken[i] {
            taken[i] = true;
            order.push(i);
        }
    }
    let exported: HashSet<&str> = data.answer_order.iter().map(String::as_str).collect();
    let empty = Val::Empty.fingerprint();
    for i in order {
        let (pa, k) = (&data.answers[i], &keys[i]);
        let base = all.and_then(|b| b.answers.get(k));
        // A workbook without fingerprints keeps every answer row the case had at export.
        if base.is_none() && all.is_none() && exported.contains(k.as_str()) {
            answer_index(out, &pa.item, &pa.system);
        }
        let blank = Answer { system: pa.system.clone(), ..Answer::unanswered(pa.item.clone()) };
        // The row's answer in the case, looked up once for all its cells.
        let mut found = out.answer_index(&pa.item, &pa.system);
        for (col, new, at) in &pa.cells {
            let old = (col.get)(found.map(|i| &out.answers[i]).unwrap_or(&blank));
            let b = base.and_then(|b| b.get(col.key));
            // Without a fingerprint of this cell but with those of the workbook, the row was not
            // in the workbook at export: it is compared with an empty answer.
            let b = if all.is_some() { Some(b.unwrap_or(&empty)) } else { None };
            let place = || answer_place(reg, &pa.item, &pa.system, col);
            if decide(col.kind, b, &old, new, place, at, m) {
                let i = *found.get_or_insert_with(|| answer_index(out, &pa.item, &pa.system));
                (col.set)(&mut out.answers[i], new);
            }
        }
    }
}
